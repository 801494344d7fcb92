// Turns a benchmark result (the JSON object run_convert writes) into its markdown report, the
// results table the README embeds, and a gnuplot PNG chart (time and peak memory per engine).
// Everything shown is computed from the result object: nothing here is typed by hand.

import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const fmtInt = (n) => Number(n).toLocaleString('en-US');
const fmt = (x, digits = 2) => Number(x).toFixed(digits);
const mb = (bytes) => bytes / 2 ** 20;
const ratio = (x) => `${x >= 10 ? fmt(x, 1) : fmt(x, 2)}×`;

// One sentence comparing sluice with its best peers: the fastest for time, the leanest for memory.
export function headline(result) {
  const sluice = result.engines.find((e) => e.name === 'sluice');
  const peers = result.engines.filter((e) => e.name !== 'sluice');
  if (!sluice || !peers.length) return '';
  const fastest = peers.reduce((a, b) => (b.median_s < a.median_s ? b : a));
  const leanest = peers.reduce((a, b) => (b.peak_rss_mb < a.peak_rss_mb ? b : a));
  const t = sluice.median_s / fastest.median_s, m = sluice.peak_rss_mb / leanest.peak_rss_mb;
  return `sluice takes **${ratio(t)} the time** of the fastest peer (${fastest.label}) ` +
    `and **${ratio(m)} the peak memory** of the leanest (${leanest.label}).`;
}

// The results table: engine | median wall s | min–max | peak RSS MB | time vs sluice | output MB.
export function renderTable(result) {
  const sluice = result.engines.find((e) => e.name === 'sluice');
  const lines = [
    '| engine | median wall s | min–max s | peak RSS MB | time vs sluice | output MB |',
    '|---|--:|--:|--:|--:|--:|',
  ];
  for (const e of result.engines) {
    const vs = sluice ? ratio(e.median_s / sluice.median_s) : '–';
    lines.push(`| ${e.label} | ${fmt(e.median_s)} | ${fmt(e.min_s)}–${fmt(e.max_s)} | ${fmt(e.peak_rss_mb, 0)} | ${vs} | ${fmt(mb(e.output_bytes), 1)} |`);
  }
  return lines.join('\n');
}

export function machineLine(result) {
  const m = result.machine;
  const load = (l) => l.map((x) => fmt(x)).join(' ');
  return `${m.host_cores} cores (${m.cpu_model}), ${m.ram_gib} GiB RAM, ${m.os}; ` +
    `load average ${load(result.load_before)} before, ${load(result.load_after)} after`;
}

const busy = (result) => result.load_before[0] > result.machine.host_cores * 0.5 || result.load_after[0] > result.machine.host_cores;

function agreementText(result) {
  const c = result.check;
  if (!c.ok) return ['**FAILED: the outputs disagree.**', '', ...c.problems.map((p) => `- ${p}`)].join('\n');
  const ref = c.facts[c.reference];
  const names = result.engines.map((e) => e.label).join(', ');
  return `All outputs agree (${names}): ${fmtInt(ref.rows)} rows, ${Object.keys(ref.columns).length} columns with the ` +
    `same types, non-null counts, value hashes and row order (checksums by DuckDB over each output file); ` +
    `every output is ${ref.codecs.join('/')}-compressed.`;
}

function notesText(result) {
  const notes = [];
  for (const e of result.engines.filter((x) => x.baseline)) {
    notes.push(`${e.label} runs inside node (${e.runtime}); its numbers include starting node and loading the library, ` +
      `which alone take ${fmt(e.baseline.wall_s)} s and ${fmt(e.baseline.rss_kb / 1024, 0)} MB.`);
  }
  notes.push(...(result.notes ?? []));
  if (busy(result)) notes.push('⚠ The machine was busy (load average above half the cores): expect noise, compare ratios rather than seconds.');
  return notes.map((n) => `- ${n}`).join('\n');
}

function versionsText(result) {
  const v = result.versions;
  return `sluice ${v.sluice}${v.sluice_commit ? ` (${v.sluice_commit})` : ''} · DuckDB ${v.duckdb} (@duckdb/node-api ${v.duckdb_node_api}) · ` +
    `Polars nodejs-polars ${v.polars} · node ${v.node}`;
}

