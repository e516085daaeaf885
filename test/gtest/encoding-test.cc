/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "temponet-encoding.h"
#include "temponet-read-report.h"
#include "temponet-test-data.h"
#include "temponet-time-format.h"
#include "temponet-trace-format.h"

#include <algorithm>
#include <cmath>
#include <gtest/gtest.h>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <set>

using namespace ns3::temponet;

namespace
{

/// \return a packet event.
TraceEvent
Packet(double ts,
       uint32_t src,
       uint32_t dst,
       int proto,
       int sport,
       int dport,
       int size,
       int flags = -1,
       int ttl = 64)
{
    TraceEvent e;
    e.ts = ts;
    e.src = IpAddr::FromV4(0x0a000000u + src);
    e.dst = IpAddr::FromV4(0x0a000000u + dst);
    e.proto = static_cast<int16_t>(proto);
    e.srcPort = sport;
    e.dstPort = dport;
    e.size = size;
    e.tcpFlags = static_cast<int16_t>(flags);
    e.ttl = static_cast<int16_t>(ttl);
    return e;
}

/// \return a synthetic packet trace: whole-second times with ties, a few hosts, ports, sizes.
EventTable
SyntheticPackets(size_t n, uint64_t seed, double start = 1.0e9, double step = 1.0)
{
    std::mt19937_64 rng(seed);
    EventTable t(TraceKind::Packets);
    double ts = start;
    for (size_t i = 0; i < n; ++i)
    {
        if (rng() % 3 == 0)
        {
            ts += step * static_cast<double>(1 + rng() % 3);
        }
        const uint32_t a = 1 + static_cast<uint32_t>(rng() % 6);
        const uint32_t b = 1 + static_cast<uint32_t>(rng() % 6);
        const bool tcp = rng() % 4 != 0;
        const int dport = (rng() % 2 == 0) ? 80 : static_cast<int>(1024 + rng() % 60000);
        const int sport = static_cast<int>(49152 + rng() % 16000);
        const int size = (rng() % 10 < 7) ? 60 : static_cast<int>(40 + rng() % 1460);
        if (tcp)
        {
            t.Append(Packet(ts,
                            a,
                            b,
                            6,
                            sport,
                            dport,
                            size,
                            static_cast<int>(rng() % 3 == 0 ? 0x12 : 0x10)));
        }
        else
        {
            t.Append(Packet(ts, a, b, 1, -1, -1, size, -1, 128));
        }
    }
    return t;
}

/// Expects two encoded traces to be identical.
void
ExpectSame(const EncodedTrace& a, const EncodedTrace& b)
{
    EXPECT_EQ(a.n, b.n);
    EXPECT_EQ(a.fields, b.fields);
    EXPECT_EQ(a.ts, b.ts);
    EXPECT_EQ(a.gap, b.gap);
    EXPECT_EQ(a.logGap, b.logGap);
    EXPECT_EQ(a.timeMask, b.timeMask);
    EXPECT_EQ(a.calendar, b.calendar);
    EXPECT_EQ(a.activity, b.activity);
    EXPECT_EQ(a.flow, b.flow);
    EXPECT_EQ(a.tokens, b.tokens);
    EXPECT_EQ(a.logShare, b.logShare);
}

/// Expects FromJson of \p j to throw a std::runtime_error whose message contains \p text.
void
ExpectRejected(const nlohmann::json& j, const std::string& text)
{
    try
    {
        Encoding::FromJson(j);
        ADD_FAILURE() << "accepted corrupt JSON, expected: " << text;
    }
    catch (const std::runtime_error& e)
    {
        EXPECT_NE(std::string(e.what()).find(text), std::string::npos)
            << "message: " << e.what() << "\nexpected to contain: " << text;
    }
}

} // namespace

TEST(Vocab, PortLayoutAndDeterminism)
{
    std::vector<int64_t> v;
    for (int i = 0; i < 50; ++i)
    {
        v.push_back(80);
        v.push_back(443);
        v.push_back(-1);
        v.push_back(50000 + i);
        v.push_back(2000 + i % 5);
    }
    v.push_back(22); // once: below minCount
    auto voc = Vocabulary::FitPorts(v, 8, 2, 4096);
    ASSERT_EQ(voc.At(0).kind, Vocabulary::Kind::NotApplicable);
    EXPECT_EQ(voc.At(0).count, 50u);
    // Exact: 80, 443, 2000..2004 (count 10 each), ascending.
    std::vector<int64_t> exact;
    for (size_t i = 0; i < voc.Size(); ++i)
    {
        if (voc.At(i).kind == Vocabulary::Kind::Exact)
        {
            exact.push_back(voc.At(i).value);
        }
    }
    EXPECT_EQ(exact, (std::vector<int64_t>{80, 443, 2000, 2001, 2002, 2003, 2004}));
    ASSERT_EQ(voc.Size(), 1 + exact.size() + 3);
    EXPECT_EQ(voc.At(voc.Size() - 3).label, "well-known");
    EXPECT_EQ(voc.At(voc.Size() - 2).label, "registered");
    EXPECT_EQ(voc.At(voc.Size() - 1).label, "ephemeral");
    EXPECT_EQ(voc.At(voc.Size() - 1).count, 50u);
    EXPECT_EQ(voc.At(voc.Size() - 3).count, 1u); // port 22

    EXPECT_EQ(voc.TokenOf(-1), 0);
    EXPECT_EQ(voc.At(voc.TokenOf(80)).value, 80);
    EXPECT_EQ(voc.At(voc.TokenOf(1023)).label, "well-known");
    EXPECT_EQ(voc.At(voc.TokenOf(1024)).label, "registered");
    EXPECT_EQ(voc.At(voc.TokenOf(49151)).label, "registered");
    EXPECT_EQ(voc.At(voc.TokenOf(49152)).label, "ephemeral");
    EXPECT_EQ(voc.At(voc.TokenOf(70000)).label, "ephemeral");
    EXPECT_TRUE(std::isfinite(voc.LogShare(70000, voc.TokenOf(70000))));
    // U of well-known excludes the exact ports 80 and 443.
    EXPECT_EQ(voc.At(voc.Size() - 3).universe, 1022u);

    // Same multiset in another order: same vocabulary.
    auto shuffled = v;
    std::mt19937 rng(7);
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
    EXPECT_TRUE(Vocabulary::FitPorts(shuffled, 8, 2, 4096) == voc);
}

