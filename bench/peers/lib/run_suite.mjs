// The benchmark suite (issue 4): sluice side by side with DuckDB, Polars and pandas on workloads
// Q1..Q7 (lib/workloads.mjs) over the same generated dataset, in the same run.
//
//   bench/run [ROWS]            every workload at ROWS events (default 10,000,000):
//                               bench/results/<date>-<ROWS>.{md,json} and -time.png, -memory.png
//   bench/run --scaling         Q1's peak memory and time at 1, 10 and 50 million events (--sizes):
//                               bench/results/<date>-scaling.{md,json,png}
//   bench/run --tpch            the 22 TPC-H queries (lib/run_tpch.mjs, which has its own options):
//                               bench/results/<date>-tpch-sf<N>.{md,json,png}
//   bench/run --spill           larger than memory: group-by, join and sort of TPC-H lineitem under
//                               a memory limit (lib/run_spill.mjs, its own options):
//                               bench/results/<date>-spill-sf<N>.{md,json}
//
// The data is generated once per row count by `sluice generate --csv` into bench/data/<ROWS>/
// (gitignored; --data-dir moves it) and reused; Q7 reads its events.csv. Every engine × workload
// runs in its own process, one warm-up then --runs counted runs, engines alternating; wall time,
// CPU time and peak RSS come from /usr/bin/time. After the runs, the answers of the last run are
// compared (lib/answers.mjs): a disagreement, or an engine that fails, fails the run (exit 1; the
// results are then written under a -failed name and never reach the README; --results-dir moves
// them). An engine a workload names as unsupported (workloads.mjs) is not run there, and the
// report says why. Entry point: bench/run.

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
import { WORKLOADS, workloadById } from './workloads.mjs';
import { runTpch, rerenderTpch } from './run_tpch.mjs';
import { runSpill, rerenderSpill } from './run_spill.mjs';
import { renderSuiteMarkdown, renderSuiteCharts, renderSummaryTable, renderScalingMarkdown, renderScalingChart, workloadRatios } from './suite_report.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PEERS = path.dirname(HERE);
const REPO = path.resolve(PEERS, '../..');
const PYTHON = '/usr/bin/python3';  // Debian's, where python3-pandas installs (not a pyenv shim).
const ROW_GROUP = 1048576;
const ENGINE_ORDER = ['sluice', 'duckdb', 'polars', 'pandas'];
const log = (s) => console.error(`[bench] ${s}`);

function usage(message) {
  console.error(`${message ? `bench/run: ${message}\n` : ''}usage: bench/run [ROWS] [--runs N] [--warmups N] [--workloads Q1,Q2,...] [--engines sluice,duckdb,polars,pandas]
                 [--data-dir DIR] [--results-dir DIR]
       bench/run --scaling [--sizes 1000000,10000000,50000000] [--runs N] [--warmups N] [--engines ...]
       bench/run --tpch [--tpch-dir DIR | --scale-factor N] [--queries 1,3,...] [--runs N] ...   (bench/run --tpch --help)
       bench/run --spill [--scale-factor 17] [--memory-limit 1GB] [--workloads groupby,join,sort] [--runs N] ...   (bench/run --spill --help)
       bench/run --report bench/results/RESULT.json   (rewrite a result's report and charts from its JSON)
  ROWS defaults to 10000000. The data goes to DIR/<ROWS>/ (--data-dir, default bench/data), the
  engines' outputs to DIR/out/, the results to bench/results/ (--results-dir).
  Environment: SLUICE_BIN (default build/release/sluice),
  SLUICE_QUERY_BIN (default build/release/bench/sluice_bench_query).`);
  process.exit(2);
}

const toCount = (v, name, lo) => {
  const n = Number(String(v ?? '').replaceAll('_', '').replaceAll(',', ''));
  if (!Number.isInteger(n) || n < lo) usage(`${name} must be an integer ≥ ${lo}, got ${v}`);
  return n;
};

