// Writes batches to one Parquet file, atomically: the file appears under its name, complete, only
// when Close succeeds; an error or a destroyed writer leaves no partial file and any earlier file
// intact. The bytes depend only on the rows and the options, never on thread count, time or
// memory pressure.
//
// A row group is buffered as encoded pages until it is complete (up to a million rows, tens of
// MB per writer, and a partitioned write keeps up to a hundred writers open). So the writer is a
// spillable consumer of its memory pool: asked for memory, it appends each column's buffered
// pages to a spill file, and the row group's flush copies them back in order, giving the same
// bytes as if they had stayed in memory.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/batch.h"
#include "core/memory_pool.h"
#include "core/thread_pool.h"
#include "io/fs/atomic_file.h"
#include "io/parquet/writer/column_writer.h"
#include "io/parquet/writer/writer_options.h"

namespace sluice::io::parquet {

class ParquetWriter final : public SpillableConsumer {
 public:
  /// `threads` and `pool` default to ThreadPool::Default() and MemoryPool::Default(). The writer
  /// accounts its buffered pages against `pool` and registers with it as a spillable consumer.
  ParquetWriter(const std::string& path, const Schema& schema, WriterOptions options,
                ThreadPool* threads = nullptr, MemoryPool* pool = nullptr);
  ~ParquetWriter() override;
  ParquetWriter(const ParquetWriter&) = delete;
  ParquetWriter& operator=(const ParquetWriter&) = delete;

  /// Appends the rows of `batch` (whose schema must match).
  void Write(const Batch& batch);
  /// Writes the last row group, the page index and the footer, then publishes the file.
  void Close();

  int64_t rows_written() const { return rows_written_; }
  uint64_t bytes_written() const { return file_.bytes_written(); }

  /// The encoded pages of the open row group buffered in memory, over all columns.
  int64_t SpillableBytes() const override;
  /// Moves those pages to spill files (a column busy on another thread is skipped); returns the
  /// bytes released. Any thread, at any time, also from inside this writer's own Write.
  int64_t Spill() override;

 private:
  void FlushRowGroup();

  Schema schema_;
  WriterOptions options_;
  ThreadPool* threads_;
  MemoryPool* pool_;
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
