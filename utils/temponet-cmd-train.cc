/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "temponet-baseline-nll.h"
#include "temponet-cli.h"
#include "temponet-generate.h"
#include "temponet-model.h"
#include "temponet-torch-runtime.h"
#include "temponet-torch-sampler.h"
#include "temponet-trainer.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <unistd.h>

namespace po = boost::program_options;

namespace ns3
{
namespace temponet
{
namespace cli
{

namespace
{

/// Draws training progress: a bar on a terminal, a plain line every 10 s otherwise.
class ProgressPrinter
{
  public:
    ProgressPrinter()
        : m_tty(isatty(STDERR_FILENO) != 0),
          m_last(std::chrono::steady_clock::now())
    {
    }

    void operator()(const TrainProgress& p)
    {
        const auto now = std::chrono::steady_clock::now();
        if (p.epochEnd)
        {
            if (m_tty)
            {
                std::fprintf(stderr, "\n");
            }
            std::fprintf(stderr,
                         "temponet train: epoch %zu/%zu: validation NLL %.4f nats/event, "
                         "%.0f events/s\n",
                         p.epoch,
                         p.epochs,
                         p.valNll,
                         p.eventsPerSecond);
            m_last = now;
            return;
        }
        if (m_tty)
        {
            const int width = 30;
            const int filled = static_cast<int>(width * double(p.step) / double(p.steps));
            std::fprintf(stderr,
                         "\repoch %zu/%zu [%s%s] %zu/%zu loss %.3f  %.0f ev/s  ETA %s   ",
                         p.epoch,
                         p.epochs,
                         std::string(filled, '#').c_str(),
                         std::string(width - filled, '.').c_str(),
                         p.step,
                         p.steps,
                         p.loss,
                         p.eventsPerSecond,
                         Duration(p.etaSeconds).c_str());
            std::fflush(stderr);
            return;
        }
        if (std::chrono::duration<double>(now - m_last).count() >= 10.0)
        {
            std::fprintf(stderr,
                         "temponet train: epoch %zu/%zu step %zu/%zu loss %.3f %.0f events/s "
                         "ETA %s\n",
                         p.epoch,
                         p.epochs,
                         p.step,
                         p.steps,
                         p.loss,
                         p.eventsPerSecond,
                         Duration(p.etaSeconds).c_str());
            m_last = now;
        }
    }

  private:
    static std::string Duration(double s)
    {
        char buf[32];
        const long t = static_cast<long>(s);
        std::snprintf(buf, sizeof(buf), "%ldm%02lds", t / 60, t % 60);
        return buf;
    }

