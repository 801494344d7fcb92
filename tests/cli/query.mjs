// End-to-end tests of `sluice query` and `sluice explain`: the box table and the other output
// formats, SQL from -f and stdin, --output files DuckDB reads back, EXPLAIN's pushed filter,
// explain --analyze's memory and spill counters under --memory-limit, and the errors (a syntax error's caret and exit status, an unknown column's did-you-mean).
// Usage: node query.mjs SLUICE_BIN WORK_DIR
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { check, finish } from '../lib/check.mjs';

const [sluice, work] = process.argv.slice(2);
if (!sluice || !fs.existsSync(sluice)) {
  console.error(`usage: node query.mjs SLUICE_BIN WORK_DIR (no program at '${sluice}')`);
  process.exit(1);
}
fs.rmSync(work, { recursive: true, force: true });
fs.mkdirSync(work, { recursive: true });

function run(args, input = undefined) {
  const result = spawnSync(sluice, args, { encoding: 'utf8', timeout: 120000, input });
  return { status: result.status, signal: result.signal, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}
const show = (r) => `status ${r.status}\n--- stdout\n${r.stdout}--- stderr\n${r.stderr}`;

// Data written by DuckDB: 100 people in 4 cities, in row groups of 25 so filters can skip some.
const con = await (await DuckDBInstance.create(':memory:')).connect();
const people = path.join(work, 'people.parquet');
await con.run(`COPY (SELECT i AS id, 'name' || i AS name, ['Oslo', 'Rome', 'Lima', 'Pune'][i % 4 + 1] AS city,
                 (i * 7 % 100)::INTEGER AS score, (i * 1.25)::DECIMAL(10, 2) AS balance
               FROM range(1, 101) t(i)) TO '${people}' (FORMAT parquet, ROW_GROUP_SIZE 25)`);
const duck = async (sql) => (await con.runAndReadAll(sql)).getRowObjectsJson();

// The box table: names, types underneath, rows, footer.
{
  const r = run(['query', `SELECT id, name, balance FROM '${people}' WHERE id <= 3 ORDER BY id`]);
  check('query prints a box table', r.status === 0 && r.stdout.startsWith('┌') && r.stdout.includes('name3') && r.stdout.includes('decimal(10,2)') &&
        r.stdout.includes('3.75') && /3 rows\s+3 columns/.test(r.stdout), show(r));
  const lines = r.stdout.split('\n');
  check('the box table has the names, then the types', /id.*name.*balance/.test(lines[1]) && /int64.*utf8.*decimal/.test(lines[2]), show(r));
  const long = run(['query', `SELECT id FROM '${people}' ORDER BY id`]);
  check('a long result is elided in the middle', long.status === 0 && long.stdout.includes('·') &&
        /100 rows \(40 shown\)/.test(long.stdout) && long.stdout.includes(' 100 ') && !long.stdout.includes(' 50 '), show(long));
  const all = run(['query', '--max-rows', '0', `SELECT id FROM '${people}' ORDER BY id`]);
  check('--max-rows 0 shows every row', all.status === 0 && !all.stdout.includes('·') && all.stdout.includes(' 50 '), show(all));
}

// Other formats.
{
  const sql = `SELECT city, count(*) AS n, sum(score) AS total FROM '${people}' GROUP BY city ORDER BY city`;
  const expected = await duck(sql.replace(`'${people}'`, `read_parquet('${people}')`));
  const csv = run(['query', '--format', 'csv', sql]);
  const csvExpected = 'city,n,total\n' + expected.map((row) => `${row.city},${row.n},${row.total}`).join('\n') + '\n';
  check('--format csv prints the header and the rows', csv.status === 0 && csv.stdout === csvExpected, show(csv) + '\nexpected\n' + csvExpected);
  const json = run(['query', '--format', 'json', sql]);
  let parsed = null;
  try { parsed = JSON.parse(json.stdout); } catch { /* checked below */ }
  check('--format json prints an array of objects like duckdb -json',
        json.status === 0 && Array.isArray(parsed) && parsed.length === 4 && parsed[0].city === expected[0].city &&
          parsed.every((row, i) => Number(row.n) === Number(expected[i].n) && Number(row.total) === Number(expected[i].total)), show(json));
  const jsonl = run(['query', '--format', 'jsonl', `SELECT 1 AS a, 'x' AS b`]);
  check('--format jsonl prints one object per line', jsonl.status === 0 && jsonl.stdout === '{"a":1,"b":"x"}\n', show(jsonl));
  const md = run(['query', '--format', 'markdown', `SELECT 1 AS a, 'x|y' AS b`]);
  check('--format markdown prints a table', md.status === 0 && md.stdout === '| a | b |\n|---:|---|\n| 1 | x\\|y |\n', show(md));
  const bad = run(['query', '--format', 'xml', 'SELECT 1']);
  check('an unknown --format exits 2', bad.status === 2 && bad.stderr.includes("--format 'xml'"), show(bad));
}

// SQL from a file and from stdin; several statements; messages on stderr.
{
  const file = path.join(work, 'report.sql');
  fs.writeFileSync(file, `-- cities with their best score
CREATE VIEW best AS
  SELECT city, max(score) AS top FROM '${people}' GROUP BY city;
SELECT * FROM best ORDER BY top DESC, city LIMIT 2;
`);
  const f = run(['query', '--format', 'csv', '-f', file]);
  const expected = await duck(`SELECT city, max(score) AS top FROM read_parquet('${people}') GROUP BY city ORDER BY top DESC, city LIMIT 2`);
  check('query -f runs the file\'s statements (CREATE VIEW prints nothing)',
        f.status === 0 && f.stdout === 'city,top\n' + expected.map((row) => `${row.city},${row.top}`).join('\n') + '\n' && f.stderr === '', show(f));
  const stdin = run(['query', '--format', 'csv'], 'select 40 + 2 as answer');
  check('query reads SQL on stdin', stdin.status === 0 && stdin.stdout === 'answer\n42\n', show(stdin));
  const both = run(['query', 'SELECT 1', '-f', file]);
  check('SQL both as an argument and with -f exits 2', both.status === 2, show(both));
  const copyCsv = path.join(work, 'copied.csv');
  const copy = run(['query', `COPY (SELECT id FROM '${people}' WHERE city = 'Oslo') TO '${copyCsv}' (HEADER false)`]);
  check('COPY says how many rows it wrote, on stderr', copy.status === 0 && copy.stdout === '' && copy.stderr.trim() === 'COPY 25 rows' &&
        fs.readFileSync(copyCsv, 'utf8').trim().split('\n').length === 25, show(copy));
  const quiet = run(['query', '--quiet', `COPY (SELECT 1 AS a) TO '${copyCsv}'`]);
  check('--quiet hides the COPY message', quiet.status === 0 && quiet.stderr === '', show(quiet));
}

// --output: the last query's rows into a file, by extension.
{
  const out = path.join(work, 'oslo.parquet');
  const r = run(['query', '--output', out, `SELECT id, name, balance FROM '${people}' WHERE city = 'Oslo' ORDER BY id DESC`]);
  check('--output writes a Parquet file and says so', r.status === 0 && fs.existsSync(out) && r.stdout === '' && r.stderr.includes(`wrote 25 rows to '${out}'`), show(r));
  if (fs.existsSync(out)) {
    const back = await duck(`SELECT * FROM read_parquet('${out}')`);
    const want = await duck(`SELECT id, name, balance FROM read_parquet('${people}') WHERE city = 'Oslo' ORDER BY id DESC`);
    check('DuckDB reads the --output Parquet file back, rows in order', JSON.stringify(back) === JSON.stringify(want),
          JSON.stringify(back.slice(0, 3)) + ' vs ' + JSON.stringify(want.slice(0, 3)));
  }
  const csvOut = path.join(work, 'small.csv');
  const c = run(['query', '--quiet', '-o', csvOut, 'SELECT 1 AS a; SELECT 2 AS b']);
  check('--output takes the last query; earlier ones print', c.status === 0 && c.stdout.includes('┌') && c.stdout.includes(' a ') &&
        fs.readFileSync(csvOut, 'utf8') === 'b\n2\n', show(c));
  const jsonOut = path.join(work, 'small.json');
  const j = run(['query', '--quiet', '-o', jsonOut, "SELECT 1 AS a, 'x' AS b"]);
  check('--output .json writes JSON Lines', j.status === 0 && fs.readFileSync(jsonOut, 'utf8') === '{"a":1,"b":"x"}\n', show(j));
  const badName = run(['query', '-o', path.join(work, 'x.xlsx'), 'SELECT 1']);
  check('--output with an unknown extension exits 2', badName.status === 2 && !fs.existsSync(path.join(work, 'x.xlsx')), show(badName));
}

// EXPLAIN: the optimized plan with the filter pushed into the scan.
{
  const sql = `SELECT name FROM '${people}' WHERE score > 90 AND id > 80`;
  const e = run(['explain', sql]);
  const scanLine = e.stdout.split('\n').find((line) => line.includes('Scan parquet')) ?? '';
  check('explain prints the plan with the filter pushed into the scan',
        e.status === 0 && scanLine.includes('filters=') && scanLine.includes('score') && scanLine.includes('skipped by statistics'), show(e));
  check('explain reads only the needed columns', scanLine.includes('columns=[') && !scanLine.includes('balance'), scanLine);
  const statement = run(['query', `EXPLAIN ${sql}`]);
  check('EXPLAIN in query prints the same plan', statement.status === 0 && statement.stdout === e.stdout, show(statement));
  const analyze = run(['explain', '--analyze', sql]);
  const expected = await duck(`SELECT count(*) AS n FROM read_parquet('${people}') WHERE score > 90 AND id > 80`);
  check('explain --analyze runs the query and reports its rows and time',
        analyze.status === 0 && analyze.stdout.includes('Scan parquet') && new RegExp(`\\b${expected[0].n} rows? in [0-9.]+ s`).test(analyze.stdout), show(analyze));
  const verbose = run(['explain', '--verbose', sql]);
  check('explain --verbose shows the plan before and after', verbose.status === 0 && verbose.stdout.includes('== logical plan ==') &&
        verbose.stdout.includes('== optimized plan =='), show(verbose));
  const viaStdin = run(['explain'], `CREATE VIEW v AS SELECT * FROM '${people}'; SELECT id FROM v WHERE id = 3`);
  check('explain reads stdin and runs the CREATE VIEW before it', viaStdin.status === 0 && viaStdin.stdout.includes('filters='), show(viaStdin));
}

// explain --analyze under a small --memory-limit: the sort spills, and its line says how much it
// held, spilled and read back.
{
  const data = path.join(work, 'generated');
  const made = run(['generate', data, '--rows', '300000', '--quiet']);
  check('generate writes the events to sort', made.status === 0, show(made));
  const sql = `SELECT sku, user_id, category, region FROM '${data}/events/*.parquet' ORDER BY sku`;
  const tight = run(['--memory-limit', '32MB', 'explain', '--analyze', sql]);
  const sortLine = (r) => r.stdout.split('\n').find((line) => line.startsWith('Sort')) ?? '';
  check('explain --analyze shows the peak memory, bytes spilled and read back of a sort under --memory-limit',
        tight.status === 0 && /300000 rows in/.test(tight.stdout) && /, peak [0-9.]+ (KiB|MiB)/.test(sortLine(tight)) &&
          /, spilled [0-9.]+ MiB in \d+ spills? \(read [0-9.]+ MiB\)/.test(sortLine(tight)), show(tight));
  const roomy = run(['explain', '--analyze', sql]);
  check('without a tight limit the sort holds everything and spills nothing',
        roomy.status === 0 && /, peak [0-9.]+ MiB\)/.test(sortLine(roomy)) && !roomy.stdout.includes('spilled'), show(roomy));
}

