/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef TEMPONET_TRACE_FORMAT_H
#define TEMPONET_TRACE_FORMAT_H

#include "temponet-event-table.h"
#include "temponet-read-report.h"

#include <optional>
#include <string>
#include <vector>

namespace ns3
{
namespace temponet
{

/// The trace formats the project reads.
enum class TraceFormat
{
    Pcap,      //!< pcap or pcapng, optionally gzip'd ("pcap").
    Ugr16,     //!< NetShare/UGR'16 NetFlow CSV ("ugr16").
    ZeekConn,  //!< Zeek conn.log TSV ("zeek-conn").
    Argus,     //!< Argus binetflow CSV ("argus").
    DarpaCsv,  //!< DARPA'99 packet CSV ts,src,dst,proto,len,tcp_flags,sport,dport ("darpa-csv").
    Canonical, //!< The project's canonical CSV ("canonical").
};

/// \return the command-line name of \p f (e.g. "zeek-conn").
std::string FormatName(TraceFormat f);

/// \return the format named \p name, or nothing if unknown.
std::optional<TraceFormat> ParseFormatName(const std::string& name);

/// \return all format names, for help texts.
std::vector<std::string> FormatNames();

/**
 * Detects the format of \p path from its first bytes (gzip is looked through).
 * \throws TraceError naming the file when it is empty, unreadable, or in no
 *         known format.
 */
TraceFormat DetectFormat(const std::string& path);

/**
 * Reads \p path into \p table (appending), counting skipped records in
 * \p report. The table is sorted by time afterwards.
 * \param format the format, or nothing to detect it.
 * \throws TraceError when the file is unusable.
 */
void ReadTrace(const std::string& path,
               std::optional<TraceFormat> format,
               EventTable& table,
               ReadReport& report);

/// Per-format readers; same contract as ReadTrace without sorting.
/// @{
void ReadPcap(const std::string& path, EventTable& table, ReadReport& report);
void ReadUgr16(const std::string& path, EventTable& table, ReadReport& report);
void ReadZeekConn(const std::string& path, EventTable& table, ReadReport& report);
void ReadArgus(const std::string& path, EventTable& table, ReadReport& report);
void ReadDarpaCsv(const std::string& path, EventTable& table, ReadReport& report);
void ReadCanonicalCsv(const std::string& path, EventTable& table, ReadReport& report);
/// @}

} // namespace temponet
} // namespace ns3

#endif /* TEMPONET_TRACE_FORMAT_H */
