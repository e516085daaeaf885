/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// What TempoNetApplication sends for sampled events: UDP datagrams, TCP
// connections, ICMP and raw IP, flow records, and what a stopped application
// drops. The events come from a ReplaySampler over crafted traces, so every
// packet on the wire can be checked against the event it stands for.
#include "temponet-application.h"
#include "temponet-test-network.h"

#include "ns3/icmpv4.h"
#include "ns3/tcp-header.h"
#include "ns3/test.h"
#include "ns3/udp-header.h"

#include <map>

using namespace ns3;
using namespace ns3::temponet;
using namespace ns3::temponet::test;

namespace
{

/// Simulated start of the applications.
const Time kAppStart = Seconds(1);

/// \return the simulated time of \p e (the first event is at kAppStart).
Time
SimTimeOf(const TraceEvent& e)
{
    return kAppStart + Seconds(e.ts - kT0);
}

/// Sums an application counter over \p apps.
uint64_t
CountOf(const ApplicationContainer& apps, const std::string& reason)
{
    uint64_t n = 0;
    for (auto it = apps.Begin(); it != apps.End(); ++it)
    {
        const auto& c = DynamicCast<TempoNetApplication>(*it)->GetCounts();
        const auto f = c.find(reason);
        n += f == c.end() ? 0 : f->second;
    }
    return n;
}

/// The application of the node owning \p address.
Ptr<TempoNetApplication>
AppOf(const ApplicationContainer& apps, const std::string& address)
{
    for (auto it = apps.Begin(); it != apps.End(); ++it)
    {
        if (TempoNetNodeAddress((*it)->GetNode()) == Ipv4Address(address.c_str()))
        {
            return DynamicCast<TempoNetApplication>(*it);
        }
    }
    return nullptr;
}

} // namespace

/**
 * \ingroup temponet-tests
 * Every sampled UDP event leaves its host at the sampled time with the
 * sampled size, ports, TTL and addresses, and arrives (Tx == Rx).
 */
class TempoNetUdpTestCase : public TestCase
{
  public:
    TempoNetUdpTestCase()
        : TestCase("UDP events leave as sampled; on a lossless LAN Tx equals Rx")
    {
    }

