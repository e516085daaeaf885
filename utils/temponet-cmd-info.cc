/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "temponet-cli.h"
#include "temponet-model.h"
#include "temponet-torch-sampler.h"

#include <cstdio>
#include <iostream>

namespace po = boost::program_options;

namespace ns3
{
namespace temponet
{
namespace cli
{

int
RunInfo(int argc, const char* const* argv)
{
    po::options_description options("info options");
    options.add_options()("model",
                          po::value<std::string>()->required(),
                          "model file (.tpn)")("json", "print JSON on stdout instead of text");
    po::positional_options_description positional;
    positional.add("model", 1);
    po::variables_map vm;
    if (!ParseArgs(argc, argv, "temponet info MODEL.tpn [--json]", options, positional, vm))
    {
        return 0;
    }
    const std::string path = vm["model"].as<std::string>();
    const TempoNetModel model = TempoNetModel::Load(path);
    const Encoding& enc = model.GetEncoding();
    nlohmann::json j;
    j["file"] = path;
    j["kind"] = enc.Kind() == TraceKind::Flows ? "flows" : "packets";
    j["fields"] = nlohmann::json::array();
    for (MarkField f : enc.Fields())
    {
        const Vocabulary& v = enc.Vocab(f);
        size_t exact = 0;
        size_t buckets = 0;
        for (size_t t = 0; t < v.Size(); ++t)
        {
            exact += v.At(t).kind == Vocabulary::Kind::Exact ? 1 : 0;
            buckets += v.At(t).kind == Vocabulary::Kind::Bucket ? 1 : 0;
        }
        j["fields"].push_back(
            {{"name", FieldName(f)}, {"tokens", v.Size()}, {"exact", exact}, {"buckets", buckets}});
    }
    j["hosts"] = enc.Hosts().size();
    j["resolution_s"] = enc.Resolution();
    j["max_gap_s"] = enc.MaxGap();
    j["log_gap_mean"] = enc.LogGapMean();
    j["log_gap_std"] = enc.LogGapStd();
    j["calendar"] = {{"time_of_day", enc.TimeOfDayActive()},
                     {"day_of_week", enc.DayOfWeekActive()},
                     {"trend", enc.TrendActive()}};
    j["activity_scales_s"] = nlohmann::json::array();
    for (size_t k = 0; k < kActivityDim; ++k)
    {
        if (enc.ActivityActive(k))
        {
            j["activity_scales_s"].push_back(kActivityScales[k]);
        }
    }
    j["flow_slots"] = enc.FlowSlots();
    j["sampling_eta"] = TorchSampler::ModelEta(model);
    j["sampling_rate_scale"] = TorchSampler::ModelRateScale(model);
    j["sampling_truncate_marks"] = TorchSampler::ModelTruncatesMarks(model);
    const ModelSizes& s = model.Sizes();
    j["network"] = {{"hidden", s.hidden},
                    {"layers", s.layers},
                    {"mixture", s.mixture},
                    {"parameters", model.ParameterCount()}};
    j["training"] = model.Meta().value("training", nlohmann::json::object());
    j["provenance"] = model.Meta().value("provenance", nlohmann::json::object());
    if (vm.count("json"))
    {
        std::cout << j.dump(2) << "\n";
        return 0;
    }
    std::printf("model       %s\n", path.c_str());
    std::printf("kind        %s\n", j["kind"].get<std::string>().c_str());
    std::printf("fields     ");
    for (const auto& f : j["fields"])
    {
        std::printf(" %s(%zu)", f["name"].get<std::string>().c_str(), f["tokens"].get<size_t>());
    }
    std::printf("\nhosts       %zu\n", enc.Hosts().size());
    std::printf("resolution  %g s\n", enc.Resolution());
    std::printf("gaps        at most %g s (the training data's longest)\n", enc.MaxGap());
    std::printf("calendar    time of day %s, day of week %s, trend %s\n",
                enc.TimeOfDayActive() ? "active" : "inactive (training span too short)",
                enc.DayOfWeekActive() ? "active" : "inactive (training span too short)",
                enc.TrendActive() ? "active" : "inactive (left out)");
    std::printf("activity    recent rate over");
    if (j["activity_scales_s"].empty())
    {
        std::printf(" no scale (training span too short, calendar active, or left out)");
    }
    for (const auto& tau : j["activity_scales_s"])
    {
        std::printf(" %g s", tau.get<double>());
    }
    std::printf("\n");
    std::printf("sampling    eta %g%s (%s)\n",
                j["sampling_eta"].get<double>(),
                j["sampling_truncate_marks"].get<bool>() ? "" : " on the gap and continuation only",
                model.Meta().contains("sampling") ? "chosen by the free-running check"
                                                  : "the default: the model file names none");
    std::printf("            rate scale %g (%s)\n",
                j["sampling_rate_scale"].get<double>(),
                j["sampling_rate_scale"].get<double>() != 1.0
                    ? "calibrated by the free-running event count"
                    : "none: the learned rate");
    std::printf("network     GRU %lld x %lld, %lld-component log-normal mixture, %zu weights\n",
                static_cast<long long>(s.layers),
                static_cast<long long>(s.hidden),
                static_cast<long long>(s.mixture),
                model.ParameterCount());
    std::printf("training    %s\n", j["training"].dump().c_str());
    std::printf("provenance  %s\n", j["provenance"].dump().c_str());
    return 0;
}

} // namespace cli
} // namespace temponet
} // namespace ns3
