// Open-addressing (linear probing) dictionary keyed by value bytes, hashed with XXH3.
#include "io/parquet/writer/dictionary_builder.h"

#include <xxhash.h>

#include <algorithm>
#include <cstring>

#include "core/error.h"

namespace sluice::io::parquet {

namespace {
// A bijection on 64-bit integers (murmur3's finalizer): equal hashes mean equal keys.
uint64_t MixBits(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdull;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ull;
  return x ^ (x >> 33);
}
}  // namespace

uint64_t DictionaryBuilder::Hash(std::string_view value) {
  if (value.size() == 4 || value.size() == 8) {
    uint64_t key = 0;
    std::memcpy(&key, value.data(), value.size());
    return MixBits(key);
  }
  return XXH3_64bits(value.data(), value.size());
}

uint32_t DictionaryBuilder::Insert(std::string_view value) {
  if (slots_.empty() || count_ * 2 >= slots_.size()) Grow();
  uint64_t hash = Hash(value);
  // Values of 4 or 8 bytes (one width per column) hash bijectively: no byte comparison needed.
  // Only when every value has the same width: "abcd" and "abcd\0\0\0\0" share a key.
  bool hash_is_identity = fixed_width_ && (value.size() == 4 || value.size() == 8);
  size_t mask = slots_.size() - 1;
  for (size_t slot = hash & mask;; slot = (slot + 1) & mask) {
    const Slot& at = slots_[slot];
    if (at.entry == 0) return Add(value, hash, slot);
    if (at.hash == hash && (hash_is_identity || this->value(at.entry - 1) == value))
      return at.entry - 1;
  }
}

template <int kWidth>
void DictionaryBuilder::InsertFixedValues(const uint8_t* values, int64_t count, uint32_t* indices) {
  if (compact_slots_.empty()) GrowCompact();
  // A value equal to the one before takes its index without a lookup: sorted and clustered
  // columns (dates, flags) repeat in runs, and the lookup is the writer's costliest step.
  uint64_t previous_key = 0;
  uint32_t previous_index = 0;
  bool has_previous = false;
  // A dictionary near its size limit (l_suppkey: 170K values) has a table of megabytes, where
  // each lookup misses the cache; asking for the slot of the value kPrefetch ahead overlaps
  // those misses. Each value is hashed once, when it is kPrefetch ahead; the hashes wait in a
  // ring until their value's turn.
  constexpr int64_t kPrefetch = 16;
  auto key_at = [&](int64_t i) {
    uint64_t key = 0;
    std::memcpy(&key, values + i * kWidth, kWidth);
    return key;
  };
  uint64_t hashes[kPrefetch];
  for (int64_t i = 0; i < std::min(count, kPrefetch); ++i) hashes[i] = MixBits(key_at(i));
  for (int64_t i = 0; i < count; ++i) {
    const uint64_t hash = hashes[i % kPrefetch];
    if (i + kPrefetch < count) {
      const uint64_t ahead = MixBits(key_at(i + kPrefetch));
      hashes[i % kPrefetch] = ahead;
      __builtin_prefetch(&compact_slots_[ahead & (compact_slots_.size() - 1)]);
    }
    const uint64_t key = key_at(i);
    if (has_previous && key == previous_key) {
      indices[i] = previous_index;
      continue;
    }
    indices[i] = previous_index =
        kWidth == 4 ? FindOrAddCompact(static_cast<uint32_t>(key), hash) : FindOrAddWide(key, hash);
    previous_key = key;
    has_previous = true;
  }
}

uint32_t DictionaryBuilder::FindOrAddWide(uint64_t key, uint64_t hash) {
  const uint64_t tag = hash >> 32;
  while (true) {
    const size_t mask = compact_slots_.size() - 1;
    for (size_t slot = hash & mask;; slot = (slot + 1) & mask) {
      const CompactSlot at = compact_slots_[slot];
      if (at != 0) {
        // The tag matches 1 in 2^32 other keys: the value itself decides.
        const uint32_t index = static_cast<uint32_t>(at) - 1;
        if ((at >> 32) == tag && WideValue(index) == key) return index;
        continue;
      }
      if (count_ * 2 < compact_slots_.size()) {
        const uint32_t index =
            AppendValue(std::string_view(reinterpret_cast<const char*>(&key), 8));
        compact_slots_[slot] = tag << 32 | (index + 1);
        return index;
      }
      GrowCompact();  // Full enough: grow, then probe again.
      break;
    }
  }
}

uint32_t DictionaryBuilder::FindOrAddCompact(uint32_t key, uint64_t hash) {
  while (true) {
    const size_t mask = compact_slots_.size() - 1;
    for (size_t slot = hash & mask;; slot = (slot + 1) & mask) {
      const CompactSlot at = compact_slots_[slot];
      if (at != 0 && static_cast<uint32_t>(at >> 32) == key) return static_cast<uint32_t>(at) - 1;
      if (at != 0) continue;
      if (count_ * 2 < compact_slots_.size()) {
        const uint32_t index =
            AppendValue(std::string_view(reinterpret_cast<const char*>(&key), 4));
        compact_slots_[slot] = static_cast<uint64_t>(key) << 32 | (index + 1);
        return index;
      }
      GrowCompact();
      break;
    }
  }
}

void DictionaryBuilder::InsertFixed(const uint8_t* values, int64_t count, int width,
                                    uint32_t* indices) {
  if (width == 4) return InsertFixedValues<4>(values, count, indices);
  InsertFixedValues<8>(values, count, indices);
}

uint32_t DictionaryBuilder::AppendValue(std::string_view value) {
  const auto index = static_cast<uint32_t>(count_++);
  if (fixed_width_) {
    width_ = value.size();
  } else {
    offsets_.push_back(bytes_.size());
  }
  bytes_.append(value);
  return index;
}

uint32_t DictionaryBuilder::Add(std::string_view value, uint64_t hash, size_t slot) {
  const uint32_t index = AppendValue(value);
  slots_[slot] = Slot{hash, index + 1};
  return index;
}

void DictionaryBuilder::Grow() {
  if (table_released_) ThrowInternal("a dictionary took a value after its table was released");
  const size_t capacity = slots_.empty() ? 1024 : slots_.size() * 2;
  std::vector<Slot> old(capacity, Slot{0, 0});
  old.swap(slots_);
  const size_t mask = capacity - 1;
  for (const Slot& moved : old) {
    if (moved.entry == 0) continue;
    size_t slot = moved.hash & mask;
    while (slots_[slot].entry != 0) slot = (slot + 1) & mask;
    slots_[slot] = moved;
  }
}

void DictionaryBuilder::GrowCompact() {
  if (table_released_) ThrowInternal("a dictionary took a value after its table was released");
  const size_t capacity = compact_slots_.empty() ? 1024 : compact_slots_.size() * 2;
  std::vector<CompactSlot> old(capacity, 0);
  old.swap(compact_slots_);
  const size_t mask = capacity - 1;
  for (const CompactSlot moved : old) {
    if (moved == 0) continue;
    const uint64_t key = width_ == 8 ? WideValue(static_cast<uint32_t>(moved) - 1) : moved >> 32;
    size_t slot = MixBits(key) & mask;
    while (compact_slots_[slot] != 0) slot = (slot + 1) & mask;
    compact_slots_[slot] = moved;
  }
}

void DictionaryBuilder::Clear() {
  count_ = 0;
  table_released_ = false;
  bytes_.clear();
  offsets_.clear();
  // The tables keep their size: the next row group's dictionary is likely as big, and growing
  // to it again would rehash every value several times.
  std::fill(slots_.begin(), slots_.end(), Slot{0, 0});
  std::fill(compact_slots_.begin(), compact_slots_.end(), 0);
}

void DictionaryBuilder::ReleaseTable() {
  table_released_ = true;
  std::vector<Slot>().swap(slots_);
  std::vector<CompactSlot>().swap(compact_slots_);
}

void DictionaryBuilder::Release() {
  count_ = 0;
  table_released_ = false;
  std::string().swap(bytes_);
  std::vector<size_t>().swap(offsets_);
  std::vector<Slot>().swap(slots_);
  std::vector<CompactSlot>().swap(compact_slots_);
}

}  // namespace sluice::io::parquet
