// Growth and construction of Buffers.
#include "core/buffer.h"

namespace sluice {

std::shared_ptr<Buffer> Buffer::Make(int64_t size, MemoryPool* pool) {
  auto buffer = std::make_shared<Buffer>(pool);
  buffer->Reserve(size);
  buffer->size_ = size;
  return buffer;
}

std::shared_ptr<Buffer> Buffer::MakeZeroed(int64_t size, MemoryPool* pool) {
  auto buffer = Make(size, pool);
  if (size > 0) std::memset(buffer->data_, 0, static_cast<size_t>(size));
  return buffer;
}

void Buffer::Reserve(int64_t capacity) {
  if (capacity <= capacity_) return;
  // Pad to a multiple of 64 so that word-at-a-time kernels may read whole words.
  int64_t padded = (capacity + 63) & ~int64_t{63};
  data_ = pool_->Reallocate(data_, capacity_, padded);
  capacity_ = padded;
}

void Buffer::Clear() {
  pool_->Free(data_, capacity_);
  data_ = nullptr;
  size_ = 0;
  capacity_ = 0;
}

}  // namespace sluice
