// min and max over every orderable type: numbers, decimals, dates and times (by their storage),
// bool (false < true), and utf8/binary (bytewise, as DuckDB and Polars compare strings). Floats
// order NaN above every number, as DuckDB sorts them: max is NaN when any value is NaN.
#include <algorithm>
#include <limits>
#include <string_view>

#include "expr/aggregates/state_util.h"

namespace sluice::aggregates {

namespace {

/// True when `a` orders before `b` (NaN after everything, equal to itself).
template <typename T>
inline bool Less(T a, T b) {
  if constexpr (std::is_floating_point_v<T>) {
    return a < b || (b != b && a == a);
  } else {
    return a < b;
  }
}

template <typename In, bool kMax>
class FixedMinMaxState final : public StateBase {
  /// Bools are kept as bytes (std::vector<bool> has no data()).
  using T = std::conditional_t<std::is_same_v<In, bool>, uint8_t, In>;

 public:
  explicit FixedMinMaxState(DataType type) : type_(std::move(type)) {}

  void Resize(int64_t groups) override {
    values_.resize(static_cast<size_t>(groups), Identity());
    seen_.resize(static_cast<size_t>(groups), 0);
  }

  void UpdateGroups(const Column* input, int64_t begin, int64_t end,
                    const uint32_t* group_ids) override {
    T* values = values_.data();
    uint8_t* seen = seen_.data();
    ValueReader<In> read(*input);
    ForEachValid(*input, begin, end, [&](int64_t i) {
      uint32_t g = group_ids[i - begin];
      values[g] = Better(static_cast<T>(read(i)), values[g], seen[g]);
      seen[g] = 1;
    });
  }

  void UpdateOneGroup(const Column* input, int64_t begin, int64_t end) override {
    ValueReader<In> read(*input);
    T best = values_[0];
    uint8_t seen = seen_[0];
    ForEachValid(*input, begin, end, [&](int64_t i) {
      best = Better(static_cast<T>(read(i)), best, seen);
      seen = 1;
    });
    values_[0] = best;
    seen_[0] = seen;
  }

  void MergeGroups(const GroupedAggregateState& other, const uint32_t* groups,
                   const uint32_t* targets, int64_t count) override {
    const auto& source = static_cast<const FixedMinMaxState&>(other);
    ForEachMerged(groups, targets, count, [&](uint32_t g, uint32_t t) {
      if (!source.seen_[g]) return;
      values_[t] = Better(source.values_[g], values_[t], seen_[t]);
      seen_[t] = 1;
    });
  }

  Column Finalize(MemoryPool* pool) override {
    int64_t groups = static_cast<int64_t>(values_.size());
    if constexpr (std::is_same_v<In, bool>) {
      return MakeBoolColumn(values_.data(), seen_.data(), groups, pool);
    } else {
      return MakeFixedColumn(type_, values_.data(), seen_.data(), groups, pool);
    }
  }

  int64_t MemoryUsage() const override {
    return static_cast<int64_t>(values_.capacity() * sizeof(T) + seen_.capacity());
  }

  void Serialize(const uint32_t* groups, int64_t count, std::vector<uint8_t>* out) const override {
    StateBytesWriter writer(out, kTag, groups, count, static_cast<int64_t>(values_.size()));
    writer.PutNarrowedGathered(values_);
    writer.PutGathered(seen_);
  }

  void Deserialize(std::span<const uint8_t> bytes) override {
    StateBytesReader reader(bytes, kTag, kMax ? "max" : "min");
    std::vector<T> values;
    std::vector<uint8_t> seen;
    reader.GetNarrowed(&values, reader.groups());
    reader.GetFlags(&seen, reader.groups());
    reader.ExpectEnd();
    values_ = std::move(values);
    seen_ = std::move(seen);
  }

 private:
  static constexpr uint32_t kTag = SpillTag('m', kMax ? 'x' : 'n', 'f', sizeof(T));

  /// The starting value: integers start at the far end so that the update needs no branch on
  /// `seen`; floats (NaN) compare specially and use `seen` instead.
  static T Identity() {
    if constexpr (std::is_floating_point_v<T>) {
      return T{};
    } else if constexpr (std::is_same_v<T, int128_t>) {
      int128_t max = (static_cast<int128_t>(INT64_MAX) << 64) | static_cast<int128_t>(UINT64_MAX);
      return kMax ? -max - 1 : max;
    } else {
      return kMax ? std::numeric_limits<T>::lowest() : std::numeric_limits<T>::max();
    }
  }

  static T Better(T value, T current, uint8_t seen) {
    if constexpr (std::is_floating_point_v<T>) {
      if (!seen) return value;
      return (kMax ? Less(current, value) : Less(value, current)) ? value : current;
    } else {
      (void)seen;
      return kMax ? std::max(value, current) : std::min(value, current);
    }
  }

