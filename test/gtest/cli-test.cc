/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// The `temponet` program end to end: exit statuses, messages, JSON contracts.
#include "temponet-test-cli.h"
#include "temponet-test-data.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <iomanip>
#include <nlohmann/json.hpp>

namespace
{

using ns3::temponet::test::CliRun;
using ns3::temponet::test::Temponet;

/// Writes a canonical CSV of \p n UDP/TCP packets, one every 0.5 s.
std::string
SmallTrace(const std::string& dir, int n)
{
    const std::string path = dir + "/small.csv";
    std::ofstream f(path);
    f << std::fixed << std::setprecision(3);
    f << "ts,src_ip,dst_ip,src_port,dst_port,proto,size,tcp_flags,ttl,duration,packets,bytes\n";
    for (int i = 0; i < n; ++i)
    {
        const double ts = 1445342400.0 + 0.5 * i + 0.001 * (i % 7);
        if (i % 3 == 0)
        {
            f << ts << ",10.0.0.1,10.0.0.53," << 40000 + i % 50 << ",53,17,70,,64,,,\n";
        }
        else
        {
            f << ts << ",10.0.0.2,10.0.0.9,50000,102,6," << 60 + (i % 2) * 40 << ",24,64,,,\n";
        }
    }
    return path;
}

} // namespace

TEST(Cli, InspectJsonCarriesTheContractKeys)
{
    const std::string dir = ns3::temponet::test::TempDir("cli-inspect");
    const std::string trace = SmallTrace(dir, 90);
    CliRun r = Temponet("inspect " + trace + " --json", dir);
    ASSERT_EQ(r.status, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["format"], "canonical");
    EXPECT_EQ(j["records"], 90);
    EXPECT_TRUE(j["skipped"].empty());
    EXPECT_NEAR(j["span_s"].get<double>(), 44.5 + 0.001 * (89 % 7), 1e-6);
    EXPECT_EQ(j["hosts"], 4);
    EXPECT_EQ(j["pairs"], 2);
    EXPECT_DOUBLE_EQ(j["resolution_s"].get<double>(), 0.001);
    EXPECT_EQ(j["protocols"]["tcp"], 60);
    EXPECT_EQ(j["top_ports"][0]["port"], "tcp/102");
}

TEST(Cli, BadInputAndUsageGiveClearErrors)
{
    const std::string dir = ns3::temponet::test::TempDir("cli-errors");
    const std::string empty = dir + "/empty.csv";
    std::ofstream(empty).close();
    CliRun r = Temponet("inspect " + empty, dir);
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.err.find(empty), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("empty"), std::string::npos) << r.err;

    const std::string trace = SmallTrace(dir, 30);
    r = Temponet("inspect " + trace + " --format nonsense", dir);
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("known formats"), std::string::npos) << r.err;

    r = Temponet("split " + trace + " --frac 1.5 " + dir + "/a.csv " + dir + "/b.csv", dir);
    EXPECT_EQ(r.status, 2);
    EXPECT_FALSE(std::filesystem::exists(dir + "/a.csv"));

    r = Temponet("convert " + trace + " " + dir + "/out.txt", dir);
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.err.find(".pcap"), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(dir + "/out.txt"));

    r = Temponet("frobnicate", dir);
    EXPECT_EQ(r.status, 2);
    r = Temponet("info " + trace, dir);
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.err.find("not a TempoNet model file"), std::string::npos) << r.err;
}

TEST(Cli, ConvertWindowAndSplitByTime)
{
    const std::string dir = ns3::temponet::test::TempDir("cli-convert");
    const std::string trace = SmallTrace(dir, 100);
    CliRun r = Temponet("convert " + trace + " " + dir + "/w.pcap --from +10 --until +20", dir);
    ASSERT_EQ(r.status, 0) << r.err;
    r = Temponet("inspect " + dir + "/w.pcap --json", dir);
    ASSERT_EQ(r.status, 0) << r.err;
    // Events at +10.0 ... +19.5 s: 20 packets.
    EXPECT_EQ(nlohmann::json::parse(r.out)["records"], 20);

    r = Temponet("split " + trace + " --frac 0.25 " + dir + "/a.csv " + dir + "/b.csv", dir);
    ASSERT_EQ(r.status, 0) << r.err;
    r = Temponet("inspect " + dir + "/a.csv --json", dir);
    const auto a = nlohmann::json::parse(r.out);
    r = Temponet("inspect " + dir + "/b.csv --json", dir);
    const auto b = nlohmann::json::parse(r.out);
    EXPECT_EQ(a["records"].get<int>() + b["records"].get<int>(), 100);
    // The cut is a quarter of the time span, not of the rows.
    EXPECT_LT(a["end_ts"].get<double>(), b["start_ts"].get<double>());
    EXPECT_NEAR(a["records"].get<double>(), 25.0, 1.0);
}

