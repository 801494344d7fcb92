// The end-to-end convert benchmark (issue 2): `sluice convert` against DuckDB's COPY and Polars'
// scanParquet → sinkParquet, rewriting one mixed-type snappy Parquet file as zstd Parquet.
// Generates the input once (cached in bench/data/), times every engine in its own process,
// checks that all outputs hold the same data, and writes bench/results/<date>-convert-<rows>.{md,json,png}
// (<date>-convert-<rows>-failed.* when they do not: the run then exits 1).
// Entry point: bench/peers/run_convert [ROWS] [--runs N] [--warmups N].

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertTimeInstalled } from './measure.mjs';
import { runAlternating, measureBaseline, localDate } from './runner.mjs';
import { summarise } from './stats.mjs';
import { machineFacts, loadAverage, softwareVersions } from './machine.mjs';
import { openDuckDB, fileFacts, compareFacts } from './checksums.mjs';
import { renderMarkdown, renderTable, headline, renderChart } from './report.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PEERS = path.dirname(HERE);
const REPO = path.resolve(PEERS, '../..');
const ROW_GROUP = 1048576;
const log = (s) => console.error(`[bench] ${s}`);

function usage(message) {
  console.error(`${message ? `run_convert: ${message}\n` : ''}usage: bench/peers/run_convert [ROWS] [--runs N] [--warmups N]   (ROWS default 10000000)`);
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { rows: 10_000_000, runs: 3, warmups: 1 };
  const count = (v, name, lo) => {
    const n = Number(String(v ?? '').replaceAll('_', '').replaceAll(',', ''));
    if (!Number.isInteger(n) || n < lo) usage(`${name} must be an integer ≥ ${lo}, got ${v}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-h' || a === '--help') usage();
    else if (a === '--runs') opts.runs = count(argv[++i], '--runs', 1);
    else if (a === '--warmups') opts.warmups = count(argv[++i], '--warmups', 0);
    else if (a !== '' && !a.startsWith('-')) opts.rows = count(a, 'ROWS', 1);
    else if (a !== '') usage(`unknown option ${a}`);
  }
  return opts;
}

function sluiceBinary() {
  const bin = process.env.SLUICE_BIN ?? path.join(REPO, 'build/release/sluice');
  if (!fs.existsSync(bin)) {
    console.error(`run_convert: ${bin} not found: build it first (make build)`);
    process.exit(2);
  }
  return bin;
}

// The input: one events file of `rows` rows in 1M-row groups, snappy; generated once, then reused.
function ensureInput(sluice, rows) {
  const dir = path.join(REPO, 'bench/data', `events-${rows}`);
  const file = path.join(dir, 'events/part-000.parquet');
  if (fs.existsSync(file)) {
    log(`input ${path.relative(REPO, file)} (cached)`);
    return file;
  }
  log(`generating ${rows} rows into ${path.relative(REPO, dir)} ...`);
  execFileSync(sluice, ['--quiet', 'generate', dir, '--rows', String(rows), '--files', '1',
    '--row-group-size', String(ROW_GROUP), '--compression', 'snappy'], { stdio: 'inherit' });
  if (!fs.existsSync(file)) throw new Error(`sluice generate did not write ${file}`);
  return file;
}

// The three engines, each { name, label, runtime?, argv, baselineArgv?, output }.
function engines({ sluice, input, outDir, versions }) {
  const node = process.execPath;
  const out = (name) => path.join(outDir, `${name}.parquet`);
  return [
    { name: 'sluice', label: 'sluice', argv: [sluice, '--quiet', 'convert', input, out('sluice'), '--compression', 'zstd'] },
    { name: 'duckdb', label: 'DuckDB', runtime: `@duckdb/node-api ${versions.duckdb_node_api}`,
      argv: [node, path.join(PEERS, 'duckdb_convert.mjs'), input, out('duckdb')],
      baselineArgv: [node, path.join(PEERS, 'duckdb_convert.mjs'), '--noop'] },
    { name: 'polars', label: 'Polars', runtime: `nodejs-polars ${versions.polars}, streaming engine`,
      argv: [node, path.join(PEERS, 'polars_convert.mjs'), input, out('polars')],
      baselineArgv: [node, path.join(PEERS, 'polars_convert.mjs'), '--noop'] },
  ].map((e) => ({ ...e, output: out(e.name), prepare: () => fs.rmSync(out(e.name), { force: true }) }));
}

const shellQuote = (a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", "'\\''")}'`);
// The command as a reader would type it from the repository root.
const displayCommand = (argv) => argv.map((a) => {
  if (a === process.execPath) return 'node';
  return shellQuote(path.isAbsolute(a) && a.startsWith(REPO) ? path.relative(REPO, a) : a);
}).join(' ');

async function checkOutputs(query, list) {
  const facts = {};
  for (const e of list) facts[e.name] = await fileFacts(query, e.output, { ordered: true });
  return { ...compareFacts(facts, { expectCodec: 'ZSTD' }), facts };
}

function writeResults(result) {
  const dir = path.join(REPO, 'bench/results');
  fs.mkdirSync(dir, { recursive: true });
  // A failed run never replaces a passing one: it is kept aside, under a -failed name.
  const base = path.join(dir, `${result.date}-convert-${result.rows}${result.check.ok ? '' : '-failed'}`);
  const png = `${base}.png`;
  const charted = renderChart(result, png, { log });
  if (!charted) fs.rmSync(png, { force: true });
  result.chart = charted ? path.relative(REPO, png) : null;
  fs.writeFileSync(`${base}.json`, JSON.stringify(result, null, 2) + '\n');
  fs.writeFileSync(`${base}.md`, renderMarkdown(result, { chartFile: charted ? path.basename(png) : null }));
  return base;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  assertTimeInstalled();
  const sluice = sluiceBinary();
  const started = new Date();
  const db = await openDuckDB();
  const [{ v: duckdbVersion }] = await db.query('SELECT version() AS v');
  const versions = softwareVersions({ repo: REPO, sluiceBin: sluice, duckdbVersion });

  const input = ensureInput(sluice, opts.rows);
  const [inputLayout] = await db.query(`SELECT count(DISTINCT row_group_id) AS rg, list(DISTINCT compression) AS codecs FROM parquet_metadata('${input.replaceAll("'", "''")}')`);
  const outDir = path.join(REPO, 'bench/data/out');
  fs.mkdirSync(outDir, { recursive: true });
  const list = engines({ sluice, input, outDir, versions });

  const load_before = loadAverage();
  log(`${list.length} engines × (${opts.warmups} warm-up + ${opts.runs} runs), load ${load_before.join(' ')}`);
  const runs = await runAlternating(list, { warmups: opts.warmups, runs: opts.runs, log });
  const baselines = {};
  for (const e of list.filter((x) => x.baselineArgv)) baselines[e.name] = await measureBaseline(e.baselineArgv);
  const load_after = loadAverage();

  log('checking that all outputs agree ...');
  const check = await checkOutputs(db.query, list);
  db.close();

  const inputBytes = fs.statSync(input).size;
  const result = {
    workload: 'convert',
    title: `convert benchmark: ${opts.rows.toLocaleString('en-US')} rows, ${localDate(started)}`,
    description: `\`sluice convert\` against DuckDB (\`COPY (FROM 'in') TO 'out' (FORMAT parquet, COMPRESSION zstd)\`) and ` +
      `Polars (\`scanParquet(in).sinkParquet(out, {compression: 'zstd'})\`, streaming engine): one ` +
      `${opts.rows.toLocaleString('en-US')}-row file of mixed types (timestamp, int64, int32, float64 with nulls, low- and ` +
      `high-cardinality strings; ${(inputBytes / 2 ** 20).toFixed(1)} MB, ${inputLayout.rg} row group${Number(inputLayout.rg) === 1 ? '' : 's'}, ` +
      `${inputLayout.codecs.join('/').toLowerCase()}) rewritten as zstd Parquet, from a warm page cache.`,
    rows: opts.rows,
    date: localDate(started),
    started_at: started.toISOString(),
    elapsed_s: (Date.now() - started.getTime()) / 1000,
    input: { path: path.relative(REPO, input), bytes: inputBytes, row_groups: Number(inputLayout.rg), codecs: inputLayout.codecs },
    settings: { warmups: opts.warmups, runs: opts.runs, threads: 'default (all cores)' },
    machine: machineFacts(),
    load_before,
    load_after,
    versions,
    engines: list.map((e) => ({
      name: e.name, label: e.label, runtime: e.runtime ?? null, command: displayCommand(e.argv),
      ...summarise(runs[e.name]),
      output_bytes: fs.statSync(e.output).size,
      baseline: baselines[e.name] ?? null,
      runs: runs[e.name],
    })),
    notes: [
      'sluice writes atomically (temporary file, fsync, rename); DuckDB and Polars write in place without fsync.',
      'Each engine uses its own default zstd level and row-group size.',
    ],
    check,
  };
  const base = writeResults(result);
  console.log(renderTable(result));
  console.log(`\n${headline(result)}`);
  console.log(check.ok ? `\noutputs agree: ${check.facts[check.reference].rows} rows` : `\nFAILED: outputs disagree:\n${check.problems.map((p) => `  ${p}`).join('\n')}`);
  console.log(`\nwrote ${path.relative(REPO, base)}.{md,json${result.chart ? ',png' : ''}}`);
  process.exit(check.ok ? 0 : 1);
}

main().catch((e) => {
  console.error(`run_convert: error: ${e.message}`);
  process.exit(1);
});
