// End-to-end test of the larger-than-memory benchmark's machinery (bench/run --spill) at a tiny
// scale, timing nothing: the real runner generates TPC-H at scale factor 0.01 into WORK_DIR and
// runs the group-by, join and sort once each in sluice, DuckDB and Polars under --memory-limit
// 64MB; every engine finishes, the outputs agree and match the input, the report, the JSON and
// the README section are written. Then: engines above the RSS cap are killed and recorded so
// (not a failure of the run); an engine that writes a wrong answer fails the run (exit 1, a
// -failed result); and the output comparison catches a changed value, a missing row and a wrong
// order while accepting the same values written with other types.
// Usage: node spill.mjs SLUICE_BIN WORK_DIR
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openChecker, outputFacts, compareOutputs, checkInvariants, inputFacts, INVARIANTS } from '../../bench/peers/lib/spill_check.mjs';
import { parseTimeVerbose } from '../../bench/peers/lib/spill_measure.mjs';
import { parseSize } from '../../bench/peers/lib/run_spill.mjs';
import { check, finish } from '../lib/check.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const [sluice, workArg] = process.argv.slice(2);
if (!sluice || !workArg || !fs.existsSync(sluice)) {
  console.error(`usage: node spill.mjs SLUICE_BIN WORK_DIR (no program at '${sluice}')`);
  process.exit(2);
}
const work = path.resolve(workArg);
fs.rmSync(work, { recursive: true, force: true });
fs.mkdirSync(work, { recursive: true });
const data = path.join(work, 'data');

function runBench(name, extra, env = {}) {
  const results = path.join(work, name, 'results');
  const r = spawnSync(process.execPath, [path.join(REPO, 'bench/peers/lib/run_suite.mjs'), '--spill', '--memory-limit', '64MB',
    '--data-dir', data, '--work-dir', path.join(work, name, 'out'), '--results-dir', results, ...extra],
  { encoding: 'utf8', timeout: 300000, env: { ...process.env, SLUICE_BIN: path.resolve(sluice), ...env } });
  const json = fs.existsSync(results) ? fs.readdirSync(results).find((f) => f.endsWith('.json')) : null;
  return { ...r, results, out: path.join(work, name, 'out'), json: json ? path.join(results, json) : null,
    result: json ? JSON.parse(fs.readFileSync(path.join(results, json), 'utf8')) : null };
}
const engineOf = (w, name) => w?.engines.find((e) => e.name === name);

// 0. Small pieces.
check('sizes read as sluice and DuckDB read them', parseSize('1GB') === 1e9 && parseSize('64MB') === 64e6 && parseSize('512MiB') === 2 ** 29 && parseSize('lots') === null);
const timed = parseTimeVerbose('\tElapsed (wall clock) time (h:mm:ss or m:ss): 1:02.50\n\tMaximum resident set size (kbytes): 2048\n' +
  '\tUser time (seconds): 1.25\n\tSystem time (seconds): 0.25\n\tExit status: 0\n');
check('/usr/bin/time -v is parsed (m:ss wall clock, max RSS, CPU)', timed?.wall_s === 62.5 && timed.rss_kb === 2048 && timed.cpu_s === 1.5, JSON.stringify(timed));

// 1. The whole mode, once, at scale factor 0.01.
const run = runBench('run', ['--scale-factor', '0.01', '--keep-outputs']);
check('bench/run --spill --scale-factor 0.01 --memory-limit 64MB passes', run.status === 0, `${run.stdout}\n${run.stderr}`.slice(-3000));
check('it generates the data into DIR/tpch-sf0.01', ['lineitem', 'orders'].every((t) => fs.existsSync(path.join(data, 'tpch-sf0.01', `${t}.parquet`))));
check('it writes <date>-spill-sf0.01.json and .md', run.json && /\d{4}-\d\d-\d\d-spill-sf0\.01\.json$/.test(run.json) &&
  fs.existsSync(run.json.replace(/\.json$/, '.md')), run.json);
