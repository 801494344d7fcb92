// Boolean logic with SQL's three values: `and`, `or` (any number of arguments, folded left to
// right) and `not`. AND is false when either side is false, even if the other is null; OR is
// true when either side is true. Computed 64 rows at a time on the value and validity words.
#include <cstring>
#include <limits>

#include "core/error.h"
#include "expr/function_registry.h"
#include "expr/kernels/comparison.h"
#include "expr/kernels/kernel_util.h"

namespace sluice {

namespace kernels {
namespace {

// Reads 64-row words of a bool argument's values and validity, broadcasting a 1-value column.
class BoolWords {
 public:
  BoolWords(const Column& column, int64_t length) : bytes_(bits::BytesFor(length)) {
    if (column.length == 1 && length != 1) {
      scalar_ = true;
      bool valid = column.IsValid(0);
      scalar_valid_ = valid ? ~uint64_t{0} : 0;
      scalar_value_ = valid && column.BoolAt(0) ? ~uint64_t{0} : 0;
    } else {
      values_ = column.values->data();
      validity_ = column.validity ? column.validity->data() : nullptr;
    }
  }
  uint64_t Value(int64_t w) const { return scalar_ ? scalar_value_ : Load(values_, w); }
  uint64_t Valid(int64_t w) const {
    if (scalar_) return scalar_valid_;
    return validity_ ? Load(validity_, w) : ~uint64_t{0};
  }

 private:
  uint64_t Load(const uint8_t* data, int64_t w) const {
    uint64_t word = 0;
    int64_t at = w * 8;
    std::memcpy(&word, data + at, static_cast<size_t>(at + 8 <= bytes_ ? 8 : bytes_ - at));
    return word;
  }

  int64_t bytes_;
  bool scalar_ = false;
  uint64_t scalar_value_ = 0;
  uint64_t scalar_valid_ = 0;
  const uint8_t* values_ = nullptr;
  const uint8_t* validity_ = nullptr;
};

void StoreWord(uint8_t* data, int64_t w, int64_t bytes, uint64_t word) {
  int64_t at = w * 8;
  std::memcpy(data + at, &word, static_cast<size_t>(at + 8 <= bytes ? 8 : bytes - at));
}

// Combines two bool columns word by word; `is_and` picks AND or OR.
Column Logic(bool is_and, const Column& a, const Column& b, int64_t rows, MemoryPool* pool) {
  const Column args[] = {a, b};
  const int64_t n = OutputLength(args, rows);
  const int64_t bytes = bits::BytesFor(n);
  const int64_t words = (bytes + 7) / 8;
  BoolWords x(a, n);
  BoolWords y(b, n);
  Column out = AllocateFixed(Bool(), n, pool);
  uint8_t* values = out.values->data();
  const bool any_nulls = a.null_count > 0 || b.null_count > 0;
  if (!any_nulls) {
    for (int64_t w = 0; w < words; ++w) {
      uint64_t v = is_and ? x.Value(w) & y.Value(w) : x.Value(w) | y.Value(w);
      StoreWord(values, w, bytes, v);
    }
    return out;
  }
  auto validity = Buffer::Make(bytes, pool);
  for (int64_t w = 0; w < words; ++w) {
    const uint64_t xv = x.Valid(w);
    const uint64_t yv = y.Valid(w);
    const uint64_t x_true = xv & x.Value(w);
    const uint64_t y_true = yv & y.Value(w);
    const uint64_t x_false = xv & ~x.Value(w);
    const uint64_t y_false = yv & ~y.Value(w);
    uint64_t result_true;
    uint64_t result_false;
    if (is_and) {
      result_true = x_true & y_true;
      result_false = x_false | y_false;
    } else {
      result_true = x_true | y_true;
      result_false = x_false & y_false;
    }
    StoreWord(values, w, bytes, result_true);
    StoreWord(validity->data(), w, bytes, result_true | result_false);
  }
  SetValidity(out, MakeValidity(std::move(validity), n));
  return out;
}

}  // namespace

Column AndColumns(const Column& a, const Column& b, int64_t rows, MemoryPool* pool) {
  return Logic(/*is_and=*/true, a, b, rows, pool);
}

Column OrColumns(const Column& a, const Column& b, int64_t rows, MemoryPool* pool) {
  return Logic(/*is_and=*/false, a, b, rows, pool);
}

Column NotColumn(const Column& a, MemoryPool* pool) {
  const int64_t n = a.length;
  const int64_t bytes = bits::BytesFor(n);
  Column out = AllocateFixed(Bool(), n, pool);
  const uint8_t* src = a.values->data();
  uint8_t* dst = out.values->data();
  for (int64_t i = 0; i < bytes; ++i) dst[i] = static_cast<uint8_t>(~src[i]);
  // Nulls stay null: the validity buffer is shared, not copied.
  out.validity = a.validity;
  out.null_count = a.null_count;
  return out;
}

}  // namespace kernels

namespace {

std::vector<BoundExprPtr> BoolArgs(std::vector<BoundExprPtr> args, std::string_view name,
                                   const std::string& display) {
  for (BoundExprPtr& arg : args) {
    if (arg->type.id == TypeId::kBool) continue;
    if (kernels::IsNullLiteral(*arg)) {
      arg = kernels::CastArg(arg, Bool(), display);
      continue;
    }
    ThrowInvalid("{} needs bool arguments, got {} in `{}`", name, arg->type.ToString(), display);
  }
  return args;
}

BoundCall BindLogic(bool is_and, std::vector<BoundExprPtr> args, const std::string& display) {
  const char* name = is_and ? "and" : "or";
  kernels::CheckArgCount(args, 2, std::numeric_limits<size_t>::max(), name, display);
  args = BoolArgs(std::move(args), name, display);
  Kernel kernel = [is_and](std::span<const Column> columns, int64_t rows, MemoryPool* pool) {
    Column result = is_and ? kernels::AndColumns(columns[0], columns[1], rows, pool)
                           : kernels::OrColumns(columns[0], columns[1], rows, pool);
    for (size_t i = 2; i < columns.size(); ++i) {
      result = is_and ? kernels::AndColumns(result, columns[i], rows, pool)
                      : kernels::OrColumns(result, columns[i], rows, pool);
    }
    return result;
  };
  return {Bool(), std::move(kernel), std::move(args)};
}

}  // namespace

void RegisterBooleanFunctions(FunctionRegistry& registry) {
  registry.Add({"and", [](std::vector<BoundExprPtr> args, const std::string& display) {
                  return BindLogic(/*is_and=*/true, std::move(args), display);
                }});
  registry.Add({"or", [](std::vector<BoundExprPtr> args, const std::string& display) {
                  return BindLogic(/*is_and=*/false, std::move(args), display);
                }});
  registry.Add({"not", [](std::vector<BoundExprPtr> args, const std::string& display) {
                  kernels::CheckArgCount(args, 1, 1, "not", display);
                  args = BoolArgs(std::move(args), "not", display);
                  Kernel kernel = [](std::span<const Column> columns, int64_t, MemoryPool* pool) {
                    return kernels::NotColumn(columns[0], pool);
                  };
                  return BoundCall{Bool(), std::move(kernel), std::move(args)};
                }});
}

}  // namespace sluice
