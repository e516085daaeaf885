/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "temponet-generate.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>

namespace ns3
{
namespace temponet
{

namespace
{

/// \return the host-pair counts of \p t.
std::map<std::pair<IpAddr, IpAddr>, double>
PairCounts(const EventTable& t, size_t begin, size_t end)
{
    std::map<std::pair<IpAddr, IpAddr>, double> counts;
    for (size_t i = begin; i < end; ++i)
    {
        counts[{t.Hosts()[t.SrcIndex()[i]], t.Hosts()[t.DstIndex()[i]]}] += 1.0;
    }
    return counts;
}

/// \return the Jensen-Shannon divergence (base 2) of two count tables.
double
Jsd(const std::map<std::pair<IpAddr, IpAddr>, double>& a,
    const std::map<std::pair<IpAddr, IpAddr>, double>& b)
{
    double na = 0.0;
    double nb = 0.0;
    for (const auto& [k, c] : a)
    {
        na += c;
    }
    for (const auto& [k, c] : b)
    {
        nb += c;
    }
    if (na == 0.0 || nb == 0.0)
    {
        return na == nb ? 0.0 : 1.0;
    }
    auto term = [](double p, double m) { return p > 0.0 ? p * std::log2(p / m) : 0.0; };
    double jsd = 0.0;
    for (const auto& [k, c] : a)
    {
        const double p = c / na;
        auto it = b.find(k);
        const double q = it == b.end() ? 0.0 : it->second / nb;
        jsd += 0.5 * term(p, 0.5 * (p + q)) + 0.5 * term(q, 0.5 * (p + q));
    }
    for (const auto& [k, c] : b)
    {
        if (a.find(k) == a.end())
        {
            jsd += 0.5 * (c / nb); // p = 0: q log2(q / (q / 2)) / 2
        }
    }
    return jsd;
}

} // namespace

FreeRunReport
CheckFreeRunning(Sampler& sampler, const EventTable& input, size_t cut, size_t primeEvents)
{
    if (cut == 0 || cut >= input.Size())
    {
        throw std::invalid_argument(
            "free-running check: need events both before and after the cut");
    }
    const size_t first = cut > primeEvents ? cut - primeEvents : 0;
    sampler.Prime(input.Rows(first, cut));
    FreeRunReport r;
    r.realEvents = input.Size() - cut;
    GenerateOptions options;
    options.start = input.Ts()[cut - 1];
    options.duration = std::nextafter(input.Ts().back() - options.start, HUGE_VAL);
    options.maxEvents = 10 * r.realEvents + 100;
    const GenerateResult g = Generate(sampler, options);
    r.generatedEvents = g.events.Size();
    r.capped = r.generatedEvents >= options.maxEvents;
    r.rateLogRatio =
        std::fabs(std::log((double(r.generatedEvents) + 1.0) / (double(r.realEvents) + 1.0)));
    r.hostPairJsd =
        Jsd(PairCounts(input, cut, input.Size()), PairCounts(g.events, 0, g.events.Size()));
    r.runEvents = {r.generatedEvents};
    return r;
}

FreeRunReport
MeanFreeRun(const std::vector<FreeRunReport>& runs)
{
    if (runs.empty())
    {
        throw std::invalid_argument("MeanFreeRun: no free run");
    }
    FreeRunReport mean;
    mean.realEvents = runs.front().realEvents;
    double events = 0.0;
    for (const FreeRunReport& r : runs)
    {
        if (r.realEvents != mean.realEvents)
        {
            throw std::invalid_argument("MeanFreeRun: the runs cover different real windows");
        }
        events += double(r.generatedEvents);
        mean.rateLogRatio += r.rateLogRatio;
        mean.hostPairJsd += r.hostPairJsd;
        mean.capped = mean.capped || r.capped;
        mean.runEvents.insert(mean.runEvents.end(), r.runEvents.begin(), r.runEvents.end());
    }
    const double n = double(runs.size());
    mean.generatedEvents = uint64_t(std::llround(events / n));
    mean.rateLogRatio /= n;
    mean.hostPairJsd /= n;
    return mean;
}

size_t
FreeRunRepeats(uint64_t realEvents)
{
    constexpr uint64_t kEventBudget = 20000;
    constexpr uint64_t kMostRuns = 5;
    return size_t(std::clamp<uint64_t>(kEventBudget / (realEvents + 1), 1, kMostRuns));
}

} // namespace temponet
} // namespace ns3
