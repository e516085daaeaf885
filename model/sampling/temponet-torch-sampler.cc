/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "temponet-torch-sampler.h"

#include "temponet-generate.h"
#include "temponet-lognormmix.h"
#include "temponet-model-impl.h"

#include <ns3/double.h>
#include <ns3/log.h>
#include <ns3/random-variable-stream.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <stdexcept>
#include <unordered_map>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("TempoNetTorchSampler");

namespace temponet
{

namespace
{

/// \return whether protocol \p proto carries ports.
bool
HasPorts(int64_t proto)
{
    return proto == 6 || proto == 17 || proto == 132;
}

/**
 * \return whether the eta truncation applies to field \p f: every identity
 * field but the destination. Numeric fields spread over many flat bins, and
 * the destination given a source is where fan-out lives (a scanner, a client
 * of many servers); truncating it, measured on UGR'16, leaves the few frequent
 * conversations and doubles the rate (doc/temponet.rst, Generation).
 */
bool
Truncated(MarkField f)
{
    return f == MarkField::Src || f == MarkField::Proto || f == MarkField::DstPort ||
           f == MarkField::SrcPort || f == MarkField::TcpFlags || f == MarkField::Ttl;
}

/// \return index drawn from unnormalised weights \p w with \p u in [0, 1).
size_t
DrawIndex(const std::vector<double>& w, double u)
{
    double total = 0.0;
    for (double x : w)
    {
        total += x;
    }
    double acc = 0.0;
    const double target = u * total;
    size_t last = 0;
    for (size_t i = 0; i < w.size(); ++i)
    {
        if (w[i] <= 0.0)
        {
            continue;
        }
        last = i;
        acc += w[i];
        if (target < acc)
        {
            return i;
        }
    }
    return last;
}

/// \return the probabilities of 1-D logits \p logits (any leading 1-sized dims).
std::vector<double>
Softmax(const torch::Tensor& logits)
{
    auto p = torch::softmax(logits.reshape({-1}).to(torch::kFloat64), 0).contiguous();
    return std::vector<double>(p.data_ptr<double>(), p.data_ptr<double>() + p.numel());
}

/// \return the sample standard deviation of the log counts (ln(n + 1)) of
/// the runs of \p r, or 0 for a single run.
double
LogSpread(const FreeRunReport& r)
{
    const size_t n = r.runEvents.size();
    if (n < 2)
    {
        return 0.0;
    }
    double sum = 0.0;
    double sq = 0.0;
    for (uint64_t e : r.runEvents)
    {
        const double x = std::log(double(e) + 1.0);
        sum += x;
        sq += x * x;
    }
    const double mean = sum / double(n);
    return std::sqrt(std::max(sq - double(n) * mean * mean, 0.0) / double(n - 1));
}

/**
 * \return the mean (MeanFreeRun()) of FreeRunRepeats() free runs of
 * \p model over the window [cut, n) of \p input, each a TorchSampler made
 * ready by \p setup, the first on streams from 0 and each next one on the
 * streams after its predecessor's (the current RngSeed and RngRun).
 */
FreeRunReport
RepeatedFreeRun(const TempoNetModel& model,
                const std::function<void(TorchSampler&)>& setup,
                const EventTable& input,
                size_t cut,
                size_t primeEvents)
{
    const size_t n = FreeRunRepeats(cut < input.Size() ? input.Size() - cut : 0);
    std::vector<FreeRunReport> runs;
    int64_t stream = 0;
    for (size_t k = 0; k < n; ++k)
    {
        TorchSampler sampler(model);
        setup(sampler);
        stream += sampler.AssignStreams(stream);
        runs.push_back(CheckFreeRunning(sampler, input, cut, primeEvents));
    }
    return MeanFreeRun(runs);
}

} // namespace

/// Everything behind TorchSampler.
struct TorchSampler::State
{
    explicit State(const TempoNetModel& m)
        : model(m),
          impl(m.GetImpl()),
          enc(impl.encoding),
          cache(enc.FlowSlots()),
          activity(enc.MakeActivityTracker())
    {
        uniform = CreateObject<UniformRandomVariable>();
        normal = CreateObject<NormalRandomVariable>();
        normal->SetAttribute("Mean", DoubleValue(0.0));
        normal->SetAttribute("Variance", DoubleValue(1.0));
        const auto& f = enc.Fields();
        for (size_t j = 0; j < f.size(); ++j)
        {
            fieldIndex[static_cast<int>(f[j])] = static_cast<int>(j);
        }
        ResetHosts();
    }

