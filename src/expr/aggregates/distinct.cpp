// Distinct values per group: n_unique (Polars: null counts as one more value), and the wrapper
// behind count(DISTINCT x), sum(DISTINCT x), ... The wrapper keeps each group's distinct values
// once, in the order first seen (row order, then morsel order through the seq-ordered merges),
// and at Finalize feeds them to a fresh state of the wrapped function, so float sums over
// distinct values are as deterministic as plain ones.
#include <xxhash.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <string_view>

#include "expr/aggregates/state_util.h"

namespace sluice::aggregates {

namespace {

class DistinctState final : public StateBase {
 public:
  DistinctState(DataType type, StateFactory inner, bool count_nulls)
      : type_(std::move(type)),
        inner_(std::move(inner)),
        count_nulls_(count_nulls),
        width_(type_.id == TypeId::kBool ? 1 : type_.FixedWidth()) {
    offsets_.push_back(0);
    slots_.assign(64, 0);
  }

  void Resize(int64_t groups) override {
    if (groups != groups_) sealed_ = false;  // The group index of Seal no longer fits.
    groups_ = groups;
  }

  void UpdateGroups(const Column* input, int64_t begin, int64_t end,
                    const uint32_t* group_ids) override {
    sealed_ = false;
    uint8_t scratch[16];
    for (int64_t i = begin; i < end; ++i) {
      bool valid = input->IsValid(i);
      if (!valid && !count_nulls_) continue;
      std::string_view value = valid ? ValueAt(*input, i, scratch) : std::string_view();
      Insert(group_ids[i - begin], valid, value);
    }
  }

  /// Orders the entries by group (stably) so that MergeGroups finds a group's at once.
  void Seal() override {
    if (sealed_) return;
    OrderByGroup(entry_groups_, groups_, &group_offsets_, &order_);
    sealed_ = true;
  }

  void MergeGroups(const GroupedAggregateState& other, const uint32_t* groups,
                   const uint32_t* targets, int64_t count) override {
    const auto& source = static_cast<const DistinctState&>(other);
    sealed_ = false;
    if (source.sealed_) {
      ForEachMerged(groups, targets, count, [&](uint32_t g, uint32_t t) {
        for (int64_t k = source.group_offsets_[g]; k < source.group_offsets_[g + 1]; ++k) {
          uint32_t e = source.order_[k];
          Insert(t, source.entry_valid_[e], source.EntryValue(e));
        }
      });
      return;
    }
    std::vector<uint32_t> by_group = TargetsByGroup(groups, targets, count, source.groups_);
    for (size_t e = 0; e < source.entry_groups_.size(); ++e) {
      uint32_t t = by_group[source.entry_groups_[e]];
      if (t != kNoTarget)
        Insert(t, source.entry_valid_[e], source.EntryValue(static_cast<uint32_t>(e)));
    }
  }

  Column Finalize(MemoryPool* pool) override {
    int64_t entries = static_cast<int64_t>(entry_groups_.size());
    Column values = EntriesAsColumn(pool);
    std::unique_ptr<GroupedAggregateState> inner = inner_();
    inner->Resize(groups_);
    inner->Update(&values, entry_groups_.data(), entries);
    return inner->Finalize(pool);
  }

  int64_t MemoryUsage() const override {
    return static_cast<int64_t>(entry_groups_.capacity() * 13 + bytes_.capacity() +
                                offsets_.capacity() * 8 + slots_.capacity() * 4 +
                                order_.capacity() * 4 + group_offsets_.capacity() * 8);
  }

  /// Writes each group's entries in first-seen order: the number of entries per group, a valid
  /// flag per entry, the value lengths (variable-width types only: a fixed-width value has the
  /// type's width, a null none), then the value bytes. The order across groups is not kept: no
  /// group's result depends on it.
  void Serialize(const uint32_t* groups, int64_t count, std::vector<uint8_t>* out) const override {
    StateBytesWriter writer(out, Tag(), groups, count, groups_);
    std::vector<int64_t> local_offsets;
    std::vector<uint32_t> local_order;
    const std::vector<int64_t>* offsets = &group_offsets_;
    const std::vector<uint32_t>* order = &order_;
    if (!sealed_) {
      OrderByGroup(entry_groups_, groups_, &local_offsets, &local_order);
      offsets = &local_offsets;
      order = &local_order;
    }
    std::vector<uint32_t> counts(static_cast<size_t>(count));
    std::vector<uint8_t> valid;
    std::vector<uint32_t> lengths;
    size_t value_bytes = 0;
    for (int64_t i = 0; i < count; ++i) {
      uint32_t g = writer.group(i);
      counts[i] = static_cast<uint32_t>((*offsets)[g + 1] - (*offsets)[g]);
      for (int64_t k = (*offsets)[g]; k < (*offsets)[g + 1]; ++k) {
        uint32_t e = (*order)[k];
        valid.push_back(entry_valid_[e]);
        lengths.push_back(static_cast<uint32_t>(offsets_[e + 1] - offsets_[e]));
        value_bytes += lengths.back();
      }
    }
    writer.PutBytes(counts.data(), counts.size() * sizeof(uint32_t));
    writer.PutBytes(valid.data(), valid.size());
    if (type_.IsVariableWidth()) writer.PutBytes(lengths.data(), lengths.size() * sizeof(uint32_t));
    uint8_t* to = writer.Extend(value_bytes);
    for (int64_t i = 0; i < count; ++i) {
      uint32_t g = writer.group(i);
      for (int64_t k = (*offsets)[g]; k < (*offsets)[g + 1]; ++k) {
        std::string_view value = EntryValue((*order)[k]);
        if (!value.empty()) std::memcpy(to, value.data(), value.size());
        to += value.size();
      }
    }
  }

