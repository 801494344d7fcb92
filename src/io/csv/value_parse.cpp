// Field parsers for the CSV reader: numbers by exact fast paths for their common short forms and
// std::from_chars for the rest, dates and timestamps by fixed formats, UTF-8 by the Unicode table
// of well-formed byte sequences.
#include "io/csv/value_parse.h"

#include <charconv>
#include <cstring>
#include <type_traits>

#include "core/temporal.h"

namespace sluice::io::csv {

namespace {

bool EqualsIgnoreCase(std::string_view text, std::string_view lower) {
  if (text.size() != lower.size()) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower[i]) return false;
  }
  return true;
}

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

/// Reads exactly `count` digits at text[at] into *out.
bool Digits(std::string_view text, size_t at, size_t count, int* out) {
  if (at + count > text.size()) return false;
  int value = 0;
  for (size_t i = at; i < at + count; ++i) {
    if (!IsDigit(text[i])) return false;
    value = value * 10 + (text[i] - '0');
  }
  *out = value;
  return true;
}

bool IsLeapYear(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

/// Days since the epoch of the first of each month of the years most data falls in, so that a
/// date costs a table lookup instead of the calendar arithmetic of DaysFromCivil.
class MonthTable {
 public:
  static constexpr int kFirstYear = 1900;
  static constexpr int kLastYear = 2199;

  MonthTable() {
    for (int year = kFirstYear; year <= kLastYear; ++year) {
      for (unsigned month = 1; month <= 12; ++month) {
        first_[(year - kFirstYear) * 12 + month - 1] = DaysFromCivil(year, month, 1);
      }
    }
  }
  int64_t Days(int year, int month, int day) const {
    if (year < kFirstYear || year > kLastYear) {
      return DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
    }
    return first_[(year - kFirstYear) * 12 + month - 1] + day - 1;
  }

 private:
  int64_t first_[(kLastYear - kFirstYear + 1) * 12];
};

const MonthTable& Months() {
  static const MonthTable table;
  return table;
}

/// The value of two ASCII digits at p, or -1.
inline int TwoDigits(const char* p) {
  auto high = static_cast<unsigned>(p[0] - '0');
  auto low = static_cast<unsigned>(p[1] - '0');
  return high <= 9 && low <= 9 ? static_cast<int>(high * 10 + low) : -1;
}

/// Parses `YYYY-MM-DD` at the start of text.
bool DatePrefix(std::string_view text, int64_t* days) {
  if (text.size() < 10 || text[4] != '-' || text[7] != '-') return false;
  const char* p = text.data();
  int century = TwoDigits(p);
  int year_of_century = TwoDigits(p + 2);
  int month = TwoDigits(p + 5);
  int day = TwoDigits(p + 8);
  if (century < 0 || year_of_century < 0 || month < 1 || month > 12 || day < 1) return false;
  int year = century * 100 + year_of_century;
  if (day > DaysInMonth(year, month)) return false;
  *days = Months().Days(year, month, day);
  return true;
}

/// Strips an optional leading '+' that from_chars does not take (a '-' it takes itself).
std::string_view DropPlus(std::string_view text) {
  if (text.size() > 1 && text[0] == '+' && text[1] != '-' && text[1] != '+') text.remove_prefix(1);
  return text;
}

}  // namespace

bool ParseBool(std::string_view text, bool lenient, bool* out) {
  text = TrimSpaces(text);
  // Clearing bit 5 upper-cases a letter, and only 't' and 'T' become 'T' (and so on): comparing
  // words so masked with "TRUE" and "FALSE" is an exact case-insensitive match.
  if (text.size() == 4) {
    uint32_t word, expected;
    std::memcpy(&word, text.data(), 4);
    std::memcpy(&expected, "TRUE", 4);
    if ((word & 0xDFDFDFDFu) == expected) return *out = true, true;
  } else if (text.size() == 5) {
    uint32_t word, expected;
    std::memcpy(&word, text.data(), 4);
    std::memcpy(&expected, "FALS", 4);
    if ((word & 0xDFDFDFDFu) == expected && (text[4] & 0xDF) == 'E') return *out = false, true;
  }
  if (!lenient) return false;
  for (std::string_view yes : {"t", "1", "yes", "y"}) {
    if (EqualsIgnoreCase(text, yes)) return *out = true, true;
  }
  for (std::string_view no : {"f", "0", "no", "n"}) {
    if (EqualsIgnoreCase(text, no)) return *out = false, true;
  }
  return false;
}

