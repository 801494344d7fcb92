// Turns a logical column into what a Parquet leaf stores: definition levels and the dense,
// PLAIN-encodable physical values (narrow ints widened to INT32, decimals to INT32/INT64 or
// big-endian bytes, bools as bytes), plus the sort order its statistics follow.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/column.h"
#include "io/parquet/format/metadata.h"

namespace sluice::io::parquet {

/// How min/max statistics of a leaf compare (parquet.thrift's type-defined orders).
enum class SortKind : uint8_t {
  kBool,
  kSigned32,
  kUnsigned32,
  kSigned64,
  kUnsigned64,
  kFloat,
  kDouble,
  kBytes,
  kSignedBytes
};

/// Dense physical values of one column slice: fixed-width bytes or views of variable-length ones.
struct PhysicalValues {
  int width = 0;                        ///< Bytes per value; 0 for BYTE_ARRAY.
  std::vector<uint8_t> fixed;           ///< count * width bytes.
  std::vector<std::string_view> views;  ///< BYTE_ARRAY values (into the column or `fixed`).
  int64_t count = 0;
};

SortKind SortKindFor(const DataType& type, const SchemaElement& element);

/// Fills `levels` (1 valid, 0 null) for rows [offset, offset + length) and `out` with the
/// non-null values in physical form.
void ToPhysical(const Column& column, int64_t offset, int64_t length, const SchemaElement& element,
                std::vector<uint8_t>* levels, PhysicalValues* out);

/// Orders two PLAIN values (without length prefix) of a leaf: <0, 0, >0.
int ComparePlain(std::string_view a, std::string_view b, SortKind kind);

/// The running min and max of a page or a chunk; NaN is never a bound.
struct MinMax {
  bool has = false;
  std::string min, max;
  void Update(std::string_view value, SortKind kind);
  /// Updates with `count` contiguous values of `width` bytes (a typed loop for numbers).
  void UpdateFixed(const uint8_t* values, int64_t count, int width, SortKind kind);
  void Merge(const MinMax& other, SortKind kind);
};

}  // namespace sluice::io::parquet
