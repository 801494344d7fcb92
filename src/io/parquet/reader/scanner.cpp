// Multi-file, hive-aware, parallel, order-preserving Parquet scanning.
#include "io/parquet/reader/scanner.h"

#include <charconv>
#include <filesystem>
#include <map>

#include "core/column_builder.h"
#include "core/error.h"
#include "core/take.h"
#include "io/fs/glob.h"
#include "io/fs/hive.h"

namespace sluice::io::parquet {

/// One row group being read: its column readers and the decodes of its next batches, which run
/// on the thread pool one batch per task (or on the caller of Next, if no worker has started
/// the one it needs yet).
struct ParquetScanner::Cursor {
  size_t file = 0;
  int row_group = 0;
  std::vector<std::unique_ptr<ColumnChunkReader>>
      readers;  ///< Parallel to file_fields_; null = absent.

  enum class State : uint8_t { kIdle, kQueued, kRunning, kCancelled };
  std::mutex mutex;  ///< Guards the members below (and hands the readers between threads).
  std::condition_variable decoded;
  State state = State::kIdle;
  int64_t rows_left = 0;      ///< Not yet decoded.
  std::deque<Batch> batches;  ///< Decoded, in order, waiting for Next.
  int64_t bytes_ahead = 0;    ///< What `batches` take.
  std::exception_ptr error;   ///< Why decoding failed (after the batches).

  /// Whether the pool should decode another batch ahead (with the mutex held): while the
  /// batches held ahead, and one more of `batch_bytes` (the size of the last batch decoded, 0
  /// while none is known), fit in `room`, a share of the memory budget. Under a tight limit, wide
  /// batches decoded ahead took the memory that a spilling join's partitions needed (at 1 GB it
  /// failed now and then, 'nothing left to spill'); those are decoded by Next when needed.
  bool WantsDecode(int64_t batch_bytes, int64_t room) const {
    return state == State::kIdle && rows_left > 0 && !error &&
           static_cast<int>(batches.size()) < kBatchesAhead && batch_bytes > 0 &&
           bytes_ahead + batch_bytes <= room;
  }
  /// Starts a decode of an idle cursor that has no batch waiting and rows left (when the pool
  /// does not decode ahead); false otherwise.
  bool ClaimIdle() {
    std::lock_guard lock(mutex);
    if (state != State::kIdle || !batches.empty() || rows_left == 0 || error) return false;
    state = State::kRunning;
    return true;
  }
  /// Moves a queued decode to running; false if it ran or was cancelled already.
  bool Claim() {
    std::lock_guard lock(mutex);
    if (state != State::kQueued) return false;
    state = State::kRunning;
    return true;
  }
  /// Decoded batches per row group held ahead of the reader: two let every open row group
  /// decode while the front one is being read, at one more batch of memory each.
  static constexpr int kBatchesAhead = 2;
};

std::vector<std::string> ResolveParquetPaths(const std::string& path) {
  if (HasGlob(path)) return ExpandGlob(path);
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    std::string base = path;
    while (base.size() > 1 && base.back() == '/') base.pop_back();
    return ExpandGlob(base + "/**/*.parquet");
  }
  return {path};
}

namespace {
bool ParsesAsInt64(const std::string& text) {
  int64_t value;
  auto result = std::from_chars(text.data(), text.data() + text.size(), value);
  return !text.empty() && result.ec == std::errc() && result.ptr == text.data() + text.size();
}
}  // namespace

ParquetScanner::ParquetScanner(const std::vector<std::string>& paths, ScanOptions options)
    : options_(std::move(options)),
      threads_(options_.threads ? options_.threads : &ThreadPool::Default()) {
  if (paths.empty()) ThrowInvalid("no Parquet files to read");
  if (options_.batch_size <= 0)
    ThrowInvalid("batch size must be positive, not {}", options_.batch_size);
  files_.resize(paths.size());
  threads_->ParallelFor(static_cast<int64_t>(paths.size()),
                        [&](int64_t i) { files_[i] = ParquetFile::Open(paths[i]); });
  for (const auto& file : files_) {
    total_rows_ += file->num_rows();
    row_groups_total_ += file->num_row_groups();
  }
  BuildSchema();
}

