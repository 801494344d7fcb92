// The SQL lexer (see lexer.h). One pass over the bytes, tracking line and column as it goes;
// columns count UTF-8 characters (bytes that are not continuation bytes), so a caret lines up
// under non-ASCII text.
#include "sql/lexer.h"

#include <fmt/format.h>

#include <algorithm>

#include "sql/sql_error.h"

namespace sluice::sql {
namespace {

bool IsIdentStart(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}
bool IsIdentChar(unsigned char c) {
  return IsIdentStart(c) || (c >= '0' && c <= '9') || c == '$';
}
bool IsDigit(unsigned char c) {
  return c >= '0' && c <= '9';
}
bool IsSpace(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

class Lexer {
 public:
  explicit Lexer(std::string_view sql) : sql_(sql) {}

  std::vector<Token> Run() {
    std::vector<Token> tokens;
    while (true) {
      SkipSpaceAndComments();
      Token token;
      token.pos = Pos();
      size_t start = i_;
      if (i_ >= sql_.size()) {
        token.kind = TokenKind::kEnd;
        token.raw = sql_.substr(sql_.size());
        tokens.push_back(std::move(token));
        return tokens;
      }
      LexToken(&token);
      token.raw = sql_.substr(start, i_ - start);
      tokens.push_back(std::move(token));
    }
  }

 private:
  SourcePos Pos() const { return {line_, column_, static_cast<int64_t>(i_)}; }
  unsigned char At(size_t i) const {
    return i < sql_.size() ? static_cast<unsigned char>(sql_[i]) : 0;
  }
  /// Moves past one byte, keeping line and column.
  void Advance() {
    unsigned char c = At(i_);
    ++i_;
    if (c == '\n') {
      ++line_;
      column_ = 1;
    } else if ((c & 0xC0) != 0x80) {
      ++column_;
    }
  }
  void Advance(size_t n) {
    for (size_t k = 0; k < n; ++k) Advance();
  }

  void SkipSpaceAndComments() {
    while (i_ < sql_.size()) {
      unsigned char c = At(i_);
      if (IsSpace(c)) {
        Advance();
      } else if (c == '-' && At(i_ + 1) == '-') {
        while (i_ < sql_.size() && At(i_) != '\n') Advance();
      } else if (c == '/' && At(i_ + 1) == '*') {
        SourcePos begin = Pos();
        Advance(2);
        int nesting = 1;  // PostgreSQL nests block comments.
        while (nesting > 0) {
          if (i_ >= sql_.size()) ThrowSqlError(sql_, begin, "unterminated /* comment");
          if (At(i_) == '*' && At(i_ + 1) == '/') {
            --nesting;
            Advance(2);
          } else if (At(i_) == '/' && At(i_ + 1) == '*') {
            ++nesting;
            Advance(2);
          } else {
            Advance();
          }
        }
      } else {
        return;
      }
    }
  }

  void LexToken(Token* token) {
    unsigned char c = At(i_);
    if ((c == 'e' || c == 'E') && At(i_ + 1) == '\'') {
      Advance();
      LexString(token, /*escapes=*/true);
    } else if (IsIdentStart(c)) {
      token->kind = TokenKind::kIdentifier;
      size_t start = i_;
      while (i_ < sql_.size() && IsIdentChar(At(i_))) Advance();
      token->text.assign(sql_.substr(start, i_ - start));
      for (char& ch : token->text) {
        if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
      }
    } else if (c == '\'') {
      LexString(token, /*escapes=*/false);
    } else if (c == '"') {
      LexQuotedIdentifier(token);
    } else if (IsDigit(c) || (c == '.' && IsDigit(At(i_ + 1)))) {
      LexNumber(token);
    } else if (c == '$' && IsDigit(At(i_ + 1))) {
      token->kind = TokenKind::kParameter;
      Advance();
      size_t start = i_;
      while (IsDigit(At(i_))) Advance();
      token->text.assign(sql_.substr(start, i_ - start));
    } else if (c == '?') {
      token->kind = TokenKind::kParameter;
      Advance();
    } else {
      LexOperator(token);
    }
  }

  void LexString(Token* token, bool escapes) {
    token->kind = TokenKind::kString;
    SourcePos begin = token->pos;
    Advance();  // The opening quote.
    std::string& out = token->text;
    while (true) {
      if (i_ >= sql_.size()) {
        ThrowSqlError(sql_, begin, "unterminated string literal (it begins here)");
      }
      unsigned char c = At(i_);
      if (c == '\'') {
        if (At(i_ + 1) == '\'') {
          out += '\'';
          Advance(2);
          continue;
        }
        Advance();
        return;
      }
      if (escapes && c == '\\' && i_ + 1 < sql_.size()) {
        unsigned char e = At(i_ + 1);
        Advance(2);
        switch (e) {
          case 'n': out += '\n'; break;
          case 't': out += '\t'; break;
          case 'r': out += '\r'; break;
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          case '0': out += '\0'; break;
          default: out += static_cast<char>(e); break;  // \\ \' and any other character.
        }
        continue;
      }
      out += static_cast<char>(c);
      Advance();
    }
  }

  void LexQuotedIdentifier(Token* token) {
    token->kind = TokenKind::kQuotedIdentifier;
    SourcePos begin = token->pos;
    Advance();
    while (true) {
      if (i_ >= sql_.size()) {
        ThrowSqlError(sql_, begin, "unterminated quoted identifier (it begins here)");
      }
      unsigned char c = At(i_);
      if (c == '"') {
        if (At(i_ + 1) == '"') {
          token->text += '"';
          Advance(2);
          continue;
        }
        Advance();
        break;
      }
      token->text += static_cast<char>(c);
      Advance();
    }
    if (token->text.empty()) ThrowSqlError(sql_, begin, "zero-length quoted identifier \"\"");
  }

  void LexNumber(Token* token) {
    size_t start = i_;
    token->kind = TokenKind::kInteger;
    while (IsDigit(At(i_))) Advance();
    if (At(i_) == '.' && At(i_ + 1) != '.') {
      token->kind = TokenKind::kDecimal;
      Advance();
      while (IsDigit(At(i_))) Advance();
    }
    // An exponent only when digits follow: `1e` is the number 1 and the identifier e.
    unsigned char e = At(i_);
    if (e == 'e' || e == 'E') {
      size_t digits = i_ + 1;
      if (At(digits) == '+' || At(digits) == '-') ++digits;
      if (IsDigit(At(digits))) {
        token->kind = TokenKind::kDecimal;
        Advance(digits - i_);
        while (IsDigit(At(i_))) Advance();
      }
    }
    token->text.assign(sql_.substr(start, i_ - start));
    // `0x10` or `12abc` is not a number followed by an alias: say so rather than read `0 AS x10`.
    if (IsIdentStart(At(i_))) {
      size_t end = i_;
      while (end < sql_.size() && IsIdentChar(At(end))) ++end;
      ThrowSqlError(sql_, token->pos,
                    fmt::format("invalid number \"{}\"", sql_.substr(start, end - start)));
    }
  }

  void LexOperator(Token* token) {
    token->kind = TokenKind::kOperator;
    static constexpr std::string_view kTwo[] = {"::", ":=", "=>", "//", "||",
                                                "<=", ">=", "<>", "!=", "=="};
    std::string_view rest = sql_.substr(i_);
    for (std::string_view op : kTwo) {
      if (rest.substr(0, 2) == op) {
        Advance(2);
        // `!=` and `==` read as `<>` and `=`, so that the parser sees one spelling.
        token->text = op == "!=" ? "<>" : op == "==" ? "=" : std::string(op);
        return;
      }
    }
    static constexpr std::string_view kOne = "+-*/%=<>(),.;[]:{}";
    unsigned char c = At(i_);
    if (kOne.find(static_cast<char>(c)) != std::string_view::npos && c != 0) {
      Advance();
      token->text.assign(1, static_cast<char>(c));
      return;
    }
    std::string shown = c >= 0x20 && c < 0x7F ? fmt::format("\"{}\"", static_cast<char>(c))
                                              : fmt::format("0x{:02X}", c);
    ThrowSqlError(sql_, Pos(), fmt::format("unexpected character {}", shown));
  }

  std::string_view sql_;
  size_t i_ = 0;
  int line_ = 1;
  int column_ = 1;
};

}  // namespace

std::vector<Token> Tokenize(std::string_view sql) {
  return Lexer(sql).Run();
}

std::string DescribeToken(const Token& token) {
  if (token.kind == TokenKind::kEnd) return "end of input";
  // Show one line of at most about 40 bytes, cut at a character boundary.
  std::string_view raw = token.raw;
  size_t cut = std::min<size_t>(raw.find_first_of("\r\n"), 40);
  if (cut >= raw.size()) return fmt::format("\"{}\"", raw);
  while (cut > 0 && (static_cast<unsigned char>(raw[cut]) & 0xC0) == 0x80) --cut;
  return fmt::format("\"{}...\"", raw.substr(0, cut));
}

}  // namespace sluice::sql
