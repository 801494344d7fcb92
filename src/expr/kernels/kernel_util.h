// Building blocks shared by the kernel families (arithmetic, comparison, strings, temporal, ...):
// type promotion and implicit casts for binders, argument checks, output allocation, the
// validity of null-propagating results, and vectorized loop templates over (column, column),
// (column, scalar) and (scalar, column) arguments.
//
// Conventions recalled from expr/function_registry.h: a kernel receives argument columns of
// either `rows` values or exactly 1 value (a constant broadcast to every row); when every
// argument has 1 value, it returns 1 value (see OutputLength). Value slots under a null are
// unspecified (usually zero): loops compute them anyway and only the validity says what counts,
// so a failure noted in a null slot (overflow, division by zero) must be ignored.
//
// This header is a contract with other kernel files: add to it, do not change what is here.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/buffer.h"
#include "core/column.h"
#include "core/decimal.h"
#include "core/memory_pool.h"
#include "core/types.h"
#include "expr/bound_expr.h"
#include "expr/function_registry.h"

namespace sluice::kernels {

// ---------------------------------------------------------------------------------------------
// Types: the C++ type of a fixed-width column, dispatch on a runtime type, promotion.

/// Carries a C++ type through a generic lambda: `[&](auto tag) { using T = typename
/// decltype(tag)::type; ... }`.
template <typename T>
struct TypeTag {
  using type = T;
};

/// Throws an internal error: a kernel was asked for a type it has no loop for.
[[noreturn]] void ThrowUnsupportedLayout(const DataType& type);

bool IsNumeric(const DataType& type);     ///< Integers, floats and decimals.
bool IsTemporal(const DataType& type);    ///< date32, time64, timestamp, duration.
bool IsStringLike(const DataType& type);  ///< utf8 and binary.

/// Calls f(TypeTag<T>{}) with the C++ value type of a fixed-width physical layout: int8..uint64,
/// float, double; date32 as int32_t; time64, timestamp and duration as int64_t; decimal as
/// int128_t. Throws an internal error for other types (bool, strings, uuid, fixed binary).
template <typename F>
decltype(auto) VisitFixedWidth(const DataType& type, F&& f) {
  switch (type.id) {
    case TypeId::kInt8: return f(TypeTag<int8_t>{});
    case TypeId::kInt16: return f(TypeTag<int16_t>{});
    case TypeId::kInt32: return f(TypeTag<int32_t>{});
    case TypeId::kInt64: return f(TypeTag<int64_t>{});
    case TypeId::kUInt8: return f(TypeTag<uint8_t>{});
    case TypeId::kUInt16: return f(TypeTag<uint16_t>{});
    case TypeId::kUInt32: return f(TypeTag<uint32_t>{});
    case TypeId::kUInt64: return f(TypeTag<uint64_t>{});
    case TypeId::kFloat32: return f(TypeTag<float>{});
    case TypeId::kFloat64: return f(TypeTag<double>{});
    case TypeId::kDate32: return f(TypeTag<int32_t>{});
    case TypeId::kTime64:
    case TypeId::kTimestamp:
    case TypeId::kDuration: return f(TypeTag<int64_t>{});
    case TypeId::kDecimal: return f(TypeTag<int128_t>{});
    default: break;
  }
  ThrowUnsupportedLayout(type);
}
/// Like VisitFixedWidth restricted to integers and floats.
template <typename F>
decltype(auto) VisitNumeric(const DataType& type, F&& f) {
  switch (type.id) {
    case TypeId::kInt8: return f(TypeTag<int8_t>{});
    case TypeId::kInt16: return f(TypeTag<int16_t>{});
    case TypeId::kInt32: return f(TypeTag<int32_t>{});
    case TypeId::kInt64: return f(TypeTag<int64_t>{});
    case TypeId::kUInt8: return f(TypeTag<uint8_t>{});
    case TypeId::kUInt16: return f(TypeTag<uint16_t>{});
    case TypeId::kUInt32: return f(TypeTag<uint32_t>{});
    case TypeId::kUInt64: return f(TypeTag<uint64_t>{});
    case TypeId::kFloat32: return f(TypeTag<float>{});
    case TypeId::kFloat64: return f(TypeTag<double>{});
    default: break;
  }
  ThrowUnsupportedLayout(type);
}
/// The type both numeric types convert to without losing range (DuckDB-like rules):
/// same signedness -> the wider; signed with unsigned -> a signed type wider than the unsigned
/// (int64 for uint64: values above INT64_MAX then fail the implicit cast with an error);
/// any float -> float64 (float32 only when both are float32 or float32 meets
/// int8/int16/uint8/uint16); decimal with integer -> decimal wide enough for both; decimal with
/// decimal -> max integer digits + max scale (precision capped at 38); decimal with float ->
/// float64. Returns nullopt when either type is not numeric.
std::optional<DataType> CommonNumericType(const DataType& a, const DataType& b);

/// The decimal type that holds every value of integer type `type` (int32 -> decimal(10,0)).
DataType DecimalForInteger(const DataType& type);

/// The type two values of types `a` and `b` meet in for comparison, coalesce, case and is_in:
/// equal types; numeric promotion; date32 with timestamp -> the timestamp; timestamps of
/// different units -> the finer unit (a time zone wins over none); durations -> the finer unit;
/// utf8 kinds -> plain utf8. Returns nullopt when the types do not meet.
std::optional<DataType> CommonType(const DataType& a, const DataType& b);

/// Like CommonType over bound arguments, with literal adaptation as users expect from
/// `col("small") + 1` or `col("day") > '2024-01-01'`: a non-null integer literal takes the other
/// side's integer or decimal type when its value fits; a float literal takes float32 against a
/// float32 column; a utf8 literal takes the other side's type (date, timestamp, number, bool)
/// when it parses as one. Null literals adopt any type. Returns nullopt when no type fits.
std::optional<DataType> CommonArgType(std::span<const BoundExprPtr> args);

/// Wraps `arg` in an implicit cast to `type` (identity when equal). Literals are converted
/// right away, so a bad literal fails at bind time, naming `display`.
BoundExprPtr CastArg(BoundExprPtr arg, const DataType& type, const std::string& display);
/// Casts every argument to `type`.
std::vector<BoundExprPtr> CastArgs(std::vector<BoundExprPtr> args, const DataType& type,
                                   const std::string& display);

// ---------------------------------------------------------------------------------------------
// Binder helpers.

/// Throws "name takes N arguments (M given) in `display`" unless min <= args.size() <= max.
void CheckArgCount(std::span<const BoundExprPtr> args, size_t min, size_t max,
                   std::string_view name, const std::string& display);
/// "utf8, int64": the argument types, for messages.
std::string ArgTypeNames(std::span<const BoundExprPtr> args);

/// The 1-value column of a literal argument, or null when `arg` is not a literal.
const Column* LiteralColumn(const BoundExpr& arg);
/// The value of a non-null utf8 literal argument (nullopt if not a literal or null).
std::optional<std::string> LiteralString(const BoundExpr& arg);
/// The value of a non-null integer literal argument, converted to int64 (nullopt otherwise).
std::optional<int64_t> LiteralInt(const BoundExpr& arg);
/// True when `arg` is a literal null (of any type).
bool IsNullLiteral(const BoundExpr& arg);

// ---------------------------------------------------------------------------------------------
// Kernel-side helpers.

/// The length of the result: 1 when every argument has exactly 1 value (and there is at least
/// one argument), else `rows`.
int64_t OutputLength(std::span<const Column> args, int64_t rows);
/// True when `arg` is a broadcast constant in a result of `length` rows.
inline bool IsScalarArg(const Column& arg, int64_t length) {
  return arg.length == 1 && length != 1;
}

/// A validity bitmap and its null count; `bitmap` is null when every row is valid.
struct Validity {
  std::shared_ptr<Buffer> bitmap;
  int64_t null_count = 0;
};

/// The validity of a null-propagating result of `length` rows: valid where every argument is
/// valid (word-wise AND). A null 1-value argument makes every row null.
Validity PropagateValidity(std::span<const Column> args, int64_t length, MemoryPool* pool);
/// ANDs `length` bits of `column`'s validity (or its single value's, broadcast) into `dst`,
/// which has room for `length` bits.
void AndValidityInto(const Column& column, int64_t length, uint8_t* dst);
/// Counts the clear bits of a validity bitmap and drops it when none is clear.
Validity MakeValidity(std::shared_ptr<Buffer> bitmap, int64_t length);
/// A bitmap of `length` bits, all set (or all clear).
std::shared_ptr<Buffer> MakeBitmap(int64_t length, bool value, MemoryPool* pool);
/// Installs `validity` on `column`.
inline void SetValidity(Column& column, Validity validity) {
  column.validity = std::move(validity.bitmap);
  column.null_count = column.validity ? validity.null_count : 0;
}

/// Allocates a column of `length` values of a fixed-width type or bool, with no validity.
/// Fixed-width values are uninitialized; bool bits are zeroed.
Column AllocateFixed(const DataType& type, int64_t length, MemoryPool* pool);
/// The writable values of a column made by AllocateFixed.
template <typename T>
T* MutableValues(Column& column) {
  return column.values->as<T>();
}
/// A column of `length` nulls of `type` (zeroed values, empty strings).
Column NullColumn(const DataType& type, int64_t length, MemoryPool* pool);

/// Reads value i of a fixed-width argument, 0 when `scalar` (its single value broadcast).
template <typename T>
inline T ValueAt(const T* values, bool scalar, int64_t i) {
  return values[scalar ? 0 : i];
}

/// Rounds half away from zero, as SQL's round() and float-to-integer casts do; unlike std::round
/// it compiles to inline instructions (trunc is one SSE4.1 instruction), so loops stay fast.
template <typename T>
inline T RoundHalfAwayFromZero(T x) {
  const T t = std::trunc(x);
  return std::fabs(x - t) >= T(0.5) ? t + std::copysign(T(1), x) : t;
}

/// Writes bit i = pred(i) for i in [0, n) into `out` (zeroed or not), 64 bits per store.
template <typename Pred>
void FillBits(uint8_t* out, int64_t n, Pred&& pred) {
  int64_t words = n / 64;
  for (int64_t w = 0; w < words; ++w) {
    uint64_t word = 0;
    int64_t base = w * 64;
    for (int j = 0; j < 64; ++j) word |= uint64_t{pred(base + j) ? 1u : 0u} << j;
    std::memcpy(out + w * 8, &word, 8);
  }
  int64_t tail = n - words * 64;
  if (tail > 0) {
    uint64_t word = 0;
    for (int64_t j = 0; j < tail; ++j) word |= uint64_t{pred(words * 64 + j) ? 1u : 0u} << j;
    std::memcpy(out + words * 8, &word, static_cast<size_t>((tail + 7) / 8));
  }
}

/// out[i] = op(a[i], b[i]) for i in [0, n), with either side a broadcast constant: one loop per
/// case so that the compiler vectorizes each.
template <typename A, typename B, typename Out, typename Op>
void BinaryLoop(const A* a, bool a_scalar, const B* b, bool b_scalar, Out* out, int64_t n,
                Op&& op) {
  if (!a_scalar && !b_scalar) {
    for (int64_t i = 0; i < n; ++i) out[i] = op(a[i], b[i]);
  } else if (!a_scalar) {
    const B y = b[0];
    for (int64_t i = 0; i < n; ++i) out[i] = op(a[i], y);
  } else if (!b_scalar) {
    const A x = a[0];
    for (int64_t i = 0; i < n; ++i) out[i] = op(x, b[i]);
  } else {
    const A x = a[0];
    const B y = b[0];
    for (int64_t i = 0; i < n; ++i) out[i] = op(x, y);
  }
}

/// Like BinaryLoop for operations that can fail (overflow, division by zero):
/// `op(x, y, &result)` returns true on failure. Returns true when any row failed; the caller
/// then finds the first failing valid row with FirstFailure and throws.
template <typename A, typename B, typename Out, typename Op>
bool CheckedBinaryLoop(const A* a, bool a_scalar, const B* b, bool b_scalar, Out* out, int64_t n,
                       Op&& op) {
  bool failed = false;
  if (!a_scalar && !b_scalar) {
    for (int64_t i = 0; i < n; ++i) failed |= op(a[i], b[i], &out[i]);
  } else if (!a_scalar) {
    const B y = b[0];
    for (int64_t i = 0; i < n; ++i) failed |= op(a[i], y, &out[i]);
  } else if (!b_scalar) {
    const A x = a[0];
    for (int64_t i = 0; i < n; ++i) failed |= op(x, b[i], &out[i]);
  } else {
    const A x = a[0];
    const B y = b[0];
    for (int64_t i = 0; i < n; ++i) failed |= op(x, y, &out[i]);
  }
  return failed;
}

/// out[i] = op(in[i]) for i in [0, n).
template <typename In, typename Out, typename Op>
void UnaryLoop(const In* in, Out* out, int64_t n, Op&& op) {
  for (int64_t i = 0; i < n; ++i) out[i] = op(in[i]);
}

/// The first row in [0, n) that is valid under `validity` and for which failed(i) holds, or -1.
/// Used after a loop reported a failure, to name the offending values (slow path).
template <typename Failed>
int64_t FirstFailure(const Validity& validity, int64_t n, Failed&& failed) {
  for (int64_t i = 0; i < n; ++i) {
    if (validity.bitmap && !bits::Get(validity.bitmap->data(), i)) continue;
    if (failed(i)) return i;
  }
  return -1;
}

/// Appends utf8/binary values row by row into a column of `length` rows. Rows left null by the
/// caller get an empty value (append "" for them) and the validity is installed by Finish.
class StringColumnWriter {
 public:
  /// `bytes_hint` reserves the data buffer (e.g. the input's byte size).
  StringColumnWriter(DataType type, int64_t length, int64_t bytes_hint, MemoryPool* pool);

