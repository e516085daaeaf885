/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * \file
 * \ingroup temponet
 * Throughput of the text trace readers and the canonical CSV writer, in
 * records per second on one core:
 * - ReadDarpaCsv on the shared DARPA'99 day (gzip'd, 1.37 M frames), and on a
 *   plain-text copy of it (to separate the cost of gzip);
 * - ReadCanonicalCsv on a 2 M-row plain canonical CSV made once by the benchmark;
 * - WriteCanonicalCsv of that table.
 *
 * records_per_s is measured on CPU time (the benchmark's default), so that
 * other load on the machine does not lower it; the Time column is wall time.
 */

#include "temponet-event-table.h"
#include "temponet-read-report.h"
#include "temponet-trace-format.h"
#include "temponet-trace-writer.h"

#include <benchmark/benchmark.h>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <unistd.h>
#include <zlib.h>

using namespace ns3::temponet;

namespace
{

/// Rows of the generated canonical CSV.
constexpr size_t kCanonicalRows = 2000000;

/// \return the shared DARPA file, or "" when absent.
std::string
DarpaPath()
{
    const std::string p = std::string(TEMPONET_DATA_DIR) + "/darpa99-1999-03-01-packets.csv.gz";
    return std::filesystem::exists(p) ? p : "";
}

/// \return a scratch folder for this process, made on first use.
const std::string&
ScratchDir()
{
    static const std::string dir = [] {
        auto d = std::filesystem::temp_directory_path() /
                 ("temponet-read-csv-bench-" + std::to_string(::getpid()));
        std::filesystem::create_directories(d);
        return d.string();
    }();
    return dir;
}

/// \return a plain-text copy of the DARPA file, made once ("" when absent).
const std::string&
DarpaPlainPath()
{
    static const std::string path = []() -> std::string {
        const std::string src = DarpaPath();
        if (src.empty())
        {
            return "";
        }
        const std::string dst = ScratchDir() + "/darpa.csv";
        gzFile in = gzopen(src.c_str(), "rb");
        FILE* out = std::fopen(dst.c_str(), "wb");
        if (in == nullptr || out == nullptr)
        {
            return "";
        }
        std::vector<char> buf(1 << 20);
        int n = 0;
        while ((n = gzread(in, buf.data(), static_cast<unsigned>(buf.size()))) > 0)
        {
            std::fwrite(buf.data(), 1, static_cast<size_t>(n), out);
        }
        gzclose(in);
        std::fclose(out);
        return dst;
    }();
    return path;
}

/// \return a synthetic packet table shaped like a capture (few hosts, many rows).
const EventTable&
SyntheticTable()
{
    static const EventTable table = [] {
        EventTable t(TraceKind::Packets);
        t.Reserve(kCanonicalRows);
        std::mt19937_64 rng(1);
        std::exponential_distribution<double> iat(2000.0);
        double ts = 1445353842.0;
        for (size_t i = 0; i < kCanonicalRows; ++i)
        {
            TraceEvent e;
            ts += iat(rng);
            e.ts = ts;
            e.src = IpAddr::FromV4(0x0a000000u + static_cast<uint32_t>(rng() % 500));
            e.dst = IpAddr::FromV4(0xac100000u + static_cast<uint32_t>(rng() % 300));
            e.proto = (i % 10 == 0) ? 17 : 6;
            e.srcPort = static_cast<int32_t>(1024 + rng() % 60000);
            e.dstPort = (i % 3 == 0) ? 443 : 80;
            e.size = static_cast<int32_t>(40 + rng() % 1460);
            e.tcpFlags = e.proto == 6 ? 0x18 : -1;
            e.ttl = 64;
            t.Append(e);
        }
        return t;
    }();
    return table;
}

/// \return the generated canonical CSV, written once.
const std::string&
CanonicalPath()
{
    static const std::string path = [] {
        const std::string p = ScratchDir() + "/canonical.csv";
        WriteCanonicalCsv(SyntheticTable(), p);
        return p;
    }();
    return path;
}

/// Runs \p read on \p path and reports records per second.
template <typename Read>
void
RunRead(benchmark::State& state, const std::string& path, Read read)
{
    uint64_t records = 0;
    for (auto _ : state)
    {
        EventTable t;
        ReadReport r;
        read(path, t, r);
        records += t.Size();
        benchmark::DoNotOptimize(t.Ts().data());
    }
    state.counters["records_per_s"] =
        benchmark::Counter(static_cast<double>(records), benchmark::Counter::kIsRate);
}

void
BM_ReadDarpaCsvGzip(benchmark::State& state)
{
    const std::string path = DarpaPath();
    if (path.empty())
    {
        state.SkipWithError(
            "shared trace darpa99-1999-03-01-packets.csv.gz not found under " TEMPONET_DATA_DIR);
        return;
    }
    RunRead(state, path, ReadDarpaCsv);
}

void
BM_ReadDarpaCsvPlain(benchmark::State& state)
{
    const std::string& path = DarpaPlainPath();
    if (path.empty())
    {
        state.SkipWithError(
            "shared trace darpa99-1999-03-01-packets.csv.gz not found under " TEMPONET_DATA_DIR);
        return;
    }
    RunRead(state, path, ReadDarpaCsv);
}

void
BM_ReadCanonicalCsv(benchmark::State& state)
{
    RunRead(state, CanonicalPath(), ReadCanonicalCsv);
}

void
BM_WriteCanonicalCsv(benchmark::State& state)
{
    const EventTable& t = SyntheticTable();
    const std::string out = ScratchDir() + "/written.csv";
    uint64_t records = 0;
    for (auto _ : state)
    {
        records += WriteCanonicalCsv(t, out).written;
    }
    state.counters["records_per_s"] =
        benchmark::Counter(static_cast<double>(records), benchmark::Counter::kIsRate);
}

BENCHMARK(BM_ReadDarpaCsvGzip)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReadDarpaCsvPlain)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReadCanonicalCsv)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_WriteCanonicalCsv)->Unit(benchmark::kMillisecond);

/// Removes the scratch folder when the program ends.
struct ScratchCleanup
{
    ~ScratchCleanup()
    {
        std::error_code ec;
        std::filesystem::remove_all(std::filesystem::temp_directory_path() /
                                        ("temponet-read-csv-bench-" + std::to_string(::getpid())),
                                    ec);
    }
} g_cleanup; //!< Runs at exit.

} // namespace

BENCHMARK_MAIN();
