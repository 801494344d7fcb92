// What a Parquet writer can be asked to do: codec, row-group and page sizes, data page version,
// dictionary encoding, statistics, page index and bloom filters.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "io/compress/codec.h"

namespace sluice::io::parquet {

struct WriterOptions {
  Codec compression = Codec::kZstd;
  int compression_level = 0;         ///< 0 = the codec's default.
  int64_t row_group_size = 1 << 20;  ///< Rows per row group.
  int64_t page_size = 1 << 20;       ///< Target uncompressed bytes per data page.
  int64_t page_row_limit = 20000;    ///< Rows per data page, so the page index can skip finely.
  int data_page_version = 1;         ///< 1 or 2.
  bool dictionary = true;
  /// Above this many bytes of distinct values a column falls back to PLAIN for the rest of its
  /// chunk.
  int64_t dictionary_size_limit = 1 << 20;
  bool statistics = true;
  bool page_index = true;
  std::vector<std::string> bloom_filter_columns;
  double bloom_filter_fpp = 0.01;
  /// Keeps page buffers, dictionary tables and the file buffer from one row group to the next,
  /// which saves growing them again. A writer that sits idle among many open ones (a partition's
  /// file in a partitioned write) frees them instead. Changes no byte of the file.
  bool reuse_buffers = true;
  /// Written to the footer; deliberately without build time or host so files are reproducible.
  std::string created_by = std::string("sluice version ") + SLUICE_VERSION;
};

}  // namespace sluice::io::parquet
