// Turns a larger-than-memory benchmark result (the JSON object lib/run_spill.mjs writes) into its
// markdown report and the summary table the README embeds: per workload and engine, whether it
// finished, its time, its peak RSS against the memory limit, what it spilled, and its time against
// the fastest engine that finished. Everything shown is computed from the result object. Sizes
// are in MB and GB of 10^6 and 10^9 bytes, the units of the limit (sluice's and DuckDB's "1GB").

import { machineLine } from './suite_report.mjs';

const fmt = (x, digits = 2) => Number(x).toFixed(digits);
const fmtInt = (n) => Number(n).toLocaleString('en-US');
const fmtRatio = (x) => `${x >= 10 ? fmt(x, 1) : fmt(x, 2)}×`;
const fmtSeconds = (s) => (s < 10 ? fmt(s, 2) : s < 100 ? fmt(s, 1) : fmt(s, 0));
const fmtBytes = (b) => (b >= 1e9 ? `${fmt(b / 1e9, 2)} GB` : b >= 1e6 ? `${fmt(b / 1e6, 0)} MB` : b > 0 ? `${fmt(b / 1e6, 2)} MB` : '0');
const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
const oneLine = (text, max = 140) => {
  const line = String(text ?? '').split('\n').map((l) => l.trim()).filter(Boolean)[0] ?? '';
  return (line.length > max ? `${line.slice(0, max)}…` : line).replaceAll('|', '\\|');
};

// Per workload: every finished engine's time against the fastest that finished, and sluice against
// the fastest and the leanest peer that finished (null when sluice or every peer did not).
export function spillRatios(workload) {
  const done = workload.engines.filter((e) => e.finished);
  if (!done.length) return null;
  const fastest = done.reduce((a, b) => (b.median_s < a.median_s ? b : a));
  const out = { fastest: fastest.name, time_vs_fastest: Object.fromEntries(done.map((e) => [e.name, e.median_s / fastest.median_s])), sluice: null };
  const sluice = done.find((e) => e.name === 'sluice');
  const peers = done.filter((e) => e.name !== 'sluice');
  if (sluice && peers.length) {
    const fast = peers.reduce((a, b) => (b.median_s < a.median_s ? b : a));
    const lean = peers.reduce((a, b) => (b.peak_rss_bytes < a.peak_rss_bytes ? b : a));
    out.sluice = {
      time: { value: sluice.median_s / fast.median_s, peer: fast.name, peer_label: fast.label },
      memory: { value: sluice.peak_rss_bytes / lean.peak_rss_bytes, peer: lean.name, peer_label: lean.label },
    };
  }
  return out;
}

function finishedCell(e) {
  if (e.finished) return '✓';
  if (e.status === 'killed') return `✗ ${e.error}`;
  if (e.status === 'timed out') return `✗ ${e.error}`;
  return `✗ error: ${oneLine(e.error)}`;
}

const timeCell = (e) => (e.finished ? `${fmtSeconds(e.median_s)} s` : `(stopped at ${fmtSeconds(e.wall_s)} s)`);
const rssCell = (e) => `${fmtBytes(e.peak_rss_bytes)} (${fmt(e.rss_vs_limit)}×)`;

// workload | engine | finished | time | peak RSS (÷ limit) | spilled | time ÷ fastest | output rows | answers
export function renderSpillTable(result) {
  const lines = [
    `| workload | engine | finished | time | peak RSS (÷ ${result.memory_limit} limit) | spilled (peak on disk) | time ÷ fastest that finished | output rows | answers |`,
    '|---|---|---|--:|--:|--:|--:|--:|:-:|',
  ];
  for (const w of result.workloads) {
    w.engines.forEach((e, k) => {
      const ratio = e.finished && w.ratios ? (w.ratios.fastest === e.name ? '**fastest**' : fmtRatio(w.ratios.time_vs_fastest[e.name])) : '–';
      const answers = k === 0 ? (w.check.ok ? '✓' : '✗') : '';
      lines.push(`| ${k === 0 ? `${w.id}: ${w.title}` : ''} | ${e.label} | ${finishedCell(e)} | ${timeCell(e)} | ${rssCell(e)} | ` +
        `${fmtBytes(e.peak_temp_bytes)} | ${ratio} | ${e.finished ? fmtInt(e.output_rows) : '–'} | ${answers} |`);
    });
  }
  return lines.join('\n');
}

