// The grouping hash table of hash aggregation and distinct: maps the key values of rows to dense
// group ids (uint32), numbered in order of first appearance.
//
// A KeyLayout picks, once per query, how keys are stored: one packed uint64 when the keys are
// small fixed-width values (the fast path for a single integer, date or timestamp key), the
// bytes of a single utf8/binary key as they are, or a serialized byte string per row for
// anything else (several keys, decimals). The null of a single key is a group of its own kept
// outside the slots (nulls form one group, as SQL's GROUP BY says).
//
// Per group the table keeps its key and its XXH3 hash (GroupKeys, dense, in group-id order), so
// groups can be moved to another table without rehashing their keys, and the top bits of the hash
// pick a radix partition. A GroupKeys holds everything a partition needs to be merged or decoded
// on its own: nothing points back into the batches the keys came from, so a partition can later
// be spilled and read back by itself.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/column.h"
#include "core/memory_pool.h"

namespace sluice::exec {

enum class KeyMode : uint8_t {
  kNone,        ///< No keys: every row belongs to group 0 (a global aggregate).
  kFixed,       ///< The keys packed into one uint64.
  kString,      ///< One utf8/binary key; its bytes are the key.
  kSerialized,  ///< Each row's keys serialized to bytes (null flag, value; lengths for strings).
};

/// The group id no group has: an empty slot, or "no null group yet".
inline constexpr uint32_t kNoGroup = 0xFFFFFFFFu;

/// The keys of one batch in the layout's encoding, and their hashes.
struct EncodedKeys {
  int64_t rows = 0;
  std::vector<uint64_t> hashes;
  std::vector<uint64_t> fixed;        ///< kFixed: the packed key of each row.
  const uint8_t* validity = nullptr;  ///< kFixed with one key, kString: the key's validity.
  // kString and kSerialized: row i's key is data[offsets[i], offsets[i + 1]).
  const int64_t* offsets = nullptr;
  const uint8_t* data = nullptr;
  std::vector<int64_t> serialized_offsets;  ///< kSerialized: owns what offsets/data point to.
  std::vector<uint8_t> serialized;
};

/// The groups of a table, dense in group-id order: hash and key per group.
struct GroupKeys {
  std::vector<uint64_t> hashes;
  std::vector<uint64_t> fixed;      ///< kFixed.
  std::vector<int64_t> offsets{0};  ///< kString, kSerialized: group g's key bytes are
  std::vector<uint8_t> bytes;       ///< bytes[offsets[g], offsets[g + 1]).
  uint32_t null_group = kNoGroup;   ///< The group of the null key (kFixed single key, kString).
  /// Set instead of null_group when the entries are a batch's rows rather than distinct groups
  /// (so several may be null): one flag per entry.
  std::vector<uint8_t> nulls;

  bool IsNull(uint32_t g) const { return nulls.empty() ? g == null_group : nulls[g] != 0; }

  uint32_t size() const { return static_cast<uint32_t>(hashes.size()); }
  int64_t MemoryUsage() const;
  /// Sets hashes (`count` of them) from the keys, as KeyLayout::Encode and the grouping table
  /// hash them: spill files leave the hashes out, 8 bytes a group that no compressor shrinks.
  void ComputeHashes(uint32_t count);
  /// Moves group g to new_ids[g] (a permutation of [0, size())).
  void Permute(const std::vector<uint32_t>& new_ids);
};

class KeyLayout {
 public:
  explicit KeyLayout(std::vector<DataType> types);

  KeyMode mode() const { return mode_; }
  const std::vector<DataType>& types() const { return types_; }

  /// Encodes and hashes the keys of `rows` rows (`keys` has one column per key type). The
  /// result may point into `keys`, which must outlive it.
  void Encode(std::span<const Column> keys, int64_t rows, EncodedKeys* out) const;
  /// The key columns of `groups`, one row per group in group-id order.
  std::vector<Column> Decode(const GroupKeys& groups, MemoryPool* pool) const;

 private:
  void EncodeFixed(std::span<const Column> keys, int64_t rows, EncodedKeys* out) const;
  void EncodeSerialized(std::span<const Column> keys, int64_t rows, EncodedKeys* out) const;
  std::vector<Column> DecodeFixed(const GroupKeys& groups, MemoryPool* pool) const;
  std::vector<Column> DecodeSerialized(const GroupKeys& groups, MemoryPool* pool) const;

