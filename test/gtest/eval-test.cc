/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Fidelity metrics (model/eval) and `temponet eval`.
#include "temponet-distance.h"
#include "temponet-dkc.h"
#include "temponet-fidelity.h"
#include "temponet-test-cli.h"
#include "temponet-test-data.h"
#include "temponet-test-model.h"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <gtest/gtest.h>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <random>

using namespace ns3::temponet;

namespace
{

/// \return \p a as an IPv4 address in host byte order.
uint32_t
V4(const char* a)
{
    return IpAddr::Parse(a)->V4();
}

/// \return test::Packet() of two dotted-quad hosts, with TTL \p ttl.
TraceEvent
Packet(double ts,
       const char* src,
       const char* dst,
       int proto,
       int sport,
       int dport,
       int size,
       int flags = -1,
       int ttl = 64)
{
    TraceEvent e = test::Packet(ts, V4(src), V4(dst), proto, sport, dport, size, flags);
    e.ttl = int16_t(ttl);
    return e;
}

/// A polling lab: an S7 request and reply every second, a DNS query every 10 s.
EventTable
PollingTrace(size_t seconds, double start = 1445342400.0)
{
    EventTable t;
    for (size_t i = 0; i < seconds; ++i)
    {
        const double ts = start + double(i);
        t.Append(Packet(ts, "10.0.0.1", "10.0.0.2", 6, 50000, 102, 62, 0x18));
        t.Append(Packet(ts + 0.004, "10.0.0.2", "10.0.0.1", 6, 102, 50000, 75, 0x18, 30));
        if (i % 10 == 0)
        {
            t.Append(Packet(ts + 0.5, "10.0.0.1", "10.0.0.53", 17, 53001, 53, 61));
        }
    }
    return t;
}

/// Random UDP chatter between other hosts, exponential gaps of mean \p meanGap.
EventTable
ChatterTrace(size_t n, double meanGap, uint32_t seed, double start = 1445342400.0)
{
    std::mt19937 rng(seed);
    std::exponential_distribution<double> gap(1.0 / meanGap);
    std::uniform_int_distribution<int> size(200, 1400);
    std::bernoulli_distribution coin(0.5);
    EventTable t;
    double ts = start;
    for (size_t i = 0; i < n; ++i)
    {
        ts += gap(rng);
        // On a 1 ms grid, as the polling trace.
        t.Append(Packet(std::round(ts * 1000.0) / 1000.0,
                        coin(rng) ? "172.16.0.5" : "172.16.0.6",
                        "172.16.0.7",
                        17,
                        5000,
                        6000,
                        size(rng),
                        -1,
                        128));
    }
    return t;
}

/// Every metric of \p r, by name.
std::map<std::string, double>
AllMetrics(const FidelityReport& r)
{
    std::map<std::string, double> m;
    for (const auto& [k, v] : r.jsd)
    {
        m["jsd." + k] = v;
    }
    for (const auto& [k, v] : r.ks)
    {
        m["ks." + k] = v;
    }
    for (const auto& [k, v] : r.emd)
    {
        m["emd." + k] = v;
    }
    m["cmd"] = r.cmd;
    m["pcd"] = r.pcd;
    m["acf_l2"] = r.acfL2;
    m["count_ks"] = r.countKs;
    m["rate_log_ratio"] = r.rateLogRatio;
    m["same_pair_prev"] = r.samePairPrev;
    return m;
}

} // namespace

