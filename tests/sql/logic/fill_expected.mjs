#!/usr/bin/env node
// Fills in the expected answers of SQL logic test files (tests/sql/logic/*.test) by running their
// records in DuckDB: expected rows are computed, never written by hand.
//
// usage: node tests/sql/logic/fill_expected.mjs [--refresh] [--check] [FILE.test ...]
//   (default: every .test file beside this script)
//   --refresh  recompute every query record, not only those without a `----` section
//   --check    change nothing; report the records whose expectation differs from DuckDB's answer
//
// Each file runs in its own DuckDB connection, its records in order, `${TMP}` standing for a fresh
// folder. DuckDB runs with sluice's documented NULL order (plan/logical_plan.h: NULLs last
// ascending, first descending, as PostgreSQL) instead of its own default (last in both).
// Per record:
//   statement ok     runs; a DuckDB failure is reported (the record is probably wrong).
//   statement error  runs; DuckDB must fail too. The expected message stays as written: it is
//                    sluice's message, which differs from DuckDB's.
//   query            a record without `----` (or every one with --refresh) gets DuckDB's rows and
//                    the column types as letters: I integer, R real (float, double, decimal:
//                    written to 6 significant digits, as the runner normalizes), T anything else
//                    (strings, dates, booleans). NULL is `NULL`, the empty string `(empty)`.
// A record preceded by a comment `# differs from DuckDB: why` keeps its hand-written expectation
// (it still runs, so the state stays the same for later records); so does a `query ... contains`
// record (EXPLAIN: sluice's own plan text).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const refresh = args.includes('--refresh');
const checkOnly = args.includes('--check');
let files = args.filter((a) => !a.startsWith('--'));
if (files.length === 0) {
  files = fs.readdirSync(here).filter((f) => f.endsWith('.test')).sort().map((f) => path.join(here, f));
}

/// A real to 6 significant digits in plain notation without trailing zeros: the runner's
/// NormalizeReal (tests/sql/logic_test.cpp) does the same.
export function normalizeReal(x) {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return '0';
  let sci = x.toExponential(5);
  const negative = sci[0] === '-';
  if (negative) sci = sci.slice(1);
  const e = sci.indexOf('e');
  const exponent = Number(sci.slice(e + 1));
  const digits = sci[0] + sci.slice(2, e);
  let out;
  if (exponent < 0) out = `0.${'0'.repeat(-exponent - 1)}${digits}`;
  else if (exponent + 1 >= digits.length) out = digits + '0'.repeat(exponent + 1 - digits.length);
  else out = `${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}`;
  if (out.includes('.')) out = out.replace(/0+$/, '').replace(/\.$/, '');
  return (negative ? '-' : '') + out;
}

const INTEGER = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)$/;
const REAL = /^(DECIMAL|DOUBLE|FLOAT|REAL)/;
const letterOf = (type) => (INTEGER.test(type) ? 'I' : REAL.test(type) ? 'R' : 'T');

function cellText(value, letter) {
  if (value === null || value === undefined) return 'NULL';
  if (letter === 'R') return normalizeReal(Number(String(value)));
  const text = String(value);
  return text === '' ? '(empty)' : text;
}

