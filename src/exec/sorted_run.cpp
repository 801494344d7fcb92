// Sorting one batch into a run (a stable LSD radix sort when the normalized key fits in 16
// bytes, a comparison sort on (key, row) otherwise; selection first for top-k), and merging runs
// with a binary heap of run cursors.
#include "exec/sorted_run.h"

#include <algorithm>
#include <array>
#include <bit>
#include <numeric>

#include "core/error.h"
#include "exec/row_gather.h"

namespace sluice::exec {
namespace {

template <typename K>
struct Entry {
  K key;
  uint32_t row;
};

/// Stable LSD radix sort by the low `digits` bytes of the keys; skips bytes that never vary.
template <typename K>
void RadixSort(std::vector<Entry<K>>* entries, int digits) {
  const size_t n = entries->size();
  std::vector<std::array<uint32_t, 256>> counts(static_cast<size_t>(digits));
  for (auto& count : counts) count.fill(0);
  for (const Entry<K>& entry : *entries) {
    for (int d = 0; d < digits; ++d) ++counts[d][static_cast<uint8_t>(entry.key >> (8 * d))];
  }
  std::vector<Entry<K>> scratch(n);
  Entry<K>* source = entries->data();
  Entry<K>* target = scratch.data();
  for (int d = 0; d < digits; ++d) {
    std::array<uint32_t, 256>& count = counts[d];
    if (std::find(count.begin(), count.end(), static_cast<uint32_t>(n)) != count.end()) continue;
    uint32_t total = 0;
    for (uint32_t& c : count) {
      const uint32_t here = c;
      c = total;
      total += here;
    }
    for (size_t i = 0; i < n; ++i) {
      target[count[static_cast<uint8_t>(source[i].key >> (8 * d))]++] = source[i];
    }
    std::swap(source, target);
  }
  if (source != entries->data()) std::copy(source, source + n, entries->data());
}

/// The keys of a block as sorted within it: `skip` leading bytes that every row shares are left
/// out (often a null marker and the top bytes of small numbers), so that more keys fit the
/// integer paths.
struct KeyView {
  const SortKeyBlock* block;
  size_t skip;