TEST(EvalDistance, JensenShannonHandComputed)
{
    EXPECT_DOUBLE_EQ(JensenShannon(std::vector<int64_t>{1, 2, 2}, std::vector<int64_t>{2, 1, 2}),
                     0.0);
    EXPECT_DOUBLE_EQ(JensenShannon(std::vector<int64_t>{1, 1}, std::vector<int64_t>{2}), 1.0);
    // p = (1/2, 1/2), q = (1, 0), m = (3/4, 1/4):
    // KL(p||m) = 1/2 log2(2/3) + 1/2 log2(2), KL(q||m) = log2(4/3).
    const double expected =
        0.5 * (0.5 * std::log2(2.0 / 3.0) + 0.5 * 1.0) + 0.5 * std::log2(4.0 / 3.0);
    const std::vector<int64_t> p{7, 8};
    const std::vector<int64_t> q{7, 7, 7};
    EXPECT_NEAR(JensenShannon(p, q), expected, 1e-12);
    EXPECT_NEAR(expected, 0.311278, 1e-6);
    EXPECT_DOUBLE_EQ(JensenShannon(p, q), JensenShannon(q, p));
    EXPECT_DOUBLE_EQ(JensenShannon(std::vector<int64_t>{}, std::vector<int64_t>{}), 0.0);
    EXPECT_DOUBLE_EQ(JensenShannon(std::vector<int64_t>{}, q), 1.0);
}

TEST(EvalDistance, KolmogorovSmirnovHandComputed)
{
    EXPECT_DOUBLE_EQ(KolmogorovSmirnov({1, 2, 3, 4}, {3, 4, 5, 6}), 0.5);
    EXPECT_DOUBLE_EQ(KolmogorovSmirnov({3, 4, 5, 6}, {1, 2, 3, 4}), 0.5);
    // Ties step both CDFs together: at 1, 2/3 against 1/3.
    EXPECT_NEAR(KolmogorovSmirnov({1, 1, 2}, {1, 2, 2}), 1.0 / 3.0, 1e-12);
    EXPECT_DOUBLE_EQ(KolmogorovSmirnov({5, 1, 3}, {3, 5, 1}), 0.0);
    EXPECT_DOUBLE_EQ(KolmogorovSmirnov({1, 2}, {10, 20}), 1.0);
    EXPECT_DOUBLE_EQ(KolmogorovSmirnov({}, {1.0}), 1.0);
}

TEST(EvalDistance, EarthMoversHandComputed)
{
    EXPECT_DOUBLE_EQ(EarthMovers({0, 1}, {1, 2}), 1.0);
    // |F_a - F_b| is 1/3 on [0, 1) and on [2, 3), 0 on [1, 2).
    EXPECT_NEAR(EarthMovers({0, 0, 3}, {0, 1, 2}), 2.0 / 3.0, 1e-12);
    EXPECT_NEAR(EarthMovers({0, 1, 2}, {0, 0, 3}), 2.0 / 3.0, 1e-12);
    EXPECT_DOUBLE_EQ(EarthMovers({4, 2, 9}, {9, 4, 2}), 0.0);
    EXPECT_TRUE(std::isnan(EarthMovers({}, {1.0})));
    // log10(x + 1): {0, 1, 2} against {1, 2, 3}, shifted by 1 decade, real std sqrt(2/3).
    EXPECT_NEAR(LogScaleEarthMovers({0, 9, 99}, {9, 99, 999}, 1.0),
                1.0 / std::sqrt(2.0 / 3.0),
                1e-12);
    // Constant real data: one decade divided by the smallest spread.
    EXPECT_NEAR(LogScaleEarthMovers({9, 9}, {99, 99}, 1.0), 1.0 / kMinLogSpread, 1e-9);
}

TEST(EvalDistance, ContingencyMatrixDistanceHandComputed)
{
    // Real: (0,0) and (1,1) half each; synthetic: (0,1) and (1,0). Every cell
    // differs by 1/2: Frobenius norm sqrt(4 / 4) = 1.
    const std::vector<std::vector<uint32_t>> real{{0, 1}, {0, 1}};
    const std::vector<std::vector<uint32_t>> synth{{0, 1}, {1, 0}};
    EXPECT_DOUBLE_EQ(ContingencyMatrixDistance(real, synth), 1.0);
    EXPECT_DOUBLE_EQ(ContingencyMatrixDistance(synth, real), 1.0);
    EXPECT_DOUBLE_EQ(ContingencyMatrixDistance(real, real), 0.0);
    // Three columns, three pairs: (a,b) and (a,c) differ as above, (b,c) is
    // (0,0),(1,1) against (1,1),(0,0): the same table. Mean (1 + 1 + 0) / 3.
    const std::vector<std::vector<uint32_t>> real3{{0, 1}, {0, 1}, {0, 1}};
    const std::vector<std::vector<uint32_t>> synth3{{0, 1}, {1, 0}, {1, 0}};
    EXPECT_NEAR(ContingencyMatrixDistance(real3, synth3), 2.0 / 3.0, 1e-12);
    EXPECT_THROW(ContingencyMatrixDistance(real3, synth), std::invalid_argument);
}

