// Opens one Parquet file: checks the magic numbers and the footer, maps its schema, and hands out
// column-chunk readers, row-group statistics, page indexes and bloom filters.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/scalar.h"
#include "io/fs/file.h"
#include "io/parquet/format/metadata.h"
#include "io/parquet/reader/column_reader.h"
#include "io/parquet/reader/schema_mapping.h"

namespace sluice::io::parquet {

/// Min/max/null count of one column in one row group, decoded to the column's logical type.
/// A bound is absent when the file has none or when it cannot be trusted (e.g. the deprecated
/// signed min/max of a string column, or a NaN bound).
struct ColumnStatistics {
  std::optional<Scalar> min;
  std::optional<Scalar> max;
  std::optional<int64_t> null_count;
  std::optional<int64_t> distinct_count;
};

class ParquetFile {
 public:
  /// Opens and validates `path`; errors name the file and what is wrong with it.
  static std::shared_ptr<ParquetFile> Open(const std::string& path);

  const std::string& path() const { return file_.path(); }
  const FileMetaData& metadata() const { return metadata_; }
  const FileSchema& schema() const { return schema_; }
  int num_row_groups() const { return static_cast<int>(metadata_.row_groups.size()); }
  int64_t num_rows() const { return metadata_.num_rows; }
  int64_t RowGroupRows(int row_group) const { return metadata_.row_groups[row_group].num_rows; }

  /// Returns the index of the readable column `name`, or throws: "unsupported" for a nested
  /// column, "not found" with a suggestion otherwise.
  size_t ColumnIndexOf(const std::string& name) const;

  /// A reader of column `column` (index into schema().columns) in `row_group`.
  std::unique_ptr<ColumnChunkReader> OpenColumn(int row_group, size_t column,
                                                MemoryPool* pool = MemoryPool::Default()) const;

  ColumnStatistics Statistics(int row_group, size_t column) const;
  /// Whether the column chunk's metadata lists dictionary encoding for (some of) its pages.
  bool DictionaryEncoded(int row_group, size_t column) const;

  /// The page index of a column chunk, when the file has one.
  std::optional<ColumnIndex> ReadColumnIndex(int row_group, size_t column) const;
  std::optional<OffsetIndex> ReadOffsetIndex(int row_group, size_t column) const;

  /// Checks the column chunk's bloom filter: false means no row holds `plain_value` (the PLAIN
  /// encoding of a value, without a length prefix for byte arrays). True when there is no filter.
  bool BloomFilterMightContain(int row_group, size_t column, std::string_view plain_value) const;

 private:
  ParquetFile(RandomAccessFile file, FileMetaData metadata, FileSchema schema, uint64_t data_end);
  void Validate() const;
  const ColumnChunk& Chunk(int row_group, size_t column) const;
  std::string Context(int row_group, size_t column) const;

  RandomAccessFile file_;
  FileMetaData metadata_;
  FileSchema schema_;
  uint64_t data_end_;  ///< Where the footer starts: no column data lies at or after it.
};

/// Decodes a PLAIN-encoded statistics value of `leaf` to a scalar of its logical type; nullopt
/// when the bytes have the wrong size.
std::optional<Scalar> DecodeStatisticsValue(const LeafColumn& leaf, std::string_view bytes);

}  // namespace sluice::io::parquet
