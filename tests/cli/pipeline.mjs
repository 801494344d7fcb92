// End-to-end tests of `sluice run` and `sluice graph` on generated data (issue 7): the example
// pipeline's outputs against DuckDB and its manifest; byte-identical outputs and manifests at
// --threads 1 and 4; up to date (nothing rewritten), a changed input rebuilding exactly the sinks
// that read it, --force and --only; all or nothing when a data test fails; a run killed with
// SIGKILL midway leaving the earlier outputs as they were and no staging folders (the janitor);
// the errors of bad pipeline files (message, line, exit status, nothing written); DOT and
// --dry-run.
// Usage: node pipeline.mjs SLUICE_BIN WORK_DIR
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { check, finish } from '../lib/check.mjs';

const [sluiceArg, workArg] = process.argv.slice(2);
if (!sluiceArg || !fs.existsSync(sluiceArg) || !workArg) {
  console.error(`usage: node pipeline.mjs SLUICE_BIN WORK_DIR (no program at '${sluiceArg}')`);
  process.exit(1);
}
const sluice = path.resolve(sluiceArg);
const work = path.resolve(workArg);
fs.rmSync(work, { recursive: true, force: true });
fs.mkdirSync(work, { recursive: true });

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const exampleDir = path.join(repo, 'examples', 'pipeline');
const example = path.join(exampleDir, 'revenue.toml');
const exampleText = fs.readFileSync(example, 'utf8');
const SINKS = ['net_revenue', 'revenue_by_country', 'monthly_by_region'];

// Runs sluice from the work folder (the summary prints paths relative to it).
function run(args, options = {}) {
  const result = spawnSync(sluice, args, { encoding: 'utf8', timeout: 120000, cwd: work, ...options });
  return { status: result.status, signal: result.signal, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}
const show = (r) => `status ${r.status}${r.signal ? ` (${r.signal})` : ''}\n--- stdout\n${r.stdout}--- stderr\n${r.stderr}`;
const sha256 = (file) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Every file and folder under `dir` (dot files included), by relative path: kind, inode, mtime and,
// for files, the SHA-256 of the bytes.
function snapshot(dir) {
  const out = new Map();
  if (!fs.existsSync(dir)) return out;
  const walk = (rel) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      const full = path.join(dir, child);
      const stat = fs.lstatSync(full);
      if (entry.isDirectory()) {
        out.set(child, { kind: 'dir', ino: stat.ino, mtime: stat.mtimeMs });
        walk(child);
      } else {
        out.set(child, { kind: 'file', ino: stat.ino, mtime: stat.mtimeMs, size: stat.size, sha: sha256(full) });
      }
    }
  };
  walk('');
  return out;
}
// Differences between two snapshots: paths added or removed, files whose bytes differ and, with
// `identity`, files whose inode or mtime changed (rewritten, even with the same bytes).
function snapshotDiff(before, after, { identity = false, ignore = () => false } = {}) {
  const diffs = [];
  for (const [p, a] of before) {
    if (ignore(p)) continue;
    const b = after.get(p);
    if (!b) diffs.push(`removed ${p}`);
    else if (a.kind !== b.kind) diffs.push(`${p} changed kind`);
    else if (a.kind === 'file' && a.sha !== b.sha) diffs.push(`${p} has other bytes`);
    else if (identity && a.kind === 'file' && (a.ino !== b.ino || a.mtime !== b.mtime)) diffs.push(`${p} was rewritten`);
  }
  for (const p of after.keys()) if (!before.has(p) && !ignore(p)) diffs.push(`added ${p}`);
  return diffs;
}
// `.sluice-staging-*` folders anywhere under `dir`.
function stagingFolders(dir) {
  return [...snapshot(dir).keys()].filter((p) => path.basename(p).startsWith('.sluice-staging-'));
}
const rewritten = (before, after, p) => before.get(p) && after.get(p) &&
  (before.get(p).ino !== after.get(p).ino || before.get(p).mtime !== after.get(p).mtime);
// The summary table's row of a sink (the line starting with its name).
const summaryRow = (stdout, sink) => stdout.split('\n').find((line) => line.startsWith(`${sink} `)) ?? '';
// The manifest in `dir`; when it is missing or not JSON, an empty one (the checks then fail).
function readManifest(dir) {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, '_sluice_manifest.json'), 'utf8'));
  } catch {
    return { inputs: [], sinks: [], tests: [] };
  }
}
// A copy of the example pipeline (with its models/ folder) in `dir`, its text changed by `edit`.
function copyExample(dir, edit = (text) => text) {
  fs.mkdirSync(dir, { recursive: true });
  fs.cpSync(path.join(exampleDir, 'models'), path.join(dir, 'models'), { recursive: true });
  const file = path.join(dir, 'revenue.toml');
  fs.writeFileSync(file, edit(exampleText));
  return file;
}
const lineOf = (text, needle) => text.split('\n').findIndex((line) => line.includes(needle)) + 1;

// The data: 300,000 events in 4 files with small row groups (so that threads race), users as CSV.
const data = path.join(work, 'data');
{
  const made = run(['--quiet', 'generate', data, '--rows', '300000', '--files', '4', '--row-group-size', '20000', '--csv']);
  check('generate writes the example data', made.status === 0 && fs.existsSync(path.join(data, 'users.csv')), show(made));
}
const usersCsv = path.join(data, 'users.csv');
const usersOriginal = fs.readFileSync(usersCsv, 'utf8');
const vars = (out, dataDir = data) => ['--var', `DATA_DIR=${dataDir}`, '--var', `OUT_DIR=${out}`];

