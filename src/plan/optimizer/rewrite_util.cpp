// Shared helpers of the optimizer passes (see rewrite_util.h).
#include "plan/optimizer/rewrite_util.h"

#include <string_view>
#include <type_traits>
#include <variant>

#include "core/error.h"
#include "expr/bound_expr.h"
#include "plan/expr_util.h"

namespace sluice {

PlanPtr ReplaceInputs(const PlanPtr& plan, std::vector<PlanPtr> inputs) {
  bool same = inputs.size() == plan->inputs.size();
  for (size_t i = 0; same && i < inputs.size(); ++i) same = inputs[i] == plan->inputs[i];
  if (same) return plan;
  return WithInputs(plan, std::move(inputs));
}

PlanPtr TransformPlan(const PlanPtr& plan, const std::function<PlanPtr(const PlanPtr&)>& rewrite) {
  std::vector<PlanPtr> inputs;
  inputs.reserve(plan->inputs.size());
  for (const PlanPtr& input : plan->inputs) inputs.push_back(TransformPlan(input, rewrite));
  return rewrite(ReplaceInputs(plan, std::move(inputs)));
}

std::vector<JoinColumn> JoinOutputColumns(const LogicalPlan& join) {
  const Schema& left = *join.inputs[0]->schema;
  const Schema& right = *join.inputs[1]->schema;
  std::vector<JoinColumn> out;
  for (const Field& field : left.fields()) out.push_back({0, field.name, ""});
  if (join.join_type == JoinType::kSemi || join.join_type == JoinType::kAnti) return out;
  // Mirrors MakeJoin: with coalesce_keys, the right key of a plain-column pair is dropped and
  // the left key stands for both.
  std::vector<bool> dropped(right.size(), false);
  if (join.coalesce_keys) {
    for (size_t i = 0; i < join.left_on.size(); ++i) {
      if (join.left_on[i].kind() != ExprKind::kColumn ||
          join.right_on[i].kind() != ExprKind::kColumn)
        continue;
      dropped[right.FieldIndex(join.right_on[i].node().name)] = true;
      size_t left_index = left.FieldIndex(join.left_on[i].node().name);
      out[left_index].coalesced_right = join.right_on[i].node().name;
    }
  }
  for (size_t i = 0; i < right.size(); ++i)
    if (!dropped[i]) out.push_back({1, right.field(i).name, ""});
  SLUICE_CHECK(out.size() == join.schema->size());
  return out;
}

namespace {

bool IsOneOf(std::string_view name, std::initializer_list<std::string_view> names) {
  for (std::string_view candidate : names)
    if (candidate == name) return true;
  return false;
}

bool IsNonZeroLiteral(const Expr& expr) {
  if (expr.kind() != ExprKind::kLiteral) return false;
  return std::visit(
      [](const auto& v) {
        using V = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<V, int64_t> || std::is_same_v<V, uint64_t> ||
                      std::is_same_v<V, double> || std::is_same_v<V, int128_t>)
          return v != V{};
        return false;
      },
      expr.node().literal.value);
}

/// A strict cast that cannot fail: to the same type, to text, or a widening between numbers.
bool CastCannotFail(const DataType& from, const DataType& to) {
  if (from == to || to.id == TypeId::kUtf8) return true;
  if (to.id == TypeId::kFloat64) return from.IsInteger() || from.IsFloating();
  if (to.id == TypeId::kFloat32) return from.IsInteger() || from.id == TypeId::kFloat32;
  if (from.IsInteger() && to.IsInteger()) {
    int from_width = from.FixedWidth(), to_width = to.FixedWidth();
    if (from.IsSignedInteger() == to.IsSignedInteger()) return to_width >= from_width;
    return !from.IsSignedInteger() && to_width > from_width;  // unsigned into a wider signed
  }
  return false;
}

bool MayFailNode(const Expr& expr, const Schema& input) {
  const ExprNode& node = expr.node();
  switch (node.kind) {
    case ExprKind::kColumn:
    case ExprKind::kLiteral:
    case ExprKind::kAlias:
    case ExprKind::kAggregate: return false;
    case ExprKind::kCast:
      if (node.try_cast) return false;
      return !CastCannotFail(ResolveType(expr.arg(0), input), node.type);
    case ExprKind::kCall:
      // Arithmetic fails on integer/decimal/temporal overflow, never on floats (IEEE gives inf
      // or NaN); `/` of integers divides as doubles but fails on a zero divisor; `%` by zero
      // gives null.
      if (IsOneOf(node.name, {"add", "subtract", "multiply", "negate", "abs", "pow", "round"}))
        return !ResolveType(expr, input).IsFloating();
      if (node.name == "divide") {
        // Only a zero divisor fails, and only when neither side is a float (then it is IEEE).
        if (node.args.size() != 2) return true;
        if (IsNonZeroLiteral(expr.arg(1))) return false;
        return !ResolveType(expr.arg(0), input).IsFloating() &&
               !ResolveType(expr.arg(1), input).IsFloating();
      }
      return IsOneOf(node.name, {"integer_divide", "strptime", "date_trunc", "regexp_replace"});
  }
  return true;
}

}  // namespace

bool MayFail(const Expr& expr, const Schema& input) {
  try {
    if (MayFailNode(expr, input)) return true;
  } catch (const Error&) {
    return true;
  }
  for (size_t i = 0; i < expr.node().args.size(); ++i)
    if (MayFail(expr.arg(i), input)) return true;
  return false;
}

bool IsConstantExpr(const Expr& expr) {
  if (expr.kind() == ExprKind::kColumn || expr.kind() == ExprKind::kAggregate) return false;
  for (size_t i = 0; i < expr.node().args.size(); ++i)
    if (!IsConstantExpr(expr.arg(i))) return false;
  return true;
}

bool IsBoolLiteral(const Expr& expr, bool value) {
  if (expr.kind() != ExprKind::kLiteral) return false;
  const Scalar& scalar = expr.node().literal;
  const bool* held = std::get_if<bool>(&scalar.value);
  return scalar.type.id == TypeId::kBool && held != nullptr && *held == value;
}

bool IsNullLiteral(const Expr& expr) {
  return expr.kind() == ExprKind::kLiteral && expr.node().literal.is_null();
}

Expr KeepName(const Expr& before, Expr after) {
  std::string name = before.OutputName();
  if (after.OutputName() == name) return after;
  return StripAlias(after).alias(name);
}

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

}  // namespace sluice
