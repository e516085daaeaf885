/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// TempoNetGenerator with the bundled model: reproducible runs, the same
// events as `temponet generate`, the rate scale, clear model errors.
#include "temponet-application.h"
#include "temponet-distance.h"
#include "temponet-generate.h"
#include "temponet-model-file.h"
#include "temponet-model.h"
#include "temponet-test-data.h"
#include "temponet-test-network.h"
#include "temponet-topology-helper.h"
#include "temponet-torch-sampler.h"
#include "temponet-trace-format.h"

#include "ns3/csma-helper.h"
#include "ns3/double.h"
#include "ns3/rng-seed-manager.h"
#include "ns3/string.h"
#include "ns3/test.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

using namespace ns3;
using namespace ns3::temponet;

namespace
{

/// The bundled default model.
const std::string kModel = TEMPONET_MODELS_DIR "/4sics-default.tpn";

/// \return the bytes of \p path.
std::string
Slurp(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

/// What RunModel does.
struct RunOptions
{
    uint64_t run{1};        //!< RngRun.
    double rateScale{1};    //!< Generator RateScale.
    double duration{120};   //!< Simulated seconds of traffic.
    std::string pcapPrefix; //!< CSMA pcap prefix (empty: none).
    std::string eventsCsv;  //!< Sampled events file (empty: none).
    std::string prime;      //!< Generator PrimeFile (empty: none).
};

/// Runs the bundled model on its own topology. \return the events sampled.
uint64_t
RunModel(const RunOptions& o)
{
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(o.run);
    TempoNetHelper tempo(kModel);
    tempo.SetGeneratorAttribute("RateScale", DoubleValue(o.rateScale));
    tempo.SetGeneratorAttribute("PrimeFile", StringValue(o.prime));
    TempoNetTopologyHelper net;
    net.Build(tempo.GetModelHosts());
    tempo.SetGateway(net.GetInternetRouter());
    ApplicationContainer apps = tempo.Install(net.GetHosts());
    const int64_t streams = tempo.AssignStreams(0);
    net.AssignStreams(streams);
    apps.Start(Seconds(0));
    apps.Stop(Seconds(o.duration));
    TempoNetEventLog log(tempo.GetGenerator());
    if (!o.pcapPrefix.empty())
    {
        CsmaHelper().EnablePcapAll(o.pcapPrefix);
    }
    Simulator::Stop(Seconds(o.duration + 1));
    Simulator::Run();
    if (!o.eventsCsv.empty())
    {
        log.Write(o.eventsCsv);
    }
    const uint64_t n = tempo.GetGenerator()->GetEventCount();
    Simulator::Destroy();
    return n;
}

/// \return file name to bytes of every file in \p dir.
std::map<std::string, std::string>
Files(const std::string& dir)
{
    std::map<std::string, std::string> files;
    for (const auto& f : std::filesystem::directory_iterator(dir))
    {
        files[f.path().filename().string()] = Slurp(f.path().string());
    }
    return files;
}

} // namespace

/**
 * \ingroup temponet-tests
 * The same RngRun gives byte-identical pcaps, another run different ones.
 */
class TempoNetSameRunTestCase : public TestCase
{
  public:
    TempoNetSameRunTestCase()
        : TestCase("same RngRun: identical pcaps; another run: different ones")
    {
    }

