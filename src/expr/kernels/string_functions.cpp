// String functions that compute or rebuild values: length octet_length lower upper substring
// replace trim ltrim rtrim concat split_part. The searching predicates (contains, starts_with,
// ends_with, like, ilike) are in string_search_functions.cpp; repeat, reverse, strpos, lpad and
// rpad in string_pad_functions.cpp.
//
// Characters are UTF-8 code points (columns hold valid UTF-8). Results are written straight into
// offsets + data buffers; rows that are null get an empty value.
#include <algorithm>
#include <cstring>
#include <limits>

#include "core/error.h"
#include "expr/kernels/string_util.h"
#include "expr/kernels/unicode_case.h"

namespace sluice {
namespace kernels {
namespace {

bool IsLeadByte(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
}

// The byte offset of character `index` (0-based) of `text`, or text.size() past the end.
size_t ByteOfChar(std::string_view text, int64_t index) {
  int64_t chars = 0;
  for (size_t pos = 0; pos < text.size(); ++pos) {
    if (IsLeadByte(text[pos]) && chars++ == index) return pos;
  }
  return text.size();
}

// ---- length, octet_length ----------------------------------------------------------------

Column LengthKernel(std::span<const Column> args, bool characters, MemoryPool* pool) {
  const Column& input = args[0];
  const int64_t n = input.length;
  Column out = AllocateFixed(Int64(), n, pool);
  int64_t* lengths = MutableValues<int64_t>(out);
  const int64_t* offsets = input.Offsets();
  const char* data = reinterpret_cast<const char*>(input.data->data());
  if (characters && input.type.id == TypeId::kUtf8 &&
      !unicode::IsAscii(data + offsets[0], offsets[n] - offsets[0])) {
    for (int64_t i = 0; i < n; ++i) {
      lengths[i] = unicode::CountCodePoints(data + offsets[i], offsets[i + 1] - offsets[i]);
    }
  } else {
    for (int64_t i = 0; i < n; ++i) lengths[i] = offsets[i + 1] - offsets[i];
  }
  out.validity = input.validity;
  out.null_count = input.null_count;
  return out;
}

BoundCall BindLength(std::vector<BoundExprPtr> args, const std::string& display,
                     std::string_view name, bool characters) {
  CheckArgCount(args, 1, 1, name, display);
  args[0] = RequireString(std::move(args[0]), 0, name, display, /*allow_binary=*/true);
  return {Int64(),
          [characters](std::span<const Column> in, int64_t, MemoryPool* pool) {
            return LengthKernel(in, characters, pool);
          },
          std::move(args)};
}

// ---- lower, upper ------------------------------------------------------------------------

Column CaseKernel(const Column& input, bool upper, MemoryPool* pool) {
  const int64_t n = input.length;
  const int64_t* offsets = input.Offsets();
  const char* data = reinterpret_cast<const char*>(input.data->data());
  const int64_t end = offsets[n];
  if (unicode::IsAscii(data + offsets[0], end - offsets[0])) {
    // Same byte lengths: share the offsets and validity, map the bytes 8 at a time.
    Column out = input;
    out.type = Utf8();
    out.data = Buffer::Make(end, pool);
    unicode::MapAsciiCase(data + offsets[0], end - offsets[0], upper,
                          reinterpret_cast<char*>(out.data->data()) + offsets[0]);
    return out;
  }
  StringColumnWriter writer(Utf8(), n, HintWithSlack(end - offsets[0]), pool);
  for (int64_t i = 0; i < n; ++i) {
    std::string_view value(data + offsets[i], static_cast<size_t>(offsets[i + 1] - offsets[i]));
    char* dst = writer.Reserve(2 * value.size());
    writer.Commit(static_cast<size_t>(unicode::MapCase(value, upper, dst)));
  }
  return writer.Finish({input.validity, input.null_count});
}

BoundCall BindCase(std::vector<BoundExprPtr> args, const std::string& display,
                   std::string_view name, bool upper) {
  CheckArgCount(args, 1, 1, name, display);
  args[0] = RequireString(std::move(args[0]), 0, name, display);
  return {Utf8(),
          [upper](std::span<const Column> in, int64_t, MemoryPool* pool) {
            return CaseKernel(in[0], upper, pool);
          },
          std::move(args)};
}

// ---- substring ---------------------------------------------------------------------------

// DuckDB's rule: a positive start counts from 1, a negative one from the end, 0 is the position
// before the first character; `length` characters are taken forward from there, or backward
// before it when negative, and the range is then clipped to the string (so substring('abcdef',
// -7, 4) is 'abc'). Computes the character range [*begin, *end) of a string of `size`
// characters; false when it is empty. Unlike DuckDB, huge starts and lengths saturate rather
// than fail.
bool SubstringRange(int64_t size, int64_t start, int64_t length, int64_t* begin, int64_t* end) {
  const int64_t anchor = start > 0 ? start - 1 : start < 0 ? size + start : -1;
  int64_t other;
  if (__builtin_add_overflow(anchor, length, &other)) {
    other = length > 0 ? std::numeric_limits<int64_t>::max() : std::numeric_limits<int64_t>::min();
  }
  const int64_t low = std::clamp<int64_t>(std::min(anchor, other), 0, size);
  const int64_t high = std::clamp<int64_t>(std::max(anchor, other), 0, size);
  *begin = low;
  *end = high;
  return low < high;
}

Column SubstringKernel(std::span<const Column> args, int64_t rows, MemoryPool* pool) {
  const int64_t n = OutputLength(args, rows);
  const DataType type = args[0].type.id == TypeId::kBinary ? Binary() : Utf8();
  Validity validity = PropagateValidity(args, n, pool);
  if (validity.null_count == n) return NullColumn(type, n, pool);
  StringArg text(args[0], n);
  FixedArg<int64_t> start(args[1], n);
  const bool has_length = args.size() > 2;
  std::optional<FixedArg<int64_t>> length;
  if (has_length) length.emplace(args[2], n);
  const Column& input = args[0];
  const int64_t* offsets = input.Offsets();
  const int64_t input_bytes = offsets[input.length] - offsets[0];
  const bool bytes_are_chars =
      type.id == TypeId::kBinary ||
      unicode::IsAscii(reinterpret_cast<const char*>(input.data->data()) + offsets[0], input_bytes);
  StringColumnWriter writer(type, n, text.is_scalar() ? 0 : input_bytes, pool);
  for (int64_t i = 0; i < n; ++i) {
    if (!IsValidRow(validity, i)) {
      writer.Append({});
      continue;
    }
    std::string_view value = text[i];
    const int64_t take = has_length ? (*length)[i] : std::numeric_limits<int64_t>::max();
    const int64_t size = bytes_are_chars ? static_cast<int64_t>(value.size())
                                         : unicode::CountCodePoints(value.data(), value.size());
    int64_t begin = 0;
    int64_t end = 0;
    if (!SubstringRange(size, start[i], take, &begin, &end)) {
      writer.Append({});
    } else if (bytes_are_chars) {
      writer.Append(value.substr(begin, end - begin));
    } else {
      size_t from = ByteOfChar(value, begin);
      std::string_view rest = value.substr(from);
      writer.Append(rest.substr(0, ByteOfChar(rest, end - begin)));
    }
  }
  return writer.Finish(std::move(validity));
}

BoundCall BindSubstring(std::vector<BoundExprPtr> args, const std::string& display) {
  CheckArgCount(args, 2, 3, "substring", display);
  args[0] = RequireString(std::move(args[0]), 0, "substring", display, /*allow_binary=*/true);
  for (size_t i = 1; i < args.size(); ++i) {
    args[i] = RequireInt64(std::move(args[i]), i, "substring", display);
  }
  DataType type = args[0]->type.id == TypeId::kBinary ? Binary() : Utf8();
  return {type, &SubstringKernel, std::move(args)};
}

// ---- replace -----------------------------------------------------------------------------

Column ReplaceKernel(std::span<const Column> args, int64_t rows, MemoryPool* pool) {
  const int64_t n = OutputLength(args, rows);
  Validity validity = PropagateValidity(args, n, pool);
  if (validity.null_count == n) return NullColumn(Utf8(), n, pool);
  StringArg text(args[0], n);
  StringArg from(args[1], n);
  StringArg to(args[2], n);
  const int64_t* offsets = args[0].Offsets();
  StringColumnWriter writer(Utf8(), n, HintWithSlack(offsets[args[0].length] - offsets[0]), pool);
  for (int64_t i = 0; i < n; ++i) {
    if (!IsValidRow(validity, i)) {
      writer.Append({});
      continue;
    }
    std::string_view value = text[i];
    std::string_view needle = from[i];
    if (needle.empty()) {  // Nothing to replace (as DuckDB and Postgres).
      writer.Append(value);
      continue;
    }
    std::string_view replacement = to[i];
    RowAppender row(writer, value.size());
    size_t pos = 0;
    while (pos + needle.size() <= value.size()) {
      const void* hit =
          memmem(value.data() + pos, value.size() - pos, needle.data(), needle.size());
      if (hit == nullptr) break;
      size_t at = static_cast<size_t>(static_cast<const char*>(hit) - value.data());
      row.Append(value.substr(pos, at - pos));
      row.Append(replacement);
      pos = at + needle.size();
    }
    row.Append(value.substr(pos));
    row.Finish();
  }
  return writer.Finish(std::move(validity));
}

BoundCall BindReplace(std::vector<BoundExprPtr> args, const std::string& display) {
  CheckArgCount(args, 3, 3, "replace", display);
  for (size_t i = 0; i < args.size(); ++i) {
    args[i] = RequireString(std::move(args[i]), i, "replace", display);
  }
  return {Utf8(), &ReplaceKernel, std::move(args)};
}

// ---- trim, ltrim, rtrim ------------------------------------------------------------------

// Unicode White_Space (what Rust's char::is_whitespace and Polars' strip_chars use).
bool IsWhitespace(uint32_t cp) {
  if (cp < 0x80) return cp == ' ' || (cp >= '\t' && cp <= '\r');
  return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
         cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

// The characters to strip: a table for ASCII, a short list for the rest.
class CharSet {
 public:
  void Reset(std::string_view chars) {
    std::memset(ascii_, 0, sizeof(ascii_));
    others_.clear();
    const auto* p = reinterpret_cast<const unsigned char*>(chars.data());
    const auto* end = p + chars.size();
    while (p < end) {
      uint32_t cp = unicode::DecodeCodePoint(p, end);
      if (cp < 0x80) {
        ascii_[cp] = true;
      } else {
        others_.push_back(cp);
      }
    }
  }
  bool Contains(uint32_t cp) const {
    if (cp < 0x80) return ascii_[cp];
    return std::find(others_.begin(), others_.end(), cp) != others_.end();
  }

 private:
  bool ascii_[128];
  std::vector<uint32_t> others_;
};

// Strips characters for which strip(cp) holds from the left and/or right of `value`.
template <typename Strip>
std::string_view TrimView(std::string_view value, bool left, bool right, Strip&& strip) {
  const auto* begin = reinterpret_cast<const unsigned char*>(value.data());
  const auto* end = begin + value.size();
  if (left) {
    while (begin < end) {
      const unsigned char* next = begin;
      if (!strip(unicode::DecodeCodePoint(next, end))) break;
      begin = next;
    }
  }
  if (right) {
    while (end > begin) {
      const unsigned char* lead = end - 1;
      while (lead > begin && (*lead & 0xC0) == 0x80) --lead;
      const unsigned char* next = lead;
      if (!strip(unicode::DecodeCodePoint(next, end))) break;
      end = lead;
    }
  }
  return {reinterpret_cast<const char*>(begin), static_cast<size_t>(end - begin)};
}

Column TrimKernel(std::span<const Column> args, int64_t rows, bool left, bool right,
                  MemoryPool* pool) {
  const int64_t n = OutputLength(args, rows);
  Validity validity = PropagateValidity(args, n, pool);
  if (validity.null_count == n) return NullColumn(Utf8(), n, pool);
  StringArg text(args[0], n);
  const int64_t* offsets = args[0].Offsets();
  StringColumnWriter writer(Utf8(), n, offsets[args[0].length] - offsets[0], pool);
  if (args.size() == 1) {
    for (int64_t i = 0; i < n; ++i) {
      writer.Append(TrimView(text[i], left, right, IsWhitespace));
    }
    return writer.Finish(std::move(validity));
  }
  StringArg chars(args[1], n);
  CharSet set;
  if (chars.is_scalar()) set.Reset(chars[0]);
  for (int64_t i = 0; i < n; ++i) {
    if (!IsValidRow(validity, i)) {
      writer.Append({});
      continue;
    }
    if (!chars.is_scalar()) set.Reset(chars[i]);
    writer.Append(TrimView(text[i], left, right, [&](uint32_t cp) { return set.Contains(cp); }));
  }
  return writer.Finish(std::move(validity));
}

BoundCall BindTrim(std::vector<BoundExprPtr> args, const std::string& display,
                   std::string_view name, bool left, bool right) {
  CheckArgCount(args, 1, 2, name, display);
  for (size_t i = 0; i < args.size(); ++i) {
    args[i] = RequireString(std::move(args[i]), i, name, display);
  }
  return {Utf8(),
          [left, right](std::span<const Column> in, int64_t rows, MemoryPool* pool) {
            return TrimKernel(in, rows, left, right, pool);
          },
          std::move(args)};
}

// ---- concat ------------------------------------------------------------------------------

Column ConcatKernel(std::span<const Column> args, int64_t rows, const DataType& type,
                    MemoryPool* pool) {
  const int64_t n = OutputLength(args, rows);
  Validity validity = PropagateValidity(args, n, pool);
  if (validity.null_count == n) return NullColumn(type, n, pool);
  std::vector<StringArg> parts;
  parts.reserve(args.size());
  int64_t bytes = 0;
  for (const Column& arg : args) {
    parts.emplace_back(arg, n);
    const int64_t* offsets = arg.Offsets();
    int64_t arg_bytes = offsets[arg.length] - offsets[0];
    bytes += parts.back().is_scalar() ? arg_bytes * n : arg_bytes;
  }
  StringColumnWriter writer(type, n, bytes, pool);
  for (int64_t i = 0; i < n; ++i) {
    if (!IsValidRow(validity, i)) {
      writer.Append({});
      continue;
    }
    size_t total = 0;
    for (const StringArg& part : parts) total += part[i].size();
    char* dst = writer.Reserve(total);
    for (const StringArg& part : parts) {
      std::string_view value = part[i];
      std::memcpy(dst, value.data(), value.size());
      dst += value.size();
    }
    writer.Commit(total);
  }
  return writer.Finish(std::move(validity));
}

// Every argument is cast to utf8 (as Polars' concat_str and SQL's ||), unless all are binary.
BoundCall BindConcat(std::vector<BoundExprPtr> args, const std::string& display) {
  CheckArgCount(args, 1, std::numeric_limits<size_t>::max(), "concat", display);
  bool all_binary = std::all_of(args.begin(), args.end(), [](const BoundExprPtr& arg) {
    return arg->type.id == TypeId::kBinary;
  });
  DataType type = all_binary ? Binary() : Utf8();
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i]->type.id == type.id) continue;
    if (args[i]->type.id == TypeId::kBinary) {
      ThrowInvalid("concat cannot mix binary and utf8 arguments (argument {} is binary) in `{}`",
                   i + 1, display);
    }
    args[i] = CastArg(std::move(args[i]), Utf8(), display);
  }
  return {type,
          [type](std::span<const Column> in, int64_t rows, MemoryPool* pool) {
            return ConcatKernel(in, rows, type, pool);
          },
          std::move(args)};
}

// ---- split_part --------------------------------------------------------------------------

// Part `index` (1-based; negative counts from the end) of `value` split at `delimiter`; an
// empty delimiter splits into characters (DuckDB's string_split). Out of range gives "".
std::string_view SplitPart(std::string_view value, std::string_view delimiter, int64_t index) {
  if (index == 0) return {};
  if (delimiter.empty()) {
    int64_t chars = unicode::CountCodePoints(value.data(), value.size());
    int64_t at = index > 0 ? index - 1 : chars + index;
    if (at < 0 || at >= chars) return {};
    size_t begin = ByteOfChar(value, at);
    std::string_view rest = value.substr(begin);
    return rest.substr(0, ByteOfChar(rest, 1));
  }
  auto find = [&](size_t from) -> size_t {
    if (from + delimiter.size() > value.size()) return std::string_view::npos;
    const void* hit =
        memmem(value.data() + from, value.size() - from, delimiter.data(), delimiter.size());
    return hit == nullptr ? std::string_view::npos
                          : static_cast<size_t>(static_cast<const char*>(hit) - value.data());
  };
  if (index < 0) {
    int64_t parts = 1;
    for (size_t at = find(0); at != std::string_view::npos; at = find(at + delimiter.size())) {
      ++parts;
    }
    index = parts + index + 1;
    if (index <= 0) return {};
  }
  size_t begin = 0;
  for (int64_t part = 1; part < index; ++part) {
    size_t at = find(begin);
    if (at == std::string_view::npos) return {};
    begin = at + delimiter.size();
  }
  size_t end = find(begin);
  return value.substr(begin, end == std::string_view::npos ? std::string_view::npos : end - begin);
}

Column SplitPartKernel(std::span<const Column> args, int64_t rows, MemoryPool* pool) {
  const int64_t n = OutputLength(args, rows);
  Validity validity = PropagateValidity(args, n, pool);
  if (validity.null_count == n) return NullColumn(Utf8(), n, pool);
  StringArg text(args[0], n);
  StringArg delimiter(args[1], n);
  FixedArg<int64_t> index(args[2], n);
  StringColumnWriter writer(Utf8(), n, 0, pool);
  for (int64_t i = 0; i < n; ++i) {
    writer.Append(IsValidRow(validity, i) ? SplitPart(text[i], delimiter[i], index[i])
                                          : std::string_view{});
  }
  return writer.Finish(std::move(validity));
}

BoundCall BindSplitPart(std::vector<BoundExprPtr> args, const std::string& display) {
  CheckArgCount(args, 3, 3, "split_part", display);
  args[0] = RequireString(std::move(args[0]), 0, "split_part", display);
  args[1] = RequireString(std::move(args[1]), 1, "split_part", display);
  args[2] = RequireInt64(std::move(args[2]), 2, "split_part", display);
  return {Utf8(), &SplitPartKernel, std::move(args)};
}

}  // namespace
}  // namespace kernels

