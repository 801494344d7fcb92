// MakeHashJoin: binds the keys of both sides, decides which side builds and where every output
// column comes from, builds, and hands back the probe stream (or, for full joins, the collected
// probe output followed by the unmatched build rows).
#include "exec/hash_join.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.h"
#include "exec/concat_source.h"
#include "exec/cross_join.h"
#include "exec/join_build.h"
#include "exec/join_filter.h"
#include "exec/join_probe.h"
#include "exec/join_residual.h"
#include "exec/join_spill.h"
#include "exec/ordered_sinks.h"
#include "plan/row_estimate.h"

namespace sluice::exec {
namespace {

std::string DescribeJoin(const LogicalPlan& join) {
  std::string keys;
  for (size_t i = 0; i < join.left_on.size(); ++i) {
    if (i > 0) keys += ", ";
    keys += fmt::format("{} = {}", join.left_on[i].ToString(), join.right_on[i].ToString());
  }
  if (join.residual.valid()) {
    keys += (keys.empty() ? "" : " and ") + join.residual.ToString();
  }
  if (keys.empty()) return fmt::format("{} join", JoinTypeName(join.join_type));
  return fmt::format("{} join on {}", JoinTypeName(join.join_type), keys);
}

struct KeyPlan {
  BoundJoinKeys left;
  BoundJoinKeys right;
  JoinKeySpec spec;
};

KeyPlan PlanKeys(const LogicalPlan& join, const Schema& left, const Schema& right) {
  KeyPlan plan;
  std::vector<DataType> left_types;
  std::vector<DataType> right_types;
  std::vector<std::string> displays;
  for (size_t i = 0; i < join.left_on.size(); ++i) {
    plan.left.exprs.push_back(Bind(join.left_on[i], left));
    plan.right.exprs.push_back(Bind(join.right_on[i], right));
    left_types.push_back(plan.left.exprs.back()->type);
    right_types.push_back(plan.right.exprs.back()->type);
    displays.push_back(
        fmt::format("`{}` = `{}`", join.left_on[i].ToString(), join.right_on[i].ToString()));
  }
  std::vector<DataType> left_targets;
  std::vector<DataType> right_targets;
  plan.spec = PlanJoinKeys(left_types, right_types, displays, &left_targets, &right_targets);
  for (size_t i = 0; i < displays.size(); ++i) {
    // try_cast: a value the common type cannot hold equals no value of the other side.
    if (left_targets[i] != left_types[i]) {
      plan.left.exprs[i] = BindCast(plan.left.exprs[i], left_targets[i], true, displays[i]);
    }
    if (right_targets[i] != right_types[i]) {
      plan.right.exprs[i] = BindCast(plan.right.exprs[i], right_targets[i], true, displays[i]);
    }
  }
  return plan;
}

/// Which right columns the output drops (coalesced keys), and for each left column the right
/// key column coalesced into it (-1 for none). Mirrors the plan's JoinSchema.
struct Coalescing {
  std::vector<bool> dropped_right;
  std::vector<int> right_of_left;
};

Coalescing PlanCoalescing(const LogicalPlan& join, const Schema& left, const Schema& right) {
  Coalescing result{std::vector<bool>(right.size(), false), std::vector<int>(left.size(), -1)};
  if (!join.coalesce_keys) return result;
  for (size_t i = 0; i < join.left_on.size(); ++i) {
    if (join.left_on[i].kind() != ExprKind::kColumn ||
        join.right_on[i].kind() != ExprKind::kColumn) {
      continue;
    }
    const size_t l = left.FieldIndex(join.left_on[i].node().name);
    const size_t r = right.FieldIndex(join.right_on[i].node().name);
    result.dropped_right[r] = true;
    if (result.right_of_left[l] < 0) result.right_of_left[l] = static_cast<int>(r);
  }
  return result;
}

/// Adds the casts that bring gathered columns to the output types.
void AddCasts(std::vector<JoinOutputColumn>* columns, const Schema& output, const Schema& probe,
              const Schema& build) {
  if (columns->size() != output.size()) {
    ThrowInternal("join produces {} columns but its plan's schema has {}: {}", columns->size(),
                  output.size(), output.ToString());
  }
  for (size_t c = 0; c < columns->size(); ++c) {
    JoinOutputColumn& column = (*columns)[c];
    if (column.from == JoinOutputColumn::From::kNull) continue;
    const Schema& source = column.from == JoinOutputColumn::From::kProbe ? probe : build;
    const DataType& from = source.field(static_cast<size_t>(column.index)).type;
    const Field& to = output.field(c);
    if (from != to.type) column.cast = MakeColumnCast(from, to.type, to.name);
  }
}

using From = JoinOutputColumn::From;

/// Output columns when each input's columns come from one side of the hash join: the left ones
/// from the probe when `left_probes` (inner, left and full joins), else from the build rows (an
/// inner join holding its left input; coalesced keys are then the left's, as when it probes).
std::vector<JoinOutputColumn> SideColumns(const Schema& left, const Schema& right,
                                          const Coalescing& coalescing, bool left_probes) {
  const From left_from = left_probes ? From::kProbe : From::kBuild;
  const From right_from = left_probes ? From::kBuild : From::kProbe;
  std::vector<JoinOutputColumn> columns;
  for (size_t c = 0; c < left.size(); ++c) columns.push_back({left_from, int(c), nullptr});
  for (size_t c = 0; c < right.size(); ++c) {
    if (!coalescing.dropped_right[c]) columns.push_back({right_from, int(c), nullptr});
  }
  return columns;
}

/// Output columns of a right join, where the right side probes: a coalesced left key is the
/// right key (equal when matched, the only non-null one when not).
std::vector<JoinOutputColumn> RightProbeColumns(const Schema& left, const Schema& right,
                                                const Coalescing& coalescing) {
  std::vector<JoinOutputColumn> columns;
  for (size_t c = 0; c < left.size(); ++c) {
    const int key = coalescing.right_of_left[c];
    columns.push_back(key >= 0 ? JoinOutputColumn{From::kProbe, key, nullptr}
                               : JoinOutputColumn{From::kBuild, int(c), nullptr});
  }
  for (size_t c = 0; c < right.size(); ++c) {
    if (!coalescing.dropped_right[c]) columns.push_back({From::kProbe, int(c), nullptr});
  }
  return columns;
}

/// Output columns of the unmatched right rows of a full join: left columns are null except
/// coalesced keys, which take the right key.
std::vector<JoinOutputColumn> UnmatchedBuildColumns(const Schema& left, const Schema& right,
                                                    const Coalescing& coalescing) {
  std::vector<JoinOutputColumn> columns;
  for (size_t c = 0; c < left.size(); ++c) {
    const int key = coalescing.right_of_left[c];
    columns.push_back(key >= 0 ? JoinOutputColumn{From::kBuild, key, nullptr}
                               : JoinOutputColumn{From::kNull, -1, nullptr});
  }
  for (size_t c = 0; c < right.size(); ++c) {
    if (!coalescing.dropped_right[c]) columns.push_back({From::kBuild, int(c), nullptr});
  }
  return columns;
}

/// The build rows chosen after the probe, assembled a batch at a time as they are pulled (they
/// may be most of the build side: a copy of them all at once would double it).
class BuildRowsSource final : public Source {
 public:
  BuildRowsSource(SchemaPtr schema, std::vector<JoinOutputColumn> columns,
                  std::shared_ptr<JoinBuildSide> build, std::vector<uint32_t> rows,
                  int64_t batch_size, MemoryPool* pool)
      : schema_(std::move(schema)),
        columns_(std::move(columns)),
        build_(std::move(build)),
        rows_(std::move(rows)),
        batch_size_(std::max<int64_t>(1, batch_size)),
        pool_(pool) {}

