// Batches waiting in order, in memory or on disk: under memory pressure each run of batches held
// in memory becomes one spill file, in its place, and reading gives them back in the same order.
// A partitioned write keeps each partition's rows here until they make a whole row group; a
// window without PARTITION BY keeps here the columns it does not compute on.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>

#include "core/batch.h"
#include "core/memory_pool.h"
#include "exec/pipeline.h"
#include "exec/spill_file.h"

namespace sluice::exec {

/// A waiting batch in memory, or (file set) a run of them spilled to a file.
struct QueuedBatch {
  Batch batch;
  std::shared_ptr<SpillFile> file;
};

/// Turns each run of in-memory batches of `queue` into one spill file named for `purpose`, in
/// its place; returns the bytes of the batches it freed.
int64_t SpillQueuedRuns(std::deque<QueuedBatch>* queue, const char* purpose,
                        SpillCounters* counters);

/// A queue of batches of one schema that spills as a consumer of the context's memory pool.
/// Push and Pop come from one thread at a time; Spill from any thread, at any time.
class SpillableBatchQueue final : public SpillableConsumer {
 public:
  SpillableBatchQueue(SchemaPtr schema, const char* purpose, const ExecContext& context);
  ~SpillableBatchQueue() override;
  SpillableBatchQueue(const SpillableBatchQueue&) = delete;
  SpillableBatchQueue& operator=(const SpillableBatchQueue&) = delete;

  void Push(Batch batch);
  /// The batch at the front, read back if it was spilled; false when the queue is empty.
  bool Pop(Batch* batch);

  int64_t SpillableBytes() const override { return in_memory_.load(); }
  int64_t Spill() override;

 private:
  SchemaPtr schema_;
  const char* purpose_;
  MemoryPool* pool_;
  SpillCounters* counters_;
  std::mutex mutex_;  ///< Guards queue_; never held while reserving memory.
  std::deque<QueuedBatch> queue_;
  std::atomic<int64_t> in_memory_{0};     ///< Bytes of the batches in memory in queue_.
  std::unique_ptr<SpillReader> reading_;  ///< The spilled run Pop is in, if any.
};

}  // namespace sluice::exec
