// Collecting the build side with spilling, and the partition-by-partition join (see the header).
#include "exec/join_spill.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <map>
#include <mutex>
#include <numeric>

#include "core/error.h"
#include "core/take.h"
#include "exec/concat_source.h"
#include "exec/position_merge.h"
#include "exec/profile.h"
#include "exec/row_gather.h"
#include "exec/sorted_run.h"

namespace sluice::exec {

namespace {

/// Spill files of partitions buffer little: there are kJoinPartitions of them per side.
constexpr size_t kPartitionFlushBytes = size_t{64} << 10;

/// A build row's encoded key (hash, flag, packed key: 17 bytes) and its share of the hash table
/// (about 42 bytes), rounded up: what building the table in memory adds to the rows.
constexpr int64_t kTableBytesPerRow = 64;

int PartitionOfHash(uint64_t hash) {
  return static_cast<int>(hash >> (64 - kJoinPartitionBits));
}

SchemaPtr WithOrd(const Schema& schema) {
  std::vector<Field> fields(schema.fields().begin(), schema.fields().end());
  fields.push_back({"__sluice_ord", UInt64(), false});
  return std::make_shared<Schema>(std::move(fields));
}

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

/// Writes rows to kJoinPartitions files by the hash of their join keys; safe from any thread.
class PartitionWriter {
 public:
  PartitionWriter(SchemaPtr with_ord, const BoundJoinKeys& keys, const JoinKeySpec& spec,
                  const char* purpose, const ExecContext& context)
      : with_ord_(std::move(with_ord)), keys_(keys), spec_(spec), pool_(context.pool) {
    for (int p = 0; p < kJoinPartitions; ++p) {
      files_.push_back(
          std::make_shared<SpillFile>(purpose, kPartitionFlushBytes, context.counters));
    }
  }

  /// Writes the rows of `batch` (without its ords: they are added from its seq).
  void Write(const Batch& batch) { Append(Split(batch)); }

  /// The rows of `batch` with their ords, one batch per partition (no rows: none). Thread-safe.
  std::vector<Batch> Split(const Batch& batch) const {
    std::vector<Batch> parts(kJoinPartitions);
    if (batch.num_rows == 0) return parts;
    const Batch rows = AppendOrds(batch, with_ord_, pool_);
    EncodedKeys encoded;
    EncodeJoinKeys(spec_, keys_.Evaluate(batch, pool_), &encoded);
    std::vector<std::vector<int64_t>> picked(kJoinPartitions);
    for (int64_t row = 0; row < batch.num_rows; ++row)
      picked[PartitionOfHash(encoded.hashes[row])].push_back(row);
    for (int p = 0; p < kJoinPartitions; ++p) {
      if (!picked[p].empty())
        parts[p] = TakeBatch(rows, picked[p].data(), static_cast<int64_t>(picked[p].size()), pool_);
    }
    return parts;
  }

  /// Appends what Split gave to the partitions' files.
  void Append(const std::vector<Batch>& parts) {
    for (int p = 0; p < kJoinPartitions; ++p) {
      if (parts[p].num_rows == 0) continue;
      std::lock_guard lock(mutexes_[p]);
      files_[p]->Append(parts[p]);
    }
  }

  std::vector<std::shared_ptr<SpillFile>> Finish() {
    for (const auto& file : files_) file->Finish();
    return std::move(files_);
  }

 private:
  SchemaPtr with_ord_;
  const BoundJoinKeys& keys_;
  const JoinKeySpec& spec_;
  MemoryPool* pool_;
  std::vector<std::shared_ptr<SpillFile>> files_;
  std::mutex mutexes_[kJoinPartitions];
};

/// Splits probe batches by partition on the workers, in parallel, and appends them in seq order
/// (whichever worker completes the sequence does), so every partition file holds its rows in
/// input order, as the final merge needs.
class OrderedPartitionSink final : public Sink {
 public:
  explicit OrderedPartitionSink(PartitionWriter* writer) : writer_(writer) {}

  void Consume(Batch batch) override {
    const uint64_t seq = batch.seq;
    std::vector<Batch> parts = writer_->Split(batch);
    std::unique_lock lock(mutex_);
    ready_.emplace(seq, std::move(parts));
    if (writing_) return;
    writing_ = true;
    try {
      while (!ready_.empty() && ready_.begin()->first == next_seq_) {
        std::vector<Batch> next = std::move(ready_.begin()->second);
        ready_.erase(ready_.begin());
        ++next_seq_;
        lock.unlock();
        writer_->Append(next);
        lock.lock();
      }
    } catch (...) {
      if (!lock.owns_lock()) lock.lock();
      writing_ = false;
      throw;
    }
    writing_ = false;
  }

  void Finish() override {
    // After a gap in the seqs (a source that skipped one): the rest, in seq order.
    for (const auto& [seq, parts] : ready_) writer_->Append(parts);
    ready_.clear();
  }

