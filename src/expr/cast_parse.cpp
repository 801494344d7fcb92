// Text parsers for casts from utf8 and for temporal literals: ISO dates, times and timestamps.
// They return false instead of throwing, so that cast loops can note a failure and go on.
#include <charconv>
#include <cstdint>
#include <string_view>

#include "core/temporal.h"
#include "expr/cast.h"

namespace sluice {

namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

// Reads between min and max digits at `pos` into `value`.
bool ReadDigits(std::string_view text, size_t& pos, int min, int max, int64_t* value) {
  int64_t v = 0;
  int count = 0;
  while (pos < text.size() && count < max && IsDigit(text[pos])) {
    v = v * 10 + (text[pos] - '0');
    ++pos;
    ++count;
  }
  *value = v;
  return count >= min;
}

bool IsLeap(int64_t year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

unsigned DaysInMonth(int64_t year, unsigned month) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeap(year) ? 29 : kDays[month - 1];
}

// Parses the date part at `pos`; leaves pos after it.
bool ParseDatePart(std::string_view text, size_t& pos, int64_t* days) {
  bool negative = false;
  if (pos < text.size() && (text[pos] == '-' || text[pos] == '+')) {
    negative = text[pos] == '-';
    ++pos;
  }
  int64_t year;
  int64_t month;
  int64_t day;
  if (!ReadDigits(text, pos, 4, 6, &year)) return false;
  if (pos >= text.size() || text[pos] != '-') return false;
  ++pos;
  if (!ReadDigits(text, pos, 1, 2, &month)) return false;
  if (pos >= text.size() || text[pos] != '-') return false;
  ++pos;
  if (!ReadDigits(text, pos, 1, 2, &day)) return false;
  if (negative) year = -year;
  if (month < 1 || month > 12 || day < 1) return false;
  if (day > DaysInMonth(year, static_cast<unsigned>(month))) return false;
  *days = DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  return true;
}

// Parses HH:MM[:SS[.fraction]] at `pos` into units of `unit` since midnight.
bool ParseTimePart(std::string_view text, size_t& pos, TimeUnit unit, int64_t* value) {
  int64_t hour;
  int64_t minute;
  int64_t second = 0;
  if (!ReadDigits(text, pos, 1, 2, &hour)) return false;
  if (pos >= text.size() || text[pos] != ':') return false;
  ++pos;
  if (!ReadDigits(text, pos, 2, 2, &minute)) return false;
  int64_t per_second = UnitsPerSecond(unit);
  int64_t fraction = 0;
  if (pos < text.size() && text[pos] == ':') {
    ++pos;
    if (!ReadDigits(text, pos, 2, 2, &second)) return false;
    if (pos < text.size() && text[pos] == '.') {
      ++pos;
      int digits = 0;
      int64_t scale = per_second;
      size_t start = pos;
      while (pos < text.size() && IsDigit(text[pos])) {
        // Digits finer than the unit are dropped (truncation, as DuckDB does).
        if (scale >= 10) {
          scale /= 10;
          fraction += (text[pos] - '0') * scale;
        }
        ++pos;
        ++digits;
      }
      if (pos == start || digits == 0) return false;
    }
  }
  if (hour > 23 || minute > 59 || second > 59) return false;
  *value = ((hour * 60 + minute) * 60 + second) * per_second + fraction;
  return true;
}

// Parses an optional zone suffix: Z, UTC, +HH, +HH:MM, +HHMM. Returns the offset in seconds.
bool ParseZone(std::string_view text, size_t& pos, int64_t* offset_seconds) {
  *offset_seconds = 0;
  while (pos < text.size() && text[pos] == ' ') ++pos;
  if (pos == text.size()) return true;
  std::string_view rest = text.substr(pos);
  if (rest == "Z" || rest == "z" || rest == "UTC") {
    pos = text.size();
    return true;
  }
  if (rest[0] != '+' && rest[0] != '-') return false;
  bool negative = rest[0] == '-';
  ++pos;
  int64_t hours;
  int64_t minutes = 0;
  if (!ReadDigits(text, pos, 2, 2, &hours)) return false;
  if (pos < text.size() && text[pos] == ':') ++pos;
  if (pos < text.size() && !ReadDigits(text, pos, 2, 2, &minutes)) return false;
  if (pos != text.size() || hours > 23 || minutes > 59) return false;
  *offset_seconds = (negative ? -1 : 1) * (hours * 3600 + minutes * 60);
  return true;
}

}  // namespace

bool ParseIsoDate(std::string_view text, int32_t* days) {
  text = Trim(text);
  size_t pos = 0;
  int64_t value;
  if (!ParseDatePart(text, pos, &value) || pos != text.size()) return false;
  if (value < INT32_MIN || value > INT32_MAX) return false;
  *days = static_cast<int32_t>(value);
  return true;
}

