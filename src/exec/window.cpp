// The window sink: batches are kept as they arrive (the pool accounts their buffers), put back
// in input order at Finish, and each group of window expressions sharing a PARTITION BY / ORDER
// BY sorts the rows once (window_order.h) for all its functions.
//
// Larger than memory: a window only ever looks at the rows of its own partition, so when every
// window expression of the node partitions by some common keys, the input can spill to hash
// partitions of those keys (exec/partition_spill.h). Each spilled partition, back in input order,
// is computed exactly as the whole input would be — its window partitions are the same rows in
// the same order — and the results merge back into input order by position: the output is the
// same bytes, spilled or not.
//
// Windows without a common PARTITION BY compute on only some of the input's columns: the keys
// and arguments. The other columns are set aside as they come, in input order, in a queue that
// spills under pressure (batch_queue.h), and each set-aside batch comes back beside the same
// rows of the computed columns. When each window needs only its partition's rows up to its own
// and its peers, or the partition's total (ranks, lag, running and whole-partition aggregates:
// window_stream.h), the computed rows are sorted externally by each window specification in
// turn and computed as a stream, and the results sorted back by position: bounded memory.
// Other windows keep their own columns, sort order and results in memory.
#include "exec/window.h"

#include <xxhash.h>

#include <algorithm>
#include <map>
#include <numeric>
#include <set>

#include "core/error.h"
#include "exec/batch_queue.h"
#include "exec/ordered_sinks.h"
#include "exec/partition_spill.h"
#include "exec/position_merge.h"
#include "exec/profile.h"
#include "exec/row_gather.h"
#include "exec/sort.h"
#include "exec/sort_keys.h"
#include "exec/sorted_run.h"
#include "exec/window_functions.h"
#include "exec/window_stream.h"
#include "expr/bound_expr.h"
#include "expr/evaluate.h"
#include "plan/window_plan.h"

