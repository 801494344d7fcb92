// The grouping table's keys: hashes recomputed from the keys alone (as a spilled partition's
// are when it is read back) equal the hashes the table was built with, in every key layout.
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

}  // namespace
}  // namespace sluice::exec
