// strptime(s, format [, type]) and try_strptime: text to date32 or timestamp by a strftime-style
// format (temporal_format.h lists the specifiers). `type` is a literal type name: "date" (or
// "date32"), "timestamp" (the default, timestamp[us]), "timestamp[ms]", "timestamp[ns, UTC]", ...
// Fields the format lacks default to 1900-01-01 00:00:00 (as DuckDB and C); a %z offset is
// converted to UTC; %p with %I gives the 12-hour clock. Trailing whitespace is allowed, other
// trailing text is not. strptime fails on the first value that does not parse, naming it, the
// format and why; try_strptime gives null instead.
#include <cctype>

#include "core/error.h"
#include "expr/kernels/string_util.h"
#include "expr/kernels/temporal_format.h"
#include "expr/kernels/temporal_util.h"

namespace sluice::kernels {
namespace {

struct Fields {
  int64_t year = 1900;
  int64_t month = 1;
  int64_t day = 1;
  int64_t day_of_year = 0;  ///< 0: not given.
  int64_t hour = 0;
  int64_t minute = 0;
  int64_t second = 0;
  int64_t nanos = 0;
  bool hour12 = false;
  int pm = -1;  ///< -1: no %p; 0: AM; 1: PM.
  int64_t offset_seconds = 0;
  bool has_epoch = false;
  int64_t epoch = 0;
};

/// Why a value did not parse (kNone: it did).
enum class Failure : uint8_t { kNone, kMismatch, kTrailing, kOutOfRange };

struct ParseResult {
  Failure failure = Failure::kNone;
  size_t op = 0;        ///< kMismatch: the format operation that did not match.
  size_t position = 0;  ///< kMismatch, kTrailing: the byte offset in the value.
};

bool IsSpace(char c) {
  return c == ' ' || (c >= '\t' && c <= '\r');
}
bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

void SkipSpaces(std::string_view text, size_t* pos) {
  while (*pos < text.size() && IsSpace(text[*pos])) ++*pos;
}

// Reads 1..max_digits digits (after optional whitespace).
bool ReadNumber(std::string_view text, size_t* pos, size_t max_digits, int64_t* value) {
  size_t p = *pos;
  SkipSpaces(text, &p);
  const size_t start = p;
  int64_t v = 0;
  while (p < text.size() && p - start < max_digits && IsDigit(text[p]))
    v = v * 10 + (text[p++] - '0');
  if (p == start) return false;
  *pos = p;
  *value = v;
  return true;
}

bool ReadSignedNumber(std::string_view text, size_t* pos, size_t max_digits, int64_t* value) {
  size_t p = *pos;
  SkipSpaces(text, &p);
  bool negative = p < text.size() && text[p] == '-';
  if (p < text.size() && (text[p] == '-' || text[p] == '+')) ++p;
  if (!ReadNumber(text, &p, max_digits, value)) return false;
  if (negative) *value = -*value;
  *pos = p;
  return true;
}

// Reads 1..max_digits fraction digits as nanoseconds ("5" -> 500'000'000).
bool ReadFraction(std::string_view text, size_t* pos, size_t max_digits, int64_t* nanos) {
  size_t p = *pos;
  int64_t v = 0;
  size_t digits = 0;
  while (p < text.size() && digits < max_digits && IsDigit(text[p])) {
    v = v * 10 + (text[p++] - '0');
    ++digits;
  }
  if (digits == 0) return false;
  for (size_t i = digits; i < 9; ++i) v *= 10;
  *pos = p;
  *nanos = v;
  return true;
}

bool MatchesIgnoringCase(std::string_view text, size_t pos, std::string_view word) {
  if (text.size() - pos < word.size()) return false;
  for (size_t i = 0; i < word.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[pos + i])) !=
        std::tolower(static_cast<unsigned char>(word[i]))) {
      return false;
    }
  }
  return true;
}

