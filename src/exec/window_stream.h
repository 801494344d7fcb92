// Windows over one ordered stream. Windows without a PARTITION BY common to all of them cannot
// spill by partitions, so rather than hold every row, the window sink sorts its rows externally
// (exec/sort.h, which spills under pressure) by each window specification in turn (partition
// keys, order keys, input position), computes that specification's windows here batch by batch,
// and at the end sorts the results back into input order the same way.
//
// A batch's results depend only on its rows and on a little state the earlier batches left:
// the current partition and peer group, running counts and sums, the best value so far, the
// last rows for lag. Windows over ROWS frames a few rows around the current one (a moving
// average) are computed by the in-memory functions over the batch together with the rows
// before and after it that its frames reach: the last rows of the batches before, and the
// batches after, which wait until enough of them have come. Results that depend on rows still to
// come (a RANGE frame ends with the row's last peer; a frame may end at the last row) wait with
// their batches in a spillable queue until that row has gone by. The arithmetic is the in-memory
// path's, in the same order (window_sums.h), so the results are the same bytes.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/batch.h"
#include "exec/pipeline.h"
#include "exec/sort_keys.h"
#include "exec/window_order.h"
#include "expr/bound_expr.h"
#include "plan/logical_plan.h"

namespace sluice::exec {

/// The farthest a stream reaches back or ahead: lag's largest constant offset, and the farthest
/// end of a ROWS frame around the current row. It keeps that many rows.
inline constexpr int64_t kMaxStreamRows = int64_t{1} << 16;

/// True when WindowStream computes each of `windows` (as AsStreamed gives them) over rows of
/// `input`: each is row_number, rank, dense_rank, lag or lead with a constant offset (at most
/// kMaxStreamRows), or first_value, last_value, nth_value (n constant), count, sum, avg, min or
/// max (not DISTINCT; sums of numbers) over a frame from the partition's first row to the
/// current one (ROWS or RANGE) or to its last, or any aggregate, first_value, last_value or
/// nth_value over a ROWS frame whose ends are at most kMaxStreamRows rows from the current row
/// (`n PRECEDING`, `CURRENT ROW`, `n FOLLOWING`).
bool CanStreamWindows(const std::vector<WindowExpr>& windows, const Schema& input);

/// `window` as a stream computes it: lead(x, k) is lag(x, k) over the reverse order (ORDER BY
/// reversed, nulls too, and ties in reverse input order: see IsReversed), every other window as
/// it is.
WindowExpr AsStreamed(const WindowExpr& window);

/// True when the stream of `window` runs over its rows in reverse order (lead).
bool IsReversed(const WindowExpr& window);

class WindowStream {
 public:
  /// `windows` share one specification (PARTITION BY and ORDER BY). `schema`: of the batches
  /// Push takes, sorted by that specification: the windows' input columns (the first
  /// `window_columns`), then columns carried through. `result_types`: one per window. `emit`
  /// takes the batches out, in window order: the windows' input columns, one result column per
  /// window, then the carried columns.
  WindowStream(std::vector<WindowExpr> windows, const SchemaPtr& schema, int window_columns,
               std::vector<DataType> result_types, std::function<void(Batch)> emit,
               const ExecContext& context);
  ~WindowStream();
  WindowStream(const WindowStream&) = delete;
  WindowStream& operator=(const WindowStream&) = delete;

  /// The next rows in window order.
  void Push(Batch batch);
  /// After the last Push: emits the rows that still wait.
  void Finish();

 private:
  class GroupEndStage;
  struct Running;

  /// Per row of a batch, 1 where it starts a partition, or a peer group.
  struct Starts {
    std::vector<uint8_t> partition, peer;
  };
  /// A batch's rows with the rows before and after it that its ROWS frames reach, as one run in
  /// window order: the rows of the current partition from a multiple of `alignment_` rows after
  /// its first row (at least `rows_before_` before the batch, or from the partition's first
  /// row), the batch, and up to `rows_after_` rows of the batches after it.
  struct FramedRows {
    Batch rows;
    WindowOrder order;  ///< The identity, with the partitions (the first row starts one).
    int64_t first = 0;  ///< Where the batch's rows begin.
  };

