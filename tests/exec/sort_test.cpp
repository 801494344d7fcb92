// The sort sink: stable order (ties keep input order across batches), every orderable type,
// nulls first or last, descending keys, several keys, top-k equal to the full sort's prefix, and
// the same output whatever the thread count or batch sizes.
#include "exec/sort.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numeric>
#include <random>

#include "core/decimal.h"
#include "exec/join_sort_test_util.h"

namespace sluice::exec {
namespace {

using test::Int64s;
using test::MakeBatch;
using test::MakeColumn;
using test::MakeSchema;
using test::Strings;
using Rows = std::vector<std::string>;

struct SortOptions {
  int threads = 2;
  int64_t rows_per_batch = 3;
  int64_t batch_size = 64 * 1024;
};

Rows Sort(const Batch& input, std::vector<SortKey> keys, std::optional<int64_t> limit = {},
          const SortOptions& options = {}) {
  ThreadPool threads(options.threads);
  ExecContext context{&threads, MemoryPool::Default(), nullptr, options.batch_size};
  auto sink = MakeSortSink(*input.schema, keys, limit, context);
  RunPipeline(test::StreamOf(input, options.rows_per_batch), *sink, context);
  std::unique_ptr<Source> result = sink->TakeResult();
  std::vector<Batch> batches = test::Drain(*result);
  for (size_t i = 0; i < batches.size(); ++i) {
    EXPECT_EQ(batches[i].seq, i);
    EXPECT_LE(batches[i].num_rows, options.batch_size);
  }
  return test::Rows(batches);
}

SortKey Asc(const std::string& name) {
  return SortKey{col(name), false, std::nullopt};
}
SortKey Desc(const std::string& name) {
  return SortKey{col(name), true, std::nullopt};
}

/// The values of the last column of each row (the "id" column of most tests).
std::vector<std::string> Ids(const Rows& rows) {
  std::vector<std::string> ids;
  for (const std::string& row : rows) ids.push_back(row.substr(row.rfind('|') + 1));
  return ids;
}

Batch KeysWithIds(Column keys) {
  const int64_t n = keys.length;
  std::vector<std::optional<int64_t>> ids(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) ids[i] = i;
  return MakeBatch(MakeSchema({{"k", keys.type, true}, {"id", Int64(), true}}),
                   {std::move(keys), Int64s(ids)});
}

TEST(SortTest, TiesKeepInputOrderAcrossBatchesForAnyThreadCount) {
  Batch input = KeysWithIds(Int64s({3, 1, 2, 1, 3, 2, 1, 3, 1, 2}));
  for (int threads : {1, 2, 8}) {
    SortOptions options;
    options.threads = threads;
    EXPECT_EQ(Ids(Sort(input, {Asc("k")}, {}, options)),
              (Rows{"1", "3", "6", "8", "2", "5", "9", "0", "4", "7"}));
    EXPECT_EQ(Ids(Sort(input, {Desc("k")}, {}, options)),
              (Rows{"0", "4", "7", "2", "5", "9", "1", "3", "6", "8"}));
  }
}

TEST(SortTest, NullsGoLastAscendingAndFirstDescendingUnlessAsked) {
  Batch input = KeysWithIds(Int64s({2, std::nullopt, 1, std::nullopt, 3}));
  EXPECT_EQ(Ids(Sort(input, {Asc("k")})), (Rows{"2", "0", "4", "1", "3"}));
  EXPECT_EQ(Ids(Sort(input, {Desc("k")})), (Rows{"1", "3", "4", "0", "2"}));
  EXPECT_EQ(Ids(Sort(input, {SortKey{col("k"), false, false}})), (Rows{"1", "3", "2", "0", "4"}));
  EXPECT_EQ(Ids(Sort(input, {SortKey{col("k"), true, true}})), (Rows{"4", "0", "2", "1", "3"}));
}

TEST(SortTest, FloatsOrderNegativeZeroWithZeroAndNaNAfterInfinity) {
  const double inf = std::numeric_limits<double>::infinity();
  const double nan = std::nan("");
  Batch input = KeysWithIds(
      MakeColumn<double>(Float64(), {1.5, nan, -inf, 0.0, std::nullopt, -0.0, inf, -2.0, -nan}));
  EXPECT_EQ(Ids(Sort(input, {Asc("k")})), (Rows{"2", "7", "3", "5", "0", "6", "1", "8", "4"}));
  EXPECT_EQ(Ids(Sort(input, {Desc("k")})), (Rows{"4", "1", "8", "6", "0", "3", "5", "7", "2"}));
}

/// Sorting distinct values given in ascending order, after shuffling them, gives them back in
/// order (ascending) or reversed (descending).
void ExpectSortsInOrder(const Column& ascending) {
  const int64_t n = ascending.length;
  std::vector<uint32_t> shuffle(static_cast<size_t>(n));
  std::iota(shuffle.begin(), shuffle.end(), 0u);
  std::mt19937 random(1);
  std::shuffle(shuffle.begin(), shuffle.end(), random);
  // Rows of `sorted` in shuffled order, built with slices (independent of the gather code).
  Batch sorted = KeysWithIds(ascending);
  Batch input = MakeBatch(sorted.schema, {}, 0);
  input.num_rows = n;
  for (const Column& column : sorted.columns) {
    Column shuffled = MakeEmptyColumn(column.type);
    for (uint32_t i : shuffle) shuffled.AppendFrom(column.Slice(i, 1));
    input.columns.push_back(std::move(shuffled));
  }
  std::vector<std::string> up;
  std::vector<std::string> down;
  for (int64_t i = 0; i < n; ++i) {
    up.push_back(std::to_string(i));
    down.push_back(std::to_string(n - 1 - i));
  }
  EXPECT_EQ(Ids(Sort(input, {Asc("k")})), up) << ascending.type.ToString();
  EXPECT_EQ(Ids(Sort(input, {Desc("k")})), down) << ascending.type.ToString();
}

TEST(SortTest, EveryOrderableTypeSortsByValue) {
  ExpectSortsInOrder(MakeColumn<int8_t>(Int8(), {-128, -1, 0, 1, 127}));
  ExpectSortsInOrder(MakeColumn<int16_t>(Int16(), {-32768, -300, 0, 255, 256, 32767}));
  ExpectSortsInOrder(MakeColumn<int32_t>(Int32(), {INT32_MIN, -65536, -1, 0, 65536, INT32_MAX}));
  ExpectSortsInOrder(
      Int64s({INT64_MIN, -(int64_t{1} << 40), -1, 0, 1, int64_t{1} << 40, INT64_MAX}));
  ExpectSortsInOrder(MakeColumn<uint8_t>(UInt8(), {0, 1, 128, 255}));
  ExpectSortsInOrder(MakeColumn<uint16_t>(UInt16(), {0, 255, 256, 65535}));
  ExpectSortsInOrder(MakeColumn<uint32_t>(UInt32(), {0, 1, 1u << 31, UINT32_MAX}));
  ExpectSortsInOrder(MakeColumn<uint64_t>(UInt64(), {0, 1, uint64_t{1} << 63, UINT64_MAX}));
  ExpectSortsInOrder(
      MakeColumn<float>(Float32(), {-INFINITY, -1.5f, -1e-30f, 0.0f, 1e-30f, 2.0f, INFINITY, NAN}));
  ExpectSortsInOrder(MakeColumn<double>(Float64(), {-1e300, -1.0, 0.0, 1e-300, 3.0, 1e300}));
  ExpectSortsInOrder(MakeColumn<int128_t>(
      Decimal(38, 2), {-PowerOfTen(37), int128_t{-12345}, int128_t{-1}, int128_t{0}, int128_t{1},
                       int128_t{1} << 64, PowerOfTen(37)}));
  ExpectSortsInOrder(MakeColumn<int32_t>(Date32(), {-719162, -1, 0, 19000, 2932896}));
  ExpectSortsInOrder(MakeColumn<int64_t>(Timestamp(TimeUnit::kMicro),
                                         {-(int64_t{1} << 50), -1, 0, 1700000000000000}));
  ExpectSortsInOrder(MakeColumn<int64_t>(Duration(TimeUnit::kMilli), {-5, 0, 5}));
  ExpectSortsInOrder(MakeColumn<bool>(Bool(), {false, true}));
  ExpectSortsInOrder(
      Strings({"", std::string("\0", 1), std::string("\0\0", 2), std::string("\0a", 2), "a",
               std::string("a\0", 2), "ab", "b", "z", "\xc3\xa9", "\xff"}));
}

TEST(SortTest, SeveralKeysWithMixedDirectionsMatchAStableReference) {
  std::mt19937_64 random(5);
  const int n = 3000;
  std::vector<std::optional<int64_t>> a(n);
  std::vector<std::optional<std::string>> s(n);
  std::vector<std::optional<int64_t>> ids(n);
  for (int i = 0; i < n; ++i) {
    a[i] = random() % 13 == 0 ? std::nullopt : std::optional<int64_t>(random() % 20 - 10);
    s[i] =
        random() % 11 == 0
            ? std::nullopt
            : std::optional<std::string>(std::string(random() % 4, 'x') + char('a' + random() % 3));
    ids[i] = i;
  }
  Batch input =
      MakeBatch(MakeSchema({{"a", Int64(), true}, {"s", Utf8(), true}, {"id", Int64(), true}}),
                {Int64s(a), Strings(s), Int64s(ids)});
  // a ascending nulls last, then s descending nulls last; ties by input order.
  std::vector<int> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int x, int y) {
    if (a[x] != a[y]) {
      if (!a[x]) return false;
      if (!a[y]) return true;
      return *a[x] < *a[y];
    }
    if (s[x] != s[y]) {
      if (!s[x]) return false;
      if (!s[y]) return true;
      return *s[x] > *s[y];
    }
    return false;
  });
  Rows expected;
  for (int i : order) expected.push_back(std::to_string(i));
  for (int threads : {1, 2, 8}) {
    for (int64_t batch_size : {int64_t{64}, int64_t{1000}, int64_t{1} << 16}) {
      SortOptions options;
      options.threads = threads;
      options.rows_per_batch = 37;
      options.batch_size = batch_size;
      EXPECT_EQ(Ids(Sort(input, {Asc("a"), SortKey{col("s"), true, true}}, {}, options)), expected)
          << threads << " threads, batches of " << batch_size;
    }
  }
}

