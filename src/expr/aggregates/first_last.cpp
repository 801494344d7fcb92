// first and last: the value of the first (last) row of each group in input order, null or not,
// as Polars' first()/last() and DuckDB's first()/last(). Input order is row order within a
// morsel and seq order between morsels (the hash aggregation merges in seq order), so the answer
// never depends on the thread count.
#include <string_view>

#include "expr/aggregates/state_util.h"

namespace sluice::aggregates {

namespace {

/// Values stored by their bits: T is an unsigned integer of the type's width (bool as a byte).
template <typename T, bool kLast>
class FixedFirstLastState final : public StateBase {
 public:
  explicit FixedFirstLastState(DataType type) : type_(std::move(type)) {}

  void Resize(int64_t groups) override {
    values_.resize(static_cast<size_t>(groups), T{});
    set_.resize(static_cast<size_t>(groups), 0);
    valid_.resize(static_cast<size_t>(groups), 0);
  }

  void UpdateGroups(const Column* input, int64_t begin, int64_t end,
                    const uint32_t* group_ids) override {
    T* values = values_.data();
    uint8_t* set = set_.data();
    uint8_t* valid = valid_.data();
    const bool is_bool = type_.id == TypeId::kBool;
    const uint8_t* bits = input->values->data();
    const T* fixed = input->Values<T>();
    const bool no_nulls = input->null_count == 0;
    for (int64_t i = begin; i < end; ++i) {
      uint32_t g = group_ids[i - begin];
      if (!kLast && set[g]) continue;
      set[g] = 1;
      valid[g] = no_nulls || input->IsValid(i);
      values[g] = is_bool ? static_cast<T>(bits::Get(bits, i)) : fixed[i];
    }
  }

  void MergeGroups(const GroupedAggregateState& other, const uint32_t* groups,
                   const uint32_t* targets, int64_t count) override {
    const auto& source = static_cast<const FixedFirstLastState&>(other);
    ForEachMerged(groups, targets, count, [&](uint32_t g, uint32_t t) {
      if (!source.set_[g] || (!kLast && set_[t])) return;
      set_[t] = 1;
      valid_[t] = source.valid_[g];
      values_[t] = source.values_[g];
    });
  }

  Column Finalize(MemoryPool* pool) override {
    int64_t groups = static_cast<int64_t>(values_.size());
    for (int64_t g = 0; g < groups; ++g) valid_[g] &= set_[g];
    if (type_.id == TypeId::kBool) {
      if constexpr (std::is_same_v<T, uint8_t>) {
        return MakeBoolColumn(values_.data(), valid_.data(), groups, pool);
      }
    }
    return MakeFixedColumn(type_, values_.data(), valid_.data(), groups, pool);
  }

  int64_t MemoryUsage() const override {
    return static_cast<int64_t>(values_.capacity() * sizeof(T) + 2 * set_.capacity());
  }

  /// Writes `set` apart from `valid`: a group whose first row was null is done for first.
  void Serialize(const uint32_t* groups, int64_t count, std::vector<uint8_t>* out) const override {
    StateBytesWriter writer(out, kTag, groups, count, static_cast<int64_t>(values_.size()));
    writer.PutNarrowedGathered(values_);
    writer.PutGathered(set_);
    writer.PutGathered(valid_);
  }

  void Deserialize(std::span<const uint8_t> bytes) override {
    StateBytesReader reader(bytes, kTag, kLast ? "last" : "first");
    std::vector<T> values;
    std::vector<uint8_t> set, valid;
    reader.GetNarrowed(&values, reader.groups());
    reader.GetFlags(&set, reader.groups());
    reader.GetFlags(&valid, reader.groups());
    reader.ExpectEnd();
    values_ = std::move(values);
    set_ = std::move(set);
    valid_ = std::move(valid);
  }

 private:
  static constexpr uint32_t kTag = SpillTag(kLast ? 'l' : 'f', 's', 'f', sizeof(T));

  DataType type_;
  std::vector<T> values_;
  std::vector<uint8_t> set_;
  std::vector<uint8_t> valid_;
};

/// Variable-width values (and fixed widths without a C++ integer of their size) as strings.
/// last finds each group's last row of a batch first, so each group copies one string per batch.
template <bool kLast>
class StringFirstLastState final : public StateBase {
 public:
  explicit StringFirstLastState(DataType type) : type_(std::move(type)) {}

  void Resize(int64_t groups) override {
    values_.resize(static_cast<size_t>(groups));
    set_.resize(static_cast<size_t>(groups), 0);
    valid_.resize(static_cast<size_t>(groups), 0);
  }

  void UpdateGroups(const Column* input, int64_t begin, int64_t end,
                    const uint32_t* group_ids) override {
    if (kLast) {
      rows_.assign(values_.size(), -1);
      for (int64_t i = begin; i < end; ++i) rows_[group_ids[i - begin]] = i;
      for (size_t g = 0; g < values_.size(); ++g) {
        if (rows_[g] >= 0) Store(g, *input, rows_[g]);
      }
    } else {
      for (int64_t i = begin; i < end; ++i) {
        if (!set_[group_ids[i - begin]]) Store(group_ids[i - begin], *input, i);
      }
    }
  }

