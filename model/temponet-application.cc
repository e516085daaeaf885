/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "temponet-application.h"

#include "temponet-generator.h"

#include "ns3/icmpv4.h"
#include "ns3/ipv4-header.h"
#include "ns3/ipv4-raw-socket-factory.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/tcp-socket-factory.h"
#include "ns3/trace-source-accessor.h"
#include "ns3/udp-socket-factory.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cmath>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("TempoNetApplication");

NS_OBJECT_ENSURE_REGISTERED(TempoNetApplication);

namespace
{

constexpr int kFin = 0x01;
constexpr int kRst = 0x04;
constexpr int kPsh = 0x08;
/// IPv4 header bytes (no options).
constexpr uint32_t kIpHeader = 20;
/// IPv4 and UDP, or IPv4 and ICMP echo, header bytes.
constexpr uint32_t kIpUdpHeaders = 28;
/// IPv4 and TCP header bytes (no options).
constexpr uint32_t kIpTcpHeaders = 40;
/// The most option bytes a TCP header carries.
constexpr uint32_t kTcpOptionSpace = 40;
/// The first port a TCP client binds as sampled (lower ones are servers').
constexpr int32_t kFirstClientPort = 1024;
/// TTL of events without one (Ipv4L3Protocol's default).
constexpr uint8_t kDefaultTtl = 64;

/// \return \p e's TTL, or the default.
uint8_t
TtlOf(const temponet::TraceEvent& e)
{
    return e.ttl > 0 && e.ttl <= 255 ? static_cast<uint8_t>(e.ttl) : kDefaultTtl;
}

/// \return \p size less \p headers, never negative.
uint32_t
PayloadOf(int64_t size, uint32_t headers)
{
    return size > static_cast<int64_t>(headers) ? static_cast<uint32_t>(size - headers) : 0;
}

/// \return whether \p e is a flow record rather than a packet.
bool
IsFlowRecord(const temponet::TraceEvent& e)
{
    return e.size < 0 && e.packets >= 0;
}

} // namespace

uint32_t
TempoNetTcpPayload(const temponet::TraceEvent& e)
{
    const uint32_t payload = PayloadOf(e.size, kIpTcpHeaders);
    const bool psh = e.tcpFlags >= 0 && (e.tcpFlags & kPsh);
    return psh || payload > kTcpOptionSpace ? payload : 0;
}

TypeId
TempoNetApplication::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::TempoNetApplication")
            .SetParent<Application>()
            .SetGroupName("TempoNet")
            .AddConstructor<TempoNetApplication>()
            .AddAttribute("TcpSegmentSize",
                          "TCP segment size (MSS) of the application's TCP sockets.",
                          UintegerValue(1448),
                          MakeUintegerAccessor(&TempoNetApplication::m_tcpSegmentSize),
                          MakeUintegerChecker<uint32_t>(1))
            .AddTraceSource("Tx",
                            "A packet's payload handed to a socket.",
                            MakeTraceSourceAccessor(&TempoNetApplication::m_txTrace),
                            "ns3::Packet::TracedCallback")
            .AddTraceSource("TxWithAddresses",
                            "A packet's payload handed to a socket, with the local and the "
                            "remote address.",
                            MakeTraceSourceAccessor(&TempoNetApplication::m_txTraceWithAddresses),
                            "ns3::Packet::TwoAddressTracedCallback")
            .AddTraceSource("Rx",
                            "A packet's payload received, with the sender's address.",
                            MakeTraceSourceAccessor(&TempoNetApplication::m_rxTrace),
                            "ns3::Packet::AddressTracedCallback")
            .AddTraceSource("RxWithAddresses",
                            "A packet's payload received, with the remote and the local "
                            "address.",
                            MakeTraceSourceAccessor(&TempoNetApplication::m_rxTraceWithAddresses),
                            "ns3::Packet::TwoAddressTracedCallback")
            .AddTraceSource("Sent",
                            "A sampled event this application carried out (model addresses).",
                            MakeTraceSourceAccessor(&TempoNetApplication::m_sentTrace),
                            "ns3::TempoNetApplication::EventTracedCallback");
    return tid;
}

TempoNetApplication::TempoNetApplication()
{
    NS_LOG_FUNCTION(this);
}

TempoNetApplication::~TempoNetApplication()
{
    NS_LOG_FUNCTION(this);
}

