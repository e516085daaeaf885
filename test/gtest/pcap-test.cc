/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Tests of the pcap reader and writer.
 *
 * Oracles are Wireshark's tools, never the project's own code: fixtures are
 * hand-written hex dumps turned into captures by text2pcap (editcap cuts them
 * to a snap length), and every decoded field is compared with what tshark
 * reports for the same file. The writer's output is checked by tshark with
 * checksum validation on.
 */
#include "temponet-read-report.h"
#include "temponet-test-data.h"
#include "temponet-trace-format.h"
#include "temponet-trace-writer.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <map>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>
#include <zlib.h>

using namespace ns3::temponet;

namespace
{

/// What a shell command printed and how it ended.
struct CommandResult
{
    int status;      //!< Exit status, -1 if it did not exit normally.
    std::string out; //!< Standard output.
    std::string err; //!< Standard error.
};

/// \return \p s quoted for the shell.
std::string
Quote(const std::string& s)
{
    std::string q = "'";
    for (char c : s)
    {
        q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return q + "'";
}

/// \return the whole content of \p path ("" if absent).
std::string
Slurp(const std::string& path)
{
    std::ifstream f(path, std::ios::binary);
    std::ostringstream s;
    s << f.rdbuf();
    return s.str();
}

/// Runs \p cmd through the shell.
CommandResult
RunCommand(const std::string& cmd)
{
    static int counter = 0;
    const std::string errFile =
        (std::filesystem::temp_directory_path() /
         ("temponet-pcap-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++)))
            .string();
    CommandResult r{-1, "", ""};
    FILE* p = ::popen((cmd + " 2>" + Quote(errFile)).c_str(), "r");
    if (p == nullptr)
    {
        return r;
    }
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof(buf), p)) > 0)
    {
        r.out.append(buf, n);
    }
    const int rc = ::pclose(p);
    r.status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
    r.err = Slurp(errFile);
    std::filesystem::remove(errFile);
    return r;
}

/// \return success when the Wireshark command-line tools can be run.
::testing::AssertionResult
WiresharkTools()
{
    for (const char* tool : {"tshark", "text2pcap", "editcap", "capinfos"})
    {
        if (std::system((std::string("command -v ") + tool + " >/dev/null 2>&1").c_str()) != 0)
        {
            return ::testing::AssertionFailure()
                   << tool
                   << " not found: tshark, text2pcap, editcap and capinfos (Debian packages "
                      "tshark and wireshark-common) are test dependencies; run "
                      "scripts/install-deps";
        }
    }
    return ::testing::AssertionSuccess();
}

/// \return the bytes of a hex text such as "45 00 00 2c"; blanks are ignored.
std::vector<uint8_t>
ParseHex(const std::string& hex)
{
    std::string digits;
    for (char c : hex)
    {
        if (!std::isspace(static_cast<unsigned char>(c)))
        {
            digits += c;
        }
    }
    EXPECT_EQ(digits.size() % 2, 0u) << "odd number of hex digits in " << hex;
    std::vector<uint8_t> bytes;
    for (size_t i = 0; i + 1 < digits.size(); i += 2)
    {
        bytes.push_back(static_cast<uint8_t>(std::stoi(digits.substr(i, 2), nullptr, 16)));
    }
    return bytes;
}

/// \return the number of bytes in hex text \p hex.
size_t
HexLen(const std::string& hex)
{
    return ParseHex(hex).size();
}

/// \return "hh ll" for a 16-bit value.
std::string
Hex16(size_t v)
{
    char buf[8];
    std::snprintf(buf, sizeof(buf), "%02x %02x ", unsigned(v >> 8) & 0xff, unsigned(v) & 0xff);
    return buf;
}

/// \return "hh" for a byte.
std::string
Hex8(int v)
{
    char buf[4];
    std::snprintf(buf, sizeof(buf), "%02x ", unsigned(v) & 0xff);
    return buf;
}

/// Hand-written headers and payloads (checksums are left 0: readers ignore them).
/// @{
const std::string kMacs = "00 11 22 33 44 55 66 77 88 99 aa bb ";
const std::string kV4A = "c0 a8 01 0a ";                                     // 192.168.1.10
const std::string kV4B = "c0 a8 01 14 ";                                     // 192.168.1.20
const std::string kV6A = "20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01 "; // 2001:db8::1
const std::string kV6B = "20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02 "; // 2001:db8::2
// TCP 50000 -> 443, PSH|ACK, 4 bytes of data.
const std::string kTcpPshAck =
    "c3 50 01 bb 00 00 10 00 00 00 20 00 50 18 ff ff 00 00 00 00 de ad be ef ";
// TCP 43981 -> 22, CWR|ECE|SYN.
const std::string kTcpSynEceCwr = "ab cd 00 16 00 00 00 01 00 00 00 00 50 c2 ff ff 00 00 00 00 ";
// UDP 55555 -> 53, 4 bytes of data.
const std::string kUdpDns = "d9 03 00 35 00 0c 00 00 ab cd ef 01 ";
// UDP 5353 -> 5353, 4 bytes of data.
const std::string kUdpMdns = "14 e9 14 e9 00 0c 00 00 01 02 03 04 ";
const std::string kArp = "00 01 08 00 06 04 00 01 66 77 88 99 aa bb c0 a8 01 0a "
                         "00 00 00 00 00 00 c0 a8 01 14 ";

/// @}

/**
 * \return an IPv4 packet around \p payload.
 * \param flagsFragment the 16-bit flags and fragment offset field.
 * \param options option bytes (a multiple of 4).
 */
std::string
Ipv4(int proto,
     const std::string& payload,
     int ttl = 64,
     size_t flagsFragment = 0x4000,
     const std::string& options = "")
{
    const size_t hl = 20 + HexLen(options);
    return Hex8(0x40 | int(hl / 4)) + "00 " + Hex16(hl + HexLen(payload)) + "12 34 " +
           Hex16(flagsFragment) + Hex8(ttl) + Hex8(proto) + "00 00 " + kV4A + kV4B + options +
           payload;
}

/// \return an IPv6 packet around \p payload.
std::string
Ipv6(int nextHeader, const std::string& payload, int hopLimit = 64)
{
    return "60 00 00 00 " + Hex16(HexLen(payload)) + Hex8(nextHeader) + Hex8(hopLimit) + kV6A +
           kV6B + payload;
}

/// \return an Ethernet II frame.
std::string
Eth(const std::string& type, const std::string& payload)
{
    return kMacs + type + " " + payload;
}

/// A frame of a fixture: its time ("seconds.fraction" since the epoch) and bytes.
struct Frame
{
    std::string time; //!< Timestamp text.
    std::string hex;  //!< Frame bytes as hex.
};

/// \return frames at one-millisecond steps from epoch second \p start.
std::vector<Frame>
Timed(const std::vector<std::string>& hexes, long start = 1700000000)
{
    std::vector<Frame> frames;
    for (size_t i = 0; i < hexes.size(); ++i)
    {
        char t[64];
        std::snprintf(t, sizeof(t), "%ld.%06zu", start, 1000 * i + 17);
        frames.push_back({t, hexes[i]});
    }
    return frames;
}

/**
 * Writes \p frames as a hex dump and converts it with text2pcap.
 * \param linkType the link-layer type number (text2pcap -l).
 * \param fileType "pcap", "pcapng" or "nsecpcap".
 * \return the capture's path.
 */
std::string
MakeCapture(const std::string& dir,
            const std::string& name,
            int linkType,
            const std::vector<Frame>& frames,
            const std::string& fileType = "pcap")
{
    const std::string txt = dir + "/" + name + ".txt";
    {
        std::ofstream f(txt);
        for (const auto& frame : frames)
        {
            f << frame.time << "\n";
            const auto bytes = ParseHex(frame.hex);
            for (size_t i = 0; i < bytes.size(); ++i)
            {
                if (i % 16 == 0)
                {
                    char off[32];
                    std::snprintf(off, sizeof(off), "%s%06zx ", i == 0 ? "" : "\n", i);
                    f << off;
                }
                char b[4];
                std::snprintf(b, sizeof(b), " %02x", bytes[i]);
                f << b;
            }
            f << "\n\n";
        }
    }
    const std::string out = dir + "/" + name + (fileType == "pcapng" ? ".pcapng" : ".pcap");
    const auto r = RunCommand("text2pcap -q -F " + fileType + " -t '%s.%f' -l " +
                              std::to_string(linkType) + " " + Quote(txt) + " " + Quote(out));
    EXPECT_EQ(r.status, 0) << r.err;
    return out;
}

/// The tshark fields compared with the reader's events.
const std::vector<std::string> kTsharkFields = {
    "frame.time_epoch", "ip.src",           "ip.dst",           "ipv6.src",
    "ipv6.dst",         "ip.proto",         "ip.len",           "ip.ttl",
    "ip.frag_offset",   "ipv6.plen",        "ipv6.hlim",        "ipv6.nxt",
    "ipv6.hopopts.nxt", "ipv6.routing.nxt", "ipv6.fraghdr.nxt", "ipv6.fraghdr.offset",
    "ipv6.dstopts.nxt", "ah.next_header",   "mip6.proto",       "tcp.srcport",
    "tcp.dstport",      "tcp.flags",        "udp.srcport",      "udp.dstport",
    "sctp.srcport",     "sctp.dstport",
};

/// One row of tshark output: field name to its occurrences in packet order.
using TsharkRow = std::map<std::string, std::vector<std::string>>;

/// \return the rows tshark prints for \p file, one per packet.
std::vector<TsharkRow>
TsharkRows(const std::string& file)
{
    std::string cmd = "tshark -n -r " + Quote(file) +
                      " -o ip.defragment:FALSE -o ipv6.defragment:FALSE -T fields"
                      " -E occurrence=a -E aggregator=, -E separator=/t";
    for (const auto& f : kTsharkFields)
    {
        cmd += " -e " + f;
    }
    const auto r = RunCommand(cmd);
    EXPECT_EQ(r.status, 0) << cmd << "\n" << r.err;
    std::vector<TsharkRow> rows;
    std::istringstream lines(r.out);
    std::string line;
    while (std::getline(lines, line))
    {
        TsharkRow row;
        std::istringstream cells(line);
        std::string cell;
        for (const auto& f : kTsharkFields)
        {
            std::getline(cells, cell, '\t');
            std::istringstream parts(cell);
            std::string part;
            while (std::getline(parts, part, ','))
            {
                row[f].push_back(part);
            }
            cell.clear();
        }
        rows.push_back(row);
    }
    return rows;
}

/// \return occurrence \p k of \p field in \p row, or "".
std::string
Nth(const TsharkRow& row, const std::string& field, size_t k = 0)
{
    auto it = row.find(field);
    return it != row.end() && k < it->second.size() ? it->second[k] : "";
}

/// \return the integer in \p text (decimal or 0x-hex), or -1 when empty.
int64_t
Int(const std::string& text)
{
    return text.empty() ? -1 : std::stoll(text, nullptr, 0);
}

/**
 * \return the event tshark's \p row describes, or nothing when tshark found
 * no complete IP header (non-IP frames, headers cut before the addresses).
 */
std::optional<TraceEvent>
ExpectedEvent(const TsharkRow& row)
{
    TraceEvent e;
    e.ts = std::stod(Nth(row, "frame.time_epoch"));
    bool nonFirstFragment = false;
    if (!Nth(row, "ip.src").empty())
    {
        if (Nth(row, "ip.dst").empty() || Nth(row, "ip.len").empty())
        {
            return std::nullopt;
        }
        e.src = *IpAddr::Parse(Nth(row, "ip.src"));
        e.dst = *IpAddr::Parse(Nth(row, "ip.dst"));
        e.size = static_cast<int32_t>(Int(Nth(row, "ip.len")));
        e.ttl = static_cast<int16_t>(Int(Nth(row, "ip.ttl")));
        e.proto = static_cast<int16_t>(Int(Nth(row, "ip.proto")));
        nonFirstFragment = Int(Nth(row, "ip.frag_offset")) > 0;
        if (e.proto == 51)
        {
            e.proto = static_cast<int16_t>(Int(Nth(row, "ah.next_header")));
        }
    }
    else if (!Nth(row, "ipv6.src").empty())
    {
        if (Nth(row, "ipv6.dst").empty() || Nth(row, "ipv6.plen").empty())
        {
            return std::nullopt;
        }
        e.src = *IpAddr::Parse(Nth(row, "ipv6.src"));
        e.dst = *IpAddr::Parse(Nth(row, "ipv6.dst"));
        e.size = static_cast<int32_t>(40 + Int(Nth(row, "ipv6.plen")));
        e.ttl = static_cast<int16_t>(Int(Nth(row, "ipv6.hlim")));
        // Follow the extension header chain through the per-header fields.
        const std::map<int64_t, std::string> chain = {{0, "ipv6.hopopts.nxt"},
                                                      {43, "ipv6.routing.nxt"},
                                                      {44, "ipv6.fraghdr.nxt"},
                                                      {51, "ah.next_header"},
                                                      {60, "ipv6.dstopts.nxt"},
                                                      {135, "mip6.proto"}};
        std::map<int64_t, size_t> seen;
        int64_t next = Int(Nth(row, "ipv6.nxt"));
        while (chain.count(next) != 0 && !nonFirstFragment)
        {
            const size_t k = seen[next]++;
            if (next == 44)
            {
                nonFirstFragment = Int(Nth(row, "ipv6.fraghdr.offset", k)) > 0;
            }
            next = Int(Nth(row, chain.at(next), k));
        }
        e.proto = static_cast<int16_t>(next);
    }
    else
    {
        return std::nullopt;
    }
    if (!nonFirstFragment)
    {
        const char* l4 = e.proto == 6     ? "tcp"
                         : e.proto == 17  ? "udp"
                         : e.proto == 132 ? "sctp"
                                          : "";
        if (*l4 != '\0')
        {
            e.srcPort = static_cast<int32_t>(Int(Nth(row, std::string(l4) + ".srcport")));
            e.dstPort = static_cast<int32_t>(Int(Nth(row, std::string(l4) + ".dstport")));
        }
        if (e.proto == 6 && !Nth(row, "tcp.flags").empty())
        {
            e.tcpFlags = static_cast<int16_t>(Int(Nth(row, "tcp.flags")) & 0xff);
        }
    }
    return e;
}

/**
 * Checks that \p table holds exactly the IP packets tshark sees in \p file,
 * field by field, and that every other frame was counted as skipped.
 * \param tsTolerance largest allowed timestamp difference, seconds.
 */
void
ExpectMatchesTshark(const std::string& file,
                    const EventTable& table,
                    const ReadReport& report,
                    double tsTolerance = 1e-6)
{
    const auto rows = TsharkRows(file);
    ASSERT_FALSE(rows.empty()) << "tshark printed nothing for " << file;
    size_t k = 0;
    size_t notIp = 0;
    for (size_t i = 0; i < rows.size(); ++i)
    {
        const auto want = ExpectedEvent(rows[i]);
        if (!want)
        {
            ++notIp;
            continue;
        }
        ASSERT_LT(k, table.Size()) << "packet " << i + 1 << " missing from the table";
        const TraceEvent got = table.Get(k++);
        SCOPED_TRACE(file + ": packet " + std::to_string(i + 1));
        EXPECT_NEAR(got.ts, want->ts, tsTolerance);
        EXPECT_EQ(got.src.ToString(), want->src.ToString());
        EXPECT_EQ(got.dst.ToString(), want->dst.ToString());
        EXPECT_EQ(got.proto, want->proto);
        EXPECT_EQ(got.size, want->size);
        EXPECT_EQ(got.ttl, want->ttl);
        EXPECT_EQ(got.srcPort, want->srcPort);
        EXPECT_EQ(got.dstPort, want->dstPort);
        EXPECT_EQ(got.tcpFlags, want->tcpFlags);
        EXPECT_TRUE(std::isnan(got.duration));
        EXPECT_EQ(got.packets, -1);
        EXPECT_EQ(got.bytes, -1);
    }
    EXPECT_EQ(k, table.Size());
    EXPECT_EQ(report.records, table.Size());
    EXPECT_EQ(report.SkippedTotal(), notIp);
}

/// Reads \p file into a fresh table and checks it against tshark.
ReadReport
ReadAndCompare(const std::string& file, EventTable& table, double tsTolerance = 1e-6)
{
    ReadReport report;
    EXPECT_NO_THROW(ReadPcap(file, table, report));
    EXPECT_EQ(table.Kind(), TraceKind::Packets);
    ExpectMatchesTshark(file, table, report, tsTolerance);
    return report;
}

/// \return the message of the TraceError ReadPcap throws for \p file ("" if none).
std::string
ReadError(const std::string& file)
{
    EventTable table;
    ReadReport report;
    try
    {
        ReadPcap(file, table, report);
    }
    catch (const TraceError& e)
    {
        return e.what();
    }
    return "";
}

/// Writes \p data to \p path, gzip'd.
void
Gzip(const std::string& data, const std::string& path)
{
    gzFile g = gzopen(path.c_str(), "wb");
    ASSERT_NE(g, nullptr);
    ASSERT_EQ(gzwrite(g, data.data(), static_cast<unsigned>(data.size())), int(data.size()));
    ASSERT_EQ(gzclose(g), Z_OK);
}

/// Writes \p data to \p path.
void
Spit(const std::string& path, const std::string& data)
{
    std::ofstream f(path, std::ios::binary);
    f << data;
}

// ---------------------------------------------------------------------------
// The shared real captures.

/// A shared capture and its packet count (checked with capinfos).
struct SharedCapture
{
    const char* name; //!< Path under the data folder.
    uint64_t packets; //!< Packets in it.
};

class PcapSharedCapture : public ::testing::TestWithParam<SharedCapture>
{
};

TEST_P(PcapSharedCapture, CountsAndFieldsMatchWireshark)
{
    TEMPONET_REQUIRE_DATA(path, GetParam().name);
    ASSERT_TRUE(WiresharkTools());
    EventTable table;
    const ReadReport report = ReadAndCompare(path, table);
    EXPECT_EQ(report.records + report.SkippedTotal(), GetParam().packets);
    EXPECT_EQ(report.records, GetParam().packets) << "every packet of these captures is IP";
    EXPECT_TRUE(report.partial.empty());

    const auto r = RunCommand("capinfos -c -M " + Quote(path));
    ASSERT_EQ(r.status, 0) << r.err;
    const auto colon = r.out.find("Number of packets:");
    ASSERT_NE(colon, std::string::npos) << r.out;
    EXPECT_EQ(report.records + report.SkippedTotal(),
              std::stoull(r.out.substr(colon + std::strlen("Number of packets:"))));
}

INSTANTIATE_TEST_SUITE_P(Pcap,
                         PcapSharedCapture,
                         ::testing::Values(SharedCapture{"pcap/dpkt_http.pcap", 43},
                                           SharedCapture{"pcap/gopacket_test301.pcapng", 276},
                                           SharedCapture{"pcap/pcapfix_test.pcap", 28},
                                           SharedCapture{"pcap/pcaprub_telnet-raw.pcap.gz", 272}),
                         [](const ::testing::TestParamInfo<SharedCapture>& info) {
                             // A stable name (the file's, letters and digits
                             // only): ctest finds each case by its name.
                             std::string name = info.param.name;
                             name = name.substr(name.find('/') + 1);
                             name = name.substr(0, name.find('.'));
                             for (char& c : name)
                             {
                                 c = std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
                             }
                             return name;
                         });

// ---------------------------------------------------------------------------
// Link types and headers, on text2pcap fixtures.

TEST(PcapReader, EthernetWithVlanQinqLlcAndPadding)
{
    ASSERT_TRUE(WiresharkTools());
    const std::string dir = test::TempDir("pcap-eth");
    const std::string file = MakeCapture(
        dir,
        "eth",
        1,
        Timed({
            Eth("08 00", Ipv4(6, kTcpPshAck, 63)),
            // 46 bytes: Ethernet pads to 60, the IP length says 32.
            Eth("08 00", Ipv4(17, kUdpDns, 128) + "00 00 00 00 00 00 00 00 00 00 00 00 00 00"),
            Eth("81 00", "00 64 08 00 " + Ipv4(17, kUdpDns)),
            Eth("88 a8", "00 0a 81 00 00 14 86 dd " + Ipv6(6, kTcpSynEceCwr)),
            Eth("91 00", "00 0b 81 00 00 15 08 00 " + Ipv4(6, kTcpPshAck)),
            Eth("08 06", kArp),
            // IEEE 802.3 length field with LLC/SNAP carrying IPv4.
            Eth("00 28", "aa aa 03 00 00 00 08 00 " + Ipv4(17, kUdpDns, 1)),
            Eth("86 dd", Ipv6(17, kUdpMdns, 255)),
        }));
    EventTable table;
    const ReadReport report = ReadAndCompare(file, table);
    EXPECT_EQ(report.records, 7u);
    EXPECT_EQ(report.skipped.at("non-IP frame"), 1u);
    ASSERT_FALSE(report.examples.empty());
    EXPECT_NE(report.examples[0].find("packet 6"), std::string::npos) << report.examples[0];
    EXPECT_NE(report.examples[0].find("0x0806"), std::string::npos) << report.examples[0];
    // A few fields spelled out, beyond the comparison with tshark.
    EXPECT_EQ(table.Get(1).size, 32);
    EXPECT_EQ(table.Get(3).tcpFlags, 0xc2);
    EXPECT_EQ(table.Get(3).src.ToString(), "2001:db8::1");
}

TEST(PcapReader, LinuxCookedSllAndSll2)
{
    ASSERT_TRUE(WiresharkTools());
    const std::string dir = test::TempDir("pcap-sll");
    const std::string sll = MakeCapture(
        dir,
        "sll",
        113,
        Timed({
            "00 00 00 01 00 06 00 11 22 33 44 55 00 00 08 00 " + Ipv4(6, kTcpPshAck),
            "00 04 00 01 00 06 66 77 88 99 aa bb 00 00 86 dd " + Ipv6(17, kUdpMdns),
            "00 00 00 01 00 06 00 11 22 33 44 55 00 00 08 06 " + kArp,
            "00 00 00 01 00 06 00 11 22 33 44 55 00 00 81 00 00 64 08 00 " + Ipv4(17, kUdpDns),
        }),
        "pcapng");
    EventTable t1;
    const ReadReport r1 = ReadAndCompare(sll, t1);
    EXPECT_EQ(r1.records, 3u);
    EXPECT_EQ(r1.skipped.at("non-IP frame"), 1u);

    const std::string sll2 = MakeCapture(
        dir,
        "sll2",
        276,
        Timed({
            "08 00 00 00 00 00 00 02 00 01 00 06 00 11 22 33 44 55 00 00 " + Ipv4(6, kTcpPshAck),
            "86 dd 00 00 00 00 00 03 00 01 04 06 66 77 88 99 aa bb 00 00 " + Ipv6(6, kTcpSynEceCwr),
            "08 06 00 00 00 00 00 02 00 01 00 06 00 11 22 33 44 55 00 00 " + kArp,
        }));
    EventTable t2;
    const ReadReport r2 = ReadAndCompare(sll2, t2);
    EXPECT_EQ(r2.records, 2u);
    EXPECT_EQ(r2.skipped.at("non-IP frame"), 1u);
}

TEST(PcapReader, BsdLoopbackNullAndLoop)
{
    ASSERT_TRUE(WiresharkTools());
    const std::string dir = test::TempDir("pcap-null");
    // DLT_NULL: the family in the writer's byte order; IPv6 is 24, 28 or 30.
    const std::string null = MakeCapture(dir,
                                         "null",
                                         0,
                                         Timed({
                                             "02 00 00 00 " + Ipv4(6, kTcpPshAck),
                                             "18 00 00 00 " + Ipv6(17, kUdpMdns),
                                             "1c 00 00 00 " + Ipv6(6, kTcpSynEceCwr),
                                             "1e 00 00 00 " + Ipv6(17, kUdpMdns),
                                             "00 00 00 02 " + Ipv4(17, kUdpDns),
                                             "07 00 00 00 01 02 03 04 05 06 07 08",
                                         }));
    EventTable t1;
    const ReadReport r1 = ReadAndCompare(null, t1);
    EXPECT_EQ(r1.records, 5u);
    EXPECT_EQ(r1.skipped.at("non-IP frame"), 1u);

    // DLT_LOOP: network byte order.
    const std::string loop = MakeCapture(dir,
                                         "loop",
                                         108,
                                         Timed({
                                             "00 00 00 02 " + Ipv4(17, kUdpDns),
                                             "00 00 00 1e " + Ipv6(6, kTcpSynEceCwr),
                                             "00 00 00 18 " + Ipv6(17, kUdpMdns),
                                         }));
    EventTable t2;
    EXPECT_EQ(ReadAndCompare(loop, t2).records, 3u);
}

TEST(PcapReader, RawIpLinkTypes)
{
    ASSERT_TRUE(WiresharkTools());
    const std::string dir = test::TempDir("pcap-raw");
    const std::vector<std::string> both = {Ipv4(6, kTcpPshAck),
                                           Ipv6(17, kUdpMdns),
                                           Ipv4(17, kUdpDns)};
    for (int link : {101, 12, 14})
    {
        SCOPED_TRACE("link type " + std::to_string(link));
        auto frames = both;
        frames.push_back("50 00 00 14 00 00 00 00 40 06 00 00 " + kV4A + kV4B); // Version 5.
        EventTable table;
        const ReadReport r =
            ReadAndCompare(MakeCapture(dir, "raw" + std::to_string(link), link, Timed(frames)),
                           table);
        EXPECT_EQ(r.records, 3u);
        EXPECT_EQ(r.skipped.at("malformed IP header"), 1u);
    }
    EventTable v4;
    EXPECT_EQ(ReadAndCompare(
                  MakeCapture(dir, "ipv4", 228, Timed({Ipv4(6, kTcpPshAck), Ipv4(17, kUdpDns)})),
                  v4)
                  .records,
              2u);
    EventTable v6;
    EXPECT_EQ(
        ReadAndCompare(
            MakeCapture(dir, "ipv6", 229, Timed({Ipv6(6, kTcpSynEceCwr), Ipv6(17, kUdpMdns)})),
            v6)
            .records,
        2u);
}

TEST(PcapReader, Ipv6ExtensionHeadersAndIcmpv6)
{
    ASSERT_TRUE(WiresharkTools());
    const std::string dir = test::TempDir("pcap-ipv6");
    const std::string hopByHopTo = "00 01 04 00 00 00 00 ";   // PadN to 8 bytes.
    const std::string destOptsTo = "00 01 04 00 00 00 00 ";   // Same layout.
    const std::string routing2 = "2c 02 02 01 00 00 00 00 " + // Type 2, one segment left.
                                 std::string("20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 99 ");
    const std::string file = MakeCapture(
        dir,
        "ipv6",
        1,
        Timed({
            // Hop-by-hop, routing, fragment (offset 0, more follow), destination options, TCP.
            Eth("86 dd",
                Ipv6(0,
                     "2b " + hopByHopTo + routing2 + "3c 00 00 01 12 34 56 78 " + "06 " +
                         destOptsTo + kTcpSynEceCwr)),
            // Hop-by-hop, destination options, UDP.
            Eth("86 dd", Ipv6(0, "3c " + hopByHopTo + "11 " + destOptsTo + kUdpMdns)),
            // A non-first fragment of UDP: no transport header.
            Eth("86 dd",
                Ipv6(44,
                     "11 00 00 b8 12 34 56 78 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f")),
            // AH (length in 4-byte units) then TCP.
            Eth("86 dd",
                Ipv6(51,
                     "06 04 00 00 00 00 01 00 00 00 00 01 "
                     "00 00 00 00 00 00 00 00 00 00 00 00 " +
                         kTcpPshAck)),
            // ESP ends the walk.
            Eth("86 dd", Ipv6(50, "00 00 01 00 00 00 00 01 00 00 00 00 00 00 00 00")),
            // No next header.
            Eth("86 dd", Ipv6(59, "")),
            // Mobility header (binding refresh request) whose payload is "none".
            Eth("86 dd", Ipv6(135, "3b 00 00 00 00 00 00 00")),
            // Destination options then an ICMPv6 echo request.
            Eth("86 dd", Ipv6(60, "3a " + destOptsTo + "80 00 00 00 00 01 00 01 61 62 63 64")),
            // ICMPv6 neighbour solicitation, hop limit 255.
            Eth("86 dd", Ipv6(58, "87 00 00 00 00 00 00 00 " + kV6B, 255)),
        }),
        "pcapng");
    EventTable table;
    const ReadReport report = ReadAndCompare(file, table);
    ASSERT_EQ(report.records, 9u);
    EXPECT_EQ(table.Get(0).proto, 6);
    EXPECT_EQ(table.Get(0).dstPort, 22);
    EXPECT_EQ(table.Get(0).size, 40 + 8 + 24 + 8 + 8 + 20);
    EXPECT_EQ(table.Get(1).proto, 17);
    EXPECT_EQ(table.Get(2).proto, 17);
    EXPECT_EQ(table.Get(2).srcPort, -1);
    EXPECT_EQ(table.Get(3).proto, 6);
    EXPECT_EQ(table.Get(3).tcpFlags, 0x18);
    EXPECT_EQ(table.Get(4).proto, 50);
    EXPECT_EQ(table.Get(5).proto, 59);
    EXPECT_EQ(table.Get(5).size, 40);
    EXPECT_EQ(table.Get(6).proto, 59);
    EXPECT_EQ(table.Get(7).proto, 58);
    EXPECT_EQ(table.Get(8).ttl, 255);
    EXPECT_EQ(report.partial.at("non-first fragment: no transport header"), 1u);
    EXPECT_EQ(report.partial.size(), 1u);
}

TEST(PcapReader, Ipv4FragmentsOptionsAhAndIcmp)
{
    ASSERT_TRUE(WiresharkTools());
    const std::string dir = test::TempDir("pcap-ipv4");
    const std::string file = MakeCapture(
        dir,
        "ipv4",
        1,
        Timed({
            // First fragment (more fragments, offset 0): the TCP header is there.
            Eth("08 00", Ipv4(6, kTcpPshAck, 64, 0x2000)),
            // Last fragment at offset 3 (24 bytes): no TCP header.
            Eth("08 00", Ipv4(6, "00 00 00 00 00 00 00 00", 64, 0x0003)),
            // ICMP echo request.
            Eth("08 00", Ipv4(1, "08 00 f7 fe 00 01 00 00 61 62 63 64", 255)),
            // ICMP port unreachable quoting a UDP packet: the quoted ports are not ours.
            Eth("08 00", Ipv4(1, "03 03 00 00 00 00 00 00 " + Ipv4(17, kUdpDns))),
            // Options (NOP NOP NOP EOL) before UDP.
            Eth("08 00", Ipv4(17, kUdpDns, 64, 0x4000, "01 01 01 00 ")),
            // AH (length in 4-byte units) then UDP.
            Eth("08 00",
                Ipv4(51,
                     "11 04 00 00 00 00 01 00 00 00 00 01 00 00 00 00 00 00 00 00 00 00 00 00 " +
                         kUdpDns)),
            // GRE carrying IPv4: the event is the outer packet.
            Eth("08 00", Ipv4(47, "00 00 08 00 " + Ipv4(17, kUdpDns))),
            // ESP.
            Eth("08 00", Ipv4(50, "00 00 01 00 00 00 00 01 00 00 00 00 00 00 00 00")),
        }));
    EventTable table;
    const ReadReport report = ReadAndCompare(file, table);
    ASSERT_EQ(report.records, 8u);
    EXPECT_EQ(table.Get(0).srcPort, 50000);
    EXPECT_EQ(table.Get(1).proto, 6);
    EXPECT_EQ(table.Get(1).srcPort, -1);
    EXPECT_EQ(table.Get(1).tcpFlags, -1);
    EXPECT_EQ(table.Get(3).proto, 1);
    EXPECT_EQ(table.Get(3).srcPort, -1);
    EXPECT_EQ(table.Get(4).dstPort, 53);
    EXPECT_EQ(table.Get(5).proto, 17);
    EXPECT_EQ(table.Get(5).dstPort, 53);
    EXPECT_EQ(table.Get(6).proto, 47);
    EXPECT_EQ(report.partial.at("non-first fragment: no transport header"), 1u);
    EXPECT_EQ(report.partial.size(), 1u);
}

TEST(PcapReader, SnapLengthKeepsTheHeadersItHas)
{
    ASSERT_TRUE(WiresharkTools());
    const std::string dir = test::TempDir("pcap-snap");
    const std::string full = MakeCapture(dir,
                                         "full",
                                         1,
                                         Timed({
                                             Eth("08 00", Ipv4(6, kTcpPshAck)),
                                             Eth("08 00", Ipv4(17, kUdpDns)),
                                             Eth("86 dd", Ipv6(6, kTcpSynEceCwr)),
                                         }));
    // 40 bytes: 26 of the IPv4 packets (TCP ports but no flags; all of the UDP
    // header), 26 of the IPv6 header (no destination address).
    const std::string cut40 = dir + "/cut40.pcap";
    auto r = RunCommand("editcap -s 40 " + Quote(full) + " " + Quote(cut40));
    ASSERT_EQ(r.status, 0) << r.err;
    EventTable t40;
    const ReadReport r40 = ReadAndCompare(cut40, t40);
    ASSERT_EQ(r40.records, 2u);
    EXPECT_EQ(t40.Get(0).srcPort, 50000);
    EXPECT_EQ(t40.Get(0).dstPort, 443);
    EXPECT_EQ(t40.Get(0).tcpFlags, -1);
    EXPECT_EQ(t40.Get(0).size, 44) << "size comes from the IP header, not the capture";
    EXPECT_EQ(t40.Get(1).dstPort, 53);
    EXPECT_EQ(r40.partial.at("truncated by snap length"), 1u);
    EXPECT_EQ(r40.skipped.at("IP header cut by snap length"), 1u);

    // 36 bytes: 22 of the IPv4 packets: 2 bytes of the TCP and UDP headers,
    // which Wireshark does not decode either.
    const std::string cut36 = dir + "/cut36.pcap";
    r = RunCommand("editcap -s 36 " + Quote(full) + " " + Quote(cut36));
    ASSERT_EQ(r.status, 0) << r.err;
    EventTable t36;
    const ReadReport r36 = ReadAndCompare(cut36, t36);
    ASSERT_EQ(r36.records, 2u);
    EXPECT_EQ(t36.Get(0).srcPort, -1);
    EXPECT_EQ(t36.Get(1).dstPort, -1);
    EXPECT_EQ(r36.partial.at("truncated by snap length"), 2u);
}

TEST(PcapReader, NanosecondAndMicrosecondTimestamps)
{
    ASSERT_TRUE(WiresharkTools());
    const std::string dir = test::TempDir("pcap-ts");
    const std::vector<Frame> frames = {{"1000.123456789", Ipv4(6, kTcpPshAck)},
                                       {"1000.999999999", Ipv6(17, kUdpMdns)}};
    for (const char* type : {"pcapng", "nsecpcap"})
    {
        SCOPED_TRACE(type);
        EventTable table;
        ReadAndCompare(MakeCapture(dir, std::string("ns-") + type, 101, frames, type),
                       table,
                       1e-11);
        ASSERT_EQ(table.Size(), 2u);
        EXPECT_NEAR(table.Get(0).ts, 1000.123456789, 1e-11);
        EXPECT_NEAR(table.Get(1).ts, 1000.999999999, 1e-11);
    }
    EventTable micro;
    ReadAndCompare(MakeCapture(dir, "us", 101, frames, "pcap"), micro, 1e-11);
    ASSERT_EQ(micro.Size(), 2u);
    EXPECT_NEAR(micro.Get(0).ts, 1000.123456, 1e-11);
}

TEST(PcapReader, GzipIsReadTransparently)
{
    ASSERT_TRUE(WiresharkTools());
    const std::string dir = test::TempDir("pcap-gz");
    const std::string plain =
        MakeCapture(dir,
                    "plain",
                    1,
                    Timed({Eth("08 00", Ipv4(6, kTcpPshAck)), Eth("86 dd", Ipv6(17, kUdpMdns))}),
                    "pcapng");
    Gzip(Slurp(plain), dir + "/plain.pcapng.gz");
    EventTable a;
    EventTable b;
    ReadReport ra;
    ReadReport rb;
    ReadPcap(plain, a, ra);
    ReadPcap(dir + "/plain.pcapng.gz", b, rb);
    ASSERT_EQ(a.Size(), 2u);
    ASSERT_EQ(b.Size(), 2u);
    EXPECT_EQ(a.Get(0), b.Get(0));
    EXPECT_EQ(a.Get(1), b.Get(1));
    EXPECT_EQ(rb.SkippedTotal(), 0u);
    EXPECT_EQ(rb.file, dir + "/plain.pcapng.gz");
    EXPECT_EQ(rb.format, "pcap");
}

TEST(PcapReader, UnsupportedLinkTypeNamesFileAndType)
{
    ASSERT_TRUE(WiresharkTools());
    const std::string dir = test::TempDir("pcap-link");
    const std::string file = MakeCapture(dir, "user0", 147, Timed({"01 02 03 04"}));
    const std::string msg = ReadError(file);
    EXPECT_NE(msg.find(file), std::string::npos) << msg;
    EXPECT_NE(msg.find("link type 147"), std::string::npos) << msg;
}

// ---------------------------------------------------------------------------
// Bad input.

TEST(PcapReader, UnreadableFilesAreErrorsNamingThePath)
{
    const std::string dir = test::TempDir("pcap-bad");
    const std::string empty = dir + "/empty.pcap";
    Spit(empty, "");
    std::mt19937 rng(7);
    std::string noise(4096, '\0');
    for (char& c : noise)
    {
        c = static_cast<char>(rng());
    }
    const std::string random = dir + "/random.pcap";
    Spit(random, "xx" + noise);
    // Random bytes behind a gzip header: corrupt deflate data.
    const std::string badGzip = dir + "/random.pcap.gz";
    Spit(badGzip, std::string("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", 10) + noise);
    for (const std::string& file : {empty, random, badGzip, dir + "/missing.pcap"})
    {
        const std::string msg = ReadError(file);
        EXPECT_NE(msg.find(file), std::string::npos) << "no error naming " << file << ": " << msg;
    }
}

TEST(PcapReader, FileCutMidRecordKeepsEarlierPackets)
{
    ASSERT_TRUE(WiresharkTools());
    const std::string dir = test::TempDir("pcap-cut");
    const auto frames = Timed({Eth("08 00", Ipv4(6, kTcpPshAck)),
                               Eth("08 00", Ipv4(17, kUdpDns)),
                               Eth("86 dd", Ipv6(6, kTcpSynEceCwr)),
                               Eth("86 dd", Ipv6(17, kUdpMdns))});
    for (const char* type : {"pcap", "pcapng"})
    {
        SCOPED_TRACE(type);
        const std::string full =
            Slurp(MakeCapture(dir, std::string("full-") + type, 1, frames, type));
        // Cut 10 bytes before the end (inside the last packet's data) and
        // 4 bytes after the third packet's record begins (inside its header).
        const size_t lastLen = std::string(type) == "pcap" ? 16 + 14 + 52 : 0;
        std::vector<size_t> cuts = {full.size() - 10};
        if (lastLen != 0)
        {
            cuts.push_back(full.size() - lastLen - (16 + 14 + 60) + 4);
        }
        for (size_t cut : cuts)
        {
            const std::string path = dir + "/cut-" + std::to_string(cut) + "." + type;
            Spit(path, full.substr(0, cut));
            EventTable table;
            ReadReport report;
            ASSERT_NO_THROW(ReadPcap(path, table, report));
            const uint64_t kept = cut == full.size() - 10 ? 3 : 2;
            EXPECT_EQ(report.records, kept);
            EXPECT_EQ(report.skipped.at("file cut mid-record"), 1u);
            ASSERT_FALSE(report.examples.empty());
            EXPECT_NE(report.examples.back().find("packet " + std::to_string(kept + 1)),
                      std::string::npos)
                << report.examples.back();
            EXPECT_NE(report.examples.back().find(path), std::string::npos);
        }
    }
}

TEST(PcapReader, GzipCutShortKeepsEarlierPackets)
{
    ASSERT_TRUE(WiresharkTools());
    const std::string dir = test::TempDir("pcap-gzcut");
    std::vector<std::string> hexes;
    for (int i = 0; i < 200; ++i)
    {
        hexes.push_back(Eth("08 00", Ipv4(17, kUdpDns, i % 256)));
    }
    const std::string full = MakeCapture(dir, "many", 1, Timed(hexes));
    Gzip(Slurp(full), dir + "/many.pcap.gz");
    const std::string gz = Slurp(dir + "/many.pcap.gz");
    const std::string cutPath = dir + "/cut.pcap.gz";
    Spit(cutPath, gz.substr(0, gz.size() / 2));
    EventTable table;
    ReadReport report;
    try
    {
        ReadPcap(cutPath, table, report);
        EXPECT_LT(report.records, 200u);
        EXPECT_EQ(report.skipped.at("file cut mid-record"), 1u);
        EXPECT_NE(report.examples.back().find("gzip stream ends early"), std::string::npos)
            << report.examples.back();
    }
    catch (const TraceError& e)
    {
        EXPECT_NE(std::string(e.what()).find(cutPath), std::string::npos) << e.what();
    }
    // What was read agrees with the intact file.
    EventTable whole;
    ReadReport wholeReport;
    ReadPcap(full, whole, wholeReport);
    ASSERT_EQ(whole.Size(), 200u);
    for (size_t i = 0; i < table.Size(); ++i)
    {
        EXPECT_EQ(table.Get(i), whole.Get(i));
    }

    // A flipped byte inside the deflate data is an error (bad data or CRC).
    std::string flipped = gz;
    flipped[gz.size() / 2] = static_cast<char>(flipped[gz.size() / 2] ^ 0x5a);
    const std::string flippedPath = dir + "/flipped.pcap.gz";
    Spit(flippedPath, flipped);
    const std::string msg = ReadError(flippedPath);
    EXPECT_NE(msg.find(flippedPath), std::string::npos) << msg;
}

// ---------------------------------------------------------------------------
// The writer.

/// \return a packet event.
TraceEvent
Packet(double ts,
       const char* src,
       const char* dst,
       int proto,
       int size,
       int sport = -1,
       int dport = -1,
       int flags = -1,
       int ttl = 64)
{
    TraceEvent e;
    e.ts = ts;
    e.src = *IpAddr::Parse(src);
    e.dst = *IpAddr::Parse(dst);
    e.proto = static_cast<int16_t>(proto);
    e.size = size;
    e.srcPort = sport;
    e.dstPort = dport;
    e.tcpFlags = static_cast<int16_t>(flags);
    e.ttl = static_cast<int16_t>(ttl);
    return e;
}

/// Events for the writer tests, and what reading them back must give.
struct WriterCase
{
    EventTable table;                 //!< Events to write.
    std::vector<TraceEvent> expected; //!< Events read back.
};

/// \return the writer test's events.
WriterCase
MakeWriterCase()
{
    WriterCase c;
    const double t0 = 1700000000.0;
    const char* a = "10.1.0.1";
    const char* b = "10.1.0.2";
    const char* a6 = "2001:db8::a";
    const char* b6 = "2001:db8::b";
    auto add = [&c](const TraceEvent& in, const TraceEvent& out) {
        c.table.Append(in);
        c.expected.push_back(out);
    };
    auto same = [&add](const TraceEvent& e) { add(e, e); };
    same(Packet(t0 + 0.000001, a, b, 6, 60, 40000, 80, 0x02));       // SYN
    same(Packet(t0 + 0.000501, b, a, 6, 60, 80, 40000, 0x12, 57));   // SYN-ACK
    same(Packet(t0 + 0.001001, a, b, 6, 52, 40000, 80, 0x10));       // ACK
    same(Packet(t0 + 0.002002, b, a, 6, 1500, 80, 40000, 0x18, 57)); // PSH-ACK
    same(Packet(t0 + 0.002500, a, b, 6, 40, 40000, 80, 0xd0));       // CWR-ECE-ACK
    same(Packet(t0 + 0.003000, a, b, 6, 40, 40000, 80, 0x11));       // FIN-ACK
    same(Packet(t0 + 0.003500, a, b, 6, 40, 40001, 81, 0x04));       // RST
    TraceEvent e = Packet(t0 + 0.004000, a, b, 6, 100, 40000, 80);   // Flags unknown.
    TraceEvent r = e;
    r.tcpFlags = 0x10;
    add(e, r);
    e = Packet(t0 + 0.004500, a, b, 6, 30, 40000, 80, 0x10); // Below 40 bytes.
    r = e;
    r.size = 40;
    add(e, r);
    same(Packet(t0 + 0.005000, a, "8.8.8.8", 17, 70, 53000, 53, -1, 128));
    e = Packet(t0 + 0.005500, a, b, 17, 40); // UDP without ports.
    r = e;
    r.srcPort = 49152;
    r.dstPort = 9;
    add(e, r);
    same(Packet(t0 + 0.006000, a, b, 1, 84, -1, -1, -1, 255));
    same(Packet(t0 + 0.006500, a, b, 47, 60));
    same(Packet(t0 + 0.007000, a6, b6, 6, 80, 50000, 443, 0x02, 64));
    same(Packet(t0 + 0.007500, a6, b6, 17, 100, 5353, 5353, -1, 255));
    same(Packet(t0 + 0.008000, a6, b6, 58, 104));
    e = Packet(t0 + 0.008500, a, b, 6, 40, 40000, 80, 0x10, -1); // TTL unknown.
    r = e;
    r.ttl = 64;
    add(e, r);
    same(Packet(t0 + 0.009000, a, b, 132, 60, 5000, 6000));
    same(Packet(t0 + 0.009100, a, b, 4, 60));                // IP in IP.
    same(Packet(t0 + 0.009200, a, b, 41, 100));              // IPv6 in IPv4.
    same(Packet(t0 + 0.009300, a, b, 2, 32, -1, -1, -1, 1)); // IGMP.
    e = Packet(t0 + 0.009500, a6, b6, 17, -1, 1000, 2000);   // Size unknown.
    r = e;
    r.size = 48;
    add(e, r);
    // Flow events: one packet of bytes / packets, at most 1500.
    e = Packet(t0 + 0.010000, a, b, 17, -1, 3000, 4000, -1, -1);
    e.packets = 10;
    e.bytes = 5000;
    e.duration = 2.5;
    r = Packet(t0 + 0.010000, a, b, 17, 500, 3000, 4000, -1, 64);
    add(e, r);
    e = Packet(t0 + 0.010500, a, b, 6, -1, 3001, 443, -1, -1);
    e.packets = 2;
    e.bytes = 100000;
    r = Packet(t0 + 0.010500, a, b, 6, 1500, 3001, 443, 0x10, 64);
    add(e, r);
    // Not writable: skipped.
    e = Packet(t0 + 0.011000, a, b, 6, 40);
    e.src = IpAddr();
    c.table.Append(e);
    e = Packet(t0 + 0.011500, a, b6, 6, 60);
    c.table.Append(e);
    return c;
}

class PcapWriter : public ::testing::TestWithParam<PcapLinkType>
{
};

TEST_P(PcapWriter, WiresharkAcceptsChecksumsAndFieldsRoundTrip)
{
    ASSERT_TRUE(WiresharkTools());
    const WriterCase c = MakeWriterCase();
    const bool eth = GetParam() == PcapLinkType::Ethernet;
    const std::string dir = test::TempDir(eth ? "pcap-write-eth" : "pcap-write-raw");
    const std::string file = dir + "/out.pcap";
    const WriteReport w = WritePcap(c.table, file, GetParam());
    EXPECT_EQ(w.written, c.expected.size());
    const std::map<std::string, uint64_t> repaired = {
        {"size below header minimum", 2},
        {"tcp flags unknown: ACK written", 2},
        {"port missing: default written", 1},
        {"ttl unknown: 64 written", 3},
    };
    EXPECT_EQ(w.repaired, repaired);
    const std::map<std::string, uint64_t> skipped = {{"address unset", 1},
                                                     {"address families differ", 1}};
    EXPECT_EQ(w.skipped, skipped);

    // Wireshark: right link type, no malformed packet, every checksum good.
    const auto info = RunCommand("capinfos -E " + Quote(file));
    EXPECT_NE(info.out.find(eth ? "Ethernet" : "Raw IP"), std::string::npos) << info.out;
    const auto r = RunCommand(
        "tshark -n -r " + Quote(file) +
        " -o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE -o udp.check_checksum:TRUE"
        " -o 'sctp.checksum:CRC 32c' -T fields -E separator=/t -E occurrence=a"
        " -e frame.number -e _ws.malformed -e _ws.expert.severity -e _ws.expert.group"
        " -e _ws.expert.message -e ip.checksum.status -e tcp.checksum.status"
        " -e udp.checksum.status -e icmp.checksum.status -e icmpv6.checksum.status"
        " -e sctp.checksum.status");
    ASSERT_EQ(r.status, 0) << r.err;
    std::istringstream lines(r.out);
    std::string line;
    size_t rows = 0;
    size_t checksums = 0;
    const int64_t kError = 0x00800000;
    const int64_t kChecksumGroup = 0x01000000;
    const int64_t kMalformedGroup = 0x07000000;
    while (std::getline(lines, line))
    {
        ++rows;
        std::vector<std::string> cells;
        std::istringstream s(line);
        std::string cell;
        while (std::getline(s, cell, '\t'))
        {
            cells.push_back(cell);
        }
        cells.resize(11);
        SCOPED_TRACE("frame " + cells[0] + ": " + cells[4]);
        EXPECT_TRUE(cells[1].empty()) << "malformed";
        std::istringstream sev(cells[2]);
        std::istringstream grp(cells[3]);
        std::string v;
        while (std::getline(sev, v, ','))
        {
            EXPECT_LT(std::stoll(v), kError) << "expert error";
        }
        while (std::getline(grp, v, ','))
        {
            EXPECT_NE(std::stoll(v), kChecksumGroup) << "checksum expert info";
            EXPECT_NE(std::stoll(v), kMalformedGroup) << "malformed expert info";
        }
        for (size_t k = 5; k < 11; ++k)
        {
            std::istringstream statuses(cells[k]);
            while (std::getline(statuses, v, ','))
            {
                EXPECT_EQ(v, "1") << "checksum status of field " << k << " (1 = good)";
                ++checksums;
            }
        }
    }
    EXPECT_EQ(rows, c.expected.size());
    // IPv4 header checksums, plus the TCP, UDP, ICMP, ICMPv6 and SCTP ones.
    EXPECT_GE(checksums, c.expected.size());

    // Read back with the project's reader.
    EventTable back;
    ReadReport report;
    ReadPcap(file, back, report);
    ASSERT_EQ(back.Size(), c.expected.size());
    EXPECT_EQ(report.SkippedTotal(), 0u);
    EXPECT_TRUE(report.partial.empty());
    for (size_t i = 0; i < back.Size(); ++i)
    {
        const TraceEvent got = back.Get(i);
        const TraceEvent& want = c.expected[i];
        SCOPED_TRACE("event " + std::to_string(i));
        EXPECT_NEAR(got.ts, want.ts, 5e-7);
        EXPECT_EQ(got.src, want.src);
        EXPECT_EQ(got.dst, want.dst);
        EXPECT_EQ(got.proto, want.proto);
        EXPECT_EQ(got.size, want.size);
        EXPECT_EQ(got.ttl, want.ttl);
        const bool ports = want.proto == 6 || want.proto == 17 || want.proto == 132;
        EXPECT_EQ(got.srcPort, ports ? want.srcPort : -1);
        EXPECT_EQ(got.dstPort, ports ? want.dstPort : -1);
        EXPECT_EQ(got.tcpFlags, want.proto == 6 ? want.tcpFlags : -1);
    }
    // Nothing but the finished file is left behind.
    size_t entries = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir))
    {
        ++entries;
    }
    EXPECT_EQ(entries, 1u);
}

