/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef TEMPONET_NETWORK_H
#define TEMPONET_NETWORK_H

// Internal to model/tpp and model/sampling: the only header with LibTorch types.

#include "temponet-encoding.h"
#include "temponet-model.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>
#include <vector>

namespace ns3
{
namespace temponet
{

/**
 * \ingroup temponet
 * \brief Sizes of the TempoNet network.
 */
struct NetworkConfig
{
    ModelSizes sizes;                //!< GRU, mixture, embedding and head sizes.
    int64_t flowLabels{17};          //!< 1 + 2K continuation labels.
    std::vector<int64_t> vocabSizes; //!< Per field, schema order.
    std::vector<uint8_t> isHost;     //!< Per field: uses the shared host embedding.

    /// \return the configuration as JSON.
    nlohmann::json ToJson() const;

    /// \return the configuration in \p j; throws std::runtime_error if invalid.
    static NetworkConfig FromJson(const nlohmann::json& j);

    /// \return the configuration of a network for \p enc with \p sizes.
    static NetworkConfig ForEncoding(const Encoding& enc, const ModelSizes& sizes);
};

/**
 * \ingroup temponet
 * \brief A batch of event sequences, the network's input: (B, T) tensors.
 */
struct EventBatch
{
    torch::Tensor logGap;   //!< (B, T) float: standardised log gap of each event.
    torch::Tensor calendar; //!< (B, T, kCalendarDim) float.
    torch::Tensor activity; //!< (B, T, kActivityDim) float: recent rates after each event.
    torch::Tensor flow;     //!< (B, T) int64: continuation label.
    torch::Tensor tokens;   //!< (B, T, F) int64: token per field.
    // Targets, used when these events are the ones being predicted:
    torch::Tensor lnGap;    //!< (B, T) float: ln of the gap in seconds.
    torch::Tensor timeMask; //!< (B, T) float: 1 where the gap is known.
    torch::Tensor logShare; //!< (B, T, F) float: ln P(raw value | token).
};

/**
 * \return windows [s, s + len) of \p seq for each s in \p starts, as a batch
 * (B = starts.size(), T = len). Every window must lie inside the sequence.
 */
EventBatch MakeBatch(const EncodedTrace& seq, const std::vector<size_t>& starts, size_t len);

/// \return events [begin, end) of \p seq as a batch of one sequence.
EventBatch MakeRange(const EncodedTrace& seq, size_t begin, size_t end);

/**
 * \ingroup temponet
 * \brief Per-position negative log-likelihoods of the next event: (B, T)
 * each, in nats, before masks and raw-value shares are applied.
 */
struct HeadNlls
{
    torch::Tensor timeY;  //!< -ln p(y) of the standardised log gap y.
    torch::Tensor flow;   //!< Cross-entropy of the continuation label.
    torch::Tensor fields; //!< (B, T, F) cross-entropy per field.
};

/**
 * \ingroup temponet
 * \brief The TempoNet network: a GRU over past events, a log-normal mixture
 * for the next gap, and chained categorical heads for the continuation mark
 * and each field.
 *
 * Position t's GRU output h_t summarises events 0..t; the next event's
 * distribution is read from it: the gap first, then the continuation label
 * given the gap, then each field given the gap, the label and the fields
 * before it in the chain (their embeddings concatenated, so identities stay
 * sharp).
 */
class TempoNetNetworkImpl : public torch::nn::Module
{
  public:
    /// Builds the modules for \p config.
    explicit TempoNetNetworkImpl(const NetworkConfig& config);

    /**
     * Runs the GRU.
     * \param in events (B, T).
     * \param h0 initial state (layers, B, hidden), or an undefined tensor for zeros.
     * \return outputs (B, T, hidden) and the final state (layers, B, hidden).
     */
    std::pair<torch::Tensor, torch::Tensor> Encode(const EventBatch& in, const torch::Tensor& h0);