void
TempoNetApplication::SetGenerator(Ptr<TempoNetGenerator> generator)
{
    m_generator = generator;
}

void
TempoNetApplication::DoDispose()
{
    NS_LOG_FUNCTION(this);
    for (auto& [k, ev] : m_pending)
    {
        Simulator::Cancel(ev);
    }
    m_pending.clear();
    m_udp.clear();
    m_raw.clear();
    m_listeners.clear();
    m_tcp.clear();
    m_generator = nullptr;
    Application::DoDispose();
}

void
TempoNetApplication::StartApplication()
{
    NS_LOG_FUNCTION(this);
    m_running = true;
    if (m_generator)
    {
        m_generator->NotifyStart(this);
    }
}

void
TempoNetApplication::StopApplication()
{
    NS_LOG_FUNCTION(this);
    m_running = false;
    for (auto& [k, ev] : m_pending)
    {
        Simulator::Cancel(ev);
    }
    m_pending.clear();
    auto quiet = [](Ptr<Socket> s) {
        s->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
        s->SetAcceptCallback(MakeNullCallback<bool, Ptr<Socket>, const Address&>(),
                             MakeNullCallback<void, Ptr<Socket>, const Address&>());
        s->SetCloseCallbacks(MakeNullCallback<void, Ptr<Socket>>(),
                             MakeNullCallback<void, Ptr<Socket>>());
        s->Close();
    };
    for (auto& [k, s] : m_udp)
    {
        quiet(s);
    }
    for (auto& [k, s] : m_raw)
    {
        quiet(s);
    }
    for (auto& [k, s] : m_listeners)
    {
        quiet(s);
    }
    // Closed in the order they were made: the same FINs in every run.
    std::map<uint64_t, Ptr<Socket>> byOrder;
    for (auto& [s, order] : m_tcp)
    {
        byOrder[order] = s;
    }
    for (auto& [order, s] : byOrder)
    {
        quiet(s);
    }
    m_udp.clear();
    m_raw.clear();
    m_listeners.clear();
    m_tcp.clear();
    if (m_generator)
    {
        m_generator->NotifyStop(this);
    }
}

Ptr<Socket>
TempoNetApplication::UdpSocket(Ipv4Address local, uint16_t port)
{
    const auto key = std::make_pair(local.Get(), port);
    const auto it = m_udp.find(key);
    if (it != m_udp.end())
    {
        return it->second;
    }
    Ptr<Socket> s = Socket::CreateSocket(GetNode(), UdpSocketFactory::GetTypeId());
    if (s->Bind(InetSocketAddress(local, port)) != 0)
    {
        Count("udp port in use: ephemeral port");
        s->Bind(InetSocketAddress(local, 0));
    }
    s->SetRecvCallback(MakeCallback(&TempoNetApplication::HandleRead, this));
    m_udp[key] = s;
    return s;
}

Ptr<Socket>
TempoNetApplication::RawSocket(Ipv4Address local, uint8_t proto)
{
    const auto key = std::make_pair(local.Get(), proto);
    const auto it = m_raw.find(key);
    if (it != m_raw.end())
    {
        return it->second;
    }
    Ptr<Socket> s = Socket::CreateSocket(GetNode(), Ipv4RawSocketFactory::GetTypeId());
    s->SetAttribute("Protocol", UintegerValue(proto));
    s->Bind(InetSocketAddress(local, 0));
    s->SetRecvCallback(MakeCallback(&TempoNetApplication::HandleRead, this));
    m_raw[key] = s;
    return s;
}

void
TempoNetApplication::ListenTcp(Ipv4Address local, uint16_t port)
{
    const auto key = std::make_pair(local.Get(), port);
    if (m_listeners.count(key))
    {
        return;
    }
    Ptr<Socket> s = Socket::CreateSocket(GetNode(), TcpSocketFactory::GetTypeId());
    if (s->Bind(InetSocketAddress(local, port)) != 0 || s->Listen() != 0)
    {
        Count("tcp listening port in use: connection not accepted");
        s->Close();
        return;
    }
    s->SetAcceptCallback(MakeNullCallback<bool, Ptr<Socket>, const Address&>(),
                         MakeCallback(&TempoNetApplication::HandleAccept, this));
    m_listeners[key] = s;
}

