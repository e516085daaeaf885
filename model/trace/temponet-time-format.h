/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef TEMPONET_TIME_FORMAT_H
#define TEMPONET_TIME_FORMAT_H

#include <optional>
#include <string>
#include <string_view>

namespace ns3
{
namespace temponet
{

/**
 * Parses an ISO 8601 date-time into seconds since the Unix epoch, UTC.
 * Accepted: "YYYY-MM-DD", "YYYY-MM-DDTHH:MM", "YYYY-MM-DDTHH:MM:SS[.fff]"
 * (a space may replace the 'T'), followed by nothing (UTC), "Z", or an
 * offset "+HH:MM", "-HH:MM", "+HHMM", "+HH".
 * \return the time, or nothing if \p text is not such a date-time.
 */
std::optional<double> ParseIso8601(std::string_view text);

/// \return \p epochSeconds as "YYYY-MM-DDTHH:MM:SS.ffffffZ" (microseconds).
std::string FormatIso8601(double epochSeconds);

/// \return days since 1970-01-01 of the proleptic Gregorian date.
long long DaysFromCivil(long long year, unsigned month, unsigned day);

} // namespace temponet
} // namespace ns3

#endif /* TEMPONET_TIME_FORMAT_H */
