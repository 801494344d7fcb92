// The SQL parser's entry points and shared pieces (see parser.h and parser_state.h): the token
// cursor, reserved words, names, aliases and type names, and the statement loop that cuts the
// input at `;` and gives each statement its own text.
#include "sql/parser.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "sql/parser_state.h"
#include "sql/sql_error.h"

namespace sluice::sql {
namespace {

// PostgreSQL's approach: a small list of reserved words (they end clauses, so they cannot be
// bare aliases or column names); every other keyword stays usable as a name (`year`, `date`,
// `name`, `value`). Sorted for binary search.
constexpr std::array<std::string_view, 79> kReserved = {
    "all",        "and",       "anti",      "any",        "as",         "asc",     "asof",
    "asymmetric", "both",      "case",      "cast",       "check",      "collate", "column",
    "constraint", "create",    "cross",     "default",    "deferrable", "desc",    "distinct",
    "do",         "else",      "end",       "except",     "false",      "fetch",   "for",
    "foreign",    "from",      "full",      "grant",      "group",      "having",  "ilike",
    "in",         "initially", "inner",     "intersect",  "into",       "is",      "join",
    "lateral",    "leading",   "left",      "like",       "limit",      "natural", "not",
    "null",       "offset",    "on",        "only",       "or",         "order",   "outer",
    "positional", "primary",   "qualify",   "references", "right",      "select",  "semi",
    "similar",    "some",      "symmetric", "table",      "then",       "to",      "trailing",
    "true",       "union",     "unique",    "using",      "variadic",   "when",    "where",
    "window",     "with",
};
// Reserved words that may still name a function: `left('abc', 2)`.
constexpr std::array<std::string_view, 5> kFunctionNames = {"left", "like", "ilike", "right",
                                                            "similar"};

/// Edit distance with transpositions (FORM -> FROM is one edit), for "did you mean" hints.
int EditDistance(std::string_view a, std::string_view b) {
  std::vector<std::vector<int>> d(a.size() + 1, std::vector<int>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = static_cast<int>(i);
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = static_cast<int>(j);
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

}  // namespace

std::string_view ResembledKeyword(std::string_view word) {
  static constexpr std::string_view kClauses[] = {
      "from",  "where",     "group",  "order",   "having", "limit", "offset",
      "union", "intersect", "except", "qualify", "window", "join",  "select",
      "using", "inner",     "outer",  "left",    "right"};
  if (word.size() < 3 || word.size() > 12) return {};
  for (std::string_view keyword : kClauses) {
    if (word == keyword) return {};
  }
  for (std::string_view keyword : kClauses) {
    int limit = keyword.size() <= 5 ? 1 : 2;
    if (EditDistance(word, keyword) <= limit) return keyword;
  }
  return {};
}

bool IsReservedWord(std::string_view word) {
  return std::binary_search(kReserved.begin(), kReserved.end(), word);
}

bool IsFunctionNameWord(std::string_view word) {
  return std::find(kFunctionNames.begin(), kFunctionNames.end(), word) != kFunctionNames.end();
}

AstExprPtr MakeExpr(AstExprKind kind, SourcePos pos) {
  auto expr = std::make_shared<AstExpr>();
  expr->kind = kind;
  expr->pos = pos;
  return expr;
}

AstExprPtr MakeInteger(std::string text, SourcePos pos) {
  AstExprPtr expr = MakeExpr(AstExprKind::kLiteral, pos);
  expr->literal_kind = LiteralKind::kInteger;
  expr->text = std::move(text);
  return expr;
}

AstExprPtr MakeString(std::string text, SourcePos pos) {
  AstExprPtr expr = MakeExpr(AstExprKind::kLiteral, pos);
  expr->literal_kind = LiteralKind::kString;
  expr->text = std::move(text);
  return expr;
}

std::string UpperAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

Parser::Parser(std::string_view sql) : sql_(sql), tokens_(Tokenize(sql)) {}

// ---------------------------------------------------------------------------------------------
// Tokens.

const Token& Parser::Peek(int ahead) const {
  size_t index = std::min(cursor_ + static_cast<size_t>(ahead), tokens_.size() - 1);
  return tokens_[index];
}

const Token& Parser::Next() {
  const Token& token = tokens_[cursor_];
  if (cursor_ + 1 < tokens_.size()) ++cursor_;
  return token;
}

bool Parser::AcceptWord(std::string_view word) {
  if (!AtWord(word)) return false;
  Next();
  return true;
}

bool Parser::AcceptOperator(std::string_view op) {
  if (!AtOperator(op)) return false;
  Next();
  return true;
}

void Parser::ExpectWord(std::string_view word) {
  if (!AcceptWord(word)) ErrorExpected(UpperAscii(word));
}

void Parser::ExpectOperator(std::string_view op) {
  if (!AcceptOperator(op)) ErrorExpected(fmt::format("\"{}\"", op));
}

void Parser::ErrorExpected(std::string_view what) const {
  ErrorAt(Peek().pos, fmt::format("expected {}, found {}", what, DescribeToken(Peek())));
}

void Parser::ErrorAt(SourcePos pos, std::string_view message) const {
  ThrowSqlError(sql_, pos, message);
}

void Parser::ErrorUnsupported(SourcePos pos, std::string_view message) const {
  ThrowSqlError(sql_, pos, message, ErrorKind::kUnsupported);
}

Parser::DepthGuard::DepthGuard(Parser* parser, int levels) : parser_(parser), levels_(levels) {
  parser_->depth_ += levels;
  if (parser_->depth_ > kMaxParseDepth) {
    parser_->ErrorAt(
        parser_->Peek().pos,
        fmt::format("the query is nested too deeply (more than {} levels)", kMaxParseDepth));
  }
}

void Parser::DepthGuard::Deepen() {
  ++levels_;
  if (++parser_->depth_ > kMaxParseDepth) {
    parser_->ErrorAt(
        parser_->Peek().pos,
        fmt::format("the query is nested too deeply (more than {} levels)", kMaxParseDepth));
  }
}

// ---------------------------------------------------------------------------------------------
// Names, aliases and types.

bool Parser::AtIdentifier(int ahead) const {
  const Token& token = Peek(ahead);
  return token.kind == TokenKind::kQuotedIdentifier ||
         (token.kind == TokenKind::kIdentifier && !IsReservedWord(token.text));
}

std::string Parser::ParseIdentifier(std::string_view what) {
  if (!AtIdentifier()) ErrorExpected(what);
  return Next().text;
}

std::string Parser::ParseLabel(std::string_view what) {
  const Token& token = Peek();
  if (token.kind != TokenKind::kIdentifier && token.kind != TokenKind::kQuotedIdentifier) {
    ErrorExpected(what);
  }
  return Next().text;
}

std::vector<std::string> Parser::ParseIdentifierList(std::string_view what) {
  ExpectOperator("(");
  std::vector<std::string> names;
  do {
    names.push_back(ParseIdentifier(what));
  } while (AcceptOperator(","));
  ExpectOperator(")");
  return names;
}

bool Parser::ParseOptionalAlias(std::string* alias) {
  if (AcceptWord("as")) {
    if (Peek().kind == TokenKind::kString) {
      *alias = Next().text;
    } else {
      *alias = ParseLabel("an alias after AS");
    }
    return true;
  }
  if (!AtIdentifier()) return false;
  last_bare_alias_ = cursor_;
  *alias = Next().text;
  return true;
}

TypeName Parser::ParseTypeName() {
  TypeName type;
  type.pos = Peek().pos;
  type.name = UpperAscii(ParseLabel("a type name"));
  // Multi-word names, spelled as DuckDB prints them.
  if (type.name == "DOUBLE" && AcceptWord("precision")) {
    type.name = "DOUBLE PRECISION";
  } else if ((type.name == "CHARACTER" || type.name == "CHAR") && AcceptWord("varying")) {
    type.name = "VARCHAR";
  }
  if (AcceptOperator("(")) {
    do {
      const Token& token = Peek();
      if (token.kind != TokenKind::kInteger) ErrorExpected("an integer type parameter");
      int64_t value = 0;
      for (char c : token.text) {
        value = value * 10 + (c - '0');
        if (value > 1'000'000'000) ErrorAt(token.pos, "type parameter out of range");
      }
      type.params.push_back(value);
      Next();
    } while (AcceptOperator(","));
    ExpectOperator(")");
  }
  if ((type.name == "TIMESTAMP" || type.name == "TIME") && (AtWord("with") || AtWord("without")) &&
      AtWord("time", 1) && AtWord("zone", 2)) {
    bool with = Next().text == "with";
    Next();
    Next();
    if (with) type.name = type.name == "TIME" ? "TIMETZ" : "TIMESTAMPTZ";
  }
  while (AtOperator("[") && AtOperator("]", 1)) {
    Next();
    Next();
    type.name += "[]";
  }
  return type;
}

// ---------------------------------------------------------------------------------------------
// Statements and whole expressions.

std::vector<Statement> Parser::ParseStatements() {
  std::vector<Statement> statements;
  while (true) {
    while (AcceptOperator(";")) {
    }
    if (Peek().kind == TokenKind::kEnd) break;
    Statement statement = ParseStatement();
    if (!AtOperator(";") && Peek().kind != TokenKind::kEnd) ErrorAfterStatement();
    statements.push_back(std::move(statement));
  }
  return statements;
}

void Parser::ErrorAfterStatement() const {
  // `SELECT a FORM t` reads FORM as an alias of a and stops at t: point at the misspelling.
  if (last_bare_alias_ != kNone && last_bare_alias_ + 1 == cursor_) {
    const Token& alias = tokens_[last_bare_alias_];
    if (alias.kind == TokenKind::kIdentifier) {
      std::string_view keyword = ResembledKeyword(alias.text);
      if (!keyword.empty()) {
        ErrorAt(alias.pos,
                fmt::format("expected {}, found {}", UpperAscii(keyword), DescribeToken(alias)));
      }
    }
  }
  const Token& token = Peek();
  if (token.kind == TokenKind::kIdentifier) {
    std::string_view keyword = ResembledKeyword(token.text);
    if (!keyword.empty()) {
      ErrorAt(token.pos, fmt::format("expected \";\" or end of input, found {}; did you mean {}?",
                                     DescribeToken(token), UpperAscii(keyword)));
    }
  }
  ErrorExpected("\";\" or end of input");
}

AstExprPtr Parser::ParseWholeExpression() {
  AstExprPtr expr = ParseExpr();
  if (Peek().kind != TokenKind::kEnd) ErrorExpected("end of the expression");
  return expr;
}

std::vector<Statement> ParseSql(std::string_view sql) {
  return Parser(sql).ParseStatements();
}

AstExprPtr ParseSqlExpression(std::string_view sql) {
  return Parser(sql).ParseWholeExpression();
}

}  // namespace sluice::sql
