// sum and mean. Integer sums are int64 and fail on overflow (DuckDB widens to int128; an error
// beats a silent wrap); float sums are float64 with Neumaier compensation, so the result is
// within about an ulp of the exact sum and depends only on the (fixed) order of morsels; decimal
// sums are decimal(38, s). mean is float64: integers and decimals sum exactly in int128 and
// divide once at the end; floats use the compensated sum.
#include <array>

#include "expr/aggregates/state_util.h"

namespace sluice::aggregates {

namespace {

[[noreturn]] void ThrowSumOverflow(const char* type) {
  ThrowInvalid(
      "sum overflowed {}: the total is out of range; cast the argument to float64 (or a "
      "decimal) before summing",
      type);
}

/// Sums of bool (as 0/1) and integers into int64, checked.
template <typename In>
class IntegerSumState final : public StateBase {
 public:
  void Resize(int64_t groups) override {
    sums_.resize(static_cast<size_t>(groups), 0);
    seen_.resize(static_cast<size_t>(groups), 0);
  }

  void UpdateGroups(const Column* input, int64_t begin, int64_t end,
                    const uint32_t* group_ids) override {
    int64_t* sums = sums_.data();
    uint8_t* seen = seen_.data();
    ValueReader<In> read(*input);
    bool overflow = false;
    ForEachValid(*input, begin, end, [&](int64_t i) {
      uint32_t g = group_ids[i - begin];
      In value = read(i);
      if constexpr (std::is_same_v<In, uint64_t>) overflow |= value > uint64_t{INT64_MAX};
      overflow |= __builtin_add_overflow(sums[g], static_cast<int64_t>(value), &sums[g]);
      seen[g] = 1;
    });
    if (overflow) ThrowSumOverflow("int64");
  }

  void UpdateOneGroup(const Column* input, int64_t begin, int64_t end) override {
    ValueReader<In> read(*input);
    int64_t sum = sums_[0];
    bool overflow = false;
    bool any = false;
    ForEachValid(*input, begin, end, [&](int64_t i) {
      In value = read(i);
      if constexpr (std::is_same_v<In, uint64_t>) overflow |= value > uint64_t{INT64_MAX};
      overflow |= __builtin_add_overflow(sum, static_cast<int64_t>(value), &sum);
      any = true;
    });
    if (overflow) ThrowSumOverflow("int64");
    sums_[0] = sum;
    seen_[0] |= any;
  }

  void MergeGroups(const GroupedAggregateState& other, const uint32_t* groups,
                   const uint32_t* targets, int64_t count) override {
    const auto& source = static_cast<const IntegerSumState&>(other);
    bool overflow = false;
    ForEachMerged(groups, targets, count, [&](uint32_t g, uint32_t t) {
      overflow |= __builtin_add_overflow(sums_[t], source.sums_[g], &sums_[t]);
      seen_[t] |= source.seen_[g];
    });
    if (overflow) ThrowSumOverflow("int64");
  }

  Column Finalize(MemoryPool* pool) override {
    return MakeFixedColumn(Int64(), sums_.data(), seen_.data(), static_cast<int64_t>(sums_.size()),
                           pool);
  }

  int64_t MemoryUsage() const override {
    return static_cast<int64_t>(sums_.capacity() * sizeof(int64_t) + seen_.capacity());
  }

  void Serialize(const uint32_t* groups, int64_t count, std::vector<uint8_t>* out) const override {
    StateBytesWriter writer(out, kTag, groups, count, static_cast<int64_t>(sums_.size()));
    writer.PutNarrowedGathered(sums_);
    writer.PutGathered(seen_);
  }

  void Deserialize(std::span<const uint8_t> bytes) override {
    StateBytesReader reader(bytes, kTag, "sum");
    std::vector<int64_t> sums;
    std::vector<uint8_t> seen;
    reader.GetNarrowed(&sums, reader.groups());
    reader.GetFlags(&seen, reader.groups());
    reader.ExpectEnd();
    sums_ = std::move(sums);
    seen_ = std::move(seen);
  }

 private:
  static constexpr uint32_t kTag = SpillTag('i', 's', 'm', sizeof(In));

