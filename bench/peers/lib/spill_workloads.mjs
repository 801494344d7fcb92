// The workloads of the larger-than-memory benchmark (bench/run --spill, issue 8): three queries
// over TPC-H lineitem and orders whose state cannot fit in a 1 GB budget at scale factor 17
// (~100M lineitem rows, ~25M orders), each writing its whole answer to a zstd Parquet file.
// sluice and DuckDB run the same SQL text (over two views naming the Parquet files); Polars runs
// the same query through its lazy API (bench/peers/polars_spill.mjs).
//
// Every workload also says how its output is checked (lib/spill_check.mjs): `ordered` (the row
// order is part of the answer: the sort key is unique, so there is exactly one right order) and
// the invariants that tie the output to the input without running the query again (row counts,
// sums, the multiset of rows), so that even an engine that finishes alone is checked.

import path from 'node:path';

export const TABLES = ['lineitem', 'orders'];

const sqlString = (s) => `'${String(s).replaceAll("'", "''")}'`;

// CREATE VIEW lineitem AS SELECT * FROM '<dir>/lineitem.parquet'; ... (sluice and DuckDB).
export const viewsPrelude = (dir) =>
  TABLES.map((t) => `CREATE VIEW ${t} AS SELECT * FROM ${sqlString(path.join(path.resolve(dir), `${t}.parquet`))};`).join('\n');

export const SPILL_WORKLOADS = [
  {
    id: 'groupby',
    title: 'high-cardinality group-by',
    description: 'sum and count per order key: one group per order (~25M at scale factor 17)',
    sql: 'SELECT l_orderkey, sum(l_extendedprice) AS revenue, count(*) AS n FROM lineitem GROUP BY l_orderkey',
    ordered: false,
  },
  {
    id: 'join',
    title: 'join of two large tables',
    description: 'every lineitem row with its order\'s date and customer (lineitem ⋈ orders on the order key)',
    sql: 'SELECT l_orderkey, l_linenumber, l_extendedprice, o_orderdate, o_custkey FROM lineitem JOIN orders ON l_orderkey = o_orderkey',
    ordered: false,
  },
  {
    id: 'sort',
    title: 'full sort',
    description: 'all of lineitem ordered by ship date, then order key and line number (a unique key: one right order)',
    sql: 'SELECT * FROM lineitem ORDER BY l_shipdate, l_orderkey, l_linenumber',
    ordered: true,
  },
];

export const spillWorkloadById = (id) => SPILL_WORKLOADS.find((w) => w.id === id) ?? null;

// The statement sluice and DuckDB run: the views, then COPY of the workload's query.
export const copyStatement = (workload, out) => `COPY (${workload.sql}) TO ${sqlString(out)} (FORMAT parquet, COMPRESSION zstd)`;
