// SQL function calls: aggregates (count(*), count(DISTINCT x), avg, stddev, quantile_cont, ...,
// with FILTER (WHERE ...)), window functions (`f(...) OVER (...)`, as placeholders the SELECT
// binder computes in a Window node) and scalar functions, with DuckDB's names and aliases mapped
// to the registry's canonical ones.
#include <fmt/format.h>

#include <cmath>
#include <map>

#include "core/error.h"
#include "expr/bound_expr.h"
#include "expr/function_registry.h"
#include "plan/expr_util.h"
#include "sql/bind_names.h"
#include "sql/bind_query.h"
#include "sql/binder.h"
#include "sql/sql_error.h"

namespace sluice::sql {

namespace {

/// Aggregates by SQL name: canonical name and, for std/var, the ddof.
struct AggregateSpec {
  const char* canonical;
  int ddof = -1;
};

const std::map<std::string, AggregateSpec>& AggregateSpecs() {
  static const std::map<std::string, AggregateSpec> kSpecs = {
      {"count", {"count"}},
      {"sum", {"sum"}},
      {"avg", {"mean"}},
      {"mean", {"mean"}},
      {"min", {"min"}},
      {"max", {"max"}},
      {"stddev", {"std", 1}},
      {"stddev_samp", {"std", 1}},
      {"std", {"std", 1}},
      {"stddev_pop", {"std", 0}},
      {"variance", {"var", 1}},
      {"var_samp", {"var", 1}},
      {"var", {"var", 1}},
      {"var_pop", {"var", 0}},
      {"median", {"median"}},
      {"quantile_cont", {"quantile"}},
      {"quantile", {"quantile"}},
      {"bool_and", {"all"}},
      {"every", {"all"}},
      {"bool_or", {"any"}},
      {"any_value", {"first"}},
      {"arbitrary", {"first"}},
      {"first", {"first"}},
      {"last", {"last"}},
      {"approx_count_distinct", {"count"}},
      {"count_if", {"count"}},
  };
  return kSpecs;
}

/// Window-only functions and their result types (nullopt: the type of the first argument).
bool IsRankingFunction(const std::string& name) {
  return name == "row_number" || name == "rank" || name == "dense_rank" || name == "percent_rank" ||
         name == "cume_dist" || name == "ntile" || name == "lag" || name == "lead" ||
         name == "first_value" || name == "last_value" || name == "nth_value";
}

/// Scalar functions whose SQL names differ from the registry's.
const std::map<std::string, std::string>& ScalarAliases() {
  static const std::map<std::string, std::string> kAliases = {
      {"ceiling", "ceil"},
      {"power", "pow"},
      {"log", "log10"},
      {"lcase", "lower"},
      {"ucase", "upper"},
      {"char_length", "length"},
      {"character_length", "length"},
      {"len", "length"},
      {"strlen", "octet_length"},
      {"prefix", "starts_with"},
      {"suffix", "ends_with"},
      {"substr", "substring"},
      {"ifnull", "coalesce"},
      {"regexp_full_match", "regexp_matches"},
      {"instr", "strpos"},
  };
  return kAliases;
}

}  // namespace

std::string SqlAggregateName(const std::string& lower_name) {
  auto it = AggregateSpecs().find(lower_name);
  return it == AggregateSpecs().end() ? "" : it->second.canonical;
}

std::vector<Expr> ExprBinder::BindArgs(const AstExpr& expr) {
  std::vector<Expr> args;
  for (const AstExprPtr& arg : expr.args) args.push_back(Bind(*arg));
  return args;
}

Expr ExprBinder::BindFunction(const AstExpr& expr) {
  std::string name = LowerName(expr.names.back());
  if (expr.window) return BindWindow(expr, name);
  if (IsRankingFunction(name))
    binder_.Fail(expr.pos, fmt::format("{}() is a window function: it needs OVER (...)", name));
  if (!SqlAggregateName(name).empty()) return BindAggregate(expr, name);
  if (expr.filter)
    binder_.Fail(expr.pos, fmt::format("FILTER applies to aggregates, not {}()", name));
  return BindScalarFunction(expr, name);
}

Expr ExprBinder::BindAggregate(const AstExpr& expr, const std::string& name) {
  if (!context_.allow_aggregates) {
    binder_.Fail(expr.pos, fmt::format("aggregate function {}() is not allowed in {}", name,
                                       context_.clause));
  }
  const AggregateSpec& spec = AggregateSpecs().at(name);
  // Arguments of an aggregate are per-row expressions: no aggregates or windows inside.
  ExprContext saved = context_;
  context_.allow_aggregates = window_over_aggregates_;
  window_over_aggregates_ = false;
  context_.allow_windows = false;
  context_.clause = "an aggregate's arguments";
  Expr filter;
  std::vector<Expr> args;
  try {
    for (const AstExprPtr& arg : expr.args) args.push_back(Bind(*arg));
    if (expr.filter) filter = Bind(*expr.filter);
  } catch (...) {
    context_ = saved;
    throw;
  }
  context_ = saved;
  bool star = expr.star_arg || (name == "count" && args.empty());
  if (star) {
    if (expr.distinct) binder_.Fail(expr.pos, "count(DISTINCT *) is not supported");
    if (!filter.valid()) return count_rows();
    return aggregate("count", {when(filter).then(lit(1))});
  }
  if (args.empty()) binder_.Fail(expr.pos, fmt::format("{}() needs an argument", name));
  if (name == "count_if") {
    Expr condition = filter.valid() ? args[0] && filter : args[0];
    return aggregate("count", {when(condition).then(lit(1))});
  }
  Expr value = args[0];
  if (filter.valid()) value = when(filter).then(value);
  std::string canonical = spec.canonical;
  if (spec.ddof >= 0) {
    if (args.size() > 1) binder_.Fail(expr.pos, fmt::format("{}() takes one argument", name));
    return aggregate(canonical, {value, lit(spec.ddof)}, expr.distinct);
  }
  if (canonical == "quantile") {
    if (args.size() != 2)
      binder_.Fail(expr.pos, fmt::format("{}(x, q) takes a value and a quantile", name));
    Scalar q = BindConstant(*expr.args[1], binder_.sql());
    double fraction = 0;
    if (const double* d = std::get_if<double>(&q.value)) {
      fraction = *d;
    } else if (const int64_t* i = std::get_if<int64_t>(&q.value)) {
      fraction = static_cast<double>(*i);
    } else if (const int128_t* u = std::get_if<int128_t>(&q.value)) {
      fraction = static_cast<double>(*u) / std::pow(10.0, q.type.scale);
    } else {
      binder_.Fail(expr.args[1]->pos, "the quantile must be a number between 0 and 1");
    }
    if (!(fraction >= 0 && fraction <= 1))
      binder_.Fail(expr.args[1]->pos, "the quantile must be a number between 0 and 1");
    return aggregate("quantile", {value, lit(fraction)});
  }
  if (args.size() > 1) binder_.Fail(expr.pos, fmt::format("{}() takes one argument", name));
  bool distinct = expr.distinct || name == "approx_count_distinct";
  if (distinct && (canonical == "min" || canonical == "max")) distinct = false;
  return aggregate(canonical, {value}, distinct);
}

Expr ExprBinder::BindScalarFunction(const AstExpr& expr, const std::string& name) {
  std::vector<Expr> args = BindArgs(expr);
  auto need = [&](size_t min, size_t max) {
    if (args.size() < min || args.size() > max) {
      binder_.Fail(expr.pos,
                   min == max
                       ? fmt::format("{}() takes {} argument{}", name, min, min == 1 ? "" : "s")
                       : fmt::format("{}() takes {} to {} arguments", name, min, max));
    }
  };
  if (name == "nullif") {
    need(2, 2);
    return when(args[0] == args[1]).then(lit_null(TypeOf(args[0]))).otherwise(args[0]);
  }
  if (name == "concat") {
    // DuckDB's concat() skips nulls (unlike ||).
    std::vector<Expr> parts;
    for (const Expr& arg : args) {
      Expr text = TypeOf(arg).id == TypeId::kUtf8 ? arg : arg.cast(Utf8());
      parts.push_back(coalesce({text, lit("")}));
    }
    if (parts.empty()) return lit("");
    return concat(std::move(parts));
  }
  if (name == "date_part" || name == "datepart") {
    need(2, 2);
    if (expr.args[0]->kind != AstExprKind::kLiteral ||
        expr.args[0]->literal_kind != LiteralKind::kString)
      binder_.Fail(expr.pos, "date_part takes a constant part name ('year', 'month', ...)");
    AstExpr extract;
    extract.kind = AstExprKind::kExtract;
    extract.pos = expr.pos;
    extract.text = expr.args[0]->text;
    extract.args = {expr.args[1]};
    return BindExtract(extract);
  }
  if (name == "greatest" || name == "least") {
    // DuckDB's greatest/least skip nulls: null only when every argument is.
    if (args.empty()) binder_.Fail(expr.pos, fmt::format("{}() needs arguments", name));
    Expr out = args[0];
    for (size_t i = 1; i < args.size(); ++i) {
      Expr better = name == "greatest" ? out >= args[i] : out <= args[i];
      out = when(out.is_null())
                .then(args[i])
                .when(args[i].is_null())
                .then(out)
                .when(better)
                .then(out)
                .otherwise(args[i]);
    }
    return out;
  }
  if (name == "left") {
    need(2, 2);
    return call("substring", {args[0], lit(int64_t{1}), args[1]});
  }
  if (name == "right") {
    need(2, 2);
    Expr start = call("length", {args[0]}) - args[1] + lit(int64_t{1});
    return call("substring",
                {args[0], when(start < lit(int64_t{1})).then(lit(int64_t{1})).otherwise(start)});
  }
  if (name == "dayofweek" || name == "dow") {
    need(1, 1);
    return args[0].dt().weekday() % lit(int64_t{7});
  }
  if (name == "isodow") return call("weekday", std::move(args));
  if (name == "dayofyear" || name == "doy") return call("day_of_year", std::move(args));
  if (name == "dayofmonth") return call("day", std::move(args));
  if (name == "quarter") {
    need(1, 1);
    return call("integer_divide", {args[0].dt().month() - lit(int64_t{1}), lit(int64_t{3})}) +
           lit(int64_t{1});
  }
  if (name == "round" && args.size() == 1) args.push_back(lit(0));
  if (name == "regexp_replace" && args.size() == 3) {
    // DuckDB replaces the first match unless the 'g' option is given; the kernel takes options.
    args.push_back(lit(""));
  }
  auto alias = ScalarAliases().find(name);
  std::string canonical = alias == ScalarAliases().end() ? name : alias->second;
  const FunctionRegistry& registry = FunctionRegistry::BuiltIn();
  if (registry.Find(canonical) == nullptr) {
    std::vector<std::string> names = registry.Names();
    for (const auto& [sql_name, spec] : AggregateSpecs()) names.push_back(sql_name);
    for (const auto& [sql_name, target] : ScalarAliases()) names.push_back(sql_name);
    std::string message = fmt::format("unknown function {}()", name);
    if (auto suggestion = ClosestName(name, names))
      message += fmt::format("; did you mean {}()?", *suggestion);
    binder_.Fail(expr.pos, message);
  }
  return call(canonical, std::move(args));
}

Expr ExprBinder::BindWindow(const AstExpr& expr, const std::string& name) {
  if (!context_.allow_windows || context_.windows == nullptr) {
    binder_.Fail(expr.pos,
                 fmt::format("window function {}() is not allowed in {}", name, context_.clause));
  }
  // The window's arguments, partitions and orders are expressions over the rows the window sees:
  // after aggregation they may hold aggregates (rank() OVER (ORDER BY sum(x))).
  ExprContext saved = context_;
  context_.allow_windows = false;
  context_.clause = "a window function";
  PendingWindow pending;
  WindowExpr& window = pending.window;
  try {
    std::string canonical = SqlAggregateName(name);
    if (!canonical.empty()) {
      // An aggregate over the frame: bind it as an aggregate, then unpack it.
      bool aggregates = context_.allow_aggregates;
      window_over_aggregates_ = aggregates;
      context_.allow_aggregates = true;
      Expr agg = BindAggregate(expr, name);
      context_.allow_aggregates = aggregates;
      window.function = agg.node().name;
      window.distinct = agg.node().distinct;
      for (size_t i = 0; i < agg.node().args.size(); ++i) window.args.push_back(agg.arg(i));
    } else if (IsRankingFunction(name)) {
      window.function = name;
      window.args = BindArgs(expr);
    } else {
      binder_.Fail(expr.pos, fmt::format("{}() is not a window or aggregate function", name));
    }
    const WindowSpec* spec = expr.window.get();
    WindowSpec merged;
    if (!spec->name.empty()) {
      // OVER w: the WINDOW clause's definition, refined by what this OVER adds.
      const WindowSpec* named = binder_.FindWindow(spec->name);
      if (named == nullptr)
        binder_.Fail(expr.pos, fmt::format("window \"{}\" is not defined", spec->name));
      merged = *named;
      if (!spec->partition_by.empty()) merged.partition_by = spec->partition_by;
      if (!spec->order_by.empty()) merged.order_by = spec->order_by;
      if (spec->frame) merged.frame = spec->frame;
      spec = &merged;
    }
    for (const AstExprPtr& part : spec->partition_by) window.partition_by.push_back(Bind(*part));
    for (const OrderItem& item : spec->order_by) {
      window.order_by.push_back({Bind(*item.expr), item.descending, item.nulls_last});
    }
    if (spec->frame) {
      WindowFrame frame;
      frame.units = spec->frame->units == WindowFrameSpec::Units::kRows
                        ? WindowFrame::Units::kRows
                        : WindowFrame::Units::kRange;
      auto bound = [&](const FrameBound& b) {
        WindowBound out;
        out.kind = static_cast<WindowBound::Kind>(b.kind);
        if (b.offset) out.offset = BindConstant(*b.offset, binder_.sql());
        return out;
      };
      frame.start = bound(spec->frame->start);
      frame.end = bound(spec->frame->end);
      window.frame = frame;
    }
  } catch (...) {
    context_ = saved;
    throw;
  }
  context_ = saved;
  // The result type: ranks are int64, distributions float64, value functions their argument's.
  const std::string& f = window.function;
  if (f == "row_number" || f == "rank" || f == "dense_rank" || f == "ntile" || f == "count" ||
      f == "count_star") {
    pending.type = Int64();
  } else if (f == "percent_rank" || f == "cume_dist") {
    pending.type = Float64();
  } else if (f == "lag" || f == "lead" || f == "first_value" || f == "last_value" ||
             f == "nth_value") {
    if (window.args.empty()) binder_.Fail(expr.pos, fmt::format("{}() needs an argument", f));
    pending.type = TypeOf(window.args[0]);
  } else {
    std::vector<Expr> args = window.args;
    Expr agg = args.empty() ? count_rows() : aggregate(f, args, window.distinct);
    pending.type = TypeOf(agg);
  }
  window.name = binder_.Fresh("__window");
  extra_fields_.push_back({window.name, pending.type, true});
  context_.windows->push_back(pending);
  return col(window.name);
}

}  // namespace sluice::sql
