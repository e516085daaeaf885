/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// The TempoNet network, its loss, trainer and model file: exactness of the
// time density, agreement of every NLL path, and recovery of known truths
// from synthetic traces generated here.
#include "temponet-baseline-nll.h"
#include "temponet-lognormmix.h"
#include "temponet-model.h"
#include "temponet-test-data.h"
#include "temponet-test-model.h"
#include "temponet-time-format.h"
#include "temponet-trainer.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <random>

using namespace ns3::temponet;

namespace
{

TraceEvent
Udp(double ts, uint32_t src, uint32_t dst, int sport, int dport)
{
    return test::Packet(ts, src, dst, 17, sport, dport, 100, -1);
}

/// Gaps from 0.6 LN(ln 0.05, 0.25) + 0.4 LN(ln 2, 0.4), one UDP flow.
struct Bimodal
{
    static constexpr double kW = 0.6;
    static constexpr double kMu1 = -2.995732273553991; // ln 0.05
    static constexpr double kS1 = 0.25;
    static constexpr double kMu2 = 0.6931471805599453; // ln 2
    static constexpr double kS2 = 0.4;

    static double LogDensity(double gap)
    {
        auto ln = [gap](double mu, double s) {
            const double z = (std::log(gap) - mu) / s;
            return std::exp(-0.5 * z * z) / (s * gap * std::sqrt(2 * M_PI));
        };
        return std::log(kW * ln(kMu1, kS1) + (1 - kW) * ln(kMu2, kS2));
    }

    static EventTable Make(size_t n, uint64_t seed)
    {
        std::mt19937_64 rng(seed);
        std::uniform_real_distribution<double> u(0.0, 1.0);
        std::normal_distribution<double> z(0.0, 1.0);
        EventTable t;
        double ts = 1e6;
        for (size_t i = 0; i < n; ++i)
        {
            const bool first = u(rng) < kW;
            ts += std::exp(first ? kMu1 + kS1 * z(rng) : kMu2 + kS2 * z(rng));
            t.Append(Udp(ts, 0x0a000001, 0x0a000002, 5000, 53));
        }
        return t;
    }
};

/// \return a three-component mixture with separated modes.
LogNormMix
ThreeComponents()
{
    LogNormMix d;
    d.logWeights = {std::log(0.2), std::log(0.5), std::log(0.3)};
    d.means = {-1.5, 0.2, 1.7};
    d.logScales = {std::log(0.3), std::log(0.8), std::log(0.5)};
    d.logGapMean = -1.0;
    d.logGapStd = 2.0;
    return d;
}

/// \return the validation NLL per event of \p r's model before training
/// (same encoding, sizes and seed) and after.
std::pair<double, double>
NllBeforeAndAfter(const TrainResult& r, const EventTable& t, const TrainOptions& o)
{
    const Encoding& enc = r.model.GetEncoding();
    TempoNetModel untrained(enc, o.sizes, o.seed);
    const NllReport before = untrained.Score(enc.Encode(t), r.trainEvents, o.primeEvents);
    return {before.Total() / double(before.events), r.val.Total() / double(r.val.events)};
}

} // namespace

TEST(LogNormMix, DensityIntegratesToOneAndMatchesSurvivalAndMean)
{
    const LogNormMix d = ThreeComponents();
    // Integrate p(gap) d gap = p(gap) gap d ln(gap) over a wide log grid.
    double integral = 0.0;
    double below1 = 0.0;
    const double step = 1e-3;
    for (double x = -40.0; x < 30.0; x += step)
    {
        const double gap = std::exp(x + step / 2);
        const double mass = std::exp(d.LogDensity(gap)) * gap * step;
        integral += mass;
        below1 += gap < 1.0 ? mass : 0.0;
    }
    EXPECT_NEAR(integral, 1.0, 1e-6);
    EXPECT_NEAR(1.0 - below1, d.Survival(1.0), 1e-4);
    // Monte Carlo mean agrees with the closed form.
    std::mt19937_64 rng(3);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::normal_distribution<double> z(0.0, 1.0);
    double sum = 0.0;
    const int n = 400000;
    for (int i = 0; i < n; ++i)
    {
        sum += d.Sample(u(rng), z(rng));
    }
    EXPECT_NEAR(sum / n / d.Mean(), 1.0, 0.03);
}

