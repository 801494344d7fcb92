// End-to-end test of the benchmark suite's machinery (bench/run) at a tiny size, without timing
// anything: every engine's script answers every workload it supports on the same generated data,
// the answers agree (lib/answers.mjs), and the comparison does catch a wrong value, a wrong order,
// a missing row and a missing column — and on Q7 (CSV → Parquet, types inferred by each engine)
// tolerates another timestamp unit or integer width but not a timestamp kept as text. pandas
// refuses the workloads it cannot run (Q6, Q7: no Parquet engine) with the reason. Then the real
// runner (lib/run_suite.mjs) runs Q6 and Q7 once each at 30,000 rows (--runs 1 --warmups 0) into
// WORK_DIR: the result agrees, records pandas as unsupported with its reason, and the report and
// the README section show Q7. sluice takes part in Q1..Q5 when its benchmark program is given
// (SLUICE_BENCH_QUERY=build/.../bench/sluice_bench_query): then this is also a small differential
// test of the query engine on the benchmark's workloads. pandas takes part when Debian's
// python3-pandas is installed.
// Usage: node suite.mjs SLUICE_BIN WORK_DIR
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDuckDB } from '../../bench/peers/lib/checksums.mjs';
import { compareAnswers } from '../../bench/peers/lib/answers.mjs';
import { WORKLOADS, workloadById } from '../../bench/peers/lib/workloads.mjs';
import { renderSummaryTable } from '../../bench/peers/lib/suite_report.mjs';
import { check, finish } from '../lib/check.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PEERS = path.join(REPO, 'bench/peers');
const [sluice, work] = process.argv.slice(2);
if (!sluice || !fs.existsSync(sluice)) {
  console.error(`usage: node suite.mjs SLUICE_BIN WORK_DIR (no program at '${sluice}')`);
  process.exit(1);
}
fs.rmSync(work, { recursive: true, force: true });
fs.mkdirSync(work, { recursive: true });

const data = path.join(work, 'data');
const made = spawnSync(sluice, ['--quiet', 'generate', data, '--rows', '30000', '--files', '3', '--row-group-size', '8000', '--csv'], { encoding: 'utf8' });
check('generate --csv writes the dataset', made.status === 0 && fs.existsSync(path.join(data, 'events.csv')), made.stderr);

const node = process.execPath;
const hasPandas = spawnSync('/usr/bin/python3', ['-c', 'import pandas'], { stdio: 'ignore' }).status === 0;
const queryBin = process.env.SLUICE_BENCH_QUERY || null;
if (queryBin && !fs.existsSync(queryBin)) {
  console.error(`suite.mjs: SLUICE_BENCH_QUERY=${queryBin} does not exist`);
  process.exit(1);
}
const engines = [
  { name: 'duckdb', argv: (w, out) => [node, path.join(PEERS, 'duckdb_query.mjs'), w, data, out] },
  { name: 'polars', argv: (w, out) => [node, path.join(PEERS, 'polars_query.mjs'), w, data, out] },
  ...(hasPandas ? [{ name: 'pandas', csvOnly: true, argv: (w, out) => ['/usr/bin/python3', path.join(PEERS, 'pandas_query.py'), w, data, out] }] : []),
  // Q6 and Q7 are `sluice convert`; Q1..Q5 need the query engine's benchmark program.
  { name: 'sluice', skip: queryBin ? [] : WORKLOADS.filter((w) => !w.convert).map((w) => w.id), argv: (w, out) => (workloadById(w).convert
    ? [sluice, '--quiet', 'convert', path.join(data, workloadById(w).convert.input), out, '--compression', 'zstd']
    : [queryBin, w, data, out]) },
];
const convertIds = WORKLOADS.filter((w) => w.convert).map((w) => w.id).join(', ');
console.log(`# engines: ${engines.map((e) => e.name).join(', ')}${hasPandas ? '' : ' (no pandas: python3-pandas is not installed)'}` +
  `${queryBin ? '' : ` (sluice on ${convertIds} only: SLUICE_BENCH_QUERY is not set)`}`);

check('the suite has Q1..Q7, Q7 being CSV → Parquet of events.csv', WORKLOADS.map((w) => w.id).join() === 'Q1,Q2,Q3,Q4,Q5,Q6,Q7' &&
  workloadById('Q7').title === 'CSV → Parquet' && workloadById('Q7').convert?.input === 'events.csv');
