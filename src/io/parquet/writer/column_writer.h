// Writes one column of a row group: values arrive a batch at a time and leave as encoded,
// compressed pages (dictionary with PLAIN fallback, RLE definition levels, data page v1 or v2),
// with chunk statistics, the page index and an optional bloom filter.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/column.h"
#include "core/schema.h"
#include "io/parquet/format/bloom_filter.h"
#include "io/parquet/format/metadata.h"
#include "io/parquet/writer/dictionary_builder.h"
#include "io/parquet/writer/physical_values.h"
#include "io/parquet/writer/writer_options.h"

namespace sluice::io::parquet {

/// A finished column chunk: its bytes and metadata, offsets relative to the chunk's start.
struct EncodedChunk {
  std::string bytes;
  ColumnMetaData metadata;
  std::optional<ColumnIndex> column_index;
  OffsetIndex offset_index;
  std::optional<SplitBlockBloomFilter> bloom_filter;
};

class ColumnChunkWriter {
 public:
  ColumnChunkWriter(const Field& field, SchemaElement element, const WriterOptions& options,
                    bool bloom_filter);

  /// Appends rows [offset, offset + length) of `column`.
  void Write(const Column& column, int64_t offset, int64_t length);
  /// Closes the chunk and resets the writer for the next row group.
  EncodedChunk Finish();

 private:
  /// Adds dense values [first, first + count) of values_ to the page.
  void AddValues(int64_t first, int64_t count);
  void FlushPage();
  /// Computes the page's min/max for fixed-width and dictionary pages.
  void UpdatePageBounds();
  void WritePage(PageHeader header, const std::string& levels, const std::string& values);
  int64_t PageBytesEstimate() const;

  Field field_;
  SchemaElement element_;
  const WriterOptions& options_;
  SortKind sort_kind_;
  bool want_bloom_filter_;

  // The chunk so far.
  std::string data_pages_;
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

  /// Accounts the encoded pages and the dictionary of the chunk in progress.
  MemoryReservation reservation_;

  // Scratch reused across batches.
  std::vector<uint8_t> levels_;
  PhysicalValues values_;
  std::string compressed_;
};

}  // namespace sluice::io::parquet
