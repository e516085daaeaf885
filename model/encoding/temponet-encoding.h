/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef TEMPONET_ENCODING_H
#define TEMPONET_ENCODING_H

#include "temponet-event-table.h"

#include <array>
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <unordered_map>
#include <vector>

namespace ns3
{
namespace temponet
{

/**
 * \ingroup temponet
 * The header fields the model predicts, one categorical head each, in chain
 * order: each head sees the marks chosen before it for the same event.
 */
enum class MarkField : uint8_t
{
    Src,      //!< Source host ("src").
    Dst,      //!< Destination host ("dst").
    Proto,    //!< IP protocol ("proto").
    DstPort,  //!< Destination port ("dst_port").
    SrcPort,  //!< Source port ("src_port").
    Size,     //!< IP total length, packet traces ("size").
    TcpFlags, //!< TCP flag byte, packet traces ("tcp_flags").
    Ttl,      //!< TTL / hop limit, packet traces ("ttl").
    Duration, //!< Flow duration in microseconds, flow traces ("duration").
    Packets,  //!< Flow packets, flow traces ("packets").
    Bytes,    //!< Flow bytes, flow traces ("bytes").
};

/// \return the canonical name of \p f ("src", "dst_port", ...), as in JSON reports.
std::string FieldName(MarkField f);

/// \return true for the fields a continued flow fixes (src, dst, proto, ports).
bool IsFlowKeyField(MarkField f);

/// \return the field named \p name (see FieldName()); throws std::runtime_error if unknown.
MarkField FieldFromName(const std::string& name);

/// The additive smoothing a of Vocabulary::LogShare().
constexpr double kLogShareSmoothing = 0.5;

/// U of the rare-host bucket: every IPv4 address.
constexpr uint64_t kHostUniverse = uint64_t{1} << 32;

/// Smallest gap in seconds: gaps of dequantised times are floored here before ln().
constexpr double kMinGap = 1e-9;

/// Smallest dequantisation width r in seconds (used when timestamps are finer than 1 us).
constexpr double kMinDequantWidth = 1e-6;

/// Floor of Encoding::LogGapStd().
constexpr double kMinLogGapStd = 1e-3;

/**
 * \ingroup temponet
 * \brief The vocabulary of one field: which raw values keep their identity,
 * which go to buckets, and how a bucket's raw values are scored and drawn.
 *
 * Raw values are int64: hosts are indices into Encoding::Hosts() (values at or
 * beyond its size are hosts unseen in training), durations are microseconds,
 * other fields their integer value; kNotApplicable (-1) is "not applicable".
 *
 * Token layout: the "not applicable" token first (when the field can be
 * absent), then one token per frequent exact value, then buckets (rare-host
 * pool; well-known / registered / ephemeral port ranges; log-spaced numeric
 * bins; "other" for protocols, flags and TTLs). A bucket holds the empirical
 * pool of training values inside it (the most frequent ones, up to a cap).
 *
 * Scoring a raw value: log P(token) + LogShare(value, token), where LogShare
 * is log P(value | token) = log((c(value) + a) / (C + a U)) with c the
 * value's pool count, C the bucket's training count, U the number of values
 * the bucket can hold and a = 0.5. Exact and "not applicable" tokens have
 * LogShare 0. Sampling draws from the pool only, so generated values always
 * appeared in training.
 *
 * Details:
 * - Exact tokens are ordered by ascending value, buckets by ascending lo;
 *   buckets never overlap each other, but a bucket's range may contain exact
 *   values (they keep their exact token and are not part of the bucket).
 * - U (Token::universe) is the number of raw values in [lo, hi) without an
 *   exact token, so that the shares of a bucket sum to at most 1 (exactly 1
 *   when its pool holds every training value); the rare-host bucket uses
 *   kHostUniverse instead.
 * - TokenOf(): a negative value goes to the "not applicable" token when there
 *   is one; then exact values; then the bucket containing the value; a value
 *   outside every bucket goes to the nearest bucket (ties: the lower one),
 *   where its pool count is 0, so its LogShare is still finite.
 * - Draw() on a bucket with an empty pool (possible only for numeric bins
 *   fitted without leftover values) returns lo.
 * - Fitting: exact values are the most frequent qualifying ones (ties: the
 *   smaller value), pools the most frequent values of the bucket (same tie
 *   rule) stored in ascending order; a bucket's count C counts every training
 *   value it received, pooled or not. Negative training values count as "not
 *   applicable".
 */
class Vocabulary
{
  public:
    /// What a token stands for.
    enum class Kind : uint8_t
    {
        NotApplicable, //!< The field does not apply (value -1).
        Exact,         //!< One raw value.
        Bucket,        //!< Raw values in [lo, hi), with a pool.
    };