const con = await (await DuckDBInstance.create(':memory:')).connect();
await con.run(`SET TimeZone = 'UTC'`);
const duck = async (sql) => (await con.runAndReadAll(sql)).getRowObjectsJson();
const close = (a, b) => Math.abs(Number(a) - Number(b)) <= 0.011 + 1e-9 * Math.abs(Number(b));
const events = `read_parquet('${data}/events/*.parquet')`;
const recent = `(SELECT *, revenue * 0.8 AS net FROM ${events} WHERE timestamp > TIMESTAMP '2023-01-01')`;

// Each output of the example pipeline against the same computation in DuckDB.
async function compareOutputs(out) {
  const problems = [];
  const compare = (name, got, want, key, exact, approx) => {
    if (got.length !== want.length) {
      problems.push(`${name}: ${got.length} rows, DuckDB ${want.length}`);
      return;
    }
    for (let i = 0; i < want.length; ++i) {
      const bad = got[i][key] !== want[i][key] || exact.some((c) => String(got[i][c]) !== String(want[i][c])) ||
        approx.some((c) => !close(got[i][c], want[i][c]));
      if (bad) {
        problems.push(`${name} row ${i}: ${JSON.stringify(got[i])} vs DuckDB ${JSON.stringify(want[i])}`);
        return;
      }
    }
  };
  compare('net_revenue',
    await duck(`SELECT category, net_revenue, events FROM read_parquet('${out}/net_revenue.parquet') ORDER BY category`),
    await duck(`SELECT category, round(sum(net), 2) AS net_revenue, count(*) AS events FROM ${recent} GROUP BY category ORDER BY category`),
    'category', ['events'], ['net_revenue']);
  compare('revenue_by_country',
    await duck(`SELECT country || '/' || tier AS k, events, users, net_revenue FROM read_csv('${out}/revenue_by_country.csv', header = true) ORDER BY k`),
    await duck(`SELECT u.country || '/' || u.tier AS k, count(*) AS events, count(DISTINCT e.user_id) AS users, round(sum(e.net), 2) AS net_revenue
                FROM ${recent} e JOIN read_csv('${usersCsv}', header = true) u USING (user_id) GROUP BY ALL ORDER BY k`),
    'k', ['events', 'users'], ['net_revenue']);
  compare('monthly_by_region',
    await duck(`SELECT strftime(month, '%Y-%m') || '/' || region AS k, region_code, net_revenue
                FROM read_parquet('${out}/monthly_by_region/*/*.parquet', hive_partitioning = true) ORDER BY k`),
    await duck(`SELECT strftime(date_trunc('month', timestamp), '%Y-%m') || '/' || region AS k, upper(region) AS region_code,
                round(sum(net), 2) AS net_revenue FROM ${recent} GROUP BY ALL ORDER BY k`),
    'k', ['region_code'], ['net_revenue']);
  return problems;
}

