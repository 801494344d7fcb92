// Encodes the Parquet metadata structures of metadata.h with the Thrift compact protocol. Every
// struct writes its present fields in increasing id order, so each field header is the one-byte
// delta form that all Thrift readers (parquet-mr, Arrow C++, DuckDB, arrow-rs, Polars) accept.
#include <string_view>

#include "core/error.h"
#include "io/parquet/format/metadata.h"
#include "io/parquet/format/thrift_compact.h"

namespace sluice::io::parquet {
namespace {

template <typename E>
void WriteEnumField(CompactWriter& writer, int16_t id, E value) {
  writer.WriteI32Field(id, static_cast<int32_t>(value));
}

void WriteEmptyStructField(CompactWriter& writer, int16_t id) {
  writer.WriteFieldHeader(CompactType::kStruct, id);
  writer.BeginStruct();
  writer.EndStruct();
}

void WriteStringList(CompactWriter& writer, int16_t id, const std::vector<std::string>& values) {
  writer.WriteFieldHeader(CompactType::kList, id);
  writer.WriteListHeader(CompactType::kBinary, static_cast<uint32_t>(values.size()));
  for (const std::string& value : values) writer.WriteBinary(value);
}

void WriteI64List(CompactWriter& writer, int16_t id, const std::vector<int64_t>& values) {
  writer.WriteFieldHeader(CompactType::kList, id);
  writer.WriteListHeader(CompactType::kI64, static_cast<uint32_t>(values.size()));
  for (int64_t value : values) writer.WriteI64(value);
}

template <typename T>
void WriteStructList(CompactWriter& writer, int16_t id, const std::vector<T>& values,
                     void (*write_one)(CompactWriter&, const T&)) {
  writer.WriteFieldHeader(CompactType::kList, id);
  writer.WriteListHeader(CompactType::kStruct, static_cast<uint32_t>(values.size()));
  for (const T& value : values) write_one(writer, value);
}

template <typename T>
void WriteStructField(CompactWriter& writer, int16_t id, const T& value,
                      void (*write_one)(CompactWriter&, const T&)) {
  writer.WriteFieldHeader(CompactType::kStruct, id);
  write_one(writer, value);
}

// ---------------------------------------------------------------------------------------------
// One writer per struct, in the order of parquet.thrift; each writes BeginStruct to EndStruct.

void WriteStatistics(CompactWriter& writer, const Statistics& value) {
  writer.BeginStruct();
  if (value.max) writer.WriteBinaryField(1, *value.max);
  if (value.min) writer.WriteBinaryField(2, *value.min);
  if (value.null_count) writer.WriteI64Field(3, *value.null_count);
  if (value.distinct_count) writer.WriteI64Field(4, *value.distinct_count);
  if (value.max_value) writer.WriteBinaryField(5, *value.max_value);
  if (value.min_value) writer.WriteBinaryField(6, *value.min_value);
  if (value.is_max_value_exact) writer.WriteBoolField(7, *value.is_max_value_exact);
  if (value.is_min_value_exact) writer.WriteBoolField(8, *value.is_min_value_exact);
  if (value.nan_count) writer.WriteI64Field(9, *value.nan_count);
  writer.EndStruct();
}

void WriteTimeLike(CompactWriter& writer, const LogicalType& value) {
  writer.BeginStruct();
  writer.WriteBoolField(1, value.is_adjusted_to_utc);
  writer.WriteFieldHeader(CompactType::kStruct, 2);
  writer.BeginStruct();  // The TimeUnit union.
  switch (value.unit) {
    case TimeUnit::kMillis: WriteEmptyStructField(writer, 1); break;
    case TimeUnit::kMicros: WriteEmptyStructField(writer, 2); break;
    case TimeUnit::kNanos: WriteEmptyStructField(writer, 3); break;
  }
  writer.EndStruct();
  writer.EndStruct();
}

void WriteLogicalType(CompactWriter& writer, const LogicalType& value) {
  using Kind = LogicalType::Kind;
  writer.BeginStruct();
  const auto id = static_cast<int16_t>(value.kind);
  switch (value.kind) {
    case Kind::kUnrecognized:
      ThrowUnsupported(
          "cannot write a Parquet logical type that sluice does not know "
          "(LogicalType member {})",
          value.unrecognized_field_id);
    case Kind::kDecimal:
      writer.WriteFieldHeader(CompactType::kStruct, id);
      writer.BeginStruct();
      writer.WriteI32Field(1, value.scale);
      writer.WriteI32Field(2, value.precision);
      writer.EndStruct();
      break;
    case Kind::kTime:
    case Kind::kTimestamp:
      writer.WriteFieldHeader(CompactType::kStruct, id);
      WriteTimeLike(writer, value);
      break;
    case Kind::kInteger:
      writer.WriteFieldHeader(CompactType::kStruct, id);
      writer.BeginStruct();
      writer.WriteI8Field(1, value.bit_width);
      writer.WriteBoolField(2, value.is_signed);
      writer.EndStruct();
      break;
    default: WriteEmptyStructField(writer, id); break;
  }
  writer.EndStruct();
}

void WriteSchemaElement(CompactWriter& writer, const SchemaElement& value) {
  writer.BeginStruct();
  if (value.type) WriteEnumField(writer, 1, *value.type);
  if (value.type_length) writer.WriteI32Field(2, *value.type_length);
  if (value.repetition_type) WriteEnumField(writer, 3, *value.repetition_type);
  writer.WriteBinaryField(4, value.name);
  if (value.num_children) writer.WriteI32Field(5, *value.num_children);
  if (value.converted_type) WriteEnumField(writer, 6, *value.converted_type);
  if (value.scale) writer.WriteI32Field(7, *value.scale);
  if (value.precision) writer.WriteI32Field(8, *value.precision);
  if (value.field_id) writer.WriteI32Field(9, *value.field_id);
  if (value.logical_type) WriteStructField(writer, 10, *value.logical_type, &WriteLogicalType);
  writer.EndStruct();
}

void WriteKeyValue(CompactWriter& writer, const KeyValue& value) {
  writer.BeginStruct();
  writer.WriteBinaryField(1, value.key);
  if (value.value) writer.WriteBinaryField(2, *value.value);
  writer.EndStruct();
}

void WriteSortingColumn(CompactWriter& writer, const SortingColumn& value) {
  writer.BeginStruct();
  writer.WriteI32Field(1, value.column_idx);
  writer.WriteBoolField(2, value.descending);
  writer.WriteBoolField(3, value.nulls_first);
  writer.EndStruct();
}

void WritePageEncodingStats(CompactWriter& writer, const PageEncodingStats& value) {
  writer.BeginStruct();
  WriteEnumField(writer, 1, value.page_type);
  WriteEnumField(writer, 2, value.encoding);
  writer.WriteI32Field(3, value.count);
  writer.EndStruct();
}

void WriteColumnMetaData(CompactWriter& writer, const ColumnMetaData& value) {
  writer.BeginStruct();
  WriteEnumField(writer, 1, value.type);
  writer.WriteFieldHeader(CompactType::kList, 2);
  writer.WriteListHeader(CompactType::kI32, static_cast<uint32_t>(value.encodings.size()));
  for (Encoding encoding : value.encodings) writer.WriteI32(static_cast<int32_t>(encoding));
  WriteStringList(writer, 3, value.path_in_schema);
  WriteEnumField(writer, 4, value.codec);
  writer.WriteI64Field(5, value.num_values);
  writer.WriteI64Field(6, value.total_uncompressed_size);
  writer.WriteI64Field(7, value.total_compressed_size);
  if (!value.key_value_metadata.empty()) {
    WriteStructList(writer, 8, value.key_value_metadata, &WriteKeyValue);
  }
  writer.WriteI64Field(9, value.data_page_offset);
  if (value.index_page_offset) writer.WriteI64Field(10, *value.index_page_offset);
  if (value.dictionary_page_offset) writer.WriteI64Field(11, *value.dictionary_page_offset);
  if (value.statistics) WriteStructField(writer, 12, *value.statistics, &WriteStatistics);
  if (!value.encoding_stats.empty()) {
    WriteStructList(writer, 13, value.encoding_stats, &WritePageEncodingStats);
  }
  if (value.bloom_filter_offset) writer.WriteI64Field(14, *value.bloom_filter_offset);
  if (value.bloom_filter_length) writer.WriteI32Field(15, *value.bloom_filter_length);
  writer.EndStruct();
}

void WriteColumnChunk(CompactWriter& writer, const ColumnChunk& value) {
  writer.BeginStruct();
  if (value.file_path) writer.WriteBinaryField(1, *value.file_path);
  writer.WriteI64Field(2, value.file_offset);
  if (value.meta_data) WriteStructField(writer, 3, *value.meta_data, &WriteColumnMetaData);
  if (value.offset_index_offset) writer.WriteI64Field(4, *value.offset_index_offset);
  if (value.offset_index_length) writer.WriteI32Field(5, *value.offset_index_length);
  if (value.column_index_offset) writer.WriteI64Field(6, *value.column_index_offset);
  if (value.column_index_length) writer.WriteI32Field(7, *value.column_index_length);
  writer.EndStruct();
}

void WriteRowGroup(CompactWriter& writer, const RowGroup& value) {
  writer.BeginStruct();
  WriteStructList(writer, 1, value.columns, &WriteColumnChunk);
  writer.WriteI64Field(2, value.total_byte_size);
  writer.WriteI64Field(3, value.num_rows);
  if (!value.sorting_columns.empty()) {
    WriteStructList(writer, 4, value.sorting_columns, &WriteSortingColumn);
  }
  if (value.file_offset) writer.WriteI64Field(5, *value.file_offset);
  if (value.total_compressed_size) writer.WriteI64Field(6, *value.total_compressed_size);
  if (value.ordinal) writer.WriteI16Field(7, *value.ordinal);
  writer.EndStruct();
}

void WriteColumnOrder(CompactWriter& writer, const ColumnOrder& value) {
  if (value.kind == ColumnOrder::Kind::kUnrecognized) {
    ThrowUnsupported("cannot write a Parquet column order that sluice does not know");
  }
  writer.BeginStruct();
  WriteEmptyStructField(writer, static_cast<int16_t>(value.kind));
  writer.EndStruct();
}

void WriteFileMetaDataStruct(CompactWriter& writer, const FileMetaData& value) {
  writer.BeginStruct();
  writer.WriteI32Field(1, value.version);
  WriteStructList(writer, 2, value.schema, &WriteSchemaElement);
  writer.WriteI64Field(3, value.num_rows);
  WriteStructList(writer, 4, value.row_groups, &WriteRowGroup);
  if (!value.key_value_metadata.empty()) {
    WriteStructList(writer, 5, value.key_value_metadata, &WriteKeyValue);
  }
  if (value.created_by) writer.WriteBinaryField(6, *value.created_by);
  if (!value.column_orders.empty()) {
    WriteStructList(writer, 7, value.column_orders, &WriteColumnOrder);
  }
  writer.EndStruct();
}

void WriteDataPageHeader(CompactWriter& writer, const DataPageHeader& value) {
  writer.BeginStruct();
  writer.WriteI32Field(1, value.num_values);
  WriteEnumField(writer, 2, value.encoding);
  WriteEnumField(writer, 3, value.definition_level_encoding);
  WriteEnumField(writer, 4, value.repetition_level_encoding);
  if (value.statistics) WriteStructField(writer, 5, *value.statistics, &WriteStatistics);
  writer.EndStruct();
}

void WriteIndexPageHeader(CompactWriter& writer, const IndexPageHeader&) {
  writer.BeginStruct();
  writer.EndStruct();
}

void WriteDictionaryPageHeader(CompactWriter& writer, const DictionaryPageHeader& value) {
  writer.BeginStruct();
  writer.WriteI32Field(1, value.num_values);
  WriteEnumField(writer, 2, value.encoding);
  if (value.is_sorted) writer.WriteBoolField(3, *value.is_sorted);
  writer.EndStruct();
}

void WriteDataPageHeaderV2(CompactWriter& writer, const DataPageHeaderV2& value) {
  writer.BeginStruct();
  writer.WriteI32Field(1, value.num_values);
  writer.WriteI32Field(2, value.num_nulls);
  writer.WriteI32Field(3, value.num_rows);
  WriteEnumField(writer, 4, value.encoding);
  writer.WriteI32Field(5, value.definition_levels_byte_length);
  writer.WriteI32Field(6, value.repetition_levels_byte_length);
  writer.WriteBoolField(7, value.is_compressed);  // Explicit, whatever a reader's default.
  if (value.statistics) WriteStructField(writer, 8, *value.statistics, &WriteStatistics);
  writer.EndStruct();
}

void WritePageHeaderStruct(CompactWriter& writer, const PageHeader& value) {
  writer.BeginStruct();
  WriteEnumField(writer, 1, value.type);
  writer.WriteI32Field(2, value.uncompressed_page_size);
  writer.WriteI32Field(3, value.compressed_page_size);
  if (value.crc) writer.WriteI32Field(4, *value.crc);
  if (value.data_page_header) {
    WriteStructField(writer, 5, *value.data_page_header, &WriteDataPageHeader);
  }
  if (value.index_page_header) {
    WriteStructField(writer, 6, *value.index_page_header, &WriteIndexPageHeader);
  }
  if (value.dictionary_page_header) {
    WriteStructField(writer, 7, *value.dictionary_page_header, &WriteDictionaryPageHeader);
  }
  if (value.data_page_header_v2) {
    WriteStructField(writer, 8, *value.data_page_header_v2, &WriteDataPageHeaderV2);
  }
  writer.EndStruct();
}

void WritePageLocation(CompactWriter& writer, const PageLocation& value) {
  writer.BeginStruct();
  writer.WriteI64Field(1, value.offset);
  writer.WriteI32Field(2, value.compressed_page_size);
  writer.WriteI64Field(3, value.first_row_index);
  writer.EndStruct();
}

void WriteOffsetIndexStruct(CompactWriter& writer, const OffsetIndex& value) {
  writer.BeginStruct();
  WriteStructList(writer, 1, value.page_locations, &WritePageLocation);
  if (value.unencoded_byte_array_data_bytes) {
    WriteI64List(writer, 2, *value.unencoded_byte_array_data_bytes);
  }
  writer.EndStruct();
}

void WriteColumnIndexStruct(CompactWriter& writer, const ColumnIndex& value) {
  writer.BeginStruct();
  writer.WriteFieldHeader(CompactType::kList, 1);
  writer.WriteListHeader(CompactType::kBoolTrue, static_cast<uint32_t>(value.null_pages.size()));
  for (bool null_page : value.null_pages) writer.WriteBool(null_page);
  WriteStringList(writer, 2, value.min_values);
  WriteStringList(writer, 3, value.max_values);
  WriteEnumField(writer, 4, value.boundary_order);
  if (value.null_counts) WriteI64List(writer, 5, *value.null_counts);
  writer.EndStruct();
}

/// Writes a union whose only member is the empty struct with id 1.
void WriteSingleMemberUnion(CompactWriter& writer, int16_t id, bool known, const char* name) {
  if (!known) ThrowUnsupported("cannot write a Parquet {} that sluice does not know", name);
  writer.WriteFieldHeader(CompactType::kStruct, id);
  writer.BeginStruct();
  WriteEmptyStructField(writer, 1);
  writer.EndStruct();
}

void WriteBloomFilterHeaderStruct(CompactWriter& writer, const BloomFilterHeader& value) {
  writer.BeginStruct();
  writer.WriteI32Field(1, value.num_bytes);
  WriteSingleMemberUnion(writer, 2, value.algorithm == BloomFilterAlgorithm::kBlock,
                         "bloom filter algorithm");
  WriteSingleMemberUnion(writer, 3, value.hash == BloomFilterHash::kXxHash, "bloom filter hash");
  WriteSingleMemberUnion(writer, 4, value.compression == BloomFilterCompression::kUncompressed,
                         "bloom filter compression");
  writer.EndStruct();
}

template <typename T>
void WriteTopLevel(const T& value, std::string* out, void (*write)(CompactWriter&, const T&)) {
  CompactWriter writer(out);
  write(writer, value);
}

}  // namespace

void WriteFileMetaData(const FileMetaData& metadata, std::string* out) {
  WriteTopLevel(metadata, out, &WriteFileMetaDataStruct);
}

void WritePageHeader(const PageHeader& header, std::string* out) {
  WriteTopLevel(header, out, &WritePageHeaderStruct);
}

void WriteColumnIndex(const ColumnIndex& index, std::string* out) {
  WriteTopLevel(index, out, &WriteColumnIndexStruct);
}

void WriteOffsetIndex(const OffsetIndex& index, std::string* out) {
  WriteTopLevel(index, out, &WriteOffsetIndexStruct);
}

void WriteBloomFilterHeader(const BloomFilterHeader& header, std::string* out) {
  WriteTopLevel(header, out, &WriteBloomFilterHeaderStruct);
}

}  // namespace sluice::io::parquet
