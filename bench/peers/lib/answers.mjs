// Checks that every engine of a suite workload gave the same answer (bench/run). DuckDB reads each
// engine's output file (CSV as text, Parquet as written), casts every column to the type the
// workload compares it as (lib/workloads.mjs), and the answers are compared with a reference
// engine's (DuckDB's when it ran: a disagreement then names the engine that differs):
//   keyed/ordered: row by row (keyed: sorted by the keys), floats to a relative tolerance;
//   bulk: the row count, and per column the non-null count and an order-insensitive hash of the
//         values; floats by sum, min and max to a relative tolerance (engines that read floats
//         from CSV may differ in the last bit).
// A missing column, an extra one, a value that does not cast, a count that differs: all are
// disagreements, and a disagreement fails the run. With `kinds: true` a Parquet output's column
// must also be stored as a type of the compared type's kind (any timestamp unit for TIMESTAMP,
// any integer width for BIGINT, ...): the types engines infer (a CSV's) may differ, but a
// timestamp left as text is a disagreement.
// For the TPC-H queries (lib/tpch.mjs) a spec may also say:
//   positional: true  columns are matched by position, not name (engines name computed columns
//                     differently); only their number must agree;
//   ties: [columns]   (ordered) rows equal on these columns (the ORDER BY's) may come in any order
//                     among themselves;
//   type MONEY        a DECIMAL sum or product: equal to a cent, or to the relative tolerance.

const sqlString = (s) => `'${String(s).replaceAll("'", "''")}'`;
const ident = (s) => `"${String(s).replaceAll('"', '""')}"`;

// Floats from different summation orders (threads, engines) differ in the last digits only.
export const FLOAT_TOLERANCE = 1e-9;
// Money computed in decimals by one engine and in doubles by another differs by rounding.
export const MONEY_TOLERANCE = 0.01;
const REFERENCE_ORDER = ['duckdb', 'polars', 'sluice', 'pandas'];
const MAX_PROBLEMS_PER_ENGINE = 5;

const isFloat = (type) => type === 'DOUBLE' || type === 'MONEY';
const close = (a, b, tol) => {
  if (a === b) return true;
  if (a == null || b == null) return false;
  return Math.abs(a - b) <= tol * Math.max(Math.abs(a), Math.abs(b), 1e-6);
};
const sameValue = (a, b, type) => {
  if (type === 'MONEY') return close(a, b, FLOAT_TOLERANCE) || (a != null && b != null && Math.abs(a - b) <= MONEY_TOLERANCE + 1e-9);
  return isFloat(type) ? close(a, b, FLOAT_TOLERANCE) : a === b;
};

// The file as a table; a positional spec names its columns as the spec does.
function sourceOf(file, spec = null) {
  if (!file.endsWith('.csv')) return `read_parquet(${sqlString(file)})`;
  const names = spec?.positional ? `, delim = ',', quote = '"', names = [${Object.keys(spec.columns).map(sqlString).join(', ')}]` : '';
  return `read_csv(${sqlString(file)}, all_varchar = true, header = true${names})`;
}

// The output's column names, or a problem when they are not the workload's (positional: their
// number).
async function checkColumns(query, file, columns, positional = false) {
  const rows = await query(`DESCRIBE SELECT * FROM ${positional && file.endsWith('.csv') ? `read_csv(${sqlString(file)}, all_varchar = true, header = true, delim = ',', quote = '"')` : sourceOf(file)}`);
  const got = rows.map((r) => r.column_name);
  const want = Object.keys(columns);
  if (positional) return got.length === want.length ? null : `${got.length} columns [${got.join(', ')}], expected ${want.length} [${want.join(', ')}]`;
  const missing = want.filter((c) => !got.includes(c));
  const extra = got.filter((c) => !want.includes(c));
  if (!missing.length && !extra.length) return null;
  return `columns [${got.join(', ')}]: ${missing.length ? `missing ${missing.join(', ')}` : ''}` +
    `${missing.length && extra.length ? '; ' : ''}${extra.length ? `unexpected ${extra.join(', ')}` : ''}`;
}

