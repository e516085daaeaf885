/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef TEMPONET_CLI_H
#define TEMPONET_CLI_H

#include "temponet-event-table.h"
#include "temponet-read-report.h"
#include "temponet-trace-format.h"

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>

namespace ns3
{
namespace temponet
{
namespace cli
{

/// A command line that cannot be run as given (exit status 2).
class UsageError : public std::runtime_error
{
  public:
    using std::runtime_error::runtime_error;
};

/// One subcommand: its name, a one-line summary, and its entry point.
struct Command
{
    const char* name;                              //!< e.g. "inspect".
    const char* summary;                           //!< One line for `temponet --help`.
    int (*run)(int argc, const char* const* argv); //!< argv[0] is the subcommand name.
};

/// Subcommand entry points. Each returns the exit status.
/// @{
int RunInspect(int argc, const char* const* argv);
int RunConvert(int argc, const char* const* argv);
int RunSplit(int argc, const char* const* argv);
int RunTrain(int argc, const char* const* argv);
int RunInfo(int argc, const char* const* argv);
int RunNll(int argc, const char* const* argv);
int RunGenerate(int argc, const char* const* argv);
int RunEval(int argc, const char* const* argv);
/// @}

/**
 * Parses \p argv against \p options and \p positional; prints help and
 * returns false when --help was given.
 * \throws UsageError for unknown options or missing values.
 */
bool ParseArgs(int argc,
               const char* const* argv,
               const std::string& usage,
               boost::program_options::options_description& options,
               const boost::program_options::positional_options_description& positional,
               boost::program_options::variables_map& vm);

/// \return the format named by --format, or nothing for auto-detection.
std::optional<TraceFormat> FormatOption(const boost::program_options::variables_map& vm);

/**
 * Reads a trace and prints on stderr what was skipped (a line per reason and
 * the first examples), so nothing is lost silently.
 */
EventTable LoadTrace(const std::string& path,
                     std::optional<TraceFormat> format,
                     ReadReport& report);

/**
 * Parses a time argument: "+S" is S seconds after \p traceStart; an ISO 8601
 * date-time is absolute (UTC unless an offset is given); a plain number is a
 * timestamp in the trace's own time base.
 * \throws UsageError when \p text is none of these.
 */
double ParseTimeArg(const std::string& text, double traceStart, const std::string& option);

/// Writes \p j, indented, to \p path atomically (it appears only when complete).
void WriteJson(const nlohmann::json& j, const std::string& path);

/// \return the FNV-1a 64-bit digest of a file's bytes, as 16 hex digits.
std::string FileDigest(const std::string& path);

} // namespace cli
} // namespace temponet
} // namespace ns3

#endif /* TEMPONET_CLI_H */
