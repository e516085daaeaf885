/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "temponet-generator.h"

#include "temponet-address.h"
#include "temponet-model.h"
#include "temponet-time-format.h"
#include "temponet-torch-runtime.h"
#include "temponet-torch-sampler.h"
#include "temponet-trace-format.h"

#include "ns3/double.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("TempoNetGenerator");

NS_OBJECT_ENSURE_REGISTERED(TempoNetGenerator);

namespace
{

/// TCP flag bits.
constexpr int kFin = 0x01;
constexpr int kSyn = 0x02;
constexpr int kRst = 0x04;
constexpr int kAck = 0x10;

} // namespace

TypeId
TempoNetGenerator::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::TempoNetGenerator")
            .SetParent<Object>()
            .SetGroupName("TempoNet")
            .AddConstructor<TempoNetGenerator>()
            .AddAttribute("ModelFile",
                          "TempoNet model file (.tpn); unused when a helper sets the model.",
                          StringValue(""),
                          MakeStringAccessor(&TempoNetGenerator::m_modelFile),
                          MakeStringChecker())
            .AddAttribute("PrimeFile",
                          "A real trace (any format temponet reads) whose last PrimeEvents "
                          "events warm the model's history before the first event, as "
                          "`temponet generate --prime` does; its last event's time is the "
                          "default StartTime. Empty (default): start from an empty history.",
                          StringValue(""),
                          MakeStringAccessor(&TempoNetGenerator::m_primeFile),
                          MakeStringChecker())
            .AddAttribute("PrimeEvents",
                          "Events of PrimeFile's tail that warm the history.",
                          UintegerValue(2048),
                          MakeUintegerAccessor(&TempoNetGenerator::m_primeEvents),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("StartTime",
                          "Calendar time (ISO 8601, UTC unless an offset is given) of the "
                          "instant the first application starts; empty: the end of the "
                          "model's training data.",
                          StringValue(""),
                          MakeStringAccessor(&TempoNetGenerator::m_startTime),
                          MakeStringChecker())
            .AddAttribute("RateScale",
                          "Multiplies the event rate; the marks' distribution is kept. A TempoNet "
                          "model's own rate calibration (temponet info) applies on top.",
                          DoubleValue(1.0),
                          MakeDoubleAccessor(&TempoNetGenerator::m_rateScale),
                          MakeDoubleChecker<double>(1e-9))
            .AddAttribute("Eta",
                          "Eta truncation of the distributions the model draws from, in "
                          "[0, 1) (0: none); negative (default -1): the level the model "
                          "was trained with (TorchSampler::ModelEta).",
                          DoubleValue(-1.0),
                          MakeDoubleAccessor(&TempoNetGenerator::m_eta),
                          MakeDoubleChecker<double>(-1.0, 0.999999))
            .AddAttribute("MaxEvents",
                          "Most events sampled (0: no limit).",
                          UintegerValue(0),
                          MakeUintegerAccessor(&TempoNetGenerator::m_maxEvents),
                          MakeUintegerChecker<uint64_t>())
            .AddAttribute("StopTime",
                          "Simulated time after which nothing is sampled (0: when the "
                          "applications stop).",
                          TimeValue(Seconds(0)),
                          MakeTimeAccessor(&TempoNetGenerator::m_stopTime),
                          MakeTimeChecker())
            .AddTraceSource("Event",
                            "An event as sampled: model addresses, calendar time.",
                            MakeTraceSourceAccessor(&TempoNetGenerator::m_eventTrace),
                            "ns3::TempoNetGenerator::EventTracedCallback");
    return tid;
}

TempoNetGenerator::TempoNetGenerator()
{
    NS_LOG_FUNCTION(this);
}

TempoNetGenerator::~TempoNetGenerator()
{
    NS_LOG_FUNCTION(this);
}

void
TempoNetGenerator::DoDispose()
{
    NS_LOG_FUNCTION(this);
    Simulator::Cancel(m_next);
    m_hosts.clear();
    m_gateway = Endpoint{};
    m_apps.clear();
    m_flows.clear();
    m_connecting.clear();
    m_sampler.reset();
    m_model.reset();
    Object::DoDispose();
}

void
TempoNetGenerator::SetModel(std::shared_ptr<const temponet::TempoNetModel> model)
{
    NS_LOG_FUNCTION(this);
    NS_ABORT_MSG_IF(m_started, "TempoNetGenerator: the model cannot change once started");
    m_model = std::move(model);
    // One LibTorch thread: the same draws whatever the machine.
    temponet::TorchRuntime::SetThreads(1);
    m_sampler = std::make_unique<temponet::TorchSampler>(*m_model);
}

void
TempoNetGenerator::SetSampler(std::unique_ptr<temponet::Sampler> sampler)
{
    NS_LOG_FUNCTION(this);
    NS_ABORT_MSG_IF(m_started, "TempoNetGenerator: the sampler cannot change once started");
    m_sampler = std::move(sampler);
}

