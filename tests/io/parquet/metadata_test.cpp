// Tests of the Parquet metadata structures over Thrift: round trips of every struct, the real
// footers, page headers and bloom filter headers of the TPC-H files (written by DuckDB), unknown
// fields that must be skipped, and corrupt input (truncation at every byte, random mutations,
// lying counts, deep nesting, negative sizes, missing required fields) that must throw
// sluice::Error and nothing else.
#include "io/parquet/format/metadata.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "core/error.h"
#include "io/parquet/format/thrift_compact.h"

namespace sluice::io::parquet {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes ToBytes(const std::string& s) {
  return Bytes(s.begin(), s.end());
}

Bytes Encode(const std::function<void(CompactWriter&)>& write) {
  std::string out;
  CompactWriter writer(&out);
  write(writer);
  return ToBytes(out);
}

/// Returns the message of the sluice::Error that `read` must throw, checking its kind.
std::string ErrorOf(const std::function<void()>& read) {
  try {
    read();
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput) << error.what();
    return error.what();
  }
  ADD_FAILURE() << "no sluice::Error was thrown";
  return "";
}

#define EXPECT_ERROR_CONTAINS(statement, text)                     \
  do {                                                             \
    const std::string message_ = ErrorOf([&] { statement; });      \
    EXPECT_NE(message_.find(text), std::string::npos) << message_; \
  } while (0)

// ---------------------------------------------------------------------------------------------
// Real files

std::filesystem::path TpchDir() {
  const char* dir = std::getenv("SLUICE_TPCH_DIR");
  return dir != nullptr ? dir : "/work/shared/tpch/sf0.1";
}

/// Reads `size` bytes at `offset` of a file into an exactly sized buffer (for ASan).
Bytes ReadRange(const std::filesystem::path& path, uint64_t offset, uint64_t size) {
  std::ifstream in(path, std::ios::binary);
  in.seekg(static_cast<std::streamoff>(offset));
  Bytes bytes(size);
  in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(size));
  EXPECT_TRUE(in.good()) << path << " at " << offset;
  return bytes;
}

/// Returns the Thrift footer of a Parquet file: the bytes before the 4-byte length and "PAR1".
Bytes FooterOf(const std::filesystem::path& path) {
  const uint64_t file_size = std::filesystem::file_size(path);
  const Bytes tail = ReadRange(path, file_size - 8, 8);
  EXPECT_EQ(std::memcmp(tail.data() + 4, "PAR1", 4), 0);
  uint32_t length = 0;
  for (int i = 0; i < 4; ++i) length |= uint32_t{tail[i]} << (8 * i);
  EXPECT_LE(length, file_size - 12);
  return ReadRange(path, file_size - 8 - length, length);
}

#define SKIP_WITHOUT_TPCH()                                                           \
  if (!std::filesystem::exists(TpchDir() / "lineitem.parquet")) {                     \
    GTEST_SKIP() << "TPC-H files not found in " << TpchDir() << " (SLUICE_TPCH_DIR)"; \
  }

std::vector<std::string> LeafNames(const FileMetaData& metadata) {
  std::vector<std::string> names;
  for (const SchemaElement& element : metadata.schema) {
    if (!element.num_children.has_value()) names.push_back(element.name);
  }
  return names;
}

TEST(MetadataFooterTest, ReadsTheLineitemFooterWrittenByDuckDb) {
  SKIP_WITHOUT_TPCH();
  const Bytes footer = FooterOf(TpchDir() / "lineitem.parquet");
  size_t consumed = 0;
  const FileMetaData metadata = ReadFileMetaData(footer.data(), footer.size(), &consumed);
  EXPECT_EQ(consumed, footer.size());
  EXPECT_EQ(metadata.num_rows, 600572);
  ASSERT_TRUE(metadata.created_by.has_value());
  EXPECT_EQ(metadata.created_by->rfind("DuckDB", 0), 0u) << *metadata.created_by;
  ASSERT_EQ(metadata.schema.size(), 17u);
  EXPECT_EQ(metadata.schema[0].num_children, 16);
  EXPECT_EQ(
      LeafNames(metadata),
      (std::vector<std::string>{"l_orderkey", "l_partkey", "l_suppkey", "l_linenumber",
                                "l_quantity", "l_extendedprice", "l_discount", "l_tax",
                                "l_returnflag", "l_linestatus", "l_shipdate", "l_commitdate",
                                "l_receiptdate", "l_shipinstruct", "l_shipmode", "l_comment"}));

  const SchemaElement& quantity = metadata.schema[5];
  EXPECT_EQ(quantity.type, Type::kInt64);
  EXPECT_EQ(quantity.repetition_type, FieldRepetitionType::kOptional);
  EXPECT_EQ(quantity.converted_type, ConvertedType::kDecimal);
  EXPECT_EQ(quantity.scale, 2);
  EXPECT_EQ(quantity.precision, 15);
  EXPECT_EQ(quantity.logical_type, LogicalType::Decimal(2, 15));
  EXPECT_EQ(metadata.schema[11].converted_type, ConvertedType::kDate);
  EXPECT_EQ(metadata.schema[16].type, Type::kByteArray);

  int64_t rows = 0;
  for (const RowGroup& row_group : metadata.row_groups) {
    rows += row_group.num_rows;
    ASSERT_EQ(row_group.columns.size(), 16u);
    for (size_t i = 0; i < row_group.columns.size(); ++i) {
      const ColumnChunk& chunk = row_group.columns[i];
      ASSERT_TRUE(chunk.meta_data.has_value());
      EXPECT_EQ(chunk.meta_data->path_in_schema,
                std::vector<std::string>{metadata.schema[i + 1].name});
      EXPECT_EQ(chunk.meta_data->num_values, row_group.num_rows);
      EXPECT_EQ(chunk.meta_data->type, *metadata.schema[i + 1].type);
      EXPECT_TRUE(chunk.meta_data->statistics.has_value());
    }
  }
  EXPECT_EQ(rows, metadata.num_rows);
  EXPECT_EQ(metadata.column_orders.size(), 16u);
  for (const ColumnOrder& order : metadata.column_orders) {
    EXPECT_EQ(order.kind, ColumnOrder::Kind::kTypeDefinedOrder);
  }
}

