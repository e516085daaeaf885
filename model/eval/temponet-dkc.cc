/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "temponet-dkc.h"

namespace ns3
{
namespace temponet
{

namespace
{

constexpr int kTcp = 6;
constexpr int kUdp = 17;
constexpr int kIcmp = 1;
constexpr int kIcmpV6 = 58;
constexpr int kFin = 0x01;
constexpr int kSyn = 0x02;
constexpr int kRst = 0x04;

/// Indices into DkcRules(), in the same order.
enum Rule : size_t
{
    kProtoRange,
    kUnsetAddress,
    kFamilyMismatch,
    kSourceMulticast,
    kPortRange,
    kPortsWithoutTransport,
    kMissingPorts,
    kFlagsOnNonTcp,
    kFlagsRange,
    kImpossibleFlags,
    kTtlRange,
    kSizeRange,
    kNegativeDuration,
    kNoPackets,
    kBytesRange,
    kRuleCount
};

/// \return true for the protocols whose header starts with ports.
bool
HasPorts(int proto)
{
    return proto == kTcp || proto == kUdp || proto == 33 /* DCCP */ || proto == 132 /* SCTP */ ||
           proto == 136 /* UDP-Lite */;
}

} // namespace

const std::vector<DkcRule>&
DkcRules()
{
    static const std::vector<DkcRule> rules = {
        {"proto_range", "the IP protocol number is not in 0..255"},
        {"unset_address", "the source or destination address is missing"},
        {"family_mismatch",
         "source and destination are of different IP versions, or ICMP runs over IPv6 "
         "(or ICMPv6 over IPv4)"},
        {"source_multicast", "the source is a multicast or broadcast address"},
        {"port_range", "a port is outside 0..65535"},
        {"ports_without_transport",
         "a port is set on a protocol without ports (anything but TCP, UDP, DCCP, SCTP, UDP-Lite)"},
        {"missing_ports", "a TCP or UDP record lacks a source or destination port"},
        {"flags_on_non_tcp", "TCP flags are set on a record that is not TCP"},
        {"flags_range", "the TCP flag byte is outside 0..255"},
        {"impossible_flags", "one packet carries SYN with FIN, or SYN with RST (packet traces)"},
        {"ttl_range", "the TTL (hop limit) is outside 0..255"},
        {"size_range",
         "a packet is shorter than its IP and transport headers (IPv4 20 or IPv6 40 bytes, "
         "plus TCP 20, UDP or ICMP 8) or longer than 65,535 bytes (packet traces)"},
        {"negative_duration", "a flow's duration is negative"},
        {"no_packets", "a flow has fewer than one packet (flow traces)"},
        {"bytes_range",
         "a flow's bytes are below its packets times the minimum header, or above its packets "
         "times 65,535 (flow traces)"},
    };
    return rules;
}

DkcReport
CheckDomainKnowledge(const EventTable& t)
{
    const auto& rules = DkcRules();
    std::vector<uint64_t> counts(kRuleCount, 0);
    const bool packets = t.Kind() == TraceKind::Packets;
    DkcReport report;
    report.records = t.Size();
    for (size_t i = 0; i < t.Size(); ++i)
    {
        bool broken[kRuleCount] = {};
        const int proto = t.Proto()[i];
        const IpAddr& src = t.Hosts()[t.SrcIndex()[i]];
        const IpAddr& dst = t.Hosts()[t.DstIndex()[i]];
        const int sport = t.SrcPort()[i];
        const int dport = t.DstPort()[i];
        const int flags = t.TcpFlags()[i];
        const int ttl = t.Ttl()[i];
        const bool v6 = src.IsV6();

        broken[kProtoRange] = proto < 0 || proto > 255;
        broken[kUnsetAddress] = !src.IsSet() || !dst.IsSet();
        broken[kFamilyMismatch] = (src.IsSet() && dst.IsSet() && src.IsV6() != dst.IsV6()) ||
                                  (proto == kIcmp && v6) || (proto == kIcmpV6 && src.IsV4());
        broken[kSourceMulticast] = src.IsGroup();
        broken[kPortRange] = sport < -1 || sport > 65535 || dport < -1 || dport > 65535;
        broken[kPortsWithoutTransport] = !HasPorts(proto) && (sport >= 0 || dport >= 0);
        broken[kMissingPorts] = (proto == kTcp || proto == kUdp) && (sport < 0 || dport < 0);
        broken[kFlagsOnNonTcp] = proto != kTcp && flags >= 0;
        broken[kFlagsRange] = flags < -1 || flags > 255;
        broken[kImpossibleFlags] =
            packets && flags >= 0 && (flags & kSyn) != 0 && (flags & (kFin | kRst)) != 0;
        broken[kTtlRange] = ttl < -1 || ttl > 255;
        const int minimum = MinimumIpPacket(proto, v6);
        if (packets)
        {
            const int size = t.PacketSize()[i];
            broken[kSizeRange] =
                size >= 0 && (size < minimum || size > kMaxIpTotalLength + (v6 ? 40 : 0));
        }
        else
        {
            const double duration = t.Duration()[i];
            const int64_t n = t.Packets()[i];
            const int64_t bytes = t.Bytes()[i];
            broken[kNegativeDuration] = duration < 0.0;
            broken[kNoPackets] = n != kNotApplicable && n < 1;
            broken[kBytesRange] = n >= 1 && bytes != kNotApplicable &&
                                  (bytes < n * minimum || bytes > n * int64_t(kMaxIpTotalLength));
        }
        bool any = false;
        for (size_t r = 0; r < kRuleCount; ++r)
        {
            counts[r] += broken[r] ? 1 : 0;
            any = any || broken[r];
        }
        report.violating += any ? 1 : 0;
    }
    for (size_t r = 0; r < kRuleCount; ++r)
    {
        report.byRule[rules[r].name] = counts[r];
    }
    return report;
}

} // namespace temponet
} // namespace ns3