TEST(EvalDistance, CorrelationAndAutocorrelation)
{
    const std::vector<std::vector<double>> up{{1, 2, 3, 4}, {2, 4, 6, 8}};
    const std::vector<std::vector<double>> down{{1, 2, 3, 4}, {8, 6, 4, 2}};
    EXPECT_NEAR(PearsonMatrix(up)[1], 1.0, 1e-12);
    EXPECT_NEAR(PearsonMatrix(down)[2], -1.0, 1e-12);
    // Off-diagonal cells differ by 2: sqrt(2 * 4).
    EXPECT_NEAR(PairwiseCorrelationDistance(up, down), std::sqrt(8.0), 1e-12);
    EXPECT_DOUBLE_EQ(PairwiseCorrelationDistance(up, up), 0.0);
    // A missing value drops its row only: still a perfect correlation.
    const double nan = std::nan("");
    EXPECT_NEAR(PearsonMatrix({{1, 2, nan, 4}, {2, 4, 5, 8}})[1], 1.0, 1e-12);

    // Alternating series: lag 1 sums three products of -1 over a variance sum of 4.
    const auto acf = Autocorrelation({1, -1, 1, -1}, 5);
    ASSERT_EQ(acf.size(), 5u);
    EXPECT_DOUBLE_EQ(acf[0], -0.75);
    EXPECT_DOUBLE_EQ(acf[1], 0.5);
    EXPECT_DOUBLE_EQ(acf[4], 0.0); // beyond the series
    EXPECT_EQ(Autocorrelation({3, 3, 3}, 2), std::vector<double>(2, 0.0));
}

TEST(EvalFidelity, IdenticalTracesScoreZeroEverywhere)
{
    const EventTable t = PollingTrace(3 * 3600);
    const FidelityReport r = Evaluate(t, t);
    for (const auto& [name, value] : AllMetrics(r))
    {
        EXPECT_NEAR(value, 0.0, 1e-9) << name;
    }
    // Every documented field is there, hour of day because the trace spans 3 h.
    for (const char* key : {"proto",
                            "src_ip",
                            "dst_ip",
                            "host_pair",
                            "src_port",
                            "dst_port",
                            "tcp_flags",
                            "ttl",
                            "hour_of_day"})
    {
        EXPECT_EQ(r.jsd.count(key), 1u) << key;
    }
    EXPECT_EQ(r.ks.count("iat"), 1u);
    EXPECT_EQ(r.ks.count("size"), 1u);
    EXPECT_EQ(r.ks.count("duration"), 0u); // a packet trace has none
    EXPECT_NEAR(double(r.real.counts.size()), 500.0, 1.0);
    EXPECT_EQ(r.dkcViolationRate, 0.0);
    // Two S7 packets a second and a DNS query every ten seconds.
    EXPECT_NEAR(r.real.rate, 2.1, 0.001);
}

TEST(EvalFidelity, HourOfDayOnlyForLongTraces)
{
    const EventTable t = PollingTrace(1800);
    const FidelityReport r = Evaluate(t, t);
    EXPECT_EQ(r.jsd.count("hour_of_day"), 0u);
    const EventTable tiny = PollingTrace(0);
    EXPECT_THROW(Evaluate(tiny, t), std::invalid_argument);
}

