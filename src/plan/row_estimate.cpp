// Row estimates of plans (see the header).
#include "plan/row_estimate.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "core/data_frame.h"
#include "core/error.h"
#include "io/parquet/reader/file_reader.h"
#include "plan/expr_util.h"

namespace sluice {

namespace {

constexpr double kFilterSelectivity = 0.3;
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

}  // namespace

RowEstimate EstimateRows(const PlanPtr& plan) {
  switch (plan->kind) {
    case PlanKind::kScan:
      return Filtered({plan->source ? ScanRows(*plan->source) : 0, 1}, plan->filters.size());
    case PlanKind::kFilter:
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