  private:
    void DoRun() override
    {
        const std::vector<std::string> hosts{"10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"};
        EventTable table;
        for (int k = 0; k < 60; ++k)
        {
            table.Append(PacketEvent(0.013 * k + 0.0007 * (k % 5),
                                     hosts[k % 4],
                                     hosts[(k + 1 + (k / 4) % 3) % 4],
                                     40000 + k % 7,
                                     k % 3 == 0 ? 53 : 5000 + k % 11,
                                     17,
                                     28 + 23 * k,
                                     -1,
                                     static_cast<int16_t>(32 + 3 * k)));
        }
        NodeContainer nodes = MakeLan(hosts);
        auto helper = ReplayHelper(table);
        ApplicationContainer apps = helper->Install(nodes);
        helper->AssignStreams(0);
        apps.Start(kAppStart);
        apps.Stop(kAppStart + Seconds(table.SpanSeconds() + 0.001));
        WireRecorder wire(nodes);
        uint64_t tx = 0;
        uint64_t rx = 0;
        for (auto it = apps.Begin(); it != apps.End(); ++it)
        {
            (*it)->TraceConnectWithoutContext(
                "Tx",
                MakeCallback(+[](uint64_t* n, Ptr<const Packet>) { ++*n; }).Bind(&tx));
            (*it)->TraceConnectWithoutContext(
                "Rx",
                MakeCallback(+[](uint64_t* n, Ptr<const Packet>, const Address&) {
                    ++*n;
                }).Bind(&rx));
        }
        Simulator::Run();

        NS_TEST_ASSERT_MSG_EQ(helper->GetGenerator()->GetEventCount(),
                              table.Size(),
                              "every crafted event is sampled once");
        NS_TEST_ASSERT_MSG_EQ(wire.packets.size(), table.Size(), "one datagram per event");
        NS_TEST_ASSERT_MSG_EQ(tx, table.Size(), "Tx fires once per datagram");
        NS_TEST_ASSERT_MSG_EQ(rx, tx, "lossless LAN: every datagram is received");
        for (size_t i = 0; i < std::min(wire.packets.size(), table.Size()); ++i)
        {
            const TraceEvent e = table.Get(i);
            const WirePacket& w = wire.packets[i];
            NS_TEST_ASSERT_MSG_EQ(w.at, SimTimeOf(e), "event " << i << " leaves at its time");
            NS_TEST_ASSERT_MSG_EQ(w.header.GetSource(), Ipv4Address(e.src.V4()), "source");
            NS_TEST_ASSERT_MSG_EQ(w.header.GetDestination(),
                                  Ipv4Address(e.dst.V4()),
                                  "destination");
            NS_TEST_ASSERT_MSG_EQ(int(w.header.GetTtl()), e.ttl, "TTL of event " << i);
            NS_TEST_ASSERT_MSG_EQ(int(w.header.GetProtocol()), 17, "protocol");
            NS_TEST_ASSERT_MSG_EQ(w.header.GetPayloadSize() + 20,
                                  uint32_t(e.size),
                                  "IP size of event " << i);
            UdpHeader udp;
            w.payload->PeekHeader(udp);
            NS_TEST_ASSERT_MSG_EQ(int(udp.GetSourcePort()), e.srcPort, "source port");
            NS_TEST_ASSERT_MSG_EQ(int(udp.GetDestinationPort()), e.dstPort, "destination port");
        }
        Simulator::Destroy();
    }
};

/**
 * \ingroup temponet-tests
 * TCP packet events become connections that complete and deliver the
 * sampled bytes in both directions, each write at its event's time.
 */
class TempoNetTcpTestCase : public TestCase
{
  public:
    TempoNetTcpTestCase()
        : TestCase("TCP flows connect, deliver the sampled bytes both ways and close")
    {
    }

