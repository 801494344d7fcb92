// Turns the benchmark suite's results (the JSON objects run_suite.mjs writes) into their markdown
// reports, the summary table the README embeds, and gnuplot PNG charts: time and peak memory per
// workload per engine, and Q1's peak memory against the row count. Everything shown is computed
// from the result object: nothing here is typed by hand.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hasGnuplot } from './report.mjs';
import { FLOAT_TOLERANCE } from './answers.mjs';
import { workloadById } from './workloads.mjs';

const fmt = (x, digits = 2) => Number(x).toFixed(digits);
const fmtInt = (n) => Number(n).toLocaleString('en-US');
const fmtMB = (bytes) => (bytes < 2 ** 20 ? `${fmt(bytes / 1024, 1)} KB` : `${fmt(bytes / 2 ** 20, 1)} MB`);
const fmtRatio = (x) => `${x >= 10 ? fmt(x, 1) : fmt(x, 2)}×`;
const fmtRows = (n) => (n >= 1e6 && n % 1e5 === 0 ? `${n / 1e6}M` : fmtInt(n));
export const COLORS = { sluice: '#1b9e77', duckdb: '#d95f02', polars: '#7570b3', pandas: '#e7298a' };

// ---------------------------------------------------------------------------------------------
// ratios

// sluice against its best peer on one workload: the fastest (median wall time) and the leanest
// (highest peak RSS of the counted runs), among the peers that answered and did the same work.
// low–high: the ratio's range over the counted runs (sluice's best against the peer's worst and
// the other way round), the noise a second run may move it by.
export function workloadRatios(workload) {
  const sluice = workload.engines.find((e) => e.name === 'sluice' && e.ok);
  const peers = workload.engines.filter((e) => e.name !== 'sluice' && e.ok && e.comparable);
  if (!sluice || !peers.length) return null;
  const fastest = peers.reduce((a, b) => (b.median_s < a.median_s ? b : a));
  const leanest = peers.reduce((a, b) => (b.peak_rss_mb < a.peak_rss_mb ? b : a));
  const rss = (e) => e.runs.filter((r) => !r.warmup && !r.error).map((r) => r.rss_kb);
  const [sRss, lRss] = [rss(sluice), rss(leanest)];
  return {
    time: { value: sluice.median_s / fastest.median_s, low: sluice.min_s / fastest.max_s, high: sluice.max_s / fastest.min_s, peer: fastest.name, peer_label: fastest.label },
    memory: {
      value: sluice.peak_rss_mb / leanest.peak_rss_mb,
      low: Math.min(...sRss) / Math.max(...lRss), high: Math.max(...sRss) / Math.min(...lRss),
      peer: leanest.name, peer_label: leanest.label,
    },
  };
}

const ratioCell = (r) => (r ? `${fmtRatio(r.value)} (${fmt(r.low)}–${fmt(r.high)}) vs ${r.peer_label}` : '–');

// One sentence over all workloads: on how many sluice beats its best peer, in time and memory.
export function suiteHeadline(result) {
  const rated = result.workloads.filter((w) => w.ratios);
  if (!rated.length) return result.engines.some((e) => e.name === 'sluice') ? '' : 'sluice did not run (its benchmark program was not built): peers only.';
  const faster = rated.filter((w) => w.ratios.time.value < 1).length;
  const leaner = rated.filter((w) => w.ratios.memory.value < 1).length;
  const geo = (xs) => Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);
  return `sluice is faster than the fastest peer on **${faster} of ${rated.length}** workloads and leaner than the leanest on ` +
    `**${leaner} of ${rated.length}**; geometric means of the ratios: **${fmtRatio(geo(rated.map((w) => w.ratios.time.value)))} the time**, ` +
    `**${fmtRatio(geo(rated.map((w) => w.ratios.memory.value)))} the peak memory**.`;
}

// ---------------------------------------------------------------------------------------------
// tables

// The engines that ran at least one workload (sluice runs only Q6 and Q7 while its program is not built).
const engineOrder = (result) => result.engines.map((e) => e.name)
  .filter((n) => (result.workloads ?? result.points).some((w) => w.engines.some((e) => e.name === n)));
const labelOf = (result, name) => result.engines.find((e) => e.name === name)?.label ?? name;

// The engines a workload names as unsupported (results before Q7 do not record them).
const unsupportedOf = (w) => w.unsupported ?? [];

function summaryCell(w, name) {
  const e = w.engines.find((x) => x.name === name);
  if (!e) return unsupportedOf(w).some((u) => u.name === name) ? 'unsupported' : '–';
  if (!e.ok) return '**failed**';
  return `${fmt(e.median_s)} s · ${fmt(e.peak_rss_mb, 0)} MB${e.comparable ? '' : ' †'}`;
}