    const TempoNetModel& model;
    TempoNetModel::Impl& impl;
    const Encoding& enc;
    FlowCache cache;
    ActivityTracker activity; //!< Recent rates of the history, in model time.
    torch::Tensor state;      //!< GRU state (layers, 1, hidden), undefined when empty.
    torch::Tensor out;        //!< Last GRU output (1, 1, hidden).
    bool hasPrev{false};      //!< Whether an event was fed (its time known).
    double prevModelTs{0};
    std::vector<IpAddr> hosts;                     //!< Encoding hosts, then primed-only hosts.
    std::unordered_map<IpAddr, int64_t> hostIndex; //!< Address to raw host value.
    int fieldIndex[16] = {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1};
    double eta{TorchSampler::kDefaultEta};
    double rateCalibration{1.0}; //!< The model's rate scale (ModelRateScale()).
    bool truncateMarks{true};    //!< Whether eta truncation applies to the marks.
    Ptr<UniformRandomVariable> uniform;
    Ptr<NormalRandomVariable> normal;

    void ResetHosts()
    {
        hosts = enc.Hosts();
        hostIndex.clear();
        for (size_t i = 0; i < hosts.size(); ++i)
        {
            hostIndex[hosts[i]] = static_cast<int64_t>(i);
        }
    }

    int64_t HostRaw(const IpAddr& a)
    {
        auto it = hostIndex.find(a);
        if (it != hostIndex.end())
        {
            return it->second;
        }
        // A primed host unseen in training: its own raw value past the training hosts.
        hosts.push_back(a);
        const int64_t v = static_cast<int64_t>(hosts.size() - 1);
        hostIndex[a] = v;
        return v;
    }

    /// Clears the history.
    void Reset()
    {
        state = torch::Tensor();
        out = torch::zeros({1, 1, impl.config.sizes.hidden});
        hasPrev = false;
        cache.Clear();
        activity.Clear();
        ResetHosts();
    }

    /// \return raw value of field \p f in the per-field raw array.
    static FlowCache::Tuple TupleOf(const std::vector<int64_t>& raw, const int* idx)
    {
        auto get = [&](MarkField f) {
            const int j = idx[static_cast<int>(f)];
            return j < 0 ? int64_t{-1} : raw[static_cast<size_t>(j)];
        };
        return {get(MarkField::Src),
                get(MarkField::Dst),
                get(MarkField::Proto),
                get(MarkField::SrcPort),
                get(MarkField::DstPort)};
    }