TEST(Vocab, SharesSumToOneOverSmallUniverse)
{
    std::vector<int64_t> v;
    std::mt19937 rng(3);
    for (int i = 0; i < 500; ++i)
    {
        v.push_back(static_cast<int64_t>(rng() % 16));
    }
    for (int i = 0; i < 300; ++i)
    {
        v.push_back(5);
    }
    auto voc = Vocabulary::FitCategorical(v, 20, 1, 2, 4096);
    const int32_t other = static_cast<int32_t>(voc.Size() - 1);
    ASSERT_EQ(voc.At(other).kind, Vocabulary::Kind::Bucket);
    EXPECT_EQ(voc.At(voc.TokenOf(5)).value, 5);
    double sum = 0;
    for (int64_t x = 0; x < 20; ++x)
    {
        if (voc.TokenOf(x) == other)
        {
            sum += std::exp(voc.LogShare(x, other));
        }
    }
    EXPECT_NEAR(sum, 1.0, 1e-9);
    EXPECT_EQ(voc.LogShare(5, voc.TokenOf(5)), 0.0);
    EXPECT_EQ(voc.LogShare(-1, 0), 0.0);

    // With a truncated pool the shares sum to less than 1 but stay finite.
    auto small = Vocabulary::FitCategorical(v, 20, 1, 2, 3);
    double sum2 = 0;
    for (int64_t x = 0; x < 20; ++x)
    {
        if (small.TokenOf(x) == other)
        {
            sum2 += std::exp(small.LogShare(x, other));
        }
    }
    EXPECT_LT(sum2, 1.0);
    EXPECT_EQ(small.At(other).poolValues.size(), 3u);
}

TEST(Vocab, DrawFollowsPoolCounts)
{
    std::vector<int64_t> v;
    for (int i = 0; i < 600; ++i)
    {
        v.push_back(50000);
    }
    for (int i = 0; i < 300; ++i)
    {
        v.push_back(50001);
    }
    for (int i = 0; i < 100; ++i)
    {
        v.push_back(60000);
    }
    auto voc = Vocabulary::FitPorts(v, 0, 2, 4096);
    const int32_t eph = voc.TokenOf(50000);
    const auto& tok = voc.At(eph);
    ASSERT_EQ(tok.poolValues, (std::vector<int64_t>{50000, 50001, 60000}));
    ASSERT_EQ(tok.poolCounts, (std::vector<uint64_t>{600, 300, 100}));
    std::map<int64_t, int> freq;
    const int draws = 100000;
    for (int i = 0; i < draws; ++i)
    {
        const double u = (i + 0.5) / draws;
        freq[voc.Draw(eph, u)]++;
    }
    EXPECT_EQ(freq.size(), 3u);
    EXPECT_NEAR(freq[50000] / double(draws), 0.6, 0.001);
    EXPECT_NEAR(freq[50001] / double(draws), 0.3, 0.001);
    EXPECT_NEAR(freq[60000] / double(draws), 0.1, 0.001);
    EXPECT_EQ(voc.Draw(eph, 0.0), 50000);
    EXPECT_EQ(voc.Draw(eph, 0.9999999), 60000);
    EXPECT_EQ(voc.Draw(0, 0.3), kNotApplicable);
}

