// The memory pool: every buffer sluice allocates for data goes through one, so that the bytes in
// use are known at any time and a budget (`--memory-limit`) can refuse a reservation with a clear
// error instead of letting the kernel's OOM killer end the process.
#pragma once

#include <atomic>
#include <cstdint>
#include <limits>

namespace sluice {

class MemoryPool {
 public:
  static constexpr int64_t kUnlimited = std::numeric_limits<int64_t>::max();
  static constexpr int64_t kAlignment = 64;  ///< Arrow's recommended buffer alignment.

  explicit MemoryPool(int64_t limit_bytes = kUnlimited) : limit_(limit_bytes) {}
  MemoryPool(const MemoryPool&) = delete;
  MemoryPool& operator=(const MemoryPool&) = delete;

  /// Returns 64-byte aligned memory of `size` bytes, accounted against the budget.
  /// Throws an out-of-memory sluice::Error when the budget would be exceeded.
  uint8_t* Allocate(int64_t size);
  /// Grows or shrinks an allocation, keeping its first min(old, new) bytes.
  uint8_t* Reallocate(uint8_t* data, int64_t old_size, int64_t new_size);
  void Free(uint8_t* data, int64_t size);

  /// Accounts `bytes` of memory not allocated through this pool (hash-table slots, say).
  void Reserve(int64_t bytes);
  void Release(int64_t bytes);

  int64_t used() const { return used_.load(std::memory_order_relaxed); }
  int64_t peak() const { return peak_.load(std::memory_order_relaxed); }
  int64_t limit() const { return limit_; }
  void set_limit(int64_t limit) { limit_ = limit; }

  /// The process-wide pool used when no other is given.
  static MemoryPool* Default();

 private:
  std::atomic<int64_t> used_{0};
  std::atomic<int64_t> peak_{0};
  int64_t limit_;
};

}  // namespace sluice

namespace sluice {

/// Accounts memory held outside Buffers (a std::vector of page bytes, a writer's encoded row
/// group) against a pool: Set() moves the reservation to the new size, throwing the pool's
/// out-of-memory error when growth would exceed the budget; the destructor releases it.
class MemoryReservation {
 public:
  explicit MemoryReservation(MemoryPool* pool = MemoryPool::Default()) : pool_(pool) {}
  MemoryReservation(const MemoryReservation&) = delete;
  MemoryReservation& operator=(const MemoryReservation&) = delete;
  ~MemoryReservation() { pool_->Release(bytes_); }

  void Set(int64_t bytes) {
    if (bytes > bytes_)
      pool_->Reserve(bytes - bytes_);
    else
      pool_->Release(bytes_ - bytes);
    bytes_ = bytes;
  }
  int64_t bytes() const { return bytes_; }

 private:
  MemoryPool* pool_;
  int64_t bytes_ = 0;
};

}  // namespace sluice