temponet::Sampler&
TempoNetGenerator::GetSampler()
{
    if (!m_sampler)
    {
        NS_ABORT_MSG_IF(m_modelFile.empty(),
                        "TempoNetGenerator: no model: set the ModelFile attribute or use "
                        "TempoNetHelper");
        try
        {
            SetModel(std::make_shared<const temponet::TempoNetModel>(
                temponet::TempoNetModel::Load(m_modelFile)));
        }
        catch (const std::exception& e)
        {
            NS_FATAL_ERROR("TempoNetGenerator: " << e.what());
        }
    }
    return *m_sampler;
}

void
TempoNetGenerator::AddHost(const temponet::IpAddr& host,
                           Ptr<TempoNetApplication> app,
                           Ipv4Address address)
{
    NS_LOG_FUNCTION(this << host.ToString() << app << address);
    m_hosts[host] = Endpoint{app, address};
    m_apps.emplace(app, false);
    app->SetGenerator(this);
}

void
TempoNetGenerator::SetGateway(Ptr<TempoNetApplication> app, Ipv4Address address)
{
    NS_LOG_FUNCTION(this << app << address);
    m_gateway = Endpoint{app, address};
    if (app)
    {
        m_apps.emplace(app, false);
        app->SetGenerator(this);
    }
}

int64_t
TempoNetGenerator::AssignStreams(int64_t stream)
{
    NS_LOG_FUNCTION(this << stream);
    return GetSampler().AssignStreams(stream);
}

void
TempoNetGenerator::NotifyStart(Ptr<TempoNetApplication> app)
{
    NS_LOG_FUNCTION(this << app);
    m_apps[app] = true;
    if (!m_started)
    {
        Start();
    }
}

void
TempoNetGenerator::NotifyStop(Ptr<TempoNetApplication> app)
{
    NS_LOG_FUNCTION(this << app);
    m_apps[app] = false;
    for (const auto& [a, running] : m_apps)
    {
        if (running)
        {
            return;
        }
    }
    Stop();
}

void
TempoNetGenerator::Start()
{
    NS_LOG_FUNCTION(this);
    temponet::Sampler& sampler = GetSampler();
    m_started = true;
    m_simStart = Simulator::Now();
    temponet::EventTable prime;
    if (!m_primeFile.empty())
    {
        temponet::ReadReport report;
        try
        {
            temponet::ReadTrace(m_primeFile, std::nullopt, prime, report);
        }
        catch (const std::exception& e)
        {
            NS_FATAL_ERROR("TempoNetGenerator: PrimeFile: " << e.what());
        }
        NS_ABORT_MSG_IF(prime.Empty(),
                        "TempoNetGenerator: PrimeFile " << m_primeFile << " has no events");
        NS_ABORT_MSG_UNLESS(!m_model || prime.Kind() == m_model->GetEncoding().Kind(),
                            "TempoNetGenerator: PrimeFile " << m_primeFile
                                                            << " holds another kind of events "
                                                               "(packets or flows) than the model");
        const size_t keep = std::min<size_t>(prime.Size(), m_primeEvents);
        prime = prime.Rows(prime.Size() - keep, prime.Size());
    }
    if (!m_startTime.empty())
    {
        const auto t = temponet::ParseIso8601(m_startTime);
        NS_ABORT_MSG_UNLESS(t,
                            "TempoNetGenerator: StartTime '" << m_startTime
                                                             << "' is not an ISO 8601 date-time");
        m_calendarStart = *t;
    }
    else if (!prime.Empty())
    {
        m_calendarStart = prime.Ts().back();
    }
    else
    {
        NS_ABORT_MSG_UNLESS(m_model,
                            "TempoNetGenerator: set StartTime (a sampler without a "
                            "model has no training end)");
        const nlohmann::json& p = m_model->Meta().value("provenance", nlohmann::json::object());
        NS_ABORT_MSG_UNLESS(p.contains("data_end_ts") && p["data_end_ts"].is_number(),
                            "TempoNetGenerator: the model does not record the end of its "
                            "training data: set StartTime");
        m_calendarStart = p["data_end_ts"].get<double>();
    }
    sampler.SetRateScale(m_rateScale);
    auto* torch = dynamic_cast<temponet::TorchSampler*>(&sampler);
    if (torch != nullptr && m_eta >= 0.0)
    {
        torch->SetEta(m_eta);
    }
    if (prime.Empty())
    {
        sampler.Reset(m_calendarStart);
    }
    else
    {
        sampler.Prime(prime);
        sampler.SetTime(m_calendarStart);
    }
    NS_LOG_INFO("TempoNet process starts at " << temponet::FormatIso8601(m_calendarStart)
                                              << " (simulated " << m_simStart.As(Time::S) << ")");
    ScheduleNext();
}

void
TempoNetGenerator::Stop()
{
    NS_LOG_FUNCTION(this);
    m_stopped = true;
    Simulator::Cancel(m_next);
}

void
TempoNetGenerator::ScheduleNext()
{
    if (m_stopped || (m_maxEvents > 0 && m_fired >= m_maxEvents))
    {
        return;
    }
    const temponet::TraceEvent e = m_sampler->Next();
    const Time at = m_simStart + Seconds(e.ts - m_calendarStart);
    if (!m_stopTime.IsZero() && at >= m_stopTime)
    {
        m_stopped = true;
        return;
    }
    const Time delay = at > Simulator::Now() ? at - Simulator::Now() : Time(0);
    m_next = Simulator::Schedule(delay, &TempoNetGenerator::Fire, this, e);
}

