// Multi-file, hive-aware, parallel, order-preserving Parquet scanning.
#include "io/parquet/reader/scanner.h"

#include <charconv>
#include <filesystem>
#include <map>

#include "core/column_builder.h"
#include "core/error.h"
#include "io/fs/glob.h"
#include "io/fs/hive.h"

namespace sluice::io::parquet {

/// One row group being read: its column readers and at most one decoded batch waiting.
struct ParquetScanner::Cursor {
  size_t file = 0;
  int row_group = 0;
  int64_t rows_left = 0;
  std::vector<std::unique_ptr<ColumnChunkReader>>
      readers;  ///< Parallel to file_fields_; null = absent.
  std::optional<Batch> pending;
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
  if (!prefetcher_.joinable()) return;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  prefetcher_.join();
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
    auto cursor = std::make_unique<Cursor>();
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

void ParquetScanner::DecodeStep() {
  // The front row group, plus the next ones without a waiting batch: at most one open row
  // group per worker. (Opening another whenever those had a batch waiting let the open row
  // groups, each with its page buffers and a batch, pile up with the size of the input.)
  std::vector<Cursor*> step;
  size_t want = static_cast<size_t>(std::max(1, threads_->size()));
  for (size_t i = 0; i < want; ++i) {
    if (i == active_.size() && !OpenCursor()) break;
    Cursor* cursor = active_[i].get();
    if (!cursor->pending && cursor->rows_left > 0) step.push_back(cursor);
  }
  size_t columns = file_fields_.size();
  std::vector<std::vector<Column>> decoded(step.size(), std::vector<Column>(columns));
  std::vector<int64_t> rows(step.size());
  for (size_t s = 0; s < step.size(); ++s)
    rows[s] = std::min(options_.batch_size, step[s]->rows_left);
  threads_->ParallelFor(static_cast<int64_t>(step.size() * columns), [&](int64_t task) {
    size_t s = static_cast<size_t>(task) / columns, c = static_cast<size_t>(task) % columns;
    auto& reader = step[s]->readers[c];
    if (reader == nullptr) {
      ColumnBuilder nulls(file_fields_[c].type, options_.pool);
      for (int64_t r = 0; r < rows[s]; ++r) nulls.AppendNull();
      decoded[s][c] =
          tests_[c] ? PassesOf(tests_[c](nulls.Finish()), options_.pool) : nulls.Finish();
      return;
    }
    decoded[s][c] = reader->Read(rows[s]);
    if (decoded[s][c].length != rows[s]) {
      ThrowInvalid(
          "'{}', row group {}, column '{}': holds {} rows where the row group declares {} more",
          files_[step[s]->file]->path(), step[s]->row_group, file_fields_[c].name,
          decoded[s][c].length, rows[s]);
    }
  });
  for (size_t s = 0; s < step.size(); ++s) {
    Batch batch;
    batch.schema = schema_;
    batch.num_rows = rows[s];
    batch.columns.resize(schema_->size());
    for (size_t c = 0; c < columns; ++c)
      batch.columns[file_field_position_[c]] = std::move(decoded[s][c]);
    for (size_t p = 0; p < output_partitions_.size(); ++p) {
      batch.columns[partition_position_[p]] =
          PartitionColumn(partitions_[output_partitions_[p]], step[s]->file, rows[s]);
    }
    step[s]->rows_left -= rows[s];
    step[s]->pending = std::move(batch);
  }
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
    if (active_.empty() && !OpenCursor()) return false;
    Cursor& front = *active_.front();
    if (front.pending) {
      *out = std::move(*front.pending);
      front.pending.reset();
      out->seq = next_seq_++;
      if (front.rows_left == 0) active_.pop_front();
      return true;
    }
    if (front.rows_left == 0) {  // An empty row group.
      active_.pop_front();
      continue;
    }
    DecodeStep();
  }
}

}  // namespace sluice::io::parquet
