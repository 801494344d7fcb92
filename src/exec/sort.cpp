// The sort sink: batches become sorted runs on the workers; small runs (and, for top-k, all
// pending runs) are merged as they accumulate; the result source merges key ranges of all runs
// in parallel waves as it is pulled.
#include "exec/sort.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <deque>
#include <mutex>

#include "core/error.h"
#include "exec/profile.h"
#include "exec/sort_spill.h"
#include "exec/sorted_run.h"
#include "exec/spill_threads.h"
#include "expr/bound_expr.h"
#include "expr/evaluate.h"

namespace sluice::exec {
namespace {

using RunPtr = std::unique_ptr<SortedRun>;

std::vector<const SortedRun*> Pointers(const std::vector<RunPtr>& runs) {
  std::vector<const SortedRun*> pointers;
  for (const RunPtr& run : runs) pointers.push_back(run.get());
  return pointers;
}

/// The sorted result (its first `limit` rows): merges the pieces of the runs a wave (one piece
/// per thread) at a time.
class SortedSource final : public Source {
 public:
  SortedSource(SchemaPtr schema, std::vector<RunPtr> runs, int64_t limit, int64_t batch_size,
               ThreadPool* threads, MemoryPool* pool, std::unique_ptr<MemoryReservation> memory)
      : schema_(std::move(schema)),
        runs_(std::move(runs)),
        remaining_(limit),
        memory_(std::move(memory)),
        pointers_(Pointers(runs_)),
        batch_size_(std::max<int64_t>(1, batch_size)),
        threads_(threads),
        pool_(pool) {
    int64_t total = 0;
    for (const RunPtr& run : runs_) total += run->size();
    // Pieces of a few batches each, at least four per thread, so that waves keep every thread
    // busy while holding only a fraction of the output at a time.
    const int64_t per_piece =
        std::clamp<int64_t>(total / (4 * int64_t{threads_->size()}), batch_size_, 16 * batch_size_);
    const int64_t parts = std::max<int64_t>(1, (total + per_piece - 1) / per_piece);
    pieces_ = SplitRuns(pointers_, static_cast<int>(std::min<int64_t>(parts, 1 << 16)));
  }

  const SchemaPtr& schema() const override { return schema_; }

  bool Next(Batch* out) override {
    while (ready_.empty()) {
      if (next_piece_ >= pieces_.size() || remaining_ <= 0) return false;
      const size_t wave = std::min(pieces_.size() - next_piece_,
                                   static_cast<size_t>(std::max(1, threads_->size())));
      std::vector<std::vector<Batch>> produced(wave);
      threads_->ParallelFor(static_cast<int64_t>(wave), [&](int64_t i) {
        MergeRuns(pointers_, pieces_[next_piece_ + static_cast<size_t>(i)], INT64_MAX, batch_size_,
                  [&](std::span<const uint32_t> ids, std::span<const uint32_t> rows) {
                    produced[i].push_back(GatherRunRows(schema_, pointers_, ids, rows, pool_));
                  });
      });
      for (auto& batches : produced) {
        for (Batch& batch : batches) {
          if (remaining_ <= 0) break;
          if (batch.num_rows > remaining_) batch = batch.Slice(0, remaining_);
          remaining_ -= batch.num_rows;
          ready_.push_back(std::move(batch));
        }
      }
      next_piece_ += wave;
    }
    *out = std::move(ready_.front());
    ready_.pop_front();
    out->seq = next_seq_++;
    return true;
  }

