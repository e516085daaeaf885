/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef TEMPONET_TEST_NETWORK_H
#define TEMPONET_TEST_NETWORK_H

#include "temponet-baseline-samplers.h"
#include "temponet-event-table.h"
#include "temponet-helper.h"
#include "temponet-time-format.h"

#include "ns3/csma-helper.h"
#include "ns3/internet-stack-helper.h"
#include "ns3/ipv4-header.h"
#include "ns3/ipv4-l3-protocol.h"
#include "ns3/ipv4.h"
#include "ns3/neighbor-cache-helper.h"
#include "ns3/simulator.h"
#include "ns3/string.h"

#include <memory>
#include <string>
#include <vector>

namespace ns3
{
namespace temponet
{
namespace test
{

/// Calendar time of the crafted traces' first event (2015-10-20T12:00:00Z).
constexpr double kT0 = 1445342400.0;

/// \return a packet event.
inline TraceEvent
PacketEvent(double dt,
            const std::string& src,
            const std::string& dst,
            int32_t srcPort,
            int32_t dstPort,
            int16_t proto,
            int32_t size,
            int16_t flags = -1,
            int16_t ttl = 64)
{
    TraceEvent e;
    e.ts = kT0 + dt;
    e.src = *IpAddr::Parse(src);
    e.dst = *IpAddr::Parse(dst);
    e.srcPort = srcPort;
    e.dstPort = dstPort;
    e.proto = proto;
    e.size = size;
    e.tcpFlags = flags;
    e.ttl = ttl;
    return e;
}

/**
 * One CSMA LAN (1 Gb/s, lossless) whose nodes own \p addresses (/24 each),
 * neighbour caches filled.
 */
inline NodeContainer
MakeLan(const std::vector<std::string>& addresses)
{
    NodeContainer nodes;
    nodes.Create(addresses.size());
    InternetStackHelper stack;
    stack.Install(nodes);
    CsmaHelper csma;
    csma.SetChannelAttribute("DataRate", StringValue("1Gbps"));
    csma.SetChannelAttribute("Delay", StringValue("10us"));
    NetDeviceContainer devices = csma.Install(nodes);
    for (size_t i = 0; i < addresses.size(); ++i)
    {
        Ptr<Ipv4> ipv4 = nodes.Get(i)->GetObject<Ipv4>();
        const int32_t k = ipv4->AddInterface(devices.Get(i));
        ipv4->AddAddress(
            k,
            Ipv4InterfaceAddress(Ipv4Address(addresses[i].c_str()), Ipv4Mask("255.255.255.0")));
        ipv4->SetUp(k);
    }
    NeighborCacheHelper().PopulateNeighborCache();
    return nodes;
}

/// A helper that replays \p table (which must outlive it) from its first event.
inline std::unique_ptr<TempoNetHelper>
ReplayHelper(const EventTable& table)
{
    auto helper =
        std::make_unique<TempoNetHelper>(std::make_unique<ReplaySampler>(table), table.Hosts());
    helper->SetGeneratorAttribute("StartTime", StringValue(FormatIso8601(table.Ts().front())));
    return helper;
}

/// An IPv4 packet as it left a node's IP layer.
struct WirePacket
{
    Time at;             //!< When.
    Ipv4Header header;   //!< Its IP header.
    Ptr<Packet> payload; //!< What follows the IP header.
};

/// Records every IPv4 packet the nodes of \p nodes send (their own, not forwarded).
class WireRecorder
{
  public:
    /// Starts recording.
    explicit WireRecorder(const NodeContainer& nodes)
    {
        for (auto it = nodes.Begin(); it != nodes.End(); ++it)
        {
            (*it)->GetObject<Ipv4L3Protocol>()->TraceConnectWithoutContext(
                "SendOutgoing",
                MakeCallback(&WireRecorder::Record, this));
        }
    }

    std::vector<WirePacket> packets; //!< What was sent, in time order.

  private:
    /// Trace sink.
    void Record(const Ipv4Header& h, Ptr<const Packet> p, uint32_t)
    {
        packets.push_back(WirePacket{Simulator::Now(), h, p->Copy()});
    }
};

} // namespace test
} // namespace temponet
} // namespace ns3

#endif /* TEMPONET_TEST_NETWORK_H */
