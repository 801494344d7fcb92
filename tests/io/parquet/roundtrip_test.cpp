// Round trips through sluice's own Parquet writer and reader: every type, with nulls, under
// every codec, page version and dictionary setting, several row groups and pages; plus the
// statistics, page index, bloom filters and determinism the writer promises.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "core/column_builder.h"
#include "core/decimal.h"
#include "core/error.h"
#include "core/take.h"
#include "io/parquet/reader/scanner.h"
#include "io/parquet/writer/file_writer.h"
#include "testing/temp_dir.h"

namespace sluice::io::parquet {
namespace {

// A batch with a column of every type; row i is null in nullable columns when i % 7 == 3.
Batch EveryType(int64_t rows) {
  std::vector<Field> fields = {
      {"b", Bool(), true},
      {"i8", Int8(), true},
      {"i16", Int16(), true},
      {"i32", Int32(), false},
      {"i64", Int64(), true},
      {"u8", UInt8(), true},
      {"u16", UInt16(), true},
      {"u32", UInt32(), true},
      {"u64", UInt64(), true},
      {"f32", Float32(), true},
      {"f64", Float64(), true},
      {"d9", Decimal(9, 2), true},
      {"d18", Decimal(18, 4), true},
      {"d38", Decimal(38, 10), true},
      {"s", Utf8(), true},
      {"json", Utf8(StringKind::kJson), true},
      {"bin", Binary(), true},
      {"fixed", FixedSizeBinary(3), true},
      {"uuid", Uuid(), true},
      {"date", Date32(), true},
      {"t_ms", Time64(sluice::TimeUnit::kMilli), true},
      {"t_us", Time64(sluice::TimeUnit::kMicro), true},
      {"t_ns", Time64(sluice::TimeUnit::kNano), true},
      {"ts_ms", Timestamp(sluice::TimeUnit::kMilli), true},
      {"ts_us_utc", Timestamp(sluice::TimeUnit::kMicro, "UTC"), true},
      {"ts_ns", Timestamp(sluice::TimeUnit::kNano), true},
  };
  Batch batch;
  batch.schema = std::make_shared<Schema>(fields);
  batch.num_rows = rows;
  for (const Field& field : fields) {
    ColumnBuilder builder(field.type);
    for (int64_t i = 0; i < rows; ++i) {
      if (field.nullable && i % 7 == 3) {
        builder.AppendNull();
        continue;
      }
      int64_t v = (i * 2654435761LL) % 1000003 - 500000;  // varied, repeating, negative too
      if (i == 1) v = field.type.IsSignedInteger() ? -128 : 0;
      switch (field.type.id) {
        case TypeId::kBool: builder.AppendBool(v % 3 == 0); break;
        case TypeId::kInt8: builder.Append<int8_t>(static_cast<int8_t>(v)); break;
        case TypeId::kInt16: builder.Append<int16_t>(static_cast<int16_t>(v)); break;
        case TypeId::kInt32:
          builder.Append<int32_t>(i == 2 ? std::numeric_limits<int32_t>::min()
                                         : static_cast<int32_t>(v));
          break;
        case TypeId::kInt64:
          builder.Append<int64_t>(i == 2 ? std::numeric_limits<int64_t>::max() : v * 1000003);
          break;
        case TypeId::kUInt8: builder.Append<uint8_t>(static_cast<uint8_t>(v)); break;
        case TypeId::kUInt16: builder.Append<uint16_t>(static_cast<uint16_t>(v)); break;
        case TypeId::kUInt32: builder.Append<uint32_t>(static_cast<uint32_t>(v)); break;
        case TypeId::kUInt64:
          builder.Append<uint64_t>(i == 2 ? std::numeric_limits<uint64_t>::max()
                                          : static_cast<uint64_t>(v));
          break;
        case TypeId::kFloat32:
          builder.Append<float>(i == 4 ? std::nanf("") : static_cast<float>(v) / 3);
          break;
        case TypeId::kFloat64:
          builder.Append<double>(i == 4 ? -std::numeric_limits<double>::infinity()
                                        : static_cast<double>(v) / 7);
          break;
        case TypeId::kDecimal: {
          int128_t value =
              static_cast<int128_t>(v) * (field.type.precision > 18 ? PowerOfTen(20) + 1 : 1);
          if (i == 2) value = PowerOfTen(field.type.precision) - 1;
          builder.Append<int128_t>(value);
          break;
        }
        case TypeId::kUtf8:
          builder.AppendString(field.type.string_kind == StringKind::kJson
                                   ? fmt::format("{{\"v\":{}}}", v % 50)
                                   : fmt::format("s{}é", v % 100));
          break;
        case TypeId::kBinary:
          builder.AppendString(
              std::string(static_cast<size_t>(i % 5), static_cast<char>(v & 0xff)));
          break;
        case TypeId::kFixedSizeBinary:
          builder.AppendFixed(fmt::format("{:03}", (v % 1000 + 1000) % 1000).data(), 3);
          break;
        case TypeId::kUuid: {
          uint8_t bytes[16];
          for (int b = 0; b < 16; ++b) bytes[b] = static_cast<uint8_t>(v * (b + 1));
          builder.AppendFixed(bytes, 16);
          break;
        }
        case TypeId::kDate32: builder.Append<int32_t>(static_cast<int32_t>(v % 40000)); break;
        case TypeId::kTime64:
          builder.Append<int64_t>((v % 86400 + 86400) % 86400 * UnitsPerSecond(field.type.unit) +
                                  1);
          break;
        case TypeId::kTimestamp: builder.Append<int64_t>(v * 1'000'003'007LL); break;
        default: ADD_FAILURE() << field.type.ToString();
      }
    }
    batch.columns.push_back(builder.Finish());
  }
  return batch;
}

void WriteFile(const std::string& path, const Batch& batch, const WriterOptions& options,
               int64_t batch_rows = 1000) {
  ParquetWriter writer(path, *batch.schema, options);
  for (int64_t offset = 0; offset < batch.num_rows; offset += batch_rows) {
    writer.Write(batch.Slice(offset, std::min(batch_rows, batch.num_rows - offset)));
  }
  writer.Close();
}

Batch ReadAll(const std::string& path, ScanOptions options = {}) {
  ParquetScanner scanner(ResolveParquetPaths(path), std::move(options));
  Batch all;
  all.schema = scanner.schema();
  Batch batch;
  bool first = true;
  while (scanner.Next(&batch)) {
    if (first) {
      all.columns = batch.columns;
      first = false;
    } else {
      for (size_t c = 0; c < batch.columns.size(); ++c) all.columns[c].AppendFrom(batch.columns[c]);
    }
    all.num_rows += batch.num_rows;
  }
  return all;
}

void ExpectSameBatch(const Batch& expected, const Batch& actual) {
  ASSERT_EQ(expected.schema->ToString(), actual.schema->ToString());
  ASSERT_EQ(expected.num_rows, actual.num_rows);
  for (size_t c = 0; c < expected.columns.size(); ++c) {
    EXPECT_TRUE(expected.columns[c].Equals(actual.columns[c]))
        << "column " << expected.schema->field(c).name;
  }
}

struct Variant {
  const char* name;
  Codec codec;
  int page_version;
  bool dictionary;
};

class RoundTripTest : public ::testing::TestWithParam<Variant> {};

TEST_P(RoundTripTest, ReadsBackEveryTypeAndNullExactly) {
  test::TempDir dir;
  Batch batch = EveryType(5000);
  WriterOptions options;
  options.compression = GetParam().codec;
  options.data_page_version = GetParam().page_version;
  options.dictionary = GetParam().dictionary;
  options.row_group_size = 1700;  // several row groups, cut across writer batches
  options.page_row_limit = 300;   // several pages per chunk
  WriteFile(dir.Join("x.parquet"), batch, options);
  ScanOptions scan;
  scan.batch_size = 777;  // batches cut across pages and row groups
  ExpectSameBatch(batch, ReadAll(dir.Join("x.parquet"), scan));
}

INSTANTIATE_TEST_SUITE_P(Variants, RoundTripTest,
                         ::testing::Values(Variant{"zstd_v1_dict", Codec::kZstd, 1, true},
                                           Variant{"snappy_v2_dict", Codec::kSnappy, 2, true},
                                           Variant{"none_v1_plain", Codec::kUncompressed, 1, false},
                                           Variant{"none_v2_plain", Codec::kUncompressed, 2, false},
                                           Variant{"gzip_v1", Codec::kGzip, 1, true},
                                           Variant{"brotli_v2", Codec::kBrotli, 2, false},
                                           Variant{"lz4raw_v1", Codec::kLz4Raw, 1, true},
                                           Variant{"lz4hadoop_v1", Codec::kLz4, 1, true}),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(ParquetWriterTest, FallsBackToPlainWhenTheDictionaryGrowsTooBig) {
  test::TempDir dir;
  Batch batch = EveryType(3000);
  WriterOptions options;
  options.dictionary_size_limit = 200;
  WriteFile(dir.Join("x.parquet"), batch, options);
  auto file = ParquetFile::Open(dir.Join("x.parquet"));
  const auto& encodings =
      file->metadata().row_groups[0].columns[batch.schema->FieldIndex("s")].meta_data->encodings;
  EXPECT_NE(std::find(encodings.begin(), encodings.end(), Encoding::kRleDictionary),
            encodings.end());
  EXPECT_NE(std::find(encodings.begin(), encodings.end(), Encoding::kPlain), encodings.end());
  ExpectSameBatch(batch, ReadAll(dir.Join("x.parquet")));
}

TEST(ParquetWriterTest, WritesStatisticsThatBoundEveryRowGroup) {
  test::TempDir dir;
  Batch batch = EveryType(4000);
  WriterOptions options;
  options.row_group_size = 1000;
  WriteFile(dir.Join("x.parquet"), batch, options);
  auto file = ParquetFile::Open(dir.Join("x.parquet"));
  ASSERT_EQ(file->num_row_groups(), 4);
  size_t i64 = file->ColumnIndexOf("i64");
  for (int g = 0; g < 4; ++g) {
    auto stats = file->Statistics(g, i64);
    ASSERT_TRUE(stats.min && stats.max);
    const Column& column = batch.columns[batch.schema->FieldIndex("i64")];
    int64_t lo = std::numeric_limits<int64_t>::max(), hi = std::numeric_limits<int64_t>::min(),
            nulls = 0;
    for (int64_t r = g * 1000; r < (g + 1) * 1000; ++r) {
      if (column.IsNull(r)) {
        ++nulls;
        continue;
      }
      lo = std::min(lo, column.Values<int64_t>()[r]);
      hi = std::max(hi, column.Values<int64_t>()[r]);
    }
    EXPECT_EQ(std::get<int64_t>(stats.min->value), lo);
    EXPECT_EQ(std::get<int64_t>(stats.max->value), hi);
    EXPECT_EQ(stats.null_count, nulls);
  }
  // Strings use unsigned byte order; NaN is never a bound.
  auto strings = file->Statistics(0, file->ColumnIndexOf("s"));
  ASSERT_TRUE(strings.min && strings.max);
  EXPECT_LE(std::get<std::string>(strings.min->value), std::get<std::string>(strings.max->value));
  auto floats = file->Statistics(0, file->ColumnIndexOf("f32"));
  ASSERT_TRUE(floats.min && floats.max);
  EXPECT_FALSE(std::isnan(std::get<double>(floats.min->value)));
}

// Plain pages of wide decimals (16-byte big-endian values) get their bounds by value, negative
// ones included, not by bytes; with nulls and without (the writer's path for a column of no
// nulls converts the values without listing their rows), and they read back the same.
TEST(ParquetWriterTest, WritesDecimalStatisticsThatBoundEveryRowGroupByValue) {
  test::TempDir dir;
  const Batch every = EveryType(4000);
  Column with_nulls = every.columns[every.schema->FieldIndex("d38")];
  Column no_nulls = with_nulls;
  no_nulls.validity.reset();
  no_nulls.null_count = 0;
  for (const Column& column : {with_nulls, no_nulls}) {
    Batch batch;
    batch.schema = std::make_shared<Schema>(std::vector<Field>{{"d38", column.type, true}});
    batch.columns = {column};
    batch.num_rows = column.length;
    WriterOptions options;
    options.row_group_size = 1000;
    options.dictionary = false;
    WriteFile(dir.Join("x.parquet"), batch, options);
    ExpectSameBatch(batch, ReadAll(dir.Join("x.parquet")));
    auto file = ParquetFile::Open(dir.Join("x.parquet"));
    bool saw_negative = false;
    for (int g = 0; g < 4; ++g) {
      auto stats = file->Statistics(g, file->ColumnIndexOf("d38"));
      ASSERT_TRUE(stats.min && stats.max);
      int128_t lo = 0, hi = 0;
      bool any = false;
      for (int64_t r = g * 1000; r < (g + 1) * 1000; ++r) {
        if (column.IsNull(r)) continue;
        const int128_t value = column.Values<int128_t>()[r];
        lo = any ? std::min(lo, value) : value;
        hi = any ? std::max(hi, value) : value;
        any = true;
      }
      saw_negative = saw_negative || lo < 0;
      EXPECT_TRUE(std::get<int128_t>(stats.min->value) == lo) << "row group " << g;
      EXPECT_TRUE(std::get<int128_t>(stats.max->value) == hi) << "row group " << g;
    }
    EXPECT_TRUE(saw_negative);  // The test covers the sign.
  }
}

TEST(ParquetWriterTest, WritesAPageIndexWithOnePageEntryPerPage) {
  test::TempDir dir;
  Batch batch = EveryType(2000);
  WriterOptions options;
  options.page_row_limit = 500;
  WriteFile(dir.Join("x.parquet"), batch, options);
  auto file = ParquetFile::Open(dir.Join("x.parquet"));
  size_t column = file->ColumnIndexOf("i32");
  auto offsets = file->ReadOffsetIndex(0, column);
  auto index = file->ReadColumnIndex(0, column);
  ASSERT_TRUE(offsets && index);
  ASSERT_EQ(offsets->page_locations.size(), 4u);
  EXPECT_EQ(offsets->page_locations[2].first_row_index, 1000);
  EXPECT_EQ(index->min_values.size(), 4u);
}

TEST(ParquetWriterTest, WritesBloomFiltersThatFindEveryValueWritten) {
  test::TempDir dir;
  Batch batch = EveryType(1000);
  WriterOptions options;
  options.bloom_filter_columns = {"i32", "s"};
  WriteFile(dir.Join("x.parquet"), batch, options);
  auto file = ParquetFile::Open(dir.Join("x.parquet"));
  const Column& strings = batch.columns[batch.schema->FieldIndex("s")];
  for (int64_t r = 0; r < 1000; ++r) {
    if (strings.IsValid(r)) {
      ASSERT_TRUE(file->BloomFilterMightContain(0, file->ColumnIndexOf("s"), strings.StringAt(r)));
    }
  }
  int absent_found = 0;
  for (int k = 0; k < 1000; ++k) {
    absent_found +=
        file->BloomFilterMightContain(0, file->ColumnIndexOf("s"), fmt::format("absent-{}", k));
  }
  EXPECT_LT(absent_found, 100);  // ~1% false positives expected
}

TEST(ParquetWriterTest, WritesTheSameBytesWhateverTheThreadCount) {
  test::TempDir dir;
  Batch batch = EveryType(3000);
  ThreadPool one(1), four(4);
  for (auto [name, pool] : {std::pair{"a", &one}, std::pair{"b", &four}}) {
    ParquetWriter writer(dir.Join(std::string(name) + ".parquet"), *batch.schema, {}, pool);
    writer.Write(batch);
    writer.Close();
  }
  EXPECT_EQ(test::ReadFile(dir.Join("a.parquet")), test::ReadFile(dir.Join("b.parquet")));
}

TEST(ParquetWriterTest, WritesTheSameBytesWhateverTheBatchesAndThreads) {
  // Each column is encoded in a lane of its own; lanes run ahead of each other across batches,
  // and row groups are still written whole and in order.
  test::TempDir dir;
  Batch batch = EveryType(3000);
  WriterOptions options;
  options.row_group_size = 700;
  WriteFile(dir.Join("whole.parquet"), batch, options);
  ThreadPool one(1), two(2), four(4);
  for (ThreadPool* pool : {&one, &two, &four}) {
    ParquetWriter writer(dir.Join("sliced.parquet"), *batch.schema, options, pool);
    for (int64_t at = 0; at < batch.num_rows; at += 250)
      writer.Write(batch.Slice(at, std::min<int64_t>(250, batch.num_rows - at)));
    writer.Close();
    EXPECT_EQ(test::ReadFile(dir.Join("sliced.parquet")),
              test::ReadFile(dir.Join("whole.parquet")));
  }
}

TEST(ParquetWriterTest, PagesAndDictionaryFallbackFallAtTheSameRowsHoweverTheInputIsCut) {
  // Pages fill and dictionaries overflow within a few thousand rows here: batches of uneven
  // sizes must not move where a page ends or where the column falls back to PLAIN.
  test::TempDir dir;
  Batch batch = EveryType(20000);
  WriterOptions options;
  options.page_size = 6000;
  options.dictionary_size_limit = 30000;
  WriteFile(dir.Join("whole.parquet"), batch, options);
  ParquetWriter writer(dir.Join("cut.parquet"), *batch.schema, options);
  const int64_t sizes[] = {1, 999, 4095, 3, 777, 5000, 2222};
  for (int64_t at = 0, k = 0; at < batch.num_rows; ++k) {
    const int64_t rows = std::min<int64_t>(sizes[k % 7], batch.num_rows - at);
    writer.Write(batch.Slice(at, rows));
    at += rows;
  }
  writer.Close();
  EXPECT_EQ(test::ReadFile(dir.Join("cut.parquet")), test::ReadFile(dir.Join("whole.parquet")));
}

TEST(ParquetWriterTest, AFailedColumnFailsTheWriteAndLeavesNoFile) {
  // A column's lane runs out of memory on another thread: Write or Close reports it, and the
  // writer goes away without a file.
  test::TempDir dir;
  Batch batch = EveryType(3000);
  MemoryPool* pool = MemoryPool::Default();
  const int64_t limit = pool->limit();
  pool->set_limit(pool->used() + (16 << 10));
  ThreadPool four(4);
  bool failed = false;
  try {
    ParquetWriter writer(dir.Join("x.parquet"), *batch.schema, {}, &four);
    for (int k = 0; k < 20; ++k) writer.Write(batch);
    writer.Close();
  } catch (const Error& error) {
    failed = std::string(error.what()).find("memory limit") != std::string::npos;
  }
  pool->set_limit(limit);
  EXPECT_TRUE(failed);
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
}

TEST(ParquetWriterTest, LeavesNoFileWhenNotClosed) {
  test::TempDir dir;
  Batch batch = EveryType(10);
  {
    ParquetWriter writer(dir.Join("x.parquet"), *batch.schema, {});
    writer.Write(batch);
  }
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
}

TEST(ParquetScannerTest, ReadsOnlyTheProjectedColumnsInTheOrderAsked) {
  test::TempDir dir;
  Batch batch = EveryType(100);
  WriteFile(dir.Join("x.parquet"), batch, {});
  ScanOptions scan;
  scan.columns = {"s", "i8"};
  Batch read = ReadAll(dir.Join("x.parquet"), scan);
  ASSERT_EQ(read.schema->size(), 2u);
  EXPECT_EQ(read.schema->field(0).name, "s");
  EXPECT_TRUE(read.columns[1].Equals(batch.columns[batch.schema->FieldIndex("i8")]));
}

TEST(ParquetScannerTest, SuggestsTheClosestNameForAnUnknownColumn) {
  test::TempDir dir;
  WriteFile(dir.Join("x.parquet"), EveryType(10), {});
  ScanOptions scan;
  scan.columns = {"date_"};
  try {
    ParquetScanner scanner({dir.Join("x.parquet")}, scan);
    FAIL();
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("did you mean \"date\""), std::string::npos)
        << error.what();
  }
}

TEST(ParquetScannerTest, AddsHivePartitionKeysAsColumns) {
  test::TempDir dir;
  Batch batch = EveryType(10);
  std::filesystem::create_directories(dir.Join("year=2023/region=eu"));
  std::filesystem::create_directories(dir.Join("year=2024/region=us"));
  WriteFile(dir.Join("year=2023/region=eu/part-0.parquet"), batch, {});
  WriteFile(dir.Join("year=2024/region=us/part-0.parquet"), batch, {});
  ParquetScanner scanner(ResolveParquetPaths(dir.path()), {});
  const Schema& schema = *scanner.schema();
  ASSERT_EQ(schema.field(schema.size() - 2).name, "year");
  EXPECT_EQ(schema.field(schema.size() - 2).type, Int64());
  EXPECT_EQ(schema.field(schema.size() - 1).type, Utf8());
  Batch first;
  ASSERT_TRUE(scanner.Next(&first));
  EXPECT_EQ(first.columns[schema.size() - 2].Values<int64_t>()[0], 2023);
  EXPECT_EQ(first.columns[schema.size() - 1].StringAt(0), "eu");
}

TEST(ParquetScannerTest, RejectsFilesWhoseSchemasDifferUnlessUnifyingByName) {
  test::TempDir dir;
  Batch batch = EveryType(10);
  WriteFile(dir.Join("a.parquet"), batch, {});
  Batch fewer = batch;
  fewer.schema = std::make_shared<Schema>(std::vector<Field>{batch.schema->field(0)});
  fewer.columns.resize(1);
  WriteFile(dir.Join("b.parquet"), fewer, {});
  EXPECT_THROW(ParquetScanner({dir.Join("a.parquet"), dir.Join("b.parquet")}, {}), Error);
  ScanOptions unify;
  unify.union_by_name = true;
  Batch read = ReadAll(dir.Join("*.parquet"), unify);
  EXPECT_EQ(read.num_rows, 20);
  EXPECT_EQ(read.columns[1].null_count, 11);  // one null in a.parquet, all of b.parquet
}

TEST(ParquetScannerTest, SkipsRowGroupsThePruningCallbackRejects) {
  test::TempDir dir;
  WriterOptions options;
  options.row_group_size = 100;
  WriteFile(dir.Join("x.parquet"), EveryType(1000), options);
  ScanOptions scan;
  scan.keep_row_group = [](const ParquetFile&, int group) { return group % 2 == 0; };
  ParquetScanner scanner({dir.Join("x.parquet")}, scan);
  int64_t rows = 0;
  Batch batch;
  while (scanner.Next(&batch)) rows += batch.num_rows;
  EXPECT_EQ(rows, 500);
  EXPECT_EQ(scanner.row_groups_skipped(), 5);
}

/// A test of string values for the scanner: null, or holding an 'a' (so the null rows pass).
Column NullOrHoldsA(const Column& values) {
  ColumnBuilder passes(Bool());
  for (int64_t i = 0; i < values.length; ++i)
    passes.AppendBool(!values.IsValid(i) || values.StringAt(i).find('a') != std::string::npos);
  return passes.Finish();
}

TEST(ParquetScannerTest, TestsADictionaryEncodedColumnInsteadOfReadingIt) {
  test::TempDir dir;
  Batch batch = EveryType(3000);
  WriterOptions options;
  options.page_row_limit = 300;
  options.dictionary_size_limit = 2000;  // Dictionary pages first, then plain ones.
  options.row_group_size = 1000;
  WriteFile(dir.Join("x.parquet"), batch, options);
  auto file = ParquetFile::Open(dir.Join("x.parquet"));
  const auto& encodings =
      file->metadata().row_groups[0].columns[batch.schema->FieldIndex("s")].meta_data->encodings;
  ASSERT_NE(std::find(encodings.begin(), encodings.end(), Encoding::kPlain), encodings.end());

  ScanOptions scan;
  scan.columns = {"i32", "s"};
  scan.batch_size = 700;  // Batches across pages and row groups.
  scan.column_tests["s"] = &NullOrHoldsA;
  Batch read = ReadAll(dir.Join("x.parquet"), scan);
  ASSERT_EQ(read.schema->field(1).type, Bool());
  EXPECT_FALSE(read.schema->field(1).nullable);
  const Column expected = NullOrHoldsA(batch.columns[batch.schema->FieldIndex("s")]);
  ASSERT_EQ(read.columns[1].length, 3000);
  EXPECT_EQ(read.columns[1].null_count, 0);
  int64_t passed = 0;
  for (int64_t i = 0; i < 3000; ++i) {
    ASSERT_EQ(read.columns[1].BoolAt(i), expected.BoolAt(i)) << "row " << i;
    passed += expected.BoolAt(i);
  }
  EXPECT_GT(passed, 428);  // More than the 429 null rows, fewer than all.
  EXPECT_LT(passed, 3000);
  EXPECT_TRUE(read.columns[0].Equals(batch.columns[batch.schema->FieldIndex("i32")]));

  // Without a dictionary the test would not save anything: the values are read as they are.
  WriterOptions plain;
  plain.dictionary = false;
  WriteFile(dir.Join("plain.parquet"), batch, plain);
  Batch values = ReadAll(dir.Join("plain.parquet"), scan);
  EXPECT_EQ(values.schema->field(1).type, Utf8());
  EXPECT_TRUE(values.columns[1].Equals(batch.columns[batch.schema->FieldIndex("s")]));
}

}  // namespace
}  // namespace sluice::io::parquet

namespace sluice::io::parquet {
namespace {

TEST(ColumnChunkReaderTest, SkipsWholePagesAndPartsOfPagesExactly) {
  test::TempDir dir;
  Batch batch = EveryType(5000);
  WriterOptions options;
  options.page_row_limit = 300;  // many pages, so skips pass over whole ones
  WriteFile(dir.Join("x.parquet"), batch, options);
  auto file = ParquetFile::Open(dir.Join("x.parquet"));
  for (const char* name : {"i32", "s", "b", "d38", "f64"}) {
    size_t column = file->ColumnIndexOf(name);
    const Column& expected = batch.columns[batch.schema->FieldIndex(name)];
    auto reader = file->OpenColumn(0, column);
    int64_t at = 0;
    // Alternate skips (inside a page, across many pages) and reads.
    for (auto [skip, read] :
         {std::pair<int64_t, int64_t>{10, 5}, {1000, 300}, {1, 1}, {299, 700}, {1500, 100}}) {
      EXPECT_EQ(reader->Skip(skip), skip);
      at += skip;
      Column got = reader->Read(read);
      EXPECT_TRUE(got.Equals(expected.Slice(at, read))) << name << " at row " << at;
      at += read;
    }
    EXPECT_EQ(reader->Skip(1 << 20), 5000 - at);
  }
}

/// Reads `file` (written from `batch`, 6000 rows) in windows of 1000 rows, each with other rows
/// selected: long runs across pages (emitted run by run, the gaps skipped), one run inside a
/// page, many single rows, none, all, few single rows (gathered page by page); each must equal
/// reading all rows and taking those.
void ExpectSelectedRowsRead(const Batch& batch, const ParquetFile& file) {
  std::vector<std::vector<int64_t>> selections(6);
  for (int64_t i = 0; i < 1000; ++i) {
    if (i % 97 != 5 && (i < 250 || i > 620)) selections[0].push_back(i);
    if (i >= 310 && i < 340) selections[1].push_back(i);
    if (i % 3 == 1) selections[2].push_back(i);  // Many: all converted, these taken.
    selections[4].push_back(i);
    if (i % 9 == 4 || (i > 500 && i < 505)) selections[5].push_back(i);  // Few: gathered.
  }
  for (size_t c = 0; c < batch.columns.size(); ++c) {
    const std::string& name = batch.schema->field(c).name;
    auto reader = file.OpenColumn(0, file.ColumnIndexOf(name));
    for (size_t w = 0; w < selections.size(); ++w) {
      const auto& rows = selections[w];
      const Column window = batch.columns[c].Slice(static_cast<int64_t>(w) * 1000, 1000);
      const Column expected = Take(window, rows.data(), static_cast<int64_t>(rows.size()));
      Column got = reader->ReadSelected(1000, rows);
      EXPECT_TRUE(got.Equals(expected)) << name << ", window " << w;
      EXPECT_EQ(got.null_count, expected.null_count) << name << ", window " << w;
    }
    EXPECT_EQ(reader->Skip(1), 0) << name;  // Every window left the reader after its rows.
  }
}

TEST(ColumnChunkReaderTest, ReadsSelectedRowsAsReadingAllAndTakingThem) {
  test::TempDir dir;
  Batch batch = EveryType(6000);
  // Dictionary-encoded pages and plain ones.
  for (bool dictionary : {true, false}) {
    WriterOptions options;
    options.page_row_limit = 300;
    options.dictionary = dictionary;
    WriteFile(dir.Join("x.parquet"), batch, options);
    ExpectSelectedRowsRead(batch, *ParquetFile::Open(dir.Join("x.parquet")));
  }
}

TEST(ColumnChunkReaderTest, ReadingSelectedRowsBeyondTheChunkIsAnError) {
  test::TempDir dir;
  WriteFile(dir.Join("x.parquet"), EveryType(5000), {});
  auto file = ParquetFile::Open(dir.Join("x.parquet"));
  // A chunk that ends before the rows asked for is bad input, named as such.
  auto reader = file->OpenColumn(0, file->ColumnIndexOf("i64"));
  const std::vector<int64_t> beyond = {10, 11, 5200};
  try {
    reader->ReadSelected(5300, beyond);
    ADD_FAILURE() << "read rows beyond the chunk";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("holds 5000 rows where the row group declares 5300"),
              std::string::npos)
        << error.what();
  }
}

TEST(ParquetScannerTest, FiltersRowsWhileReadingAsAFilterAfterwardWould) {
  test::TempDir dir;
  Batch batch = EveryType(3000);
  WriterOptions options;
  options.page_row_limit = 300;
  options.row_group_size = 1000;
  WriteFile(dir.Join("x.parquet"), batch, options);
  const Column& i64 = batch.columns[batch.schema->FieldIndex("i64")];
  // Rows whose i64 is null or passes `test`: long runs of rows, then single rows.
  for (int64_t divisor : {97, 3}) {
    auto passes = [&](const Column& values, int64_t row) {
      return !values.IsValid(row) || values.Values<int64_t>()[row] % divisor != 0;
    };
    ScanOptions scan;
    scan.columns = {"s", "i64", "d38", "date"};
    scan.batch_size = 700;  // Batches across pages and row groups.
    ParquetScanner scanner({dir.Join("x.parquet")}, scan);
    scanner.FilterRows({"i64"}, [&](const Batch& input) {
      EXPECT_EQ(input.columns.size(), 1u);
      std::vector<int64_t> rows;
      for (int64_t r = 0; r < input.num_rows; ++r)
        if (passes(input.columns[0], r)) rows.push_back(r);
      return rows;
    });
    std::vector<int64_t> expected_rows;
    for (int64_t r = 0; r < batch.num_rows; ++r)
      if (passes(i64, r)) expected_rows.push_back(r);
    ASSERT_LT(expected_rows.size(), 3000u);

    std::vector<Column> got;
    Batch next;
    int64_t rows = 0;
    while (scanner.Next(&next)) {
      for (size_t c = 0; c < next.columns.size(); ++c) {
        ASSERT_EQ(next.columns[c].length, next.num_rows);
        if (got.size() <= c)
          got.push_back(next.columns[c]);
        else
          got[c].AppendFrom(next.columns[c]);
      }
      rows += next.num_rows;
    }
    EXPECT_EQ(rows, static_cast<int64_t>(expected_rows.size()));
    EXPECT_EQ(scanner.rows_read(), 3000);
    for (size_t c = 0; c < scan.columns.size(); ++c) {
      const Column& all = batch.columns[batch.schema->FieldIndex(scan.columns[c])];
      EXPECT_TRUE(got[c].Equals(Take(all, expected_rows.data(), rows)))
          << scan.columns[c] << ", divisor " << divisor;
    }
  }
}

}  // namespace
}  // namespace sluice::io::parquet
