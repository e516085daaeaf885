/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef TEMPONET_DISTANCE_H
#define TEMPONET_DISTANCE_H

#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

namespace ns3
{
namespace temponet
{

/**
 * \defgroup temponet-eval Fidelity evaluation
 * \ingroup temponet
 * Distances between a real and a synthetic trace; lower is better, 0 for
 * identical inputs.
 */

/// Smallest divisor of LogScaleEarthMovers(), in decades (a factor of 1.12).
constexpr double kMinLogSpread = 0.05;

/// Counts of a categorical column: category code to number of events.
using CategoryCounts = std::unordered_map<int64_t, double>;

/// \ingroup temponet-eval
/// \return the counts of each value of \p column.
CategoryCounts CountCategories(const std::vector<int64_t>& column);

/**
 * \ingroup temponet-eval
 * Jensen-Shannon divergence, base 2, of the distributions that two count
 * tables define: 0 for the same proportions, 1 for disjoint supports.
 * \return 0 when both are empty, 1 when only one is.
 */
double JensenShannon(const CategoryCounts& a, const CategoryCounts& b);

/// \ingroup temponet-eval
/// \return JensenShannon() of the value counts of two categorical columns.
double JensenShannon(const std::vector<int64_t>& a, const std::vector<int64_t>& b);

/**
 * \ingroup temponet-eval
 * Two-sample Kolmogorov-Smirnov statistic: the largest distance between the
 * empirical CDFs, in [0, 1].
 * \return 0 when both samples are empty, 1 when only one is.
 */
double KolmogorovSmirnov(std::vector<double> a, std::vector<double> b);

/**
 * \ingroup temponet-eval
 * Earth mover's (Wasserstein-1) distance between two empirical
 * distributions on the line: the integral of |F_a - F_b|, in the units of the
 * values.
 * \return 0 when both are empty; NaN when only one is.
 */
double EarthMovers(std::vector<double> a, std::vector<double> b);

/**
 * \ingroup temponet-eval
 * EarthMovers() after mapping every value x to log10(max(x, 0) + \p epsilon),
 * divided by the standard deviation of the mapped \p real values, so that it
 * reads in units of the real spread. The divisor is never below
 * kMinLogSpread: a nearly constant real field (4SICS's DNS durations spread
 * over 1e-5 decades) would otherwise turn any shift into millions.
 * \param real the real sample (seconds, bytes, counts).
 * \param synthetic the synthetic sample, same units.
 * \param epsilon offset that keeps zeros finite (1e-6 for seconds, 1 for counts).
 */
double LogScaleEarthMovers(const std::vector<double>& real,
                           const std::vector<double>& synthetic,
                           double epsilon);

/**
 * \ingroup temponet-eval
 * Contingency matrix distance (FlowChronicle, Cüppers et al. 2024): for each
 * unordered pair of columns, the Frobenius norm of the difference between the
 * two tables' joint frequency tables (counts divided by rows); the mean over
 * the pairs. Columns hold small non-negative codes (binned values).
 * \param real real columns, each with the same number of rows.
 * \param synthetic synthetic columns, same count and order as \p real.
 * \return the mean distance; 0 with fewer than two columns.
 */
double ContingencyMatrixDistance(const std::vector<std::vector<uint32_t>>& real,
                                 const std::vector<std::vector<uint32_t>>& synthetic);

/**
 * \ingroup temponet-eval
 * Pearson correlation matrix of numeric columns; NaN marks a missing value
 * and each pair uses the rows where both are present. A pair with a
 * constant column, or fewer than two rows, has correlation 0.
 * \param columns the columns (rows aligned).
 * \return the k x k matrix, row-major, with 1 on the diagonal.
 */
std::vector<double> PearsonMatrix(const std::vector<std::vector<double>>& columns);

/**
 * \ingroup temponet-eval
 * Pairwise correlation distance: the Frobenius norm of the difference of the
 * two PearsonMatrix()es.
 */
double PairwiseCorrelationDistance(const std::vector<std::vector<double>>& real,
                                   const std::vector<std::vector<double>>& synthetic);

/**
 * \ingroup temponet-eval
 * Sample autocorrelation r_k = sum_t (x_t - m)(x_{t+k} - m) / sum_t (x_t - m)^2
 * for k = 1..maxLag; 0 where the series is constant or shorter than k + 1.
 * \return maxLag values, lag 1 first.
 */
std::vector<double> Autocorrelation(const std::vector<double>& series, size_t maxLag);

/// \ingroup temponet-eval
/// \return the Euclidean distance of two equally long vectors.
double L2Distance(const std::vector<double>& a, const std::vector<double>& b);

} // namespace temponet
} // namespace ns3

#endif /* TEMPONET_DISTANCE_H */
