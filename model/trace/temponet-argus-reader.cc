/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * \file
 * \ingroup temponet
 * Reader for Argus bidirectional flow records printed as CSV ("binetflow"),
 * as in the CTU-13 datasets:
 *
 *     StartTime,Dur,Proto,SrcAddr,Sport,Dir,DstAddr,Dport,State,sTos,dTos,TotPkts,TotBytes,SrcBytes,Label
 *
 * Columns are found by name. Required: StartTime, Proto, SrcAddr, Sport,
 * DstAddr, Dport. Optional: Dur, TotPkts, TotBytes; the others (Dir, State,
 * Label ...) are ignored.
 *
 * - \c StartTime: "YYYY/MM/DD hh:mm:ss[.ffffff]" (also with '-' between the
 *   date parts or a 'T' before the time) in UTC, or seconds since the epoch.
 * - \c Proto: a name as Argus prints it (tcp, udp, icmp, ipv6-icmp, igmp,
 *   esp, gre, ...; rtp, rtcp and udt are Argus' names for UDP flows it
 *   recognised and become 17) or a number. Records of non-IP protocols
 *   (arp, rarp, llc, ipx/spx, lldp, stp, Argus management records "man" ...)
 *   are skipped as "non-IP record"; names not known at all as "unknown protocol".
 * - \c Sport, \c Dport: decimal or hexadecimal ("0x0303"). ICMP puts its type
 *   and code there, and protocols without ports may carry other identifiers:
 *   ports are kept only for TCP, UDP, DCCP, SCTP and UDP-Lite, else -1.
 *   An empty port (e.g. IP fragments) is -1.
 * - \c Dur: seconds. \c TotPkts: packets of both directions.
 * - \c TotBytes, converted to IP-layer bytes: Argus counts each packet's
 *   length as received on the wire, link-layer header included (its
 *   "application bytes" are the total minus MAC, IP and transport headers).
 *   The CTU-13 captures are Ethernet, so the rule is
 *   bytes = TotBytes - 14 * TotPkts. When that would leave less than a 20-byte
 *   IP header per packet the record cannot have been Ethernet-framed, and
 *   TotBytes is kept as it is. Ethernet padding of short frames (to 60 bytes)
 *   is not removed: Argus does not report it separately.
 */

#include "temponet-line-reader.h"
#include "temponet-time-format.h"
#include "temponet-trace-format.h"

#include <charconv>
#include <cmath>

