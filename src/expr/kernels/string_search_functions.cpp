// The string predicates: contains starts_with ends_with like ilike. A constant needle or pattern
// is prepared once per call (a literal pattern once at bind time); a constant substring searched
// in a whole column runs memmem over the column's bytes rather than row by row, so that rows
// without a match cost nothing but the scan.
#include <cstring>
#include <memory>

#include "core/error.h"
#include "expr/kernels/like_pattern.h"
#include "expr/kernels/string_util.h"
#include "expr/kernels/unicode_case.h"

namespace sluice {
namespace kernels {
namespace {

// Sets bit i of `bits` (zeroed, `text.length` bits) for each row of `text` containing `needle`
// (not empty). A hit that runs past the end of its row means no later hit in that row fits
// either, so the scan moves on to the next row after any hit.
void ContainsScan(const Column& text, std::string_view needle, uint8_t* bits) {
  const int64_t* offsets = text.Offsets();
  const char* data = reinterpret_cast<const char*>(text.data->data());
  const int64_t end = offsets[text.length];
  const int64_t size = static_cast<int64_t>(needle.size());
  int64_t row = 0;
  int64_t pos = offsets[0];
  while (end - pos >= size) {
    const void* hit =
        memmem(data + pos, static_cast<size_t>(end - pos), needle.data(), needle.size());
    if (hit == nullptr) break;
    const int64_t at = static_cast<const char*>(hit) - data;
    while (offsets[row + 1] <= at) ++row;
    if (at + size <= offsets[row + 1]) bits::Set(bits, row);
    pos = offsets[row + 1];
  }
}

enum class Predicate : uint8_t { kContains, kStartsWith, kEndsWith };

Column PredicateKernel(std::span<const Column> args, int64_t rows, Predicate predicate,
                       MemoryPool* pool) {
  const int64_t n = OutputLength(args, rows);
  Validity validity = PropagateValidity(args, n, pool);
  if (validity.null_count == n) return NullColumn(Bool(), n, pool);
  StringArg text(args[0], n);
  StringArg needle(args[1], n);
  if (predicate == Predicate::kContains && needle.is_scalar() && !needle[0].empty()) {
    Column out = AllocateFixed(Bool(), n, pool);
    ContainsScan(args[0], needle[0], out.values->data());
    SetValidity(out, std::move(validity));
    return out;
  }
  return MakeBoolColumn(n, std::move(validity), pool, [&](int64_t i) {
    std::string_view value = text[i];
    std::string_view sought = needle[i];
    switch (predicate) {
      case Predicate::kContains:
        return sought.empty() ||
               memmem(value.data(), value.size(), sought.data(), sought.size()) != nullptr;
      case Predicate::kStartsWith: return value.starts_with(sought);
      case Predicate::kEndsWith: return value.ends_with(sought);
    }
    return false;
  });
}

BoundCall BindPredicate(std::vector<BoundExprPtr> args, const std::string& display,
                        std::string_view name, Predicate predicate) {
  CheckArgCount(args, 2, 2, name, display);
  for (size_t i = 0; i < args.size(); ++i) {
    args[i] = RequireString(std::move(args[i]), i, name, display, /*allow_binary=*/true);
  }
  return {Bool(),
          [predicate](std::span<const Column> in, int64_t rows, MemoryPool* pool) {
            return PredicateKernel(in, rows, predicate, pool);
          },
          std::move(args)};
}

// ---- like, ilike -------------------------------------------------------------------------

// What binding a like/ilike call settled: the pattern compiled at bind time when it is a
// literal, else read per call (constant) or per row (a column).
struct LikeState {
  std::string name;
  std::string display;
  bool fold_case = false;
  std::shared_ptr<const LikePattern> compiled;  ///< Set when the pattern is a literal.
  bool escape_known = false;                    ///< The escape was settled at bind time...
  std::optional<uint32_t> escape;               ///< ...as this code point (or none).
};

// Reads an escape string: empty means none; more than one character is an error.
bool ParseEscape(std::string_view text, std::optional<uint32_t>* escape) {
  if (text.empty()) {
    escape->reset();
    return true;
  }
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = p + text.size();
  *escape = unicode::DecodeCodePoint(p, end);
  return p == end;
}

[[noreturn]] void ThrowBadEscape(const LikeState& state, std::string_view escape) {
  ThrowInvalid("{}: the escape must be a single character, not '{}', in `{}`", state.name, escape,
               state.display);
}

[[noreturn]] void ThrowBadPattern(const LikeState& state, std::string_view pattern,
                                  const std::string& error) {
  ThrowInvalid("{}: bad pattern '{}': {} in `{}`", state.name, pattern, error, state.display);
}

Column LikeKernel(std::span<const Column> args, int64_t rows, const LikeState& state,
                  MemoryPool* pool) {
  const int64_t n = OutputLength(args, rows);
  Validity validity = PropagateValidity(args, n, pool);
  if (validity.null_count == n) return NullColumn(Bool(), n, pool);
  std::optional<uint32_t> escape = state.escape;
  if (!state.escape_known) {  // A constant escape expression: its single value.
    std::string_view text = args[2].StringAt(0);
    if (!ParseEscape(text, &escape)) ThrowBadEscape(state, text);
  }
  StringArg text(args[0], n);
  StringArg patterns(args[1], n);
  const LikePattern* pattern = state.compiled.get();
  LikePattern per_call;
  std::string error;
  if (pattern == nullptr && patterns.is_scalar()) {
    if (!per_call.Compile(patterns[0], escape, state.fold_case, &error)) {
      ThrowBadPattern(state, patterns[0], error);
    }
    pattern = &per_call;
  }
  if (pattern != nullptr && !state.fold_case && !text.is_scalar() &&
      pattern->shape() == LikePattern::Shape::kContains) {
    Column out = AllocateFixed(Bool(), n, pool);
    ContainsScan(args[0], pattern->needle(), out.values->data());
    SetValidity(out, std::move(validity));
    return out;
  }
  std::vector<char> lowered;  // ilike: the row's text lowercased (grows, never shrinks).
  auto subject = [&](int64_t i) {
    std::string_view value = text[i];
    if (!state.fold_case) return value;
    if (lowered.size() < 2 * value.size()) lowered.resize(2 * value.size());
    return std::string_view(lowered.data(),
                            static_cast<size_t>(unicode::MapCase(value, false, lowered.data())));
  };
  if (pattern != nullptr) {
    return MakeBoolColumn(n, std::move(validity), pool,
                          [&](int64_t i) { return pattern->Matches(subject(i)); });
  }
  // A pattern per row: compile each into reused storage; note the first bad one.
  int64_t bad_row = -1;
  Column out = MakeBoolColumn(n, validity, pool, [&](int64_t i) {
    if (!IsValidRow(validity, i)) return false;
    if (!per_call.Compile(patterns[i], escape, state.fold_case, &error)) {
      if (bad_row < 0) bad_row = i;
      return false;
    }
    return per_call.Matches(subject(i));
  });
  if (bad_row >= 0) {
    per_call.Compile(patterns[bad_row], escape, state.fold_case, &error);
    ThrowBadPattern(state, patterns[bad_row], error);
  }
  return out;
}

BoundCall BindLike(std::vector<BoundExprPtr> args, const std::string& display,
                   std::string_view name, bool fold_case) {
  CheckArgCount(args, 2, 3, name, display);
  for (size_t i = 0; i < args.size(); ++i) {
    args[i] = RequireString(std::move(args[i]), i, name, display);
  }
  auto state = std::make_shared<LikeState>();
  state->name = std::string(name);
  state->display = display;
  state->fold_case = fold_case;
  state->escape_known = true;
  bool escape_is_null = false;
  if (args.size() == 3) {
    ConstantString escape = RequireConstantString(*args[2], "escape", name, display);
    escape_is_null = escape.is_null;
    state->escape_known = escape.literal.has_value() || escape.is_null;
    if (escape.literal && !ParseEscape(*escape.literal, &state->escape)) {
      ThrowBadEscape(*state, *escape.literal);
    }
  }
  if (std::optional<std::string> pattern = LiteralString(*args[1]);
      pattern && state->escape_known && !escape_is_null) {
    auto compiled = std::make_shared<LikePattern>();
    std::string error;
    if (!compiled->Compile(*pattern, state->escape, fold_case, &error)) {
      ThrowBadPattern(*state, *pattern, error);
    }
    state->compiled = std::move(compiled);
  }
  return {Bool(),
          [state](std::span<const Column> in, int64_t rows, MemoryPool* pool) {
            return LikeKernel(in, rows, *state, pool);
          },
          std::move(args)};
}

}  // namespace

void RegisterStringSearchFunctions(FunctionRegistry& registry) {
  registry.Add({"contains", [](std::vector<BoundExprPtr> args, const std::string& display) {
                  return BindPredicate(std::move(args), display, "contains", Predicate::kContains);
                }});
  registry.Add({"starts_with", [](std::vector<BoundExprPtr> args, const std::string& display) {
                  return BindPredicate(std::move(args), display, "starts_with",
                                       Predicate::kStartsWith);
                }});
  registry.Add({"ends_with", [](std::vector<BoundExprPtr> args, const std::string& display) {
                  return BindPredicate(std::move(args), display, "ends_with", Predicate::kEndsWith);
                }});
  registry.Add({"like", [](std::vector<BoundExprPtr> args, const std::string& display) {
                  return BindLike(std::move(args), display, "like", false);
                }});
  registry.Add({"ilike", [](std::vector<BoundExprPtr> args, const std::string& display) {
                  return BindLike(std::move(args), display, "ilike", true);
                }});
}

}  // namespace kernels
}  // namespace sluice