 private:
  SchemaPtr schema_;
  std::vector<RunPtr> runs_;
  int64_t remaining_;                          ///< Rows still to emit.
  std::unique_ptr<MemoryReservation> memory_;  ///< The runs' keys, handed over by the sink.
  std::vector<const SortedRun*> pointers_;
  std::vector<std::vector<RunRange>> pieces_;
  int64_t batch_size_;
  ThreadPool* threads_;
  MemoryPool* pool_;
  size_t next_piece_ = 0;
  std::deque<Batch> ready_;
  uint64_t next_seq_ = 0;
};

std::string DescribeSort(const std::vector<SortKey>& keys, std::optional<int64_t> limit) {
  std::string text = "sort by ";
  for (size_t i = 0; i < keys.size(); ++i) {
    if (i > 0) text += ", ";
    text += keys[i].expr.ToString();
    if (keys[i].descending) text += " DESC";
  }
  if (limit) text += fmt::format(" (top {})", *limit);
  return text;
}

std::vector<SortKeyOrder> KeyOrders(const std::vector<BoundExprPtr>& bound,
                                    const std::vector<SortKey>& keys) {
  std::vector<SortKeyOrder> orders;
  for (size_t i = 0; i < keys.size(); ++i) {
    orders.push_back({bound[i]->type, keys[i].descending, keys[i].NullsLast()});
  }
  return orders;
}

std::vector<BoundExprPtr> BindKeys(const std::vector<SortKey>& keys, const Schema& schema) {
  std::vector<BoundExprPtr> bound;
  for (const SortKey& key : keys) bound.push_back(Bind(key.expr, schema));
  return bound;
}

/// Bytes a run holds: its rows' buffers, keys and ords.
int64_t RunBytes(const SortedRun& run) {
  return run.KeyMemoryBytes() + BatchBytes(run.rows);
}

class SortSink final : public BreakerSink, public SpillableConsumer {
 public:
  SortSink(const Schema& schema, const std::vector<SortKey>& keys, std::optional<int64_t> limit,
           const ExecContext& context)
      : schema_(std::make_shared<Schema>(schema)),
        bound_keys_(BindKeys(keys, schema)),
        encoder_(KeyOrders(bound_keys_, keys)),
        limit_(limit),
        description_(DescribeSort(keys, limit)),
        threads_(context.threads != nullptr ? context.threads : &ThreadPool::Default()),
        pool_(context.pool != nullptr ? context.pool : MemoryPool::Default()),
        batch_size_(std::max<int64_t>(1, context.batch_size)),
        counters_(context.counters) {
    // Top-k holds only k rows per batch in flight: it never needs to spill.
    if (!limit_) pool_->AddConsumer(this);
  }

  ~SortSink() override {
    if (!limit_) pool_->RemoveConsumer(this);
    pool_->Release(key_bytes_.load());
  }

  bool Done() const override { return limit_ && *limit_ == 0; }

  void Consume(Batch batch) override {
    if (batch.num_rows == 0 || Done()) return;
    Guarded([&] {
      std::vector<Column> columns;
      for (const BoundExprPtr& key : bound_keys_) {
        columns.push_back(key->kind == BoundExpr::Kind::kColumn
                              ? batch.columns[static_cast<size_t>(key->column)]
                              : Evaluate(*key, batch, /*expand=*/true, pool_));
      }
      SortKeyBlock keys = encoder_.Encode(columns);
      columns.clear();
      std::shared_ptr<const SortBound> bound;
      {
        std::lock_guard lock(mutex_);
        bound = bound_;
      }
      AddRun(std::make_unique<SortedRun>(
          MakeSortedRun(std::move(batch), std::move(keys), limit_, bound.get(), pool_)));
    });
  }

  void Finish() override {
    Guarded([&] {
      std::lock_guard spill_lock(spill_mutex_);
      std::vector<RunPtr> runs = TakeHeldRuns();
      if (!spilled_.empty()) {
        // Part of the input is on disk: the rest joins it there, and the result streams from
        // a merge of the files.
        if (!runs.empty()) {
          SpillingScope scope;
          spilled_.push_back(SpillRuns(schema_, Pointers(runs), BlockRows(), pool_,
                                       spill_threads_.get(), counters_));
          CountSpill();
        }
        runs.clear();
        result_ = MakeSpilledSortSource(schema_, std::move(spilled_), encoder_.fixed_width(),
                                        limit_.value_or(INT64_MAX), batch_size_, pool_, threads_,
                                        counters_);
        return;
      }
      // The source keeps the keys' memory accounted while it holds the runs.
      auto memory = std::make_unique<MemoryReservation>(pool_);
      const int64_t key_bytes = key_bytes_.exchange(0);
      pool_->Release(key_bytes);
      memory->Set(key_bytes);
      result_ = std::make_unique<SortedSource>(schema_, std::move(runs), limit_.value_or(INT64_MAX),
                                               batch_size_, threads_, pool_, std::move(memory));
    });
  }

