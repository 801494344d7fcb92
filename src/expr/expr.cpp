// Builders of expression trees, their SQL-like rendering and their output names. Every builder
// maps to a canonical registry name (expr/function_registry.h), so SQL and the C++ API build the
// same trees.
#include "expr/expr.h"

#include <fmt/format.h>

#include <limits>

#include "core/decimal.h"
#include "core/error.h"
#include "core/temporal.h"
#include "core/value_format.h"
#include "expr/cast.h"

namespace sluice {

namespace {

Expr MakeNode(ExprKind kind, std::string name, std::vector<Expr> args) {
  auto node = std::make_shared<ExprNode>();
  node->kind = kind;
  node->name = std::move(name);
  node->args.reserve(args.size());
  for (Expr& arg : args) node->args.push_back(arg.ptr());
  return Expr(std::move(node));
}

Expr Call(std::string name, std::vector<Expr> args) {
  return MakeNode(ExprKind::kCall, std::move(name), std::move(args));
}

Expr Aggregate(std::string name, std::vector<Expr> args) {
  return MakeNode(ExprKind::kAggregate, std::move(name), std::move(args));
}

Expr LiteralOf(DataType type, Scalar::Value value) {
  Scalar scalar;
  scalar.type = std::move(type);
  scalar.value = std::move(value);
  return lit(std::move(scalar));
}

// ---- Rendering ---------------------------------------------------------------------------------

// Infix and prefix operators by canonical name; everything else renders as name(args).
const char* InfixOperator(std::string_view name) {
  if (name == "add") return "+";
  if (name == "subtract") return "-";
  if (name == "multiply") return "*";
  if (name == "divide") return "/";
  if (name == "integer_divide") return "//";
  if (name == "modulo") return "%";
  if (name == "equal") return "=";
  if (name == "not_equal") return "!=";
  if (name == "less") return "<";
  if (name == "less_equal") return "<=";
  if (name == "greater") return ">";
  if (name == "greater_equal") return ">=";
  if (name == "and") return "AND";
  if (name == "or") return "OR";
  if (name == "like") return "LIKE";
  if (name == "ilike") return "ILIKE";
  return nullptr;
}

// True when the node renders as an operator expression that needs parentheses as an operand.
bool IsOperatorNode(const ExprNode& node) {
  if (node.kind == ExprKind::kAlias) return true;
  if (node.kind != ExprKind::kCall) return false;
  std::string_view name = node.name;
  if (InfixOperator(name) != nullptr && node.args.size() >= 2) return true;
  return name == "negate" || name == "not" || name == "is_null" || name == "is_not_null" ||
         name == "between" || name == "is_in";
}

bool IsPlainIdentifier(std::string_view name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
  for (char c : name) {
    bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

std::string Quote(std::string_view text, char quote) {
  std::string out(1, quote);
  for (char c : text) {
    out.push_back(c);
    if (c == quote) out.push_back(c);
  }
  out.push_back(quote);
  return out;
}

std::string LiteralToString(const Scalar& value) {
  if (value.is_null()) return "NULL";
  std::string text = value.ToString();
  switch (value.type.id) {
    case TypeId::kUtf8: return Quote(text, '\'');
    case TypeId::kBinary: return "BLOB " + Quote(text, '\'');
    case TypeId::kDate32: return "DATE " + Quote(text, '\'');
    case TypeId::kTimestamp: return "TIMESTAMP " + Quote(text, '\'');
    case TypeId::kTime64: return "TIME " + Quote(text, '\'');
    case TypeId::kDuration: return "INTERVAL " + Quote(text, '\'');
    case TypeId::kUuid: return "UUID " + Quote(text, '\'');
    case TypeId::kFloat32:
    case TypeId::kFloat64:
      // Keep floats recognizable as floats: 1.0 rather than 1.
      if (text.find_first_of(".eEni") == std::string::npos) text += ".0";
      return text;
    default: return text;
  }
}

std::string Render(const ExprNode& node);

std::string RenderOperand(const ExprNodePtr& node) {
  std::string text = Render(*node);
  return IsOperatorNode(*node) ? "(" + text + ")" : text;
}

std::string RenderArgs(const ExprNode& node, size_t from = 0) {
  std::string out;
  for (size_t i = from; i < node.args.size(); ++i) {
    if (i > from) out += ", ";
    out += Render(*node.args[i]);
  }
  return out;
}

std::string RenderCall(const ExprNode& node) {
  const std::string& name = node.name;
  const auto& args = node.args;
  if (const char* op = InfixOperator(name); op != nullptr && args.size() >= 2) {
    std::string out = RenderOperand(args[0]);
    for (size_t i = 1; i < args.size(); ++i)
      out += fmt::format(" {} {}", op, RenderOperand(args[i]));
    return out;
  }
  if (name == "negate" && args.size() == 1) return "-" + RenderOperand(args[0]);
  if (name == "not" && args.size() == 1) return "NOT " + RenderOperand(args[0]);
  if (name == "is_null" && args.size() == 1) return RenderOperand(args[0]) + " IS NULL";
  if (name == "is_not_null" && args.size() == 1) return RenderOperand(args[0]) + " IS NOT NULL";
  if (name == "between" && args.size() == 3) {
    return fmt::format("{} BETWEEN {} AND {}", RenderOperand(args[0]), RenderOperand(args[1]),
                       RenderOperand(args[2]));
  }
  if (name == "is_in" && !args.empty()) {
    return fmt::format("{} IN ({})", RenderOperand(args[0]), RenderArgs(node, 1));
  }
  if (name == "case_when" && args.size() >= 2) {
    std::string out = "CASE";
    size_t pairs = args.size() / 2;
    for (size_t i = 0; i < pairs; ++i) {
      out += fmt::format(" WHEN {} THEN {}", Render(*args[2 * i]), Render(*args[2 * i + 1]));
    }
    if (args.size() % 2 == 1) out += " ELSE " + Render(*args.back());
    return out + " END";
  }
  return fmt::format("{}({})", name, RenderArgs(node));
}

std::string Render(const ExprNode& node) {
  switch (node.kind) {
    case ExprKind::kColumn: return IsPlainIdentifier(node.name) ? node.name : Quote(node.name, '"');
    case ExprKind::kLiteral: return LiteralToString(node.literal);
    case ExprKind::kAlias: {
      std::string name = IsPlainIdentifier(node.name) ? node.name : Quote(node.name, '"');
      return fmt::format("{} AS {}", RenderOperand(node.args[0]), name);
    }
    case ExprKind::kCast:
      return fmt::format("{}({} AS {})", node.try_cast ? "TRY_CAST" : "CAST", Render(*node.args[0]),
                         node.type.ToString());
    case ExprKind::kCall: return RenderCall(node);
    case ExprKind::kAggregate:
      if (node.name == "count_star") return "count(*)";
      return fmt::format("{}({}{})", node.name, node.distinct ? "DISTINCT " : "", RenderArgs(node));
  }
  return "?";
}

// The leftmost column the tree reads, if any.
const std::string* LeftmostColumn(const ExprNode& node) {
  if (node.kind == ExprKind::kColumn) return &node.name;
  for (const ExprNodePtr& arg : node.args) {
    if (const std::string* name = LeftmostColumn(*arg)) return name;
  }
  return nullptr;
}

// ---- Temporal literal parsing ------------------------------------------------------------------

int64_t MicrosPerUnit(std::string_view unit) {
  if (unit == "week" || unit == "weeks") return int64_t{7} * 86400 * 1000000;
  if (unit == "day" || unit == "days" || unit == "d") return int64_t{86400} * 1000000;
  if (unit == "hour" || unit == "hours" || unit == "h") return int64_t{3600} * 1000000;
  if (unit == "minute" || unit == "minutes" || unit == "m" || unit == "min") {
    return int64_t{60} * 1000000;
  }
  if (unit == "second" || unit == "seconds" || unit == "s") return 1000000;
  if (unit == "ms" || unit == "millisecond" || unit == "milliseconds") return 1000;
  if (unit == "us" || unit == "microsecond" || unit == "microseconds") return 1;
  return 0;
}

}  // namespace

// ---- Expr members -------------------------------------------------------------------------------

std::string Expr::OutputName() const {
  const ExprNode& n = node();
  switch (n.kind) {
    case ExprKind::kAlias:
    case ExprKind::kColumn: return n.name;
    case ExprKind::kLiteral: return "literal";
    case ExprKind::kAggregate:
      if (n.name == "count_star") return "count";
      break;
    default: break;
  }
  if (const std::string* name = LeftmostColumn(n)) return *name;
  return "literal";
}

std::string Expr::ToString() const {
  return valid() ? Render(node()) : "<invalid>";
}

Expr Expr::alias(std::string name) const {
  return MakeNode(ExprKind::kAlias, std::move(name), {*this});
}

Expr Expr::cast(DataType type) const {
  auto node = std::make_shared<ExprNode>();
  node->kind = ExprKind::kCast;
  node->type = std::move(type);
  node->args.push_back(node_);
  return Expr(std::move(node));
}

Expr Expr::try_cast(DataType type) const {
  auto node = std::make_shared<ExprNode>();
  node->kind = ExprKind::kCast;
  node->type = std::move(type);
  node->try_cast = true;
  node->args.push_back(node_);
  return Expr(std::move(node));
}

Expr Expr::is_null() const {
  return Call("is_null", {*this});
}
Expr Expr::is_not_null() const {
  return Call("is_not_null", {*this});
}
Expr Expr::fill_null(Expr value) const {
  return Call("coalesce", {*this, std::move(value)});
}

Expr Expr::is_in(std::vector<Expr> values) const {
  values.insert(values.begin(), *this);
  return Call("is_in", std::move(values));
}

Expr Expr::between(Expr low, Expr high) const {
  return Call("between", {*this, std::move(low), std::move(high)});
}

Expr Expr::abs() const {
  return Call("abs", {*this});
}
Expr Expr::round(int digits) const {
  return Call("round", {*this, lit(digits)});
}
Expr Expr::floor() const {
  return Call("floor", {*this});
}
Expr Expr::ceil() const {
  return Call("ceil", {*this});
}
Expr Expr::sqrt() const {
  return Call("sqrt", {*this});
}
Expr Expr::ln() const {
  return Call("ln", {*this});
}
Expr Expr::log10() const {
  return Call("log10", {*this});
}
Expr Expr::exp() const {
  return Call("exp", {*this});
}
Expr Expr::pow(Expr exponent) const {
  return Call("pow", {*this, std::move(exponent)});
}
Expr Expr::sign() const {
  return Call("sign", {*this});
}
Expr Expr::hash() const {
  return Call("hash", {*this});
}

Expr Expr::sum() const {
  return Aggregate("sum", {*this});
}
Expr Expr::mean() const {
  return Aggregate("mean", {*this});
}
Expr Expr::min() const {
  return Aggregate("min", {*this});
}
Expr Expr::max() const {
  return Aggregate("max", {*this});
}
Expr Expr::count() const {
  return Aggregate("count", {*this});
}
Expr Expr::first() const {
  return Aggregate("first", {*this});
}
Expr Expr::last() const {
  return Aggregate("last", {*this});
}
Expr Expr::n_unique() const {
  return Aggregate("n_unique", {*this});
}
Expr Expr::std(int ddof) const {
  return Aggregate("std", {*this, lit(ddof)});
}
Expr Expr::var(int ddof) const {
  return Aggregate("var", {*this, lit(ddof)});
}
Expr Expr::median() const {
  return Aggregate("median", {*this});
}
Expr Expr::quantile(double q) const {
  return Aggregate("quantile", {*this, lit(q)});
}
Expr Expr::any() const {
  return Aggregate("any", {*this});
}
Expr Expr::all() const {
  return Aggregate("all", {*this});
}

Expr::StrNamespace Expr::str() const {
  return StrNamespace(*this);
}
Expr::DtNamespace Expr::dt() const {
  return DtNamespace(*this);
}

// ---- str() --------------------------------------------------------------------------------------

Expr Expr::StrNamespace::len_chars() const {
  return Call("length", {e_});
}
Expr Expr::StrNamespace::len_bytes() const {
  return Call("octet_length", {e_});
}
Expr Expr::StrNamespace::lower() const {
  return Call("lower", {e_});
}
Expr Expr::StrNamespace::upper() const {
  return Call("upper", {e_});
}
Expr Expr::StrNamespace::contains(std::string literal) const {
  return Call("contains", {e_, lit(std::move(literal))});
}
Expr Expr::StrNamespace::starts_with(std::string prefix) const {
  return Call("starts_with", {e_, lit(std::move(prefix))});
}
Expr Expr::StrNamespace::ends_with(std::string suffix) const {
  return Call("ends_with", {e_, lit(std::move(suffix))});
}
Expr Expr::StrNamespace::slice(int64_t offset, int64_t length) const {
  // SQL's substring counts from 1; a negative start already counts from the end there.
  int64_t start = offset >= 0 ? offset + 1 : offset;
  return Call("substring", {e_, lit(start), lit(length)});
}
Expr Expr::StrNamespace::replace(std::string from, std::string to) const {
  return Call("replace", {e_, lit(std::move(from)), lit(std::move(to))});
}
Expr Expr::StrNamespace::strip() const {
  return Call("trim", {e_});
}
Expr Expr::StrNamespace::lstrip() const {
  return Call("ltrim", {e_});
}
Expr Expr::StrNamespace::rstrip() const {
  return Call("rtrim", {e_});
}
Expr Expr::StrNamespace::split_part(std::string delimiter, int64_t index) const {
  return Call("split_part", {e_, lit(std::move(delimiter)), lit(index)});
}
Expr Expr::StrNamespace::regex_match(std::string pattern) const {
  return Call("regexp_matches", {e_, lit(std::move(pattern))});
}
Expr Expr::StrNamespace::regex_extract(std::string pattern, int group) const {
  return Call("regexp_extract", {e_, lit(std::move(pattern)), lit(int64_t{group})});
}
Expr Expr::StrNamespace::regex_replace(std::string pattern, std::string rewrite) const {
  return Call("regexp_replace", {e_, lit(std::move(pattern)), lit(std::move(rewrite)), lit("g")});
}
Expr Expr::StrNamespace::strptime(std::string format, DataType type) const {
  return Call("strptime", {e_, lit(std::move(format)), lit(type.ToString())});
}

// ---- dt() ---------------------------------------------------------------------------------------

Expr Expr::DtNamespace::year() const {
  return Call("year", {e_});
}
Expr Expr::DtNamespace::month() const {
  return Call("month", {e_});
}
Expr Expr::DtNamespace::day() const {
  return Call("day", {e_});
}
Expr Expr::DtNamespace::hour() const {
  return Call("hour", {e_});
}
Expr Expr::DtNamespace::minute() const {
  return Call("minute", {e_});
}
Expr Expr::DtNamespace::second() const {
  return Call("second", {e_});
}
Expr Expr::DtNamespace::weekday() const {
  return Call("weekday", {e_});
}
Expr Expr::DtNamespace::day_of_year() const {
  return Call("day_of_year", {e_});
}
Expr Expr::DtNamespace::truncate(std::string unit) const {
  return Call("date_trunc", {lit(std::move(unit)), e_});
}
Expr Expr::DtNamespace::strftime(std::string format) const {
  return Call("strftime", {e_, lit(std::move(format))});
}

// ---- Leaves -------------------------------------------------------------------------------------

Expr col(std::string name) {
  auto node = std::make_shared<ExprNode>();
  node->kind = ExprKind::kColumn;
  node->name = std::move(name);
  return Expr(std::move(node));
}

Expr lit(bool value) {
  return LiteralOf(Bool(), value);
}
Expr lit(int value) {
  return LiteralOf(Int32(), int64_t{value});
}
Expr lit(int64_t value) {
  return LiteralOf(Int64(), value);
}
Expr lit(double value) {
  return LiteralOf(Float64(), value);
}
Expr lit(const char* value) {
  return LiteralOf(Utf8(), std::string(value));
}
Expr lit(std::string value) {
  return LiteralOf(Utf8(), std::move(value));
}

Expr lit(Scalar value) {
  auto node = std::make_shared<ExprNode>();
  node->kind = ExprKind::kLiteral;
  node->literal = std::move(value);
  return Expr(std::move(node));
}

Expr lit_null(DataType type) {
  return LiteralOf(std::move(type), std::monostate{});
}

Expr lit_date(std::string_view iso) {
  int32_t days = 0;
  if (!ParseIsoDate(iso, &days)) {
    ThrowInvalid("malformed date '{}': expected YYYY-MM-DD", iso);
  }
  return LiteralOf(Date32(), int64_t{days});
}

Expr lit_timestamp(std::string_view iso) {
  int64_t micros = 0;
  if (!ParseIsoTimestamp(iso, TimeUnit::kMicro, &micros)) {
    ThrowInvalid("malformed timestamp '{}': expected YYYY-MM-DD[ HH:MM:SS[.ffffff]]", iso);
  }
  return LiteralOf(Timestamp(TimeUnit::kMicro), micros);
}

Expr lit_duration(int64_t count, std::string_view unit) {
  int64_t per_unit = MicrosPerUnit(unit);
  if (per_unit == 0) {
    ThrowInvalid("unknown duration unit \"{}\": expected week, day, hour, minute, second, ms or us",
                 unit);
  }
  int64_t micros = 0;
  if (__builtin_mul_overflow(count, per_unit, &micros)) {
    ThrowInvalid("duration of {} {} is out of range", count, unit);
  }
  return LiteralOf(Duration(TimeUnit::kMicro), micros);
}

Expr call(std::string function, std::vector<Expr> args) {
  return Call(std::move(function), std::move(args));
}

Expr aggregate(std::string function, std::vector<Expr> args, bool distinct) {
  auto node = std::make_shared<ExprNode>();
  node->kind = ExprKind::kAggregate;
  node->name = std::move(function);
  node->distinct = distinct;
  for (Expr& arg : args) node->args.push_back(arg.ptr());
  return Expr(std::move(node));
}

Expr count_rows() {
  return Aggregate("count_star", {});
}
Expr coalesce(std::vector<Expr> args) {
  return Call("coalesce", std::move(args));
}
Expr concat(std::vector<Expr> args) {
  return Call("concat", std::move(args));
}

// ---- Operators ----------------------------------------------------------------------------------

Expr operator+(const Expr& a, const Expr& b) {
  return Call("add", {a, b});
}
Expr operator-(const Expr& a, const Expr& b) {
  return Call("subtract", {a, b});
}
Expr operator*(const Expr& a, const Expr& b) {
  return Call("multiply", {a, b});
}
Expr operator/(const Expr& a, const Expr& b) {
  return Call("divide", {a, b});
}
Expr operator%(const Expr& a, const Expr& b) {
  return Call("modulo", {a, b});
}

Expr operator-(const Expr& a) {
  // Negative numeric literals stay literals, so `-1` prints and folds as a number.
  if (a.kind() == ExprKind::kLiteral) {
    const Scalar& value = a.node().literal;
    if (value.type.IsSignedInteger() || value.type.IsFloating()) {
      if (const int64_t* v = std::get_if<int64_t>(&value.value)) {
        if (*v != std::numeric_limits<int64_t>::min()) return LiteralOf(value.type, -*v);
      } else if (const double* d = std::get_if<double>(&value.value)) {
        return LiteralOf(value.type, -*d);
      }
    }
  }
  return Call("negate", {a});
}

Expr operator==(const Expr& a, const Expr& b) {
  return Call("equal", {a, b});
}
Expr operator!=(const Expr& a, const Expr& b) {
  return Call("not_equal", {a, b});
}
Expr operator<(const Expr& a, const Expr& b) {
  return Call("less", {a, b});
}
Expr operator<=(const Expr& a, const Expr& b) {
  return Call("less_equal", {a, b});
}
Expr operator>(const Expr& a, const Expr& b) {
  return Call("greater", {a, b});
}
Expr operator>=(const Expr& a, const Expr& b) {
  return Call("greater_equal", {a, b});
}
Expr operator&&(const Expr& a, const Expr& b) {
  return Call("and", {a, b});
}
Expr operator||(const Expr& a, const Expr& b) {
  return Call("or", {a, b});
}
Expr operator!(const Expr& a) {
  return Call("not", {a});
}

// ---- when/then/otherwise ------------------------------------------------------------------------

WhenThen When::then(Expr value) const {
  std::vector<Expr> branches = branches_;
  branches.push_back(condition_);
  branches.push_back(std::move(value));
  return WhenThen(std::move(branches));
}

When WhenThen::when(Expr condition) const {
  return When(branches_, std::move(condition));
}

Expr WhenThen::otherwise(Expr value) const {
  std::vector<Expr> args = branches_;
  args.push_back(std::move(value));
  return Call("case_when", std::move(args));
}

// An even number of arguments means no ELSE: null when no condition holds.
WhenThen::operator Expr() const {
  return Call("case_when", branches_);
}

When when(Expr condition) {
  return When({}, std::move(condition));
}

}  // namespace sluice
