// SQL literals to expression literals, with DuckDB's types: integers are int32 when they fit
// (else int64, else decimal(38,0)), `0.2` is decimal(2,1) (every digit counts toward the
// precision), `1e3` is a double; DATE/TIMESTAMP/TIME literals; and SQL intervals, whose months
// and days stay apart because a month has no fixed length.
#include <fmt/format.h>

#include <cctype>
#include <cmath>
#include <limits>

#include "core/error.h"
#include "core/temporal.h"
#include "expr/cast.h"
#include "sql/bind_names.h"
#include "sql/bind_query.h"
#include "sql/sql_error.h"
#include "sql/sql_types.h"

namespace sluice::sql {

namespace {

Expr IntegerLiteral(const AstExpr& expr, std::string_view sql) {
  int64_t value = 0;
  if (ParseInt64(expr.text, &value)) {
    if (value >= std::numeric_limits<int32_t>::min() &&
        value <= std::numeric_limits<int32_t>::max())
      return lit(static_cast<int>(value));
    return lit(value);
  }
  // Beyond int64: DuckDB makes a HUGEINT; the widest exact type here is decimal(38,0).
  __int128 unscaled = 0;
  if (expr.text.size() <= 38 && ParseDecimal(expr.text, 38, 0, &unscaled)) {
    Scalar scalar;
    scalar.type = Decimal(38, 0);
    scalar.value = static_cast<int128_t>(unscaled);
    return lit(std::move(scalar));
  }
  double d = 0;
  if (ParseDouble(expr.text, &d)) return lit(d);
  ThrowSqlError(sql, expr.pos, fmt::format("malformed integer literal {}", expr.text));
}

Expr DecimalLiteral(const AstExpr& expr, std::string_view sql) {
  const std::string& text = expr.text;
  bool scientific = text.find_first_of("eE") != std::string::npos;
  int digits = 0;
  int scale = 0;
  bool after_point = false;
  for (char c : text) {
    if (c == '.') after_point = true;
    if (std::isdigit(static_cast<unsigned char>(c))) {
      ++digits;
      if (after_point) ++scale;
    }
  }
  if (!scientific && digits <= 38) {
    int precision = std::max(digits, std::max(scale, 1));
    __int128 unscaled = 0;
    if (ParseDecimal(text, precision, scale, &unscaled)) {
      Scalar scalar;
      scalar.type = Decimal(precision, scale);
      scalar.value = static_cast<int128_t>(unscaled);
      return lit(std::move(scalar));
    }
  }
  double d = 0;
  if (!ParseDouble(text, &d))
    ThrowSqlError(sql, expr.pos, fmt::format("malformed number {}", text));
  return lit(d);
}

Expr TypedLiteral(const AstExpr& expr, std::string_view sql) {
  DataType type = SqlType(expr.type, sql);
  try {
    switch (type.id) {
      case TypeId::kDate32: return lit_date(expr.text);
      case TypeId::kTimestamp: {
        int64_t value = 0;
        if (!ParseIsoTimestamp(expr.text, type.unit, &value))
          ThrowInvalid("malformed timestamp '{}': expected YYYY-MM-DD[ HH:MM:SS[.ffffff]]",
                       expr.text);
        Scalar scalar;
        scalar.type = type;
        scalar.value = value;
        return lit(std::move(scalar));
      }
      case TypeId::kTime64: {
        int64_t value = 0;
        if (!ParseIsoTime(expr.text, type.unit, &value))
          ThrowInvalid("malformed time '{}': expected HH:MM[:SS[.ffffff]]", expr.text);
        Scalar scalar;
        scalar.type = type;
        scalar.value = value;
        return lit(std::move(scalar));
      }
      case TypeId::kDuration: {
        AstExpr interval = expr;
        interval.kind = AstExprKind::kInterval;
        interval.unit.clear();
        Interval value = ParseInterval(interval, sql);
        if (value.months != 0)
          ThrowUnsupported(
              "an interval of months ('{}') has no fixed length; use it in date "
              "arithmetic (date + INTERVAL ...)",
              expr.text);
        return lit_duration(value.days * 86400 * 1000000 + value.micros, "us");
      }
      default: return lit(expr.text).cast(type);
    }
  } catch (const Error& e) {
    ThrowSqlError(sql, expr.pos, e.what());
  }
}

/// Microseconds per unit for the fixed-length units; 0 for months-based or unknown ones.
int64_t FixedUnitMicros(const std::string& unit) {
  if (unit == "day" || unit == "days" || unit == "d") return int64_t{86400} * 1000000;
  if (unit == "week" || unit == "weeks" || unit == "w") return int64_t{7} * 86400 * 1000000;
  if (unit == "hour" || unit == "hours" || unit == "h" || unit == "hr" || unit == "hrs")
    return int64_t{3600} * 1000000;
  if (unit == "minute" || unit == "minutes" || unit == "min" || unit == "mins" || unit == "m")
    return int64_t{60} * 1000000;
  if (unit == "second" || unit == "seconds" || unit == "sec" || unit == "secs" || unit == "s")
    return 1000000;
  if (unit == "millisecond" || unit == "milliseconds" || unit == "ms" || unit == "msec")
    return 1000;
  if (unit == "microsecond" || unit == "microseconds" || unit == "us" || unit == "usec") return 1;
  return 0;
}

int64_t MonthsPerUnit(const std::string& unit) {
  if (unit == "month" || unit == "months" || unit == "mon" || unit == "mons") return 1;
  if (unit == "quarter" || unit == "quarters") return 3;
  if (unit == "year" || unit == "years" || unit == "y" || unit == "yr" || unit == "yrs") return 12;
  if (unit == "decade" || unit == "decades") return 120;
  if (unit == "century" || unit == "centuries") return 1200;
  return 0;
}

/// Adds `count` of `unit` to `out`; false for an unknown unit or a fraction of months.
bool AddUnits(double count, const std::string& unit, Interval* out) {
  if (int64_t months = MonthsPerUnit(unit)) {
    double total = count * static_cast<double>(months);
    if (total != std::trunc(total)) return false;
    out->months += static_cast<int64_t>(total);
    return true;
  }
  int64_t micros = FixedUnitMicros(unit);
  if (micros == 0) return false;
  if (unit.starts_with("day") || unit == "d") {
    if (count == std::trunc(count)) {
      out->days += static_cast<int64_t>(count);
      return true;
    }
  }
  if (unit.starts_with("week") || unit == "w") {
    double days = count * 7;
    if (days == std::trunc(days)) {
      out->days += static_cast<int64_t>(days);
      return true;
    }
  }
  out->micros += static_cast<int64_t>(std::llround(count * static_cast<double>(micros)));
  return true;
}

/// Parses "1 day 2 hours", "3 months", "02:30:00", "-1 year" into `out`.
bool ParseIntervalText(std::string_view text, Interval* out) {
  size_t i = 0;
  bool any = false;
  auto skip_spaces = [&] {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  };
  while (true) {
    skip_spaces();
    if (i >= text.size()) break;
    size_t start = i;
    if (text[i] == '-' || text[i] == '+') ++i;
    while (i < text.size() &&
           (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.' || text[i] == ':'))
      ++i;
    std::string_view number = text.substr(start, i - start);
    if (number.empty()) return false;
    if (number.find(':') != std::string_view::npos) {
      // HH:MM[:SS[.f]]
      bool negative = number[0] == '-';
      if (number[0] == '-' || number[0] == '+') number.remove_prefix(1);
      int64_t value = 0;
      if (!ParseIsoTime(number, TimeUnit::kMicro, &value)) return false;
      out->micros += negative ? -value : value;
      any = true;
      continue;
    }
    double count = 0;
    if (!ParseDouble(number, &count)) return false;
    skip_spaces();
    size_t unit_start = i;
    while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) ++i;
    std::string unit = LowerName(text.substr(unit_start, i - unit_start));
    if (unit.empty()) unit = "second";  // DuckDB reads a bare number as seconds.
    if (!AddUnits(count, unit, out)) return false;
    any = true;
  }
  return any;
}

}  // namespace

Interval ParseInterval(const AstExpr& expr, std::string_view sql) {
  Interval out;
  bool ok = false;
  if (expr.unit.empty()) {
    ok = ParseIntervalText(expr.text, &out);
  } else {
    double count = 0;
    std::string text = expr.text;
    ok = ParseDouble(text, &count) && AddUnits(count, LowerName(expr.unit), &out);
  }
  if (!ok) {
    ThrowSqlError(sql, expr.pos,
                  fmt::format("malformed interval '{}'{}: expected a number and a unit (year, "
                              "quarter, month, week, day, hour, minute, second)",
                              expr.text, expr.unit.empty() ? "" : " " + expr.unit));
  }
  return out;
}

int64_t AddMonthsToDays(int64_t days, int64_t months) {
  CivilDate date = CivilFromDays(days);
  int64_t month_index = date.year * 12 + (date.month - 1) + months;
  int64_t year = month_index >= 0 ? month_index / 12 : -((-month_index + 11) / 12);
  unsigned month = static_cast<unsigned>(month_index - year * 12) + 1;
  static const unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  unsigned last = kDays[month - 1];
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (month == 2 && leap) last = 29;
  return DaysFromCivil(year, month, std::min(date.day, last));
}

Expr BindLiteralExpr(const AstExpr& expr, std::string_view sql) {
  if (expr.kind == AstExprKind::kTypedLiteral) return TypedLiteral(expr, sql);
  switch (expr.literal_kind) {
    case LiteralKind::kNull: return lit_null(Int32());
    case LiteralKind::kTrue: return lit(true);
    case LiteralKind::kFalse: return lit(false);
    case LiteralKind::kInteger: return IntegerLiteral(expr, sql);
    case LiteralKind::kDecimal: return DecimalLiteral(expr, sql);
    case LiteralKind::kString: return lit(expr.text);
  }
  ThrowSqlError(sql, expr.pos, "unknown literal");
}

}  // namespace sluice::sql