namespace sluice::exec {
namespace {

/// Besides the rows, per row: the sort order and boundaries, normalized keys and evaluated
/// arguments (about 64 bytes), and each window's result.
constexpr int64_t kWorkBytesPerRow = 64;
constexpr int64_t kResultBytesPerRow = 16;

/// The PARTITION BY keys every window expression has (by their text), in the first one's order.
std::vector<Expr> CommonPartitionKeys(const std::vector<WindowExpr>& windows) {
  std::vector<Expr> common;
  if (windows.empty()) return common;
  for (const Expr& key : windows[0].partition_by) {
    const std::string text = key.ToString();
    bool everywhere = true;
    for (const WindowExpr& window : windows) {
      everywhere = everywhere && std::any_of(window.partition_by.begin(), window.partition_by.end(),
                                             [&](const Expr& e) { return e.ToString() == text; });
    }
    if (everywhere) common.push_back(key);
  }
  return common;
}

/// Hashes rows by the normalized form of `keys` — the form MakeWindowOrder compares to tell
/// partitions apart, so rows of one window partition always hash alike.
RowHasher PartitionKeyHasher(const std::vector<Expr>& keys, const Schema& schema,
                             MemoryPool* pool) {
  if (keys.empty()) return nullptr;
  std::vector<BoundExprPtr> bound;
  std::vector<SortKeyOrder> orders;
  for (const Expr& key : keys) {
    bound.push_back(Bind(key, schema));
    orders.push_back({bound.back()->type, false, true});
  }
  auto encoder = std::make_shared<SortKeyEncoder>(orders);
  return [bound, encoder, pool](const Batch& batch) {
    std::vector<Column> columns;
    for (const BoundExprPtr& key : bound) columns.push_back(Evaluate(*key, batch, true, pool));
    const SortKeyBlock block = encoder->Encode(columns);
    std::vector<uint64_t> hashes(static_cast<size_t>(batch.num_rows));
    for (int64_t row = 0; row < batch.num_rows; ++row) {
      const std::string_view key = block.Key(row);
      hashes[static_cast<size_t>(row)] = XXH3_64bits(key.data(), key.size());
    }
    return hashes;
  };
}

/// Adds the input columns `expr` reads (bound: as the window resolves them) to `columns`.
void AddBoundColumns(const BoundExpr& expr, std::set<int>* columns) {
  if (expr.kind == BoundExpr::Kind::kColumn) columns->insert(expr.column);
  for (const BoundExprPtr& arg : expr.args) AddBoundColumns(*arg, columns);
}

/// The input columns `windows` compute on: their arguments and PARTITION BY and ORDER BY keys,
/// with every column sharing a name with one of them (so that names resolve as over the input).
std::set<int> WindowColumns(const std::vector<WindowExpr>& windows, const Schema& input) {
  std::set<int> used;
  for (const WindowExpr& window : windows) {
    for (const Expr& arg : window.args) AddBoundColumns(*Bind(arg, input), &used);
    for (const Expr& key : window.partition_by) AddBoundColumns(*Bind(key, input), &used);
    for (const SortKey& key : window.order_by) AddBoundColumns(*Bind(key.expr, input), &used);
  }
  std::set<std::string> names;
  for (int c : used) names.insert(input.field(static_cast<size_t>(c)).name);
  for (size_t c = 0; c < input.size(); ++c) {
    if (names.count(input.field(c).name)) used.insert(static_cast<int>(c));
  }
  return used;
}

/// The columns `columns` of `batch`, as a batch of `schema` (the same seq).
Batch SelectColumns(const Batch& batch, const std::vector<int>& columns, SchemaPtr schema) {
  Batch out;
  out.schema = std::move(schema);
  out.num_rows = batch.num_rows;
  out.seq = batch.seq;
  for (int c : columns) out.columns.push_back(batch.columns[static_cast<size_t>(c)]);
  return out;
}

SchemaPtr SelectFields(const Schema& schema, const std::vector<int>& columns) {
  std::vector<Field> fields;
  for (int c : columns) fields.push_back(schema.field(static_cast<size_t>(c)));
  return std::make_shared<Schema>(std::move(fields));
}

/// Rows in a batch of a window's output (at most; fewer only where a set-aside batch ends), the
/// same whatever the budget: a wide row of wide results makes a full batch many megabytes.
constexpr int64_t kOutputBatchRows = 16384;

/// Rows [offset, offset + count) of `batch` (shared when that is all of it).
Batch SliceRows(const Batch& batch, int64_t offset, int64_t count, MemoryPool* pool) {
  if (offset == 0 && count == batch.num_rows) return batch;
  Batch piece;
  piece.schema = batch.schema;
  piece.num_rows = count;
  for (const Column& column : batch.columns)
    piece.columns.push_back(column.Slice(offset, count, pool));
  return piece;
}

/// The output of the windows: the computed rows (the window's own columns and its results,
/// then possibly more, such as input positions) from `computed` in input order, with the
/// set-aside columns beside them when there are some, in batches of at most `batch_rows`.
class WindowOutputSource final : public Source {
 public:
  /// `from[i]` is output column i's place: c >= 0 is computed column c, -1 - k set-aside
  /// column k. `set_aside` may be null when no place is set aside.
  WindowOutputSource(SchemaPtr schema, std::unique_ptr<Source> computed, std::vector<int> from,
                     std::unique_ptr<SpillableBatchQueue> set_aside, int64_t batch_rows,
                     MemoryPool* pool)
      : schema_(std::move(schema)),
        computed_(std::move(computed)),
        from_(std::move(from)),
        set_aside_(std::move(set_aside)),
        batch_rows_(batch_rows),
        pool_(pool) {}

  const SchemaPtr& schema() const override { return schema_; }

