// Sorted runs and their merging: the building blocks of the sort sink. A run is a batch of rows
// in sorted order with their normalized keys and their input positions (ord = seq << 32 | row),
// so that any two rows of any runs compare by (key, ord): a total order that makes the sort
// stable and the merge deterministic. Runs are self-contained, so they can be spilled
// (exec/sort_spill.h).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/batch.h"
#include "core/memory_pool.h"
#include "core/thread_pool.h"
#include "exec/sort_keys.h"

namespace sluice::exec {

/// A row's input position: batch seq in the high 32 bits, row in the low 32.
inline uint64_t MakeOrd(uint64_t seq, int64_t row) {
  return (seq << 32) | static_cast<uint64_t>(row);
}

struct SortedRun {
  Batch rows;
  SortKeyBlock keys;
  std::vector<uint64_t> ords;

  int64_t size() const { return rows.num_rows; }
  /// Bytes of keys and ords (the rows' buffers are accounted by their pool).
  int64_t KeyMemoryBytes() const {
    return keys.MemoryBytes() + static_cast<int64_t>(ords.capacity() * sizeof(uint64_t));
  }
};

/// A key and input position: rows before it sort strictly first.
struct SortBound {
  std::string key;
  uint64_t ord = 0;
};

/// Compares row i of run a with row j of run b by (key, ord).
inline int CompareRows(const SortedRun& a, int64_t i, const SortedRun& b, int64_t j) {
  const int c = CompareKeys(a.keys.Key(i), b.keys.Key(j));
  if (c != 0) return c;
  return a.ords[i] < b.ords[j] ? -1 : (a.ords[i] > b.ords[j] ? 1 : 0);
}

/// Orders `rows` (indexes of `keys`, in increasing order) by (key, row) and keeps the first `k`
/// (all with k >= rows->size()): radix sort for short fixed-width keys, comparisons otherwise.
void SortRows(const SortKeyBlock& keys, std::vector<uint32_t>* rows, int64_t k);
/// The most SortRows allocates to sort `rows` rows: an entry (a key prefix and the row) per row,
/// twice over for the radix sort's scratch.
int64_t SortRowsScratchBytes(int64_t rows);

/// Sorts `batch` (whose rows have keys `keys`) into a run. With `limit`, keeps only the first
/// `limit` rows; with `bound`, only rows that sort before it.
SortedRun MakeSortedRun(Batch batch, SortKeyBlock keys, std::optional<int64_t> limit,
                        const SortBound* bound, MemoryPool* pool);

/// Rows [begin, end) of one run.
struct RunRange {
  int64_t begin = 0;
  int64_t end = 0;
};

/// Merges ranges[r] of runs[r] for every r in (key, ord) order, calling `emit` with the
/// (run, row) pairs of consecutive chunks of at most `chunk_rows` rows; stops after `limit` rows.
void MergeRuns(std::span<const SortedRun* const> runs, std::span<const RunRange> ranges,
               int64_t limit, int64_t chunk_rows,
               const std::function<void(std::span<const uint32_t> run_ids,
                                        std::span<const uint32_t> rows)>& emit);

/// Gathers (run, row) pairs into a batch of `schema`; columns in parallel when given `threads`.
Batch GatherRunRows(const SchemaPtr& schema, std::span<const SortedRun* const> runs,
                    std::span<const uint32_t> run_ids, std::span<const uint32_t> rows,
                    MemoryPool* pool, ThreadPool* threads = nullptr);

/// Gathers (run, row) pairs into a run: their rows, keys and ords.
SortedRun GatherRun(const SchemaPtr& schema, std::span<const SortedRun* const> runs,
                    std::span<const uint32_t> run_ids, std::span<const uint32_t> rows,
                    MemoryPool* pool);

/// Merges whole runs into one run of at most `limit` rows.
SortedRun MergeIntoRun(const SchemaPtr& schema, std::span<const SortedRun* const> runs,
                       int64_t limit, MemoryPool* pool);

/// Cuts the merged order of `runs` into at most `parts` consecutive pieces of similar size
/// (by sampled splitters); result[p][r] is the range of run r in piece p.
std::vector<std::vector<RunRange>> SplitRuns(std::span<const SortedRun* const> runs, int parts);

}  // namespace sluice::exec
