/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "temponet-sampler.h"

#include "temponet-generate.h"

#include <ns3/assert.h>
#include <ns3/log.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("TempoNetSampler");

namespace temponet
{

namespace
{

constexpr int kFin = 0x01;
constexpr int kSyn = 0x02;
constexpr int kRst = 0x04;
constexpr int kPsh = 0x08;
constexpr int kAck = 0x10;

/// Appends an endpoint (address bytes, family, port) to \p key.
void
PutEndpoint(std::string& key, const IpAddr& a, int32_t port)
{
    key.append(reinterpret_cast<const char*>(a.Bytes().data()), a.Bytes().size());
    key.push_back(a.IsV4() ? '4' : '6');
    key.append(reinterpret_cast<const char*>(&port), sizeof(port));
}

} // namespace

// ---------------------------------------------------------------- TcpFlowRepair

bool
TcpFlowRepair::Step(State& state, uint8_t& finMask, bool forward, int flags)
{
    const bool syn = (flags & kSyn) != 0;
    const bool ack = (flags & kAck) != 0;
    const bool rst = (flags & kRst) != 0;
    const bool fin = (flags & kFin) != 0;
    bool valid = true;
    if (syn && !ack)
    {
        valid = state != State::Open;
        state = State::Handshake;
        finMask = 0;
        return valid;
    }
    if (syn)
    {
        valid = state == State::Unknown || state == State::Handshake;
        state = State::Handshake;
        return valid;
    }
    if (state == State::Closed)
    {
        valid = rst || (ack && (flags & kPsh) == 0);
        return valid;
    }
    if (rst)
    {
        state = State::Closed;
        return true;
    }
    state = State::Open;
    if (fin)
    {
        finMask |= forward ? 1 : 2;
        if (finMask == 3)
        {
            state = State::Closed;
        }
    }
    return true;
}

std::string
TcpFlowRepair::KeyOf(const TraceEvent& e)
{
    std::string a;
    std::string b;
    PutEndpoint(a, e.src, e.srcPort);
    PutEndpoint(b, e.dst, e.dstPort);
    return a < b ? a + b : b + a;
}

void
TcpFlowRepair::Observe(const TraceEvent& e)
{
    if (e.proto != 6 || e.tcpFlags < 0)
    {
        return;
    }
    Flow& f = m_flows[KeyOf(e)];
    if (f.state == State::Unknown && !f.a.IsSet())
    {
        f.a = e.src;
        f.aPort = e.srcPort;
    }
    const bool forward = e.src == f.a && e.srcPort == f.aPort;
    Step(f.state, f.fin, forward, e.tcpFlags & 0xff);
}

bool
TcpFlowRepair::Apply(TraceEvent& e)
{
    if (e.proto != 6)
    {
        if (e.tcpFlags >= 0)
        {
            e.tcpFlags = -1;
            ++m_repairs["tcp flags on a non-tcp packet: cleared"];
            return true;
        }
        return false;
    }
    bool changed = false;
    if (e.tcpFlags < 0 || e.tcpFlags > 255)
    {
        e.tcpFlags = e.tcpFlags < 0 ? kAck : (e.tcpFlags & 0xff);
        ++m_repairs["tcp flags missing: ack set"];
        changed = true;
    }
    Flow& f = m_flows[KeyOf(e)];
    if (f.state == State::Unknown && !f.a.IsSet())
    {
        f.a = e.src;
        f.aPort = e.srcPort;
    }
    const bool forward = e.src == f.a && e.srcPort == f.aPort;
    State s = f.state;
    uint8_t fin = f.fin;
    if (Step(s, fin, forward, e.tcpFlags))
    {
        f.state = s;
        f.fin = fin;
        return changed;
    }
    const int flags = e.tcpFlags;
    if (f.state == State::Closed)
    {
        e.tcpFlags = kSyn;
        ++m_repairs["tcp packet after close: made a syn"];
    }
    else if ((flags & kAck) == 0)
    {
        e.tcpFlags = (flags & ~kSyn) | kAck;
        ++m_repairs["tcp syn on an open connection: syn cleared"];
    }
    else
    {
        e.tcpFlags = flags & ~kSyn;
        ++m_repairs["tcp syn-ack on an open connection: syn cleared"];
    }
    const bool ok = Step(f.state, f.fin, forward, e.tcpFlags);
    NS_ASSERT_MSG(ok, "TCP flag repair left an impossible packet");
    (void)ok;
    return true;
}

uint64_t
TcpFlowRepair::RepairCount() const
{
    uint64_t n = 0;
    for (const auto& [reason, count] : m_repairs)
    {
        n += count;
    }
    return n;
}

void
TcpFlowRepair::Clear()
{
    m_flows.clear();
    m_repairs.clear();
}

// ---------------------------------------------------------------- Sampler

Sampler::Sampler() = default;
Sampler::~Sampler() = default;

void
Sampler::Reset(double start)
{
    m_now = start;
    m_tcp.Clear();
    DoReset(start);
}

void
Sampler::Prime(const EventTable& prefix)
{
    if (prefix.Empty())
    {
        return;
    }
    if (prefix.Kind() != Kind())
    {
        throw std::invalid_argument("Prime: the prefix's trace kind differs from the sampler's");
    }
    if (!prefix.IsTimeSorted())
    {
        throw std::invalid_argument("Prime: the prefix is not time-sorted");
    }
    m_tcp.Clear();
    DoReset(prefix.Ts().front());
    DoPrime(prefix);
    for (size_t i = 0; i < prefix.Size(); ++i)
    {
        m_tcp.Observe(prefix.Get(i));
    }
    m_now = prefix.Ts().back();
}

void
Sampler::SetTime(double t)
{
    m_now = t;
}

void
Sampler::SetRateScale(double scale)
{
    if (!(scale > 0) || !std::isfinite(scale))
    {
        throw std::invalid_argument("rate scale must be a positive number");
    }
    m_rateScale = scale;
}

TraceEvent
Sampler::Next()
{
    TraceEvent e = DoNext(m_now, m_rateScale);
    e.ts = std::max(e.ts, m_now);
    m_now = e.ts;
    if (m_tcpRepairOn)
    {
        m_tcp.Apply(e);
    }
    return e;
}

// ---------------------------------------------------------------- Generate

bool
IpNetwork::Contains(const IpAddr& a) const
{
    if (a.IsV4() != base.IsV4() || a.IsV6() != base.IsV6())
    {
        return false;
    }
    const auto& x = a.Bytes();
    const auto& y = base.Bytes();
    unsigned bits = prefix;
    for (size_t i = 0; bits > 0 && i < x.size(); ++i)
    {
        const unsigned take = std::min(bits, 8U);
        const uint8_t mask = static_cast<uint8_t>(0xff00U >> take);
        if ((x[i] & mask) != (y[i] & mask))
        {
            return false;
        }
        bits -= take;
    }
    return true;
}

IpNetwork
IpNetwork::Parse(const std::string& text)
{
    const auto slash = text.find('/');
    const std::string addr = text.substr(0, slash);
    const auto a = IpAddr::Parse(addr);
    if (!a)
    {
        throw std::invalid_argument("'" + text + "' is not an IP network (ADDR/LEN)");
    }
    IpNetwork n;
    n.base = *a;
    const unsigned maxLen = a->IsV4() ? 32 : 128;
    n.prefix = maxLen;
    if (slash != std::string::npos)
    {
        const std::string len = text.substr(slash + 1);
        char* end = nullptr;
        const unsigned long v = std::strtoul(len.c_str(), &end, 10);
        if (len.empty() || *end != '\0' || v > maxLen)
        {
            throw std::invalid_argument("'" + text + "' has an invalid prefix length");
        }
        n.prefix = static_cast<unsigned>(v);
    }
    return n;
}

std::vector<IpNetwork>
ParseNetworks(const std::string& list)
{
    std::vector<IpNetwork> out;
    size_t pos = 0;
    while (pos <= list.size())
    {
        const size_t comma = std::min(list.find(',', pos), list.size());
        const std::string item = list.substr(pos, comma - pos);
        if (!item.empty())
        {
            out.push_back(IpNetwork::Parse(item));
        }
        pos = comma + 1;
    }
    if (out.empty())
    {
        throw std::invalid_argument("no network given");
    }
    return out;
}

GenerateResult
Generate(Sampler& sampler, const GenerateOptions& options)
{
    GenerateResult r;
    r.events.SetKind(sampler.Kind());
    sampler.SetTime(options.start);
    const double end = options.start + options.duration;
    while (options.maxEvents == 0 || r.events.Size() < options.maxEvents)
    {
        const TraceEvent e = sampler.Next();
        if (!(e.ts < end))
        {
            break;
        }
        ++r.sampled;
        bool keep = options.hosts.empty();
        for (const auto& n : options.hosts)
        {
            if (n.Contains(e.src))
            {
                keep = true;
                break;
            }
        }
        if (!keep)
        {
            ++r.filtered;
            continue;
        }
        r.events.Append(e);
    }
    r.repairs = sampler.Repairs().Repairs();
    NS_LOG_INFO("generated " << r.events.Size() << " events (" << r.sampled << " sampled)");
    return r;
}

size_t
EtaTruncate(std::vector<double>& p, double eta)
{
    if (!(eta > 0.0))
    {
        return 0;
    }
    double total = 0.0;
    size_t best = 0;
    for (size_t k = 0; k < p.size(); ++k)
    {
        total += p[k];
        if (p[k] > p[best])
        {
            best = k;
        }
    }
    if (!(total > 0.0))
    {
        return 0;
    }
    double entropy = 0.0;
    for (double x : p)
    {
        if (x > 0.0)
        {
            entropy -= (x / total) * std::log(x / total);
        }
    }
    const double cut = std::min(eta, std::sqrt(eta) * std::exp(-entropy)) * total;
    size_t removed = 0;
    for (size_t k = 0; k < p.size(); ++k)
    {
        if (k != best && p[k] > 0.0 && p[k] < cut)
        {
            p[k] = 0.0;
            ++removed;
        }
    }
    return removed;
}

} // namespace temponet
} // namespace ns3
