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
WritePcap(const EventTable& table, const std::string& path, PcapLinkType link)
{
    (void)table;
    (void)link;
    throw TraceError(path, "", "writer being written");
}

} // namespace temponet
} // namespace ns3