TEST(EvalFidelity, SymmetricWhereItShouldBe)
{
    const EventTable a = PollingTrace(600);
    const EventTable b = ChatterTrace(900, 0.5, 3);
    const FidelityReport ab = Evaluate(a, b);
    const FidelityReport ba = Evaluate(b, a);
    for (const auto& [name, value] : ab.jsd)
    {
        EXPECT_NEAR(value, ba.jsd.at(name), 1e-12) << name;
    }
    for (const auto& [name, value] : ab.ks)
    {
        EXPECT_NEAR(value, ba.ks.at(name), 1e-12) << name;
    }
    EXPECT_NEAR(ab.samePairPrev, ba.samePairPrev, 1e-12);
    EXPECT_NEAR(ab.rateLogRatio, ba.rateLogRatio, 1e-12);
}

TEST(EvalFidelity, ClearlyDifferentTracesScoreLarge)
{
    const EventTable real = PollingTrace(3600);
    const EventTable other = ChatterTrace(200, 18.0, 5);
    const FidelityReport r = Evaluate(real, other);
    // Disjoint hosts, protocols of other shares, ports, TTLs.
    EXPECT_DOUBLE_EQ(r.jsd.at("src_ip"), 1.0);
    EXPECT_DOUBLE_EQ(r.jsd.at("host_pair"), 1.0);
    EXPECT_DOUBLE_EQ(r.jsd.at("ttl"), 1.0);
    EXPECT_GT(r.jsd.at("proto"), 0.5);
    EXPECT_DOUBLE_EQ(r.ks.at("size"), 1.0); // 61..75 bytes against 200..1400
    EXPECT_GT(r.emd.at("size"), 1.0);
    EXPECT_GT(r.ks.at("iat"), 0.5);
    EXPECT_GT(r.cmd, 0.3);
    EXPECT_GT(r.rateLogRatio, std::log(10.0)); // 2.1 events/s against about 0.06
    EXPECT_GT(r.countKs, 0.5);
    EXPECT_GT(r.samePairPrev, 0.3);

    // Periodic counts against Poisson counts at the same rate: the
    // autocorrelations differ, the marginals barely.
    EventTable bursty;
    for (size_t i = 0; i < 2000; ++i)
    {
        // Ten busy seconds (two events a second), then ten quiet ones.
        const double ts = 100.0 + double(i / 20) * 20.0 + 0.5 * double(i % 20);
        bursty.Append(Packet(ts, "10.0.0.1", "10.0.0.2", 6, 50000, 102, 62, 0x18));
    }
    const FidelityReport p = Evaluate(bursty, ChatterTrace(2000, 1.0, 9, 100.0));
    EXPECT_GT(p.acfL2, 1.0);
}

TEST(EvalFidelity, CoarseRealTimesRoundTheSyntheticOnes)
{
    // Whole-second real times; the synthetic copy is jittered by under half a second.
    EventTable real;
    EventTable jittered;
    for (size_t i = 0; i < 3000; ++i)
    {
        const double ts = 920000000.0 + double(i / 3);
        real.Append(Packet(ts, "10.0.0.1", "10.0.0.2", 6, 1025, 23, 60, 0x10));
        jittered.Append(
            Packet(ts + 0.3 * double(i % 3) / 2.0, "10.0.0.1", "10.0.0.2", 6, 1025, 23, 60, 0x10));
    }
    const FidelityReport r = Evaluate(real, jittered);
    EXPECT_DOUBLE_EQ(r.resolution, 1.0);
    EXPECT_TRUE(r.roundedSynthetic);
    EXPECT_NEAR(r.ks.at("iat"), 0.0, 1e-12);
    EXPECT_NEAR(r.acfL2, 0.0, 1e-12);
    EXPECT_GE(r.windowSeconds, 1.0);
    // Without rounding the ties would be gone: two thirds of the real gaps are 0.
    std::vector<double> rawGaps;
    for (size_t i = 1; i < jittered.Size(); ++i)
    {
        rawGaps.push_back(jittered.Ts()[i] - jittered.Ts()[i - 1]);
    }
    EXPECT_GT(KolmogorovSmirnov(r.real.gaps, rawGaps), 0.6);
}