  std::unique_ptr<Source> TakeResult() override { return std::move(result_); }

  int64_t SpillableBytes() const override { return held_bytes_.load(); }

  int64_t Spill() override {
    // Busy means another thread is spilling this sink or handing its runs to the result: the
    // pool then asks someone else rather than wait (waiting could deadlock with that thread).
    std::unique_lock spill_lock(spill_mutex_, std::try_to_lock);
    if (!spill_lock.owns_lock()) return 0;
    std::vector<RunPtr> runs = TakeHeldRuns();
    if (runs.empty()) return 0;
    int64_t freed = 0;
    for (const RunPtr& run : runs) freed += RunBytes(*run);
    spilled_.push_back(
        SpillRuns(schema_, Pointers(runs), BlockRows(), pool_, spill_threads_.get(), counters_));
    CountSpill();
    runs.clear();
    return freed;
  }

 private:
  void CountSpill() {
    if (counters_ != nullptr) counters_->spill_count.fetch_add(1, std::memory_order_relaxed);
  }

  /// Adds `bytes` to the runs held, noting a new peak in a profiled run.
  void AddHeld(int64_t bytes) {
    const int64_t held = held_bytes_.fetch_add(bytes) + bytes;
    if (counters_ != nullptr) counters_->NotePeak(held);
  }

  int64_t BlockRows() const { return std::min<int64_t>(batch_size_, 4096); }

  /// Moves the runs out of the lists (for a spill or the end), with their accounting.
  std::vector<RunPtr> TakeHeldRuns() {
    std::vector<RunPtr> runs;
    {
      std::lock_guard lock(mutex_);
      runs = std::move(runs_);
      runs_.clear();
      for (RunPtr& run : pending_) runs.push_back(std::move(run));
      pending_.clear();
      pending_rows_ = 0;
      held_bytes_.store(0);
    }
    int64_t key_bytes = 0;
    for (const RunPtr& run : runs) key_bytes += run->KeyMemoryBytes();
    AccountKeys(-key_bytes);
    return runs;
  }

  /// Moves the keys' accounting by `delta` bytes. Never called with mutex_ held: a reservation
  /// may make the pool ask this sink to spill, which takes mutex_.
  void AccountKeys(int64_t delta) {
    if (delta > 0) {
      pool_->Reserve(delta);
    } else {
      pool_->Release(-delta);
    }
    key_bytes_.fetch_add(delta);
  }

  /// Files a new run. Top-k: pending runs are merged down to k rows once they hold several
  /// times k. Full sort: runs under half a batch are merged once they add up to a batch, so that
  /// tiny input batches do not make the final merge wide.
  void AddRun(RunPtr run) {
    if (run->size() == 0) return;
    AccountKeys(run->KeyMemoryBytes());
    std::vector<RunPtr> to_merge;
    {
      std::lock_guard lock(mutex_);
      const int64_t rows = run->size();
      AddHeld(RunBytes(*run));
      if (limit_) {
        pending_.push_back(std::move(run));
        pending_rows_ += rows;
        if (pending_rows_ > 4 * *limit_ + 4096) TakePending(&to_merge);
      } else if (rows < batch_size_ / 2) {
        pending_.push_back(std::move(run));
        pending_rows_ += rows;
        if (pending_rows_ >= batch_size_) TakePending(&to_merge);
      } else {
        runs_.push_back(std::move(run));
      }
    }
    if (to_merge.empty()) return;
    RunPtr merged = Merge(to_merge);
    int64_t freed = 0;
    for (const RunPtr& old : to_merge) freed += old->KeyMemoryBytes();
    to_merge.clear();
    AccountKeys(merged->KeyMemoryBytes() - freed);
    std::lock_guard lock(mutex_);
    AddHeld(RunBytes(*merged));
    if (limit_) {
      if (merged->size() == *limit_) UpdateBound(*merged);
      pending_rows_ += merged->size();
      pending_.push_back(std::move(merged));
    } else {
      runs_.push_back(std::move(merged));
    }
  }

