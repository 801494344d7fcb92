// Windows over one ordered stream (window_stream.h): per batch, peer group starts from the
// order keys, then each window's results from its running state, or over the rows its frames
// reach; results that wait for a group's last row go through a GroupEndStage.
#include "exec/window_stream.h"

#include <bit>
#include <optional>
#include <variant>

#include "core/error.h"
#include "exec/batch_queue.h"
#include "exec/row_gather.h"
#include "exec/window_frames.h"
#include "exec/window_functions.h"
#include "exec/window_sums.h"
#include "expr/evaluate.h"
#include "plan/expr_util.h"
#include "plan/window_plan.h"

namespace sluice::exec {
namespace {

/// How a stream computes one window.
struct StreamedWindow {
  enum class Kind : uint8_t {
    kRowNumber,
    kRank,
    kDenseRank,
    kLag,
    kNthValue,
    kLastValue,
    kCount,
    kExactSum,
    kExactMean,
    kFloatSum,
    kFloatMean,
    kMin,
    kMax,
    kFramed,  ///< Over a ROWS frame around the row: the in-memory function over FramedRows.
  } kind = Kind::kRowNumber;
  /// When its result is known: at the row, at the row's last peer, or at the last row.
  enum class Wait : uint8_t { kNone, kPeers, kEnd } wait = Wait::kNone;
  int64_t offset = 1;      ///< lag's offset, nth_value's n.
  RowsFrameOffsets frame;  ///< kFramed: the rows its frame covers around the row.
  /// kFramed float sums and means: their segment trees need the rows to start at an aligned
  /// position (window_aggregates.cpp).
  bool aligned = false;
};

/// The window's second argument (lag's offset, 1 when there is none; nth_value's n) when it is
/// a constant integer from `low` to `high`; else nothing: the stream does not take it.
std::optional<int64_t> ConstantSecondArgument(const WindowExpr& window, int64_t low, int64_t high) {
  if (window.args.size() < 2) return 1;
  const Expr offset = StripAlias(window.args[1]);
  if (offset.kind() != ExprKind::kLiteral) return std::nullopt;
  const Scalar& literal = offset.node().literal;
  if (const auto* v = std::get_if<int64_t>(&literal.value); v && *v >= low && *v <= high) return *v;
  if (const auto* v = std::get_if<uint64_t>(&literal.value);
      v && *v >= static_cast<uint64_t>(low) && *v <= static_cast<uint64_t>(high))
    return static_cast<int64_t>(*v);
  return std::nullopt;
}

std::optional<StreamedWindow> Classify(const WindowExpr& window, const Schema& input) {
  using Kind = StreamedWindow::Kind;
  const std::optional<WindowFunctionKind> function = FindWindowFunction(window.function);
  if (!function) return std::nullopt;
  StreamedWindow streamed;
  const bool over_frame =
      *function == WindowFunctionKind::kAggregate || *function == WindowFunctionKind::kFirstValue ||
      *function == WindowFunctionKind::kLastValue || *function == WindowFunctionKind::kNthValue;
  if (const std::optional<RowsFrameOffsets> frame = BoundedRowsFrame(EffectiveFrame(window));
      over_frame && frame) {
    if (frame->start < -kMaxStreamRows || frame->end > kMaxStreamRows) return std::nullopt;
    streamed.kind = Kind::kFramed;
    streamed.frame = *frame;
    const std::string name =
        *function == WindowFunctionKind::kAggregate ? WindowAggregateName(window) : "";
    streamed.aligned = (name == "sum" || name == "mean") && window.args.size() == 1 &&
                       Bind(window.args[0], input)->type.IsFloating();
    return streamed;
  }
  switch (*function) {
    case WindowFunctionKind::kRowNumber: streamed.kind = Kind::kRowNumber; return streamed;
    case WindowFunctionKind::kRank: streamed.kind = Kind::kRank; return streamed;
    case WindowFunctionKind::kDenseRank: streamed.kind = Kind::kDenseRank; return streamed;
    case WindowFunctionKind::kLag: {
      const std::optional<int64_t> offset = ConstantSecondArgument(window, 0, kMaxStreamRows);
      if (!offset) return std::nullopt;
      streamed.kind = Kind::kLag;
      streamed.offset = *offset;
      return streamed;
    }
    case WindowFunctionKind::kNthValue: {
      const std::optional<int64_t> nth = ConstantSecondArgument(window, 1, INT64_MAX);
      if (window.args.size() != 2 || !nth) return std::nullopt;
      streamed.kind = Kind::kNthValue;
      streamed.offset = *nth;
      break;
    }
    case WindowFunctionKind::kFirstValue:  // nth_value(x, 1): a frame from the first row has it.
      streamed.kind = Kind::kNthValue;
      break;
    case WindowFunctionKind::kLastValue: streamed.kind = Kind::kLastValue; break;
    case WindowFunctionKind::kAggregate: break;
    default: return std::nullopt;
  }
  if (window.distinct) return std::nullopt;
  const WindowFrame frame = EffectiveFrame(window);
  if (frame.start.kind != WindowBound::Kind::kUnboundedPreceding) return std::nullopt;
  if (IsWholePartition(window)) {
    streamed.wait = StreamedWindow::Wait::kEnd;
  } else if (frame.end.kind == WindowBound::Kind::kCurrentRow) {
    streamed.wait = frame.units == WindowFrame::Units::kRows ? StreamedWindow::Wait::kNone
                                                             : StreamedWindow::Wait::kPeers;
  } else {
    return std::nullopt;
  }
  // first_value is the partition's first row's, whatever the frame's end.
  if (*function == WindowFunctionKind::kFirstValue) streamed.wait = StreamedWindow::Wait::kNone;
  if (*function != WindowFunctionKind::kAggregate) return streamed;
  const std::string name = WindowAggregateName(window);
  if (name == "count_star" || name == "count") {
    streamed.kind = Kind::kCount;
    return streamed;
  }
  if (window.args.size() != 1) return std::nullopt;
  const DataType type = Bind(window.args[0], input)->type;
  if (name == "sum" || name == "mean") {
    const bool mean = name == "mean";
    if (IsExactNumber(type)) {
      streamed.kind = mean ? Kind::kExactMean : Kind::kExactSum;
    } else if (type.IsFloating()) {
      streamed.kind = mean ? Kind::kFloatMean : Kind::kFloatSum;
    } else {
      return std::nullopt;
    }
    return streamed;
  }
  if (name == "min" || name == "max") {
    streamed.kind = name == "min" ? Kind::kMin : Kind::kMax;
    return streamed;
  }
  return std::nullopt;
}

/// Row `row` of each of `columns` of `batch`, as one-row columns of their own.
std::vector<Column> RowValues(const Batch& batch, const std::vector<int>& columns, int64_t row,
                              MemoryPool* pool) {
  const uint32_t rows[] = {static_cast<uint32_t>(row)};
  std::vector<Column> values;
  for (int c : columns)
    values.push_back(GatherRows(batch.columns[static_cast<size_t>(c)], rows, pool));
  return values;
}

}  // namespace

bool IsReversed(const WindowExpr& window) {
  return FindWindowFunction(window.function) == WindowFunctionKind::kLead;
}

WindowExpr AsStreamed(const WindowExpr& window) {
  if (!IsReversed(window)) return window;
  WindowExpr lag = window;
  lag.function = "lag";
  for (SortKey& key : lag.order_by) {
    key.nulls_last = !key.NullsLast();
    key.descending = !key.descending;
  }
  return lag;
}

bool CanStreamWindows(const std::vector<WindowExpr>& windows, const Schema& input) {
  if (windows.empty()) return false;
  for (const WindowExpr& window : windows)
    if (!Classify(AsStreamed(window), input)) return false;
  return true;
}

struct WindowStream::Running {
  StreamedWindow how;
  /// lag: the partition's last rows (at most its offset); nth_value (first_value too): the
  /// partition's n-th row's value, once that row has gone by.
  Column tail;
  int64_t count = 0;
  U128 sum = 0;  ///< Exact sums, wrapping.
  FloatSum floats;
  Column best;         ///< min, max: the best value so far (one row; none before the first).
  WindowExpr as_rows;  ///< min, max: the window with a running ROWS frame.
};

/// Results that wait for a group's last row: a RANGE frame ending at the current row takes the
/// row's peers in (its group: the peer group), a frame ending at the partition's last row the
/// whole partition (its group: the partition). Until then the result columns hold each row's
/// running result (the frame ending at the row itself), and a row's result is the running result at
/// its group's last row. Batches wait, spillable, until the group of their last row has ended: all
/// of them but the first then end in that one group, so one row of values finishes them all.
class WindowStream::GroupEndStage {
 public:
  /// `columns`: the results to finish; `flag_column`: 1 where a group starts.
  GroupEndStage(std::vector<int> columns, int flag_column, const SchemaPtr& schema,
                std::function<void(Batch)> next, const ExecContext& context)
      : columns_(std::move(columns)),
        flag_column_(flag_column),
        next_(std::move(next)),
        pool_(context.pool),
        waiting_(schema, "window", context) {}

