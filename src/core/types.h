// The logical types of sluice's data model (DESIGN.md "Data model"): what a column holds, how it
// is laid out in memory (Arrow layout), and how it prints (`timestamp[us, UTC]`, `decimal(15,2)`).
#pragma once

#include <cstdint>
#include <string>

namespace sluice {

enum class TypeId : uint8_t {
  kBool,
  kInt8,
  kInt16,
  kInt32,
  kInt64,
  kUInt8,
  kUInt16,
  kUInt32,
  kUInt64,
  kFloat32,
  kFloat64,
  kDecimal,  ///< 128-bit two's complement unscaled value (Arrow decimal128), precision <= 38.
  kUtf8,     ///< int64 offsets + bytes (Arrow large_utf8); valid UTF-8.
  kBinary,   ///< int64 offsets + bytes (Arrow large_binary).
  kFixedSizeBinary,  ///< byte_width bytes per value.
  kUuid,             ///< 16 bytes per value, big-endian as in RFC 4122.
  kDate32,           ///< int32 days since 1970-01-01.
  kTime64,           ///< int64 time of day in `unit` since midnight; `timezone` set when UTC-adjusted.
  kTimestamp,        ///< int64 in `unit` since the Unix epoch; `timezone` set when UTC-adjusted.
  kDuration,         ///< int64 in `unit`.
};

enum class TimeUnit : uint8_t { kSecond, kMilli, kMicro, kNano };

/// Marks what a utf8 column means beyond "text", so that it survives a Parquet round trip.
enum class StringKind : uint8_t { kPlain, kJson, kEnum };

/// A logical type. Parameters that a type does not use stay at their defaults, so that equality
/// is plain member-wise comparison.
struct DataType {
  TypeId id = TypeId::kInt64;
  uint8_t precision = 0;                        ///< kDecimal
  uint8_t scale = 0;                            ///< kDecimal
  TimeUnit unit = TimeUnit::kMicro;             ///< kTime64, kTimestamp, kDuration
  StringKind string_kind = StringKind::kPlain;  ///< kUtf8
  int32_t byte_width = 0;                       ///< kFixedSizeBinary
  std::string timezone;                         ///< kTimestamp; empty = local/naive time

  bool operator==(const DataType&) const = default;

  /// Renders the type as users read it: `int64`, `decimal(15,2)`, `timestamp[us, UTC]`.
  std::string ToString() const;

  /// Bytes per value in the values buffer; 0 for bool (bits) and variable-width types.
  int FixedWidth() const;
  bool IsVariableWidth() const { return id == TypeId::kUtf8 || id == TypeId::kBinary; }
  bool IsInteger() const { return id >= TypeId::kInt8 && id <= TypeId::kUInt64; }
  bool IsSignedInteger() const { return id >= TypeId::kInt8 && id <= TypeId::kInt64; }
  bool IsFloating() const { return id == TypeId::kFloat32 || id == TypeId::kFloat64; }
};

DataType Bool();
DataType Int8();
DataType Int16();
DataType Int32();
DataType Int64();
DataType UInt8();
DataType UInt16();
DataType UInt32();
DataType UInt64();
DataType Float32();
DataType Float64();
DataType Decimal(int precision, int scale);
DataType Utf8(StringKind kind = StringKind::kPlain);
DataType Binary();
DataType FixedSizeBinary(int byte_width);
DataType Uuid();
DataType Date32();
DataType Time64(TimeUnit unit, std::string timezone = "");
DataType Timestamp(TimeUnit unit, std::string timezone = "");
DataType Duration(TimeUnit unit);

/// `s`, `ms`, `us`, `ns`.
const char* TimeUnitName(TimeUnit unit);
/// Units per second: 1, 1e3, 1e6, 1e9.
int64_t UnitsPerSecond(TimeUnit unit);

}  // namespace sluice
