// The hash join: every join type's rows and their order (probe order, then build order within a
// probe row; a full join's unmatched right rows last), SQL null semantics, keys of several
// columns and of mixed types, empty sides, and identical output whatever the thread count,
// checked against a simple reference join.
#include "exec/hash_join.h"

#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <random>
#include <unordered_map>

#include "core/data_frame.h"
#include "core/error.h"
#include "exec/join_keys.h"
#include "exec/join_sort_test_util.h"
#include "exec/partition_spill.h"

namespace sluice::exec {
namespace {

using test::Int64s;
using test::MakeBatch;
using test::MakeColumn;
using test::MakeSchema;
using test::Strings;

PlanPtr ScanOf(const SchemaPtr& schema) {
  auto source = std::make_shared<ScanSource>();
  source->path = "t.parquet";
  source->files = {"t.parquet"};
  source->file_schema = schema;
  return MakeScan(source);
}

struct JoinOptions {
  int threads = 2;
  int64_t rows_per_batch = 2;
  bool coalesce = true;
  int64_t batch_size = 64 * 1024;
  MemoryPool* pool = MemoryPool::Default();
};

std::vector<std::string> Join(const Batch& left, const Batch& right, JoinType type,
                              std::vector<Expr> left_on, std::vector<Expr> right_on,
                              const JoinOptions& options = {}) {
  PlanPtr join = MakeJoin(ScanOf(left.schema), ScanOf(right.schema), type, std::move(left_on),
                          std::move(right_on), "_right", options.coalesce);
  ThreadPool threads(options.threads);
  ExecContext context{&threads, options.pool, nullptr, options.batch_size};
  Stream stream = MakeHashJoin(*join, test::StreamOf(left, options.rows_per_batch),
                               test::StreamOf(right, options.rows_per_batch), context);
  EXPECT_EQ(*stream.schema(), *join->schema);
  return test::RunRows(std::move(stream), context);
}

std::vector<std::string> JoinOn(const Batch& left, const Batch& right, JoinType type,
                                const std::string& key, const JoinOptions& options = {}) {
  return Join(left, right, type, {col(key)}, {col(key)}, options);
}

// users-like left side and orders-like right side with duplicates and nulls on both.
Batch LeftSide() {
  return MakeBatch(
      MakeSchema({{"k", Int64(), true}, {"l", Utf8(), true}}),
      {Int64s({1, 2, 3, 2, std::nullopt, 5}), Strings({"a", "b", "c", "d", "e", "f"})});
}
Batch RightSide() {
  return MakeBatch(MakeSchema({{"k", Int64(), true}, {"r", Int64(), true}}),
                   {Int64s({2, 3, 2, 4, std::nullopt, 3}), Int64s({20, 30, 21, 40, 99, 31})});
}

using Rows = std::vector<std::string>;

TEST(HashJoinTest, InnerJoinFollowsProbeOrderThenBuildOrder) {
  EXPECT_EQ(JoinOn(LeftSide(), RightSide(), JoinType::kInner, "k"),
            (Rows{"2|b|20", "2|b|21", "3|c|30", "3|c|31", "2|d|20", "2|d|21"}));
}

TEST(HashJoinTest, LeftJoinKeepsUnmatchedRowsWithNulls) {
  EXPECT_EQ(JoinOn(LeftSide(), RightSide(), JoinType::kLeft, "k"),
            (Rows{"1|a|NULL", "2|b|20", "2|b|21", "3|c|30", "3|c|31", "2|d|20", "2|d|21",
                  "NULL|e|NULL", "5|f|NULL"}));
}

TEST(HashJoinTest, RightJoinFollowsRightOrderAndCoalescesTheKey) {
  EXPECT_EQ(JoinOn(LeftSide(), RightSide(), JoinType::kRight, "k"),
            (Rows{"2|b|20", "2|d|20", "3|c|30", "2|b|21", "2|d|21", "4|NULL|40", "NULL|NULL|99",
                  "3|c|31"}));
}

TEST(HashJoinTest, FullJoinAppendsUnmatchedRightRowsInRightOrder) {
  EXPECT_EQ(JoinOn(LeftSide(), RightSide(), JoinType::kFull, "k"),
            (Rows{"1|a|NULL", "2|b|20", "2|b|21", "3|c|30", "3|c|31", "2|d|20", "2|d|21",
                  "NULL|e|NULL", "5|f|NULL", "4|NULL|40", "NULL|NULL|99"}));
}

TEST(HashJoinTest, SemiJoinKeepsMatchedLeftRowsOnce) {
  EXPECT_EQ(JoinOn(LeftSide(), RightSide(), JoinType::kSemi, "k"), (Rows{"2|b", "3|c", "2|d"}));
}

TEST(HashJoinTest, AntiJoinKeepsUnmatchedLeftRowsIncludingNullKeys) {
  EXPECT_EQ(JoinOn(LeftSide(), RightSide(), JoinType::kAnti, "k"), (Rows{"1|a", "NULL|e", "5|f"}));
}

TEST(HashJoinTest, WithoutCoalescingBothKeysAreKeptWithTheSuffix) {
  JoinOptions options;
  options.coalesce = false;
  EXPECT_EQ(
      Join(LeftSide(), RightSide(), JoinType::kFull, {col("k")}, {col("k")}, options),
      (Rows{"1|a|NULL|NULL", "2|b|2|20", "2|b|2|21", "3|c|3|30", "3|c|3|31", "2|d|2|20", "2|d|2|21",
            "NULL|e|NULL|NULL", "5|f|NULL|NULL", "NULL|NULL|4|40", "NULL|NULL|NULL|99"}));
}

TEST(HashJoinTest, CrossJoinPairsEveryRowInOrderAcrossChunks) {
  Batch left = MakeBatch(MakeSchema({{"a", Int64(), true}}), {Int64s({1, 2, 3})});
  Batch right = MakeBatch(MakeSchema({{"b", Utf8(), true}}), {Strings({"x", "y"})});
  const Rows expected{"1|x", "1|y", "2|x", "2|y", "3|x", "3|y"};
  for (int64_t batch_size : {1, 3, 64}) {
    JoinOptions options;
    options.batch_size = batch_size;
    EXPECT_EQ(Join(left, right, JoinType::kCross, {}, {}, options), expected) << batch_size;
  }
}

TEST(HashJoinTest, EmptySidesGiveEmptyOrNullPaddedResults) {
  Batch left = LeftSide();
  Batch right = RightSide();
  Batch no_left = left.Slice(0, 0);
  Batch no_right = right.Slice(0, 0);
  EXPECT_TRUE(JoinOn(left, no_right, JoinType::kInner, "k").empty());
  EXPECT_TRUE(JoinOn(left, no_right, JoinType::kSemi, "k").empty());
  EXPECT_EQ(JoinOn(left, no_right, JoinType::kAnti, "k").size(), 6u);
  EXPECT_EQ(JoinOn(left, no_right, JoinType::kLeft, "k"),
            (Rows{"1|a|NULL", "2|b|NULL", "3|c|NULL", "2|d|NULL", "NULL|e|NULL", "5|f|NULL"}));
  EXPECT_TRUE(JoinOn(no_left, right, JoinType::kInner, "k").empty());
  EXPECT_TRUE(JoinOn(no_left, right, JoinType::kLeft, "k").empty());
  EXPECT_EQ(
      JoinOn(no_left, right, JoinType::kFull, "k"),
      (Rows{"2|NULL|20", "3|NULL|30", "2|NULL|21", "4|NULL|40", "NULL|NULL|99", "3|NULL|31"}));
  EXPECT_EQ(JoinOn(no_left, right, JoinType::kRight, "k").size(), 6u);
  EXPECT_TRUE(Join(no_left, right, JoinType::kCross, {}, {}).empty());
  EXPECT_TRUE(Join(left, no_right, JoinType::kCross, {}, {}).empty());
}

TEST(HashJoinTest, SeveralKeysOfStringAndIntegerMatchOnAllParts) {
  Batch left =
      MakeBatch(MakeSchema({{"city", Utf8(), true}, {"year", Int32(), true}, {"v", Int64(), true}}),
                {Strings({"paris", "paris", "rome", "", std::nullopt, "rome"}),
                 MakeColumn<int32_t>(Int32(), {2020, 2021, 2020, 2020, 2020, std::nullopt}),
                 Int64s({1, 2, 3, 4, 5, 6})});
  Batch right =
      MakeBatch(MakeSchema({{"c", Utf8(), true}, {"y", Int64(), true}, {"w", Int64(), true}}),
                {Strings({"rome", "paris", "", "paris", std::nullopt}),
                 Int64s({2020, 2021, 2020, 2021, 2020}), Int64s({10, 20, 30, 21, 50})});
  EXPECT_EQ(Join(left, right, JoinType::kLeft, {col("city"), col("year")}, {col("c"), col("y")}),
            (Rows{"paris|2020|1|NULL", "paris|2021|2|20", "paris|2021|2|21", "rome|2020|3|10",
                  "|2020|4|30", "NULL|2020|5|NULL", "rome|NULL|6|NULL"}));
}

TEST(HashJoinTest, IntegerKeysOfDifferentTypesCompareByValue) {
  Batch left = MakeBatch(MakeSchema({{"a", Int32(), true}, {"l", Int64(), true}}),
                         {MakeColumn<int32_t>(Int32(), {-1, 7, 300000}), Int64s({1, 2, 3})});
  Batch right =
      MakeBatch(MakeSchema({{"b", UInt64(), true}, {"r", Int64(), true}}),
                {MakeColumn<uint64_t>(UInt64(), {7, uint64_t{1} << 63, 300000, ~uint64_t{0}}),
                 Int64s({70, 80, 90, 100})});
  EXPECT_EQ(Join(left, right, JoinType::kInner, {col("a")}, {col("b")}),
            (Rows{"7|2|70", "300000|3|90"}));
  Batch small = MakeBatch(MakeSchema({{"a", Int8(), true}}),
                          {MakeColumn<int8_t>(Int8(), {-1, 7, std::nullopt})});
  Batch wide = MakeBatch(MakeSchema({{"a", Int64(), true}}), {Int64s({7, -1, -1})});
  EXPECT_EQ(JoinOn(small, wide, JoinType::kInner, "a"), (Rows{"-1", "-1", "7"}));
}

TEST(HashJoinTest, IntegerAndFloatKeysCompareAsFloats) {
  Batch left = MakeBatch(MakeSchema({{"a", Int64(), true}}), {Int64s({1, 2, 3, std::nullopt})});
  Batch right = MakeBatch(
      MakeSchema({{"b", Float64(), true}, {"r", Int64(), true}}),
      {MakeColumn<double>(Float64(), {3.0, 2.5, 2.0, std::nullopt}), Int64s({30, 25, 20, 0})});
  EXPECT_EQ(Join(left, right, JoinType::kLeft, {col("a")}, {col("b")}),
            (Rows{"1|NULL", "2|20", "3|30", "NULL|NULL"}));
}

TEST(HashJoinTest, FloatKeysMatchZeroesOfBothSignsAndNaNs) {
  const double nan = std::nan("");
  Batch left = MakeBatch(MakeSchema({{"f", Float64(), true}, {"l", Int64(), true}}),
                         {MakeColumn<double>(Float64(), {0.0, nan, 1.5}), Int64s({1, 2, 3})});
  Batch right = MakeBatch(MakeSchema({{"f", Float64(), true}, {"r", Int64(), true}}),
                          {MakeColumn<double>(Float64(), {-0.0, -nan, 2.5}), Int64s({10, 20, 30})});
  EXPECT_EQ(JoinOn(left, right, JoinType::kInner, "f"), (Rows{"0|1|10", "nan|2|20"}));
}

TEST(HashJoinTest, ExpressionKeysAreEvaluatedOnEachSide) {
  Batch left = MakeBatch(MakeSchema({{"a", Int64(), true}}), {Int64s({1, 2, 3})});
  Batch right = MakeBatch(MakeSchema({{"b", Int64(), true}}), {Int64s({4, 6, 8})});
  EXPECT_EQ(Join(left, right, JoinType::kInner, {col("a") * 2}, {col("b") - 2}),
            (Rows{"1|4", "2|6", "3|8"}));
}

TEST(HashJoinTest, RunningOutOfMemoryNamesTheJoin) {
  MemoryPool small(1024);
  Batch left = LeftSide();
  std::vector<std::optional<int64_t>> many(5000);
  for (size_t i = 0; i < many.size(); ++i) many[i] = static_cast<int64_t>(i);
  Batch right = MakeBatch(MakeSchema({{"k", Int64(), true}}), {Int64s(many)});
  JoinOptions options;
  options.pool = &small;
  options.rows_per_batch = 100000;
  try {
    JoinOn(left, right, JoinType::kInner, "k", options);
    FAIL() << "expected an out-of-memory error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kOutOfMemory);
    EXPECT_NE(std::string(error.what()).find("inner join on"), std::string::npos) << error.what();
  }
}

// Random data against a reference join written for clarity.
struct Side {
  std::vector<std::optional<int64_t>> keys;
  std::vector<std::optional<int64_t>> values;
};

Side RandomSide(std::mt19937_64& random, int rows, int key_range, bool string_values) {
  Side side;
  for (int i = 0; i < rows; ++i) {
    side.keys.push_back(random() % 20 == 0 ? std::nullopt
                                           : std::optional<int64_t>(random() % key_range));
    side.values.push_back(string_values && random() % 10 == 0 ? std::nullopt
                                                              : std::optional<int64_t>(i));
  }
  return side;
}

std::string Text(const std::optional<int64_t>& value) {
  return value ? std::to_string(*value) : "NULL";
}

Rows ReferenceJoin(const Side& left, const Side& right, JoinType type) {
  std::unordered_map<int64_t, std::vector<size_t>> right_rows;
  for (size_t j = 0; j < right.keys.size(); ++j) {
    if (right.keys[j]) right_rows[*right.keys[j]].push_back(j);
  }
  std::unordered_map<int64_t, std::vector<size_t>> left_rows;
  for (size_t i = 0; i < left.keys.size(); ++i) {
    if (left.keys[i]) left_rows[*left.keys[i]].push_back(i);
  }
  auto matches = [](const auto& map, const std::optional<int64_t>& key) {
    static const std::vector<size_t> kNone;
    if (!key) return &kNone;
    auto it = map.find(*key);
    return it == map.end() ? &kNone : &it->second;
  };
  Rows rows;
  if (type == JoinType::kRight) {
    for (size_t j = 0; j < right.keys.size(); ++j) {
      const auto* found = matches(left_rows, right.keys[j]);
      for (size_t i : *found) {
        rows.push_back(Text(right.keys[j]) + "|" + Text(left.values[i]) + "|" +
                       Text(right.values[j]));
      }
      if (found->empty()) rows.push_back(Text(right.keys[j]) + "|NULL|" + Text(right.values[j]));
    }
    return rows;
  }
  for (size_t i = 0; i < left.keys.size(); ++i) {
    const auto* found = matches(right_rows, left.keys[i]);
    const std::string prefix = Text(left.keys[i]) + "|" + Text(left.values[i]);
    if (type == JoinType::kSemi || type == JoinType::kAnti) {
      if (found->empty() == (type == JoinType::kAnti)) rows.push_back(prefix);
      continue;
    }
    for (size_t j : *found) rows.push_back(prefix + "|" + Text(right.values[j]));
    if (found->empty() && type != JoinType::kInner) rows.push_back(prefix + "|NULL");
  }
  if (type == JoinType::kFull) {
    for (size_t j = 0; j < right.keys.size(); ++j) {
      if (matches(left_rows, right.keys[j])->empty()) {
        rows.push_back(Text(right.keys[j]) + "|NULL|" + Text(right.values[j]));
      }
    }
  }
  return rows;
}

Batch BatchOf(const Side& side, const std::string& value_name) {
  return MakeBatch(MakeSchema({{"k", Int64(), true}, {value_name, Int64(), true}}),
                   {Int64s(side.keys), Int64s(side.values)});
}

TEST(HashJoinTest, EveryJoinTypeMatchesTheReferenceForAnyThreadCount) {
  std::mt19937_64 random(42);
  const Side left = RandomSide(random, 3000, 400, true);
  const Side right = RandomSide(random, 1500, 500, false);
  for (JoinType type : {JoinType::kInner, JoinType::kLeft, JoinType::kRight, JoinType::kFull,
                        JoinType::kSemi, JoinType::kAnti}) {
    const Rows expected = ReferenceJoin(left, right, type);
    for (int threads : {1, 2, 8}) {
      JoinOptions options;
      options.threads = threads;
      options.rows_per_batch = 97;
      EXPECT_EQ(JoinOn(BatchOf(left, "l"), BatchOf(right, "r"), type, "k", options), expected)
          << JoinTypeName(type) << " with " << threads << " threads";
    }
  }
}

TEST(HashJoinTest, LargeBuildSidesUsePartitionsAndStayDeterministic) {
  std::mt19937_64 random(7);
  const Side left = RandomSide(random, 60000, 50000, false);
  const Side right = RandomSide(random, 40000, 45000, false);
  for (JoinType type : {JoinType::kInner, JoinType::kFull}) {
    const Rows expected = ReferenceJoin(left, right, type);
    for (int threads : {1, 4}) {
      JoinOptions options;
      options.threads = threads;
      options.rows_per_batch = 4096;
      EXPECT_EQ(JoinOn(BatchOf(left, "l"), BatchOf(right, "r"), type, "k", options), expected)
          << JoinTypeName(type) << " with " << threads << " threads";
    }
  }
}

TEST(HashJoinTest, StringKeysMatchTheReference) {
  std::mt19937_64 random(3);
  const Side left = RandomSide(random, 2000, 300, false);
  const Side right = RandomSide(random, 800, 300, false);
  auto as_strings = [](const Side& side) {
    std::vector<std::optional<std::string>> keys;
    for (const auto& key : side.keys) {
      keys.push_back(key ? std::optional<std::string>("key-" + std::to_string(*key))
                         : std::nullopt);
    }
    return keys;
  };
  auto strip = [](Rows rows) {
    for (std::string& row : rows) {
      if (row.rfind("key-", 0) == 0) row.erase(0, 4);
    }
    return rows;
  };
  Batch left_batch = MakeBatch(MakeSchema({{"k", Utf8(), true}, {"l", Int64(), true}}),
                               {Strings(as_strings(left)), Int64s(left.values)});
  Batch right_batch = MakeBatch(MakeSchema({{"k", Utf8(), true}, {"r", Int64(), true}}),
                                {Strings(as_strings(right)), Int64s(right.values)});
  for (JoinType type : {JoinType::kInner, JoinType::kLeft, JoinType::kAnti}) {
    JoinOptions options;
    options.rows_per_batch = 128;
    EXPECT_EQ(strip(JoinOn(left_batch, right_batch, type, "k", options)),
              ReferenceJoin(left, right, type))
        << JoinTypeName(type);
  }
}

}  // namespace
}  // namespace sluice::exec