TEST(LogNormMix, SampleBelowDrawsTheTruncatedMixture)
{
    const LogNormMix d = ThreeComponents();
    std::mt19937_64 rng(4);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::normal_distribution<double> z(0.0, 1.0);
    // Cap at 3 s: about 29 % of the mass lies above it. The empirical CDF of
    // the draws matches (1 - S(x)) / (1 - S(cap)) and nothing exceeds the cap.
    const double cap = 3.0;
    const double inside = 1.0 - d.Survival(cap);
    ASSERT_GT(1.0 - inside, 0.2);
    const int n = 200000;
    std::vector<double> draws(n);
    for (int i = 0; i < n; ++i)
    {
        draws[i] = d.SampleBelow(u(rng), z(rng), cap);
        ASSERT_LE(draws[i], cap);
        ASSERT_GT(draws[i], 0.0);
    }
    std::sort(draws.begin(), draws.end());
    for (double x : {0.01, 0.1, 0.5, 1.0, 2.0, 2.9})
    {
        const double empirical =
            double(std::upper_bound(draws.begin(), draws.end(), x) - draws.begin()) / n;
        EXPECT_NEAR(empirical, (1.0 - d.Survival(x)) / inside, 0.005) << x;
    }
    // A cap far above the mixture changes nothing; one below all of it gives the cap.
    for (int i = 0; i < 100; ++i)
    {
        const double a = u(rng);
        const double b = z(rng);
        EXPECT_EQ(d.SampleBelow(a, b, 1e12), d.Sample(a, b));
    }
    EXPECT_EQ(d.SampleBelow(0.5, 0.0, 1e-300), 1e-300);
}

TEST(TempoNetModel, ScoreAgreesWithDirectComputation)
{
    EventTable t = Bimodal::Make(600, 1);
    // Vary the marks so that field heads matter too.
    EventTable mixed;
    for (size_t i = 0; i < t.Size(); ++i)
    {
        TraceEvent e = t.Get(i);
        e.dst = IpAddr::FromV4(0x0a000002 + (i % 3));
        e.size = 60 + 40 * static_cast<int>(i % 4);
        mixed.Append(e);
    }
    const Encoding enc = Encoding::Fit(mixed);
    const EncodedTrace seq = enc.Encode(mixed);
    TempoNetModel model(enc, test::SmallSizes(), 5);
    const size_t from = 400;
    const NllReport r = model.Score(seq, from, 100000);
    EXPECT_EQ(r.events, seq.n - from);

    double time = 0.0;
    const auto dists = model.TimeDistributions(seq, from, seq.n, 100000);
    for (size_t i = from; i < seq.n; ++i)
    {
        ASSERT_TRUE(seq.timeMask[i]);
        time -= dists[i - from].LogDensity(seq.gap[i]);
    }
    EXPECT_NEAR(r.time, time, 1e-3 * std::fabs(time) + 1e-3);

    size_t sizeField = 0;
    for (size_t j = 0; j < seq.fields.size(); ++j)
    {
        sizeField = seq.fields[j] == MarkField::Size ? j : sizeField;
    }
    const auto probs = model.FieldProbabilities(seq, sizeField, from, seq.n, 100000);
    double sizeNll = 0.0;
    for (size_t i = from; i < seq.n; ++i)
    {
        double rowSum = 0.0;
        for (double p : probs[i - from])
        {
            rowSum += p;
        }
        ASSERT_NEAR(rowSum, 1.0, 1e-5);
        sizeNll -= std::log(probs[i - from][seq.tokens[sizeField][i]]) + seq.logShare[sizeField][i];
    }
    double reported = 0.0;
    for (const auto& [head, sum] : r.marks)
    {
        reported += head == "size" ? sum : 0.0;
    }
    EXPECT_NEAR(reported, sizeNll, 1e-3 * std::fabs(sizeNll) + 1e-3);
    EXPECT_NEAR(r.Total(), r.PerEventJson()["total"].get<double>() * double(r.events), 1e-6);
}

