#!/usr/bin/env node
// DuckDB's side of the TPC-H benchmark (bench/run --tpch): runs one TPC-H query file
// (tests/sql/tpch/qNN.sql, unchanged) on views over read_parquet of the eight tables in DATA_DIR,
// on DuckDB's default settings (all cores), and writes the answer (the file's one query; Q15's
// CREATE VIEW and DROP VIEW run around it) to OUT as CSV with a header. bench/run times this
// whole process and compares the answer with the other engines' (lib/answers.mjs).
//
// usage: node bench/peers/duckdb_tpch.mjs QUERY.sql DATA_DIR OUT.csv
//        node bench/peers/duckdb_tpch.mjs --noop    (load DuckDB and exit: the startup baseline)
import fs from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { viewsPrelude, splitStatements, isQuery } from './lib/tpch.mjs';

const sqlString = (s) => `'${String(s).replaceAll("'", "''")}'`;

async function run(queryFile, dir, out) {
  const statements = splitStatements(fs.readFileSync(queryFile, 'utf8'));
  if (statements.filter(isQuery).length !== 1) throw new Error(`${queryFile}: expected exactly one query among its statements`);
  const instance = await DuckDBInstance.create(':memory:');
  const con = await instance.connect();
  await con.run(viewsPrelude(dir));
  let rows = null;
  for (const s of statements) {
    if (!isQuery(s)) {
      await con.run(s);
      continue;
    }
    const result = await con.runAndReadAll(`COPY (${s}) TO ${sqlString(out)} (FORMAT csv, HEADER)`);
    rows = result.getRows()[0][0];  // COPY answers with the number of rows it wrote.
  }
  console.log(`duckdb: ${rows} rows -> ${out}`);
  con.closeSync();
}

const args = process.argv.slice(2);
if (args[0] === '--noop') process.exit(0);
if (args.length !== 3) {
  console.error('usage: duckdb_tpch.mjs QUERY.sql DATA_DIR OUT.csv | --noop');
  process.exit(2);
}
await run(...args);
