// Scans one or many CSV files (a path, a glob, a folder; plain, .gz or .zst) as a stream of batches
// in file order. The first file's first rows decide the dialect, header and column types (unless
// the options do); then each file is read in blocks of a few MB, each block is cut at row starts
// into chunks that are tokenized in parallel, and the rows are converted to batches of exactly
// batch_size rows (the last one shorter), also in parallel, one (batch, column) pair per task.
// Only the projected columns are converted. Batches are the same whatever the thread count.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/batch.h"
#include "io/csv/read_options.h"

namespace sluice::io::csv {

/// Expands a path argument into the CSV files it names: a glob, a folder (the files under it
/// that IsCsvPath accepts), or a single file. Sorted, so scans are deterministic.
std::vector<std::string> ResolveCsvPaths(const std::string& path);

/// Tells whether a name looks like CSV: .csv .tsv .txt, each maybe followed by .gz or .zst
/// (case-insensitive).
bool IsCsvPath(std::string_view path);

/// Sizes that shape how a scan cuts its input. They are fixed per scan, never derived from the
/// thread count, so that output does not depend on it; tests shrink them to force many blocks
/// and chunks (and hence chunk boundaries inside quoted fields) on small inputs.
struct CsvChunking {
  int64_t block_bytes = int64_t{8} << 20;  ///< Read from the file at a time.
  int64_t chunk_bytes = int64_t{1} << 19;  ///< Tokenized per task, at least.
};

class CsvScanner {
 public:
  /// Opens the first file that has any rows and sniffs from it; throws (ThrowInvalid) when the
  /// options are inconsistent, when a column named by the options does not exist, or when every
  /// file is empty.
  CsvScanner(const std::vector<std::string>& paths, CsvReadOptions options);
  /// As above, with the internal chunking sizes given (tests and benchmarks).
  CsvScanner(const std::vector<std::string>& paths, CsvReadOptions options, CsvChunking chunking);
  ~CsvScanner();
  CsvScanner(const CsvScanner&) = delete;
  CsvScanner& operator=(const CsvScanner&) = delete;

  /// The projected columns with their inferred (or overridden) types. Every file must have the
  /// first file's columns: the same header, or the same number of fields.
  const SchemaPtr& schema() const { return schema_; }

  /// Produces the next batch in file order, with increasing seq; returns false at the end.
  /// Throws the first error in file order (a malformed row, a value that does not fit its
  /// column, ...) once the batches before it have been returned.
  bool Next(Batch* out);

  /// Rows skipped so far because their field count was wrong (Ragged::kSkip).
  int64_t rows_skipped() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
  SchemaPtr schema_;
};

}  // namespace sluice::io::csv
