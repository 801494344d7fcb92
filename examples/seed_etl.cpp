// The seed pipeline of sluice's story, from C++: the events of a folder of Parquet files,
// filtered to 2023 onwards, with a net revenue and a string user id, summed per category.
//
//   seed_etl DATA_DIR [OUT.parquet]
//
// Prints the result as a table; with OUT also writes it to Parquet (atomically, streaming).
#include <sluice/sluice.h>

#include <cstdio>
#include <exception>
#include <string>

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: seed_etl DATA_DIR [OUT.parquet]\n");
    return 2;
  }
  using sluice::col;
  try {
    std::string events = std::string(argv[1]) + "/events/*.parquet";
    auto query = sluice::scan_parquet(events)
                     .filter(col("timestamp") > sluice::lit_timestamp("2023-01-01"))
                     .with_columns({(col("revenue") * 0.8).alias("net_revenue"),
                                    col("user_id").cast(sluice::utf8())})
                     .group_by({"category"})
                     .agg({col("net_revenue").sum()})
                     .sort({"category"});
    std::printf("%s\n", query.explain().c_str());
    if (argc > 2) {
      query.sink_parquet(argv[2]);
      std::printf("wrote %s\n", argv[2]);
    }
    std::printf("%s", query.collect().ToString().c_str());
  } catch (const std::exception& error) {
    std::fprintf(stderr, "seed_etl: error: %s\n", error.what());
    return 1;
  }
  return 0;
}
