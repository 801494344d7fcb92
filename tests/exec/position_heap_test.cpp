// The tournament tree behind every merge by position: taking the top and advancing its list
// must yield every position of every list, ascending, however many lists (also not a power of
// two), with empty lists skipped and lists ending at different times.
#include "exec/position_heap.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

namespace sluice::exec {
namespace {

std::vector<uint64_t> MergeWithHeap(const std::vector<std::vector<uint64_t>>& lists) {
  PositionHeap heap;
  std::vector<size_t> next(lists.size(), 0);
  for (size_t l = 0; l < lists.size(); ++l) {
    if (!lists[l].empty()) heap.Add(lists[l][0], static_cast<uint32_t>(l));
  }
  heap.Build();
  std::vector<uint64_t> out;
  while (!heap.empty()) {
    const PositionHeap::Head top = heap.top();
    const std::vector<uint64_t>& list = lists[top.list];
    EXPECT_EQ(top.position, list[next[top.list]]);
    out.push_back(top.position);
    if (++next[top.list] < list.size()) {
      heap.ReplaceTop(list[next[top.list]]);
    } else {
      heap.PopTop();
    }
  }
  return out;
}

TEST(PositionHeapTest, MergesAscendingListsOfAnyCountIntoOneAscendingOrder) {
  std::mt19937_64 random(11);
  for (size_t count : {0, 1, 2, 3, 5, 8, 13, 64, 100}) {
    // Distinct positions dealt out to the lists at random, some lists left empty.
    std::vector<std::vector<uint64_t>> lists(count);
    std::vector<uint64_t> all;
    if (count > 0) {
      for (uint64_t position = 0; position < 5000; ++position) {
        if (random() % 3 == 0) continue;
        const size_t list = random() % count;
        if (list % 4 == 1 && count > 4) continue;  // Every fourth list stays empty.
        lists[list].push_back(position << 20);
        all.push_back(position << 20);
      }
    }
    EXPECT_EQ(MergeWithHeap(lists), all) << count << " lists";
  }
}

TEST(PositionHeapTest, OneListRunningAheadStaysOnTopUntilAnotherIsSmaller) {
  const std::vector<std::vector<uint64_t>> lists = {{1, 2, 3, 4, 100}, {50, 60}, {5, 200}};
  EXPECT_EQ(MergeWithHeap(lists), (std::vector<uint64_t>{1, 2, 3, 4, 5, 50, 60, 100, 200}));
}

}  // namespace
}  // namespace sluice::exec
