// Accounting allocator: aligned allocation plus an atomic byte count checked against a budget.
#include "core/memory_pool.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>

#include "core/allocator.h"
#include "core/error.h"
#include "core/memory_size.h"

namespace sluice {

namespace {
// Allocations of size 0 still get a valid, unique, aligned pointer.
int64_t RoundUp(int64_t size) {
  return ((size + MemoryPool::kAlignment - 1) / MemoryPool::kAlignment) * MemoryPool::kAlignment;
}
}  // namespace

namespace {
/// Set while this thread runs a consumer's Spill: what the spill needs is granted beyond the
/// budget (a bounded overdraft), and it never starts another spill.
thread_local bool t_spilling = false;

/// Bytes this thread reserved since it last looked at the allocator's freed pages.
thread_local int64_t t_reserved_since_look = 0;
}  // namespace

SpillingScope::SpillingScope() : outer_(!t_spilling) {
  t_spilling = true;
}

SpillingScope::~SpillingScope() {
  if (outer_) t_spilling = false;
}

void MemoryPool::UpdatePeak(int64_t now) {
  int64_t peak = peak_.load(std::memory_order_relaxed);
  while (now > peak && !peak_.compare_exchange_weak(peak, now, std::memory_order_relaxed)) {
  }
}

void MemoryPool::Reserve(int64_t bytes) {
  int64_t now = used_.fetch_add(bytes, std::memory_order_relaxed) + bytes;
  if (now > limit_ && !t_spilling) {
    used_.fetch_sub(bytes, std::memory_order_relaxed);
    if (!ReserveBySpilling(bytes)) {
      const std::string budget = memory_limit_ > 0
                                     ? fmt::format("memory limit of {} ({} of it for data)",
                                                   FormatBytes(memory_limit_), FormatBytes(limit_))
                                     : fmt::format("memory limit of {}", FormatBytes(limit_));
      ThrowOutOfMemory(
          "{} exceeded: {} in use and {} more requested, with nothing left to spill; raise "
          "--memory-limit, lower --threads or read fewer columns",
          budget, FormatBytes(used()), FormatBytes(bytes));
    }
    now = used();
  }
  UpdatePeak(now);
  if (limit_ != kUnlimited) {
    t_reserved_since_look += bytes;
    // Each look takes a few microseconds: not more often than every MiB, however small the limit.
    if (t_reserved_since_look >= std::max<int64_t>(headroom() / 4, int64_t{1} << 20)) {
      t_reserved_since_look = 0;
      KeepFreedPagesInBudget();
    }
  }
}

int64_t MemoryPool::headroom() const {
  return memory_limit_ > limit_ ? memory_limit_ - limit_
                                : limit_ / kDataSharePercent * (100 - kDataSharePercent);
}

void MemoryPool::KeepFreedPagesInBudget() {
  if (used() + AllocatorFreedBytes() > limit_ + headroom() / 2) ReturnAllocatorFreedPages();
}

bool MemoryPool::ReserveBySpilling(int64_t bytes) {
  std::lock_guard lock(consumers_mutex_);
  std::vector<SpillableConsumer*> untried = consumers_;
  while (true) {
    // Another thread's spill may have made room while this one waited for the lock.
    const int64_t now = used_.fetch_add(bytes, std::memory_order_relaxed) + bytes;
    if (now <= limit_) return true;
    used_.fetch_sub(bytes, std::memory_order_relaxed);
    SpillableConsumer* largest = nullptr;
    int64_t largest_bytes = 0;
    for (SpillableConsumer* consumer : untried) {
      const int64_t spillable = consumer->SpillableBytes();
      if (spillable > largest_bytes) {
        largest = consumer;
        largest_bytes = spillable;
      }
    }
    if (largest == nullptr) return false;
    int64_t freed = 0;
    {
      SpillingScope scope;
      freed = largest->Spill();
    }
    spill_count_.fetch_add(1, std::memory_order_relaxed);
    // A consumer that freed nothing is not asked again for this reservation.
    if (freed <= 0) std::erase(untried, largest);
  }
}

void MemoryPool::AddConsumer(SpillableConsumer* consumer) {
  std::lock_guard lock(consumers_mutex_);
  consumers_.push_back(consumer);
}

void MemoryPool::RemoveConsumer(SpillableConsumer* consumer) {
  std::lock_guard lock(consumers_mutex_);
  std::erase(consumers_, consumer);
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

void MemoryPool::SetMemoryLimit(int64_t memory_limit) {
  memory_limit_ = memory_limit;
  limit_ = memory_limit / 100 * kDataSharePercent;
}

MemoryPool* MemoryPool::Default() {
  static MemoryPool* pool = [] {
    auto* made = new MemoryPool();
    made->SetMemoryLimit(AvailableMemory() / 100 * kDefaultLimitPercent);
    return made;
  }();
  return pool;
}

}  // namespace sluice
