/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * \file
 * \ingroup temponet
 * Throughput of TorchSampler (one GRU step and all heads per event) and of
 * the Poisson + marginals baseline, in events per second on one core
 * (LibTorch intra-op threads = 1). The model has the default sizes (GRU 64,
 * 16-component mixture) and random weights (speed does not depend on
 * training), on a synthetic packet trace of 10 hosts with TCP, UDP and ICMP.
 *
 * events_per_s is measured on CPU time (the benchmark's default), so that
 * other load on the machine does not lower it.
 */

#include "temponet-baseline-samplers.h"
#include "temponet-encoding.h"
#include "temponet-model.h"
#include "temponet-torch-runtime.h"
#include "temponet-torch-sampler.h"

#include <ns3/rng-seed-manager.h>

#include <benchmark/benchmark.h>
#include <random>

using namespace ns3::temponet;

namespace
{

/// A synthetic packet trace: 20000 packets, 10 hosts, TCP/UDP/ICMP.
const EventTable&
Trace()
{
    static const EventTable t = [] {
        std::mt19937_64 rng(1);
        std::uniform_int_distribution<int> host(0, 9);
        std::uniform_int_distribution<int> eph(49152, 65535);
        std::uniform_int_distribution<int> size(40, 1500);
        std::exponential_distribution<double> gap(10.0);
        EventTable table;
        double ts = 1.7e9;
        for (int i = 0; i < 20000; ++i)
        {
            TraceEvent e;
            e.ts = ts += gap(rng);
            e.src = IpAddr::FromV4(0x0a000001 + host(rng));
            e.dst = IpAddr::FromV4(0x0a000001 + host(rng));
            const int k = i % 10;
            e.proto = k < 6 ? 6 : (k < 9 ? 17 : 1);
            if (e.proto != 1)
            {
                e.srcPort = eph(rng);
                e.dstPort = k % 2 == 0 ? 80 : 53;
            }
            e.size = size(rng);
            e.tcpFlags = e.proto == 6 ? 0x18 : -1;
            e.ttl = 64;
            table.Append(e);
        }
        return table;
    }();
    return t;
}

void
BM_TorchSamplerNext(benchmark::State& state)
{
    TorchRuntime::SetThreads(1);
    const Encoding enc = Encoding::Fit(Trace());
    const TempoNetModel model(enc, ModelSizes{}, 1);
    TorchSampler sampler(model);
    ns3::RngSeedManager::SetSeed(1);
    sampler.AssignStreams(0);
    sampler.Prime(Trace().Rows(Trace().Size() - 256, Trace().Size()));
    for (auto _ : state)
    {
        benchmark::DoNotOptimize(sampler.Next());
    }
    state.counters["events_per_s"] =
        benchmark::Counter(double(state.iterations()), benchmark::Counter::kIsRate);
}

BENCHMARK(BM_TorchSamplerNext)->Unit(benchmark::kMicrosecond)->MinTime(3.0);

void
BM_PoissonMarginalNext(benchmark::State& state)
{
    PoissonMarginalSampler sampler(Trace());
    ns3::RngSeedManager::SetSeed(1);
    sampler.AssignStreams(0);
    sampler.Reset(0);
    for (auto _ : state)
    {
        benchmark::DoNotOptimize(sampler.Next());
    }
    state.counters["events_per_s"] =
        benchmark::Counter(double(state.iterations()), benchmark::Counter::kIsRate);
}

BENCHMARK(BM_PoissonMarginalNext)->Unit(benchmark::kMicrosecond);

} // namespace

BENCHMARK_MAIN();
