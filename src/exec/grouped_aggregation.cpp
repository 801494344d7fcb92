// Per-morsel partial aggregation, the seq-ordered per-partition merge, and the output in order
// of first appearance (see the header).
#include "exec/grouped_aggregation.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "core/error.h"
#include "core/take.h"
#include "exec/aggregation_spill.h"
#include "exec/position_merge.h"
#include "exec/position_order.h"
#include "expr/evaluate.h"

namespace sluice::exec {

namespace {

/// Radix partitions of a keyed aggregation: enough for threads to merge without waiting and
/// for a partition of a large aggregation (its table and states) to stay in a core's L2 cache
/// while a round merges into it (and, later, to spill alone).
constexpr int kRadixBits = 7;

/// Partials are merged in rounds of consecutive morsels of at least kRoundRows rows (or
/// kRoundPartials partials), partition by partition: a partition's table and states then load
/// into cache once per round rather than once per morsel. Bigger rounds touch memory less and
/// hold more partials; 2M rows is about 60 MB of partials for a high-cardinality aggregation.
constexpr int64_t kRoundRows = int64_t{1} << 21;
constexpr size_t kRoundPartials = 256;

/// From this many groups in a morsel on, its groups are renumbered partition-major.
constexpr uint32_t kRenumberGroups = 4096;

/// A morsel is aggregated on its own unless, of its first kSampleRows rows, more than
/// kRawNumerator / kRawDenominator are distinct keys (then its rows go to the partitions as they
/// are). Uniform keys of cardinality about 15K and more pass that bar, where passing rows became
/// cheaper than aggregating 64K-row morsels first (measured with count and sum over 10M rows).
constexpr int64_t kSampleRows = 4096;
constexpr int64_t kMinSampleRows = 256;
constexpr uint64_t kRawNumerator = 88;
constexpr uint64_t kRawDenominator = 100;

/// Runs f, adding the aggregate to the message of an error it throws ("... in `sum(x)`").
template <typename F>
void InAggregate(const AggregateSpec& spec, F&& f) {
  try {
    f();
  } catch (const Error& error) {
    if (error.kind() == ErrorKind::kOutOfMemory) throw;
    throw Error(error.kind(), fmt::format("{} in `{}`", error.what(), spec.display));
  }
}

/// Rows order[0..rows) of `column`. Fixed-width columns without nulls (the usual arguments of
/// sum, mean, min, max) take a plain loop; anything else goes through Take.
Column GatherArgument(const Column& column, const std::vector<uint32_t>& order, MemoryPool* pool) {
  const int64_t rows = static_cast<int64_t>(order.size());
  const int width = column.type.FixedWidth();
  auto gather = [&]<typename T>() {
    Column out;
    out.type = column.type;
    out.length = rows;
    out.values = Buffer::Make(rows * int64_t{sizeof(T)}, pool);
    const T* in = column.Values<T>();
    T* values = out.values->as<T>();
    for (int64_t i = 0; i < rows; ++i) values[i] = in[order[i]];
    return out;
  };
  if (column.null_count == 0 && column.type.id != TypeId::kBool) {
    switch (column.type.IsVariableWidth() ? 0 : width) {
      case 1: return gather.template operator()<uint8_t>();
      case 2: return gather.template operator()<uint16_t>();
      case 4: return gather.template operator()<uint32_t>();
      case 8: return gather.template operator()<uint64_t>();
      case 16: return gather.template operator()<unsigned __int128>();
      default: break;
    }
  }
  std::vector<int64_t> indices(order.begin(), order.end());
  return Take(column, indices.data(), rows, pool);
}

/// Orders a group by where it first appeared: (seq, row).
uint64_t FirstSeen(uint64_t seq, uint32_t row) {
  return (seq << 32) | row;
}

/// Merges the ascending, distinct positions of `lists` into one ascending order, given as
/// indexes into the lists' concatenation. Cut by position into ranges that merge in parallel,
/// each a seq at a time by PositionOrder.
std::vector<int64_t> MergeFirstSeen(const std::vector<const std::vector<uint64_t>*>& lists,
                                    ThreadPool& threads) {
  const size_t count = lists.size();
  std::vector<int64_t> base(count + 1, 0);
  uint64_t last = 0;
  for (size_t l = 0; l < count; ++l) {
    base[l + 1] = base[l] + static_cast<int64_t>(lists[l]->size());
    if (!lists[l]->empty()) last = std::max(last, lists[l]->back());
  }
  std::vector<int64_t> order(static_cast<size_t>(base[count]));
  // Ranges of equal width in positions: groups appear about evenly through the input.
  const auto ranges = static_cast<uint64_t>(4 * std::max(1, threads.size()));
  std::vector<uint64_t> bounds(ranges + 1);
  for (uint64_t r = 0; r <= ranges; ++r) {
    bounds[r] = r == ranges
                    ? UINT64_MAX
                    : static_cast<uint64_t>(static_cast<unsigned __int128>(last) * r / ranges);
  }
  threads.ParallelFor(static_cast<int64_t>(ranges), [&](int64_t r) {
    // Each list's part of the range, and where the range starts in the output.
    std::vector<std::pair<size_t, size_t>> parts(count);
    int64_t out = 0;
    for (size_t l = 0; l < count; ++l) {
      const std::vector<uint64_t>& list = *lists[l];
      auto at = [&](uint64_t bound) {
        return static_cast<size_t>(std::lower_bound(list.begin(), list.end(), bound) -
                                   list.begin());
      };
      parts[l] = {r == 0 ? 0 : at(bounds[static_cast<size_t>(r)]),
                  at(bounds[static_cast<size_t>(r) + 1])};
      if (bounds[static_cast<size_t>(r) + 1] == UINT64_MAX) parts[l].second = list.size();
      out += static_cast<int64_t>(parts[l].first);
    }
    // A seq at a time: PositionOrder is fastest within one.
    PositionOrder ordering;
    std::vector<PositionOrder::Run> runs;
    std::vector<uint32_t> run_lists;
    std::vector<PositionOrder::Entry> ordered;
    while (true) {
      uint64_t low = UINT64_MAX;
      for (size_t l = 0; l < count; ++l) {
        if (parts[l].first < parts[l].second) low = std::min(low, (*lists[l])[parts[l].first]);
      }
      if (low == UINT64_MAX) break;
      const uint64_t end = low | 0xFFFFFFFFull;
      runs.clear();
      run_lists.clear();
      for (size_t l = 0; l < count; ++l) {
        auto& [next, stop] = parts[l];
        const uint64_t* list = lists[l]->data();
        const auto last =
            static_cast<int64_t>(std::upper_bound(list + next, list + stop, end) - list);
        if (last == static_cast<int64_t>(next)) continue;
        runs.push_back({list, static_cast<int64_t>(next), last});
        run_lists.push_back(static_cast<uint32_t>(l));
        next = static_cast<size_t>(last);
      }
      ordered.clear();
      ordering.Order(runs, &ordered);
      for (const PositionOrder::Entry& entry : ordered)
        order[static_cast<size_t>(out++)] = base[run_lists[entry.run]] + entry.row;
    }
  });
  return order;
}

/// Spill files of partitions buffer little: there may be a hundred of them open.
constexpr size_t kPartitionFlushBytes = size_t{64} << 10;
/// Rows per block of result files at most (a block per partition is held while merging them).
constexpr int64_t kResultBlockRows = 4096;

/// Rows per block of a partition's result file: the blocks of all partitions, held together by
/// the merge, take at most an eighth of the budget.
int64_t ResultBlockRows(const std::vector<Column>& columns, int64_t groups, int64_t limit,
                        size_t partitions) {
  int64_t bytes = 0;
  for (const Column& column : columns) {
    for (const auto* buffer : {&column.validity, &column.values, &column.data}) {
      if (*buffer != nullptr) bytes += (*buffer)->size();
    }
  }
  const int64_t row_bytes = std::max<int64_t>(1, bytes / std::max<int64_t>(1, groups));
  const int64_t share = limit / 8 / static_cast<int64_t>(partitions);
  return std::clamp<int64_t>(share / row_bytes, 16, kResultBlockRows);
}

/// The partition this thread is merging (with its mutex held), which a spill on this thread
/// must leave alone.
thread_local const void* t_merging = nullptr;

/// Marks the partition this thread merges for the length of a scope.
class MergingScope {
 public:
  explicit MergingScope(const void* partition) : previous_(t_merging) { t_merging = partition; }
  ~MergingScope() { t_merging = previous_; }

