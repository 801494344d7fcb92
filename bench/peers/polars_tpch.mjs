#!/usr/bin/env node
// Polars' side of the TPC-H benchmark (bench/run --tpch): runs one TPC-H query
// (tests/sql/tpch/qNN.sql) in Polars over lazy pl.scanParquet frames of the eight tables in
// DATA_DIR, collects the answer with the streaming engine (collectSync({engine: 'streaming'})) on
// Polars' default thread pool (all cores) and writes it to OUT as CSV. bench/run times this whole
// process and compares the answer with the other engines' (lib/answers.mjs).
//
// Polars runs the queries through its lazy API (as its own TPC-H benchmark, pola-rs/tpch, does):
// lib/polars_tpch_lazy.mjs holds the 22 queries written with it, found by the file's number (q07.sql
// is Q7), with the file's parameters, output columns, ORDER BY and LIMIT; its header lists the
// translation choices. They are collected with the streaming engine, which itself runs on Polars'
// in-memory engine what it cannot stream; no other fallback is made (Polars' benchmark makes none):
// a query that fails is an error, reported as such by bench/run.
//
// With --sql the query file's text runs through Polars' SQL front end instead (a pl.SQLContext over
// the same frames), with one mechanical rewrite: Polars' SQL accepts intervals only as
// INTERVAL '3 months', so INTERVAL '3' MONTH (and DAY, YEAR) is written that way. Queries its SQL
// front end cannot plan (comma joins, CREATE VIEW, EXISTS, ...) are not rewritten by hand: the
// script exits with status 3 and the reason ("unsupported"), and bench/run reports it so. Without
// --sql, a query file that has no lazy version (not q01..q22.sql) is unsupported the same way.
//
// usage: node bench/peers/polars_tpch.mjs [--sql] QUERY.sql DATA_DIR OUT.csv
//        node bench/peers/polars_tpch.mjs --check [--sql] QUERY.sql DATA_DIR   (plan only: prints
//             {"supported": ..., "error": ..., "rewrites": [...]} as JSON; exit 3 if unsupported)
//        node bench/peers/polars_tpch.mjs --noop    (load Polars and exit: the startup baseline)
import fs from 'node:fs';
import path from 'node:path';
import pl from 'nodejs-polars';
import { TABLES, splitStatements, isQuery, UNSUPPORTED_EXIT } from './lib/tpch.mjs';
import { LAZY_QUERIES } from './lib/polars_tpch_lazy.mjs';

const STREAMING = { engine: 'streaming' };

// The query text Polars runs, and the rewrites made to get it.
function polarsText(sql) {
  const rewrites = [];
  const text = sql.replace(/interval\s+'(\d+)'\s+(day|month|year)s?\b/gi, (m, n, unit) => {
    rewrites.push(`${m.replace(/\s+/g, ' ')} → INTERVAL '${n} ${unit.toLowerCase()}s'`);
    return `interval '${n} ${unit.toLowerCase()}s'`;
  });
  return { text, rewrites };
}

class Unsupported extends Error {}

// Polars' SQL errors embed the parser's debug dump of the expression ("Exists { subquery: Query {
// ... } }", thousands of characters): each outermost {...} is shortened to {…}; a message ending
// in ':' (an unsupported statement) gets the statement's first words.
function condense(message, statement) {
  let out = '', depth = 0;
  for (const c of message.split('\n')[0]) {
    if (c === '{') { if (depth++ === 0) out += '{…}'; } else if (c === '}') depth = Math.max(0, depth - 1);
    else if (depth === 0) out += c;
  }
  out = out.trim();
  if (out.endsWith(':')) out += ` ${statement.split(/\s+/).slice(0, 2).join(' ').toUpperCase()}`;
  return out.slice(0, 300);
}

const scanTables = (dir) => Object.fromEntries(TABLES.map((t) => [t, pl.scanParquet(path.join(dir, `${t}.parquet`))]));

// --sql: plans every statement; returns the answer's lazy frame. nodejs-polars returns (not throws)
// the SQL front end's errors as the frame's native object: they are thrown here as Unsupported.
function planSql(queryFile, dir) {
  const { text, rewrites } = polarsText(fs.readFileSync(queryFile, 'utf8'));
  const ctx = pl.SQLContext(scanTables(dir));
  let answer = null;
  for (const s of splitStatements(text)) {
    const lf = ctx.execute(s);
    if (lf._ldf instanceof Error) throw new Unsupported(condense(lf._ldf.message, s));
    if (isQuery(s)) answer = lf;
    else lf.collectSync();  // DDL: Polars runs it when collected.
  }
  if (!answer) throw new Error(`${queryFile} holds no query`);
  return { answer, rewrites };
}

// The lazy-API version of the query file's query (qNN.sql is query NN).
function planLazy(queryFile, dir) {
  const n = Number(path.basename(queryFile).match(/^q(\d+)\.sql$/i)?.[1]);
  const query = LAZY_QUERIES[n];
  if (!query) throw new Unsupported(`no lazy-API version of ${path.basename(queryFile)} (bench/peers/lib/polars_tpch_lazy.mjs has Q1..Q22)`);
  return { answer: query(scanTables(dir)), rewrites: [] };
}

function main(args) {
  if (args[0] === '--noop') return 0;
  const check = args.includes('--check');
  const sql = args.includes('--sql');
  const unknown = args.filter((a) => a.startsWith('--') && a !== '--check' && a !== '--sql');
  const [queryFile, dir, out] = args.filter((a) => !a.startsWith('--'));
  if (unknown.length || !queryFile || !dir || (!check && !out)) {
    console.error('usage: polars_tpch.mjs [--sql] QUERY.sql DATA_DIR OUT.csv | --check [--sql] QUERY.sql DATA_DIR | --noop');
    return 2;
  }
  let planned;
  try {
    planned = (sql ? planSql : planLazy)(queryFile, dir);
  } catch (e) {
    if (!(e instanceof Unsupported)) throw e;
    if (check) console.log(JSON.stringify({ supported: false, error: e.message, rewrites: sql ? polarsText(fs.readFileSync(queryFile, 'utf8')).rewrites : [] }));
    else console.error(`polars: unsupported: ${e.message}`);
    return UNSUPPORTED_EXIT;
  }
  if (check) {
    // Resolving the optimized plan checks names and types (from the Parquet footers, no rows read).
    if (!sql) planned.answer.describeOptimizedPlan();
    console.log(JSON.stringify({ supported: true, error: null, rewrites: planned.rewrites }));
    return 0;
  }
  const frame = planned.answer.collectSync(STREAMING);
  frame.writeCSV(out);
  console.log(`polars: ${frame.height} rows -> ${out}`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
