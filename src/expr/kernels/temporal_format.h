// strftime/strptime format strings, compiled once into a list of operations that the
// formatter (temporal_format.cpp) and the parser (temporal_parse.cpp) walk per row.
//
// Specifiers (DuckDB's, plus a few of C's):
//   %Y year (at least 4 digits; negative years as -44)   %y 2-digit year   %G ISO year
//   %m month 01-12   %d day 01-31   %e day, space-padded   %j day of year 001-366
//   %H hour 00-23   %I hour 01-12   %p AM/PM   %M minute   %S second
//   %f microseconds (6 digits)   %g milliseconds (3)   %n nanoseconds (9)
//   %a %A weekday name (Mon, Monday)   %b %h %B month name (Jan, January)
//   %u ISO weekday 1-7 (Monday 1)   %w weekday 0-6 (Sunday 0)
//   %V ISO week 01-53   %U week of the year, weeks start on Sunday   %W ... on Monday
//   %z UTC offset (+0000 for a zoned timestamp, empty for a naive one)   %Z zone name (or empty)
//   %s seconds since the epoch   %% a percent sign
//   %F = %Y-%m-%d   %T = %H:%M:%S   %D = %m/%d/%y   %R = %H:%M
//   %c = %Y-%m-%d %H:%M:%S   %x = %Y-%m-%d   %X = %H:%M:%S
//   A '-' after '%' (%-d, %-m, %-H, %-I, %-M, %-S, %-j, %-y) drops the padding.
// Parsing reads 1-2 digits for 2-digit fields (whitespace before a number is skipped), 1-9
// fraction digits for %f/%g/%n (as a decimal fraction), month and day names in any case, and a
// whitespace in the format matches any run of whitespace (or none). %U %W %V %G are format-only.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "expr/function_registry.h"

namespace sluice::kernels {

enum class FormatSpec : uint8_t {
  kLiteral,
  kYear,
  kYear2,
  kYear2NoPad,
  kIsoYear,
  kMonth,
  kMonthNoPad,
  kDay,
  kDayNoPad,
  kDaySpace,
  kDayOfYear,
  kDayOfYearNoPad,
  kHour,
  kHourNoPad,
  kHour12,
  kHour12NoPad,
  kAmPm,
  kMinute,
  kMinuteNoPad,
  kSecond,
  kSecondNoPad,
  kMicros,
  kMillis,
  kNanos,
  kDayAbbrev,
  kDayName,
  kMonthAbbrev,
  kMonthName,
  kIsoWeekday,
  kWeekday0,
  kIsoWeek,
  kWeekSunday,
  kWeekMonday,
  kZoneOffset,
  kZoneName,
  kEpochSeconds,
};

struct FormatOp {
  FormatSpec spec = FormatSpec::kLiteral;
  uint32_t begin = 0;  ///< kLiteral: the text in CompiledFormat::literals.
  uint32_t size = 0;
  char letter = 0;  ///< The specifier's letter, for messages.
};

struct CompiledFormat {
  std::string text;  ///< The format as written, for messages.
  std::vector<FormatOp> ops;
  std::string literals;
  /// The most bytes one formatted value takes, zone names excluded.
  size_t max_size = 0;
  /// How many %Z the format has (each writes the type's zone name).
  size_t zone_names = 0;

  std::string_view Literal(const FormatOp& op) const {
    return {literals.data() + op.begin, op.size};
  }
};

/// Compiles `format`; returns false with `error` set for an unknown specifier, a lone '%' at
/// the end, or (`for_parsing`) a specifier that cannot be parsed.
bool CompileFormat(std::string_view format, bool for_parsing, CompiledFormat* out,
                   std::string* error);

/// CompileFormat, throwing "`name`: bad format '...': <why> in `display`" on failure.
std::shared_ptr<const CompiledFormat> CompileFormatOrThrow(std::string_view format,
                                                           bool for_parsing, std::string_view name,
                                                           const std::string& display);

/// The binders of strptime / try_strptime (temporal_parse.cpp).
BoundCall BindStrptime(std::vector<BoundExprPtr> args, const std::string& display, bool try_parse);

}  // namespace sluice::kernels