check('pandas is unsupported on Q6 and Q7, with a reason', ['Q6', 'Q7'].every((id) => /Parquet/.test(workloadById(id).unsupported?.pandas ?? '')));
if (hasPandas) {
  for (const w of WORKLOADS.filter((x) => x.unsupported?.pandas)) {
    const r = spawnSync('/usr/bin/python3', [path.join(PEERS, 'pandas_query.py'), w.id, data, path.join(work, `${w.id}-pandas.csv`)], { encoding: 'utf8' });
    check(`pandas_query.py refuses ${w.id}, saying why`, r.status === 2 && r.stderr.includes('not supported for pandas') && r.stderr.includes('Parquet'), r.stderr);
  }
}

const db = await openDuckDB();
const outputs = {};
for (const w of WORKLOADS) {
  outputs[w.id] = {};
  for (const e of engines.filter((x) => !x.skip?.includes(w.id) && !w.unsupported?.[x.name])) {
    const out = path.join(work, `${w.id}-${e.name}.${w.output === 'parquet' && !e.csvOnly ? 'parquet' : 'csv'}`);
    const [cmd, ...args] = e.argv(w.id, out);
    const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 120000 });
    check(`${e.name} runs ${w.id}`, r.status === 0 && fs.existsSync(out), `${r.stderr}`.slice(-1500));
    if (r.status === 0) outputs[w.id][e.name] = out;
  }
  const result = await compareAnswers(db.query, w, outputs[w.id]);
  check(`${w.id}: every engine's answer agrees (${Object.entries(result.rows).map(([e, n]) => `${e} ${n}`).join(', ')} rows)`,
        result.ok, result.problems.join('\n'));
}

// The comparison catches what it must: a value, an order, a row, a column.
async function disagrees(workloadId, mutate) {
  const file = outputs[workloadId].polars;
  if (!file) return false;
  const bad = path.join(work, `bad-${workloadId}.csv`);
  const rows = await db.query(`SELECT * FROM read_csv('${file}', all_varchar = true)`);
  const names = Object.keys(rows[0]);
  const changed = mutate(rows, names);
  const csv = [changed.names.join(','), ...changed.rows.map((r) => changed.names.map((n) => r[n] ?? '').join(','))].join('\n') + '\n';
  fs.writeFileSync(bad, csv);
  const result = await compareAnswers(db.query, workloadById(workloadId), { duckdb: outputs[workloadId].duckdb, polars: bad });
  return !result.ok;
}
check('a changed float is a disagreement', await disagrees('Q1', (rows, names) => {
  rows[3].net_revenue = String(Number(rows[3].net_revenue) * 1.0001);
  return { rows, names };
}));
check('a float within the tolerance is not', !(await disagrees('Q1', (rows, names) => {
  rows[3].net_revenue = String(Number(rows[3].net_revenue) * (1 + 1e-12));
  return { rows, names };
})));
check('two swapped rows of the top 100 are a disagreement', await disagrees('Q4', (rows, names) => {
  [rows[0], rows[1]] = [rows[1], rows[0]];
  return { rows, names };
}));
check('a missing group is a disagreement', await disagrees('Q3', (rows, names) => ({ rows: rows.slice(1), names })));
check('a missing column is a disagreement', await disagrees('Q2', (rows, names) => ({ rows, names: names.filter((n) => n !== 'quantity_mean') })));

// Q7: the types each engine infers from the CSV may differ in width or unit, not in kind.
async function q7Agrees(name, select) {
  const bad = path.join(work, `q7-${name}.parquet`);
  await db.query(`COPY (${select(`read_parquet('${outputs.Q7.duckdb}')`)}) TO '${bad}' (FORMAT parquet, COMPRESSION zstd)`);
  return compareAnswers(db.query, workloadById('Q7'), { duckdb: outputs.Q7.duckdb, other: bad });
}
if (outputs.Q7.duckdb) {
  const units = await q7Agrees('units', (src) => `SELECT * REPLACE (CAST("timestamp" AS TIMESTAMP_NS) AS "timestamp", CAST(quantity AS INTEGER) AS quantity) FROM ${src}`);
  check('Q7: timestamp[ns] and int32 quantity agree with timestamp[us] and int64', units.ok, units.problems.join('\n'));
  const text = await q7Agrees('text', (src) => `SELECT * REPLACE (strftime("timestamp", '%Y-%m-%d %H:%M:%S.%f') AS "timestamp") FROM ${src}`);
  check('Q7: a timestamp kept as text is a disagreement', !text.ok && text.problems.some((p) => /timestamp is VARCHAR/.test(p)), text.problems.join('\n'));
  const short = await q7Agrees('short', (src) => `SELECT * FROM ${src} LIMIT 29999`);
  check('Q7: a missing row is a disagreement', !short.ok && short.problems.some((p) => /29999 rows/.test(p)), short.problems.join('\n'));
  const changed = await q7Agrees('changed', (src) => `SELECT * REPLACE (CASE WHEN user_id = (SELECT min(user_id) FROM ${src}) THEN sku || 'x' ELSE sku END AS sku) FROM ${src}`);
  check('Q7: a changed string is a disagreement', !changed.ok && changed.problems.some((p) => /column sku/.test(p)), changed.problems.join('\n'));
}
db.close();

