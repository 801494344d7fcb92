// Writes batches to one Parquet file, atomically: the file appears under its name, complete, only
// when Close succeeds; an error or a destroyed writer leaves no partial file and any earlier file
// intact. The bytes depend only on the rows and the options, never on thread count, time or
// memory pressure.
//
// Each column is encoded in a lane of its own: its slices of the batches, in order, on the
// thread pool. Lanes run side by side and need not wait for each other at each batch, so a file
// of a few columns of unequal cost (a 16-byte decimal beside a 4-byte key) keeps every core busy;
// Write returns once no lane has more than a few slices queued. A row group is written to the
// file, in order, when every lane has finished it.
//
// Until then a row group is buffered as encoded pages (up to a million rows, tens of MB per
// writer, and a partitioned write keeps up to a hundred writers open). So the writer is a
// spillable consumer of its memory pool: asked for memory, it appends each column's buffered
// pages to a spill file, and writing the row group copies them back in order, giving the same
// bytes as if they had stayed in memory.
#pragma once

#include <condition_variable>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
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

  /// Appends the rows of `batch` (whose schema must match). A failure of an earlier batch's
  /// encoding may surface here.
  void Write(const Batch& batch);
  /// Waits (helping) until every row given to Write is encoded into pages, which Spill can then
  /// move; rethrows a lane's failure.
  void Settle();
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
  struct Lanes;

  /// Queues rows [offset, offset + rows) of every column of `batch`, then the finishing of the
  /// row group if `ends_group`.
  void Enqueue(const Batch& batch, int64_t offset, int64_t rows, bool ends_group);
  /// Runs lane `c` until it is empty; called with lanes_->mutex held (through `lock`), which it
  /// releases while encoding.
  void Drain(size_t c, std::unique_lock<std::mutex>& lock);
  /// Helps with (or waits for) the lanes until none has more than `most` slices queued, or none
  /// is busy at all when `most` is 0; rethrows a lane's failure.
  void WaitForLanes(size_t most);
  /// Writes the row groups at the front that every lane has finished, in order; called with
  /// lanes_->mutex held (through `lock`), which it releases while writing.
  void WriteFinishedGroups(std::unique_lock<std::mutex>& lock);
  /// Writes a finished row group's chunks to the file.
  void WriteRowGroup(std::vector<EncodedChunk> chunks, int64_t rows);

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
  /// Shared with the lanes' queued tasks, which may start after the writer is gone and then do
  /// nothing.
  std::shared_ptr<Lanes> lanes_;
};

}  // namespace sluice::io::parquet