  std::vector<int64_t> sums_;
  std::vector<uint8_t> seen_;
};

/// Compensated sums of floats into float64; with `mean`, divides by the count at the end.
template <typename In>
class FloatSumState final : public StateBase {
 public:
  explicit FloatSumState(bool mean) : mean_(mean) {}

  void Resize(int64_t groups) override {
    sums_.resize(static_cast<size_t>(groups), 0.0);
    compensations_.resize(static_cast<size_t>(groups), 0.0);
    counts_.resize(static_cast<size_t>(groups), 0);
  }

  void UpdateGroups(const Column* input, int64_t begin, int64_t end,
                    const uint32_t* group_ids) override {
    double* sums = sums_.data();
    double* compensations = compensations_.data();
    int64_t* counts = counts_.data();
    const In* values = input->Values<In>();
    ForEachValid(*input, begin, end, [&](int64_t i) {
      uint32_t g = group_ids[i - begin];
      NeumaierAdd(sums[g], compensations[g], static_cast<double>(values[i]));
      ++counts[g];
    });
  }

  void UpdateOneGroup(const Column* input, int64_t begin, int64_t end) override {
    const In* values = input->Values<In>();
    double sum = sums_[0];
    double compensation = compensations_[0];
    int64_t count = 0;
    ForEachValid(*input, begin, end, [&](int64_t i) {
      NeumaierAdd(sum, compensation, static_cast<double>(values[i]));
      ++count;
    });
    sums_[0] = sum;
    compensations_[0] = compensation;
    counts_[0] += count;
  }

  void MergeGroups(const GroupedAggregateState& other, const uint32_t* groups,
                   const uint32_t* targets, int64_t count) override {
    const auto& source = static_cast<const FloatSumState&>(other);
    ForEachMerged(groups, targets, count, [&](uint32_t g, uint32_t t) {
      NeumaierAdd(sums_[t], compensations_[t], source.sums_[g]);
      compensations_[t] += source.compensations_[g];
      counts_[t] += source.counts_[g];
    });
  }

  Column Finalize(MemoryPool* pool) override {
    size_t groups = sums_.size();
    std::vector<double> results(groups);
    std::vector<uint8_t> valid(groups);
    for (size_t g = 0; g < groups; ++g) {
      double sum = NeumaierResult(sums_[g], compensations_[g]);
      results[g] = mean_ && counts_[g] > 0 ? sum / static_cast<double>(counts_[g]) : sum;
      valid[g] = counts_[g] > 0;
    }
    return MakeFixedColumn(Float64(), results.data(), valid.data(), static_cast<int64_t>(groups),
                           pool);
  }

  int64_t MemoryUsage() const override { return static_cast<int64_t>(sums_.capacity() * 24); }

  /// Writes the compensations too: the result is bit-identical only with both halves.
  void Serialize(const uint32_t* groups, int64_t count, std::vector<uint8_t>* out) const override {
    StateBytesWriter writer(out, Tag(), groups, count, static_cast<int64_t>(sums_.size()));
    writer.PutGathered(sums_);
    writer.PutGathered(compensations_);
    writer.PutNarrowedGathered(counts_);
  }

  void Deserialize(std::span<const uint8_t> bytes) override {
    StateBytesReader reader(bytes, Tag(), mean_ ? "mean" : "sum");
    std::vector<double> sums, compensations;
    std::vector<int64_t> counts;
    reader.GetArray(&sums, reader.groups());
    reader.GetArray(&compensations, reader.groups());
    reader.GetNarrowed(&counts, reader.groups());
    reader.ExpectEnd();
    sums_ = std::move(sums);
    compensations_ = std::move(compensations);
    counts_ = std::move(counts);
  }

 private:
  uint32_t Tag() const { return SpillTag('f', 's', 'm', sizeof(In) | (mean_ ? 0x80 : 0)); }

