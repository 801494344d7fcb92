// Decodes the Parquet metadata structures of metadata.h from the Thrift compact protocol. Each
// struct has one Read* function built on CompactReader::ReadStruct: known field ids are
// type-checked and read, unknown ids are skipped (forward compatibility), missing required fields
// are reported by name, and sizes, counts and offsets are rejected when negative.
#include <algorithm>
#include <limits>
#include <string_view>

#include "io/parquet/format/metadata.h"
#include "io/parquet/format/thrift_compact.h"

namespace sluice::io::parquet {
namespace {

template <typename T>
T ReadInt(CompactReader& reader, const FieldHeader& header, const char* field) {
  reader.ExpectFieldType(header, CompactType::kI64, field);
  return static_cast<T>(reader.ReadIntegerIn(header.type, field, std::numeric_limits<T>::min(),
                                             std::numeric_limits<T>::max()));
}

/// Reads a size, count, offset or index, which parquet.thrift implies cannot be negative.
template <typename T>
T ReadNonNegative(CompactReader& reader, const FieldHeader& header, const char* field) {
  reader.ExpectFieldType(header, CompactType::kI64, field);
  return static_cast<T>(reader.ReadIntegerIn(header.type, field, 0, std::numeric_limits<T>::max()));
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
  reader.ExpectFieldType(header, CompactType::kBoolTrue, field);
  return header.bool_value();
}

std::string_view ReadBinaryField(CompactReader& reader, const FieldHeader& header,
                                 const char* field) {
  reader.ExpectFieldType(header, CompactType::kBinary, field);
  return reader.ReadBinary();
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
void ReadIntList(CompactReader& reader, const FieldHeader& header, const char* field, int64_t min,
                 std::vector<T>* values) {
  const ListHeader list = reader.ReadListField(header, field, CompactType::kI64);
  values->clear();
  ReserveBounded(values, list.size);
  for (uint32_t i = 0; i < list.size; ++i) {
    values->push_back(static_cast<T>(
        reader.ReadIntegerIn(list.element_type, field, min, std::numeric_limits<T>::max())));
  }
}

template <typename E>
void ReadEnumList(CompactReader& reader, const FieldHeader& header, const char* field,
                  std::vector<E>* values) {
  const ListHeader list = reader.ReadListField(header, field, CompactType::kI32);
  values->clear();
  ReserveBounded(values, list.size);
  for (uint32_t i = 0; i < list.size; ++i) {
    values->push_back(static_cast<E>(reader.ReadIntegerIn(list.element_type, field,
                                                          std::numeric_limits<int32_t>::min(),
                                                          std::numeric_limits<int32_t>::max())));
  }
}

void ReadStringList(CompactReader& reader, const FieldHeader& header, const char* field,
                    std::vector<std::string>* values) {
  const ListHeader list = reader.ReadListField(header, field, CompactType::kBinary);
  values->clear();
  ReserveBounded(values, list.size);
  for (uint32_t i = 0; i < list.size; ++i) values->emplace_back(reader.ReadBinary());
}

/// Reads a list of structs, each straight into its final place (no copy of a large struct).
template <typename T>
void ReadStructList(CompactReader& reader, const FieldHeader& header, const char* field,
                    std::vector<T>* values, void (*read_one)(CompactReader&, T*)) {
  const ListHeader list = reader.ReadListField(header, field, CompactType::kStruct);
  values->clear();
  ReserveBounded(values, list.size);
  for (uint32_t i = 0; i < list.size; ++i) read_one(reader, &values->emplace_back());
}

/// Reads a struct field into *value, replacing what an earlier duplicate of the field left.
template <typename T>
void ReadStructField(CompactReader& reader, const FieldHeader& header, const char* field,
                     std::optional<T>* value, void (*read_one)(CompactReader&, T*)) {
  reader.ExpectFieldType(header, CompactType::kStruct, field);
  read_one(reader, &value->emplace());
}

// ---------------------------------------------------------------------------------------------
// One reader per struct, in the order of parquet.thrift. Each expects a default-constructed
// *out and leaves the reader after the struct's stop field.

void ReadStatistics(CompactReader& reader, Statistics* out) {
  reader.ReadStruct("Statistics", {}, [&](const FieldHeader& h) {
    switch (h.id) {
      case 1: out->max.emplace(ReadBinaryField(reader, h, "Statistics.max")); return true;
      case 2: out->min.emplace(ReadBinaryField(reader, h, "Statistics.min")); return true;
      case 3: out->null_count = ReadCountOrUnknown(reader, h, "Statistics.null_count"); return true;
      case 4:
        out->distinct_count = ReadCountOrUnknown(reader, h, "Statistics.distinct_count");
        return true;
      case 5:
        out->max_value.emplace(ReadBinaryField(reader, h, "Statistics.max_value"));
        return true;
      case 6:
        out->min_value.emplace(ReadBinaryField(reader, h, "Statistics.min_value"));
        return true;
      case 7:
        out->is_max_value_exact = ReadBoolField(reader, h, "Statistics.is_max_value_exact");
        return true;
      case 8:
        out->is_min_value_exact = ReadBoolField(reader, h, "Statistics.is_min_value_exact");
        return true;
      case 9: out->nan_count = ReadCountOrUnknown(reader, h, "Statistics.nan_count"); return true;
      default: return false;
    }
  });
}

/// Reads a union of empty structs (TimeUnit, ColumnOrder, the bloom filter unions): returns the
/// id of the member that is set, or 0 when none is. Members are skipped rather than read so
/// that they may grow fields.
int16_t ReadEmptyStructUnion(CompactReader& reader, const char* name, int16_t known_members) {
  int16_t member = 0;
  reader.ReadStruct(name, {}, [&](const FieldHeader& h) {
    member = h.id;
    if (h.id >= 1 && h.id <= known_members) reader.ExpectFieldType(h, CompactType::kStruct, name);
    return false;
  });
  return member;
}

/// Reads a TimeType or TimestampType (same fields) into *out, whose kind is already set.
void ReadTimeLike(CompactReader& reader, const char* name, LogicalType* out) {
  int16_t unit = 0;
  reader.ReadStruct(name, {{1, "isAdjustedToUTC"}, {2, "unit"}}, [&](const FieldHeader& h) {
    switch (h.id) {
      case 1: out->is_adjusted_to_utc = ReadBoolField(reader, h, "isAdjustedToUTC"); return true;
      case 2:
        reader.ExpectFieldType(h, CompactType::kStruct, "unit");
        unit = ReadEmptyStructUnion(reader, "TimeUnit", 3);
        if (unit == 0) {
          reader.Fail("TimeUnit ending at offset {} has no member set", reader.position());
        }
        return true;
      default: return false;
    }
  });
  switch (unit) {
    case 1: out->unit = TimeUnit::kMillis; break;
    case 2: out->unit = TimeUnit::kMicros; break;
    case 3: out->unit = TimeUnit::kNanos; break;
    default:  // A unit newer than this reader: the whole type is one sluice cannot use.
      out->unrecognized_field_id = static_cast<int16_t>(out->kind);
      out->kind = LogicalType::Kind::kUnrecognized;
  }
}

void ReadDecimalType(CompactReader& reader, LogicalType* out) {
  reader.ReadStruct("DecimalType", {{1, "scale"}, {2, "precision"}}, [&](const FieldHeader& h) {
    switch (h.id) {
      case 1: out->scale = ReadInt<int32_t>(reader, h, "DecimalType.scale"); return true;
      case 2: out->precision = ReadInt<int32_t>(reader, h, "DecimalType.precision"); return true;
      default: return false;
    }
  });
}

void ReadIntType(CompactReader& reader, LogicalType* out) {
  reader.ReadStruct("IntType", {{1, "bitWidth"}, {2, "isSigned"}}, [&](const FieldHeader& h) {
    switch (h.id) {
      case 1: out->bit_width = ReadInt<int8_t>(reader, h, "IntType.bitWidth"); return true;
      case 2: out->is_signed = ReadBoolField(reader, h, "IntType.isSigned"); return true;
      default: return false;
    }
  });
}

void ReadLogicalType(CompactReader& reader, LogicalType* out) {
  using Kind = LogicalType::Kind;
  bool any_member = false;
  reader.ReadStruct("LogicalType", {}, [&](const FieldHeader& h) {
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
        reader.ExpectFieldType(h, CompactType::kStruct, "LogicalType member");
        out->kind = kind;
        return false;  // An empty struct today; skipping lets it grow fields.
      case Kind::kDecimal:
        reader.ExpectFieldType(h, CompactType::kStruct, "LogicalType.DECIMAL");
        out->kind = kind;
        ReadDecimalType(reader, out);
        return true;
      case Kind::kTime:
      case Kind::kTimestamp:
        reader.ExpectFieldType(h, CompactType::kStruct, "LogicalType member");
        out->kind = kind;
        ReadTimeLike(reader, kind == Kind::kTime ? "TimeType" : "TimestampType", out);
        return true;
      case Kind::kInteger:
        reader.ExpectFieldType(h, CompactType::kStruct, "LogicalType.INTEGER");
        out->kind = kind;
        ReadIntType(reader, out);
        return true;
      default: out->unrecognized_field_id = h.id; return false;
    }
  });
  if (!any_member) {
    reader.Fail("LogicalType ending at offset {} has no member set", reader.position());
  }
}

void ReadSchemaElement(CompactReader& reader, SchemaElement* out) {
  reader.ReadStruct("SchemaElement", {{4, "name"}}, [&](const FieldHeader& h) {
    switch (h.id) {
      case 1: out->type = ReadEnum<Type>(reader, h, "SchemaElement.type"); return true;
      case 2:
        out->type_length = ReadInt<int32_t>(reader, h, "SchemaElement.type_length");
        return true;
      case 3:
        out->repetition_type =
            ReadEnum<FieldRepetitionType>(reader, h, "SchemaElement.repetition_type");
        return true;
      case 4: out->name = ReadBinaryField(reader, h, "SchemaElement.name"); return true;
      case 5:
        out->num_children = ReadNonNegative<int32_t>(reader, h, "SchemaElement.num_children");
        return true;
      case 6:
        out->converted_type = ReadEnum<ConvertedType>(reader, h, "SchemaElement.converted_type");
        return true;
      case 7: out->scale = ReadInt<int32_t>(reader, h, "SchemaElement.scale"); return true;
      case 8: out->precision = ReadInt<int32_t>(reader, h, "SchemaElement.precision"); return true;
      case 9: out->field_id = ReadInt<int32_t>(reader, h, "SchemaElement.field_id"); return true;
      case 10:
        ReadStructField(reader, h, "SchemaElement.logicalType", &out->logical_type,
                        &ReadLogicalType);
        return true;
      default: return false;
    }
  });
}

void ReadKeyValue(CompactReader& reader, KeyValue* out) {
  reader.ReadStruct("KeyValue", {{1, "key"}}, [&](const FieldHeader& h) {
    switch (h.id) {
      case 1: out->key = ReadBinaryField(reader, h, "KeyValue.key"); return true;
      case 2: out->value.emplace(ReadBinaryField(reader, h, "KeyValue.value")); return true;
      default: return false;
    }
  });
}

void ReadSortingColumn(CompactReader& reader, SortingColumn* out) {
  const auto read_field = [&](const FieldHeader& h) {
    switch (h.id) {
      case 1:
        out->column_idx = ReadNonNegative<int32_t>(reader, h, "SortingColumn.column_idx");
        return true;
      case 2: out->descending = ReadBoolField(reader, h, "SortingColumn.descending"); return true;
      case 3: out->nulls_first = ReadBoolField(reader, h, "SortingColumn.nulls_first"); return true;
      default: return false;
    }
  };
  reader.ReadStruct("SortingColumn", {{1, "column_idx"}, {2, "descending"}, {3, "nulls_first"}},
                    read_field);
}

void ReadPageEncodingStats(CompactReader& reader, PageEncodingStats* out) {
  const auto read_field = [&](const FieldHeader& h) {
    switch (h.id) {
      case 1:
        out->page_type = ReadEnum<PageType>(reader, h, "PageEncodingStats.page_type");
        return true;
      case 2:
        out->encoding = ReadEnum<Encoding>(reader, h, "PageEncodingStats.encoding");
        return true;
      case 3:
        out->count = ReadNonNegative<int32_t>(reader, h, "PageEncodingStats.count");
        return true;
      default: return false;
    }
  };
  reader.ReadStruct("PageEncodingStats", {{1, "page_type"}, {2, "encoding"}, {3, "count"}},
                    read_field);
}

void ReadColumnMetaData(CompactReader& reader, ColumnMetaData* out) {
  const auto read_field = [&](const FieldHeader& h) {
    switch (h.id) {
      case 1: out->type = ReadEnum<Type>(reader, h, "ColumnMetaData.type"); return true;
      case 2: ReadEnumList(reader, h, "ColumnMetaData.encodings", &out->encodings); return true;
      case 3:
        ReadStringList(reader, h, "ColumnMetaData.path_in_schema", &out->path_in_schema);
        return true;
      case 4:
        out->codec = ReadEnum<CompressionCodec>(reader, h, "ColumnMetaData.codec");
        return true;
      case 5:
        out->num_values = ReadNonNegative<int64_t>(reader, h, "ColumnMetaData.num_values");
        return true;
      case 6:
        out->total_uncompressed_size =
            ReadNonNegative<int64_t>(reader, h, "ColumnMetaData.total_uncompressed_size");
        return true;
      case 7:
        out->total_compressed_size =
            ReadNonNegative<int64_t>(reader, h, "ColumnMetaData.total_compressed_size");
        return true;
      case 8:
        ReadStructList(reader, h, "ColumnMetaData.key_value_metadata", &out->key_value_metadata,
                       &ReadKeyValue);
        return true;
      case 9:
        out->data_page_offset =
            ReadNonNegative<int64_t>(reader, h, "ColumnMetaData.data_page_offset");
        return true;
      case 10:
        out->index_page_offset =
            ReadNonNegative<int64_t>(reader, h, "ColumnMetaData.index_page_offset");
        return true;
      case 11:
        out->dictionary_page_offset =
            ReadNonNegative<int64_t>(reader, h, "ColumnMetaData.dictionary_page_offset");
        return true;
      case 12:
        ReadStructField(reader, h, "ColumnMetaData.statistics", &out->statistics, &ReadStatistics);
        return true;
      case 13:
        ReadStructList(reader, h, "ColumnMetaData.encoding_stats", &out->encoding_stats,
                       &ReadPageEncodingStats);
        return true;
      case 14:
        out->bloom_filter_offset =
            ReadNonNegative<int64_t>(reader, h, "ColumnMetaData.bloom_filter_offset");
        return true;
      case 15:
        out->bloom_filter_length =
            ReadNonNegative<int32_t>(reader, h, "ColumnMetaData.bloom_filter_length");
        return true;
      default: return false;  // 16 size_statistics, 17 geospatial_statistics, newer fields.
    }
  };
  reader.ReadStruct("ColumnMetaData",
                    {{1, "type"},
                     {2, "encodings"},
                     {3, "path_in_schema"},
                     {4, "codec"},
                     {5, "num_values"},
                     {6, "total_uncompressed_size"},
                     {7, "total_compressed_size"},
                     {9, "data_page_offset"}},
                    read_field);
}

void ReadColumnChunk(CompactReader& reader, ColumnChunk* out) {
  reader.ReadStruct("ColumnChunk", {{2, "file_offset"}}, [&](const FieldHeader& h) {
    switch (h.id) {
      case 1:
        out->file_path.emplace(ReadBinaryField(reader, h, "ColumnChunk.file_path"));
        return true;
      case 2:
        out->file_offset = ReadInt<int64_t>(reader, h, "ColumnChunk.file_offset");
        return true;
      case 3:
        ReadStructField(reader, h, "ColumnChunk.meta_data", &out->meta_data, &ReadColumnMetaData);
        return true;
      case 4:
        out->offset_index_offset =
            ReadNonNegative<int64_t>(reader, h, "ColumnChunk.offset_index_offset");
        return true;
      case 5:
        out->offset_index_length =
            ReadNonNegative<int32_t>(reader, h, "ColumnChunk.offset_index_length");
        return true;
      case 6:
        out->column_index_offset =
            ReadNonNegative<int64_t>(reader, h, "ColumnChunk.column_index_offset");
        return true;
      case 7:
        out->column_index_length =
            ReadNonNegative<int32_t>(reader, h, "ColumnChunk.column_index_length");
        return true;
      default: return false;  // 8 crypto_metadata, 9 encrypted_column_metadata.
    }
  });
}

void ReadRowGroup(CompactReader& reader, RowGroup* out) {
  const auto read_field = [&](const FieldHeader& h) {
    switch (h.id) {
      case 1:
        ReadStructList(reader, h, "RowGroup.columns", &out->columns, &ReadColumnChunk);
        return true;
      case 2:
        out->total_byte_size = ReadNonNegative<int64_t>(reader, h, "RowGroup.total_byte_size");
        return true;
      case 3: out->num_rows = ReadNonNegative<int64_t>(reader, h, "RowGroup.num_rows"); return true;
      case 4:
        ReadStructList(reader, h, "RowGroup.sorting_columns", &out->sorting_columns,
                       &ReadSortingColumn);
        return true;
      case 5: out->file_offset = ReadInt<int64_t>(reader, h, "RowGroup.file_offset"); return true;
      case 6:
        out->total_compressed_size =
            ReadNonNegative<int64_t>(reader, h, "RowGroup.total_compressed_size");
        return true;
      case 7: out->ordinal = ReadInt<int16_t>(reader, h, "RowGroup.ordinal"); return true;
      default: return false;
    }
  };
  reader.ReadStruct("RowGroup", {{1, "columns"}, {2, "total_byte_size"}, {3, "num_rows"}},
                    read_field);
}

void ReadColumnOrder(CompactReader& reader, ColumnOrder* out) {
  // An unknown member, or none, means an order this reader cannot use: ignore the statistics.
  const int16_t member = ReadEmptyStructUnion(reader, "ColumnOrder", 3);
  out->kind = member >= 1 && member <= 3 ? static_cast<ColumnOrder::Kind>(member)
                                         : ColumnOrder::Kind::kUnrecognized;
}

void ReadFileMetaDataStruct(CompactReader& reader, FileMetaData* out) {
  const auto read_field = [&](const FieldHeader& h) {
    switch (h.id) {
      case 1: out->version = ReadInt<int32_t>(reader, h, "FileMetaData.version"); return true;
      case 2:
        ReadStructList(reader, h, "FileMetaData.schema", &out->schema, &ReadSchemaElement);
        return true;
      case 3:
        out->num_rows = ReadNonNegative<int64_t>(reader, h, "FileMetaData.num_rows");
        return true;
      case 4:
        ReadStructList(reader, h, "FileMetaData.row_groups", &out->row_groups, &ReadRowGroup);
        return true;
      case 5:
        ReadStructList(reader, h, "FileMetaData.key_value_metadata", &out->key_value_metadata,
                       &ReadKeyValue);
        return true;
      case 6:
        out->created_by.emplace(ReadBinaryField(reader, h, "FileMetaData.created_by"));
        return true;
      case 7:
        ReadStructList(reader, h, "FileMetaData.column_orders", &out->column_orders,
                       &ReadColumnOrder);
        return true;
      default: return false;  // 8 encryption_algorithm, 9 footer_signing_key_metadata.
    }
  };
  reader.ReadStruct("FileMetaData",
                    {{1, "version"}, {2, "schema"}, {3, "num_rows"}, {4, "row_groups"}},
                    read_field);
  if (out->schema.empty()) {
    reader.Fail("FileMetaData ending at offset {} has an empty schema (not even a root)",
                reader.position());
  }
}

void ReadDataPageHeader(CompactReader& reader, DataPageHeader* out) {
  const auto read_field = [&](const FieldHeader& h) {
    switch (h.id) {
      case 1:
        out->num_values = ReadNonNegative<int32_t>(reader, h, "DataPageHeader.num_values");
        return true;
      case 2: out->encoding = ReadEnum<Encoding>(reader, h, "DataPageHeader.encoding"); return true;
      case 3:
        out->definition_level_encoding =
            ReadEnum<Encoding>(reader, h, "DataPageHeader.definition_level_encoding");
        return true;
      case 4:
        out->repetition_level_encoding =
            ReadEnum<Encoding>(reader, h, "DataPageHeader.repetition_level_encoding");
        return true;
      case 5:
        ReadStructField(reader, h, "DataPageHeader.statistics", &out->statistics, &ReadStatistics);
        return true;
      default: return false;
    }
  };
  reader.ReadStruct("DataPageHeader",
                    {{1, "num_values"},
                     {2, "encoding"},
                     {3, "definition_level_encoding"},
                     {4, "repetition_level_encoding"}},
                    read_field);
}

void ReadIndexPageHeader(CompactReader& reader, IndexPageHeader*) {
  reader.Skip(CompactType::kStruct);  // No fields yet.
}

void ReadDictionaryPageHeader(CompactReader& reader, DictionaryPageHeader* out) {
  const auto read_field = [&](const FieldHeader& h) {
    switch (h.id) {
      case 1:
        out->num_values = ReadNonNegative<int32_t>(reader, h, "DictionaryPageHeader.num_values");
        return true;
      case 2:
        out->encoding = ReadEnum<Encoding>(reader, h, "DictionaryPageHeader.encoding");
        return true;
      case 3:
        out->is_sorted = ReadBoolField(reader, h, "DictionaryPageHeader.is_sorted");
        return true;
      default: return false;
    }
  };
  reader.ReadStruct("DictionaryPageHeader", {{1, "num_values"}, {2, "encoding"}}, read_field);
}

void ReadDataPageHeaderV2(CompactReader& reader, DataPageHeaderV2* out) {
  const auto read_field = [&](const FieldHeader& h) {
    switch (h.id) {
      case 1:
        out->num_values = ReadNonNegative<int32_t>(reader, h, "DataPageHeaderV2.num_values");
        return true;
      case 2:
        out->num_nulls = ReadNonNegative<int32_t>(reader, h, "DataPageHeaderV2.num_nulls");
        return true;
      case 3:
        out->num_rows = ReadNonNegative<int32_t>(reader, h, "DataPageHeaderV2.num_rows");
        return true;
      case 4:
        out->encoding = ReadEnum<Encoding>(reader, h, "DataPageHeaderV2.encoding");
        return true;
      case 5:
        out->definition_levels_byte_length =
            ReadNonNegative<int32_t>(reader, h, "DataPageHeaderV2.definition_levels_byte_length");
        return true;
      case 6:
        out->repetition_levels_byte_length =
            ReadNonNegative<int32_t>(reader, h, "DataPageHeaderV2.repetition_levels_byte_length");
        return true;
      case 7:
        out->is_compressed = ReadBoolField(reader, h, "DataPageHeaderV2.is_compressed");
        return true;
      case 8:
        ReadStructField(reader, h, "DataPageHeaderV2.statistics", &out->statistics,
                        &ReadStatistics);
        return true;
      default: return false;
    }
  };
  reader.ReadStruct("DataPageHeaderV2",
                    {{1, "num_values"},
                     {2, "num_nulls"},
                     {3, "num_rows"},
                     {4, "encoding"},
                     {5, "definition_levels_byte_length"},
                     {6, "repetition_levels_byte_length"}},
                    read_field);
  if (out->num_nulls > out->num_values) {
    reader.Fail("DataPageHeaderV2 ending at offset {} has more nulls ({}) than values ({})",
                reader.position(), out->num_nulls, out->num_values);
  }
}

/// Checks that a page header carries the member its type calls for, and that the levels of a
/// v2 page fit in it, so that the page reader can rely on both.
void CheckPageHeader(const CompactReader& reader, const PageHeader& header) {
  const auto require_member = [&](bool present, const char* member) {
    if (!present) {
      reader.Fail("PageHeader ending at offset {} has type {} but no {}", reader.position(),
                  EnumName(header.type), member);
    }
  };
  switch (header.type) {
    case PageType::kDataPage:
      require_member(header.data_page_header.has_value(), "data_page_header");
      break;
    case PageType::kDictionaryPage:
      require_member(header.dictionary_page_header.has_value(), "dictionary_page_header");
      break;
    case PageType::kDataPageV2: {
      require_member(header.data_page_header_v2.has_value(), "data_page_header_v2");
      const DataPageHeaderV2& v2 = *header.data_page_header_v2;
      const int64_t levels =
          int64_t{v2.definition_levels_byte_length} + v2.repetition_levels_byte_length;
      if (levels > header.compressed_page_size || levels > header.uncompressed_page_size) {
        reader.Fail(
            "PageHeader ending at offset {} has {} bytes of levels in a page of {} bytes "
            "({} uncompressed)",
            reader.position(), levels, header.compressed_page_size, header.uncompressed_page_size);
      }
      break;
    }
    default: break;  // Index pages (never written) and unknown types: the page reader decides.
  }
}

void ReadPageHeaderStruct(CompactReader& reader, PageHeader* out) {
  const auto read_field = [&](const FieldHeader& h) {
    switch (h.id) {
      case 1: out->type = ReadEnum<PageType>(reader, h, "PageHeader.type"); return true;
      case 2:
        out->uncompressed_page_size =
            ReadNonNegative<int32_t>(reader, h, "PageHeader.uncompressed_page_size");
        return true;
      case 3:
        out->compressed_page_size =
            ReadNonNegative<int32_t>(reader, h, "PageHeader.compressed_page_size");
        return true;
      case 4: out->crc = ReadInt<int32_t>(reader, h, "PageHeader.crc"); return true;
      case 5:
        ReadStructField(reader, h, "PageHeader.data_page_header", &out->data_page_header,
                        &ReadDataPageHeader);
        return true;
      case 6:
        ReadStructField(reader, h, "PageHeader.index_page_header", &out->index_page_header,
                        &ReadIndexPageHeader);
        return true;
      case 7:
        ReadStructField(reader, h, "PageHeader.dictionary_page_header",
                        &out->dictionary_page_header, &ReadDictionaryPageHeader);
        return true;
      case 8:
        ReadStructField(reader, h, "PageHeader.data_page_header_v2", &out->data_page_header_v2,
                        &ReadDataPageHeaderV2);
        return true;
      default: return false;
    }
  };
  reader.ReadStruct("PageHeader",
                    {{1, "type"}, {2, "uncompressed_page_size"}, {3, "compressed_page_size"}},
                    read_field);
  CheckPageHeader(reader, *out);
}

void ReadPageLocation(CompactReader& reader, PageLocation* out) {
  const auto read_field = [&](const FieldHeader& h) {
    switch (h.id) {
      case 1: out->offset = ReadNonNegative<int64_t>(reader, h, "PageLocation.offset"); return true;
      case 2:
        out->compressed_page_size =
            ReadNonNegative<int32_t>(reader, h, "PageLocation.compressed_page_size");
        return true;
      case 3:
        out->first_row_index = ReadNonNegative<int64_t>(reader, h, "PageLocation.first_row_index");
        return true;
      default: return false;
    }
  };
  reader.ReadStruct("PageLocation",
                    {{1, "offset"}, {2, "compressed_page_size"}, {3, "first_row_index"}},
                    read_field);
}

void ReadOffsetIndexStruct(CompactReader& reader, OffsetIndex* out) {
  reader.ReadStruct("OffsetIndex", {{1, "page_locations"}}, [&](const FieldHeader& h) {
    switch (h.id) {
      case 1:
        ReadStructList(reader, h, "OffsetIndex.page_locations", &out->page_locations,
                       &ReadPageLocation);
        return true;
      case 2:
        ReadIntList(reader, h, "OffsetIndex.unencoded_byte_array_data_bytes", 0,
                    &out->unencoded_byte_array_data_bytes.emplace());
        return true;
      default: return false;
    }
  });
}

void ReadColumnIndexStruct(CompactReader& reader, ColumnIndex* out) {
  const auto read_field = [&](const FieldHeader& h) {
    switch (h.id) {
      case 1: {
        const ListHeader list =
            reader.ReadListField(h, "ColumnIndex.null_pages", CompactType::kBoolTrue);
        out->null_pages.assign(list.size, false);
        for (uint32_t i = 0; i < list.size; ++i) out->null_pages[i] = reader.ReadBool();
        return true;
      }
      case 2: ReadStringList(reader, h, "ColumnIndex.min_values", &out->min_values); return true;
      case 3: ReadStringList(reader, h, "ColumnIndex.max_values", &out->max_values); return true;
      case 4:
        out->boundary_order = ReadEnum<BoundaryOrder>(reader, h, "ColumnIndex.boundary_order");
        return true;
      case 5:
        ReadIntList(reader, h, "ColumnIndex.null_counts", std::numeric_limits<int64_t>::min(),
                    &out->null_counts.emplace());
        return true;
      default: return false;  // 6-7 level histograms, 8 nan_counts.
    }
  };
  reader.ReadStruct(
      "ColumnIndex",
      {{1, "null_pages"}, {2, "min_values"}, {3, "max_values"}, {4, "boundary_order"}}, read_field);
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
}

void ReadBloomFilterHeaderStruct(CompactReader& reader, BloomFilterHeader* out) {
  // Each union has one known member, id 1; any other means a filter this reader cannot use.
  const auto read_union = [&](const FieldHeader& h, const char* field, const char* name) {
    reader.ExpectFieldType(h, CompactType::kStruct, field);
    return ReadEmptyStructUnion(reader, name, 1) == 1;
  };
  const auto read_field = [&](const FieldHeader& h) {
    switch (h.id) {
      case 1:
        out->num_bytes = ReadNonNegative<int32_t>(reader, h, "BloomFilterHeader.numBytes");
        return true;
      case 2:
        out->algorithm = read_union(h, "BloomFilterHeader.algorithm", "BloomFilterAlgorithm")
                             ? BloomFilterAlgorithm::kBlock
                             : BloomFilterAlgorithm::kUnrecognized;
        return true;
      case 3:
        out->hash = read_union(h, "BloomFilterHeader.hash", "BloomFilterHash")
                        ? BloomFilterHash::kXxHash
                        : BloomFilterHash::kUnrecognized;
        return true;
      case 4:
        out->compression = read_union(h, "BloomFilterHeader.compression", "BloomFilterCompression")
                               ? BloomFilterCompression::kUncompressed
                               : BloomFilterCompression::kUnrecognized;
        return true;
      default: return false;
    }
  };
  reader.ReadStruct("BloomFilterHeader",
                    {{1, "numBytes"}, {2, "algorithm"}, {3, "hash"}, {4, "compression"}},
                    read_field);
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
