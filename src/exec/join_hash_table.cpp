// Building the partitioned join table in parallel (histogram, scatter of row ids that keeps build
// order within each partition, then one open-addressing table per partition) and probing it with
// software prefetching of the slots that probe rows a little ahead will touch.
#include "exec/join_hash_table.h"

#include <sys/mman.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <functional>

#include "core/error.h"

namespace sluice::exec {
namespace {

constexpr int64_t kPrefetchDistance = 48;
/// Bloom filter bits per build key: with three bits in one 64-bit word, about 4% of absent keys
/// pass, and the filter of a few million keys still fits in the last-level cache.
constexpr int64_t kFilterBitsPerKey = 10;

uint64_t CapacityFor(int64_t rows) {
  // Load factor at most 2/3 keeps linear-probing chains short.
  return static_cast<uint64_t>(std::max<int64_t>(16, rows + rows / 2 + 1));
}

}  // namespace

int64_t JoinHashTable::MemoryBytes() const {
  int64_t bytes = 0;
  for (const Partition& partition : partitions_) {
    bytes += static_cast<int64_t>(partition.rows.capacity() * sizeof(uint32_t));
  }
  return bytes + slot_count_ * int64_t{sizeof(Slot)} +
         static_cast<int64_t>(filter_.capacity() * sizeof(uint64_t));
}

namespace {
uint64_t FilterWordsFor(int64_t keys) {
  return static_cast<uint64_t>(std::max<int64_t>(1, keys * kFilterBitsPerKey / 64));
}
}  // namespace

void JoinHashTable::AllocateFilter(const std::vector<int64_t>& partition_begin) {
  uint64_t words = 0;
  for (size_t p = 0; p < partitions_.size(); ++p)
    words += FilterWordsFor(partition_begin[p + 1] - partition_begin[p]);
  filter_.assign(words, 0);
  uint64_t* next = filter_.data();
  for (size_t p = 0; p < partitions_.size(); ++p) {
    partitions_[p].filter = next;
    partitions_[p].filter_words = FilterWordsFor(partition_begin[p + 1] - partition_begin[p]);
    next += partitions_[p].filter_words;
  }
}

void JoinHashTable::Build(const EncodedKeys& keys, bool packed, ThreadPool* threads,
                          MemoryReservation* reservation) {
  keys_ = &keys;
  packed_ = packed;
  const int64_t n = keys.rows;
  if (n >= static_cast<int64_t>(UINT32_MAX)) {
    ThrowUnsupported("hash join build side has {} rows; at most {} are supported", n,
                     UINT32_MAX - 1);
  }
  const int workers = threads != nullptr ? std::max(1, threads->size()) : 1;
  int partition_bits = 0;
  if (n >= (int64_t{1} << 15) && workers > 1) {
    partition_bits =
        std::min(8, static_cast<int>(std::bit_width(static_cast<unsigned>(workers * 8))) - 1);
  }
  const int partitions = 1 << partition_bits;
  partition_mask_ = static_cast<uint64_t>(partitions - 1);

  // Histogram per chunk of rows, then a partition-major prefix sum: each partition's rows end up
  // contiguous and, chunk after chunk, in build order.
  const int64_t chunk_rows =
      std::max<int64_t>(int64_t{1} << 16, (n + workers * 4 - 1) / (workers * 4));
  const int64_t chunks = std::max<int64_t>(1, (n + chunk_rows - 1) / chunk_rows);
  std::vector<int64_t> counts(static_cast<size_t>(chunks * partitions), 0);
  auto for_chunks = [&](const std::function<void(int64_t)>& body) {
    if (threads != nullptr && chunks > 1) {
      threads->ParallelFor(chunks, body);
    } else {
      for (int64_t c = 0; c < chunks; ++c) body(c);
    }
  };
  for_chunks([&](int64_t c) {
    int64_t* local = counts.data() + c * partitions;
    const int64_t end = std::min(n, (c + 1) * chunk_rows);
    for (int64_t i = c * chunk_rows; i < end; ++i) {
      if (keys.valid[i]) ++local[PartitionOf(keys.hashes[i], partition_mask_)];
    }
  });
  std::vector<int64_t> partition_begin(static_cast<size_t>(partitions + 1), 0);
  int64_t total = 0;
  for (int p = 0; p < partitions; ++p) {
    partition_begin[p] = total;
    for (int64_t c = 0; c < chunks; ++c) {
      int64_t count = counts[c * partitions + p];
      counts[c * partitions + p] = total;
      total += count;
    }
  }
  partition_begin[partitions] = total;

  // Account the row list and the tables before allocating them.
  int64_t estimate = total * int64_t{sizeof(uint32_t)};
  for (int p = 0; p < partitions; ++p) {
    const int64_t rows = partition_begin[p + 1] - partition_begin[p];
    estimate += static_cast<int64_t>(CapacityFor(rows) * (sizeof(Slot) + sizeof(uint32_t))) +
                rows * int64_t{2 * sizeof(uint32_t)};
  }
  estimate += total * kFilterBitsPerKey / 8 + partitions * 8;
  reservation->Set(estimate);

  std::vector<uint32_t> order(static_cast<size_t>(total));
  for_chunks([&](int64_t c) {
    int64_t* cursor = counts.data() + c * partitions;
    const int64_t end = std::min(n, (c + 1) * chunk_rows);
    for (int64_t i = c * chunk_rows; i < end; ++i) {
      if (keys.valid[i]) {
        order[cursor[PartitionOf(keys.hashes[i], partition_mask_)]++] = static_cast<uint32_t>(i);
      }
    }
  });

  partitions_.assign(static_cast<size_t>(partitions), Partition{});
  AllocateSlots(partition_begin);
  AllocateFilter(partition_begin);
  auto build = [&](int64_t p) {
    BuildPartition(order.data() + partition_begin[p], partition_begin[p + 1] - partition_begin[p],
                   &partitions_[p]);
  };
  if (threads != nullptr && partitions > 1) {
    threads->ParallelFor(partitions, build);
  } else {
    for (int p = 0; p < partitions; ++p) build(p);
  }
  distinct_keys_ = 0;
  for (int64_t s = 0; s < slot_count_; ++s) distinct_keys_ += slot_memory_[s].count > 0;
  order = {};
  reservation->Set(MemoryBytes());
}

void JoinHashTable::AllocateSlots(const std::vector<int64_t>& partition_begin) {
  slot_count_ = 0;
  for (size_t p = 0; p < partitions_.size(); ++p) {
    slot_count_ += static_cast<int64_t>(CapacityFor(partition_begin[p + 1] - partition_begin[p]));
  }
  const size_t bytes = static_cast<size_t>(slot_count_) * sizeof(Slot);
  constexpr size_t kHugePage = size_t{2} << 20;
  const size_t alignment = bytes >= kHugePage ? kHugePage : 64;
  void* memory = std::aligned_alloc(alignment, (bytes + alignment - 1) / alignment * alignment);
  if (memory == nullptr) ThrowOutOfMemory("the system refused {} bytes for a join table", bytes);
  // Before the first touch, so that the kernel backs the range with huge pages.
  if (bytes >= kHugePage) madvise(memory, bytes, MADV_HUGEPAGE);
  slot_memory_.reset(static_cast<Slot*>(memory));
  Slot* next = slot_memory_.get();
  for (size_t p = 0; p < partitions_.size(); ++p) {
    const uint64_t capacity = CapacityFor(partition_begin[p + 1] - partition_begin[p]);
    partitions_[p].slots = next;
    partitions_[p].capacity = capacity;
    next += capacity;
  }
}

void JoinHashTable::BuildPartition(const uint32_t* rows, int64_t count, Partition* partition) {
  const EncodedKeys& keys = *keys_;
  const uint64_t capacity = partition->capacity;
  Slot* slots = partition->slots;
  std::fill(slots, slots + capacity, Slot{});

  // Pass 1: find or claim the slot of every row; a slot's value is its first row for now.
  std::vector<uint32_t> slot_of(static_cast<size_t>(count));
  bool duplicates = false;
  // A partition of a large table is far bigger than the cache: keep the slot loads of the rows
  // kPrefetchDistance ahead in flight, as the probe does.
  auto prefetch = [&](int64_t j) {
    __builtin_prefetch(slots + HomeSlot(keys.hashes[rows[j]], capacity), 1);
  };
  for (int64_t j = 0; j < std::min(count, kPrefetchDistance); ++j) prefetch(j);
  for (int64_t j = 0; j < count; ++j) {
    if (j + kPrefetchDistance < count) prefetch(j + kPrefetchDistance);
    const uint32_t row = rows[j];
    const uint64_t hash = keys.hashes[row];
    const uint64_t key = packed_ ? keys.packed[row] : hash;
    uint64_t s = HomeSlot(hash, capacity);
    while (true) {
      Slot& slot = slots[s];
      if (slot.count == 0) {
        slot = Slot{key, 1, row};
        FilterWord(*partition, hash) |= FilterBits(hash);
        break;
      }
      if (slot.key == key && (packed_ || (keys.KeyLength(slot.value) == keys.KeyLength(row) &&
                                          std::memcmp(keys.KeyAt(slot.value), keys.KeyAt(row),
                                                      keys.KeyLength(row)) == 0))) {
        ++slot.count;
        duplicates = true;
        break;
      }
      s = s + 1 == capacity ? 0 : s + 1;
    }
    slot_of[j] = static_cast<uint32_t>(s);
  }
  if (!duplicates) return;

  // Pass 2: keys with several rows get a range of the row list; pass 3 fills it in build order.
  std::vector<uint32_t> fill(capacity, 0);
  uint32_t next = 0;
  for (uint64_t s = 0; s < capacity; ++s) {
    if (slots[s].count > 1) {
      slots[s].value = next;
      next += slots[s].count;
    }
  }
  partition->rows.resize(next);
  for (int64_t j = 0; j < count; ++j) {
    const uint32_t s = slot_of[j];
    if (slots[s].count > 1) partition->rows[slots[s].value + fill[s]++] = rows[j];
  }
}

template <bool kPacked, bool kSelected>
void JoinHashTable::FindAllIn(const EncodedKeys& probe, const uint32_t* rows, int64_t count,
                              Match* matches) const {
  const EncodedKeys& keys = *keys_;
  auto row_at = [&](int64_t j) -> int64_t {
    if constexpr (kSelected) {
      return rows[j];
    } else {
      return j;
    }
  };
  auto prefetch = [&](int64_t j) {
    const uint64_t hash = probe.hashes[row_at(j)];
    const Partition& partition = partitions_[PartitionOf(hash, partition_mask_)];
    __builtin_prefetch(partition.slots + HomeSlot(hash, partition.capacity));
  };
  // Keep kPrefetchDistance slot loads in flight ahead of the probe.
  for (int64_t j = 0; j < std::min(count, kPrefetchDistance); ++j) prefetch(j);
  for (int64_t j = 0; j < count; ++j) {
    if (j + kPrefetchDistance < count) prefetch(j + kPrefetchDistance);
    const int64_t i = row_at(j);
    matches[i] = Match{};
    if (!probe.valid[i]) continue;
    const uint64_t hash = probe.hashes[i];
    const Partition& partition = partitions_[PartitionOf(hash, partition_mask_)];
    const Slot* slots = partition.slots;
    uint64_t s = HomeSlot(hash, partition.capacity);
    while (true) {
      const Slot& slot = slots[s];
      if (slot.count == 0) break;
      bool equal;
      if constexpr (kPacked) {
        equal = slot.key == probe.packed[i];
      } else {
        equal = false;
        if (slot.key == hash) {
          const uint32_t first = slot.count == 1 ? slot.value : partition.rows[slot.value];
          const size_t length = probe.KeyLength(i);
          equal = keys.KeyLength(first) == length &&
                  std::memcmp(keys.KeyAt(first), probe.KeyAt(i), length) == 0;
        }
      }
      if (equal) {
        matches[i] = slot.count == 1 ? Match{&slot.value, 1}
                                     : Match{partition.rows.data() + slot.value, slot.count};
        break;
      }
      s = s + 1 == partition.capacity ? 0 : s + 1;
    }
  }
}

template <typename Row>
int64_t JoinHashTable::FilterRows(const EncodedKeys& probe, Row* rows) const {
  int64_t count = 0;
  for (int64_t i = 0; i < probe.rows; ++i) {
    const uint64_t hash = probe.hashes[i];
    const uint64_t bits = FilterBits(hash);
    const uint64_t word = FilterWord(partitions_[PartitionOf(hash, partition_mask_)], hash);
    rows[count] = static_cast<Row>(i);
    count += static_cast<int64_t>((probe.valid[i] != 0) & ((word & bits) == bits));
  }
  return count;
}

void JoinHashTable::MayContain(const EncodedKeys& probe, std::vector<int64_t>* rows) const {
  const size_t at = rows->size();
  rows->resize(at + static_cast<size_t>(probe.rows));
  rows->resize(at + static_cast<size_t>(FilterRows(probe, rows->data() + at)));
}

int64_t JoinHashTable::FindAll(const EncodedKeys& probe, Match* matches, bool use_filter) const {
  const int64_t n = probe.rows;
  if (!use_filter) {
    if (packed_) {
      FindAllIn<true, false>(probe, nullptr, n, matches);
    } else {
      FindAllIn<false, false>(probe, nullptr, n, matches);
    }
    return n;
  }
  std::vector<uint32_t> candidates(static_cast<size_t>(n));
  const int64_t count = FilterRows(probe, candidates.data());
  std::fill(matches, matches + n, Match{});
  if (packed_) {
    FindAllIn<true, true>(probe, candidates.data(), count, matches);
  } else {
    FindAllIn<false, true>(probe, candidates.data(), count, matches);
  }
  return count;
}

}  // namespace sluice::exec