  bool mean_;
  std::vector<double> sums_;
  std::vector<double> compensations_;
  std::vector<int64_t> counts_;
};

/// Exact int128 sums of integers and decimals: decimal sums (decimal(38, s)), and means of
/// integers and decimals (float64, divided by the count and 10^scale at the end).
template <typename In>
class WideSumState final : public StateBase {
 public:
  WideSumState(bool mean, int scale) : mean_(mean), scale_(scale) {}

  /// sum + value; true on overflow (which only 128-bit values can cause: 2^63 rows of 2^64
  /// cannot).
  static bool Add(int128_t sum, In value, int128_t* out) {
    if constexpr (std::is_same_v<In, int128_t>) {
      return __builtin_add_overflow(sum, value, out);
    } else {
      *out = sum + static_cast<int128_t>(value);
      return false;
    }
  }

  void Resize(int64_t groups) override {
    sums_.resize(static_cast<size_t>(groups), 0);
    counts_.resize(static_cast<size_t>(groups), 0);
  }

  void UpdateGroups(const Column* input, int64_t begin, int64_t end,
                    const uint32_t* group_ids) override {
    if (sums_.size() <= kFewGroups) return UpdateFewGroups(input, begin, end, group_ids);
    int128_t* sums = sums_.data();
    int64_t* counts = counts_.data();
    ValueReader<In> read(*input);
    bool overflow = false;
    ForEachValid(*input, begin, end, [&](int64_t i) {
      uint32_t g = group_ids[i - begin];
      overflow |= Add(sums[g], read(i), &sums[g]);
      ++counts[g];
    });
    if (overflow) ThrowSumOverflow("decimal(38)");
  }

  void UpdateOneGroup(const Column* input, int64_t begin, int64_t end) override {
    ValueReader<In> read(*input);
    int128_t sum = sums_[0];
    int64_t count = 0;
    bool overflow = false;
    ForEachValid(*input, begin, end, [&](int64_t i) {
      overflow |= Add(sum, read(i), &sum);
      ++count;
    });
    if (overflow) ThrowSumOverflow("decimal(38)");
    sums_[0] = sum;
    counts_[0] += count;
  }

  void MergeGroups(const GroupedAggregateState& other, const uint32_t* groups,
                   const uint32_t* targets, int64_t count) override {
    const auto& source = static_cast<const WideSumState&>(other);
    bool overflow = false;
    ForEachMerged(groups, targets, count, [&](uint32_t g, uint32_t t) {
      overflow |= __builtin_add_overflow(sums_[t], source.sums_[g], &sums_[t]);
      counts_[t] += source.counts_[g];
    });
    if (overflow) ThrowSumOverflow("decimal(38)");
  }

  Column Finalize(MemoryPool* pool) override {
    size_t groups = sums_.size();
    std::vector<uint8_t> valid(groups);
    for (size_t g = 0; g < groups; ++g) valid[g] = counts_[g] > 0;
    if (mean_) {
      double divisor = static_cast<double>(PowerOfTen(scale_));
      std::vector<double> means(groups);
      for (size_t g = 0; g < groups; ++g) {
        if (counts_[g] > 0)
          means[g] = static_cast<double>(sums_[g]) / divisor / static_cast<double>(counts_[g]);
      }
      return MakeFixedColumn(Float64(), means.data(), valid.data(), static_cast<int64_t>(groups),
                             pool);
    }
    const int128_t limit = PowerOfTen(38);
    for (size_t g = 0; g < groups; ++g) {
      if (sums_[g] >= limit || sums_[g] <= -limit) ThrowSumOverflow("decimal(38)");
    }
    return MakeFixedColumn(Decimal(38, scale_), sums_.data(), valid.data(),
                           static_cast<int64_t>(groups), pool);
  }

  int64_t MemoryUsage() const override {
    return static_cast<int64_t>(sums_.capacity() * sizeof(int128_t) +
                                counts_.capacity() * sizeof(int64_t));
  }

  void Serialize(const uint32_t* groups, int64_t count, std::vector<uint8_t>* out) const override {
    StateBytesWriter writer(out, Tag(), groups, count, static_cast<int64_t>(sums_.size()));
    writer.PutNarrowedGathered(sums_);
    writer.PutNarrowedGathered(counts_);
  }

