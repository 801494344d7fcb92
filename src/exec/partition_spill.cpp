// Collecting rows with spilling to hash partitions, and reading partitions back (see the header).
#include "exec/partition_spill.h"

#include <algorithm>
#include <cstring>
#include <numeric>

#include "core/error.h"
#include "core/take.h"
#include "exec/position_merge.h"
#include "exec/profile.h"
#include "exec/row_gather.h"
#include "exec/sorted_run.h"

namespace sluice::exec {

namespace {

/// Spill files of partitions buffer little: there are kSpillPartitions of them.
constexpr size_t kPartitionFlushBytes = size_t{64} << 10;

/// `batch` with each row's input position (seq << 32 | row) as a last uint64 column.
Batch AppendOrds(Batch batch, const SchemaPtr& with_ord, MemoryPool* pool) {
  Column ords;
  ords.type = UInt64();
  ords.length = batch.num_rows;
  ords.values = Buffer::Make(batch.num_rows * 8, pool);
  uint64_t* values = ords.values->as<uint64_t>();
  for (int64_t row = 0; row < batch.num_rows; ++row) values[row] = MakeOrd(batch.seq, row);
  batch.columns.push_back(std::move(ords));
  batch.schema = with_ord;
  return batch;
}

}  // namespace

int PartitionOfHash(uint64_t hash, int level) {
  const int shift = 64 - kSpillPartitionBits * (level + 1);
  return static_cast<int>((hash >> shift) & (kSpillPartitions - 1));
}

SchemaPtr WithOrd(const Schema& schema) {
  std::vector<Field> fields(schema.fields().begin(), schema.fields().end());
  fields.push_back({"__sluice_ord", UInt64(), false});
  return std::make_shared<Schema>(std::move(fields));
}

HashPartitionWriter::HashPartitionWriter(SchemaPtr with_ord, RowHasher hasher, const char* purpose,
                                         const ExecContext& context, int level)
    : with_ord_(std::move(with_ord)),
      hasher_(std::move(hasher)),
      pool_(context.pool),
      level_(level) {
  if (level < 0 || level >= kMaxPartitionLevels)
    ThrowInternal("partition level {} out of range", level);
  for (int p = 0; p < kSpillPartitions; ++p) {
    files_.push_back(std::make_shared<SpillFile>(purpose, kPartitionFlushBytes, context.counters));
  }
}

std::vector<Batch> HashPartitionWriter::Split(const Batch& batch) const {
  if (batch.num_rows == 0) return std::vector<Batch>(kSpillPartitions);
  return SplitRows(AppendOrds(batch, with_ord_, pool_), hasher_(batch));
}

std::vector<Batch> HashPartitionWriter::SplitRows(const Batch& rows,
                                                  const std::vector<uint64_t>& hashes) const {
  std::vector<Batch> parts(kSpillPartitions);
  std::vector<std::vector<int64_t>> picked(kSpillPartitions);
  for (int64_t row = 0; row < rows.num_rows; ++row)
    picked[PartitionOfHash(hashes[row], level_)].push_back(row);
  for (int p = 0; p < kSpillPartitions; ++p) {
    if (!picked[p].empty())
      parts[p] = TakeBatch(rows, picked[p].data(), static_cast<int64_t>(picked[p].size()), pool_);
  }
  return parts;
}

void HashPartitionWriter::Append(const std::vector<Batch>& parts) {
  for (int p = 0; p < kSpillPartitions; ++p) {
    if (parts[p].num_rows == 0) continue;
    std::lock_guard lock(mutexes_[p]);
    files_[p]->Append(parts[p]);
  }
}

std::vector<std::shared_ptr<SpillFile>> HashPartitionWriter::Finish() {
  for (const auto& file : files_) file->Finish();
  return std::move(files_);
}

SpillableCollector::SpillableCollector(SchemaPtr schema, RowHasher hasher, const char* purpose,
                                       int64_t work_bytes_per_row, const ExecContext& context)
    : schema_(std::move(schema)),
      hasher_(std::move(hasher)),
      purpose_(purpose),
      work_bytes_per_row_(work_bytes_per_row),
      context_(context),
      pool_(context.pool) {
  if (hasher_) pool_->AddConsumer(this);
}

SpillableCollector::~SpillableCollector() {
  if (hasher_) pool_->RemoveConsumer(this);
}

void SpillableCollector::Consume(Batch batch) {
  if (!spilled_.load()) {
    const int64_t bytes = BatchBytes(batch);
    std::lock_guard lock(mutex_);
    if (!spilled_.load()) {
      rows_ += batch.num_rows;
      batches_.push_back(std::move(batch));
      held_ += bytes;
      return;
    }
  }
  writer_->Write(batch);
}

void SpillableCollector::Finish() {
  const int64_t held = held_.load();
  const int64_t others = pool_->used() - held;
  const int64_t needed = 2 * held + rows_ * work_bytes_per_row_;
  if (hasher_ && !spilled_.load() && held > 0 && others + needed > pool_->limit()) {
    SpillingScope scope;
    if (Spill() > 0) pool_->CountSpill();
  }
}

int64_t SpillableCollector::Spill() {
  std::unique_lock spill_lock(spill_mutex_, std::try_to_lock);
  if (!hasher_ || !spill_lock.owns_lock()) return 0;
  std::vector<Batch> batches;
  {
    std::lock_guard lock(mutex_);
    if (!spilled_.load()) {
      writer_ =
          std::make_unique<HashPartitionWriter>(WithOrd(*schema_), hasher_, purpose_, context_);
      spilled_ = true;
      if (context_.counters != nullptr) context_.counters->spill_count += 1;
    }
    batches = std::move(batches_);
    batches_.clear();
  }
  for (const Batch& batch : batches) writer_->Write(batch);
  return held_.exchange(0);
}

CollectedRows SpillableCollector::Take() {
  CollectedRows rows;
  rows.schema = schema_;
  rows.spilled = spilled_.load();
  if (rows.spilled) {
    rows.partitions = writer_->Finish();
  } else {
    std::sort(batches_.begin(), batches_.end(),
              [](const Batch& a, const Batch& b) { return a.seq < b.seq; });
    rows.batches = std::move(batches_);
  }
  held_ = 0;
  return rows;
}

std::vector<std::shared_ptr<SpillFile>> SplitPartition(std::shared_ptr<SpillFile> file,
                                                       const SchemaPtr& with_ord,
                                                       const RowHasher& hasher, const char* purpose,
                                                       int level, const ExecContext& context) {
  HashPartitionWriter writer(with_ord, hasher, purpose, context, level + 1);
  {
    SpillReader reader(std::move(file), with_ord, context.pool);
    Batch block;
    while (reader.Next(&block)) writer.WriteWithOrds(block);
  }
  return writer.Finish();
}

Batch LoadInOrder(const std::shared_ptr<SpillFile>& file, const SchemaPtr& with_ord,
                  const ExecContext& context) {
  SpillReader reader(file, with_ord, context.pool);
  std::vector<Batch> blocks;
  Batch block;
  while (reader.Next(&block)) blocks.push_back(std::move(block));
  Batch rows = blocks.empty() ? Batch{with_ord, {}, 0, 0}
                              : ConcatenateBatches(with_ord, blocks, context.pool);
  if (blocks.empty()) {
    for (const Field& field : with_ord->fields())
      rows.columns.push_back(MakeEmptyColumn(field.type, context.pool));
  }
  blocks.clear();
  const uint64_t* ords = rows.columns.back().Values<uint64_t>();
  std::vector<int64_t> order(static_cast<size_t>(rows.num_rows));
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return ords[a] < ords[b]; });
  return TakeBatch(rows, order.data(), rows.num_rows, context.pool);
}

void WriteWithOrds(SpillFile* file, Batch batch, const SchemaPtr& schema, MemoryPool* pool) {
  if (batch.num_rows == 0) return;
  const Column ords = std::move(batch.columns.back());
  batch.columns.pop_back();
  batch.schema = schema;
  const int64_t row_bytes = std::max<int64_t>(1, BatchBytes(batch) / batch.num_rows);
  const int64_t block_rows = std::clamp<int64_t>(pool->limit() / 8 / kSpillPartitions / row_bytes,
                                                 16, std::max<int64_t>(16, batch.num_rows));
  for (int64_t start = 0; start < batch.num_rows; start += block_rows) {
    const int64_t rows = std::min(block_rows, batch.num_rows - start);
    const Batch block = start == 0 && rows == batch.num_rows ? batch : batch.Slice(start, rows);
    const std::vector<uint8_t> positions = EncodePositions(ords.Values<uint64_t>() + start, rows);
    file->Append(block, {&positions, 1});
  }
}

}  // namespace sluice::exec