 private:
  const void* previous_;
};

}  // namespace

struct GroupedAggregation::Partial {
  explicit Partial(MemoryPool* pool) : reservation(pool) {}
  ~Partial() {
    if (tally != nullptr) tally->fetch_sub(bytes, std::memory_order_relaxed);
  }
  uint64_t seq = 0;
  int64_t rows = 0;  ///< Of the morsel.
  /// Aggregated: the morsel's groups in order of first occurrence, with a state per aggregate.
  /// Raw (a morsel whose keys hardly repeat): one entry per row, partition-major, with the
  /// aggregates' arguments gathered in that order; the partitions aggregate the rows themselves.
  bool raw = false;
  GroupKeys groups;
  std::vector<uint32_t> first_rows;  ///< Per entry: its (first) row in the morsel.
  /// Aggregated: the groups of partition p are partition_groups[partition_offsets[p], [p + 1]),
  /// in order. Raw: partition p's entries are [partition_offsets[p], [p + 1]).
  std::vector<uint32_t> partition_groups;
  std::vector<uint32_t> partition_offsets;
  std::vector<std::unique_ptr<GroupedAggregateState>> states;  ///< Aggregated.
  std::vector<Column> arguments;  ///< Raw: the distinct arguments, rows partition-major.
  MemoryReservation reservation;
  int64_t bytes = 0;  ///< All the partial holds: its reservation and its arguments' buffers.
  std::atomic<int64_t>* tally = nullptr;  ///< Profiled runs: the live partials' bytes.
};

/// What a partition merges from one partial: the partial's entries of that partition, in
/// memory or read back from the partition's spill file.
struct GroupedAggregation::PartialSlice {
  uint64_t seq = 0;
  const GroupKeys* groups = nullptr;
  /// The entries of `groups`: entries[0..count), or begin, begin + 1, ... when null.
  const uint32_t* entries = nullptr;
  uint32_t begin = 0;
  uint32_t count = 0;
  const uint32_t* first_rows = nullptr;  ///< Indexed by entry.
  bool raw = false;
  const std::vector<std::unique_ptr<GroupedAggregateState>>* states = nullptr;  ///< Aggregated.
  const std::vector<Column>* arguments = nullptr;  ///< Raw: rows begin..begin + count.

