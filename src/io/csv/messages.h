// The words of CSV reading errors, in one place so that they read alike: every message names the
// file and the 1-based physical line (newlines inside quoted fields count), then the column when
// there is one, then what the user can do about it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/types.h"
#include "io/csv/column_convert.h"
#include "io/csv/tokenizer.h"

namespace sluice::io::csv {

/// `'data.csv', line 7: a quote inside an unquoted field; ...`. `columns` is the expected field
/// count of a ragged row.
std::string ParseErrorMessage(const std::string& path, int64_t line, const ParseError& error,
                              uint32_t columns, CsvReadOptions::Ragged ragged, const uint8_t* data);

/// `'data.csv', line 812345, column price: 'n/a' is not a float64; pass --null-string or a
/// schema override`, or the invalid-UTF-8 form of it.
std::string ValueErrorMessage(const std::string& path, int64_t line, const std::string& column,
                              const DataType& type, const ValueError& error);

/// Shows a value in a message: at most 60 bytes, control and non-ASCII bytes as \xNN when they
/// are not valid UTF-8.
std::string QuoteValue(std::string_view value);

}  // namespace sluice::io::csv