 private:
  PartitionWriter* writer_;
  std::mutex mutex_;
  std::map<uint64_t, std::vector<Batch>> ready_;
  uint64_t next_seq_ = 0;
  bool writing_ = false;
};

/// Collects the build input; spills it to partitions when the pool asks.
class BuildCollector final : public Sink, public SpillableConsumer {
 public:
  BuildCollector(SchemaPtr schema, const BoundJoinKeys& keys, const JoinKeySpec& spec,
                 const ExecContext& context)
      : schema_(std::move(schema)),
        keys_(keys),
        spec_(spec),
        context_(context),
        pool_(context.pool) {
    pool_->AddConsumer(this);
  }
  ~BuildCollector() override { pool_->RemoveConsumer(this); }

  void Consume(Batch batch) override {
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

  void Finish() override {
    // Building the table in memory takes the rows again (put together into one batch) plus
    // about kTableBytesPerRow per row for keys and table: when that would not fit beside
    // everything else, the join goes to disk now.
    const int64_t held = held_.load();
    const int64_t others = pool_->used() - held;
    const int64_t needed = 2 * held + rows_ * kTableBytesPerRow;
    if (!spilled_.load() && held > 0 && others + needed > pool_->limit()) {
      SpillingScope scope;
      if (Spill() > 0) pool_->CountSpill();
    }
  }

  int64_t SpillableBytes() const override { return held_.load(); }

  int64_t Spill() override {
    std::unique_lock spill_lock(spill_mutex_, std::try_to_lock);
    if (!spill_lock.owns_lock()) return 0;
    std::vector<Batch> batches;
    {
      std::lock_guard lock(mutex_);
      if (!spilled_.load()) {
        writer_ = std::make_unique<PartitionWriter>(WithOrd(*schema_), keys_, spec_, "join-build",
                                                    context_);
        spilled_ = true;
        if (context_.counters != nullptr) context_.counters->spill_count += 1;
      }
      batches = std::move(batches_);
      batches_.clear();
    }
    for (const Batch& batch : batches) writer_->Write(batch);
    return held_.exchange(0);
  }

  CollectedBuild Take() {
    CollectedBuild build;
    build.schema = schema_;
    build.spilled = spilled_.load();
    if (build.spilled) {
      build.partitions = writer_->Finish();
    } else {
      std::sort(batches_.begin(), batches_.end(),
                [](const Batch& a, const Batch& b) { return a.seq < b.seq; });
      build.batches = std::move(batches_);
    }
    held_ = 0;
    return build;
  }

 private:
  SchemaPtr schema_;
  const BoundJoinKeys& keys_;
  const JoinKeySpec& spec_;
  ExecContext context_;
  MemoryPool* pool_;
  std::mutex mutex_;        ///< Guards batches_ and the switch to spilled.
  std::mutex spill_mutex_;  ///< One spill at a time.
  std::atomic<bool> spilled_{false};
  std::atomic<int64_t> held_{0};
  int64_t rows_ = 0;  ///< Held in batches_.
  std::vector<Batch> batches_;
  std::unique_ptr<PartitionWriter> writer_;
};

/// A partition's build rows back in input order (the ord column last).
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

/// Writes `batch` (ords in its last column) to `file`: the other columns, with the ords aside,
/// in blocks small enough that the final merge, holding a block of every partition's file, takes
/// at most an eighth of the budget.
void WriteWithOrds(SpillFile* file, Batch batch, const SchemaPtr& schema, MemoryPool* pool) {
  if (batch.num_rows == 0) return;
  const Column ords = std::move(batch.columns.back());
  batch.columns.pop_back();
  batch.schema = schema;
  const int64_t row_bytes = std::max<int64_t>(1, BatchBytes(batch) / batch.num_rows);
  const int64_t block_rows = std::clamp<int64_t>(pool->limit() / 8 / kJoinPartitions / row_bytes,
                                                 16, std::max<int64_t>(16, batch.num_rows));
  for (int64_t start = 0; start < batch.num_rows; start += block_rows) {
    const int64_t rows = std::min(block_rows, batch.num_rows - start);
    const Batch block = start == 0 && rows == batch.num_rows ? batch : batch.Slice(start, rows);
    std::vector<std::vector<uint8_t>> extras(1);
    extras[0].resize(static_cast<size_t>(rows) * 8);
    std::memcpy(extras[0].data(), ords.Values<uint64_t>() + start, extras[0].size());
    file->Append(block, extras);
  }
}

/// GraceJoin without naming the join in out-of-memory errors.
Stream JoinByPartitions(CollectedBuild build, Stream probe, JoinProbeSpec probe_spec,
                        std::vector<JoinOutputColumn> unmatched_columns,
                        const BoundJoinKeys& build_keys, const std::string& join_name,
                        const ExecContext& context) {
  const SchemaPtr output = probe_spec.output_schema;
  const SchemaPtr output_with_ord = WithOrd(*output);
  const SchemaPtr probe_with_ord = WithOrd(*probe.schema());
  const SchemaPtr build_with_ord = WithOrd(*build.schema);

  // The probe rows to their partitions, in input order (a partition's output must be in order
  // for the final merge).
  PartitionWriter probe_writer(probe_with_ord, probe_spec.keys, probe_spec.key_spec, "join-probe",
                               context);
  OrderedPartitionSink probe_sink(&probe_writer);
  RunPipeline(std::move(probe), probe_sink, context);
  std::vector<std::shared_ptr<SpillFile>> probe_files = probe_writer.Finish();

  // The probe carries its ords through the join as a last output column.
  JoinProbeSpec spec = probe_spec;
  spec.output_schema = output_with_ord;
  const int probe_ord = static_cast<int>(probe_with_ord->size()) - 1;
  if (spec.mode == ProbeMode::kInner || spec.mode == ProbeMode::kOuter)
    spec.columns.push_back({JoinOutputColumn::From::kProbe, probe_ord, nullptr});
  const bool full = !unmatched_columns.empty();
  unmatched_columns.push_back(
      {JoinOutputColumn::From::kBuild, static_cast<int>(build_with_ord->size()) - 1, nullptr});

  // Partitions are joined in parallel (a few at a time: one per thread), each into its files.
  std::vector<std::shared_ptr<SpillFile>> results(kJoinPartitions);
  std::vector<std::shared_ptr<SpillFile>> unmatched_results(full ? kJoinPartitions : 0);
  context.threads->ParallelFor(kJoinPartitions, [&](int64_t p) {
    try {
      std::shared_ptr<JoinBuildSide> side =
          BuildJoinSideFromRows(LoadInOrder(build.partitions[p], build_with_ord, context),
                                build_keys, spec.key_spec, spec.track_matches, context);
      build.partitions[p].reset();
      std::shared_ptr<Operator> prober = MakeJoinProbe(spec, side);
      auto result = std::make_shared<SpillFile>("join-result", size_t{1} << 20, context.counters);
      SpillReader reader(probe_files[p], probe_with_ord, context.pool);
      Batch block;
      while (reader.Next(&block))
        WriteWithOrds(result.get(), prober->Process(std::move(block)), output, context.pool);
      probe_files[p].reset();
      result->Finish();
      results[p] = std::move(result);
      if (!full) return;
      std::vector<uint32_t> unmatched;
      for (int64_t row = 0; row < side->rows.num_rows; ++row) {
        if (side->matched[row].load(std::memory_order_relaxed) == 0)
          unmatched.push_back(static_cast<uint32_t>(row));
      }
      auto file = std::make_shared<SpillFile>("join-unmatched", size_t{1} << 20, context.counters);
      const size_t batch_size = static_cast<size_t>(std::max<int64_t>(1, context.batch_size));
      for (size_t begin = 0; begin < unmatched.size(); begin += batch_size) {
        const size_t count = std::min(unmatched.size() - begin, batch_size);
        std::span<const uint32_t> picked(unmatched.data() + begin, count);
        WriteWithOrds(
            file.get(),
            AssembleJoinOutput(output_with_ord, unmatched_columns, nullptr, {}, false, side->rows,
                               picked, static_cast<int64_t>(count), context.pool),
            output, context.pool);
      }
      file->Finish();
      unmatched_results[p] = std::move(file);
    } catch (const Error& error) {
      if (error.kind() != ErrorKind::kOutOfMemory) throw;
      ThrowOutOfMemory(
          "{}: partition {} of {} of its build side does not fit in memory even after spilling "
          "(keys this skewed need more memory): {}",
          join_name, p + 1, kJoinPartitions, error.what());
    }
  });

  std::vector<int> identity(output->size());
  std::iota(identity.begin(), identity.end(), 0);
  std::vector<std::unique_ptr<Source>> sources;
  sources.push_back(MakePositionMergeSource(output, output, identity, std::move(results),
                                            context.batch_size, context.pool));
  if (full) {
    sources.push_back(MakePositionMergeSource(
        output, output, identity, std::move(unmatched_results), context.batch_size, context.pool));
  }
  return Stream{MakeConcatSource(output, std::move(sources)), {}};
}

}  // namespace

CollectedBuild CollectBuild(Stream build, const BoundJoinKeys& keys, const JoinKeySpec& spec,
                            const std::string& join_name, const ExecContext& context) {
  BuildCollector collector(build.schema(), keys, spec, context);
  try {
    RunPipeline(std::move(build), collector, context);
  } catch (const Error& error) {
    if (error.kind() != ErrorKind::kOutOfMemory) throw;
    ThrowOutOfMemory("{}: its build side does not fit in memory: {}", join_name, error.what());
  }
  return collector.Take();
}

Stream GraceJoin(CollectedBuild build, Stream probe, JoinProbeSpec probe_spec,
                 std::vector<JoinOutputColumn> unmatched_columns, const BoundJoinKeys& build_keys,
                 const std::string& join_name, const ExecContext& context) {
  try {
    return JoinByPartitions(std::move(build), std::move(probe), std::move(probe_spec),
                            std::move(unmatched_columns), build_keys, join_name, context);
  } catch (const Error& error) {
    if (error.kind() != ErrorKind::kOutOfMemory ||
        std::string(error.what()).find(join_name) != std::string::npos)
      throw;
    ThrowOutOfMemory("{}: {}", join_name, error.what());
  }
}

}  // namespace sluice::exec
