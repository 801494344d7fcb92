// Turns a TPC-H benchmark result (the JSON object lib/run_tpch.mjs writes) into its markdown
// report, the summary table the README embeds, the geometric means, and a gnuplot PNG (wall time
// and peak memory per query per engine). Everything shown is computed from the result object.

import path from 'node:path';
import { hasGnuplot } from './report.mjs';
import { FLOAT_TOLERANCE, MONEY_TOLERANCE } from './answers.mjs';
import { COLORS, pngTerminal, runGnuplot, machineLine, runsLine } from './suite_report.mjs';

const fmt = (x, digits = 2) => Number(x).toFixed(digits);
const fmtInt = (n) => Number(n).toLocaleString('en-US');
const fmtRatio = (x) => `${x >= 10 ? fmt(x, 1) : fmt(x, 2)}×`;
const fmtSeconds = (s) => (s < 0.1 ? fmt(s, 3) : fmt(s, 2));
const fmtBytes = (b) => (b >= 2 ** 30 ? `${fmt(b / 2 ** 30, 2)} GiB` : `${fmt(b / 2 ** 20, 1)} MiB`);
const plural = (n, word) => `${n} ${n === 1 ? word : word.endsWith('y') ? `${word.slice(0, -1)}ies` : `${word}s`}`;
const possessive = (name) => (name.endsWith('s') ? `${name}'` : `${name}'s`);
const geo = (xs) => Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);
const labelOf = (result, name) => result.engines.find((e) => e.name === name)?.label ?? name;
const entry = (q, name) => q.engines.find((e) => e.name === name);
// Polars ran the query text through its SQL context (results from before its lazy-API versions),
// not the queries written with its lazy API.
const polarsViaSql = (result) => /SQLContext/.test(result.engines.find((e) => e.name === 'polars')?.runtime ?? '');
const oneLine = (text, max = 160) => {
  const line = String(text ?? '').split('\n').map((l) => l.trim()).filter(Boolean).slice(-1)[0] ?? '';
  return (line.length > max ? `${line.slice(0, max)}…` : line).replaceAll('|', '\\|');
};

// Per engine, the geometric means of median time and peak RSS over the queries every engine of
// the run answered correctly; and sluice against each peer over the queries both answered: the
// geometric means of the time and memory ratios.
export function geometricMeans(result) {
  const names = result.engines.map((e) => e.name);
  const common = result.queries.filter((q) => names.every((n) => entry(q, n)?.ok));
  const per_engine = Object.fromEntries(names.map((n) => [n, common.length ? {
    time_s: geo(common.map((q) => entry(q, n).median_s)),
    rss_mb: geo(common.map((q) => entry(q, n).peak_rss_mb)),
  } : null]));
  // The engines that answered every query, over all of them (when that is more than `common`).
  const complete = names.filter((n) => result.queries.every((q) => entry(q, n)?.ok));
  const all_queries = complete.length >= 2 && common.length < result.queries.length ? {
    engines: complete,
    per_engine: Object.fromEntries(complete.map((n) => [n, {
      time_s: geo(result.queries.map((q) => entry(q, n).median_s)),
      rss_mb: geo(result.queries.map((q) => entry(q, n).peak_rss_mb)),
    }])),
  } : null;
  const vs_peers = {};
  if (names.includes('sluice')) {
    for (const peer of names.filter((n) => n !== 'sluice')) {
      const both = result.queries.filter((q) => entry(q, 'sluice')?.ok && entry(q, peer)?.ok);
      vs_peers[peer] = both.length ? {
        queries: both.map((q) => q.id),
        time_ratio: geo(both.map((q) => entry(q, 'sluice').median_s / entry(q, peer).median_s)),
        memory_ratio: geo(both.map((q) => entry(q, 'sluice').peak_rss_mb / entry(q, peer).peak_rss_mb)),
        faster: both.filter((q) => entry(q, 'sluice').median_s < entry(q, peer).median_s).length,
      } : { queries: [], time_ratio: null, memory_ratio: null, faster: 0 };
    }
  }
  return { common: common.map((q) => q.id), per_engine, all_queries, vs_peers };
}

