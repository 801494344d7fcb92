// Parquet and CSV scan sources.
#include "exec/scan.h"

#include <set>

#include "exec/filter_project.h"
#include "io/csv/reader.h"
#include "io/parquet/reader/scanner.h"
#include "plan/expr_util.h"
#include "plan/scan_pruning.h"

namespace sluice::exec {

namespace {

class ParquetSource final : public Source {
 public:
  ParquetSource(const ScanSource& source, io::parquet::ScanOptions options,
                ProgressCounters* progress)
      : scanner_(source.files, std::move(options)), progress_(progress) {
    if (progress_) progress_->rows_total += scanner_.total_rows();
  }
  const SchemaPtr& schema() const override { return scanner_.schema(); }
  bool Next(Batch* out) override {
    if (!scanner_.Next(out)) return false;
    if (progress_) progress_->rows_done += out->num_rows;
    return true;
  }

 private:
  io::parquet::ParquetScanner scanner_;
  ProgressCounters* progress_;
};

class CsvSource final : public Source {
 public:
  CsvSource(const ScanSource& source, io::csv::CsvReadOptions options)
      : scanner_(source.files, std::move(options)) {}
  const SchemaPtr& schema() const override { return scanner_.schema(); }
  bool Next(Batch* out) override { return scanner_.Next(out); }

 private:
  io::csv::CsvScanner scanner_;
};

}  // namespace

Stream MakeScanStream(const LogicalPlan& scan, const ExecContext& context) {
  const ScanSource& source = *scan.source;
  // Read the output columns plus those only the pushed predicates use.
  std::vector<std::string> read = scan.columns;
  if (read.empty()) {
    for (const Field& field : source.file_schema->fields()) read.push_back(field.name);
  }
  std::set<std::string> have(read.begin(), read.end());
  for (const Expr& filter : scan.filters) {
    for (const std::string& name : ReferencedColumns(filter)) {
      if (have.insert(name).second) read.push_back(name);
    }
  }
  bool extra_columns = read.size() > scan.schema->size();

  Stream stream;
  if (source.format == ScanSource::Format::kParquet) {
    io::parquet::ScanOptions options;
    options.columns = read;
    options.batch_size = context.batch_size;
    options.hive = static_cast<io::parquet::ScanOptions::Hive>(source.hive);
    options.union_by_name = source.union_by_name;
    options.keep_row_group = MakeRowGroupFilter(scan);
    options.pool = context.pool;
    options.threads = context.threads;
    stream.source = std::make_unique<ParquetSource>(source, std::move(options), context.progress);
  } else {
    io::csv::CsvReadOptions options = source.csv;
    options.columns = read;
    options.batch_size = context.batch_size;
    options.pool = context.pool;
    options.threads = context.threads;
    stream.source = std::make_unique<CsvSource>(source, std::move(options));
  }
  if (!scan.filters.empty()) {
    stream.ops.push_back(
        MakeFilterOperator(stream.source->schema(), JoinConjunction(scan.filters), context.pool));
  }
  if (extra_columns) {
    std::vector<Expr> keep;
    for (const Field& field : scan.schema->fields()) keep.push_back(col(field.name));
    stream.ops.push_back(
        MakeProjectOperator(stream.source->schema(), keep, scan.schema, context.pool));
  }
  return stream;
}

}  // namespace sluice::exec