  void Push(Batch batch) {
    const int64_t n = batch.num_rows;
    const uint8_t* starts = batch.columns[static_cast<size_t>(flag_column_)].Values<uint8_t>();
    int64_t first_start = 0;
    while (first_start < n && starts[first_start] == 0) ++first_start;
    if (waiting_rows_ > 0 && first_start < n) {
      // The open group ended just before first_start.
      Release(first_start > 0 ? RowValues(batch, columns_, first_start - 1, pool_) : last_values_);
    }
    last_values_ = RowValues(batch, columns_, n - 1, pool_);
    waiting_rows_ += n;
    waiting_.Push(std::move(batch));
  }

  void Finish() {
    if (waiting_rows_ > 0) Release(last_values_);
  }

 private:
  /// Finishes and passes on every waiting batch; `ends` are the values at the open group's
  /// last row.
  void Release(const std::vector<Column>& ends) {
    Batch batch;
    while (waiting_.Pop(&batch)) next_(Finished(std::move(batch), ends));
    waiting_rows_ = 0;
  }

  Batch Finished(Batch batch, const std::vector<Column>& ends) const {
    const int64_t n = batch.num_rows;
    const uint8_t* starts = batch.columns[static_cast<size_t>(flag_column_)].Values<uint8_t>();
    // Per row: its group's last row in the batch (source 0), or the open group's (source 1).
    std::vector<uint32_t> sources(static_cast<size_t>(n)), rows(static_cast<size_t>(n));
    int64_t end = n;  // One past the last row of the group of the rows visited; n: open.
    for (int64_t r = n - 1; r >= 0; --r) {
      sources[static_cast<size_t>(r)] = end == n ? 1 : 0;
      rows[static_cast<size_t>(r)] = end == n ? 0 : static_cast<uint32_t>(end - 1);
      if (starts[r] != 0) end = r;
    }
    for (size_t i = 0; i < columns_.size(); ++i) {
      Column& column = batch.columns[static_cast<size_t>(columns_[i])];
      const Column* inputs[] = {&column, &ends[i]};
      column = GatherFromMany(inputs, sources, rows, pool_);
    }
    return batch;
  }

