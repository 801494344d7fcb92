// From logical nodes to sources, operators and sinks.
#include "exec/physical_planner.h"

#include "core/error.h"
#include "exec/filter_project.h"
#include "exec/hash_aggregate.h"
#include "exec/hash_join.h"
#include "exec/ordered_sinks.h"
#include "exec/scan.h"
#include "exec/sort.h"
#include "exec/window.h"

namespace sluice::exec {

namespace {

/// The inputs of a union, one after another, renumbered.
class ConcatSource final : public Source {
 public:
  ConcatSource(SchemaPtr schema, std::vector<std::unique_ptr<Source>> inputs)
      : schema_(std::move(schema)), inputs_(std::move(inputs)) {}
  const SchemaPtr& schema() const override { return schema_; }
  bool Next(Batch* out) override {
    while (current_ < inputs_.size()) {
      if (inputs_[current_]->Next(out)) {
        out->seq = next_seq_++;
        out->schema = schema_;
        return true;
      }
      inputs_[current_].reset();  // Free the finished input's resources early.
      ++current_;
    }
    return false;
  }

 private:
  SchemaPtr schema_;
  std::vector<std::unique_ptr<Source>> inputs_;
  size_t current_ = 0;
  uint64_t next_seq_ = 0;
};

/// Runs `input` into `sink` and continues from its result.
Stream RunBreaker(Stream input, BreakerSink& sink, const ExecContext& context) {
  RunPipeline(std::move(input), sink, context);
  return Stream{sink.TakeResult(), {}};
}

}  // namespace

Stream BuildStream(const PlanPtr& plan, const ExecContext& context) {
  switch (plan->kind) {
    case PlanKind::kScan: return MakeScanStream(*plan, context);
    case PlanKind::kFilter: {
      Stream stream = BuildStream(plan->inputs[0], context);
      stream.ops.push_back(
          MakeFilterOperator(plan->inputs[0]->schema, plan->predicate, context.pool));
      return stream;
    }
    case PlanKind::kProject: {
      Stream stream = BuildStream(plan->inputs[0], context);
      stream.ops.push_back(
          MakeProjectOperator(plan->inputs[0]->schema, plan->exprs, plan->schema, context.pool));
      return stream;
    }
    case PlanKind::kAggregate: {
      Stream input = BuildStream(plan->inputs[0], context);
      auto sink = MakeHashAggregateSink(*plan->inputs[0]->schema, plan->keys, plan->aggregates,
                                        plan->schema, context);
      return RunBreaker(std::move(input), *sink, context);
    }
    case PlanKind::kDistinct: {
      Stream input = BuildStream(plan->inputs[0], context);
      auto sink = MakeDistinctSink(*plan->inputs[0]->schema, plan->subset, context);
      return RunBreaker(std::move(input), *sink, context);
    }
    case PlanKind::kSort: {
      Stream input = BuildStream(plan->inputs[0], context);
      auto sink = MakeSortSink(*plan->inputs[0]->schema, plan->sort_keys, plan->limit, context);
      return RunBreaker(std::move(input), *sink, context);
    }
    case PlanKind::kLimit: {
      Stream input = BuildStream(plan->inputs[0], context);
      auto sink = MakeLimitSink(plan->schema, plan->offset, plan->count);
      return RunBreaker(std::move(input), *sink, context);
    }
    case PlanKind::kJoin: {
      Stream left = BuildStream(plan->inputs[0], context);
      Stream right = BuildStream(plan->inputs[1], context);
      return MakeHashJoin(*plan, std::move(left), std::move(right), context);
    }
    case PlanKind::kUnion: {
      std::vector<std::unique_ptr<Source>> inputs;
      for (const PlanPtr& input : plan->inputs)
        inputs.push_back(StreamAsSource(BuildStream(input, context)));
      return Stream{std::make_unique<ConcatSource>(plan->schema, std::move(inputs)), {}};
    }
    case PlanKind::kWindow: {
      Stream input = BuildStream(plan->inputs[0], context);
      auto sink = MakeWindowSink(*plan, context);
      return RunBreaker(std::move(input), *sink, context);
    }
    case PlanKind::kSink: ThrowInvalid("a sink can only be the top of a plan");
  }
  ThrowInternal("unknown plan kind");
}

}  // namespace sluice::exec