  private:
    void DoRun() override
    {
        const std::vector<std::string> hosts{"10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.9"};
        const std::string server = "10.0.0.9";
        EventTable table;
        // Three clients; client k sends 300 + k bytes, the server answers 1000 * (k + 1),
        // over a connection to port 80 (k even) or 22.
        std::map<std::string, uint32_t> clientBytes;
        uint32_t serverBytes = 0;
        for (int k = 0; k < 3; ++k)
        {
            const std::string c = hosts[k];
            const int32_t cp = 50000 + k;
            const int32_t sp = k % 2 == 0 ? 80 : 22;
            const double t = 0.005 * k;
            table.Append(PacketEvent(t + 0.00, c, server, cp, sp, 6, 60, 0x02, 64));
            table.Append(PacketEvent(t + 0.02, server, c, sp, cp, 6, 60, 0x12, 63));
            table.Append(PacketEvent(t + 0.04, c, server, cp, sp, 6, 52, 0x10, 64));
            table.Append(PacketEvent(t + 0.06, c, server, cp, sp, 6, 340 + k, 0x18, 64));
            table.Append(
                PacketEvent(t + 0.08, server, c, sp, cp, 6, 40 + 1000 * (k + 1), 0x18, 63));
            table.Append(PacketEvent(t + 0.30, c, server, cp, sp, 6, 52, 0x11, 64));
            table.Append(PacketEvent(t + 0.32, server, c, sp, cp, 6, 52, 0x11, 63));
            table.Append(PacketEvent(t + 0.34, c, server, cp, sp, 6, 52, 0x10, 64));
            serverBytes += 300 + k;
            clientBytes[c] = 1000 * (k + 1);
        }
        // A connection already running when the trace starts: its first data opens it.
        table.Append(PacketEvent(0.5, hosts[0], server, 51000, 443, 6, 540, 0x18, 64));
        serverBytes += 500;
        table.SortByTime();

        NodeContainer nodes = MakeLan(hosts);
        auto helper = ReplayHelper(table);
        ApplicationContainer apps = helper->Install(nodes);
        apps.Start(kAppStart);
        apps.Stop(kAppStart + Seconds(5));
        std::vector<std::pair<Time, uint32_t>> writes;
        for (auto it = apps.Begin(); it != apps.End(); ++it)
        {
            (*it)->TraceConnectWithoutContext(
                "Tx",
                MakeCallback(+[](std::vector<std::pair<Time, uint32_t>>* w, Ptr<const Packet> p) {
                    w->emplace_back(Simulator::Now(), p->GetSize());
                }).Bind(&writes));
        }
        // The replay loops after its last event: stop sampling before it repeats.
        helper->GetGenerator()->SetAttribute("MaxEvents", UintegerValue(table.Size()));
        Simulator::Run();

        NS_TEST_ASSERT_MSG_EQ(AppOf(apps, server)->GetReceivedBytes(),
                              serverBytes,
                              "the server receives every byte its clients' events carry");
        for (const auto& [c, bytes] : clientBytes)
        {
            NS_TEST_ASSERT_MSG_EQ(AppOf(apps, c)->GetReceivedBytes(),
                                  bytes,
                                  "client " << c << " receives the server's bytes");
        }
        // Each data event is written at its own time, with its payload.
        std::vector<std::pair<Time, uint32_t>> expected;
        for (size_t i = 0; i < table.Size(); ++i)
        {
            const TraceEvent e = table.Get(i);
            if (e.tcpFlags & 0x08)
            {
                expected.emplace_back(SimTimeOf(e), e.size - 40);
            }
        }
        NS_TEST_ASSERT_MSG_EQ(writes.size(), expected.size(), "one write per data event");
        for (size_t i = 0; i < std::min(writes.size(), expected.size()); ++i)
        {
            NS_TEST_ASSERT_MSG_EQ(writes[i].first, expected[i].first, "write " << i << " time");
            NS_TEST_ASSERT_MSG_EQ(writes[i].second, expected[i].second, "write " << i << " bytes");
        }
        NS_TEST_ASSERT_MSG_EQ(
            CountOf(apps, "tcp ack, syn-ack or option-only segment: left to the stack"),
            6,
            "SYN-ACKs and handshake ACKs are the stack's");
        NS_TEST_ASSERT_MSG_EQ(helper->GetCounts()["tcp packet of an unknown connection: left out"],
                              3,
                              "ACKs after both FINs belong to no connection");
        NS_TEST_ASSERT_MSG_EQ(
            helper->GetCounts()["tcp connection without a syn: opened by its first data"],
            1,
            "the running connection is opened by its first data");
        Simulator::Destroy();
    }
};

/**
 * \ingroup temponet-tests
 * ICMP events are echo requests that the destination stack answers (counted
 * apart); other IP protocols go out as raw IP of the sampled size.
 */
class TempoNetRawTestCase : public TestCase
{
  public:
    TempoNetRawTestCase()
        : TestCase("ICMP echo requests and raw IP packets of the sampled size")
    {
    }

