// jemalloc is reached through its mallctl interface, declared weak: the library does not link
// jemalloc (the program chooses its allocator), so mallctl is null unless the program did.
#include "core/allocator.h"

#include <cstddef>

extern "C" int mallctl(const char* name, void* old_value, size_t* old_size, void* new_value,
                       size_t new_size) __attribute__((weak));

namespace sluice {
namespace {

/// jemalloc's MALLCTL_ARENAS_ALL: statistics and purges of every arena at once.
#define SLUICE_ALL_ARENAS "4096"

template <typename T>
bool Read(const char* name, T* value) {
  size_t size = sizeof(T);
  return mallctl(name, value, &size, nullptr, 0) == 0 && size == sizeof(T);
}

}  // namespace

int64_t AllocatorFreedBytes() {
  if (mallctl == nullptr) return -1;
  // Statistics are a snapshot taken at the last "epoch" write.
  uint64_t epoch = 1;
  size_t size = sizeof(epoch);
  if (mallctl("epoch", &epoch, &size, &epoch, size) != 0) return -1;
  size_t pages = 0, page_size = 0;
  if (!Read("stats.arenas." SLUICE_ALL_ARENAS ".pdirty", &pages) ||
      !Read("arenas.page", &page_size))
    return -1;
  return static_cast<int64_t>(pages * page_size);
}

void ReturnAllocatorFreedPages() {
  if (mallctl != nullptr)
    mallctl("arena." SLUICE_ALL_ARENAS ".purge", nullptr, nullptr, nullptr, 0);
}

}  // namespace sluice
