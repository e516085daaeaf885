/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "temponet-encoding.h"

#include <stdexcept>

namespace ns3
{
namespace temponet
{

int64_t
FlowCache::Tuple::Get(MarkField f) const
{
    switch (f)
    {
    case MarkField::Src:
        return src;
    case MarkField::Dst:
        return dst;
    case MarkField::Proto:
        return proto;
    case MarkField::SrcPort:
        return srcPort;
    case MarkField::DstPort:
        return dstPort;
    default:
        return -1;
    }
}

FlowCache::FlowCache(size_t slots)
    : m_slots(slots)
{
    m_flows.reserve(slots);
}

int32_t
FlowCache::LabelOf(const Tuple& t) const
{
    const Tuple r = t.Reversed();
    for (size_t k = 0; k < m_flows.size(); ++k)
    {
        if (m_flows[k] == t)
        {
            return static_cast<int32_t>(1 + 2 * k);
        }
        if (m_flows[k] == r)
        {
            return static_cast<int32_t>(2 + 2 * k);
        }
    }
    return 0;
}

bool
FlowCache::IsValid(int32_t label) const
{
    if (label == 0)
    {
        return true;
    }
    if (label < 0)
    {
        return false;
    }
    return static_cast<size_t>(label - 1) / 2 < m_flows.size();
}

FlowCache::Tuple
FlowCache::Resolve(int32_t label) const
{
    if (label <= 0 || !IsValid(label))
    {
        throw std::out_of_range("FlowCache::Resolve: label " + std::to_string(label) +
                                " does not name a cached flow");
    }
    const Tuple& t = m_flows[static_cast<size_t>(label - 1) / 2];
    return (label % 2 == 1) ? t : t.Reversed();
}

void
FlowCache::Update(const Tuple& t)
{
    if (m_slots == 0)
    {
        return;
    }
    const Tuple r = t.Reversed();
    Tuple stored = t;
    size_t found = m_flows.size();
    for (size_t k = 0; k < m_flows.size(); ++k)
    {
        if (m_flows[k] == t || m_flows[k] == r)
        {
            found = k;
            stored = m_flows[k];
            break;
        }
    }
    if (found == m_flows.size())
    {
        if (m_flows.size() == m_slots)
        {
            m_flows.pop_back();
        }
        m_flows.insert(m_flows.begin(), stored);
        return;
    }
    for (size_t k = found; k > 0; --k)
    {
        m_flows[k] = m_flows[k - 1];
    }
    m_flows[0] = stored;
}

void
FlowCache::Clear()
{
    m_flows.clear();
}

} // namespace temponet
} // namespace ns3
