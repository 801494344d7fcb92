// The pipeline driver and the order-restoring sinks: every batch reaches the sink once, order is
// restored from seq whatever the thread count, errors stop the run and surface, limits stop early.
#include "exec/pipeline.h"

#include <gtest/gtest.h>

#include <atomic>
#include <random>
#include <thread>

#include "core/column_builder.h"
#include "core/error.h"
#include "exec/ordered_sinks.h"

namespace sluice::exec {
namespace {

SchemaPtr IntSchema() {
  return std::make_shared<Schema>(std::vector<Field>{{"x", Int64(), true}});
}

/// Batches of `per_batch` consecutive integers starting at 0.
std::vector<Batch> Counting(int batches, int per_batch) {
  std::vector<Batch> out;
  int64_t next = 0;
  for (int b = 0; b < batches; ++b) {
    ColumnBuilder builder(Int64());
    for (int i = 0; i < per_batch; ++i) builder.Append<int64_t>(next++);
    Batch batch;
    batch.schema = IntSchema();
    batch.num_rows = per_batch;
    batch.columns.push_back(builder.Finish());
    out.push_back(std::move(batch));
  }
  return out;
}

/// Sleeps a random while so batches finish out of order.
class JitterOperator final : public Operator {
 public:
  explicit JitterOperator(SchemaPtr schema) : schema_(std::move(schema)) {}
  const SchemaPtr& schema() const override { return schema_; }
  Batch Process(Batch input) override {
    std::this_thread::sleep_for(std::chrono::microseconds((input.seq * 7919) % 500));
    return input;
  }

 private:
  SchemaPtr schema_;
};

class FailingOperator final : public Operator {
 public:
  explicit FailingOperator(SchemaPtr schema) : schema_(std::move(schema)) {}
  const SchemaPtr& schema() const override { return schema_; }
  Batch Process(Batch input) override {
    if (input.seq == 5) ThrowInvalid("batch 5 is bad");
    return input;
  }

 private:
  SchemaPtr schema_;
};

std::vector<int64_t> Values(const std::vector<Batch>& batches) {
  std::vector<int64_t> out;
  for (const Batch& batch : batches)
    for (int64_t i = 0; i < batch.num_rows; ++i)
      out.push_back(batch.columns[0].Values<int64_t>()[i]);
  return out;
}

TEST(PipelineTest, CollectsEveryBatchInOrderForAnyThreadCount) {
  for (int threads : {1, 2, 8}) {
    ThreadPool pool(threads);
    ExecContext context{&pool, MemoryPool::Default(), nullptr};
    Stream stream{MakeBatchSource(IntSchema(), Counting(40, 10)),
                  {std::make_shared<JitterOperator>(IntSchema())}};
    CollectSink sink(IntSchema());
    RunPipeline(std::move(stream), sink, context);
    std::vector<int64_t> values = Values(sink.TakeBatches());
    ASSERT_EQ(values.size(), 400u) << threads;
    for (int64_t i = 0; i < 400; ++i) ASSERT_EQ(values[i], i) << threads;
  }
}

/// Holds batch 0 back until `release` is set or half a second passes (a stalled thread).
class StallFirstOperator final : public Operator {
 public:
  StallFirstOperator(SchemaPtr schema, const std::atomic<bool>* release)
      : schema_(std::move(schema)), release_(release) {}
  const SchemaPtr& schema() const override { return schema_; }
  Batch Process(Batch input) override {
    for (int waited = 0; input.seq == 0 && !*release_ && waited < 500; ++waited)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return input;
  }

 private:
  SchemaPtr schema_;
  const std::atomic<bool>* release_;
};

/// Counts the batches that arrive before batch 0 (an ordered merge would hold them) and says it
/// is backlogged from `backlog` of them on.
class WaitingSink final : public Sink {
 public:
  WaitingSink(int backlog, std::atomic<bool>* release) : backlog_(backlog), release_(release) {}
  void Consume(Batch batch) override {
    if (batch.seq == 0) {
      first_seen_ = true;
    } else if (!first_seen_) {
      const int now = ++waiting_;
      if (now > most_waiting_) most_waiting_ = now;
      if (now >= 40) *release_ = true;  // Reached only when the driver ignores the backlog.
    }
  }
  bool Backlogged() const override { return !first_seen_ && waiting_ >= backlog_; }
  void Finish() override {}
  int most_waiting() const { return most_waiting_; }