// Reads a full or 3-letter name of `names`, in any case; sets its index.
template <size_t N>
bool ReadName(std::string_view text, size_t* pos, const std::string_view (&names)[N],
              int64_t* index) {
  for (size_t abbreviated = 0; abbreviated < 2; ++abbreviated) {
    for (size_t i = 0; i < N; ++i) {
      std::string_view name = abbreviated ? names[i].substr(0, 3) : names[i];
      if (MatchesIgnoringCase(text, *pos, name)) {
        *pos += name.size();
        *index = static_cast<int64_t>(i);
        return true;
      }
    }
  }
  return false;
}

bool IsNumericSpec(FormatSpec spec) {
  return spec != FormatSpec::kLiteral && spec != FormatSpec::kAmPm &&
         spec != FormatSpec::kDayAbbrev && spec != FormatSpec::kDayName &&
         spec != FormatSpec::kMonthAbbrev && spec != FormatSpec::kMonthName &&
         spec != FormatSpec::kZoneOffset && spec != FormatSpec::kZoneName;
}

// Reads `+HH`, `+HHMM`, `+HH:MM` (or `-`), or `Z`.
bool ReadOffset(std::string_view text, size_t* pos, int64_t* seconds) {
  size_t p = *pos;
  if (p < text.size() && (text[p] == 'Z' || text[p] == 'z')) {
    *seconds = 0;
    *pos = p + 1;
    return true;
  }
  if (p >= text.size() || (text[p] != '+' && text[p] != '-')) return false;
  const int64_t sign = text[p++] == '-' ? -1 : 1;
  int64_t hours = 0;
  int64_t minutes = 0;
  size_t start = p;
  if (!ReadNumber(text, &p, 2, &hours) || p - start != 2) return false;
  if (p < text.size() && text[p] == ':') ++p;
  start = p;
  if (p < text.size() && IsDigit(text[p]) &&
      (!ReadNumber(text, &p, 2, &minutes) || p - start != 2)) {
    return false;
  }
  if (hours > 23 || minutes > 59) return false;
  *seconds = sign * (hours * 3600 + minutes * 60);
  *pos = p;
  return true;
}