ParquetScanner::~ParquetScanner() {
  if (prefetcher_.joinable()) {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    changed_.notify_all();
    prefetcher_.join();
  }
  // Decodes still queued must not start, and running ones use this scanner: wait for them.
  for (const auto& cursor : active_) {
    std::unique_lock lock(cursor->mutex);
    if (cursor->state == Cursor::State::kQueued) cursor->state = Cursor::State::kCancelled;
    cursor->decoded.wait(lock, [&] { return cursor->state != Cursor::State::kRunning; });
  }
}

void ParquetScanner::PrefetchLoop() {
  try {
    while (true) {
      {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] {
          return stopping_ || static_cast<int>(ready_.size()) < options_.prefetch_batches;
        });
        if (stopping_) break;
      }
      Batch batch;
      bool more = DecodeNext(&batch);
      std::lock_guard lock(mutex_);
      if (!more) break;
      ready_.push_back(std::move(batch));
      changed_.notify_all();
    }
  } catch (...) {
    std::lock_guard lock(mutex_);
    error_ = std::current_exception();
  }
  std::lock_guard lock(mutex_);
  finished_ = true;
  changed_.notify_all();
}

void ParquetScanner::BuildSchema() {
  // Hive partitions: the same keys, in the same order, in every file's path.
  std::vector<std::vector<HivePartition>> per_file;
  bool all_have = true;
  for (const auto& file : files_) {
    per_file.push_back(ParseHivePartitions(file->path()));
    all_have = all_have && !per_file.back().empty();
  }
  bool hive = options_.hive == ScanOptions::Hive::kOn ||
              (options_.hive == ScanOptions::Hive::kAuto && all_have);
  if (hive) {
    for (size_t f = 0; f < files_.size(); ++f) {
      const auto& keys = per_file[f];
      if (f == 0) {
        for (const auto& partition : keys) partitions_.push_back({partition.key, Int64(), {}});
      }
      if (keys.size() != partitions_.size()) {
        ThrowInvalid("'{}' has {} hive partition folders but '{}' has {}", files_[f]->path(),
                     keys.size(), files_[0]->path(), partitions_.size());
      }
      for (size_t k = 0; k < keys.size(); ++k) {
        if (keys[k].key != partitions_[k].name) {
          ThrowInvalid("'{}' is partitioned by '{}' where '{}' is partitioned by '{}'",
                       files_[f]->path(), keys[k].key, files_[0]->path(), partitions_[k].name);
        }
        partitions_[k].values.push_back(keys[k].value);
      }
    }
    // Partition values that are all integers become int64 columns, others utf8 (as DuckDB does).
    for (auto& partition : partitions_) {
      for (const auto& value : partition.values) {
        if (value && !ParsesAsInt64(*value)) partition.type = Utf8();
      }
    }
  }

  // The file columns: the first file's, or with union_by_name the union in first-seen order.
  std::vector<Field> all_fields = files_[0]->schema().schema.fields();
  for (size_t f = 1; f < files_.size(); ++f) {
    const Schema& schema = files_[f]->schema().schema;
    for (const Field& field : schema.fields()) {
      auto it = std::find_if(all_fields.begin(), all_fields.end(),
                             [&](const Field& known) { return known.name == field.name; });
      if (it == all_fields.end()) {
        if (!options_.union_by_name) {
          ThrowInvalid(
              "'{}' has a column '{}' that '{}' does not have; unify files by column name with "
              "--union-by-name",
              files_[f]->path(), field.name, files_[0]->path());
        }
        all_fields.push_back(field);
        all_fields.back().nullable = true;
      } else if (!(it->type == field.type)) {
        ThrowInvalid("column '{}' is {} in '{}' but {} in '{}'", field.name, it->type.ToString(),
                     files_[0]->path(), field.type.ToString(), files_[f]->path());
      }
    }
    if (!options_.union_by_name && schema.size() != all_fields.size()) {
      for (const Field& field : all_fields) {
        if (!schema.FindField(field.name)) {
          ThrowInvalid(
              "'{}' lacks the column '{}' that '{}' has; unify files by column name with "
              "--union-by-name",
              files_[f]->path(), field.name, files_[0]->path());
        }
      }
    }
  }

  // The projection, in the order asked for.
  std::vector<std::string> names = options_.columns;
  if (names.empty()) {
    for (const auto& file : files_) {
      if (!file->schema().unsupported.empty()) {
        const auto& first = file->schema().unsupported.front();
        ThrowUnsupported(
            "'{}': column '{}' is a {}, which sluice cannot read yet; select the other columns",
            file->path(), first.name, first.reason);
      }
    }
    for (const Field& field : all_fields) names.push_back(field.name);
    for (const auto& partition : partitions_) names.push_back(partition.name);
  }
  Schema all_schema(all_fields);
  std::vector<Field> output;
  for (const std::string& name : names) {
    auto partition = std::find_if(partitions_.begin(), partitions_.end(),
                                  [&](const Partition& p) { return p.name == name; });
    if (partition != partitions_.end()) {
      partition_position_.push_back(output.size());
      output_partitions_.push_back(static_cast<size_t>(partition - partitions_.begin()));
      output.push_back({name, partition->type, true});
      continue;
    }
    if (!all_schema.FindField(name)) files_[0]->ColumnIndexOf(name);  // throws the right error
    size_t index = *all_schema.FindField(name);
    file_field_position_.push_back(output.size());
    file_fields_.push_back(all_fields[index]);
    tests_.push_back(TestFor(name));
    output.push_back(tests_.back() ? Field{name, Bool(), false} : all_fields[index]);
  }
  for (const auto& file : files_) {
    std::vector<int> map;
    for (const Field& field : file_fields_) {
      auto index = file->schema().schema.FindField(field.name);
      map.push_back(index ? static_cast<int>(*index) : -1);
    }
    column_map_.push_back(std::move(map));
  }
  schema_ = std::make_shared<Schema>(std::move(output));
}

