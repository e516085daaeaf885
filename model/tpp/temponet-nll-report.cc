/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "temponet-nll-report.h"

namespace ns3
{
namespace temponet
{

void
NllReport::Add(const std::string& name, double v)
{
    for (auto& [head, sum] : marks)
    {
        if (head == name)
        {
            sum += v;
            return;
        }
    }
    marks.emplace_back(name, v);
}

double
NllReport::Total() const
{
    double total = time;
    for (const auto& [head, sum] : marks)
    {
        total += sum;
    }
    return total;
}

nlohmann::json
NllReport::PerEventJson() const
{
    const double n = events > 0 ? double(events) : 1.0;
    nlohmann::json j = nlohmann::json::object();
    j["total"] = Total() / n;
    j["time"] = time / n;
    for (const auto& [head, sum] : marks)
    {
        j[head] = sum / n;
    }
    return j;
}

} // namespace temponet
} // namespace ns3
