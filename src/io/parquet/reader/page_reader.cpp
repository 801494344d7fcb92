// Page-at-a-time reading of a column chunk, with every size from the file checked before use.
#include "io/parquet/reader/page_reader.h"

#include <cstring>

#include "core/error.h"

namespace sluice::io::parquet {

namespace {
// A page header is small; this window almost always holds it, and grows only when it does not.
constexpr size_t kHeaderWindow = 16 * 1024;
constexpr size_t kMaxHeaderWindow = 16 * 1024 * 1024;
// No writer makes pages this large or with this many values; a header that says so is lying,
// and believing it would size buffers from it.
constexpr int64_t kMaxPageSize = int64_t{1} << 30;
constexpr int64_t kMaxPageValues = int64_t{1} << 24;

uint32_t LoadLe32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}
}  // namespace

PageReader::PageReader(const RandomAccessFile& file, const ColumnMetaData& metadata,
                       int16_t max_definition_level, uint64_t limit, std::string context,
                       MemoryPool* pool)
    : file_(file),
      max_definition_level_(max_definition_level),
      context_(std::move(context)),
      values_left_(metadata.num_values),
      reservation_(pool) {
  try {
    codec_ = CodecFromParquetId(static_cast<int32_t>(metadata.codec));
  } catch (const Error& error) {
    throw Error(error.kind(), fmt::format("{}: {}", context_, error.what()));
  }
  int64_t start = metadata.data_page_offset;
  if (metadata.dictionary_page_offset && *metadata.dictionary_page_offset > 0 &&
      *metadata.dictionary_page_offset < start) {
    start = *metadata.dictionary_page_offset;
  }
  int64_t size = metadata.total_compressed_size;
  if (start < 4 || size < 0 || static_cast<uint64_t>(start) > limit ||
      static_cast<uint64_t>(size) > limit - static_cast<uint64_t>(start)) {
    ThrowInvalid("{}: column chunk at offset {} of {} bytes lies outside the data region (0..{})",
                 context_, start, size, limit);
  }
  position_ = static_cast<uint64_t>(start);
  end_ = position_ + static_cast<uint64_t>(size);
}

PageHeader PageReader::ReadHeader(size_t* header_size) {
  size_t window = kHeaderWindow;
  while (true) {
    size_t available = static_cast<size_t>(end_ - position_);
    size_t length = window < available ? window : available;
    header_window_.resize(length);
    file_.ReadAt(position_, length, header_window_.data());
    try {
      return ReadPageHeader(header_window_.data(), length, header_size);
    } catch (const Error& error) {
      // A header cut by the window's end looks truncated: retry with a larger window while the
      // chunk has more bytes. A header that is truly corrupt fails again at full size.
      if (length == available || window >= kMaxHeaderWindow) {
        ThrowInvalid("{}: corrupt page header at offset {}: {}", context_, position_, error.what());
      }
      window *= 8;
    }
  }
}

int64_t PageReader::TrySkipDataPage(int64_t max_values) {
  if (values_left_ <= 0 || position_ >= end_) return 0;
  uint64_t header_at = position_;
  size_t header_size = 0;
  PageHeader header = ReadHeader(&header_size);
  int64_t values = header.type == PageType::kDataPage     ? header.data_page_header->num_values
                   : header.type == PageType::kDataPageV2 ? header.data_page_header_v2->num_values
                                                          : -1;
  uint64_t body_at = header_at + header_size;
  if (values < 0 || values > max_values || values > values_left_ ||
      header.compressed_page_size < 0 ||
      static_cast<uint64_t>(header.compressed_page_size) > end_ - body_at) {
    return 0;  // Next reads it (and reports whatever is wrong with it).
  }
  position_ = body_at + static_cast<uint64_t>(header.compressed_page_size);
  values_left_ -= values;
  return values;
}