TEST(MetadataFooterTest, ReadsEveryTpchFooterAndRewritesItByteForByte) {
  SKIP_WITHOUT_TPCH();
  const std::vector<std::pair<std::string, int64_t>> tables = {
      {"customer", 15000}, {"lineitem", 600572}, {"nation", 25}, {"orders", 150000},
      {"part", 20000},     {"partsupp", 80000},  {"region", 5},  {"supplier", 1000}};
  for (const auto& [table, expected_rows] : tables) {
    const Bytes footer = FooterOf(TpchDir() / (table + ".parquet"));
    const FileMetaData metadata = ReadFileMetaData(footer.data(), footer.size());
    EXPECT_EQ(metadata.num_rows, expected_rows) << table;
    EXPECT_EQ(metadata.schema.size(), LeafNames(metadata).size() + 1) << table;
    // DuckDB writes with Thrift C++, fields in id order: the same encoding as ours.
    std::string rewritten;
    WriteFileMetaData(metadata, &rewritten);
    EXPECT_EQ(ToBytes(rewritten), footer) << table;
  }
}

TEST(MetadataPageHeaderTest, ReadsTheRealPageAndBloomFilterHeadersOfLineitem) {
  SKIP_WITHOUT_TPCH();
  const std::filesystem::path path = TpchDir() / "lineitem.parquet";
  const Bytes footer = FooterOf(path);
  const FileMetaData metadata = ReadFileMetaData(footer.data(), footer.size());
  // Page headers are short; read a window after each offset, as a page reader would.
  const uint64_t file_size = std::filesystem::file_size(path);
  const auto window_at = [&](int64_t offset) {
    EXPECT_LT(static_cast<uint64_t>(offset), file_size);
    return ReadRange(path, offset, std::min<uint64_t>(256, file_size - offset));
  };
  int bloom_filters = 0;
  for (const ColumnChunk& chunk : metadata.row_groups[0].columns) {
    const ColumnMetaData& column = *chunk.meta_data;
    Bytes window = window_at(column.dictionary_page_offset.value_or(column.data_page_offset));
    size_t consumed = 0;
    const PageHeader first = ReadPageHeader(window.data(), window.size(), &consumed);
    EXPECT_GT(consumed, 0u);
    if (column.dictionary_page_offset.has_value()) {
      ASSERT_EQ(first.type, PageType::kDictionaryPage);
      ASSERT_TRUE(first.dictionary_page_header.has_value());
      EXPECT_GT(first.dictionary_page_header->num_values, 0);
      window = window_at(column.data_page_offset);
    } else {
      EXPECT_NE(first.type, PageType::kDictionaryPage);
    }
    const PageHeader data = ReadPageHeader(window.data(), window.size());
    ASSERT_TRUE(data.type == PageType::kDataPage || data.type == PageType::kDataPageV2);
    EXPECT_GT(data.compressed_page_size, 0);

    if (column.bloom_filter_offset.has_value()) {
      ++bloom_filters;
      window = window_at(*column.bloom_filter_offset);
      const BloomFilterHeader header =
          ReadBloomFilterHeader(window.data(), window.size(), &consumed);
      EXPECT_EQ(header.algorithm, BloomFilterAlgorithm::kBlock);
      EXPECT_EQ(header.hash, BloomFilterHash::kXxHash);
      EXPECT_EQ(header.compression, BloomFilterCompression::kUncompressed);
      ASSERT_TRUE(column.bloom_filter_length.has_value());
      EXPECT_EQ(static_cast<int64_t>(consumed) + header.num_bytes, *column.bloom_filter_length);
    }
  }
  EXPECT_GT(bloom_filters, 0);
}

// ---------------------------------------------------------------------------------------------
// Round trips

Statistics FullStatistics() {
  Statistics stats;
  stats.max = std::string("\xff\x00\x01", 3);
  stats.min = "";
  stats.null_count = 7;
  stats.distinct_count = 1LL << 40;
  stats.max_value = "zebra";
  stats.min_value = "aardvark";
  stats.is_max_value_exact = true;
  stats.is_min_value_exact = false;
  stats.nan_count = 0;
  return stats;
}

SchemaElement Leaf(std::string name, Type type, LogicalType logical_type) {
  SchemaElement element;
  element.name = std::move(name);
  element.type = type;
  element.repetition_type = FieldRepetitionType::kOptional;
  element.logical_type = logical_type;
  return element;
}

