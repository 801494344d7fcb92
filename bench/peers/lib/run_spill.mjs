// The larger-than-memory benchmark (issue 8; a mode of the suite): sluice, DuckDB and Polars on a
// high-cardinality group-by, a join of two large tables and a full sort of TPC-H lineitem (and
// orders), each written to Parquet, under one memory limit — which engines finish, in what time,
// at what peak RSS against the limit, and with how much spilled to disk.
//
//   bench/run --spill [--scale-factor 17] [--memory-limit 1GB] [--workloads groupby,join,sort]
//                     [--runs N] [--warmups N] [--engines sluice,duckdb,polars] ...  (--spill --help)
//
// Data: `sluice generate --tpch --scale-factor SF` into bench/data/tpch-sfSF/ unless lineitem and
// orders are there already (or --tpch-dir DIR). Workloads: lib/spill_workloads.mjs; sluice runs
// `sluice --memory-limit L [--temp-dir D] query "<views>; COPY (...) TO OUT (FORMAT parquet, ...)"`,
// DuckDB the same text under SET memory_limit / temp_directory (bench/peers/duckdb_spill.mjs),
// Polars the same query in its lazy API, streamed to sinkParquet (bench/peers/polars_spill.mjs; it
// has no memory limit). Every engine gets its own temp folder (also as TMPDIR and POLARS_TEMP_DIR),
// emptied before each run. Each run is its own process, watched (lib/spill_measure.mjs): killed
// above an RSS cap (default 8× the limit, at most 12 GB) or after a timeout (default 30 min),
// its peak RSS from /usr/bin/time -v, its spill as the temp folder's largest size. After an
// engine's last run its output is checked (lib/spill_check.mjs) and deleted (--keep-outputs keeps
// it): the engines that finished must agree, and every output must match the input's invariants;
// if not the run fails (exit 1, results under a -failed name). An engine that does not finish is
// a result, not a failure. Results: bench/results/<date>-spill-sf<SF>.{md,json}
// (lib/spill_report.mjs).

import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureBaselines, localDate } from './runner.mjs';
import { median } from './stats.mjs';
import { machineFacts, loadAverage, softwareVersions } from './machine.mjs';
import { runWatched, folderBytes, TIME_BIN } from './spill_measure.mjs';
import { openChecker, outputFacts, compareOutputs, inputFacts, checkInvariants, INVARIANTS } from './spill_check.mjs';
import { SPILL_WORKLOADS, spillWorkloadById, viewsPrelude, copyStatement, TABLES } from './spill_workloads.mjs';
import { renderSpillMarkdown, renderSpillSummary, spillRatios } from './spill_report.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PEERS = path.dirname(HERE);
const REPO = path.resolve(PEERS, '../..');
const ENGINE_ORDER = ['sluice', 'duckdb', 'polars'];
const GB = 1e9;
const log = (s) => console.error(`[bench spill] ${s}`);
const rel = (p) => (path.resolve(p).startsWith(`${REPO}${path.sep}`) ? path.relative(REPO, p) : p);

function usage(message) {
  console.error(`${message ? `bench/run --spill: ${message}\n` : ''}usage: bench/run --spill [--scale-factor SF | --tpch-dir DIR] [--memory-limit 1GB]
                      [--workloads groupby,join,sort] [--engines sluice,duckdb,polars] [--runs N] [--warmups N]
                      [--rss-cap SIZE] [--timeout MINUTES] [--data-dir DIR] [--work-dir DIR] [--results-dir DIR]
                      [--keep-outputs]
  SF defaults to 17 (~100M lineitem rows): its tables are generated (sluice generate --tpch) into
  DIR/tpch-sfSF/ (--data-dir, default bench/data) unless lineitem.parquet and orders.parquet are
  there; --tpch-dir names a folder that has them. Every engine runs under --memory-limit (DuckDB:
  SET memory_limit; Polars has none) and is killed above --rss-cap (default 8× the limit, at most
  12GB) or after --timeout minutes (default 30). Runs: 1 counted run and no warm-up by default.
  Outputs and temp folders go to bench/data/out/spill-sfSF/ (--work-dir), deleted after checking
  unless --keep-outputs; results to bench/results/<date>-spill-sfSF.{md,json} (--results-dir).
  Environment: SLUICE_BIN (default build/release/sluice).`);
  process.exit(2);
}

