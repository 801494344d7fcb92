// Splits CSV bytes into rows and fields without copying them (RFC 4180: quoted delimiters,
// doubled quotes, newlines inside quotes, LF or CRLF line ends). Parsing is in two steps so that
// chunks of one block can be parsed on many threads: PlanChunks walks the block once, quickly,
// tracking only the quote state, and cuts it at row starts (the standard approach, exact for any
// dialect: the cuts are where a sequential parser would be at a row start); TokenizeChunk then
// splits each chunk into field references on its own thread. Neither throws on bad input: each
// records the first problem with its byte offset, and the scanner turns that into one error
// naming the line.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "io/csv/read_options.h"

namespace sluice::io::csv {

/// The characters that give CSV bytes their structure, resolved from CsvReadOptions.
struct Dialect {
  char delimiter = ',';
  char quote = '"';     ///< '\0': no quoting.
  char escape = '\0';   ///< '\0': a quote inside a quoted field is written twice.
  char comment = '\0';  ///< '\0': no comment lines.
};

/// Checks that the characters can be told apart (a delimiter that is also the quote cannot be
/// parsed) and throws ThrowInvalid naming the clash otherwise.
Dialect MakeDialect(const CsvReadOptions& options, char delimiter);

/// Where one field's bytes are in the block, and how to read them. Offsets are 32-bit because
/// blocks are bounded (kMaxBlockBytes), which halves the memory of a tokenized chunk.
struct FieldRef {
  static constexpr uint32_t kQuoted = 1u << 31;   ///< Was quoted: never a null string.
  static constexpr uint32_t kEscaped = 1u << 30;  ///< Holds doubled quotes or escapes to resolve.
  static constexpr uint32_t kMissing = 1u << 29;  ///< Padded in for a short row: null.
  static constexpr uint32_t kSizeMask = kMissing - 1;

  // No initializers: arrays of millions of these are allocated without being cleared first.
  uint32_t offset;
  uint32_t size_flags;

  /// The reference of a field padded in for a short row.
  static constexpr FieldRef Missing() { return {0, kMissing}; }

  uint32_t size() const { return size_flags & kSizeMask; }
  bool quoted() const { return (size_flags & kQuoted) != 0; }
  bool escaped() const { return (size_flags & kEscaped) != 0; }
  bool missing() const { return (size_flags & kMissing) != 0; }
  std::string_view View(const uint8_t* data) const {
    return {reinterpret_cast<const char*>(data) + offset, size()};
  }
};

/// The most bytes one block (and hence one row) may hold; a longer row is reported rather than
/// buffered without limit. Well below 2^29, the largest field size a FieldRef holds.
inline constexpr size_t kMaxRowBytes = size_t{256} << 20;
/// Bytes a block buffer must have beyond its data: a sentinel newline and whole-word reads.
inline constexpr size_t kBlockPadding = 64;

/// Names the first structural problem found in some bytes. Documented case by case.
enum class ParseErrorCode : uint8_t {
  kNone,
  kNulByte,                ///< A `\0` byte: CSV is text; this is most likely a binary file.
  kQuoteInUnquotedField,   ///< `ab"c`: RFC 4180 allows quotes only in quoted fields.
  kCharAfterClosingQuote,  ///< `"ab"c`: a quoted field must end at a delimiter or line end.
  kUnterminatedQuote,      ///< A quote opened (at `offset`) that the input never closes.
  kTooFewFields,           ///< A row with fewer fields than the header (`fields` has the count).
  kTooManyFields,          ///< A row with more fields than the header.
};

struct ParseError {
  ParseErrorCode code = ParseErrorCode::kNone;
  size_t offset = 0;    ///< Of the bad byte, the opening quote, or the ragged row's start.
  uint32_t fields = 0;  ///< Fields found in a ragged row.

  explicit operator bool() const { return code != ParseErrorCode::kNone; }
};

/// How rows map to output: which fields are kept, and where.
struct RowLayout {
  uint32_t columns = 0;          ///< Fields every row must have.
  std::vector<int32_t> slot_of;  ///< Per field: its slot in a tokenized row, or -1 (not read).
  uint32_t slots = 0;            ///< Fields kept per row.
  CsvReadOptions::Ragged ragged = CsvReadOptions::Ragged::kError;
};

/// The rows of one chunk, tokenized: `slots` field references per row, row-major.
struct ChunkRows {
  ChunkRows() = default;
  /// Charges the field references to `pool` (when given), like the blocks they point into.
  explicit ChunkRows(MemoryPool* pool) : pool(pool) {}
  ~ChunkRows() {
    if (pool != nullptr) pool->Release(static_cast<int64_t>(field_capacity * sizeof(FieldRef)));
  }
  ChunkRows(const ChunkRows&) = delete;
  ChunkRows& operator=(const ChunkRows&) = delete;

