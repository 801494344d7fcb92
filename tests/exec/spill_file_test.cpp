// Spill files: batches of every kind of column (nulls, strings, bools, decimals) and extra byte
// arrays come back exactly as written; a damaged or truncated file is an I/O error naming the
// file, never a crash; the file is gone once dropped.
#include "exec/spill_file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "core/decimal.h"
#include "core/error.h"
#include "exec/join_sort_test_util.h"

namespace sluice::exec {
namespace {

Batch MakeMixedBatch(int64_t rows, int64_t salt) {
  std::vector<std::optional<int64_t>> ints;
  std::vector<std::optional<std::string>> strings;
  std::vector<std::optional<bool>> bools;
  std::vector<std::optional<int32_t>> dates;
  for (int64_t i = 0; i < rows; ++i) {
    ints.push_back(i % 7 == 0 ? std::nullopt : std::optional<int64_t>(i * salt));
    strings.push_back(i % 5 == 0 ? std::nullopt
                                 : std::optional<std::string>(std::string(i % 13, 'a' + i % 26)));
    bools.push_back(i % 3 == 0 ? std::nullopt : std::optional<bool>(i % 2 == 0));
    dates.push_back(static_cast<int32_t>(i + salt));
  }
  return test::MakeBatch(
      test::MakeSchema({{"i", Int64()}, {"s", Utf8()}, {"b", Bool()}, {"d", Date32()}}),
      {test::Int64s(ints), test::Strings(strings), test::MakeColumn<bool>(Bool(), bools),
       test::MakeColumn<int32_t>(Date32(), dates)});
}

std::shared_ptr<SpillFile> WriteFile(const std::vector<Batch>& batches) {
  auto file = std::make_shared<SpillFile>("test");
  for (const Batch& batch : batches) {
    file->Append(batch, std::vector<std::vector<uint8_t>>{{1, 2, 3}, {}});
  }
  file->Finish();
  return file;
}

TEST(SpillFileTest, BatchesAndExtrasComeBackExactly) {
  std::vector<Batch> batches = {MakeMixedBatch(1000, 3), MakeMixedBatch(0, 1),
                                MakeMixedBatch(70000, 11)};
  std::shared_ptr<SpillFile> file = WriteFile(batches);
  EXPECT_EQ(file->blocks(), 3);
  EXPECT_EQ(file->rows(), 71000);
  SpillReader reader(file, batches[0].schema, MemoryPool::Default());
  Batch batch;
  std::vector<std::vector<uint8_t>> extras;
  for (const Batch& expected : batches) {
    ASSERT_TRUE(reader.Next(&batch, &extras));
    EXPECT_TRUE(batch.Equals(expected));
    EXPECT_EQ(test::Rows({batch}), test::Rows({expected}));
    ASSERT_EQ(extras.size(), 2u);
    EXPECT_EQ(extras[0], (std::vector<uint8_t>{1, 2, 3}));
    EXPECT_TRUE(extras[1].empty());
  }
  EXPECT_FALSE(reader.Next(&batch, &extras));
}

// Integers are stored as differences from the block's smallest value in as few bytes as hold
// the largest: every span (one value, a byte, two bytes, four, eight, and decimals' full 16),
// negative values and the extremes of each type must come back bit for bit.
TEST(SpillFileTest, IntegersOfEveryRangeComeBackExactly) {
  const int128_t big = static_cast<int128_t>(1) << 100;
  const std::vector<std::vector<int64_t>> int_cases = {{7},
                                                       {-3, 250, -3},
                                                       {-40000, 25000},
                                                       {0, int64_t{1} << 40},
                                                       {INT64_MIN, INT64_MAX, 0, -1},
                                                       {INT64_MAX, INT64_MAX - 300}};
  const std::vector<std::vector<int128_t>> decimal_cases = {
      {5}, {-big, big}, {-1, 1, 1000000}, {big, big + 70000}};
  for (size_t c = 0; c < int_cases.size(); ++c) {
    std::vector<std::optional<int64_t>> ints, uints;
    std::vector<std::optional<int32_t>> dates;
    std::vector<std::optional<int128_t>> decimals;
    for (size_t i = 0; i < 3000; ++i) {
      const int64_t value = int_cases[c][i % int_cases[c].size()];
      ints.push_back(i % 11 == 5 ? std::nullopt : std::optional<int64_t>(value));
      uints.push_back(value);
      dates.push_back(static_cast<int32_t>(value));
      const auto& decimal = decimal_cases[c % decimal_cases.size()];
      decimals.push_back(decimal[i % decimal.size()]);
    }
    const Batch batch = test::MakeBatch(
        test::MakeSchema({{"i", Int64()}, {"u", UInt64()}, {"d", Date32()}, {"m", Decimal(38, 2)}}),
        {test::Int64s(ints), test::MakeColumn<int64_t>(UInt64(), uints),
         test::MakeColumn<int32_t>(Date32(), dates),
         test::MakeColumn<int128_t>(Decimal(38, 2), decimals)});
    std::shared_ptr<SpillFile> file = WriteFile({batch});
    SpillReader reader(file, batch.schema, MemoryPool::Default());
    Batch back;
    ASSERT_TRUE(reader.Next(&back));
    EXPECT_TRUE(back.Equals(batch)) << "case " << c;
    EXPECT_EQ(test::Rows({back}), test::Rows({batch})) << "case " << c;
  }
}

TEST(SpillFileTest, TheFileIsRemovedWhenDropped) {
  std::string path;
  {
    std::shared_ptr<SpillFile> file = WriteFile({MakeMixedBatch(10, 1)});
    path = file->path();
    EXPECT_TRUE(std::filesystem::exists(path));
  }
  EXPECT_FALSE(std::filesystem::exists(path));
}

/// Reads every block of `file`; returns the error's message, or "" when all read.
std::string ReadAll(const std::shared_ptr<SpillFile>& file, const SchemaPtr& schema) {
  try {
    SpillReader reader(file, schema, MemoryPool::Default());
    Batch batch;
    while (reader.Next(&batch)) {
    }
    return "";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kIo);
    return error.what();
  }
}

/// Flips one byte at a time, all over `file`: the checksum or a header check must notice.
void ExpectEveryDamagedByteCaught(const std::shared_ptr<SpillFile>& file, const SchemaPtr& schema) {
  const int64_t size = file->size();
  std::vector<char> original(static_cast<size_t>(size));
  {
    std::ifstream in(file->path(), std::ios::binary);
    in.read(original.data(), size);
  }
  for (int64_t at = 0; at < size; at += 7) {
    std::vector<char> damaged = original;
    damaged[static_cast<size_t>(at)] ^= 0x5A;
    std::ofstream(file->path(), std::ios::binary).write(damaged.data(), size);
    const std::string message = ReadAll(file, schema);
    EXPECT_NE(message.find(file->path()), std::string::npos) << "byte " << at << ": " << message;
  }
  std::ofstream(file->path(), std::ios::binary).write(original.data(), size);
  EXPECT_EQ(ReadAll(file, schema), "");
}

TEST(SpillFileTest, EveryDamagedByteIsCaught) {
  const Batch batch = MakeMixedBatch(200, 5);
  ExpectEveryDamagedByteCaught(WriteFile({batch, batch}), batch.schema);
}

TEST(SpillFileTest, BlocksLz4CannotShrinkAreStoredRaw) {
  std::mt19937_64 random(3);
  std::vector<std::optional<int64_t>> noise;
  for (int i = 0; i < 3000; ++i) noise.push_back(static_cast<int64_t>(random()));
  const SchemaPtr schema = test::MakeSchema({{"i", Int64()}});
  const Batch incompressible = test::MakeBatch(schema, {test::Int64s(noise)});
  std::shared_ptr<SpillFile> file = WriteFile({incompressible, incompressible, incompressible});
  EXPECT_EQ(file->size(), file->raw_bytes() + 3 * 32);  // Headers and raw payloads.
  SpillReader reader(file, schema, MemoryPool::Default());
  Batch back;
  for (int b = 0; b < 3; ++b) {
    ASSERT_TRUE(reader.Next(&back));
    EXPECT_EQ(test::Rows({back}), test::Rows({incompressible}));
  }
  ExpectEveryDamagedByteCaught(file, schema);

  // Text compresses: stored as LZ4.
  const SchemaPtr text_schema = test::MakeSchema({{"s", Utf8()}});
  const Batch text =
      test::MakeBatch(text_schema, {test::Strings(std::vector<std::optional<std::string>>(
                                       500, std::string("the same words again and again")))});
  std::shared_ptr<SpillFile> text_file = WriteFile({text, text});
  EXPECT_LT(text_file->size() * 4, text_file->raw_bytes());
  EXPECT_EQ(ReadAll(text_file, text_schema), "");
}

TEST(SpillFileTest, ATruncatedFileIsAnError) {
  const Batch batch = MakeMixedBatch(500, 2);
  std::shared_ptr<SpillFile> file = WriteFile({batch});
  for (int64_t keep : {int64_t{0}, int64_t{10}, int64_t{40}, file->size() - 1}) {
    ASSERT_EQ(::truncate(file->path().c_str(), keep), 0);
    // The reader trusts the size it wrote, so a shorter file reads as ending early.
    const std::string message = ReadAll(file, batch.schema);
    EXPECT_NE(message.find(file->path()), std::string::npos) << keep << ": " << message;
  }
}

TEST(SpillFileTest, AWrongSchemaIsAnError) {
  const Batch batch = MakeMixedBatch(50, 2);
  std::shared_ptr<SpillFile> file = WriteFile({batch});
  EXPECT_NE(ReadAll(file, test::MakeSchema({{"i", Int64()}})).find("number of columns"),
            std::string::npos);
  // Same count, other types: the buffer sizes do not fit.
  EXPECT_NE(ReadAll(file, test::MakeSchema(
                              {{"i", Utf8()}, {"s", Int64()}, {"b", Bool()}, {"d", Date32()}}))
                .find("damaged"),
            std::string::npos);
}

}  // namespace
}  // namespace sluice::exec
