/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef TEMPONET_FIDELITY_H
#define TEMPONET_FIDELITY_H

#include "temponet-dkc.h"
#include "temponet-event-table.h"

#include <map>
#include <string>
#include <vector>

namespace ns3
{
namespace temponet
{

/// \ingroup temponet-eval
/// Settings of Evaluate(); the defaults are the documented protocol.
struct FidelityOptions
{
    size_t topCategories{50};   //!< CMD: categories per column kept, the rest is "other".
    size_t quantileBins{10};    //!< CMD: bins of a numeric column (quantiles of the real data).
    size_t targetWindows{500};  //!< Temporal: windows the real trace is cut into.
    size_t acfLags{50};         //!< Temporal: autocorrelation lags 1..acfLags.
    double syntheticSpan{0};    //!< Seconds the synthetic trace covers (0: its own span).
    double hourOfDaySpan{7200}; //!< Time-of-day JSD only when the real trace spans more (s).
    size_t topPairs{20};        //!< Host pairs listed for the figures.
};

/**
 * \ingroup temponet-eval
 * \brief Distances between a real and a synthetic trace (lower is better, 0
 * for identical traces), and the series the figures are drawn from.
 */
struct FidelityReport
{
    /// The per-window view of one trace.
    struct Series
    {
        std::vector<double> counts; //!< Events per window, from the first event on.
        std::vector<double> acf;    //!< Autocorrelation of counts, lags 1..acfLags.
        std::vector<double> gaps;   //!< Inter-arrival times, seconds, sorted.
        double start{0};            //!< First timestamp, seconds.
        double span{0};             //!< Seconds covered (see FidelityOptions::syntheticSpan).
        double rate{0};             //!< Events per second over span.
        double samePairPrev{0};     //!< Share of events with the previous event's host pair.
        DkcReport dkc;              //!< Domain-knowledge compliance.
    };

    /// One of the busiest real host pairs, with its share of events in each trace.
    struct PairShare
    {
        std::string pair;    //!< "src > dst".
        double real{0};      //!< Share of the real events.
        double synthetic{0}; //!< Share of the synthetic events.
    };

    std::map<std::string, double> jsd; //!< Categorical field to Jensen-Shannon divergence (base 2).
    std::map<std::string, double> ks;  //!< Numeric field to two-sample KS statistic.
    std::map<std::string, double> emd; //!< Numeric field to log-scale EMD / real log-scale std.
    double cmd{0};                     //!< Contingency matrix distance (FlowChronicle).
    double pcd{0};                     //!< Pairwise (Pearson) correlation distance.
    double acfL2{0};                   //!< L2 distance of the count autocorrelations.
    double countKs{0};                 //!< KS statistic of the per-window counts.
    double rateLogRatio{0};            //!< |ln(synthetic rate / real rate)|.
    double samePairPrev{0};            //!< |difference| of the same-pair-as-previous shares.
    double dkcViolationRate{0};        //!< Share of synthetic records breaking a DKC rule.
    double windowSeconds{0};           //!< Width of the counting windows.
    double resolution{0};              //!< Real timestamp resolution (0: finer than 1 us).
    bool roundedSynthetic{false};      //!< Synthetic times were rounded to the resolution.
    std::vector<std::string> cmdColumns; //!< Columns CMD used, in order.
    std::vector<std::string> pcdColumns; //!< Columns PCD used, in order.
    Series real;                         //!< Real trace.
    Series synthetic;                    //!< Synthetic trace.
    std::vector<PairShare> topPairs;     //!< Busiest real host pairs, busiest first.
};

/**
 * \ingroup temponet-eval
 * Compares \p synthetic with \p real.
 *
 * Categorical fields (JSD): proto, src_ip, dst_ip, host_pair (ordered),
 * src_port and dst_port (ports 49152 and up are one "ephemeral" category),
 * tcp_flags, ttl, and hour_of_day (UTC) when the real trace spans more than
 * FidelityOptions::hourOfDaySpan. "Not applicable" is a category.
 * Numeric fields (KS, log-scale EMD): iat (epsilon 1 us), size, duration
 * (1 us), packets, bytes (1); a field is reported when either trace has it.
 * When the real timestamps have a resolution (DetectResolution()), synthetic
 * times are floored to it first.
 * \throws std::invalid_argument when \p real is empty.
 */
FidelityReport Evaluate(const EventTable& real,
                        const EventTable& synthetic,
                        const FidelityOptions& options = FidelityOptions());

} // namespace temponet
} // namespace ns3

#endif /* TEMPONET_FIDELITY_H */