namespace sluice::exec {
namespace {

TEST(HashJoinTest, EveryJoinTypeSpillsUnderATinyBudgetAndKeepsItsOrder) {
  std::mt19937_64 random(11);
  const Side left = RandomSide(random, 120000, 60000, true);
  const Side right = RandomSide(random, 100000, 50000, false);
  for (JoinType type : {JoinType::kInner, JoinType::kLeft, JoinType::kRight, JoinType::kFull,
                        JoinType::kSemi, JoinType::kAnti}) {
    const Rows expected = ReferenceJoin(left, right, type);
    for (int threads : {1, 3}) {
      MemoryPool tight(6'000'000);
      PlanPtr join = MakeJoin(ScanOf(BatchOf(left, "l").schema), ScanOf(BatchOf(right, "r").schema),
                              type, {col("k")}, {col("k")}, "_right", true);
      ThreadPool pool_threads(threads);
      ExecContext context{&pool_threads, &tight, nullptr, 4096};
      test::RenderingSink sink;
      {
        Stream stream = MakeHashJoin(*join, test::StreamOf(BatchOf(left, "l"), 1000),
                                     test::StreamOf(BatchOf(right, "r"), 1000), context);
        RunPipeline(std::move(stream), sink, context);
      }
      EXPECT_EQ(sink.Ordered(), expected) << JoinTypeName(type) << " with " << threads;
      EXPECT_GT(tight.spill_count(), 0) << JoinTypeName(type);
      EXPECT_EQ(tight.used(), 0) << JoinTypeName(type);
    }
  }
}

/// `count` int64 keys whose join-key hashes all fall into the first spill partition.
std::vector<int64_t> KeysOfTheFirstPartition(int count) {
  std::vector<DataType> left_types, right_types;
  const JoinKeySpec spec = PlanJoinKeys({Int64()}, {Int64()}, {"k"}, &left_types, &right_types);
  std::vector<int64_t> keys;
  for (int64_t start = 0; static_cast<int>(keys.size()) < count; start += 4096) {
    std::vector<std::optional<int64_t>> candidates;
    for (int64_t k = start; k < start + 4096; ++k) candidates.push_back(k);
    const Column column = Int64s(candidates);
    EncodedKeys encoded;
    EncodeJoinKeys(spec, std::span<const Column>(&column, 1), &encoded);
    for (int64_t i = 0; i < 4096 && static_cast<int>(keys.size()) < count; ++i) {
      if (PartitionOfHash(encoded.hashes[static_cast<size_t>(i)], 0) == 0)
        keys.push_back(start + i);
    }
  }
  return keys;
}

Rows SpilledJoin(const Side& left, const Side& right, JoinType type, MemoryPool* budget,
                 int threads) {
  PlanPtr join = MakeJoin(ScanOf(BatchOf(left, "l").schema), ScanOf(BatchOf(right, "r").schema),
                          type, {col("k")}, {col("k")}, "_right", true);
  ThreadPool pool_threads(threads);
  ExecContext context{&pool_threads, budget, nullptr, 4096};
  test::RenderingSink sink;
  {
    Stream stream = MakeHashJoin(*join, test::StreamOf(BatchOf(left, "l"), 1000),
                                 test::StreamOf(BatchOf(right, "r"), 1000), context);
    RunPipeline(std::move(stream), sink, context);
  }
  return sink.Ordered();
}

TEST(HashJoinTest, ASpilledPartitionTooLargeForMemoryIsSplitAgain) {
  // Every build key hashes into the first of the spill partitions, which alone would need about
  // twice the budget to join: only splitting it again by the next hash bits lets it finish.
  std::mt19937_64 random(3);
  const std::vector<int64_t> keys = KeysOfTheFirstPartition(5000);
  Side right, left;
  for (int i = 0; i < 150000; ++i) {
    right.keys.push_back(keys[random() % keys.size()]);
    right.values.push_back(i);
  }
  for (int i = 0; i < 20000; ++i) {
    left.keys.push_back(random() % 3 == 0 ? static_cast<int64_t>(random() % 100000)
                                          : keys[random() % keys.size()]);
    left.values.push_back(i);
  }
  for (JoinType type : {JoinType::kInner, JoinType::kFull, JoinType::kAnti}) {
    for (int threads : {1, 2}) {
      MemoryPool tight(6'000'000);
      EXPECT_EQ(SpilledJoin(left, right, type, &tight, threads), ReferenceJoin(left, right, type))
          << JoinTypeName(type) << " with " << threads;
      EXPECT_GT(tight.spill_count(), 0);
      EXPECT_EQ(tight.used(), 0);
    }
  }
}

TEST(HashJoinTest, OneKeyTooLargeForMemoryIsAClearError) {
  Side right, left;
  for (int i = 0; i < 400000; ++i) {
    right.keys.push_back(7);
    right.values.push_back(i);
  }
  left.keys = {7, 8};
  left.values = {1, 2};
  MemoryPool tight(6'000'000);
  try {
    SpilledJoin(left, right, JoinType::kSemi, &tight, 2);
    FAIL() << "expected an out-of-memory error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kOutOfMemory);
    EXPECT_NE(std::string(error.what())
                  .find("does not fit in memory even after spilling (keys "
                        "this skewed need more memory)"),
              std::string::npos)
        << error.what();
  }
  EXPECT_EQ(tight.used(), 0);
}

/// A memory scan of `batch`: its row count is known, as a file's would be, so the join can tell
/// which side is smaller.
PlanPtr MemoryScanOf(const Batch& batch) {
  auto frame = std::make_shared<DataFrame>();
  frame->schema = batch.schema;
  frame->batches = {batch};
  return MakeMemoryScan(frame);
}

/// Left rows (key, l) with a right row of the same key and l < r: semi keeps them, anti the rest.
Rows ReferenceSemiWithResidual(const Side& left, const Side& right, JoinType type) {
  std::unordered_map<int64_t, std::vector<int64_t>> right_values;
  for (size_t j = 0; j < right.keys.size(); ++j) {
    if (right.keys[j] && right.values[j]) right_values[*right.keys[j]].push_back(*right.values[j]);
  }
  Rows rows;
  for (size_t i = 0; i < left.keys.size(); ++i) {
    bool match = false;
    if (left.keys[i] && left.values[i]) {
      for (int64_t r : right_values[*left.keys[i]]) match = match || *left.values[i] < r;
    }
    if (match == (type == JoinType::kSemi))
      rows.push_back(Text(left.keys[i]) + "|" + Text(left.values[i]));
  }
  return rows;
}

TEST(HashJoinTest, SemiAndAntiJoinsHoldASmallLeftSideAndKeepItsOrder) {
  // The left side is far smaller: the join holds it, the right side marks its rows. The output
  // is the left rows in their order either way, spilled or not, with or without a residual.
  std::mt19937_64 random(17);
  const Side left = RandomSide(random, 100000, 130000, true);
  const Side right = RandomSide(random, 300000, 100000, false);
  const Batch left_batch = BatchOf(left, "l");
  const Batch right_batch = BatchOf(right, "r");
  for (JoinType type : {JoinType::kSemi, JoinType::kAnti}) {
    for (bool with_residual : {false, true}) {
      const Expr residual = with_residual ? col("l") < col("r") : Expr();
      const Rows expected = with_residual ? ReferenceSemiWithResidual(left, right, type)
                                          : ReferenceJoin(left, right, type);
      PlanPtr join = MakeJoin(MemoryScanOf(left_batch), MemoryScanOf(right_batch), type, {col("k")},
                              {col("k")}, "_right", true, residual);
      for (int64_t budget : {int64_t{0}, int64_t{8'000'000}}) {
        for (int threads : {1, 3}) {
          MemoryPool pool(budget > 0 ? budget : MemoryPool::kUnlimited);
          ThreadPool workers(threads);
          ExecContext context{&workers, &pool, nullptr, 1024};
          test::RenderingSink sink;
          {
            Stream stream = MakeHashJoin(*join, test::StreamOf(left_batch, 500),
                                         test::StreamOf(right_batch, 500), context);
            RunPipeline(std::move(stream), sink, context);
          }
          EXPECT_EQ(sink.Ordered(), expected)
              << JoinTypeName(type) << (with_residual ? " with residual" : "") << ", budget "
              << budget << ", " << threads << " threads";
          if (budget > 0) {
            EXPECT_GT(pool.spill_count(), 0);
          }
          EXPECT_EQ(pool.used(), 0);
        }
      }
    }
  }
}

}  // namespace
}  // namespace sluice::exec
