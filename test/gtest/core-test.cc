/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "temponet-atomic-file.h"
#include "temponet-event-table.h"
#include "temponet-line-reader.h"
#include "temponet-read-report.h"
#include "temponet-test-data.h"
#include "temponet-time-format.h"
#include "temponet-torch-runtime.h"
#include "temponet-trace-summary.h"

#include <fstream>
#include <gtest/gtest.h>
#include <zlib.h>

using namespace ns3::temponet;

TEST(IpAddr, GroupAddresses)
{
    auto group = [](const char* text) { return IpAddr::Parse(text)->IsGroup(); };
    EXPECT_TRUE(group("224.0.0.9"));
    EXPECT_TRUE(group("239.255.255.250"));
    EXPECT_TRUE(group("255.255.255.255"));
    EXPECT_TRUE(group("ff02::1"));
    EXPECT_FALSE(group("223.255.255.255"));
    EXPECT_FALSE(group("240.0.0.1"));
    EXPECT_FALSE(group("172.16.255.255"));
    EXPECT_FALSE(group("fe80::1"));
    EXPECT_FALSE(IpAddr().IsGroup());
}

TEST(IpAddr, ParsesAndPrintsBothFamilies)
{
    auto a = IpAddr::Parse("192.168.1.20");
    ASSERT_TRUE(a.has_value());
    EXPECT_TRUE(a->IsV4());
    EXPECT_EQ(a->V4(), 0xc0a80114u);
    EXPECT_EQ(a->ToString(), "192.168.1.20");
    EXPECT_EQ(IpAddr::FromV4(0xc0a80114u), *a);

    auto b = IpAddr::Parse("fe80::1");
    ASSERT_TRUE(b.has_value());
    EXPECT_TRUE(b->IsV6());
    EXPECT_EQ(b->ToString(), "fe80::1");
    EXPECT_NE(*a, *b);
    EXPECT_TRUE(*a < *b);

    EXPECT_FALSE(IpAddr::Parse("300.1.1.1").has_value());
    EXPECT_FALSE(IpAddr::Parse("").has_value());
    EXPECT_FALSE(IpAddr::Parse("host").has_value());
}

TEST(EventTable, InternsHostsAndSortsStably)
{
    EventTable t;
    TraceEvent e;
    e.src = *IpAddr::Parse("10.0.0.1");
    e.dst = *IpAddr::Parse("10.0.0.2");
    e.proto = 6;
    e.ts = 2.0;
    e.size = 100;
    t.Append(e);
    e.ts = 1.0;
    e.size = 200;
    t.Append(e);
    e.ts = 1.0;
    e.size = 300;
    std::swap(e.src, e.dst);
    t.Append(e);
    EXPECT_EQ(t.Size(), 3u);
    EXPECT_EQ(t.Hosts().size(), 2u);
    EXPECT_FALSE(t.IsTimeSorted());
    t.SortByTime();
    ASSERT_TRUE(t.IsTimeSorted());
    // Ties keep file order: 200 came before 300.
    EXPECT_EQ(t.Get(0).size, 200);
    EXPECT_EQ(t.Get(1).size, 300);
    EXPECT_EQ(t.Get(1).src.ToString(), "10.0.0.2");
    EXPECT_EQ(t.Get(2).size, 100);
    EXPECT_DOUBLE_EQ(t.SpanSeconds(), 1.0);
    EXPECT_EQ(t.Slice(1.0, 2.0).Size(), 2u);
    EXPECT_EQ(t.Rows(1, 3).Get(0), t.Get(1));
}

TEST(LineReader, ReadsPlainAndGzipLinesWithAnyEnding)
{
    const std::string dir = test::TempDir("lines");
    const std::string plain = dir + "/a.txt";
    {
        std::ofstream f(plain, std::ios::binary);
        f << "one\r\ntwo\n\nlast-without-newline";
    }
    const std::string gz = dir + "/a.txt.gz";
    {
        gzFile g = gzopen(gz.c_str(), "wb");
        gzputs(g, "one\r\ntwo\n\nlast-without-newline");
        gzclose(g);
    }
    for (const auto& path : {plain, gz})
    {
        LineReader r(path);
        std::string_view line;
        std::vector<std::string> got;
        while (r.Next(line))
        {
            got.emplace_back(line);
        }
        EXPECT_EQ(got, (std::vector<std::string>{"one", "two", "", "last-without-newline"}))
            << path;
        EXPECT_EQ(r.LineNumber(), 4u);
    }
}

TEST(LineReader, CutGzipStreamIsAnErrorNamingTheFile)
{
    const std::string dir = test::TempDir("cutgz");
    const std::string gz = dir + "/cut.csv.gz";
    {
        gzFile g = gzopen(gz.c_str(), "wb");
        for (int i = 0; i < 20000; ++i)
        {
            gzprintf(g, "%d,%d,row\n", i, i * 7);
        }
        gzclose(g);
    }
    std::filesystem::resize_file(gz, std::filesystem::file_size(gz) / 2);
    LineReader r(gz);
    std::string_view line;
    try
    {
        while (r.Next(line))
        {
        }
        FAIL() << "a cut gzip stream must raise an error";
    }
    catch (const TraceError& e)
    {
        EXPECT_NE(std::string(e.what()).find(gz), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("cut short"), std::string::npos) << e.what();
    }
}

