/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "temponet-encoding.h"

#include "temponet-json-check.h"
#include "temponet-trace-summary.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace ns3
{
namespace temponet
{

std::string
FieldName(MarkField f)
{
    switch (f)
    {
    case MarkField::Src:
        return "src";
    case MarkField::Dst:
        return "dst";
    case MarkField::Proto:
        return "proto";
    case MarkField::DstPort:
        return "dst_port";
    case MarkField::SrcPort:
        return "src_port";
    case MarkField::Size:
        return "size";
    case MarkField::TcpFlags:
        return "tcp_flags";
    case MarkField::Ttl:
        return "ttl";
    case MarkField::Duration:
        return "duration";
    case MarkField::Packets:
        return "packets";
    case MarkField::Bytes:
        return "bytes";
    }
    return "unknown";
}

bool
IsFlowKeyField(MarkField f)
{
    return f == MarkField::Src || f == MarkField::Dst || f == MarkField::Proto ||
           f == MarkField::DstPort || f == MarkField::SrcPort;
}

namespace
{

/// All fields, in chain order.
constexpr MarkField kAllFields[] = {MarkField::Src,
                                    MarkField::Dst,
                                    MarkField::Proto,
                                    MarkField::DstPort,
                                    MarkField::SrcPort,
                                    MarkField::Size,
                                    MarkField::TcpFlags,
                                    MarkField::Ttl,
                                    MarkField::Duration,
                                    MarkField::Packets,
                                    MarkField::Bytes};

/// \return whether \p f belongs to the candidate schema of \p kind.
bool
FieldOfKind(MarkField f, TraceKind kind)
{
    switch (f)
    {
    case MarkField::Size:
    case MarkField::TcpFlags:
    case MarkField::Ttl:
        return kind == TraceKind::Packets;
    case MarkField::Duration:
    case MarkField::Packets:
    case MarkField::Bytes:
        return kind == TraceKind::Flows;
    default:
        return true;
    }
}

/// \return whether \p f is a host field.
bool
IsHost(MarkField f)
{
    return f == MarkField::Src || f == MarkField::Dst;
}

/// \return the JSON key of \p f's vocabulary ("host" for src and dst).
std::string
VocabKey(MarkField f)
{
    return IsHost(f) ? "host" : FieldName(f);
}

/// splitmix64 step: advances \p state and returns the next output.
uint64_t
SplitMix64(uint64_t& state)
{
    uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/// \return splitmix64 of \p x (one step from state x).
uint64_t
Mix(uint64_t x)
{
    return SplitMix64(x);
}

/// Throws std::invalid_argument unless \p ts is non-decreasing and free of NaN.
void
CheckSorted(const std::vector<double>& ts, const char* what)
{
    for (size_t i = 0; i < ts.size(); ++i)
    {
        if (std::isnan(ts[i]) || (i > 0 && ts[i] < ts[i - 1]))
        {
            throw std::invalid_argument(std::string(what) + " is not time-sorted (event " +
                                        std::to_string(i) + ")");
        }
    }
}

/// \return t + offset, made non-decreasing.
std::vector<double>
Apply(const std::vector<double>& ts, const std::vector<double>& off)
{
    std::vector<double> out(ts.size());
    for (size_t i = 0; i < ts.size(); ++i)
    {
        out[i] = ts[i] + off[i];
        if (i > 0 && out[i] < out[i - 1])
        {
            out[i] = out[i - 1];
        }
    }
    return out;
}

/// \return the gap between events i - 1 and i from raw times and offsets, floored.
double
GapOf(const std::vector<double>& ts, const std::vector<double>& off, size_t i)
{
    const double g = (ts[i] - ts[i - 1]) + (off[i] - off[i - 1]);
    return std::max(g, kMinGap);
}

} // namespace

MarkField
FieldFromName(const std::string& name)
{
    for (MarkField f : kAllFields)
    {
        if (FieldName(f) == name)
        {
            return f;
        }
    }
    throw std::runtime_error("unknown field '" + name + "'");
}

double
Encoding::Width() const
{
    return std::max(m_resolution, kMinDequantWidth);
}

std::vector<double>
Encoding::Offsets(const std::vector<double>& ts) const
{
    CheckSorted(ts, "Dequantise: timestamps");
    const double r = Width();
    std::vector<double> off(ts.size());
    std::vector<double> u;
    for (size_t i = 0; i < ts.size();)
    {
        size_t j = i;
        while (j < ts.size() && ts[j] == ts[i])
        {
            ++j;
        }
        const size_t k = j - i;
        uint64_t bits = 0;
        const double t = ts[i] == 0.0 ? 0.0 : ts[i]; // -0 and +0 alike
        std::memcpy(&bits, &t, sizeof bits);
        uint64_t state = Mix(bits) ^ Mix(static_cast<uint64_t>(k));
        u.resize(k);
        for (auto& x : u)
        {
            x = static_cast<double>(SplitMix64(state) >> 11) * 0x1.0p-53;
        }
        std::sort(u.begin(), u.end());
        for (size_t m = 0; m < k; ++m)
        {
            off[i + m] = r * u[m];
        }
        i = j;
    }
    return off;
}

std::vector<double>
Encoding::Dequantise(const std::vector<double>& ts) const
{
    return Apply(ts, Offsets(ts));
}

void
Encoding::IndexHosts()
{
    m_hostIndex.clear();
    for (size_t i = 0; i < m_hosts.size(); ++i)
    {
        if (!m_hostIndex.emplace(m_hosts[i], static_cast<int64_t>(i)).second)
        {
            throw std::runtime_error("encoding: host " + m_hosts[i].ToString() +
                                     " is listed twice");
        }
    }
}

std::vector<int64_t>
Encoding::HostMap(const EventTable& table) const
{
    std::vector<int64_t> map(table.Hosts().size());
    for (size_t i = 0; i < map.size(); ++i)
    {
        auto it = m_hostIndex.find(table.Hosts()[i]);
        map[i] = it == m_hostIndex.end() ? static_cast<int64_t>(m_hosts.size()) : it->second;
    }
    return map;
}

int64_t
Encoding::RawOf(const EventTable& table, size_t i, MarkField f, const std::vector<int64_t>& hostMap)
{
    auto na = [](int64_t v) { return v < 0 ? kNotApplicable : v; };
    switch (f)
    {
    case MarkField::Src:
        return hostMap.at(table.SrcIndex()[i]);
    case MarkField::Dst:
        return hostMap.at(table.DstIndex()[i]);
    case MarkField::Proto:
        return na(table.Proto()[i]);
    case MarkField::DstPort:
        return na(table.DstPort()[i]);
    case MarkField::SrcPort:
        return na(table.SrcPort()[i]);
    case MarkField::Size:
        return na(table.PacketSize()[i]);
    case MarkField::TcpFlags:
        return na(table.TcpFlags()[i]);
    case MarkField::Ttl:
        return na(table.Ttl()[i]);
    case MarkField::Duration: {
        const double d = table.Duration()[i];
        if (!std::isfinite(d) || d < 0 || d * 1e6 > 9.0e18)
        {
            return kNotApplicable;
        }
        return std::llround(d * 1e6);
    }
    case MarkField::Packets:
        return na(table.Packets()[i]);
    case MarkField::Bytes:
        return na(table.Bytes()[i]);
    }
    return kNotApplicable;
}

int64_t
Encoding::RawValue(const EventTable& table, size_t i, MarkField f) const
{
    if (i >= table.Size())
    {
        throw std::out_of_range("RawValue: event index out of range");
    }
    if (IsHost(f))
    {
        const uint32_t h = f == MarkField::Src ? table.SrcIndex()[i] : table.DstIndex()[i];
        auto it = m_hostIndex.find(table.Hosts().at(h));
        return it == m_hostIndex.end() ? static_cast<int64_t>(m_hosts.size()) : it->second;
    }
    return RawOf(table, i, f, {});
}

std::vector<int64_t>
Encoding::RawColumn(const EventTable& table, MarkField f, const std::vector<int64_t>& hostMap) const
{
    std::vector<int64_t> out(table.Size());
    for (size_t i = 0; i < out.size(); ++i)
    {
        out[i] = RawOf(table, i, f, hostMap);
    }
    return out;
}

std::vector<FlowCache::Tuple>
Encoding::FlowTuples(const EventTable& table) const
{
    const auto hostMap = HostMap(table);
    std::vector<FlowCache::Tuple> out(table.Size());
    for (size_t i = 0; i < out.size(); ++i)
    {
        out[i] = {RawOf(table, i, MarkField::Src, hostMap),
                  RawOf(table, i, MarkField::Dst, hostMap),
                  RawOf(table, i, MarkField::Proto, hostMap),
                  RawOf(table, i, MarkField::SrcPort, hostMap),
                  RawOf(table, i, MarkField::DstPort, hostMap)};
    }
    return out;
}

bool
Encoding::HasField(MarkField field) const
{
    return std::find(m_fields.begin(), m_fields.end(), field) != m_fields.end();
}

const Vocabulary&
Encoding::Vocab(MarkField field) const
{
    auto it = std::find(m_fields.begin(), m_fields.end(), field);
    if (it == m_fields.end())
    {
        throw std::out_of_range("field '" + FieldName(field) + "' is not in the schema");
    }
    return m_vocabs[static_cast<size_t>(it - m_fields.begin())];
}

void
Encoding::Calendar(double ts, float* out) const
{
    std::fill(out, out + kCalendarDim, 0.0F);
    if (!std::isfinite(ts))
    {
        return;
    }
    const double day = 86400.0;
    if (m_timeOfDay)
    {
        double s = std::fmod(ts, day);
        if (s < 0)
        {
            s += day;
        }
        const double angle = 2.0 * M_PI * s / day;
        out[0] = static_cast<float>(std::sin(angle));
        out[1] = static_cast<float>(std::cos(angle));
    }
    if (m_dayOfWeek)
    {
        const auto days = static_cast<int64_t>(std::floor(ts / day));
        // 1970-01-01 was a Thursday (index 3 with Monday = 0).
        const int64_t wd = ((days + 3) % 7 + 7) % 7;
        out[2 + wd] = 1.0F;
    }
    if (m_trend)
    {
        const double u = std::clamp((ts - m_trendStart) / (m_trendEnd - m_trendStart), 0.0, 1.0);
        out[kTrendIndex] = static_cast<float>(2.0 * u - 1.0);
    }
}

Encoding
Encoding::Fit(const EventTable& train, const EncodingOptions& options)
{
    if (train.Size() < 2)
    {
        throw std::invalid_argument("Encoding::Fit needs at least two events");
    }
    CheckSorted(train.Ts(), "Encoding::Fit: training table");
    Encoding e;
    e.m_kind = train.Kind();
    e.m_flowSlots = options.flowSlots;

    // Hosts in order of first appearance, src before dst.
    std::vector<int64_t> hostMap(train.Hosts().size(), -1);
    for (size_t i = 0; i < train.Size(); ++i)
    {
        for (uint32_t h : {train.SrcIndex()[i], train.DstIndex()[i]})
        {
            if (hostMap[h] < 0)
            {
                hostMap[h] = static_cast<int64_t>(e.m_hosts.size());
                e.m_hosts.push_back(train.Hosts()[h]);
            }
        }
    }
    e.IndexHosts();

    // Schema and vocabularies.
    Vocabulary hostVocab;
    for (MarkField f : kAllFields)
    {
        if (!FieldOfKind(f, e.m_kind))
        {
            continue;
        }
        if (IsHost(f))
        {
            if (f == MarkField::Src)
            {
                auto values = e.RawColumn(train, MarkField::Src, hostMap);
                auto dst = e.RawColumn(train, MarkField::Dst, hostMap);
                values.insert(values.end(), dst.begin(), dst.end());
                hostVocab = Vocabulary::FitHosts(values,
                                                 e.m_hosts.size(),
                                                 options.maxHosts,
                                                 options.minCount,
                                                 options.maxPool);
            }
            e.m_fields.push_back(f);
            e.m_vocabs.push_back(hostVocab);
            continue;
        }
        const auto values = e.RawColumn(train, f, hostMap);
        const bool any =
            std::any_of(values.begin(), values.end(), [](int64_t v) { return v >= 0; });
        if (!any && f != MarkField::Proto)
        {
            continue;
        }
        Vocabulary v;
        switch (f)
        {
        case MarkField::Proto:
            v = Vocabulary::FitCategorical(values, 256, options.maxExact, 1, options.maxPool);
            break;
        case MarkField::DstPort:
        case MarkField::SrcPort: {
            // A port keeps its identity only when it is a real share of the
            // traffic: random client ports that recur by chance go to buckets.
            const auto shareCount = static_cast<uint64_t>(
                std::ceil(options.minPortShare * static_cast<double>(values.size())));
            v = Vocabulary::FitPorts(values,
                                     options.maxPorts,
                                     std::max(options.minCount, shareCount),
                                     options.maxPool);
        }
        break;
        case MarkField::TcpFlags:
        case MarkField::Ttl:
            v = Vocabulary::FitCategorical(values,
                                           256,
                                           options.maxExact,
                                           options.minCount,
                                           options.maxPool);
            break;
        default:
            v = Vocabulary::FitNumeric(values,
                                       options.maxExact,
                                       options.minExactShare,
                                       options.numericBins,
                                       options.maxPool,
                                       options.minCount);
            break;
        }
        e.m_fields.push_back(f);
        e.m_vocabs.push_back(std::move(v));
    }

    // Time.
    const auto& ts = train.Ts();
    e.m_resolution = DetectResolution(ts);
    const auto off = e.Offsets(ts);
    double sum = 0;
    double sum2 = 0;
    e.m_maxGap = kMinGap;
    for (size_t i = 1; i < ts.size(); ++i)
    {
        const double g = GapOf(ts, off, i);
        const double l = std::log(g);
        sum += l;
        sum2 += l * l;
        e.m_maxGap = std::max(e.m_maxGap, g);
    }
    const auto m = static_cast<double>(ts.size() - 1);
    e.m_logGapMean = sum / m;
    const double var = std::max(0.0, sum2 / m - e.m_logGapMean * e.m_logGapMean);
    e.m_logGapStd = std::max(std::sqrt(var), kMinLogGapStd);

    const double span = ts.back() - ts.front();
    const double spanDays = span / 86400.0;
    e.m_timeOfDay = spanDays >= options.timeOfDayMinDays;
    e.m_dayOfWeek = spanDays >= options.dayOfWeekMinDays;
    e.m_trend = options.trend && span > 0.0;
    e.m_trendStart = ts.front();
    e.m_trendEnd = ts.back();

    // Activity: log-rate statistics over the training events.
    e.m_meanGap = std::max(span / m, kMinGap);
    const auto dq = Apply(ts, off);
    ActivityTracker tracker = e.MakeActivityTracker();
    std::array<double, kActivityDim> asum{};
    std::array<double, kActivityDim> asum2{};
    std::array<double, kActivityDim> amin;
    std::array<double, kActivityDim> amax;
    amin.fill(HUGE_VAL);
    amax.fill(-HUGE_VAL);
    for (double t : dq)
    {
        tracker.Update(t);
        for (size_t k = 0; k < kActivityDim; ++k)
        {
            const double l = tracker.LogRate(k);
            asum[k] += l;
            asum2[k] += l * l;
            amin[k] = std::min(amin[k], l);
            amax[k] = std::max(amax[k], l);
        }
    }
    const auto nt = static_cast<double>(dq.size());
    for (size_t k = 0; k < kActivityDim; ++k)
    {
        ActivityScale& a = e.m_activity[k];
        // With the time of day active the calendar carries the slow structure:
        // slow recent rates would make a free-running model follow its own
        // history instead of the clock (doc/temponet.rst, Encoding).
        const bool calendarScale = e.m_timeOfDay && kActivityScales[k] > kActivityMaxWithCalendar;
        a.active = !calendarScale && span >= options.activityMinScales * kActivityScales[k];
        a.mean = asum[k] / nt;
        a.std = std::max(std::sqrt(std::max(0.0, asum2[k] / nt - a.mean * a.mean)), 0.05);
        a.lo = (amin[k] - a.mean) / a.std;
        a.hi = (amax[k] - a.mean) / a.std;
    }
    return e;
}

EncodedTrace
Encoding::Encode(const EventTable& table, const EventTable* context) const
{
    if (table.Kind() != m_kind)
    {
        throw std::invalid_argument("Encode: the table's trace kind differs from the encoding's");
    }
    CheckSorted(table.Ts(), "Encode: table");
    const bool hasContext = context != nullptr && !context->Empty();
    if (hasContext)
    {
        if (context->Kind() != m_kind)
        {
            throw std::invalid_argument("Encode: the context's trace kind differs");
        }
        CheckSorted(context->Ts(), "Encode: context");
        if (!table.Empty() && context->Ts().back() > table.Ts().front())
        {
            throw std::invalid_argument("Encode: the context ends after the table starts");
        }
    }

    const size_t n = table.Size();
    EncodedTrace out;
    out.n = n;
    out.fields = m_fields;

    // Times: the context's last group of equal timestamps joins the table.
    std::vector<double> cat;
    size_t lead = 0;
    if (hasContext)
    {
        const auto& cts = context->Ts();
        size_t b = cts.size() - 1;
        while (b > 0 && cts[b - 1] == cts.back())
        {
            --b;
        }
        cat.assign(cts.begin() + static_cast<std::ptrdiff_t>(b), cts.end());
        lead = cat.size();
    }
    cat.insert(cat.end(), table.Ts().begin(), table.Ts().end());
    const auto off = Offsets(cat);
    const auto dq = Apply(cat, off);
    out.ts.assign(dq.begin() + static_cast<std::ptrdiff_t>(lead), dq.end());
    out.gap.assign(n, 0.0);
    out.logGap.assign(n, 0.0F);
    out.timeMask.assign(n, 0);
    for (size_t i = 0; i < n; ++i)
    {
        const size_t c = lead + i;
        if (c == 0)
        {
            continue;
        }
        out.gap[i] = GapOf(cat, off, c);
        out.logGap[i] = static_cast<float>((std::log(out.gap[i]) - m_logGapMean) / m_logGapStd);
        out.timeMask[i] = 1;
    }
    out.calendar.assign(n * kCalendarDim, 0.0F);
    for (size_t i = 0; i < n; ++i)
    {
        Calendar(out.ts[i], &out.calendar[i * kCalendarDim]);
    }

    // Activity: the context's events (dequantised on their own, but for the
    // group that joins the table) warm the tracker up.
    ActivityTracker tracker = MakeActivityTracker();
    if (hasContext)
    {
        const auto cdq = Dequantise(context->Ts());
        for (size_t i = 0; i + lead < cdq.size(); ++i)
        {
            tracker.Update(cdq[i]);
        }
    }
    out.activity.assign(n * kActivityDim, 0.0F);
    for (size_t c = 0; c < dq.size(); ++c)
    {
        tracker.Update(dq[c]);
        if (c >= lead)
        {
            Activity(tracker, &out.activity[(c - lead) * kActivityDim]);
        }
    }

    // Flow continuation labels.
    FlowCache cache(m_flowSlots);
    if (hasContext)
    {
        for (const auto& t : FlowTuples(*context))
        {
            cache.Update(t);
        }
    }
    const auto tuples = FlowTuples(table);
    out.flow.assign(n, 0);
    for (size_t i = 0; i < n; ++i)
    {
        out.flow[i] = cache.LabelOf(tuples[i]);
        cache.Update(tuples[i]);
    }
    const auto hostMap = HostMap(table);

    // Marks.
    out.tokens.resize(m_fields.size());
    out.logShare.resize(m_fields.size());
    for (size_t f = 0; f < m_fields.size(); ++f)
    {
        const Vocabulary& v = m_vocabs[f];
        auto& tok = out.tokens[f];
        auto& ls = out.logShare[f];
        tok.resize(n);
        ls.resize(n);
        for (size_t i = 0; i < n; ++i)
        {
            const int64_t raw = RawOf(table, i, m_fields[f], hostMap);
            tok[i] = v.TokenOf(raw);
            ls[i] = static_cast<float>(v.LogShare(raw, tok[i]));
        }
    }
    return out;
}

nlohmann::json
Encoding::ToJson() const
{
    nlohmann::json j;
    j["format"] = "temponet-encoding";
    j["version"] = 3;
    j["kind"] = m_kind == TraceKind::Packets ? "packets" : "flows";
    nlohmann::json fields = nlohmann::json::array();
    nlohmann::json vocabs = nlohmann::json::object();
    for (size_t f = 0; f < m_fields.size(); ++f)
    {
        fields.push_back(FieldName(m_fields[f]));
        vocabs[VocabKey(m_fields[f])] = m_vocabs[f].ToJson();
    }
    j["fields"] = std::move(fields);
    nlohmann::json hosts = nlohmann::json::array();
    for (const auto& h : m_hosts)
    {
        hosts.push_back(h.ToString());
    }
    j["hosts"] = std::move(hosts);
    j["vocabularies"] = std::move(vocabs);
    j["resolution"] = m_resolution;
    j["log_gap_mean"] = m_logGapMean;
    j["log_gap_std"] = m_logGapStd;
    j["time_of_day"] = m_timeOfDay;
    j["day_of_week"] = m_dayOfWeek;
    j["trend"] = {{"active", m_trend}, {"start", m_trendStart}, {"end", m_trendEnd}};
    j["flow_slots"] = m_flowSlots;
    j["mean_gap"] = m_meanGap;
    j["max_gap"] = m_maxGap;
    nlohmann::json activity = nlohmann::json::array();
    for (size_t k = 0; k < kActivityDim; ++k)
    {
        activity.push_back({{"scale", kActivityScales[k]},
                            {"active", m_activity[k].active},
                            {"mean", m_activity[k].mean},
                            {"std", m_activity[k].std},
                            {"lo", m_activity[k].lo},
                            {"hi", m_activity[k].hi}});
    }
    j["activity"] = std::move(activity);
    return j;
}

Encoding
Encoding::FromJson(const nlohmann::json& j)
{
    using namespace jsoncheck;
    const std::string where = "encoding";
    if (String(j, "format", where) != "temponet-encoding")
    {
        Fail(where, "'format' is not \"temponet-encoding\"");
    }
    const int64_t version = Int(j, "version", where);
    if (version == 1)
    {
        Fail(where, "version 1 is a model made before the activity features; train it anew");
    }
    if (version == 2)
    {
        Fail(where, "version 2 is a model made before the trend feature; train it anew");
    }
    if (version != 3)
    {
        Fail(where, "unsupported version " + std::to_string(version) + " (expected 3)");
    }
    Encoding e;
    const std::string kind = String(j, "kind", where);
    if (kind == "packets")
    {
        e.m_kind = TraceKind::Packets;
    }
    else if (kind == "flows")
    {
        e.m_kind = TraceKind::Flows;
    }
    else
    {
        Fail(where, "'kind' must be \"packets\" or \"flows\", not \"" + kind + "\"");
    }

    const auto& hosts = Array(j, "hosts", where);
    for (size_t i = 0; i < hosts.size(); ++i)
    {
        if (!hosts[i].is_string())
        {
            Fail(where, "host " + std::to_string(i) + " must be a string");
        }
        auto a = IpAddr::Parse(hosts[i].get<std::string>());
        if (!a)
        {
            Fail(where, "host " + std::to_string(i) + " is not an IP address");
        }
        e.m_hosts.push_back(*a);
    }
    try
    {
        e.IndexHosts();
    }
    catch (const std::runtime_error& ex)
    {
        Fail(where, ex.what());
    }

    const auto& fields = Array(j, "fields", where);
    const auto& vocabs = Member(j, "vocabularies", where);
    if (!vocabs.is_object())
    {
        Fail(where, "'vocabularies' must be an object");
    }
    size_t nextCandidate = 0;
    std::vector<std::string> usedKeys;
    for (size_t i = 0; i < fields.size(); ++i)
    {
        if (!fields[i].is_string())
        {
            Fail(where, "field " + std::to_string(i) + " must be a string");
        }
        MarkField f;
        try
        {
            f = FieldFromName(fields[i].get<std::string>());
        }
        catch (const std::runtime_error& ex)
        {
            Fail(where, ex.what());
        }
        if (!FieldOfKind(f, e.m_kind))
        {
            Fail(where, "field '" + FieldName(f) + "' does not belong to " + kind + " traces");
        }
        const auto pos = static_cast<size_t>(f);
        if (pos < nextCandidate)
        {
            Fail(where, "fields are not in chain order or repeat ('" + FieldName(f) + "')");
        }
        nextCandidate = pos + 1;
        e.m_fields.push_back(f);
    }
    for (MarkField must : {MarkField::Src, MarkField::Dst, MarkField::Proto})
    {
        if (!e.HasField(must))
        {
            Fail(where, "field '" + FieldName(must) + "' is missing");
        }
    }
    for (MarkField f : e.m_fields)
    {
        const std::string key = VocabKey(f);
        if (!vocabs.contains(key))
        {
            Fail(where, "no vocabulary for '" + key + "'");
        }
        if (std::find(usedKeys.begin(), usedKeys.end(), key) == usedKeys.end())
        {
            usedKeys.push_back(key);
        }
        try
        {
            e.m_vocabs.push_back(Vocabulary::FromJson(vocabs[key]));
        }
        catch (const std::runtime_error& ex)
        {
            Fail(where, "vocabulary '" + key + "': " + ex.what());
        }
        const Vocabulary& v = e.m_vocabs.back();
        if (IsHost(f))
        {
            if (v.HasNotApplicable())
            {
                Fail(where, "the host vocabulary must not have a 'na' token");
            }
            if (v.Size() >= 2 && v.At(v.Size() - 2).kind == Vocabulary::Kind::Bucket)
            {
                Fail(where, "the host vocabulary must have exactly one bucket");
            }
            const Vocabulary::Token& rare = v.At(v.Size() - 1);
            if (rare.lo != 0 || rare.hi != static_cast<int64_t>(e.m_hosts.size()) + 1)
            {
                Fail(where, "the rare-host bucket must be [0, hosts + 1)");
            }
            for (size_t t = 0; t < v.Size(); ++t)
            {
                if (v.At(t).kind == Vocabulary::Kind::Exact &&
                    v.At(t).value >= static_cast<int64_t>(e.m_hosts.size()))
                {
                    Fail(where, "an exact host token names no listed host");
                }
            }
        }
    }
    if (usedKeys.size() != vocabs.size())
    {
        Fail(where, "'vocabularies' has entries for fields outside the schema");
    }

    e.m_resolution = Double(j, "resolution", where);
    if (e.m_resolution < 0 || e.m_resolution > 86400)
    {
        Fail(where, "'resolution' must lie in [0, 86400] seconds");
    }
    e.m_logGapMean = Double(j, "log_gap_mean", where);
    e.m_logGapStd = Double(j, "log_gap_std", where);
    if (e.m_logGapStd < kMinLogGapStd)
    {
        Fail(where, "'log_gap_std' must be at least " + std::to_string(kMinLogGapStd));
    }
    e.m_timeOfDay = Bool(j, "time_of_day", where);
    e.m_dayOfWeek = Bool(j, "day_of_week", where);
    const auto& trend = Object(j, "trend", where);
    e.m_trend = Bool(trend, "active", where + ".trend");
    e.m_trendStart = Double(trend, "start", where + ".trend");
    e.m_trendEnd = Double(trend, "end", where + ".trend");
    if (e.m_trend && !(e.m_trendEnd > e.m_trendStart))
    {
        Fail(where, "'trend' needs 'end' after 'start'");
    }
    const uint64_t slots = Uint(j, "flow_slots", where);
    if (slots > 4096)
    {
        Fail(where, "'flow_slots' must be at most 4096");
    }
    e.m_flowSlots = static_cast<size_t>(slots);
    e.m_meanGap = Double(j, "mean_gap", where);
    if (!(e.m_meanGap > 0.0) || !std::isfinite(e.m_meanGap))
    {
        Fail(where, "'mean_gap' must be a positive number of seconds");
    }
    e.m_maxGap = Double(j, "max_gap", where);
    if (!(e.m_maxGap > 0.0) || !std::isfinite(e.m_maxGap))
    {
        Fail(where, "'max_gap' must be a positive number of seconds");
    }
    const auto& activity = Array(j, "activity", where);
    if (activity.size() != kActivityDim)
    {
        Fail(where, "'activity' must have " + std::to_string(kActivityDim) + " scales");
    }
    for (size_t k = 0; k < kActivityDim; ++k)
    {
        const std::string at = where + ": activity " + std::to_string(k);
        if (Double(activity[k], "scale", at) != kActivityScales[k])
        {
            Fail(at,
                 "its 'scale' differs from this TempoNet's " + std::to_string(kActivityScales[k]) +
                     " s");
        }
        ActivityScale& a = e.m_activity[k];
        a.active = Bool(activity[k], "active", at);
        a.mean = Double(activity[k], "mean", at);
        a.std = Double(activity[k], "std", at);
        a.lo = Double(activity[k], "lo", at);
        a.hi = Double(activity[k], "hi", at);
        if (!(a.std >= 0.05) || a.lo > a.hi)
        {
            Fail(at, "'std' must be at least 0.05 and 'lo' at most 'hi'");
        }
    }
    return e;
}

} // namespace temponet
} // namespace ns3
