// The join hash table on its own: looking rows up through its Bloom filter finds exactly what
// looking them up in the slots finds (packed and byte keys, duplicates, nulls, one partition or
// many), and the filter keeps out most keys that are not there.
#include "exec/join_hash_table.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "core/memory_pool.h"
#include "exec/join_keys.h"
#include "exec/join_sort_test_util.h"

namespace sluice::exec {
namespace {

using test::Int64s;
using test::Strings;

EncodedKeys Encode(const Column& column) {
  std::vector<DataType> left{column.type}, right{column.type};
  JoinKeySpec spec = PlanJoinKeys(left, right, {"k"}, &left, &right);
  EncodedKeys keys;
  EncodeJoinKeys(spec, std::span<const Column>(&column, 1), &keys);
  return keys;
}

/// Build keys 0, 3, 6, ... (each twice when `duplicates`) and a null; probe keys
/// 0..probe_rows, a null among them: a third are present.
struct Keys {
  Column build, probe;
};
Keys MakeKeys(int64_t build_rows, int64_t probe_rows, bool strings, bool duplicates) {
  std::vector<std::optional<int64_t>> build, probe;
  for (int64_t i = 0; i < build_rows; ++i) {
    build.push_back(i * 3);
    if (duplicates) build.push_back(i * 3);
  }
  build.insert(build.begin() + static_cast<int64_t>(build.size() / 2), std::nullopt);
  for (int64_t i = 0; i < probe_rows; ++i) probe.push_back(i);
  probe[5] = std::nullopt;
  std::mt19937_64 random(7);
  std::shuffle(probe.begin(), probe.end(), random);
  if (!strings) return {Int64s(build), Int64s(probe)};
  auto as_strings = [](const std::vector<std::optional<int64_t>>& values) {
    std::vector<std::optional<std::string>> out;
    for (const auto& value : values) {
      out.push_back(value ? std::optional<std::string>("key-" + std::to_string(*value))
                          : std::nullopt);
    }
    return out;
  };
  return {Strings(as_strings(build)), Strings(as_strings(probe))};
}

void ExpectFilterFindsTheSame(int64_t build_rows, bool strings, bool duplicates, int threads) {
  SCOPED_TRACE(testing::Message() << build_rows << " build rows, strings " << strings
                                  << ", duplicates " << duplicates << ", threads " << threads);
  const int64_t probe_rows = build_rows * 3;
  Keys keys = MakeKeys(build_rows, probe_rows, strings, duplicates);
  EncodedKeys build = Encode(keys.build);
  EncodedKeys probe = Encode(keys.probe);
  ThreadPool pool(threads);
  MemoryReservation reservation;
  JoinHashTable table;
  table.Build(build, !strings, &pool, &reservation);

  std::vector<JoinHashTable::Match> direct(static_cast<size_t>(probe_rows));
  std::vector<JoinHashTable::Match> filtered(static_cast<size_t>(probe_rows));
  EXPECT_EQ(table.FindAll(probe, direct.data(), /*use_filter=*/false), probe_rows);
  const int64_t passed = table.FindAll(probe, filtered.data(), /*use_filter=*/true);
  int64_t found = 0;
  for (int64_t i = 0; i < probe_rows; ++i) {
    ASSERT_EQ(direct[i].count, filtered[i].count) << "probe row " << i;
    ASSERT_EQ(direct[i].rows, filtered[i].rows) << "probe row " << i;
    found += direct[i].count > 0;
    if (direct[i].count > 0) {
      // The matches are the build rows of that key.
      ASSERT_EQ(direct[i].count, duplicates ? 2u : 1u);
    }
  }
  EXPECT_EQ(found, build_rows);
  // Every key that is there passes; of the absent ones (two thirds), a few percent.
  EXPECT_GE(passed, found);
  EXPECT_LT(passed - found, probe_rows / 10) << "the filter lets too many absent keys through";
}

TEST(JoinHashTableTest, TheFilterFindsWhatTheSlotsFind) {
  for (bool strings : {false, true}) {
    for (bool duplicates : {false, true}) {
      ExpectFilterFindsTheSame(1000, strings, duplicates, 1);
      ExpectFilterFindsTheSame(50000, strings, duplicates, 3);  // several partitions
    }
  }
}

TEST(JoinHashTableTest, AnEmptyTableFindsNothing) {
  Keys keys = MakeKeys(0, 20, false, false);  // only a null build key
  EncodedKeys build = Encode(keys.build);
  EncodedKeys probe = Encode(keys.probe);
  MemoryReservation reservation;
  JoinHashTable table;
  table.Build(build, true, nullptr, &reservation);
  std::vector<JoinHashTable::Match> matches(20);
  for (bool use_filter : {false, true}) {
    table.FindAll(probe, matches.data(), use_filter);
    for (const auto& match : matches) EXPECT_EQ(match.count, 0u);
  }
}

}  // namespace
}  // namespace sluice::exec
