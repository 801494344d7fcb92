// Hive-partitioned Parquet/CSV output: per-batch grouping by partition on the workers, then files
// appended in seq order by one writer at a time, in a staging folder published at the end.
#include "exec/partitioned_sink.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <stdio.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <deque>
#include <filesystem>
#include <map>
#include <mutex>
#include <random>
#include <span>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/error.h"
#include "core/value_format.h"
#include "exec/batch_queue.h"
#include "exec/row_gather.h"
#include "exec/spill_file.h"
#include "io/csv/writer.h"
#include "io/fs/atomic_file.h"
#include "io/fs/hive.h"
#include "io/parquet/writer/file_writer.h"

namespace sluice::exec {

namespace fs = std::filesystem;

namespace {

/// DuckDB's URL encoding of partition keys and values: RFC 3986 unreserved characters stay.
std::string UrlEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    const bool keep = (byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') ||
                      (byte >= '0' && byte <= '9') || byte == '-' || byte == '.' || byte == '_' ||
                      byte == '~';
    if (keep) {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 15]);
    }
  }
  return out;
}

/// The bytes that identify a value of a column (equal bytes, equal folder), without formatting.
std::string_view RawValue(const Column& column, int64_t row) {
  static constexpr std::string_view kFalse = "0";
  static constexpr std::string_view kTrue = "1";
  switch (column.type.id) {
    case TypeId::kBool: return column.BoolAt(row) ? kTrue : kFalse;
    case TypeId::kUtf8:
    case TypeId::kBinary: return column.StringAt(row);
    default: {
      const int width = column.type.FixedWidth();
      return {reinterpret_cast<const char*>(column.values->data()) + row * width,
              static_cast<size_t>(width)};
    }
  }
}

/// One batch's rows grouped by partition folder, in order of first appearance.
struct SplitBatch {
  std::vector<std::string> folders;  ///< "a=1/b=x"
  std::vector<Batch> parts;          ///< The rows of each folder, without partition columns.
};

}  // namespace

std::string PartitionValueText(const Column& column, int64_t row) {
  if (column.IsNull(row)) return std::string(io::kHiveDefaultPartition);
  std::string text = FormatValue(column, row);
  if (column.type.IsFloating() && text.find_first_of(".eni") == std::string::npos) {
    text += ".0";  // DuckDB writes 2.0 and -0.0, not 2 and -0.
  }
  if (column.type.id == TypeId::kTimestamp || column.type.id == TypeId::kTime64) {
    // DuckDB drops trailing zeros of the fraction of a second: 00:00:00.5, not 00:00:00.500.
    const size_t dot = text.rfind('.');
    if (dot != std::string::npos && text.find(':') != std::string::npos && dot > text.rfind(':')) {
      size_t end = dot + 1;
      while (end < text.size() && text[end] >= '0' && text[end] <= '9') ++end;
      size_t last = end;
      while (last > dot + 1 && text[last - 1] == '0') --last;
      text.erase(last == dot + 1 ? dot : last, end - (last == dot + 1 ? dot : last));
    }
  }
  return UrlEncode(text);
}

struct PartitionedSink::State final : SpillableConsumer {
  /// One partition folder's files: at most one open at a time.
  struct Partition {
    std::string folder;
    int next_file = 0;
    bool open = false;
    std::string path;  ///< Of the open file.
    /// The open file's writer, created when its first row group is complete (or at its close).
    std::unique_ptr<io::parquet::ParquetWriter> parquet;
    std::unique_ptr<io::csv::CsvWriter> csv;
    uint64_t last_use = 0;
    /// The open file's rows its writer has not had yet, in order; guarded by
    /// State::buffer_mutex (Spill turns batches into files).
    std::deque<QueuedBatch> buffered;
    int64_t buffered_rows = 0;  ///< Only the writing thread uses it.
  };

  SinkTarget target;
  ExecContext context;
  int max_open = 0;
  std::vector<size_t> partition_columns;
  std::vector<std::string> partition_keys;  ///< Escaped.
  std::vector<size_t> data_columns;
  SchemaPtr data_schema;
  std::string staging;
  bool published = false;