/// Builds a footer that sets every field the structs have, and every known logical type.
FileMetaData FullFileMetaData() {
  using Kind = LogicalType::Kind;
  FileMetaData metadata;
  metadata.version = 2;
  SchemaElement root;
  root.name = "schema";
  root.num_children = 20;
  metadata.schema.push_back(root);
  metadata.schema.push_back(Leaf("s", Type::kByteArray, LogicalType::Simple(Kind::kString)));
  metadata.schema.push_back(Leaf("m", Type::kInt32, LogicalType::Simple(Kind::kMap)));
  metadata.schema.push_back(Leaf("l", Type::kInt32, LogicalType::Simple(Kind::kList)));
  metadata.schema.push_back(Leaf("e", Type::kByteArray, LogicalType::Simple(Kind::kEnum)));
  metadata.schema.push_back(Leaf("d", Type::kFixedLenByteArray, LogicalType::Decimal(4, 30)));
  metadata.schema.back().type_length = 13;
  metadata.schema.back().converted_type = ConvertedType::kDecimal;
  metadata.schema.back().scale = 4;
  metadata.schema.back().precision = 30;
  metadata.schema.push_back(Leaf("date", Type::kInt32, LogicalType::Simple(Kind::kDate)));
  metadata.schema.push_back(Leaf("t1", Type::kInt32, LogicalType::Time(false, TimeUnit::kMillis)));
  metadata.schema.push_back(Leaf("t2", Type::kInt64, LogicalType::Time(true, TimeUnit::kMicros)));
  metadata.schema.push_back(
      Leaf("ts1", Type::kInt64, LogicalType::Timestamp(true, TimeUnit::kNanos)));
  metadata.schema.push_back(
      Leaf("ts2", Type::kInt64, LogicalType::Timestamp(false, TimeUnit::kMillis)));
  metadata.schema.push_back(Leaf("i8", Type::kInt32, LogicalType::Integer(8, true)));
  metadata.schema.push_back(Leaf("u64", Type::kInt64, LogicalType::Integer(64, false)));
  metadata.schema.push_back(Leaf("null", Type::kInt32, LogicalType::Simple(Kind::kNull)));
  metadata.schema.push_back(Leaf("json", Type::kByteArray, LogicalType::Simple(Kind::kJson)));
  metadata.schema.push_back(Leaf("bson", Type::kByteArray, LogicalType::Simple(Kind::kBson)));
  metadata.schema.push_back(
      Leaf("uuid", Type::kFixedLenByteArray, LogicalType::Simple(Kind::kUuid)));
  metadata.schema.push_back(
      Leaf("f16", Type::kFixedLenByteArray, LogicalType::Simple(Kind::kFloat16)));
  SchemaElement plain;
  plain.name = "plain";
  plain.type = Type::kInt96;
  plain.repetition_type = FieldRepetitionType::kRequired;
  plain.field_id = -3;
  metadata.schema.push_back(plain);
  SchemaElement repeated = Leaf("rep", Type::kBoolean, LogicalType::Simple(Kind::kString));
  repeated.logical_type.reset();
  repeated.repetition_type = FieldRepetitionType::kRepeated;
  repeated.converted_type = ConvertedType::kInterval;
  metadata.schema.push_back(repeated);
  metadata.schema.push_back(Leaf("ünïcode", Type::kDouble, LogicalType::Simple(Kind::kJson)));

  metadata.num_rows = 123456789012LL;
  for (int g = 0; g < 2; ++g) {
    RowGroup group;
    group.total_byte_size = 1000 + g;
    group.num_rows = 61728394506LL;
    group.sorting_columns = {{0, true, false}, {3, false, true}};
    group.file_offset = 4;
    group.total_compressed_size = 999;
    group.ordinal = static_cast<int16_t>(g);
    for (int c = 0; c < 20; ++c) {
      ColumnChunk chunk;
      if (c == 1) chunk.file_path = "other.parquet";
      chunk.file_offset = 100 * c;
      chunk.offset_index_offset = 5000 + c;
      chunk.offset_index_length = 40;
      chunk.column_index_offset = 6000 + c;
      chunk.column_index_length = 50;
      ColumnMetaData& column = chunk.meta_data.emplace();
      column.type = *metadata.schema[c + 1].type;
      column.encodings = {Encoding::kPlain, Encoding::kRleDictionary, Encoding::kRle,
                          Encoding::kByteStreamSplit, static_cast<Encoding>(42)};
      column.path_in_schema = {"a", metadata.schema[c + 1].name};
      column.codec = CompressionCodec::kZstd;
      column.num_values = 61728394506LL;
      column.total_uncompressed_size = 1LL << 35;
      column.total_compressed_size = 1LL << 33;
      column.key_value_metadata = {{"k", "v"}, {"no value", std::nullopt}};
      column.data_page_offset = 77;
      column.index_page_offset = 66;
      column.dictionary_page_offset = 55;
      column.statistics = FullStatistics();
      column.encoding_stats = {{PageType::kDictionaryPage, Encoding::kPlain, 1},
                               {PageType::kDataPage, Encoding::kRleDictionary, 12}};
      column.bloom_filter_offset = 1LL << 36;
      column.bloom_filter_length = 4096;
      group.columns.push_back(chunk);
    }
    metadata.row_groups.push_back(group);
  }
  metadata.key_value_metadata = {{"ARROW:schema", std::string(300, 'x')}, {"empty", ""}};
  metadata.created_by = "sluice version 0.1.0";
  for (int c = 0; c < 20; ++c) {
    metadata.column_orders.push_back(
        {static_cast<ColumnOrder::Kind>(1 + c % 3)});  // All three known orders.
  }
  return metadata;
}

template <typename T>
T RoundTrip(const T& value, void (*write)(const T&, std::string*),
            T (*read)(const uint8_t*, size_t, size_t*)) {
  std::string encoded = "prefix";  // Writers append.
  write(value, &encoded);
  EXPECT_EQ(encoded.substr(0, 6), "prefix");
  const Bytes bytes = ToBytes(encoded.substr(6) + "trailing bytes");
  size_t consumed = 0;
  T decoded = read(bytes.data(), bytes.size(), &consumed);
  EXPECT_EQ(consumed, encoded.size() - 6);
  return decoded;
}

TEST(MetadataRoundTripTest, RoundTripsAFooterWithEveryFieldSet) {
  const FileMetaData metadata = FullFileMetaData();
  EXPECT_EQ(RoundTrip(metadata, &WriteFileMetaData, &ReadFileMetaData), metadata);
}

TEST(MetadataRoundTripTest, RoundTripsAMinimalFooter) {
  FileMetaData metadata;
  metadata.schema.push_back(SchemaElement{});
  metadata.schema[0].name = "root";
  EXPECT_EQ(RoundTrip(metadata, &WriteFileMetaData, &ReadFileMetaData), metadata);
}

