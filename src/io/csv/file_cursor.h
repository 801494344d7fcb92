// One CSV file being read: its byte source and the block of bytes read but not yet parsed. The
// scanner parses the complete rows of a block and moves the partial last row to the front of the
// next one, so only a block or two is in memory whatever the size of the file; buffers that no
// batch refers to any more are reused rather than reallocated.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/buffer.h"
#include "io/csv/byte_source.h"

namespace sluice::io::csv {

class FileCursor {
 public:
  /// Opens the file (ThrowIo when it cannot be); nothing is read yet.
  FileCursor(std::string path, MemoryPool* pool);

  const std::string& path() const { return path_; }
  /// The current block. Field references of parsed chunks point into it, so chunks share it.
  const std::shared_ptr<Buffer>& buffer() const { return buffer_; }
  const uint8_t* data() const { return buffer_ != nullptr ? buffer_->data() : nullptr; }
  size_t begin() const { return begin_; }  ///< The first byte not parsed yet.
  size_t size() const { return size_; }    ///< The end of the bytes read.
  bool eof() const { return eof_; }        ///< Every byte of the file is in the block.
  bool done() const { return eof_ && begin_ == size_; }
  int64_t line() const { return line_; }  ///< The line number of the byte at begin().

  /// Reads up to `bytes` more bytes after the unparsed ones, which move to the front of a block
  /// that no chunk refers to any more.
  void ReadMore(size_t bytes);
  /// Ends a last row that has no newline with one, so that the tokenizer sees only whole rows.
  void AppendNewline();
  /// Writes a newline just after the bytes read, into the block's padding and without counting
  /// it as read, and returns the end including it: a partial row can then be tokenized to find
  /// out what is wrong with it.
  size_t PadWithNewline();
  /// Marks the bytes before `offset` parsed; they held `newlines` line ends.
  void Consume(size_t offset, int64_t newlines);
  /// Skips a UTF-8 byte-order mark at the start of the file (call once, after the first read).
  void SkipByteOrderMark();
  /// Skips `count` lines, reading blocks of `block_bytes` as needed.
  void SkipLines(int64_t count, size_t block_bytes);

 private:
  std::string path_;
  MemoryPool* pool_;
  std::unique_ptr<ByteSource> source_;
  std::shared_ptr<Buffer> buffer_;
  std::vector<std::shared_ptr<Buffer>> spares_;  ///< Earlier blocks, reusable once unshared.
  size_t begin_ = 0;
  size_t size_ = 0;
  bool eof_ = false;
  int64_t line_ = 1;
};

}  // namespace sluice::io::csv
