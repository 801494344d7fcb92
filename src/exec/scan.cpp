// Parquet and CSV scan sources.
#include "exec/scan.h"

#include <algorithm>
#include <map>
#include <mutex>
#include <set>

#include "core/take.h"
#include "exec/filter_project.h"
#include "expr/evaluate.h"
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
    if (progress_) {
      const int64_t read = scanner_.rows_read();  // Filtered out or not.
      progress_->rows_done += read - rows_counted_;
      rows_counted_ = read;
    }
    return true;
  }
  const io::parquet::ParquetScanner& scanner() const { return scanner_; }
  bool FilterRows(const std::vector<std::string>& columns, RowFilter filter) override {
    for (const std::string& column : columns)
      if (!scanner_.ReadsFromFiles(column)) return false;
    scanner_.FilterRows(columns, std::move(filter));
    return true;
  }

 private:
  io::parquet::ParquetScanner scanner_;
  ProgressCounters* progress_;
  int64_t rows_counted_ = 0;
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

/// A reader's row filter for the scan's pushed predicates: bound to the filter columns' schema
/// on first use (the CSV reader sniffs the types), then evaluated on each batch of them.
class RowFilter {
 public:
  RowFilter(Expr predicate, MemoryPool* pool) : predicate_(std::move(predicate)), pool_(pool) {}

  std::vector<int64_t> operator()(const Batch& batch) {
    std::call_once(bound_once_, [&] { bound_ = Bind(predicate_, *batch.schema); });
    Column mask = Evaluate(*bound_, batch, /*expand=*/false, pool_);
    if (mask.length == 1 && batch.num_rows != 1) {  // A constant: all rows or none.
      std::vector<int64_t> all;
      if (mask.IsValid(0) && mask.BoolAt(0)) {
        all.resize(static_cast<size_t>(batch.num_rows));
        for (int64_t i = 0; i < batch.num_rows; ++i) all[static_cast<size_t>(i)] = i;
      }
      return all;
    }
    return SelectedRows(mask);
  }

 private:
  Expr predicate_;
  MemoryPool* pool_;
  std::once_flag bound_once_;
  BoundExprPtr bound_;
};

/// Rows already in memory (DataFrame batches): the `read` columns of each batch, big batches cut
/// into morsels of about batch_size rows so that workers share the work.
class MemorySource final : public Source {
 public:
  MemorySource(const ScanSource& source, const std::vector<std::string>& read, int64_t batch_size,
               ProgressCounters* progress)
      : data_(source.data), batch_size_(std::max<int64_t>(1, batch_size)), progress_(progress) {
    std::vector<Field> fields;
    for (const std::string& name : read) {
      const size_t index = data_->schema->FieldIndex(name, "the rows in memory");
      indexes_.push_back(index);
      fields.push_back(data_->schema->field(index));
    }
    schema_ = std::make_shared<Schema>(std::move(fields));
    if (progress_) progress_->rows_total += data_->num_rows();
  }
  const SchemaPtr& schema() const override { return schema_; }
  bool Next(Batch* out) override {
    while (batch_ < data_->batches.size() && row_ >= data_->batches[batch_].num_rows) {
      ++batch_;
      row_ = 0;
    }
    if (batch_ >= data_->batches.size()) return false;
    const Batch& from = data_->batches[batch_];
    // A batch up to twice the morsel size goes out whole and uncopied; a bigger one is cut.
    const int64_t count = from.num_rows <= 2 * batch_size_
                              ? from.num_rows
                              : std::min(batch_size_, from.num_rows - row_);
    Batch batch;
    batch.schema = schema_;
    batch.num_rows = count;
    batch.seq = next_seq_++;
    batch.columns.reserve(indexes_.size());
    for (size_t index : indexes_) {
      const Column& column = from.columns[index];
      batch.columns.push_back(count == from.num_rows ? column : column.Slice(row_, count));
    }
    row_ += count;
    if (progress_) progress_->rows_done += count;
    *out = std::move(batch);
    return true;
  }

