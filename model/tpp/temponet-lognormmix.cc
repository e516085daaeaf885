/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "temponet-lognormmix.h"

#include <algorithm>
#include <cmath>

namespace ns3
{
namespace temponet
{

double
LogNormMix::LogDensity(double gap) const
{
    const double y = (std::log(gap) - logGapMean) / logGapStd;
    const double halfLog2Pi = 0.5 * std::log(2.0 * M_PI);
    double top = -INFINITY;
    std::vector<double> terms(means.size());
    for (size_t k = 0; k < means.size(); ++k)
    {
        const double z = (y - means[k]) * std::exp(-logScales[k]);
        terms[k] = logWeights[k] - 0.5 * z * z - logScales[k] - halfLog2Pi;
        top = std::max(top, terms[k]);
    }
    double sum = 0.0;
    for (double t : terms)
    {
        sum += std::exp(t - top);
    }
    return top + std::log(sum) - std::log(logGapStd) - std::log(gap);
}

double
LogNormMix::Survival(double gap) const
{
    const double y = (std::log(gap) - logGapMean) / logGapStd;
    double s = 0.0;
    for (size_t k = 0; k < means.size(); ++k)
    {
        const double z = (y - means[k]) * std::exp(-logScales[k]);
        s += std::exp(logWeights[k]) * 0.5 * std::erfc(z / std::sqrt(2.0));
    }
    return s;
}

double
LogNormMix::Mean() const
{
    double mean = 0.0;
    for (size_t k = 0; k < means.size(); ++k)
    {
        const double mu = logGapMean + logGapStd * means[k];
        const double sigma = logGapStd * std::exp(logScales[k]);
        mean += std::exp(logWeights[k] + mu + 0.5 * sigma * sigma);
    }
    return mean;
}

double
LogNormMix::Sample(double u, double z) const
{
    // The component: the first whose cumulative weight exceeds u, or the last
    // with a positive weight (rounding can leave u above the total).
    size_t k = 0;
    double acc = 0.0;
    for (size_t c = 0; c < means.size(); ++c)
    {
        const double w = std::exp(logWeights[c]);
        if (w <= 0.0)
        {
            continue;
        }
        k = c;
        acc += w;
        if (u < acc)
        {
            break;
        }
    }
    const double y = means[k] + std::exp(logScales[k]) * z;
    return std::exp(logGapMean + logGapStd * y);
}

} // namespace temponet
} // namespace ns3