// Matches one operation at text[*pos], filling `fields`.
bool ParseOp(const CompiledFormat& format, size_t index, std::string_view text, size_t* pos,
             Fields* fields) {
  const FormatOp& op = format.ops[index];
  int64_t ignored = 0;
  switch (op.spec) {
    case FormatSpec::kLiteral:
      for (char c : format.Literal(op)) {
        if (IsSpace(c)) {
          SkipSpaces(text, pos);
        } else if (*pos < text.size() && text[*pos] == c) {
          ++*pos;
        } else {
          return false;
        }
      }
      return true;
    case FormatSpec::kYear: {
      // Digits run on in "%Y%m%d": then a year has 4 digits.
      const bool packed =
          index + 1 < format.ops.size() && IsNumericSpec(format.ops[index + 1].spec);
      return ReadSignedNumber(text, pos, packed ? 4 : 9, &fields->year);
    }
    case FormatSpec::kYear2:
    case FormatSpec::kYear2NoPad:
      if (!ReadNumber(text, pos, 2, &fields->year)) return false;
      fields->year += fields->year < 69 ? 2000 : 1900;  // POSIX: 69-99 -> 19xx, 00-68 -> 20xx.
      return true;
    case FormatSpec::kMonth:
    case FormatSpec::kMonthNoPad: return ReadNumber(text, pos, 2, &fields->month);
    case FormatSpec::kDay:
    case FormatSpec::kDayNoPad:
    case FormatSpec::kDaySpace: return ReadNumber(text, pos, 2, &fields->day);
    case FormatSpec::kDayOfYear:
    case FormatSpec::kDayOfYearNoPad:
      return ReadNumber(text, pos, 3, &fields->day_of_year) && fields->day_of_year > 0;
    case FormatSpec::kHour:
    case FormatSpec::kHourNoPad: return ReadNumber(text, pos, 2, &fields->hour);
    case FormatSpec::kHour12:
    case FormatSpec::kHour12NoPad:
      fields->hour12 = true;
      return ReadNumber(text, pos, 2, &fields->hour);
    case FormatSpec::kAmPm:
      SkipSpaces(text, pos);
      if (MatchesIgnoringCase(text, *pos, "AM") || MatchesIgnoringCase(text, *pos, "PM")) {
        fields->pm = std::tolower(static_cast<unsigned char>(text[*pos])) == 'p';
        *pos += 2;
        return true;
      }
      return false;
    case FormatSpec::kMinute:
    case FormatSpec::kMinuteNoPad: return ReadNumber(text, pos, 2, &fields->minute);
    case FormatSpec::kSecond:
    case FormatSpec::kSecondNoPad: return ReadNumber(text, pos, 2, &fields->second);
    case FormatSpec::kMicros: return ReadFraction(text, pos, 6, &fields->nanos);
    case FormatSpec::kMillis: return ReadFraction(text, pos, 3, &fields->nanos);
    case FormatSpec::kNanos: return ReadFraction(text, pos, 9, &fields->nanos);
    case FormatSpec::kDayAbbrev:
    case FormatSpec::kDayName: return ReadName(text, pos, kDayNames, &ignored);
    case FormatSpec::kMonthAbbrev:
    case FormatSpec::kMonthName:
      if (!ReadName(text, pos, kMonthNames, &fields->month)) return false;
      ++fields->month;
      return true;
    case FormatSpec::kIsoWeekday:
    case FormatSpec::kWeekday0: return ReadNumber(text, pos, 1, &ignored);
    case FormatSpec::kZoneOffset: return ReadOffset(text, pos, &fields->offset_seconds);
    case FormatSpec::kZoneName:
      for (std::string_view zone : {"UTC", "GMT", "Etc/UTC", "Z"}) {
        if (MatchesIgnoringCase(text, *pos, zone)) {
          *pos += zone.size();
          return true;
        }
      }
      return false;  // Other zones would need a time-zone database.
    case FormatSpec::kEpochSeconds:
      fields->has_epoch = true;
      return ReadSignedNumber(text, pos, 18, &fields->epoch);
    case FormatSpec::kIsoYear:
    case FormatSpec::kIsoWeek:
    case FormatSpec::kWeekSunday:
    case FormatSpec::kWeekMonday: return false;  // CompileFormat rejects them for parsing.
  }
  return false;
}