TEST(MetadataRoundTripTest, RoundTripsEveryKindOfPageHeader) {
  PageHeader v1;
  v1.type = PageType::kDataPage;
  v1.uncompressed_page_size = 1 << 20;
  v1.compressed_page_size = 1 << 19;
  v1.crc = -123456;
  v1.data_page_header = DataPageHeader{1000, Encoding::kRleDictionary, Encoding::kRle,
                                       Encoding::kBitPacked, FullStatistics()};
  EXPECT_EQ(RoundTrip(v1, &WritePageHeader, &ReadPageHeader), v1);

  PageHeader dictionary;
  dictionary.type = PageType::kDictionaryPage;
  dictionary.uncompressed_page_size = 10;
  dictionary.compressed_page_size = 12;
  dictionary.dictionary_page_header = DictionaryPageHeader{3, Encoding::kPlain, true};
  EXPECT_EQ(RoundTrip(dictionary, &WritePageHeader, &ReadPageHeader), dictionary);
  dictionary.dictionary_page_header->is_sorted.reset();
  EXPECT_EQ(RoundTrip(dictionary, &WritePageHeader, &ReadPageHeader), dictionary);

  PageHeader v2;
  v2.type = PageType::kDataPageV2;
  v2.uncompressed_page_size = 500;
  v2.compressed_page_size = 300;
  DataPageHeaderV2& header = v2.data_page_header_v2.emplace();
  header.num_values = 100;
  header.num_nulls = 10;
  header.num_rows = 50;
  header.encoding = Encoding::kDeltaBinaryPacked;
  header.definition_levels_byte_length = 20;
  header.repetition_levels_byte_length = 30;
  header.is_compressed = false;
  header.statistics = Statistics{};
  EXPECT_EQ(RoundTrip(v2, &WritePageHeader, &ReadPageHeader), v2);
  header.is_compressed = true;
  header.statistics.reset();
  EXPECT_EQ(RoundTrip(v2, &WritePageHeader, &ReadPageHeader), v2);

  PageHeader index;
  index.type = PageType::kIndexPage;
  index.index_page_header = IndexPageHeader{};
  EXPECT_EQ(RoundTrip(index, &WritePageHeader, &ReadPageHeader), index);
}

TEST(MetadataRoundTripTest, RoundTripsThePageIndex) {
  ColumnIndex column_index;
  column_index.null_pages = {false, true,  false, false, true,  false, false, false,
                             false, false, false, false, false, false, false, true};
  for (size_t i = 0; i < column_index.null_pages.size(); ++i) {
    const bool null_page = column_index.null_pages[i];
    column_index.min_values.push_back(null_page ? "" : "min" + std::to_string(i));
    column_index.max_values.push_back(null_page ? "" : "max" + std::to_string(i));
  }
  column_index.boundary_order = BoundaryOrder::kAscending;
  column_index.null_counts = std::vector<int64_t>(16, 3);
  EXPECT_EQ(RoundTrip(column_index, &WriteColumnIndex, &ReadColumnIndex), column_index);
  column_index.null_counts.reset();
  column_index.boundary_order = BoundaryOrder::kDescending;
  EXPECT_EQ(RoundTrip(column_index, &WriteColumnIndex, &ReadColumnIndex), column_index);

  OffsetIndex offset_index;
  for (int64_t i = 0; i < 20; ++i) {
    offset_index.page_locations.push_back({4 + 1000 * i, 1000, 5000 * i});
  }
  EXPECT_EQ(RoundTrip(offset_index, &WriteOffsetIndex, &ReadOffsetIndex), offset_index);
  offset_index.unencoded_byte_array_data_bytes = std::vector<int64_t>(20, 1LL << 33);
  EXPECT_EQ(RoundTrip(offset_index, &WriteOffsetIndex, &ReadOffsetIndex), offset_index);
}

TEST(MetadataRoundTripTest, RoundTripsTheBloomFilterHeader) {
  const BloomFilterHeader header{1 << 20, BloomFilterAlgorithm::kBlock, BloomFilterHash::kXxHash,
                                 BloomFilterCompression::kUncompressed};
  EXPECT_EQ(RoundTrip(header, &WriteBloomFilterHeader, &ReadBloomFilterHeader), header);
}

TEST(MetadataRoundTripTest, EncodesTheBloomFilterHeaderAsOtherWritersDo) {
  // As parquet-mr and Arrow C++ write it: numBytes=32, then three unions of empty structs.
  std::string out;
  WriteBloomFilterHeader(
      BloomFilterHeader{32, BloomFilterAlgorithm::kBlock, BloomFilterHash::kXxHash,
                        BloomFilterCompression::kUncompressed},
      &out);
  EXPECT_EQ(ToBytes(out), (Bytes{0x15, 0x40, 0x1C, 0x1C, 0x00, 0x00, 0x1C, 0x1C, 0x00, 0x00, 0x1C,
                                 0x1C, 0x00, 0x00, 0x00}));
}

TEST(MetadataRoundTripTest, RefusesToWriteUnionMembersItDidNotKeep) {
  FileMetaData metadata = FullFileMetaData();
  metadata.schema[1].logical_type->kind = LogicalType::Kind::kUnrecognized;
  std::string out;
  try {
    WriteFileMetaData(metadata, &out);
    ADD_FAILURE() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kUnsupported);
  }
  metadata = FullFileMetaData();
  metadata.column_orders[0].kind = ColumnOrder::Kind::kUnrecognized;
  EXPECT_THROW(WriteFileMetaData(metadata, &out), Error);
  BloomFilterHeader header;
  header.hash = BloomFilterHash::kUnrecognized;
  EXPECT_THROW(WriteBloomFilterHeader(header, &out), Error);
}

// ---------------------------------------------------------------------------------------------
// Forward compatibility: fields and union members this reader does not know.