TEST(TextParse, NumbersAreWholeFieldsOnly)
{
    int64_t i = 0;
    double d = 0;
    EXPECT_TRUE(ParseInt(" 42 ", i));
    EXPECT_EQ(i, 42);
    EXPECT_TRUE(ParseInt("-1", i));
    EXPECT_EQ(i, -1);
    EXPECT_FALSE(ParseInt("4x", i));
    EXPECT_FALSE(ParseInt("", i));
    EXPECT_TRUE(ParseDouble("1445334403.123456", d));
    EXPECT_DOUBLE_EQ(d, 1445334403.123456);
    EXPECT_TRUE(ParseDouble("1e-3", d));
    EXPECT_FALSE(ParseDouble("nan", d));
    EXPECT_FALSE(ParseDouble("1.2.3", d));
    std::vector<std::string_view> f;
    SplitFields("a,,c", ',', f);
    ASSERT_EQ(f.size(), 3u);
    EXPECT_EQ(f[1], "");
}

TEST(AtomicFile, LeavesNothingBehindWithoutCommit)
{
    const std::string dir = test::TempDir("atomic");
    const std::string path = dir + "/out.csv";
    {
        AtomicFile f(path);
        f.Write("half", 4);
    }
    EXPECT_FALSE(std::filesystem::exists(path));
    EXPECT_TRUE(std::filesystem::is_empty(dir));
    {
        AtomicFile f(path);
        f.Write("whole\n", 6);
        f.Commit();
    }
    EXPECT_EQ(std::filesystem::file_size(path), 6u);
}

TEST(TorchRuntime, LinksAndMultiplies)
{
    // (2x3) * (3x2)
    std::vector<float> a{1, 2, 3, 4, 5, 6};
    std::vector<float> b{7, 8, 9, 10, 11, 12};
    auto c = TorchRuntime::MatMul(a, 2, 3, b, 2);
    EXPECT_EQ(c, (std::vector<float>{58, 64, 139, 154}));
    TorchRuntime::SetThreads(2);
    EXPECT_EQ(TorchRuntime::Threads(), 2);
    EXPECT_NE(TorchRuntime::Describe().find("LibTorch 1."), std::string::npos);
    EXPECT_THROW(TorchRuntime::SetThreads(0), std::invalid_argument);
}

TEST(TimeFormat, Iso8601ParsesOffsetsAndRoundTrips)
{
    // 2015-10-20 is a Tuesday; the 4SICS capture starts that day.
    auto t = ParseIso8601("2015-10-20T12:00:00Z");
    ASSERT_TRUE(t.has_value());
    EXPECT_DOUBLE_EQ(*t, 1445342400.0);
    EXPECT_DOUBLE_EQ(*ParseIso8601("2015-10-20T12:00:00"), 1445342400.0);
    EXPECT_DOUBLE_EQ(*ParseIso8601("2015-10-20T14:00:00+02:00"), 1445342400.0);
    EXPECT_DOUBLE_EQ(*ParseIso8601("2015-10-20T07:00-0500"), 1445342400.0);
    EXPECT_DOUBLE_EQ(*ParseIso8601("1970-01-01"), 0.0);
    EXPECT_DOUBLE_EQ(*ParseIso8601("2000-02-29 00:00:01.5"), 951782401.5);
    EXPECT_FALSE(ParseIso8601("2001-02-29").has_value());
    EXPECT_FALSE(ParseIso8601("2015-13-01").has_value());
    EXPECT_FALSE(ParseIso8601("2015-10-20T25:00").has_value());
    EXPECT_FALSE(ParseIso8601("yesterday").has_value());
    EXPECT_EQ(FormatIso8601(1445342400.25), "2015-10-20T12:00:00.250000Z");
    EXPECT_EQ(FormatIso8601(920246400.0), "1999-03-01T00:00:00.000000Z");
    EXPECT_DOUBLE_EQ(*ParseIso8601(FormatIso8601(1234567890.123456)), 1234567890.123456);
}

TEST(TraceSummary, ResolutionCountsAndTopLists)
{
    // Whole seconds at epoch magnitude, then microseconds, then continuous.
    EXPECT_DOUBLE_EQ(DetectResolution({920246400.0, 920246400.0, 920246401.0, 920246410.0}), 1.0);
    EXPECT_DOUBLE_EQ(DetectResolution({1445334403.123456, 1445334403.123457, 1445334404.5}), 1e-6);
    EXPECT_DOUBLE_EQ(DetectResolution({0.0, 0.1, 0.35}), 0.01);
    EXPECT_DOUBLE_EQ(DetectResolution({0.0, 1.23456789e-3, 2.0e-3 + 4.1e-8}), 0.0);

    EventTable t;
    TraceEvent e;
    e.proto = 6;
    e.dstPort = 102;
    e.srcPort = 40000;
    e.src = IpAddr::FromV4(0x0a000001);
    e.dst = IpAddr::FromV4(0x0a000002);
    for (int i = 0; i < 3; ++i)
    {
        e.ts = i;
        t.Append(e);
    }
    e.proto = 17;
    e.dstPort = 53;
    e.dst = IpAddr::FromV4(0x0a000003);
    e.ts = 3;
    t.Append(e);
    e.ts = 3;
    t.Append(e);
    const TraceSummary s = Summarize(t, 1);
    EXPECT_EQ(s.events, 5u);
    EXPECT_EQ(s.hosts, 3u);
    EXPECT_EQ(s.pairs, 2u);
    EXPECT_DOUBLE_EQ(s.spanSeconds, 3.0);
    EXPECT_DOUBLE_EQ(s.resolution, 1.0);
    EXPECT_DOUBLE_EQ(s.tiedFraction, 0.25);
    EXPECT_EQ(s.protocols.at("tcp"), 3u);
    EXPECT_EQ(s.protocols.at("udp"), 2u);
    ASSERT_EQ(s.topPorts.size(), 1u);
    EXPECT_EQ(s.topPorts[0].key, "tcp/102");
    EXPECT_EQ(s.topPorts[0].count, 3u);
    ASSERT_EQ(s.topPairs.size(), 1u);
    EXPECT_EQ(s.topPairs[0].key, "10.0.0.1 > 10.0.0.2");
}
