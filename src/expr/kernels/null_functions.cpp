// Nulls, sets and branching: is_null, is_not_null (never null themselves), coalesce (the first
// non-null argument, in the arguments' common type), is_in(x, v1, ..., vn) and
// between(x, low, high) with SQL null semantics, and case_when(c1, v1, ..., [else]).
#include "expr/kernels/null_functions.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/error.h"
#include "expr/function_registry.h"
#include "expr/kernels/comparison.h"
#include "expr/kernels/kernel_util.h"

namespace sluice {

namespace {

using namespace kernels;  // NOLINT: the kernel toolbox of this layer.

constexpr size_t kMany = std::numeric_limits<size_t>::max();

// ---- Gathering rows from several arguments ----------------------------------------------------

// Builds a column whose row i is row i of sources[choice[i]] (row 0 of a 1-value source), or a
// null where choice[i] < 0. Every source has type `type`.
Column Gather(const DataType& type, std::span<const Column> sources,
              const std::vector<int32_t>& choice, int64_t n, MemoryPool* pool) {
  auto row_of = [&](const Column& source, int64_t i) { return source.length == 1 ? 0 : i; };
  auto bitmap = MakeBitmap(n, true, pool);
  for (int64_t i = 0; i < n; ++i) {
    int32_t k = choice[static_cast<size_t>(i)];
    if (k < 0 || sources[k].IsNull(row_of(sources[k], i))) bits::Clear(bitmap->data(), i);
  }
  Validity validity = MakeValidity(std::move(bitmap), n);
  if (type.IsVariableWidth()) {
    int64_t total = 0;
    for (int64_t i = 0; i < n; ++i) {
      int32_t k = choice[static_cast<size_t>(i)];
      if (k >= 0) total += static_cast<int64_t>(sources[k].StringAt(row_of(sources[k], i)).size());
    }
    StringColumnWriter writer(type, n, total, pool);
    for (int64_t i = 0; i < n; ++i) {
      int32_t k = choice[static_cast<size_t>(i)];
      writer.Append(k >= 0 ? sources[k].StringAt(row_of(sources[k], i)) : std::string_view());
    }
    return writer.Finish(std::move(validity));
  }
  Column out = AllocateFixed(type, n, pool);
  if (type.id == TypeId::kBool) {
    FillBits(out.values->data(), n, [&](int64_t i) {
      int32_t k = choice[static_cast<size_t>(i)];
      return k >= 0 && sources[k].BoolAt(row_of(sources[k], i));
    });
  } else {
    const size_t width = static_cast<size_t>(type.FixedWidth());
    uint8_t* dst = out.values->data();
    for (int64_t i = 0; i < n; ++i) {
      int32_t k = choice[static_cast<size_t>(i)];
      if (k < 0) {
        std::memset(dst + i * width, 0, width);
      } else {
        std::memcpy(dst + i * width, sources[k].values->data() + row_of(sources[k], i) * width,
                    width);
      }
    }
  }
  SetValidity(out, std::move(validity));
  return out;
}

// Makes a 1-value or `n`-value result from a single argument column.
Column Expand(const Column& column, int64_t n, MemoryPool* pool) {
  if (column.length == n) return column;
  std::vector<int32_t> choice(static_cast<size_t>(n), 0);
  return Gather(column.type, std::span<const Column>(&column, 1), choice, n, pool);
}

// ---- is_null / is_not_null ----------------------------------------------------------------------

Column NullTest(bool want_null, const Column& a, MemoryPool* pool) {
  const int64_t n = a.length;
  Column out = AllocateFixed(Bool(), n, pool);
  uint8_t* dst = out.values->data();
  const int64_t bytes = bits::BytesFor(n);
  if (a.validity == nullptr) {
    if (!want_null && bytes > 0) std::memset(dst, 0xff, static_cast<size_t>(bytes));
    return out;
  }
  const uint8_t* src = a.validity->data();
  for (int64_t i = 0; i < bytes; ++i) dst[i] = want_null ? static_cast<uint8_t>(~src[i]) : src[i];
  return out;
}

BoundCall BindNullTest(bool want_null, std::vector<BoundExprPtr> args, const std::string& display) {
  CheckArgCount(args, 1, 1, want_null ? "is_null" : "is_not_null", display);
  Kernel kernel = [want_null](std::span<const Column> columns, int64_t, MemoryPool* pool) {
    return NullTest(want_null, columns[0], pool);
  };
  return {Bool(), std::move(kernel), std::move(args)};
}

// ---- coalesce -----------------------------------------------------------------------------------

DataType CommonOrThrow(std::span<const BoundExprPtr> args, std::string_view what,
                       const std::string& display) {
  std::optional<DataType> common = CommonArgType(args);
  if (!common) {
    ThrowInvalid("{} has no common type for {} in `{}`", what, ArgTypeNames(args), display);
  }
  return *common;
}

Column Coalesce(std::span<const Column> args, int64_t rows, MemoryPool* pool) {
  const int64_t n = OutputLength(args, rows);
  if (args[0].null_count == 0) return Expand(args[0], n, pool);
  std::vector<int32_t> choice(static_cast<size_t>(n), -1);
  int64_t undecided = n;
  for (size_t k = 0; k < args.size() && undecided > 0; ++k) {
    const Column& arg = args[k];
    const bool scalar = IsScalarArg(arg, n);
    for (int64_t i = 0; i < n; ++i) {
      int32_t& c = choice[static_cast<size_t>(i)];
      if (c < 0 && arg.IsValid(scalar ? 0 : i)) {
        c = static_cast<int32_t>(k);
        --undecided;
      }
    }
  }
  return Gather(args[0].type, args, choice, n, pool);
}

BoundCall BindCoalesce(std::vector<BoundExprPtr> args, const std::string& display) {
  CheckArgCount(args, 1, kMany, "coalesce", display);
  DataType type = CommonOrThrow(args, "coalesce", display);
  args = CastArgs(std::move(args), type, display);
  return {type, &Coalesce, std::move(args)};
}

// ---- is_in --------------------------------------------------------------------------------------

/// The bytes of a string of at most 8 bytes in one word (zeros after its end).
uint64_t PackShort(std::string_view text) {
  uint64_t word = 0;
  for (size_t k = 0; k < text.size(); ++k)
    word |= uint64_t{static_cast<uint8_t>(text[k])} << (8 * k);
  return word;
}

/// True for a few string constants of at most 8 bytes each.
template <typename T>
bool ShortStrings(const std::vector<T>& values) {
  if constexpr (std::is_same_v<T, std::string_view>) {
    return values.size() <= 8 && std::all_of(values.begin(), values.end(),
                                             [](std::string_view v) { return v.size() <= 8; });
  } else {
    return false;
  }
}

// x IN (constants): one pass over x, looking each value up in the sorted constants. Null constants
// make a miss null instead of false (SQL).
template <typename T, typename Get>
Column InSortedSet(const Column& x, const std::vector<T>& sorted, bool has_null, Get&& get,
                   MemoryPool* pool) {
  const int64_t n = x.length;
  Column out = AllocateFixed(Bool(), n, pool);
  bool short_strings = false;
  if constexpr (std::is_same_v<T, std::string_view>) short_strings = ShortStrings(sorted);
  if (short_strings) {
    // A few constants of at most 8 bytes ('MAIL', 'SHIP'): each compared as its length and its
    // bytes in one word, without a memcmp call per comparison.
    if constexpr (std::is_same_v<T, std::string_view>) {
      std::vector<std::pair<size_t, uint64_t>> words;
      for (const T& candidate : sorted) words.emplace_back(candidate.size(), PackShort(candidate));
      // A value's bytes load as one word, its tail masked off, where 8 bytes follow its start in
      // the column's data (all but the last few values); the others are packed byte by byte.
      const int64_t* offsets = x.Offsets();
      const uint8_t* data = x.data != nullptr ? x.data->data() : nullptr;
      const int64_t data_size = x.data != nullptr ? x.data->size() : 0;
      FillBits(out.values->data(), n, [&](int64_t i) {
        const int64_t begin = offsets[i];
        const auto size = static_cast<size_t>(offsets[i + 1] - begin);
        if (size > 8) return false;
        uint64_t word;
        if (begin + 8 <= data_size) {
          std::memcpy(&word, data + begin, 8);
          word &= size == 8 ? ~uint64_t{0} : (uint64_t{1} << (8 * size)) - 1;
        } else {
          word = PackShort(get(i));
        }
        bool found = false;
        for (const auto& [length, bytes] : words) found |= (length == size) & (bytes == word);
        return found;
      });
    }
  } else if (sorted.size() <= 8) {
    // A few constants: comparing with each beats a search.
    FillBits(out.values->data(), n, [&](int64_t i) {
      const auto value = get(i);
      bool found = false;
      for (const T& candidate : sorted) found |= candidate == value;
      return found;
    });
  } else {
    FillBits(out.values->data(), n,
             [&](int64_t i) { return std::binary_search(sorted.begin(), sorted.end(), get(i)); });
  }
  Validity validity{x.validity, x.null_count};
  if (has_null) {
    auto bitmap = Buffer::Make(bits::BytesFor(n), pool);
    std::memcpy(bitmap->data(), out.values->data(), static_cast<size_t>(bitmap->size()));
    AndValidityInto(x, n, bitmap->data());
    validity = MakeValidity(std::move(bitmap), n);
  }
  SetValidity(out, std::move(validity));
  return out;
}

// The set path for many constants of an integer-like or string type; nullopt otherwise.
std::optional<Column> TryInSet(std::span<const Column> args, MemoryPool* pool) {
  const Column& x = args[0];
  const DataType& type = x.type;
  bool has_null = false;
  for (size_t k = 1; k < args.size(); ++k) {
    if (args[k].length != 1) return std::nullopt;
    has_null |= args[k].IsNull(0);
  }
  if (type.IsVariableWidth()) {
    std::vector<std::string_view> values;
    for (size_t k = 1; k < args.size(); ++k) {
      if (args[k].IsValid(0)) values.push_back(args[k].StringAt(0));
    }
    std::sort(values.begin(), values.end());
    return InSortedSet(
        x, values, has_null, [&](int64_t i) { return x.StringAt(i); }, pool);
  }
  if (!(type.IsInteger() || type.id == TypeId::kDate32 || type.id == TypeId::kTimestamp ||
        type.id == TypeId::kDuration || type.id == TypeId::kTime64 ||
        type.id == TypeId::kDecimal)) {
    return std::nullopt;
  }
  return VisitFixedWidth(type, [&](auto tag) -> std::optional<Column> {
    using T = typename decltype(tag)::type;
    std::vector<T> values;
    for (size_t k = 1; k < args.size(); ++k) {
      if (args[k].IsValid(0)) values.push_back(args[k].Values<T>()[0]);
    }
    std::sort(values.begin(), values.end());
    const T* xv = x.Values<T>();
    return InSortedSet(
        x, values, has_null, [xv](int64_t i) { return xv[i]; }, pool);
  });
}

Column IsIn(std::span<const Column> args, int64_t rows, MemoryPool* pool) {
  const int64_t n = OutputLength(args, rows);
  if (args.size() == 1) {  // x IN (): false, or null for a null x.
    Column none = AllocateFixed(Bool(), args[0].length, pool);
    SetValidity(none, {args[0].validity, args[0].null_count});
    return Expand(none, n, pool);
  }
  // Constants (the usual case) take one pass over x; columns of values, one comparison each.
  if (args[0].length == n) {
    if (std::optional<Column> result = TryInSet(args, pool)) return *result;
  }
  Column result = CompareColumns(CompareOp::kEqual, args[0], args[1], rows, pool);
  for (size_t k = 2; k < args.size(); ++k) {
    result = OrColumns(result, CompareColumns(CompareOp::kEqual, args[0], args[k], rows, pool),
                       rows, pool);
  }
  return result;
}

BoundCall BindIsIn(std::vector<BoundExprPtr> args, const std::string& display) {
  CheckArgCount(args, 1, kMany, "is_in", display);
  DataType type = CommonOrThrow(args, "is_in", display);
  args = CastArgs(std::move(args), type, display);
  return {Bool(), &IsIn, std::move(args)};
}

// ---- between ------------------------------------------------------------------------------------

Column Between(std::span<const Column> args, int64_t rows, MemoryPool* pool) {
  Column low = CompareColumns(CompareOp::kGreaterEqual, args[0], args[1], rows, pool);
  Column high = CompareColumns(CompareOp::kLessEqual, args[0], args[2], rows, pool);
  return AndColumns(low, high, rows, pool);
}

BoundCall BindBetween(std::vector<BoundExprPtr> args, const std::string& display) {
  CheckArgCount(args, 3, 3, "between", display);
  DataType type = CommonOrThrow(args, "between", display);
  args = CastArgs(std::move(args), type, display);
  return {Bool(), &Between, std::move(args)};
}

// ---- case_when ----------------------------------------------------------------------------------

// Arguments: c1, v1, c2, v2, ..., and an optional else value (odd count).
Column CaseWhen(std::span<const Column> args, int64_t rows, MemoryPool* pool) {
  const int64_t n = OutputLength(args, rows);
  const size_t pairs = args.size() / 2;
  const bool has_else = args.size() % 2 == 1;
  std::vector<int32_t> choice(static_cast<size_t>(n), -1);
  // Sources for Gather: the values, then the else.
  std::vector<Column> sources;
  sources.reserve(pairs + 1);
  int64_t undecided = n;
  for (size_t p = 0; p < pairs && undecided > 0; ++p) {
    const Column& cond = args[2 * p];
    sources.push_back(args[2 * p + 1]);
    const bool scalar = IsScalarArg(cond, n);
    for (int64_t i = 0; i < n; ++i) {
      int32_t& c = choice[static_cast<size_t>(i)];
      int64_t r = scalar ? 0 : i;
      if (c < 0 && cond.IsValid(r) && cond.BoolAt(r)) {
        c = static_cast<int32_t>(p);
        --undecided;
      }
    }
  }
  if (has_else && undecided > 0) {
    const int32_t else_index = static_cast<int32_t>(sources.size());
    sources.push_back(args.back());
    for (int32_t& c : choice) {
      if (c < 0) c = else_index;
    }
  }
  const DataType& type = args[1].type;
  return Gather(type, sources, choice, n, pool);
}

BoundCall BindCaseWhen(std::vector<BoundExprPtr> args, const std::string& display) {
  CheckArgCount(args, 2, kMany, "case_when", display);
  std::vector<BoundExprPtr> values;
  for (size_t i = 0; i < args.size(); ++i) {
    bool is_condition = i % 2 == 0 && i + 1 < args.size();
    if (!is_condition) {
      values.push_back(args[i]);
      continue;
    }
    if (args[i]->type.id != TypeId::kBool) {
      if (!IsNullLiteral(*args[i])) {
        ThrowInvalid("case_when conditions must be bool, got {} in `{}`", args[i]->type.ToString(),
                     display);
      }
      args[i] = CastArg(args[i], Bool(), display);
    }
  }
  DataType type = CommonOrThrow(values, "case_when", display);
  for (size_t i = 0; i < args.size(); ++i) {
    bool is_condition = i % 2 == 0 && i + 1 < args.size();
    if (!is_condition) args[i] = CastArg(args[i], type, display);
  }
  return {type, &CaseWhen, std::move(args)};
}

}  // namespace

bool kernels::IsCaseWhenKernel(const Kernel& kernel) {
  using Function = Column (*)(std::span<const Column>, int64_t, MemoryPool*);
  const Function* function = kernel.target<Function>();
  return function != nullptr && *function == &CaseWhen;
}

void RegisterNullFunctions(FunctionRegistry& registry) {
  registry.Add({"is_null", [](std::vector<BoundExprPtr> args, const std::string& display) {
                  return BindNullTest(/*want_null=*/true, std::move(args), display);
                }});
  registry.Add({"is_not_null", [](std::vector<BoundExprPtr> args, const std::string& display) {
                  return BindNullTest(/*want_null=*/false, std::move(args), display);
                }});
  registry.Add({"coalesce", &BindCoalesce});
  registry.Add({"is_in", &BindIsIn});
  registry.Add({"between", &BindBetween});
  registry.Add({"case_when", &BindCaseWhen});
  kernels::RegisterAssertFunctions(registry);
}

}  // namespace sluice
