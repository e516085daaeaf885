/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "temponet-trace-format.h"

namespace ns3
{
namespace temponet
{

void
ReadCanonicalCsv(const std::string& path, EventTable& table, ReadReport& report)
{
    (void)table;
    (void)report;
    throw TraceError(path, "", "reader for this format is being written");
}

} // namespace temponet
} // namespace ns3
