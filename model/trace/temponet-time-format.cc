/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "temponet-time-format.h"

#include "temponet-line-reader.h"

#include <cmath>
#include <cstdio>

namespace ns3
{
namespace temponet
{

long long
DaysFromCivil(long long year, unsigned month, unsigned day)
{
    // Shift the year to start in March so February's leap day is last.
    year -= month <= 2 ? 1 : 0;
    const long long era = (year >= 0 ? year : year - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(year - era * 400);
    const unsigned mp = month > 2 ? month - 3 : month + 9;
    const unsigned doy = (153 * mp + 2) / 5 + day - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<long long>(doe) - 719468;
}

namespace
{

/// Reads exactly \p n digits from \p s at \p pos into \p out.
bool
Digits(std::string_view s, size_t& pos, size_t n, int& out)
{
    if (pos + n > s.size())
    {
        return false;
    }
    out = 0;
    for (size_t i = 0; i < n; ++i)
    {
        const char c = s[pos + i];
        if (c < '0' || c > '9')
        {
            return false;
        }
        out = out * 10 + (c - '0');
    }
    pos += n;
    return true;
}

bool
IsLeap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

} // namespace

std::optional<double>
ParseIso8601(std::string_view s)
{
    size_t p = 0;
    int year = 0;
    int month = 0;
    int day = 0;
    if (!Digits(s, p, 4, year) || p >= s.size() || s[p++] != '-' || !Digits(s, p, 2, month) ||
        p >= s.size() || s[p++] != '-' || !Digits(s, p, 2, day))
    {
        return std::nullopt;
    }
    static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12 || day < 1 ||
        day > kDays[month - 1] + (month == 2 && IsLeap(year) ? 1 : 0))
    {
        return std::nullopt;
    }
    int hour = 0;
    int minute = 0;
    int second = 0;
    std::string_view fraction;
    if (p < s.size() && (s[p] == 'T' || s[p] == ' '))
    {
        ++p;
        if (!Digits(s, p, 2, hour) || p >= s.size() || s[p++] != ':' || !Digits(s, p, 2, minute))
        {
            return std::nullopt;
        }
        if (p < s.size() && s[p] == ':')
        {
            ++p;
            if (!Digits(s, p, 2, second))
            {
                return std::nullopt;
            }
            if (p < s.size() && (s[p] == '.' || s[p] == ','))
            {
                ++p;
                const size_t start = p;
                while (p < s.size() && s[p] >= '0' && s[p] <= '9')
                {
                    ++p;
                }
                fraction = s.substr(start, p - start);
                if (fraction.empty() || fraction.size() > 18)
                {
                    return std::nullopt;
                }
            }
        }
        if (hour > 23 || minute > 59 || second > 60)
        {
            return std::nullopt;
        }
    }
    int offsetSeconds = 0;
    if (p < s.size())
    {
        if (s[p] == 'Z' || s[p] == 'z')
        {
            ++p;
        }
        else if (s[p] == '+' || s[p] == '-')
        {
            const int sign = s[p] == '+' ? 1 : -1;
            ++p;
            int oh = 0;
            int om = 0;
            if (!Digits(s, p, 2, oh))
            {
                return std::nullopt;
            }
            if (p < s.size() && s[p] == ':')
            {
                ++p;
            }
            if (p < s.size() && !Digits(s, p, 2, om))
            {
                return std::nullopt;
            }
            if (oh > 23 || om > 59)
            {
                return std::nullopt;
            }
            offsetSeconds = sign * (oh * 3600 + om * 60);
        }
    }
    if (p != s.size())
    {
        return std::nullopt;
    }
    const long long whole = DaysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 +
                            second - offsetSeconds;
    if (fraction.empty())
    {
        return double(whole);
    }
    double value = 0.0;
    if (whole < 0)
    {
        ParseDouble("0." + std::string(fraction), value);
        return double(whole) + value;
    }
    // "whole.fraction" as text, converted once, so the result is the double
    // nearest the written time (microseconds survive at epoch magnitudes).
    ParseDouble(std::to_string(whole) + "." + std::string(fraction), value);
    return value;
}

std::string
FormatIso8601(double epochSeconds)
{
    const double whole = std::floor(epochSeconds);
    long long micros = std::llround((epochSeconds - whole) * 1e6);
    long long secs = static_cast<long long>(whole);
    if (micros >= 1000000)
    {
        micros -= 1000000;
        ++secs;
    }
    long long days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
    long long rem = secs - days * 86400;
    // Civil date from days (inverse of DaysFromCivil).
    const long long z = days + 719468;
    const long long era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    const long long y = static_cast<long long>(yoe) + era * 400 + (m <= 2 ? 1 : 0);
    char buf[128];
    std::snprintf(buf,
                  sizeof(buf),
                  "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%06lldZ",
                  y,
                  m,
                  d,
                  rem / 3600,
                  (rem % 3600) / 60,
                  rem % 60,
                  micros);
    return buf;
}

} // namespace temponet
} // namespace ns3
