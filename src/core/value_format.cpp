// Per-type value rendering.
#include "core/value_format.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cstring>

#include "core/decimal.h"
#include "core/temporal.h"

namespace sluice {

namespace {
template <typename T>
T Load(const Column& column, int64_t row) {
  T value;
  std::memcpy(&value, column.values->data() + row * int64_t{sizeof(T)}, sizeof(T));
  return value;
}

std::string Hex(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() * 4);
  for (unsigned char byte : bytes) {
    if (byte >= 0x20 && byte < 0x7f && byte != '\\') {
      out.push_back(static_cast<char>(byte));
    } else {
      out += fmt::format("\\x{:02X}", byte);
    }
  }
  return out;
}

std::string FormatUuid(std::string_view bytes) {
  std::string out;
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out += fmt::format("{:02x}", static_cast<unsigned char>(bytes[i]));
  }
  return out;
}
}  // namespace

std::string FormatDouble(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char buffer[64];
  auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  return std::string(buffer, result.ptr);
}

std::string FormatValue(const Column& column, int64_t row) {
  const DataType& type = column.type;
  switch (type.id) {
    case TypeId::kBool: return column.BoolAt(row) ? "true" : "false";
    case TypeId::kInt8: return fmt::to_string(Load<int8_t>(column, row));
    case TypeId::kInt16: return fmt::to_string(Load<int16_t>(column, row));
    case TypeId::kInt32: return fmt::to_string(Load<int32_t>(column, row));
    case TypeId::kInt64: return fmt::to_string(Load<int64_t>(column, row));
    case TypeId::kUInt8: return fmt::to_string(Load<uint8_t>(column, row));
    case TypeId::kUInt16: return fmt::to_string(Load<uint16_t>(column, row));
    case TypeId::kUInt32: return fmt::to_string(Load<uint32_t>(column, row));
    case TypeId::kUInt64: return fmt::to_string(Load<uint64_t>(column, row));
    case TypeId::kFloat32: {
      float value = Load<float>(column, row);
      if (std::isnan(value) || std::isinf(value)) return FormatDouble(value);
      char buffer[64];
      auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
      return std::string(buffer, result.ptr);
    }
    case TypeId::kFloat64: return FormatDouble(Load<double>(column, row));
    case TypeId::kDecimal: return FormatDecimal(Load<int128_t>(column, row), type.scale);
    case TypeId::kUtf8: return std::string(column.StringAt(row));
    case TypeId::kBinary: return Hex(column.StringAt(row));
    case TypeId::kFixedSizeBinary: return Hex(column.FixedBytesAt(row));
    case TypeId::kUuid: return FormatUuid(column.FixedBytesAt(row));
    case TypeId::kDate32: return FormatDate(Load<int32_t>(column, row));
    case TypeId::kTime64: return FormatTimeOfDay(Load<int64_t>(column, row), type.unit);
    case TypeId::kTimestamp:
      return FormatTimestamp(Load<int64_t>(column, row), type.unit, type.timezone);
    case TypeId::kDuration: return FormatDuration(Load<int64_t>(column, row), type.unit);
  }
  return "?";
}

}  // namespace sluice