    /// One token.
    struct Token
    {
        Kind kind{Kind::Exact};           //!< What it stands for.
        int64_t value{0};                 //!< Exact: the value.
        int64_t lo{0};                    //!< Bucket: first value.
        int64_t hi{0};                    //!< Bucket: one past the last value.
        uint64_t count{0};                //!< Training events with this token.
        std::vector<int64_t> poolValues;  //!< Bucket: distinct values, ascending.
        std::vector<uint64_t> poolCounts; //!< Bucket: their training counts.
        std::string label;                //!< For reports, e.g. "ephemeral".
        uint64_t universe{0};             //!< Bucket: U of LogShare() (see class comment).
    };

    /// \return the number of tokens.
    size_t Size() const
    {
        return m_tokens.size();
    }

    /// \return token \p i.
    const Token& At(size_t i) const
    {
        return m_tokens.at(i);
    }

    /// \return the token of raw value \p value (never fails: unseen values go to a bucket).
    int32_t TokenOf(int64_t value) const;

    /// \return log P(value | token); 0 for exact and not-applicable tokens.
    double LogShare(int64_t value, int32_t token) const;

    /**
     * Draws a raw value of \p token.
     * \param u a uniform number in [0, 1).
     * \return the exact value, or a pool value drawn by its count.
     */
    int64_t Draw(int32_t token, double u) const;

    /**
     * \return whether \p token can stand for a value in [\p lo, \p hi]: the
     * not-applicable token always; an exact token when its value lies there;
     * a bucket when a pool value does (an empty pool: when its range meets it).
     */
    bool CanHold(int32_t token, int64_t lo, int64_t hi) const;

    /**
     * Draws a raw value of \p token within [\p lo, \p hi] (CanHold() must
     * hold): as Draw(), with a bucket's pool restricted to the values there
     * (an empty pool gives the larger of its first value and \p lo).
     * \param u a uniform number in [0, 1).
     */
    int64_t DrawWithin(int32_t token, int64_t lo, int64_t hi, double u) const;

    /// \return whether token 0 is the "not applicable" token.
    bool HasNotApplicable() const
    {
        return !m_tokens.empty() && m_tokens[0].kind == Kind::NotApplicable;
    }