  void Deserialize(std::span<const uint8_t> bytes) override {
    StateBytesReader reader(bytes, Tag(), mean_ ? "mean" : "sum");
    std::vector<int128_t> sums;
    std::vector<int64_t> counts;
    reader.GetNarrowed(&sums, reader.groups());
    reader.GetNarrowed(&counts, reader.groups());
    reader.ExpectEnd();
    sums_ = std::move(sums);
    counts_ = std::move(counts);
  }

 private:
  /// Groups few enough that UpdateFewGroups keeps their sums on the stack, once per lane.
  static constexpr size_t kFewGroups = 16;
  static constexpr int64_t kLanes = 4;

  /// With few groups (TPC-H Q1 has four), consecutive rows mostly add to the same sum, and each
  /// addition would wait for the one before to be stored. Rows add to one of kLanes copies of
  /// the sums instead (by row number), added together at the end: kLanes additions in flight.
  void UpdateFewGroups(const Column* input, int64_t begin, int64_t end, const uint32_t* group_ids) {
    std::array<int128_t, kFewGroups * kLanes> lane_sums{};
    std::array<int64_t, kFewGroups * kLanes> lane_counts{};
    ValueReader<In> read(*input);
    bool overflow = false;
    ForEachValid(*input, begin, end, [&](int64_t i) {
      const size_t slot = group_ids[i - begin] * kLanes + static_cast<size_t>(i & (kLanes - 1));
      overflow |= Add(lane_sums[slot], read(i), &lane_sums[slot]);
      ++lane_counts[slot];
    });
    for (size_t g = 0; g < sums_.size(); ++g) {
      for (size_t lane = 0; lane < kLanes; ++lane) {
        overflow |= __builtin_add_overflow(sums_[g], lane_sums[g * kLanes + lane], &sums_[g]);
        counts_[g] += lane_counts[g * kLanes + lane];
      }
    }
    if (overflow) ThrowSumOverflow("decimal(38)");
  }

  uint32_t Tag() const { return SpillTag('w', 's', 'm', sizeof(In) | (mean_ ? 0x80 : 0)); }

  bool mean_;
  int scale_;
  std::vector<int128_t> sums_;
  std::vector<int64_t> counts_;
};

std::unique_ptr<GroupedAggregateState> MakeSumState(const DataType& input, bool mean) {
  std::unique_ptr<GroupedAggregateState> state;
  VisitNumeric(input, [&]<typename T>() {
    if constexpr (std::is_floating_point_v<T>) {
      state = std::make_unique<FloatSumState<T>>(mean);
    } else if constexpr (std::is_same_v<T, int128_t>) {
      state = std::make_unique<WideSumState<T>>(mean, input.scale);
    } else if (mean) {
      state = std::make_unique<WideSumState<T>>(true, 0);
    } else {
      state = std::make_unique<IntegerSumState<T>>();
    }
  });
  if (state == nullptr) ThrowInvalid("cannot sum values of type {}", input.ToString());
  return state;
}

}  // namespace

void AddSumMeanFunctions(std::vector<AggregateFunction>* functions) {
  functions->push_back({
      .name = "sum",
      .result_type =
          [](const DataType& input, const std::string& display) {
            if (input.IsFloating()) return Float64();
            if (input.id == TypeId::kDecimal) return Decimal(38, input.scale);
            if (input.IsInteger() || input.id == TypeId::kBool) return Int64();
            ThrowInvalid("sum of {} in `{}`: sum takes numbers", input.ToString(), display);
          },
      .make_state =
          [](const DataType& input, double, bool distinct) {
            return MaybeDistinct(input, distinct, [input] { return MakeSumState(input, false); });
          },
  });
  functions->push_back({
      .name = "mean",
      .result_type =
          [](const DataType& input, const std::string& display) {
            if (!IsNumeric(input))
              ThrowInvalid("mean of {} in `{}`: mean takes numbers", input.ToString(), display);
            return Float64();
          },
      .make_state =
          [](const DataType& input, double, bool distinct) {
            return MaybeDistinct(input, distinct, [input] { return MakeSumState(input, true); });
          },
  });
}

}  // namespace sluice::aggregates