const result = run.result;
if (result) {
  check('the result knows its kind, scale factor and limit', result.kind === 'spill' && result.scale_factor === 0.01 &&
    result.memory_limit_bytes === 64e6 && result.rss_cap_bytes === 512e6 && result.ok);
  check('it ran groupby, join and sort', result.workloads.map((w) => w.id).join() === 'groupby,join,sort');
  const expectedRows = { groupby: 15000, join: 60177, sort: 60177 };
  for (const w of result.workloads) {
    const status = Object.fromEntries(w.engines.map((e) => [e.name, e.status]));
    check(`${w.id}: sluice, DuckDB and Polars finish`, ['sluice', 'duckdb', 'polars'].every((n) => status[n] === 'finished'), JSON.stringify(status));
    check(`${w.id}: their outputs agree and match the input`, w.check.ok && Object.keys(w.check.rows).length === 3, w.check.problems.join('\n'));
    check(`${w.id}: ${expectedRows[w.id]} output rows, a time, a peak RSS and its ratio to the limit`, w.engines.every((e) => e.output_rows === expectedRows[w.id] &&
      e.median_s > 0 && e.peak_rss_bytes > 0 && Math.abs(e.rss_vs_limit - e.peak_rss_bytes / 64e6) < 1e-9 && e.peak_temp_bytes >= 0),
    JSON.stringify(w.engines.map(({ runs, ...e }) => e)).slice(0, 1500));
    check(`${w.id}: ratios to the fastest that finished`, w.ratios && w.ratios.time_vs_fastest[w.ratios.fastest] === 1 && w.ratios.sluice?.time.value > 0);
  }
  check('the sort records its first and last rows', engineOf(result.workloads[2], 'sluice').first_row?.length === 16);
  check('outputs are kept with --keep-outputs', fs.existsSync(path.join(run.out, 'sort', 'duckdb.parquet')));
  check('the temp folders are removed after each run', !fs.readdirSync(path.join(run.out, 'sort')).some((f) => f.endsWith('-tmp')));
  const md = fs.readFileSync(run.json.replace(/\.json$/, '.md'), 'utf8');
  check('the report has the table, the headline and the commands', md.includes('| workload | engine | finished | time | peak RSS (÷ 64MB limit) |') &&
    md.includes('| groupby: high-cardinality group-by | sluice | ✓ |') && md.includes('Finished: sluice all 3; DuckDB all 3; Polars all 3.') &&
    md.includes('node bench/peers/polars_spill.mjs sort'), md.slice(0, 2000));

  const readme = path.join(work, 'README.md');
  fs.writeFileSync(readme, '# x\n\n<!-- bench:spill:start -->\nplaceholder\n<!-- bench:spill:end -->\n\nafter\n');
  const up = spawnSync(process.execPath, [path.join(REPO, 'bench/peers/lib/update_readme.mjs'), '--readme', readme, '--results-dir', run.results], { encoding: 'utf8' });
  const text = fs.readFileSync(readme, 'utf8');
  check('update_readme fills the bench:spill section from the latest spill result', up.status === 0 && !text.includes('placeholder') &&
    text.includes('under a 64MB memory limit') && text.includes('| sort: full sort | sluice | ✓ |') && text.endsWith('<!-- bench:spill:end -->\n\nafter\n'),
  `${up.stdout}${up.stderr}\n${text.slice(0, 1000)}`);
  const again = spawnSync(process.execPath, [path.join(REPO, 'bench/peers/lib/run_suite.mjs'), '--report', run.json], { encoding: 'utf8' });
  check('bench/run --report rewrites a spill report from its JSON', again.status === 0 && fs.readFileSync(run.json.replace(/\.json$/, '.md'), 'utf8') === md, again.stderr.slice(-1000));
}

// 2. The watchdog: engines above the RSS cap are killed and recorded, and that is a result, not a failure.
// A stand-in "sluice" that holds 200 MB and waits makes this independent of how fast real engines are.
const hog = path.join(work, 'hog-sluice.mjs');
fs.writeFileSync(hog, `#!${process.execPath}
if (process.argv.includes('--help') || process.argv.includes('--version')) process.exit(0);
const held = Buffer.alloc(200e6, 1);
setTimeout(() => console.log(held.length), 60000);
`);
fs.chmodSync(hog, 0o755);
const capped = runBench('capped', ['--scale-factor', '0.01', '--workloads', 'groupby', '--engines', 'sluice', '--rss-cap', '20MB'], { SLUICE_BIN: hog });
const cw = capped.result?.workloads[0];
check('an engine above --rss-cap is killed and recorded as "killed: RSS above 20 MB"', capped.status === 0 &&
  engineOf(cw, 'sluice')?.status === 'killed' && engineOf(cw, 'sluice').error === 'killed: RSS above 20 MB' && !engineOf(cw, 'sluice').finished,
`${capped.status}\n${JSON.stringify(cw?.engines.map(({ runs, ...e }) => e))}\n${capped.stderr.slice(-1500)}`);
check('the report says so', capped.json && fs.readFileSync(capped.json.replace(/\.json$/, '.md'), 'utf8').includes('✗ killed: RSS above 20 MB'));

