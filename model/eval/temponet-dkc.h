/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef TEMPONET_DKC_H
#define TEMPONET_DKC_H

#include "temponet-event-table.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ns3
{
namespace temponet
{

/// \ingroup temponet-eval
/// One domain-knowledge rule: its name (a JSON key) and what breaks it.
struct DkcRule
{
    const char* name;        //!< e.g. "ports_without_transport".
    const char* description; //!< One sentence for the documentation and --help.
};

/// \ingroup temponet-eval
/// \return the rules CheckDomainKnowledge() applies, in the order it tests them.
const std::vector<DkcRule>& DkcRules();

/**
 * \ingroup temponet-eval
 * \brief How many records of a trace break protocol rules (domain-knowledge
 * compliance), in total and per rule.
 */
struct DkcReport
{
    uint64_t records{0};                    //!< Records checked.
    uint64_t violating{0};                  //!< Records that break at least one rule.
    std::map<std::string, uint64_t> byRule; //!< Rule name to records breaking it (every rule).

    /// \return violating / records, 0 for an empty trace.
    double Rate() const
    {
        return records == 0 ? 0.0 : double(violating) / double(records);
    }
};

/**
 * \ingroup temponet-eval
 * Checks every record of \p table against DkcRules(). Packet-only rules
 * (impossible flag combinations in one packet, size below the headers) and
 * flow-only rules (bytes below packets times the headers, no packets) apply
 * by the table's kind.
 */
DkcReport CheckDomainKnowledge(const EventTable& table);

} // namespace temponet
} // namespace ns3

#endif /* TEMPONET_DKC_H */
