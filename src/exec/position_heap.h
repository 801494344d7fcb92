// The heart of every merge by position: the heads of several ascending lists, the smallest on
// top. It is a tournament (loser) tree over the lists' head positions: advancing the top list
// replays the one path from its leaf to the root, a fixed log2(lists) steps of a comparison and
// two conditional moves each. A binary heap's sift-down branches on every comparison instead,
// and on the random interleaving of hash partitions those branches mispredicted: with 64 lists
// the heap took about 50 ns per row, which made it the serial bottleneck of spilled aggregations
// and joins.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace sluice::exec {

class PositionHeap {
 public:
  struct Head {
    uint64_t position;
    uint32_t list;
  };

  /// Adds list number `list` (a small index; numbers skipped are lists already ended) with its
  /// first head. Positions are distinct across the lists and below UINT64_MAX, which marks an
  /// ended list. Call Build once all are added.
  void Add(uint64_t position, uint32_t list) {
    if (keys_.size() <= list) keys_.resize(list + 1, kEnded);
    keys_[list] = position;
    ++live_;
  }
  void Build() {
    size_t leaves = 1;
    while (leaves < keys_.size()) leaves *= 2;
    keys_.resize(leaves, kEnded);
    losers_.assign(leaves, 0);
    // Winners of each subtree, bottom up; each inner node keeps the loser of its match.
    std::vector<uint32_t> winners(2 * leaves);
    for (size_t i = 0; i < leaves; ++i) winners[leaves + i] = static_cast<uint32_t>(i);
    for (size_t n = leaves - 1; n >= 1; --n) {
      const uint32_t a = winners[2 * n], b = winners[2 * n + 1];
      const bool a_wins = keys_[a] <= keys_[b];
      winners[n] = a_wins ? a : b;
      losers_[n] = a_wins ? b : a;
    }
    winner_ = leaves == 1 ? 0 : winners[1];
  }

  bool empty() const { return live_ == 0; }
  Head top() const { return {keys_[winner_], winner_}; }

  /// The top list advanced to `position` (greater than its last).
  void ReplaceTop(uint64_t position) {
    keys_[winner_] = position;
    Replay();
  }
  /// The top list has ended.
  void PopTop() {
    keys_[winner_] = kEnded;
    --live_;
    Replay();
  }

 private:
  static constexpr uint64_t kEnded = UINT64_MAX;

  void Replay() {
    uint32_t winner = winner_;
    const uint64_t* keys = keys_.data();
    for (size_t n = (keys_.size() + winner) / 2; n >= 1; n /= 2) {
      // Swapped by masks, not `?:`, which the compiler turned into a branch.
      const uint32_t loser = losers_[n];
      const uint32_t loser_wins = keys[loser] < keys[winner];
      const uint32_t swap = (loser ^ winner) & (0 - loser_wins);
      losers_[n] = loser ^ swap;
      winner ^= swap;
    }
    winner_ = winner;
  }

  std::vector<uint64_t> keys_;    ///< Each list's head position; kEnded past its end.
  std::vector<uint32_t> losers_;  ///< Inner node n (1 .. leaves-1): the loser of its match.
  uint32_t winner_ = 0;
  size_t live_ = 0;
};

}  // namespace sluice::exec
