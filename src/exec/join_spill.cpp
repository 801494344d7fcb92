// Collecting the build side with spilling, and the partition-by-partition join (see the header).
#include "exec/join_spill.h"

#include <algorithm>
#include <map>
#include <mutex>
#include <numeric>

#include "core/error.h"
#include "exec/concat_source.h"
#include "exec/position_merge.h"
#include "exec/profile.h"
#include "exec/row_gather.h"

namespace sluice::exec {

namespace {

/// A build row's encoded key (hash, flag, packed key: 17 bytes) and its share of the hash table
/// (about 42 bytes), rounded up: what building the table in memory adds to the rows.
constexpr int64_t kTableBytesPerRow = 64;

/// Hashes rows by their join keys, as the in-memory table does.
RowHasher JoinKeyHasher(const BoundJoinKeys& keys, const JoinKeySpec& spec, MemoryPool* pool) {
  return [&keys, &spec, pool](const Batch& batch) {
    EncodedKeys encoded;
    EncodeJoinKeys(spec, keys.Evaluate(batch, pool), &encoded);
    return std::move(encoded.hashes);
  };
}

/// Splits probe batches by partition on the workers, in parallel, and appends them in seq order
/// (whichever worker completes the sequence does), so every partition file holds its rows in
/// input order, as the final merge needs.
class OrderedPartitionSink final : public Sink {
 public:
  explicit OrderedPartitionSink(HashPartitionWriter* writer) : writer_(writer) {}

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
  HashPartitionWriter* writer_;
  std::mutex mutex_;
  std::map<uint64_t, std::vector<Batch>> ready_;
  uint64_t next_seq_ = 0;
  bool writing_ = false;
};

/// The files a partition's join wrote: its probe's output rows and (full joins, semi/anti joins
/// holding their left side) the build rows output after them.
struct PartitionResults {
  std::vector<std::shared_ptr<SpillFile>> results;
  std::vector<std::shared_ptr<SpillFile>> unmatched;
};

/// Joins partitions: each its build rows' table, probed by its probe rows. A partition whose
/// build rows would not fit in a thread's share of the budget is split again by the next bits of
/// the key hash (recursive repartitioning), unless splitting stopped making it smaller: rows of
/// one key cannot be split, and then the join either fits or fails with a clear error.
struct PartitionJoiner {
  JoinProbeSpec spec;  ///< Carrying the probe ords as a last output column.
  std::vector<JoinOutputColumn> unmatched_columns;
  const BoundJoinKeys& build_keys;
  SchemaPtr build_with_ord, probe_with_ord, output, output_with_ord;
  bool with_build_rows;  ///< Build rows are output after the probe's: unmatched_columns says how.
  bool want_matched;     ///< Those matched (else those unmatched).
  const std::string& join_name;
  const ExecContext& context;

  /// Joins a partition, named `name` in errors ("12", or "12.5" once split again); a partition
  /// that splitting did not make smaller (`may_split` false) is not split again.
  void Join(std::shared_ptr<SpillFile> build, std::shared_ptr<SpillFile> probe, int level,
            const std::string& name, bool may_split, PartitionResults* out) {
    const int64_t share = context.pool->limit() / std::max<int64_t>(1, context.threads->size());
    const int64_t needed = 2 * build->raw_bytes() + build->rows() * kTableBytesPerRow;
    if (may_split && needed > share && level + 1 < kMaxPartitionLevels) {
      const int64_t rows = build->rows();
      std::vector<std::shared_ptr<SpillFile>> builds = SplitPartition(
          std::move(build), build_with_ord, JoinKeyHasher(build_keys, spec.key_spec, context.pool),
          "join-build", level, context);
      std::vector<std::shared_ptr<SpillFile>> probes = SplitPartition(
          std::move(probe), probe_with_ord, JoinKeyHasher(spec.keys, spec.key_spec, context.pool),
          "join-probe", level, context);
      for (int p = 0; p < kSpillPartitions; ++p) {
        const bool smaller = builds[p]->rows() < rows;
        Join(std::move(builds[p]), std::move(probes[p]), level + 1,
             fmt::format("{}.{}", name, p + 1), smaller, out);
      }
      return;
    }
    try {
      JoinInMemory(std::move(build), std::move(probe), out);
    } catch (const Error& error) {
      if (error.kind() != ErrorKind::kOutOfMemory) throw;
      ThrowOutOfMemory(
          "{}: partition {} of its build side does not fit in memory even after spilling (keys "
          "this skewed need more memory): {}",
          join_name, name, error.what());
    }
  }