std::function<Column(const Column&)> ParquetScanner::TestFor(const std::string& name) const {
  auto test = options_.column_tests.find(name);
  if (test == options_.column_tests.end()) return nullptr;
  // Testing pays where each distinct value is tested once: a dictionary-encoded column.
  const ParquetFile& file = *files_[0];
  const auto column = file.schema().schema.FindField(name);
  if (!column || file.num_row_groups() == 0) return nullptr;
  const bool dictionary = file.DictionaryEncoded(0, *column);
  return dictionary ? test->second : nullptr;
}

bool ParquetScanner::OpenCursor() {
  while (next_file_ < files_.size()) {
    const ParquetFile& file = *files_[next_file_];
    if (next_row_group_ >= file.num_row_groups()) {
      ++next_file_;
      next_row_group_ = 0;
      continue;
    }
    int row_group = next_row_group_++;
    if (options_.keep_row_group && !options_.keep_row_group(file, row_group)) {
      ++row_groups_skipped_;
      continue;
    }
    auto cursor = std::make_shared<Cursor>();
    cursor->file = next_file_;
    cursor->row_group = row_group;
    cursor->rows_left = file.RowGroupRows(row_group);
    for (size_t c = 0; c < column_map_[next_file_].size(); ++c) {
      const int column = column_map_[next_file_][c];
      cursor->readers.push_back(
          column < 0 ? nullptr
                     : file.OpenColumn(row_group, static_cast<size_t>(column), options_.pool));
      if (column >= 0 && tests_[c]) cursor->readers.back()->SetTest(tests_[c]);
    }
    active_.push_back(std::move(cursor));
    return true;
  }
  return false;
}

Column ParquetScanner::PartitionColumn(const Partition& partition, size_t file,
                                       int64_t rows) const {
  ColumnBuilder builder(partition.type, options_.pool);
  const auto& value = partition.values[file];
  for (int64_t r = 0; r < rows; ++r) {
    if (!value) {
      builder.AppendNull();
    } else if (partition.type.id == TypeId::kInt64) {
      int64_t number = 0;
      std::from_chars(value->data(), value->data() + value->size(), number);
      builder.Append<int64_t>(number);
    } else {
      builder.AppendString(*value);
    }
  }
  return builder.Finish();
}

