// A growable, 64-byte aligned byte buffer whose memory is accounted by a MemoryPool. Columns hold
// their validity bitmap, values, offsets and string bytes in Buffers shared between batches.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>

#include "core/memory_pool.h"

namespace sluice {

class Buffer {
 public:
  explicit Buffer(MemoryPool* pool = MemoryPool::Default()) : pool_(pool) {}
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;
  ~Buffer() { pool_->Free(data_, capacity_); }

  /// Makes a shared buffer of `size` bytes (contents unspecified).
  static std::shared_ptr<Buffer> Make(int64_t size, MemoryPool* pool = MemoryPool::Default());
  /// Makes a shared buffer of `size` zeroed bytes.
  static std::shared_ptr<Buffer> MakeZeroed(int64_t size, MemoryPool* pool = MemoryPool::Default());

  uint8_t* data() { return data_; }
  const uint8_t* data() const { return data_; }
  int64_t size() const { return size_; }
  int64_t capacity() const { return capacity_; }

  template <typename T>
  T* as() {
    return reinterpret_cast<T*>(data_);
  }
  template <typename T>
  const T* as() const {
    return reinterpret_cast<const T*>(data_);
  }

  /// Ensures capacity for `capacity` bytes, keeping the contents.
  void Reserve(int64_t capacity);
  /// Sets the size, growing the capacity geometrically when needed; new bytes are unspecified.
  void Resize(int64_t size) {
    if (size > capacity_) Reserve(size > 2 * capacity_ ? size : 2 * capacity_);
    size_ = size;
  }
  /// Appends raw bytes.
  void Append(const void* bytes, int64_t count) {
    int64_t at = size_;
    Resize(size_ + count);
    if (count > 0) std::memcpy(data_ + at, bytes, static_cast<size_t>(count));
  }
  /// Returns the allocation to its pool: size and capacity become 0.
  void Clear();

 private:
  MemoryPool* pool_;
  uint8_t* data_ = nullptr;
  int64_t size_ = 0;
  int64_t capacity_ = 0;
};

}  // namespace sluice
