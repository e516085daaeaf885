/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef TEMPONET_LINE_READER_H
#define TEMPONET_LINE_READER_H

#include "temponet-ip-addr.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ns3
{
namespace temponet
{

/**
 * \ingroup temponet
 * \brief Reads a text file line by line, gzip'd or plain (detected from the
 * content), with bounded memory.
 *
 * Line endings "\n" and "\r\n" are both accepted; the returned view excludes
 * them and stays valid until the next call to Next(). A gzip stream that is
 * cut short or corrupt raises TraceError naming the file and line.
 */
class LineReader
{
  public:
    /// Opens \p path; throws TraceError if it cannot be opened.
    explicit LineReader(const std::string& path);
    ~LineReader();
    LineReader(const LineReader&) = delete;
    LineReader& operator=(const LineReader&) = delete;

    /**
     * \param[out] line the next line.
     * \return false at end of file.
     */
    bool Next(std::string_view& line);

    /// \return the 1-based number of the line last returned.
    uint64_t LineNumber() const
    {
        return m_lineNo;
    }

    /// \return the path.
    const std::string& Path() const
    {
        return m_path;
    }

    /// \return "line N" for error messages.
    std::string Where() const;

  private:
    /// Reads more bytes into the buffer; \return false at end of file.
    bool Fill();

    std::string m_path;      //!< File path.
    void* m_gz{nullptr};     //!< zlib gzFile handle.
    std::vector<char> m_buf; //!< Read buffer.
    size_t m_begin{0};       //!< Start of unread data in m_buf.
    size_t m_end{0};         //!< End of valid data in m_buf.
    bool m_eof{false};       //!< No more input.
    uint64_t m_lineNo{0};    //!< Lines returned so far.
    std::string m_carry;     //!< A line longer than the buffer.
};

/**
 * \brief Splits \p line at \p delim into \p fields (views into \p line).
 * No quoting: the formats read here never quote.
 */
void SplitFields(std::string_view line, char delim, std::vector<std::string_view>& fields);

/// \return \p s without leading and trailing spaces and tabs.
std::string_view Trim(std::string_view s);

/// Parses a whole decimal integer (surrounding blanks allowed). \return false if not one.
bool ParseInt(std::string_view s, int64_t& out);

/// Parses a whole decimal or scientific floating-point number. \return false if not one.
bool ParseDouble(std::string_view s, double& out);

/**
 * Parses a whole number, also when written as a floating-point number with
 * no fraction ("443.0", as pandas writes integer columns that have gaps).
 * \return false if \p s is not a whole number in the int64 range.
 */
bool ParseWholeNumber(std::string_view s, int64_t& out);

/**
 * Parses a dotted-quad IPv4 or a textual IPv6 address (surrounding blanks
 * allowed), without allocating; dotted quads take a fast path.
 * \return false if \p s is not an address.
 */
bool ParseIpAddr(std::string_view s, IpAddr& out);

/**
 * Estimates how many lines \p path holds, for reserving table room: its
 * decoded size (the file size, or the gzip trailer's ISIZE) divided by
 * \p sampleLineBytes (a typical line's length with its newline).
 * \return the estimate, or 0 when the size is unknown.
 */
uint64_t EstimateLineCount(const std::string& path, size_t sampleLineBytes);

struct ReadReport;
class EventTable;

/**
 * Reserves room in \p table for the lines of \p path, estimated with
 * EstimateLineCount from \p sampleLineBytes (a data line's length with its
 * newline) plus a margin; does nothing when the estimate is unknown or huge.
 */
void ReserveForLines(EventTable& table, const std::string& path, size_t sampleLineBytes);

/**
 * Finds the column of each name in \p header (fields compared after Trim).
 * \param header the header's fields.
 * \param names the column names, by role.
 * \param count the number of roles.
 * \param[out] col the field index of each role, or -1 when absent (\p count entries).
 * \return the first role among the first \p required that has no column, or -1.
 */
int FindColumns(const std::vector<std::string_view>& header,
                const char* const* names,
                int count,
                int required,
                int* col);

/**
 * Splits a data row \p line at \p delim into \p fields; a row whose field
 * count differs from \p nFields is counted in \p report as a "malformed row".
 * \return true if the row has \p nFields fields.
 */
bool SplitRow(std::string_view line,
              char delim,
              size_t nFields,
              std::vector<std::string_view>& fields,
              const LineReader& reader,
              ReadReport& report);

/**
 * \ingroup temponet
 * \brief Reads a delimited text file whose first non-blank line is a header
 * naming its columns (a leading UTF-8 byte-order mark is ignored).
 *
 * Columns are found by name, so their order may change and extra columns are
 * ignored. Next() returns the data rows that have as many fields as the
 * header, skipping blank lines and counting the others as "malformed row".
 */
class CsvReader
{
  public:
    /**
     * Opens \p path and reads its header; throws TraceError if the file
     * cannot be opened, is empty, or lacks one of the required columns.
     * \param path the file.
     * \param delim the field delimiter.
     * \param names the column names, by role.
     * \param count the number of roles.
     * \param required the number of leading roles whose column must be present.
     * \param expected the expected header, for the missing-column message.
     */
    CsvReader(const std::string& path,
              char delim,
              const char* const* names,
              int count,
              int required,
              const char* expected);

    /// \return the field index of role \p role, or -1 when absent.
    int Column(int role) const
    {
        return m_col[role];
    }

    /// \return the field index of each role, or -1 when absent.
    const std::vector<int>& Columns() const
    {
        return m_col;
    }

    /// \return the number of fields in the header.
    size_t FieldCount() const
    {
        return m_nFields;
    }

    /**
     * Reserves room in \p table once, sized from the first data row, unless
     * \p table already holds events.
     */
    void ReserveIn(EventTable& table);

    /**
     * \param[out] fields the next data row with the header's field count.
     * \param report counts the rows skipped as malformed.
     * \return false at end of file.
     */
    bool Next(std::vector<std::string_view>& fields, ReadReport& report);

    /// \return the underlying line reader.
    const LineReader& Lines() const
    {
        return m_reader;
    }

    /// \return "line N" for error messages.
    std::string Where() const
    {
        return m_reader.Where();
    }

  private:
    LineReader m_reader;          //!< The lines.
    char m_delim;                 //!< Field delimiter.
    std::vector<int> m_col;       //!< Field index of each role, or -1.
    size_t m_nFields{0};          //!< Fields in the header.
    EventTable* m_table{nullptr}; //!< Table still to reserve room in, if any.
};

/**
 * Throws the TraceError for a file that gave no usable record: it names the
 * file, the last line read, the skipped records by reason and the first example.
 */
[[noreturn]] void ThrowNoUsableRecord(const LineReader& reader, const ReadReport& report);

} // namespace temponet
} // namespace ns3

#endif /* TEMPONET_LINE_READER_H */
