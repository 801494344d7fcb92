// Writes batches to one Parquet file, atomically: the file appears under its name, complete, only
// when Close succeeds; an error or a destroyed writer leaves no partial file and any earlier file
// intact. The bytes depend only on the rows and the options, never on thread count or time.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/batch.h"
#include "core/thread_pool.h"
#include "io/fs/atomic_file.h"
#include "io/parquet/writer/column_writer.h"
#include "io/parquet/writer/writer_options.h"

namespace sluice::io::parquet {

class ParquetWriter {
 public:
  ParquetWriter(const std::string& path, const Schema& schema, WriterOptions options,
                ThreadPool* threads = nullptr);
  ~ParquetWriter();

  /// Appends the rows of `batch` (whose schema must match).
  void Write(const Batch& batch);
  /// Writes the last row group, the page index and the footer, then publishes the file.
  void Close();

  int64_t rows_written() const { return rows_written_; }
  uint64_t bytes_written() const { return file_.bytes_written(); }

 private:
  void FlushRowGroup();

  Schema schema_;
  WriterOptions options_;
  ThreadPool* threads_;
  AtomicFileWriter file_;
  std::vector<std::unique_ptr<ColumnChunkWriter>> columns_;
  FileMetaData metadata_;
  /// Page indexes and bloom filters wait for the end of the file, as the spec lays them out.
  std::vector<std::vector<EncodedChunk>> pending_indexes_;
  int64_t row_group_rows_ = 0;
  int64_t rows_written_ = 0;
  bool closed_ = false;
};

}  // namespace sluice::io::parquet