// Parses `text` and computes days (date) or the value in `unit`s (timestamp).
ParseResult ParseValue(std::string_view text, const CompiledFormat& format, const DataType& type,
                       int64_t* result) {
  Fields fields;
  size_t pos = 0;
  for (size_t i = 0; i < format.ops.size(); ++i) {
    if (!ParseOp(format, i, text, &pos, &fields)) return {Failure::kMismatch, i, pos};
  }
  SkipSpaces(text, &pos);
  if (pos != text.size()) return {Failure::kTrailing, 0, pos};

  const int64_t per_second = UnitsPerSecond(type.unit);
  if (fields.has_epoch) {
    int64_t seconds = fields.epoch;
    if (type.id == TypeId::kDate32) {
      *result = FloorDiv(seconds, 86400);
      return {*result < INT32_MIN || *result > INT32_MAX ? Failure::kOutOfRange : Failure::kNone};
    }
    if (__builtin_mul_overflow(seconds, per_second, result) ||
        __builtin_add_overflow(*result, fields.nanos / (1'000'000'000 / per_second), result)) {
      return {Failure::kOutOfRange};
    }
    return {};
  }
  if (fields.hour12) {
    if (fields.hour < 1 || fields.hour > 12) return {Failure::kOutOfRange};
    fields.hour = fields.hour % 12 + (fields.pm == 1 ? 12 : 0);
  } else if (fields.pm == 1 && fields.hour < 12) {
    fields.hour += 12;
  }
  if (fields.month < 1 || fields.month > 12 || fields.hour > 23 || fields.minute > 59 ||
      fields.second > 59) {
    return {Failure::kOutOfRange};
  }
  int64_t days;
  if (fields.day_of_year > 0) {
    if (fields.day_of_year > (IsLeapYear(fields.year) ? 366 : 365)) return {Failure::kOutOfRange};
    days = DaysFromCivil(fields.year, 1, 1) + fields.day_of_year - 1;
  } else {
    if (fields.day < 1 ||
        fields.day > DaysInMonth(fields.year, static_cast<unsigned>(fields.month))) {
      return {Failure::kOutOfRange};
    }
    days = DaysFromCivil(fields.year, static_cast<unsigned>(fields.month),
                         static_cast<unsigned>(fields.day));
  }
  if (type.id == TypeId::kDate32) {
    *result = days;
    return {days < INT32_MIN || days > INT32_MAX ? Failure::kOutOfRange : Failure::kNone};
  }
  const int64_t seconds = days * 86400 + fields.hour * 3600 + fields.minute * 60 + fields.second -
                          fields.offset_seconds;
  if (__builtin_mul_overflow(seconds, per_second, result) ||
      __builtin_add_overflow(*result, fields.nanos / (1'000'000'000 / per_second), result)) {
    return {Failure::kOutOfRange};
  }
  return {};
}

std::string Explain(const ParseResult& result, std::string_view text, const CompiledFormat& format,
                    const DataType& type) {
  switch (result.failure) {
    case Failure::kMismatch: {
      const FormatOp& op = format.ops[result.op];
      std::string expected = op.spec == FormatSpec::kLiteral
                                 ? fmt::format("'{}'", format.Literal(op))
                                 : fmt::format("%{}", op.letter);
      return fmt::format("{} does not match at character {}", expected, result.position + 1);
    }
    case Failure::kTrailing:
      return fmt::format("unexpected '{}' after the format", text.substr(result.position));
    case Failure::kOutOfRange:
      return fmt::format("no such date or time, or out of the range of {}", type.ToString());
    case Failure::kNone: break;
  }
  return "";
}

// Reads the type-name argument: "date", "date32", "timestamp", "timestamp[ms]",
// "timestamp[us, UTC]", "timestamp_ns", "timestamptz".
std::optional<DataType> ParseTypeName(std::string_view name) {
  std::string lower(name);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "date" || lower == "date32") return Date32();
  if (lower == "timestamp" || lower == "datetime") return Timestamp(TimeUnit::kMicro);
  if (lower == "timestamptz") return Timestamp(TimeUnit::kMicro, "UTC");
  if (lower == "timestamp_s") return Timestamp(TimeUnit::kSecond);
  if (lower == "timestamp_ms") return Timestamp(TimeUnit::kMilli);
  if (lower == "timestamp_ns") return Timestamp(TimeUnit::kNano);
  if (!lower.starts_with("timestamp[") || !lower.ends_with("]")) return std::nullopt;
  std::string_view inside(name);
  inside = inside.substr(10, inside.size() - 11);
  std::string_view unit = inside.substr(0, inside.find(','));
  std::string zone;
  if (unit.size() < inside.size()) {
    std::string_view rest = inside.substr(unit.size() + 1);
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    zone = std::string(rest);
  }
  for (TimeUnit u : {TimeUnit::kSecond, TimeUnit::kMilli, TimeUnit::kMicro, TimeUnit::kNano}) {
    if (unit == TimeUnitName(u)) return Timestamp(u, zone);
  }
  return std::nullopt;
}

struct StrptimeState {
  std::string name;
  std::string display;
  DataType type;
  bool try_parse = false;
  std::shared_ptr<const CompiledFormat> compiled;  ///< Set when the format is a literal.
};

Column StrptimeKernel(std::span<const Column> args, int64_t rows, const StrptimeState& state,
                      MemoryPool* pool) {
  const int64_t n = OutputLength(args, rows);
  Validity validity = PropagateValidity(args, n, pool);
  if (validity.null_count == n) return NullColumn(state.type, n, pool);
  std::shared_ptr<const CompiledFormat> format = state.compiled;
  if (format == nullptr) {
    format = CompileFormatOrThrow(args[1].StringAt(0), true, state.name, state.display);
  }
  StringArg text(args[0], n);
  Column out = AllocateFixed(state.type, n, pool);
  // Values that do not parse: null for try_strptime (cleared in a bitmap of our own).
  std::shared_ptr<Buffer> bitmap = MakeBitmap(n, true, pool);
  uint8_t* valid = bitmap->data();
  if (validity.bitmap != nullptr) {
    std::memcpy(valid, validity.bitmap->data(), static_cast<size_t>(bits::BytesFor(n)));
  }
  const bool is_date = state.type.id == TypeId::kDate32;
  int32_t* dates = is_date ? MutableValues<int32_t>(out) : nullptr;
  int64_t* stamps = is_date ? nullptr : MutableValues<int64_t>(out);
  int64_t bad_row = -1;
  ParseResult bad;
  for (int64_t i = 0; i < n; ++i) {
    int64_t value = 0;
    if (bits::Get(valid, i)) {
      ParseResult result = ParseValue(text[i], *format, state.type, &value);
      if (result.failure != Failure::kNone) {
        bits::Clear(valid, i);
        if (bad_row < 0) {
          bad_row = i;
          bad = result;
        }
        value = 0;
      }
    }
    if (is_date) {
      dates[i] = static_cast<int32_t>(value);
    } else {
      stamps[i] = value;
    }
  }
  if (bad_row >= 0 && !state.try_parse) {
    ThrowInvalid("{}: cannot parse '{}' with format '{}': {} in `{}`", state.name, text[bad_row],
                 format->text, Explain(bad, text[bad_row], *format, state.type), state.display);
  }
  SetValidity(out, MakeValidity(std::move(bitmap), n));
  return out;
}

}  // namespace

BoundCall BindStrptime(std::vector<BoundExprPtr> args, const std::string& display, bool try_parse) {
  const std::string name = try_parse ? "try_strptime" : "strptime";
  CheckArgCount(args, 2, 3, name, display);
  args[0] = RequireString(std::move(args[0]), 0, name, display);
  args[1] = RequireString(std::move(args[1]), 1, name, display);
  auto state = std::make_shared<StrptimeState>();
  state->name = name;
  state->display = display;
  state->try_parse = try_parse;
  state->type = Timestamp(TimeUnit::kMicro);
  if (args.size() == 3) {
    std::optional<std::string> type_name =
        args[2]->type.id == TypeId::kUtf8 ? LiteralString(*args[2]) : std::nullopt;
    std::optional<DataType> type = type_name ? ParseTypeName(*type_name) : std::nullopt;
    if (!type) {
      ThrowInvalid(
          "{}: the type must be the literal 'date' or 'timestamp' (or timestamp[ms], "
          "timestamp[ns, UTC], ...), not `{}`, in `{}`",
          name, args[2]->display, display);
    }
    state->type = *type;
    args.pop_back();  // Settled: the kernel reads the text and the format.
  }
  ConstantString format = RequireConstantString(*args[1], "format", name, display);
  if (format.literal) state->compiled = CompileFormatOrThrow(*format.literal, true, name, display);
  DataType type = state->type;
  return {type,
          [state](std::span<const Column> in, int64_t rows, MemoryPool* pool) {
            return StrptimeKernel(in, rows, *state, pool);
          },
          std::move(args)};
}

}  // namespace sluice::kernels