 private:
  void JoinInMemory(std::shared_ptr<SpillFile> build, std::shared_ptr<SpillFile> probe,
                    PartitionResults* out) {
    std::shared_ptr<JoinBuildSide> side =
        BuildJoinSideFromRows(LoadInOrder(build, build_with_ord, context), build_keys,
                              spec.key_spec, spec.track_matches, context);
    build.reset();
    std::shared_ptr<Operator> prober = MakeJoinProbe(spec, side);
    auto result = std::make_shared<SpillFile>("join-result", size_t{1} << 20, context.counters);
    SpillReader reader(probe, probe_with_ord, context.pool);
    Batch block;
    while (reader.Next(&block))
      WriteWithOrds(result.get(), prober->Process(std::move(block)), output, context.pool);
    probe.reset();
    result->Finish();
    out->results.push_back(std::move(result));
    if (!with_build_rows) return;
    std::vector<uint32_t> unmatched;
    for (int64_t row = 0; row < side->rows.num_rows; ++row) {
      if ((side->matched[row].load(std::memory_order_relaxed) != 0) == want_matched)
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
    out->unmatched.push_back(std::move(file));
  }
};

/// GraceJoin without naming the join in out-of-memory errors.
Stream JoinByPartitions(CollectedBuild build, Stream probe, JoinProbeSpec probe_spec,
                        std::vector<JoinOutputColumn> unmatched_columns, bool want_matched,
                        const BoundJoinKeys& build_keys, const std::string& join_name,
                        const ExecContext& context) {
  const SchemaPtr output = probe_spec.output_schema;
  const SchemaPtr output_with_ord = WithOrd(*output);
  const SchemaPtr probe_with_ord = WithOrd(*probe.schema());
  const SchemaPtr build_with_ord = WithOrd(*build.schema);

  // The probe rows to their partitions, in input order (a partition's output must be in order
  // for the final merge).
  HashPartitionWriter probe_writer(
      probe_with_ord, JoinKeyHasher(probe_spec.keys, probe_spec.key_spec, context.pool),
      "join-probe", context);
  OrderedPartitionSink probe_sink(&probe_writer);
  RunPipeline(std::move(probe), probe_sink, context);
  std::vector<std::shared_ptr<SpillFile>> probe_files = probe_writer.Finish();

  // The probe carries its ords through the join as a last output column.
  JoinProbeSpec spec = probe_spec;
  spec.output_schema = output_with_ord;
  const int probe_ord = static_cast<int>(probe_with_ord->size()) - 1;
  if (spec.mode == ProbeMode::kInner || spec.mode == ProbeMode::kOuter)
    spec.columns.push_back({JoinOutputColumn::From::kProbe, probe_ord, nullptr});
  const bool with_build_rows = !unmatched_columns.empty();
  unmatched_columns.push_back(
      {JoinOutputColumn::From::kBuild, static_cast<int>(build_with_ord->size()) - 1, nullptr});

  // Partitions are joined in parallel (a few at a time: one per thread), each into its files.
  PartitionJoiner joiner{spec,
                         std::move(unmatched_columns),
                         build_keys,
                         build_with_ord,
                         probe_with_ord,
                         output,
                         output_with_ord,
                         with_build_rows,
                         want_matched,
                         join_name,
                         context};
  std::vector<PartitionResults> outputs(kSpillPartitions);
  context.threads->ParallelFor(kSpillPartitions, [&](int64_t p) {
    joiner.Join(std::move(build.partitions[p]), std::move(probe_files[p]), 0,
                fmt::format("{}", p + 1), true, &outputs[p]);
  });
  std::vector<std::shared_ptr<SpillFile>> results;
  std::vector<std::shared_ptr<SpillFile>> unmatched_results;
  for (PartitionResults& part : outputs) {
    for (auto& file : part.results) results.push_back(std::move(file));
    for (auto& file : part.unmatched) unmatched_results.push_back(std::move(file));
  }

  std::vector<int> identity(output->size());
  std::iota(identity.begin(), identity.end(), 0);
  std::vector<std::unique_ptr<Source>> sources;
  sources.push_back(MakePositionMergeSource(output, output, identity, std::move(results),
                                            context.batch_size, context.pool));
  if (with_build_rows) {
    sources.push_back(MakePositionMergeSource(
        output, output, identity, std::move(unmatched_results), context.batch_size, context.pool));
  }
  return Stream{MakeConcatSource(output, std::move(sources)), {}};
}

}  // namespace

CollectedBuild CollectBuild(Stream build, const BoundJoinKeys& keys, const JoinKeySpec& spec,
                            const std::string& join_name, const ExecContext& context) {
  SpillableCollector collector(build.schema(), JoinKeyHasher(keys, spec, context.pool),
                               "join-build", kTableBytesPerRow, context);
  try {
    RunPipeline(std::move(build), collector, context);
  } catch (const Error& error) {
    if (error.kind() != ErrorKind::kOutOfMemory) throw;
    ThrowOutOfMemory("{}: its build side does not fit in memory: {}", join_name, error.what());
  }
  return collector.Take();
}

Stream GraceJoin(CollectedBuild build, Stream probe, JoinProbeSpec probe_spec,
                 std::vector<JoinOutputColumn> unmatched_columns, bool want_matched,
                 const BoundJoinKeys& build_keys, const std::string& join_name,
                 const ExecContext& context) {
  try {
    return JoinByPartitions(std::move(build), std::move(probe), std::move(probe_spec),
                            std::move(unmatched_columns), want_matched, build_keys, join_name,
                            context);
  } catch (const Error& error) {
    if (error.kind() != ErrorKind::kOutOfMemory ||
        std::string(error.what()).find(join_name) != std::string::npos)
      throw;
    ThrowOutOfMemory("{}: {}", join_name, error.what());
  }
}

}  // namespace sluice::exec