/// Writes field `id` as list<struct{ 1: i32, 2: list<string>, 3: struct{ 1: double } }>.
void WriteUnknownListOfStructs(CompactWriter& w, int16_t id) {
  w.WriteFieldHeader(CompactType::kList, id);
  w.WriteListHeader(CompactType::kStruct, 3);
  for (int i = 0; i < 3; ++i) {
    w.BeginStruct();
    w.WriteI32Field(1, i);
    w.WriteFieldHeader(CompactType::kList, 2);
    w.WriteListHeader(CompactType::kBinary, 2);
    w.WriteBinary("x");
    w.WriteBinary("yz");
    w.WriteFieldHeader(CompactType::kStruct, 3);
    w.BeginStruct();
    w.WriteDoubleField(1, 0.5);
    w.EndStruct();
    w.EndStruct();
  }
}

/// Writes a minimal valid footer by hand, calling `middle` between fields 2 and 3 and `end`
/// after field 4.
Bytes HandBuiltFooter(const std::function<void(CompactWriter&)>& middle,
                      const std::function<void(CompactWriter&)>& end) {
  return Encode([&](CompactWriter& w) {
    w.BeginStruct();
    w.WriteI32Field(1, 1);
    w.WriteFieldHeader(CompactType::kList, 2);
    w.WriteListHeader(CompactType::kStruct, 1);
    w.BeginStruct();
    w.WriteBinaryField(4, "root");
    w.EndStruct();
    middle(w);
    w.WriteI64Field(3, 42);
    w.WriteFieldHeader(CompactType::kList, 4);
    w.WriteListHeader(CompactType::kStruct, 0);
    end(w);
    w.EndStruct();
  });
}

TEST(MetadataCompatibilityTest, SkipsAnUnknownFieldHoldingAListOfStructs) {
  const Bytes bytes = HandBuiltFooter([](CompactWriter& w) { WriteUnknownListOfStructs(w, 99); },
                                      [](CompactWriter& w) { WriteUnknownListOfStructs(w, 98); });
  size_t consumed = 0;
  const FileMetaData metadata = ReadFileMetaData(bytes.data(), bytes.size(), &consumed);
  EXPECT_EQ(consumed, bytes.size());
  EXPECT_EQ(metadata.num_rows, 42);  // Field 3 came after field 99: a long-form header.
  ASSERT_EQ(metadata.schema.size(), 1u);
  EXPECT_EQ(metadata.schema[0].name, "root");
}

TEST(MetadataCompatibilityTest, SkipsUnknownFieldsInsideColumnMetaData) {
  // Fields 16 (size_statistics) and 17 (geospatial_statistics) of newer writers, and 99.
  const Bytes bytes = HandBuiltFooter([](CompactWriter&) {},
                                      [](CompactWriter& w) {
                                        w.WriteFieldHeader(CompactType::kList,
                                                           4);  // Field 4 again: the last one wins.
                                        w.WriteListHeader(CompactType::kStruct, 1);
                                        w.BeginStruct();  // RowGroup
                                        w.WriteFieldHeader(CompactType::kList, 1);
                                        w.WriteListHeader(CompactType::kStruct, 1);
                                        w.BeginStruct();  // ColumnChunk
                                        w.WriteI64Field(2, 0);
                                        w.WriteFieldHeader(CompactType::kStruct, 3);
                                        w.BeginStruct();  // ColumnMetaData
                                        w.WriteI32Field(1, 1);
                                        w.WriteFieldHeader(CompactType::kList, 2);
                                        w.WriteListHeader(CompactType::kI32, 1);
                                        w.WriteI32(0);
                                        w.WriteFieldHeader(CompactType::kList, 3);
                                        w.WriteListHeader(CompactType::kBinary, 1);
                                        w.WriteBinary("root");
                                        w.WriteI32Field(4, 0);
                                        w.WriteI64Field(5, 10);
                                        w.WriteI64Field(6, 100);
                                        w.WriteI64Field(7, 100);
                                        w.WriteI64Field(9, 4);
                                        w.WriteFieldHeader(CompactType::kStruct, 16);
                                        w.BeginStruct();
                                        w.WriteI64Field(1, 7);
                                        w.WriteFieldHeader(CompactType::kList, 3);
                                        w.WriteListHeader(CompactType::kI64, 2);
                                        w.WriteI64(1);
                                        w.WriteI64(9);
                                        w.EndStruct();
                                        w.WriteFieldHeader(CompactType::kStruct, 17);
                                        w.BeginStruct();
                                        w.EndStruct();
                                        WriteUnknownListOfStructs(w, 99);
                                        w.EndStruct();
                                        w.EndStruct();
                                        w.WriteI64Field(2, 100);
                                        w.WriteI64Field(3, 10);
                                        w.EndStruct();
                                      });
  const FileMetaData metadata = ReadFileMetaData(bytes.data(), bytes.size());
  ASSERT_EQ(metadata.row_groups.size(), 1u);
  ASSERT_EQ(metadata.row_groups[0].columns.size(), 1u);
  const ColumnMetaData& column = *metadata.row_groups[0].columns[0].meta_data;
  EXPECT_EQ(column.type, Type::kInt32);
  EXPECT_EQ(column.num_values, 10);
  EXPECT_EQ(column.data_page_offset, 4);
}

/// Encodes a footer whose only leaf has the LogicalType that `write_member` writes.
Bytes FooterWithLogicalType(const std::function<void(CompactWriter&)>& write_member) {
  return HandBuiltFooter([](CompactWriter&) {},
                         [&](CompactWriter& w) {
                           w.WriteFieldHeader(CompactType::kList,
                                              2);  // The schema again; the last one wins.
                           w.WriteListHeader(CompactType::kStruct, 1);
                           w.BeginStruct();
                           w.WriteBinaryField(4, "leaf");
                           w.WriteFieldHeader(CompactType::kStruct, 10);
                           w.BeginStruct();
                           write_member(w);
                           w.EndStruct();
                           w.EndStruct();
                         });
}