bool PageReader::Next(Page* page) {
  while (true) {
    if (values_left_ <= 0 || position_ >= end_) return false;
    size_t header_size = 0;
    uint64_t header_at = position_;
    PageHeader header = ReadHeader(&header_size);
    int64_t compressed = header.compressed_page_size;
    int64_t uncompressed = header.uncompressed_page_size;
    uint64_t body_at = position_ + header_size;
    if (compressed < 0 || uncompressed < 0 || uncompressed > kMaxPageSize ||
        static_cast<uint64_t>(compressed) > end_ - body_at) {
      ThrowInvalid(
          "{}: page at offset {} declares {} compressed / {} uncompressed bytes, but {} bytes are "
          "left "
          "in the column chunk",
          context_, header_at, compressed, uncompressed, end_ - body_at);
    }
    position_ = body_at + static_cast<uint64_t>(compressed);
    if (header.type == PageType::kIndexPage) continue;
    if (header.type != PageType::kDataPage && header.type != PageType::kDataPageV2 &&
        header.type != PageType::kDictionaryPage) {
      ThrowUnsupported("{}: page at offset {} has unknown type {}", context_, header_at,
                       static_cast<int>(header.type));
    }
    reservation_.Set(std::max<int64_t>(reservation_.bytes(), compressed + uncompressed));
    compressed_.Resize(static_cast<size_t>(compressed));
    file_.ReadAt(body_at, compressed_.size(), compressed_.data());

    // Data page v2 keeps its levels uncompressed in front of the (maybe compressed) values.
    size_t levels_size = 0;
    bool compressed_values = codec_ != Codec::kUncompressed;
    if (header.type == PageType::kDataPageV2) {
      const auto& v2 = *header.data_page_header_v2;
      int64_t levels = int64_t{v2.definition_levels_byte_length} + v2.repetition_levels_byte_length;
      if (v2.definition_levels_byte_length < 0 || v2.repetition_levels_byte_length < 0 ||
          levels > compressed || levels > uncompressed) {
        ThrowInvalid("{}: page at offset {} declares {} bytes of levels in a page of {} bytes",
                     context_, header_at, levels, compressed);
      }
      levels_size = static_cast<size_t>(levels);
      compressed_values = compressed_values && v2.is_compressed;
    }
    const uint8_t* body;
    size_t body_size;
    if (compressed_values) {
      page_.Resize(static_cast<size_t>(uncompressed));
      if (levels_size > 0) std::memcpy(page_.data(), compressed_.data(), levels_size);
      try {
        Decompress(codec_, compressed_.data() + levels_size, compressed_.size() - levels_size,
                   page_.data() + levels_size, page_.size() - levels_size);
      } catch (const Error& error) {
        throw Error(error.kind(),
                    fmt::format("{}: page at offset {}: {}", context_, header_at, error.what()));
      }
      body = page_.data();
      body_size = page_.size();
    } else {
      if (compressed != uncompressed) {
        ThrowInvalid("{}: uncompressed page at offset {} declares {} bytes but holds {}", context_,
                     header_at, uncompressed, compressed);
      }
      body = compressed_.data();
      body_size = compressed_.size();
    }

    *page = Page{};
    page->type = header.type;
    if (header.type == PageType::kDictionaryPage) {
      const auto& dictionary = *header.dictionary_page_header;
      if (dictionary.num_values < 0 || dictionary.num_values > kMaxPageValues) {
        ThrowInvalid("{}: dictionary page at offset {} declares {} values", context_, header_at,
                     dictionary.num_values);
      }
      page->num_values = dictionary.num_values;
      page->encoding = dictionary.encoding;
      page->values = body;
      page->values_size = body_size;
      return true;
    }
    if (header.type == PageType::kDataPage) {
      const auto& v1 = *header.data_page_header;
      page->num_values = v1.num_values;
      page->encoding = v1.encoding;
      size_t at = 0;
      if (max_definition_level_ > 0) {
        if (v1.definition_level_encoding != Encoding::kRle) {
          ThrowUnsupported("{}: definition levels encoded as {} are not supported", context_,
                           EnumName(v1.definition_level_encoding));
        }
        if (body_size < 4)
          ThrowInvalid("{}: page at offset {} is too short for its levels", context_, header_at);
        uint32_t length = LoadLe32(body);
        if (length > body_size - 4) {
          ThrowInvalid("{}: page at offset {} declares {} bytes of definition levels but has {}",
                       context_, header_at, length, body_size - 4);
        }
        page->definition_levels = body + 4;
        page->definition_levels_size = length;
        at = 4 + length;
      }
      page->values = body + at;
      page->values_size = body_size - at;
    } else {
      const auto& v2 = *header.data_page_header_v2;
      page->num_values = v2.num_values;
      page->encoding = v2.encoding;
      page->definition_levels = body + v2.repetition_levels_byte_length;
      page->definition_levels_size = static_cast<size_t>(v2.definition_levels_byte_length);
      page->values = body + levels_size;
      page->values_size = body_size - levels_size;
    }
    if (page->num_values < 0 || page->num_values > values_left_ ||
        page->num_values > kMaxPageValues) {
      ThrowInvalid("{}: page at offset {} declares {} values but the column chunk has {} left",
                   context_, header_at, page->num_values, values_left_);
    }
    values_left_ -= page->num_values;
    return true;
  }
}

}  // namespace sluice::io::parquet
