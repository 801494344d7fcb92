#!/usr/bin/env node
// DuckDB's side of the larger-than-memory benchmark (bench/run --spill): runs one workload of
// lib/spill_workloads.mjs — the same SQL text sluice runs, over views of DATA_DIR/lineitem.parquet
// and orders.parquet — as COPY (...) TO OUT (FORMAT parquet, COMPRESSION zstd), under
// SET memory_limit = LIMIT and SET temp_directory = TEMP_DIR, on DuckDB's default thread count (all
// cores). preserve_insertion_order is turned off, as DuckDB's guide on larger-than-memory
// workloads advises: none of the workloads has an insertion order to keep (the sort's order
// comes from its ORDER BY), and it lets DuckDB stream rather than buffer. bench/run times this
// whole process.
//
// usage: node bench/peers/duckdb_spill.mjs WORKLOAD DATA_DIR OUT LIMIT TEMP_DIR
//        node bench/peers/duckdb_spill.mjs --noop    (load DuckDB and exit: the startup baseline)
import { DuckDBInstance } from '@duckdb/node-api';
import { spillWorkloadById, viewsPrelude, copyStatement } from './lib/spill_workloads.mjs';

const sqlString = (s) => `'${String(s).replaceAll("'", "''")}'`;

async function run(id, dir, out, limit, tempDir) {
  const workload = spillWorkloadById(id);
  if (!workload) throw new Error(`unknown workload ${id}: use groupby, join or sort`);
  const instance = await DuckDBInstance.create(':memory:');
  const con = await instance.connect();
  await con.run(`SET memory_limit = ${sqlString(limit)}`);
  await con.run(`SET temp_directory = ${sqlString(tempDir)}`);
  await con.run('SET preserve_insertion_order = false');
  for (const statement of viewsPrelude(dir).split('\n')) await con.run(statement);
  const result = await con.runAndReadAll(copyStatement(workload, out));
  // COPY answers with the number of rows it wrote.
  console.log(`duckdb ${id}: ${result.getRows()[0][0]} rows -> ${out}`);
  con.closeSync();
}

const args = process.argv.slice(2);
if (args[0] === '--noop') process.exit(0);
if (args.length !== 5) {
  console.error('usage: duckdb_spill.mjs WORKLOAD DATA_DIR OUT LIMIT TEMP_DIR | --noop');
  process.exit(2);
}
await run(...args);
