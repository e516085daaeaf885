/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef TEMPONET_TRACE_SUMMARY_H
#define TEMPONET_TRACE_SUMMARY_H

#include "temponet-event-table.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ns3
{
namespace temponet
{

/// \return the usual name of IP protocol \p proto ("tcp", "udp", "icmp", ...) or its number.
std::string ProtoName(int proto);

/**
 * Detects the timestamp resolution of a time-sorted table: the coarsest of
 * 1 s, 100 ms, ..., 1 us on which every timestamp lies, to within the
 * rounding error of a double at the timestamps' magnitude (two ulps).
 * \return the resolution in seconds, or 0 when the timestamps are finer than
 *         1 us (or there are fewer than two events).
 */
double DetectResolution(const std::vector<double>& ts);

/**
 * \ingroup temponet
 * \brief What `temponet inspect` shows about a trace.
 */
struct TraceSummary
{
    /// A count for one key, for top-N lists.
    struct Count
    {
        std::string key; //!< e.g. "tcp/102" or "10.0.0.1 > 10.0.0.2".
        uint64_t count;  //!< Events.
    };

    uint64_t events{0};                        //!< Events in the table.
    double startTs{0};                         //!< First timestamp, seconds.
    double endTs{0};                           //!< Last timestamp, seconds.
    double spanSeconds{0};                     //!< endTs - startTs.
    double resolution{0};                      //!< See DetectResolution().
    double tiedFraction{0};                    //!< Share of gaps that are exactly zero.
    uint64_t hosts{0};                         //!< Distinct addresses.
    uint64_t pairs{0};                         //!< Distinct ordered (src, dst) pairs.
    std::map<std::string, uint64_t> protocols; //!< Protocol name to events.
    std::vector<Count> topPorts;               //!< Destination ports "proto/port", busiest first.
    std::vector<Count> topPairs;               //!< Host pairs "src > dst", busiest first.
};

/**
 * Summarises a time-sorted table.
 * \param table the events.
 * \param topN length of the top-N lists.
 */
TraceSummary Summarize(const EventTable& table, size_t topN = 10);

} // namespace temponet
} // namespace ns3

#endif /* TEMPONET_TRACE_SUMMARY_H */
