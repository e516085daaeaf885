/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "temponet-lognormmix.h"

#include <algorithm>
#include <boost/math/special_functions/erf.hpp>
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

double
LogNormMix::SampleBelow(double u, double z, double maxGap) const
{
    const double yc = (std::log(maxGap) - logGapMean) / logGapStd;
    std::vector<double> below(means.size(), 0.0);
    double total = 0.0;
    for (size_t k = 0; k < means.size(); ++k)
    {
        const double a = (yc - means[k]) * std::exp(-logScales[k]);
        below[k] = std::exp(logWeights[k]) * 0.5 * std::erfc(-a / std::sqrt(2.0));
        total += below[k];
    }
    if (!(total > 0.0))
    {
        return maxGap;
    }
    size_t k = 0;
    double acc = 0.0;
    for (size_t c = 0; c < means.size(); ++c)
    {
        if (below[c] <= 0.0)
        {
            continue;
        }
        k = c;
        acc += below[c] / total;
        if (u < acc)
        {
            break;
        }
    }
    const double sigma = std::exp(logScales[k]);
    const double a = (yc - means[k]) / sigma;
    const double mass = 0.5 * std::erfc(-a / std::sqrt(2.0)); // Phi(a)
    double zk = z;
    if (1.0 - mass >= 1e-12)
    {
        // Phi(z') = Phi(z) Phi(a): the same quantile of the truncated component.
        const double p = std::clamp(0.5 * std::erfc(-z / std::sqrt(2.0)) * mass, 1e-300, 1.0);
        zk = -std::sqrt(2.0) * boost::math::erfc_inv(2.0 * p);
        zk = std::min(zk, a);
    }
    const double y = means[k] + sigma * zk;
    return std::min(std::exp(logGapMean + logGapStd * y), maxGap);
}

} // namespace temponet
} // namespace ns3
