// Construction, naming and layout facts of logical types.
#include "core/types.h"

#include <fmt/format.h>

#include "core/error.h"

namespace sluice {

namespace {
DataType Simple(TypeId id) {
  DataType type;
  type.id = id;
  return type;
}
}  // namespace

DataType Bool() {
  return Simple(TypeId::kBool);
}
DataType Int8() {
  return Simple(TypeId::kInt8);
}
DataType Int16() {
  return Simple(TypeId::kInt16);
}
DataType Int32() {
  return Simple(TypeId::kInt32);
}
DataType Int64() {
  return Simple(TypeId::kInt64);
}
DataType UInt8() {
  return Simple(TypeId::kUInt8);
}
DataType UInt16() {
  return Simple(TypeId::kUInt16);
}
DataType UInt32() {
  return Simple(TypeId::kUInt32);
}
DataType UInt64() {
  return Simple(TypeId::kUInt64);
}
DataType Float32() {
  return Simple(TypeId::kFloat32);
}
DataType Float64() {
  return Simple(TypeId::kFloat64);
}
DataType Binary() {
  return Simple(TypeId::kBinary);
}
DataType Uuid() {
  return Simple(TypeId::kUuid);
}
DataType Date32() {
  return Simple(TypeId::kDate32);
}

DataType Decimal(int precision, int scale) {
  if (precision < 1 || precision > 38 || scale < 0 || scale > precision) {
    ThrowUnsupported(
        "decimal({},{}) is not supported: precision must be 1..38 and scale 0..precision",
        precision, scale);
  }
  DataType type = Simple(TypeId::kDecimal);
  type.precision = static_cast<uint8_t>(precision);
  type.scale = static_cast<uint8_t>(scale);
  return type;
}

DataType Utf8(StringKind kind) {
  DataType type = Simple(TypeId::kUtf8);
  type.string_kind = kind;
  return type;
}

DataType FixedSizeBinary(int byte_width) {
  DataType type = Simple(TypeId::kFixedSizeBinary);
  type.byte_width = byte_width;
  return type;
}

DataType Time64(TimeUnit unit, std::string timezone) {
  DataType type = Simple(TypeId::kTime64);
  type.unit = unit;
  type.timezone = std::move(timezone);
  return type;
}

DataType Timestamp(TimeUnit unit, std::string timezone) {
  DataType type = Simple(TypeId::kTimestamp);
  type.unit = unit;
  type.timezone = std::move(timezone);
  return type;
}

DataType Duration(TimeUnit unit) {
  DataType type = Simple(TypeId::kDuration);
  type.unit = unit;
  return type;
}

const char* TimeUnitName(TimeUnit unit) {
  switch (unit) {
    case TimeUnit::kSecond: return "s";
    case TimeUnit::kMilli: return "ms";
    case TimeUnit::kMicro: return "us";
    case TimeUnit::kNano: return "ns";
  }
  return "?";
}

int64_t UnitsPerSecond(TimeUnit unit) {
  switch (unit) {
    case TimeUnit::kSecond: return 1;
    case TimeUnit::kMilli: return 1000;
    case TimeUnit::kMicro: return 1000000;
    case TimeUnit::kNano: return 1000000000;
  }
  return 1;
}

std::string DataType::ToString() const {
  switch (id) {
    case TypeId::kBool: return "bool";
    case TypeId::kInt8: return "int8";
    case TypeId::kInt16: return "int16";
    case TypeId::kInt32: return "int32";
    case TypeId::kInt64: return "int64";
    case TypeId::kUInt8: return "uint8";
    case TypeId::kUInt16: return "uint16";
    case TypeId::kUInt32: return "uint32";
    case TypeId::kUInt64: return "uint64";
    case TypeId::kFloat32: return "float32";
    case TypeId::kFloat64: return "float64";
    case TypeId::kDecimal: return fmt::format("decimal({},{})", precision, scale);
    case TypeId::kUtf8:
      switch (string_kind) {
        case StringKind::kJson: return "utf8[json]";
        case StringKind::kEnum: return "utf8[enum]";
        case StringKind::kPlain: break;
      }
      return "utf8";
    case TypeId::kBinary: return "binary";
    case TypeId::kFixedSizeBinary: return fmt::format("fixed_size_binary({})", byte_width);
    case TypeId::kUuid: return "uuid";
    case TypeId::kDate32: return "date32";
    case TypeId::kTime64:
      if (timezone.empty()) return fmt::format("time64[{}]", TimeUnitName(unit));
      return fmt::format("time64[{}, {}]", TimeUnitName(unit), timezone);
    case TypeId::kTimestamp:
      if (timezone.empty()) return fmt::format("timestamp[{}]", TimeUnitName(unit));
      return fmt::format("timestamp[{}, {}]", TimeUnitName(unit), timezone);
    case TypeId::kDuration: return fmt::format("duration[{}]", TimeUnitName(unit));
  }
  return "?";
}

int DataType::FixedWidth() const {
  switch (id) {
    case TypeId::kBool: return 0;
    case TypeId::kInt8:
    case TypeId::kUInt8: return 1;
    case TypeId::kInt16:
    case TypeId::kUInt16: return 2;
    case TypeId::kInt32:
    case TypeId::kUInt32:
    case TypeId::kFloat32:
    case TypeId::kDate32: return 4;
    case TypeId::kInt64:
    case TypeId::kUInt64:
    case TypeId::kFloat64:
    case TypeId::kTime64:
    case TypeId::kTimestamp:
    case TypeId::kDuration: return 8;
    case TypeId::kDecimal:
    case TypeId::kUuid: return 16;
    case TypeId::kFixedSizeBinary: return byte_width;
    case TypeId::kUtf8:
    case TypeId::kBinary: return 0;
  }
  return 0;
}

}  // namespace sluice