  bool Next(Batch* out) override {
    Batch aside, rows;
    if (set_aside_ == nullptr) {
      rows = TakeComputed(batch_rows_);
      if (rows.num_rows == 0) return false;
    } else {
      while (aside_offset_ == aside_.num_rows) {
        if (!set_aside_->Pop(&aside_)) {
          SLUICE_CHECK(TakeComputed(1).num_rows == 0);
          return false;
        }
        aside_offset_ = 0;
      }
      const int64_t count = std::min(batch_rows_, aside_.num_rows - aside_offset_);
      aside = SliceRows(aside_, aside_offset_, count, pool_);
      aside_offset_ += count;
      rows = TakeComputed(count);
      SLUICE_CHECK(rows.num_rows == count);
    }
    out->schema = schema_;
    out->num_rows = rows.num_rows;
    out->seq = seq_++;
    out->columns.clear();
    for (int place : from_) {
      out->columns.push_back(place >= 0
                                 ? rows.columns[static_cast<size_t>(place)]
                                 : std::move(aside.columns[static_cast<size_t>(-1 - place)]));
    }
    return true;
  }

 private:
  /// The next `rows` computed rows (fewer at the end), across batches when need be.
  Batch TakeComputed(int64_t rows) {
    std::vector<Batch> pieces;
    while (rows > 0) {
      if (offset_ == current_.num_rows) {
        if (!computed_->Next(&current_)) break;
        offset_ = 0;
        continue;
      }
      const int64_t take = std::min(rows, current_.num_rows - offset_);
      pieces.push_back(SliceRows(current_, offset_, take, pool_));
      offset_ += take;
      rows -= take;
    }
    if (pieces.empty()) return Batch{};
    if (pieces.size() == 1) return std::move(pieces[0]);
    return ConcatenateBatches(pieces[0].schema, pieces, pool_);
  }

  SchemaPtr schema_;
  std::unique_ptr<Source> computed_;
  std::vector<int> from_;
  std::unique_ptr<SpillableBatchQueue> set_aside_;
  int64_t batch_rows_;
  MemoryPool* pool_;
  Batch current_;       ///< The computed batch being taken from.
  int64_t offset_ = 0;  ///< Rows of current_ taken.
  Batch aside_;         ///< The set-aside batch being taken from.
  int64_t aside_offset_ = 0;
  uint64_t seq_ = 0;
};

/// A name for a column beside those of `schema`.
std::string UnusedName(const Schema& schema, std::string name) {
  while (schema.FindField(name)) name += "_";
  return name;
}

class WindowSink final : public BreakerSink {
 public:
  WindowSink(const LogicalPlan& plan, const ExecContext& context)
      : input_schema_(plan.inputs[0]->schema),
        output_schema_(plan.schema),
        windows_(plan.windows),
        context_(context),
        threads_(context.threads != nullptr ? context.threads : &ThreadPool::Default()),
        pool_(context.pool != nullptr ? context.pool : MemoryPool::Default()),
        batch_size_(std::max<int64_t>(1, context.batch_size)),
        counters_(context.counters),
        memory_(pool_) {
    context_.threads = threads_;
    context_.pool = pool_;
    const std::vector<Expr> keys = CommonPartitionKeys(windows_);
    spillable_ = !keys.empty();
    hasher_ = PartitionKeyHasher(keys, *input_schema_, pool_);
    computed_schema_ = input_schema_;
    if (!spillable_) SetAsideOtherColumns();
    // Bind now, so that a bad expression fails before any input is read.
    for (const WindowExpr& window : windows_) {
      std::vector<BoundExprPtr> bound;
      for (const Expr& arg : window.args) bound.push_back(Bind(arg, *computed_schema_));
      bound_args_.push_back(std::move(bound));
    }
    work_bytes_per_row_ =
        kWorkBytesPerRow + kResultBytesPerRow * static_cast<int64_t>(windows_.size());
    std::vector<Field> fields = computed_schema_->fields();
    for (size_t w = 0; w < windows_.size(); ++w)
      fields.push_back(output_schema_->field(input_schema_->size() + w));
    results_schema_ = std::make_shared<Schema>(fields);
    if (!spillable_ && CanStreamWindows(windows_, *computed_schema_)) {
      StartStream();
    } else {
      collector_ = std::make_unique<SpillableCollector>(computed_schema_, hasher_, "window",
                                                        work_bytes_per_row_, context_);
    }
  }

