/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "temponet-line-reader.h"

#include "temponet-event-table.h"
#include "temponet-read-report.h"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <sys/stat.h>
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
    // A plain byte loop: fields are short, so this beats a memchr call per field.
    fields.clear();
    const char* start = line.data();
    const char* const end = start + line.size();
    for (const char* p = start; p != end; ++p)
    {
        if (*p == delim)
        {
            fields.emplace_back(start, static_cast<size_t>(p - start));
            start = p + 1;
        }
    }
    fields.emplace_back(start, static_cast<size_t>(end - start));
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

bool
ParseWholeNumber(std::string_view s, int64_t& out)
{
    if (ParseInt(s, out))
    {
        return true;
    }
    double d = 0;
    // 2^63 is exactly representable; anything at or beyond it does not fit.
    if (!ParseDouble(s, d) || d != std::floor(d) || d >= 9223372036854775808.0 ||
        d < -9223372036854775808.0)
    {
        return false;
    }
    out = static_cast<int64_t>(d);
    return true;
}

bool
ParseIpAddr(std::string_view s, IpAddr& out)
{
    s = Trim(s);
    // Fast path: a dotted quad without leading zeros.
    const size_t n = s.size();
    if (n >= 7 && n <= 15)
    {
        uint32_t v = 0;
        size_t i = 0;
        int parts = 0;
        while (true)
        {
            const size_t start = i;
            uint32_t octet = 0;
            while (i < n && i - start < 3 && s[i] >= '0' && s[i] <= '9')
            {
                octet = octet * 10 + static_cast<uint32_t>(s[i] - '0');
                ++i;
            }
            const size_t digits = i - start;
            if (digits == 0 || octet > 255 || (digits > 1 && s[start] == '0'))
            {
                break;
            }
            v = (v << 8) | octet;
            if (++parts == 4)
            {
                if (i == n)
                {
                    out = IpAddr::FromV4(v);
                    return true;
                }
                break;
            }
            if (i >= n || s[i] != '.')
            {
                break;
            }
            ++i;
        }
    }
    auto parsed = IpAddr::Parse(s);
    if (!parsed)
    {
        return false;
    }
    out = *parsed;
    return true;
}

uint64_t
EstimateLineCount(const std::string& path, size_t sampleLineBytes)
{
    struct stat st;
    if (sampleLineBytes == 0 || ::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
    {
        return 0;
    }
    uint64_t decoded = static_cast<uint64_t>(st.st_size);
    FILE* f = std::fopen(path.c_str(), "rb");
    if (f == nullptr)
    {
        return 0;
    }
    unsigned char magic[2] = {0, 0};
    const bool gz = std::fread(magic, 1, 2, f) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    if (gz)
    {
        // ISIZE: the decoded size modulo 2^32, little-endian, in the last 4 bytes.
        unsigned char t[4];
        if (st.st_size < 18 || std::fseek(f, -4, SEEK_END) != 0 || std::fread(t, 1, 4, f) != 4)
        {
            decoded = 0;
        }
        else
        {
            const uint64_t isize = uint64_t(t[0]) | (uint64_t(t[1]) << 8) | (uint64_t(t[2]) << 16) |
                                   (uint64_t(t[3]) << 24);
            // A wrapped ISIZE (over 4 GiB decoded) or a cut file: unknown.
            decoded = isize >= decoded ? isize : 0;
        }
    }
    std::fclose(f);
    return decoded / sampleLineBytes;
}

void
ReserveForLines(EventTable& table, const std::string& path, size_t sampleLineBytes)
{
    const uint64_t n = EstimateLineCount(path, sampleLineBytes);
    if (n > 0 && n < (uint64_t(1) << 31))
    {
        table.Reserve(static_cast<size_t>(n + n / 16 + 16));
    }
}

int
FindColumns(const std::vector<std::string_view>& header,
            const char* const* names,
            int count,
            int required,
            int* col)
{
    for (int r = 0; r < count; ++r)
    {
        col[r] = -1;
        for (size_t i = 0; i < header.size(); ++i)
        {
            if (Trim(header[i]) == names[r])
            {
                col[r] = static_cast<int>(i);
                break;
            }
        }
        if (col[r] < 0 && r < required)
        {
            return r;
        }
    }
    return -1;
}

bool
SplitRow(std::string_view line,
         char delim,
         size_t nFields,
         std::vector<std::string_view>& fields,
         const LineReader& reader,
         ReadReport& report)
{
    SplitFields(line, delim, fields);
    if (fields.size() != nFields)
    {
        report.Skip("malformed row",
                    reader.Where(),
                    std::to_string(fields.size()) + " fields, expected " + std::to_string(nFields));
        return false;
    }
    return true;
}

CsvReader::CsvReader(const std::string& path,
                     char delim,
                     const char* const* names,
                     int count,
                     int required,
                     const char* expected)
    : m_reader(path),
      m_delim(delim),
      m_col(static_cast<size_t>(count), -1)
{
    // Header: the first non-blank line.
    std::string_view line;
    bool haveHeader = false;
    while (m_reader.Next(line))
    {
        if (!Trim(line).empty())
        {
            haveHeader = true;
            break;
        }
    }
    if (!haveHeader)
    {
        throw TraceError(path, "line 1", "the file is empty (expected the header line)");
    }
    if (line.substr(0, 3) == "\xEF\xBB\xBF")
    {
        line.remove_prefix(3);
    }
    std::vector<std::string_view> f;
    SplitFields(line, m_delim, f);
    const int missing = FindColumns(f, names, count, required, m_col.data());
    if (missing >= 0)
    {
        throw TraceError(path,
                         m_reader.Where(),
                         std::string("the header has no column \"") + names[missing] +
                             "\" (expected " + expected + ")");
    }
    m_nFields = f.size();
}

void
CsvReader::ReserveIn(EventTable& table)
{
    m_table = table.Empty() ? &table : nullptr;
}

bool
CsvReader::Next(std::vector<std::string_view>& fields, ReadReport& report)
{
    std::string_view line;
    while (m_reader.Next(line))
    {
        if (line.empty() || Trim(line).empty())
        {
            continue;
        }
        if (m_table != nullptr)
        {
            ReserveForLines(*m_table, m_reader.Path(), line.size() + 1);
            m_table = nullptr;
        }
        if (SplitRow(line, m_delim, m_nFields, fields, m_reader, report))
        {
            return true;
        }
    }
    return false;
}

void
ThrowNoUsableRecord(const LineReader& reader, const ReadReport& report)
{
    std::string what = "no usable record";
    if (reader.LineNumber() <= 1)
    {
        what += ": the file has a header but no data";
    }
    else if (report.skipped.empty())
    {
        what += " in " + std::to_string(reader.LineNumber()) + " lines";
    }
    else
    {
        what += "; skipped:";
        for (const auto& [reason, count] : report.skipped)
        {
            what += " " + std::to_string(count) + " " + reason + ",";
        }
        what.pop_back();
        if (!report.examples.empty())
        {
            what += "; first: " + report.examples.front();
        }
    }
    throw TraceError(reader.Path(), reader.Where(), what);
}

} // namespace temponet
} // namespace ns3
