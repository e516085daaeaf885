/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef TEMPONET_LOGNORMMIX_H
#define TEMPONET_LOGNORMMIX_H

#include <vector>

namespace ns3
{
namespace temponet
{

/**
 * \ingroup temponet
 * \brief A log-normal mixture for the gap to the next event (Shchur et al.,
 * "Intensity-free learning of temporal point processes", ICLR 2020).
 *
 * The mixture lives in the standardised log-gap y = (ln gap - m) / s, with m
 * and s the encoding's LogGapMean() and LogGapStd(): y is a mixture of K
 * Gaussians with weights w_k, means mu_k and scales sigma_k. Hence
 * ln p(gap) = ln sum_k w_k N(y; mu_k, sigma_k) - ln s - ln gap.
 * Times are in seconds.
 */
struct LogNormMix
{
    std::vector<double> logWeights; //!< ln w_k (normalised).
    std::vector<double> means;      //!< mu_k, standardised units.
    std::vector<double> logScales;  //!< ln sigma_k, standardised units.
    double logGapMean{0};           //!< m.
    double logGapStd{1};            //!< s.

    /// \return ln p(gap) for \p gap > 0 seconds.
    double LogDensity(double gap) const;

    /// \return P(next gap > \p gap).
    double Survival(double gap) const;

    /// \return the mean gap in seconds.
    double Mean() const;

    /**
     * Draws a gap.
     * \param u uniform in [0, 1), picks the component.
     * \param z a standard normal number.
     * \return the gap in seconds.
     */
    double Sample(double u, double z) const;

    /**
     * Draws a gap from the mixture truncated to (0, \p maxGap]: a component
     * with probability w_k F_k(maxGap) (renormalised), then the gap from that
     * component truncated at maxGap by the inverse CDF. A component whose
     * mass above maxGap is below 1e-12 draws exactly as Sample() does.
     * \param u uniform in [0, 1), picks the component.
     * \param z a standard normal number.
     * \param maxGap the cap in seconds (> 0); maxGap itself when the mixture
     *        holds no mass below it.
     * \return the gap in seconds.
     */
    double SampleBelow(double u, double z, double maxGap) const;
};

} // namespace temponet
} // namespace ns3

#endif /* TEMPONET_LOGNORMMIX_H */