  void Consume(Batch batch) override {
    if (set_aside_ != nullptr) {
      Batch computed = SelectColumns(batch, computed_columns_, computed_schema_);
      set_aside_order_->Consume(SelectColumns(batch, set_aside_columns_, set_aside_schema_));
      batch = std::move(computed);
    }
    if (!stages_.empty()) {
      stages_.front().sort->Consume(WithPositions(std::move(batch)));
      return;
    }
    collector_->Consume(std::move(batch));
    if (counters_ != nullptr) {
      counters_->NotePeak(collector_->held() +
                          (set_aside_ != nullptr ? set_aside_->SpillableBytes() : 0));
    }
  }

  void Finish() override {
    try {
      FinishOrThrow();
    } catch (const Error& error) {
      // An error of a window's own computation names it already (Guarded).
      const std::string what = error.what();
      bool named = false;
      for (const WindowExpr& window : windows_)
        named = named || what.find(WindowExprToString(window)) != std::string::npos;
      if (error.kind() != ErrorKind::kOutOfMemory || named) throw;
      ThrowOutOfMemory("{}: the rows of the window do not fit in memory{}: {}",
                       WindowExprToString(windows_[0]), CannotSpillHint(), what);
    }
  }

  std::unique_ptr<Source> TakeResult() override { return std::move(result_); }

 private:
  /// Why the window did not spill, when it cannot.
  const char* CannotSpillHint() const {
    return spillable_ ? ""
                      : " (windows that all share a PARTITION BY key spill their rows by "
                        "partition, and row_number, rank, dense_rank, lag, lead, and first_value, "
                        "last_value, nth_value, count, sum, avg, min or max from the partition's "
                        "first row, and any aggregate or frame value over a ROWS frame of rows "
                        "around the current one, are computed over sorted spill files; these "
                        "need their keys and arguments of all rows at once)";
  }

  /// Sets the input columns the windows do not compute on aside, when there are any: they wait
  /// in a spillable queue rather than with the computed ones.
  void SetAsideOtherColumns() {
    const std::set<int> used = WindowColumns(windows_, *input_schema_);
    std::vector<int> from;  // Per output column, as SetAsideMergeSource takes it.
    for (int c = 0; c < static_cast<int>(input_schema_->size()); ++c) {
      // A batch needs a column to carry its row count: row_number() OVER () reads none.
      const bool computed = used.count(c) > 0 || (used.empty() && c == 0);
      std::vector<int>& columns = computed ? computed_columns_ : set_aside_columns_;
      from.push_back(computed ? static_cast<int>(columns.size())
                              : -1 - static_cast<int>(columns.size()));
      columns.push_back(c);
    }
    for (size_t w = 0; w < windows_.size(); ++w)
      from.push_back(static_cast<int>(computed_columns_.size() + w));
    output_from_ = std::move(from);
    if (set_aside_columns_.empty()) return;
    computed_schema_ = SelectFields(*input_schema_, computed_columns_);
    set_aside_schema_ = SelectFields(*input_schema_, set_aside_columns_);
    set_aside_ = std::make_unique<SpillableBatchQueue>(set_aside_schema_, "window", context_);
    // Batches come from the workers in any order; the queue keeps them in input order.
    set_aside_order_ = std::make_unique<OrderedSink>([this](Batch batch) {
      if (batch.num_rows > 0) set_aside_->Push(std::move(batch));
    });
  }