void
TempoNetGenerator::Fire(const temponet::TraceEvent& event)
{
    ++m_fired;
    m_eventTrace(event);
    Dispatch(event);
    ScheduleNext();
}

TempoNetGenerator::Endpoint
TempoNetGenerator::Resolve(const temponet::IpAddr& host) const
{
    const auto it = m_hosts.find(host);
    return it != m_hosts.end() ? it->second : m_gateway;
}

void
TempoNetGenerator::Dispatch(const temponet::TraceEvent& event)
{
    if (!event.src.IsV4() || !event.dst.IsV4())
    {
        Count("ipv6 event: skipped");
        return;
    }
    const Ipv4Address modelDst = ToIpv4Address(event.dst);
    if (modelDst.IsMulticast() || modelDst.IsBroadcast())
    {
        Count("multicast or broadcast destination: skipped");
        return;
    }
    const Endpoint src = Resolve(event.src);
    const Endpoint dst = Resolve(event.dst);
    if (!src.app)
    {
        Count("unmapped source: dropped");
        return;
    }
    if (!dst.app)
    {
        Count("unmapped destination: dropped");
        return;
    }
    if (src.app == dst.app)
    {
        Count("source and destination on one node: skipped");
        return;
    }
    TempoNetOrder order;
    order.event = event;
    order.source = src.address;
    order.destination = dst.address;
    order.peer = dst.app;
    const bool packets = m_sampler->Kind() == temponet::TraceKind::Packets;
    if (packets && event.proto == 6 && !AssignTcpFlow(order))
    {
        return;
    }
    Simulator::ScheduleWithContext(dst.app->GetNode()->GetId(),
                                   Time(0),
                                   &TempoNetApplication::Prepare,
                                   dst.app,
                                   order);
    Simulator::ScheduleWithContext(src.app->GetNode()->GetId(),
                                   Time(0),
                                   &TempoNetApplication::Execute,
                                   src.app,
                                   order);
}

bool
TempoNetGenerator::AssignTcpFlow(TempoNetOrder& order)
{
    const temponet::TraceEvent& e = order.event;
    const int flags = e.tcpFlags < 0 ? kAck : e.tcpFlags;
    auto key = std::make_tuple(e.src, e.srcPort, e.dst, e.dstPort);
    if (std::make_pair(e.dst, e.dstPort) < std::make_pair(e.src, e.srcPort))
    {
        key = std::make_tuple(e.dst, e.dstPort, e.src, e.srcPort);
    }
    auto it = m_flows.find(key);
    Ptr<TempoNetTcpFlow> flow = it != m_flows.end() ? it->second : nullptr;
    const bool syn = (flags & kSyn) && !(flags & kAck);
    const bool payload = TempoNetTcpPayload(e) > 0;
    if (syn && flow && !flow->clientClosed && !flow->serverClosed)
    {
        Count("tcp syn retransmission: left to the stack");
        return false;
    }
    if (!syn && !flow)
    {
        if ((flags & (kRst | kFin)) || !payload)
        {
            Count("tcp packet of an unknown connection: left out");
            return false;
        }
    }
    if (syn || !flow)
    {
        // A new connection: opened by a SYN, or by the first data of a
        // connection that was running before the model's history.
        if (!syn)
        {
            Count("tcp connection without a syn: opened by its first data");
        }
        flow = Create<TempoNetTcpFlow>();
        flow->modelClient = e.src;
        flow->modelClientPort = e.srcPort;
        flow->client = Resolve(e.src).app;
        flow->server = order.peer;
        flow->clientAddress = order.source;
        flow->serverAddress = order.destination;
        flow->serverPort = static_cast<uint16_t>(e.dstPort);
        m_flows[key] = flow;
        order.opens = true;
    }
    order.flow = flow;
    order.fromClient = e.src == flow->modelClient && e.srcPort == flow->modelClientPort;
    if (flags & (kFin | kRst))
    {
        (order.fromClient ? flow->clientClosed : flow->serverClosed) = true;
        if ((flags & kRst) || (flow->clientClosed && flow->serverClosed))
        {
            m_flows.erase(key);
        }
    }
    return true;
}

void
TempoNetGenerator::NotifyConnecting(Ptr<TempoNetTcpFlow> flow)
{
    m_connecting[std::make_tuple(flow->clientAddress.Get(), flow->clientPort, flow->serverPort)] =
        flow;
}

Ptr<TempoNetTcpFlow>
TempoNetGenerator::ClaimAccepted(Ipv4Address client, uint16_t clientPort, uint16_t serverPort)
{
    const auto it = m_connecting.find(std::make_tuple(client.Get(), clientPort, serverPort));
    if (it == m_connecting.end())
    {
        return nullptr;
    }
    Ptr<TempoNetTcpFlow> flow = it->second;
    m_connecting.erase(it);
    return flow;
}

} // namespace ns3
