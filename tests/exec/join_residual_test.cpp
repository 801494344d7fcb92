// Joins with a residual condition (LogicalPlan::residual): for every join type, random inputs
// with duplicate keys on both sides and nulls in keys and in the columns the condition reads are
// joined by the hash join (or the nested loop, for cross joins) and by a naive nested-loop
// reference written here; rows and their order must be the same. A condition that is null is no
// match. Small batches and tiny block sizes make the condition run over many blocks.
#include <gtest/gtest.h>

#include <functional>
#include <optional>
#include <random>

#include "core/error.h"
#include "exec/hash_join.h"
#include "exec/join_sort_test_util.h"

namespace sluice::exec {
namespace {

using test::Int64s;
using test::MakeBatch;
using test::MakeSchema;
using test::Strings;
using Rows = std::vector<std::string>;
using OptInt = std::optional<int64_t>;
using OptStr = std::optional<std::string>;

PlanPtr ScanOf(const SchemaPtr& schema) {
  auto source = std::make_shared<ScanSource>();
  source->path = "t.parquet";
  source->files = {"t.parquet"};
  source->file_schema = schema;
  return MakeScan(source);
}

/// One side of a join, as plain values for the reference and as a batch for the engine.
struct Side {
  std::vector<OptInt> k, v;
  std::vector<OptStr> s;
  Batch batch;
};

Side RandomSide(std::mt19937_64& random, int rows, const std::string& value_name) {
  Side side;
  std::uniform_int_distribution<int> key(0, 5), value(0, 9), pick(0, 99), text(0, 3);
  for (int i = 0; i < rows; ++i) {
    side.k.push_back(pick(random) < 12 ? OptInt{} : OptInt{key(random)});
    side.v.push_back(pick(random) < 15 ? OptInt{} : OptInt{value(random)});
    side.s.push_back(pick(random) < 10 ? OptStr{}
                                       : OptStr{std::string(1, char('w' + text(random)))});
  }
  side.batch = MakeBatch(
      MakeSchema({{"k", Int64(), true}, {value_name, Int64(), true}, {"s", Utf8(), true}}),
      {Int64s(side.k), Int64s(side.v), Strings(side.s)});
  return side;
}

/// A residual condition and the same condition on plain values (nullopt = SQL null).
struct Condition {
  std::string name;
  Expr expr;  ///< Over k, a, s (left) and k_right, b, s_right (right).
  std::function<std::optional<bool>(size_t, size_t)> holds;
};

std::string Text(const OptInt& v) {
  return v ? std::to_string(*v) : "NULL";
}
std::string Text(const OptStr& v) {
  return v ? *v : "NULL";
}

struct Reference {
  const Side& left;
  const Side& right;
  const Condition& condition;

  bool Match(size_t l, size_t r) const {
    if (!left.k[l] || !right.k[r] || *left.k[l] != *right.k[r]) return false;
    std::optional<bool> result = condition.holds(l, r);
    return result.has_value() && *result;
  }
  std::string LeftRow(size_t l) const {
    return Text(left.k[l]) + "|" + Text(left.v[l]) + "|" + Text(left.s[l]);
  }
  std::string RightRow(size_t r) const {
    return Text(right.k[r]) + "|" + Text(right.v[r]) + "|" + Text(right.s[r]);
  }
  static std::string Nulls() { return "NULL|NULL|NULL"; }

