// median and quantile(q): exact, with linear interpolation between the two closest ranks
// (Polars' "linear", DuckDB's quantile_cont), as float64. The values of each group are kept
// (as doubles) and selected at Finalize, so the answer depends only on the values, never on
// their order or the thread count.
#include <algorithm>
#include <cmath>

#include "expr/aggregates/state_util.h"

namespace sluice::aggregates {

namespace {

/// Orders NaN after every number, so that selection is well defined.
inline bool LessWithNan(double a, double b) {
  return a < b || (std::isnan(b) && !std::isnan(a));
}

class QuantileState final : public StateBase {
 public:
  QuantileState(const DataType& input, double quantile)
      : type_(input), quantile_(quantile), decimal_divisor_(DecimalDivisor(input)) {}

  void Resize(int64_t groups) override {
    if (groups != groups_) sealed_ = false;  // The offsets of Seal no longer fit.
    groups_ = groups;
  }

  void UpdateGroups(const Column* input, int64_t begin, int64_t end,
                    const uint32_t* group_ids) override {
    sealed_ = false;
    VisitNumeric(type_, [&]<typename T>() {
      ValueReader<T> read(*input);
      ForEachValid(*input, begin, end, [&](int64_t i) {
        group_ids_.push_back(group_ids[i - begin]);
        values_.push_back(ToDouble(read(i), decimal_divisor_));
      });
    });
  }

  /// Sorts the values by group (stably) and notes where each group starts.
  void Seal() override {
    if (sealed_) return;
    offsets_.assign(static_cast<size_t>(groups_) + 1, 0);
    for (uint32_t g : group_ids_) ++offsets_[g + 1];
    for (int64_t g = 0; g < groups_; ++g) offsets_[g + 1] += offsets_[g];
    std::vector<double> sorted(values_.size());
    std::vector<int64_t> next(offsets_.begin(), offsets_.end() - 1);
    for (size_t i = 0; i < values_.size(); ++i) {
      int64_t at = next[group_ids_[i]]++;
      sorted[at] = values_[i];
    }
    // After sealing, group_ids_ is rebuilt in sorted order so that further merges into this state
    // can append pairs as before.
    for (int64_t g = 0; g < groups_; ++g) {
      for (int64_t i = offsets_[g]; i < offsets_[g + 1]; ++i)
        group_ids_[i] = static_cast<uint32_t>(g);
    }
    values_ = std::move(sorted);
    sealed_ = true;
  }

  void MergeGroups(const GroupedAggregateState& other, const uint32_t* groups,
                   const uint32_t* targets, int64_t count) override {
    const auto& source = static_cast<const QuantileState&>(other);
    sealed_ = false;
    if (source.sealed_) {
      ForEachMerged(groups, targets, count, [&](uint32_t g, uint32_t t) {
        for (int64_t i = source.offsets_[g]; i < source.offsets_[g + 1]; ++i) {
          group_ids_.push_back(t);
          values_.push_back(source.values_[i]);
        }
      });
      return;
    }
    std::vector<uint32_t> by_group = TargetsByGroup(groups, targets, count, source.groups_);
    for (size_t i = 0; i < source.values_.size(); ++i) {
      uint32_t t = by_group[source.group_ids_[i]];
      if (t == kNoTarget) continue;
      group_ids_.push_back(t);
      values_.push_back(source.values_[i]);
    }
  }

  Column Finalize(MemoryPool* pool) override {
    Seal();
    std::vector<double> results(static_cast<size_t>(groups_), 0.0);
    std::vector<uint8_t> valid(static_cast<size_t>(groups_), 0);
    for (int64_t g = 0; g < groups_; ++g) {
      double* first = values_.data() + offsets_[g];
      int64_t count = offsets_[g + 1] - offsets_[g];
      if (count == 0) continue;
      double position = quantile_ * static_cast<double>(count - 1);
      int64_t low = static_cast<int64_t>(std::floor(position));
      double fraction = position - static_cast<double>(low);
      std::nth_element(first, first + low, first + count, LessWithNan);
      double value = first[low];
      if (fraction > 0 && low + 1 < count) {
        double next = *std::min_element(first + low + 1, first + count, LessWithNan);
        value = value + fraction * (next - value);
      }
      results[g] = value;
      valid[g] = 1;
    }
    return MakeFixedColumn(Float64(), results.data(), valid.data(), groups_, pool);
  }

  int64_t MemoryUsage() const override {
    return static_cast<int64_t>(group_ids_.capacity() * sizeof(uint32_t) +
                                values_.capacity() * sizeof(double) +
                                offsets_.capacity() * sizeof(int64_t));
  }