TEST(Vocab, NumericSpikeStaysExactAndBinsCover)
{
    std::mt19937 rng(11);
    std::vector<int64_t> v;
    for (int i = 0; i < 10000; ++i)
    {
        v.push_back(rng() % 10 < 7 ? 60 : static_cast<int64_t>(40 + rng() % 1461));
    }
    v.push_back(-1);
    auto voc = Vocabulary::FitNumeric(v, 32, 0.005, 24, 4096);
    const int32_t t60 = voc.TokenOf(60);
    EXPECT_EQ(voc.At(t60).kind, Vocabulary::Kind::Exact);
    EXPECT_EQ(voc.At(t60).value, 60);
    EXPECT_GT(voc.At(t60).count, 6500u);
    EXPECT_EQ(voc.At(0).count, 1u);
    size_t bins = 0;
    for (size_t i = 0; i < voc.Size(); ++i)
    {
        const auto& t = voc.At(i);
        if (t.kind == Vocabulary::Kind::Bucket)
        {
            ++bins;
            EXPECT_LT(t.lo, t.hi);
            EXPECT_GT(t.count, 0u);
            if (i + 1 < voc.Size())
            {
                EXPECT_EQ(t.hi, voc.At(i + 1).lo); // contiguous
            }
        }
    }
    EXPECT_GE(bins, 5u);
    EXPECT_LE(bins, 24u);
    // Every training value: its exact token or the bucket holding it.
    uint64_t total = 0;
    for (int64_t x : v)
    {
        const auto& t = voc.At(voc.TokenOf(x));
        if (t.kind == Vocabulary::Kind::Bucket)
        {
            EXPECT_TRUE(x >= t.lo && x < t.hi) << x;
            EXPECT_TRUE(std::binary_search(t.poolValues.begin(), t.poolValues.end(), x));
        }
    }
    for (size_t i = 0; i < voc.Size(); ++i)
    {
        total += voc.At(i).count;
    }
    EXPECT_EQ(total, v.size());
    // Out of range: nearest bin, finite share.
    const int32_t hiTok = voc.TokenOf(100000);
    EXPECT_EQ(hiTok, static_cast<int32_t>(voc.Size() - 1));
    EXPECT_TRUE(std::isfinite(voc.LogShare(100000, hiTok)));
    const int32_t loTok = voc.TokenOf(3);
    EXPECT_EQ(voc.At(loTok).kind, Vocabulary::Kind::Bucket);
    EXPECT_TRUE(std::isfinite(voc.LogShare(3, loTok)));
    // Sum over a bin's values of exp(LogShare) is 1 (pool complete).
    const auto& b = voc.At(voc.Size() - 1);
    double sum = 0;
    for (int64_t x = b.lo; x < b.hi; ++x)
    {
        if (voc.TokenOf(x) == static_cast<int32_t>(voc.Size() - 1))
        {
            sum += std::exp(voc.LogShare(x, static_cast<int32_t>(voc.Size() - 1)));
        }
    }
    EXPECT_NEAR(sum, 1.0, 1e-9);
}

TEST(Vocab, NumericAllExactGetsOneBin)
{
    std::vector<int64_t> v(100, 40);
    v.insert(v.end(), 100, 1500);
    auto voc = Vocabulary::FitNumeric(v, 32, 0.005, 24, 4096);
    ASSERT_EQ(voc.Size(), 4u);
    EXPECT_EQ(voc.At(3).kind, Vocabulary::Kind::Bucket);
    EXPECT_EQ(voc.At(3).count, 0u);
    EXPECT_TRUE(std::isfinite(voc.LogShare(700, voc.TokenOf(700))));
    EXPECT_EQ(voc.Draw(3, 0.5), voc.At(3).lo);
}

TEST(Vocab, UnseenHostGoesToRareBucket)
{
    // Hosts 0..2 frequent, 3..9 once each.
    std::vector<int64_t> v;
    for (int i = 0; i < 30; ++i)
    {
        v.push_back(i % 3);
    }
    for (int h = 3; h < 10; ++h)
    {
        v.push_back(h);
    }
    auto voc = Vocabulary::FitHosts(v, 10, 512, 2, 4096);
    EXPECT_FALSE(voc.HasNotApplicable());
    ASSERT_EQ(voc.Size(), 4u);
    const int32_t rare = 3;
    EXPECT_EQ(voc.At(rare).lo, 0);
    EXPECT_EQ(voc.At(rare).hi, 11);
    EXPECT_EQ(voc.At(rare).universe, kHostUniverse);
    EXPECT_EQ(voc.At(rare).count, 7u);
    EXPECT_EQ(voc.TokenOf(10), rare);
    const double ls = voc.LogShare(10, rare);
    EXPECT_TRUE(std::isfinite(ls));
    EXPECT_NEAR(ls, std::log(0.5 / (7 + 0.5 * 4294967296.0)), 1e-12);
    EXPECT_GT(voc.LogShare(5, rare), ls);
    // Limit of exact hosts.
    EXPECT_EQ(Vocabulary::FitHosts(v, 10, 2, 2, 4096).Size(), 3u);
}

TEST(FlowCache, Labels)
{
    FlowCache c(2);
    EXPECT_EQ(c.Labels(), 5u);
    const FlowCache::Tuple a{0, 1, 6, 1234, 80};
    const FlowCache::Tuple b{2, 3, 17, 53, 53};
    const FlowCache::Tuple d{4, 5, 1, -1, -1};
    EXPECT_EQ(a.Get(MarkField::Src), 0);
    EXPECT_EQ(a.Get(MarkField::Dst), 1);
    EXPECT_EQ(a.Get(MarkField::Proto), 6);
    EXPECT_EQ(a.Get(MarkField::SrcPort), 1234);
    EXPECT_EQ(a.Get(MarkField::DstPort), 80);
    EXPECT_EQ(a.Get(MarkField::Size), -1);
    EXPECT_EQ(c.LabelOf(a), 0);
    EXPECT_TRUE(c.IsValid(0));
    EXPECT_FALSE(c.IsValid(1));
    c.Update(a);
    EXPECT_EQ(c.LabelOf(a), 1);
    EXPECT_EQ(c.LabelOf(a.Reversed()), 2);
    EXPECT_TRUE(c.IsValid(2));
    EXPECT_FALSE(c.IsValid(3));
    EXPECT_EQ(c.Resolve(2), a.Reversed());
    c.Update(b);
    EXPECT_EQ(c.LabelOf(b), 1);
    EXPECT_EQ(c.LabelOf(a), 3);
    EXPECT_EQ(c.LabelOf(a.Reversed()), 4);
    EXPECT_EQ(c.Resolve(3), a);
    // The reply moves a first and keeps its stored direction.
    c.Update(a.Reversed());
    EXPECT_EQ(c.Filled(), 2u);
    EXPECT_EQ(c.LabelOf(a), 1);
    EXPECT_EQ(c.LabelOf(b), 3);
    // A third flow evicts the least recently used (b).
    c.Update(d);
    EXPECT_EQ(c.Filled(), 2u);
    EXPECT_EQ(c.LabelOf(d), 1);
    EXPECT_EQ(c.LabelOf(a), 3);
    EXPECT_EQ(c.LabelOf(b), 0);
    EXPECT_THROW(c.Resolve(0), std::out_of_range);
    EXPECT_THROW(c.Resolve(5), std::out_of_range);
    c.Clear();
    EXPECT_EQ(c.LabelOf(d), 0);
}

