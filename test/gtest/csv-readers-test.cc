/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * \file
 * \ingroup temponet
 * Tests of the text trace readers (UGR'16 NetFlow CSV, Zeek conn.log, Argus
 * binetflow, DARPA'99 packet CSV, canonical CSV) and the canonical CSV writer:
 * exact figures on the shared real traces, hand-written fixtures per format,
 * the canonical round trip, and bad input.
 */

#include "temponet-event-table.h"
#include "temponet-read-report.h"
#include "temponet-test-data.h"
#include "temponet-trace-format.h"
#include "temponet-trace-writer.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <iterator>
#include <random>
#include <sstream>
#include <zlib.h>

using namespace ns3::temponet;

namespace
{

/// Writes \p text to \p path.
void
WriteText(const std::string& path, const std::string& text)
{
    std::ofstream out(path, std::ios::binary);
    out << text;
}

/// \return the bytes of \p path.
std::string
Slurp(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

/// \return the address \p text, which must be valid.
IpAddr
Ip(const char* text)
{
    return *IpAddr::Parse(text);
}

/// \return the number of events of \p proto in \p t.
size_t
CountProto(const EventTable& t, int proto)
{
    size_t n = 0;
    for (int16_t p : t.Proto())
    {
        n += p == proto ? 1 : 0;
    }
    return n;
}

/// \return the TraceError message of \p f, or "" if it does not throw one.
template <typename F>
std::string
ErrorOf(F f)
{
    try
    {
        f();
    }
    catch (const TraceError& e)
    {
        return e.what();
    }
    return "";
}

/// \return true if \p s contains \p part.
bool
Has(const std::string& s, const std::string& part)
{
    return s.find(part) != std::string::npos;
}

} // namespace

// ---------------------------------------------------------------- UGR'16 ----

TEST(Ugr16Reader, SharedSampleHasExactFigures)
{
    TEMPONET_REQUIRE_DATA(path, "ugr16-small.csv");
    EventTable t;
    ReadReport r;
    ReadUgr16(path, t, r);
    EXPECT_EQ(r.records, 1000u);
    EXPECT_EQ(t.Size(), 1000u);
    EXPECT_EQ(r.SkippedTotal(), 0u);
    EXPECT_EQ(t.Kind(), TraceKind::Flows);
    EXPECT_EQ(CountProto(t, 6), 437u);
    EXPECT_EQ(CountProto(t, 17), 231u);
    EXPECT_EQ(CountProto(t, 1), 267u);
    EXPECT_EQ(CountProto(t, 47), 30u);
    EXPECT_EQ(CountProto(t, 50), 29u);
    EXPECT_EQ(CountProto(t, 4), 5u);
    EXPECT_EQ(CountProto(t, 41), 1u);
    int64_t pkts = 0;
    int64_t bytes = 0;
    for (size_t i = 0; i < t.Size(); ++i)
    {
        pkts += t.Packets()[i];
        bytes += t.Bytes()[i];
    }
    EXPECT_EQ(pkts, 1243488);
    EXPECT_EQ(bytes, 563303422);

    // Row 1: 1730436467,719036359,0,0,ICMP,1458298072364000.0,305.63599999999997,62,1736
    TraceEvent e = t.Get(0);
    EXPECT_EQ(e.src, IpAddr::FromV4(1730436467u));
    EXPECT_EQ(e.src.ToString(), "103.36.93.115");
    EXPECT_EQ(e.dst, IpAddr::FromV4(719036359u));
    EXPECT_EQ(e.proto, 1);
    EXPECT_EQ(e.srcPort, -1);
    EXPECT_EQ(e.dstPort, -1);
    EXPECT_EQ(e.ts, 1458298072.364);
    EXPECT_EQ(e.duration, 305.63599999999997);
    EXPECT_EQ(e.packets, 62);
    EXPECT_EQ(e.bytes, 1736);
    EXPECT_EQ(e.size, -1);

    // ReadTrace detects the format and sorts by time.
    EventTable sorted;
    ReadReport r2;
    ReadTrace(path, std::nullopt, sorted, r2);
    EXPECT_EQ(r2.format, "ugr16");
    EXPECT_EQ(r2.records, 1000u);
    EXPECT_TRUE(sorted.IsTimeSorted());
    // The blacklisted flow (line 184) is TCP 3564136664:51711 -> 719036092:80.
    bool found = false;
    for (size_t i = 0; i < sorted.Size(); ++i)
    {
        const TraceEvent x = sorted.Get(i);
        if (x.src == IpAddr::FromV4(3564136664u) && x.dstPort == 80 && x.srcPort == 51711)
        {
            found = true;
            EXPECT_EQ(x.proto, 6);
            EXPECT_EQ(x.packets, 2131);
            EXPECT_EQ(x.bytes, 177533);
            EXPECT_EQ(x.ts, 1458298117.652);
        }
    }
    EXPECT_TRUE(found);
}

TEST(Ugr16Reader, FindsColumnsByNameAndAcceptsTextAndNumbers)
{
    const std::string dir = test::TempDir("ugr-cols");
    const std::string path = dir + "/flows.csv";
    WriteText(path,
              "type,ts,byt,pkt,td,proto,dstport,srcport,dstip,srcip,extra\n"
              "background,1458298073000000.0,992,31,300.0,UDP,53,40000,10.0.0.2,10.0.0.1,x\n"
              "\n"
              "background,1458298074000000,100,2,0.5,17,443.0,1.0,167772162,167772161,y\n"
              "background,1458298075000000,120,3,1.5,gre,9,9,10.0.0.2,10.0.0.1,z\n"
              "background,1458298076000000,120,3,1.5,TCP,70000,1,10.0.0.2,10.0.0.1,z\n"
              "background,1458298077000000,120,3,1.5,XTP,1,1,10.0.0.2,10.0.0.1,z\n");
    EventTable t;
    ReadReport r;
    ReadUgr16(path, t, r);
    ASSERT_EQ(t.Size(), 3u);
    EXPECT_EQ(r.records, 3u);
    TraceEvent a = t.Get(0);
    EXPECT_EQ(a.src, Ip("10.0.0.1"));
    EXPECT_EQ(a.dst, Ip("10.0.0.2"));
    EXPECT_EQ(a.srcPort, 40000);
    EXPECT_EQ(a.dstPort, 53);
    EXPECT_EQ(a.proto, 17);
    EXPECT_EQ(a.ts, 1458298073.0);
    EXPECT_EQ(a.duration, 300.0);
    EXPECT_EQ(a.packets, 31);
    EXPECT_EQ(a.bytes, 992);
    TraceEvent b = t.Get(1);
    EXPECT_EQ(b.src, a.src); // 167772161 == 10.0.0.1
    EXPECT_EQ(b.dstPort, 443);
    EXPECT_EQ(b.srcPort, 1);
    TraceEvent c = t.Get(2);
    EXPECT_EQ(c.proto, 47);
    EXPECT_EQ(c.srcPort, -1); // GRE has no ports, whatever the file says
    EXPECT_EQ(c.dstPort, -1);
    EXPECT_EQ(r.skipped.at("malformed row"), 2u);
    ASSERT_EQ(r.examples.size(), 2u);
    EXPECT_TRUE(Has(r.examples[0], "line 6")) << r.examples[0];
    EXPECT_TRUE(Has(r.examples[0], "dstport")) << r.examples[0];
    EXPECT_TRUE(Has(r.examples[1], "line 7")) << r.examples[1];
    EXPECT_TRUE(Has(r.examples[1], "XTP")) << r.examples[1];
}

TEST(Ugr16Reader, MissingRequiredColumnNamesFileLineAndColumn)
{
    const std::string dir = test::TempDir("ugr-missing");
    const std::string path = dir + "/flows.csv";
    WriteText(path, "srcip,dstip,srcport,dstport,ts,td,pkt,byt\n1,2,3,4,5,6,7,8\n");
    EventTable t;
    ReadReport r;
    const std::string msg = ErrorOf([&] { ReadUgr16(path, t, r); });
    EXPECT_TRUE(Has(msg, path)) << msg;
    EXPECT_TRUE(Has(msg, "line 1")) << msg;
    EXPECT_TRUE(Has(msg, "\"proto\"")) << msg;
}

// ------------------------------------------------------------------ Zeek ----

TEST(ZeekReader, SharedConnLogHasExactFigures)
{
    TEMPONET_REQUIRE_DATA(path, "4sics-geeklounge-151020.conn.log");
    EventTable t;
    ReadReport r;
    ReadZeekConn(path, t, r);
    EXPECT_EQ(r.records, 12444u);
    EXPECT_EQ(t.Size(), 12444u);
    EXPECT_EQ(r.SkippedTotal(), 0u);
    EXPECT_EQ(t.Kind(), TraceKind::Flows);
    EXPECT_FALSE(t.IsTimeSorted()); // the file is not sorted; the reader keeps its order
    EXPECT_EQ(CountProto(t, 6), 9778u);
    EXPECT_EQ(CountProto(t, 17), 2663u);
    EXPECT_EQ(CountProto(t, 1), 3u);
    EXPECT_EQ(t.Hosts().size(), 12u);
    int64_t pkts = 0;
    size_t noDuration = 0;
    for (size_t i = 0; i < t.Size(); ++i)
    {
        pkts += t.Packets()[i];
        noDuration += std::isnan(t.Duration()[i]) ? 1 : 0;
    }
    EXPECT_EQ(pkts, 239267); // orig_pkts + resp_pkts over the file
    EXPECT_EQ(noDuration, 2499u);

    // First data line: dns, duration unset, 1 + 0 packets, 55 + 0 IP bytes.
    TraceEvent a = t.Get(0);
    EXPECT_EQ(a.ts, 1445353842.722836);
    EXPECT_EQ(a.src, Ip("192.168.89.2"));
    EXPECT_EQ(a.srcPort, 11889);
    EXPECT_EQ(a.dst, Ip("8.8.8.8"));
    EXPECT_EQ(a.dstPort, 53);
    EXPECT_EQ(a.proto, 17);
    EXPECT_TRUE(std::isnan(a.duration));
    EXPECT_EQ(a.packets, 1);
    EXPECT_EQ(a.bytes, 55);

    // Second to last data line: the long S7 session.
    TraceEvent b = t.Get(t.Size() - 2);
    EXPECT_EQ(b.ts, 1445355252.043852);
    EXPECT_EQ(b.src, Ip("10.10.10.20"));
    EXPECT_EQ(b.dstPort, 102);
    EXPECT_EQ(b.proto, 6);
    EXPECT_EQ(b.duration, 23779.352228);
    EXPECT_EQ(b.packets, 94847 + 51464);
    EXPECT_EQ(b.bytes, 8488365 + 4429380);

    // Last data line: ICMP, whose "ports" are type and code.
    TraceEvent c = t.Get(t.Size() - 1);
    EXPECT_EQ(c.proto, 1);
    EXPECT_EQ(c.srcPort, -1);
    EXPECT_EQ(c.dstPort, -1);
    EXPECT_EQ(c.packets, 2684);
    EXPECT_EQ(c.bytes, 224056);

    EventTable sorted;
    ReadReport r2;
    ReadTrace(path, std::nullopt, sorted, r2);
    EXPECT_EQ(r2.format, "zeek-conn");
    EXPECT_EQ(sorted.Size(), 12444u);
    EXPECT_TRUE(sorted.IsTimeSorted());
}

TEST(ZeekReader, FixtureUnsetFieldsIcmpV6AndComments)
{
    const std::string dir = test::TempDir("zeek-fixture");
    const std::string path = dir + "/conn.log";
    // Columns in a different order than Zeek's default, and an extra one.
    WriteText(path,
              "#separator \\x09\n"
              "#set_separator\t,\n"
              "#empty_field\t(empty)\n"
              "#unset_field\t-\n"
              "#path\tconn\n"
              "#fields\tts\tuid\tproto\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tduration\t"
              "orig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents\n"
              "#types\ttime\tstring\tenum\taddr\tport\taddr\tport\tinterval\tcount\tcount\tcount\t"
              "count\tset[string]\n"
              "100.5\tC1\ttcp\t10.0.0.1\t1234\t10.0.0.2\t80\t1.25\t3\t180\t2\t120\t(empty)\n"
              "99.25\tC2\ticmp\tfe80::1\t128\tfe80::2\t129\t-\t1\t104\t-\t-\t(empty)\n"
              "101\tC3\tudp\t10.0.0.1\t5353\t224.0.0.251\t5353\t-\t-\t-\t-\t-\t(empty)\n"
              "102\tC4\tunknown_transport\t10.0.0.1\t0\t10.0.0.9\t0\t-\t1\t40\t0\t0\t(empty)\n"
              "103\tC5\ttcp\t10.0.0.1\tabc\t10.0.0.2\t80\t1\t1\t40\t0\t0\t(empty)\n"
              "104\tC6\ttcp\t10.0.0.1\n"
              "#close\t2016-06-24-11-37-50\n");
    EventTable t;
    ReadReport r;
    ReadZeekConn(path, t, r);
    ASSERT_EQ(t.Size(), 3u);
    TraceEvent a = t.Get(0);
    EXPECT_EQ(a.ts, 100.5);
    EXPECT_EQ(a.proto, 6);
    EXPECT_EQ(a.srcPort, 1234);
    EXPECT_EQ(a.dstPort, 80);
    EXPECT_EQ(a.duration, 1.25);
    EXPECT_EQ(a.packets, 5);
    EXPECT_EQ(a.bytes, 300);
    TraceEvent b = t.Get(1);
    EXPECT_EQ(b.proto, 58); // icmp between IPv6 hosts
    EXPECT_EQ(b.src, Ip("fe80::1"));
    EXPECT_EQ(b.srcPort, -1);
    EXPECT_TRUE(std::isnan(b.duration));
    EXPECT_EQ(b.packets, 1); // resp_pkts unset counts as 0 when orig_pkts is set
    EXPECT_EQ(b.bytes, 104);
    TraceEvent c = t.Get(2);
    EXPECT_EQ(c.packets, -1); // both parts unset
    EXPECT_EQ(c.bytes, -1);
    EXPECT_EQ(r.skipped.at("unknown transport protocol"), 1u);
    EXPECT_EQ(r.skipped.at("malformed row"), 2u);
    ASSERT_EQ(r.examples.size(), 3u);
    EXPECT_TRUE(Has(r.examples[1], "line 12") && Has(r.examples[1], "id.orig_p")) << r.examples[1];
    EXPECT_TRUE(Has(r.examples[2], "line 13") && Has(r.examples[2], "4 fields")) << r.examples[2];

    // ReadTrace sorts: 99.25 comes first.
    EventTable sorted;
    ReadReport r2;
    ReadTrace(path, std::nullopt, sorted, r2);
    EXPECT_EQ(sorted.Get(0).ts, 99.25);
}

TEST(ZeekReader, FieldsHeaderWithoutRequiredColumnIsAnError)
{
    const std::string dir = test::TempDir("zeek-missing");
    const std::string path = dir + "/conn.log";
    WriteText(path,
              "#separator \\x09\n"
              "#fields\tts\tuid\tid.orig_p\tid.resp_h\tid.resp_p\tproto\n"
              "1\tC\t1\t10.0.0.2\t2\ttcp\n");
    EventTable t;
    ReadReport r;
    const std::string msg = ErrorOf([&] { ReadZeekConn(path, t, r); });
    EXPECT_TRUE(Has(msg, path) && Has(msg, "line 2") && Has(msg, "id.orig_h")) << msg;
}

// ----------------------------------------------------------------- Argus ----

namespace
{

/// A CTU-13-style binetflow excerpt (addresses and values as Argus prints them).
const char* const kArgusFixture =
    "StartTime,Dur,Proto,SrcAddr,Sport,Dir,DstAddr,Dport,State,sTos,dTos,TotPkts,TotBytes,"
    "SrcBytes,Label\n"
    "2011/08/10 09:46:53.047277,3550.182373,udp,212.50.71.179,39678,  <->,147.32.84.229,13363,"
    "CON,0,0,12,875,413,flow=Background-UDP-Established\n"
    "2011/08/10 09:46:53.048843,0.000883,udp,84.13.246.132,28431,  <->,147.32.84.229,13363,CON,"
    "0,0,2,135,75,flow=Background-UDP-Established\n"
    "2011/08/10 09:46:53.049895,0.000326,tcp,217.163.21.35,80,  <?>,147.32.86.194,2063,FA_A,0,0,"
    "2,120,60,flow=Background\n"
    "2011/08/10 09:46:54.278836,0.000000,arp,147.32.84.59,,   who,147.32.84.255,,INT,,,1,60,60,"
    "flow=Background\n"
    "2011/08/10 09:46:54.391052,0.000000,icmp,147.32.84.165,0x0008,  ->,147.32.84.255,0x0303,"
    "ECO,0,,1,98,98,flow=Background\n"
    "2011/08/10 09:46:55.003441,0.052208,tcp,147.32.84.165,0x0424,  ->,60.190.222.139,0x0050,"
    "SR_SA,0,0,3,182,122,flow=From-Botnet-V42-TCP-Attempt\n"
    "2011/08/10 09:46:55.123000,1.500000,ipv6-icmp,fe80::2c0:9fff:fe5a:7c1a,0x0087,  ->,"
    "ff02::1:ff00:1,0x0000,INT,0,,2,172,172,flow=Background\n"
    "2011/08/10 09:46:56.000000,0.000000,llc,0:d0:4:8f:2c:bf,0,   ->,1:80:c2:0:0:0,0,INT,,,1,"
    "64,64,flow=Background\n"
    "2011/08/10 09:46:56.500000,0.200000,rtp,147.32.84.118,16384,  <->,147.32.80.13,16386,CON,"
    "0,0,4,50,25,flow=Background\n"
    "2011/08/10 09:46:57.000000,0.100000,udp,147.32.84.229,13363,  <->,147.32.84.999,53,CON,0,"
    "0,2,150,75,flow=Background\n"
    "2011/08/10 09:46:58.000000,0.100000,xyz,147.32.84.229,1,  <->,147.32.84.9,53,CON,0,0,2,"
    "150,75,flow=Background\n";

} // namespace

TEST(ArgusReader, CtuStyleFixture)
{
    const std::string dir = test::TempDir("argus");
    const std::string path = dir + "/capture.binetflow";
    WriteText(path, kArgusFixture);
    EventTable t;
    ReadReport r;
    ReadTrace(path, std::nullopt, t, r);
    EXPECT_EQ(r.format, "argus");
    EXPECT_EQ(t.Kind(), TraceKind::Flows);
    ASSERT_EQ(t.Size(), 7u);
    EXPECT_EQ(r.records, 7u);
    EXPECT_EQ(r.skipped.at("non-IP record"), 2u); // arp, llc
    EXPECT_EQ(r.skipped.at("malformed row"), 1u); // 147.32.84.999
    EXPECT_EQ(r.skipped.at("unknown protocol"), 1u);

    TraceEvent a = t.Get(0);
    EXPECT_EQ(a.ts, 1312969613.047277); // 2011-08-10 09:46:53.047277 UTC
    EXPECT_EQ(a.duration, 3550.182373);
    EXPECT_EQ(a.proto, 17);
    EXPECT_EQ(a.src, Ip("212.50.71.179"));
    EXPECT_EQ(a.srcPort, 39678);
    EXPECT_EQ(a.dst, Ip("147.32.84.229"));
    EXPECT_EQ(a.dstPort, 13363);
    EXPECT_EQ(a.packets, 12);
    EXPECT_EQ(a.bytes, 875 - 14 * 12); // Ethernet headers removed

    TraceEvent icmp = t.Get(3);
    EXPECT_EQ(icmp.proto, 1);
    EXPECT_EQ(icmp.srcPort, -1); // 0x0008 is the ICMP type
    EXPECT_EQ(icmp.dstPort, -1);
    EXPECT_EQ(icmp.bytes, 98 - 14);

    TraceEvent hex = t.Get(4);
    EXPECT_EQ(hex.proto, 6);
    EXPECT_EQ(hex.srcPort, 0x0424);
    EXPECT_EQ(hex.dstPort, 80);
    EXPECT_EQ(hex.ts, 1312969615.003441);

    TraceEvent v6 = t.Get(5);
    EXPECT_EQ(v6.proto, 58);
    EXPECT_TRUE(v6.src.IsV6());
    EXPECT_EQ(v6.srcPort, -1);

    // rtp is UDP; 50 bytes in 4 packets cannot hold 4 Ethernet + IP headers: kept as is.
    bool rtpFound = false;
    for (size_t i = 0; i < t.Size(); ++i)
    {
        if (t.Get(i).srcPort == 16384)
        {
            rtpFound = true;
            EXPECT_EQ(t.Get(i).proto, 17);
            EXPECT_EQ(t.Get(i).bytes, 50);
        }
    }
    EXPECT_TRUE(rtpFound);
    // Direct call keeps file order and gives the same events.
    EventTable direct;
    ReadReport rd;
    ReadArgus(path, direct, rd);
    EXPECT_EQ(direct.Size(), 7u);
    EXPECT_EQ(direct.Get(6).srcPort, 16384);
}

TEST(ArgusReader, MissingColumnAndBadTime)
{
    const std::string dir = test::TempDir("argus-bad");
    const std::string path = dir + "/a.csv";
    WriteText(path, "StartTime,Dur,Proto,SrcAddr,Sport,Dir,Dport,TotPkts\n");
    EventTable t;
    ReadReport r;
    std::string msg = ErrorOf([&] { ReadArgus(path, t, r); });
    EXPECT_TRUE(Has(msg, path) && Has(msg, "line 1") && Has(msg, "DstAddr")) << msg;

    WriteText(path,
              "StartTime,Dur,Proto,SrcAddr,Sport,Dir,DstAddr,Dport\n"
              "2011/02/30 09:46:53.047277,1,tcp,10.0.0.1,1,->,10.0.0.2,2\n");
    msg = ErrorOf([&] { ReadArgus(path, t, r); });
    EXPECT_TRUE(Has(msg, "no usable record") && Has(msg, "StartTime")) << msg;
}

// ----------------------------------------------------------------- DARPA ----

TEST(DarpaReader, SharedDayHasExactFigures)
{
    TEMPONET_REQUIRE_DATA(path, "darpa99-1999-03-01-packets.csv.gz");
    EventTable t;
    ReadReport r;
    ReadDarpaCsv(path, t, r);
    EXPECT_EQ(r.records, 1358164u);
    EXPECT_EQ(t.Size(), 1358164u);
    EXPECT_EQ(t.Kind(), TraceKind::Packets);
    EXPECT_EQ(CountProto(t, 6), 1303850u);
    EXPECT_EQ(CountProto(t, 17), 53383u);
    EXPECT_EQ(CountProto(t, 1), 931u);
    EXPECT_EQ(r.skipped.at("non-IP frame"), 7927u);
    EXPECT_EQ(r.SkippedTotal(), 7927u);
    // 955,471 TCP and 240 ICMP frames are padded 60-byte frames.
    EXPECT_EQ(r.partial.at("IP length estimated from padded 60-byte frame"), 955711u);
    EXPECT_EQ(t.Hosts().size(), 814u);
    int64_t total = 0;
    for (int32_t s : t.PacketSize())
    {
        total += s;
    }
    // Sum of len - 14 over unpadded frames, plus 40 per padded TCP and 28 per padded ICMP.
    EXPECT_EQ(total, 231441210 + 955471 * 40 + 240 * 28);

    // Line 2: 920293206.000000,172.16.0.1,224.0.0.9,17,86,-1,520,520
    TraceEvent a = t.Get(0);
    EXPECT_EQ(a.ts, 920293206.0);
    EXPECT_EQ(a.src, Ip("172.16.0.1"));
    EXPECT_EQ(a.dst, Ip("224.0.0.9"));
    EXPECT_EQ(a.proto, 17);
    EXPECT_EQ(a.size, 86 - 14);
    EXPECT_EQ(a.tcpFlags, -1);
    EXPECT_EQ(a.srcPort, 520);
    EXPECT_EQ(a.dstPort, 520);
    EXPECT_EQ(a.ttl, -1);
    EXPECT_TRUE(std::isnan(a.duration));
    EXPECT_EQ(a.packets, -1);
    // Line 4 (line 3 is a non-IP frame): 172.16.112.10 -> 192.168.1.10 NTP, len 90.
    TraceEvent b = t.Get(1);
    EXPECT_EQ(b.src, Ip("172.16.112.10"));
    EXPECT_EQ(b.size, 76);
    EXPECT_EQ(b.dstPort, 123);
    // Line 25: 920293239,196.37.75.158,172.16.113.105,6,60,2,1024,79 (a padded SYN).
    bool found = false;
    for (size_t i = 0; i < 40 && i < t.Size(); ++i)
    {
        const TraceEvent x = t.Get(i);
        if (x.ts == 920293239.0 && x.src == Ip("196.37.75.158") && x.tcpFlags == 2)
        {
            found = true;
            EXPECT_EQ(x.size, 40);
            EXPECT_EQ(x.srcPort, 1024);
            EXPECT_EQ(x.dstPort, 79);
        }
    }
    EXPECT_TRUE(found);
    // Examples name their line: the first non-IP frame is on line 3.
    ASSERT_FALSE(r.examples.empty());
    EXPECT_TRUE(Has(r.examples[0], "line 3") && Has(r.examples[0], "non-IP frame"))
        << r.examples[0];

    EventTable viaDetect;
    ReadReport r2;
    ReadTrace(path, std::nullopt, viaDetect, r2);
    EXPECT_EQ(r2.format, "darpa-csv");
    EXPECT_EQ(viaDetect.Size(), 1358164u);
    EXPECT_TRUE(viaDetect.IsTimeSorted());
}

TEST(DarpaReader, FixtureFrameLengthRule)
{
    const std::string dir = test::TempDir("darpa-fixture");
    const std::string path = dir + "/p.csv";
    WriteText(path,
              "ts,src,dst,proto,len,tcp_flags,sport,dport\r\n"
              "1.000000,10.0.0.1,10.0.0.2,6,60,16,1024,23\r\n"
              "1.000000,10.0.0.1,10.0.0.2,17,60,-1,53,53\r\n"
              "2.000000,10.0.0.1,10.0.0.2,1,60,-1,-1,-1\r\n"
              "2.000000,10.0.0.1,10.0.0.2,2,60,-1,-1,-1\r\n"
              "3.000000,10.0.0.2,10.0.0.1,6,1514,24,23,1024\r\n"
              "3.000000,,,,42,-1,-1,-1\r\n"
              "4.000000,10.0.0.2,10.0.0.1,6,54,17,23,1024\r\n"
              "5.000000,10.0.0.2,10.0.0.1,6,abc,17,23,1024\r\n"
              "6.000000,10.0.0.2,10.0.0.1,6,80,17,23\r\n"
              "7.000000,10.0.0.2,10.0.0.1,6,20,17,23,1024\r\n");
    EventTable t;
    ReadReport r;
    ReadDarpaCsv(path, t, r);
    ASSERT_EQ(t.Size(), 6u);
    EXPECT_EQ(t.PacketSize()[0], 40); // padded TCP frame: TCP minimum
    EXPECT_EQ(t.PacketSize()[1], 28); // padded UDP frame
    EXPECT_EQ(t.PacketSize()[2], 28); // padded ICMP frame
    EXPECT_EQ(t.PacketSize()[3], 20); // padded IGMP frame: IP header only
    EXPECT_EQ(t.PacketSize()[4], 1500);
    EXPECT_EQ(t.PacketSize()[5], 40); // an unpadded 54-byte frame is exact
    EXPECT_EQ(t.TcpFlags()[4], 24);
    EXPECT_EQ(r.partial.at("IP length estimated from padded 60-byte frame"), 4u);
    EXPECT_EQ(r.skipped.at("non-IP frame"), 1u);
    EXPECT_EQ(r.skipped.at("malformed row"), 3u);
    bool sawAbc = false;
    bool sawCount = false;
    for (const auto& ex : r.examples)
    {
        sawAbc = sawAbc || (Has(ex, "line 9") && Has(ex, "len") && Has(ex, "abc"));
        sawCount = sawCount || (Has(ex, "line 10") && Has(ex, "7 fields, expected 8"));
    }
    EXPECT_TRUE(sawAbc);
    EXPECT_TRUE(sawCount);
}

// ------------------------------------------------------------- Canonical ----

namespace
{

/// \return a table exercising every field, both families, and awkward doubles.
EventTable
MixedTable()
{
    EventTable t(TraceKind::Flows);
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    const IpAddr hosts[] = {Ip("10.0.0.1"),
                            Ip("192.168.255.254"),
                            Ip("2001:db8::1"),
                            Ip("::ffff:10.1.2.3"),
                            Ip("fe80::abcd:1234:5678:9abc")};
    for (int i = 0; i < 500; ++i)
    {
        TraceEvent e;
        e.ts = 1445353842.0 + u(rng) * 1e4;
        e.src = hosts[i % 5];
        e.dst = hosts[(i + 2) % 5];
        e.proto = static_cast<int16_t>(i % 3 == 0 ? 6 : (i % 3 == 1 ? 17 : 1));
        if (e.proto != 1)
        {
            e.srcPort = static_cast<int32_t>(rng() % 65536);
            e.dstPort = static_cast<int32_t>(rng() % 65536);
        }
        if (i % 2 == 0)
        {
            e.size = static_cast<int32_t>(20 + rng() % 1480);
            e.tcpFlags = e.proto == 6 ? static_cast<int16_t>(rng() % 256) : -1;
            e.ttl = static_cast<int16_t>(rng() % 256);
        }
        else
        {
            e.duration = i % 7 == 0 ? std::nan("") : u(rng) * 100;
            e.packets = static_cast<int64_t>(rng() % 1000000);
            e.bytes = i % 11 == 0 ? -1 : static_cast<int64_t>(rng() % 10000000000LL);
        }
        t.Append(e);
    }
    // Values whose decimal forms are tricky.
    TraceEvent e;
    e.src = hosts[0];
    e.dst = hosts[2];
    e.proto = 6;
    for (double ts : {0.1 + 0.2, 1e-7, 5e-324, 1e300, 0.0, 1458298072.364, 920293206.0})
    {
        e.ts = ts;
        e.duration = ts;
        t.Append(e);
    }
    return t;
}

} // namespace

TEST(CanonicalCsv, RoundTripIsExactAndRewriteIsByteIdentical)
{
    const std::string dir = test::TempDir("canonical-rt");
    const EventTable t = MixedTable();
    const std::string p1 = dir + "/a.csv";
    const std::string p2 = dir + "/b.csv";
    WriteReport w = WriteCanonicalCsv(t, p1);
    EXPECT_EQ(w.written, t.Size());
    EXPECT_TRUE(w.skipped.empty());
    EXPECT_TRUE(w.repaired.empty());

    EventTable back;
    ReadReport r;
    ReadCanonicalCsv(p1, back, r);
    ASSERT_EQ(back.Size(), t.Size());
    EXPECT_EQ(r.records, t.Size());
    EXPECT_EQ(r.SkippedTotal(), 0u);
    EXPECT_EQ(back.Kind(), TraceKind::Flows);
    for (size_t i = 0; i < t.Size(); ++i)
    {
        ASSERT_EQ(back.Get(i), t.Get(i)) << "row " << i;
    }
    WriteCanonicalCsv(back, p2);
    EXPECT_EQ(Slurp(p1), Slurp(p2));

    // Detection via ReadTrace, and a packet-only table comes back as packets.
    EventTable packets(TraceKind::Packets);
    for (size_t i = 0; i < t.Size(); ++i)
    {
        TraceEvent e = t.Get(i);
        e.duration = std::nan("");
        e.packets = -1;
        e.bytes = -1;
        packets.Append(e);
    }
    packets.SortByTime();
    const std::string p3 = dir + "/packets.csv";
    WriteTrace(packets, p3);
    EventTable back2;
    ReadReport r2;
    ReadTrace(p3, std::nullopt, back2, r2);
    EXPECT_EQ(r2.format, "canonical");
    EXPECT_EQ(back2.Kind(), TraceKind::Packets);
    ASSERT_EQ(back2.Size(), packets.Size());
    for (size_t i = 0; i < packets.Size(); ++i)
    {
        ASSERT_EQ(back2.Get(i), packets.Get(i)) << "row " << i;
    }
}

TEST(CanonicalCsv, RealTracesRoundTrip)
{
    TEMPONET_REQUIRE_DATA(path, "ugr16-small.csv");
    const std::string dir = test::TempDir("canonical-real");
    EventTable t;
    ReadReport r;
    ReadTrace(path, std::nullopt, t, r);
    const std::string out = dir + "/ugr.csv";
    EXPECT_EQ(WriteCanonicalCsv(t, out).written, 1000u);
    EventTable back;
    ReadReport rb;
    ReadTrace(out, std::nullopt, back, rb);
    ASSERT_EQ(back.Size(), t.Size());
    EXPECT_EQ(back.Kind(), TraceKind::Flows);
    for (size_t i = 0; i < t.Size(); ++i)
    {
        ASSERT_EQ(back.Get(i), t.Get(i)) << "row " << i;
    }
    // First line of the output: the header.
    const std::string text = Slurp(out);
    EXPECT_EQ(text.substr(0, text.find('\n')),
              "ts,src_ip,dst_ip,src_port,dst_port,proto,size,tcp_flags,ttl,duration,packets,bytes");
}

TEST(CanonicalCsv, ReaderAcceptsPandasStyleAndOptionalColumns)
{
    const std::string dir = test::TempDir("canonical-pandas");
    const std::string path = dir + "/p.csv";
    WriteText(path,
              "\xEF\xBB\xBFidx,ts,src_ip,dst_ip,proto,src_port,dst_port,size\n"
              "0,1.5,10.0.0.1,10.0.0.2,6.0,443.0,1000.0,60.0\n"
              "1,2.5,10.0.0.1,10.0.0.2,1,,,84\n"
              "2,3.5,10.0.0.1,10.0.0.2,6,70000,1,60\n");
    EventTable t;
    ReadReport r;
    ReadCanonicalCsv(path, t, r);
    ASSERT_EQ(t.Size(), 2u);
    EXPECT_EQ(t.Kind(), TraceKind::Packets);
    TraceEvent a = t.Get(0);
    EXPECT_EQ(a.proto, 6);
    EXPECT_EQ(a.srcPort, 443);
    EXPECT_EQ(a.size, 60);
    EXPECT_EQ(a.ttl, -1);
    EXPECT_EQ(t.Get(1).srcPort, -1);
    EXPECT_EQ(r.skipped.at("malformed row"), 1u);
    ASSERT_EQ(r.examples.size(), 1u);
    EXPECT_TRUE(Has(r.examples[0], "line 4") && Has(r.examples[0], "src_port")) << r.examples[0];
}

TEST(CanonicalCsv, WriterCountsWhatItCannotWrite)
{
    const std::string dir = test::TempDir("canonical-writer");
    EventTable t;
    TraceEvent e;
    e.src = Ip("10.0.0.1");
    e.dst = Ip("10.0.0.2");
    e.ts = 1;
    e.srcPort = -5; // invalid: written empty
    t.Append(e);
    e.srcPort = 1;
    e.ts = std::nan("");
    t.Append(e);
    e.ts = 2;
    e.dst = IpAddr();
    t.Append(e);
    const std::string path = dir + "/w.csv";
    WriteReport w = WriteCanonicalCsv(t, path);
    EXPECT_EQ(w.written, 1u);
    EXPECT_EQ(w.skipped.at("timestamp not finite"), 1u);
    EXPECT_EQ(w.skipped.at("address unset"), 1u);
    EXPECT_EQ(w.repaired.at("invalid value written as an empty cell"), 1u);
    EXPECT_EQ(Slurp(path),
              "ts,src_ip,dst_ip,src_port,dst_port,proto,size,tcp_flags,ttl,duration,packets,bytes\n"
              "1,10.0.0.1,10.0.0.2,,,,,,,,,\n");
    // No temporary file is left beside the output.
    size_t files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir))
    {
        (void)entry;
        ++files;
    }
    EXPECT_EQ(files, 1u);
    // An unwritable target is a TraceError and leaves nothing behind.
    const std::string msg = ErrorOf([&] { WriteCanonicalCsv(t, dir + "/no-such-folder/w.csv"); });
    EXPECT_TRUE(Has(msg, "no-such-folder")) << msg;
}

