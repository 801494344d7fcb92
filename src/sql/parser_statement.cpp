// Statements other than plain queries: CREATE [OR REPLACE] [TEMP] VIEW / TABLE ... AS query,
// DROP VIEW / TABLE [IF EXISTS], COPY (query) | name TO 'path' (options), EXPLAIN [ANALYZE]
// statement, SET name = value.
#include <fmt/format.h>

#include "sql/parser_state.h"

namespace sluice::sql {
namespace {

/// COPY options that may stand alone as flags (`HEADER`), so that without commas
/// `(HEADER DELIMITER ';')` reads as two options.
bool IsFlagOption(std::string_view name) {
  return name == "HEADER" || name == "OVERWRITE" || name == "OVERWRITE_OR_IGNORE" ||
         name == "PER_THREAD_OUTPUT" || name == "USE_TMP_FILE" || name == "APPEND" ||
         name == "ALL_VARCHAR" || name == "AUTO_DETECT";
}

}  // namespace

Statement Parser::ParseStatement() {
  DepthGuard guard(this);
  size_t first = cursor_;
  Statement statement;
  statement.pos = Peek().pos;
  const Token& token = Peek();
  if (AtQueryStart() || token.IsOperator("(")) {
    statement.kind = StatementKind::kQuery;
    statement.query = ParseQuery();
  } else if (token.IsWord("create")) {
    ParseCreate(&statement);
  } else if (token.IsWord("drop")) {
    ParseDrop(&statement);
  } else if (token.IsWord("copy")) {
    ParseCopy(&statement);
  } else if (token.IsWord("explain")) {
    Next();
    statement.kind = StatementKind::kExplain;
    statement.analyze = AcceptWord("analyze") || AcceptWord("analyse");
    if (AtWord("explain")) ErrorAt(Peek().pos, "EXPLAIN cannot explain an EXPLAIN");
    statement.explained = std::make_shared<Statement>(ParseStatement());
    statement.query = statement.explained->query;
  } else if (token.IsWord("set")) {
    ParseSet(&statement);
  } else if (token.IsWord("insert") || token.IsWord("update") || token.IsWord("delete") ||
             token.IsWord("alter") || token.IsWord("describe") || token.IsWord("show") ||
             token.IsWord("pragma") || token.IsWord("attach") || token.IsWord("install") ||
             token.IsWord("load") || token.IsWord("begin") || token.IsWord("commit") ||
             token.IsWord("reset")) {
    ErrorUnsupported(token.pos,
                     fmt::format("{} statements are not supported", UpperAscii(token.text)));
  } else {
    std::string_view hint;
    if (token.kind == TokenKind::kIdentifier) hint = ResembledKeyword(token.text);
    ErrorAt(token.pos,
            fmt::format("expected a statement (SELECT, WITH, VALUES, CREATE, DROP, COPY, EXPLAIN "
                        "or SET), found {}{}",
                        DescribeToken(token),
                        hint.empty() ? "" : fmt::format("; did you mean {}?", UpperAscii(hint))));
  }
  const Token& last = tokens_[cursor_ > first ? cursor_ - 1 : first];
  int64_t end = last.pos.offset + static_cast<int64_t>(last.raw.size());
  int64_t begin = tokens_[first].pos.offset;
  statement.text = std::string(sql_.substr(begin, std::max<int64_t>(end - begin, 0)));
  return statement;
}

void Parser::ParseCreate(Statement* statement) {
  ExpectWord("create");
  if (AcceptWord("or")) {
    ExpectWord("replace");
    statement->or_replace = true;
  }
  if (!AcceptWord("temp")) AcceptWord("temporary");
  SourcePos what = Peek().pos;
  if (AcceptWord("view")) {
    statement->kind = StatementKind::kCreateView;
  } else if (AcceptWord("table")) {
    statement->kind = StatementKind::kCreateTable;
  } else {
    if (AtWord("macro") || AtWord("function") || AtWord("schema") || AtWord("index") ||
        AtWord("sequence") || AtWord("type")) {
      ErrorUnsupported(what, fmt::format("CREATE {} is not supported", UpperAscii(Peek().text)));
    }
    ErrorExpected("VIEW or TABLE after CREATE");
  }
  if (AtWord("if")) {
    Next();
    ExpectWord("not");
    ExpectWord("exists");
    statement->if_not_exists = true;
    if (statement->or_replace) {
      ErrorAt(what, "OR REPLACE and IF NOT EXISTS cannot be used together");
    }
  }
  statement->name = ParseIdentifier(statement->kind == StatementKind::kCreateView ? "a view name"
                                                                                  : "a table name");
  if (AtOperator("(")) {
    if (statement->kind == StatementKind::kCreateTable) {
      ErrorUnsupported(
          Peek().pos,
          "CREATE TABLE with column definitions is not supported; use CREATE TABLE name AS "
          "query");
    }
    statement->column_aliases = ParseIdentifierList("a column name");
  }
  ExpectWord("as");
  if (!AtQueryStart() && !AtOperator("(")) ErrorExpected("a query after AS");
  statement->query = ParseQuery();
}

void Parser::ParseDrop(Statement* statement) {
  ExpectWord("drop");
  statement->kind = StatementKind::kDrop;
  if (AcceptWord("view")) {
    statement->is_view = true;
  } else if (AcceptWord("table")) {
    statement->is_view = false;
  } else {
    ErrorExpected("VIEW or TABLE after DROP");
  }
  if (AtWord("if")) {
    Next();
    ExpectWord("exists");
    statement->if_exists = true;
  }
  statement->name = ParseIdentifier(statement->is_view ? "a view name" : "a table name");
  if (!AcceptWord("cascade")) AcceptWord("restrict");
}

void Parser::ParseCopy(Statement* statement) {
  ExpectWord("copy");
  statement->kind = StatementKind::kCopy;
  if (AcceptOperator("(")) {
    if (!AtQueryStart() && !AtOperator("(")) ErrorExpected("a query after COPY (");
    statement->query = ParseQuery();
    ExpectOperator(")");
  } else {
    statement->name = ParseIdentifier("a table or view name, or \"(\" and a query, after COPY");
  }
  if (AtWord("from")) {
    ErrorUnsupported(Peek().pos,
                     "COPY ... FROM is not supported; query files with FROM 'file' instead");
  }
  ExpectWord("to");
  if (Peek().kind != TokenKind::kString) ErrorExpected("a file path in single quotes");
  statement->path = Next().text;
  bool with = AcceptWord("with");
  if (with && !AtOperator("(")) ErrorExpected("\"(\" after WITH");
  if (AtOperator("(")) statement->options = ParseCopyOptions();
}

std::vector<CopyOption> Parser::ParseCopyOptions() {
  std::vector<CopyOption> options;
  ExpectOperator("(");
  if (AcceptOperator(")")) return options;
  while (true) {
    CopyOption option;
    option.pos = Peek().pos;
    option.name = UpperAscii(ParseLabel("a COPY option name"));
    AcceptOperator("=");
    if (!AtOperator(",") && !AtOperator(")")) option.value = ParseOptionValue(option.name);
    options.push_back(std::move(option));
    if (AcceptOperator(")")) break;
    AcceptOperator(",");  // Commas between options are optional, as in DuckDB.
    if (Peek().kind == TokenKind::kEnd) ErrorExpected("\")\"");
  }
  return options;
}

AstExprPtr Parser::ParseOptionValue(const std::string& name) {
  const Token& token = Peek();
  SourcePos pos = token.pos;
  bool is_word = token.kind == TokenKind::kIdentifier;
  if (IsFlagOption(name)) {
    bool value_like = token.kind == TokenKind::kString || token.kind == TokenKind::kInteger ||
                      token.IsWord("true") || token.IsWord("false") || token.IsWord("on") ||
                      token.IsWord("off");
    if (!value_like) return nullptr;  // A bare flag followed by the next option.
    if (token.IsWord("on") || token.IsWord("off")) {
      AstExprPtr expr = MakeExpr(AstExprKind::kLiteral, pos);
      expr->literal_kind = Next().text == "on" ? LiteralKind::kTrue : LiteralKind::kFalse;
      return expr;
    }
  }
  if (AtOperator("(")) {
    // PARTITION_BY (a, b): a list, as a function named "list" of the column references.
    Next();
    AstExprPtr list = MakeExpr(AstExprKind::kFunction, pos);
    list->names = {"list"};
    if (!AtOperator(")")) list->args = ParseExprList();
    ExpectOperator(")");
    return list;
  }
  // A bare word (FORMAT parquet, COMPRESSION zstd) is its text as a string.
  if ((is_word && !token.IsWord("true") && !token.IsWord("false") && !token.IsWord("null")) ||
      token.kind == TokenKind::kQuotedIdentifier) {
    return MakeString(Next().text, pos);
  }
  return ParseBinary(7);
}

void Parser::ParseSet(Statement* statement) {
  ExpectWord("set");
  statement->kind = StatementKind::kSet;
  if ((AtWord("session") || AtWord("local") || AtWord("global")) &&
      (Peek(1).kind == TokenKind::kIdentifier)) {
    Next();
  }
  statement->name = ParseLabel("a setting name");
  while (AcceptOperator(".")) statement->name += "." + ParseLabel("a setting name");
  if (!AcceptOperator("=") && !AcceptWord("to")) ErrorExpected("= or TO");
  const Token& token = Peek();
  if ((token.kind == TokenKind::kIdentifier || token.kind == TokenKind::kQuotedIdentifier) &&
      !token.IsWord("true") && !token.IsWord("false") && !token.IsWord("null") &&
      (AtOperator(";", 1) || Peek(1).kind == TokenKind::kEnd)) {
    statement->value = MakeString(token.text, token.pos);
    Next();
  } else {
    statement->value = ParseExpr();
  }
}

}  // namespace sluice::sql