// workload | one column per engine (median time · peak RSS) | sluice ÷ fastest | sluice ÷ leanest | answers
export function renderSummaryTable(result) {
  const names = engineOrder(result);
  const lines = [
    `| workload | ${names.map((n) => labelOf(result, n)).join(' | ')} | sluice ÷ fastest peer, time | sluice ÷ leanest peer, memory | answers |`,
    `|---|${names.map(() => '--:').join('|')}|--:|--:|:-:|`,
  ];
  for (const w of result.workloads) {
    const cells = names.map((n) => summaryCell(w, n));
    lines.push(`| ${w.id} ${w.title} | ${cells.join(' | ')} | ${ratioCell(w.ratios?.time)} | ${ratioCell(w.ratios?.memory)} | ${w.check.ok ? '✓' : '✗'} |`);
  }
  if (result.workloads.some((w) => w.engines.some((e) => !e.comparable))) {
    lines.push('', '† not counted as a peer: pandas writes CSV where the others write zstd Parquet.');
  }
  const why = unsupportedLines(result);
  if (why.length) lines.push('', ...why);
  return lines.join('\n');
}

// "unsupported: pandas on Q6, Q7: <why>", one line per engine and reason.
function unsupportedLines(result) {
  const groups = new Map();
  for (const w of result.workloads) {
    for (const u of unsupportedOf(w)) {
      const key = JSON.stringify([u.label ?? u.name, u.why]);
      groups.set(key, [...(groups.get(key) ?? []), w.id]);
    }
  }
  return [...groups].map(([key, ids]) => {
    const [label, why] = JSON.parse(key);
    return `unsupported: ${label} on ${ids.join(', ')}: ${why}.`;
  });
}

function workloadTable(w) {
  const sluice = w.engines.find((e) => e.name === 'sluice' && e.ok);
  const lines = [
    '| engine | median wall s | min–max s | CPU s | peak RSS MB | time vs sluice | output |',
    '|---|--:|--:|--:|--:|--:|--:|',
  ];
  for (const e of w.engines) {
    if (!e.ok) {
      lines.push(`| ${e.label} | failed | | | | | |`);
      continue;
    }
    const vs = sluice ? fmtRatio(e.median_s / sluice.median_s) : '–';
    const cpu = e.median_cpu_s != null ? fmt(e.median_cpu_s) : '–';
    const out = e.output_bytes != null ? `${e.output_format} ${fmtMB(e.output_bytes)}` : e.output_format;
    lines.push(`| ${e.label}${e.comparable ? '' : ' †'} | ${fmt(e.median_s)} | ${fmt(e.min_s)}–${fmt(e.max_s)} | ${cpu} | ${fmt(e.peak_rss_mb, 0)} | ${vs} | ${out} |`);
  }
  return lines.join('\n');
}

function agreementLine(w) {
  const c = w.check;
  if (!c.ok) return ['**FAILED:**', '', ...c.problems.map((p) => `- ${p}`)].join('\n');
  const rows = Object.values(c.rows)[0];
  return `Answers agree (${Object.keys(c.rows).map((n) => w.engines.find((e) => e.name === n)?.label ?? n).join(', ')}; ` +
    `reference ${w.engines.find((e) => e.name === c.reference)?.label ?? c.reference}): ${fmtInt(rows)} rows.`;
}

export const runsLine = (s) => `median of ${plural(s.runs, 'run')} after ${plural(s.warmups, 'warm-up')}`;

export function machineLine(result) {
  const m = result.machine;
  const load = (l) => l.map((x) => fmt(x)).join(' ');
  return `${m.host_cores} cores (${m.cpu_model}), ${m.ram_gib} GiB RAM, ${m.os}; ` +
    `load average ${load(result.load_before)} before, ${load(result.load_after)} after`;
}

function versionsLine(result) {
  const v = result.versions;
  return [
    `sluice ${v.sluice}${v.sluice_commit ? ` (${v.sluice_commit})` : ''}`,
    `DuckDB ${v.duckdb} (@duckdb/node-api ${v.duckdb_node_api})`,
    `Polars (nodejs-polars ${v.polars})`,
    v.pandas ? `pandas ${v.pandas} (numpy ${v.numpy}, Python ${v.python})` : null,
    `node ${v.node}`,
    v.gnuplot,
  ].filter(Boolean).join(' · ');
}

