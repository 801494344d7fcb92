#!/usr/bin/env node
// Differential test of the query engine against DuckDB (issue 3, "What it must show").
//
// 1. DuckDB writes the test data (tests/diff/engine_data.mjs: events in 3 files of 4 row groups,
//    users, small; every column with nulls).
// 2. engine_diff_runner (tests/diff/engine_queries/) runs each case's LazyFrame query through
//    sluice's C++ API and sinks the result to OUT/<case>.parquet, or records sluice's error.
// 3. DuckDB runs each case's SQL over the same files and compares its answer with sluice's
//    Parquet output: the same column names, the same number of rows, the same values — floats to
//    a relative and absolute tolerance (1e-9 unless the case says otherwise), everything else
//    exactly (timestamps to the microsecond, decimals by value) — in the same order where the case
//    is ordered, else as multisets. Types may differ where the values agree (sluice's sum of
//    int32 is int64, DuckDB's a HUGEINT). Error cases pass when sluice fails (with the message
//    fragment the case names) and DuckDB rejects the SQL too (unless the case has no SQL: sluice
//    rejects on purpose what DuckDB accepts, e.g. integer division by zero).
//
// usage: node tests/diff/engine_differential.mjs SLUICE_BIN WORK_DIR
//   SLUICE_ENGINE_DIFF_RUNNER=PATH  the runner (default: tests/engine_diff_runner beside SLUICE_BIN)
//   SLUICE_ENGINE_FILTER=REGEX      only the cases whose name matches
//   SLUICE_ENGINE_THREADS=N         sluice's --threads (default: the runner's default)
//   SLUICE_ENGINE_CASE_TIMEOUT=S    seconds one case may take before it counts as hung (120)
// Prints `ok - NAME` / `not ok - NAME` per case with the difference, then `N passed, M failed`;
// exits 1 if any case failed.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { writeEngineData, createEngineViews } from './engine_data.mjs';

const [BIN_ARG, WORK_ARG] = process.argv.slice(2);
if (!BIN_ARG || !WORK_ARG) {
  console.error('usage: node engine_differential.mjs SLUICE_BIN WORK_DIR');
  process.exit(2);
}
const WORK = path.resolve(WORK_ARG);
const RUNNER = path.resolve(process.env.SLUICE_ENGINE_DIFF_RUNNER ||
                            path.join(path.dirname(path.resolve(BIN_ARG)), 'tests', 'engine_diff_runner'));
