// The public C++ API of sluice: lazy queries over Parquet and CSV files.
//
//   auto out = sluice::scan_parquet("data/events/*.parquet")
//       .filter(sluice::col("timestamp") > sluice::lit_timestamp("2023-01-01"))
//       .with_columns({(sluice::col("revenue") * 0.8).alias("net_revenue")})
//       .group_by({"category"})
//       .agg({sluice::col("net_revenue").sum()})
//       .collect();
//   std::cout << out.ToString();
//
// The types come from the library's own headers (the `sluice` CMake target puts them on the
// include path); this header gathers what an embedder needs, with the snake_case type names
// the API's users know from Polars.
#pragma once

#include <sluice/error.h>
#include <sluice/version.h>

#include "core/data_frame.h"
#include "core/types.h"
#include "expr/expr.h"
#include "plan/lazy_frame.h"

namespace sluice {

inline DataType boolean() {
  return Bool();
}
inline DataType int32() {
  return Int32();
}
inline DataType int64() {
  return Int64();
}
inline DataType float64() {
  return Float64();
}
inline DataType utf8() {
  return Utf8();
}
inline DataType date() {
  return Date32();
}
inline DataType timestamp(TimeUnit unit = TimeUnit::kMicro) {
  return Timestamp(unit);
}
inline DataType decimal(int precision, int scale) {
  return Decimal(precision, scale);
}

}  // namespace sluice
