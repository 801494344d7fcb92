// Compiling strftime/strptime formats, and strftime(t, format): a formatter of its own (not the
// C library's strftime) that writes each value straight into the result's bytes, handles years
// before 1970 and before year 0, and reads a zoned timestamp in UTC.
#include "expr/kernels/temporal_format.h"

#include <fmt/format.h>

#include <cstring>

#include "core/error.h"
#include "expr/kernels/string_util.h"
#include "expr/kernels/temporal_util.h"

namespace sluice::kernels {
namespace {

struct SpecInfo {
  char letter;
  FormatSpec padded;
  FormatSpec unpadded;  ///< The %-x form; kLiteral when there is none.
  uint8_t max_size;
  bool parsable;
};

constexpr SpecInfo kSpecs[] = {
    {'Y', FormatSpec::kYear, FormatSpec::kLiteral, 20, true},
    {'y', FormatSpec::kYear2, FormatSpec::kYear2NoPad, 2, true},
    {'G', FormatSpec::kIsoYear, FormatSpec::kLiteral, 20, false},
    {'m', FormatSpec::kMonth, FormatSpec::kMonthNoPad, 2, true},
    {'d', FormatSpec::kDay, FormatSpec::kDayNoPad, 2, true},
    {'e', FormatSpec::kDaySpace, FormatSpec::kDayNoPad, 2, true},
    {'j', FormatSpec::kDayOfYear, FormatSpec::kDayOfYearNoPad, 3, true},
    {'H', FormatSpec::kHour, FormatSpec::kHourNoPad, 2, true},
    {'I', FormatSpec::kHour12, FormatSpec::kHour12NoPad, 2, true},
    {'p', FormatSpec::kAmPm, FormatSpec::kLiteral, 2, true},
    {'M', FormatSpec::kMinute, FormatSpec::kMinuteNoPad, 2, true},
    {'S', FormatSpec::kSecond, FormatSpec::kSecondNoPad, 2, true},
    {'f', FormatSpec::kMicros, FormatSpec::kLiteral, 6, true},
    {'g', FormatSpec::kMillis, FormatSpec::kLiteral, 3, true},
    {'n', FormatSpec::kNanos, FormatSpec::kLiteral, 9, true},
    {'a', FormatSpec::kDayAbbrev, FormatSpec::kLiteral, 3, true},
    {'A', FormatSpec::kDayName, FormatSpec::kLiteral, 9, true},
    {'b', FormatSpec::kMonthAbbrev, FormatSpec::kLiteral, 3, true},
    {'h', FormatSpec::kMonthAbbrev, FormatSpec::kLiteral, 3, true},
    {'B', FormatSpec::kMonthName, FormatSpec::kLiteral, 9, true},
    {'u', FormatSpec::kIsoWeekday, FormatSpec::kLiteral, 1, true},
    {'w', FormatSpec::kWeekday0, FormatSpec::kLiteral, 1, true},
    {'V', FormatSpec::kIsoWeek, FormatSpec::kLiteral, 2, false},
    {'U', FormatSpec::kWeekSunday, FormatSpec::kLiteral, 2, false},
    {'W', FormatSpec::kWeekMonday, FormatSpec::kLiteral, 2, false},
    {'z', FormatSpec::kZoneOffset, FormatSpec::kLiteral, 5, true},
    {'Z', FormatSpec::kZoneName, FormatSpec::kLiteral, 0, true},
    {'s', FormatSpec::kEpochSeconds, FormatSpec::kLiteral, 20, true},
};

// The composite specifiers, as the formats they stand for.
std::string_view Composite(char letter) {
  switch (letter) {
    case 'F': return "%Y-%m-%d";
    case 'T': return "%H:%M:%S";
    case 'D': return "%m/%d/%y";
    case 'R': return "%H:%M";
    case 'c': return "%Y-%m-%d %H:%M:%S";
    case 'x': return "%Y-%m-%d";
    case 'X': return "%H:%M:%S";
    default: return {};
  }
}

void AddLiteral(CompiledFormat* out, std::string_view text) {
  if (!out->ops.empty() && out->ops.back().spec == FormatSpec::kLiteral) {
    out->ops.back().size += static_cast<uint32_t>(text.size());
  } else {
    out->ops.push_back({FormatSpec::kLiteral, static_cast<uint32_t>(out->literals.size()),
                        static_cast<uint32_t>(text.size())});
  }
  out->literals.append(text);
  out->max_size += text.size();
}

bool CompileInto(std::string_view format, bool for_parsing, CompiledFormat* out,
                 std::string* error) {
  for (size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%') {
      AddLiteral(out, format.substr(i, 1));
      continue;
    }
    if (++i == format.size()) {
      *error = "the format ends with a lone '%'";
      return false;
    }
    bool unpadded = format[i] == '-';
    if (unpadded && ++i == format.size()) {
      *error = "the format ends with '%-'";
      return false;
    }
    const char letter = format[i];
    if (letter == '%' && !unpadded) {
      AddLiteral(out, "%");
      continue;
    }
    if (std::string_view composite = Composite(letter); !composite.empty() && !unpadded) {
      if (!CompileInto(composite, for_parsing, out, error)) return false;
      continue;
    }
    const SpecInfo* info = nullptr;
    for (const SpecInfo& spec : kSpecs) {
      if (spec.letter == letter) info = &spec;
    }
    if (info == nullptr || (unpadded && info->unpadded == FormatSpec::kLiteral)) {
      *error = fmt::format("unknown specifier %{}{}", unpadded ? "-" : "", letter);
      return false;
    }
    if (for_parsing && !info->parsable) {
      *error = fmt::format("%{} can be formatted but not parsed", letter);
      return false;
    }
    out->ops.push_back({unpadded ? info->unpadded : info->padded, 0, 0, letter});
    out->max_size += info->max_size;
    out->zone_names += info->padded == FormatSpec::kZoneName;
  }
  return true;
}

// ---- formatting --------------------------------------------------------------------------

// Writes v >= 0 with at least `width` digits, padded with `pad`.
char* WritePadded(char* out, int64_t v, int width, char pad = '0') {
  if (width == 2 && v < 100) {  // Most fields: no loop, divisions by a constant.
    out[0] = v < 10 ? pad : static_cast<char>('0' + v / 10);
    out[1] = static_cast<char>('0' + v % 10);
    return out + 2;
  }
  char digits[24];
  int count = 0;
  do {
    digits[count++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v > 0);
  for (int i = count; i < width; ++i) *out++ = pad;
  while (count > 0) *out++ = digits[--count];
  return out;
}

// A year as DuckDB prints it: 4 digits at least, a minus sign and no padding below year 0.
char* WriteYear(char* out, int64_t year) {
  if (year >= 0) return WritePadded(out, year, 4);
  *out++ = '-';
  return WritePadded(out, -year, 1);
}

int64_t Abs(int64_t v) {
  return v < 0 ? -v : v;
}

char* WriteText(char* out, std::string_view text) {
  std::memcpy(out, text.data(), text.size());
  return out + text.size();
}

char* FormatOne(const CompiledFormat& format, int64_t value, const ValueSplitter& split,
                const DataType& type, char* out) {
  const Instant t = split(value);
  const CivilDate date = CivilFromDays(t.days);
  const int64_t hour = t.second_of_day / 3600;
  const int64_t hour12 = hour % 12 == 0 ? 12 : hour % 12;
  for (const FormatOp& op : format.ops) {
    switch (op.spec) {
      case FormatSpec::kLiteral: out = WriteText(out, format.Literal(op)); break;
      case FormatSpec::kYear: out = WriteYear(out, date.year); break;
      // Before year 0 DuckDB writes the last two digits of the year's magnitude: -116 -> 16.
      case FormatSpec::kYear2: out = WritePadded(out, Abs(date.year) % 100, 2); break;
      case FormatSpec::kYear2NoPad: out = WritePadded(out, Abs(date.year) % 100, 1); break;
      case FormatSpec::kIsoYear: out = WriteYear(out, IsoWeekOf(t.days).year); break;
      case FormatSpec::kMonth: out = WritePadded(out, date.month, 2); break;
      case FormatSpec::kMonthNoPad: out = WritePadded(out, date.month, 1); break;
      case FormatSpec::kDay: out = WritePadded(out, date.day, 2); break;
      case FormatSpec::kDayNoPad: out = WritePadded(out, date.day, 1); break;
      case FormatSpec::kDaySpace: out = WritePadded(out, date.day, 2, ' '); break;
      case FormatSpec::kDayOfYear: out = WritePadded(out, DayOfYear(t.days, date.year), 3); break;
      case FormatSpec::kDayOfYearNoPad:
        out = WritePadded(out, DayOfYear(t.days, date.year), 1);
        break;
      case FormatSpec::kHour: out = WritePadded(out, hour, 2); break;
      case FormatSpec::kHourNoPad: out = WritePadded(out, hour, 1); break;
      case FormatSpec::kHour12: out = WritePadded(out, hour12, 2); break;
      case FormatSpec::kHour12NoPad: out = WritePadded(out, hour12, 1); break;
      case FormatSpec::kAmPm: out = WriteText(out, hour < 12 ? "AM" : "PM"); break;
      case FormatSpec::kMinute: out = WritePadded(out, t.second_of_day / 60 % 60, 2); break;
      case FormatSpec::kMinuteNoPad: out = WritePadded(out, t.second_of_day / 60 % 60, 1); break;
      case FormatSpec::kSecond: out = WritePadded(out, t.second_of_day % 60, 2); break;
      case FormatSpec::kSecondNoPad: out = WritePadded(out, t.second_of_day % 60, 1); break;
      case FormatSpec::kMicros: out = WritePadded(out, t.nanos / 1000, 6); break;
      case FormatSpec::kMillis: out = WritePadded(out, t.nanos / 1'000'000, 3); break;
      case FormatSpec::kNanos: out = WritePadded(out, t.nanos, 9); break;
      case FormatSpec::kDayAbbrev:
        out = WriteText(out, kDayNames[IsoWeekday(t.days) - 1].substr(0, 3));
        break;
      case FormatSpec::kDayName: out = WriteText(out, kDayNames[IsoWeekday(t.days) - 1]); break;
      case FormatSpec::kMonthAbbrev:
        out = WriteText(out, kMonthNames[date.month - 1].substr(0, 3));
        break;
      case FormatSpec::kMonthName: out = WriteText(out, kMonthNames[date.month - 1]); break;
      case FormatSpec::kIsoWeekday: out = WritePadded(out, IsoWeekday(t.days), 1); break;
      case FormatSpec::kWeekday0: out = WritePadded(out, IsoWeekday(t.days) % 7, 1); break;
      case FormatSpec::kIsoWeek: out = WritePadded(out, IsoWeekOf(t.days).week, 2); break;
      case FormatSpec::kWeekSunday:
      case FormatSpec::kWeekMonday: {
        // Week 1 starts on the year's first Sunday (Monday); days before it are in week 0.
        const int64_t yday = DayOfYear(t.days, date.year) - 1;
        const int64_t wday =
            op.spec == FormatSpec::kWeekSunday ? IsoWeekday(t.days) % 7 : IsoWeekday(t.days) - 1;
        out = WritePadded(out, (yday + 7 - wday) / 7, 2);
        break;
      }
      case FormatSpec::kZoneOffset:
        if (!type.timezone.empty()) out = WriteText(out, "+0000");
        break;
      case FormatSpec::kZoneName: out = WriteText(out, type.timezone); break;
      case FormatSpec::kEpochSeconds: {
        const int64_t seconds = t.days * 86400 + t.second_of_day;
        if (seconds < 0) *out++ = '-';
        out = WritePadded(out, seconds < 0 ? -seconds : seconds, 1);
        break;
      }
    }
  }
  return out;
}

struct StrftimeState {
  std::string display;
  std::shared_ptr<const CompiledFormat> compiled;  ///< Set when the format is a literal.
};

Column StrftimeKernel(std::span<const Column> args, int64_t rows, const StrftimeState& state,
                      MemoryPool* pool) {
  const int64_t n = OutputLength(args, rows);
  Validity validity = PropagateValidity(args, n, pool);
  if (validity.null_count == n) return NullColumn(Utf8(), n, pool);
  std::shared_ptr<const CompiledFormat> format = state.compiled;
  if (format == nullptr)
    format = CompileFormatOrThrow(args[1].StringAt(0), false, "strftime", state.display);
  const Column& input = args[0];
  const DataType& type = input.type;
  const bool scalar = IsScalarArg(input, n);
  const ValueSplitter split(type);
  const size_t max_size = format->max_size + format->zone_names * type.timezone.size();
  StringColumnWriter writer(Utf8(), n, static_cast<int64_t>(format->max_size) * n, pool);
  for (int64_t i = 0; i < n; ++i) {
    if (!IsValidRow(validity, i)) {
      writer.Append({});
      continue;
    }
    const int64_t row = scalar ? 0 : i;
    const int64_t value =
        type.id == TypeId::kDate32 ? input.Values<int32_t>()[row] : input.Values<int64_t>()[row];
    char* begin = writer.Reserve(max_size);
    writer.Commit(static_cast<size_t>(FormatOne(*format, value, split, type, begin) - begin));
  }
  return writer.Finish(std::move(validity));
}

BoundCall BindStrftime(std::vector<BoundExprPtr> args, const std::string& display) {
  CheckArgCount(args, 2, 2, "strftime", display);
  const DataType& type = args[0]->type;
  if (IsNullLiteral(*args[0]) && type.id != TypeId::kDate32 && type.id != TypeId::kTimestamp) {
    args[0] = CastArg(std::move(args[0]), Timestamp(TimeUnit::kMicro), display);
  } else if (type.id != TypeId::kDate32 && type.id != TypeId::kTimestamp) {
    ThrowInvalid("strftime expects a date or timestamp as argument 1, not {}, in `{}`",
                 type.ToString(), display);
  }
  args[1] = RequireString(std::move(args[1]), 1, "strftime", display);
  auto state = std::make_shared<StrftimeState>();
  state->display = display;
  ConstantString format = RequireConstantString(*args[1], "format", "strftime", display);
  if (format.literal)
    state->compiled = CompileFormatOrThrow(*format.literal, false, "strftime", display);
  return {Utf8(),
          [state](std::span<const Column> in, int64_t rows, MemoryPool* pool) {
            return StrftimeKernel(in, rows, *state, pool);
          },
          std::move(args)};
}

}  // namespace

bool CompileFormat(std::string_view format, bool for_parsing, CompiledFormat* out,
                   std::string* error) {
  out->text = std::string(format);
  out->ops.clear();
  out->literals.clear();
  out->max_size = 0;
  out->zone_names = 0;
  return CompileInto(format, for_parsing, out, error);
}

std::shared_ptr<const CompiledFormat> CompileFormatOrThrow(std::string_view format,
                                                           bool for_parsing, std::string_view name,
                                                           const std::string& display) {
  auto compiled = std::make_shared<CompiledFormat>();
  std::string error;
  if (!CompileFormat(format, for_parsing, compiled.get(), &error)) {
    ThrowInvalid("{}: bad format '{}': {} in `{}`", name, format, error, display);
  }
  return compiled;
}

void RegisterTemporalFormatFunctions(FunctionRegistry& registry) {
  registry.Add({"strftime", &BindStrftime});
  registry.Add({"strptime", [](std::vector<BoundExprPtr> args, const std::string& display) {
                  return BindStrptime(std::move(args), display, /*try_parse=*/false);
                }});
  registry.Add({"try_strptime", [](std::vector<BoundExprPtr> args, const std::string& display) {
                  return BindStrptime(std::move(args), display, /*try_parse=*/true);
                }});
}

}  // namespace sluice::kernels
