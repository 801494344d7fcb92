// Subqueries, decorrelated into joins (nothing runs per row):
//   - a correlated subquery's conjuncts `inner = outer` become join keys: the subquery is grouped
//     by its inner side (when it aggregates) and joined on them; its other correlated conjuncts
//     (`l2.l_suppkey <> l1.l_suppkey`) become the join's residual;
//   - [NOT] EXISTS and x [NOT] IN (SELECT ...) as WHERE conjuncts are semi/anti joins (NOT IN
//     with SQL's null rules: a null in the subquery makes it never true, a null probe is unknown
//     unless the subquery is empty; correlated, an anti join whose condition also matches nulls);
//   - a scalar subquery is a cross join with its one row (uncorrelated) or a left join with the
//     grouped subquery (correlated), where count over no rows still gives 0 (the "count bug");
//     one that yields a second row (for an outer row) fails when the query runs;
//   - EXISTS / IN elsewhere (under OR, in SELECT) are computed as boolean columns by left joins;
//   - a subquery that reads the outer query in its select list, or aggregates under a correlated
//     condition other than `inner = outer`, is a dependent join: the DISTINCT outer values it
//     reads are joined into its rows (applying the correlated conditions there), it is computed
//     per those values, and joined back to the outer query on them.
#include <fmt/format.h>

#include <set>

#include "core/error.h"
#include "plan/expr_util.h"
#include "sql/bind_query.h"
#include "sql/sql_error.h"

