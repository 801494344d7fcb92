// End-to-end test of the TPC-H benchmark's machinery (bench/run --tpch) on the scale-factor-0.1
// tables, timing nothing: the runner runs a few queries once each (no warm-up) in sluice, DuckDB
// and Polars (its lazy-API versions of the queries), the answers agree, the report, the chart
// and the README section are written; an
// engine that fails fails the run; and the comparison catches a wrong value, a wrong order, a
// missing row and a missing column while tolerating money off by less than a cent and rows tied
// on the ORDER BY columns in another order.
// Usage: node tpch.mjs SLUICE_BIN WORK_DIR   (SLUICE_TPCH_DIR: the tables; default ../shared/tpch/sf0.1)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDuckDB } from '../../bench/peers/lib/checksums.mjs';
import { compareAnswers } from '../../bench/peers/lib/answers.mjs';
import { compareSpec, viewsPrelude, missingTables } from '../../bench/peers/lib/tpch.mjs';
import { check, finish } from '../lib/check.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const [sluice, workArg] = process.argv.slice(2);
if (!sluice || !workArg || !fs.existsSync(sluice)) {
  console.error(`usage: node tpch.mjs SLUICE_BIN WORK_DIR (no program at '${sluice}')`);
  process.exit(2);
}
const tpch = path.resolve(process.env.SLUICE_TPCH_DIR || path.join(REPO, '../shared/tpch/sf0.1'));
if (missingTables(tpch).length) {
  console.log(`# TPC-H files not found in ${tpch}; set SLUICE_TPCH_DIR`);
  console.log('0 passed, 0 failed, 1 skipped');
  process.exit(0);
}
const work = path.resolve(workArg);
fs.rmSync(work, { recursive: true, force: true });
fs.mkdirSync(work, { recursive: true });

const QUERIES = [1, 6, 13, 15];
function runBench(name, extra, env = {}) {
  const results = path.join(work, name, 'results'), answers = path.join(work, name, 'answers');
  const r = spawnSync(process.execPath, [path.join(REPO, 'bench/peers/lib/run_suite.mjs'), '--tpch', '--tpch-dir', tpch,
    '--runs', '1', '--warmups', '0', '--results-dir', results, '--work-dir', answers, ...extra],
  { encoding: 'utf8', timeout: 600000, env: { ...process.env, SLUICE_BIN: path.resolve(sluice), ...env } });
  const json = fs.existsSync(results) ? fs.readdirSync(results).find((f) => f.endsWith('.json')) : null;
  return { ...r, results, answers, json: json ? path.join(results, json) : null, result: json ? JSON.parse(fs.readFileSync(path.join(results, json), 'utf8')) : null };
}

// 1. A short run of the real runner.
const run = runBench('run', ['--queries', QUERIES.join(',')]);
check('bench/run --tpch --runs 1 --warmups 0 passes', run.status === 0, `${run.stdout}\n${run.stderr}`.slice(-3000));
const result = run.result;
check('it writes <date>-tpch-sf0.1.json', run.json && /\d{4}-\d\d-\d\d-tpch-sf0\.1\.json$/.test(run.json), run.json);
if (result) {
  check('the result knows its scale factor and queries', result.kind === 'tpch' && result.scale_factor === 0.1 &&
    result.queries.map((q) => q.number).join() === QUERIES.join(), JSON.stringify({ kind: result.kind, sf: result.scale_factor }));
  for (const q of result.queries) {
    const status = Object.fromEntries(q.engines.map((e) => [e.name, e.status]));
    check(`${q.id}: sluice and DuckDB answer, and agree`, q.check.ok && status.sluice === 'ok' && status.duckdb === 'ok',
      `${JSON.stringify(status)}\n${q.check.problems.join('\n')}`);
    const polars = q.engines.find((e) => e.name === 'polars');
    check(`${q.id}: Polars answers, is unsupported (with its reason) or gives a known wrong answer`,
      polars.status === 'ok' || (polars.status === 'unsupported' && polars.error) || (polars.status === 'wrong' && /^known/.test(polars.note ?? '')),
      JSON.stringify(polars).slice(0, 500));
  }
  check('Polars answers every query through its lazy API, and the run passes',
    result.queries.every((q) => q.engines.find((e) => e.name === 'polars').status === 'ok') && result.ok,
    JSON.stringify(result.queries.map((q) => q.engines.find((e) => e.name === 'polars').status)));
  check('every answer that ran is timed, with peak RSS', result.queries.every((q) => q.engines.filter((e) => e.ok).every((e) => e.median_s > 0 && e.peak_rss_mb > 0)));
  check('geometric means over the queries every engine ran', result.geomeans.common.includes('Q1') &&
    result.geomeans.per_engine.sluice?.time_s > 0 && result.geomeans.vs_peers.duckdb.queries.length === QUERIES.length, JSON.stringify(result.geomeans));
  const md = fs.readFileSync(run.json.replace(/\.json$/, '.md'), 'utf8');
  check('the markdown report has the table and the geometric means',
    md.includes('| Q1 pricing summary report |') && md.includes('| Q13 customer distribution |') && md.includes('geometric mean over the'), md.slice(0, 1500));
  const hasGnuplot = spawnSync('gnuplot', ['--version'], { stdio: 'ignore' }).status === 0;
  if (hasGnuplot) check('the chart is written', result.chart && fs.statSync(run.json.replace(/\.json$/, '.png')).size > 1000);

  // The README section, from this result.
  const readme = path.join(work, 'README.md');
  fs.writeFileSync(readme, '# x\n\n<!-- bench:tpch:start -->\nplaceholder\n<!-- bench:tpch:end -->\n');
  const up = spawnSync(process.execPath, [path.join(REPO, 'bench/peers/lib/update_readme.mjs'), '--readme', readme, run.json], { encoding: 'utf8' });
  const text = fs.readFileSync(readme, 'utf8');
  check('update_readme fills the bench:tpch section', up.status === 0 && !text.includes('placeholder') &&
    text.includes('4 of the 22 TPC-H queries at scale factor 0.1') && text.includes('| Q15 top supplier |'), `${up.stderr}\n${text.slice(0, 800)}`);
  const auto = spawnSync(process.execPath, [path.join(REPO, 'bench/peers/lib/update_readme.mjs'), '--readme', readme, '--results-dir', run.results], { encoding: 'utf8' });
  check('update_readme without a result leaves a partial run out of the README', auto.status === 0 && /no passing tpch result/.test(auto.stdout), auto.stdout + auto.stderr);
  const again = spawnSync(process.execPath, [path.join(REPO, 'bench/peers/lib/run_suite.mjs'), '--report', run.json], { encoding: 'utf8' });
  check('bench/run --report rewrites a TPC-H report from its JSON', again.status === 0, again.stderr.slice(-1000));
}