    /**
     * Builders, used by Encoding::Fit (exposed for tests). Values with count
     * >= minCount (and, for numeric fields, share of the applicable values >=
     * minShare) keep an exact token, at most maxExact of them.
     * - FitHosts: no "not applicable" token; one rare-host bucket
     *   [0, hostCount + 1) (hostCount is the raw value of unseen hosts).
     *   \p values holds the src and the dst column, so counts are host
     *   appearances on either side.
     * - FitCategorical (proto, flags, TTL): "not applicable", exact values,
     *   an "other" bucket [0, universe).
     * - FitPorts: "not applicable", exact ports, buckets well-known [0, 1024),
     *   registered [1024, 49152), ephemeral [49152, 65536).
     * - FitNumeric: "not applicable", exact values, then up to \p bins bins
     *   with integer bounds, log-spaced over [min, max] of the values left
     *   (edges min - 1 + round((max - min + 2)^(k / bins))); bins that
     *   would get no training value are merged into a neighbour. Without
     *   values left, one empty bin [min, max + 1) of all applicable values.
     */
    /// @{
    static Vocabulary FitHosts(const std::vector<int64_t>& values,
                               size_t hostCount,
                               size_t maxExact,
                               uint64_t minCount,
                               size_t maxPool);
    static Vocabulary FitCategorical(const std::vector<int64_t>& values,
                                     int64_t universe,
                                     size_t maxExact,
                                     uint64_t minCount,
                                     size_t maxPool);
    static Vocabulary FitPorts(const std::vector<int64_t>& values,
                               size_t maxExact,
                               uint64_t minCount,
                               size_t maxPool);
    static Vocabulary FitNumeric(const std::vector<int64_t>& values,
                                 size_t maxExact,
                                 double minShare,
                                 size_t bins,
                                 size_t maxPool,
                                 uint64_t minCount = 2);
    /// @}

    /// Equality of every token (for tests and the src/dst check of model files).
    bool operator==(const Vocabulary& o) const;

    /// JSON (de)serialisation; FromJson checks every field and throws std::runtime_error.
    /// @{
    nlohmann::json ToJson() const;
    static Vocabulary FromJson(const nlohmann::json& j);
    /// @}

  private:
    /// Counts the training values into the buckets, builds pools and indexes.
    void Assign(const std::vector<int64_t>& values, size_t maxPool);
    /// Builds the lookup indexes; checks the token order (throws std::runtime_error).
    void Index();
    /// \return the bucket token nearest to \p value (containing it if any).
    int32_t NearestBucket(int64_t value) const;

    std::vector<Token> m_tokens;                //!< Tokens in id order.
    size_t m_exactBegin{0};                     //!< First exact token.
    size_t m_bucketBegin{0};                    //!< First bucket token.
    std::vector<std::vector<uint64_t>> m_cumul; //!< Per token, cumulative pool counts.
};

/// Options of Encoding::Fit.
struct EncodingOptions
{
    size_t maxHosts{512};          //!< Hosts that keep their identity.
    size_t maxPorts{256};          //!< Ports that keep their identity.
    size_t maxExact{32};           //!< Exact values of numeric fields.
    double minExactShare{0.005};   //!< Numeric value share needed to stay exact.
    uint64_t minCount{2};          //!< Training count needed to stay exact.
    double minPortShare{0.001};    //!< Share of events a port needs to stay exact.
    size_t numericBins{24};        //!< Log-spaced bins of numeric fields.
    size_t maxPool{4096};          //!< Values kept in a bucket's pool.
    size_t flowSlots{8};           //!< Recent flows a new event may continue.
    double timeOfDayMinDays{2.0};  //!< Span needed to use time-of-day features.
    double activityMinScales{3.0}; //!< Span, in time scales, needed to use an activity feature.
    double dayOfWeekMinDays{14.0}; //!< Span needed to use day-of-week features.
    bool trend{true};              //!< Use the trend feature (position in the training span).
};

/// Width of the calendar feature vector: sin and cos of the time of day, 7
/// weekday flags, the trend.
constexpr size_t kCalendarDim = 10;

/// Index of the trend feature in the calendar feature vector.
constexpr size_t kTrendIndex = 9;

/// Number of activity features: one per time scale of kActivityScales.
constexpr size_t kActivityDim = 4;

/// Time scales of the activity features, seconds.
constexpr double kActivityScales[kActivityDim] = {10.0, 100.0, 1000.0, 10000.0};

/// The longest activity scale kept when the time-of-day feature is active, seconds.
constexpr double kActivityMaxWithCalendar = 100.0;

/**
 * \ingroup temponet
 * \brief The recent event rate of a history at several time scales: the
 * model's memory of which regime the traffic is in, beyond its GRU window.
 *
 * For each scale tau, an exponentially decayed event count
 * c = sum over past events i of exp(-(t - t_i) / tau), kept in O(1) per
 * event, turned into a rate with the start-up bias removed:
 * rate = c / (tau (1 - exp(-(E + g) / tau))), where E is the time since the
 * history's first event and g the training data's mean gap (so a history of
 * one event has the rate 1 / g). The same tracker runs over training data
 * (Encoding::Encode) and over a sampler's own history, in the model's time.
 */
class ActivityTracker
{
  public:
    /// \param meanGap g, the mean gap of the training data in seconds (> 0).
    explicit ActivityTracker(double meanGap);