  void Deserialize(std::span<const uint8_t> bytes) override {
    StateBytesReader reader(bytes, Tag(), "a distinct aggregate");
    int64_t groups = reader.groups();
    if (groups > int64_t{1} << 32) reader.Fail("more groups than group ids");
    // Reads and checks everything first, so that a malformed input leaves the state as it was.
    std::vector<uint32_t> counts;
    reader.GetArray(&counts, groups);
    int64_t entries = 0;
    for (uint32_t n : counts) {
      entries += n;
      if (entries > reader.remaining()) reader.Fail("more entries than bytes");
    }
    if (entries >= int64_t{1} << 32) reader.Fail("more entries than entry ids");
    std::vector<uint8_t> valid;
    reader.GetFlags(&valid, entries);
    const bool variable_width = type_.IsVariableWidth();
    std::vector<uint32_t> lengths;
    int64_t value_bytes = 0;
    if (variable_width) {
      reader.GetArray(&lengths, entries);
      for (int64_t e = 0; e < entries; ++e) {
        if (!valid[e] && lengths[e] != 0) reader.Fail("a null entry has a value");
        value_bytes += lengths[e];
      }
    } else {
      for (uint8_t flag : valid) value_bytes += flag * width_;
    }
    if (value_bytes != reader.remaining())
      reader.Fail(fmt::format("the values need {} bytes, not {}", value_bytes, reader.remaining()));

    entry_groups_.clear();
    entry_hashes_.clear();
    entry_valid_.clear();
    bytes_.clear();
    offsets_.assign(1, 0);
    entry_groups_.reserve(static_cast<size_t>(entries));
    entry_hashes_.reserve(static_cast<size_t>(entries));
    entry_valid_.reserve(static_cast<size_t>(entries));
    offsets_.reserve(static_cast<size_t>(entries) + 1);
    bytes_.reserve(static_cast<size_t>(value_bytes));
    slots_.assign(std::max<size_t>(64, std::bit_ceil(static_cast<size_t>(entries) * 2 + 2)), 0);
    order_.clear();
    group_offsets_.clear();
    groups_ = groups;
    sealed_ = false;
    int64_t e = 0;
    for (int64_t g = 0; g < groups; ++g) {
      for (uint32_t k = 0; k < counts[g]; ++k, ++e) {
        int64_t size = variable_width ? int64_t{lengths[e]} : valid[e] * width_;
        Insert(static_cast<uint32_t>(g), valid[e] != 0, reader.GetBytes(size));
      }
    }
  }

 private:
  uint32_t Tag() const {
    return SpillTag('d', 's', 't', (width_ & 0x7F) | (count_nulls_ ? 0x80 : 0));
  }

  /// The bytes that identify value i: floats normalized so that -0.0 = 0.0 and all NaNs are one.
  std::string_view ValueAt(const Column& input, int64_t i, uint8_t* scratch) const {
    if (type_.IsVariableWidth()) return input.StringAt(i);
    if (type_.id == TypeId::kBool) {
      scratch[0] = input.BoolAt(i) ? 1 : 0;
    } else if (type_.id == TypeId::kFloat64) {
      double value = input.Values<double>()[i];
      if (value == 0.0) value = 0.0;
      if (std::isnan(value)) value = std::nan("");
      std::memcpy(scratch, &value, 8);
    } else if (type_.id == TypeId::kFloat32) {
      float value = input.Values<float>()[i];
      if (value == 0.0f) value = 0.0f;
      if (std::isnan(value)) value = std::nanf("");
      std::memcpy(scratch, &value, 4);
    } else {
      return input.FixedBytesAt(i);
    }
    return {reinterpret_cast<const char*>(scratch), static_cast<size_t>(width_)};
  }

