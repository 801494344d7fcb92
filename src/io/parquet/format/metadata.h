// Plain C++ mirrors of the Parquet metadata structures of parquet.thrift (apache/parquet-format),
// with readers and writers over the Thrift compact protocol. Fields keep their Thrift names (in
// snake_case); Thrift `optional` fields are std::optional, except optional lists, which are plain
// vectors where "absent" and "empty" mean the same (an empty one is not written). Enum fields keep
// the raw value when it is unknown to sluice, so that a file using, say, a newer encoding can
// still have its footer read; the code that would decode that encoding reports it. Fields that
// sluice does not use (encryption, size and geospatial statistics, ...) are skipped when read and
// therefore not written back. Readers check the structure (types, required fields, no negative
// sizes or counts); consistency between structures (the schema tree, offsets inside the file) is
// the job of the code that uses them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sluice::io::parquet {

/// Physical types.
enum class Type : int32_t {
  kBoolean = 0,
  kInt32 = 1,
  kInt64 = 2,
  kInt96 = 3,  ///< Deprecated timestamps; read, never written.
  kFloat = 4,
  kDouble = 5,
  kByteArray = 6,
  kFixedLenByteArray = 7,
};

/// Deprecated logical annotations, still written next to LogicalType for older readers.
enum class ConvertedType : int32_t {
  kUtf8 = 0,
  kMap = 1,
  kMapKeyValue = 2,
  kList = 3,
  kEnum = 4,
  kDecimal = 5,
  kDate = 6,
  kTimeMillis = 7,
  kTimeMicros = 8,
  kTimestampMillis = 9,
  kTimestampMicros = 10,
  kUint8 = 11,
  kUint16 = 12,
  kUint32 = 13,
  kUint64 = 14,
  kInt8 = 15,
  kInt16 = 16,
  kInt32 = 17,
  kInt64 = 18,
  kJson = 19,
  kBson = 20,
  kInterval = 21,
};

enum class FieldRepetitionType : int32_t {
  kRequired = 0,
  kOptional = 1,
  kRepeated = 2,
};

enum class Encoding : int32_t {
  kPlain = 0,
  kPlainDictionary = 2,  ///< Deprecated spelling of dictionary encoding (Parquet 1.0 files).
  kRle = 3,
  kBitPacked = 4,  ///< Deprecated; only for levels.
  kDeltaBinaryPacked = 5,
  kDeltaLengthByteArray = 6,
  kDeltaByteArray = 7,
  kRleDictionary = 8,
  kByteStreamSplit = 9,
};

enum class CompressionCodec : int32_t {
  kUncompressed = 0,
  kSnappy = 1,
  kGzip = 2,
  kLzo = 3,
  kBrotli = 4,
  kLz4 = 5,  ///< Hadoop-framed LZ4, deprecated in favour of kLz4Raw.
  kZstd = 6,
  kLz4Raw = 7,
};

enum class PageType : int32_t {
  kDataPage = 0,
  kIndexPage = 1,
  kDictionaryPage = 2,
  kDataPageV2 = 3,
};

/// Tells whether the min/max lists of a ColumnIndex are sorted, which allows binary search.
enum class BoundaryOrder : int32_t {
  kUnordered = 0,
  kAscending = 1,
  kDescending = 2,
};

/// Name an enum value as parquet.thrift spells it ("RLE_DICTIONARY"), or "unknown".
const char* EnumName(Type value);
const char* EnumName(ConvertedType value);
const char* EnumName(FieldRepetitionType value);
const char* EnumName(Encoding value);
const char* EnumName(CompressionCodec value);
const char* EnumName(PageType value);
const char* EnumName(BoundaryOrder value);

enum class TimeUnit : uint8_t { kMillis, kMicros, kNanos };