  std::vector<int> columns_;
  int flag_column_;
  std::function<void(Batch)> next_;
  MemoryPool* pool_;
  SpillableBatchQueue waiting_;
  int64_t waiting_rows_ = 0;
  std::vector<Column> last_values_;  ///< Of the last row pushed.
};

WindowStream::WindowStream(std::vector<WindowExpr> windows, const SchemaPtr& schema,
                           int window_columns, std::vector<DataType> result_types,
                           std::function<void(Batch)> emit, const ExecContext& context)
    : windows_(std::move(windows)),
      window_columns_(window_columns),
      result_types_(std::move(result_types)),
      emit_(std::move(emit)),
      pool_(context.pool != nullptr ? context.pool : MemoryPool::Default()) {
  std::vector<Field> window_fields, fields;
  for (int c = 0; c < window_columns_; ++c)
    window_fields.push_back(schema->field(static_cast<size_t>(c)));
  window_schema_ = std::make_shared<Schema>(window_fields);
  fields = window_fields;
  for (size_t w = 0; w < windows_.size(); ++w)
    fields.push_back({windows_[w].name, result_types_[w], true});
  for (size_t c = static_cast<size_t>(window_columns_); c < schema->size(); ++c)
    fields.push_back(schema->field(c));
  output_schema_ = std::make_shared<Schema>(fields);
  fields.push_back({"peer_start", UInt8(), false});
  fields.push_back({"partition_start", UInt8(), false});
  internal_schema_ = std::make_shared<Schema>(fields);

  std::vector<int> peer_columns, end_columns;
  for (size_t w = 0; w < windows_.size(); ++w) {
    const WindowExpr& window = windows_[w];
    Running running;
    const std::optional<StreamedWindow> how = Classify(window, *window_schema_);
    if (!how) ThrowInternal("{} cannot be computed over a stream", WindowExprToString(window));
    running.how = *how;
    if (how->kind == StreamedWindow::Kind::kMin || how->kind == StreamedWindow::Kind::kMax) {
      running.as_rows = window;
      running.as_rows.frame = WindowFrame{WindowFrame::Units::kRows,
                                          {WindowBound::Kind::kUnboundedPreceding, {}},
                                          {WindowBound::Kind::kCurrentRow, {}}};
    }
    if (how->kind == StreamedWindow::Kind::kFramed) {
      framed_ = true;
      rows_before_ = std::max(rows_before_, -how->frame.start);
      rows_after_ = std::max(rows_after_, how->frame.end);
      const auto width =
          static_cast<uint64_t>(std::max<int64_t>(1, how->frame.end - how->frame.start + 1));
      if (how->aligned)
        alignment_ = std::max(alignment_, 2 * static_cast<int64_t>(std::bit_ceil(width)));
    }
    const int column = window_columns_ + static_cast<int>(w);
    if (how->wait == StreamedWindow::Wait::kPeers) peer_columns.push_back(column);
    if (how->wait == StreamedWindow::Wait::kEnd) end_columns.push_back(column);
    running_.push_back(std::move(running));
    std::vector<BoundExprPtr> bound;
    for (const Expr& arg : window.args) bound.push_back(Bind(arg, *window_schema_));
    bound_args_.push_back(std::move(bound));
  }
  frame_rows_.schema = window_schema_;
  for (const Field& field : window_schema_->fields())
    frame_rows_.columns.push_back(MakeEmptyColumn(field.type, pool_));
  std::vector<SortKeyOrder> orders;
  for (const Expr& key : windows_[0].partition_by) {
    partition_keys_.push_back(Bind(key, *window_schema_));
    orders.push_back({partition_keys_.back()->type, false, true});
  }
  if (!orders.empty()) partition_encoder_ = std::make_unique<SortKeyEncoder>(orders);
  orders.clear();
  for (const SortKey& key : windows_[0].order_by) {
    order_keys_.push_back(Bind(key.expr, *window_schema_));
    orders.push_back({order_keys_.back()->type, key.descending, key.NullsLast()});
  }
  if (!orders.empty()) order_encoder_ = std::make_unique<SortKeyEncoder>(orders);

  ExecContext stage_context = context;
  stage_context.pool = pool_;
  std::function<void(Batch)> next = [this](Batch batch) {
    batch.columns.resize(batch.columns.size() - 2);  // The peer and partition starts.
    batch.schema = output_schema_;
    emit_(std::move(batch));
  };
  if (!end_columns.empty()) {
    whole_stage_ =
        std::make_unique<GroupEndStage>(end_columns, static_cast<int>(internal_schema_->size()) - 1,
                                        internal_schema_, std::move(next), stage_context);
    next = [this](Batch batch) { whole_stage_->Push(std::move(batch)); };
  }
  if (!peer_columns.empty()) {
    peer_stage_ = std::make_unique<GroupEndStage>(peer_columns,
                                                  static_cast<int>(internal_schema_->size()) - 2,
                                                  internal_schema_, std::move(next), stage_context);
    next = [this](Batch batch) { peer_stage_->Push(std::move(batch)); };
  }
  push_ = std::move(next);
}

WindowStream::~WindowStream() = default;

Batch WindowStream::WindowRows(const Batch& batch) const {
  Batch rows;
  rows.schema = window_schema_;
  rows.num_rows = batch.num_rows;
  rows.columns.assign(batch.columns.begin(), batch.columns.begin() + window_columns_);
  return rows;
}

void WindowStream::Push(Batch batch) {
  const int64_t n = batch.num_rows;
  if (n == 0) return;
  Starts starts = FindStarts(WindowRows(batch));
  pushed_ += n;
  waiting_rows_ += n;
  waiting_.emplace_back(std::move(batch), std::move(starts));
  ProcessWaiting(false);
}

void WindowStream::Finish() {
  ProcessWaiting(true);
  if (peer_stage_ != nullptr) peer_stage_->Finish();
  if (whole_stage_ != nullptr) whole_stage_->Finish();
}

void WindowStream::ProcessWaiting(bool all) {
  while (!waiting_.empty() &&
         (all || waiting_rows_ - waiting_.front().first.num_rows >= rows_after_)) {
    auto [batch, starts] = std::move(waiting_.front());
    waiting_.pop_front();
    waiting_rows_ -= batch.num_rows;
    Process(std::move(batch), starts);
  }
}

void WindowStream::Process(Batch batch, const Starts& starts) {
  const int64_t n = batch.num_rows;
  const Batch rows = WindowRows(batch);
  std::optional<FramedRows> framed;
  if (framed_) framed = WithFrameRows(rows, starts);
  Batch out;
  out.schema = internal_schema_;
  out.num_rows = n;
  out.seq = batch.seq;
  out.columns = rows.columns;
  for (size_t w = 0; w < windows_.size(); ++w)
    out.columns.push_back(Compute(w, rows, starts, framed ? &*framed : nullptr));
  for (size_t c = static_cast<size_t>(window_columns_); c < batch.columns.size(); ++c)
    out.columns.push_back(std::move(batch.columns[c]));
  out.columns.push_back(MakeFixedWindowColumn(UInt8(), starts.peer.data(), n, nullptr, pool_));
  out.columns.push_back(MakeFixedWindowColumn(UInt8(), starts.partition.data(), n, nullptr, pool_));
  for (int64_t r = 0; r < n; ++r) bases_.Step(starts, r, position_);
  position_ += n;
  if (framed_) KeepFrameRows(rows);
  push_(std::move(out));
}

WindowStream::FramedRows WindowStream::WithFrameRows(const Batch& rows,
                                                     const Starts& starts) const {
  const int64_t n = rows.num_rows;
  // The rows before: of the partition the batch's first row continues, if it does.
  int64_t before = 0;
  if (starts.partition[0] == 0) {
    const int64_t reach = position_ - rows_before_ - bases_.partition;
    before = reach <= 0 ? position_ - bases_.partition
                        : position_ - bases_.partition - reach / alignment_ * alignment_;
  }
  SLUICE_CHECK(before <= frame_rows_.num_rows);
  // Sources: 0 the rows kept, 1 the batch, 2... the batches waiting after it.
  std::vector<const Batch*> pieces = {&frame_rows_, &rows};
  std::vector<uint32_t> sources, at;
  std::vector<uint8_t> partition_starts;
  auto take = [&](uint32_t source, int64_t from, int64_t count, const uint8_t* flags) {
    for (int64_t r = from; r < from + count; ++r) {
      sources.push_back(source);
      at.push_back(static_cast<uint32_t>(r));
      partition_starts.push_back(flags != nullptr ? flags[r] : 0);
    }
  };
  take(0, frame_rows_.num_rows - before, before, nullptr);
  take(1, 0, n, starts.partition.data());
  int64_t after = rows_after_;
  for (auto it = waiting_.begin(); it != waiting_.end() && after > 0; ++it) {
    const int64_t count = std::min(after, it->first.num_rows);
    take(static_cast<uint32_t>(pieces.size()), 0, count, it->second.partition.data());
    pieces.push_back(&it->first);
    after -= count;
  }
  partition_starts[0] = 1;

  FramedRows framed;
  framed.first = before;
  framed.rows.schema = window_schema_;
  framed.rows.num_rows = static_cast<int64_t>(sources.size());
  if (framed.rows.num_rows == n) {
    framed.rows.columns = rows.columns;
  } else {
    std::vector<const Column*> inputs(pieces.size());
    for (int c = 0; c < window_columns_; ++c) {
      for (size_t p = 0; p < pieces.size(); ++p)
        inputs[p] = &pieces[p]->columns[static_cast<size_t>(c)];
      framed.rows.columns.push_back(GatherFromMany(inputs, sources, at, pool_));
    }
  }
  framed.order.rows = framed.rows.num_rows;
  for (size_t r = 0; r < partition_starts.size(); ++r)
    if (partition_starts[r] != 0) framed.order.partitions.push_back(static_cast<uint32_t>(r));
  framed.order.partitions.push_back(static_cast<uint32_t>(framed.order.rows));
  return framed;
}

void WindowStream::KeepFrameRows(const Batch& rows) {
  const int64_t kept = frame_rows_.num_rows, n = rows.num_rows;
  // As many as WithFrameRows takes at most.
  const int64_t keep = std::min(rows_before_ + alignment_ - 1, position_ - bases_.partition);
  std::vector<uint32_t> sources(static_cast<size_t>(keep)), at(static_cast<size_t>(keep));
  for (int64_t i = 0; i < keep; ++i) {
    const int64_t r = kept + n - keep + i;  // Among the kept rows, then the batch's.
    sources[static_cast<size_t>(i)] = r < kept ? 0 : 1;
    at[static_cast<size_t>(i)] = static_cast<uint32_t>(r < kept ? r : r - kept);
  }
  for (int c = 0; c < window_columns_; ++c) {
    Column& column = frame_rows_.columns[static_cast<size_t>(c)];
    const Column* inputs[] = {&column, &rows.columns[static_cast<size_t>(c)]};
    column = GatherFromMany(inputs, sources, at, pool_);
  }
  frame_rows_.num_rows = keep;
}

std::vector<uint8_t> WindowStream::KeyStarts(const SortKeyEncoder* encoder,
                                             const std::vector<BoundExprPtr>& keys,
                                             const Batch& rows, std::string* last_key) {
  const int64_t n = rows.num_rows;
  std::vector<uint8_t> starts(static_cast<size_t>(n), 0);
  starts[0] = pushed_ == 0;
  if (encoder == nullptr) return starts;
  std::vector<Column> columns;
  for (const BoundExprPtr& key : keys) columns.push_back(Evaluate(*key, rows, true, pool_));
  const SortKeyBlock block = encoder->Encode(columns);
  starts[0] = pushed_ == 0 || CompareKeys(*last_key, block.Key(0)) != 0;
  for (int64_t r = 1; r < n; ++r)
    starts[static_cast<size_t>(r)] = CompareKeys(block.Key(r - 1), block.Key(r)) != 0;
  last_key->assign(block.Key(n - 1));
  return starts;
}

WindowStream::Starts WindowStream::FindStarts(const Batch& rows) {
  Starts starts;
  starts.partition =
      KeyStarts(partition_encoder_.get(), partition_keys_, rows, &last_partition_key_);
  // Without ORDER BY every row is a peer of every other in its partition.
  starts.peer = KeyStarts(order_encoder_.get(), order_keys_, rows, &last_order_key_);
  for (size_t r = 0; r < starts.peer.size(); ++r) starts.peer[r] |= starts.partition[r];
  return starts;
}

Column WindowStream::Compute(size_t w, const Batch& rows, const Starts& starts,
                             const FramedRows* framed) {
  using Kind = StreamedWindow::Kind;
  const int64_t n = rows.num_rows;
  Running& state = running_[w];
  if (state.how.kind == Kind::kFramed) {
    std::vector<Column> args;
    for (const BoundExprPtr& arg : bound_args_[w])
      args.push_back(Evaluate(*arg, framed->rows, true, pool_));
    WindowContext context;
    context.input = &framed->rows;
    context.order = &framed->order;
    context.chunks = {{0, framed->order.num_partitions()}};
    context.pool = pool_;
    Column all = ComputeWindow(windows_[w], result_types_[w], std::move(args), context);
    return all.length == n ? all : all.Slice(framed->first, n, pool_);
  }
  std::vector<int64_t> ints(static_cast<size_t>(n));
  switch (state.how.kind) {
    case Kind::kRowNumber:
    case Kind::kRank:
    case Kind::kDenseRank: {
      Bases at = bases_;
      for (int64_t r = 0; r < n; ++r) {
        at.Step(starts, r, position_);
        const int64_t partition = at.partition, peer = at.peer, groups = at.groups;
        ints[static_cast<size_t>(r)] = state.how.kind == Kind::kRowNumber
                                           ? position_ + r - partition + 1
                                       : state.how.kind == Kind::kRank ? peer - partition + 1
                                                                       : groups;
      }
      return MakeFixedWindowColumn(Int64(), ints.data(), n, nullptr, pool_);
    }
    default: break;
  }
  std::vector<Column> args;
  for (const BoundExprPtr& arg : bound_args_[w]) args.push_back(Evaluate(*arg, rows, true, pool_));
  if (state.how.kind == Kind::kLag)
    return Lag(state, args, starts.partition, result_types_[w], windows_[w]);
  // last_value: the row's own value, until its frame's last row decides (GroupEndStage).
  if (state.how.kind == Kind::kLastValue) return args[0];
  if (state.how.kind == Kind::kNthValue) return NthValue(state, args[0], starts.partition);
  return Aggregate(state, args, starts.partition, n, result_types_[w], windows_[w]);
}

Column WindowStream::Lag(Running& state, const std::vector<Column>& args,
                         const std::vector<uint8_t>& partition_starts, const DataType& type,
                         const WindowExpr& window) {
  const Column& value = args[0];
  const int64_t n = value.length;
  const int64_t k = state.how.offset;
  if (state.tail.type != value.type) state.tail = MakeEmptyColumn(value.type, pool_);
  const int64_t kept = state.tail.length;
  const bool has_default = args.size() == 3;
  const Column fallback =
      has_default ? LagDefaultOfType(window, type, args[2], pool_) : MakeNullColumn(type, 1, pool_);
  // Sources: 0 the kept rows, 1 this batch's, 2 the default (or a null).
  std::vector<uint32_t> sources(static_cast<size_t>(n)), rows(static_cast<size_t>(n));
  int64_t partition = bases_.partition;  // The position of the row's partition's first row.
  int64_t last_start = -1;               // The last partition start in this batch.
  for (int64_t r = 0; r < n; ++r) {
    if (partition_starts[static_cast<size_t>(r)] != 0) partition = position_ + (last_start = r);
    // In this batch; below 0: among the kept rows (the last ones of the same partition).
    const int64_t at = r - k;
    if (position_ + at >= partition) {
      sources[static_cast<size_t>(r)] = at >= 0 ? 1 : 0;
      rows[static_cast<size_t>(r)] = static_cast<uint32_t>(at >= 0 ? at : kept + at);
    } else {
      sources[static_cast<size_t>(r)] = 2;
      rows[static_cast<size_t>(r)] = has_default ? static_cast<uint32_t>(r) : 0;
    }
  }
  const Column* inputs[] = {&state.tail, &value, &fallback};
  Column result = GatherFromMany(inputs, sources, rows, pool_);
  // Keep the last k rows of the kept ones and this batch's that are in the last partition.
  const int64_t keep = std::min(k, last_start >= 0 ? n - last_start : kept + n);
  sources.assign(static_cast<size_t>(keep), 0);
  rows.assign(static_cast<size_t>(keep), 0);
  for (int64_t i = 0; i < keep; ++i) {
    const int64_t at = kept + n - keep + i;
    sources[static_cast<size_t>(i)] = at >= kept ? 1 : 0;
    rows[static_cast<size_t>(i)] = static_cast<uint32_t>(at >= kept ? at - kept : at);
  }
  state.tail = GatherFromMany(std::span<const Column* const>(inputs, 2), sources, rows, pool_);
  return result;
}

Column WindowStream::NthValue(Running& state, const Column& value,
                              const std::vector<uint8_t>& partition_starts) {
  // The value at the partition's n-th row once the frame (here: ending at the row itself)
  // reaches it; null before. Sources: 0 that value, kept from an earlier batch; 1 this batch's
  // rows; 2 a null.
  const int64_t n = value.length;
  const int64_t nth = state.how.offset;
  if (state.tail.type != value.type) state.tail = MakeEmptyColumn(value.type, pool_);
  const Column null_value = MakeNullColumn(value.type, 1, pool_);
  std::vector<uint32_t> sources(static_cast<size_t>(n)), rows(static_cast<size_t>(n));
  int64_t partition = bases_.partition;
  uint32_t source = state.tail.length > 0 ? 0 : 2, row = 0;
  for (int64_t r = 0; r < n; ++r) {
    if (partition_starts[static_cast<size_t>(r)] != 0) {
      partition = position_ + r;
      source = 2;
      row = 0;
    }
    if (position_ + r - partition == nth - 1) {
      source = 1;
      row = static_cast<uint32_t>(r);
    }
    sources[static_cast<size_t>(r)] = source;
    rows[static_cast<size_t>(r)] = row;
  }
  const Column* inputs[] = {&state.tail, &value, &null_value};
  Column result = GatherFromMany(inputs, sources, rows, pool_);
  if (source == 1) {
    const uint32_t at[] = {row};
    state.tail = GatherRows(value, at, pool_);
  } else if (source == 2) {
    state.tail = MakeEmptyColumn(value.type, pool_);
  }
  return result;
}

Column WindowStream::Aggregate(Running& state, const std::vector<Column>& args,
                               const std::vector<uint8_t>& partition_starts, int64_t n,
                               const DataType& type, const WindowExpr& window) {
  auto starts_partition = [&](int64_t r) { return partition_starts[static_cast<size_t>(r)] != 0; };
  using Kind = StreamedWindow::Kind;
  const Kind kind = state.how.kind;
  if (kind == Kind::kCount) {
    const Column* arg = args.empty() ? nullptr : &args[0];
    std::vector<int64_t> counts(static_cast<size_t>(n));
    for (int64_t r = 0; r < n; ++r) {
      if (starts_partition(r)) state.count = 0;
      if (arg == nullptr || arg->IsValid(r)) ++state.count;
      counts[static_cast<size_t>(r)] = state.count;
    }
    return MakeFixedWindowColumn(type, counts.data(), n, nullptr, pool_);
  }
  if (kind == Kind::kMin || kind == Kind::kMax) return Best(state, args[0], partition_starts, type);
  const Column& arg = args[0];
  std::vector<uint8_t> valid(static_cast<size_t>(n), 0);
  if (kind == Kind::kFloatSum || kind == Kind::kFloatMean) {
    std::vector<double> results(static_cast<size_t>(n), 0.0);
    for (int64_t r = 0; r < n; ++r) {
      if (starts_partition(r)) state.floats = FloatSum{};
      state.floats = Combine(state.floats, FloatLeaf(arg, r));
      if (state.floats.count == 0) continue;
      valid[static_cast<size_t>(r)] = 1;
      results[static_cast<size_t>(r)] = state.floats.Result(kind == Kind::kFloatMean);
    }
    return MakeFixedWindowColumn(Float64(), results.data(), n, &valid, pool_);
  }
  const bool mean = kind == Kind::kExactMean;
  const bool decimal = arg.type.id == TypeId::kDecimal;
  const double divisor = decimal ? static_cast<double>(PowerOfTen(arg.type.scale)) : 1.0;
  std::vector<int64_t> sums64(!mean && !decimal ? static_cast<size_t>(n) : 0);
  std::vector<int128_t> sums128(!mean && decimal ? static_cast<size_t>(n) : 0);
  std::vector<double> means(mean ? static_cast<size_t>(n) : 0);
  for (int64_t r = 0; r < n; ++r) {
    if (starts_partition(r)) {
      state.count = 0;
      state.sum = 0;
    }
    if (arg.IsValid(r)) {
      ++state.count;
      state.sum += static_cast<U128>(ExactAt(arg, r));
    }
    if (state.count == 0) continue;
    valid[static_cast<size_t>(r)] = 1;
    const auto total = static_cast<int128_t>(state.sum);
    if (mean) {
      means[static_cast<size_t>(r)] =
          static_cast<double>(total) / divisor / static_cast<double>(state.count);
    } else if (ExactSumOverflows(total, decimal)) {
      ThrowSumOverflow(type, WindowExprToString(window));
    } else if (decimal) {
      sums128[static_cast<size_t>(r)] = total;
    } else {
      sums64[static_cast<size_t>(r)] = static_cast<int64_t>(total);
    }
  }
  if (mean) return MakeFixedWindowColumn(type, means.data(), n, &valid, pool_);
  return decimal ? MakeFixedWindowColumn(type, sums128.data(), n, &valid, pool_)
                 : MakeFixedWindowColumn(type, sums64.data(), n, &valid, pool_);
}

Column WindowStream::Best(Running& state, const Column& arg,
                          const std::vector<uint8_t>& partition_starts, const DataType& type) {
  // The best value so far in the partition, then this batch's: the in-memory running fold over
  // them keeps the earlier of equal values, as it would over all rows.
  const int64_t n = arg.length;
  const int64_t carried = partition_starts[0] != 0 ? 0 : state.best.length;
  Column values = arg;
  if (carried > 0) {
    std::vector<uint32_t> sources(static_cast<size_t>(n + 1), 1), rows(static_cast<size_t>(n + 1));
    sources[0] = 0;
    for (int64_t r = 0; r < n; ++r) rows[static_cast<size_t>(r + 1)] = static_cast<uint32_t>(r);
    const Column* inputs[] = {&state.best, &arg};
    values = GatherFromMany(inputs, sources, rows, pool_);
  }
  const int64_t m = values.length;
  WindowOrder order;
  order.rows = m;
  order.partitions = {0};
  for (int64_t r = 0; r < n; ++r)
    if (partition_starts[static_cast<size_t>(r)] != 0 && r + carried > 0)
      order.partitions.push_back(static_cast<uint32_t>(r + carried));
  order.partitions.push_back(static_cast<uint32_t>(m));
  const Batch no_input;  // A ROWS frame reads no order keys.
  const WindowFrames frames(state.as_rows, no_input, order, pool_);
  WindowContext context;
  context.input = &no_input;
  context.order = &order;
  context.chunks = {{0, order.num_partitions()}};
  context.pool = pool_;
  Column result = ComputeWindowAggregate(state.as_rows, type, {values}, frames, context);
  const uint32_t last[] = {static_cast<uint32_t>(m - 1)};
  state.best = GatherRows(result, last, pool_);
  return carried > 0 ? result.Slice(1, n, pool_) : result;
}

}  // namespace sluice::exec
