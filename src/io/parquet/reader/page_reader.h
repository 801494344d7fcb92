// Reads the pages of one column chunk in order, one at a time: header, body, decompression. A
// chunk is never loaded whole, so memory follows the page size, not the writer's row-group size.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/memory_pool.h"
#include "io/compress/codec.h"
#include "io/fs/file.h"
#include "io/parquet/format/metadata.h"

namespace sluice::io::parquet {

/// A decompressed page. Spans point into storage owned by the PageReader and stay valid until
/// the next call to Next.
struct Page {
  PageType type = PageType::kDataPage;
  int32_t num_values = 0;  ///< Values including nulls (data pages) or dictionary entries.
  Encoding encoding = Encoding::kPlain;
  /// RLE/bit-packed definition levels without any length prefix; empty when max level is 0.
  const uint8_t* definition_levels = nullptr;
  size_t definition_levels_size = 0;
  const uint8_t* values = nullptr;
  size_t values_size = 0;
};

/// A page's bytes (or its decoded values), grown without zero-filling: they are overwritten
/// whole by the read, the decompression or the decoder, and vector::resize zero-filled the growth
/// whenever a page was bigger than the one before (a dictionary page, then a data page, then the
/// next row group's dictionary page).
class PageBytes {
 public:
  /// Makes room for `size` bytes; the contents are unspecified after growth.
  uint8_t* Resize(size_t size) {
    if (size > capacity_) {
      data_.reset(new uint8_t[size]);
      capacity_ = size;
    }
    size_ = size;
    return data_.get();
  }
  uint8_t* data() { return data_.get(); }
  const uint8_t* data() const { return data_.get(); }
  uint8_t operator[](size_t i) const { return data_[i]; }
  size_t size() const { return size_; }

 private:
  std::unique_ptr<uint8_t[]> data_;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

class PageReader {
 public:
  /// `limit` is the first byte past the column data (the footer's start); `context` names the
  /// file, row group and column for error messages.
  PageReader(const RandomAccessFile& file, const ColumnMetaData& metadata,
             int16_t max_definition_level, uint64_t limit, std::string context,
             MemoryPool* pool = MemoryPool::Default());

  /// Reads the next page; returns false after the last one.
  bool Next(Page* page);

  /// Skips the next page without reading or decompressing its body when it is a data page of
  /// at most `max_values` values; returns how many it skipped (0: the caller must read it).
  int64_t TrySkipDataPage(int64_t max_values);

  /// Byte offset of the next page header in the file (for messages and the offset index).
  uint64_t position() const { return position_; }
  const std::string& context() const { return context_; }

 private:
  PageHeader ReadHeader(size_t* header_size);

  const RandomAccessFile& file_;
  Codec codec_ = Codec::kUncompressed;
  int16_t max_definition_level_;
  std::string context_;
  uint64_t position_ = 0;
  uint64_t end_ = 0;
  int64_t values_left_ = 0;
  std::vector<uint8_t> header_window_;
  PageBytes compressed_;
  PageBytes page_;
  MemoryReservation reservation_;  ///< Accounts the page buffers above.
};

}  // namespace sluice::io::parquet
