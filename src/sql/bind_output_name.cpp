// The names of unaliased select items, as DuckDB prints them: `sum(revenue)`, `count_star()`,
// `(a + b)`, `CAST(x AS VARCHAR)`, `(x IS NULL)`, so that results line up with DuckDB's.
#include <fmt/format.h>

#include "sql/bind_names.h"
#include "sql/bind_query.h"

namespace sluice::sql {

namespace {

std::string Quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    out.push_back(c);
    if (c == '\'') out.push_back('\'');
  }
  return out + "'";
}

std::string BinaryOp(AstOp op) {
  switch (op) {
    case AstOp::kAdd: return "+";
    case AstOp::kSubtract: return "-";
    case AstOp::kMultiply: return "*";
    case AstOp::kDivide: return "/";
    case AstOp::kIntDivide: return "//";
    case AstOp::kModulo: return "%";
    case AstOp::kConcat: return "||";
    case AstOp::kEqual: return "=";
    case AstOp::kNotEqual: return "!=";
    case AstOp::kLess: return "<";
    case AstOp::kLessEqual: return "<=";
    case AstOp::kGreater: return ">";
    case AstOp::kGreaterEqual: return ">=";
    case AstOp::kIsDistinctFrom: return "IS DISTINCT FROM";
    case AstOp::kIsNotDistinctFrom: return "IS NOT DISTINCT FROM";
    case AstOp::kAnd: return "AND";
    case AstOp::kOr: return "OR";
    default: return AstOpName(op);
  }
}

std::string TypeText(const TypeName& type) {
  std::string out = type.name;
  if (!type.params.empty()) {
    out += "(";
    for (size_t i = 0; i < type.params.size(); ++i)
      out += (i ? "," : "") + std::to_string(type.params[i]);
    out += ")";
  }
  return out;
}

std::string Name(const AstExpr& e);

std::string List(const std::vector<AstExprPtr>& args, size_t from = 0) {
  std::string out;
  for (size_t i = from; i < args.size(); ++i) {
    if (i > from) out += ", ";
    out += Name(*args[i]);
  }
  return out;
}

std::string WindowText(const WindowSpec& spec) {
  std::string out;
  if (!spec.name.empty()) out += spec.name;
  if (!spec.partition_by.empty()) out += "PARTITION BY " + List(spec.partition_by);
  if (!spec.order_by.empty()) {
    if (!out.empty()) out += " ";
    out += "ORDER BY ";
    for (size_t i = 0; i < spec.order_by.size(); ++i) {
      if (i) out += ", ";
      out += Name(*spec.order_by[i].expr);
      if (spec.order_by[i].descending) out += " DESC";
    }
  }
  if (spec.frame) {
    auto bound = [](const FrameBound& b) -> std::string {
      switch (b.kind) {
        case FrameBound::Kind::kUnboundedPreceding: return "UNBOUNDED PRECEDING";
        case FrameBound::Kind::kPreceding: return Name(*b.offset) + " PRECEDING";
        case FrameBound::Kind::kCurrentRow: return "CURRENT ROW";
        case FrameBound::Kind::kFollowing: return Name(*b.offset) + " FOLLOWING";
        case FrameBound::Kind::kUnboundedFollowing: return "UNBOUNDED FOLLOWING";
      }
      return "";
    };
    if (!out.empty()) out += " ";
    out += spec.frame->units == WindowFrameSpec::Units::kRows ? "ROWS" : "RANGE";
    out += " BETWEEN " + bound(spec.frame->start) + " AND " + bound(spec.frame->end);
  }
  return out;
}

std::string FunctionName(const AstExpr& e) {
  std::string name = LowerName(e.names.back());
  std::string out;
  if (e.star_arg || (name == "count" && e.args.empty())) {
    out = e.window ? "count()" : "count_star()";
  } else {
    out = name + "(";
    if (e.distinct) out += "DISTINCT ";
    out += List(e.args) + ")";
  }
  if (e.filter) out += " FILTER (WHERE " + Name(*e.filter) + ")";
  return out;
}

