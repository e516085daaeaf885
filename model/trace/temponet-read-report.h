/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef TEMPONET_READ_REPORT_H
#define TEMPONET_READ_REPORT_H

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace ns3
{
namespace temponet
{

/**
 * \ingroup temponet
 * \brief A trace file could not be used. The message names the file, the
 * record (line, packet or block) when one is at fault, and what is wrong.
 */
class TraceError : public std::runtime_error
{
  public:
    /**
     * \param file the file's path.
     * \param where the record at fault, e.g. "line 12" or "packet 3"; empty if none.
     * \param what what is wrong.
     */
    TraceError(const std::string& file, const std::string& where, const std::string& what);
};

/**
 * \ingroup temponet
 * \brief What a reader did with a file: the records it produced, and every
 * record it skipped or kept only in part, with the reason.
 *
 * Nothing is dropped silently: every skipped record is counted under a
 * reason, and the first few are kept as examples that name their record.
 */
struct ReadReport
{
    std::string file;                        //!< Path read.
    std::string format;                      //!< Format name (see TraceFormat).
    uint64_t records{0};                     //!< Events produced.
    std::map<std::string, uint64_t> skipped; //!< Reason to count of skipped records.
    std::map<std::string, uint64_t> partial; //!< Reason to count of events kept in part.
    std::vector<std::string> examples;       //!< First messages, "FILE: line N: reason".

    /// Most examples kept.
    static constexpr size_t kMaxExamples = 20;

    /**
     * Counts a skipped record.
     * \param reason short reason, the key in \c skipped (e.g. "non-IP frame").
     * \param where the record, e.g. "line 7".
     * \param detail optional detail for the example message.
     */
    void Skip(const std::string& reason, const std::string& where, const std::string& detail = "");

    /**
     * Counts an event kept although part of it was missing (e.g. a packet cut
     * by the snap length: the fields its headers give are kept).
     * \param reason the key in \c partial.
     * \param where the record.
     */
    void Partial(const std::string& reason, const std::string& where);

    /// \return the number of skipped records, all reasons together.
    uint64_t SkippedTotal() const;
};

} // namespace temponet
} // namespace ns3

#endif /* TEMPONET_READ_REPORT_H */
