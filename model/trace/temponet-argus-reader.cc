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

/// \return days since 1970-01-01 of a proleptic Gregorian date.
int64_t
DaysFromCivil(int64_t y, int m, int d)
{
    // Count years from March so that the leap day falls at the end of a year.
    y -= m <= 2 ? 1 : 0;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const int64_t yearOfEra = y - era * 400;
    const int64_t dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const int64_t dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return era * 146097 + dayOfEra - 719468;
}

/// Reads \p n digits of \p s at \p pos. \return false if they are not all digits.
bool
Digits(std::string_view s, size_t& pos, size_t n, int& out)
{
    if (pos + n > s.size())
    {
        return false;
    }
    out = 0;
    for (size_t i = 0; i < n; ++i)
    {
        const char c = s[pos + i];
        if (c < '0' || c > '9')
        {
            return false;
        }
        out = out * 10 + (c - '0');
    }
    pos += n;
    return true;
}

/// Parses an Argus start time (see the file comment) into seconds since the epoch.
bool
ParseStartTime(std::string_view s, double& out)
{
    s = Trim(s);
    if (s.size() < 19 || (s[4] != '/' && s[4] != '-'))
    {
        return ParseDouble(s, out);
    }
    size_t pos = 0;
    int y = 0;
    int mo = 0;
    int d = 0;
    int h = 0;
    int mi = 0;
    int sec = 0;
    const char dateSep = s[4];
    if (!Digits(s, pos, 4, y) || s[pos++] != dateSep || !Digits(s, pos, 2, mo) ||
        s[pos++] != dateSep || !Digits(s, pos, 2, d) || (s[pos] != ' ' && s[pos] != 'T'))
    {
        return false;
    }
    ++pos;
    if (!Digits(s, pos, 2, h) || s[pos++] != ':' || !Digits(s, pos, 2, mi) || s[pos++] != ':' ||
        !Digits(s, pos, 2, sec))
    {
        return false;
    }
    static constexpr int kMonthDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (mo < 1 || mo > 12 || d < 1 || d > kMonthDays[mo - 1] || (mo == 2 && d == 29 && !leap) ||
        h > 23 || mi > 59 || sec > 60)
    {
        return false;
    }
    const int64_t whole = DaysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
    // Rebuild "seconds.fraction" as text so that the conversion rounds once.
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + 24, whole);
    if (ec != std::errc())
    {
        return false;
    }
    if (pos < s.size())
    {
        if (s[pos] != '.' || s.size() - pos > 30)
        {
            return false;
        }
        *end++ = '.';
        for (++pos; pos < s.size(); ++pos)
        {
            if (s[pos] < '0' || s[pos] > '9')
            {
                return false;
            }
            *end++ = s[pos];
        }
    }
    return ParseDouble(std::string_view(buf, static_cast<size_t>(end - buf)), out);
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
    LineReader reader(path);
    std::string_view line;
    std::vector<std::string_view> f;
    f.reserve(32);

    bool haveHeader = false;
    while (reader.Next(line))
    {
        if (!Trim(line).empty())
        {
            haveHeader = true;
            break;
        }
    }
    if (!haveHeader)
    {
        throw TraceError(path, "line 1", "the file is empty (expected the header line)");
    }
    if (line.substr(0, 3) == "\xEF\xBB\xBF")
    {
        line.remove_prefix(3);
    }
    SplitFields(line, ',', f);
    int col[kArgusColumnCount];
    for (int r = 0; r < kArgusColumnCount; ++r)
    {
        col[r] = -1;
        for (size_t i = 0; i < f.size(); ++i)
        {
            if (Trim(f[i]) == kArgusColumns[r])
            {
                col[r] = static_cast<int>(i);
                break;
            }
        }
        if (col[r] < 0 && r < kArgusRequired)
        {
            throw TraceError(path,
                             reader.Where(),
                             std::string("the header has no column \"") + kArgusColumns[r] +
                                 "\" (expected StartTime,Dur,Proto,SrcAddr,Sport,Dir,DstAddr,"
                                 "Dport,...,TotPkts,TotBytes)");
        }
    }
    const size_t nFields = f.size();

    table.SetKind(TraceKind::Flows);
    uint64_t appended = 0;
    bool sized = !table.Empty();
    TraceEvent e;
    while (reader.Next(line))
    {
        if (line.empty() || Trim(line).empty())
        {
            continue;
        }
        if (!sized)
        {
            sized = true;
            const uint64_t n = EstimateLineCount(path, line.size() + 1);
            if (n > 0 && n < (uint64_t(1) << 31))
            {
                table.Reserve(static_cast<size_t>(n + n / 16 + 16));
            }
        }
        SplitFields(line, ',', f);
        if (f.size() != nFields)
        {
            report.Skip("malformed row",
                        reader.Where(),
                        std::to_string(f.size()) + " fields, expected " + std::to_string(nFields));
            continue;
        }
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
        ThrowNoUsableRecord(reader, report);
    }
    report.records += appended;
}

} // namespace temponet
} // namespace ns3