    /// Forgets every event.
    void Clear();

    /// Records an event at time \p ts (seconds, not before the previous one).
    void Update(double ts);

    /// \return ln of the event rate (events/s) at scale \p k; 0 before any event.
    double LogRate(size_t k) const;

  private:
    double m_meanGap;                           //!< g.
    bool m_started{false};                      //!< Whether an event was recorded.
    double m_first{0};                          //!< Time of the first event.
    double m_last{0};                           //!< Time of the last event.
    std::array<double, kActivityDim> m_count{}; //!< Decayed counts at m_last.
};

/**
 * \ingroup temponet
 * \brief A trace turned into model inputs and targets: dequantised times,
 * standardised log gaps, calendar features, flow-continuation labels, and
 * one token per field and event with the log share of its raw value.
 *
 * Flat arrays, event-major. Event i's gap is ts[i] - ts[i - 1] (for event 0,
 * the gap from the context given to Encode, or none: timeMask[0] = 0).
 * Gaps are computed as (t[i] - t[i - 1]) + (o[i] - o[i - 1]) from the raw
 * times t and dequantisation offsets o (exact differences even where
 * absolute epoch times lose precision), floored at kMinGap. Where timeMask is
 * 0, gap and logGap are 0. calendar row i is Encoding::Calendar(ts[i]);
 * activity row i the activity features of the history up to and including
 * event i (context events included).
 */
struct EncodedTrace
{
    size_t n{0};                   //!< Events.
    std::vector<MarkField> fields; //!< Field order (the schema).
    std::vector<double> ts;        //!< Dequantised timestamps, seconds.
    std::vector<double> gap;       //!< Gaps in seconds (> 0 where timeMask).
    std::vector<float> logGap;     //!< Standardised log gaps.
    std::vector<uint8_t> timeMask; //!< 1 where the gap is known.
    std::vector<float> calendar;   //!< n x kCalendarDim, masked to active features.
    std::vector<float> activity;   //!< n x kActivityDim, Encoding::Activity() after event i.
    std::vector<int32_t> flow;     //!< Continuation label (0 new, see FlowCache).
    std::vector<std::vector<int32_t>> tokens; //!< Per field, n tokens.
    std::vector<std::vector<float>> logShare; //!< Per field, n log shares (LogShare()).
};

/**
 * \ingroup temponet
 * \brief The small cache of recent flows behind the session-continuation mark.
 *
 * Holds up to K 5-tuples (src, dst, proto, src port, dst port), most
 * recently used first. Label 0 starts a new flow; label 1 + 2k continues
 * slot k in the direction it was stored, 2 + 2k in the reverse direction.
 *
 * A flow takes one slot whatever the direction: Update() with a tuple whose
 * reverse is cached moves that slot first and keeps its stored direction
 * (the direction the flow was first seen in). LabelOf() prefers the same
 * direction when a tuple equals its own reverse. Update() of a new tuple
 * when all K slots are full evicts the least recently used one.
 */
class FlowCache
{
  public:
    /// A 5-tuple with hosts as indices.
    struct Tuple
    {
        int64_t src{-1};     //!< Source host.
        int64_t dst{-1};     //!< Destination host.
        int64_t proto{-1};   //!< IP protocol.
        int64_t srcPort{-1}; //!< Source port or -1.
        int64_t dstPort{-1}; //!< Destination port or -1.

