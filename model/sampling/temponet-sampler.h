/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef TEMPONET_SAMPLER_H
#define TEMPONET_SAMPLER_H

#include "temponet-event-table.h"
#include "temponet-trace-event.h"

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>

namespace ns3
{
namespace temponet
{

/**
 * \ingroup temponet
 * \brief Per-flow TCP state that keeps generated TCP flags in a plausible
 * order, repairing (and counting) the flags that would be impossible.
 *
 * A flow is a 5-tuple in either direction. States: Unknown (never seen: a
 * trace may start in the middle of a connection, so anything goes),
 * Handshake (a SYN was seen), Open (a packet without SYN was seen), Closed
 * (a RST was seen, or a FIN from both sides).
 *
 * Rules, applied to TCP events (proto 6) in time order:
 * - SYN without ACK starts a connection: allowed in Unknown, Handshake
 *   (retransmission) and Closed; on an Open connection the SYN bit is
 *   cleared and ACK set ("tcp syn on an open connection: syn cleared").
 * - SYN with ACK is allowed in Unknown and Handshake; elsewhere the SYN bit
 *   is cleared ("tcp syn-ack on an open connection: syn cleared").
 * - On a Closed connection only a new SYN, another RST, or a pure ACK or
 *   FIN-ACK (no PSH: the end of a teardown) may follow; any other packet
 *   becomes a SYN, the first packet of a new connection ("tcp packet after
 *   close: made a syn").
 * - Flags -1 on TCP become ACK ("tcp flags missing: ack set"); flags on other
 *   protocols become -1 ("tcp flags on a non-tcp packet: cleared"), so the
 *   CSV and the pcap of one run carry identical flags.
 *
 * Hence, for every flow: SYN before data (a data packet never precedes a
 * SYN on the same connection unless the connection was already running when
 * the trace started), and FIN/RST last (nothing but a new connection follows
 * a close).
 */
class TcpFlowRepair
{
  public:
    /**
     * Checks and repairs \p e (its flags only), then advances its flow's state.
     * \return true if \p e was changed.
     */
    bool Apply(TraceEvent& e);

    /// Advances \p e's flow state without repairing or counting (real events).
    void Observe(const TraceEvent& e);

    /// \return reason to count of repaired events.
    const std::map<std::string, uint64_t>& Repairs() const
    {
        return m_repairs;
    }

    /// \return the number of repaired events.
    uint64_t RepairCount() const;

    /// Forgets every flow and count.
    void Clear();

    /// Flow states.
    enum class State : uint8_t
    {
        Unknown,   //!< Not seen yet.
        Handshake, //!< SYN seen.
        Open,      //!< Data or ACK seen.
        Closed,    //!< RST, or FIN from both sides.
    };

    /**
     * The state machine without repair, for checks.
     * \param state the flow's state (updated).
     * \param finMask bit 0: FIN seen from the side that opened; bit 1: from the other (updated).
     * \param forward whether the packet goes in the flow's first-seen direction.
     * \param flags the TCP flag byte.
     * \return false if the packet is impossible in \p state; the state
     * advances either way.
     *
     * On a Closed flow, a SYN, a RST, or an ACK or FIN-ACK without PSH
     * (teardown acknowledgements) are possible; nothing else is.
     */
    static bool Step(State& state, uint8_t& finMask, bool forward, int flags);

  private:
    /// A flow's state.
    struct Flow
    {
        IpAddr a;                    //!< First-seen source.
        int32_t aPort{-1};           //!< First-seen source port.
        State state{State::Unknown}; //!< Connection state.
        uint8_t fin{0};              //!< FIN seen per side.
    };

    /// \return the direction-free key of \p e's 5-tuple.
    static std::string KeyOf(const TraceEvent& e);

