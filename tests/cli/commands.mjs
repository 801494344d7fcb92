// End-to-end tests of the sluice command line: usage and exit statuses, what `schema` and `head`
// print, and the reproducibility of `generate` and `convert` across thread counts.
// Usage: node commands.mjs SLUICE_BIN WORK_DIR
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { check, finish } from '../lib/check.mjs';

const [sluice, work] = process.argv.slice(2);
if (!sluice || !fs.existsSync(sluice)) {
  console.error(`usage: node commands.mjs SLUICE_BIN WORK_DIR (no program at '${sluice}')`);
  process.exit(1);
}
fs.rmSync(work, { recursive: true, force: true });
fs.mkdirSync(work, { recursive: true });

function run(...args) {
  const result = spawnSync(sluice, args, { encoding: 'utf8', timeout: 60000 });
  return { status: result.status, signal: result.signal, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}
const same = (a, b) => Buffer.compare(fs.readFileSync(a), fs.readFileSync(b)) === 0;

// Usage and exit statuses.
{
  const version = run('--version');
  check('--version prints the version and exits 0', version.status === 0 && /^sluice \d+\.\d+\.\d+/.test(version.stdout), version.stdout);
  const help = run('--help');
  check('--help lists the subcommands', help.status === 0 && /convert/.test(help.stdout) && /schema/.test(help.stdout) && /head/.test(help.stdout));
  const unknown = run('frobnicate');
  check('an unknown subcommand exits 2 with sluice: error:', unknown.status === 2 && unknown.stderr.startsWith('sluice: error:'), unknown.stderr);
  const missing = run('head');
  check('a missing argument exits 2', missing.status === 2, missing.stderr);
  const nofile = run('head', path.join(work, 'nope.parquet'));
  check('a missing file exits 1 naming it', nofile.status === 1 && nofile.stderr.includes('nope.parquet'), nofile.stderr);
  const badLimit = run('--memory-limit', 'lots', 'schema', 'x.parquet');
  check('a bad --memory-limit exits 2', badLimit.status === 2 && badLimit.stderr.includes('--memory-limit'), badLimit.stderr);
}

// A file with the logical types users know, written by DuckDB.
const typed = path.join(work, 'typed.parquet');
{
  const con = await (await DuckDBInstance.create(':memory:')).connect();
  await con.run(`COPY (SELECT TIMESTAMPTZ '2024-03-01 12:00:00+00' AS ts, 12.34::DECIMAL(15,2) AS price,
                   'héllo' AS name, NULL::INTEGER AS maybe, [1, 2] AS list
                 FROM range(3)) TO '${typed}' (FORMAT parquet)`);
}
{
  const schema = run('schema', typed);
  check('schema prints timestamp[us, UTC] and decimal(15,2)',
        schema.status === 0 && schema.stdout.includes('timestamp[us, UTC]') && schema.stdout.includes('decimal(15,2)'), schema.stdout + schema.stderr);
  check('schema marks the nested column as unsupported', /list.*unsupported/.test(schema.stdout), schema.stdout);
  const nested = run('head', typed);
  check('head of a file with a nested column exits 2 naming it', nested.status === 2 && nested.stderr.includes("'list'"), nested.stderr);
  const table = run('head', typed, '--columns', 'ts,price,name,maybe');
  check('head prints a box table with types and NULL',
        table.status === 0 && table.stdout.includes('┌') && table.stdout.includes('2024-03-01 12:00:00Z') && table.stdout.includes('12.34') &&
          table.stdout.includes('NULL') && table.stdout.includes('3 rows'), table.stdout + table.stderr);
  const json = run('head', typed, '-c', 'price,name,maybe', '--format', 'json', '-n', '1');
  check('head --format json prints JSON Lines', json.status === 0 && json.stdout.trim() === '{"price":"12.34","name":"héllo","maybe":null}', json.stdout);
  const csv = run('head', typed, '-c', 'name,price', '--format', 'csv', '-n', '2');
  check('head --format csv prints a header and rows', csv.status === 0 && csv.stdout === 'name,price\nhéllo,12.34\nhéllo,12.34\n', JSON.stringify(csv.stdout));
  const typo = run('head', typed, '-c', 'prise');
  check('an unknown column suggests the closest name', typo.status === 1 && typo.stderr.includes('did you mean "price"'), typo.stderr);
  const badFormat = run('head', typed, '--format', 'xml');
  check('an unknown --format exits 2', badFormat.status === 2, badFormat.stderr);
}

// CSV: schema shows the inferred types, head reads with options, convert writes CSV.
{
  const csv = path.join(work, 'small.csv');
  fs.writeFileSync(csv, 'id,name,price,day\n1,"a, b",1.5,2024-01-01\n2,x,,2024-01-02\n');
  const schema = run('schema', csv);
  check('schema of a CSV prints the inferred types',
        schema.status === 0 && schema.stdout.includes('┌') && /id\s*│ int64/.test(schema.stdout) &&
          /price\s*│ float64/.test(schema.stdout) && /day\s*│ date32/.test(schema.stdout), schema.stdout + schema.stderr);
  const typed = run('schema', csv, '--types', 'price=decimal(10,2),id=int32');
  check('schema of a CSV shows --types overrides', typed.status === 0 && typed.stdout.includes('decimal(10,2)') && /id\s*│ int32/.test(typed.stdout), typed.stdout + typed.stderr);
  const head = run('head', csv, '--format', 'csv');
  check('head of a CSV prints its rows', head.status === 0 && head.stdout === 'id,name,price,day\n1,"a, b",1.5,2024-01-01\n2,x,,2024-01-02\n', JSON.stringify(head.stdout) + head.stderr);
  const semi = path.join(work, 'small.tsv');
  const converted = run('convert', csv, semi, '--quiet');
  check('convert CSV to TSV', converted.status === 0 && fs.readFileSync(semi, 'utf8') === 'id\tname\tprice\tday\n1\ta, b\t1.5\t2024-01-01\n2\tx\t\t2024-01-02\n', converted.stderr);
  const badType = run('head', csv, '--types', 'price=money');
  check('an unknown --types type exits 2', badType.status === 2 && badType.stderr.includes("unknown type 'money'"), badType.stderr);
  const badRagged = run('head', csv, '--ragged', 'maybe');
  check('an unknown --ragged value exits 2', badRagged.status === 2, badRagged.stderr);
}

// Reproducibility: the same data and options give the same bytes whatever the thread count.
{
  const a = path.join(work, 'gen-a'), b = path.join(work, 'gen-b');
  const first = run('--threads', '1', 'generate', a, '--rows', '150000', '--files', '2', '--row-group-size', '40000', '--quiet');
  const second = run('--threads', '4', 'generate', b, '--rows', '150000', '--files', '2', '--row-group-size', '40000', '--quiet');
  check('generate succeeds', first.status === 0 && second.status === 0, first.stderr + second.stderr);
  check('generate writes the same bytes with 1 and 4 threads',
        same(path.join(a, 'events/part-000.parquet'), path.join(b, 'events/part-000.parquet')) && same(path.join(a, 'users.parquet'), path.join(b, 'users.parquet')));
  const one = path.join(work, 'one.parquet'), four = path.join(work, 'four.parquet');
  run('--threads', '1', 'convert', path.join(a, 'events'), one, '--quiet');
  run('--threads', '4', 'convert', path.join(a, 'events'), four, '--quiet');
  check('convert writes the same bytes with 1 and 4 threads', fs.existsSync(one) && same(one, four));
  const xlsxOut = run('convert', one, path.join(work, 'out.xlsx'));
  check('convert to an unknown output format exits 2', xlsxOut.status === 2 && !fs.existsSync(path.join(work, 'out.xlsx')), xlsxOut.stderr);
  const csvOne = path.join(work, 'one.csv'), csvFour = path.join(work, 'four.csv');
  run('--threads', '1', 'convert', one, csvOne, '--quiet');
  run('--threads', '4', 'convert', one, csvFour, '--quiet');
  check('convert to CSV writes the same bytes with 1 and 4 threads', fs.existsSync(csvOne) && same(csvOne, csvFour));
  const before = fs.readFileSync(one);
  const failing = run('convert', typed, one);
  check('a failed convert leaves the earlier output intact', failing.status === 2 && Buffer.compare(before, fs.readFileSync(one)) === 0, failing.stderr);
  check('a failed convert leaves no temporary files', fs.readdirSync(work).every((name) => !name.includes('sluice-tmp')), fs.readdirSync(work).join(' '));
}

// generate --csv: CSV copies of both tables holding exactly the Parquet files' rows, without
// changing the Parquet bytes (the benchmark feeds them to pandas).
{
  const a = path.join(work, 'gen-a'), c = path.join(work, 'gen-csv');
  const made = run('generate', c, '--rows', '150000', '--files', '2', '--row-group-size', '40000', '--csv', '--quiet');
  check('generate --csv succeeds', made.status === 0 && fs.existsSync(path.join(c, 'events.csv')) && fs.existsSync(path.join(c, 'users.csv')), made.stderr);
  check('generate --csv leaves the Parquet bytes unchanged',
        same(path.join(a, 'events/part-001.parquet'), path.join(c, 'events/part-001.parquet')) && same(path.join(a, 'users.parquet'), path.join(c, 'users.parquet')));
  const con = await (await DuckDBInstance.create(':memory:')).connect();
  const count = async (sql) => Number((await con.runAndReadAll(sql)).getRows()[0][0]);
  // The same rows as multisets (every events row has its own timestamp), compared as text.
  const differing = async (parquet, csvFile) => count(`
    WITH p AS (SELECT COLUMNS(*)::VARCHAR FROM read_parquet('${parquet}')),
         c AS (SELECT COLUMNS(*)::VARCHAR FROM read_csv('${csvFile}'))
    SELECT count(*) FROM ((FROM p EXCEPT ALL FROM c) UNION ALL (FROM c EXCEPT ALL FROM p))`);
  const eventsDiff = await differing(path.join(c, 'events/*.parquet'), path.join(c, 'events.csv'));
  const usersDiff = await differing(path.join(c, 'users.parquet'), path.join(c, 'users.csv'));
  const csvRows = await count(`SELECT count(*) FROM read_csv('${path.join(c, 'events.csv')}')`);
  check('events.csv and users.csv hold the Parquet rows', csvRows === 150000 && eventsDiff === 0 && usersDiff === 0,
        `${csvRows} CSV rows, ${eventsDiff} events rows and ${usersDiff} users rows differ`);
}

// The memory budget: page buffers, columns and the writer's row group are charged to it.
{
  const input = path.join(work, 'gen-a', 'events');
  const out = path.join(work, 'budget.parquet');
  const tight = run('--memory-limit', '8MB', 'convert', input, out);
  check('convert under a too-small --memory-limit fails with a clear error and no file',
        tight.status === 1 && tight.stderr.includes('memory limit') && !fs.existsSync(out), tight.stderr);
  const roomy = run('--memory-limit', '512MiB', 'convert', input, out, '--quiet');
  check('convert under a sufficient --memory-limit succeeds', roomy.status === 0 && fs.existsSync(out), roomy.stderr);
}

// Memory follows the query, not the writer's layout: one big row group is read page by page.
{
  const dir = path.join(work, 'one-row-group');
  const made = run('generate', dir, '--rows', '1500000', '--files', '1', '--row-group-size', '1500000', '--quiet');
  const timed = spawnSync('/usr/bin/time', ['-f', '%M', sluice, 'head', path.join(dir, 'events'), '-n', '5'], { encoding: 'utf8' });
  const kilobytes = Number(timed.stderr.trim().split('\n').pop());
  check('head of a file with one 1.5M-row row group stays under 64 MB',
        made.status === 0 && timed.status === 0 && kilobytes > 0 && kilobytes < 64 * 1024, `peak ${kilobytes} KB ${timed.stderr}`);
}

finish();