void
TempoNetApplication::Prepare(const TempoNetOrder& order)
{
    NS_LOG_FUNCTION(this);
    if (!m_running)
    {
        Count("destination application stopped: not listening");
        return;
    }
    const temponet::TraceEvent& e = order.event;
    if (e.proto == 17 && e.dstPort >= 0)
    {
        UdpSocket(order.destination, static_cast<uint16_t>(e.dstPort));
    }
    else if (e.proto == 6 && e.dstPort >= 0)
    {
        if (order.opens || IsFlowRecord(e))
        {
            ListenTcp(order.destination, static_cast<uint16_t>(e.dstPort));
        }
    }
    else if (e.proto != 6 && e.proto != 17 && e.proto >= 0 && e.proto <= 255)
    {
        RawSocket(order.destination, static_cast<uint8_t>(e.proto));
    }
}

void
TempoNetApplication::Execute(const TempoNetOrder& order)
{
    NS_LOG_FUNCTION(this);
    const temponet::TraceEvent& e = order.event;
    if (!m_running)
    {
        Count("application stopped: event dropped");
        return;
    }
    if ((e.proto == 6 || e.proto == 17) && (e.srcPort < 0 || e.dstPort < 0))
    {
        Count("tcp or udp event without ports: skipped");
        return;
    }
    if (e.proto < 0 || e.proto > 255)
    {
        Count("event without an ip protocol: skipped");
        return;
    }
    ++m_sentEvents;
    m_sentTrace(e);
    if (IsFlowRecord(e))
    {
        StartFlowRecord(order);
    }
    else if (e.proto == 6)
    {
        HandleTcp(order);
    }
    else if (e.proto == 17)
    {
        SendUdp(order, static_cast<uint32_t>(std::max<int32_t>(e.size, 0)));
    }
    else
    {
        SendRaw(order, static_cast<uint32_t>(std::max<int32_t>(e.size, 0)));
    }
}

void
TempoNetApplication::SendUdp(const TempoNetOrder& order, uint32_t ipSize)
{
    const temponet::TraceEvent& e = order.event;
    Ptr<Socket> s = UdpSocket(order.source, static_cast<uint16_t>(e.srcPort));
    s->SetIpTtl(TtlOf(e));
    Ptr<Packet> p = Create<Packet>(PayloadOf(ipSize, kIpUdpHeaders));
    const InetSocketAddress to(order.destination, static_cast<uint16_t>(e.dstPort));
    if (s->SendTo(p, 0, to) < 0)
    {
        Count("udp send failed");
        return;
    }
    Address local;
    s->GetSockName(local);
    m_txTrace(p);
    m_txTraceWithAddresses(p, local, to);
}

void
TempoNetApplication::SendRaw(const TempoNetOrder& order, uint32_t ipSize)
{
    const temponet::TraceEvent& e = order.event;
    Ptr<Socket> s = RawSocket(order.source, static_cast<uint8_t>(e.proto));
    s->SetIpTtl(TtlOf(e));
    Ptr<Packet> p;
    if (e.proto == 1)
    {
        // The schema has no ICMP type: every sampled ICMP packet is an echo
        // request, which the destination's stack answers itself.
        Icmpv4Echo echo;
        echo.SetIdentifier(static_cast<uint16_t>(GetNode()->GetId()));
        echo.SetSequenceNumber(m_icmpSequence++);
        echo.SetData(Create<Packet>(PayloadOf(ipSize, kIpUdpHeaders)));
        Icmpv4Header header;
        header.SetType(Icmpv4Header::ICMPV4_ECHO);
        header.SetCode(0);
        if (Node::ChecksumEnabled())
        {
            header.EnableChecksum();
        }
        p = Create<Packet>();
        p->AddHeader(echo);
        p->AddHeader(header);
    }
    else
    {
        p = Create<Packet>(PayloadOf(ipSize, kIpHeader));
    }
    const InetSocketAddress to(order.destination, 0);
    if (s->SendTo(p, 0, to) < 0)
    {
        Count("raw ip send failed");
        return;
    }
    m_txTrace(p);
    m_txTraceWithAddresses(p, InetSocketAddress(order.source, 0), to);
}

