// The SQL parser's private state (not part of the API; see parser.h): the token stream, the
// cursor, the nesting depth, and the helpers every part of the grammar uses. The grammar is split
// by topic: parser.cpp (tokens, names, types, entry points), parser_expr.cpp (expressions by
// precedence climbing), parser_expr_special.cpp (CASE, CAST, EXTRACT, function calls, windows),
// parser_query.cpp (SELECT, set operations, WITH, ORDER BY, LIMIT), parser_from.cpp (FROM and
// joins), parser_statement.cpp (CREATE, DROP, COPY, EXPLAIN, SET).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sql/ast.h"
#include "sql/lexer.h"

namespace sluice::sql {

/// Nesting deeper than this (parentheses, subqueries, operator chains) is an error rather than a
/// stack overflow, here or in the recursive passes that walk the tree later.
inline constexpr int kMaxParseDepth = 1000;

class Parser {
 public:
  explicit Parser(std::string_view sql);

  std::vector<Statement> ParseStatements();
  AstExprPtr ParseWholeExpression();

  // Statements (parser_statement.cpp).
  /// One statement, with its text (everything from its first token to its last).
  Statement ParseStatement();
  void ParseCreate(Statement* statement);
  void ParseDrop(Statement* statement);
  void ParseCopy(Statement* statement);
  std::vector<CopyOption> ParseCopyOptions();
  /// A COPY option's value: a bare word as a string, `(a, b)` as a "list" call, or an
  /// expression; null when a flag option (HEADER) stands alone.
  AstExprPtr ParseOptionValue(const std::string& name);
  void ParseSet(Statement* statement);

  // Queries (parser_query.cpp).
  QueryPtr ParseQuery();
  /// Whether the current token starts a query: SELECT, WITH, VALUES, TABLE (not a parenthesis).
  bool AtQueryStart(int ahead = 0) const;
  /// Whether, past any run of `(`, the next token starts a query.
  bool AtParenthesizedQuery() const;
  /// ORDER BY items (after ORDER BY).
  std::vector<OrderItem> ParseOrderByList();
  void ParseLimitOffset(Query* query);
  QueryBodyPtr ParseSetOperations();
  QueryBodyPtr ParseIntersections();
  QueryBodyPtr ParseQueryPrimary();
  void ParseSetQuantifier(QueryBody* node);
  std::shared_ptr<SelectCore> ParseSelectCore();
  SelectItem ParseSelectItem();
  std::vector<std::vector<AstExprPtr>> ParseValuesRows();

  // FROM (parser_from.cpp).
  TableRefPtr ParseFrom();
  TableRefPtr ParseJoinedTable();
  TableRefPtr ParseTablePrimary();

  // Expressions (parser_expr.cpp, parser_expr_special.cpp).
  AstExprPtr ParseExpr();
  /// Parses operators that bind at least as tightly as `min_precedence` (see parser_expr.cpp).
  AstExprPtr ParseBinary(int min_precedence);
  AstExprPtr ParsePrefix();
  AstExprPtr ParsePrimary();
  /// A function call after its name (the cursor on `(`). `named_args`: `name = value` is a
  /// named argument (table functions in FROM) rather than a comparison.
  AstExprPtr ParseFunctionCall(std::vector<std::string> names, SourcePos pos, bool named_args);
  /// A special form whose name was just read (CAST, EXTRACT, ...), or null if `name` is none.
  AstExprPtr ParseSpecialForm(const std::string& name, SourcePos pos);
  AstExprPtr ParseCase(SourcePos pos);
  /// After INTERVAL: `'3' MONTH`, `'1 day'`, `3 DAY`.
  AstExprPtr ParseInterval(SourcePos pos);
  void ParseWindowSpecBody(WindowSpec* spec);
  std::vector<AstExprPtr> ParseExprList();

  // Names and types (parser.cpp).
  /// An identifier usable as a column, table or alias name: quoted, or unquoted and not reserved.
  bool AtIdentifier(int ahead = 0) const;
  std::string ParseIdentifier(std::string_view what);
  /// A name after `AS` or `.`: any word, reserved ones included.
  std::string ParseLabel(std::string_view what);
  /// `(a, b, c)`.
  std::vector<std::string> ParseIdentifierList(std::string_view what);
  TypeName ParseTypeName();
  /// `[AS] alias`: returns whether one was read. Bare aliases may not be reserved words.
  bool ParseOptionalAlias(std::string* alias);

  // Tokens (parser.cpp).
  const Token& Peek(int ahead = 0) const;
  const Token& Next();
  bool AtWord(std::string_view word, int ahead = 0) const { return Peek(ahead).IsWord(word); }
  bool AtOperator(std::string_view op, int ahead = 0) const { return Peek(ahead).IsOperator(op); }
  bool AcceptWord(std::string_view word);
  bool AcceptOperator(std::string_view op);
  void ExpectWord(std::string_view word);
  void ExpectOperator(std::string_view op);
  /// Throws `expected <what>, found "<token>"` at the current token.
  [[noreturn]] void ErrorExpected(std::string_view what) const;
  [[noreturn]] void ErrorAt(SourcePos pos, std::string_view message) const;
  /// For syntax sluice does not support (yet): an ErrorKind::kUnsupported error.
  [[noreturn]] void ErrorUnsupported(SourcePos pos, std::string_view message) const;
  std::string_view sql() const { return sql_; }
  /// The error for a statement followed by more than `;` or the end.
  [[noreturn]] void ErrorAfterStatement() const;

  /// Counts one level of nesting for as long as it lives; throws past kMaxParseDepth.
  class DepthGuard {
   public:
    explicit DepthGuard(Parser* parser, int levels = 1);
    ~DepthGuard() { parser_->depth_ -= levels_; }
    /// Adds a level (a left-deep chain growing by one node).
    void Deepen();
    DepthGuard(const DepthGuard&) = delete;
    DepthGuard& operator=(const DepthGuard&) = delete;

   private:
    Parser* parser_;
    int levels_;
  };

 private:
  std::string_view sql_;
  std::vector<Token> tokens_;
  size_t cursor_ = 0;
  int depth_ = 0;
  static constexpr size_t kNone = static_cast<size_t>(-1);
  /// The token index of the last alias read without AS (for "did you mean" on `SELECT a FORM t`).
  size_t last_bare_alias_ = kNone;
};

/// Whether an unquoted word is reserved: it cannot be a column name or a bare alias.
bool IsReservedWord(std::string_view word);
/// Whether a reserved word may still name a function (`left(s, 2)`, `right(...)`).
bool IsFunctionNameWord(std::string_view word);

/// The clause keyword a misspelled word most likely means (for "did you mean"), or empty.
std::string_view ResembledKeyword(std::string_view word);

/// A new expression node of `kind` at `pos`.
AstExprPtr MakeExpr(AstExprKind kind, SourcePos pos);
/// An integer literal node (`text` as written: digits).
AstExprPtr MakeInteger(std::string text, SourcePos pos);
/// A string literal node.
AstExprPtr MakeString(std::string text, SourcePos pos);
/// Upper-cases ASCII letters.
std::string UpperAscii(std::string_view text);

}  // namespace sluice::sql
