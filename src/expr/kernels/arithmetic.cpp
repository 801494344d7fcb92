// Arithmetic: add subtract multiply divide integer_divide modulo negate, over every integer
// width, floats, decimals (exact, DuckDB's scale rules) and the temporal overloads
// (timestamp +/- duration, date +/- days, timestamp - timestamp, ...).
//
// Semantics (DuckDB's where they differ from Polars'):
//   - Integer arithmetic is checked: overflow is an error naming the values, never a wrap.
//   - `/` of integers or decimals gives float64; dividing by zero is an error (floats: IEEE).
//   - `//` (integer_divide) truncates toward zero; by zero is an error.
//   - `%` takes the sign of the dividend; by zero gives null.
//   - Decimal + and - keep the larger scale, * adds scales; results past 38 digits are errors.
#include <cmath>
#include <limits>
#include <type_traits>

#include "core/error.h"
#include "expr/function_registry.h"
#include "expr/kernels/arithmetic_loops.h"
#include "expr/kernels/kernel_util.h"

namespace sluice {

namespace {

using namespace kernels;  // NOLINT: the kernel toolbox of this layer.

enum class ArithOp : uint8_t { kAdd, kSubtract, kMultiply, kDivide, kIntegerDivide, kModulo };

const char* Symbol(ArithOp op) {
  switch (op) {
    case ArithOp::kAdd: return "+";
    case ArithOp::kSubtract: return "-";
    case ArithOp::kMultiply: return "*";
    case ArithOp::kDivide: return "/";
    case ArithOp::kIntegerDivide: return "//";
    case ArithOp::kModulo: return "%";
  }
  return "?";
}

const char* Verb(ArithOp op) {
  switch (op) {
    case ArithOp::kAdd: return "add";
    case ArithOp::kSubtract: return "subtract";
    case ArithOp::kMultiply: return "multiply";
    case ArithOp::kDivide: return "divide";
    case ArithOp::kIntegerDivide: return "integer-divide";
    case ArithOp::kModulo: return "take the remainder of";
  }
  return "?";
}

// ---- Operations: `bool operator()(a, b, out*)` returns true when the row fails. ----------------

template <typename T>
constexpr bool kIsFloat = std::is_floating_point_v<T>;

/// Names the failure of integer and temporal operations.
struct OverflowNamed {
  const char* overflow = "integer overflow";
  template <typename... V>
  const char* Problem(V...) const {
    return overflow;
  }
};

/// True when a, b and the result share one integer type (not int128): then overflow is read
/// from sign bits of the wrapped result, which compilers vectorize (the builtins they do not).
template <typename A, typename B, typename O>
constexpr bool kSameInteger = std::is_integral_v<O>&& std::is_same_v<A, O>&& std::is_same_v<B, O>;

struct AddOp : OverflowNamed {
  template <typename A, typename B, typename O>
  bool operator()(A a, B b, O* out) const {
    if constexpr (kIsFloat<O>) {
      *out = static_cast<O>(a + b);
      return false;
    } else if constexpr (kSameInteger<A, B, O>) {
      using U = std::make_unsigned_t<O>;
      const O r = static_cast<O>(static_cast<U>(a) + static_cast<U>(b));
      *out = r;
      if constexpr (std::is_signed_v<O>) {
        return ((a ^ r) & (b ^ r)) < 0;  // Both operands' signs differ from the result's.
      } else {
        return r < a;
      }
    } else {
      return __builtin_add_overflow(a, b, out);
    }
  }
};

struct SubtractOp : OverflowNamed {
  template <typename A, typename B, typename O>
  bool operator()(A a, B b, O* out) const {
    if constexpr (kIsFloat<O>) {
      *out = static_cast<O>(a - b);
      return false;
    } else if constexpr (kSameInteger<A, B, O>) {
      using U = std::make_unsigned_t<O>;
      const O r = static_cast<O>(static_cast<U>(a) - static_cast<U>(b));
      *out = r;
      if constexpr (std::is_signed_v<O>) {
        return ((a ^ b) & (a ^ r)) < 0;  // Operands' signs differ and the result left a's.
      } else {
        return a < b;
      }
    } else {
      return __builtin_sub_overflow(a, b, out);
    }
  }
};

struct MultiplyOp : OverflowNamed {
  template <typename A, typename B, typename O>
  bool operator()(A a, B b, O* out) const {
    if constexpr (kIsFloat<O>) {
      *out = static_cast<O>(a * b);
      return false;
    } else {
      return __builtin_mul_overflow(a, b, out);
    }
  }
};

/// `/`: floats divide per IEEE; integers and decimals (already converted to double) divide as
/// doubles, and a zero divisor fails.
struct DivideOp {
  bool zero_fails = true;
  template <typename T, typename O>
  bool operator()(T a, T b, O* out) const {
    *out = static_cast<O>(a) / static_cast<O>(b);
    return zero_fails && b == T{};
  }
  template <typename T>
  const char* Problem(T, T) const {
    return "division by zero";
  }
};

/// `//`: truncating integer division; floor of the quotient for floats.
struct IntegerDivideOp {
  template <typename T>
  bool operator()(T a, T b, T* out) const {
    if constexpr (kIsFloat<T>) {
      *out = std::floor(a / b);
      return b == T{};
    } else {
      bool overflow = false;
      if constexpr (std::is_signed_v<T>) {
        overflow = a == std::numeric_limits<T>::min() && b == T(-1);
      }
      bool bad = b == T{} || overflow;
      *out = static_cast<T>(a / (bad ? T(1) : b));
      return bad;
    }
  }
  template <typename T>
  const char* Problem(T, T b) const {
    return b == T{} ? "division by zero" : "integer overflow";
  }
};

/// `%`: the remainder with the dividend's sign; a zero divisor fails (the row becomes null).
struct ModuloOp {
  template <typename T>
  bool operator()(T a, T b, T* out) const {
    if constexpr (kIsFloat<T>) {
      *out = std::fmod(a, b);
    } else {
      bool minus_one = false;
      if constexpr (std::is_signed_v<T>) minus_one = b == T(-1);  // MIN % -1 would trap.
      *out = static_cast<T>(minus_one || b == T{} ? T{} : a % b);
    }
    return b == T{};
  }
  template <typename T>
  const char* Problem(T, T) const {
    return "division by zero";
  }
};

/// Decimal + - * on unscaled int128 values: fails past int128 or past `limit` = 10^precision.
template <typename Inner>
struct DecimalOp {
  int128_t limit;
  std::string problem;
  bool operator()(int128_t a, int128_t b, int128_t* out) const {
    bool overflow = Inner{}(a, b, out);
    return overflow || *out >= limit || *out <= -limit;
  }
  const std::string& Problem(int128_t, int128_t) const { return problem; }
};

/// Decimal `*`: values that fit 64 bits (every decimal of up to 18 digits) multiply with one
/// 64x64->128-bit multiplication, which cannot overflow; others with the checked 128-bit one.
struct DecimalMultiplyOp {
  int128_t limit;
  std::string problem;
  bool operator()(int128_t a, int128_t b, int128_t* out) const {
    const auto a64 = static_cast<int64_t>(a), b64 = static_cast<int64_t>(b);
    if (a64 == a && b64 == b) {
      *out = static_cast<int128_t>(a64) * b64;
    } else if (__builtin_mul_overflow(a, b, out)) {
      return true;
    }
    return *out >= limit || *out <= -limit;
  }
  const std::string& Problem(int128_t, int128_t) const { return problem; }
};

template <typename T>
struct NegateOp : OverflowNamed {
  bool operator()(T a, T* out) const {
    if constexpr (kIsFloat<T>) {
      *out = -a;
      return false;
    } else {
      return __builtin_sub_overflow(T{}, a, out);
    }
  }
};

// ---- Binding ----------------------------------------------------------------------------------

[[noreturn]] void ThrowTypes(ArithOp op, const std::vector<BoundExprPtr>& args,
                             const std::string& display) {
  ThrowInvalid("cannot {} {} and {} in `{}`", Verb(op), args[0]->type.ToString(),
               args[1]->type.ToString(), display);
}

template <typename T>
Kernel NumericKernel(ArithOp op, const DataType& type, const std::string& display) {
  const std::string symbol = Symbol(op);
  switch (op) {
    case ArithOp::kAdd: return MakeBinaryKernel<T, T, T>(type, display, symbol, AddOp{});
    case ArithOp::kSubtract: return MakeBinaryKernel<T, T, T>(type, display, symbol, SubtractOp{});
    case ArithOp::kMultiply: return MakeBinaryKernel<T, T, T>(type, display, symbol, MultiplyOp{});
    case ArithOp::kDivide:
      if constexpr (kIsFloat<T>) {
        return MakeBinaryKernel<T, T, T>(type, display, symbol, DivideOp{.zero_fails = false});
      } else {
        return MakeBinaryKernel<T, T, double>(Float64(), display, symbol, DivideOp{});
      }
    case ArithOp::kIntegerDivide:
      return MakeBinaryKernel<T, T, T>(type, display, symbol, IntegerDivideOp{});
    case ArithOp::kModulo:
      return MakeBinaryKernel<T, T, T>(type, display, symbol, ModuloOp{}, OnFailure::kNull);
  }
  ThrowInternal("unknown arithmetic operation");
}

// The decimal type an argument takes part in decimal arithmetic as: its own, or for an integer
// the decimal that holds it (just the literal's digits for a constant, so `price * 2` stays small).
DataType DecimalTypeOf(const BoundExpr& arg) {
  if (arg.type.id == TypeId::kDecimal) return arg.type;
  if (std::optional<int64_t> value = LiteralInt(arg)) {
    int digits = 1;
    for (int64_t v = *value; v >= 10 || v <= -10; v /= 10) ++digits;
    return Decimal(digits, 0);
  }
  return DecimalForInteger(arg.type);
}

BoundCall BindDecimal(ArithOp op, std::vector<BoundExprPtr> args, const std::string& display) {
  const std::string symbol = Symbol(op);
  if (op == ArithOp::kDivide || op == ArithOp::kIntegerDivide) {
    // Exact division has no finite decimal result in general: divide as doubles (DuckDB).
    args = CastArgs(std::move(args), Float64(), display);
    Kernel kernel = op == ArithOp::kDivide ? MakeBinaryKernel<double, double, double>(
                                                 Float64(), display, symbol, DivideOp{})
                                           : MakeBinaryKernel<double, double, double>(
                                                 Float64(), display, symbol, IntegerDivideOp{});
    return {Float64(), std::move(kernel), std::move(args)};
  }
  DataType a = DecimalTypeOf(*args[0]);
  DataType b = DecimalTypeOf(*args[1]);
  DataType result;
  if (op == ArithOp::kMultiply) {
    int scale = a.scale + b.scale;
    if (scale > 38) {
      ThrowUnsupported("cannot multiply {} and {} in `{}`: the result would need scale {} (max 38)",
                       a.ToString(), b.ToString(), display, scale);
    }
    result = Decimal(std::max(std::min(38, a.precision + b.precision), scale), scale);
    args[0] = CastArg(std::move(args[0]), a, display);
    args[1] = CastArg(std::move(args[1]), b, display);
  } else {
    int scale = std::max(a.scale, b.scale);
    int integer_digits = std::max(a.precision - a.scale, b.precision - b.scale);
    int extra = op == ArithOp::kModulo ? 0 : 1;  // A sum may carry into one more digit.
    result = Decimal(std::min(38, integer_digits + scale + extra), scale);
    args = CastArgs(std::move(args), result, display);
  }
  std::string problem =
      fmt::format("decimal overflow (the result does not fit {})", result.ToString());
  const int128_t limit = PowerOfTen(result.precision);
  Kernel kernel;
  switch (op) {
    case ArithOp::kAdd:
      kernel = MakeBinaryKernel<int128_t, int128_t, int128_t>(result, display, symbol,
                                                              DecimalOp<AddOp>{limit, problem});
      break;
    case ArithOp::kSubtract:
      kernel = MakeBinaryKernel<int128_t, int128_t, int128_t>(
          result, display, symbol, DecimalOp<SubtractOp>{limit, problem});
      break;
    case ArithOp::kMultiply:
      kernel = MakeBinaryKernel<int128_t, int128_t, int128_t>(result, display, symbol,
                                                              DecimalMultiplyOp{limit, problem});
      break;
    default:
      kernel = MakeBinaryKernel<int128_t, int128_t, int128_t>(result, display, symbol, ModuloOp{},
                                                              OnFailure::kNull);
      break;
  }
  return {result, std::move(kernel), std::move(args)};
}

// date32, timestamp and duration arithmetic; nullopt when no argument is temporal.
std::optional<BoundCall> BindTemporal(ArithOp op, std::vector<BoundExprPtr>& args,
                                      const std::string& display) {
  const DataType ta = args[0]->type;
  const DataType tb = args[1]->type;
  if (!IsTemporal(ta) && !IsTemporal(tb)) return std::nullopt;
  const std::string symbol = Symbol(op);
  const TypeId a = ta.id;
  const TypeId b = tb.id;
  auto int64_kernel = [&](const DataType& out, auto op_value) {
    op_value.overflow =
        out.id == TypeId::kDuration ? "duration out of range" : "timestamp out of range";
    return MakeBinaryKernel<int64_t, int64_t, int64_t>(out, display, symbol, op_value);
  };
  auto finer = [](TimeUnit x, TimeUnit y) {
    return static_cast<uint8_t>(x) > static_cast<uint8_t>(y) ? x : y;
  };
  const bool add = op == ArithOp::kAdd;
  const bool sub = op == ArithOp::kSubtract;

  // timestamp/date +- duration (and duration + timestamp/date): a timestamp in the finer unit.
  auto point_plus_duration = [&](size_t point, size_t duration) -> BoundCall {
    const DataType& pt = args[point]->type;
    TimeUnit unit = pt.id == TypeId::kDate32 ? args[duration]->type.unit
                                             : finer(pt.unit, args[duration]->type.unit);
    DataType out = Timestamp(unit, pt.id == TypeId::kTimestamp ? pt.timezone : "");
    args[point] = CastArg(args[point], out, display);
    args[duration] = CastArg(args[duration], Duration(unit), display);
    Kernel kernel = add ? int64_kernel(out, AddOp{}) : int64_kernel(out, SubtractOp{});
    return {out, std::move(kernel), args};
  };
  const bool a_point = a == TypeId::kTimestamp || a == TypeId::kDate32;
  const bool b_point = b == TypeId::kTimestamp || b == TypeId::kDate32;
  if ((add || sub) && a_point && b == TypeId::kDuration) return point_plus_duration(0, 1);
  if (add && a == TypeId::kDuration && b_point) return point_plus_duration(1, 0);

  // date +- integer days (and integer + date): a date.
  if ((add || sub) && a == TypeId::kDate32 && tb.IsInteger()) {
    args[1] = CastArg(args[1], Int32(), display);
    OverflowNamed named{"date out of range"};
    Kernel kernel =
        add ? MakeBinaryKernel<int32_t, int32_t, int32_t>(Date32(), display, symbol, AddOp{named})
            : MakeBinaryKernel<int32_t, int32_t, int32_t>(Date32(), display, symbol,
                                                          SubtractOp{named});
    return BoundCall{Date32(), std::move(kernel), args};
  }
  if (add && ta.IsInteger() && b == TypeId::kDate32) {
    args[0] = CastArg(args[0], Int32(), display);
    Kernel kernel = MakeBinaryKernel<int32_t, int32_t, int32_t>(
        Date32(), display, symbol, AddOp{OverflowNamed{"date out of range"}});
    return BoundCall{Date32(), std::move(kernel), args};
  }

  // date - date: days as int64 (DuckDB).
  if (sub && a == TypeId::kDate32 && b == TypeId::kDate32) {
    Kernel kernel =
        MakeBinaryKernel<int32_t, int32_t, int64_t>(Int64(), display, symbol, SubtractOp{});
    return BoundCall{Int64(), std::move(kernel), args};
  }
  // timestamp - timestamp (a date counts as its midnight): a duration.
  if (sub && a_point && b_point) {
    std::optional<DataType> common = CommonType(ta, tb);
    if (common) {
      args = CastArgs(args, *common, display);
      DataType out = Duration(common->unit);
      return BoundCall{out, int64_kernel(out, SubtractOp{}), args};
    }
  }
  // duration +- duration.
  if ((add || sub) && a == TypeId::kDuration && b == TypeId::kDuration) {
    DataType out = Duration(finer(ta.unit, tb.unit));
    args = CastArgs(args, out, display);
    Kernel kernel = add ? int64_kernel(out, AddOp{}) : int64_kernel(out, SubtractOp{});
    return BoundCall{out, std::move(kernel), args};
  }
  // duration * integer, integer * duration, duration // integer.
  if (op == ArithOp::kMultiply &&
      ((a == TypeId::kDuration && tb.IsInteger()) || (ta.IsInteger() && b == TypeId::kDuration))) {
    DataType out = a == TypeId::kDuration ? ta : tb;
    args[a == TypeId::kDuration ? 1 : 0] =
        CastArg(args[a == TypeId::kDuration ? 1 : 0], Int64(), display);
    return BoundCall{out, int64_kernel(out, MultiplyOp{}), args};
  }
  if ((op == ArithOp::kDivide || op == ArithOp::kIntegerDivide) && a == TypeId::kDuration &&
      tb.IsInteger()) {
    args[1] = CastArg(args[1], Int64(), display);
    return BoundCall{
        ta, MakeBinaryKernel<int64_t, int64_t, int64_t>(ta, display, symbol, IntegerDivideOp{}),
        args};
  }
  ThrowTypes(op, args, display);
}

BoundCall BindArithmetic(ArithOp op, std::string_view name, std::vector<BoundExprPtr> args,
                         const std::string& display) {
  CheckArgCount(args, 2, 2, name, display);
  if (std::optional<BoundCall> temporal = BindTemporal(op, args, display)) return *temporal;
  std::optional<DataType> common = CommonArgType(args);
  if (!common || !IsNumeric(*common)) ThrowTypes(op, args, display);
  if (common->id == TypeId::kDecimal) return BindDecimal(op, std::move(args), display);
  args = CastArgs(std::move(args), *common, display);
  Kernel kernel = VisitNumeric(*common, [&](auto tag) {
    return NumericKernel<typename decltype(tag)::type>(op, *common, display);
  });
  DataType type = op == ArithOp::kDivide && !common->IsFloating() ? Float64() : *common;
  return {type, std::move(kernel), std::move(args)};
}

BoundCall BindNegate(std::vector<BoundExprPtr> args, const std::string& display) {
  CheckArgCount(args, 1, 1, "negate", display);
  DataType type = args[0]->type;
  if (type.IsInteger() && !type.IsSignedInteger()) {
    // -x of an unsigned x needs a sign: the signed type that holds every value (int64 for
    // uint64, whose values past INT64_MAX then fail the implicit cast).
    type = type.FixedWidth() >= 4 ? Int64() : type.FixedWidth() == 2 ? Int32() : Int16();
    args[0] = CastArg(args[0], type, display);
  }
  Kernel kernel;
  if (type.id == TypeId::kDecimal) {
    kernel = MakeUnaryKernel<int128_t, int128_t>(type, display, NegateOp<int128_t>{});
  } else if (type.id == TypeId::kDuration) {
    kernel = MakeUnaryKernel<int64_t, int64_t>(type, display,
                                               NegateOp<int64_t>{{"duration out of range"}});
  } else if (type.IsInteger() || type.IsFloating()) {
    kernel = VisitNumeric(type, [&](auto tag) {
      using T = typename decltype(tag)::type;
      return MakeUnaryKernel<T, T>(type, display, NegateOp<T>{});
    });
  } else {
    ThrowInvalid("cannot negate {} in `{}`", type.ToString(), display);
  }
  return {type, std::move(kernel), std::move(args)};
}

void AddBinary(FunctionRegistry& registry, const char* name, ArithOp op) {
  registry.Add({name, [op, name](std::vector<BoundExprPtr> args, const std::string& display) {
                  return BindArithmetic(op, name, std::move(args), display);
                }});
}

}  // namespace

void RegisterArithmeticFunctions(FunctionRegistry& registry) {
  AddBinary(registry, "add", ArithOp::kAdd);
  AddBinary(registry, "subtract", ArithOp::kSubtract);
  AddBinary(registry, "multiply", ArithOp::kMultiply);
  AddBinary(registry, "divide", ArithOp::kDivide);
  AddBinary(registry, "integer_divide", ArithOp::kIntegerDivide);
  AddBinary(registry, "modulo", ArithOp::kModulo);
  registry.Add({"negate", [](std::vector<BoundExprPtr> args, const std::string& display) {
                  return BindNegate(std::move(args), display);
                }});
}

}  // namespace sluice