  MemoryPool* pool = nullptr;
  size_t begin = 0;  ///< Block offsets of the chunk's bytes.
  size_t end = 0;
  std::unique_ptr<FieldRef[]> fields;  ///< rows × slots; reused across blocks, so grown only.
  size_t field_capacity = 0;
  std::vector<uint32_t> row_offsets;  ///< Block offset where each row starts (for line numbers).
  int64_t rows = 0;
  int64_t skipped = 0;     ///< Ragged rows dropped under Ragged::kSkip.
  int64_t newlines = 0;    ///< Newline bytes in [begin, end), to number the lines of later chunks.
  int64_t first_line = 0;  ///< The line number at `begin`; set by the scanner.
  ParseError error;        ///< Tokenizing stopped here; the rows before it are complete.
};

/// Tokenizes the rows in data[begin, end), which must start at a row start and end just after a
/// newline outside quotes (as PlanChunks cuts them). Blank lines and comment lines are skipped.
void TokenizeChunk(const Dialect& dialect, const RowLayout& layout, const uint8_t* data,
                   size_t begin, size_t end, ChunkRows* out);

/// Every field of the first rows, for sniffing: the number of fields may differ by row.
struct SniffedRows {
  std::vector<FieldRef> fields;
  std::vector<uint32_t> row_begin;  ///< Index of each row's first field in `fields`; rows + 1.
  std::vector<size_t> row_starts;   ///< Block offset where each row starts...
  std::vector<size_t> row_ends;     ///< ...and just after its newline.
  ParseError error;                 ///< Stopped here before reaching max_rows.

  int64_t rows() const { return static_cast<int64_t>(row_begin.size()) - 1; }
  uint32_t FieldCount(int64_t row) const { return row_begin[row + 1] - row_begin[row]; }
  const FieldRef& Field(int64_t row, uint32_t i) const { return fields[row_begin[row] + i]; }
};

/// Tokenizes up to max_rows rows of data[begin, end), with the same contract as TokenizeChunk.
void SniffRows(const Dialect& dialect, const uint8_t* data, size_t begin, size_t end,
               int64_t max_rows, SniffedRows* out);

/// Tokenizes data[begin, end) (with the same contract) keeping nothing, and returns the first
/// structural error, if any: to diagnose bytes that PlanChunks could not cut into rows.
ParseError CheckRows(const Dialect& dialect, const uint8_t* data, size_t begin, size_t end);

/// Row-aligned cuts of a block, and the quote state at its end.
struct ChunkPlan {
  /// cuts[0] is the start; each next cut is the first row start at least chunk_bytes further,
  /// and the last is the end of the last complete row (equal to the start when there is none).
  std::vector<size_t> cuts;
  int64_t lines = 0;         ///< Line ends outside quotes (blank and comment lines included).
  bool open_quote = false;   ///< The bytes end inside a quoted field...
  size_t open_quote_at = 0;  ///< ...opened here.
};

/// Walks data[begin, size) from a row start, tracking only quotes, escapes, newlines and comment
/// lines (the delimiter plays no part in where rows end), and cuts it at row starts. This is the
/// one sequential pass over the input, so it works on bitmasks of 64 bytes: without an escape
/// character the quote state is a prefix XOR of the quote bits, and a block without quotes costs
/// a few instructions however many rows end in it (chunk_planner.cpp). With max_lines it stops
/// after that many row ends (blank and comment lines included): the sniffer's sample.
ChunkPlan PlanChunks(const Dialect& dialect, const uint8_t* data, size_t begin, size_t size,
                     size_t chunk_bytes, int64_t max_lines = INT64_MAX);

/// Counts the newline bytes in data[begin, end), 16 bytes at a time with SSE2.
int64_t CountNewlines(const uint8_t* data, size_t begin, size_t end);

/// Writes the content of a quoted field with its doubled quotes and escapes resolved to dst
/// (which has room for raw.size() bytes) and returns the bytes written.
size_t Unescape(const Dialect& dialect, std::string_view raw, char* dst);

}  // namespace sluice::io::csv
