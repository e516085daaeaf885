/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "temponet-model.h"

#include "temponet-model-impl.h"

#include <algorithm>

namespace ns3
{
namespace temponet
{

namespace
{

/// Events per GRU chunk when scoring long sequences.
constexpr size_t kScoreChunk = 4096;

torch::Tensor
KeyFieldMask(const Encoding& enc)
{
    std::vector<float> mask;
    for (MarkField f : enc.Fields())
    {
        mask.push_back(IsFlowKeyField(f) ? 1.0f : 0.0f);
    }
    return torch::tensor(mask, torch::kFloat32);
}

} // namespace

TempoNetModel::TempoNetModel()
    : m_impl(std::make_unique<Impl>())
{
}

TempoNetModel::TempoNetModel(const Encoding& encoding, const ModelSizes& sizes, uint64_t seed)
    : m_impl(std::make_unique<Impl>())
{
    torch::manual_seed(seed);
    m_impl->encoding = encoding;
    m_impl->config = NetworkConfig::ForEncoding(encoding, sizes);
    m_impl->net = TempoNetNetwork(m_impl->config);
    m_impl->keyField = KeyFieldMask(encoding);
}

TempoNetModel::~TempoNetModel() = default;
TempoNetModel::TempoNetModel(TempoNetModel&&) noexcept = default;
TempoNetModel& TempoNetModel::operator=(TempoNetModel&&) noexcept = default;

const Encoding&
TempoNetModel::GetEncoding() const
{
    return m_impl->encoding;
}

const ModelSizes&
TempoNetModel::Sizes() const
{
    return m_impl->config.sizes;
}

nlohmann::json&
TempoNetModel::Meta()
{
    return m_impl->meta;
}

const nlohmann::json&
TempoNetModel::Meta() const
{
    return m_impl->meta;
}

TempoNetModel::Impl&
TempoNetModel::GetImpl() const
{
    return *m_impl;
}

size_t
TempoNetModel::ParameterCount() const
{
    size_t n = 0;
    for (const auto& p : m_impl->net->parameters())
    {
        n += static_cast<size_t>(p.numel());
    }
    return n;
}

ModelFile
TempoNetModel::ToModelFile() const
{
    ModelFile file;
    file.meta = m_impl->meta;
    file.meta["kind"] = "temponet-model";
    file.meta["encoding"] = m_impl->encoding.ToJson();
    file.meta["network"] = m_impl->config.ToJson();
    for (const auto& item : m_impl->net->named_parameters())
    {
        auto t = item.value().detach().contiguous().to(torch::kFloat32);
        ModelFile::Tensor out;
        out.name = item.key();
        out.shape = t.sizes().vec();
        out.values.assign(t.data_ptr<float>(), t.data_ptr<float>() + t.numel());
        file.tensors.push_back(std::move(out));
    }
    return file;
}

void
TempoNetModel::Save(const std::string& path) const
{
    ToModelFile().Write(path);
}

TempoNetModel
TempoNetModel::FromModelFile(const ModelFile& file, const std::string& path)
{
    if (!file.meta.contains("kind") || file.meta["kind"] != "temponet-model")
    {
        throw ModelFileError(path + ": not a TempoNet model (metadata 'kind' is missing)");
    }
    TempoNetModel model;
    Impl& impl = *model.m_impl;
    try
    {
        impl.encoding = Encoding::FromJson(file.meta.at("encoding"));
        impl.config = NetworkConfig::FromJson(file.meta.at("network"));
    }
    catch (const std::exception& e)
    {
        throw ModelFileError(path + ": invalid model metadata: " + e.what());
    }
    const NetworkConfig expected = NetworkConfig::ForEncoding(impl.encoding, impl.config.sizes);
    if (expected.vocabSizes != impl.config.vocabSizes || expected.isHost != impl.config.isHost ||
        expected.flowLabels != impl.config.flowLabels)
    {
        throw ModelFileError(path + ": network sizes do not match the model's encoding");
    }
    impl.net = TempoNetNetwork(impl.config);
    impl.keyField = KeyFieldMask(impl.encoding);
    torch::NoGradGuard noGrad;
    for (auto& item : impl.net->named_parameters())
    {
        const ModelFile::Tensor& t = file.Find(item.key(), path);
        if (t.shape != item.value().sizes().vec())
        {
            throw ModelFileError(path + ": tensor '" + item.key() +
                                 "' has a shape that does not match the network");
        }
        auto src = torch::from_blob(const_cast<float*>(t.values.data()),
                                    item.value().sizes(),
                                    torch::kFloat32);
        item.value().copy_(src);
    }
    impl.meta = file.meta;
    impl.meta.erase("kind");
    impl.meta.erase("encoding");
    impl.meta.erase("network");
    return model;
}

TempoNetModel
TempoNetModel::Load(const std::string& path)
{
    return FromModelFile(ModelFile::Read(path), path);
}

namespace
{

/**
 * Runs the GRU so that row r of the result is the state predicting event
 * begin + r, for events [begin, end).
 * \return (end - begin, hidden).
 */
torch::Tensor
StatesFor(TempoNetModel::Impl& impl,
          const EncodedTrace& seq,
          size_t begin,
          size_t end,
          size_t primeEvents)
{
    if (begin < 1 || end > seq.n || begin >= end)
    {
        throw std::invalid_argument("event range must lie inside the sequence, after its start");
    }
    const size_t start = begin > primeEvents ? begin - primeEvents : 0;
    auto in = MakeRange(seq, start, end - 1);
    auto [h, last] = impl.net->Encode(in, torch::Tensor());
    return h.squeeze(0).slice(0, static_cast<int64_t>(begin - 1 - start));
}

} // namespace

std::vector<LogNormMix>
TempoNetModel::TimeDistributions(const EncodedTrace& seq,
                                 size_t begin,
                                 size_t end,
                                 size_t primeEvents) const
{
    torch::NoGradGuard noGrad;
    m_impl->net->eval();
    auto h = StatesFor(*m_impl, seq, begin, end, primeEvents);
    auto [logW, mu, logS] = m_impl->net->TimeParams(h);
    logW = logW.to(torch::kFloat64).contiguous();
    mu = mu.to(torch::kFloat64).contiguous();
    logS = logS.to(torch::kFloat64).contiguous();
    const int64_t k = logW.size(1);
    std::vector<LogNormMix> out;
    for (int64_t r = 0; r < logW.size(0); ++r)
    {
        LogNormMix d;
        d.logWeights.assign(logW.data_ptr<double>() + r * k, logW.data_ptr<double>() + (r + 1) * k);
        d.means.assign(mu.data_ptr<double>() + r * k, mu.data_ptr<double>() + (r + 1) * k);
        d.logScales.assign(logS.data_ptr<double>() + r * k, logS.data_ptr<double>() + (r + 1) * k);
        d.logGapMean = m_impl->encoding.LogGapMean();
        d.logGapStd = m_impl->encoding.LogGapStd();
        out.push_back(std::move(d));
    }
    return out;
}

std::vector<std::vector<double>>
TempoNetModel::FieldProbabilities(const EncodedTrace& seq,
                                  size_t field,
                                  size_t begin,
                                  size_t end,
                                  size_t primeEvents) const
{
    if (field >= seq.fields.size())
    {
        throw std::invalid_argument("field index out of range");
    }
    torch::NoGradGuard noGrad;
    m_impl->net->eval();
    auto h = StatesFor(*m_impl, seq, begin, end, primeEvents).unsqueeze(0);
    auto next = MakeRange(seq, begin, end);
    auto p =
        torch::softmax(m_impl->net->FieldLogits(field, h, next.logGap, next.flow, next.tokens), -1)
            .squeeze(0)
            .to(torch::kFloat64)
            .contiguous();
    const int64_t v = p.size(1);
    std::vector<std::vector<double>> out;
    for (int64_t r = 0; r < p.size(0); ++r)
    {
        out.emplace_back(p.data_ptr<double>() + r * v, p.data_ptr<double>() + (r + 1) * v);
    }
    return out;
}

NllReport
TempoNetModel::Score(const EncodedTrace& seq, size_t from, size_t primeEvents) const
{
    if (from < 1 || from > seq.n)
    {
        throw std::invalid_argument("Score: the first scored event must have a predecessor");
    }
    torch::NoGradGuard noGrad;
    Impl& impl = *m_impl;
    impl.net->eval();
    NllReport report;
    report.Add("flow", 0.0);
    for (MarkField f : seq.fields)
    {
        report.Add(FieldName(f), 0.0);
    }
    const size_t start = from > primeEvents ? from - primeEvents : 0;
    torch::Tensor state;
    // Feed events [a, b); read the predictions of events [a + 1, b + 1).
    for (size_t a = start; a + 1 < seq.n; a += kScoreChunk)
    {
        const size_t b = std::min(a + kScoreChunk, seq.n - 1);
        auto in = MakeRange(seq, a, b);
        auto [h, last] = impl.net->Encode(in, state);
        state = last;
        const size_t first = std::max(from, a + 1);
        if (first > b)
        {
            continue;
        }
        // Keep only predictions of events >= from.
        const int64_t skip = static_cast<int64_t>(first - (a + 1));
        auto next = MakeRange(seq, first, b + 1);
        auto raw = impl.net->Score(h.slice(1, skip), next);
        auto nll = FinalNlls(raw, next, impl.encoding.LogGapStd(), impl.keyField);
        report.events += b + 1 - first;
        report.time += nll.time.sum().item<double>();
        report.marks[0].second += nll.flow.sum().item<double>();
        auto perField = nll.fields.sum(std::vector<int64_t>{0, 1});
        for (size_t j = 0; j < seq.fields.size(); ++j)
        {
            report.marks[j + 1].second += perField[static_cast<int64_t>(j)].item().toDouble();
        }
    }
    return report;
}

} // namespace temponet
} // namespace ns3
