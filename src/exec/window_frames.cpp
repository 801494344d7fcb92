// Frame bounds per sorted position (see window_frames.h). RANGE offsets convert the ORDER BY key
// and the offsets to one exact domain first, so that a bound is a binary search.
#include "exec/window_frames.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "exec/window_sums.h"
#include "expr/bound_expr.h"
#include "expr/evaluate.h"
#include "plan/window_plan.h"

namespace sluice::exec {
namespace {

constexpr int128_t kNanosPerDay = int128_t{86400} * 1000000000;

bool HasOffset(const WindowBound& bound) {
  return bound.kind == WindowBound::Kind::kPreceding || bound.kind == WindowBound::Kind::kFollowing;
}

int128_t NanosPerUnit(TimeUnit unit) {
  return 1000000000 / UnitsPerSecond(unit);
}

bool IsTemporal(const DataType& type) {
  return type.id == TypeId::kDate32 || type.id == TypeId::kTimestamp ||
         type.id == TypeId::kTime64 || type.id == TypeId::kDuration;
}

double ReadDouble(const Column& column, int64_t row) {
  switch (column.type.id) {
    case TypeId::kFloat32: return column.Values<float>()[row];
    case TypeId::kFloat64: return column.Values<double>()[row];
    case TypeId::kDecimal:
      return static_cast<double>(ExactAt(column, row)) /
             static_cast<double>(PowerOfTen(column.type.scale));
    default: return static_cast<double>(ExactAt(column, row));
  }
}

int128_t ScalarInteger(const Scalar& value) {
  if (const auto* v = std::get_if<int64_t>(&value.value)) return *v;
  if (const auto* v = std::get_if<uint64_t>(&value.value)) return static_cast<int128_t>(*v);
  if (const auto* v = std::get_if<int128_t>(&value.value)) return *v;
  ThrowInternal("window frame offset {} is not an integer", value.ToString());
}

double ScalarDouble(const Scalar& value) {
  if (const auto* v = std::get_if<double>(&value.value)) return *v;
  if (value.type.id == TypeId::kDecimal)
    return static_cast<double>(ScalarInteger(value)) /
           static_cast<double>(PowerOfTen(value.type.scale));
  return static_cast<double>(ScalarInteger(value));
}

int128_t Scaled(int128_t value, int digits, const std::string& display) {
  int128_t out;
  if (digits > 0 && __builtin_mul_overflow(value, PowerOfTen(digits), &out))
    ThrowInvalid("the RANGE frame of `{}` cannot compare its key and offset exactly", display);
  return digits > 0 ? out : value;
}

/// Orders doubles with NaN after every number (as the sort keys do).
inline bool Less(double a, double b) {
  return a < b || (b != b && a == a);
}
inline bool Less(int128_t a, int128_t b) {
  return a < b;
}

/// A ROWS offset, clamped: offsets beyond any partition size behave alike, and clamping keeps
/// the arithmetic in range.
int64_t RowsOffset(const WindowBound& bound) {
  return static_cast<int64_t>(std::min<int128_t>(ScalarInteger(bound.offset), int128_t{1} << 40));
}

}  // namespace

std::optional<RowsFrameOffsets> BoundedRowsFrame(const WindowFrame& frame) {
  if (frame.units != WindowFrame::Units::kRows) return std::nullopt;
  auto offset = [](const WindowBound& bound) -> std::optional<int64_t> {
    switch (bound.kind) {
      case WindowBound::Kind::kPreceding: return -RowsOffset(bound);
      case WindowBound::Kind::kCurrentRow: return 0;
      case WindowBound::Kind::kFollowing: return RowsOffset(bound);
      default: return std::nullopt;
    }
  };
  const std::optional<int64_t> start = offset(frame.start), end = offset(frame.end);
  if (!start || !end) return std::nullopt;
  return RowsFrameOffsets{*start, *end};
}

WindowFrames::WindowFrames(const WindowExpr& window, const Batch& input, const WindowOrder& order,
                           MemoryPool* pool)
    : frame_(EffectiveFrame(window)), order_(order) {
  whole_ = window.order_by.empty() && frame_.units == WindowFrame::Units::kRange;
  if (frame_.units != WindowFrame::Units::kRange ||
      !(HasOffset(frame_.start) || HasOffset(frame_.end)))
    return;
  const std::string display = WindowExprToString(window);
  SLUICE_CHECK(window.order_by.size() == 1);
  descending_ = window.order_by[0].descending;
  BoundExprPtr bound = Bind(window.order_by[0].expr, *input.schema);
  const Column key = bound->kind == BoundExpr::Kind::kColumn
                         ? input.columns[static_cast<size_t>(bound->column)]
                         : Evaluate(*bound, input, /*expand=*/true, pool);
  const DataType& type = key.type;
  bool float_offset = false;
  int offset_scale = 0;
  for (const WindowBound* b : {&frame_.start, &frame_.end}) {
    if (!HasOffset(*b)) continue;
    float_offset |= b->offset.type.IsFloating();
    if (b->offset.type.id == TypeId::kDecimal)
      offset_scale = std::max<int>(offset_scale, b->offset.type.scale);
  }
  use_double_ = type.IsFloating() || float_offset;
  const int key_scale = type.id == TypeId::kDecimal ? type.scale : 0;
  const int scale = std::max(key_scale, offset_scale);

  // The offsets in the key's domain.
  auto offset_integer = [&](const Scalar& offset) -> int128_t {
    if (IsTemporal(type)) {
      if (offset.type.id == TypeId::kDuration)
        return ScalarInteger(offset) * NanosPerUnit(offset.type.unit);
      return ScalarInteger(offset) * kNanosPerDay;  // An integer offset of a date counts days.
    }
    const int offset_digits = offset.type.id == TypeId::kDecimal ? offset.type.scale : 0;
    return Scaled(ScalarInteger(offset), scale - offset_digits, display);
  };
  for (const WindowBound* b : {&frame_.start, &frame_.end}) {
    if (!HasOffset(*b)) continue;
    const bool is_start = b == &frame_.start;
    if (use_double_) {
      (is_start ? start_double_ : end_double_) = ScalarDouble(b->offset);
    } else {
      (is_start ? start_int_ : end_int_) = offset_integer(b->offset);
    }
  }

  const int64_t n = order.rows;
  key_valid_.resize(static_cast<size_t>(n));
  if (use_double_) {
    double_keys_.resize(static_cast<size_t>(n));
  } else {
    int_keys_.resize(static_cast<size_t>(n));
  }
  int128_t unit = 1;
  if (type.id == TypeId::kDate32) unit = kNanosPerDay;
  if (type.id == TypeId::kTimestamp || type.id == TypeId::kTime64 || type.id == TypeId::kDuration)
    unit = NanosPerUnit(type.unit);
  for (int64_t p = 0; p < n; ++p) {
    const int64_t row = order.Row(p);
    const bool valid = key.IsValid(row);
    key_valid_[static_cast<size_t>(p)] = valid;
    if (!valid) continue;
    if (use_double_) {
      double_keys_[static_cast<size_t>(p)] = ReadDouble(key, row);
    } else if (IsTemporal(type)) {
      int_keys_[static_cast<size_t>(p)] = ExactAt(key, row) * unit;
    } else {
      int_keys_[static_cast<size_t>(p)] = Scaled(ExactAt(key, row), scale - key_scale, display);
    }
  }
}

template <typename T>
int64_t WindowFrames::RangeBound(const std::vector<T>& keys, T offset, bool preceding,
                                 bool is_start, int64_t p, int64_t valid_begin,
                                 int64_t valid_end) const {
  const T value = keys[static_cast<size_t>(p)];
  // "Preceding" values are smaller ascending, larger descending.
  const T target = (preceding != descending_) ? value - offset : value + offset;
  auto before = [this](const T& a, const T& b) { return descending_ ? Less(b, a) : Less(a, b); };
  auto first = keys.begin() + valid_begin;
  auto last = keys.begin() + valid_end;
  auto it = is_start ? std::lower_bound(first, last, target, before)
                     : std::upper_bound(first, last, target, before);
  return it - keys.begin();
}

int64_t WindowFrames::Bound(const WindowBound& bound, bool is_start, int64_t p, int64_t begin,
                            int64_t end, int64_t valid_begin, int64_t valid_end) const {
  const bool rows = frame_.units == WindowFrame::Units::kRows;
  switch (bound.kind) {
    case WindowBound::Kind::kUnboundedPreceding: return begin;
    case WindowBound::Kind::kUnboundedFollowing: return end;
    case WindowBound::Kind::kCurrentRow:
      if (rows) return is_start ? p : p + 1;
      return is_start ? order_.peer_begin[static_cast<size_t>(p)]
                      : order_.peer_end[static_cast<size_t>(p)];
    case WindowBound::Kind::kPreceding:
    case WindowBound::Kind::kFollowing: break;
  }
  const bool preceding = bound.kind == WindowBound::Kind::kPreceding;
  if (rows) {
    const int64_t offset = RowsOffset(bound);
    int64_t at = preceding ? p - offset : p + offset;
    if (!is_start) ++at;
    return std::clamp(at, begin, end);
  }
  if (!key_valid_[static_cast<size_t>(p)])
    return is_start ? order_.peer_begin[static_cast<size_t>(p)]
                    : order_.peer_end[static_cast<size_t>(p)];
  if (use_double_)
    return RangeBound(double_keys_, is_start ? start_double_ : end_double_, preceding, is_start, p,
                      valid_begin, valid_end);
  return RangeBound(int_keys_, is_start ? start_int_ : end_int_, preceding, is_start, p,
                    valid_begin, valid_end);
}

void WindowFrames::Compute(int64_t begin, int64_t end, int64_t* starts, int64_t* ends) const {
  int64_t valid_begin = begin, valid_end = end;
  if (!key_valid_.empty()) {
    while (valid_begin < end && !key_valid_[static_cast<size_t>(valid_begin)]) ++valid_begin;
    while (valid_end > valid_begin && !key_valid_[static_cast<size_t>(valid_end - 1)]) --valid_end;
  }
  for (int64_t p = begin; p < end; ++p) {
    const int64_t start = Bound(frame_.start, true, p, begin, end, valid_begin, valid_end);
    const int64_t stop = Bound(frame_.end, false, p, begin, end, valid_begin, valid_end);
    starts[p - begin] = start;
    ends[p - begin] = std::max(start, stop);
  }
}

namespace {
thread_local std::vector<int64_t> t_starts, t_ends;
}  // namespace

PartitionFrames::PartitionFrames(const WindowFrames& frames, int64_t begin, int64_t end) {
  t_starts.resize(static_cast<size_t>(end - begin));
  t_ends.resize(static_cast<size_t>(end - begin));
  frames.Compute(begin, end, t_starts.data(), t_ends.data());
  starts = t_starts.data();
  ends = t_ends.data();
}

PartitionFrames::~PartitionFrames() {
  TrimScratch(&t_starts);
  TrimScratch(&t_ends);
}

int64_t PartitionFrames::KeptBytes() {
  return static_cast<int64_t>((t_starts.capacity() + t_ends.capacity()) * sizeof(int64_t));
}

}  // namespace sluice::exec
