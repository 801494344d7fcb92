// FROM: tables, files (`FROM 'data/*.parquet'`), table functions (`read_csv('f.csv', delim =
// ';')`), subqueries and VALUES with aliases and column aliases, joins of every kind with ON or
// USING, and comma lists (left-deep cross joins; JOIN binds tighter than the comma).
#include <fmt/format.h>

#include "sql/parser_state.h"

namespace sluice::sql {
namespace {

TableRefPtr MakeJoin(AstJoinType type, SourcePos pos, TableRefPtr left, TableRefPtr right) {
  auto join = std::make_shared<TableRef>();
  join->kind = TableRef::Kind::kJoin;
  join->pos = pos;
  join->join_type = type;
  join->left = std::move(left);
  join->right = std::move(right);
  return join;
}

}  // namespace

TableRefPtr Parser::ParseFrom() {
  DepthGuard guard(this);
  TableRefPtr left = ParseJoinedTable();
  while (AtOperator(",")) {
    SourcePos pos = Next().pos;
    left = MakeJoin(AstJoinType::kCross, pos, left, ParseJoinedTable());
    guard.Deepen();
  }
  return left;
}

TableRefPtr Parser::ParseJoinedTable() {
  DepthGuard guard(this);
  TableRefPtr left = ParseTablePrimary();
  while (true) {
    SourcePos pos = Peek().pos;
    bool natural = AcceptWord("natural");
    AstJoinType type = AstJoinType::kInner;
    if (AcceptWord("cross")) {
      type = AstJoinType::kCross;
    } else if (AcceptWord("inner")) {
      type = AstJoinType::kInner;
    } else if (AcceptWord("left")) {
      type = AstJoinType::kLeft;
      AcceptWord("outer");
    } else if (AcceptWord("right")) {
      type = AstJoinType::kRight;
      AcceptWord("outer");
    } else if (AcceptWord("full")) {
      type = AstJoinType::kFull;
      AcceptWord("outer");
    } else if (AcceptWord("semi")) {
      type = AstJoinType::kSemi;
    } else if (AcceptWord("anti")) {
      type = AstJoinType::kAnti;
    } else if (!AtWord("join")) {
      if (natural) ErrorExpected("JOIN after NATURAL");
      if (AtWord("asof") || AtWord("positional") || AtWord("lateral")) {
        ErrorUnsupported(Peek().pos,
                         fmt::format("{} joins are not supported", UpperAscii(Peek().text)));
      }
      break;
    }
    if (natural && type == AstJoinType::kCross) ErrorAt(pos, "NATURAL CROSS JOIN is not valid");
    ExpectWord("join");
    TableRefPtr join = MakeJoin(type, pos, left, ParseTablePrimary());
    join->natural = natural;
    if (!natural && type != AstJoinType::kCross) {
      if (AcceptWord("on")) {
        join->on = ParseExpr();
      } else if (AtWord("using")) {
        Next();
        join->using_columns = ParseIdentifierList("a column name");
      } else {
        ErrorExpected("ON or USING");
      }
    }
    left = join;
    guard.Deepen();
  }
  return left;
}

TableRefPtr Parser::ParseTablePrimary() {
  DepthGuard guard(this);
  auto ref = std::make_shared<TableRef>();
  const Token& token = Peek();
  ref->pos = token.pos;
  if (token.IsWord("lateral")) ErrorUnsupported(token.pos, "LATERAL is not supported");
  if (token.IsOperator("(")) {
    if (!AtParenthesizedQuery()) {
      // A parenthesized join: (a JOIN b ON ...).
      Next();
      TableRefPtr inner = ParseFrom();
      ExpectOperator(")");
      if (AtWord("as") || AtIdentifier()) {
        ErrorUnsupported(Peek().pos, "an alias on a parenthesized join is not supported");
      }
      return inner;
    }
    Next();
    QueryPtr query = ParseQuery();
    ExpectOperator(")");
    bool plain_values = query->ctes.empty() && query->order_by.empty() && !query->limit &&
                        !query->offset && query->body->kind == QueryBody::Kind::kValues;
    if (plain_values) {
      ref->kind = TableRef::Kind::kValues;
      ref->rows = std::move(query->body->rows);
    } else {
      ref->kind = TableRef::Kind::kSubquery;
      ref->subquery = std::move(query);
    }
  } else if (token.kind == TokenKind::kString) {
    ref->kind = TableRef::Kind::kFile;
    ref->path = Next().text;
  } else if (AtIdentifier()) {
    std::vector<std::string> names = {Next().text};
    while (AtOperator(".")) {
      Next();
      names.push_back(ParseLabel("a name after \".\""));
    }
    if (AtOperator("(")) {
      ref->kind = TableRef::Kind::kFunction;
      ref->function = ParseFunctionCall(std::move(names), ref->pos, /*named_args=*/true);
      if (ref->function->window || ref->function->filter) {
        ErrorAt(ref->pos, "a table function cannot have OVER or FILTER");
      }
    } else {
      ref->kind = TableRef::Kind::kName;
      ref->names = std::move(names);
    }
  } else {
    ErrorExpected("a table name, file path, subquery or table function");
  }
  if (ParseOptionalAlias(&ref->alias) && AtOperator("(")) {
    ref->column_aliases = ParseIdentifierList("a column name");
  }
  return ref;
}

}  // namespace sluice::sql