/// The LogicalType union, flattened: `kind` says which member is set, and only the fields of
/// that member are meaningful.
struct LogicalType {
  /// The members of the union; the values are their Thrift field ids.
  enum class Kind : int16_t {
    kUnrecognized = 0,  ///< A member sluice does not know (VARIANT, GEOMETRY, ...); see field_id.
    kString = 1,
    kMap = 2,
    kList = 3,
    kEnum = 4,
    kDecimal = 5,
    kDate = 6,
    kTime = 7,
    kTimestamp = 8,
    kInteger = 10,
    kNull = 11,  ///< Thrift's UNKNOWN: a column whose values are all null.
    kJson = 12,
    kBson = 13,
    kUuid = 14,
    kFloat16 = 15,
  };

  Kind kind = Kind::kUnrecognized;
  int32_t scale = 0;                  ///< kDecimal.
  int32_t precision = 0;              ///< kDecimal.
  bool is_adjusted_to_utc = false;    ///< kTime, kTimestamp.
  TimeUnit unit = TimeUnit::kMillis;  ///< kTime, kTimestamp.
  int8_t bit_width = 0;               ///< kInteger: 8, 16, 32 or 64 (validated by the schema code).
  bool is_signed = false;             ///< kInteger.
  /// Keeps the Thrift field id of a kUnrecognized member (also used when a known TIME or
  /// TIMESTAMP carries an unknown time unit), for the "unsupported logical type" message.
  int16_t unrecognized_field_id = 0;

  static LogicalType Simple(Kind kind);  ///< A member without parameters (STRING, DATE, ...).
  static LogicalType Decimal(int32_t scale, int32_t precision);
  static LogicalType Time(bool is_adjusted_to_utc, TimeUnit unit);
  static LogicalType Timestamp(bool is_adjusted_to_utc, TimeUnit unit);
  static LogicalType Integer(int8_t bit_width, bool is_signed);

  bool operator==(const LogicalType&) const = default;
};

/// Statistics of a column chunk or a page. Values are PLAIN-encoded without a length prefix.
/// A negative count read from a file is dropped (treated as unknown) rather than rejected,
/// because unknown is always a safe answer for pruning.
struct Statistics {
  std::optional<std::string> max;  ///< Deprecated: signed order whatever the logical type.
  std::optional<std::string> min;  ///< Deprecated: signed order whatever the logical type.
  std::optional<int64_t> null_count;
  std::optional<int64_t> distinct_count;
  std::optional<std::string> max_value;  ///< Upper bound under the column's ColumnOrder.
  std::optional<std::string> min_value;  ///< Lower bound under the column's ColumnOrder.
  std::optional<bool> is_max_value_exact;
  std::optional<bool> is_min_value_exact;
  std::optional<int64_t> nan_count;

  bool operator==(const Statistics&) const = default;
};

/// One node of the schema tree, which the footer lists depth first (root first).
struct SchemaElement {
  std::optional<Type> type;                            ///< Unset for groups.
  std::optional<int32_t> type_length;                  ///< Byte width of FIXED_LEN_BYTE_ARRAY.
  std::optional<FieldRepetitionType> repetition_type;  ///< Unset only for the root.
  std::string name;
  std::optional<int32_t> num_children;  ///< Set for groups; never negative.
  std::optional<ConvertedType> converted_type;
  std::optional<int32_t> scale;
  std::optional<int32_t> precision;
  std::optional<int32_t> field_id;
  std::optional<LogicalType> logical_type;

  bool operator==(const SchemaElement&) const = default;
};

struct KeyValue {
  std::string key;
  std::optional<std::string> value;

  bool operator==(const KeyValue&) const = default;
};

struct SortingColumn {
  int32_t column_idx = 0;
  bool descending = false;
  bool nulls_first = false;

  bool operator==(const SortingColumn&) const = default;
};

struct PageEncodingStats {
  PageType page_type = PageType::kDataPage;
  Encoding encoding = Encoding::kPlain;
  int32_t count = 0;

  bool operator==(const PageEncodingStats&) const = default;
};