// "1GB" -> 1e9, "512MiB" -> 536870912: the units sluice and DuckDB both read (GB = 10^9 bytes).
export function parseSize(text) {
  const m = String(text ?? '').trim().match(/^(\d+(?:\.\d+)?)\s*([kmgt]i?b?|b)?$/i);
  if (!m) return null;
  const unit = (m[2] ?? 'b').toLowerCase().replace(/b$/, '');
  const scale = { '': 1, k: 1e3, m: 1e6, g: 1e9, t: 1e12, ki: 2 ** 10, mi: 2 ** 20, gi: 2 ** 30, ti: 2 ** 40 }[unit];
  return scale == null ? null : Math.round(Number(m[1]) * scale);
}

const toCount = (v, name, lo) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < lo) usage(`${name} must be an integer ≥ ${lo}, got ${v}`);
  return n;
};

export function parseSpillArgs(argv) {
  const opts = {
    scaleFactor: 17, dir: null, memoryLimit: '1GB', workloads: SPILL_WORKLOADS.map((w) => w.id), engines: ENGINE_ORDER,
    runs: 1, warmups: 0, rssCap: null, timeoutMin: 30, dataDir: path.join(REPO, 'bench/data'), workDir: null,
    resultsDir: path.join(REPO, 'bench/results'), keepOutputs: false,
  };
  let sfGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const list = () => String(argv[++i] ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
    const value = (what) => argv[++i] ?? usage(`${a} needs ${what}`);
    if (a === '--spill' || a === '') continue;
    if (a === '-h' || a === '--help') usage();
    else if (a === '--scale-factor') {
      opts.scaleFactor = Number(value('a number'));
      sfGiven = true;
      if (!(opts.scaleFactor > 0)) usage(`--scale-factor must be a positive number, got ${argv[i]}`);
    } else if (a === '--tpch-dir') opts.dir = path.resolve(value('a folder'));
    else if (a === '--memory-limit') opts.memoryLimit = value('a size such as 1GB');
    else if (a === '--workloads') opts.workloads = list();
    else if (a === '--engines') opts.engines = list();
    else if (a === '--runs') opts.runs = toCount(argv[++i], '--runs', 1);
    else if (a === '--warmups') opts.warmups = toCount(argv[++i], '--warmups', 0);
    else if (a === '--rss-cap') opts.rssCap = value('a size such as 8GB');
    else if (a === '--timeout') {
      opts.timeoutMin = Number(value('minutes'));
      if (!(opts.timeoutMin > 0)) usage(`--timeout must be a positive number of minutes, got ${argv[i]}`);
    } else if (a === '--data-dir') opts.dataDir = path.resolve(value('a folder'));
    else if (a === '--work-dir') opts.workDir = path.resolve(value('a folder'));
    else if (a === '--results-dir') opts.resultsDir = path.resolve(value('a folder'));
    else if (a === '--keep-outputs') opts.keepOutputs = true;
    else usage(`unknown option ${a}`);
  }
  if (opts.dir && sfGiven) usage('give --tpch-dir or --scale-factor, not both');
  opts.limitBytes = parseSize(opts.memoryLimit);
  if (!opts.limitBytes) usage(`--memory-limit takes a size such as 1GB or 512MiB, got ${opts.memoryLimit}`);
  opts.rssCapBytes = opts.rssCap ? parseSize(opts.rssCap) : Math.min(8 * opts.limitBytes, 12 * GB);
  if (!opts.rssCapBytes) usage(`--rss-cap takes a size such as 8GB, got ${opts.rssCap}`);
  for (const w of opts.workloads) if (!spillWorkloadById(w)) usage(`unknown workload ${w} (use ${SPILL_WORKLOADS.map((x) => x.id).join(', ')})`);
  for (const e of opts.engines) if (!ENGINE_ORDER.includes(e)) usage(`unknown engine ${e} (use ${ENGINE_ORDER.join(', ')})`);
  opts.engines = ENGINE_ORDER.filter((e) => opts.engines.includes(e));
  opts.workloads = SPILL_WORKLOADS.map((w) => w.id).filter((w) => opts.workloads.includes(w));
  return opts;
}

// ---------------------------------------------------------------------------------------------
// data

