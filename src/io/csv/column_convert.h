// Turns tokenized fields into Arrow-layout columns, one column of one batch per call so that the
// scanner can convert every (batch, column) pair of a block in parallel. A value that does not
// parse stops the conversion and is reported back (never thrown from the loop); the scanner
// names the file, line and column in one error.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/column.h"
#include "io/csv/tokenizer.h"

namespace sluice::io::csv {

/// Rows [begin, end) of a tokenized chunk whose fields point into `data`. A batch is a list of
/// slices, so it may span chunks and blocks without copying their bytes.
struct RowSlice {
  const ChunkRows* chunk = nullptr;
  const uint8_t* data = nullptr;
  int64_t begin = 0;
  int64_t end = 0;
};

/// The first value of a column that could not be converted.
struct ValueError {
  int64_t row = -1;      ///< Row in the batch; -1 when there was none.
  bool utf8 = false;     ///< Not valid UTF-8 (rather than not of the column's type).
  uint8_t bad_byte = 0;  ///< The invalid byte, when utf8.
  std::string value;     ///< The field's text.

  explicit operator bool() const { return row >= 0; }
};

/// What every conversion of a scan shares.
struct ConvertOptions {
  Dialect dialect;
  std::vector<std::string> null_strings;
  bool empty_is_null = true;  ///< "" is among the null strings (the common case, checked first).
  bool other_nulls = false;   ///< Some null string is not "".

  uint32_t slots = 0;  ///< Field references per tokenized row.
  MemoryPool* pool = MemoryPool::Default();
};

/// Throws ThrowUnsupported when CSV text cannot be read as `type` (uuid, time, ...), naming the
/// column; called once per column before any reading.
void CheckConvertible(const DataType& type, const std::string& column);

/// Converts the field in `slot` of every row of `slices` (rows in all) to a column of `type`.
/// Unquoted null strings, padded fields and, for non-text types, blank fields become nulls; a
/// quoted empty field is an empty string in a text column and null in any other. On a value that
/// does not parse (or invalid UTF-8 in a utf8 column) it fills *error and returns early with a
/// column that must not be used. With a `selection` (ascending rows of the slices), only those
/// rows are converted, into a column of selection->size() rows (and error->row counts them).
Column ConvertColumn(const ConvertOptions& options, const std::vector<RowSlice>& slices,
                     int64_t rows, uint32_t slot, const DataType& type, ValueError* error,
                     const std::vector<int64_t>* selection = nullptr);

}  // namespace sluice::io::csv
