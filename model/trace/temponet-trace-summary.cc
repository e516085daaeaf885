/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "temponet-trace-summary.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace ns3
{
namespace temponet
{

std::string
ProtoName(int proto)
{
    switch (proto)
    {
    case 1:
        return "icmp";
    case 2:
        return "igmp";
    case 4:
        return "ipip";
    case 6:
        return "tcp";
    case 17:
        return "udp";
    case 41:
        return "ipv6";
    case 47:
        return "gre";
    case 50:
        return "esp";
    case 51:
        return "ah";
    case 58:
        return "ipv6-icmp";
    case 89:
        return "ospf";
    case 132:
        return "sctp";
    default:
        return std::to_string(proto);
    }
}

double
DetectResolution(const std::vector<double>& ts)
{
    if (ts.size() < 2)
    {
        return 0.0;
    }
    double largest = 0.0;
    for (double t : ts)
    {
        largest = std::max(largest, std::fabs(t));
    }
    // Epoch timestamps held in doubles carry a rounding error of up to one ulp;
    // allow two ulps (the grid product adds one), never more than a quarter step.
    const double ulp = std::nextafter(largest, HUGE_VAL) - largest;
    for (int decade = 0; decade <= 6; ++decade)
    {
        // pow gives the correctly rounded step; repeated division by 10 drifts.
        const double step = std::pow(10.0, -decade);
        const double tolerance = std::min(0.25 * step, 2.0 * ulp);
        bool onGrid = true;
        for (double t : ts)
        {
            if (std::fabs(t - std::nearbyint(t / step) * step) > tolerance)
            {
                onGrid = false;
                break;
            }
        }
        if (onGrid)
        {
            return step;
        }
    }
    return 0.0;
}

namespace
{

/// \return the \p n largest counts of \p counts, busiest first, ties by key.
template <typename K, typename Name>
std::vector<TraceSummary::Count>
TopN(const std::unordered_map<K, uint64_t>& counts, size_t n, Name name)
{
    std::vector<std::pair<K, uint64_t>> all(counts.begin(), counts.end());
    std::vector<TraceSummary::Count> out;
    for (const auto& [k, c] : all)
    {
        out.push_back({name(k), c});
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
        return a.count != b.count ? a.count > b.count : a.key < b.key;
    });
    if (out.size() > n)
    {
        out.resize(n);
    }
    return out;
}

} // namespace

TraceSummary
Summarize(const EventTable& table, size_t topN)
{
    TraceSummary s;
    s.events = table.Size();
    if (table.Empty())
    {
        return s;
    }
    const auto& ts = table.Ts();
    s.startTs = ts.front();
    s.endTs = ts.back();
    s.spanSeconds = s.endTs - s.startTs;
    s.resolution = DetectResolution(ts);
    uint64_t ties = 0;
    for (size_t i = 1; i < ts.size(); ++i)
    {
        ties += ts[i] == ts[i - 1] ? 1 : 0;
    }
    s.tiedFraction = ts.size() > 1 ? double(ties) / double(ts.size() - 1) : 0.0;

    std::vector<bool> used(table.Hosts().size(), false);
    std::unordered_map<uint64_t, uint64_t> pairs;
    std::unordered_map<uint32_t, uint64_t> ports;
    std::unordered_map<int, uint64_t> protos;
    for (size_t i = 0; i < table.Size(); ++i)
    {
        const uint32_t src = table.SrcIndex()[i];
        const uint32_t dst = table.DstIndex()[i];
        used[src] = true;
        used[dst] = true;
        ++pairs[(uint64_t(src) << 32) | dst];
        const int proto = table.Proto()[i];
        ++protos[proto];
        if (table.DstPort()[i] >= 0)
        {
            ++ports[(uint32_t(proto & 0xff) << 16) | uint32_t(table.DstPort()[i] & 0xffff)];
        }
    }
    s.hosts = std::count(used.begin(), used.end(), true);
    s.pairs = pairs.size();
    for (const auto& [proto, count] : protos)
    {
        s.protocols[ProtoName(proto)] += count;
    }
    s.topPorts = TopN(ports, topN, [](uint32_t key) {
        return ProtoName(int(key >> 16)) + "/" + std::to_string(key & 0xffff);
    });
    const auto& hosts = table.Hosts();
    s.topPairs = TopN(pairs, topN, [&hosts](uint64_t key) {
        return hosts[key >> 32].ToString() + " > " + hosts[key & 0xffffffffu].ToString();
    });
    return s;
}

} // namespace temponet
} // namespace ns3
