/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "temponet-trace-format.h"

#include <cerrno>
#include <cstring>
#include <string_view>
#include <zlib.h>

namespace ns3
{
namespace temponet
{

namespace
{

struct FormatEntry
{
    TraceFormat format;
    const char* name;
};

constexpr FormatEntry kFormats[] = {
    {TraceFormat::Pcap, "pcap"},
    {TraceFormat::Ugr16, "ugr16"},
    {TraceFormat::ZeekConn, "zeek-conn"},
    {TraceFormat::Argus, "argus"},
    {TraceFormat::DarpaCsv, "darpa-csv"},
    {TraceFormat::Canonical, "canonical"},
};

/// \return the first \p n bytes of \p path after gzip decoding.
std::string
Head(const std::string& path, size_t n)
{
    gzFile gz = gzopen(path.c_str(), "rb");
    if (gz == nullptr)
    {
        throw TraceError(path, "", std::string("cannot open: ") + std::strerror(errno));
    }
    std::string buf(n, '\0');
    int got = gzread(gz, buf.data(), static_cast<unsigned>(n));
    gzclose(gz);
    if (got < 0)
    {
        throw TraceError(path, "", "cannot read the start of the file");
    }
    buf.resize(static_cast<size_t>(got));
    return buf;
}

/// \return the first line of \p text without its line ending.
std::string_view
FirstLine(std::string_view text)
{
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    if (!line.empty() && line.back() == '\r')
    {
        line.remove_suffix(1);
    }
    return line;
}

bool
StartsWith(std::string_view s, std::string_view prefix)
{
    return s.substr(0, prefix.size()) == prefix;
}

} // namespace

std::string
FormatName(TraceFormat f)
{
    for (const auto& e : kFormats)
    {
        if (e.format == f)
        {
            return e.name;
        }
    }
    return "unknown";
}

std::optional<TraceFormat>
ParseFormatName(const std::string& name)
{
    for (const auto& e : kFormats)
    {
        if (name == e.name)
        {
            return e.format;
        }
    }
    return std::nullopt;
}

std::vector<std::string>
FormatNames()
{
    std::vector<std::string> names;
    for (const auto& e : kFormats)
    {
        names.emplace_back(e.name);
    }
    return names;
}

TraceFormat
DetectFormat(const std::string& path)
{
    const std::string head = Head(path, 4096);
    if (head.empty())
    {
        throw TraceError(path, "", "the file is empty");
    }
    if (head.size() >= 4)
    {
        const auto* b = reinterpret_cast<const unsigned char*>(head.data());
        const uint32_t be = (uint32_t(b[0]) << 24) | (uint32_t(b[1]) << 16) |
                            (uint32_t(b[2]) << 8) | uint32_t(b[3]);
        // Classic pcap (micro/nanosecond, either byte order) and pcapng.
        if (be == 0xa1b2c3d4 || be == 0xd4c3b2a1 || be == 0xa1b23c4d || be == 0x4d3cb2a1 ||
            be == 0x0a0d0d0a)
        {
            return TraceFormat::Pcap;
        }
    }
    const std::string_view line = FirstLine(head);
    if (StartsWith(line, "#separator") || StartsWith(line, "#fields"))
    {
        return TraceFormat::ZeekConn;
    }
    if (StartsWith(line, "srcip,dstip,srcport,dstport,proto,ts"))
    {
        return TraceFormat::Ugr16;
    }
    if (StartsWith(line, "ts,src,dst,proto,len,tcp_flags,sport,dport"))
    {
        return TraceFormat::DarpaCsv;
    }
    if (StartsWith(line, "ts,src_ip,dst_ip,src_port,dst_port,proto"))
    {
        return TraceFormat::Canonical;
    }
    if (StartsWith(line, "StartTime,Dur,Proto,SrcAddr,Sport,Dir,DstAddr,Dport"))
    {
        return TraceFormat::Argus;
    }
    for (unsigned char c : line)
    {
        if (c < 0x09 || (c > 0x0d && c < 0x20) || c == 0x7f)
        {
            throw TraceError(path,
                             "",
                             "not a known trace format (binary content that is "
                             "neither pcap nor pcapng)");
        }
    }
    throw TraceError(path,
                     "line 1",
                     "not a known trace format (header \"" + std::string(line.substr(0, 80)) +
                         "\"); use --format with one of: " +
                         "pcap, ugr16, zeek-conn, argus, darpa-csv, canonical");
}

void
ReadTrace(const std::string& path,
          std::optional<TraceFormat> format,
          EventTable& table,
          ReadReport& report)
{
    const TraceFormat f = format ? *format : DetectFormat(path);
    report.file = path;
    report.format = FormatName(f);
    switch (f)
    {
    case TraceFormat::Pcap:
        ReadPcap(path, table, report);
        break;
    case TraceFormat::Ugr16:
        ReadUgr16(path, table, report);
        break;
    case TraceFormat::ZeekConn:
        ReadZeekConn(path, table, report);
        break;
    case TraceFormat::Argus:
        ReadArgus(path, table, report);
        break;
    case TraceFormat::DarpaCsv:
        ReadDarpaCsv(path, table, report);
        break;
    case TraceFormat::Canonical:
        ReadCanonicalCsv(path, table, report);
        break;
    }
    table.SortByTime();
}

} // namespace temponet
} // namespace ns3