TEST(TempoNetTrainer, TrainingLowersValidationNll)
{
    const EventTable t = Bimodal::Make(3000, 2);
    TrainOptions o = test::SmallTraining(30, 5, 7);
    o.epochs = 4;
    o.patience = 10;
    TrainResult r = Train(t, o, {});
    const auto [beforePerEvent, afterPerEvent] = NllBeforeAndAfter(r, t, o);
    EXPECT_LT(afterPerEvent, beforePerEvent - 0.5)
        << "before " << beforePerEvent << " after " << afterPerEvent;
    EXPECT_EQ(r.valHistory.size(), r.epochs);
    EXPECT_EQ(r.trainEvents + r.valEvents, t.Size());
}

TEST(TempoNetTrainer, ShortTracesArePassedOverSeveralTimesPerEpoch)
{
    // 3000 events, 80 % for training: 2400 / (64 - 8) = 42 windows, 6 steps of 8.
    const EventTable t = Bimodal::Make(3000, 2);
    auto stepsPerEpoch = [&](size_t minSteps) {
        TrainOptions o = test::SmallTraining(2, 10, 7);
        o.minStepsPerEpoch = minSteps;
        std::vector<size_t> steps;
        o.progress = [&](const TrainProgress& p) {
            if (p.epochEnd)
            {
                steps.push_back(p.steps);
            }
        };
        const TrainResult r = Train(t, o, {});
        EXPECT_EQ(r.epochs, 2u);
        return steps;
    };
    const std::vector<size_t> one = stepsPerEpoch(0);
    ASSERT_EQ(one.size(), 2u);
    EXPECT_GE(one[0], 5u);
    EXPECT_LE(one[0], 7u);
    // At least 20 steps: whole passes (4 of about 6 steps) until there are.
    for (size_t s : stepsPerEpoch(20))
    {
        EXPECT_GE(s, 20u);
        EXPECT_LE(s, 20u + one[0]);
    }
    // The cap on steps still applies.
    TrainOptions capped = test::SmallTraining(1, 10, 7, 9);
    capped.minStepsPerEpoch = 20;
    size_t cappedSteps = 0;
    capped.progress = [&](const TrainProgress& p) { cappedSteps = p.steps; };
    Train(t, capped, {});
    EXPECT_EQ(cappedSteps, 9u);
}

TEST(TempoNetTrainer, RecoversBimodalGapLaw)
{
    const EventTable t = Bimodal::Make(12000, 3);
    TrainOptions o = test::SmallTraining(30, 5, 7);
    TrainResult r = Train(t, o, {});
    // True NLL of the same validation gaps.
    double truth = 0.0;
    size_t n = 0;
    const auto& ts = t.Ts();
    for (size_t i = r.trainEvents; i < t.Size(); ++i)
    {
        truth -= Bimodal::LogDensity(ts[i] - ts[i - 1]);
        ++n;
    }
    const double learned = r.val.time / double(r.val.events);
    EXPECT_NEAR(learned, truth / double(n), 0.05);
    // And the model beats the Poisson baseline on time by a wide margin.
    EXPECT_LT(learned, r.valPoissonMarginal.time / double(r.valPoissonMarginal.events) - 0.3);
}