  std::vector<DataType> types_;
  KeyMode mode_ = KeyMode::kNone;
  // kFixed: key k's value bits start at value_shift_[k] and are value_bits_[k] wide; with more
  // than one key its null flag is bit null_shift_[k].
  std::vector<int> value_shift_;
  std::vector<int> value_bits_;
  std::vector<int> null_shift_;
};

class GroupingTable {
 public:
  explicit GroupingTable(const KeyLayout& layout);

  uint32_t size() const { return groups_.size(); }
  const GroupKeys& groups() const { return groups_; }

  /// Sets group_ids[i] to the group of row i for i in [begin, end), adding a group for each new
  /// key; appends the row of each new group to `first_rows`.
  void FindOrInsert(const EncodedKeys& keys, int64_t begin, int64_t end, uint32_t* group_ids,
                    std::vector<uint32_t>* first_rows);
  /// Finds or adds the groups groups[0..count) of `other` (same layout) in that order, or the
  /// groups first, first + 1, ... when `groups` is null: targets[i] is the id of the i-th in
  /// this table. New groups are appended in order.
  void FindOrInsertGroups(const GroupKeys& other, const uint32_t* groups, uint32_t first,
                          int64_t count, uint32_t* targets);

  /// Makes room for `groups` groups in all, so that adding them does not grow the table step
  /// by step (each step reinserts every group so far).
  void Reserve(uint32_t groups);
  /// What Reserve takes per group, about: two slots, a hash and a packed key.
  static constexpr int64_t kReservedBytesPerGroup = 2 * 8 + 8 + 8;
  /// The slots Reserve(groups) makes room for at least.
  static size_t SlotsFor(uint32_t groups);
  size_t slot_count() const { return slots_.size(); }
  /// Empties the table but keeps its memory (slots and the room of its group arrays), for a
  /// next table of about the same size: fresh memory costs a page fault every few KiB.
  void Clear();

  /// Moves the groups out and empties the table (it keeps its slot array for reuse).
  GroupKeys TakeGroups();
  int64_t MemoryUsage() const;

 private:
  /// 8 bytes, so that more of a big table stays in cache: the group, and the hash's low 32 bits,
  /// which pick the slot (in tables of up to 2^32 slots; growing reinserts the slots in order
  /// without reading each group's hash elsewhere) and, past the bits that pick it, tell most
  /// other keys apart before their key is read from the groups.
  struct Slot {
    uint32_t group;
    uint32_t hash_low;
  };

  template <bool kListed, bool kFixed, bool kNulls>
  void InsertGroups(const GroupKeys& other, const uint32_t* groups, uint32_t first, int64_t count,
                    uint32_t* targets);
  template <bool kHasNulls>
  void InsertFixedRows(const EncodedKeys& keys, int64_t begin, int64_t end, uint32_t* group_ids,
                       std::vector<uint32_t>* first_rows);
  template <bool kHasNulls>
  void InsertBytesRows(const EncodedKeys& keys, int64_t begin, int64_t end, uint32_t* group_ids,
                       std::vector<uint32_t>* first_rows);
  uint32_t FindOrAddFixed(uint64_t key, uint64_t hash);
  uint32_t FindOrAddBytes(const uint8_t* key, int64_t length, uint64_t hash);
  /// Adds a group in the empty slot `at` (out of line: the hot loops inline only the lookup).
  uint32_t AddFixedGroup(uint64_t at, uint64_t key, uint64_t hash);
  uint32_t AddBytesGroup(uint64_t at, const uint8_t* key, int64_t length, uint64_t hash);
  uint32_t NullGroup();
  void Reset(size_t capacity);
  void GrowIfFull();
  /// Moves every group to a table of `capacity` slots (a power of two).
  void Rehash(size_t capacity);

  const KeyLayout* layout_;
  std::vector<Slot> slots_;
  uint64_t mask_ = 0;
  GroupKeys groups_;
};

/// The keys of rows[0..count) of a batch as entries of a GroupKeys (one per row, duplicates
/// and all, nulls flagged), for moving rows to the partitions that aggregate them.
GroupKeys GatherRows(KeyMode mode, const EncodedKeys& keys, const uint32_t* rows, int64_t count);

/// The radix partition of a hash for `bits` partition bits (its top bits).
inline uint32_t PartitionOf(uint64_t hash, int bits) {
  return bits == 0 ? 0 : static_cast<uint32_t>(hash >> (64 - bits));
}

}  // namespace sluice::exec
