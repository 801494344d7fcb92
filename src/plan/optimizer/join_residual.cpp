// Residual helpers of the optimizer passes (see join_residual.h).
#include "plan/optimizer/join_residual.h"

#include <set>

#include "expr/bound_expr.h"
#include "plan/expr_util.h"

namespace sluice {

std::map<std::string, JoinColumn> ResidualColumns(const LogicalPlan& join) {
  const Schema& left = *join.inputs[0]->schema;
  const Schema& right = *join.inputs[1]->schema;
  SchemaPtr both = JoinResidualSchema(left, right, join.suffix);
  std::map<std::string, JoinColumn> columns;
  for (size_t i = 0; i < both->size(); ++i) {
    const bool is_left = i < left.size();
    columns.emplace(
        both->field(i).name,
        JoinColumn{is_left ? 0 : 1,
                   is_left ? left.field(i).name : right.field(i - left.size()).name, ""});
  }
  return columns;
}

namespace {

/// Whether a residual conjunct over one side only may become a filter of that side's input.
bool SideMayTakeConjunct(JoinType type, int side) {
  switch (type) {
    case JoinType::kInner:
    case JoinType::kCross: return true;
    case JoinType::kSemi: return true;
    case JoinType::kLeft:
    case JoinType::kAnti: return side == 1;
    case JoinType::kRight: return side == 0;
    case JoinType::kFull: return false;
  }
  return false;
}

/// The one side every column of `expr` comes from, or -1 (both sides, no column, unknown).
int SideOf(const Expr& expr, const std::map<std::string, JoinColumn>& columns) {
  int side = -1;
  for (const std::string& name : ReferencedColumns(expr)) {
    auto it = columns.find(name);
    if (it == columns.end()) return -1;
    if (side >= 0 && side != it->second.side) return -1;
    side = it->second.side;
  }
  return side;
}

}  // namespace

ResidualSplit SplitResidual(const LogicalPlan& join) {
  ResidualSplit split;
  if (!join.residual.valid()) return split;
  const std::map<std::string, JoinColumn> columns = ResidualColumns(join);
  SchemaPtr both =
      JoinResidualSchema(*join.inputs[0]->schema, *join.inputs[1]->schema, join.suffix);
  for (const Expr& conjunct : SplitConjunction(join.residual)) {
    const int side = SideOf(conjunct, columns);
    if (side < 0 || !SideMayTakeConjunct(join.join_type, side) || MayFail(conjunct, *both)) {
      split.keep.push_back(conjunct);
      continue;
    }
    Expr renamed =
        RenameColumns(conjunct, [&](const std::string& name) { return columns.at(name).name; });
    (side == 0 ? split.to_left : split.to_right).push_back(std::move(renamed));
  }
  return split;
}

bool OutputToResidualNames(const LogicalPlan& join, const Expr& predicate, Expr* renamed) {
  if (join.join_type != JoinType::kInner && join.join_type != JoinType::kCross) return false;
  const std::vector<JoinColumn> outputs = JoinOutputColumns(join);
  const Schema& left = *join.inputs[0]->schema;
  const Schema& right = *join.inputs[1]->schema;
  SchemaPtr both = JoinResidualSchema(left, right, join.suffix);
  std::map<std::string, std::string> names;  // output name -> residual name
  for (size_t i = 0; i < outputs.size(); ++i) {
    const JoinColumn& column = outputs[i];
    // An inner join's coalesced key equals the right key; reading the left one is enough.
    const size_t at = column.side == 0 ? left.FieldIndex(column.name)
                                       : left.size() + right.FieldIndex(column.name);
    names[join.schema->field(i).name] = both->field(at).name;
  }
  for (const std::string& name : ReferencedColumns(predicate))
    if (!names.count(name)) return false;
  *renamed = RenameColumns(predicate, [&](const std::string& name) { return names.at(name); });
  return true;
}

namespace {

/// True for `l == r` of a plain left and a plain right column of the same non-float type (as a
/// hash join key it keeps the same pairs: nulls match nothing either way).
bool IsKeyEquality(const Expr& conjunct, const std::map<std::string, JoinColumn>& columns,
                   const LogicalPlan& join, Expr* left_key, Expr* right_key) {
  if (conjunct.kind() != ExprKind::kCall || conjunct.node().name != "equal" ||
      conjunct.node().args.size() != 2)
    return false;
  Expr a = conjunct.arg(0);
  Expr b = conjunct.arg(1);
  if (a.kind() != ExprKind::kColumn || b.kind() != ExprKind::kColumn) return false;
  auto ia = columns.find(a.node().name);
  auto ib = columns.find(b.node().name);
  if (ia == columns.end() || ib == columns.end() || ia->second.side == ib->second.side)
    return false;
  const JoinColumn& l = ia->second.side == 0 ? ia->second : ib->second;
  const JoinColumn& r = ia->second.side == 0 ? ib->second : ia->second;
  const Schema& left = *join.inputs[0]->schema;
  const Schema& right = *join.inputs[1]->schema;
  const DataType& lt = left.field(left.FieldIndex(l.name)).type;
  const DataType& rt = right.field(right.FieldIndex(r.name)).type;
  if (!(lt == rt) || lt.IsFloating()) return false;
  *left_key = col(l.name);
  *right_key = col(r.name);
  return true;
}

}  // namespace

PlanPtr WithResidual(const PlanPtr& plan, const std::vector<Expr>& conjuncts) {
  const LogicalPlan& join = *plan;
  std::vector<Expr> left_on = join.left_on;
  std::vector<Expr> right_on = join.right_on;
  JoinType type = join.join_type;
  bool coalesce_keys = join.coalesce_keys;
  std::vector<Expr> rest;
  if (type == JoinType::kCross) {
    const std::map<std::string, JoinColumn> columns = ResidualColumns(join);
    for (const Expr& conjunct : conjuncts) {
      Expr l, r;
      if (IsKeyEquality(conjunct, columns, join, &l, &r)) {
        left_on.push_back(std::move(l));
        right_on.push_back(std::move(r));
      } else {
        rest.push_back(conjunct);
      }
    }
    if (!left_on.empty()) {
      type = JoinType::kInner;
      coalesce_keys = false;
    }
  } else {
    rest = conjuncts;
  }
  return MakeJoin(join.inputs[0], join.inputs[1], type, std::move(left_on), std::move(right_on),
                  join.suffix, coalesce_keys, JoinConjunction(rest));
}

}  // namespace sluice