  std::string_view EntryValue(uint32_t e) const {
    return {reinterpret_cast<const char*>(bytes_.data()) + offsets_[e],
            static_cast<size_t>(offsets_[e + 1] - offsets_[e])};
  }

  static uint64_t Hash(uint32_t group, bool valid, std::string_view value) {
    if (!valid) return XXH3_64bits_withSeed(&group, sizeof(group), 0x6e756c6c);
    return XXH3_64bits_withSeed(value.data(), value.size(), group);
  }

  void Insert(uint32_t group, bool valid, std::string_view value) {
    uint64_t hash = Hash(group, valid, value);
    size_t mask = slots_.size() - 1;
    size_t at = hash & mask;
    while (slots_[at] != 0) {
      uint32_t e = slots_[at] - 1;
      if (entry_hashes_[e] == hash && entry_groups_[e] == group && entry_valid_[e] == valid &&
          EntryValue(e) == value)
        return;
      at = (at + 1) & mask;
    }
    uint32_t e = static_cast<uint32_t>(entry_groups_.size());
    slots_[at] = e + 1;
    entry_groups_.push_back(group);
    entry_hashes_.push_back(hash);
    entry_valid_.push_back(valid);
    bytes_.insert(bytes_.end(), value.begin(), value.end());
    offsets_.push_back(static_cast<int64_t>(bytes_.size()));
    if (entry_groups_.size() * 2 > slots_.size()) Grow();
  }

  void Grow() {
    slots_.assign(slots_.size() * 2, 0);
    size_t mask = slots_.size() - 1;
    for (size_t e = 0; e < entry_hashes_.size(); ++e) {
      size_t at = entry_hashes_[e] & mask;
      while (slots_[at] != 0) at = (at + 1) & mask;
      slots_[at] = static_cast<uint32_t>(e) + 1;
    }
  }

  /// The distinct values, one row per entry, with nulls where the entry is null.
  Column EntriesAsColumn(MemoryPool* pool) const {
    int64_t entries = static_cast<int64_t>(entry_groups_.size());
    if (type_.IsVariableWidth()) {
      Column column = MakeEmptyColumn(type_, pool);
      column.length = entries;
      column.values->Resize(0);  // Drop the empty column's offset 0: ours start with it.
      column.values->Append(offsets_.data(), (entries + 1) * int64_t{sizeof(int64_t)});
      column.data->Append(bytes_.data(), static_cast<int64_t>(bytes_.size()));
      column.validity = MakeValidity(entry_valid_.data(), entries, pool, &column.null_count);
      return column;
    }
    // Null entries hold no bytes: lay the values out at fixed width, zeros for nulls.
    std::vector<uint8_t> fixed(static_cast<size_t>(entries * width_), 0);
    for (int64_t e = 0; e < entries; ++e) {
      std::string_view value = EntryValue(static_cast<uint32_t>(e));
      if (!value.empty()) std::memcpy(fixed.data() + e * width_, value.data(), value.size());
    }
    if (type_.id == TypeId::kBool)
      return MakeBoolColumn(fixed.data(), entry_valid_.data(), entries, pool);
    return MakeBytesColumn(type_, fixed.data(), width_, entry_valid_.data(), entries, pool);
  }

  DataType type_;
  StateFactory inner_;
  bool count_nulls_;
  int width_;
  int64_t groups_ = 0;
  bool sealed_ = false;
  // Entries (distinct (group, value) pairs) in first-seen order.
  std::vector<uint32_t> entry_groups_;
  std::vector<uint64_t> entry_hashes_;
  std::vector<uint8_t> entry_valid_;
  std::vector<uint8_t> bytes_;  ///< Entry e's value is bytes_[offsets_[e], offsets_[e + 1]).
  std::vector<int64_t> offsets_;
  std::vector<uint32_t> slots_;  ///< Open addressing; entry index + 1, 0 = empty.
  // When sealed: entries of group g are order_[group_offsets_[g], group_offsets_[g + 1]).
  std::vector<uint32_t> order_;
  std::vector<int64_t> group_offsets_;
};

}  // namespace

std::unique_ptr<GroupedAggregateState> MakeDistinctState(const DataType& input, StateFactory inner,
                                                         bool count_nulls) {
  return std::make_unique<DistinctState>(input, std::move(inner), count_nulls);
}

void AddDistinctFunctions(std::vector<AggregateFunction>* functions) {
  functions->push_back({
      .name = "n_unique",
      .result_type = [](const DataType&, const std::string&) { return Int64(); },
      .make_state =
          [](const DataType& input, double, bool) {
            return MakeDistinctState(input, MakeCountAllState, /*count_nulls=*/true);
          },
  });
}

}  // namespace sluice::aggregates