const busy = (result) => result.load_before[0] > result.machine.host_cores * 0.5 || result.load_after[0] > result.machine.host_cores;

function notes(result) {
  const out = [];
  if (result.engines.some((e) => e.name === 'pandas')) {
    out.push('pandas reads the CSV copy of the data (events.csv, users.csv): Debian 12 packages no Parquet engine for ' +
      'pandas (neither pyarrow nor fastparquet). Each pandas query reads only the columns it needs. On Q5 it writes CSV ' +
      'where the others write zstd Parquet, so it is not counted as a peer there (†).');
  }
  for (const e of result.engines.filter((x) => x.baseline)) {
    out.push(`${e.label} (${e.runtime}) runs inside ${e.name === 'pandas' ? 'Python' : 'node'}: its numbers include starting the ` +
      `interpreter and loading the library, which alone take ${fmt(e.baseline.wall_s)} s and ${fmt(e.baseline.rss_kb / 1024, 0)} MB.`);
  }
  const sluice = result.engines.find((e) => e.name === 'sluice');
  if (sluice) out.push(`sluice (${sluice.runtime}) writes atomically (temporary file, fsync, rename); the peers write in place.`);
  for (const s of result.skipped_engines ?? []) out.push(`Not run: ${s.name}: ${s.why}.`);
  const inferred = (result.workloads ?? []).filter((w) => workloadById(w.id)?.compare.kinds).map((w) => w.id);
  out.push(`Answers are compared by DuckDB over each engine's output: aggregates row by row matched by key, the top 100 in ` +
    `order, large outputs by row count and per-column counts and hashes; floats to a relative tolerance of ${FLOAT_TOLERANCE}.` +
    (inferred.length ? ` On ${inferred.join(', ')} each engine infers the CSV's column types itself: values are compared ` +
      'after a cast to a common type (a timestamp unit or an integer width may differ), and every column must have been parsed ' +
      'into its kind (a timestamp kept as text is a disagreement).' : ''));
  out.push('Ratio ranges (low–high) pair sluice\'s fastest run with the peer\'s slowest and the other way round: a second run ' +
    'on the same machine should land within them.');
  if (busy(result)) out.push('⚠ The machine was busy (load average above half the cores): expect noise, compare ratios rather than seconds.');
  return out.map((n) => `- ${n}`).join('\n');
}

const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

function method(result) {
  const s = result.settings;
  return `${plural(s.warmups, 'warm-up')} + ${plural(s.runs, 'counted run')} per engine and workload, each in its own process, engines alternating ` +
    `(their order rotates every round); threads: ${s.threads}; wall time, CPU time (user + system) and peak RSS from ` +
    `\`/usr/bin/time\`; times are medians, peak RSS the highest of the counted runs; warm page cache.`;
}

function dataLine(result) {
  const d = result.data;
  return `Data: \`sluice generate --rows ${result.rows} --csv\` (seed 42) in \`${d.path}/\`: events (timestamp, user_id, ` +
    `category (24 values), region (8), revenue, quantity, discount (5% null), sku (high cardinality)) in ${d.events_files} ` +
    `snappy Parquet files with row groups of up to ${fmtInt(d.row_group_rows)} rows (${fmtMB(d.events_parquet_bytes)}; CSV copy ` +
    `${fmtMB(d.events_csv_bytes)}), and users (user_id, country, signup_date, tier): ${fmtInt(d.users_rows)} rows.`;
}

const clean = (parts) => parts.filter((p, i, a) => !(p === '' && a[i - 1] === '')).join('\n');

// The report sits beside its charts in bench/results/.
export function renderSuiteMarkdown(result) {
  const chartRel = (p) => path.basename(p);
  const parts = [
    `# ${result.title}`,
    '',
    result.ok ? '' : '**This run FAILED: an engine failed or the answers disagree (see below). The numbers are not comparable.**\n',
    dataLine(result),
    '',
    method(result),
    '',
    renderSummaryTable(result),
    '',
    suiteHeadline(result),
    '',
    result.charts?.time ? `![time per workload and engine](${chartRel(result.charts.time)})\n` : '',
    result.charts?.memory ? `![peak memory per workload and engine](${chartRel(result.charts.memory)})\n` : '',
    '## Workloads',
    '',
    ...result.workloads.flatMap((w) => [`### ${w.id}: ${w.title}`, '', `${w.description}.`, '', workloadTable(w), '', agreementLine(w), '',
      ...unsupportedOf(w).flatMap((u) => [`Not run: ${u.label ?? u.name}: ${u.why}.`, ''])]),
    '## Machine and versions',
    '',
    `- ${machineLine(result)}`,
    `- ${versionsLine(result)}`,
    `- ${result.date}, started ${result.started_at}, took ${fmt(result.elapsed_s, 0)} s`,
    '',
    '## Notes',
    '',
    notes(result),
    '',
    '## Commands',
    '',
    'Rerun: `bench/run ' + result.rows + '` (or `make bench ROWS=' + result.rows + '`). Each run was:',
    '',
    '```',
    ...result.workloads.flatMap((w) => w.engines.map((e) => e.command)),
    '```',
    '',
  ];
  return clean(parts);
}

