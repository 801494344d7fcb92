// The TPC-H benchmark (issue 6, "Speed"; part of issue 4's suite): the 22 queries side by side in
// sluice, DuckDB and Polars, each engine × query in its own process, over the same Parquet files.
//
//   bench/run --tpch [--tpch-dir DIR | --scale-factor N] [--queries 1,3,...] [--runs N]
//                    [--warmups N] [--engines sluice,duckdb,polars]
//
// DIR holds lineitem.parquet, orders.parquet, ... (the eight tables); --scale-factor N generates
// them with `sluice generate --tpch --scale-factor N` into bench/data/tpch-sfN/ (cached). Without
// either: $SLUICE_TPCH_DIR, else ../shared/tpch/sf0.1 beside the repository. sluice and DuckDB run
// the query file tests/sql/tpch/qNN.sql as it is (lib/tpch.mjs), Polars the same query written
// with its lazy API:
//   sluice  `sluice query -f FILE --output OUT.csv`, FILE = CREATE VIEW lineitem AS SELECT * FROM
//           'DIR/lineitem.parquet'; ... (the eight views) + the query text (written before timing)
//   DuckDB  bench/peers/duckdb_tpch.mjs: the same views over read_parquet, the same text
//   Polars  bench/peers/polars_tpch.mjs: the query through its lazy API over scanParquet frames
//           (lib/polars_tpch_lazy.mjs, as Polars' own TPC-H benchmark writes them), streaming
//           collect; a query it cannot run is "unsupported" (checked untimed, before the runs)
// Warm-ups then counted runs, engines alternating (lib/runner.mjs); wall time, CPU time and peak
// RSS from /usr/bin/time. The answers of the last run are compared by position, in order (rows
// tied on the ORDER BY columns in any order), money to a cent and floats to a relative tolerance
// (lib/answers.mjs); a disagreement or an engine that fails fails the run (results written under
// a -failed name, never put in the README), a peer's unsupported query does not.
// Results: bench/results/<date>-tpch-sf<N>.{md,json,png} (lib/tpch_report.mjs).

import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertTimeInstalled } from './measure.mjs';
import { runAlternating, measureBaselines, localDate } from './runner.mjs';
import { summarise } from './stats.mjs';
import { machineFacts, loadAverage, softwareVersions } from './machine.mjs';
import { openDuckDB } from './checksums.mjs';
import { compareAnswers } from './answers.mjs';
import { workloadRatios } from './suite_report.mjs';
import {
  TABLES, QUERY_NUMBERS, UNSUPPORTED_EXIT, KNOWN_WRONG, queryId, queryFile, queryTitle, parseQueryList, viewsPrelude,
  missingTables, compareSpec, scaleFactorOf, scaleLabel,
} from './tpch.mjs';
import { renderTpchMarkdown, renderTpchChart, renderTpchSummary, geometricMeans } from './tpch_report.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PEERS = path.dirname(HERE);
const REPO = path.resolve(PEERS, '../..');
const ENGINE_ORDER = ['sluice', 'duckdb', 'polars'];
const log = (s) => console.error(`[bench tpch] ${s}`);
const rel = (p) => path.relative(REPO, p);

function usage(message) {
  console.error(`${message ? `bench/run --tpch: ${message}\n` : ''}usage: bench/run --tpch [--tpch-dir DIR | --scale-factor N] [--queries 1,3,...] [--runs N] [--warmups N]
                      [--engines sluice,duckdb,polars] [--results-dir DIR] [--work-dir DIR]
  DIR holds the eight TPC-H tables as lineitem.parquet, orders.parquet, ...; --scale-factor N
  generates them (sluice generate --tpch) into bench/data/tpch-sfN/. Default: $SLUICE_TPCH_DIR,
  else ../shared/tpch/sf0.1. Results go to bench/results/ (--results-dir), the engines' answers
  and sluice's query files to bench/data/out/tpch-sfN/ (--work-dir).
  Environment: SLUICE_BIN (default build/release/sluice).`);
  process.exit(2);
}

