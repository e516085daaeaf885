/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "temponet-encoding.h"
#include "temponet-json-check.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace ns3
{
namespace temponet
{

namespace
{

/// A distinct value and its count.
struct ValueCount
{
    int64_t value;  //!< The value.
    uint64_t count; //!< Its occurrences.
};

/// \return the distinct non-negative values of \p values (ascending) with counts, and the
/// number of negative ones in \p negatives.
std::vector<ValueCount>
CountValues(const std::vector<int64_t>& values, uint64_t* negatives)
{
    std::vector<int64_t> v;
    v.reserve(values.size());
    uint64_t neg = 0;
    for (int64_t x : values)
    {
        if (x < 0)
        {
            ++neg;
        }
        else
        {
            v.push_back(x);
        }
    }
    std::sort(v.begin(), v.end());
    std::vector<ValueCount> out;
    for (size_t i = 0; i < v.size();)
    {
        size_t j = i;
        while (j < v.size() && v[j] == v[i])
        {
            ++j;
        }
        out.push_back({v[i], static_cast<uint64_t>(j - i)});
        i = j;
    }
    if (negatives != nullptr)
    {
        *negatives = neg;
    }
    return out;
}

/// \return the values of \p counts satisfying \p keep, most frequent first (ties: smaller
/// value), at most \p limit, then sorted by value.
template <typename Keep>
std::vector<ValueCount>
TopValues(std::vector<ValueCount> counts, size_t limit, Keep keep)
{
    counts.erase(
        std::remove_if(counts.begin(), counts.end(), [&](const ValueCount& c) { return !keep(c); }),
        counts.end());
    std::stable_sort(counts.begin(), counts.end(), [](const ValueCount& a, const ValueCount& b) {
        return a.count > b.count;
    });
    if (counts.size() > limit)
    {
        counts.resize(limit);
    }
    std::sort(counts.begin(), counts.end(), [](const ValueCount& a, const ValueCount& b) {
        return a.value < b.value;
    });
    return counts;
}

/// \return the "not applicable" token.
Vocabulary::Token
NaToken()
{
    Vocabulary::Token t;
    t.kind = Vocabulary::Kind::NotApplicable;
    t.value = kNotApplicable;
    t.label = "n/a";
    return t;
}

/// \return an exact token.
Vocabulary::Token
ExactToken(int64_t value)
{
    Vocabulary::Token t;
    t.kind = Vocabulary::Kind::Exact;
    t.value = value;
    t.label = std::to_string(value);
    return t;
}

/// \return an empty bucket token; universe is set later.
Vocabulary::Token
BucketToken(int64_t lo, int64_t hi, const std::string& label)
{
    Vocabulary::Token t;
    t.kind = Vocabulary::Kind::Bucket;
    t.lo = lo;
    t.hi = hi;
    t.label = label;
    return t;
}

/// \return the tokens: optional NA, exact values, then \p buckets.
std::vector<Vocabulary::Token>
Layout(bool na, const std::vector<ValueCount>& exact, std::vector<Vocabulary::Token> buckets)
{
    std::vector<Vocabulary::Token> tokens;
    if (na)
    {
        tokens.push_back(NaToken());
    }
    for (const auto& e : exact)
    {
        tokens.push_back(ExactToken(e.value));
    }
    for (auto& b : buckets)
    {
        tokens.push_back(std::move(b));
    }
    return tokens;
}

/// \return the name of token kind \p k in JSON.
const char*
KindName(Vocabulary::Kind k)
{
    switch (k)
    {
    case Vocabulary::Kind::NotApplicable:
        return "na";
    case Vocabulary::Kind::Exact:
        return "exact";
    case Vocabulary::Kind::Bucket:
        return "bucket";
    }
    return "unknown";
}

/// \return the number of exact values in [lo, hi) among sorted \p exact.
uint64_t
ExactInside(const std::vector<int64_t>& exact, int64_t lo, int64_t hi)
{
    auto b = std::lower_bound(exact.begin(), exact.end(), lo);
    auto e = std::lower_bound(exact.begin(), exact.end(), hi);
    return static_cast<uint64_t>(e - b);
}

} // namespace

int32_t
Vocabulary::NearestBucket(int64_t value) const
{
    if (m_bucketBegin >= m_tokens.size())
    {
        return m_tokens.empty() ? 0 : static_cast<int32_t>(m_tokens.size() - 1);
    }
    auto first = m_tokens.begin() + static_cast<std::ptrdiff_t>(m_bucketBegin);
    // First bucket with lo > value.
    auto it = std::upper_bound(first, m_tokens.end(), value, [](int64_t v, const Token& t) {
        return v < t.lo;
    });
    if (it == first)
    {
        return static_cast<int32_t>(m_bucketBegin);
    }
    auto prev = it - 1;
    if (value < prev->hi || it == m_tokens.end())
    {
        return static_cast<int32_t>(prev - m_tokens.begin());
    }
    // Between two buckets: the nearer one, the lower on ties.
    const double below = static_cast<double>(value) - static_cast<double>(prev->hi) + 1.0;
    const double above = static_cast<double>(it->lo) - static_cast<double>(value);
    return static_cast<int32_t>((below <= above ? prev : it) - m_tokens.begin());
}

int32_t
Vocabulary::TokenOf(int64_t value) const
{
    if (value < 0 && HasNotApplicable())
    {
        return 0;
    }
    auto eb = m_tokens.begin() + static_cast<std::ptrdiff_t>(m_exactBegin);
    auto ee = m_tokens.begin() + static_cast<std::ptrdiff_t>(m_bucketBegin);
    auto it =
        std::lower_bound(eb, ee, value, [](const Token& t, int64_t v) { return t.value < v; });
    if (it != ee && it->value == value)
    {
        return static_cast<int32_t>(it - m_tokens.begin());
    }
    return NearestBucket(value);
}

double
Vocabulary::LogShare(int64_t value, int32_t token) const
{
    const Token& t = m_tokens.at(static_cast<size_t>(token));
    if (t.kind != Kind::Bucket)
    {
        return 0.0;
    }
    uint64_t c = 0;
    auto it = std::lower_bound(t.poolValues.begin(), t.poolValues.end(), value);
    if (it != t.poolValues.end() && *it == value)
    {
        c = t.poolCounts[static_cast<size_t>(it - t.poolValues.begin())];
    }
    const double a = kLogShareSmoothing;
    return std::log((static_cast<double>(c) + a) /
                    (static_cast<double>(t.count) + a * static_cast<double>(t.universe)));
}

int64_t
Vocabulary::Draw(int32_t token, double u) const
{
    return DrawWithin(token,
                      std::numeric_limits<int64_t>::min(),
                      std::numeric_limits<int64_t>::max(),
                      u);
}

bool
Vocabulary::CanHold(int32_t token, int64_t lo, int64_t hi) const
{
    const Token& t = m_tokens.at(static_cast<size_t>(token));
    switch (t.kind)
    {
    case Kind::NotApplicable:
        return true;
    case Kind::Exact:
        return t.value >= lo && t.value <= hi;
    case Kind::Bucket:
        break;
    }
    if (t.poolValues.empty())
    {
        return t.lo <= hi && t.hi > lo;
    }
    const auto it = std::lower_bound(t.poolValues.begin(), t.poolValues.end(), lo);
    return it != t.poolValues.end() && *it <= hi;
}

int64_t
Vocabulary::DrawWithin(int32_t token, int64_t lo, int64_t hi, double u) const
{
    const Token& t = m_tokens.at(static_cast<size_t>(token));
    switch (t.kind)
    {
    case Kind::NotApplicable:
        return kNotApplicable;
    case Kind::Exact:
        return t.value;
    case Kind::Bucket:
        break;
    }
    const auto& cumul = m_cumul[static_cast<size_t>(token)];
    if (cumul.empty())
    {
        return std::max(t.lo, lo);
    }
    // The pool values in [lo, hi] are [a, b); their counts span (base, top].
    const auto& values = t.poolValues;
    const auto a =
        static_cast<size_t>(std::lower_bound(values.begin(), values.end(), lo) - values.begin());
    const auto b =
        static_cast<size_t>(std::upper_bound(values.begin(), values.end(), hi) - values.begin());
    if (a >= b)
    {
        return std::max(t.lo, lo); // no pool value there: CanHold() is false
    }
    const uint64_t base = a == 0 ? 0 : cumul[a - 1];
    const uint64_t total = cumul[b - 1] - base;
    if (!(u > 0.0))
    {
        u = 0.0;
    }
    auto target = static_cast<uint64_t>(std::floor(u * static_cast<double>(total)));
    target = std::min(target, total - 1);
    auto it = std::upper_bound(cumul.begin() + a, cumul.begin() + b, base + target);
    return values[static_cast<size_t>(it - cumul.begin())];
}

bool
Vocabulary::operator==(const Vocabulary& o) const
{
    if (m_tokens.size() != o.m_tokens.size())
    {
        return false;
    }
    for (size_t i = 0; i < m_tokens.size(); ++i)
    {
        const Token& a = m_tokens[i];
        const Token& b = o.m_tokens[i];
        if (a.kind != b.kind || a.value != b.value || a.lo != b.lo || a.hi != b.hi ||
            a.count != b.count || a.poolValues != b.poolValues || a.poolCounts != b.poolCounts ||
            a.label != b.label || a.universe != b.universe)
        {
            return false;
        }
    }
    return true;
}

void
Vocabulary::Index()
{
    const std::string where = "vocabulary";
    if (m_tokens.empty())
    {
        jsoncheck::Fail(where, "no tokens");
    }
    size_t i = 0;
    if (m_tokens[0].kind == Kind::NotApplicable)
    {
        ++i;
    }
    m_exactBegin = i;
    while (i < m_tokens.size() && m_tokens[i].kind == Kind::Exact)
    {
        const Token& t = m_tokens[i];
        if (t.value < 0)
        {
            jsoncheck::Fail(where, "token " + std::to_string(i) + ": exact value is negative");
        }
        if (i > m_exactBegin && t.value <= m_tokens[i - 1].value)
        {
            jsoncheck::Fail(where,
                            "token " + std::to_string(i) +
                                ": exact values must be strictly ascending");
        }
        ++i;
    }
    m_bucketBegin = i;
    std::vector<int64_t> exact;
    for (size_t k = m_exactBegin; k < m_bucketBegin; ++k)
    {
        exact.push_back(m_tokens[k].value);
    }
    if (m_bucketBegin == m_tokens.size())
    {
        jsoncheck::Fail(where, "no bucket token");
    }
    m_cumul.assign(m_tokens.size(), {});
    for (; i < m_tokens.size(); ++i)
    {
        const Token& t = m_tokens[i];
        const std::string tw = "token " + std::to_string(i) + ": ";
        if (t.kind != Kind::Bucket)
        {
            jsoncheck::Fail(where,
                            tw + "token order must be: not applicable, exact values, buckets");
        }
        if (t.lo >= t.hi)
        {
            jsoncheck::Fail(where, tw + "bucket range is empty (lo >= hi)");
        }
        if (i > m_bucketBegin && t.lo < m_tokens[i - 1].hi)
        {
            jsoncheck::Fail(where, tw + "buckets must be ascending and must not overlap");
        }
        if (t.poolValues.size() != t.poolCounts.size())
        {
            jsoncheck::Fail(where, tw + "pool values and pool counts differ in length");
        }
        if (t.universe == 0 || t.universe < t.poolValues.size())
        {
            jsoncheck::Fail(where, tw + "universe is smaller than the pool");
        }
        uint64_t sum = 0;
        for (size_t k = 0; k < t.poolValues.size(); ++k)
        {
            const int64_t v = t.poolValues[k];
            if (v < t.lo || v >= t.hi)
            {
                jsoncheck::Fail(where,
                                tw + "pool value " + std::to_string(v) + " outside [lo, hi)");
            }
            if (k > 0 && v <= t.poolValues[k - 1])
            {
                jsoncheck::Fail(where, tw + "pool values must be strictly ascending");
            }
            if (std::binary_search(exact.begin(), exact.end(), v))
            {
                jsoncheck::Fail(where,
                                tw + "pool value " + std::to_string(v) + " has an exact token");
            }
            if (t.poolCounts[k] == 0)
            {
                jsoncheck::Fail(where, tw + "pool counts must be positive");
            }
            if (t.poolCounts[k] > std::numeric_limits<uint64_t>::max() - sum)
            {
                jsoncheck::Fail(where, tw + "pool counts overflow");
            }
            sum += t.poolCounts[k];
            m_cumul[i].push_back(sum);
        }
        if (sum > t.count)
        {
            jsoncheck::Fail(where, tw + "pool counts exceed the bucket count");
        }
    }
    if (m_tokens.size() > static_cast<size_t>(std::numeric_limits<int32_t>::max()))
    {
        jsoncheck::Fail(where, "too many tokens");
    }
}

void
Vocabulary::Assign(const std::vector<int64_t>& values, size_t maxPool)
{
    std::vector<int64_t> exact;
    for (const auto& t : m_tokens)
    {
        if (t.kind == Kind::Exact)
        {
            exact.push_back(t.value);
        }
    }
    for (auto& t : m_tokens)
    {
        if (t.kind == Kind::Bucket && t.universe == 0)
        {
            const double width = static_cast<double>(t.hi) - static_cast<double>(t.lo);
            const uint64_t inside = ExactInside(exact, t.lo, t.hi);
            t.universe = std::max<uint64_t>(1, static_cast<uint64_t>(width) - inside);
        }
    }
    Index();
    std::vector<std::vector<ValueCount>> candidates(m_tokens.size());
    uint64_t negatives = 0;
    for (const auto& vc : CountValues(values, &negatives))
    {
        const auto tok = static_cast<size_t>(TokenOf(vc.value));
        Token& t = m_tokens[tok];
        t.count += vc.count;
        if (t.kind == Kind::Bucket && vc.value >= t.lo && vc.value < t.hi)
        {
            candidates[tok].push_back(vc);
        }
    }
    if (negatives > 0)
    {
        m_tokens[static_cast<size_t>(TokenOf(kNotApplicable))].count += negatives;
    }
    for (size_t k = 0; k < m_tokens.size(); ++k)
    {
        if (m_tokens[k].kind != Kind::Bucket)
        {
            continue;
        }
        for (const auto& vc :
             TopValues(candidates[k], maxPool, [](const ValueCount&) { return true; }))
        {
            m_tokens[k].poolValues.push_back(vc.value);
            m_tokens[k].poolCounts.push_back(vc.count);
        }
    }
    Index();
}

Vocabulary
Vocabulary::FitHosts(const std::vector<int64_t>& values,
                     size_t hostCount,
                     size_t maxExact,
                     uint64_t minCount,
                     size_t maxPool)
{
    std::vector<int64_t> hosts;
    hosts.reserve(values.size());
    for (int64_t v : values)
    {
        if (v >= 0)
        {
            hosts.push_back(v);
        }
    }
    auto exact = TopValues(CountValues(hosts, nullptr), maxExact, [&](const ValueCount& c) {
        return c.count >= minCount;
    });
    auto rare = BucketToken(0, static_cast<int64_t>(hostCount) + 1, "rare-host");
    rare.universe = kHostUniverse;
    Vocabulary v;
    v.m_tokens = Layout(false, exact, {rare});
    v.Assign(hosts, maxPool);
    return v;
}

Vocabulary
Vocabulary::FitCategorical(const std::vector<int64_t>& values,
                           int64_t universe,
                           size_t maxExact,
                           uint64_t minCount,
                           size_t maxPool)
{
    if (universe < 1)
    {
        throw std::invalid_argument("FitCategorical: universe must be positive");
    }
    auto exact = TopValues(CountValues(values, nullptr), maxExact, [&](const ValueCount& c) {
        return c.count >= minCount && c.value < universe;
    });
    Vocabulary v;
    v.m_tokens = Layout(true, exact, {BucketToken(0, universe, "other")});
    v.Assign(values, maxPool);
    return v;
}

Vocabulary
Vocabulary::FitPorts(const std::vector<int64_t>& values,
                     size_t maxExact,
                     uint64_t minCount,
                     size_t maxPool)
{
    auto exact = TopValues(CountValues(values, nullptr), maxExact, [&](const ValueCount& c) {
        return c.count >= minCount && c.value < 65536;
    });
    Vocabulary v;
    v.m_tokens = Layout(true,
                        exact,
                        {BucketToken(0, 1024, "well-known"),
                         BucketToken(1024, 49152, "registered"),
                         BucketToken(49152, 65536, "ephemeral")});
    v.Assign(values, maxPool);
    return v;
}

Vocabulary
Vocabulary::FitNumeric(const std::vector<int64_t>& values,
                       size_t maxExact,
                       double minShare,
                       size_t bins,
                       size_t maxPool,
                       uint64_t minCount)
{
    uint64_t negatives = 0;
    const auto counts = CountValues(values, &negatives);
    uint64_t applicable = 0;
    for (const auto& c : counts)
    {
        applicable += c.count;
    }
    auto exact = TopValues(counts, maxExact, [&](const ValueCount& c) {
        return c.count >= minCount &&
               static_cast<double>(c.count) >= minShare * static_cast<double>(applicable);
    });
    std::vector<ValueCount> rest;
    for (const auto& c : counts)
    {
        const bool isExact = std::binary_search(
            exact.begin(),
            exact.end(),
            c,
            [](const ValueCount& a, const ValueCount& b) { return a.value < b.value; });
        if (!isExact)
        {
            rest.push_back(c);
        }
    }
    std::vector<Token> buckets;
    auto binLabel = [](int64_t lo, int64_t hi) {
        return "[" + std::to_string(lo) + ", " + std::to_string(hi) + ")";
    };
    if (rest.empty())
    {
        const int64_t lo = counts.empty() ? 0 : counts.front().value;
        const int64_t hi = counts.empty() ? 1 : counts.back().value + 1;
        buckets.push_back(BucketToken(lo, hi, binLabel(lo, hi)));
    }
    else
    {
        const int64_t mn = rest.front().value;
        const int64_t mx = rest.back().value;
        bins = std::max<size_t>(bins, 1);
        const double logSpan = std::log(static_cast<double>(mx - mn) + 2.0);
        std::vector<int64_t> edges{mn};
        for (size_t k = 1; k < bins; ++k)
        {
            const double e = std::exp(logSpan * static_cast<double>(k) / static_cast<double>(bins));
            const int64_t edge = mn - 1 + std::llround(e);
            if (edge > edges.back() && edge <= mx)
            {
                edges.push_back(edge);
            }
        }
        edges.push_back(mx + 1);
        // Count the leftover values per bin; merge bins without any into a neighbour.
        std::vector<uint64_t> binCount(edges.size() - 1, 0);
        for (const auto& c : rest)
        {
            auto it = std::upper_bound(edges.begin(), edges.end(), c.value);
            binCount[static_cast<size_t>(it - edges.begin()) - 1] += c.count;
        }
        int64_t pendingLo = edges.front();
        bool pending = false;
        for (size_t k = 0; k + 1 < edges.size(); ++k)
        {
            if (binCount[k] == 0)
            {
                if (buckets.empty())
                {
                    pending = true;
                }
                else
                {
                    buckets.back().hi = edges[k + 1];
                }
                continue;
            }
            const int64_t lo = pending ? pendingLo : edges[k];
            pending = false;
            buckets.push_back(BucketToken(lo, edges[k + 1], ""));
        }
        for (auto& b : buckets)
        {
            b.label = binLabel(b.lo, b.hi);
        }
    }
    Vocabulary v;
    v.m_tokens = Layout(true, exact, std::move(buckets));
    v.Assign(values, maxPool);
    return v;
}

nlohmann::json
Vocabulary::ToJson() const
{
    nlohmann::json tokens = nlohmann::json::array();
    for (const auto& t : m_tokens)
    {
        nlohmann::json jt;
        jt["kind"] = KindName(t.kind);
        jt["label"] = t.label;
        jt["count"] = t.count;
        if (t.kind == Kind::Exact)
        {
            jt["value"] = t.value;
        }
        if (t.kind == Kind::Bucket)
        {
            jt["lo"] = t.lo;
            jt["hi"] = t.hi;
            jt["universe"] = t.universe;
            jt["pool_values"] = t.poolValues;
            jt["pool_counts"] = t.poolCounts;
        }
        tokens.push_back(std::move(jt));
    }
    return nlohmann::json{{"tokens", std::move(tokens)}};
}

Vocabulary
Vocabulary::FromJson(const nlohmann::json& j)
{
    using namespace jsoncheck;
    const auto& tokens = Array(j, "tokens", "vocabulary");
    Vocabulary v;
    v.m_tokens.reserve(tokens.size());
    for (size_t i = 0; i < tokens.size(); ++i)
    {
        const auto& jt = tokens[i];
        const std::string where = "vocabulary token " + std::to_string(i);
        Token t;
        const std::string kind = String(jt, "kind", where);
        t.label = String(jt, "label", where);
        t.count = Uint(jt, "count", where);
        if (kind == "na")
        {
            t.kind = Kind::NotApplicable;
            t.value = kNotApplicable;
            if (i != 0)
            {
                Fail(where, "the 'na' token must come first");
            }
        }
        else if (kind == "exact")
        {
            t.kind = Kind::Exact;
            t.value = Int(jt, "value", where);
        }
        else if (kind == "bucket")
        {
            t.kind = Kind::Bucket;
            t.lo = Int(jt, "lo", where);
            t.hi = Int(jt, "hi", where);
            t.universe = Uint(jt, "universe", where);
            const auto& pv = Array(jt, "pool_values", where);
            const auto& pc = Array(jt, "pool_counts", where);
            if (pv.size() != pc.size())
            {
                Fail(where,
                     "'pool_values' has " + std::to_string(pv.size()) +
                         " entries but 'pool_counts' has " + std::to_string(pc.size()));
            }
            for (size_t k = 0; k < pv.size(); ++k)
            {
                nlohmann::json pair{{"v", pv[k]}, {"c", pc[k]}};
                const std::string pw = where + " pool entry " + std::to_string(k);
                t.poolValues.push_back(Int(pair, "v", pw));
                t.poolCounts.push_back(Uint(pair, "c", pw));
            }
        }
        else
        {
            Fail(where, "unknown kind '" + kind + "' (expected na, exact or bucket)");
        }
        v.m_tokens.push_back(std::move(t));
    }
    v.Index();
    return v;
}

} // namespace temponet
} // namespace ns3
