// The TPC-H tables' schemas (as in the Parquet files DuckDB's dbgen writes) and row counts.
#include <algorithm>
#include <cmath>

#include "cli/tpch_columns.h"
#include "cli/tpch_gen.h"
#include "core/error.h"

namespace sluice::cli::tpch {

namespace {
int64_t Rows(double factor, int64_t base) {
  return std::max<int64_t>(1, static_cast<int64_t>(std::floor(factor * static_cast<double>(base))));
}

double CheckedFactor(double factor) {
  // Keys are int32 (as in dbgen's files) and the sparse order keys reach 4 * orders.
  if (!(factor > 0) || factor > 300) {
    ThrowInvalid("the TPC-H scale factor must be in (0, 300], not {}", factor);
  }
  return factor;
}

SchemaPtr MakeSchema(std::vector<Field> fields) {
  return std::make_shared<Schema>(std::move(fields));
}
}  // namespace

Scale::Scale(double scale_factor)
    : factor(CheckedFactor(scale_factor)),
      parts(Rows(scale_factor, 200'000)),
      suppliers(Rows(scale_factor, 10'000)),
      customers(Rows(scale_factor, 150'000)),
      orders(Rows(scale_factor, 1'500'000)),
      clerks(std::max<int64_t>(1'000, Rows(scale_factor, 1'000))) {}

Context::Context(uint64_t seed_value, double scale_factor)
    : seed(seed_value), scale(scale_factor), text(seed_value) {}

SchemaPtr TableSchema(Table table) {
  switch (table) {
    case Table::kNation:
      return MakeSchema({{"n_nationkey", Int32()},
                         {"n_name", Utf8()},
                         {"n_regionkey", Int32()},
                         {"n_comment", Utf8()}});
    case Table::kRegion:
      return MakeSchema({{"r_regionkey", Int32()}, {"r_name", Utf8()}, {"r_comment", Utf8()}});
    case Table::kPart:
      return MakeSchema({{"p_partkey", Int32()},
                         {"p_name", Utf8()},
                         {"p_mfgr", Utf8()},
                         {"p_brand", Utf8()},
                         {"p_type", Utf8()},
                         {"p_size", Int32()},
                         {"p_container", Utf8()},
                         {"p_retailprice", Money()},
                         {"p_comment", Utf8()}});
    case Table::kPartSupp:
      return MakeSchema({{"ps_partkey", Int32()},
                         {"ps_suppkey", Int32()},
                         {"ps_availqty", Int32()},
                         {"ps_supplycost", Money()},
                         {"ps_comment", Utf8()}});
    case Table::kSupplier:
      return MakeSchema({{"s_suppkey", Int32()},
                         {"s_name", Utf8()},
                         {"s_address", Utf8()},
                         {"s_nationkey", Int32()},
                         {"s_phone", Utf8()},
                         {"s_acctbal", Money()},
                         {"s_comment", Utf8()}});
    case Table::kCustomer:
      return MakeSchema({{"c_custkey", Int32()},
                         {"c_name", Utf8()},
                         {"c_address", Utf8()},
                         {"c_nationkey", Int32()},
                         {"c_phone", Utf8()},
                         {"c_acctbal", Money()},
                         {"c_mktsegment", Utf8()},
                         {"c_comment", Utf8()}});
    case Table::kOrders:
      return MakeSchema({{"o_orderkey", Int32()},
                         {"o_custkey", Int32()},
                         {"o_orderstatus", Utf8()},
                         {"o_totalprice", Money()},
                         {"o_orderdate", Date32()},
                         {"o_orderpriority", Utf8()},
                         {"o_clerk", Utf8()},
                         {"o_shippriority", Int32()},
                         {"o_comment", Utf8()}});
    case Table::kLineitem:
      return MakeSchema({{"l_orderkey", Int32()},
                         {"l_partkey", Int32()},
                         {"l_suppkey", Int32()},
                         {"l_linenumber", Int32()},
                         {"l_quantity", Money()},
                         {"l_extendedprice", Money()},
                         {"l_discount", Money()},
                         {"l_tax", Money()},
                         {"l_returnflag", Utf8()},
                         {"l_linestatus", Utf8()},
                         {"l_shipdate", Date32()},
                         {"l_commitdate", Date32()},
                         {"l_receiptdate", Date32()},
                         {"l_shipinstruct", Utf8()},
                         {"l_shipmode", Utf8()},
                         {"l_comment", Utf8()}});
  }
  ThrowInternal("unknown TPC-H table");
}

const char* TableName(Table table) {
  switch (table) {
    case Table::kNation: return "nation";
    case Table::kRegion: return "region";
    case Table::kPart: return "part";
    case Table::kPartSupp: return "partsupp";
    case Table::kSupplier: return "supplier";
    case Table::kCustomer: return "customer";
    case Table::kOrders: return "orders";
    case Table::kLineitem: return "lineitem";
  }
  return "?";
}

}  // namespace sluice::cli::tpch