const toCount = (v, name, lo) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < lo) usage(`${name} must be an integer ≥ ${lo}, got ${v}`);
  return n;
};

export function parseTpchArgs(argv) {
  const opts = { runs: 3, warmups: 1, queries: QUERY_NUMBERS, engines: null, dir: null, scaleFactor: null, resultsDir: null, workDir: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const list = () => String(argv[++i] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    if (a === '--tpch' || a === '') continue;
    if (a === '-h' || a === '--help') usage();
    else if (a === '--runs') opts.runs = toCount(argv[++i], '--runs', 1);
    else if (a === '--warmups') opts.warmups = toCount(argv[++i], '--warmups', 0);
    else if (a === '--queries') opts.queries = parseQueryList(argv[++i] ?? '') ?? usage(`--queries takes query numbers 1..22, got ${argv[i]}`);
    else if (a === '--engines') opts.engines = list().map((e) => e.toLowerCase());
    else if (a === '--tpch-dir') opts.dir = argv[++i] ?? usage('--tpch-dir needs a folder');
    else if (a === '--scale-factor') {
      opts.scaleFactor = Number(argv[++i]);
      if (!(opts.scaleFactor > 0)) usage(`--scale-factor must be a positive number, got ${argv[i]}`);
    } else if (a === '--results-dir') opts.resultsDir = argv[++i] ?? usage('--results-dir needs a folder');
    else if (a === '--work-dir') opts.workDir = argv[++i] ?? usage('--work-dir needs a folder');
    else usage(`unknown option ${a}`);
  }
  if (opts.dir && opts.scaleFactor) usage('give --tpch-dir or --scale-factor, not both');
  for (const e of opts.engines ?? []) if (!ENGINE_ORDER.includes(e)) usage(`unknown engine ${e} (use ${ENGINE_ORDER.join(', ')})`);
  return opts;
}

// ---------------------------------------------------------------------------------------------
// data

// A digest of the TPC-H generator's sources (any src/ file named *tpch*, and the generate
// command): the cached data is stale when they change.
function generatorDigest() {
  const hash = createHash('sha256');
  const walk = (dir) => fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name)).forEach((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) walk(p);
    else if (/tpch|^command_generate\.cpp$/i.test(d.name)) hash.update(d.name).update(fs.readFileSync(p));
  });
  walk(path.join(REPO, 'src'));
  return hash.digest('hex').slice(0, 16);
}

function generate(sluiceBin, sf) {
  const dir = path.join(REPO, 'bench/data', `tpch-${scaleLabel(sf)}`);
  const args = ['--quiet', 'generate', '--tpch', '--scale-factor', String(sf), dir];
  const stampFile = path.join(dir, '.generated');
  const stamp = JSON.stringify({ args: args.map((a) => (a === dir ? '<dir>' : a)), generator: generatorDigest() });
  if (fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === stamp) {
    log(`data ${rel(dir)} (cached)`);
    return dir;
  }
  log(`generating TPC-H at scale factor ${sf} into ${rel(dir)} ...`);
  fs.rmSync(dir, { recursive: true, force: true });
  try {
    execFileSync(sluiceBin, args, { stdio: 'inherit' });
  } catch (e) {
    console.error(`bench/run --tpch: \`${rel(sluiceBin)} ${args.join(' ')}\` failed (${e.message.split('\n')[0]})`);
    process.exit(2);
  }
  fs.writeFileSync(stampFile, stamp);
  return dir;
}

function dataDir(opts, sluiceBin) {
  if (opts.scaleFactor) return generate(sluiceBin, opts.scaleFactor);
  return path.resolve(opts.dir ?? process.env.SLUICE_TPCH_DIR ?? path.join(REPO, '../shared/tpch/sf0.1'));
}

