/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * \file
 * \ingroup temponet
 * Reader for the project's canonical CSV (see WriteCanonicalCsv):
 *
 *     ts,src_ip,dst_ip,src_port,dst_port,proto,size,tcp_flags,ttl,duration,packets,bytes
 *
 * Columns are found by name; ts, src_ip, dst_ip and proto are required, the
 * others optional (an absent column is not applicable for every row), and
 * extra columns are ignored. An empty cell is not applicable (so is -1 in the
 * integer columns); a negative duration is malformed. Integer cells may also be written as floats
 * with no fraction ("443.0"), as pandas writes integer columns with gaps. \c ts and \c duration are
 * seconds.
 *
 * The table is a flow table when any row sets packets, bytes or duration,
 * else a packet table.
 */

#include "temponet-line-reader.h"
#include "temponet-trace-format.h"

#include <cmath>
#include <cstdint>

namespace ns3
{
namespace temponet
{

namespace
{

/// Column roles, in the order of kCanonicalColumns.
enum CanonicalColumn
{
    kTs,
    kSrcIp,
    kDstIp,
    kProto,
    kSrcPort,
    kDstPort,
    kSize,
    kTcpFlags,
    kTtl,
    kDuration,
    kPackets,
    kBytes,
    kCanonicalColumnCount
};

/// Column names, by role.
constexpr const char* kCanonicalColumns[kCanonicalColumnCount] = {"ts",
                                                                  "src_ip",
                                                                  "dst_ip",
                                                                  "proto",
                                                                  "src_port",
                                                                  "dst_port",
                                                                  "size",
                                                                  "tcp_flags",
                                                                  "ttl",
                                                                  "duration",
                                                                  "packets",
                                                                  "bytes"};

/// Roles whose column must be present.
constexpr int kCanonicalRequired = kProto + 1;

/// Largest value of each integer role (index by role; unused for others).
constexpr int64_t kMax[kCanonicalColumnCount] =
    {0, 0, 0, 255, 65535, 65535, 2147483647, 255, 255, 0, INT64_MAX, INT64_MAX};

/// \return the detail of a malformed-row skip: the column and its value.
std::string
BadValue(int role, std::string_view value, const char* why)
{
    return std::string("column ") + kCanonicalColumns[role] + ": \"" +
           std::string(value.substr(0, 40)) + "\" " + why;
}

} // namespace

void
ReadCanonicalCsv(const std::string& path, EventTable& table, ReadReport& report)
{
    if (report.file.empty())
    {
        report.file = path;
        report.format = FormatName(TraceFormat::Canonical);
    }
    CsvReader reader(
        path,
        ',',
        kCanonicalColumns,
        kCanonicalColumnCount,
        kCanonicalRequired,
        "ts,src_ip,dst_ip,src_port,dst_port,proto,size,tcp_flags,ttl,duration,packets,bytes");
    const std::vector<int>& col = reader.Columns();
    std::vector<std::string_view> f;
    f.reserve(16);

    uint64_t appended = 0;
    bool anyFlowField = false;
    reader.ReserveIn(table);
    TraceEvent e;
    while (reader.Next(f, report))
    {
        e = TraceEvent{};
        if (!ParseDouble(f[col[kTs]], e.ts))
        {
            report.Skip("malformed row",
                        reader.Where(),
                        BadValue(kTs, f[col[kTs]], "is not a time"));
            continue;
        }
        if (!ParseIpAddr(f[col[kSrcIp]], e.src))
        {
            report.Skip("malformed row",
                        reader.Where(),
                        BadValue(kSrcIp, f[col[kSrcIp]], "is not an IP address"));
            continue;
        }
        if (!ParseIpAddr(f[col[kDstIp]], e.dst))
        {
            report.Skip("malformed row",
                        reader.Where(),
                        BadValue(kDstIp, f[col[kDstIp]], "is not an IP address"));
            continue;
        }
        // Integer columns: empty = -1, else -1 or a value in [0, kMax].
        bool ok = true;
        int64_t v[kCanonicalColumnCount];
        for (int r : {kProto, kSrcPort, kDstPort, kSize, kTcpFlags, kTtl, kPackets, kBytes})
        {
            v[r] = -1;
            if (col[r] < 0)
            {
                continue;
            }
            const std::string_view s = f[col[r]];
            if (!s.empty() && (!ParseWholeNumber(s, v[r]) || v[r] < -1 || v[r] > kMax[r]))
            {
                report.Skip("malformed row",
                            reader.Where(),
                            BadValue(r, s, "is not empty or a number in range"));
                ok = false;
                break;
            }
        }
        if (!ok)
        {
            continue;
        }
        if (col[kDuration] >= 0 && !f[col[kDuration]].empty())
        {
            if (!ParseDouble(f[col[kDuration]], e.duration) || e.duration < 0)
            {
                report.Skip("malformed row",
                            reader.Where(),
                            BadValue(kDuration, f[col[kDuration]], "is not a duration"));
                continue;
            }
            anyFlowField = true;
        }
        e.proto = static_cast<int16_t>(v[kProto]);
        e.srcPort = static_cast<int32_t>(v[kSrcPort]);
        e.dstPort = static_cast<int32_t>(v[kDstPort]);
        e.size = static_cast<int32_t>(v[kSize]);
        e.tcpFlags = static_cast<int16_t>(v[kTcpFlags]);
        e.ttl = static_cast<int16_t>(v[kTtl]);
        e.packets = v[kPackets];
        e.bytes = v[kBytes];
        anyFlowField = anyFlowField || e.packets >= 0 || e.bytes >= 0;
        table.Append(e);
        ++appended;
    }
    if (appended == 0)
    {
        ThrowNoUsableRecord(reader.Lines(), report);
    }
    table.SetKind(anyFlowField ? TraceKind::Flows : TraceKind::Packets);
    report.records += appended;
}

} // namespace temponet
} // namespace ns3