// The kind of a DuckDB type: types of one kind hold the same values after a cast.
function kindOf(type) {
  if (/^TIMESTAMP/.test(type)) return 'timestamp';
  if (/^U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)$/.test(type)) return 'integer';
  if (/^(FLOAT|DOUBLE|REAL|DECIMAL)/.test(type) || type === 'MONEY') return 'float';
  if (type === 'VARCHAR') return 'text';
  return type.toLowerCase();
}

// Columns of a Parquet output stored as a type of another kind than the compared one, or null.
async function kindProblem(query, file, columns) {
  if (file.endsWith('.csv')) return null;
  const rows = await query(`DESCRIBE SELECT * FROM ${sourceOf(file)}`);
  const wrong = rows.filter((r) => columns[r.column_name] && kindOf(r.column_type) !== kindOf(columns[r.column_name]))
    .map((r) => `${r.column_name} is ${r.column_type}, expected a ${kindOf(columns[r.column_name])} type`);
  return wrong.length ? `column types: ${wrong.join('; ')}` : null;
}

const castList = (columns) => Object.entries(columns).map(([c, t]) => `CAST(${ident(c)} AS ${t === 'MONEY' ? 'DOUBLE' : t}) AS ${ident(c)}`).join(', ');

// Every row, typed; keyed answers sorted by their keys (ordered ones keep the file's order).
async function readRows(query, file, spec) {
  const order = spec.mode === 'keyed' ? ` ORDER BY ${spec.keys.map(ident).join(', ')}` : '';
  return query(`SELECT ${castList(spec.columns)} FROM ${sourceOf(file, spec)}${order}`);
}

// Values of one row against the reference's; pushes at most `room` problems, returns the count.
function compareValues(a, b, spec, where, problems, room) {
  let differing = 0;
  for (const [c, type] of Object.entries(spec.columns)) {
    if (sameValue(a[c], b[c], type)) continue;
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
  } else if (spec.ties) {
    if (ref.length === got.length) differing += compareWithTies(ref, got, spec, problems, room());
  } else {
    const n = Math.min(ref.length, got.length);
    for (let i = 0; i < n; i++) differing += compareValues(ref[i], got[i], spec, `row ${i + 1}`, problems, room());
  }
  if (differing > MAX_PROBLEMS_PER_ENGINE) problems.push(`... ${differing} differing values in all`);
  return problems;
}

const rowsEqual = (a, b, spec, columns = Object.keys(spec.columns)) => columns.every((c) => sameValue(a[c], b[c], spec.columns[c]));

// Ordered rows where rows tied on spec.ties may come in any order: row by row, and where a row
// differs, the run of reference rows tied with it is compared as a multiset. Returns the number
// of runs that differ (one problem each, at most `room` of them reported).
function compareWithTies(ref, got, spec, problems, room) {
  let differing = 0;
  let i = 0;
  while (i < ref.length) {
    if (rowsEqual(ref[i], got[i], spec)) { i++; continue; }
    let start = i, end = i + 1;
    while (start > 0 && rowsEqual(ref[start - 1], ref[i], spec, spec.ties)) start--;
    while (end < ref.length && rowsEqual(ref[end], ref[i], spec, spec.ties)) end++;
    const used = new Array(end - start).fill(false);
    let bad = -1;
    for (let g = start; g < end && bad < 0; g++) {
      const k = used.findIndex((u, j) => !u && rowsEqual(ref[start + j], got[g], spec));
      if (k < 0) bad = g;
      else used[k] = true;
    }
    if (bad >= 0 && ++differing <= room) {
      const shown = [];
      compareValues(ref[bad], got[bad], spec, `row ${bad + 1}`, shown, 1);
      problems.push(shown[0] ?? `row ${bad + 1}: not among the reference's rows ${start + 1}..${end} (tied on ${spec.ties.join(', ') || 'nothing'})`);
    }
    i = end;
  }
  return differing;
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
  const [row] = await query(`SELECT ${select.join(', ')} FROM (SELECT ${castList(spec.columns)} FROM ${sourceOf(file, spec)})`);
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
      const columnProblem = await checkColumns(query, outputs[engine], spec.columns, spec.positional);
      if (columnProblem) { say(engine, columnProblem); continue; }
      const kinds = spec.kinds ? await kindProblem(query, outputs[engine], spec.columns) : null;
      if (kinds) say(engine, kinds);
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
