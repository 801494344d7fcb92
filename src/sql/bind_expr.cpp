// Binding one SQL expression to an Expr over a relation's plan columns: names through the scope
// (qualified, ambiguous and misspelled ones are positioned errors), operators to the registry's
// canonical functions, DuckDB's rules where SQL's differ from the engine's (`||` on any type,
// IS DISTINCT FROM, date +/- interval), and subqueries as placeholders that the clause joins in.
#include <fmt/format.h>

#include <set>

#include "core/error.h"
#include "expr/bound_expr.h"
#include "plan/expr_util.h"
#include "sql/bind_names.h"
#include "sql/bind_query.h"
#include "sql/sql_error.h"
#include "sql/sql_types.h"

namespace sluice::sql {

namespace {

constexpr char kOuterPrefix[] = "\x01outer.";

std::string QualifiedText(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) {
    if (!out.empty()) out += ".";
    out += name;
  }
  return out;
}

bool IsComparison(AstOp op) {
  return op == AstOp::kEqual || op == AstOp::kNotEqual || op == AstOp::kLess ||
         op == AstOp::kLessEqual || op == AstOp::kGreater || op == AstOp::kGreaterEqual;
}

const char* ComparisonName(AstOp op) {
  switch (op) {
    case AstOp::kEqual: return "equal";
    case AstOp::kNotEqual: return "not_equal";
    case AstOp::kLess: return "less";
    case AstOp::kLessEqual: return "less_equal";
    case AstOp::kGreater: return "greater";
    case AstOp::kGreaterEqual: return "greater_equal";
    default: return "";
  }
}

/// A timestamp literal at midnight compared with a date is the same comparison with a date
/// literal, which keeps the column's type (no per-row cast) and lets statistics prune.
Expr AsDateLiteral(const Expr& e) {
  if (e.kind() != ExprKind::kLiteral) return {};
  const Scalar& value = e.node().literal;
  if (value.type.id != TypeId::kTimestamp || !value.type.timezone.empty() || value.is_null())
    return {};
  const int64_t* v = std::get_if<int64_t>(&value.value);
  if (v == nullptr) return {};
  int64_t per_day = 86400 * UnitsPerSecond(value.type.unit);
  if (*v % per_day != 0) return {};
  Scalar date;
  date.type = Date32();
  date.value = int64_t{*v / per_day};
  return lit(std::move(date));
}

}  // namespace

std::string OuterMarker(const std::string& plan_name) {
  return kOuterPrefix + plan_name;
}

std::optional<std::string> FromOuterMarker(const std::string& name) {
  std::string_view prefix = kOuterPrefix;
  if (!name.starts_with(prefix)) return std::nullopt;
  return name.substr(prefix.size());
}

bool HasOuterRef(const Expr& expr) {
  for (const std::string& name : ReferencedColumns(expr))
    if (FromOuterMarker(name)) return true;
  return false;
}

Expr ResolveOuterRefs(const Expr& expr) {
  return RenameColumns(expr, [](const std::string& name) {
    std::optional<std::string> outer = FromOuterMarker(name);
    return outer ? *outer : name;
  });
}

// ---- Entry points ------------------------------------------------------------------------------

Expr ExprBinder::Bind(const AstExpr& expr) {
  Expr bound;
  switch (expr.kind) {
    case AstExprKind::kColumnRef: bound = BindColumn(expr); break;
    case AstExprKind::kStar:
      binder_.Fail(expr.pos, fmt::format("* is not allowed in {}", context_.clause));
    case AstExprKind::kLiteral:
    case AstExprKind::kTypedLiteral: bound = BindLiteralExpr(expr, binder_.sql()); break;
    case AstExprKind::kInterval: bound = BindInterval(expr); break;
    case AstExprKind::kUnary: bound = BindUnary(expr); break;
    case AstExprKind::kBinary: bound = BindBinary(expr); break;
    case AstExprKind::kFunction: bound = BindFunction(expr); break;
    case AstExprKind::kCast: bound = BindCast(expr); break;
    case AstExprKind::kCase: bound = BindCase(expr); break;
    case AstExprKind::kBetween: {
      Expr e = Bind(*expr.args[0]).between(Bind(*expr.args[1]), Bind(*expr.args[2]));
      bound = expr.negated ? !e : e;
      break;
    }
    case AstExprKind::kInList: {
      std::vector<Expr> values;
      for (size_t i = 1; i < expr.args.size(); ++i) values.push_back(Bind(*expr.args[i]));
      Expr e = Bind(*expr.args[0]).is_in(std::move(values));
      bound = expr.negated ? !e : e;
      break;
    }
    case AstExprKind::kIsNull: {
      Expr e = Bind(*expr.args[0]);
      bound = expr.negated ? e.is_not_null() : e.is_null();
      break;
    }
    case AstExprKind::kIsBool: {
      Expr e = Bind(*expr.args[0]);
      bool want_true = expr.literal_kind == LiteralKind::kTrue;
      // x IS TRUE: never null; x IS NOT TRUE is its negation.
      Expr is = want_true ? coalesce({e, lit(false)}) : coalesce({!e, lit(false)});
      bound = expr.negated ? !is : is;
      break;
    }
    case AstExprKind::kLike: bound = BindLike(expr); break;
    case AstExprKind::kExtract: bound = BindExtract(expr); break;
    case AstExprKind::kSubquery:
    case AstExprKind::kExists:
    case AstExprKind::kInSubquery: bound = BindSubqueryExpr(expr); break;
    case AstExprKind::kParameter:
      binder_.Fail(expr.pos, "query parameters ($1, ?) are not supported");
  }
  return bound;
}

