// any and all over bool values (DuckDB's bool_or and bool_and): nulls are skipped, and a group
// without a non-null value gives null.
#include "expr/aggregates/state_util.h"

namespace sluice::aggregates {

namespace {

template <bool kAll>
class BoolState final : public StateBase {
 public:
  void Resize(int64_t groups) override {
    values_.resize(static_cast<size_t>(groups), kAll ? 1 : 0);
    seen_.resize(static_cast<size_t>(groups), 0);
  }

  void UpdateGroups(const Column* input, int64_t begin, int64_t end,
                    const uint32_t* group_ids) override {
    uint8_t* values = values_.data();
    uint8_t* seen = seen_.data();
    const uint8_t* bits = input->values->data();
    ForEachValid(*input, begin, end, [&](int64_t i) {
      uint32_t g = group_ids[i - begin];
      uint8_t value = bits::Get(bits, i);
      values[g] = kAll ? (values[g] & value) : (values[g] | value);
      seen[g] = 1;
    });
  }

  void MergeGroups(const GroupedAggregateState& other, const uint32_t* groups,
                   const uint32_t* targets, int64_t count) override {
    const auto& source = static_cast<const BoolState&>(other);
    ForEachMerged(groups, targets, count, [&](uint32_t g, uint32_t t) {
      if (!source.seen_[g]) return;
      values_[t] = kAll ? (values_[t] & source.values_[g]) : (values_[t] | source.values_[g]);
      seen_[t] = 1;
    });
  }

  Column Finalize(MemoryPool* pool) override {
    return MakeBoolColumn(values_.data(), seen_.data(), static_cast<int64_t>(values_.size()), pool);
  }

  int64_t MemoryUsage() const override {
    return static_cast<int64_t>(values_.capacity() + seen_.capacity());
  }

  void Serialize(const uint32_t* groups, int64_t count, std::vector<uint8_t>* out) const override {
    StateBytesWriter writer(out, kTag, groups, count, static_cast<int64_t>(values_.size()));
    writer.PutGathered(values_);
    writer.PutGathered(seen_);
  }

  void Deserialize(std::span<const uint8_t> bytes) override {
    StateBytesReader reader(bytes, kTag, kAll ? "all" : "any");
    std::vector<uint8_t> values, seen;
    reader.GetFlags(&values, reader.groups());
    reader.GetFlags(&seen, reader.groups());
    reader.ExpectEnd();
    values_ = std::move(values);
    seen_ = std::move(seen);
  }

 private:
  static constexpr uint32_t kTag = SpillTag('b', 'o', 'l', kAll);

  std::vector<uint8_t> values_;
  std::vector<uint8_t> seen_;
};

template <bool kAll>
AggregateFunction BoolFunction() {
  return {
      .name = kAll ? "all" : "any",
      .result_type =
          [](const DataType& input, const std::string& display) {
            if (input.id != TypeId::kBool)
              ThrowInvalid("{} of {} in `{}`: {} takes booleans", kAll ? "all" : "any",
                           input.ToString(), display, kAll ? "all" : "any");
            return Bool();
          },
      .make_state = [](const DataType&, double, bool) -> std::unique_ptr<GroupedAggregateState> {
        return std::make_unique<BoolState<kAll>>();
      },
  };
}

}  // namespace

void AddBoolFunctions(std::vector<AggregateFunction>* functions) {
  functions->push_back(BoolFunction<false>());
  functions->push_back(BoolFunction<true>());
}

}  // namespace sluice::aggregates
