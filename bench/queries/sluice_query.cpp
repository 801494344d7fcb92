// sluice's side of the benchmark suite (bench/run): runs one workload Q1..Q5 through the
// LazyFrame API over the generated dataset, on the default thread pool (all cores), and writes the
// answer to OUT: CSV for Q1..Q4 (collect(), then the CSV writer), zstd Parquet for Q5
// (sink_parquet, streaming). Q6 is `sluice convert`, run by bench/run itself. Each workload is the
// same query as bench/peers/{duckdb,polars}_query.mjs and pandas_query.py; bench/run times this
// whole process and compares the answers. The workloads are described in
// bench/peers/lib/workloads.mjs.
//
// usage: sluice_bench_query WORKLOAD DATA_DIR OUT
#include <fmt/format.h>

#include <cstdio>
#include <exception>
#include <string>
#include <string_view>

#include "io/csv/writer.h"
#include "io/parquet/writer/writer_options.h"
#include "sluice/sluice.h"

namespace {

using sluice::col;
using sluice::LazyFrame;
using sluice::lit_timestamp;

LazyFrame Events(const std::string& dir) {
  return sluice::scan_parquet(dir + "/events/*.parquet");
}

LazyFrame Users(const std::string& dir) {
  return sluice::scan_parquet(dir + "/users.parquet");
}

// Q1, the seed query: filter, derived columns (one of them unused, as users write it), sum per
// category.
LazyFrame Q1(const std::string& dir) {
  return Events(dir)
      .filter(col("timestamp") > lit_timestamp("2023-01-01"))
      .with_columns(
          {(col("revenue") * 0.8).alias("net_revenue"), col("user_id").cast(sluice::utf8())})
      .group_by({"category"})
      .agg({col("net_revenue").sum().alias("net_revenue")});
}

// Q2: a high-cardinality group-by, one group per user.
LazyFrame Q2(const std::string& dir) {
  return Events(dir)
      .group_by({"user_id"})
      .agg({sluice::count_rows().alias("n"), col("revenue").sum().alias("revenue_sum"),
            col("quantity").mean().alias("quantity_mean"),
            col("timestamp").max().alias("timestamp_max")});
}

// Q3: events joined with users, grouped by two columns of the build side.
LazyFrame Q3(const std::string& dir) {
  return Events(dir)
      .join(Users(dir), std::vector<std::string>{"user_id"})
      // Two string literals in braces would also match vector<Expr>'s iterator-pair constructor.
      .group_by({col("country"), col("tier")})
      .agg({col("revenue").sum().alias("revenue_sum"), col("user_id").n_unique().alias("users")});
}

// Q4: top 100 by revenue; the timestamp (unique per row) breaks ties so every engine agrees.
LazyFrame Q4(const std::string& dir) {
  return Events(dir).sort({"revenue", "timestamp"}, {true, false}).head(100);
}

// Q5: filter and derived columns, every row of the last year written out.
LazyFrame Q5(const std::string& dir) {
  return Events(dir)
      .filter(col("timestamp") >= lit_timestamp("2024-01-01"))
      .with_columns({col("timestamp").dt().truncate("month").alias("month"),
                     col("region").str().upper().alias("region_upper"),
                     (col("revenue") * 0.8).alias("net_revenue")});
}

void WriteCsv(const sluice::DataFrame& frame, const std::string& out) {
  sluice::io::csv::CsvWriter writer(out, *frame.schema);
  for (const sluice::Batch& batch : frame.batches) writer.Write(batch);
  writer.Close();
}

int Run(std::string_view workload, const std::string& dir, const std::string& out) {
  if (workload == "Q5") {
    sluice::io::parquet::WriterOptions options;
    options.compression = sluice::io::Codec::kZstd;
    Q5(dir).sink_parquet(out, options);
    fmt::print("sluice {}: sunk -> {}\n", workload, out);
    return 0;
  }
  LazyFrame query = workload == "Q1"   ? Q1(dir)
                    : workload == "Q2" ? Q2(dir)
                    : workload == "Q3" ? Q3(dir)
                    : workload == "Q4" ? Q4(dir)
                                       : throw std::invalid_argument(fmt::format(
                                             "unknown workload {}: use Q1..Q5 (Q6 is `sluice "
                                             "convert`)",
                                             workload));
  sluice::DataFrame frame = query.collect();
  WriteCsv(frame, out);
  fmt::print("sluice {}: {} rows -> {}\n", workload, frame.num_rows(), out);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    fmt::print(stderr, "usage: sluice_bench_query WORKLOAD DATA_DIR OUT\n");
    return 2;
  }
  try {
    return Run(argv[1], argv[2], argv[3]);
  } catch (const std::invalid_argument& e) {
    fmt::print(stderr, "sluice_bench_query: {}\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    fmt::print(stderr, "sluice_bench_query: error: {}\n", e.what());
    return 1;
  }
}
