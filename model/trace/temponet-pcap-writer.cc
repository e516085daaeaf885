/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * \file
 * \ingroup temponet
 * WritePcap(): writes an EventTable as a classic pcap (microsecond timestamps).
 *
 * Every kept event becomes one packet whose IP length equals the event's
 * size, with valid IPv4/IPv6 headers, TCP, UDP, SCTP and ICMP/ICMPv6 headers
 * with correct checksums, and a payload of zero bytes. Whatever the event
 * does not say is filled in by a documented rule and counted in
 * WriteReport::repaired; events that cannot be written are counted in
 * WriteReport::skipped:
 *
 *  - skipped: "address unset" (src or dst), "address families differ",
 *    "protocol unknown" (proto outside 0..255), "timestamp outside the pcap
 *    range" (NaN, negative, or past 2106);
 *  - size: a packet event's \c size; a flow event (size -1, packets > 0,
 *    bytes >= 0) carries min(bytes / packets, 1500) bytes. A size below the
 *    headers' minimum (see below), or a size of -1 with no flow counts,
 *    becomes that minimum ("size below header minimum"); a size above the IP
 *    maximum (65535 for IPv4, 65575 for IPv6) becomes it ("size above IP
 *    maximum");
 *  - what follows the IP header, and its minimum length: TCP (20), UDP (8),
 *    SCTP (16: common header and a PAD chunk), ICMP and ICMPv6 (8, echo
 *    requests), IGMP (8, a membership query), IP-in-IP (4: an inner IPv4
 *    header, 20) and IPv6 (41: an inner IPv6 header, 40) with the same hosts
 *    and "no next header" (59) inside, IPv6 extension headers used as a
 *    protocol (0, 43, 44, 60: 8; AH 51: 12) ending the chain with 59; any
 *    other protocol gets zero bytes only (minimum 0). Payload bytes are zeros;
 *  - TTL / hop limit -1 becomes 64 ("ttl unknown: 64 written"), above 255
 *    becomes 255 ("ttl above 255");
 *  - a TCP, UDP or SCTP port outside 0..65535 (-1 included) becomes 49152
 *    for the source and 9 (discard) for the destination ("port missing:
 *    default written"); ports given for another protocol are not written
 *    ("ports dropped: protocol has none");
 *  - TCP flags -1 become ACK ("tcp flags unknown: ACK written"); flags on
 *    another protocol are not written ("tcp flags dropped: not TCP");
 *  - ICMP echo requests carry a per host pair sequence number; TCP sequence
 *    and acknowledgement numbers follow each direction of each connection
 *    (SYN and FIN count one).
 */
#include "temponet-atomic-file.h"
#include "temponet-read-report.h"
#include "temponet-trace-writer.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <unordered_map>
#include <vector>

namespace ns3
{
namespace temponet
{

namespace
{

constexpr uint32_t kSnapLen = 262144;       //!< Snap length in the file header.
constexpr int64_t kFlowPacketMax = 1500;    //!< Largest packet written for a flow event.
constexpr uint32_t kDefaultSrcPort = 49152; //!< First IANA ephemeral port.
constexpr uint32_t kDefaultDstPort = 9;     //!< The discard service.
constexpr int kDefaultTtl = 64;             //!< TTL when the event has none.
constexpr uint8_t kTcpAck = 0x10;           //!< TCP ACK flag.
constexpr uint8_t kTcpSyn = 0x02;           //!< TCP SYN flag.
constexpr uint8_t kTcpFin = 0x01;           //!< TCP FIN flag.

/// Stores \p v big-endian at \p p.
inline void
Put16(uint8_t* p, uint32_t v)
{
    p[0] = static_cast<uint8_t>(v >> 8);
    p[1] = static_cast<uint8_t>(v);
}

/// Stores \p v big-endian at \p p.
inline void
Put32(uint8_t* p, uint32_t v)
{
    p[0] = static_cast<uint8_t>(v >> 24);
    p[1] = static_cast<uint8_t>(v >> 16);
    p[2] = static_cast<uint8_t>(v >> 8);
    p[3] = static_cast<uint8_t>(v);
}

/// Stores \p v in host byte order at \p p (pcap record headers use it).
inline void
PutHost32(uint8_t* p, uint32_t v)
{
    std::memcpy(p, &v, 4);
}

/// \return \p acc plus the big-endian 16-bit words of \p n bytes at \p p.
uint32_t
SumWords(const uint8_t* p, size_t n, uint32_t acc = 0)
{
    for (size_t i = 0; i + 1 < n; i += 2)
    {
        acc += (uint32_t(p[i]) << 8) | p[i + 1];
    }
    if ((n & 1) != 0)
    {
        acc += uint32_t(p[n - 1]) << 8;
    }
    return acc;
}

/// \return the Internet checksum (RFC 1071) of the running sum \p acc.
uint16_t
Checksum(uint32_t acc)
{
    while ((acc >> 16) != 0)
    {
        acc = (acc & 0xffff) + (acc >> 16);
    }
    return static_cast<uint16_t>(~acc);
}

/// \return the CRC32c (Castagnoli) of \p n bytes at \p p, as SCTP uses it.
uint32_t
Crc32c(const uint8_t* p, size_t n)
{
    static const auto kTable = [] {
        std::vector<uint32_t> t(256);
        for (uint32_t i = 0; i < 256; ++i)
        {
            uint32_t c = i;
            for (int k = 0; k < 8; ++k)
            {
                c = (c & 1) != 0 ? (c >> 1) ^ 0x82f63b78u : c >> 1;
            }
            t[i] = c;
        }
        return t;
    }();
    uint32_t crc = 0xffffffffu;
    for (size_t i = 0; i < n; ++i)
    {
        crc = kTable[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
    }
    return ~crc;
}

/// \return the bytes the headers written after the IP header need for \p proto.
int64_t
TransportMinimum(int proto)
{
    switch (proto)
    {
    case 6:
        return 20;
    case 17:
    case 1:
    case 58:
    case 2:
    case 0:
    case 43:
    case 44:
    case 60:
        return 8;
    case 132:
        return 16;
    case 51:
        return 12;
    case 4:
        return 20;
    case 41:
        return 40;
    default:
        return 0;
    }
}

/**
 * Writes an IPv4 header.
 * \param p where it goes (20 bytes).
 * \param src,dst the 4 address bytes each.
 * \param total the total length.
 * \return the pseudo-header sum for the payload's checksum.
 */
uint32_t
PutIpv4Header(uint8_t* p,
              const uint8_t* src,
              const uint8_t* dst,
              uint8_t proto,
              uint8_t ttl,
              uint32_t total,
              uint16_t id)
{
    p[0] = 0x45;
    Put16(p + 2, total);
    Put16(p + 4, id);
    Put16(p + 6, 0x4000); // Don't fragment.
    p[8] = ttl;
    p[9] = proto;
    std::memcpy(p + 12, src, 4);
    std::memcpy(p + 16, dst, 4);
    Put16(p + 10, Checksum(SumWords(p, 20)));
    return SumWords(p + 12, 8, (total - 20) + uint32_t(proto));
}

/**
 * Writes an IPv6 header.
 * \param p where it goes (40 bytes).
 * \param src,dst the 16 address bytes each.
 * \param payload the payload length.
 * \return the pseudo-header sum for the payload's checksum.
 */
uint32_t
PutIpv6Header(uint8_t* p,
              const uint8_t* src,
              const uint8_t* dst,
              uint8_t nextHeader,
              uint8_t hopLimit,
              uint32_t payload)
{
    Put32(p, 0x60000000);
    Put16(p + 4, payload);
    p[6] = nextHeader;
    p[7] = hopLimit;
    std::memcpy(p + 8, src, 16);
    std::memcpy(p + 24, dst, 16);
    return SumWords(p + 8, 32, (payload >> 16) + (payload & 0xffff) + uint32_t(nextHeader));
}

/// \return the IPv4 address bytes of \p a for an inner header (IPv6: last 4 bytes).
const uint8_t*
InnerV4(const IpAddr& a)
{
    return a.IsV4() ? a.Bytes().data() : a.Bytes().data() + 12;
}

/// Fills \p out with the IPv6 address bytes of \p a for an inner header
/// (IPv4: the IPv4-mapped address).
void
InnerV6(const IpAddr& a, uint8_t* out)
{
    if (a.IsV6())
    {
        std::memcpy(out, a.Bytes().data(), 16);
        return;
    }
    std::memset(out, 0, 10);
    out[10] = 0xff;
    out[11] = 0xff;
    std::memcpy(out + 12, a.Bytes().data(), 4);
}

/// One direction of a conversation: hosts (table indices), ports, protocol.
struct FlowKey
{
    uint32_t src;   //!< Source host index.
    uint32_t dst;   //!< Destination host index.
    uint32_t ports; //!< Source port << 16 | destination port.
    uint8_t proto;  //!< IP protocol.

    /// Equality.
    bool operator==(const FlowKey& o) const
    {
        return src == o.src && dst == o.dst && ports == o.ports && proto == o.proto;
    }

    /// \return the opposite direction.
    FlowKey Reverse() const
    {
        return {dst, src, (ports << 16) | (ports >> 16), proto};
    }

    /// \return a well-mixed 32-bit value (used as ISN and as hash).
    uint32_t Mix() const
    {
        uint64_t h = 0x9e3779b97f4a7c15ULL;
        for (uint64_t v : {uint64_t(src), uint64_t(dst), uint64_t(ports), uint64_t(proto)})
        {
            h = (h ^ v) * 0xff51afd7ed558ccdULL;
            h ^= h >> 33;
        }
        return static_cast<uint32_t>(h);
    }
};

/// Hash of a FlowKey.
struct FlowKeyHash
{
    /// \return the hash of \p k.
    size_t operator()(const FlowKey& k) const
    {
        return k.Mix();
    }
};

/// Builds and writes the packets of one file.
class PcapBuilder
{
  public:
    /**
     * \param out the output file.
     * \param link the link-layer type.
     * \param report where repairs are counted.
     */
    PcapBuilder(AtomicFile& out, PcapLinkType link, WriteReport& report)
        : m_out(out),
          m_link(link),
          m_report(report)
    {
    }

    /// Writes the 24-byte file header.
    void WriteFileHeader();

    /**
     * Writes event \p i of \p table, or counts why it was skipped.
     */
    void WriteEvent(const EventTable& table, size_t i);

  private:
    /// Counts one repaired record under \p reason.
    void Repair(const char* reason)
    {
        ++m_report.repaired[reason];
    }

    /// Counts one skipped record under \p reason.
    void SkipEvent(const char* reason)
    {
        ++m_report.skipped[reason];
    }

    /// \return the next sequence number of direction \p k, advancing it by \p len.
    uint32_t NextSeq(const FlowKey& k, uint32_t len);

    /// \return the sequence number direction \p k will send next.
    uint32_t PeekSeq(const FlowKey& k);

    /// Writes the Ethernet header of a packet from \p src to \p dst into m_buf.
    void EthernetHeader(const IpAddr& src, const IpAddr& dst);

    AtomicFile& m_out;                                        //!< Output.
    PcapLinkType m_link;                                      //!< Link-layer type.
    WriteReport& m_report;                                    //!< Counts.
    std::vector<uint8_t> m_buf;                               //!< Record being built.
    std::unordered_map<FlowKey, uint32_t, FlowKeyHash> m_seq; //!< Next sequence number.
    uint16_t m_ipId{0};                                       //!< IPv4 identification.
};

void
PcapBuilder::WriteFileHeader()
{
    // Host byte order, as readers detect it from the magic number.
    uint8_t h[24] = {0};
    const uint16_t version[2] = {2, 4};
    PutHost32(h, 0xa1b2c3d4);
    std::memcpy(h + 4, version, 4);
    PutHost32(h + 16, kSnapLen);
    PutHost32(h + 20, m_link == PcapLinkType::Ethernet ? 1 : 101);
    m_out.Write(h, sizeof(h));
}

uint32_t
PcapBuilder::PeekSeq(const FlowKey& k)
{
    return m_seq.try_emplace(k, k.Mix()).first->second;
}

uint32_t
PcapBuilder::NextSeq(const FlowKey& k, uint32_t len)
{
    uint32_t& next = m_seq.try_emplace(k, k.Mix()).first->second;
    const uint32_t seq = next;
    next += len;
    return seq;
}

void
PcapBuilder::EthernetHeader(const IpAddr& src, const IpAddr& dst)
{
    // Locally administered unicast MACs: 02:00 and the IPv4 address, or 02
    // and the last five bytes of the IPv6 address.
    auto mac = [](uint8_t* out, const IpAddr& a) {
        out[0] = 0x02;
        if (a.IsV4())
        {
            out[1] = 0;
            std::memcpy(out + 2, a.Bytes().data(), 4);
        }
        else
        {
            std::memcpy(out + 1, a.Bytes().data() + 11, 5);
        }
    };
    uint8_t* p = m_buf.data() + 16;
    mac(p, dst);
    mac(p + 6, src);
    Put16(p + 12, src.IsV4() ? 0x0800 : 0x86dd);
}

void
PcapBuilder::WriteEvent(const EventTable& table, size_t i)
{
    const IpAddr& src = table.Hosts()[table.SrcIndex()[i]];
    const IpAddr& dst = table.Hosts()[table.DstIndex()[i]];
    const double ts = table.Ts()[i];
    const int proto = table.Proto()[i];
    if (!src.IsSet() || !dst.IsSet())
    {
        SkipEvent("address unset");
        return;
    }
    if (src.IsV4() != dst.IsV4())
    {
        SkipEvent("address families differ");
        return;
    }
    if (proto < 0 || proto > 255)
    {
        SkipEvent("protocol unknown");
        return;
    }
    double whole = std::floor(ts);
    int64_t micros = std::isfinite(ts) ? std::llround((ts - whole) * 1e6) : 0;
    if (micros >= 1000000)
    {
        whole += 1;
        micros -= 1000000;
    }
    if (!std::isfinite(ts) || whole < 0 || whole >= 4294967296.0)
    {
        SkipEvent("timestamp outside the pcap range");
        return;
    }

    const bool v6 = src.IsV6();
    const bool tcp = proto == 6;
    const bool hasPorts = tcp || proto == 17 || proto == 132;
    const int64_t ipHeader = v6 ? 40 : 20;
    const int64_t l4Min = TransportMinimum(proto);
    const int64_t maxSize = v6 ? 65535 + 40 : 65535;

    int64_t size = table.PacketSize()[i];
    const int64_t packets = table.Packets()[i];
    const int64_t bytes = table.Bytes()[i];
    if (size < 0 && packets > 0 && bytes >= 0)
    {
        size = std::min(bytes / packets, kFlowPacketMax);
    }
    if (size > maxSize)
    {
        size = maxSize;
        Repair("size above IP maximum");
    }
    if (size < ipHeader + l4Min)
    {
        size = ipHeader + l4Min;
        Repair("size below header minimum");
    }

    int ttl = table.Ttl()[i];
    if (ttl < 0)
    {
        ttl = kDefaultTtl;
        Repair("ttl unknown: 64 written");
    }
    else if (ttl > 255)
    {
        ttl = 255;
        Repair("ttl above 255");
    }

    int64_t sport = table.SrcPort()[i];
    int64_t dport = table.DstPort()[i];
    if (hasPorts)
    {
        const bool badSrc = sport < 0 || sport > 65535;
        const bool badDst = dport < 0 || dport > 65535;
        sport = badSrc ? kDefaultSrcPort : sport;
        dport = badDst ? kDefaultDstPort : dport;
        if (badSrc || badDst)
        {
            Repair("port missing: default written");
        }
    }
    else if (sport >= 0 || dport >= 0)
    {
        Repair("ports dropped: protocol has none");
    }

    int flags = table.TcpFlags()[i];
    if (tcp && flags < 0)
    {
        flags = kTcpAck;
        Repair("tcp flags unknown: ACK written");
    }
    else if (tcp && flags > 255)
    {
        flags &= 0xff;
        Repair("tcp flags above 255: low byte written");
    }
    else if (!tcp && flags >= 0)
    {
        Repair("tcp flags dropped: not TCP");
    }

    const size_t linkLen = m_link == PcapLinkType::Ethernet ? 14 : 0;
    const size_t frameLen = linkLen + static_cast<size_t>(size);
    m_buf.assign(16 + frameLen, 0);
    PutHost32(m_buf.data(), static_cast<uint32_t>(whole));
    PutHost32(m_buf.data() + 4, static_cast<uint32_t>(micros));
    PutHost32(m_buf.data() + 8, static_cast<uint32_t>(frameLen));
    PutHost32(m_buf.data() + 12, static_cast<uint32_t>(frameLen));
    if (linkLen != 0)
    {
        EthernetHeader(src, dst);
    }

    uint8_t* ip = m_buf.data() + 16 + linkLen;
    uint8_t* l4 = ip + ipHeader;
    const uint32_t l4Len = static_cast<uint32_t>(size - ipHeader);
    const uint8_t p8 = static_cast<uint8_t>(proto);
    const uint8_t ttl8 = static_cast<uint8_t>(ttl);
    const uint32_t pseudo =
        v6 ? PutIpv6Header(ip, src.Bytes().data(), dst.Bytes().data(), p8, ttl8, l4Len)
           : PutIpv4Header(ip,
                           src.Bytes().data(),
                           dst.Bytes().data(),
                           p8,
                           ttl8,
                           static_cast<uint32_t>(size),
                           m_ipId++);

    const uint32_t ports = (uint32_t(sport) << 16) | uint32_t(dport);
    const FlowKey key{table.SrcIndex()[i], table.DstIndex()[i], hasPorts ? ports : 0, p8};
    switch (proto)
    {
    case 6: {
        const uint32_t payload = l4Len - 20;
        const uint32_t advance =
            payload + ((flags & kTcpSyn) != 0 ? 1 : 0) + ((flags & kTcpFin) != 0 ? 1 : 0);
        Put16(l4, static_cast<uint32_t>(sport));
        Put16(l4 + 2, static_cast<uint32_t>(dport));
        Put32(l4 + 4, NextSeq(key, advance));
        Put32(l4 + 8, (flags & kTcpAck) != 0 ? PeekSeq(key.Reverse()) : 0);
        l4[12] = 5 << 4;
        l4[13] = static_cast<uint8_t>(flags);
        Put16(l4 + 14, 65535);
        Put16(l4 + 16, Checksum(SumWords(l4, 20, pseudo)));
        break;
    }
    case 17: {
        Put16(l4, static_cast<uint32_t>(sport));
        Put16(l4 + 2, static_cast<uint32_t>(dport));
        Put16(l4 + 4, l4Len);
        const uint16_t sum = Checksum(SumWords(l4, 8, pseudo));
        Put16(l4 + 6, sum == 0 ? 0xffff : sum);
        break;
    }
    case 132: {
        Put16(l4, static_cast<uint32_t>(sport));
        Put16(l4 + 2, static_cast<uint32_t>(dport));
        Put32(l4 + 4, key.Mix()); // Verification tag.
        // One PAD chunk (RFC 4820) fills the rest: zero bytes alone are no chunk.
        l4[12] = 0x84;
        Put16(l4 + 14, l4Len - 12);
        const uint32_t crc = Crc32c(l4, l4Len);
        // The CRC32c goes out in little-endian byte order (RFC 9260, appendix A).
        l4[8] = static_cast<uint8_t>(crc);
        l4[9] = static_cast<uint8_t>(crc >> 8);
        l4[10] = static_cast<uint8_t>(crc >> 16);
        l4[11] = static_cast<uint8_t>(crc >> 24);
        break;
    }
    case 1:
    case 58:
        // Echo request; identifier from the host pair, sequence per pair.
        l4[0] = proto == 1 ? 8 : 128;
        Put16(l4 + 4, key.Mix() & 0xffff);
        Put16(l4 + 6, NextSeq(key, 1) & 0xffff);
        Put16(l4 + 2, Checksum(SumWords(l4, 8, proto == 58 ? pseudo : 0)));
        break;
    case 2:
        // IGMP general membership query (v2 layout; longer ones read as v3).
        l4[0] = 0x11;
        l4[1] = 100;
        Put16(l4 + 2, Checksum(SumWords(l4, 8)));
        break;
    case 4:
        PutIpv4Header(l4, InnerV4(src), InnerV4(dst), 59, ttl8, l4Len, m_ipId++);
        break;
    case 41: {
        uint8_t a[16];
        uint8_t b[16];
        InnerV6(src, a);
        InnerV6(dst, b);
        PutIpv6Header(l4, a, b, 59, ttl8, l4Len - 40);
        break;
    }
    case 0:
    case 60:
        // Options header: "no next header", then a PadN option filling 8 bytes.
        l4[0] = 59;
        l4[2] = 1;
        l4[3] = 4;
        break;
    case 43:
    case 44:
        l4[0] = 59; // Routing type 0 with no segment left; atomic fragment.
        break;
    case 51:
        l4[0] = 59;
        l4[1] = 1; // 12 bytes: (1 + 2) * 4.
        break;
    default:
        break;
    }

    m_out.Write(m_buf.data(), m_buf.size());
    ++m_report.written;
}

} // namespace

WriteReport
WritePcap(const EventTable& table, const std::string& path, PcapLinkType link)
{
    WriteReport report;
    AtomicFile out(path);
    PcapBuilder builder(out, link, report);
    builder.WriteFileHeader();
    for (size_t i = 0; i < table.Size(); ++i)
    {
        builder.WriteEvent(table, i);
    }
    out.Commit();
    return report;
}

} // namespace temponet
} // namespace ns3