  /// Appends the next row's value.
  void Append(std::string_view value) {
    // An empty view may have a null data pointer, which memcpy must not see.
    if (!value.empty()) std::memcpy(Reserve(value.size()), value.data(), value.size());
    Commit(value.size());
  }
  /// Returns room for `max_bytes` bytes of the next row's value; Commit(n) then ends that row
  /// with its first n bytes. Lets a kernel write a transformed value in place (upper, lower).
  char* Reserve(size_t max_bytes) {
    int64_t needed = size_ + static_cast<int64_t>(max_bytes);
    if (needed > column_.data->size()) column_.data->Resize(needed);
    return reinterpret_cast<char*>(column_.data->data()) + size_;
  }
  void Commit(size_t bytes) {
    size_ += static_cast<int64_t>(bytes);
    offsets_[++row_] = size_;
  }
  int64_t rows_written() const { return row_; }

  /// Returns the column (every row must have been appended) with `validity`.
  Column Finish(Validity validity = {});

 private:
  Column column_;
  int64_t* offsets_;
  int64_t row_ = 0;
  int64_t size_ = 0;
};

/// Builds a column whose row i is row indices[i] of `column`, or a null where indices[i] < 0.
/// For the rare paths that re-evaluate a subset of rows (a lazy CASE branch); hot operators
/// filter with their own loops.
Column TakeRows(const Column& column, std::span<const int64_t> indices, MemoryPool* pool);

/// Renders value `row` of `column` for an error message: strings quoted ('n/a'), others as
/// FormatValue prints them, "NULL" for a null.
std::string ValueForMessage(const Column& column, int64_t row);

}  // namespace sluice::kernels