  /// Windows computed over streams (window_stream.h): per window specification, the rows
  /// with their input positions are sorted by its partition keys, order keys and position,
  /// and its windows computed over them; the results are then sorted back by position. Every
  /// sort spills under pressure.
  void StartStream() {
    position_name_ = UnusedName(*computed_schema_, "window_position");
    const size_t k = computed_schema_->size();
    std::vector<Field> layout = computed_schema_->fields();  // Of the rows between the sorts.
    layout.push_back({position_name_, Int64(), false});
    positioned_schema_ = std::make_shared<Schema>(layout);
    ExecContext sort_context = context_;
    // The sorts' batches: smaller under a tight budget, as a spilled sort's merge holds the
    // blocks of a whole batch besides the batch (whose size does not change any result).
    sort_context.batch_size =
        std::min(batch_size_, std::max<int64_t>(4096, pool_->limit() / (int64_t{1} << 14)));
    // Each stream puts its results right after the computed columns.
    // Per window: its result's column once placed (0 before: the computed columns are first).
    std::vector<size_t> placed(windows_.size(), 0);
    for (std::vector<size_t>& members : WindowsBySpec(/*streamed=*/true)) {
      StreamStage stage;
      stage.schema = std::make_shared<Schema>(layout);
      const WindowExpr first = AsStreamed(windows_[members[0]]);
      std::vector<SortKey> keys;
      for (const Expr& key : first.partition_by) keys.push_back({key, false, true});
      keys.insert(keys.end(), first.order_by.begin(), first.order_by.end());
      // Ties in input order, or in reverse for a reversed stream.
      const bool reversed = IsReversed(windows_[members[0]]);
      keys.push_back({col(position_name_), reversed, reversed});
      stage.sort = MakeSortSink(*stage.schema, keys, std::nullopt, sort_context);
      std::vector<Field> next(layout.begin(), layout.begin() + static_cast<std::ptrdiff_t>(k));
      for (size_t w : members) next.push_back(output_schema_->field(input_schema_->size() + w));
      for (size_t& column : placed)
        if (column >= k) column += members.size();
      for (size_t i = 0; i < members.size(); ++i) placed[members[i]] = k + i;
      next.insert(next.end(), layout.begin() + static_cast<std::ptrdiff_t>(k), layout.end());
      layout = std::move(next);
      stage.windows = std::move(members);
      stages_.push_back(std::move(stage));
    }
    by_position_ = MakeSortSink(Schema(layout), {{col(position_name_), false, {}}}, std::nullopt,
                                sort_context);
    for (int& place : output_from_)
      if (place >= static_cast<int>(k))
        place = static_cast<int>(placed[static_cast<size_t>(place) - k]);
  }

  /// `batch` with its rows' input positions as a last column.
  Batch WithPositions(Batch batch) const {
    std::vector<int64_t> positions(static_cast<size_t>(batch.num_rows));
    for (int64_t row = 0; row < batch.num_rows; ++row)
      positions[static_cast<size_t>(row)] = static_cast<int64_t>(MakeOrd(batch.seq, row));
    batch.columns.push_back(
        MakeFixedWindowColumn(Int64(), positions.data(), batch.num_rows, nullptr, pool_));
    batch.schema = positioned_schema_;
    return batch;
  }

  /// A sort's result, once taken, can no longer spill, and each is read while more comes in
  /// (the results into the sort back by position; set-aside columns and output): a sort that
  /// holds more than half the budget goes to disk before.
  void SpillIfOverHalfTheBudget(BreakerSink* sort) const {
    auto* spillable = dynamic_cast<SpillableConsumer*>(sort);
    if (spillable != nullptr && spillable->SpillableBytes() > pool_->limit() / 2)
      spillable->Spill();
  }

