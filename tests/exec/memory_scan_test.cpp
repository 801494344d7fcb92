// Scans of rows in memory (MakeMemoryScan, for CREATE TABLE AS and VALUES): every row in order
// whatever the thread count, big batches cut into morsels, and projections and filters pushed
// into the scan by the optimizer still applied.
#include <gtest/gtest.h>

#include "core/data_frame.h"
#include "exec/join_sort_test_util.h"
#include "exec/scan.h"
#include "plan/lazy_frame.h"

namespace sluice::exec {
namespace {

using test::Int64s;
using test::MakeBatch;
using test::MakeSchema;
using test::Strings;

std::shared_ptr<const DataFrame> Numbers(int64_t first_batch_rows, int64_t second_batch_rows) {
  auto frame = std::make_shared<DataFrame>();
  frame->schema = MakeSchema({{"n", Int64(), true}, {"s", Utf8(), true}, {"m", Int64(), true}});
  int64_t next = 0;
  for (int64_t rows : {first_batch_rows, int64_t{0}, second_batch_rows}) {
    std::vector<std::optional<int64_t>> n, m;
    std::vector<std::optional<std::string>> s;
    for (int64_t i = 0; i < rows; ++i, ++next) {
      n.push_back(next);
      m.push_back(next % 5 == 0 ? std::nullopt : std::optional<int64_t>(next % 3));
      s.push_back("s" + std::to_string(next));
    }
    frame->batches.push_back(MakeBatch(frame->schema, {Int64s(n), Strings(s), Int64s(m)}));
  }
  return frame;
}

TEST(MemoryScanTest, EmitsEveryRowInOrderInMorsels) {
  auto data = Numbers(1000, 7);
  PlanPtr scan = MakeMemoryScan(data);
  EXPECT_EQ(*scan->schema, *data->schema);
  ThreadPool threads(3);
  ExecContext context{&threads, MemoryPool::Default(), nullptr, /*batch_size=*/64};
  Stream stream = MakeScanStream(*scan, context);
  std::vector<Batch> batches = test::Drain(*stream.source);
  // 1000 rows in morsels of 64 (16 of them), the empty batch skipped, then the small batch whole.
  ASSERT_EQ(batches.size(), 17u);
  for (size_t i = 0; i < batches.size(); ++i) {
    EXPECT_EQ(batches[i].seq, i);
    EXPECT_LE(batches[i].num_rows, 64);
  }
  std::vector<std::string> rows = test::Rows(batches);
  ASSERT_EQ(rows.size(), 1007u);
  EXPECT_EQ(rows.front(), "0|s0|NULL");
  EXPECT_EQ(rows.back(), "1006|s1006|1");
}

TEST(MemoryScanTest, CollectAppliesFiltersAndProjections) {
  auto data = Numbers(300, 20);
  LazyFrame frame(MakeMemoryScan(data));
  LazyFrame query = frame.filter(col("m") == 1 && col("n") > 290).select({col("s")});
  // The optimizer pushes the filter into the scan and reads only the columns it needs.
  EXPECT_NE(query.explain().find("Scan memory (320 rows) columns=[s] filters="), std::string::npos)
      << query.explain();
  for (int threads : {1, 4}) {
    RunOptions options;
    options.threads = threads;
    DataFrame result = query.collect(options);
    EXPECT_EQ(
        test::Rows(result.batches),
        (std::vector<std::string>{"s292", "s298", "s301", "s304", "s307", "s313", "s316", "s319"}))
        << threads;
  }
  EXPECT_EQ(frame.collect().num_rows(), 320);
}

}  // namespace
}  // namespace sluice::exec