// Errors: positions with a caret, did-you-mean, exit statuses.
{
  const syntax = run(['query', `SELECT id,\n  name FORM '${people}'`]);
  check('a syntax error exits 1 with the line, column and a caret',
        syntax.status === 1 && /^sluice: error: line 2, column 8: /.test(syntax.stderr) && syntax.stderr.includes('\n  ') &&
          /\n\s+\^/.test(syntax.stderr), show(syntax));
  const caretLine = syntax.stderr.split('\n').find((line) => /^\s*\^$/.test(line)) ?? '';
  check('the caret sits under the mistake', caretLine.indexOf('^') === 2 + 7, JSON.stringify(syntax.stderr));
  const typo = run(['query', `SELECT nme FROM '${people}'`]);
  check('an unknown column suggests the closest name', typo.status === 1 && typo.stderr.includes('did you mean "name"?') &&
        typo.stderr.includes('line 1, column 8'), show(typo));
  const partial = run(['query', `SELECT 1 AS first; SELECT nothing FROM '${people}'`]);
  check('results before a failing statement are printed', partial.status === 1 && partial.stdout.includes('first') &&
        partial.stderr.startsWith('sluice: error:'), show(partial));
  const missing = run(['query', `SELECT * FROM '${path.join(work, 'nope.parquet')}'`]);
  check('a missing file exits 1 naming it', missing.status === 1 && missing.stderr.includes('nope.parquet'), show(missing));
  const unsupported = run(['query', `COPY (SELECT 1 AS a) TO '${path.join(work, 'x')}' (FORMAT xml)`]);
  check('an unsupported COPY format exits 2', unsupported.status === 2 && unsupported.stderr.includes('FORMAT'), show(unsupported));
  const option = run(['query', `COPY (SELECT 1 AS a) TO '${path.join(work, 'x.parquet')}' (ROW_GROUP_SIZ 10)`]);
  check('an unknown COPY option suggests the closest', option.status === 1 && option.stderr.includes('did you mean ROW_GROUP_SIZE?'), show(option));
  const empty = run(['query'], '');
  check('no SQL at all is fine and prints nothing', empty.status === 0 && empty.stdout === '', show(empty));
}

finish();