TEST(TempoNetTrainer, RecoversDestinationGivenSource)
{
    const double pSrc[3] = {0.5, 0.3, 0.2};
    const double pDst[3][3] = {{0.7, 0.2, 0.1}, {0.1, 0.8, 0.1}, {0.3, 0.3, 0.4}};
    std::mt19937_64 rng(11);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::exponential_distribution<double> gap(1.0);
    std::uniform_int_distribution<int> ephemeral(49152, 65535);
    auto pick = [&](const double* p) {
        const double x = u(rng);
        return x < p[0] ? 0 : (x < p[0] + p[1] ? 1 : 2);
    };
    EventTable t;
    double ts = 1e6;
    for (int i = 0; i < 15000; ++i)
    {
        ts += gap(rng);
        const int s = pick(pSrc);
        const int d = pick(pDst[s]);
        t.Append(Udp(ts, 0x0a000001 + s, 0x0a000101 + d, ephemeral(rng), 80));
    }
    TrainOptions o = test::SmallTraining(30, 5, 7);
    TrainResult r = Train(t, o, {});
    const Encoding& enc = r.model.GetEncoding();
    const EncodedTrace seq = enc.Encode(t);
    size_t srcField = 0;
    size_t dstField = 0;
    for (size_t j = 0; j < seq.fields.size(); ++j)
    {
        srcField = seq.fields[j] == MarkField::Src ? j : srcField;
        dstField = seq.fields[j] == MarkField::Dst ? j : dstField;
    }
    const auto probs = r.model.FieldProbabilities(seq, dstField, r.trainEvents, seq.n, 4096);
    const Vocabulary& hosts = enc.Vocab(MarkField::Dst);
    double learned[3][3] = {};
    double count[3] = {};
    for (size_t i = r.trainEvents; i < seq.n; ++i)
    {
        if (seq.flow[i] != 0)
        {
            continue;
        }
        const auto& tok = hosts.At(seq.tokens[srcField][i]);
        ASSERT_EQ(tok.kind, Vocabulary::Kind::Exact);
        const int s = static_cast<int>(enc.Hosts()[tok.value].V4() - 0x0a000001);
        count[s] += 1;
        for (size_t k = 0; k < hosts.Size(); ++k)
        {
            if (hosts.At(k).kind != Vocabulary::Kind::Exact)
            {
                continue;
            }
            const uint32_t a = enc.Hosts()[hosts.At(k).value].V4();
            if (a >= 0x0a000101 && a < 0x0a000104)
            {
                learned[s][a - 0x0a000101] += probs[i - r.trainEvents][k];
            }
        }
    }
    for (int s = 0; s < 3; ++s)
    {
        ASSERT_GT(count[s], 100);
        for (int d = 0; d < 3; ++d)
        {
            EXPECT_NEAR(learned[s][d] / count[s], pDst[s][d], 0.05)
                << "src " << s << " dst " << d << " (best epoch " << r.bestEpoch << " of "
                << r.epochs << ")";
        }
    }
}

TEST(TempoNetTrainer, LearnsDayNightRateFromCalendar)
{
    // Four days from Monday 2024-01-01 UTC; 08:00-20:00 is four times busier.
    const double start = *ParseIso8601("2024-01-01T00:00:00Z");
    const double dayRate = 0.08;
    const double nightRate = 0.02;
    auto isDay = [start](double ts) {
        const double tod = std::fmod(ts - start, 86400.0);
        return tod >= 8 * 3600.0 && tod < 20 * 3600.0;
    };
    std::mt19937_64 rng(5);
    std::exponential_distribution<double> unit(1.0);
    EventTable t;
    // Thinning of a Poisson process at the day rate.
    std::uniform_real_distribution<double> u(0.0, 1.0);
    for (double ts = start; ts < start + 4 * 86400.0;)
    {
        ts += unit(rng) / dayRate;
        if (isDay(ts) || u(rng) < nightRate / dayRate)
        {
            t.Append(Udp(ts, 0x0a000001, 0x0a000002, 5000, 53));
        }
    }
    TrainOptions o = test::SmallTraining(30, 5, 7);
    o.epochs = 40;
    TrainResult r = Train(t, o, {});
    const Encoding& enc = r.model.GetEncoding();
    ASSERT_TRUE(enc.TimeOfDayActive());
    const EncodedTrace seq = enc.Encode(t);
    const auto dists = r.model.TimeDistributions(seq, r.trainEvents, seq.n, 4096);
    double sum[2] = {};
    double n[2] = {};
    for (size_t i = r.trainEvents; i < seq.n; ++i)
    {
        const double prev = t.Ts()[i - 1];
        // Leave out the hour after each switch, where the history still lags.
        const double tod = std::fmod(prev - start, 86400.0);
        if (std::fabs(tod - 8 * 3600.0) < 3600.0 || std::fabs(tod - 20 * 3600.0) < 3600.0)
        {
            continue;
        }
        const int k = isDay(prev) ? 1 : 0;
        sum[k] += dists[i - r.trainEvents].Mean();
        n[k] += 1;
    }
    ASSERT_GT(n[0], 50);
    ASSERT_GT(n[1], 50);
    const double ratio = (n[1] / sum[1]) / (n[0] / sum[0]);
    EXPECT_NEAR(ratio / (dayRate / nightRate), 1.0, 0.10) << "learned day/night ratio " << ratio;
}