TEST(Encoding, SchemaAndHosts)
{
    auto t = SyntheticPackets(500, 1);
    auto enc = Encoding::Fit(t);
    EXPECT_EQ(enc.Fields(),
              (std::vector<MarkField>{MarkField::Src,
                                      MarkField::Dst,
                                      MarkField::Proto,
                                      MarkField::DstPort,
                                      MarkField::SrcPort,
                                      MarkField::Size,
                                      MarkField::TcpFlags,
                                      MarkField::Ttl}));
    EXPECT_TRUE(enc.Vocab(MarkField::Src) == enc.Vocab(MarkField::Dst));
    EXPECT_EQ(enc.Hosts().size(), 6u);
    EXPECT_THROW(enc.Vocab(MarkField::Bytes), std::out_of_range);
    EXPECT_EQ(enc.Resolution(), 1.0);

    // A table without TTLs loses the field; flows use their own schema.
    EventTable noTtl(TraceKind::Packets);
    for (size_t i = 0; i < t.Size(); ++i)
    {
        auto e = t.Get(i);
        e.ttl = -1;
        noTtl.Append(e);
    }
    EXPECT_FALSE(Encoding::Fit(noTtl).HasField(MarkField::Ttl));

    EventTable flows(TraceKind::Flows);
    for (int i = 0; i < 50; ++i)
    {
        TraceEvent e;
        e.ts = 100.0 + i * 0.25;
        e.src = IpAddr::FromV4(1);
        e.dst = IpAddr::FromV4(2 + i % 3);
        e.proto = 6;
        e.srcPort = 40000 + i;
        e.dstPort = 443;
        e.duration = i % 5 == 0 ? std::nan("") : 0.001 * i;
        e.packets = 3 + i;
        e.bytes = 100 * i;
        flows.Append(e);
    }
    auto fe = Encoding::Fit(flows);
    EXPECT_EQ(fe.Fields(),
              (std::vector<MarkField>{MarkField::Src,
                                      MarkField::Dst,
                                      MarkField::Proto,
                                      MarkField::DstPort,
                                      MarkField::SrcPort,
                                      MarkField::Duration,
                                      MarkField::Packets,
                                      MarkField::Bytes}));
    EXPECT_EQ(fe.RawValue(flows, 3, MarkField::Duration), 3000);
    EXPECT_EQ(fe.RawValue(flows, 5, MarkField::Duration), kNotApplicable);
    EXPECT_EQ(fe.Resolution(), 0.01); // 0.25 s steps lie on the 10 ms grid
}

TEST(Encoding, DequantiseTies)
{
    auto t = SyntheticPackets(2000, 2);
    auto enc = Encoding::Fit(t);
    const double r = enc.Resolution();
    ASSERT_EQ(r, 1.0);
    const auto& ts = t.Ts();
    auto dq = enc.Dequantise(ts);
    ASSERT_EQ(dq.size(), ts.size());
    size_t ties = 0;
    for (size_t i = 0; i < ts.size(); ++i)
    {
        EXPECT_GE(dq[i], ts[i]);
        EXPECT_LT(dq[i], ts[i] + r);
        if (i > 0)
        {
            EXPECT_LE(dq[i - 1], dq[i]);
            if (ts[i] == ts[i - 1])
            {
                ++ties;
                EXPECT_LT(dq[i - 1], dq[i]);
            }
        }
    }
    EXPECT_GT(ties, 500u);
    EXPECT_EQ(enc.Dequantise(ts), dq);
    // A suffix starting at a new timestamp gets the same times.
    size_t cut = ts.size() / 2;
    while (ts[cut] == ts[cut - 1])
    {
        ++cut;
    }
    std::vector<double> suffix(ts.begin() + static_cast<std::ptrdiff_t>(cut), ts.end());
    auto dqs = enc.Dequantise(suffix);
    EXPECT_TRUE(std::equal(dqs.begin(), dqs.end(), dq.begin() + static_cast<std::ptrdiff_t>(cut)));
    EXPECT_THROW(enc.Dequantise({2.0, 1.0}), std::invalid_argument);

    // Microsecond data without ties: every event moves by less than 1 us.
    EventTable fine(TraceKind::Packets);
    for (int i = 0; i < 100; ++i)
    {
        fine.Append(Packet(1000.0 + i * 0.000123, 1, 2, 17, 5000, 53, 80));
    }
    auto fe = Encoding::Fit(fine);
    EXPECT_EQ(fe.Resolution(), 1e-6);
    auto fdq = fe.Dequantise(fine.Ts());
    for (size_t i = 0; i < fdq.size(); ++i)
    {
        EXPECT_GE(fdq[i], fine.Ts()[i]);
        EXPECT_LT(fdq[i] - fine.Ts()[i], 1e-6);
    }
}

