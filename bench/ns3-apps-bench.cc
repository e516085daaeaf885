/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * \file
 * \ingroup temponet
 * TempoNet inside ns-3 side by side with ns-3's OnOffApplication, in one run:
 * the same network (TempoNetTopologyHelper built from the bundled model's
 * hosts), the same simulated span, and OnOff sources sized to put as many IP
 * packets on the wire as the TempoNet run did. Reports the wall time per IP
 * packet sent (every node's Ipv4L3Protocol Tx), so the cost of the learned
 * generator (one GRU step and all heads per event, plus its socket logic) can
 * be read against the simplest ns-3 traffic source.
 *
 * Run: build/bin/ns3-apps-bench (the TempoNet case runs first; the OnOff case
 * takes its packet count).
 */

#include "temponet-helper.h"
#include "temponet-topology-helper.h"
#include "temponet-torch-runtime.h"

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"

#include <benchmark/benchmark.h>
#include <chrono>

using namespace ns3;

namespace
{

/// The bundled default model.
const std::string kModel = TEMPONET_MODELS_DIR "/4sics-default.tpn";

/// Simulated seconds per iteration.
constexpr double kSpan = 120.0;

/// IP packets the TempoNet case sent in its last iteration (the OnOff case matches it).
uint64_t g_tempoPackets = 0;

/// IP packets sent so far.
uint64_t g_packets = 0;

/// Counts one IP packet sent.
void
CountTx(Ptr<const Packet>, Ptr<Ipv4>, uint32_t)
{
    ++g_packets;
}

/**
 * Runs the set-up simulation for kSpan (plus a second to drain), counting
 * every node's IPv4 transmissions in g_packets.
 * \return the wall seconds of Simulator::Run.
 */
double
RunCounted()
{
    g_packets = 0;
    Config::ConnectWithoutContextFailSafe("/NodeList/*/$ns3::Ipv4L3Protocol/Tx",
                                          MakeCallback(&CountTx));
    Simulator::Stop(Seconds(kSpan + 1));
    const auto t0 = std::chrono::steady_clock::now();
    Simulator::Run();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

/// Sets the counters of one run that took \p wall seconds.
void
Report(benchmark::State& state, double wall)
{
    state.counters["ip_packets"] = static_cast<double>(g_packets);
    state.counters["wall_us_per_ip_packet"] = 1e6 * wall / std::max<double>(1, g_packets);
}

void
BM_TempoNetApplications(benchmark::State& state)
{
    temponet::TorchRuntime::SetThreads(1);
    for (auto _ : state)
    {
        RngSeedManager::SetSeed(1);
        RngSeedManager::SetRun(1);
        TempoNetHelper tempo(kModel);
        TempoNetTopologyHelper net;
        net.Build(tempo.GetModelHosts());
        tempo.SetGateway(net.GetInternetRouter());
        ApplicationContainer apps = tempo.Install(net.GetHosts());
        net.AssignStreams(tempo.AssignStreams(0));
        apps.Start(Seconds(0));
        apps.Stop(Seconds(kSpan));
        const double wall = RunCounted();
        state.counters["events"] = static_cast<double>(tempo.GetGenerator()->GetEventCount());
        Simulator::Destroy();
        g_tempoPackets = g_packets;
        Report(state, wall);
    }
}

void
BM_OnOffApplications(benchmark::State& state)
{
    for (auto _ : state)
    {
        RngSeedManager::SetSeed(1);
        RngSeedManager::SetRun(1);
        TempoNetHelper tempo(kModel); // only for the same host list
        TempoNetTopologyHelper net;
        net.Build(tempo.GetModelHosts());
        NodeContainer hosts = net.GetHosts();
        const uint32_t n = hosts.GetN();
        // One UDP source per host towards the next host, 512-byte payloads,
        // at the rate that gives the TempoNet case's packet count (each
        // datagram is one IP packet; sinks send nothing).
        const uint64_t target = std::max<uint64_t>(g_tempoPackets, n);
        const double perSource = double(target) / n / kSpan;
        ApplicationContainer apps;
        PacketSinkHelper sink("ns3::UdpSocketFactory", InetSocketAddress(Ipv4Address::GetAny(), 9));
        apps.Add(sink.Install(hosts));
        for (uint32_t i = 0; i < n; ++i)
        {
            Ptr<Node> to = hosts.Get((i + 1) % n);
            const Ipv4Address addr = to->GetObject<Ipv4>()->GetAddress(1, 0).GetLocal();
            OnOffHelper onoff("ns3::UdpSocketFactory", InetSocketAddress(addr, 9));
            onoff.SetConstantRate(DataRate(uint64_t(perSource * 512 * 8)), 512);
            apps.Add(onoff.Install(hosts.Get(i)));
        }
        apps.Start(Seconds(0));
        apps.Stop(Seconds(kSpan));
        const double wall = RunCounted();
        Simulator::Destroy();
        Report(state, wall);
    }
}

} // namespace

BENCHMARK(BM_TempoNetApplications)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_OnOffApplications)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK_MAIN();
