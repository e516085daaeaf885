/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "temponet-line-reader.h"

#include "temponet-read-report.h"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <zlib.h>

namespace ns3
{
namespace temponet
{

namespace
{
constexpr size_t kBufferBytes = 1 << 20;
} // namespace

LineReader::LineReader(const std::string& path)
    : m_path(path),
      m_buf(kBufferBytes)
{
    gzFile gz = gzopen(path.c_str(), "rb");
    if (gz == nullptr)
    {
        throw TraceError(path, "", std::string("cannot open: ") + std::strerror(errno));
    }
    gzbuffer(gz, 1 << 18);
    m_gz = gz;
}

LineReader::~LineReader()
{
    if (m_gz != nullptr)
    {
        gzclose(static_cast<gzFile>(m_gz));
    }
}

std::string
LineReader::Where() const
{
    return "line " + std::to_string(m_lineNo);
}

bool
LineReader::Fill()
{
    if (m_eof)
    {
        return false;
    }
    // Keep the unread tail at the front of the buffer.
    if (m_begin > 0)
    {
        std::memmove(m_buf.data(), m_buf.data() + m_begin, m_end - m_begin);
        m_end -= m_begin;
        m_begin = 0;
    }
    auto gz = static_cast<gzFile>(m_gz);
    int n = gzread(gz, m_buf.data() + m_end, static_cast<unsigned>(m_buf.size() - m_end));
    if (n < 0)
    {
        int err = 0;
        const char* msg = gzerror(gz, &err);
        throw TraceError(m_path,
                         "after line " + std::to_string(m_lineNo),
                         std::string("read error: ") + msg);
    }
    if (n == 0)
    {
        int err = 0;
        const char* msg = gzerror(gz, &err);
        if (err != Z_OK)
        {
            throw TraceError(m_path,
                             "after line " + std::to_string(m_lineNo),
                             std::string("compressed stream is corrupt or cut short: ") + msg);
        }
        m_eof = true;
        return false;
    }
    m_end += static_cast<size_t>(n);
    return true;
}

bool
LineReader::Next(std::string_view& line)
{
    m_carry.clear();
    while (true)
    {
        const char* start = m_buf.data() + m_begin;
        const void* nl = std::memchr(start, '\n', m_end - m_begin);
        if (nl != nullptr)
        {
            size_t len = static_cast<const char*>(nl) - start;
            m_begin += len + 1;
            ++m_lineNo;
            if (m_carry.empty())
            {
                line = std::string_view(start, len);
            }
            else
            {
                m_carry.append(start, len);
                line = m_carry;
            }
            if (!line.empty() && line.back() == '\r')
            {
                line.remove_suffix(1);
            }
            return true;
        }
        if (m_end - m_begin == m_buf.size())
        {
            // The buffer holds part of one very long line: move it aside.
            m_carry.append(m_buf.data() + m_begin, m_end - m_begin);
            m_begin = m_end = 0;
        }
        if (!Fill())
        {
            if (m_end > m_begin || !m_carry.empty())
            {
                // Last line without a newline.
                m_carry.append(m_buf.data() + m_begin, m_end - m_begin);
                m_begin = m_end;
                ++m_lineNo;
                line = m_carry;
                if (!line.empty() && line.back() == '\r')
                {
                    line.remove_suffix(1);
                }
                return true;
            }
            return false;
        }
    }
}

void
SplitFields(std::string_view line, char delim, std::vector<std::string_view>& fields)
{
    fields.clear();
    size_t start = 0;
    while (true)
    {
        size_t pos = line.find(delim, start);
        if (pos == std::string_view::npos)
        {
            fields.push_back(line.substr(start));
            return;
        }
        fields.push_back(line.substr(start, pos - start));
        start = pos + 1;
    }
}

std::string_view
Trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    {
        s.remove_suffix(1);
    }
    return s;
}

bool
ParseInt(std::string_view s, int64_t& out)
{
    s = Trim(s);
    if (!s.empty() && s.front() == '+')
    {
        s.remove_prefix(1);
    }
    if (s.empty())
    {
        return false;
    }
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && ptr == s.data() + s.size();
}

bool
ParseDouble(std::string_view s, double& out)
{
    s = Trim(s);
    if (!s.empty() && s.front() == '+')
    {
        s.remove_prefix(1);
    }
    if (s.empty())
    {
        return false;
    }
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && ptr == s.data() + s.size() && std::isfinite(out);
}

} // namespace temponet
} // namespace ns3