    std::unordered_map<std::string, Flow> m_flows; //!< Per-flow state.
    std::map<std::string, uint64_t> m_repairs;     //!< Repairs by reason.
};

/**
 * Eta truncation of a categorical distribution (Hewitt, Manning and Liang,
 * "Truncation Sampling as Language Model Desmoothing", 2022): the outcomes
 * whose probability is below eta' = min(eta, sqrt(eta) exp(-H)), H the
 * entropy of \p p in nats, are set to 0; the most likely outcome is always
 * kept. A trained model gives every outcome some probability in every
 * context; drawn thousands of times in a row, those never-observed outcomes
 * happen and a free-running generator leaves the regime it is in. A peaked
 * distribution loses its tail below eta; a broad one (high H) keeps all.
 * \param p unnormalised non-negative weights, changed in place (not renormalised).
 * \param eta the truncation level in [0, 1); 0 keeps everything.
 * \return the number of outcomes set to 0.
 */
size_t EtaTruncate(std::vector<double>& p, double eta);

/**
 * \ingroup temponet
 * \brief A generator of events, one at a time: TempoNet (TorchSampler) or a
 * baseline (PoissonMarginalSampler, ReplaySampler), interchangeable so that
 * every comparison is side by side.
 *
 * Times are UTC seconds since the epoch. Randomness comes only from ns-3
 * RandomVariableStreams: RngSeedManager::SetSeed/SetRun and AssignStreams()
 * make every sequence reproducible.
 *
 * Usage: Reset(start) (or Prime(prefix) then SetTime(start)), then Next()
 * repeatedly. Next() returns events with non-decreasing times, TCP flags
 * checked by a TcpFlowRepair (see Repairs()).
 */
class Sampler
{
  public:
    virtual ~Sampler();

    /**
     * Forgets the history; the next event is the first after \p start.
     * \param start calendar start time, UTC seconds since the epoch.
     */
    void Reset(double start);

    /**
     * Forgets the history, then warms it with real events: the sampler
     * continues after them, at the time of the last one.
     * \param prefix time-sorted real events of the same kind.
     */
    void Prime(const EventTable& prefix);

    /// Moves the clock to \p t (UTC seconds) without changing the history.
    void SetTime(double t);

    /// \return the time of the last event (or of the clock), UTC seconds.
    double Now() const
    {
        return m_now;
    }

    /// \return the next event; its time is at or after Now(), which it advances.
    TraceEvent Next();

    /**
     * Sets the rate scale: gaps are divided by \p scale when applied, so the
     * event rate is multiplied by it; the marks' distribution is unchanged.
     */
    void SetRateScale(double scale);

    /// \return the rate scale.
    double RateScale() const
    {
        return m_rateScale;
    }

    /// Switches the TCP flag repair on or off (on by default).
    void SetTcpRepair(bool on)
    {
        m_tcpRepairOn = on;
    }

    /// \return the TCP flag repairs made since the last Reset()/Prime().
    const TcpFlowRepair& Repairs() const
    {
        return m_tcp;
    }

    /**
     * Fixes the random variable streams used, starting at \p stream.
     * \return the number of streams used.
     */
    virtual int64_t AssignStreams(int64_t stream) = 0;

    /// \return packets or flows.
    virtual TraceKind Kind() const = 0;

    /// \return a short name for reports ("temponet", "poisson", "replay").
    virtual std::string Name() const = 0;

  protected:
    Sampler();

    /**
     * Draws the next event.
     * \param now the current time, UTC seconds.
     * \param rateScale divide model gaps by this.
     * \return the event, with its absolute time.
     */
    virtual TraceEvent DoNext(double now, double rateScale) = 0;

    /// Clears the history; \p start is the new clock.
    virtual void DoReset(double start) = 0;

    /// Feeds the real events of \p prefix into the history (after DoReset).
    virtual void DoPrime(const EventTable& prefix) = 0;

  private:
    double m_now{0};          //!< Clock, UTC seconds.
    double m_rateScale{1};    //!< Rate multiplier.
    bool m_tcpRepairOn{true}; //!< Whether Next() repairs TCP flags.
    TcpFlowRepair m_tcp;      //!< TCP flag state and repair counts.
};

} // namespace temponet
} // namespace ns3

#endif /* TEMPONET_SAMPLER_H */
