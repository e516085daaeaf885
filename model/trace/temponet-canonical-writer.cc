/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "temponet-read-report.h"
#include "temponet-trace-writer.h"

namespace ns3
{
namespace temponet
{

WriteReport
WriteCanonicalCsv(const EventTable& table, const std::string& path)
{
    (void)table;
    throw TraceError(path, "", "writer being written");
}

} // namespace temponet
} // namespace ns3
