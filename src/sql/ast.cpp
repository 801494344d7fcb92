// The SQL spellings of the syntax tree's operators (sql/ast.h), for messages.
#include "sql/ast.h"

namespace sluice::sql {

const char* AstOpName(AstOp op) {
  switch (op) {
    case AstOp::kNot: return "NOT";
    case AstOp::kNegate: return "-";
    case AstOp::kPlus: return "+";
    case AstOp::kAdd: return "+";
    case AstOp::kSubtract: return "-";
    case AstOp::kMultiply: return "*";
    case AstOp::kDivide: return "/";
    case AstOp::kIntDivide: return "//";
    case AstOp::kModulo: return "%";
    case AstOp::kConcat: return "||";
    case AstOp::kEqual: return "=";
    case AstOp::kNotEqual: return "<>";
    case AstOp::kLess: return "<";
    case AstOp::kLessEqual: return "<=";
    case AstOp::kGreater: return ">";
    case AstOp::kGreaterEqual: return ">=";
    case AstOp::kIsDistinctFrom: return "IS DISTINCT FROM";
    case AstOp::kIsNotDistinctFrom: return "IS NOT DISTINCT FROM";
    case AstOp::kAnd: return "AND";
    case AstOp::kOr: return "OR";
  }
  return "?";
}

}  // namespace sluice::sql
