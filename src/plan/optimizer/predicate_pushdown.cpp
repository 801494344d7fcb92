// Predicate pushdown: each conjunct of a filter moves down the plan as far as it keeps its
// meaning, renamed to the names below it, and ends in a scan's filters (which also drive
// row-group pruning by statistics) or in a filter just above the node that stopped it.
//
// Where a conjunct may go:
//   Project    when every column it reads is a plain column (or a rename) of the projection.
//   Sort       always, unless the sort is a top-k (a filter above a limit is not one below it).
//   Limit      never.
//   Aggregate  when it reads only grouping keys (the key expression is substituted).
//   Distinct   when it reads only the distinct subset (or the subset is every column).
//   Union      into every input.
//   Window     when it reads only columns that every window expression partitions by.
//   Join       to a side that does not supply nulls: left columns to the left input of inner,
//              left, semi, anti and cross joins; right columns to the right input of inner,
//              right and cross joins (suffixes removed). A conjunct over equi-join keys of the
//              same non-float type is also copied to the other side where that keeps rows the
//              same. Nothing passes a full join.
//
// Conjuncts keep their order, and a conjunct that may fail at run time (MayFail: overflow,
// division by zero, a strict cast) must not run on rows the query never evaluated it on: it never
// moves below a node that drops rows (a join, another filter, a filtering scan) nor ahead of a
// conjunct that stays behind. That holds whether the executor evaluates a conjunction on every
// row or conjunct by conjunct on the rows still selected.
// Conjuncts that read no column stay where they are (a constant false below an aggregate without
// keys would turn no row into one).
#include <map>
#include <optional>

#include "plan/expr_util.h"
#include "plan/optimizer/join_residual.h"
#include "plan/optimizer/passes.h"
#include "plan/optimizer/rewrite_util.h"

