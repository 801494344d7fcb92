// Window frames: for each sorted position of a partition, the positions [start, end) its frame
// covers (ROWS or RANGE, UNBOUNDED / n PRECEDING / CURRENT ROW / n FOLLOWING). RANGE with an
// offset compares the one ORDER BY key's values (numbers, dates, times, timestamps, durations);
// rows whose key is null have the other null-keyed rows as their offset bounds, as PostgreSQL.
// Both bounds never decrease from one position to the next, which the aggregates rely on.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/batch.h"
#include "core/decimal.h"
#include "exec/window_order.h"
#include "plan/logical_plan.h"

namespace sluice::exec {

class WindowFrames {
 public:
  /// Prepares the frames of `window` (its effective frame) over `input` sorted by `order`.
  WindowFrames(const WindowExpr& window, const Batch& input, const WindowOrder& order,
               MemoryPool* pool);

  /// Fills starts[i] and ends[i] for positions begin + i of the partition [begin, end).
  void Compute(int64_t begin, int64_t end, int64_t* starts, int64_t* ends) const;

  /// Every frame starts at its partition's first row (a running frame).
  bool starts_at_partition() const {
    return frame_.start.kind == WindowBound::Kind::kUnboundedPreceding ||
           (whole_ && frame_.start.kind == WindowBound::Kind::kCurrentRow);
  }
  /// Every frame ends at its partition's last row.
  bool ends_at_partition() const {
    return frame_.end.kind == WindowBound::Kind::kUnboundedFollowing ||
           (whole_ && frame_.end.kind == WindowBound::Kind::kCurrentRow);
  }

 private:
  int64_t Bound(const WindowBound& bound, bool is_start, int64_t p, int64_t begin, int64_t end,
                int64_t valid_begin, int64_t valid_end) const;
  template <typename T>
  int64_t RangeBound(const std::vector<T>& keys, T offset, bool preceding, bool is_start, int64_t p,
                     int64_t valid_begin, int64_t valid_end) const;

  WindowFrame frame_;
  const WindowOrder& order_;
  bool whole_ = false;  ///< RANGE CURRENT ROW without ORDER BY: every row is a peer.
  bool descending_ = false;
  // RANGE with an offset: the ORDER BY key per sorted position, as exact integers (integers,
  // decimals at a common scale, times in nanoseconds) or doubles (floats), with validity.
  bool use_double_ = false;
  std::vector<int128_t> int_keys_;
  std::vector<double> double_keys_;
  std::vector<uint8_t> key_valid_;
  int128_t start_int_ = 0, end_int_ = 0;
  double start_double_ = 0, end_double_ = 0;
};

/// A ROWS frame whose both ends are a constant number of rows from the current row: it covers
/// the rows from `start` to `end` after it (negative: before it; CURRENT ROW is 0), within the
/// partition.
struct RowsFrameOffsets {
  int64_t start = 0, end = 0;
};

/// The offsets of `frame` when it is such a frame (offsets beyond 2^40 count as 2^40), else
/// nothing.
std::optional<RowsFrameOffsets> BoundedRowsFrame(const WindowFrame& frame);

/// The frames of one partition [begin, end): starts[i] and ends[i] for position begin + i, in
/// the calling thread's scratch (one partition at a time per thread).
struct PartitionFrames {
  PartitionFrames(const WindowFrames& frames, int64_t begin, int64_t end);
  ~PartitionFrames();
  PartitionFrames(const PartitionFrames&) = delete;
  PartitionFrames& operator=(const PartitionFrames&) = delete;

  const int64_t* starts;
  const int64_t* ends;

  /// The scratch this thread keeps between partitions, for tests.
  static int64_t KeptBytes();
};

/// A window function's per-thread scratch is reused from one partition to the next, but a large
/// partition's is freed once it is done: the window charges it to the pool only while it
/// computes (WindowWorkBytesPerRow), so no thread may keep it after (after a 1M-row partition,
/// the frame bounds alone take 16 MB).
template <typename T>
void TrimScratch(std::vector<T>* scratch) {
  constexpr size_t kKeptBytes = size_t{1} << 20;
  if (scratch->capacity() * sizeof(T) > kKeptBytes) std::vector<T>().swap(*scratch);
}

}  // namespace sluice::exec
