// Error messages of the CSV reader.
#include "io/csv/messages.h"

#include <fmt/format.h>

#include <algorithm>

#include "io/csv/value_parse.h"

namespace sluice::io::csv {

std::string QuoteValue(std::string_view value) {
  constexpr size_t kMaxShown = 60;
  bool cut = value.size() > kMaxShown;
  if (cut) value = value.substr(0, kMaxShown);
  bool valid = FindInvalidUtf8(value) == value.size();
  std::string out = "'";
  for (char c : value) {
    auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f || (byte >= 0x80 && !valid)) {
      out += fmt::format("\\x{:02x}", byte);
    } else {
      out += c;
    }
  }
  out += cut ? "'..." : "'";
  return out;
}

std::string ParseErrorMessage(const std::string& path, int64_t line, const ParseError& error,
                              uint32_t columns, CsvReadOptions::Ragged ragged,
                              const uint8_t* data) {
  std::string where = fmt::format("'{}', line {}", path, line);
  switch (error.code) {
    case ParseErrorCode::kNone: break;
    case ParseErrorCode::kNulByte:
      return fmt::format("{}: a NUL byte; this looks like a binary file, not CSV", where);
    case ParseErrorCode::kQuoteInUnquotedField:
      return fmt::format(
          "{}: a quote inside an unquoted field; quote the whole field and double the quotes in "
          "it (RFC 4180), or set another quote character",
          where);
    case ParseErrorCode::kCharAfterClosingQuote:
      return fmt::format(
          "{}: {} after a closing quote; a quoted field must end at a delimiter or a line end",
          where,
          QuoteValue(std::string_view(reinterpret_cast<const char*>(data) + error.offset, 1)));
    case ParseErrorCode::kUnterminatedQuote:
      return fmt::format(
          "{}: unterminated quoted field: the quote opened on this line never closes", where);
    case ParseErrorCode::kTooFewFields:
    case ParseErrorCode::kTooManyFields: {
      std::string hint =
          error.code == ParseErrorCode::kTooManyFields && ragged == CsvReadOptions::Ragged::kPad
              ? "--ragged pad only fills short rows; pass --ragged skip to skip long ones"
              : "pass --ragged pad to fill short rows with nulls, or --ragged skip to skip them";
      return fmt::format("{}: expected {} fields but found {}; {}", where, columns, error.fields,
                         hint);
    }
  }
  return where + ": malformed CSV";
}

std::string ValueErrorMessage(const std::string& path, int64_t line, const std::string& column,
                              const DataType& type, const ValueError& error) {
  if (error.utf8) {
    return fmt::format(
        "'{}', line {}, column {}: invalid UTF-8 (byte {:#04x}) in {}; read the column as binary "
        "with a schema override",
        path, line, column, error.bad_byte, QuoteValue(error.value));
  }
  bool vowel = type.IsInteger() && type.IsSignedInteger();  // int8 .. int64 read "an int64".
  return fmt::format(
      "'{}', line {}, column {}: {} is not {} {}; pass --null-string or a schema "
      "override",
      path, line, column, QuoteValue(error.value), vowel ? "an" : "a", type.ToString());
}

}  // namespace sluice::io::csv
