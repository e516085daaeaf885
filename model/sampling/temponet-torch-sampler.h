/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef TEMPONET_TORCH_SAMPLER_H
#define TEMPONET_TORCH_SAMPLER_H

#include "temponet-generate.h"
#include "temponet-model.h"
#include "temponet-sampler.h"

#include <memory>
#include <utility>
#include <vector>

namespace ns3
{
namespace temponet
{

/**
 * \ingroup temponet
 * \brief The reference TempoNet sampler: runs the model's LibTorch network one
 * GRU step per event.
 *
 * For each event: the gap from the log-normal mixture (in the model's own
 * time; divided by the rate scale when applied), then the continuation mark
 * (labels whose FlowCache slot is empty are masked and the rest
 * renormalised; continuing a flow fixes src, dst, proto and ports), then the
 * remaining fields in chain order. Tokens with no training event (an empty
 * bucket, an unused "not applicable") are never drawn. Port and flag tokens
 * are constrained to
 * the protocol: a TCP/UDP/SCTP packet gets no "not applicable" port, other
 * protocols only it; TCP gets no "not applicable" flags, other protocols
 * only it (masked and renormalised). Bucket tokens (rare hosts, port ranges,
 * numeric bins) are resolved with Vocabulary::Draw, i.e. from the model's
 * stored pools of training values. Calendar features are those of the
 * event's output (UTC) time; activity features those of the model's own
 * history, in model time. Most draws are eta-truncated first (SetEta());
 * masks are applied after it.
 *
 * Randomness: a UniformRandomVariable (mixture component, labels, tokens,
 * pool draws) and a NormalRandomVariable (the log gap): AssignStreams uses 2.
 */
class TorchSampler : public Sampler
{
  public:
    /// \param model the model; must outlive the sampler.
    explicit TorchSampler(const TempoNetModel& model);
    ~TorchSampler() override;

    /**
     * Sets the eta truncation (EtaTruncate()) applied before the draws of
     * the gap's mixture component, the continuation mark and (unless
     * SetTruncateMarks(false)) the source host, protocol, ports, TCP flags
     * and TTL; 0 switches it off. The
     * destination host and the numeric fields (size, duration, packets,
     * bytes) keep the full learned conditional. Default: ModelEta().
     */
    void SetEta(double eta);

    /// \return the eta truncation level.
    double Eta() const;

    /**
     * Whether the eta truncation also applies to the marks (source host,
     * protocol, ports, TCP flags, TTL) or only to the gap's mixture
     * component and the continuation mark. Default: ModelTruncatesMarks().
     */
    void SetTruncateMarks(bool marks);

    /// \return whether the eta truncation applies to the marks.
    bool TruncatesMarks() const;

    /**
     * \return whether \p model's eta truncation applies to the marks, as
     * ChooseEta() found (metadata "sampling": {"truncate_marks": ...}), or
     * true.
     * \throws std::invalid_argument if that metadata is not a boolean.
     */
    static bool ModelTruncatesMarks(const TempoNetModel& model);

    /// The eta truncation level of a model whose file does not name one.
    static constexpr double kDefaultEta = 0.02;

    /**
     * \return the eta truncation level \p model was given by ChooseEta()
     * (metadata "sampling": {"eta": ...}), or kDefaultEta.
     * \throws std::invalid_argument if that metadata is not a number in [0, 1).
     */
    static double ModelEta(const TempoNetModel& model);

    /// The range of a model's rate calibration (CalibrateRate()): beyond it
    /// the model is wrong in kind, not in rate.
    static constexpr double kMinRateCalibration = 0.5;
    static constexpr double kMaxRateCalibration = 2.0; //!< See kMinRateCalibration.

    /**
     * \return the rate scale CalibrateRate() gave \p model (metadata
     * "sampling": {"rate_scale": ...}), or 1. The sampler multiplies the
     * rate scale it is asked for (the RateScale attribute, --rate-scale) by
     * it: the gaps drawn in the model's own time are divided by both.
     * \throws std::invalid_argument if that metadata is not a number in
     * [kMinRateCalibration, kMaxRateCalibration].
     */
    static double ModelRateScale(const TempoNetModel& model);

