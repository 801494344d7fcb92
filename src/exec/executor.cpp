// Top-level execution and the LazyFrame methods that run plans.
#include "exec/executor.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <optional>
#include <thread>

#include "core/error.h"
#include "exec/ordered_sinks.h"
#include "exec/partitioned_sink.h"
#include "exec/physical_planner.h"
#include "plan/optimizer.h"

namespace sluice::exec {

namespace {

/// The threads, memory and progress of one run. Reports progress from a side thread while the
/// run is alive.
class RunScope {
 public:
  explicit RunScope(const RunOptions& options) : options_(options) {
    if (options.threads > 0) own_threads_.emplace(options.threads);
    context_.threads = own_threads_ ? &*own_threads_ : &ThreadPool::Default();
    context_.pool = options.pool ? options.pool : MemoryPool::Default();
    context_.progress = &progress_;
    context_.profile = options.profile;
    if (options.progress) reporter_ = std::thread([this] { Report(); });
  }
  ~RunScope() {
    if (reporter_.joinable()) {
      {
        std::lock_guard lock(mutex_);
        stopping_ = true;
      }
      stop_.notify_all();
      reporter_.join();
      options_.progress(progress_.rows_done.load(), progress_.rows_total.load());
    }
  }
  const ExecContext& context() const { return context_; }

 private:
  void Report() {
    std::unique_lock lock(mutex_);
    while (!stop_.wait_for(lock, std::chrono::milliseconds(100), [&] { return stopping_; }))
      options_.progress(progress_.rows_done.load(), progress_.rows_total.load());
  }

  const RunOptions& options_;
  std::optional<ThreadPool> own_threads_;
  ProgressCounters progress_;
  ExecContext context_;
  std::thread reporter_;
  std::mutex mutex_;
  std::condition_variable stop_;
  bool stopping_ = false;
};

/// Counts the rows it is given and keeps none.
class CountingSink final : public Sink {
 public:
  void Consume(Batch batch) override { rows_.fetch_add(batch.num_rows); }
  void Finish() override {}
  int64_t rows() const { return rows_.load(); }

 private:
  std::atomic<int64_t> rows_{0};
};

}  // namespace

DataFrame Collect(const PlanPtr& plan, const RunOptions& options) {
  PlanPtr optimized = Optimize(plan);
  if (options.profile) options.profile->executed = optimized;
  RunScope scope(options);
  Stream stream = BuildPlan(optimized, scope.context());
  CollectSink sink(optimized->schema);
  RunPipeline(std::move(stream), sink, scope.context());
  return DataFrame{optimized->schema, sink.TakeBatches()};
}

int64_t CountRows(const PlanPtr& plan, const RunOptions& options) {
  PlanPtr optimized = Optimize(plan);
  if (options.profile) options.profile->executed = optimized;
  RunScope scope(options);
  Stream stream = BuildPlan(optimized, scope.context());
  CountingSink sink;
  RunPipeline(std::move(stream), sink, scope.context());
  return sink.rows();
}

int64_t RunSink(const PlanPtr& plan, const RunOptions& options) {
  PlanPtr optimized = Optimize(plan);
  SLUICE_CHECK(optimized->kind == PlanKind::kSink);
  if (options.profile) options.profile->executed = optimized;
  RunScope scope(options);
  Stream stream = BuildPlan(optimized->inputs[0], scope.context());
  if (!optimized->target->partition_by.empty()) {
    PartitionedSink sink(*optimized->target, *optimized->schema, scope.context());
    RunPipeline(std::move(stream), sink, scope.context());
    return sink.rows_written();
  }
  FileSink sink(*optimized->target, *optimized->schema, scope.context());
  RunPipeline(std::move(stream), sink, scope.context());
  return sink.rows_written();
}

}  // namespace sluice::exec

namespace sluice {

// Declared in plan/lazy_frame.h; defined here so that plan/ does not depend on exec/.
DataFrame LazyFrame::collect(const RunOptions& options) const {
  return exec::Collect(plan_, options);
}

int64_t LazyFrame::count_rows(const RunOptions& options) const {
  return exec::CountRows(plan_, options);
}

void LazyFrame::sink_parquet(const std::string& path, io::parquet::WriterOptions options,
                             const RunOptions& run) const {
  auto target = std::make_shared<SinkTarget>();
  target->format = SinkTarget::Format::kParquet;
  target->path = path;
  target->parquet = std::move(options);
  exec::RunSink(MakeSink(plan_, target), run);
}

int64_t LazyFrame::sink(SinkTarget target, const RunOptions& run) const {
  return exec::RunSink(MakeSink(plan_, std::make_shared<const SinkTarget>(std::move(target))), run);
}

void LazyFrame::sink_csv(const std::string& path, io::csv::CsvWriteOptions options,
                         const RunOptions& run) const {
  auto target = std::make_shared<SinkTarget>();
  target->format = SinkTarget::Format::kCsv;
  target->path = path;
  target->csv = std::move(options);
  exec::RunSink(MakeSink(plan_, target), run);
}

}  // namespace sluice