// 1. The example pipeline: outputs, their contents, the manifest.
const out = path.join(work, 'out');
let firstRun = new Map();
{
  const r = run(['run', example, ...vars(out)]);
  check('the example pipeline runs and commits three outputs', r.status === 0 && r.stdout.includes('3 outputs committed'), show(r));
  const files = ['net_revenue.parquet', 'revenue_by_country.csv', '_sluice_manifest.json'];
  const partitions = fs.existsSync(path.join(out, 'monthly_by_region')) ? fs.readdirSync(path.join(out, 'monthly_by_region')) : [];
  check('it writes the three outputs and the manifest (monthly_by_region as region=... folders)',
    files.every((f) => fs.existsSync(path.join(out, f))) && partitions.length > 1 && partitions.every((p) => p.startsWith('region=')),
    `${fs.existsSync(out) ? fs.readdirSync(out).join(' ') : 'no output folder'}; partitions ${partitions.join(' ')}`);
  check('the run leaves no staging folder', stagingFolders(out).length === 0, stagingFolders(out).join('\n'));
  for (const sink of SINKS) {
    check(`the summary shows rows for ${sink}`, /\s\d[\d,]*\s/.test(summaryRow(r.stdout, sink)), summaryRow(r.stdout, sink));
  }
  const problems = await compareOutputs(out);
  check('net_revenue, revenue_by_country and monthly_by_region equal the same queries in DuckDB', problems.length === 0, problems.join('\n'));

  const m = readManifest(out);
  check('the manifest has its keys in order, timings last',
    JSON.stringify(Object.keys(m)) === JSON.stringify(['manifest_version', 'pipeline', 'pipeline_file', 'pipeline_hash', 'sluice_version',
      'variables', 'inputs', 'sinks', 'tests', 'timings']), Object.keys(m).join(', '));
  check('the manifest names the pipeline, its file hash and the variables used',
    m.pipeline === 'revenue' && m.pipeline_file === 'revenue.toml' && /^[0-9a-f]{16}$/.test(m.pipeline_hash) &&
      m.variables?.DATA_DIR === data && m.variables?.OUT_DIR === out, JSON.stringify({ ...m, inputs: undefined, sinks: undefined, tests: undefined }));
  const inputFiles = [...fs.readdirSync(path.join(data, 'events')).map((f) => path.join(data, 'events', f)), usersCsv].sort();
  const listed = (m.inputs ?? []).map((i) => ({ ...i, abs: path.resolve(exampleDir, i.path) }));
  check('the manifest lists every input file with its size and content hash',
    JSON.stringify(listed.map((i) => i.abs).sort()) === JSON.stringify(inputFiles) &&
      listed.every((i) => i.bytes === fs.statSync(i.abs).size && /^[0-9a-f]{16}$/.test(i.hash)) &&
      new Set(listed.map((i) => i.hash)).size === listed.length,
    JSON.stringify(m.inputs, null, 1) + '\nexpected ' + inputFiles.join(' '));
  const counts = {
    net_revenue: Number((await duck(`SELECT count(*) AS n FROM read_parquet('${out}/net_revenue.parquet')`))[0].n),
    revenue_by_country: Number((await duck(`SELECT count(*) AS n FROM read_csv('${out}/revenue_by_country.csv', header = true)`))[0].n),
    monthly_by_region: Number((await duck(`SELECT count(*) AS n FROM read_parquet('${out}/monthly_by_region/*/*.parquet')`))[0].n),
  };
  const partFiles = [...snapshot(path.join(out, 'monthly_by_region'))].filter(([, e]) => e.kind === 'file');
  for (const sink of SINKS) {
    const record = (m.sinks ?? []).find((s) => s.name === sink);
    const target = path.join(out, sink === 'monthly_by_region' ? sink : sink === 'net_revenue' ? `${sink}.parquet` : `${sink}.csv`);
    const bytes = sink === 'monthly_by_region' ? partFiles.reduce((n, [, e]) => n + e.size, 0) : fs.statSync(target).size;
    let ok = record && record.rows === counts[sink] && record.bytes === bytes && /^[0-9a-f]{16}$/.test(record.hash ?? '') &&
      /^[0-9a-f]{16}$/.test(record.fingerprint ?? '') && record.inputs?.length > 0;
    if (ok && sink === 'monthly_by_region') {
      ok = JSON.stringify(record.files.map((f) => [f.path, f.bytes])) === JSON.stringify(partFiles.map(([p, e]) => [p, e.size])) &&
        record.files.every((f) => /^[0-9a-f]{16}$/.test(f.hash));
    }
    check(`the manifest records ${sink}: rows, bytes, hash${sink === 'monthly_by_region' ? ', each partition file' : ''}`, ok,
      JSON.stringify(record) + `\nexpected rows ${counts[sink]}, bytes ${bytes}`);
  }
  const expectedTests = ['events not_null(timestamp)', 'events not_null(user_id)', 'events not_null(category)', 'users unique(user_id)',
    'users accepted_values(tier)', 'recent_events relationships(user_id -> users.user_id)', 'net_revenue not_null(category)',
    'net_revenue unique(category)', 'net_revenue row_count(min 1, max 24)', 'revenue_by_country unique(country, tier)',
    'revenue_by_country expect_empty'];
  const tests = (m.tests ?? []).map((t) => `${t.relation} ${t.label}`);
  check('the manifest has every data test\'s result, all passed',
    JSON.stringify([...tests].sort()) === JSON.stringify([...expectedTests].sort()) && m.tests.every((t) => t.passed === true) &&
      m.tests.find((t) => t.label.startsWith('row_count'))?.failing_rows === counts.net_revenue,
    JSON.stringify(m.tests, null, 1));
  check('the summary counts the data tests', r.stdout.includes(`data tests: ${expectedTests.length} passed, 0 failed`), r.stdout);
  firstRun = snapshot(out);
}

// 2. Determinism: copies of the example in two sibling folders (same relative paths, so the
// manifests can be equal), run at --threads 1 and --threads 4.
{
  const runs = {};
  for (const threads of [1, 4]) {
    const dir = path.join(work, 'det', `t${threads}`);
    const file = copyExample(dir);
    const r = run(['--threads', String(threads), 'run', file, '--var', `DATA_DIR=${data}`, '--var', 'OUT_DIR=out']);
    check(`the example runs at --threads ${threads}`, r.status === 0, show(r));
    runs[threads] = path.join(dir, 'out');
  }
  const [a, b] = [snapshot(runs[1]), snapshot(runs[4])];
  const diffs = snapshotDiff(a, b, { ignore: (p) => p === '_sluice_manifest.json' });
  check('--threads 1 and 4 write byte-identical outputs (every partition file too)',
    diffs.length === 0 && [...a.keys()].filter((p) => p.startsWith('monthly_by_region/') && p.endsWith('.parquet')).length > 1,
    diffs.join('\n'));
  const sameAsFirst = snapshotDiff(firstRun, a, { ignore: (p) => p === '_sluice_manifest.json' });
  check('and the same bytes as the run at the default thread count', sameAsFirst.length === 0, sameAsFirst.join('\n'));
  const [m1, m4] = [readManifest(runs[1]), readManifest(runs[4])];
  const [t1, t4] = [m1.timings, m4.timings];
  delete m1.timings;
  delete m4.timings;
  check('their manifests are identical once "timings" is removed', JSON.stringify(m1) === JSON.stringify(m4),
    JSON.stringify(m1, null, 1).slice(0, 3000) + '\n---\n' + JSON.stringify(m4, null, 1).slice(0, 3000));
  const text = (dir) => fs.readFileSync(path.join(dir, '_sluice_manifest.json'), 'utf8');
  const before = (s) => s.slice(0, s.indexOf('"timings"'));
  check('byte for byte up to "timings", which records the threads', before(text(runs[1])) === before(text(runs[4])) &&
    t1?.threads === 1 && t4?.threads === 4, JSON.stringify([t1, t4]));

  // Editing a model's SQL makes exactly the sinks that use it stale.
  const file = path.join(work, 'det', 't1', 'revenue.toml');
  fs.writeFileSync(file, exampleText.replace('upper(region) AS region_code', 'lower(region) AS region_code'));
  const edited = run(['run', file, '--var', `DATA_DIR=${data}`, '--var', 'OUT_DIR=out']);
  const changed = snapshotDiff(a, snapshot(runs[1]), { identity: true, ignore: (p) => p.startsWith('monthly_by_region') || p === '_sluice_manifest.json' });
  check('after an edit of monthly_by_region\'s SQL only that sink is rebuilt',
    edited.status === 0 && edited.stdout.includes('1 output committed') && !summaryRow(edited.stdout, 'monthly_by_region').includes('up to date') &&
      changed.length === 0, show(edited) + changed.join('\n'));
}