const scaleLabel = (sf) => `sf${String(sf)}`;
const hasTables = (dir) => TABLES.every((t) => fs.existsSync(path.join(dir, `${t}.parquet`)));

function ensureData(opts, sluiceBin) {
  if (opts.dir) {
    if (!hasTables(opts.dir)) {
      console.error(`bench/run --spill: ${opts.dir} lacks ${TABLES.map((t) => `${t}.parquet`).join(' or ')}`);
      process.exit(2);
    }
    return opts.dir;
  }
  const dir = path.join(opts.dataDir, `tpch-${scaleLabel(opts.scaleFactor)}`);
  if (hasTables(dir)) {
    log(`data ${rel(dir)} (there already)`);
    return dir;
  }
  if (!fs.existsSync(sluiceBin)) {
    console.error(`bench/run --spill: ${sluiceBin} not found: build it first (make build); it also generates the data`);
    process.exit(2);
  }
  log(`generating TPC-H at scale factor ${opts.scaleFactor} into ${rel(dir)} ...`);
  fs.rmSync(dir, { recursive: true, force: true });
  try {
    execFileSync(sluiceBin, ['--quiet', 'generate', '--tpch', '--scale-factor', String(opts.scaleFactor), dir], { stdio: 'inherit' });
  } catch (e) {
    console.error(`bench/run --spill: generating the data failed (${e.message.split('\n')[0]})`);
    process.exit(2);
  }
  return dir;
}

// Reads the input files once, so that no engine pays for a cold page cache (they fit in RAM).
function warmPageCache(dir) {
  const buffer = Buffer.allocUnsafe(8 << 20);
  for (const t of TABLES) {
    const fd = fs.openSync(path.join(dir, `${t}.parquet`), 'r');
    try { while (fs.readSync(fd, buffer, 0, buffer.length, null) > 0) { /* read on */ } } finally { fs.closeSync(fd); }
  }
}

async function dataFacts(query, dir) {
  const tables = {};
  for (const t of TABLES) {
    const file = path.join(dir, `${t}.parquet`);
    const [row] = await query(`SELECT sum(num_rows)::BIGINT AS n FROM parquet_file_metadata('${file.replaceAll("'", "''")}')`);
    tables[t] = { rows: Number(row.n), bytes: fs.statSync(file).size };
  }
  return { path: rel(dir), scale_factor: Number((tables.orders.rows / 1_500_000).toPrecision(3)), tables };
}

// ---------------------------------------------------------------------------------------------
// engines