  std::mutex mutex;
  std::map<uint64_t, SplitBatch> pending;
  uint64_t next_seq = 0;
  bool writing = false;

  // Used by the one writing thread only (open_files also by Spill, with buffer_mutex held).
  std::unordered_map<std::string, Partition> partitions;
  std::vector<Partition*> open_files;
  uint64_t clock = 0;
  int64_t rows_written = 0;

  /// Guards open_files and every partition's `buffered`. Never held while reserving memory.
  std::mutex buffer_mutex;
  std::atomic<int64_t> buffered_bytes{0};  ///< Of the batches in memory in `buffered`.

  SplitBatch Split(const Batch& batch) const;
  void Write(SplitBatch split);
  void Open(Partition* partition);
  /// Gives the first `rows` buffered rows of a partition to its writer (creating it).
  void HandOver(Partition* partition, int64_t rows);
  void Close(Partition* partition);
  void CloseAll();
  void Publish();

  int64_t SpillableBytes() const override { return buffered_bytes.load(); }
  int64_t Spill() override;
};

SplitBatch PartitionedSink::State::Split(const Batch& batch) const {
  SplitBatch out;
  const int64_t n = batch.num_rows;
  if (n == 0) return out;
  // Group ids per row, refined column by column; a group's folder grows with each column.
  std::vector<uint32_t> group(static_cast<size_t>(n), 0);
  std::vector<std::string> folders{""};
  std::vector<uint32_t> value_id(static_cast<size_t>(n));
  for (size_t p = 0; p < partition_columns.size(); ++p) {
    const Column& column = batch.columns[partition_columns[p]];
    // Raw value -> text id; texts are deduplicated (NaN payloads, say, print alike).
    std::unordered_map<std::string_view, uint32_t> by_raw;
    std::unordered_map<std::string, uint32_t> by_text;
    std::vector<std::string> texts;
    uint32_t null_id = UINT32_MAX;
    auto text_id = [&](std::string text) {
      auto [it, inserted] = by_text.try_emplace(text, static_cast<uint32_t>(texts.size()));
      if (inserted) texts.push_back(std::move(text));
      return it->second;
    };
    for (int64_t row = 0; row < n; ++row) {
      uint32_t id;
      if (column.IsNull(row)) {
        if (null_id == UINT32_MAX) null_id = text_id(PartitionValueText(column, row));
        id = null_id;
      } else {
        auto it = by_raw.find(RawValue(column, row));
        if (it == by_raw.end()) {
          it =
              by_raw.emplace(RawValue(column, row), text_id(PartitionValueText(column, row))).first;
        }
        id = it->second;
      }
      value_id[row] = id;
    }
    std::unordered_map<uint64_t, uint32_t> refined;
    std::vector<std::string> next_folders;
    for (int64_t row = 0; row < n; ++row) {
      const uint64_t key = (uint64_t{group[row]} << 32) | value_id[row];
      auto [it, inserted] = refined.try_emplace(key, static_cast<uint32_t>(next_folders.size()));
      if (inserted) {
        const std::string& before = folders[group[row]];
        next_folders.push_back(before + (before.empty() ? "" : "/") + partition_keys[p] + "=" +
                               texts[value_id[row]]);
      }
      group[row] = it->second;
    }
    folders = std::move(next_folders);
  }
  out.folders = std::move(folders);
  const size_t groups = out.folders.size();
  auto data_of = [&](std::span<const uint32_t> rows, int64_t count) {
    Batch part;
    part.schema = data_schema;
    part.num_rows = count;
    for (size_t c : data_columns) {
      part.columns.push_back(rows.empty() ? batch.columns[c]
                                          : GatherRows(batch.columns[c], rows, context.pool));
    }
    return part;
  };
  if (groups == 1) {
    out.parts.push_back(data_of({}, n));
    return out;
  }
  std::vector<std::vector<uint32_t>> rows(groups);
  for (int64_t row = 0; row < n; ++row) rows[group[row]].push_back(static_cast<uint32_t>(row));
  for (size_t g = 0; g < groups; ++g) {
    out.parts.push_back(data_of(rows[g], static_cast<int64_t>(rows[g].size())));
  }
  return out;
}

