// From logical nodes to sources, operators and sinks.
#include "exec/physical_planner.h"

#include "core/error.h"
#include "exec/concat_source.h"
#include "exec/filter_project.h"
#include "exec/hash_aggregate.h"
#include "exec/hash_join.h"
#include "exec/ordered_sinks.h"
#include "exec/profile.h"
#include "exec/scan.h"
#include "exec/shared_subplans.h"
#include "exec/sort.h"
#include "exec/window.h"

namespace sluice::exec {

namespace {

/// The counters of `plan`'s node in a profiled run (EXPLAIN ANALYZE), else null.
NodeProfile* ProfileOf(const PlanPtr& plan, const ExecContext& context) {
  return context.profile ? context.profile->For(plan.get()) : nullptr;
}

/// The context for the operators of `plan`'s own node: in a profiled run it carries the node's
/// memory and spill counters (never passed on to the node's inputs, which have their own).
ExecContext NodeContext(const PlanPtr& plan, const ExecContext& context) {
  ExecContext own = context;
  own.counters = ProfileOf(plan, context);
  return own;
}

/// Runs `input` into `sink` and continues from its result; a profiled run times the sink.
Stream RunBreaker(const PlanPtr& plan, Stream input, std::unique_ptr<BreakerSink> sink,
                  const ExecContext& context) {
  if (NodeProfile* profile = ProfileOf(plan, context)) sink = ProfileSink(std::move(sink), profile);
  RunPipeline(std::move(input), *sink, context);
  return Stream{sink->TakeResult(), {}};
}

/// Appends the operator of a streaming node; a profiled run times it.
Stream Extend(const PlanPtr& plan, Stream stream, std::shared_ptr<Operator> op,
              const ExecContext& context) {
  stream.ops.push_back(std::move(op));
  if (NodeProfile* profile = ProfileOf(plan, context))
    TimeStream(&stream, stream.ops.size() - 1, false, profile);
  return stream;
}

Stream BuildNode(const PlanPtr& plan, const ExecContext& context);

/// Builds an aggregate, or reads its rows if an equal one was built before (keeping them for
/// later when it is shared).
Stream BuildAggregate(const PlanPtr& plan, const ExecContext& context) {
  const std::string key = context.shared ? context.shared->KeyOf(plan) : std::string();
  if (!key.empty()) {
    if (const std::vector<Batch>* rows = context.shared->Find(key))
      return Stream{MakeBatchSource(plan->schema, *rows), {}};
  }
  Stream input = BuildStream(plan->inputs[0], context);
  auto sink = MakeHashAggregateSink(*plan->inputs[0]->schema, plan->keys, plan->aggregates,
                                    plan->schema, NodeContext(plan, context));
  Stream result = RunBreaker(plan, std::move(input), std::move(sink), context);
  if (key.empty()) return result;
  std::vector<Batch> rows;
  for (Batch batch; result.source->Next(&batch);) rows.push_back(std::move(batch));
  context.shared->Store(key, rows);
  return Stream{MakeBatchSource(plan->schema, std::move(rows)), {}};
}

}  // namespace

Stream BuildStream(const PlanPtr& plan, const ExecContext& context) {
  Stream stream = BuildNode(plan, context);
  if (NodeProfile* profile = ProfileOf(plan, context)) CountRows(&stream, profile);
  return stream;
}

Stream BuildPlan(const PlanPtr& plan, const ExecContext& context) {
  SharedSubplans shared(plan);
  ExecContext with_shared = context;
  with_shared.shared = &shared;
  return BuildStream(plan, with_shared);
}

namespace {

Stream BuildNode(const PlanPtr& plan, const ExecContext& context) {
  switch (plan->kind) {
    case PlanKind::kScan: {
      Stream stream = MakeScanStream(*plan, context);
      if (NodeProfile* profile = ProfileOf(plan, context)) TimeStream(&stream, 0, true, profile);
      return stream;
    }
    case PlanKind::kFilter:
      return Extend(plan, BuildStream(plan->inputs[0], context),
                    MakeFilterOperator(plan->inputs[0]->schema, plan->predicate, context.pool),
                    context);
    case PlanKind::kProject:
      return Extend(
          plan, BuildStream(plan->inputs[0], context),
          MakeProjectOperator(plan->inputs[0]->schema, plan->exprs, plan->schema, context.pool),
          context);
    case PlanKind::kAggregate: return BuildAggregate(plan, context);
    case PlanKind::kDistinct: {
      Stream input = BuildStream(plan->inputs[0], context);
      auto sink =
          MakeDistinctSink(*plan->inputs[0]->schema, plan->subset, NodeContext(plan, context));
      return RunBreaker(plan, std::move(input), std::move(sink), context);
    }
    case PlanKind::kSort: {
      Stream input = BuildStream(plan->inputs[0], context);
      auto sink = MakeSortSink(*plan->inputs[0]->schema, plan->sort_keys, plan->limit,
                               NodeContext(plan, context));
      return RunBreaker(plan, std::move(input), std::move(sink), context);
    }
    case PlanKind::kLimit: {
      Stream input = BuildStream(plan->inputs[0], context);
      auto sink = MakeLimitSink(plan->schema, plan->offset, plan->count);
      return RunBreaker(plan, std::move(input), std::move(sink), context);
    }
    case PlanKind::kJoin: {
      Stream left = BuildStream(plan->inputs[0], context);
      Stream right = BuildStream(plan->inputs[1], context);
      // A profiled run times the probe: the operators the join adds to the left stream (or all
      // of a stream it builds anew).
      const size_t left_ops = left.ops.size();
      const Source* left_source = left.source.get();
      Stream joined =
          MakeHashJoin(*plan, std::move(left), std::move(right), NodeContext(plan, context));
      if (NodeProfile* profile = ProfileOf(plan, context)) {
        bool same_stream = joined.source.get() == left_source && joined.ops.size() >= left_ops;
        TimeStream(&joined, same_stream ? left_ops : 0, !same_stream, profile);
      }
      return joined;
    }
    case PlanKind::kUnion: {
      std::vector<std::unique_ptr<Source>> inputs;
      for (const PlanPtr& input : plan->inputs)
        inputs.push_back(StreamAsSource(BuildStream(input, context)));
      return Stream{MakeConcatSource(plan->schema, std::move(inputs)), {}};
    }
    case PlanKind::kWindow: {
      Stream input = BuildStream(plan->inputs[0], context);
      auto sink = MakeWindowSink(*plan, NodeContext(plan, context));
      return RunBreaker(plan, std::move(input), std::move(sink), context);
    }
    case PlanKind::kSink: ThrowInvalid("a sink can only be the top of a plan");
  }
  ThrowInternal("unknown plan kind");
}

}  // namespace

}  // namespace sluice::exec