 private:
  std::shared_ptr<const DataFrame> data_;
  int64_t batch_size_;
  ProgressCounters* progress_;
  std::vector<size_t> indexes_;
  SchemaPtr schema_;
  size_t batch_ = 0;
  int64_t row_ = 0;
  uint64_t next_seq_ = 0;
};

/// A conjunction of predicates on one column, evaluated on a column of its values alone (the
/// Parquet reader's test of a column): bound on first use, to the type the reader has.
class ColumnTest {
 public:
  ColumnTest(std::string column, Expr predicate, MemoryPool* pool)
      : column_(std::move(column)), predicate_(std::move(predicate)), pool_(pool) {}

  Column operator()(const Column& values) {
    std::call_once(bound_once_, [&] {
      schema_ = std::make_shared<Schema>(std::vector<Field>{{column_, values.type, true}});
      bound_ = Bind(predicate_, *schema_);
    });
    Batch batch;
    batch.schema = schema_;
    batch.num_rows = values.length;
    batch.columns.push_back(values);
    return Evaluate(*bound_, batch, /*expand=*/true, pool_);
  }

 private:
  std::string column_;
  Expr predicate_;
  MemoryPool* pool_;
  std::once_flag bound_once_;
  SchemaPtr schema_;
  BoundExprPtr bound_;
};

/// Whether `predicate` may be tested once per distinct value instead of once per row: made of
/// columns, constants and functions that always give the same answer for the same arguments
/// and cannot fail on them (a cast, which can, must meet only the rows the filter meets).
bool TestablePerValue(const Expr& predicate) {
  static const std::set<std::string> kFunctions = {
      "equal",  "not_equal", "less",    "less_equal",  "greater",     "greater_equal",
      "is_in",  "between",   "is_null", "is_not_null", "and",         "or",
      "not",    "like",      "ilike",   "contains",    "starts_with", "ends_with",
      "length", "lower",     "upper",   "trim",        "ltrim",       "rtrim"};
  switch (predicate.kind()) {
    case ExprKind::kColumn:
    case ExprKind::kLiteral: return true;
    case ExprKind::kAlias: return TestablePerValue(predicate.arg(0));
    case ExprKind::kCall:
      if (kFunctions.count(predicate.node().name) == 0) return false;
      for (size_t i = 0; i < predicate.node().args.size(); ++i) {
        if (!TestablePerValue(predicate.arg(i))) return false;
      }
      return true;
    default: return false;
  }
}

