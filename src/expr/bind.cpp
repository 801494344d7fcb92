// Binding: resolves an expression's column names against a schema and its function names
// against the registry, giving every node a type. Errors name the whole expression the user
// wrote, with a "did you mean" for misspelled columns and functions.
#include <fmt/format.h>

#include "core/error.h"
#include "expr/bound_expr.h"
#include "expr/evaluate.h"
#include "expr/function_registry.h"

namespace sluice {

namespace {

BoundExprPtr BindNode(const Expr& expr, const Schema& schema, const Expr& root) {
  const ExprNode& node = expr.node();
  switch (node.kind) {
    case ExprKind::kColumn: {
      std::optional<size_t> found = schema.FindField(node.name);
      if (!found) {
        // A bare column needs no "in `x`": the message already names it.
        std::string where =
            root.kind() == ExprKind::kColumn ? "" : fmt::format("`{}`", root.ToString());
        found = schema.FieldIndex(node.name, where);  // Throws with a did-you-mean.
      }
      const size_t index = *found;
      auto bound = std::make_shared<BoundExpr>();
      bound->kind = BoundExpr::Kind::kColumn;
      bound->type = schema.field(index).type;
      bound->column = static_cast<int>(index);
      bound->display = expr.ToString();
      return bound;
    }
    case ExprKind::kLiteral: return BindLiteral(node.literal);
    case ExprKind::kAlias: return BindNode(expr.arg(0), schema, root);
    case ExprKind::kCast:
      return BindCast(BindNode(expr.arg(0), schema, root), node.type, node.try_cast,
                      expr.ToString());
    case ExprKind::kCall: {
      const FunctionRegistry& registry = FunctionRegistry::BuiltIn();
      const ScalarFunction* function = registry.Find(node.name);
      if (function == nullptr) {
        std::vector<std::string> names = registry.Names();
        if (auto suggestion = ClosestName(node.name, names)) {
          ThrowInvalid("unknown function `{}` in `{}`; did you mean `{}`?", node.name,
                       root.ToString(), *suggestion);
        }
        ThrowInvalid("unknown function `{}` in `{}`", node.name, root.ToString());
      }
      std::vector<BoundExprPtr> args;
      args.reserve(node.args.size());
      for (size_t i = 0; i < node.args.size(); ++i) {
        args.push_back(BindNode(expr.arg(i), schema, root));
      }
      std::string display = expr.ToString();
      BoundCall call = function->bind(std::move(args), display);
      auto bound = std::make_shared<BoundExpr>();
      bound->kind = BoundExpr::Kind::kCall;
      bound->type = std::move(call.type);
      bound->kernel = std::move(call.kernel);
      bound->args = std::move(call.args);
      bound->display = std::move(display);
      return bound;
    }
    case ExprKind::kAggregate: ThrowInvalid("aggregate `{}` is not allowed here", expr.ToString());
  }
  ThrowInternal("unknown expression kind in `{}`", expr.ToString());
}

}  // namespace

BoundExprPtr Bind(const Expr& expr, const Schema& schema) {
  SLUICE_CHECK(expr.valid());
  return BindNode(expr, schema, expr);
}

DataType ResolveType(const Expr& expr, const Schema& schema) {
  return Bind(expr, schema)->type;
}

BoundExprPtr BindLiteral(const Scalar& value) {
  auto bound = std::make_shared<BoundExpr>();
  bound->kind = BoundExpr::Kind::kLiteral;
  bound->type = value.type;
  bound->literal = ColumnFromScalar(value);
  bound->display = lit(value).ToString();
  return bound;
}

}  // namespace sluice
