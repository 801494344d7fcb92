// The external sort: under a memory budget far below its input the sort sink spills sorted runs
// and merges them from disk, giving exactly the rows, in exactly the order, of the in-memory
// sort — with fixed-width and string keys, ties, nulls, descending keys, merges in passes, and
// any thread count. Top-k never spills.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <random>

#include "exec/join_sort_test_util.h"
#include "exec/sort.h"
#include "io/fs/spill_directory.h"

namespace sluice::exec {
namespace {

using Rows = std::vector<std::string>;

/// 100K rows: a key with many ties and nulls, a string key, a payload and the row's id.
Batch MakeInput(int64_t rows, uint32_t seed) {
  std::mt19937_64 random(seed);
  std::vector<std::optional<int64_t>> keys, ids;
  std::vector<std::optional<std::string>> names, payloads;
  for (int64_t i = 0; i < rows; ++i) {
    const uint64_t r = random();
    keys.push_back(r % 97 == 0 ? std::nullopt : std::optional<int64_t>(int64_t(r % 5000) - 2500));
    names.push_back("name-" + std::to_string((r >> 20) % 20000));
    payloads.push_back(std::string(static_cast<size_t>((r >> 40) % 40), 'x'));
    ids.push_back(i);
  }
  return test::MakeBatch(
      test::MakeSchema({{"k", Int64()}, {"name", Utf8()}, {"payload", Utf8()}, {"id", Int64()}}),
      {test::Int64s(keys), test::Strings(names), test::Strings(payloads), test::Int64s(ids)});
}

struct Outcome {
  Rows rows;
  int64_t spills = 0;
  int64_t peak = 0;
};

Outcome SortWith(const Batch& input, const std::vector<SortKey>& keys, int64_t limit_bytes,
                 int threads = 2, std::optional<int64_t> limit = {}) {
  ThreadPool pool_threads(threads);
  MemoryPool pool(limit_bytes);
  Outcome outcome;
  {
    ExecContext context{&pool_threads, &pool, nullptr, 4096};
    auto sink = MakeSortSink(*input.schema, keys, limit, context);
    RunPipeline(test::StreamOf(input, 1000), *sink, context);
    std::unique_ptr<Source> result = sink->TakeResult();
    sink.reset();
    // Rows are rendered batch by batch: holding the whole output would not fit the budget.
    Batch batch;
    while (result->Next(&batch)) {
      Rows rows = test::Rows({batch});
      outcome.rows.insert(outcome.rows.end(), rows.begin(), rows.end());
    }
    batch = Batch();
  }
  outcome.spills = pool.spill_count();
  outcome.peak = pool.peak();
  EXPECT_EQ(pool.used(), 0) << "memory still accounted after the sort ended";
  return outcome;
}

SortKey Key(const std::string& name, bool descending = false) {
  return SortKey{col(name), descending, std::nullopt};
}

TEST(SortSpillTest, FixedWidthKeySpillsAndMatchesInMemory) {
  const Batch input = MakeInput(200000, 1);
  const std::vector<SortKey> keys = {Key("k")};
  const Outcome memory = SortWith(input, keys, MemoryPool::kUnlimited);
  const Outcome spilled = SortWith(input, keys, 4 << 20);
  EXPECT_EQ(memory.spills, 0);
  EXPECT_GT(spilled.spills, 3);
  EXPECT_EQ(spilled.rows, memory.rows);
  // Beyond the budget only by what writing a spill block takes.
  EXPECT_LE(spilled.peak, (4 << 20) + (1 << 20)) << spilled.peak;
}

TEST(SortSpillTest, StringAndDescendingKeysSpillAndMatchInMemory) {
  const Batch input = MakeInput(200000, 2);
  const std::vector<SortKey> keys = {Key("name", true), Key("k")};
  const Outcome memory = SortWith(input, keys, MemoryPool::kUnlimited);
  const Outcome spilled = SortWith(input, keys, 4 << 20);
  EXPECT_GT(spilled.spills, 3);
  EXPECT_EQ(spilled.rows, memory.rows);
}

TEST(SortSpillTest, ManySpillsMergeInPassesAndAnyThreadCountGivesTheSameRows) {
  const Batch input = MakeInput(300000, 3);
  const std::vector<SortKey> keys = {Key("k", true), Key("name")};
  const Outcome memory = SortWith(input, keys, MemoryPool::kUnlimited, 1);
  // A budget this small has room for a merge of 3 files only (a quarter of it for blocks of
  // about 300 KB) and spills every few batches: the files are merged in passes.
  for (int threads : {1, 3}) {
    const Outcome spilled = SortWith(input, keys, 4 << 20, threads);
    EXPECT_GT(spilled.spills, 6);
    EXPECT_EQ(spilled.rows, memory.rows) << threads << " threads";
  }
}

TEST(SortSpillTest, TopKNeverSpills) {
  const Batch input = MakeInput(100000, 4);
  const Outcome top = SortWith(input, {Key("k")}, 2 << 20, 2, 100);
  EXPECT_EQ(top.spills, 0);
  EXPECT_EQ(top.rows.size(), 100u);
  const Outcome memory = SortWith(input, {Key("k")}, MemoryPool::kUnlimited);
  EXPECT_EQ(top.rows, Rows(memory.rows.begin(), memory.rows.begin() + 100));
}

TEST(SortSpillTest, SpillFilesAreRemovedWhenTheResultIsDone) {
  const Batch input = MakeInput(100000, 5);
  EXPECT_GT(SortWith(input, {Key("name")}, 2 << 20).spills, 0);
  // Only this process's folder: other tests may be spilling at the same time.
  const std::string base = io::SpillDirectory::Get().base();
  const std::string own = "sluice-spill-" + std::to_string(::getpid()) + "-";
  int64_t files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(base)) {
    const std::string path = entry.path().string();
    files += path.find(own) != std::string::npos && entry.path().extension() == ".spill";
  }
  EXPECT_EQ(files, 0);
}

}  // namespace
}  // namespace sluice::exec