namespace sluice {

namespace {

PlanPtr Push(const PlanPtr& plan, std::vector<Expr> predicates);

PlanPtr WrapFilter(PlanPtr plan, const std::vector<Expr>& predicates) {
  if (predicates.empty()) return plan;
  return MakeFilter(std::move(plan), JoinConjunction(predicates));
}

/// Pushes nothing into the node itself; only its inputs are optimized.
PlanPtr Stop(const PlanPtr& plan, const std::vector<Expr>& predicates) {
  std::vector<PlanPtr> inputs;
  for (const PlanPtr& input : plan->inputs) inputs.push_back(Push(input, {}));
  return WrapFilter(ReplaceInputs(plan, std::move(inputs)), predicates);
}

/// A conjunct rewritten for one destination (an input of the node).
struct Placement {
  int destination = 0;
  Expr predicate;
};

/// Where the conjuncts reaching a node go: kept in a filter above it, or pushed to an input.
struct Routing {
  std::vector<Expr> stay;
  std::vector<std::vector<Expr>> pushed;  ///< Per input.
};

/// Splits `predicates` between the node (stay) and its inputs, in order. `place` returns where a
/// conjunct may go (nothing: it stays). `keeps_rows`: the node passes every input row's values
/// through (no join), so a conjunct that may fail can still move when nothing before it stayed.
Routing Route(const std::vector<Expr>& predicates, const Schema& schema, size_t destinations,
              bool keeps_rows, const std::function<std::vector<Placement>(const Expr&)>& place) {
  Routing routing;
  routing.pushed.resize(destinations);
  for (const Expr& predicate : predicates) {
    std::vector<Placement> placements;
    if (!ReferencedColumns(predicate).empty()) placements = place(predicate);
    bool movable = !placements.empty();
    if (movable && MayFail(predicate, schema)) movable = keeps_rows && routing.stay.empty();
    if (!movable) {
      routing.stay.push_back(predicate);
      continue;
    }
    for (Placement& placement : placements)
      routing.pushed[placement.destination].push_back(std::move(placement.predicate));
  }
  return routing;
}

PlanPtr PushProject(const PlanPtr& plan, const std::vector<Expr>& predicates) {
  std::map<std::string, std::string> renames;  // output name -> input column, for plain columns
  for (const Expr& expr : plan->exprs) {
    Expr inner = StripAlias(expr);
    if (inner.kind() == ExprKind::kColumn) renames[expr.OutputName()] = inner.node().name;
  }
  Routing routing = Route(predicates, *plan->schema, 1, true, [&](const Expr& predicate) {
    for (const std::string& name : ReferencedColumns(predicate))
      if (!renames.count(name)) return std::vector<Placement>{};
    Expr renamed =
        RenameColumns(predicate, [&](const std::string& name) { return renames.at(name); });
    return std::vector<Placement>{{0, renamed}};
  });
  PlanPtr input = Push(plan->inputs[0], std::move(routing.pushed[0]));
  return WrapFilter(ReplaceInputs(plan, {input}), routing.stay);
}

PlanPtr PushAggregate(const PlanPtr& plan, const std::vector<Expr>& predicates) {
  std::map<std::string, Expr> keys;  // output name -> key expression over the input
  for (const Expr& key : plan->keys) keys[key.OutputName()] = StripAlias(key);
  Routing routing = Route(predicates, *plan->schema, 1, true, [&](const Expr& predicate) {
    for (const std::string& name : ReferencedColumns(predicate))
      if (!keys.count(name)) return std::vector<Placement>{};
    Expr substituted = Transform(predicate, [&](const Expr& e) {
      return e.kind() == ExprKind::kColumn ? keys.at(e.node().name) : e;
    });
    return std::vector<Placement>{{0, substituted}};
  });
  PlanPtr input = Push(plan->inputs[0], std::move(routing.pushed[0]));
  return WrapFilter(ReplaceInputs(plan, {input}), routing.stay);
}

PlanPtr PushDistinct(const PlanPtr& plan, const std::vector<Expr>& predicates) {
  std::set<std::string> subset(plan->subset.begin(), plan->subset.end());
  Routing routing = Route(predicates, *plan->schema, 1, true, [&](const Expr& predicate) {
    if (!subset.empty()) {
      for (const std::string& name : ReferencedColumns(predicate))
        if (!subset.count(name)) return std::vector<Placement>{};
    }
    return std::vector<Placement>{{0, predicate}};
  });
  PlanPtr input = Push(plan->inputs[0], std::move(routing.pushed[0]));
  return WrapFilter(ReplaceInputs(plan, {input}), routing.stay);
}

PlanPtr PushUnion(const PlanPtr& plan, const std::vector<Expr>& predicates) {
  std::vector<PlanPtr> inputs;
  for (const PlanPtr& input : plan->inputs) inputs.push_back(Push(input, predicates));
  return ReplaceInputs(plan, std::move(inputs));
}

/// How each output column of a join reads on either input: its name on the side it comes from,
/// and its name on the other side when it is an equi-join key whose values are equal there.
struct JoinSides {
  std::map<std::string, std::string> left, right;  // output name -> input name
};

/// The key types may differ (int32 = int64 joins); a predicate copied across must see the same
/// values under the same semantics, so only identical non-float types qualify.
bool SameKeyType(const LogicalPlan& join, const std::string& left, const std::string& right) {
  const DataType& l = join.inputs[0]->schema->field(join.inputs[0]->schema->FieldIndex(left)).type;
  const DataType& r = join.inputs[1]->schema->field(join.inputs[1]->schema->FieldIndex(right)).type;
  return l == r && !l.IsFloating();
}

JoinSides MapJoinSides(const LogicalPlan& join) {
  JoinSides sides;
  std::vector<JoinColumn> columns = JoinOutputColumns(join);
  const JoinType type = join.join_type;
  for (size_t i = 0; i < columns.size(); ++i) {
    const JoinColumn& column = columns[i];
    const std::string& output = join.schema->field(i).name;
    if (column.side == 0) {
      // A coalesced key of a right or full join holds the right key where the left is missing.
      if (column.coalesced_right.empty() || type == JoinType::kInner || type == JoinType::kLeft)
        sides.left[output] = column.name;
      if (!column.coalesced_right.empty() && type == JoinType::kRight)
        sides.right[output] = column.coalesced_right;
    } else {
      sides.right[output] = column.name;
    }
  }
  return sides;
}

/// The right key paired with a plain left key column (and the reverse), for copies.
std::map<std::string, std::string> KeyPairs(const LogicalPlan& join, bool left_to_right) {
  std::map<std::string, std::string> pairs;
  for (size_t i = 0; i < join.left_on.size(); ++i) {
    if (join.left_on[i].kind() != ExprKind::kColumn || join.right_on[i].kind() != ExprKind::kColumn)
      continue;
    const std::string& l = join.left_on[i].node().name;
    const std::string& r = join.right_on[i].node().name;
    if (!SameKeyType(join, l, r)) continue;
    if (left_to_right)
      pairs[l] = r;
    else
      pairs[r] = l;
  }
  return pairs;
}

/// `predicate` renamed through `names`, or nothing when it reads a column not in it.
std::optional<Expr> RenameAll(const Expr& predicate,
                              const std::map<std::string, std::string>& names) {
  for (const std::string& name : ReferencedColumns(predicate))
    if (!names.count(name)) return std::nullopt;
  return RenameColumns(predicate, [&](const std::string& name) { return names.at(name); });
}

PlanPtr PushJoin(const PlanPtr& plan, const std::vector<Expr>& predicates) {
  const LogicalPlan& join = *plan;
  const JoinType type = join.join_type;
  if (type == JoinType::kFull) return Stop(plan, predicates);
  const bool to_left = type != JoinType::kRight;
  const bool to_right =
      type == JoinType::kInner || type == JoinType::kRight || type == JoinType::kCross;
  // A copy across the keys keeps the same rows: for inner, left, semi and anti joins a left
  // row failing the predicate is gone, so right rows failing it could only have matched it
  // (and symmetrically for right joins).
  const bool copy_right = type == JoinType::kInner || type == JoinType::kLeft ||
                          type == JoinType::kSemi || type == JoinType::kAnti;
  const bool copy_left = type == JoinType::kInner || type == JoinType::kRight;
  JoinSides sides = MapJoinSides(join);
  std::map<std::string, std::string> left_to_right = KeyPairs(join, true);
  std::map<std::string, std::string> right_to_left = KeyPairs(join, false);
  Routing routing = Route(predicates, *plan->schema, 2, false, [&](const Expr& predicate) {
    std::vector<Placement> placements;
    if (to_left) {
      if (std::optional<Expr> left = RenameAll(predicate, sides.left)) {
        placements.push_back({0, *left});
        if (copy_right)
          if (std::optional<Expr> right = RenameAll(*left, left_to_right))
            placements.push_back({1, *right});
        return placements;
      }
    }
    if (to_right) {
      if (std::optional<Expr> right = RenameAll(predicate, sides.right)) {
        placements.push_back({1, *right});
        if (copy_left)
          if (std::optional<Expr> left = RenameAll(*right, right_to_left))
            placements.push_back({0, *left});
      }
    }
    return placements;
  });
  // The residual (join_residual.h): its one-side conjuncts move into that side where the join
  // does not preserve it; for inner and cross joins, conjuncts that stayed because they read both
  // sides join the residual, which runs on the key matches before the output is assembled (and
  // turns a cross join into a hash join when it has key equalities).
  ResidualSplit split = SplitResidual(join);
  bool rebuild = !split.to_left.empty() || !split.to_right.empty() ||
                 (type == JoinType::kCross && join.residual.valid());
  std::vector<Expr> stay;
  for (Expr& predicate : routing.stay) {
    Expr renamed;
    if (!ReferencedColumns(predicate).empty() && !MayFail(predicate, *plan->schema) &&
        OutputToResidualNames(join, predicate, &renamed)) {
      split.keep.push_back(std::move(renamed));
      rebuild = true;
    } else {
      stay.push_back(std::move(predicate));
    }
  }
  for (Expr& predicate : split.to_left) routing.pushed[0].push_back(std::move(predicate));
  for (Expr& predicate : split.to_right) routing.pushed[1].push_back(std::move(predicate));
  PlanPtr rebuilt = rebuild ? WithResidual(plan, split.keep) : plan;
  PlanPtr left = Push(join.inputs[0], std::move(routing.pushed[0]));
  PlanPtr right = Push(join.inputs[1], std::move(routing.pushed[1]));
  return WrapFilter(ReplaceInputs(rebuilt, {left, right}), stay);
}

/// A window computes over whole partitions: removing rows of some partitions leaves every other
/// row's results alone, so a conjunct over columns that partition every window expression moves
/// below it. Any other conjunct would remove rows from partitions (changing ranks, sums...).
PlanPtr PushWindow(const PlanPtr& plan, const std::vector<Expr>& predicates) {
  std::set<std::string> shared;
  for (size_t w = 0; w < plan->windows.size(); ++w) {
    std::set<std::string> columns;
    for (const Expr& key : plan->windows[w].partition_by)
      if (key.kind() == ExprKind::kColumn) columns.insert(key.node().name);
    if (w == 0) {
      shared = std::move(columns);
    } else {
      std::set<std::string> both;
      for (const std::string& name : shared)
        if (columns.count(name)) both.insert(name);
      shared = std::move(both);
    }
  }
  Routing routing = Route(predicates, *plan->schema, 1, true, [&](const Expr& predicate) {
    for (const std::string& name : ReferencedColumns(predicate))
      if (!shared.count(name)) return std::vector<Placement>{};
    return std::vector<Placement>{{0, predicate}};
  });
  PlanPtr input = Push(plan->inputs[0], std::move(routing.pushed[0]));
  return WrapFilter(ReplaceInputs(plan, {input}), routing.stay);
}

PlanPtr PushScan(const PlanPtr& plan, const std::vector<Expr>& predicates) {
  if (predicates.empty()) return plan;
  std::vector<Expr> filters = plan->filters;
  std::vector<Expr> stay;
  for (const Expr& predicate : predicates) {
    // Constant conjuncts stay above, as everywhere else; so does one that may fail when the
    // scan already filters (it would then run on rows those filters drop).
    bool fails_early = !plan->filters.empty() && MayFail(predicate, *plan->schema);
    if (ReferencedColumns(predicate).empty() || fails_early || !stay.empty())
      stay.push_back(predicate);
    else
      filters.push_back(predicate);
  }
  return WrapFilter(MakeScan(plan->source, plan->columns, std::move(filters)), stay);
}

PlanPtr Push(const PlanPtr& plan, std::vector<Expr> predicates) {
  switch (plan->kind) {
    case PlanKind::kFilter: {
      // This filter's conjuncts run first; conjuncts from above join them unless they may fail
      // (the executor may evaluate a whole conjunction on every row it sees).
      std::vector<Expr> all = SplitConjunction(plan->predicate);
      std::vector<Expr> above;
      for (Expr& predicate : predicates)
        (MayFail(predicate, *plan->schema) ? above : all).push_back(std::move(predicate));
      return WrapFilter(Push(plan->inputs[0], std::move(all)), above);
    }
    case PlanKind::kScan: return PushScan(plan, predicates);
    case PlanKind::kProject: return PushProject(plan, predicates);
    case PlanKind::kSort:
      if (plan->limit) return Stop(plan, predicates);
      return ReplaceInputs(plan, {Push(plan->inputs[0], std::move(predicates))});
    case PlanKind::kAggregate: return PushAggregate(plan, predicates);
    case PlanKind::kDistinct: return PushDistinct(plan, predicates);
    case PlanKind::kUnion: return PushUnion(plan, predicates);
    case PlanKind::kJoin: return PushJoin(plan, predicates);
    case PlanKind::kWindow: return PushWindow(plan, predicates);
    case PlanKind::kLimit:
    case PlanKind::kSink: return Stop(plan, predicates);
  }
  return Stop(plan, predicates);
}

}  // namespace

PlanPtr PredicatePushdown(const PlanPtr& plan) {
  return Push(plan, {});
}

}  // namespace sluice