    /**
     * Mixture parameters of the next gap.
     * \param h GRU outputs (..., hidden).
     * \return log-weights, means and log-scales, each (..., K), in standardised log-gap units.
     */
    std::tuple<torch::Tensor, torch::Tensor, torch::Tensor> TimeParams(const torch::Tensor& h);

    /// \return continuation-label logits (..., labels) given h and the next log gap (...).
    torch::Tensor FlowLogits(const torch::Tensor& h, const torch::Tensor& nextLogGap);

    /**
     * Logits of field \p j of the next event.
     * \param h GRU outputs (..., hidden).
     * \param nextLogGap (...) standardised log gap of the next event.
     * \param nextFlow (...) its continuation label.
     * \param nextTokens (..., F) its tokens; only fields before \p j are read.
     * \param j field index in the chain.
     */
    torch::Tensor FieldLogits(size_t j,
                              const torch::Tensor& h,
                              const torch::Tensor& nextLogGap,
                              const torch::Tensor& nextFlow,
                              const torch::Tensor& nextTokens);

    /**
     * Teacher-forced NLLs of next events.
     * \param h outputs (B, T, hidden) for positions whose next events are \p next.
     * \param next the next events (B, T).
     */
    HeadNlls Score(const torch::Tensor& h, const EventBatch& next);

    /// \return the configuration.
    const NetworkConfig& Config() const
    {
        return m_config;
    }

  private:
    /// \return the embedding of field \p j's tokens (...) -> (..., width).
    torch::Tensor EmbedField(size_t j, const torch::Tensor& tokens);

    NetworkConfig m_config;                          //!< Sizes.
    torch::nn::Embedding m_hostEmbed{nullptr};       //!< Shared by src and dst.
    std::vector<torch::nn::Embedding> m_fieldEmbed;  //!< Per field (unused for hosts).
    torch::nn::Embedding m_flowEmbed{nullptr};       //!< Continuation labels.
    torch::nn::GRU m_gru{nullptr};                   //!< History encoder.
    torch::nn::Linear m_timeHead{nullptr};           //!< h -> 3K mixture parameters.
    torch::nn::Sequential m_flowHead{nullptr};       //!< Continuation head.
    std::vector<torch::nn::Sequential> m_fieldHeads; //!< One per field.
};

TORCH_MODULE(TempoNetNetwork);

/**
 * \ingroup temponet
 * \brief Per-event NLLs in nats as every report counts them (NllReport):
 * the time term on the gap in seconds where known, the raw-value shares
 * added to the field terms, and the fields a continued flow fixes set to 0.
 */
struct EventNlls
{
    torch::Tensor time;   //!< (B, T).
    torch::Tensor flow;   //!< (B, T).
    torch::Tensor fields; //!< (B, T, F).
};

/**
 * \param raw the network's NLLs for the events \p next.
 * \param next the predicted events (with targets).
 * \param logGapStd the encoding's LogGapStd() (Jacobian of the standardisation).
 * \param keyField per field, 1 if a continued flow fixes it.
 * \return the NLLs.
 */
EventNlls FinalNlls(const HeadNlls& raw,
                    const EventBatch& next,
                    double logGapStd,
                    const torch::Tensor& keyField);

/**
 * Log-density of a Gaussian mixture in y = standardised ln(gap), i.e. of the
 * log-normal mixture of the gap up to the Jacobian 1 / (sigma_g gap).
 * \param logW log-weights (..., K); \param mu means (..., K); \param logS log-scales (..., K).
 * \param y values (...).
 * \return ln p(y) (...), computed with log-sum-exp.
 */
torch::Tensor MixtureLogProb(const torch::Tensor& logW,
                             const torch::Tensor& mu,
                             const torch::Tensor& logS,
                             const torch::Tensor& y);

} // namespace temponet
} // namespace ns3

#endif /* TEMPONET_NETWORK_H */
