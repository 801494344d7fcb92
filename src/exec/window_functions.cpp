// Ranking, offset and frame-value window functions (see window_functions.h); aggregates are in
// window_aggregates.cpp. Value functions compute, per row, which input row supplies the value
// and gather the argument column once at the end.
#include "exec/window_functions.h"

#include <algorithm>
#include <atomic>
#include <cstring>

#include "core/bitmap.h"
#include "core/error.h"
#include "exec/row_gather.h"
#include "exec/window_sums.h"
#include "expr/bound_expr.h"
#include "expr/evaluate.h"

namespace sluice::exec {

void WindowContext::ForEachPartition(
    const std::function<void(int64_t begin, int64_t end)>& body) const {
  auto run = [&](int64_t c) {
    const auto [first, last] = chunks[static_cast<size_t>(c)];
    for (int64_t part = first; part < last; ++part)
      body(order->partitions[static_cast<size_t>(part)],
           order->partitions[static_cast<size_t>(part + 1)]);
  };
  const int64_t count = static_cast<int64_t>(chunks.size());
  if (threads == nullptr || count <= 1) {
    for (int64_t c = 0; c < count; ++c) run(c);
  } else {
    threads->ParallelFor(count, run);
  }
}

Column MakeFixedWindowColumn(const DataType& type, const void* values, int64_t rows,
                             const std::vector<uint8_t>* valid, MemoryPool* pool) {
  Column column;
  column.type = type;
  column.length = rows;
  const int64_t bytes = rows * type.FixedWidth();
  column.values = Buffer::Make(bytes, pool);
  column.values->Resize(bytes);
  if (bytes > 0) std::memcpy(column.values->data(), values, static_cast<size_t>(bytes));
  if (valid != nullptr) {
    int64_t nulls = 0;
    for (uint8_t v : *valid) nulls += v == 0;
    if (nulls > 0) {
      column.null_count = nulls;
      column.validity = Buffer::MakeZeroed(bits::BytesFor(rows), pool);
      column.validity->Resize(bits::BytesFor(rows));
      uint8_t* out = column.validity->data();
      for (int64_t i = 0; i < rows; ++i)
        if ((*valid)[static_cast<size_t>(i)] != 0) bits::Set(out, i);
    }
  }
  return column;
}

namespace {

/// Reads an integer argument (ntile's bucket count, lag's offset, nth_value's n) at `row`.
int64_t IntegerAt(const Column& column, int64_t row) {
  if (!column.type.IsInteger())
    ThrowInternal("window argument of type {} is not an integer", column.type.ToString());
  return static_cast<int64_t>(std::min<int128_t>(ExactAt(column, row), INT64_MAX));
}

Column Ranking(WindowFunctionKind kind, const std::vector<Column>& args,
               const WindowContext& context) {
  const WindowOrder& order = *context.order;
  const int64_t n = order.rows;
  const bool is_float =
      kind == WindowFunctionKind::kPercentRank || kind == WindowFunctionKind::kCumeDist;
  std::vector<int64_t> ints(is_float ? 0 : static_cast<size_t>(n));
  std::vector<double> doubles(is_float ? static_cast<size_t>(n) : 0);
  std::vector<uint8_t> valid;
  if (kind == WindowFunctionKind::kNtile) valid.assign(static_cast<size_t>(n), 1);
  std::atomic<bool> bad_ntile{false};
  context.ForEachPartition([&](int64_t begin, int64_t end) {
    const int64_t size = end - begin;
    int64_t dense = 0;
    for (int64_t p = begin; p < end; ++p) {
      const size_t row = order.Row(p);
      const int64_t peer = order.peer_begin[static_cast<size_t>(p)];
      switch (kind) {
        case WindowFunctionKind::kRowNumber: ints[row] = p - begin + 1; break;
        case WindowFunctionKind::kRank: ints[row] = peer - begin + 1; break;
        case WindowFunctionKind::kDenseRank:
          if (peer == p) ++dense;
          ints[row] = dense;
          break;
        case WindowFunctionKind::kPercentRank:
          doubles[row] =
              size > 1 ? static_cast<double>(peer - begin) / static_cast<double>(size - 1) : 0.0;
          break;
        case WindowFunctionKind::kCumeDist:
          doubles[row] = static_cast<double>(order.peer_end[static_cast<size_t>(p)] - begin) /
                         static_cast<double>(size);
          break;
        case WindowFunctionKind::kNtile: {
          const Column& buckets_column = args[0];
          if (buckets_column.IsNull(static_cast<int64_t>(row))) {
            valid[row] = 0;
            ints[row] = 0;
            break;
          }
          int64_t buckets = IntegerAt(buckets_column, static_cast<int64_t>(row));
          if (buckets <= 0) {
            bad_ntile = true;
            buckets = 1;
          }
          // As PostgreSQL and DuckDB: the first size % buckets buckets hold one row more.
          buckets = std::min(buckets, size);
          const int64_t small = size / buckets;
          const int64_t large = size - buckets * small;
          const int64_t at = p - begin;
          const int64_t in_large = large * (small + 1);
          ints[row] = at < in_large ? 1 + at / (small + 1) : 1 + large + (at - in_large) / small;
          break;
        }
        default: ThrowInternal("not a ranking window function");
      }
    }
  });
  if (bad_ntile) ThrowInvalid("the bucket count of ntile() must be greater than zero");
  if (is_float) return MakeFixedWindowColumn(Float64(), doubles.data(), n, nullptr, context.pool);
  return MakeFixedWindowColumn(Int64(), ints.data(), n, valid.empty() ? nullptr : &valid,
                               context.pool);
}

/// lag and lead: the value `offset` rows before (after) in the partition, else the default.
Column LagLead(bool lag, const std::vector<Column>& args, const DataType& type,
               const WindowContext& context) {
  const WindowOrder& order = *context.order;
  const int64_t n = order.rows;
  const bool has_default = args.size() == 3;
  std::vector<uint32_t> sources(static_cast<size_t>(n), 0);  // 0: the argument, 1: the default
  std::vector<uint32_t> rows(static_cast<size_t>(n), kNullRow);
  context.ForEachPartition([&](int64_t begin, int64_t end) {
    for (int64_t p = begin; p < end; ++p) {
      const uint32_t row = order.Row(p);
      int64_t offset = 1;
      if (args.size() >= 2) {
        if (args[1].IsNull(row)) continue;  // A null offset gives null.
        offset = IntegerAt(args[1], row);
        offset = std::clamp<int64_t>(offset, -(int64_t{1} << 40), int64_t{1} << 40);
      }
      const int64_t at = lag ? p - offset : p + offset;
      if (at >= begin && at < end) {
        rows[row] = order.Row(at);
      } else if (has_default) {
        sources[row] = 1;
        rows[row] = row;
      }
    }
  });
  if (!has_default) return GatherRows(args[0], rows, context.pool);
  // kNullRow entries read the third source, a single null.
  const Column null_value = MakeNullColumn(type, 1, context.pool);
  for (size_t i = 0; i < rows.size(); ++i) {
    if (rows[i] == kNullRow) {
      sources[i] = 2;
      rows[i] = 0;
    }
  }
  const Column* inputs[] = {&args[0], &args[2], &null_value};
  return GatherFromMany(inputs, sources, rows, context.pool);
}

/// first_value, last_value, nth_value: a row of the frame.
Column FrameValue(WindowFunctionKind kind, const std::vector<Column>& args,
                  const WindowFrames& frames, const WindowContext& context) {
  const WindowOrder& order = *context.order;
  const int64_t n = order.rows;
  std::vector<uint32_t> rows(static_cast<size_t>(n), kNullRow);
  std::atomic<bool> bad_nth{false};
  context.ForEachPartition([&](int64_t begin, int64_t end) {
    const PartitionFrames f(frames, begin, end);
    for (int64_t p = begin; p < end; ++p) {
      const uint32_t row = order.Row(p);
      const int64_t start = f.starts[p - begin];
      const int64_t stop = f.ends[p - begin];
      if (start >= stop) continue;
      int64_t at = -1;
      if (kind == WindowFunctionKind::kFirstValue) {
        at = start;
      } else if (kind == WindowFunctionKind::kLastValue) {
        at = stop - 1;
      } else {
        if (args[1].IsNull(row)) continue;
        const int64_t nth = IntegerAt(args[1], row);
        if (nth < 1) {
          bad_nth = true;
          continue;
        }
        if (nth <= stop - start) at = start + nth - 1;
      }
      if (at >= 0) rows[row] = order.Row(at);
    }
  });
  if (bad_nth) ThrowInvalid("the row number of nth_value() must be at least 1");
  return GatherRows(args[0], rows, context.pool);
}

}  // namespace

int64_t WindowWorkBytesPerRow(const WindowExpr& window) {
  const std::optional<WindowFunctionKind> kind = FindWindowFunction(window.function);
  if (!kind) return 0;
  // Frame bounds: a start and an end per row; RANGE with an offset also keeps the order key as a
  // 16-byte integer and a validity byte per row.
  const WindowFrame frame = EffectiveFrame(window);
  const bool range_offsets = frame.units == WindowFrame::Units::kRange &&
                             (frame.start.kind == WindowBound::Kind::kPreceding ||
                              frame.start.kind == WindowBound::Kind::kFollowing ||
                              frame.end.kind == WindowBound::Kind::kPreceding ||
                              frame.end.kind == WindowBound::Kind::kFollowing);
  const int64_t bounds = 16 + (range_offsets ? 17 : 0);
  switch (*kind) {
    case WindowFunctionKind::kLag:
    case WindowFunctionKind::kLead: return 8;  // The source and row of each value.
    case WindowFunctionKind::kFirstValue:
    case WindowFunctionKind::kLastValue:
    case WindowFunctionKind::kNthValue: return bounds + 4;  // And the row each value comes from.
    case WindowFunctionKind::kAggregate: {
      // And results and states; frames that neither start at the partition's first row nor end
      // at its last fold a segment tree: up to 4 states per row, 24 bytes each for float sums.
      const bool tree = frame.start.kind != WindowBound::Kind::kUnboundedPreceding &&
                        frame.end.kind != WindowBound::Kind::kUnboundedFollowing &&
                        !IsWholePartition(window);
      return bounds + 33 + (tree ? 96 : 0);
    }
    default: return 16;  // Ranking: the values and their validity.
  }
}

Column LagDefaultOfType(const WindowExpr& window, const DataType& type, Column value,
                        MemoryPool* pool) {
  if (value.type == type) return value;
  // MakeWindow checked that it converts.
  Batch one;
  one.schema = std::make_shared<Schema>(std::vector<Field>{{"default", value.type, true}});
  one.num_rows = value.length;
  one.columns = {std::move(value)};
  BoundExprPtr cast =
      BindCast(Bind(col("default"), *one.schema), type, false, WindowExprToString(window));
  return Evaluate(*cast, one, /*expand=*/true, pool);
}

Column ComputeWindow(const WindowExpr& window, const DataType& type, std::vector<Column> args,
                     const WindowContext& context) {
  const std::optional<WindowFunctionKind> kind = FindWindowFunction(window.function);
  if (!kind) ThrowInvalid("unknown window function {}()", window.function);
  switch (*kind) {
    case WindowFunctionKind::kRowNumber:
    case WindowFunctionKind::kRank:
    case WindowFunctionKind::kDenseRank:
    case WindowFunctionKind::kPercentRank:
    case WindowFunctionKind::kCumeDist:
    case WindowFunctionKind::kNtile: return Ranking(*kind, args, context);
    case WindowFunctionKind::kLag:
    case WindowFunctionKind::kLead: {
      if (args.size() == 3)
        args[2] = LagDefaultOfType(window, type, std::move(args[2]), context.pool);
      return LagLead(*kind == WindowFunctionKind::kLag, args, type, context);
    }
    case WindowFunctionKind::kFirstValue:
    case WindowFunctionKind::kLastValue:
    case WindowFunctionKind::kNthValue: {
      WindowFrames frames(window, *context.input, *context.order, context.pool);
      return FrameValue(*kind, args, frames, context);
    }
    case WindowFunctionKind::kAggregate: {
      WindowFrames frames(window, *context.input, *context.order, context.pool);
      return ComputeWindowAggregate(window, type, args, frames, context);
    }
  }
  ThrowInternal("unknown window function kind");
}

}  // namespace sluice::exec