/// The records of a file, with the line ranges they occupy (0-based, end exclusive).
function parseRecords(lines) {
  const records = [];
  let i = 0;
  const blank = (k) => lines[k].trim() === '';
  while (i < lines.length) {
    if (blank(i) || lines[i].startsWith('#')) { i++; continue; }
    const header = i;
    const words = lines[i].trim().split(/\s+/);
    const record = { header, line: i + 1, kind: null, sort: '', types: '', differs: false };
    // A `# differs from DuckDB` comment in the comment block right above the header.
    for (let k = i - 1; k >= 0 && lines[k].startsWith('#'); k--) {
      if (/^#\s*differs from DuckDB/i.test(lines[k])) record.differs = true;
    }
    if (words[0] === 'statement' && (words[1] === 'ok' || words[1] === 'error')) {
      record.kind = `statement ${words[1]}`;
    } else if (words[0] === 'query') {
      record.kind = 'query';
      for (const w of words.slice(1)) {
        if (['nosort', 'rowsort', 'contains'].includes(w)) record.sort = w;
        else record.types = w;
      }
    } else {
      throw new Error(`line ${i + 1}: unknown record header '${lines[i]}'`);
    }
    i++;
    const sqlLines = [];
    while (i < lines.length && !blank(i) && lines[i] !== '----') {
      if (!lines[i].startsWith('#')) sqlLines.push(lines[i]);
      i++;
    }
    record.sql = sqlLines.join('\n');
    record.sqlEnd = i;
    record.hasExpected = i < lines.length && lines[i] === '----';
    record.expected = [];
    if (record.hasExpected) {
      i++;
      while (i < lines.length && !blank(i)) record.expected.push(lines[i++]);
    }
    record.end = i;
    records.push(record);
  }
  return records;
}

async function runAll(con, sql) {
  const extracted = await con.extractStatements(sql);
  let reader = null;
  for (let k = 0; k < extracted.count; k++) {
    reader = await (await extracted.prepare(k)).runAndReadAll();
  }
  return reader;
}

let problems = 0;
for (const file of files) {
  const name = path.basename(file);
  const text = fs.readFileSync(file, 'utf8');
  const lines = text.split('\n');
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  let records;
  try {
    records = parseRecords(lines);
  } catch (e) {
    console.log(`${name}: ${e.message}`);
    problems++;
    continue;
  }
  const tmp = path.join(os.tmpdir(), 'sluice_logic_fill', path.basename(file, '.test'));
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  const instance = await DuckDBInstance.create(':memory:');
  const con = await instance.connect();
  await con.run("SET default_null_order = 'nulls_last_on_asc_first_on_desc'");
  const replacements = [];  // [startLine, endLine, newLines]
  let filled = 0;
  const warn = (record, message) => {
    problems++;
    console.log(`${name}:${record.line}: ${message}\n    ${record.sql.split('\n').join('\n    ')}`);
  };
  for (const record of records) {
    const sql = record.sql.replaceAll('${TMP}', tmp);
    let reader = null, error = null;
    try {
      reader = await runAll(con, sql);
    } catch (e) {
      error = e.message.split('\n')[0];
    }
    if (record.kind === 'statement ok') {
      if (error && !record.differs) warn(record, `DuckDB fails: ${error}`);
      continue;
    }
    if (record.kind === 'statement error') {
      if (!error && !record.differs) warn(record, 'DuckDB accepts this statement (expected an error)');
      continue;
    }
    if (record.differs || record.sort === 'contains') continue;
    if (record.hasExpected && !refresh && !checkOnly) continue;
    if (error) { warn(record, `DuckDB fails: ${error}`); continue; }
    const letters = reader.columnTypes().map((t) => letterOf(String(t))).join('');
    const rows = reader.getRows().map((row) => row.map((v, c) => cellText(v, letters[c])).join('\t'));
    if (rows.some((r) => /\n/.test(r))) { warn(record, 'a value holds a newline; the format cannot say that'); continue; }
    if (checkOnly) {
      const norm = (list) => (record.sort === 'rowsort' ? [...list].sort() : list).join('\n');
      if (!record.hasExpected || norm(rows) !== norm(record.expected)) {
        warn(record, `DuckDB's answer differs from the expectation:\n    ${rows.join('\n    ')}`);
      }
      continue;
    }
    const header = ['query', letters, record.sort].filter(Boolean).join(' ');
    replacements.push([record.header, record.end,
      [header, ...lines.slice(record.header + 1, record.sqlEnd), '----', ...rows]]);
    filled++;
  }
  if (replacements.length && !checkOnly) {
    let out = [...lines];
    for (const [start, end, repl] of replacements.reverse()) out.splice(start, end - start, ...repl);
    const newText = `${out.join('\n')}\n`;
    if (newText !== text) fs.writeFileSync(file, newText);
  }
  console.log(`${name}: ${records.length} records${checkOnly ? '' : `, ${filled} filled`}`);
  instance.closeSync?.();
}
if (problems) console.log(`${problems} problem(s): see above`);
process.exit(problems ? 1 : 0);