std::string Name(const AstExpr& e) {
  switch (e.kind) {
    case AstExprKind::kColumnRef: {
      std::string out;
      for (const std::string& part : e.names) out += (out.empty() ? "" : ".") + part;
      return out;
    }
    case AstExprKind::kStar: return "*";
    case AstExprKind::kLiteral:
      switch (e.literal_kind) {
        case LiteralKind::kNull: return "NULL";
        case LiteralKind::kTrue: return "CAST('t' AS BOOLEAN)";
        case LiteralKind::kFalse: return "CAST('f' AS BOOLEAN)";
        case LiteralKind::kString: return Quoted(e.text);
        default: return e.text;
      }
    case AstExprKind::kTypedLiteral:
      return fmt::format("CAST({} AS {})", Quoted(e.text), TypeText(e.type));
    case AstExprKind::kInterval:
      return e.unit.empty() ? "INTERVAL " + Quoted(e.text)
                            : fmt::format("INTERVAL {} {}", Quoted(e.text), e.unit);
    case AstExprKind::kUnary:
      if (e.op == AstOp::kNot) return "(NOT " + Name(*e.args[0]) + ")";
      if (e.op == AstOp::kNegate) {
        if (e.args[0]->kind == AstExprKind::kLiteral) return "-" + Name(*e.args[0]);
        return "-(" + Name(*e.args[0]) + ")";
      }
      return "+(" + Name(*e.args[0]) + ")";
    case AstExprKind::kBinary:
      return fmt::format("({} {} {})", Name(*e.args[0]), BinaryOp(e.op), Name(*e.args[1]));
    case AstExprKind::kFunction: {
      std::string out = FunctionName(e);
      if (e.window) out += " OVER (" + WindowText(*e.window) + ")";
      return out;
    }
    case AstExprKind::kCast:
      return fmt::format("{}({} AS {})", e.try_cast ? "TRY_CAST" : "CAST", Name(*e.args[0]),
                         TypeText(e.type));
    case AstExprKind::kCase: {
      std::string out = "CASE ";
      size_t first = e.has_operand ? 1 : 0;
      for (size_t i = first; i + 1 < e.args.size(); i += 2) {
        std::string condition = e.has_operand
                                    ? fmt::format("({} = {})", Name(*e.args[0]), Name(*e.args[i]))
                                    : Name(*e.args[i]);
        out += fmt::format(" WHEN ({}) THEN ({})", condition, Name(*e.args[i + 1]));
      }
      out += " ELSE " + (e.else_expr ? Name(*e.else_expr) : std::string("NULL")) + " END";
      return out;
    }
    case AstExprKind::kBetween: {
      std::string out = fmt::format("({} BETWEEN {} AND {})", Name(*e.args[0]), Name(*e.args[1]),
                                    Name(*e.args[2]));
      return e.negated ? "(NOT " + out + ")" : out;
    }
    case AstExprKind::kInList:
      return fmt::format("({} {}IN ({}))", Name(*e.args[0]), e.negated ? "NOT " : "",
                         List(e.args, 1));
    case AstExprKind::kIsNull:
      return fmt::format("({} IS {}NULL)", Name(*e.args[0]), e.negated ? "NOT " : "");
    case AstExprKind::kIsBool:
      return fmt::format("({} IS {}{})", Name(*e.args[0]), e.negated ? "NOT " : "",
                         e.literal_kind == LiteralKind::kTrue ? "TRUE" : "FALSE");
    case AstExprKind::kLike: {
      std::string op = std::string(e.negated ? "!" : "") + "~~" + (e.case_insensitive ? "*" : "");
      return fmt::format("({} {} {})", Name(*e.args[0]), op, Name(*e.args[1]));
    }
    case AstExprKind::kExtract:
      return fmt::format("date_part('{}', {})", LowerName(e.text), Name(*e.args[0]));
    case AstExprKind::kSubquery: return "(SELECT ...)";
    case AstExprKind::kExists: return e.negated ? "(NOT EXISTS(SELECT ...))" : "EXISTS(SELECT ...)";
    case AstExprKind::kInSubquery:
      return fmt::format("({} {}IN (SELECT ...))", Name(*e.args[0]), e.negated ? "NOT " : "");
    case AstExprKind::kParameter: return "$" + e.text;
  }
  return "?";
}

}  // namespace

std::string OutputNameOf(const AstExpr& expr) {
  return Name(expr);
}

}  // namespace sluice::sql
