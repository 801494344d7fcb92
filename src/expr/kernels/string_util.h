// Helpers of the string, regex and temporal kernel families, on top of kernel_util.h: broadcast
// accessors for string and fixed-width arguments, argument checks of their binders, and the
// "constant argument" rule (a pattern, format or unit is read once per call, not per row).
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/column.h"
#include "expr/bound_expr.h"
#include "expr/function_registry.h"
#include "expr/kernels/kernel_util.h"

namespace sluice::kernels {

/// Reads value i of a utf8/binary argument that has `length` rows or is a broadcast constant.
/// The mask is 0 for a constant (every i reads row 0) and all ones otherwise: no branch per row.
class StringArg {
 public:
  StringArg(const Column& column, int64_t length)
      : offsets_(column.Offsets()),
        // An empty data buffer may have no allocation: never hand out a null pointer.
        data_(column.data->data() != nullptr ? reinterpret_cast<const char*>(column.data->data())
                                             : ""),
        mask_(IsScalarArg(column, length) ? 0 : ~int64_t{0}) {}

  std::string_view operator[](int64_t i) const {
    i &= mask_;
    return {data_ + offsets_[i], static_cast<size_t>(offsets_[i + 1] - offsets_[i])};
  }
  bool is_scalar() const { return mask_ == 0; }

 private:
  const int64_t* offsets_;
  const char* data_;
  int64_t mask_;
};

/// Reads value i of a fixed-width argument, broadcasting a constant like StringArg.
template <typename T>
class FixedArg {
 public:
  FixedArg(const Column& column, int64_t length)
      : values_(column.Values<T>()), mask_(IsScalarArg(column, length) ? 0 : ~int64_t{0}) {}
  T operator[](int64_t i) const { return values_[i & mask_]; }

 private:
  const T* values_;
  int64_t mask_;
};

/// Builds one row of a StringColumnWriter from several pieces (replace, regexp_replace, concat):
/// grows the row's room geometrically, then Finish() commits it.
class RowAppender {
 public:
  RowAppender(StringColumnWriter& writer, size_t initial_room)
      : writer_(writer), room_(initial_room), row_(writer.Reserve(initial_room)) {}

  void Append(std::string_view bytes) {
    if (size_ + bytes.size() > room_) Grow(bytes.size());
    std::memcpy(row_ + size_, bytes.data(), bytes.size());
    size_ += bytes.size();
  }
  void Append(char c) {
    if (size_ + 1 > room_) Grow(1);
    row_[size_++] = c;
  }
  void Finish() { writer_.Commit(size_); }

 private:
  void Grow(size_t extra) {
    room_ = std::max(2 * room_, size_ + extra);
    row_ = writer_.Reserve(room_);  // Keeps the bytes written so far.
  }

  StringColumnWriter& writer_;
  size_t room_;
  size_t size_ = 0;
  char* row_;
};

/// A StringColumnWriter size hint for results about as large as their input (`bytes`) whose
/// rows reserve more than they finally write (upper, replace): the slack spares the doubling
/// (and copy) of the whole buffer when the last rows reserve past the hint.
inline int64_t HintWithSlack(int64_t bytes) {
  return bytes + bytes / 8 + 1024;
}

/// True when row i of a result with `validity` is valid.
inline bool IsValidRow(const Validity& validity, int64_t i) {
  return validity.bitmap == nullptr || bits::Get(validity.bitmap->data(), i);
}

/// True when the bound expression reads no column: it evaluates to a 1-value column.
bool IsConstantExpr(const BoundExpr& expr);

/// Checks that argument `index` of `name` is a string (utf8, or binary when `allow_binary`);
/// a null literal of another type becomes a utf8 null. Throws an invalid-input error naming the
/// function, the argument's type and `display` otherwise.
BoundExprPtr RequireString(BoundExprPtr arg, size_t index, std::string_view name,
                           const std::string& display, bool allow_binary = false);
/// Checks that argument `index` of `name` is an integer (or a null literal) and casts it to
/// int64.
BoundExprPtr RequireInt64(BoundExprPtr arg, size_t index, std::string_view name,
                          const std::string& display);

/// A string argument that the function needs once per call rather than per row (a pattern, a
/// format, a unit): a literal is read at bind time; another constant expression is read from
/// its 1-value column when the kernel runs. Throws an unsupported error naming `what` when the
/// argument reads a column.
struct ConstantString {
  std::optional<std::string> literal;  ///< Known at bind time (nullopt: read per call).
  bool is_null = false;                ///< A null literal: the result is all null.
};
ConstantString RequireConstantString(const BoundExpr& arg, std::string_view what,
                                     std::string_view name, const std::string& display);

/// The value of a 1-value utf8 column, or nullopt when it is null.
std::optional<std::string_view> SingleString(const Column& column);

/// Makes a bool result of `length` rows with bit i = pred(i) and the given validity.
template <typename Pred>
Column MakeBoolColumn(int64_t length, Validity validity, MemoryPool* pool, Pred&& pred) {
  Column out = AllocateFixed(Bool(), length, pool);
  FillBits(out.values->data(), length, pred);
  SetValidity(out, std::move(validity));
  return out;
}

/// The families' parts that live in files of their own; RegisterStringFunctions and
/// RegisterTemporalFunctions call them.
void RegisterStringSearchFunctions(FunctionRegistry& registry);  // contains ... like ilike
void RegisterStringPadFunctions(FunctionRegistry& registry);     // repeat reverse strpos lpad rpad
void RegisterTemporalFormatFunctions(FunctionRegistry& registry);  // strftime strptime
void RegisterTemporalArithFunctions(FunctionRegistry& registry);   // add_months epoch

}  // namespace sluice::kernels
