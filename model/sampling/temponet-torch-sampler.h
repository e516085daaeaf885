/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef TEMPONET_TORCH_SAMPLER_H
#define TEMPONET_TORCH_SAMPLER_H

#include "temponet-model.h"
#include "temponet-sampler.h"

#include <memory>

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
     * the gap's mixture component, the continuation mark and the source
     * host, protocol, ports, TCP flags and TTL; 0 switches it off. The
     * destination host and the numeric fields (size, duration, packets,
     * bytes) keep the full learned conditional. Default kDefaultEta.
     */
    void SetEta(double eta);

    /// \return the eta truncation level.
    double Eta() const;

    /// The default eta truncation level (see doc/temponet.rst, Generation).
    static constexpr double kDefaultEta = 0.02;

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

} // namespace temponet
} // namespace ns3

#endif /* TEMPONET_TORCH_SAMPLER_H */
