/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// `temponet eval`: fidelity of a synthetic trace against a real one.
#include "temponet-atomic-file.h"
#include "temponet-cli.h"
#include "temponet-fidelity.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <spawn.h>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace po = boost::program_options;

namespace ns3
{
namespace temponet
{
namespace cli
{

namespace
{

/// Points of the inter-arrival CDF drawn.
constexpr size_t kCdfPoints = 1000;
/// Smallest gap on the log axis: zero gaps are drawn here.
constexpr double kSmallestGap = 1e-6;

/// \return the JSON of a per-trace summary.
nlohmann::json
SeriesJson(const std::string& file, size_t events, const FidelityReport::Series& s)
{
    return {{"file", file},
            {"events", events},
            {"span_s", s.span},
            {"rate_per_s", s.rate},
            {"same_pair_prev", s.samePairPrev},
            {"dkc_violation_rate", s.dkc.Rate()},
            {"dkc_rules", s.dkc.byRule}};
}

/// \return the report as JSON: the keys of DESIGN section 7 and context.
nlohmann::json
ReportJson(const FidelityReport& r,
           const std::string& realFile,
           size_t realEvents,
           const std::string& synthFile,
           size_t synthEvents)
{
    nlohmann::json j;
    j["jsd"] = r.jsd;
    j["ks"] = r.ks;
    j["emd"] = r.emd;
    j["cmd"] = r.cmd;
    j["pcd"] = r.pcd;
    j["temporal"] = {{"acf_l2", r.acfL2},
                     {"count_ks", r.countKs},
                     {"rate_log_ratio", r.rateLogRatio},
                     {"window_s", r.windowSeconds}};
    j["sequence"] = {{"same_pair_prev", r.samePairPrev}};
    j["dkc_violation_rate"] = r.dkcViolationRate;
    j["cmd_columns"] = r.cmdColumns;
    j["pcd_columns"] = r.pcdColumns;
    j["resolution_s"] = r.resolution;
    j["synthetic_times_rounded"] = r.roundedSynthetic;
    j["real"] = SeriesJson(realFile, realEvents, r.real);
    j["synthetic"] = SeriesJson(synthFile, synthEvents, r.synthetic);
    nlohmann::json pairs = nlohmann::json::array();
    for (const auto& p : r.topPairs)
    {
        pairs.push_back({{"pair", p.pair}, {"real", p.real}, {"synthetic", p.synthetic}});
    }
    j["top_pairs"] = pairs;
    return j;
}

/// Prints one metric line of the text table.
void
PrintMetric(const std::string& name, double value, const std::string& note = "")
{
    if (std::isnan(value))
    {
        std::printf("  %-26s %10s  %s\n", name.c_str(), "n/a", note.c_str());
    }
    else
    {
        std::printf("  %-26s %10.4f  %s\n", name.c_str(), value, note.c_str());
    }
}

/// Prints the readable table.
void
PrintReport(const FidelityReport& r,
            const std::string& realFile,
            size_t realEvents,
            const std::string& synthFile,
            size_t synthEvents)
{
    char line[256];
    std::printf("real       %s: %zu events over %.1f s\n",
                realFile.c_str(),
                realEvents,
                r.real.span);
    std::printf("synthetic  %s: %zu events over %.1f s\n",
                synthFile.c_str(),
                synthEvents,
                r.synthetic.span);
    if (r.roundedSynthetic)
    {
        std::printf("times compared on the real trace's %g s grid\n", r.resolution);
    }
    std::printf("distances (lower is better, 0 = identical):\n");
    for (const auto& [name, v] : r.jsd)
    {
        PrintMetric("jsd." + name, v);
    }
    for (const auto& [name, v] : r.ks)
    {
        PrintMetric("ks." + name, v);
    }
    for (const auto& [name, v] : r.emd)
    {
        PrintMetric("emd." + name, v, "log scale, in real standard deviations");
    }
    PrintMetric("cmd", r.cmd, "contingency tables of field pairs");
    PrintMetric("pcd", r.pcd, "correlations of numeric fields");
    std::snprintf(line, sizeof(line), "windows of %g s", r.windowSeconds);
    PrintMetric("temporal.acf_l2", r.acfL2, line);
    PrintMetric("temporal.count_ks", r.countKs);
    std::snprintf(line,
                  sizeof(line),
                  "real %.4g/s, synthetic %.4g/s",
                  r.real.rate,
                  r.synthetic.rate);
    PrintMetric("temporal.rate_log_ratio", r.rateLogRatio, line);
    std::snprintf(line,
                  sizeof(line),
                  "real %.3f, synthetic %.3f",
                  r.real.samePairPrev,
                  r.synthetic.samePairPrev);
    PrintMetric("sequence.same_pair_prev", r.samePairPrev, line);
    std::snprintf(line, sizeof(line), "real %.4f", r.real.dkc.Rate());
    PrintMetric("dkc_violation_rate", r.dkcViolationRate, line);
    for (const auto& [rule, count] : r.synthetic.dkc.byRule)
    {
        if (count > 0)
        {
            std::printf("    %-24s %10llu synthetic record(s)\n",
                        rule.c_str(),
                        static_cast<unsigned long long>(count));
        }
    }
}

/// \return true when \p program is an executable file in a folder of $PATH.
bool
InPath(const std::string& program)
{
    const char* path = std::getenv("PATH");
    std::stringstream dirs(path != nullptr ? path : "");
    std::string dir;
    while (std::getline(dirs, dir, ':'))
    {
        const std::filesystem::path p = std::filesystem::path(dir.empty() ? "." : dir) / program;
        std::error_code ec;
        if (std::filesystem::is_regular_file(p, ec) && ::access(p.c_str(), X_OK) == 0)
        {
            return true;
        }
    }
    return false;
}

/// Writes \p text to \p path atomically.
void
WriteText(const std::string& path, const std::string& text)
{
    AtomicFile f(path);
    f.Write(text.data(), text.size());
    f.Commit();
}

/// \return gnuplot data rows "x cdf" of the sorted \p gaps, at most kCdfPoints.
std::string
CdfData(const std::vector<double>& gaps)
{
    std::ostringstream os;
    os.precision(9);
    const size_t n = gaps.size();
    const size_t points = std::min(n, kCdfPoints);
    for (size_t k = 0; k < points; ++k)
    {
        const size_t i = points == 1 ? n - 1 : k * (n - 1) / (points - 1);
        os << std::max(gaps[i], kSmallestGap) << " " << double(i + 1) / double(n) << "\n";
    }
    if (n == 0)
    {
        os << kSmallestGap << " 0\n"; // gnuplot refuses an empty file
    }
    return os.str();
}

/// \return gnuplot data rows "x y" of a series sampled every \p step from \p x0.
std::string
SeriesData(const std::vector<double>& y, double x0, double step)
{
    std::ostringstream os;
    os.precision(9);
    for (size_t i = 0; i < y.size(); ++i)
    {
        os << x0 + step * double(i) << " " << y[i] << "\n";
    }
    return os.str();
}

/**
 * Writes the data files and the gnuplot script of the four figures into
 * \p dir and runs gnuplot on it.
 * \throws std::runtime_error when gnuplot cannot run or fails.
 */
void
DrawPlots(const FidelityReport& r, const std::string& dir)
{
    std::filesystem::create_directories(dir);
    const std::filesystem::path d(dir);
    WriteText((d / "iat-cdf-real.dat").string(), CdfData(r.real.gaps));
    WriteText((d / "iat-cdf-synthetic.dat").string(), CdfData(r.synthetic.gaps));
    const bool hours = r.real.span > 3.0 * 3600.0;
    const double unit = hours ? 3600.0 : 1.0;
    WriteText((d / "counts-real.dat").string(),
              SeriesData(r.real.counts, 0.0, r.windowSeconds / unit));
    WriteText((d / "counts-synthetic.dat").string(),
              SeriesData(r.synthetic.counts, 0.0, r.windowSeconds / unit));
    WriteText((d / "acf-real.dat").string(), SeriesData(r.real.acf, 1.0, 1.0));
    WriteText((d / "acf-synthetic.dat").string(), SeriesData(r.synthetic.acf, 1.0, 1.0));
    std::ostringstream pairs;
    for (const auto& p : r.topPairs)
    {
        pairs << "\"" << p.pair << "\" " << p.real << " " << p.synthetic << "\n";
    }
    if (r.topPairs.empty())
    {
        pairs << "\"-\" 0 0\n";
    }
    WriteText((d / "host-pairs.dat").string(), pairs.str());

    std::ostringstream gp;
    gp << "# Figures of `temponet eval`; run `gnuplot temponet-eval.gp` in this folder.\n"
       << "set terminal pngcairo size 900,520 font ',10'\n"
       << "set key top left\nset grid\n"
       << "set style line 1 lc rgb '#1f77b4' lw 2\n"
       << "set style line 2 lc rgb '#d62728' lw 2\n"
       << "set output 'iat-cdf.png'\n"
       << "set title 'Inter-arrival time CDF'\nset logscale x\nset format x '10^{%L}'\n"
       << "set xlabel 'inter-arrival time (s; zero gaps drawn at 1 us)'\n"
       << "set ylabel 'fraction of gaps'\nset yrange [0:1]\n"
       << "plot 'iat-cdf-real.dat' with steps ls 1 title 'real', "
       << "'iat-cdf-synthetic.dat' with steps ls 2 title 'synthetic'\n"
       << "unset logscale x\nset format x '%g'\nset yrange [*:*]\n"
       << "set output 'counts.png'\n"
       << "set title sprintf('Events per %g s window', " << r.windowSeconds << ")\n"
       << "set xlabel 'time since the first event (" << (hours ? "h" : "s") << ")'\n"
       << "set ylabel 'events'\nset key top right\n"
       << "plot 'counts-real.dat' with lines ls 1 title 'real', "
       << "'counts-synthetic.dat' with lines ls 2 title 'synthetic'\n"
       << "set output 'acf.png'\n"
       << "set title 'Autocorrelation of the window counts'\n"
       << "set xlabel 'lag (windows)'\nset ylabel 'autocorrelation'\n"
       << "plot 'acf-real.dat' with linespoints ls 1 pt 7 ps 0.5 title 'real', "
       << "'acf-synthetic.dat' with linespoints ls 2 pt 7 ps 0.5 title 'synthetic'\n"
       << "set output 'host-pairs.png'\n"
       << "set title 'Busiest real host pairs'\nset ylabel 'share of events'\nset xlabel ''\n"
       << "set style data histograms\nset style histogram clustered gap 1\n"
       << "set style fill solid 0.8 border -1\nset boxwidth 0.9\n"
       << "set xtics rotate by 45 right font ',8'\nset bmargin 11\nset yrange [0:*]\n"
       << "plot 'host-pairs.dat' using 2:xtic(1) lc rgb '#1f77b4' title 'real', "
       << "'' using 3 lc rgb '#d62728' title 'synthetic'\n";
    const std::string script = "temponet-eval.gp";
    WriteText((d / script).string(), gp.str());

    // gnuplot runs in the figures' folder, so the script uses relative names.
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    // posix_spawn_file_actions_addchdir_np is glibc 2.29+ (bookworm has 2.36).
    posix_spawn_file_actions_addchdir_np(&actions, dir.c_str());
    const char* const args[] = {"gnuplot", script.c_str(), nullptr};
    pid_t pid = 0;
    const int rc =
        posix_spawnp(&pid, "gnuplot", &actions, nullptr, const_cast<char* const*>(args), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0)
    {
        throw std::runtime_error(std::string("cannot run gnuplot: ") + std::strerror(rc));
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0)
    {
        if (errno != EINTR)
        {
            throw std::runtime_error(std::string("waiting for gnuplot: ") + std::strerror(errno));
        }
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    {
        throw std::runtime_error("gnuplot failed on " + (d / script).string() + " (exit status " +
                                 std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) +
                                 ")");
    }
}

} // namespace

int
RunEval(int argc, const char* const* argv)
{
    po::options_description options("eval options");
    // clang-format off
    options.add_options()
        ("real", po::value<std::string>()->required(), "the real trace (the reference)")
        ("synthetic", po::value<std::string>()->required(), "the trace to score")
        ("format", po::value<std::string>(), "format of both traces (default: detect each)")
        ("json", po::value<std::string>(), "write the metrics as JSON to this file")
        ("plots", po::value<std::string>(),
         "draw PNG figures into this folder with gnuplot: iat-cdf, counts, host-pairs, acf")
        ("synthetic-span", po::value<double>(),
         "seconds the synthetic trace was generated for (default: its first to last event), "
         "so that a generator that stops early is caught by the rate and count metrics");
    // clang-format on
    po::positional_options_description positional;
    po::variables_map vm;
    const std::string usage = "temponet eval --real REAL --synthetic SYNTH [--format F] "
                              "[--json OUT] [--plots DIR] [--synthetic-span S]";
    if (!ParseArgs(argc, argv, usage, options, positional, vm))
    {
        return 0;
    }
    if (vm.count("plots") && !InPath("gnuplot"))
    {
        throw std::runtime_error("--plots needs gnuplot, which is not on PATH: install "
                                 "gnuplot-nox (scripts/install-deps does) or leave out --plots");
    }
    FidelityOptions fo;
    if (vm.count("synthetic-span"))
    {
        fo.syntheticSpan = vm["synthetic-span"].as<double>();
        if (!(fo.syntheticSpan > 0) || !std::isfinite(fo.syntheticSpan))
        {
            throw UsageError("--synthetic-span must be a positive number of seconds");
        }
    }
    const std::string realFile = vm["real"].as<std::string>();
    const std::string synthFile = vm["synthetic"].as<std::string>();
    ReadReport realReport;
    const EventTable real = LoadTrace(realFile, FormatOption(vm), realReport);
    ReadReport synthReport;
    const EventTable synth = LoadTrace(synthFile, FormatOption(vm), synthReport);
    if (real.Kind() != synth.Kind())
    {
        std::cerr << "temponet eval: warning: " << realFile << " holds "
                  << (real.Kind() == TraceKind::Flows ? "flows" : "packets") << " but " << synthFile
                  << " holds " << (synth.Kind() == TraceKind::Flows ? "flows" : "packets") << "\n";
    }
    FidelityReport r;
    try
    {
        r = Evaluate(real, synth, fo);
    }
    catch (const std::invalid_argument& e)
    {
        throw std::runtime_error(realFile + ": " + e.what());
    }
    PrintReport(r, realFile, real.Size(), synthFile, synth.Size());
    if (vm.count("json"))
    {
        WriteJson(ReportJson(r, realFile, real.Size(), synthFile, synth.Size()),
                  vm["json"].as<std::string>());
    }
    if (vm.count("plots"))
    {
        DrawPlots(r, vm["plots"].as<std::string>());
        std::cerr << "temponet eval: figures in " << vm["plots"].as<std::string>() << "\n";
    }
    return 0;
}

} // namespace cli
} // namespace temponet
} // namespace ns3