void RegisterStringFunctions(FunctionRegistry& registry) {
  using namespace kernels;  // NOLINT: the binders of this file.
  registry.Add({"length", [](std::vector<BoundExprPtr> args, const std::string& display) {
                  return BindLength(std::move(args), display, "length", true);
                }});
  registry.Add({"octet_length", [](std::vector<BoundExprPtr> args, const std::string& display) {
                  return BindLength(std::move(args), display, "octet_length", false);
                }});
  registry.Add({"lower", [](std::vector<BoundExprPtr> args, const std::string& display) {
                  return BindCase(std::move(args), display, "lower", false);
                }});
  registry.Add({"upper", [](std::vector<BoundExprPtr> args, const std::string& display) {
                  return BindCase(std::move(args), display, "upper", true);
                }});
  registry.Add({"substring", &BindSubstring});
  registry.Add({"replace", &BindReplace});
  registry.Add({"trim", [](std::vector<BoundExprPtr> args, const std::string& display) {
                  return BindTrim(std::move(args), display, "trim", true, true);
                }});
  registry.Add({"ltrim", [](std::vector<BoundExprPtr> args, const std::string& display) {
                  return BindTrim(std::move(args), display, "ltrim", true, false);
                }});
  registry.Add({"rtrim", [](std::vector<BoundExprPtr> args, const std::string& display) {
                  return BindTrim(std::move(args), display, "rtrim", false, true);
                }});
  registry.Add({"concat", &BindConcat});
  registry.Add({"split_part", &BindSplitPart});
  RegisterStringSearchFunctions(registry);
  RegisterStringPadFunctions(registry);
}

}  // namespace sluice
