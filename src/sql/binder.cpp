// The binder's entry points and its query level: WITH (CTEs, bound where they are used), the
// body, and ORDER BY / LIMIT / OFFSET over a set operation's output. A SELECT body handles its
// own ORDER BY (it may sort by columns it does not output), see bind_select.cpp.
#include "sql/binder.h"

#include <fmt/format.h>

#include "core/error.h"
#include "expr/bound_expr.h"
#include "expr/evaluate.h"
#include "plan/expr_util.h"
#include "sql/bind_names.h"
#include "sql/bind_query.h"
#include "sql/sql_error.h"

namespace sluice::sql {

void QueryBinder::Fail(SourcePos pos, std::string_view message) const {
  ThrowSqlError(sql_, pos, message);
}

std::string QueryBinder::Fresh(std::string_view base) {
  return fmt::format("{}{}", base, next_name_++);
}

const WindowSpec* QueryBinder::FindWindow(const std::string& name) const {
  if (window_core_ == nullptr) return nullptr;
  for (const auto& [window_name, spec] : window_core_->windows)
    if (NamesEqual(window_name, name)) return &spec;
  return nullptr;
}

Relation QueryBinder::BindQuery(const Query& query, Correlation* correlation) {
  const size_t saved = ctes_.size();
  for (const CommonTableExpr& cte : query.ctes) {
    for (size_t i = saved; i < ctes_.size(); ++i) {
      if (NamesEqual(ctes_[i].cte->name, cte.name))
        Fail(cte.pos, fmt::format("CTE \"{}\" is defined twice", cte.name));
    }
    ctes_.push_back({&cte, ctes_.size()});
  }
  Relation rel;
  try {
    if (query.body->kind == QueryBody::Kind::kSelect) {
      rel = BindSelect(*query.body->select, &query, correlation);
    } else {
      rel = BindBody(*query.body, correlation);
      rel = BindOrderLimit(std::move(rel), query);
      if (correlation != nullptr && (query.limit || query.offset)) correlation->limited = true;
    }
  } catch (...) {
    ctes_.resize(saved);
    throw;
  }
  ctes_.resize(saved);
  return rel;
}

Relation QueryBinder::BindBody(const QueryBody& body, Correlation* correlation) {
  switch (body.kind) {
    case QueryBody::Kind::kSelect: return BindSelect(*body.select, nullptr, correlation);
    case QueryBody::Kind::kQuery: return BindQuery(*body.query, correlation);
    case QueryBody::Kind::kValues: return BindValues(body.rows, body.pos);
    case QueryBody::Kind::kSetOp: return BindSetOp(body);
  }
  Fail(body.pos, "unknown query body");
}

int64_t QueryBinder::BindCount(const AstExprPtr& expr, const char* what) {
  Scalar value = BindConstant(*expr, sql_);
  if (value.is_null()) return -1;
  const int64_t* count = std::get_if<int64_t>(&value.value);
  if (count == nullptr || *count < 0)
    Fail(expr->pos,
         fmt::format("{} must be a non-negative integer, not {}", what, value.ToString()));
  return *count;
}

Relation QueryBinder::BindOrderLimit(Relation rel, const Query& query) {
  if (!query.order_by.empty()) {
    std::vector<SortKey> keys;
    ExprContext context;
    context.scope = &rel.scope;
    context.schema = rel.plan->schema;
    context.clause = "ORDER BY";
    ExprBinder binder(*this, context);
    for (const OrderItem& item : query.order_by) {
      Expr key;
      const AstExpr& e = *item.expr;
      if (e.kind == AstExprKind::kLiteral && e.literal_kind == LiteralKind::kInteger) {
        int64_t ordinal = BindCount(item.expr, "an ORDER BY position");
        if (ordinal < 1 || ordinal > static_cast<int64_t>(rel.scope.columns.size()))
          Fail(e.pos, fmt::format("ORDER BY position {} is not in the select list (1 to {})",
                                  ordinal, rel.scope.columns.size()));
        key = col(rel.scope.columns[ordinal - 1].plan_name);
      } else {
        key = binder.BindTyped(e);
      }
      keys.push_back({key, item.descending, item.nulls_last});
    }
    rel.plan = MakeSort(rel.plan, std::move(keys));
  }
  int64_t offset = query.offset ? BindCount(query.offset, "OFFSET") : 0;
  int64_t count = query.limit ? BindCount(query.limit, "LIMIT") : -1;
  if (offset > 0 || count >= 0) rel.plan = MakeLimit(rel.plan, std::max<int64_t>(offset, 0), count);
  return rel;
}

PlanPtr BindQuery(const Query& query, const Catalog& catalog, std::string_view sql) {
  QueryBinder binder(catalog, sql);
  Relation rel = binder.BindQuery(query);
  // The plan's columns are the outputs, named as SQL names them (helper columns dropped).
  bool exact = rel.plan->schema->size() == rel.scope.columns.size();
  for (size_t i = 0; exact && i < rel.scope.columns.size(); ++i)
    exact = rel.plan->schema->field(i).name == rel.scope.columns[i].name &&
            rel.scope.columns[i].plan_name == rel.scope.columns[i].name;
  if (exact) return rel.plan;
  std::vector<Expr> outputs;
  for (const ScopeColumn& column : rel.scope.columns) {
    Expr e = col(column.plan_name);
    outputs.push_back(column.plan_name == column.name ? e : e.alias(column.name));
  }
  return MakeProject(rel.plan, std::move(outputs));
}

Scalar BindConstant(const AstExpr& expr, std::string_view sql) {
  static const Catalog kEmpty;
  QueryBinder binder(kEmpty, sql);
  ExprContext context;
  context.clause = "a constant";
  context.schema = std::make_shared<Schema>();
  ExprBinder expr_binder(binder, context);
  Expr bound = expr_binder.Bind(expr);
  try {
    Schema empty;
    BoundExprPtr evaluable = Bind(bound, empty);
    Batch batch;
    batch.schema = std::make_shared<Schema>();
    batch.num_rows = 1;
    Column value = Evaluate(*evaluable, batch, false);
    return ScalarFromColumn(value, 0);
  } catch (const Error& e) {
    ThrowSqlError(sql, expr.pos, e.what(), e.kind());
  }
}

}  // namespace sluice::sql