  std::string_view Key(uint32_t row) const { return block->Key(row).substr(skip); }
};

/// Orders `rows` by (key, row) so that the first `k` are the k smallest, sorted. K holds the
/// key's first bytes; kExact says it holds all of them (else ties compare the whole key).
template <typename K, bool kExact>
void SortEntries(const KeyView& view, std::vector<uint32_t>* rows, int64_t k) {
  std::vector<Entry<K>> entries(rows->size());
  for (size_t i = 0; i < rows->size(); ++i) {
    const uint32_t row = (*rows)[i];
    const U128 prefix = KeyPrefix(view.Key(row));
    if constexpr (sizeof(K) == 8) {
      entries[i] = Entry<K>{static_cast<uint64_t>(prefix >> 64), row};
    } else {
      entries[i] = Entry<K>{prefix, row};
    }
  }
  auto less = [&](const Entry<K>& a, const Entry<K>& b) {  // view: only when not exact.
    if (a.key != b.key) return a.key < b.key;
    if constexpr (!kExact) {
      const int c = CompareKeys(view.Key(a.row), view.Key(b.row));
      if (c != 0) return c < 0;
    }
    return a.row < b.row;
  };
  if (k < static_cast<int64_t>(entries.size())) {
    std::nth_element(entries.begin(), entries.begin() + k, entries.end(), less);
    entries.resize(static_cast<size_t>(k));
    std::sort(entries.begin(), entries.end(), less);
  } else if (entries.size() >= 256) {
    // Stable, and rows start in order: equal keys keep row order.
    RadixSort(&entries, static_cast<int>(sizeof(K)));
    if constexpr (!kExact) {  // Equal prefixes: order by the whole key.
      for (size_t begin = 0; begin < entries.size();) {
        size_t end = begin + 1;
        while (end < entries.size() && entries[end].key == entries[begin].key) ++end;
        if (end - begin > 1) std::sort(entries.begin() + begin, entries.begin() + end, less);
        begin = end;
      }
    }
  } else {
    std::sort(entries.begin(), entries.end(), less);
  }
  rows->resize(entries.size());
  for (size_t i = 0; i < entries.size(); ++i) (*rows)[i] = entries[i].row;
}

}  // namespace

int64_t SortRowsScratchBytes(int64_t rows) {
  return 2 * rows * static_cast<int64_t>(sizeof(Entry<U128>));
}

void SortRows(const SortKeyBlock& keys, std::vector<uint32_t>* rows, int64_t k) {
  k = std::min<int64_t>(k, static_cast<int64_t>(rows->size()));
  size_t skip = 0;
  if (keys.width > 0 && !rows->empty()) {
    const size_t width = static_cast<size_t>(keys.width);
    const uint8_t* first = keys.bytes.data() + size_t{(*rows)[0]} * width;
    for (; skip < width; ++skip) {
      bool same = true;
      for (uint32_t row : *rows) {
        if (keys.bytes[size_t{row} * width + skip] != first[skip]) {
          same = false;
          break;
        }
      }
      if (!same) break;
    }
    if (skip == width) {  // Every key is equal: input order is sorted order.
      rows->resize(static_cast<size_t>(k));
      return;
    }
  }
  const KeyView view{&keys, skip};
  const size_t remaining = keys.width > 0 ? static_cast<size_t>(keys.width) - skip : 0;
  if (remaining > 0 && remaining <= 8) return SortEntries<uint64_t, true>(view, rows, k);
  if (remaining > 0 && remaining <= 16) return SortEntries<U128, true>(view, rows, k);
  SortEntries<U128, false>(view, rows, k);
}

namespace {

/// Concatenates the keys of (run, row) pairs into one block.
SortKeyBlock GatherKeys(std::span<const SortedRun* const> runs, std::span<const uint32_t> run_ids,
                        std::span<const uint32_t> rows) {
  SortKeyBlock out;
  out.width = runs[0]->keys.width;
  out.rows = static_cast<int64_t>(rows.size());
  if (out.width > 0) {
    const size_t width = static_cast<size_t>(out.width);
    out.bytes.resize(rows.size() * width + SortKeyBlock::kSlack);
    for (size_t i = 0; i < rows.size(); ++i) {
      std::memcpy(out.bytes.data() + i * width,
                  runs[run_ids[i]]->keys.bytes.data() + rows[i] * width, width);
    }
    return out;
  }
  out.offsets.resize(rows.size() + 1);
  uint64_t total = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.offsets[i] = total;
    total += runs[run_ids[i]]->keys.Key(rows[i]).size();
  }
  out.offsets[rows.size()] = total;
  out.bytes.resize(total + SortKeyBlock::kSlack);
  for (size_t i = 0; i < rows.size(); ++i) {
    const std::string_view key = runs[run_ids[i]]->keys.Key(rows[i]);
    if (!key.empty()) std::memcpy(out.bytes.data() + out.offsets[i], key.data(), key.size());
  }
  return out;
}

}  // namespace

SortedRun MakeSortedRun(Batch batch, SortKeyBlock keys, std::optional<int64_t> limit,
                        const SortBound* bound, MemoryPool* pool) {
  const int64_t n = batch.num_rows;
  const uint64_t seq = batch.seq;
  std::vector<uint32_t> order;
  order.reserve(static_cast<size_t>(n));
  if (bound != nullptr) {
    // Compare 16-byte prefixes first; most rows are decided there.
    std::string padded = bound->key;
    padded.resize(padded.size() + SortKeyBlock::kSlack, '\0');
    const U128 bound_prefix =
        KeyPrefix(reinterpret_cast<const uint8_t*>(padded.data()), bound->key.size());
    for (int64_t i = 0; i < n; ++i) {
      const std::string_view key = keys.Key(i);
      const U128 prefix = KeyPrefix(key);
      if (prefix > bound_prefix) continue;
      const int c = prefix < bound_prefix ? -1 : CompareKeys(key, bound->key);
      if (c < 0 || (c == 0 && MakeOrd(seq, i) < bound->ord)) {
        order.push_back(static_cast<uint32_t>(i));
      }
    }
  } else {
    order.resize(static_cast<size_t>(n));
    std::iota(order.begin(), order.end(), 0u);
  }
  const int64_t k = std::min<int64_t>(limit.value_or(n), static_cast<int64_t>(order.size()));
  SortRows(keys, &order, k);

  SortedRun run;
  run.ords.resize(order.size());
  bool identity = static_cast<int64_t>(order.size()) == n;
  for (size_t i = 0; i < order.size(); ++i) {
    run.ords[i] = MakeOrd(seq, order[i]);
    identity &= order[i] == i;
  }
  if (identity) {  // Already in order: keep the batch as it is.
    run.rows = std::move(batch);
    run.keys = std::move(keys);
    return run;
  }
  run.rows.schema = batch.schema;
  run.rows.seq = seq;
  run.rows.num_rows = static_cast<int64_t>(order.size());
  for (const Column& column : batch.columns) {
    run.rows.columns.push_back(GatherRows(column, order, pool));
  }
  run.keys = keys.Take(order);
  return run;
}