function cell(e) {
  if (!e) return '–';
  if (e.status === 'unsupported') return 'unsupported';
  if (e.status === 'error') return '**error**';
  if (e.status === 'wrong') return `wrong answer${e.note?.startsWith('known') ? ' (known) ‡' : ''}`;
  return `${fmtSeconds(e.median_s)} s · ${fmt(e.peak_rss_mb, 0)} MB`;
}

const ratioCell = (r) => (r ? `${fmtRatio(r.value)} (${fmt(r.low)}–${fmt(r.high)}) vs ${r.peer_label}` : '–');

// query | one column per engine (median time · peak RSS) | sluice ÷ fastest | sluice ÷ leanest | answers,
// then the geometric means over the queries every engine ran.
export function renderTpchTable(result) {
  const names = result.engines.map((e) => e.name);
  const sluice = names.includes('sluice');
  const lines = [
    `| query | ${names.map((n) => labelOf(result, n)).join(' | ')} |${sluice ? ' sluice ÷ fastest peer, time | sluice ÷ leanest peer, memory |' : ''} answers |`,
    `|---|${names.map(() => '--:').join('|')}|${sluice ? '--:|--:|' : ''}:-:|`,
  ];
  for (const q of result.queries) {
    const ratios = sluice ? ` ${ratioCell(q.ratios?.time)} | ${ratioCell(q.ratios?.memory)} |` : '';
    lines.push(`| ${q.id} ${q.title} | ${names.map((n) => cell(entry(q, n))).join(' | ')} |${ratios} ${q.check.ok ? '✓' : '✗'} |`);
  }
  const g = result.geomeans ?? geometricMeans(result);
  if (g.common.length) {
    const cells = names.map((n) => `**${fmtSeconds(g.per_engine[n].time_s)} s · ${fmt(g.per_engine[n].rss_mb, 0)} MB**`);
    lines.push(`| geometric mean over the ${plural(g.common.length, 'query')} every engine ran | ${cells.join(' | ')} |${sluice ? ' | |' : ''} |`);
  }
  if (g.all_queries) {
    const a = g.all_queries;
    const cells = names.map((n) => (a.per_engine[n] ? `**${fmtSeconds(a.per_engine[n].time_s)} s · ${fmt(a.per_engine[n].rss_mb, 0)} MB**` : '–'));
    lines.push(`| geometric mean over all ${plural(result.queries.length, 'query')} (${a.engines.map((n) => labelOf(result, n)).join(', ')}) | ${cells.join(' | ')} |${sluice ? ' | |' : ''} |`);
  }
  return lines.join('\n');
}

// One sentence per peer: sluice against it over the queries both answered.
export function tpchHeadline(result) {
  const g = result.geomeans ?? geometricMeans(result);
  const parts = Object.entries(g.vs_peers).map(([peer, v]) => (v.queries.length
    ? `against ${labelOf(result, peer)}, over the ${plural(v.queries.length, 'query')} both ran: **${fmtRatio(v.time_ratio)} the time** ` +
      `(faster on ${v.faster}) and **${fmtRatio(v.memory_ratio)} the peak memory** (geometric means of the ratios)`
    : `against ${labelOf(result, peer)}: no query both ran`));
  const unsupported = result.engines.map((e) => [e, result.queries.filter((q) => entry(q, e.name)?.status === 'unsupported')])
    .filter(([, qs]) => qs.length)
    .map(([e, qs]) => `${e.name === 'polars' && polarsViaSql(result) ? `${possessive(e.label)} SQL` : e.label} cannot run ${qs.length === result.queries.length ? `any of the ${result.queries.length}` : `${qs.length} of the ${result.queries.length}`} queries (${qs.map((q) => q.id).join(', ')})`);
  const known = result.queries.flatMap((q) => q.engines.filter((e) => e.status === 'wrong' && e.note?.startsWith('known')).map((e) => `${e.label} on ${q.id}`));
  const sentences = [];
  if (parts.length) sentences.push(`sluice ${parts.join('; ')}.`);
  if (unsupported.length) sentences.push(`${unsupported.join('; ')}.`);
  if (known.length) sentences.push(`‡ Known wrong answers, left out of the means: ${known.join(', ')} (see the report).`);
  return sentences.join(' ');
}

