// Adapters from the Parquet and CSV scanners and writers to BatchSource and BatchSink.
#include "cli/input_source.h"

#include <filesystem>
#include <string_view>

#include "cli/usage_error.h"
#include "core/error.h"
#include "io/csv/reader.h"
#include "io/fs/glob.h"
#include "io/parquet/reader/scanner.h"
#include "io/parquet/writer/file_writer.h"

namespace sluice::cli {

BatchSource::~BatchSource() = default;
BatchSink::~BatchSink() = default;

namespace {

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

/// Strips a compression suffix, so that `a.tsv.gz` is recognised as tab-separated.
std::string_view WithoutCompression(std::string_view path) {
  for (std::string_view suffix : {".gz", ".zst"}) {
    if (EndsWith(path, suffix)) return path.substr(0, path.size() - suffix.size());
  }
  return path;
}

class ParquetSource final : public BatchSource {
 public:
  ParquetSource(const std::string& path, const InputOptions& options)
      : scanner_(io::parquet::ResolveParquetPaths(path), ScanOptionsFor(options)) {}

  const SchemaPtr& schema() const override { return scanner_.schema(); }
  bool Next(Batch* out) override { return scanner_.Next(out); }
  int64_t total_rows() const override { return scanner_.total_rows(); }

 private:
  static io::parquet::ScanOptions ScanOptionsFor(const InputOptions& options) {
    io::parquet::ScanOptions scan;
    scan.columns = options.columns;
    scan.batch_size = options.batch_size;
    scan.union_by_name = options.union_by_name;
    scan.prefetch_batches = options.prefetch_batches;
    return scan;
  }

  io::parquet::ParquetScanner scanner_;
};

class CsvSource final : public BatchSource {
 public:
  CsvSource(const std::string& path, io::csv::CsvReadOptions options)
      : scanner_(io::csv::ResolveCsvPaths(path), std::move(options)) {}

  const SchemaPtr& schema() const override { return scanner_.schema(); }
  bool Next(Batch* out) override { return scanner_.Next(out); }
  int64_t rows_skipped() const override { return scanner_.rows_skipped(); }

 private:
  io::csv::CsvScanner scanner_;
};

class ParquetSink final : public BatchSink {
 public:
  ParquetSink(const std::string& path, const Schema& schema,
              const io::parquet::WriterOptions& options)
      : writer_(path, schema, options) {}
  void Write(const Batch& batch) override { writer_.Write(batch); }
  void Close() override { writer_.Close(); }
  int64_t rows_written() const override { return writer_.rows_written(); }
  uint64_t bytes_written() const override { return writer_.bytes_written(); }

 private:
  io::parquet::ParquetWriter writer_;
};

class CsvSink final : public BatchSink {
 public:
  CsvSink(const std::string& path, const Schema& schema, const io::csv::CsvWriteOptions& options)
      : writer_(path, schema, options) {}
  void Write(const Batch& batch) override { writer_.Write(batch); }
  void Close() override { writer_.Close(); }
  int64_t rows_written() const override { return writer_.rows_written(); }
  uint64_t bytes_written() const override { return writer_.bytes_written(); }

 private:
  io::csv::CsvWriter writer_;
};

}  // namespace

bool IsCsvInput(const std::string& path) {
  if (io::csv::IsCsvPath(path)) return true;
  std::error_code error;
  if (io::HasGlob(path) || !std::filesystem::is_directory(path, error)) return false;
  // A folder is CSV when it holds CSV files and no Parquet files.
  std::string base = path;
  while (base.size() > 1 && base.back() == '/') base.pop_back();
  std::vector<std::string> files;
  try {
    files = io::ExpandGlob(base + "/**");
  } catch (const Error&) {
    return false;  // An empty folder: the Parquet scanner says so.
  }
  bool any_csv = false;
  for (const std::string& file : files) {
    if (EndsWith(file, ".parquet")) return false;
    any_csv = any_csv || io::csv::IsCsvPath(file);
  }
  return any_csv;
}

std::unique_ptr<BatchSource> OpenInput(const std::string& path, const InputOptions& options) {
  if (!IsCsvInput(path)) {
    if (options.csv_options_given) {
      ThrowUsage(
          "CSV options were given but '{}' is read as Parquet (CSV files end in .csv, "
          ".tsv or .txt, optionally with .gz or .zst)",
          path);
    }
    return std::make_unique<ParquetSource>(path, options);
  }
  if (options.union_by_name) ThrowUsage("--union-by-name applies to Parquet inputs only");
  io::csv::CsvReadOptions csv = options.csv;
  csv.columns = options.columns;
  csv.batch_size = options.batch_size;
  if (!csv.delimiter && EndsWith(WithoutCompression(path), ".tsv")) csv.delimiter = '\t';
  return std::make_unique<CsvSource>(path, std::move(csv));
}

OutputFormat OutputFormatOf(const std::string& path) {
  if (EndsWith(path, ".parquet")) return OutputFormat::kParquet;
  if (EndsWith(path, ".csv") || EndsWith(path, ".tsv")) return OutputFormat::kCsv;
  const std::string_view plain = WithoutCompression(path);
  if (plain.size() != path.size() && (EndsWith(plain, ".csv") || EndsWith(plain, ".tsv"))) {
    ThrowUnsupported("cannot write '{}': compressed CSV output is unsupported; write a .csv file",
                     path);
  }
  ThrowUsage("cannot tell the output format of '{}': name it *.parquet, *.csv or *.tsv", path);
}

std::unique_ptr<BatchSink> OpenOutput(const std::string& path, const Schema& schema,
                                      const OutputOptions& options) {
  if (OutputFormatOf(path) == OutputFormat::kParquet) {
    return std::make_unique<ParquetSink>(path, schema, options.parquet);
  }
  io::csv::CsvWriteOptions csv = options.csv;
  if (!options.csv_delimiter_given) csv.delimiter = EndsWith(path, ".tsv") ? '\t' : ',';
  return std::make_unique<CsvSink>(path, schema, csv);
}

}  // namespace sluice::cli
