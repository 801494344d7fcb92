#!/usr/bin/env node
// Cross-engine Parquet test: files written by DuckDB and Polars are converted by `sluice convert`,
// and the results must read back in DuckDB and Polars exactly like the originals (same column
// names, same types, same rows in the same order, bit-identical floats), with the metadata asked
// for (codec, row-group size, page version, dictionary, statistics, bloom filters, created_by),
// and byte-identical output across runs and thread counts.
//
// usage: node tests/diff/parquet_cross_engine.mjs SLUICE_BIN WORK_DIR
//   SLUICE_XE_QUICK=1        only a few fixtures and option sets (smoke run)
//   SLUICE_XE_FILTER=REGEX   only the fixtures whose label matches (e.g. "polars|handmade")
// Prints one `ok - ...` / `not ok - ...` line per check and ends with `N passed, M failed`;
// exits 1 if any check failed.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { readFooter, columnChunks, readPageHeaders, PageType } from '../lib/parquet_thrift.mjs';
import { transcodeToV2 } from '../lib/parquet_transcode.mjs';

// ---------------------------------------------------------------------------------------------
// harness

const [BIN_ARG, WORK] = process.argv.slice(2);
if (!BIN_ARG || !WORK) {
  console.error('usage: node parquet_cross_engine.mjs SLUICE_BIN WORK_DIR');
  process.exit(2);
}
const BIN = path.resolve(BIN_ARG);
try {
  fs.accessSync(BIN, fs.constants.X_OK);
  if (!fs.statSync(BIN).isFile()) throw new Error('not a file');
} catch {
  console.log(`not ok - sluice binary not found or not executable: ${BIN_ARG} (build it first)`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

let duckdb, pl;
try {
  duckdb = await import('@duckdb/node-api');
  pl = (await import('nodejs-polars')).default;
} catch (e) {
  console.log(`not ok - peers missing (run scripts/setup to install @duckdb/node-api and nodejs-polars): ${e.message}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

const QUICK = process.env.SLUICE_XE_QUICK === '1';
let passed = 0, failed = 0;
const t0 = Date.now();

function report(ok, name, detail) {
  if (ok) {
    passed++;
    console.log(`ok - ${name}`);
  } else {
    failed++;
    console.log(`not ok - ${name}`);
    if (detail) for (const line of String(detail).split('\n').slice(0, 12)) console.log(`#   ${line.slice(0, 400)}`);
  }
}
const note = (s) => console.log(`# ${s}`);

// Runs a check body; it returns nothing (pass), a string/array of problems (fail), or throws (fail).
async function check(name, fn) {
  try {
    let problems = await fn();
    if (Array.isArray(problems)) problems = problems.length ? problems.join('\n') : null;
    report(!problems, name, problems || undefined);
    return !problems;
  } catch (e) {
    report(false, name, `exception: ${e && e.message ? e.message : e}`);
    return false;
  }
}

let sluiceMs = 0, sluiceRuns = 0;
function runSluice(args, { env = {}, timeoutMs = 60000 } = {}) {
  sluiceRuns++;
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(BIN, args, { env: { ...process.env, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [], err = [];
    let outLen = 0, errLen = 0, timedOut = false;
    child.stdout.on('data', (d) => { if (outLen < 8 << 20) { out.push(d); outLen += d.length; } });
    child.stderr.on('data', (d) => { if (errLen < 1 << 20) { err.push(d); errLen += d.length; } });
    const timer = setTimeout(() => {
      timedOut = true;
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ code: null, signal: null, stdout: '', stderr: String(e), timedOut, ms: Date.now() - started, spawnError: e });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      sluiceMs += Date.now() - started;
      resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), timedOut, ms: Date.now() - started });
    });
  });
}

const describeRun = (r) =>
  r.timedOut ? 'timed out' : r.signal ? `killed by signal ${r.signal}` : r.spawnError ? `spawn failed: ${r.stderr}` : `exit ${r.code}`;
const firstLines = (s, n = 4) => s.split('\n').filter(Boolean).slice(0, n).join(' | ');

// ---------------------------------------------------------------------------------------------
// DuckDB / Polars helpers

const inst = await duckdb.DuckDBInstance.create(':memory:', { threads: '2' });
const con = await inst.connect();
const q = async (sql) => (await con.runAndReadAll(sql)).getRowObjectsJson();
const lit = (s) => `'${String(s).replaceAll("'", "''")}'`;
const ident = (s) => `"${String(s).replaceAll('"', '""')}"`;
await q(`SET TimeZone='UTC'`);

async function describe(file) {
  return (await q(`DESCRIBE SELECT * FROM read_parquet(${lit(file)})`)).map((r) => ({ name: r.column_name, type: r.column_type }));
}

// Normalized logical annotation of each leaf column, from parquet_schema(): a writer may spell the
// same logical type with or without the legacy converted_type, but must not change the type.
function normalizeSchemaRow(r) {
  const lt = r.logical_type || '';
  const ct = r.converted_type || '';
  const phys = r.type;
  if (/^DecimalType/.test(lt) || ct === 'DECIMAL') return `decimal(${r.precision},${r.scale})`;
  const unit = (s) => (/MILLIS=MilliSeconds/.test(s) ? 'ms' : /MICROS=MicroSeconds/.test(s) ? 'us' : /NANOS=NanoSeconds/.test(s) ? 'ns' : '?');
  const utc = (s) => (/isAdjustedToUTC=(1|true)/i.test(s) ? ',utc' : '');
  if (/^TimestampType/.test(lt)) return `timestamp(${unit(lt)}${utc(lt)})`;
  if (/^TimeType/.test(lt)) return `time(${unit(lt)}${utc(lt)})`;
  if (ct === 'TIMESTAMP_MILLIS') return 'timestamp(ms,utc)';
  if (ct === 'TIMESTAMP_MICROS') return 'timestamp(us,utc)';
  if (ct === 'TIME_MILLIS') return 'time(ms,utc)';
  if (ct === 'TIME_MICROS') return 'time(us,utc)';
  if (/^IntType/.test(lt)) {
    // DuckDB prints the bit width as a raw byte ("bitWidth=\b" for 8): accept digits or that byte
    const raw = /bitWidth=(\d+|.)/s.exec(lt)?.[1] ?? "?";
    const bits = /^\d+$/.test(raw) ? raw : String(raw.charCodeAt(0));
    const signed = /isSigned=(1|true)/i.test(lt);
    return `${signed ? 'int' : 'uint'}${bits}`;
  }
  const ctInt = /^(U?)INT_(8|16|32|64)$/.exec(ct);
  if (ctInt) return `${ctInt[1] ? 'uint' : 'int'}${ctInt[2]}`;
  if (/^StringType/.test(lt) || ct === 'UTF8') return 'string';
  if (/^EnumType/.test(lt) || ct === 'ENUM') return 'enum';
  if (/^JsonType/.test(lt) || ct === 'JSON') return 'json';
  if (/^UUIDType/.test(lt)) return 'uuid';
  if (/^DateType/.test(lt) || ct === 'DATE') return 'date';
  if (lt || ct) return `${phys}:${lt || ct}`;
  if (phys === 'FIXED_LEN_BYTE_ARRAY') return `fixed[${r.type_length}]`;
  if (phys === 'INT32') return 'int32';
  if (phys === 'INT64') return 'int64';
  return phys;
}

