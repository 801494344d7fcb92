// Threads that help a spill. Not the pipeline's: a spill runs while the memory pool's lock is
// held, and the pipeline's workers soon wait for that lock (for memory), so tasks queued for
// them would run only after the spill. Made on the first spill, one fewer than the pipeline has
// (the spilling thread works too) and at most kMaxHelpers: what a spill writes at once is held
// beyond the budget (an aggregation's partition is serialized, laid out and compressed, about
// three times its size), so spills may not widen with the core count. With a one-thread
// pipeline the spill runs alone.
#pragma once

#include <algorithm>
#include <memory>
#include <mutex>

#include "core/thread_pool.h"

namespace sluice::exec {

class SpillThreads {
 public:
  static constexpr int kMaxHelpers = 3;

  explicit SpillThreads(ThreadPool* pipeline) : pipeline_(pipeline) {}

  /// The threads to run a spill's parallel work on. Work given to them must set a
  /// SpillingScope (core/memory_pool.h): what they reserve is granted like the spiller's own.
  ThreadPool* get() {
    if (pipeline_->size() <= 1) return pipeline_;
    std::lock_guard lock(mutex_);
    if (own_ == nullptr)
      own_ = std::make_unique<ThreadPool>(std::min(pipeline_->size() - 1, kMaxHelpers));
    return own_.get();
  }

 private:
  ThreadPool* pipeline_;
  std::mutex mutex_;
  std::unique_ptr<ThreadPool> own_;
};

}  // namespace sluice::exec
