// The determinism test's runner (tests/diff/determinism.mjs): runs one query of the generated
// events dataset at a given thread count and sinks it to Parquet, so that the test can compare
// the files' bytes across thread counts and runs. The queries have no sort: their row order is
// the engine's own, which must not depend on the threads (DESIGN.md "Reproducibility").
//
// usage: determinism_runner QUERY DATA_DIR OUT.parquet THREADS
//   QUERY: seed (the seed pipeline), per_user (one group per user: count, sum, mean, max),
//          join (events joined with users, summed per country and tier)
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "sluice/sluice.h"

namespace {

using sluice::col;
using sluice::LazyFrame;

LazyFrame Query(const std::string& name, const std::string& dir) {
  LazyFrame events = sluice::scan_parquet(dir + "/events/*.parquet");
  if (name == "seed")
    return events.filter(col("timestamp") > sluice::lit_timestamp("2023-01-01"))
        .with_columns(
            {(col("revenue") * 0.8).alias("net_revenue"), col("user_id").cast(sluice::utf8())})
        .group_by({"category"})
        .agg({col("net_revenue").sum()});
  if (name == "per_user")
    return events.group_by({"user_id"})
        .agg({sluice::count_rows().alias("n"), col("revenue").sum().alias("revenue_sum"),
              col("quantity").mean().alias("quantity_mean"),
              col("timestamp").max().alias("last_seen")});
  if (name == "join")
    return events.join(sluice::scan_parquet(dir + "/users.parquet"), {"user_id"})
        .group_by({"country", "tier"})
        .agg({col("revenue").sum().alias("revenue"), col("user_id").n_unique().alias("users")});
  throw std::invalid_argument("unknown query " + name + " (seed, per_user, join)");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: determinism_runner QUERY DATA_DIR OUT.parquet THREADS\n");
    return 2;
  }
  try {
    sluice::RunOptions run;
    run.threads = std::atoi(argv[4]);
    Query(argv[1], argv[2]).sink_parquet(argv[3], {}, run);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "determinism_runner: %s\n", error.what());
    return 1;
  }
  return 0;
}