struct ColumnMetaData {
  Type type = Type::kBoolean;
  std::vector<Encoding> encodings;
  std::vector<std::string> path_in_schema;
  CompressionCodec codec = CompressionCodec::kUncompressed;
  int64_t num_values = 0;
  int64_t total_uncompressed_size = 0;  ///< Of all pages, headers included.
  int64_t total_compressed_size = 0;    ///< Of all pages, headers included.
  std::vector<KeyValue> key_value_metadata;
  int64_t data_page_offset = 0;
  std::optional<int64_t> index_page_offset;
  std::optional<int64_t> dictionary_page_offset;
  std::optional<Statistics> statistics;
  std::vector<PageEncodingStats> encoding_stats;
  std::optional<int64_t> bloom_filter_offset;
  std::optional<int32_t> bloom_filter_length;  ///< Header included.

  bool operator==(const ColumnMetaData&) const = default;
};

struct ColumnChunk {
  std::optional<std::string> file_path;  ///< Set only in "_metadata" summary files.
  int64_t file_offset = 0;  ///< Deprecated, not validated (writers disagree on its meaning).
  /// Optional in the IDL, but written by every writer (absent only for encrypted columns).
  std::optional<ColumnMetaData> meta_data;
  std::optional<int64_t> offset_index_offset;
  std::optional<int32_t> offset_index_length;
  std::optional<int64_t> column_index_offset;
  std::optional<int32_t> column_index_length;

  bool operator==(const ColumnChunk&) const = default;
};

struct RowGroup {
  std::vector<ColumnChunk> columns;  ///< One per leaf of the schema, in schema order.
  int64_t total_byte_size = 0;       ///< Uncompressed.
  int64_t num_rows = 0;
  std::vector<SortingColumn> sorting_columns;
  std::optional<int64_t> file_offset;  ///< Not validated: some writers got it wrong.
  std::optional<int64_t> total_compressed_size;
  std::optional<int16_t> ordinal;

  bool operator==(const RowGroup&) const = default;
};

/// The ColumnOrder union: how min/max statistics of a leaf column are ordered.
struct ColumnOrder {
  enum class Kind : int16_t {
    kUnrecognized = 0,  ///< A newer order: readers must ignore the column's min/max.
    kTypeDefinedOrder = 1,
    kIeee754TotalOrder = 2,
    kInt96TimestampOrder = 3,
  };
  Kind kind = Kind::kTypeDefinedOrder;

  bool operator==(const ColumnOrder&) const = default;
};

/// The footer.
struct FileMetaData {
  int32_t version = 1;
  std::vector<SchemaElement> schema;  ///< Never empty once read: the root comes first.
  int64_t num_rows = 0;
  std::vector<RowGroup> row_groups;
  std::vector<KeyValue> key_value_metadata;
  std::optional<std::string> created_by;
  std::vector<ColumnOrder> column_orders;  ///< One per leaf column, or empty.

  bool operator==(const FileMetaData&) const = default;
};

struct DataPageHeader {
  int32_t num_values = 0;  ///< Including nulls.
  Encoding encoding = Encoding::kPlain;
  Encoding definition_level_encoding = Encoding::kRle;
  Encoding repetition_level_encoding = Encoding::kRle;
  std::optional<Statistics> statistics;

  bool operator==(const DataPageHeader&) const = default;
};

struct IndexPageHeader {
  bool operator==(const IndexPageHeader&) const = default;
};

struct DictionaryPageHeader {
  int32_t num_values = 0;
  Encoding encoding = Encoding::kPlain;
  std::optional<bool> is_sorted;

  bool operator==(const DictionaryPageHeader&) const = default;
};

/// Levels of a v2 page come first and uncompressed; the reader has checked that they fit in
/// the page and that num_nulls <= num_values.
struct DataPageHeaderV2 {
  int32_t num_values = 0;  ///< Including nulls.
  int32_t num_nulls = 0;
  int32_t num_rows = 0;
  Encoding encoding = Encoding::kPlain;
  int32_t definition_levels_byte_length = 0;
  int32_t repetition_levels_byte_length = 0;
  bool is_compressed = true;  ///< Thrift default: an absent field means compressed.
  std::optional<Statistics> statistics;

