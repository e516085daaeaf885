/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * \file
 * \ingroup temponet
 * Writer of the canonical CSV.
 *
 * One header line, then one row per event. Cells of fields that do not apply
 * (-1, NaN duration) are empty. \c ts and \c duration are printed in the
 * shortest form that reads back to the same double (std::to_chars), so that
 * ReadCanonicalCsv(WriteCanonicalCsv(t)) == t exactly and a re-write is
 * byte-identical. Rows are formatted into a buffer and written in large
 * blocks through AtomicFile, so a failed write never leaves a partial file.
 *
 * Events the reader could not take back are left out or changed, and counted
 * in the WriteReport: an unset address or a non-finite timestamp
 * ("skipped"); a negative integer other than -1, or a negative or infinite
 * duration, is written as an empty cell ("repaired").
 */

#include "temponet-atomic-file.h"
#include "temponet-read-report.h"
#include "temponet-trace-writer.h"

#include <charconv>
#include <cmath>
#include <string>
#include <vector>

namespace ns3
{
namespace temponet
{

namespace
{

/// Bytes gathered before one write.
constexpr size_t kFlushBytes = 1 << 20;

/// Longest row: 2 doubles (24 each), 2 IPv6 texts (45 each), 8 integers (20 each), commas.
constexpr size_t kMaxRowBytes = 24 * 2 + 46 * 2 + 20 * 8 + 16;

/// Appends \p v to \p p. \return the end.
char*
PutInt(char* p, int64_t v)
{
    return std::to_chars(p, p + 20, v).ptr;
}

/// Appends the shortest round-trip form of \p v to \p p. \return the end.
char*
PutDouble(char* p, double v)
{
    return std::to_chars(p, p + 24, v).ptr;
}

} // namespace

WriteReport
WriteCanonicalCsv(const EventTable& table, const std::string& path)
{
    WriteReport rep;
    AtomicFile out(path);

    std::vector<std::string> hosts;
    hosts.reserve(table.Hosts().size());
    for (const auto& h : table.Hosts())
    {
        hosts.push_back(h.ToString());
    }

    std::vector<char> buf(kFlushBytes + kMaxRowBytes);
    static constexpr char kHeader[] =
        "ts,src_ip,dst_ip,src_port,dst_port,proto,size,tcp_flags,ttl,duration,packets,bytes\n";
    out.Write(kHeader, sizeof(kHeader) - 1);

    const auto& ts = table.Ts();
    const auto& src = table.SrcIndex();
    const auto& dst = table.DstIndex();
    const auto& srcPort = table.SrcPort();
    const auto& dstPort = table.DstPort();
    const auto& proto = table.Proto();
    const auto& size = table.PacketSize();
    const auto& flags = table.TcpFlags();
    const auto& ttl = table.Ttl();
    const auto& duration = table.Duration();
    const auto& packets = table.Packets();
    const auto& bytes = table.Bytes();

    uint64_t repaired = 0;
    // An integer cell: empty for -1; other negative values are repaired to empty.
    auto putOpt = [&repaired](char* p, int64_t v) {
        if (v >= 0)
        {
            return PutInt(p, v);
        }
        if (v != -1)
        {
            ++repaired;
        }
        return p;
    };

    char* p = buf.data();
    for (size_t i = 0; i < table.Size(); ++i)
    {
        if (!std::isfinite(ts[i]))
        {
            ++rep.skipped["timestamp not finite"];
            continue;
        }
        const std::string& s = hosts[src[i]];
        const std::string& d = hosts[dst[i]];
        if (s.empty() || d.empty())
        {
            ++rep.skipped["address unset"];
            continue;
        }
        const uint64_t repairedBefore = repaired;
        p = PutDouble(p, ts[i]);
        *p++ = ',';
        p = std::copy(s.begin(), s.end(), p);
        *p++ = ',';
        p = std::copy(d.begin(), d.end(), p);
        *p++ = ',';
        p = putOpt(p, srcPort[i]);
        *p++ = ',';
        p = putOpt(p, dstPort[i]);
        *p++ = ',';
        p = putOpt(p, proto[i]);
        *p++ = ',';
        p = putOpt(p, size[i]);
        *p++ = ',';
        p = putOpt(p, flags[i]);
        *p++ = ',';
        p = putOpt(p, ttl[i]);
        *p++ = ',';
        const double dur = duration[i];
        if (std::isfinite(dur) && dur >= 0)
        {
            p = PutDouble(p, dur);
        }
        else if (!std::isnan(dur))
        {
            ++repaired;
        }
        *p++ = ',';
        p = putOpt(p, packets[i]);
        *p++ = ',';
        p = putOpt(p, bytes[i]);
        *p++ = '\n';
        if (repaired != repairedBefore)
        {
            ++rep.repaired["invalid value written as an empty cell"];
            repaired = repairedBefore;
        }
        ++rep.written;
        if (static_cast<size_t>(p - buf.data()) >= kFlushBytes)
        {
            out.Write(buf.data(), static_cast<size_t>(p - buf.data()));
            p = buf.data();
        }
    }
    out.Write(buf.data(), static_cast<size_t>(p - buf.data()));
    out.Commit();
    return rep;
}

} // namespace temponet
} // namespace ns3
