/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "temponet-trace-writer.h"

#include "temponet-read-report.h"

namespace ns3
{
namespace temponet
{

namespace
{

bool
EndsWith(const std::string& s, const std::string& suffix)
{
    return s.size() >= suffix.size() &&
           s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

} // namespace

WriteReport
WriteTrace(const EventTable& table, const std::string& path)
{
    if (EndsWith(path, ".csv"))
    {
        return WriteCanonicalCsv(table, path);
    }
    if (EndsWith(path, ".pcap"))
    {
        return WritePcap(table, path, PcapLinkType::Ethernet);
    }
    throw TraceError(path, "", "unknown output extension: use .csv (canonical CSV) or .pcap");
}

} // namespace temponet
} // namespace ns3