namespace {

/// The k-way merge: a loser tree (one comparison per level when the winner advances) over run
/// cursors that cache their current row's key prefix and ord, so that most comparisons touch
/// only the small cursor array.
class RunMerger {
 public:
  RunMerger(std::span<const SortedRun* const> runs, std::span<const RunRange> ranges) {
    const size_t leaves = std::bit_ceil(std::max<size_t>(1, runs.size()));
    cursors_.resize(leaves, Cursor{~U128{0}, ~uint64_t{0}, 0, 0, nullptr, nullptr, 0, nullptr});
    exact_ = true;
    for (size_t r = 0; r < runs.size(); ++r) {
      cursors_[r] = Cursor{0,
                           0,
                           ranges[r].begin,
                           ranges[r].end,
                           runs[r]->keys.bytes.data(),
                           runs[r]->ords.data(),
                           runs[r]->keys.width,
                           runs[r]};
      Load(&cursors_[r]);
      const int width = runs[r]->keys.width;
      exact_ &= width > 0 && width <= 16;
    }
    losers_.resize(leaves);
    std::vector<uint32_t> winners(2 * leaves);
    for (size_t i = 0; i < leaves; ++i) winners[leaves + i] = static_cast<uint32_t>(i);
    for (size_t node = leaves - 1; node >= 1; --node) {
      const uint32_t a = winners[2 * node];
      const uint32_t b = winners[2 * node + 1];
      const bool b_first = Before(b, a);
      winners[node] = b_first ? b : a;
      losers_[node] = b_first ? a : b;
    }
    winner_ = leaves > 1 ? winners[1] : 0;
  }

  /// The run of the next row, or -1 when every range is exhausted.
  int64_t Peek() const {
    const Cursor& cursor = cursors_[winner_];
    return cursor.pos < cursor.end ? winner_ : -1;
  }
  int64_t position(uint32_t run) const { return cursors_[run].pos; }

  /// Moves past the current row and replays the winner's path to the root.
  void Advance() {
    Cursor& cursor = cursors_[winner_];
    ++cursor.pos;
    Load(&cursor);
    uint32_t candidate = winner_;
    if (exact_) {
      // Whole keys are cached: the comparison is branch-free and so is the swap.
      for (size_t node = (winner_ + cursors_.size()) / 2; node >= 1; node /= 2) {
        const uint32_t loser = losers_[node];
        const Cursor& x = cursors_[loser];
        const Cursor& y = cursors_[candidate];
        const bool swap = (x.prefix < y.prefix) | ((x.prefix == y.prefix) & (x.ord < y.ord));
        losers_[node] = swap ? candidate : loser;
        candidate = swap ? loser : candidate;
      }
    } else {
      for (size_t node = (winner_ + cursors_.size()) / 2; node >= 1; node /= 2) {
        if (Before(losers_[node], candidate)) std::swap(losers_[node], candidate);
      }
    }
    winner_ = candidate;
  }

 private:
  struct Cursor {
    U128 prefix;
    uint64_t ord;
    int64_t pos;
    int64_t end;
    const uint8_t* keys;  ///< The run's key bytes and ords, cached to avoid pointer chasing.
    const uint64_t* ords;
    int width;
    const SortedRun* run;
  };