namespace ns3
{
namespace temponet
{

namespace
{

/// Column roles, in the order of kArgusColumns.
enum ArgusColumn
{
    kStartTime,
    kProto,
    kSrcAddr,
    kSport,
    kDstAddr,
    kDport,
    kDur,
    kTotPkts,
    kTotBytes,
    kArgusColumnCount
};

/// Column names, by role.
constexpr const char* kArgusColumns[kArgusColumnCount] =
    {"StartTime", "Proto", "SrcAddr", "Sport", "DstAddr", "Dport", "Dur", "TotPkts", "TotBytes"};

/// Roles whose column must be present.
constexpr int kArgusRequired = kDport + 1;

/// Ethernet header bytes that Argus counts in TotBytes, per packet.
constexpr int64_t kLinkHeaderBytes = 14;

/// Protocol classes of Argus protocol names.
enum ProtoClass
{
    kIp,      //!< An IP protocol.
    kNonIp,   //!< A link-layer protocol or an Argus management record.
    kUnknown, //!< Not a name this reader knows.
};

/// \return the class of Argus protocol name \p s; sets \p proto for IP protocols.
ProtoClass
ArgusProto(std::string_view s, int& proto)
{
    s = Trim(s);

    struct Name
    {
        const char* name;
        int proto;
    };

    static constexpr Name kIpNames[] = {
        {"tcp", 6},          {"udp", 17},     {"icmp", 1},        {"ipv6-icmp", 58},
        {"icmp6", 58},       {"rtp", 17},     {"rtcp", 17},       {"udt", 17},
        {"igmp", 2},         {"ggp", 3},      {"ipnip", 4},       {"ipip", 4},
        {"st", 5},           {"egp", 8},      {"igp", 9},         {"pup", 12},
        {"idp", 22},         {"dccp", 33},    {"ipv6", 41},       {"ipv6-route", 43},
        {"ipv6-frag", 44},   {"rsvp", 46},    {"gre", 47},        {"esp", 50},
        {"ah", 51},          {"ipv6-no", 59}, {"ipv6-nonxt", 59}, {"ipv6-opts", 60},
        {"eigrp", 88},       {"ospf", 89},    {"ospfigp", 89},    {"etherip", 97},
        {"encap", 98},       {"pim", 103},    {"ipcomp", 108},    {"vrrp", 112},
        {"l2tp", 115},       {"isis", 124},   {"sctp", 132},      {"udplite", 136},
        {"mpls-in-ip", 137},
    };
    static constexpr const char* kNonIpNames[] = {
        "arp",    "rarp", "llc",  "ipx/spx", "ipx",   "lldp",    "stp",     "man",
        "cdp",    "lacp", "loop", "pppoe",   "aoe",   "wlan",    "clns",    "esis",
        "802.1q", "vlan", "mpls", "ether",   "eapol", "ipx-spx", "netbeui",
    };
    for (const auto& n : kIpNames)
    {
        if (s == n.name)
        {
            proto = n.proto;
            return kIp;
        }
    }
    for (const char* n : kNonIpNames)
    {
        if (s == n)
        {
            return kNonIp;
        }
    }
    int64_t v = 0;
    if (ParseInt(s, v) && v >= 0 && v <= 255)
    {
        proto = static_cast<int>(v);
        return kIp;
    }
    return kUnknown;
}

/// \return true for protocols whose header carries ports.
bool
HasPorts(int proto)
{
    return proto == 6 || proto == 17 || proto == 33 || proto == 132 || proto == 136;
}

/// Parses an Argus port: decimal, or hexadecimal with a 0x prefix.
bool
ParsePort(std::string_view s, int32_t& out)
{
    s = Trim(s);
    int64_t v = -1;
    if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
    {
        auto [ptr, ec] = std::from_chars(s.data() + 2, s.data() + s.size(), v, 16);
        if (ec != std::errc() || ptr != s.data() + s.size())
        {
            return false;
        }
    }
    else if (!ParseInt(s, v))
    {
        return false;
    }
    if (v < 0 || v > 65535)
    {
        return false;
    }
    out = static_cast<int32_t>(v);
    return true;
}

/// Parses an Argus start time (see the file comment) into seconds since the epoch.
bool
ParseStartTime(std::string_view s, double& out)
{
    s = Trim(s);
    if (s.size() < 19 || (s[4] != '/' && s[4] != '-') || s[7] != s[4])
    {
        return ParseDouble(s, out);
    }
    // Argus writes 2011/08/10 09:46:53.047277 (UTC): ISO 8601 with slashes,
    // always with seconds.
    std::string iso(s);
    iso[4] = '-';
    iso[7] = '-';
    if (iso.size() > 19 && iso[19] != '.')
    {
        return false;
    }
    const auto t = ParseIso8601(iso);
    if (!t)
    {
        return false;
    }
    out = *t;
    return true;
}

/// \return the detail of a malformed-row skip: the column and its value.
std::string
BadValue(int role, std::string_view value, const char* why)
{
    return std::string("column ") + kArgusColumns[role] + ": \"" +
           std::string(value.substr(0, 40)) + "\" " + why;
}

} // namespace

void
ReadArgus(const std::string& path, EventTable& table, ReadReport& report)
{
    if (report.file.empty())
    {
        report.file = path;
        report.format = FormatName(TraceFormat::Argus);
    }
    CsvReader reader(path,
                     ',',
                     kArgusColumns,
                     kArgusColumnCount,
                     kArgusRequired,
                     "StartTime,Dur,Proto,SrcAddr,Sport,Dir,DstAddr,Dport,...,TotPkts,TotBytes");
    const std::vector<int>& col = reader.Columns();
    std::vector<std::string_view> f;
    f.reserve(32);

    table.SetKind(TraceKind::Flows);
    uint64_t appended = 0;
    reader.ReserveIn(table);
    TraceEvent e;
    while (reader.Next(f, report))
    {
        e = TraceEvent{};
        int proto = -1;
        switch (ArgusProto(f[col[kProto]], proto))
        {
        case kIp:
            break;
        case kNonIp:
            report.Skip("non-IP record",
                        reader.Where(),
                        "proto " + std::string(Trim(f[col[kProto]]).substr(0, 20)));
            continue;
        case kUnknown:
            report.Skip("unknown protocol",
                        reader.Where(),
                        BadValue(kProto, f[col[kProto]], "is not a known protocol"));
            continue;
        }
        e.proto = static_cast<int16_t>(proto);
        if (!ParseStartTime(f[col[kStartTime]], e.ts))
        {
            report.Skip("malformed row",
                        reader.Where(),
                        BadValue(kStartTime, f[col[kStartTime]], "is not a date and time"));
            continue;
        }
        if (!ParseIpAddr(f[col[kSrcAddr]], e.src))
        {
            report.Skip("malformed row",
                        reader.Where(),
                        BadValue(kSrcAddr, f[col[kSrcAddr]], "is not an IP address"));
            continue;
        }
        if (!ParseIpAddr(f[col[kDstAddr]], e.dst))
        {
            report.Skip("malformed row",
                        reader.Where(),
                        BadValue(kDstAddr, f[col[kDstAddr]], "is not an IP address"));
            continue;
        }
        if (HasPorts(proto))
        {
            const std::string_view sp = f[col[kSport]];
            const std::string_view dp = f[col[kDport]];
            if (!Trim(sp).empty() && !ParsePort(sp, e.srcPort))
            {
                report.Skip("malformed row", reader.Where(), BadValue(kSport, sp, "is not a port"));
                continue;
            }
            if (!Trim(dp).empty() && !ParsePort(dp, e.dstPort))
            {
                report.Skip("malformed row", reader.Where(), BadValue(kDport, dp, "is not a port"));
                continue;
            }
        }
        if (col[kDur] >= 0 && !Trim(f[col[kDur]]).empty())
        {
            if (!ParseDouble(f[col[kDur]], e.duration) || e.duration < 0)
            {
                report.Skip("malformed row",
                            reader.Where(),
                            BadValue(kDur, f[col[kDur]], "is not a duration"));
                continue;
            }
        }
        if (col[kTotPkts] >= 0 && !Trim(f[col[kTotPkts]]).empty())
        {
            if (!ParseInt(f[col[kTotPkts]], e.packets) || e.packets < 0)
            {
                report.Skip("malformed row",
                            reader.Where(),
                            BadValue(kTotPkts, f[col[kTotPkts]], "is not a packet count"));
                continue;
            }
        }
        if (col[kTotBytes] >= 0 && !Trim(f[col[kTotBytes]]).empty())
        {
            if (!ParseInt(f[col[kTotBytes]], e.bytes) || e.bytes < 0)
            {
                report.Skip("malformed row",
                            reader.Where(),
                            BadValue(kTotBytes, f[col[kTotBytes]], "is not a byte count"));
                continue;
            }
            if (e.packets > 0 && e.packets < (int64_t(1) << 40) &&
                e.bytes - kLinkHeaderBytes * e.packets >= 20 * e.packets)
            {
                e.bytes -= kLinkHeaderBytes * e.packets;
            }
        }
        table.Append(e);
        ++appended;
    }
    if (appended == 0)
    {
        ThrowNoUsableRecord(reader.Lines(), report);
    }
    report.records += appended;
}

} // namespace temponet
} // namespace ns3
