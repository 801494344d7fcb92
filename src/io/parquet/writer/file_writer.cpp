// Row-group assembly, page-index and bloom-filter layout, and the footer.
#include "io/parquet/writer/file_writer.h"

#include <algorithm>

#include "core/error.h"
#include "io/parquet/reader/schema_mapping.h"

namespace sluice::io::parquet {

namespace {
constexpr char kMagic[4] = {'P', 'A', 'R', '1'};
/// Write returns once no lane has more than this many slices queued: enough for a lane to
/// run ahead of a slower one, few enough that the batches they hold stay a small share of memory.
constexpr size_t kMostQueuedSlices = 2;

/// The slices a lane may keep queued when Write of `batch` returns: kMostQueuedSlices, or fewer
/// when the batches they hold (queued ones, and the one a lane is on) would take more than an
/// eighth of the budget, the share the pipeline gives its batches in flight. Under a tight limit
/// a slow lane's queue held three 6 MB batches of 64K events beside the batch in flight, and a
/// 40MB copy ran out of memory now and then; there, Write returns once its batch is encoded.
size_t QueuedSlicesAllowed(const Batch& batch, const MemoryPool& pool) {
  const int64_t bytes = BatchBytes(batch);
  if (bytes <= 0) return kMostQueuedSlices;
  const int64_t batches = pool.limit() / 8 / bytes;
  return static_cast<size_t>(std::clamp<int64_t>(batches - 1, 0, kMostQueuedSlices));
}
}  // namespace

struct ParquetWriter::Lanes {
  /// One column's share of a batch, or (rows == 0) only the end of a row group.
  struct Slice {
    Column column;
    int64_t offset = 0;
    int64_t rows = 0;
    bool ends_group = false;
  };
  struct Lane {
    std::deque<Slice> slices;
    bool running = false;  ///< A thread is draining it.
    int64_t groups_finished = 0;
  };
  /// A row group some lanes have finished: the chunks so far.
  struct Group {
    std::vector<EncodedChunk> chunks;
    size_t finished = 0;
    int64_t rows = 0;
  };

  std::mutex mutex;
  std::condition_variable changed;
  std::vector<Lane> lanes;
  std::deque<Group> groups;    ///< Not yet written, in order.
  int64_t groups_written = 0;  ///< Row groups before groups.front().
  std::mutex file_mutex;       ///< Taken (with `mutex` held) to write a row group in order.
  std::exception_ptr error;    ///< The first failure of a lane.
  bool closed = false;         ///< The writer is gone or going: queued tasks do nothing.

