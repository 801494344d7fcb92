// The hash join's table over the build side: radix-partitioned by the top bits of the key hash
// so that partitions are built in parallel (and, later, can spill one at a time), each an
// open-addressing table with linear probing. A slot holds one distinct key: its packed value or
// hash, how many build rows have it, and either that single row (the common unique-key case,
// found with one memory access) or where its rows start in the partition's row list. Rows of a
// key are listed in build input order, so join output is deterministic. A Bloom filter over all
// keys (one 64-bit word per key, three bits set) answers most probes of keys that are not there
// with one access to a small array: the slots are not touched and their miss chains not walked.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <vector>

#include "core/memory_pool.h"
#include "core/thread_pool.h"
#include "exec/join_keys.h"

namespace sluice::exec {

class JoinHashTable {
 public:
  /// The build rows whose key equals a probe key, in build order.
  struct Match {
    const uint32_t* rows = nullptr;
    uint32_t count = 0;
  };

  /// Builds the table over the valid rows of `keys` (row ids are indexes into `keys`, which must
  /// outlive the table). Accounts the table's memory in `reservation` before allocating it.
  void Build(const EncodedKeys& keys, bool packed, ThreadPool* threads,
             MemoryReservation* reservation);

  /// Finds the build rows of probe row i of `probe` (encoded with the same spec) for every row;
  /// rows whose key cannot match get count 0. With `use_filter`, rows are first checked against
  /// the Bloom filter and only those that pass look at the slots: faster when most probe keys
  /// are missing, a little slower when most are there. Returns how many rows were looked up in
  /// the slots (all valid rows without the filter), so that callers can tell the two apart.
  int64_t FindAll(const EncodedKeys& probe, Match* matches, bool use_filter = false) const;

  /// Appends to `rows` the rows of `probe` whose key may be in the table, by the Bloom filter
  /// alone: every row with a match is among them, with a few without; a row whose key has a
  /// null part never is.
  void MayContain(const EncodedKeys& probe, std::vector<int64_t>* rows) const;

  int64_t distinct_keys() const { return distinct_keys_; }
  /// Bytes held, for memory accounting.
  int64_t MemoryBytes() const;

 private:
  struct Slot {
    uint64_t key = 0;  ///< Packed mode: the key; bytes mode: its hash.
    uint32_t count = 0;
    uint32_t value = 0;  ///< count == 1: the row; else the start of its rows in `rows`.
  };
  struct Partition {
    Slot* slots = nullptr;  ///< `capacity` slots in `slot_memory_`.
    uint64_t capacity = 0;
    std::vector<uint32_t> rows;
    /// The partition's own words of the Bloom filter (in `filter_`): built without atomics by
    /// the thread that builds the partition, and in cache with its slots.
    uint64_t* filter = nullptr;
    uint64_t filter_words = 0;
  };
  struct FreeSlots {
    void operator()(Slot* slots) const { std::free(slots); }
  };

  static int PartitionOf(uint64_t hash, uint64_t partition_mask) {
    return static_cast<int>((hash >> 40) & partition_mask);
  }
  /// The first slot to look at: the low 32 hash bits scaled to the capacity (Lemire's
  /// multiply-shift), so that capacities need not be powers of two and tables stay dense.
  static uint64_t HomeSlot(uint64_t hash, uint64_t capacity) {
    return ((hash & 0xffffffffu) * capacity) >> 32;
  }
  void AllocateSlots(const std::vector<int64_t>& partition_begin);
  void BuildPartition(const uint32_t* rows, int64_t count, Partition* partition);
  /// Looks up rows `rows[0..count)` of `probe` (with kSelected; else rows 0..count) in the slots.
  template <bool kPacked, bool kSelected>
  void FindAllIn(const EncodedKeys& probe, const uint32_t* rows, int64_t count,
                 Match* matches) const;

  /// The filter word of a hash in its partition (its low 32 bits, scaled) and the three bits it
  /// must have (from the high bits of a remix, so that they vary within a spilled partition,
  /// whose top hash bits are all equal).
  static uint64_t& FilterWord(const Partition& partition, uint64_t hash) {
    return partition.filter[((hash & 0xffffffffu) * partition.filter_words) >> 32];
  }
  static uint64_t FilterBits(uint64_t hash) {
    const uint64_t mixed = hash * 0x9e3779b97f4a7c15ULL;
    return (uint64_t{1} << (mixed >> 58)) | (uint64_t{1} << ((mixed >> 52) & 63)) |
           (uint64_t{1} << ((mixed >> 46) & 63));
  }
  /// Writes the rows of `probe` that pass the Bloom filter to `rows` (room for all); returns
  /// how many. Branch-free: every row is written, and the count moves on for those that pass.
  template <typename Row>
  int64_t FilterRows(const EncodedKeys& probe, Row* rows) const;
  /// Gives each partition filter words for its keys, kFilterBitsPerKey bits per key.
  void AllocateFilter(const std::vector<int64_t>& partition_begin);

  const EncodedKeys* keys_ = nullptr;
  bool packed_ = false;
  uint64_t partition_mask_ = 0;
  std::vector<Partition> partitions_;
  /// Every partition's slots in one allocation, backed by huge pages where the system allows:
  /// probes hit random slots, and with 4 KiB pages nearly every one would also miss the TLB.
  std::unique_ptr<Slot[], FreeSlots> slot_memory_;
  int64_t slot_count_ = 0;
  int64_t distinct_keys_ = 0;
  std::vector<uint64_t> filter_;  ///< The Bloom filter: every partition's words.
};

}  // namespace sluice::exec