TEST(Cli, TrainInfoAndNllReportTheirKeys)
{
    const std::string dir = ns3::temponet::test::TempDir("cli-train");
    const std::string trace = SmallTrace(dir, 1200);
    CliRun r =
        Temponet("split " + trace + " --frac 0.8 " + dir + "/train.csv " + dir + "/test.csv", dir);
    ASSERT_EQ(r.status, 0) << r.err;
    r = Temponet("train --input " + dir + "/train.csv --out " + dir + "/m.tpn --report " + dir +
                     "/r.json --epochs 2 --hidden 16 --mixture 4 --batch 8 --window 32",
                 dir);
    ASSERT_EQ(r.status, 0) << r.err;
    std::ifstream rf(dir + "/r.json");
    const auto report = nlohmann::json::parse(rf);
    for (const char* key : {"total", "time", "flow", "src", "dst", "proto", "dst_port", "size"})
    {
        EXPECT_TRUE(report["val_nll_per_event"].contains(key)) << key;
        EXPECT_TRUE(report["baseline_nll_per_event"]["poisson_marginal"].contains(key)) << key;
        EXPECT_TRUE(report["baseline_nll_per_event"]["markov"].contains(key)) << key;
    }
    EXPECT_EQ(report["epochs"], 2);
    EXPECT_GT(report["train_events"].get<int>(), 0);
    EXPECT_GT(report["val_events"].get<int>(), 0);
    EXPECT_GT(report["events_per_s"].get<double>(), 0.0);
    // The free-running check over the validation window.
    EXPECT_EQ(report["free_running"]["real_events"], report["val_events"]);
    EXPECT_GE(report["free_running"]["rate_log_ratio"].get<double>(), 0.0);
    EXPECT_GE(report["free_running"]["host_pair_jsd"].get<double>(), 0.0);
    EXPECT_LE(report["free_running"]["host_pair_jsd"].get<double>(), 1.0);
    // One free run per candidate eta (marks truncated), then, when a level
    // above 0 wins, that level once more with the marks whole; the chosen
    // one is reported and kept.
    const double eta = report["free_running"]["eta"].get<double>();
    const bool marks = report["free_running"]["truncate_marks"].get<bool>();
    ASSERT_EQ(report["free_running_by_eta"].size(), eta > 0.0 ? 4u : 3u);
    EXPECT_TRUE(marks || eta > 0.0);
    size_t whole = 0;
    bool found = false;
    for (const auto& f : report["free_running_by_eta"])
    {
        whole += f["truncate_marks"].get<bool>() ? 0 : 1;
        found = found || (f["eta"] == eta && f["truncate_marks"] == marks &&
                          f["generated_events"] == report["free_running"]["generated_events"]);
    }
    EXPECT_EQ(whole, eta > 0.0 ? 1u : 0u);
    EXPECT_TRUE(found);

    r = Temponet("info " + dir + "/m.tpn --json", dir);
    ASSERT_EQ(r.status, 0) << r.err;
    const auto info = nlohmann::json::parse(r.out);
    EXPECT_EQ(info["kind"], "packets");
    EXPECT_EQ(info["calendar"]["time_of_day"], false);
    EXPECT_EQ(info["calendar"]["trend"], true);
    EXPECT_GT(info["max_gap_s"].get<double>(), 0.0);
    EXPECT_EQ(info["network"]["hidden"], 16);
    EXPECT_EQ(info["provenance"]["epochs"], 2);
    EXPECT_EQ(info["provenance"]["input_file"], dir + "/train.csv");
    EXPECT_EQ(info["sampling_eta"].get<double>(), eta);
    EXPECT_EQ(info["sampling_truncate_marks"].get<bool>(), marks);

    r = Temponet("nll --model " + dir + "/m.tpn --train " + dir + "/train.csv --input " + dir +
                     "/test.csv --json " + dir + "/n.json",
                 dir);
    ASSERT_EQ(r.status, 0) << r.err;
    std::ifstream nf(dir + "/n.json");
    const auto nll = nlohmann::json::parse(nf);
    EXPECT_TRUE(nll["nll_per_event"].contains("total"));
    EXPECT_TRUE(nll["baseline_nll_per_event"]["markov"].contains("time"));
    EXPECT_NEAR(nll["events"].get<double>(), 240.0, 2.0);

    // Generation reports what it sampled and wrote; the file holds exactly that.
    r = Temponet("generate --model " + dir + "/m.tpn --prime " + dir + "/train.csv" +
                     " --duration 60 --seed 4 --out " + dir + "/g.csv --report " + dir + "/g.json",
                 dir);
    ASSERT_EQ(r.status, 0) << r.err;
    std::ifstream gf(dir + "/g.json");
    const auto gen = nlohmann::json::parse(gf);
    EXPECT_EQ(gen["seed"], 4);
    EXPECT_EQ(gen["duration_s"], 60.0);
    EXPECT_EQ(gen["sampled"].get<int>(), gen["written"].get<int>() + gen["filtered"].get<int>());
    r = Temponet("inspect " + dir + "/g.csv --json", dir);
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(nlohmann::json::parse(r.out)["records"], gen["written"]);
    EXPECT_GT(gen["written"].get<int>(), 0);

    // An eta truncation level outside [0, 1) is a usage error.
    r = Temponet("generate --model " + dir + "/m.tpn --duration 10 --eta 1 --out " + dir +
                     "/bad.csv",
                 dir);
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("--eta must lie in [0, 1)"), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(dir + "/bad.csv"));

    // Scoring a test file that starts before the training file ends is refused.
    r = Temponet("nll --model " + dir + "/m.tpn --train " + dir + "/test.csv --input " + dir +
                     "/train.csv",
                 dir);
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.err.find("must follow"), std::string::npos) << r.err;
}
