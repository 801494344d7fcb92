// A fixed pool of worker threads (default: one per core, `--threads N`). Work is submitted as
// tasks; ParallelFor lets the calling thread take part, so nested use can never deadlock.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace sluice {

class ThreadPool {
 public:
  /// Starts `threads` workers; 0 means one per hardware thread.
  explicit ThreadPool(int threads = 0);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int size() const { return static_cast<int>(workers_.size()); }

  /// Queues a task. Tasks must not throw; use ParallelFor for work that can fail.
  void Submit(std::function<void()> task);

  /// Runs body(i) for i in [0, count) on the workers and the calling thread, and returns when all
  /// are done. The first exception thrown by any body is rethrown here; later indices that have
  /// not started are skipped.
  void ParallelFor(int64_t count, const std::function<void(int64_t)>& body);

  /// The process-wide pool, sized by SetDefaultThreads or SLUICE_THREADS or the core count.
  static ThreadPool& Default();
  /// Sets the size of the default pool; must be called before its first use.
  static void SetDefaultThreads(int threads);

 private:
  void WorkerLoop();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> tasks_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace sluice
