// Waiting batches that spill in runs and come back in order.
#include "exec/batch_queue.h"

namespace sluice::exec {

int64_t SpillQueuedRuns(std::deque<QueuedBatch>* queue, const char* purpose,
                        SpillCounters* counters) {
  int64_t freed = 0;
  std::deque<QueuedBatch> kept;
  std::shared_ptr<SpillFile> run;
  auto end_run = [&] {
    if (run == nullptr) return;
    run->Finish();
    kept.push_back({Batch(), std::move(run)});
    run = nullptr;
  };
  for (QueuedBatch& entry : *queue) {
    if (entry.file != nullptr) {
      end_run();
      kept.push_back(std::move(entry));
      continue;
    }
    if (run == nullptr) run = std::make_shared<SpillFile>(purpose, size_t{1} << 20, counters);
    run->Append(entry.batch);
    freed += BatchBytes(entry.batch);
  }
  end_run();
  *queue = std::move(kept);
  return freed;
}

SpillableBatchQueue::SpillableBatchQueue(SchemaPtr schema, const char* purpose,
                                         const ExecContext& context)
    : schema_(std::move(schema)),
      purpose_(purpose),
      pool_(context.pool != nullptr ? context.pool : MemoryPool::Default()),
      counters_(context.counters) {
  pool_->AddConsumer(this);
}

SpillableBatchQueue::~SpillableBatchQueue() {
  pool_->RemoveConsumer(this);
}

void SpillableBatchQueue::Push(Batch batch) {
  std::lock_guard lock(mutex_);
  in_memory_ += BatchBytes(batch);
  queue_.push_back({std::move(batch), nullptr});
}

bool SpillableBatchQueue::Pop(Batch* batch) {
  while (true) {
    if (reading_ != nullptr) {
      if (reading_->Next(batch)) {
        batch->schema = schema_;
        return true;
      }
      reading_.reset();
    }
    QueuedBatch entry;
    {
      std::lock_guard lock(mutex_);
      if (queue_.empty()) return false;
      entry = std::move(queue_.front());
      queue_.pop_front();
      if (entry.file == nullptr) in_memory_ -= BatchBytes(entry.batch);
    }
    if (entry.file == nullptr) {
      *batch = std::move(entry.batch);
      return true;
    }
    reading_ = std::make_unique<SpillReader>(std::move(entry.file), schema_, pool_);
  }
}

// Called by the pool on any thread, also from inside Push's or Pop's caller reserving memory:
// neither holds the mutex then.
int64_t SpillableBatchQueue::Spill() {
  std::lock_guard lock(mutex_);
  const int64_t freed = SpillQueuedRuns(&queue_, purpose_, counters_);
  in_memory_ -= freed;
  return freed;
}

}  // namespace sluice::exec