// Which engines finished what; sluice's peak RSS against the limit; sluice against the peers.
export function spillHeadline(result) {
  const n = result.workloads.length;
  const sentences = [];
  const finishedBy = (name) => result.workloads.filter((w) => w.engines.some((e) => e.name === name && e.finished));
  const parts = result.engines.map((e) => {
    const done = finishedBy(e.name);
    return `${e.label} ${done.length === n ? `all ${n}` : `${done.length} of ${n}${done.length ? ` (${done.map((w) => w.id).join(', ')})` : ''}`}`;
  });
  sentences.push(`Finished: ${parts.join('; ')}.`);
  const sluiceRuns = result.workloads.map((w) => w.engines.find((e) => e.name === 'sluice' && e.finished)).filter(Boolean);
  if (sluiceRuns.length) {
    const worst = sluiceRuns.reduce((a, b) => (b.peak_rss_bytes > a.peak_rss_bytes ? b : a));
    const over = worst.peak_rss_bytes - result.memory_limit_bytes;
    sentences.push(`sluice's highest peak RSS: **${fmtBytes(worst.peak_rss_bytes)}, ${fmt(worst.rss_vs_limit)}× the ${result.memory_limit} limit**` +
      `${over > 0 ? ` (${fmtBytes(over)} above it)` : ' (within it)'}.`);
  }
  const rated = result.workloads.filter((w) => w.ratios?.sluice);
  if (rated.length) {
    const faster = rated.filter((w) => w.ratios.sluice.time.value <= 1).length;
    sentences.push(`Against the fastest peer that finished, sluice takes ${rated.map((w) => `${fmtRatio(w.ratios.sluice.time.value)} the time on ${w.id} (vs ${w.ratios.sluice.time.peer_label})`).join(', ')}: ` +
      `no slower on **${faster} of ${rated.length}**.`);
  }
  const alone = result.workloads.filter((w) => w.engines.some((e) => e.name === 'sluice' && e.finished) && !w.engines.some((e) => e.name !== 'sluice' && e.finished));
  if (alone.length && result.engines.length > 1) sentences.push(`No peer finished ${alone.map((w) => w.id).join(', ')}.`);
  return sentences.join(' ');
}

export function renderSpillSummary(result) {
  return [renderSpillTable(result), '', spillHeadline(result)].join('\n');
}

function workloadTable(w) {
  const lines = [
    '| engine | status | median wall s | min–max s | CPU s | peak RSS | RSS ÷ limit | spilled (peak) | left in temp folder | output |',
    '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const e of w.engines) {
    if (!e.finished) {
      lines.push(`| ${e.label} | ${e.status}: ${oneLine(e.error, 200)} | (${fmtSeconds(e.wall_s)}) | | | ${fmtBytes(e.peak_rss_bytes)} | ${fmt(e.rss_vs_limit)}× | ${fmtBytes(e.peak_temp_bytes)} | | |`);
      continue;
    }
    lines.push(`| ${e.label} | finished | ${fmtSeconds(e.median_s)} | ${fmtSeconds(e.min_s)}–${fmtSeconds(e.max_s)} | ${e.median_cpu_s != null ? fmt(e.median_cpu_s, 1) : '–'} | ` +
      `${fmtBytes(e.peak_rss_bytes)} | ${fmt(e.rss_vs_limit)}× | ${fmtBytes(e.peak_temp_bytes)} | ${fmtBytes(e.temp_left_bytes ?? 0)} | ` +
      `${fmtInt(e.output_rows)} rows, ${fmtBytes(e.output_bytes)} |`);
  }
  return lines.join('\n');
}

function agreementLine(w) {
  const c = w.check;
  const names = Object.keys(c.rows ?? {});
  if (!c.ok) return ['**FAILED:**', '', ...c.problems.map((p) => `- ${p}`)].join('\n');
  if (!names.length) return 'No engine finished: nothing to compare.';
  const label = (n) => w.engines.find((e) => e.name === n)?.label ?? n;
  const order = w.ordered ? ', in the same order' : '';
  const ends = w.ordered && w.engines.find((e) => e.first_row) ? (() => {
    const e = w.engines.find((x) => x.first_row);
    return ` First row: \`${e.first_row.join(', ')}\`; last row: \`${e.last_row.join(', ')}\`.`;
  })() : '';
  return `${names.length > 1 ? `Outputs agree (${names.map(label).join(', ')}${order})` : `Only ${label(names[0])} finished`}: ` +
    `${fmtInt(Object.values(c.rows)[0])} rows, and ${names.length > 1 ? 'they match' : 'it matches'} the input's invariants.${ends}`;
}

function versionsLine(result) {
  const v = result.versions;
  return [
    `sluice ${v.sluice}${v.sluice_commit ? ` (${v.sluice_commit})` : ''}`,
    `DuckDB ${v.duckdb} (@duckdb/node-api ${v.duckdb_node_api})`,
    `Polars (nodejs-polars ${v.polars})`,
    `node ${v.node}`,
  ].filter(Boolean).join(' · ');
}

