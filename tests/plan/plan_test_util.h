// Helpers for the plan layer's tests: scans over made-up sources (no files needed to check a
// plan's shape), small Parquet files written for real, and compact views of optimized plans.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/batch.h"
#include "core/column_builder.h"
#include "io/parquet/writer/file_writer.h"
#include "plan/explain.h"
#include "plan/expr_util.h"
#include "plan/logical_plan.h"

namespace sluice::test {

/// A Parquet scan source that lists one (absent) file and offers `fields`.
inline std::shared_ptr<const ScanSource> FakeSource(std::vector<Field> fields,
                                                    std::string path = "t.parquet") {
  auto source = std::make_shared<ScanSource>();
  source->path = path;
  source->files = {path};
  source->file_schema = std::make_shared<Schema>(std::move(fields));
  return source;
}

/// A scan of int64 columns a, b, c, a utf8 column s and a bool column flag.
inline PlanPtr FakeScan(std::string path = "t.parquet") {
  return MakeScan(FakeSource({{"a", Int64(), true},
                              {"b", Int64(), true},
                              {"c", Int64(), true},
                              {"s", Utf8(), true},
                              {"flag", Bool(), true}},
                             std::move(path)));
}

/// The conjuncts of a predicate (or of a scan's filters) as text, in order.
inline std::vector<std::string> Conjuncts(const std::vector<Expr>& predicates) {
  std::vector<std::string> out;
  for (const Expr& predicate : predicates)
    for (const Expr& part : SplitConjunction(predicate)) out.push_back(part.ToString());
  return out;
}
inline std::vector<std::string> Conjuncts(const Expr& predicate) {
  return Conjuncts(std::vector<Expr>{predicate});
}

/// The node kinds from the root down the first inputs: "Filter Project Scan".
inline std::string Spine(const PlanPtr& plan) {
  static const char* kNames[] = {"Scan",  "Filter", "Project",  "Aggregate", "Join",  "Sort",
                                 "Limit", "Union",  "Distinct", "Sink",      "Window"};
  std::string out;
  for (const LogicalPlan* node = plan.get(); node != nullptr;
       node = node->inputs.empty() ? nullptr : node->inputs[0].get()) {
    if (!out.empty()) out += ' ';
    out += kNames[static_cast<int>(node->kind)];
  }
  return out;
}

/// Writes `batch` to a Parquet file in row groups of `row_group_size` rows.
inline void WriteParquet(const std::string& path, const Batch& batch, int64_t row_group_size,
                         io::parquet::WriterOptions options = {}) {
  options.row_group_size = row_group_size;
  io::parquet::ParquetWriter writer(path, *batch.schema, options);
  writer.Write(batch);
  writer.Close();
}

}  // namespace sluice::test