// 3. A wrong answer fails the run: a stand-in "sluice" that runs the same SQL in DuckDB, five rows short.
const fake = path.join(work, 'fake-sluice.mjs');
fs.writeFileSync(fake, `#!${process.execPath}
import { DuckDBInstance } from '@duckdb/node-api';
const sql = process.argv[process.argv.length - 1];
if (process.argv.includes('--help') || process.argv.includes('--version')) process.exit(0);
const con = await (await DuckDBInstance.create(':memory:')).connect();
await con.run(sql.replace(/\\) TO '/, ' LIMIT 5) TO \\''));
`);
fs.chmodSync(fake, 0o755);
fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(work, 'node_modules'));
const wrong = runBench('wrong', ['--scale-factor', '0.01', '--workloads', 'join', '--engines', 'sluice,duckdb'], { SLUICE_BIN: fake });
const ww = wrong.result?.workloads[0];
check('an engine with a wrong answer fails the run (exit 1, a -failed result naming it)', wrong.status === 1 && /-failed\.json$/.test(wrong.json ?? '') &&
  ww?.check.reference === 'duckdb' && ww.check.problems[0] === 'sluice: 5 rows, expected 60177 (as duckdb)', `${wrong.status} ${wrong.json}\n${ww?.check.problems.join('\n')}\n${wrong.stderr.slice(-1500)}`);
check('update_readme never shows a failed run', !fs.readdirSync(wrong.results).some((f) => !f.includes('-failed')));

// 4. The comparison: changed values, missing rows and a wrong order are caught; other types are not a difference.
if (result) {
  const db = await openChecker();
  const input = await inputFacts(db.query, path.join(data, 'tpch-sf0.01'));
  const sq = (s) => `'${s.replaceAll("'", "''")}'`;
  const derive = async (from, name, select, { ordered = false } = {}) => {
    const file = path.join(work, `${name}.parquet`);
    await db.query(`COPY (${select.replace('SRC', `read_parquet(${sq(from)}, file_row_number = true)`)}) TO ${sq(file)} (FORMAT parquet)`);
    return file;
  };
  const verdict = async (workload, refFile, gotFile) => {
    const opts = { ordered: workload === 'sort', sums: INVARIANTS[workload].sums };
    const facts = { duckdb: await outputFacts(db.query, refFile, opts), sluice: await outputFacts(db.query, gotFile, opts) };
    const cmp = compareOutputs(facts);
    return { ok: cmp.ok, problems: cmp.problems, invariants: checkInvariants(workload, 'sluice', facts.sluice, input) };
  };
  const out = (w) => path.join(run.out, w, 'duckdb.parquet');
  const g1 = await verdict('groupby', out('groupby'), await derive(out('groupby'), 'g-changed',
    'SELECT l_orderkey, CASE WHEN file_row_number = 7 THEN revenue + 0.01 ELSE revenue END AS revenue, n FROM SRC'));
  check('groupby: one revenue off by a cent is a disagreement, and breaks the input\'s sum', !g1.ok && /rows differ/.test(g1.problems[0]) &&
    g1.invariants.some((p) => p.includes('sum of revenue')), JSON.stringify(g1));
  const g2 = await verdict('groupby', out('groupby'), await derive(out('groupby'), 'g-retyped',
    'SELECT CAST(l_orderkey AS BIGINT) AS l_orderkey, CAST(revenue AS DECIMAL(18,2)) AS revenue, CAST(n AS UINTEGER) AS n FROM SRC ORDER BY l_orderkey DESC'));
  check('groupby: the same rows with other integer and decimal widths, in another order, agree', g2.ok && !g2.invariants.length, JSON.stringify(g2));
  const j1 = await verdict('join', out('join'), await derive(out('join'), 'j-missing', 'SELECT * EXCLUDE (file_row_number) FROM SRC WHERE file_row_number <> 100'));
  check('join: a missing row is a disagreement, and breaks the input\'s row count', !j1.ok && /60176 rows, expected 60177/.test(j1.problems[0]) &&
    j1.invariants.some((p) => p.includes('rows (one per line) 60176')), JSON.stringify(j1));
  const j2 = await verdict('join', out('join'), await derive(out('join'), 'j-column', 'SELECT * EXCLUDE (file_row_number, o_custkey) FROM SRC'));
  check('join: a missing column is a disagreement', !j2.ok && /columns \[/.test(j2.problems[0]), JSON.stringify(j2));
  const s1 = await verdict('sort', out('sort'), await derive(out('sort'), 's-swapped',
    'SELECT * EXCLUDE (file_row_number) FROM SRC ORDER BY CASE file_row_number WHEN 0 THEN 1 WHEN 1 THEN 0 ELSE file_row_number END'));
  check('sort: two rows swapped are the same rows in a different order (with the first rows shown), the multiset still the input\'s',
    !s1.ok && /in a different order \(first row/.test(s1.problems[0]) && !s1.invariants.length, JSON.stringify(s1));
  const s2 = await verdict('sort', out('sort'), await derive(out('sort'), 's-changed',
    "SELECT * EXCLUDE (file_row_number) REPLACE (CASE WHEN file_row_number = 5 THEN 'changed' ELSE l_comment END AS l_comment) FROM SRC ORDER BY file_row_number"));
  check('sort: a changed value is a disagreement and not the input\'s rows', !s2.ok && s2.invariants.some((p) => p.includes('checksum of the rows')), JSON.stringify(s2));
  db.close();
}

finish();
