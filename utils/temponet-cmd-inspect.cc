/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "temponet-cli.h"
#include "temponet-time-format.h"
#include "temponet-trace-summary.h"

#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

namespace po = boost::program_options;

namespace ns3
{
namespace temponet
{
namespace cli
{

namespace
{

nlohmann::json
CountsJson(const std::vector<TraceSummary::Count>& counts, const char* keyName)
{
    nlohmann::json out = nlohmann::json::array();
    for (const auto& c : counts)
    {
        out.push_back({{keyName, c.key}, {"count", c.count}});
    }
    return out;
}

std::string
CountsText(const std::vector<TraceSummary::Count>& counts)
{
    std::string out;
    for (const auto& c : counts)
    {
        out += (out.empty() ? "" : ", ") + c.key + " " + std::to_string(c.count);
    }
    return out.empty() ? "-" : out;
}

std::string
ResolutionText(double r)
{
    if (r <= 0)
    {
        return "finer than 1 us";
    }
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%g s", r);
    return buf;
}

} // namespace

int
RunInspect(int argc, const char* const* argv)
{
    po::options_description options("inspect options");
    options.add_options()("file", po::value<std::string>()->required(), "trace to read")(
        "format",
        po::value<std::string>(),
        "pcap, ugr16, zeek-conn, argus, darpa-csv or canonical (default: detect)")(
        "json",
        "print JSON on stdout instead of text")("top",
                                                po::value<size_t>()->default_value(10),
                                                "length of the top-N lists");
    po::positional_options_description positional;
    positional.add("file", 1);
    po::variables_map vm;
    if (!ParseArgs(argc,
                   argv,
                   "temponet inspect FILE [--format F] [--json] [--top N]",
                   options,
                   positional,
                   vm))
    {
        return 0;
    }
    const std::string path = vm["file"].as<std::string>();
    ReadReport report;
    EventTable table = LoadTrace(path, FormatOption(vm), report);
    const TraceSummary s = Summarize(table, vm["top"].as<size_t>());
    const char* kind = table.Kind() == TraceKind::Flows ? "flows" : "packets";

    if (vm.count("json"))
    {
        nlohmann::json j;
        j["file"] = path;
        j["format"] = report.format;
        j["kind"] = kind;
        j["records"] = report.records;
        j["skipped"] = report.skipped;
        j["partial"] = report.partial;
        j["span_s"] = s.spanSeconds;
        j["start_ts"] = s.startTs;
        j["end_ts"] = s.endTs;
        j["start_utc"] = FormatIso8601(s.startTs);
        j["hosts"] = s.hosts;
        j["pairs"] = s.pairs;
        j["resolution_s"] = s.resolution;
        j["tied_fraction"] = s.tiedFraction;
        j["protocols"] = s.protocols;
        j["top_ports"] = CountsJson(s.topPorts, "port");
        j["top_pairs"] = CountsJson(s.topPairs, "pair");
        std::cout << j.dump(2) << "\n";
        return 0;
    }
    std::printf("file        %s\n", path.c_str());
    std::printf("format      %s (%s)\n", report.format.c_str(), kind);
    std::printf("records     %llu\n", static_cast<unsigned long long>(report.records));
    std::printf("skipped     %llu\n", static_cast<unsigned long long>(report.SkippedTotal()));
    for (const auto& [reason, count] : report.skipped)
    {
        std::printf("  %-40s %llu\n", reason.c_str(), static_cast<unsigned long long>(count));
    }
    std::printf("span        %.6f s (%s to %s)\n",
                s.spanSeconds,
                FormatIso8601(s.startTs).c_str(),
                FormatIso8601(s.endTs).c_str());
    std::printf("resolution  %s (%.1f %% of gaps are ties)\n",
                ResolutionText(s.resolution).c_str(),
                100.0 * s.tiedFraction);
    std::printf("hosts       %llu\n", static_cast<unsigned long long>(s.hosts));
    std::printf("pairs       %llu\n", static_cast<unsigned long long>(s.pairs));
    std::string protos;
    for (const auto& [name, count] : s.protocols)
    {
        protos += (protos.empty() ? "" : ", ") + name + " " + std::to_string(count);
    }
    std::printf("protocols   %s\n", protos.c_str());
    std::printf("top ports   %s\n", CountsText(s.topPorts).c_str());
    std::printf("top pairs   %s\n", CountsText(s.topPairs).c_str());
    return 0;
}

} // namespace cli
} // namespace temponet
} // namespace ns3