bool ParseIsoTimestamp(std::string_view text, TimeUnit unit, int64_t* value) {
  text = Trim(text);
  size_t pos = 0;
  int64_t days;
  if (!ParseDatePart(text, pos, &days)) return false;
  int64_t time_of_day = 0;
  int64_t offset_seconds = 0;
  if (pos < text.size() && (text[pos] == ' ' || text[pos] == 'T' || text[pos] == 't')) {
    size_t after_separator = pos + 1;
    size_t probe = after_separator;
    // "2024-03-01 +02:00" is not a thing, but "2024-03-01 12:00" is: require a digit.
    if (probe < text.size() && IsDigit(text[probe])) {
      pos = after_separator;
      if (!ParseTimePart(text, pos, unit, &time_of_day)) return false;
    }
  }
  if (!ParseZone(text, pos, &offset_seconds) || pos != text.size()) return false;
  int64_t per_day = 86400 * UnitsPerSecond(unit);
  int64_t result;
  if (__builtin_mul_overflow(days, per_day, &result)) return false;
  if (__builtin_add_overflow(result, time_of_day, &result)) return false;
  if (__builtin_sub_overflow(result, offset_seconds * UnitsPerSecond(unit), &result)) return false;
  *value = result;
  return true;
}

bool ParseIsoTime(std::string_view text, TimeUnit unit, int64_t* value) {
  text = Trim(text);
  size_t pos = 0;
  return ParseTimePart(text, pos, unit, value) && pos == text.size();
}

namespace {

// Drops a leading '+' that std::from_chars does not accept.
std::string_view NumberText(std::string_view text) {
  text = Trim(text);
  if (text.size() > 1 && text[0] == '+' && text[1] != '-' && text[1] != '+') text.remove_prefix(1);
  return text;
}

char Lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

}  // namespace

bool ParseInt64(std::string_view text, int64_t* value) {
  text = NumberText(text);
  if (text.empty()) return false;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), *value);
  return error == std::errc() && end == text.data() + text.size();
}

bool ParseUInt64(std::string_view text, uint64_t* value) {
  text = NumberText(text);
  if (text.empty() || text[0] == '-') return false;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), *value);
  return error == std::errc() && end == text.data() + text.size();
}

bool ParseDouble(std::string_view text, double* value) {
  text = NumberText(text);
  if (text.empty()) return false;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), *value);
  // Out-of-range text ("1e999") is an error rather than a silent infinity.
  return error == std::errc() && end == text.data() + text.size();
}

bool ParseBool(std::string_view text, bool* value) {
  text = Trim(text);
  for (std::string_view yes : {"true", "t", "yes", "y", "1"}) {
    if (EqualsIgnoreCase(text, yes)) {
      *value = true;
      return true;
    }
  }
  for (std::string_view no : {"false", "f", "no", "n", "0"}) {
    if (EqualsIgnoreCase(text, no)) {
      *value = false;
      return true;
    }
  }
  return false;
}

bool ParseDecimal(std::string_view text, int precision, int scale, __int128* value) {
  text = Trim(text);
  size_t pos = 0;
  bool negative = false;
  if (pos < text.size() && (text[pos] == '-' || text[pos] == '+')) {
    negative = text[pos] == '-';
    ++pos;
  }
  // Significant digits (without leading zeros) and the position of the point among them.
  char digits[80];
  int count = 0;
  int64_t point = 0;  // Digits before the point, counted from the first significant digit.
  bool any_digit = false;
  bool seen_point = false;
  for (; pos < text.size(); ++pos) {
    char c = text[pos];
    if (c == '.') {
      if (seen_point) return false;
      seen_point = true;
      continue;
    }
    if (!IsDigit(c)) break;
    any_digit = true;
    if (count == 0 && c == '0') {
      if (seen_point) --point;  // 0.00123: the first significant digit is 3 places further.
      continue;
    }
    if (count < 78) {
      digits[count++] = c;
      if (!seen_point) ++point;
    } else if (!seen_point) {
      return false;  // More than 78 integer digits: too large for any decimal.
    }
  }
  if (!any_digit) return false;
  if (pos < text.size() && (text[pos] == 'e' || text[pos] == 'E')) {
    ++pos;
    bool exp_negative = false;
    if (pos < text.size() && (text[pos] == '-' || text[pos] == '+')) {
      exp_negative = text[pos] == '-';
      ++pos;
    }
    int64_t exponent;
    if (!ReadDigits(text, pos, 1, 4, &exponent)) return false;
    point += exp_negative ? -exponent : exponent;
  }
  if (pos != text.size()) return false;
  // Keep the digits that land at or before `scale` places after the point; round on the next.
  int64_t keep = point + scale;
  __int128 limit = 1;
  for (int i = 0; i < precision; ++i) limit *= 10;
  __int128 result = 0;
  for (int64_t k = 0; k < keep; ++k) {
    int digit = k < count ? digits[k] - '0' : 0;
    if (result > (limit - 1 - digit) / 10) return false;  // Checked before it can overflow.
    result = result * 10 + digit;
  }
  if (keep >= 0 && keep < count && digits[keep] >= '5') {
    result += 1;
    if (result >= limit) return false;
  }
  *value = negative ? -result : result;
  return true;
}

}  // namespace sluice
