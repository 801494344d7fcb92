// Putting the rows of several ascending lists of positions (seq << 32 | row) in position order:
// the heart of every merge by position (a spilled aggregation's, join's or window's output, and
// an aggregation's first-seen order). The lists are hash partitions of one input, so their
// interleaving is random: a tournament over their heads mispredicted a branch per level, about
// 40 ns a row. Within one seq a position is its row number, so rows are instead written into a
// table indexed by row and read back in order — no comparisons — when the positions are dense
// enough for that; sparse ones are sorted.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace sluice::exec {

class PositionOrder {
 public:
  /// The rows [begin, end) of an ascending list of positions.
  struct Run {
    const uint64_t* positions;
    int64_t begin;
    int64_t end;
  };
  /// A row in order: its run (index into the runs given) and its index in the list.
  struct Entry {
    uint32_t run;
    uint32_t row;
  };

  /// Appends the rows of `runs` to `out` in position order. A position repeated within a run (a
  /// join's several matches of one probe row) keeps its order; a position in two runs is an
  /// internal error. Fastest when the runs share one seq: callers merge a seq at a time.
  void Order(std::span<const Run> runs, std::vector<Entry>* out);

 private:
  /// Orders distinct positions through a table of entries into (*out)[at, ...); false
  /// (nothing done) when a position repeats.
  bool OrderByTable(std::span<const Run> runs, uint64_t low, int64_t span, size_t at,
                    std::vector<Entry>* out);
  /// Orders positions that may repeat within a run: the table chains each position's rows.
  void OrderByChains(std::span<const Run> runs, uint64_t low, int64_t span, Entry* out);
  void OrderBySorting(std::span<const Run> runs, int64_t count, Entry* out);

  static constexpr uint64_t kEmpty = ~uint64_t{0};
  std::vector<uint64_t> table_;  ///< Per position - low: run << 32 | row, or kEmpty.
  std::vector<uint32_t> slots_;  ///< Per position - low: its first entry + 1, or 0.
  std::vector<Entry> entries_;
};

}  // namespace sluice::exec