  /// Rows in the engine's order (hash_join.h): probe order, then build order.
  Rows Join(JoinType type, bool cross = false) const {
    Rows rows;
    const size_t nl = left.k.size(), nr = right.k.size();
    auto match = [&](size_t l, size_t r) {
      if (!cross) return Match(l, r);
      std::optional<bool> result = condition.holds(l, r);
      return result.has_value() && *result;
    };
    if (type == JoinType::kRight) {
      for (size_t r = 0; r < nr; ++r) {
        bool any = false;
        for (size_t l = 0; l < nl; ++l) {
          if (match(l, r)) {
            rows.push_back(LeftRow(l) + "|" + RightRow(r));
            any = true;
          }
        }
        if (!any) rows.push_back(Nulls() + "|" + RightRow(r));
      }
      return rows;
    }
    std::vector<bool> right_matched(nr, false);
    for (size_t l = 0; l < nl; ++l) {
      bool any = false;
      for (size_t r = 0; r < nr; ++r) {
        if (!match(l, r)) continue;
        any = true;
        right_matched[r] = true;
        if (type != JoinType::kSemi && type != JoinType::kAnti)
          rows.push_back(LeftRow(l) + "|" + RightRow(r));
      }
      if (type == JoinType::kSemi && any) rows.push_back(LeftRow(l));
      if (type == JoinType::kAnti && !any) rows.push_back(LeftRow(l));
      if ((type == JoinType::kLeft || type == JoinType::kFull) && !any)
        rows.push_back(LeftRow(l) + "|" + Nulls());
    }
    if (type == JoinType::kFull) {
      for (size_t r = 0; r < nr; ++r)
        if (!right_matched[r]) rows.push_back(Nulls() + "|" + RightRow(r));
    }
    return rows;
  }
};

struct JoinRun {
  int threads = 3;
  int64_t rows_per_batch = 7;
  int64_t batch_size = 64 * 1024;
};

Rows RunJoin(const Side& left, const Side& right, JoinType type, const Expr& residual,
             const JoinRun& options) {
  std::vector<Expr> left_on, right_on;
  if (type != JoinType::kCross) {
    left_on = {col("k")};
    right_on = {col("k")};
  }
  PlanPtr join = MakeJoin(ScanOf(left.batch.schema), ScanOf(right.batch.schema), type, left_on,
                          right_on, "_right", /*coalesce_keys=*/false, residual);
  ThreadPool threads(options.threads);
  ExecContext context{&threads, MemoryPool::Default(), nullptr, options.batch_size};
  Stream stream = MakeHashJoin(*join, test::StreamOf(left.batch, options.rows_per_batch),
                               test::StreamOf(right.batch, options.rows_per_batch), context);
  EXPECT_EQ(*stream.schema(), *join->schema);
  return test::RunRows(std::move(stream), context);
}

std::vector<Condition> Conditions(const Side& left, const Side& right) {
  auto both = [](const OptInt& a, const OptInt& b, auto op) -> std::optional<bool> {
    if (!a || !b) return std::nullopt;
    return op(*a, *b);
  };
  return {
      {"a_lt_b", col("a") < col("b"),
       [&, both](size_t l, size_t r) { return both(left.v[l], right.v[r], std::less<>()); }},
      {"strings_differ", col("s") != col("s_right"),
       [&](size_t l, size_t r) -> std::optional<bool> {
         if (!left.s[l] || !right.s[r]) return std::nullopt;
         return *left.s[l] != *right.s[r];
       }},
      {"a_plus_b_odd_or_b_null", ((col("a") + col("b")) % 2 == 1) || col("b").is_null(),
       [&](size_t l, size_t r) -> std::optional<bool> {
         const bool b_null = !right.v[r];
         if (b_null) return true;
         if (!left.v[l]) return std::nullopt;  // null OR false
         return (*left.v[l] + *right.v[r]) % 2 == 1;
       }},
      {"right_only_b_gt_4", col("b") > 4,
       [&](size_t, size_t r) -> std::optional<bool> {
         if (!right.v[r]) return std::nullopt;
         return *right.v[r] > 4;
       }},
      {"left_key_and_right_value", col("k") < col("b"),
       [&, both](size_t l, size_t r) { return both(left.k[l], right.v[r], std::less<>()); }},
  };
}

class JoinResidualTest : public ::testing::TestWithParam<JoinType> {};

TEST_P(JoinResidualTest, MatchesNestedLoopReference) {
  const JoinType type = GetParam();
  std::mt19937_64 random(42 + static_cast<int>(type));
  for (int round = 0; round < 4; ++round) {
    Side left = RandomSide(random, 40 + round * 13, "a");
    Side right = RandomSide(random, 35 + round * 7, "b");
    for (const Condition& condition : Conditions(left, right)) {
      Reference reference{left, right, condition};
      const Rows expected = reference.Join(type, type == JoinType::kCross);
      // Default blocks; tiny blocks (the condition runs over many of them); one thread.
      for (JoinRun options : {JoinRun{}, JoinRun{3, 5, 4}, JoinRun{1, 1000, 3}}) {
        EXPECT_EQ(RunJoin(left, right, type, condition.expr, options), expected)
            << JoinTypeName(type) << " " << condition.name << " round " << round << " batch_size "
            << options.batch_size;
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(AllJoinTypes, JoinResidualTest,
                         ::testing::Values(JoinType::kInner, JoinType::kLeft, JoinType::kRight,
                                           JoinType::kFull, JoinType::kSemi, JoinType::kAnti,
                                           JoinType::kCross),
                         [](const auto& info) { return std::string(JoinTypeName(info.param)); });

Side FixedLeft() {
  Side side;
  side.batch = MakeBatch(MakeSchema({{"k", Int64(), true}, {"a", Int64(), true}}),
                         {Int64s({1, 2, 2, std::nullopt}), Int64s({10, 20, std::nullopt, 40})});
  return side;
}
Side FixedRight() {
  Side side;
  side.batch = MakeBatch(MakeSchema({{"k", Int64(), true}, {"b", Int64(), true}}),
                         {Int64s({2, 2, 1, std::nullopt}), Int64s({15, 25, 5, 50})});
  return side;
}

TEST(JoinResidualFixedTest, NullConditionIsNoMatchAndMatchedFlagsFollowKeptPairs) {
  // Left row (2, NULL): a < b is null for both right rows with k = 2, so it matches nothing.
  // Right row (1, 5) matches left (1, 10) by key but fails 10 < 5: a full join lists it as
  // unmatched at the end.
  const Expr residual = col("a") < col("b");
  JoinRun options;
  EXPECT_EQ(RunJoin(FixedLeft(), FixedRight(), JoinType::kFull, residual, options),
            (Rows{"1|10|NULL|NULL", "2|20|2|25", "2|NULL|NULL|NULL", "NULL|40|NULL|NULL",
                  "NULL|NULL|2|15", "NULL|NULL|1|5", "NULL|NULL|NULL|50"}));
  EXPECT_EQ(RunJoin(FixedLeft(), FixedRight(), JoinType::kSemi, residual, options), (Rows{"2|20"}));
  EXPECT_EQ(RunJoin(FixedLeft(), FixedRight(), JoinType::kAnti, residual, options),
            (Rows{"1|10", "2|NULL", "NULL|40"}));
}

TEST(JoinResidualFixedTest, CoalescedKeysStillLetTheConditionReadBothKeys) {
  // With coalesce_keys the output has one k, but the condition names both (k, k_right).
  PlanPtr join = MakeJoin(ScanOf(FixedLeft().batch.schema), ScanOf(FixedRight().batch.schema),
                          JoinType::kLeft, {col("k")}, {col("k")}, "_right",
                          /*coalesce_keys=*/true, col("k_right") * 10 < col("b"));
  ThreadPool threads(2);
  ExecContext context{&threads, MemoryPool::Default(), nullptr, 64 * 1024};
  Stream stream = MakeHashJoin(*join, test::StreamOf(FixedLeft().batch, 2),
                               test::StreamOf(FixedRight().batch, 2), context);
  EXPECT_EQ(test::RunRows(std::move(stream), context),
            (Rows{"1|10|NULL", "2|20|25", "2|NULL|25", "NULL|40|NULL"}));
}

TEST(JoinResidualFixedTest, MakeJoinRejectsConditionsThatAreNotBooleansOverBothSides) {
  PlanPtr left = ScanOf(FixedLeft().batch.schema);
  PlanPtr right = ScanOf(FixedRight().batch.schema);
  try {
    MakeJoin(left, right, JoinType::kInner, {col("k")}, {col("k")}, "_right", false,
             col("a") + col("b"));
    FAIL() << "a non-boolean condition was accepted";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("not a boolean"), std::string::npos) << error.what();
  }
  EXPECT_THROW(MakeJoin(left, right, JoinType::kInner, {col("k")}, {col("k")}, "_right", false,
                        col("nope") > 1),
               Error);
  EXPECT_THROW(MakeJoin(left, right, JoinType::kCross, {}, {}, "_right", false, col("a").sum() > 1),
               Error);
  // A cross join takes one, and so does every other type.
  EXPECT_NO_THROW(
      MakeJoin(left, right, JoinType::kCross, {}, {}, "_right", false, col("a") < col("b")));
  EXPECT_NO_THROW(MakeJoin(left, right, JoinType::kAnti, {col("k")}, {col("k")}, "_right", true,
                           col("a") < col("b")));
}

}  // namespace
}  // namespace sluice::exec