  /// Called with mutex_ held.
  void TakePending(std::vector<RunPtr>* out) {
    for (const RunPtr& run : pending_) held_bytes_.fetch_sub(RunBytes(*run));
    *out = std::move(pending_);
    pending_.clear();
    pending_rows_ = 0;
  }

  RunPtr Merge(const std::vector<RunPtr>& runs) const {
    std::vector<const SortedRun*> pointers = Pointers(runs);
    return std::make_unique<SortedRun>(
        MergeIntoRun(schema_, pointers, limit_.value_or(INT64_MAX), pool_));
  }

  /// Lowers the top-k bound to the last row of a run of exactly k rows: no later row that sorts
  /// after it can be in the result. Called with mutex_ held.
  void UpdateBound(const SortedRun& run) {
    const int64_t last = run.size() - 1;
    const std::string_view key = run.keys.Key(last);
    const uint64_t ord = run.ords[last];
    if (bound_ != nullptr) {
      const int c = CompareKeys(key, bound_->key);
      if (c > 0 || (c == 0 && ord >= bound_->ord)) return;
    }
    bound_ = std::make_shared<const SortBound>(SortBound{std::string(key), ord});
  }

  template <typename Body>
  void Guarded(Body&& body) {
    try {
      body();
    } catch (const Error& error) {
      if (error.kind() != ErrorKind::kOutOfMemory) throw;
      ThrowOutOfMemory("{}: the rows to sort do not fit in memory: {}", description_, error.what());
    }
  }

  SchemaPtr schema_;
  std::vector<BoundExprPtr> bound_keys_;
  SortKeyEncoder encoder_;
  std::optional<int64_t> limit_;
  std::string description_;
  ThreadPool* threads_;
  MemoryPool* pool_;
  int64_t batch_size_;
  SpillCounters* counters_;  ///< EXPLAIN ANALYZE's, or null.

  std::mutex mutex_;             ///< Guards the run lists and the top-k bound.
  std::mutex spill_mutex_;       ///< One spill (or the final hand-over) at a time.
  std::vector<RunPtr> runs_;     ///< Runs ready for the final merge.
  std::vector<RunPtr> pending_;  ///< Runs waiting to be merged together.
  int64_t pending_rows_ = 0;
  std::shared_ptr<const SortBound> bound_;           ///< Top-k: rows not before it are dropped.
  std::atomic<int64_t> held_bytes_{0};               ///< Of the runs in runs_ and pending_.
  std::atomic<int64_t> key_bytes_{0};                ///< Keys and ords reserved from the pool.
  std::vector<std::shared_ptr<SpillFile>> spilled_;  ///< Guarded by spill_mutex_.
  SpillThreads spill_threads_{threads_};
  std::unique_ptr<Source> result_;
};

}  // namespace

std::unique_ptr<BreakerSink> MakeSortSink(const Schema& input_schema,
                                          const std::vector<SortKey>& keys,
                                          std::optional<int64_t> limit,
                                          const ExecContext& context) {
  if (keys.empty()) ThrowInvalid("sort needs at least one key");
  if (limit && *limit < 0) ThrowInvalid("sort limit must not be negative, not {}", *limit);
  return std::make_unique<SortSink>(input_schema, keys, limit, context);
}

}  // namespace sluice::exec