export function renderMarkdown(result, { chartFile } = {}) {
  const s = result.settings;
  const parts = [
    `# ${result.title}`,
    '',
    result.description,
    '',
    `${s.warmups} warm-up + ${s.runs} counted runs per engine, each in its own process, engines alternating; ` +
      `default thread counts (all cores); wall time and peak RSS from \`/usr/bin/time -f '%e %M'\`; peak RSS is the highest of the counted runs.`,
    '',
    result.check.ok ? '' : '**This run FAILED its agreement check: the numbers below are not comparable.**\n',
    renderTable(result),
    '',
    headline(result),
    '',
    chartFile ? `![${result.workload} benchmark chart](${chartFile})\n` : '',
    '## Agreement',
    '',
    agreementText(result),
    '',
    '## Machine and versions',
    '',
    `- ${machineLine(result)}`,
    `- ${versionsText(result)}`,
    `- ${result.date}, started ${result.started_at}, took ${fmt(result.elapsed_s, 0)} s`,
    '',
    '## Notes',
    '',
    notesText(result),
    '',
    '## Commands',
    '',
    '```',
    ...result.engines.map((e) => `# ${e.label}\n${e.command}`),
    '```',
    '',
  ];
  return parts.filter((p, i, a) => !(p === '' && a[i - 1] === '')).join('\n');
}

// ---------------------------------------------------------------------------------------------
// chart

export const hasGnuplot = () => spawnSync('gnuplot', ['--version'], { stdio: 'ignore' }).status === 0;

function pngTerminal() {
  const terms = spawnSync('gnuplot', ['-e', 'set terminal'], { encoding: 'utf8' });
  return /pngcairo/.test(`${terms.stdout}${terms.stderr}`) ? 'pngcairo size 1100,460 font "sans,10"' : 'png size 1100,460';
}

const COLORS = { sluice: 0x1b9e77, duckdb: 0xd95f02, polars: 0x7570b3 };

function chartScript(result, dataFile, pngFile) {
  const title = `${result.workload}: ${fmtInt(result.rows)} rows, ${result.date}, ${result.machine.host_cores} cores`;
  const bars = (col, fmtStr) => [
    `plot '${dataFile}' using 0:${col}:6:xtic(1) with boxes lc rgb variable notitle, \\`,
    `     '' using 0:${col}:(sprintf("${fmtStr}", $${col})) with labels offset 0,0.8 notitle`,
  ];
  return [
    `set terminal ${pngTerminal()}`,
    `set output '${pngFile}'`,
    `set multiplot layout 1,2 title "${title}"`,
    'set style fill solid 0.85 border -1',
    'set boxwidth 0.6',
    'set grid ytics',
    'set yrange [0:*]',
    'set offsets 0.5, 0.5, graph 0.12, 0',
    'set xtics nomirror scale 0',
    'set title "wall time, s (median; whiskers: min–max)"',
    `plot '${dataFile}' using 0:2:6:xtic(1) with boxes lc rgb variable notitle, \\`,
    `     '' using 0:2:3:4 with yerrorbars lc rgb "black" pt 7 ps 0.5 notitle, \\`,
    `     '' using 0:4:(sprintf("%.2f", $2)) with labels offset 0,0.8 notitle`,
    'set title "peak RSS, MB (highest of the runs)"',
    ...bars(5, '%.0f'),
    'unset multiplot',
  ].join('\n');
}

// Writes the PNG; returns false (after printing why) if gnuplot is missing or fails.
export function renderChart(result, pngFile, { log = console.log } = {}) {
  if (!hasGnuplot()) {
    log('note: gnuplot is not installed (scripts/setup installs gnuplot-nox): skipping the chart');
    return false;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-chart-'));
  const dataFile = path.join(dir, 'data.txt'), scriptFile = path.join(dir, 'chart.gp');
  const rows = result.engines.map((e) => `"${e.label}" ${e.median_s} ${e.min_s} ${e.max_s} ${e.peak_rss_mb} ${COLORS[e.name] ?? 0x666666}`);
  fs.writeFileSync(dataFile, rows.join('\n') + '\n');
  fs.writeFileSync(scriptFile, chartScript(result, dataFile, pngFile));
  try {
    execFileSync('gnuplot', [scriptFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    return true;
  } catch (e) {
    log(`note: gnuplot failed, no chart: ${e.stderr?.toString().trim() ?? e.message}`);
    return false;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
