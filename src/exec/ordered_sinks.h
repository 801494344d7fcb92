// Sinks that restore input order from batch seq numbers: the result collector, file writers and
// limits. Each holds out-of-order batches only until the ones before them arrive, so memory
// stays bounded by the batches in flight.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "exec/pipeline.h"
#include "plan/logical_plan.h"

namespace sluice::exec {

/// Collects every non-empty batch in seq order.
class CollectSink final : public BreakerSink {
 public:
  explicit CollectSink(SchemaPtr schema) : schema_(std::move(schema)) {}
  void Consume(Batch batch) override;
  void Finish() override;
  std::unique_ptr<Source> TakeResult() override;
  /// The batches in order (after Finish).
  std::vector<Batch> TakeBatches() { return std::move(ordered_); }

 private:
  SchemaPtr schema_;
  std::mutex mutex_;
  std::vector<Batch> received_;
  std::vector<Batch> ordered_;
};

/// Calls `write` with every batch in seq order, from whichever worker completes the sequence;
/// never two at once.
class OrderedSink : public Sink {
 public:
  explicit OrderedSink(std::function<void(Batch)> write) : write_(std::move(write)) {}
  void Consume(Batch batch) override;
  /// True while the writer is busy and more than kMaxBacklog batches wait for it: the driver
  /// stops reading, so the backlog cannot grow with the input when writing is the slower side.
  /// Workers are not held waiting for the writer (as they once were): the writer's own parallel
  /// work (a Parquet row group's columns) needs them free.
  bool Backlogged() const override;
  void Finish() override;

 private:
  static constexpr size_t kMaxBacklog = 8;

  std::function<void(Batch)> write_;
  mutable std::mutex mutex_;
  std::map<uint64_t, Batch> pending_;
  uint64_t next_seq_ = 0;
  bool writing_ = false;
};

/// Rows [offset, offset + count) of the input in seq order; Done() once they are known.
std::unique_ptr<BreakerSink> MakeLimitSink(SchemaPtr schema, int64_t offset, int64_t count);

/// Writes a Parquet or CSV file (atomically) from batches in seq order.
class FileSink final : public Sink {
 public:
  FileSink(const SinkTarget& target, const Schema& schema, const ExecContext& context);
  ~FileSink() override;
  void Consume(Batch batch) override { ordered_->Consume(std::move(batch)); }
  bool Backlogged() const override { return ordered_->Backlogged(); }
  void Finish() override;
  int64_t rows_written() const { return rows_written_; }

 private:
  struct Writer;
  std::unique_ptr<Writer> writer_;
  std::unique_ptr<OrderedSink> ordered_;
  int64_t rows_written_ = 0;
};

}  // namespace sluice::exec
