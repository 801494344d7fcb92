// One SELECT: FROM/WHERE (bind_where.cpp), then GROUP BY / aggregates / HAVING, windows,
// QUALIFY, the select list, DISTINCT, and the enclosing query's ORDER BY / LIMIT / OFFSET, which
// may sort by columns the select list does not output (carried as hidden columns, then dropped).
//
// Every clause's expressions are bound over the FROM relation first, with aggregates inline;
// a grouped query then computes them in one Aggregate node and rewrites the expressions to read
// its output (bind_aggregate.cpp). Windows are computed after that, before the projection.
#include <fmt/format.h>

#include <set>

#include "core/error.h"
#include "plan/expr_util.h"
#include "sql/bind_names.h"
#include "sql/bind_query.h"
#include "sql/sql_error.h"

namespace sluice::sql {

namespace {

/// Fails when a name of `* EXCLUDE (...)` is no column `*` expands to (DuckDB does too).
void CheckExcluded(const QueryBinder& binder, const AstExpr& star, const std::string& qualifier,
                   const Scope& scope) {
  for (size_t i = 0; i < star.exclude.size(); ++i) {
    const std::string& name = star.exclude[i];
    std::vector<std::string> candidates;
    bool found = false;
    for (const ScopeColumn& column : scope.columns) {
      if (qualifier.empty() ? column.hidden : !NamesEqual(column.qualifier, qualifier)) continue;
      candidates.push_back(column.name);
      found = found || NamesEqual(name, column.name);
    }
    if (found) continue;
    std::string message = fmt::format("column \"{}\" not found", name);
    if (auto suggestion = ClosestName(name, candidates))
      message += fmt::format("; did you mean \"{}\"?", *suggestion);
    binder.Fail(star.exclude_pos[i], message);
  }
}

struct Item {
  Expr expr;
  std::string name;
  SourcePos pos;
  std::string alias;  ///< As written (AS x); empty for none.
};

struct OrderKey {
  int item = -1;  ///< An output column, or -1 for a hidden expression.
  Expr expr;      ///< The hidden expression.
  bool descending = false;
  std::optional<bool> nulls_last;
  SourcePos pos;
};

/// Restores the binder's current SELECT (for WINDOW names) when a SELECT is done.
struct CoreGuard {
  QueryBinder& binder;
  const SelectCore* saved;
  CoreGuard(QueryBinder& b, const SelectCore* core) : binder(b), saved(b.window_core_) {
    b.window_core_ = core;
  }
  ~CoreGuard() { binder.window_core_ = saved; }
};

std::string SqlNameOf(const Scope& scope, const std::string& plan_name) {
  for (const ScopeColumn& column : scope.columns)
    if (column.plan_name == plan_name && !column.hidden) return column.name;
  for (const ScopeColumn& column : scope.columns)
    if (column.plan_name == plan_name) return column.name;
  return plan_name;
}

bool IsOrdinal(const AstExpr& e) {
  return e.kind == AstExprKind::kLiteral && e.literal_kind == LiteralKind::kInteger;
}

}  // namespace

Relation QueryBinder::BindSelect(const SelectCore& core, const Query* tail,
                                 Correlation* correlation) {
  CoreGuard guard(*this, &core);
  std::vector<Expr> correlated;
  Relation rel = BindFromWhere(core, &correlated);
  std::vector<Expr> correlation_outputs;
  if (!correlated.empty()) {
    if (correlation == nullptr) Fail(core.pos, "unexpected correlated reference");
    correlation_outputs = SplitCorrelation(correlated, correlation);
    if (tail != nullptr && (tail->limit || tail->offset)) correlation->limited = true;
  }

  std::vector<PendingSubquery> subqueries;
  std::vector<PendingWindow> windows;
  std::map<std::string, SourcePos> positions;
  ExprContext context;
  context.scope = &rel.scope;
  context.schema = rel.plan->schema;
  context.plan = rel.plan;
  context.clause = "SELECT";
  context.allow_aggregates = true;
  context.allow_windows = true;
  context.subqueries = &subqueries;
  context.windows = &windows;
  context.column_positions = &positions;
  ExprBinder binder(*this, context);

  // The select list, * expanded. A subquery's select list may read the outer query when its
  // plan is known (a dependent join brings the outer values in, below).
  const bool outer_in_select = correlation != nullptr && !frames_.empty() &&
                               frames_.back()->body == &core && frames_.back()->plan != nullptr;
  binder.set_allow_outer(outer_in_select);
  std::vector<Item> items;
  for (const SelectItem& select : core.items) {
    const AstExpr& e = *select.expr;
    if (e.kind == AstExprKind::kStar) {
      std::string qualifier = e.names.empty() ? "" : e.names.back();
      bool known = qualifier.empty();
      size_t before = items.size();
      for (const ScopeColumn& column : rel.scope.columns) {
        if (qualifier.empty() ? column.hidden : !NamesEqual(column.qualifier, qualifier)) continue;
        known = true;
        bool excluded = false;
        for (const std::string& name : e.exclude)
          excluded = excluded || NamesEqual(name, column.name);
        if (!excluded) items.push_back({col(column.plan_name), column.name, e.pos, ""});
      }
      if (!known) Fail(e.pos, fmt::format("table \"{}\" not found", qualifier));
      CheckExcluded(*this, e, qualifier, rel.scope);
      if (items.size() == before && core.from == nullptr)
        Fail(e.pos, "SELECT * needs a FROM clause");
      continue;
    }
    Expr bound = binder.BindTyped(e);
    std::string name = select.alias;
    if (name.empty()) {
      name = e.kind == AstExprKind::kColumnRef && bound.kind() == ExprKind::kColumn
                 ? SqlNameOf(rel.scope, bound.node().name)
                 : OutputNameOf(e);
    }
    items.push_back({bound, name, e.pos, select.alias});
  }

  binder.set_allow_outer(false);

  std::vector<std::pair<std::string, Expr>> aliases;
  for (const Item& item : items)
    if (!item.alias.empty()) aliases.emplace_back(item.alias, item.expr);
  binder.set_aliases(&aliases);
  Expr having;
  if (core.having) {
    binder.set_clause("HAVING");
    having = binder.BindTyped(*core.having);
  }
  Expr qualify;
  if (core.qualify) {
    binder.set_clause("QUALIFY");
    qualify = binder.BindTyped(*core.qualify);
  }

  // ORDER BY: an output column (ordinal, alias, or the same expression) or a hidden one.
  std::vector<OrderKey> order;
  if (tail != nullptr) {
    binder.set_clause("ORDER BY");
    for (const OrderItem& item : tail->order_by) {
      const AstExpr& e = *item.expr;
      OrderKey key{-1, {}, item.descending, item.nulls_last, e.pos};
      if (IsOrdinal(e)) {
        int64_t ordinal = BindCount(item.expr, "an ORDER BY position");
        if (ordinal < 1 || ordinal > static_cast<int64_t>(items.size()))
          Fail(e.pos, fmt::format("ORDER BY position {} is not in the select list (1 to {})",
                                  ordinal, items.size()));
        key.item = static_cast<int>(ordinal - 1);
      } else if (e.kind == AstExprKind::kColumnRef && e.names.size() == 1) {
        for (size_t i = 0; i < items.size() && key.item < 0; ++i)
          if (NamesEqual(items[i].name, e.names[0])) key.item = static_cast<int>(i);
      }
      if (key.item < 0) {
        key.expr = binder.BindTyped(e);
        std::string text = key.expr.ToString();
        for (size_t i = 0; i < items.size() && key.item < 0; ++i)
          if (items[i].expr.ToString() == text) key.item = static_cast<int>(i);
      }
      order.push_back(std::move(key));
    }
  }

  bool grouped = !core.group_by.empty() || core.group_by_all || core.having != nullptr;
  for (const Item& item : items) grouped = grouped || ContainsAggregate(item.expr);
  for (const OrderKey& key : order)
    grouped = grouped || (key.item < 0 && ContainsAggregate(key.expr));
  if (qualify.valid()) grouped = grouped || ContainsAggregate(qualify);
  for (const PendingWindow& w : windows) {
    for (const Expr& e : w.window.args) grouped = grouped || ContainsAggregate(e);
    for (const Expr& e : w.window.partition_by) grouped = grouped || ContainsAggregate(e);
    for (const SortKey& k : w.window.order_by) grouped = grouped || ContainsAggregate(k.expr);
  }

  PlanPtr plan = rel.plan;
  std::vector<Expr> output_correlation;  // The correlation columns, over `plan`.
  std::vector<Expr> outer_uses;
  for (const Item& item : items)
    if (HasOuterRef(item.expr)) outer_uses.push_back(item.expr);
  if (!outer_uses.empty()) {
    // The outer values the select list reads come from the dependent join, as columns.
    for (const PendingWindow& w : windows) {
      bool outer = false;
      for (const Expr& e : w.window.args) outer = outer || HasOuterRef(e);
      for (const Expr& e : w.window.partition_by) outer = outer || HasOuterRef(e);
      for (const SortKey& k : w.window.order_by) outer = outer || HasOuterRef(k.expr);
      if (outer) Fail(core.pos, "a window function reading the outer query is not supported");
    }
    for (const PendingSubquery& p : subqueries) {
      if (p.probe.valid() && HasOuterRef(p.probe))
        Fail(core.pos, "IN reading the outer query inside a subquery is not supported");
    }
    if (tail != nullptr && (tail->limit || tail->offset)) correlation->limited = true;
    std::map<std::string, std::string> d_names;
    if (!DependentJoin(correlated, outer_uses, &plan, &correlation_outputs, correlation, &d_names))
      Fail(core.pos, "this correlated reference in a subquery's select list is not supported");
    for (Item& item : items) {
      item.expr = RenameColumns(item.expr, [&](const std::string& name) {
        auto it = d_names.find(name);
        return it == d_names.end() ? name : it->second;
      });
    }
    rel.plan = plan;
  }
  if (grouped) {
    Grouping grouping;
    for (const PendingSubquery& p : subqueries) grouping.passthrough.insert(p.column);
    for (const PendingWindow& w : windows) grouping.passthrough.insert(w.window.name);
    // GROUP BY: expressions, ordinals, select aliases, ALL.
    ExprContext key_context = context;
    key_context.allow_aggregates = false;
    key_context.allow_windows = false;
    key_context.subqueries = nullptr;
    key_context.clause = "GROUP BY";
    ExprBinder key_binder(*this, key_context);
    if (core.group_by_all) {
      for (const Item& item : items) {
        bool has_window = false;
        for (const std::string& name : ReferencedColumns(item.expr))
          has_window = has_window || grouping.passthrough.count(name);
        if (!ContainsAggregate(item.expr) && !has_window)
          grouping.AddKey(item.expr, Fresh("__group"));
      }
    }
    for (const AstExprPtr& g : core.group_by) {
      Expr key;
      if (IsOrdinal(*g)) {
        int64_t ordinal = BindCount(g, "a GROUP BY position");
        if (ordinal < 1 || ordinal > static_cast<int64_t>(items.size()))
          Fail(g->pos, fmt::format("GROUP BY position {} is not in the select list (1 to {})",
                                   ordinal, items.size()));
        key = items[ordinal - 1].expr;
        if (ContainsAggregate(key))
          Fail(g->pos, fmt::format("GROUP BY position {} is an aggregate", ordinal));
      } else if (g->kind == AstExprKind::kColumnRef && g->names.size() == 1 &&
                 !key_binder.TryResolveColumn(*g)) {
        for (const Item& item : items) {
          if (NamesEqual(item.name, g->names[0]) && !ContainsAggregate(item.expr)) {
            key = item.expr;
            break;
          }
        }
      }
      if (!key.valid()) key = key_binder.BindTyped(*g);
      grouping.AddKey(key, Fresh("__group"));
    }
    bool others = false;
    for (const Expr& output : correlation_outputs) {
      others = others ||
               (output.kind() == ExprKind::kAlias && output.node().name.starts_with("__corr_col"));
    }
    std::map<std::string, std::string> unused;
    if (others &&
        !DependentJoin(correlated, {}, &plan, &correlation_outputs, correlation, &unused)) {
      Fail(core.pos,
           "a correlated condition other than an equality is not supported in an aggregated "
           "subquery here");
    }
    for (const Expr& output : correlation_outputs) grouping.AddKey(output, output.node().name);
    for (const Item& item : items) grouping.CollectAggregates(item.expr, *this);
    if (having.valid()) grouping.CollectAggregates(having, *this);
    if (qualify.valid()) grouping.CollectAggregates(qualify, *this);
    for (const OrderKey& key : order)
      if (key.item < 0) grouping.CollectAggregates(key.expr, *this);
    for (const PendingWindow& w : windows) {
      for (const Expr& e : w.window.args) grouping.CollectAggregates(e, *this);
      for (const Expr& e : w.window.partition_by) grouping.CollectAggregates(e, *this);
      for (const SortKey& k : w.window.order_by) grouping.CollectAggregates(k.expr, *this);
    }
    try {
      plan = MakeAggregate(plan, grouping.keys, grouping.aggregates);
    } catch (const Error& e) {
      Fail(core.pos, e.what());
    }
    auto rewrite = [&](const Expr& e) {
      std::string ungrouped;
      Expr out = grouping.Rewrite(e, &ungrouped);
      if (!ungrouped.empty()) {
        auto at = positions.find(ungrouped);
        Fail(at == positions.end() ? core.pos : at->second,
             fmt::format("column \"{}\" must appear in the GROUP BY clause or be used in an "
                         "aggregate function",
                         SqlNameOf(rel.scope, ungrouped)));
      }
      return out;
    };
    for (Item& item : items) item.expr = rewrite(item.expr);
    for (OrderKey& key : order)
      if (key.item < 0) key.expr = rewrite(key.expr);
    if (having.valid()) having = rewrite(having);
    if (qualify.valid()) qualify = rewrite(qualify);
    for (PendingWindow& w : windows) {
      for (Expr& e : w.window.args) e = rewrite(e);
      for (Expr& e : w.window.partition_by) e = rewrite(e);
      for (SortKey& k : w.window.order_by) k.expr = rewrite(k.expr);
    }
    for (PendingSubquery& p : subqueries) {
      if (p.probe.valid()) p.probe = rewrite(p.probe);
      for (Expr& e : p.correlation.outer_keys) e = rewrite(e);
      for (Expr& e : p.correlation.others) e = rewrite(e);
    }
    for (const Expr& output : correlation_outputs)
      output_correlation.push_back(col(output.node().name));
    // A correlated scalar subquery over no rows still gives one value (count is 0, not null).
    if (correlation != nullptr && core.group_by.empty() && !core.group_by_all &&
        items.size() == 1) {
      correlation->aggregated = true;
      bool uses_count = false;
      for (const std::string& name : ReferencedColumns(items[0].expr))
        uses_count = uses_count || grouping.count_columns.count(name);
      if (uses_count) {
        Schema schema = *plan->schema;
        correlation->empty_value = Transform(items[0].expr, [&](const Expr& e) {
          if (e.kind() != ExprKind::kColumn) return e;
          if (grouping.count_columns.count(e.node().name)) return lit(int64_t{0});
          auto index = schema.FindField(e.node().name);
          return index ? lit_null(schema.field(*index).type) : e;
        });
      }
    } else if (correlation != nullptr) {
      correlation->aggregated = true;
    }
    Relation aggregated{plan, rel.scope};
    for (PendingSubquery& p : subqueries) ApplySubquery(&aggregated, p);
    plan = aggregated.plan;
    if (having.valid()) plan = MakeFilter(plan, having);
  } else {
    Relation current{plan, rel.scope};
    for (PendingSubquery& p : subqueries) ApplySubquery(&current, p);
    plan = current.plan;
    output_correlation = correlation_outputs;
  }

  if (!windows.empty()) {
    std::vector<WindowExpr> list;
    for (const PendingWindow& w : windows) list.push_back(w.window);
    plan = MakeWindow(plan, std::move(list));
  }
  if (qualify.valid()) plan = MakeFilter(plan, qualify);

  // The projection: outputs (unique names), correlation columns, hidden ORDER BY columns.
  std::vector<Expr> exprs;
  std::set<std::string> used;
  Scope scope;
  for (const Item& item : items) {
    std::string name = item.name;
    for (int i = 1; used.count(LowerName(name)); ++i) name = fmt::format("{}_{}", item.name, i);
    used.insert(LowerName(name));
    exprs.push_back(item.expr.kind() == ExprKind::kColumn && item.expr.node().name == name
                        ? item.expr
                        : item.expr.alias(name));
    scope.columns.push_back({"", name, name, DataType(), false});
  }
  for (const Expr& e : output_correlation) exprs.push_back(e);
  std::vector<std::string> hidden;
  for (OrderKey& key : order) {
    if (key.item >= 0) continue;
    if (core.distinct)
      Fail(key.pos, "for SELECT DISTINCT, ORDER BY expressions must appear in the select list");
    hidden.push_back(Fresh("__order"));
    exprs.push_back(key.expr.alias(hidden.back()));
  }
  plan = MakeProject(plan, exprs);
  for (size_t i = 0; i < scope.columns.size(); ++i)
    scope.columns[i].type = plan->schema->field(i).type;
  if (core.distinct) plan = MakeDistinct(plan);
  if (!order.empty()) {
    std::vector<SortKey> keys;
    size_t next_hidden = 0;
    for (const OrderKey& key : order) {
      std::string column =
          key.item >= 0 ? scope.columns[key.item].plan_name : hidden[next_hidden++];
      keys.push_back({col(column), key.descending, key.nulls_last});
    }
    plan = MakeSort(plan, std::move(keys));
  }
  if (tail != nullptr) {
    int64_t offset = tail->offset ? BindCount(tail->offset, "OFFSET") : 0;
    int64_t count = tail->limit ? BindCount(tail->limit, "LIMIT") : -1;
    if (offset > 0 || count >= 0) plan = MakeLimit(plan, offset, count);
  }
  if (!hidden.empty()) {
    std::vector<Expr> kept;
    for (size_t i = 0; i < items.size() + output_correlation.size(); ++i)
      kept.push_back(col(plan->schema->field(i).name));
    plan = MakeProject(plan, std::move(kept));
  }
  return {plan, std::move(scope)};
}

}  // namespace sluice::sql