TEST(MetadataCompatibilityTest, KeepsUnknownLogicalTypesAsUnrecognized) {
  const Bytes bytes = FooterWithLogicalType([](CompactWriter& w) {
    w.WriteFieldHeader(CompactType::kStruct, 16);  // VARIANT { 1: i8 specification_version }
    w.BeginStruct();
    w.WriteI8Field(1, 1);
    w.EndStruct();
  });
  const FileMetaData metadata = ReadFileMetaData(bytes.data(), bytes.size());
  ASSERT_TRUE(metadata.schema[0].logical_type.has_value());
  EXPECT_EQ(metadata.schema[0].logical_type->kind, LogicalType::Kind::kUnrecognized);
  EXPECT_EQ(metadata.schema[0].logical_type->unrecognized_field_id, 16);
}

TEST(MetadataCompatibilityTest, TreatsATimestampWithAnUnknownUnitAsUnrecognized) {
  const Bytes bytes = FooterWithLogicalType([](CompactWriter& w) {
    w.WriteFieldHeader(CompactType::kStruct, 8);
    w.BeginStruct();
    w.WriteBoolField(1, true);
    w.WriteFieldHeader(CompactType::kStruct, 2);
    w.BeginStruct();
    w.WriteFieldHeader(CompactType::kStruct, 4);  // A future PICOS, say.
    w.BeginStruct();
    w.EndStruct();
    w.EndStruct();
    w.EndStruct();
  });
  const FileMetaData metadata = ReadFileMetaData(bytes.data(), bytes.size());
  EXPECT_EQ(metadata.schema[0].logical_type->kind, LogicalType::Kind::kUnrecognized);
  EXPECT_EQ(metadata.schema[0].logical_type->unrecognized_field_id, 8);
}

TEST(MetadataCompatibilityTest, AcceptsIntegersWrittenWiderThanTheIdlSays) {
  const Bytes bytes = FooterWithLogicalType([](CompactWriter& w) {
    w.WriteFieldHeader(CompactType::kStruct, 10);  // IntType with bitWidth as an i32.
    w.BeginStruct();
    w.WriteI32Field(1, 16);
    w.WriteBoolField(2, false);
    w.EndStruct();
  });
  const FileMetaData metadata = ReadFileMetaData(bytes.data(), bytes.size());
  EXPECT_EQ(metadata.schema[0].logical_type, LogicalType::Integer(16, false));
}

TEST(MetadataCompatibilityTest, KeepsUnknownColumnOrdersAndEnumValues) {
  const Bytes bytes = HandBuiltFooter([](CompactWriter&) {},
                                      [](CompactWriter& w) {
                                        w.WriteFieldHeader(CompactType::kList, 7);
                                        w.WriteListHeader(CompactType::kStruct, 2);
                                        w.BeginStruct();
                                        w.WriteFieldHeader(CompactType::kStruct, 9);
                                        w.BeginStruct();
                                        w.EndStruct();
                                        w.EndStruct();
                                        w.BeginStruct();
                                        w.EndStruct();
                                      });
  const FileMetaData metadata = ReadFileMetaData(bytes.data(), bytes.size());
  ASSERT_EQ(metadata.column_orders.size(), 2u);
  EXPECT_EQ(metadata.column_orders[0].kind, ColumnOrder::Kind::kUnrecognized);
  EXPECT_EQ(metadata.column_orders[1].kind, ColumnOrder::Kind::kUnrecognized);

  PageHeader header;
  header.type = static_cast<PageType>(17);
  std::string out;
  WritePageHeader(header, &out);
  EXPECT_EQ(ReadPageHeader(reinterpret_cast<const uint8_t*>(out.data()), out.size()).type,
            static_cast<PageType>(17));
  EXPECT_STREQ(EnumName(static_cast<Encoding>(42)), "unknown");
  EXPECT_STREQ(EnumName(Encoding::kRleDictionary), "RLE_DICTIONARY");
}

TEST(MetadataCompatibilityTest, DropsNegativeStatisticCountsAsUnknown) {
  PageHeader header;
  header.data_page_header.emplace().statistics.emplace();
  header.data_page_header->statistics->null_count = -1;
  header.data_page_header->statistics->distinct_count = -5;
  header.data_page_header->statistics->max_value = "m";
  std::string out;
  WritePageHeader(header, &out);
  const PageHeader read = ReadPageHeader(reinterpret_cast<const uint8_t*>(out.data()), out.size());
  const Statistics& stats = *read.data_page_header->statistics;
  EXPECT_FALSE(stats.null_count.has_value());
  EXPECT_FALSE(stats.distinct_count.has_value());
  EXPECT_EQ(stats.max_value, "m");
}

// ---------------------------------------------------------------------------------------------
// Corrupt input

TEST(MetadataCorruptionTest, ThrowsOnEveryTruncationOfARealFooter) {
  SKIP_WITHOUT_TPCH();
  const Bytes footer = FooterOf(TpchDir() / "lineitem.parquet");
  for (size_t size = 0; size < footer.size(); ++size) {
    const Bytes truncated(footer.begin(), footer.begin() + static_cast<ptrdiff_t>(size));
    try {
      ReadFileMetaData(truncated.data(), truncated.size());
      ADD_FAILURE() << "a footer truncated to " << size << " bytes was read";
    } catch (const Error& error) {
      ASSERT_EQ(error.kind(), ErrorKind::kInvalidInput) << error.what();
    }
  }
}

TEST(MetadataCorruptionTest, ThrowsOnlySluiceErrorsOnRandomlyMutatedFooters) {
  SKIP_WITHOUT_TPCH();
  const Bytes original = FooterOf(TpchDir() / "orders.parquet");
  uint64_t state = 12345;
  const auto next = [&state] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return state >> 33;
  };
  int rejected = 0;
  for (int round = 0; round < 3000; ++round) {
    Bytes mutated = original;
    const int mutations = 1 + static_cast<int>(next() % 4);
    for (int m = 0; m < mutations; ++m) {
      const size_t at = next() % mutated.size();
      switch (next() % 3) {
        case 0: mutated[at] = static_cast<uint8_t>(next()); break;
        case 1: mutated[at] ^= static_cast<uint8_t>(1u << (next() % 8)); break;
        default: mutated[at] = static_cast<uint8_t>(0xF0 | (next() & 0x0F)); break;
      }
    }
    try {
      const FileMetaData metadata = ReadFileMetaData(mutated.data(), mutated.size());
      std::string rewritten;  // Whatever was read must also be writable.
      WriteFileMetaData(metadata, &rewritten);
    } catch (const Error& error) {
      ++rejected;
    }
  }
  EXPECT_GT(rejected, 0);
}

