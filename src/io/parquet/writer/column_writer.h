// Writes one column of a row group: values arrive a batch at a time and leave as encoded,
// compressed pages (dictionary with PLAIN fallback, RLE definition levels, data page v1 or v2),
// with chunk statistics, the page index and an optional bloom filter. Under memory pressure the
// encoded data pages of the open chunk can go to a spill file (SpillPages), from any thread.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/column.h"
#include "core/memory_pool.h"
#include "core/schema.h"
#include "io/parquet/format/bloom_filter.h"
#include "io/parquet/format/metadata.h"
#include "io/parquet/writer/dictionary_builder.h"
#include "io/parquet/writer/page_spill.h"
#include "io/parquet/writer/physical_values.h"
#include "io/parquet/writer/writer_options.h"

namespace sluice::io::parquet {

/// A finished column chunk: its bytes and metadata, offsets relative to the chunk's start. The
/// chunk's bytes are the dictionary page, then the spilled data pages (if any), then `bytes`.
struct EncodedChunk {
  std::string dictionary_page;
  std::unique_ptr<PageSpillFile> spilled_pages;  ///< Null when nothing spilled.
  std::string bytes;
  ColumnMetaData metadata;
  std::optional<ColumnIndex> column_index;
  OffsetIndex offset_index;
  std::optional<SplitBlockBloomFilter> bloom_filter;
};

class ColumnChunkWriter {
 public:
  /// Accounts its buffered pages and dictionary against `pool`.
  ColumnChunkWriter(const Field& field, SchemaElement element, const WriterOptions& options,
                    bool bloom_filter, MemoryPool* pool);
  ~ColumnChunkWriter();

  /// Appends rows [offset, offset + length) of `column`.
  void Write(const Column& column, int64_t offset, int64_t length);
  /// Closes the chunk and resets the writer for the next row group.
  EncodedChunk Finish();

  /// Bytes of encoded pages buffered in memory: what SpillPages would free. Any thread.
  int64_t buffered_page_bytes() const { return pages_reserved_.load(std::memory_order_relaxed); }
  /// Appends the buffered pages to the chunk's spill file and frees them; returns the bytes
  /// released from the pool. Safe on any thread, also while Write or Finish run on another, and
  /// on the thread of this column's own Write (whose reservation asked for the spill): it only
  /// try-locks, and returns 0 when the pages are being appended to or taken right now.
  int64_t SpillPages();

 private:
  /// Adds dense values [first, first + count) of values_ to the page.
  void AddValues(int64_t first, int64_t count);
  void FlushPage();
  /// Computes the page's min/max for fixed-width and dictionary pages.
  void UpdatePageBounds();
  /// Compresses a page and makes its header; counts its uncompressed bytes.
  void EncodePage(PageHeader header, const std::string& levels, const std::string& values,
                  std::string* header_bytes, std::string* body);
  /// Appends an encoded data page to the chunk, records its location and accounts the memory.
  void AppendDataPage(const std::string& header_bytes, const std::string& body);
  int64_t PageBytesEstimate() const;
  /// Frees the dictionary and the buffers between row groups (WriterOptions::reuse_buffers).
  void ReleaseBuffers();

  Field field_;
  SchemaElement element_;
  const WriterOptions& options_;
  SortKind sort_kind_;
  bool want_bloom_filter_;

  MemoryPool* pool_;

  // The chunk so far. Spill may run on another thread at any time (see SpillPages), so
  // data_pages_, spill_ and spilled_size_ are only touched with pages_mutex_ held, and that
  // mutex is never held while reserving memory: a reservation may spill this very column.
  std::mutex pages_mutex_;
  std::string data_pages_;  ///< Encoded data pages still in memory, after the spilled ones.
  std::unique_ptr<PageSpillFile> spill_;  ///< The chunk's data pages that went to disk.
  int64_t spilled_size_ = 0;              ///< Bytes in spill_.
  /// Bytes reserved in pool_ for data_pages_ (its capacity, give or take a reservation in
  /// flight); changed with the pool's count in step, so the destructor releases exactly this.
  std::atomic<int64_t> pages_reserved_{0};
  DictionaryBuilder dictionary_;
  bool use_dictionary_;
  bool dictionary_pages_written_ = false;  ///< Some page refers to the dictionary.
  bool dictionary_failed_ = false;         ///< An earlier chunk of this column fell back to PLAIN.
  std::vector<uint8_t> seen_;  ///< Dictionary entries already used in the page's bounds.
  MinMax chunk_min_max_;
  int64_t chunk_nulls_ = 0;
  int64_t chunk_values_ = 0;
  int64_t chunk_rows_ = 0;
  int64_t uncompressed_bytes_ = 0;
  std::vector<Encoding> encodings_;
  std::vector<PageEncodingStats> encoding_stats_;
  ColumnIndex column_index_;
  bool column_index_valid_ = true;
  OffsetIndex offset_index_;
  std::optional<SplitBlockBloomFilter> bloom_filter_;
  std::vector<uint64_t> bloom_hashes_;

  // The page being filled.
  std::vector<uint8_t> page_levels_;
  std::vector<uint32_t> page_indices_;
  std::string page_plain_;
  std::vector<uint8_t> page_bools_;
  int64_t page_rows_ = 0;
  int64_t page_nulls_ = 0;
  MinMax page_min_max_;

  /// Accounts the dictionary (values and hash table) of the chunk in progress (it stays in
  /// memory: encoding needs it), and what it keeps between row groups.
  MemoryReservation dictionary_reservation_;

  // Scratch reused across batches.
  std::vector<uint8_t> levels_;
  PhysicalValues values_;
  std::string compressed_;
};

}  // namespace sluice::io::parquet
