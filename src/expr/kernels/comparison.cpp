// Comparison: equal not_equal less less_equal greater greater_equal over numbers (after
// promotion), strings and binary (bytewise), bools, dates, times, timestamps (same unit after
// promotion), durations, decimals (same scale after promotion) and fixed-size binary. Results
// are bool with SQL nulls: comparing with null gives null.
#include "expr/kernels/comparison.h"

#include <cmath>
#include <cstring>
#include <type_traits>

#include "core/error.h"
#include "expr/function_registry.h"
#include "expr/kernels/kernel_util.h"

namespace sluice {

namespace kernels {
namespace {

// Equality and order for one C++ type; floats put NaN after every number and equal to itself,
// so that comparisons agree with sorting and grouping.
template <typename T>
struct Order {
  static bool Equal(T a, T b) {
    if constexpr (std::is_floating_point_v<T>) {
      return a == b || (a != a && b != b);
    } else {
      return a == b;
    }
  }
  static bool Less(T a, T b) {
    if constexpr (std::is_floating_point_v<T>) {
      return a < b || (a == a && b != b);
    } else {
      return a < b;
    }
  }
};

// Writes bit i = pred(a_i, b_i) with the four column/scalar combinations split into loops.
template <typename GetA, typename GetB, typename Pred>
void CompareBits(uint8_t* out, int64_t n, bool a_scalar, bool b_scalar, GetA&& get_a, GetB&& get_b,
                 Pred&& pred) {
  if (!a_scalar && !b_scalar) {
    FillBits(out, n, [&](int64_t i) { return pred(get_a(i), get_b(i)); });
  } else if (!a_scalar) {
    auto y = get_b(0);
    FillBits(out, n, [&](int64_t i) { return pred(get_a(i), y); });
  } else if (!b_scalar) {
    auto x = get_a(0);
    FillBits(out, n, [&](int64_t i) { return pred(x, get_b(i)); });
  } else {
    bool value = pred(get_a(0), get_b(0));
    FillBits(out, n, [&](int64_t) { return value; });
  }
}

// Dispatches the operator to equal/less primitives of `O` (an Order-like type).
template <typename O, typename GetA, typename GetB>
void CompareWith(CompareOp op, uint8_t* out, int64_t n, bool a_scalar, bool b_scalar, GetA&& get_a,
                 GetB&& get_b) {
  auto run = [&](auto pred) { CompareBits(out, n, a_scalar, b_scalar, get_a, get_b, pred); };
  switch (op) {
    case CompareOp::kEqual: run([](auto x, auto y) { return O::Equal(x, y); }); break;
    case CompareOp::kNotEqual: run([](auto x, auto y) { return !O::Equal(x, y); }); break;
    case CompareOp::kLess: run([](auto x, auto y) { return O::Less(x, y); }); break;
    case CompareOp::kLessEqual: run([](auto x, auto y) { return !O::Less(y, x); }); break;
    case CompareOp::kGreater: run([](auto x, auto y) { return O::Less(y, x); }); break;
    case CompareOp::kGreaterEqual: run([](auto x, auto y) { return !O::Less(x, y); }); break;
  }
}

struct BytesOrder {
  static bool Equal(std::string_view a, std::string_view b) { return a == b; }
  static bool Less(std::string_view a, std::string_view b) { return a < b; }
};

}  // namespace

Column CompareColumns(CompareOp op, const Column& a, const Column& b, int64_t rows,
                      MemoryPool* pool) {
  const Column args[] = {a, b};
  const int64_t n = OutputLength(args, rows);
  Validity validity = PropagateValidity(args, n, pool);
  if (n > 0 && validity.null_count == n) return NullColumn(Bool(), n, pool);
  Column out = AllocateFixed(Bool(), n, pool);
  uint8_t* dst = out.values->data();
  const bool as = IsScalarArg(a, n);
  const bool bs = IsScalarArg(b, n);
  const DataType& type = a.type;
  if (type.IsVariableWidth()) {
    CompareWith<BytesOrder>(
        op, dst, n, as, bs, [&](int64_t i) { return a.StringAt(i); },
        [&](int64_t i) { return b.StringAt(i); });
  } else if (type.id == TypeId::kBool) {
    CompareWith<Order<bool>>(
        op, dst, n, as, bs, [&](int64_t i) { return a.BoolAt(i); },
        [&](int64_t i) { return b.BoolAt(i); });
  } else if (type.id == TypeId::kUuid || type.id == TypeId::kFixedSizeBinary) {
    CompareWith<BytesOrder>(
        op, dst, n, as, bs, [&](int64_t i) { return a.FixedBytesAt(i); },
        [&](int64_t i) { return b.FixedBytesAt(i); });
  } else {
    VisitFixedWidth(type, [&](auto tag) {
      using T = typename decltype(tag)::type;
      const T* av = a.Values<T>();
      const T* bv = b.Values<T>();
      CompareWith<Order<T>>(
          op, dst, n, as, bs, [av](int64_t i) { return av[i]; }, [bv](int64_t i) { return bv[i]; });
    });
  }
  SetValidity(out, std::move(validity));
  return out;
}

}  // namespace kernels

namespace {

using kernels::CompareOp;

const char* OperatorText(CompareOp op) {
  switch (op) {
    case CompareOp::kEqual: return "=";
    case CompareOp::kNotEqual: return "!=";
    case CompareOp::kLess: return "<";
    case CompareOp::kLessEqual: return "<=";
    case CompareOp::kGreater: return ">";
    case CompareOp::kGreaterEqual: return ">=";
  }
  return "?";
}

BoundCall BindComparison(CompareOp op, std::string_view name, std::vector<BoundExprPtr> args,
                         const std::string& display) {
  kernels::CheckArgCount(args, 2, 2, name, display);
  std::optional<DataType> common = kernels::CommonArgType(args);
  if (!common) {
    ThrowInvalid("cannot compare {} and {} with {} in `{}`", args[0]->type.ToString(),
                 args[1]->type.ToString(), OperatorText(op), display);
  }
  args = kernels::CastArgs(std::move(args), *common, display);
  Kernel kernel = [op](std::span<const Column> columns, int64_t rows, MemoryPool* pool) {
    return kernels::CompareColumns(op, columns[0], columns[1], rows, pool);
  };
  return {Bool(), std::move(kernel), std::move(args)};
}

void AddComparison(FunctionRegistry& registry, const char* name, CompareOp op) {
  registry.Add({name, [op, name](std::vector<BoundExprPtr> args, const std::string& display) {
                  return BindComparison(op, name, std::move(args), display);
                }});
}

}  // namespace

void RegisterComparisonFunctions(FunctionRegistry& registry) {
  AddComparison(registry, "equal", CompareOp::kEqual);
  AddComparison(registry, "not_equal", CompareOp::kNotEqual);
  AddComparison(registry, "less", CompareOp::kLess);
  AddComparison(registry, "less_equal", CompareOp::kLessEqual);
  AddComparison(registry, "greater", CompareOp::kGreater);
  AddComparison(registry, "greater_equal", CompareOp::kGreaterEqual);
}

}  // namespace sluice
