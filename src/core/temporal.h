// Calendar arithmetic (proleptic Gregorian, days since 1970-01-01) and ISO-8601 rendering of dates,
// times and timestamps, shared by printers, writers and (later) temporal kernels.
#pragma once

#include <cstdint>
#include <string>

#include "core/types.h"

namespace sluice {

struct CivilDate {
  int64_t year;
  unsigned month;  ///< 1..12
  unsigned day;    ///< 1..31
};

/// Converts days since the epoch to a calendar date (Howard Hinnant's algorithm).
CivilDate CivilFromDays(int64_t days);
/// Converts a calendar date to days since the epoch.
int64_t DaysFromCivil(int64_t year, unsigned month, unsigned day);

/// `2024-03-01`.
std::string FormatDate(int64_t days);
/// `13:45:01.250`: fraction digits follow the unit, trailing zero groups of 3 dropped.
std::string FormatTimeOfDay(int64_t value, TimeUnit unit);
/// `2024-03-01 13:45:01.25` (+ ` UTC`-style zone suffix when `timezone` is set).
std::string FormatTimestamp(int64_t value, TimeUnit unit, const std::string& timezone);
/// `1 day 02:03:04.5` style rendering of a duration.
std::string FormatDuration(int64_t value, TimeUnit unit);

}  // namespace sluice
