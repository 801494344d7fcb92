// Test data of the engine's differential test (engine_differential.mjs), made by DuckDB from
// range() with deterministic expressions (no random(): every run writes the same values), and
// written as Parquet in several files of several row groups:
//
//   events/part-{0,1,2}.parquet  120,000 rows (40,000 per file, row groups of 10,000): a unique
//                                `id` (0.., ascending across the sorted files) and one column of
//                                every type the engine computes on, each with nulls at its own rate.
//                                user_id is skewed: users 0..10 have ~2,000 events each, the
//                                others ~15.
//   users.parquet                5,600 rows: `user_id` unique for 0..4999 but duplicated for
//                                0..699, null for some rows, 7000..7099 never in events; events'
//                                user_id 5000..5999 have no user. Shares `k1` and `cat` with events
//                                (multi-key joins, suffixes).
//   small.parquet                8 rows for cross joins and small-key joins (a duplicate key, a
//                                null key, an unmatched key, an empty-string category).
//
// NaN: only the column `fs` holds NaN (with +-Infinity, -0.0 and nulls). DuckDB orders NaN above
// every number and makes NaN = NaN true; IEEE (which sluice may follow) makes every comparison with
// NaN false. The queries therefore use `fs` only where both agree: arithmetic, is_null, casts,
// and aggregates whose NaN result is NaN either way (sum, mean).

export const EVENTS_FILES = 3;
export const EVENTS_ROWS_PER_FILE = 40000;
export const ROW_GROUP_SIZE = 10000;

// Templates of the text column `s`: spaces to strip, mixed case, unicode (2-, 3- and 4-byte
// characters), delimiters for split_part, digits for regular expressions, the empty string.
const TEXTS = [
  '  padded  ', 'Hello World', 'ÄÖÜ äöü straße', '日本語のテキスト', 'emoji 🦆 duck 🦆',
  'a,b,c', 'x-y-z-w', 'order 12345 shipped', '', 'MiXeD CaSe', 'tab\tsep', 'caf\u00e9 cr\u00e8me',
  'UPPER lower', 'name@example.com', '2024-05-06', 'foo_bar_baz', 'Ελληνικά', ' lead', 'trail ',
  'repeat repeat repeat',
];
const CATS = ['books', 'games', 'music', 'tools', 'garden', 'Électronique', '家電', ''];

const sqlList = (values) => `[${values.map((v) => `'${v.replaceAll("'", "''")}'`).join(', ')}]`;

/// The SELECT that makes file `part` of events (i is the global row number).
function eventsSelect(part) {
  const lo = part * EVENTS_ROWS_PER_FILE;
  const hi = lo + EVENTS_ROWS_PER_FILE;
  return `
SELECT
  i::BIGINT AS id,
  CASE WHEN i % 23 = 0 THEN NULL WHEN i % 5 = 1 THEN (i % 11)::INTEGER
       ELSE ((i * 7919) % 6000)::INTEGER END AS user_id,
  CASE WHEN i % 31 = 0 THEN NULL ELSE ${sqlList(CATS)}[1 + (i * 13) % ${CATS.length}] END AS cat,
  CASE WHEN i % 17 = 0 THEN NULL ELSE ((i * 37) % 10)::INTEGER END AS k1,
  CASE WHEN i % 19 = 0 THEN NULL ELSE ['a', 'b', 'c'][1 + (i * 11) % 3] END AS k2,
  CASE WHEN i % 7 = 3 THEN NULL ELSE (((i * 31) % 201) - 100)::TINYINT END AS i8,
  CASE WHEN i % 11 = 5 THEN NULL ELSE (((i * 997) % 60001) - 30000)::SMALLINT END AS i16,
  CASE WHEN i % 13 = 7 THEN NULL ELSE (((i * 104729) % 2000001) - 1000000)::INTEGER END AS i32,
  CASE WHEN i % 29 = 1 THEN NULL
       ELSE (((i::HUGEINT * 2654435761) % 1000000000000) - 500000000000)::BIGINT END AS i64,
  CASE WHEN i % 9 = 2 THEN NULL ELSE ((i * 7) % 256)::UTINYINT END AS u8,
  CASE WHEN i % 41 = 3 THEN NULL ELSE ((i * 13) % 60000)::USMALLINT END AS u16,
  CASE WHEN i % 37 = 4 THEN NULL ELSE ((i::HUGEINT * 2654435761) % 4294967296)::UINTEGER END AS u32,
  CASE WHEN i % 43 = 5 THEN NULL
       ELSE ((i::HUGEINT * 11400714819323198485) % 18446744073709551616)::UBIGINT END AS u64,
  CASE WHEN i % 50 = 0 THEN NULL ELSE (4611686018427387904 + i)::BIGINT END AS big,
  CASE WHEN i % 10 = 0 THEN NULL ELSE (((i * 7) % 20000) / 64.0 - 150)::FLOAT END AS f32,
  CASE WHEN i % 8 = 1 THEN NULL ELSE ((i * 7907) % 1000003) / 100.0 - 5000 END::DOUBLE AS f64,
  CASE WHEN i % 20 = 3 THEN NULL ELSE ((i * 31337) % 100000) / 100.0 END::DOUBLE AS revenue,
  CASE i % 10 WHEN 0 THEN 'NaN'::DOUBLE WHEN 1 THEN 'Infinity'::DOUBLE
       WHEN 2 THEN '-Infinity'::DOUBLE WHEN 3 THEN '-0.0'::DOUBLE WHEN 4 THEN NULL
       ELSE i / 3.0 END::DOUBLE AS fs,
  CASE WHEN i % 12 = 6 THEN NULL
       ELSE ((((i * 7919) % 2000001) - 1000000)::DECIMAL(10, 0) / 100)::DECIMAL(10, 2) END AS dec,
  CASE WHEN i % 14 = 9 THEN NULL
       ELSE (((i::HUGEINT * 104723) % 100000000000) :: DECIMAL(30, 0) / 1000000)::DECIMAL(30, 6)
  END AS dec30,
  CASE WHEN i % 53 = 0 THEN '' WHEN i % 14 = 2 THEN NULL
       ELSE ${sqlList(TEXTS)}[1 + (i * 7) % ${TEXTS.length}]
            || CASE WHEN i % 3 = 0 THEN '' ELSE ' #' || (i % 97)::VARCHAR END END AS s,
  CASE WHEN i % 21 = 8 THEN NULL
       ELSE CASE i % 6 WHEN 0 THEN (i % 1000)::VARCHAR WHEN 1 THEN '-' || (i % 77)::VARCHAR
                       WHEN 2 THEN ((i % 100) / 4)::VARCHAR WHEN 3 THEN 'abc'
                       WHEN 4 THEN (i % 3 = 0)::VARCHAR ELSE '' END END AS num_str,
  CASE WHEN i % 5 = 0 THEN NULL
       ELSE ((i * 3) % 100)::VARCHAR || '|' || ['red', 'green', 'blue', ''][1 + i % 4]
            || '|' || (i % 7)::VARCHAR END AS parts,
  CASE WHEN i % 15 = 4 THEN NULL ELSE DATE '2020-01-01' + ((i * 37) % 2000)::INTEGER END AS d,
  CASE WHEN i % 16 = 9 THEN NULL
       ELSE make_timestamp((1609459200000000 + (i::HUGEINT * 7777777777) % 94608000000000)::BIGINT)
  END AS ts,
  CASE WHEN i % 18 = 11 THEN NULL
       ELSE make_timestamp((1609459200000000 + (i::HUGEINT * 3333333331) % 94608000000000)::BIGINT)
  END AS ts2,
  CASE WHEN i % 25 = 7 THEN NULL
       WHEN i % 9 = 0 THEN 'not a date'
       ELSE strftime(DATE '2019-06-01' + ((i * 13) % 3000)::INTEGER, '%Y-%m-%d') END AS date_str,
  CASE WHEN i % 6 = 5 THEN NULL ELSE (i * 7) % 3 = 0 END AS b,
  CASE WHEN i % 4 = 2 THEN NULL ELSE i % 2 = 0 END AS b2
FROM range(${lo}, ${hi}) t(i)`;
}

