// Grouped SELECTs: keys and aggregates are collected from every clause (SELECT, HAVING, ORDER BY,
// window arguments), computed by one Aggregate node, and the clauses' expressions are rewritten
// to read its output: a subtree equal to a key reads the key column (so `GROUP BY a + b` lets
// SELECT use `a + b`), an aggregate reads its column, and any other column is an error.
#include "plan/expr_util.h"
#include "sql/bind_query.h"

namespace sluice::sql {

void Grouping::AddKey(const Expr& key, const std::string& fresh) {
  Expr plain = StripAlias(key);
  std::string text = plain.ToString();
  for (const std::string& known : key_texts)
    if (known == text) return;
  std::string column;
  if (key.kind() == ExprKind::kAlias) {
    column = key.node().name;
    keys.push_back(key);
  } else if (plain.kind() == ExprKind::kColumn) {
    column = plain.node().name;
    keys.push_back(plain);
  } else {
    column = fresh;
    keys.push_back(plain.alias(fresh));
  }
  key_texts.push_back(text);
  key_columns.push_back(column);
}

void Grouping::CollectAggregates(const Expr& expr, QueryBinder& binder) {
  if (expr.kind() == ExprKind::kAggregate) {
    std::string text = expr.ToString();
    if (aggregate_columns.count(text)) return;
    std::string column = binder.Fresh("__agg");
    aggregate_columns[text] = column;
    aggregates.push_back(expr.alias(column));
    const std::string& name = expr.node().name;
    if (name == "count" || name == "count_star") count_columns.insert(column);
    return;
  }
  for (size_t i = 0; i < expr.node().args.size(); ++i) CollectAggregates(expr.arg(i), binder);
}

Expr Grouping::Rewrite(const Expr& expr, std::string* ungrouped) const {
  if (expr.kind() != ExprKind::kAlias) {
    std::string text = expr.ToString();
    for (size_t i = 0; i < key_texts.size(); ++i)
      if (key_texts[i] == text) return col(key_columns[i]);
  }
  switch (expr.kind()) {
    case ExprKind::kAggregate: return col(aggregate_columns.at(expr.ToString()));
    case ExprKind::kColumn:
      if (passthrough.count(expr.node().name) || FromOuterMarker(expr.node().name)) return expr;
      if (ungrouped->empty()) *ungrouped = expr.node().name;
      return expr;
    case ExprKind::kLiteral: return expr;
    default: break;
  }
  auto node = std::make_shared<ExprNode>(expr.node());
  for (size_t i = 0; i < node->args.size(); ++i)
    node->args[i] = Rewrite(expr.arg(i), ungrouped).ptr();
  return Expr(node);
}

}  // namespace sluice::sql