void ParquetScanner::Schedule() {
  // At most one open row group per worker. (Opening another whenever those had batches waiting
  // let the open row groups, each with its page buffers and batches, pile up with the size of
  // the input.)
  const size_t want = static_cast<size_t>(std::max(1, threads_->size()));
  for (size_t i = 0; i < want; ++i) {
    if (i == active_.size() && !OpenCursor()) break;
    const std::shared_ptr<Cursor>& cursor = active_[i];
    std::lock_guard lock(cursor->mutex);
    if (cursor->WantsDecode(batch_bytes_, RoomAhead())) Queue(cursor);
  }
}

int64_t ParquetScanner::RoomAhead() const {
  const MemoryPool* pool = options_.pool != nullptr ? options_.pool : MemoryPool::Default();
  return pool->limit() / kBudgetShareAhead / std::max(1, threads_->size());
}

void ParquetScanner::Queue(const std::shared_ptr<Cursor>& cursor) {
  cursor->state = Cursor::State::kQueued;
  // The task holds the cursor: one that starts after the scanner is gone finds it cancelled.
  threads_->Submit([this, cursor] {
    if (cursor->Claim()) Decode(cursor);
  });
}

void ParquetScanner::Decode(const std::shared_ptr<Cursor>& cursor) {
  const int64_t rows = std::min(options_.batch_size, cursor->rows_left);
  std::optional<Batch> batch;
  std::exception_ptr error;
  try {
    batch = DecodeBatch(*cursor, rows);
  } catch (...) {
    error = std::current_exception();
  }
  const int64_t bytes = batch ? BatchBytes(*batch) : 0;
  if (batch) batch_bytes_ = bytes;
  std::lock_guard lock(cursor->mutex);
  if (batch) {
    cursor->batches.push_back(std::move(*batch));
    cursor->bytes_ahead += bytes;
  }
  cursor->error = error;
  cursor->rows_left -= rows;
  cursor->state = Cursor::State::kIdle;
  if (cursor->WantsDecode(batch_bytes_, RoomAhead())) Queue(cursor);
  cursor->decoded.notify_all();
}

Batch ParquetScanner::DecodeBatch(Cursor& cursor, int64_t rows) {
  const size_t columns = file_fields_.size();
  std::vector<Column> decoded(columns);
  std::vector<bool> read(columns, false);
  // Which rows of the `rows` the decoded columns hold (none: all of them).
  std::optional<std::vector<int64_t>> selected;
  // Columns decode in parallel: the last row groups of a scan have no other work beside.
  auto read_columns = [&](const std::vector<size_t>& which) {
    std::vector<size_t> unread;
    for (size_t c : which)
      if (!read[c]) unread.push_back(c);
    threads_->ParallelFor(static_cast<int64_t>(unread.size()), [&](int64_t i) {
      const size_t c = unread[static_cast<size_t>(i)];
      decoded[c] = ReadColumn(cursor, c, rows, selected ? &*selected : nullptr);
    });
    for (size_t c : unread) read[c] = true;
  };
  // The row filters in turn, each on its columns of the rows that passed the ones before.
  for (const RowFilterStage& stage : row_filters_) {
    read_columns(stage.columns);
    Batch input;
    input.schema = stage.schema;
    input.num_rows = selected ? static_cast<int64_t>(selected->size()) : rows;
    for (size_t c : stage.columns) input.columns.push_back(decoded[c]);
    const std::vector<int64_t> pass = stage.filter(input);
    if (static_cast<int64_t>(pass.size()) == input.num_rows) continue;
    for (size_t c = 0; c < columns; ++c) {
      if (read[c])
        decoded[c] =
            Take(decoded[c], pass.data(), static_cast<int64_t>(pass.size()), options_.pool);
    }
    if (selected) {
      std::vector<int64_t> rows_of;
      rows_of.reserve(pass.size());
      for (int64_t p : pass) rows_of.push_back((*selected)[static_cast<size_t>(p)]);
      selected = std::move(rows_of);
    } else {
      selected = pass;
    }
  }
  std::vector<size_t> all(columns);
  for (size_t c = 0; c < columns; ++c) all[c] = c;
  read_columns(all);

  Batch batch;
  batch.schema = schema_;
  batch.num_rows = selected ? static_cast<int64_t>(selected->size()) : rows;
  batch.columns.resize(schema_->size());
  for (size_t c = 0; c < columns; ++c)
    batch.columns[file_field_position_[c]] = std::move(decoded[c]);
  for (size_t p = 0; p < output_partitions_.size(); ++p) {
    batch.columns[partition_position_[p]] =
        PartitionColumn(partitions_[output_partitions_[p]], cursor.file, batch.num_rows);
  }
  rows_read_ += rows;
  return batch;
}

