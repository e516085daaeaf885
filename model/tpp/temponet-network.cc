/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "temponet-network.h"

#include <cmath>
#include <stdexcept>

namespace ns3
{
namespace temponet
{

namespace
{

/// Bounds of the mixture log-scales, in standardised log-gap units.
constexpr double kMinLogScale = -6.0;
constexpr double kMaxLogScale = 1.0;

int64_t
GetInt(const nlohmann::json& j, const char* key, int64_t lo, int64_t hi)
{
    if (!j.contains(key) || !j[key].is_number_integer())
    {
        throw std::runtime_error(std::string("network config: '") + key + "' missing");
    }
    const int64_t v = j[key].get<int64_t>();
    if (v < lo || v > hi)
    {
        throw std::runtime_error(std::string("network config: '") + key +
                                 "' = " + std::to_string(v) + " is out of range");
    }
    return v;
}

torch::nn::Sequential
Mlp(int64_t in, int64_t hidden, int64_t out)
{
    return torch::nn::Sequential(torch::nn::Linear(in, hidden),
                                 torch::nn::ReLU(),
                                 torch::nn::Linear(hidden, out));
}

} // namespace

nlohmann::json
NetworkConfig::ToJson() const
{
    return {{"hidden", sizes.hidden},
            {"layers", sizes.layers},
            {"mixture", sizes.mixture},
            {"host_embed", sizes.hostEmbed},
            {"field_embed", sizes.fieldEmbed},
            {"flow_embed", sizes.flowEmbed},
            {"head_hidden", sizes.headHidden},
            {"flow_labels", flowLabels},
            {"vocab_sizes", vocabSizes},
            {"is_host", isHost}};
}

NetworkConfig
NetworkConfig::FromJson(const nlohmann::json& j)
{
    if (!j.is_object())
    {
        throw std::runtime_error("network config is not an object");
    }
    NetworkConfig c;
    c.sizes.hidden = GetInt(j, "hidden", 1, 4096);
    c.sizes.layers = GetInt(j, "layers", 1, 8);
    c.sizes.mixture = GetInt(j, "mixture", 1, 256);
    c.sizes.hostEmbed = GetInt(j, "host_embed", 1, 1024);
    c.sizes.fieldEmbed = GetInt(j, "field_embed", 1, 1024);
    c.sizes.flowEmbed = GetInt(j, "flow_embed", 1, 1024);
    c.sizes.headHidden = GetInt(j, "head_hidden", 1, 4096);
    c.flowLabels = GetInt(j, "flow_labels", 1, 1025);
    if (!j.contains("vocab_sizes") || !j["vocab_sizes"].is_array() || !j.contains("is_host") ||
        !j["is_host"].is_array() || j["vocab_sizes"].size() != j["is_host"].size())
    {
        throw std::runtime_error("network config: vocab_sizes / is_host missing or mismatched");
    }
    for (const auto& v : j["vocab_sizes"])
    {
        if (!v.is_number_integer() || v.get<int64_t>() < 1 || v.get<int64_t>() > (1 << 24))
        {
            throw std::runtime_error("network config: invalid vocabulary size");
        }
        c.vocabSizes.push_back(v.get<int64_t>());
    }
    for (const auto& v : j["is_host"])
    {
        if (!v.is_number_integer())
        {
            throw std::runtime_error("network config: invalid is_host entry");
        }
        c.isHost.push_back(static_cast<uint8_t>(v.get<int>() != 0));
    }
    return c;
}

NetworkConfig
NetworkConfig::ForEncoding(const Encoding& enc, const ModelSizes& sizes)
{
    NetworkConfig c;
    c.sizes = sizes;
    for (MarkField f : enc.Fields())
    {
        c.vocabSizes.push_back(static_cast<int64_t>(enc.Vocab(f).Size()));
        c.isHost.push_back(f == MarkField::Src || f == MarkField::Dst ? 1 : 0);
    }
    c.flowLabels = static_cast<int64_t>(1 + 2 * enc.FlowSlots());
    return c;
}

TempoNetNetworkImpl::TempoNetNetworkImpl(const NetworkConfig& config)
    : m_config(config)
{
    const size_t fields = config.vocabSizes.size();
    int64_t hostVocab = 1;
    int64_t eventWidth =
        1 + static_cast<int64_t>(kCalendarDim + kActivityDim) + config.sizes.flowEmbed;
    for (size_t j = 0; j < fields; ++j)
    {
        if (config.isHost[j])
        {
            hostVocab = config.vocabSizes[j];
        }
    }
    m_hostEmbed =
        register_module("host_embed", torch::nn::Embedding(hostVocab, config.sizes.hostEmbed));
    m_flowEmbed = register_module("flow_embed",
                                  torch::nn::Embedding(config.flowLabels, config.sizes.flowEmbed));
    std::vector<int64_t> widths;
    for (size_t j = 0; j < fields; ++j)
    {
        if (config.isHost[j])
        {
            m_fieldEmbed.emplace_back(nullptr);
            widths.push_back(config.sizes.hostEmbed);
        }
        else
        {
            m_fieldEmbed.push_back(register_module(
                "embed_" + std::to_string(j),
                torch::nn::Embedding(config.vocabSizes[j], config.sizes.fieldEmbed)));
            widths.push_back(config.sizes.fieldEmbed);
        }
        eventWidth += widths.back();
    }
    m_gru = register_module("gru",
                            torch::nn::GRU(torch::nn::GRUOptions(eventWidth, config.sizes.hidden)
                                               .num_layers(config.sizes.layers)
                                               .batch_first(true)));
    m_timeHead = register_module("time_head",
                                 torch::nn::Linear(config.sizes.hidden, 3 * config.sizes.mixture));
    const int64_t ctx = config.sizes.hidden + 1;
    m_flowHead = register_module("flow_head", Mlp(ctx, config.sizes.headHidden, config.flowLabels));
    int64_t in = ctx + config.sizes.flowEmbed;
    for (size_t j = 0; j < fields; ++j)
    {
        m_fieldHeads.push_back(
            register_module("head_" + std::to_string(j),
                            Mlp(in, config.sizes.headHidden, config.vocabSizes[j])));
        in += widths[j];
    }
}

torch::Tensor
TempoNetNetworkImpl::EmbedField(size_t j, const torch::Tensor& tokens)
{
    return m_config.isHost[j] ? m_hostEmbed->forward(tokens) : m_fieldEmbed[j]->forward(tokens);
}

std::pair<torch::Tensor, torch::Tensor>
TempoNetNetworkImpl::Encode(const EventBatch& in, const torch::Tensor& h0)
{
    std::vector<torch::Tensor> parts{in.logGap.unsqueeze(-1),
                                     in.calendar,
                                     in.activity,
                                     m_flowEmbed->forward(in.flow)};
    for (size_t j = 0; j < m_fieldHeads.size(); ++j)
    {
        parts.push_back(EmbedField(j, in.tokens.select(-1, static_cast<int64_t>(j))));
    }
    auto x = torch::cat(parts, -1);
    auto out = h0.defined() ? m_gru->forward(x, h0) : m_gru->forward(x);
    return {std::get<0>(out), std::get<1>(out)};
}

std::tuple<torch::Tensor, torch::Tensor, torch::Tensor>
TempoNetNetworkImpl::TimeParams(const torch::Tensor& h)
{
    auto p = m_timeHead->forward(h);
    auto chunks = p.chunk(3, -1);
    auto logW = torch::log_softmax(chunks[0], -1);
    auto logS = chunks[2].clamp(kMinLogScale, kMaxLogScale);
    return {logW, chunks[1], logS};
}

torch::Tensor
TempoNetNetworkImpl::FlowLogits(const torch::Tensor& h, const torch::Tensor& nextLogGap)
{
    return m_flowHead->forward(torch::cat({h, nextLogGap.unsqueeze(-1)}, -1));
}

torch::Tensor
TempoNetNetworkImpl::FieldLogits(size_t j,
                                 const torch::Tensor& h,
                                 const torch::Tensor& nextLogGap,
                                 const torch::Tensor& nextFlow,
                                 const torch::Tensor& nextTokens)
{
    std::vector<torch::Tensor> parts{h, nextLogGap.unsqueeze(-1), m_flowEmbed->forward(nextFlow)};
    for (size_t k = 0; k < j; ++k)
    {
        parts.push_back(EmbedField(k, nextTokens.select(-1, static_cast<int64_t>(k))));
    }
    return m_fieldHeads[j]->forward(torch::cat(parts, -1));
}

HeadNlls
TempoNetNetworkImpl::Score(const torch::Tensor& h, const EventBatch& next)
{
    HeadNlls out;
    auto [logW, mu, logS] = TimeParams(h);
    out.timeY = -MixtureLogProb(logW, mu, logS, next.logGap);
    auto flowLogits = FlowLogits(h, next.logGap);
    out.flow = -torch::log_softmax(flowLogits, -1).gather(-1, next.flow.unsqueeze(-1)).squeeze(-1);
    std::vector<torch::Tensor> fields;
    for (size_t j = 0; j < m_fieldHeads.size(); ++j)
    {
        auto logits = FieldLogits(j, h, next.logGap, next.flow, next.tokens);
        auto target = next.tokens.select(-1, static_cast<int64_t>(j)).unsqueeze(-1);
        fields.push_back(-torch::log_softmax(logits, -1).gather(-1, target).squeeze(-1));
    }
    out.fields = torch::stack(fields, -1);
    return out;
}

EventBatch
MakeBatch(const EncodedTrace& seq, const std::vector<size_t>& starts, size_t len)
{
    const int64_t b = static_cast<int64_t>(starts.size());
    const int64_t t = static_cast<int64_t>(len);
    const int64_t f = static_cast<int64_t>(seq.fields.size());
    const int64_t c = static_cast<int64_t>(kCalendarDim);
    const int64_t a = static_cast<int64_t>(kActivityDim);
    auto fopt = torch::TensorOptions().dtype(torch::kFloat32);
    auto lopt = torch::TensorOptions().dtype(torch::kInt64);
    EventBatch out;
    out.logGap = torch::empty({b, t}, fopt);
    out.calendar = torch::empty({b, t, c}, fopt);
    out.activity = torch::empty({b, t, a}, fopt);
    out.flow = torch::empty({b, t}, lopt);
    out.tokens = torch::empty({b, t, f}, lopt);
    out.lnGap = torch::empty({b, t}, fopt);
    out.timeMask = torch::empty({b, t}, fopt);
    out.logShare = torch::empty({b, t, f}, fopt);
    float* logGap = out.logGap.data_ptr<float>();
    float* cal = out.calendar.data_ptr<float>();
    float* act = out.activity.data_ptr<float>();
    int64_t* flow = out.flow.data_ptr<int64_t>();
    int64_t* tokens = out.tokens.data_ptr<int64_t>();
    float* lnGap = out.lnGap.data_ptr<float>();
    float* mask = out.timeMask.data_ptr<float>();
    float* share = out.logShare.data_ptr<float>();
    for (int64_t w = 0; w < b; ++w)
    {
        const size_t s = starts[w];
        if (s + len > seq.n)
        {
            throw std::out_of_range("MakeBatch: window past the end of the sequence");
        }
        for (int64_t k = 0; k < t; ++k)
        {
            const size_t i = s + static_cast<size_t>(k);
            const int64_t o = w * t + k;
            logGap[o] = seq.logGap[i];
            flow[o] = seq.flow[i];
            mask[o] = seq.timeMask[i] ? 1.0f : 0.0f;
            lnGap[o] = seq.timeMask[i] ? static_cast<float>(std::log(seq.gap[i])) : 0.0f;
            for (int64_t d = 0; d < c; ++d)
            {
                cal[o * c + d] = seq.calendar[i * kCalendarDim + static_cast<size_t>(d)];
            }
            for (int64_t d = 0; d < a; ++d)
            {
                act[o * a + d] = seq.activity[i * kActivityDim + static_cast<size_t>(d)];
            }
            for (int64_t j = 0; j < f; ++j)
            {
                tokens[o * f + j] = seq.tokens[j][i];
                share[o * f + j] = seq.logShare[j][i];
            }
        }
    }
    return out;
}

EventBatch
MakeRange(const EncodedTrace& seq, size_t begin, size_t end)
{
    return MakeBatch(seq, {begin}, end - begin);
}

EventNlls
FinalNlls(const HeadNlls& raw,
          const EventBatch& next,
          double logGapStd,
          const torch::Tensor& keyField)
{
    EventNlls out;
    out.time = (raw.timeY + std::log(logGapStd) + next.lnGap) * next.timeMask;
    out.flow = raw.flow;
    auto continued = (next.flow != 0).to(torch::kFloat32).unsqueeze(-1);
    auto keep = 1.0f - continued * keyField;
    out.fields = (raw.fields - next.logShare) * keep;
    return out;
}

torch::Tensor
MixtureLogProb(const torch::Tensor& logW,
               const torch::Tensor& mu,
               const torch::Tensor& logS,
               const torch::Tensor& y)
{
    const double halfLog2Pi = 0.5 * std::log(2.0 * M_PI);
    auto z = (y.unsqueeze(-1) - mu) * torch::exp(-logS);
    auto comp = logW - 0.5 * z * z - logS - halfLog2Pi;
    return torch::logsumexp(comp, -1);
}

} // namespace temponet
} // namespace ns3