void
TempoNetApplication::OpenTcp(const TempoNetOrder& order)
{
    const temponet::TraceEvent& e = order.event;
    Ptr<TempoNetTcpFlow> flow = order.flow;
    Ptr<Socket> s = Socket::CreateSocket(GetNode(), TcpSocketFactory::GetTypeId());
    s->SetAttribute("SegmentSize", UintegerValue(m_tcpSegmentSize));
    flow->clientTtl = TtlOf(e);
    s->SetIpTtl(flow->clientTtl);
    // Clients take their sampled port unless it is a well-known one (a
    // server's port: a trace that saw a connection from its middle may name
    // the server as the client) or it is in use.
    if (e.srcPort > 0 && e.srcPort < kFirstClientPort)
    {
        Count("tcp client on a well-known port: ephemeral port");
        s->Bind(InetSocketAddress(order.source, 0));
    }
    else if (e.srcPort <= 0 || s->Bind(InetSocketAddress(order.source, e.srcPort)) != 0)
    {
        if (e.srcPort > 0)
        {
            Count("tcp source port in use: ephemeral port");
        }
        s->Bind(InetSocketAddress(order.source, 0));
    }
    Address local;
    s->GetSockName(local);
    flow->clientPort = InetSocketAddress::ConvertFrom(local).GetPort();
    flow->clientSocket = s;
    m_tcp[s] = m_tcpMade++;
    m_generator->NotifyConnecting(flow);
    s->SetRecvCallback(MakeCallback(&TempoNetApplication::HandleRead, this));
    s->SetCloseCallbacks(MakeCallback(&TempoNetApplication::HandleClose, this),
                         MakeCallback(&TempoNetApplication::HandleClose, this));
    s->Connect(InetSocketAddress(flow->serverAddress, flow->serverPort));
}

void
TempoNetApplication::WriteTcp(Ptr<Socket> socket, uint32_t bytes)
{
    Ptr<Packet> p = Create<Packet>(bytes);
    if (socket->Send(p) < 0)
    {
        Count("tcp send refused (buffer full or closed): bytes dropped");
        return;
    }
    Address local;
    Address remote;
    socket->GetSockName(local);
    socket->GetPeerName(remote);
    m_txTrace(p);
    m_txTraceWithAddresses(p, local, remote);
}

void
TempoNetApplication::HandleTcp(const TempoNetOrder& order)
{
    const temponet::TraceEvent& e = order.event;
    Ptr<TempoNetTcpFlow> flow = order.flow;
    const int flags = e.tcpFlags < 0 ? 0 : e.tcpFlags;
    const uint32_t payload = TempoNetTcpPayload(e);
    const bool data = payload > 0;
    const bool close = flags & (kFin | kRst);
    if (order.opens)
    {
        OpenTcp(order);
    }
    Ptr<Socket> s = order.fromClient ? flow->clientSocket : flow->serverSocket;
    if (s)
    {
        s->SetIpTtl(TtlOf(e));
    }
    else if (!order.fromClient)
    {
        flow->serverTtl = TtlOf(e);
    }
    if (data)
    {
        if (s)
        {
            WriteTcp(s, payload);
        }
        else
        {
            Count("tcp server data before the connection was accepted: queued");
            flow->pendingServerBytes += payload;
        }
    }
    if (close)
    {
        if (flags & kRst)
        {
            Count("tcp rst: closed (ns-3 sockets have no abort)");
        }
        if (s)
        {
            s->Close();
        }
        else
        {
            flow->pendingServerClose = true;
        }
    }
    if (!data && !close && !order.opens)
    {
        Count("tcp ack, syn-ack or option-only segment: left to the stack");
    }
}

void
TempoNetApplication::AttachServerSocket(Ptr<TempoNetTcpFlow> flow, Ptr<Socket> socket)
{
    flow->serverSocket = socket;
    socket->SetIpTtl(flow->serverTtl);
    m_tcp[socket] = m_tcpMade++;
    if (flow->pendingServerBytes > 0)
    {
        WriteTcp(socket, flow->pendingServerBytes);
        flow->pendingServerBytes = 0;
    }
    if (flow->pendingServerClose)
    {
        socket->Close();
    }
}