TEST(EvalFidelity, SamePairAsPreviousCountsRuns)
{
    EventTable alternating;
    EventTable runs;
    for (size_t i = 0; i < 100; ++i)
    {
        alternating.Append(
            Packet(double(i), i % 2 ? "10.0.0.1" : "10.0.0.3", "10.0.0.2", 17, 5, 6, 100));
        runs.Append(Packet(double(i), i < 50 ? "10.0.0.1" : "10.0.0.3", "10.0.0.2", 17, 5, 6, 100));
    }
    const FidelityReport r = Evaluate(alternating, runs);
    EXPECT_DOUBLE_EQ(r.real.samePairPrev, 0.0);
    EXPECT_NEAR(r.synthetic.samePairPrev, 98.0 / 99.0, 1e-12);
    EXPECT_NEAR(r.samePairPrev, 98.0 / 99.0, 1e-12);
    EXPECT_DOUBLE_EQ(r.jsd.at("host_pair"), 0.0); // same marginal
}

TEST(EvalFidelity, DeclaredSyntheticSpanCatchesARateCollapse)
{
    const EventTable real = PollingTrace(3600);
    // The generator stopped after ten minutes of an hour.
    const EventTable collapsed = PollingTrace(600);
    FidelityOptions o;
    EXPECT_NEAR(Evaluate(real, collapsed, o).rateLogRatio, 0.0, 0.01);
    o.syntheticSpan = 3600.0;
    const FidelityReport r = Evaluate(real, collapsed, o);
    EXPECT_NEAR(r.rateLogRatio, std::log(6.0), 0.01);
    EXPECT_GT(r.countKs, 0.8); // five sixths of the windows are empty
}

namespace
{

/// A valid TCP packet, valid UDP packet or valid TCP flow record.
TraceEvent
ValidPacket()
{
    return Packet(1.0, "10.0.0.1", "10.0.0.2", 6, 40000, 80, 40, 0x02);
}

/// One record that breaks \p rule.
struct DkcCase
{
    const char* rule;                         //!< Rule name.
    TraceKind kind;                           //!< Table kind.
    std::function<void(TraceEvent&)> breakIt; //!< Makes the valid record invalid.
};

} // namespace

class EvalDkc : public testing::TestWithParam<DkcCase>
{
};

TEST_P(EvalDkc, EachRuleIsCaught)
{
    const DkcCase& c = GetParam();
    TraceEvent e = ValidPacket();
    if (c.kind == TraceKind::Flows)
    {
        e.size = -1;
        e.tcpFlags = 0x1b;
        e.duration = 2.5;
        e.packets = 10;
        e.bytes = 4000;
    }
    EventTable good(c.kind);
    good.Append(e);
    const DkcReport ok = CheckDomainKnowledge(good);
    ASSERT_EQ(ok.violating, 0u) << "the valid record must pass";

    c.breakIt(e);
    EventTable bad(c.kind);
    bad.Append(ValidPacket());
    bad.Append(e);
    const DkcReport r = CheckDomainKnowledge(bad);
    EXPECT_EQ(r.records, 2u);
    EXPECT_EQ(r.violating, 1u);
    EXPECT_EQ(r.byRule.at(c.rule), 1u);
    EXPECT_DOUBLE_EQ(r.Rate(), 0.5);
}