/// Resumption is exact with teacher forcing and with scheduled sampling
/// (whose draws come from the seed and the step).
class ResumeTest : public ::testing::TestWithParam<double>
{
};

TEST_P(ResumeTest, ContinuesExactly)
{
    const EventTable t = Bimodal::Make(2000, 4);
    const std::string dir = test::TempDir("resume");
    TrainOptions o = test::SmallTraining(30, 5, 7);
    o.epochs = 3;
    o.patience = 10;
    o.sampledHistory = GetParam();
    TrainResult whole = Train(t, o, {});

    TrainOptions first = o;
    first.checkpointPath = dir + "/ck.tpn";
    first.stopAfterSteps = 6; // inside the second epoch, where sampling has ramped up
    TrainResult part = Train(t, first, {});
    ASSERT_TRUE(part.interrupted);
    ASSERT_TRUE(std::filesystem::exists(first.checkpointPath));
    TrainOptions second = o;
    second.resumePath = first.checkpointPath;
    second.checkpointPath = dir + "/ck2.tpn";
    TrainResult resumed = Train(t, second, {});

    EXPECT_EQ(resumed.valHistory, whole.valHistory);
    const ModelFile a = whole.model.ToModelFile();
    const ModelFile b = resumed.model.ToModelFile();
    ASSERT_EQ(a.tensors.size(), b.tensors.size());
    for (size_t k = 0; k < a.tensors.size(); ++k)
    {
        EXPECT_EQ(a.tensors[k].values, b.tensors[k].values) << a.tensors[k].name;
    }
}

INSTANTIATE_TEST_SUITE_P(TempoNetTrainer,
                         ResumeTest,
                         ::testing::Values(0.0, 0.4),
                         [](const ::testing::TestParamInfo<double>& info) {
                             return info.param > 0.0 ? "SampledHistory" : "TeacherForced";
                         });

TEST(TempoNetTrainer, LearningRateDropsHalfWayIntoAPlateauAndResumesExactly)
{
    // At a learning rate too small to gain 1e-4 nats per epoch every epoch
    // after the first is without gain: with patience 4 the rate drops once,
    // after the second, and training stops after the fourth (epoch 5).
    const EventTable t = Bimodal::Make(2000, 4);
    const std::string dir = test::TempDir("lr-drop");
    TrainOptions o = test::SmallTraining(8, 4, 7, 4);
    o.learningRate = 3e-8;
    const TrainResult whole = Train(t, o, {});
    EXPECT_EQ(whole.epochs, 5u);
    EXPECT_EQ(whole.model.Meta()["training"]["lr_drops"], 1);
    TrainOptions constant = o;
    constant.lrDrops = 0;
    const TrainResult kept = Train(t, constant, {});
    EXPECT_EQ(kept.model.Meta()["training"]["lr_drops"], 0);
    // Up to the drop the two runs are the same; after it they are not (the
    // run at the kept rate gains its 1e-4 nats by epoch 5 and goes on).
    ASSERT_GE(kept.valHistory.size(), 5u);
    for (size_t e = 0; e < 3; ++e)
    {
        EXPECT_EQ(kept.valHistory[e], whole.valHistory[e]) << "epoch " << e + 1;
    }
    EXPECT_LT(kept.valHistory[3], whole.valHistory[3]);

    // Stopped after the drop (inside epoch 4, 4 steps an epoch) and resumed,
    // it continues at the dropped rate.
    TrainOptions first = o;
    first.checkpointPath = dir + "/ck.tpn";
    first.stopAfterSteps = 14;
    ASSERT_TRUE(Train(t, first, {}).interrupted);
    TrainOptions second = o;
    second.resumePath = first.checkpointPath;
    const TrainResult resumed = Train(t, second, {});
    EXPECT_EQ(resumed.valHistory, whole.valHistory);
    EXPECT_EQ(resumed.val.Total(), whole.val.Total());

    for (double bad : {0.0, 1.5, std::nan("")})
    {
        o.lrDropFactor = bad;
        EXPECT_THROW(Train(t, o, {}), std::invalid_argument) << bad;
    }
}

