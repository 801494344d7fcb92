// Temporal arithmetic that is not a fixed duration, and epoch seconds:
//   add_months(t, n): t plus n calendar months (n may be negative), keeping t's type. The day of
//     month is clamped to the last day of the target month, as DuckDB and PostgreSQL do:
//     2024-01-31 + 1 month = 2024-02-29. The time of day is kept. SQL's `x + INTERVAL '1' YEAR`
//     on a column binds to it (months = 12 * years).
//   epoch(t): seconds since 1970-01-01 00:00:00 UTC as float64 (DuckDB's EXTRACT(EPOCH ...)), of
//     a date, a timestamp, a time of day (seconds since midnight) or a duration (its length).
#include <algorithm>
#include <limits>

#include "core/error.h"
#include "expr/kernels/string_util.h"
#include "expr/kernels/temporal_util.h"

namespace sluice {
namespace kernels {
namespace {

// More months than any representable timestamp spans (about 292,000 years each way).
constexpr int64_t kMaxMonths = int64_t{12} * 600'000;

// `days` plus `months`, the day clamped to the target month's length.
int64_t AddMonthsToDay(int64_t days, int64_t months) {
  const CivilDate date = CivilFromDays(days);
  const int64_t index = date.year * 12 + (date.month - 1) + months;
  const int64_t year = FloorDiv(index, 12);
  const unsigned month = static_cast<unsigned>(FloorMod(index, 12)) + 1;
  const unsigned day = std::min(date.day, DaysInMonth(year, month));
  return DaysFromCivil(year, month, day);
}

// ---- add_months --------------------------------------------------------------------------

Column AddMonthsKernel(std::span<const Column> args, int64_t rows, MemoryPool* pool) {
  const int64_t n = OutputLength(args, rows);
  const DataType type = args[0].type;
  Validity validity = PropagateValidity(args, n, pool);
  if (validity.null_count == n) return NullColumn(type, n, pool);
  FixedArg<int64_t> months(args[1], n);
  Column out = AllocateFixed(type, n, pool);
  int64_t failed = -1;
  if (type.id == TypeId::kDate32) {
    FixedArg<int32_t> days(args[0], n);
    int32_t* values = MutableValues<int32_t>(out);
    for (int64_t i = 0; i < n; ++i) {
      const int64_t m = months[i];
      values[i] = 0;
      if (!IsValidRow(validity, i)) continue;
      if (m > kMaxMonths || m < -kMaxMonths) {
        if (failed < 0) failed = i;
        continue;
      }
      const int64_t result = AddMonthsToDay(days[i], m);
      if (result > std::numeric_limits<int32_t>::max() ||
          result < std::numeric_limits<int32_t>::min()) {
        if (failed < 0) failed = i;
        continue;
      }
      values[i] = static_cast<int32_t>(result);
    }
  } else {
    FixedArg<int64_t> points(args[0], n);
    int64_t* values = MutableValues<int64_t>(out);
    const int64_t per_day = UnitsPerSecond(type.unit) * 86400;
    for (int64_t i = 0; i < n; ++i) {
      const int64_t m = months[i];
      values[i] = 0;
      if (!IsValidRow(validity, i)) continue;
      const int64_t v = points[i];
      const int64_t day = FloorDiv(v, per_day);
      int64_t result = 0;
      if (m > kMaxMonths || m < -kMaxMonths ||
          __builtin_mul_overflow(AddMonthsToDay(day, m), per_day, &result) ||
          __builtin_add_overflow(result, v - day * per_day, &result)) {
        if (failed < 0) failed = i;
        continue;
      }
      values[i] = result;
    }
  }
  if (failed >= 0) {
    ThrowInvalid("add_months: adding {} months to {} is out of the range of {}", months[failed],
                 ValueForMessage(args[0], args[0].length == 1 ? 0 : failed), type.ToString());
  }
  SetValidity(out, std::move(validity));
  return out;
}

BoundCall BindAddMonths(std::vector<BoundExprPtr> args, const std::string& display) {
  CheckArgCount(args, 2, 2, "add_months", display);
  const DataType& type = args[0]->type;
  if (IsNullLiteral(*args[0]) && type.id != TypeId::kDate32 && type.id != TypeId::kTimestamp) {
    args[0] = CastArg(std::move(args[0]), Timestamp(TimeUnit::kMicro), display);
  } else if (type.id != TypeId::kDate32 && type.id != TypeId::kTimestamp) {
    ThrowInvalid("add_months expects a date or timestamp, not {}, in `{}`", type.ToString(),
                 display);
  }
  args[1] = RequireInt64(std::move(args[1]), 1, "add_months", display);
  DataType result = args[0]->type;
  return {result, &AddMonthsKernel, std::move(args)};
}

// ---- epoch -------------------------------------------------------------------------------

Column EpochKernel(std::span<const Column> args, int64_t, MemoryPool* pool) {
  const Column& input = args[0];
  const int64_t n = input.length;
  Column out = AllocateFixed(Float64(), n, pool);
  double* values = MutableValues<double>(out);
  if (input.type.id == TypeId::kDate32) {
    const int32_t* days = input.Values<int32_t>();
    for (int64_t i = 0; i < n; ++i) values[i] = static_cast<double>(days[i]) * 86400.0;
  } else {
    // One division is correctly rounded while the value fits a double's mantissa; beyond
    // that, whole seconds and the fraction apart keep the sub-second part.
    const int64_t per_second = UnitsPerSecond(input.type.unit);
    const double divisor = static_cast<double>(per_second);
    constexpr int64_t kExact = int64_t{1} << 53;
    const int64_t* v = input.Values<int64_t>();
    for (int64_t i = 0; i < n; ++i) {
      if (v[i] <= kExact && v[i] >= -kExact) {
        values[i] = static_cast<double>(v[i]) / divisor;
      } else {
        const int64_t seconds = FloorDiv(v[i], per_second);
        values[i] = static_cast<double>(seconds) +
                    static_cast<double>(v[i] - seconds * per_second) / divisor;
      }
    }
  }
  out.validity = input.validity;
  out.null_count = input.null_count;
  return out;
}

BoundCall BindEpoch(std::vector<BoundExprPtr> args, const std::string& display) {
  CheckArgCount(args, 1, 1, "epoch", display);
  const TypeId id = args[0]->type.id;
  const bool temporal = id == TypeId::kDate32 || id == TypeId::kTimestamp ||
                        id == TypeId::kTime64 || id == TypeId::kDuration;
  if (IsNullLiteral(*args[0]) && !temporal) {
    args[0] = CastArg(std::move(args[0]), Timestamp(TimeUnit::kMicro), display);
  } else if (!temporal) {
    ThrowInvalid("epoch expects a date, timestamp, time or duration, not {}, in `{}`",
                 args[0]->type.ToString(), display);
  }
  return {Float64(), &EpochKernel, std::move(args)};
}

}  // namespace

void RegisterTemporalArithFunctions(FunctionRegistry& registry) {
  registry.Add({"add_months", &BindAddMonths});
  registry.Add({"epoch", &BindEpoch});
}

}  // namespace kernels
}  // namespace sluice
