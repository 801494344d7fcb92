// Expression tree walks for the planner and the optimizer.
#include "plan/expr_util.h"

namespace sluice {

Expr StripAlias(const Expr& expr) {
  Expr e = expr;
  while (e.kind() == ExprKind::kAlias) e = e.arg(0);
  return e;
}

bool ContainsAggregate(const Expr& expr) {
  if (expr.kind() == ExprKind::kAggregate) return true;
  for (size_t i = 0; i < expr.node().args.size(); ++i)
    if (ContainsAggregate(expr.arg(i))) return true;
  return false;
}

void AddReferencedColumns(const Expr& expr, std::set<std::string>* out) {
  if (expr.kind() == ExprKind::kColumn) out->insert(expr.node().name);
  for (size_t i = 0; i < expr.node().args.size(); ++i) AddReferencedColumns(expr.arg(i), out);
}

std::set<std::string> ReferencedColumns(const Expr& expr) {
  std::set<std::string> out;
  AddReferencedColumns(expr, &out);
  return out;
}

Expr Transform(const Expr& expr, const std::function<Expr(const Expr&)>& rewrite) {
  const ExprNode& node = expr.node();
  bool changed = false;
  std::vector<ExprNodePtr> args;
  args.reserve(node.args.size());
  for (const ExprNodePtr& arg : node.args) {
    Expr rewritten = Transform(Expr(arg), rewrite);
    changed = changed || rewritten.ptr() != arg;
    args.push_back(rewritten.ptr());
  }
  if (!changed) return rewrite(expr);
  auto copy = std::make_shared<ExprNode>(node);
  copy->args = std::move(args);
  return rewrite(Expr(copy));
}

Expr RenameColumns(const Expr& expr,
                   const std::function<std::string(const std::string&)>& mapping) {
  return Transform(expr, [&](const Expr& e) {
    if (e.kind() != ExprKind::kColumn) return e;
    std::string name = mapping(e.node().name);
    return name == e.node().name ? e : col(name);
  });
}

std::vector<Expr> SplitConjunction(const Expr& predicate) {
  if (predicate.kind() == ExprKind::kCall && predicate.node().name == "and") {
    std::vector<Expr> parts = SplitConjunction(predicate.arg(0));
    for (size_t i = 1; i < predicate.node().args.size(); ++i) {
      std::vector<Expr> more = SplitConjunction(predicate.arg(i));
      parts.insert(parts.end(), more.begin(), more.end());
    }
    return parts;
  }
  return {predicate};
}

Expr JoinConjunction(const std::vector<Expr>& parts) {
  if (parts.empty()) return Expr();
  Expr out = parts[0];
  for (size_t i = 1; i < parts.size(); ++i) out = out && parts[i];
  return out;
}

}  // namespace sluice
