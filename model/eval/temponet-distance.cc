/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "temponet-distance.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace ns3
{
namespace temponet
{

namespace
{

/// \return the sum of the counts of \p c.
double
Total(const CategoryCounts& c)
{
    double n = 0.0;
    for (const auto& kv : c)
    {
        n += kv.second;
    }
    return n;
}

/// \return p log2(p / m), 0 for p = 0.
double
KlTerm(double p, double m)
{
    return p > 0.0 ? p * std::log2(p / m) : 0.0;
}

/// \return the mean and the population standard deviation of \p x.
std::pair<double, double>
MeanStd(const std::vector<double>& x)
{
    if (x.empty())
    {
        return {0.0, 0.0};
    }
    double mean = 0.0;
    for (double v : x)
    {
        mean += v;
    }
    mean /= double(x.size());
    double var = 0.0;
    for (double v : x)
    {
        var += (v - mean) * (v - mean);
    }
    return {mean, std::sqrt(var / double(x.size()))};
}

} // namespace

CategoryCounts
CountCategories(const std::vector<int64_t>& column)
{
    CategoryCounts counts;
    for (int64_t v : column)
    {
        counts[v] += 1.0;
    }
    return counts;
}

double
JensenShannon(const CategoryCounts& a, const CategoryCounts& b)
{
    const double na = Total(a);
    const double nb = Total(b);
    if (na == 0.0 || nb == 0.0)
    {
        return na == nb ? 0.0 : 1.0;
    }
    double jsd = 0.0;
    for (const auto& [key, count] : a)
    {
        const double p = count / na;
        const auto it = b.find(key);
        const double q = it == b.end() ? 0.0 : it->second / nb;
        const double m = 0.5 * (p + q);
        jsd += 0.5 * KlTerm(p, m) + 0.5 * KlTerm(q, m);
    }
    for (const auto& [key, count] : b)
    {
        if (a.find(key) == a.end())
        {
            jsd += 0.5 * KlTerm(count / nb, 0.5 * count / nb);
        }
    }
    return std::clamp(jsd, 0.0, 1.0);
}

double
JensenShannon(const std::vector<int64_t>& a, const std::vector<int64_t>& b)
{
    return JensenShannon(CountCategories(a), CountCategories(b));
}

double
KolmogorovSmirnov(std::vector<double> a, std::vector<double> b)
{
    if (a.empty() || b.empty())
    {
        return a.size() == b.size() ? 0.0 : 1.0;
    }
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    size_t i = 0;
    size_t j = 0;
    double d = 0.0;
    while (i < a.size() && j < b.size())
    {
        // Step both CDFs past every copy of the smaller value, then compare.
        const double x = std::min(a[i], b[j]);
        while (i < a.size() && a[i] == x)
        {
            ++i;
        }
        while (j < b.size() && b[j] == x)
        {
            ++j;
        }
        d = std::max(d, std::fabs(double(i) / double(a.size()) - double(j) / double(b.size())));
    }
    return d;
}

double
EarthMovers(std::vector<double> a, std::vector<double> b)
{
    if (a.empty() || b.empty())
    {
        return a.size() == b.size() ? 0.0 : std::numeric_limits<double>::quiet_NaN();
    }
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    size_t i = 0;
    size_t j = 0;
    double x = std::min(a.front(), b.front());
    double area = 0.0;
    while (i < a.size() || j < b.size())
    {
        // F_a and F_b are constant on [x, next).
        const double next =
            std::min(i < a.size() ? a[i] : HUGE_VAL, j < b.size() ? b[j] : HUGE_VAL);
        area += std::fabs(double(i) / double(a.size()) - double(j) / double(b.size())) * (next - x);
        while (i < a.size() && a[i] == next)
        {
            ++i;
        }
        while (j < b.size() && b[j] == next)
        {
            ++j;
        }
        x = next;
    }
    return area;
}

double
LogScaleEarthMovers(const std::vector<double>& real,
                    const std::vector<double>& synthetic,
                    double epsilon)
{
    auto logOf = [epsilon](const std::vector<double>& x) {
        std::vector<double> out(x.size());
        std::transform(x.begin(), x.end(), out.begin(), [epsilon](double v) {
            return std::log10(std::max(v, 0.0) + epsilon);
        });
        return out;
    };
    const std::vector<double> lr = logOf(real);
    const double spread = MeanStd(lr).second;
    return EarthMovers(lr, logOf(synthetic)) / std::max(spread, kMinLogSpread);
}

double
ContingencyMatrixDistance(const std::vector<std::vector<uint32_t>>& real,
                          const std::vector<std::vector<uint32_t>>& synthetic)
{
    if (real.size() != synthetic.size())
    {
        throw std::invalid_argument("contingency matrix distance: column counts differ");
    }
    const size_t k = real.size();
    if (k < 2)
    {
        return 0.0;
    }
    // Codes per column: one more than the largest in either table.
    std::vector<uint32_t> levels(k, 1);
    for (size_t c = 0; c < k; ++c)
    {
        for (const auto* col : {&real[c], &synthetic[c]})
        {
            for (uint32_t v : *col)
            {
                levels[c] = std::max(levels[c], v + 1);
            }
        }
    }
    auto frequencies = [](const std::vector<uint32_t>& x,
                          const std::vector<uint32_t>& y,
                          uint32_t ly,
                          std::vector<double>& table) {
        if (x.size() != y.size())
        {
            throw std::invalid_argument("contingency matrix distance: column lengths differ");
        }
        for (size_t r = 0; r < x.size(); ++r)
        {
            table[size_t(x[r]) * ly + y[r]] += 1.0;
        }
        for (double& v : table)
        {
            v = x.empty() ? 0.0 : v / double(x.size());
        }
    };
    double sum = 0.0;
    size_t pairs = 0;
    for (size_t c1 = 0; c1 < k; ++c1)
    {
        for (size_t c2 = c1 + 1; c2 < k; ++c2)
        {
            const size_t cells = size_t(levels[c1]) * levels[c2];
            std::vector<double> p(cells, 0.0);
            std::vector<double> q(cells, 0.0);
            frequencies(real[c1], real[c2], levels[c2], p);
            frequencies(synthetic[c1], synthetic[c2], levels[c2], q);
            double squares = 0.0;
            for (size_t i = 0; i < cells; ++i)
            {
                squares += (p[i] - q[i]) * (p[i] - q[i]);
            }
            sum += std::sqrt(squares);
            ++pairs;
        }
    }
    return sum / double(pairs);
}

std::vector<double>
PearsonMatrix(const std::vector<std::vector<double>>& columns)
{
    const size_t k = columns.size();
    std::vector<double> m(k * k, 0.0);
    for (size_t a = 0; a < k; ++a)
    {
        m[a * k + a] = 1.0;
        for (size_t b = a + 1; b < k; ++b)
        {
            std::vector<double> x;
            std::vector<double> y;
            const size_t rows = std::min(columns[a].size(), columns[b].size());
            for (size_t r = 0; r < rows; ++r)
            {
                if (!std::isnan(columns[a][r]) && !std::isnan(columns[b][r]))
                {
                    x.push_back(columns[a][r]);
                    y.push_back(columns[b][r]);
                }
            }
            const auto [mx, sx] = MeanStd(x);
            const auto [my, sy] = MeanStd(y);
            double r = 0.0;
            if (x.size() >= 2 && sx > 0.0 && sy > 0.0)
            {
                double cov = 0.0;
                for (size_t i = 0; i < x.size(); ++i)
                {
                    cov += (x[i] - mx) * (y[i] - my);
                }
                r = std::clamp(cov / double(x.size()) / (sx * sy), -1.0, 1.0);
            }
            m[a * k + b] = r;
            m[b * k + a] = r;
        }
    }
    return m;
}

double
PairwiseCorrelationDistance(const std::vector<std::vector<double>>& real,
                            const std::vector<std::vector<double>>& synthetic)
{
    if (real.size() != synthetic.size())
    {
        throw std::invalid_argument("pairwise correlation distance: column counts differ");
    }
    return L2Distance(PearsonMatrix(real), PearsonMatrix(synthetic));
}

std::vector<double>
Autocorrelation(const std::vector<double>& series, size_t maxLag)
{
    std::vector<double> acf(maxLag, 0.0);
    const auto [mean, sd] = MeanStd(series);
    if (!(sd > 0.0))
    {
        return acf;
    }
    const double denominator = sd * sd * double(series.size());
    for (size_t k = 1; k <= maxLag && k < series.size(); ++k)
    {
        double s = 0.0;
        for (size_t t = 0; t + k < series.size(); ++t)
        {
            s += (series[t] - mean) * (series[t + k] - mean);
        }
        acf[k - 1] = s / denominator;
    }
    return acf;
}

double
L2Distance(const std::vector<double>& a, const std::vector<double>& b)
{
    if (a.size() != b.size())
    {
        throw std::invalid_argument("L2 distance: lengths differ");
    }
    double s = 0.0;
    for (size_t i = 0; i < a.size(); ++i)
    {
        s += (a[i] - b[i]) * (a[i] - b[i]);
    }
    return std::sqrt(s);
}

} // namespace temponet
} // namespace ns3