TEST(Encoding, GapsAndStandardisation)
{
    auto t = SyntheticPackets(1000, 3);
    auto enc = Encoding::Fit(t);
    auto e = enc.Encode(t);
    EXPECT_EQ(e.timeMask[0], 0);
    EXPECT_EQ(e.gap[0], 0.0);
    double sum = 0;
    double sum2 = 0;
    for (size_t i = 1; i < e.n; ++i)
    {
        EXPECT_EQ(e.timeMask[i], 1);
        EXPECT_GE(e.gap[i], kMinGap);
        EXPECT_NEAR(e.gap[i], e.ts[i] - e.ts[i - 1], 1e-6);
        sum += e.logGap[i];
        sum2 += double(e.logGap[i]) * e.logGap[i];
    }
    const double m = sum / double(e.n - 1);
    EXPECT_NEAR(m, 0.0, 1e-4);
    EXPECT_NEAR(sum2 / double(e.n - 1) - m * m, 1.0, 1e-3);
    EXPECT_GE(enc.LogGapStd(), kMinLogGapStd);
}

TEST(Encoding, CalendarActivationBySpan)
{
    // 2015-10-20 (a Tuesday) 06:00 UTC.
    const double t0 = DaysFromCivil(2015, 10, 20) * 86400.0 + 6 * 3600.0;
    auto spanning = [&](double days) {
        EventTable t(TraceKind::Packets);
        for (int i = 0; i <= 100; ++i)
        {
            t.Append(Packet(t0 + days * 86400.0 * i / 100, 1, 2, 6, 1000, 80, 60, 0x10));
        }
        return Encoding::Fit(t);
    };
    float cal[kCalendarDim];
    auto shortSpan = spanning(0.3);
    EXPECT_FALSE(shortSpan.TimeOfDayActive());
    EXPECT_FALSE(shortSpan.DayOfWeekActive());
    EXPECT_TRUE(shortSpan.TrendActive());
    shortSpan.Calendar(t0, cal);
    for (size_t k = 0; k < kCalendarDim; ++k)
    {
        EXPECT_EQ(cal[k], k == kTrendIndex ? -1.0F : 0.0F) << k; // the span's start
    }
    auto days3 = spanning(3);
    EXPECT_TRUE(days3.TimeOfDayActive());
    EXPECT_FALSE(days3.DayOfWeekActive());
    days3.Calendar(t0, cal);
    EXPECT_NEAR(cal[0], 1.0, 1e-6); // 06:00: sin = 1
    EXPECT_NEAR(cal[1], 0.0, 1e-6);
    for (size_t k = 2; k < kTrendIndex; ++k)
    {
        EXPECT_EQ(cal[k], 0.0F);
    }
    auto days15 = spanning(15);
    EXPECT_TRUE(days15.DayOfWeekActive());
    days15.Calendar(t0, cal);
    for (size_t k = 0; k < 7; ++k)
    {
        EXPECT_EQ(cal[2 + k], k == 1 ? 1.0F : 0.0F) << k; // Tuesday
    }
    // Encode writes row i from ts[i].
    EventTable one(TraceKind::Packets);
    one.Append(Packet(t0 + 86400.0 * 2 + 1800, 1, 2, 6, 1000, 80, 60, 0x10));
    auto e = days15.Encode(one);
    days15.Calendar(e.ts[0], cal);
    EXPECT_TRUE(std::equal(cal, cal + kCalendarDim, e.calendar.begin()));
    EXPECT_EQ(e.calendar[2 + 3], 1.0F); // Thursday
}

TEST(ActivityTracker, RatesAtEveryScaleWithoutStartUpBias)
{
    // Events every 2 s: every scale reads 0.5 events/s from the first event on
    // (the start-up correction), within the discreteness of the count.
    ActivityTracker a(2.0);
    EXPECT_EQ(a.LogRate(0), 0.0);
    for (int i = 0; i < 20000; ++i)
    {
        a.Update(2.0 * i);
        if (i == 0 || i == 10 || i == 19999)
        {
            for (size_t k = 0; k < kActivityDim; ++k)
            {
                EXPECT_NEAR(a.LogRate(k), std::log(0.5), 0.25) << "event " << i << " scale " << k;
            }
        }
    }
    // Ten times the rate for 50 s: the 10 s scale follows within a few scales,
    // the 10000 s scale hardly moves.
    const double t0 = 2.0 * 19999;
    for (int i = 1; i <= 250; ++i)
    {
        a.Update(t0 + 0.2 * i);
    }
    EXPECT_NEAR(a.LogRate(0), std::log(5.0), 0.1);
    EXPECT_LT(a.LogRate(3), std::log(0.5) + 0.1);
    // Silence: the short scale decays first.
    a.Update(t0 + 50.0 + 100.0);
    EXPECT_LT(a.LogRate(0), a.LogRate(1));
    a.Clear();
    EXPECT_EQ(a.LogRate(2), 0.0);
    EXPECT_THROW(ActivityTracker(0.0), std::invalid_argument);
}

