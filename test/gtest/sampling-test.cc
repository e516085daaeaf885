/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Sampling: TorchSampler and the baselines through the Sampler interface,
// reproducibility from ns-3 random streams, rate scale, vocabulary
// membership, TCP flag order, day/night and long-run stability.
#include "temponet-baseline-samplers.h"
#include "temponet-generate.h"
#include "temponet-model.h"
#include "temponet-test-data.h"
#include "temponet-test-model.h"
#include "temponet-time-format.h"
#include "temponet-torch-sampler.h"
#include "temponet-trace-format.h"
#include "temponet-trace-writer.h"
#include "temponet-trainer.h"

#include <ns3/rng-seed-manager.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <gtest/gtest.h>
#include <map>
#include <random>
#include <set>
#include <sstream>

using namespace ns3::temponet;
using ns3::RngSeedManager;
using ns3::temponet::test::Packet;

namespace
{

/**
 * Clients 10.0.0.1-8 talk to servers 10.0.1.1-2: TCP connections (handshake,
 * a few data packets each way, FIN teardown) on port 80 from ephemeral ports,
 * DNS over UDP, a few pings. About \p n packets, gaps ~ Exp(mean 0.5 s).
 */
EventTable
MixedTrace(size_t n, uint64_t seed)
{
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::exponential_distribution<double> gap(2.0);
    EventTable t;
    double ts = *ParseIso8601("2024-03-04T10:00:00Z");
    while (t.Size() < n)
    {
        const uint32_t c = 0x0a000001 + static_cast<uint32_t>(u(rng) * 8);
        const uint32_t s = 0x0a000101 + static_cast<uint32_t>(u(rng) * 2);
        const int eph = 49152 + static_cast<int>(u(rng) * 16000);
        const double kind = u(rng);
        if (kind < 0.6)
        {
            t.Append(Packet(ts += gap(rng), c, s, 6, eph, 80, 60, 0x02));
            t.Append(Packet(ts += 0.01, s, c, 6, 80, eph, 60, 0x12));
            t.Append(Packet(ts += 0.01, c, s, 6, eph, 80, 52, 0x10));
            const int k = 1 + static_cast<int>(u(rng) * 3);
            for (int i = 0; i < k; ++i)
            {
                t.Append(Packet(ts += 0.02, c, s, 6, eph, 80, 300, 0x18));
                t.Append(Packet(ts += 0.03, s, c, 6, 80, eph, 1500, 0x18));
            }
            t.Append(Packet(ts += 0.02, c, s, 6, eph, 80, 52, 0x11));
            t.Append(Packet(ts += 0.01, s, c, 6, 80, eph, 52, 0x11));
            t.Append(Packet(ts += 0.01, c, s, 6, eph, 80, 52, 0x10));
        }
        else if (kind < 0.95)
        {
            t.Append(Packet(ts += gap(rng), c, s, 17, eph, 53, 70, -1));
            t.Append(Packet(ts += 0.005, s, c, 17, 53, eph, 120, -1));
        }
        else
        {
            t.Append(Packet(ts += gap(rng), c, s, 1, -1, -1, 84, -1));
        }
    }
    return t;
}

/// One small model on MixedTrace, trained once for the tests that share it.
struct Shared
{
    EventTable train = MixedTrace(4000, 1);
    TempoNetModel model = Train(train, test::SmallTraining(6, 4, 11, 60), {}).model;
};

Shared&
SharedModel()
{
    static Shared s;
    return s;
}

/// \return the events of \p sampler from \p start for \p duration seconds.
EventTable
RunSampler(Sampler& sampler,
           uint32_t seed,
           uint64_t run,
           double start,
           double duration,
           double scale = 1,
           const EventTable* prime = nullptr)
{
    RngSeedManager::SetSeed(seed);
    RngSeedManager::SetRun(run);
    sampler.AssignStreams(0);
    sampler.SetRateScale(scale);
    if (prime != nullptr)
    {
        sampler.Prime(*prime);
    }
    else
    {
        sampler.Reset(start);
    }
    GenerateOptions o;
    o.start = start;
    o.duration = duration;
    return Generate(sampler, o).events;
}

std::string
Slurp(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

/// \return the number of TCP packets whose flags are impossible for their flow.
size_t
TcpOrderViolations(const EventTable& t)
{
    struct Flow
    {
        TcpFlowRepair::State state{TcpFlowRepair::State::Unknown};
        uint8_t fin{0};
        std::string first;
    };

    std::map<std::string, Flow> flows;
    size_t bad = 0;
    for (size_t i = 0; i < t.Size(); ++i)
    {
        const TraceEvent e = t.Get(i);
        if (e.proto != 6)
        {
            continue;
        }
        const std::string a = e.src.ToString() + ":" + std::to_string(e.srcPort);
        const std::string b = e.dst.ToString() + ":" + std::to_string(e.dstPort);
        Flow& f = flows[a < b ? a + "|" + b : b + "|" + a];
        if (f.first.empty())
        {
            f.first = a;
        }
        if (e.tcpFlags < 0 || !TcpFlowRepair::Step(f.state, f.fin, a == f.first, e.tcpFlags))
        {
            ++bad;
        }
    }
    return bad;
}

} // namespace

TEST(TcpFlowRepair, RepairsImpossibleOrdersAndCountsThem)
{
    TcpFlowRepair r;
    const uint32_t c = 0x0a000001;
    const uint32_t s = 0x0a000002;
    std::vector<TraceEvent> in{
        Packet(1, c, s, 6, 5000, 80, 300, 0x18), // mid-flow data: fine
        Packet(2, c, s, 6, 5000, 80, 60, 0x02),  // SYN on an open connection
        Packet(3, s, c, 6, 80, 5000, 60, 0x12),  // SYN-ACK on an open connection
        Packet(4, s, c, 6, 80, 5000, 40, 0x04),  // RST closes
        Packet(5, c, s, 6, 5000, 80, 300, 0x18), // data after close
        Packet(6, s, c, 6, 80, 5000, 60, 0x12),  // SYN-ACK answering the new SYN: fine
        Packet(7, c, s, 17, 5001, 53, 60, 0x10), // flags on UDP
        Packet(8, c, s, 6, 5002, 80, 60, -1),    // TCP without flags
    };
    std::vector<int> expected{0x18, 0x10, 0x10, 0x04, 0x02, 0x12, -1, 0x10};
    for (size_t i = 0; i < in.size(); ++i)
    {
        r.Apply(in[i]);
        EXPECT_EQ(in[i].tcpFlags, expected[i]) << "packet " << i;
    }
    EXPECT_EQ(r.RepairCount(), 5u);
    EXPECT_EQ(r.Repairs().at("tcp syn on an open connection: syn cleared"), 1u);
    EXPECT_EQ(r.Repairs().at("tcp syn-ack on an open connection: syn cleared"), 1u);
    EXPECT_EQ(r.Repairs().at("tcp packet after close: made a syn"), 1u);
    // A full teardown: the last ACK after both FINs is fine, data is not.
    TcpFlowRepair t;
    std::vector<TraceEvent> fin{Packet(1, c, s, 6, 6000, 80, 60, 0x02),
                                Packet(2, s, c, 6, 80, 6000, 60, 0x12),
                                Packet(3, c, s, 6, 6000, 80, 52, 0x11),
                                Packet(4, s, c, 6, 80, 6000, 52, 0x11),
                                Packet(5, c, s, 6, 6000, 80, 52, 0x10),
                                Packet(6, c, s, 6, 6000, 80, 300, 0x18)};
    for (auto& e : fin)
    {
        t.Apply(e);
    }
    EXPECT_EQ(t.RepairCount(), 1u);
    EXPECT_EQ(fin[5].tcpFlags, 0x02);
}

TEST(IpNetwork, ParsesAndMatches)
{
    const auto nets = ParseNetworks("10.0.0.0/24,192.168.1.7,2001:db8::/32");
    ASSERT_EQ(nets.size(), 3u);
    EXPECT_TRUE(nets[0].Contains(*IpAddr::Parse("10.0.0.200")));
    EXPECT_FALSE(nets[0].Contains(*IpAddr::Parse("10.0.1.1")));
    EXPECT_TRUE(nets[1].Contains(*IpAddr::Parse("192.168.1.7")));
    EXPECT_FALSE(nets[1].Contains(*IpAddr::Parse("192.168.1.8")));
    EXPECT_TRUE(nets[2].Contains(*IpAddr::Parse("2001:db8:1::1")));
    EXPECT_FALSE(nets[2].Contains(*IpAddr::Parse("10.0.0.1")));
    EXPECT_THROW(ParseNetworks("10.0.0.0/33"), std::invalid_argument);
    EXPECT_THROW(ParseNetworks("nonsense"), std::invalid_argument);
}

TEST(TorchSampler, SameSeedSameBytesOtherSeedOtherBytes)
{
    Shared& sh = SharedModel();
    const double start = sh.train.Ts().back();
    const std::string dir = test::TempDir("sampling-determinism");
    auto write = [&](uint32_t seed, uint64_t run, const std::string& name) {
        TorchSampler s(sh.model);
        const EventTable t = RunSampler(s, seed, run, start, 300);
        WriteTrace(t, dir + "/" + name + ".csv");
        WriteTrace(t, dir + "/" + name + ".pcap");
        return t.Size();
    };
    const size_t n = write(3, 1, "a");
    write(3, 1, "b");
    write(4, 1, "c");
    write(3, 2, "d");
    EXPECT_GT(n, 50u);
    EXPECT_EQ(Slurp(dir + "/a.csv"), Slurp(dir + "/b.csv"));
    EXPECT_EQ(Slurp(dir + "/a.pcap"), Slurp(dir + "/b.pcap"));
    EXPECT_NE(Slurp(dir + "/a.csv"), Slurp(dir + "/c.csv"));
    EXPECT_NE(Slurp(dir + "/a.csv"), Slurp(dir + "/d.csv"));
}

TEST(Baselines, SameSeedSameEventsAndReplayLoops)
{
    Shared& sh = SharedModel();
    const double start = sh.train.Ts().back();
    PoissonMarginalSampler p1(sh.train);
    PoissonMarginalSampler p2(sh.train);
    const EventTable a = RunSampler(p1, 5, 1, start, 600);
    const EventTable b = RunSampler(p2, 5, 1, start, 600);
    const EventTable c = RunSampler(p2, 6, 1, start, 600);
    ASSERT_EQ(a.Size(), b.Size());
    for (size_t i = 0; i < a.Size(); ++i)
    {
        ASSERT_EQ(a.Get(i), b.Get(i));
    }
    EXPECT_FALSE(a.Size() == c.Size() && a.Get(0) == c.Get(0));
    // Poisson rate: (n - 1) / span of the training trace.
    const double expected = p1.Rate() * 600;
    EXPECT_NEAR(double(a.Size()), expected, 5 * std::sqrt(expected));

    // Replay: the trace from the offset, shifted to the start, then looped.
    ReplaySampler r(sh.train, 100.0);
    const double span = sh.train.SpanSeconds();
    const EventTable rep = RunSampler(r, 1, 1, start, span * 1.5);
    const size_t first = static_cast<size_t>(
        std::lower_bound(sh.train.Ts().begin(), sh.train.Ts().end(), sh.train.Ts()[0] + 100.0) -
        sh.train.Ts().begin());
    ASSERT_GT(rep.Size(), sh.train.Size() - first + 10);
    for (size_t i = 0; i < 10; ++i)
    {
        TraceEvent want = sh.train.Get(first + i);
        want.ts = start + (sh.train.Ts()[first + i] - sh.train.Ts()[first]);
        EXPECT_EQ(rep.Get(i).src, want.src);
        EXPECT_EQ(rep.Get(i).size, want.size);
        EXPECT_NEAR(rep.Get(i).ts, want.ts, 1e-6);
    }
    // After the end, the trace starts over from its first event.
    const TraceEvent looped = rep.Get(sh.train.Size() - first);
    TraceEvent want = sh.train.Get(0);
    want.ts = looped.ts;
    EXPECT_EQ(looped, want);
}

TEST(TorchSampler, RateScaleTwoDoublesTheEvents)
{
    Shared& sh = SharedModel();
    const double start = sh.train.Ts().back();
    const EventTable tail = sh.train.Rows(sh.train.Size() - 512, sh.train.Size());
    const double window = 400;
    double n1 = 0;
    double n2 = 0;
    for (uint64_t run = 1; run <= 3; ++run)
    {
        // The model runs in its own time: at scale 2 the same seed and run
        // give the events of scale 1 over twice the window, at half the
        // offsets (no calendar feature is active for this short trace), up
        // to the microsecond rounding of the output times, which adds up.
        TorchSampler a(sh.model);
        const EventTable one = RunSampler(a, 9, run, start, 2 * window, 1.0, &tail);
        TorchSampler b(sh.model);
        const EventTable two = RunSampler(b, 9, run, start, window, 2.0, &tail);
        ASSERT_GT(two.Size(), 100u);
        ASSERT_GE(one.Size() + 1, two.Size());
        for (size_t i = 0; i < two.Size(); ++i)
        {
            TraceEvent want = one.Get(i);
            ASSERT_NEAR(two.Ts()[i] - start, (want.ts - start) / 2, 1e-3) << "event " << i;
            want.ts = two.Ts()[i];
            ASSERT_EQ(two.Get(i), want) << "event " << i;
        }
        n1 += double(std::lower_bound(one.Ts().begin(), one.Ts().end(), start + window) -
                     one.Ts().begin());
        n2 += double(two.Size());
    }
    // Over the same output window, scale 2 gives what scale 1 gives over
    // twice the time. How far that is from twice the events depends on how
    // steady the model's own rate is over 800 s after the prime; this small
    // model's drifts by up to a fifth either way, so it is reported, and the
    // steady Poisson baseline below is held to the factor 2.
    std::cout << "[ measured ] rate scale 2: " << n2 << " events against " << n1
              << " at scale 1 over " << window << " s, ratio " << n2 / n1 << "\n";
    EXPECT_GT(n1, 300);
    EXPECT_GT(n2, 1.25 * n1);
    PoissonMarginalSampler p(sh.train);
    const double p1 = double(RunSampler(p, 9, 1, start, 3600, 1.0).Size());
    const double p2 = double(RunSampler(p, 9, 2, start, 3600, 2.0).Size());
    EXPECT_GE(p2 / p1, 1.8);
    EXPECT_LE(p2 / p1, 2.2);
}

TEST(TorchSampler, NeverGivesAnEventAGroupSource)
{
    // RIP-like traffic: a router answers its neighbour's unicast requests
    // (replies continue the flow in reverse) and announces to 224.0.0.9 from
    // the same port. Reversing the multicast flow would give the event a
    // multicast source (the DKC rule source_multicast): the sampler must not.
    std::mt19937_64 rng(5);
    std::exponential_distribution<double> gap(4.0);
    EventTable t;
    double ts = 1e6;
    const uint32_t router = 0x0a000001;
    const uint32_t peer = 0x0a000002;
    const uint32_t group = 0xe0000009;
    while (t.Size() < 3000)
    {
        t.Append(Packet(ts += gap(rng), peer, router, 17, 520, 520, 52, -1));
        t.Append(Packet(ts += 0.01, router, peer, 17, 520, 520, 72, -1));
        t.Append(Packet(ts += gap(rng), router, group, 17, 520, 520, 72, -1));
    }
    TrainOptions o = test::SmallTraining(4, 4, 3, 60);
    const TempoNetModel model = Train(t, o, {}).model;
    TorchSampler s(model);
    s.SetEta(0.0);
    const EventTable g = RunSampler(s, 2, 1, t.Ts().back(), 600);
    ASSERT_GT(g.Size(), 500u);
    size_t toGroup = 0;
    for (size_t i = 0; i < g.Size(); ++i)
    {
        const TraceEvent e = g.Get(i);
        ASSERT_FALSE(e.src.IsGroup()) << "event " << i << " from " << e.src.ToString();
        toGroup += e.dst.IsGroup() ? 1 : 0;
    }
    EXPECT_GT(toGroup, 50u) << "the multicast flow is generated";
}

TEST(TorchSampler, ValuesComeFromTrainingDataAndTcpFlagsAreInOrder)
{
    Shared& sh = SharedModel();
    const EventTable& tr = sh.train;
    std::set<std::string> hosts;
    std::set<int> ports;
    std::set<int> protos;
    std::set<int> sizes;
    for (size_t i = 0; i < tr.Size(); ++i)
    {
        const TraceEvent e = tr.Get(i);
        hosts.insert(e.src.ToString());
        hosts.insert(e.dst.ToString());
        ports.insert(e.srcPort);
        ports.insert(e.dstPort);
        protos.insert(e.proto);
        sizes.insert(e.size);
    }
    TorchSampler s(sh.model);
    const EventTable g = RunSampler(s, 21, 1, tr.Ts().back(), 300);
    ASSERT_GT(g.Size(), 200u);
    size_t continued = 0;
    std::vector<std::pair<std::string, std::string>> recent;
    for (size_t i = 0; i < g.Size(); ++i)
    {
        const TraceEvent e = g.Get(i);
        EXPECT_TRUE(hosts.count(e.src.ToString())) << e.src.ToString();
        EXPECT_TRUE(hosts.count(e.dst.ToString())) << e.dst.ToString();
        EXPECT_TRUE(ports.count(e.srcPort)) << e.srcPort;
        EXPECT_TRUE(ports.count(e.dstPort)) << e.dstPort;
        EXPECT_TRUE(protos.count(e.proto)) << e.proto;
        EXPECT_TRUE(sizes.count(e.size)) << e.size;
        // Ports and flags agree with the protocol.
        EXPECT_EQ(e.srcPort >= 0, e.proto == 6 || e.proto == 17);
        EXPECT_EQ(e.tcpFlags >= 0, e.proto == 6);
        const std::string a = e.src.ToString() + ":" + std::to_string(e.srcPort);
        const std::string b = e.dst.ToString() + ":" + std::to_string(e.dstPort);
        for (const auto& [x, y] : recent)
        {
            if ((x == a && y == b) || (x == b && y == a))
            {
                ++continued;
                break;
            }
        }
        recent.emplace_back(a, b);
        if (recent.size() > 8)
        {
            recent.erase(recent.begin());
        }
    }
    // The model continues flows (the training trace: most packets do).
    const double share = double(continued) / double(g.Size());
    std::cout << "[ measured ] " << g.Size() << " events, " << 100 * share
              << " % continue one of the 8 previous flows; TCP repairs "
              << s.Repairs().RepairCount() << "\n";
    EXPECT_GT(share, 0.3);
    EXPECT_EQ(TcpOrderViolations(g), 0u);

    // CSV and pcap of the run carry identical flags, and tshark reads the pcap cleanly.
    const std::string dir = test::TempDir("sampling-flags");
    const WriteReport wc = WriteTrace(g, dir + "/g.csv");
    const WriteReport wp = WriteTrace(g, dir + "/g.pcap");
    for (const auto& [reason, count] : wp.repaired)
    {
        EXPECT_EQ(reason.find("flags"), std::string::npos) << reason << ": " << count;
    }
    EventTable fromCsv;
    EventTable fromPcap;
    ReadReport rc;
    ReadReport rp;
    ReadTrace(dir + "/g.csv", std::nullopt, fromCsv, rc);
    ReadTrace(dir + "/g.pcap", std::nullopt, fromPcap, rp);
    ASSERT_EQ(fromCsv.Size(), g.Size());
    ASSERT_EQ(fromPcap.Size(), g.Size());
    EXPECT_EQ(fromCsv.TcpFlags(), fromPcap.TcpFlags());
    EXPECT_EQ(fromCsv.TcpFlags(), g.TcpFlags());
    if (std::system("command -v tshark >/dev/null 2>&1") != 0)
    {
        GTEST_SKIP() << "tshark not found (Debian package tshark): pcap not checked";
    }
    auto count = [&](const std::string& filter) {
        const std::string cmd = "tshark -r " + dir + "/g.pcap -Y '" + filter +
                                "' -T fields -e frame.number 2>/dev/null | wc -l";
        FILE* p = ::popen(cmd.c_str(), "r");
        int n = -1;
        if (p != nullptr)
        {
            if (std::fscanf(p, "%d", &n) != 1)
            {
                n = -1;
            }
            ::pclose(p);
        }
        return n;
    };
    const int packets = count("frame");
    const int malformed = count("_ws.malformed");
    const int dnsTcp = count("_ws.malformed && tcp.port == 53");
    std::cout << "[ measured ] tshark: " << packets << " packets, " << malformed
              << " malformed, of which " << dnsTcp << " DNS over TCP\n";
    EXPECT_EQ(packets, static_cast<int>(g.Size()));
    // The pcap writer's payloads are zero bytes: a DNS-over-TCP message of
    // zeros is malformed DNS (its length prefix is 0). Every other packet
    // must dissect cleanly.
    EXPECT_EQ(malformed - dnsTcp, 0);
}

TEST(TorchSampler, HostFilterAndMaxEvents)
{
    Shared& sh = SharedModel();
    TorchSampler s(sh.model);
    RngSeedManager::SetSeed(2);
    ns3::RngSeedManager::SetRun(1);
    s.AssignStreams(0);
    s.Reset(sh.train.Ts().back());
    GenerateOptions o;
    o.start = sh.train.Ts().back();
    o.duration = 600;
    o.maxEvents = 40;
    o.hosts = ParseNetworks("10.0.1.0/24");
    const GenerateResult r = Generate(s, o);
    EXPECT_EQ(r.events.Size(), 40u);
    EXPECT_GT(r.filtered, 0u);
    for (size_t i = 0; i < r.events.Size(); ++i)
    {
        EXPECT_TRUE(o.hosts[0].Contains(r.events.Get(i).src));
    }
}

TEST(TorchSampler, PrimeContinuesFromTheRealPrefix)
{
    Shared& sh = SharedModel();
    TorchSampler s(sh.model);
    RngSeedManager::SetSeed(1);
    ns3::RngSeedManager::SetRun(1);
    s.AssignStreams(0);
    const EventTable tail = sh.train.Rows(sh.train.Size() - 200, sh.train.Size());
    s.Prime(tail);
    EXPECT_EQ(s.Now(), tail.Ts().back());
    const TraceEvent e = s.Next();
    EXPECT_GE(e.ts, tail.Ts().back());
}

TEST(TorchSampler, ReproducesDayNightRateAcrossTheDayBoundary)
{
    // Three days from Monday 2024-01-01 UTC; 08:00-20:00 is four times busier.
    const double start = *ParseIso8601("2024-01-01T00:00:00Z");
    const double dayRate = 0.06;
    const double nightRate = 0.015;
    auto isDay = [start](double ts) {
        const double tod = std::fmod(ts - start, 86400.0);
        return tod >= 8 * 3600.0 && tod < 20 * 3600.0;
    };
    std::mt19937_64 rng(5);
    std::exponential_distribution<double> unit(1.0);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    EventTable t;
    for (double ts = start; ts < start + 3 * 86400.0;)
    {
        ts += unit(rng) / dayRate;
        if (isDay(ts) || u(rng) < nightRate / dayRate)
        {
            t.Append(Packet(ts, 0x0a000001, 0x0a000002, 17, 5000, 53, 100, -1));
        }
    }
    // Trained as `temponet train` does by default (2 threads).
    TrainOptions o;
    o.threads = 2;
    o.seed = 11;
    TrainResult r = Train(t, o, {});
    ASSERT_TRUE(r.model.GetEncoding().TimeOfDayActive());
    // The calendar carries the slow structure: no activity scale above 100 s.
    for (size_t k = 0; k < kActivityDim; ++k)
    {
        EXPECT_EQ(r.model.GetEncoding().ActivityActive(k),
                  kActivityScales[k] <= kActivityMaxWithCalendar)
            << kActivityScales[k] << " s";
    }
    // From 14:00 on the day after training for 24 hours: day, night, day.
    TorchSampler s(r.model);
    const double genStart = start + 3 * 86400.0 + 14 * 3600.0;
    double day = 0;
    double night = 0;
    for (uint64_t run = 1; run <= 2; ++run)
    {
        const EventTable g = RunSampler(s, 1, run, genStart, 86400.0);
        for (double ts : g.Ts())
        {
            const double tod = std::fmod(ts - start, 86400.0);
            // Leave out the hour after each switch, where the history still lags.
            if (std::fabs(tod - 8 * 3600.0) < 3600.0 || std::fabs(tod - 20 * 3600.0) < 3600.0)
            {
                continue;
            }
            (isDay(ts) ? day : night) += 1;
        }
    }
    // Day hours counted: 12 - 2 (one after each switch... minus the hour before 20:00) = 10;
    // night hours: 12 - 2 = 10. Equal exposure, so the count ratio is the rate ratio.
    // Measured: 3.20 against a truth of 4 with this seed; over training
    // seeds 1, 2, 3 and 11: 1.79 to 3.20 (doc/temponet.rst, Generation).
    const double ratio = day / std::max(night, 1.0);
    std::cout << "[ measured ] day/night generated rate ratio " << ratio << " (truth "
              << dayRate / nightRate << "), " << day << " day and " << night << " night events\n";
    EXPECT_GT(ratio, 2.5);
    EXPECT_LT(ratio, 6.5);
}

// Before the activity features and eta truncation the generated hourly count
// of this test fell to 73 in one of 39 hours (training: 372..435).
TEST(TorchSampler, LongRunStaysInTheTrainingRangeOn4sics)
{
    TEMPONET_REQUIRE_DATA(path, "4sics-geeklounge-151020.conn.log");
    EventTable all;
    ReadReport rep;
    ReadTrace(path, std::nullopt, all, rep);
    ASSERT_GT(all.Size(), 1000u);
    // Training: the last 4 hours (the quiet regime after the lab activity).
    const double end = all.Ts().back();
    const EventTable train = all.Slice(end - 4 * 3600.0, end + 1);
    ASSERT_GT(train.Size(), 500u);
    TrainResult r = Train(train, test::SmallTraining(10, 4, 11, 60), {});
    const double span = train.SpanSeconds();
    auto hourly = [](const EventTable& t, double from, double until) {
        std::vector<double> counts;
        for (double h = from; h + 3600.0 <= until; h += 3600.0)
        {
            const auto& ts = t.Ts();
            counts.push_back(double(std::lower_bound(ts.begin(), ts.end(), h + 3600.0) -
                                    std::lower_bound(ts.begin(), ts.end(), h)));
        }
        return counts;
    };
    const auto trainHours = hourly(train, train.Ts().front(), train.Ts().back());
    const double lo = *std::min_element(trainHours.begin(), trainHours.end());
    const double hi = *std::max_element(trainHours.begin(), trainHours.end());
    TorchSampler s(r.model);
    RngSeedManager::SetSeed(1);
    ns3::RngSeedManager::SetRun(1);
    s.AssignStreams(0);
    s.Prime(train.Rows(train.Size() - 256, train.Size()));
    GenerateOptions go;
    go.start = train.Ts().back();
    go.duration = 10 * span;
    const auto t0 = std::chrono::steady_clock::now();
    const EventTable g = Generate(s, go).events;
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const auto genHours = hourly(g, go.start, go.start + go.duration);
    const double glo = *std::min_element(genHours.begin(), genHours.end());
    const double ghi = *std::max_element(genHours.begin(), genHours.end());
    std::cout << "[ measured ] 4SICS: training hourly events " << lo << ".." << hi
              << ", generated over " << genHours.size() << " h: " << glo << ".." << ghi << " ("
              << g.Size() << " events in " << secs << " s)\n";
    EXPECT_GE(glo, lo / 1.5);
    EXPECT_LE(ghi, hi * 1.5);
    // No single host, port or size takes a share above 1.5x its training share + 0.05.
    auto shares = [](const EventTable& t, const char* what) {
        std::map<std::string, double> c;
        for (size_t i = 0; i < t.Size(); ++i)
        {
            const TraceEvent e = t.Get(i);
            const std::string w = what;
            if (w == "host")
            {
                c[e.src.ToString()] += 0.5;
                c[e.dst.ToString()] += 0.5;
            }
            else if (w == "port")
            {
                c[std::to_string(e.dstPort)] += 1;
            }
            else
            {
                c[std::to_string(e.bytes)] += 1;
            }
        }
        for (auto& [k, v] : c)
        {
            v /= double(std::max<size_t>(1, t.Size()));
        }
        return c;
    };
    for (const char* what : {"host", "port", "size"})
    {
        const auto tr = shares(train, what);
        const auto gs = shares(g, what);
        double worst = 0;
        for (const auto& [k, v] : gs)
        {
            const double ref = tr.count(k) ? tr.at(k) : 0.0;
            worst = std::max(worst, v - (1.5 * ref + 0.05));
            EXPECT_LE(v, 1.5 * ref + 0.05) << what << " " << k;
        }
        std::cout << "[ measured ] 4SICS " << what << ": largest excess over the bound " << worst
                  << "\n";
    }
}

TEST(EtaTruncate, CutsTheTailOfPeakedDistributionsOnly)
{
    // Peaked: H is small, so the cut is eta itself.
    std::vector<double> peaked{0.93, 0.05, 0.015, 0.005};
    EXPECT_EQ(EtaTruncate(peaked, 0.02), 2u);
    EXPECT_EQ(peaked, (std::vector<double>{0.93, 0.05, 0.0, 0.0}));
    // Broad: 1000 outcomes of 0.001 each; sqrt(eta) exp(-H) = 0.14 / 1000 keeps them all.
    std::vector<double> broad(1000, 0.001);
    EXPECT_EQ(EtaTruncate(broad, 0.02), 0u);
    // Unnormalised weights give the same cut as normalised ones.
    std::vector<double> scaled{93.0, 5.0, 1.5, 0.5};
    EXPECT_EQ(EtaTruncate(scaled, 0.02), 2u);
    // The cut stays below the most likely outcome (exp(-H) <= max p), so a
    // flat distribution keeps everything for any eta; eta 0 changes nothing.
    std::vector<double> flat{0.5, 0.5};
    EXPECT_EQ(EtaTruncate(flat, 0.9), 0u);
    std::vector<double> two{0.7, 0.3};
    EXPECT_EQ(EtaTruncate(two, 0.9), 1u);
    EXPECT_EQ(two[0], 0.7);
    std::vector<double> keep{0.999, 0.001};
    EXPECT_EQ(EtaTruncate(keep, 0.0), 0u);
    EXPECT_EQ(keep[1], 0.001);
}

TEST(TorchSampler, FreeRunningContinuesTheQuietRegimeOf4sics)
{
    // The 4SICS capture's first 70 %: 2.4 h of lab activity (S7 on tcp/102
    // and DNS), then only DNS. Run free over the last 20 % of that span (the
    // trainer's validation window, all quiet), the model must stay quiet. A
    // likelihood-trained model without activity features and eta truncation
    // fell into the S7 regime within minutes (3,750 events against 365).
    // Trained and sampled as `temponet train` does by default (2 threads,
    // the eta level ChooseEta picks).
    TEMPONET_REQUIRE_DATA(path, "4sics-geeklounge-151020.conn.log");
    EventTable all;
    ReadReport rep;
    ReadTrace(path, std::nullopt, all, rep);
    const double t0 = all.Ts().front();
    const EventTable part = all.Slice(t0, t0 + 0.7 * all.SpanSeconds());
    TrainOptions o;
    o.threads = 2;
    o.seed = 1;
    TrainResult r = Train(part, o, {});
    const size_t cut = r.trainEvents;
    auto freeRun = [&](double eta) {
        TorchSampler s(r.model);
        s.SetEta(eta);
        RngSeedManager::SetSeed(1);
        RngSeedManager::SetRun(1);
        s.AssignStreams(0);
        return CheckFreeRunning(s, part, cut, 2048);
    };
    // ChooseEta runs the check per level and keeps the best; the saved model
    // samples with it by default.
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(1);
    const EtaChoice c = ChooseEta(r.model, part, cut, 2048);
    const FreeRunReport f = freeRun(c.eta);
    const FreeRunReport raw = freeRun(0.0);
    std::cout << "[ measured ] 4SICS free run over the quiet window (" << f.realEvents
              << " real events):";
    for (const EtaChoice::Trial& t : c.tried)
    {
        std::cout << " eta " << t.eta << (t.truncateMarks ? "" : " (marks whole)") << ": "
                  << t.report.generatedEvents << " events, host-pair JSD " << t.report.hostPairJsd
                  << ";";
    }
    std::cout << " chosen " << c.eta << "\n";
    EXPECT_LT(f.rateLogRatio, std::log(1.5));
    EXPECT_LT(f.hostPairJsd, 0.1);
    EXPECT_FALSE(f.capped);
    // The three levels, then the winner with the marks whole.
    ASSERT_EQ(c.tried.size(), 4u);
    EXPECT_EQ(c.tried[0].eta, 0.0);
    // Each level is the mean of FreeRunRepeats() runs, the first on streams from 0.
    ASSERT_EQ(c.tried[0].report.runEvents.size(), FreeRunRepeats(f.realEvents));
    EXPECT_GT(c.tried[0].report.runEvents.size(), 1u);
    EXPECT_EQ(c.tried[0].report.runEvents[0], raw.generatedEvents);
    EXPECT_GT(c.eta, 0.0);
    EXPECT_EQ(c.tried[3].eta, c.eta);
    EXPECT_FALSE(c.tried[3].truncateMarks);
    // Of the levels within noise of the best score, the most truncating.
    auto score = [](const EtaChoice::Trial& t) {
        return t.report.rateLogRatio + t.report.hostPairJsd;
    };
    const double noise = 1.0 / std::sqrt(double(f.realEvents) + 1.0);
    const double best = std::min({score(c.tried[0]), score(c.tried[1]), score(c.tried[2])});
    for (size_t k = 0; k < 3; ++k)
    {
        if (c.tried[k].eta == c.eta)
        {
            EXPECT_LE(score(c.tried[k]), best + noise);
        }
        else if (c.tried[k].eta > c.eta)
        {
            EXPECT_GT(score(c.tried[k]), best + noise);
        }
    }
    for (const EtaChoice::Trial& t : c.tried)
    {
        if (t.eta == c.eta && t.truncateMarks == c.truncateMarks)
        {
            EXPECT_EQ(t.report.runEvents[0], f.generatedEvents);
        }
    }
    const std::string modelPath = test::TempDir("choose-eta") + "/m.tpn";
    r.model.Save(modelPath);
    const TempoNetModel loaded = TempoNetModel::Load(modelPath);
    EXPECT_EQ(TorchSampler::ModelEta(loaded), c.eta);
    EXPECT_EQ(TorchSampler(loaded).Eta(), c.eta);
    EXPECT_EQ(TorchSampler::ModelTruncatesMarks(loaded), c.truncateMarks);
    EXPECT_EQ(TorchSampler(loaded).TruncatesMarks(), c.truncateMarks);
    r.model.Meta()["sampling"]["truncate_marks"] = 1;
    EXPECT_THROW(TorchSampler::ModelTruncatesMarks(r.model), std::invalid_argument);
}

TEST(TorchSampler, TruncationCanLeaveTheMarksWhole)
{
    // Strong truncation thins the tails of the marks (ephemeral ports,
    // rare hosts); left whole, they keep their learned spread while the gap
    // and continuation draws stay truncated.
    Shared& sh = SharedModel();
    const double start = sh.train.Ts().back();
    auto distinct = [&](bool marks) {
        TorchSampler s(sh.model);
        s.SetEta(0.2);
        s.SetTruncateMarks(marks);
        EXPECT_EQ(s.TruncatesMarks(), marks);
        const EventTable t = RunSampler(s, 5, 1, start, 300);
        std::set<int32_t> ports;
        std::set<uint32_t> sources;
        for (size_t i = 0; i < t.Size(); ++i)
        {
            ports.insert(t.SrcPort()[i]);
            sources.insert(t.SrcIndex()[i]);
        }
        EXPECT_GT(t.Size(), 100u);
        return std::make_pair(ports.size(), sources.size());
    };
    const auto [truncatedPorts, truncatedSources] = distinct(true);
    const auto [wholePorts, wholeSources] = distinct(false);
    std::cout << "[ measured ] eta 0.2: " << truncatedPorts << " source ports, " << truncatedSources
              << " sources truncated; " << wholePorts << " and " << wholeSources << " whole\n";
    EXPECT_GT(wholePorts, truncatedPorts);
    EXPECT_GE(wholeSources, truncatedSources);
}

TEST(RateCalibration, ScalesTheFreeRunCountToTheRealOne)
{
    Shared& sh = SharedModel();
    // The model's own free run after the training data, streams from 0 as
    // CheckFreeRunning draws them.
    const EventTable prime = sh.train.Rows(sh.train.Size() - 512, sh.train.Size());
    TorchSampler own(sh.model);
    const EventTable g = RunSampler(own, 1, 1, sh.train.Ts().back(), 300, 1.0, &prime);
    ASSERT_GT(g.Size(), 200u);
    auto withWindow = [&](size_t every) {
        EventTable t = sh.train;
        for (size_t i = 0; i < g.Size(); i += every)
        {
            t.Append(g.Get(i));
        }
        return t;
    };
    auto copy = [&]() { return TempoNetModel::FromModelFile(sh.model.ToModelFile(), "copy"); };
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(1);

    // Window = that free run: the count matches, the rate stays as learned.
    TempoNetModel same = copy();
    const RateCalibration c1 = CalibrateRate(same, withWindow(1), sh.train.Size(), 512);
    EXPECT_EQ(c1.rateScale, 1.0);
    // Its first run (streams from 0) is that run; the others are the
    // model's run-to-run spread, within which the rate is not corrected.
    ASSERT_GT(c1.before.runEvents.size(), 1u);
    EXPECT_LT(std::fabs(std::log(double(c1.before.runEvents[0]) / double(c1.before.realEvents))),
              0.05);
    EXPECT_FALSE(same.Meta()["sampling"].contains("rate_scale"));
    EXPECT_EQ(TorchSampler::ModelRateScale(same), 1.0);

    // Window = every other event: the model makes about twice the real count
    // until calibrated.
    TempoNetModel half = copy();
    const EventTable thinned = withWindow(2);
    const RateCalibration c2 = CalibrateRate(half, thinned, sh.train.Size(), 512);
    std::cout << "[ measured ] rate calibration: " << c2.before.generatedEvents << " -> "
              << c2.after.generatedEvents << " events against " << c2.after.realEvents
              << " real, rate scale " << c2.rateScale << "\n";
    EXPECT_GT(c2.before.rateLogRatio, std::log(1.7));
    EXPECT_GT(c2.rateScale, 0.5);
    EXPECT_LT(c2.rateScale, 0.7);
    EXPECT_LT(c2.after.rateLogRatio, 0.25);
    // Only the gaps are scaled: the host pairs stay about as they were.
    EXPECT_NEAR(c2.after.hostPairJsd, c2.before.hostPairJsd, 0.1);

    // Saved and loaded, the sampler applies it: the same free run again.
    const std::string path = test::TempDir("rate-calibration") + "/m.tpn";
    half.Save(path);
    const TempoNetModel loaded = TempoNetModel::Load(path);
    EXPECT_EQ(TorchSampler::ModelRateScale(loaded), c2.rateScale);
    TorchSampler s(loaded);
    s.AssignStreams(0);
    EXPECT_EQ(CheckFreeRunning(s, thinned, sh.train.Size(), 512).generatedEvents,
              c2.after.runEvents.at(0));

    // Given the free run it would measure first, it skips that run.
    TempoNetModel again = copy();
    const RateCalibration c3 = CalibrateRate(again, thinned, sh.train.Size(), 512, &c2.before);
    EXPECT_EQ(c3.rateScale, c2.rateScale);
    EXPECT_EQ(c3.after.generatedEvents, c2.after.generatedEvents);

    // Choosing the eta level again starts from the model as trained.
    ChooseEta(half, thinned, sh.train.Size(), 512, {0.02});
    EXPECT_EQ(TorchSampler::ModelRateScale(half), 1.0);

    // A model file with an impossible rate scale is refused by name.
    for (const nlohmann::json& bad :
         {nlohmann::json(5.0), nlohmann::json(0.0), nlohmann::json("x")})
    {
        TempoNetModel m = copy();
        m.Meta()["sampling"] = {{"eta", 0.02}, {"rate_scale", bad}};
        try
        {
            TorchSampler::ModelRateScale(m);
            ADD_FAILURE() << "rate_scale " << bad.dump() << " accepted";
        }
        catch (const std::invalid_argument& e)
        {
            EXPECT_NE(std::string(e.what()).find("rate_scale"), std::string::npos) << e.what();
        }
        EXPECT_THROW({ TorchSampler refused(m); }, std::invalid_argument);
    }
}

TEST(FreeRunCheck, DetectsARateChangeTheSamplerMisses)
{
    // 1 event/s for 1000 s, then 4 events/s for 1000 s, one host pair.
    EventTable t;
    TraceEvent e;
    e.src = IpAddr::FromV4(0x0a000001);
    e.dst = IpAddr::FromV4(0x0a000002);
    e.proto = 17;
    e.srcPort = 5000;
    e.dstPort = 53;
    e.size = 80;
    for (int i = 0; i < 1000; ++i)
    {
        e.ts = 1e6 + i;
        t.Append(e);
    }
    for (int i = 0; i < 4000; ++i)
    {
        e.ts = 1e6 + 1000 + 0.25 * i;
        t.Append(e);
    }
    ns3::RngSeedManager::SetSeed(3);
    ns3::RngSeedManager::SetRun(1);
    PoissonMarginalSampler slow(t.Rows(0, 1000));
    slow.AssignStreams(0);
    const FreeRunReport r = CheckFreeRunning(slow, t, 1000, 500);
    EXPECT_EQ(r.realEvents, 4000u);
    EXPECT_NEAR(r.rateLogRatio, std::log(4.0), 0.15);
    EXPECT_NEAR(r.hostPairJsd, 0.0, 1e-12);
    EXPECT_FALSE(r.capped);

    // A sampler fitted on the busy part matches its own window.
    PoissonMarginalSampler fast(t.Rows(1000, 3000));
    fast.AssignStreams(0);
    const FreeRunReport same = CheckFreeRunning(fast, t, 3000, 500);
    EXPECT_LT(same.rateLogRatio, 0.15);
}

TEST(FreeRunCheck, MeanOfRunsCountsEveryRunInFull)
{
    FreeRunReport a;
    a.realEvents = 100;
    a.generatedEvents = 100;
    a.rateLogRatio = 0.0;
    a.hostPairJsd = 0.01;
    a.runEvents = {100};
    FreeRunReport b = a;
    b.generatedEvents = 1001; // left the regime
    b.rateLogRatio = std::log(1002.0 / 101.0);
    b.hostPairJsd = 0.7;
    b.capped = true;
    b.runEvents = {1001};
    const FreeRunReport m = MeanFreeRun({a, a, b});
    EXPECT_EQ(m.realEvents, 100u);
    EXPECT_EQ(m.generatedEvents, 400u); // (100 + 100 + 1001) / 3, rounded
    EXPECT_NEAR(m.rateLogRatio, std::log(1002.0 / 101.0) / 3.0, 1e-12);
    EXPECT_NEAR(m.hostPairJsd, 0.24, 1e-12);
    EXPECT_TRUE(m.capped);
    EXPECT_EQ(m.runEvents, (std::vector<uint64_t>{100, 100, 1001}));
    FreeRunReport other = a;
    other.realEvents = 50;
    EXPECT_THROW(MeanFreeRun({a, other}), std::invalid_argument);
    EXPECT_THROW(MeanFreeRun({}), std::invalid_argument);

    // Small windows are run several times, large ones once.
    EXPECT_EQ(FreeRunRepeats(0), 5u);
    EXPECT_EQ(FreeRunRepeats(365), 5u);
    EXPECT_EQ(FreeRunRepeats(6000), 3u);
    EXPECT_EQ(FreeRunRepeats(186090), 1u);
}
