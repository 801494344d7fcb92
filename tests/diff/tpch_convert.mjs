// Converts every TPC-H table of ../shared/tpch (DuckDB-written Parquet) with sluice and checks
// with DuckDB that the result holds the same types and the same rows in the same order.
// Usage: node tpch_convert.mjs SLUICE_BIN WORK_DIR   (TPC-H folder: $SLUICE_TPCH_DIR or ../shared)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';

const [sluice, work] = process.argv.slice(2);
const here = path.dirname(fileURLToPath(import.meta.url));
const tpch = process.env.SLUICE_TPCH_DIR ?? path.resolve(here, '../../../shared/tpch/sf0.1');
if (!sluice || !fs.existsSync(sluice)) {
  console.error(`usage: node tpch_convert.mjs SLUICE_BIN WORK_DIR (no program at '${sluice}')`);
  process.exit(1);
}
if (!fs.existsSync(tpch)) {
  console.log(`# TPC-H files not found in ${tpch}; set SLUICE_TPCH_DIR`);
  console.log('0 passed, 0 failed, 1 skipped');
  process.exit(0);
}
fs.rmSync(work, { recursive: true, force: true });
fs.mkdirSync(work, { recursive: true });
const con = await (await DuckDBInstance.create(':memory:')).connect();
const rows = async (sql) => (await con.runAndReadAll(sql)).getRows();

let passed = 0, failed = 0;
const check = (name, ok, detail = '') => {
  ok ? passed++ : failed++;
  console.log(`${ok ? 'ok' : 'not ok'} - ${name}${ok || !detail ? '' : `\n  ${detail}`}`);
};

for (const file of fs.readdirSync(tpch).filter((f) => f.endsWith('.parquet')).sort()) {
  const input = path.join(tpch, file), output = path.join(work, file);
  const run = spawnSync(sluice, ['convert', input, output, '--quiet'], { encoding: 'utf8' });
  check(`${file}: convert`, run.status === 0, run.stderr);
  if (run.status !== 0) continue;
  const types = async (f) => JSON.stringify(await rows(`SELECT column_name, column_type FROM (DESCRIBE FROM '${f}')`));
  check(`${file}: same types`, (await types(input)) === (await types(output)));
  // Rows compared with their positions, so order counts too.
  const [[differ]] = await rows(`SELECT count(*) FROM (
      (SELECT * FROM read_parquet('${input}', file_row_number = true) EXCEPT ALL
       SELECT * FROM read_parquet('${output}', file_row_number = true))
      UNION ALL
      (SELECT * FROM read_parquet('${output}', file_row_number = true) EXCEPT ALL
       SELECT * FROM read_parquet('${input}', file_row_number = true)))`);
  check(`${file}: same rows in the same order`, differ === 0n, `${differ} rows differ`);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