/// The pushed predicates that a Parquet scan can test while reading: those on a string column
/// that the scan reads for its predicates alone, each of them on that column alone. By column:
/// the positions of its predicates in `conjuncts`.
std::map<std::string, std::vector<size_t>> TestableConjuncts(const LogicalPlan& scan,
                                                             const std::vector<Expr>& conjuncts) {
  if (scan.columns.empty()) return {};  // Every column is output.
  const std::set<std::string> output(scan.columns.begin(), scan.columns.end());
  std::map<std::string, std::vector<size_t>> by_column;
  std::set<std::string> excluded;
  for (size_t c = 0; c < conjuncts.size(); ++c) {
    const std::set<std::string> columns = ReferencedColumns(conjuncts[c]);
    if (columns.size() == 1 && TestablePerValue(conjuncts[c])) {
      by_column[*columns.begin()].push_back(c);
    } else {
      excluded.insert(columns.begin(), columns.end());
    }
  }
  std::erase_if(by_column, [&](const auto& entry) {
    const std::string& column = entry.first;
    const auto index = scan.source->file_schema->FindField(column);
    return output.count(column) > 0 || excluded.count(column) > 0 || !index ||
           !scan.source->file_schema->field(*index).type.IsVariableWidth();
  });
  return by_column;
}

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
  std::vector<Expr> conjuncts;
  for (const Expr& filter : scan.filters) {
    for (Expr& conjunct : SplitConjunction(filter)) conjuncts.push_back(std::move(conjunct));
  }

  Stream stream;
  if (source.format == ScanSource::Format::kMemory) {
    stream.source =
        std::make_unique<MemorySource>(source, read, context.batch_size, context.progress);
  } else if (source.format == ScanSource::Format::kParquet) {
    io::parquet::ScanOptions options;
    options.columns = read;
    options.batch_size = context.batch_size;
    options.hive = static_cast<io::parquet::ScanOptions::Hive>(source.hive);
    options.union_by_name = source.union_by_name;
    options.keep_row_group = MakeRowGroupFilter(scan);
    options.pool = context.pool;
    options.threads = context.threads;
    const std::map<std::string, std::vector<size_t>> tests = TestableConjuncts(scan, conjuncts);
    for (const auto& [column, positions] : tests) {
      std::vector<Expr> predicates;
      for (size_t c : positions) predicates.push_back(conjuncts[c]);
      auto test = std::make_shared<ColumnTest>(column, JoinConjunction(predicates), context.pool);
      options.column_tests[column] = [test](const Column& values) { return (*test)(values); };
    }
    auto parquet = std::make_unique<ParquetSource>(source, std::move(options), context.progress);
    // A string column the reader tested arrives as bools of whether each row passed, which
    // replace its predicates; the reader tests only where that pays (dictionary-encoded), the
    // other columns keep theirs.
    const Schema& read_schema = *parquet->schema();
    std::vector<bool> dropped(conjuncts.size(), false);
    std::vector<Expr> kept;
    for (const auto& [column, positions] : tests) {
      if (read_schema.field(*read_schema.FindField(column)).type.id != TypeId::kBool) continue;
      for (size_t c : positions) dropped[c] = true;
      kept.push_back(col(column));
    }
    for (size_t c = 0; c < conjuncts.size(); ++c) {
      if (!dropped[c]) kept.push_back(conjuncts[c]);
    }
    // Predicates on file columns alone filter while reading: the other columns are then read
    // for the rows that pass alone. Those on hive partition columns stay in a filter after.
    std::vector<Expr> while_reading;
    conjuncts.clear();
    for (Expr& conjunct : kept) {
      const std::set<std::string> columns = ReferencedColumns(conjunct);
      const bool on_files = std::all_of(columns.begin(), columns.end(), [&](const auto& name) {
        return parquet->scanner().ReadsFromFiles(name);
      });
      (on_files ? while_reading : conjuncts).push_back(std::move(conjunct));
    }
    if (!while_reading.empty()) {
      Expr predicate = JoinConjunction(while_reading);
      const std::set<std::string> columns = ReferencedColumns(predicate);
      auto filter = std::make_shared<RowFilter>(predicate, context.pool);
      parquet->FilterRows({columns.begin(), columns.end()},
                          [filter](const Batch& batch) { return (*filter)(batch); });
    }
    stream.source = std::move(parquet);
  } else {
    io::csv::CsvReadOptions options = source.csv;
    options.columns = read;
    options.batch_size = context.batch_size;
    options.pool = context.pool;
    options.threads = context.threads;
    if (!scan.filters.empty()) {
      // Filtered while reading: the other columns are converted only for the rows that pass.
      Expr predicate = JoinConjunction(scan.filters);
      std::set<std::string> columns = ReferencedColumns(predicate);
      options.filter_columns.assign(columns.begin(), columns.end());
      auto filter = std::make_shared<RowFilter>(predicate, context.pool);
      options.row_filter = [filter](const Batch& batch) { return (*filter)(batch); };
    }
    stream.source = std::make_unique<CsvSource>(source, std::move(options));
  }
  if (!conjuncts.empty() && source.format != ScanSource::Format::kCsv) {
    stream.ops.push_back(
        MakeFilterOperator(stream.source->schema(), JoinConjunction(conjuncts), context.pool));
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
