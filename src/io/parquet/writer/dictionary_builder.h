// Assigns dictionary indices to PLAIN values as a column chunk is written: an open-addressing hash
// table over the value bytes, with the distinct values kept in first-seen order.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::io::parquet {

class DictionaryBuilder {
 public:
  /// `fixed_width`: every value has the same size (not BYTE_ARRAY), which allows a faster lookup.
  explicit DictionaryBuilder(bool fixed_width) : fixed_width_(fixed_width) {}

  /// Returns the index of `value`, adding it when new.
  uint32_t Insert(std::string_view value);
  /// Insert for `count` values of `width` (4 or 8) bytes each, their indices into `indices`:
  /// the values hash as integers, not as bytes.
  void InsertFixed(const uint8_t* values, int64_t count, int width, uint32_t* indices);

  int64_t size() const { return static_cast<int64_t>(count_); }
  /// Bytes of the distinct values, which is what decides the fallback to PLAIN.
  int64_t byte_size() const { return static_cast<int64_t>(bytes_.size()); }
  std::string_view value(int64_t index) const {
    if (fixed_width_) {
      return std::string_view(bytes_).substr(static_cast<size_t>(index) * width_, width_);
    }
    size_t begin = offsets_[static_cast<size_t>(index)];
    size_t end = static_cast<size_t>(index) + 1 < offsets_.size()
                     ? offsets_[static_cast<size_t>(index) + 1]
                     : bytes_.size();
    return std::string_view(bytes_).substr(begin, end - begin);
  }
  /// Memory the dictionary holds: its values, their offsets and its hash table (whose slots take
  /// more than the values: 8 or 16 bytes each, at most half of them used).
  int64_t MemoryBytes() const {
    return static_cast<int64_t>(bytes_.capacity() + offsets_.capacity() * sizeof(size_t) +
                                slots_.capacity() * sizeof(Slot) +
                                compact_slots_.capacity() * sizeof(CompactSlot));
  }
  /// Frees the hash table, keeping the values: for a dictionary that takes no more values (its
  /// column fell back to PLAIN) but whose page is still to be written. Until Clear or Release,
  /// inserting is an internal error.
  void ReleaseTable();
  /// Empties the dictionary, keeping the table's size for the next row group.
  void Clear();
  /// Empties the dictionary and frees its memory.
  void Release();

 private:
  /// A table slot: a value's hash beside its index, so that a probe touches one cache line.
  struct Slot {
    uint64_t hash;
    uint32_t entry;  ///< index + 1; 0 = empty.
  };
  /// The slots of 4- and 8-byte values, in 8 bytes rather than 16: the entry (low half) beside
  /// the value itself (4 bytes) or the high half of its hash (8 bytes; a match is confirmed
  /// against the value in bytes_, which is at most the dictionary's size limit and so mostly
  /// cached). A column of many distinct values (o_custkey: 230K a row group) has a table of
  /// megabytes, where every lookup misses the cache: half the table, fewer misses, and half the
  /// memory.
  using CompactSlot = uint64_t;

  static uint64_t Hash(std::string_view value);
  template <int kWidth>
  void InsertFixedValues(const uint8_t* values, int64_t count, uint32_t* indices);
  /// The index of 8-byte `key` (hashing to `hash`), added when new.
  uint32_t FindOrAddWide(uint64_t key, uint64_t hash);
  uint64_t WideValue(uint32_t index) const {
    uint64_t value;
    std::memcpy(&value, bytes_.data() + static_cast<size_t>(index) * 8, 8);
    return value;
  }
  /// The index of 4-byte `key` (hashing to `hash`), added when new.
  uint32_t FindOrAddCompact(uint32_t key, uint64_t hash);
  /// Appends a new distinct value and returns its index.
  uint32_t AppendValue(std::string_view value);
  /// Stores a new distinct value in the empty `slot` and returns its index.
  uint32_t Add(std::string_view value, uint64_t hash, size_t slot);
  void Grow();
  void GrowCompact();

  bool fixed_width_;
  size_t width_ = 0;  ///< Of every value, when fixed_width_ (set by the first).
  size_t count_ = 0;  ///< Distinct values.
  std::string bytes_;
  /// Where each value starts in bytes_; only for BYTE_ARRAY (fixed widths need no table, which
  /// at a million distinct values per chunk would be 8 MB).
  std::vector<size_t> offsets_;
  std::vector<Slot> slots_;
  std::vector<CompactSlot> compact_slots_;  ///< Instead of slots_ for 4- and 8-byte values.
  bool table_released_ = false;             ///< ReleaseTable since the last Clear.
};

}  // namespace sluice::io::parquet