TEST(Encoding, TrendIsThePositionInTheTrainingSpan)
{
    EventTable t(TraceKind::Packets);
    for (int i = 0; i <= 100; ++i)
    {
        t.Append(Packet(1000.0 + 10.0 * i, 1, 2, 6, 1000, 80, 60, 0x10));
    }
    const Encoding enc = Encoding::Fit(t);
    ASSERT_TRUE(enc.TrendActive());
    auto trendAt = [&](double ts) {
        float cal[kCalendarDim];
        enc.Calendar(ts, cal);
        return cal[kTrendIndex];
    };
    EXPECT_FLOAT_EQ(trendAt(1000.0), -1.0F);
    EXPECT_FLOAT_EQ(trendAt(1500.0), 0.0F);
    EXPECT_FLOAT_EQ(trendAt(2000.0), 1.0F);
    // Clamped outside the span: generation after the data continues its end.
    EXPECT_FLOAT_EQ(trendAt(9000.0), 1.0F);
    EXPECT_FLOAT_EQ(trendAt(10.0), -1.0F);
    const EncodedTrace e = enc.Encode(t);
    // The sampler's gap cap: the longest training gap, as Encode computes gaps.
    EXPECT_EQ(enc.MaxGap(), *std::max_element(e.gap.begin(), e.gap.end()));
    EXPECT_FLOAT_EQ(e.calendar[50 * kCalendarDim + kTrendIndex],
                    static_cast<float>(2.0 * (e.ts[50] - 1000.0) / 1000.0 - 1.0));
    EXPECT_EQ(Encoding::FromJson(enc.ToJson()).ToJson(), enc.ToJson());

    EncodingOptions off;
    off.trend = false;
    const Encoding without = Encoding::Fit(t, off);
    EXPECT_FALSE(without.TrendActive());
    float cal[kCalendarDim];
    without.Calendar(1500.0, cal);
    EXPECT_EQ(cal[kTrendIndex], 0.0F);
}

TEST(Encoding, ActivityFeaturesOnlyForCoveredScalesAndWithinTheTrainingRange)
{
    // 2 h of one event every 10 s, then 10 min of one every second.
    EventTable t(TraceKind::Packets);
    double ts = 1.0e9;
    for (int i = 0; i < 720; ++i)
    {
        t.Append(Packet(ts += 10.0, 1, 2, 17, 1000, 53, 60, -1));
    }
    for (int i = 0; i < 600; ++i)
    {
        t.Append(Packet(ts += 1.0, 1, 2, 17, 1000, 53, 60, -1));
    }
    const auto enc = Encoding::Fit(t);
    // Span 7800 s: scales 10, 100 and 1000 s are covered three times, 10000 s is not.
    EXPECT_TRUE(enc.ActivityActive(0));
    EXPECT_TRUE(enc.ActivityActive(2));
    EXPECT_FALSE(enc.ActivityActive(3));
    const auto e = enc.Encode(t);
    const size_t quiet = 700 * kActivityDim;
    const size_t busy = (t.Size() - 1) * kActivityDim;
    EXPECT_LT(e.activity[quiet + 0], e.activity[busy + 0] - 1.0);
    EXPECT_LT(e.activity[quiet + 1], e.activity[busy + 1] - 1.0);
    EXPECT_EQ(e.activity[quiet + 3], 0.0F);
    // A far busier history reads as the busiest level the training data had.
    EventTable burst(TraceKind::Packets);
    for (int i = 0; i < 2000; ++i)
    {
        burst.Append(Packet(2.0e9 + 0.001 * i, 1, 2, 17, 1000, 53, 60, -1));
    }
    const auto b = enc.Encode(burst);
    float busiest = -1e9F;
    for (size_t i = 0; i < e.n; ++i)
    {
        busiest = std::max(busiest, e.activity[i * kActivityDim]);
    }
    EXPECT_EQ(b.activity[(b.n - 1) * kActivityDim], busiest);
    EncodingOptions off;
    off.activityMinScales = HUGE_VAL;
    const auto none = Encoding::Fit(t, off).Encode(t);
    EXPECT_TRUE(
        std::all_of(none.activity.begin(), none.activity.end(), [](float x) { return x == 0.0F; }));
}

TEST(Encoding, ContextMatchesWholeTrace)
{
    auto t = SyntheticPackets(3000, 4);
    auto enc = Encoding::Fit(t.Rows(0, 2000));
    auto whole = enc.Encode(t);
    // Cut inside a group of equal timestamps: the context's tail joins the table.
    size_t cut = 2000;
    while (t.Ts()[cut] != t.Ts()[cut - 1])
    {
        ++cut;
    }
    auto head = t.Rows(0, cut);
    auto tail = t.Rows(cut, t.Size());
    auto part = enc.Encode(tail, &head);
    ASSERT_EQ(part.n, t.Size() - cut);
    EXPECT_EQ(part.timeMask[0], 1);
    for (size_t i = 0; i < part.n; ++i)
    {
        const size_t w = cut + i;
        ASSERT_EQ(part.ts[i], whole.ts[w]) << i;
        ASSERT_EQ(part.gap[i], whole.gap[w]) << i;
        ASSERT_EQ(part.flow[i], whole.flow[w]) << i;
        for (size_t k = 0; k < kActivityDim; ++k)
        {
            ASSERT_EQ(part.activity[i * kActivityDim + k], whole.activity[w * kActivityDim + k])
                << i;
        }
        for (size_t f = 0; f < part.fields.size(); ++f)
        {
            ASSERT_EQ(part.tokens[f][i], whole.tokens[f][w]);
            ASSERT_EQ(part.logShare[f][i], whole.logShare[f][w]);
        }
    }
    auto bare = enc.Encode(tail);
    EXPECT_EQ(bare.timeMask[0], 0);
    size_t continued = 0;
    for (int32_t l : whole.flow)
    {
        EXPECT_GE(l, 0);
        EXPECT_LT(l, static_cast<int32_t>(1 + 2 * enc.FlowSlots()));
        continued += l != 0;
    }
    EXPECT_GT(continued, 0u);
    EXPECT_THROW(enc.Encode(head, &tail), std::invalid_argument);
}

