#!/usr/bin/env node
// Bad-input test: sluice must never crash, hang, or blow up its memory on a corrupt, truncated or
// lying Parquet file, must say what is wrong on stderr (`sluice: error: ...` naming the file), and
// a failed convert must leave no output file, no temporary file, and an earlier output untouched.
//
// usage: node tests/cli/bad_input.mjs SLUICE_BIN WORK_DIR
//   SLUICE_BI_FILTER=REGEX  only the variants whose name matches (e.g. "truncated|footer length")
// Every variant is run through `sluice head F -n 100`, `sluice schema F`, `sluice convert F OUT`
// (into an empty folder, and over an existing OUT) under /usr/bin/time with a 10 s timeout.
// Prints one `ok - ...` / `not ok - ...` line per run and ends with `N passed, M failed`;
// exits 1 if any check failed.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { readFooter, parseStruct, columnChunks, readPageHeaders, parseTyped, writeTyped, tget, tset, encodeVarint, T } from '../lib/parquet_thrift.mjs';

const [BIN, WORK] = process.argv.slice(2);
if (!BIN || !WORK) {
  console.error('usage: node bad_input.mjs SLUICE_BIN WORK_DIR');
  process.exit(2);
}
try {
  fs.accessSync(BIN, fs.constants.X_OK);
  if (!fs.statSync(BIN).isFile()) throw new Error('not a file');
} catch {
  console.log(`not ok - sluice binary not found or not executable: ${BIN} (build it first)`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const TIME = '/usr/bin/time';
if (!fs.existsSync(TIME)) {
  console.log(`not ok - ${TIME} is missing (apt-get install time; scripts/setup does it): peak memory cannot be measured`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
let duckdb;
try {
  duckdb = await import('@duckdb/node-api');
} catch (e) {
  console.log(`not ok - peers missing (run scripts/setup to install @duckdb/node-api): ${e.message}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

const TIMEOUT_MS = 10000;
const MAX_RSS_KB = 1024 * 1024; // 1 GiB
const BIN_ABS = path.resolve(BIN);
let passed = 0, failed = 0;
const t0 = Date.now();

function report(ok, name, problems) {
  if (ok) { passed++; console.log(`ok - ${name}`); return; }
  failed++;
  console.log(`not ok - ${name}`);
  for (const p of problems) console.log(`#   ${String(p).slice(0, 400)}`);
}
const note = (s) => console.log(`# ${s}`);

// Runs sluice under /usr/bin/time in its own process group; kills the group on timeout.
let runCounter = 0;
function runSluice(args, cwd) {
  return new Promise((resolve) => {
    const memFile = path.join(WORK, `.time-${process.pid}-${runCounter++}`);
    const child = spawn(TIME, ['-f', '%x %M', '-o', memFile, BIN_ABS, ...args], { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [], err = [];
    let outLen = 0, errLen = 0, timedOut = false;
    child.stdout.on('data', (d) => { if (outLen < 1 << 20) { out.push(d); outLen += d.length; } });
    child.stderr.on('data', (d) => { if (errLen < 1 << 20) { err.push(d); errLen += d.length; } });
    const timer = setTimeout(() => {
      timedOut = true;
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
    }, TIMEOUT_MS);
    child.on('close', () => {
      clearTimeout(timer);
      let code = null, signal = null, rssKb = null, timeOut = '';
      try { timeOut = fs.readFileSync(memFile, 'utf8'); } catch { /* killed before writing */ }
      fs.rmSync(memFile, { force: true });
      const sig = /terminated by signal (\d+)/.exec(timeOut);
      if (sig) signal = Number(sig[1]);
      const last = timeOut.trim().split('\n').pop() ?? '';
      const m = /^(\d+) (\d+)$/.exec(last.trim());
      if (m) { code = signal ? null : Number(m[1]); rssKb = Number(m[2]); }
      resolve({ code, signal, rssKb, timedOut, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), timeOut });
    });
  });
}

const FAIL = [1, 2];
const ANY = [0, 1, 2];

// Judges one run. allowed: permitted exit codes. input: the path given to sluice.
function judgeRun(r, allowed, input) {
  const problems = [];
  if (r.timedOut) problems.push(`timed out after ${TIMEOUT_MS / 1000} s (killed)`);
  else if (r.signal) problems.push(`killed by signal ${r.signal}`);
  else if (r.code === null) problems.push(`no exit status (time said: ${JSON.stringify(r.timeOut.slice(0, 200))})`);
  else if (!allowed.includes(r.code)) problems.push(`exit ${r.code}, expected ${allowed.join(' or ')}`);
  if (r.rssKb !== null && r.rssKb >= MAX_RSS_KB) problems.push(`peak memory ${(r.rssKb / 1024).toFixed(0)} MiB >= 1 GiB`);
  if (r.code !== 0 && r.code !== null) {
    const first = r.stderr.split('\n').find((l) => l.trim()) ?? '';
    if (!first.startsWith('sluice: error:')) problems.push(`stderr does not start with "sluice: error:": ${JSON.stringify(first.slice(0, 200))}`);
    if (!r.stderr.includes(path.basename(input))) problems.push(`stderr does not name ${path.basename(input)}: ${JSON.stringify(r.stderr.slice(0, 200))}`);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// base file and its layout

const CASES = path.join(WORK, 'cases');
const OUTS = path.join(WORK, 'out');
for (const d of [CASES, OUTS]) {
  fs.rmSync(d, { recursive: true, force: true });
  fs.mkdirSync(d, { recursive: true });
}
const inst = await duckdb.DuckDBInstance.create(':memory:', { threads: '1' });
const con = await inst.connect();
const q = async (sql) => (await con.runAndReadAll(sql)).getRowObjectsJson();
const lit = (s) => `'${String(s).replaceAll("'", "''")}'`;

const BASE = path.join(CASES, 'valid.parquet');
await q(`COPY (SELECT i::BIGINT AS id,
                      CASE WHEN i % 10 = 3 THEN NULL ELSE 'name_' || (i % 97)::VARCHAR END AS name,
                      (i * 1.25)::DECIMAL(12,2) AS amount,
                      CASE WHEN i % 7 = 0 THEN NULL ELSE i / 3.0 END AS score,
                      DATE '1990-01-01' + (i % 5000)::INTEGER AS day,
                      i % 2 = 0 AS flag
               FROM range(4000) r(i))
         TO ${lit(BASE)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 2048)`);
const base = fs.readFileSync(BASE);
const size = base.length;
const footer = readFooter(base);
const { metaStart, metaLen } = footer;
const chunks = columnChunks(footer.meta);
const rgCount = (footer.meta.get(4) ?? []).length;

// regions of the file, to name where a byte sits
const regions = [{ start: 0, end: 4, what: 'leading magic' }];
const pageList = [];
for (const c of chunks) {
  const start = c.dictOffset !== null && c.dictOffset > 0 && c.dictOffset < c.dataOffset ? c.dictOffset : c.dataOffset;
  for (const p of readPageHeaders(base, start, c.totalCompressed)) {
    const kind = p.type === 2 ? 'dictionary page' : 'data page';
    regions.push({ start: p.pos, end: p.pos + p.headerLen, what: `${kind} header (rg ${c.rowGroup} col ${c.column})` });
    regions.push({ start: p.pos + p.headerLen, end: p.pos + p.headerLen + p.compressed, what: `${kind} data (rg ${c.rowGroup} col ${c.column})` });
    pageList.push({ ...p, rowGroup: c.rowGroup, column: c.column });
  }
}
regions.push({ start: metaStart, end: metaStart + metaLen, what: 'footer' });
regions.push({ start: size - 8, end: size - 4, what: 'footer length' });
regions.push({ start: size - 4, end: size, what: 'trailing magic' });
const where = (pos) => regions.find((r) => pos >= r.start && pos < r.end)?.what ?? 'between pages (bloom filters / padding)';
note(`base file ${size} bytes, ${rgCount} row groups, ${chunks.length} column chunks, ${pageList.length} pages, footer ${metaLen} bytes at ${metaStart}`);

// ---------------------------------------------------------------------------------------------
// variants

const variants = []; // {name, file?, bytes?, expect: {head, schema, convert}}
const all = (e) => ({ head: e, schema: e, convert: e });
const dataLevel = (e) => ({ head: e, schema: ANY, convert: e }); // schema needs only the footer
const add = (name, bytes, expect) => variants.push({ name, bytes, expect });

add('empty file', Buffer.alloc(0), all(FAIL));
add('3-byte file', Buffer.from('PAR'), all(FAIL));
add('magic only (PAR1PAR1)', Buffer.from('PAR1PAR1'), all(FAIL));
add('minimal with footer length 0', Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(4), Buffer.from('PAR1')]), all(FAIL));
{
  const b = Buffer.from(base); b.write('XXXX', 0, 'latin1');
  add('missing leading magic', b, all(FAIL));
}
{
  const b = Buffer.from(base); b.write('XXXX', size - 4, 'latin1');
  add('missing trailing magic', b, all(FAIL));
}
const withFooterLen = (v) => { const b = Buffer.from(base); b.writeUInt32LE(v >>> 0, size - 8); return b; };
add('footer length larger than the file', withFooterLen(size + 100), all(FAIL));
add('footer length reaching into the leading magic', withFooterLen(size - 8 - 2), all(FAIL));
add('footer length 0', withFooterLen(0), all(FAIL));
add('footer length 0x7fffffff', withFooterLen(0x7fffffff), all(FAIL));
add('footer length 0xffffffff', withFooterLen(0xffffffff), all(FAIL));
add('footer length one short', withFooterLen(metaLen - 1), all(FAIL));

// truncations: small sizes, every part of the footer trailer, page headers and page data, and evenly spread
{
  const cuts = new Set([1, 2, 4, 5, 8, 12, size - 1, size - 2, size - 4, size - 5, size - 7, size - 8, size - 9,
    metaStart, metaStart + 1, metaStart - 1, metaStart + (metaLen >> 1), metaStart + metaLen - 1]);
  for (const p of pageList.slice(0, 4)) { cuts.add(p.pos + 1); cuts.add(p.pos + p.headerLen + 3); }
  for (let k = 1; cuts.size < 42 && k < 40; k++) cuts.add(Math.floor((size * k) / 23));
  for (const cut of [...cuts].filter((c) => c > 0 && c < size).sort((a, b) => a - b)) {
    add(`truncated to ${cut} bytes (cut in ${where(cut)})`, base.subarray(0, cut), all(FAIL));
  }
}

// single-byte flips at pseudo-random positions (fixed seed), then 20 in the footer
function mulberry32(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rnd = mulberry32(0x51c3);
const flip = (pos) => {
  const b = Buffer.from(base);
  const x = 1 + Math.floor(rnd() * 255);
  b[pos] ^= x;
  return [b, x];
};
for (let k = 0; k < 60; k++) {
  const pos = Math.floor(rnd() * size);
  const [b, x] = flip(pos);
  // A flipped value may decode to another valid value: exit 0 is allowed, crashes are not.
  add(`flip ^0x${x.toString(16)} at ${pos} (${where(pos)})`, b, all(ANY));
}
for (let k = 0; k < 20; k++) {
  const pos = metaStart + Math.floor(rnd() * metaLen);
  const [b, x] = flip(pos);
  add(`footer flip ^0x${x.toString(16)} at ${pos}`, b, all(ANY));
}

// lying counts, lengths and offsets: the file stays well-formed Thrift, one number lies
const trace = [];
parseStruct(base, metaStart, trace);
const footerBytes = base.subarray(metaStart, metaStart + metaLen);
const withFooter = (f) => {
  const len = Buffer.alloc(4); len.writeUInt32LE(f.length);
  return Buffer.concat([base.subarray(0, metaStart), f, len, Buffer.from('PAR1')]);
};
const spliceFooter = (pos, oldLen, bytes) => withFooter(Buffer.concat([
  footerBytes.subarray(0, pos - metaStart), bytes, footerBytes.subarray(pos - metaStart + oldLen)]));
const zz = (v) => { const n = BigInt(v); return n >= 0n ? n << 1n : ((-n) << 1n) - 1n; };
const find = (kind, p) => trace.find((t) => t.kind === kind && t.path === p);

function footerLie(name, kind, tracePath, value, expect) {
  const t = find(kind, tracePath);
  if (!t) { note(`no ${kind} at ${tracePath} in the footer: "${name}" not generated`); return; }
  let bytes;
  if (kind === 'list') {
    bytes = Buffer.concat([Buffer.from([0xf0 | t.elemType]), encodeVarint(value)]);
    add(name, spliceFooter(t.pos, t.hdrLen, bytes), expect);
  } else if (kind === 'binary') {
    add(name, spliceFooter(t.pos, t.lenLen, encodeVarint(value)), expect);
  } else {
    add(name, spliceFooter(t.pos, t.end - t.pos, encodeVarint(zz(value))), expect);
  }
}
const HUGE = 0x7ffffff0;
footerLie('schema list count huge', 'list', '2', HUGE, all(FAIL));
footerLie('row_groups list count huge', 'list', '4', HUGE, all(FAIL));
footerLie('columns list count huge (row group 0)', 'list', '4[0].1', HUGE, all(FAIL));
footerLie('encodings list count huge', 'list', '4[0].1[0].3.2', HUGE, all(FAIL));
footerLie('path_in_schema list count huge', 'list', '4[0].1[0].3.3', HUGE, all(FAIL));
footerLie('column_orders list count huge', 'list', '7', HUGE, all(FAIL));
footerLie('key_value_metadata list count huge', 'list', '5', HUGE, all(FAIL));
footerLie('schema list count 1 too many', 'list', '2', (find('list', '2')?.size ?? 0) + 1, all(FAIL));
footerLie('created_by length huge', 'binary', '6', HUGE, all(FAIL));
footerLie('column name length huge', 'binary', '2[1].4', HUGE, all(FAIL));
footerLie('statistics min_value length huge', 'binary', '4[0].1[0].3.12.6', HUGE, all(FAIL));
footerLie('root num_children huge', 'int', '2[0].5', HUGE, all(FAIL));
footerLie('root num_children 1 too many', 'int', '2[0].5', Number(find('int', '2[0].5')?.value ?? 0n) + 1, all(FAIL));
footerLie('physical type of column 1 invalid (99)', 'int', '2[1].1', 99, all(FAIL));
footerLie('codec of first chunk invalid (99)', 'int', '4[0].1[0].3.4', 99, dataLevel(FAIL));
footerLie('data_page_offset beyond the file', 'int', '4[0].1[0].3.9', size * 2, dataLevel(FAIL));
footerLie('data_page_offset negative', 'int', '4[0].1[0].3.9', -100, dataLevel(FAIL));
footerLie('data_page_offset inside the footer', 'int', '4[0].1[0].3.9', metaStart + 2, dataLevel(FAIL));
{
  const dictChunk = trace.find((t) => t.kind === 'int' && /^4\[\d+\]\.1\[\d+\]\.3\.11$/.test(t.path));
  if (dictChunk) footerLie('dictionary_page_offset beyond the file', 'int', dictChunk.path, size * 3, dataLevel(FAIL));
}
// numbers that cost memory if trusted: any exit status, bounded memory
footerLie('num_rows huge', 'int', '3', 2n ** 62n, all(ANY));
footerLie('num_rows negative', 'int', '3', -5, all(ANY));
footerLie('row group 0 num_rows huge', 'int', '4[0].3', 2 ** 40, all(ANY));
footerLie('column chunk num_values huge', 'int', '4[0].1[0].3.5', 2 ** 40, all(ANY));
// a reader may walk pages without the chunk size (DuckDB does), but must not allocate by it
footerLie('total_compressed_size huge', 'int', '4[0].1[0].3.7', 2 ** 40, all(ANY));
footerLie('total_compressed_size 0', 'int', '4[0].1[0].3.7', 0, all(ANY));

// page header lies: the page header is rewritten and every offset after it moved
function spliceFile(pos, oldLen, bytes) {
  const delta = bytes.length - oldLen;
  const meta = parseTyped(base, metaStart).value;
  const shift = (s, id) => { const v = tget(s, id); if (v !== undefined && v > BigInt(pos)) tset(s, id, T.I64, v + BigInt(delta)); };
  for (const rg of tget(meta, 4).items) {
    for (const cc of tget(rg, 1).items) {
      const md = tget(cc, 3);
      const d = tget(md, 11), dp = tget(md, 9), tcs = tget(md, 7);
      const start = d !== undefined && d > 0n && d < dp ? d : dp;
      if (BigInt(pos) >= start && BigInt(pos) < start + tcs) {
        tset(md, 7, T.I64, tcs + BigInt(delta));
        tset(md, 6, T.I64, tget(md, 6) + BigInt(delta));
      }
      for (const id of [9, 10, 11, 14]) shift(md, id);
      shift(cc, 2);
    }
    shift(rg, 5);
  }
  const f = writeTyped(meta);
  const len = Buffer.alloc(4); len.writeUInt32LE(f.length);
  return Buffer.concat([base.subarray(0, pos), bytes, base.subarray(pos + oldLen, metaStart), f, len, Buffer.from('PAR1')]);
}
function pageLie(name, page, fieldPath, value, expect) {
  const t = [];
  parseStruct(base, page.pos, t);
  const rec = t.find((x) => x.kind === 'int' && x.path === fieldPath);
  if (!rec) { note(`page field ${fieldPath} not found: "${name}" not generated`); return; }
  add(name, spliceFile(rec.pos, rec.end - rec.pos, encodeVarint(zz(value))), expect);
}
{
  const firstData = pageList.find((p) => p.type === 0 || p.type === 3);
  const firstDict = pageList.find((p) => p.type === 2);
  const where0 = (p) => `rg ${p.rowGroup} col ${p.column}`;
  pageLie(`data page uncompressed_page_size huge (${where0(firstData)})`, firstData, '2', HUGE, dataLevel(FAIL));
  pageLie(`data page uncompressed_page_size 1 (${where0(firstData)})`, firstData, '2', 1, dataLevel(FAIL));
  pageLie(`data page compressed_page_size huge (${where0(firstData)})`, firstData, '3', HUGE, dataLevel(FAIL));
  pageLie(`data page compressed_page_size negative (${where0(firstData)})`, firstData, '3', -1, dataLevel(FAIL));
  pageLie(`data page num_values huge (${where0(firstData)})`, firstData, '5.1', HUGE, dataLevel(ANY));
  pageLie(`data page num_values negative (${where0(firstData)})`, firstData, '5.1', -7, dataLevel(ANY));
  pageLie(`data page type invalid (${where0(firstData)})`, firstData, '1', 77, dataLevel(ANY));
  if (firstDict) {
    pageLie(`dictionary page num_values huge (${where0(firstDict)})`, firstDict, '7.1', HUGE, dataLevel(FAIL));
    pageLie(`dictionary page uncompressed_page_size huge (${where0(firstDict)})`, firstDict, '2', HUGE, dataLevel(FAIL));
  } else {
    note('base file has no dictionary page: dictionary lies not generated');
  }
}

// not Parquet at all
variants.push({ name: 'text file named x.parquet', file: 'x.parquet', bytes: Buffer.from('id,name\n1,hello\n2,world\n'.repeat(20)), expect: all(FAIL) });
variants.push({ name: 'a directory', file: 'a_directory.parquet', dir: true, expect: all(FAIL) });
variants.push({ name: 'nonexistent path', file: 'does_not_exist.parquet', missing: true, expect: all(FAIL) });

// ---------------------------------------------------------------------------------------------
// run

const sanitize = (s) => s.replace(/[^a-zA-Z0-9]+/g, '_').replace(/^_|_$/g, '').slice(0, 60);
const SENTINEL = base; // the previous OUT: a valid Parquet file

async function convertCase(input, allowed, label, withPrevious) {
  const dir = path.join(OUTS, `${sanitize(label)}_${withPrevious ? 'prev' : 'fresh'}`);
  fs.mkdirSync(dir, { recursive: true });
  const out = path.join(dir, 'out.parquet');
  if (withPrevious) fs.writeFileSync(out, SENTINEL);
  const before = new Set(fs.readdirSync(dir));
  const r = await runSluice(['convert', input, out], CASES);
  const problems = judgeRun(r, allowed, input);
  const now = fs.readdirSync(dir);
  const extra = now.filter((f) => !before.has(f) && f !== 'out.parquet');
  if (extra.length) problems.push(`left in the output folder: ${extra.join(', ')}`);
  if (r.code === 0) {
    if (!fs.existsSync(out)) problems.push('exit 0 but no output file');
    else {
      try { await q(`SELECT count(*) FROM read_parquet(${lit(out)})`); } catch (e) { problems.push(`exit 0 but DuckDB cannot read the output: ${e.message.split('\n')[0]}`); }
    }
  } else if (withPrevious) {
    if (!fs.existsSync(out)) problems.push('the previous output was deleted');
    else if (!fs.readFileSync(out).equals(SENTINEL)) problems.push('the previous output was changed');
  } else if (fs.existsSync(out)) {
    problems.push('failed, but an output file was left');
  }
  fs.rmSync(dir, { recursive: true, force: true });
  return problems;
}

async function runVariant(v) {
  let input;
  if (v.missing) input = path.join(CASES, v.file);
  else if (v.dir) { input = path.join(CASES, v.file); fs.mkdirSync(input, { recursive: true }); }
  else {
    input = path.join(CASES, v.file ?? `case_${String(variants.indexOf(v)).padStart(3, '0')}.parquet`);
    fs.writeFileSync(input, v.bytes);
  }
  const rh = await runSluice(['head', input, '-n', '100'], CASES);
  const ph = judgeRun(rh, v.expect.head, input);
  report(!ph.length, `${v.name}: head`, ph);
  const rs = await runSluice(['schema', input], CASES);
  const ps = judgeRun(rs, v.expect.schema, input);
  report(!ps.length, `${v.name}: schema`, ps);
  let anyFailed = ph.length > 0 || ps.length > 0;
  for (const prev of [false, true]) {
    const pc = await convertCase(input, v.expect.convert, v.name, prev);
    report(!pc.length, `${v.name}: convert (${prev ? 'over a previous OUT' : 'no previous OUT'})`, pc);
    anyFailed ||= pc.length > 0;
  }
  if (anyFailed && !v.missing) note(`kept ${input} to reproduce "${v.name}"`);
  else if (!v.missing) fs.rmSync(input, { recursive: true, force: true });
}

const FILTER = process.env.SLUICE_BI_FILTER ? new RegExp(process.env.SLUICE_BI_FILTER) : null;
if (FILTER) note(`only variants matching /${FILTER.source}/ (SLUICE_BI_FILTER)`);

// controls: the valid file works
{
  const rh = await runSluice(['head', BASE, '-n', '100'], CASES);
  const ph = judgeRun(rh, [0], BASE);
  if (rh.code === 0 && !rh.stdout.trim()) ph.push('printed nothing');
  report(!ph.length, 'valid file: head', ph);
  const rs = await runSluice(['schema', BASE], CASES);
  const ps = judgeRun(rs, [0], BASE);
  report(!ps.length, 'valid file: schema', ps);
  const pc = await convertCase(BASE, [0], 'valid file', true);
  report(!pc.length, 'valid file: convert (over a previous OUT)', pc);
}

for (const v of variants) if (!FILTER || FILTER.test(v.name)) await runVariant(v);

note(`${variants.length} variants, runtime ${((Date.now() - t0) / 1000).toFixed(1)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