Column ParquetScanner::ReadColumn(Cursor& cursor, size_t c, int64_t rows,
                                  const std::vector<int64_t>* selected) const {
  const int64_t want = selected ? static_cast<int64_t>(selected->size()) : rows;
  auto& reader = cursor.readers[c];
  if (reader == nullptr) {  // A column this file lacks.
    ColumnBuilder nulls(file_fields_[c].type, options_.pool);
    for (int64_t r = 0; r < want; ++r) nulls.AppendNull();
    return tests_[c] ? PassesOf(tests_[c](nulls.Finish()), options_.pool) : nulls.Finish();
  }
  Column column = selected ? reader->ReadSelected(rows, *selected) : reader->Read(rows);
  if (column.length != want) {
    ThrowInvalid(
        "'{}', row group {}, column '{}': holds {} rows where the row group declares {} more",
        files_[cursor.file]->path(), cursor.row_group, file_fields_[c].name, column.length, rows);
  }
  return column;
}

bool ParquetScanner::ReadsFromFiles(const std::string& column) const {
  return std::any_of(file_fields_.begin(), file_fields_.end(),
                     [&](const Field& field) { return field.name == column; });
}

void ParquetScanner::FilterRows(const std::vector<std::string>& columns, RowFilter filter) {
  if (next_seq_ > 0 || !active_.empty())
    ThrowInternal("a row filter was added to a Parquet scan that had started");
  RowFilterStage stage;
  std::vector<Field> fields;
  for (const std::string& name : columns) {
    auto at = std::find_if(file_fields_.begin(), file_fields_.end(),
                           [&](const Field& field) { return field.name == name; });
    if (at == file_fields_.end())
      ThrowInternal("the scan filters on '{}', which it does not read from the files", name);
    stage.columns.push_back(static_cast<size_t>(at - file_fields_.begin()));
    fields.push_back(schema_->field(file_field_position_[stage.columns.back()]));
  }
  stage.schema = std::make_shared<Schema>(std::move(fields));
  stage.filter = std::move(filter);
  row_filters_.push_back(std::move(stage));
}

bool ParquetScanner::Next(Batch* out) {
  if (options_.prefetch_batches <= 0) return DecodeNext(out);
  if (!prefetcher_.joinable() && !finished_) prefetcher_ = std::thread([this] { PrefetchLoop(); });
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return !ready_.empty() || finished_; });
  if (!ready_.empty()) {
    *out = std::move(ready_.front());
    ready_.pop_front();
    changed_.notify_all();
    return true;
  }
  if (error_) std::rethrow_exception(error_);
  return false;
}

bool ParquetScanner::DecodeNext(Batch* out) {
  while (true) {
    Schedule();
    if (active_.empty()) return false;
    const std::shared_ptr<Cursor> front = active_.front();
    if (front->ClaimIdle()) Decode(front);  // Not decoding ahead: decode it here.
    if (front->Claim()) Decode(front);      // No worker has started it: decode here, not wait.
    std::unique_lock lock(front->mutex);
    front->decoded.wait(
        lock, [&] { return !front->batches.empty() || front->state != Cursor::State::kRunning; });
    bool produced = false;
    if (!front->batches.empty()) {
      *out = std::move(front->batches.front());
      front->batches.pop_front();
      front->bytes_ahead -= BatchBytes(*out);
      out->seq = next_seq_++;
      produced = true;
    } else if (front->error) {
      std::rethrow_exception(front->error);
    }
    const bool finished = front->batches.empty() && front->rows_left == 0 && !front->error &&
                          front->state == Cursor::State::kIdle;
    lock.unlock();
    if (finished) active_.pop_front();
    if (produced) return true;
  }
}

}  // namespace sluice::io::parquet
