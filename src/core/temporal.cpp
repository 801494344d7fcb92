// Civil-date conversions and ISO rendering.
#include "core/temporal.h"

#include <fmt/format.h>

namespace sluice {

CivilDate CivilFromDays(int64_t days) {
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2), m, d};
}

int64_t DaysFromCivil(int64_t year, unsigned month, unsigned day) {
  year -= month <= 2;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(year - era * 400);
  const unsigned doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

std::string FormatDate(int64_t days) {
  CivilDate date = CivilFromDays(days);
  if (date.year < 0 || date.year > 9999) {
    return fmt::format("{}-{:02}-{:02}", date.year, date.month, date.day);
  }
  return fmt::format("{:04}-{:02}-{:02}", date.year, date.month, date.day);
}

namespace {
int64_t FloorDiv(int64_t a, int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}
/// The remainder of FloorDiv, in [0, b) for b > 0.
int64_t FloorMod(int64_t a, int64_t b) {
  int64_t r = a % b;
  return r < 0 ? r + b : r;
}

// Renders the fraction of a second in `unit` with trailing zero groups of three removed.
std::string Fraction(int64_t fraction, TimeUnit unit) {
  int digits = unit == TimeUnit::kMilli   ? 3
               : unit == TimeUnit::kMicro ? 6
               : unit == TimeUnit::kNano  ? 9
                                          : 0;
  if (digits == 0 || fraction == 0) return "";
  std::string text = fmt::format(".{:0{}}", fraction, digits);
  while (text.size() > 4 && text.ends_with("000")) text.resize(text.size() - 3);
  return text;
}

std::string ClockTime(int64_t seconds_of_day, int64_t fraction, TimeUnit unit) {
  return fmt::format("{:02}:{:02}:{:02}{}", seconds_of_day / 3600, seconds_of_day / 60 % 60,
                     seconds_of_day % 60, Fraction(fraction, unit));
}
}  // namespace

std::string FormatTimeOfDay(int64_t value, TimeUnit unit) {
  int64_t per_second = UnitsPerSecond(unit);
  int64_t seconds = FloorDiv(value, per_second);
  return ClockTime(seconds, FloorMod(value, per_second), unit);
}

std::string FormatTimestamp(int64_t value, TimeUnit unit, const std::string& timezone) {
  int64_t per_second = UnitsPerSecond(unit);
  int64_t seconds = FloorDiv(value, per_second);
  // Not value - seconds * per_second: that product leaves int64 near its minimum.
  int64_t fraction = FloorMod(value, per_second);
  int64_t days = FloorDiv(seconds, 86400);
  std::string text = FormatDate(days) + " " + ClockTime(seconds - days * 86400, fraction, unit);
  if (!timezone.empty()) text += timezone == "UTC" || timezone == "+00:00" ? "Z" : " " + timezone;
  return text;
}

std::string FormatDuration(int64_t value, TimeUnit unit) {
  std::string sign = value < 0 ? "-" : "";
  uint64_t magnitude = value < 0 ? 0 - static_cast<uint64_t>(value) : static_cast<uint64_t>(value);
  uint64_t per_second = static_cast<uint64_t>(UnitsPerSecond(unit));
  uint64_t seconds = magnitude / per_second;
  std::string text = sign;
  if (seconds >= 86400) text += fmt::format("{} days ", seconds / 86400);
  return text + ClockTime(static_cast<int64_t>(seconds % 86400),
                          static_cast<int64_t>(magnitude % per_second), unit);
}

}  // namespace sluice
