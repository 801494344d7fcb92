// Queries: WITH (CTEs), set operations (INTERSECT binds tighter than UNION and EXCEPT, as in
// standard SQL), SELECT cores (DISTINCT, items with aliases, `*` with EXCLUDE, WHERE, GROUP BY,
// HAVING, WINDOW, QUALIFY), VALUES, parenthesized queries, ORDER BY and LIMIT/OFFSET/FETCH.
#include <fmt/format.h>

#include "sql/parser_state.h"

namespace sluice::sql {

bool Parser::AtQueryStart(int ahead) const {
  return AtWord("select", ahead) || AtWord("from", ahead) || AtWord("with", ahead) ||
         AtWord("values", ahead) || (AtWord("table", ahead) && AtIdentifier(ahead + 1));
}

bool Parser::AtParenthesizedQuery() const {
  int ahead = 0;
  while (AtOperator("(", ahead)) ++ahead;
  return ahead > 0 && AtQueryStart(ahead);
}

QueryPtr Parser::ParseQuery() {
  DepthGuard guard(this);
  auto query = std::make_shared<Query>();
  query->pos = Peek().pos;
  if (AcceptWord("with")) {
    if (AtWord("recursive")) ErrorUnsupported(Peek().pos, "WITH RECURSIVE is not supported");
    do {
      CommonTableExpr cte;
      cte.pos = Peek().pos;
      cte.name = ParseIdentifier("a name for the WITH query");
      if (AtOperator("(")) cte.column_aliases = ParseIdentifierList("a column name");
      ExpectWord("as");
      if (AtWord("not") && AtWord("materialized", 1)) {
        Next();
        Next();
      } else {
        AcceptWord("materialized");
      }
      ExpectOperator("(");
      cte.query = ParseQuery();
      ExpectOperator(")");
      query->ctes.push_back(std::move(cte));
    } while (AcceptOperator(","));
  }
  query->body = ParseSetOperations();
  if (AtWord("order")) {
    Next();
    ExpectWord("by");
    query->order_by = ParseOrderByList();
  }
  ParseLimitOffset(query.get());
  return query;
}

void Parser::ParseLimitOffset(Query* query) {
  bool seen_limit = false;
  bool seen_offset = false;
  while (true) {
    SourcePos pos = Peek().pos;
    if (AcceptWord("limit")) {
      if (seen_limit) ErrorAt(pos, "LIMIT is given twice");
      seen_limit = true;
      if (!AcceptWord("all")) query->limit = ParseExpr();
    } else if (AcceptWord("offset")) {
      if (seen_offset) ErrorAt(pos, "OFFSET is given twice");
      seen_offset = true;
      query->offset = ParseExpr();
      if (!AcceptWord("rows")) AcceptWord("row");
    } else if (AcceptWord("fetch")) {
      if (seen_limit) ErrorAt(pos, "LIMIT is given twice (as FETCH)");
      seen_limit = true;
      if (!AcceptWord("first")) ExpectWord("next");
      if (AtWord("row") || AtWord("rows")) {
        query->limit = MakeInteger("1", Peek().pos);
      } else {
        query->limit = ParseBinary(7);
      }
      if (!AcceptWord("rows")) ExpectWord("row");
      ExpectWord("only");
    } else {
      return;
    }
  }
}

QueryBodyPtr Parser::ParseSetOperations() {
  DepthGuard guard(this);
  QueryBodyPtr left = ParseIntersections();
  while (AtWord("union") || AtWord("except")) {
    auto node = std::make_shared<QueryBody>();
    node->kind = QueryBody::Kind::kSetOp;
    node->pos = Peek().pos;
    node->set_op = Next().text == "union" ? QueryBody::SetOp::kUnion : QueryBody::SetOp::kExcept;
    ParseSetQuantifier(node.get());
    node->left = left;
    node->right = ParseIntersections();
    left = node;
    guard.Deepen();
  }
  return left;
}

QueryBodyPtr Parser::ParseIntersections() {
  DepthGuard guard(this);
  QueryBodyPtr left = ParseQueryPrimary();
  while (AtWord("intersect")) {
    auto node = std::make_shared<QueryBody>();
    node->kind = QueryBody::Kind::kSetOp;
    node->pos = Next().pos;
    node->set_op = QueryBody::SetOp::kIntersect;
    ParseSetQuantifier(node.get());
    node->left = left;
    node->right = ParseQueryPrimary();
    left = node;
    guard.Deepen();
  }
  return left;
}

void Parser::ParseSetQuantifier(QueryBody* node) {
  if (AcceptWord("all")) {
    node->all = true;
  } else {
    AcceptWord("distinct");
  }
  if (AtWord("by") && AtWord("name", 1)) {
    if (node->set_op != QueryBody::SetOp::kUnion) {
      ErrorAt(Peek().pos, "BY NAME is only supported with UNION");
    }
    Next();
    Next();
    node->by_name = true;
  }
}

QueryBodyPtr Parser::ParseQueryPrimary() {
  auto body = std::make_shared<QueryBody>();
  body->pos = Peek().pos;
  if (AtWord("select") || AtWord("from")) {
    body->kind = QueryBody::Kind::kSelect;
    body->select = ParseSelectCore();
  } else if (AcceptWord("values")) {
    body->kind = QueryBody::Kind::kValues;
    body->rows = ParseValuesRows();
  } else if (AtWord("table") && AtIdentifier(1)) {
    // TABLE name: SELECT * FROM name.
    Next();
    auto core = std::make_shared<SelectCore>();
    core->pos = body->pos;
    core->items.push_back({MakeExpr(AstExprKind::kStar, body->pos), ""});
    auto from = std::make_shared<TableRef>();
    from->pos = Peek().pos;
    from->names.push_back(Next().text);
    while (AcceptOperator(".")) from->names.push_back(ParseLabel("a name after \".\""));
    core->from = from;
    body->kind = QueryBody::Kind::kSelect;
    body->select = core;
  } else if (AcceptOperator("(")) {
    body->kind = QueryBody::Kind::kQuery;
    body->query = ParseQuery();
    ExpectOperator(")");
  } else {
    ErrorExpected("SELECT, FROM, VALUES or \"(\"");
  }
  return body;
}

std::vector<std::vector<AstExprPtr>> Parser::ParseValuesRows() {
  std::vector<std::vector<AstExprPtr>> rows;
  do {
    SourcePos pos = Peek().pos;
    ExpectOperator("(");
    rows.push_back(ParseExprList());
    ExpectOperator(")");
    if (rows.back().size() != rows.front().size()) {
      ErrorAt(pos, fmt::format("VALUES rows must all have the same number of values: this one "
                               "has {}, the first has {}",
                               rows.back().size(), rows.front().size()));
    }
  } while (AcceptOperator(","));
  return rows;
}

std::shared_ptr<SelectCore> Parser::ParseSelectCore() {
  auto core = std::make_shared<SelectCore>();
  core->pos = Peek().pos;
  // DuckDB's FROM-first form: `FROM t [SELECT ...]`; without SELECT it means SELECT *.
  bool from_first = AcceptWord("from");
  if (from_first) core->from = ParseFrom();
  if (from_first && !AtWord("select")) {
    core->items.push_back({MakeExpr(AstExprKind::kStar, core->pos), ""});
  } else {
    ExpectWord("select");
    if (AcceptWord("distinct")) {
      if (AtWord("on")) ErrorUnsupported(Peek().pos, "DISTINCT ON is not supported");
      core->distinct = true;
    } else {
      AcceptWord("all");
    }
    do {
      core->items.push_back(ParseSelectItem());
    } while (AcceptOperator(","));
    if (!from_first && AcceptWord("from")) core->from = ParseFrom();
  }
  if (AcceptWord("where")) core->where = ParseExpr();
  if (AtWord("group")) {
    Next();
    ExpectWord("by");
    if ((AtWord("rollup") || AtWord("cube")) && AtOperator("(", 1)) {
      ErrorUnsupported(Peek().pos,
                       fmt::format("GROUP BY {} is not supported", UpperAscii(Peek().text)));
    }
    if (AtWord("grouping") && AtWord("sets", 1)) {
      ErrorUnsupported(Peek().pos, "GROUP BY GROUPING SETS is not supported");
    }
    if (AcceptWord("all")) {
      core->group_by_all = true;
    } else {
      core->group_by = ParseExprList();
    }
  }
  if (AcceptWord("having")) core->having = ParseExpr();
  // DuckDB accepts WINDOW and QUALIFY in either order.
  while (true) {
    SourcePos pos = Peek().pos;
    if (AcceptWord("window")) {
      if (!core->windows.empty()) ErrorAt(pos, "WINDOW is given twice");
      do {
        std::string name = ParseIdentifier("a window name");
        ExpectWord("as");
        ExpectOperator("(");
        WindowSpec spec;
        ParseWindowSpecBody(&spec);
        ExpectOperator(")");
        core->windows.emplace_back(std::move(name), std::move(spec));
      } while (AcceptOperator(","));
    } else if (AcceptWord("qualify")) {
      if (core->qualify) ErrorAt(pos, "QUALIFY is given twice");
      core->qualify = ParseExpr();
    } else {
      break;
    }
  }
  return core;
}

SelectItem Parser::ParseSelectItem() {
  SelectItem item;
  if (AtOperator("*")) {
    item.expr = MakeExpr(AstExprKind::kStar, Next().pos);
  } else {
    item.expr = ParseExpr();
  }
  if (item.expr->kind == AstExprKind::kStar && !item.expr->parenthesized) {
    if (AcceptWord("exclude")) {
      bool list = AcceptOperator("(");
      do {
        item.expr->exclude_pos.push_back(Peek().pos);
        item.expr->exclude.push_back(ParseIdentifier("a column name"));
      } while (list && AcceptOperator(","));
      if (list) ExpectOperator(")");
    }
    if (AtWord("replace") && AtOperator("(", 1)) {
      ErrorUnsupported(Peek().pos, "* REPLACE (...) is not supported");
    }
    return item;
  }
  ParseOptionalAlias(&item.alias);
  return item;
}

std::vector<OrderItem> Parser::ParseOrderByList() {
  std::vector<OrderItem> items;
  do {
    OrderItem item;
    item.expr = ParseExpr();
    if (AcceptWord("desc")) {
      item.descending = true;
    } else {
      AcceptWord("asc");
    }
    if (AcceptWord("nulls")) {
      if (AcceptWord("first")) {
        item.nulls_last = false;
      } else if (AcceptWord("last")) {
        item.nulls_last = true;
      } else {
        ErrorExpected("FIRST or LAST after NULLS");
      }
    }
    items.push_back(std::move(item));
  } while (AcceptOperator(","));
  return items;
}

}  // namespace sluice::sql