  /// Writes each group's values in arrival order (the order Seal keeps): the number of values
  /// per group (int64), then the values.
  void Serialize(const uint32_t* groups, int64_t count, std::vector<uint8_t>* out) const override {
    StateBytesWriter writer(out, kTag, groups, count, groups_);
    std::vector<int64_t> counts(static_cast<size_t>(count));
    if (sealed_) {
      for (int64_t i = 0; i < count; ++i) {
        uint32_t g = writer.group(i);
        counts[i] = offsets_[g + 1] - offsets_[g];
      }
      writer.PutBytes(counts.data(), counts.size() * sizeof(int64_t));
      for (int64_t i = 0; i < count; ++i) {
        uint32_t g = writer.group(i);
        writer.PutBytes(values_.data() + offsets_[g], counts[i] * sizeof(double));
      }
      return;
    }
    std::vector<int64_t> offsets;
    std::vector<size_t> order;
    OrderByGroup(group_ids_, groups_, &offsets, &order);
    int64_t total = 0;
    for (int64_t i = 0; i < count; ++i) {
      uint32_t g = writer.group(i);
      counts[i] = offsets[g + 1] - offsets[g];
      total += counts[i];
    }
    writer.PutBytes(counts.data(), counts.size() * sizeof(int64_t));
    uint8_t* to = writer.Extend(static_cast<size_t>(total) * sizeof(double));
    for (int64_t i = 0; i < count; ++i) {
      uint32_t g = writer.group(i);
      for (int64_t k = offsets[g]; k < offsets[g + 1]; ++k, to += sizeof(double))
        std::memcpy(to, &values_[order[k]], sizeof(double));
    }
  }

  /// Reads the state back sealed: its values are already in group order.
  void Deserialize(std::span<const uint8_t> bytes) override {
    StateBytesReader reader(bytes, kTag, "median or quantile");
    int64_t groups = reader.groups();
    if (groups > int64_t{1} << 32) reader.Fail("more groups than group ids");
    std::vector<int64_t> offsets;
    reader.GetArray(&offsets, groups);  // The counts, summed into offsets below.
    offsets.insert(offsets.begin(), 0);
    for (int64_t g = 0; g < groups; ++g) {
      int64_t n = offsets[g + 1];
      if (n < 0 || n > reader.remaining() / int64_t{sizeof(double)} - offsets[g])
        reader.Fail(fmt::format("group {} has {} values, more than the bytes left hold", g, n));
      offsets[g + 1] = offsets[g] + n;
    }
    std::vector<double> values;
    reader.GetArray(&values, offsets[groups]);
    reader.ExpectEnd();
    group_ids_.resize(values.size());
    for (int64_t g = 0; g < groups; ++g) {
      std::fill(group_ids_.begin() + offsets[g], group_ids_.begin() + offsets[g + 1],
                static_cast<uint32_t>(g));
    }
    values_ = std::move(values);
    offsets_ = std::move(offsets);
    groups_ = groups;
    sealed_ = true;
  }

 private:
  static constexpr uint32_t kTag = SpillTag('q', 'n', 't', 0);

  DataType type_;
  double quantile_;
  double decimal_divisor_;
  int64_t groups_ = 0;
  bool sealed_ = false;
  std::vector<uint32_t> group_ids_;  ///< One per kept value.
  std::vector<double> values_;
  std::vector<int64_t> offsets_;  ///< When sealed: group g's values are [offsets_[g], [g + 1]).
};

std::function<DataType(const DataType&, const std::string&)> NumericToFloat64(const char* name) {
  return [name](const DataType& input, const std::string& display) {
    if (!IsNumeric(input))
      ThrowInvalid("{} of {} in `{}`: {} takes numbers", name, input.ToString(), display, name);
    return Float64();
  };
}

}  // namespace

void AddQuantileFunctions(std::vector<AggregateFunction>* functions) {
  functions->push_back({
      .name = "median",
      .result_type = NumericToFloat64("median"),
      .make_state =
          [](const DataType& input, double, bool distinct) {
            return MaybeDistinct(input, distinct,
                                 [input] { return std::make_unique<QuantileState>(input, 0.5); });
          },
  });
  functions->push_back({
      .name = "quantile",
      .result_type = NumericToFloat64("quantile"),
      .make_state =
          [](const DataType& input, double q, bool distinct) {
            if (std::isnan(q) || q < 0.0 || q > 1.0)
              ThrowInvalid("quantile needs a constant q between 0 and 1 as its second argument");
            return MaybeDistinct(input, distinct,
                                 [input, q] { return std::make_unique<QuantileState>(input, q); });
          },
  });
}

}  // namespace sluice::aggregates
