/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "temponet-cli.h"

#include "temponet-atomic-file.h"
#include "temponet-line-reader.h"
#include "temponet-time-format.h"

#include <cstdio>
#include <iostream>
#include <vector>

namespace po = boost::program_options;

namespace ns3
{
namespace temponet
{
namespace cli
{

bool
ParseArgs(int argc,
          const char* const* argv,
          const std::string& usage,
          po::options_description& options,
          const po::positional_options_description& positional,
          po::variables_map& vm)
{
    options.add_options()("help,h", "show this help");
    try
    {
        po::store(po::command_line_parser(argc, argv).options(options).positional(positional).run(),
                  vm);
        if (vm.count("help"))
        {
            std::cout << usage << "\n\n" << options << "\n";
            return false;
        }
        po::notify(vm);
    }
    catch (const po::error& e)
    {
        throw UsageError(std::string(e.what()) + "\nusage: " + usage);
    }
    return true;
}

std::optional<TraceFormat>
FormatOption(const po::variables_map& vm)
{
    if (!vm.count("format"))
    {
        return std::nullopt;
    }
    const std::string name = vm["format"].as<std::string>();
    auto f = ParseFormatName(name);
    if (!f)
    {
        std::string known;
        for (const auto& n : FormatNames())
        {
            known += (known.empty() ? "" : ", ") + n;
        }
        throw UsageError("unknown --format '" + name + "'; known formats: " + known);
    }
    return f;
}

EventTable
LoadTrace(const std::string& path, std::optional<TraceFormat> format, ReadReport& report)
{
    EventTable table;
    ReadTrace(path, format, table, report);
    for (const auto& [reason, count] : report.skipped)
    {
        std::cerr << "temponet: " << path << ": skipped " << count << " record(s): " << reason
                  << "\n";
    }
    for (const auto& [reason, count] : report.partial)
    {
        std::cerr << "temponet: " << path << ": kept " << count << " record(s) in part: " << reason
                  << "\n";
    }
    if (!report.skipped.empty())
    {
        const size_t shown = std::min<size_t>(report.examples.size(), 5);
        for (size_t i = 0; i < shown; ++i)
        {
            std::cerr << "temponet:   e.g. " << report.examples[i] << "\n";
        }
    }
    return table;
}

double
ParseTimeArg(const std::string& text, double traceStart, const std::string& option)
{
    double value = 0;
    if (!text.empty() && text[0] == '+' && ParseDouble(text.substr(1), value))
    {
        return traceStart + value;
    }
    if (auto iso = ParseIso8601(text))
    {
        return *iso;
    }
    if (ParseDouble(text, value))
    {
        return value;
    }
    throw UsageError(option + " '" + text +
                     "' is not a time: give +SECONDS (after the first event), an ISO 8601 "
                     "date-time, or a timestamp in the trace's own seconds");
}

void
WriteJson(const nlohmann::json& j, const std::string& path)
{
    AtomicFile f(path);
    const std::string text = j.dump(2) + "\n";
    f.Write(text.data(), text.size());
    f.Commit();
}

std::string
FileDigest(const std::string& path)
{
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (f == nullptr)
    {
        throw std::runtime_error(path + ": cannot open");
    }
    uint64_t h = 1469598103934665603ULL;
    std::vector<unsigned char> buf(1 << 16);
    size_t n;
    while ((n = std::fread(buf.data(), 1, buf.size(), f)) > 0)
    {
        for (size_t i = 0; i < n; ++i)
        {
            h = (h ^ buf[i]) * 1099511628211ULL;
        }
    }
    std::fclose(f);
    char hex[17];
    std::snprintf(hex, sizeof(hex), "%016llx", static_cast<unsigned long long>(h));
    return hex;
}

} // namespace cli
} // namespace temponet
} // namespace ns3
