// Writes the eight TPC-H tables as DIR/<table>.parquet through sluice's Parquet writer: chunks of
// rows generated in parallel ahead of the writer and written in order, so memory stays bounded and
// the bytes never depend on the thread count.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "io/parquet/writer/writer_options.h"

namespace sluice::cli {

class ProgressBar;

struct TpchWriteOptions {
  std::string directory;
  double scale_factor = 1.0;
  uint64_t seed = 42;
  io::parquet::WriterOptions writer;
};

struct TpchTableStats {
  std::string name;
  int64_t rows = 0;
  uint64_t bytes = 0;
};

/// Writes every table; `progress` (may be null) counts generated rows.
std::vector<TpchTableStats> WriteTpch(const TpchWriteOptions& options, ProgressBar* progress);

/// The number of rows WriteTpch reports through the progress bar (lineitem estimated).
int64_t TpchProgressTotal(double scale_factor);

}  // namespace sluice::cli
