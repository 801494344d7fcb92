// End-to-end test of the benchmark suite's machinery (bench/run) at a tiny size, without timing
// anything: every engine's script answers every workload it supports on the same generated data,
// the answers agree (lib/answers.mjs), and the comparison does catch a wrong value, a wrong order,
// a missing row and a missing column. sluice takes part when its benchmark program is given
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
import { check, finish } from '../lib/check.mjs';

const PEERS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bench/peers');
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
  ...(hasPandas ? [{ name: 'pandas', csvOnly: true, skip: ['Q6'], argv: (w, out) => ['/usr/bin/python3', path.join(PEERS, 'pandas_query.py'), w, data, out] }] : []),
  // Q6 is `sluice convert`; Q1..Q5 need the query engine's benchmark program.
  { name: 'sluice', skip: queryBin ? [] : ['Q1', 'Q2', 'Q3', 'Q4', 'Q5'], argv: (w, out) => (w === 'Q6'
    ? [sluice, '--quiet', 'convert', path.join(data, 'events'), out, '--compression', 'zstd']
    : [queryBin, w, data, out]) },
];
console.log(`# engines: ${engines.map((e) => e.name).join(', ')}${hasPandas ? '' : ' (no pandas: python3-pandas is not installed)'}` +
  `${queryBin ? '' : ' (sluice on Q6 only: SLUICE_BENCH_QUERY is not set)'}`);

const db = await openDuckDB();
const outputs = {};
for (const w of WORKLOADS) {
  outputs[w.id] = {};
  for (const e of engines.filter((x) => !x.skip?.includes(w.id))) {
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
db.close();

finish();