  const SchemaPtr& schema() const override { return schema_; }

  bool Next(Batch* out) override {
    const int64_t total = static_cast<int64_t>(rows_.size());
    if (next_ >= total) {
      build_.reset();
      return false;
    }
    const int64_t count = std::min(batch_size_, total - next_);
    std::span<const uint32_t> rows(rows_.data() + next_, static_cast<size_t>(count));
    *out =
        AssembleJoinOutput(schema_, columns_, nullptr, {}, false, build_->rows, rows, count, pool_);
    out->seq = seq_++;
    next_ += count;
    return true;
  }

 private:
  SchemaPtr schema_;
  std::vector<JoinOutputColumn> columns_;
  std::shared_ptr<JoinBuildSide> build_;
  std::vector<uint32_t> rows_;
  int64_t batch_size_;
  MemoryPool* pool_;
  int64_t next_ = 0;
  uint64_t seq_ = 0;
};

/// Runs the probe, then outputs the build rows whose matched flag is `matched` (a full join's
/// unmatched rows; a semi join's matched left rows, an anti join's unmatched ones when the join
/// holds its left side), in build input order.
Stream FinishWithBuildRows(const LogicalPlan& join, Stream probe,
                           std::shared_ptr<JoinBuildSide> build,
                           std::vector<JoinOutputColumn> columns, bool matched,
                           const ExecContext& context) {
  CollectSink collector(join.schema);
  RunPipeline(std::move(probe), collector, context);
  std::vector<uint32_t> chosen;
  for (int64_t row = 0; row < build->rows.num_rows; ++row) {
    if ((build->matched[row].load(std::memory_order_relaxed) != 0) == matched)
      chosen.push_back(static_cast<uint32_t>(row));
  }
  std::vector<std::unique_ptr<Source>> sources;
  sources.push_back(MakeBatchSource(join.schema, collector.TakeBatches()));
  sources.push_back(std::make_unique<BuildRowsSource>(join.schema, std::move(columns),
                                                      std::move(build), std::move(chosen),
                                                      context.batch_size, context.pool));
  return Stream{MakeConcatSource(join.schema, std::move(sources)), {}};
}

}  // namespace

bool HoldsLeft(const LogicalPlan& join) {
  const JoinType type = join.join_type;
  return (type == JoinType::kInner || type == JoinType::kSemi || type == JoinType::kAnti) &&
         join.inputs.size() == 2 &&
         EstimateRows(join.inputs[0]).rows * 2 < EstimateRows(join.inputs[1]).rows;
}

Stream MakeHashJoin(const LogicalPlan& join, Stream left, Stream right,
                    const ExecContext& given_context) {
  ExecContext context = given_context;
  if (context.threads == nullptr) context.threads = &ThreadPool::Default();
  if (context.pool == nullptr) context.pool = MemoryPool::Default();
  const JoinType type = join.join_type;
  const std::string name = DescribeJoin(join);
  const SchemaPtr left_schema = left.schema();
  const SchemaPtr right_schema = right.schema();

  // The hash table holds the side that looks smaller (plan/row_estimate), when that is clearly
  // the left one. An inner join then probes with its right rows: the same rows, in right input
  // order. A semi or anti join outputs left rows: the right side's rows mark the left rows they
  // match, and the marked (semi) or unmarked (anti) left rows are the output, in left input order
  // as probing with the left side would give them.
  const bool left_smaller = HoldsLeft(join);
  const bool mark_left = left_smaller && type != JoinType::kInner;
  const bool build_left_inner = left_smaller && type == JoinType::kInner;
  const bool swap = type == JoinType::kRight || left_smaller;

  std::shared_ptr<const JoinResidual> residual;
  if (join.residual.valid()) {
    residual =
        std::make_shared<JoinResidual>(join.residual, *left_schema, *right_schema, join.suffix,
                                       /*probe_is_left=*/!swap, context.batch_size);
  }

  if (type == JoinType::kCross) {
    auto build =
        BuildJoinSide(std::move(right), BoundJoinKeys{}, JoinKeySpec{}, false, name, context);
    if (residual != nullptr) {
      return MakeCrossJoinWithResidual(join.schema, std::move(left), std::move(build),
                                       std::move(residual), context.batch_size, context.pool);
    }
    return Stream{MakeCrossJoinSource(join.schema, StreamAsSource(std::move(left)),
                                      std::move(build), context.batch_size, context.pool),
                  {}};
  }
  if (join.left_on.empty() || join.left_on.size() != join.right_on.size()) {
    ThrowInvalid("{} needs as many left keys as right keys, and at least one", name);
  }

  KeyPlan keys = PlanKeys(join, *left_schema, *right_schema);
  const Coalescing coalescing = PlanCoalescing(join, *left_schema, *right_schema);

  JoinProbeSpec spec;
  spec.output_schema = join.schema;
  spec.key_spec = keys.spec;
  spec.pool = context.pool;
  spec.track_matches = type == JoinType::kFull || mark_left;
  spec.keys = swap ? keys.right : keys.left;
  spec.residual = residual;
  std::vector<JoinOutputColumn> unmatched_columns;
  switch (type) {
    case JoinType::kSemi:
    case JoinType::kAnti:
      spec.mode = type == JoinType::kSemi ? ProbeMode::kSemi : ProbeMode::kAnti;
      if (mark_left) {
        spec.mode = ProbeMode::kMark;
        for (int c = 0; c < static_cast<int>(left_schema->size()); ++c)
          unmatched_columns.push_back({JoinOutputColumn::From::kBuild, c, nullptr});
      }
      break;
    case JoinType::kInner:
      if (build_left_inner) {
        spec.mode = ProbeMode::kInner;
        spec.columns = SideColumns(*left_schema, *right_schema, coalescing, false);
        AddCasts(&spec.columns, *join.schema, *right_schema, *left_schema);
        break;
      }
      [[fallthrough]];
    case JoinType::kLeft:
    case JoinType::kFull:
      spec.mode = type == JoinType::kInner ? ProbeMode::kInner : ProbeMode::kOuter;
      spec.columns = SideColumns(*left_schema, *right_schema, coalescing, true);
      AddCasts(&spec.columns, *join.schema, *left_schema, *right_schema);
      if (type == JoinType::kFull) {
        unmatched_columns = UnmatchedBuildColumns(*left_schema, *right_schema, coalescing);
        AddCasts(&unmatched_columns, *join.schema, *left_schema, *right_schema);
      }
      break;
    case JoinType::kRight:
      spec.mode = ProbeMode::kOuter;
      spec.columns = RightProbeColumns(*left_schema, *right_schema, coalescing);
      AddCasts(&spec.columns, *join.schema, *right_schema, *left_schema);
      break;
    case JoinType::kCross: break;
  }

  // The build input is collected first: if it spilled, the join runs partition by partition.
  const BoundJoinKeys& build_keys = swap ? keys.left : keys.right;
  CollectedBuild collected =
      CollectBuild(swap ? std::move(left) : std::move(right), build_keys, keys.spec, name, context);
  Stream probe = swap ? std::move(right) : std::move(left);
  const bool want_matched = mark_left && type == JoinType::kSemi;
  if (collected.spilled) {
    return GraceJoin(std::move(collected), std::move(probe), std::move(spec),
                     std::move(unmatched_columns), want_matched, build_keys, name, context);
  }
  std::shared_ptr<JoinBuildSide> build =
      BuildJoinSide(Stream{MakeBatchSource(collected.schema, std::move(collected.batches)), {}},
                    build_keys, keys.spec, spec.track_matches, name, context);
  PushJoinFilter(*join.inputs[swap ? 1 : 0], swap ? join.right_on : join.left_on, spec, build,
                 probe.source.get());
  probe.ops.push_back(MakeJoinProbe(std::move(spec), build));
  if (unmatched_columns.empty()) return probe;
  return FinishWithBuildRows(join, std::move(probe), std::move(build), std::move(unmatched_columns),
                             want_matched, context);
}

}  // namespace sluice::exec
