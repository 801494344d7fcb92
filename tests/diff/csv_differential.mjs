#!/usr/bin/env node
// Differential CSV test against DuckDB's read_csv.
//
// 1. Reading: a corpus of tricky CSV files is generated (quotes, embedded newlines, CRLF, a BOM,
//    empty fields vs nulls, 200 columns, 1 MB fields, unicode, ; and tab delimiters, with and
//    without a header, mixed numbers/dates/timestamps/bools, compressed input, globs, options).
//    sluice converts each to Parquet; DuckDB then compares read_csv(file, matching options) with
//    that Parquet: same column names, same types (but for the deliberate differences below),
//    same values in the same order.
// 2. Writing: sluice converts a DuckDB-written Parquet file of every type sluice reads to CSV
//    (and TSV, and another dialect); DuckDB reads the CSV back with the original types and must
//    get the same values. sluice must also read its own CSV back to the same Parquet.
// 3. Bad input: ragged rows, an unterminated quote, invalid UTF-8, NUL bytes, binary garbage and
//    a value that breaks the inferred type after the sample all exit 1 with `sluice: error:`
//    naming the file and the line, and leave no output (nor temporary) file and an earlier
//    output intact.
//
// Deliberate differences from DuckDB's defaults (the comparison adjusts for them):
// - A quoted empty field ("") is an empty string in sluice; DuckDB reads it as NULL unless
//   allow_quoted_nulls=false, which every read_csv here passes.
// - sluice infers bool, int64, float64, date32, timestamp and utf8 only: where DuckDB infers
//   TIME the sluice column is utf8, compared as text (ALLOWED_TYPE_DIFFERENCES).
// Agreements worth knowing (checked like the rest): integers beyond int64 infer a double in
// both (DuckDB never infers HUGEINT); a column null in every sampled row is VARCHAR in both;
// headerless columns are named column0, column1, ... in both.
// What sluice's reader cannot read back yet of what its writer writes is listed in READER_GAPS.
//
// usage: node tests/diff/csv_differential.mjs SLUICE_BIN WORK_DIR
//   SLUICE_CSV_FILTER=REGEX   only the cases whose name matches
// Prints one `ok - ...` / `not ok - ...` line per check and ends with `N passed, M failed`;
// exits 1 if any check failed.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';

