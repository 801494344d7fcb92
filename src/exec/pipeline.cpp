// The pipeline driver: pulls from the source on the calling thread and pushes each batch through
// the operators into the sink on a worker, with a bounded number of batches in flight — and, under
// a memory limit, a bounded number of bytes: wide rows in big batches would otherwise make the
// batches in flight alone a large fixed share of a small budget.
#include "exec/pipeline.h"

#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>

#include "exec/profile.h"

namespace sluice::exec {

namespace {

/// Coordinates the driver and the workers of one pipeline run.
class InFlight {
 public:
  InFlight(int limit, int64_t limit_bytes) : limit_(limit), limit_bytes_(limit_bytes) {}

  /// Waits for room for one more batch of `bytes` (one batch always has room, and a backlogged
  /// sink waits only while a batch is in flight to clear it); false when the run failed
  /// meanwhile.
  bool Acquire(int64_t bytes, const Sink& sink) {
    std::unique_lock lock(mutex_);
    while (!error_ && in_flight_ > 0) {
      if (in_flight_ >= limit_ || bytes_ + bytes > limit_bytes_) {
        changed_.wait(lock);
      } else if (sink.Backlogged()) {
        // A backlog can clear with no batch finishing (an ordered sink's writer works through it
        // inside one batch's task), so look again shortly rather than wait for a release.
        changed_.wait_for(lock, std::chrono::milliseconds(1));
      } else {
        break;
      }
    }
    if (error_) return false;
    ++in_flight_;
    bytes_ += bytes;
    return true;
  }
  void Release(int64_t bytes) {
    std::lock_guard lock(mutex_);
    --in_flight_;
    bytes_ -= bytes;
    changed_.notify_all();
  }
  void Fail(std::exception_ptr error) {
    std::lock_guard lock(mutex_);
    if (!error_) error_ = error;
    changed_.notify_all();
  }
  bool failed() {
    std::lock_guard lock(mutex_);
    return error_ != nullptr;
  }
  /// Waits until every batch in flight is done; rethrows the first failure.
  void Drain() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return in_flight_ == 0; });
    if (error_) std::rethrow_exception(error_);
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  int in_flight_ = 0;
  int64_t bytes_ = 0;  ///< Of the batches in flight, as the source gave them.
  int limit_;
  int64_t limit_bytes_;
  std::exception_ptr error_;
};

void Push(Batch batch, const OperatorChain& ops, Sink& sink) {
  for (const auto& op : ops) batch = op->Process(std::move(batch));
  sink.Consume(std::move(batch));
}

}  // namespace

void RunPipeline(Stream stream, Sink& sink, const ExecContext& context) {
  ThreadPool& pool = context.threads ? *context.threads : ThreadPool::Default();
  // Batches in flight may take an eighth of the memory budget.
  const MemoryPool* memory = context.pool != nullptr ? context.pool : MemoryPool::Default();
  InFlight in_flight(2 * pool.size() + 1, memory->limit() / 8);
  const OperatorChain& ops = stream.ops;
  while (!sink.Done()) {
    Batch batch;
    try {
      if (!stream.source->Next(&batch)) break;
    } catch (...) {
      in_flight.Fail(std::current_exception());
      break;
    }
    const int64_t bytes = BatchBytes(batch);
    if (!in_flight.Acquire(bytes, sink)) break;
    pool.Submit([&, bytes, batch = std::move(batch)]() mutable {
      try {
        Push(std::move(batch), ops, sink);
      } catch (...) {
        in_flight.Fail(std::current_exception());
      }
      in_flight.Release(bytes);
    });
  }
  in_flight.Drain();
  // The source is spent: let go of what it holds (a Parquet scan's last column chunks) before
  // the sink's Finish, which for a breaker is where the work and the memory are.
  stream.source.reset();
  sink.Finish();
}

namespace {

class StreamSource final : public Source {
 public:
  explicit StreamSource(Stream stream) : stream_(std::move(stream)) {}
  const SchemaPtr& schema() const override { return stream_.schema(); }
  bool Next(Batch* out) override {
    Batch batch;
    if (!stream_.source->Next(&batch)) return false;
    for (const auto& op : stream_.ops) batch = op->Process(std::move(batch));
    *out = std::move(batch);
    return true;
  }

 private:
  Stream stream_;
};

class BatchSource final : public Source {
 public:
  BatchSource(SchemaPtr schema, std::vector<Batch> batches)
      : schema_(std::move(schema)), batches_(std::move(batches)) {}
  const SchemaPtr& schema() const override { return schema_; }
  bool Next(Batch* out) override {
    if (next_ >= batches_.size()) return false;
    *out = std::move(batches_[next_]);
    out->seq = next_++;
    out->schema = schema_;
    return true;
  }

 private:
  SchemaPtr schema_;
  std::vector<Batch> batches_;
  size_t next_ = 0;
};

}  // namespace

std::unique_ptr<Source> StreamAsSource(Stream stream) {
  if (stream.ops.empty()) return std::move(stream.source);
  return std::make_unique<StreamSource>(std::move(stream));
}

std::unique_ptr<Source> MakeBatchSource(SchemaPtr schema, std::vector<Batch> batches) {
  return std::make_unique<BatchSource>(std::move(schema), std::move(batches));
}

}  // namespace sluice::exec
