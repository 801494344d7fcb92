// The LazyFrame builder: each method makes a plan node (the node's constructor checks it).
// collect() and the sinks live in exec/lazy_frame_run.cpp.
#include "plan/lazy_frame.h"

#include <map>
#include <set>

#include "core/error.h"
#include "plan/explain.h"
#include "plan/expr_util.h"
#include "plan/optimizer.h"

namespace sluice {

namespace {

std::vector<Expr> ColumnsOf(const std::vector<std::string>& names) {
  std::vector<Expr> out;
  for (const std::string& name : names) out.push_back(col(name));
  return out;
}

/// Splits aggregation outputs into plain aggregates (for the Aggregate node) and, when any output
/// computes over aggregates (`sum(a) / sum(b)`) or names a key, the projection that follows.
struct SplitAggregates {
  std::vector<Expr> aggregates;
  std::vector<Expr> projection;  ///< Empty when the aggregates are the output as they are.
};

SplitAggregates SplitAggregateOutputs(const std::vector<Expr>& keys,
                                      const std::vector<Expr>& outputs) {
  SplitAggregates split;
  bool needs_projection = false;
  std::vector<Expr> rewritten;
  std::map<std::string, std::string> seen;  // aggregate text -> its column
  for (const Expr& output : outputs) {
    if (StripAlias(output).kind() == ExprKind::kAggregate) {
      split.aggregates.push_back(output);
      rewritten.push_back(col(output.OutputName()));
      continue;
    }
    needs_projection = true;
    Expr replaced = Transform(output, [&](const Expr& e) {
      if (e.kind() != ExprKind::kAggregate) return e;
      std::string text = e.ToString();
      auto it = seen.find(text);
      if (it == seen.end()) {
        std::string name = "__agg" + std::to_string(seen.size());
        it = seen.emplace(text, name).first;
        split.aggregates.push_back(e.alias(name));
      }
      return col(it->second);
    });
    rewritten.push_back(replaced.alias(output.OutputName()));
  }
  if (!needs_projection) return split;
  for (const Expr& key : keys) split.projection.push_back(col(key.OutputName()));
  for (const Expr& e : rewritten) split.projection.push_back(e);
  return split;
}

}  // namespace

LazyFrame GroupBy::agg(std::vector<Expr> aggregates) const {
  SplitAggregates split = SplitAggregateOutputs(keys_, aggregates);
  PlanPtr plan = MakeAggregate(input_, keys_, split.aggregates);
  if (!split.projection.empty()) plan = MakeProject(plan, split.projection);
  return LazyFrame(plan);
}

LazyFrame LazyFrame::window(std::vector<WindowExpr> windows) const {
  return LazyFrame(MakeWindow(plan_, std::move(windows)));
}

LazyFrame LazyFrame::filter(Expr predicate) const {
  return LazyFrame(MakeFilter(plan_, std::move(predicate)));
}

LazyFrame LazyFrame::select(std::vector<Expr> exprs) const {
  for (const Expr& e : exprs)
    if (ContainsAggregate(e)) return GroupBy(plan_, {}).agg(std::move(exprs));
  return LazyFrame(MakeProject(plan_, std::move(exprs)));
}

LazyFrame LazyFrame::select(const std::vector<std::string>& names) const {
  return select(ColumnsOf(names));
}

LazyFrame LazyFrame::with_columns(std::vector<Expr> exprs) const {
  std::map<std::string, size_t> by_name;
  for (size_t i = 0; i < exprs.size(); ++i) by_name[exprs[i].OutputName()] = i;
  std::vector<Expr> out;
  std::set<size_t> used;
  for (const Field& field : plan_->schema->fields()) {
    auto it = by_name.find(field.name);
    if (it == by_name.end()) {
      out.push_back(col(field.name));
    } else {
      out.push_back(exprs[it->second]);
      used.insert(it->second);
    }
  }
  for (size_t i = 0; i < exprs.size(); ++i)
    if (!used.count(i)) out.push_back(exprs[i]);
  return LazyFrame(MakeProject(plan_, std::move(out)));
}

GroupBy LazyFrame::group_by(std::vector<Expr> keys) const {
  if (keys.empty())
    ThrowInvalid("group_by needs at least one key; use select() to aggregate all rows");
  return GroupBy(plan_, std::move(keys));
}

GroupBy LazyFrame::group_by(const std::vector<std::string>& keys) const {
  return group_by(ColumnsOf(keys));
}

LazyFrame LazyFrame::join(const LazyFrame& other, std::vector<Expr> left_on,
                          std::vector<Expr> right_on, JoinType how, std::string suffix) const {
  return LazyFrame(MakeJoin(plan_, other.plan_, how, std::move(left_on), std::move(right_on),
                            std::move(suffix)));
}

LazyFrame LazyFrame::join(const LazyFrame& other, const std::vector<std::string>& on, JoinType how,
                          std::string suffix) const {
  return join(other, ColumnsOf(on), ColumnsOf(on), how, std::move(suffix));
}

LazyFrame LazyFrame::cross_join(const LazyFrame& other, std::string suffix) const {
  return LazyFrame(MakeJoin(plan_, other.plan_, JoinType::kCross, {}, {}, std::move(suffix)));
}

LazyFrame LazyFrame::sort(std::vector<SortKey> keys) const {
  return LazyFrame(MakeSort(plan_, std::move(keys)));
}

LazyFrame LazyFrame::sort(const std::vector<std::string>& by,
                          const std::vector<bool>& descending) const {
  if (!descending.empty() && descending.size() != by.size())
    ThrowInvalid("sort got {} keys but {} descending flags", by.size(), descending.size());
  std::vector<SortKey> keys;
  for (size_t i = 0; i < by.size(); ++i)
    keys.push_back({col(by[i]), !descending.empty() && descending[i], std::nullopt});
  return sort(std::move(keys));
}

LazyFrame LazyFrame::slice(int64_t offset, int64_t length) const {
  if (length < 0) ThrowInvalid("slice length must not be negative, not {}", length);
  return LazyFrame(MakeLimit(plan_, offset, length));
}

LazyFrame LazyFrame::unique(std::vector<std::string> subset) const {
  return LazyFrame(MakeDistinct(plan_, std::move(subset)));
}

LazyFrame LazyFrame::rename(const std::vector<std::pair<std::string, std::string>>& from_to) const {
  std::map<std::string, std::string> mapping;
  for (const auto& [from, to] : from_to) {
    plan_->schema->FieldIndex(from, "rename()");
    mapping[from] = to;
  }
  std::vector<Expr> exprs;
  for (const Field& field : plan_->schema->fields()) {
    auto it = mapping.find(field.name);
    exprs.push_back(it == mapping.end() ? col(field.name) : col(field.name).alias(it->second));
  }
  return LazyFrame(MakeProject(plan_, std::move(exprs)));
}

LazyFrame LazyFrame::drop(const std::vector<std::string>& names) const {
  std::set<std::string> dropped;
  for (const std::string& name : names) {
    plan_->schema->FieldIndex(name, "drop()");
    dropped.insert(name);
  }
  std::vector<Expr> exprs;
  for (const Field& field : plan_->schema->fields())
    if (!dropped.count(field.name)) exprs.push_back(col(field.name));
  return LazyFrame(MakeProject(plan_, std::move(exprs)));
}

std::string LazyFrame::explain(bool optimized) const {
  return optimized ? ExplainBeforeAfter(plan_) : ExplainPlan(plan_);
}

LazyFrame scan_parquet(const std::string& path, ParquetScanArgs args) {
  ScanSource source;
  source.format = ScanSource::Format::kParquet;
  source.path = path;
  source.hive = args.hive;
  source.union_by_name = args.union_by_name;
  return LazyFrame(MakeScan(OpenScanSource(std::move(source))));
}

LazyFrame scan_csv(const std::string& path, io::csv::CsvReadOptions options) {
  ScanSource source;
  source.format = ScanSource::Format::kCsv;
  source.path = path;
  source.csv = std::move(options);
  return LazyFrame(MakeScan(OpenScanSource(std::move(source))));
}

LazyFrame concat(const std::vector<LazyFrame>& frames) {
  std::vector<PlanPtr> inputs;
  for (const LazyFrame& frame : frames) inputs.push_back(frame.plan());
  return LazyFrame(MakeUnion(std::move(inputs)));
}

}  // namespace sluice