// ---------------------------------------------------------------------------------------------
// charts

export function pngTerminal(width, height) {
  const terms = (() => { try { return execFileSync('gnuplot', ['-e', 'set terminal'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }); } catch (e) { return `${e.stdout ?? ''}${e.stderr ?? ''}`; } })();
  return /pngcairo/.test(terms) ? `pngcairo size ${width},${height} font "sans,10"` : `png size ${width},${height}`;
}

export function runGnuplot(script, data, { log }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-chart-'));
  const dataFile = path.join(dir, 'data.txt'), scriptFile = path.join(dir, 'chart.gp');
  fs.writeFileSync(dataFile, data);
  fs.writeFileSync(scriptFile, script(dataFile));
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

const NAN = 'NaN';

// Grouped bars: one group per workload, one bar per engine; `values(e)` gives the bar's columns.
function barChart({ result, png, title, ylabel, columnsPerEngine, values, errorbars, log }) {
  const names = engineOrder(result);
  const rows = result.workloads.map((w) => {
    const cells = names.flatMap((n) => {
      const e = w.engines.find((x) => x.name === n);
      return e?.ok ? values(e) : Array(columnsPerEngine).fill(NAN);
    });
    return [`"${w.id} ${w.title.replaceAll('"', "'")}"`, ...cells].join(' ');
  });
  const script = (dataFile) => {
    const plots = names.map((n, k) => {
      const c = 2 + k * columnsPerEngine;
      const using = errorbars ? `${c}:${c + 1}:${c + 2}` : `${c}`;
      return `${k === 0 ? `'${dataFile}'` : "''"} using ${using}${k === 0 ? ':xtic(1)' : ''} title "${labelOf(result, n)}" lc rgb "${COLORS[n] ?? '#666666'}"`;
    });
    return [
      `set terminal ${pngTerminal(1200, 520)}`,
      `set output '${png}'`,
      `set title "${title}"`,
      'set style data histogram',
      errorbars ? 'set style histogram errorbars gap 1.5 lw 1' : 'set style histogram clustered gap 1.5',
      'set style fill solid 0.85 border -1',
      'set boxwidth 0.9',
      'set datafile missing "NaN"',
      'set grid ytics',
      'set yrange [0:*]',
      'set key top left',
      'set xtics nomirror scale 0 font ",9"',
      `set ylabel "${ylabel}"`,
      `plot ${plots.join(', \\\n     ')}`,
    ].join('\n');
  };
  return runGnuplot(script, rows.join('\n') + '\n', { log }) ? png : null;
}

// Writes <base>-time.png and <base>-memory.png; returns their paths (null where gnuplot failed).
export function renderSuiteCharts(result, base, { log = console.log } = {}) {
  if (!hasGnuplot()) {
    log('note: gnuplot is not installed (scripts/setup installs gnuplot-nox): skipping the charts');
    return { time: null, memory: null };
  }
  const what = `${fmtInt(result.rows)} events, ${result.date}, ${result.machine.host_cores} cores`;
  return {
    time: barChart({
      result, png: `${base}-time.png`, title: `wall time per workload (${what}); lower is better`,
      ylabel: 'seconds (median; whiskers: min–max)', columnsPerEngine: 3, errorbars: true,
      values: (e) => [e.median_s, e.min_s, e.max_s], log,
    }),
    memory: barChart({
      result, png: `${base}-memory.png`, title: `peak memory per workload (${what}); lower is better`,
      ylabel: 'peak RSS, MB (highest of the runs)', columnsPerEngine: 1, errorbars: false,
      values: (e) => [fmt(e.peak_rss_mb, 1)], log,
    }),
  };
}

// ---------------------------------------------------------------------------------------------
// memory scaling

function scalingTable(result) {
  const names = engineOrder(result);
  const lines = [
    `| events | ${names.map((n) => `${labelOf(result, n)} peak MB (median s)`).join(' | ')} | sluice ÷ leanest peer, memory | answers |`,
    `|--:|${names.map(() => '--:').join('|')}|--:|:-:|`,
  ];
  for (const p of result.points) {
    const cells = names.map((n) => {
      const e = p.engines.find((x) => x.name === n);
      if (!e) return '–';
      return e.ok ? `${fmt(e.peak_rss_mb, 0)} (${fmt(e.median_s)})` : '**failed**';
    });
    lines.push(`| ${fmtRows(p.rows)} | ${cells.join(' | ')} | ${ratioCell(p.ratios?.memory)} | ${p.check.ok ? '✓' : '✗'} |`);
  }
  return lines.join('\n');
}

// How each engine's peak memory grows from the smallest to the largest size.
function growthLine(result) {
  const [first, last] = [result.points[0], result.points[result.points.length - 1]];
  if (!first || first === last) return '';
  const parts = engineOrder(result).map((n) => {
    const a = first.engines.find((e) => e.name === n), b = last.engines.find((e) => e.name === n);
    return a?.ok && b?.ok ? `${labelOf(result, n)} ${fmtRatio(b.peak_rss_mb / a.peak_rss_mb)}` : null;
  }).filter(Boolean);
  return `From ${fmtRows(first.rows)} to ${fmtRows(last.rows)} events (${fmtRatio(last.rows / first.rows)} the data), peak memory grows: ${parts.join(', ')}.`;
}

export function renderScalingTable(result) {
  return scalingTable(result);
}

export function renderScalingGrowth(result) {
  return growthLine(result);
}

export function renderScalingMarkdown(result) {
  const parts = [
    `# ${result.title}`,
    '',
    result.ok ? '' : '**This run FAILED: an engine failed or the answers disagree (see below).**\n',
    `Q1, the seed query (${workloadDescription(result)}), at each size of the generated dataset; ${method(result)}`,
    '',
    scalingTable(result),
    '',
    growthLine(result),
    '',
    result.chart ? `![Q1 peak memory and time against the number of events](${path.basename(result.chart)})\n` : '',
    '## Agreement',
    '',
    ...result.points.map((p) => `- ${fmtRows(p.rows)}: ${agreementLine(p).replace(/\n+/g, ' ')}`),
    '',
    '## Machine and versions',
    '',
    `- ${machineLine(result)}`,
    `- ${versionsLine(result)}`,
    `- ${result.date}, started ${result.started_at}, took ${fmt(result.elapsed_s, 0)} s`,
    '',
    '## Notes',
    '',
    notes(result),
    '',
    `Rerun: \`bench/run --scaling --sizes ${result.sizes.join(',')}\`.`,
    '',
  ];
  return clean(parts);
}

const workloadDescription = (result) => result.points[0]?.description ?? 'Q1';

export function renderScalingChart(result, png, { log = console.log } = {}) {
  if (!hasGnuplot()) {
    log('note: gnuplot is not installed (scripts/setup installs gnuplot-nox): skipping the chart');
    return null;
  }
  const names = engineOrder(result);
  const rows = result.points.map((p) => [p.rows / 1e6, ...names.flatMap((n) => {
    const e = p.engines.find((x) => x.name === n);
    return e?.ok ? [fmt(e.peak_rss_mb, 1), e.median_s] : [NAN, NAN];
  })].join(' '));
  const script = (dataFile) => {
    const lines = (col) => names.map((n, k) => `${k === 0 ? `'${dataFile}'` : "''"} using 1:${2 + 2 * k + col} with linespoints ` +
      `lw 2 pt 7 lc rgb "${COLORS[n] ?? '#666666'}" title "${labelOf(result, n)}"`).join(', \\\n     ');
    return [
      `set terminal ${pngTerminal(1200, 480)}`,
      `set output '${png}'`,
      `set multiplot layout 1,2 title "Q1 (seed query) against the number of events (${result.date}, ${result.machine.host_cores} cores)"`,
      'set datafile missing "NaN"',
      'set logscale xy 10',
      'set grid xtics ytics mxtics mytics',
      'set key top left',
      'set xlabel "events, millions"',
      `set xtics (${result.sizes.map((n) => `"${n / 1e6}" ${n / 1e6}`).join(', ')})`,
      `set xrange [${Math.min(...result.sizes) / 1e6 / 1.5}:${Math.max(...result.sizes) / 1e6 * 1.5}]`,
      'set title "peak RSS, MB"',
      `plot ${lines(0)}`,
      'set title "wall time, s (median)"',
      `plot ${lines(1)}`,
      'unset multiplot',
    ].join('\n');
  };
  return runGnuplot(script, rows.join('\n') + '\n', { log }) ? png : null;
}
