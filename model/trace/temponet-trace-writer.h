/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef TEMPONET_TRACE_WRITER_H
#define TEMPONET_TRACE_WRITER_H

#include "temponet-event-table.h"

#include <cstdint>
#include <map>
#include <string>

namespace ns3
{
namespace temponet
{

/**
 * \ingroup temponet
 * \brief What a writer did: records written, and every record it changed or
 * left out to produce a valid file, by reason. Never silent.
 */
struct WriteReport
{
    uint64_t written{0};                      //!< Records written.
    std::map<std::string, uint64_t> repaired; //!< Reason to count of records changed.
    std::map<std::string, uint64_t> skipped;  //!< Reason to count of records left out.
};

/// Link-layer type of a written pcap.
enum class PcapLinkType
{
    Ethernet, //!< DLT_EN10MB, with made-up but stable MAC addresses.
    RawIp,    //!< DLT_RAW (LINKTYPE_RAW, 101): the IP header comes first.
};

/**
 * Writes \p table as the canonical CSV
 * (ts,src_ip,dst_ip,src_port,dst_port,proto,size,tcp_flags,ttl,duration,packets,bytes).
 * The file appears under \p path only when complete.
 * \throws TraceError on I/O failure.
 */
WriteReport WriteCanonicalCsv(const EventTable& table, const std::string& path);

/**
 * Writes \p table as a pcap with valid IPv4/IPv6, TCP, UDP and ICMP headers and
 * checksums. Packet events become one packet of their \c size; flow events
 * become one packet of min(bytes / packets, 1500) bytes. Every value the
 * writer has to change (a size below the headers' minimum, a missing port,
 * TTL or flags) is counted in WriteReport::repaired. The file appears under
 * \p path only when complete.
 * \throws TraceError on I/O failure.
 */
WriteReport WritePcap(const EventTable& table, const std::string& path, PcapLinkType link);

/**
 * Writes \p table to \p path in the format its extension names: ".csv"
 * (canonical CSV) or ".pcap" (Ethernet pcap).
 * \throws TraceError for another extension or on I/O failure.
 */
WriteReport WriteTrace(const EventTable& table, const std::string& path);

} // namespace temponet
} // namespace ns3

#endif /* TEMPONET_TRACE_WRITER_H */
