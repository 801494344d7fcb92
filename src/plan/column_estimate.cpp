// Column estimates from Parquet footers: row counts and min/max ranges of integer columns.
#include "plan/column_estimate.h"

#include <algorithm>
#include <variant>

#include "io/parquet/reader/file_reader.h"
#include "plan/expr_util.h"

namespace sluice {

namespace {

/// Footers read for an estimate at most; a glob of more files is extrapolated from these.
constexpr size_t kMaxFiles = 16;

std::optional<ColumnEstimate> EstimateScanColumn(const ScanSource& source,
                                                 const std::string& column) {
  if (source.format != ScanSource::Format::kParquet || source.files.empty()) return std::nullopt;
  auto field = source.file_schema->FindField(column);
  if (!field) return std::nullopt;
  const DataType& type = source.file_schema->field(*field).type;
  if (!type.IsInteger() && type.id != TypeId::kDate32) return std::nullopt;
  double rows = 0, low = 0, high = 0;
  bool any = false;
  size_t files = std::min(source.files.size(), kMaxFiles);
  for (size_t f = 0; f < files; ++f) {
    auto file = io::parquet::ParquetFile::Open(source.files[f]);
    auto index = file->schema().schema.FindField(column);
    if (!index) return std::nullopt;  // A hive key or a column some files lack.
    rows += static_cast<double>(file->num_rows());
    for (int g = 0; g < file->num_row_groups(); ++g) {
      io::parquet::ColumnStatistics stats = file->Statistics(g, *index);
      auto min = EstimateNumber(stats.min), max = EstimateNumber(stats.max);
      if (!min || !max) return std::nullopt;
      low = any ? std::min(low, *min) : *min;
      high = any ? std::max(high, *max) : *max;
      any = true;
    }
  }
  if (!any) return std::nullopt;
  double scale = static_cast<double>(source.files.size()) / static_cast<double>(files);
  rows *= scale;
  return ColumnEstimate{rows, std::min(rows, high - low + 1), low, high};
}

}  // namespace

std::optional<double> EstimateNumber(const std::optional<Scalar>& value) {
  if (!value) return std::nullopt;
  if (const auto* i = std::get_if<int64_t>(&value->value)) return static_cast<double>(*i);
  if (const auto* u = std::get_if<uint64_t>(&value->value)) return static_cast<double>(*u);
  return std::nullopt;
}

std::optional<ColumnEstimate> EstimateColumn(const PlanPtr& plan, const std::string& column) {
  switch (plan->kind) {
    case PlanKind::kScan:
      return plan->source ? EstimateScanColumn(*plan->source, column) : std::nullopt;
    case PlanKind::kFilter:
    case PlanKind::kSort:
    case PlanKind::kLimit: return EstimateColumn(plan->inputs[0], column);
    case PlanKind::kProject:
      for (const Expr& e : plan->exprs) {
        if (e.OutputName() != column) continue;
        Expr source = StripAlias(e);
        if (source.kind() != ExprKind::kColumn) return std::nullopt;
        return EstimateColumn(plan->inputs[0], source.node().name);
      }
      return std::nullopt;
    default: return std::nullopt;
  }
}

}  // namespace sluice