        /// \return the raw value of key field \p f (IsFlowKeyField); -1 for
        /// any other field.
        int64_t Get(MarkField f) const;

        /// \return the same flow seen from the other side.
        Tuple Reversed() const
        {
            return {dst, src, proto, dstPort, srcPort};
        }

        /// Field-wise equality.
        bool operator==(const Tuple& o) const
        {
            return src == o.src && dst == o.dst && proto == o.proto && srcPort == o.srcPort &&
                   dstPort == o.dstPort;
        }
    };

    /// \param slots K, the number of recent flows kept.
    explicit FlowCache(size_t slots);

    /// \return the number of labels, 1 + 2K.
    size_t Labels() const
    {
        return 1 + 2 * m_slots;
    }

    /// \return the label \p t would get now (0 when it continues no cached flow).
    int32_t LabelOf(const Tuple& t) const;

    /// \return whether \p label can be used now (its slot is filled).
    bool IsValid(int32_t label) const;

    /// \return the tuple continued by \p label (which must be valid and non-zero;
    /// throws std::out_of_range otherwise).
    Tuple Resolve(int32_t label) const;

    /// \return the flows now cached.
    size_t Filled() const
    {
        return m_flows.size();
    }

    /// Records that an event with tuple \p t happened: moves or inserts it first.
    void Update(const Tuple& t);

    /// Empties the cache.
    void Clear();

  private:
    size_t m_slots;             //!< K.
    std::vector<Tuple> m_flows; //!< Most recent first.
};

/**
 * \ingroup temponet
 * \brief Everything that turns events into model inputs, fitted on training
 * data and frozen into the model file: the schema (fields in chain order),
 * vocabularies, the host table, the time resolution and dequantisation, the
 * log-gap standardisation, and which calendar features are active.
 *
 * Dequantisation: the events sharing one timestamp t are placed at the sorted
 * values of k uniform draws in [t, t + r), r the detected resolution (at
 * least 1 us), from a generator seeded by t and k, so the same trace always
 * gives the same times, in whatever file or split it appears.
 *
 * Details:
 * - Generator: splitmix64 seeded with splitmix64(bits of t) xor
 *   splitmix64(k); a draw is its top 53 bits times 2^-53. A time is then
 *   t + r u; the output is made non-decreasing (only matters where t + r u
 *   rounds up to the next grid point of large epoch times). A split keeps
 *   these times when it does not cut a group of equal timestamps.
 * - Raw values (RawValue()): hosts are indices into Hosts() in order of first
 *   appearance in the training table (src before dst); a negative integer
 *   field is kNotApplicable; duration is llround(seconds * 1e6), NA when NaN,
 *   infinite or negative.
 * - Schema: packet traces src, dst, proto, dst_port, src_port, size,
 *   tcp_flags, ttl; flow traces src, dst, proto, dst_port, src_port,
 *   duration, packets, bytes. A field is kept when the training table has an
 *   applicable value of it (src, dst and proto always).
 * - Vocabularies: hosts FitHosts(maxHosts, minCount) on src and dst together;
 *   proto FitCategorical(256, maxExact, minCount 1); ports FitPorts(maxPorts,
 *   minCount); flags and TTL FitCategorical(256, maxExact, minCount); size,
 *   duration, packets, bytes FitNumeric(maxExact, minExactShare, numericBins,
 *   maxPool, minCount).
 * - Calendar (UTC): sin and cos of 2 pi (seconds of day) / 86400 when the
 *   training span is at least timeOfDayMinDays days, then 7 weekday flags
 *   (Monday first) when it is at least dayOfWeekMinDays; inactive parts are 0.
 * - Trend (when options.trend): 2 u - 1 with u the position of the time in the
 *   training span, clamped to [0, 1], so every time after the training data
 *   reads 1. Traffic that changed during the capture is told apart by when it
 *   happened, and a free-running model continues the capture's latest
 *   behaviour, not an earlier regime (doc/temponet.rst, Encoding).
 * - Log-gap statistics: mean and population std of ln(gap) over the training
 *   gaps (event 1 on), std floored at kMinLogGapStd.
 * - Activity (ActivityTracker): the feature of scale tau is active when the
 *   training span is at least activityMinScales tau; it is the log rate
 *   standardised by its mean and std over the training events (std floored
 *   at 0.05), clamped to the range it took over the training events (a
 *   generator never meets an activity level its data did not show);
 *   inactive features are 0. The tracker's
 *   mean gap is the training span over its gaps.
 * - Encode() throws std::invalid_argument when a table is not time-sorted, its
 *   kind differs from Kind(), or the context ends after the table starts. The
 *   context's last group of equal timestamps is dequantised together with the
 *   table, as in the whole trace; every context event updates the flow cache.
 * - JSON: {"format": "temponet-encoding", "version": 3, "kind", "fields",
 *   "hosts" (address text), "vocabularies" (by field name; "host" for src and
 *   dst), "resolution", "log_gap_mean", "log_gap_std", "time_of_day",
 *   "day_of_week", "trend" ("active", "start", "end"), "flow_slots",
 *   "mean_gap", "max_gap", "activity" (per scale: "scale", "active", "mean", "std", "lo",
 *   "hi")}. Doubles are written with round-trip
 *   precision, so a loaded encoding encodes exactly as the original.
 */
class Encoding
{
  public:
    /**
     * Fits an encoding on a time-sorted training table.
     * \throws std::invalid_argument for fewer than two events.
     */
    static Encoding Fit(const EventTable& train, const EncodingOptions& options = {});