void
TempoNetApplication::StartFlowRecord(const TempoNetOrder& order)
{
    const temponet::TraceEvent& e = order.event;
    const uint32_t packets = static_cast<uint32_t>(std::max<int64_t>(e.packets, 1));
    const uint64_t bytes = static_cast<uint64_t>(std::max<int64_t>(e.bytes, 0));
    TempoNetOrder o = order;
    uint32_t chunks = packets;
    uint32_t chunkBytes = static_cast<uint32_t>(bytes / packets);
    if (e.proto == 6)
    {
        o.flow = Create<TempoNetTcpFlow>();
        o.flow->modelClient = e.src;
        o.flow->modelClientPort = e.srcPort;
        o.flow->client = this;
        o.flow->server = order.peer;
        o.flow->clientAddress = order.source;
        o.flow->serverAddress = order.destination;
        o.flow->serverPort = static_cast<uint16_t>(e.dstPort);
        OpenTcp(o);
        // Half the packets are the other side's ACKs; the payload excludes headers.
        chunks = std::max<uint32_t>(1, packets / 2);
        chunkBytes = static_cast<uint32_t>(
            PayloadOf(static_cast<int64_t>(bytes), kIpTcpHeaders * packets) / chunks);
    }
    SendFlowChunk(o, 0, chunks, chunkBytes);
}

void
TempoNetApplication::SendFlowChunk(TempoNetOrder order, uint32_t k, uint32_t chunks, uint32_t bytes)
{
    const temponet::TraceEvent& e = order.event;
    if (e.proto == 6)
    {
        if (bytes > 0)
        {
            WriteTcp(order.flow->clientSocket, bytes);
        }
    }
    else if (e.proto == 17)
    {
        SendUdp(order, bytes);
    }
    else
    {
        SendRaw(order, bytes);
    }
    if (k + 1 < chunks)
    {
        const double duration = std::isfinite(e.duration) && e.duration > 0 ? e.duration : 0;
        const uint64_t key = m_nextPending++;
        m_pending[key] = Simulator::Schedule(Seconds(duration / chunks), [=]() {
            m_pending.erase(key);
            SendFlowChunk(order, k + 1, chunks, bytes);
        });
    }
    else if (e.proto == 6)
    {
        order.flow->clientSocket->Close();
    }
}

void
TempoNetApplication::HandleAccept(Ptr<Socket> socket, const Address& from)
{
    NS_LOG_FUNCTION(this << socket << from);
    socket->SetRecvCallback(MakeCallback(&TempoNetApplication::HandleRead, this));
    socket->SetCloseCallbacks(MakeCallback(&TempoNetApplication::HandleClose, this),
                              MakeCallback(&TempoNetApplication::HandleClose, this));
    Address local;
    socket->GetSockName(local);
    const InetSocketAddress peer = InetSocketAddress::ConvertFrom(from);
    Ptr<TempoNetTcpFlow> flow =
        m_generator ? m_generator->ClaimAccepted(peer.GetIpv4(),
                                                 peer.GetPort(),
                                                 InetSocketAddress::ConvertFrom(local).GetPort())
                    : nullptr;
    if (flow)
    {
        AttachServerSocket(flow, socket);
    }
    else
    {
        Count("tcp connection of no sampled flow accepted");
        m_tcp[socket] = m_tcpMade++;
    }
}

void
TempoNetApplication::HandleClose(Ptr<Socket> socket)
{
    NS_LOG_FUNCTION(this << socket);
    m_tcp.erase(socket);
}

void
TempoNetApplication::HandleRead(Ptr<Socket> socket)
{
    Address from;
    Address local;
    socket->GetSockName(local);
    while (Ptr<Packet> p = socket->RecvFrom(from))
    {
        // Raw sockets deliver the IP header too.
        const bool raw = m_raw.end() != std::find_if(m_raw.begin(), m_raw.end(), [&](auto& kv) {
                             return kv.second == socket;
                         });
        if (raw)
        {
            Ipv4Header ip;
            p->RemoveHeader(ip);
            if (ip.GetProtocol() == 1)
            {
                Icmpv4Header icmp;
                p->PeekHeader(icmp);
                if (icmp.GetType() != Icmpv4Header::ICMPV4_ECHO)
                {
                    Count("icmp from the stack (echo reply or error): not sampled traffic");
                    continue;
                }
            }
        }
        m_rxBytes += p->GetSize();
        ++m_rxPackets;
        m_rxTrace(p, from);
        m_rxTraceWithAddresses(p, from, local);
    }
}

} // namespace ns3
