// Row estimates of plans (see the header).
#include "plan/row_estimate.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <system_error>
#include <utility>

#include "core/data_frame.h"
#include "core/error.h"
#include "io/parquet/reader/file_reader.h"
#include "plan/column_estimate.h"
#include "plan/expr_util.h"
#include "plan/scan_pruning.h"

namespace sluice {

namespace {

constexpr double kFilterSelectivity = 0.3;
/// The share of rows an equality with a constant keeps when the column's values are not known.
constexpr double kEqualSelectivity = 0.1;
/// No estimate goes below this share: statistics are coarse, and zero would hide the rows left.
constexpr double kLeastSelectivity = 0.001;
/// Bytes per CSV row assumed when only the file size is known.
constexpr double kCsvRowBytes = 100;
/// Footers read at most; a glob of more files is extrapolated from these.
constexpr size_t kMaxFiles = 16;

double ScanRows(const ScanSource& source) {
  switch (source.format) {
    case ScanSource::Format::kMemory: {
      double rows = 0;
      if (source.data != nullptr) {
        for (const Batch& batch : source.data->batches) rows += static_cast<double>(batch.num_rows);
      }
      return rows;
    }
    case ScanSource::Format::kCsv: {
      double bytes = 0;
      for (const std::string& file : source.files) {
        std::error_code error;
        const auto size = std::filesystem::file_size(file, error);
        if (!error) bytes += static_cast<double>(size);
      }
      return bytes / kCsvRowBytes;
    }
    case ScanSource::Format::kParquet: {
      const size_t files = std::min(source.files.size(), kMaxFiles);
      if (files == 0) return 0;
      double rows = 0;
      try {
        for (size_t f = 0; f < files; ++f)
          rows += static_cast<double>(io::parquet::ParquetFile::Open(source.files[f])->num_rows());
      } catch (const Error&) {
        return 0;  // Unreadable: the scan itself will say why; an estimate just does not know.
      }
      return rows * static_cast<double>(source.files.size()) / static_cast<double>(files);
    }
  }
  return 0;
}

RowEstimate Filtered(RowEstimate input, size_t conjuncts) {
  for (size_t i = 0; i < conjuncts; ++i) {
    input.rows *= kFilterSelectivity;
    input.fraction *= kFilterSelectivity;
  }
  return input;
}

/// The share of the scan's rows within one column's bound: an equality or IN list keeps a value's
/// share of the distinct values, a range its overlap with the column's min..max.
double BoundSelectivity(const PlanPtr& scan, const io::parquet::ColumnBound& bound) {
  std::optional<ColumnEstimate> column =
      bound.partition_key ? std::nullopt : EstimateColumn(scan, bound.column);
  if (bound.values) {
    const double values = static_cast<double>(bound.values->size());
    if (column && column->distinct >= 1) return std::min(1.0, values / column->distinct);
    return std::min(1.0, values * kEqualSelectivity);
  }
  if (bound.is_null) return kEqualSelectivity;
  if (!bound.min && !bound.max) return 1;  // Only "not null".
  const ColumnEstimate range = column.value_or(ColumnEstimate{});
  if (!column || range.high <= range.low) return kFilterSelectivity;
  double low = range.low, high = range.high;
  if (auto value = EstimateNumber(bound.min)) low = std::max(low, *value);
  if (auto value = EstimateNumber(bound.max)) high = std::min(high, *value);
  return std::clamp((high - low) / (range.high - range.low), kLeastSelectivity, 1.0);
}

/// The share of a scan's rows that pass `conjuncts`. Comparisons of a column with constants use
/// the files' statistics (those on one column combine: `d >= x AND d < y` is one range); any
/// other conjunct keeps kFilterSelectivity.
double Selectivity(const PlanPtr& scan, const std::vector<Expr>& conjuncts) {
  double selectivity = 1;
  std::vector<Expr> bounded;
  for (const Expr& conjunct : conjuncts) {
    LogicalPlan one = *scan;
    one.filters = {conjunct};
    if (ScanBounds(one).empty()) {
      selectivity *= kFilterSelectivity;
    } else {
      bounded.push_back(conjunct);
    }
  }
  if (bounded.empty()) return selectivity;
  LogicalPlan all = *scan;
  all.filters = std::move(bounded);
  for (const io::parquet::ColumnBound& bound : ScanBounds(all))
    selectivity *= BoundSelectivity(scan, bound);
  return std::max(selectivity, kLeastSelectivity);
}

/// A scan whose rows pass its own filters and `more` conjuncts.
RowEstimate FilteredScan(const PlanPtr& scan, const std::vector<Expr>& more) {
  std::vector<Expr> conjuncts = scan->filters;
  conjuncts.insert(conjuncts.end(), more.begin(), more.end());
  const double rows = scan->source ? ScanRows(*scan->source) : 0;
  const double selectivity = conjuncts.empty() ? 1 : Selectivity(scan, conjuncts);
  return {rows * selectivity, selectivity};
}

/// The scan under `plan` through filters and projections of plain columns, with the filters met
/// on the way as conjuncts over the scan's columns; nothing when something else is in between (a
/// view's `SELECT *` or renaming is looked through, a computed column is not).
std::optional<std::pair<PlanPtr, std::vector<Expr>>> ScanBelow(PlanPtr plan) {
  std::vector<Expr> conjuncts;
  while (true) {
    switch (plan->kind) {
      case PlanKind::kScan: return std::make_pair(plan, std::move(conjuncts));
      case PlanKind::kFilter:
        for (const Expr& part : SplitConjunction(plan->predicate)) conjuncts.push_back(part);
        break;
      case PlanKind::kProject: {
        std::map<std::string, std::string> names;  // output -> input column
        for (const Expr& expr : plan->exprs) {
          Expr source = StripAlias(expr);
          if (source.kind() == ExprKind::kColumn) names[expr.OutputName()] = source.node().name;
        }
        for (Expr& conjunct : conjuncts) {
          for (const std::string& name : ReferencedColumns(conjunct))
            if (!names.count(name)) return std::nullopt;
          conjunct = RenameColumns(conjunct, [&](const std::string& name) { return names[name]; });
        }
        break;
      }
      default: return std::nullopt;
    }
    plan = plan->inputs[0];
  }
}

}  // namespace

RowEstimate EstimateRows(const PlanPtr& plan) {
  switch (plan->kind) {
    case PlanKind::kScan: return FilteredScan(plan, {});
    case PlanKind::kFilter:
      if (auto below = ScanBelow(plan)) return FilteredScan(below->first, below->second);
      return Filtered(EstimateRows(plan->inputs[0]), SplitConjunction(plan->predicate).size());
    case PlanKind::kProject:
    case PlanKind::kSort:
    case PlanKind::kWindow:
    case PlanKind::kSink: {
      RowEstimate input = EstimateRows(plan->inputs[0]);
      if (plan->kind == PlanKind::kSort && plan->limit)
        input.rows = std::min(input.rows, static_cast<double>(*plan->limit));
      return input;
    }
    case PlanKind::kLimit: {
      RowEstimate input = EstimateRows(plan->inputs[0]);
      if (plan->count >= 0) input.rows = std::min(input.rows, static_cast<double>(plan->count));
      return input;
    }
    case PlanKind::kAggregate:
    case PlanKind::kDistinct: {
      RowEstimate input = EstimateRows(plan->inputs[0]);
      if (plan->kind == PlanKind::kAggregate && plan->keys.empty()) return {1, input.fraction};
      return {input.rows * 0.1, input.fraction};  // Groups: a tenth of the rows, say.
    }
    case PlanKind::kUnion: {
      RowEstimate total{0, 1};
      for (const PlanPtr& input : plan->inputs) total.rows += EstimateRows(input).rows;
      return total;
    }
    case PlanKind::kJoin: {
      const RowEstimate left = EstimateRows(plan->inputs[0]);
      const RowEstimate right = EstimateRows(plan->inputs[1]);
      const size_t residual = plan->residual.valid() ? SplitConjunction(plan->residual).size() : 0;
      switch (plan->join_type) {
        case JoinType::kSemi:
        case JoinType::kAnti: return Filtered(left, 1);
        case JoinType::kLeft: return left;
        case JoinType::kRight: return right;
        case JoinType::kCross:
          return Filtered({left.rows * right.rows, left.fraction * right.fraction}, residual);
        case JoinType::kFull: return {std::max(left.rows, right.rows), 1};
        case JoinType::kInner:
          return Filtered({std::max(left.rows * right.fraction, right.rows * left.fraction),
                           left.fraction * right.fraction},
                          residual);
      }
    }
  }
  return {0, 1};
}

}  // namespace sluice
