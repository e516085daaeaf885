/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "temponet-atomic-file.h"

#include "temponet-read-report.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <unistd.h>

namespace ns3
{
namespace temponet
{

AtomicFile::AtomicFile(const std::string& path)
    : m_path(path),
      m_tmp(path + ".partial-" + std::to_string(getpid()))
{
    m_file = std::fopen(m_tmp.c_str(), "wb");
    if (m_file == nullptr)
    {
        throw TraceError(path, "", std::string("cannot create: ") + std::strerror(errno));
    }
}

AtomicFile::~AtomicFile()
{
    if (m_file != nullptr)
    {
        std::fclose(m_file);
        std::remove(m_tmp.c_str());
    }
}

void
AtomicFile::Write(const void* data, size_t n)
{
    if (n > 0 && std::fwrite(data, 1, n, m_file) != n)
    {
        throw TraceError(m_path, "", std::string("write failed: ") + std::strerror(errno));
    }
}

void
AtomicFile::Commit()
{
    const bool ok = std::fflush(m_file) == 0 && !std::ferror(m_file);
    const int err = errno;
    const bool closed = std::fclose(m_file) == 0;
    m_file = nullptr;
    if (!ok || !closed)
    {
        std::remove(m_tmp.c_str());
        throw TraceError(m_path, "", std::string("write failed: ") + std::strerror(err));
    }
    if (std::rename(m_tmp.c_str(), m_path.c_str()) != 0)
    {
        const int renameErr = errno;
        std::remove(m_tmp.c_str());
        throw TraceError(m_path,
                         "",
                         std::string("cannot rename into place: ") + std::strerror(renameErr));
    }
}

} // namespace temponet
} // namespace ns3
