// The writer's dictionary: indices in first-seen order for values of every width, and the memory
// it reports (values, offsets and hash table), which the column writer charges to its pool.
#include "io/parquet/writer/dictionary_builder.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/error.h"

namespace sluice::io::parquet {
namespace {

TEST(DictionaryBuilderTest, GivesIndicesInFirstSeenOrder) {
  DictionaryBuilder strings(/*fixed_width=*/false);
  EXPECT_EQ(strings.Insert("b"), 0u);
  EXPECT_EQ(strings.Insert("a"), 1u);
  EXPECT_EQ(strings.Insert("b"), 0u);
  EXPECT_EQ(strings.Insert(""), 2u);
  EXPECT_EQ(strings.size(), 3);
  EXPECT_EQ(strings.value(1), "a");

  DictionaryBuilder wide(/*fixed_width=*/true);
  const std::vector<int64_t> values = {7, -1, 7, 7, 1LL << 40, -1};
  std::vector<uint32_t> indices(values.size());
  wide.InsertFixed(reinterpret_cast<const uint8_t*>(values.data()),
                   static_cast<int64_t>(values.size()), 8, indices.data());
  EXPECT_EQ(indices, (std::vector<uint32_t>{0, 1, 0, 0, 2, 1}));
  int64_t third = 0;
  std::memcpy(&third, wide.value(2).data(), 8);
  EXPECT_EQ(third, 1LL << 40);
}

TEST(DictionaryBuilderTest, MatchesAHashMapThroughItsTablesGrowth) {
  // 200K draws of 8- and 4-byte values from 60K distinct ones, in batches, against first-seen
  // indices worked out with a hash map; the table grows (and rehashes) many times on the way.
  std::mt19937_64 random(3);
  std::vector<uint64_t> distinct(60000);
  for (uint64_t& value : distinct) value = random();
  for (const int width : {8, 4}) {
    DictionaryBuilder dictionary(/*fixed_width=*/true);
    std::unordered_map<uint64_t, uint32_t> expected;
    std::vector<uint8_t> batch;
    std::vector<uint32_t> indices(1000);
    for (int b = 0; b < 200; ++b) {
      batch.clear();
      std::vector<uint32_t> want;
      for (int i = 0; i < 1000; ++i) {
        uint64_t value = distinct[random() % distinct.size()];
        if (width == 4) value &= 0xffffffffu;
        const uint8_t* bytes = reinterpret_cast<const uint8_t*>(&value);
        batch.insert(batch.end(), bytes, bytes + width);
        want.push_back(
            expected.emplace(value, static_cast<uint32_t>(expected.size())).first->second);
      }
      dictionary.InsertFixed(batch.data(), 1000, width, indices.data());
      ASSERT_EQ(indices, want) << width << "-byte values, batch " << b;
    }
    EXPECT_EQ(dictionary.size(), static_cast<int64_t>(expected.size()));
  }
}

TEST(DictionaryBuilderTest, CountsItsTableAndFreesItWhenNoMoreValuesCome) {
  DictionaryBuilder dictionary(/*fixed_width=*/true);
  std::vector<int64_t> values(20000);
  for (size_t i = 0; i < values.size(); ++i) values[i] = static_cast<int64_t>(i * 7919);
  std::vector<uint32_t> indices(values.size());
  dictionary.InsertFixed(reinterpret_cast<const uint8_t*>(values.data()),
                         static_cast<int64_t>(values.size()), 8, indices.data());
  // The values (160 KB) and a table at most half full of 8-byte slots.
  const int64_t values_bytes = dictionary.byte_size();
  EXPECT_EQ(values_bytes, 160000);
  const int64_t with_table = dictionary.MemoryBytes();
  EXPECT_GE(with_table, values_bytes + 2 * 20000 * 8);

  // A column that fell back to PLAIN keeps its values for the dictionary page, not its table.
  dictionary.ReleaseTable();
  EXPECT_GE(dictionary.MemoryBytes(), values_bytes);
  EXPECT_LE(dictionary.MemoryBytes(), with_table - 2 * 20000 * 8);
  int64_t last = 0;
  std::memcpy(&last, dictionary.value(19999).data(), 8);
  EXPECT_EQ(last, 19999 * 7919);

  // It takes no more values (the column writes PLAIN now).
  const int64_t again = 5;
  uint32_t index = 0;
  EXPECT_THROW(dictionary.InsertFixed(reinterpret_cast<const uint8_t*>(&again), 1, 8, &index),
               Error);

  // Cleared for the next row group, it takes values again.
  dictionary.Clear();
  dictionary.InsertFixed(reinterpret_cast<const uint8_t*>(&again), 1, 8, &index);
  EXPECT_EQ(index, 0u);
  EXPECT_EQ(dictionary.size(), 1);

  dictionary.Release();
  EXPECT_LT(dictionary.MemoryBytes(), 64);  // A string's inline capacity, if counted.
}

}  // namespace
}  // namespace sluice::io::parquet