 private:
  const int backlog_;
  std::atomic<bool>* release_;
  std::atomic<bool> first_seen_{false};
  std::atomic<int> waiting_{0};
  std::atomic<int> most_waiting_{0};
};

TEST(PipelineTest, ABackloggedSinkGetsNoMoreBatchesUntilTheStalledOneArrives) {
  ThreadPool pool(2);
  ExecContext context{&pool, MemoryPool::Default(), nullptr};
  std::atomic<bool> release{false};
  Stream stream{MakeBatchSource(IntSchema(), Counting(100, 10)),
                {std::make_shared<StallFirstOperator>(IntSchema(), &release)}};
  WaitingSink sink(/*backlog=*/4, &release);
  RunPipeline(std::move(stream), sink, context);
  // Once backlogged, at most the batches already in flight arrive: the driver lets 2 x 2 + 1
  // be, one of them the stalled batch and one the batch that made the backlog. (Without the
  // backlog, the sink sees 40.)
  constexpr int kInFlight = 2 * 2 + 1;
  EXPECT_GE(sink.most_waiting(), 4);
  EXPECT_LE(sink.most_waiting(), 4 + kInFlight - 2);
}

TEST(PipelineTest, AnOperatorErrorStopsTheRunAndSurfaces) {
  ThreadPool pool(4);
  ExecContext context{&pool, MemoryPool::Default(), nullptr};
  Stream stream{MakeBatchSource(IntSchema(), Counting(100, 10)),
                {std::make_shared<FailingOperator>(IntSchema())}};
  CollectSink sink(IntSchema());
  try {
    RunPipeline(std::move(stream), sink, context);
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_STREQ(error.what(), "batch 5 is bad");
  }
}

TEST(PipelineTest, OrderedSinkWritesInSeqOrderOneAtATime) {
  ThreadPool pool(8);
  ExecContext context{&pool, MemoryPool::Default(), nullptr};
  std::vector<uint64_t> seen;
  std::atomic<int> concurrent{0};
  bool overlapped = false;
  OrderedSink sink([&](Batch batch) {
    if (++concurrent > 1) overlapped = true;
    seen.push_back(batch.seq);
    --concurrent;
  });
  Stream stream{MakeBatchSource(IntSchema(), Counting(200, 1)),
                {std::make_shared<JitterOperator>(IntSchema())}};
  RunPipeline(std::move(stream), sink, context);
  ASSERT_EQ(seen.size(), 200u);
  for (uint64_t i = 0; i < 200; ++i) EXPECT_EQ(seen[i], i);
  EXPECT_FALSE(overlapped);
}

TEST(PipelineTest, LimitTakesRowsInOrderAndStopsEarly) {
  ThreadPool pool(4);
  ExecContext context{&pool, MemoryPool::Default(), nullptr};
  auto sink = MakeLimitSink(IntSchema(), 15, 23);
  Stream stream{MakeBatchSource(IntSchema(), Counting(1000, 10)),
                {std::make_shared<JitterOperator>(IntSchema())}};
  RunPipeline(std::move(stream), *sink, context);
  std::unique_ptr<Source> result = sink->TakeResult();
  std::vector<Batch> batches;
  Batch batch;
  while (result->Next(&batch)) batches.push_back(batch);
  std::vector<int64_t> values = Values(batches);
  ASSERT_EQ(values.size(), 23u);
  for (int64_t i = 0; i < 23; ++i) EXPECT_EQ(values[i], 15 + i);
}

TEST(PipelineTest, LimitOfZeroRowsAndOffsetPastTheEnd) {
  ThreadPool pool(2);
  ExecContext context{&pool, MemoryPool::Default(), nullptr};
  for (auto [offset, count] : {std::pair<int64_t, int64_t>{0, 0}, {500, 10}, {95, -1}}) {
    auto sink = MakeLimitSink(IntSchema(), offset, count);
    RunPipeline(Stream{MakeBatchSource(IntSchema(), Counting(10, 10)), {}}, *sink, context);
    std::unique_ptr<Source> result = sink->TakeResult();
    std::vector<Batch> batches;
    Batch batch;
    while (result->Next(&batch)) batches.push_back(batch);
    int64_t expected = count < 0 ? std::max<int64_t>(0, 100 - offset)
                                 : std::min<int64_t>(count, std::max<int64_t>(0, 100 - offset));
    EXPECT_EQ(static_cast<int64_t>(Values(batches).size()), expected) << offset << " " << count;
  }
}

}  // namespace
}  // namespace sluice::exec