INSTANTIATE_TEST_SUITE_P(
    Rules,
    EvalDkc,
    testing::Values(
        DkcCase{"proto_range", TraceKind::Packets, [](TraceEvent& e) { e.proto = 300; }},
        DkcCase{"unset_address", TraceKind::Packets, [](TraceEvent& e) { e.dst = IpAddr(); }},
        DkcCase{"family_mismatch",
                TraceKind::Packets,
                [](TraceEvent& e) { e.dst = *IpAddr::Parse("fe80::1"); }},
        DkcCase{"source_multicast",
                TraceKind::Packets,
                [](TraceEvent& e) { e.src = *IpAddr::Parse("224.0.0.251"); }},
        DkcCase{"port_range", TraceKind::Packets, [](TraceEvent& e) { e.dstPort = 70000; }},
        DkcCase{"ports_without_transport",
                TraceKind::Packets,
                [](TraceEvent& e) {
                    e.proto = 47;
                    e.tcpFlags = -1;
                }},
        DkcCase{"missing_ports", TraceKind::Packets, [](TraceEvent& e) { e.srcPort = -1; }},
        DkcCase{"flags_on_non_tcp", TraceKind::Packets, [](TraceEvent& e) { e.proto = 17; }},
        DkcCase{"flags_range", TraceKind::Packets, [](TraceEvent& e) { e.tcpFlags = 512; }},
        DkcCase{"impossible_flags", TraceKind::Packets, [](TraceEvent& e) { e.tcpFlags = 0x03; }},
        DkcCase{"ttl_range", TraceKind::Packets, [](TraceEvent& e) { e.ttl = 256; }},
        DkcCase{"size_range", TraceKind::Packets, [](TraceEvent& e) { e.size = 39; }},
        DkcCase{"negative_duration", TraceKind::Flows, [](TraceEvent& e) { e.duration = -1.0; }},
        DkcCase{"no_packets",
                TraceKind::Flows,
                [](TraceEvent& e) {
                    e.packets = 0;
                    e.bytes = 0;
                }},
        DkcCase{"bytes_range", TraceKind::Flows, [](TraceEvent& e) { e.bytes = 399; }}),
    [](const testing::TestParamInfo<DkcCase>& info) { return std::string(info.param.rule); });

TEST(EvalDkcRules, ListIsCompleteAndFlowFlagsMayCombine)
{
    EXPECT_EQ(DkcRules().size(), 15u);
    // A flow's flags are the OR over its packets: SYN and FIN together are normal.
    EventTable flows(TraceKind::Flows);
    TraceEvent e = ValidPacket();
    e.size = -1;
    e.tcpFlags = 0x03;
    e.packets = 2;
    e.bytes = 80;
    flows.Append(e);
    EXPECT_EQ(CheckDomainKnowledge(flows).violating, 0u);
    EventTable packets;
    packets.Append(e);
    EXPECT_EQ(CheckDomainKnowledge(packets).byRule.at("impossible_flags"), 1u);
}

namespace
{

using test::CliRun;
using test::Temponet;

/// Writes \p t as a canonical CSV (packets only) and returns its path.
std::string
WriteCsv(const EventTable& t, const std::string& path)
{
    std::ofstream f(path);
    f << std::fixed << std::setprecision(6);
    f << "ts,src_ip,dst_ip,src_port,dst_port,proto,size,tcp_flags,ttl,duration,packets,bytes\n";
    auto cell = [](int v) { return v < 0 ? std::string() : std::to_string(v); };
    for (size_t i = 0; i < t.Size(); ++i)
    {
        const TraceEvent e = t.Get(i);
        f << e.ts << "," << e.src.ToString() << "," << e.dst.ToString() << "," << cell(e.srcPort)
          << "," << cell(e.dstPort) << "," << e.proto << "," << e.size << "," << cell(e.tcpFlags)
          << "," << e.ttl << ",,,\n";
    }
    return path;
}

} // namespace

