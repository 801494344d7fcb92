// Projection pushdown: walks the plan from the top with the set of columns each node's parent
// needs, drops projection and aggregate outputs nobody reads, and makes every scan read only the
// columns something above it uses (its pushed filters' columns are read by the scan itself).
// Along the way it removes projections that pass their input through unchanged and merges a
// projection into the one below it when that computes nothing twice.
//
// A node may output more columns than its parent needs; parents read columns by name. Two
// places need exact schemas and get them: a union's inputs (a projection is added where an input
// differs), and a join, whose right-side suffixes depend on which left names exist (a pruned
// join is checked to name and type every needed column as before, else it keeps all columns).
#include <map>
#include <set>

#include "plan/expr_util.h"
#include "plan/optimizer/join_residual.h"
#include "plan/optimizer/passes.h"
#include "plan/optimizer/rewrite_util.h"

namespace sluice {

namespace {

using Names = std::set<std::string>;

PlanPtr Prune(const PlanPtr& plan, const Names& required);

Names AllNames(const Schema& schema) {
  Names names;
  for (const Field& field : schema.fields()) names.insert(field.name);
  return names;
}

/// A rough per-value read cost, to pick the column a scan reads when no column is needed (the
/// rows must still be counted).
int ReadCost(const DataType& type) {
  if (type.IsVariableWidth()) return 64;
  if (type.id == TypeId::kBool) return 1;
  return type.FixedWidth();
}

size_t CheapestField(const Schema& schema) {
  size_t best = 0;
  for (size_t i = 1; i < schema.size(); ++i)
    if (ReadCost(schema.field(i).type) < ReadCost(schema.field(best).type)) best = i;
  return best;
}

PlanPtr PruneScan(const PlanPtr& plan, const Names& required) {
  const Schema& schema = *plan->schema;
  std::vector<std::string> keep;
  for (const Field& field : schema.fields())
    if (required.count(field.name)) keep.push_back(field.name);
  if (keep.empty() && schema.size() > 0) keep.push_back(schema.field(CheapestField(schema)).name);
  if (keep.size() == schema.size()) return plan;
  return MakeScan(plan->source, std::move(keep), plan->filters);
}

bool IsPlainColumn(const Expr& expr, const std::string& name) {
  return expr.kind() == ExprKind::kColumn && expr.node().name == name;
}

/// True when the projection outputs exactly its input's columns, in order, unchanged.
bool IsIdentity(const std::vector<Expr>& exprs, const Schema& input) {
  if (exprs.size() != input.size()) return false;
  for (size_t i = 0; i < exprs.size(); ++i) {
    Expr inner = StripAlias(exprs[i]);
    if (!IsPlainColumn(inner, input.field(i).name) || exprs[i].OutputName() != input.field(i).name)
      return false;
  }
  return true;
}

void CountColumnUses(const Expr& expr, std::map<std::string, int>* uses) {
  if (expr.kind() == ExprKind::kColumn) ++(*uses)[expr.node().name];
  for (size_t i = 0; i < expr.node().args.size(); ++i) CountColumnUses(expr.arg(i), uses);
}

/// Substitutes the lower projection's expressions into `exprs` when none that computes
/// something is used twice (that would compute it twice). Returns false when it does not merge.
bool MergeProjections(std::vector<Expr>* exprs, const LogicalPlan& lower) {
  std::map<std::string, Expr> below;
  for (const Expr& expr : lower.exprs) below[expr.OutputName()] = StripAlias(expr);
  std::map<std::string, int> uses;
  for (const Expr& expr : *exprs) CountColumnUses(expr, &uses);
  for (const auto& [name, count] : uses) {
    auto it = below.find(name);
    if (it == below.end()) return false;
    if (count > 1 && it->second.kind() != ExprKind::kColumn &&
        it->second.kind() != ExprKind::kLiteral)
      return false;
  }
  for (Expr& expr : *exprs) {
    Expr merged = Transform(expr, [&](const Expr& e) {
      return e.kind() == ExprKind::kColumn ? below.at(e.node().name) : e;
    });
    expr = KeepName(expr, merged);
  }
  return true;
}

PlanPtr PruneProject(const PlanPtr& plan, const Names& required) {
  std::vector<Expr> exprs;
  for (const Expr& expr : plan->exprs)
    if (required.count(expr.OutputName())) exprs.push_back(expr);
  if (exprs.empty() && !plan->exprs.empty()) {
    // Keep one output so that rows still exist; prefer a plain column (nothing to compute).
    size_t pick = 0;
    for (size_t i = 0; i < plan->exprs.size(); ++i)
      if (StripAlias(plan->exprs[i]).kind() == ExprKind::kColumn) {
        pick = i;
        break;
      }
    exprs.push_back(plan->exprs[pick]);
  }
  Names needed;
  for (const Expr& expr : exprs) AddReferencedColumns(expr, &needed);
  PlanPtr input = Prune(plan->inputs[0], needed);
  if (input->kind == PlanKind::kProject) {
    std::vector<Expr> merged = exprs;
    if (MergeProjections(&merged, *input)) {
      exprs = std::move(merged);
      input = input->inputs[0];
    }
  }
  if (IsIdentity(exprs, *input->schema)) return input;
  if (input == plan->inputs[0] && exprs.size() == plan->exprs.size()) return plan;
  return MakeProject(input, std::move(exprs));
}

PlanPtr PruneAggregate(const PlanPtr& plan, const Names& required) {
  std::vector<Expr> aggregates;
  for (const Expr& aggregate : plan->aggregates)
    if (required.count(aggregate.OutputName())) aggregates.push_back(aggregate);
  if (aggregates.empty() && plan->keys.empty() && !plan->aggregates.empty())
    aggregates.push_back(plan->aggregates[0]);
  Names needed;
  for (const Expr& key : plan->keys) AddReferencedColumns(key, &needed);
  for (const Expr& aggregate : aggregates) AddReferencedColumns(aggregate, &needed);
  PlanPtr input = Prune(plan->inputs[0], needed);
  if (input == plan->inputs[0] && aggregates.size() == plan->aggregates.size()) return plan;
  return MakeAggregate(input, plan->keys, std::move(aggregates));
}

/// True when `pruned` has every `required` column of `original` under the same name and type,
/// coming from the same input column.
bool SameJoinColumns(const LogicalPlan& original, const LogicalPlan& pruned,
                     const Names& required) {
  std::vector<JoinColumn> before = JoinOutputColumns(original);
  std::vector<JoinColumn> after = JoinOutputColumns(pruned);
  for (size_t i = 0; i < before.size(); ++i) {
    const Field& field = original.schema->field(i);
    if (!required.count(field.name)) continue;
    std::optional<size_t> j = pruned.schema->FindField(field.name);
    if (!j || pruned.schema->field(*j).type != field.type || after[*j].side != before[i].side ||
        after[*j].name != before[i].name)
      return false;
  }
  return true;
}

PlanPtr PruneJoin(const PlanPtr& plan, const Names& required) {
  const LogicalPlan& join = *plan;
  std::vector<JoinColumn> columns = JoinOutputColumns(join);
  Names left, right;
  for (size_t i = 0; i < columns.size(); ++i) {
    if (!required.count(join.schema->field(i).name)) continue;
    (columns[i].side == 0 ? left : right).insert(columns[i].name);
  }
  for (const Expr& key : join.left_on) AddReferencedColumns(key, &left);
  for (const Expr& key : join.right_on) AddReferencedColumns(key, &right);
  if (join.residual.valid()) {
    // The residual reads columns of both sides (renamed to the pruned inputs by WithInputs).
    const std::map<std::string, JoinColumn> sources = ResidualColumns(join);
    for (const std::string& name : ReferencedColumns(join.residual)) {
      auto it = sources.find(name);
      if (it != sources.end()) (it->second.side == 0 ? left : right).insert(it->second.name);
    }
  }
  // A right column is suffixed because a left column has its name: keep that left column.
  const Schema& left_schema = *join.inputs[0]->schema;
  for (const std::string& name : right)
    if (left_schema.FindField(name)) left.insert(name);
  PlanPtr new_left = Prune(join.inputs[0], left);
  PlanPtr new_right = Prune(join.inputs[1], right);
  PlanPtr pruned = ReplaceInputs(plan, {new_left, new_right});
  if (pruned == plan || SameJoinColumns(join, *pruned, required)) return pruned;
  new_left = Prune(join.inputs[0], AllNames(left_schema));
  new_right = Prune(join.inputs[1], AllNames(*join.inputs[1]->schema));
  return ReplaceInputs(plan, {new_left, new_right});
}

PlanPtr PruneUnion(const PlanPtr& plan, const Names& required) {
  const Schema& schema = *plan->schema;
  std::vector<std::string> keep;
  for (const Field& field : schema.fields())
    if (required.count(field.name)) keep.push_back(field.name);
  if (keep.empty() && schema.size() > 0) keep.push_back(schema.field(CheapestField(schema)).name);
  Names wanted(keep.begin(), keep.end());
  std::vector<PlanPtr> inputs;
  for (const PlanPtr& input : plan->inputs) {
    PlanPtr pruned = Prune(input, wanted);
    bool exact = pruned->schema->size() == keep.size();
    for (size_t i = 0; exact && i < keep.size(); ++i)
      exact = pruned->schema->field(i).name == keep[i];
    if (!exact) {
      std::vector<Expr> exprs;
      for (const std::string& name : keep) exprs.push_back(col(name));
      pruned = MakeProject(pruned, std::move(exprs));
    }
    inputs.push_back(pruned);
  }
  return ReplaceInputs(plan, std::move(inputs));
}

/// Keeps the window expressions something reads, and the input columns they and the parent
/// read. With none left the node goes: a window passes its input's rows through in order.
PlanPtr PruneWindow(const PlanPtr& plan, const Names& required) {
  std::vector<WindowExpr> windows;
  for (const WindowExpr& window : plan->windows)
    if (required.count(window.name)) windows.push_back(window);
  if (windows.empty()) return Prune(plan->inputs[0], required);
  Names needed = required;
  for (const WindowExpr& window : windows) {
    for (const Expr& arg : window.args) AddReferencedColumns(arg, &needed);
    for (const Expr& key : window.partition_by) AddReferencedColumns(key, &needed);
    for (const SortKey& key : window.order_by) AddReferencedColumns(key.expr, &needed);
  }
  PlanPtr input = Prune(plan->inputs[0], needed);
  if (input == plan->inputs[0] && windows.size() == plan->windows.size()) return plan;
  return MakeWindow(input, std::move(windows));
}

PlanPtr Prune(const PlanPtr& plan, const Names& required) {
  switch (plan->kind) {
    case PlanKind::kScan: return PruneScan(plan, required);
    case PlanKind::kFilter: {
      Names needed = required;
      AddReferencedColumns(plan->predicate, &needed);
      return ReplaceInputs(plan, {Prune(plan->inputs[0], needed)});
    }
    case PlanKind::kProject: return PruneProject(plan, required);
    case PlanKind::kAggregate: return PruneAggregate(plan, required);
    case PlanKind::kJoin: return PruneJoin(plan, required);
    case PlanKind::kSort: {
      Names needed = required;
      for (const SortKey& key : plan->sort_keys) AddReferencedColumns(key.expr, &needed);
      return ReplaceInputs(plan, {Prune(plan->inputs[0], needed)});
    }
    case PlanKind::kLimit: return ReplaceInputs(plan, {Prune(plan->inputs[0], required)});
    case PlanKind::kDistinct: {
      Names needed = required;
      if (plan->subset.empty())
        needed = AllNames(*plan->schema);
      else
        needed.insert(plan->subset.begin(), plan->subset.end());
      return ReplaceInputs(plan, {Prune(plan->inputs[0], needed)});
    }
    case PlanKind::kUnion: return PruneUnion(plan, required);
    case PlanKind::kWindow: return PruneWindow(plan, required);
    case PlanKind::kSink:
      return ReplaceInputs(plan, {Prune(plan->inputs[0], AllNames(*plan->inputs[0]->schema))});
  }
  return plan;
}

}  // namespace

PlanPtr ProjectionPushdown(const PlanPtr& plan) {
  return Prune(plan, AllNames(*plan->schema));
}

}  // namespace sluice
