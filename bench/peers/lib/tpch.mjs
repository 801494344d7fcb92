// The TPC-H side of the benchmark suite (bench/run --tpch): what every engine's script shares —
// the 22 query files (tests/sql/tpch/qNN.sql, standard text, validation parameters), the eight
// tables as Parquet files in one folder, the views that name them, a statement splitter, the
// columns each query's ORDER BY sorts on (rows tied on them may come in any order), and how an
// answer is compared (lib/answers.mjs: by position, money to a cent, averages to a tolerance).

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const QUERIES_DIR = path.join(REPO, 'tests/sql/tpch');
export const TABLES = ['lineitem', 'orders', 'customer', 'part', 'partsupp', 'supplier', 'nation', 'region'];
// The exit status of a peer's script whose SQL front end cannot plan a query (polars_tpch.mjs).
export const UNSUPPORTED_EXIT = 3;
export const QUERY_NUMBERS = Array.from({ length: 22 }, (_, i) => i + 1);

// The output columns (0-based) of each query's ORDER BY: rows equal on them may come in any order.
const ORDER_KEYS = {
  1: [0, 1], 2: [0, 2, 1, 3], 3: [1, 2], 4: [0], 5: [1], 6: [], 7: [0, 1, 2], 8: [0], 9: [0, 1],
  10: [2], 11: [1], 12: [0], 13: [1, 0], 14: [], 15: [0], 16: [3, 0, 1, 2], 17: [], 18: [4, 3],
  19: [], 20: [0], 21: [1, 0], 22: [0],
};

// Answers a peer is known to get wrong, with why: such an answer is still compared and reported
// ("wrong", with the reason), left out of the ratios and means, and does not fail the run; an
// answer that differs anywhere else does. When a known difference stops occurring, the report says
// so.
// (Polars' SQL context answered Q6 wrongly — it evaluates `0.06 + 0.01` in floating point — but the
// benchmark now runs Polars' lazy-API queries, which write the bounds 0.05 and 0.07.)
export const KNOWN_WRONG = {};

export const queryId = (n) => `Q${n}`;
export const queryFile = (n) => path.join(QUERIES_DIR, `q${String(n).padStart(2, '0')}.sql`);

// "1,3,q6,Q22" -> [1, 3, 6, 22]; null for a bad entry.
export function parseQueryList(text) {
  const numbers = String(text).split(',').map((s) => s.trim()).filter(Boolean).map((s) => Number(s.replace(/^q/i, '')));
  return numbers.every((n) => Number.isInteger(n) && n >= 1 && n <= 22) ? [...new Set(numbers)] : null;
}

// The query's name from its first comment line ("-- TPC-H Q1: pricing summary report (...)").
export function queryTitle(n) {
  const first = fs.readFileSync(queryFile(n), 'utf8').split('\n')[0];
  const m = first.match(/^--\s*TPC-H Q\d+:\s*([^(,]+)/);
  return m ? m[1].trim() : queryId(n);
}

const sqlString = (s) => `'${String(s).replaceAll("'", "''")}'`;

// CREATE VIEW lineitem AS SELECT * FROM '<dir>/lineitem.parquet'; ... (sluice and DuckDB).
export const viewsPrelude = (dir) =>
  TABLES.map((t) => `CREATE VIEW ${t} AS SELECT * FROM ${sqlString(path.join(path.resolve(dir), `${t}.parquet`))};`).join('\n');

// The table files missing from dir (empty when every one is there).
export const missingTables = (dir) => TABLES.filter((t) => !fs.existsSync(path.join(dir, `${t}.parquet`)));

// Splits SQL text into statements at top-level ';', skipping '--' and '/* */' comments and
// quoted text. Returns the statements' text, trimmed, comments removed, without the ';'.
export function splitStatements(sql) {
  const out = [];
  let cur = '';
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i];
    if (c === '-' && sql[i + 1] === '-') {
      while (i < sql.length && sql[i] !== '\n') i++;
      cur += '\n';
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? sql.length : end + 1;
      cur += ' ';
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < sql.length && !(sql[j] === c && sql[j + 1] !== c)) j += sql[j] === c ? 2 : 1;
      cur += sql.slice(i, j + 1);
      i = j;
    } else if (c === ';') {
      if (cur.trim()) out.push(cur.trim());
      cur = '';
    } else {
      cur += c;
    }
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

// A statement that returns rows (the query's answer) rather than creating or dropping a view.
export const isQuery = (statement) => /^\(?\s*(select|with|from|values)\b/i.test(statement);

// The comparison type of a DuckDB column type: money (DECIMAL) to a cent, floats to a relative
// tolerance, the rest exactly (lib/answers.mjs).
function compareType(duckdbType) {
  if (/^DECIMAL/.test(duckdbType)) return 'MONEY';
  if (/^(DOUBLE|FLOAT|REAL)/.test(duckdbType)) return 'DOUBLE';
  if (/INT$|^INTEGER|^HUGEINT|^UBIGINT/.test(duckdbType)) return 'BIGINT';
  if (/^(DATE|TIMESTAMP|BOOLEAN|VARCHAR)/.test(duckdbType)) return duckdbType.replace(/\(.*$/, '');
  return 'VARCHAR';
}

// The comparison spec of query n (lib/answers.mjs), from DuckDB's description of its answer
// (DESCRIBE, nothing is run). `query` runs SQL on a DuckDB connection that has the views of
// viewsPrelude; the statements before the answer (Q15's CREATE VIEW) are run, those after it too.
// Columns are compared by position (engines name computed columns differently), as the types
// DuckDB gives them; rows in order, rows tied on the ORDER BY columns in any order.
export async function compareSpec(query, n) {
  const statements = splitStatements(fs.readFileSync(queryFile(n), 'utf8'));
  let described = null;
  for (const s of statements) {
    if (isQuery(s) && !described) described = await query(`DESCRIBE ${s}`);
    else await query(s);
  }
  if (!described) throw new Error(`${queryFile(n)} holds no query`);
  const names = [];
  for (const r of described) {
    let name = r.column_name;
    for (let k = 2; names.includes(name); k++) name = `${r.column_name}_${k}`;
    names.push(name);
  }
  const columns = Object.fromEntries(described.map((r, k) => [names[k], compareType(r.column_type)]));
  return { mode: 'ordered', positional: true, columns, ties: ORDER_KEYS[n].map((k) => names[k]) };
}

// The scale factor of a folder of dbgen tables: orders has 1,500,000 × SF rows.
export const scaleFactorOf = (ordersRows) => Number((Number(ordersRows) / 1_500_000).toPrecision(3));
export const scaleLabel = (sf) => `sf${String(sf)}`;