// 3. Up to date; a changed input rebuilds the sinks that read it; --force; --only.
{
  const before = snapshot(out);
  const again = run(['run', example, ...vars(out)]);
  check('a second run says every sink is up to date', again.status === 0 && SINKS.every((s) => summaryRow(again.stdout, s).includes('up to date')) &&
    again.stdout.includes('nothing to do'), show(again));
  const diffs = snapshotDiff(before, snapshot(out), { identity: true });
  check('and rewrites nothing (same inodes and mtimes, the manifest too)', diffs.length === 0, diffs.join('\n'));

  // One user who has recent events moves to another country: revenue_by_country changes.
  const [{ user_id: userId }] = await duck(`SELECT min(user_id) AS user_id FROM ${events} WHERE timestamp > TIMESTAMP '2023-06-01'`);
  const lines = usersOriginal.split('\n');
  const fields = lines[Number(userId)].split(',');
  const other = lines.slice(1).map((l) => l.split(',')[1]).find((c) => c && c !== fields[1]);
  check('users.csv has the user on its line', fields[0] === String(userId) && other, lines[Number(userId)]);
  fields[1] = other;
  lines[Number(userId)] = fields.join(',');
  fs.writeFileSync(usersCsv, lines.join('\n'));
  const oldManifest = readManifest(out);
  const changed = run(['run', example, ...vars(out)]);
  const after = snapshot(out);
  // Every sink reads recent_events, whose relationships test reads users.csv: all are stale.
  check('after users.csv changes, every sink guarded by a test reading it is rebuilt',
    changed.status === 0 && changed.stdout.includes('3 outputs committed') &&
      SINKS.every((s) => !summaryRow(changed.stdout, s).includes('up to date')), show(changed));
  const untouched = snapshotDiff(before, after, { ignore: (p) => p === 'revenue_by_country.csv' || p === '_sluice_manifest.json' });
  check('net_revenue and monthly_by_region keep their bytes', untouched.length === 0, untouched.join('\n'));
  check('revenue_by_country.csv is rewritten with other contents',
    rewritten(before, after, 'revenue_by_country.csv') && before.get('revenue_by_country.csv').sha !== after.get('revenue_by_country.csv').sha);
  const problems = await compareOutputs(out);
  check('the rebuilt output matches DuckDB over the changed users.csv', problems.length === 0, problems.join('\n'));
  const newManifest = readManifest(out);
  const hashOf = (m, suffix) => m.inputs.find((i) => i.path.endsWith(suffix))?.hash;
  const outputHash = (m, sink) => m.sinks.find((s) => s.name === sink)?.hash;
  check('the manifest records the new hash of users.csv, the same events and the same net_revenue output',
    hashOf(newManifest, 'users.csv') !== hashOf(oldManifest, 'users.csv') &&
      hashOf(newManifest, 'part-000.parquet') === hashOf(oldManifest, 'part-000.parquet') &&
      outputHash(newManifest, 'net_revenue') === outputHash(oldManifest, 'net_revenue') &&
      newManifest.sinks.length === 3, JSON.stringify(newManifest.inputs));

  const forced = run(['run', example, ...vars(out), '--force']);
  const afterForce = snapshot(out);
  check('--force rebuilds every sink', forced.status === 0 && forced.stdout.includes('3 outputs committed') &&
    SINKS.every((s) => !summaryRow(forced.stdout, s).includes('up to date')), show(forced));
  const outputs = [...after].filter(([p, e]) => e.kind === 'file' && p !== '_sluice_manifest.json').map(([p]) => p);
  const forceDiffs = snapshotDiff(after, afterForce, { ignore: (p) => p === '_sluice_manifest.json' });
  const withoutTimings = (m) => JSON.stringify({ ...m, timings: undefined });
  check('--force rewrites every output file (new inodes), with the same bytes and the same manifest apart from timings',
    outputs.every((p) => after.get(p).ino !== afterForce.get(p)?.ino) && forceDiffs.length === 0 &&
      withoutTimings(newManifest) === withoutTimings(readManifest(out)), forceDiffs.join('\n'));

  const only = run(['run', example, ...vars(out), '--force', '--only', 'net_revenue']);
  const afterOnly = snapshot(out);
  const others = snapshotDiff(afterForce, afterOnly, { identity: true, ignore: (p) => p === 'net_revenue.parquet' || p === '_sluice_manifest.json' });
  check('--only net_revenue --force runs only that sink', only.status === 0 && only.stdout.includes('1 output committed') &&
    summaryRow(only.stdout, 'net_revenue') !== '' && summaryRow(only.stdout, 'revenue_by_country') === '' &&
    rewritten(afterForce, afterOnly, 'net_revenue.parquet') && others.length === 0, show(only) + '\n' + others.join('\n'));

  // users.csv back as generated: every sink is stale again; --only one of them leaves the others.
  fs.writeFileSync(usersCsv, usersOriginal);
  const skip = run(['run', example, ...vars(out), '--only', 'monthly_by_region']);
  const afterSkip = snapshot(out);
  const monthlyFiles = [...afterSkip.keys()].filter((p) => p.startsWith('monthly_by_region/') && afterSkip.get(p).kind === 'file');
  check('--only monthly_by_region rebuilds it (a test of what it reads read the changed users.csv), to the first run\'s bytes, and leaves the stale revenue_by_country alone',
    skip.status === 0 && skip.stdout.includes('1 output committed') && monthlyFiles.length > 0 &&
      monthlyFiles.every((p) => afterSkip.get(p).sha === firstRun.get(p)?.sha) &&
      snapshotDiff(afterOnly, afterSkip, { identity: true, ignore: (p) => p.startsWith('monthly_by_region') || p === '_sluice_manifest.json' }).length === 0,
    show(skip));
  const stale = run(['run', example, ...vars(out), '--only', 'revenue_by_country']);
  const afterStale = snapshot(out);
  check('--only revenue_by_country rebuilds it, back to the first run\'s bytes, and nothing else',
    stale.status === 0 && stale.stdout.includes('1 output committed') &&
      afterStale.get('revenue_by_country.csv')?.sha === firstRun.get('revenue_by_country.csv')?.sha &&
      snapshotDiff(afterSkip, afterStale, { identity: true, ignore: (p) => p === 'revenue_by_country.csv' || p === '_sluice_manifest.json' }).length === 0,
    show(stale));
  const m = readManifest(out);
  check('after --only runs the manifest still has every sink and every test result',
    m.sinks.length === 3 && m.tests.length === 11 && m.tests.every((t) => t.passed) &&
      hashOf(m, 'users.csv') === hashOf(readManifest(path.join(work, 'det', 't1', 'out')), 'users.csv'),
    JSON.stringify({ sinks: m.sinks.map((s) => s.name), tests: m.tests.length }));
  check('and no staging folder remains', stagingFolders(out).length === 0, stagingFolders(out).join('\n'));

  // An output deleted or edited by hand is not up to date: the run puts it back.
  const beforeEdit = snapshot(out);
  fs.rmSync(path.join(out, 'net_revenue.parquet'));
  fs.appendFileSync(path.join(out, 'revenue_by_country.csv'), 'XX,free,1,1,1.0\n');
  const repair = run(['run', example, ...vars(out)]);
  const afterRepair = snapshot(out);
  check('a deleted and an edited output are rebuilt, to the first run\'s bytes; the third is left alone',
    repair.status === 0 && repair.stdout.includes('2 outputs committed') && summaryRow(repair.stdout, 'monthly_by_region').includes('up to date') &&
      ['net_revenue.parquet', 'revenue_by_country.csv'].every((p) => afterRepair.get(p)?.sha === firstRun.get(p)?.sha) &&
      snapshotDiff(beforeEdit, afterRepair, { identity: true, ignore: (p) => !p.startsWith('monthly_by_region') }).length === 0,
    show(repair));

  // Settings that do not change results (threads, memory limit) do not make a sink stale.
  const settings = run(['--threads', '1', '--memory-limit', '2GB', 'run', example, ...vars(out)]);
  check('--threads and --memory-limit do not make sinks stale', settings.status === 0 && settings.stdout.includes('nothing to do'), show(settings));
}

