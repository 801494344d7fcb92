#!/usr/bin/env node
// DuckDB's side of the convert benchmark: rewrites one Parquet file as zstd Parquet with
//   COPY (FROM 'IN') TO 'OUT' (FORMAT parquet, COMPRESSION zstd)
// on DuckDB's default settings (all cores). run_convert times this whole process.
//
// usage: node bench/peers/duckdb_convert.mjs IN OUT
//        node bench/peers/duckdb_convert.mjs --noop    (load DuckDB and exit: the startup baseline)
import { DuckDBInstance } from '@duckdb/node-api';

const sqlString = (s) => `'${String(s).replaceAll("'", "''")}'`;

async function convert(input, output) {
  const instance = await DuckDBInstance.create(':memory:');
  const con = await instance.connect();
  await con.run(`COPY (FROM ${sqlString(input)}) TO ${sqlString(output)} (FORMAT parquet, COMPRESSION zstd)`);
  con.closeSync();
}

const args = process.argv.slice(2);
if (args[0] === '--noop') process.exit(0);
if (args.length !== 2) {
  console.error('usage: duckdb_convert.mjs IN OUT | --noop');
  process.exit(2);
}
await convert(args[0], args[1]);
