/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * \file
 * \ingroup temponet
 * Reader for Zeek (Bro) conn.log files in the TSV log format.
 *
 * Header lines start with '#': \c #separator (written with \\x escapes, e.g.
 * "#separator \x09"), \c #unset_field (default "-"), \c #empty_field
 * (default "(empty)") and \c #fields name the columns; other header lines
 * (\c #open, \c #close, \c #types, \c #path ...) are ignored. A later
 * \c #fields line (logs concatenated) replaces the columns.
 *
 * Fields used, by name: \c ts (seconds), \c id.orig_h, \c id.resp_h,
 * \c id.orig_p, \c id.resp_p, \c proto (tcp, udp, icmp) — required; and
 * \c duration, \c orig_pkts, \c resp_pkts, \c orig_ip_bytes,
 * \c resp_ip_bytes — optional.
 *
 * Rules for unset values (the unset or the empty marker):
 * - \c duration unset: NaN (Zeek leaves it unset for single-packet connections).
 * - packets = orig_pkts + resp_pkts and bytes = orig_ip_bytes + resp_ip_bytes
 *   (IP-layer bytes, both directions). An unset part counts as 0 when the
 *   other part is set; both unset gives -1 (not applicable).
 * - For \c icmp Zeek puts the ICMP type and code into the port columns: the
 *   ports become -1. \c icmp between IPv6 hosts is ICMPv6 (58).
 * - \c unknown_transport records are skipped as "unknown transport protocol".
 *
 * The file is not sorted by \c ts; ReadTrace sorts the table afterwards.
 */

#include "temponet-line-reader.h"
#include "temponet-trace-format.h"

#include <cmath>

namespace ns3
{
namespace temponet
{

namespace
{

/// Column roles, in the order of kZeekColumns.
enum ZeekColumn
{
    kTs,
    kOrigH,
    kRespH,
    kOrigP,
    kRespP,
    kProto,
    kDuration,
    kOrigPkts,
    kRespPkts,
    kOrigIpBytes,
    kRespIpBytes,
    kZeekColumnCount
};

/// Column names, by role.
constexpr const char* kZeekColumns[kZeekColumnCount] = {"ts",
                                                        "id.orig_h",
                                                        "id.resp_h",
                                                        "id.orig_p",
                                                        "id.resp_p",
                                                        "proto",
                                                        "duration",
                                                        "orig_pkts",
                                                        "resp_pkts",
                                                        "orig_ip_bytes",
                                                        "resp_ip_bytes"};

/// Roles whose column must be present.
constexpr int kZeekRequired = kProto + 1;

/// \return \p s with Zeek's \\xHH escapes decoded.
std::string
Unescape(std::string_view s)
{
    std::string out;
    for (size_t i = 0; i < s.size(); ++i)
    {
        if (s[i] == '\\' && i + 3 < s.size() && s[i + 1] == 'x')
        {
            auto hex = [](char c) {
                return c >= '0' && c <= '9'   ? c - '0'
                       : c >= 'a' && c <= 'f' ? c - 'a' + 10
                       : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                              : -1;
            };
            const int hi = hex(s[i + 2]);
            const int lo = hex(s[i + 3]);
            if (hi >= 0 && lo >= 0)
            {
                out.push_back(static_cast<char>(hi * 16 + lo));
                i += 3;
                continue;
            }
        }
        out.push_back(s[i]);
    }
    return out;
}

/// \return the value of header line \p line ("#key<sep>value") if it is \p key.
bool
HeaderValue(std::string_view line, std::string_view key, char sep, std::string_view& value)
{
    if (line.substr(0, key.size()) != key || line.size() <= key.size())
    {
        return false;
    }
    const char c = line[key.size()];
    if (c != sep && c != ' ' && c != '\t')
    {
        return false;
    }
    value = line.substr(key.size() + 1);
    return true;
}

/// \return the detail of a malformed-row skip: the column and its value.
std::string
BadValue(int role, std::string_view value, const char* why)
{
    return std::string("column ") + kZeekColumns[role] + ": \"" + std::string(value.substr(0, 40)) +
           "\" " + why;
}

} // namespace

void
ReadZeekConn(const std::string& path, EventTable& table, ReadReport& report)
{
    if (report.file.empty())
    {
        report.file = path;
        report.format = FormatName(TraceFormat::ZeekConn);
    }
    LineReader reader(path);
    std::string_view line;
    std::vector<std::string_view> f;
    f.reserve(32);

    char sep = '\t';
    std::string unset = "-";
    std::string empty = "(empty)";
    int col[kZeekColumnCount];
    size_t nFields = 0; // 0: no #fields line yet
    bool anyLine = false;

    auto isUnset = [&](std::string_view v) { return v == unset || v == empty || v.empty(); };

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
        anyLine = true;
        if (line.front() == '#')
        {
            std::string_view v;
            if (HeaderValue(line, "#separator", sep, v))
            {
                const std::string s = Unescape(Trim(v));
                if (s.size() != 1)
                {
                    throw TraceError(path,
                                     reader.Where(),
                                     "unsupported #separator \"" + std::string(v) +
                                         "\" (one character expected)");
                }
                sep = s[0];
            }
            else if (HeaderValue(line, "#unset_field", sep, v))
            {
                unset = Unescape(v);
            }
            else if (HeaderValue(line, "#empty_field", sep, v))
            {
                empty = Unescape(v);
            }
            else if (HeaderValue(line, "#fields", sep, v))
            {
                SplitFields(v, sep, f);
                const int missing =
                    FindColumns(f, kZeekColumns, kZeekColumnCount, kZeekRequired, col);
                if (missing >= 0)
                {
                    throw TraceError(path,
                                     reader.Where(),
                                     std::string("the #fields header has no column \"") +
                                         kZeekColumns[missing] + "\" (is this a conn.log?)");
                }
                nFields = f.size();
            }
            continue;
        }
        if (nFields == 0)
        {
            throw TraceError(path,
                             reader.Where(),
                             "data before the #fields header (not a Zeek TSV log?)");
        }
        if (!sized)
        {
            sized = true;
            ReserveForLines(table, path, line.size() + 1);
        }
        if (!SplitRow(line, sep, nFields, f, reader, report))
        {
            continue;
        }
        e = TraceEvent{};
        const std::string_view proto = f[col[kProto]];
        if (proto == "unknown_transport")
        {
            report.Skip("unknown transport protocol", reader.Where());
            continue;
        }
        if (isUnset(f[col[kTs]]) || !ParseDouble(f[col[kTs]], e.ts))
        {
            report.Skip("malformed row",
                        reader.Where(),
                        BadValue(kTs, f[col[kTs]], "is not a time"));
            continue;
        }
        if (!ParseIpAddr(f[col[kOrigH]], e.src))
        {
            report.Skip("malformed row",
                        reader.Where(),
                        BadValue(kOrigH, f[col[kOrigH]], "is not an address"));
            continue;
        }
        if (!ParseIpAddr(f[col[kRespH]], e.dst))
        {
            report.Skip("malformed row",
                        reader.Where(),
                        BadValue(kRespH, f[col[kRespH]], "is not an address"));
            continue;
        }
        bool ports = false;
        if (proto == "tcp")
        {
            e.proto = 6;
            ports = true;
        }
        else if (proto == "udp")
        {
            e.proto = 17;
            ports = true;
        }
        else if (proto == "icmp")
        {
            e.proto = e.src.IsV6() ? 58 : 1;
        }
        else
        {
            report.Skip("malformed row",
                        reader.Where(),
                        BadValue(kProto, proto, "is not tcp, udp, icmp or unknown_transport"));
            continue;
        }
        if (ports)
        {
            bool ok = true;
            for (int r : {kOrigP, kRespP})
            {
                const std::string_view v = f[col[r]];
                int64_t p = -1;
                if (!isUnset(v) && (!ParseInt(v, p) || p < 0 || p > 65535))
                {
                    report.Skip("malformed row", reader.Where(), BadValue(r, v, "is not a port"));
                    ok = false;
                    break;
                }
                (r == kOrigP ? e.srcPort : e.dstPort) = static_cast<int32_t>(p);
            }
            if (!ok)
            {
                continue;
            }
        }
        if (col[kDuration] >= 0)
        {
            const std::string_view v = f[col[kDuration]];
            if (!isUnset(v) && (!ParseDouble(v, e.duration) || e.duration < 0))
            {
                report.Skip("malformed row",
                            reader.Where(),
                            BadValue(kDuration, v, "is not a duration"));
                continue;
            }
        }
        // Sums of two optional counters; -1 when both are unset or absent.
        bool ok = true;
        auto sum = [&](int ra, int rb, int64_t& out) {
            out = -1;
            for (int r : {ra, rb})
            {
                if (col[r] < 0 || isUnset(f[col[r]]))
                {
                    continue;
                }
                int64_t v = 0;
                if (!ParseInt(f[col[r]], v) || v < 0)
                {
                    report.Skip("malformed row",
                                reader.Where(),
                                BadValue(r, f[col[r]], "is not a count"));
                    ok = false;
                    return;
                }
                out = out < 0 ? v : out + v;
            }
        };
        sum(kOrigPkts, kRespPkts, e.packets);
        if (ok)
        {
            sum(kOrigIpBytes, kRespIpBytes, e.bytes);
        }
        if (!ok)
        {
            continue;
        }
        table.Append(e);
        ++appended;
    }
    if (!anyLine)
    {
        throw TraceError(path, "line 1", "the file is empty (expected a Zeek #fields header)");
    }
    if (nFields == 0)
    {
        throw TraceError(path, reader.Where(), "no #fields header (not a Zeek TSV log?)");
    }
    if (appended == 0)
    {
        ThrowNoUsableRecord(reader, report);
    }
    report.records += appended;
}

} // namespace temponet
} // namespace ns3