Expr ExprBinder::BindTyped(const AstExpr& expr) {
  Expr bound = Bind(expr);
  try {
    TypeOf(bound);
  } catch (const Error& e) {
    std::string_view message = e.what();
    if (message.starts_with("line ")) throw;
    ThrowSqlError(binder_.sql(), expr.pos, message, e.kind());
  }
  return bound;
}

DataType ExprBinder::TypeOf(const Expr& expr) {
  std::vector<Field> fields = context_.schema ? context_.schema->fields() : std::vector<Field>{};
  fields.insert(fields.end(), extra_fields_.begin(), extra_fields_.end());
  Schema schema(std::move(fields));
  Expr plain = Transform(expr, [&](const Expr& e) {
    if (e.kind() != ExprKind::kAggregate) return e;
    return lit_null(AggregateField(e, schema).type);
  });
  return ResolveType(plain, schema);
}

// ---- Names -------------------------------------------------------------------------------------

std::optional<std::string> ExprBinder::TryResolveColumn(const AstExpr& expr) {
  if (expr.kind != AstExprKind::kColumnRef || context_.scope == nullptr) return std::nullopt;
  const std::string& name = expr.names.back();
  std::string qualifier = expr.names.size() >= 2 ? expr.names[expr.names.size() - 2] : "";
  std::optional<std::string> found;
  for (const ScopeColumn& column : context_.scope->columns) {
    bool match = qualifier.empty()
                     ? !column.hidden && NamesEqual(column.name, name)
                     : NamesEqual(column.qualifier, qualifier) && NamesEqual(column.name, name);
    if (!match) continue;
    if (found && *found != column.plan_name) return std::nullopt;
    found = column.plan_name;
  }
  return found;
}