  DataType type_;
  std::vector<T> values_;
  std::vector<uint8_t> seen_;
};

/// Strings: the best row of each group is found within a batch first, so that each group copies
/// at most one string per Update.
template <bool kMax>
class StringMinMaxState final : public StateBase {
 public:
  explicit StringMinMaxState(DataType type) : type_(std::move(type)) {}

  void Resize(int64_t groups) override {
    values_.resize(static_cast<size_t>(groups));
    seen_.resize(static_cast<size_t>(groups), 0);
  }

  void UpdateGroups(const Column* input, int64_t begin, int64_t end,
                    const uint32_t* group_ids) override {
    best_.assign(values_.size(), -1);
    int64_t* best = best_.data();
    ForEachValid(*input, begin, end, [&](int64_t i) {
      uint32_t g = group_ids[i - begin];
      if (best[g] < 0 || Better(input->StringAt(i), input->StringAt(best[g]))) best[g] = i;
    });
    for (size_t g = 0; g < values_.size(); ++g) {
      if (best[g] >= 0) Offer(g, input->StringAt(best[g]));
    }
  }

  void MergeGroups(const GroupedAggregateState& other, const uint32_t* groups,
                   const uint32_t* targets, int64_t count) override {
    const auto& source = static_cast<const StringMinMaxState&>(other);
    ForEachMerged(groups, targets, count, [&](uint32_t g, uint32_t t) {
      if (source.seen_[g]) Offer(t, source.values_[g]);
    });
  }

  Column Finalize(MemoryPool* pool) override {
    return MakeStringColumn(type_, values_, seen_.data(), static_cast<int64_t>(values_.size()),
                            pool);
  }

  int64_t MemoryUsage() const override {
    return static_cast<int64_t>(values_.capacity() * sizeof(std::string) + seen_.capacity() +
                                best_.capacity() * 8) +
           heap_bytes_;
  }

  void Serialize(const uint32_t* groups, int64_t count, std::vector<uint8_t>* out) const override {
    StateBytesWriter writer(out, kTag, groups, count, static_cast<int64_t>(values_.size()));
    writer.PutGathered(seen_);
    writer.PutGatheredStrings(values_);
  }

  void Deserialize(std::span<const uint8_t> bytes) override {
    StateBytesReader reader(bytes, kTag, kMax ? "max" : "min");
    std::vector<uint8_t> seen;
    std::vector<std::string> values;
    reader.GetFlags(&seen, reader.groups());
    reader.GetStrings(&values, reader.groups());
    reader.ExpectEnd();
    seen_ = std::move(seen);
    values_ = std::move(values);
    heap_bytes_ = 0;
    for (const std::string& value : values_) heap_bytes_ += StringHeapBytes(value);
  }

 private:
  static constexpr uint32_t kTag = SpillTag('m', kMax ? 'x' : 'n', 's', 0);

  static bool Better(std::string_view value, std::string_view current) {
    return kMax ? value > current : value < current;
  }
  void Offer(size_t g, std::string_view value) {
    if (!seen_[g] || Better(value, values_[g])) {
      AssignCounted(values_[g], value, &heap_bytes_);
      seen_[g] = 1;
    }
  }

  DataType type_;
  std::vector<std::string> values_;
  std::vector<uint8_t> seen_;
  std::vector<int64_t> best_;  ///< Scratch of Update: the best row per group.
  int64_t heap_bytes_ = 0;     ///< Held by the strings of values_.
};

bool IsOrderable(const DataType& type) {
  switch (type.id) {
    case TypeId::kFixedSizeBinary:
    case TypeId::kUuid: return false;
    default: return true;
  }
}

template <bool kMax>
std::unique_ptr<GroupedAggregateState> MakeMinMaxState(const DataType& input) {
  if (input.IsVariableWidth()) return std::make_unique<StringMinMaxState<kMax>>(input);
  std::unique_ptr<GroupedAggregateState> state;
  VisitOrderedFixed(
      input, [&]<typename T>() { state = std::make_unique<FixedMinMaxState<T, kMax>>(input); });
  if (state == nullptr)
    ThrowInvalid("cannot take the {} of values of type {}", kMax ? "max" : "min", input.ToString());
  return state;
}

template <bool kMax>
AggregateFunction MinMaxFunction() {
  return {
      .name = kMax ? "max" : "min",
      .result_type =
          [](const DataType& input, const std::string& display) {
            if (!IsOrderable(input))
              ThrowInvalid("{} of {} in `{}`: {} values have no order", kMax ? "max" : "min",
                           input.ToString(), display, input.ToString());
            return input;
          },
      .make_state = [](const DataType& input, double,
                       bool) { return MakeMinMaxState<kMax>(input); },
  };
}

}  // namespace

void AddMinMaxFunctions(std::vector<AggregateFunction>* functions) {
  functions->push_back(MinMaxFunction<false>());
  functions->push_back(MinMaxFunction<true>());
}

}  // namespace sluice::aggregates
