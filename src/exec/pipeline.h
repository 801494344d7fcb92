// Morsel-driven push pipelines (DESIGN.md "Execution"). A pipeline is a Source, a chain of
// streaming Operators and a Sink. The driver pulls batches from the source on one thread and
// hands each to a worker of the pool, which pushes it through the operators into the sink; at
// most a few batches per thread are in flight, so memory is bounded by the work in flight.
//
// Order: a source numbers its batches seq = 0, 1, 2, ... Operators keep a batch's seq (a filter
// that removes every row still passes an empty batch on, so that sinks see every seq). Sinks
// receive batches in any order from several threads and use seq to restore order where order
// matters (results, files, first/last, float sums): that is why output never depends on
// the thread count.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/batch.h"
#include "core/memory_pool.h"
#include "core/thread_pool.h"
#include "plan/plan_profile.h"

namespace sluice::exec {

/// Rows of the input read so far and in total (when known), for progress bars.
struct ProgressCounters {
  std::atomic<int64_t> rows_done{0};
  std::atomic<int64_t> rows_total{0};
};

class SharedSubplans;

struct ExecContext {
  ThreadPool* threads = nullptr;
  MemoryPool* pool = nullptr;
  ProgressCounters* progress = nullptr;  ///< May be null.
  int64_t batch_size = 64 * 1024;
  PlanProfile* profile = nullptr;  ///< EXPLAIN ANALYZE's counters; usually null.
  /// The memory and spill counters of the operator being built (its node's, in a profiled
  /// run); usually null. The physical planner sets it per node, never for a node's inputs.
  SpillCounters* counters = nullptr;
  /// Results computed once for several places of the plan being built; may be null.
  SharedSubplans* shared = nullptr;
};

/// Produces batches with seq 0, 1, 2, ...; called from one thread at a time.
class Source {
 public:
  virtual ~Source() = default;
  virtual const SchemaPtr& schema() const = 0;
  /// Fills `out` with the next batch; false at the end.
  virtual bool Next(Batch* out) = 0;

  /// The indexes of the rows of a batch that pass a filter, ascending.
  using RowFilter = std::function<std::vector<int64_t>(const Batch& columns)>;
  /// Offers, before the first Next, a filter of rows by some of the source's columns (handed
  /// to it as a batch of those columns alone): a source that can apply it while reading leaves
  /// the rejected rows out and says true; one that cannot says false, and nothing changes.
  virtual bool FilterRows(const std::vector<std::string>& /*columns*/, RowFilter /*filter*/) {
    return false;
  }
};

/// One batch in, one batch out with the same seq (possibly with no rows). Process is called
/// concurrently from several threads and must not keep per-call state in members.
class Operator {
 public:
  virtual ~Operator() = default;
  virtual const SchemaPtr& schema() const = 0;  ///< The output schema.
  virtual Batch Process(Batch input) = 0;
};

/// The end of a pipeline. Consume is called concurrently, with batches in any order.
class Sink {
 public:
  virtual ~Sink() = default;
  virtual void Consume(Batch batch) = 0;
  /// True once the sink needs no more input (a satisfied limit); the driver then stops early.
  virtual bool Done() const { return false; }
  /// True while the sink holds more input waiting for an earlier batch still in flight than it
  /// wants to (an ordered merge behind a slow morsel): the driver then starts no more batches
  /// until one finishes, so one stalled thread cannot make the others fill the memory budget.
  virtual bool Backlogged() const { return false; }
  /// Called once, after the last Consume, on the driver's thread (it may use the pool).
  virtual void Finish() = 0;
};

/// A sink whose result feeds the next pipeline (aggregate, sort, join build, limit): after
/// Finish, TakeResult gives its output as a source.
class BreakerSink : public Sink {
 public:
  virtual std::unique_ptr<Source> TakeResult() = 0;
};

using OperatorChain = std::vector<std::shared_ptr<Operator>>;

/// A source with the operators still to apply to its batches: the unit the physical planner
/// passes up the plan until a pipeline breaker runs it into a sink.
struct Stream {
  std::unique_ptr<Source> source;
  OperatorChain ops;
  const SchemaPtr& schema() const { return ops.empty() ? source->schema() : ops.back()->schema(); }
};

/// Runs `stream` into `sink` on the pool: at most 2 batches per thread in flight (and, under a
/// memory limit, batches of at most an eighth of it, one batch always). The first
/// error (from the source, an operator or the sink) stops the pipeline and is rethrown here,
/// after every task has ended. Calls sink.Finish() when everything was consumed.
void RunPipeline(Stream stream, Sink& sink, const ExecContext& context);

/// Turns a stream into a plain source that applies its operators as it is pulled (on the
/// caller's thread). For places that need a Source, such as the inputs of a union.
std::unique_ptr<Source> StreamAsSource(Stream stream);

/// A source over batches already in memory (renumbered 0, 1, 2, ...).
std::unique_ptr<Source> MakeBatchSource(SchemaPtr schema, std::vector<Batch> batches);

}  // namespace sluice::exec
