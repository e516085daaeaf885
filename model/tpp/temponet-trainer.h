/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef TEMPONET_TRAINER_H
#define TEMPONET_TRAINER_H

#include "temponet-encoding.h"
#include "temponet-model.h"
#include "temponet-nll-report.h"

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace ns3
{
namespace temponet
{

/**
 * \ingroup temponet
 * \brief Training progress, reported after every optimiser step.
 */
struct TrainProgress
{
    size_t epoch{0};           //!< 1-based epoch.
    size_t epochs{0};          //!< Most epochs.
    size_t step{0};            //!< Step within the epoch, 1-based.
    size_t steps{0};           //!< Steps per epoch.
    double loss{0};            //!< Mean NLL per event of the last step (all heads).
    double eventsPerSecond{0}; //!< Training throughput so far.
    double etaSeconds{0};      //!< Estimated time to the last epoch's end.
    bool epochEnd{false};      //!< True once per epoch, after validation.
    double valNll{0};          //!< Validation NLL per event (valid when epochEnd).
};

/// Epochs over which TrainOptions::sampledHistory ramps up from 0 (the first
/// epoch is teacher-forced: an untrained model's samples are noise).
constexpr size_t kSampledHistoryRamp = 2;

/**
 * \ingroup temponet
 * \brief Options of Train().
 */
struct TrainOptions
{
    ModelSizes sizes;             //!< Network sizes.
    EncodingOptions encoding;     //!< Encoding options.
    size_t epochs{40};            //!< Most epochs.
    size_t patience{6};           //!< Epochs without validation gain before stopping.
    size_t batch{32};             //!< Windows per step.
    size_t window{128};           //!< Events per window (L).
    size_t burnIn{16};            //!< Leading events of a window used only as history.
    size_t maxStepsPerEpoch{400}; //!< Cap on steps per epoch (0: no cap).
    /// Fewest steps per epoch: a trace shorter than that many batches of
    /// windows is passed over several times per epoch, so patience and the
    /// validation cadence mean about the same on every trace size (0 or 1:
    /// one pass). maxStepsPerEpoch, when set, still caps it.
    size_t minStepsPerEpoch{50};
    double learningRate{3e-3}; //!< Adam learning rate at the start.
    /// Most drops of the learning rate, each by lrDropFactor, taken when
    /// half the patience has passed without a validation gain (0: none).
    size_t lrDrops{2};
    double lrDropFactor{1.0 / 3.0}; //!< See lrDrops.
    double clipNorm{1.0};           //!< Gradient norm clipping.
    double valFraction{0.2};        //!< Last part of the time span used for validation.
    size_t primeEvents{2048};       //!< History run before scoring validation events.
    uint64_t seed{1};               //!< Seeds weights and window order.
    int threads{1};                 //!< LibTorch intra-op threads.
    bool fixedWeights{false};       //!< Fixed loss weights 1 instead of learned ones.
    /// Scheduled sampling: the share of a window's history events replaced by
    /// the model's own one-step samples (0: teacher forcing only). It ramps up
    /// over the first kSampledHistoryRamp epochs; targets stay the real events.
    double sampledHistory{0.0};
    std::string checkpointPath; //!< Where checkpoints go ("" for none).
    size_t checkpointEvery{0};  //!< Steps between checkpoints (0: end of each epoch).
    std::string resumePath;     //!< Checkpoint to resume from ("" to start anew).
    size_t stopAfterSteps{0};   //!< Stop (and checkpoint) after this many steps in all (0: no).
    std::function<void(const TrainProgress&)> progress; //!< Called after each step.
};

/**
 * \ingroup temponet
 * \brief What Train() returns: the best model (by validation NLL) and the
 * validation NLLs of it and of both baselines on the same events.
 */
struct TrainResult
{
    /// \param best the best model.
    explicit TrainResult(TempoNetModel best)
        : model(std::move(best))
    {
    }

    TempoNetModel model;            //!< Best model.
    NllReport val;                  //!< Its validation NLL.
    NllReport valPoissonMarginal;   //!< Poisson + marginals baseline, same events.
    NllReport valMarkov;            //!< Markov baseline, same events.
    size_t trainEvents{0};          //!< Events in the training part.
    size_t valEvents{0};            //!< Events in the validation part.
    size_t epochs{0};               //!< Epochs run.
    size_t bestEpoch{0};            //!< Epoch of the best model.
    double eventsPerSecond{0};      //!< Training throughput (events predicted per second).
    double wallSeconds{0};          //!< Training wall time.
    std::vector<double> valHistory; //!< Validation NLL per event, per epoch.
    bool stoppedEarly{false};       //!< Stopped by patience.
    bool interrupted{false};        //!< Stopped by stopAfterSteps (checkpoint written).
};

/**
 * Trains TempoNet on a time-sorted table: the encoding is fitted on the
 * first (1 - valFraction) of the time span, the rest validates. Windows of
 * L events, mini-batches, Adam, gradient clipping, learned (Kendall)
 * uncertainty weights per head unless fixedWeights, early stopping,
 * checkpoints, and exact resumption. Deterministic for a given seed and
 * thread count.
 * \param input the events.
 * \param options options.
 * \param provenance stored in the model's metadata ("provenance").
 * \throws std::invalid_argument when the input is too small to train on.
 */
TrainResult Train(const EventTable& input,
                  const TrainOptions& options,
                  const nlohmann::json& provenance);

} // namespace temponet
} // namespace ns3

#endif /* TEMPONET_TRAINER_H */
