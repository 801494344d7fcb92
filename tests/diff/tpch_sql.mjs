#!/usr/bin/env node
// The 22 TPC-H queries through `sluice query` against DuckDB (issue 6, "What it must show").
//
// For each tests/sql/tpch/qNN.sql (standard text, validation parameters) sluice runs
//   CREATE VIEW lineitem AS SELECT * FROM '<dir>/lineitem.parquet'; ... (the 8 tables)
//   <the query file>
// with `sluice query --format csv -f FILE`, and DuckDB runs the same statements on the same
// files. The answers must agree: the same number of rows and columns; strings, dates and integers
// exactly; DECIMAL columns (money) to 0.01 absolute or 1e-9 relative, DOUBLE columns (averages,
// ratios) to 1e-9 relative; rows in the same order (every query has ORDER BY). Rows whose ORDER BY
// keys tie may come in any order among themselves: ORDER_KEYS names each query's sort columns.
// Column names are not compared (Q18's `sum(l_quantity)` is named differently by each engine).
//
// usage: node tests/diff/tpch_sql.mjs SLUICE_BIN WORK_DIR
//   SLUICE_TPCH_DIR=DIR        the Parquet files (default ../shared/tpch/sf0.1 beside the repo)
//   SLUICE_TPCH_QUERIES=1,3,6  only these queries
//   SLUICE_TPCH_TIMEOUT=S      seconds one query may take in sluice (default 300)
// Prints `ok - qNN` or `not ok - qNN FAIL: <first difference>` / `not ok - qNN ERROR: <message>`
// per query, then `N passed, M failed`; exits 1 if any query failed.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance, StatementType } from '@duckdb/node-api';

const [sluice, workArg] = process.argv.slice(2);
const here = path.dirname(fileURLToPath(import.meta.url));
const queriesDir = path.resolve(here, '../sql/tpch');
const tpch = process.env.SLUICE_TPCH_DIR || path.resolve(here, '../../../shared/tpch/sf0.1');
const timeoutMs = 1000 * Number(process.env.SLUICE_TPCH_TIMEOUT || 300);
if (!sluice || !workArg || !fs.existsSync(sluice)) {
  console.error(`usage: node tpch_sql.mjs SLUICE_BIN WORK_DIR (no program at '${sluice}')`);
  process.exit(2);
}
const TABLES = ['lineitem', 'orders', 'customer', 'part', 'partsupp', 'supplier', 'nation', 'region'];
if (!TABLES.every((t) => fs.existsSync(path.join(tpch, `${t}.parquet`)))) {
  console.log(`# TPC-H files not found in ${tpch}; set SLUICE_TPCH_DIR`);
  console.log('0 passed, 0 failed, 1 skipped');
  process.exit(0);
}
const work = path.resolve(workArg);
fs.rmSync(work, { recursive: true, force: true });
fs.mkdirSync(work, { recursive: true });

// The output columns (0-based) of each query's ORDER BY, for tolerating ties.
const ORDER_KEYS = {
  1: [0, 1], 2: [0, 2, 1, 3], 3: [1, 2], 4: [0], 5: [1], 6: [], 7: [0, 1, 2], 8: [0], 9: [0, 1],
  10: [2], 11: [1], 12: [0], 13: [1, 0], 14: [], 15: [0], 16: [3, 0, 1, 2], 17: [], 18: [4, 3],
  19: [], 20: [0], 21: [1, 0], 22: [0],
};

let numbers = Array.from({ length: 22 }, (_, i) => i + 1);
if (process.env.SLUICE_TPCH_QUERIES) {
  numbers = process.env.SLUICE_TPCH_QUERIES.split(',').map((s) => Number(s.trim().replace(/^q/i, '')));
  const bad = numbers.filter((n) => !(n >= 1 && n <= 22));
  if (bad.length) {
    console.error(`SLUICE_TPCH_QUERIES: not a query number 1..22: ${bad.join(', ')}`);
    process.exit(2);
  }
}

const lit = (s) => `'${String(s).replaceAll("'", "''")}'`;
const prelude = TABLES.map((t) => `CREATE VIEW ${t} AS SELECT * FROM ${lit(path.join(tpch, `${t}.parquet`))};`)
  .join('\n');

const con = await (await DuckDBInstance.create(':memory:')).connect();
await con.run(prelude);

// DuckDB's answer: runs every statement of the file in order and keeps the last one that returned
// columns (Q15's SELECT, not its DROP VIEW).
async function duckdbAnswer(sql) {
  const extracted = await con.extractStatements(sql);
  let answer = null;
  for (let i = 0; i < extracted.count; i++) {
    const prepared = await extracted.prepare(i);
    const isQuery = prepared.statementType === StatementType.SELECT;
    const reader = await prepared.runAndReadAll();
    if (isQuery) answer = { types: reader.columnTypes().map((t) => String(t)), rows: reader.getRows() };
  }
  if (!answer) throw new Error('the file holds no query');
  return answer;
}

// A minimal RFC 4180 reader: quoted fields may hold commas, quotes ("") and newlines. An empty
// unquoted field is NULL.
function parseCsv(text) {
  const rows = [];
  let row = [], field = '', quoted = false, wasQuoted = false, i = 0;
  const endField = () => { row.push(field === '' && !wasQuoted ? null : field); field = ''; wasQuoted = false; };
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i += 2; continue; }
      if (c === '"') { quoted = false; i++; continue; }
      field += c; i++; continue;
    }
    if (c === '"') { quoted = true; wasQuoted = true; i++; continue; }
    if (c === ',') { endField(); i++; continue; }
    if (c === '\r' && text[i + 1] === '\n') { i++; continue; }
    if (c === '\n') { endField(); rows.push(row); row = []; i++; continue; }
    field += c; i++;
  }
  if (field !== '' || wasQuoted || row.length) { endField(); rows.push(row); }
  return rows;
}