// 2. An engine that fails fails the run.
const broken = runBench('broken', ['--queries', '6', '--engines', 'sluice,duckdb'], { SLUICE_BIN: '/bin/false' });
check('a failing engine fails the run (exit 1, a -failed result, status error)', broken.status === 1 && /-failed\.json$/.test(broken.json ?? '') &&
  broken.result?.queries[0].engines.find((e) => e.name === 'sluice').status === 'error', `${broken.status} ${broken.json}\n${broken.stderr.slice(-1000)}`);

// 3. The comparison catches what it must, and tolerates what it may.
const db = await openDuckDB();
await db.query(viewsPrelude(tpch));
const answersDir = run.answers;
async function verdict(n, mutate, specChange = (s) => s) {
  const ref = path.join(answersDir, `Q${n}-duckdb.csv`);
  if (!fs.existsSync(ref)) return null;
  const lines = fs.readFileSync(ref, 'utf8').trimEnd().split('\n');
  const header = lines[0].split(','), rows = lines.slice(1).map((l) => l.split(','));
  const changed = mutate({ header, rows });
  const bad = path.join(work, `changed-Q${n}.csv`);
  fs.writeFileSync(bad, [changed.header.join(','), ...changed.rows.map((r) => r.join(','))].join('\n') + '\n');
  const spec = specChange(await compareSpec(db.query, n));
  return (await compareAnswers(db.query, { id: `Q${n}`, compare: spec }, { duckdb: ref, sluice: bad })).ok;
}
const bump = (x, by) => (Number(x) + by).toFixed(4);
// Q1's second row (N, F): sum_qty 95,257.00, where a relative 1e-9 is far below a cent.
check('money off by 0.05 is a disagreement', (await verdict(1, (t) => { t.rows[1][2] = bump(t.rows[1][2], 0.05); return t; })) === false);
check('money off by less than a cent is not', (await verdict(1, (t) => { t.rows[1][2] = bump(t.rows[1][2], 0.004); return t; })) === true);
check('an average off by 1e-6 relative is a disagreement', (await verdict(1, (t) => { t.rows[1][6] = String(Number(t.rows[1][6]) * (1 + 1e-6)); return t; })) === false);
check('a different count is a disagreement', (await verdict(1, (t) => { t.rows[2][9] = String(Number(t.rows[2][9]) + 1); return t; })) === false);
check('two rows in the wrong order are a disagreement', (await verdict(1, (t) => { [t.rows[1], t.rows[2]] = [t.rows[2], t.rows[1]]; return t; })) === false);
check('rows tied on the ORDER BY columns may come in either order', (await verdict(1, (t) => { [t.rows[1], t.rows[2]] = [t.rows[2], t.rows[1]]; return t; },
  (s) => ({ ...s, ties: [Object.keys(s.columns)[0]] }))) === true);
check('a missing row is a disagreement', (await verdict(13, (t) => ({ header: t.header, rows: t.rows.slice(1) }))) === false);
check('a missing column is a disagreement', (await verdict(13, (t) => ({ header: t.header.slice(1), rows: t.rows.map((r) => r.slice(1)) }))) === false);
check('other column names are not (columns are compared by position)', (await verdict(13, (t) => ({ header: ['a', 'b'], rows: t.rows }))) === true);
db.close();

finish();
