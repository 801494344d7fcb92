// The window operator: every function against values worked out by hand (ties, null keys, RANGE
// peers and offsets, lag/lead defaults, ntile), then random data against a naive reference
// computed in the test (partitions, orders and frames of every kind), at several thread counts
// and batch sizes, which must all give the same bytes.
#include <gtest/gtest.h>
#include <xxhash.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <random>

#include "core/data_frame.h"
#include "core/error.h"
#include "exec/join_sort_test_util.h"
#include "exec/partition_spill.h"
#include "exec/physical_planner.h"
#include "exec/sort_keys.h"
#include "exec/window_frames.h"
#include "exec/window_order.h"
#include "exec/window_stream.h"
#include "plan/lazy_frame.h"
#include "plan/window_plan.h"

namespace sluice::exec {
namespace {

using test::Int64s;
using test::MakeBatch;
using test::MakeSchema;
using test::Strings;

using OptInt = std::optional<int64_t>;
using OptStr = std::optional<std::string>;

/// A table (g utf8, t int64, x int64) split into batches of `rows_per_batch`.
PlanPtr Table(const std::vector<OptStr>& g, const std::vector<OptInt>& t,
              const std::vector<OptInt>& x, int64_t rows_per_batch = 3) {
  auto frame = std::make_shared<DataFrame>();
  frame->schema = MakeSchema({{"g", Utf8(), true}, {"t", Int64(), true}, {"x", Int64(), true}});
  Batch all = MakeBatch(frame->schema, {Strings(g), Int64s(t), Int64s(x)});
  frame->batches = test::Split(all, rows_per_batch);
  return MakeMemoryScan(frame);
}

std::vector<std::string> RunPlan(const PlanPtr& plan, int threads = 2, int64_t batch_size = 4) {
  ThreadPool pool(threads);
  ExecContext context{&pool, MemoryPool::Default(), nullptr, batch_size};
  return test::RunRows(BuildStream(plan, context), context);
}

/// The last column of every row.
std::vector<std::string> LastColumn(const std::vector<std::string>& rows) {
  std::vector<std::string> out;
  for (const std::string& row : rows) out.push_back(row.substr(row.rfind('|') + 1));
  return out;
}

WindowExpr Window(std::string function, std::vector<Expr> args, std::vector<Expr> partition_by,
                  std::vector<SortKey> order_by, std::optional<WindowFrame> frame = {},
                  std::string name = "w") {
  WindowExpr window;
  window.function = std::move(function);
  window.args = std::move(args);
  window.partition_by = std::move(partition_by);
  window.order_by = std::move(order_by);
  window.frame = std::move(frame);
  window.name = std::move(name);
  return window;
}

WindowFrame Frame(WindowFrame::Units units, WindowBound::Kind start, int64_t start_offset,
                  WindowBound::Kind end, int64_t end_offset) {
  WindowFrame frame;
  frame.units = units;
  frame.start = {start, Scalar{Int64(), start_offset}};
  frame.end = {end, Scalar{Int64(), end_offset}};
  return frame;
}

using K = WindowBound::Kind;
constexpr auto kRows = WindowFrame::Units::kRows;
constexpr auto kRange = WindowFrame::Units::kRange;

/// The one-window result column for the small table below.
std::vector<std::string> Small(const WindowExpr& window) {
  // g: a a a a b b NULL NULL; t has ties and a null.
  PlanPtr table =
      Table({"a", "b", "a", "a", "b", std::nullopt, "a", std::nullopt},
            {3, 1, 1, 3, std::nullopt, 5, 2, 5}, {10, 20, 30, 40, 50, 60, 70, std::nullopt});
  return LastColumn(RunPlan(MakeWindow(table, {window})));
}

using Strs = std::vector<std::string>;

TEST(WindowTest, RowNumberRankDenseRank) {
  // Partition a in t order: rows 2 (t=1), 6 (t=2), 0 and 3 (t=3, peers).
  // Partition b: row 1 (t=1), row 4 (t=NULL, last). Partition NULL: rows 5 and 7 (t=5, peers).
  const std::vector<Expr> by_g = {col("g")};
  const std::vector<SortKey> by_t = {{col("t"), false, std::nullopt}};
  EXPECT_EQ(Small(Window("row_number", {}, by_g, by_t)),
            (Strs{"3", "1", "1", "4", "2", "1", "2", "2"}));
  EXPECT_EQ(Small(Window("rank", {}, by_g, by_t)), (Strs{"3", "1", "1", "3", "2", "1", "2", "1"}));
  EXPECT_EQ(Small(Window("dense_rank", {}, by_g, by_t)),
            (Strs{"3", "1", "1", "3", "2", "1", "2", "1"}));
  EXPECT_EQ(Small(Window("percent_rank", {}, by_g, by_t)),
            (Strs{"0.6666666666666666", "0", "0", "0.6666666666666666", "1", "0",
                  "0.3333333333333333", "0"}));
  EXPECT_EQ(Small(Window("cume_dist", {}, by_g, by_t)),
            (Strs{"1", "0.5", "0.25", "1", "1", "1", "0.5", "1"}));
  // Descending: nulls first.
  EXPECT_EQ(Small(Window("rank", {}, by_g, {{col("t"), true, std::nullopt}})),
            (Strs{"1", "2", "4", "1", "1", "1", "3", "1"}));
  // Without ORDER BY every row of a partition is a peer; without PARTITION BY one partition.
  EXPECT_EQ(Small(Window("rank", {}, by_g, {})), (Strs{"1", "1", "1", "1", "1", "1", "1", "1"}));
  EXPECT_EQ(Small(Window("row_number", {}, {}, {})),
            (Strs{"1", "2", "3", "4", "5", "6", "7", "8"}));
}

TEST(WindowTest, DenseRankCountsDistinctKeys) {
  PlanPtr table = Table({"a", "a", "a", "a", "a"}, {5, 5, 7, 9, 9}, {1, 2, 3, 4, 5});
  EXPECT_EQ(LastColumn(RunPlan(MakeWindow(
                table, {Window("dense_rank", {}, {}, {{col("t"), false, std::nullopt}})}))),
            (Strs{"1", "1", "2", "3", "3"}));
  EXPECT_EQ(LastColumn(RunPlan(
                MakeWindow(table, {Window("rank", {}, {}, {{col("t"), false, std::nullopt}})}))),
            (Strs{"1", "1", "3", "4", "4"}));
}

TEST(WindowTest, Ntile) {
  std::vector<OptStr> g(7, "a");
  std::vector<OptInt> t = {0, 1, 2, 3, 4, 5, 6};
  PlanPtr table = Table(g, t, t);
  // 7 rows in 3 buckets: 3, 2, 2.
  EXPECT_EQ(LastColumn(RunPlan(MakeWindow(
                table, {Window("ntile", {lit(3)}, {}, {{col("t"), false, std::nullopt}})}))),
            (Strs{"1", "1", "1", "2", "2", "3", "3"}));
  // More buckets than rows: one row each.
  EXPECT_EQ(LastColumn(RunPlan(MakeWindow(
                table, {Window("ntile", {lit(10)}, {}, {{col("t"), false, std::nullopt}})}))),
            (Strs{"1", "2", "3", "4", "5", "6", "7"}));
  EXPECT_THROW(RunPlan(MakeWindow(
                   table, {Window("ntile", {lit(0)}, {}, {{col("t"), false, std::nullopt}})})),
               Error);
}

TEST(WindowTest, LagAndLead) {
  const std::vector<Expr> by_g = {col("g")};
  const std::vector<SortKey> by_t = {{col("t"), false, std::nullopt}};
  // x in partition order: a: 30 70 10 40; b: 20 50; NULL: 60 NULL.
  EXPECT_EQ(Small(Window("lag", {col("x")}, by_g, by_t)),
            (Strs{"70", "NULL", "NULL", "10", "20", "NULL", "30", "60"}));
  EXPECT_EQ(Small(Window("lead", {col("x")}, by_g, by_t)),
            (Strs{"40", "50", "70", "NULL", "NULL", "NULL", "10", "NULL"}));
  EXPECT_EQ(Small(Window("lag", {col("x"), lit(2), lit(-1)}, by_g, by_t)),
            (Strs{"30", "-1", "-1", "70", "-1", "-1", "-1", "-1"}));
  // A negative offset looks the other way; the default is cast to the argument's type.
  EXPECT_EQ(Small(Window("lead", {col("x"), lit(-1), lit(0.0).cast(Int64())}, by_g, by_t)),
            (Strs{"70", "0", "0", "10", "20", "0", "30", "60"}));
}

TEST(WindowTest, FirstLastNthValue) {
  const std::vector<Expr> by_g = {col("g")};
  const std::vector<SortKey> by_t = {{col("t"), false, std::nullopt}};
  // Default frame: RANGE UNBOUNDED PRECEDING .. CURRENT ROW, peers included.
  EXPECT_EQ(Small(Window("first_value", {col("x")}, by_g, by_t)),
            (Strs{"30", "20", "30", "30", "20", "60", "30", "60"}));
  EXPECT_EQ(Small(Window("last_value", {col("x")}, by_g, by_t)),
            (Strs{"40", "20", "30", "40", "50", "NULL", "70", "NULL"}));
  EXPECT_EQ(Small(Window("nth_value", {col("x"), lit(2)}, by_g, by_t)),
            (Strs{"70", "NULL", "NULL", "70", "50", "NULL", "70", "NULL"}));
  // ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING.
  WindowFrame around = Frame(kRows, K::kPreceding, 1, K::kFollowing, 1);
  EXPECT_EQ(Small(Window("first_value", {col("x")}, by_g, by_t, around)),
            (Strs{"70", "20", "30", "10", "20", "60", "30", "60"}));
  EXPECT_EQ(Small(Window("last_value", {col("x")}, by_g, by_t, around)),
            (Strs{"40", "50", "70", "40", "50", "NULL", "10", "NULL"}));
  EXPECT_THROW(Small(Window("nth_value", {col("x"), lit(0)}, by_g, by_t)), Error);
}

TEST(WindowTest, AggregatesOverDefaultFrames) {
  const std::vector<Expr> by_g = {col("g")};
  const std::vector<SortKey> by_t = {{col("t"), false, std::nullopt}};
  // Running sums with peers: a: 30, 100, 150, 150; b: 20, 70; NULL: 60, 60.
  EXPECT_EQ(Small(Window("sum", {col("x")}, by_g, by_t)),
            (Strs{"150", "20", "30", "150", "70", "60", "100", "60"}));
  // Whole partitions without ORDER BY.
  EXPECT_EQ(Small(Window("sum", {col("x")}, by_g, {})),
            (Strs{"150", "70", "150", "150", "70", "60", "150", "60"}));
  EXPECT_EQ(Small(Window("count", {col("x")}, by_g, {})),
            (Strs{"4", "2", "4", "4", "2", "1", "4", "1"}));
  EXPECT_EQ(Small(Window("count_star", {}, by_g, {})),
            (Strs{"4", "2", "4", "4", "2", "2", "4", "2"}));
  EXPECT_EQ(Small(Window("mean", {col("x")}, by_g, by_t)),
            (Strs{"37.5", "20", "30", "37.5", "35", "60", "50", "60"}));
  EXPECT_EQ(Small(Window("min", {col("x")}, by_g, by_t)),
            (Strs{"10", "20", "30", "10", "20", "60", "30", "60"}));
  EXPECT_EQ(Small(Window("max", {col("x")}, by_g, by_t)),
            (Strs{"70", "20", "30", "70", "50", "60", "70", "60"}));
  EXPECT_EQ(Small(Window("median", {col("x")}, by_g, {})),
            (Strs{"35", "35", "35", "35", "35", "60", "35", "60"}));
  WindowExpr distinct = Window("count", {col("t")}, by_g, {});
  distinct.distinct = true;
  EXPECT_EQ(Small(distinct), (Strs{"3", "1", "3", "3", "1", "1", "3", "1"}));
}

TEST(WindowTest, RowsFramesWithOffsets) {
  std::vector<OptStr> g(6, "a");
  PlanPtr table = Table(g, {1, 2, 3, 4, 5, 6}, {1, 2, std::nullopt, 8, 16, 32});
  auto sum = [&](WindowFrame frame) {
    return LastColumn(RunPlan(MakeWindow(
        table, {Window("sum", {col("x")}, {}, {{col("t"), false, std::nullopt}}, frame)})));
  };
  EXPECT_EQ(sum(Frame(kRows, K::kPreceding, 1, K::kCurrentRow, 0)),
            (Strs{"1", "3", "2", "8", "24", "48"}));
  EXPECT_EQ(sum(Frame(kRows, K::kCurrentRow, 0, K::kFollowing, 2)),
            (Strs{"3", "10", "24", "56", "48", "32"}));
  EXPECT_EQ(sum(Frame(kRows, K::kPreceding, 3, K::kPreceding, 2)),
            (Strs{"NULL", "NULL", "1", "3", "2", "8"}));
  EXPECT_EQ(sum(Frame(kRows, K::kFollowing, 1, K::kUnboundedFollowing, 0)),
            (Strs{"58", "56", "56", "48", "32", "NULL"}));
  EXPECT_EQ(sum(Frame(kRows, K::kUnboundedPreceding, 0, K::kUnboundedFollowing, 0)),
            (Strs{"59", "59", "59", "59", "59", "59"}));
}

TEST(WindowTest, RangeFramesWithOffsetsAndNullKeys) {
  std::vector<OptStr> g(7, "a");
  PlanPtr table = Table(g, {1, 2, 2, 5, std::nullopt, 6, std::nullopt}, {1, 2, 4, 8, 16, 32, 64});
  auto sum = [&](WindowFrame frame, bool descending = false) {
    return LastColumn(RunPlan(MakeWindow(
        table, {Window("sum", {col("x")}, {}, {{col("t"), descending, std::nullopt}}, frame)})));
  };
  // t within [t - 1, t + 1]; null keys frame their null peers.
  EXPECT_EQ(sum(Frame(kRange, K::kPreceding, 1, K::kFollowing, 1)),
            (Strs{"7", "7", "7", "40", "80", "40", "80"}));
  // RANGE BETWEEN 3 PRECEDING AND CURRENT ROW (peers included).
  EXPECT_EQ(sum(Frame(kRange, K::kPreceding, 3, K::kCurrentRow, 0)),
            (Strs{"1", "7", "7", "14", "80", "40", "80"}));
  // Descending: preceding values are larger. Nulls come first.
  EXPECT_EQ(sum(Frame(kRange, K::kPreceding, 1, K::kCurrentRow, 0), true),
            (Strs{"7", "6", "6", "40", "80", "32", "80"}));
  // UNBOUNDED FOLLOWING from an offset start reaches the nulls at the end.
  EXPECT_EQ(sum(Frame(kRange, K::kFollowing, 1, K::kUnboundedFollowing, 0)),
            (Strs{"126", "120", "120", "112", "80", "80", "80"}));
}

TEST(WindowTest, RangeOverDatesAndFloats) {
  auto frame = std::make_shared<DataFrame>();
  frame->schema = MakeSchema({{"d", Date32(), true}, {"f", Float64(), true}});
  ColumnBuilder dates(Date32()), floats(Float64());
  for (int32_t day : {0, 1, 3, 10}) dates.Append<int32_t>(day);
  for (double value : {0.5, 1.0, 1.75, 4.0}) floats.Append<double>(value);
  frame->batches = {MakeBatch(frame->schema, {dates.Finish(), floats.Finish()})};
  PlanPtr table = MakeMemoryScan(frame);
  WindowFrame two_days;
  two_days.units = kRange;
  two_days.start = {K::kPreceding, Scalar{Duration(TimeUnit::kSecond), int64_t{2 * 86400}}};
  two_days.end = {K::kCurrentRow, {}};
  EXPECT_EQ(
      LastColumn(RunPlan(MakeWindow(
          table, {Window("count_star", {}, {}, {{col("d"), false, std::nullopt}}, two_days)}))),
      (Strs{"1", "2", "2", "1"}));
  WindowFrame near;
  near.units = kRange;
  near.start = {K::kPreceding, Scalar{Float64(), 0.5}};
  near.end = {K::kFollowing, Scalar{Float64(), 0.75}};
  EXPECT_EQ(LastColumn(RunPlan(MakeWindow(
                table, {Window("sum", {col("f")}, {}, {{col("f"), false, std::nullopt}}, near)}))),
            (Strs{"1.5", "3.25", "1.75", "4"}));
}

TEST(WindowTest, EmptyInputAndSharedSpecs) {
  PlanPtr table = Table({}, {}, {});
  PlanPtr plan = MakeWindow(
      table, {Window("row_number", {}, {col("g")}, {{col("t"), false, std::nullopt}}, {}, "r"),
              Window("sum", {col("x")}, {col("g")}, {{col("t"), false, std::nullopt}}, {}, "s")});
  EXPECT_TRUE(RunPlan(plan).empty());
  PlanPtr small = Table({"a", "a", "b"}, {2, 1, 1}, {1, 2, 3});
  plan = MakeWindow(
      small, {Window("row_number", {}, {col("g")}, {{col("t"), false, std::nullopt}}, {}, "r"),
              Window("sum", {col("x")}, {col("g")}, {{col("t"), false, std::nullopt}}, {}, "s"),
              Window("lag", {col("x")}, {}, {{col("x"), true, std::nullopt}}, {}, "l")});
  EXPECT_EQ(RunPlan(plan), (Strs{"a|2|1|2|3|2", "a|1|2|1|2|3", "b|1|3|1|3|NULL"}));
}

TEST(WindowTest, LazyFrameWindow) {
  auto data = std::make_shared<DataFrame>();
  data->schema = MakeSchema({{"g", Utf8(), true}, {"x", Int64(), true}});
  data->batches = {MakeBatch(data->schema, {Strings({"a", "b", "a"}), Int64s({1, 2, 3})})};
  LazyFrame frame(MakeMemoryScan(data));
  LazyFrame windowed =
      frame.window({Window("sum", {col("x")}, {col("g")}, {}, {}, "total")}).filter(col("x") > 1);
  EXPECT_EQ(windowed.schema().field(2).name, "total");
  DataFrame result = windowed.collect();
  EXPECT_EQ(test::Rows(result.batches), (Strs{"b|2|2", "a|3|4"}));
  EXPECT_NE(windowed.explain().find("Window [sum(x) OVER (PARTITION BY g) AS total]"),
            std::string::npos);
}

// ---- Random data against a naive reference.

struct Row {
  OptStr g;
  OptInt t;
  OptInt x;
};

struct Spec {
  bool partition = true;
  int order = 1;  ///< 1 ascending, -1 descending, 0 none.
  std::optional<WindowFrame> frame;
};

/// The expected value of `function` over `rows` per row, as text, computed the slow way.
std::vector<std::string> Reference(const std::vector<Row>& rows, const Spec& spec,
                                   const std::string& function) {
  const size_t n = rows.size();
  std::map<OptStr, std::vector<size_t>> partitions;
  for (size_t i = 0; i < n; ++i) partitions[spec.partition ? rows[i].g : OptStr()].push_back(i);
  auto before = [&](size_t a, size_t b) {  // order of t: nulls last ascending, first descending
    const OptInt& x = rows[a].t;
    const OptInt& y = rows[b].t;
    if (spec.order == 0 || x == y) return false;
    if (!x || !y) return spec.order > 0 ? !x == false : !x;
    return spec.order > 0 ? *x < *y : *x > *y;
  };
  std::vector<std::string> out(n);
  for (auto& partition : partitions) {
    // A named reference, not a structured binding: clang 14 cannot capture one in a lambda.
    auto& members = partition.second;
    std::stable_sort(members.begin(), members.end(), before);
    const int64_t m = static_cast<int64_t>(members.size());
    auto t = [&](int64_t p) { return rows[members[static_cast<size_t>(p)]].t; };
    auto peer = [&](int64_t a, int64_t b) { return spec.order == 0 || t(a) == t(b); };
    for (int64_t i = 0; i < m; ++i) {
      int64_t peer_begin = i, peer_end = i + 1;
      while (peer_begin > 0 && peer(peer_begin - 1, i)) --peer_begin;
      while (peer_end < m && peer(peer_end, i)) ++peer_end;
      // Frame.
      WindowFrame frame;
      if (spec.frame) {
        frame = *spec.frame;
      } else {
        frame.units = kRange;
        frame.start.kind = K::kUnboundedPreceding;
        frame.end.kind = spec.order == 0 ? K::kUnboundedFollowing : K::kCurrentRow;
      }
      auto bound = [&](const WindowBound& b, bool is_start) -> int64_t {
        const int64_t off = b.offset.is_null() ? 0 : std::get<int64_t>(b.offset.value);
        switch (b.kind) {
          case K::kUnboundedPreceding: return 0;
          case K::kUnboundedFollowing: return m;
          case K::kCurrentRow:
            if (frame.units == kRows) return is_start ? i : i + 1;
            return is_start ? peer_begin : peer_end;
          default: break;
        }
        const bool preceding = b.kind == K::kPreceding;
        if (frame.units == kRows) {
          int64_t at = preceding ? i - off : i + off;
          if (!is_start) ++at;
          return std::clamp<int64_t>(at, 0, m);
        }
        if (!t(i)) return is_start ? peer_begin : peer_end;
        const int64_t v = *t(i);
        const int64_t target = (preceding == (spec.order > 0)) ? v - off : v + off;
        int64_t last_valid = -1, first_valid = -1;
        for (int64_t p = 0; p < m; ++p)
          if (t(p)) {
            if (first_valid < 0) first_valid = p;
            last_valid = p;
          }
        for (int64_t p = first_valid; p <= last_valid; ++p) {
          const int64_t w = *t(p);
          const bool reached = spec.order > 0 ? (is_start ? w >= target : w > target)
                                              : (is_start ? w <= target : w < target);
          if (reached) return p;
        }
        return last_valid + 1;
      };
      const int64_t start = bound(frame.start, true);
      const int64_t end = std::max(start, bound(frame.end, false));
      std::vector<OptInt> values;
      for (int64_t p = start; p < end; ++p)
        values.push_back(rows[members[static_cast<size_t>(p)]].x);
      std::string& result = out[members[static_cast<size_t>(i)]];
      auto text = [](const OptInt& v) { return v ? std::to_string(*v) : std::string("NULL"); };
      std::vector<int64_t> present;
      for (const OptInt& v : values)
        if (v) present.push_back(*v);
      if (function == "row_number") {
        result = std::to_string(i + 1);
      } else if (function == "rank") {
        result = std::to_string(peer_begin + 1);
      } else if (function == "dense_rank") {
        int64_t dense = 1;
        for (int64_t p = 1; p <= peer_begin; ++p) dense += !peer(p - 1, p);
        result = std::to_string(dense);
      } else if (function == "lag") {
        result = i >= 2 ? text(rows[members[static_cast<size_t>(i - 2)]].x) : "-1";
      } else if (function == "lead") {
        result = i + 1 < m ? text(rows[members[static_cast<size_t>(i + 1)]].x) : "NULL";
      } else if (function == "first_value") {
        result = values.empty() ? "NULL" : text(values.front());
      } else if (function == "last_value") {
        result = values.empty() ? "NULL" : text(values.back());
      } else if (function == "nth_value") {
        result = values.size() < 2 ? "NULL" : text(values[1]);
      } else if (function == "count_star") {
        result = std::to_string(values.size());
      } else if (function == "count") {
        result = std::to_string(present.size());
      } else if (function == "n_unique") {  // Polars: a null counts as one more value.
        std::sort(present.begin(), present.end());
        const int64_t distinct = std::unique(present.begin(), present.end()) - present.begin();
        result = std::to_string(distinct + (present.size() < values.size() ? 1 : 0));
      } else if (present.empty()) {
        result = "NULL";
      } else if (function == "sum") {
        int64_t sum = 0;
        for (int64_t v : present) sum += v;
        result = std::to_string(sum);
      } else if (function == "min") {
        result = std::to_string(*std::min_element(present.begin(), present.end()));
      } else if (function == "max") {
        result = std::to_string(*std::max_element(present.begin(), present.end()));
      } else if (function == "sum_float") {
        double sum = 0;
        for (int64_t v : present) sum += static_cast<double>(v) / 4;
        result = fmt::format("{}", sum);
      }
    }
  }
  return out;
}

WindowExpr RandomWindow(const std::string& function, const Spec& spec) {
  std::vector<Expr> args;
  std::string name = function;
  if (function == "lag") args = {col("x"), lit(2), lit(-1)};
  if (function == "lead" || function == "first_value" || function == "last_value" ||
      function == "count" || function == "sum" || function == "min" || function == "max" ||
      function == "n_unique")
    args = {col("x")};
  if (function == "nth_value") args = {col("x"), lit(2)};
  std::string registry = function;
  if (function == "sum_float") {  // Quarters: exact in any order.
    registry = "sum";
    args = {col("x").cast(Float64()) / 4.0};
  }
  if (function == "sum_spread") {
    // Tenths beside multiples of 1e17 that cancel: the compensated sum comes out different bits
    // when the same values are added in another order (the reference does not check it).
    registry = "sum";
    args = {col("x").cast(Float64()) * 0.1 + (col("x") % lit(3)).cast(Float64()) * 1e17};
  }
  std::vector<Expr> partition_by;
  if (spec.partition) partition_by.push_back(col("g"));
  std::vector<SortKey> order_by;
  if (spec.order != 0) order_by.push_back({col("t"), spec.order < 0, std::nullopt});
  return Window(registry, std::move(args), std::move(partition_by), std::move(order_by), spec.frame,
                name);
}

/// `n` rows of 13 partition keys, 25 order keys and values from -100 to 99, each with nulls.
std::vector<Row> RandomRows(size_t n, unsigned seed) {
  std::mt19937 random(seed);
  std::vector<Row> rows(n);
  for (Row& row : rows) {
    const int part = static_cast<int>(random() % 13);
    row.g = part == 0 ? OptStr() : OptStr("p" + std::to_string(part));
    const int key = static_cast<int>(random() % 25);
    row.t = key == 0 ? OptInt() : OptInt(key);
    const int value = static_cast<int>(random() % 200);
    row.x = value < 15 ? OptInt() : OptInt(value - 100);
  }
  return rows;
}

PlanPtr TableOf(const std::vector<Row>& rows, int64_t rows_per_batch) {
  std::vector<OptStr> g;
  std::vector<OptInt> t, x;
  for (const Row& row : rows) {
    g.push_back(row.g);
    t.push_back(row.t);
    x.push_back(row.x);
  }
  return Table(g, t, x, rows_per_batch);
}

/// Checks the window columns of `out` (after g, t and x, one per function) against Reference.
void ExpectReference(const std::vector<std::string>& out, const std::vector<Row>& rows,
                     const Spec& spec, const std::vector<std::string>& functions,
                     const std::string& what) {
  ASSERT_EQ(out.size(), rows.size());
  for (size_t f = 0; f < functions.size(); ++f) {
    std::vector<std::string> expected = Reference(rows, spec, functions[f]);
    for (size_t i = 0; i < rows.size(); ++i) {
      std::vector<std::string> fields;
      size_t at = 0;
      for (size_t next; (next = out[i].find('|', at)) != std::string::npos; at = next + 1)
        fields.push_back(out[i].substr(at, next - at));
      fields.push_back(out[i].substr(at));
      const std::string& actual = fields[3 + f];
      if (functions[f] == "sum_spread") continue;
      if (functions[f] == "sum_float" && expected[i] != "NULL" && actual != "NULL") {
        EXPECT_NEAR(std::stod(actual), std::stod(expected[i]), 1e-9)
            << what << " " << functions[f] << " row " << i;
      } else {
        ASSERT_EQ(actual, expected[i]) << what << " " << functions[f] << " row " << i;
      }
    }
  }
}

/// A window no stream computes (percent_rank): with it, a node's windows are computed in memory.
WindowExpr NotStreamed() {
  return Window("percent_rank", {}, {}, {{col("x"), false, std::nullopt}}, {}, "not_streamed");
}

TEST(WindowTest, RandomDataMatchesNaiveReference) {
  const std::vector<Row> rows = RandomRows(600, 7);
  PlanPtr table = TableOf(rows, 97);
  std::vector<Spec> specs = {
      {true, 1, {}},
      {true, -1, {}},
      {true, 0, {}},
      {false, 1, {}},
      {true, 1, Frame(kRows, K::kPreceding, 3, K::kFollowing, 2)},
      {true, -1, Frame(kRows, K::kUnboundedPreceding, 0, K::kCurrentRow, 0)},
      {true, 1, Frame(kRows, K::kCurrentRow, 0, K::kUnboundedFollowing, 0)},
      {true, 1, Frame(kRows, K::kFollowing, 1, K::kFollowing, 4)},
      {true, 1, Frame(kRange, K::kPreceding, 2, K::kFollowing, 1)},
      {true, -1, Frame(kRange, K::kPreceding, 3, K::kCurrentRow, 0)},
      {false, 1, Frame(kRange, K::kCurrentRow, 0, K::kFollowing, 5)},
      {true, 1, Frame(kRange, K::kCurrentRow, 0, K::kUnboundedFollowing, 0)},
  };
  const std::vector<std::string> functions = {
      "row_number", "rank",      "dense_rank", "lag",       "lead", "first_value",
      "last_value", "nth_value", "count_star", "count",     "sum",  "min",
      "max",        "n_unique",  "sum_float",  "sum_spread"};
  for (size_t s = 0; s < specs.size(); ++s) {
    std::vector<WindowExpr> windows;
    for (const std::string& function : functions)
      windows.push_back(RandomWindow(function, specs[s]));
    windows.push_back(NotStreamed());
    PlanPtr plan = MakeWindow(table, windows);
    ASSERT_FALSE(CanStreamWindows(windows, *table->schema));
    const std::vector<std::string> one = RunPlan(plan, 1, 50);
    const std::vector<std::string> many = RunPlan(plan, 4, 64 * 1024);
    ASSERT_EQ(one, many) << "spec " << s;  // The same bytes at any thread count and batch size.
    ExpectReference(one, rows, specs[s], functions, fmt::format("spec {}", s));
  }
}

TEST(WindowTest, StreamedWindowsGiveTheResultsOfTheInMemoryPath) {
  const std::vector<Row> rows = RandomRows(700, 3);
  PlanPtr table = TableOf(rows, 61);
  const std::vector<Spec> specs = {
      {false, 1, {}},
      {false, -1, {}},
      {false, 0, {}},
      {false, 1, Frame(kRows, K::kUnboundedPreceding, 0, K::kCurrentRow, 0)},
      {false, 0, Frame(kRows, K::kUnboundedPreceding, 0, K::kCurrentRow, 0)},
      {false, -1, Frame(kRange, K::kUnboundedPreceding, 0, K::kUnboundedFollowing, 0)},
      {false, 1, Frame(kRows, K::kUnboundedPreceding, 0, K::kUnboundedFollowing, 0)},
      {true, 1, {}},
      {true, 0, {}},
      {true, -1, Frame(kRows, K::kUnboundedPreceding, 0, K::kCurrentRow, 0)},
      {true, 1, Frame(kRange, K::kUnboundedPreceding, 0, K::kUnboundedFollowing, 0)},
      // ROWS frames around the row: wider and narrower than the batches, before and after it.
      {false, 1, Frame(kRows, K::kPreceding, 3, K::kFollowing, 2)},
      {false, -1, Frame(kRows, K::kPreceding, 40, K::kCurrentRow, 0)},
      {false, 0, Frame(kRows, K::kCurrentRow, 0, K::kFollowing, 70)},
      {true, 1, Frame(kRows, K::kFollowing, 1, K::kFollowing, 4)},
      {true, -1, Frame(kRows, K::kPreceding, 9, K::kPreceding, 2)},
      {true, 1, Frame(kRows, K::kPreceding, 17, K::kFollowing, 33)},
      {false, 1, Frame(kRows, K::kCurrentRow, 0, K::kCurrentRow, 0)},
  };
  for (size_t s = 0; s < specs.size(); ++s) {
    std::vector<std::string> functions = {"row_number", "rank",        "dense_rank", "lag",
                                          "lead",       "first_value", "last_value", "nth_value",
                                          "count_star", "count",       "sum",        "min",
                                          "max",        "sum_float",   "sum_spread"};
    // Any aggregate streams over a frame of rows around the current one.
    if (specs[s].frame && BoundedRowsFrame(*specs[s].frame)) functions.push_back("n_unique");
    std::vector<WindowExpr> windows;
    for (const std::string& function : functions)
      windows.push_back(RandomWindow(function, specs[s]));
    // Without a PARTITION BY common to all windows (which would spill by partitions instead),
    // in a second specification: streamed one after the other.
    windows.push_back(Window("row_number", {}, {}, {{col("x"), false, std::nullopt}}, {}, "r"));
    ASSERT_TRUE(CanStreamWindows(windows, *table->schema)) << "spec " << s;
    std::vector<WindowExpr> in_memory = windows;
    in_memory.push_back(NotStreamed());
    ASSERT_FALSE(CanStreamWindows(in_memory, *table->schema));

    const std::vector<std::string> streamed = RunPlan(MakeWindow(table, windows), 1, 50);
    // Batches of 1 and 7 rows: peer groups, lag's rows and frames span many batches.
    ASSERT_EQ(streamed, RunPlan(MakeWindow(table, windows), 3, 1)) << "spec " << s;
    ASSERT_EQ(streamed, RunPlan(MakeWindow(table, windows), 2, 7)) << "spec " << s;
    const std::vector<std::string> computed = RunPlan(MakeWindow(table, in_memory), 2, 50);
    ASSERT_EQ(streamed.size(), computed.size());
    for (size_t i = 0; i < streamed.size(); ++i)  // Float sums too: the same bits.
      ASSERT_EQ(streamed[i], computed[i].substr(0, computed[i].rfind('|'))) << "spec " << s;
    ExpectReference(streamed, rows, specs[s], functions, fmt::format("spec {}", s));
  }
}

TEST(WindowTest, ManyPartitionsInParallel) {
  // 20000 rows in 5000 partitions: row_number and a running sum per partition.
  std::vector<OptStr> g;
  std::vector<OptInt> t, x;
  for (int64_t i = 0; i < 20000; ++i) {
    g.push_back("k" + std::to_string((i * 7919) % 5000));
    t.push_back(i);
    x.push_back(i % 10);
  }
  PlanPtr table = Table(g, t, x, 1000);
  PlanPtr plan = MakeWindow(
      table, {Window("row_number", {}, {col("g")}, {{col("t"), false, std::nullopt}}, {}, "r"),
              Window("sum", {col("x")}, {col("g")}, {{col("t"), false, std::nullopt}}, {}, "s")});
  const std::vector<std::string> one = RunPlan(plan, 1, 4096);
  EXPECT_EQ(one, RunPlan(plan, 4, 1000));
  std::map<std::string, std::pair<int64_t, int64_t>> seen;  // partition -> (count, sum)
  for (size_t i = 0; i < one.size(); ++i) {
    auto& [count, sum] = seen[*g[i]];
    ++count;
    sum += *x[i];
    EXPECT_EQ(one[i], fmt::format("{}|{}|{}|{}|{}", *g[i], i, *x[i], count, sum));
  }
}

// ---- Larger than memory.

/// Runs `plan` with `pool` as the memory budget (rendering the output as it comes).
std::vector<std::string> RunWithPool(const PlanPtr& plan, MemoryPool* pool, int threads) {
  ThreadPool workers(threads);
  ExecContext context{&workers, pool, nullptr, 4096};
  test::RenderingSink sink;
  RunPipeline(BuildStream(plan, context), sink, context);
  return sink.Ordered();
}

/// 300000 rows (about 15 MB) with partition keys drawn from `keys` (or null) and ties in t, and
/// windows of several specifications that all partition by g.
PlanPtr SpillingWindows(const std::vector<std::string>& keys) {
  std::vector<OptStr> g;
  std::vector<OptInt> t, x;
  std::mt19937 random(5);
  for (int64_t i = 0; i < 300000; ++i) {
    const size_t key = random() % (keys.size() + 1);
    g.push_back(key == keys.size() ? OptStr{} : OptStr{keys[key]});
    t.push_back(static_cast<int64_t>(random() % 50));
    x.push_back(random() % 17 == 0 ? OptInt{} : OptInt{static_cast<int64_t>(random() % 1000)});
  }
  const SortKey by_t{col("t"), false, std::nullopt};
  const SortKey by_x_desc{col("x"), true, std::nullopt};
  return MakeWindow(Table(g, t, x, 2000),
                    {Window("row_number", {}, {col("g")}, {by_t}, {}, "r"),
                     Window("rank", {}, {col("g")}, {by_x_desc}, {}, "rk"),
                     Window("sum", {col("x")}, {col("g")}, {by_t}, {}, "s"),
                     Window("avg", {col("x")}, {col("g"), col("t")}, {}, {}, "a"),
                     Window("lag", {col("x")}, {col("g")}, {by_x_desc}, {}, "l"),
                     Window("max", {col("x")}, {col("g")}, {by_t},
                            Frame(kRows, K::kPreceding, 2, K::kFollowing, 1), "m")});
}

/// "partition-0", "partition-1", ...: `count` keys, or with `first_partition_only` only those
/// whose hash (of their normalized form, as the window spills by) falls into spill partition 0.
std::vector<std::string> PartitionKeys(int count, bool first_partition_only) {
  std::vector<std::string> keys;
  SortKeyEncoder encoder({{Utf8(), false, true}});
  for (int i = 0; static_cast<int>(keys.size()) < count; ++i) {
    std::string key = "partition-" + std::to_string(i);
    const Column column = Strings({key});
    const SortKeyBlock block = encoder.Encode(std::span<const Column>(&column, 1));
    const std::string_view encoded = block.Key(0);
    if (!first_partition_only ||
        PartitionOfHash(XXH3_64bits(encoded.data(), encoded.size()), 0) == 0)
      keys.push_back(std::move(key));
  }
  return keys;
}

/// Runs `plan` on 1 and 3 threads under a budget of `budget` bytes: it must spill and give the
/// rows of an unlimited run, and leave nothing charged.
void ExpectTheSameRowsSpilled(const PlanPtr& plan, int64_t budget) {
  const std::vector<std::string> expected = RunPlan(plan, 2, 4096);
  for (int threads : {1, 3}) {
    MemoryPool tight(budget);
    EXPECT_EQ(RunWithPool(plan, &tight, threads), expected) << threads << " threads";
    EXPECT_GT(tight.spill_count(), 0);
    EXPECT_EQ(tight.used(), 0);
  }
}

TEST(WindowTest, SpillsUnderATinyBudgetWithTheSameRows) {
  ExpectTheSameRowsSpilled(SpillingWindows(PartitionKeys(3000, false)), 6'000'000);
}

TEST(WindowTest, ASpilledPartitionTooLargeForMemoryIsSplitAgain) {
  // Every key hashes into the first spill partition, which alone would not fit the budget.
  PlanPtr plan = SpillingWindows(PartitionKeys(200, true));
  const std::vector<std::string> expected = RunPlan(plan, 2, 4096);
  MemoryPool tight(6'000'000);
  EXPECT_EQ(RunWithPool(plan, &tight, 2), expected);
  EXPECT_GT(tight.spill_count(), 0);
  EXPECT_EQ(tight.used(), 0);
}

TEST(WindowTest, AWindowWithoutPartitionsCannotSpillAndSaysSo) {
  std::vector<OptStr> g;
  std::vector<OptInt> t, x;
  for (int64_t i = 0; i < 60000; ++i) {
    g.push_back("k" + std::to_string(i % 100));
    t.push_back(i);
    x.push_back(i);
  }
  // The second window has no PARTITION BY: the node's rows cannot be split. Its frame reaches
  // values of t around the current one (RANGE with offsets): it cannot be streamed.
  PlanPtr plan = MakeWindow(Table(g, t, x, 2000),
                            {Window("sum", {col("x")}, {col("g")}, {}, {}, "s"),
                             Window("sum", {col("x")}, {}, {{col("t"), false, std::nullopt}},
                                    Frame(kRange, K::kPreceding, 1, K::kFollowing, 1), "r")});
  MemoryPool tight(1'000'000);
  try {
    RunWithPool(plan, &tight, 2);
    FAIL() << "expected an out-of-memory error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kOutOfMemory);
    EXPECT_NE(std::string(error.what())
                  .find("windows that all share a PARTITION BY key spill their rows by"),
              std::string::npos)
        << error.what();
  }
  EXPECT_EQ(tight.spill_count(), 0);
}

/// 100000 rows whose g (about 100 bytes a row) the windows never read, with windows without
/// PARTITION BY over t alone, so x and g are set aside: on either side of the computed t.
PlanPtr WindowsOverOneColumn() {
  std::vector<OptStr> g;
  std::vector<OptInt> t, x;
  std::mt19937 random(11);
  for (int64_t i = 0; i < 100000; ++i) {
    g.push_back(random() % 13 == 0 ? OptStr{}
                                   : OptStr{std::string(90 + random() % 20, 'a' + random() % 26)});
    t.push_back(random() % 9 == 0 ? OptInt{} : OptInt{static_cast<int64_t>(random() % 5000)});
    x.push_back(static_cast<int64_t>(i));
  }
  const SortKey by_t{col("t"), false, std::nullopt};
  const SortKey by_t_desc{col("t"), true, std::nullopt};
  // g is made again by the plan, so that its buffers are the run's own (charged to its pool)
  // rather than the table's.
  PlanPtr input =
      MakeProject(Table(g, t, x, 3000), {call("upper", {col("g")}).alias("g"), col("t"), col("x")});
  return MakeWindow(input, {Window("row_number", {}, {}, {by_t}, {}, "r"),
                            Window("sum", {col("t")}, {}, {by_t},
                                   Frame(kRows, K::kPreceding, 2, K::kFollowing, 1), "s"),
                            Window("lag", {col("t") * lit(int64_t{2})}, {}, {by_t_desc}, {}, "l")});
}

TEST(WindowTest, AWindowWithoutPartitionsSetsTheColumnsItDoesNotReadAsideAndSpillsThem) {
  // The rows take about 13 MB, of which t is 1 MB. What the windows need (t twice while it is
  // put together, the sort order, the results and the sum's scratch) takes about 10 MB: it fits,
  // g beside it does not.
  ExpectTheSameRowsSpilled(WindowsOverOneColumn(), 12'000'000);
}

/// 300000 rows (about 15 MB) with many ties in t, and windows without PARTITION BY that share
/// one ORDER BY (`ordered`) or have none, and two with PARTITION BY g: computed over streams.
PlanPtr StreamedWindows(bool ordered) {
  std::vector<OptStr> g;
  std::vector<OptInt> t, x;
  std::mt19937 random(13);
  for (int64_t i = 0; i < 300000; ++i) {
    g.push_back(OptStr{"row-" + std::to_string(random() % 100000)});
    t.push_back(random() % 11 == 0 ? OptInt{} : OptInt{static_cast<int64_t>(random() % 3000)});
    x.push_back(random() % 17 == 0 ? OptInt{} : OptInt{static_cast<int64_t>(random() % 1000)});
  }
  std::vector<SortKey> by_t;
  if (ordered) by_t.push_back({col("t"), true, std::nullopt});
  const auto everything = Frame(kRange, K::kUnboundedPreceding, 0, K::kUnboundedFollowing, 0);
  const auto running_rows = Frame(kRows, K::kUnboundedPreceding, 0, K::kCurrentRow, 0);
  return MakeWindow(
      Table(g, t, x, 2000),
      {Window("row_number", {}, {}, by_t, {}, "r"), Window("rank", {}, {}, by_t, {}, "rk"),
       Window("dense_rank", {}, {}, by_t, {}, "d"), Window("sum", {col("x")}, {}, by_t, {}, "s"),
       Window("avg", {col("x")}, {}, by_t, everything, "a"),
       Window("lag", {col("g"), lit(int64_t{3})}, {}, by_t, {}, "l"),
       Window("max", {col("g")}, {}, by_t, running_rows, "m"),
       Window("sum", {col("x").cast(Float64()) / 3.0}, {}, by_t, {}, "f"),
       Window("count", {col("x")}, {col("g")}, by_t, {}, "gc"),
       Window("lag", {col("t")}, {col("g")}, by_t, {}, "gl"),
       Window("lead", {col("g"), lit(int64_t{2})}, {}, by_t, {}, "ld"),
       Window("last_value", {col("x")}, {}, by_t, {}, "lv")});
}

TEST(WindowTest, StreamedWindowsSpillTheirSortsAndWaitingRows) {
  for (bool ordered : {true, false}) {
    PlanPtr plan = StreamedWindows(ordered);
    ASSERT_TRUE(CanStreamWindows(plan->windows, *plan->inputs[0]->schema));
    ExpectTheSameRowsSpilled(plan, 4'000'000);
  }
}

TEST(WindowTest, AWindowReadingNoColumnStillCountsItsRows) {
  std::vector<OptStr> g;
  std::vector<OptInt> t, x;
  for (int64_t i = 0; i < 10; ++i) {
    g.push_back("k" + std::to_string(i));
    t.push_back(i * 10);
    x.push_back(-i);
  }
  PlanPtr plan = MakeWindow(Table(g, t, x, 3), {Window("row_number", {}, {}, {}, {}, "r")});
  const std::vector<std::string> rows = RunPlan(plan, 2, 4);
  ASSERT_EQ(rows.size(), 10u);
  for (int64_t i = 0; i < 10; ++i)
    EXPECT_EQ(rows[static_cast<size_t>(i)], fmt::format("k{}|{}|{}|{}", i, i * 10, -i, i + 1));
}

TEST(WindowTest, AThreadKeepsTheFrameScratchOfSmallPartitionsOnly) {
  // The scratch is charged only while the window computes, so a large partition's must not
  // stay with the thread after.
  auto frames_of = [](int64_t rows) {
    std::vector<OptInt> t;
    for (int64_t i = 0; i < rows; ++i) t.push_back(i % 7);
    const Batch input = MakeBatch(MakeSchema({{"t", Int64(), true}}), {Int64s(t)});
    const WindowExpr window = Window("sum", {col("t")}, {}, {{col("t"), false, std::nullopt}},
                                     Frame(kRows, K::kPreceding, 2, K::kFollowing, 1));
    const WindowOrder order = MakeWindowOrder(input, {}, window.order_by, MemoryPool::Default());
    const WindowFrames frames(window, input, order, MemoryPool::Default());
    const PartitionFrames partition(frames, 0, rows);
    EXPECT_EQ(partition.starts[rows - 1], rows - 3);
    EXPECT_EQ(partition.ends[rows - 1], rows);
  };
  frames_of(1000);
  EXPECT_GE(PartitionFrames::KeptBytes(), 16000);
  frames_of(200000);
  EXPECT_EQ(PartitionFrames::KeptBytes(), 0);
}

}  // namespace
}  // namespace sluice::exec
