/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef TEMPONET_BASELINE_SAMPLERS_H
#define TEMPONET_BASELINE_SAMPLERS_H

#include "temponet-sampler.h"

#include <ns3/ptr.h>

#include <vector>

namespace ns3
{

class UniformRandomVariable;

namespace temponet
{

/**
 * \ingroup temponet
 * \brief Baseline: a homogeneous Poisson process at the training trace's
 * rate ((n - 1) / span events per second) with independent empirical
 * marginals of each field, drawn from the real values.
 *
 * src, dst, proto, size, TTL and the flow fields are drawn independently
 * from their marginals. Ports and TCP flags are drawn from their marginals
 * restricted to the values applicable to the drawn protocol (ports of
 * TCP/UDP/SCTP events for those protocols, "not applicable" otherwise;
 * flags of TCP events for TCP, none otherwise), so every event can be
 * written as a valid packet. History (Prime) only moves the clock.
 * Randomness: one UniformRandomVariable; AssignStreams uses 1.
 */
class PoissonMarginalSampler : public Sampler
{
  public:
    /// \param train the training trace (at least two events, time-sorted).
    explicit PoissonMarginalSampler(const EventTable& train);
    ~PoissonMarginalSampler() override;

    int64_t AssignStreams(int64_t stream) override;
    TraceKind Kind() const override;
    std::string Name() const override;

    /// \return the Poisson rate in events per second (before the rate scale).
    double Rate() const
    {
        return m_rate;
    }

  protected:
    TraceEvent DoNext(double now, double rateScale) override;
    void DoReset(double start) override;
    void DoPrime(const EventTable& prefix) override;

  private:
    /// An empirical distribution: distinct values and cumulative counts.
    struct Marginal
    {
        std::vector<int64_t> values; //!< Distinct values, ascending.
        std::vector<uint64_t> cumul; //!< Cumulative counts.

        /// Counts \p v.
        void Add(int64_t v);
        /// Builds cumul from the counts gathered by Add.
        void Finish();
        /// \return a value drawn with \p u in [0, 1) (-1 when empty).
        int64_t Draw(double u) const;

        std::vector<std::pair<int64_t, uint64_t>> counts; //!< Gathered (value, count).
    };

    /// \return a draw from \p m.
    int64_t DrawFrom(const Marginal& m);

    TraceKind m_kind;                     //!< Packets or flows.
    std::vector<IpAddr> m_hosts;          //!< Training host table.
    double m_rate{1};                     //!< Events per second.
    Marginal m_src;                       //!< Source host indices.
    Marginal m_dst;                       //!< Destination host indices.
    Marginal m_proto;                     //!< Protocols.
    Marginal m_srcPort;                   //!< Applicable source ports.
    Marginal m_dstPort;                   //!< Applicable destination ports.
    Marginal m_size;                      //!< Sizes (incl. -1).
    Marginal m_flags;                     //!< Flags of TCP events.
    Marginal m_ttl;                       //!< TTLs (incl. -1).
    Marginal m_duration;                  //!< Durations in microseconds (-1: NaN).
    Marginal m_packets;                   //!< Flow packets (incl. -1).
    Marginal m_bytes;                     //!< Flow bytes (incl. -1).
    Ptr<UniformRandomVariable> m_uniform; //!< The stream.
};

/**
 * \ingroup temponet
 * \brief Baseline: the training trace replayed from a chosen offset,
 * time-shifted to the start time and looped.
 *
 * The event at or after (first time + offset) comes first, at the start
 * time; the following ones keep their real gaps (divided by the rate
 * scale); after the last event the replay continues with the first, one
 * mean gap ((span) / (n - 1)) later. Marks are replayed as they are.
 * Deterministic: uses no random stream (AssignStreams returns 0). Prime only
 * moves the clock. TCP repair is off by default (real flags are replayed).
 */
class ReplaySampler : public Sampler
{
  public:
    /**
     * \param train the trace to replay (at least two events, time-sorted).
     * \param offset seconds after its first event where the replay starts.
     */
    ReplaySampler(const EventTable& train, double offset = 0);

    int64_t AssignStreams(int64_t stream) override;
    TraceKind Kind() const override;
    std::string Name() const override;

  protected:
    TraceEvent DoNext(double now, double rateScale) override;
    void DoReset(double start) override;
    void DoPrime(const EventTable& prefix) override;

  private:
    const EventTable& m_train; //!< The replayed trace (must outlive the sampler).
    size_t m_first{0};         //!< Index of the first replayed event.
    size_t m_next{0};          //!< Index of the next event.
    bool m_started{false};     //!< Whether an event was replayed since the reset.
    double m_meanGap{1};       //!< Gap used when looping, seconds.
};

} // namespace temponet
} // namespace ns3

#endif /* TEMPONET_BASELINE_SAMPLERS_H */
