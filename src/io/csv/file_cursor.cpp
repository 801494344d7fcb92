// Block buffering for the CSV scanner.
#include "io/csv/file_cursor.h"

#include <algorithm>
#include <cstring>

#include "core/error.h"
#include "io/csv/tokenizer.h"

namespace sluice::io::csv {

namespace {
/// Earlier blocks kept for reuse: the current one, one still read by a pending batch, a spare.
constexpr size_t kMaxSpares = 2;
}  // namespace

FileCursor::FileCursor(std::string path, MemoryPool* pool)
    : path_(std::move(path)), pool_(pool), source_(OpenByteSource(path_)) {}

void FileCursor::ReadMore(size_t bytes) {
  if (std::optional<uint64_t> remaining = source_->Remaining()) {
    // One byte more than is left, so that the short read tells the end at once.
    bytes = static_cast<size_t>(std::min<uint64_t>(bytes, *remaining + 1));
  }
  const size_t keep = size_ - begin_;
  const size_t need = keep + bytes + kBlockPadding;
  if (need > kMaxRowBytes * 2 + kBlockPadding) {  // Field offsets are 32-bit: stay far below.
    ThrowInternal("CSV block of {} bytes requested; rows are limited to {}", need, kMaxRowBytes);
  }
  if (buffer_ != nullptr && buffer_.use_count() == 1 && buffer_->capacity() >= int64_t(need)) {
    if (keep > 0 && begin_ > 0) std::memmove(buffer_->data(), buffer_->data() + begin_, keep);
  } else {
    std::shared_ptr<Buffer> next;
    for (auto it = spares_.begin(); it != spares_.end();) {
      if (it->use_count() != 1) {
        ++it;
      } else if ((*it)->capacity() >= int64_t(need) && next == nullptr) {
        next = std::move(*it);
        it = spares_.erase(it);
      } else {
        it = spares_.erase(it);  // Unshared but too small: give the memory back.
      }
    }
    if (next == nullptr) {
      next = std::make_shared<Buffer>(pool_);
      next->Reserve(static_cast<int64_t>(need));
    }
    if (keep > 0) std::memcpy(next->data(), buffer_->data() + begin_, keep);
    if (buffer_ != nullptr) {
      if (spares_.size() >= kMaxSpares) spares_.erase(spares_.begin());
      spares_.push_back(std::move(buffer_));
    }
    buffer_ = std::move(next);
  }
  begin_ = 0;
  size_ = keep;
  if (eof_) return;
  size_t got = source_->Read(buffer_->data() + size_, bytes);
  size_ += got;
  if (got < bytes) eof_ = true;
}

void FileCursor::AppendNewline() {
  SLUICE_CHECK(buffer_ != nullptr && static_cast<int64_t>(size_ + 1) <= buffer_->capacity());
  buffer_->data()[size_++] = '\n';
}

size_t FileCursor::PadWithNewline() {
  SLUICE_CHECK(buffer_ != nullptr && static_cast<int64_t>(size_ + 1) <= buffer_->capacity());
  buffer_->data()[size_] = '\n';
  return size_ + 1;
}

void FileCursor::Consume(size_t offset, int64_t newlines) {
  SLUICE_CHECK(offset >= begin_ && offset <= size_);
  begin_ = offset;
  line_ += newlines;
}

void FileCursor::SkipByteOrderMark() {
  static constexpr uint8_t kBom[] = {0xEF, 0xBB, 0xBF};
  while (!eof_ && size_ - begin_ < 3) ReadMore(3);  // A first block of a byte or two (tests).
  if (size_ - begin_ >= 3 && std::memcmp(buffer_->data() + begin_, kBom, 3) == 0) begin_ += 3;
}

void FileCursor::SkipLines(int64_t count, size_t block_bytes) {
  while (count > 0) {
    const uint8_t* start = data() != nullptr ? data() + begin_ : nullptr;
    const void* newline = start != nullptr ? std::memchr(start, '\n', size_ - begin_) : nullptr;
    if (newline != nullptr) {
      begin_ = static_cast<size_t>(static_cast<const uint8_t*>(newline) - data()) + 1;
      ++line_;
      --count;
    } else if (eof_) {
      begin_ = size_;  // The last line, without a newline, is skipped too.
      return;
    } else {
      if (size_ - begin_ > kMaxRowBytes) {
        ThrowInvalid("'{}', line {}: a line longer than {} MiB", path_, line_, kMaxRowBytes >> 20);
      }
      ReadMore(block_bytes);
    }
  }
}

}  // namespace sluice::io::csv
