/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "temponet-cli.h"
#include "temponet-trace-writer.h"

#include <filesystem>
#include <iostream>
#include <limits>

namespace po = boost::program_options;

namespace ns3
{
namespace temponet
{
namespace cli
{

namespace
{

/// Prints what a writer changed or left out (never silent).
void
PrintWriteReport(const std::string& path, const WriteReport& w)
{
    std::cerr << "temponet: wrote " << w.written << " record(s) to " << path << "\n";
    for (const auto& [reason, count] : w.repaired)
    {
        std::cerr << "temponet: " << path << ": repaired " << count << " record(s): " << reason
                  << "\n";
    }
    for (const auto& [reason, count] : w.skipped)
    {
        std::cerr << "temponet: " << path << ": left out " << count << " record(s): " << reason
                  << "\n";
    }
}

} // namespace

int
RunConvert(int argc, const char* const* argv)
{
    po::options_description options("convert options");
    options.add_options()("in", po::value<std::string>()->required(), "trace to read")(
        "out",
        po::value<std::string>()->required(),
        "output: .csv (canonical) or .pcap")("format",
                                             po::value<std::string>(),
                                             "input format (default: detect)")(
        "from",
        po::value<std::string>(),
        "keep events at or after this time")("until",
                                             po::value<std::string>(),
                                             "keep events before this time");
    po::positional_options_description positional;
    positional.add("in", 1).add("out", 1);
    po::variables_map vm;
    const std::string usage =
        "temponet convert IN OUT [--format F] [--from T] [--until T]\n"
        "  OUT's extension picks the writer: .csv (canonical CSV) or .pcap.\n"
        "  T is +SECONDS after the first event, an ISO 8601 date-time (UTC unless an\n"
        "  offset is given), or a timestamp in the trace's own seconds.";
    if (!ParseArgs(argc, argv, usage, options, positional, vm))
    {
        return 0;
    }
    const std::string in = vm["in"].as<std::string>();
    const std::string out = vm["out"].as<std::string>();
    if (std::filesystem::exists(out) && std::filesystem::equivalent(in, out))
    {
        throw UsageError("OUT must differ from IN");
    }
    ReadReport report;
    EventTable table = LoadTrace(in, FormatOption(vm), report);
    const double start = table.Empty() ? 0.0 : table.Ts().front();
    double from = -std::numeric_limits<double>::infinity();
    double until = std::numeric_limits<double>::infinity();
    if (vm.count("from"))
    {
        from = ParseTimeArg(vm["from"].as<std::string>(), start, "--from");
    }
    if (vm.count("until"))
    {
        until = ParseTimeArg(vm["until"].as<std::string>(), start, "--until");
    }
    if (from >= until)
    {
        throw UsageError("--from must be before --until");
    }
    if (vm.count("from") || vm.count("until"))
    {
        table = table.Slice(from, until);
    }
    PrintWriteReport(out, WriteTrace(table, out));
    return 0;
}

int
RunSplit(int argc, const char* const* argv)
{
    po::options_description options("split options");
    options.add_options()("in", po::value<std::string>()->required(), "trace to read")(
        "train",
        po::value<std::string>()->required(),
        "first part (.csv or .pcap)")("test",
                                      po::value<std::string>()->required(),
                                      "second part (.csv or .pcap)")(
        "frac",
        po::value<double>()->required(),
        "fraction of the time span in the first part, in (0, 1)")("format",
                                                                  po::value<std::string>(),
                                                                  "input format (default: detect)");
    po::positional_options_description positional;
    positional.add("in", 1).add("train", 1).add("test", 1);
    po::variables_map vm;
    const std::string usage =
        "temponet split IN --frac F TRAIN TEST\n"
        "  Events before first + F * span go to TRAIN, the rest to TEST (by time, not rows).";
    if (!ParseArgs(argc, argv, usage, options, positional, vm))
    {
        return 0;
    }
    const double frac = vm["frac"].as<double>();
    if (!(frac > 0.0 && frac < 1.0))
    {
        throw UsageError("--frac must lie strictly between 0 and 1, got " + std::to_string(frac));
    }
    const std::string in = vm["in"].as<std::string>();
    const std::string trainPath = vm["train"].as<std::string>();
    const std::string testPath = vm["test"].as<std::string>();
    if (trainPath == testPath)
    {
        throw UsageError("TRAIN and TEST must be different files");
    }
    ReadReport report;
    EventTable table = LoadTrace(in, FormatOption(vm), report);
    if (table.Size() < 2)
    {
        throw std::runtime_error(in + ": fewer than two events, nothing to split");
    }
    const double cut = table.Ts().front() + frac * table.SpanSeconds();
    const double inf = std::numeric_limits<double>::infinity();
    const EventTable train = table.Slice(-inf, cut);
    const EventTable test = table.Slice(cut, inf);
    PrintWriteReport(trainPath, WriteTrace(train, trainPath));
    try
    {
        PrintWriteReport(testPath, WriteTrace(test, testPath));
    }
    catch (...)
    {
        // Leave no half of a split behind looking complete.
        std::filesystem::remove(trainPath);
        throw;
    }
    std::cerr << "temponet: split at ts " << std::to_string(cut) << ": " << train.Size() << " + "
              << test.Size() << " events\n";
    return 0;
}

} // namespace cli
} // namespace temponet
} // namespace ns3