  bool Busy(size_t most) const {
    for (const Lane& lane : lanes) {
      if (lane.slices.size() > most || (most == 0 && lane.running)) return true;
    }
    return false;
  }
  bool AnyRunning() const {
    for (const Lane& lane : lanes) {
      if (lane.running) return true;
    }
    return false;
  }
};

ParquetWriter::ParquetWriter(const std::string& path, const Schema& schema, WriterOptions options,
                             ThreadPool* threads, MemoryPool* pool)
    : schema_(schema),
      options_(std::move(options)),
      threads_(threads ? threads : &ThreadPool::Default()),
      pool_(pool ? pool : MemoryPool::Default()),
      file_(AtomicFileWriter::Open(path)) {
  if (options_.row_group_size <= 0)
    ThrowInvalid("row group size must be positive, not {}", options_.row_group_size);
  if (options_.data_page_version != 1 && options_.data_page_version != 2) {
    ThrowInvalid("data page version must be 1 or 2, not {}", options_.data_page_version);
  }
  for (const std::string& name : options_.bloom_filter_columns)
    schema_.FieldIndex(name, "the bloom filter columns");
  SchemaElement root;
  root.name = "schema";
  root.num_children = static_cast<int32_t>(schema_.size());
  metadata_.schema.push_back(root);
  for (const Field& field : schema_.fields()) {
    SchemaElement element = LeafElementFor(field);
    metadata_.schema.push_back(element);
    bool bloom =
        std::find(options_.bloom_filter_columns.begin(), options_.bloom_filter_columns.end(),
                  field.name) != options_.bloom_filter_columns.end();
    columns_.push_back(std::make_unique<ColumnChunkWriter>(field, element, options_, bloom, pool_));
    metadata_.column_orders.push_back(ColumnOrder{ColumnOrder::Kind::kTypeDefinedOrder});
  }
  metadata_.version = options_.data_page_version == 2 ? 2 : 1;
  metadata_.created_by = options_.created_by;
  lanes_ = std::make_shared<Lanes>();
  lanes_->lanes.resize(columns_.size());
  file_.Write(kMagic, 4);
  // Last, so that a constructor that throws leaves nothing registered.
  pool_->AddConsumer(this);
}

// Unregistering waits for a spill in progress, and no other starts. Lanes still running use the
// writer: wait for them; queued tasks find it closed. Then the columns (whose destructors remove
// their spill files) and an unclosed AtomicFileWriter (which removes its temporary file) can go.
ParquetWriter::~ParquetWriter() {
  pool_->RemoveConsumer(this);
  std::unique_lock lock(lanes_->mutex);
  lanes_->closed = true;
  for (Lanes::Lane& lane : lanes_->lanes) lane.slices.clear();
  lanes_->changed.wait(lock, [&] { return !lanes_->AnyRunning(); });
}

int64_t ParquetWriter::SpillableBytes() const {
  int64_t bytes = 0;
  for (const auto& column : columns_) bytes += column->buffered_page_bytes();
  return bytes;
}

// Locking: each column guards its buffered pages with its own mutex, held only while a page is
// appended or the chunk is taken, never while reserving memory. The lanes run the columns in
// parallel, and a reservation in one column's Write may call Spill on that worker while other
// columns are appending on others: Spill try-locks column by column, spills the columns it gets
// (the calling column's own lock is free at that point) and skips the busy ones, which a later
// spill takes. A single writer-wide lock would have made every spill from inside Write find the
// writer busy; and waiting for a busy column would stall every reservation in the process, as
// the pool holds its consumer lock while a consumer spills.
int64_t ParquetWriter::Spill() {
  int64_t freed = 0;
  for (auto& column : columns_) freed += column->SpillPages();
  return freed;
}

void ParquetWriter::Write(const Batch& batch) {
  if (batch.columns.size() != columns_.size()) {
    ThrowInternal("batch of {} columns written to a Parquet file of {} columns",
                  batch.columns.size(), columns_.size());
  }
  int64_t offset = 0;
  while (offset < batch.num_rows) {
    int64_t take = std::min(batch.num_rows - offset, options_.row_group_size - row_group_rows_);
    row_group_rows_ += take;
    rows_written_ += take;
    const bool ends_group = row_group_rows_ == options_.row_group_size;
    Enqueue(batch, offset, take, ends_group);
    if (ends_group) row_group_rows_ = 0;
    offset += take;
  }
  WaitForLanes(QueuedSlicesAllowed(batch, *pool_));
}

void ParquetWriter::Settle() {
  WaitForLanes(0);
}

void ParquetWriter::Enqueue(const Batch& batch, int64_t offset, int64_t rows, bool ends_group) {
  std::vector<size_t> idle;
  {
    std::unique_lock lock(lanes_->mutex);
    if (lanes_->error) std::rethrow_exception(lanes_->error);
    if (ends_group) {
      lanes_->groups.push_back({std::vector<EncodedChunk>(columns_.size()), 0, row_group_rows_});
    }
    for (size_t c = 0; c < columns_.size(); ++c) {
      Lanes::Lane& lane = lanes_->lanes[c];
      lane.slices.push_back({rows > 0 ? batch.columns[c] : Column(), offset, rows, ends_group});
      if (!lane.running) idle.push_back(c);
    }
    // A file of no columns has no lane to finish its row groups: they are finished already.
    if (columns_.empty()) WriteFinishedGroups(lock);
  }
  // A task per idle lane; whichever thread gets to a lane first drains it, and a task that comes
  // late (or after the writer is gone) finds nothing to do.
  for (size_t c : idle) {
    threads_->Submit([this, lanes = lanes_, c] {
      std::unique_lock lock(lanes->mutex);
      if (lanes->closed || lanes->lanes[c].running || lanes->lanes[c].slices.empty()) return;
      Drain(c, lock);
    });
  }
}

void ParquetWriter::Drain(size_t c, std::unique_lock<std::mutex>& lock) {
  Lanes& lanes = *lanes_;
  Lanes::Lane& lane = lanes.lanes[c];
  lane.running = true;
  while (!lane.slices.empty() && !lanes.closed && !lanes.error) {
    Lanes::Slice slice = std::move(lane.slices.front());
    lane.slices.pop_front();
    lanes.changed.notify_all();  // A writer waiting for room may go on.
    lock.unlock();
    try {
      if (slice.rows > 0) columns_[c]->Write(slice.column, slice.offset, slice.rows);
      slice.column = Column();
      EncodedChunk chunk;
      if (slice.ends_group) chunk = columns_[c]->Finish();
      lock.lock();
      if (!slice.ends_group) continue;
      Lanes::Group& group = lanes.groups[lane.groups_finished++ - lanes.groups_written];
      group.chunks[c] = std::move(chunk);
      ++group.finished;
      WriteFinishedGroups(lock);
    } catch (...) {
      if (!lock.owns_lock()) lock.lock();
      if (!lanes.error) lanes.error = std::current_exception();
    }
  }
  if (lanes.error || lanes.closed) lane.slices.clear();
  lane.running = false;
  lanes.changed.notify_all();
}

void ParquetWriter::WriteFinishedGroups(std::unique_lock<std::mutex>& lock) {
  // Lanes finish row groups in order, so a finished group has only finished ones before it. The
  // file lock is taken before the lanes' lock is let go: groups reach the file in order.
  Lanes& lanes = *lanes_;
  while (!lanes.groups.empty() && lanes.groups.front().finished == columns_.size()) {
    Lanes::Group done = std::move(lanes.groups.front());
    lanes.groups.pop_front();
    ++lanes.groups_written;
    std::unique_lock file_lock(lanes.file_mutex);
    lock.unlock();
    WriteRowGroup(std::move(done.chunks), done.rows);
    file_lock.unlock();
    lock.lock();
  }
}

void ParquetWriter::WaitForLanes(size_t most) {
  std::unique_lock lock(lanes_->mutex);
  while (!lanes_->error && lanes_->Busy(most)) {
    // Drain a lane no thread is on rather than wait for a worker to get to it: the pool's
    // workers may all be busy, this thread among them.
    size_t idle = 0;
    while (idle < columns_.size() &&
           (lanes_->lanes[idle].running || lanes_->lanes[idle].slices.empty()))
      ++idle;
    if (idle < columns_.size()) {
      Drain(idle, lock);
    } else {
      lanes_->changed.wait(lock);
    }
  }
  if (lanes_->error) std::rethrow_exception(lanes_->error);
}

void ParquetWriter::WriteRowGroup(std::vector<EncodedChunk> chunks, int64_t rows) {
  RowGroup group;
  group.num_rows = rows;
  group.file_offset = static_cast<int64_t>(file_.bytes_written());
  group.ordinal = static_cast<int16_t>(std::min<size_t>(metadata_.row_groups.size(), 32767));
  int64_t compressed = 0;
  for (auto& chunk : chunks) {
    int64_t base = static_cast<int64_t>(file_.bytes_written());
    file_.Write(chunk.dictionary_page.data(), chunk.dictionary_page.size());
    if (chunk.spilled_pages) {
      chunk.spilled_pages->CopyTo(&file_);
      chunk.spilled_pages.reset();  // Removes the file.
    }
    file_.Write(chunk.bytes.data(), chunk.bytes.size());
    ColumnChunk column;
    column.file_offset = base;
    column.meta_data = chunk.metadata;
    column.meta_data->data_page_offset += base;
    if (column.meta_data->dictionary_page_offset) *column.meta_data->dictionary_page_offset += base;
    for (auto& location : chunk.offset_index.page_locations) location.offset += base;
    group.total_byte_size += chunk.metadata.total_uncompressed_size;
    compressed += chunk.metadata.total_compressed_size;
    group.columns.push_back(std::move(column));
    // Free the bytes: the chunk stays (for its page index) until the file ends. Assigning an
    // empty string would keep the capacity (libstdc++ copies a short string into the buffer it
    // has), and then every row group's pages stayed in memory to the end: the whole file.
    std::string().swap(chunk.bytes);
    std::string().swap(chunk.dictionary_page);
  }
  group.total_compressed_size = compressed;
  metadata_.row_groups.push_back(std::move(group));
  metadata_.num_rows += rows;
  pending_indexes_.push_back(std::move(chunks));
  if (!options_.reuse_buffers) file_.ReleaseBuffer();
}

void ParquetWriter::Close() {
  if (closed_) return;
  if (row_group_rows_ > 0) {
    Enqueue(Batch(), 0, 0, true);  // The last row group, short.
    row_group_rows_ = 0;
  }
  WaitForLanes(0);
  // Bloom filters, then column indexes, then offset indexes, each for every chunk in order.
  for (size_t g = 0; g < pending_indexes_.size(); ++g) {
    for (size_t c = 0; c < columns_.size(); ++c) {
      auto& filter = pending_indexes_[g][c].bloom_filter;
      if (!filter) continue;
      auto& meta = *metadata_.row_groups[g].columns[c].meta_data;
      std::string bytes;
      WriteBloomFilterHeader(
          BloomFilterHeader{static_cast<int32_t>(filter->bitset().size()), {}, {}, {}}, &bytes);
      bytes.append(reinterpret_cast<const char*>(filter->bitset().data()), filter->bitset().size());
      meta.bloom_filter_offset = static_cast<int64_t>(file_.bytes_written());
      meta.bloom_filter_length = static_cast<int32_t>(bytes.size());
      file_.Write(bytes.data(), bytes.size());
    }
  }
  for (size_t g = 0; g < pending_indexes_.size(); ++g) {
    for (size_t c = 0; c < columns_.size(); ++c) {
      auto& index = pending_indexes_[g][c].column_index;
      if (!index) continue;
      std::string bytes;
      WriteColumnIndex(*index, &bytes);
      auto& column = metadata_.row_groups[g].columns[c];
      column.column_index_offset = static_cast<int64_t>(file_.bytes_written());
      column.column_index_length = static_cast<int32_t>(bytes.size());
      file_.Write(bytes.data(), bytes.size());
    }
  }
  if (options_.page_index) {
    for (size_t g = 0; g < pending_indexes_.size(); ++g) {
      for (size_t c = 0; c < columns_.size(); ++c) {
        std::string bytes;
        WriteOffsetIndex(pending_indexes_[g][c].offset_index, &bytes);
        auto& column = metadata_.row_groups[g].columns[c];
        column.offset_index_offset = static_cast<int64_t>(file_.bytes_written());
        column.offset_index_length = static_cast<int32_t>(bytes.size());
        file_.Write(bytes.data(), bytes.size());
      }
    }
  }
  std::string footer;
  WriteFileMetaData(metadata_, &footer);
  file_.Write(footer.data(), footer.size());
  uint32_t footer_size = static_cast<uint32_t>(footer.size());
  file_.Write(&footer_size, 4);
  file_.Write(kMagic, 4);
  file_.Commit();
  closed_ = true;
}

}  // namespace sluice::io::parquet