TEST(EvalCli, JsonCarriesTheContractKeys)
{
    const std::string dir = test::TempDir("eval-cli");
    const std::string real = WriteCsv(PollingTrace(900), dir + "/real.csv");
    const std::string synth = WriteCsv(ChatterTrace(400, 2.0, 1), dir + "/synth.csv");
    CliRun r =
        Temponet("eval --real " + real + " --synthetic " + synth + " --json " + dir + "/e.json",
                 dir);
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.out.find("host_pair"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("dkc_violation_rate"), std::string::npos) << r.out;
    std::ifstream jf(dir + "/e.json");
    const auto j = nlohmann::json::parse(jf);
    for (const char* key :
         {"proto", "src_ip", "dst_ip", "host_pair", "src_port", "dst_port", "tcp_flags", "ttl"})
    {
        ASSERT_TRUE(j["jsd"].contains(key)) << key;
        EXPECT_GE(j["jsd"][key].get<double>(), 0.0);
        EXPECT_LE(j["jsd"][key].get<double>(), 1.0);
    }
    EXPECT_DOUBLE_EQ(j["jsd"]["host_pair"].get<double>(), 1.0);
    for (const char* key : {"iat", "size"})
    {
        EXPECT_TRUE(j["ks"].contains(key)) << key;
        EXPECT_TRUE(j["emd"].contains(key)) << key;
    }
    EXPECT_DOUBLE_EQ(j["ks"]["size"].get<double>(), 1.0);
    for (const char* key : {"cmd", "pcd", "dkc_violation_rate"})
    {
        EXPECT_TRUE(j[key].is_number()) << key;
    }
    for (const char* key : {"acf_l2", "count_ks", "rate_log_ratio"})
    {
        EXPECT_TRUE(j["temporal"][key].is_number()) << key;
    }
    EXPECT_TRUE(j["sequence"]["same_pair_prev"].is_number());
    EXPECT_EQ(j["real"]["events"], 1890);
    EXPECT_EQ(j["synthetic"]["events"], 400);

    // A trace against itself: zero.
    r = Temponet("eval --real " + real + " --synthetic " + real + " --json " + dir + "/z.json",
                 dir);
    ASSERT_EQ(r.status, 0) << r.err;
    std::ifstream zf(dir + "/z.json");
    const auto z = nlohmann::json::parse(zf);
    EXPECT_DOUBLE_EQ(z["cmd"].get<double>(), 0.0);
    EXPECT_DOUBLE_EQ(z["jsd"]["host_pair"].get<double>(), 0.0);
}

TEST(EvalCli, BadInputNamesTheFile)
{
    const std::string dir = test::TempDir("eval-cli-errors");
    const std::string real = WriteCsv(PollingTrace(60), dir + "/real.csv");
    const std::string garbage = dir + "/garbage.csv";
    std::ofstream(garbage) << "this is not a trace\n";
    CliRun r = Temponet("eval --real " + real + " --synthetic " + garbage, dir);
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.err.find(garbage), std::string::npos) << r.err;

    r = Temponet("eval --real " + dir + "/missing.csv --synthetic " + real, dir);
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.err.find(dir + "/missing.csv"), std::string::npos) << r.err;

    r = Temponet("eval --real " + real, dir);
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("synthetic"), std::string::npos) << r.err;
}

TEST(EvalCli, PlotsArePngFiles)
{
    const std::string dir = test::TempDir("eval-cli-plots");
    const std::string real = WriteCsv(PollingTrace(300), dir + "/real.csv");
    const std::string synth = WriteCsv(ChatterTrace(300, 1.0, 2), dir + "/synth.csv");
    if (std::system("command -v gnuplot >/dev/null 2>&1") != 0)
    {
        CliRun r =
            Temponet("eval --real " + real + " --synthetic " + synth + " --plots " + dir + "/plots",
                     dir);
        EXPECT_EQ(r.status, 1);
        EXPECT_NE(r.err.find("gnuplot"), std::string::npos) << r.err;
        GTEST_SKIP() << "gnuplot not installed: checked the error only";
    }
    CliRun r =
        Temponet("eval --real " + real + " --synthetic " + synth + " --plots " + dir + "/plots",
                 dir);
    ASSERT_EQ(r.status, 0) << r.err;
    for (const char* name : {"iat-cdf.png", "counts.png", "host-pairs.png", "acf.png"})
    {
        std::ifstream png(dir + "/plots/" + name, std::ios::binary);
        ASSERT_TRUE(png.good()) << name;
        char magic[4] = {};
        png.read(magic, 4);
        EXPECT_EQ(std::string(magic + 1, 3), "PNG") << name;
    }
}