// ------------------------------------------------------------- bad input ----

TEST(CsvReaders, EmptyFileIsAnErrorForEveryReader)
{
    const std::string dir = test::TempDir("csv-empty");
    const std::string path = dir + "/empty.csv";
    WriteText(path, "");
    using Reader = void (*)(const std::string&, EventTable&, ReadReport&);
    for (Reader read : {&ReadUgr16, &ReadZeekConn, &ReadArgus, &ReadDarpaCsv, &ReadCanonicalCsv})
    {
        EventTable t;
        ReadReport r;
        const std::string msg = ErrorOf([&] { read(path, t, r); });
        EXPECT_TRUE(Has(msg, path) && Has(msg, "empty")) << msg;
    }
    EventTable t;
    ReadReport r;
    const std::string msg = ErrorOf([&] { ReadTrace(path, std::nullopt, t, r); });
    EXPECT_TRUE(Has(msg, path)) << msg;
    // Blank lines only count as empty too.
    WriteText(path, "\n\r\n  \n");
    EXPECT_TRUE(Has(ErrorOf([&] { ReadDarpaCsv(path, t, r); }), "empty"));
}

TEST(CsvReaders, RandomBytesAreAnErrorNamingTheFile)
{
    const std::string dir = test::TempDir("csv-random");
    const std::string path = dir + "/noise.bin";
    std::mt19937 rng(42);
    std::string noise(8192, '\0');
    for (char& c : noise)
    {
        c = static_cast<char>(rng() & 0xff);
    }
    noise[0] = 'x'; // not a gzip or pcap magic
    WriteText(path, noise);
    using Reader = void (*)(const std::string&, EventTable&, ReadReport&);
    for (Reader read : {&ReadUgr16, &ReadZeekConn, &ReadArgus, &ReadDarpaCsv, &ReadCanonicalCsv})
    {
        EventTable t;
        ReadReport r;
        const std::string msg = ErrorOf([&] { read(path, t, r); });
        EXPECT_TRUE(Has(msg, path)) << msg;
        EXPECT_TRUE(t.Empty());
    }
    EventTable t;
    ReadReport r;
    EXPECT_TRUE(Has(ErrorOf([&] { ReadTrace(path, std::nullopt, t, r); }), path));
}