void PartitionedSink::State::Write(SplitBatch split) {
  for (size_t g = 0; g < split.folders.size(); ++g) {
    auto [it, inserted] = partitions.try_emplace(split.folders[g]);
    Partition& partition = it->second;
    if (inserted) partition.folder = split.folders[g];
    if (!partition.open) Open(&partition);
    partition.last_use = ++clock;
    Batch& part = split.parts[g];
    rows_written += part.num_rows;
    // A partition's writer gets whole row groups only (for CSV, as many rows), so that between
    // them it holds no dictionary, unfinished page or text buffer: a hundred open partitions
    // would hold a hundred of each. Until then the rows wait here, in memory or, under
    // pressure, in spill files.
    partition.buffered_rows += part.num_rows;
    {
      std::lock_guard lock(buffer_mutex);
      buffered_bytes += BatchBytes(part);
      partition.buffered.push_back({std::move(part), nullptr});
    }
    const int64_t group = target.parquet.row_group_size;
    if (partition.buffered_rows >= group) {
      HandOver(&partition, partition.buffered_rows / group * group);
    }
  }
}

void PartitionedSink::State::Open(Partition* partition) {
  if (static_cast<int>(open_files.size()) >= max_open) {
    // Finish the least recently written file; that partition continues in its next file.
    auto oldest = std::min_element(
        open_files.begin(), open_files.end(),
        [](const Partition* a, const Partition* b) { return a->last_use < b->last_use; });
    Close(*oldest);
  }
  const std::string folder = staging + "/" + partition->folder;
  io::CreateDirectories(folder);
  const bool parquet = target.format == SinkTarget::Format::kParquet;
  partition->path =
      fmt::format("{}/data_{}.{}", folder, partition->next_file++, parquet ? "parquet" : "csv");
  partition->open = true;
  std::lock_guard lock(buffer_mutex);
  open_files.push_back(partition);
}

void PartitionedSink::State::HandOver(Partition* partition, int64_t rows) {
  const bool parquet = target.format == SinkTarget::Format::kParquet;
  if (parquet && partition->parquet == nullptr) {
    io::parquet::WriterOptions options = target.parquet;
    options.reuse_buffers = false;  // It waits idle for its next row group.
    partition->parquet = std::make_unique<io::parquet::ParquetWriter>(
        partition->path, *data_schema, std::move(options), context.threads, context.pool);
  }
  if (!parquet && partition->csv == nullptr) {
    partition->csv =
        std::make_unique<io::csv::CsvWriter>(partition->path, *data_schema, target.csv);
  }
  partition->buffered_rows -= rows;
  // Takes the entries one at a time, so that the rest can still spill meanwhile; a batch that
  // goes past `rows` is cut, and its rest goes back in front.
  while (rows > 0) {
    QueuedBatch entry;
    {
      std::lock_guard lock(buffer_mutex);
      SLUICE_CHECK(!partition->buffered.empty());
      entry = std::move(partition->buffered.front());
      partition->buffered.pop_front();
      if (entry.file == nullptr) buffered_bytes -= BatchBytes(entry.batch);
    }
    std::vector<Batch> rest;
    auto give = [&](Batch batch) {
      if (rows == 0) {
        rest.push_back(std::move(batch));
        return;
      }
      if (rows < batch.num_rows) {
        rest.push_back(batch.Slice(rows, batch.num_rows - rows));
        batch = batch.Slice(0, rows);
      }
      rows -= batch.num_rows;
      if (parquet) {
        partition->parquet->Write(batch);
      } else {
        partition->csv->Write(batch);
      }
    };
    if (entry.file != nullptr) {
      SpillReader reader(entry.file, data_schema, context.pool);
      Batch batch;
      while (reader.Next(&batch)) give(std::move(batch));
    } else {
      give(std::move(entry.batch));
    }
    std::lock_guard lock(buffer_mutex);
    for (auto batch = rest.rbegin(); batch != rest.rend(); ++batch) {
      buffered_bytes += BatchBytes(*batch);
      partition->buffered.push_front({std::move(*batch), nullptr});
    }
  }
  // Free what the writer holds before other partitions come next: wait for the row groups to be
  // encoded and written (until then it holds their dictionaries and pages), or hand the CSV
  // text to the file.
  if (parquet) {
    partition->parquet->Settle();
  } else {
    partition->csv->ReleaseBuffer();
  }
}