    /**
     * Feeds one event into the GRU and the flow cache.
     * \param raw its raw values, schema order.
     * \param modelTs its time in the model's own clock (for the gap).
     * \param calTs its output time (for the calendar).
     */
    void Feed(const std::vector<int64_t>& raw, double modelTs, double calTs)
    {
        const auto& fields = enc.Fields();
        const int64_t nf = static_cast<int64_t>(fields.size());
        EventBatch in;
        float logGap = 0.0F;
        if (hasPrev)
        {
            const double gap = std::max(modelTs - prevModelTs, kMinGap);
            logGap = static_cast<float>((std::log(gap) - enc.LogGapMean()) / enc.LogGapStd());
        }
        in.logGap = torch::full({1, 1}, logGap, torch::kFloat32);
        in.calendar = torch::zeros({1, 1, static_cast<int64_t>(kCalendarDim)}, torch::kFloat32);
        enc.Calendar(calTs, in.calendar.data_ptr<float>());
        activity.Update(modelTs);
        in.activity = torch::empty({1, 1, static_cast<int64_t>(kActivityDim)}, torch::kFloat32);
        enc.Activity(activity, in.activity.data_ptr<float>());
        const FlowCache::Tuple t = TupleOf(raw, fieldIndex);
        in.flow = torch::full({1, 1}, static_cast<int64_t>(cache.LabelOf(t)), torch::kInt64);
        cache.Update(t);
        in.tokens = torch::empty({1, 1, nf}, torch::kInt64);
        int64_t* tok = in.tokens.data_ptr<int64_t>();
        for (int64_t j = 0; j < nf; ++j)
        {
            tok[j] = enc.Vocab(fields[static_cast<size_t>(j)]).TokenOf(raw[static_cast<size_t>(j)]);
        }
        auto [h, last] = impl.net->Encode(in, state);
        out = h;
        state = last;
        hasPrev = true;
        prevModelTs = modelTs;
    }
};

TorchSampler::TorchSampler(const TempoNetModel& model)
    : m_state(std::make_unique<State>(model))
{
    m_state->Reset();
    m_state->eta = ModelEta(model);
    m_state->rateCalibration = ModelRateScale(model);
    m_state->truncateMarks = ModelTruncatesMarks(model);
    if (model.GetEncoding().Kind() == TraceKind::Flows)
    {
        SetTcpRepair(false);
    }
}

double
TorchSampler::ModelEta(const TempoNetModel& model)
{
    const nlohmann::json& meta = model.Meta();
    const auto it = meta.find("sampling");
    if (it == meta.end())
    {
        return kDefaultEta;
    }
    if (!it->is_object() || !it->contains("eta") || !(*it)["eta"].is_number() ||
        !((*it)["eta"].get<double>() >= 0.0 && (*it)["eta"].get<double>() < 1.0))
    {
        throw std::invalid_argument(
            "the model's 'sampling' metadata needs an 'eta' number in [0, 1)");
    }
    return (*it)["eta"].get<double>();
}

bool
TorchSampler::ModelTruncatesMarks(const TempoNetModel& model)
{
    const nlohmann::json& meta = model.Meta();
    const auto it = meta.find("sampling");
    if (it == meta.end() || !it->is_object() || !it->contains("truncate_marks"))
    {
        return true;
    }
    if (!(*it)["truncate_marks"].is_boolean())
    {
        throw std::invalid_argument(
            "the model's 'sampling' metadata has a 'truncate_marks' that is not a boolean");
    }
    return (*it)["truncate_marks"].get<bool>();
}

double
TorchSampler::ModelRateScale(const TempoNetModel& model)
{
    const nlohmann::json& meta = model.Meta();
    const auto it = meta.find("sampling");
    if (it == meta.end() || !it->is_object() || !it->contains("rate_scale"))
    {
        return 1.0;
    }
    const nlohmann::json& v = (*it)["rate_scale"];
    if (!v.is_number() ||
        !(v.get<double>() >= kMinRateCalibration && v.get<double>() <= kMaxRateCalibration))
    {
        throw std::invalid_argument("the model's 'sampling' metadata has a 'rate_scale' that is "
                                    "not a number in [" +
                                    std::to_string(kMinRateCalibration) + ", " +
                                    std::to_string(kMaxRateCalibration) + "]");
    }
    return v.get<double>();
}

EtaChoice
ChooseEta(TempoNetModel& model,
          const EventTable& input,
          size_t cut,
          size_t primeEvents,
          const std::vector<double>& candidates)
{
    if (candidates.empty())
    {
        throw std::invalid_argument("ChooseEta: no candidate eta level");
    }
    // The levels are compared on the model as it was trained: no earlier
    // rate calibration.
    model.Meta().erase("sampling");
    EtaChoice choice;
    auto trial = [&](double eta, bool marks) {
        const FreeRunReport r = RepeatedFreeRun(
            model,
            [eta, marks](TorchSampler& s) {
                s.SetEta(eta);
                s.SetTruncateMarks(marks);
            },
            input,
            cut,
            primeEvents);
        choice.tried.push_back({eta, marks, r});
        return r.rateLogRatio + r.hostPairJsd;
    };
    std::vector<double> scores;
    for (double eta : candidates)
    {
        scores.push_back(trial(eta, true));
    }
    // Levels within one standard error of the real count (as a log ratio)
    // of the best score are as good as the window can tell; of those the
    // most truncating wins, as the regime a window shows held over it may
    // still be left over a longer run, and truncation is what holds it.
    const double noise = 1.0 / std::sqrt(double(choice.tried.front().report.realEvents) + 1.0);
    size_t pick = std::min_element(scores.begin(), scores.end()) - scores.begin();
    const double best = scores[pick];
    for (size_t k = 0; k < scores.size(); ++k)
    {
        if (scores[k] <= best + noise && candidates[k] > candidates[pick])
        {
            pick = k;
        }
    }
    choice.eta = candidates[pick];
    choice.report = choice.tried[pick].report;
    if (choice.eta > 0.0)
    {
        // The marks left whole must do better beyond the noise, by the same rule.
        const double whole = trial(choice.eta, false);
        if (whole < scores[pick] - noise)
        {
            choice.truncateMarks = false;
            choice.report = choice.tried.back().report;
        }
    }
    model.Meta()["sampling"] = {{"eta", choice.eta},
                                {"truncate_marks", choice.truncateMarks},
                                {"chosen_by", "free-running check over the validation window"}};
    return choice;
}

RateCalibration
CalibrateRate(TempoNetModel& model,
              const EventTable& input,
              size_t cut,
              size_t primeEvents,
              const FreeRunReport* uncalibrated)
{
    const double eta = TorchSampler::ModelEta(model);
    nlohmann::json& sampling = model.Meta()["sampling"];
    if (!sampling.is_object())
    {
        sampling = {{"eta", eta}, {"chosen_by", "the default level"}};
    }
    sampling.erase("rate_scale");
    sampling.erase("rate_scale_by");
    auto freeRun = [&]() {
        return RepeatedFreeRun(
            model,
            [](TorchSampler&) {},
            input,
            cut,
            primeEvents);
    };
    RateCalibration c;
    c.before = uncalibrated != nullptr ? *uncalibrated : freeRun();
    c.after = c.before;
    // The correction is the log count ratio less two standard errors of
    // the real count: a rate that is right within the noise stays as learned
    // (a timer's period would otherwise be detuned by noise). The error is
    // Poisson's, or the spread of the runs' log counts where that is larger:
    // the real window is one run of bursty traffic too.
    const double logRatio =
        std::log((double(c.before.realEvents) + 1.0) / (double(c.before.generatedEvents) + 1.0));
    const double noise =
        2.0 * std::max(1.0 / std::sqrt(double(c.before.realEvents) + 1.0), LogSpread(c.before));
    const double excess = std::max(std::fabs(logRatio) - noise, 0.0);
    if (excess == 0.0)
    {
        return c;
    }
    c.rateScale = std::clamp(std::exp(std::copysign(excess, logRatio)),
                             TorchSampler::kMinRateCalibration,
                             TorchSampler::kMaxRateCalibration);
    sampling["rate_scale"] = c.rateScale;
    sampling["rate_scale_by"] = "free-running event count over the validation window";
    c.after = freeRun();
    return c;
}

TorchSampler::~TorchSampler() = default;

void
TorchSampler::SetEta(double eta)
{
    if (!(eta >= 0.0 && eta < 1.0))
    {
        throw std::invalid_argument("the eta truncation level must lie in [0, 1), not " +
                                    std::to_string(eta));
    }
    m_state->eta = eta;
}

double
TorchSampler::Eta() const
{
    return m_state->eta;
}

void
TorchSampler::SetTruncateMarks(bool marks)
{
    m_state->truncateMarks = marks;
}

bool
TorchSampler::TruncatesMarks() const
{
    return m_state->truncateMarks;
}

int64_t
TorchSampler::AssignStreams(int64_t stream)
{
    m_state->uniform->SetStream(stream);
    m_state->normal->SetStream(stream + 1);
    return 2;
}

TraceKind
TorchSampler::Kind() const
{
    return m_state->enc.Kind();
}

std::string
TorchSampler::Name() const
{
    return "temponet";
}

void
TorchSampler::DoReset(double /* start */)
{
    m_state->Reset();
}

void
TorchSampler::DoPrime(const EventTable& prefix)
{
    State& s = *m_state;
    torch::NoGradGuard noGrad;
    s.impl.net->eval();
    const auto& fields = s.enc.Fields();
    const auto dq = s.enc.Dequantise(prefix.Ts());
    std::vector<int64_t> raw(fields.size());
    for (size_t i = 0; i < prefix.Size(); ++i)
    {
        for (size_t j = 0; j < fields.size(); ++j)
        {
            const MarkField f = fields[j];
            if (f == MarkField::Src || f == MarkField::Dst)
            {
                const uint32_t h =
                    f == MarkField::Src ? prefix.SrcIndex()[i] : prefix.DstIndex()[i];
                raw[j] = s.HostRaw(prefix.Hosts()[h]);
            }
            else
            {
                raw[j] = s.enc.RawValue(prefix, i, f);
            }
        }
        s.Feed(raw, dq[i], dq[i]);
    }
    NS_LOG_INFO("primed with " << prefix.Size() << " events");
}

TraceEvent
TorchSampler::DoNext(double now, double rateScale)
{
    State& s = *m_state;
    torch::NoGradGuard noGrad;
    s.impl.net->eval();
    const Encoding& enc = s.enc;
    const auto& fields = enc.Fields();
    const int64_t nf = static_cast<int64_t>(fields.size());

    // 1. The gap, in the model's own time.
    auto [logW, mu, logS] = s.impl.net->TimeParams(s.out);
    LogNormMix mix;
    auto toVec = [](const torch::Tensor& t) {
        auto d = t.reshape({-1}).to(torch::kFloat64).contiguous();
        return std::vector<double>(d.data_ptr<double>(), d.data_ptr<double>() + d.numel());
    };
    mix.logWeights = toVec(logW);
    if (s.eta > 0.0)
    {
        std::vector<double> w(mix.logWeights.size());
        double total = 0.0;
        for (size_t k = 0; k < w.size(); ++k)
        {
            w[k] = std::exp(mix.logWeights[k]);
        }
        EtaTruncate(w, s.eta);
        for (double x : w)
        {
            total += x;
        }
        for (size_t k = 0; k < w.size(); ++k)
        {
            mix.logWeights[k] = w[k] > 0.0 ? std::log(w[k] / total) : -HUGE_VAL;
        }
    }
    mix.means = toVec(mu);
    mix.logScales = toVec(logS);
    mix.logGapMean = enc.LogGapMean();
    mix.logGapStd = enc.LogGapStd();
    const double u0 = s.uniform->GetValue();
    const double z = s.normal->GetValue();
    // No gap longer than the training data's longest: one far-tail draw
    // would otherwise silence the rest of a run.
    const double gap = std::max(mix.SampleBelow(u0, z, enc.MaxGap()), kMinGap);
    const double y = (std::log(gap) - enc.LogGapMean()) / enc.LogGapStd();
    const double outTs = now + gap / (rateScale * s.rateCalibration);
    auto yT = torch::full({1, 1}, static_cast<float>(y), torch::kFloat32);

    // 2. The continuation mark, over the filled slots only.
    std::vector<double> pFlow = Softmax(s.impl.net->FlowLogits(s.out, yT));
    EtaTruncate(pFlow, s.eta);
    for (size_t l = 0; l < pFlow.size(); ++l)
    {
        // Empty slots, and the reverse of a flow to a group address (which
        // would give the event a multicast or broadcast source), are not drawn.
        const auto label = static_cast<int32_t>(l);
        if (!s.cache.IsValid(label) ||
            (label != 0 && s.hosts.at(static_cast<size_t>(s.cache.Resolve(label).src)).IsGroup()))
        {
            pFlow[l] = 0.0;
        }
    }
    const int32_t label = static_cast<int32_t>(DrawIndex(pFlow, s.uniform->GetValue()));
    FlowCache::Tuple cont;
    if (label != 0)
    {
        cont = s.cache.Resolve(label);
    }
    auto flowT = torch::full({1, 1}, static_cast<int64_t>(label), torch::kInt64);

    // 3. The fields, in chain order.
    auto tokens = torch::zeros({1, 1, nf}, torch::kInt64);
    int64_t* tok = tokens.data_ptr<int64_t>();
    std::vector<int64_t> raw(fields.size(), kNotApplicable);
    int64_t proto = -1;
    int64_t packets = kNotApplicable;
    bool v6 = false;
    for (size_t j = 0; j < fields.size(); ++j)
    {
        const MarkField f = fields[j];
        const Vocabulary& v = enc.Vocab(f);
        if (label != 0 && IsFlowKeyField(f))
        {
            raw[j] = cont.Get(f);
            tok[j] = v.TokenOf(raw[j]);
        }
        else
        {
            std::vector<double> p = Softmax(s.impl.net->FieldLogits(j, s.out, yT, flowT, tokens));
            // Tokens never seen in training (e.g. an empty bucket) are not drawn;
            // ports and flags are constrained to the protocol; a new flow's
            // source is never a group address the vocabulary holds exactly.
            const bool portField = f == MarkField::SrcPort || f == MarkField::DstPort;
            const bool flagField = f == MarkField::TcpFlags;
            const bool constrain = (portField || flagField) && v.HasNotApplicable();
            const bool applicable = portField ? HasPorts(proto) : proto == 6;
            // A flow's bytes lie within its packets times the smallest and
            // the largest IP packet (the DKC rule bytes_range).
            const bool bytesField = f == MarkField::Bytes && packets >= 1;
            const bool srcField = f == MarkField::Src;
            const int64_t bytesLo = bytesField ? packets * MinimumIpPacket(int(proto), v6) : 0;
            const int64_t bytesHi = bytesField ? packets * kMaxIpTotalLength : 0;
            std::vector<double> q = p;
            double sum = 0.0;
            for (size_t k = 0; k < q.size(); ++k)
            {
                const Vocabulary::Token& t = v.At(k);
                if (t.count == 0 || (constrain && (k == 0) == applicable) ||
                    (srcField && t.kind == Vocabulary::Kind::Exact &&
                     s.hosts.at(static_cast<size_t>(t.value)).IsGroup()) ||
                    (bytesField && !v.CanHold(static_cast<int32_t>(k), bytesLo, bytesHi)))
                {
                    q[k] = 0.0;
                }
                sum += q[k];
            }
            const bool feasible = sum > 0.0;
            if (feasible)
            {
                p.swap(q);
            }
            // Truncation after the constraints, so it never leaves only
            // outcomes the protocol rules out.
            if (s.truncateMarks && Truncated(f))
            {
                EtaTruncate(p, s.eta);
            }
            tok[j] = static_cast<int64_t>(DrawIndex(p, s.uniform->GetValue()));
            const auto token = static_cast<int32_t>(tok[j]);
            raw[j] = bytesField && feasible
                         ? v.DrawWithin(token, bytesLo, bytesHi, s.uniform->GetValue())
                         : v.Draw(token, s.uniform->GetValue());
        }
        if (f == MarkField::Src && raw[j] >= 0)
        {
            v6 = s.hosts.at(static_cast<size_t>(raw[j])).IsV6();
        }
        if (f == MarkField::Packets)
        {
            packets = raw[j];
        }
        if (f == MarkField::Proto)
        {
            proto = raw[j];
        }
    }

    // 4. The event, then the history.
    TraceEvent e;
    e.ts = outTs;
    for (size_t j = 0; j < fields.size(); ++j)
    {
        const int64_t r = raw[j];
        switch (fields[j])
        {
        case MarkField::Src:
            e.src = s.hosts.at(static_cast<size_t>(r));
            break;
        case MarkField::Dst:
            e.dst = s.hosts.at(static_cast<size_t>(r));
            break;
        case MarkField::Proto:
            e.proto = static_cast<int16_t>(r);
            break;
        case MarkField::DstPort:
            e.dstPort = static_cast<int32_t>(r);
            break;
        case MarkField::SrcPort:
            e.srcPort = static_cast<int32_t>(r);
            break;
        case MarkField::Size:
            e.size = static_cast<int32_t>(r);
            break;
        case MarkField::TcpFlags:
            e.tcpFlags = static_cast<int16_t>(r);
            break;
        case MarkField::Ttl:
            e.ttl = static_cast<int16_t>(r);
            break;
        case MarkField::Duration:
            e.duration = r < 0 ? std::nan("") : static_cast<double>(r) * 1e-6;
            break;
        case MarkField::Packets:
            e.packets = r;
            break;
        case MarkField::Bytes:
            e.bytes = r;
            break;
        }
    }
    const double modelTs = (s.hasPrev ? s.prevModelTs : 0.0) + gap;
    s.Feed(raw, modelTs, outTs);
    return e;
}

} // namespace temponet
} // namespace ns3
