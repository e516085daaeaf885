/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// `temponet generate`: synthetic traffic from a TempoNet model or a baseline.
#include "temponet-baseline-samplers.h"
#include "temponet-cli.h"
#include "temponet-generate.h"
#include "temponet-model.h"
#include "temponet-time-format.h"
#include "temponet-torch-runtime.h"
#include "temponet-torch-sampler.h"
#include "temponet-trace-writer.h"

#include <ns3/rng-seed-manager.h>

#include <filesystem>
#include <iostream>
#include <memory>
#include <stdexcept>

namespace po = boost::program_options;

namespace ns3
{
namespace temponet
{
namespace cli
{

namespace
{

/// Events of the prime trace's tail that warm the history.
constexpr size_t kDefaultPrimeEvents = 2048;

/**
 * \return the end (last event time, UTC seconds) of the model's training
 * data: derived from the training file its provenance names, when that file
 * is still there with the same digest; nothing otherwise.
 */
std::optional<double>
TrainingEnd(const TempoNetModel& model)
{
    const nlohmann::json& p = model.Meta().value("provenance", nlohmann::json::object());
    if (p.contains("data_end_ts") && p["data_end_ts"].is_number())
    {
        return p["data_end_ts"].get<double>();
    }
    if (!p.contains("input_file") || !p["input_file"].is_string())
    {
        return std::nullopt;
    }
    const std::string file = p["input_file"].get<std::string>();
    if (!std::filesystem::exists(file) ||
        (p.contains("input_fnv1a64") && p["input_fnv1a64"] != FileDigest(file)))
    {
        return std::nullopt;
    }
    ReadReport report;
    EventTable t;
    ReadTrace(file, std::nullopt, t, report);
    if (t.Empty())
    {
        return std::nullopt;
    }
    return t.Ts().back();
}

} // namespace

int
RunGenerate(int argc, const char* const* argv)
{
    po::options_description options("generate options");
    // clang-format off
    options.add_options()
        ("model", po::value<std::string>(), "TempoNet model file (.tpn)")
        ("baseline", po::value<std::string>(), "baseline instead of a model: poisson or replay")
        ("input", po::value<std::string>(), "training trace of the baseline")
        ("format", po::value<std::string>(), "format of --input and --prime (default: detect)")
        ("duration", po::value<double>()->required(), "seconds of traffic to generate")
        ("start", po::value<std::string>(),
         "start time, ISO 8601 (UTC unless an offset is given); default: the end of the "
         "training data (of the --prime trace when given)")
        ("rate-scale", po::value<double>()->default_value(1.0),
         "multiply the event rate (the marks' distribution is kept)")
        ("eta", po::value<double>(),
         "model: eta truncation of the drawn distributions, in [0, 1) (0: none; "
         "default: the level the model was trained with, see info)")
        ("seed", po::value<uint32_t>()->default_value(1), "ns-3 RngSeed (> 0)")
        ("run", po::value<uint64_t>()->default_value(1), "ns-3 RngRun")
        ("prime", po::value<std::string>(), "warm the history with the tail of this real trace")
        ("prime-events", po::value<size_t>()->default_value(kDefaultPrimeEvents),
         "events of the --prime trace's tail used")
        ("replay-offset", po::value<double>()->default_value(0.0),
         "replay baseline: seconds after the trace's start where the replay begins")
        ("hosts", po::value<std::string>(),
         "keep only events whose source lies in these networks (CIDR,CIDR,...)")
        ("max-events", po::value<uint64_t>()->default_value(0), "most events written (0: no limit)")
        ("out", po::value<std::string>()->required(), "output: .csv (canonical) or .pcap")
        ("report", po::value<std::string>(), "JSON report to write (what was sampled, kept, repaired)");
    // clang-format on
    po::positional_options_description positional;
    po::variables_map vm;
    const std::string usage =
        "temponet generate (--model M.tpn | --baseline poisson|replay --input TRAIN)\n"
        "                  --duration S [--start ISO8601] [--rate-scale X] [--eta E]\n"
        "                  [--seed S] [--run R]\n"
        "                  [--prime FILE] [--hosts CIDR,...] [--max-events N] --out FILE";
    if (!ParseArgs(argc, argv, usage, options, positional, vm))
    {
        return 0;
    }
    if (vm.count("model") == vm.count("baseline"))
    {
        throw UsageError("give either --model or --baseline");
    }
    if (vm.count("baseline") && !vm.count("input"))
    {
        throw UsageError("--baseline needs --input TRAIN");
    }
    const double duration = vm["duration"].as<double>();
    if (!(duration > 0) || !std::isfinite(duration))
    {
        throw UsageError("--duration must be a positive number of seconds");
    }
    const uint32_t seed = vm["seed"].as<uint32_t>();
    if (seed == 0)
    {
        throw UsageError("--seed must be positive");
    }
    const double rateScale = vm["rate-scale"].as<double>();
    if (!(rateScale > 0) || !std::isfinite(rateScale))
    {
        throw UsageError("--rate-scale must be a positive number");
    }
    const std::string out = vm["out"].as<std::string>();
    const std::string ext = std::filesystem::path(out).extension().string();
    if (ext != ".csv" && ext != ".pcap")
    {
        throw UsageError("--out must end in .csv or .pcap");
    }
    GenerateOptions go;
    go.duration = duration;
    go.maxEvents = vm["max-events"].as<uint64_t>();
    if (vm.count("hosts"))
    {
        try
        {
            go.hosts = ParseNetworks(vm["hosts"].as<std::string>());
        }
        catch (const std::invalid_argument& e)
        {
            throw UsageError(std::string("--hosts: ") + e.what());
        }
    }

    RngSeedManager::SetSeed(seed);
    RngSeedManager::SetRun(vm["run"].as<uint64_t>());
    TorchRuntime::SetThreads(1);

    std::unique_ptr<TempoNetModel> model;
    EventTable train;
    std::unique_ptr<Sampler> sampler;
    std::optional<double> dataEnd;
    if (vm.count("model"))
    {
        model = std::make_unique<TempoNetModel>(TempoNetModel::Load(vm["model"].as<std::string>()));
        auto torch = std::make_unique<TorchSampler>(*model);
        if (vm.count("eta"))
        {
            try
            {
                torch->SetEta(vm["eta"].as<double>());
            }
            catch (const std::invalid_argument&)
            {
                throw UsageError("--eta must lie in [0, 1)");
            }
        }
        sampler = std::move(torch);
    }
    else
    {
        ReadReport report;
        train = LoadTrace(vm["input"].as<std::string>(), FormatOption(vm), report);
        const std::string b = vm["baseline"].as<std::string>();
        if (b == "poisson")
        {
            sampler = std::make_unique<PoissonMarginalSampler>(train);
        }
        else if (b == "replay")
        {
            sampler = std::make_unique<ReplaySampler>(train, vm["replay-offset"].as<double>());
        }
        else
        {
            throw UsageError("--baseline must be poisson or replay");
        }
        dataEnd = train.Ts().back();
    }
    sampler->AssignStreams(0);
    sampler->SetRateScale(rateScale);

    if (vm.count("prime"))
    {
        ReadReport report;
        EventTable prime = LoadTrace(vm["prime"].as<std::string>(), FormatOption(vm), report);
        if (prime.Empty())
        {
            throw std::runtime_error("--prime trace has no events");
        }
        const size_t keep = std::min(prime.Size(), vm["prime-events"].as<size_t>());
        prime = prime.Rows(prime.Size() - keep, prime.Size());
        sampler->Prime(prime);
        dataEnd = prime.Ts().back();
        std::cerr << "temponet generate: primed with the last " << keep << " event(s) of "
                  << vm["prime"].as<std::string>() << "\n";
    }
    if (vm.count("start"))
    {
        const auto s = ParseIso8601(vm["start"].as<std::string>());
        if (!s)
        {
            throw UsageError("--start '" + vm["start"].as<std::string>() +
                             "' is not an ISO 8601 date-time");
        }
        go.start = *s;
    }
    else
    {
        if (!dataEnd && model)
        {
            dataEnd = TrainingEnd(*model);
        }
        if (!dataEnd)
        {
            throw UsageError("the end of the model's training data is unknown (its training "
                             "file is gone or changed): give --start");
        }
        go.start = *dataEnd;
    }
    if (!vm.count("prime"))
    {
        sampler->Reset(go.start);
    }

    GenerateResult r = Generate(*sampler, go);
    const WriteReport w = WriteTrace(r.events, out);
    std::cerr << "temponet generate: " << sampler->Name() << ", seed " << seed << " run "
              << vm["run"].as<uint64_t>() << ", from " << FormatIso8601(go.start) << " for "
              << duration << " s at rate scale " << rateScale << "\n";
    std::cerr << "temponet generate: sampled " << r.sampled << " event(s), " << r.filtered
              << " left out by --hosts, wrote " << w.written << " to " << out << "\n";
    for (const auto& [reason, count] : r.repairs)
    {
        std::cerr << "temponet generate: repaired " << count << " event(s): " << reason << "\n";
    }
    for (const auto& [reason, count] : w.repaired)
    {
        std::cerr << "temponet generate: " << out << ": writer repaired " << count
                  << " record(s): " << reason << "\n";
    }
    for (const auto& [reason, count] : w.skipped)
    {
        std::cerr << "temponet generate: " << out << ": writer left out " << count
                  << " record(s): " << reason << "\n";
    }
    if (vm.count("report"))
    {
        nlohmann::json report;
        report["generator"] = sampler->Name();
        report["seed"] = seed;
        report["run"] = vm["run"].as<uint64_t>();
        report["start_ts"] = go.start;
        report["start_utc"] = FormatIso8601(go.start);
        report["duration_s"] = duration;
        report["rate_scale"] = rateScale;
        report["sampled"] = r.sampled;
        report["filtered"] = r.filtered;
        report["written"] = w.written;
        report["out"] = out;
        report["sampler_repairs"] = r.repairs;
        report["writer_repaired"] = w.repaired;
        report["writer_skipped"] = w.skipped;
        WriteJson(report, vm["report"].as<std::string>());
    }
    return 0;
}

} // namespace cli
} // namespace temponet
} // namespace ns3
