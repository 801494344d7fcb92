// End-to-end tests of larger-than-memory runs: a sort, a group-by, a distinct, every kind of
// join and windows (with and without PARTITION BY) over generated data, each written to Parquet
// once without a limit and once under a --memory-limit (96MB) far below what it holds, and a copy
// whose one row group is larger than a 56MB budget; the files must be byte-identical (spilled or
// not, the output is the same) and the runs must have spilled (EXPLAIN ANALYZE says so). The
// spill folder (--temp-dir) is empty after each run, a run killed mid-spill leaves a folder the
// next run removes, and a budget too small for anything is a clear error with no output file.
// Usage: node spill.mjs SLUICE_BIN WORK_DIR
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { check, finish } from '../lib/check.mjs';

const [sluice, work] = process.argv.slice(2);
if (!sluice || !fs.existsSync(sluice)) {
  console.error(`usage: node spill.mjs SLUICE_BIN WORK_DIR (no program at '${sluice}')`);
  process.exit(1);
}
fs.rmSync(work, { recursive: true, force: true });
fs.mkdirSync(work, { recursive: true });
const temp = path.join(work, 'temp');

function run(args) {
  const result = spawnSync(sluice, ['--temp-dir', temp, ...args], { encoding: 'utf8', timeout: 300000 });
  return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}
const show = (r) => `status ${r.status}\n--- stdout\n${r.stdout}--- stderr\n${r.stderr}`;
const digest = (file) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const leftovers = () => (fs.existsSync(temp) ? fs.readdirSync(temp) : []);

const data = path.join(work, 'data');
const generated = run(['generate', '--rows', '1000000', data]);
check('sluice generate writes the events', generated.status === 0, show(generated));
const events = `'${data}/events/*.parquet'`;
const users = `'${data}/users.parquet'`;

const queries = {
  sort: `SELECT * FROM ${events} ORDER BY sku DESC, user_id`,
  'group-by': `SELECT sku, count(*) AS n, sum(revenue) AS revenue, avg(discount) AS discount, min(region) AS region FROM ${events} GROUP BY sku`,
  distinct: `SELECT DISTINCT sku, category FROM ${events}`,
  // The joins hold their right side unless the left one is clearly smaller: here the events, so
  // that it is what spills (the inner join of users and events would hold the users).
  'inner join': `SELECT a.timestamp, a.sku, b.revenue FROM ${events} a JOIN ${events} b ON a.timestamp = b.timestamp AND a.user_id = b.user_id AND a.sku = b.sku`,
  'left join': `SELECT u.user_id, e.sku FROM (SELECT * FROM ${users} UNION ALL SELECT -user_id, country, signup_date, tier FROM ${users}) u LEFT JOIN ${events} e ON u.user_id = e.user_id`,
  'full join': `SELECT u.user_id, e.sku FROM (SELECT * FROM ${users} WHERE user_id % 2 = 0) u FULL JOIN ${events} e ON u.user_id = e.user_id`,
  'semi join': `SELECT * FROM ${events} WHERE user_id IN (SELECT user_id FROM ${events} WHERE quantity > 0)`,
  window: `SELECT *, row_number() OVER (PARTITION BY user_id ORDER BY timestamp) AS n, sum(revenue) OVER (PARTITION BY user_id ORDER BY timestamp, sku) AS running, lag(sku) OVER (PARTITION BY user_id, region ORDER BY revenue DESC) AS previous FROM ${events}`,
  // No PARTITION BY: the rows are sorted into window order on disk, the windows computed as a
  // stream, and the results sorted back into input order on disk.
  'window without partitions': `SELECT *, row_number() OVER (ORDER BY timestamp, user_id) AS n, lag(revenue) OVER (ORDER BY timestamp, user_id) AS previous, sum(quantity) OVER (ORDER BY timestamp, user_id) AS running FROM ${events}`,
  // No PARTITION BY common to all: one external sort per specification, one after the other.
  'windows of several specifications': `SELECT *, row_number() OVER (ORDER BY timestamp, user_id) AS n, sum(revenue) OVER (PARTITION BY sku ORDER BY timestamp, user_id) AS s, lag(timestamp) OVER (PARTITION BY region ORDER BY timestamp, user_id) AS l, lead(sku, 2) OVER (ORDER BY timestamp, user_id) AS following, count(*) OVER (PARTITION BY category) AS c FROM ${events}`,
  // A share of the total: every row waits, on disk, for the last one.
  'window over all rows': `SELECT *, revenue / sum(revenue) OVER () AS share, count(*) OVER () AS n FROM ${events}`,
};
const limits = {};
for (const [name, sql] of Object.entries(queries)) {
  const limit = limits[name] ?? '96MB';
  const free = path.join(work, `${name.replaceAll(' ', '-')}-free.parquet`);
  const tight = path.join(work, `${name.replaceAll(' ', '-')}-tight.parquet`);
  const a = run(['query', `COPY (${sql}) TO '${free}' (FORMAT parquet)`]);
  const b = run(['--memory-limit', limit, 'query', `COPY (${sql}) TO '${tight}' (FORMAT parquet)`]);
  check(`${name}: runs without a limit and under ${limit}`, a.status === 0 && b.status === 0, show(a) + show(b));
  if (a.status === 0 && b.status === 0) {
    check(`${name}: the spilled output is byte-identical`, digest(free) === digest(tight));
  }
  // EXPLAIN ANALYZE runs the query itself: it counts the rows and holds none, so a result many
  // times the budget is fine.
  const analyzed = run(['--memory-limit', limit, 'explain', '--analyze', sql]);
  check(`${name}: explain --analyze shows the spill`, analyzed.status === 0 && /spilled [0-9.]+ [KMG]i?B/.test(analyzed.stdout), show(analyzed));
  if (a.status === 0) {
    const counted = run(['query', `SELECT count(*) AS n FROM '${free}'`]);
    const expected = (counted.stdout.match(/│\s*(\d+)\s*│/) || [])[1];
    const reported = ((analyzed.stdout.match(/\n([\d,]+) rows? in /) || [])[1] || '').replaceAll(',', '');
    check(`${name}: explain --analyze counts every row (${expected})`, expected !== undefined && reported === expected, show(analyzed) + show(counted));
  }
  check(`${name}: the spill folder is empty afterwards`, leftovers().length === 0, leftovers().join(', '));
}

