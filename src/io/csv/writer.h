// Writes batches to one CSV file, atomically: the file appears under its name, complete, only when
// Close succeeds; an error or a destroyed writer leaves no partial file and any earlier file
// intact. Fields are quoted as RFC 4180 says (and where a reader could otherwise misread them),
// values are rendered in forms DuckDB, Polars and sluice read back exactly (ISO dates and
// timestamps, shortest round-trip floats, decimals with their scale), and the bytes depend only
// on the rows and the options.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/batch.h"
#include "core/memory_pool.h"
#include "io/fs/atomic_file.h"

namespace sluice::io::csv {

struct CsvWriteOptions {
  char delimiter = ',';
  char quote = '"';
  /// Writes the column names as the first line.
  bool header = true;
  /// Stands for a null value. Non-null values that would read back as this text (the empty
  /// string, with the default) are quoted, so that a reader can tell the two apart.
  std::string null_string;
};

/// Formats batches row by row into a large buffer and hands it to an AtomicFileWriter. Lines end
/// with "\n" (as DuckDB and Polars write them); no byte-order mark is written.
///
/// Rendering, per type:
///   bool           true / false
///   integers       decimal digits
///   float32/64     shortest text that reads back as the same value, with ".0" when it would
///                  look like an integer (2.0, -0.0); nan, inf, -inf
///   decimal(p,s)   exactly s digits after the point: 12.30
///   date32         2024-03-01 (years outside 0..9999 as -1-01-01 or 10000-01-01)
///   timestamp      2024-03-01 12:00:00.123456; with a time zone the UTC instant and a Z suffix
///   time64         12:00:00.5; UTC-adjusted times with a +00 suffix (DuckDB reads a Z time as
///                  NULL without complaint)
///   duration       1 days 02:03:04.5 (DuckDB's interval text)
///   utf8           the bytes as they are
///   binary         printable ASCII as is, every other byte (and the backslash) as \xNN, which is
///                  how DuckDB writes and reads BLOB text
///   uuid           canonical lowercase 8-4-4-4-12
/// Fractions of a second keep the digits of their unit, with trailing groups of three zeros
/// dropped (.5 microseconds prints .500), as core/temporal.h renders them.
class CsvWriter {
 public:
  /// Creates the temporary file beside `path` and writes the header. Throws ThrowInvalid for
  /// options that cannot produce a readable file (a delimiter equal to the quote, a line break
  /// as delimiter, a null string that would need quoting) and ThrowIo when the directory is not
  /// writable.
  CsvWriter(const std::string& path, const Schema& schema, CsvWriteOptions options = {});
  ~CsvWriter();

  CsvWriter(const CsvWriter&) = delete;
  CsvWriter& operator=(const CsvWriter&) = delete;

  /// Appends the rows of `batch`, whose columns must have the writer's types.
  void Write(const Batch& batch);
  /// Hands the text so far to the file and frees the buffer until the next Write: for a file
  /// that stays open while others are written (one of a hundred partitions' files).
  void ReleaseBuffer();
  /// Flushes the last bytes and publishes the file. Calling it again does nothing.
  void Close();

  int64_t rows_written() const { return rows_written_; }
  /// Counts every byte of the file so far, buffered or not.
  uint64_t bytes_written() const { return file_.bytes_written() + buffer_used_; }

  /// How one column's values are rendered; built once per file, bound to a column per batch.
  struct ColumnFormat;

 private:
  void WriteHeader();
  /// Makes room for `bytes` more bytes after `out` (a position in buffer_) and returns `out`,
  /// moved if the buffer moved.
  char* Reserve(char* out, size_t bytes);
  /// Hands the formatted bytes before `out` to the file and returns the buffer's start.
  char* Flush(char* out);

  Schema schema_;
  CsvWriteOptions options_;
  AtomicFileWriter file_;
  std::vector<ColumnFormat> formats_;
  /// Bytes a row of fixed-width columns can take at most (every value at its widest, plus
  /// delimiters and the newline); variable-width columns reserve for themselves.
  size_t max_fixed_row_bytes_ = 0;
  /// Formatted text waiting for the file. Its size is its capacity: buffer_used_ bytes are
  /// meaningful, the rest is scratch that Reserve grows.
  std::string buffer_;
  size_t buffer_used_ = 0;
  /// Charges buffer_ to the default pool, so that --memory-limit also bounds a CSV sink.
  MemoryReservation reservation_;
  int64_t rows_written_ = 0;
  bool closed_ = false;
};

}  // namespace sluice::io::csv