  private:
    void DoRun() override
    {
        const std::vector<std::string> hosts{"10.0.0.1", "10.0.0.2"};
        EventTable table;
        for (int k = 0; k < 10; ++k)
        {
            const bool icmp = k % 2 == 0;
            table.Append(PacketEvent(0.01 * k,
                                     hosts[k % 2],
                                     hosts[(k + 1) % 2],
                                     -1,
                                     -1,
                                     icmp ? 1 : 47,
                                     icmp ? 84 : 100 + k,
                                     -1,
                                     static_cast<int16_t>(100 + k)));
        }
        NodeContainer nodes = MakeLan(hosts);
        auto helper = ReplayHelper(table);
        ApplicationContainer apps = helper->Install(nodes);
        apps.Start(kAppStart);
        apps.Stop(kAppStart + Seconds(table.SpanSeconds() + 0.005));
        WireRecorder wire(nodes);
        Simulator::Run();

        // Sampled packets are those leaving at an event's time with its TTL.
        size_t matched = 0;
        size_t replies = 0;
        for (const WirePacket& w : wire.packets)
        {
            Icmpv4Header icmp;
            if (w.header.GetProtocol() == 1 && (w.payload->PeekHeader(icmp), true) &&
                icmp.GetType() == Icmpv4Header::ICMPV4_ECHO_REPLY)
            {
                ++replies;
                continue;
            }
            for (size_t i = 0; i < table.Size(); ++i)
            {
                const TraceEvent e = table.Get(i);
                if (w.at == SimTimeOf(e) && w.header.GetTtl() == e.ttl &&
                    w.header.GetProtocol() == e.proto &&
                    int(w.header.GetPayloadSize()) + 20 == e.size)
                {
                    ++matched;
                }
            }
        }
        NS_TEST_ASSERT_MSG_EQ(matched, table.Size(), "each event leaves as sampled");
        NS_TEST_ASSERT_MSG_EQ(replies, 5, "the stack answers each echo request");
        NS_TEST_ASSERT_MSG_EQ(
            CountOf(apps, "icmp from the stack (echo reply or error): not sampled traffic"),
            5,
            "the replies are counted apart from sampled traffic");
        uint64_t rxPackets = 0;
        for (auto it = apps.Begin(); it != apps.End(); ++it)
        {
            rxPackets += DynamicCast<TempoNetApplication>(*it)->GetReceivedPackets();
        }
        NS_TEST_ASSERT_MSG_EQ(rxPackets, table.Size(), "every sampled packet is received");
        Simulator::Destroy();
    }
};

/**
 * \ingroup temponet-tests
 * Flow records become transfers of their bytes in their packets over their
 * duration.
 */
class TempoNetFlowRecordTestCase : public TestCase
{
  public:
    TempoNetFlowRecordTestCase()
        : TestCase("flow records send their bytes in their packets over their duration")
    {
    }

  private:
    void DoRun() override
    {
        const std::vector<std::string> hosts{"10.0.0.1", "10.0.0.2"};
        EventTable table(TraceKind::Flows);
        TraceEvent udp = PacketEvent(0, hosts[0], hosts[1], 40000, 53, 17, -1, -1, -1);
        udp.packets = 4;
        udp.bytes = 4 * 128;
        udp.duration = 0.3;
        TraceEvent tcp = PacketEvent(0.1, hosts[1], hosts[0], 50000, 102, 6, -1, -1, -1);
        tcp.packets = 10;
        tcp.bytes = 10 * 40 + 2000;
        tcp.duration = 1.0;
        table.Append(udp);
        table.Append(tcp);
        NodeContainer nodes = MakeLan(hosts);
        auto helper = ReplayHelper(table);
        ApplicationContainer apps = helper->Install(nodes);
        helper->GetGenerator()->SetAttribute("MaxEvents", UintegerValue(2));
        apps.Start(kAppStart);
        apps.Stop(kAppStart + Seconds(5));
        WireRecorder wire(nodes);
        Simulator::Run();

        std::vector<Time> udpTimes;
        for (const WirePacket& w : wire.packets)
        {
            if (w.header.GetProtocol() == 17)
            {
                udpTimes.push_back(w.at);
                NS_TEST_ASSERT_MSG_EQ(w.header.GetPayloadSize() + 20, 128u, "UDP packet size");
            }
        }
        NS_TEST_ASSERT_MSG_EQ(udpTimes.size(), 4, "the UDP flow's packets");
        for (size_t k = 0; k < udpTimes.size(); ++k)
        {
            NS_TEST_ASSERT_MSG_EQ_TOL(udpTimes[k].GetSeconds(),
                                      kAppStart.GetSeconds() + 0.075 * k,
                                      1e-9,
                                      "spread evenly over the duration");
        }
        NS_TEST_ASSERT_MSG_EQ(AppOf(apps, hosts[1])->GetReceivedBytes(),
                              4 * 100,
                              "the UDP flow's payload arrives");
        NS_TEST_ASSERT_MSG_EQ(AppOf(apps, hosts[0])->GetReceivedBytes(),
                              2000,
                              "the TCP flow's bytes, less 40 header bytes per packet, arrive");
        Simulator::Destroy();
    }
};