// A Parquet writer buffers its open row group as encoded pages until the group is complete: here
// all 1M rows are one group, more than a 56MB budget holds beside the scan and the writer's
// dictionaries (several MB at their peak, tables included; it runs from about 40MB). The
// writer's pages spill (before, this was an out-of-memory error) and the file is byte-identical.
{
  const sql = `SELECT * FROM ${events}`;
  const free = path.join(work, 'copy-free.parquet');
  const tight = path.join(work, 'copy-tight.parquet');
  const a = run(['query', `COPY (${sql}) TO '${free}' (FORMAT parquet)`]);
  const b = run(['--memory-limit', '56MB', 'query', `COPY (${sql}) TO '${tight}' (FORMAT parquet)`]);
  check('a row group larger than the budget: written without a limit and under 56MB', a.status === 0 && b.status === 0, show(a) + show(b));
  if (a.status === 0 && b.status === 0) {
    check('a row group larger than the budget: the spilled file is byte-identical', digest(free) === digest(tight));
  }
  check('a row group larger than the budget: the spill folder is empty afterwards', leftovers().length === 0, leftovers().join(', '));
}

// A partitioned write with 100 open files: each partition's rows wait for a whole row group, and
// under the budget they wait in spill files. Parquet and CSV, the same files as without a limit.
{
  const folderDigest = (root) => {
    const hash = crypto.createHash('sha256');
    const walk = (dir) => {
      for (const name of fs.readdirSync(dir).sort()) {
        const full = path.join(dir, name);
        if (fs.statSync(full).isDirectory()) walk(full);
        else hash.update(path.relative(root, full)).update(fs.readFileSync(full));
      }
    };
    walk(root);
    return hash.digest('hex');
  };
  for (const format of ['parquet', 'csv']) {
    const sql = `SELECT *, user_id % 100 AS bucket FROM ${events}`;
    const free = path.join(work, `partitioned-free-${format}`);
    const tight = path.join(work, `partitioned-tight-${format}`);
    const a = run(['query', `COPY (${sql}) TO '${free}' (FORMAT ${format}, PARTITION_BY (bucket))`]);
    const b = run(['--memory-limit', '40MB', 'query', `COPY (${sql}) TO '${tight}' (FORMAT ${format}, PARTITION_BY (bucket))`]);
    const name = `a ${format} write into 100 partitions`;
    check(`${name}: written without a limit and under 40MB`, a.status === 0 && b.status === 0, show(a) + show(b));
    if (a.status === 0 && b.status === 0) {
      check(`${name}: 100 folders`, fs.readdirSync(tight).length === 100, fs.readdirSync(tight).join(', '));
      check(`${name}: the files are byte-identical`, folderDigest(free) === folderDigest(tight));
    }
    check(`${name}: the spill folder is empty afterwards`, leftovers().length === 0, leftovers().join(', '));
  }
}

// A run killed in the middle of spilling leaves its folder; the next run that spills removes it.
{
  const child = spawn(sluice, ['--temp-dir', temp, '--memory-limit', '96MB', 'query',
    `COPY (${queries.sort}) TO '${path.join(work, 'killed.parquet')}' (FORMAT parquet)`]);
  const started = Date.now();
  while (leftovers().length === 0 && Date.now() - started < 20000) await new Promise((r) => setTimeout(r, 20));
  child.kill('SIGKILL');
  await new Promise((r) => child.on('exit', r));
  const left = leftovers();
  check('a run killed mid-spill leaves its spill folder', left.length === 1 && left[0].startsWith('sluice-spill-'), left.join(', '));
  check('and no output file', !fs.existsSync(path.join(work, 'killed.parquet')));
  const next = run(['--memory-limit', '96MB', 'query', `COPY (${queries.sort}) TO '${path.join(work, 'after.parquet')}' (FORMAT parquet)`]);
  check('the next run sweeps it and leaves nothing', next.status === 0 && leftovers().length === 0, show(next) + leftovers().join(', '));
}

// Too small for anything: a clear error naming the operator, exit 1, no output file.
{
  const out = path.join(work, 'tiny.parquet');
  const r = run(['--memory-limit', '1MB', 'query', `COPY (${queries.sort}) TO '${out}' (FORMAT parquet)`]);
  check('a budget too small is an out-of-memory error, not a crash', r.status === 1 && /sluice: error: .*memory limit/.test(r.stderr), show(r));
  check('and writes no output file', !fs.existsSync(out));
}

finish();
