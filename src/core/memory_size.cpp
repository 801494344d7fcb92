// Memory-size parsing and the machine's usable memory.
#include "core/memory_size.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>
#include <string>

#include "core/error.h"

namespace sluice {

namespace {
int64_t ReadCgroupLimit() {
  for (const char* path :
       {"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"}) {
    std::ifstream in(path);
    std::string text;
    if (in >> text && text != "max") {
      int64_t value = 0;
      auto result = std::from_chars(text.data(), text.data() + text.size(), value);
      if (result.ec == std::errc() && value > 0) return value;
    }
  }
  return 0;
}
}  // namespace

int64_t AvailableMemory() {
  int64_t physical =
      static_cast<int64_t>(sysconf(_SC_PHYS_PAGES)) * static_cast<int64_t>(sysconf(_SC_PAGESIZE));
  int64_t cgroup = ReadCgroupLimit();
  return cgroup > 0 ? std::min(physical, cgroup) : physical;
}

int64_t ParseMemorySize(std::string_view text) {
  std::string lower;
  for (char c : text) {
    if (!std::isspace(static_cast<unsigned char>(c)))
      lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  double number = 0;
  auto result = std::from_chars(lower.data(), lower.data() + lower.size(), number);
  if (result.ec != std::errc() || number <= 0) {
    ThrowInvalid("'{}' is not a size; use e.g. 4GB, 512MiB or 60%", text);
  }
  std::string unit(result.ptr, static_cast<const char*>(lower.data() + lower.size()));
  if (unit == "%") {
    if (number > 100) ThrowInvalid("'{}' is more than 100%", text);
    return static_cast<int64_t>(static_cast<double>(AvailableMemory()) * number / 100.0);
  }
  struct Unit {
    const char* name;
    double bytes;
  };
  static constexpr Unit kUnits[] = {{"", 1},
                                    {"b", 1},
                                    {"kb", 1e3},
                                    {"mb", 1e6},
                                    {"gb", 1e9},
                                    {"tb", 1e12},
                                    {"k", 1e3},
                                    {"m", 1e6},
                                    {"g", 1e9},
                                    {"kib", 1024.0},
                                    {"mib", 1048576.0},
                                    {"gib", 1073741824.0},
                                    {"tib", 1099511627776.0}};
  for (const Unit& candidate : kUnits) {
    if (unit != candidate.name) continue;
    double bytes = number * candidate.bytes;
    // 2^63 bytes (8 EiB) and beyond do not fit, and no machine has them.
    if (!(bytes < 9.2e18)) ThrowInvalid("'{}' is too large a size", text);
    return static_cast<int64_t>(bytes);
  }
  ThrowInvalid("'{}' has an unknown unit '{}'; use B, KB, MB, GB, TB, KiB, MiB, GiB or %", text,
               unit);
}

std::string FormatBytes(int64_t bytes) {
  static const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 1024 && unit < 4) {
    value /= 1024;
    ++unit;
  }
  return unit == 0 ? fmt::format("{} B", bytes) : fmt::format("{:.1f} {}", value, kUnits[unit]);
}

}  // namespace sluice
