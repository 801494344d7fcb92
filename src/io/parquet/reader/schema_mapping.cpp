// Parquet schema tree -> sluice schema, and sluice types -> Parquet leaf elements.
#include "io/parquet/reader/schema_mapping.h"

#include <fmt/format.h>

#include "core/decimal.h"
#include "core/error.h"

namespace sluice::io::parquet {

namespace {

sluice::TimeUnit UnitOf(TimeUnit unit) {
  switch (unit) {
    case TimeUnit::kMillis: return sluice::TimeUnit::kMilli;
    case TimeUnit::kMicros: return sluice::TimeUnit::kMicro;
    case TimeUnit::kNanos: return sluice::TimeUnit::kNano;
  }
  return sluice::TimeUnit::kMicro;
}

// The logical type of a leaf, or an error message when sluice cannot read it.
struct Mapped {
  std::optional<DataType> type;
  std::string reason;
  bool unsigned_order = false;
};

Mapped Unsupported(std::string reason) {
  return {std::nullopt, std::move(reason), false};
}

Mapped MapDecimal(const SchemaElement& element, int32_t precision, int32_t scale) {
  if (precision < 1 || precision > 38 || scale < 0 || scale > precision) {
    return Unsupported(fmt::format("decimal({},{}) (precision must be 1..38)", precision, scale));
  }
  Type physical = *element.type;
  int32_t max_precision = physical == Type::kInt32 ? 9 : physical == Type::kInt64 ? 18 : 38;
  if (physical == Type::kFixedLenByteArray) {
    int32_t width = element.type_length.value_or(0);
    if (width < 1 || width > 16) {
      return Unsupported(
          fmt::format("decimal stored in {} bytes (at most 16 are supported)", width));
    }
  } else if (physical != Type::kByteArray && physical != Type::kInt32 && physical != Type::kInt64) {
    return Unsupported(fmt::format("decimal stored as {}", EnumName(physical)));
  }
  if (precision > max_precision) {
    // Writers must not do this, but the values still fit in 128 bits: read them.
  }
  return {Decimal(precision, scale), "",
          physical == Type::kFixedLenByteArray || physical == Type::kByteArray};
}

Mapped MapInteger(Type physical, int bit_width, bool is_signed) {
  if ((physical == Type::kInt32 && bit_width > 32) ||
      (physical == Type::kInt64 && bit_width != 64) ||
      (physical != Type::kInt32 && physical != Type::kInt64)) {
    return Unsupported(
        fmt::format("INT({}, {}) stored as {}", bit_width, is_signed, EnumName(physical)));
  }
  switch (bit_width) {
    case 8: return {is_signed ? Int8() : UInt8(), "", !is_signed};
    case 16: return {is_signed ? Int16() : UInt16(), "", !is_signed};
    case 32: return {is_signed ? Int32() : UInt32(), "", !is_signed};
    case 64: return {is_signed ? Int64() : UInt64(), "", !is_signed};
    default: return Unsupported(fmt::format("integer of {} bits", bit_width));
  }
}

Mapped MapLogical(const SchemaElement& element, const LogicalType& logical) {
  Type physical = *element.type;
  using Kind = LogicalType::Kind;
  switch (logical.kind) {
    case Kind::kString:
    case Kind::kEnum:
    case Kind::kJson:
      if (physical != Type::kByteArray) break;
      return {Utf8(logical.kind == Kind::kJson   ? StringKind::kJson
                   : logical.kind == Kind::kEnum ? StringKind::kEnum
                                                 : StringKind::kPlain),
              "", true};
    case Kind::kBson:
      if (physical != Type::kByteArray) break;
      return {Binary(), "", true};
    case Kind::kUuid:
      if (physical != Type::kFixedLenByteArray || element.type_length.value_or(0) != 16) break;
      return {Uuid(), "", true};
    case Kind::kFloat16:
      if (physical != Type::kFixedLenByteArray || element.type_length.value_or(0) != 2) break;
      return {Float32(), "", false};
    case Kind::kDecimal: return MapDecimal(element, logical.precision, logical.scale);
    case Kind::kDate:
      if (physical != Type::kInt32) break;
      return {Date32(), "", false};
    case Kind::kTime:
      if (logical.unit == TimeUnit::kMillis ? physical != Type::kInt32 : physical != Type::kInt64)
        break;
      return {Time64(UnitOf(logical.unit), logical.is_adjusted_to_utc ? "UTC" : ""), "", false};
    case Kind::kTimestamp:
      if (physical != Type::kInt64) break;
      return {Timestamp(UnitOf(logical.unit), logical.is_adjusted_to_utc ? "UTC" : ""), "", false};
    case Kind::kInteger: return MapInteger(physical, logical.bit_width, logical.is_signed);
    case Kind::kNull: return {std::nullopt, "", false};  // fall back to the physical type
    case Kind::kMap:
    case Kind::kList:
      return Unsupported(
          fmt::format("nested {} column", logical.kind == Kind::kMap ? "MAP" : "LIST"));
    case Kind::kUnrecognized:
      return Unsupported(
          fmt::format("logical type with Thrift id {}", logical.unrecognized_field_id));
  }
  return Unsupported(fmt::format("logical type {} on physical type {}",
                                 static_cast<int>(logical.kind), EnumName(physical)));
}

Mapped MapConverted(const SchemaElement& element, ConvertedType converted) {
  Type physical = *element.type;
  switch (converted) {
    case ConvertedType::kUtf8:
    case ConvertedType::kEnum:
    case ConvertedType::kJson:
      if (physical != Type::kByteArray) break;
      return {Utf8(converted == ConvertedType::kJson   ? StringKind::kJson
                   : converted == ConvertedType::kEnum ? StringKind::kEnum
                                                       : StringKind::kPlain),
              "", true};
    case ConvertedType::kBson:
      if (physical != Type::kByteArray) break;
      return {Binary(), "", true};
    case ConvertedType::kDecimal:
      return MapDecimal(element, element.precision.value_or(0), element.scale.value_or(0));
    case ConvertedType::kDate:
      if (physical != Type::kInt32) break;
      return {Date32(), "", false};
    case ConvertedType::kTimeMillis:
      if (physical != Type::kInt32) break;
      return {Time64(sluice::TimeUnit::kMilli), "", false};
    case ConvertedType::kTimeMicros:
      if (physical != Type::kInt64) break;
      return {Time64(sluice::TimeUnit::kMicro), "", false};
    // The legacy timestamp annotations mean UTC-adjusted instants (parquet-format LogicalTypes.md).
    case ConvertedType::kTimestampMillis:
      if (physical != Type::kInt64) break;
      return {Timestamp(sluice::TimeUnit::kMilli, "UTC"), "", false};
    case ConvertedType::kTimestampMicros:
      if (physical != Type::kInt64) break;
      return {Timestamp(sluice::TimeUnit::kMicro, "UTC"), "", false};
    case ConvertedType::kInt8: return MapInteger(physical, 8, true);
    case ConvertedType::kInt16: return MapInteger(physical, 16, true);
    case ConvertedType::kInt32: return MapInteger(physical, 32, true);
    case ConvertedType::kInt64: return MapInteger(physical, 64, true);
    case ConvertedType::kUint8: return MapInteger(physical, 8, false);
    case ConvertedType::kUint16: return MapInteger(physical, 16, false);
    case ConvertedType::kUint32: return MapInteger(physical, 32, false);
    case ConvertedType::kUint64: return MapInteger(physical, 64, false);
    case ConvertedType::kInterval: return Unsupported("INTERVAL column");
    case ConvertedType::kMap:
    case ConvertedType::kMapKeyValue:
    case ConvertedType::kList: return Unsupported("nested column");
  }
  return Unsupported(fmt::format("converted type {} on physical type {}", EnumName(converted),
                                 EnumName(physical)));
}

Mapped MapPhysical(const SchemaElement& element) {
  switch (*element.type) {
    case Type::kBoolean: return {Bool(), "", false};
    case Type::kInt32: return {Int32(), "", false};
    case Type::kInt64: return {Int64(), "", false};
    case Type::kInt96: return {Timestamp(sluice::TimeUnit::kNano), "", false};
    case Type::kFloat: return {Float32(), "", false};
    case Type::kDouble: return {Float64(), "", false};
    case Type::kByteArray: return {Binary(), "", true};
    case Type::kFixedLenByteArray: {
      int32_t width = element.type_length.value_or(0);
      if (width < 1) return Unsupported(fmt::format("FIXED_LEN_BYTE_ARRAY of width {}", width));
      return {FixedSizeBinary(width), "", true};
    }
  }
  return Unsupported(fmt::format("physical type {}", static_cast<int>(*element.type)));
}

Mapped MapLeaf(const SchemaElement& element) {
  if (element.logical_type) {
    Mapped mapped = MapLogical(element, *element.logical_type);
    if (mapped.type || !mapped.reason.empty()) return mapped;
  } else if (element.converted_type) {
    return MapConverted(element, *element.converted_type);
  }
  return MapPhysical(element);
}

// Walks one subtree starting at `index`, returning the index after it and counting its leaves.
size_t SkipSubtree(const std::vector<SchemaElement>& elements, size_t index, int* leaves,
                   const std::string& path, int depth) {
  if (depth > 100)
    ThrowInvalid("'{}': corrupt Parquet schema: nesting deeper than 100 levels", path);
  if (index >= elements.size()) {
    ThrowInvalid(
        "'{}': corrupt Parquet schema: a group declares more children than the schema has elements",
        path);
  }
  const SchemaElement& element = elements[index];
  if (!element.num_children || *element.num_children == 0) {
    if (!element.type)
      ThrowInvalid("'{}': corrupt Parquet schema: leaf '{}' has no type", path, element.name);
    ++*leaves;
    return index + 1;
  }
  size_t next = index + 1;
  for (int32_t child = 0; child < *element.num_children; ++child) {
    next = SkipSubtree(elements, next, leaves, path, depth + 1);
  }
  return next;
}

}  // namespace

FileSchema MapSchema(const FileMetaData& metadata, const std::string& path) {
  const auto& elements = metadata.schema;
  if (elements.empty()) ThrowInvalid("'{}': corrupt Parquet footer: the schema is empty", path);
  const SchemaElement& root = elements[0];
  int32_t top_level = root.num_children.value_or(0);
  if (top_level < 0 || static_cast<size_t>(top_level) >= elements.size() + 1) {
    ThrowInvalid(
        "'{}': corrupt Parquet schema: root declares {} columns but the schema has {} elements",
        path, top_level, elements.size());
  }
  FileSchema out;
  std::vector<Field> fields;
  size_t index = 1;
  for (int32_t column = 0; column < top_level; ++column) {
    if (index >= elements.size()) {
      ThrowInvalid("'{}': corrupt Parquet schema: root declares {} columns but only {} are present",
                   path, top_level, column);
    }
    const SchemaElement& element = elements[index];
    out.top_level_order.push_back(element.name);
    bool is_group = element.num_children && *element.num_children > 0;
    auto repetition = element.repetition_type.value_or(FieldRepetitionType::kOptional);
    if (is_group || repetition == FieldRepetitionType::kRepeated) {
      index = SkipSubtree(elements, index, &out.num_leaves, path, 1);
      std::string kind = "STRUCT";
      if (element.logical_type && element.logical_type->kind == LogicalType::Kind::kList)
        kind = "LIST";
      if (element.logical_type && element.logical_type->kind == LogicalType::Kind::kMap)
        kind = "MAP";
      if (element.converted_type == ConvertedType::kList) kind = "LIST";
      if (element.converted_type == ConvertedType::kMap ||
          element.converted_type == ConvertedType::kMapKeyValue) {
        kind = "MAP";
      }
      if (!is_group) kind = "repeated";
      out.unsupported.push_back({element.name, fmt::format("nested {} column", kind)});
      continue;
    }
    if (!element.type) {
      ThrowInvalid("'{}': corrupt Parquet schema: column '{}' has no type", path, element.name);
    }
    if (static_cast<int32_t>(*element.type) < 0 || static_cast<int32_t>(*element.type) > 7) {
      ThrowInvalid("'{}': corrupt Parquet schema: column '{}' has unknown physical type {}", path,
                   element.name, static_cast<int32_t>(*element.type));
    }
    Mapped mapped = MapLeaf(element);
    LeafColumn leaf;
    leaf.name = element.name;
    leaf.leaf_index = out.num_leaves++;
    leaf.physical = *element.type;
    leaf.type_length = element.type_length.value_or(0);
    leaf.max_definition_level = repetition == FieldRepetitionType::kOptional ? 1 : 0;
    if (leaf.physical == Type::kFixedLenByteArray && leaf.type_length <= 0) {
      ThrowInvalid(
          "'{}': corrupt Parquet schema: column '{}' is FIXED_LEN_BYTE_ARRAY without a width", path,
          element.name);
    }
    ++index;
    if (!mapped.type) {
      out.unsupported.push_back({element.name, mapped.reason});
      continue;
    }
    leaf.type = *mapped.type;
    leaf.unsigned_order = mapped.unsigned_order;
    fields.push_back({leaf.name, leaf.type, leaf.max_definition_level > 0});
    out.columns.push_back(std::move(leaf));
  }
  if (index != elements.size()) {
    ThrowInvalid("'{}': corrupt Parquet schema: {} elements follow the declared columns", path,
                 elements.size() - index);
  }
  out.schema = Schema(std::move(fields));
  return out;
}

SchemaElement LeafElementFor(const Field& field) {
  SchemaElement element;
  element.name = field.name;
  element.repetition_type =
      field.nullable ? FieldRepetitionType::kOptional : FieldRepetitionType::kRequired;
  const DataType& type = field.type;
  auto set = [&](Type physical, std::optional<LogicalType> logical = std::nullopt,
                 std::optional<ConvertedType> converted = std::nullopt) {
    element.type = physical;
    element.logical_type = logical;
    element.converted_type = converted;
  };
  auto unit = [](sluice::TimeUnit u) {
    return u == sluice::TimeUnit::kMilli  ? TimeUnit::kMillis
           : u == sluice::TimeUnit::kNano ? TimeUnit::kNanos
                                          : TimeUnit::kMicros;
  };
  switch (type.id) {
    case TypeId::kBool: set(Type::kBoolean); break;
    case TypeId::kInt8:
      set(Type::kInt32, LogicalType::Integer(8, true), ConvertedType::kInt8);
      break;
    case TypeId::kInt16:
      set(Type::kInt32, LogicalType::Integer(16, true), ConvertedType::kInt16);
      break;
    case TypeId::kInt32: set(Type::kInt32); break;
    case TypeId::kInt64: set(Type::kInt64); break;
    case TypeId::kUInt8:
      set(Type::kInt32, LogicalType::Integer(8, false), ConvertedType::kUint8);
      break;
    case TypeId::kUInt16:
      set(Type::kInt32, LogicalType::Integer(16, false), ConvertedType::kUint16);
      break;
    case TypeId::kUInt32:
      set(Type::kInt32, LogicalType::Integer(32, false), ConvertedType::kUint32);
      break;
    case TypeId::kUInt64:
      set(Type::kInt64, LogicalType::Integer(64, false), ConvertedType::kUint64);
      break;
    case TypeId::kFloat32: set(Type::kFloat); break;
    case TypeId::kFloat64: set(Type::kDouble); break;
    case TypeId::kDecimal: {
      Type physical = type.precision <= 9    ? Type::kInt32
                      : type.precision <= 18 ? Type::kInt64
                                             : Type::kFixedLenByteArray;
      set(physical, LogicalType::Decimal(type.scale, type.precision), ConvertedType::kDecimal);
      element.precision = type.precision;
      element.scale = type.scale;
      if (physical == Type::kFixedLenByteArray)
        element.type_length = DecimalByteWidth(type.precision);
      break;
    }
    case TypeId::kUtf8: {
      auto kind = type.string_kind == StringKind::kJson   ? LogicalType::Kind::kJson
                  : type.string_kind == StringKind::kEnum ? LogicalType::Kind::kEnum
                                                          : LogicalType::Kind::kString;
      auto converted = type.string_kind == StringKind::kJson   ? ConvertedType::kJson
                       : type.string_kind == StringKind::kEnum ? ConvertedType::kEnum
                                                               : ConvertedType::kUtf8;
      set(Type::kByteArray, LogicalType::Simple(kind), converted);
      break;
    }
    case TypeId::kBinary: set(Type::kByteArray); break;
    case TypeId::kFixedSizeBinary:
      set(Type::kFixedLenByteArray);
      element.type_length = type.byte_width;
      break;
    case TypeId::kUuid:
      set(Type::kFixedLenByteArray, LogicalType::Simple(LogicalType::Kind::kUuid));
      element.type_length = 16;
      break;
    case TypeId::kDate32:
      set(Type::kInt32, LogicalType::Simple(LogicalType::Kind::kDate), ConvertedType::kDate);
      break;
    case TypeId::kTime64:
      if (type.unit == sluice::TimeUnit::kMilli) {
        set(Type::kInt32, LogicalType::Time(!type.timezone.empty(), TimeUnit::kMillis),
            ConvertedType::kTimeMillis);
      } else if (type.unit == sluice::TimeUnit::kSecond) {
        ThrowUnsupported("column '{}': time64[s] cannot be written to Parquet; cast it to ms",
                         field.name);
      } else {
        std::optional<ConvertedType> converted;
        if (type.unit == sluice::TimeUnit::kMicro) converted = ConvertedType::kTimeMicros;
        set(Type::kInt64, LogicalType::Time(!type.timezone.empty(), unit(type.unit)), converted);
      }
      break;
    case TypeId::kTimestamp: {
      if (type.unit == sluice::TimeUnit::kSecond) {
        ThrowUnsupported("column '{}': timestamp[s] cannot be written to Parquet; cast it to ms",
                         field.name);
      }
      bool utc = !type.timezone.empty();
      std::optional<ConvertedType> converted;
      // The legacy annotations mean UTC-adjusted, so only those get one.
      if (utc && type.unit == sluice::TimeUnit::kMilli) converted = ConvertedType::kTimestampMillis;
      if (utc && type.unit == sluice::TimeUnit::kMicro) converted = ConvertedType::kTimestampMicros;
      set(Type::kInt64, LogicalType::Timestamp(utc, unit(type.unit)), converted);
      break;
    }
    case TypeId::kDuration: set(Type::kInt64); break;
  }
  return element;
}

}  // namespace sluice::io::parquet