  private:
    void DoRun() override
    {
        const std::string root = test::TempDir("generator-pcap");
        for (const std::string d : {"a", "b", "c"})
        {
            std::filesystem::create_directories(root + "/" + d);
        }
        const uint64_t n = RunModel({1, 1, 120, root + "/a/lan", "", ""});
        RunModel({1, 1, 120, root + "/b/lan", "", ""});
        RunModel({2, 1, 120, root + "/c/lan", "", ""});
        const auto a = Files(root + "/a");
        const auto b = Files(root + "/b");
        const auto c = Files(root + "/c");
        NS_TEST_ASSERT_MSG_GT(a.size(), 1, "one pcap per LAN device");
        size_t bytes = 0;
        for (const auto& [name, data] : a)
        {
            bytes += data.size();
        }
        // Each event puts at least one frame (a 16-byte record header and at
        // least 42 bytes of Ethernet, IP and UDP) into some LAN's pcap.
        NS_TEST_ASSERT_MSG_GT(n, 5, "two minutes of the model hold events");
        NS_TEST_ASSERT_MSG_GT_OR_EQ(bytes, 24 * a.size() + 58 * n, "the pcaps hold traffic");
        NS_TEST_ASSERT_MSG_EQ((a == b), true, "same run, same bytes");
        NS_TEST_ASSERT_MSG_EQ((a == c), false, "another run, other traffic");
    }
};

/**
 * \ingroup temponet-tests
 * A simulation samples exactly the events `temponet generate` writes for the
 * same model, seed, run and streams.
 */
class TempoNetSameAsCliTestCase : public TestCase
{
  public:
    TempoNetSameAsCliTestCase()
        : TestCase("the events a simulation samples are those of temponet generate")
    {
    }

  private:
    void DoRun() override
    {
        const std::string dir = test::TempDir("generator-cli");
        const std::string sim = dir + "/sim.csv";
        const std::string cli = dir + "/cli.csv";
        const uint64_t n = RunModel({3, 1, 600, "", sim, ""});
        const std::string cmd = std::string(TEMPONET_BUILD_BIN_DIR) +
                                "/temponet generate --model " + kModel +
                                " --duration 600 --seed 1 --run 3 --out " + cli + " 2>/dev/null";
        NS_TEST_ASSERT_MSG_EQ(std::system(cmd.c_str()), 0, cmd);
        NS_TEST_ASSERT_MSG_GT(n, 50, "ten minutes of the model hold events");
        const std::string a = Slurp(sim);
        const std::string b = Slurp(cli);
        NS_TEST_ASSERT_MSG_EQ(std::count(a.begin(), a.end(), '\n'), n + 1, "header + events");
        NS_TEST_ASSERT_MSG_EQ((a == b), true, "byte-identical canonical CSV");
    }
};

/**
 * \ingroup temponet-tests
 * Primed with the tail of the 4SICS capture (PrimeFile), a simulation samples
 * the events of `temponet generate --prime` and continues the capture's quiet
 * DNS regime.
 */
class TempoNetPrimedTestCase : public TestCase
{
  public:
    TempoNetPrimedTestCase()
        : TestCase("PrimeFile: the events of temponet generate --prime, in the capture's regime")
    {
    }

  private:
    void DoRun() override
    {
        const std::string capture = test::DataFile("4sics-geeklounge-151020.conn.log");
        if (capture.empty())
        {
            std::cout << "skipped: shared trace 4sics-geeklounge-151020.conn.log not found under "
                      << test::DataDir() << "\n";
            return;
        }
        const std::string dir = test::TempDir("generator-prime");
        const std::string sim = dir + "/sim.csv";
        const std::string cli = dir + "/cli.csv";
        RunOptions o;
        o.duration = 600;
        o.eventsCsv = sim;
        o.prime = capture;
        const uint64_t n = RunModel(o);
        const std::string cmd = std::string(TEMPONET_BUILD_BIN_DIR) +
                                "/temponet generate --model " + kModel + " --prime " + capture +
                                " --duration 600 --seed 1 --run 1 --out " + cli + " 2>/dev/null";
        NS_TEST_ASSERT_MSG_EQ(std::system(cmd.c_str()), 0, cmd);
        NS_TEST_ASSERT_MSG_EQ((Slurp(sim) == Slurp(cli)), true, "byte-identical canonical CSV");
        // The capture's last hour: one DNS query from 192.168.89.2 about every 10 s.
        EventTable events;
        ReadReport report;
        ReadTrace(sim, std::nullopt, events, report);
        NS_TEST_ASSERT_MSG_EQ(events.Size(), n, "every sampled event in the file");
        NS_TEST_ASSERT_MSG_GT(n, 40, "about 60 queries in ten minutes");
        NS_TEST_ASSERT_MSG_LT(n, 90, "about 60 queries in ten minutes");
        size_t dns = 0;
        for (size_t i = 0; i < events.Size(); ++i)
        {
            const TraceEvent e = events.Get(i);
            dns += e.dstPort == 53 && e.src.ToString() == "192.168.89.2" ? 1 : 0;
        }
        NS_TEST_ASSERT_MSG_GT(dns, 0.9 * double(n), "the quiet regime: DNS from one host");
    }
};

/**
 * \ingroup temponet-tests
 * RateScale 2 doubles the events of a span: it divides the same gaps by 2.
 */
class TempoNetRateScaleTestCase : public TestCase
{
  public:
    TempoNetRateScaleTestCase()
        : TestCase("rate scale 2 doubles the event count")
    {
    }

