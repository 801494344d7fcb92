// Accounting allocator: aligned allocation plus an atomic byte count checked against a budget.
#include "core/memory_pool.h"

#include <cstdlib>
#include <cstring>
#include <new>

#include "core/error.h"

namespace sluice {

namespace {
// Allocations of size 0 still get a valid, unique, aligned pointer.
int64_t RoundUp(int64_t size) {
  return ((size + MemoryPool::kAlignment - 1) / MemoryPool::kAlignment) * MemoryPool::kAlignment;
}
}  // namespace

void MemoryPool::Reserve(int64_t bytes) {
  int64_t now = used_.fetch_add(bytes, std::memory_order_relaxed) + bytes;
  if (now > limit_) {
    used_.fetch_sub(bytes, std::memory_order_relaxed);
    ThrowOutOfMemory(
        "memory limit of {} bytes exceeded: {} bytes in use and {} more requested; raise "
        "--memory-limit or read fewer columns",
        limit_, now - bytes, bytes);
  }
  int64_t peak = peak_.load(std::memory_order_relaxed);
  while (now > peak && !peak_.compare_exchange_weak(peak, now, std::memory_order_relaxed)) {
  }
}

void MemoryPool::Release(int64_t bytes) {
  used_.fetch_sub(bytes, std::memory_order_relaxed);
}

uint8_t* MemoryPool::Allocate(int64_t size) {
  if (size < 0) ThrowInternal("negative allocation of {} bytes", size);
  Reserve(size);
  void* data = std::aligned_alloc(kAlignment, static_cast<size_t>(RoundUp(size > 0 ? size : 1)));
  if (data == nullptr) {
    Release(size);
    ThrowOutOfMemory("the system refused an allocation of {} bytes", size);
  }
  return static_cast<uint8_t*>(data);
}

uint8_t* MemoryPool::Reallocate(uint8_t* data, int64_t old_size, int64_t new_size) {
  uint8_t* fresh = Allocate(new_size);
  if (data != nullptr) {
    std::memcpy(fresh, data, static_cast<size_t>(old_size < new_size ? old_size : new_size));
    Free(data, old_size);
  }
  return fresh;
}

void MemoryPool::Free(uint8_t* data, int64_t size) {
  if (data == nullptr) return;
  std::free(data);
  Release(size);
}

MemoryPool* MemoryPool::Default() {
  static MemoryPool pool;
  return &pool;
}

}  // namespace sluice