TEST(SortTest, TopKIsThePrefixOfTheFullSort) {
  std::mt19937_64 random(9);
  const int n = 20000;
  std::vector<std::optional<double>> revenue(n);
  std::vector<std::optional<int64_t>> ids(n);
  for (int i = 0; i < n; ++i) {
    revenue[i] = random() % 50 == 0 ? std::nullopt
                                    : std::optional<double>(static_cast<double>(random() % 500));
    ids[i] = i;
  }
  Batch input = MakeBatch(MakeSchema({{"revenue", Float64(), true}, {"id", Int64(), true}}),
                          {MakeColumn<double>(Float64(), revenue), Int64s(ids)});
  for (bool descending : {false, true}) {
    SortKey key{col("revenue"), descending, std::nullopt};
    SortOptions options;
    options.rows_per_batch = 1000;
    const Rows full = Sort(input, {key}, {}, options);
    ASSERT_EQ(full.size(), static_cast<size_t>(n));
    for (int64_t k : {0, 1, 7, 100, 1000, 5000, 25000}) {
      for (int threads : {1, 2, 8}) {
        options.threads = threads;
        const Rows top = Sort(input, {key}, k, options);
        const Rows prefix(full.begin(), full.begin() + std::min<int64_t>(k, n));
        EXPECT_EQ(top, prefix) << "k=" << k << " threads=" << threads;
      }
    }
  }
}

TEST(SortTest, ExpressionKeysAreEvaluated) {
  Batch input = KeysWithIds(Int64s({5, 6, 7, 8, 9}));
  EXPECT_EQ(Ids(Sort(input, {SortKey{col("k") % 3, false, std::nullopt}, Desc("k")})),
            (Rows{"4", "1", "2", "3", "0"}));
}

TEST(SortTest, EmptyInputGivesNoRows) {
  Batch input = KeysWithIds(Int64s({}));
  EXPECT_TRUE(Sort(input, {Asc("k")}).empty());
  EXPECT_TRUE(Sort(input, {Asc("k")}, 10).empty());
}

}  // namespace
}  // namespace sluice::exec
