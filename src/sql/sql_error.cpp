// Formats SQL errors with the offending line and a caret under the column.
#include "sql/sql_error.h"

#include <fmt/format.h>

namespace sluice::sql {

std::string FormatSqlError(std::string_view sql, SourcePos pos, std::string_view message) {
  std::string out = fmt::format("line {}, column {}: {}", pos.line, pos.column, message);
  // Find the line by counting newlines: positions from the lexer are trusted but clamp anyway.
  size_t begin = 0;
  for (int line = 1; line < pos.line && begin < sql.size(); ++line) {
    size_t newline = sql.find('\n', begin);
    if (newline == std::string_view::npos) break;
    begin = newline + 1;
  }
  size_t end = sql.find('\n', begin);
  std::string_view text = sql.substr(begin, end == std::string_view::npos ? sql.npos : end - begin);
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  if (text.empty()) return out;
  // The caret goes under the column-th character; count bytes that start a UTF-8 character, and
  // keep tabs so the caret lines up in a terminal.
  std::string caret;
  int column = 1;
  for (size_t i = 0; i < text.size() && column < pos.column; ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if ((c & 0xC0) == 0x80) continue;
    caret += c == '\t' ? '\t' : ' ';
    ++column;
  }
  out += fmt::format("\n  {}\n  {}^", text, caret);
  return out;
}

void ThrowSqlError(std::string_view sql, SourcePos pos, std::string_view message, ErrorKind kind) {
  throw Error(kind, FormatSqlError(sql, pos, message));
}

}  // namespace sluice::sql
