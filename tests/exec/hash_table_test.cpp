// The grouping table's keys: hashes recomputed from the keys alone (as a spilled partition's
// are when it is read back) equal the hashes the table was built with, in every key layout.
// And the table itself: growing, reserving and clearing keep every group findable under its id.
#include "exec/hash_table.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/column_builder.h"

namespace sluice::exec {
namespace {

Column Ints(int64_t rows, bool nulls) {
  ColumnBuilder builder(Int64());
  for (int64_t r = 0; r < rows; ++r) {
    if (nulls && r % 7 == 3) {
      builder.AppendNull();
    } else {
      builder.Append<int64_t>(r % 50 * 1000003 - 20);
    }
  }
  return builder.Finish();
}

Column Strings(int64_t rows, bool nulls) {
  ColumnBuilder builder(Utf8());
  for (int64_t r = 0; r < rows; ++r) {
    if (nulls && r % 5 == 1) {
      builder.AppendNull();
    } else {
      builder.AppendString("key-" + std::to_string(r % 40));
    }
  }
  return builder.Finish();
}

/// Groups `keys` (rows 0..rows), then checks ComputeHashes against the table's hashes, both for
/// the groups and for the rows gathered as entries.
void ExpectRecomputedHashesMatch(const std::vector<Column>& keys, int64_t rows) {
  std::vector<DataType> types;
  for (const Column& key : keys) types.push_back(key.type);
  const KeyLayout layout(types);
  EncodedKeys encoded;
  layout.Encode(keys, rows, &encoded);
  GroupingTable table(layout);
  std::vector<uint32_t> ids(static_cast<size_t>(rows));
  std::vector<uint32_t> first_rows;
  table.FindOrInsert(encoded, 0, rows, ids.data(), &first_rows);
  ASSERT_GT(table.size(), 1u);

  GroupKeys groups = table.groups();
  const std::vector<uint64_t> built = groups.hashes;
  groups.hashes.clear();
  groups.ComputeHashes(table.size());
  EXPECT_EQ(groups.hashes, built);

  std::vector<uint32_t> all(static_cast<size_t>(rows));
  for (uint32_t r = 0; r < all.size(); ++r) all[r] = r;
  GroupKeys entries = GatherRows(layout.mode(), encoded, all.data(), rows);
  const std::vector<uint64_t> encoded_hashes = entries.hashes;
  entries.hashes.clear();
  entries.ComputeHashes(static_cast<uint32_t>(rows));
  EXPECT_EQ(entries.hashes, encoded_hashes);
}

TEST(GroupKeysTest, RecomputedHashesAreTheTablesInEveryLayout) {
  const int64_t rows = 300;
  for (bool nulls : {false, true}) {
    SCOPED_TRACE(nulls ? "with nulls" : "without nulls");
    ExpectRecomputedHashesMatch({Ints(rows, nulls)}, rows);                        // fixed
    ExpectRecomputedHashesMatch({Ints(rows, nulls), Ints(rows, !nulls)}, rows);    // packed
    ExpectRecomputedHashesMatch({Strings(rows, nulls)}, rows);                     // string
    ExpectRecomputedHashesMatch({Strings(rows, nulls), Ints(rows, nulls)}, rows);  // serialized
  }
}

/// Keys 0..distinct-1 spread over the int64 range, each `repeats` times, in blocks.
Column SpreadInts(int64_t distinct, int repeats) {
  ColumnBuilder builder(Int64());
  for (int r = 0; r < repeats; ++r) {
    for (int64_t k = 0; k < distinct; ++k)
      builder.Append<int64_t>(static_cast<int64_t>(static_cast<uint64_t>(k) * 0x9E3779B97F4A7C15u));
  }
  return builder.Finish();
}

/// Groups the rows of `keys` in batches (reserving `reserve` groups after the first), then
/// looks every row up again: each must find the group it got, and no group may be added.
void ExpectEveryGroupFound(const Column& keys, int64_t distinct, uint32_t reserve) {
  const KeyLayout layout({keys.type});
  EncodedKeys encoded;
  layout.Encode({&keys, 1}, keys.length, &encoded);
  GroupingTable table(layout);
  std::vector<uint32_t> ids(static_cast<size_t>(keys.length));
  std::vector<uint32_t> first_rows;
  const int64_t batch = 1000;
  for (int64_t begin = 0; begin < keys.length; begin += batch) {
    table.FindOrInsert(encoded, begin, std::min(keys.length, begin + batch), ids.data(),
                       &first_rows);
    if (begin == 0) table.Reserve(reserve);
  }
  ASSERT_EQ(table.size(), static_cast<uint32_t>(distinct));
  for (int64_t r = 0; r < keys.length; ++r) ASSERT_EQ(ids[r], ids[r % distinct]) << "row " << r;

  std::vector<uint32_t> again(static_cast<size_t>(keys.length));
  table.FindOrInsert(encoded, 0, keys.length, again.data(), &first_rows);
  EXPECT_EQ(table.size(), static_cast<uint32_t>(distinct));
  EXPECT_EQ(again, ids);

  // Cleared, the table keeps its slots but none of its groups: the same rows number the same
  // groups afresh.
  const size_t slots = table.slot_count();
  table.Clear();
  EXPECT_EQ(table.size(), 0u);
  EXPECT_EQ(table.slot_count(), slots);
  table.FindOrInsert(encoded, 0, keys.length, again.data(), &first_rows);
  EXPECT_EQ(table.size(), static_cast<uint32_t>(distinct));
  EXPECT_EQ(again, ids);
}

TEST(GroupingTableTest, GrowingReservingAndClearingKeepEveryGroupFindable) {
  const int64_t distinct = 50000;  // Grows from 256 slots through 8 doublings.
  const Column ints = SpreadInts(distinct, 3);
  ColumnBuilder strings_builder(Utf8());
  for (int64_t r = 0; r < ints.length; ++r)
    strings_builder.AppendString("k" + std::to_string(ints.Values<int64_t>()[r]));
  const Column strings = strings_builder.Finish();
  for (uint32_t reserve : {0u, 10u, 30000u, 50000u, 200000u}) {
    SCOPED_TRACE("reserve " + std::to_string(reserve));
    ExpectEveryGroupFound(ints, distinct, reserve);
    ExpectEveryGroupFound(strings, distinct, reserve);
  }
}

}  // namespace
}  // namespace sluice::exec
