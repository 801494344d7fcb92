// SQL type names to data types, DuckDB's aliases included.
#include "sql/sql_types.h"

#include <fmt/format.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "sql/bind_names.h"
#include "sql/sql_error.h"

namespace sluice::sql {

namespace {

/// The types named without parameters; DECIMAL and NUMERIC are handled apart.
std::optional<DataType> SimpleType(const std::string& name) {
  static const std::map<std::string, DataType> kTypes = {
      {"boolean", Bool()},
      {"bool", Bool()},
      {"logical", Bool()},
      {"tinyint", Int8()},
      {"int1", Int8()},
      {"smallint", Int16()},
      {"int2", Int16()},
      {"short", Int16()},
      {"integer", Int32()},
      {"int", Int32()},
      {"int4", Int32()},
      {"signed", Int32()},
      {"bigint", Int64()},
      {"int8", Int64()},
      {"long", Int64()},
      {"utinyint", UInt8()},
      {"usmallint", UInt16()},
      {"uinteger", UInt32()},
      {"ubigint", UInt64()},
      {"real", Float32()},
      {"float4", Float32()},
      {"float", Float32()},
      {"double", Float64()},
      {"float8", Float64()},
      {"double precision", Float64()},
      {"varchar", Utf8()},
      {"text", Utf8()},
      {"string", Utf8()},
      {"char", Utf8()},
      {"bpchar", Utf8()},
      {"character", Utf8()},
      {"character varying", Utf8()},
      {"nvarchar", Utf8()},
      {"json", Utf8(StringKind::kJson)},
      {"blob", Binary()},
      {"bytea", Binary()},
      {"binary", Binary()},
      {"varbinary", Binary()},
      {"uuid", Uuid()},
      {"date", Date32()},
      {"time", Time64(TimeUnit::kMicro)},
      {"timestamp", Timestamp(TimeUnit::kMicro)},
      {"datetime", Timestamp(TimeUnit::kMicro)},
      {"timestamp without time zone", Timestamp(TimeUnit::kMicro)},
      {"timestamp_us", Timestamp(TimeUnit::kMicro)},
      {"timestamp_ms", Timestamp(TimeUnit::kMilli)},
      {"timestamp_s", Timestamp(TimeUnit::kSecond)},
      {"timestamp_ns", Timestamp(TimeUnit::kNano)},
      {"timestamptz", Timestamp(TimeUnit::kMicro, "UTC")},
      {"timestamp with time zone", Timestamp(TimeUnit::kMicro, "UTC")},
      {"interval", Duration(TimeUnit::kMicro)},
  };
  auto it = kTypes.find(name);
  if (it == kTypes.end()) return std::nullopt;
  return it->second;
}

/// Why the type cannot be made, or empty with *out set.
std::string MakeType(const std::string& upper, const std::vector<int64_t>& params, DataType* out) {
  std::string name = LowerName(upper);
  if (name == "decimal" || name == "numeric" || name == "dec") {
    int64_t precision = params.empty() ? 18 : params[0];
    int64_t scale = params.size() >= 2 ? params[1] : (params.empty() ? 3 : 0);
    if (params.size() > 2) return fmt::format("{} takes at most 2 parameters", upper);
    if (precision < 1 || precision > 38)
      return fmt::format("{} precision must be between 1 and 38, not {}", upper, precision);
    if (scale < 0 || scale > precision)
      return fmt::format("{} scale must be between 0 and the precision {}, not {}", upper,
                         precision, scale);
    *out = Decimal(static_cast<int>(precision), static_cast<int>(scale));
    return "";
  }
  if (name == "hugeint" || name == "int128" || name == "uhugeint") {
    // No 128-bit integer type: the widest exact type is a decimal of 38 digits.
    *out = Decimal(38, 0);
    return "";
  }
  std::optional<DataType> simple = SimpleType(name);
  if (!simple) return fmt::format("unknown type {}", upper);
  // VARCHAR(n), CHAR(n) and the like take a length that does not change the type.
  bool takes_length = simple->id == TypeId::kUtf8 || simple->id == TypeId::kBinary;
  if (!params.empty() && !takes_length) return fmt::format("type {} takes no parameters", upper);
  *out = *simple;
  return "";
}

}  // namespace

DataType SqlType(const TypeName& type, std::string_view sql) {
  DataType out;
  std::string problem = MakeType(type.name, type.params, &out);
  if (!problem.empty()) ThrowSqlError(sql, type.pos, problem);
  return out;
}

DataType SqlTypeFromName(std::string_view name) {
  DataType out;
  std::string upper(name);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::string problem = MakeType(upper, {}, &out);
  if (!problem.empty()) ThrowInvalid("{}", problem);
  return out;
}

}  // namespace sluice::sql
