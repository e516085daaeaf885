/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef TEMPONET_NLL_REPORT_H
#define TEMPONET_NLL_REPORT_H

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace ns3
{
namespace temponet
{

/**
 * \ingroup temponet
 * \brief Negative log-likelihood of a sequence of events, split by head, in
 * nats; the same structure for TempoNet and the baselines so that every
 * comparison is made on the same events and the same keys.
 *
 * Time: -ln p(gap) with the gap in seconds (dequantised events). Marks:
 * -ln P(token) - ln P(raw value | token), so a coarse bucket cannot win by
 * construction. "flow" is the session-continuation mark; a continued flow
 * fixes src, dst, proto and ports, which then add nothing (models without
 * that mark report flow 0 and score every field).
 */
struct NllReport
{
    uint64_t events{0};                                //!< Events scored.
    double time{0};                                    //!< Sum of time NLLs.
    std::vector<std::pair<std::string, double>> marks; //!< Head name to sum, chain order.

    /// Adds \p v to head \p name (created at the end if new).
    void Add(const std::string& name, double v);

    /// \return the sum over all heads.
    double Total() const;

    /// \return {"total", "time", one key per mark head}, each per event.
    nlohmann::json PerEventJson() const;
};

} // namespace temponet
} // namespace ns3

#endif /* TEMPONET_NLL_REPORT_H */