if (!fs.existsSync(RUNNER)) {
  console.log(`not ok - engine_diff_runner not found: ${RUNNER} (build the target engine_diff_runner)`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const FILTER = process.env.SLUICE_ENGINE_FILTER || '';
const THREADS = process.env.SLUICE_ENGINE_THREADS || '';
const CASE_TIMEOUT_MS = 1000 * Number(process.env.SLUICE_ENGINE_CASE_TIMEOUT || 120);
const DATA = path.join(WORK, 'data');
const OUT = path.join(WORK, 'out');

let passed = 0;
const failures = [];
function report(name, problem) {
  if (!problem) {
    passed++;
    console.log(`ok - ${name}`);
    return;
  }
  failures.push(name);
  console.log(`not ok - ${name}`);
  for (const line of String(problem).split('\n').slice(0, 24)) console.log(`#   ${line.slice(0, 600)}`);
}

const lit = (s) => `'${String(s).replaceAll("'", "''")}'`;
const ident = (s) => `"${String(s).replaceAll('"', '""')}"`;

// ---------------------------------------------------------------------------------------------
// 1. Data.

fs.rmSync(WORK, { recursive: true, force: true });
fs.mkdirSync(OUT, { recursive: true });
const instance = await DuckDBInstance.create(':memory:');
const con = await instance.connect();
await writeEngineData(con, DATA, fs, path);
await createEngineViews(con, DATA);

// ---------------------------------------------------------------------------------------------
// 2. sluice: run the runner; when it dies or hangs in a case, note it and resume after that case.

function readProgress() {
  const file = path.join(OUT, 'progress.jsonl');
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

function runRunner(extra) {
  const args = [DATA, OUT, ...extra];
  if (FILTER) args.push('--filter', FILTER);
  if (THREADS) args.push('--threads', THREADS);
  const skip = readProgress().length;  // lines of earlier runs
  return new Promise((resolve) => {
    const child = spawn(RUNNER, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    let stderr = '';
    child.stderr.on('data', (d) => { if (stderr.length < 1 << 16) stderr += d; });
    let hung = null;
    // Watches progress.jsonl: a case that started more than CASE_TIMEOUT_MS ago and has not
    // finished is hung; the runner is killed and resumed after it.
    const started = new Map();
    const watchdog = setInterval(() => {
      for (const entry of readProgress().slice(skip)) {
        if (entry.status === 'start') started.set(entry.name, started.get(entry.name) ?? Date.now());
        else started.delete(entry.name);
      }
      for (const [name, since] of started) {
        if (Date.now() - since > CASE_TIMEOUT_MS) {
          hung = name;
          try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
        }
      }
    }, 1000);
    child.on('close', (code, signal) => {
      clearInterval(watchdog);
      resolve({ code, signal, stderr, hung, skip });
    });
  });
}

const crashes = new Map();  // case name -> how the runner died in it
const runnerStarted = Date.now();
let extra = [];
for (;;) {
  const run = await runRunner(extra);
  if (run.code === 0) break;
  const progress = readProgress().slice(run.skip);
  const finished = new Set(progress.filter((e) => e.status !== 'start').map((e) => e.name));
  const dying = [...progress].reverse().find((e) => e.status === 'start' && !finished.has(e.name));
  if (!dying) {
    report('engine_diff_runner runs', `exit ${run.code} signal ${run.signal}\n${run.stderr}`);
    break;
  }
  const how = run.hung ? `hung (killed after ${CASE_TIMEOUT_MS / 1000} s)`
                       : `the runner died: ${run.signal ? `signal ${run.signal}` : `exit ${run.code}`}`;
  crashes.set(dying.name, `${how}\n${run.stderr.slice(-2000)}`);
  extra = ['--after', dying.name];
}
const runnerSeconds = (Date.now() - runnerStarted) / 1000;

const manifestFile = path.join(OUT, 'manifest.json');
if (!fs.existsSync(manifestFile)) {
  report('engine_diff_runner writes its manifest', `no ${manifestFile}`);
  console.log(`${passed} passed, ${failures.length} failed`);
  process.exit(1);
}
const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
const results = new Map();
for (const entry of readProgress()) if (entry.status !== 'start') results.set(entry.name, entry);

// ---------------------------------------------------------------------------------------------
// 3. Compare.

const rows = async (sql) => (await con.runAndReadAll(sql)).getRowsJson();
async function describe(table) {
  return (await rows(`DESCRIBE ${table}`)).map(([name, type]) => ({ name, type }));
}

const EXACT_NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|DECIMAL)/;
const FLOAT = /^(FLOAT|DOUBLE)$/;
const isNumeric = (type) => EXACT_NUMERIC.test(type) || FLOAT.test(type);

/// "1.50" -> "1.5", "-0.00" -> "0", "12" -> "12": decimal text compared by value.
function normalizeDecimal(text) {
  let s = String(text);
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  if (/^-0*$/.test(s)) s = '0';
  return s;
}
function toDouble(v) {
  if (typeof v === 'number') return v;
  if (v === 'NaN') return NaN;
  if (v === 'Infinity' || v === 'inf') return Infinity;
  if (v === '-Infinity' || v === '-inf') return -Infinity;
  return Number(v);
}
function closeEnough(a, b, tolerance) {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b;
  return Math.abs(a - b) <= tolerance + tolerance * Math.max(Math.abs(a), Math.abs(b));
}

/// How values of a column pair compare: 'float' (tolerance), 'exact' (numbers by value), 'text'.
function columnMode(typeA, typeB) {
  if (isNumeric(typeA) && isNumeric(typeB)) return FLOAT.test(typeA) || FLOAT.test(typeB) ? 'float' : 'exact';
  return 'text';
}
function canonical(value, mode) {
  if (value === null || value === undefined) return null;
  if (mode === 'float') return toDouble(value);
  if (mode === 'exact') return normalizeDecimal(value);
  return typeof value === 'string' ? value : JSON.stringify(value);
}
/// A sort key of a canonical row: floats rounded so that values within tolerance sort together.
function sortKey(row, modes) {
  return row.map((v, i) => {
    if (v === null) return '\u0000';
    if (modes[i] === 'float') return Number.isFinite(v) ? v.toPrecision(6) : String(v);
    return v;
  }).join('\u0001');
}
function sameValue(a, b, mode, tolerance) {
  if (a === null || b === null) return a === b;
  if (mode === 'float') return closeEnough(a, b, tolerance);
  return a === b;
}
const show = (row) => JSON.stringify(row, (k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));

async function compareCase(c, file) {
  await con.run(`CREATE OR REPLACE TEMP TABLE expected AS ${c.sql}`);
  await con.run(`CREATE OR REPLACE TEMP TABLE got AS SELECT * FROM read_parquet(${lit(file)})`);
  const [e, g] = [await describe('expected'), await describe('got')];
  const names = (cols) => cols.map((x) => x.name).join(', ');
  if (names(e) !== names(g)) return `column names differ:\n  DuckDB: ${names(e)}\n  sluice: ${names(g)}`;
  const [[ne], [ng]] = [(await rows('SELECT count(*) FROM expected'))[0], (await rows('SELECT count(*) FROM got'))[0]];
  const typeNote = e.map((x, i) => (x.type === g[i].type ? null : `${x.name}: DuckDB ${x.type}, sluice ${g[i].type}`))
    .filter(Boolean).join('; ');
  if (ne !== ng) return `row counts differ: DuckDB ${ne}, sluice ${ng}` + (typeNote ? `\n  (types: ${typeNote})` : '');

  // Fast path: the rows as text are equal (as multisets, or position by position).
  const text = (cols) => cols.map((x) => `CAST(${ident(x.name)} AS VARCHAR)`).join(', ');
  const pos = c.ordered ? 'rowid, ' : '';
  const [[onlyE]] = await rows(`SELECT count(*) FROM (SELECT ${pos}${text(e)} FROM expected EXCEPT ALL SELECT ${pos}${text(g)} FROM got)`);
  const [[onlyG]] = await rows(`SELECT count(*) FROM (SELECT ${pos}${text(g)} FROM got EXCEPT ALL SELECT ${pos}${text(e)} FROM expected)`);
  if (Number(onlyE) === 0 && Number(onlyG) === 0) return null;

  // Slow path: by value, floats with tolerance.
  const modes = e.map((x, i) => columnMode(x.type, g[i].type));
  const load = async (table) =>
    (await rows(`SELECT * FROM ${table} ORDER BY rowid`)).map((r) => r.map((v, i) => canonical(v, modes[i])));
  let [er, gr] = [await load('expected'), await load('got')];
  if (!c.ordered) {
    const sorted = (list) => list.map((r) => [sortKey(r, modes), r]).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map((x) => x[1]);
    [er, gr] = [sorted(er), sorted(gr)];
  }
  const diffs = [];
  let count = 0;
  for (let i = 0; i < er.length; i++) {
    const bad = er[i].findIndex((v, j) => !sameValue(v, gr[i][j], modes[j], c.tolerance));
    if (bad < 0) continue;
    count++;
    if (diffs.length < 6) {
      diffs.push(`${c.ordered ? 'row' : 'sorted row'} ${i}, column ${e[bad].name}:\n` +
                 `    DuckDB ${show(er[i])}\n    sluice ${show(gr[i])}`);
    }
  }
  if (count === 0) return null;
  return `${count} of ${er.length} rows differ${c.ordered ? '' : ' (compared as multisets)'}` +
         (typeNote ? `\n  types: ${typeNote}` : '') + `\n  ${diffs.join('\n  ')}`;
}

async function duckError(sql) {
  try {
    await con.run(`CREATE OR REPLACE TEMP TABLE expected AS ${sql}`);
    return null;
  } catch (error) {
    return error.message;
  }
}

for (const c of manifest) {
  const result = results.get(c.name);
  let problem = null;
  try {
    if (crashes.has(c.name)) {
      problem = `sluice: ${crashes.get(c.name)}`;
    } else if (!result) {
      problem = 'sluice: the runner never ran this case';
    } else if (c.expected_error) {
      if (result.status !== 'error') {
        problem = 'sluice succeeded where an error was expected';
      } else if (c.error_contains && !result.error.toLowerCase().includes(c.error_contains.toLowerCase())) {
        problem = `sluice's error does not mention "${c.error_contains}": ${result.error}`;
      } else if (c.sql && !(await duckError(c.sql))) {
        problem = 'DuckDB accepted the SQL of an error case (fix the case)';
      }
    } else if (result.status === 'error') {
      problem = `sluice error: ${result.error}`;
      const duck = await duckError(c.sql);
      if (duck) problem += `\n  (and DuckDB rejects the SQL too: ${duck.split('\n')[0]})`;
    } else {
      const duck = await duckError(c.sql);
      problem = duck ? `DuckDB rejects the SQL (fix the case): ${duck.split('\n')[0]}\n  SQL: ${c.sql}`
                     : await compareCase(c, path.join(OUT, `${c.name}.parquet`));
    }
  } catch (error) {
    problem = `comparison failed: ${error.message}`;
  }
  if (problem && !c.expected_error && c.sql && !problem.includes('SQL:')) problem += `\n  SQL: ${c.sql}`;
  report(c.name, problem);
  if (!problem && c.expected_error) console.log(`#   sluice: ${result.error.split('\n')[0].slice(0, 300)}`);
}

// Controls: the comparison itself must catch a wrong value, a float off by more than the
// tolerance, a wrong order, a missing row and a wrong column name (and accept a float within
// tolerance), or every `ok` above means nothing. They reuse outputs of cases that passed.
const controls = [
  ['add_i32_i32', 'SELECT id, i32 + i32 + 1 AS c1 FROM events', false, true],
  ['add_f64_f64', 'SELECT id, f64 + revenue + 1e-6 AS c1 FROM events', false, true],
  ['add_f64_f64', 'SELECT id, f64 + revenue + 1e-13 AS c1 FROM events', false, false],
  ['sort_id_desc', 'SELECT id, k1 FROM events ORDER BY id', true, true],
  ['filter_int_range', 'SELECT id, i32 AS c1 FROM events WHERE i32 > 0 AND i32 < 500000 AND i32 <> 499885', false, true],
  ['add_i32_i32', 'SELECT id, i32 + i32 AS c2 FROM events', false, true],
];
for (const [name, sql, ordered, mustDiffer] of controls) {
  if (!results.has(name) || results.get(name).status !== 'ok' || failures.includes(name)) continue;
  const c = { name, sql, ordered, tolerance: 1e-9 };
  let problem;
  try {
    problem = await compareCase(c, path.join(OUT, `${name}.parquet`));
  } catch (error) {
    problem = `comparison failed: ${error.message}`;
  }
  report(`control: ${name} against \`${sql}\` ${mustDiffer ? 'differs' : 'agrees'}`,
         Boolean(problem) === mustDiffer ? null : (problem || 'the comparison found no difference'));
}

console.log(`# sluice ran ${manifest.length} cases in ${runnerSeconds.toFixed(1)} s`);
if (failures.length) console.log(`# failed: ${failures.join(' ')}`);
console.log(`${passed} passed, ${failures.length} failed`);
process.exit(failures.length ? 1 : 0);
