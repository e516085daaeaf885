/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "temponet-trainer.h"

#include "temponet-baseline-nll.h"
#include "temponet-model-impl.h"
#include "temponet-torch-runtime.h"

#include <ATen/CPUGeneratorImpl.h>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <limits>
#include <random>
#include <sstream>
#include <stdexcept>

namespace ns3
{
namespace temponet
{

namespace
{

using Clock = std::chrono::steady_clock;

/// Bounds of the learned log-variances of the loss weights.
constexpr double kMaxLogVar = 4.0;

/// Events before a window replayed to rebuild the flow cache at its start.
constexpr size_t kCacheReplay = 256;

/// \return a well-mixed 64-bit value of \p a and \p b (SplitMix64 finaliser).
uint64_t
MixSeed(uint64_t a, uint64_t b)
{
    uint64_t z = a * 0x9E3779B97F4A7C15ULL + b + 0x632BE59BD9B4E019ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

std::string
RngState(const std::mt19937_64& rng)
{
    std::ostringstream os;
    os << rng;
    return os.str();
}

void
SetRngState(std::mt19937_64& rng, const std::string& state)
{
    std::istringstream is(state);
    is >> rng;
    if (!is)
    {
        throw ModelFileError("checkpoint: invalid random generator state");
    }
}

std::string
UtcNow()
{
    std::time_t now = std::time(nullptr);
    char buf[32];
    std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
    return buf;
}

ModelFile::Tensor
ToFileTensor(const std::string& name, const torch::Tensor& t)
{
    auto c = t.detach().contiguous().to(torch::kFloat32);
    ModelFile::Tensor out;
    out.name = name;
    out.shape = c.sizes().vec();
    out.values.assign(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
    return out;
}

void
CopyFromFile(torch::Tensor& dst, const ModelFile::Tensor& src, const std::string& path)
{
    if (src.shape != dst.sizes().vec())
    {
        throw ModelFileError(path + ": tensor '" + src.name + "' does not match this model");
    }
    torch::NoGradGuard noGrad;
    dst.copy_(
        torch::from_blob(const_cast<float*>(src.values.data()), dst.sizes(), torch::kFloat32));
}

/// Everything that must survive a checkpoint to resume exactly.
struct LoopState
{
    size_t epoch{0};       //!< Epochs completed.
    size_t stepInEpoch{0}; //!< Next step of the current epoch.
    size_t globalStep{0};  //!< Steps taken in all.
    std::string epochRng;  //!< Generator state at the current epoch's start.
    double best{std::numeric_limits<double>::infinity()}; //!< Best validation NLL.
    size_t bestEpoch{0};                                  //!< Its epoch.
    size_t badEpochs{0};                                  //!< Epochs since it.
    size_t lrDrops{0};                                    //!< Learning-rate drops so far.
    std::vector<double> valHistory;                       //!< Validation NLL per epoch.
    double trainedEvents{0};                              //!< Events predicted so far.
    double trainSeconds{0};                               //!< Time spent in steps so far.
};

nlohmann::json
ToJson(const LoopState& s)
{
    return {{"epoch", s.epoch},
            {"step_in_epoch", s.stepInEpoch},
            {"global_step", s.globalStep},
            {"epoch_rng", s.epochRng},
            {"best", std::isfinite(s.best) ? s.best : 1e300},
            {"best_epoch", s.bestEpoch},
            {"bad_epochs", s.badEpochs},
            {"lr_drops", s.lrDrops},
            {"val_history", s.valHistory},
            {"trained_events", s.trainedEvents},
            {"train_seconds", s.trainSeconds}};
}

LoopState
LoopStateFromJson(const nlohmann::json& j)
{
    LoopState s;
    s.epoch = j.at("epoch").get<size_t>();
    s.stepInEpoch = j.at("step_in_epoch").get<size_t>();
    s.globalStep = j.at("global_step").get<size_t>();
    s.epochRng = j.at("epoch_rng").get<std::string>();
    s.best = j.at("best").get<double>();
    s.bestEpoch = j.at("best_epoch").get<size_t>();
    s.badEpochs = j.at("bad_epochs").get<size_t>();
    s.lrDrops = j.value("lr_drops", size_t{0});
    s.valHistory = j.at("val_history").get<std::vector<double>>();
    s.trainedEvents = j.at("trained_events").get<double>();
    s.trainSeconds = j.at("train_seconds").get<double>();
    return s;
}

/// The training loop's state that is not the model itself.
class Session
{
  public:
    Session(const EventTable& input, const TrainOptions& options);

    TrainResult Run(const nlohmann::json& provenance);

  private:
    std::vector<size_t> EpochStarts();
    double Step(const std::vector<size_t>& starts);
    EventBatch SampledHistory(const EventBatch& in, const std::vector<size_t>& starts, double p);
    void SaveCheckpoint() const;
    void Resume(const std::string& path);
    void SetLearningRate();
    void FinishModel(TempoNetModel& model, const nlohmann::json& provenance) const;

    const TrainOptions& m_options;
    size_t m_cut{0};
    size_t m_window{0};
    size_t m_burnIn{0};
    Encoding m_encoding;
    EncodedTrace m_seq;
    std::vector<FlowCache::Tuple> m_tuples; //!< Raw 5-tuples (scheduled sampling only).
    TempoNetModel m_model;
    torch::Tensor m_logVar;
    std::unique_ptr<torch::optim::Adam> m_adam;
    std::vector<torch::Tensor> m_params;
    std::mt19937_64 m_rng;
    LoopState m_state;
    ModelFile m_best;
};

size_t
TimeCut(const EventTable& input, double valFraction)
{
    const auto& ts = input.Ts();
    const double cut = ts.front() + (1.0 - valFraction) * (ts.back() - ts.front());
    return static_cast<size_t>(std::lower_bound(ts.begin(), ts.end(), cut) - ts.begin());
}

Encoding
FitOnTrainPart(const EventTable& input, const TrainOptions& options, size_t& cut)
{
    if (!(options.valFraction > 0.0 && options.valFraction < 1.0))
    {
        throw std::invalid_argument("validation fraction must lie in (0, 1)");
    }
    if (options.window < 4 || options.batch < 1 || options.epochs < 1)
    {
        throw std::invalid_argument("window must be at least 4 events, batch and epochs at "
                                    "least 1");
    }
    if (!(options.lrDropFactor > 0.0 && options.lrDropFactor <= 1.0))
    {
        throw std::invalid_argument("the learning-rate drop factor must lie in (0, 1]");
    }
    if (!(options.sampledHistory >= 0.0 && options.sampledHistory < 1.0))
    {
        throw std::invalid_argument("the sampled-history share must lie in [0, 1)");
    }
    if (input.Size() < 20 || !input.IsTimeSorted())
    {
        throw std::invalid_argument("training needs at least 20 time-sorted events, got " +
                                    std::to_string(input.Size()));
    }
    cut = TimeCut(input, options.valFraction);
    if (cut < 10 || input.Size() - cut < 2)
    {
        throw std::invalid_argument("the validation split leaves too few events on one side (" +
                                    std::to_string(cut) + " training, " +
                                    std::to_string(input.Size() - cut) + " validation)");
    }
    return Encoding::Fit(input.Rows(0, cut), options.encoding);
}

Session::Session(const EventTable& input, const TrainOptions& options)
    : m_options(options),
      m_encoding(FitOnTrainPart(input, options, m_cut)),
      m_seq(m_encoding.Encode(input)),
      m_model(m_encoding, options.sizes, options.seed),
      m_rng(options.seed)
{
    if (options.sampledHistory > 0.0)
    {
        m_tuples = m_encoding.FlowTuples(input);
    }
    m_window = std::min(options.window, m_cut - 1);
    m_burnIn = std::min(options.burnIn, m_window / 4);
    auto& net = m_model.GetImpl().net;
    m_params = net->parameters();
    const int64_t heads = static_cast<int64_t>(2 + m_seq.fields.size());
    m_logVar = torch::zeros({heads}, torch::requires_grad(!options.fixedWeights));
    std::vector<torch::Tensor> all = m_params;
    if (!options.fixedWeights)
    {
        all.push_back(m_logVar);
    }
    m_adam =
        std::make_unique<torch::optim::Adam>(all, torch::optim::AdamOptions(options.learningRate));
    m_state.epochRng = RngState(m_rng);
    if (!options.resumePath.empty())
    {
        Resume(options.resumePath);
        SetLearningRate();
    }
}

std::vector<size_t>
Session::EpochStarts()
{
    // Windows overlap by the burn-in so each event is predicted about once per
    // pass. A short trace gets several passes (each with its own offset and
    // order) until the epoch has minStepsPerEpoch steps: with a pass of a few
    // steps, validation after each would stop training on noise.
    const size_t stride = std::max<size_t>(1, m_window - m_burnIn);
    const size_t lastStart = m_cut - m_window;
    const size_t wanted = m_options.minStepsPerEpoch * m_options.batch;
    std::vector<size_t> starts;
    do
    {
        std::vector<size_t> pass;
        for (size_t s = m_rng() % stride; s <= lastStart; s += stride)
        {
            pass.push_back(s);
        }
        if (pass.empty())
        {
            pass.push_back(0);
        }
        std::shuffle(pass.begin(), pass.end(), m_rng);
        starts.insert(starts.end(), pass.begin(), pass.end());
    } while (starts.size() < wanted);
    return starts;
}

double
Session::Step(const std::vector<size_t>& starts)
{
    auto& impl = m_model.GetImpl();
    impl.net->train();
    const size_t len = m_window - 1;
    std::vector<size_t> nextStarts(starts);
    for (auto& s : nextStarts)
    {
        ++s;
    }
    auto in = MakeBatch(m_seq, starts, len);
    auto next = MakeBatch(m_seq, nextStarts, len);
    const double ramp = std::min(1.0, double(m_state.epoch) / double(kSampledHistoryRamp));
    const double p = m_options.sampledHistory * ramp;
    if (p > 0.0)
    {
        in = SampledHistory(in, starts, p);
    }
    auto [h, last] = impl.net->Encode(in, torch::Tensor());
    auto raw = impl.net->Score(h, next);
    auto nll = FinalNlls(raw, next, m_encoding.LogGapStd(), impl.keyField);
    const int64_t b = static_cast<int64_t>(m_burnIn);
    auto time = nll.time.slice(1, b);
    auto mask = next.timeMask.slice(1, b);
    std::vector<torch::Tensor> heads;
    heads.push_back(time.sum() / mask.sum().clamp_min(1.0));
    heads.push_back(nll.flow.slice(1, b).mean());
    auto fields = nll.fields.slice(1, b).mean(std::vector<int64_t>{0, 1});
    for (int64_t j = 0; j < fields.size(0); ++j)
    {
        heads.push_back(fields[j]);
    }
    auto headLoss = torch::stack(heads);
    torch::Tensor loss;
    if (m_options.fixedWeights)
    {
        loss = headLoss.sum();
    }
    else
    {
        // Kendall et al. (2018): exp(-s) * L + s per head, s bounded so a head
        // whose NLL turns negative (a sharp time density) cannot run away.
        auto s = m_logVar.clamp(-kMaxLogVar, kMaxLogVar);
        loss = (torch::exp(-s) * headLoss + s).sum();
    }
    m_adam->zero_grad();
    loss.backward();
    torch::nn::utils::clip_grad_norm_(m_params, m_options.clipNorm);
    m_adam->step();
    return headLoss.sum().item<double>();
}

/*
 * Scheduled sampling, parallel form: one teacher-forced pass gives, at every
 * position, the model's own draw of the next event (gap, continuation label,
 * fields in chain order; a continued flow's key fields come from the flow
 * cache of the real history, as in TorchSampler). Each history event after
 * the first is then replaced by that draw with probability p. Calendar and
 * activity features stay the real ones. The randomness comes from the seed
 * and the global step, so a resumed run draws the same.
 */
EventBatch
Session::SampledHistory(const EventBatch& in, const std::vector<size_t>& starts, double p)
{
    torch::NoGradGuard noGrad;
    auto& net = m_model.GetImpl().net;
    net->eval();
    auto gen =
        at::make_generator<at::CPUGeneratorImpl>(MixSeed(m_options.seed, m_state.globalStep));
    const int64_t b = in.logGap.size(0);
    const int64_t t = in.logGap.size(1) - 1; // positions 0..t-1 draw events 1..t
    const auto& fields = m_encoding.Fields();
    const int64_t nf = static_cast<int64_t>(fields.size());
    auto [hAll, last] = net->Encode(in, torch::Tensor());
    auto h = hAll.slice(1, 0, t);
    auto draw = [&](const torch::Tensor& logits) {
        auto probs = torch::softmax(logits, -1).reshape({b * t, logits.size(-1)});
        return torch::multinomial(probs, 1, false, gen).reshape({b, t});
    };

    // The gap.
    auto [logW, mu, logS] = net->TimeParams(h);
    auto comp = draw(logW).unsqueeze(-1);
    auto y = mu.gather(-1, comp).squeeze(-1) +
             logS.gather(-1, comp).squeeze(-1).exp() * torch::randn({b, t}, gen);
    const double yMin = (std::log(kMinGap) - m_encoding.LogGapMean()) / m_encoding.LogGapStd();
    y = y.clamp_min(yMin);

    // The continuation label, resolved against the real history's flow cache.
    auto flow = draw(net->FlowLogits(h, y)).contiguous();
    auto contTok = torch::zeros({b, t, nf}, torch::kInt64);
    int64_t* flowP = flow.data_ptr<int64_t>();
    int64_t* contP = contTok.data_ptr<int64_t>();
    for (int64_t w = 0; w < b; ++w)
    {
        const size_t s = starts[static_cast<size_t>(w)];
        FlowCache cache(m_encoding.FlowSlots());
        for (size_t i = s > kCacheReplay ? s - kCacheReplay : 0; i < s; ++i)
        {
            cache.Update(m_tuples[i]);
        }
        for (int64_t k = 0; k < t; ++k)
        {
            cache.Update(m_tuples[s + static_cast<size_t>(k)]);
            int64_t& label = flowP[w * t + k];
            if (label == 0)
            {
                continue;
            }
            if (!cache.IsValid(static_cast<int32_t>(label)))
            {
                label = 0;
                continue;
            }
            const FlowCache::Tuple c = cache.Resolve(static_cast<int32_t>(label));
            for (int64_t j = 0; j < nf; ++j)
            {
                const MarkField f = fields[static_cast<size_t>(j)];
                if (IsFlowKeyField(f))
                {
                    contP[(w * t + k) * nf + j] = m_encoding.Vocab(f).TokenOf(c.Get(f));
                }
            }
        }
    }
    auto continued = flow != 0;

    // The fields in chain order; a continued flow's key fields are fixed.
    auto tokens = torch::zeros({b, t, nf}, torch::kInt64);
    for (int64_t j = 0; j < nf; ++j)
    {
        auto tok = draw(net->FieldLogits(static_cast<size_t>(j), h, y, flow, tokens));
        if (IsFlowKeyField(fields[static_cast<size_t>(j)]))
        {
            tok = torch::where(continued, contTok.select(-1, j), tok);
        }
        tokens.select(-1, j).copy_(tok);
    }

    // Replace each history event after the first with probability p.
    auto replace = torch::rand({b, t}, gen) < p;
    EventBatch out = in;
    out.logGap = in.logGap.clone();
    out.flow = in.flow.clone();
    out.tokens = in.tokens.clone();
    auto gapTail = out.logGap.slice(1, 1);
    gapTail.copy_(torch::where(replace, y, gapTail));
    auto flowTail = out.flow.slice(1, 1);
    flowTail.copy_(torch::where(replace, flow, flowTail));
    auto tokTail = out.tokens.slice(1, 1);
    tokTail.copy_(torch::where(replace.unsqueeze(-1), tokens, tokTail));
    net->train();
    return out;
}

void
Session::SaveCheckpoint() const
{
    if (m_options.checkpointPath.empty())
    {
        return;
    }
    ModelFile file = m_model.ToModelFile();
    file.meta["checkpoint"] = ToJson(m_state);
    file.meta["checkpoint"]["rng"] = RngState(m_rng);
    file.tensors.push_back(ToFileTensor("loss/log_var", m_logVar));
    nlohmann::json steps = nlohmann::json::array();
    auto& state = m_adam->state();
    for (size_t k = 0; k < m_params.size(); ++k)
    {
        auto it = state.find(c10::guts::to_string(m_params[k].unsafeGetTensorImpl()));
        if (it == state.end())
        {
            steps.push_back(0);
            continue;
        }
        auto& s = static_cast<torch::optim::AdamParamState&>(*it->second);
        steps.push_back(s.step());
        file.tensors.push_back(ToFileTensor("adam/" + std::to_string(k) + "/m", s.exp_avg()));
        file.tensors.push_back(ToFileTensor("adam/" + std::to_string(k) + "/v", s.exp_avg_sq()));
    }
    if (!m_options.fixedWeights)
    {
        auto it = state.find(c10::guts::to_string(m_logVar.unsafeGetTensorImpl()));
        if (it != state.end())
        {
            auto& s = static_cast<torch::optim::AdamParamState&>(*it->second);
            file.meta["checkpoint"]["log_var_step"] = s.step();
            file.tensors.push_back(ToFileTensor("adam/log_var/m", s.exp_avg()));
            file.tensors.push_back(ToFileTensor("adam/log_var/v", s.exp_avg_sq()));
        }
    }
    file.meta["checkpoint"]["adam_steps"] = steps;
    for (const auto& t : m_best.tensors)
    {
        ModelFile::Tensor copy = t;
        copy.name = "best/" + t.name;
        file.tensors.push_back(std::move(copy));
    }
    file.Write(m_options.checkpointPath);
}

void
Session::Resume(const std::string& path)
{
    ModelFile file = ModelFile::Read(path);
    if (!file.meta.contains("checkpoint"))
    {
        throw ModelFileError(path + ": not a training checkpoint");
    }
    if (file.meta.value("encoding", nlohmann::json()) != m_encoding.ToJson())
    {
        throw ModelFileError(path + ": the checkpoint was made on other input data or "
                                    "encoding options");
    }
    TempoNetModel saved = TempoNetModel::FromModelFile(file, path);
    auto& net = m_model.GetImpl().net;
    auto savedParams = saved.GetImpl().net->parameters();
    if (savedParams.size() != m_params.size())
    {
        throw ModelFileError(path + ": the checkpoint's network has other sizes");
    }
    torch::NoGradGuard noGrad;
    for (size_t k = 0; k < m_params.size(); ++k)
    {
        if (!savedParams[k].sizes().equals(m_params[k].sizes()))
        {
            throw ModelFileError(path + ": the checkpoint's network has other sizes");
        }
        m_params[k].copy_(savedParams[k]);
    }
    (void)net;
    const auto& ck = file.meta["checkpoint"];
    try
    {
        m_state = LoopStateFromJson(ck);
        SetRngState(m_rng, ck.at("rng").get<std::string>());
    }
    catch (const nlohmann::json::exception& e)
    {
        throw ModelFileError(path + ": invalid checkpoint state: " + e.what());
    }
    CopyFromFile(m_logVar, file.Find("loss/log_var", path), path);
    const auto steps = ck.at("adam_steps").get<std::vector<int64_t>>();
    auto& state = m_adam->state();
    auto restore = [&](const torch::Tensor& p, int64_t step, const std::string& prefix) {
        auto s = std::make_unique<torch::optim::AdamParamState>();
        s->step(step);
        torch::Tensor m = torch::zeros_like(p);
        torch::Tensor v = torch::zeros_like(p);
        CopyFromFile(m, file.Find(prefix + "/m", path), path);
        CopyFromFile(v, file.Find(prefix + "/v", path), path);
        s->exp_avg(m);
        s->exp_avg_sq(v);
        state[c10::guts::to_string(p.unsafeGetTensorImpl())] = std::move(s);
    };
    for (size_t k = 0; k < m_params.size() && k < steps.size(); ++k)
    {
        if (steps[k] > 0)
        {
            restore(m_params[k], steps[k], "adam/" + std::to_string(k));
        }
    }
    if (ck.contains("log_var_step"))
    {
        restore(m_logVar, ck["log_var_step"].get<int64_t>(), "adam/log_var");
    }
    m_best = ModelFile();
    for (const auto& t : file.tensors)
    {
        if (t.name.rfind("best/", 0) == 0)
        {
            ModelFile::Tensor copy = t;
            copy.name = t.name.substr(5);
            m_best.tensors.push_back(std::move(copy));
        }
    }
    if (!m_best.tensors.empty())
    {
        m_best.meta = m_model.ToModelFile().meta;
    }
}

void
Session::SetLearningRate()
{
    const double lr =
        m_options.learningRate * std::pow(m_options.lrDropFactor, double(m_state.lrDrops));
    for (auto& group : m_adam->param_groups())
    {
        static_cast<torch::optim::AdamOptions&>(group.options()).lr(lr);
    }
}

void
Session::FinishModel(TempoNetModel& model, const nlohmann::json& provenance) const
{
    const TrainOptions& o = m_options;
    model.Meta()["training"] = {{"epochs_max", o.epochs},
                                {"patience", o.patience},
                                {"batch", o.batch},
                                {"min_steps_per_epoch", o.minStepsPerEpoch},
                                {"window", m_window},
                                {"burn_in", m_burnIn},
                                {"learning_rate", o.learningRate},
                                {"lr_drops_max", o.lrDrops},
                                {"lr_drop_factor", o.lrDropFactor},
                                {"lr_drops", m_state.lrDrops},
                                {"clip_norm", o.clipNorm},
                                {"val_fraction", o.valFraction},
                                {"seed", o.seed},
                                {"threads", o.threads},
                                {"loss_weights", o.fixedWeights ? "fixed" : "learned"},
                                {"sampled_history", o.sampledHistory}};
    nlohmann::json p = provenance;
    p["epochs"] = m_state.epoch;
    p["best_epoch"] = m_state.bestEpoch;
    p["val_nll_per_event"] = m_state.best;
    p["train_events"] = m_cut;
    p["val_events"] = m_seq.n - m_cut;
    p["date"] = UtcNow();
    model.Meta()["provenance"] = p;
}

TrainResult
Session::Run(const nlohmann::json& provenance)
{
    const TrainOptions& o = m_options;
    TrainResult result(TempoNetModel(m_encoding, o.sizes, o.seed));
    bool stop = m_state.badEpochs >= o.patience && m_state.epoch > 0;
    while (!stop && m_state.epoch < o.epochs)
    {
        SetRngState(m_rng, m_state.epochRng);
        std::vector<size_t> starts = EpochStarts();
        size_t steps = (starts.size() + o.batch - 1) / o.batch;
        if (o.maxStepsPerEpoch > 0)
        {
            steps = std::min(steps, o.maxStepsPerEpoch);
        }
        const size_t perStep = (m_window - 1 - m_burnIn);
        for (; m_state.stepInEpoch < steps;)
        {
            const size_t k = m_state.stepInEpoch;
            std::vector<size_t> batch(starts.begin() + std::min(starts.size(), k * o.batch),
                                      starts.begin() + std::min(starts.size(), (k + 1) * o.batch));
            const auto t0 = Clock::now();
            const double loss = Step(batch);
            m_state.trainSeconds += std::chrono::duration<double>(Clock::now() - t0).count();
            m_state.trainedEvents += double(batch.size() * perStep);
            ++m_state.stepInEpoch;
            ++m_state.globalStep;
            if (o.progress)
            {
                TrainProgress p;
                p.epoch = m_state.epoch + 1;
                p.epochs = o.epochs;
                p.step = m_state.stepInEpoch;
                p.steps = steps;
                p.loss = loss;
                p.eventsPerSecond = m_state.trainedEvents / std::max(m_state.trainSeconds, 1e-9);
                const double perStepSeconds =
                    m_state.trainSeconds / double(std::max<size_t>(1, m_state.globalStep));
                p.etaSeconds = perStepSeconds *
                               double((o.epochs - m_state.epoch) * steps - m_state.stepInEpoch);
                o.progress(p);
            }
            if (o.checkpointEvery > 0 && m_state.globalStep % o.checkpointEvery == 0)
            {
                SaveCheckpoint();
            }
            if (o.stopAfterSteps > 0 && m_state.globalStep >= o.stopAfterSteps)
            {
                SaveCheckpoint();
                result.interrupted = true;
                break;
            }
        }
        if (result.interrupted)
        {
            break;
        }
        const NllReport val = m_model.Score(m_seq, m_cut, o.primeEvents);
        const double valNll = val.Total() / double(std::max<uint64_t>(1, val.events));
        m_state.valHistory.push_back(valNll);
        ++m_state.epoch;
        if (valNll < m_state.best - 1e-4)
        {
            m_state.best = valNll;
            m_state.bestEpoch = m_state.epoch;
            m_state.badEpochs = 0;
            m_best = m_model.ToModelFile();
        }
        else
        {
            ++m_state.badEpochs;
            // Half-way into a plateau the learning rate drops (a third by
            // default, at most lrDrops times): the sharp modes of a timer's
            // gaps form only at a lower rate than the first descent needs.
            if (m_state.badEpochs == (o.patience + 1) / 2 && m_state.lrDrops < o.lrDrops)
            {
                ++m_state.lrDrops;
                SetLearningRate();
            }
        }
        stop = m_state.badEpochs >= o.patience;
        m_state.stepInEpoch = 0;
        m_state.epochRng = RngState(m_rng);
        if (o.progress)
        {
            TrainProgress p;
            p.epoch = m_state.epoch;
            p.epochs = o.epochs;
            p.step = steps;
            p.steps = steps;
            p.epochEnd = true;
            p.valNll = valNll;
            p.eventsPerSecond = m_state.trainedEvents / std::max(m_state.trainSeconds, 1e-9);
            o.progress(p);
        }
        SaveCheckpoint();
    }
    result.model = m_best.tensors.empty() ? std::move(m_model)
                                          : TempoNetModel::FromModelFile(m_best, "best model");
    FinishModel(result.model, provenance);
    result.val = result.model.Score(m_seq, m_cut, o.primeEvents);
    result.valPoissonMarginal = ScorePoissonMarginal(m_encoding, m_seq, m_cut, m_cut);
    result.valMarkov = ScoreMarkov(m_encoding, m_seq, m_cut, m_cut);
    result.trainEvents = m_cut;
    result.valEvents = m_seq.n - m_cut;
    result.epochs = m_state.epoch;
    result.bestEpoch = m_state.bestEpoch;
    result.eventsPerSecond = m_state.trainedEvents / std::max(m_state.trainSeconds, 1e-9);
    result.wallSeconds = m_state.trainSeconds;
    result.valHistory = m_state.valHistory;
    result.stoppedEarly = stop && m_state.epoch < o.epochs;
    return result;
}

} // namespace

TrainResult
Train(const EventTable& input, const TrainOptions& options, const nlohmann::json& provenance)
{
    TorchRuntime::SetThreads(options.threads);
    Session session(input, options);
    return session.Run(provenance);
}

} // namespace temponet
} // namespace ns3