// 3b. A file that only a data test reads is an input too: the example without its users sink,
// so users.csv is read only by recent_events' relationships test (and models that are only
// tested). Deleting a user who has events must make the run test again and fail, not skip.
{
  const dir = path.join(work, 'test_input');
  const relData = path.join(dir, 'data');
  fs.mkdirSync(relData, { recursive: true });
  fs.cpSync(path.join(data, 'events'), path.join(relData, 'events'), { recursive: true });
  fs.writeFileSync(path.join(relData, 'users.csv'), usersOriginal);
  const file = copyExample(dir, (t) => t.slice(0, t.indexOf('[sinks.revenue_by_country]')));
  const relOut = path.join(dir, 'out');
  const first = run(['run', file, ...vars(relOut, relData)]);
  check('the example with only the net_revenue sink runs', first.status === 0 && first.stdout.includes('1 output committed'), show(first));
  check('its manifest lists users.csv (read by a data test) among the inputs',
    readManifest(relOut).inputs.some((i) => i.path.endsWith('users.csv')), JSON.stringify(readManifest(relOut).inputs.map((i) => i.path)));
  const [{ user_id: userId }] = await duck(`SELECT min(user_id) AS user_id FROM ${events} WHERE timestamp > TIMESTAMP '2023-06-01'`);
  const lines = usersOriginal.split('\n').filter((line) => !line.startsWith(`${userId},`));
  fs.writeFileSync(path.join(relData, 'users.csv'), lines.join('\n'));
  const before = snapshot(relOut);
  const r = run(['run', file, ...vars(relOut, relData)]);
  check('after users.csv loses a referenced user, net_revenue is not up to date: the relationships test runs and fails',
    r.status === 1 && r.stdout.includes('FAIL relationships(user_id -> users.user_id) of recent_events'), show(r));
  const diffs = snapshotDiff(before, snapshot(relOut), { identity: true });
  check('and the output stays as it was', diffs.length === 0, diffs.join('\n'));
}