  uint32_t Entry(uint32_t i) const { return entries != nullptr ? entries[i] : begin + i; }
};

struct GroupedAggregation::Partition {
  Partition(const KeyLayout& layout, MemoryPool* pool) : table(layout), reservation(pool) {}
  std::mutex mutex;
  /// Set once the partition spilled: its snapshot, then its share of each later partial.
  std::shared_ptr<SpillFile> file;
  /// The entries written to `file`: at least as many as the groups its rebuild makes.
  int64_t spilled_entries = 0;
  bool finished = false;
  std::atomic<int64_t> bytes{0};  ///< What `reservation` holds, readable without the mutex.
  uint64_t next_seq = 0;          ///< The seq of the next partial to merge.
  std::map<uint64_t, std::shared_ptr<const Partial>> pending;
  GroupingTable table;
  std::vector<uint64_t> first_seen;  ///< Per group, FirstSeen of its first row.
  std::vector<std::unique_ptr<GroupedAggregateState>> states;
  std::vector<uint32_t> targets;  ///< Scratch of MergeInto.
  MemoryReservation reservation;
  std::vector<Column> columns;  ///< After Finish: keys, then aggregates.
};

/// The tables of finished partitions, emptied, for the next rebuilds to take over: their memory
/// is already mapped, where a new table's would fault in page by page (most of the first pass
/// over a fresh slot array). At most one per thread, counted against the budget.
struct GroupedAggregation::SpareTables {
  SpareTables(int most, MemoryPool* pool) : most(static_cast<size_t>(most)), reservation(pool) {}

  void Give(GroupingTable table) {
    std::lock_guard lock(mutex);
    if (tables.size() >= most) return;
    tables.push_back(std::move(table));
    Account();
  }
  /// Moves a spare table into `table` unless all are much bigger than `groups` need.
  void TakeInto(GroupingTable* table, uint32_t groups) {
    {
      std::lock_guard lock(mutex);
      if (tables.empty() || tables.back().slot_count() > 2 * GroupingTable::SlotsFor(groups))
        return;
      *table = std::move(tables.back());
      tables.pop_back();
      Account();
    }
    table->Clear();
  }

 private:
  void Account() {
    int64_t bytes = 0;
    for (const GroupingTable& table : tables) bytes += table.MemoryUsage();
    reservation.Set(bytes);
  }