INSTANTIATE_TEST_SUITE_P(Pcap,
                         PcapWriter,
                         ::testing::Values(PcapLinkType::Ethernet, PcapLinkType::RawIp),
                         [](const ::testing::TestParamInfo<PcapLinkType>& info) {
                             return info.param == PcapLinkType::Ethernet ? "Ethernet" : "RawIp";
                         });

TEST(PcapWriter, TcpSequenceNumbersFollowEachDirection)
{
    ASSERT_TRUE(WiresharkTools());
    EventTable t;
    const char* a = "10.2.0.1";
    const char* b = "10.2.0.2";
    t.Append(Packet(1.0, a, b, 6, 40, 40000, 80, 0x02));
    t.Append(Packet(1.1, b, a, 6, 40, 80, 40000, 0x12));
    t.Append(Packet(1.2, a, b, 6, 40, 40000, 80, 0x10));
    t.Append(Packet(1.3, a, b, 6, 140, 40000, 80, 0x18));
    t.Append(Packet(1.4, b, a, 6, 40, 80, 40000, 0x10));
    const std::string dir = test::TempDir("pcap-seq");
    const std::string file = dir + "/seq.pcap";
    WritePcap(t, file, PcapLinkType::RawIp);
    const auto r = RunCommand("tshark -n -r " + Quote(file) +
                              " -T fields -E separator=/t -e tcp.seq -e tcp.ack");
    ASSERT_EQ(r.status, 0) << r.err;
    // Relative numbers: SYN at 0, SYN-ACK acknowledges 1, data follows on.
    EXPECT_EQ(r.out, "0\t0\n0\t1\n1\t1\n1\t1\n1\t101\n");
}

TEST(PcapWriter, NeverLeavesAPartialFile)
{
    EventTable t;
    t.Append(Packet(1.0, "10.0.0.1", "10.0.0.2", 6, 40, 1, 2, 0x10));
    const std::string dir = test::TempDir("pcap-nodir");
    EXPECT_THROW(WritePcap(t, dir + "/no/such/dir/out.pcap", PcapLinkType::Ethernet), TraceError);
    EXPECT_FALSE(std::filesystem::exists(dir + "/no"));
}

} // namespace
