// The SQL lexer: text to tokens, each with its place (line and column in UTF-8 characters, byte
// offset) so that every later error can point at it. Unquoted identifiers are lower-cased (as
// PostgreSQL and DuckDB fold them); keywords are identifiers the parser recognizes by text.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sql/ast.h"

namespace sluice::sql {

enum class TokenKind : uint8_t {
  kIdentifier,        ///< Unquoted word (keywords too); text lower-cased.
  kQuotedIdentifier,  ///< "Quoted" identifier; text as written, "" unescaped.
  kString,            ///< '...' or E'...'; text unescaped.
  kInteger,           ///< Digits only; text as written.
  kDecimal,           ///< 0.2, .5, 1e10, 1.5E-3; text as written.
  kOperator,          ///< + - * / // % || = <> != < <= > >= :: := => ( ) , . ; ? [ ] :
  kParameter,         ///< `?` (text empty) or `$1` (text "1").
  kEnd,               ///< End of input (always the last token).
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string text;      ///< See TokenKind.
  std::string_view raw;  ///< The token's source text (for messages and statement text).
  SourcePos pos;         ///< Where the token starts.

  bool IsOperator(std::string_view op) const { return kind == TokenKind::kOperator && text == op; }
  /// An unquoted identifier spelled `word` (lower-case), i.e. a keyword.
  bool IsWord(std::string_view word) const {
    return kind == TokenKind::kIdentifier && text == word;
  }
};

/// Splits `sql` into tokens, ending with a kEnd token placed at the end of the text. Comments
/// (`-- ...`, nested `/* ... */`) and white space are dropped. Throws sluice::Error (via
/// ThrowSqlError) on an unterminated string, quoted identifier or comment (naming where it
/// began) and on a character that starts no token.
std::vector<Token> Tokenize(std::string_view sql);

/// How a token reads in a message: `"FORM"`, `"'abc'"`, or `end of input`.
std::string DescribeToken(const Token& token);

}  // namespace sluice::sql
