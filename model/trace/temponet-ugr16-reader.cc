/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * \file
 * \ingroup temponet
 * Reader for the NetShare/UGR'16 NetFlow CSV.
 *
 * Header (columns are found by name, so their order may change and extra
 * columns are ignored):
 *
 *     srcip,dstip,srcport,dstport,proto,ts,td,pkt,byt,type
 *
 * - \c srcip, \c dstip: IPv4 as an unsigned 32-bit decimal (host order, as
 *   NetShare writes them), or dotted/IPv6 text.
 * - \c proto: a name (TCP, UDP, ICMP, GRE, ESP, IPIP, IPv6, any case) or a number.
 * - \c ts: microseconds since the epoch, possibly with a ".0" fraction; stored in seconds.
 * - \c td: duration in seconds; \c pkt packets; \c byt bytes (optional columns).
 * - Ports of protocols that have none (everything but TCP, UDP, DCCP, SCTP,
 *   UDP-Lite) become -1 whatever the file holds (NetFlow writes 0 there).
 *
 * Required columns: srcip, dstip, srcport, dstport, proto, ts.
 */

#include "temponet-line-reader.h"
#include "temponet-trace-format.h"

#include <cmath>
#include <cstring>

namespace ns3
{
namespace temponet
{

namespace
{

/// Column roles, in the order of kUgrColumns.
enum UgrColumn
{
    kSrcIp,
    kDstIp,
    kSrcPort,
    kDstPort,
    kProto,
    kTs,
    kTd,
    kPkt,
    kByt,
    kUgrColumnCount
};

/// Column names, by role.
constexpr const char* kUgrColumns[kUgrColumnCount] =
    {"srcip", "dstip", "srcport", "dstport", "proto", "ts", "td", "pkt", "byt"};

/// Roles whose column must be present.
constexpr int kUgrRequired = kTs + 1;

/// \return \p s case-folded equal to lowercase \p lower.
bool
EqualsNoCase(std::string_view s, std::string_view lower)
{
    if (s.size() != lower.size())
    {
        return false;
    }
    for (size_t i = 0; i < s.size(); ++i)
    {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
        {
            c = static_cast<char>(c - 'A' + 'a');
        }
        if (c != lower[i])
        {
            return false;
        }
    }
    return true;
}

/// \return the IP protocol number of a UGR'16 protocol name or number, -1 if unknown.
int
UgrProto(std::string_view s)
{
    s = Trim(s);

    struct Name
    {
        const char* name;
        int proto;
    };

    static constexpr Name kNames[] = {
        {"tcp", 6},
        {"udp", 17},
        {"icmp", 1},
        {"gre", 47},
        {"esp", 50},
        {"ipip", 4},
        {"ipv6", 41},
        {"ah", 51},
        {"igmp", 2},
        {"sctp", 132},
        {"icmp6", 58},
        {"ipv6-icmp", 58},
    };
    for (const auto& n : kNames)
    {
        if (EqualsNoCase(s, n.name))
        {
            return n.proto;
        }
    }
    int64_t v = 0;
    if (ParseWholeNumber(s, v) && v >= 0 && v <= 255)
    {
        return static_cast<int>(v);
    }
    return -1;
}

/// \return true for protocols whose header carries ports.
bool
HasPorts(int proto)
{
    return proto == 6 || proto == 17 || proto == 33 || proto == 132 || proto == 136;
}

/// \return the detail of a malformed-row skip: the column and its value.
std::string
BadValue(int role, std::string_view value, const char* why)
{
    return std::string("column ") + kUgrColumns[role] + ": \"" + std::string(value.substr(0, 40)) +
           "\" " + why;
}

/// Parses a NetShare address: a 32-bit decimal, or address text.
bool
ParseUgrAddr(std::string_view s, IpAddr& out)
{
    int64_t v = 0;
    if (ParseInt(s, v))
    {
        if (v < 0 || v > 0xffffffffLL)
        {
            return false;
        }
        out = IpAddr::FromV4(static_cast<uint32_t>(v));
        return true;
    }
    return ParseIpAddr(s, out);
}

} // namespace

void
ReadUgr16(const std::string& path, EventTable& table, ReadReport& report)
{
    if (report.file.empty())
    {
        report.file = path;
        report.format = FormatName(TraceFormat::Ugr16);
    }
    CsvReader reader(path,
                     ',',
                     kUgrColumns,
                     kUgrColumnCount,
                     kUgrRequired,
                     "srcip,dstip,srcport,dstport,proto,ts,td,pkt,byt");
    const std::vector<int>& col = reader.Columns();
    std::vector<std::string_view> f;
    f.reserve(16);

    table.SetKind(TraceKind::Flows);
    uint64_t appended = 0;
    reader.ReserveIn(table);
    TraceEvent e;
    while (reader.Next(f, report))
    {
        e = TraceEvent{};
        if (!ParseUgrAddr(f[col[kSrcIp]], e.src))
        {
            report.Skip("malformed row",
                        reader.Where(),
                        BadValue(kSrcIp, f[col[kSrcIp]], "is not an address"));
            continue;
        }
        if (!ParseUgrAddr(f[col[kDstIp]], e.dst))
        {
            report.Skip("malformed row",
                        reader.Where(),
                        BadValue(kDstIp, f[col[kDstIp]], "is not an address"));
            continue;
        }
        const int proto = UgrProto(f[col[kProto]]);
        if (proto < 0)
        {
            report.Skip("malformed row",
                        reader.Where(),
                        BadValue(kProto, f[col[kProto]], "is not a known protocol"));
            continue;
        }
        e.proto = static_cast<int16_t>(proto);
        if (HasPorts(proto))
        {
            int64_t sp = 0;
            int64_t dp = 0;
            if (!ParseWholeNumber(f[col[kSrcPort]], sp) || sp < 0 || sp > 65535)
            {
                report.Skip("malformed row",
                            reader.Where(),
                            BadValue(kSrcPort, f[col[kSrcPort]], "is not a port"));
                continue;
            }
            if (!ParseWholeNumber(f[col[kDstPort]], dp) || dp < 0 || dp > 65535)
            {
                report.Skip("malformed row",
                            reader.Where(),
                            BadValue(kDstPort, f[col[kDstPort]], "is not a port"));
                continue;
            }
            e.srcPort = static_cast<int32_t>(sp);
            e.dstPort = static_cast<int32_t>(dp);
        }
        double tsUs = 0;
        if (!ParseDouble(f[col[kTs]], tsUs) || tsUs < 0)
        {
            report.Skip("malformed row",
                        reader.Where(),
                        BadValue(kTs, f[col[kTs]], "is not a time in microseconds"));
            continue;
        }
        e.ts = tsUs / 1e6;
        if (col[kTd] >= 0)
        {
            double td = 0;
            if (!ParseDouble(f[col[kTd]], td) || td < 0)
            {
                report.Skip("malformed row",
                            reader.Where(),
                            BadValue(kTd, f[col[kTd]], "is not a duration"));
                continue;
            }
            e.duration = td;
        }
        if (col[kPkt] >= 0)
        {
            if (!ParseWholeNumber(f[col[kPkt]], e.packets) || e.packets < 0)
            {
                report.Skip("malformed row",
                            reader.Where(),
                            BadValue(kPkt, f[col[kPkt]], "is not a packet count"));
                continue;
            }
        }
        if (col[kByt] >= 0)
        {
            if (!ParseWholeNumber(f[col[kByt]], e.bytes) || e.bytes < 0)
            {
                report.Skip("malformed row",
                            reader.Where(),
                            BadValue(kByt, f[col[kByt]], "is not a byte count"));
                continue;
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