export function renderTpchSummary(result) {
  return [renderTpchTable(result), '', tpchHeadline(result)].join('\n');
}

function queryTable(q) {
  const sluice = entry(q, 'sluice');
  const lines = ['| engine | status | median wall s | min–max s | CPU s | peak RSS MB | time vs sluice |', '|---|---|--:|--:|--:|--:|--:|'];
  for (const e of q.engines) {
    if (e.status === 'unsupported' || e.status === 'error') {
      lines.push(`| ${e.label} | ${e.status}: ${oneLine(e.error)} | | | | | |`);
      continue;
    }
    const status = e.status === 'wrong' ? `wrong answer${e.note?.startsWith('known') ? ' (known: see the notes)' : ''}` : e.status;
    const vs = sluice?.ok ? fmtRatio(e.median_s / sluice.median_s) : '–';
    lines.push(`| ${e.label} | ${status} | ${fmtSeconds(e.median_s)} | ${fmtSeconds(e.min_s)}–${fmtSeconds(e.max_s)} | ` +
      `${e.median_cpu_s != null ? fmt(e.median_cpu_s) : '–'} | ${fmt(e.peak_rss_mb, 0)} | ${vs} |`);
  }
  return lines.join('\n');
}

function agreementLine(q) {
  const c = q.check;
  const known = c.known?.length ? ['', 'Known wrong answers (not a failure of the run):', '', ...c.known.map((p) => `- ${p}`)] : [];
  if (!c.ok) return ['**FAILED:**', '', ...c.problems.map((p) => `- ${p}`), ...known].join('\n');
  const who = Object.keys(c.rows).map((n) => entry(q, n)?.label ?? n).join(', ');
  return [`Answers agree (${who}; reference ${entry(q, c.reference)?.label ?? c.reference}): ${plural(Number(Object.values(c.rows)[0]), 'row')}.`, ...known].join('\n');
}

function versionsLine(result) {
  const v = result.versions;
  return [
    `sluice ${v.sluice}${v.sluice_commit ? ` (${v.sluice_commit})` : ''}`,
    `DuckDB ${v.duckdb} (@duckdb/node-api ${v.duckdb_node_api})`,
    `Polars (nodejs-polars ${v.polars})`,
    `node ${v.node}`,
    v.gnuplot,
  ].filter(Boolean).join(' · ');
}

function dataLine(result) {
  const d = result.data;
  const t = d.tables;
  return `Data: the eight TPC-H tables at scale factor ${d.scale_factor} as Parquet files in \`${d.path}/\` ` +
    `(${fmtBytes(d.parquet_bytes)}; lineitem ${fmtInt(t.lineitem.rows)} rows, orders ${fmtInt(t.orders.rows)}, ` +
    `partsupp ${fmtInt(t.partsupp.rows)}, part ${fmtInt(t.part.rows)}, customer ${fmtInt(t.customer.rows)}, supplier ${fmtInt(t.supplier.rows)}). ` +
    'Queries: `tests/sql/tpch/qNN.sql`, the standard text with the validation parameters.';
}

function method(result) {
  const s = result.settings;
  return `${plural(s.warmups, 'warm-up')} + ${plural(s.runs, 'counted run')} per engine and query, each in its own process, engines alternating ` +
    `(their order rotates every round); threads: ${s.threads}; wall time, CPU time (user + system) and peak RSS from \`/usr/bin/time\`; ` +
    'times are medians, peak RSS the highest of the counted runs; warm page cache. Every engine reads the Parquet files on each run ' +
    '(nothing is loaded beforehand) and writes its answer to CSV.';
}