  /// Caches the current row's prefix and ord; an exhausted cursor gets the largest of both,
  /// which no row has (ords stay below 2^64 - 1), so it sorts after every row.
  static void Load(Cursor* cursor) {
    if (cursor->pos >= cursor->end) {
      cursor->prefix = ~U128{0};
      cursor->ord = ~uint64_t{0};
      return;
    }
    // Runs are read front to back, but too many at once for the hardware prefetcher: ask for
    // the lines a few rows ahead.
    const int64_t pos = cursor->pos;
    if (cursor->width > 0) {
      const uint8_t* key = cursor->keys + pos * cursor->width;
      __builtin_prefetch(key + 8 * cursor->width);
      cursor->prefix = KeyPrefix(key, static_cast<size_t>(cursor->width));
    } else {
      cursor->prefix = KeyPrefix(cursor->run->keys.Key(pos));
    }
    __builtin_prefetch(cursor->ords + pos + 8);
    cursor->ord = cursor->ords[pos];
  }

  /// True when run a's current row sorts before run b's (exhausted runs sort last).
  bool Before(uint32_t a, uint32_t b) const {
    const Cursor& x = cursors_[a];
    const Cursor& y = cursors_[b];
    if (x.pos >= x.end) return false;
    if (y.pos >= y.end) return true;
    if (x.prefix != y.prefix) return x.prefix < y.prefix;
    if (!exact_) {
      const int c = CompareKeys(x.run->keys.Key(x.pos), y.run->keys.Key(y.pos));
      if (c != 0) return c < 0;
    }
    return x.ord < y.ord;
  }

  std::vector<Cursor> cursors_;
  std::vector<uint32_t> losers_;
  uint32_t winner_ = 0;
  bool exact_ = true;
};

}  // namespace

void MergeRuns(std::span<const SortedRun* const> runs, std::span<const RunRange> ranges,
               int64_t limit, int64_t chunk_rows,
               const std::function<void(std::span<const uint32_t> run_ids,
                                        std::span<const uint32_t> rows)>& emit) {
  SLUICE_CHECK(runs.size() == ranges.size());
  int64_t total = 0;
  int non_empty = 0;
  for (const RunRange& range : ranges) {
    total += range.end - range.begin;
    non_empty += range.end > range.begin;
  }
  limit = std::min(limit, total);
  if (limit <= 0) return;
  chunk_rows = std::max<int64_t>(1, std::min(chunk_rows, limit));
  std::vector<uint32_t> ids;
  std::vector<uint32_t> rows;
  ids.reserve(static_cast<size_t>(chunk_rows));
  rows.reserve(static_cast<size_t>(chunk_rows));
  auto push = [&](uint32_t run, int64_t row) {
    ids.push_back(run);
    rows.push_back(static_cast<uint32_t>(row));
    if (static_cast<int64_t>(rows.size()) == chunk_rows) {
      emit(ids, rows);
      ids.clear();
      rows.clear();
    }
  };
  int64_t produced = 0;
  if (non_empty == 1) {  // One range: copy it in order.
    for (size_t r = 0; r < ranges.size(); ++r) {
      for (int64_t row = ranges[r].begin; row < ranges[r].end && produced < limit; ++row) {
        push(static_cast<uint32_t>(r), row);
        ++produced;
      }
    }
  } else {
    RunMerger merger(runs, ranges);
    for (; produced < limit; ++produced) {
      const int64_t run = merger.Peek();
      if (run < 0) break;
      push(static_cast<uint32_t>(run), merger.position(static_cast<uint32_t>(run)));
      merger.Advance();
    }
  }
  if (!rows.empty()) emit(ids, rows);
}

Batch GatherRunRows(const SchemaPtr& schema, std::span<const SortedRun* const> runs,
                    std::span<const uint32_t> run_ids, std::span<const uint32_t> rows,
                    MemoryPool* pool, ThreadPool* threads) {
  Batch out;
  out.schema = schema;
  out.num_rows = static_cast<int64_t>(rows.size());
  out.columns.resize(schema->size());
  auto gather = [&](int64_t c) {
    std::vector<const Column*> sources(runs.size());
    for (size_t r = 0; r < runs.size(); ++r) sources[r] = &runs[r]->rows.columns[c];
    out.columns[c] = GatherFromMany(sources, run_ids, rows, pool);
  };
  if (threads != nullptr) {
    threads->ParallelFor(static_cast<int64_t>(schema->size()), gather);
  } else {
    for (size_t c = 0; c < schema->size(); ++c) gather(static_cast<int64_t>(c));
  }
  return out;
}