  void MergeGroups(const GroupedAggregateState& other, const uint32_t* groups,
                   const uint32_t* targets, int64_t count) override {
    const auto& source = static_cast<const StringFirstLastState&>(other);
    ForEachMerged(groups, targets, count, [&](uint32_t g, uint32_t t) {
      if (!source.set_[g] || (!kLast && set_[t])) return;
      set_[t] = 1;
      valid_[t] = source.valid_[g];
      AssignCounted(values_[t], source.values_[g], &heap_bytes_);
    });
  }

  Column Finalize(MemoryPool* pool) override {
    int64_t groups = static_cast<int64_t>(values_.size());
    for (int64_t g = 0; g < groups; ++g) valid_[g] &= set_[g];
    if (type_.IsVariableWidth())
      return MakeStringColumn(type_, values_, valid_.data(), groups, pool);
    int width = type_.FixedWidth();
    std::vector<uint8_t> bytes(static_cast<size_t>(groups * width), 0);
    for (int64_t g = 0; g < groups; ++g) {
      if (valid_[g]) std::memcpy(bytes.data() + g * width, values_[g].data(), width);
    }
    return MakeBytesColumn(type_, bytes.data(), width, valid_.data(), groups, pool);
  }

  int64_t MemoryUsage() const override {
    return static_cast<int64_t>(values_.capacity() * sizeof(std::string) + 2 * set_.capacity() +
                                rows_.capacity() * 8) +
           heap_bytes_;
  }

  void Serialize(const uint32_t* groups, int64_t count, std::vector<uint8_t>* out) const override {
    StateBytesWriter writer(out, kTag, groups, count, static_cast<int64_t>(values_.size()));
    writer.PutGathered(set_);
    writer.PutGathered(valid_);
    writer.PutGatheredStrings(values_);
  }

  void Deserialize(std::span<const uint8_t> bytes) override {
    StateBytesReader reader(bytes, kTag, kLast ? "last" : "first");
    std::vector<uint8_t> set, valid;
    std::vector<std::string> values;
    reader.GetFlags(&set, reader.groups());
    reader.GetFlags(&valid, reader.groups());
    reader.GetStrings(&values, reader.groups());
    reader.ExpectEnd();
    // Finalize copies the type's width from each valid value of a fixed-width type.
    for (size_t g = 0; g < values.size(); ++g) {
      if (valid[g] && !set[g]) reader.Fail("a group has a valid value but none was set");
      if (valid[g] && !type_.IsVariableWidth() &&
          values[g].size() != static_cast<size_t>(type_.FixedWidth()))
        reader.Fail(fmt::format("a value of {} has {} bytes", type_.ToString(), values[g].size()));
    }
    set_ = std::move(set);
    valid_ = std::move(valid);
    values_ = std::move(values);
    heap_bytes_ = 0;
    for (const std::string& value : values_) heap_bytes_ += StringHeapBytes(value);
  }

 private:
  static constexpr uint32_t kTag = SpillTag(kLast ? 'l' : 'f', 's', 's', 0);

  void Store(size_t g, const Column& input, int64_t row) {
    set_[g] = 1;
    valid_[g] = input.IsValid(row);
    if (!valid_[g]) {
      values_[g].clear();
    } else {
      std::string_view value =
          input.type.IsVariableWidth() ? input.StringAt(row) : input.FixedBytesAt(row);
      AssignCounted(values_[g], value, &heap_bytes_);
    }
  }

  DataType type_;
  std::vector<std::string> values_;
  std::vector<uint8_t> set_;
  std::vector<uint8_t> valid_;
  std::vector<int64_t> rows_;  ///< Scratch of Update: the last row per group.
  int64_t heap_bytes_ = 0;     ///< Held by the strings of values_.
};

template <bool kLast>
std::unique_ptr<GroupedAggregateState> MakeFirstLastState(const DataType& input) {
  if (input.id == TypeId::kBool)
    return std::make_unique<FixedFirstLastState<uint8_t, kLast>>(input);
  switch (input.IsVariableWidth() ? 0 : input.FixedWidth()) {
    case 1: return std::make_unique<FixedFirstLastState<uint8_t, kLast>>(input);
    case 2: return std::make_unique<FixedFirstLastState<uint16_t, kLast>>(input);
    case 4: return std::make_unique<FixedFirstLastState<uint32_t, kLast>>(input);
    case 8: return std::make_unique<FixedFirstLastState<uint64_t, kLast>>(input);
    case 16: return std::make_unique<FixedFirstLastState<unsigned __int128, kLast>>(input);
    default: return std::make_unique<StringFirstLastState<kLast>>(input);
  }
}

template <bool kLast>
AggregateFunction FirstLastFunction() {
  return {
      .name = kLast ? "last" : "first",
      .result_type = [](const DataType& input, const std::string&) { return input; },
      .make_state = [](const DataType& input, double,
                       bool) { return MakeFirstLastState<kLast>(input); },
  };
}

}  // namespace

void AddFirstLastFunctions(std::vector<AggregateFunction>* functions) {
  functions->push_back(FirstLastFunction<false>());
  functions->push_back(FirstLastFunction<true>());
}

}  // namespace sluice::aggregates
