// Scans one or many Parquet files (a path, a glob, a folder, hive-partitioned folders) as a
// stream of batches in file and row-group order. Only the projected columns are decoded, and
// with a row filter the columns it does not read only for the rows that pass. Under a roomy
// memory limit each open row group (one per worker) decodes its next batches as tasks on the
// thread pool, at most two ahead; under a tight one Next decodes the batch it needs. Memory
// follows the batch size and not the files' row-group sizes.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/batch.h"
#include "core/thread_pool.h"
#include "io/parquet/reader/file_reader.h"

namespace sluice::io::parquet {

struct ScanOptions {
  /// Columns to read, in output order; empty means every column (hive keys included).
  std::vector<std::string> columns;
  int64_t batch_size = 64 * 1024;
  /// Adds `key=value` folder names as columns. Auto: when every file path has them.
  enum class Hive : uint8_t { kAuto, kOn, kOff } hive = Hive::kAuto;
  /// Unifies files whose columns differ by name (missing columns read as null) instead of failing.
  bool union_by_name = false;
  /// Decides per row group whether it may hold wanted rows (statistics pruning); all when unset.
  std::function<bool(const ParquetFile&, int row_group)> keep_row_group;
  MemoryPool* pool = MemoryPool::Default();
  ThreadPool* threads = nullptr;  ///< The default pool when null.
  /// Columns read only to be tested (a pushed-down predicate on that column alone): where the
  /// first row group stores such a column dictionary-encoded, the batches carry instead a bool
  /// column of whether each row passes its test (see ColumnChunkReader::SetTest), and the
  /// schema says bool. Others are read as usual.
  std::map<std::string, std::function<Column(const Column& values)>> column_tests;
  /// Batches decoded ahead on a background thread while the caller works on the current one
  /// (0: decode on demand). Memory grows by this many batches.
  int prefetch_batches = 0;
};

/// Expands a path argument into the files it names: a glob, a folder (all *.parquet under it),
/// or a single file. The result is sorted, so scans are deterministic.
std::vector<std::string> ResolveParquetPaths(const std::string& path);

class ParquetScanner {
 public:
  ParquetScanner(const std::vector<std::string>& paths, ScanOptions options);
  ~ParquetScanner();

  /// The schema of the batches: projected file columns, then hive partition columns.
  const SchemaPtr& schema() const { return schema_; }
  /// Total rows in the files (before row-group pruning).
  int64_t total_rows() const { return total_rows_; }
  int64_t row_groups_total() const { return row_groups_total_; }
  int64_t row_groups_skipped() const { return row_groups_skipped_; }
  const std::vector<std::shared_ptr<ParquetFile>>& files() const { return files_; }

  /// Whether `column` is read from the files (not a hive partition column).
  bool ReadsFromFiles(const std::string& column) const;

  /// The indexes of the rows of a batch that pass a filter, ascending.
  using RowFilter = std::function<std::vector<int64_t>(const Batch& filter_columns)>;
  /// Filters rows while reading: each batch's `columns` (file columns of the projection) are
  /// read first and handed to `filter`, and the other columns are read for the rows that pass
  /// alone (ColumnChunkReader::ReadSelected). Filters added later get the rows that passed the
  /// earlier ones. Call before the first Next.
  void FilterRows(const std::vector<std::string>& columns, RowFilter filter);

  /// Produces the next batch in order; returns false at the end.
  bool Next(Batch* out);
  /// Rows read from the files so far, those filtered out included (for progress).
  int64_t rows_read() const { return rows_read_; }

 private:
  bool DecodeNext(Batch* out);
  void PrefetchLoop();
  struct Cursor;
  struct Partition {
    std::string name;
    DataType type;
    std::vector<std::optional<std::string>> values;  ///< One per file.
  };

  void BuildSchema();
  bool OpenCursor();
  /// Opens row groups up to one per worker and queues the decode of their next batches.
  void Schedule();
  /// Queues the decode of the cursor's next batch on the pool (with the cursor's mutex held).
  void Queue(const std::shared_ptr<Cursor>& cursor);
  /// Decodes the cursor's next batch into it, or the error of trying, and queues the one after
  /// while the cursor may hold more (runs on any thread).
  void Decode(const std::shared_ptr<Cursor>& cursor);
  Batch DecodeBatch(Cursor& cursor, int64_t rows);
  /// The bytes of batches each open row group may hold decoded ahead of Next.
  int64_t RoomAhead() const;
  /// Batches decoded ahead take at most this share of the pool's limit (1/64th: 12.5 MB under
  /// --memory-limit 1GB, whose data share is 800 MB), split among the open row groups.
  static constexpr int64_t kBudgetShareAhead = 64;
  /// Reads the next `rows` rows of file column `c` at `cursor`, all of them or the `selected`.
  Column ReadColumn(Cursor& cursor, size_t c, int64_t rows,
                    const std::vector<int64_t>* selected) const;
  Column PartitionColumn(const Partition& partition, size_t file, int64_t rows) const;
  /// The test of column `name`, if it is to be read tested (null: read its values).
  std::function<Column(const Column&)> TestFor(const std::string& name) const;

  ScanOptions options_;
  ThreadPool* threads_;
  std::vector<std::shared_ptr<ParquetFile>> files_;
  std::vector<Partition> partitions_;
  /// For each file and each output file column, the column index in that file (or -1: null).
  std::vector<std::vector<int>> column_map_;
  std::vector<Field> file_fields_;  ///< The projected file columns.
  /// Per projected file column: its test (ScanOptions::column_tests), if it is read tested.
  std::vector<std::function<Column(const Column& values)>> tests_;
  std::vector<size_t> output_partitions_;  ///< Indexes of partitions_ in output order.
  /// Output position of each file column and each partition column.
  std::vector<size_t> file_field_position_, partition_position_;
  SchemaPtr schema_;
  struct RowFilterStage {
    std::vector<size_t> columns;  ///< Indexes into file_fields_ that the filter reads.
    SchemaPtr schema;             ///< Of the batches the filter gets.
    RowFilter filter;
  };
  std::vector<RowFilterStage> row_filters_;  ///< Applied in order.
  std::atomic<int64_t> rows_read_ = 0;
  /// The bytes of the last batch decoded: how much the next one decoded ahead will take.
  std::atomic<int64_t> batch_bytes_ = 0;
  int64_t total_rows_ = 0;
  int64_t row_groups_total_ = 0;
  int64_t row_groups_skipped_ = 0;
  size_t next_file_ = 0;
  int next_row_group_ = 0;
  std::deque<std::shared_ptr<Cursor>> active_;
  uint64_t next_seq_ = 0;

  // Prefetching: a thread runs DecodeNext into ready_, at most prefetch_batches ahead.
  std::thread prefetcher_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Batch> ready_;
  bool finished_ = false;  ///< The prefetcher produced its last batch (or failed).
  bool stopping_ = false;  ///< The scanner is being destroyed.
  std::exception_ptr error_;
};

}  // namespace sluice::io::parquet