const USERS_SELECT = `
SELECT
  CASE WHEN j % 97 = 0 THEN NULL
       WHEN j < 5000 THEN (j * 3) % 5000
       WHEN j < 5500 THEN (j * 7) % 700
       ELSE 7000 + j - 5500 END::INTEGER AS user_id,
  CASE WHEN j % 13 = 0 THEN NULL ELSE 'user_' || j::VARCHAR END AS name,
  ['DE', 'FR', 'US', 'JP', NULL, 'BR'][1 + (j * 5) % 6] AS country,
  DATE '2018-01-01' + ((j * 11) % 1500)::INTEGER AS signup,
  CASE WHEN j % 10 = 4 THEN NULL ELSE ((j * 613) % 10000) / 100.0 END::DOUBLE AS score,
  CASE WHEN j % 8 = 3 THEN NULL ELSE (1 + j % 3)::INTEGER END AS tier,
  ((j * 3) % 10)::INTEGER AS k1,
  CASE WHEN j % 11 = 0 THEN NULL ELSE ${sqlList(CATS)}[1 + j % ${CATS.length}] END AS cat
FROM range(0, 5600) t(j)`;

const SMALL_SELECT = `
SELECT k::INTEGER AS k, cat, label, w::DOUBLE AS w FROM (VALUES
  (1, 'books', 'one', 1.5),
  (2, 'games', 'two', -2.25),
  (2, 'music', 'two bis', 0.0),
  (3, '', 'three', 3.125),
  (NULL, 'tools', 'null key', 4.0),
  (5, 'toys', 'five', NULL),
  (7, NULL, 'seven', 7.75),
  (9, '家電', NULL, 9.0)
) t(k, cat, label, w)`;

/// Writes the tables under `dir` (made fresh) with the DuckDB connection `con`.
export async function writeEngineData(con, dir, fs, path) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, 'events'), { recursive: true });
  const lit = (s) => `'${String(s).replaceAll("'", "''")}'`;
  for (let part = 0; part < EVENTS_FILES; part++) {
    const file = path.join(dir, 'events', `part-${part}.parquet`);
    await con.run(`COPY (${eventsSelect(part)} ORDER BY i) TO ${lit(file)}
                   (FORMAT parquet, ROW_GROUP_SIZE ${ROW_GROUP_SIZE})`);
  }
  await con.run(`COPY (${USERS_SELECT}) TO ${lit(path.join(dir, 'users.parquet'))}
                 (FORMAT parquet, ROW_GROUP_SIZE 2048)`);
  await con.run(`COPY (${SMALL_SELECT}) TO ${lit(path.join(dir, 'small.parquet'))} (FORMAT parquet)`);
}

/// Makes the views the SQL of the cases reads: events, users, small.
export async function createEngineViews(con, dir) {
  const lit = (s) => `'${String(s).replaceAll("'", "''")}'`;
  await con.run(`CREATE OR REPLACE VIEW events AS
                 SELECT * FROM read_parquet(${lit(dir + '/events/*.parquet')})`);
  await con.run(`CREATE OR REPLACE VIEW users AS SELECT * FROM read_parquet(${lit(dir + '/users.parquet')})`);
  await con.run(`CREATE OR REPLACE VIEW small AS SELECT * FROM read_parquet(${lit(dir + '/small.parquet')})`);
}