TEST(MetadataCorruptionTest, RejectsASchemaListLongerThanTheFooter) {
  const Bytes bytes = Encode([](CompactWriter& w) {
    w.BeginStruct();
    w.WriteI32Field(1, 1);
    w.WriteFieldHeader(CompactType::kList, 2);
    w.WriteListHeader(CompactType::kStruct, 2000000000);
    w.WriteBinaryField(4, "a few bytes");
  });
  EXPECT_ERROR_CONTAINS(ReadFileMetaData(bytes.data(), bytes.size()),
                        "list of 2000000000 elements at offset 3 exceeds the 13 bytes left "
                        "(in FileMetaData)");
}

TEST(MetadataCorruptionTest, RejectsAnUnknownFieldNestedBeyondTheLimit) {
  Bytes bytes = {0x15, 0x02};  // FileMetaData.version = 1
  bytes.push_back(0x0C);       // Long-form header: field 99, type struct.
  bytes.push_back(0xC6);
  bytes.push_back(0x01);
  bytes.insert(bytes.end(), 100000, 0x1C);  // Struct in struct in struct ...
  EXPECT_ERROR_CONTAINS(ReadFileMetaData(bytes.data(), bytes.size()), "deeper than 64 levels");
}

TEST(MetadataCorruptionTest, RejectsMissingRequiredFieldsNamingStructAndField) {
  // A footer without num_rows (field 3).
  const Bytes no_rows = Encode([](CompactWriter& w) {
    w.BeginStruct();
    w.WriteI32Field(1, 1);
    w.WriteFieldHeader(CompactType::kList, 2);
    w.WriteListHeader(CompactType::kStruct, 1);
    w.BeginStruct();
    w.WriteBinaryField(4, "root");
    w.EndStruct();
    w.WriteFieldHeader(CompactType::kList, 4);
    w.WriteListHeader(CompactType::kStruct, 0);
    w.EndStruct();
  });
  EXPECT_ERROR_CONTAINS(ReadFileMetaData(no_rows.data(), no_rows.size()),
                        "FileMetaData ending at offset 14 lacks the required field num_rows "
                        "(id 3)");

  // A schema element without a name.
  const Bytes no_name = HandBuiltFooter([](CompactWriter&) {},
                                        [](CompactWriter& w) {
                                          w.WriteFieldHeader(CompactType::kList, 2);
                                          w.WriteListHeader(CompactType::kStruct, 1);
                                          w.BeginStruct();
                                          w.WriteI32Field(5, 0);
                                          w.EndStruct();
                                        });
  EXPECT_ERROR_CONTAINS(ReadFileMetaData(no_name.data(), no_name.size()),
                        "SchemaElement ending at offset");
  EXPECT_ERROR_CONTAINS(ReadFileMetaData(no_name.data(), no_name.size()),
                        "lacks the required field name (id 4)");

  // A page header without sizes.
  const Bytes no_sizes = Encode([](CompactWriter& w) {
    w.BeginStruct();
    w.WriteI32Field(1, 0);
    w.EndStruct();
  });
  EXPECT_ERROR_CONTAINS(ReadPageHeader(no_sizes.data(), no_sizes.size()),
                        "PageHeader ending at offset 3 lacks the required field "
                        "uncompressed_page_size (id 2)");
}

TEST(MetadataCorruptionTest, RejectsNegativeSizesAndCounts) {
  const Bytes negative_rows = Encode([](CompactWriter& w) {
    w.BeginStruct();
    w.WriteI32Field(1, 1);
    w.WriteI64Field(3, -5);
    w.EndStruct();
  });
  EXPECT_ERROR_CONTAINS(ReadFileMetaData(negative_rows.data(), negative_rows.size()),
                        "FileMetaData.num_rows is -5 at offset 3; it must not be negative");

  PageHeader header;
  header.type = PageType::kDataPage;
  header.compressed_page_size = -1;
  header.data_page_header.emplace();
  std::string out;
  WritePageHeader(header, &out);
  EXPECT_ERROR_CONTAINS(ReadPageHeader(reinterpret_cast<const uint8_t*>(out.data()), out.size()),
                        "PageHeader.compressed_page_size is -1");

  header.compressed_page_size = 0;
  header.data_page_header->num_values = -7;
  out.clear();
  WritePageHeader(header, &out);
  EXPECT_ERROR_CONTAINS(ReadPageHeader(reinterpret_cast<const uint8_t*>(out.data()), out.size()),
                        "DataPageHeader.num_values is -7");

  OffsetIndex index;
  index.page_locations = {{4, 100, 0}, {104, 100, -1}};
  out.clear();
  WriteOffsetIndex(index, &out);
  EXPECT_ERROR_CONTAINS(ReadOffsetIndex(reinterpret_cast<const uint8_t*>(out.data()), out.size()),
                        "PageLocation.first_row_index is -1");

  BloomFilterHeader bloom;
  bloom.num_bytes = -32;
  out.clear();
  WriteBloomFilterHeader(bloom, &out);
  EXPECT_ERROR_CONTAINS(
      ReadBloomFilterHeader(reinterpret_cast<const uint8_t*>(out.data()), out.size()),
      "BloomFilterHeader.numBytes is -32");
}

