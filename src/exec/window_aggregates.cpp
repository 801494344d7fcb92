// Aggregates over window frames. Frames only move forward (both bounds never decrease), so:
//   count, count(*), and sums and means of integers and decimals slide a count and a sum along
//   the partition, rows entering and leaving the frame (exact: int128 arithmetic that wraps,
//   whose differences are exact; no scratch per row);
//   float sums and means (compensated) and min/max fold a state over the frame: a running fold
//   when every frame starts at the partition's start, a reverse one when every frame ends at
//   its end, else a segment tree of aligned blocks per partition: O(n log n) whatever the frame
//   size;
//   every other aggregate of the registry (and DISTINCT) feeds its grouped state one group per
//   distinct frame: exact, but O(rows × frame) when frames differ row by row.
#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <cstring>
#include <string_view>

#include "core/decimal.h"
#include "core/error.h"
#include "exec/row_gather.h"
#include "exec/window_functions.h"
#include "exec/window_sums.h"
#include "expr/aggregate_function.h"
#include "plan/expr_util.h"

namespace sluice::exec {
namespace {

/// Folds `combine` over each frame of the partition [begin, end): emit(p, state) per position.
/// leaf(q) is the state of position q alone.
template <typename State, typename Leaf, typename Combine, typename Emit>
void FoldFrames(const WindowFrames& frames, int64_t begin, int64_t end, const PartitionFrames& f,
                State identity, Leaf&& leaf, Combine&& combine, Emit&& emit) {
  const int64_t m = end - begin;
  if (frames.starts_at_partition()) {
    State state = identity;
    int64_t at = begin;
    for (int64_t i = 0; i < m; ++i) {
      for (; at < f.ends[i]; ++at) state = combine(state, leaf(at));
      emit(begin + i, state);
    }
    return;
  }
  if (frames.ends_at_partition()) {
    State state = identity;
    int64_t at = end;
    for (int64_t i = m - 1; i >= 0; --i) {
      for (; at > f.starts[i]; --at) state = combine(leaf(at - 1), state);
      emit(begin + i, state);
    }
    return;
  }
  // A segment tree with its leaves at [size, size + m), size the power of two from m up: node k
  // covers nodes 2k and 2k + 1, so each node is an aligned block of 2^level positions from the
  // partition's first row. A frame's result then depends only on its rows and on where they
  // sit modulo a power of two above twice the frame's width: a stream that computes a batch
  // with rows before it from such a multiple on (window_stream.cpp) folds the same blocks in
  // the same order, so float sums come out the same bits.
  const int64_t size = static_cast<int64_t>(std::bit_ceil(static_cast<uint64_t>(m)));
  thread_local std::vector<State> tree;
  tree.assign(static_cast<size_t>(2 * size), identity);
  for (int64_t i = 0; i < m; ++i) tree[static_cast<size_t>(size + i)] = leaf(begin + i);
  for (int64_t k = size - 1; k >= 1; --k)
    tree[static_cast<size_t>(k)] =
        combine(tree[static_cast<size_t>(2 * k)], tree[static_cast<size_t>(2 * k + 1)]);
  for (int64_t i = 0; i < m; ++i) {
    State left = identity, right = identity;
    for (int64_t l = f.starts[i] - begin + size, r = f.ends[i] - begin + size; l < r;
         l >>= 1, r >>= 1) {
      if (l & 1) left = combine(left, tree[static_cast<size_t>(l++)]);
      if (r & 1) right = combine(tree[static_cast<size_t>(--r)], right);
    }
    emit(begin + i, combine(left, right));
  }
  TrimScratch(&tree);
}

// ---- Sliding sums: count, count(*), sum and mean of integers, bools and decimals.

enum class SlidingResult : uint8_t { kCount, kSum, kMean };

Column SlidingSumAggregate(SlidingResult what, const Column* arg, const DataType& type,
                           const WindowFrames& frames, const WindowContext& context,
                           const std::string& display) {
  const WindowOrder& order = *context.order;
  const int64_t n = order.rows;
  const bool decimal = arg != nullptr && arg->type.id == TypeId::kDecimal;
  const bool has_nulls = arg != nullptr && arg->null_count > 0;
  std::vector<int64_t> counts(what == SlidingResult::kCount ? static_cast<size_t>(n) : 0);
  std::vector<int64_t> sums64(what == SlidingResult::kSum && !decimal ? static_cast<size_t>(n) : 0);
  std::vector<int128_t> sums128(what == SlidingResult::kSum && decimal ? static_cast<size_t>(n)
                                                                       : 0);
  std::vector<double> means(what == SlidingResult::kMean ? static_cast<size_t>(n) : 0);
  std::vector<uint8_t> valid(what == SlidingResult::kCount ? 0 : static_cast<size_t>(n), 0);
  std::atomic<bool> overflow{false};
  const double divisor = decimal ? static_cast<double>(PowerOfTen(arg->type.scale)) : 1.0;
  context.ForEachPartition([&](int64_t begin, int64_t end) {
    const PartitionFrames f(frames, begin, end);
    const int64_t m = end - begin;
    // The frame [lo, hi) slides: rows enter at hi and leave at lo (neither bound ever moves
    // back), so a running count and sum are each frame's. The sum wraps in 128 bits, and what
    // enters and leaves cancels exactly.
    int64_t lo = begin, hi = begin;
    int64_t count = 0;
    U128 sum = 0;
    auto step = [&](int64_t position, int sign) {
      const int64_t row = order.Row(position);
      if (arg != nullptr && has_nulls && !arg->IsValid(row)) return;
      count += sign;
      if (what != SlidingResult::kCount) {
        const auto value = static_cast<U128>(ExactAt(*arg, row));
        sum = sign > 0 ? sum + value : sum - value;
      }
    };
    bool bad = false;
    for (int64_t i = 0; i < m; ++i) {
      const size_t row = order.Row(begin + i);
      for (; hi < f.ends[i]; ++hi) step(hi, 1);
      for (; lo < f.starts[i]; ++lo) step(lo, -1);
      if (what == SlidingResult::kCount) {
        counts[row] = count;
        continue;
      }
      if (count == 0) continue;
      valid[row] = 1;
      const auto total = static_cast<int128_t>(sum);
      if (what == SlidingResult::kMean) {
        means[row] = static_cast<double>(total) / divisor / static_cast<double>(count);
      } else {
        bad |= ExactSumOverflows(total, decimal);
        if (decimal) {
          sums128[row] = total;
        } else {
          sums64[row] = static_cast<int64_t>(total);
        }
      }
    }
    if (bad) overflow = true;
  });
  if (overflow) ThrowSumOverflow(type, display);
  switch (what) {
    case SlidingResult::kCount:
      return MakeFixedWindowColumn(type, counts.data(), n, nullptr, context.pool);
    case SlidingResult::kMean:
      return MakeFixedWindowColumn(type, means.data(), n, &valid, context.pool);
    case SlidingResult::kSum:
      return decimal ? MakeFixedWindowColumn(type, sums128.data(), n, &valid, context.pool)
                     : MakeFixedWindowColumn(type, sums64.data(), n, &valid, context.pool);
  }
  ThrowInternal("unknown sliding aggregate");
}

// ---- Compensated float sums and means.

Column FloatAggregate(bool mean, const Column& arg, const WindowFrames& frames,
                      const WindowContext& context) {
  const WindowOrder& order = *context.order;
  const int64_t n = order.rows;
  std::vector<double> results(static_cast<size_t>(n), 0.0);
  std::vector<uint8_t> valid(static_cast<size_t>(n), 0);
  context.ForEachPartition([&](int64_t begin, int64_t end) {
    const PartitionFrames f(frames, begin, end);
    auto leaf = [&](int64_t p) { return FloatLeaf(arg, order.Row(p)); };
    FoldFrames(frames, begin, end, f, FloatSum{}, leaf, Combine,
               [&](int64_t p, const FloatSum& state) {
                 const size_t row = order.Row(p);
                 if (state.count == 0) return;
                 results[row] = state.Result(mean);
                 valid[row] = 1;
               });
  });
  return MakeFixedWindowColumn(Float64(), results.data(), n, &valid, context.pool);
}

// ---- min and max: the position of the best value, then one gather.

/// Orders the values of one column by row, as the min/max aggregates do (NaN above numbers,
/// strings bytewise).
template <typename T>
struct FixedLess {
  const T* values;
  bool operator()(int64_t a, int64_t b) const {
    const T x = values[a], y = values[b];
    if constexpr (std::is_floating_point_v<T>) {
      return x < y || (y != y && x == x);
    } else {
      return x < y;
    }
  }
};

struct BoolLess {
  const Column* column;
  bool operator()(int64_t a, int64_t b) const { return !column->BoolAt(a) && column->BoolAt(b); }
};

struct DecimalLess {
  const Column* column;
  bool operator()(int64_t a, int64_t b) const { return ExactAt(*column, a) < ExactAt(*column, b); }
};

struct StringLess {
  const Column* column;
  bool operator()(int64_t a, int64_t b) const { return column->StringAt(a) < column->StringAt(b); }
};

struct BytesLess {
  const Column* column;
  bool operator()(int64_t a, int64_t b) const {
    return column->FixedBytesAt(a) < column->FixedBytesAt(b);
  }
};

template <typename Less>
Column BestValue(bool max, const Column& arg, Less less, const WindowFrames& frames,
                 const WindowContext& context) {
  const WindowOrder& order = *context.order;
  const int64_t n = order.rows;
  std::vector<uint32_t> rows(static_cast<size_t>(n), kNullRow);
  context.ForEachPartition([&](int64_t begin, int64_t end) {
    const PartitionFrames f(frames, begin, end);
    // A state is an input row (kNullRow: none); ties keep the earlier position.
    auto leaf = [&](int64_t p) {
      const uint32_t row = order.Row(p);
      return arg.IsNull(row) ? kNullRow : row;
    };
    auto combine = [&](uint32_t a, uint32_t b) {
      if (a == kNullRow) return b;
      if (b == kNullRow) return a;
      return (max ? less(a, b) : less(b, a)) ? b : a;
    };
    FoldFrames(frames, begin, end, f, kNullRow, leaf, combine,
               [&](int64_t p, uint32_t best) { rows[order.Row(p)] = best; });
  });
  return GatherRows(arg, rows, context.pool);
}

Column MinMax(bool max, const Column& arg, const WindowFrames& frames,
              const WindowContext& context) {
  switch (arg.type.id) {
    case TypeId::kBool: return BestValue(max, arg, BoolLess{&arg}, frames, context);
    case TypeId::kInt8:
      return BestValue(max, arg, FixedLess<int8_t>{arg.Values<int8_t>()}, frames, context);
    case TypeId::kInt16:
      return BestValue(max, arg, FixedLess<int16_t>{arg.Values<int16_t>()}, frames, context);
    case TypeId::kInt32:
    case TypeId::kDate32:
      return BestValue(max, arg, FixedLess<int32_t>{arg.Values<int32_t>()}, frames, context);
    case TypeId::kInt64:
    case TypeId::kTimestamp:
    case TypeId::kTime64:
    case TypeId::kDuration:
      return BestValue(max, arg, FixedLess<int64_t>{arg.Values<int64_t>()}, frames, context);
    case TypeId::kUInt8:
      return BestValue(max, arg, FixedLess<uint8_t>{arg.Values<uint8_t>()}, frames, context);
    case TypeId::kUInt16:
      return BestValue(max, arg, FixedLess<uint16_t>{arg.Values<uint16_t>()}, frames, context);
    case TypeId::kUInt32:
      return BestValue(max, arg, FixedLess<uint32_t>{arg.Values<uint32_t>()}, frames, context);
    case TypeId::kUInt64:
      return BestValue(max, arg, FixedLess<uint64_t>{arg.Values<uint64_t>()}, frames, context);
    case TypeId::kFloat32:
      return BestValue(max, arg, FixedLess<float>{arg.Values<float>()}, frames, context);
    case TypeId::kFloat64:
      return BestValue(max, arg, FixedLess<double>{arg.Values<double>()}, frames, context);
    case TypeId::kDecimal: return BestValue(max, arg, DecimalLess{&arg}, frames, context);
    case TypeId::kUtf8:
    case TypeId::kBinary: return BestValue(max, arg, StringLess{&arg}, frames, context);
    default: return BestValue(max, arg, BytesLess{&arg}, frames, context);
  }
}

// ---- Any other aggregate: its grouped state, one group per distinct frame.

double ParamOf(const WindowExpr& window) {
  if (window.args.size() < 2) return std::nan("");
  const Expr value = StripAlias(window.args[1]);
  if (value.kind() == ExprKind::kLiteral) {
    const Scalar& literal = value.node().literal;
    if (const auto* v = std::get_if<int64_t>(&literal.value)) return static_cast<double>(*v);
    if (const auto* v = std::get_if<uint64_t>(&literal.value)) return static_cast<double>(*v);
    if (const auto* v = std::get_if<double>(&literal.value)) return *v;
    if (const auto* v = std::get_if<int128_t>(&literal.value))
      return static_cast<double>(*v) / static_cast<double>(PowerOfTen(literal.type.scale));
  }
  ThrowInvalid("the second argument of `{}` must be a constant number, not `{}`",
               WindowExprToString(window), window.args[1].ToString());
}

Column GenericAggregate(const WindowExpr& window, const std::vector<Column>& args,
                        const WindowFrames& frames, const WindowContext& context) {
  const std::string name = WindowAggregateName(window);
  const AggregateFunction* function = FindAggregateFunction(name);
  if (function == nullptr) ThrowInvalid("unknown aggregate function {}", name);
  const double param = ParamOf(window);
  const WindowOrder& order = *context.order;
  const int64_t n = order.rows;
  const DataType input_type = args.empty() ? Int64() : args[0].type;
  // The argument in sorted order, so that a frame is a range of rows.
  Column sorted;
  if (!args.empty())
    sorted = order.perm.empty() ? args[0] : GatherRows(args[0], order.perm, context.pool);
  const Column* input = args.empty() ? nullptr : &sorted;
  const bool whole = frames.starts_at_partition() && frames.ends_at_partition();

  const size_t chunks = context.chunks.size();
  std::vector<Column> results(chunks);
  std::vector<uint32_t> sources(static_cast<size_t>(n)), rows(static_cast<size_t>(n));
  auto run = [&](int64_t c) {
    const auto [first, last] = context.chunks[static_cast<size_t>(c)];
    const int64_t chunk_begin = order.partitions[static_cast<size_t>(first)];
    const int64_t chunk_end = order.partitions[static_cast<size_t>(last)];
    std::unique_ptr<GroupedAggregateState> state =
        function->make_state(input_type, param, window.distinct);
    std::vector<uint32_t> groups(static_cast<size_t>(chunk_end - chunk_begin));
    if (whole) {
      state->Resize(last - first);
      for (int64_t part = first; part < last; ++part)
        for (int64_t p = order.partitions[static_cast<size_t>(part)];
             p < order.partitions[static_cast<size_t>(part + 1)]; ++p)
          groups[static_cast<size_t>(p - chunk_begin)] = static_cast<uint32_t>(part - first);
      state->UpdateRange(input, chunk_begin, chunk_end, groups.data());
    } else {
      std::vector<std::pair<int64_t, int64_t>> distinct_frames;
      for (int64_t part = first; part < last; ++part) {
        const int64_t begin = order.partitions[static_cast<size_t>(part)];
        const int64_t end = order.partitions[static_cast<size_t>(part + 1)];
        const PartitionFrames f(frames, begin, end);
        for (int64_t i = 0; i < end - begin; ++i) {
          const std::pair<int64_t, int64_t> frame{f.starts[i], f.ends[i]};
          if (distinct_frames.empty() || distinct_frames.back() != frame)
            distinct_frames.push_back(frame);
          groups[static_cast<size_t>(begin + i - chunk_begin)] =
              static_cast<uint32_t>(distinct_frames.size() - 1);
        }
      }
      state->Resize(static_cast<int64_t>(distinct_frames.size()));
      std::vector<uint32_t> ids;
      for (size_t g = 0; g < distinct_frames.size(); ++g) {
        const auto [start, stop] = distinct_frames[g];
        if (start >= stop) continue;
        ids.assign(static_cast<size_t>(stop - start), static_cast<uint32_t>(g));
        state->UpdateRange(input, start, stop, ids.data());
      }
    }
    results[static_cast<size_t>(c)] = state->Finalize(context.pool);
    for (int64_t p = chunk_begin; p < chunk_end; ++p) {
      const size_t row = order.Row(p);
      sources[row] = static_cast<uint32_t>(c);
      rows[row] = groups[static_cast<size_t>(p - chunk_begin)];
    }
  };
  if (context.threads == nullptr || chunks <= 1) {
    for (size_t c = 0; c < chunks; ++c) run(static_cast<int64_t>(c));
  } else {
    context.threads->ParallelFor(static_cast<int64_t>(chunks), run);
  }
  if (chunks == 0) return MakeEmptyColumn(function->result_type(input_type, name), context.pool);
  std::vector<const Column*> pointers;
  for (const Column& column : results) pointers.push_back(&column);
  return GatherFromMany(pointers, sources, rows, context.pool);
}

}  // namespace

Column ComputeWindowAggregate(const WindowExpr& window, const DataType& type,
                              const std::vector<Column>& args, const WindowFrames& frames,
                              const WindowContext& context) {
  const std::string name = WindowAggregateName(window);
  const std::string display = WindowExprToString(window);
  if (!window.distinct) {
    if (name == "count_star")
      return SlidingSumAggregate(SlidingResult::kCount, nullptr, type, frames, context, display);
    if (name == "count")
      return SlidingSumAggregate(SlidingResult::kCount, &args[0], type, frames, context, display);
    if ((name == "sum" || name == "mean") && IsExactNumber(args[0].type))
      return SlidingSumAggregate(name == "sum" ? SlidingResult::kSum : SlidingResult::kMean,
                                 &args[0], type, frames, context, display);
    if ((name == "sum" || name == "mean") && args[0].type.IsFloating())
      return FloatAggregate(name == "mean", args[0], frames, context);
    if (name == "min" || name == "max") return MinMax(name == "max", args[0], frames, context);
  }
  return GenericAggregate(window, args, frames, context);
}

}  // namespace sluice::exec
