// std and var (sample by default: ddof = 1, as Polars and DuckDB's stddev/variance): Welford's
// running mean and sum of squared deviations within a morsel, Chan's pairwise formula to merge
// morsels (in seq order, so the result does not depend on the thread count). A group with at
// most ddof values gives null.
#include <cmath>

#include "expr/aggregates/state_util.h"

namespace sluice::aggregates {

namespace {

template <typename In>
class VarianceState final : public StateBase {
 public:
  VarianceState(double ddof, bool std, double decimal_divisor)
      : ddof_(ddof), std_(std), decimal_divisor_(decimal_divisor) {}

  void Resize(int64_t groups) override {
    counts_.resize(static_cast<size_t>(groups), 0.0);
    means_.resize(static_cast<size_t>(groups), 0.0);
    m2s_.resize(static_cast<size_t>(groups), 0.0);
  }

  void UpdateGroups(const Column* input, int64_t begin, int64_t end,
                    const uint32_t* group_ids) override {
    double* counts = counts_.data();
    double* means = means_.data();
    double* m2s = m2s_.data();
    ValueReader<In> read(*input);
    ForEachValid(*input, begin, end, [&](int64_t i) {
      uint32_t g = group_ids[i - begin];
      double value = ToDouble(read(i), decimal_divisor_);
      double count = counts[g] + 1.0;
      double delta = value - means[g];
      means[g] += delta / count;
      m2s[g] += delta * (value - means[g]);
      counts[g] = count;
    });
  }

  void MergeGroups(const GroupedAggregateState& other, const uint32_t* groups,
                   const uint32_t* targets, int64_t count) override {
    const auto& source = static_cast<const VarianceState&>(other);
    ForEachMerged(groups, targets, count, [&](uint32_t g, uint32_t t) {
      double other_count = source.counts_[g];
      if (other_count == 0.0) return;
      double own_count = counts_[t];
      if (own_count == 0.0) {
        counts_[t] = other_count;
        means_[t] = source.means_[g];
        m2s_[t] = source.m2s_[g];
        return;
      }
      double total = own_count + other_count;
      double delta = source.means_[g] - means_[t];
      means_[t] += delta * other_count / total;
      m2s_[t] += source.m2s_[g] + delta * delta * own_count * other_count / total;
      counts_[t] = total;
    });
  }

  Column Finalize(MemoryPool* pool) override {
    size_t groups = counts_.size();
    std::vector<double> results(groups, 0.0);
    std::vector<uint8_t> valid(groups, 0);
    for (size_t g = 0; g < groups; ++g) {
      double denominator = counts_[g] - ddof_;
      if (counts_[g] == 0.0 || denominator <= 0.0) continue;
      double variance = std::max(m2s_[g], 0.0) / denominator;
      results[g] = std_ ? std::sqrt(variance) : variance;
      valid[g] = 1;
    }
    return MakeFixedColumn(Float64(), results.data(), valid.data(), static_cast<int64_t>(groups),
                           pool);
  }

  int64_t MemoryUsage() const override {
    return static_cast<int64_t>(counts_.capacity() * 3 * sizeof(double));
  }

  /// Writes Welford's state as it stands (count, mean, m2), so merges into or from the state read
  /// back give the same bits as with the original.
  void Serialize(const uint32_t* groups, int64_t count, std::vector<uint8_t>* out) const override {
    StateBytesWriter writer(out, Tag(), groups, count, static_cast<int64_t>(counts_.size()));
    writer.PutNarrowedGathered(counts_);
    writer.PutGathered(means_);
    writer.PutGathered(m2s_);
  }

  void Deserialize(std::span<const uint8_t> bytes) override {
    StateBytesReader reader(bytes, Tag(), std_ ? "std" : "var");
    std::vector<double> counts, means, m2s;
    reader.GetNarrowed(&counts, reader.groups());
    reader.GetArray(&means, reader.groups());
    reader.GetArray(&m2s, reader.groups());
    reader.ExpectEnd();
    counts_ = std::move(counts);
    means_ = std::move(means);
    m2s_ = std::move(m2s);
  }

 private:
  uint32_t Tag() const { return SpillTag('v', 'a', 'r', sizeof(In) | (std_ ? 0x80 : 0)); }

  double ddof_;
  bool std_;
  double decimal_divisor_;
  std::vector<double> counts_;
  std::vector<double> means_;
  std::vector<double> m2s_;
};

std::unique_ptr<GroupedAggregateState> MakeVarianceState(const DataType& input, double ddof,
                                                         bool std) {
  std::unique_ptr<GroupedAggregateState> state;
  VisitNumeric(input, [&]<typename T>() {
    state = std::make_unique<VarianceState<T>>(ddof, std, DecimalDivisor(input));
  });
  if (state == nullptr) ThrowInvalid("cannot take the variance of {} values", input.ToString());
  return state;
}

AggregateFunction VarianceFunction(bool std) {
  return {
      .name = std ? "std" : "var",
      .result_type =
          [std](const DataType& input, const std::string& display) {
            if (!IsNumeric(input))
              ThrowInvalid("{} of {} in `{}`: {} takes numbers", std ? "std" : "var",
                           input.ToString(), display, std ? "std" : "var");
            return Float64();
          },
      .make_state =
          [std](const DataType& input, double param, bool distinct) {
            double ddof = std::isnan(param) ? 1.0 : param;
            if (ddof < 0)
              ThrowInvalid("{}: ddof must be 0 or more, not {}", std ? "std" : "var", ddof);
            return MaybeDistinct(input, distinct,
                                 [=] { return MakeVarianceState(input, ddof, std); });
          },
  };
}

}  // namespace

void AddVarianceFunctions(std::vector<AggregateFunction>* functions) {
  functions->push_back(VarianceFunction(true));
  functions->push_back(VarianceFunction(false));
}

}  // namespace sluice::aggregates