// 4. All or nothing: a failing data test leaves the earlier outputs exactly as they were.
{
  const dir = path.join(work, 'failing');
  const good = copyExample(path.join(dir, 'good'));
  const failOut = path.join(dir, 'out');
  const first = run(['run', good, ...vars(failOut)]);
  check('the failing-test scenario starts from a successful run', first.status === 0, show(first));
  const before = snapshot(failOut);

  const rowCount = copyExample(path.join(dir, 'row_count'), (t) => t.replace('row_count = { min = 1, max = 24 }', 'row_count = { min = 1, max = 5 }'));
  const rowCountLine = lineOf(fs.readFileSync(rowCount, 'utf8'), 'max = 5');
  const r = run(['run', rowCount, ...vars(failOut), '--force']);
  const output = r.stdout + r.stderr;
  check('a failing row_count test exits 1 and names the test, its detail and the pipeline file line',
    r.status === 1 && output.includes(`FAIL row_count(min 1, max 5) of net_revenue: 24 rows, expected between 1 and 5 (${rowCount}:${rowCountLine})`) &&
      r.stderr.includes('1 data test failed; no output was changed'), show(r));
  let diffs = snapshotDiff(before, snapshot(failOut), { identity: true });
  check('every earlier output (and the manifest) is unchanged, byte for byte and inode', diffs.length === 0, diffs.join('\n'));
  check('no staging folder remains after the failed test', stagingFolders(dir).length === 0, stagingFolders(dir).join('\n'));
  // net_revenue was computed into its staging folder before its test failed; it was discarded.
  check('the summary does not show the discarded net_revenue output as written',
    /not written|discarded/.test(summaryRow(r.stdout, 'net_revenue')), summaryRow(r.stdout, 'net_revenue'));

  const accepted = copyExample(path.join(dir, 'accepted'),
    (t) => t.replace('tier = ["free", "basic", "pro", "enterprise"]', 'tier = ["free", "basic", "pro"]'));
  const acceptedLine = lineOf(fs.readFileSync(accepted, 'utf8'), 'accepted_values');
  const [{ n: enterprise }] = await duck(`SELECT count(*) AS n FROM read_csv('${usersCsv}', header = true) WHERE tier = 'enterprise'`);
  const a = run(['run', accepted, ...vars(failOut)]);
  check('a failing accepted_values test exits 1 naming the value not accepted and the line',
    a.status === 1 && (a.stdout + a.stderr).includes(`FAIL accepted_values(tier) of users: values not accepted: 'enterprise' (${enterprise} rows) (${accepted}:${acceptedLine})`),
    show(a));
  diffs = snapshotDiff(before, snapshot(failOut), { identity: true });
  check('the outputs are still unchanged, and no staging folder remains', diffs.length === 0 && stagingFolders(dir).length === 0,
    diffs.join('\n') + stagingFolders(dir).join('\n'));

  // An error while running (a cast that fails on the data, in the last sink, after the others
  // were staged) and an error in a model's SQL file: the same all or nothing.
  const cast = copyExample(path.join(dir, 'cast'), (t) => t.replace('upper(region) AS region_code', 'CAST(region AS INTEGER) AS region_code'));
  const c = run(['run', cast, ...vars(failOut), '--force']);
  check('a run that fails while running exits 1 naming the error', c.status === 1 && c.stderr.includes('cannot cast'), show(c));
  check('the runtime error names the model (or sink) it happened in', c.stderr.includes('monthly_by_region'), show(c));
  diffs = snapshotDiff(before, snapshot(failOut), { identity: true });
  check('after the runtime error the outputs are unchanged and no staging folder remains', diffs.length === 0 && stagingFolders(dir).length === 0,
    diffs.join('\n') + stagingFolders(dir).join('\n'));
  const sqlFile = copyExample(path.join(dir, 'sql_file'));
  const modelFile = path.join(dir, 'sql_file', 'models', 'revenue_by_country.sql');
  fs.writeFileSync(modelFile, fs.readFileSync(modelFile, 'utf8').replace('u.tier,', 'u.tierr,'));
  const f = run(['run', sqlFile, ...vars(failOut)]);
  check('an error in a model\'s SQL file names the model, the file and the SQL position',
    f.status === 1 && f.stderr.includes('model revenue_by_country (models/revenue_by_country.sql): line 2, column 19: column "u.tierr" not found'),
    show(f));
  diffs = snapshotDiff(before, snapshot(failOut), { identity: true });
  check('and leaves the outputs unchanged, no staging folder', diffs.length === 0 && stagingFolders(dir).length === 0,
    diffs.join('\n') + stagingFolders(dir).join('\n'));
}

