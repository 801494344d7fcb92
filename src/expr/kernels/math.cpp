// Math functions: abs, round(x, digits), floor, ceil, sqrt, ln, log10, exp, pow, sign, hash.
// abs/round/floor/ceil keep the argument's type (integers and decimals stay exact, with
// overflow checks); sqrt/ln/log10/exp/pow compute in float64 with IEEE results for bad domains
// (sqrt(-1) is NaN, ln(0) is -inf); sign gives int8; hash gives a uint64 (XXH3) that is never
// null: a null hashes to a fixed value.
#include <xxhash.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <type_traits>

#include "core/error.h"
#include "expr/function_registry.h"
#include "expr/kernels/arithmetic_loops.h"
#include "expr/kernels/kernel_util.h"

namespace sluice {

namespace {

using namespace kernels;  // NOLINT: the kernel toolbox of this layer.

constexpr size_t kMany = std::numeric_limits<size_t>::max();
/// What a null hashes to (an arbitrary odd constant, the 64-bit golden ratio).
constexpr uint64_t kNullHash = 0x9E3779B97F4A7C15ull;

template <typename T>
constexpr bool kIsFloat = std::is_floating_point_v<T>;

void RequireNumeric(const BoundExprPtr& arg, std::string_view name, const std::string& display) {
  if (!IsNumeric(arg->type)) {
    ThrowInvalid("{} needs a number, got {} in `{}`", name, arg->type.ToString(), display);
  }
}

Kernel Identity() {
  return [](std::span<const Column> args, int64_t, MemoryPool*) { return args[0]; };
}

/// Ops that cannot fail share this Problem.
struct NeverFails {
  template <typename... V>
  const char* Problem(V...) const {
    return "";
  }
};

// ---- abs ----------------------------------------------------------------------------------------

template <typename T>
struct AbsOp {
  bool operator()(T x, T* out) const {
    if constexpr (kIsFloat<T>) {
      *out = std::fabs(x);
      return false;
    } else {
      if (x >= T{}) {
        *out = x;
        return false;
      }
      return __builtin_sub_overflow(T{}, x, out);
    }
  }
  template <typename V>
  const char* Problem(V) const {
    return "integer overflow";
  }
};

BoundCall BindAbs(std::vector<BoundExprPtr> args, const std::string& display) {
  CheckArgCount(args, 1, 1, "abs", display);
  const DataType type = args[0]->type;
  Kernel kernel;
  if (type.id == TypeId::kDecimal) {
    kernel = MakeUnaryKernel<int128_t, int128_t>(type, display, AbsOp<int128_t>{});
  } else if (type.id == TypeId::kDuration) {
    kernel = MakeUnaryKernel<int64_t, int64_t>(type, display, AbsOp<int64_t>{});
  } else {
    RequireNumeric(args[0], "abs", display);
    if (type.IsInteger() && !type.IsSignedInteger()) {
      kernel = Identity();
    } else {
      kernel = VisitNumeric(type, [&](auto tag) {
        using T = typename decltype(tag)::type;
        return MakeUnaryKernel<T, T>(type, display, AbsOp<T>{});
      });
    }
  }
  return {type, std::move(kernel), std::move(args)};
}

// ---- round, floor, ceil -------------------------------------------------------------------------

enum class Rounding : uint8_t { kNearest, kFloor, kCeil };

template <typename T>
T ApplyRounding(T x, Rounding mode) {
  switch (mode) {
    case Rounding::kNearest: return RoundHalfAwayFromZero(x);
    case Rounding::kFloor: return std::floor(x);
    case Rounding::kCeil: return std::ceil(x);
  }
  return x;
}

/// Rounds floats at `digits` after the point (negative: before it).
template <typename T>
struct RoundFloatOp : NeverFails {
  int digits;
  Rounding mode;
  bool operator()(T x, T* out) const {
    if (digits == 0) {
      *out = ApplyRounding(x, mode);
      return false;
    }
    const double scale = std::pow(10.0, std::abs(digits));
    double y = digits > 0 ? static_cast<double>(x) * scale : static_cast<double>(x) / scale;
    if (!std::isfinite(y)) {
      *out = x;  // Too large to have digits that far right: already round.
      return false;
    }
    y = ApplyRounding(y, mode);
    *out = static_cast<T>(digits > 0 ? y / scale : y * scale);
    return false;
  }
};

/// Rounds an exact value (an integer, or a decimal's unscaled value) to a multiple of `unit`,
/// failing when the result leaves the type (or `limit` digits for decimals).
template <typename T>
struct RoundExactOp {
  T unit;
  Rounding mode;
  int128_t limit;  ///< 10^precision for decimals; 0 for integers.
  bool operator()(T x, T* out) const {
    T remainder = static_cast<T>(x % unit);
    T down = static_cast<T>(x - remainder);  // Toward zero.
    bool up = false;
    bool negative = remainder < T{};
    switch (mode) {
      case Rounding::kNearest: {
        T twice = negative ? static_cast<T>(T{} - remainder) : remainder;
        up = remainder != T{} && twice >= unit - twice;
        break;
      }
      case Rounding::kFloor: up = negative; break;
      case Rounding::kCeil: up = remainder > T{}; break;
    }
    if (!up) {
      *out = down;
    } else {
      // Away from zero for nearest; floor moves negatives down; ceil moves positives up.
      bool overflow = negative ? __builtin_sub_overflow(down, unit, out)
                               : __builtin_add_overflow(down, unit, out);
      if (overflow) return true;
    }
    if (limit != 0) {
      int128_t v = static_cast<int128_t>(*out);
      return v >= limit || v <= -limit;
    }
    return false;
  }
  template <typename V>
  const char* Problem(V) const {
    return limit != 0 ? "decimal overflow" : "integer overflow";
  }
};

BoundCall BindRounding(Rounding mode, std::string_view name, std::vector<BoundExprPtr> args,
                       const std::string& display) {
  CheckArgCount(args, 1, mode == Rounding::kNearest ? 2 : 1, name, display);
  RequireNumeric(args[0], name, display);
  int digits = 0;
  if (args.size() == 2) {
    std::optional<int64_t> value = LiteralInt(*args[1]);
    if (!value || *value < -38 || *value > 38) {
      ThrowInvalid("round's digits must be a constant integer in -38..38, got `{}` in `{}`",
                   args[1]->display, display);
    }
    digits = static_cast<int>(*value);
    args.pop_back();
  }
  const DataType type = args[0]->type;
  Kernel kernel;
  if (type.id == TypeId::kDecimal) {
    int drop = type.scale - digits;  // Digits of the unscaled value to round away.
    if (drop <= 0) {
      kernel = Identity();
    } else if (drop > 38) {
      kernel = [type](std::span<const Column> columns, int64_t rows, MemoryPool* pool) {
        // Rounding past every digit gives zero.
        Column zero = AllocateFixed(type, OutputLength(columns, rows), pool);
        std::memset(zero.values->data(), 0, static_cast<size_t>(zero.values->size()));
        SetValidity(zero, PropagateValidity(columns, zero.length, pool));
        return zero;
      };
    } else {
      kernel = MakeUnaryKernel<int128_t, int128_t>(
          type, display,
          RoundExactOp<int128_t>{PowerOfTen(drop), mode, PowerOfTen(type.precision)});
    }
  } else if (type.IsFloating()) {
    kernel = VisitNumeric(type, [&](auto tag) -> Kernel {
      using T = typename decltype(tag)::type;
      if constexpr (kIsFloat<T>) {
        return MakeUnaryKernel<T, T>(type, display, RoundFloatOp<T>{{}, digits, mode});
      } else {
        return Identity();
      }
    });
  } else if (digits >= 0) {
    kernel = Identity();  // An integer has no digits after the point.
  } else {
    kernel = VisitNumeric(type, [&](auto tag) -> Kernel {
      using T = typename decltype(tag)::type;
      if constexpr (!kIsFloat<T>) {
        // 10^-digits beyond the type's range rounds everything to zero (or overflows).
        int128_t unit = PowerOfTen(-digits);
        if (unit > static_cast<int128_t>(std::numeric_limits<T>::max())) {
          return [type](std::span<const Column> columns, int64_t rows, MemoryPool* pool) {
            Column zero = AllocateFixed(type, OutputLength(columns, rows), pool);
            std::memset(zero.values->data(), 0, static_cast<size_t>(zero.values->size()));
            SetValidity(zero, PropagateValidity(columns, zero.length, pool));
            return zero;
          };
        }
        return MakeUnaryKernel<T, T>(type, display, RoundExactOp<T>{static_cast<T>(unit), mode, 0});
      } else {
        return Identity();
      }
    });
  }
  return {type, std::move(kernel), std::move(args)};
}

// ---- float64 functions --------------------------------------------------------------------------

template <double (*F)(double)>
struct FloatFunctionOp : NeverFails {
  bool operator()(double x, double* out) const {
    *out = F(x);
    return false;
  }
};

double Sqrt(double x) {
  return std::sqrt(x);
}
double Ln(double x) {
  return std::log(x);
}
double Log10(double x) {
  return std::log10(x);
}
double Exp(double x) {
  return std::exp(x);
}

template <double (*F)(double)>
void AddFloatFunction(FunctionRegistry& registry, const char* name) {
  registry.Add({name, [name](std::vector<BoundExprPtr> args, const std::string& display) {
                  CheckArgCount(args, 1, 1, name, display);
                  RequireNumeric(args[0], name, display);
                  args = CastArgs(std::move(args), Float64(), display);
                  return BoundCall{
                      Float64(),
                      MakeUnaryKernel<double, double>(Float64(), display, FloatFunctionOp<F>{}),
                      std::move(args)};
                }});
}

struct PowOp : NeverFails {
  bool operator()(double x, double y, double* out) const {
    *out = std::pow(x, y);
    return false;
  }
};

BoundCall BindPow(std::vector<BoundExprPtr> args, const std::string& display) {
  CheckArgCount(args, 2, 2, "pow", display);
  RequireNumeric(args[0], "pow", display);
  RequireNumeric(args[1], "pow", display);
  args = CastArgs(std::move(args), Float64(), display);
  return {Float64(), MakeBinaryKernel<double, double, double>(Float64(), display, "^", PowOp{}),
          std::move(args)};
}

// ---- sign ---------------------------------------------------------------------------------------

template <typename T>
struct SignOp : NeverFails {
  bool operator()(T x, int8_t* out) const {
    *out = static_cast<int8_t>((x > T{}) - (x < T{}));
    return false;
  }
};

BoundCall BindSign(std::vector<BoundExprPtr> args, const std::string& display) {
  CheckArgCount(args, 1, 1, "sign", display);
  RequireNumeric(args[0], "sign", display);
  const DataType type = args[0]->type;
  Kernel kernel;
  if (type.id == TypeId::kDecimal) {
    kernel = MakeUnaryKernel<int128_t, int8_t>(Int8(), display, SignOp<int128_t>{});
  } else {
    kernel = VisitNumeric(type, [&](auto tag) {
      using T = typename decltype(tag)::type;
      return MakeUnaryKernel<T, int8_t>(Int8(), display, SignOp<T>{});
    });
  }
  return {Int8(), std::move(kernel), std::move(args)};
}

// ---- hash ---------------------------------------------------------------------------------------

// Hashes value i of `column` (row 0 if a broadcast constant), chaining from `seed`.
uint64_t HashValue(const Column& column, int64_t i, uint64_t seed) {
  if (column.IsNull(i)) return seed == 0 ? kNullHash : XXH3_64bits_withSeed(&kNullHash, 8, seed);
  const DataType& type = column.type;
  if (type.IsVariableWidth()) {
    std::string_view s = column.StringAt(i);
    return XXH3_64bits_withSeed(s.data(), s.size(), seed);
  }
  if (type.id == TypeId::kBool) {
    uint8_t byte = column.BoolAt(i) ? 1 : 0;
    return XXH3_64bits_withSeed(&byte, 1, seed);
  }
  const size_t width = static_cast<size_t>(type.FixedWidth());
  return XXH3_64bits_withSeed(column.values->data() + i * static_cast<int64_t>(width), width, seed);
}

Column Hash(std::span<const Column> args, int64_t rows, MemoryPool* pool) {
  const int64_t n = OutputLength(args, rows);
  Column out = AllocateFixed(UInt64(), n, pool);
  uint64_t* dst = MutableValues<uint64_t>(out);
  std::memset(dst, 0, static_cast<size_t>(n) * sizeof(uint64_t));
  for (const Column& arg : args) {
    if (IsScalarArg(arg, n)) {
      // Every row has the same value here, but rows differ in their seed from earlier args.
      for (int64_t i = 0; i < n; ++i) dst[i] = HashValue(arg, 0, dst[i]);
      continue;
    }
    const DataType& type = arg.type;
    if (arg.null_count == 0 && !type.IsVariableWidth() && type.id != TypeId::kBool) {
      // The common case: fixed-width values without nulls, hashed straight from the buffer.
      const size_t width = static_cast<size_t>(type.FixedWidth());
      const uint8_t* values = arg.values->data();
      for (int64_t i = 0; i < n; ++i) {
        dst[i] = XXH3_64bits_withSeed(values + i * static_cast<int64_t>(width), width, dst[i]);
      }
      continue;
    }
    for (int64_t i = 0; i < n; ++i) dst[i] = HashValue(arg, i, dst[i]);
  }
  return out;
}

BoundCall BindHash(std::vector<BoundExprPtr> args, const std::string& display) {
  CheckArgCount(args, 1, kMany, "hash", display);
  return {UInt64(), &Hash, std::move(args)};
}

}  // namespace

void RegisterMathFunctions(FunctionRegistry& registry) {
  registry.Add({"abs", &BindAbs});
  registry.Add({"round", [](std::vector<BoundExprPtr> args, const std::string& display) {
                  return BindRounding(Rounding::kNearest, "round", std::move(args), display);
                }});
  registry.Add({"floor", [](std::vector<BoundExprPtr> args, const std::string& display) {
                  return BindRounding(Rounding::kFloor, "floor", std::move(args), display);
                }});
  registry.Add({"ceil", [](std::vector<BoundExprPtr> args, const std::string& display) {
                  return BindRounding(Rounding::kCeil, "ceil", std::move(args), display);
                }});
  AddFloatFunction<&Sqrt>(registry, "sqrt");
  AddFloatFunction<&Ln>(registry, "ln");
  AddFloatFunction<&Log10>(registry, "log10");
  AddFloatFunction<&Exp>(registry, "exp");
  registry.Add({"pow", &BindPow});
  registry.Add({"sign", &BindSign});
  registry.Add({"hash", &BindHash});
}

}  // namespace sluice