// Plain, else in double quotes when that needs no escapes (SQL text with its single quotes), else
// in single quotes.
const shellQuote = (a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : /^[^"$`\\!]*$/.test(a) ? `"${a}"` : `'${a.replaceAll("'", "'\\''")}'`);
const displayCommand = (argv) => argv.map((a) => (a === process.execPath ? 'node' : shellQuote(path.isAbsolute(a) ? rel(a) : a))).join(' ');

// Where sluice takes --temp-dir: as a global option, as query's, or not at all (older builds:
// then only TMPDIR points it at its folder).
function sluiceTempDirOption(sluiceBin) {
  const help = (args) => spawnSync(sluiceBin, args, { encoding: 'utf8' }).stdout ?? '';
  if (/--temp-dir\b/.test(help(['--help']))) return 'global';
  if (/--temp-dir\b/.test(help(['query', '--help']))) return 'query';
  return null;
}

function engineList(opts, versions, sluiceBin, dir) {
  const node = process.execPath;
  const tempOption = opts.engines.includes('sluice') ? sluiceTempDirOption(sluiceBin) : null;
  const all = {
    sluice: {
      name: 'sluice', label: 'sluice',
      runtime: `native, \`sluice --memory-limit ${opts.memoryLimit} query\` (SQL)${tempOption ? ', --temp-dir' : ', spills under TMPDIR (this build has no --temp-dir)'}`,
      limit: `--memory-limit ${opts.memoryLimit}`,
      argv: (w, out, tmp) => [sluiceBin, '--quiet', '--memory-limit', opts.memoryLimit, ...(tempOption === 'global' ? ['--temp-dir', tmp] : []),
        'query', ...(tempOption === 'query' ? ['--temp-dir', tmp] : []), `${viewsPrelude(dir).replaceAll('\n', ' ')} ${copyStatement(w, out)}`],
    },
    duckdb: {
      name: 'duckdb', label: 'DuckDB',
      runtime: `@duckdb/node-api ${versions.duckdb_node_api}, the same SQL, preserve_insertion_order = false`,
      limit: `SET memory_limit = '${opts.memoryLimit}'`,
      argv: (w, out, tmp) => [node, path.join(PEERS, 'duckdb_spill.mjs'), w.id, dir, out, opts.memoryLimit, tmp],
      baselineArgv: [node, path.join(PEERS, 'duckdb_spill.mjs'), '--noop'],
    },
    polars: {
      name: 'polars', label: 'Polars',
      runtime: `nodejs-polars ${versions.polars}, lazy scanParquet → sinkParquet, streaming engine`,
      limit: 'none (Polars has no memory limit)',
      argv: (w, out) => [node, path.join(PEERS, 'polars_spill.mjs'), w.id, dir, out],
      baselineArgv: [node, path.join(PEERS, 'polars_spill.mjs'), '--noop'],
    },
  };
  return opts.engines.map((n) => all[n]);
}

// ---------------------------------------------------------------------------------------------
// running

const rotate = (list, k) => list.map((_, i) => list[(i + k) % list.length]);
const fmtMB = (kb) => `${((kb * 1024) / 1e6).toFixed(0)} MB`;
const fmtBytes = (b) => (b >= 1e9 ? `${(b / 1e9).toFixed(2)} GB` : `${(b / 1e6).toFixed(1)} MB`);

async function runWorkload(workload, engines, dir, work, opts, checker, input) {
  const wdir = path.join(work, workload.id);
  fs.mkdirSync(wdir, { recursive: true });
  const rounds = opts.warmups + opts.runs;
  const state = Object.fromEntries(engines.map((e) => {
    const output = path.join(wdir, `${e.name}.parquet`);
    const tmp = path.join(wdir, `${e.name}-tmp`);
    return [e.name, { engine: e, output, tmp, argv: e.argv(workload, output, tmp), runs: [], failed: null, facts: null }];
  }));
  log(`${workload.id} (${workload.title}): ${engines.map((e) => e.name).join(', ')} × (${opts.warmups} warm-up + ${opts.runs} runs)`);
  for (let round = 0; round < rounds; round++) {
    const warmup = round < opts.warmups;
    const label = warmup ? `warm-up ${round + 1}/${opts.warmups}` : `run ${round - opts.warmups + 1}/${opts.runs}`;
    for (const e of rotate(engines, round)) {
      const s = state[e.name];
      if (s.failed) continue;
      fs.rmSync(s.output, { force: true });
      fs.rmSync(s.tmp, { recursive: true, force: true });
      fs.mkdirSync(s.tmp, { recursive: true });
      const r = await runWatched(s.argv, {
        env: { ...process.env, TMPDIR: s.tmp, POLARS_TEMP_DIR: s.tmp }, tempDir: s.tmp,
        rssCapBytes: opts.rssCapBytes, timeoutMs: opts.timeoutMin * 60_000,
      });
      const left = r.finished ? folderBytes(s.tmp) : 0;
      fs.rmSync(s.tmp, { recursive: true, force: true });
      if (r.finished && !fs.existsSync(s.output)) Object.assign(r, { finished: false, status: 'error', error: `exited 0 but wrote no ${path.basename(s.output)}` });
      s.runs.push({ round, warmup, status: r.status, error: r.error, wall_s: r.wall_s, rss_kb: r.rss_kb, cpu_s: r.cpu_s,
        peak_temp_bytes: r.peak_temp_bytes, temp_left_bytes: left, sampled_rss_kb: r.sampled_rss_kb });
      if (!r.finished) {
        s.failed = r;
        log(`${label.padEnd(12)} ${e.name.padEnd(7)} ${r.status.toUpperCase()} after ${r.wall_s.toFixed(1)} s at ${fmtMB(r.rss_kb)}: ${r.error}`);
        fs.rmSync(s.output, { force: true });
        continue;
      }
      log(`${label.padEnd(12)} ${e.name.padEnd(7)} ${r.wall_s.toFixed(2).padStart(8)} s ${fmtMB(r.rss_kb).padStart(9)}  spilled ${fmtBytes(r.peak_temp_bytes)}` +
        `${left ? `  (left ${fmtBytes(left)} in its temp folder)` : ''}`);
      if (round === rounds - 1) {
        s.facts = await outputFacts(checker.query, s.output, { ordered: workload.ordered, sums: INVARIANTS[workload.id]?.sums ?? [] });
        if (!opts.keepOutputs) fs.rmSync(s.output, { force: true });
      }
    }
  }
  // The reference is the first engine (sluice first) whose output holds the input's invariants:
  // a wrong answer should not make the others look wrong.
  const invariantProblems = Object.fromEntries(engines.filter((e) => state[e.name].facts)
    .map((e) => [e.name, checkInvariants(workload.id, e.name, state[e.name].facts, input)]));
  const finished = engines.filter((e) => state[e.name].facts)
    .sort((a, b) => Number(invariantProblems[a.name].length > 0) - Number(invariantProblems[b.name].length > 0));
  const check = compareOutputs(Object.fromEntries(finished.map((e) => [e.name, state[e.name].facts])));
  for (const e of finished) check.problems.push(...invariantProblems[e.name]);
  check.ok = check.problems.length === 0;
  check.rows = Object.fromEntries(finished.map((e) => [e.name, state[e.name].facts.rows]));
  log(check.ok ? `${workload.id}: ${finished.length ? `outputs agree (${finished.map((e) => e.name).join(', ')}: ${finished.length ? state[finished[0].name].facts.rows : 0} rows) and match the input` : 'no engine finished'}`
    : `${workload.id}: FAILED\n${check.problems.map((p) => `    ${p}`).join('\n')}`);
  const result = {
    id: workload.id, title: workload.title, description: workload.description, sql: workload.sql, ordered: workload.ordered,
    engines: engines.map((e) => {
      const s = state[e.name];
      const counted = s.runs.filter((r) => !r.warmup && r.status === 'finished');
      const all = s.runs.filter((r) => !r.warmup);
      const base = { name: e.name, label: e.label, command: displayCommand(s.argv), runs: s.runs };
      if (s.failed) {
        const f = s.failed;
        return { ...base, finished: false, status: f.status, error: f.error, wall_s: f.wall_s, peak_rss_mb: f.rss_kb / 1024, peak_rss_bytes: f.rss_kb * 1024,
          rss_vs_limit: (f.rss_kb * 1024) / opts.limitBytes, peak_temp_bytes: Math.max(0, ...s.runs.map((r) => r.peak_temp_bytes)) };
      }
      const peakRss = Math.max(...all.map((r) => r.rss_kb));
      return {
        ...base, finished: true, status: 'finished', error: null,
        median_s: median(counted.map((r) => r.wall_s)), min_s: Math.min(...counted.map((r) => r.wall_s)), max_s: Math.max(...counted.map((r) => r.wall_s)),
        median_cpu_s: counted.every((r) => r.cpu_s != null) ? median(counted.map((r) => r.cpu_s)) : null,
        peak_rss_mb: peakRss / 1024, peak_rss_bytes: peakRss * 1024, rss_vs_limit: (peakRss * 1024) / opts.limitBytes,
        peak_temp_bytes: Math.max(...all.map((r) => r.peak_temp_bytes)),
        temp_left_bytes: Math.max(...all.map((r) => r.temp_left_bytes)),
        output_rows: Number(s.facts.rows), output_bytes: s.facts.bytes,
        first_row: s.facts.first_row ?? undefined, last_row: s.facts.last_row ?? undefined,
      };
    }),
    check,
  };
  result.ratios = spillRatios(result);
  return result;
}

const baseName = (dir, stem, ok) => path.join(dir, `${stem}${ok ? '' : '-failed'}`);

export async function runSpill(argv) {
  const opts = parseSpillArgs(argv);
  const started = new Date();
  if (!fs.existsSync(TIME_BIN)) {
    console.error(`bench/run --spill: ${TIME_BIN} is missing: run scripts/setup (Debian package "time")`);
    process.exit(2);
  }
  const sluiceBin = path.resolve(process.env.SLUICE_BIN ?? path.join(REPO, 'build/release/sluice'));
  if (opts.engines.includes('sluice') && !fs.existsSync(sluiceBin)) {
    console.error(`bench/run --spill: ${sluiceBin} not found: build it first (make build)`);
    process.exit(2);
  }
  const dir = ensureData(opts, sluiceBin);
  const checker = await openChecker();
  const [{ v: duckdbVersion }] = await checker.query('SELECT version() AS v');
  const versions = softwareVersions({ repo: REPO, sluiceBin, duckdbVersion });
  const data = await dataFacts(checker.query, dir);
  const work = opts.workDir ?? path.join(REPO, 'bench/data/out', `spill-${scaleLabel(data.scale_factor)}`);
  fs.mkdirSync(work, { recursive: true });
  const checkerTmp = path.join(work, 'checker-tmp');
  await checker.query(`SET temp_directory = '${checkerTmp.replaceAll("'", "''")}'`);
  log(`input facts of ${rel(dir)} (row counts, sums, lineitem's checksum) ...`);
  const input = await inputFacts(checker.query, dir);
  const engines = engineList(opts, versions, sluiceBin, dir);
  log('warming the page cache with the input files ...');
  warmPageCache(dir);
  const load_before = loadAverage();
  log(`TPC-H sf${data.scale_factor} (lineitem ${data.tables.lineitem.rows.toLocaleString('en-US')} rows, orders ${data.tables.orders.rows.toLocaleString('en-US')}); ` +
    `memory limit ${opts.memoryLimit}; RSS cap ${fmtBytes(opts.rssCapBytes)}; timeout ${opts.timeoutMin} min; engines ${engines.map((e) => e.name).join(', ')}; load ${load_before.join(' ')}`);
  const workloads = [];
  for (const id of opts.workloads) workloads.push(await runWorkload(spillWorkloadById(id), engines, dir, work, opts, checker, input));
  const base_lines = await measureBaselines(engines, log);
  const load_after = loadAverage();
  checker.close();
  fs.rmSync(checkerTmp, { recursive: true, force: true });

  const date = localDate(started);
  const ok = workloads.every((w) => w.check.ok);
  const result = {
    kind: 'spill',
    title: `Larger than memory: TPC-H scale factor ${data.scale_factor} under a ${opts.memoryLimit} memory limit, ${date}`,
    scale_factor: data.scale_factor,
    memory_limit: opts.memoryLimit,
    memory_limit_bytes: opts.limitBytes,
    rss_cap_bytes: opts.rssCapBytes,
    timeout_min: opts.timeoutMin,
    date,
    started_at: started.toISOString(),
    elapsed_s: Math.round((Date.now() - started.getTime()) / 100) / 10,
    ok,
    data,
    settings: { warmups: opts.warmups, runs: opts.runs, threads: 'default (all cores)', workloads: opts.workloads },
    machine: machineFacts(),
    load_before,
    load_after,
    versions,
    engines: engines.map((e) => ({ name: e.name, label: e.label, runtime: e.runtime, limit: e.limit, baseline: base_lines[e.name] ?? null })),
    workloads,
  };
  fs.mkdirSync(opts.resultsDir, { recursive: true });
  const base = baseName(opts.resultsDir, `${date}-spill-${scaleLabel(data.scale_factor)}`, ok);
  fs.writeFileSync(`${base}.json`, JSON.stringify(result, null, 2) + '\n');
  fs.writeFileSync(`${base}.md`, renderSpillMarkdown(result));
  console.log(renderSpillSummary(result));
  console.log(ok ? '\nthe engines that finished agree, and their outputs match the input'
    : `\nFAILED:\n${workloads.flatMap((w) => w.check.problems.map((p) => `  ${w.id} ${p}`)).join('\n')}`);
  console.log(`\nwrote ${rel(base)}.{md,json}`);
  return ok;
}

// Rewrites the markdown of an earlier result from its JSON.
export function rerenderSpill(file) {
  const result = JSON.parse(fs.readFileSync(file, 'utf8'));
  const base = path.resolve(file).replace(/\.json$/, '');
  for (const w of result.workloads) w.ratios = spillRatios(w);
  fs.writeFileSync(`${base}.json`, JSON.stringify(result, null, 2) + '\n');
  fs.writeFileSync(`${base}.md`, renderSpillMarkdown(result));
  return result.ok;
}