async function parquetSchema(file) {
  const rows = await q(`SELECT name, type, type_length, converted_type, scale, precision, logical_type, num_children
                        FROM parquet_schema(${lit(file)})`);
  return rows.filter((r) => r.type !== null && r.type !== undefined).map((r) => ({ name: r.name, norm: normalizeSchemaRow(r) }));
}

async function metadata(file) {
  return q(`SELECT row_group_id::BIGINT rg, row_group_num_rows::BIGINT nrows, column_id::BIGINT col, path_in_schema path, type,
                   compression, encodings, stats_min_value, stats_max_value, stats_null_count::BIGINT null_count,
                   min_is_exact, max_is_exact, dictionary_page_offset::BIGINT dict_off, data_page_offset::BIGINT data_off,
                   total_compressed_size::BIGINT tcs, bloom_filter_offset::BIGINT bloom_off, num_values::BIGINT num_values
            FROM parquet_metadata(${lit(file)}) ORDER BY row_group_id, column_id`);
}

// Polars dtype of each column as Polars prints it (nodejs-polars cannot hand Binary dtypes to JS).
function polarsSchema(df) {
  return df.columns.map((c) => {
    const lines = df.select(c).head(0).toString().split('\n');
    return `${c}: ${(lines[4] || '?').replace(/[│|]/g, '').trim()}`;
  });
}

