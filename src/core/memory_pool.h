// The memory pool: every buffer sluice allocates for data goes through one, so that the bytes in
// use are known at any time and a budget (`--memory-limit`) is kept. Operators that can move
// their state to disk (sort, aggregation, join) register as spillable consumers: a reservation
// that would exceed the budget first makes the largest of them spill, and only when nothing is
// left to spill fails with a clear out-of-memory error, instead of the kernel's OOM killer
// ending the process.
#pragma once

#include <atomic>
#include <cstdint>
#include <limits>
#include <mutex>
#include <string>
#include <vector>

namespace sluice {

/// An operator whose memory can go to disk.
class SpillableConsumer {
 public:
  virtual ~SpillableConsumer() = default;
  /// Bytes that Spill would free now (0: nothing to spill).
  virtual int64_t SpillableBytes() const = 0;
  /// Writes state to disk and frees its memory; returns the bytes freed. The pool calls it on
  /// whichever thread's reservation would exceed the budget, possibly one running inside this
  /// very consumer: so a consumer must never reserve memory while holding a lock Spill takes.
  /// Memory Spill itself needs (an output block) is granted beyond the budget.
  virtual int64_t Spill() = 0;
};

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

  /// Accounts `bytes` of memory not allocated through this pool (hash-table slots, say). Over
  /// the budget, spillable consumers spill first; throws out-of-memory when that is not enough.
  void Reserve(int64_t bytes);
  void Release(int64_t bytes);

  int64_t used() const { return used_.load(std::memory_order_relaxed); }
  int64_t peak() const { return peak_.load(std::memory_order_relaxed); }
  int64_t limit() const { return limit_; }
  void set_limit(int64_t limit) { limit_ = limit; }

  /// A process's memory limit (`--memory-limit`): the pool gives kDataSharePercent of it to data
  /// and leaves the rest, the headroom, for what no pool accounts (the allocator's freed pages,
  /// I/O and compression buffers, the program itself), so that resident memory stays near the
  /// limit.
  void SetMemoryLimit(int64_t memory_limit);
  static constexpr int kDataSharePercent = 80;
  /// The memory limit beyond the data's share (without one, as if the budget were that share).
  int64_t headroom() const;

  /// Pages the allocator freed but still holds are resident too. Under a small budget they pile
  /// up (memory freed on one thread and wanted on another, or in other sizes), to well above the
  /// limit: when they and the data take more than the data's share and half the headroom, they
  /// go back to the system. The pool looks (a few microseconds) every quarter of the headroom a
  /// thread reserves: pages given back cost time when touched again, and most freed pages are soon
  /// reused.
  void KeepFreedPagesInBudget();

  /// The process-wide pool used when no other is given. Its budget starts at
  /// kDefaultLimitPercent of the memory this process may use (physical memory, or the cgroup
  /// limit when lower).
  static MemoryPool* Default();
  static constexpr int kDefaultLimitPercent = 80;

  /// Registers a consumer the pool may ask to spill; it must be removed before it is destroyed.
  void AddConsumer(SpillableConsumer* consumer);
  void RemoveConsumer(SpillableConsumer* consumer);
  /// Times a consumer spilled, for tests and reports.
  int64_t spill_count() const { return spill_count_.load(std::memory_order_relaxed); }
  /// Counts a spill a consumer decided on by itself (seeing that what it holds cannot fit).
  void CountSpill() { spill_count_.fetch_add(1, std::memory_order_relaxed); }

 private:
  /// Tries to make room for `bytes` by spilling consumers, largest first; on success the bytes
  /// are reserved. False when nothing (more) can be spilled.
  bool ReserveBySpilling(int64_t bytes);
  void UpdatePeak(int64_t now);

  std::atomic<int64_t> used_{0};
  std::atomic<int64_t> peak_{0};
  int64_t limit_;
  int64_t memory_limit_ = 0;    ///< As given to SetMemoryLimit, for messages; 0: not given.
  std::mutex consumers_mutex_;  ///< Held while a consumer spills: one spill at a time.
  std::vector<SpillableConsumer*> consumers_;
  std::atomic<int64_t> spill_count_{0};
};

/// While alive, this thread's reservations are granted beyond the budget and start no spill:
/// for the bounded memory that writing a spill itself needs (a block being encoded). The pool
/// sets one around every Spill call; a consumer that spills on its own (at its end) sets one too.
class SpillingScope {
 public:
  SpillingScope();
  ~SpillingScope();
  SpillingScope(const SpillingScope&) = delete;
  SpillingScope& operator=(const SpillingScope&) = delete;

 private:
  bool outer_;
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
