// Sniffing, the way DuckDB's read_csv does it: from the first rows of a file, pick the delimiter,
// decide whether the first row is a header, name the columns and infer their types, so that
// `sluice head data.csv` works with no options. Every choice the user made is taken as given.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/types.h"
#include "io/csv/read_options.h"
#include "io/csv/tokenizer.h"

namespace sluice::io::csv {

/// The candidates, in order of preference when they split rows equally well.
inline constexpr char kDelimiterCandidates[] = {',', ';', '\t', '|'};

/// Picks the candidate that splits the first rows (up to 1000, and up to max_rows) of
/// data[begin, end) (complete rows) into the most consistent number of fields, more than one if
/// any does; ',' when none splits at all.
char SniffDelimiter(const CsvReadOptions& options, const uint8_t* data, size_t begin, size_t end,
                    int64_t max_rows);

/// Tells whether an unquoted field is null: it is empty or equal to a null string.
bool IsNullString(std::string_view value, const std::vector<std::string>& null_strings);

/// What the first rows of a file say about its columns.
struct SniffedSchema {
  bool header = false;
  uint32_t columns = 0;
  std::vector<std::string> names;       ///< Unique, never empty: `column0`.. stand in.
  std::vector<std::string> header_row;  ///< The header's fields as written (if header).
  std::vector<DataType> types;          ///< Inferred from the sample (bool .. timestamp, utf8).
};

/// Decides the header (unless options.header is set: DuckDB's rule, a header when every column
/// is text, when the first row is all null, or when a value of the first row does not fit its
/// column's type), names the columns and infers types from the other rows. `rows` holds the
/// sample; `first_line` is the line of its first row, for the invalid-UTF-8 error of a header.
SniffedSchema SniffSchema(const Dialect& dialect, const CsvReadOptions& options,
                          const uint8_t* data, const SniffedRows& rows, const std::string& path,
                          int64_t first_line);

/// Reads the first row's fields as header names are read: unescaped, surrounding spaces trimmed.
std::vector<std::string> HeaderFields(const Dialect& dialect, const uint8_t* data,
                                      const SniffedRows& rows);

/// Makes names unique the way DuckDB does (`a`, `a_1`, ...) and fills empty ones (`column0`).
std::vector<std::string> MakeColumnNames(const std::vector<std::string>& raw, uint32_t columns);

}  // namespace sluice::io::csv