function parseArgs(argv) {
  const opts = {
    rows: 10_000_000, runs: 3, warmups: 1, workloads: null, engines: null, scaling: false, sizes: [1_000_000, 10_000_000, 50_000_000],
    dataDir: path.join(REPO, 'bench/data'), resultsDir: path.join(REPO, 'bench/results'),
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const list = () => String(argv[++i] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    if (a === '-h' || a === '--help') usage();
    else if (a === '--runs') opts.runs = toCount(argv[++i], '--runs', 1);
    else if (a === '--warmups') opts.warmups = toCount(argv[++i], '--warmups', 0);
    else if (a === '--workloads') opts.workloads = list().map((w) => w.toUpperCase());
    else if (a === '--engines') opts.engines = list().map((e) => e.toLowerCase());
    else if (a === '--scaling') opts.scaling = true;
    else if (a === '--sizes') opts.sizes = list().map((s) => toCount(s, '--sizes', 1));
    else if (a === '--report') opts.report = argv[++i] ?? usage('--report needs a results .json file');
    else if (a === '--data-dir') opts.dataDir = path.resolve(argv[++i] ?? usage('--data-dir needs a folder'));
    else if (a === '--results-dir') opts.resultsDir = path.resolve(argv[++i] ?? usage('--results-dir needs a folder'));
    else if (a !== '' && !a.startsWith('-')) opts.rows = toCount(a, 'ROWS', 1);
    else if (a !== '') usage(`unknown option ${a}`);
  }
  for (const w of opts.workloads ?? []) if (!workloadById(w)) usage(`unknown workload ${w} (use ${WORKLOADS.map((x) => x.id).join(', ')})`);
  for (const e of opts.engines ?? []) if (!ENGINE_ORDER.includes(e)) usage(`unknown engine ${e} (use ${ENGINE_ORDER.join(', ')})`);
  return opts;
}

// ---------------------------------------------------------------------------------------------
// engines

const rel = (p) => path.relative(REPO, p);
const shellQuote = (a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", "'\\''")}'`);
// The command as a reader would type it from the repository root.
const displayCommand = (argv) => argv.map((a) => {
  if (a === process.execPath) return 'node';
  return shellQuote(path.isAbsolute(a) && a.startsWith(REPO) ? rel(a) : a);
}).join(' ');

function pandasVersion() {
  const r = spawnSync(PYTHON, ['-c', 'import pandas, numpy, platform; print(pandas.__version__, numpy.__version__, platform.python_version())'], { encoding: 'utf8' });
  if (r.status !== 0) return null;
  const [pandas, numpy, python] = r.stdout.trim().split(/\s+/);
  return { pandas, numpy, python };
}

// What can run here: { sluice: {...}, duckdb: {...}, ... } with why an engine cannot.
function discoverEngines(opts, versions) {
  const sluiceBin = process.env.SLUICE_BIN ?? path.join(REPO, 'build/release/sluice');
  const queryBin = process.env.SLUICE_QUERY_BIN ?? path.join(REPO, 'build/release/bench/sluice_bench_query');
  if (!fs.existsSync(sluiceBin)) {
    console.error(`bench/run: ${sluiceBin} not found: build it first (make build); it also generates the data`);
    process.exit(2);
  }
  const node = process.execPath;
  const engines = {
    sluice: {
      name: 'sluice', label: 'sluice', sluiceBin, queryBin, available: null,
      runtime: `native, LazyFrame API (${WORKLOADS.filter((w) => w.convert).map((w) => w.id).join(', ')}: sluice convert)`,
      // The convert workloads (Q6, Q7) need only the command line; the others need the query
      // engine's benchmark program.
      supports: (w) => Boolean(w.convert) || fs.existsSync(queryBin),
      argv: (w, dir, out) => (w.convert
        ? [sluiceBin, '--quiet', 'convert', path.join(dir, w.convert.input), out, '--compression', 'zstd']
        : [queryBin, w.id, dir, out]),
    },
    duckdb: {
      name: 'duckdb', label: 'DuckDB', available: null,
      runtime: `@duckdb/node-api ${versions.duckdb_node_api}, SQL over read_parquet (Q7: read_csv)`,
      argv: (w, dir, out) => [node, path.join(PEERS, 'duckdb_query.mjs'), w.id, dir, out],
      baselineArgv: [node, path.join(PEERS, 'duckdb_query.mjs'), '--noop'],
    },
    polars: {
      name: 'polars', label: 'Polars', available: null,
      runtime: `nodejs-polars ${versions.polars}, scanParquet (Q7: scanCSV) + streaming engine`,
      argv: (w, dir, out) => [node, path.join(PEERS, 'polars_query.mjs'), w.id, dir, out],
      baselineArgv: [node, path.join(PEERS, 'polars_query.mjs'), '--noop'],
    },
    pandas: {
      name: 'pandas', label: 'pandas', available: versions.pandas ? null : `${PYTHON} cannot import pandas (Debian package python3-pandas; scripts/setup installs it)`,
      runtime: `Debian python3-pandas ${versions.pandas ?? '?'}, eager, over the CSV copy`,
      argv: (w, dir, out) => [PYTHON, path.join(PEERS, 'pandas_query.py'), w.id, dir, out],
      baselineArgv: [PYTHON, path.join(PEERS, 'pandas_query.py'), '--noop'],
    },
  };
  const wanted = opts.engines ?? ENGINE_ORDER;
  for (const name of wanted) {
    if (engines[name].available && opts.engines) {
      console.error(`bench/run: engine ${name} was asked for but cannot run: ${engines[name].available}`);
      process.exit(2);
    }
  }
  const skipped = ENGINE_ORDER.filter((n) => wanted.includes(n) && engines[n].available).map((n) => ({ name: n, why: engines[n].available }));
  if (wanted.includes('sluice') && !fs.existsSync(queryBin)) {
    const needs = WORKLOADS.filter((w) => !w.convert).map((w) => w.id);
    skipped.push({ name: 'sluice', why: `${needs[0]}..${needs[needs.length - 1]} not run: ${rel(queryBin)} is not built (the query engine's benchmark program, target sluice_bench_query)` });
  }
  const list = ENGINE_ORDER.filter((n) => wanted.includes(n) && !engines[n].available).map((n) => engines[n]);
  return { list, skipped, sluiceBin, queryBin };
}

// pandas writes CSV where the others write Parquet (Q5): shown, but not counted as a peer there.
const comparable = (engine, workload) => !(engine.name === 'pandas' && workload.output === 'parquet');
const outputExt = (engine, workload) => (workload.output === 'parquet' && engine.name !== 'pandas' ? 'parquet' : 'csv');

// ---------------------------------------------------------------------------------------------
// data

// A digest of the generator's sources: the cached data is stale when they change.
function generatorDigest() {
  const hash = createHash('sha256');
  for (const f of ['src/cli/datagen.h', 'src/cli/datagen.cpp', 'src/cli/command_generate.cpp']) {
    hash.update(fs.existsSync(path.join(REPO, f)) ? fs.readFileSync(path.join(REPO, f)) : f);
  }
  return hash.digest('hex').slice(0, 16);
}

// bench/data/<rows>/: events/part-00K.parquet (8 files, 1M-row groups, snappy), users.parquet,
// events.csv, users.csv. Regenerated when the generator's arguments or sources change.
function ensureData(sluiceBin, rows, dataDir) {
  const dir = path.join(dataDir, String(rows));
  const args = ['--quiet', 'generate', dir, '--rows', String(rows), '--files', '8', '--row-group-size', String(ROW_GROUP),
    '--compression', 'snappy', '--seed', '42', '--csv'];
  const stampFile = path.join(dir, '.generated');
  const stamp = JSON.stringify({ args: args.slice(1).map((a) => (a === dir ? '<dir>' : a)), generator: generatorDigest() });
  const complete = fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === stamp;
  if (complete) {
    log(`data ${rel(dir)} (cached)`);
  } else {
    log(`generating ${rows.toLocaleString('en-US')} events (+ CSV copies) into ${rel(dir)} ...`);
    fs.rmSync(dir, { recursive: true, force: true });
    execFileSync(sluiceBin, args, { stdio: 'inherit' });
    fs.writeFileSync(stampFile, stamp);
  }
  const eventsDir = path.join(dir, 'events');
  const files = fs.readdirSync(eventsDir).filter((f) => f.endsWith('.parquet'));
  const size = (f) => fs.statSync(f).size;
  return {
    dir,
    path: dir.startsWith(REPO) ? rel(dir) : dir,
    events_files: files.length,
    events_parquet_bytes: files.reduce((s, f) => s + size(path.join(eventsDir, f)), 0),
    events_csv_bytes: size(path.join(dir, 'events.csv')),
    users_rows: Math.max(1, Math.floor(rows / 50)),
    row_group_rows: ROW_GROUP,
    compression: 'snappy',
  };
}

// ---------------------------------------------------------------------------------------------
// running

// Why an engine does not run a workload (the workload names it unsupported), or null. (sluice
// without its benchmark program is reported once, among the skipped engines.)
const unsupportedWhy = (engine, workload) => workload.unsupported?.[engine.name] ?? null;

async function runWorkload(workload, engines, data, opts, query) {
  const outDir = path.join(opts.dataDir, 'out', `suite-${path.basename(data.dir)}`, workload.id);
  fs.mkdirSync(outDir, { recursive: true });
  const unsupported = engines.filter((e) => unsupportedWhy(e, workload)).map((e) => ({ name: e.name, label: e.label, why: unsupportedWhy(e, workload) }));
  for (const u of unsupported) log(`${workload.id}: ${u.name} not run: ${u.why}`);
  const list = engines.filter((e) => !unsupportedWhy(e, workload) && (e.supports?.(workload) ?? true)).map((e) => {
    const output = path.join(outDir, `${e.name}.${outputExt(e, workload)}`);
    return { ...e, output, argv: e.argv(workload, data.dir, output), prepare: () => fs.rmSync(output, { force: true }) };
  });
  log(`${workload.id} (${workload.title}): ${list.map((e) => e.name).join(', ')} × (${opts.warmups} warm-up + ${opts.runs} runs)`);
  const runs = await runAlternating(list, { warmups: opts.warmups, runs: opts.runs, log, continueOnError: true });
  const failed = list.filter((e) => runs[e.name].some((r) => r.error));
  const answered = list.filter((e) => !failed.includes(e) && fs.existsSync(e.output));
  const check = await compareAnswers(query, workload, Object.fromEntries(answered.map((e) => [e.name, e.output])));
  for (const e of failed) {
    check.ok = false;
    check.problems.unshift(`${e.name}: failed: ${runs[e.name].find((r) => r.error).error.split('\n').filter(Boolean).slice(-1)[0]}`);
  }
  log(check.ok ? `${workload.id}: answers agree (${Object.values(check.rows)[0]} rows)` : `${workload.id}: FAILED\n${check.problems.map((p) => `    ${p}`).join('\n')}`);
  const result = {
    id: workload.id, title: workload.title, description: workload.description,
    engines: list.map((e) => {
      const error = runs[e.name].find((r) => r.error)?.error ?? null;
      return {
        name: e.name, label: e.label, command: displayCommand(e.argv), comparable: comparable(e, workload),
        output_format: outputExt(e, workload),
        ok: !error,
        ...(error ? { error: error.split('\n').filter(Boolean).slice(-3).join('\n') } : summarise(runs[e.name])),
        output_bytes: !error && fs.existsSync(e.output) ? fs.statSync(e.output).size : null,
        runs: runs[e.name],
      };
    }),
    unsupported,
    check,
  };
  result.ratios = workloadRatios(result);
  return result;
}

async function environment(opts) {
  assertTimeInstalled();
  const db = await openDuckDB();
  const [{ v: duckdbVersion }] = await db.query('SELECT version() AS v');
  const sluiceBin = process.env.SLUICE_BIN ?? path.join(REPO, 'build/release/sluice');
  const versions = softwareVersions({ repo: REPO, sluiceBin, duckdbVersion });
  const py = pandasVersion();
  Object.assign(versions, { pandas: py?.pandas ?? null, numpy: py?.numpy ?? null, python: py?.python ?? null });
  const engines = discoverEngines(opts, versions);
  for (const s of engines.skipped) log(`note: skipping ${s.name}: ${s.why}`);
  return { db, versions, engines };
}

const baseName = (dir, stem, ok) => path.join(dir, `${stem}${ok ? '' : '-failed'}`);

function writeJsonAndMarkdown(base, result, markdown) {
  fs.writeFileSync(`${base}.json`, JSON.stringify(result, null, 2) + '\n');
  fs.writeFileSync(`${base}.md`, markdown);
}

async function runSuite(opts) {
  const started = new Date();
  const { db, versions, engines } = await environment(opts);
  const data = ensureData(engines.sluiceBin, opts.rows, opts.dataDir);
  const workloads = WORKLOADS.filter((w) => !opts.workloads || opts.workloads.includes(w.id));
  const load_before = loadAverage();
  log(`${opts.rows.toLocaleString('en-US')} events; engines ${engines.list.map((e) => e.name).join(', ')}; load ${load_before.join(' ')}`);
  const results = [];
  for (const w of workloads) results.push(await runWorkload(w, engines.list, data, opts, db.query));
  const base_lines = await measureBaselines(engines.list, log);
  const load_after = loadAverage();
  db.close();

  const date = localDate(started);
  const ok = results.every((r) => r.check.ok);
  const result = {
    kind: 'suite',
    title: `Benchmark suite: ${opts.rows.toLocaleString('en-US')} events, ${date}`,
    rows: opts.rows,
    date,
    started_at: started.toISOString(),
    elapsed_s: Math.round((Date.now() - started.getTime()) / 100) / 10,
    ok,
    data: { ...data, dir: undefined },
    settings: { warmups: opts.warmups, runs: opts.runs, threads: 'default (all cores)' },
    machine: machineFacts(),
    load_before,
    load_after,
    versions,
    engines: engines.list.map((e) => ({ name: e.name, label: e.label, runtime: e.runtime, baseline: base_lines[e.name] ?? null })),
    skipped_engines: engines.skipped,
    workloads: results,
  };
  const dir = opts.resultsDir;
  fs.mkdirSync(dir, { recursive: true });
  const base = baseName(dir, `${date}-${opts.rows}`, ok);
  result.charts = renderSuiteCharts(result, base, { log });
  for (const k of Object.keys(result.charts)) result.charts[k] = result.charts[k] && rel(result.charts[k]);
  writeJsonAndMarkdown(base, result, renderSuiteMarkdown(result));
  console.log(renderSummaryTable(result));
  console.log(ok ? '\nall answers agree' : `\nFAILED:\n${results.flatMap((r) => r.check.problems.map((p) => `  ${r.id} ${p}`)).join('\n')}`);
  console.log(`\nwrote ${rel(base)}.{md,json}${Object.values(result.charts).some(Boolean) ? ' and charts' : ''}`);
  return ok;
}

async function runScaling(opts) {
  const started = new Date();
  const { db, versions, engines } = await environment(opts);
  const q1 = workloadById('Q1');
  const load_before = loadAverage();
  const points = [];
  for (const rows of opts.sizes) {
    const data = ensureData(engines.sluiceBin, rows, opts.dataDir);
    log(`Q1 at ${rows.toLocaleString('en-US')} events; load ${loadAverage().join(' ')}`);
    const r = await runWorkload(q1, engines.list, data, opts, db.query);
    points.push({ rows, data: { ...data, dir: undefined }, ...r });
  }
  const base_lines = await measureBaselines(engines.list, log);
  const load_after = loadAverage();
  db.close();
  const date = localDate(started);
  const ok = points.every((p) => p.check.ok);
  const result = {
    kind: 'scaling',
    title: `Memory scaling: Q1 (the seed query) at ${opts.sizes.map((s) => `${s / 1e6}M`).join(', ')} events, ${date}`,
    date,
    started_at: started.toISOString(),
    elapsed_s: Math.round((Date.now() - started.getTime()) / 100) / 10,
    ok,
    sizes: opts.sizes,
    settings: { warmups: opts.warmups, runs: opts.runs, threads: 'default (all cores)' },
    machine: machineFacts(),
    load_before,
    load_after,
    versions,
    engines: engines.list.map((e) => ({ name: e.name, label: e.label, runtime: e.runtime, baseline: base_lines[e.name] ?? null })),
    skipped_engines: engines.skipped,
    points,
  };
  const dir = opts.resultsDir;
  fs.mkdirSync(dir, { recursive: true });
  const base = baseName(dir, `${date}-scaling`, ok);
  const chart = renderScalingChart(result, `${base}.png`, { log });
  result.chart = chart ? rel(chart) : null;
  writeJsonAndMarkdown(base, result, renderScalingMarkdown(result));
  console.log(fs.readFileSync(`${base}.md`, 'utf8').split('\n## ')[0]);
  console.log(`wrote ${rel(base)}.{md,json${result.chart ? ',png' : ''}}`);
  return ok;
}

// Rewrites the markdown and charts of an earlier result from its JSON (after a change of the
// report's layout): nothing is rerun.
function rerender(file) {
  const result = JSON.parse(fs.readFileSync(file, 'utf8'));
  const base = path.resolve(file).replace(/\.json$/, '');
  if (result.kind === 'suite') {
    result.charts = renderSuiteCharts(result, base, { log });
    for (const k of Object.keys(result.charts)) result.charts[k] = result.charts[k] && rel(result.charts[k]);
    writeJsonAndMarkdown(base, result, renderSuiteMarkdown(result));
  } else if (result.kind === 'tpch') {
    return rerenderTpch(file);
  } else if (result.kind === 'spill') {
    return rerenderSpill(file);
  } else if (result.kind === 'scaling') {
    const chart = renderScalingChart(result, `${base}.png`, { log });
    result.chart = chart ? rel(chart) : null;
    writeJsonAndMarkdown(base, result, renderScalingMarkdown(result));
  } else {
    usage(`${file} is not a suite or scaling result (convert results: bench/peers/run_convert)`);
  }
  console.log(`rewrote ${rel(base)}.md and its charts`);
  return result.ok;
}

async function main() {
  const argv = process.argv.slice(2);
  if (argv.includes('--tpch')) process.exit((await runTpch(argv)) ? 0 : 1);
  if (argv.includes('--spill')) process.exit((await runSpill(argv)) ? 0 : 1);
  const opts = parseArgs(argv);
  const ok = opts.report ? rerender(opts.report) : opts.scaling ? await runScaling(opts) : await runSuite(opts);
  process.exit(ok ? 0 : 1);
}

main().catch((e) => {
  console.error(`bench/run: error: ${e.stack ?? e.message}`);
  process.exit(1);
});
