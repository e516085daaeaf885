/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef TEMPONET_EVENT_TABLE_H
#define TEMPONET_EVENT_TABLE_H

#include "temponet-trace-event.h"

#include <cstdint>
#include <unordered_map>
#include <vector>

namespace ns3
{
namespace temponet
{

/**
 * \ingroup temponet
 * \brief A trace in columnar form: one vector per field, addresses interned
 * into a host table.
 *
 * Readers append events in file order; SortByTime() orders them stably by
 * timestamp (Zeek's conn.log is not sorted). Memory is about 60 bytes per
 * event plus the host table.
 */
class EventTable
{
  public:
    /// \param kind whether the events are packets or flow starts.
    explicit EventTable(TraceKind kind = TraceKind::Packets);

    /// \return packets or flows.
    TraceKind Kind() const
    {
        return m_kind;
    }

    /// \param kind the new kind.
    void SetKind(TraceKind kind)
    {
        m_kind = kind;
    }

    /// \return the number of events.
    size_t Size() const
    {
        return m_ts.size();
    }

    /// \return true when there are no events.
    bool Empty() const
    {
        return m_ts.empty();
    }

    /// Reserves room for \p n events.
    void Reserve(size_t n);

    /// Appends \p e at the end.
    void Append(const TraceEvent& e);

    /// \return event \p i as a row.
    TraceEvent Get(size_t i) const;

    /// \return the index of \p a in the host table, adding it if new.
    uint32_t Intern(const IpAddr& a);

    /// \return the distinct addresses seen, in order of first appearance.
    const std::vector<IpAddr>& Hosts() const
    {
        return m_hosts;
    }

    /// Orders events by timestamp; ties keep file order.
    void SortByTime();

    /// \return true when timestamps never decrease.
    bool IsTimeSorted() const;

    /// \return the events whose ts lies in [from, until), in the same order.
    EventTable Slice(double from, double until) const;

    /// \return the rows [begin, end) as a new table.
    EventTable Rows(size_t begin, size_t end) const;

    /// \return last ts minus first ts of a time-sorted table (0 if fewer than 2).
    double SpanSeconds() const;

    /// Column accessors (read-only).
    /// @{
    const std::vector<double>& Ts() const
    {
        return m_ts;
    }

    const std::vector<uint32_t>& SrcIndex() const
    {
        return m_src;
    }

    const std::vector<uint32_t>& DstIndex() const
    {
        return m_dst;
    }

    const std::vector<int32_t>& SrcPort() const
    {
        return m_srcPort;
    }

    const std::vector<int32_t>& DstPort() const
    {
        return m_dstPort;
    }

    const std::vector<int16_t>& Proto() const
    {
        return m_proto;
    }

    const std::vector<int32_t>& PacketSize() const
    {
        return m_size;
    }

    const std::vector<int16_t>& TcpFlags() const
    {
        return m_tcpFlags;
    }

    const std::vector<int16_t>& Ttl() const
    {
        return m_ttl;
    }

    const std::vector<double>& Duration() const
    {
        return m_duration;
    }

    const std::vector<int64_t>& Packets() const
    {
        return m_packets;
    }

    const std::vector<int64_t>& Bytes() const
    {
        return m_bytes;
    }

    /// @}

  private:
    TraceKind m_kind;                                 //!< Packets or flows.
    std::vector<double> m_ts;                         //!< Timestamps, seconds.
    std::vector<uint32_t> m_src;                      //!< Source host index.
    std::vector<uint32_t> m_dst;                      //!< Destination host index.
    std::vector<int32_t> m_srcPort;                   //!< Source ports.
    std::vector<int32_t> m_dstPort;                   //!< Destination ports.
    std::vector<int16_t> m_proto;                     //!< IP protocol numbers.
    std::vector<int32_t> m_size;                      //!< IP total lengths.
    std::vector<int16_t> m_tcpFlags;                  //!< TCP flags.
    std::vector<int16_t> m_ttl;                       //!< TTL / hop limit.
    std::vector<double> m_duration;                   //!< Flow durations.
    std::vector<int64_t> m_packets;                   //!< Flow packets.
    std::vector<int64_t> m_bytes;                     //!< Flow bytes.
    std::vector<IpAddr> m_hosts;                      //!< Host table.
    std::unordered_map<IpAddr, uint32_t> m_hostIndex; //!< Address to host index.
};

} // namespace temponet
} // namespace ns3

#endif /* TEMPONET_EVENT_TABLE_H */
