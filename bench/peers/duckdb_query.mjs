#!/usr/bin/env node
// DuckDB's side of the benchmark suite (bench/run): runs one workload Q1..Q7 in SQL over
// read_parquet of the generated dataset (Q7: read_csv of its CSV copy, types inferred by DuckDB),
// on DuckDB's default settings (all cores), and writes the answer to OUT: CSV for Q1..Q4, zstd
// Parquet for Q5..Q7. bench/run times this whole process
// and compares the answer with the other engines'. The workloads are described in
// bench/peers/lib/workloads.mjs; every engine's script implements the same ones.
//
// usage: node bench/peers/duckdb_query.mjs WORKLOAD DATA_DIR OUT
//        node bench/peers/duckdb_query.mjs --noop    (load DuckDB and exit: the startup baseline)
import { DuckDBInstance } from '@duckdb/node-api';

const sqlString = (s) => `'${String(s).replaceAll("'", "''")}'`;

function queries(dir) {
  const events = `read_parquet(${sqlString(`${dir}/events/*.parquet`)})`;
  const users = `read_parquet(${sqlString(`${dir}/users.parquet`)})`;
  return {
    Q1: `SELECT category, sum(net_revenue) AS net_revenue
         FROM (SELECT * REPLACE (CAST(user_id AS VARCHAR) AS user_id), revenue * 0.8 AS net_revenue
               FROM ${events} WHERE "timestamp" > TIMESTAMP '2023-01-01')
         GROUP BY category`,
    Q2: `SELECT user_id, count(*) AS n, sum(revenue) AS revenue_sum, avg(quantity) AS quantity_mean,
                max("timestamp") AS timestamp_max
         FROM ${events} GROUP BY user_id`,
    Q3: `SELECT u.country, u.tier, sum(e.revenue) AS revenue_sum, count(DISTINCT e.user_id) AS users
         FROM ${events} e JOIN ${users} u ON e.user_id = u.user_id
         GROUP BY u.country, u.tier`,
    Q4: `FROM ${events} ORDER BY revenue DESC, "timestamp" ASC LIMIT 100`,
    Q5: `SELECT *, date_trunc('month', "timestamp") AS month, upper(region) AS region_upper,
                revenue * 0.8 AS net_revenue
         FROM ${events} WHERE "timestamp" >= TIMESTAMP '2024-01-01'`,
    Q6: `FROM ${events}`,
    Q7: `SELECT * FROM read_csv(${sqlString(`${dir}/events.csv`)})`,
  };
}

// The workloads written as zstd Parquet; the others are written as CSV.
const PARQUET_OUTPUT = new Set(['Q5', 'Q6', 'Q7']);

async function run(workload, dir, out) {
  const sql = queries(dir)[workload];
  if (!sql) throw new Error(`unknown workload ${workload}: use ${Object.keys(queries(dir)).join(', ')}`);
  const format = PARQUET_OUTPUT.has(workload) ? 'FORMAT parquet, COMPRESSION zstd' : 'FORMAT csv, HEADER';
  const instance = await DuckDBInstance.create(':memory:');
  const con = await instance.connect();
  const result = await con.runAndReadAll(`COPY (${sql}) TO ${sqlString(out)} (${format})`);
  // COPY answers with the number of rows it wrote.
  console.log(`duckdb ${workload}: ${result.getRows()[0][0]} rows -> ${out}`);
  con.closeSync();
}

const args = process.argv.slice(2);
if (args[0] === '--noop') process.exit(0);
if (args.length !== 3) {
  console.error('usage: duckdb_query.mjs WORKLOAD DATA_DIR OUT | --noop');
  process.exit(2);
}
await run(...args);