function notes(result) {
  const out = [];
  out.push('sluice runs `sluice query -f FILE --output OUT.csv`, FILE being eight `CREATE VIEW lineitem AS SELECT * FROM \'DIR/lineitem.parquet\'` ' +
    'statements and the query; DuckDB runs the same views and text (`bench/peers/duckdb_tpch.mjs`); ' +
    (polarsViaSql(result)
      ? 'Polars runs the text through its SQL front end, a `SQLContext` over lazy `scanParquet` frames, collected by the streaming engine ' +
        '(`bench/peers/polars_tpch.mjs`).'
      : 'Polars runs the queries through its lazy API (as its own TPC-H benchmark does), written in `bench/peers/lib/polars_tpch_lazy.mjs` ' +
        'with the same parameters, output columns, order and limits, over lazy `scanParquet` frames, collected with the streaming engine ' +
        '(`bench/peers/polars_tpch.mjs`).'));
  const rewritten = result.queries.filter((q) => entry(q, 'polars')?.rewrites?.length);
  if (rewritten.length) {
    out.push(`Polars' SQL accepts intervals only as \`INTERVAL '3 months'\`: in ${rewritten.map((q) => q.id).join(', ')} the standard ` +
      "`INTERVAL '3' MONTH` (DAY, YEAR) is written that way; no other change is made to any query.");
  }
  const polarsAnswered = result.queries.some((q) => entry(q, 'polars') && ['ok', 'wrong'].includes(entry(q, 'polars').status));
  if (polarsAnswered && !polarsViaSql(result)) {
    out.push('Polars computes with the DECIMAL(15,2) columns cast to Float64 (as the tables of its own benchmark hold them), so its money ' +
      'sums differ from the exact ones by floating-point rounding; Q6\'s `between 0.06 - 0.01 and 0.06 + 0.01` is written as 0.05 and 0.07 ' +
      '(in doubles 0.06 + 0.01 is below 0.07).');
  }
  if (polarsAnswered && polarsViaSql(result)) {
    out.push('Polars keeps the product of two DECIMAL(15,2) values at scale 2 (24386.67 × 0.96 = 23411.20, not 23411.2032), so its ' +
      'money sums (Q1) drift from the exact ones by rounding (about 0.003 × √n for a group of n rows): within the relative tolerance below ' +
      'at scale factor 0.1 and above, not at 0.01.');
  }
  const unsupported = result.queries.filter((q) => q.engines.some((e) => e.status === 'unsupported'));
  if (unsupported.length) {
    out.push(polarsViaSql(result)
      ? 'Queries a peer\'s SQL front end cannot plan are reported as unsupported, with its message, and not rewritten by hand:'
      : 'Queries a peer cannot run are reported as unsupported, with its message:');
    for (const q of unsupported) {
      for (const e of q.engines.filter((x) => x.status === 'unsupported')) out.push(`  - ${q.id}, ${e.label}: ${oneLine(e.error, 200)}`);
    }
  }
  for (const q of result.queries) {
    for (const e of q.engines.filter((x) => x.note)) out.push(`${q.id}, ${e.label}: ${e.note}.`);
  }
  for (const e of result.engines.filter((x) => x.baseline)) {
    out.push(`${e.label} runs inside node: its numbers include starting node and loading the library, which alone take ` +
      `${fmt(e.baseline.wall_s)} s and ${fmt(e.baseline.rss_kb / 1024, 0)} MB.`);
  }
  out.push('Answers are compared by DuckDB over each engine\'s CSV: columns by position (engines name computed columns differently), ' +
    'rows in order (rows tied on the ORDER BY columns in any order), strings, dates and integers exactly, DECIMAL results (money) ' +
    `to ${MONEY_TOLERANCE} or a relative ${FLOAT_TOLERANCE}, floats (averages, ratios) to a relative ${FLOAT_TOLERANCE}.`);
  out.push('The geometric means per engine are taken over the queries every engine ran, so that they compare like with like; ' +
    'sluice against each peer, over the queries both ran.');
  if (result.load_before[0] > result.machine.host_cores * 0.5 || result.load_after[0] > result.machine.host_cores) {
    out.push('⚠ The machine was busy (load average above half the cores): expect noise, compare ratios rather than seconds.');
  }
  return out.map((n) => (n.startsWith('  - ') ? n : `- ${n}`)).join('\n');
}

