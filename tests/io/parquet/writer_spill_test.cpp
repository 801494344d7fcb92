// The Parquet writer as a spillable consumer: under a memory budget (or asked directly) it moves
// the buffered pages of its open row group to spill files, and the file it writes is byte for
// byte the one written without spilling; spill files never outlive the row group or the writer,
// and a damaged one is an error naming it.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "core/column_builder.h"
#include "core/error.h"
#include "core/memory_pool.h"
#include "core/thread_pool.h"
#include "io/fs/spill_directory.h"
#include "io/parquet/writer/file_writer.h"
#include "testing/temp_dir.h"

namespace sluice::io::parquet {
namespace {

namespace fs = std::filesystem;

uint64_t Mix(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  return x;
}

/// Rows of: a unique int64 (PLAIN after the dictionary overflows), a nullable int32 and a
/// nullable string of few values (dictionary), a unique string (PLAIN fallback), a nullable
/// double and a bool.
Batch MakeBatch(int64_t rows) {
  std::vector<Field> fields = {
      {"id", Int64(), false},  {"small", Int32(), true}, {"cat", Utf8(), true},
      {"text", Utf8(), false}, {"f", Float64(), true},   {"flag", Bool(), false},
  };
  Batch batch;
  batch.schema = std::make_shared<Schema>(fields);
  batch.num_rows = rows;
  ColumnBuilder id(Int64()), small(Int32()), cat(Utf8()), text(Utf8()), f(Float64()), flag(Bool());
  for (int64_t i = 0; i < rows; ++i) {
    const uint64_t h = Mix(static_cast<uint64_t>(i) + 1);
    id.Append<int64_t>(static_cast<int64_t>(h >> 1));
    if (i % 9 == 4)
      small.AppendNull();
    else
      small.Append<int32_t>(static_cast<int32_t>(h % 50));
    if (i % 5 == 2)
      cat.AppendNull();
    else
      cat.AppendString(fmt::format("category-{}", h % 17));
    text.AppendString(fmt::format("text-{:016x}-{}", h, i % 3));
    if (i % 11 == 0)
      f.AppendNull();
    else
      f.Append<double>(static_cast<double>(h % 100000) / 8);
    flag.AppendBool(h % 3 == 0);
  }
  for (ColumnBuilder* builder : {&id, &small, &cat, &text, &f, &flag})
    batch.columns.push_back(builder->Finish());
  return batch;
}

WriterOptions Options() {
  WriterOptions options;
  options.row_group_size = 40000;  // Several row groups, the last one partial.
  options.page_row_limit = 2000;   // Many pages per chunk, so spills fall between them.
  options.dictionary_size_limit = 32 << 10;
  return options;
}

/// The spill files of Parquet pages in this process's spill folder.
int CountPageSpillFiles() {
  const fs::path folder = fs::path(SpillDirectory::Get().NewFilePath("probe")).parent_path();
  int files = 0;
  for (const auto& entry : fs::directory_iterator(folder))
    files += entry.path().filename().string().starts_with("parquet-pages");
  return files;
}

std::vector<std::string> PageSpillFiles() {
  const fs::path folder = fs::path(SpillDirectory::Get().NewFilePath("probe")).parent_path();
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (entry.path().filename().string().starts_with("parquet-pages"))
      files.push_back(entry.path().string());
  }
  return files;
}

/// Writes `batch` in slices of `batch_rows`; `between` runs after each Write.
template <typename Between>
void Write(const std::string& path, const Batch& batch, MemoryPool* pool, ThreadPool* threads,
           Between between, int64_t batch_rows = 7000) {
  ParquetWriter writer(path, *batch.schema, Options(), threads, pool);
  for (int64_t offset = 0; offset < batch.num_rows; offset += batch_rows) {
    writer.Write(batch.Slice(offset, std::min(batch_rows, batch.num_rows - offset)));
    between(writer);
  }
  writer.Close();
}

void Write(const std::string& path, const Batch& batch, MemoryPool* pool, ThreadPool* threads) {
  Write(path, batch, pool, threads, [](ParquetWriter&) {});
}

TEST(ParquetWriterSpillTest, WritesTheSameBytesWhenItsPagesSpillUnderABudget) {
  test::TempDir dir;
  const Batch batch = MakeBatch(150000);
  ThreadPool one(1), four(4);
  MemoryPool unlimited;
  Write(dir.Join("memory.parquet"), batch, &unlimited, &one);
  EXPECT_EQ(unlimited.spill_count(), 0);
  const std::string expected = test::ReadFile(dir.Join("memory.parquet"));
  ASSERT_GT(expected.size(), size_t{2} << 20);  // Row groups well above the budget below.

  for (ThreadPool* threads : {&one, &four}) {
    MemoryPool pool(1 << 20);  // Pages, dictionaries (tables too) and batches.
    const int64_t spilled_before = SpillDirectory::Get().bytes_written();
    Write(dir.Join("spilled.parquet"), batch, &pool, threads);
    EXPECT_GT(pool.spill_count(), 2) << threads->size() << " threads";
    EXPECT_GT(SpillDirectory::Get().bytes_written(), spilled_before);
    EXPECT_LE(pool.peak(), pool.limit());
    EXPECT_EQ(pool.used(), 0);
    EXPECT_TRUE(test::ReadFile(dir.Join("spilled.parquet")) == expected)
        << threads->size() << " threads";
    EXPECT_EQ(CountPageSpillFiles(), 0);
  }
}

TEST(ParquetWriterSpillTest, WritesTheSameBytesWhenAskedToSpillBetweenWrites) {
  test::TempDir dir;
  const Batch batch = MakeBatch(100000);
  ThreadPool threads(3);
  MemoryPool pool;
  Write(dir.Join("memory.parquet"), batch, &pool, &threads);
  for (const int every : {1, 3}) {
    int writes = 0;
    int64_t freed = 0;
    Write(dir.Join("spilled.parquet"), batch, &pool, &threads, [&](ParquetWriter& writer) {
      if (++writes % every != 0) return;
      writer.Settle();  // The lanes encode after Write returns: let them finish first.
      const int64_t used = pool.used();
      const int64_t spilled = writer.Spill();
      EXPECT_EQ(pool.used(), used - spilled);
      EXPECT_EQ(writer.SpillableBytes(), 0);
      freed += spilled;
    });
    EXPECT_GT(freed, 0);
    EXPECT_EQ(pool.used(), 0);
    EXPECT_TRUE(test::ReadFile(dir.Join("spilled.parquet")) ==
                test::ReadFile(dir.Join("memory.parquet")))
        << "spilling every " << every << " writes";
    EXPECT_EQ(CountPageSpillFiles(), 0);
  }
}

TEST(ParquetWriterSpillTest, SpillsFromInsideItsOwnWriteWithDataPageV2AndNoCompression) {
  test::TempDir dir;
  const Batch batch = MakeBatch(60000);
  WriterOptions options = Options();
  options.data_page_version = 2;
  options.compression = Codec::kUncompressed;
  ThreadPool threads(4);
  std::string files[2];
  for (int spill = 0; spill < 2; ++spill) {
    MemoryPool pool(spill ? 1 << 20 : MemoryPool::kUnlimited);
    const std::string path = dir.Join(fmt::format("{}.parquet", spill));
    {
      ParquetWriter writer(path, *batch.schema, options, &threads, &pool);
      for (int64_t offset = 0; offset < batch.num_rows; offset += 5000)
        writer.Write(batch.Slice(offset, std::min<int64_t>(5000, batch.num_rows - offset)));
      writer.Close();
    }
    EXPECT_EQ(pool.spill_count() > 0, spill == 1);
    EXPECT_EQ(pool.used(), 0);
    files[spill] = test::ReadFile(path);
  }
  EXPECT_TRUE(files[0] == files[1]);
  EXPECT_EQ(CountPageSpillFiles(), 0);
}

TEST(ParquetWriterSpillTest, ADestroyedWriterLeavesNoSpillFiles) {
  test::TempDir dir;
  const Batch batch = MakeBatch(30000);
  MemoryPool pool;
  {
    ParquetWriter writer(dir.Join("x.parquet"), *batch.schema, Options(), nullptr, &pool);
    writer.Write(batch.Slice(0, 20000));
    writer.Settle();
    EXPECT_GT(writer.Spill(), 0);
    writer.Write(batch.Slice(20000, 10000));
    writer.Settle();
    EXPECT_GT(writer.Spill(), 0);
    EXPECT_EQ(CountPageSpillFiles(), 6);  // One per column of the open row group.
  }
  EXPECT_EQ(CountPageSpillFiles(), 0);
  EXPECT_EQ(pool.used(), 0);
  EXPECT_TRUE(fs::is_empty(dir.path()));
}

TEST(ParquetWriterSpillTest, ATruncatedSpillFileIsAnErrorNamingIt) {
  test::TempDir dir;
  const Batch batch = MakeBatch(10000);
  MemoryPool pool;
  {
    ParquetWriter writer(dir.Join("x.parquet"), *batch.schema, Options(), nullptr, &pool);
    writer.Write(batch);
    writer.Settle();
    ASSERT_GT(writer.Spill(), 0);
    const std::vector<std::string> files = PageSpillFiles();
    ASSERT_FALSE(files.empty());
    fs::resize_file(files[0], fs::file_size(files[0]) / 2);
    try {
      writer.Close();
      FAIL() << "a truncated spill file went unnoticed";
    } catch (const Error& error) {
      EXPECT_NE(std::string(error.what()).find(files[0]), std::string::npos) << error.what();
      EXPECT_NE(std::string(error.what()).find("cut short"), std::string::npos) << error.what();
    }
  }
  EXPECT_EQ(CountPageSpillFiles(), 0);
  EXPECT_TRUE(fs::is_empty(dir.path()));
}

TEST(ParquetWriterSpillTest, AMissingOrAlteredSpillFileIsAnErrorNamingIt) {
  test::TempDir dir;
  const Batch batch = MakeBatch(10000);
  MemoryPool pool;
  for (const bool remove : {true, false}) {
    ParquetWriter writer(dir.Join("x.parquet"), *batch.schema, Options(), nullptr, &pool);
    writer.Write(batch);
    writer.Settle();
    ASSERT_GT(writer.Spill(), 0);
    const std::string file = PageSpillFiles().at(0);
    if (remove) {
      fs::remove(file);
    } else {
      // Same size, one byte changed: only the checksum can tell.
      std::string bytes = test::ReadFile(file);
      bytes[bytes.size() / 2] ^= 1;
      std::FILE* out = std::fopen(file.c_str(), "wb");
      ASSERT_NE(out, nullptr);
      std::fwrite(bytes.data(), 1, bytes.size(), out);
      std::fclose(out);
    }
    try {
      writer.Close();
      FAIL() << "a " << (remove ? "missing" : "altered") << " spill file went unnoticed";
    } catch (const Error& error) {
      EXPECT_NE(std::string(error.what()).find(file), std::string::npos) << error.what();
    }
  }
  EXPECT_EQ(CountPageSpillFiles(), 0);
  EXPECT_TRUE(fs::is_empty(dir.path()));
}

}  // namespace
}  // namespace sluice::io::parquet
