// A TPC-H data generator (specification v3.0.1, clause 4.2): the eight tables at any scale
// factor, with the cardinalities, key spaces, value distributions and formulas of the spec, and
// the column names and types of the Parquet files DuckDB's dbgen writes (int32 keys,
// decimal(15,2) money, date32 dates, utf8 strings). Every chunk of rows is a pure function of
// (seed, scale factor, first row, count), so chunks are generated in parallel and the output bytes
// never depend on the thread count. What differs from dbgen: the random streams (same
// distributions, other values), the size of the comment text pool (8 MB, not 300 MB), and the
// "Customer ... Complaints/Recommends" suppliers, exactly SF * 5 each (at least 1) as the spec
// says, where dbgen draws about that many by chance.
#pragma once

#include <cstdint>
#include <string>

#include "cli/tpch_text.h"
#include "core/batch.h"

namespace sluice::cli::tpch {

/// Row counts at a scale factor (clause 4.2.5), never below 1.
struct Scale {
  explicit Scale(double scale_factor);

  double factor;
  int64_t parts;      ///< SF * 200,000 (partsupp has 4 rows per part).
  int64_t suppliers;  ///< SF * 10,000
  int64_t customers;  ///< SF * 150,000
  int64_t orders;     ///< SF * 1,500,000 (1..7 lineitems each)
  int64_t clerks;     ///< max(SF * 1,000, 1,000) as dbgen
};

/// What every chunk generator reads: the seed, the scale, and the shared text pool.
struct Context {
  Context(uint64_t seed, double scale_factor);

  uint64_t seed;
  Scale scale;
  TextPool text;
};

enum class Table { kNation, kRegion, kPart, kPartSupp, kSupplier, kCustomer, kOrders, kLineitem };
SchemaPtr TableSchema(Table table);
const char* TableName(Table table);

Batch GenerateNation(const Context& context);
Batch GenerateRegion(const Context& context);
/// Rows [first, first + count) of the table (0-based row numbers; keys are row + 1).
Batch GeneratePart(const Context& context, int64_t first, int64_t count);
Batch GenerateSupplier(const Context& context, int64_t first, int64_t count);
Batch GenerateCustomer(const Context& context, int64_t first, int64_t count);
/// The partsupp rows of parts [first_part, first_part + parts): four per part.
Batch GeneratePartSupp(const Context& context, int64_t first_part, int64_t parts);

/// Orders [first, first + count) and their lineitems, generated together because an order's
/// status and total price come from its lines.
struct OrderChunk {
  Batch orders;
  Batch lineitem;
};
OrderChunk GenerateOrders(const Context& context, int64_t first, int64_t count);

/// dbgen's sparse order keys: of every 32 keys the first 8 are used (1..7, 32..39, 64..71, ...).
inline int64_t OrderKey(int64_t row) {
  int64_t n = row + 1;
  return ((n >> 3) << 5) | (n & 7);
}
/// p_retailprice in cents (clause 4.2.3): 90000 + ((key / 10) mod 20001) + 100 * (key mod 1000).
inline int64_t RetailPriceCents(int64_t partkey) {
  return 90000 + ((partkey / 10) % 20001) + 100 * (partkey % 1000);
}
/// The i-th (0..3) supplier of a part (clause 4.2.3, ps_suppkey).
inline int64_t PartSupplier(int64_t partkey, int64_t i, int64_t suppliers) {
  return (partkey + i * (suppliers / 4 + (partkey - 1) / suppliers)) % suppliers + 1;
}

}  // namespace sluice::cli::tpch
