// Page encoding, dictionary fallback, statistics and page index for one column chunk.
#include "io/parquet/writer/column_writer.h"

#include <algorithm>
#include <bit>
#include <cstring>

#include "core/error.h"
#include "io/parquet/format/bit_util.h"
#include "io/parquet/format/plain.h"
#include "io/parquet/format/rle.h"

namespace sluice::io::parquet {

namespace {
void AppendLe32(std::string* out, uint32_t value) {
  char bytes[4];
  std::memcpy(bytes, &value, 4);
  out->append(bytes, 4);
}

void AddEncoding(std::vector<Encoding>* encodings, Encoding encoding) {
  for (Encoding known : *encodings) {
    if (known == encoding) return;
  }
  encodings->push_back(encoding);
}

void CountPage(std::vector<PageEncodingStats>* stats, PageType type, Encoding encoding) {
  for (auto& entry : *stats) {
    if (entry.page_type == type && entry.encoding == encoding) {
      ++entry.count;
      return;
    }
  }
  stats->push_back({type, encoding, 1});
}

}  // namespace

ColumnChunkWriter::ColumnChunkWriter(const Field& field, SchemaElement element,
                                     const WriterOptions& options, bool bloom_filter,
                                     MemoryPool* pool)
    : field_(field),
      element_(std::move(element)),
      options_(options),
      sort_kind_(SortKindFor(field.type, element_)),
      want_bloom_filter_(bloom_filter),
      pool_(pool),
      dictionary_(*element_.type != Type::kByteArray),
      use_dictionary_(options.dictionary && *element_.type != Type::kBoolean),
      dictionary_reservation_(pool) {}

// By now the writer is no longer a consumer of the pool, so no Spill can run alongside.
ColumnChunkWriter::~ColumnChunkWriter() {
  pool_->Release(pages_reserved_.load());
}

int64_t ColumnChunkWriter::PageBytesEstimate() const {
  if (*element_.type == Type::kBoolean) return static_cast<int64_t>(page_bools_.size()) / 8;
  if (!page_indices_.empty()) {
    int bit_width =
        std::bit_width(static_cast<uint64_t>(std::max<int64_t>(dictionary_.size() - 1, 1)));
    return static_cast<int64_t>(page_indices_.size()) * bit_width / 8;
  }
  return static_cast<int64_t>(page_plain_.size());
}

void ColumnChunkWriter::ReleaseBuffers() {
  dictionary_.Release();
  std::vector<uint8_t>().swap(page_levels_);
  std::vector<uint32_t>().swap(page_indices_);
  std::string().swap(page_plain_);
  std::vector<uint8_t>().swap(page_bools_);
  std::vector<uint8_t>().swap(seen_);
  std::vector<uint64_t>().swap(bloom_hashes_);
  std::vector<uint8_t>().swap(levels_);
  std::vector<uint8_t>().swap(values_.fixed);
  std::vector<std::string_view>().swap(values_.views);
  std::string().swap(compressed_);
}

void ColumnChunkWriter::AddValues(int64_t first, int64_t count) {
  Type physical = *element_.type;
  int width = values_.width;
  const uint8_t* fixed = values_.fixed.data() + first * width;
  auto plain = [&](int64_t i) {
    return width == 0 ? values_.views[first + i]
                      : std::string_view(reinterpret_cast<const char*>(fixed) + i * width,
                                         static_cast<size_t>(width));
  };
  if (want_bloom_filter_) {
    for (int64_t i = 0; i < count; ++i)
      bloom_hashes_.push_back(SplitBlockBloomFilter::Hash(plain(i)));
  }
  if (physical == Type::kBoolean) {
    page_bools_.insert(page_bools_.end(), fixed, fixed + count);
    return;
  }
  if (use_dictionary_) {
    size_t at = page_indices_.size();
    page_indices_.resize(at + static_cast<size_t>(count));
    uint32_t* indices = page_indices_.data() + at;
    if (width == 4 || width == 8) {
      dictionary_.InsertFixed(fixed, count, width, indices);
    } else {
      for (int64_t i = 0; i < count; ++i) indices[i] = dictionary_.Insert(plain(i));
    }
    return;
  }
  if (physical != Type::kByteArray) {
    // Fixed-width PLAIN values are the dense physical values as they are.
    page_plain_.append(reinterpret_cast<const char*>(fixed), static_cast<size_t>(count * width));
    return;
  }
  for (int64_t i = 0; i < count; ++i) {
    std::string_view value = plain(i);
    // Dictionary and fixed-width pages get their bounds when flushed, in a cheaper way.
    if (options_.statistics) page_min_max_.Update(value, sort_kind_);
    AppendLe32(&page_plain_, static_cast<uint32_t>(value.size()));
    page_plain_.append(value);
  }
}

void ColumnChunkWriter::Write(const Column& column, int64_t offset, int64_t length) {
  if (field_.type.IsVariableWidth()) {
    for (int64_t i = 0; i < length; ++i) {
      if (column.IsValid(offset + i) && column.StringAt(offset + i).size() > 0x7fffffffu) {
        ThrowUnsupported("column '{}': a value of {} bytes is larger than Parquet allows (2 GiB)",
                         field_.name, column.StringAt(offset + i).size());
      }
    }
  }
  ToPhysical(column, offset, length, element_, &levels_, &values_);
  // Rows go in slices so that page size and dictionary size are checked often enough. Slices end
  // at multiples of kSlice rows of the chunk, not of this call: pages and the dictionary fallback
  // then fall at the same rows however the input was cut into batches.
  constexpr int64_t kSlice = 4096;
  int64_t next_value = 0;
  for (int64_t row = 0; row < length;) {
    const int64_t in_chunk = chunk_rows_ + page_rows_;
    int64_t take = std::min<int64_t>(
        {length - row, kSlice - in_chunk % kSlice, options_.page_row_limit - page_rows_});
    const uint8_t* levels = levels_.data() + row;
    int64_t valid = 0;
    for (int64_t i = 0; i < take; ++i) valid += levels[i];
    page_levels_.insert(page_levels_.end(), levels, levels + take);
    AddValues(next_value, valid);
    next_value += valid;
    page_rows_ += take;
    page_nulls_ += take - valid;
    row += take;
    // Sizes are looked at only where a slice ends: a call that ends mid-slice must not end a
    // page, or fall back to PLAIN, where the next call's rows would have been added first.
    if ((chunk_rows_ + page_rows_) % kSlice != 0 && page_rows_ < options_.page_row_limit) continue;
    if (page_rows_ >= options_.page_row_limit || PageBytesEstimate() >= options_.page_size)
      FlushPage();
    if (use_dictionary_ && dictionary_.byte_size() > options_.dictionary_size_limit) {
      // Too many distinct values for a dictionary to pay: finish this page with it, then PLAIN.
      FlushPage();
      use_dictionary_ = false;
      dictionary_failed_ = true;
      dictionary_.ReleaseTable();
    }
  }
}

void ColumnChunkWriter::EncodePage(PageHeader header, const std::string& levels,
                                   const std::string& values, std::string* header_bytes,
                                   std::string* body) {
  bool v2 = header.type == PageType::kDataPageV2;
  body->clear();
  Codec codec = options_.compression;
  int64_t uncompressed = static_cast<int64_t>(levels.size() + values.size());
  if (v2) {
    // v2 keeps the levels uncompressed in front of the compressed values.
    compressed_.clear();
    Compress(codec, reinterpret_cast<const uint8_t*>(values.data()), values.size(), &compressed_,
             options_.compression_level);
    *body = levels + compressed_;
  } else {
    std::string plain_body = levels + values;
    Compress(codec, reinterpret_cast<const uint8_t*>(plain_body.data()), plain_body.size(), body,
             options_.compression_level);
  }
  if (uncompressed > 0x7fffffff || body->size() > 0x7fffffffu) {
    ThrowUnsupported("column '{}': a page of {} bytes is larger than Parquet allows", field_.name,
                     uncompressed);
  }
  header.uncompressed_page_size = static_cast<int32_t>(uncompressed);
  header.compressed_page_size = static_cast<int32_t>(body->size());
  header_bytes->clear();
  WritePageHeader(header, header_bytes);
  uncompressed_bytes_ += static_cast<int64_t>(header_bytes->size()) + uncompressed;
}

void ColumnChunkWriter::AppendDataPage(const std::string& header_bytes, const std::string& body) {
  int64_t shortfall = 0;
  {
    std::lock_guard lock(pages_mutex_);
    // The page's offset in the chunk's data pages counts the spilled ones before it.
    offset_index_.page_locations.push_back(
        {spilled_size_ + static_cast<int64_t>(data_pages_.size()),
         static_cast<int32_t>(header_bytes.size() + body.size()), chunk_rows_});
    data_pages_ += header_bytes;
    data_pages_ += body;
    const int64_t held = static_cast<int64_t>(data_pages_.capacity());
    const int64_t reserved = pages_reserved_.load();
    if (held < reserved) {
      // Releasing never spills, so it may happen under the lock, in step with the count.
      pool_->Release(reserved - held);
      pages_reserved_.fetch_sub(reserved - held);
    } else {
      shortfall = held - reserved;
    }
  }
  // Reserving may spill, this very column included (SpillPages try-locks pages_mutex_, which is
  // free now). A spill in between releases what was reserved so far; the bytes reserved here
  // are then counted for pages already on disk until the next page settles the count above.
  if (shortfall > 0) {
    pool_->Reserve(shortfall);
    pages_reserved_.fetch_add(shortfall);
  }
  dictionary_reservation_.Set(dictionary_.MemoryBytes());
}

int64_t ColumnChunkWriter::SpillPages() {
  // try_lock, never lock: the pool calls this with its consumer lock held, on whichever thread
  // ran out (possibly a worker of this very writer), so it must not wait for a column that is
  // appending or finishing on another thread; such a column is skipped this time.
  std::unique_lock lock(pages_mutex_, std::try_to_lock);
  if (!lock.owns_lock()) return 0;
  if (!data_pages_.empty()) {
    if (spill_ == nullptr) spill_ = std::make_unique<PageSpillFile>();
    spill_->Append(data_pages_);
    spilled_size_ = spill_->size();
    std::string().swap(data_pages_);  // Frees the memory, not just the size.
  }
  // The string holds no memory now, so all that is reserved for it goes, also a reservation
  // that arrived after an earlier spill had taken the pages it was made for.
  const int64_t freed = pages_reserved_.exchange(0);
  pool_->Release(freed);
  return freed;
}

void ColumnChunkWriter::UpdatePageBounds() {
  Type physical = *element_.type;
  if (physical == Type::kBoolean) {
    page_min_max_.UpdateFixed(page_bools_.data(), static_cast<int64_t>(page_bools_.size()), 1,
                              sort_kind_);
  } else if (!page_indices_.empty()) {
    // Each distinct dictionary entry of the page once.
    seen_.assign(static_cast<size_t>(dictionary_.size()), 0);
    for (uint32_t index : page_indices_) {
      if (seen_[index]) continue;
      seen_[index] = 1;
      page_min_max_.Update(dictionary_.value(index), sort_kind_);
    }
  } else if (physical != Type::kByteArray) {
    int width = physical == Type::kInt32 || physical == Type::kFloat ? 4
                : physical == Type::kFixedLenByteArray               ? *element_.type_length
                                                                     : 8;
    page_min_max_.UpdateFixed(reinterpret_cast<const uint8_t*>(page_plain_.data()),
                              static_cast<int64_t>(page_plain_.size()) / width, width, sort_kind_);
  }
}

void ColumnChunkWriter::FlushPage() {
  if (page_rows_ == 0) return;
  bool v2 = options_.data_page_version == 2;
  bool nullable = element_.repetition_type == FieldRepetitionType::kOptional;

  std::string levels;
  if (nullable) {
    if (page_nulls_ == 0) {
      // One RLE run of 1s: a varint header (count << 1) and the value in one byte.
      std::string run;
      AppendUleb128(static_cast<uint64_t>(page_rows_) << 1, &run);
      run.push_back(1);
      if (!v2) AppendLe32(&levels, static_cast<uint32_t>(run.size()));
      levels += run;
    } else {
      RleBitPackedEncoder encoder(1);
      encoder.PutBatch(page_levels_.data(), static_cast<int64_t>(page_levels_.size()));
      if (v2)
        encoder.Flush(&levels);
      else
        encoder.FlushWithLengthPrefix(&levels);
    }
  }

  if (options_.statistics) UpdatePageBounds();

  std::string values;
  Encoding encoding = Encoding::kPlain;
  if (*element_.type == Type::kBoolean) {
    PlainBoolEncoder encoder;
    encoder.Put(page_bools_.data(), static_cast<int64_t>(page_bools_.size()));
    encoder.Flush(&values);
  } else if (!page_plain_.empty() || page_indices_.empty()) {
    values = std::move(page_plain_);
  } else {
    encoding = Encoding::kRleDictionary;
    int bit_width =
        std::bit_width(static_cast<uint64_t>(std::max<int64_t>(dictionary_.size() - 1, 0)));
    values.push_back(static_cast<char>(bit_width));
    RleBitPackedEncoder encoder(bit_width);
    encoder.PutBatch(page_indices_.data(), static_cast<int64_t>(page_indices_.size()));
    encoder.Flush(&values);
    dictionary_pages_written_ = true;
  }
  int64_t page_values = page_rows_ - page_nulls_;

  PageHeader header;
  if (v2) {
    header.type = PageType::kDataPageV2;
    DataPageHeaderV2 v2_header;
    v2_header.num_values = static_cast<int32_t>(page_rows_);
    v2_header.num_nulls = static_cast<int32_t>(page_nulls_);
    v2_header.num_rows = static_cast<int32_t>(page_rows_);
    v2_header.encoding = encoding;
    v2_header.definition_levels_byte_length = static_cast<int32_t>(levels.size());
    v2_header.is_compressed = options_.compression != Codec::kUncompressed;
    header.data_page_header_v2 = v2_header;
  } else {
    header.type = PageType::kDataPage;
    DataPageHeader v1_header;
    v1_header.num_values = static_cast<int32_t>(page_rows_);
    v1_header.encoding = encoding;
    header.data_page_header = v1_header;
  }
  std::string header_bytes, body;
  EncodePage(std::move(header), levels, values, &header_bytes, &body);
  AppendDataPage(header_bytes, body);
  AddEncoding(&encodings_, encoding);
  CountPage(&encoding_stats_, v2 ? PageType::kDataPageV2 : PageType::kDataPage, encoding);

  // A page of only NaNs has values but no bounds, which a column index cannot express.
  if (page_values > 0 && !page_min_max_.has) column_index_valid_ = false;
  column_index_.null_pages.push_back(page_values == 0);
  column_index_.min_values.push_back(page_min_max_.has ? page_min_max_.min : "");
  column_index_.max_values.push_back(page_min_max_.has ? page_min_max_.max : "");
  if (!column_index_.null_counts) column_index_.null_counts.emplace();
  column_index_.null_counts->push_back(page_nulls_);
  chunk_min_max_.Merge(page_min_max_, sort_kind_);
  chunk_nulls_ += page_nulls_;
  chunk_values_ += page_rows_;
  chunk_rows_ += page_rows_;

  page_levels_.clear();
  page_indices_.clear();
  page_plain_.clear();
  page_bools_.clear();
  page_rows_ = 0;
  page_nulls_ = 0;
  page_min_max_ = MinMax{};
}

EncodedChunk ColumnChunkWriter::Finish() {
  FlushPage();
  EncodedChunk chunk;
  ColumnMetaData& meta = chunk.metadata;
  meta.type = *element_.type;
  meta.path_in_schema = {field_.name};
  meta.codec = static_cast<CompressionCodec>(options_.compression);
  meta.num_values = chunk_values_;

  // Take the data pages, spilled and in memory. The caller owns their bytes now, briefly (it
  // writes them out), so they leave the pool's count and can no longer be spilled.
  {
    std::lock_guard lock(pages_mutex_);
    chunk.spilled_pages = std::move(spill_);
    chunk.bytes = std::move(data_pages_);
    data_pages_.clear();  // Moved from: it holds no memory.
    spilled_size_ = 0;
    pool_->Release(pages_reserved_.exchange(0));
  }
  const int64_t data_size = (chunk.spilled_pages ? chunk.spilled_pages->size() : 0) +
                            static_cast<int64_t>(chunk.bytes.size());

  // The dictionary page goes first, though it is built last.
  int64_t dictionary_size = 0;
  if (dictionary_pages_written_) {
    std::string plain;
    bool byte_array = *element_.type == Type::kByteArray;
    for (int64_t i = 0; i < dictionary_.size(); ++i) {
      std::string_view value = dictionary_.value(i);
      if (byte_array) AppendLe32(&plain, static_cast<uint32_t>(value.size()));
      plain.append(value);
    }
    PageHeader header;
    header.type = PageType::kDictionaryPage;
    header.dictionary_page_header =
        DictionaryPageHeader{static_cast<int32_t>(dictionary_.size()), Encoding::kPlain, {}};
    std::string header_bytes, body;
    EncodePage(std::move(header), "", plain, &header_bytes, &body);
    chunk.dictionary_page = std::move(header_bytes);
    chunk.dictionary_page += body;
    dictionary_size = static_cast<int64_t>(chunk.dictionary_page.size());
    meta.dictionary_page_offset = 0;
    AddEncoding(&encodings_, Encoding::kPlain);
    CountPage(&encoding_stats_, PageType::kDictionaryPage, Encoding::kPlain);
    for (auto& location : offset_index_.page_locations) location.offset += dictionary_size;
  }
  meta.data_page_offset = dictionary_size;
  meta.total_compressed_size = dictionary_size + data_size;
  meta.total_uncompressed_size = uncompressed_bytes_;
  AddEncoding(&encodings_, Encoding::kRle);  // definition levels
  meta.encodings = encodings_;
  meta.encoding_stats = encoding_stats_;
  if (options_.statistics) {
    Statistics stats;
    stats.null_count = chunk_nulls_;
    if (chunk_min_max_.has) {
      stats.min_value = chunk_min_max_.min;
      stats.max_value = chunk_min_max_.max;
      stats.is_min_value_exact = true;
      stats.is_max_value_exact = true;
    }
    meta.statistics = std::move(stats);
  }
  if (options_.page_index && options_.statistics && column_index_valid_) {
    chunk.column_index = std::move(column_index_);
  }
  chunk.offset_index = std::move(offset_index_);
  if (want_bloom_filter_) {
    auto filter = SplitBlockBloomFilter::ForValues(static_cast<int64_t>(bloom_hashes_.size()),
                                                   options_.bloom_filter_fpp);
    for (uint64_t hash : bloom_hashes_) filter.Insert(hash);
    chunk.bloom_filter = std::move(filter);
  }

  // Reset for the next row group.
  dictionary_.Clear();
  // A column whose dictionary overflowed is unlikely to fit one in its next row group.
  use_dictionary_ = options_.dictionary && *element_.type != Type::kBoolean && !dictionary_failed_;
  dictionary_pages_written_ = false;
  chunk_min_max_ = MinMax{};
  chunk_nulls_ = chunk_values_ = chunk_rows_ = uncompressed_bytes_ = 0;
  encodings_.clear();
  encoding_stats_.clear();
  column_index_ = ColumnIndex{};
  column_index_valid_ = true;
  offset_index_ = OffsetIndex{};
  bloom_hashes_.clear();
  if (!options_.reuse_buffers) ReleaseBuffers();
  // Cleared, the dictionary keeps its memory for the next row group (unless released).
  dictionary_reservation_.Set(dictionary_.MemoryBytes());
  return chunk;
}

}  // namespace sluice::io::parquet
