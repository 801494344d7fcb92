// Semi join pushdown: a semi or anti join (EXISTS, IN) over a join whose keys read columns of one
// input of that join only is applied to that input instead, before the join multiplies its rows:
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

/// The side of `join` that supplies every column in `names` (and may take a filter), with each
/// name mapped to that side's own name; nullopt when there is none.
std::optional<std::pair<int, std::map<std::string, std::string>>> SupplyingSide(
    const LogicalPlan& join, const std::set<std::string>& names) {
  const std::vector<JoinColumn> columns = JoinOutputColumns(join);
  for (int side = 0; side < 2; ++side) {
    const bool preserved = join.join_type == JoinType::kInner ||
                           join.join_type == JoinType::kCross ||
                           (join.join_type == JoinType::kLeft && side == 0) ||
                           (join.join_type == JoinType::kRight && side == 1);
    if (!preserved) continue;
    std::map<std::string, std::string> renames;
    for (size_t c = 0; c < columns.size(); ++c) {
      const std::string& output = join.schema->field(c).name;
      if (!names.count(output)) continue;
      const JoinColumn& column = columns[c];
      // A coalesced key holds the left key's value, equal to the right key's in an inner join.
      if (column.side == side)
        renames[output] = column.name;
      else if (side == 1 && !column.coalesced_right.empty() && join.join_type == JoinType::kInner)
        renames[output] = column.coalesced_right;
    }
    if (renames.size() == names.size()) return std::make_pair(side, std::move(renames));
  }
  return std::nullopt;
}

PlanPtr PushSemiJoin(const PlanPtr& node) {
  if (node->kind != PlanKind::kJoin ||
      (node->join_type != JoinType::kSemi && node->join_type != JoinType::kAnti) ||
      node->residual.valid() || node->inputs[0]->kind != PlanKind::kJoin)
    return node;
  const PlanPtr& below = node->inputs[0];
  std::set<std::string> names;
  for (const Expr& key : node->left_on) AddReferencedColumns(key, &names);
  if (names.empty()) return node;
  auto supplying = SupplyingSide(*below, names);
  if (!supplying) return node;
  const auto& [side, renames] = *supplying;
  std::vector<Expr> left_on;
  for (const Expr& key : node->left_on) {
    left_on.push_back(RenameColumns(key, [&](const std::string& name) {
      auto it = renames.find(name);
      return it == renames.end() ? name : it->second;
    }));
  }
  PlanPtr pushed = PushSemiJoin(MakeJoin(below->inputs[static_cast<size_t>(side)], node->inputs[1],
                                         node->join_type, std::move(left_on), node->right_on,
                                         node->suffix, node->coalesce_keys));
  std::vector<PlanPtr> inputs = below->inputs;
  inputs[static_cast<size_t>(side)] = std::move(pushed);
  return ReplaceInputs(below, std::move(inputs));
}

}  // namespace

PlanPtr SemiJoinPushdown(const PlanPtr& plan) {
  return TransformPlan(plan, PushSemiJoin);
}

}  // namespace sluice
