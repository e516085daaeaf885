/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * \file
 * \ingroup temponet
 * ReadPcap(): reads pcap and pcapng captures (optionally gzip'd) into packet events.
 *
 * libpcap parses the file; this file decodes the link-layer, IPv4/IPv6 and
 * transport headers of each packet. A gzip'd file is decoded on the fly by
 * zlib and reaches libpcap as a FILE* made by glibc's fopencookie, so memory
 * stays bounded whatever the file size.
 *
 * Event fields: ts (seconds; microsecond and nanosecond files alike), src,
 * dst, proto (the protocol after IPv6 extension headers and AH; ESP ends the
 * walk with 50), size (the IP header's length field: IPv4 total length, IPv6
 * 40 + payload length), ttl (TTL or hop limit), ports for TCP, UDP and SCTP,
 * tcpFlags (the TCP flag byte). The transport header is looked for within
 * the IP length only, never in Ethernet padding.
 *
 * Skipped frames, by reason (ReadReport::skipped):
 *  - "non-IP frame": the link header announces another protocol (ARP, LLC
 *    without SNAP, a loopback family other than IPv4/IPv6);
 *  - "IP header cut by snap length": the capture stops before the IP
 *    addresses;
 *  - "malformed link header": a frame shorter than its link header that the
 *    snap length did not cut;
 *  - "malformed IP header": wrong version for the link header, IPv4 header
 *    length below 20 or above the total length, a header shorter than its
 *    minimum in an uncut frame;
 *  - "file cut mid-record": the file (or its gzip stream) ends inside a
 *    record; the packets before it are kept, and this counts once.
 *
 * Events kept in part (ReadReport::partial), whose unknown fields stay -1:
 *  - "truncated by snap length": a port, the TCP flags or the protocol after
 *    IPv6 extension headers lay beyond the captured bytes (a packet whose
 *    headers were all captured is complete, however short its capture);
 *  - "IP packet longer than its frame": the same, in a frame the snap length
 *    did not cut;
 *  - "transport header cut by IP length": the IP length leaves no room for it;
 *  - "non-first fragment: no transport header" (IPv4 and IPv6);
 *  - "IP length field 0: size from frame length" (segmentation offload,
 *    jumbograms).
 *
 * TraceError, naming the file: it cannot be opened, its header is not pcap or
 * pcapng (empty file, random bytes), its gzip data is corrupt, its link type
 * is not one of Ethernet (with 802.1Q/802.1ad tags and LLC/SNAP), raw IP
 * (12, 14, 101, 228, 229), Linux cooked (113, 276) or BSD loopback (0, 108),
 * or libpcap rejects a record for another reason than the end of the file
 * (a corrupt length: what follows cannot be found).
 */
#include "temponet-trace-format.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <pcap/pcap.h>
#include <string>
#include <sys/types.h>
#include <zlib.h>

namespace ns3
{
namespace temponet
{

namespace
{

/// Link-layer type numbers handled here, as libpcap reports them.
enum LinkType : int
{
    kLinkNull = 0,        //!< BSD loopback, AF in the writer's byte order.
    kLinkEthernet = 1,    //!< DLT_EN10MB.
    kLinkRawLinux = 12,   //!< DLT_RAW on most systems.
    kLinkRawOpenBsd = 14, //!< DLT_RAW on OpenBSD.
    kLinkRaw = 101,       //!< LINKTYPE_RAW.
    kLinkLoop = 108,      //!< OpenBSD loopback, AF in network byte order.
    kLinkSll = 113,       //!< Linux cooked capture v1.
    kLinkIpv4 = 228,      //!< LINKTYPE_IPV4.
    kLinkIpv6 = 229,      //!< LINKTYPE_IPV6.
    kLinkSll2 = 276,      //!< Linux cooked capture v2.
};

/// IP protocol numbers used while decoding.
enum IpProto : uint8_t
{
    kProtoHopByHop = 0,
    kProtoTcp = 6,
    kProtoUdp = 17,
    kProtoRouting = 43,
    kProtoFragment = 44,
    kProtoEsp = 50,
    kProtoAh = 51,
    kProtoDestOpts = 60,
    kProtoSctp = 132,
    kProtoMobility = 135,
    kProtoHip = 139,
    kProtoShim6 = 140,
};

/// \return the big-endian 16-bit value at \p p.
inline uint16_t
Be16(const uint8_t* p)
{
    return static_cast<uint16_t>((p[0] << 8) | p[1]);
}

/// \return the big-endian 32-bit value at \p p.
inline uint32_t
Be32(const uint8_t* p)
{
    return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | p[3];
}

/// State of the gzip-decoding stream handed to libpcap.
struct GzStream
{
    gzFile gz{nullptr};   //!< zlib handle (plain files are read transparently).
    bool cutShort{false}; //!< The gzip stream ended before its trailer.
    std::string error;    //!< zlib's message after a decoding error.
};

/// fopencookie read function: decodes up to \p n bytes into \p buf.
ssize_t
GzCookieRead(void* cookie, char* buf, size_t n)
{
    auto* s = static_cast<GzStream*>(cookie);
    const int got = gzread(s->gz, buf, static_cast<unsigned>(std::min<size_t>(n, INT_MAX)));
    int err = Z_OK;
    const char* msg = gzerror(s->gz, &err);
    if (got < 0 || (err != Z_OK && err != Z_BUF_ERROR))
    {
        s->error = msg != nullptr ? msg : "decoding error";
        errno = EIO;
        return -1;
    }
    if (got == 0 && err == Z_BUF_ERROR)
    {
        s->cutShort = true;
    }
    return got;
}

/// fopencookie close function.
int
GzCookieClose(void* cookie)
{
    auto* s = static_cast<GzStream*>(cookie);
    const int rc = gzclose(s->gz);
    s->gz = nullptr;
    return rc == Z_OK ? 0 : EOF;
}

/**
 * Opens \p path for libpcap: a plain file directly, a gzip'd one through a
 * stream that decodes it on the fly into \p stream.
 * \throws TraceError when the file cannot be opened.
 */
FILE*
OpenInput(const std::string& path, GzStream& stream)
{
    stream.gz = gzopen(path.c_str(), "rb");
    if (stream.gz == nullptr)
    {
        throw TraceError(path, "", std::string("cannot open: ") + std::strerror(errno));
    }
    gzbuffer(stream.gz, 1 << 17);
    FILE* file = nullptr;
    if (gzdirect(stream.gz) == 1)
    {
        // Not gzip'd: skip zlib's extra copy.
        gzclose(stream.gz);
        stream.gz = nullptr;
        file = std::fopen(path.c_str(), "rb");
    }
    else
    {
        cookie_io_functions_t io{};
        io.read = GzCookieRead;
        io.close = GzCookieClose;
        file = fopencookie(&stream, "rb", io);
        if (file == nullptr)
        {
            gzclose(stream.gz);
            stream.gz = nullptr;
        }
    }
    if (file == nullptr)
    {
        throw TraceError(path, "", std::string("cannot open: ") + std::strerror(errno));
    }
    std::setvbuf(file, nullptr, _IOFBF, 1 << 16);
    return file;
}

/// Owns a pcap_t (and through it the cookie FILE*).
struct PcapHandle
{
    pcap_t* p{nullptr}; //!< The capture.

    ~PcapHandle()
    {
        if (p != nullptr)
        {
            pcap_close(p);
        }
    }
};

/// Where the network header starts in a frame, and how to tell its family.
struct LinkResult
{
    /// What the link layer says about the network layer.
    enum Kind
    {
        V4,        //!< IPv4 (ethertype, AF or link type).
        V6,        //!< IPv6.
        ByVersion, //!< Raw IP: the version nibble decides.
        NotIp,     //!< Another protocol: skip the frame.
        Short,     //!< Frame shorter than its link header.
    } kind;

    size_t offset; //!< Offset of the IP header.
    uint32_t code; //!< Ethertype or address family, for the skip message.
};

/**
 * \return the network layer announced by ethertype \p type, whose link header
 * ends at \p off; VLAN tags (and, with \p allowLlc, LLC/SNAP) are looked through.
 */
LinkResult
FromEthertype(const uint8_t* d, size_t cap, uint16_t type, size_t off, bool allowLlc)
{
    // 802.1Q, 802.1ad and the old QinQ tag: 2 bytes TCI, then the next type.
    while (type == 0x8100 || type == 0x88a8 || type == 0x9100)
    {
        if (cap < off + 4)
        {
            return {LinkResult::Short, 0, 0};
        }
        type = Be16(d + off + 2);
        off += 4;
    }
    if (allowLlc && type <= 1500)
    {
        // IEEE 802.3 length field: only LLC/SNAP with a zero OUI carries IP.
        static const uint8_t kSnap[6] = {0xaa, 0xaa, 0x03, 0, 0, 0};
        if (cap < off + 8 || std::memcmp(d + off, kSnap, 6) != 0)
        {
            return {LinkResult::NotIp, 0, type};
        }
        type = Be16(d + off + 6);
        off += 8;
    }
    switch (type)
    {
    case 0x0800:
        return {LinkResult::V4, off, type};
    case 0x86dd:
        return {LinkResult::V6, off, type};
    default:
        return {LinkResult::NotIp, 0, type};
    }
}

/// \return the network layer after a 4-byte BSD loopback address family.
LinkResult
FromAddressFamily(const uint8_t* d, size_t cap)
{
    if (cap < 4)
    {
        return {LinkResult::Short, 0, 0};
    }
    // The family is in the capturing host's byte order (DLT_NULL) or in
    // network order (DLT_LOOP); IPv6's value differs between BSDs.
    const uint32_t be = Be32(d);
    const uint32_t le =
        (uint32_t(d[3]) << 24) | (uint32_t(d[2]) << 16) | (uint32_t(d[1]) << 8) | d[0];
    for (uint32_t af : {be, le})
    {
        if (af == 2)
        {
            return {LinkResult::V4, 4, af};
        }
        if (af == 24 || af == 28 || af == 30)
        {
            return {LinkResult::V6, 4, af};
        }
    }
    return {LinkResult::NotIp, 0, std::min(be, le)};
}

/// \return a text such as "0x0806" for \p v.
std::string
Hex(uint32_t v)
{
    char buf[16];
    std::snprintf(buf, sizeof(buf), "0x%04x", v);
    return buf;
}

/// Decodes the packets of one capture into events.
class PacketDecoder
{
  public:
    /**
     * \param linkType libpcap's link type of the capture.
     * \param table where events go.
     * \param report where skips and partial events are counted.
     */
    PacketDecoder(int linkType, EventTable& table, ReadReport& report)
        : m_link(linkType),
          m_table(table),
          m_report(report)
    {
    }

    /// \return true when \p linkType is one this decoder understands.
    static bool Supports(int linkType)
    {
        switch (linkType)
        {
        case kLinkNull:
        case kLinkEthernet:
        case kLinkRawLinux:
        case kLinkRawOpenBsd:
        case kLinkRaw:
        case kLinkLoop:
        case kLinkSll:
        case kLinkIpv4:
        case kLinkIpv6:
        case kLinkSll2:
            return true;
        default:
            return false;
        }
    }

    /**
     * Decodes one packet.
     * \param number the 1-based packet number, for messages.
     * \param hdr libpcap's record header.
     * \param data the captured bytes.
     */
    void Decode(uint64_t number, const pcap_pkthdr& hdr, const uint8_t* data);

  private:
    /// \return the network layer of a frame of this capture's link type.
    LinkResult Link(const uint8_t* d, size_t cap) const;

    /// Decodes an IPv4 packet into m_event; \return false if it was skipped.
    bool DecodeV4(const uint8_t* p, size_t cap, size_t wire);

    /// Decodes an IPv6 packet into m_event; \return false if it was skipped.
    bool DecodeV6(const uint8_t* p, size_t cap, size_t wire);

    /**
     * Walks extension headers (IPv6's, and AH in either family) from \p off,
     * then reads the transport header.
     * \param p the IP packet.
     * \param off offset of the first header after the fixed IP header.
     * \param nextHeader the protocol of the header at \p off.
     * \param avail bytes of the packet that are both captured and within the
     *        IP length.
     * \param v6 true when the packet is IPv6.
     * \return false when the walk stopped early for lack of bytes.
     */
    bool Upper(const uint8_t* p, size_t off, uint8_t nextHeader, size_t avail, bool v6);

    /// Counts a skip of the current packet.
    void Skip(const std::string& reason, const std::string& detail);

    /// Counts the current event as kept in part.
    void Partial(const std::string& reason);

    /// \return the reason for headers missing in a packet with \p avail bytes usable.
    const char* CutReason() const;

    /// \return "packet N".
    std::string Where() const
    {
        return "packet " + std::to_string(m_number);
    }

    int m_link;               //!< libpcap link type.
    EventTable& m_table;      //!< Output.
    ReadReport& m_report;     //!< Skips and partial events.
    uint64_t m_number{0};     //!< Current packet number.
    bool m_snapCut{false};    //!< Current frame was cut by the snap length.
    bool m_ipCut{false};      //!< Captured bytes end before the IP length.
    const TraceEvent m_blank; //!< An event with every field unset (NaN made once).
    TraceEvent m_event;       //!< Event being built.
};

void
PacketDecoder::Skip(const std::string& reason, const std::string& detail)
{
    m_report.Skip(reason, Where(), detail);
}

void
PacketDecoder::Partial(const std::string& reason)
{
    m_report.Partial(reason, Where());
}

const char*
PacketDecoder::CutReason() const
{
    if (m_ipCut)
    {
        return m_snapCut ? "truncated by snap length" : "IP packet longer than its frame";
    }
    return "transport header cut by IP length";
}

LinkResult
PacketDecoder::Link(const uint8_t* d, size_t cap) const
{
    switch (m_link)
    {
    case kLinkEthernet:
        return cap < 14 ? LinkResult{LinkResult::Short, 0, 0}
                        : FromEthertype(d, cap, Be16(d + 12), 14, true);
    case kLinkSll:
        return cap < 16 ? LinkResult{LinkResult::Short, 0, 0}
                        : FromEthertype(d, cap, Be16(d + 14), 16, false);
    case kLinkSll2:
        return cap < 20 ? LinkResult{LinkResult::Short, 0, 0}
                        : FromEthertype(d, cap, Be16(d), 20, false);
    case kLinkNull:
    case kLinkLoop:
        return FromAddressFamily(d, cap);
    case kLinkIpv4:
        return {LinkResult::V4, 0, 0};
    case kLinkIpv6:
        return {LinkResult::V6, 0, 0};
    default: // The raw IP types.
        return {LinkResult::ByVersion, 0, 0};
    }
}

void
PacketDecoder::Decode(uint64_t number, const pcap_pkthdr& hdr, const uint8_t* data)
{
    m_number = number;
    m_event = m_blank;
    m_event.ts = double(hdr.ts.tv_sec) + double(hdr.ts.tv_usec) / 1e9;
    const size_t cap = hdr.caplen;
    const size_t wire = std::max<size_t>(hdr.len, hdr.caplen);
    m_snapCut = hdr.caplen < hdr.len;

    const LinkResult link = Link(data, cap);
    if (link.kind == LinkResult::Short)
    {
        if (m_snapCut)
        {
            Skip("IP header cut by snap length", "the link header is incomplete");
        }
        else
        {
            Skip("malformed link header", "frame of " + std::to_string(cap) + " bytes");
        }
        return;
    }
    if (link.kind == LinkResult::NotIp)
    {
        Skip("non-IP frame",
             m_link == kLinkNull || m_link == kLinkLoop
                 ? "address family " + std::to_string(link.code)
                 : "ethertype " + Hex(link.code));
        return;
    }
    const uint8_t* ip = data + link.offset;
    const size_t ipCap = cap - link.offset;
    const size_t ipWire = wire - link.offset;
    if (ipCap == 0)
    {
        Skip(m_snapCut ? "IP header cut by snap length" : "malformed IP header", "no IP header");
        return;
    }
    const int version = ip[0] >> 4;
    bool v6 = false;
    switch (link.kind)
    {
    case LinkResult::V4:
    case LinkResult::V6:
        v6 = link.kind == LinkResult::V6;
        if (version != (v6 ? 6 : 4))
        {
            Skip("malformed IP header",
                 "version " + std::to_string(version) + " in an IPv" + (v6 ? "6" : "4") + " frame");
            return;
        }
        break;
    default:
        if (version != 4 && version != 6)
        {
            Skip("malformed IP header", "version " + std::to_string(version));
            return;
        }
        v6 = version == 6;
        break;
    }
    const bool kept = v6 ? DecodeV6(ip, ipCap, ipWire) : DecodeV4(ip, ipCap, ipWire);
    if (kept)
    {
        m_table.Append(m_event);
        ++m_report.records;
    }
}

bool
PacketDecoder::DecodeV4(const uint8_t* p, size_t cap, size_t wire)
{
    if (cap < 20)
    {
        if (m_snapCut)
        {
            Skip("IP header cut by snap length", std::to_string(cap) + " bytes of IPv4 header");
        }
        else
        {
            Skip("malformed IP header", "IPv4 header of " + std::to_string(cap) + " bytes");
        }
        return false;
    }
    const size_t ihl = size_t(p[0] & 0x0f) * 4;
    if (ihl < 20)
    {
        Skip("malformed IP header", "IPv4 header length " + std::to_string(ihl));
        return false;
    }
    size_t total = Be16(p + 2);
    if (total == 0 && wire >= ihl)
    {
        // Captured before segmentation offload filled the field in.
        total = wire;
        Partial("IP length field 0: size from frame length");
    }
    else if (total < ihl)
    {
        Skip("malformed IP header",
             "IPv4 total length " + std::to_string(total) + " below header length " +
                 std::to_string(ihl));
        return false;
    }
    m_event.src = IpAddr::FromV4(Be32(p + 12));
    m_event.dst = IpAddr::FromV4(Be32(p + 16));
    m_event.ttl = p[8];
    m_event.proto = p[9];
    m_event.size = static_cast<int32_t>(total);
    m_ipCut = cap < total;
    if ((Be16(p + 6) & 0x1fff) != 0)
    {
        Partial("non-first fragment: no transport header");
        return true;
    }
    if (!Upper(p, ihl, p[9], std::min(cap, total), false))
    {
        Partial(CutReason());
    }
    return true;
}

bool
PacketDecoder::DecodeV6(const uint8_t* p, size_t cap, size_t wire)
{
    if (cap < 40)
    {
        if (m_snapCut)
        {
            Skip("IP header cut by snap length", std::to_string(cap) + " bytes of IPv6 header");
        }
        else
        {
            Skip("malformed IP header", "IPv6 header of " + std::to_string(cap) + " bytes");
        }
        return false;
    }
    size_t total = 40 + size_t(Be16(p + 4));
    if (total == 40 && wire > 40 && p[6] != 59)
    {
        // Payload length 0: a jumbogram or a segmentation-offload capture.
        total = wire;
        Partial("IP length field 0: size from frame length");
    }
    m_event.src = IpAddr::FromV6(p + 8);
    m_event.dst = IpAddr::FromV6(p + 24);
    m_event.ttl = p[7];
    m_event.proto = p[6];
    m_event.size = static_cast<int32_t>(total);
    m_ipCut = cap < total;
    if (!Upper(p, 40, p[6], std::min(cap, total), true))
    {
        Partial(CutReason());
    }
    return true;
}

bool
PacketDecoder::Upper(const uint8_t* p, size_t off, uint8_t next, size_t avail, bool v6)
{
    // Every extension header is at least 8 bytes, so the walk ends.
    for (;;)
    {
        size_t len = 0;
        if (next == kProtoAh)
        {
            if (off + 2 > avail)
            {
                m_event.proto = -1;
                return false;
            }
            len = (size_t(p[off + 1]) + 2) * 4;
        }
        else if (v6 && (next == kProtoHopByHop || next == kProtoRouting || next == kProtoDestOpts ||
                        next == kProtoMobility || next == kProtoHip || next == kProtoShim6))
        {
            if (off + 2 > avail)
            {
                m_event.proto = -1;
                return false;
            }
            len = (size_t(p[off + 1]) + 1) * 8;
        }
        else if (v6 && next == kProtoFragment)
        {
            if (off + 8 > avail)
            {
                m_event.proto = -1;
                return false;
            }
            next = p[off];
            m_event.proto = next;
            if ((Be16(p + off + 2) >> 3) != 0)
            {
                Partial("non-first fragment: no transport header");
                return true;
            }
            off += 8;
            continue;
        }
        else
        {
            break;
        }
        next = p[off];
        off += len;
        m_event.proto = next;
    }

    const uint8_t* l4 = p + off;
    const size_t l4len = avail > off ? avail - off : 0;
    switch (next)
    {
    case kProtoTcp:
        if (l4len >= 4)
        {
            m_event.srcPort = Be16(l4);
            m_event.dstPort = Be16(l4 + 2);
        }
        if (l4len < 14)
        {
            return false;
        }
        m_event.tcpFlags = l4[13];
        return true;
    case kProtoUdp:
    case kProtoSctp:
        if (l4len < 4)
        {
            return false;
        }
        m_event.srcPort = Be16(l4);
        m_event.dstPort = Be16(l4 + 2);
        return true;
    default:
        return true;
    }
}

} // namespace

void
ReadPcap(const std::string& path, EventTable& table, ReadReport& report)
{
    if (report.file.empty())
    {
        report.file = path;
    }
    if (report.format.empty())
    {
        report.format = FormatName(TraceFormat::Pcap);
    }

    GzStream stream;
    FILE* file = OpenInput(path, stream);

    char errbuf[PCAP_ERRBUF_SIZE] = {0};
    PcapHandle handle;
    handle.p = pcap_fopen_offline_with_tstamp_precision(file, PCAP_TSTAMP_PRECISION_NANO, errbuf);
    if (handle.p == nullptr)
    {
        std::fclose(file);
        if (!stream.error.empty())
        {
            throw TraceError(path, "", "gzip data is corrupt: " + stream.error);
        }
        throw TraceError(path, "", std::string("not a readable pcap or pcapng file: ") + errbuf);
    }
    const int linkType = pcap_datalink(handle.p);
    if (!PacketDecoder::Supports(linkType))
    {
        const char* name = pcap_datalink_val_to_name(linkType);
        throw TraceError(path,
                         "",
                         "unsupported link type " + std::to_string(linkType) +
                             (name != nullptr ? std::string(" (") + name + ")" : std::string()) +
                             "; supported: Ethernet, raw IPv4/IPv6, Linux cooked (SLL, SLL2), "
                             "BSD loopback");
    }
    if (table.Empty())
    {
        table.SetKind(TraceKind::Packets);
    }

    PacketDecoder decoder(linkType, table, report);
    uint64_t number = 0;
    bool cutReported = false;
    for (;;)
    {
        pcap_pkthdr* hdr = nullptr;
        const u_char* data = nullptr;
        const int rc = pcap_next_ex(handle.p, &hdr, &data);
        if (rc == 1)
        {
            decoder.Decode(++number, *hdr, data);
            continue;
        }
        if (rc == PCAP_ERROR_BREAK)
        {
            break; // End of file.
        }
        const std::string where = "packet " + std::to_string(number + 1);
        if (!stream.error.empty())
        {
            throw TraceError(path, where, "gzip data is corrupt: " + stream.error);
        }
        const std::string msg = pcap_geterr(handle.p);
        if (msg.find("truncated") == std::string::npos)
        {
            throw TraceError(path, where, "unreadable record: " + msg);
        }
        report.Skip("file cut mid-record",
                    where,
                    stream.cutShort ? "the gzip stream ends early; " + msg : msg);
        cutReported = true;
        break;
    }
    if (stream.cutShort && !cutReported)
    {
        report.Skip("file cut mid-record",
                    "packet " + std::to_string(number + 1),
                    "the gzip stream ends early");
    }
}

} // namespace temponet
} // namespace ns3
