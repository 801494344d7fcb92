// Ordering rows by position through a table indexed by position (see the header).
#include "exec/position_order.h"

#include <algorithm>

#include "core/error.h"

namespace sluice::exec {

void PositionOrder::Order(std::span<const Run> runs, std::vector<Entry>* out) {
  uint64_t low = UINT64_MAX, high = 0;
  int64_t count = 0;
  for (const Run& run : runs) {
    if (run.begin == run.end) continue;
    low = std::min(low, run.positions[run.begin]);
    high = std::max(high, run.positions[run.end - 1]);
    count += run.end - run.begin;
  }
  if (count == 0) return;
  const size_t at = out->size();
  out->resize(at + static_cast<size_t>(count));
  // A table a few times the rows is cheaper to clear and scan than sorting them.
  const uint64_t span = high - low;
  if (span >= static_cast<uint64_t>(8 * count + 4096)) {
    OrderBySorting(runs, count, out->data() + at);
  } else if (!OrderByTable(runs, low, static_cast<int64_t>(span) + 1, at, out)) {
    OrderByChains(runs, low, static_cast<int64_t>(span) + 1, out->data() + at);
  }
}

bool PositionOrder::OrderByTable(std::span<const Run> runs, uint64_t low, int64_t span, size_t at,
                                 std::vector<Entry>* out) {
  table_.assign(static_cast<size_t>(span), kEmpty);
  for (uint32_t r = 0; r < runs.size(); ++r) {
    const Run& run = runs[r];
    for (int64_t i = run.begin; i < run.end; ++i) {
      uint64_t& slot = table_[run.positions[i] - low];
      if (slot != kEmpty) return false;  // A repeated position.
      slot = static_cast<uint64_t>(r) << 32 | static_cast<uint64_t>(i);
    }
  }
  // Read back without a branch per slot (a quarter to all of them are taken, at random): each
  // slot is written to the next place, which only a taken slot moves past. The last write may
  // fall one past the rows: room for it is made and taken back.
  out->emplace_back();
  Entry* to = out->data() + at;
  for (const uint64_t slot : table_) {
    *to = {static_cast<uint32_t>(slot >> 32), static_cast<uint32_t>(slot)};
    to += slot != kEmpty;
  }
  out->pop_back();
  return true;
}

void PositionOrder::OrderByChains(std::span<const Run> runs, uint64_t low, int64_t span,
                                  Entry* out) {
  slots_.assign(static_cast<size_t>(span), 0);
  entries_.clear();
  for (uint32_t r = 0; r < runs.size(); ++r) {
    const Run& run = runs[r];
    for (int64_t i = run.begin; i < run.end; ++i) {
      entries_.push_back({r, static_cast<uint32_t>(i)});
      // A repeat of the previous position follows it; a position in two runs cannot be.
      if (i > run.begin && run.positions[i] == run.positions[i - 1]) continue;
      uint32_t& slot = slots_[run.positions[i] - low];
      if (slot != 0)
        ThrowInternal("merge by position: position {} is in two lists", run.positions[i]);
      slot = static_cast<uint32_t>(entries_.size());
    }
  }
  for (int64_t s = 0; s < span; ++s) {
    if (slots_[s] == 0) continue;
    size_t e = slots_[s] - 1;
    const Run& run = runs[entries_[e].run];
    const uint64_t position = run.positions[entries_[e].row];
    do {
      *out++ = entries_[e++];
    } while (e < entries_.size() && &runs[entries_[e].run] == &run &&
             run.positions[entries_[e].row] == position);
  }
}

void PositionOrder::OrderBySorting(std::span<const Run> runs, int64_t count, Entry* out) {
  std::vector<std::pair<uint64_t, Entry>> keyed;
  keyed.reserve(static_cast<size_t>(count));
  for (uint32_t r = 0; r < runs.size(); ++r) {
    const Run& run = runs[r];
    for (int64_t i = run.begin; i < run.end; ++i)
      keyed.push_back({run.positions[i], {r, static_cast<uint32_t>(i)}});
  }
  // Stable: a run's repeats of a position keep their order.
  std::stable_sort(keyed.begin(), keyed.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (int64_t i = 0; i < count; ++i) {
    if (i > 0 && keyed[i].first == keyed[i - 1].first &&
        keyed[i].second.run != keyed[i - 1].second.run)
      ThrowInternal("merge by position: position {} is in two lists", keyed[i].first);
    out[i] = keyed[i].second;
  }
}

}  // namespace sluice::exec