Expr ExprBinder::BindColumn(const AstExpr& expr) {
  const std::string& name = expr.names.back();
  std::string qualifier = expr.names.size() >= 2 ? expr.names[expr.names.size() - 2] : "";
  std::vector<const ScopeColumn*> matches;
  std::set<std::string> plan_names;
  if (context_.scope != nullptr) {
    for (const ScopeColumn& column : context_.scope->columns) {
      bool match = qualifier.empty()
                       ? !column.hidden && NamesEqual(column.name, name)
                       : NamesEqual(column.qualifier, qualifier) && NamesEqual(column.name, name);
      if (match && plan_names.insert(column.plan_name).second) matches.push_back(&column);
    }
  }
  if (matches.size() == 1) {
    const std::string& plan_name = matches[0]->plan_name;
    if (context_.column_positions != nullptr)
      context_.column_positions->emplace(plan_name, expr.pos);
    return col(plan_name);
  }
  if (matches.size() > 1) {
    std::string options;
    for (const ScopeColumn* column : matches) {
      if (!options.empty()) options += " or ";
      options += column->qualifier.empty()
                     ? "\"" + column->name + "\""
                     : fmt::format("\"{}.{}\"", column->qualifier, column->name);
    }
    binder_.Fail(expr.pos, fmt::format("column reference \"{}\" is ambiguous: it could be {}",
                                       QualifiedText(expr.names), options));
  }
  // A select-list alias (HAVING n > 1), as DuckDB allows.
  if (matches.empty() && qualifier.empty() && context_.aliases != nullptr) {
    for (const auto& [alias, value] : *context_.aliases)
      if (NamesEqual(alias, name)) return value;
  }
  // Not here: maybe a column of the query around a subquery (a correlated reference).
  for (size_t depth = binder_.frames_.size(); depth-- > 0;) {
    OuterFrame* frame = binder_.frames_[depth];
    if (frame->scope == nullptr) break;
    ExprContext outer_context;
    outer_context.scope = frame->scope;
    ExprBinder outer(binder_, outer_context);
    std::optional<std::string> plan_name = outer.TryResolveColumn(expr);
    if (!plan_name) {
      if (depth + 1 == binder_.frames_.size()) continue;
      break;
    }
    if (depth + 1 != binder_.frames_.size()) {
      binder_.Fail(expr.pos, fmt::format("correlated reference to \"{}\" from a subquery nested "
                                         "two levels deep is not supported",
                                         QualifiedText(expr.names)));
    }
    if (context_.subqueries == nullptr || frame->body == nullptr || !context_.allow_outer) {
      binder_.Fail(expr.pos,
                   fmt::format("correlated reference to \"{}\" is only supported in the WHERE "
                               "clause of the subquery",
                               QualifiedText(expr.names)));
    }
    std::string marker = OuterMarker(*plan_name);
    DataType type = frame->schema->field(frame->schema->FieldIndex(*plan_name)).type;
    bool known = false;
    for (const Field& field : frame->refs) known = known || field.name == marker;
    if (!known) frame->refs.push_back({marker, type, true});
    extra_fields_.push_back({marker, type, true});
    return col(marker);
  }
  // An unknown name: suggest the closest visible one.
  std::vector<std::string> candidates;
  bool qualifier_known = qualifier.empty();
  std::vector<std::string> qualifiers;
  if (context_.scope != nullptr) {
    for (const ScopeColumn& column : context_.scope->columns) {
      if (!qualifier.empty() && NamesEqual(column.qualifier, qualifier)) {
        qualifier_known = true;
        candidates.push_back(column.name);
      } else if (qualifier.empty() && !column.hidden) {
        candidates.push_back(column.name);
      }
      if (!column.qualifier.empty()) qualifiers.push_back(column.qualifier);
    }
  }
  if (!qualifier_known) {
    std::string message = fmt::format("table \"{}\" not found", qualifier);
    if (auto suggestion = ClosestName(qualifier, qualifiers))
      message += fmt::format("; did you mean \"{}\"?", *suggestion);
    binder_.Fail(expr.pos, message);
  }
  std::string message = fmt::format("column \"{}\" not found", QualifiedText(expr.names));
  if (auto suggestion = ClosestName(name, candidates))
    message += fmt::format("; did you mean \"{}\"?", *suggestion);
  binder_.Fail(expr.pos, message);
}

// ---- Operators ---------------------------------------------------------------------------------

Expr ExprBinder::BindUnary(const AstExpr& expr) {
  Expr arg = Bind(*expr.args[0]);
  switch (expr.op) {
    case AstOp::kNot: return !arg;
    case AstOp::kNegate: return -arg;
    case AstOp::kPlus: return arg;
    default: break;
  }
  binder_.Fail(expr.pos, fmt::format("unknown unary operator {}", AstOpName(expr.op)));
}