// 5. SIGKILL midway: a sort of 4M events runs for seconds; the earlier outputs (of a run on the
// small data) stay as they were and the janitor removes the staging folders.
{
  const big = path.join(work, 'big');
  const made = run(['--quiet', 'generate', big, '--rows', '4000000', '--files', '8']);
  check('generate writes 4M events for the kill test', made.status === 0, show(made));
  const dir = path.join(work, 'kill');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'heavy.toml');
  fs.writeFileSync(file, `name = "heavy"
[sources.events]
path = "\${DATA_DIR}/events/*.parquet"

[models.by_category]
sql = "SELECT category, count(*) AS n, round(sum(revenue), 2) AS revenue FROM events GROUP BY category ORDER BY category"

[models.sorted]
sql = "SELECT sku, timestamp, user_id, revenue FROM events ORDER BY sku, timestamp, user_id"

[sinks.by_category]
model = "by_category"
path = "\${OUT_DIR}/by_category.parquet"

[sinks.sorted]
model = "sorted"
path = "\${OUT_DIR}/sorted.parquet"
`);
  const killOut = path.join(dir, 'out');
  const first = run(['run', file, ...vars(killOut)]);
  check('the kill scenario starts from a successful run on the small data', first.status === 0, show(first));
  const before = snapshot(killOut);

  const child = spawn(sluice, ['run', file, ...vars(killOut, big)], { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  child.stdout.on('data', () => {});
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const started = Date.now();
  // Running: a staging folder exists and holds the first sink's finished output, so the sort runs.
  let staged = null;
  while (Date.now() - started < 60000 && child.exitCode === null) {
    const folder = fs.readdirSync(killOut).find((f) => f.startsWith('.sluice-staging-'));
    if (folder && fs.existsSync(path.join(killOut, folder, 'out', 'by_category.parquet'))) {
      staged = folder;
      break;
    }
    await sleep(10);
  }
  await sleep(300);
  const running = child.exitCode === null && child.signalCode === null;
  check('the run is still running when killed (staging folder present, first sink staged, 300 ms later)', staged !== null && running,
    `staging ${staged}, exit ${child.exitCode}, after ${Date.now() - started} ms\n${stderr}`);
  try {
    process.kill(child.pid, 'SIGKILL');
  } catch {
    // It had ended already: the check above failed, and the ones below say how.
  }
  const { signal } = await exited;
  check('the run died of SIGKILL', signal === 'SIGKILL', `signal ${signal}`);

  let left = stagingFolders(killOut);
  const killedAt = Date.now();
  while (left.length > 0 && Date.now() - killedAt < 5000) {
    await sleep(50);
    left = stagingFolders(killOut);
  }
  check('within 5 s no staging folder remains (the janitor removed them)', left.length === 0,
    `after ${Date.now() - killedAt} ms: ${left.join(' ')}`);
  // The janitor is a fork of the run (same command line): it must be gone once it cleaned up.
  const runProcesses = () => fs.readdirSync('/proc').filter((pid) => /^\d+$/.test(pid)).filter((pid) => {
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(file);
    } catch {
      return false;  // Exited meanwhile.
    }
  });
  let lingering = runProcesses();
  while (lingering.length > 0 && Date.now() - killedAt < 5000) {
    await sleep(50);
    lingering = runProcesses();
  }
  check('no process of the killed run remains (the janitor exited)', lingering.length === 0, `pids ${lingering.join(' ')}`);
  const diffs = snapshotDiff(before, snapshot(killOut), { identity: true });
  check('the earlier outputs are byte-for-byte unchanged after the kill', diffs.length === 0, diffs.join('\n'));

  const again = run(['run', file, ...vars(killOut, big)]);
  const after = snapshot(killOut);
  check('a normal run afterwards succeeds and writes the new outputs',
    again.status === 0 && again.stdout.includes('2 outputs committed') && after.get('by_category.parquet')?.sha !== before.get('by_category.parquet')?.sha &&
      readManifest(killOut).sinks.find((s) => s.name === 'sorted')?.rows === 4000000 && stagingFolders(killOut).length === 0,
    show(again));
}