  void FinishStream() {
    for (size_t s = 0; s < stages_.size(); ++s) {
      StreamStage& stage = stages_[s];
      SpillIfOverHalfTheBudget(stage.sort.get());
      stage.sort->Finish();
      std::unique_ptr<Source> ordered = stage.sort->TakeResult();
      BreakerSink* next = s + 1 < stages_.size() ? stages_[s + 1].sort.get() : by_position_.get();
      std::vector<WindowExpr> windows;
      std::vector<DataType> types;
      for (size_t w : stage.windows) {
        windows.push_back(AsStreamed(windows_[w]));
        types.push_back(output_schema_->field(input_schema_->size() + w).type);
      }
      uint64_t seq = 0;
      WindowStream stream(
          std::move(windows), stage.schema, static_cast<int>(computed_schema_->size()), types,
          [&](Batch batch) {
            batch.seq = seq++;
            next->Consume(std::move(batch));
          },
          context_);
      Batch batch;
      while (ordered->Next(&batch)) stream.Push(std::move(batch));
      stream.Finish();
      ordered.reset();
      stage.sort.reset();
    }
    stages_.clear();
    SpillIfOverHalfTheBudget(by_position_.get());
    by_position_->Finish();
    std::unique_ptr<Source> computed = by_position_->TakeResult();
    by_position_.reset();
    if (set_aside_ != nullptr) set_aside_order_->Finish();
    result_ = std::make_unique<WindowOutputSource>(output_schema_, std::move(computed),
                                                   std::move(output_from_), std::move(set_aside_),
                                                   std::min(batch_size_, kOutputBatchRows), pool_);
  }

  void FinishOrThrow() {
    if (!stages_.empty()) {
      FinishStream();
      return;
    }
    collector_->Finish();
    CollectedRows rows = collector_->Take();
    collector_.reset();
    if (rows.spilled) {
      FinishSpilled(std::move(rows));
      return;
    }
    Batch input = ConcatenateBatches(computed_schema_, rows.batches, pool_, threads_);
    rows.batches.clear();
    input.schema = computed_schema_;
    const int64_t n = input.num_rows;
    Batch all;  // Of output_schema_, or without the set-aside columns when there are some.
    all.schema = output_schema_;
    all.columns = ComputeWindows(std::move(input), "");
    all.num_rows = n;
    if (set_aside_ != nullptr) {
      set_aside_order_->Finish();
      all.schema = results_schema_;
      std::vector<Batch> computed;
      computed.push_back(std::move(all));
      result_ = std::make_unique<WindowOutputSource>(
          output_schema_, MakeBatchSource(results_schema_, std::move(computed)),
          std::move(output_from_), std::move(set_aside_), std::min(batch_size_, kOutputBatchRows),
          pool_);
      return;
    }

    // Output in input order, cut into batches.
    std::vector<Batch> out;
    if (n <= batch_size_) {
      if (n > 0) out.push_back(std::move(all));
    } else {
      for (int64_t at = 0; at < n; at += batch_size_)
        out.push_back(all.Slice(at, std::min(batch_size_, n - at)));
    }
    result_ = MakeBatchSource(output_schema_, std::move(out));
  }

  /// Computes every window over `input` (rows in input order, or one spilled partition's rows
  /// in input order); returns the input's columns followed by one per window expression.
  /// `where` says which rows these are, for out-of-memory errors.
  std::vector<Column> ComputeWindows(Batch input, const std::string& where) {
    const int64_t input_bytes = counters_ != nullptr ? BatchBytes(input) : 0;
    int64_t result_bytes = 0;  // Of the windows computed so far, in a profiled run.

    std::vector<Column> results(windows_.size());
    for (const std::vector<size_t>& members : WindowsBySpec()) {
      const WindowExpr& first = windows_[members[0]];
      WindowContext context;
      context.input = &input;
      WindowOrder order = Guarded(first, where, [&] {
        return MakeWindowOrder(input, first.partition_by, first.order_by, pool_);
      });
      memory_.Set(order.MemoryBytes());
      context.order = &order;
      context.chunks = PartitionChunks(order, 4 * int64_t{threads_->size()});
      context.threads = threads_;
      context.pool = pool_;
      for (size_t w : members) {
        // The function's scratch, charged while it runs: under pressure the pool makes room
        // (spilling set-aside columns, say) before, not after, it is allocated.
        Guarded(windows_[w], where, [&] {
          memory_.Set(order.MemoryBytes() + input.num_rows * WindowWorkBytesPerRow(windows_[w]));
          return 0;
        });
        std::vector<Column> args;
        for (const BoundExprPtr& arg : bound_args_[w])
          args.push_back(Evaluate(*arg, input, /*expand=*/true, pool_));
        results[w] = Guarded(windows_[w], where, [&] {
          return ComputeWindow(windows_[w], output_schema_->field(input_schema_->size() + w).type,
                               std::move(args), context);
        });
        if (counters_ != nullptr) {
          Batch result;
          result.columns.push_back(results[w]);
          result_bytes += BatchBytes(result);
          counters_->NotePeak(input_bytes + order.MemoryBytes() + result_bytes +
                              (set_aside_ != nullptr ? set_aside_->SpillableBytes() : 0));
        }
      }
      memory_.Set(0);
    }
    std::vector<Column> columns = std::move(input.columns);
    for (Column& column : results) columns.push_back(std::move(column));
    return columns;
  }

