// Text to values, for CSV fields: booleans, integers and floats (std::from_chars: fast and exact),
// ISO dates and timestamps (fixed-format parsers written by hand, far faster than a general date
// parser), decimals, and UTF-8 validation. Each parser returns false instead of throwing, because
// it runs in the inner loop of a column conversion; the caller records the first failure.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/decimal.h"
#include "core/types.h"

namespace sluice::io::csv {

/// Drops leading and trailing spaces and tabs, which numbers, dates and booleans may carry.
/// Inline: it runs once per value, and almost always finds nothing to drop.
inline std::string_view TrimSpaces(std::string_view text) {
  auto space = [](char c) { return c == ' ' || c == '\t'; };
  if (text.empty() || (!space(text.front()) && !space(text.back()))) return text;
  size_t begin = 0;
  size_t end = text.size();
  while (begin < end && space(text[begin])) ++begin;
  while (end > begin && space(text[end - 1])) --end;
  return text.substr(begin, end - begin);
}

/// `true` / `false` in any case; with `lenient` also `t f 1 0 yes no y n` (for a schema override,
/// never for inference, where `0`/`1` must stay integers).
bool ParseBool(std::string_view text, bool lenient, bool* out);
/// Decimal digits with an optional sign ('+' too), surrounding spaces allowed.
bool ParseInt64(std::string_view text, int64_t* out);
bool ParseUInt64(std::string_view text, uint64_t* out);
/// A decimal or exponent number, `inf`, `infinity` or `nan` in any case (as DuckDB reads DOUBLE).
bool ParseFloat64(std::string_view text, double* out);
/// As ParseFloat64, rounding the decimal text to float once (not through double).
bool ParseFloat32(std::string_view text, float* out);
/// `123.45` into an unscaled value of `scale` digits (rounded half away from zero) that fits
/// `precision` digits.
bool ParseDecimal(std::string_view text, int precision, int scale, int128_t* out);
/// `YYYY-MM-DD` into days since 1970-01-01, with the day checked against the month.
bool ParseDate(std::string_view text, int32_t* days);
/// `YYYY-MM-DD[ T]HH:MM[:SS[.fffffffff]][Z|±HH[:MM]]`, or a bare date (midnight), into `unit`s
/// since the epoch. A zone suffix shifts the value to UTC and sets *has_zone; digits finer than
/// the unit are truncated.
bool ParseTimestamp(std::string_view text, TimeUnit unit, int64_t* out, bool* has_zone);

/// Returns the offset of the first byte that is not part of valid UTF-8 (overlong forms,
/// surrogates and code points above U+10FFFF included), or text.size() when all are valid.
size_t FindInvalidUtf8(std::string_view text);

/// What the sniffer may infer, from the most specific type to text. Bits of a candidate mask.
enum InferredType : uint32_t {
  kInferBool = 1,
  kInferInt64 = 2,
  kInferFloat64 = 4,
  kInferDate = 8,
  kInferTimestamp = 16,    ///< Without a zone: timestamp[us].
  kInferTimestampTz = 32,  ///< With Z or an offset: timestamp[us, UTC].
  kInferUtf8 = 64,
  kInferAll = 127,
};

/// Returns the types `text` (a non-empty value) reads as; kInferUtf8 is always among them.
uint32_t InferCandidates(std::string_view text);
/// Returns the most specific type left in a mask (utf8 when only text remains).
DataType TypeOfCandidates(uint32_t candidates);

}  // namespace sluice::io::csv
