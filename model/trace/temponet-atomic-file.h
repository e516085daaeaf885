/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef TEMPONET_ATOMIC_FILE_H
#define TEMPONET_ATOMIC_FILE_H

#include <cstdio>
#include <string>

namespace ns3
{
namespace temponet
{

/**
 * \ingroup temponet
 * \brief An output file that appears under its name only when complete.
 *
 * Writes go to a temporary file beside the target; Commit() flushes, checks
 * for write errors and renames it into place. If Commit() is never reached
 * (an exception, a crash of the writer's logic) the destructor removes the
 * temporary file, so no partial output is ever left looking complete.
 */
class AtomicFile
{
  public:
    /// Creates the temporary file for \p path; throws TraceError on failure.
    explicit AtomicFile(const std::string& path);
    ~AtomicFile();
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    /// \return the stream to write to.
    FILE* Stream()
    {
        return m_file;
    }

    /// Writes \p n bytes; throws TraceError on failure.
    void Write(const void* data, size_t n);

    /// Flushes, closes and renames into place; throws TraceError on failure.
    void Commit();

  private:
    std::string m_path;    //!< Final path.
    std::string m_tmp;     //!< Temporary path.
    FILE* m_file{nullptr}; //!< Open temporary file.
};

} // namespace temponet
} // namespace ns3

#endif /* TEMPONET_ATOMIC_FILE_H */
