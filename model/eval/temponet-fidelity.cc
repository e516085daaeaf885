/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "temponet-fidelity.h"

#include "temponet-distance.h"
#include "temponet-trace-summary.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <unordered_map>

namespace ns3
{
namespace temponet
{

namespace
{

constexpr int32_t kFirstEphemeralPort = 49152; //!< IANA dynamic port range start.
constexpr double kTimeEpsilon = 1e-6;          //!< Log offset for seconds.
constexpr double kCountEpsilon = 1.0;          //!< Log offset for bytes and counts.
constexpr double kSecondsPerHour = 3600.0;
constexpr double kSecondsPerDay = 86400.0;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// Addresses of both tables under one numbering, so that codes compare across tables.
class HostCodes
{
  public:
    /// \return the code of \p a, new codes counting up from 0.
    int64_t Code(const IpAddr& a)
    {
        auto [it, added] = m_codes.try_emplace(a, int64_t(m_hosts.size()));
        if (added)
        {
            m_hosts.push_back(a);
        }
        return it->second;
    }

    /// \return the address of \p code.
    const IpAddr& Host(int64_t code) const
    {
        return m_hosts[size_t(code)];
    }

  private:
    std::unordered_map<IpAddr, int64_t> m_codes; //!< Address to code.
    std::vector<IpAddr> m_hosts;                 //!< Code to address.
};

/// \return \p port with the ephemeral range folded into one category.
int64_t
PortCategory(int32_t port)
{
    return port >= kFirstEphemeralPort ? kFirstEphemeralPort : port;
}

/// \return \p v as a double, NaN when it does not apply.
double
OrNaN(int64_t v)
{
    return v == kNotApplicable ? kNaN : double(v);
}

/// One trace in time order, its fields as comparable columns.
struct Columns
{
    std::vector<double> ts;                                  //!< Sorted, maybe rounded.
    std::map<std::string, std::vector<int64_t>> categorical; //!< Field to codes.
    std::map<std::string, std::vector<double>> numeric;      //!< Field to values, NaN = n/a.
};

/**
 * \return the columns of \p t in time order (stable), with timestamps
 * rounded to \p resolution when it is positive.
 */
Columns
MakeColumns(const EventTable& t, HostCodes& hosts, double resolution)
{
    std::vector<size_t> order(t.Size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&t](size_t a, size_t b) {
        return t.Ts()[a] < t.Ts()[b];
    });
    Columns c;
    std::vector<int64_t> src;
    std::vector<int64_t> dst;
    for (size_t i : order)
    {
        const double ts = t.Ts()[i];
        c.ts.push_back(resolution > 0.0 ? std::round(ts / resolution) * resolution : ts);
        src.push_back(hosts.Code(t.Hosts()[t.SrcIndex()[i]]));
        dst.push_back(hosts.Code(t.Hosts()[t.DstIndex()[i]]));
    }
    // Fills column `name` with value(k, i) for the k-th event in time order, row i.
    auto fill = [&order](auto& column, auto value) {
        column.reserve(order.size());
        for (size_t k = 0; k < order.size(); ++k)
        {
            column.push_back(value(k, order[k]));
        }
    };
    auto& cat = c.categorical;
    fill(cat["proto"], [&t](size_t, size_t i) { return int64_t(t.Proto()[i]); });
    fill(cat["src_ip"], [&src](size_t k, size_t) { return src[k]; });
    fill(cat["dst_ip"], [&dst](size_t k, size_t) { return dst[k]; });
    fill(cat["host_pair"], [&src, &dst](size_t k, size_t) { return (src[k] << 32) | dst[k]; });
    fill(cat["src_port"], [&t](size_t, size_t i) { return PortCategory(t.SrcPort()[i]); });
    fill(cat["dst_port"], [&t](size_t, size_t i) { return PortCategory(t.DstPort()[i]); });
    fill(cat["tcp_flags"], [&t](size_t, size_t i) { return int64_t(t.TcpFlags()[i]); });
    fill(cat["ttl"], [&t](size_t, size_t i) { return int64_t(t.Ttl()[i]); });
    fill(cat["hour_of_day"], [&c](size_t k, size_t) {
        const double dayTime = std::fmod(c.ts[k], kSecondsPerDay);
        return int64_t(
            std::floor((dayTime < 0 ? dayTime + kSecondsPerDay : dayTime) / kSecondsPerHour));
    });
    auto& num = c.numeric;
    fill(num["size"], [&t](size_t, size_t i) { return OrNaN(t.PacketSize()[i]); });
    fill(num["duration"], [&t](size_t, size_t i) { return t.Duration()[i]; });
    fill(num["packets"], [&t](size_t, size_t i) { return OrNaN(t.Packets()[i]); });
    fill(num["bytes"], [&t](size_t, size_t i) { return OrNaN(t.Bytes()[i]); });
    auto& iat = num["iat"];
    iat.assign(c.ts.size(), kNaN);
    for (size_t i = 1; i < c.ts.size(); ++i)
    {
        iat[i] = c.ts[i] - c.ts[i - 1];
    }
    return c;
}

/// \return true when a categorical column holds an applicable value.
bool
AnyApplicable(const std::vector<int64_t>& x)
{
    return std::any_of(x.begin(), x.end(), [](int64_t v) { return v != kNotApplicable; });
}

/// \return true when a numeric column holds a value.
bool
AnyValue(const std::vector<double>& x)
{
    return std::any_of(x.begin(), x.end(), [](double v) { return !std::isnan(v); });
}

/// \return the values of \p x that are not NaN.
std::vector<double>
Present(const std::vector<double>& x)
{
    std::vector<double> out;
    out.reserve(x.size());
    std::copy_if(x.begin(), x.end(), std::back_inserter(out), [](double v) {
        return !std::isnan(v);
    });
    return out;
}

/// \return the log offset of numeric field \p name.
double
Epsilon(const std::string& name)
{
    return name == "iat" || name == "duration" ? kTimeEpsilon : kCountEpsilon;
}

/**
 * \return codes of categorical column \p x for CMD: the \p top most frequent
 * values of \p realColumn are 0..top-1 (most frequent first, ties by value),
 * every other value is \p top.
 */
std::vector<uint32_t>
TopCategoryCodes(const std::vector<int64_t>& realColumn, const std::vector<int64_t>& x, size_t top)
{
    const CategoryCounts counts = CountCategories(realColumn);
    std::vector<std::pair<double, int64_t>> ranked;
    for (const auto& [value, count] : counts)
    {
        ranked.emplace_back(-count, value);
    }
    std::sort(ranked.begin(), ranked.end());
    std::unordered_map<int64_t, uint32_t> code;
    for (size_t i = 0; i < ranked.size() && i < top; ++i)
    {
        code[ranked[i].second] = uint32_t(i);
    }
    std::vector<uint32_t> out(x.size());
    for (size_t i = 0; i < x.size(); ++i)
    {
        const auto it = code.find(x[i]);
        out[i] = it == code.end() ? uint32_t(top) : it->second;
    }
    return out;
}

/**
 * \return codes of numeric column \p x for CMD: bins 0..bins-1 between the
 * quantiles of \p realColumn, and \p bins for a missing value.
 */
std::vector<uint32_t>
QuantileCodes(const std::vector<double>& realColumn, const std::vector<double>& x, size_t bins)
{
    std::vector<double> sorted = Present(realColumn);
    std::sort(sorted.begin(), sorted.end());
    std::vector<double> edges;
    for (size_t j = 1; j < bins && !sorted.empty(); ++j)
    {
        edges.push_back(sorted[std::min(sorted.size() - 1, j * sorted.size() / bins)]);
    }
    std::vector<uint32_t> out(x.size());
    for (size_t i = 0; i < x.size(); ++i)
    {
        out[i] = std::isnan(x[i])
                     ? uint32_t(bins)
                     : uint32_t(std::upper_bound(edges.begin(), edges.end(), x[i]) - edges.begin());
    }
    return out;
}

/// \return the log10(v + epsilon) transform of a numeric column, NaN kept.
std::vector<double>
LogColumn(const std::vector<double>& x, double epsilon)
{
    std::vector<double> out(x.size());
    std::transform(x.begin(), x.end(), out.begin(), [epsilon](double v) {
        return std::isnan(v) ? v : std::log10(std::max(v, 0.0) + epsilon);
    });
    return out;
}

/// Fills the per-window part of \p s from sorted timestamps \p ts.
void
FillSeries(const std::vector<double>& ts,
           double span,
           double window,
           size_t lags,
           FidelityReport::Series& s)
{
    s.start = ts.empty() ? 0.0 : ts.front();
    s.span = span;
    s.rate = double(ts.size()) / span;
    const size_t n = std::max<size_t>(1, size_t(std::ceil(span / window - 1e-9)));
    s.counts.assign(n, 0.0);
    for (double t : ts)
    {
        const double offset = t - s.start;
        if (offset > span * (1.0 + 1e-12))
        {
            continue; // past the span the synthetic trace was declared to cover
        }
        s.counts[std::min(n - 1, size_t(offset / window))] += 1.0;
    }
    s.acf = Autocorrelation(s.counts, lags);
    s.gaps.clear();
    for (size_t i = 1; i < ts.size(); ++i)
    {
        s.gaps.push_back(ts[i] - ts[i - 1]);
    }
    std::sort(s.gaps.begin(), s.gaps.end());
}

/// \return the share of events whose host pair is the previous event's.
double
SamePairShare(const std::vector<int64_t>& pairs)
{
    if (pairs.size() < 2)
    {
        return 0.0;
    }
    size_t same = 0;
    for (size_t i = 1; i < pairs.size(); ++i)
    {
        same += pairs[i] == pairs[i - 1] ? 1 : 0;
    }
    return double(same) / double(pairs.size() - 1);
}

} // namespace

FidelityReport
Evaluate(const EventTable& real, const EventTable& synthetic, const FidelityOptions& options)
{
    if (real.Empty())
    {
        throw std::invalid_argument("the real trace has no events");
    }
    FidelityReport r;
    std::vector<double> realTimes = real.Ts();
    std::sort(realTimes.begin(), realTimes.end());
    r.resolution = DetectResolution(realTimes);
    r.roundedSynthetic = r.resolution > 0.0;
    // Both on the same grid: the real times lie on it already, up to rounding error.
    HostCodes hosts;
    Columns rc = MakeColumns(real, hosts, r.resolution);
    Columns sc = MakeColumns(synthetic, hosts, r.resolution);

    // Marginals.
    const double realSpan = rc.ts.back() - rc.ts.front();
    for (const auto& [name, column] : rc.categorical)
    {
        const bool always =
            name == "proto" || name == "src_ip" || name == "dst_ip" || name == "host_pair";
        if (name == "hour_of_day"
                ? realSpan > options.hourOfDaySpan
                : always || AnyApplicable(column) || AnyApplicable(sc.categorical[name]))
        {
            r.jsd[name] = JensenShannon(column, sc.categorical[name]);
        }
    }
    std::vector<std::string> numericFields;
    for (const auto& [name, column] : rc.numeric)
    {
        if (name == "iat" || AnyValue(column) || AnyValue(sc.numeric[name]))
        {
            numericFields.push_back(name);
            const std::vector<double> a = Present(column);
            const std::vector<double> b = Present(sc.numeric[name]);
            r.ks[name] = KolmogorovSmirnov(a, b);
            r.emd[name] = LogScaleEarthMovers(a, b, Epsilon(name));
        }
    }

    // Joint structure.
    std::vector<std::vector<uint32_t>> realCodes;
    std::vector<std::vector<uint32_t>> synthCodes;
    for (const auto& [name, value] : r.jsd)
    {
        if (name != "host_pair" && name != "hour_of_day")
        {
            r.cmdColumns.push_back(name);
            realCodes.push_back(TopCategoryCodes(rc.categorical[name],
                                                 rc.categorical[name],
                                                 options.topCategories));
            synthCodes.push_back(TopCategoryCodes(rc.categorical[name],
                                                  sc.categorical[name],
                                                  options.topCategories));
        }
    }
    std::vector<std::vector<double>> realLogs;
    std::vector<std::vector<double>> synthLogs;
    for (const auto& name : numericFields)
    {
        r.cmdColumns.push_back(name);
        realCodes.push_back(
            QuantileCodes(rc.numeric[name], rc.numeric[name], options.quantileBins));
        synthCodes.push_back(
            QuantileCodes(rc.numeric[name], sc.numeric[name], options.quantileBins));
        r.pcdColumns.push_back(name);
        realLogs.push_back(LogColumn(rc.numeric[name], Epsilon(name)));
        synthLogs.push_back(LogColumn(sc.numeric[name], Epsilon(name)));
    }
    r.cmd = ContingencyMatrixDistance(realCodes, synthCodes);
    r.pcd = PairwiseCorrelationDistance(realLogs, synthLogs);

    // Temporal structure.
    r.windowSeconds = realSpan / double(options.targetWindows);
    r.windowSeconds = std::max(r.windowSeconds, r.resolution);
    if (!(r.windowSeconds > 0.0))
    {
        r.windowSeconds = 1.0;
    }
    const double synthOwnSpan = sc.ts.size() >= 2 ? sc.ts.back() - sc.ts.front() : 0.0;
    const double synthSpan = options.syntheticSpan > 0.0 ? options.syntheticSpan : synthOwnSpan;
    FillSeries(rc.ts,
               std::max(realSpan, r.windowSeconds),
               r.windowSeconds,
               options.acfLags,
               r.real);
    FillSeries(sc.ts,
               std::max(synthSpan, r.windowSeconds),
               r.windowSeconds,
               options.acfLags,
               r.synthetic);
    r.acfL2 = L2Distance(r.real.acf, r.synthetic.acf);
    r.countKs = KolmogorovSmirnov(r.real.counts, r.synthetic.counts);
    // An empty synthetic trace counts as half an event, so the ratio stays finite.
    const double synthRate = std::max<double>(double(sc.ts.size()), 0.5) / r.synthetic.span;
    r.rateLogRatio = std::fabs(std::log(synthRate / r.real.rate));

    // Sequence structure.
    r.real.samePairPrev = SamePairShare(rc.categorical["host_pair"]);
    r.synthetic.samePairPrev = SamePairShare(sc.categorical["host_pair"]);
    r.samePairPrev = std::fabs(r.real.samePairPrev - r.synthetic.samePairPrev);

    // Protocol rules.
    r.real.dkc = CheckDomainKnowledge(real);
    r.synthetic.dkc = CheckDomainKnowledge(synthetic);
    r.dkcViolationRate = r.synthetic.dkc.Rate();

    // Busiest real host pairs, for the figures.
    const CategoryCounts realPairs = CountCategories(rc.categorical["host_pair"]);
    const CategoryCounts synthPairs = CountCategories(sc.categorical["host_pair"]);
    std::vector<std::pair<double, int64_t>> ranked;
    for (const auto& [pair, count] : realPairs)
    {
        ranked.emplace_back(-count, pair);
    }
    std::sort(ranked.begin(), ranked.end());
    for (size_t i = 0; i < ranked.size() && i < options.topPairs; ++i)
    {
        const int64_t pair = ranked[i].second;
        const auto it = synthPairs.find(pair);
        r.topPairs.push_back(
            {hosts.Host(pair >> 32).ToString() + " > " + hosts.Host(pair & 0xffffffff).ToString(),
             -ranked[i].first / double(rc.ts.size()),
             it == synthPairs.end() ? 0.0 : it->second / double(sc.ts.size())});
    }
    return r;
}

} // namespace temponet
} // namespace ns3
