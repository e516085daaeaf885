/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "temponet-encoding.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace ns3
{
namespace temponet
{

ActivityTracker::ActivityTracker(double meanGap)
    : m_meanGap(meanGap)
{
    if (!(meanGap > 0.0) || !std::isfinite(meanGap))
    {
        throw std::invalid_argument("ActivityTracker: the mean gap must be positive");
    }
}

void
ActivityTracker::Clear()
{
    m_started = false;
    m_first = 0.0;
    m_last = 0.0;
    m_count.fill(0.0);
}

void
ActivityTracker::Update(double ts)
{
    if (!m_started)
    {
        m_started = true;
        m_first = ts;
        m_last = ts;
        m_count.fill(1.0);
        return;
    }
    const double gap = std::max(0.0, ts - m_last);
    for (size_t k = 0; k < kActivityDim; ++k)
    {
        m_count[k] = m_count[k] * std::exp(-gap / kActivityScales[k]) + 1.0;
    }
    m_last = std::max(ts, m_last);
}

double
ActivityTracker::LogRate(size_t k) const
{
    if (!m_started)
    {
        return 0.0;
    }
    const double tau = kActivityScales[k];
    const double covered = -std::expm1(-(m_last - m_first + m_meanGap) / tau);
    return std::log(m_count[k] / (tau * covered));
}

void
Encoding::Activity(const ActivityTracker& tracker, float* out) const
{
    for (size_t k = 0; k < kActivityDim; ++k)
    {
        const ActivityScale& a = m_activity[k];
        out[k] =
            a.active
                ? static_cast<float>(std::clamp((tracker.LogRate(k) - a.mean) / a.std, a.lo, a.hi))
                : 0.0F;
    }
}

} // namespace temponet
} // namespace ns3
