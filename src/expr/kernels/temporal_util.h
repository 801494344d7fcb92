// Calendar helpers of the temporal kernels: floor division (timestamps before 1970 are negative
// and must round down, not toward zero), splitting a date32/timestamp/time64 value into days,
// second of day and sub-second nanoseconds, ISO weeks, and the English month and day names of
// strftime/strptime. Time zones: a zoned timestamp is split in UTC.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/temporal.h"
#include "core/types.h"

namespace sluice::kernels {

inline int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  return q - ((a % b != 0) && ((a < 0) != (b < 0)));
}
inline int64_t FloorMod(int64_t a, int64_t b) {
  return a - FloorDiv(a, b) * b;
}

/// ISO weekday of a day since the epoch: Monday = 1 .. Sunday = 7 (1970-01-01 was a Thursday).
inline int64_t IsoWeekday(int64_t days) {
  return FloorMod(days + 3, 7) + 1;
}

/// A date32, timestamp or time64 value taken apart.
struct Instant {
  int64_t days = 0;           ///< Since 1970-01-01 (0 for a time of day).
  int64_t second_of_day = 0;  ///< 0..86399.
  int64_t nanos = 0;          ///< 0..999'999'999 within the second.
};

/// Splits values of a column of `type` (date32 values passed widened to int64). Built once
/// per column so that the unit's scale is not looked up per row.
class ValueSplitter {
 public:
  explicit ValueSplitter(const DataType& type)
      : is_date_(type.id == TypeId::kDate32),
        is_time_(type.id == TypeId::kTime64),
        per_second_(is_date_ ? 1 : UnitsPerSecond(type.unit)),
        nanos_per_unit_(1'000'000'000 / per_second_) {}

  Instant operator()(int64_t v) const {
    Instant t;
    if (is_date_) {
      t.days = v;
      return t;
    }
    const int64_t seconds = FloorDiv(v, per_second_);
    t.nanos = (v - seconds * per_second_) * nanos_per_unit_;
    if (is_time_) {
      t.second_of_day = FloorMod(seconds, 86400);
      return t;
    }
    t.days = FloorDiv(seconds, 86400);
    t.second_of_day = seconds - t.days * 86400;
    return t;
  }

 private:
  bool is_date_;
  bool is_time_;
  int64_t per_second_;
  int64_t nanos_per_unit_;
};

inline bool IsLeapYear(int64_t year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}
inline unsigned DaysInMonth(int64_t year, unsigned month) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

/// 1-based day of the year of a day since the epoch whose year is `year`.
inline int64_t DayOfYear(int64_t days, int64_t year) {
  return days - DaysFromCivil(year, 1, 1) + 1;
}

/// The ISO 8601 week (1..53) and its year (which differs near New Year): the week's Thursday
/// decides both.
struct IsoWeek {
  int64_t year;
  int64_t week;
};
inline IsoWeek IsoWeekOf(int64_t days) {
  const int64_t thursday = days - IsoWeekday(days) + 4;
  const int64_t year = CivilFromDays(thursday).year;
  return {year, (thursday - DaysFromCivil(year, 1, 1)) / 7 + 1};
}

inline constexpr std::string_view kMonthNames[] = {"January",   "February", "March",    "April",
                                                   "May",       "June",     "July",     "August",
                                                   "September", "October",  "November", "December"};
/// Monday first, as ISO weekdays.
inline constexpr std::string_view kDayNames[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                                 "Friday", "Saturday", "Sunday"};

}  // namespace sluice::kernels