function polarsCompare(expected, actual, label) {
  const problems = [];
  const se = polarsSchema(expected), sa = polarsSchema(actual);
  if (se.join('\n') !== sa.join('\n')) {
    const diffs = [];
    for (let i = 0; i < Math.max(se.length, sa.length); i++) if (se[i] !== sa[i]) diffs.push(`${se[i] ?? '(none)'} -> ${sa[i] ?? '(none)'}`);
    problems.push(`${label}: schema differs: ${diffs.slice(0, 6).join('; ')}`);
    return problems;
  }
  if (expected.height !== actual.height) {
    problems.push(`${label}: ${expected.height} rows expected, got ${actual.height}`);
    return problems;
  }
  if (!expected.frameEqual(actual, true)) {
    const bad = [];
    for (const c of expected.columns) {
      try {
        if (!expected.getColumn(c).seriesEqual(actual.getColumn(c), true)) bad.push(c);
      } catch {
        const a = expected.select(c), b = actual.select(c);
        if (!a.frameEqual(b, true)) bad.push(c);
      }
    }
    problems.push(`${label}: values differ in column(s) ${bad.join(', ') || '(unknown)'}`);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// fixtures

const FIX = path.join(WORK, 'fixtures');
const OUT = path.join(WORK, 'out');
for (const d of [FIX, OUT]) {
  fs.rmSync(d, { recursive: true, force: true });
  fs.mkdirSync(d, { recursive: true });
}

const N_ROWS = 6000;
// nullable expression: about 10% nulls, at different rows per column (k)
const nul = (k, expr) => `CASE WHEN (i * 7 + ${k}) % 10 = 0 THEN NULL ELSE ${expr} END`;
const H = 'hash(i)'; // deterministic UBIGINT per row

// Every flat type DuckDB writes, with edge values in the first rows: integer min/max, NaN, +-inf,
// -0.0, denormals, empty/long/unicode strings, NUL bytes, dates before 1970 and at the ends of the
// range, timestamps before 1970 with sub-second parts.
const DUCK_SQL = `
SELECT
  i::BIGINT AS id,
  ${nul(1, `(i % 3 = 0)`)} AS b,
  ${nul(2, `CASE i WHEN 1 THEN -128 WHEN 2 THEN 127 ELSE (i * 37) % 256 - 128 END`)}::TINYINT AS i8,
  ${nul(3, `CASE i WHEN 1 THEN -32768 WHEN 2 THEN 32767 ELSE (i * 7919) % 65536 - 32768 END`)}::SMALLINT AS i16,
  ${nul(4, `CASE i WHEN 1 THEN -2147483648 WHEN 2 THEN 2147483647 ELSE (i * 2654435761) % 4294967296 - 2147483648 END`)}::INTEGER AS i32,
  ${nul(5, `CASE i WHEN 1 THEN -9223372036854775808 WHEN 2 THEN 9223372036854775807
            ELSE (${H} >> 2)::BIGINT * (CASE WHEN i % 2 = 0 THEN 1 ELSE -1 END) END`)}::BIGINT AS i64,
  ${nul(6, `CASE i WHEN 1 THEN 0 WHEN 2 THEN 255 ELSE (i * 13) % 256 END`)}::UTINYINT AS u8,
  ${nul(7, `CASE i WHEN 1 THEN 0 WHEN 2 THEN 65535 ELSE (i * 7919) % 65536 END`)}::USMALLINT AS u16,
  ${nul(8, `CASE i WHEN 1 THEN 0 WHEN 2 THEN 4294967295 ELSE (i * 2654435761) % 4294967296 END`)}::UINTEGER AS u32,
  ${nul(9, `CASE i WHEN 1 THEN 0 WHEN 2 THEN 18446744073709551615 ELSE ${H} END`)}::UBIGINT AS u64,
  ${nul(0, `CASE i WHEN 1 THEN 'NaN'::FLOAT WHEN 2 THEN 'inf'::FLOAT WHEN 3 THEN '-inf'::FLOAT WHEN 4 THEN '-0.0'::FLOAT
            WHEN 5 THEN 3.4028235e38::FLOAT WHEN 6 THEN 1.4e-45::FLOAT WHEN 7 THEN '0.0'::FLOAT
            ELSE ((i * 7919) % 100003 - 50000)::FLOAT / 7.0 END`)}::FLOAT AS f32,
  ${nul(1, `CASE i WHEN 1 THEN 'NaN'::DOUBLE WHEN 2 THEN 'inf'::DOUBLE WHEN 3 THEN '-inf'::DOUBLE WHEN 4 THEN '-0.0'::DOUBLE
            WHEN 5 THEN 1.7976931348623157e308 WHEN 6 THEN 5e-324 WHEN 7 THEN -2.2250738585072014e-308
            ELSE ((i * 2654435761) % 1000003 - 500000)::DOUBLE / 3.0 END`)}::DOUBLE AS f64,
  ${nul(2, `CASE i WHEN 1 THEN -9999999.99 WHEN 2 THEN 9999999.99 ELSE ((i * 7919) % 2000000 - 1000000)::DECIMAL(9,0) * 0.01 END`)}::DECIMAL(9,2) AS d9,
  ${nul(3, `CASE i WHEN 1 THEN -99999999999999.9999 WHEN 2 THEN 99999999999999.9999
            ELSE ((${H} % 1000000000000000000)::BIGINT - 500000000000000000)::DECIMAL(18,0) * 0.0001 END`)}::DECIMAL(18,4) AS d18,
  ${nul(4, `CASE i WHEN 1 THEN -9999999999999999999999999999.9999999999 WHEN 2 THEN 9999999999999999999999999999.9999999999
            ELSE (${H}::HUGEINT * 1000000007 - 9000000000000000000000000000)::DECIMAL(38,0) * 0.0000000001 END`)}::DECIMAL(38,10) AS d38,
  ${nul(5, `((i % 1999) - 999)::DECIMAL(4,0) * 0.1`)}::DECIMAL(4,1) AS d4,
  ${nul(6, `CASE
      WHEN i % 97 = 1 THEN ''
      WHEN i % 101 = 2 THEN repeat('long-' || i::VARCHAR || '-', 200 + i % 300)
      WHEN i % 13 = 3 THEN 'héllo wörld ' || i::VARCHAR || ' 🦆 日本語 ' || chr(128512) || ' e' || chr(769)
      WHEN i % 17 = 4 THEN 'quote " comma , newline' || chr(10) || 'tab' || chr(9) || 'end ' || i::VARCHAR
      WHEN i = 5 THEN 'nul' || chr(0) || 'inside'
      ELSE 'str_' || md5(i::VARCHAR) END`)} AS s,
  ${nul(7, `'cat_' || (i % 17)::VARCHAR`)} AS lowcard,
  ${nul(8, `(['sad','ok','happy','ecstatic'])[1 + i % 4]`)}::mood AS e,
  ${nul(9, `json_object('k', i, 'v', 'x' || (i % 5)::VARCHAR)`)}::JSON AS js,
  ${nul(0, `CASE WHEN i % 50 = 1 THEN ''::BLOB WHEN i % 50 = 2 THEN from_hex('00FF007F80') ELSE unhex(md5(i::VARCHAR)) END`)} AS bl,
  ${nul(1, `md5(i::VARCHAR)::UUID`)} AS u,
  ${nul(2, `CASE i WHEN 1 THEN DATE '0001-01-01' WHEN 2 THEN DATE '9999-12-31' WHEN 3 THEN DATE '1969-12-31' WHEN 4 THEN DATE '1900-02-28'
            ELSE DATE '1900-01-01' + ((i * 7919) % 60000)::INTEGER END`)} AS dt,
  ${nul(3, `CASE i WHEN 1 THEN TIME '00:00:00' WHEN 2 THEN TIME '23:59:59.999999'
            ELSE TIME '00:00:00' + to_microseconds((i * 2654435761) % 86400000000) END`)} AS t,
  ${nul(4, `CASE i WHEN 1 THEN '00:00:00+00'::TIMETZ ELSE ('01:02:03.25+05:30'::TIMETZ + to_seconds(i)) END`)} AS ttz,
  ${nul(5, `make_timestamp((${H} % 8000000000000000)::BIGINT - 4000000000000000)`)} AS ts,
  ${nul(6, `epoch_ms((${H} % 6000000000000)::BIGINT - 3000000000000)::TIMESTAMP_MS`)} AS ts_ms,
  ${nul(7, `make_timestamp_ns((${H} % 6000000000000000000)::BIGINT - 3000000000000000000)`)} AS ts_ns,
  ${nul(8, `make_timestamp((${H} % 6000000000000000)::BIGINT - 3000000000000000)::TIMESTAMPTZ`)} AS tstz
FROM range(${N_ROWS}) r(i)`;

const DUCK_CODECS = ['uncompressed', 'snappy', 'gzip', 'zstd', 'lz4_raw', 'brotli'];
const POLARS_CODECS = ['uncompressed', 'snappy', 'gzip', 'zstd', 'lz4', 'brotli'];

const fixtures = []; // {name, label, file, source}

async function makeDuckFixtures() {
  await q(`CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy', 'ecstatic')`);
  await q(`CREATE TABLE base AS ${DUCK_SQL}`);
  // single-threaded writes: deterministic row-group boundaries
  await q(`SET threads = 1`);
  const codecs = QUICK ? ['zstd', 'snappy'] : DUCK_CODECS;
  for (const codec of codecs) {
    for (const pv of ['v1', 'v2']) {
      for (const dict of ['dict', 'nodict']) {
        if (QUICK && !((codec === 'zstd' && pv === 'v2' && dict === 'dict') || (codec === 'snappy' && pv === 'v1' && dict === 'nodict'))) continue;
        // DuckDB compresses brotli at its slowest level (~2 s a file here): two of the four suffice
        if (codec === 'brotli' && ((pv === 'v1') !== (dict === 'dict'))) continue;
        const name = `duckdb_${codec}_${pv}_${dict}`;
        const file = path.join(FIX, `${name}.parquet`);
        const opts = [`FORMAT parquet`, `COMPRESSION ${codec}`, `ROW_GROUP_SIZE 2048`, `PARQUET_VERSION ${pv}`];
        if (dict === 'nodict') opts.push('DICTIONARY_SIZE_LIMIT 1');
        await q(`COPY base TO ${lit(file)} (${opts.join(', ')})`);
        fixtures.push({ name, label: `duckdb ${codec} ${pv} ${dict}`, file, source: 'duckdb' });
      }
    }
  }
  // Neither peer writes data page v2 headers, nor legacy (Hadoop-framed) LZ4: derive such files
  // from an uncompressed DuckDB file by rewriting its pages (tests/lib/parquet_transcode.mjs).
  const plain = path.join(FIX, '_duckdb_plain_v1.parquet');
  const plainDict = path.join(FIX, '_duckdb_plain_v1_dict.parquet');
  await q(`COPY base TO ${lit(plain)} (FORMAT parquet, COMPRESSION uncompressed, ROW_GROUP_SIZE 2048, DICTIONARY_SIZE_LIMIT 1)`);
  await q(`COPY base TO ${lit(plainDict)} (FORMAT parquet, COMPRESSION uncompressed, ROW_GROUP_SIZE 2048)`);
  const handmade = QUICK
    ? [['zstd', 2, plainDict]]
    : [['uncompressed', 2, plain], ['gzip', 2, plainDict], ['brotli', 2, plain], ['zstd', 2, plainDict], ['snappy', 2, plain],
       ['lz4_raw', 2, plainDict], ['lz4', 1, plainDict], ['lz4', 2, plain]];
  for (const [codec, pageVersion, src] of handmade) {
    const dict = src === plainDict ? 'dict' : 'nodict';
    const name = `handmade_${codec}_v${pageVersion}_${dict}`;
    const file = path.join(FIX, `${name}.parquet`);
    fs.writeFileSync(file, transcodeToV2(fs.readFileSync(src), { codec, pageVersion, zlib }));
    fixtures.push({ name, label: `handmade ${codec === 'lz4' ? 'lz4(hadoop)' : codec} pagev${pageVersion} ${dict}`, file, source: 'handmade', original: src });
  }
  await q(`RESET threads`);
}

async function makePolarsFixtures() {
  const src = path.join(FIX, '_polars_src.parquet');
  await q(`COPY (SELECT id, b, i8, i16, i32, i64, u8, u16, u32, u64, f32, f64, d9, d18, d38, d4, s, lowcard, bl, dt, t, ts, ts_ms, ts_ns, tstz
                 FROM base) TO ${lit(src)} (FORMAT parquet, COMPRESSION uncompressed)`);
  const df = pl.readParquet(src).withColumns(
    pl.col('ts_ms').cast(pl.Datetime('ms', 'UTC')).alias('ts_ms_tz'),
    pl.col('ts_ns').cast(pl.Datetime('ns', 'UTC')).alias('ts_ns_tz'),
    pl.col('ts').cast(pl.Datetime('ns')).alias('ts_us_as_ns'),
  );
  const codecs = QUICK ? ['zstd'] : POLARS_CODECS;
  for (const codec of codecs) {
    const name = `polars_${codec}`;
    const file = path.join(FIX, `${name}.parquet`);
    df.lazy().sinkParquet(file, { compression: codec, statistics: true, rowGroupSize: 2000 }).collectSync();
    fixtures.push({ name, label: `polars ${codec}`, file, source: 'polars' });
  }
}

// ---------------------------------------------------------------------------------------------
// option sets for `sluice convert`

const OPTION_SETS = [
  { name: 'default', args: [] },
  { name: 'snappy-v2', args: ['--compression', 'snappy', '--page-version', '2'], codec: ['SNAPPY'], pageVersion: 2 },
  { name: 'plain-rg1000', args: ['--no-dictionary', '--compression', 'none', '--row-group-size', '1000'], codec: ['UNCOMPRESSED'], noDict: true, rowGroupSize: 1000 },
  { name: 'gzip-v1', args: ['--compression', 'gzip', '--page-version', '1'], codec: ['GZIP'], pageVersion: 1 },
  { name: 'brotli', args: ['--compression', 'brotli'], codec: ['BROTLI'] },
  // "lz4": either framing is acceptable in the footer, as long as both peers read the result
  { name: 'lz4', args: ['--compression', 'lz4'], codec: ['LZ4', 'LZ4_RAW'] },
  { name: 'lz4raw-v2-rg2500', args: ['--compression', 'lz4_raw', '--page-version', '2', '--row-group-size', '2500'], codec: ['LZ4_RAW'], pageVersion: 2, rowGroupSize: 2500 },
  { name: 'zstd-bloom', args: ['--compression', 'zstd', '--bloom-filter', 'id,lowcard'], codec: ['ZSTD'], bloom: ['id', 'lowcard'] },
];
const QUICK_SETS = ['default', 'snappy-v2', 'plain-rg1000', 'zstd-bloom'];

// ---------------------------------------------------------------------------------------------
// checks

// Rows of G against F in DuckDB: same count, same multiset, and same values at the same row
// positions compared through their VARCHAR rendering (which tells -0.0 from 0.0 and shows every
// digit of a float), so values must match exactly, not merely compare equal.
async function compareRowsDuck(F, G, cols) {
  const problems = [];
  const [{ nf, ng }] = await q(`SELECT (SELECT count(*) FROM read_parquet(${lit(F)}))::BIGINT nf, (SELECT count(*) FROM read_parquet(${lit(G)}))::BIGINT ng`);
  if (nf !== ng) problems.push(`row count: ${nf} expected, got ${ng}`);
  const diffExprs = cols.map((c, k) => `count(*) FILTER (WHERE a.${ident(c)}::VARCHAR IS DISTINCT FROM b.${ident(c)}::VARCHAR)::BIGINT AS d${k}`);
  const firstExprs = cols.map((c, k) => `min(a.file_row_number) FILTER (WHERE a.${ident(c)}::VARCHAR IS DISTINCT FROM b.${ident(c)}::VARCHAR)::BIGINT AS r${k}`);
  const [row] = await q(`SELECT count(*) FILTER (WHERE a.file_row_number IS NULL OR b.file_row_number IS NULL)::BIGINT AS unmatched,
                                ${diffExprs.join(', ')}, ${firstExprs.join(', ')}
                         FROM read_parquet(${lit(F)}, file_row_number = true) a
                         FULL OUTER JOIN read_parquet(${lit(G)}, file_row_number = true) b ON a.file_row_number = b.file_row_number`);
  if (row.unmatched !== '0') problems.push(`${row.unmatched} row positions present in only one file`);
  const bad = cols.map((c, k) => [c, row[`d${k}`], row[`r${k}`]]).filter(([, n]) => n !== '0');
  if (bad.length) {
    const [c, , r] = bad[0];
    const [ex] = await q(`SELECT a.${ident(c)}::VARCHAR AS f, b.${ident(c)}::VARCHAR AS g
                          FROM read_parquet(${lit(F)}, file_row_number = true) a, read_parquet(${lit(G)}, file_row_number = true) b
                          WHERE a.file_row_number = ${r} AND b.file_row_number = ${r}`);
    const show = (v) => (v === null || v === undefined ? 'NULL' : JSON.stringify(v.length > 80 ? `${v.slice(0, 80)}...` : v));
    problems.push(`ordered comparison: ${bad.map(([cc, n]) => `${cc} (${n} rows)`).join(', ')} differ; first: row ${r} ${c}: ${show(ex?.f)} expected, got ${show(ex?.g)}`);
  }
  if (problems.length) {
    // equal at every position implies equal as multisets; on a difference, tell order from content
    try {
      const [{ d }] = await q(`SELECT count(*)::BIGINT d FROM (
          (SELECT * FROM read_parquet(${lit(F)}) EXCEPT ALL SELECT * FROM read_parquet(${lit(G)}))
          UNION ALL
          (SELECT * FROM read_parquet(${lit(G)}) EXCEPT ALL SELECT * FROM read_parquet(${lit(F)})))`);
      problems.push(d === '0' ? 'multiset: same rows (EXCEPT ALL both ways is empty): the difference is in row order or in exact representation (-0.0, type)'
                                : `multiset: ${d} rows differ (EXCEPT ALL both ways)`);
    } catch (e) {
      problems.push(`multiset comparison failed: ${e.message.split('\n')[0]}`);
    }
  }
  return problems;
}

async function compareTypesDuck(F, G) {
  const problems = [];
  const [df, dg] = [await describe(F), await describe(G)];
  const fs_ = df.map((c) => `${c.name} ${c.type}`), gs = dg.map((c) => `${c.name} ${c.type}`);
  if (fs_.join('\n') !== gs.join('\n')) {
    const diffs = [];
    for (let i = 0; i < Math.max(fs_.length, gs.length); i++) if (fs_[i] !== gs[i]) diffs.push(`${fs_[i] ?? '(none)'} -> ${gs[i] ?? '(none)'}`);
    problems.push(`DESCRIBE differs: ${diffs.slice(0, 8).join('; ')}`);
  }
  const [sf, sg] = [await parquetSchema(F), await parquetSchema(G)];
  const a = sf.map((c) => `${c.name} ${c.norm}`), b = sg.map((c) => `${c.name} ${c.norm}`);
  if (a.join('\n') !== b.join('\n')) {
    const diffs = [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) if (a[i] !== b[i]) diffs.push(`${a[i] ?? '(none)'} -> ${b[i] ?? '(none)'}`);
    problems.push(`parquet logical types differ: ${diffs.slice(0, 8).join('; ')}`);
  }
  return problems;
}

const STAT_COLUMNS = ['id', 'i8', 'i32', 'i64', 'u32', 'u64', 'f32', 'f64', 'd9', 'd18', 'd38', 'dt', 'ts', 'lowcard'];
const FLOAT_TYPES = new Set(['FLOAT', 'DOUBLE']);
const parseNum = (s) => (s === 'inf' || s === 'Infinity' ? Infinity : s === '-inf' || s === '-Infinity' ? -Infinity : Number(s));
const sameNum = (a, b) => (a === 0 && b === 0) || Object.is(a, b);

// Expected per-row-group statistics of F's data cut at G's row-group boundaries.
async function expectedStats(F, bounds, cols, fTypes) {
  const values = bounds.map(([lo, hi], k) => `(${k}, ${lo}, ${hi})`).join(', ');
  const exprs = [];
  cols.forEach((c, k) => {
    const C = `t.${ident(c)}`;
    exprs.push(`(count(*) - count(${C}))::BIGINT AS n${k}`);
    if (fTypes.get(c) && FLOAT_TYPES.has(fTypes.get(c))) {
      exprs.push(`min(${C}) FILTER (WHERE NOT isnan(${C}))::VARCHAR AS lo${k}, max(${C}) FILTER (WHERE NOT isnan(${C}))::VARCHAR AS hi${k}, bool_or(isnan(${C})) AS nan${k}`);
    } else if (fTypes.get(c) && !/\[|STRUCT|MAP|UNION/.test(fTypes.get(c))) {
      exprs.push(`min(${C})::VARCHAR AS lo${k}, max(${C})::VARCHAR AS hi${k}, false AS nan${k}`);
    } else {
      exprs.push(`NULL AS lo${k}, NULL AS hi${k}, false AS nan${k}`);
    }
  });
  const rows = await q(`SELECT b.k AS rg, ${exprs.join(', ')}
                        FROM read_parquet(${lit(F)}, file_row_number = true) t
                        JOIN (VALUES ${values}) b(k, lo, hi) ON t.file_row_number >= b.lo AND t.file_row_number < b.hi
                        GROUP BY b.k ORDER BY b.k`);
  return rows;
}

async function checkMetadata(F, G, set, fRows, fDescribe) {
  const problems = [];
  const [fm] = await q(`SELECT created_by, num_rows::BIGINT num_rows, num_row_groups::BIGINT nrg FROM parquet_file_metadata(${lit(G)})`);
  if (!String(fm.created_by ?? '').startsWith('sluice')) problems.push(`created_by is ${JSON.stringify(fm.created_by)}, expected to start with "sluice"`);
  if (fm.num_rows !== String(fRows)) problems.push(`num_rows ${fm.num_rows}, expected ${fRows}`);
  const md = await metadata(G);
  // row groups
  const rgRows = new Map();
  for (const r of md) rgRows.set(r.rg, Number(r.nrows));
  const sizes = [...rgRows.keys()].sort((a, b) => Number(a) - Number(b)).map((k) => rgRows.get(k));
  const total = sizes.reduce((a, b) => a + b, 0);
  if (total !== fRows) problems.push(`row groups hold ${total} rows, expected ${fRows}`);
  if (sizes.some((n) => n <= 0)) problems.push(`empty row group(s): ${sizes.join(',')}`);
  if (set.rowGroupSize) {
    const want = Math.ceil(fRows / set.rowGroupSize);
    if (sizes.some((n) => n > set.rowGroupSize) || sizes.length !== want) {
      problems.push(`--row-group-size ${set.rowGroupSize}: got ${sizes.length} row groups of ${sizes.slice(0, 10).join(',')}${sizes.length > 10 ? ',...' : ''}; expected ${want} of at most ${set.rowGroupSize}`);
    }
  }
  // codec
  if (set.codec) {
    const bad = [...new Set(md.filter((r) => !set.codec.includes(r.compression)).map((r) => `${r.path}:${r.compression}`))];
    if (bad.length) problems.push(`codec: expected ${set.codec.join(' or ')}, found ${bad.slice(0, 5).join(', ')}`);
  }
  // statistics presence + null counts for every column chunk; min/max values for STAT_COLUMNS
  const fTypes = new Map(fDescribe.map((c) => [c.name, c.type]));
  let offset = 0;
  const bounds = sizes.map((n) => { const b = [offset, offset + n]; offset += n; return b; });
  const cols = fDescribe.map((c) => c.name);
  const exp = await expectedStats(F, bounds, cols, fTypes);
  const byRg = new Map(exp.map((r) => [Number(r.rg), r]));
  const rgIds = [...rgRows.keys()].sort((a, b) => Number(a) - Number(b));
  const statProblems = [];
  for (const r of md) {
    const k = cols.indexOf(r.path);
    if (k < 0) continue;
    const e = byRg.get(rgIds.indexOf(r.rg));
    if (!e) continue;
    if (r.null_count === null || r.null_count === undefined) statProblems.push(`rg ${r.rg} ${r.path}: no null_count`);
    else if (r.null_count !== e[`n${k}`]) statProblems.push(`rg ${r.rg} ${r.path}: null_count ${r.null_count}, expected ${e[`n${k}`]}`);
    const allNull = Number(e[`n${k}`]) === Number(r.nrows);
    const hasNaN = e[`nan${k}`] === true;
    const hasMinMax = r.stats_min_value !== null && r.stats_min_value !== undefined && r.stats_max_value !== null && r.stats_max_value !== undefined;
    if (!hasMinMax) {
      // a chunk holding NaN may leave min/max out (older readers cannot tell NaN was skipped)
      if (!allNull && !hasNaN) statProblems.push(`rg ${r.rg} ${r.path}: no min/max statistics`);
      continue;
    }
    if (!STAT_COLUMNS.includes(r.path) || allNull) continue;
    const lo = e[`lo${k}`], hi = e[`hi${k}`];
    if (FLOAT_TYPES.has(fTypes.get(r.path))) {
      if (!sameNum(parseNum(r.stats_min_value), parseNum(lo)) || !sameNum(parseNum(r.stats_max_value), parseNum(hi))) {
        statProblems.push(`rg ${r.rg} ${r.path}: min/max ${r.stats_min_value}/${r.stats_max_value}, expected ${lo}/${hi} (NaN excluded)`);
      }
    } else if (r.stats_min_value !== lo || r.stats_max_value !== hi) {
      if (r.min_is_exact === false || r.max_is_exact === false) continue; // truncated bounds: not compared
      statProblems.push(`rg ${r.rg} ${r.path}: min/max ${r.stats_min_value}/${r.stats_max_value}, expected ${lo}/${hi}`);
    }
  }
  if (statProblems.length) problems.push(`statistics: ${statProblems.length} problem(s): ${statProblems.slice(0, 6).join('; ')}`);
  // pages: versions and dictionary pages, read straight from the page headers
  const buf = fs.readFileSync(G);
  let footer;
  try { footer = readFooter(buf); } catch (e) { problems.push(`footer: ${e.message}`); return problems; }
  const pageTypes = new Map();
  let dictPages = 0;
  for (const c of columnChunks(footer.meta)) {
    const start = c.dictOffset !== null && c.dictOffset > 0 && c.dictOffset < c.dataOffset ? c.dictOffset : c.dataOffset;
    let pages;
    try { pages = readPageHeaders(buf, start, c.totalCompressed); } catch (e) { problems.push(`page headers of rg ${c.rowGroup} col ${c.column}: ${e.message}`); break; }
    for (const p of pages) {
      pageTypes.set(p.type, (pageTypes.get(p.type) || 0) + 1);
      if (p.type === PageType.DICTIONARY_PAGE) dictPages++;
    }
  }
  if (set.pageVersion === 2 && pageTypes.get(PageType.DATA_PAGE)) problems.push(`--page-version 2: ${pageTypes.get(PageType.DATA_PAGE)} v1 data pages found`);
  if (set.pageVersion === 1 && pageTypes.get(PageType.DATA_PAGE_V2)) problems.push(`--page-version 1: ${pageTypes.get(PageType.DATA_PAGE_V2)} v2 data pages found`);
  if (set.noDict) {
    const dictEnc = md.filter((r) => /DICTIONARY/.test(r.encodings ?? '') || (r.dict_off !== null && r.dict_off !== undefined));
    if (dictPages || dictEnc.length) problems.push(`--no-dictionary: ${dictPages} dictionary pages, ${dictEnc.length} chunks with dictionary encodings`);
  }
  // bloom filters
  if (set.bloom) {
    for (const c of set.bloom) {
      if (!fTypes.has(c)) continue;
      const chunks = md.filter((r) => r.path === c);
      if (chunks.some((r) => r.bloom_off === null || r.bloom_off === undefined)) {
        problems.push(`--bloom-filter: column ${c} has no bloom filter in ${chunks.filter((r) => r.bloom_off == null).length}/${chunks.length} row groups`);
        continue;
      }
      const present = await q(`SELECT DISTINCT ${ident(c)}::VARCHAR v FROM read_parquet(${lit(F)}) WHERE ${ident(c)} IS NOT NULL ORDER BY 1 LIMIT 20`);
      let falseNeg = 0, trueNeg = 0;
      for (const { v } of present) {
        const rows = await q(`SELECT bool_and(bloom_filter_excludes) x, count(*) FILTER (WHERE bloom_filter_excludes IS NULL) nn FROM parquet_bloom_probe(${lit(G)}, ${lit(c)}, CAST(${lit(v)} AS ${fTypes.get(c)}))`);
        // the value is in at least one row group; a filter that excludes it from all of them is wrong
        if (rows[0].x === true) falseNeg++;
      }
      for (let k = 0; k < 20; k++) {
        const absent = fTypes.get(c) === 'VARCHAR' ? `absent-value-${k}` : String(-1000000 - k * 7919);
        const rows = await q(`SELECT bool_and(bloom_filter_excludes) x FROM parquet_bloom_probe(${lit(G)}, ${lit(c)}, CAST(${lit(absent)} AS ${fTypes.get(c)}))`);
        if (rows[0].x === true) trueNeg++;
      }
      if (falseNeg) problems.push(`--bloom-filter: column ${c}: ${falseNeg} present values excluded by the filter`);
      if (trueNeg < 10) problems.push(`--bloom-filter: column ${c}: only ${trueNeg}/20 absent values excluded (filter useless?)`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// per-fixture checks

async function checkSchemaAndHead(fx, fDescribe) {
  const F = fx.file;
  const base = `${fx.label}`;
  const rs = await runSluice(['schema', F]);
  await check(`${base}: schema`, () => {
    if (rs.code !== 0) return `sluice schema: ${describeRun(rs)}: ${firstLines(rs.stderr)}`;
    if (!rs.stdout.trim()) return 'sluice schema printed nothing';
    const missing = fDescribe.filter((c) => !rs.stdout.includes(c.name)).map((c) => c.name);
    if (missing.length) return `column(s) not in schema output: ${missing.join(', ')}`;
    // logical types as the CLI contract spells them: decimal(p,s), timestamp[us, UTC]
    const problems = [];
    for (const c of fDescribe) {
      const m = /^DECIMAL\((\d+),(\d+)\)$/.exec(c.type);
      if (m && !rs.stdout.includes(`decimal(${m[1]},${m[2]})`)) problems.push(`${c.name}: decimal(${m[1]},${m[2]}) not shown`);
    }
    const ps = fx.pschema;
    for (const c of ps) {
      const m = /^timestamp\((ms|us|ns),utc\)$/.exec(c.norm);
      if (m && !rs.stdout.includes(`timestamp[${m[1]}, UTC]`)) problems.push(`${c.name}: timestamp[${m[1]}, UTC] not shown`);
    }
    return problems;
  });

  const rh = await runSluice(['head', F, '-n', '5']);
  await check(`${base}: head -n 5`, () => {
    if (rh.code !== 0) return `sluice head: ${describeRun(rh)}: ${firstLines(rh.stderr)}`;
    if (!rh.stdout.trim()) return 'sluice head printed nothing';
    return null;
  });
  const rj = await runSluice(['head', F, '-n', '5', '--format', 'json']);
  await check(`${base}: head -n 5 --format json`, () => {
    if (rj.code !== 0) return `${describeRun(rj)}: ${firstLines(rj.stderr)}`;
    let recs;
    try {
      const v = JSON.parse(rj.stdout);
      recs = Array.isArray(v) ? v : [v];
    } catch {
      try { recs = rj.stdout.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l)); } catch (e) { return `output is neither JSON nor NDJSON: ${e.message}`; }
    }
    if (recs.length !== 5) return `${recs.length} records, expected 5`;
    const ids = recs.map((r) => (r && typeof r === 'object' ? String(r.id) : '?'));
    if (ids.join(',') !== '0,1,2,3,4') return `ids ${ids.join(',')}, expected 0,1,2,3,4 (first rows, in order)`;
    const keys = Object.keys(recs[0]);
    const missing = fDescribe.map((c) => c.name).filter((n) => !keys.includes(n));
    if (missing.length) return `record lacks column(s) ${missing.join(', ')}`;
    return null;
  });
  const rc = await runSluice(['head', F, '-n', '5', '--format', 'csv']);
  await check(`${base}: head -n 5 --format csv`, () => {
    if (rc.code !== 0) return `${describeRun(rc)}: ${firstLines(rc.stderr)}`;
    const header = rc.stdout.split('\n')[0].replace(/\r$/, '');
    const want = fDescribe.map((c) => c.name).join(',');
    if (header !== want) return `header ${JSON.stringify(header.slice(0, 200))}, expected ${JSON.stringify(want)}`;
    return null;
  });
}

async function checkConversion(fx, set, ctx) {
  const F = fx.ref; // what DuckDB compares against (fx.file itself unless DuckDB cannot read it)
  const G = path.join(OUT, `${fx.name}__${set.name}.parquet`);
  const name = `${fx.label}: convert${set.args.length ? ` ${set.args.join(' ')}` : ''}`;
  const r = await runSluice(['convert', fx.file, G, ...set.args]);
  const converted = await check(name, () => {
    if (r.code !== 0) return `${describeRun(r)}: ${firstLines(r.stderr)}`;
    if (!fs.existsSync(G)) return 'exit 0 but no output file';
    return null;
  });
  if (!converted) {
    note(`skipped read-back checks of ${fx.label} / ${set.name}`);
    return null;
  }
  let ok = await check(`${name}: duckdb types`, () => compareTypesDuck(F, G));
  ok = (await check(`${name}: duckdb rows`, () => compareRowsDuck(F, G, ctx.cols))) && ok;
  if (ctx.polarsF) {
    ok = (await check(`${name}: polars equal`, () => {
      let dg;
      try { dg = pl.readParquet(G); } catch (e) { return `polars cannot read the output: ${e.message}`; }
      const problems = polarsCompare(ctx.polarsF, dg, 'readParquet');
      if (!problems.length) {
        let ds;
        try { ds = pl.scanParquet(G).collectSync({ engine: 'streaming' }); } catch (e) { return `polars streaming scan failed: ${e.message}`; }
        problems.push(...polarsCompare(ctx.polarsF, ds, 'scanParquet streaming'));
      }
      return problems;
    })) && ok;
  }
  ok = (await check(`${name}: metadata`, () => checkMetadata(F, G, set, ctx.rows, ctx.describe))) && ok;
  if (!ok) note(`kept ${G} to look at`);
  return { G, ok };
}

async function checkDeterminism(fx, set, G) {
  const name = `${fx.label}: convert${set.args.length ? ` ${set.args.join(' ')}` : ''}: deterministic`;
  await check(name, async () => {
    const want = fs.readFileSync(G);
    const problems = [];
    const runs = [['again', {}], ['SLUICE_THREADS=1', { SLUICE_THREADS: '1' }]];
    for (const [label, env] of runs) {
      const G2 = G.replace(/\.parquet$/, `.${label.replace(/[^a-z0-9]/gi, '_')}.parquet`);
      const r = await runSluice(['convert', fx.file, G2, ...set.args], { env });
      if (r.code !== 0) { problems.push(`${label}: ${describeRun(r)}: ${firstLines(r.stderr)}`); continue; }
      const got = fs.readFileSync(G2);
      if (!got.equals(want)) {
        let at = 0;
        while (at < Math.min(got.length, want.length) && got[at] === want[at]) at++;
        problems.push(`${label}: output differs (sizes ${want.length}/${got.length}, first difference at byte ${at})`);
      }
      fs.rmSync(G2, { force: true });
    }
    return problems;
  });
}

async function checkNested() {
  const files = [
    ['nested_list', 'tags_list', `SELECT i::INTEGER AS x, [i, i + 1] AS tags_list FROM range(10) r(i)`],
    ['nested_struct', 'point_struct', `SELECT i::INTEGER AS x, 'a' AS name, {'px': i, 'py': 2 * i} AS point_struct FROM range(10) r(i)`],
    ['nested_map', 'attrs_map', `SELECT i::INTEGER AS x, MAP {'k': i} AS attrs_map, 1.5::DOUBLE AS y FROM range(10) r(i)`],
  ];
  for (const [name, col, sql] of files) {
    const F = path.join(FIX, `${name}.parquet`);
    await q(`COPY (${sql}) TO ${lit(F)} (FORMAT parquet)`);
    const base = path.basename(F);
    const rh = await runSluice(['head', F, '-n', '5']);
    await check(`${name}: head refuses nested column ${col}`, () => {
      const problems = [];
      if (rh.code !== 2) problems.push(`${describeRun(rh)}, expected exit 2`);
      const first = rh.stderr.split('\n').find((l) => l.trim()) ?? '';
      if (!first.startsWith('sluice: error:')) problems.push(`stderr does not start with "sluice: error:": ${JSON.stringify(first.slice(0, 200))}`);
      if (!rh.stderr.includes(col)) problems.push(`stderr does not name the column ${col}`);
      if (!rh.stderr.includes(base)) problems.push(`stderr does not name the file ${base}`);
      return problems;
    });
    const outDir = path.join(OUT, `${name}_convert`);
    fs.mkdirSync(outDir, { recursive: true });
    const G = path.join(outDir, 'out.parquet');
    const rc = await runSluice(['convert', F, G]);
    await check(`${name}: convert refuses nested column ${col}`, () => {
      const problems = [];
      if (rc.code !== 2) problems.push(`${describeRun(rc)}, expected exit 2`);
      if (!rc.stderr.includes(col)) problems.push(`stderr does not name the column ${col}`);
      const left = fs.readdirSync(outDir);
      if (left.length) problems.push(`left in the output folder: ${left.join(', ')}`);
      return problems;
    });
    const rs = await runSluice(['schema', F]);
    await check(`${name}: schema does not crash`, () => (rs.code === 0 || rs.code === 2 ? null : `${describeRun(rs)}: ${firstLines(rs.stderr)}`));
  }
}

// ---------------------------------------------------------------------------------------------
// main

try {
  await makeDuckFixtures();
  await makePolarsFixtures();
} catch (e) {
  report(false, 'fixture generation', e.stack || e.message);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(1);
}
note(`${fixtures.length} fixtures in ${FIX} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);

// Hand-made files must read exactly as the DuckDB file they were made from, in DuckDB (where it
// supports the codec: it does not read legacy LZ4) and in Polars: this validates the transcoder
// before sluice is judged on them. DuckDB comparisons then use the source file as reference.
for (const fx of fixtures) fx.ref = fx.file;
for (const fx of fixtures.filter((f) => f.source === 'handmade')) {
  let duckReads = true;
  try { await q(`SELECT sum(hash(COLUMNS(*))) FROM read_parquet(${lit(fx.file)})`); } catch { duckReads = false; } // reads every page
  if (!duckReads) fx.ref = fx.original;
  await check(`${fx.label}: fixture reads back like its source`, async () => {
    const problems = [];
    if (duckReads) problems.push(...await compareRowsDuck(fx.original, fx.file, (await describe(fx.original)).map((c) => c.name)));
    else note(`duckdb cannot read ${fx.name} (codec); compared in polars only; duckdb checks use ${path.basename(fx.original)}`);
    problems.push(...polarsCompare(pl.readParquet(fx.original), pl.readParquet(fx.file), 'polars'));
    return problems;
  });
}

const sets = QUICK ? OPTION_SETS.filter((s) => QUICK_SETS.includes(s.name)) : OPTION_SETS;
const FILTER = process.env.SLUICE_XE_FILTER ? new RegExp(process.env.SLUICE_XE_FILTER) : null;
if (FILTER) note(`only fixtures matching /${FILTER.source}/ (SLUICE_XE_FILTER)`);
for (const fx of fixtures) {
  if (FILTER && !FILTER.test(fx.label)) continue;
  const fDescribe = await describe(fx.ref);
  fx.pschema = await parquetSchema(fx.file);
  const [{ n }] = await q(`SELECT count(*)::BIGINT n FROM read_parquet(${lit(fx.ref)})`);
  let polarsF = null;
  try {
    polarsF = pl.readParquet(fx.file);
  } catch (e) {
    note(`polars cannot read ${fx.name} (${e.message.split('\n')[0]}); polars checks skipped for it`);
  }
  const ctx = { describe: fDescribe, cols: fDescribe.map((c) => c.name), rows: Number(n), polarsF };
  await checkSchemaAndHead(fx, fDescribe);
  for (const set of sets) {
    if (set.bloom && fx.source === 'handmade') continue;
    const { G, ok } = (await checkConversion(fx, set, ctx)) ?? {};
    if (G && (set.name === 'default' || set.name === 'plain-rg1000')) await checkDeterminism(fx, set, G);
    if (G && ok) fs.rmSync(G, { force: true }); // kept when a check failed
  }
}

await checkNested();

note(`runtime ${((Date.now() - t0) / 1000).toFixed(1)} s, of which ${(sluiceMs / 1000).toFixed(1)} s in ${sluiceRuns} sluice runs`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