void PartitionedSink::State::Close(Partition* partition) {
  HandOver(partition, partition->buffered_rows);
  if (partition->parquet) partition->parquet->Close();
  if (partition->csv) partition->csv->Close();
  partition->parquet.reset();
  partition->csv.reset();
  partition->open = false;
  std::lock_guard lock(buffer_mutex);
  open_files.erase(std::find(open_files.begin(), open_files.end(), partition));
}

// Called by the pool on any thread, also the writing one from inside a writer's Write; the
// writing thread holds buffer_mutex only to move an entry, never while it reserves memory.
int64_t PartitionedSink::State::Spill() {
  std::lock_guard lock(buffer_mutex);
  int64_t freed = 0;
  for (Partition* partition : open_files)
    freed += SpillQueuedRuns(&partition->buffered, "partition", context.counters);
  buffered_bytes -= freed;
  return freed;
}

void PartitionedSink::State::CloseAll() {
  // The files are independent and most of their rows may still be waiting here (partitions
  // smaller than a row group): close them side by side, a writer per thread at most.
  std::vector<Partition*> files;
  {
    std::lock_guard lock(buffer_mutex);
    files = open_files;
  }
  context.threads->ParallelFor(static_cast<int64_t>(files.size()),
                               [&](int64_t i) { Close(files[static_cast<size_t>(i)]); });
}

namespace {

/// True when `path` may be replaced by partitioned output: it holds nothing but `key=value`
/// folders (an earlier partitioned output) and hidden leftovers.
void CheckReplaceable(const std::string& path) {
  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  if (error || !fs::exists(status)) return;
  if (!fs::is_directory(status)) {
    ThrowInvalid("cannot write partitioned output to '{}': it is a file, not a folder", path);
  }
  for (const fs::directory_entry& entry : fs::directory_iterator(path)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with('.')) continue;
    if (!entry.is_directory() || name.find('=') == std::string::npos) {
      ThrowInvalid(
          "cannot write partitioned output to '{}': it holds '{}', which is not a partition "
          "folder (key=value); remove it or choose another path",
          path, name);
    }
  }
}