const clean = (parts) => parts.filter((p, i, a) => !(p === '' && a[i - 1] === '')).join('\n');

export function renderTpchMarkdown(result) {
  const queries = result.settings.queries;
  const all = queries.length === 22;
  const rerun = `bench/run --tpch --tpch-dir ${result.data.path}${all ? '' : ` --queries ${queries.join(',')}`}` +
    `${result.settings.runs !== 3 ? ` --runs ${result.settings.runs}` : ''}${result.settings.warmups !== 1 ? ` --warmups ${result.settings.warmups}` : ''}`;
  return clean([
    `# ${result.title}`,
    '',
    result.ok ? '' : '**This run FAILED: an engine failed or the answers disagree (see below). The numbers are not comparable.**\n',
    dataLine(result),
    '',
    method(result),
    '',
    renderTpchTable(result),
    '',
    tpchHeadline(result),
    '',
    result.chart ? `![wall time and peak memory per TPC-H query and engine](${path.basename(result.chart)})\n` : '',
    '## Queries',
    '',
    ...result.queries.flatMap((q) => [`### ${q.id}: ${q.title}`, '', queryTable(q), '', agreementLine(q), '']),
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
    `Rerun: \`${rerun}\` (or \`make bench-tpch TPCH_DIR=${result.data.path}\`). Each run was:`,
    '',
    '```',
    ...result.queries.flatMap((q) => q.engines.filter((e) => e.command).map((e) => e.command)),
    '```',
    '',
  ]);
}

// Two panels, one group of bars per query: wall time (log scale; whiskers min–max) and peak RSS.
export function renderTpchChart(result, png, { log = console.log } = {}) {
  if (!hasGnuplot()) {
    log('note: gnuplot is not installed (scripts/setup installs gnuplot-nox): skipping the chart');
    return null;
  }
  const names = result.engines.map((e) => e.name);
  const rows = result.queries.map((q) => [q.id, ...names.flatMap((n) => {
    const e = entry(q, n);
    return e?.ok ? [e.median_s, e.min_s, e.max_s, fmt(e.peak_rss_mb, 1)] : ['NaN', 'NaN', 'NaN', 'NaN'];
  })].join(' '));
  const script = (dataFile) => {
    const plots = (using) => names.map((n, k) => `${k === 0 ? `'${dataFile}'` : "''"} using ${using(2 + 4 * k)}${k === 0 ? ':xtic(1)' : ''} ` +
      `title "${labelOf(result, n)}" lc rgb "${COLORS[n] ?? '#666666'}"`).join(', \\\n     ');
    return [
      `set terminal ${pngTerminal(1400, 820)}`,
      `set output '${png}'`,
      `set multiplot layout 2,1 title "TPC-H scale factor ${result.scale_factor}, ${result.date}, ${result.machine.host_cores} cores; lower is better"`,
      'set style data histogram',
      'set style fill solid 0.85 border -1',
      'set boxwidth 0.9',
      'set datafile missing "NaN"',
      'set grid ytics',
      'set key top left',
      'set xtics nomirror scale 0',
      'set style histogram errorbars gap 1.5 lw 1',
      'set logscale y',
      'set ylabel "wall time, s (median; whiskers: min–max; log scale)"',
      `plot ${plots((c) => `${c}:${c + 1}:${c + 2}`)}`,
      'unset logscale y',
      'set yrange [0:*]',
      'set style histogram clustered gap 1.5',
      'set ylabel "peak RSS, MB (highest of the runs)"',
      `plot ${plots((c) => `${c + 3}`)}`,
      'unset multiplot',
    ].join('\n');
  };
  return runGnuplot(script, rows.join('\n') + '\n', { log }) ? png : null;
}
