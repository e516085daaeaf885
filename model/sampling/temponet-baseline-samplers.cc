/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "temponet-baseline-samplers.h"

#include <ns3/log.h>
#include <ns3/random-variable-stream.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("TempoNetBaselineSamplers");

namespace temponet
{

namespace
{

/// \return whether protocol \p proto carries ports.
bool
HasPorts(int64_t proto)
{
    return proto == 6 || proto == 17 || proto == 132;
}

void
CheckTrain(const EventTable& train, const char* who)
{
    if (train.Size() < 2 || !train.IsTimeSorted() || !(train.SpanSeconds() > 0))
    {
        throw std::invalid_argument(std::string(who) +
                                    ": needs a time-sorted trace of at least two events "
                                    "with a positive span");
    }
}

} // namespace

// ---------------------------------------------------------------- PoissonMarginalSampler

void
PoissonMarginalSampler::Marginal::Add(int64_t v)
{
    counts.emplace_back(v, 1);
}

void
PoissonMarginalSampler::Marginal::Finish()
{
    std::sort(counts.begin(), counts.end());
    values.clear();
    cumul.clear();
    uint64_t acc = 0;
    for (size_t i = 0; i < counts.size(); ++i)
    {
        acc += counts[i].second;
        if (i + 1 == counts.size() || counts[i + 1].first != counts[i].first)
        {
            values.push_back(counts[i].first);
            cumul.push_back(acc);
        }
    }
    counts.clear();
    counts.shrink_to_fit();
}

int64_t
PoissonMarginalSampler::Marginal::Draw(double u) const
{
    if (cumul.empty())
    {
        return kNotApplicable;
    }
    const uint64_t total = cumul.back();
    auto target = static_cast<uint64_t>(std::floor(std::max(u, 0.0) * static_cast<double>(total)));
    target = std::min(target, total - 1);
    auto it = std::upper_bound(cumul.begin(), cumul.end(), target);
    return values[static_cast<size_t>(it - cumul.begin())];
}

PoissonMarginalSampler::PoissonMarginalSampler(const EventTable& train)
    : m_kind(train.Kind()),
      m_hosts(train.Hosts())
{
    CheckTrain(train, "PoissonMarginalSampler");
    m_rate = static_cast<double>(train.Size() - 1) / train.SpanSeconds();
    for (size_t i = 0; i < train.Size(); ++i)
    {
        m_src.Add(train.SrcIndex()[i]);
        m_dst.Add(train.DstIndex()[i]);
        const int16_t proto = train.Proto()[i];
        m_proto.Add(proto);
        if (HasPorts(proto))
        {
            m_srcPort.Add(train.SrcPort()[i]);
            m_dstPort.Add(train.DstPort()[i]);
        }
        if (proto == 6 && train.TcpFlags()[i] >= 0)
        {
            m_flags.Add(train.TcpFlags()[i]);
        }
        m_size.Add(train.PacketSize()[i]);
        m_ttl.Add(train.Ttl()[i]);
        const double d = train.Duration()[i];
        m_duration.Add(std::isfinite(d) && d >= 0 ? std::llround(d * 1e6) : kNotApplicable);
        m_packets.Add(train.Packets()[i]);
        m_bytes.Add(train.Bytes()[i]);
    }
    for (Marginal* m : {&m_src,
                        &m_dst,
                        &m_proto,
                        &m_srcPort,
                        &m_dstPort,
                        &m_size,
                        &m_flags,
                        &m_ttl,
                        &m_duration,
                        &m_packets,
                        &m_bytes})
    {
        m->Finish();
    }
    m_uniform = CreateObject<UniformRandomVariable>();
    if (m_kind == TraceKind::Flows)
    {
        SetTcpRepair(false);
    }
}

PoissonMarginalSampler::~PoissonMarginalSampler() = default;

int64_t
PoissonMarginalSampler::AssignStreams(int64_t stream)
{
    m_uniform->SetStream(stream);
    return 1;
}

TraceKind
PoissonMarginalSampler::Kind() const
{
    return m_kind;
}

std::string
PoissonMarginalSampler::Name() const
{
    return "poisson";
}

int64_t
PoissonMarginalSampler::DrawFrom(const Marginal& m)
{
    return m.Draw(m_uniform->GetValue());
}

TraceEvent
PoissonMarginalSampler::DoNext(double now, double rateScale)
{
    TraceEvent e;
    const double u = m_uniform->GetValue();
    e.ts = now - std::log1p(-u) / (m_rate * rateScale);
    e.src = m_hosts.at(static_cast<size_t>(DrawFrom(m_src)));
    e.dst = m_hosts.at(static_cast<size_t>(DrawFrom(m_dst)));
    e.proto = static_cast<int16_t>(DrawFrom(m_proto));
    if (HasPorts(e.proto))
    {
        e.srcPort = static_cast<int32_t>(DrawFrom(m_srcPort));
        e.dstPort = static_cast<int32_t>(DrawFrom(m_dstPort));
    }
    if (e.proto == 6 && m_kind == TraceKind::Packets)
    {
        e.tcpFlags = static_cast<int16_t>(DrawFrom(m_flags));
    }
    e.size = static_cast<int32_t>(DrawFrom(m_size));
    e.ttl = static_cast<int16_t>(DrawFrom(m_ttl));
    const int64_t d = DrawFrom(m_duration);
    e.duration = d < 0 ? std::nan("") : static_cast<double>(d) * 1e-6;
    e.packets = DrawFrom(m_packets);
    e.bytes = DrawFrom(m_bytes);
    return e;
}

void
PoissonMarginalSampler::DoReset(double /* start */)
{
}

void
PoissonMarginalSampler::DoPrime(const EventTable& /* prefix */)
{
}

// ---------------------------------------------------------------- ReplaySampler

ReplaySampler::ReplaySampler(const EventTable& train, double offset)
    : m_train(train)
{
    CheckTrain(train, "ReplaySampler");
    const auto& ts = train.Ts();
    const double from = ts.front() + std::max(offset, 0.0);
    m_first = static_cast<size_t>(std::lower_bound(ts.begin(), ts.end(), from) - ts.begin());
    if (m_first >= ts.size())
    {
        m_first = 0;
    }
    m_next = m_first;
    m_meanGap = train.SpanSeconds() / static_cast<double>(train.Size() - 1);
    SetTcpRepair(false);
}

int64_t
ReplaySampler::AssignStreams(int64_t /* stream */)
{
    return 0;
}

TraceKind
ReplaySampler::Kind() const
{
    return m_train.Kind();
}

std::string
ReplaySampler::Name() const
{
    return "replay";
}

TraceEvent
ReplaySampler::DoNext(double now, double rateScale)
{
    const auto& ts = m_train.Ts();
    double gap = 0.0;
    if (m_started)
    {
        const size_t prev = m_next == 0 ? ts.size() - 1 : m_next - 1;
        gap = m_next == 0 ? m_meanGap : ts[m_next] - ts[prev];
    }
    TraceEvent e = m_train.Get(m_next);
    e.ts = now + gap / rateScale;
    m_started = true;
    m_next = (m_next + 1) % ts.size();
    return e;
}

void
ReplaySampler::DoReset(double /* start */)
{
    m_next = m_first;
    m_started = false;
}

void
ReplaySampler::DoPrime(const EventTable& /* prefix */)
{
}

} // namespace temponet
} // namespace ns3