    /**
     * Encodes a time-sorted table.
     * \param table events to encode.
     * \param context events just before \p table (e.g. the end of the
     *        training trace), or nullptr: they fill the flow cache and give
     *        event 0 its gap; they are not part of the result.
     */
    EncodedTrace Encode(const EventTable& table, const EventTable* context = nullptr) const;

    /// \return the fields in chain order.
    const std::vector<MarkField>& Fields() const
    {
        return m_fields;
    }

    /// \return the vocabulary of \p field (src and dst share the host vocabulary);
    /// throws std::out_of_range for a field outside the schema.
    const Vocabulary& Vocab(MarkField field) const;

    /// \return whether \p field is in the schema.
    bool HasField(MarkField field) const;

    /// \return the training hosts (host raw values index this).
    const std::vector<IpAddr>& Hosts() const
    {
        return m_hosts;
    }

    /// \return packets or flows.
    TraceKind Kind() const
    {
        return m_kind;
    }

    /// \return the detected timestamp resolution in seconds (0: finer than 1 us).
    double Resolution() const
    {
        return m_resolution;
    }

    /// Standardisation of log gaps: y = (ln(gap) - LogGapMean()) / LogGapStd().
    /// @{
    double LogGapMean() const
    {
        return m_logGapMean;
    }

    double LogGapStd() const
    {
        return m_logGapStd;
    }

    /// @}

    /// \return whether time-of-day features are in use (the data spans enough days).
    bool TimeOfDayActive() const
    {
        return m_timeOfDay;
    }

    /// \return whether day-of-week features are in use.
    bool DayOfWeekActive() const
    {
        return m_dayOfWeek;
    }

    /// \return the longest gap of the training data in seconds: the cap of a
    /// sampler's gaps.
    double MaxGap() const
    {
        return m_maxGap;
    }

    /// \return whether the trend feature is in use.
    bool TrendActive() const
    {
        return m_trend;
    }

    /// Writes the calendar features of time \p ts (UTC seconds) to \p out[kCalendarDim].
    void Calendar(double ts, float* out) const;

    /// \return an activity tracker for this encoding's data.
    ActivityTracker MakeActivityTracker() const
    {
        return ActivityTracker(m_meanGap);
    }

