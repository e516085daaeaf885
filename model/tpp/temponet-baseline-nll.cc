/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "temponet-baseline-nll.h"

#include <cmath>
#include <stdexcept>
#include <unordered_map>

namespace ns3
{
namespace temponet
{

namespace
{

void
CheckRange(const EncodedTrace& seq, size_t fitEnd, size_t from)
{
    if (fitEnd < 2 || fitEnd > seq.n || from < 1 || from > seq.n)
    {
        throw std::invalid_argument("baseline scoring: need at least two fitted events and "
                                    "a scored range inside the sequence");
    }
}

/// Overall rate of the fitted part, events per second.
double
FittedRate(const EncodedTrace& seq, size_t fitEnd)
{
    const double span = seq.ts[fitEnd - 1] - seq.ts[0];
    return double(fitEnd - 1) / std::max(span, 1e-9);
}

/// -ln of an exponential density with rate \p rate at \p gap.
double
ExpNll(double rate, double gap)
{
    return -(std::log(rate) - rate * gap);
}

} // namespace

NllReport
ScorePoissonMarginal(const Encoding& enc, const EncodedTrace& seq, size_t fitEnd, size_t from)
{
    CheckRange(seq, fitEnd, from);
    const double rate = FittedRate(seq, fitEnd);
    NllReport r;
    r.Add("flow", 0.0);
    std::vector<std::vector<double>> logP(seq.fields.size());
    for (size_t f = 0; f < seq.fields.size(); ++f)
    {
        const size_t v = enc.Vocab(seq.fields[f]).Size();
        std::vector<double> counts(v, 1.0);
        for (size_t i = 0; i < fitEnd; ++i)
        {
            counts[seq.tokens[f][i]] += 1.0;
        }
        const double total = double(fitEnd) + double(v);
        logP[f].resize(v);
        for (size_t k = 0; k < v; ++k)
        {
            logP[f][k] = std::log(counts[k] / total);
        }
        r.Add(FieldName(seq.fields[f]), 0.0);
    }
    for (size_t i = from; i < seq.n; ++i)
    {
        ++r.events;
        if (seq.timeMask[i])
        {
            r.time += ExpNll(rate, seq.gap[i]);
        }
        for (size_t f = 0; f < seq.fields.size(); ++f)
        {
            r.marks[f + 1].second -= logP[f][seq.tokens[f][i]] + seq.logShare[f][i];
        }
    }
    return r;
}

NllReport
ScoreMarkov(const Encoding& enc, const EncodedTrace& seq, size_t fitEnd, size_t from)
{
    CheckRange(seq, fitEnd, from);
    const double rate = FittedRate(seq, fitEnd);
    // Time: rate after an event whose source token is k, with one pseudo-gap
    // of the overall mean so rare tokens fall back to the overall rate.
    const size_t hostTokens = enc.Vocab(MarkField::Src).Size();
    std::vector<double> gapCount(hostTokens, 1.0);
    std::vector<double> gapSum(hostTokens, 1.0 / rate);
    size_t srcField = 0;
    for (size_t f = 0; f < seq.fields.size(); ++f)
    {
        if (seq.fields[f] == MarkField::Src)
        {
            srcField = f;
        }
    }
    const auto& src = seq.tokens[srcField];
    for (size_t i = 1; i < fitEnd; ++i)
    {
        if (seq.timeMask[i])
        {
            gapCount[src[i - 1]] += 1.0;
            gapSum[src[i - 1]] += seq.gap[i];
        }
    }
    NllReport r;
    r.Add("flow", 0.0);
    // Marks: transition counts per field, add-one smoothing.
    std::vector<std::unordered_map<uint64_t, double>> trans(seq.fields.size());
    std::vector<std::vector<double>> fromCount(seq.fields.size());
    for (size_t f = 0; f < seq.fields.size(); ++f)
    {
        fromCount[f].assign(enc.Vocab(seq.fields[f]).Size(), 0.0);
        for (size_t i = 1; i < fitEnd; ++i)
        {
            const uint64_t a = static_cast<uint32_t>(seq.tokens[f][i - 1]);
            const uint64_t b = static_cast<uint32_t>(seq.tokens[f][i]);
            trans[f][(a << 32) | b] += 1.0;
            fromCount[f][a] += 1.0;
        }
        r.Add(FieldName(seq.fields[f]), 0.0);
    }
    for (size_t i = from; i < seq.n; ++i)
    {
        ++r.events;
        if (seq.timeMask[i])
        {
            const int32_t k = src[i - 1];
            r.time += ExpNll(gapCount[k] / gapSum[k], seq.gap[i]);
        }
        for (size_t f = 0; f < seq.fields.size(); ++f)
        {
            const double v = double(fromCount[f].size());
            const uint64_t a = static_cast<uint32_t>(seq.tokens[f][i - 1]);
            const uint64_t b = static_cast<uint32_t>(seq.tokens[f][i]);
            auto it = trans[f].find((a << 32) | b);
            const double c = it == trans[f].end() ? 0.0 : it->second;
            r.marks[f + 1].second -=
                std::log((c + 1.0) / (fromCount[f][a] + v)) + seq.logShare[f][i];
        }
    }
    return r;
}

} // namespace temponet
} // namespace ns3