TEST(Encoding, UnseenHostAndValuesEncodeFinite)
{
    auto t = SyntheticPackets(500, 5);
    auto enc = Encoding::Fit(t);
    EventTable test(TraceKind::Packets);
    test.Append(Packet(2.0e9, 200, 1, 6, 70000, 8080, 99999, 0xff, 255));
    test.Append(Packet(2.0e9 + 1, 1, 201, 47, -1, -1, 40, -1, -1));
    auto e = enc.Encode(test);
    const auto& hv = enc.Vocab(MarkField::Src);
    EXPECT_EQ(enc.RawValue(test, 0, MarkField::Src), static_cast<int64_t>(enc.Hosts().size()));
    EXPECT_EQ(e.tokens[0][0], static_cast<int32_t>(hv.Size() - 1));
    for (const auto& col : e.logShare)
    {
        for (float x : col)
        {
            EXPECT_TRUE(std::isfinite(x));
        }
    }
    EXPECT_EQ(e.tokens[5][1], enc.Vocab(MarkField::Size).TokenOf(40));
    EXPECT_EQ(e.tokens[3][1], 0); // NA dst port
}

TEST(Encoding, JsonRoundTrip)
{
    auto t = SyntheticPackets(2000, 6);
    EncodingOptions o;
    o.maxHosts = 3;
    o.maxPorts = 4;
    o.maxPool = 50;
    auto enc = Encoding::Fit(t.Rows(0, 1500), o);
    const std::string text = enc.ToJson().dump();
    auto back = Encoding::FromJson(nlohmann::json::parse(text));
    EXPECT_EQ(back.ToJson(), enc.ToJson());
    EXPECT_EQ(back.Resolution(), enc.Resolution());
    EXPECT_EQ(back.LogGapMean(), enc.LogGapMean());
    EXPECT_EQ(back.Hosts(), enc.Hosts());
    auto head = t.Rows(0, 1500);
    auto tail = t.Rows(1500, t.Size());
    ExpectSame(enc.Encode(tail, &head), back.Encode(tail, &head));
    ExpectSame(enc.Encode(t), back.Encode(t));
    auto vj = enc.Vocab(MarkField::DstPort).ToJson();
    EXPECT_TRUE(Vocabulary::FromJson(vj) == enc.Vocab(MarkField::DstPort));
}