/**
 * \ingroup temponet-tests
 * Stopping one application mid-run drops its host's later events, counted.
 */
class TempoNetStopTestCase : public TestCase
{
  public:
    TempoNetStopTestCase()
        : TestCase("stopping an application drops and counts its host's events")
    {
    }

  private:
    void DoRun() override
    {
        const std::vector<std::string> hosts{"10.0.0.1", "10.0.0.2", "10.0.0.3"};
        EventTable table;
        for (int k = 0; k < 100; ++k)
        {
            table.Append(
                PacketEvent(0.01 * k, hosts[k % 3], hosts[(k + 1) % 3], 40000, 9, 17, 100));
        }
        NodeContainer nodes = MakeLan(hosts);
        auto helper = ReplayHelper(table);
        ApplicationContainer apps = helper->Install(nodes);
        apps.Start(kAppStart);
        apps.Stop(kAppStart + Seconds(table.SpanSeconds() + 0.001));
        Ptr<TempoNetApplication> stopped = AppOf(apps, hosts[0]);
        const Time stopAt = kAppStart + Seconds(0.5 - 0.001);
        stopped->SetStopTime(stopAt);
        WireRecorder wire(nodes);
        Simulator::Run();

        uint64_t expectedDropped = 0;
        for (size_t i = 0; i < table.Size(); ++i)
        {
            const TraceEvent e = table.Get(i);
            expectedDropped += e.src.ToString() == hosts[0] && SimTimeOf(e) > stopAt;
        }
        NS_TEST_ASSERT_MSG_EQ(stopped->GetCounts().at("application stopped: event dropped"),
                              expectedDropped,
                              "the stopped host's later events are counted");
        // The stopped host's stack still answers datagrams sent to it with ICMP
        // port unreachable: only UDP is sampled traffic.
        uint64_t sentAfterStop = 0;
        uint64_t udp = 0;
        for (const WirePacket& w : wire.packets)
        {
            if (w.header.GetProtocol() == 17)
            {
                ++udp;
                sentAfterStop +=
                    w.header.GetSource() == Ipv4Address(hosts[0].c_str()) && w.at > stopAt;
            }
        }
        NS_TEST_ASSERT_MSG_EQ(sentAfterStop, 0, "nothing sampled leaves the stopped host");
        NS_TEST_ASSERT_MSG_EQ(udp + expectedDropped, table.Size(), "every other event is sent");
        Simulator::Destroy();
    }
};

/**
 * \ingroup temponet-tests
 * TempoNetApplication: what the applications send for sampled events.
 */
class TempoNetApplicationTestSuite : public TestSuite
{
  public:
    TempoNetApplicationTestSuite()
        : TestSuite("temponet-application", UNIT)
    {
        AddTestCase(new TempoNetUdpTestCase, TestCase::QUICK);
        AddTestCase(new TempoNetTcpTestCase, TestCase::QUICK);
        AddTestCase(new TempoNetRawTestCase, TestCase::QUICK);
        AddTestCase(new TempoNetFlowRecordTestCase, TestCase::QUICK);
        AddTestCase(new TempoNetStopTestCase, TestCase::QUICK);
    }
};

/// Registers the suite with ns-3's test runner.
static TempoNetApplicationTestSuite g_tempoNetApplicationTestSuite;
