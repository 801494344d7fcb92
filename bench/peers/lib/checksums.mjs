// Checks that engines wrote the same data: DuckDB reads every output file and computes, per column,
// the non-null count, an order-insensitive value hash (sum of hash(col)), an order-sensitive one
// (sum of hash(col, file_row_number)) and, for numbers, the sum; plus the row count, the schema and
// the codecs used. compareFacts() reports every disagreement against the first (reference) engine.
// Floating-point columns compare exactly by default; a workload that computes floats differently
// per engine (aggregates) passes floatTolerance to compare their sums within a relative tolerance.

import { DuckDBInstance } from '@duckdb/node-api';

const sqlString = (s) => `'${String(s).replaceAll("'", "''")}'`;
const ident = (s) => `"${String(s).replaceAll('"', '""')}"`;
const FLOAT_TYPES = new Set(['FLOAT', 'DOUBLE', 'REAL']);
const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|REAL|DECIMAL)/;

export async function openDuckDB() {
  const instance = await DuckDBInstance.create(':memory:');
  const con = await instance.connect();
  const query = async (sql) => (await con.runAndReadAll(sql)).getRowObjectsJson();
  return { query, close: () => con.closeSync() };
}

async function schemaOf(query, file) {
  const rows = await query(`DESCRIBE FROM read_parquet(${sqlString(file)})`);
  return rows.map((r) => ({ name: r.column_name, type: r.column_type }));
}

// Codecs and row-group count from the file's footer.
async function layoutOf(query, file) {
  const [row] = await query(`SELECT list(DISTINCT compression ORDER BY compression) AS codecs,
      count(DISTINCT row_group_id) AS row_groups FROM parquet_metadata(${sqlString(file)})`);
  return { codecs: row.codecs, row_groups: Number(row.row_groups) };
}

// The aggregates computed for one column, as [fact name, SQL expression] pairs.
function columnAggregates(col, { ordered }) {
  const c = ident(col.name);
  const aggs = [['non_null', `count(${c})`], ['hash', `sum(hash(${c}))`]];
  if (ordered) aggs.push(['ordered_hash', `sum(hash(${c}, file_row_number))`]);
  if (NUMERIC.test(col.type)) aggs.push(['sum', `sum(${c})::DOUBLE`]);
  return aggs;
}

// Per-file facts; `ordered` adds the order-sensitive hashes (for workloads whose row order matters).
// Counts and hashes come back as decimal strings (they exceed 2^53), sums as numbers.
export async function fileFacts(query, file, { ordered = true } = {}) {
  const schema = await schemaOf(query, file);
  const useOrder = ordered && !schema.some((c) => c.name === 'file_row_number');
  const select = ['count(*) AS "rows"'];
  schema.forEach((col, k) => {
    for (const [fact, expr] of columnAggregates(col, { ordered: useOrder })) select.push(`${expr} AS "c${k}_${fact}"`);
  });
  const source = `read_parquet(${sqlString(file)}${useOrder ? ', file_row_number=true' : ''})`;
  const [row] = await query(`SELECT ${select.join(', ')} FROM ${source}`);
  const columns = {};
  schema.forEach((col, k) => {
    const facts = { type: col.type };
    for (const [fact] of columnAggregates(col, { ordered: useOrder })) {
      const v = row[`c${k}_${fact}`];
      facts[fact] = fact === 'sum' ? (v == null ? null : Number(v)) : v;
    }
    columns[col.name] = facts;
  });
  return { rows: row.rows, ...(await layoutOf(query, file)), columns };
}

const relClose = (a, b, tol) => a === b || Math.abs(a - b) <= tol * Math.max(Math.abs(a), Math.abs(b));

function compareColumn(name, ref, got, { floatTolerance }) {
  const problems = [];
  if (!got) return [`column ${name} missing`];
  if (ref.type !== got.type) problems.push(`column ${name}: type ${got.type}, expected ${ref.type}`);
  if (ref.non_null !== got.non_null) problems.push(`column ${name}: ${got.non_null} non-null values, expected ${ref.non_null}`);
  const tolerant = floatTolerance != null && FLOAT_TYPES.has(ref.type);
  if (tolerant) {
    if (!relClose(ref.sum, got.sum, floatTolerance)) problems.push(`column ${name}: sum ${got.sum}, expected ${ref.sum} (±${floatTolerance})`);
    return problems;
  }
  if (ref.hash !== got.hash) problems.push(`column ${name}: values differ (hash)`);
  else if (ref.ordered_hash !== got.ordered_hash) problems.push(`column ${name}: same values in a different row order`);
  return problems;
}

// factsByEngine: { engine: facts } (first = reference). expectCodec: e.g. 'ZSTD' (optional).
// Returns { ok, reference, problems: ["engine: ..."] }.
export function compareFacts(factsByEngine, { floatTolerance = null, expectCodec = null } = {}) {
  const [reference, ...others] = Object.keys(factsByEngine);
  const ref = factsByEngine[reference];
  const problems = [];
  for (const engine of Object.keys(factsByEngine)) {
    const codecs = factsByEngine[engine].codecs;
    if (expectCodec && !(codecs.length === 1 && codecs[0] === expectCodec)) problems.push(`${engine}: codecs ${codecs.join(', ')}, expected ${expectCodec}`);
  }
  for (const engine of others) {
    const got = factsByEngine[engine];
    const say = (p) => problems.push(`${engine}: ${p}`);
    if (got.rows !== ref.rows) say(`${got.rows} rows, expected ${ref.rows} (as ${reference})`);
    const refNames = Object.keys(ref.columns), gotNames = Object.keys(got.columns);
    if (refNames.join() !== gotNames.join()) say(`columns [${gotNames}], expected [${refNames}]`);
    for (const name of refNames) compareColumn(name, ref.columns[name], got.columns[name], { floatTolerance }).forEach(say);
  }
  return { ok: problems.length === 0, reference, problems };
}