Expr ExprBinder::BindBinary(const AstExpr& expr) {
  const AstExpr& left = *expr.args[0];
  const AstExpr& right = *expr.args[1];
  if (expr.op == AstOp::kAdd || expr.op == AstOp::kSubtract) {
    if (right.kind == AstExprKind::kInterval)
      return BindIntervalArithmetic(expr, left, right, expr.op == AstOp::kSubtract);
    if (left.kind == AstExprKind::kInterval && expr.op == AstOp::kAdd)
      return BindIntervalArithmetic(expr, right, left, false);
  }
  Expr a = Bind(left);
  Expr b = Bind(right);
  switch (expr.op) {
    case AstOp::kAnd: return a && b;
    case AstOp::kOr: return a || b;
    case AstOp::kAdd: return a + b;
    case AstOp::kSubtract: return a - b;
    case AstOp::kMultiply: return a * b;
    case AstOp::kDivide: return a / b;
    case AstOp::kIntDivide: return call("integer_divide", {a, b});
    case AstOp::kModulo: return a % b;
    case AstOp::kConcat: {
      // DuckDB's || takes any types and concatenates their text.
      auto text = [&](const Expr& e) {
        if (e.kind() == ExprKind::kLiteral && e.node().literal.type.id == TypeId::kUtf8) return e;
        return TypeOf(e).id == TypeId::kUtf8 ? e : e.cast(Utf8());
      };
      return concat({text(a), text(b)});
    }
    case AstOp::kIsDistinctFrom:
    case AstOp::kIsNotDistinctFrom: {
      // Nulls compare equal to each other and unequal to any value.
      Expr distinct = when(a.is_null() && b.is_null())
                          .then(lit(false))
                          .when(a.is_null() || b.is_null())
                          .then(lit(true))
                          .otherwise(a != b);
      return expr.op == AstOp::kIsDistinctFrom ? distinct : !distinct;
    }
    default: break;
  }
  if (IsComparison(expr.op)) {
    if (Expr date = AsDateLiteral(b); date.valid() && TypeOf(a).id == TypeId::kDate32) b = date;
    if (Expr date = AsDateLiteral(a); date.valid() && TypeOf(b).id == TypeId::kDate32) a = date;
    return call(ComparisonName(expr.op), {a, b});
  }
  binder_.Fail(expr.pos, fmt::format("unknown operator {}", AstOpName(expr.op)));
}

Expr ExprBinder::BindInterval(const AstExpr& expr) {
  Interval interval = ParseInterval(expr, binder_.sql());
  if (interval.months != 0) {
    binder_.Fail(expr.pos,
                 "an interval of months or years has no fixed length; use it in date "
                 "arithmetic (date + INTERVAL ...)");
  }
  return lit_duration(interval.days * 86400 * 1000000 + interval.micros, "us");
}

Expr ExprBinder::BindIntervalArithmetic(const AstExpr& expr, const AstExpr& point_ast,
                                        const AstExpr& interval_ast, bool subtract) {
  Interval interval = ParseInterval(interval_ast, binder_.sql());
  if (subtract) {
    interval.months = -interval.months;
    interval.days = -interval.days;
    interval.micros = -interval.micros;
  }
  Expr point = Bind(point_ast);
  DataType type = TypeOf(point);
  const int64_t micros_per_day = int64_t{86400} * 1000000;
  const int64_t fixed = interval.days * micros_per_day + interval.micros;
  if (type.id == TypeId::kDuration) {
    if (interval.months != 0)
      binder_.Fail(expr.pos, "cannot add an interval of months to a duration");
    return point + lit_duration(fixed, "us");
  }
  if (type.id != TypeId::kDate32 && type.id != TypeId::kTimestamp) {
    binder_.Fail(expr.pos, fmt::format("cannot add an INTERVAL to {} in `{}`", type.ToString(),
                                       point.ToString()));
  }
  // A constant date or timestamp folds now, so filters compare with a literal (and prune).
  if (point.kind() == ExprKind::kLiteral && !point.node().literal.is_null()) {
    const Scalar& value = point.node().literal;
    int64_t v = std::get<int64_t>(value.value);
    int64_t micros = 0;
    if (type.id == TypeId::kDate32) {
      micros = AddMonthsToDays(v, interval.months) * micros_per_day;
    } else {
      int64_t per_second = UnitsPerSecond(type.unit);
      int64_t as_micros =
          per_second >= 1000000 ? v / (per_second / 1000000) : v * (1000000 / per_second);
      int64_t days = as_micros >= 0 ? as_micros / micros_per_day
                                    : -((-as_micros + micros_per_day - 1) / micros_per_day);
      int64_t time = as_micros - days * micros_per_day;
      micros = AddMonthsToDays(days, interval.months) * micros_per_day + time;
    }
    Scalar out;
    out.type = Timestamp(TimeUnit::kMicro, type.id == TypeId::kTimestamp ? type.timezone : "");
    out.value = micros + fixed;
    return lit(std::move(out));
  }
  Expr out = point;
  if (interval.months != 0) out = call("add_months", {point, lit(interval.months)});
  if (fixed != 0 || type.id == TypeId::kDate32) out = out + lit_duration(fixed, "us");
  return out;
}

// ---- Other forms -------------------------------------------------------------------------------

Expr ExprBinder::BindCase(const AstExpr& expr) {
  std::vector<Expr> args;
  size_t first = 0;
  Expr operand;
  if (expr.has_operand) {
    operand = Bind(*expr.args[0]);
    first = 1;
  }
  for (size_t i = first; i + 1 < expr.args.size(); i += 2) {
    Expr condition = Bind(*expr.args[i]);
    args.push_back(expr.has_operand ? operand == condition : condition);
    args.push_back(Bind(*expr.args[i + 1]));
  }
  if (expr.else_expr) args.push_back(Bind(*expr.else_expr));
  return call("case_when", std::move(args));
}

