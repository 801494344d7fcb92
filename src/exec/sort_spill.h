// The external sort: sorted runs written to spill files and merged back from disk. When the sort
// sink must give memory back, it merges the runs it holds into one sorted stream and writes it
// to a file in blocks (each block: rows, their normalized keys and input positions). At the end
// the files are merged with a k-way merge that holds one block per file; when there are more
// files than the budget has room for (an eighth of it for blocks, at most kMaxMergeFanIn files),
// groups of them are first merged into longer files. Rows compare by
// (key, input position), a total order, so the output is the same rows in the same order
// whether or not, when and how often the sort spilled.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "exec/pipeline.h"
#include "exec/sorted_run.h"
#include "exec/spill_file.h"

namespace sluice::exec {

/// Files merged at once; more are merged in passes.
inline constexpr size_t kMaxMergeFanIn = 32;

/// Writes the merged order of `runs` to a new spill file in blocks of `block_rows` rows, the
/// blocks gathered and encoded on `threads`. `counters` (may be null): the sort's, for EXPLAIN
/// ANALYZE.
std::shared_ptr<SpillFile> SpillRuns(const SchemaPtr& schema,
                                     std::span<const SortedRun* const> runs, int64_t block_rows,
                                     MemoryPool* pool, ThreadPool* threads,
                                     SpillCounters* counters = nullptr);

/// The sorted result of spilled runs: at most `limit` rows in batches of `batch_size`. Merges in
/// passes first when there are more files than fit one merge within the pool's budget (files
/// that count into `counters`, which may be null).
std::unique_ptr<Source> MakeSpilledSortSource(SchemaPtr schema,
                                              std::vector<std::shared_ptr<SpillFile>> files,
                                              int key_width, int64_t limit, int64_t batch_size,
                                              MemoryPool* pool, ThreadPool* threads,
                                              SpillCounters* counters = nullptr);

}  // namespace sluice::exec