const [BIN_ARG, WORK] = process.argv.slice(2);
if (!BIN_ARG || !WORK) {
  console.error('usage: node csv_differential.mjs SLUICE_BIN WORK_DIR');
  process.exit(2);
}
const BIN = path.resolve(BIN_ARG);
if (!fs.existsSync(BIN)) {
  console.log(`not ok - sluice binary not found: ${BIN_ARG} (build it first)`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
fs.rmSync(WORK, { recursive: true, force: true });
fs.mkdirSync(WORK, { recursive: true });
const FILTER = process.env.SLUICE_CSV_FILTER ? new RegExp(process.env.SLUICE_CSV_FILTER) : null;
const wanted = (name) => !FILTER || FILTER.test(name);

let passed = 0, failed = 0;
function check(name, ok, detail = '') {
  ok ? passed++ : failed++;
  console.log(`${ok ? 'ok' : 'not ok'} - ${name}`);
  if (!ok && detail) console.log(`  ${String(detail).slice(0, 1500).replace(/\n/g, '\n  ')}`);
  return ok;
}
function sluice(...args) {
  const r = spawnSync(BIN, args, { encoding: 'utf8', timeout: 120000, maxBuffer: 64 << 20 });
  return { status: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

const instance = await DuckDBInstance.create(':memory:');
const con = await instance.connect();
const rows = async (sql) => (await con.runAndReadAll(sql)).getRowsJson();
const lit = (s) => `'${String(s).replaceAll("'", "''")}'`;
const ident = (s) => `"${String(s).replaceAll('"', '""')}"`;
async function describe(from) {
  return (await rows(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM ${from})`)).map(
    ([name, type]) => ({ name, type }));
}

// A small deterministic generator, so that every run writes the same corpus.
function rng(seed) {
  let state = BigInt(seed) & 0xffffffffffffffffn;
  return () => {
    state = (state * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn;
    return Number(state >> 33n) / 2 ** 31;
  };
}
const write = (name, content) => {
  const file = path.join(WORK, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
};
const noTempFiles = (dir) => fs.readdirSync(dir).filter((n) => n.includes('sluice-tmp'));

// Compares the rows of two SELECTs in order; returns '' or a description of the first difference.
async function compareRows(leftSql, rightSql) {
  const [left, right] = [await rows(leftSql), await rows(rightSql)];
  if (left.length !== right.length) return `${left.length} rows vs ${right.length} rows`;
  for (let i = 0; i < left.length; i++) {
    const [a, b] = [JSON.stringify(left[i]), JSON.stringify(right[i])];
    if (a !== b) return `row ${i + 1} differs:\n  ${a.slice(0, 600)}\n  ${b.slice(0, 600)}`;
  }
  return '';
}

// ---------------------------------------------------------------------------------------------
// 1. Reading: sluice CSV -> Parquet against DuckDB read_csv.

// Type pairs (DuckDB's, sluice's) that may differ, as the header explains.
const ALLOWED_TYPE_DIFFERENCES = [['TIME', 'VARCHAR']];

async function readCase(name, file, { args = [], duck = '', duckFile = file } = {}) {
  if (!wanted(name)) return;
  const parquet = path.join(WORK, `${name}.parquet`);
  const run = sluice('convert', file, parquet, '--quiet', ...args);
  if (!check(`read ${name}: sluice convert exits 0`, run.status === 0, run.stderr)) return;
  const csvFrom = `read_csv(${lit(duckFile)}, allow_quoted_nulls = false${duck})`;
  const parquetFrom = `read_parquet(${lit(parquet)})`;
  let duckTypes, sluiceTypes;
  try {
    duckTypes = await describe(csvFrom);
  } catch (error) {
    check(`read ${name}: DuckDB reads the file`, false, error.message);
    return;
  }
  sluiceTypes = await describe(parquetFrom);
  const names = (list) => JSON.stringify(list.map((c) => c.name));
  check(`read ${name}: same column names`, names(duckTypes) === names(sluiceTypes),
        `DuckDB ${names(duckTypes).slice(0, 500)}\n  sluice ${names(sluiceTypes).slice(0, 500)}`);
  const differences = [];
  const select = [];
  for (let i = 0; i < Math.min(duckTypes.length, sluiceTypes.length); i++) {
    const [d, s] = [duckTypes[i], sluiceTypes[i]];
    let expr = `${ident(d.name)}`;
    if (d.type !== s.type) {
      const allowed = ALLOWED_TYPE_DIFFERENCES.some(([a, b]) => a === d.type && b === s.type);
      if (!allowed) differences.push(`${d.name}: DuckDB ${d.type}, sluice ${s.type}`);
      expr = `TRY_CAST(${expr} AS ${s.type})`;
    }
    select.push(expr);
  }
  check(`read ${name}: same types`, differences.length === 0, differences.slice(0, 8).join('\n  '));
  if (duckTypes.length !== sluiceTypes.length) return;
  const difference = await compareRows(`SELECT ${select.join(', ')} FROM ${csvFrom}`,
                                       `SELECT * FROM ${parquetFrom}`);
  check(`read ${name}: same values in the same order`, difference === '', difference);
}

// Quoting: delimiters, doubled quotes and line breaks inside quotes, quoted numbers.
await readCase('quotes', write('quotes.csv',
  'id,text,note\n' +
  '1,"a, b","say ""hi"""\n' +
  '2,"line one\nline two",plain\n' +
  '3,"""quoted""",""""\n' +
  '4,"",x\n' +
  '5,,"trailing, comma,"\n' +
  '6,"multi\n\nblank lines inside","crlf\r\ninside"\n'));
await readCase('quoted_numbers', write('quoted_numbers.csv', 'a,b\n"1","2.5"\n"3","-4e3"\n"5",\n'));

// Line endings, byte-order mark, missing final newline.
await readCase('crlf', write('crlf.csv', 'a,b,c\r\n1,x,2024-01-01\r\n2,"y\r\nz",2024-01-02\r\n3,,\r\n'));
await readCase('bom', write('bom.csv', '\ufeffname,value\nalpha,1\nbeta,2\n'));
await readCase('no_final_newline', write('no_final_newline.csv', 'a,b\n1,2\n3,4'));
await readCase('blank_lines', write('blank_lines.csv', 'a,b\n1,2\n\n3,4\n\n'));

// Empty fields and nulls: an empty unquoted field is null, "" an empty string, NA a null string.
await readCase('empty_vs_null', write('empty_vs_null.csv',
  's,n,d\n"",1,2024-01-01\n,2,\nx,,2024-01-03\n" ",4,2024-01-04\n'));
await readCase('null_strings', write('null_strings.csv', 'a,b,c\nNA,1,x\n2,NULL,y\n3,4,NA\n'),
  { args: ['--null-string', 'NA', '--null-string', 'NULL'], duck: ", nullstr = ['NA', 'NULL']" });
await readCase('all_null_column', write('all_null_column.csv', 'a,b\n1,\n2,\n3,\n'));

// Types: mixed numbers, dates, timestamps, bools, and columns that fall back.
{
  const next = rng(7);
  let text = 'i,f,mixed,flag,day,at,at_tz,word,big,exp\n';
  for (let r = 0; r < 3000; r++) {
    const i = Math.floor(next() * 2e9) - 1e9;
    const f = (Math.floor(next() * 2e6) - 1e6) / 100;
    const mixed = r % 2 ? String(r) : (r / 8).toString();
    const flag = next() < 0.5 ? 'true' : 'false';
    const day = new Date(Date.UTC(1950, 0, 1) + Math.floor(next() * 40000) * 86400000).toISOString().slice(0, 10);
    const ms = Date.UTC(2000, 0, 1) + Math.floor(next() * 8e11);
    const micros = String(Math.floor(next() * 1e6)).padStart(6, '0');
    const at = `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')}.${micros}`;
    const atTz = `${new Date(ms).toISOString().slice(0, 19)}Z`;
    const word = ['apple', 'Banana', 'cherry pie', 'ä-ö-ü', '12abc'][r % 5];
    const big = r === 7 ? '92233720368547758070' : String(Math.floor(next() * 1e12));
    const exp = `${(next() * 10).toFixed(3)}e${Math.floor(next() * 40) - 20}`;
    text += `${r % 97 === 5 ? '' : i},${f},${mixed},${flag},${day},${at},${atTz},${word},${big},${exp}\n`;
  }
  await readCase('types_mixed', write('types_mixed.csv', text));
}
await readCase('bools', write('bools.csv', 'a,b\ntrue,TRUE\nfalse,False\n,true\n'));
await readCase('times', write('times.csv', 't,n\n12:00:00,1\n13:45:01.5,2\n'));
await readCase('timestamps', write('timestamps.csv',
  'a,b,c\n2024-03-01 12:00:00,2024-03-01T12:00:00,2024-03-01 12:00:00.123456\n' +
  '1999-12-31 23:59:59,1999-12-31T23:59:59,1970-01-01 00:00:00.000001\n'));
await readCase('type_after_sample', write('type_after_sample.csv',
  'a,b\n' + Array.from({ length: 50 }, (_, i) => `${i},${i}`).join('\n') + '\nx,1.5\n'),
  { args: ['--types', 'a=utf8,b=float64'], duck: ", types = {'a': 'VARCHAR', 'b': 'DOUBLE'}" });
await readCase('types_override', write('types_override.csv', 'id,price,day\n1,12.5,2024-01-01\n2,3,2024-02-29\n'),
  { args: ['--types', 'id=int32,price=decimal(10,2),day=date32'],
    duck: ", types = {'id': 'INTEGER', 'price': 'DECIMAL(10,2)', 'day': 'DATE'}" });

// Delimiters: sniffed ; and tab, a .tsv file, explicit |.
await readCase('semicolon', write('semicolon.csv', 'a;b;c\n1;"x;y";2,5\n2;z;3,5\n'));
await readCase('semicolon_explicit', write('semicolon_explicit.csv', 'a;b\n1;2\n3;4\n'),
  { args: ['--delim', ';'], duck: ", delim = ';'" });
await readCase('tab', write('tab.csv', 'a\tb\tc\n1\tx y\t2.5\n2\t"q\tr"\t3\n'));
await readCase('tsv', write('data.tsv', 'a\tb\n1\tx,y\n2\tz\n'), { duck: ", delim = '\\t'" });
await readCase('pipe', write('pipe.csv', 'a|b\n1|x\n2|y\n'), { args: ['--delim', '|'], duck: ", delim = '|'" });

// Header: none, explicit false, explicit true over a numeric first line.
await readCase('no_header', write('no_header.csv', '1,alpha,2024-01-01\n2,beta,2024-01-02\n3,gamma,2024-01-03\n'));
await readCase('header_false', write('header_false.csv', 'a,b\n1,2\n'),
  { args: ['--header', 'false'], duck: ', header = false' });
await readCase('header_true_numeric', write('header_true_numeric.csv', '1,2\n3,4\n'),
  { args: ['--header', 'true'], duck: ', header = true' });

// Dialect options: skip rows, comments, escape, quote.
await readCase('skip_rows', write('skip_rows.csv', 'generated by a tool\nversion 2\na,b\n1,2\n3,4\n'),
  { args: ['--skip-rows', '2'], duck: ', skip = 2' });
await readCase('comments', write('comments.csv', 'a,b\n# a comment\n1,2\n# another\n3,4\n'),
  { args: ['--comment', '#'], duck: ", comment = '#'" });
await readCase('escape', write('escape.csv', 'a,b\n1,"say \\"hi\\""\n2,"back\\\\slash"\n'),
  { args: ['--escape', '\\'], duck: ", escape = '\\'" });
await readCase('single_quote', write('single_quote.csv', "a,b\n1,'x,y'\n2,'it''s'\n"),
  { args: ['--quote', "'"], duck: ", quote = ''''" });
await readCase('ragged_pad', write('ragged_pad.csv', 'a,b,c\n1,2,3\n4,5\n6\n'),
  { args: ['--ragged', 'pad'], duck: ', null_padding = true' });

// Unicode in names and values.
await readCase('unicode', write('unicode.csv',
  'naïve,名前,emoji 🎉\ncafé,東京,🌍🚀\n"Ünïcödé, quoted",ß,"e\u0301 combining"\nплохо,עברית,\u200bzero-width\n'));

// Wide: 200 columns of several types, 1000 rows.
{
  const next = rng(11);
  const header = Array.from({ length: 200 }, (_, c) => `c${c}`).join(',');
  const lines = [header];
  for (let r = 0; r < 1000; r++) {
    const cells = [];
    for (let c = 0; c < 200; c++) {
      if (next() < 0.05) { cells.push(''); continue; }
      switch (c % 5) {
        case 0: cells.push(String(Math.floor(next() * 1e6) - 5e5)); break;
        case 1: cells.push((next() * 1000).toFixed(4)); break;
        case 2: cells.push(`"w${Math.floor(next() * 1e4)},${c}"`); break;
        case 3: cells.push(next() < 0.5 ? 'true' : 'false'); break;
        default: cells.push(`2024-0${1 + (r % 9)}-1${r % 10}`);
      }
    }
    lines.push(cells.join(','));
  }
  await readCase('wide_200_columns', write('wide.csv', lines.join('\n') + '\n'));
}

// Very long fields: 1 MB quoted (with quotes and newlines inside) and 1 MB unquoted.
{
  const chunk = 'abcdefghij"klmno\npqrstuvwxyz, 0123456789'.repeat(26000).slice(0, 1 << 20);
  const plain = 'x'.repeat(1 << 20);
  await readCase('long_fields', write('long_fields.csv',
    `id,quoted,plain\n1,"${chunk.replaceAll('"', '""')}",${plain}\n2,short,y\n3,"${'é'.repeat(300000)}",z\n`),
    { duck: ', max_line_size = 8000000' });
}

// Many rows: more than one batch (64K rows) and more than one parallel chunk.
{
  const next = rng(3);
  let text = 'id,amount,category,day\n';
  for (let r = 0; r < 200000; r++) {
    text += `${r},${(Math.floor(next() * 1e6) / 100).toFixed(2)},${['a', '"b,c"', '"d""e"', ''][r % 4]},2024-01-${String(1 + (r % 28)).padStart(2, '0')}\n`;
  }
  await readCase('many_rows', write('many_rows.csv', text));
}

// Compressed input, and a glob over several files.
await readCase('gzip', write('compressed.csv.gz', zlib.gzipSync('a,b\n1,x\n2,"y,z"\n')));
{
  const zstd = spawnSync('zstd', ['-q', '-f', '-o', path.join(WORK, 'compressed.csv.zst')], { input: 'a,b\n1,x\n2,y\n' });
  if (zstd.status === 0) {
    await readCase('zstd', path.join(WORK, 'compressed.csv.zst'));
  } else {
    console.log('# zstd program not found: the .csv.zst case is skipped');
  }
}
write('glob/part-1.csv', 'a,b\n1,x\n2,y\n');
write('glob/part-2.csv', 'a,b\n3,z\n4,w\n');
await readCase('glob', path.join(WORK, 'glob/*.csv'));
await readCase('folder', path.join(WORK, 'glob'), { duckFile: path.join(WORK, 'glob/*.csv') });

// ---------------------------------------------------------------------------------------------
// 2. Writing: a DuckDB-written Parquet of every type -> sluice CSV -> DuckDB read_csv.

const EVERY = path.join(WORK, 'every_type.parquet');
await con.run(`CREATE TABLE every AS
  SELECT i % 3 = 0 AS b,
         (i % 256 - 128)::TINYINT AS i8, (i * 37 % 65536 - 32768)::SMALLINT AS i16,
         (i * 7919 - 123456789)::INTEGER AS i32, (i * 1000003 - 50000000000)::BIGINT AS i64,
         (i % 256)::UTINYINT AS u8, (i * 37 % 65536)::USMALLINT AS u16,
         (i * 7919)::UINTEGER AS u32, (i::UBIGINT * 1000000007) AS u64,
         (i / 7)::FLOAT AS f32, i / 7 AS f64, (i % 100000) / 100 AS price,
         ((i % 1999 - 999) / 10)::DECIMAL(4,1) AS d4, (i * 1.001)::DECIMAL(18,3) AS d18,
         (i * 12345.6789)::DECIMAL(38,10) AS d38,
         ['plain', 'with,comma', 'quote"d', 'new' || chr(10) || 'line', ' lead', 'trail ', '',
          'héllo 🌍', 'cr' || chr(13) || 'lf', 'NULL'][i % 10 + 1] AS s,
         ('\\x00\\x5C' || (i % 256)::VARCHAR || ',"')::BLOB AS bin,
         DATE '1900-01-01' + (i * 3)::INTEGER AS dt,
         TIMESTAMP '1969-12-31 00:00:00' + INTERVAL (i * 7777777) MICROSECONDS AS ts,
         (TIMESTAMP '2000-01-01' + INTERVAL (i * 1001) MILLISECONDS)::TIMESTAMP_MS AS ts_ms,
         (TIMESTAMP '2000-01-01' + INTERVAL (i * 1001) SECONDS)::TIMESTAMP_S AS ts_s,
         make_timestamp_ns(1700000000000000000 + i * 123456789) AS ts_ns,
         TIMESTAMPTZ '2024-03-01 12:00:00+00' + INTERVAL (i * 1234567) MICROSECONDS AS tstz,
         TIME '00:00:00' + INTERVAL (i * 12345678 % 86400000000) MICROSECONDS AS t,
         (TIME '00:00:00' + INTERVAL (i * 7654321 % 86400000000) MICROSECONDS)::TIMETZ AS ttz,
         ('00000000-0000-4000-8000-' || lpad(printf('%x', i * 2654435761 % 281474976710655), 12, '0'))::UUID AS u
  FROM range(100000) r(i)`);
// Special values and nulls in every column.
await con.run(`INSERT INTO every VALUES
  (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  (true, -128, -32768, -2147483648, -9223372036854775808, 255, 65535, 4294967295, 18446744073709551615,
   'nan'::FLOAT, 'nan'::DOUBLE, -0.0, -99.9, -999999999999999.999, 9999999999999999999999999999.9999999999,
   '', ''::BLOB, DATE '-0044-03-15', TIMESTAMP '1677-09-22 00:00:00', TIMESTAMP '0001-01-01 00:00:00',
   TIMESTAMP '9999-12-31 23:59:59', TIMESTAMP_NS '1678-01-01 00:00:00.000000001', TIMESTAMPTZ '1900-01-01 00:00:00+00',
   TIME '23:59:59.999999', TIMETZ '23:59:59.999999+00', '00000000-0000-0000-0000-000000000000'),
  (false, 127, 32767, 2147483647, 9223372036854775807, 0, 0, 0, 0,
   'inf'::FLOAT, '-inf'::DOUBLE, 5e-324, 99.9, 999999999999999.999, -9999999999999999999999999999.9999999999,
   '"', '\\xFF\\xFE'::BLOB, DATE '9999-12-31', TIMESTAMP '2262-04-11 23:47:16.854775', TIMESTAMP '1970-01-01',
   TIMESTAMP '1969-12-31 23:59:59', TIMESTAMP_NS '2262-01-01 00:00:00.123456789', TIMESTAMPTZ '2100-01-01 00:00:00.000001+00',
   TIME '00:00:00', TIMETZ '00:00:00+00', 'ffffffff-ffff-ffff-ffff-ffffffffffff'),
  (NULL, 1, 1, 1, 1, 1, 1, 1, 1, 3.4028235e38::FLOAT, 1.7976931348623157e308, 123456789012345680, 0.1, 0.001, 1e-10,
   ' ', 'plain'::BLOB, DATE '1970-01-01', TIMESTAMP '2024-02-29 12:34:56.000001', NULL, NULL, NULL, NULL, NULL, NULL, NULL)`);
await con.run(`COPY every TO ${lit(EVERY)} (FORMAT parquet)`);
const everyTypes = await describe(`read_parquet(${lit(EVERY)})`);
const columnsOption = `{${everyTypes.map((c) => `${lit(c.name)}: ${lit(c.type)}`).join(', ')}}`;

async function writeCase(name, output, args, duck) {
  if (!wanted(name)) return;
  const run = sluice('convert', EVERY, output, '--quiet', ...args);
  if (!check(`write ${name}: sluice convert exits 0`, run.status === 0, run.stderr)) return;
  const csvFrom = `read_csv(${lit(output)}, allow_quoted_nulls = false, auto_detect = false, columns = ${columnsOption}${duck})`;
  let difference;
  try {
    difference = await compareRows(`SELECT * FROM ${csvFrom}`, `SELECT * FROM read_parquet(${lit(EVERY)})`);
  } catch (error) {
    difference = error.message;
  }
  check(`write ${name}: DuckDB reads back the same values`, difference === '', difference);
}
await writeCase('csv', path.join(WORK, 'every_type.csv'), [], ", header = true, delim = ','");
await writeCase('tsv', path.join(WORK, 'every_type.tsv'), [], ", header = true, delim = '\\t'");
await writeCase('semicolon and NULL', path.join(WORK, 'every_type_semicolon.csv'),
  ['--out-delim', ';', '--out-null-string', 'NULL', '--out-quote', "'"],
  ", header = true, delim = ';', nullstr = 'NULL', quote = '''', escape = ''''");
await writeCase('no header', path.join(WORK, 'every_type_no_header.csv'), ['--out-header', 'false'],
  ", header = false, delim = ','");

// The writer's bytes do not depend on the thread count.
if (wanted('deterministic')) {
  const one = path.join(WORK, 'det-1.csv'), four = path.join(WORK, 'det-4.csv');
  sluice('--threads', '1', 'convert', EVERY, one, '--quiet');
  sluice('--threads', '4', 'convert', EVERY, four, '--quiet');
  check('write: the same bytes with 1 and 4 threads',
        fs.existsSync(one) && fs.existsSync(four) && Buffer.compare(fs.readFileSync(one), fs.readFileSync(four)) === 0);
}

// DuckDB's inference agrees with the written text where the types have a CSV spelling DuckDB
// sniffs (not the unsigned, small-integer, float32, decimal, blob and uuid columns).
if (wanted('inferred') && fs.existsSync(path.join(WORK, 'every_type.csv'))) {
  const sniffed = await describe(`read_csv(${lit(path.join(WORK, 'every_type.csv'))})`);
  const expect = { b: 'BOOLEAN', i64: 'BIGINT', f64: 'DOUBLE', price: 'DOUBLE', s: 'VARCHAR', dt: 'DATE',
                   ts: 'TIMESTAMP', ts_ns: 'TIMESTAMP', tstz: 'TIMESTAMP WITH TIME ZONE', t: 'TIME' };
  const wrong = sniffed.filter((c) => expect[c.name] && expect[c.name] !== c.type).map((c) => `${c.name}: ${c.type}`);
  check('write: DuckDB infers the types back from the written text', wrong.length === 0, wrong.join(', '));
}

// sluice reads its own CSV back: Parquet -> CSV -> Parquet with the types given is the same data.
const SLUICE_TYPE = {
  BOOLEAN: 'bool', TINYINT: 'int8', SMALLINT: 'int16', INTEGER: 'int32', BIGINT: 'int64',
  UTINYINT: 'uint8', USMALLINT: 'uint16', UINTEGER: 'uint32', UBIGINT: 'uint64', FLOAT: 'float32',
  DOUBLE: 'float64', VARCHAR: 'utf8', BLOB: 'binary', DATE: 'date32', TIMESTAMP: 'timestamp[us]',
  TIMESTAMP_MS: 'timestamp[ms]', TIMESTAMP_S: 'timestamp[s]', TIMESTAMP_NS: 'timestamp[ns]',
  'TIMESTAMP WITH TIME ZONE': 'timestamp[us, UTC]', TIME: 'time64[us]',
  'TIME WITH TIME ZONE': 'time64[us, UTC]', UUID: 'uuid',
};
const sluiceType = (t) => SLUICE_TYPE[t] ?? t.replace(/^DECIMAL\((\d+),(\d+)\)$/, 'decimal($1,$2)');
// What sluice's CSV reader cannot read yet, though the writer writes it (and DuckDB reads it):
// these columns are read as utf8 and DuckDB casts the text back to the original type. Remove an
// entry when the reader learns it.
const READER_GAPS = {
  bin: 'binary: \\xNN escapes are not decoded (the text is taken byte for byte)',
  dt: 'date32: years before 0 or after 9999 (-44-03-15) are rejected',
  t: 'time64: not supported',
  ttz: 'time64 (UTC-adjusted): not supported',
  u: 'uuid: not supported',
};
for (const [column, gap] of Object.entries(READER_GAPS)) console.log(`# reader gap, '${column}' read as utf8: ${gap}`);
const roundTripType = (c) => (READER_GAPS[c.name] ? 'utf8' : sluiceType(c.type));
const castBack = everyTypes.map((c) => (READER_GAPS[c.name] ? `CAST(${ident(c.name)} AS ${c.type}) AS ${ident(c.name)}` : ident(c.name))).join(', ');
if (wanted('round trip') && fs.existsSync(path.join(WORK, 'every_type.csv'))) {
  const csv = path.join(WORK, 'every_type.csv');
  const back = path.join(WORK, 'every_type_back.parquet');
  const types = everyTypes.map((c) => `${c.name}=${roundTripType(c)}`).join(',');
  const run = sluice('convert', csv, back, '--quiet', '--types', types);
  if (check('round trip: sluice reads its own CSV with the types given', run.status === 0, run.stderr)) {
    const backTypes = await describe(`(SELECT ${castBack} FROM read_parquet(${lit(back)}))`);
    check('round trip: same types', JSON.stringify(backTypes) === JSON.stringify(everyTypes), JSON.stringify(backTypes));
    const difference = await compareRows(`SELECT ${castBack} FROM read_parquet(${lit(back)})`,
                                         `SELECT * FROM read_parquet(${lit(EVERY)})`);
    check('round trip: same values in the same order', difference === '', difference);
  }
  // Without types, the columns with an inferable spelling come back with their types (the others
  // are given, since the special rows beyond the sample would not fit what the sample suggests).
  const inferred = path.join(WORK, 'every_type_inferred.parquet');
  const expect = { b: 'BOOLEAN', i64: 'BIGINT', f64: 'DOUBLE', price: 'DOUBLE', s: 'VARCHAR',
                   ts: 'TIMESTAMP', tstz: 'TIMESTAMP WITH TIME ZONE' };
  const given = everyTypes.filter((c) => !expect[c.name]).map((c) => `${c.name}=${roundTripType(c)}`).join(',');
  const plain = sluice('convert', csv, inferred, '--quiet', '--types', given);
  if (check('round trip: sluice infers the types of its own CSV', plain.status === 0, plain.stderr)) {
    const got = Object.fromEntries((await describe(`read_parquet(${lit(inferred)})`)).map((c) => [c.name, c.type]));
    const wrong = Object.entries(expect).filter(([n, t]) => got[n] !== t).map(([n, t]) => `${n}: ${got[n]} (want ${t})`);
    check('round trip: inferred types of bool, int64, float64, utf8, timestamp, timestamp with zone', wrong.length === 0, wrong.join(', '));
  }
}

// CSV -> CSV: a new dialect, read back by DuckDB.
if (wanted('csv to csv') && fs.existsSync(path.join(WORK, 'quotes.csv'))) {
  const input = path.join(WORK, 'quotes.csv');
  const output = path.join(WORK, 'quotes_semicolon.csv');
  const run = sluice('convert', input, output, '--quiet', '--out-delim', ';');
  if (check('csv to csv: convert exits 0', run.status === 0, run.stderr)) {
    const difference = await compareRows(
      `SELECT * FROM read_csv(${lit(output)}, delim = ';', allow_quoted_nulls = false)`,
      `SELECT * FROM read_csv(${lit(input)}, allow_quoted_nulls = false)`);
    check('csv to csv: same values', difference === '', difference);
  }
}

// ---------------------------------------------------------------------------------------------
// 3. Bad input through the command line.

async function badCase(name, content, { line, column } = {}) {
  if (!wanted(name)) return;
  const dir = path.join(WORK, `bad-${name.replace(/\W+/g, '_')}`);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'input.csv');
  fs.writeFileSync(file, content);
  // Into an empty folder: no output may appear.
  const fresh = path.join(dir, 'fresh.parquet');
  const run = sluice('convert', file, fresh, '--quiet');
  const first = run.stderr.split('\n')[0];
  check(`bad ${name}: exits 1`, run.status === 1, `exit ${run.status} ${run.signal ?? ''} ${run.stderr}`);
  check(`bad ${name}: says sluice: error: and names the file`,
        first.startsWith('sluice: error:') && run.stderr.includes('input.csv'), run.stderr);
  if (line !== undefined) {
    check(`bad ${name}: names line ${line}`, new RegExp(`line ${line}\\b`).test(run.stderr), run.stderr);
  }
  if (column !== undefined) check(`bad ${name}: names column ${column}`, run.stderr.includes(column), run.stderr);
  check(`bad ${name}: leaves no output file`, !fs.existsSync(fresh) && noTempFiles(dir).length === 0,
        fs.readdirSync(dir).join(' '));
  // Over an earlier output: it stays as it was.
  const earlier = path.join(dir, 'earlier.csv');
  fs.writeFileSync(earlier, 'earlier\n');
  const over = sluice('convert', file, earlier, '--quiet');
  check(`bad ${name}: leaves an earlier output intact`,
        over.status === 1 && fs.readFileSync(earlier, 'utf8') === 'earlier\n' && noTempFiles(dir).length === 0, over.stderr);
}

await badCase('ragged short row', 'a,b,c\n1,2,3\n4,5\n6,7,8\n', { line: 3 });
await badCase('ragged long row', 'a,b\n1,2\n3,4,5\n', { line: 3 });
await badCase('unterminated quote', 'a,b\n1,x\n2,"never closed\n3,y\n4,z\n', { line: 3 });
await badCase('invalid utf-8', Buffer.concat([Buffer.from('a,b\n1,ok\n2,'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('\n3,x\n')]), { line: 3 });
await badCase('nul bytes', Buffer.concat([Buffer.from('a,b\n1,x\n2,y\n3,'), Buffer.from([0]), Buffer.from('z\n')]), { line: 4 });
{
  const next = rng(99);
  const garbage = Buffer.alloc(8192);
  for (let i = 0; i < garbage.length; i++) garbage[i] = Math.floor(next() * 256);
  await badCase('binary garbage', garbage, { line: 1 });
  // Garbage after good lines: the error names a later line.
  await badCase('binary garbage after a header', Buffer.concat([Buffer.from('a,b\n1,2\n'), garbage]));
}
await badCase('a value breaking the inferred type after the sample',
  'id,price\n' + Array.from({ length: 30000 }, (_, i) => `${i},${i}.5`).join('\n') + '\n30000,n/a\n',
  { line: 30002, column: 'price' });

// Usage errors exit 2.
if (wanted('usage')) {
  const csv = write('usage.csv', 'a,b\n1,2\n');
  const cases = [
    [['head', csv, '--ragged', 'sometimes'], '--ragged with an unknown value'],
    [['head', csv, '--delim', 'ab'], '--delim with two characters'],
    [['head', csv, '--types', 'a=int65'], '--types with an unknown type'],
    [['head', csv, '--header', 'maybe'], '--header with a non-boolean'],
    [['convert', csv, path.join(WORK, 'usage.csv.gz')], 'compressed CSV output'],
    [['convert', csv, path.join(WORK, 'usage.xlsx')], 'an unknown output format'],
    [['head', EVERY, '--delim', ';'], 'CSV options for a Parquet input'],
    [['convert', csv, path.join(WORK, 'usage-out.csv'), '--compression', 'snappy'], 'Parquet options for CSV output'],
  ];
  for (const [args, what] of cases) {
    const run = sluice(...args);
    check(`usage: ${what} exits 2`, run.status === 2 && run.stderr.startsWith('sluice: error:'), `exit ${run.status}: ${run.stderr}`);
  }
  const typo = sluice('head', csv, '--types', 'a=flaot64');
  check('usage: a misspelt type suggests the closest name', typo.stderr.includes('float64'), typo.stderr);
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
