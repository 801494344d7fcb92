// CAST and TRY_CAST: conversions between every pair of types where one makes sense. Loops convert
// a whole column and only note failures; the slow path after the loop then either throws for the
// first bad value (naming it and the expression) or turns bad values into nulls (try_cast).
#include "expr/cast.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <limits>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/value_format.h"
#include "expr/bound_expr.h"
#include "expr/kernels/kernel_util.h"

namespace sluice {

namespace {

using kernels::TypeTag;

struct CastContext {
  const DataType& type;
  bool try_cast;
  const std::string& display;
  MemoryPool* pool;
};

[[noreturn]] void ThrowBadValue(const Column& input, int64_t row, const CastContext& ctx) {
  if (input.type.id == TypeId::kUtf8) {
    ThrowInvalid("cannot cast {} to {} in `{}`", kernels::ValueForMessage(input, row),
                 ctx.type.ToString(), ctx.display);
  }
  ThrowInvalid("cannot cast {} value {} to {} in `{}`: out of range", input.type.ToString(),
               kernels::ValueForMessage(input, row), ctx.type.ToString(), ctx.display);
}

// Converts row by row with `convert(row, To* out) -> bool ok`, then handles failures in valid
// rows: the first one throws, or (try_cast) every one becomes null.
template <typename To, typename Convert>
Column ConvertRows(const Column& input, const CastContext& ctx, Convert&& convert) {
  const int64_t n = input.length;
  Column out = kernels::AllocateFixed(ctx.type, n, ctx.pool);
  bool failed = false;
  if constexpr (std::is_same_v<To, bool>) {
    std::vector<uint8_t> bytes(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) {
      bool value = false;
      failed |= !convert(i, &value);
      bytes[static_cast<size_t>(i)] = value;
    }
    kernels::FillBits(out.values->data(), n,
                      [&](int64_t i) { return bytes[static_cast<size_t>(i)] != 0; });
  } else {
    To* dst = kernels::MutableValues<To>(out);
    for (int64_t i = 0; i < n; ++i) failed |= !convert(i, &dst[i]);
  }
  kernels::Validity validity{input.validity, input.null_count};
  if (failed) {
    To scratch{};
    auto bad = [&](int64_t i) { return !convert(i, &scratch); };
    if (!ctx.try_cast) {
      int64_t row = kernels::FirstFailure(validity, n, bad);
      if (row >= 0) ThrowBadValue(input, row, ctx);
    } else {
      auto bitmap = kernels::MakeBitmap(n, true, ctx.pool);
      if (input.validity != nullptr) {
        std::memcpy(bitmap->data(), input.validity->data(), static_cast<size_t>(bitmap->size()));
      }
      for (int64_t i = 0; i < n; ++i) {
        if (bits::Get(bitmap->data(), i) && bad(i)) bits::Clear(bitmap->data(), i);
      }
      validity = kernels::MakeValidity(std::move(bitmap), n);
    }
  }
  kernels::SetValidity(out, std::move(validity));
  return out;
}

// ---- Numeric conversions ------------------------------------------------------------------------

template <typename T>
constexpr bool kIsInt = std::is_integral_v<T> && !std::is_same_v<T, bool>;

// Converts a number between C++ types with range checks; floats round to the nearest integer
// (half away from zero), as DuckDB does.
template <typename From, typename To>
inline bool ConvertNumber(From x, To* out) {
  if constexpr (kIsInt<From> && kIsInt<To>) {
    *out = static_cast<To>(x);
    return std::in_range<To>(x);
  } else if constexpr (kIsInt<From>) {
    *out = static_cast<To>(x);
    return true;
  } else if constexpr (kIsInt<To>) {
    double r = kernels::RoundHalfAwayFromZero(static_cast<double>(x));
    constexpr double kLow = static_cast<double>(std::numeric_limits<To>::min());
    constexpr double kHigh = static_cast<double>(std::numeric_limits<To>::max()) + 1.0;
    bool ok = r >= kLow && r < kHigh;  // False for NaN too.
    *out = ok ? static_cast<To>(r) : To{};
    return ok;
  } else {
    *out = static_cast<To>(x);
    if constexpr (sizeof(To) < sizeof(From)) {
      return !std::isfinite(x) || std::isfinite(*out);
    }
    return true;
  }
}

int128_t RoundDivide(int128_t value, int128_t divisor) {
  int128_t q = value / divisor;
  int128_t r = value % divisor;
  int128_t twice = r < 0 ? -2 * r : 2 * r;
  if (twice >= divisor) q += value < 0 ? -1 : 1;
  return q;
}

bool FitsPrecision(int128_t value, int precision) {
  int128_t limit = PowerOfTen(precision);
  return value < limit && value > -limit;
}

// Rescales an unscaled decimal from one scale to another, rounding half away from zero.
inline bool Rescale(int128_t value, int from_scale, int to_scale, int precision, int128_t* out) {
  if (to_scale >= from_scale) {
    if (__builtin_mul_overflow(value, PowerOfTen(to_scale - from_scale), out)) return false;
  } else {
    *out = RoundDivide(value, PowerOfTen(from_scale - to_scale));
  }
  return FitsPrecision(*out, precision);
}

template <typename To>
bool DecimalToNumber(int128_t value, int scale, To* out) {
  if constexpr (kIsInt<To>) {
    int128_t q = scale == 0 ? value : RoundDivide(value, PowerOfTen(scale));
    bool ok = q >= static_cast<int128_t>(std::numeric_limits<To>::min()) &&
              q <= static_cast<int128_t>(std::numeric_limits<To>::max());
    *out = static_cast<To>(q);
    return ok;
  } else {
    *out = static_cast<To>(static_cast<double>(value) / std::pow(10.0, scale));
    return true;
  }
}

template <typename From>
bool NumberToDecimal(From x, int precision, int scale, int128_t* out) {
  if constexpr (kIsInt<From>) {
    if (__builtin_mul_overflow(static_cast<int128_t>(x), PowerOfTen(scale), out)) return false;
    return FitsPrecision(*out, precision);
  } else {
    if (!std::isfinite(x)) return false;
    long double scaled = std::round(static_cast<long double>(x) * std::pow(10.0L, scale));
    if (!(std::fabs(scaled) < std::pow(10.0L, precision))) return false;
    *out = static_cast<int128_t>(scaled);
    return true;
  }
}

template <typename T>
T LoadAt(const Column& column, int64_t i) {
  return column.Values<T>()[i];
}

Column CastFromNumber(const Column& input, const CastContext& ctx) {
  const DataType& to = ctx.type;
  return kernels::VisitNumeric(input.type, [&](auto from_tag) -> Column {
    using From = typename decltype(from_tag)::type;
    const From* src = input.Values<From>();
    if (to.id == TypeId::kBool) {
      return ConvertRows<bool>(input, ctx, [&](int64_t i, bool* out) {
        *out = src[i] != From{};
        return true;
      });
    }
    if (to.id == TypeId::kDecimal) {
      return ConvertRows<int128_t>(input, ctx, [&](int64_t i, int128_t* out) {
        return NumberToDecimal(src[i], to.precision, to.scale, out);
      });
    }
    return kernels::VisitNumeric(to, [&](auto to_tag) -> Column {
      using To = typename decltype(to_tag)::type;
      return ConvertRows<To>(
          input, ctx, [&](int64_t i, To* out) { return ConvertNumber<From, To>(src[i], out); });
    });
  });
}

Column CastFromDecimal(const Column& input, const CastContext& ctx) {
  const DataType& to = ctx.type;
  const int128_t* src = input.Values<int128_t>();
  const int scale = input.type.scale;
  if (to.id == TypeId::kDecimal) {
    if (to.scale == scale && to.precision >= input.type.precision) {
      // More digits at the same scale (decimal(15,2) -> decimal(16,2) before a sum): the same
      // values, so the same buffers under the new type.
      Column same = input;
      same.type = to;
      return same;
    }
    return ConvertRows<int128_t>(input, ctx, [&](int64_t i, int128_t* out) {
      return Rescale(src[i], scale, to.scale, to.precision, out);
    });
  }
  if (to.id == TypeId::kBool) {
    return ConvertRows<bool>(input, ctx, [&](int64_t i, bool* out) {
      *out = src[i] != 0;
      return true;
    });
  }
  return kernels::VisitNumeric(to, [&](auto to_tag) -> Column {
    using To = typename decltype(to_tag)::type;
    return ConvertRows<To>(input, ctx,
                           [&](int64_t i, To* out) { return DecimalToNumber(src[i], scale, out); });
  });
}

Column CastFromBool(const Column& input, const CastContext& ctx) {
  const DataType& to = ctx.type;
  if (to.id == TypeId::kDecimal) {
    return ConvertRows<int128_t>(input, ctx, [&](int64_t i, int128_t* out) {
      return NumberToDecimal(int{input.BoolAt(i)}, to.precision, to.scale, out);
    });
  }
  return kernels::VisitNumeric(to, [&](auto to_tag) -> Column {
    using To = typename decltype(to_tag)::type;
    return ConvertRows<To>(input, ctx, [&](int64_t i, To* out) {
      *out = static_cast<To>(input.BoolAt(i) ? 1 : 0);
      return true;
    });
  });
}

// ---- Temporal conversions -----------------------------------------------------------------------

int64_t FloorDivide(int64_t a, int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

// Converts a count of `from` units to `to` units: exact when finer, floored when coarser
// (a timestamp belongs to the second it falls in), truncated toward zero for durations.
bool ChangeUnit(int64_t value, TimeUnit from, TimeUnit to, bool floor, int64_t* out) {
  int64_t from_per_second = UnitsPerSecond(from);
  int64_t to_per_second = UnitsPerSecond(to);
  if (to_per_second >= from_per_second) {
    return !__builtin_mul_overflow(value, to_per_second / from_per_second, out);
  }
  int64_t divisor = from_per_second / to_per_second;
  *out = floor ? FloorDivide(value, divisor) : value / divisor;
  return true;
}

Column CastTemporal(const Column& input, const CastContext& ctx) {
  const DataType& from = input.type;
  const DataType& to = ctx.type;
  if (from.id == TypeId::kDate32 && to.id == TypeId::kTimestamp) {
    const int32_t* src = input.Values<int32_t>();
    const int64_t per_day = 86400 * UnitsPerSecond(to.unit);
    return ConvertRows<int64_t>(input, ctx, [&](int64_t i, int64_t* out) {
      return !__builtin_mul_overflow(int64_t{src[i]}, per_day, out);
    });
  }
  const int64_t* src = input.Values<int64_t>();
  if (from.id == TypeId::kTimestamp && to.id == TypeId::kDate32) {
    const int64_t per_day = 86400 * UnitsPerSecond(from.unit);
    return ConvertRows<int32_t>(input, ctx, [&](int64_t i, int32_t* out) {
      int64_t days = FloorDivide(src[i], per_day);
      *out = static_cast<int32_t>(days);
      return days >= INT32_MIN && days <= INT32_MAX;
    });
  }
  if (from.id == TypeId::kTimestamp && to.id == TypeId::kTime64) {
    const int64_t from_per_day = 86400 * UnitsPerSecond(from.unit);
    return ConvertRows<int64_t>(input, ctx, [&](int64_t i, int64_t* out) {
      int64_t of_day = src[i] - FloorDivide(src[i], from_per_day) * from_per_day;
      return ChangeUnit(of_day, from.unit, to.unit, /*floor=*/true, out);
    });
  }
  // Same family, another unit (or time zone, which only relabels UTC instants).
  const bool floor = from.id != TypeId::kDuration;
  return ConvertRows<int64_t>(input, ctx, [&](int64_t i, int64_t* out) {
    return ChangeUnit(src[i], from.unit, to.unit, floor, out);
  });
}

// ---- To and from text ---------------------------------------------------------------------------

// Checks UTF-8 structure (lead and continuation bytes; overlong two-byte leads rejected).
bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  const size_t n = s.size();
  while (i < n) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t extra = (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : 0;
    if (extra == 0 || c == 0xC0 || c == 0xC1 || i + extra >= n) return false;
    for (size_t k = 1; k <= extra; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += extra + 1;
  }
  return true;
}

Column CastToString(const Column& input, const CastContext& ctx) {
  const int64_t n = input.length;
  const DataType& from = input.type;
  if (from.id == TypeId::kUtf8 || from.id == TypeId::kBinary) {
    // Same bytes, new label; binary must hold valid UTF-8 to become text.
    if (from.id == TypeId::kBinary && ctx.type.id == TypeId::kUtf8) {
      bool bad = false;
      for (int64_t i = 0; i < n; ++i) bad |= input.IsValid(i) && !IsValidUtf8(input.StringAt(i));
      if (bad) {
        kernels::StringColumnWriter writer(ctx.type, n, input.data->size(), ctx.pool);
        auto bitmap = kernels::MakeBitmap(n, true, ctx.pool);
        for (int64_t i = 0; i < n; ++i) {
          bool ok = input.IsValid(i) && IsValidUtf8(input.StringAt(i));
          if (input.IsValid(i) && !ok && !ctx.try_cast) {
            ThrowInvalid("cannot cast binary value {} to utf8 in `{}`: not valid UTF-8",
                         FormatValue(input, i), ctx.display);
          }
          writer.Append(ok ? input.StringAt(i) : std::string_view());
          if (!ok) bits::Clear(bitmap->data(), i);
        }
        return writer.Finish(kernels::MakeValidity(std::move(bitmap), n));
      }
    }
    Column out = input;
    out.type = ctx.type;
    return out;
  }
  kernels::StringColumnWriter writer(ctx.type, n, n * 8, ctx.pool);
  char buffer[64];
  auto append_number = [&](auto value) {
    auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
    writer.Append(std::string_view(buffer, static_cast<size_t>(result.ptr - buffer)));
  };
  for (int64_t i = 0; i < n; ++i) {
    if (input.IsNull(i)) {
      writer.Append({});
      continue;
    }
    switch (from.id) {
      case TypeId::kInt8: append_number(LoadAt<int8_t>(input, i)); break;
      case TypeId::kInt16: append_number(LoadAt<int16_t>(input, i)); break;
      case TypeId::kInt32: append_number(LoadAt<int32_t>(input, i)); break;
      case TypeId::kInt64: append_number(LoadAt<int64_t>(input, i)); break;
      case TypeId::kUInt8: append_number(LoadAt<uint8_t>(input, i)); break;
      case TypeId::kUInt16: append_number(LoadAt<uint16_t>(input, i)); break;
      case TypeId::kUInt32: append_number(LoadAt<uint32_t>(input, i)); break;
      case TypeId::kUInt64: append_number(LoadAt<uint64_t>(input, i)); break;
      case TypeId::kBool: writer.Append(input.BoolAt(i) ? "true" : "false"); break;
      default: writer.Append(FormatValue(input, i)); break;
    }
  }
  kernels::Validity validity{input.validity, input.null_count};
  return writer.Finish(std::move(validity));
}

Column CastFromString(const Column& input, const CastContext& ctx) {
  const DataType& to = ctx.type;
  auto text = [&](int64_t i) { return input.StringAt(i); };
  switch (to.id) {
    case TypeId::kBool:
      return ConvertRows<bool>(input, ctx,
                               [&](int64_t i, bool* out) { return ParseBool(text(i), out); });
    case TypeId::kDecimal:
      return ConvertRows<int128_t>(input, ctx, [&](int64_t i, int128_t* out) {
        return ParseDecimal(text(i), to.precision, to.scale, out);
      });
    case TypeId::kDate32:
      return ConvertRows<int32_t>(
          input, ctx, [&](int64_t i, int32_t* out) { return ParseIsoDate(text(i), out); });
    case TypeId::kTimestamp:
      return ConvertRows<int64_t>(input, ctx, [&](int64_t i, int64_t* out) {
        return ParseIsoTimestamp(text(i), to.unit, out);
      });
    case TypeId::kTime64:
      return ConvertRows<int64_t>(
          input, ctx, [&](int64_t i, int64_t* out) { return ParseIsoTime(text(i), to.unit, out); });
    case TypeId::kFloat32:
    case TypeId::kFloat64:
      return kernels::VisitNumeric(to, [&](auto to_tag) -> Column {
        using To = typename decltype(to_tag)::type;
        return ConvertRows<To>(input, ctx, [&](int64_t i, To* out) {
          double value;
          return ParseDouble(text(i), &value) && ConvertNumber<double, To>(value, out);
        });
      });
    case TypeId::kUInt64:
      return ConvertRows<uint64_t>(
          input, ctx, [&](int64_t i, uint64_t* out) { return ParseUInt64(text(i), out); });
    default:
      return kernels::VisitNumeric(to, [&](auto to_tag) -> Column {
        using To = typename decltype(to_tag)::type;
        return ConvertRows<To>(input, ctx, [&](int64_t i, To* out) {
          int64_t value;
          return ParseInt64(text(i), &value) && ConvertNumber<int64_t, To>(value, out);
        });
      });
  }
}

bool IsNumber(const DataType& type) {
  return type.IsInteger() || type.IsFloating();
}

}  // namespace

bool CanCast(const DataType& from, const DataType& to) {
  if (from == to) return true;
  const TypeId f = from.id;
  const TypeId t = to.id;
  const bool from_numeric = IsNumber(from) || f == TypeId::kDecimal;
  const bool to_numeric = IsNumber(to) || t == TypeId::kDecimal;
  if (t == TypeId::kUtf8) return true;  // Everything has a text form.
  if (f == TypeId::kUtf8) {
    return to_numeric || t == TypeId::kBool || t == TypeId::kDate32 || t == TypeId::kTimestamp ||
           t == TypeId::kTime64 || t == TypeId::kBinary;
  }
  if (from_numeric && (to_numeric || t == TypeId::kBool)) return true;
  if (f == TypeId::kBool && to_numeric) return true;
  if (f == TypeId::kDate32 && t == TypeId::kTimestamp) return true;
  if (f == TypeId::kTimestamp &&
      (t == TypeId::kDate32 || t == TypeId::kTimestamp || t == TypeId::kTime64)) {
    return true;
  }
  if (f == t && (f == TypeId::kTime64 || f == TypeId::kDuration)) return true;
  return false;
}

Column CastColumn(const Column& input, const DataType& type, bool try_cast,
                  const std::string& display, MemoryPool* pool) {
  if (input.type == type) return input;
  if (!CanCast(input.type, type)) {
    ThrowInvalid("cannot cast {} to {} in `{}`", input.type.ToString(), type.ToString(), display);
  }
  const CastContext ctx{type, try_cast, display, pool};
  const TypeId from = input.type.id;
  if (type.id == TypeId::kUtf8 || (from == TypeId::kUtf8 && type.id == TypeId::kBinary)) {
    return CastToString(input, ctx);
  }
  if (from == TypeId::kUtf8) return CastFromString(input, ctx);
  if (from == TypeId::kBool) return CastFromBool(input, ctx);
  if (from == TypeId::kDecimal) return CastFromDecimal(input, ctx);
  if (IsNumber(input.type)) return CastFromNumber(input, ctx);
  return CastTemporal(input, ctx);
}

BoundExprPtr BindCast(BoundExprPtr input, const DataType& type, bool try_cast,
                      const std::string& display) {
  if (input->type == type) return input;
  if (!CanCast(input->type, type)) {
    ThrowInvalid("cannot cast {} to {} in `{}`", input->type.ToString(), type.ToString(), display);
  }
  auto bound = std::make_shared<BoundExpr>();
  bound->type = type;
  bound->display = display;
  if (input->kind == BoundExpr::Kind::kLiteral) {
    // Convert constants once, now: a bad literal fails at bind time.
    bound->kind = BoundExpr::Kind::kLiteral;
    bound->literal = CastColumn(input->literal, type, try_cast, display);
    return bound;
  }
  bound->kind = BoundExpr::Kind::kCall;
  bound->kernel = [type, try_cast, display](std::span<const Column> args, int64_t /*rows*/,
                                            MemoryPool* pool) {
    return CastColumn(args[0], type, try_cast, display, pool);
  };
  bound->args.push_back(std::move(input));
  return bound;
}

}  // namespace sluice
