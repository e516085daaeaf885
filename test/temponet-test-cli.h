/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef TEMPONET_TEST_CLI_H
#define TEMPONET_TEST_CLI_H

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <sys/wait.h>

namespace ns3
{
namespace temponet
{
namespace test
{

/// What one run of the `temponet` program gave.
struct CliRun
{
    int status;      //!< Exit status (-1 when it did not exit).
    std::string out; //!< Standard output.
    std::string err; //!< Standard error.
};

/// Runs `temponet ARGS` from the build's bin folder, output captured in files under \p dir.
inline CliRun
Temponet(const std::string& args, const std::string& dir)
{
    const std::string out = dir + "/stdout.txt";
    const std::string err = dir + "/stderr.txt";
    const std::string cmd = std::string(TEMPONET_BUILD_BIN_DIR) + "/temponet " + args + " >" + out +
                            " 2>" + err + " </dev/null";
    const int raw = std::system(cmd.c_str());
    auto slurp = [](const std::string& p) {
        std::ifstream in(p);
        return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    };
    return {WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, slurp(out), slurp(err)};
}

} // namespace test
} // namespace temponet
} // namespace ns3

#endif /* TEMPONET_TEST_CLI_H */
