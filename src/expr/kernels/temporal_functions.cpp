// Temporal functions: the calendar fields year month day hour minute second weekday day_of_year
// of date32 and timestamp values (hour, minute and second also of time64), and date_trunc. The
// formatting pair strftime/strptime is in temporal_format.cpp, add_months and epoch in
// temporal_arith_functions.cpp.
//
// Fields are int64 (as DuckDB's BIGINT). weekday is ISO: Monday = 1 .. Sunday = 7 (Polars'
// dt.weekday, DuckDB's isodow; DuckDB's dayofweek counts Sunday = 0). second is the whole
// seconds. A timestamp with a time zone is read in UTC: its fields are the UTC fields.
//
// date_trunc(unit, t) keeps the type of t (date -> date, as Polars' dt.truncate; DuckDB returns a
// timestamp for a date). Units: microsecond millisecond second minute hour day week (starting on
// Monday) month quarter year decade century millennium, with DuckDB's plurals and short forms.
#include <array>
#include <limits>

#include "core/error.h"
#include "expr/kernels/string_util.h"
#include "expr/kernels/temporal_util.h"

namespace sluice {
namespace kernels {
namespace {

bool IsDateOrTimestamp(const DataType& type) {
  return type.id == TypeId::kDate32 || type.id == TypeId::kTimestamp;
}

// ---- fields ------------------------------------------------------------------------------

enum class Field : uint8_t { kYear, kMonth, kDay, kHour, kMinute, kSecond, kWeekday, kDayOfYear };

int64_t FieldOf(const Instant& t, Field field) {
  switch (field) {
    case Field::kYear: return CivilFromDays(t.days).year;
    case Field::kMonth: return CivilFromDays(t.days).month;
    case Field::kDay: return CivilFromDays(t.days).day;
    case Field::kHour: return t.second_of_day / 3600;
    case Field::kMinute: return t.second_of_day / 60 % 60;
    case Field::kSecond: return t.second_of_day % 60;
    case Field::kWeekday: return IsoWeekday(t.days);
    case Field::kDayOfYear: return DayOfYear(t.days, CivilFromDays(t.days).year);
  }
  return 0;
}

template <Field kField, typename T>
void FieldLoop(const T* values, int64_t n, const DataType& type, int64_t* out) {
  const ValueSplitter split(type);
  for (int64_t i = 0; i < n; ++i) out[i] = FieldOf(split(values[i]), kField);
}

template <Field kField>
Column FieldKernel(const Column& input, MemoryPool* pool) {
  const int64_t n = input.length;
  Column out = AllocateFixed(Int64(), n, pool);
  int64_t* values = MutableValues<int64_t>(out);
  if (input.type.id == TypeId::kDate32) {
    FieldLoop<kField>(input.Values<int32_t>(), n, input.type, values);
  } else {
    FieldLoop<kField>(input.Values<int64_t>(), n, input.type, values);
  }
  out.validity = input.validity;
  out.null_count = input.null_count;
  return out;
}

template <Field kField>
BoundCall BindField(std::vector<BoundExprPtr> args, const std::string& display,
                    std::string_view name) {
  CheckArgCount(args, 1, 1, name, display);
  const DataType& type = args[0]->type;
  const bool time_field =
      kField == Field::kHour || kField == Field::kMinute || kField == Field::kSecond;
  if (IsNullLiteral(*args[0]) && !IsDateOrTimestamp(type) && type.id != TypeId::kTime64) {
    args[0] = CastArg(std::move(args[0]), Timestamp(TimeUnit::kMicro), display);
  } else if (!IsDateOrTimestamp(type) && !(time_field && type.id == TypeId::kTime64)) {
    ThrowInvalid("{} expects a date or timestamp{}, not {}, in `{}`", name,
                 time_field ? " or time" : "", type.ToString(), display);
  }
  return {Int64(),
          [](std::span<const Column> in, int64_t, MemoryPool* pool) {
            return FieldKernel<kField>(in[0], pool);
          },
          std::move(args)};
}

// ---- date_trunc --------------------------------------------------------------------------

enum class TruncUnit : uint8_t {
  kMicrosecond,
  kMillisecond,
  kSecond,
  kMinute,
  kHour,
  kDay,
  kWeek,
  kMonth,
  kQuarter,
  kYear,
  kDecade,
  kCentury,
  kMillennium,
};

std::optional<TruncUnit> ParseTruncUnit(std::string_view text) {
  std::string unit(text);
  for (char& c : unit) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  struct Name {
    std::string_view name;
    TruncUnit unit;
  };
  static constexpr std::array<Name, 48> kNames = {{
      {"microsecond", TruncUnit::kMicrosecond},
      {"microseconds", TruncUnit::kMicrosecond},
      {"us", TruncUnit::kMicrosecond},
      {"usec", TruncUnit::kMicrosecond},
      {"millisecond", TruncUnit::kMillisecond},
      {"milliseconds", TruncUnit::kMillisecond},
      {"ms", TruncUnit::kMillisecond},
      {"msec", TruncUnit::kMillisecond},
      {"second", TruncUnit::kSecond},
      {"seconds", TruncUnit::kSecond},
      {"s", TruncUnit::kSecond},
      {"sec", TruncUnit::kSecond},
      {"secs", TruncUnit::kSecond},
      {"minute", TruncUnit::kMinute},
      {"minutes", TruncUnit::kMinute},
      {"m", TruncUnit::kMinute},
      {"min", TruncUnit::kMinute},
      {"mins", TruncUnit::kMinute},
      {"hour", TruncUnit::kHour},
      {"hours", TruncUnit::kHour},
      {"h", TruncUnit::kHour},
      {"hr", TruncUnit::kHour},
      {"hrs", TruncUnit::kHour},
      {"day", TruncUnit::kDay},
      {"days", TruncUnit::kDay},
      {"d", TruncUnit::kDay},
      {"week", TruncUnit::kWeek},
      {"weeks", TruncUnit::kWeek},
      {"w", TruncUnit::kWeek},
      {"month", TruncUnit::kMonth},
      {"months", TruncUnit::kMonth},
      {"mon", TruncUnit::kMonth},
      {"mons", TruncUnit::kMonth},
      {"quarter", TruncUnit::kQuarter},
      {"quarters", TruncUnit::kQuarter},
      {"q", TruncUnit::kQuarter},
      {"year", TruncUnit::kYear},
      {"years", TruncUnit::kYear},
      {"y", TruncUnit::kYear},
      {"yr", TruncUnit::kYear},
      {"yrs", TruncUnit::kYear},
      {"decade", TruncUnit::kDecade},
      {"decades", TruncUnit::kDecade},
      {"century", TruncUnit::kCentury},
      {"centuries", TruncUnit::kCentury},
      {"millennium", TruncUnit::kMillennium},
      {"millennia", TruncUnit::kMillennium},
      {"millenniums", TruncUnit::kMillennium},
  }};
  for (const Name& name : kNames) {
    if (name.name == unit) return name.unit;
  }
  return std::nullopt;
}

// Truncates a day count to the start of its week, month, ... (units of a day or more).
int64_t TruncateDays(int64_t days, TruncUnit unit) {
  if (unit <= TruncUnit::kDay) return days;
  if (unit == TruncUnit::kWeek) return days - (IsoWeekday(days) - 1);
  CivilDate date = CivilFromDays(days);
  switch (unit) {
    case TruncUnit::kMonth: return DaysFromCivil(date.year, date.month, 1);
    case TruncUnit::kQuarter: return DaysFromCivil(date.year, (date.month - 1) / 3 * 3 + 1, 1);
    case TruncUnit::kYear: return DaysFromCivil(date.year, 1, 1);
    case TruncUnit::kDecade: return DaysFromCivil(FloorDiv(date.year, 10) * 10, 1, 1);
    case TruncUnit::kCentury: return DaysFromCivil(FloorDiv(date.year, 100) * 100, 1, 1);
    case TruncUnit::kMillennium: return DaysFromCivil(FloorDiv(date.year, 1000) * 1000, 1, 1);
    default: return days;
  }
}

// The length of a sub-day unit in `per_second` units per second (at least 1).
int64_t UnitStep(TruncUnit unit, int64_t per_second) {
  switch (unit) {
    case TruncUnit::kMicrosecond: return std::max<int64_t>(per_second / 1'000'000, 1);
    case TruncUnit::kMillisecond: return std::max<int64_t>(per_second / 1000, 1);
    case TruncUnit::kSecond: return per_second;
    case TruncUnit::kMinute: return 60 * per_second;
    case TruncUnit::kHour: return 3600 * per_second;
    default: return 86400 * per_second;
  }
}

// Truncates value `v` of a column of `type`; returns true when the result does not fit the type
// (a value far from 1970 whose year, say, starts before the type's range).
inline bool TruncateOne(int64_t v, const DataType& type, TruncUnit unit, int64_t* out) {
  if (type.id == TypeId::kDate32) {
    *out = TruncateDays(v, unit);
    return *out < std::numeric_limits<int32_t>::min();
  }
  const int64_t per_second = UnitsPerSecond(type.unit);
  if (unit <= TruncUnit::kDay) {
    const int64_t step = UnitStep(unit, per_second);
    return __builtin_mul_overflow(FloorDiv(v, step), step, out);
  }
  const int64_t day = 86400 * per_second;
  return __builtin_mul_overflow(TruncateDays(FloorDiv(v, day), unit), day, out);
}

// Truncates every value into `out`; returns true when any (possibly null) slot overflowed.
bool TruncateValues(const Column& input, TruncUnit unit, Column* out) {
  const int64_t n = input.length;
  bool failed = false;
  int64_t result = 0;
  if (input.type.id == TypeId::kDate32) {
    const int32_t* in = input.Values<int32_t>();
    int32_t* values = MutableValues<int32_t>(*out);
    for (int64_t i = 0; i < n; ++i) {
      failed |= TruncateOne(in[i], input.type, unit, &result);
      values[i] = static_cast<int32_t>(result);
    }
    return failed;
  }
  const int64_t* in = input.Values<int64_t>();
  int64_t* values = MutableValues<int64_t>(*out);
  for (int64_t i = 0; i < n; ++i) failed |= TruncateOne(in[i], input.type, unit, &values[i]);
  return failed;
}

struct TruncState {
  std::string display;
  std::optional<TruncUnit> unit;  ///< Set when the unit is a literal.
};

[[noreturn]] void ThrowBadUnit(std::string_view unit, const std::string& display) {
  ThrowInvalid(
      "date_trunc: unknown unit '{}' (expected microsecond, millisecond, second, minute, hour, "
      "day, week, month, quarter, year, decade, century or millennium) in `{}`",
      unit, display);
}

Column TruncKernel(std::span<const Column> args, int64_t rows, const TruncState& state,
                   MemoryPool* pool) {
  const Column& input = args[1];
  const int64_t n = OutputLength(args, rows);
  if (args[0].IsNull(0)) return NullColumn(input.type, n, pool);
  TruncUnit unit;
  if (state.unit) {
    unit = *state.unit;
  } else if (auto parsed = ParseTruncUnit(args[0].StringAt(0))) {
    unit = *parsed;
  } else {
    ThrowBadUnit(args[0].StringAt(0), state.display);
  }
  Column out = AllocateFixed(input.type, input.length, pool);
  if (TruncateValues(input, unit, &out)) {
    // Only a value far from 1970 overflows: name the first valid one (null slots don't count).
    int64_t result = 0;
    for (int64_t i = 0; i < input.length; ++i) {
      int64_t v = input.type.id == TypeId::kDate32 ? input.Values<int32_t>()[i]
                                                   : input.Values<int64_t>()[i];
      if (input.IsValid(i) && TruncateOne(v, input.type, unit, &result)) {
        ThrowInvalid("date_trunc: the start of the {} of {} is out of the range of {} in `{}`",
                     args[0].StringAt(0), ValueForMessage(input, i), input.type.ToString(),
                     state.display);
      }
    }
  }
  out.validity = input.validity;
  out.null_count = input.null_count;
  return out;
}

BoundCall BindTrunc(std::vector<BoundExprPtr> args, const std::string& display) {
  CheckArgCount(args, 2, 2, "date_trunc", display);
  args[0] = RequireString(std::move(args[0]), 0, "date_trunc", display);
  if (IsNullLiteral(*args[1]) && !IsDateOrTimestamp(args[1]->type)) {
    args[1] = CastArg(std::move(args[1]), Timestamp(TimeUnit::kMicro), display);
  } else if (!IsDateOrTimestamp(args[1]->type)) {
    ThrowInvalid("date_trunc expects a date or timestamp as argument 2, not {}, in `{}`",
                 args[1]->type.ToString(), display);
  }
  auto state = std::make_shared<TruncState>();
  state->display = display;
  ConstantString unit = RequireConstantString(*args[0], "unit", "date_trunc", display);
  if (unit.literal) {
    state->unit = ParseTruncUnit(*unit.literal);
    if (!state->unit) ThrowBadUnit(*unit.literal, display);
  }
  DataType type = args[1]->type;
  return {type,
          [state](std::span<const Column> in, int64_t rows, MemoryPool* pool) {
            return TruncKernel(in, rows, *state, pool);
          },
          std::move(args)};
}

}  // namespace
}  // namespace kernels

void RegisterTemporalFunctions(FunctionRegistry& registry) {
  using kernels::BindField;
  using kernels::Field;
#define SLUICE_FIELD(name, field)                                                      \
  registry.Add({name, [](std::vector<BoundExprPtr> args, const std::string& display) { \
                  return BindField<field>(std::move(args), display, name);             \
                }})
  SLUICE_FIELD("year", Field::kYear);
  SLUICE_FIELD("month", Field::kMonth);
  SLUICE_FIELD("day", Field::kDay);
  SLUICE_FIELD("hour", Field::kHour);
  SLUICE_FIELD("minute", Field::kMinute);
  SLUICE_FIELD("second", Field::kSecond);
  SLUICE_FIELD("weekday", Field::kWeekday);
  SLUICE_FIELD("day_of_year", Field::kDayOfYear);
#undef SLUICE_FIELD
  registry.Add({"date_trunc", &kernels::BindTrunc});
  kernels::RegisterTemporalFormatFunctions(registry);
  kernels::RegisterTemporalArithFunctions(registry);
}

}  // namespace sluice
