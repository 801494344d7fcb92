// The window sink: batches are kept as they arrive (the pool accounts their buffers), put back
// in input order at Finish, and each group of window expressions sharing a PARTITION BY / ORDER
// BY sorts the rows once (window_order.h) for all its functions.
#include "exec/window.h"

#include <algorithm>
#include <map>
#include <mutex>

#include "core/error.h"
#include "exec/profile.h"
#include "exec/row_gather.h"
#include "exec/window_functions.h"
#include "expr/bound_expr.h"
#include "expr/evaluate.h"
#include "plan/window_plan.h"

namespace sluice::exec {
namespace {

class WindowSink final : public BreakerSink {
 public:
  WindowSink(const LogicalPlan& plan, const ExecContext& context)
      : input_schema_(plan.inputs[0]->schema),
        output_schema_(plan.schema),
        windows_(plan.windows),
        threads_(context.threads != nullptr ? context.threads : &ThreadPool::Default()),
        pool_(context.pool != nullptr ? context.pool : MemoryPool::Default()),
        batch_size_(std::max<int64_t>(1, context.batch_size)),
        counters_(context.counters),
        memory_(pool_) {
    // Bind now, so that a bad expression fails before any input is read.
    for (const WindowExpr& window : windows_) {
      std::vector<BoundExprPtr> bound;
      for (const Expr& arg : window.args) bound.push_back(Bind(arg, *input_schema_));
      bound_args_.push_back(std::move(bound));
    }
  }

  void Consume(Batch batch) override {
    const int64_t bytes = counters_ != nullptr ? BatchBytes(batch) : 0;
    std::lock_guard lock(mutex_);
    batches_.push_back(std::move(batch));
    if (counters_ != nullptr) counters_->NotePeak(held_bytes_ += bytes);
  }

  void Finish() override {
    std::sort(batches_.begin(), batches_.end(),
              [](const Batch& a, const Batch& b) { return a.seq < b.seq; });
    Batch input = ConcatenateBatches(input_schema_, batches_, pool_, threads_);
    batches_.clear();
    input.schema = input_schema_;
    const int64_t input_bytes = counters_ != nullptr ? BatchBytes(input) : 0;
    int64_t result_bytes = 0;  // Of the windows computed so far, in a profiled run.
    std::vector<Column> columns = input.columns;

    // Window expressions by specification, in order of first appearance.
    std::vector<std::string> specs;
    std::map<std::string, std::vector<size_t>> by_spec;
    for (size_t w = 0; w < windows_.size(); ++w) {
      std::string spec = WindowSpecOrderKey(windows_[w]);
      if (!by_spec.count(spec)) specs.push_back(spec);
      by_spec[spec].push_back(w);
    }
    std::vector<Column> results(windows_.size());
    for (const std::string& spec : specs) {
      const std::vector<size_t>& members = by_spec[spec];
      const WindowExpr& first = windows_[members[0]];
      WindowContext context;
      context.input = &input;
      WindowOrder order = Guarded(
          first, [&] { return MakeWindowOrder(input, first.partition_by, first.order_by, pool_); });
      memory_.Set(order.MemoryBytes());
      context.order = &order;
      context.chunks = PartitionChunks(order, 4 * int64_t{threads_->size()});
      context.threads = threads_;
      context.pool = pool_;
      for (size_t w : members) {
        std::vector<Column> args;
        for (const BoundExprPtr& arg : bound_args_[w])
          args.push_back(Evaluate(*arg, input, /*expand=*/true, pool_));
        results[w] = Guarded(windows_[w], [&] {
          return ComputeWindow(windows_[w], output_schema_->field(input.columns.size() + w).type,
                               std::move(args), context);
        });
        if (counters_ != nullptr) {
          Batch result;
          result.columns.push_back(results[w]);
          result_bytes += BatchBytes(result);
          counters_->NotePeak(input_bytes + order.MemoryBytes() + result_bytes);
        }
      }
      memory_.Set(0);
    }
    for (Column& column : results) columns.push_back(std::move(column));

    // Output in input order, cut into batches.
    const int64_t n = input.num_rows;
    Batch all;
    all.schema = output_schema_;
    all.columns = std::move(columns);
    all.num_rows = n;
    input = Batch();
    std::vector<Batch> out;
    if (n <= batch_size_) {
      if (n > 0) out.push_back(std::move(all));
    } else {
      for (int64_t at = 0; at < n; at += batch_size_)
        out.push_back(all.Slice(at, std::min(batch_size_, n - at)));
    }
    result_ = MakeBatchSource(output_schema_, std::move(out));
  }

  std::unique_ptr<Source> TakeResult() override { return std::move(result_); }

 private:
  /// The PARTITION BY and ORDER BY of a window (its frame aside): windows that share them share
  /// one sort.
  static std::string WindowSpecOrderKey(const WindowExpr& window) {
    WindowExpr spec;
    spec.partition_by = window.partition_by;
    spec.order_by = window.order_by;
    return WindowSpecToString(spec);
  }

  template <typename Body>
  auto Guarded(const WindowExpr& window, Body&& body) -> decltype(body()) {
    try {
      return body();
    } catch (const Error& error) {
      if (error.kind() != ErrorKind::kOutOfMemory) throw;
      ThrowOutOfMemory("{}: the rows of the window do not fit in memory: {}",
                       WindowExprToString(window), error.what());
    }
  }

  SchemaPtr input_schema_;
  SchemaPtr output_schema_;
  std::vector<WindowExpr> windows_;
  std::vector<std::vector<BoundExprPtr>> bound_args_;
  ThreadPool* threads_;
  MemoryPool* pool_;
  int64_t batch_size_;
  SpillCounters* counters_;   ///< EXPLAIN ANALYZE's, or null.
  MemoryReservation memory_;  ///< The sort order and boundaries of the window being computed.

  std::mutex mutex_;
  std::vector<Batch> batches_;
  int64_t held_bytes_ = 0;  ///< Of batches_, in a profiled run; guarded by mutex_.
  std::unique_ptr<Source> result_;
};

}  // namespace

std::unique_ptr<BreakerSink> MakeWindowSink(const LogicalPlan& plan, const ExecContext& context) {
  if (plan.kind != PlanKind::kWindow) ThrowInternal("MakeWindowSink needs a window node");
  return std::make_unique<WindowSink>(plan, context);
}

}  // namespace sluice::exec