function dataLine(result) {
  const t = result.data.tables;
  return `Data: TPC-H lineitem (${fmtInt(t.lineitem.rows)} rows, ${fmtBytes(t.lineitem.bytes)} of Parquet) and orders ` +
    `(${fmtInt(t.orders.rows)} rows, ${fmtBytes(t.orders.bytes)}) at scale factor ${result.data.scale_factor}, from ` +
    `\`sluice generate --tpch\`, in \`${result.data.path}/\`.`;
}

function method(result) {
  const s = result.settings;
  const runs = `${plural(s.runs, 'counted run')}${s.warmups ? ` after ${plural(s.warmups, 'warm-up')}` : ' (no warm-up)'}`;
  return `Memory limit **${result.memory_limit}** (${fmtInt(result.memory_limit_bytes)} bytes) for every engine that has one; ${runs} per engine and ` +
    'workload, each in its own process, engines alternating; threads: all cores; the input files read once beforehand (warm page cache). ' +
    `Peak RSS is \`/usr/bin/time -v\`'s maximum resident set size; a watchdog samples every process's RSS and temp folder every 200 ms ` +
    `and kills a process above ${fmtBytes(result.rss_cap_bytes)} of RSS (so that no engine drives the machine into swap or the OOM killer) ` +
    `or after ${result.timeout_min} min. "Spilled" is the largest size on disk of the engine's temp folder during the run (what it held at once, ` +
    'not all it wrote). Times are medians of the counted runs, peak RSS the highest.';
}

function notes(result) {
  const out = [];
  for (const e of result.engines) out.push(`${e.label}: ${e.runtime}; memory limit: ${e.limit}.`);
  for (const e of result.engines.filter((x) => x.baseline)) {
    out.push(`${e.label} runs inside node: starting node and loading the library alone take ${fmt(e.baseline.wall_s)} s and ` +
      `${fmtBytes(e.baseline.rss_kb * 1024)} of RSS, counted in its numbers.`);
  }
  out.push('Every engine gets its own temp folder, emptied before each run and given as TMPDIR and POLARS_TEMP_DIR too (sluice: ' +
    '--temp-dir where the build has it; DuckDB: SET temp_directory), so that the spill of each is measured wherever it goes.');
  out.push('Answers are checked by DuckDB over each output file in one streaming pass: the row count, the columns, a checksum of the ' +
    'rows (the sum of a hash of each row, values cast to one type per kind) and, for the sort, a checksum of the rows with their ' +
    'positions (the sort key is unique, so there is one right order). The engines that finished must agree, and every output must ' +
    'match invariants of the input (group-by: one row per order, the key and price totals, n summing to lineitem\'s rows; join: one ' +
    'row per line and the same totals; sort: exactly lineitem\'s rows).');
  if (result.load_before[0] > result.machine.host_cores * 0.5 || result.load_after[0] > result.machine.host_cores) {
    out.push('⚠ The machine was busy (load average above half the cores): expect noise.');
  }
  return out.map((n) => `- ${n}`).join('\n');
}

const clean = (parts) => parts.filter((p, i, a) => !(p === '' && a[i - 1] === '')).join('\n');

export function renderSpillMarkdown(result) {
  const s = result.settings;
  const rerun = `bench/run --spill --tpch-dir ${result.data.path} --memory-limit ${result.memory_limit}` +
    `${s.workloads.length === 3 ? '' : ` --workloads ${s.workloads.join(',')}`}${s.runs !== 1 ? ` --runs ${s.runs}` : ''}${s.warmups ? ` --warmups ${s.warmups}` : ''}`;
  return clean([
    `# ${result.title}`,
    '',
    result.ok ? '' : '**This run FAILED: the engines that finished disagree, or an output does not match the input (see below).**\n',
    dataLine(result),
    '',
    method(result),
    '',
    renderSpillTable(result),
    '',
    spillHeadline(result),
    '',
    '## Workloads',
    '',
    ...result.workloads.flatMap((w) => [
      `### ${w.id}: ${w.title}`,
      '',
      `${w.description[0].toUpperCase()}${w.description.slice(1)}: \`${w.sql}\`, written to zstd Parquet.`,
      '',
      workloadTable(w),
      '',
      agreementLine(w),
      '',
    ]),
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
    `Rerun: \`${rerun}\`. Each run was (the SQL's views name the input files):`,
    '',
    '```',
    ...result.workloads.flatMap((w) => w.engines.map((e) => e.command)),
    '```',
    '',
  ]);
}