TEST(TempoNetTrainer, SampledHistoryTrainsOnTheModelsOwnDraws)
{
    // One UDP flow: every event continues it, so the draws' key fields come
    // from the flow cache. The share changes the training, still learns the
    // gap law, and is bounded.
    const EventTable t = Bimodal::Make(4000, 5);
    TrainOptions o = test::SmallTraining(30, 5, 7);
    o.epochs = 4;
    o.patience = 10;
    TrainResult forced = Train(t, o, {});
    o.sampledHistory = 0.5;
    TrainResult sampled = Train(t, o, {});
    EXPECT_EQ(sampled.model.Meta()["training"]["sampled_history"].get<double>(), 0.5);
    // The first epoch is teacher-forced in both; the ramp makes the rest differ.
    ASSERT_EQ(forced.valHistory.size(), sampled.valHistory.size());
    EXPECT_EQ(forced.valHistory[0], sampled.valHistory[0]);
    EXPECT_NE(forced.valHistory.back(), sampled.valHistory.back());
    const auto [untrained, perEvent] = NllBeforeAndAfter(sampled, t, o);
    EXPECT_LT(perEvent, untrained - 0.5);
    EXPECT_NEAR(perEvent, forced.val.Total() / double(forced.val.events), 0.2);

    for (double bad : {-0.1, 1.0, std::nan("")})
    {
        o.sampledHistory = bad;
        EXPECT_THROW(Train(t, o, {}), std::invalid_argument) << bad;
    }
}

TEST(ModelFile, RoundTripAndRejectsDamagedFiles)
{
    const EventTable t = Bimodal::Make(300, 6);
    const Encoding enc = Encoding::Fit(t);
    TempoNetModel model(enc, test::SmallSizes(), 1);
    model.Meta()["provenance"] = {{"input_file", "synthetic"}};
    const std::string dir = test::TempDir("modelfile");
    const std::string path = dir + "/m.tpn";
    model.Save(path);
    const TempoNetModel back = TempoNetModel::Load(path);
    EXPECT_EQ(back.Meta()["provenance"]["input_file"], "synthetic");
    const EncodedTrace seq = enc.Encode(t);
    EXPECT_DOUBLE_EQ(back.Score(seq, 1, 0).Total(), model.Score(seq, 1, 0).Total());

    std::string bytes;
    {
        std::ifstream in(path, std::ios::binary);
        bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    auto expectError =
        [&](const std::string& name, const std::string& content, const std::string& words) {
            const std::string p = dir + "/" + name;
            std::ofstream(p, std::ios::binary) << content;
            try
            {
                TempoNetModel::Load(p);
                ADD_FAILURE() << name << " loaded";
            }
            catch (const ModelFileError& e)
            {
                const std::string msg = e.what();
                EXPECT_NE(msg.find(p), std::string::npos) << msg;
                EXPECT_NE(msg.find(words), std::string::npos) << msg;
            }
        };
    expectError("truncated.tpn", bytes.substr(0, bytes.size() / 2), "truncated");
    std::string flipped = bytes;
    flipped[flipped.size() / 2] ^= 0x10;
    expectError("flipped.tpn", flipped, "checksum");
    std::string version = bytes;
    version[8] = 9;
    expectError("version.tpn", version, "version 9");
    expectError("text.tpn", "ts,src_ip,dst_ip\n", "not a TempoNet model file");
    expectError("empty.tpn", "", "not a TempoNet model file");
    EXPECT_THROW(TempoNetModel::Load(dir + "/missing.tpn"), ModelFileError);

    // A well-formed file whose tensors do not fit the network it describes.
    ModelFile mf = model.ToModelFile();
    mf.tensors[0].shape[0] += 1;
    mf.tensors[0].values.resize(mf.tensors[0].values.size() +
                                mf.tensors[0].values.size() / (mf.tensors[0].shape[0] - 1));
    mf.Write(dir + "/shape.tpn");
    try
    {
        TempoNetModel::Load(dir + "/shape.tpn");
        ADD_FAILURE() << "mismatched shapes loaded";
    }
    catch (const ModelFileError& e)
    {
        EXPECT_NE(std::string(e.what()).find("does not match"), std::string::npos) << e.what();
    }
}
