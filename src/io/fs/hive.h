// Hive-style partition paths ("year=2024/country=NL/part-0.parquet"): reading the key=value pairs
// that a directory layout encodes, and building that layout when writing partitioned output, with
// the same escaping Hive and Spark use so that their readers and DuckDB/Polars agree on values.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::io {

/// Names the directory Hive and Spark write for a null (or empty) partition value.
inline constexpr std::string_view kHiveDefaultPartition = "__HIVE_DEFAULT_PARTITION__";

/// One key=value pair from a partition directory. A null value is std::nullopt.
struct HivePartition {
  std::string key;
  std::optional<std::string> value;

  bool operator==(const HivePartition&) const = default;
};

/// Reads the partitions a file path encodes, in path order: every directory component holding
/// '=' with a non-empty key, split at the first '='. The last component is the file name and is
/// never read (a path ending in '/' is all directories). Percent escapes (%XX) are decoded in keys
/// and values, malformed ones are kept as written, and `__HIVE_DEFAULT_PARTITION__` is a null.
/// A key that appears twice is reported twice; the caller decides which wins.
std::vector<HivePartition> ParseHivePartitions(std::string_view path);

/// Builds the relative directory for a partition tuple, "k1=v1/k2=v2" (no trailing '/'), escaping
/// '/', '=', '%' and the other characters Hive escapes (control characters, quotes, '#', '*', ':',
/// '?', '\\', '[', ']', '^', '{', DEL) as %XX. A null or empty value becomes
/// `__HIVE_DEFAULT_PARTITION__`, as in Hive and Spark, so an empty string reads back as null.
/// Throws ThrowInvalid for an empty key, which no reader could parse back.
std::string HivePartitionDirectory(const std::vector<HivePartition>& partitions);

/// Decodes %XX escapes; anything else, including a '%' not followed by two hex digits, is kept.
std::string UnescapeHivePathComponent(std::string_view text);

/// Escapes one key or value as Hive does (see HivePartitionDirectory).
std::string EscapeHivePathComponent(std::string_view text);

}  // namespace sluice::io
