/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "temponet-event-table.h"

#include <algorithm>
#include <numeric>

namespace ns3
{
namespace temponet
{

EventTable::EventTable(TraceKind kind)
    : m_kind(kind)
{
}

void
EventTable::Reserve(size_t n)
{
    m_ts.reserve(n);
    m_src.reserve(n);
    m_dst.reserve(n);
    m_srcPort.reserve(n);
    m_dstPort.reserve(n);
    m_proto.reserve(n);
    m_size.reserve(n);
    m_tcpFlags.reserve(n);
    m_ttl.reserve(n);
    m_duration.reserve(n);
    m_packets.reserve(n);
    m_bytes.reserve(n);
}

uint32_t
EventTable::Intern(const IpAddr& a)
{
    auto [it, inserted] = m_hostIndex.try_emplace(a, static_cast<uint32_t>(m_hosts.size()));
    if (inserted)
    {
        m_hosts.push_back(a);
    }
    return it->second;
}

void
EventTable::Append(const TraceEvent& e)
{
    m_ts.push_back(e.ts);
    m_src.push_back(Intern(e.src));
    m_dst.push_back(Intern(e.dst));
    m_srcPort.push_back(e.srcPort);
    m_dstPort.push_back(e.dstPort);
    m_proto.push_back(e.proto);
    m_size.push_back(e.size);
    m_tcpFlags.push_back(e.tcpFlags);
    m_ttl.push_back(e.ttl);
    m_duration.push_back(e.duration);
    m_packets.push_back(e.packets);
    m_bytes.push_back(e.bytes);
}

TraceEvent
EventTable::Get(size_t i) const
{
    TraceEvent e;
    e.ts = m_ts[i];
    e.src = m_hosts[m_src[i]];
    e.dst = m_hosts[m_dst[i]];
    e.srcPort = m_srcPort[i];
    e.dstPort = m_dstPort[i];
    e.proto = m_proto[i];
    e.size = m_size[i];
    e.tcpFlags = m_tcpFlags[i];
    e.ttl = m_ttl[i];
    e.duration = m_duration[i];
    e.packets = m_packets[i];
    e.bytes = m_bytes[i];
    return e;
}

bool
EventTable::IsTimeSorted() const
{
    return std::is_sorted(m_ts.begin(), m_ts.end());
}

namespace
{

/// Reorders \p v so that element k becomes old element order[k].
template <typename T>
void
Permute(std::vector<T>& v, const std::vector<size_t>& order)
{
    std::vector<T> out;
    out.reserve(v.size());
    for (size_t k : order)
    {
        out.push_back(v[k]);
    }
    v.swap(out);
}

} // namespace

void
EventTable::SortByTime()
{
    if (IsTimeSorted())
    {
        return;
    }
    std::vector<size_t> order(m_ts.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [this](size_t a, size_t b) {
        return m_ts[a] < m_ts[b];
    });
    Permute(m_ts, order);
    Permute(m_src, order);
    Permute(m_dst, order);
    Permute(m_srcPort, order);
    Permute(m_dstPort, order);
    Permute(m_proto, order);
    Permute(m_size, order);
    Permute(m_tcpFlags, order);
    Permute(m_ttl, order);
    Permute(m_duration, order);
    Permute(m_packets, order);
    Permute(m_bytes, order);
}

EventTable
EventTable::Rows(size_t begin, size_t end) const
{
    EventTable out(m_kind);
    end = std::min(end, Size());
    if (begin < end)
    {
        out.Reserve(end - begin);
    }
    for (size_t i = begin; i < end; ++i)
    {
        out.Append(Get(i));
    }
    return out;
}

EventTable
EventTable::Slice(double from, double until) const
{
    EventTable out(m_kind);
    for (size_t i = 0; i < Size(); ++i)
    {
        if (m_ts[i] >= from && m_ts[i] < until)
        {
            out.Append(Get(i));
        }
    }
    return out;
}

double
EventTable::SpanSeconds() const
{
    if (Size() < 2)
    {
        return 0.0;
    }
    return m_ts.back() - m_ts.front();
}

} // namespace temponet
} // namespace ns3
