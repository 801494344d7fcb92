// FROM and WHERE together: the comma-separated FROM items are joined on WHERE's equalities (see
// JoinList), WHERE's other conjuncts filter, `[NOT] EXISTS` and `[NOT] IN (SELECT ...)`
// conjuncts become semi/anti joins, scalar subqueries are joined in before the conjuncts that use
// them, and in a correlated subquery the conjuncts that read the outer query are set aside for
// decorrelation.
#include <fmt/format.h>

#include <set>

#include "core/error.h"
#include "plan/expr_util.h"
#include "sql/bind_query.h"
#include "sql/sql_error.h"

namespace sluice::sql {

namespace {

void FlattenCommaJoins(const TableRef& ref, std::vector<const TableRef*>* out) {
  if (ref.kind == TableRef::Kind::kJoin && ref.join_type == AstJoinType::kCross && !ref.natural &&
      ref.alias.empty()) {
    FlattenCommaJoins(*ref.left, out);
    FlattenCommaJoins(*ref.right, out);
    return;
  }
  out->push_back(&ref);
}

void SplitAnd(const AstExprPtr& expr, std::vector<const AstExpr*>* out) {
  if (expr->kind == AstExprKind::kBinary && expr->op == AstOp::kAnd) {
    SplitAnd(expr->args[0], out);
    SplitAnd(expr->args[1], out);
    return;
  }
  out->push_back(expr.get());
}

/// A conjunct that is a semi/anti join: [NOT] EXISTS (...), x [NOT] IN (SELECT ...).
bool IsJoinSubquery(const AstExpr& e, bool* negated, const AstExpr** inner) {
  const AstExpr* x = &e;
  bool negate = false;
  while (x->kind == AstExprKind::kUnary && x->op == AstOp::kNot) {
    negate = !negate;
    x = x->args[0].get();
  }
  if (x->kind != AstExprKind::kExists && x->kind != AstExprKind::kInSubquery) return false;
  *negated = negate != x->negated;
  *inner = x;
  return true;
}

}  // namespace

Relation QueryBinder::BindFromWhere(const SelectCore& core, std::vector<Expr>* correlated) {
  std::vector<Relation> items;
  if (core.from == nullptr) {
    items.push_back(OneRow());
  } else {
    std::vector<const TableRef*> refs;
    FlattenCommaJoins(*core.from, &refs);
    Schema taken;
    for (const TableRef* ref : refs) {
      Relation item = MakeDisjoint(taken, BindTableRef(*ref));
      std::vector<Field> fields = taken.fields();
      for (const Field& field : item.plan->schema->fields()) fields.push_back(field);
      taken = Schema(std::move(fields));
      items.push_back(std::move(item));
    }
  }
  if (core.where == nullptr) return JoinList(std::move(items), {});

  Scope scope;
  std::vector<Field> fields;
  for (const Relation& item : items) {
    scope.columns.insert(scope.columns.end(), item.scope.columns.begin(), item.scope.columns.end());
    fields.insert(fields.end(), item.plan->schema->fields().begin(),
                  item.plan->schema->fields().end());
  }
  std::vector<PendingSubquery> subqueries;
  ExprContext context;
  context.scope = &scope;
  context.schema = std::make_shared<Schema>(std::move(fields));
  context.clause = "WHERE";
  context.subqueries = &subqueries;
  context.allow_outer = !frames_.empty() && frames_.back()->body == &core;
  ExprBinder binder(*this, context);

  std::vector<const AstExpr*> conjuncts;
  SplitAnd(core.where, &conjuncts);
  std::vector<Expr> plain, late;
  std::vector<std::pair<const AstExpr*, bool>> joins;
  for (const AstExpr* conjunct : conjuncts) {
    bool negated = false;
    const AstExpr* inner = nullptr;
    if (IsJoinSubquery(*conjunct, &negated, &inner)) {
      joins.emplace_back(inner, negated);
      continue;
    }
    size_t pending_before = subqueries.size();
    Expr bound = binder.BindTyped(*conjunct);
    DataType type = binder.TypeOf(bound);
    if (type.id != TypeId::kBool) {
      Fail(conjunct->pos, fmt::format("WHERE condition `{}` is {}, not a boolean", bound.ToString(),
                                      type.ToString()));
    }
    for (const Expr& part : SplitConjunction(bound)) {
      if (HasOuterRef(part)) {
        if (correlated == nullptr) Fail(conjunct->pos, "unexpected correlated reference");
        correlated->push_back(part);
      } else if (subqueries.size() > pending_before) {
        late.push_back(part);
      } else {
        plain.push_back(part);
      }
    }
  }
  Relation rel = JoinList(std::move(items), std::move(plain));
  for (PendingSubquery& pending : subqueries) ApplySubquery(&rel, pending);
  if (!late.empty()) rel.plan = MakeFilter(rel.plan, JoinConjunction(late));
  for (const auto& [inner, negated] : joins) ApplyWhereSubquery(&rel, *inner, negated);
  return rel;
}

}  // namespace sluice::sql
