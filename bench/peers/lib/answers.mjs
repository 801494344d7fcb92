// Checks that every engine of a suite workload gave the same answer (bench/run). DuckDB reads each
// engine's output file (CSV as text, Parquet as written), casts every column to the type the
// workload compares it as (lib/workloads.mjs), and the answers are compared with a reference
// engine's (DuckDB's when it ran: a disagreement then names the engine that differs):
//   keyed/ordered: row by row (keyed: sorted by the keys), floats to a relative tolerance;
//   bulk: the row count, and per column the non-null count and an order-insensitive hash of the
//         values; floats by sum, min and max to a relative tolerance (engines that read floats
//         from CSV may differ in the last bit).
// A missing column, an extra one, a value that does not cast, a count that differs: all are
// disagreements, and a disagreement fails the run.

const sqlString = (s) => `'${String(s).replaceAll("'", "''")}'`;
const ident = (s) => `"${String(s).replaceAll('"', '""')}"`;

// Floats from different summation orders (threads, engines) differ in the last digits only.
export const FLOAT_TOLERANCE = 1e-9;
const REFERENCE_ORDER = ['duckdb', 'polars', 'sluice', 'pandas'];
const MAX_PROBLEMS_PER_ENGINE = 5;

const isFloat = (type) => type === 'DOUBLE';
const close = (a, b, tol) => {
  if (a === b) return true;
  if (a == null || b == null) return false;
  return Math.abs(a - b) <= tol * Math.max(Math.abs(a), Math.abs(b), 1e-6);
};

function sourceOf(file) {
  return file.endsWith('.csv')
    ? `read_csv(${sqlString(file)}, all_varchar = true, header = true)`
    : `read_parquet(${sqlString(file)})`;
}

// The output's column names, or a problem when they are not the workload's.
async function checkColumns(query, file, columns) {
  const rows = await query(`DESCRIBE SELECT * FROM ${sourceOf(file)}`);
  const got = rows.map((r) => r.column_name);
  const want = Object.keys(columns);
  const missing = want.filter((c) => !got.includes(c));
  const extra = got.filter((c) => !want.includes(c));
  if (!missing.length && !extra.length) return null;
  return `columns [${got.join(', ')}]: ${missing.length ? `missing ${missing.join(', ')}` : ''}` +
    `${missing.length && extra.length ? '; ' : ''}${extra.length ? `unexpected ${extra.join(', ')}` : ''}`;
}

const castList = (columns) => Object.entries(columns).map(([c, t]) => `CAST(${ident(c)} AS ${t}) AS ${ident(c)}`).join(', ');

// Every row, typed; keyed answers sorted by their keys (ordered ones keep the file's order).
async function readRows(query, file, spec) {
  const order = spec.mode === 'keyed' ? ` ORDER BY ${spec.keys.map(ident).join(', ')}` : '';
  return query(`SELECT ${castList(spec.columns)} FROM ${sourceOf(file)}${order}`);
}

// Values of one row against the reference's; pushes at most `room` problems, returns the count.
function compareValues(a, b, spec, where, problems, room) {
  let differing = 0;
  for (const [c, type] of Object.entries(spec.columns)) {
    const same = isFloat(type) ? close(a[c], b[c], FLOAT_TOLERANCE) : a[c] === b[c];
    if (same) continue;
    if (++differing <= room) problems.push(`${where}: ${c} = ${JSON.stringify(b[c])}, expected ${JSON.stringify(a[c])}`);
  }
  return differing;
}

const describeKey = (row, keys) => keys.map((k) => `${k} = ${row[k] ?? 'null'}`).join(', ');

