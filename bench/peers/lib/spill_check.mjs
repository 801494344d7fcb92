// Checks the answers of the larger-than-memory benchmark (bench/run --spill) without holding them:
// DuckDB reads each engine's output Parquet file in one streaming pass and computes its facts —
// the row count, the column names and kinds, an order-insensitive checksum (the sum of a hash of
// every row) and, for a workload whose order is part of the answer (the sort), an order-sensitive
// one (the sum of a hash of every row with its position) plus the first and last rows. Values are
// hashed after a cast to a canonical type per kind (integers as BIGINT, decimals and floats as
// DECIMAL(38,4), dates as DATE, text as VARCHAR), so that engines writing an INT32 key as INT64 or
// a sum as DECIMAL(38,2) rather than (18,2) still agree on the same values.
//
// compareOutputs() reports every disagreement against the first engine; checkInvariants() ties an
// output to the input (lib/spill_workloads.mjs says which facts), so that an engine that finishes
// alone is checked too.

import fs from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

const sqlString = (s) => `'${String(s).replaceAll("'", "''")}'`;
const ident = (s) => `"${String(s).replaceAll('"', '""')}"`;

// The checker's own DuckDB, bounded so that it never competes with the runs for memory (it runs
// between them, but its buffers would stay resident).
export async function openChecker({ memoryLimit = '2GB', tempDir = null } = {}) {
  const instance = await DuckDBInstance.create(':memory:');
  const con = await instance.connect();
  const query = async (sql) => (await con.runAndReadAll(sql)).getRowObjectsJson();
  await query(`SET memory_limit = ${sqlString(memoryLimit)}`);
  if (tempDir) await query(`SET temp_directory = ${sqlString(tempDir)}`);
  return { query, close: () => con.closeSync() };
}

// The kind a DuckDB type is compared as, and the canonical SQL of a column of that kind.
export function kindOf(type) {
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT)$/.test(type)) return 'integer';
  if (/^(DECIMAL|DOUBLE|FLOAT|REAL)/.test(type)) return 'number';
  if (type === 'DATE') return 'date';
  if (/^TIMESTAMP/.test(type)) return 'timestamp';
  if (type === 'VARCHAR') return 'text';
  return 'other';
}

const canonical = (name, type) => {
  const c = ident(name);
  switch (kindOf(type)) {
    case 'integer': return `CAST(${c} AS BIGINT)`;
    case 'number': return `CAST(${c} AS DECIMAL(38,4))`;
    case 'date': return c;
    case 'timestamp': return `CAST(${c} AS TIMESTAMP)`;
    default: return `CAST(${c} AS VARCHAR)`;
  }
};

async function schemaOf(query, file) {
  const rows = await query(`DESCRIBE FROM read_parquet(${sqlString(file)})`);
  return rows.map((r) => ({ name: r.column_name, type: r.column_type }));
}

// The facts of one Parquet file. `ordered` adds the order-sensitive checksum and the first and
// last rows; `sums` names columns whose totals an invariant needs. Checksums and counts come back
// as decimal strings (they exceed 2^53); sums as strings of their exact decimal value.
export async function outputFacts(query, file, { ordered = false, sums = [] } = {}) {
  const schema = await schemaOf(query, file);
  const row = schema.map((c) => canonical(c.name, c.type)).join(', ');
  const select = ['count(*)::BIGINT AS "rows"', `sum(hash(${row}))::HUGEINT AS row_hash`];
  if (ordered) select.push(`sum(hash(${row}, file_row_number))::HUGEINT AS ordered_hash`);
  for (const s of sums) {
    const col = schema.find((c) => c.name === s);
    if (col) select.push(`sum(${canonical(col.name, col.type)})::VARCHAR AS ${ident(`sum_${s}`)}`);
  }
  const source = `read_parquet(${sqlString(file)}${ordered ? ', file_row_number = true' : ''})`;
  const [facts] = await query(`SELECT ${select.join(', ')} FROM ${source}`);
  const out = {
    file,
    bytes: fs.statSync(file).size,
    rows: String(facts.rows),
    columns: schema.map((c) => ({ name: c.name, type: c.type, kind: kindOf(c.type) })),
    row_hash: String(facts.row_hash),
    sums: Object.fromEntries(sums.filter((s) => `sum_${s}` in facts).map((s) => [s, facts[`sum_${s}`]])),
  };
  if (ordered) {
    out.ordered_hash = String(facts.ordered_hash);
    // The rows at both ends, as text (for the report, and a readable hint when the order differs).
    const ends = await query(`SELECT ${schema.map((c) => `${canonical(c.name, c.type)}::VARCHAR AS ${ident(c.name)}`).join(', ')}, file_row_number AS __pos
      FROM ${source} WHERE file_row_number IN (0, ${Number(out.rows) - 1}) ORDER BY file_row_number`);
    out.first_row = ends[0] ? schema.map((c) => ends[0][c.name]) : null;
    out.last_row = ends.length ? schema.map((c) => ends[ends.length - 1][c.name]) : null;
  }
  return out;
}