    int64_t AssignStreams(int64_t stream) override;
    TraceKind Kind() const override;
    std::string Name() const override;

  protected:
    TraceEvent DoNext(double now, double rateScale) override;
    void DoReset(double start) override;
    void DoPrime(const EventTable& prefix) override;

  private:
    struct State;                   //!< LibTorch state, defined in the .cc.
    std::unique_ptr<State> m_state; //!< Network, GRU state, flow cache, streams.
};

/**
 * \ingroup temponet
 * \brief What ChooseEta() measured.
 */
struct EtaChoice
{
    /// One candidate's free run.
    struct Trial
    {
        double eta{0};            //!< Its truncation level.
        bool truncateMarks{true}; //!< Whether the marks were truncated too.
        FreeRunReport report;     //!< Its free run.
    };

    double eta{0};            //!< The chosen truncation level.
    bool truncateMarks{true}; //!< Whether it applies to the marks.
    FreeRunReport report;     //!< Its free run.
    std::vector<Trial> tried; //!< Every candidate's free run, in order.
};

/**
 * Chooses the eta truncation level of \p model by its free-running output:
 * for each candidate, TorchSamplers at that level run free over the real
 * window [cut, n) of \p input (CheckFreeRunning(), FreeRunRepeats() runs
 * averaged by MeanFreeRun(), streams from 0, the current RngSeed and
 * RngRun) and score their mean rate log-ratio plus host-pair JSD. Of the
 * levels within one standard error of the real count (1 / sqrt(n + 1), as
 * a log ratio) of the best score, the most truncating wins: the window
 * cannot tell them apart, and truncation is what holds a regime over a run
 * longer than the window. A truncating winner is then run once more with
 * the marks left whole (SetTruncateMarks()) and keeps that if it scores
 * lower by more than that noise: truncation holds a regime by its gaps and
 * flows, but on a trace of many hosts and ports it also thins their tails.
 * The levels run on the model as trained: the metadata "sampling" (an earlier rate calibration
 * too) is replaced by the chosen level, so TorchSampler uses it by default
 * once the model is saved and loaded.
 * \throws std::invalid_argument if \p candidates is empty or the window is.
 */
EtaChoice ChooseEta(TempoNetModel& model,
                    const EventTable& input,
                    size_t cut,
                    size_t primeEvents,
                    const std::vector<double>& candidates = {0.0, 0.02, 0.05});

/**
 * \ingroup temponet
 * \brief What CalibrateRate() measured.
 */
struct RateCalibration
{
    double rateScale{1.0}; //!< The model's rate scale (1: none).
    FreeRunReport before;  //!< The free run without it.
    FreeRunReport after;   //!< The free run with it (before when it is 1).
};

/**
 * Calibrates the event rate of \p model (at its eta level) to the real
 * window [cut, n) of \p input. A likelihood-trained model run on its own
 * output drifts in rate (exposure bias: DARPA'99's free run gave 1.3 times
 * the real count); the gaps of the free run (CheckFreeRunning(), the mean
 * of FreeRunRepeats() runs, streams from 0) are then all scaled by one
 * factor, the model's rate scale, so the count matches. Only the part of
 * the log count ratio beyond two standard errors of the real count
 * (Poisson's, or the runs' spread of log counts where that is larger) is
 * corrected, within
 * [kMinRateCalibration, kMaxRateCalibration]. Written to the model's
 * metadata ("sampling": {"rate_scale": ...}; removed when 1), so
 * TorchSampler applies it once the model is saved and loaded.
 * \param uncalibrated the free run of \p model as it is (no rate scale),
 * when already measured with the same streams (ChooseEta()'s report), or
 * nullptr to run it.
 * \throws std::invalid_argument if the window or the prefix is empty.
 */
RateCalibration CalibrateRate(TempoNetModel& model,
                              const EventTable& input,
                              size_t cut,
                              size_t primeEvents,
                              const FreeRunReport* uncalibrated = nullptr);

} // namespace temponet
} // namespace ns3

#endif /* TEMPONET_TORCH_SAMPLER_H */