namespace sluice::sql {

namespace {

bool IsEqualCall(const Expr& e) {
  return e.kind() == ExprKind::kCall && e.node().name == "equal" && e.node().args.size() == 2;
}

/// Which references an expression has: 1 inner, 2 outer (markers), 3 both, 0 none.
int RefKinds(const Expr& e) {
  int kinds = 0;
  for (const std::string& name : ReferencedColumns(e)) kinds |= FromOuterMarker(name) ? 2 : 1;
  return kinds;
}

Expr RenameBy(const Expr& e, const std::map<std::string, std::string>& mapping) {
  if (mapping.empty()) return e;
  return RenameColumns(e, [&](const std::string& name) {
    auto it = mapping.find(name);
    return it == mapping.end() ? name : it->second;
  });
}

std::string Renamed(const std::string& name, const std::map<std::string, std::string>& mapping) {
  auto it = mapping.find(name);
  return it == mapping.end() ? name : it->second;
}

/// True when the plan gives exactly one row (an aggregation without keys, under projections).
bool SingleRow(const PlanPtr& plan) {
  if (plan->kind == PlanKind::kAggregate) return plan->keys.empty();
  if (plan->kind == PlanKind::kProject) return SingleRow(plan->inputs[0]);
  return false;
}

/// `value`, or a run-time error where `rows` (a row count) is above 1.
Expr AssertSingleRow(const std::string& rows, const std::string& value) {
  return call("__assert_single_row", {col(rows), col(value)});
}

/// All columns of `plan` plus `extra`, as a projection list.
std::vector<Expr> AllColumns(const PlanPtr& plan) {
  std::vector<Expr> out;
  for (const Field& field : plan->schema->fields()) out.push_back(col(field.name));
  return out;
}

}  // namespace

std::vector<Expr> QueryBinder::SplitCorrelation(const std::vector<Expr>& correlated,
                                                Correlation* correlation) {
  std::vector<Expr> outputs;
  std::map<std::string, std::string> passed;  // inner column -> output name
  for (const Expr& e : correlated) {
    if (IsEqualCall(e)) {
      int a = RefKinds(e.arg(0));
      int b = RefKinds(e.arg(1));
      std::optional<std::pair<Expr, Expr>> key;  // inner, outer
      if (a == 1 && b == 2) key = {e.arg(0), e.arg(1)};
      if (a == 2 && b == 1) key = {e.arg(1), e.arg(0)};
      if (key) {
        std::string name = Fresh("__corr_key");
        outputs.push_back(key->first.alias(name));
        correlation->inner_keys.push_back(name);
        correlation->outer_keys.push_back(ResolveOuterRefs(key->second));
        continue;
      }
    }
    for (const std::string& name : ReferencedColumns(e)) {
      if (FromOuterMarker(name) || passed.count(name)) continue;
      passed[name] = Fresh("__corr_col");
      outputs.push_back(col(name).alias(passed[name]));
    }
    // Outer references stay markers until the join is made: only inner names may be renamed.
    correlation->others.push_back(RenameBy(e, passed));
  }
  return outputs;
}

bool QueryBinder::DependentJoin(const std::vector<Expr>& correlated, const std::vector<Expr>& uses,
                                PlanPtr* plan, std::vector<Expr>* correlation_outputs,
                                Correlation* correlation,
                                std::map<std::string, std::string>* renamed) {
  if (frames_.empty() || frames_.back()->plan == nullptr) return false;
  const PlanPtr& outer = frames_.back()->plan;
  // The outer columns read, each under a fresh name in the distinct table D.
  std::map<std::string, std::string> d_names;  // marker -> D column
  std::vector<std::string> outer_names;
  std::vector<Expr> all = correlated;
  all.insert(all.end(), uses.begin(), uses.end());
  for (const Expr& e : all) {
    for (const std::string& name : ReferencedColumns(e)) {
      std::optional<std::string> outer_name = FromOuterMarker(name);
      if (!outer_name || d_names.count(name)) continue;
      if (!outer->schema->FindField(*outer_name)) return false;  // A placeholder column.
      d_names[name] = Fresh("__outer");
      outer_names.push_back(*outer_name);
    }
  }
  std::vector<Expr> d_exprs;
  for (const std::string& name : outer_names)
    d_exprs.push_back(col(name).alias(d_names[OuterMarker(name)]));
  PlanPtr distinct = MakeDistinct(MakeProject(outer, d_exprs));
  // Equalities `inner = outer` become join keys; the rest the join's residual.
  std::vector<Expr> inner_on, d_on, rest;
  for (const Expr& e : correlated) {
    Expr over_d = RenameBy(e, d_names);
    if (IsEqualCall(e)) {
      int a = RefKinds(e.arg(0));
      int b = RefKinds(e.arg(1));
      if ((a == 1 && b == 2) || (a == 2 && b == 1)) {
        inner_on.push_back(over_d.arg(a == 1 ? 0 : 1));
        d_on.push_back(over_d.arg(a == 1 ? 1 : 0));
        continue;
      }
    }
    rest.push_back(over_d);
  }
  Expr residual = JoinConjunction(rest);
  if (inner_on.empty()) {
    *plan = MakeJoin(*plan, distinct, JoinType::kCross, {}, {}, "_right", false);
    if (residual.valid()) *plan = MakeFilter(*plan, residual);
  } else {
    *plan = MakeJoin(*plan, distinct, JoinType::kInner, inner_on, d_on, "_right", false, residual);
  }
  correlation->inner_keys.clear();
  correlation->outer_keys.clear();
  correlation->others.clear();
  correlation_outputs->clear();
  for (const std::string& name : outer_names) {
    const std::string& d = d_names[OuterMarker(name)];
    correlation_outputs->push_back(col(d));
    correlation->inner_keys.push_back(d);
    correlation->outer_keys.push_back(col(name));
  }
  *renamed = std::move(d_names);
  return true;
}

void QueryBinder::BindSubquery(const Query& query, const Scope& scope, SchemaPtr schema,
                               PendingSubquery* pending, PlanPtr outer_plan) {
  OuterFrame frame;
  frame.scope = &scope;
  frame.schema = std::move(schema);
  frame.plan = std::move(outer_plan);
  if (query.body->kind == QueryBody::Kind::kSelect && query.ctes.empty())
    frame.body = query.body->select.get();
  frames_.push_back(&frame);
  try {
    pending->sub = BindQuery(query, &pending->correlation);
  } catch (...) {
    frames_.pop_back();
    throw;
  }
  frames_.pop_back();
  size_t columns = pending->sub.scope.columns.size();
  if (pending->kind != PendingSubquery::Kind::kExists && columns != 1) {
    Fail(pending->ast ? pending->ast->pos : query.pos,
         fmt::format("the subquery returns {} columns; {} needs one", columns,
                     pending->kind == PendingSubquery::Kind::kIn ? "IN" : "a scalar subquery"));
  }
  pending->type =
      pending->kind == PendingSubquery::Kind::kScalar ? pending->sub.scope.columns[0].type : Bool();
  const Correlation& c = pending->correlation;
  bool correlated = !c.outer_keys.empty() || !c.others.empty();
  if (correlated && c.limited) {
    Fail(pending->ast ? pending->ast->pos : query.pos,
         "LIMIT in a correlated subquery is not supported");
  }
}

void QueryBinder::ApplySubquery(Relation* rel, PendingSubquery& pending) {
  std::map<std::string, std::string> renamed;
  Relation sub = MakeDisjoint(*rel->plan->schema, pending.sub, &renamed);
  const Correlation& c = pending.correlation;
  const SourcePos pos = pending.ast ? pending.ast->pos : SourcePos{};
  const bool correlated = !c.outer_keys.empty() || !c.others.empty();
  std::vector<Expr> inner_keys;
  for (const std::string& key : c.inner_keys) inner_keys.push_back(col(Renamed(key, renamed)));
  const std::string& column = pending.column;

  switch (pending.kind) {
    case PendingSubquery::Kind::kScalar: {
      const std::string value = sub.scope.columns[0].plan_name;
      if (!correlated) {
        // One row: the subquery's only one, or null when it has none; a second row is an error
        // when the query runs (two are enough to tell).
        PlanPtr one = sub.plan;
        if (!SingleRow(one)) {
          std::string raw = Fresh("__subquery_raw");
          std::string rows = Fresh("__rows");
          one = MakeAggregate(
              MakeLimit(one, 0, 2), {},
              {aggregate("first", {col(value)}).alias(raw), count_rows().alias(rows)});
          one = MakeProject(one, {AssertSingleRow(rows, raw).alias(column)});
        } else {
          one = MakeProject(one, {col(value).alias(column)});
        }
        rel->plan = MakeJoin(rel->plan, one, JoinType::kCross, {}, {}, "_right", false);
        return;
      }
      if (!c.others.empty())
        Fail(pos, "a correlated scalar subquery supports only equality conditions (inner = outer)");
      std::string raw = c.empty_value.valid() ? Fresh("__subquery_raw") : column;
      PlanPtr right;
      if (c.aggregated) {  // Grouped by the keys: one row per key.
        std::vector<Expr> outputs = {col(value).alias(raw)};
        for (const Expr& key : inner_keys) outputs.push_back(key);
        right = MakeProject(sub.plan, outputs);
      } else {
        // Any number of rows per key: one value per key, and an error where there are more.
        std::string first = Fresh("__subquery_first");
        std::string rows = Fresh("__rows");
        right = MakeAggregate(
            sub.plan, inner_keys,
            {aggregate("first", {col(value)}).alias(first), count_rows().alias(rows)});
        std::vector<Expr> outputs = {AssertSingleRow(rows, first).alias(raw)};
        for (const Expr& key : inner_keys) outputs.push_back(key);
        right = MakeProject(right, outputs);
      }
      rel->plan =
          MakeJoin(rel->plan, right, JoinType::kLeft, c.outer_keys, inner_keys, "_right", false);
      if (c.empty_value.valid()) {
        // Groups the outer row found no match for are the subquery over no rows.
        std::vector<Expr> exprs = AllColumns(rel->plan);
        exprs.push_back(
            when(inner_keys[0].is_null()).then(c.empty_value).otherwise(col(raw)).alias(column));
        rel->plan = MakeProject(rel->plan, std::move(exprs));
      }
      return;
    }
    case PendingSubquery::Kind::kExists: {
      if (!correlated) {
        PlanPtr flag =
            MakeAggregate(MakeLimit(sub.plan, 0, 1), {}, {count_rows().alias(Fresh("__count"))});
        flag =
            MakeProject(flag, {(col(flag->schema->field(0).name) > lit(int64_t{0})).alias(column)});
        rel->plan = MakeJoin(rel->plan, flag, JoinType::kCross, {}, {}, "_right", false);
        return;
      }
      if (!c.others.empty())
        Fail(pos,
             "EXISTS with a correlated condition other than an equality is supported only as "
             "a WHERE condition");
      std::string mark = Fresh("__mark");
      PlanPtr keys = MakeDistinct(MakeProject(sub.plan, inner_keys));
      std::vector<Expr> marked = inner_keys;
      marked.push_back(lit(true).alias(mark));
      keys = MakeProject(keys, marked);
      rel->plan =
          MakeJoin(rel->plan, keys, JoinType::kLeft, c.outer_keys, inner_keys, "_right", false);
      std::vector<Expr> exprs = AllColumns(rel->plan);
      exprs.push_back(coalesce({col(mark), lit(false)}).alias(column));
      rel->plan = MakeProject(rel->plan, std::move(exprs));
      return;
    }
    case PendingSubquery::Kind::kIn: {
      if (correlated)
        Fail(pos, "a correlated IN (subquery) is supported only as a WHERE condition");
      // x IN (S): true on a match; else false when S is empty; else null when x is null or S
      // holds a null; else false.
      const std::string value = sub.scope.columns[0].plan_name;
      std::string mark = Fresh("__mark");
      std::string rows = Fresh("__rows");
      std::string values = Fresh("__values");
      PlanPtr matches =
          MakeDistinct(MakeFilter(MakeProject(sub.plan, {col(value)}), col(value).is_not_null()));
      matches = MakeProject(matches, {col(value), lit(true).alias(mark)});
      rel->plan = MakeJoin(rel->plan, matches, JoinType::kLeft, {pending.probe}, {col(value)},
                           "_right", false);
      PlanPtr stats =
          MakeAggregate(sub.plan, {}, {count_rows().alias(rows), col(value).count().alias(values)});
      rel->plan = MakeJoin(rel->plan, stats, JoinType::kCross, {}, {}, "_right", false);
      std::vector<Expr> exprs = AllColumns(rel->plan);
      exprs.push_back(when(col(mark).is_not_null())
                          .then(lit(true))
                          .when(col(rows) == lit(int64_t{0}))
                          .then(lit(false))
                          .when(pending.probe.is_null() || col(values) < col(rows))
                          .then(lit_null(Bool()))
                          .otherwise(lit(false))
                          .alias(column));
      rel->plan = MakeProject(rel->plan, std::move(exprs));
      return;
    }
  }
}

void QueryBinder::ApplyWhereSubquery(Relation* rel, const AstExpr& conjunct, bool negated) {
  PendingSubquery pending;
  pending.ast = &conjunct;
  pending.kind = conjunct.kind == AstExprKind::kExists ? PendingSubquery::Kind::kExists
                                                       : PendingSubquery::Kind::kIn;
  if (pending.kind == PendingSubquery::Kind::kIn) {
    ExprContext context;
    context.scope = &rel->scope;
    context.schema = rel->plan->schema;
    context.clause = "IN";
    ExprBinder binder(*this, context);
    pending.probe = binder.Bind(*conjunct.args[0]);
  }
  BindSubquery(*conjunct.subquery, rel->scope, rel->plan->schema, &pending, rel->plan);
  std::map<std::string, std::string> renamed;
  Relation sub = MakeDisjoint(*rel->plan->schema, pending.sub, &renamed);
  const Correlation& c = pending.correlation;
  std::vector<Expr> left_keys = c.outer_keys;
  std::vector<Expr> right_keys;
  for (const std::string& key : c.inner_keys) right_keys.push_back(col(Renamed(key, renamed)));
  Expr residual = JoinConjunction(c.others);
  if (residual.valid()) residual = ResolveOuterRefs(RenameBy(residual, renamed));
  const bool correlated = !c.outer_keys.empty() || !c.others.empty();
  JoinType type = negated ? JoinType::kAnti : JoinType::kSemi;

  if (pending.kind == PendingSubquery::Kind::kIn) {
    const std::string value = sub.scope.columns[0].plan_name;
    left_keys.insert(left_keys.begin(), pending.probe);
    right_keys.insert(right_keys.begin(), col(value));
    if (negated) {
      if (correlated) {
        // x NOT IN S is true when S is empty, false on a match, else null when x or a value of S
        // is null: for a WHERE condition that is NOT EXISTS (a value of S that equals x or is
        // null, or x is null), an anti join keyed on the correlation's equalities.
        Expr probe_match =
            pending.probe == col(value) || col(value).is_null() || pending.probe.is_null();
        Expr condition = residual.valid() ? probe_match && residual : probe_match;
        left_keys.erase(left_keys.begin());
        right_keys.erase(right_keys.begin());
        if (left_keys.empty()) {
          left_keys.push_back(lit(true));
          right_keys.push_back(lit(true));
        }
        rel->plan = MakeJoin(rel->plan, sub.plan, JoinType::kAnti, left_keys, right_keys, "_right",
                             false, condition);
        return;
      }
      // NOT IN: no match, and then the subquery is empty, or neither side is null.
      std::string rows = Fresh("__rows");
      std::string values = Fresh("__values");
      PlanPtr stats =
          MakeAggregate(sub.plan, {}, {count_rows().alias(rows), col(value).count().alias(values)});
      rel->plan =
          MakeJoin(rel->plan, sub.plan, JoinType::kAnti, left_keys, right_keys, "_right", false);
      rel->plan = MakeJoin(rel->plan, stats, JoinType::kCross, {}, {}, "_right", false);
      rel->plan =
          MakeFilter(rel->plan, col(rows) == lit(int64_t{0}) ||
                                    (pending.probe.is_not_null() && col(values) == col(rows)));
      return;
    }
  }
  PlanPtr right = sub.plan;
  if (left_keys.empty()) {
    // Uncorrelated (or only non-equality conditions): every row is a candidate.
    left_keys.push_back(lit(true));
    right_keys.push_back(lit(true));
    if (!residual.valid()) right = MakeLimit(right, 0, 1);
  }
  rel->plan = MakeJoin(rel->plan, right, type, left_keys, right_keys, "_right", false, residual);
}

}  // namespace sluice::sql