TEST(CsvReaders, HeaderOnlyOrAllRowsBadIsAnError)
{
    const std::string dir = test::TempDir("csv-nousable");
    const std::string path = dir + "/h.csv";
    WriteText(path, "ts,src,dst,proto,len,tcp_flags,sport,dport\n");
    EventTable t;
    ReadReport r;
    std::string msg = ErrorOf([&] { ReadTrace(path, std::nullopt, t, r); });
    EXPECT_TRUE(Has(msg, path) && Has(msg, "line 1") && Has(msg, "no usable record")) << msg;

    WriteText(path,
              "ts,src,dst,proto,len,tcp_flags,sport,dport\n"
              "1,,,,60,-1,-1,-1\n"
              "2,10.0.0.1,10.0.0.2,x,60,-1,-1,-1\n");
    ReadReport r2;
    msg = ErrorOf([&] { ReadTrace(path, std::nullopt, t, r2); });
    EXPECT_TRUE(Has(msg, path) && Has(msg, "no usable record") && Has(msg, "non-IP frame") &&
                Has(msg, "line 2"))
        << msg;
}

TEST(CsvReaders, CutGzipIsAnErrorNamingTheFile)
{
    const std::string dir = test::TempDir("csv-cutgz");
    // A canonical CSV, gzip'd, then cut in the middle.
    std::ostringstream text;
    text << "ts,src_ip,dst_ip,src_port,dst_port,proto,size,tcp_flags,ttl,duration,packets,bytes\n";
    std::mt19937 rng(3);
    for (int i = 0; i < 50000; ++i)
    {
        text << i << ".5,10.0." << (rng() % 256) << "." << (rng() % 256) << ",10.1.0.1,"
             << (rng() % 65536) << ",80,6," << (40 + rng() % 1400) << ",16,64,,,\n";
    }
    const std::string full = dir + "/full.csv.gz";
    gzFile gz = gzopen(full.c_str(), "wb");
    ASSERT_NE(gz, nullptr);
    const std::string s = text.str();
    gzwrite(gz, s.data(), static_cast<unsigned>(s.size()));
    gzclose(gz);
    const std::string bytes = Slurp(full);
    ASSERT_GT(bytes.size(), 10000u);
    const std::string cut = dir + "/cut.csv.gz";
    WriteText(cut, bytes.substr(0, bytes.size() / 2));

    EventTable whole;
    ReadReport rw;
    ReadTrace(full, std::nullopt, whole, rw);
    EXPECT_EQ(whole.Size(), 50000u);

    EventTable t;
    ReadReport r;
    const std::string msg = ErrorOf([&] { ReadTrace(cut, std::nullopt, t, r); });
    EXPECT_TRUE(Has(msg, cut)) << msg;
    EXPECT_TRUE(Has(msg, "cut short") || Has(msg, "corrupt")) << msg;
}
