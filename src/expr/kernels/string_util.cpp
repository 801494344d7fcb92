// Binder helpers of the string, regex and temporal kernel families.
#include "expr/kernels/string_util.h"

#include "core/error.h"

namespace sluice::kernels {

bool IsConstantExpr(const BoundExpr& expr) {
  if (expr.kind == BoundExpr::Kind::kColumn) return false;
  for (const BoundExprPtr& arg : expr.args) {
    if (!IsConstantExpr(*arg)) return false;
  }
  return true;
}

BoundExprPtr RequireString(BoundExprPtr arg, size_t index, std::string_view name,
                           const std::string& display, bool allow_binary) {
  TypeId id = arg->type.id;
  if (id == TypeId::kUtf8 || (allow_binary && id == TypeId::kBinary)) return arg;
  if (IsNullLiteral(*arg)) return CastArg(std::move(arg), Utf8(), display);
  ThrowInvalid("{} expects {} as argument {}, not {}, in `{}`", name,
               allow_binary ? "utf8 or binary" : "utf8", index + 1, arg->type.ToString(), display);
}

BoundExprPtr RequireInt64(BoundExprPtr arg, size_t index, std::string_view name,
                          const std::string& display) {
  if (arg->type.IsInteger() || IsNullLiteral(*arg))
    return CastArg(std::move(arg), Int64(), display);
  ThrowInvalid("{} expects an integer as argument {}, not {}, in `{}`", name, index + 1,
               arg->type.ToString(), display);
}

ConstantString RequireConstantString(const BoundExpr& arg, std::string_view what,
                                     std::string_view name, const std::string& display) {
  ConstantString result;
  if (arg.kind == BoundExpr::Kind::kLiteral) {
    result.literal = LiteralString(arg);
    result.is_null = !result.literal.has_value();
    return result;
  }
  if (IsConstantExpr(arg)) return result;
  ThrowUnsupported("{}: the {} must be a constant, not `{}`, in `{}`", name, what, arg.display,
                   display);
}

std::optional<std::string_view> SingleString(const Column& column) {
  if (column.IsNull(0)) return std::nullopt;
  return column.StringAt(0);
}

}  // namespace sluice::kernels
