// Subqueries, decorrelated into joins (nothing runs per row):
//   - a correlated subquery's conjuncts `inner = outer` become join keys: the subquery is grouped
//     by its inner side (when it aggregates) and joined on them; its other correlated conjuncts
//     (`l2.l_suppkey <> l1.l_suppkey`) become the join's residual;
//   - [NOT] EXISTS and x [NOT] IN (SELECT ...) as WHERE conjuncts are semi/anti joins (NOT IN
//     with SQL's null rules: a null in the subquery makes it never true, a null probe is unknown
//     unless the subquery is empty);
//   - a scalar subquery is a cross join with its one row (uncorrelated) or a left join with the
//     grouped subquery (correlated), where count over no rows still gives 0 (the "count bug");
//   - EXISTS / IN elsewhere (under OR, in SELECT) are computed as boolean columns by left joins.
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

void QueryBinder::BindSubquery(const Query& query, const Scope& scope, SchemaPtr schema,
                               PendingSubquery* pending) {
  OuterFrame frame;
  frame.scope = &scope;
  frame.schema = std::move(schema);
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
        // One row: the subquery's first (DuckDB takes the first), or null when it has none.
        PlanPtr one = sub.plan;
        if (!SingleRow(one)) {
          one = MakeAggregate(MakeLimit(one, 0, 1), {},
                              {aggregate("first", {col(value)}).alias(column)});
        } else {
          one = MakeProject(one, {col(value).alias(column)});
        }
        rel->plan = MakeJoin(rel->plan, one, JoinType::kCross, {}, {}, "_right", false);
        return;
      }
      if (!c.others.empty())
        Fail(pos, "a correlated scalar subquery supports only equality conditions (inner = outer)");
      std::string raw = c.empty_value.valid() ? Fresh("__subquery_raw") : column;
      std::vector<Expr> outputs = {col(value).alias(raw)};
      for (const Expr& key : inner_keys) outputs.push_back(key);
      PlanPtr right = MakeProject(sub.plan, outputs);
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
  BindSubquery(*conjunct.subquery, rel->scope, rel->plan->schema, &pending);
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
      if (correlated)
        Fail(conjunct.pos, "a correlated NOT IN (subquery) is not supported; use NOT EXISTS");
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