TEST(Encoding, FromJsonRejectsCorruptInput)
{
    auto enc = Encoding::Fit(SyntheticPackets(500, 7));
    const nlohmann::json good = enc.ToJson();
    EXPECT_NO_THROW(Encoding::FromJson(good));
    auto bad = [&](auto edit, const std::string& text) {
        nlohmann::json j = good;
        edit(j);
        ExpectRejected(j, text);
    };
    using J = nlohmann::json;
    bad([](J& j) { j = J::array(); }, "expected a JSON object");
    bad([](J& j) { j["format"] = "x"; }, "'format'");
    bad([](J& j) { j["version"] = 4; }, "unsupported version 4");
    bad([](J& j) { j["version"] = 1; }, "made before the activity features; train it anew");
    bad([](J& j) { j["version"] = 2; }, "made before the trend feature; train it anew");
    bad([](J& j) { j.erase("trend"); }, "missing key 'trend'");
    bad([](J& j) { j["trend"] = 1; }, "'trend' must be an object");
    bad([](J& j) { j["trend"]["end"] = j["trend"]["start"]; }, "'end' after 'start'");
    bad([](J& j) { j.erase("activity"); }, "missing key 'activity'");
    bad([](J& j) { j["activity"].erase(3); }, "'activity' must have 4 scales");
    bad([](J& j) { j["activity"][1]["scale"] = 60.0; }, "activity 1: its 'scale' differs");
    bad([](J& j) { j["activity"][0]["std"] = 0.0; }, "'std' must be at least 0.05");
    bad([](J& j) { j["activity"][0]["lo"] = 9.0; }, "'lo' at most 'hi'");
    bad([](J& j) { j["mean_gap"] = 0.0; }, "'mean_gap' must be a positive");
    bad([](J& j) { j["max_gap"] = -1.0; }, "'max_gap' must be a positive");
    bad([](J& j) { j.erase("max_gap"); }, "missing key 'max_gap'");
    bad([](J& j) { j["version"] = "1"; }, "'version' must be an integer");
    bad([](J& j) { j["kind"] = "frames"; }, "'kind'");
    bad([](J& j) { j.erase("hosts"); }, "missing key 'hosts'");
    bad([](J& j) { j["hosts"][0] = "not-an-ip"; }, "host 0 is not an IP address");
    bad([](J& j) { j["hosts"][1] = j["hosts"][0]; }, "listed twice");
    bad([](J& j) { j["hosts"].push_back("10.9.9.9"); }, "rare-host bucket");
    bad([](J& j) { j["fields"][2] = "colour"; }, "unknown field 'colour'");
    bad([](J& j) { j["fields"][2] = "duration"; }, "does not belong to packets traces");
    bad([](J& j) { std::swap(j["fields"][3], j["fields"][4]); }, "chain order");
    bad([](J& j) { j["fields"].erase(2); }, "field 'proto' is missing");
    bad([](J& j) { j["vocabularies"].erase("size"); }, "no vocabulary for 'size'");
    bad([](J& j) { j["vocabularies"]["bytes"] = j["vocabularies"]["size"]; }, "outside the schema");
    bad([](J& j) { j["log_gap_std"] = 0.0; }, "'log_gap_std'");
    bad([](J& j) { j["resolution"] = -1.0; }, "'resolution'");
    bad([](J& j) { j["time_of_day"] = 1; }, "'time_of_day' must be true or false");
    bad([](J& j) { j["flow_slots"] = -3; }, "'flow_slots' must not be negative");

    auto& ports = good["vocabularies"]["dst_port"]["tokens"];
    size_t bucket = 0;
    while (ports[bucket]["kind"] != "bucket")
    {
        ++bucket;
    }
    const size_t last = ports.size() - 1;
    bad([&](J& j) { j["vocabularies"]["dst_port"]["tokens"][last]["pool_counts"].push_back(1); },
        "'pool_values' has");
    bad([&](J& j) { j["vocabularies"]["dst_port"]["tokens"][last]["pool_values"][0] = 1; },
        "outside [lo, hi)");
    bad([&](J& j) { j["vocabularies"]["dst_port"]["tokens"][last]["count"] = 0; },
        "exceed the bucket count");
    bad([&](J& j) { j["vocabularies"]["dst_port"]["tokens"][last]["lo"] = 70000; }, "lo >= hi");
    bad([&](J& j) { j["vocabularies"]["dst_port"]["tokens"][last]["kind"] = "blob"; },
        "unknown kind 'blob'");
    bad([&](J& j) { j["vocabularies"]["dst_port"]["tokens"][last]["universe"] = 0; }, "universe");
    bad([&](J& j) { j["vocabularies"]["dst_port"]["tokens"][last]["pool_values"][0] = 1.5; },
        "must be an integer");
    bad(
        [&](J& j) {
            std::swap(j["vocabularies"]["dst_port"]["tokens"][0],
                      j["vocabularies"]["dst_port"]["tokens"][1]);
        },
        "'na' token must come first");
    bad(
        [&](J& j) {
            auto& toks = j["vocabularies"]["dst_port"]["tokens"];
            std::swap(toks[bucket], toks[bucket + 1]);
        },
        "must be ascending");
    bad(
        [&](J& j) {
            auto& toks = j["vocabularies"]["dst_port"]["tokens"];
            std::swap(toks[bucket - 1], toks[bucket]);
        },
        "token order");
    bad([&](J& j) { j["vocabularies"]["host"]["tokens"] = J::array(); }, "no tokens");
}

TEST(Encoding, RealDarpaResolutionAndSpike)
{
    TEMPONET_REQUIRE_DATA(path, "darpa99-1999-03-01-packets.csv.gz");
    EventTable t;
    ReadReport report;
    ReadTrace(path, std::nullopt, t, report);
    ASSERT_GT(t.Size(), 1000u);
    auto enc = Encoding::Fit(t.Rows(0, std::min<size_t>(t.Size(), 300000)));
    EXPECT_EQ(enc.Resolution(), 1.0);
    const auto& size = enc.Vocab(MarkField::Size);
    EXPECT_EQ(size.At(size.TokenOf(60)).kind, Vocabulary::Kind::Exact);
    EXPECT_FALSE(enc.DayOfWeekActive());
}

TEST(Encoding, RealFourSicsResolutionAndCalendar)
{
    TEMPONET_REQUIRE_DATA(path, "4sics-geeklounge-151020.conn.log");
    EventTable t;
    ReadReport report;
    ReadTrace(path, std::nullopt, t, report);
    ASSERT_GT(t.Size(), 100u);
    auto enc = Encoding::Fit(t);
    EXPECT_EQ(enc.Kind(), TraceKind::Flows);
    EXPECT_EQ(enc.Resolution(), 1e-6);
    EXPECT_FALSE(enc.TimeOfDayActive());
    EXPECT_FALSE(enc.DayOfWeekActive());
    EXPECT_TRUE(enc.TrendActive());
    auto e = enc.Encode(t);
    // 7 h: no time of day or weekday; the trend rises from -1 to 1.
    float prev = -1.0F;
    for (size_t i = 0; i < e.n; ++i)
    {
        for (size_t k = 0; k < kTrendIndex; ++k)
        {
            ASSERT_EQ(e.calendar[i * kCalendarDim + k], 0.0F) << i;
        }
        const float trend = e.calendar[i * kCalendarDim + kTrendIndex];
        ASSERT_GE(trend, prev) << i;
        prev = trend;
    }
    EXPECT_FLOAT_EQ(e.calendar[kTrendIndex], -1.0F);
    EXPECT_FLOAT_EQ(prev, 1.0F);
    for (size_t i = 1; i < e.n; ++i)
    {
        ASSERT_TRUE(std::isfinite(e.logGap[i]));
    }
}
