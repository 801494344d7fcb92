// The join filter pushed into the probe side's scan.
#include "exec/join_filter.h"

#include <atomic>
#include <mutex>
#include <numeric>

#include "exec/hash_join.h"
#include "expr/evaluate.h"

namespace sluice::exec {

namespace {

/// The rows of a batch of the probe key columns whose keys may be in the build side's table.
class JoinFilter {
 public:
  JoinFilter(std::vector<Expr> keys, const JoinProbeSpec& spec,
             std::shared_ptr<const JoinBuildSide> build)
      : keys_(std::move(keys)), spec_(spec.key_spec), pool_(spec.pool), build_(std::move(build)) {
    for (const BoundExprPtr& key : spec.keys.exprs) types_.push_back(key->type);
  }

  std::vector<int64_t> operator()(const Batch& batch) {
    std::vector<int64_t> rows;
    if (!filtering_.load(std::memory_order_relaxed)) {
      rows.resize(static_cast<size_t>(batch.num_rows));
      std::iota(rows.begin(), rows.end(), int64_t{0});
      return rows;
    }
    // Bound to the batch's columns, with the casts the probe applies to its keys.
    std::call_once(bound_once_, [&] {
      for (size_t i = 0; i < keys_.size(); ++i) {
        BoundExprPtr key = Bind(keys_[i], *batch.schema);
        if (key->type != types_[i]) key = BindCast(key, types_[i], true, keys_[i].ToString());
        bound_.exprs.push_back(std::move(key));
      }
    });
    EncodedKeys encoded;
    EncodeJoinKeys(spec_, bound_.Evaluate(batch, pool_), &encoded);
    build_->table.MayContain(encoded, &rows);
    // Rows the scan drops save reading their other columns and probing them; where nearly all
    // pass, encoding the keys twice saves nothing.
    const int64_t seen = seen_ += batch.num_rows;
    const int64_t passed = passed_ += static_cast<int64_t>(rows.size());
    constexpr int64_t kTrialRows = 256 * 1024;
    if (seen >= kTrialRows && passed * 4 > seen * 3) filtering_ = false;
    return rows;
  }

 private:
  std::vector<Expr> keys_;
  std::vector<DataType> types_;
  JoinKeySpec spec_;
  MemoryPool* pool_;
  std::shared_ptr<const JoinBuildSide> build_;
  std::once_flag bound_once_;
  BoundJoinKeys bound_;
  std::atomic<bool> filtering_ = true;
  std::atomic<int64_t> seen_ = 0;
  std::atomic<int64_t> passed_ = 0;
};

/// Whether column `name` of `plan`'s rows is, row for row, column `name` of the scan whose
/// stream `plan`'s stream extends (the bottom of its chain of filters, projections and probes).
bool FromProbeScan(const LogicalPlan& plan, const std::string& name) {
  switch (plan.kind) {
    case PlanKind::kScan: return true;
    case PlanKind::kFilter: return FromProbeScan(*plan.inputs[0], name);
    case PlanKind::kProject:
      for (size_t i = 0; i < plan.exprs.size(); ++i) {
        if (plan.schema->field(i).name != name) continue;
        const Expr& expr =
            plan.exprs[i].kind() == ExprKind::kAlias ? plan.exprs[i].arg(0) : plan.exprs[i];
        return expr.kind() == ExprKind::kColumn && expr.node().name == name &&
               FromProbeScan(*plan.inputs[0], name);
      }
      return false;
    case PlanKind::kJoin: {
      // Joins whose output rows extend the probe rows, which are the left ones unless the join
      // holds its left input; a right or full join's rows may come from the held side too.
      const JoinType type = plan.join_type;
      if (type != JoinType::kInner && type != JoinType::kLeft && type != JoinType::kSemi &&
          type != JoinType::kAnti) {
        return false;
      }
      const bool probes_right = HoldsLeft(plan);
      if (probes_right && type != JoinType::kInner) return false;  // Rows of the held side.
      const Schema& probe = *plan.inputs[probes_right ? 1 : 0]->schema;
      const Schema& left = *plan.inputs[0]->schema;
      // The output's column of that name is the probe side's: left names come first.
      const auto in_probe = probe.FindField(name);
      const auto out = plan.schema->FindField(name);
      if (!in_probe || !out || (probes_right && left.FindField(name))) return false;
      if (plan.schema->field(*out).type != probe.field(*in_probe).type) return false;
      return FromProbeScan(*plan.inputs[probes_right ? 1 : 0], name);
    }
    default: return false;
  }
}

}  // namespace

void PushJoinFilter(const LogicalPlan& probe_plan, const std::vector<Expr>& probe_on,
                    const JoinProbeSpec& spec, std::shared_ptr<const JoinBuildSide> build,
                    Source* probe) {
  if (spec.mode != ProbeMode::kInner && spec.mode != ProbeMode::kSemi &&
      spec.mode != ProbeMode::kMark) {
    return;  // The probe outputs rows without a match.
  }
  std::vector<std::string> columns;
  for (const Expr& key : probe_on) {
    if (key.kind() != ExprKind::kColumn || !FromProbeScan(probe_plan, key.node().name)) return;
    columns.push_back(key.node().name);
  }
  std::sort(columns.begin(), columns.end());
  columns.erase(std::unique(columns.begin(), columns.end()), columns.end());
  auto filter = std::make_shared<JoinFilter>(probe_on, spec, std::move(build));
  probe->FilterRows(columns, [filter](const Batch& batch) { return (*filter)(batch); });
}

}  // namespace sluice::exec
