/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * \file
 * \ingroup temponet
 * Reader for the DARPA'99 packet CSV (as shipped with the rpcap package data):
 *
 *     ts,src,dst,proto,len,tcp_flags,sport,dport
 *
 * Columns are found by name; tcp_flags, sport and dport are optional.
 * One row is one Ethernet frame. \c -1 means not applicable; a row with an
 * empty \c src is a non-IP frame (ARP ...) and is skipped as "non-IP frame".
 * \c ts is in seconds (whole seconds in the DARPA file), \c proto the IP
 * protocol number.
 *
 * Frame length to IP total length (TraceEvent::size):
 * - \c len is the Ethernet frame length without FCS, so size = len - 14.
 * - Ethernet pads frames to its 60-byte minimum, so a frame of exactly 60
 *   bytes holds an IP packet of unknown length between its minimum and 46
 *   bytes. Its size is estimated as the smallest possible packet of its
 *   protocol: the IP header (20, or 40 for IPv6) plus the smallest transport
 *   header (TCP 20, UDP 8, ICMP/ICMPv6 8, others 0), at most 46. This is a
 *   lower bound: pure ACKs (most of these frames) are exact, a SYN with an
 *   MSS option or a one-byte keystroke is under by a few bytes. Such events
 *   are counted in ReadReport::partial under
 *   "IP length estimated from padded 60-byte frame".
 * - Shorter frames (not padded by the capturing host) use len - 14 as is;
 *   a length that leaves less than the IP header is a malformed row.
 */

#include "temponet-line-reader.h"
#include "temponet-trace-format.h"

#include <algorithm>

namespace ns3
{
namespace temponet
{

namespace
{

/// Column roles, in the order of kDarpaColumns.
enum DarpaColumn
{
    kTs,
    kSrc,
    kDst,
    kProto,
    kLen,
    kTcpFlags,
    kSport,
    kDport,
    kDarpaColumnCount
};

/// Column names, by role.
constexpr const char* kDarpaColumns[kDarpaColumnCount] =
    {"ts", "src", "dst", "proto", "len", "tcp_flags", "sport", "dport"};

/// Roles whose column must be present.
constexpr int kDarpaRequired = kLen + 1;

/// Ethernet header bytes (no VLAN tag, no FCS).
constexpr int64_t kEthernetHeader = 14;

/// Minimum Ethernet frame without FCS; shorter frames are padded to it.
constexpr int64_t kPaddedFrame = 60;

/// Partial-reason of events whose size was estimated.
constexpr const char* kPaddedReason = "IP length estimated from padded 60-byte frame";

/// \return the smallest IP packet of \p proto, capped at the padded payload.
int32_t
MinimumPacket(int proto, bool v6)
{
    const auto cap = static_cast<int32_t>(kPaddedFrame - kEthernetHeader);
    return std::min(MinimumIpPacket(proto, v6), cap);
}

/// \return the detail of a malformed-row skip: the column and its value.
std::string
BadValue(int role, std::string_view value, const char* why)
{
    return std::string("column ") + kDarpaColumns[role] + ": \"" +
           std::string(value.substr(0, 40)) + "\" " + why;
}

/// Parses an optional integer column: -1 (or empty) or a value in [0, max].
bool
ParseOptional(std::string_view s, int64_t max, int64_t& out)
{
    if (s.empty())
    {
        out = -1;
        return true;
    }
    return ParseInt(s, out) && out >= -1 && out <= max;
}

} // namespace

void
ReadDarpaCsv(const std::string& path, EventTable& table, ReadReport& report)
{
    if (report.file.empty())
    {
        report.file = path;
        report.format = FormatName(TraceFormat::DarpaCsv);
    }
    CsvReader reader(path,
                     ',',
                     kDarpaColumns,
                     kDarpaColumnCount,
                     kDarpaRequired,
                     "ts,src,dst,proto,len,tcp_flags,sport,dport");
    const std::vector<int>& col = reader.Columns();
    std::vector<std::string_view> f;
    f.reserve(16);

    table.SetKind(TraceKind::Packets);
    uint64_t appended = 0;
    uint64_t paddedBulk = 0;
    reader.ReserveIn(table);
    TraceEvent e;
    while (reader.Next(f, report))
    {
        if (Trim(f[col[kSrc]]).empty())
        {
            report.Skip("non-IP frame", reader.Where());
            continue;
        }
        e = TraceEvent{};
        if (!ParseDouble(f[col[kTs]], e.ts))
        {
            report.Skip("malformed row",
                        reader.Where(),
                        BadValue(kTs, f[col[kTs]], "is not a time"));
            continue;
        }
        if (!ParseIpAddr(f[col[kSrc]], e.src))
        {
            report.Skip("malformed row",
                        reader.Where(),
                        BadValue(kSrc, f[col[kSrc]], "is not an IP address"));
            continue;
        }
        if (!ParseIpAddr(f[col[kDst]], e.dst))
        {
            report.Skip("malformed row",
                        reader.Where(),
                        BadValue(kDst, f[col[kDst]], "is not an IP address"));
            continue;
        }
        int64_t proto = 0;
        if (!ParseInt(f[col[kProto]], proto) || proto < 0 || proto > 255)
        {
            report.Skip("malformed row",
                        reader.Where(),
                        BadValue(kProto, f[col[kProto]], "is not a protocol number"));
            continue;
        }
        e.proto = static_cast<int16_t>(proto);
        int64_t len = 0;
        const int64_t ipHeader = e.src.IsV6() ? 40 : 20;
        if (!ParseInt(f[col[kLen]], len) || len - kEthernetHeader < ipHeader || len > 65535 + 14)
        {
            report.Skip("malformed row",
                        reader.Where(),
                        BadValue(kLen, f[col[kLen]], "is not an Ethernet frame length of IP"));
            continue;
        }
        if (len == kPaddedFrame)
        {
            e.size = MinimumPacket(e.proto, e.src.IsV6());
            // Counted in bulk after the first examples: this is most TCP frames.
            if (report.examples.size() < ReadReport::kMaxExamples)
            {
                report.Partial(kPaddedReason, reader.Where());
            }
            else
            {
                ++paddedBulk;
            }
        }
        else
        {
            e.size = static_cast<int32_t>(len - kEthernetHeader);
        }
        int64_t v = -1;
        if (col[kTcpFlags] >= 0)
        {
            if (!ParseOptional(f[col[kTcpFlags]], 255, v))
            {
                report.Skip("malformed row",
                            reader.Where(),
                            BadValue(kTcpFlags, f[col[kTcpFlags]], "is not a TCP flag byte"));
                continue;
            }
            e.tcpFlags = static_cast<int16_t>(v);
        }
        if (col[kSport] >= 0)
        {
            if (!ParseOptional(f[col[kSport]], 65535, v))
            {
                report.Skip("malformed row",
                            reader.Where(),
                            BadValue(kSport, f[col[kSport]], "is not a port"));
                continue;
            }
            e.srcPort = static_cast<int32_t>(v);
        }
        if (col[kDport] >= 0)
        {
            if (!ParseOptional(f[col[kDport]], 65535, v))
            {
                report.Skip("malformed row",
                            reader.Where(),
                            BadValue(kDport, f[col[kDport]], "is not a port"));
                continue;
            }
            e.dstPort = static_cast<int32_t>(v);
        }
        table.Append(e);
        ++appended;
    }
    if (paddedBulk > 0)
    {
        report.partial[kPaddedReason] += paddedBulk;
    }
    if (appended == 0)
    {
        ThrowNoUsableRecord(reader.Lines(), report);
    }
    report.records += appended;
}

} // namespace temponet
} // namespace ns3