  /// The spilled input's partitions computed one at a time, each into a file of output rows
  /// tagged with input positions, merged back into input order.
  void FinishSpilled(CollectedRows rows) {
    std::vector<std::shared_ptr<SpillFile>> results;
    for (size_t p = 0; p < rows.partitions.size(); ++p)
      ComputePartition(std::move(rows.partitions[p]), 0, fmt::format("{}", p + 1), true, &results);
    std::vector<int> identity(output_schema_->size());
    std::iota(identity.begin(), identity.end(), 0);
    result_ = MakePositionMergeSource(output_schema_, output_schema_, std::move(identity),
                                      std::move(results), batch_size_, pool_);
  }

  /// Computes a spilled partition (named `name` in errors: "12", or "12.5" once split again)
  /// into a result file. One too large for the budget is split again by the next bits of its
  /// rows' hash, unless splitting did not make it smaller (`may_split` false: one key's rows).
  void ComputePartition(std::shared_ptr<SpillFile> file, int level, const std::string& name,
                        bool may_split, std::vector<std::shared_ptr<SpillFile>>* results) {
    if (file->rows() == 0) return;
    const SchemaPtr with_ord = WithOrd(*input_schema_);
    const int64_t needed = 2 * file->raw_bytes() + file->rows() * work_bytes_per_row_;
    if (may_split && needed > pool_->limit() && level + 1 < kMaxPartitionLevels) {
      const int64_t rows = file->rows();
      std::vector<std::shared_ptr<SpillFile>> parts =
          SplitPartition(std::move(file), with_ord, hasher_, "window", level, context_);
      for (int p = 0; p < kSpillPartitions; ++p) {
        const bool smaller = parts[p]->rows() < rows;
        ComputePartition(std::move(parts[p]), level + 1, fmt::format("{}.{}", name, p + 1), smaller,
                         results);
      }
      return;
    }
    Batch part = LoadInOrder(file, with_ord, context_);
    file.reset();
    const int64_t n = part.num_rows;
    Column ords = std::move(part.columns.back());
    part.columns.pop_back();
    part.schema = input_schema_;
    Batch out;
    out.schema = output_schema_;
    out.columns = ComputeWindows(
        std::move(part),
        fmt::format("partition {} of its spilled input (rows whose PARTITION BY keys hash alike)",
                    name));
    out.columns.push_back(std::move(ords));
    out.num_rows = n;
    auto result = std::make_shared<SpillFile>("window-result", size_t{1} << 20, counters_);
    WriteWithOrds(result.get(), std::move(out), output_schema_, pool_);
    result->Finish();
    results->push_back(std::move(result));
  }

