/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef TEMPONET_TEST_DATA_H
#define TEMPONET_TEST_DATA_H

#include <cstdlib>
#include <filesystem>
#include <string>
#include <unistd.h>

namespace ns3
{
namespace temponet
{
namespace test
{

/// \return the folder of the shared real traces (TEMPONET_DATA_DIR overrides).
inline std::string
DataDir()
{
    const char* env = std::getenv("TEMPONET_DATA_DIR");
    return env != nullptr ? env : TEMPONET_DATA_DIR;
}

/// \return the path of shared trace \p name, or "" when it is absent.
inline std::string
DataFile(const std::string& name)
{
    const std::string p = DataDir() + "/" + name;
    return std::filesystem::exists(p) ? p : "";
}

/// \return this test process's scratch folder, removed when the process exits.
inline const std::filesystem::path&
ScratchRoot()
{
    struct Root
    {
        std::filesystem::path path = std::filesystem::temp_directory_path() /
                                     ("temponet-test-" + std::to_string(::getpid()));

        ~Root()
        {
            std::error_code ec;
            std::filesystem::remove_all(path, ec);
        }
    };

    static Root root;
    return root.path;
}

/// \return a fresh empty temporary folder for one test.
inline std::string
TempDir(const std::string& name)
{
    const auto dir = ScratchRoot() / name;
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir.string();
}

} // namespace test
} // namespace temponet
} // namespace ns3

/// Skips the current GoogleTest when shared trace \p name is absent.
#define TEMPONET_REQUIRE_DATA(var, name)                                                           \
    const std::string var = ::ns3::temponet::test::DataFile(name);                                 \
    if (var.empty())                                                                               \
    {                                                                                              \
        GTEST_SKIP() << "shared trace " << name << " not found under "                             \
                     << ::ns3::temponet::test::DataDir()                                           \
                     << " (set TEMPONET_DATA_DIR or place ../shared/data beside the project)";     \
    }

#endif /* TEMPONET_TEST_DATA_H */
