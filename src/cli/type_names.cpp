// The type-name grammar: a base name, then `(args)` for decimal and fixed_size_binary, or
// `[unit]` / `[unit, zone]` for time64, timestamp and duration, or `[json]` / `[enum]` for utf8.
#include "cli/type_names.h"

#include <algorithm>
#include <charconv>
#include <string>
#include <vector>

#include "cli/usage_error.h"
#include "core/error.h"
#include "core/schema.h"

namespace sluice::cli {

namespace {

/// The base names a misspelt type is compared with, for "did you mean".
const std::vector<std::string>& KnownNames() {
  static const std::vector<std::string> names = {
      "bool",    "int8",      "int16",  "int32",    "int64",
      "uint8",   "uint16",    "uint32", "uint64",   "float32",
      "float64", "decimal",   "utf8",   "binary",   "uuid",
      "date32",  "timestamp", "time64", "duration", "fixed_size_binary",
      "string",  "double",    "date",   "boolean",  "timestamptz"};
  return names;
}

[[noreturn]] void ThrowUnknown(std::string_view text, std::string_view why = "") {
  std::string message = fmt::format("unknown type '{}'", text);
  if (!why.empty()) message += fmt::format(" ({})", why);
  const std::string base(text.substr(0, text.find_first_of("([")));
  const auto& known = KnownNames();
  if (std::find(known.begin(), known.end(), base) != known.end()) {
    // The name is right and its parameters are not: the reason says what is wrong.
  } else if (auto close = ClosestName(base, known)) {
    message += fmt::format("; did you mean \"{}\"?", *close);
  } else {
    message +=
        "; types: bool, int8..int64, uint8..uint64, float32, float64, decimal(p,s), utf8, "
        "binary, date32, timestamp[s|ms|us|ns(, UTC)], time64[unit], duration[unit], uuid";
  }
  ThrowUsage("{}", message);
}

std::string Normalize(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == ' ' || c == '\t') continue;
    out += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  return out;
}

int ParseInt(std::string_view text, std::string_view whole) {
  int value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) ThrowUnknown(whole);
  return value;
}

TimeUnit ParseUnit(std::string_view unit, std::string_view whole) {
  if (unit == "s") return TimeUnit::kSecond;
  if (unit == "ms") return TimeUnit::kMilli;
  if (unit == "us") return TimeUnit::kMicro;
  if (unit == "ns") return TimeUnit::kNano;
  ThrowUnknown(whole, "the unit is s, ms, us or ns");
}

/// Spells the zone as ToString prints it: UTC in capitals, other zones as written.
std::string ZoneFromOriginal(std::string_view original) {
  const size_t comma = original.find(',');
  const size_t close = original.rfind(']');
  std::string zone;
  for (size_t i = comma + 1; i < close; ++i) {
    if (original[i] != ' ' && original[i] != '\t') zone += original[i];
  }
  std::string lower = Normalize(zone);
  return lower == "utc" || lower == "z" || lower == "+00:00" ? "UTC" : zone;
}

}  // namespace

DataType ParseTypeName(std::string_view original) {
  const std::string text = Normalize(original);
  if (text.empty()) ThrowUsage("a type name is empty");
  static const std::pair<std::string_view, DataType (*)()> kSimple[] = {
      {"bool", &Bool},      {"boolean", &Bool},  {"int8", &Int8},       {"int16", &Int16},
      {"int32", &Int32},    {"int64", &Int64},   {"uint8", &UInt8},     {"uint16", &UInt16},
      {"uint32", &UInt32},  {"uint64", &UInt64}, {"float32", &Float32}, {"float64", &Float64},
      {"double", &Float64}, {"binary", &Binary}, {"blob", &Binary},     {"uuid", &Uuid},
      {"date32", &Date32},  {"date", &Date32},
  };
  for (const auto& [name, make] : kSimple) {
    if (text == name) return make();
  }
  if (text == "utf8" || text == "string" || text == "text" || text == "varchar") return Utf8();
  if (text == "utf8[json]") return Utf8(StringKind::kJson);
  if (text == "utf8[enum]") return Utf8(StringKind::kEnum);
  if (text == "timestamp") return Timestamp(TimeUnit::kMicro);
  if (text == "timestamptz") return Timestamp(TimeUnit::kMicro, "UTC");

  const size_t open = text.find_first_of("([");
  if (open == std::string::npos) ThrowUnknown(original);
  const std::string base = text.substr(0, open);
  const char close = text[open] == '(' ? ')' : ']';
  if (text.back() != close) ThrowUnknown(original);
  const std::string_view inside(text.data() + open + 1, text.size() - open - 2);
  const size_t comma = inside.find(',');
  const std::string_view first = inside.substr(0, comma);
  const std::string_view second =
      comma == std::string_view::npos ? std::string_view() : inside.substr(comma + 1);

  if (close == ')') {
    if (base == "decimal" || base == "numeric") {
      const int precision = ParseInt(first, original);
      const int scale = comma == std::string_view::npos ? 0 : ParseInt(second, original);
      try {
        return Decimal(precision, scale);
      } catch (const Error& error) {
        ThrowUsage("{}", error.what());
      }
    }
    if (base == "fixed_size_binary" && comma == std::string_view::npos) {
      const int width = ParseInt(first, original);
      if (width < 1) ThrowUsage("fixed_size_binary needs a positive width, not {}", width);
      return FixedSizeBinary(width);
    }
    ThrowUnknown(original);
  }
  if (base == "timestamp" || base == "time64" || base == "duration") {
    const TimeUnit unit = ParseUnit(first, original);
    std::string zone = comma == std::string_view::npos ? "" : ZoneFromOriginal(original);
    if (comma != std::string_view::npos && zone.empty()) ThrowUnknown(original, "empty zone");
    if (base == "timestamp") return Timestamp(unit, std::move(zone));
    if (base == "time64") return Time64(unit, std::move(zone));
    if (!zone.empty()) ThrowUnknown(original, "a duration has no time zone");
    return Duration(unit);
  }
  ThrowUnknown(original);
}

}  // namespace sluice::cli