  /// The window expressions (indexes) by specification, in order of first appearance; with
  /// `streamed`, by the specification their streams run in (AsStreamed, IsReversed).
  std::vector<std::vector<size_t>> WindowsBySpec(bool streamed = false) const {
    std::vector<std::vector<size_t>> groups;
    std::map<std::string, size_t> group_of;
    for (size_t w = 0; w < windows_.size(); ++w) {
      const std::string spec = streamed ? WindowSpecOrderKey(AsStreamed(windows_[w])) +
                                              (IsReversed(windows_[w]) ? " reversed" : "")
                                        : WindowSpecOrderKey(windows_[w]);
      const auto [at, added] = group_of.emplace(spec, groups.size());
      if (added) groups.emplace_back();
      groups[at->second].push_back(w);
    }
    return groups;
  }

  /// The PARTITION BY and ORDER BY of a window (its frame aside): windows that share them share
  /// one sort.
  static std::string WindowSpecOrderKey(const WindowExpr& window) {
    WindowExpr spec;
    spec.partition_by = window.partition_by;
    spec.order_by = window.order_by;
    return WindowSpecToString(spec);
  }

  template <typename Body>
  auto Guarded(const WindowExpr& window, const std::string& where, Body&& body)
      -> decltype(body()) {
    try {
      return body();
    } catch (const Error& error) {
      if (error.kind() != ErrorKind::kOutOfMemory) throw;
      if (!where.empty()) {
        ThrowOutOfMemory(
            "{}: {} does not fit in memory even after spilling (a key this skewed "
            "needs more memory): {}",
            WindowExprToString(window), where, error.what());
      }
      ThrowOutOfMemory("{}: the rows of the window do not fit in memory{}: {}",
                       WindowExprToString(window), CannotSpillHint(), error.what());
    }
  }

  SchemaPtr input_schema_;
  SchemaPtr output_schema_;
  std::vector<WindowExpr> windows_;
  std::vector<std::vector<BoundExprPtr>> bound_args_;
  ExecContext context_;
  ThreadPool* threads_;
  MemoryPool* pool_;
  int64_t batch_size_;
  SpillCounters* counters_;   ///< EXPLAIN ANALYZE's, or null.
  MemoryReservation memory_;  ///< The sort order and boundaries of the window being computed.
  bool spillable_ = false;    ///< The windows share PARTITION BY keys to spill by.
  RowHasher hasher_;          ///< Of those keys; null when there are none.
  /// The columns the windows compute on (all of the input's but those set aside).
  SchemaPtr computed_schema_;
  std::vector<int> computed_columns_;
  /// Without common PARTITION BY keys, the input columns the windows do not read wait here, in
  /// input order, while the windows are computed; null when there are none.
  std::vector<int> set_aside_columns_;
  SchemaPtr set_aside_schema_;
  std::unique_ptr<SpillableBatchQueue> set_aside_;
  std::unique_ptr<OrderedSink> set_aside_order_;
  std::vector<int> output_from_;  ///< Per output column, where WindowOutputSource takes it.
  SchemaPtr results_schema_;      ///< The computed columns, then one per window expression.
  // Windows computed over streams (none otherwise): the rows sorted into the order of each
  // specification in turn, then the results sorted back into input order by position.
  struct StreamStage {
    std::vector<size_t> windows;  ///< Of the specification, as indexes into windows_.
    SchemaPtr schema;             ///< Of the rows the sort takes.
    std::unique_ptr<BreakerSink> sort;
  };
  std::string position_name_;
  SchemaPtr positioned_schema_;
  std::vector<StreamStage> stages_;
  std::unique_ptr<BreakerSink> by_position_;
  int64_t work_bytes_per_row_ = 0;  ///< Memory computing the windows takes besides the rows.
  std::unique_ptr<SpillableCollector> collector_;
  std::unique_ptr<Source> result_;
};

}  // namespace

std::unique_ptr<BreakerSink> MakeWindowSink(const LogicalPlan& plan, const ExecContext& context) {
  if (plan.kind != PlanKind::kWindow) ThrowInternal("MakeWindowSink needs a window node");
  return std::make_unique<WindowSink>(plan, context);
}

}  // namespace sluice::exec