    /// Writes the standardised activity features of \p tracker to \p out[kActivityDim].
    void Activity(const ActivityTracker& tracker, float* out) const;

    /// \return whether the activity feature of scale \p k (kActivityScales) is in use.
    bool ActivityActive(size_t k) const
    {
        return m_activity[k].active;
    }

    /// \return K, the flow slots of the continuation mark.
    size_t FlowSlots() const
    {
        return m_flowSlots;
    }

    /// \return the 5-tuple of every event of \p table in raw values, as the flow
    /// cache behind the continuation labels sees them.
    std::vector<FlowCache::Tuple> FlowTuples(const EventTable& table) const;

    /// \return the raw value of field \p f of event \p i of \p table (a host unseen in
    /// training gets Hosts().size()).
    int64_t RawValue(const EventTable& table, size_t i, MarkField f) const;

    /// \return the time-sorted, dequantised timestamps of \p ts (see class comment);
    /// throws std::invalid_argument when \p ts is not time-sorted or holds NaN.
    std::vector<double> Dequantise(const std::vector<double>& ts) const;

    /// JSON (de)serialisation; FromJson validates and throws std::runtime_error.
    /// @{
    nlohmann::json ToJson() const;
    static Encoding FromJson(const nlohmann::json& j);
    /// @}

  private:
    TraceKind m_kind{TraceKind::Packets}; //!< Packets or flows.
    std::vector<MarkField> m_fields;      //!< Schema, chain order.
    std::vector<Vocabulary> m_vocabs;     //!< Per field (src and dst: same content).
    std::vector<IpAddr> m_hosts;          //!< Training hosts.
    double m_resolution{0};               //!< Timestamp resolution, seconds.
    double m_logGapMean{0};               //!< Mean of ln(gap) on training data.
    double m_logGapStd{1};                //!< Std of ln(gap) on training data.
    bool m_timeOfDay{false};              //!< Time-of-day features active.
    bool m_dayOfWeek{false};              //!< Day-of-week features active.
    bool m_trend{false};                  //!< Trend feature active.
    double m_trendStart{0};               //!< Training span's first time, seconds.
    double m_trendEnd{0};                 //!< Its last time.
    size_t m_flowSlots{8};                //!< K.
    double m_meanGap{1};                  //!< Mean training gap, seconds.
    double m_maxGap{1};                   //!< Longest training gap, seconds.

    /// Standardisation of one activity feature.
    struct ActivityScale
    {
        bool active{false}; //!< The training span covers the scale.
        double mean{0};     //!< Mean of the log rate over training events.
        double std{1};      //!< Its std (floored).
        double lo{-5};      //!< Smallest standardised value in training.
        double hi{5};       //!< Largest standardised value in training.
    };

    std::array<ActivityScale, kActivityDim> m_activity; //!< Per scale.
    std::unordered_map<IpAddr, int64_t> m_hostIndex;    //!< Address to host raw value.

    /// Rebuilds m_hostIndex from m_hosts (throws std::runtime_error on duplicates).
    void IndexHosts();
    /// \return the raw host value of each host of \p table's host table.
    std::vector<int64_t> HostMap(const EventTable& table) const;
    /// \return the raw values of field \p f for every event of \p table.
    std::vector<int64_t> RawColumn(const EventTable& table,
                                   MarkField f,
                                   const std::vector<int64_t>& hostMap) const;
    /// \return the raw value of field \p f of event \p i, hosts mapped by \p hostMap.
    static int64_t RawOf(const EventTable& table,
                         size_t i,
                         MarkField f,
                         const std::vector<int64_t>& hostMap);
    /// \return the dequantisation offsets in [0, r) of time-sorted \p ts.
    std::vector<double> Offsets(const std::vector<double>& ts) const;
    /// \return the dequantisation width r.
    double Width() const;
};

} // namespace temponet
} // namespace ns3

#endif /* TEMPONET_ENCODING_H */
