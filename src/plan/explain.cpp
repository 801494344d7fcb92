// EXPLAIN: a plan as an indented tree, one node per line, two spaces per level.
#include "plan/explain.h"

#include <fmt/format.h>

#include "core/error.h"
#include "core/memory_size.h"
#include "io/compress/codec.h"
#include "plan/optimizer.h"
#include "plan/scan_pruning.h"
#include "plan/window_plan.h"

namespace sluice {

namespace {

std::string List(const std::vector<Expr>& exprs) {
  std::string out = "[";
  for (size_t i = 0; i < exprs.size(); ++i) {
    if (i > 0) out += ", ";
    out += exprs[i].ToString();
  }
  return out + "]";
}

std::string List(const std::vector<std::string>& names) {
  return "[" + fmt::format("{}", fmt::join(names, ", ")) + "]";
}

std::string DescribeScan(const LogicalPlan& scan) {
  const ScanSource& source = *scan.source;
  bool parquet = source.format == ScanSource::Format::kParquet;
  std::string line;
  if (source.format == ScanSource::Format::kMemory) {
    const int64_t rows = source.data ? source.data->num_rows() : 0;
    line = fmt::format("Scan memory ({} row{})", rows, rows == 1 ? "" : "s");
  } else {
    line = fmt::format("Scan {} {} ({} file{})", parquet ? "parquet" : "csv", source.path,
                       source.files.size(), source.files.size() == 1 ? "" : "s");
  }
  if (scan.columns.empty())
    line += fmt::format(" columns=all {}", source.file_schema->size());
  else
    line += " columns=" + List(scan.columns);
  if (!scan.filters.empty()) line += " filters=" + List(scan.filters);
  if (parquet && !scan.filters.empty()) {
    try {
      RowGroupCounts counts = CountRowGroups(scan);
      line +=
          fmt::format(" row groups: {} of {} skipped by statistics", counts.skipped, counts.total);
    } catch (const Error&) {
      // The files cannot be read now; the plan is still worth showing.
    }
  }
  return line;
}

std::string DescribeJoin(const LogicalPlan& join) {
  std::string line = fmt::format("Join {}", JoinTypeName(join.join_type));
  if (join.join_type == JoinType::kCross) {
    if (join.residual.valid()) line += " residual (" + join.residual.ToString() + ")";
    return line;
  }
  line += " on [";
  for (size_t i = 0; i < join.left_on.size(); ++i) {
    if (i > 0) line += ", ";
    line += join.left_on[i].ToString() + " = " + join.right_on[i].ToString();
  }
  line += "]";
  if (join.residual.valid()) line += " and residual (" + join.residual.ToString() + ")";
  if (!join.coalesce_keys) line += " keys=both";
  if (join.suffix != "_right") line += " suffix=" + join.suffix;
  return line;
}

std::string DescribeSort(const LogicalPlan& sort) {
  std::string line = "Sort by=[";
  for (size_t i = 0; i < sort.sort_keys.size(); ++i) {
    const SortKey& key = sort.sort_keys[i];
    if (i > 0) line += ", ";
    line += fmt::format("{} {} nulls {}", key.expr.ToString(), key.descending ? "desc" : "asc",
                        key.NullsLast() ? "last" : "first");
  }
  line += "]";
  if (sort.limit) line += fmt::format(" limit={} (top-k)", *sort.limit);
  return line;
}

std::string DescribeLimit(const LogicalPlan& limit) {
  if (limit.offset == 0) return fmt::format("Limit {}", limit.count);
  if (limit.count < 0) return fmt::format("Limit offset={}", limit.offset);
  return fmt::format("Limit offset={} count={}", limit.offset, limit.count);
}

std::string DescribeSink(const LogicalPlan& sink) {
  const SinkTarget& target = *sink.target;
  std::string line = target.format == SinkTarget::Format::kCsv
                         ? "Sink csv " + target.path
                         : fmt::format("Sink parquet {} ({})", target.path,
                                       io::CodecName(target.parquet.compression));
  if (!target.partition_by.empty()) line += " partition_by=" + List(target.partition_by);
  return line;
}

std::string DescribeWindow(const LogicalPlan& window) {
  std::string line = "Window [";
  for (size_t i = 0; i < window.windows.size(); ++i) {
    if (i > 0) line += ", ";
    line += WindowExprToString(window.windows[i]) + " AS " + window.windows[i].name;
  }
  return line + "]";
}

std::string Describe(const LogicalPlan& plan) {
  switch (plan.kind) {
    case PlanKind::kScan: return DescribeScan(plan);
    case PlanKind::kFilter: return "Filter " + plan.predicate.ToString();
    case PlanKind::kProject: return "Project " + List(plan.exprs);
    case PlanKind::kAggregate:
      return fmt::format("Aggregate keys={} aggs={}", List(plan.keys), List(plan.aggregates));
    case PlanKind::kJoin: return DescribeJoin(plan);
    case PlanKind::kSort: return DescribeSort(plan);
    case PlanKind::kLimit: return DescribeLimit(plan);
    case PlanKind::kUnion: return fmt::format("Union inputs={}", plan.inputs.size());
    case PlanKind::kDistinct:
      return plan.subset.empty() ? "Distinct" : "Distinct subset=" + List(plan.subset);
    case PlanKind::kSink: return DescribeSink(plan);
    case PlanKind::kWindow: return DescribeWindow(plan);
  }
  return "?";
}

/// "  (rows=1,234 time=12.5ms, peak 80.0 MiB, spilled 1.2 GiB in 3 spills (read 1.2 GiB))":
/// what a profiled run counted for the node; memory only for operators that hold data, the
/// spill part only when it spilled.
std::string Counters(const NodeProfile& profile) {
  std::string digits = std::to_string(profile.rows.load()), rows;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) rows += ',';
    rows += digits[i];
  }
  std::string text = fmt::format("  (rows={} time={:.1f}ms", rows,
                                 static_cast<double>(profile.nanos.load()) / 1e6);
  if (const int64_t peak = profile.peak_memory.load(); peak > 0)
    text += ", peak " + FormatBytes(peak);
  const int64_t spilled = profile.spilled_bytes.load();
  const int64_t spills = profile.spill_count.load();
  if (spilled > 0 || spills > 0) {
    text += ", spilled " + FormatBytes(spilled);
    if (spills > 0) text += fmt::format(" in {} spill{}", spills, spills == 1 ? "" : "s");
    text += " (read " + FormatBytes(profile.read_back_bytes.load()) + ")";
  }
  return text + ")";
}

void Render(const LogicalPlan& plan, int depth, const PlanProfile* profile, std::string* out) {
  out->append(static_cast<size_t>(depth) * 2, ' ');
  *out += Describe(plan);
  if (profile != nullptr) {
    if (const NodeProfile* node = profile->Find(&plan)) *out += Counters(*node);
  }
  *out += '\n';
  for (const PlanPtr& input : plan.inputs) Render(*input, depth + 1, profile, out);
}

}  // namespace

std::string ExplainPlan(const PlanPtr& plan, const PlanProfile* profile) {
  std::string out;
  Render(*plan, 0, profile, &out);
  return out;
}

std::string ExplainBeforeAfter(const PlanPtr& plan) {
  return "== logical plan ==\n" + ExplainPlan(plan) + "\n== optimized plan ==\n" +
         ExplainPlan(Optimize(plan));
}

}  // namespace sluice
