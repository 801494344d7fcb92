// Replaces the README's generated benchmark sections — everything between
//   <!-- bench:KIND:start -->  and  <!-- bench:KIND:end -->
// for KIND = suite (bench/run: workloads Q1..Q7), scaling (bench/run --scaling: Q1's memory
// against the data size), convert (bench/peers/run_convert), tpch (bench/run --tpch: the 22
// TPC-H queries) and spill (bench/run --spill: group-by, join and sort larger than memory) — with
// the tables, summaries and charts of results files, so the README's performance claims are
// generated, never typed.
// Entry point: bench/peers/update_readme.
//
// usage: bench/peers/update_readme [--readme FILE] [--results-dir DIR] [RESULT.json ...]
//   FILE defaults to README.md at the repository root, DIR to bench/results. Without RESULT, every section the README
//   has is updated from the newest passing result of its kind: the latest date, and on that date
//   the largest row count or scale factor (for suite and scaling: only results in which sluice
//   ran every workload; for tpch: only runs of all 22 queries in which sluice answered every one;
//   for spill: only runs of all three workloads, whichever engines finished them).
//   With RESULT files, only their sections are updated, from them.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderTable, headline, machineLine } from './report.mjs';
import { renderSummaryTable, suiteHeadline, renderScalingTable, renderScalingGrowth, machineLine as suiteMachineLine, runsLine } from './suite_report.mjs';
import { renderTpchTable, tpchHeadline } from './tpch_report.mjs';
import { renderSpillTable, spillHeadline } from './spill_report.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const markers = (kind) => [`<!-- bench:${kind}:start -->`, `<!-- bench:${kind}:end -->`];

function fail(message, code = 1) {
  console.error(`update_readme: ${message}`);
  process.exit(code);
}

function parseArgs(argv) {
  const opts = { readme: path.join(REPO, 'README.md'), resultsDir: path.join(REPO, 'bench/results'), results: [] };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--readme') opts.readme = argv[++i] ?? fail('--readme needs a file', 2);
    else if (argv[i] === '--results-dir') opts.resultsDir = argv[++i] ?? fail('--results-dir needs a folder', 2);
    else if (argv[i] === '-h' || argv[i] === '--help') fail('usage: bench/peers/update_readme [--readme FILE] [--results-dir DIR] [RESULT.json ...]', 2);
    else if (argv[i].startsWith('-')) fail(`unknown option ${argv[i]}`, 2);
    else opts.results.push(argv[i]);
  }
  return opts;
}

const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));

const kindOf = (result) => result.kind ?? (result.workload === 'convert' ? 'convert' : null);
// sluice ran every workload (not only the convert workloads Q6 and Q7, as it does while its query
// program is not built).
const sluiceEverywhere = (r) => (r.workloads ?? r.points ?? r.queries ?? []).every((w) => w.engines.some((e) => e.name === 'sluice' && e.ok));
// A TPC-H run the README may show: all 22 queries.
const allQueries = (r) => kindOf(r) !== 'tpch' || r.queries.length === 22;
// A larger-than-memory run the README may show: all three workloads. Not finishing is the result
// being measured there, so sluice need not have finished them.
const allSpillWorkloads = (r) => r.settings?.workloads?.length === 3;
const showable = (kind, r) => (kind === 'spill' ? r.ok && allSpillWorkloads(r) : r.ok && sluiceEverywhere(r) && allQueries(r));

// The newest passing result of a kind: latest date first, then most rows, then latest start.
function latestResult(kind, dir) {
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json') && !f.includes('-failed')) : [];
  const results = files.map((f) => ({ file: path.join(dir, f), r: readJson(path.join(dir, f)) }))
    .filter((x) => kindOf(x.r) === kind && (kind === 'convert' ? x.r.check?.ok : showable(kind, x.r)));
  const size = (r) => r.rows ?? r.scale_factor ?? Math.max(...(r.sizes ?? [0]));
  results.sort((a, b) => b.r.date.localeCompare(a.r.date) || size(b.r) - size(a.r) || b.r.started_at.localeCompare(a.r.started_at));
  return results[0]?.file ?? null;
}

const passed = (result) => (kindOf(result) === 'convert' ? result.check?.ok : result.ok);

// "Q1–Q7": the first and last workload of a suite result (whichever it ran).
function workloadRange(result) {
  const ids = result.workloads.map((w) => w.id);
  return ids.length > 1 ? `${ids[0]}–${ids[ids.length - 1]}` : ids[0] ?? 'no workloads';
}