// factsByEngine: { engine: facts } (the first is the reference). Columns are compared by name and
// kind, rows by count and checksum, and the order where both have an ordered checksum.
// Returns { ok, reference, problems: ["engine: ..."] }.
export function compareOutputs(factsByEngine) {
  const [reference, ...others] = Object.keys(factsByEngine);
  const problems = [];
  if (!reference) return { ok: true, reference: null, problems };
  const ref = factsByEngine[reference];
  const cols = (f) => f.columns.map((c) => `${c.name} ${c.kind}`).join(', ');
  for (const engine of others) {
    const got = factsByEngine[engine];
    const say = (p) => problems.push(`${engine}: ${p}`);
    if (cols(got) !== cols(ref)) say(`columns [${cols(got)}], expected [${cols(ref)}] (as ${reference})`);
    if (got.rows !== ref.rows) say(`${got.rows} rows, expected ${ref.rows} (as ${reference})`);
    else if (got.row_hash !== ref.row_hash) say(`the rows differ from ${possessive(reference)} (checksum ${got.row_hash}, expected ${ref.row_hash})`);
    else if (ref.ordered_hash != null && got.ordered_hash != null && got.ordered_hash !== ref.ordered_hash) {
      const ends = JSON.stringify(got.first_row) !== JSON.stringify(ref.first_row) ? ` (first row ${JSON.stringify(got.first_row)}, expected ${JSON.stringify(ref.first_row)})`
        : JSON.stringify(got.last_row) !== JSON.stringify(ref.last_row) ? ` (last row ${JSON.stringify(got.last_row)}, expected ${JSON.stringify(ref.last_row)})` : '';
      say(`the same rows as ${possessive(reference)} in a different order${ends}`);
    }
  }
  return { ok: problems.length === 0, reference, problems };
}

const possessive = (name) => (name.endsWith('s') ? `${name}'` : `${name}'s`);

// ---------------------------------------------------------------------------------------------
// the input, and what each workload's output must have in common with it

// Facts of lineitem and orders that the invariants need: row counts, key and price totals, and
// lineitem's order-insensitive checksum (the sort must write exactly its rows). Cached beside the
// data (.spill-facts.json), keyed by the files' sizes and times: at scale factor 17 the checksum
// is a minute of DuckDB's time.
export async function inputFacts(query, dir) {
  const files = { lineitem: path.join(dir, 'lineitem.parquet'), orders: path.join(dir, 'orders.parquet') };
  const key = JSON.stringify(Object.values(files).map((f) => { const s = fs.statSync(f); return [path.basename(f), s.size, s.mtimeMs]; }));
  const cacheFile = path.join(dir, '.spill-facts.json');
  try {
    const cached = JSON.parse(fs.readFileSync(cacheFile, 'utf8'));
    if (cached.key === key) return cached.facts;
  } catch { /* none yet */ }
  const lineitem = await outputFacts(query, files.lineitem, { sums: ['l_orderkey', 'l_extendedprice'] });
  const orders = await outputFacts(query, files.orders, { sums: ['o_orderkey'] });
  const facts = { lineitem: { rows: lineitem.rows, row_hash: lineitem.row_hash, sums: lineitem.sums }, orders: { rows: orders.rows, sums: orders.sums } };
  try { fs.writeFileSync(cacheFile, JSON.stringify({ key, facts }, null, 2) + '\n'); } catch { /* read-only data: recompute next time */ }
  return facts;
}

// Per workload: [what, the output's value, the value the input says it must be].
export const INVARIANTS = {
  // TPC-H gives every order 1 to 7 lines: one group per order.
  groupby: { sums: ['l_orderkey', 'revenue', 'n'], rules: (out, input) => [
    ['rows (one per order)', out.rows, input.orders.rows],
    ['sum of the order keys', out.sums.l_orderkey, input.orders.sums.o_orderkey],
    ['sum of revenue', out.sums.revenue, input.lineitem.sums.l_extendedprice],
    ['sum of n', out.sums.n, input.lineitem.rows],
  ] },
  // Every line has exactly one order.
  join: { sums: ['l_orderkey', 'l_extendedprice'], rules: (out, input) => [
    ['rows (one per line)', out.rows, input.lineitem.rows],
    ['sum of l_orderkey', out.sums.l_orderkey, input.lineitem.sums.l_orderkey],
    ['sum of l_extendedprice', out.sums.l_extendedprice, input.lineitem.sums.l_extendedprice],
  ] },
  // A sort writes exactly the input's rows.
  sort: { sums: [], rules: (out, input) => [
    ['rows', out.rows, input.lineitem.rows],
    ['checksum of the rows (the multiset of lineitem\'s rows)', out.row_hash, input.lineitem.row_hash],
  ] },
};

// Exact decimal strings compare as numbers ("12.3400" = "12.34"; "15000" = "15000.0000").
const sameNumber = (a, b) => {
  const norm = (x) => { const s = String(x); return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s; };
  return a != null && b != null && norm(a) === norm(b);
};

// Problems of one engine's output against the input ([] when it holds).
export function checkInvariants(workloadId, engine, out, input) {
  const inv = INVARIANTS[workloadId];
  if (!inv) return [];
  return inv.rules(out, input).filter(([, got, want]) => !sameNumber(got, want))
    .map(([what, got, want]) => `${engine}: ${what} ${got ?? 'missing'}, expected ${want} (from the input)`);
}
