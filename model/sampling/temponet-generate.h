/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef TEMPONET_GENERATE_H
#define TEMPONET_GENERATE_H

#include "temponet-sampler.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ns3
{
namespace temponet
{

/**
 * \ingroup temponet
 * \brief An IP network (address and prefix length), e.g. "10.0.0.0/8".
 */
struct IpNetwork
{
    IpAddr base;        //!< Network address.
    unsigned prefix{0}; //!< Prefix length in bits.

    /// \return whether \p a lies in this network (same family, same leading bits).
    bool Contains(const IpAddr& a) const;

    /**
     * Parses "ADDR/LEN" or a bare address (a host route).
     * \throws std::invalid_argument when \p text is not a network.
     */
    static IpNetwork Parse(const std::string& text);
};

/// \return the networks of a comma-separated list (see IpNetwork::Parse).
std::vector<IpNetwork> ParseNetworks(const std::string& list);

/// Options of Generate().
struct GenerateOptions
{
    double start{0};              //!< Start time, UTC seconds since the epoch.
    double duration{0};           //!< Seconds of output time to generate.
    uint64_t maxEvents{0};        //!< Most events kept (0: no limit).
    std::vector<IpNetwork> hosts; //!< Keep events whose source is in one (empty: all).
};

/// What Generate() did.
struct GenerateResult
{
    EventTable events;                       //!< The kept events, time-sorted.
    uint64_t sampled{0};                     //!< Events drawn (kept or not).
    uint64_t filtered{0};                    //!< Events left out by the host filter.
    std::map<std::string, uint64_t> repairs; //!< TCP flag repairs by reason.
};

/**
 * Runs \p sampler from options.start for options.duration seconds (the
 * sampler must already be reset or primed; its clock is set to the start).
 * Events in [start, start + duration) are drawn; those whose source lies in
 * none of options.hosts are left out (but stay in the sampler's history).
 */
GenerateResult Generate(Sampler& sampler, const GenerateOptions& options);

/**
 * \ingroup temponet
 * \brief How a sampler's free-running output compares with a real window:
 * the check a model must pass besides its likelihood.
 */
struct FreeRunReport
{
    uint64_t realEvents{0};      //!< Events in the real window.
    uint64_t generatedEvents{0}; //!< Events generated over the same span.
    double rateLogRatio{0};      //!< |ln((generated + 1) / (real + 1))|.
    double hostPairJsd{0};       //!< Jensen-Shannon divergence (base 2) of host pairs.
    bool capped{false};          //!< Generation stopped at 10x the real count + 100.
};

/**
 * Runs \p sampler free over the real window events [cut, n) of \p input:
 * primed with up to \p primeEvents events before \p cut, it generates from
 * the last of them to the window's last event, and the output is compared
 * with the real window (event count and host pairs). A runaway sampler is
 * stopped at ten times the real count plus 100 events.
 * \throws std::invalid_argument if the window or the prefix is empty.
 */
FreeRunReport CheckFreeRunning(Sampler& sampler,
                               const EventTable& input,
                               size_t cut,
                               size_t primeEvents);

} // namespace temponet
} // namespace ns3

#endif /* TEMPONET_GENERATE_H */