  /// Computes the windows of the oldest waiting batch once the rows its frames reach are there
  /// (or, with `all`, whatever comes after), and the next, as long as that holds.
  void ProcessWaiting(bool all);
  /// The windows' input columns of `batch` (its first `window_columns_`).
  Batch WindowRows(const Batch& batch) const;
  void Process(Batch batch, const Starts& starts);
  FramedRows WithFrameRows(const Batch& rows, const Starts& starts) const;
  /// After a batch: keeps the current partition's last rows that the next batch's frames reach.
  void KeepFrameRows(const Batch& rows);
  Starts FindStarts(const Batch& rows);
  /// 1 where a row's `keys` differ from the previous row's (`last_key` is the last of the
  /// batch before, and becomes this one's); without keys only at the first row.
  std::vector<uint8_t> KeyStarts(const SortKeyEncoder* encoder,
                                 const std::vector<BoundExprPtr>& keys, const Batch& rows,
                                 std::string* last_key);
  Column Compute(size_t w, const Batch& rows, const Starts& starts, const FramedRows* framed);
  Column Lag(Running& state, const std::vector<Column>& args,
             const std::vector<uint8_t>& partition_starts, const DataType& type,
             const WindowExpr& window);
  Column NthValue(Running& state, const Column& value,
                  const std::vector<uint8_t>& partition_starts);
  Column Aggregate(Running& state, const std::vector<Column>& args,
                   const std::vector<uint8_t>& partition_starts, int64_t rows, const DataType& type,
                   const WindowExpr& window);
  Column Best(Running& state, const Column& arg, const std::vector<uint8_t>& partition_starts,
              const DataType& type);

  std::vector<WindowExpr> windows_;
  int window_columns_;
  SchemaPtr window_schema_;    ///< Of the windows' input columns.
  SchemaPtr internal_schema_;  ///< Of the batches between the stages (with peer starts last).
  SchemaPtr output_schema_;
  std::vector<DataType> result_types_;
  std::vector<std::vector<BoundExprPtr>> bound_args_;
  std::vector<BoundExprPtr> partition_keys_, order_keys_;
  std::unique_ptr<SortKeyEncoder> partition_encoder_, order_encoder_;
  std::vector<Running> running_;
  std::function<void(Batch)> emit_;
  std::function<void(Batch)> push_;  ///< Into the first stage (or out).
  MemoryPool* pool_;
  std::unique_ptr<GroupEndStage> peer_stage_;   ///< RANGE frames ending at the current row.
  std::unique_ptr<GroupEndStage> whole_stage_;  ///< Frames ending at the partition's last row.
  /// Where the current partition and peer group begin, and the peer groups begun in the
  /// partition so far.
  struct Bases {
    int64_t partition = 0, peer = 0, groups = 0;
    /// Moves to row `row` of a batch whose first row is at `position`.
    void Step(const Starts& starts, int64_t row, int64_t position) {
      if (starts.partition[static_cast<size_t>(row)] != 0) {
        partition = position + row;
        groups = 0;
      }
      if (starts.peer[static_cast<size_t>(row)] != 0) {
        peer = position + row;
        ++groups;
      }
    }
  };
  int64_t position_ = 0;  ///< Rows computed so far.
  int64_t pushed_ = 0;    ///< Rows pushed so far.
  Bases bases_;           ///< As of the last row computed.
  // ROWS frames around the current row (FramedRows).
  int64_t rows_before_ = 0, rows_after_ = 0, alignment_ = 1;
  bool framed_ = false;
  Batch frame_rows_;  ///< The last rows of the current partition computed.
  std::deque<std::pair<Batch, Starts>> waiting_;  ///< Pushed, not yet computed.
  int64_t waiting_rows_ = 0;
  /// The keys of the last row pushed.
  std::string last_partition_key_, last_order_key_;
};

}  // namespace sluice::exec
