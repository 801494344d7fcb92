// The engine behind the hash aggregation and distinct sinks: parallel, deterministic, radix
// partitioned.
//
// Consume (concurrent, batches in any order): evaluates the key and argument expressions,
// groups the morsel's rows in a thread's scratch table and updates one state per aggregate with
// tight loops over the group-id array, then lists the groups by radix partition (in
// first-occurrence order within each). The result is a Partial. A morsel whose keys hardly
// repeat (judged from a sample of its rows) is not aggregated on its own: its rows are sorted
// by partition (stably) and each partition aggregates them directly when merging.
//
// Each Partition (its own lock, table, states) merges the partials in increasing seq. Partials
// are handed to the partitions in rounds of consecutive morsels (about 2M rows), merged
// partition by partition on the pool (so a partition's table and states load into cache once
// per round); a partition that receives a round before an earlier one keeps it pending until its
// turn. So memory holds the merged groups plus a round or two of partials. Merging in seq order
// makes float sums and first/last independent of the thread count (whether a morsel is
// aggregated alone depends on its contents only); each new group records where it first
// appeared, (seq, row).
//
// Finish drains what is pending, finalizes the partitions in parallel, and orders the groups by
// first appearance with a k-way merge of the partitions (each already in that order).
//
// Under memory pressure the pool asks the aggregation to spill: its largest partitions move to
// disk and take the rest of their input there, in merge order, so that rebuilding them at the
// end gives bit-identical results; the output then streams from disk (exec/aggregation_spill.h).
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/batch.h"
#include "core/error.h"
#include "core/memory_pool.h"
#include "exec/hash_table.h"
#include "exec/pipeline.h"
#include "exec/spill_threads.h"
#include "expr/aggregate_function.h"
#include "expr/bound_expr.h"

namespace sluice::exec {

/// One aggregate of the aggregation, bound.
struct AggregateSpec {
  const AggregateFunction* function = nullptr;
  BoundExprPtr argument;  ///< Null for count_star.
  /// Equal for aggregates of the same argument (`revenue` in sum(revenue) and max(revenue)),
  /// which is then evaluated once per morsel.
  std::string argument_key;
  DataType input_type;
  double param = 0;
  bool distinct = false;
  std::string display;  ///< `sum(revenue)`, for errors.
};

struct GroupedAggregationSpec {
  std::vector<BoundExprPtr> keys;
  std::vector<AggregateSpec> aggregates;
  /// The result: output column i is internal column output_columns[i] (keys, then aggregates).
  SchemaPtr output_schema;
  std::vector<int> output_columns;
  /// Names the operation in errors: "group by `user_id`", "distinct".
  std::string display;
};

class GroupedAggregation final : public SpillableConsumer {
 public:
  GroupedAggregation(GroupedAggregationSpec spec, const ExecContext& context);
  ~GroupedAggregation() override;

  void Consume(const Batch& batch);
  void Finish();
  /// True while the partials waiting for an earlier morsel hold more than a round may.
  bool Backlogged() const;
  /// The result (batches of about context.batch_size rows), after Finish.
  std::unique_ptr<Source> TakeResult() { return std::move(result_); }

  int64_t SpillableBytes() const override { return held_bytes_.load(); }
  int64_t Spill() override;

 private:
  struct Partial;
  struct PartialSlice;
  struct Partition;
  struct Scratch;
  struct SpareTables;

  std::shared_ptr<Partial> BuildPartial(const Batch& batch, Scratch* scratch);
  /// Fills a raw partial: the morsel's rows by partition, for morsels whose keys hardly repeat.
  void BuildRawPartial(const Batch& batch, const std::vector<Column>& arguments, Partial* partial,
                       Scratch* scratch) const;
  /// Lists the partial's groups by radix partition.
  void PartitionGroups(Partial* partial, Scratch* scratch) const;
  /// Queues a built partial; merges a round of consecutive ones when one is complete.
  void AddPartial(std::shared_ptr<Partial> partial);
  /// What the partials of one round may hold at most (a share of the memory budget).
  int64_t RoundBudget() const;
  void MergeRound(const std::vector<std::shared_ptr<Partial>>& round);
  /// Merges the partition's share of a partial, or writes it to the partition's file if spilled.
  void MergeInto(Partition* partition, uint32_t index, const Partial& partial);
  void MergeSlice(Partition* partition, const PartialSlice& slice);
  void WriteToSpill(Partition* partition, const Partial& partial, const uint32_t* entries,
                    uint32_t begin, uint32_t count);
  /// Moves a partition to disk (a snapshot); called with its mutex held.
  void SpillPartition(Partition* partition);
  /// Rebuilds a spilled partition from its file, in a spare table if one fits; called with its
  /// mutex held.
  void RebuildPartition(Partition* partition, SpareTables* spares);
  /// Sets the partition's accounted memory (which the pool may answer by spilling others).
  void SetPartitionBytes(Partition* partition, int64_t bytes);
  /// In a profiled run: counts a built partial's bytes until it is freed, noting the peak.
  void TrackPartial(Partial* partial);
  /// In a profiled run: notes what the partitions and partials hold as a possible peak.
  void NotePeak();
  /// Merges what is pending, rebuilds the partition if it spilled and finalizes its states;
  /// leaves its table to `spares` (when given).
  void FinishPartition(uint32_t index, SpareTables* spares = nullptr);
  void BuildOutput();
  /// The spilled path's end: each finished partition to a result file, merged when pulled.
  void FinishToDisk();
  std::vector<std::unique_ptr<GroupedAggregateState>> MakeStates() const;
  Scratch* AcquireScratch();
  void ReleaseScratch(Scratch* scratch);
  /// Rethrows an out-of-memory error naming this aggregation.
  [[noreturn]] void ThrowWithContext(const Error& error) const;

  GroupedAggregationSpec spec_;
  ExecContext context_;
  KeyLayout layout_;
  int radix_bits_;
  /// Bytes of the partials alive, in a profiled run. Declared before everything that holds
  /// partials: they subtract themselves from it when freed.
  std::atomic<int64_t> partial_bytes_{0};
  std::vector<std::unique_ptr<Partition>> partitions_;
  std::vector<BoundExprPtr> arguments_;  ///< The distinct arguments of the aggregates.
  std::vector<int> argument_of_;         ///< Per aggregate: its index in arguments_, or -1.
  std::mutex ready_mutex_;
  std::map<uint64_t, std::shared_ptr<Partial>> ready_;  ///< Built, not yet given to partitions.
  uint64_t next_round_seq_ = 0;          ///< The first seq not yet given to the partitions.
  std::atomic<int64_t> ready_bytes_{0};  ///< Of the partials in ready_.
  std::mutex scratch_mutex_;
  std::vector<std::unique_ptr<Scratch>> free_scratch_;
  std::vector<Batch> output_;
  SchemaPtr arguments_schema_;          ///< Of arguments_, for raw rows in spill files.
  Batch no_arguments_;                  ///< No rows of arguments_schema_.
  std::atomic<int64_t> held_bytes_{0};  ///< Of the partitions in memory.
  std::atomic<bool> spilled_{false};    ///< Some partition went to disk.
  bool registered_ = false;             ///< With the pool, as a spillable consumer.
  SpillThreads spill_threads_{context_.threads};
  std::unique_ptr<Source> result_;
};

}  // namespace sluice::exec