// The real runner, once, on the convert workloads: Q7's result, report and README section.
const results = path.join(work, 'results');
const suite = spawnSync(node, [path.join(PEERS, 'lib/run_suite.mjs'), '30000', '--runs', '1', '--warmups', '0', '--workloads', 'Q6,Q7',
  '--data-dir', path.join(work, 'runner-data'), '--results-dir', results],
{ encoding: 'utf8', timeout: 600000, env: { ...process.env, SLUICE_BIN: path.resolve(sluice), SLUICE_QUERY_BIN: queryBin ? path.resolve(queryBin) : path.join(work, 'no-query-program') } });
check('bench/run 30000 --runs 1 --warmups 0 --workloads Q6,Q7 passes', suite.status === 0, `${suite.stdout}\n${suite.stderr}`.slice(-3000));
const json = fs.existsSync(results) ? fs.readdirSync(results).find((f) => /^\d{4}-\d\d-\d\d-30000\.json$/.test(f)) : null;
check('it writes <date>-30000.json', Boolean(json), fs.existsSync(results) ? fs.readdirSync(results).join(', ') : 'no results folder');
if (json) {
  const result = JSON.parse(fs.readFileSync(path.join(results, json), 'utf8'));
  const q7 = result.workloads.find((w) => w.id === 'Q7');
  check('the result has Q6 and Q7', result.workloads.map((w) => w.id).join() === 'Q6,Q7');
  check('Q7: sluice, DuckDB and Polars answer and agree', q7 && q7.check.ok && ['sluice', 'duckdb', 'polars'].every((n) => q7.engines.some((e) => e.name === n && e.ok)) &&
    q7.check.rows.sluice === 30000, JSON.stringify(q7?.check));
  check('Q7: sluice runs sluice convert on events.csv', q7?.engines.find((e) => e.name === 'sluice')?.command.includes('convert') &&
    /\/events\.csv \S+ --compression zstd$/.test(q7.engines.find((e) => e.name === 'sluice').command), q7?.engines.find((e) => e.name === 'sluice')?.command);
  if (hasPandas) {
    check('Q7: pandas is not run, and the result says why', !q7?.engines.some((e) => e.name === 'pandas') &&
      q7?.unsupported?.some((u) => u.name === 'pandas' && /Parquet/.test(u.why)), JSON.stringify(q7?.unsupported));
  }
  const md = fs.readFileSync(path.join(results, json.replace(/\.json$/, '.md')), 'utf8');
  check('the report describes Q7 and shows its row', md.includes('### Q7: CSV → Parquet') && md.includes('read the events CSV, write zstd Parquet.') &&
    /\| Q7 CSV → Parquet \|/.test(md), md.slice(0, 2000));
  if (hasPandas) {
    check('the report says why pandas does not run Q6 and Q7', md.includes('unsupported: pandas on Q6, Q7: Debian packages no Parquet engine') &&
      md.includes('Not run: pandas: Debian packages'), md.slice(0, 3000));
    // pandas ran no workload here, so the summary has no pandas column; with one it reads
    // 'unsupported' on Q7.
    const q5 = { ...q7, id: 'Q5', title: 'filter + derive → Parquet', unsupported: [],
      engines: [...q7.engines, { name: 'pandas', label: 'pandas', ok: true, comparable: false, median_s: 1, peak_rss_mb: 1, runs: [] }] };
    const table = renderSummaryTable({ ...result, workloads: [q5, ...result.workloads] });
    check('the summary table marks pandas unsupported on Q7', /\| Q7 CSV → Parquet \|[^\n]*\| unsupported \|/.test(table), table);
  }
  const readme = path.join(work, 'README.md');
  fs.writeFileSync(readme, '# x\n\n<!-- bench:suite:start -->\nplaceholder\n<!-- bench:suite:end -->\n');
  const up = spawnSync(node, [path.join(PEERS, 'lib/update_readme.mjs'), '--readme', readme, path.join(results, json)], { encoding: 'utf8' });
  const text = fs.readFileSync(readme, 'utf8');
  check('update_readme renders the suite section with Q7', up.status === 0 && !text.includes('placeholder') &&
    text.includes('**Workloads Q6–Q7 on 30,000 events**') && /\| Q7 CSV → Parquet \|/.test(text), `${up.stdout}${up.stderr}\n${text}`.slice(0, 3000));
}

finish();
