// Regular-expression functions over utf8, with RE2 (linear time, no backtracking blow-ups):
//   regexp_matches(s, pattern [, options])          RE2 partial match: does the pattern occur?
//   regexp_extract(s, pattern [, group [, options]]) the group's text (0 = the whole match);
//                                                     null when there is no match or the group
//                                                     did not take part (DuckDB gives '': we
//                                                     follow Polars' str.extract)
//   regexp_replace(s, pattern, rewrite [, options])  the first match replaced (DuckDB, Postgres);
//                                                     every match with the 'g' option
// The rewrite uses RE2's syntax: \0 is the whole match, \1..\9 groups, \\ a backslash.
// Options (DuckDB's letters): 'i' case-insensitive, 'c' case-sensitive, 's' '.' also matches a
// newline, 'l' the pattern is literal text, 'g' (regexp_replace) every match.
//
// The pattern must be constant: a literal is compiled once at bind time, and a bad one is a
// bind-time error quoting RE2's message; another constant expression is compiled once per
// batch. A pattern read from a column is not supported.
#include <re2/re2.h>

#include <cstring>
#include <memory>

#include "core/error.h"
#include "expr/kernels/string_util.h"

namespace sluice {
namespace kernels {
namespace {

struct RegexOptions {
  RE2::Options re2;
  bool global = false;
};

struct RegexState {
  std::string name;
  std::string display;
  RegexOptions options;
  std::shared_ptr<const RE2> compiled;  ///< Set when the pattern is a literal.
  int group = 0;                        ///< regexp_extract.
  std::optional<std::string> rewrite;   ///< regexp_replace with a literal rewrite.
};

RegexOptions ParseOptions(std::string_view text, bool allow_global, std::string_view name,
                          const std::string& display) {
  RegexOptions options;
  options.re2.set_log_errors(false);
  for (char c : text) {
    switch (c) {
      case 'i': options.re2.set_case_sensitive(false); break;
      case 'c': options.re2.set_case_sensitive(true); break;
      case 's': options.re2.set_dot_nl(true); break;
      case 'l': options.re2.set_literal(true); break;
      case 'g':
        if (allow_global) {
          options.global = true;
          break;
        }
        [[fallthrough]];
      default:
        ThrowInvalid("{}: unknown regular expression option '{}' in '{}' (expected {}) in `{}`",
                     name, c, text, allow_global ? "i, c, s, l or g" : "i, c, s or l", display);
    }
  }
  return options;
}

std::shared_ptr<const RE2> Compile(std::string_view pattern, const RegexState& state) {
  auto re = std::make_shared<const RE2>(re2::StringPiece(pattern.data(), pattern.size()),
                                        state.options.re2);
  if (!re->ok()) {
    ThrowInvalid("{}: bad regular expression '{}': {} in `{}`", state.name, pattern, re->error(),
                 state.display);
  }
  return re;
}

// The compiled pattern of a call: the literal's, or the constant argument's compiled now.
std::shared_ptr<const RE2> PatternFor(const RegexState& state, const Column& pattern) {
  if (state.compiled != nullptr) return state.compiled;
  return Compile(pattern.StringAt(0), state);
}

// Checks a rewrite string against a pattern with `groups` capturing groups; returns the
// highest group it refers to, or -1 with `error` set.
int CheckRewrite(std::string_view rewrite, int groups, std::string* error) {
  int highest = 0;
  for (size_t i = 0; i < rewrite.size(); ++i) {
    if (rewrite[i] != '\\') continue;
    if (++i == rewrite.size()) {
      *error = "the rewrite ends with a lone backslash";
      return -1;
    }
    char c = rewrite[i];
    if (c == '\\') continue;
    if (c < '0' || c > '9') {
      *error = fmt::format("\\{} is not a group reference (use \\0..\\9, or \\\\ for \\)", c);
      return -1;
    }
    int group = c - '0';
    if (group > groups) {
      *error = fmt::format("the rewrite refers to group \\{} but the pattern has {} group(s)",
                           group, groups);
      return -1;
    }
    highest = std::max(highest, group);
  }
  return highest;
}

// Appends `rewrite` with its group references filled from `groups`.
void AppendRewrite(RowAppender& row, std::string_view rewrite, const re2::StringPiece* groups) {
  size_t literal_start = 0;
  for (size_t i = 0; i < rewrite.size(); ++i) {
    if (rewrite[i] != '\\' || i + 1 == rewrite.size()) continue;
    row.Append(rewrite.substr(literal_start, i - literal_start));
    char c = rewrite[++i];
    if (c == '\\') {
      row.Append('\\');
    } else {
      const re2::StringPiece& group = groups[c - '0'];
      row.Append(std::string_view(group.data(), group.size()));
    }
    literal_start = i + 1;
  }
  row.Append(rewrite.substr(literal_start));
}

size_t CharBytes(unsigned char c) {
  return c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

// ---- kernels -----------------------------------------------------------------------------

Column MatchesKernel(std::span<const Column> args, int64_t rows, const RegexState& state,
                     MemoryPool* pool) {
  const int64_t n = OutputLength(args, rows);
  Validity validity = PropagateValidity(args, n, pool);
  if (validity.null_count == n) return NullColumn(Bool(), n, pool);
  std::shared_ptr<const RE2> re = PatternFor(state, args[1]);
  StringArg text(args[0], n);
  return MakeBoolColumn(n, std::move(validity), pool, [&](int64_t i) {
    std::string_view value = text[i];
    return RE2::PartialMatch(re2::StringPiece(value.data(), value.size()), *re);
  });
}

Column ExtractKernel(std::span<const Column> args, int64_t rows, const RegexState& state,
                     MemoryPool* pool) {
  const int64_t n = OutputLength(args, rows);
  Validity validity = PropagateValidity(args, n, pool);
  if (validity.null_count == n) return NullColumn(Utf8(), n, pool);
  std::shared_ptr<const RE2> re = PatternFor(state, args[1]);
  if (state.group > re->NumberOfCapturingGroups()) {
    ThrowInvalid("{}: group {} does not exist: the pattern has {} group(s) in `{}`", state.name,
                 state.group, re->NumberOfCapturingGroups(), state.display);
  }
  StringArg text(args[0], n);
  // Rows without a match become null: clear their bits in a bitmap of our own.
  std::shared_ptr<Buffer> bitmap = MakeBitmap(n, true, pool);
  uint8_t* valid = bitmap->data();
  if (validity.bitmap != nullptr) {
    std::memcpy(valid, validity.bitmap->data(), static_cast<size_t>(bits::BytesFor(n)));
  }
  std::vector<re2::StringPiece> groups(static_cast<size_t>(state.group) + 1);
  StringColumnWriter writer(Utf8(), n, 0, pool);
  for (int64_t i = 0; i < n; ++i) {
    if (!bits::Get(valid, i)) {
      writer.Append({});
      continue;
    }
    std::string_view value = text[i];
    re2::StringPiece subject(value.data(), value.size());
    const re2::StringPiece& group = groups.back();
    if (!re->Match(subject, 0, subject.size(), RE2::UNANCHORED, groups.data(),
                   static_cast<int>(groups.size())) ||
        group.data() == nullptr) {
      bits::Clear(valid, i);
      writer.Append({});
      continue;
    }
    writer.Append(std::string_view(group.data(), group.size()));
  }
  return writer.Finish(MakeValidity(std::move(bitmap), n));
}

Column ReplaceKernel(std::span<const Column> args, int64_t rows, const RegexState& state,
                     MemoryPool* pool) {
  const int64_t n = OutputLength(args, rows);
  Validity validity = PropagateValidity(args, n, pool);
  if (validity.null_count == n) return NullColumn(Utf8(), n, pool);
  std::shared_ptr<const RE2> re = PatternFor(state, args[1]);
  StringArg text(args[0], n);
  StringArg rewrites(args[2], n);
  const int pattern_groups = re->NumberOfCapturingGroups();
  std::string error;
  if (!state.rewrite && rewrites.is_scalar() &&
      CheckRewrite(rewrites[0], pattern_groups, &error) < 0) {
    ThrowInvalid("{}: bad rewrite '{}': {} in `{}`", state.name, rewrites[0], error, state.display);
  }
  const bool check_per_row = !state.rewrite && !rewrites.is_scalar();
  std::vector<re2::StringPiece> groups(static_cast<size_t>(std::min(pattern_groups, 9)) + 1);
  const int group_count = static_cast<int>(groups.size());
  const int64_t* offsets = args[0].Offsets();
  StringColumnWriter writer(Utf8(), n, HintWithSlack(offsets[args[0].length] - offsets[0]), pool);
  int64_t bad_row = -1;
  for (int64_t i = 0; i < n; ++i) {
    std::string_view value = text[i];
    std::string_view rewrite = rewrites[i];
    if (!IsValidRow(validity, i) ||
        (check_per_row && CheckRewrite(rewrite, pattern_groups, &error) < 0)) {
      if (bad_row < 0 && IsValidRow(validity, i)) bad_row = i;
      writer.Append({});
      continue;
    }
    re2::StringPiece subject(value.data(), value.size());
    RowAppender row(writer, value.size());
    size_t pos = 0;
    const char* last_end = nullptr;  // Where the previous match ended (none yet).
    // As RE2::GlobalReplace: an empty match right where the previous match ended is skipped
    // (one character is copied instead), so "abc" with '' and '-' gives "-a-b-c-".
    while (pos <= value.size()) {
      if (!re->Match(subject, pos, subject.size(), RE2::UNANCHORED, groups.data(), group_count)) {
        break;
      }
      const re2::StringPiece& match = groups[0];
      const size_t start = static_cast<size_t>(match.data() - value.data());
      row.Append(value.substr(pos, start - pos));
      if (match.empty() && last_end != nullptr && match.data() == last_end) {
        if (pos < value.size()) {
          size_t bytes =
              std::min(CharBytes(static_cast<unsigned char>(value[pos])), value.size() - pos);
          row.Append(value.substr(pos, bytes));
          pos += bytes;
        } else {
          ++pos;
        }
        continue;
      }
      AppendRewrite(row, rewrite, groups.data());
      pos = start + match.size();
      last_end = match.data() + match.size();
      if (!state.options.global) break;
    }
    if (pos < value.size()) row.Append(value.substr(pos));
    row.Finish();
  }
  if (bad_row >= 0) {
    CheckRewrite(rewrites[bad_row], pattern_groups, &error);
    ThrowInvalid("{}: bad rewrite '{}': {} in `{}`", state.name, rewrites[bad_row], error,
                 state.display);
  }
  return writer.Finish(std::move(validity));
}

// ---- binders -----------------------------------------------------------------------------

enum class RegexFunction : uint8_t { kMatches, kExtract, kReplace };

BoundCall BindRegex(std::vector<BoundExprPtr> args, const std::string& display,
                    std::string_view name, RegexFunction function) {
  const size_t options_index = function == RegexFunction::kMatches ? 2 : 3;
  CheckArgCount(args, function == RegexFunction::kReplace ? 3 : 2, options_index + 1, name,
                display);
  auto state = std::make_shared<RegexState>();
  state->name = std::string(name);
  state->display = display;
  for (size_t i = 0; i < args.size(); ++i) {
    if (function == RegexFunction::kExtract && i == 2) {
      args[i] = RequireInt64(std::move(args[i]), i, name, display);
      std::optional<int64_t> group = LiteralInt(*args[i]);
      if (!group || *group < 0 || *group > 1000) {
        ThrowInvalid("{}: the group must be a non-negative integer literal, not `{}`, in `{}`",
                     name, args[i]->display, display);
      }
      state->group = static_cast<int>(*group);
      continue;
    }
    args[i] = RequireString(std::move(args[i]), i, name, display);
  }
  std::string options_text;
  if (args.size() > options_index) {
    std::optional<std::string> options = LiteralString(*args[options_index]);
    if (!options) {
      ThrowUnsupported("{}: the options must be a string literal, not `{}`, in `{}`", name,
                       args[options_index]->display, display);
    }
    options_text = *options;
  }
  state->options = ParseOptions(options_text, function == RegexFunction::kReplace, name, display);
  ConstantString pattern = RequireConstantString(*args[1], "pattern", name, display);
  if (pattern.literal) state->compiled = Compile(*pattern.literal, *state);
  if (function == RegexFunction::kReplace && state->compiled != nullptr) {
    if (std::optional<std::string> rewrite = LiteralString(*args[2])) {
      std::string error;
      if (CheckRewrite(*rewrite, state->compiled->NumberOfCapturingGroups(), &error) < 0) {
        ThrowInvalid("{}: bad rewrite '{}': {} in `{}`", name, *rewrite, error, display);
      }
      state->rewrite = std::move(rewrite);
    }
  }
  if (function == RegexFunction::kExtract && state->compiled != nullptr &&
      state->group > state->compiled->NumberOfCapturingGroups()) {
    ThrowInvalid("{}: group {} does not exist: the pattern has {} group(s) in `{}`", name,
                 state->group, state->compiled->NumberOfCapturingGroups(), display);
  }
  // The options are settled: the kernels read only the first arguments.
  Kernel kernel;
  switch (function) {
    case RegexFunction::kMatches:
      kernel = [state](std::span<const Column> in, int64_t rows, MemoryPool* pool) {
        return MatchesKernel(in.first(2), rows, *state, pool);
      };
      return {Bool(), std::move(kernel), std::move(args)};
    case RegexFunction::kExtract:
      kernel = [state](std::span<const Column> in, int64_t rows, MemoryPool* pool) {
        return ExtractKernel(in.first(2), rows, *state, pool);
      };
      return {Utf8(), std::move(kernel), std::move(args)};
    case RegexFunction::kReplace:
      kernel = [state](std::span<const Column> in, int64_t rows, MemoryPool* pool) {
        return ReplaceKernel(in.first(3), rows, *state, pool);
      };
      return {Utf8(), std::move(kernel), std::move(args)};
  }
  ThrowInternal("unknown regex function {}", name);
}

}  // namespace
}  // namespace kernels

void RegisterRegexFunctions(FunctionRegistry& registry) {
  using kernels::BindRegex;
  using kernels::RegexFunction;
  registry.Add({"regexp_matches", [](std::vector<BoundExprPtr> args, const std::string& display) {
                  return BindRegex(std::move(args), display, "regexp_matches",
                                   RegexFunction::kMatches);
                }});
  registry.Add({"regexp_extract", [](std::vector<BoundExprPtr> args, const std::string& display) {
                  return BindRegex(std::move(args), display, "regexp_extract",
                                   RegexFunction::kExtract);
                }});
  registry.Add({"regexp_replace", [](std::vector<BoundExprPtr> args, const std::string& display) {
                  return BindRegex(std::move(args), display, "regexp_replace",
                                   RegexFunction::kReplace);
                }});
}

}  // namespace sluice