  private:
    void DoRun() override
    {
        const uint64_t single = RunModel({4, 1, 600, "", "", ""});
        const uint64_t twice = RunModel({4, 2, 600, "", "", ""});
        const uint64_t singleLong = RunModel({4, 1, 1200, "", "", ""});
        NS_TEST_ASSERT_MSG_GT(single, 100, "enough events to compare");
        // The same draws at half the gaps: 600 s at scale 2 is 1200 s at scale 1.
        NS_TEST_ASSERT_MSG_EQ_TOL(double(twice), double(singleLong), 1.0, "same draws, half gaps");
        NS_TEST_ASSERT_MSG_EQ_TOL(double(twice) / single, 2.0, 0.3, "twice the events");
    }
};

/**
 * \ingroup temponet-tests
 * Over many runs, what simulations sample is distributed as offline
 * generation from the same model. From an empty history the bundled model
 * opens in either of the capture's regimes (quiet DNS in some runs, S7 in
 * most), so events pooled over runs are not independent draws:
 * each side's per-run statistics (event count, TCP share, mean log gap) are
 * compared by their means, within four standard errors, and the pooled
 * protocol and host-pair distributions within JSD 0.05.
 */
class TempoNetDistributionTestCase : public TestCase
{
  public:
    TempoNetDistributionTestCase()
        : TestCase("simulated events are distributed as offline generation")
    {
    }

  private:
    /// One side: pooled marks and per-run statistics.
    struct Side
    {
        std::vector<int64_t> pairs;   //!< Host pair ids, pooled.
        std::vector<int64_t> protos;  //!< Protocols, pooled.
        std::vector<double> counts;   //!< Events per run.
        std::vector<double> tcpShare; //!< Share of TCP events per run.
        std::vector<double> logGap;   //!< Mean ln(gap) per run.
    };

    /// Adds run \p t to \p side; \p ids numbers the host pairs.
    static void Add(const EventTable& t, Side& side, std::map<std::string, int64_t>& ids)
    {
        double tcp = 0;
        double logGap = 0;
        for (size_t i = 0; i < t.Size(); ++i)
        {
            const TraceEvent e = t.Get(i);
            const auto key = e.src.ToString() + ">" + e.dst.ToString();
            side.pairs.push_back(ids.emplace(key, ids.size()).first->second);
            side.protos.push_back(e.proto);
            tcp += e.proto == 6 ? 1.0 : 0.0;
            if (i > 0)
            {
                logGap += std::log(std::max(e.ts - t.Ts()[i - 1], 1e-6));
            }
        }
        const double n = double(t.Size());
        side.counts.push_back(n);
        side.tcpShare.push_back(n > 0 ? tcp / n : 0.0);
        side.logGap.push_back(n > 1 ? logGap / (n - 1) : 0.0);
    }

    /// \return mean and squared standard error of \p x.
    static std::pair<double, double> MeanAndSe2(const std::vector<double>& x)
    {
        const double n = double(x.size());
        double mean = 0;
        for (double v : x)
        {
            mean += v / n;
        }
        double var = 0;
        for (double v : x)
        {
            var += (v - mean) * (v - mean) / (n - 1);
        }
        return {mean, var / n};
    }