Expr ExprBinder::BindCast(const AstExpr& expr) {
  DataType type = SqlType(expr.type, binder_.sql());
  const AstExpr& arg = *expr.args[0];
  if (type.id == TypeId::kDuration && arg.kind == AstExprKind::kLiteral &&
      arg.literal_kind == LiteralKind::kString) {
    AstExpr interval = arg;
    interval.kind = AstExprKind::kInterval;
    interval.unit.clear();
    return BindInterval(interval);
  }
  Expr value = Bind(arg);
  return expr.try_cast ? value.try_cast(type) : value.cast(type);
}

Expr ExprBinder::BindExtract(const AstExpr& expr) {
  std::string field = LowerName(expr.text);
  Expr value = Bind(*expr.args[0]);
  if (field == "year" || field == "years") return value.dt().year();
  if (field == "month" || field == "months") return value.dt().month();
  if (field == "day" || field == "days") return value.dt().day();
  if (field == "hour" || field == "hours") return value.dt().hour();
  if (field == "minute" || field == "minutes") return value.dt().minute();
  if (field == "second" || field == "seconds") return value.dt().second();
  if (field == "isodow") return value.dt().weekday();
  if (field == "dow" || field == "dayofweek") return value.dt().weekday() % lit(int64_t{7});
  if (field == "doy" || field == "dayofyear") return value.dt().day_of_year();
  if (field == "epoch") return call("epoch", {value});
  if (field == "quarter")
    return call("integer_divide", {value.dt().month() - lit(int64_t{1}), lit(int64_t{3})}) +
           lit(int64_t{1});
  binder_.Fail(expr.pos, fmt::format("EXTRACT of {} is not supported; use year, quarter, month, "
                                     "day, hour, minute, second, dow, isodow, doy or epoch",
                                     expr.text));
}

Expr ExprBinder::BindLike(const AstExpr& expr) {
  std::vector<Expr> args = {Bind(*expr.args[0]), Bind(*expr.args[1])};
  if (expr.args.size() > 2 && expr.args[2]) args.push_back(Bind(*expr.args[2]));
  Expr e = call(expr.case_insensitive ? "ilike" : "like", std::move(args));
  return expr.negated ? !e : e;
}

Expr ExprBinder::BindSubqueryExpr(const AstExpr& expr) {
  if (context_.subqueries == nullptr || context_.scope == nullptr)
    binder_.Fail(expr.pos, fmt::format("subqueries are not allowed in {}", context_.clause));
  PendingSubquery pending;
  pending.ast = &expr;
  pending.column = binder_.Fresh("__subquery");
  pending.kind = expr.kind == AstExprKind::kSubquery ? PendingSubquery::Kind::kScalar
                 : expr.kind == AstExprKind::kExists ? PendingSubquery::Kind::kExists
                                                     : PendingSubquery::Kind::kIn;
  if (pending.kind == PendingSubquery::Kind::kIn) pending.probe = Bind(*expr.args[0]);
  {
    // The subquery sees this expression's columns, placeholders included, as its outer query.
    std::vector<Field> fields = context_.schema->fields();
    fields.insert(fields.end(), extra_fields_.begin(), extra_fields_.end());
    binder_.BindSubquery(*expr.subquery, *context_.scope,
                         std::make_shared<Schema>(std::move(fields)), &pending, context_.plan);
  }
  if (pending.kind == PendingSubquery::Kind::kIn) {
    // The probe and the subquery's column must be comparable.
    DataType probe = TypeOf(pending.probe);
    DataType value = pending.sub.scope.columns[0].type;
    Schema both({{"__a", probe, true}, {"__b", value, true}});
    try {
      ResolveType(col("__a") == col("__b"), both);
    } catch (const Error&) {
      binder_.Fail(expr.pos, fmt::format("cannot compare {} with the subquery's {} in IN",
                                         probe.ToString(), value.ToString()));
    }
  }
  extra_fields_.push_back({pending.column, pending.type, true});
  context_.subqueries->push_back(std::move(pending));
  Expr value = col(context_.subqueries->back().column);
  return expr.negated ? !value : value;
}

}  // namespace sluice::sql