// Rows and bytes of every table (from the Parquet footers), and the scale factor they make.
async function dataFacts(query, dir) {
  const tables = {};
  for (const t of TABLES) {
    const file = path.join(dir, `${t}.parquet`);
    const [row] = await query(`SELECT sum(num_rows)::BIGINT AS n FROM parquet_file_metadata('${file.replaceAll("'", "''")}')`);
    tables[t] = { rows: Number(row.n), bytes: fs.statSync(file).size };
  }
  const sf = scaleFactorOf(tables.orders.rows);
  const shown = path.relative(REPO, dir);
  return { path: shown.startsWith('../..') ? dir : shown, scale_factor: sf, tables, parquet_bytes: Object.values(tables).reduce((s, x) => s + x.bytes, 0) };
}

// ---------------------------------------------------------------------------------------------
// engines

const shellQuote = (a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", "'\\''")}'`);
const displayCommand = (argv) => argv.map((a) => (a === process.execPath ? 'node' : shellQuote(path.isAbsolute(a) && a.startsWith(REPO) ? rel(a) : a))).join(' ');

function engines(opts, versions, sluiceBin) {
  const node = process.execPath;
  const all = {
    sluice: {
      name: 'sluice', label: 'sluice', runtime: 'native, `sluice query` (SQL)',
      argv: (n, dir, out, work) => [sluiceBin, '--quiet', 'query', '-f', path.join(work, `q${String(n).padStart(2, '0')}.sql`), '--output', out],
    },
    duckdb: {
      name: 'duckdb', label: 'DuckDB', runtime: `@duckdb/node-api ${versions.duckdb_node_api}, SQL over read_parquet views`,
      argv: (n, dir, out) => [node, path.join(PEERS, 'duckdb_tpch.mjs'), queryFile(n), dir, out],
      baselineArgv: [node, path.join(PEERS, 'duckdb_tpch.mjs'), '--noop'],
    },
    polars: {
      name: 'polars', label: 'Polars', runtime: `nodejs-polars ${versions.polars}, lazy API over scanParquet + streaming engine`,
      argv: (n, dir, out) => [node, path.join(PEERS, 'polars_tpch.mjs'), queryFile(n), dir, out],
      baselineArgv: [node, path.join(PEERS, 'polars_tpch.mjs'), '--noop'],
      // Untimed: does Polars have (and plan) the query? { supported, error, rewrites }.
      check: (n, dir) => {
        const r = spawnSync(node, [path.join(PEERS, 'polars_tpch.mjs'), '--check', queryFile(n), dir], { encoding: 'utf8', timeout: 120000 });
        if (r.status !== 0 && r.status !== UNSUPPORTED_EXIT) return { supported: true, error: null, rewrites: [], check_failed: (r.stderr || r.error?.message || '').trim().split('\n').slice(-1)[0] };
        return JSON.parse(r.stdout.trim().split('\n').pop());
      },
    },
  };
  return (opts.engines ?? ENGINE_ORDER).filter((n) => ENGINE_ORDER.includes(n)).sort((a, b) => ENGINE_ORDER.indexOf(a) - ENGINE_ORDER.indexOf(b)).map((n) => all[n]);
}

// ---------------------------------------------------------------------------------------------
// running

const lastLine = (text) => String(text).split('\n').map((l) => l.trim()).filter(Boolean).slice(-1)[0] ?? '';

async function runQuery(n, list, dir, work, opts, db) {
  const id = queryId(n);
  const spec = await compareSpec(db.query, n);
  const workload = { id, compare: spec };
  fs.writeFileSync(path.join(work, `q${String(n).padStart(2, '0')}.sql`), `${viewsPrelude(dir)}\n${fs.readFileSync(queryFile(n), 'utf8')}`);
  const unsupported = {}, notes = {}, rewrites = {};
  for (const e of list.filter((x) => x.check)) {
    const c = e.check(n, dir);
    if (!c.supported) unsupported[e.name] = c.error;
    if (c.rewrites?.length) rewrites[e.name] = c.rewrites;
    if (c.check_failed) log(`${id}: note: ${e.name}'s check failed (${c.check_failed}); running it anyway`);
  }
  const running = list.filter((e) => !unsupported[e.name]).map((e) => {
    const output = path.join(work, `${id}-${e.name}.csv`);
    return { ...e, output, argv: e.argv(n, dir, output, work), prepare: () => fs.rmSync(output, { force: true }) };
  });
  log(`${id} (${queryTitle(n)}): ${running.map((e) => e.name).join(', ')} × (${opts.warmups} warm-up + ${opts.runs} runs)` +
    `${Object.keys(unsupported).length ? `; unsupported by ${Object.keys(unsupported).join(', ')}` : ''}`);
  const runs = await runAlternating(running, { warmups: opts.warmups, runs: opts.runs, log, continueOnError: true });
  const failed = running.filter((e) => runs[e.name].some((r) => r.error));
  const answered = running.filter((e) => !failed.includes(e) && fs.existsSync(e.output));
  // Engines known to answer this query wrongly are compared on their own against the others'
  // reference, so that their difference neither fails the run nor makes the reference theirs.
  const knownWrong = (e) => KNOWN_WRONG[e.name]?.[n];
  const main = answered.filter((e) => !knownWrong(e));
  const check = await compareAnswers(db.query, workload, Object.fromEntries(main.map((e) => [e.name, e.output])));
  check.known = [];
  const knownStatus = {};
  for (const e of answered.filter(knownWrong)) {
    const ref = main.find((x) => x.name === check.reference);
    if (!ref) continue;
    const own = await compareAnswers(db.query, workload, { [ref.name]: ref.output, [e.name]: e.output });
    knownStatus[e.name] = own.ok ? 'ok' : 'wrong';
    notes[e.name] = own.ok ? `a known wrong answer did not occur: ${knownWrong(e)}` : `known wrong answer: ${knownWrong(e)}`;
    check.known.push(...own.problems);
    if (own.ok) log(`${id}: note: ${e.name}'s known wrong answer did not occur`);
  }
  for (const e of failed) {
    check.ok = false;
    check.problems.unshift(`${e.name}: failed: ${lastLine(runs[e.name].find((r) => r.error).error)}`);
  }
  const wrong = new Set(check.problems.map((p) => p.split(':')[0]).filter((name) => answered.some((e) => e.name === name)));
  log(check.ok ? `${id}: answers agree (${Object.values(check.rows)[0]} rows)` : `${id}: FAILED\n${check.problems.map((p) => `    ${p}`).join('\n')}`);
  const result = {
    id, number: n, title: queryTitle(n),
    engines: list.map((e) => {
      const about = { note: notes[e.name] ?? null, rewrites: rewrites[e.name] ?? [] };
      if (unsupported[e.name]) return { name: e.name, label: e.label, status: 'unsupported', ok: false, comparable: false, error: unsupported[e.name], ...about };
      const r = running.find((x) => x.name === e.name);
      const error = runs[e.name].find((x) => x.error)?.error ?? null;
      const status = error ? 'error' : knownStatus[e.name] ?? (wrong.has(e.name) ? 'wrong' : 'ok');
      return {
        name: e.name, label: e.label, status, ok: status === 'ok', comparable: status === 'ok',
        command: displayCommand(r.argv), ...about,
        ...(error ? { error: error.split('\n').filter(Boolean).slice(-3).join('\n') } : summarise(runs[e.name])),
        runs: runs[e.name],
      };
    }),
    check,
  };
  result.ratios = workloadRatios(result);
  return result;
}