  std::mutex mutex;
  std::vector<GroupingTable> tables;
  size_t most;
  MemoryReservation reservation;
};

struct GroupedAggregation::Scratch {
  explicit Scratch(const KeyLayout& layout) : table(layout) {}
  GroupingTable table;
  EncodedKeys encoded;
  std::vector<uint32_t> group_ids;
};

GroupedAggregation::GroupedAggregation(GroupedAggregationSpec spec, const ExecContext& context)
    : spec_(std::move(spec)),
      context_(context),
      layout_([&] {
        std::vector<DataType> types;
        for (const BoundExprPtr& key : spec_.keys) types.push_back(key->type);
        return types;
      }()),
      radix_bits_(layout_.mode() == KeyMode::kNone ? 0 : kRadixBits) {
  if (context_.pool == nullptr) context_.pool = MemoryPool::Default();
  if (context_.threads == nullptr) context_.threads = &ThreadPool::Default();
  if (context_.batch_size <= 0) context_.batch_size = 64 * 1024;
  for (const AggregateSpec& aggregate : spec_.aggregates) {
    int slot = -1;
    if (aggregate.argument != nullptr) {
      for (size_t b = 0; b < argument_of_.size() && slot < 0; ++b) {
        const AggregateSpec& earlier = spec_.aggregates[b];
        if (argument_of_[b] >= 0 && !aggregate.argument_key.empty() &&
            earlier.argument_key == aggregate.argument_key &&
            earlier.argument->type == aggregate.argument->type)
          slot = argument_of_[b];
      }
      if (slot < 0) {
        slot = static_cast<int>(arguments_.size());
        arguments_.push_back(aggregate.argument);
      }
    }
    argument_of_.push_back(slot);
  }
  for (int p = 0; p < (1 << radix_bits_); ++p) {
    partitions_.push_back(std::make_unique<Partition>(layout_, context_.pool));
    partitions_.back()->states = MakeStates();
  }
  std::vector<Field> fields;
  for (size_t a = 0; a < arguments_.size(); ++a)
    fields.push_back({fmt::format("argument{}", a), arguments_[a]->type});
  arguments_schema_ = std::make_shared<Schema>(std::move(fields));
  no_arguments_.schema = arguments_schema_;
  for (const BoundExprPtr& argument : arguments_)
    no_arguments_.columns.push_back(MakeEmptyColumn(argument->type, context_.pool));
  // A global aggregate holds one group: nothing worth spilling.
  if (radix_bits_ > 0) {
    context_.pool->AddConsumer(this);
    registered_ = true;
  }
}

GroupedAggregation::~GroupedAggregation() {
  if (registered_) context_.pool->RemoveConsumer(this);
  for (const auto& partition : partitions_) held_bytes_ -= partition->bytes.load();
}

std::vector<std::unique_ptr<GroupedAggregateState>> GroupedAggregation::MakeStates() const {
  std::vector<std::unique_ptr<GroupedAggregateState>> states;
  for (const AggregateSpec& aggregate : spec_.aggregates) {
    InAggregate(aggregate, [&] {
      states.push_back(aggregate.function->make_state(aggregate.input_type, aggregate.param,
                                                      aggregate.distinct));
    });
  }
  return states;
}

GroupedAggregation::Scratch* GroupedAggregation::AcquireScratch() {
  std::lock_guard lock(scratch_mutex_);
  if (free_scratch_.empty()) return new Scratch(layout_);
  Scratch* scratch = free_scratch_.back().release();
  free_scratch_.pop_back();
  return scratch;
}

void GroupedAggregation::ReleaseScratch(Scratch* scratch) {
  std::lock_guard lock(scratch_mutex_);
  free_scratch_.emplace_back(scratch);
}

void GroupedAggregation::ThrowWithContext(const Error& error) const {
  if (error.kind() == ErrorKind::kOutOfMemory)
    ThrowOutOfMemory("the aggregation ({}) ran out of memory: {}", spec_.display, error.what());
  throw Error(error.kind(), error.what());
}

void GroupedAggregation::Consume(const Batch& batch) {
  if (batch.seq >= (uint64_t{1} << 32) || batch.num_rows >= (int64_t{1} << 32))
    ThrowUnsupported("batch {} with {} rows is beyond what the aggregation numbers", batch.seq,
                     batch.num_rows);
  try {
    Scratch* scratch = AcquireScratch();
    std::shared_ptr<Partial> partial;
    try {
      partial = BuildPartial(batch, scratch);
    } catch (...) {
      ReleaseScratch(scratch);
      throw;
    }
    ReleaseScratch(scratch);
    if (context_.counters != nullptr) TrackPartial(partial.get());
    AddPartial(std::move(partial));
  } catch (const Error& error) {
    ThrowWithContext(error);
  }
}

std::shared_ptr<GroupedAggregation::Partial> GroupedAggregation::BuildPartial(const Batch& batch,
                                                                              Scratch* scratch) {
  auto partial = std::make_shared<Partial>(context_.pool);
  partial->seq = batch.seq;
  partial->rows = batch.num_rows;
  const int64_t rows = batch.num_rows;

  std::vector<Column> keys;
  keys.reserve(spec_.keys.size());
  for (const BoundExprPtr& key : spec_.keys)
    keys.push_back(Evaluate(*key, batch, true, context_.pool));
  layout_.Encode(keys, rows, &scratch->encoded);
  scratch->group_ids.resize(static_cast<size_t>(rows));
  uint32_t* group_ids = scratch->group_ids.data();

  // Group a sample first: when nearly every row of it is a new group, aggregating the morsel on
  // its own would only copy it, so its rows go to the partitions as they are. The choice depends
  // on the morsel's contents alone, which keeps results independent of the thread count.
  std::vector<Column> arguments;
  arguments.reserve(arguments_.size());
  for (const BoundExprPtr& argument : arguments_)
    arguments.push_back(Evaluate(*argument, batch, true, context_.pool));

  const int64_t sample = std::min(rows, kSampleRows);
  scratch->table.FindOrInsert(scratch->encoded, 0, sample, group_ids, &partial->first_rows);
  if (radix_bits_ > 0 && sample >= kMinSampleRows &&
      scratch->table.size() * kRawDenominator > static_cast<uint64_t>(sample) * kRawNumerator) {
    scratch->table.TakeGroups();
    partial->first_rows.clear();
    BuildRawPartial(batch, arguments, partial.get(), scratch);
    return partial;
  }
  scratch->table.FindOrInsert(scratch->encoded, sample, rows, group_ids, &partial->first_rows);
  partial->groups = scratch->table.TakeGroups();
  PartitionGroups(partial.get(), scratch);

  const int64_t groups = partial->groups.size();
  int64_t bytes = partial->groups.MemoryUsage() + groups * 8;
  partial->states = MakeStates();
  for (size_t a = 0; a < spec_.aggregates.size(); ++a) {
    const AggregateSpec& aggregate = spec_.aggregates[a];
    GroupedAggregateState& state = *partial->states[a];
    InAggregate(aggregate, [&] {
      state.Resize(groups);
      // A global aggregate passes no group ids: every row is in group 0.
      state.UpdateRange(argument_of_[a] >= 0 ? &arguments[argument_of_[a]] : nullptr, 0, rows,
                        layout_.mode() == KeyMode::kNone ? nullptr : group_ids);
      state.Seal();
    });
    bytes += state.MemoryUsage();
  }
  partial->reservation.Set(bytes);
  partial->bytes = bytes;
  return partial;
}

void GroupedAggregation::BuildRawPartial(const Batch& batch, const std::vector<Column>& arguments,
                                         Partial* partial, Scratch* scratch) const {
  const int64_t rows = batch.num_rows;
  const uint32_t partitions = 1u << radix_bits_;
  const uint64_t* hashes = scratch->encoded.hashes.data();
  std::vector<uint32_t>& offsets = partial->partition_offsets;
  offsets.assign(partitions + 1, 0);
  for (int64_t i = 0; i < rows; ++i) ++offsets[PartitionOf(hashes[i], radix_bits_) + 1];
  for (uint32_t p = 0; p < partitions; ++p) offsets[p + 1] += offsets[p];
  // A stable counting sort of the rows by partition: each partition sees its rows in order.
  std::vector<uint32_t> order(static_cast<size_t>(rows));
  std::vector<uint32_t> next(offsets.begin(), offsets.end() - 1);
  for (int64_t i = 0; i < rows; ++i) {
    order[next[PartitionOf(hashes[i], radix_bits_)]++] = static_cast<uint32_t>(i);
  }
  partial->raw = true;
  partial->groups = GatherRows(layout_.mode(), scratch->encoded, order.data(), rows);
  for (const Column& argument : arguments)
    partial->arguments.push_back(GatherArgument(argument, order, context_.pool));
  partial->first_rows = std::move(order);
  int64_t bytes = partial->groups.MemoryUsage() + rows * 4;
  partial->reservation.Set(bytes);  // The arguments' buffers are the pool's own.
  for (const Column& argument : partial->arguments) {
    for (const auto* buffer : {&argument.validity, &argument.values, &argument.data}) {
      if (*buffer != nullptr) bytes += (*buffer)->capacity();
    }
  }
  partial->bytes = bytes;
}

void GroupedAggregation::PartitionGroups(Partial* partial, Scratch* scratch) const {
  const uint32_t groups = partial->groups.size();
  const uint32_t partitions = 1u << radix_bits_;
  std::vector<uint32_t>& offsets = partial->partition_offsets;
  std::vector<uint32_t>& listed = partial->partition_groups;
  offsets.assign(partitions + 1, 0);
  listed.resize(groups);
  if (radix_bits_ == 0) {
    offsets[1] = groups;
    for (uint32_t g = 0; g < groups; ++g) listed[g] = g;
    return;
  }
  const uint64_t* hashes = partial->groups.hashes.data();
  for (uint32_t g = 0; g < groups; ++g) ++offsets[PartitionOf(hashes[g], radix_bits_) + 1];
  for (uint32_t p = 0; p < partitions; ++p) offsets[p + 1] += offsets[p];
  // A stable counting sort: each partition lists its groups in first-occurrence order.
  std::vector<uint32_t> next(offsets.begin(), offsets.end() - 1);
  for (uint32_t g = 0; g < groups; ++g) listed[next[PartitionOf(hashes[g], radix_bits_)]++] = g;
  if (groups < kRenumberGroups) return;
  // Many groups: renumber them partition-major, so that merging a partition reads the partial's
  // keys and states sequentially rather than scattered over megabytes. This costs one pass over
  // the rows' group ids, which is why few groups are only listed.
  std::vector<uint32_t> new_ids(groups);
  for (uint32_t i = 0; i < groups; ++i) new_ids[listed[i]] = i;
  partial->groups.Permute(new_ids);
  std::vector<uint32_t> first_rows(groups);
  for (uint32_t g = 0; g < groups; ++g) first_rows[new_ids[g]] = partial->first_rows[g];
  partial->first_rows = std::move(first_rows);
  for (uint32_t i = 0; i < groups; ++i) listed[i] = i;
  uint32_t* group_ids = scratch->group_ids.data();
  const uint32_t* mapping = new_ids.data();
  for (size_t i = 0; i < scratch->group_ids.size(); ++i) group_ids[i] = mapping[group_ids[i]];
}

void GroupedAggregation::AddPartial(std::shared_ptr<Partial> partial) {
  std::vector<std::shared_ptr<Partial>> round;
  {
    std::lock_guard lock(ready_mutex_);
    ready_bytes_.fetch_add(partial->bytes, std::memory_order_relaxed);
    ready_.emplace(partial->seq, std::move(partial));
    // Hand out a round once the consecutive partials from next_round_seq_ are enough.
    auto it = ready_.find(next_round_seq_);
    size_t consecutive = 0;
    int64_t rows = 0;
    int64_t bytes = 0;
    for (auto at = it; at != ready_.end() && at->first == next_round_seq_ + consecutive; ++at) {
      ++consecutive;
      rows += at->second->rows;
      bytes += at->second->bytes;
    }
    if (rows < kRoundRows && consecutive < kRoundPartials && bytes < RoundBudget()) return;
    for (size_t k = 0; k < consecutive; ++k) {
      round.push_back(std::move(it->second));
      it = ready_.erase(it);
    }
    next_round_seq_ += consecutive;
    ready_bytes_.fetch_sub(bytes, std::memory_order_relaxed);
  }
  MergeRound(round);
}

int64_t GroupedAggregation::RoundBudget() const {
  // Under a small budget, partials waiting for their round would crowd out everything else
  // (and cannot spill): every thread may be merging a round, and together they take at most
  // an eighth of the budget.
  return context_.pool->limit() / 8 / std::max(1, context_.threads->size());
}

bool GroupedAggregation::Backlogged() const {
  // Past a round's worth, what waits is behind a gap: a morsel still being aggregated.
  return ready_bytes_.load(std::memory_order_relaxed) > 2 * RoundBudget();
}

void GroupedAggregation::MergeRound(const std::vector<std::shared_ptr<Partial>>& round) {
  // Partitions merge independently, so idle threads of the pool help with this round.
  context_.threads->ParallelFor(static_cast<int64_t>(partitions_.size()), [&](int64_t p) {
    const uint32_t index = static_cast<uint32_t>(p);
    Partition& partition = *partitions_[index];
    std::lock_guard lock(partition.mutex);
    MergingScope merging(&partition);
    for (const std::shared_ptr<Partial>& partial : round) {
      if (partial->seq < partition.next_seq)
        ThrowInternal("the aggregation received batch seq {} twice", partial->seq);
      partition.pending.emplace(partial->seq, partial);
    }
    while (!partition.pending.empty() && partition.pending.begin()->first == partition.next_seq) {
      MergeInto(&partition, index, *partition.pending.begin()->second);
      partition.pending.erase(partition.pending.begin());
      ++partition.next_seq;
    }
  });
}

void GroupedAggregation::MergeInto(Partition* partition, uint32_t index, const Partial& partial) {
  const uint32_t begin = partial.partition_offsets[index];
  const uint32_t count = partial.partition_offsets[index + 1] - begin;
  if (count == 0) return;
  // Raw partials list no groups: partition p's entries are [begin, begin + count).
  const uint32_t* entries = partial.raw ? nullptr : partial.partition_groups.data() + begin;
  if (partition->file != nullptr) {
    WriteToSpill(partition, partial, entries, begin, count);
    return;
  }
  PartialSlice slice;
  slice.seq = partial.seq;
  slice.groups = &partial.groups;
  slice.entries = entries;
  slice.begin = begin;
  slice.count = count;
  slice.first_rows = partial.first_rows.data();
  slice.raw = partial.raw;
  slice.states = &partial.states;
  slice.arguments = &partial.arguments;
  MergeSlice(partition, slice);
}

void GroupedAggregation::MergeSlice(Partition* partition, const PartialSlice& slice) {
  const uint32_t count = slice.count;
  partition->targets.resize(count);
  uint32_t* targets = partition->targets.data();
  const uint32_t before = partition->table.size();
  partition->table.FindOrInsertGroups(*slice.groups, slice.entries, slice.begin, count, targets);
  const uint32_t after = partition->table.size();
  if (after != before) {
    // New groups are numbered in order of their first entry.
    partition->first_seen.resize(after);
    uint32_t next_new = before;
    for (uint32_t i = 0; i < count && next_new < after; ++i) {
      if (targets[i] == next_new) {
        partition->first_seen[next_new++] = FirstSeen(slice.seq, slice.first_rows[slice.Entry(i)]);
      }
    }
  }
  int64_t bytes = partition->table.MemoryUsage() + int64_t{after} * 8;
  for (size_t a = 0; a < spec_.aggregates.size(); ++a) {
    GroupedAggregateState& state = *partition->states[a];
    InAggregate(spec_.aggregates[a], [&] {
      state.Resize(after);
      if (slice.raw) {
        state.UpdateRange(argument_of_[a] >= 0 ? &(*slice.arguments)[argument_of_[a]] : nullptr,
                          slice.begin, slice.begin + count, targets);
      } else {
        state.MergeGroups(*(*slice.states)[a], slice.entries, targets, count);
      }
    });
    bytes += state.MemoryUsage();
  }
  SetPartitionBytes(partition, bytes);
}

void GroupedAggregation::SetPartitionBytes(Partition* partition, int64_t bytes) {
  partition->reservation.Set(bytes);
  held_bytes_ += bytes - partition->bytes.exchange(bytes);
  if (context_.counters != nullptr) NotePeak();
}

void GroupedAggregation::TrackPartial(Partial* partial) {
  partial_bytes_.fetch_add(partial->bytes, std::memory_order_relaxed);
  partial->tally = &partial_bytes_;
  NotePeak();
}

void GroupedAggregation::NotePeak() {
  context_.counters->NotePeak(held_bytes_.load(std::memory_order_relaxed) +
                              partial_bytes_.load(std::memory_order_relaxed));
}

void GroupedAggregation::WriteToSpill(Partition* partition, const Partial& partial,
                                      const uint32_t* entries, uint32_t begin, uint32_t count) {
  partition->spilled_entries += count;
  std::vector<uint8_t> keys;
  WriteGroupKeys(partial.groups, entries, begin, count, &keys);
  std::vector<uint64_t> first(count);
  for (uint32_t i = 0; i < count; ++i)
    first[i] = partial.first_rows[entries != nullptr ? entries[i] : begin + i];
  std::vector<std::vector<uint8_t>> states;
  if (partial.raw) {
    // The rows go as they are, with their arguments, to be aggregated at the rebuild.
    Batch arguments;
    arguments.schema = arguments_schema_;
    arguments.num_rows = count;
    for (const Column& column : partial.arguments)
      arguments.columns.push_back(column.Slice(begin, count, context_.pool));
    WritePartitionBlock(partition->file.get(), PartitionBlockKind::kRaw, partial.seq,
                        std::move(keys), first, std::move(states), arguments);
    return;
  }
  for (const auto& state : partial.states) state->Serialize(entries, count, &states.emplace_back());
  WritePartitionBlock(partition->file.get(), PartitionBlockKind::kAggregated, partial.seq,
                      std::move(keys), first, std::move(states), no_arguments_);
}

int64_t GroupedAggregation::Spill() {
  // The largest partitions first, until half of what is held is freed: each one spilled takes
  // the rest of its input to disk too, so a few big ones are better than many small.
  std::vector<std::pair<int64_t, uint32_t>> sizes;
  for (uint32_t p = 0; p < partitions_.size(); ++p) {
    const int64_t bytes = partitions_[p]->bytes.load();
    if (bytes > 0) sizes.emplace_back(bytes, p);
  }
  std::sort(sizes.begin(), sizes.end(), std::greater<>());
  const int64_t target = held_bytes_.load() / 2;
  int64_t freed = 0;
  std::vector<Partition*> chosen;
  std::vector<std::unique_lock<std::mutex>> locks;
  for (const auto& [bytes, p] : sizes) {
    Partition& partition = *partitions_[p];
    // The partition this thread is merging is left alone, and so is one another thread is
    // merging: waiting for it could deadlock with that thread's own reservation.
    if (t_merging == &partition) continue;
    std::unique_lock lock(partition.mutex, std::try_to_lock);
    if (!lock.owns_lock() || partition.file != nullptr || partition.finished) continue;
    freed += partition.bytes.load();
    chosen.push_back(&partition);
    locks.push_back(std::move(lock));
    if (freed >= target) break;
  }
  // Chosen and locked here; written out in parallel, each partition to its own file.
  spill_threads_.get()->ParallelFor(static_cast<int64_t>(chosen.size()), [&](int64_t i) {
    SpillingScope scope;  // Granted beyond the budget, as on the spilling thread.
    SpillPartition(chosen[static_cast<size_t>(i)]);
  });
  if (freed > 0 && context_.counters != nullptr)
    context_.counters->spill_count.fetch_add(1, std::memory_order_relaxed);
  return freed;
}

void GroupedAggregation::SpillPartition(Partition* partition) {
  const uint32_t groups = partition->table.size();
  partition->file =
      std::make_shared<SpillFile>("aggregate", kPartitionFlushBytes, context_.counters);
  std::vector<uint8_t> keys;
  WriteGroupKeys(partition->table.groups(), nullptr, 0, groups, &keys);
  std::vector<std::vector<uint8_t>> states;
  for (const auto& state : partition->states) {
    state->Resize(groups);
    state->Serialize(nullptr, groups, &states.emplace_back());
  }
  WritePartitionBlock(partition->file.get(), PartitionBlockKind::kSnapshot, 0, std::move(keys),
                      partition->first_seen, std::move(states), no_arguments_);
  partition->spilled_entries = groups;
  partition->table = GroupingTable(layout_);
  partition->first_seen = std::vector<uint64_t>();
  partition->targets = std::vector<uint32_t>();
  partition->states = MakeStates();
  SetPartitionBytes(partition, 0);
  spilled_ = true;
}

void GroupedAggregation::RebuildPartition(Partition* partition, SpareTables* spares) {
  std::shared_ptr<SpillFile> file = std::move(partition->file);
  partition->file = nullptr;
  file->Finish();
  PartitionReader reader(file, arguments_schema_, spec_.aggregates.size(), context_.pool);
  // Sized for every entry of the file up front, rather than grown step by step (each step
  // reinserts the groups so far). Entries repeat groups that several morsels had, so the size
  // is capped at a share of the budget, past which the table grows as it fills.
  const int64_t most = context_.pool->limit() / 8 / std::max(1, context_.threads->size()) /
                       GroupingTable::kReservedBytesPerGroup;
  const auto expected =
      static_cast<uint32_t>(std::min({partition->spilled_entries, most, int64_t{1} << 30}));
  if (spares != nullptr) spares->TakeInto(&partition->table, expected);
  partition->table.Reserve(expected);
  partition->first_seen.reserve(expected);
  PartitionBlock block;
  std::vector<uint32_t> first_rows;
  while (reader.Next(&block)) {
    const uint32_t count = block.keys.size();
    // The table reads the keys in this aggregation's layout: a block must carry that layout.
    const bool fixed = layout_.mode() == KeyMode::kFixed;
    if ((fixed && block.keys.fixed.size() != count) ||
        (!fixed && block.keys.offsets.size() != size_t{count} + 1))
      ThrowIo("spill file \"{}\" holds keys of another layout", file->path());
    if (block.kind == PartitionBlockKind::kSnapshot) {
      if (partition->table.size() != 0)
        ThrowIo("spill file \"{}\" has two snapshots", file->path());
      partition->targets.resize(count);
      partition->table.FindOrInsertGroups(block.keys, nullptr, 0, count, partition->targets.data());
      if (partition->table.size() != count)
        ThrowIo("spill file \"{}\" repeats a group in its snapshot", file->path());
      partition->first_seen.assign(block.first.begin(), block.first.end());  // Keeps its room.
      for (size_t a = 0; a < spec_.aggregates.size(); ++a) {
        InAggregate(spec_.aggregates[a],
                    [&] { partition->states[a]->Deserialize(block.states[a]); });
      }
      continue;
    }
    first_rows.assign(block.first.begin(), block.first.end());
    std::vector<std::unique_ptr<GroupedAggregateState>> states;
    if (block.kind == PartitionBlockKind::kAggregated) {
      states = MakeStates();
      for (size_t a = 0; a < states.size(); ++a) {
        InAggregate(spec_.aggregates[a], [&] {
          states[a]->Deserialize(block.states[a]);
          states[a]->Seal();
        });
      }
    }
    PartialSlice slice;
    slice.seq = block.seq;
    slice.groups = &block.keys;
    slice.count = count;
    slice.first_rows = first_rows.data();
    slice.raw = block.kind == PartitionBlockKind::kRaw;
    slice.states = &states;
    slice.arguments = &block.arguments.columns;
    if (count > 0) MergeSlice(partition, slice);
  }
}

void GroupedAggregation::Finish() {
  try {
    if (spilled_) {
      FinishToDisk();
    } else {
      context_.threads->ParallelFor(static_cast<int64_t>(partitions_.size()), [&](int64_t index) {
        FinishPartition(static_cast<uint32_t>(index));
      });
      ready_.clear();
      BuildOutput();
      result_ = MakeBatchSource(spec_.output_schema, std::move(output_));
    }
  } catch (const Error& error) {
    ThrowWithContext(error);
  }
}

void GroupedAggregation::FinishToDisk() {
  std::vector<std::shared_ptr<SpillFile>> files(partitions_.size());
  std::vector<SchemaPtr> schemas(partitions_.size());
  SpareTables spares(context_.threads->size(), context_.pool);
  context_.threads->ParallelFor(static_cast<int64_t>(partitions_.size()), [&](int64_t index) {
    FinishPartition(static_cast<uint32_t>(index), &spares);
    Partition& partition = *partitions_[index];
    std::vector<Field> fields;
    for (size_t c = 0; c < partition.columns.size(); ++c)
      fields.push_back({fmt::format("c{}", c), partition.columns[c].type});
    schemas[index] = std::make_shared<Schema>(std::move(fields));
    const int64_t groups = static_cast<int64_t>(partition.first_seen.size());
    files[index] = WriteResultFile(
        schemas[index], partition.columns, partition.first_seen,
        ResultBlockRows(partition.columns, groups, context_.pool->limit(), partitions_.size()),
        context_.pool, context_.counters);
    partition.columns = std::vector<Column>();
    partition.first_seen = std::vector<uint64_t>();
  });
  ready_.clear();
  result_ = MakePositionMergeSource(schemas[0], spec_.output_schema, spec_.output_columns,
                                    std::move(files), context_.batch_size, context_.pool);
}

void GroupedAggregation::FinishPartition(uint32_t index, SpareTables* spares) {
  Partition& partition = *partitions_[index];
  std::lock_guard lock(partition.mutex);
  MergingScope merging(&partition);
  for (const auto& [seq, partial] : ready_) partition.pending.emplace(seq, partial);
  // Partials after a gap in the seqs (a source that skipped one) are merged in seq order here.
  for (const auto& [seq, partial] : partition.pending) MergeInto(&partition, index, *partial);
  partition.pending.clear();
  partition.finished = true;
  if (partition.file != nullptr) RebuildPartition(&partition, spares);
  if (layout_.mode() == KeyMode::kNone && index == 0 && partition.table.size() == 0) {
    // A global aggregate has one row even for an empty input: the empty group.
    GroupKeys empty;
    empty.hashes.push_back(0);
    uint32_t target;
    partition.table.FindOrInsertGroups(empty, nullptr, 0, 1, &target);
    partition.first_seen.push_back(0);
  }
  const uint32_t groups = partition.table.size();
  partition.columns = layout_.Decode(partition.table.groups(), context_.pool);
  for (size_t a = 0; a < spec_.aggregates.size(); ++a) {
    InAggregate(spec_.aggregates[a], [&] {
      partition.states[a]->Resize(groups);
      partition.columns.push_back(partition.states[a]->Finalize(context_.pool));
    });
    partition.states[a].reset();
  }
  for (const Column& column : partition.columns) SLUICE_CHECK(column.length == groups);
  GroupingTable done = std::exchange(partition.table, GroupingTable(layout_));
  SetPartitionBytes(&partition, 0);
  if (spares != nullptr) spares->Give(std::move(done));
}

void GroupedAggregation::BuildOutput() {
  const size_t partitions = partitions_.size();
  std::vector<int64_t> base(partitions + 1, 0);
  size_t non_empty = 0;
  size_t last_non_empty = 0;
  for (size_t p = 0; p < partitions; ++p) {
    int64_t groups = static_cast<int64_t>(partitions_[p]->first_seen.size());
    base[p + 1] = base[p] + groups;
    if (groups > 0) {
      ++non_empty;
      last_non_empty = p;
    }
  }
  const int64_t total = base[partitions];
  const size_t internal_columns = spec_.keys.size() + spec_.aggregates.size();

  // The groups in order of first appearance, as indexes into the partitions' concatenation.
  std::vector<int64_t> order;
  if (non_empty > 1) {
    std::vector<const std::vector<uint64_t>*> lists;
    for (const auto& partition : partitions_) lists.push_back(&partition->first_seen);
    order = MergeFirstSeen(lists, *context_.threads);
  }

  // Every internal column over all partitions (just the one partition's when only one has groups).
  std::vector<Column> columns(internal_columns);
  context_.threads->ParallelFor(static_cast<int64_t>(internal_columns), [&](int64_t c) {
    if (non_empty <= 1) {
      columns[c] = std::move(partitions_[last_non_empty]->columns[c]);
      return;
    }
    Column all = MakeEmptyColumn(partitions_[0]->columns[c].type, context_.pool);
    for (size_t p = 0; p < partitions; ++p) {
      if (partitions_[p]->columns[c].length > 0)
        all.AppendFrom(partitions_[p]->columns[c], context_.pool);
      partitions_[p]->columns[c] = Column();
    }
    columns[c] = std::move(all);
  });

  const Schema& schema = *spec_.output_schema;
  SLUICE_CHECK(schema.size() == spec_.output_columns.size());
  for (size_t i = 0; i < schema.size(); ++i) {
    const Column& column = columns[spec_.output_columns[i]];
    if (!(column.type == schema.field(i).type))
      ThrowInternal("the aggregation computes column \"{}\" as {} but the plan expects {}",
                    schema.field(i).name, column.type.ToString(), schema.field(i).type.ToString());
  }

  const int64_t batch_size = context_.batch_size;
  const int64_t batches = (total + batch_size - 1) / batch_size;
  output_.assign(static_cast<size_t>(batches), Batch());
  context_.threads->ParallelFor(batches, [&](int64_t b) {
    const int64_t start = b * batch_size;
    const int64_t rows = std::min(batch_size, total - start);
    Batch& batch = output_[b];
    batch.schema = spec_.output_schema;
    batch.num_rows = rows;
    batch.seq = static_cast<uint64_t>(b);
    for (int c : spec_.output_columns) {
      const Column& column = columns[c];
      if (!order.empty()) {
        batch.columns.push_back(Take(column, order.data() + start, rows, context_.pool));
      } else if (batches == 1) {
        batch.columns.push_back(column);
      } else {
        batch.columns.push_back(column.Slice(start, rows, context_.pool));
      }
    }
  });
}

}  // namespace sluice::exec