    bool m_tty;
    std::chrono::steady_clock::time_point m_last;
};

/// Prints one NLL table: rows are heads in chain order, columns are models.
void
PrintNllTable(const NllReport& order,
              const std::vector<std::pair<std::string, nlohmann::json>>& columns)
{
    std::vector<std::string> keys{"total", "time"};
    for (const auto& [head, sum] : order.marks)
    {
        keys.push_back(head);
    }
    std::printf("%-12s", "nats/event");
    for (const auto& [name, j] : columns)
    {
        std::printf(" %16s", name.c_str());
    }
    std::printf("\n");
    for (const auto& key : keys)
    {
        std::printf("%-12s", key.c_str());
        for (const auto& [name, j] : columns)
        {
            if (j.contains(key))
            {
                std::printf(" %16.4f", j[key].get<double>());
            }
            else
            {
                std::printf(" %16s", "-");
            }
        }
        std::printf("\n");
    }
}

nlohmann::json
BaselinesJson(const NllReport& poisson, const NllReport& markov)
{
    return {{"poisson_marginal", poisson.PerEventJson()}, {"markov", markov.PerEventJson()}};
}

} // namespace

int
RunTrain(int argc, const char* const* argv)
{
    TrainOptions o;
    po::options_description options("train options");
    options.add_options()("input", po::value<std::string>()->required(), "trace to learn")(
        "format",
        po::value<std::string>(),
        "input format (default: detect)")(
        "out",
        po::value<std::string>()->required(),
        "model file to write (.tpn)")("report", po::value<std::string>(), "JSON report to write")(
        "epochs",
        po::value<size_t>(&o.epochs)->default_value(o.epochs),
        "most epochs")("patience",
                       po::value<size_t>(&o.patience)->default_value(o.patience),
                       "epochs without validation gain before stopping")(
        "hidden",
        po::value<int64_t>(&o.sizes.hidden)->default_value(o.sizes.hidden),
        "GRU size")("layers",
                    po::value<int64_t>(&o.sizes.layers)->default_value(o.sizes.layers),
                    "GRU layers")(
        "mixture",
        po::value<int64_t>(&o.sizes.mixture)->default_value(o.sizes.mixture),
        "log-normal mixture components")("batch",
                                         po::value<size_t>(&o.batch)->default_value(o.batch),
                                         "windows per step")(
        "window",
        po::value<size_t>(&o.window)->default_value(o.window),
        "events per window")(
        "max-steps-per-epoch",
        po::value<size_t>(&o.maxStepsPerEpoch)->default_value(o.maxStepsPerEpoch),
        "cap on steps per epoch (0: none)")(
        "min-steps-per-epoch",
        po::value<size_t>(&o.minStepsPerEpoch)->default_value(o.minStepsPerEpoch),
        "fewest steps per epoch: a short trace is passed over several times")(
        "lr",
        po::value<double>(&o.learningRate)->default_value(o.learningRate),
        "learning rate at the start")(
        "lr-drops",
        po::value<size_t>(&o.lrDrops)->default_value(o.lrDrops),
        "most drops of the learning rate to a third, each after half the patience without "
        "validation gain")("val-frac",
                           po::value<double>(&o.valFraction)->default_value(o.valFraction),
                           "last fraction of the time span used for validation")(
        "fixed-weights",
        "weight every head 1 instead of learned uncertainty weights")(
        "sampled-history",
        po::value<double>(&o.sampledHistory)->default_value(o.sampledHistory),
        "share of history events replaced by the model's own samples (scheduled sampling, "
        "0 to below 1)")("no-activity", "leave out the activity features (recent event rates)")(
        "no-trend",
        "leave out the trend feature (the position in the training span)")(
        "no-rate-calibration",
        "keep the learned event rate (no rate scale from the free-running check)")(
        "numeric-bins",
        po::value<size_t>(&o.encoding.numericBins)->default_value(o.encoding.numericBins),
        "log-spaced bins of size, duration, packets and bytes (2 to 256)")(
        "seed",
        po::value<uint64_t>(&o.seed)->default_value(o.seed),
        "random seed")("threads",
                       po::value<int>(&o.threads)->default_value(o.threads),
                       "LibTorch threads")("checkpoint",
                                           po::value<std::string>(&o.checkpointPath),
                                           "checkpoint file to keep")(
        "checkpoint-every",
        po::value<size_t>(&o.checkpointEvery)->default_value(0),
        "steps between checkpoints (0: each epoch)")(
        "stop-after-steps",
        po::value<size_t>(&o.stopAfterSteps)->default_value(0),
        "stop after this many steps, leaving a checkpoint to --resume")(
        "resume",
        po::value<std::string>(&o.resumePath),
        "checkpoint to continue from");
    po::positional_options_description positional;
    po::variables_map vm;
    const std::string usage =
        "temponet train --input FILE [--format F] --out MODEL.tpn [--report R.json]\n"
        "               [--epochs N] [--hidden H] [--seed S] [--threads T] [--resume CKPT]";
    if (!ParseArgs(argc, argv, usage, options, positional, vm))
    {
        return 0;
    }
    o.fixedWeights = vm.count("fixed-weights") > 0;
    o.encoding.trend = vm.count("no-trend") == 0;
    if (vm.count("no-activity"))
    {
        o.encoding.activityMinScales = HUGE_VAL;
    }
    if (o.encoding.numericBins < 2 || o.encoding.numericBins > 256)
    {
        throw UsageError("--numeric-bins must lie in 2..256");
    }
    if (!(o.sampledHistory >= 0.0 && o.sampledHistory < 1.0))
    {
        throw UsageError("--sampled-history must lie in [0, 1)");
    }
    if (o.threads < 1)
    {
        throw UsageError("--threads must be at least 1");
    }
    if (!o.resumePath.empty() && o.checkpointPath.empty())
    {
        o.checkpointPath = o.resumePath;
    }
    const std::string input = vm["input"].as<std::string>();
    const std::string out = vm["out"].as<std::string>();
    ReadReport readReport;
    EventTable table = LoadTrace(input, FormatOption(vm), readReport);
    ProgressPrinter printer;
    o.progress = [&printer](const TrainProgress& p) { printer(p); };
    nlohmann::json provenance = {{"input_file", input},
                                 {"input_fnv1a64", FileDigest(input)},
                                 {"input_format", readReport.format},
                                 {"input_records", readReport.records},
                                 {"input_skipped", readReport.skipped}};
    if (!table.Empty())
    {
        // The training data's span: generation starts at its end by default.
        provenance["data_start_ts"] = table.Ts().front();
        provenance["data_end_ts"] = table.Ts().back();
    }
    TrainResult r = Train(table, o, provenance);
    if (r.interrupted)
    {
        std::cerr << "temponet train: stopped after " << o.stopAfterSteps
                  << " steps; checkpoint in " << o.checkpointPath << "\n";
        return 0;
    }
    // Likelihood is not the goal: run the model free over the validation
    // window and compare its output with the real events there, at each
    // candidate eta truncation level; the model keeps the best.
    const EtaChoice choice = ChooseEta(r.model, table, r.trainEvents, o.primeEvents);
    // Then its event rate: the free run's count against the real one.
    RateCalibration calibration;
    calibration.before = calibration.after = choice.report;
    if (!vm.count("no-rate-calibration"))
    {
        calibration = CalibrateRate(r.model, table, r.trainEvents, o.primeEvents, &choice.report);
    }
    const FreeRunReport& free = calibration.after;
    r.model.Save(out);
    nlohmann::json report;
    report["model"] = out;
    report["val_nll_per_event"] = r.val.PerEventJson();
    report["baseline_nll_per_event"] = BaselinesJson(r.valPoissonMarginal, r.valMarkov);
    report["train_events"] = r.trainEvents;
    report["val_events"] = r.valEvents;
    report["epochs"] = r.epochs;
    report["best_epoch"] = r.bestEpoch;
    report["stopped_early"] = r.stoppedEarly;
    report["val_history"] = r.valHistory;
    report["events_per_s"] = r.eventsPerSecond;
    report["train_seconds"] = r.wallSeconds;
    report["threads"] = o.threads;
    report["parameters"] = r.model.ParameterCount();
    auto freeJson = [](const FreeRunReport& f) {
        return nlohmann::json{{"real_events", f.realEvents},
                              {"generated_events", f.generatedEvents},
                              {"rate_log_ratio", f.rateLogRatio},
                              {"host_pair_jsd", f.hostPairJsd},
                              {"capped", f.capped},
                              {"run_events", f.runEvents}};
    };
    report["free_running"] = freeJson(free);
    report["free_running"]["eta"] = choice.eta;
    report["free_running"]["truncate_marks"] = choice.truncateMarks;
    report["free_running"]["rate_scale"] = calibration.rateScale;
    report["free_running_uncalibrated"] = freeJson(calibration.before);
    report["free_running_by_eta"] = nlohmann::json::array();
    for (const EtaChoice::Trial& t : choice.tried)
    {
        nlohmann::json j = freeJson(t.report);
        j["eta"] = t.eta;
        j["truncate_marks"] = t.truncateMarks;
        report["free_running_by_eta"].push_back(j);
    }
    if (vm.count("report"))
    {
        WriteJson(report, vm["report"].as<std::string>());
    }
    if (free.rateLogRatio > std::log(1.5) || free.hostPairJsd > 0.5)
    {
        std::cerr << "temponet train: warning: run free over the validation window, the model "
                     "generated "
                  << free.generatedEvents << " events against " << free.realEvents
                  << " real ones (host-pair JSD " << free.hostPairJsd
                  << "): check its output before using it\n";
    }
    PrintNllTable(r.val,
                  {{"temponet", report["val_nll_per_event"]},
                   {"poisson_marginal", report["baseline_nll_per_event"]["poisson_marginal"]},
                   {"markov", report["baseline_nll_per_event"]["markov"]}});
    std::cerr << "temponet train: free run over the validation window (" << free.realEvents
              << " real events):";
    for (const EtaChoice::Trial& t : choice.tried)
    {
        std::cerr << " eta " << t.eta << (t.truncateMarks ? "" : " (marks whole)") << ": "
                  << t.report.generatedEvents << " events, host-pair JSD " << t.report.hostPairJsd
                  << ";";
    }
    std::cerr << " the model samples with eta " << choice.eta
              << (choice.truncateMarks || choice.eta == 0.0 ? "" : ", the marks whole") << "\n";
    if (calibration.rateScale != 1.0)
    {
        std::cerr << "temponet train: rate calibrated by " << calibration.rateScale << ": "
                  << calibration.before.generatedEvents << " -> " << free.generatedEvents
                  << " events against " << free.realEvents << " real (host-pair JSD "
                  << free.hostPairJsd << ")\n";
    }
    std::cerr << "temponet train: wrote " << out << " (" << r.epochs << " epochs, best "
              << r.bestEpoch << ", " << static_cast<long>(r.eventsPerSecond) << " events/s)\n";
    return 0;
}

int
RunNll(int argc, const char* const* argv)
{
    po::options_description options("nll options");
    size_t prime = 2048;
    options.add_options()("model", po::value<std::string>()->required(), "model file (.tpn)")(
        "train",
        po::value<std::string>()->required(),
        "trace the baselines are fitted on")("input",
                                             po::value<std::string>()->required(),
                                             "held-out trace to score")(
        "format",
        po::value<std::string>(),
        "format of both traces (default: detect)")(
        "prime",
        po::value<size_t>(&prime)->default_value(prime),
        "events at the end of TRAIN run through the model first")(
        "threads",
        po::value<int>()->default_value(1),
        "LibTorch threads")("json", po::value<std::string>(), "JSON report to write");
    po::positional_options_description positional;
    po::variables_map vm;
    const std::string usage =
        "temponet nll --model MODEL.tpn --train TRAIN --input TEST [--json OUT]";
    if (!ParseArgs(argc, argv, usage, options, positional, vm))
    {
        return 0;
    }
    TorchRuntime::SetThreads(vm["threads"].as<int>());
    TempoNetModel model = TempoNetModel::Load(vm["model"].as<std::string>());
    const std::string trainPath = vm["train"].as<std::string>();
    const std::string testPath = vm["input"].as<std::string>();
    ReadReport trainReport;
    ReadReport testReport;
    EventTable all = LoadTrace(trainPath, FormatOption(vm), trainReport);
    const EventTable test = LoadTrace(testPath, FormatOption(vm), testReport);
    const size_t from = all.Size();
    if (from < 2 || test.Empty())
    {
        throw std::runtime_error("need at least two TRAIN events and one TEST event");
    }
    if (test.Ts().front() < all.Ts().back())
    {
        throw std::runtime_error(testPath + " starts before " + trainPath +
                                 " ends: TEST must follow TRAIN in time");
    }
    for (size_t i = 0; i < test.Size(); ++i)
    {
        all.Append(test.Get(i));
    }
    const Encoding& enc = model.GetEncoding();
    const EncodedTrace seq = enc.Encode(all);
    const NllReport m = model.Score(seq, from, prime);
    const NllReport p = ScorePoissonMarginal(enc, seq, from, from);
    const NllReport k = ScoreMarkov(enc, seq, from, from);
    nlohmann::json report;
    report["nll_per_event"] = m.PerEventJson();
    report["baseline_nll_per_event"] = BaselinesJson(p, k);
    report["events"] = m.events;
    report["train_events"] = from;
    PrintNllTable(m,
                  {{"temponet", report["nll_per_event"]},
                   {"poisson_marginal", report["baseline_nll_per_event"]["poisson_marginal"]},
                   {"markov", report["baseline_nll_per_event"]["markov"]}});
    if (vm.count("json"))
    {
        WriteJson(report, vm["json"].as<std::string>());
    }
    return 0;
}

} // namespace cli
} // namespace temponet
} // namespace ns3