SortedRun MergeIntoRun(const SchemaPtr& schema, std::span<const SortedRun* const> runs,
                       int64_t limit, MemoryPool* pool) {
  std::vector<RunRange> ranges;
  int64_t total = 0;
  for (const SortedRun* run : runs) {
    ranges.push_back({0, run->size()});
    total += run->size();
  }
  limit = std::min(limit, total);
  std::vector<uint32_t> all_ids;
  std::vector<uint32_t> all_rows;
  all_ids.reserve(static_cast<size_t>(limit));
  all_rows.reserve(static_cast<size_t>(limit));
  MergeRuns(runs, ranges, limit, limit,
            [&](std::span<const uint32_t> ids, std::span<const uint32_t> rows) {
              all_ids.insert(all_ids.end(), ids.begin(), ids.end());
              all_rows.insert(all_rows.end(), rows.begin(), rows.end());
            });
  return GatherRun(schema, runs, all_ids, all_rows, pool);
}

SortedRun GatherRun(const SchemaPtr& schema, std::span<const SortedRun* const> runs,
                    std::span<const uint32_t> run_ids, std::span<const uint32_t> rows,
                    MemoryPool* pool) {
  SortedRun gathered;
  gathered.rows = GatherRunRows(schema, runs, run_ids, rows, pool);
  gathered.keys = GatherKeys(runs, run_ids, rows);
  gathered.ords.resize(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) gathered.ords[i] = runs[run_ids[i]]->ords[rows[i]];
  return gathered;
}

std::vector<std::vector<RunRange>> SplitRuns(std::span<const SortedRun* const> runs, int parts) {
  int64_t total = 0;
  for (const SortedRun* run : runs) total += run->size();
  std::vector<RunRange> whole;
  for (const SortedRun* run : runs) whole.push_back({0, run->size()});
  if (parts <= 1 || total == 0 || runs.empty()) return {whole};

  // Sample each run evenly, about 16 samples per piece in all.
  struct Sample {
    uint32_t run;
    int64_t row;
  };
  std::vector<Sample> samples;
  for (size_t r = 0; r < runs.size(); ++r) {
    const int64_t size = runs[r]->size();
    if (size == 0) continue;
    const int64_t count = std::clamp<int64_t>(int64_t{parts} * 16 * size / total, 1, size);
    for (int64_t j = 0; j < count; ++j) {
      samples.push_back({static_cast<uint32_t>(r), (2 * j + 1) * size / (2 * count)});
    }
  }
  std::sort(samples.begin(), samples.end(), [&](const Sample& a, const Sample& b) {
    return CompareRows(*runs[a.run], a.row, *runs[b.run], b.row) < 0;
  });

  // Piece p ends where splitter p starts, in every run.
  std::vector<std::vector<RunRange>> pieces;
  std::vector<int64_t> begin(runs.size(), 0);
  for (int p = 1; p <= parts; ++p) {
    std::vector<RunRange> piece(runs.size());
    std::vector<int64_t> end(runs.size());
    for (size_t r = 0; r < runs.size(); ++r) {
      if (p == parts) {
        end[r] = runs[r]->size();
        continue;
      }
      const Sample& splitter = samples[static_cast<size_t>(p) * samples.size() / parts];
      int64_t low = begin[r];
      int64_t high = runs[r]->size();
      while (low < high) {  // First row not before the splitter.
        const int64_t mid = low + (high - low) / 2;
        if (CompareRows(*runs[r], mid, *runs[splitter.run], splitter.row) < 0) {
          low = mid + 1;
        } else {
          high = mid;
        }
      }
      end[r] = low;
    }
    bool empty = true;
    for (size_t r = 0; r < runs.size(); ++r) {
      piece[r] = {begin[r], end[r]};
      empty &= end[r] == begin[r];
      begin[r] = end[r];
    }
    if (!empty) pieces.push_back(std::move(piece));
  }
  return pieces;
}

}  // namespace sluice::exec