function compareRows(ref, got, spec) {
  const problems = [];
  if (ref.length !== got.length) problems.push(`${got.length} rows, expected ${ref.length}`);
  let differing = 0;
  const room = () => Math.max(0, MAX_PROBLEMS_PER_ENGINE - problems.length);
  if (spec.mode === 'keyed') {
    // Groups matched by key: missing, unexpected and repeated groups, then the values of the rest.
    const keyOf = (row) => JSON.stringify(spec.keys.map((k) => row[k]));
    const index = (rows) => {
      const map = new Map();
      let repeated = 0;
      for (const row of rows) {
        if (map.has(keyOf(row))) repeated++;
        else map.set(keyOf(row), row);
      }
      return { map, repeated };
    };
    const r = index(ref), g = index(got);
    if (g.repeated) problems.push(`${g.repeated} groups appear more than once`);
    const missing = [...r.map.keys()].filter((k) => !g.map.has(k));
    const extra = [...g.map.keys()].filter((k) => !r.map.has(k));
    const show = (keys, map) => keys.slice(0, 3).map((k) => `(${describeKey(map.get(k), spec.keys)})`).join(', ') + (keys.length > 3 ? ', ...' : '');
    if (missing.length) problems.push(`${missing.length} groups missing: ${show(missing, r.map)}`);
    if (extra.length) problems.push(`${extra.length} unexpected groups: ${show(extra, g.map)}`);
    for (const [k, a] of r.map) {
      const b = g.map.get(k);
      if (b) differing += compareValues(a, b, spec, `group ${describeKey(a, spec.keys)}`, problems, room());
    }
  } else {
    const n = Math.min(ref.length, got.length);
    for (let i = 0; i < n; i++) differing += compareValues(ref[i], got[i], spec, `row ${i + 1}`, problems, room());
  }
  if (differing > MAX_PROBLEMS_PER_ENGINE) problems.push(`... ${differing} differing values in all`);
  return problems;
}

// Row count and per-column aggregates of a large output.
async function bulkFacts(query, file, spec) {
  const select = ['count(*) AS "rows"'];
  Object.entries(spec.columns).forEach(([c, type], k) => {
    const v = ident(c);
    select.push(`count(${v}) AS "c${k}_non_null"`);
    if (isFloat(type)) select.push(`sum(${v}) AS "c${k}_sum"`, `min(${v}) AS "c${k}_min"`, `max(${v}) AS "c${k}_max"`);
    else select.push(`sum(hash(${v})) AS "c${k}_hash"`);
  });
  const [row] = await query(`SELECT ${select.join(', ')} FROM (SELECT ${castList(spec.columns)} FROM ${sourceOf(file)})`);
  return row;
}

function compareBulk(ref, got, spec) {
  const problems = [];
  if (ref.rows !== got.rows) problems.push(`${got.rows} rows, expected ${ref.rows}`);
  Object.entries(spec.columns).forEach(([c, type], k) => {
    const key = (fact) => `c${k}_${fact}`;
    if (ref[key('non_null')] !== got[key('non_null')]) problems.push(`column ${c}: ${got[key('non_null')]} non-null values, expected ${ref[key('non_null')]}`);
    if (isFloat(type)) {
      for (const fact of ['sum', 'min', 'max']) {
        if (!close(ref[key(fact)], got[key(fact)], FLOAT_TOLERANCE)) problems.push(`column ${c}: ${fact} ${got[key(fact)]}, expected ${ref[key(fact)]}`);
      }
    } else if (ref[key('hash')] !== got[key('hash')]) {
      problems.push(`column ${c}: values differ (hash)`);
    }
  });
  return problems;
}

// outputs: { engine: file }. Returns { ok, reference, rows: { engine: count }, problems: ["engine: ..."] }.
export async function compareAnswers(query, workload, outputs) {
  const spec = workload.compare;
  const engines = Object.keys(outputs);
  const problems = [];
  const say = (engine, p) => problems.push(`${engine}: ${p}`);
  const answers = {};
  for (const engine of engines) {
    try {
      const columnProblem = await checkColumns(query, outputs[engine], spec.columns);
      if (columnProblem) { say(engine, columnProblem); continue; }
      answers[engine] = spec.mode === 'bulk' ? await bulkFacts(query, outputs[engine], spec) : await readRows(query, outputs[engine], spec);
    } catch (e) {
      say(engine, `cannot read its answer ${outputs[engine]}: ${e.message.split('\n')[0]}`);
    }
  }
  const rows = Object.fromEntries(Object.entries(answers).map(([e, a]) => [e, spec.mode === 'bulk' ? Number(a.rows) : a.length]));
  const candidates = Object.keys(answers);
  const reference = REFERENCE_ORDER.find((e) => candidates.includes(e)) ?? candidates[0] ?? null;
  for (const engine of candidates.filter((e) => e !== reference)) {
    const found = spec.mode === 'bulk' ? compareBulk(answers[reference], answers[engine], spec) : compareRows(answers[reference], answers[engine], spec);
    found.forEach((p) => say(engine, `${p} (as ${reference})`));
  }
  if (engines.length < 2) problems.push(`only ${engines.length} engine answered: nothing to compare`);
  return { ok: problems.length === 0, reference, rows, problems };
}