  bool operator==(const DataPageHeaderV2&) const = default;
};

/// The header before every page. Once read, the member matching `type` is known to be set
/// (except for index pages, which no known writer produces).
struct PageHeader {
  PageType type = PageType::kDataPage;
  int32_t uncompressed_page_size = 0;  ///< Without this header.
  int32_t compressed_page_size = 0;    ///< Without this header.
  std::optional<int32_t> crc;
  std::optional<DataPageHeader> data_page_header;
  std::optional<IndexPageHeader> index_page_header;
  std::optional<DictionaryPageHeader> dictionary_page_header;
  std::optional<DataPageHeaderV2> data_page_header_v2;

  bool operator==(const PageHeader&) const = default;
};

struct PageLocation {
  int64_t offset = 0;
  int32_t compressed_page_size = 0;  ///< Header included.
  int64_t first_row_index = 0;       ///< Within the row group.

  bool operator==(const PageLocation&) const = default;
};

struct OffsetIndex {
  std::vector<PageLocation> page_locations;
  std::optional<std::vector<int64_t>> unencoded_byte_array_data_bytes;  ///< One per page.

  bool operator==(const OffsetIndex&) const = default;
};

/// Per-page statistics. Once read, all lists are known to have one entry per page.
struct ColumnIndex {
  std::vector<bool> null_pages;
  std::vector<std::string> min_values;  ///< Empty for null pages.
  std::vector<std::string> max_values;  ///< Empty for null pages.
  BoundaryOrder boundary_order = BoundaryOrder::kUnordered;
  /// Absent means unknown, which is not the same as zero (parquet.thrift insists).
  std::optional<std::vector<int64_t>> null_counts;

  bool operator==(const ColumnIndex&) const = default;
};

/// The three unions of BloomFilterHeader each have one known member today.
enum class BloomFilterAlgorithm : uint8_t { kBlock, kUnrecognized };
enum class BloomFilterHash : uint8_t { kXxHash, kUnrecognized };
enum class BloomFilterCompression : uint8_t { kUncompressed, kUnrecognized };

struct BloomFilterHeader {
  int32_t num_bytes = 0;  ///< Of the bitset that follows the header.
  BloomFilterAlgorithm algorithm = BloomFilterAlgorithm::kBlock;
  BloomFilterHash hash = BloomFilterHash::kXxHash;
  BloomFilterCompression compression = BloomFilterCompression::kUncompressed;

  bool operator==(const BloomFilterHeader&) const = default;
};

/// Each Read* decodes one structure from the start of [data, data + size), ignoring any bytes
/// after it, and stores the number of bytes it took in *consumed when that is not null (a page
/// header's size, for instance, tells where the page begins). Each throws sluice::Error of kind
/// kInvalidInput when the bytes are truncated or corrupt; offsets in messages count from `data`.
FileMetaData ReadFileMetaData(const uint8_t* data, size_t size, size_t* consumed = nullptr);
PageHeader ReadPageHeader(const uint8_t* data, size_t size, size_t* consumed = nullptr);
ColumnIndex ReadColumnIndex(const uint8_t* data, size_t size, size_t* consumed = nullptr);
OffsetIndex ReadOffsetIndex(const uint8_t* data, size_t size, size_t* consumed = nullptr);
BloomFilterHeader ReadBloomFilterHeader(const uint8_t* data, size_t size,
                                        size_t* consumed = nullptr);

/// Each Write* appends the compact encoding of one structure to *out, fields in id order.
/// They throw kUnsupported for a kUnrecognized union member, whose content was not kept; *out
/// then holds a partial encoding, which the caller discards.
void WriteFileMetaData(const FileMetaData& metadata, std::string* out);
void WritePageHeader(const PageHeader& header, std::string* out);
void WriteColumnIndex(const ColumnIndex& index, std::string* out);
void WriteOffsetIndex(const OffsetIndex& index, std::string* out);
void WriteBloomFilterHeader(const BloomFilterHeader& header, std::string* out);

}  // namespace sluice::io::parquet
