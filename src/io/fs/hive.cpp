// Implements Hive partition path parsing and building, with Hive's FileUtils.escapePathName
// character set so that directories round-trip with Hive, Spark, DuckDB and Polars.
#include "io/fs/hive.h"

#include <fmt/format.h>

#include <iterator>

#include "core/error.h"

namespace sluice::io {
namespace {

/// Tells whether Hive escapes a character in partition paths (FileUtils.charToEscape).
bool NeedsEscape(unsigned char c) {
  if (c < 0x20 || c == 0x7f) return true;
  switch (c) {
    case '"':
    case '#':
    case '%':
    case '\'':
    case '*':
    case '/':
    case ':':
    case '=':
    case '?':
    case '\\':
    case '{':
    case '[':
    case ']':
    case '^': return true;
    default: return false;
  }
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string UnescapeHivePathComponent(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && HexValue(text[i + 1]) >= 0 &&
        HexValue(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2])));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

std::string EscapeHivePathComponent(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    if (NeedsEscape(static_cast<unsigned char>(c))) {
      fmt::format_to(std::back_inserter(out), "%{:02X}", static_cast<unsigned char>(c));
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::vector<HivePartition> ParseHivePartitions(std::string_view path) {
  std::vector<HivePartition> partitions;
  const size_t last_slash = path.rfind('/');
  if (last_slash == std::string_view::npos) return partitions;  // Only a file name.
  const std::string_view directories = path.substr(0, last_slash);
  size_t start = 0;
  while (start <= directories.size()) {
    size_t end = directories.find('/', start);
    if (end == std::string_view::npos) end = directories.size();
    const std::string_view component = directories.substr(start, end - start);
    const size_t equals = component.find('=');
    if (equals != std::string_view::npos && equals > 0) {
      const std::string_view raw_value = component.substr(equals + 1);
      HivePartition partition{UnescapeHivePathComponent(component.substr(0, equals)), std::nullopt};
      if (raw_value != kHiveDefaultPartition)
        partition.value = UnescapeHivePathComponent(raw_value);
      partitions.push_back(std::move(partition));
    }
    start = end + 1;
  }
  return partitions;
}

std::string HivePartitionDirectory(const std::vector<HivePartition>& partitions) {
  std::string out;
  for (const HivePartition& partition : partitions) {
    if (partition.key.empty()) ThrowInvalid("a hive partition key must not be empty");
    if (!out.empty()) out.push_back('/');
    out += EscapeHivePathComponent(partition.key);
    out.push_back('=');
    if (partition.value.has_value() && !partition.value->empty()) {
      out += EscapeHivePathComponent(*partition.value);
    } else {
      out += kHiveDefaultPartition;
    }
  }
  return out;
}

}  // namespace sluice::io
