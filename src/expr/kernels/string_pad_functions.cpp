// String functions that repeat, reverse, pad or locate: repeat(s, n), reverse(s), lpad(s, n,
// fill), rpad(s, n, fill) and strpos(s, sub), with DuckDB's results.
//
// Characters are UTF-8 code points: reverse reverses code points, lpad/rpad count and cut
// characters, strpos returns a 1-based character position (0 when absent, 1 for an empty
// needle). repeat and pads with n <= 0 give ''. Padding a string with an empty fill is an error
// (as DuckDB), as is a repeat whose result would exceed kMaxResultBytes.
#include <algorithm>
#include <cstring>
#include <limits>

#include "core/error.h"
#include "expr/kernels/string_util.h"
#include "expr/kernels/unicode_case.h"

namespace sluice {
namespace kernels {
namespace {

// A single value larger than this is surely a mistake (repeat('x', 1e12)); fail rather than
// exhaust memory.
constexpr int64_t kMaxResultBytes = int64_t{1} << 30;

bool IsLeadByte(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
}

// The byte offset of character `index` (0-based) of `text`, or text.size() past the end.
size_t ByteOfChar(std::string_view text, int64_t index, bool ascii) {
  if (ascii) return static_cast<size_t>(std::min<int64_t>(index, text.size()));
  int64_t chars = 0;
  for (size_t pos = 0; pos < text.size(); ++pos) {
    if (IsLeadByte(text[pos]) && chars++ == index) return pos;
  }
  return text.size();
}

int64_t CharCount(std::string_view text, bool ascii) {
  return ascii ? static_cast<int64_t>(text.size())
               : unicode::CountCodePoints(text.data(), static_cast<int64_t>(text.size()));
}

// True when the bytes of a string column's rows are all ASCII (bytes are then characters).
bool ColumnIsAscii(const Column& column) {
  const int64_t* offsets = column.Offsets();
  const char* data =
      column.data->data() != nullptr ? reinterpret_cast<const char*>(column.data->data()) : "";
  return unicode::IsAscii(data + offsets[0], offsets[column.length] - offsets[0]);
}

int64_t ColumnBytes(const Column& column) {
  const int64_t* offsets = column.Offsets();
  return offsets[column.length] - offsets[0];
}

// ---- repeat ------------------------------------------------------------------------------

Column RepeatKernel(std::span<const Column> args, int64_t rows, MemoryPool* pool) {
  const int64_t n = OutputLength(args, rows);
  Validity validity = PropagateValidity(args, n, pool);
  if (validity.null_count == n) return NullColumn(Utf8(), n, pool);
  StringArg text(args[0], n);
  FixedArg<int64_t> count(args[1], n);
  StringColumnWriter writer(Utf8(), n, 0, pool);
  int64_t failed = -1;
  for (int64_t i = 0; i < n; ++i) {
    std::string_view value = text[i];
    const int64_t times = count[i];
    if (!IsValidRow(validity, i) || times <= 0 || value.empty()) {
      writer.Append({});
      continue;
    }
    if (times > kMaxResultBytes / static_cast<int64_t>(value.size())) {
      if (failed < 0) failed = i;
      writer.Append({});
      continue;
    }
    const size_t total = value.size() * static_cast<size_t>(times);
    char* dst = writer.Reserve(total);
    for (int64_t t = 0; t < times; ++t)
      std::memcpy(dst + t * value.size(), value.data(), value.size());
    writer.Commit(total);
  }
  if (failed >= 0) {
    ThrowInvalid("repeat: the result of repeating a {}-byte string {} times is too large",
                 text[failed].size(), count[failed]);
  }
  return writer.Finish(std::move(validity));
}

BoundCall BindRepeat(std::vector<BoundExprPtr> args, const std::string& display) {
  CheckArgCount(args, 2, 2, "repeat", display);
  args[0] = RequireString(std::move(args[0]), 0, "repeat", display);
  args[1] = RequireInt64(std::move(args[1]), 1, "repeat", display);
  return {Utf8(), &RepeatKernel, std::move(args)};
}

// ---- reverse -----------------------------------------------------------------------------

Column ReverseKernel(std::span<const Column> args, int64_t rows, MemoryPool* pool) {
  const Column& input = args[0];
  const int64_t n = input.length;
  (void)rows;
  const bool ascii = ColumnIsAscii(input);
  StringArg text(input, n);
  StringColumnWriter writer(Utf8(), n, ColumnBytes(input), pool);
  for (int64_t i = 0; i < n; ++i) {
    std::string_view value = text[i];
    char* dst = writer.Reserve(value.size());
    if (ascii) {
      std::reverse_copy(value.begin(), value.end(), dst);
    } else {
      // Copy each code point (lead byte and its continuation bytes) to the mirrored place.
      size_t end = value.size();
      size_t out = 0;
      while (end > 0) {
        size_t lead = end - 1;
        while (lead > 0 && !IsLeadByte(value[lead])) --lead;
        std::memcpy(dst + out, value.data() + lead, end - lead);
        out += end - lead;
        end = lead;
      }
    }
    writer.Commit(value.size());
  }
  return writer.Finish({input.validity, input.null_count});
}

BoundCall BindReverse(std::vector<BoundExprPtr> args, const std::string& display) {
  CheckArgCount(args, 1, 1, "reverse", display);
  args[0] = RequireString(std::move(args[0]), 0, "reverse", display);
  return {Utf8(), &ReverseKernel, std::move(args)};
}

// ---- strpos ------------------------------------------------------------------------------

Column StrposKernel(std::span<const Column> args, int64_t rows, MemoryPool* pool) {
  const int64_t n = OutputLength(args, rows);
  Validity validity = PropagateValidity(args, n, pool);
  StringArg text(args[0], n);
  StringArg needle(args[1], n);
  const bool ascii = ColumnIsAscii(args[0]);
  Column out = AllocateFixed(Int64(), n, pool);
  int64_t* positions = MutableValues<int64_t>(out);
  for (int64_t i = 0; i < n; ++i) {
    std::string_view value = text[i];
    std::string_view sub = needle[i];
    if (sub.empty()) {
      positions[i] = 1;
      continue;
    }
    const void* hit = sub.size() > value.size()
                          ? nullptr
                          : memmem(value.data(), value.size(), sub.data(), sub.size());
    if (hit == nullptr) {
      positions[i] = 0;
      continue;
    }
    const size_t at = static_cast<size_t>(static_cast<const char*>(hit) - value.data());
    positions[i] = CharCount(value.substr(0, at), ascii) + 1;
  }
  SetValidity(out, std::move(validity));
  return out;
}

BoundCall BindStrpos(std::vector<BoundExprPtr> args, const std::string& display) {
  CheckArgCount(args, 2, 2, "strpos", display);
  args[0] = RequireString(std::move(args[0]), 0, "strpos", display);
  args[1] = RequireString(std::move(args[1]), 1, "strpos", display);
  return {Int64(), &StrposKernel, std::move(args)};
}

// ---- lpad, rpad --------------------------------------------------------------------------

// Appends the first `chars` characters of `fill` repeated.
void AppendFill(RowAppender& row, std::string_view fill, int64_t chars, bool fill_ascii) {
  const int64_t fill_chars = CharCount(fill, fill_ascii);
  for (; chars >= fill_chars; chars -= fill_chars) row.Append(fill);
  row.Append(fill.substr(0, ByteOfChar(fill, chars, fill_ascii)));
}

Column PadKernel(std::span<const Column> args, int64_t rows, bool left, MemoryPool* pool) {
  const int64_t n = OutputLength(args, rows);
  Validity validity = PropagateValidity(args, n, pool);
  if (validity.null_count == n) return NullColumn(Utf8(), n, pool);
  StringArg text(args[0], n);
  FixedArg<int64_t> width(args[1], n);
  const bool has_fill = args.size() > 2;
  std::optional<StringArg> fill;
  if (has_fill) fill.emplace(args[2], n);
  const bool ascii = ColumnIsAscii(args[0]);
  const bool fill_ascii = !has_fill || ColumnIsAscii(args[2]);
  StringColumnWriter writer(Utf8(), n, ColumnBytes(args[0]), pool);
  int64_t failed = -1;
  for (int64_t i = 0; i < n; ++i) {
    const int64_t target = width[i];
    if (!IsValidRow(validity, i) || target <= 0) {
      writer.Append({});
      continue;
    }
    std::string_view value = text[i];
    const int64_t chars = CharCount(value, ascii);
    if (chars >= target) {  // Cut to `target` characters, from the left for both.
      writer.Append(value.substr(0, ByteOfChar(value, target, ascii)));
      continue;
    }
    std::string_view pad = has_fill ? (*fill)[i] : std::string_view(" ");
    if (pad.empty() || target > kMaxResultBytes) {
      if (failed < 0) failed = i;
      writer.Append({});
      continue;
    }
    RowAppender row(writer, value.size() + static_cast<size_t>(target - chars));
    if (!left) row.Append(value);
    AppendFill(row, pad, target - chars, fill_ascii);
    if (left) row.Append(value);
    row.Finish();
  }
  if (failed >= 0) {
    if (width[failed] > kMaxResultBytes)
      ThrowInvalid("{}: the length {} is too large", left ? "lpad" : "rpad", width[failed]);
    ThrowInvalid("{}: cannot pad '{}' to {} characters with an empty string",
                 left ? "lpad" : "rpad", text[failed], width[failed]);
  }
  return writer.Finish(std::move(validity));
}

BoundCall BindPad(std::vector<BoundExprPtr> args, const std::string& display, std::string_view name,
                  bool left) {
  CheckArgCount(args, 2, 3, name, display);
  args[0] = RequireString(std::move(args[0]), 0, name, display);
  args[1] = RequireInt64(std::move(args[1]), 1, name, display);
  if (args.size() > 2) args[2] = RequireString(std::move(args[2]), 2, name, display);
  return {Utf8(),
          [left](std::span<const Column> in, int64_t rows, MemoryPool* pool) {
            return PadKernel(in, rows, left, pool);
          },
          std::move(args)};
}

}  // namespace

void RegisterStringPadFunctions(FunctionRegistry& registry) {
  registry.Add({"repeat", &BindRepeat});
  registry.Add({"reverse", &BindReverse});
  registry.Add({"strpos", &BindStrpos});
  registry.Add({"lpad", [](std::vector<BoundExprPtr> args, const std::string& display) {
                  return BindPad(std::move(args), display, "lpad", true);
                }});
  registry.Add({"rpad", [](std::vector<BoundExprPtr> args, const std::string& display) {
                  return BindPad(std::move(args), display, "rpad", false);
                }});
}

}  // namespace kernels
}  // namespace sluice
