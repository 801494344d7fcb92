// Worker threads, a task queue, and a caller-participating parallel for.
#include "core/thread_pool.h"

#include <atomic>
#include <cstdlib>
#include <exception>
#include <memory>

namespace sluice {

namespace {
int g_default_threads = 0;

int ResolveThreads(int threads) {
  if (threads > 0) return threads;
  if (const char* env = std::getenv("SLUICE_THREADS")) {
    int from_env = std::atoi(env);
    if (from_env > 0) return from_env;
  }
  unsigned hardware = std::thread::hardware_concurrency();
  return hardware > 0 ? static_cast<int>(hardware) : 1;
}
}  // namespace

ThreadPool::ThreadPool(int threads) {
  int count = ResolveThreads(threads);
  workers_.reserve(static_cast<size_t>(count));
  for (int i = 0; i < count; ++i) workers_.emplace_back([this] { WorkerLoop(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& worker : workers_) worker.join();
}

void ThreadPool::Submit(std::function<void()> task) {
  {
    std::lock_guard lock(mutex_);
    tasks_.push_back(std::move(task));
  }
  wake_.notify_one();
}

void ThreadPool::WorkerLoop() {
  while (true) {
    std::function<void()> task;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
      if (tasks_.empty()) return;  // stopping_ and drained
      task = std::move(tasks_.front());
      tasks_.pop_front();
    }
    task();
  }
}

void ThreadPool::ParallelFor(int64_t count, const std::function<void(int64_t)>& body) {
  if (count <= 0) return;
  if (count == 1 || workers_.empty()) {
    for (int64_t i = 0; i < count; ++i) body(i);
    return;
  }
  // Shared by the caller and helper tasks. Helpers that start after all work was claimed just
  // return; the caller waits only for claimed indices, so it never waits on a queued task.
  struct State {
    std::atomic<int64_t> next{0};
    std::atomic<bool> failed{false};
    int64_t finished = 0;
    std::exception_ptr error;
    std::mutex mutex;
    std::condition_variable done;
  };
  auto state = std::make_shared<State>();
  auto run = [state, count, &body]() {
    while (true) {
      int64_t i = state->next.fetch_add(1);
      if (i >= count) return;
      if (!state->failed.load()) {
        try {
          body(i);
        } catch (...) {
          std::lock_guard lock(state->mutex);
          if (!state->error) state->error = std::current_exception();
          state->failed = true;
        }
      }
      std::lock_guard lock(state->mutex);
      if (++state->finished == count) state->done.notify_all();
    }
  };
  int64_t helpers = std::min<int64_t>(count - 1, static_cast<int64_t>(workers_.size()));
  // The helpers capture `body` by reference: safe because the caller does not return before
  // every claimed index has finished, and unclaimed helpers never touch `body`.
  for (int64_t h = 0; h < helpers; ++h) Submit(run);
  run();
  std::unique_lock lock(state->mutex);
  state->done.wait(lock, [&] { return state->finished == count; });
  if (state->error) std::rethrow_exception(state->error);
}

ThreadPool& ThreadPool::Default() {
  static ThreadPool pool(g_default_threads);
  return pool;
}

void ThreadPool::SetDefaultThreads(int threads) {
  g_default_threads = threads;
}

}  // namespace sluice
