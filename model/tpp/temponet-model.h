/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef TEMPONET_MODEL_H
#define TEMPONET_MODEL_H

#include "temponet-encoding.h"
#include "temponet-lognormmix.h"
#include "temponet-model-file.h"
#include "temponet-nll-report.h"

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

namespace ns3
{
namespace temponet
{

/**
 * \ingroup temponet
 * \brief Sizes of the network (see DESIGN section 4).
 */
struct ModelSizes
{
    int64_t hidden{64};     //!< GRU hidden size.
    int64_t layers{1};      //!< GRU layers.
    int64_t mixture{16};    //!< Log-normal mixture components K.
    int64_t hostEmbed{32};  //!< Host embedding width.
    int64_t fieldEmbed{16}; //!< Embedding width of other fields.
    int64_t flowEmbed{8};   //!< Continuation-mark embedding width.
    int64_t headHidden{64}; //!< Hidden width of each mark head.
};

/**
 * \ingroup temponet
 * \brief A TempoNet model: its encoding and network weights, plus metadata
 * (hyper-parameters, provenance). Plain C++ interface; LibTorch stays inside.
 *
 * Model files (.tpn, see ModelFile) hold everything needed to score and
 * sample: schema, vocabularies and pools, time normalisation, calendar
 * activation, network sizes and weights, and provenance.
 */
class TempoNetModel
{
  public:
    /// Internal state (LibTorch network); defined in model/tpp only.
    struct Impl;

    /**
     * A new model with random weights for \p encoding.
     * \param seed seeds LibTorch's generator for the initial weights.
     */
    TempoNetModel(const Encoding& encoding, const ModelSizes& sizes, uint64_t seed);
    ~TempoNetModel();
    TempoNetModel(TempoNetModel&&) noexcept;
    TempoNetModel& operator=(TempoNetModel&&) noexcept;

    /**
     * Loads a model file.
     * \throws ModelFileError naming \p path when the file is missing, truncated,
     *         corrupt, of another version, not a model, or its tensors do not
     *         match the network its metadata describes.
     */
    static TempoNetModel Load(const std::string& path);

    /// Writes the model file atomically.
    void Save(const std::string& path) const;

    /// \return the container with metadata and weights (for Save and checkpoints).
    ModelFile ToModelFile() const;

    /// \return the model in \p file (read from \p path, used in messages).
    static TempoNetModel FromModelFile(const ModelFile& file, const std::string& path);

    /// \return the encoding.
    const Encoding& GetEncoding() const;

    /// \return the sizes.
    const ModelSizes& Sizes() const;

    /// \return free-form metadata kept in the file (hyper-parameters, provenance).
    nlohmann::json& Meta();

    /// \return free-form metadata kept in the file.
    const nlohmann::json& Meta() const;

    /// \return the number of trainable weights.
    size_t ParameterCount() const;

    /**
     * Scores events [from, n) of \p seq (NllReport), the GRU first run over
     * up to \p primeEvents events before \p from.
     */
    NllReport Score(const EncodedTrace& seq, size_t from, size_t primeEvents) const;

    /**
     * The predicted gap distributions of events [begin, end) of \p seq, each
     * given the events before it (the GRU first run over up to \p primeEvents
     * events before \p begin).
     */
    std::vector<LogNormMix> TimeDistributions(const EncodedTrace& seq,
                                              size_t begin,
                                              size_t end,
                                              size_t primeEvents) const;

    /**
     * The predicted distributions of field \p field (index in the schema) of
     * events [begin, end), each given the events before it and the event's own
     * gap, continuation label and earlier fields as they are in \p seq.
     * \return (end - begin) rows of token probabilities.
     */
    std::vector<std::vector<double>> FieldProbabilities(const EncodedTrace& seq,
                                                        size_t field,
                                                        size_t begin,
                                                        size_t end,
                                                        size_t primeEvents) const;

    /// \return internal state, for model/tpp and model/sampling.
    Impl& GetImpl() const;

  private:
    TempoNetModel();
    std::unique_ptr<Impl> m_impl; //!< Network and encoding.
};

} // namespace temponet
} // namespace ns3

#endif /* TEMPONET_MODEL_H */
