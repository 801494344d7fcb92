// Opens what a command reads and writes by the file's extension: Parquet (a file, glob or folder)
// or CSV (.csv, .tsv, .txt, optionally compressed) on the input side, Parquet or CSV (.csv, .tsv)
// on the output side, so that every subcommand handles both formats the same way.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/batch.h"
#include "io/csv/read_options.h"
#include "io/csv/writer.h"
#include "io/parquet/writer/writer_options.h"

namespace sluice::cli {

/// A stream of batches from one input, whatever its format.
class BatchSource {
 public:
  virtual ~BatchSource();
  virtual const SchemaPtr& schema() const = 0;
  /// Produces the next batch in file order; returns false at the end.
  virtual bool Next(Batch* out) = 0;
  /// Rows in the input, known up front for Parquet (its footers say), -1 when unknown (CSV).
  virtual int64_t total_rows() const { return -1; }
  /// Rows dropped as ragged (CSV read with --ragged skip), for the summary line.
  virtual int64_t rows_skipped() const { return 0; }
};

struct InputOptions {
  /// Columns to read, in output order; empty means all.
  std::vector<std::string> columns;
  int64_t batch_size = 64 * 1024;
  /// Parquet: unify files whose columns differ, by name.
  bool union_by_name = false;
  /// Parquet: batches decoded ahead on a background thread (convert overlaps decode and encode).
  int prefetch_batches = 0;
  /// CSV: the dialect and types. `columns` and `batch_size` above override its own fields.
  io::csv::CsvReadOptions csv;
  /// True when any CSV option was given on the command line: an error for a Parquet input,
  /// rather than silently ignored.
  bool csv_options_given = false;
};

/// Tells whether `path` is read as CSV: by its extension (see io::csv::IsCsvPath), or for a
/// folder, by holding CSV files and no Parquet files.
bool IsCsvInput(const std::string& path);

/// Opens a Parquet or CSV input by its extension. A `.tsv` input is tab-delimited unless a
/// delimiter is given.
std::unique_ptr<BatchSource> OpenInput(const std::string& path, const InputOptions& options);

/// Where a command writes its rows, whatever the format.
class BatchSink {
 public:
  virtual ~BatchSink();
  virtual void Write(const Batch& batch) = 0;
  /// Publishes the file; until then nothing is visible under its name.
  virtual void Close() = 0;
  virtual int64_t rows_written() const = 0;
  virtual uint64_t bytes_written() const = 0;
};

enum class OutputFormat : uint8_t { kParquet, kCsv };

struct OutputOptions {
  io::parquet::WriterOptions parquet;
  /// The delimiter is ',' for .csv and a tab for .tsv unless `csv_delimiter_given`.
  io::csv::CsvWriteOptions csv;
  bool csv_delimiter_given = false;
};

/// Picks the output format from the name: *.parquet, *.csv or *.tsv. Throws UsageError for other
/// names and ThrowUnsupported for compressed CSV output (*.csv.gz, *.csv.zst).
OutputFormat OutputFormatOf(const std::string& path);

/// Opens a Parquet or CSV writer for `path` (see OutputFormatOf).
std::unique_ptr<BatchSink> OpenOutput(const std::string& path, const Schema& schema,
                                      const OutputOptions& options);

}  // namespace sluice::cli
