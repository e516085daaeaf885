/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef TEMPONET_GENERATOR_H
#define TEMPONET_GENERATOR_H

#include "temponet-application.h"
#include "temponet-trace-event.h"

#include "ns3/event-id.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <unordered_map>

namespace ns3
{

namespace temponet
{
class Sampler;
class TempoNetModel;
} // namespace temponet

/**
 * \ingroup temponet
 * \brief Runs a TempoNet model's point process on the ns-3 scheduler and
 * hands every sampled event to the application of its source host.
 *
 * The generator starts when the first of its applications starts: that
 * simulated instant is the calendar time \c StartTime (UTC). Each event is
 * sampled when the previous one fires, scheduled at its own time, and then
 * dispatched: the \c Event trace source fires with the event as sampled
 * (model addresses), the destination's application prepares (listens on
 * the sampled port) and the source's application sends, both through
 * Simulator::ScheduleWithContext with their node's id. The generator stops
 * when all its applications have stopped, at \c StopTime, or after
 * \c MaxEvents events, leaving nothing scheduled.
 *
 * Hosts: AddHost maps a model address to an application and the simulated
 * address that stands for it. Events from or to an unmapped host go to
 * the gateway's application and address when a gateway is set, else they
 * are dropped and counted. IPv6 events, multicast and broadcast
 * destinations, and events whose two ends are on one node are skipped and
 * counted (GetCounts()).
 *
 * The events fired by \c Event are exactly those of `temponet generate`
 * with the same model, start, rate scale, RngSeed, RngRun and first stream
 * (--stream), over the same span.
 */
class TempoNetGenerator : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    TempoNetGenerator();
    ~TempoNetGenerator() override;

    /// Uses \p model (shared, e.g. by a helper) instead of loading \c ModelFile.
    void SetModel(std::shared_ptr<const temponet::TempoNetModel> model);

    /// Uses \p sampler (e.g. a baseline) instead of the model's TorchSampler.
    void SetSampler(std::unique_ptr<temponet::Sampler> sampler);

    /// \return the sampler (loading \c ModelFile first if needed).
    temponet::Sampler& GetSampler();

    /// Maps model host \p host onto \p app, whose node owns \p address.
    void AddHost(const temponet::IpAddr& host, Ptr<TempoNetApplication> app, Ipv4Address address);

    /// Sends unmapped hosts' events from, or to, \p app at \p address.
    void SetGateway(Ptr<TempoNetApplication> app, Ipv4Address address);

    /**
     * Fixes the random variable streams of the sampler, starting at \p stream.
     * \return the number of streams used.
     */
    int64_t AssignStreams(int64_t stream);

    /// \return the calendar start time, UTC seconds (valid once started).
    double GetCalendarStart() const
    {
        return m_calendarStart;
    }

    /// \return the number of events sampled and fired.
    uint64_t GetEventCount() const
    {
        return m_fired;
    }

    /// \return counts by reason of the events not handed to an application.
    const std::map<std::string, uint64_t>& GetCounts() const
    {
        return m_counts;
    }

    /// Called by an application when it starts: the first start starts the process.
    void NotifyStart(Ptr<TempoNetApplication> app);

    /// Called by an application when it stops: the last stop ends the process.
    void NotifyStop(Ptr<TempoNetApplication> app);

    /// TCP: a client bound its socket; its server may now accept it.
    void NotifyConnecting(Ptr<TempoNetTcpFlow> flow);

    /**
     * TCP: the flow an accepting server socket belongs to.
     * \return the flow, or null if none waits for that peer.
     */
    Ptr<TempoNetTcpFlow> ClaimAccepted(Ipv4Address client,
                                       uint16_t clientPort,
                                       uint16_t serverPort);

    /**
     * TracedCallback signature for a sampled event.
     * \param event the event, with the model's addresses and calendar time.
     */
    typedef void (*EventTracedCallback)(const temponet::TraceEvent& event);

  protected:
    void DoDispose() override;

  private:
    /// The endpoint a model host stands for.
    struct Endpoint
    {
        Ptr<TempoNetApplication> app; //!< The application.
        Ipv4Address address;          //!< The simulated address.
    };

    /// Starts the process at the current simulated time.
    void Start();
    /// Stops the process.
    void Stop();
    /// Samples the next event and schedules it.
    void ScheduleNext();
    /// Fires \p event: trace, dispatch, next.
    void Fire(const temponet::TraceEvent& event);
    /// Hands \p event to the applications of its ends.
    void Dispatch(const temponet::TraceEvent& event);
    /// Finds the TCP flow of \p order's event (packet models); false to skip it.
    bool AssignTcpFlow(TempoNetOrder& order);
    /// \return the endpoint of model host \p host, or null app if unmapped and no gateway.
    Endpoint Resolve(const temponet::IpAddr& host) const;

    /// Increments counter \p reason.
    void Count(const std::string& reason)
    {
        ++m_counts[reason];
    }

    std::string m_modelFile;      //!< Model file (attribute).
    std::string m_startTime;      //!< Calendar start (attribute).
    std::string m_primeFile;      //!< Real trace to prime with (attribute).
    uint32_t m_primeEvents{2048}; //!< Its tail's events used (attribute).
    double m_rateScale{1};        //!< Rate scale (attribute).
    double m_eta{-1};             //!< Eta truncation (attribute).
    uint64_t m_maxEvents{0};      //!< Most events (attribute).
    Time m_stopTime;              //!< Stop time (attribute).
    std::shared_ptr<const temponet::TempoNetModel> m_model; //!< The model.
    std::unique_ptr<temponet::Sampler> m_sampler;           //!< The sampler.
    std::unordered_map<temponet::IpAddr, Endpoint> m_hosts; //!< Model host to endpoint.
    Endpoint m_gateway;                                     //!< Unmapped hosts' endpoint.
    std::map<Ptr<TempoNetApplication>, bool> m_apps;        //!< Applications, running or not.
    bool m_started{false};                                  //!< Started once.
    bool m_stopped{false};                                  //!< Stopped.
    Time m_simStart;                                        //!< Simulated start.
    double m_calendarStart{0};                              //!< Calendar start, UTC s.
    EventId m_next;                                         //!< The scheduled next event.
    uint64_t m_fired{0};                                    //!< Events fired.
    std::map<std::string, uint64_t> m_counts;               //!< Skips by reason.
    /// Open TCP flows by direction-free model 5-tuple.
    std::map<std::tuple<temponet::IpAddr, int32_t, temponet::IpAddr, int32_t>, Ptr<TempoNetTcpFlow>>
        m_flows;
    /// Flows whose client is connecting, by (client address, client port, server port).
    std::map<std::tuple<uint32_t, uint16_t, uint16_t>, Ptr<TempoNetTcpFlow>> m_connecting;

    TracedCallback<const temponet::TraceEvent&> m_eventTrace; //!< Every sampled event.
};

} // namespace ns3

#endif /* TEMPONET_GENERATOR_H */
