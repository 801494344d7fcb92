// count(x): the non-null values of a group; count_star (count(*)): its rows. Both are int64 and
// 0, never null, for a group without rows.
#include <cmath>

#include "expr/aggregates/state_util.h"

namespace sluice::aggregates {

namespace {

class CountState final : public StateBase {
 public:
  explicit CountState(bool star) : star_(star) {}

  void Resize(int64_t groups) override { counts_.resize(static_cast<size_t>(groups), 0); }

  void UpdateGroups(const Column* input, int64_t begin, int64_t end,
                    const uint32_t* group_ids) override {
    int64_t* counts = counts_.data();
    if (star_ || input == nullptr || input->null_count == 0) {
      for (int64_t i = begin; i < end; ++i) ++counts[group_ids[i - begin]];
      return;
    }
    ForEachValid(*input, begin, end, [&](int64_t i) { ++counts[group_ids[i - begin]]; });
  }

  void UpdateOneGroup(const Column* input, int64_t begin, int64_t end) override {
    int64_t count = end - begin;
    if (!star_ && input != nullptr && input->null_count > 0) {
      count = 0;
      ForEachValid(*input, begin, end, [&](int64_t) { ++count; });
    }
    counts_[0] += count;
  }

  void MergeGroups(const GroupedAggregateState& other, const uint32_t* groups,
                   const uint32_t* targets, int64_t count) override {
    const auto& source = static_cast<const CountState&>(other);
    ForEachMerged(groups, targets, count,
                  [&](uint32_t g, uint32_t t) { counts_[t] += source.counts_[g]; });
  }

  Column Finalize(MemoryPool* pool) override {
    return MakeFixedColumn(Int64(), counts_.data(), nullptr, static_cast<int64_t>(counts_.size()),
                           pool);
  }

  int64_t MemoryUsage() const override {
    return static_cast<int64_t>(counts_.capacity() * sizeof(int64_t));
  }

  void Serialize(const uint32_t* groups, int64_t count, std::vector<uint8_t>* out) const override {
    StateBytesWriter writer(out, Tag(), groups, count, static_cast<int64_t>(counts_.size()));
    writer.PutNarrowedGathered(counts_);
  }

  void Deserialize(std::span<const uint8_t> bytes) override {
    StateBytesReader reader(bytes, Tag(), star_ ? "count_star" : "count");
    std::vector<int64_t> counts;
    reader.GetNarrowed(&counts, reader.groups());
    reader.ExpectEnd();
    counts_ = std::move(counts);
  }

 private:
  uint32_t Tag() const { return SpillTag('c', 'n', 't', star_); }

  bool star_;
  std::vector<int64_t> counts_;
};

}  // namespace

void AddCountFunctions(std::vector<AggregateFunction>* functions) {
  functions->push_back({
      .name = "count",
      .result_type = [](const DataType&, const std::string&) { return Int64(); },
      .make_state =
          [](const DataType& input, double, bool distinct) {
            return MaybeDistinct(input, distinct,
                                 [] { return std::make_unique<CountState>(/*star=*/false); });
          },
  });
  functions->push_back({
      .name = "count_star",
      .result_type = [](const DataType&, const std::string&) { return Int64(); },
      .make_state = [](const DataType&, double, bool) -> std::unique_ptr<GroupedAggregateState> {
        return std::make_unique<CountState>(/*star=*/true);
      },
  });
}

/// Counts every entry given to it (null or not): the inner state of n_unique.
std::unique_ptr<GroupedAggregateState> MakeCountAllState() {
  return std::make_unique<CountState>(/*star=*/true);
}

}  // namespace sluice::aggregates
