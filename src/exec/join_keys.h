// Join keys as the hash table sees them: per row a 64-bit hash, a flag saying whether the key can
// match at all (SQL: a null key never matches), and the key itself either packed into one 64-bit
// word (fixed-width keys of at most 8 bytes in total, the common integer-id case) or as bytes.
// Equal key values give equal encodings on both sides of the join: floats are normalized
// (-0.0 = 0.0, one NaN), and integers of different types are compared by value (widened to 64
// bits), so that an int32 key finds an int64 one.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/column.h"

namespace sluice::exec {

/// How one key column becomes bytes.
enum class KeyEncoding : uint8_t {
  kNative,      ///< The fixed-width value bytes as they are (same type on both sides).
  kFloat32,     ///< Normalized float bits.
  kFloat64,     ///< Normalized double bits.
  kBool,        ///< One byte, 0 or 1.
  kSigned64,    ///< Any integer as int64; uint64 values above INT64_MAX cannot match.
  kUnsigned64,  ///< Any unsigned integer as uint64.
  kVariable,    ///< utf8/binary: 4-byte length, then the bytes.
};

struct JoinKeySpec {
  std::vector<KeyEncoding> encodings;
  std::vector<int> widths;  ///< Bytes of each fixed-width encoding; 0 for kVariable.
  bool packed = false;      ///< Every key fixed-width and at most 8 bytes in total.
  int fixed_width = 0;      ///< Total bytes when every key is fixed-width, else 0.
};

/// Decides how to compare keys of `left` and `right` types pairwise. Where the encodings cannot
/// compare two types directly, sets left_targets[i] / right_targets[i] to the type that side must
/// be cast to first (they start as the input types). Throws invalid input naming the key pair
/// (`displays`) when the types cannot be compared at all.
JoinKeySpec PlanJoinKeys(const std::vector<DataType>& left, const std::vector<DataType>& right,
                         const std::vector<std::string>& displays,
                         std::vector<DataType>* left_targets, std::vector<DataType>* right_targets);

/// The encoded keys of a batch of rows.
struct EncodedKeys {
  int64_t rows = 0;
  std::vector<uint64_t> hashes;
  std::vector<uint8_t> valid;    ///< 1 when the row's key can match (no null part).
  std::vector<uint64_t> packed;  ///< Packed mode: the key of each row.
  /// Bytes mode: the key of row i is bytes[offsets[i], offsets[i + 1]), or with a fixed width,
  /// bytes[i * fixed_width, (i + 1) * fixed_width) and no offsets.
  std::vector<uint8_t> bytes;
  std::vector<uint64_t> offsets;
  int fixed_width = 0;

  const uint8_t* KeyAt(int64_t i) const {
    return fixed_width > 0 ? bytes.data() + i * fixed_width : bytes.data() + offsets[i];
  }
  size_t KeyLength(int64_t i) const {
    return fixed_width > 0 ? static_cast<size_t>(fixed_width)
                           : static_cast<size_t>(offsets[i + 1] - offsets[i]);
  }
  /// Bytes held, for memory accounting.
  int64_t MemoryBytes() const;
};

/// Encodes `keys` (one column per key, in the types PlanJoinKeys asked for) and hashes them.
void EncodeJoinKeys(const JoinKeySpec& spec, std::span<const Column> keys, EncodedKeys* out);

/// Concatenates encoded keys of consecutive row ranges into one.
EncodedKeys ConcatenateKeys(const JoinKeySpec& spec, std::span<const EncodedKeys> parts);

}  // namespace sluice::exec
