/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "temponet-read-report.h"

namespace ns3
{
namespace temponet
{

namespace
{

/// \return "file: where: what", leaving out empty parts.
std::string
Compose(const std::string& file, const std::string& where, const std::string& what)
{
    std::string msg = file;
    if (!where.empty())
    {
        msg += ": " + where;
    }
    return msg + ": " + what;
}

} // namespace

TraceError::TraceError(const std::string& file, const std::string& where, const std::string& what)
    : std::runtime_error(Compose(file, where, what))
{
}

void
ReadReport::Skip(const std::string& reason, const std::string& where, const std::string& detail)
{
    ++skipped[reason];
    if (examples.size() < kMaxExamples)
    {
        examples.push_back(Compose(file,
                                   where,
                                   detail.empty() ? "skipped: " + reason
                                                  : "skipped: " + reason + " (" + detail + ")"));
    }
}

void
ReadReport::Partial(const std::string& reason, const std::string& where)
{
    ++partial[reason];
    if (examples.size() < kMaxExamples)
    {
        examples.push_back(Compose(file, where, "kept in part: " + reason));
    }
}

uint64_t
ReadReport::SkippedTotal() const
{
    uint64_t n = 0;
    for (const auto& [reason, count] : skipped)
    {
        n += count;
    }
    return n;
}

} // namespace temponet
} // namespace ns3