    /// Checks that the means of \p a and \p b agree within four standard errors.
    void ExpectSameMean(const std::vector<double>& a,
                        const std::vector<double>& b,
                        const std::string& what)
    {
        const auto [ma, sa] = MeanAndSe2(a);
        const auto [mb, sb] = MeanAndSe2(b);
        std::cout << "[ measured ] " << what << ": simulated " << ma << ", offline " << mb
                  << ", standard error " << std::sqrt(sa + sb) << "\n";
        NS_TEST_EXPECT_MSG_LT_OR_EQ(std::fabs(ma - mb),
                                    4.0 * std::sqrt(sa + sb) + 1e-9,
                                    what << " per run");
    }

    void DoRun() override
    {
        constexpr double kDuration = 300;
        constexpr int kRuns = 30;
        const std::string dir = test::TempDir("generator-distribution");
        std::map<std::string, int64_t> ids;
        Side simulated;
        Side offline;
        const auto model = TempoNetModel::Load(kModel);
        for (int r = 0; r < kRuns; ++r)
        {
            const std::string csv = dir + "/sim-" + std::to_string(r) + ".csv";
            RunModel({uint64_t(11 + r), 1, kDuration, "", csv, ""});
            ReadReport report;
            EventTable t;
            ReadTrace(csv, std::nullopt, t, report);
            Add(t, simulated, ids);

            RngSeedManager::SetSeed(1);
            RngSeedManager::SetRun(101 + r);
            TorchSampler sampler(model);
            sampler.AssignStreams(0);
            const double start = model.Meta()["provenance"]["data_end_ts"].get<double>();
            sampler.Reset(start);
            GenerateOptions go;
            go.start = start;
            go.duration = kDuration;
            Add(Generate(sampler, go).events, offline, ids);
        }
        NS_TEST_ASSERT_MSG_GT(simulated.pairs.size(), 1000, "enough simulated events");
        NS_TEST_ASSERT_MSG_GT(offline.pairs.size(), 1000, "enough offline events");
        ExpectSameMean(simulated.counts, offline.counts, "events");
        ExpectSameMean(simulated.tcpShare, offline.tcpShare, "TCP share");
        ExpectSameMean(simulated.logGap, offline.logGap, "mean ln(gap)");
        NS_TEST_ASSERT_MSG_LT(JensenShannon(simulated.pairs, offline.pairs), 0.05, "host pairs");
        NS_TEST_ASSERT_MSG_LT(JensenShannon(simulated.protos, offline.protos), 0.05, "protocols");
    }
};

/**
 * \ingroup temponet-tests
 * A model file that is not one fails with a message naming it.
 */
class TempoNetBadModelTestCase : public TestCase
{
  public:
    TempoNetBadModelTestCase()
        : TestCase("a corrupt model file is refused with its name")
    {
    }

  private:
    void DoRun() override
    {
        const std::string dir = test::TempDir("generator-bad");
        const std::string bad = dir + "/truncated.tpn";
        const std::string good = Slurp(kModel);
        std::ofstream(bad, std::ios::binary) << good.substr(0, good.size() / 2);
        std::string message;
        try
        {
            TempoNetHelper tempo(bad);
        }
        catch (const std::exception& e)
        {
            message = e.what();
        }
        NS_TEST_ASSERT_MSG_NE(message.find(bad),
                              std::string::npos,
                              "the error names the file: '" << message << "'");
    }
};

/**
 * \ingroup temponet-tests
 * TempoNetGenerator with the bundled model.
 */
class TempoNetGeneratorTestSuite : public TestSuite
{
  public:
    TempoNetGeneratorTestSuite()
        : TestSuite("temponet-generator", SYSTEM)
    {
        AddTestCase(new TempoNetBadModelTestCase, TestCase::QUICK);
        AddTestCase(new TempoNetSameRunTestCase, TestCase::QUICK);
        AddTestCase(new TempoNetSameAsCliTestCase, TestCase::QUICK);
        AddTestCase(new TempoNetPrimedTestCase, TestCase::QUICK);
        AddTestCase(new TempoNetRateScaleTestCase, TestCase::QUICK);
        AddTestCase(new TempoNetDistributionTestCase, TestCase::QUICK);
    }
};

/// Registers the suite with ns-3's test runner.
static TempoNetGeneratorTestSuite g_tempoNetGeneratorTestSuite;