void SyncDirectory(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

void PartitionedSink::State::Publish() {
  const std::string& final_path = target.path;
  const fs::path parent = fs::absolute(final_path).parent_path();
  std::error_code error;
  if (!fs::exists(final_path, error)) {
    if (::rename(staging.c_str(), final_path.c_str()) != 0) {
      ThrowIo("cannot move the partitioned output into '{}': {}", final_path, std::strerror(errno));
    }
  } else {
    CheckReplaceable(final_path);
    // Swap the new folder in with one atomic step where the file system allows it; the old
    // output then sits at the staging name and is removed.
    if (::renameat2(AT_FDCWD, staging.c_str(), AT_FDCWD, final_path.c_str(), RENAME_EXCHANGE) !=
        0) {
      const std::string old = staging + ".old";
      if (::rename(final_path.c_str(), old.c_str()) != 0 ||
          ::rename(staging.c_str(), final_path.c_str()) != 0) {
        ThrowIo("cannot replace '{}' with the new partitioned output: {}", final_path,
                std::strerror(errno));
      }
      fs::remove_all(old, error);
    } else {
      fs::remove_all(staging, error);
    }
  }
  published = true;
  SyncDirectory(parent.string());
}

PartitionedSink::PartitionedSink(const SinkTarget& target, const Schema& schema,
                                 const ExecContext& context, int max_open_files)
    : state_(std::make_unique<State>()) {
  State& s = *state_;
  s.target = target;
  s.context = context;
  if (s.context.pool == nullptr) s.context.pool = MemoryPool::Default();
  if (s.context.threads == nullptr) s.context.threads = &ThreadPool::Default();
  s.max_open = std::max(1, max_open_files);
  std::vector<bool> is_partition(schema.size(), false);
  for (const std::string& name : target.partition_by) {
    const size_t index = schema.FieldIndex(name, "PARTITION_BY");
    if (is_partition[index]) ThrowInvalid("PARTITION_BY names column \"{}\" twice", name);
    is_partition[index] = true;
    s.partition_columns.push_back(index);
    s.partition_keys.push_back(UrlEncode(name));
  }
  std::vector<Field> fields;
  for (size_t c = 0; c < schema.size(); ++c) {
    if (is_partition[c]) continue;
    s.data_columns.push_back(c);
    fields.push_back(schema.field(c));
  }
  if (fields.empty()) {
    ThrowInvalid("PARTITION_BY cannot take every column: the files would hold no column");
  }
  s.data_schema = std::make_shared<Schema>(std::move(fields));
  if (target.path.empty()) ThrowInvalid("partitioned output needs a folder path");
  CheckReplaceable(target.path);
  // The staging folder sits beside the target so that the final rename stays in one file system.
  const fs::path final_path = fs::path(target.path).lexically_normal();
  fs::path parent = final_path.parent_path();
  if (!parent.empty()) io::CreateDirectories(parent.string());
  std::random_device random;
  const std::string name =
      fmt::format(".{}.sluice-tmp-{}-{:08x}", final_path.filename().string(), ::getpid(), random());
  s.staging = (parent.empty() ? fs::path(name) : parent / name).string();
  io::CreateDirectories(s.staging);
  // Last, so that a constructor that throws leaves nothing registered.
  s.context.pool->AddConsumer(&s);
}

PartitionedSink::~PartitionedSink() {
  // Unregistering waits for a spill in progress, and no other starts.
  state_->context.pool->RemoveConsumer(state_.get());
  if (state_->published) return;
  // A failed run: drop the open writers (which remove their temporary files) and the staging
  // folder with everything in it.
  state_->open_files.clear();
  state_->partitions.clear();
  std::error_code ignored;
  fs::remove_all(state_->staging, ignored);
}

void PartitionedSink::Consume(Batch batch) {
  State& s = *state_;
  SplitBatch split = s.Split(batch);  // In parallel, outside the lock.
  std::unique_lock lock(s.mutex);
  s.pending.emplace(batch.seq, std::move(split));
  if (s.writing) return;  // The writing worker will take this one too.
  s.writing = true;
  while (!s.pending.empty() && s.pending.begin()->first == s.next_seq) {
    SplitBatch next = std::move(s.pending.begin()->second);
    s.pending.erase(s.pending.begin());
    ++s.next_seq;
    lock.unlock();
    try {
      s.Write(std::move(next));
    } catch (...) {
      lock.lock();
      s.writing = false;
      throw;
    }
    lock.lock();
  }
  s.writing = false;
}

// The split batches waiting for their turn are memory nothing can spill, and they pile up when
// the writer is busy (giving a partition a whole row group takes a while) or one batch is late.
bool PartitionedSink::Backlogged() const {
  std::lock_guard lock(state_->mutex);
  return state_->pending.size() > 2 * static_cast<size_t>(state_->context.threads->size()) + 2;
}

void PartitionedSink::Finish() {
  State& s = *state_;
  SLUICE_CHECK(s.pending.empty());
  s.CloseAll();
  s.Publish();
}

int64_t PartitionedSink::rows_written() const {
  return state_->rows_written;
}

}  // namespace sluice::exec