// The run counts as passed when every query's answers agree and no engine failed; a peer's
// unsupported query is reported, not a failure.
export async function runTpch(argv) {
  const opts = parseTpchArgs(argv);
  const started = new Date();
  assertTimeInstalled();
  const sluiceBin = path.resolve(process.env.SLUICE_BIN ?? path.join(REPO, 'build/release/sluice'));
  const wantsSluice = !opts.engines || opts.engines.includes('sluice');
  if ((wantsSluice || opts.scaleFactor) && !fs.existsSync(sluiceBin)) {
    console.error(`bench/run --tpch: ${sluiceBin} not found: build it first (make build)`);
    process.exit(2);
  }
  const dir = dataDir(opts, sluiceBin);
  const missing = missingTables(dir);
  if (missing.length) {
    console.error(`bench/run --tpch: ${dir} lacks ${missing.map((t) => `${t}.parquet`).join(', ')} (give --tpch-dir, or --scale-factor N to generate)`);
    process.exit(2);
  }
  const db = await openDuckDB();
  await db.query(viewsPrelude(dir));
  const [{ v: duckdbVersion }] = await db.query('SELECT version() AS v');
  const versions = softwareVersions({ repo: REPO, sluiceBin, duckdbVersion });
  const data = await dataFacts(db.query, dir);
  const label = scaleLabel(data.scale_factor);
  const work = path.resolve(opts.workDir ?? path.join(REPO, 'bench/data/out', `tpch-${label}`));
  fs.mkdirSync(work, { recursive: true });
  const list = engines(opts, versions, sluiceBin);
  const load_before = loadAverage();
  log(`TPC-H ${label} in ${data.path} (lineitem ${data.tables.lineitem.rows.toLocaleString('en-US')} rows); ` +
    `queries ${opts.queries.join(',')}; engines ${list.map((e) => e.name).join(', ')}; load ${load_before.join(' ')}`);
  const queries = [];
  for (const n of opts.queries) queries.push(await runQuery(n, list, dir, work, opts, db));
  const base_lines = await measureBaselines(list, log);
  const load_after = loadAverage();
  db.close();

  const date = localDate(started);
  const ok = queries.every((q) => q.check.ok);
  const result = {
    kind: 'tpch',
    title: `TPC-H at scale factor ${data.scale_factor}, ${date}`,
    scale_factor: data.scale_factor,
    date,
    started_at: started.toISOString(),
    elapsed_s: Math.round((Date.now() - started.getTime()) / 100) / 10,
    ok,
    data,
    settings: { warmups: opts.warmups, runs: opts.runs, threads: 'default (all cores)', queries: opts.queries },
    machine: machineFacts(),
    load_before,
    load_after,
    versions,
    engines: list.map((e) => ({ name: e.name, label: e.label, runtime: e.runtime, baseline: base_lines[e.name] ?? null })),
    queries,
  };
  result.geomeans = geometricMeans(result);
  const resultsDir = path.resolve(opts.resultsDir ?? path.join(REPO, 'bench/results'));
  fs.mkdirSync(resultsDir, { recursive: true });
  const base = path.join(resultsDir, `${date}-tpch-${label}${ok ? '' : '-failed'}`);
  const chart = renderTpchChart(result, `${base}.png`, { log });
  result.chart = chart ? (chart.startsWith(REPO) ? rel(chart) : chart) : null;
  fs.writeFileSync(`${base}.json`, JSON.stringify(result, null, 2) + '\n');
  fs.writeFileSync(`${base}.md`, renderTpchMarkdown(result));
  console.log(renderTpchSummary(result));
  console.log(ok ? '\nall answers agree' : `\nFAILED:\n${queries.flatMap((q) => q.check.problems.map((p) => `  ${q.id} ${p}`)).join('\n')}`);
  console.log(`\nwrote ${base.startsWith(REPO) ? rel(base) : base}.{md,json}${result.chart ? ',png' : ''}`);
  return ok;
}

// Rewrites the markdown and chart of an earlier TPC-H result from its JSON.
export function rerenderTpch(file) {
  const result = JSON.parse(fs.readFileSync(file, 'utf8'));
  const base = path.resolve(file).replace(/\.json$/, '');
  result.geomeans = geometricMeans(result);
  const chart = renderTpchChart(result, `${base}.png`, { log });
  result.chart = chart ? (chart.startsWith(REPO) ? rel(chart) : chart) : null;
  fs.writeFileSync(`${base}.json`, JSON.stringify(result, null, 2) + '\n');
  fs.writeFileSync(`${base}.md`, renderTpchMarkdown(result));
  return result.ok;
}