// Compares sluice's text value with DuckDB's typed value; returns null when they agree, else why.
function compareValue(text, value, type) {
  if (value === null || text === null) {
    return value === null && text === null ? null : `expected ${value === null ? 'NULL' : String(value)}, got ${text ?? 'NULL'}`;
  }
  if (/^DECIMAL|^DOUBLE|^FLOAT|^REAL/.test(type)) {
    const want = Number(String(value)), got = Number(text);
    if (!Number.isFinite(got) && !(Number.isNaN(want) && Number.isNaN(got))) return `expected ${value}, got ${text}`;
    const diff = Math.abs(want - got), scale = Math.max(Math.abs(want), Math.abs(got));
    const money = type.startsWith('DECIMAL');
    if (diff <= 1e-9 * scale || diff <= (money ? 0.01 : 1e-12)) return null;
    return `expected ${value}, got ${text} (difference ${diff})`;
  }
  if (/INT/.test(type)) {
    let got;
    try { got = BigInt(text); } catch { return `expected integer ${value}, got ${text}`; }
    return got === BigInt(value) ? null : `expected ${value}, got ${text}`;
  }
  if (type === 'BOOLEAN') return String(value) === text ? null : `expected ${value}, got ${text}`;
  // Dates, timestamps, strings: by their text (sluice may write timestamps with a 'T').
  const want = String(value);
  const got = /^TIMESTAMP/.test(type) ? text.replace('T', ' ') : text;
  return got === want ? null : `expected '${want}', got '${text}'`;
}

function compareRow(got, want, types, columns = null) {
  for (const c of columns ?? types.keys()) {
    const why = compareValue(got[c], want[c], types[c]);
    if (why) return { column: c, why };
  }
  return null;
}

// Positional comparison; where it fails inside a run of DuckDB rows with equal ORDER BY keys, the
// run is compared as a multiset (and sluice's rows of that run must carry the same keys).
function compareRows(got, want, types, keys) {
  let i = 0;
  while (i < want.length) {
    const diff = compareRow(got[i], want[i], types);
    if (!diff) { i++; continue; }
    let start = i, end = i + 1;
    while (start > 0 && !compareRow(want[start - 1], want[i], types, keys)) start--;
    while (end < want.length && !compareRow(want[end], want[i], types, keys)) end++;
    // Compare the run as a multiset: every sluice row of the run matches one unused DuckDB row.
    const used = new Array(end - start).fill(false);
    for (let g = start; g < end; g++) {
      const m = used.findIndex((u, k) => !u && !compareRow(got[g], want[start + k], types));
      if (m < 0) {
        return `row ${i + 1}, column ${diff.column + 1}: ${diff.why}\n  sluice: ${JSON.stringify(got[i])}` +
               `\n  duckdb: ${JSON.stringify(want[i].map((v) => (v === null ? null : String(v))))}`;
      }
      used[m] = true;
    }
    i = end;
  }
  return null;
}

let passed = 0, failed = 0;
function report(name, status, detail = '') {
  if (status === 'OK') { passed++; console.log(`ok - ${name}`); return; }
  failed++;
  const lines = String(detail).trim().split('\n');
  console.log(`not ok - ${name} ${status}: ${lines[0].slice(0, 400)}`);
  for (const line of lines.slice(1, 16)) console.log(`#   ${line.slice(0, 400)}`);
}

for (const n of numbers) {
  const name = `q${String(n).padStart(2, '0')}`;
  const sql = fs.readFileSync(path.join(queriesDir, `${name}.sql`), 'utf8');
  let want;
  try {
    want = await duckdbAnswer(sql);
  } catch (e) {
    report(name, 'ERROR', `DuckDB failed: ${e.message}`);
    continue;
  }
  const file = path.join(work, `${name}.sql`);
  fs.writeFileSync(file, `${prelude}\n${sql}`);
  const run = spawnSync(sluice, ['query', '--format', 'csv', '-f', file],
                        { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 1 << 28 });
  if (run.error || run.status !== 0) {
    const why = run.error?.code === 'ETIMEDOUT' ? `timed out after ${timeoutMs / 1000} s`
              : run.signal ? `killed by ${run.signal}` : `exit ${run.status}`;
    report(name, 'ERROR', `${(run.stderr || '').trim() || why}${run.stderr ? ` (${why})` : ''}`);
    continue;
  }
  // Statements without rows (CREATE VIEW, DROP VIEW) may print a message line; those are not rows.
  const lines = run.stdout.split('\n');
  const csv = lines.filter((l) => !/^(CREATE|DROP) (OR REPLACE )?(VIEW|TABLE)( \S+)?$/.test(l)).join('\n');
  const table = parseCsv(csv);
  if (table.length === 0) { report(name, 'FAIL', 'no output (expected a header line)'); continue; }
  const [header, ...rows] = table;
  const ncols = want.types.length;
  let problem = null;
  if (header.length !== ncols) {
    problem = `${header.length} columns (${header.join(', ')}), expected ${ncols}`;
  } else if (rows.length !== want.rows.length) {
    problem = `${rows.length} rows, expected ${want.rows.length}\n  first lines of sluice's output:\n` +
              lines.slice(0, 6).map((l) => `  ${l}`).join('\n');
  } else {
    const width = rows.findIndex((r) => r.length !== ncols);
    problem = width >= 0 ? `row ${width + 1} has ${rows[width].length} fields, expected ${ncols}`
                         : compareRows(rows, want.rows, want.types, ORDER_KEYS[n]);
  }
  report(name, problem ? 'FAIL' : 'OK', problem);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