// The generated section bodies, with paths relative to the README's folder.
function sectionBody(kind, result, resultFile, readme) {
  const rel = (p) => path.relative(path.dirname(path.resolve(readme)), path.resolve(REPO, p)).split(path.sep).join('/');
  const mdFile = path.relative(REPO, path.resolve(resultFile.replace(/\.json$/, '.md')));
  const settings = runsLine(result.settings);
  if (kind === 'convert') {
    return [
      `**\`sluice convert\`, ${result.rows.toLocaleString('en-US')} rows of mixed types, snappy Parquet → zstd Parquet** ` +
        `(${result.date}; ${machineLine(result)}; ${settings}; all outputs checked equal)`,
      '',
      renderTable(result),
      '',
      headline(result),
      '',
      ...(result.chart ? [`![convert benchmark: time and peak memory per engine](${rel(result.chart)})`, ''] : []),
      `Full report: [${path.basename(mdFile)}](${rel(mdFile)}) — rerun with \`make bench-convert\`.`,
    ];
  }
  if (kind === 'tpch') {
    return [
      `**${result.queries.length === 22 ? 'The 22' : `${result.queries.length} of the 22`} TPC-H queries at scale factor ${result.scale_factor}** (${result.date}; ${suiteMachineLine(result)}; ${settings}; ` +
        'each cell: median wall time · peak RSS; every answer checked against DuckDB\'s)',
      '',
      renderTpchTable(result),
      '',
      tpchHeadline(result),
      '',
      ...(result.chart ? [`![wall time and peak memory per TPC-H query and engine](${rel(result.chart)})`, ''] : []),
      `Full report, with every query's numbers, the peers' unsupported queries and the commands: [${path.basename(mdFile)}](${rel(mdFile)}) — ` +
        `rerun with \`make bench-tpch TPCH_DIR=${result.data.path}\`.`,
    ];
  }
  if (kind === 'spill') {
    return [
      `**Larger than memory: a high-cardinality group-by, a join and a full sort of TPC-H lineitem at scale factor ${result.scale_factor} ` +
        `(${result.data.tables.lineitem.rows.toLocaleString('en-US')} rows) under a ${result.memory_limit} memory limit** (${result.date}; ` +
        `${suiteMachineLine(result)}; ${result.settings.runs === 1 ? 'one run each' : `median of ${result.settings.runs} runs`}; peak RSS from ` +
        '`/usr/bin/time -v`; spilled = the largest size of the engine\'s temp folder; outputs of the engines that finished checked equal)',
      '',
      renderSpillTable(result),
      '',
      spillHeadline(result),
      '',
      `Full report, with each workload's SQL, the watchdog's limits and the commands: [${path.basename(mdFile)}](${rel(mdFile)}) — ` +
        `rerun with \`bench/run --spill --scale-factor ${result.scale_factor} --memory-limit ${result.memory_limit}\`.`,
    ];
  }
  if (kind === 'suite') {
    return [
      `**Workloads ${workloadRange(result)} on ${result.rows.toLocaleString('en-US')} events** (${result.date}; ${suiteMachineLine(result)}; ` +
        `${settings}; each cell: median wall time · peak RSS; every engine's answers checked equal)`,
      '',
      renderSummaryTable(result),
      '',
      suiteHeadline(result),
      '',
      ...(result.charts?.time ? [`![wall time per workload and engine](${rel(result.charts.time)})`, ''] : []),
      ...(result.charts?.memory ? [`![peak memory per workload and engine](${rel(result.charts.memory)})`, ''] : []),
      `Full report, with every workload's definition and the commands: [${path.basename(mdFile)}](${rel(mdFile)}) — ` +
        `rerun with \`make bench ROWS=${result.rows}\`.`,
    ];
  }
  return [
    `**Q1 (the seed query) against the data size** (${result.date}; ${suiteMachineLine(result)}; ${settings})`,
    '',
    renderScalingTable(result),
    '',
    renderScalingGrowth(result),
    '',
    ...(result.chart ? [`![Q1 peak memory and time against the number of events](${rel(result.chart)})`, ''] : []),
    `Full report: [${path.basename(mdFile)}](${rel(mdFile)}) — rerun with \`make bench-scaling\`.`,
  ];
}

function section(kind, result, resultFile, readme) {
  const [start, end] = markers(kind);
  return [
    start,
    `<!-- generated by bench/peers/update_readme from ${path.relative(REPO, path.resolve(resultFile))}: do not edit by hand -->`,
    '',
    ...sectionBody(kind, result, resultFile, readme),
    end,
  ].join('\n');
}

const hasSection = (text, kind) => markers(kind).every((m) => text.includes(m));

function replaceSection(text, kind, body, file) {
  const [START, END] = markers(kind);
  const start = text.indexOf(START), end = text.indexOf(END);
  if (start < 0 || end < 0) fail(`${file} has no ${START} ... ${END} section`, 2);
  if (end < start) fail(`${file}: ${END} comes before ${START}`, 2);
  if (text.indexOf(START, start + 1) >= 0 || text.indexOf(END, end + 1) >= 0) fail(`${file}: the markers appear more than once`, 2);
  return text.slice(0, start) + body + text.slice(end + END.length);
}

// Writes through a temporary file and a rename, so an interrupted update leaves the README intact.
function writeAtomically(file, text) {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(opts.readme)) fail(`${opts.readme} not found`, 2);
  const before = fs.readFileSync(opts.readme, 'utf8');
  // [kind, result file] pairs: the files given, or the latest of each kind the README has.
  let updates;
  if (opts.results.length) {
    updates = opts.results.map((file) => {
      const kind = kindOf(readJson(file));
      if (!kind) fail(`${file} is not a benchmark result`, 2);
      return [kind, file];
    });
  } else {
    updates = ['suite', 'scaling', 'convert', 'tpch', 'spill'].filter((k) => hasSection(before, k)).map((k) => [k, latestResult(k, opts.resultsDir)]);
    const wanted = { convert: '', tpch: ' of all 22 queries in which sluice answered every one', spill: ' of all three workloads' };
    for (const [kind] of updates.filter(([, f]) => !f)) {
      console.log(`${path.basename(opts.readme)}: no passing ${kind} result${wanted[kind] ?? ' in which sluice ran every workload'} yet: section ${kind} left as it is`);
    }
    updates = updates.filter(([, f]) => f);
  }
  let text = before;
  for (const [kind, file] of updates) {
    const result = readJson(file);
    if (!passed(result)) fail(`${file} failed its agreement check: not putting it in the README`);
    text = replaceSection(text, kind, section(kind, result, file, opts.readme), opts.readme);
    console.log(`${path.basename(opts.readme)}: ${kind} section from ${path.relative(REPO, path.resolve(file))}`);
  }
  if (text === before) console.log(`${opts.readme}: already up to date`);
  else {
    writeAtomically(opts.readme, text);
    console.log(`${opts.readme}: updated`);
  }
}

main();
