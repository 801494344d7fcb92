// Semi join pushdown: a semi or anti join (EXISTS, IN) moves below filters and projections (of its
// key columns, renamed), and over a join whose keys read columns of one input of that join only
// it is applied to that input instead, before the join multiplies its rows:
// `orders JOIN lineitem ... WHERE o_orderkey IN (...)` filters the orders first. Each row of the
// input either keeps or loses all its joined rows, so the same rows come out. Only sides whose
// rows the join never pads with nulls qualify (both of an inner or cross join, the left of a left
// join, the right of a right join), and only semi joins without a residual condition (whose
// columns would need renaming on both sides).
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "plan/expr_util.h"
#include "plan/optimizer/passes.h"
#include "plan/optimizer/rewrite_util.h"

namespace sluice {

namespace {

/// `key` with its columns renamed through `renames`.
Expr Renamed(const Expr& key, const std::map<std::string, std::string>& renames) {
  return RenameColumns(key, [&](const std::string& name) {
    auto it = renames.find(name);
    return it == renames.end() ? name : it->second;
  });
}

/// The names a projection's outputs `names` read, when each is a plain column (renamed or not).
std::optional<std::map<std::string, std::string>> PlainColumns(const LogicalPlan& project,
                                                               const std::set<std::string>& names) {
  std::map<std::string, std::string> renames;
  for (const Expr& expr : project.exprs) {
    if (!names.count(expr.OutputName())) continue;
    const Expr source = StripAlias(expr);
    if (source.kind() != ExprKind::kColumn) return std::nullopt;
    renames[expr.OutputName()] = source.node().name;
  }
  if (renames.size() != names.size()) return std::nullopt;
  return renames;
}

PlanPtr PushSemiJoin(const PlanPtr& node) {
  if (node->kind != PlanKind::kJoin ||
      (node->join_type != JoinType::kSemi && node->join_type != JoinType::kAnti) ||
      node->residual.valid())
    return node;
  const PlanPtr& below = node->inputs[0];
  std::set<std::string> names;
  for (const Expr& key : node->left_on) AddReferencedColumns(key, &names);
  if (names.empty()) return node;
  // Under a filter: the semi join keeps or drops each row whatever the filter does.
  auto push_into = [&](const PlanPtr& input, const std::map<std::string, std::string>& renames) {
    std::vector<Expr> left_on;
    for (const Expr& key : node->left_on) left_on.push_back(Renamed(key, renames));
    return PushSemiJoin(MakeJoin(input, node->inputs[1], node->join_type, std::move(left_on),
                                 node->right_on, node->suffix, node->coalesce_keys));
  };
  if (below->kind == PlanKind::kFilter)
    return ReplaceInputs(below, {push_into(below->inputs[0], {})});
  if (below->kind == PlanKind::kProject) {
    auto renames = PlainColumns(*below, names);
    if (!renames) return node;
    return ReplaceInputs(below, {push_into(below->inputs[0], *renames)});
  }
  if (below->kind != PlanKind::kJoin) return node;
  auto supplying = SupplyingSide(*below, names);
  if (!supplying) return node;
  const auto& [side, renames] = *supplying;
  std::vector<PlanPtr> inputs = below->inputs;
  inputs[static_cast<size_t>(side)] = push_into(below->inputs[static_cast<size_t>(side)], renames);
  return ReplaceInputs(below, std::move(inputs));
}

}  // namespace

PlanPtr SemiJoinPushdown(const PlanPtr& plan) {
  return TransformPlan(plan, PushSemiJoin);
}

}  // namespace sluice