bool ParseInt64(std::string_view text, int64_t* out) {
  // The common case first: a sign and up to 18 digits, which cannot overflow.
  const char* p = text.data();
  const char* end = p + text.size();
  bool negative = p < end && *p == '-';
  if (p < end && (*p == '-' || *p == '+')) ++p;
  if (end - p > 0 && end - p <= 18) {
    uint64_t value = 0;
    const char* digit = p;
    for (; digit < end; ++digit) {
      auto d = static_cast<unsigned>(*digit - '0');
      if (d > 9) break;
      value = value * 10 + d;
    }
    if (digit == end) {
      *out = negative ? -static_cast<int64_t>(value) : static_cast<int64_t>(value);
      return true;
    }
  }
  text = DropPlus(TrimSpaces(text));
  end = text.data() + text.size();
  auto result = std::from_chars(text.data(), end, *out);
  return result.ec == std::errc() && result.ptr == end && !text.empty();
}

bool ParseUInt64(std::string_view text, uint64_t* out) {
  text = DropPlus(TrimSpaces(text));
  const char* end = text.data() + text.size();
  auto result = std::from_chars(text.data(), end, *out);
  return result.ec == std::errc() && result.ptr == end && !text.empty();
}

namespace {

/// Reads `[-]digits[.digits]` with at most 15 digits in all, the form most CSV floats take,
/// exactly: the digits as an integer below 2^53 and 10^fraction_digits are both exact doubles, so
/// one IEEE division rounds correctly (Clinger's fast path). Returns false for anything else.
bool ParseSimpleDecimal(std::string_view text, double* out) {
  static constexpr double kPowers[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                       1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  const char* p = text.data();
  const char* end = p + text.size();
  bool negative = p < end && *p == '-';
  if (negative) ++p;
  uint64_t mantissa = 0;
  int digits = 0;
  int fraction_digits = -1;
  for (; p < end; ++p) {
    auto d = static_cast<unsigned>(*p - '0');
    if (d <= 9) {
      mantissa = mantissa * 10 + d;
      ++digits;
      if (fraction_digits >= 0) ++fraction_digits;
    } else if (*p == '.' && fraction_digits < 0) {
      fraction_digits = 0;
    } else {
      return false;
    }
  }
  if (digits == 0 || digits > 15) return false;
  double value = static_cast<double>(mantissa);
  if (fraction_digits > 0) value /= kPowers[fraction_digits];
  *out = negative ? -value : value;
  return true;
}

template <typename T>
bool ParseFloat(std::string_view text, T* out) {
  text = DropPlus(TrimSpaces(text));
  if (text.empty()) return false;
  if constexpr (std::is_same_v<T, double>) {
    if (ParseSimpleDecimal(text, out)) return true;
  }
  const char* end = text.data() + text.size();
  auto result = std::from_chars(text.data(), end, *out);
  if (result.ec != std::errc() || result.ptr != end) return false;
  // from_chars also takes "nan(chars)"; DuckDB reads only plain "nan".
  std::string_view unsigned_text = text[0] == '-' ? text.substr(1) : text;
  if (!unsigned_text.empty() && (unsigned_text[0] == 'n' || unsigned_text[0] == 'N')) {
    return EqualsIgnoreCase(unsigned_text, "nan");
  }
  return true;
}
}  // namespace

bool ParseFloat64(std::string_view text, double* out) {
  return ParseFloat(text, out);
}

bool ParseFloat32(std::string_view text, float* out) {
  return ParseFloat(text, out);
}

bool ParseDecimal(std::string_view text, int precision, int scale, int128_t* out) {
  text = DropPlus(TrimSpaces(text));
  bool negative = !text.empty() && text[0] == '-';
  if (negative) text.remove_prefix(1);
  int128_t value = 0;
  bool any_digit = false;
  bool seen_point = false;
  int fraction_digits = 0;
  int round_digit = -1;  // The first digit past the scale, which decides the rounding.
  for (char c : text) {
    if (c == '.' && !seen_point) {
      seen_point = true;
      continue;
    }
    if (!IsDigit(c)) return false;
    any_digit = true;
    if (seen_point) {
      if (fraction_digits == scale) {
        if (round_digit < 0) round_digit = c - '0';
        continue;
      }
      ++fraction_digits;
    }
    if (value >= PowerOfTen(37)) return false;  // Would pass 38 digits, the most of any decimal.
    value = value * 10 + (c - '0');
  }
  if (!any_digit) return false;
  for (; fraction_digits < scale; ++fraction_digits) {
    if (value >= PowerOfTen(37)) return false;
    value *= 10;
  }
  if (round_digit >= 5) value += 1;
  if (value >= PowerOfTen(precision)) return false;
  *out = negative ? -value : value;
  return true;
}

bool ParseDate(std::string_view text, int32_t* days) {
  text = TrimSpaces(text);
  int64_t value;
  if (text.size() != 10 || !DatePrefix(text, &value)) return false;
  *days = static_cast<int32_t>(value);
  return true;
}

bool ParseTimestamp(std::string_view text, TimeUnit unit, int64_t* out, bool* has_zone) {
  text = TrimSpaces(text);
  int64_t days;
  if (!DatePrefix(text, &days)) return false;
  int hour = 0, minute = 0, second = 0;
  int64_t fraction = 0;  // In nanoseconds.
  int64_t offset_seconds = 0;
  *has_zone = false;
  size_t at = 10;
  if (at < text.size()) {
    if (text[at] != ' ' && text[at] != 'T' && text[at] != 't') return false;
    if (text.size() < at + 6 || text[at + 3] != ':') return false;
    hour = TwoDigits(text.data() + at + 1);
    minute = TwoDigits(text.data() + at + 4);
    if (hour < 0 || minute < 0) return false;
    at += 6;
    if (at < text.size() && text[at] == ':') {
      if (text.size() < at + 3 || (second = TwoDigits(text.data() + at + 1)) < 0) return false;
      at += 3;
      if (at < text.size() && text[at] == '.') {
        static constexpr int64_t kScale[] = {0,     100000000, 10000000, 1000000, 100000,
                                             10000, 1000,      100,      10,      1};
        size_t first = ++at;
        while (at < text.size() && IsDigit(text[at]) && at - first < 9) {
          fraction = fraction * 10 + (text[at] - '0');
          ++at;
        }
        if (at == first || (at < text.size() && IsDigit(text[at]))) return false;
        fraction *= kScale[at - first];
      }
    }
    if (hour > 23 || minute > 59 || second > 59) return false;
    if (at < text.size()) {  // A zone: Z, or +HH, +HHMM, +HH:MM.
      char sign = text[at];
      if ((sign == 'Z' || sign == 'z') && at + 1 == text.size()) {
        *has_zone = true;
      } else if (sign == '+' || sign == '-') {
        int offset_hours = 0, offset_minutes = 0;
        std::string_view zone = text.substr(at + 1);
        if (!Digits(zone, 0, 2, &offset_hours)) return false;
        if (zone.size() == 5 && zone[2] == ':') {
          if (!Digits(zone, 3, 2, &offset_minutes)) return false;
        } else if (zone.size() == 4) {
          if (!Digits(zone, 2, 2, &offset_minutes)) return false;
        } else if (zone.size() != 2) {
          return false;
        }
        if (offset_hours > 18 || offset_minutes > 59) return false;
        offset_seconds = (offset_hours * 3600 + offset_minutes * 60) * (sign == '+' ? 1 : -1);
        *has_zone = true;
      } else {
        return false;
      }
    }
  }
  int64_t seconds = days * 86400 + hour * 3600 + minute * 60 + second - offset_seconds;
  int64_t per_second, sub_second;  // Constant divisors, not a division by a variable.
  switch (unit) {
    case TimeUnit::kSecond: per_second = 1, sub_second = 0; break;
    case TimeUnit::kMilli: per_second = 1000, sub_second = fraction / 1000000; break;
    case TimeUnit::kMicro: per_second = 1000000, sub_second = fraction / 1000; break;
    case TimeUnit::kNano: per_second = 1000000000, sub_second = fraction; break;
    default: return false;
  }
  int64_t value;
  if (__builtin_mul_overflow(seconds, per_second, &value) ||
      __builtin_add_overflow(value, sub_second, &value)) {
    return false;
  }
  *out = value;
  return true;
}

size_t FindInvalidUtf8(std::string_view text) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  size_t size = text.size();
  size_t i = 0;
  while (i < size) {
    // Skip ASCII eight bytes at a time: most text is ASCII.
    while (i + 8 <= size) {
      uint64_t word;
      std::memcpy(&word, bytes + i, 8);
      if ((word & 0x8080808080808080ULL) != 0) break;
      i += 8;
    }
    if (i >= size) break;
    unsigned char c = bytes[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t length;
    unsigned char low = 0x80, high = 0xBF;  // The allowed range of the second byte.
    if (c >= 0xC2 && c <= 0xDF) {
      length = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      length = 3;
      if (c == 0xE0) low = 0xA0;   // No overlong forms.
      if (c == 0xED) high = 0x9F;  // No surrogates.
    } else if (c >= 0xF0 && c <= 0xF4) {
      length = 4;
      if (c == 0xF0) low = 0x90;   // No overlong forms.
      if (c == 0xF4) high = 0x8F;  // Nothing above U+10FFFF.
    } else {
      return i;
    }
    if (i + length > size) return i;
    if (bytes[i + 1] < low || bytes[i + 1] > high) return i;
    for (size_t k = 2; k < length; ++k) {
      if (bytes[i + k] < 0x80 || bytes[i + k] > 0xBF) return i;
    }
    i += length;
  }
  return size;
}

uint32_t InferCandidates(std::string_view text) {
  uint32_t candidates = kInferUtf8;
  text = TrimSpaces(text);
  if (text.empty()) return candidates;
  char first = text[0];
  if (first == 't' || first == 'T' || first == 'f' || first == 'F') {
    bool value;
    if (ParseBool(text, false, &value)) return candidates | kInferBool;
  }
  int64_t integer;
  if (ParseInt64(text, &integer)) return candidates | kInferInt64 | kInferFloat64;
  double real;
  if (ParseFloat64(text, &real)) return candidates | kInferFloat64;
  if (text.size() >= 10 && IsDigit(first) && text[4] == '-') {
    int32_t days;
    if (ParseDate(text, &days)) {
      return candidates | kInferDate | kInferTimestamp | kInferTimestampTz;
    }
    int64_t micros;
    bool has_zone;
    if (ParseTimestamp(text, TimeUnit::kMicro, &micros, &has_zone)) {
      return candidates | (has_zone ? kInferTimestampTz : kInferTimestamp);
    }
  }
  return candidates;
}

DataType TypeOfCandidates(uint32_t candidates) {
  if (candidates & kInferBool) return Bool();
  if (candidates & kInferInt64) return Int64();
  if (candidates & kInferFloat64) return Float64();
  if (candidates & kInferDate) return Date32();
  if (candidates & kInferTimestamp) return Timestamp(TimeUnit::kMicro);
  if (candidates & kInferTimestampTz) return Timestamp(TimeUnit::kMicro, "UTC");
  return Utf8();
}

}  // namespace sluice::io::csv
