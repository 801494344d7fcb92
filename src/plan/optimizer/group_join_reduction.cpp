// Group join reduction: a join that looks up groups of an aggregate by its keys (a decorrelated
// scalar subquery: `l_quantity < (SELECT 0.2 * avg(l_quantity) FROM lineitem WHERE l_partkey =
// p_partkey)` becomes lineitem grouped by l_partkey, joined on the key) needs only the groups
// whose keys the other side has. The aggregate's input is first semi-joined with the input that
// supplies those keys on the other side (the 200 parts of TPC-H Q17, not all 200,000), so the
// aggregate sees the rows of wanted groups only. Groups are dropped whole, so the groups kept
// have the same values, in the same order of first appearance.
//
// The supplying input is found by descending the other side through the joins that pass the key
// columns on (renamed as needed), and is used only when it is cheap to read again: scans,
// filters, projections and semi or anti joins of such, and only when it filters its tables (so
// that it can drop groups). An inner, left or semi join qualifies (the
// aggregate's rows that match nothing are dropped by those), without a residual condition.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "plan/expr_util.h"
#include "plan/optimizer/passes.h"
#include "plan/optimizer/rewrite_util.h"
#include "plan/row_estimate.h"

namespace sluice {

namespace {

/// The share of its tables' rows the supplier must keep at most for the reduction to pay.
constexpr double kMostKept = 0.5;

/// True when reading `plan` again costs about one pass over its scans.
bool Cheap(const PlanPtr& plan) {
  switch (plan->kind) {
    case PlanKind::kScan: return true;
    case PlanKind::kFilter:
    case PlanKind::kProject: return Cheap(plan->inputs[0]);
    case PlanKind::kJoin:
      return (plan->join_type == JoinType::kSemi || plan->join_type == JoinType::kAnti) &&
             Cheap(plan->inputs[0]) && Cheap(plan->inputs[1]);
    default: return false;
  }
}

/// The node under `plan` (through inner, left, right and cross joins passing the columns on, and
/// renaming projections) whose rows carry every value of columns `names` that `plan` outputs,
/// with the names it gives them.
std::pair<PlanPtr, std::map<std::string, std::string>> Supplier(
    PlanPtr plan, std::map<std::string, std::string> names) {
  while (true) {
    std::set<std::string> wanted;
    for (const auto& [original, name] : names) wanted.insert(name);
    std::optional<std::map<std::string, std::string>> renames;
    int input = 0;
    if (plan->kind == PlanKind::kJoin && plan->join_type != JoinType::kSemi &&
        plan->join_type != JoinType::kAnti && !plan->residual.valid()) {
      auto side = SupplyingSide(*plan, wanted);
      if (side) {
        input = side->first;
        renames = side->second;
      }
    } else if (plan->kind == PlanKind::kProject) {
      std::map<std::string, std::string> plain;
      for (const Expr& expr : plan->exprs) {
        const Expr source = StripAlias(expr);
        if (wanted.count(expr.OutputName()) && source.kind() == ExprKind::kColumn)
          plain[expr.OutputName()] = source.node().name;
      }
      if (plain.size() == wanted.size()) renames = std::move(plain);
    }
    if (!renames) return {plan, names};
    for (auto& [original, name] : names) name = renames->at(name);
    plan = plan->inputs[static_cast<size_t>(input)];
  }
}

PlanPtr ReduceGroups(const PlanPtr& node) {
  if (node->kind != PlanKind::kJoin || node->residual.valid() ||
      (node->join_type != JoinType::kInner && node->join_type != JoinType::kLeft &&
       node->join_type != JoinType::kSemi))
    return node;
  // Down the right side to an aggregate, following each right key's name.
  std::vector<PlanPtr> path;  // Nodes above the aggregate, top first.
  PlanPtr at = node->inputs[1];
  std::vector<std::optional<std::string>> names;
  for (const Expr& key : node->right_on) {
    names.push_back(key.kind() == ExprKind::kColumn ? std::optional(key.node().name)
                                                    : std::nullopt);
  }
  while (at->kind == PlanKind::kProject || at->kind == PlanKind::kFilter) {
    if (at->kind == PlanKind::kProject) {
      for (auto& name : names) {
        if (!name) continue;
        std::optional<std::string> source;
        for (const Expr& expr : at->exprs) {
          const Expr stripped = StripAlias(expr);
          if (expr.OutputName() == *name && stripped.kind() == ExprKind::kColumn)
            source = stripped.node().name;
        }
        name = source;
      }
    }
    path.push_back(at);
    at = at->inputs[0];
  }
  if (at->kind != PlanKind::kAggregate || at->keys.empty()) return node;
  // Pairs (aggregate key over its input, the other side's key column).
  std::vector<Expr> group_keys;
  std::map<std::string, std::string> other;  // The other side's key name -> itself (to rename).
  std::vector<std::string> other_order;
  for (size_t i = 0; i < names.size(); ++i) {
    if (!names[i] || node->left_on[i].kind() != ExprKind::kColumn) continue;
    for (const Expr& key : at->keys) {
      if (key.OutputName() != *names[i]) continue;
      const std::string& name = node->left_on[i].node().name;
      if (other.count(name)) break;
      group_keys.push_back(StripAlias(key));
      other[name] = name;
      other_order.push_back(name);
      break;
    }
  }
  if (group_keys.empty()) return node;
  auto [supplier, renamed] = Supplier(node->inputs[0], other);
  // An unfiltered supplier (all of TPC-H Q18's orders) would keep every group: a semi join that
  // drops nothing costs a pass over the aggregate's input and a table of all the keys.
  if (!Cheap(supplier) || EstimateRows(supplier).fraction > kMostKept) return node;
  std::vector<Expr> supplier_keys;
  for (const std::string& name : other_order) supplier_keys.push_back(col(renamed.at(name)));
  PlanPtr reduced = MakeJoin(at->inputs[0], supplier, JoinType::kSemi, std::move(group_keys),
                             std::move(supplier_keys));
  PlanPtr rebuilt = ReplaceInputs(at, {std::move(reduced)});
  for (auto it = path.rbegin(); it != path.rend(); ++it) rebuilt = ReplaceInputs(*it, {rebuilt});
  return ReplaceInputs(node, {node->inputs[0], std::move(rebuilt)});
}

}  // namespace

PlanPtr GroupJoinReduction(const PlanPtr& plan) {
  return TransformPlan(plan, ReduceGroups);
}

}  // namespace sluice
