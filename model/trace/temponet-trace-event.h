/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef TEMPONET_TRACE_EVENT_H
#define TEMPONET_TRACE_EVENT_H

#include "temponet-ip-addr.h"

#include <cmath>
#include <cstdint>

namespace ns3
{
namespace temponet
{

/// Value of an integer field that does not apply to an event (empty CSV cell).
constexpr int64_t kNotApplicable = -1;

/// The largest IPv4 total length, in bytes.
constexpr int64_t kMaxIpTotalLength = 65535;

/**
 * \return the smallest IP packet of protocol \p proto, in bytes: the IP
 * header (IPv4 20, IPv6 40) plus the transport header (TCP 20; UDP,
 * UDP-Lite, ICMP and ICMPv6 8; any other protocol 0).
 * \param proto the IP protocol number.
 * \param v6 whether the packet is IPv6.
 */
inline int
MinimumIpPacket(int proto, bool v6)
{
    int transport = 0;
    if (proto == 6)
    {
        transport = 20;
    }
    else if (proto == 17 || proto == 1 || proto == 58 || proto == 136)
    {
        transport = 8;
    }
    return (v6 ? 40 : 20) + transport;
}

/// Whether a trace holds packets or flow records.
enum class TraceKind : uint8_t
{
    Packets, //!< One event is one IP packet.
    Flows,   //!< One event is the start of a flow (NetFlow, Zeek, Argus).
};

/**
 * \ingroup temponet
 * \brief One event of a trace: an IP packet, or the start of a flow.
 *
 * Integer fields hold kNotApplicable (-1) when they do not apply, e.g.
 * ports for ICMP, \c size for flow records, \c packets for packets.
 * \c duration is NaN when unknown.
 */
struct TraceEvent
{
    double ts{0};                  //!< Time in seconds (epoch or relative), UTC.
    IpAddr src;                    //!< Source address.
    IpAddr dst;                    //!< Destination address.
    int32_t srcPort{-1};           //!< Source port (TCP, UDP, SCTP), else -1.
    int32_t dstPort{-1};           //!< Destination port, else -1.
    int16_t proto{-1};             //!< IP protocol number (6 TCP, 17 UDP, 1 ICMP, ...).
    int32_t size{-1};              //!< IP total length in bytes (packet traces), else -1.
    int16_t tcpFlags{-1};          //!< TCP flag byte (FIN=0x01 ... CWR=0x80), else -1.
    int16_t ttl{-1};               //!< IPv4 TTL or IPv6 hop limit, else -1.
    double duration{std::nan("")}; //!< Flow duration in seconds, NaN if unknown.
    int64_t packets{-1};           //!< Flow packets, both directions, else -1.
    int64_t bytes{-1};             //!< Flow bytes at the IP layer, both directions, else -1.

    /// \return true if every field equals \p o's (NaN durations compare equal).
    bool operator==(const TraceEvent& o) const
    {
        const bool durEq =
            (std::isnan(duration) && std::isnan(o.duration)) || duration == o.duration;
        return ts == o.ts && src == o.src && dst == o.dst && srcPort == o.srcPort &&
               dstPort == o.dstPort && proto == o.proto && size == o.size &&
               tcpFlags == o.tcpFlags && ttl == o.ttl && durEq && packets == o.packets &&
               bytes == o.bytes;
    }
};

} // namespace temponet
} // namespace ns3

#endif /* TEMPONET_TRACE_EVENT_H */
