// Decodes the Parquet metadata structures of metadata.h from the Thrift compact protocol. Each
// struct has one Read* function that loops over field headers: known ids are type-checked and
// read, unknown ids are skipped (forward compatibility), required fields are tracked in a bit set
// and checked at the stop field, and sizes and counts are rejected when negative.
#include <algorithm>
#include <initializer_list>
#include <limits>
#include <string_view>

#include "io/parquet/format/metadata.h"
#include "io/parquet/format/thrift_compact.h"

namespace sluice::io::parquet {
namespace {

/// Returns the bit that records field `id` as seen (all ids here are below 32).
constexpr uint32_t FieldBit(int16_t id) { return id > 0 && id < 32 ? uint32_t{1} << id : 0; }

struct RequiredField {
  int16_t id;
  const char* name;
};

void CheckRequired(const CompactReader& reader, const char* struct_name, uint32_t seen,
                   std::initializer_list<RequiredField> required) {
  for (const RequiredField& field : required) {
    if ((seen & FieldBit(field.id)) == 0) {
      reader.Fail("{} ending at offset {} lacks the required field {} (id {})", struct_name,
                  reader.position(), field.name, field.id);
    }
  }
}

/// Tells whether a value of wire type `actual` may be read as `expected`: integers of any width
/// stand for each other (ReadInteger range-checks them), and a set for a list.
bool Compatible(CompactType actual, CompactType expected) {
  if (actual == expected) return true;
  if (IsInteger(expected)) return IsInteger(actual);
  if (IsBool(expected)) return IsBool(actual);
  return expected == CompactType::kList && actual == CompactType::kSet;
}

/// Names what a field of wire type `expected` may be, for messages.
const char* ExpectedName(CompactType expected) {
  return IsInteger(expected) ? "integer" : CompactTypeName(expected);
}

void ExpectType(const CompactReader& reader, const FieldHeader& header, CompactType expected,
                const char* field) {
  if (!Compatible(header.type, expected)) {
    reader.Fail("field {} (id {}) at offset {} has wire type {}, expected {}", field, header.id,
                reader.position(), CompactTypeName(header.type), ExpectedName(expected));
  }
}

/// Reads an integer of wire type `type` that must lie in [min, max].
int64_t ReadRanged(CompactReader& reader, CompactType type, const char* field, int64_t min,
                   int64_t max) {
  const size_t start = reader.position();
  const int64_t value = reader.ReadInteger(type);
  if (value < min) {
    if (min == 0) reader.Fail("{} is {} at offset {}; it must not be negative", field, value, start);
    reader.Fail("{} is {} at offset {}, below its minimum {}", field, value, start, min);
  }
  if (value > max) {
    reader.Fail("{} is {} at offset {}, above its maximum {}", field, value, start, max);
  }
  return value;
}

template <typename T>
T ReadInt(CompactReader& reader, const FieldHeader& header, const char* field) {
  ExpectType(reader, header, CompactType::kI64, field);
  return static_cast<T>(ReadRanged(reader, header.type, field, std::numeric_limits<T>::min(),
                                   std::numeric_limits<T>::max()));
}

/// Reads a size, count, offset or index, which parquet.thrift implies cannot be negative.
template <typename T>
T ReadNonNegative(CompactReader& reader, const FieldHeader& header, const char* field) {
  ExpectType(reader, header, CompactType::kI64, field);
  return static_cast<T>(
      ReadRanged(reader, header.type, field, 0, std::numeric_limits<T>::max()));
}

/// Reads an optional statistic count; a negative one is dropped, meaning "unknown".
std::optional<int64_t> ReadCountOrUnknown(CompactReader& reader, const FieldHeader& header,
                                          const char* field) {
  const int64_t value = ReadInt<int64_t>(reader, header, field);
  if (value < 0) return std::nullopt;
  return value;
}

/// Reads an enum keeping unknown values, so that only their use (not the footer) fails.
template <typename E>
E ReadEnum(CompactReader& reader, const FieldHeader& header, const char* field) {
  return static_cast<E>(ReadInt<int32_t>(reader, header, field));
}

bool ReadBoolField(const CompactReader& reader, const FieldHeader& header, const char* field) {
  ExpectType(reader, header, CompactType::kBoolTrue, field);
  return header.bool_value();
}

std::string_view ReadBinaryField(CompactReader& reader, const FieldHeader& header,
                                 const char* field) {
  ExpectType(reader, header, CompactType::kBinary, field);
  return reader.ReadBinary();
}

ListHeader ReadListField(CompactReader& reader, const FieldHeader& header, const char* field,
                         CompactType element_type) {
  ExpectType(reader, header, CompactType::kList, field);
  const size_t start = reader.position();
  const ListHeader list = reader.ReadListHeader();
  if (!Compatible(list.element_type, element_type)) {
    reader.Fail("{} at offset {} is a list of {}, expected a list of {}", field, start,
                CompactTypeName(list.element_type), ExpectedName(element_type));
  }
  return list;
}

/// Reserves room for `count` elements, but at most a megabyte up front: the count has been
/// checked against the bytes left, yet one byte on the wire may stand for a large struct, and
/// a hostile count must not reserve more memory than valid elements would actually fill.
template <typename T>
void ReserveBounded(std::vector<T>* values, uint32_t count) {
  constexpr size_t kMaxElements = std::max<size_t>(1, (size_t{1} << 20) / sizeof(T));
  values->reserve(std::min<size_t>(count, kMaxElements));
}

template <typename T>
void ReadIntList(CompactReader& reader, const FieldHeader& header, const char* field,
                 int64_t min, std::vector<T>* values) {
  const ListHeader list = ReadListField(reader, header, field, CompactType::kI64);
  values->clear();
  ReserveBounded(values, list.size);
  for (uint32_t i = 0; i < list.size; ++i) {
    values->push_back(static_cast<T>(ReadRanged(reader, list.element_type, field, min,
                                                std::numeric_limits<T>::max())));
  }
}

template <typename E>
void ReadEnumList(CompactReader& reader, const FieldHeader& header, const char* field,
                  std::vector<E>* values) {
  const ListHeader list = ReadListField(reader, header, field, CompactType::kI32);
  values->clear();
  ReserveBounded(values, list.size);
  for (uint32_t i = 0; i < list.size; ++i) {
    values->push_back(static_cast<E>(ReadRanged(reader, list.element_type, field,
                                                std::numeric_limits<int32_t>::min(),
                                                std::numeric_limits<int32_t>::max())));
  }
}

void ReadStringList(CompactReader& reader, const FieldHeader& header, const char* field,
                    std::vector<std::string>* values) {
  const ListHeader list = ReadListField(reader, header, field, CompactType::kBinary);
  values->clear();
  ReserveBounded(values, list.size);
  for (uint32_t i = 0; i < list.size; ++i) values->emplace_back(reader.ReadBinary());
}

/// Reads a list of structs, each straight into its final place (no copy of a large struct).
template <typename T>
void ReadStructList(CompactReader& reader, const FieldHeader& header, const char* field,
                    std::vector<T>* values, void (*read_one)(CompactReader&, T*)) {
  const ListHeader list = ReadListField(reader, header, field, CompactType::kStruct);
  values->clear();
  ReserveBounded(values, list.size);
  for (uint32_t i = 0; i < list.size; ++i) read_one(reader, &values->emplace_back());
}

/// Reads a struct field into *value, replacing what an earlier duplicate of the field left.
template <typename T>
void ReadStructField(CompactReader& reader, const FieldHeader& header, const char* field,
                     std::optional<T>* value, void (*read_one)(CompactReader&, T*)) {
  ExpectType(reader, header, CompactType::kStruct, field);
  read_one(reader, &value->emplace());
}

// ---------------------------------------------------------------------------------------------
// One reader per struct, in the order of parquet.thrift. Each expects a default-constructed
// *out, reads from BeginStruct to EndStruct, and leaves the reader after the stop field.

void ReadStatistics(CompactReader& reader, Statistics* out) {
  reader.BeginStruct("Statistics");
  for (FieldHeader h = reader.ReadFieldHeader(); !h.is_stop(); h = reader.ReadFieldHeader()) {
    switch (h.id) {
      case 1: out->max.emplace(ReadBinaryField(reader, h, "Statistics.max")); break;
      case 2: out->min.emplace(ReadBinaryField(reader, h, "Statistics.min")); break;
      case 3: out->null_count = ReadCountOrUnknown(reader, h, "Statistics.null_count"); break;
      case 4:
        out->distinct_count = ReadCountOrUnknown(reader, h, "Statistics.distinct_count");
        break;
      case 5: out->max_value.emplace(ReadBinaryField(reader, h, "Statistics.max_value")); break;
      case 6: out->min_value.emplace(ReadBinaryField(reader, h, "Statistics.min_value")); break;
      case 7:
        out->is_max_value_exact = ReadBoolField(reader, h, "Statistics.is_max_value_exact");
        break;
      case 8:
        out->is_min_value_exact = ReadBoolField(reader, h, "Statistics.is_min_value_exact");
        break;
      case 9: out->nan_count = ReadCountOrUnknown(reader, h, "Statistics.nan_count"); break;
      default: reader.Skip(h.type);
    }
  }
  reader.EndStruct();
}

/// Reads the TimeUnit union; returns nullopt for a member newer than this reader.
std::optional<TimeUnit> ReadTimeUnit(CompactReader& reader) {
  std::optional<TimeUnit> unit;
  bool any_member = false;
  reader.BeginStruct("TimeUnit");
  for (FieldHeader h = reader.ReadFieldHeader(); !h.is_stop(); h = reader.ReadFieldHeader()) {
    any_member = true;
    switch (h.id) {
      case 1: unit = TimeUnit::kMillis; break;
      case 2: unit = TimeUnit::kMicros; break;
      case 3: unit = TimeUnit::kNanos; break;
      default: unit = std::nullopt; break;
    }
    if (unit.has_value()) ExpectType(reader, h, CompactType::kStruct, "TimeUnit member");
    reader.Skip(h.type);  // The members are empty structs; skipping lets them grow fields.
  }
  if (!any_member) reader.Fail("TimeUnit ending at offset {} has no member set", reader.position());
  reader.EndStruct();
  return unit;
}

/// Reads a TimeType or TimestampType (same fields) into *out, whose kind is already set.
void ReadTimeLike(CompactReader& reader, const char* name, LogicalType* out) {
  uint32_t seen = 0;
  std::optional<TimeUnit> unit;
  reader.BeginStruct(name);
  for (FieldHeader h = reader.ReadFieldHeader(); !h.is_stop(); h = reader.ReadFieldHeader()) {
    switch (h.id) {
      case 1: out->is_adjusted_to_utc = ReadBoolField(reader, h, "isAdjustedToUTC"); break;
      case 2:
        ExpectType(reader, h, CompactType::kStruct, "unit");
        unit = ReadTimeUnit(reader);
        break;
      default: reader.Skip(h.type); continue;
    }
    seen |= FieldBit(h.id);
  }
  CheckRequired(reader, name, seen, {{1, "isAdjustedToUTC"}, {2, "unit"}});
  reader.EndStruct();
  if (unit.has_value()) {
    out->unit = *unit;
  } else {
    out->unrecognized_field_id = static_cast<int16_t>(out->kind);
    out->kind = LogicalType::Kind::kUnrecognized;
  }
}

void ReadDecimalType(CompactReader& reader, LogicalType* out) {
  uint32_t seen = 0;
  reader.BeginStruct("DecimalType");
  for (FieldHeader h = reader.ReadFieldHeader(); !h.is_stop(); h = reader.ReadFieldHeader()) {
    switch (h.id) {
      case 1: out->scale = ReadInt<int32_t>(reader, h, "DecimalType.scale"); break;
      case 2: out->precision = ReadInt<int32_t>(reader, h, "DecimalType.precision"); break;
      default: reader.Skip(h.type); continue;
    }
    seen |= FieldBit(h.id);
  }
  CheckRequired(reader, "DecimalType", seen, {{1, "scale"}, {2, "precision"}});
  reader.EndStruct();
}

void ReadIntType(CompactReader& reader, LogicalType* out) {
  uint32_t seen = 0;
  reader.BeginStruct("IntType");
  for (FieldHeader h = reader.ReadFieldHeader(); !h.is_stop(); h = reader.ReadFieldHeader()) {
    switch (h.id) {
      case 1: out->bit_width = ReadInt<int8_t>(reader, h, "IntType.bitWidth"); break;
      case 2: out->is_signed = ReadBoolField(reader, h, "IntType.isSigned"); break;
      default: reader.Skip(h.type); continue;
    }
    seen |= FieldBit(h.id);
  }
  CheckRequired(reader, "IntType", seen, {{1, "bitWidth"}, {2, "isSigned"}});
  reader.EndStruct();
}

void ReadLogicalType(CompactReader& reader, LogicalType* out) {
  using Kind = LogicalType::Kind;
  bool any_member = false;
  reader.BeginStruct("LogicalType");
  for (FieldHeader h = reader.ReadFieldHeader(); !h.is_stop(); h = reader.ReadFieldHeader()) {
    any_member = true;
    *out = LogicalType{};  // A union: the last member wins.
    const auto kind = static_cast<Kind>(h.id);
    switch (kind) {
      case Kind::kString:
      case Kind::kMap:
      case Kind::kList:
      case Kind::kEnum:
      case Kind::kDate:
      case Kind::kNull:
      case Kind::kJson:
      case Kind::kBson:
      case Kind::kUuid:
      case Kind::kFloat16:
        ExpectType(reader, h, CompactType::kStruct, "LogicalType member");
        out->kind = kind;
        reader.Skip(h.type);  // An empty struct today; skipping lets it grow fields.
        break;
      case Kind::kDecimal:
        ExpectType(reader, h, CompactType::kStruct, "LogicalType.DECIMAL");
        out->kind = kind;
        ReadDecimalType(reader, out);
        break;
      case Kind::kTime:
      case Kind::kTimestamp:
        ExpectType(reader, h, CompactType::kStruct, "LogicalType member");
        out->kind = kind;
        ReadTimeLike(reader, kind == Kind::kTime ? "TimeType" : "TimestampType", out);
        break;
      case Kind::kInteger:
        ExpectType(reader, h, CompactType::kStruct, "LogicalType.INTEGER");
        out->kind = kind;
        ReadIntType(reader, out);
        break;
      default:
        out->unrecognized_field_id = h.id;
        reader.Skip(h.type);
        break;
    }
  }
  if (!any_member) {
    reader.Fail("LogicalType ending at offset {} has no member set", reader.position());
  }
  reader.EndStruct();
}

void ReadSchemaElement(CompactReader& reader, SchemaElement* out) {
  uint32_t seen = 0;
  reader.BeginStruct("SchemaElement");
  for (FieldHeader h = reader.ReadFieldHeader(); !h.is_stop(); h = reader.ReadFieldHeader()) {
    switch (h.id) {
      case 1: out->type = ReadEnum<Type>(reader, h, "SchemaElement.type"); break;
      case 2: out->type_length = ReadInt<int32_t>(reader, h, "SchemaElement.type_length"); break;
      case 3:
        out->repetition_type =
            ReadEnum<FieldRepetitionType>(reader, h, "SchemaElement.repetition_type");
        break;
      case 4: out->name = ReadBinaryField(reader, h, "SchemaElement.name"); break;
      case 5:
        out->num_children = ReadNonNegative<int32_t>(reader, h, "SchemaElement.num_children");
        break;
      case 6:
        out->converted_type = ReadEnum<ConvertedType>(reader, h, "SchemaElement.converted_type");
        break;
      case 7: out->scale = ReadInt<int32_t>(reader, h, "SchemaElement.scale"); break;
      case 8: out->precision = ReadInt<int32_t>(reader, h, "SchemaElement.precision"); break;
      case 9: out->field_id = ReadInt<int32_t>(reader, h, "SchemaElement.field_id"); break;
      case 10:
        ReadStructField(reader, h, "SchemaElement.logicalType", &out->logical_type,
                        &ReadLogicalType);
        break;
      default: reader.Skip(h.type); continue;
    }
    seen |= FieldBit(h.id);
  }
  CheckRequired(reader, "SchemaElement", seen, {{4, "name"}});
  reader.EndStruct();
}

void ReadKeyValue(CompactReader& reader, KeyValue* out) {
  uint32_t seen = 0;
  reader.BeginStruct("KeyValue");
  for (FieldHeader h = reader.ReadFieldHeader(); !h.is_stop(); h = reader.ReadFieldHeader()) {
    switch (h.id) {
      case 1: out->key = ReadBinaryField(reader, h, "KeyValue.key"); break;
      case 2: out->value.emplace(ReadBinaryField(reader, h, "KeyValue.value")); break;
      default: reader.Skip(h.type); continue;
    }
    seen |= FieldBit(h.id);
  }
  CheckRequired(reader, "KeyValue", seen, {{1, "key"}});
  reader.EndStruct();
}

void ReadSortingColumn(CompactReader& reader, SortingColumn* out) {
  uint32_t seen = 0;
  reader.BeginStruct("SortingColumn");
  for (FieldHeader h = reader.ReadFieldHeader(); !h.is_stop(); h = reader.ReadFieldHeader()) {
    switch (h.id) {
      case 1:
        out->column_idx = ReadNonNegative<int32_t>(reader, h, "SortingColumn.column_idx");
        break;
      case 2: out->descending = ReadBoolField(reader, h, "SortingColumn.descending"); break;
      case 3: out->nulls_first = ReadBoolField(reader, h, "SortingColumn.nulls_first"); break;
      default: reader.Skip(h.type); continue;
    }
    seen |= FieldBit(h.id);
  }
  CheckRequired(reader, "SortingColumn", seen,
                {{1, "column_idx"}, {2, "descending"}, {3, "nulls_first"}});
  reader.EndStruct();
}

void ReadPageEncodingStats(CompactReader& reader, PageEncodingStats* out) {
  uint32_t seen = 0;
  reader.BeginStruct("PageEncodingStats");
  for (FieldHeader h = reader.ReadFieldHeader(); !h.is_stop(); h = reader.ReadFieldHeader()) {
    switch (h.id) {
      case 1: out->page_type = ReadEnum<PageType>(reader, h, "PageEncodingStats.page_type"); break;
      case 2: out->encoding = ReadEnum<Encoding>(reader, h, "PageEncodingStats.encoding"); break;
      case 3: out->count = ReadNonNegative<int32_t>(reader, h, "PageEncodingStats.count"); break;
      default: reader.Skip(h.type); continue;
    }
    seen |= FieldBit(h.id);
  }
  CheckRequired(reader, "PageEncodingStats", seen,
                {{1, "page_type"}, {2, "encoding"}, {3, "count"}});
  reader.EndStruct();
}

void ReadColumnMetaData(CompactReader& reader, ColumnMetaData* out) {
  uint32_t seen = 0;
  reader.BeginStruct("ColumnMetaData");
  for (FieldHeader h = reader.ReadFieldHeader(); !h.is_stop(); h = reader.ReadFieldHeader()) {
    switch (h.id) {
      case 1: out->type = ReadEnum<Type>(reader, h, "ColumnMetaData.type"); break;
      case 2: ReadEnumList(reader, h, "ColumnMetaData.encodings", &out->encodings); break;
      case 3:
        ReadStringList(reader, h, "ColumnMetaData.path_in_schema", &out->path_in_schema);
        break;
      case 4: out->codec = ReadEnum<CompressionCodec>(reader, h, "ColumnMetaData.codec"); break;
      case 5:
        out->num_values = ReadNonNegative<int64_t>(reader, h, "ColumnMetaData.num_values");
        break;
      case 6:
        out->total_uncompressed_size =
            ReadNonNegative<int64_t>(reader, h, "ColumnMetaData.total_uncompressed_size");
        break;
      case 7:
        out->total_compressed_size =
            ReadNonNegative<int64_t>(reader, h, "ColumnMetaData.total_compressed_size");
        break;
      case 8:
        ReadStructList(reader, h, "ColumnMetaData.key_value_metadata", &out->key_value_metadata,
                       &ReadKeyValue);
        break;
      case 9:
        out->data_page_offset =
            ReadNonNegative<int64_t>(reader, h, "ColumnMetaData.data_page_offset");
        break;
      case 10:
        out->index_page_offset =
            ReadNonNegative<int64_t>(reader, h, "ColumnMetaData.index_page_offset");
        break;
      case 11:
        out->dictionary_page_offset =
            ReadNonNegative<int64_t>(reader, h, "ColumnMetaData.dictionary_page_offset");
        break;
      case 12:
        ReadStructField(reader, h, "ColumnMetaData.statistics", &out->statistics,
                        &ReadStatistics);
        break;
      case 13:
        ReadStructList(reader, h, "ColumnMetaData.encoding_stats", &out->encoding_stats,
                       &ReadPageEncodingStats);
        break;
      case 14:
        out->bloom_filter_offset =
            ReadNonNegative<int64_t>(reader, h, "ColumnMetaData.bloom_filter_offset");
        break;
      case 15:
        out->bloom_filter_length =
            ReadNonNegative<int32_t>(reader, h, "ColumnMetaData.bloom_filter_length");
        break;
      default: reader.Skip(h.type); continue;
    }
    seen |= FieldBit(h.id);
  }
  CheckRequired(reader, "ColumnMetaData", seen,
                {{1, "type"},
                 {2, "encodings"},
                 {3, "path_in_schema"},
                 {4, "codec"},
                 {5, "num_values"},
                 {6, "total_uncompressed_size"},
                 {7, "total_compressed_size"},
                 {9, "data_page_offset"}});
  reader.EndStruct();
}

void ReadColumnChunk(CompactReader& reader, ColumnChunk* out) {
  uint32_t seen = 0;
  reader.BeginStruct("ColumnChunk");
  for (FieldHeader h = reader.ReadFieldHeader(); !h.is_stop(); h = reader.ReadFieldHeader()) {
    switch (h.id) {
      case 1: out->file_path.emplace(ReadBinaryField(reader, h, "ColumnChunk.file_path")); break;
      case 2: out->file_offset = ReadInt<int64_t>(reader, h, "ColumnChunk.file_offset"); break;
      case 3:
        ReadStructField(reader, h, "ColumnChunk.meta_data", &out->meta_data,
                        &ReadColumnMetaData);
        break;
      case 4:
        out->offset_index_offset =
            ReadNonNegative<int64_t>(reader, h, "ColumnChunk.offset_index_offset");
        break;
      case 5:
        out->offset_index_length =
            ReadNonNegative<int32_t>(reader, h, "ColumnChunk.offset_index_length");
        break;
      case 6:
        out->column_index_offset =
            ReadNonNegative<int64_t>(reader, h, "ColumnChunk.column_index_offset");
        break;
      case 7:
        out->column_index_length =
            ReadNonNegative<int32_t>(reader, h, "ColumnChunk.column_index_length");
        break;
      default: reader.Skip(h.type); continue;
    }
    seen |= FieldBit(h.id);
  }
  CheckRequired(reader, "ColumnChunk", seen, {{2, "file_offset"}});
  reader.EndStruct();
}

void ReadRowGroup(CompactReader& reader, RowGroup* out) {
  uint32_t seen = 0;
  reader.BeginStruct("RowGroup");
  for (FieldHeader h = reader.ReadFieldHeader(); !h.is_stop(); h = reader.ReadFieldHeader()) {
    switch (h.id) {
      case 1: ReadStructList(reader, h, "RowGroup.columns", &out->columns, &ReadColumnChunk); break;
      case 2:
        out->total_byte_size = ReadNonNegative<int64_t>(reader, h, "RowGroup.total_byte_size");
        break;
      case 3: out->num_rows = ReadNonNegative<int64_t>(reader, h, "RowGroup.num_rows"); break;
      case 4:
        ReadStructList(reader, h, "RowGroup.sorting_columns", &out->sorting_columns,
                       &ReadSortingColumn);
        break;
      case 5: out->file_offset = ReadInt<int64_t>(reader, h, "RowGroup.file_offset"); break;
      case 6:
        out->total_compressed_size =
            ReadNonNegative<int64_t>(reader, h, "RowGroup.total_compressed_size");
        break;
      case 7: out->ordinal = ReadInt<int16_t>(reader, h, "RowGroup.ordinal"); break;
      default: reader.Skip(h.type); continue;
    }
    seen |= FieldBit(h.id);
  }
  CheckRequired(reader, "RowGroup", seen,
                {{1, "columns"}, {2, "total_byte_size"}, {3, "num_rows"}});
  reader.EndStruct();
}

void ReadColumnOrder(CompactReader& reader, ColumnOrder* out) {
  out->kind = ColumnOrder::Kind::kUnrecognized;  // Also for an empty union: ignore the stats.
  reader.BeginStruct("ColumnOrder");
  for (FieldHeader h = reader.ReadFieldHeader(); !h.is_stop(); h = reader.ReadFieldHeader()) {
    if (h.id >= 1 && h.id <= 3) {
      ExpectType(reader, h, CompactType::kStruct, "ColumnOrder member");
      out->kind = static_cast<ColumnOrder::Kind>(h.id);
    } else {
      out->kind = ColumnOrder::Kind::kUnrecognized;
    }
    reader.Skip(h.type);  // The members are empty structs.
  }
  reader.EndStruct();
}

void ReadFileMetaDataStruct(CompactReader& reader, FileMetaData* out) {
  uint32_t seen = 0;
  reader.BeginStruct("FileMetaData");
  for (FieldHeader h = reader.ReadFieldHeader(); !h.is_stop(); h = reader.ReadFieldHeader()) {
    switch (h.id) {
      case 1: out->version = ReadInt<int32_t>(reader, h, "FileMetaData.version"); break;
      case 2:
        ReadStructList(reader, h, "FileMetaData.schema", &out->schema, &ReadSchemaElement);
        break;
      case 3: out->num_rows = ReadNonNegative<int64_t>(reader, h, "FileMetaData.num_rows"); break;
      case 4:
        ReadStructList(reader, h, "FileMetaData.row_groups", &out->row_groups, &ReadRowGroup);
        break;
      case 5:
        ReadStructList(reader, h, "FileMetaData.key_value_metadata", &out->key_value_metadata,
                       &ReadKeyValue);
        break;
      case 6: out->created_by.emplace(ReadBinaryField(reader, h, "FileMetaData.created_by")); break;
      case 7:
        ReadStructList(reader, h, "FileMetaData.column_orders", &out->column_orders,
                       &ReadColumnOrder);
        break;
      default: reader.Skip(h.type); continue;
    }
    seen |= FieldBit(h.id);
  }
  CheckRequired(reader, "FileMetaData", seen,
                {{1, "version"}, {2, "schema"}, {3, "num_rows"}, {4, "row_groups"}});
  if (out->schema.empty()) {
    reader.Fail("FileMetaData ending at offset {} has an empty schema (not even a root)",
                reader.position());
  }
  reader.EndStruct();
}

void ReadDataPageHeader(CompactReader& reader, DataPageHeader* out) {
  uint32_t seen = 0;
  reader.BeginStruct("DataPageHeader");
  for (FieldHeader h = reader.ReadFieldHeader(); !h.is_stop(); h = reader.ReadFieldHeader()) {
    switch (h.id) {
      case 1:
        out->num_values = ReadNonNegative<int32_t>(reader, h, "DataPageHeader.num_values");
        break;
      case 2: out->encoding = ReadEnum<Encoding>(reader, h, "DataPageHeader.encoding"); break;
      case 3:
        out->definition_level_encoding =
            ReadEnum<Encoding>(reader, h, "DataPageHeader.definition_level_encoding");
        break;
      case 4:
        out->repetition_level_encoding =
            ReadEnum<Encoding>(reader, h, "DataPageHeader.repetition_level_encoding");
        break;
      case 5:
        ReadStructField(reader, h, "DataPageHeader.statistics", &out->statistics,
                        &ReadStatistics);
        break;
      default: reader.Skip(h.type); continue;
    }
    seen |= FieldBit(h.id);
  }
  CheckRequired(reader, "DataPageHeader", seen,
                {{1, "num_values"},
                 {2, "encoding"},
                 {3, "definition_level_encoding"},
                 {4, "repetition_level_encoding"}});
  reader.EndStruct();
}

void ReadIndexPageHeader(CompactReader& reader, IndexPageHeader*) {
  reader.Skip(CompactType::kStruct);  // No fields yet.
}

void ReadDictionaryPageHeader(CompactReader& reader, DictionaryPageHeader* out) {
  uint32_t seen = 0;
  reader.BeginStruct("DictionaryPageHeader");
  for (FieldHeader h = reader.ReadFieldHeader(); !h.is_stop(); h = reader.ReadFieldHeader()) {
    switch (h.id) {
      case 1:
        out->num_values = ReadNonNegative<int32_t>(reader, h, "DictionaryPageHeader.num_values");
        break;
      case 2:
        out->encoding = ReadEnum<Encoding>(reader, h, "DictionaryPageHeader.encoding");
        break;
      case 3: out->is_sorted = ReadBoolField(reader, h, "DictionaryPageHeader.is_sorted"); break;
      default: reader.Skip(h.type); continue;
    }
    seen |= FieldBit(h.id);
  }
  CheckRequired(reader, "DictionaryPageHeader", seen, {{1, "num_values"}, {2, "encoding"}});
  reader.EndStruct();
}

void ReadDataPageHeaderV2(CompactReader& reader, DataPageHeaderV2* out) {
  uint32_t seen = 0;
  reader.BeginStruct("DataPageHeaderV2");
  for (FieldHeader h = reader.ReadFieldHeader(); !h.is_stop(); h = reader.ReadFieldHeader()) {
    switch (h.id) {
      case 1:
        out->num_values = ReadNonNegative<int32_t>(reader, h, "DataPageHeaderV2.num_values");
        break;
      case 2:
        out->num_nulls = ReadNonNegative<int32_t>(reader, h, "DataPageHeaderV2.num_nulls");
        break;
      case 3:
        out->num_rows = ReadNonNegative<int32_t>(reader, h, "DataPageHeaderV2.num_rows");
        break;
      case 4: out->encoding = ReadEnum<Encoding>(reader, h, "DataPageHeaderV2.encoding"); break;
      case 5:
        out->definition_levels_byte_length = ReadNonNegative<int32_t>(
            reader, h, "DataPageHeaderV2.definition_levels_byte_length");
        break;
      case 6:
        out->repetition_levels_byte_length = ReadNonNegative<int32_t>(
            reader, h, "DataPageHeaderV2.repetition_levels_byte_length");
        break;
      case 7:
        out->is_compressed = ReadBoolField(reader, h, "DataPageHeaderV2.is_compressed");
        break;
      case 8:
        ReadStructField(reader, h, "DataPageHeaderV2.statistics", &out->statistics,
                        &ReadStatistics);
        break;
      default: reader.Skip(h.type); continue;
    }
    seen |= FieldBit(h.id);
  }
  CheckRequired(reader, "DataPageHeaderV2", seen,
                {{1, "num_values"},
                 {2, "num_nulls"},
                 {3, "num_rows"},
                 {4, "encoding"},
                 {5, "definition_levels_byte_length"},
                 {6, "repetition_levels_byte_length"}});
  if (out->num_nulls > out->num_values) {
    reader.Fail("DataPageHeaderV2 ending at offset {} has more nulls ({}) than values ({})",
                reader.position(), out->num_nulls, out->num_values);
  }
  reader.EndStruct();
}

void ReadPageHeaderStruct(CompactReader& reader, PageHeader* out) {
  uint32_t seen = 0;
  reader.BeginStruct("PageHeader");
  for (FieldHeader h = reader.ReadFieldHeader(); !h.is_stop(); h = reader.ReadFieldHeader()) {
    switch (h.id) {
      case 1: out->type = ReadEnum<PageType>(reader, h, "PageHeader.type"); break;
      case 2:
        out->uncompressed_page_size =
            ReadNonNegative<int32_t>(reader, h, "PageHeader.uncompressed_page_size");
        break;
      case 3:
        out->compressed_page_size =
            ReadNonNegative<int32_t>(reader, h, "PageHeader.compressed_page_size");
        break;
      case 4: out->crc = ReadInt<int32_t>(reader, h, "PageHeader.crc"); break;
      case 5:
        ReadStructField(reader, h, "PageHeader.data_page_header", &out->data_page_header,
                        &ReadDataPageHeader);
        break;
      case 6:
        ReadStructField(reader, h, "PageHeader.index_page_header", &out->index_page_header,
                        &ReadIndexPageHeader);
        break;
      case 7:
        ReadStructField(reader, h, "PageHeader.dictionary_page_header",
                        &out->dictionary_page_header, &ReadDictionaryPageHeader);
        break;
      case 8:
        ReadStructField(reader, h, "PageHeader.data_page_header_v2", &out->data_page_header_v2,
                        &ReadDataPageHeaderV2);
        break;
      default: reader.Skip(h.type); continue;
    }
    seen |= FieldBit(h.id);
  }
  CheckRequired(reader, "PageHeader", seen,
                {{1, "type"}, {2, "uncompressed_page_size"}, {3, "compressed_page_size"}});
  const auto require_member = [&](bool present, const char* member) {
    if (!present) {
      reader.Fail("PageHeader ending at offset {} has type {} but no {}", reader.position(),
                  EnumName(out->type), member);
    }
  };
  switch (out->type) {
    case PageType::kDataPage:
      require_member(out->data_page_header.has_value(), "data_page_header");
      break;
    case PageType::kDictionaryPage:
      require_member(out->dictionary_page_header.has_value(), "dictionary_page_header");
      break;
    case PageType::kDataPageV2: {
      require_member(out->data_page_header_v2.has_value(), "data_page_header_v2");
      const DataPageHeaderV2& v2 = *out->data_page_header_v2;
      const int64_t levels =
          int64_t{v2.definition_levels_byte_length} + v2.repetition_levels_byte_length;
      if (levels > out->compressed_page_size || levels > out->uncompressed_page_size) {
        reader.Fail(
            "PageHeader ending at offset {} has {} bytes of levels in a page of {} bytes "
            "({} uncompressed)",
            reader.position(), levels, out->compressed_page_size, out->uncompressed_page_size);
      }
      break;
    }
    default: break;  // Index pages (never written) and unknown types: the page reader decides.
  }
  reader.EndStruct();
}

void ReadPageLocation(CompactReader& reader, PageLocation* out) {
  uint32_t seen = 0;
  reader.BeginStruct("PageLocation");
  for (FieldHeader h = reader.ReadFieldHeader(); !h.is_stop(); h = reader.ReadFieldHeader()) {
    switch (h.id) {
      case 1: out->offset = ReadNonNegative<int64_t>(reader, h, "PageLocation.offset"); break;
      case 2:
        out->compressed_page_size =
            ReadNonNegative<int32_t>(reader, h, "PageLocation.compressed_page_size");
        break;
      case 3:
        out->first_row_index =
            ReadNonNegative<int64_t>(reader, h, "PageLocation.first_row_index");
        break;
      default: reader.Skip(h.type); continue;
    }
    seen |= FieldBit(h.id);
  }
  CheckRequired(reader, "PageLocation", seen,
                {{1, "offset"}, {2, "compressed_page_size"}, {3, "first_row_index"}});
  reader.EndStruct();
}

void ReadOffsetIndexStruct(CompactReader& reader, OffsetIndex* out) {
  uint32_t seen = 0;
  reader.BeginStruct("OffsetIndex");
  for (FieldHeader h = reader.ReadFieldHeader(); !h.is_stop(); h = reader.ReadFieldHeader()) {
    switch (h.id) {
      case 1:
        ReadStructList(reader, h, "OffsetIndex.page_locations", &out->page_locations,
                       &ReadPageLocation);
        break;
      case 2:
        ReadIntList(reader, h, "OffsetIndex.unencoded_byte_array_data_bytes", 0,
                    &out->unencoded_byte_array_data_bytes.emplace());
        break;
      default: reader.Skip(h.type); continue;
    }
    seen |= FieldBit(h.id);
  }
  CheckRequired(reader, "OffsetIndex", seen, {{1, "page_locations"}});
  reader.EndStruct();
}

void ReadColumnIndexStruct(CompactReader& reader, ColumnIndex* out) {
  uint32_t seen = 0;
  reader.BeginStruct("ColumnIndex");
  for (FieldHeader h = reader.ReadFieldHeader(); !h.is_stop(); h = reader.ReadFieldHeader()) {
    switch (h.id) {
      case 1: {
        const ListHeader list =
            ReadListField(reader, h, "ColumnIndex.null_pages", CompactType::kBoolTrue);
        out->null_pages.assign(list.size, false);
        for (uint32_t i = 0; i < list.size; ++i) out->null_pages[i] = reader.ReadBool();
        break;
      }
      case 2: ReadStringList(reader, h, "ColumnIndex.min_values", &out->min_values); break;
      case 3: ReadStringList(reader, h, "ColumnIndex.max_values", &out->max_values); break;
      case 4:
        out->boundary_order = ReadEnum<BoundaryOrder>(reader, h, "ColumnIndex.boundary_order");
        break;
      case 5:
        ReadIntList(reader, h, "ColumnIndex.null_counts", std::numeric_limits<int64_t>::min(),
                    &out->null_counts.emplace());
        break;
      default: reader.Skip(h.type); continue;
    }
    seen |= FieldBit(h.id);
  }
  CheckRequired(reader, "ColumnIndex", seen,
                {{1, "null_pages"}, {2, "min_values"}, {3, "max_values"}, {4, "boundary_order"}});
  const size_t pages = out->null_pages.size();
  if (out->min_values.size() != pages || out->max_values.size() != pages) {
    reader.Fail(
        "ColumnIndex ending at offset {} has lists of different lengths: {} null_pages, "
        "{} min_values, {} max_values",
        reader.position(), pages, out->min_values.size(), out->max_values.size());
  }
  if (out->null_counts.has_value() && out->null_counts->size() != pages) {
    reader.Fail("ColumnIndex ending at offset {} has {} null_counts for {} pages",
                reader.position(), out->null_counts->size(), pages);
  }
  // A negative null count is corrupt, and unknown is a safe answer: drop them all.
  if (out->null_counts.has_value() &&
      std::any_of(out->null_counts->begin(), out->null_counts->end(),
                  [](int64_t count) { return count < 0; })) {
    out->null_counts.reset();
  }
  reader.EndStruct();
}

/// Reads a union whose only known member is the empty struct with id 1.
bool ReadSingleMemberUnion(CompactReader& reader, const char* name) {
  bool known = false;
  reader.BeginStruct(name);
  for (FieldHeader h = reader.ReadFieldHeader(); !h.is_stop(); h = reader.ReadFieldHeader()) {
    known = h.id == 1;
    if (known) ExpectType(reader, h, CompactType::kStruct, name);
    reader.Skip(h.type);
  }
  reader.EndStruct();
  return known;
}

void ReadBloomFilterHeaderStruct(CompactReader& reader, BloomFilterHeader* out) {
  uint32_t seen = 0;
  reader.BeginStruct("BloomFilterHeader");
  for (FieldHeader h = reader.ReadFieldHeader(); !h.is_stop(); h = reader.ReadFieldHeader()) {
    switch (h.id) {
      case 1:
        out->num_bytes = ReadNonNegative<int32_t>(reader, h, "BloomFilterHeader.numBytes");
        break;
      case 2:
        ExpectType(reader, h, CompactType::kStruct, "BloomFilterHeader.algorithm");
        out->algorithm = ReadSingleMemberUnion(reader, "BloomFilterAlgorithm")
                             ? BloomFilterAlgorithm::kBlock
                             : BloomFilterAlgorithm::kUnrecognized;
        break;
      case 3:
        ExpectType(reader, h, CompactType::kStruct, "BloomFilterHeader.hash");
        out->hash = ReadSingleMemberUnion(reader, "BloomFilterHash")
                        ? BloomFilterHash::kXxHash
                        : BloomFilterHash::kUnrecognized;
        break;
      case 4:
        ExpectType(reader, h, CompactType::kStruct, "BloomFilterHeader.compression");
        out->compression = ReadSingleMemberUnion(reader, "BloomFilterCompression")
                               ? BloomFilterCompression::kUncompressed
                               : BloomFilterCompression::kUnrecognized;
        break;
      default: reader.Skip(h.type); continue;
    }
    seen |= FieldBit(h.id);
  }
  CheckRequired(reader, "BloomFilterHeader", seen,
                {{1, "numBytes"}, {2, "algorithm"}, {3, "hash"}, {4, "compression"}});
  reader.EndStruct();
}

template <typename T>
T ReadTopLevel(const uint8_t* data, size_t size, size_t* consumed,
               void (*read)(CompactReader&, T*)) {
  CompactReader reader(data, size);
  T value;
  read(reader, &value);
  if (consumed != nullptr) *consumed = reader.position();
  return value;
}

}  // namespace

FileMetaData ReadFileMetaData(const uint8_t* data, size_t size, size_t* consumed) {
  return ReadTopLevel(data, size, consumed, &ReadFileMetaDataStruct);
}

PageHeader ReadPageHeader(const uint8_t* data, size_t size, size_t* consumed) {
  return ReadTopLevel(data, size, consumed, &ReadPageHeaderStruct);
}

ColumnIndex ReadColumnIndex(const uint8_t* data, size_t size, size_t* consumed) {
  return ReadTopLevel(data, size, consumed, &ReadColumnIndexStruct);
}

OffsetIndex ReadOffsetIndex(const uint8_t* data, size_t size, size_t* consumed) {
  return ReadTopLevel(data, size, consumed, &ReadOffsetIndexStruct);
}

BloomFilterHeader ReadBloomFilterHeader(const uint8_t* data, size_t size, size_t* consumed) {
  return ReadTopLevel(data, size, consumed, &ReadBloomFilterHeaderStruct);
}

}  // namespace sluice::io::parquet