TEST(MetadataCorruptionTest, RejectsAKnownFieldOfTheWrongWireType) {
  const Bytes bytes = Encode([](CompactWriter& w) {
    w.BeginStruct();
    w.WriteBinaryField(1, "one");  // version must be an i32.
    w.EndStruct();
  });
  EXPECT_ERROR_CONTAINS(ReadFileMetaData(bytes.data(), bytes.size()),
                        "field FileMetaData.version (id 1) at offset 1 has wire type binary, "
                        "expected integer");
}

TEST(MetadataCorruptionTest, RejectsAListOfTheWrongElementType) {
  const Bytes bytes = Encode([](CompactWriter& w) {
    w.BeginStruct();
    w.WriteFieldHeader(CompactType::kList, 2);
    w.WriteListHeader(CompactType::kI32, 1);
    w.WriteI32(0);
    w.EndStruct();
  });
  EXPECT_ERROR_CONTAINS(ReadFileMetaData(bytes.data(), bytes.size()),
                        "FileMetaData.schema at offset 1 is a list of i32, expected a list of "
                        "struct");
}

TEST(MetadataCorruptionTest, RejectsAnEmptySchema) {
  FileMetaData metadata;
  std::string out;
  WriteFileMetaData(metadata, &out);
  EXPECT_ERROR_CONTAINS(ReadFileMetaData(reinterpret_cast<const uint8_t*>(out.data()), out.size()),
                        "empty schema");
}

TEST(MetadataCorruptionTest, RejectsPageHeadersThatContradictThemselves) {
  std::string out;
  PageHeader missing;
  missing.type = PageType::kDictionaryPage;
  WritePageHeader(missing, &out);
  EXPECT_ERROR_CONTAINS(ReadPageHeader(reinterpret_cast<const uint8_t*>(out.data()), out.size()),
                        "has type DICTIONARY_PAGE but no dictionary_page_header");

  PageHeader v2;
  v2.type = PageType::kDataPageV2;
  v2.compressed_page_size = 10;
  v2.uncompressed_page_size = 100;
  v2.data_page_header_v2.emplace();
  v2.data_page_header_v2->num_values = 5;
  v2.data_page_header_v2->num_nulls = 6;
  out.clear();
  WritePageHeader(v2, &out);
  EXPECT_ERROR_CONTAINS(ReadPageHeader(reinterpret_cast<const uint8_t*>(out.data()), out.size()),
                        "more nulls (6) than values (5)");

  v2.data_page_header_v2->num_nulls = 0;
  v2.data_page_header_v2->definition_levels_byte_length = 8;
  v2.data_page_header_v2->repetition_levels_byte_length = 8;
  out.clear();
  WritePageHeader(v2, &out);
  EXPECT_ERROR_CONTAINS(ReadPageHeader(reinterpret_cast<const uint8_t*>(out.data()), out.size()),
                        "16 bytes of levels in a page of 10 bytes");
}

TEST(MetadataCorruptionTest, RejectsAColumnIndexWithListsOfDifferentLengths) {
  ColumnIndex index;
  index.null_pages = {false, false};
  index.min_values = {"a", "b"};
  index.max_values = {"c"};
  std::string out;
  WriteColumnIndex(index, &out);
  EXPECT_ERROR_CONTAINS(ReadColumnIndex(reinterpret_cast<const uint8_t*>(out.data()), out.size()),
                        "2 null_pages, 2 min_values, 1 max_values");

  index.max_values = {"c", "d"};
  index.null_counts = std::vector<int64_t>{1};
  out.clear();
  WriteColumnIndex(index, &out);
  EXPECT_ERROR_CONTAINS(ReadColumnIndex(reinterpret_cast<const uint8_t*>(out.data()), out.size()),
                        "1 null_counts for 2 pages");

  index.null_counts = std::vector<int64_t>{1, -1};  // Corrupt counts are dropped, not fatal.
  out.clear();
  WriteColumnIndex(index, &out);
  EXPECT_FALSE(ReadColumnIndex(reinterpret_cast<const uint8_t*>(out.data()), out.size())
                   .null_counts.has_value());
}

TEST(MetadataCorruptionTest, ThrowsOnEveryTruncationOfEachRoundTrippedStruct) {
  std::vector<std::string> encodings(5);
  WriteFileMetaData(FullFileMetaData(), &encodings[0]);
  PageHeader page;
  page.type = PageType::kDataPageV2;
  page.compressed_page_size = 100;
  page.uncompressed_page_size = 100;
  page.data_page_header_v2.emplace().statistics = FullStatistics();
  WritePageHeader(page, &encodings[1]);
  ColumnIndex column_index;
  column_index.null_pages = {true, false};
  column_index.min_values = {"", "a"};
  column_index.max_values = {"", "b"};
  column_index.null_counts = std::vector<int64_t>{4, 0};
  WriteColumnIndex(column_index, &encodings[2]);
  OffsetIndex offset_index;
  offset_index.page_locations = {{4, 10, 0}};
  WriteOffsetIndex(offset_index, &encodings[3]);
  WriteBloomFilterHeader(BloomFilterHeader{}, &encodings[4]);

  for (size_t which = 0; which < encodings.size(); ++which) {
    const Bytes full = ToBytes(encodings[which]);
    for (size_t size = 0; size < full.size(); ++size) {
      const Bytes truncated(full.begin(), full.begin() + static_cast<ptrdiff_t>(size));
      const uint8_t* data = truncated.data();
      switch (which) {
        case 0: EXPECT_THROW(ReadFileMetaData(data, size), Error) << size; break;
        case 1: EXPECT_THROW(ReadPageHeader(data, size), Error) << size; break;
        case 2: EXPECT_THROW(ReadColumnIndex(data, size), Error) << size; break;
        case 3: EXPECT_THROW(ReadOffsetIndex(data, size), Error) << size; break;
        default: EXPECT_THROW(ReadBloomFilterHeader(data, size), Error) << size; break;
      }
    }
  }
}

}  // namespace
}  // namespace sluice::io::parquet