// 6. Errors in pipeline files: exit 1, the message and its line, nothing written.
{
  const dir = path.join(work, 'errors');
  fs.mkdirSync(dir, { recursive: true });
  const header = `name = "bad"\n[sources.events]\npath = "${data}/events/*.parquet"\n`;
  const cases = [
    ['unknown key', 'unknown_key', `${header}[models.m]\nsql = "SELECT category FROM events"\n[sinks.m]\nmodel = "m"\npath = "out/m.parquet"\ncompresion = "zstd"\n`,
      [':9:', 'unknown key "compresion" in [sinks.m]', 'did you mean "compression"?']],
    ['a sink naming a missing model', 'missing_model', `${header}[models.totals]\nsql = "SELECT category FROM events"\n[sinks.totals]\nmodel = "totls"\npath = "out/m.parquet"\n`,
      [':7:', '[sinks.totals] model "totls" is not a model or source', 'did you mean "totals"?']],
    ['a model reading a name that is neither a source nor a model',
      'neither', `${header}[models.totals]\nsql = """\nSELECT category\nFROM evnts\n"""\n[sinks.totals]\nmodel = "totals"\npath = "out/m.parquet"\n`,
      [':7: model totals:', 'table "evnts" is not a source or model of the pipeline', 'did you mean "events"?']],
    ['a cycle between two models', 'cycle',
      `${header}[models.a]\nsql = "SELECT * FROM b"\n[models.b]\nsql = "SELECT * FROM a"\n[sinks.a]\nmodel = "a"\npath = "out/a.parquet"\n`,
      ['models form a cycle: a -> b -> a']],
    ['an unknown column in a model', 'sql_error',
      `${header}[models.totals]\nsql = """\nSELECT category,\n       sum(revenu) AS revenue\nFROM events\nGROUP BY category\n"""\n[sinks.totals]\nmodel = "totals"\npath = "out/m.parquet"\n`,
      [':7: model totals: line 2, column 12:', 'column "revenu" not found', 'did you mean "revenue"?', '         sum(revenu) AS revenue\n             ^']],
    ['a syntax error in a model', 'syntax_error',
      `${header}[models.totals]\nsql = """\nSELECT category, count(*) AS n\nFROM events\nGROUP category\n"""\n[sinks.totals]\nmodel = "totals"\npath = "out/m.parquet"\n`,
      [':8: model totals: line 3, column 7:', '\n  GROUP category\n        ^']],
    ['a missing ${VAR}', 'missing_var',
      `name = "bad"\n[sources.events]\npath = "\${NO_SUCH_DIR}/events/*.parquet"\n[models.totals]\nsql = "SELECT category FROM events"\n[sinks.totals]\nmodel = "totals"\npath = "out/m.parquet"\n`,
      [':3:', 'undefined variable ${NO_SUCH_DIR}', '--var NO_SUCH_DIR=']],
    ['a source whose glob matches no file', 'missing_file',
      `name = "bad"\n[sources.events]\npath = "${data}/nothing/*.parquet"\n[models.totals]\nsql = "SELECT category FROM events"\n[sinks.totals]\nmodel = "totals"\npath = "out/m.parquet"\n`,
      [':2: source events:', `no files match '${data}/nothing/*.parquet'`]],
  ];
  for (const [what, name, text, parts] of cases) {
    const file = path.join(dir, `${name}.toml`);
    fs.writeFileSync(file, text);
    const r = run(['run', file]);
    const missing = parts.filter((p) => !r.stderr.includes(p));
    check(`${what}: exit 1 with the message (${parts[0]} ...)`, r.status === 1 && r.stderr.startsWith(`sluice: error: ${file}`) && missing.length === 0,
      `missing ${JSON.stringify(missing)}\n${show(r)}`);
    const written = [...snapshot(dir).keys()].filter((p) => !p.endsWith('.toml'));
    check(`${what}: no output or staging file is created`, written.length === 0, written.join('\n'));
  }
  const graph = run(['graph', path.join(dir, 'cycle.toml')]);
  check('sluice graph reports the cycle too', graph.status === 1 && graph.stderr.includes('models form a cycle: a -> b -> a'), show(graph));
}

// 7. sluice graph and --dry-run.
{
  const g = run(['graph', example, ...vars(out)]);
  const nodes = ['source:events', 'source:users', 'model:recent_events', 'model:net_revenue', 'model:revenue_by_country',
    'model:monthly_by_region', 'sink:net_revenue', 'sink:revenue_by_country', 'sink:monthly_by_region'];
  const edges = [['source:events', 'model:recent_events'], ['model:recent_events', 'model:net_revenue'],
    ['model:recent_events', 'model:revenue_by_country'], ['source:users', 'model:revenue_by_country'],
    ['model:recent_events', 'model:monthly_by_region'], ['model:net_revenue', 'sink:net_revenue'],
    ['model:revenue_by_country', 'sink:revenue_by_country'], ['model:monthly_by_region', 'sink:monthly_by_region']];
  const dotEdges = g.stdout.split('\n').map((l) => l.trim()).filter((l) => /^"[^"]+" -> "[^"]+";$/.test(l));
  const missingNodes = nodes.filter((n) => !new RegExp(`^\\s*"${n}" \\[.*label=`, 'm').test(g.stdout));
  check('sluice graph prints DOT with every source, model and sink node',
    g.status === 0 && g.stdout.startsWith('digraph "revenue" {') && g.stdout.trimEnd().endsWith('}') && missingNodes.length === 0,
    `missing ${missingNodes.join(' ')}\n${show(g)}`);
  check('and exactly the edges of the DAG',
    JSON.stringify(dotEdges.sort()) === JSON.stringify(edges.map(([a, b]) => `"${a}" -> "${b}";`).sort()), dotEdges.join('\n'));

  const dry = path.join(work, 'dry');
  const d = run(['run', example, ...vars(dry), '--dry-run']);
  check('--dry-run prints each sink\'s plan', d.status === 0 && SINKS.every((s) => d.stdout.includes(`== sink ${s} -> ${dry}/`)) &&
    (d.stdout.match(/Scan parquet/g) ?? []).length >= 3 && d.stdout.includes('3 sinks planned, nothing written'), show(d));
  check('--dry-run writes nothing', !fs.existsSync(dry), fs.existsSync(dry) ? [...snapshot(dry).keys()].join('\n') : '');
  const before = snapshot(out);
  const over = run(['run', example, ...vars(out), '--dry-run', '--force']);
  const diffs = snapshotDiff(before, snapshot(out), { identity: true });
  check('--dry-run over existing outputs leaves them untouched', over.status === 0 && diffs.length === 0, diffs.join('\n') + show(over));
}

con.closeSync();
finish();
