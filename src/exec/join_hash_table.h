// The hash join's table over the build side: radix-partitioned by the top bits of the key hash
// so that partitions are built in parallel (and, later, can spill one at a time), each an
// open-addressing table with linear probing. A slot holds one distinct key: its packed value or
// hash, how many build rows have it, and either that single row (the common unique-key case,
// found with one memory access) or where its rows start in the partition's row list. Rows of a
// key are listed in build input order, so join output is deterministic.
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
  /// rows whose key cannot match get count 0.
  void FindAll(const EncodedKeys& probe, Match* matches) const;

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
  template <bool kPacked>
  void FindAllIn(const EncodedKeys& probe, Match* matches) const;

  const EncodedKeys* keys_ = nullptr;
  bool packed_ = false;
  uint64_t partition_mask_ = 0;
  std::vector<Partition> partitions_;
  /// Every partition's slots in one allocation, backed by huge pages where the system allows:
  /// probes hit random slots, and with 4 KiB pages nearly every one would also miss the TLB.
  std::unique_ptr<Slot[], FreeSlots> slot_memory_;
  int64_t slot_count_ = 0;
  int64_t distinct_keys_ = 0;
};

}  // namespace sluice::exec
