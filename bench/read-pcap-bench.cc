/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * \file
 * \ingroup temponet
 * Measures ReadPcap's throughput (records/s and bytes/s, wall clock):
 *  - on a synthetic capture of one million packets (IPv4 and IPv6; TCP, UDP
 *    and ICMP; sizes from 40 to 1500 bytes) that the benchmark writes once
 *    with WritePcap into the temporary folder, plain and gzip'd;
 *  - on the shared real capture pcap/gopacket_test301.pcapng, when present.
 */
#include "temponet-read-report.h"
#include "temponet-trace-format.h"
#include "temponet-trace-writer.h"

#include <benchmark/benchmark.h>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <unistd.h>
#include <vector>
#include <zlib.h>

using namespace ns3::temponet;

namespace
{

constexpr size_t kSyntheticPackets = 1000000; //!< Packets in the synthetic capture.

/// The synthetic captures, written on first use and removed at exit.
class SyntheticCaptures
{
  public:
    SyntheticCaptures()
    {
        const auto dir = std::filesystem::temp_directory_path();
        const std::string stem = "temponet-read-pcap-bench-" + std::to_string(::getpid());
        m_plain = (dir / (stem + ".pcap")).string();
        m_gzip = m_plain + ".gz";
        WritePcap(MakeTable(), m_plain, PcapLinkType::Ethernet);
        Compress(m_plain, m_gzip);
    }

    ~SyntheticCaptures()
    {
        std::filesystem::remove(m_plain);
        std::filesystem::remove(m_gzip);
    }

    SyntheticCaptures(const SyntheticCaptures&) = delete;
    SyntheticCaptures& operator=(const SyntheticCaptures&) = delete;

    /// \return the plain capture's path.
    const std::string& Plain() const
    {
        return m_plain;
    }

    /// \return the gzip'd capture's path.
    const std::string& Gzip() const
    {
        return m_gzip;
    }

  private:
    /// \return a million packets between 200 hosts, ten percent IPv6.
    static EventTable MakeTable()
    {
        std::mt19937_64 rng(42);
        std::uniform_int_distribution<int> host(1, 200);
        std::uniform_int_distribution<int> pct(0, 99);
        std::uniform_int_distribution<int> port(1024, 65535);
        std::uniform_int_distribution<int> midSize(100, 600);
        std::exponential_distribution<double> gap(10000.0);
        EventTable t;
        t.Reserve(kSyntheticPackets);
        double ts = 1700000000.0;
        uint8_t v6[16] = {0x20, 0x01, 0x0d, 0xb8};
        for (size_t i = 0; i < kSyntheticPackets; ++i)
        {
            TraceEvent e;
            ts += gap(rng);
            e.ts = ts;
            const int a = host(rng);
            const int b = host(rng);
            if (pct(rng) < 10)
            {
                v6[15] = static_cast<uint8_t>(a);
                e.src = IpAddr::FromV6(v6);
                v6[15] = static_cast<uint8_t>(b);
                e.dst = IpAddr::FromV6(v6);
            }
            else
            {
                e.src = IpAddr::FromV4(0x0a000000u + uint32_t(a));
                e.dst = IpAddr::FromV4(0x0a000000u + uint32_t(b));
            }
            const int kind = pct(rng);
            e.proto = kind < 75 ? 6 : kind < 97 ? 17 : 1;
            if (e.proto != 1)
            {
                e.srcPort = port(rng);
                e.dstPort = kind % 2 == 0 ? 443 : 53;
            }
            e.tcpFlags = e.proto == 6 ? 0x10 : -1;
            const int sizeClass = pct(rng);
            e.size = sizeClass < 60 ? 60 : sizeClass < 90 ? midSize(rng) : 1500;
            e.ttl = 64;
            t.Append(e);
        }
        return t;
    }

    /// Gzips \p from into \p to (level 1), streaming.
    static void Compress(const std::string& from, const std::string& to)
    {
        FILE* in = std::fopen(from.c_str(), "rb");
        gzFile out = gzopen(to.c_str(), "wb1");
        if (in == nullptr || out == nullptr)
        {
            std::fprintf(stderr, "cannot gzip %s\n", from.c_str());
            std::exit(1);
        }
        std::vector<char> buf(1 << 20);
        size_t n;
        while ((n = std::fread(buf.data(), 1, buf.size(), in)) > 0)
        {
            gzwrite(out, buf.data(), static_cast<unsigned>(n));
        }
        std::fclose(in);
        gzclose(out);
    }

    std::string m_plain; //!< Plain pcap path.
    std::string m_gzip;  //!< Gzip'd pcap path.
};

/// \return the synthetic captures, made on first call.
const SyntheticCaptures&
Synthetic()
{
    static const SyntheticCaptures captures;
    return captures;
}

/// Reads \p path once per iteration and sets the rate counters.
void
ReadLoop(benchmark::State& state, const std::string& path)
{
    uint64_t records = 0;
    for (auto _ : state)
    {
        EventTable table;
        ReadReport report;
        ReadPcap(path, table, report);
        records += report.records;
        benchmark::DoNotOptimize(table.Size());
    }
    state.counters["records_per_s"] =
        benchmark::Counter(static_cast<double>(records), benchmark::Counter::kIsRate);
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                            static_cast<int64_t>(std::filesystem::file_size(path)));
}

/// ReadPcap on the synthetic capture.
void
BM_ReadPcapSynthetic(benchmark::State& state)
{
    ReadLoop(state, Synthetic().Plain());
}

/// ReadPcap on the gzip'd synthetic capture.
void
BM_ReadPcapSyntheticGzip(benchmark::State& state)
{
    ReadLoop(state, Synthetic().Gzip());
}

/// ReadPcap on the shared real pcapng capture.
void
BM_ReadPcapGopacketPcapng(benchmark::State& state)
{
    const char* env = std::getenv("TEMPONET_DATA_DIR");
    const std::string path =
        std::string(env != nullptr ? env : TEMPONET_DATA_DIR) + "/pcap/gopacket_test301.pcapng";
    if (!std::filesystem::exists(path))
    {
        state.SkipWithError(("shared capture not found: " + path).c_str());
        return;
    }
    ReadLoop(state, path);
}

} // namespace

BENCHMARK(BM_ReadPcapSynthetic)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ReadPcapSyntheticGzip)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ReadPcapGopacketPcapng)->Unit(benchmark::kMicrosecond)->UseRealTime();

BENCHMARK_MAIN();
