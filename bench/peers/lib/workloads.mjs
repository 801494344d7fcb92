// The workloads of the benchmark suite (bench/run), Q1..Q6 of issue 4 and Q7 of issue 5 (CSV),
// over the generated dataset (`sluice generate DIR --rows N --csv`: events/*.parquet,
// users.parquet and their CSV copies events.csv, users.csv). Every engine's script implements each
// one as the same query:
//   bench/queries/sluice_query.cpp (Q6, Q7: `sluice convert` of `convert.input`),
//   bench/peers/duckdb_query.mjs, bench/peers/polars_query.mjs,
//   bench/peers/pandas_query.py (over the CSV copy; not Q6 or Q7: see `unsupported`).
// `unsupported: { engine: why }` names the engines that cannot run a workload and why; the
// reports show the reason.
// Each workload says how its answers are compared (lib/answers.mjs): the columns with the type
// they are compared as, and a mode —
//   keyed:   one row per key; rows matched by key, floats to a relative tolerance (aggregates);
//   ordered: the rows in order (a sorted top-k; its sort keys make the order unique);
//   bulk:    large outputs: row count, and per column the non-null count and an order-insensitive
//            hash of the values (floats: sum, min and max to a tolerance). Values are compared
//            after a cast to the listed type, so an engine may store them in another type of the
//            same kind (timestamp[ns] for timestamp[us], int32 for int64); with `kinds: true` the
//            stored type must be of that kind (a timestamp left as text is a disagreement).

export const EVENTS_COLUMNS = {
  timestamp: 'TIMESTAMP', user_id: 'BIGINT', category: 'VARCHAR', region: 'VARCHAR',
  revenue: 'DOUBLE', quantity: 'BIGINT', discount: 'DOUBLE', sku: 'VARCHAR',
};

// Why pandas cannot run the workloads that write Parquet (Q6, Q7).
const PANDAS_NO_PARQUET = 'Debian packages no Parquet engine for pandas (neither pyarrow nor fastparquet): it can neither read nor write Parquet';

export const WORKLOADS = [
  {
    id: 'Q1',
    title: 'seed query',
    description: 'filter timestamp > 2023-01-01; net_revenue = revenue * 0.8; user_id to string; sum of net_revenue by category',
    output: 'csv',
    compare: { mode: 'keyed', keys: ['category'], columns: { category: 'VARCHAR', net_revenue: 'DOUBLE' } },
  },
  {
    id: 'Q2',
    title: 'group by user',
    description: 'group by user_id (rows / 50 groups): count, sum of revenue, mean of quantity, max of timestamp',
    output: 'csv',
    compare: {
      mode: 'keyed', keys: ['user_id'],
      columns: { user_id: 'BIGINT', n: 'BIGINT', revenue_sum: 'DOUBLE', quantity_mean: 'DOUBLE', timestamp_max: 'TIMESTAMP' },
    },
  },
  {
    id: 'Q3',
    title: 'join + group by',
    description: 'events joined with users on user_id; group by country and tier: sum of revenue, distinct users',
    output: 'csv',
    compare: {
      mode: 'keyed', keys: ['country', 'tier'],
      columns: { country: 'VARCHAR', tier: 'VARCHAR', revenue_sum: 'DOUBLE', users: 'BIGINT' },
    },
  },
  {
    id: 'Q4',
    title: 'top 100',
    description: 'the 100 events of highest revenue (ties broken by timestamp), every column',
    output: 'csv',
    compare: { mode: 'ordered', columns: EVENTS_COLUMNS },
  },
  {
    id: 'Q5',
    title: 'filter + derive → Parquet',
    description: 'events of 2024 with month = truncate(timestamp, month), region_upper = upper(region), ' +
      'net_revenue = revenue * 0.8, written to zstd Parquet (pandas: to CSV)',
    output: 'parquet',
    compare: {
      mode: 'bulk',
      columns: { ...EVENTS_COLUMNS, month: 'TIMESTAMP', region_upper: 'VARCHAR', net_revenue: 'DOUBLE' },
    },
  },
  {
    id: 'Q6',
    title: 'convert',
    description: 'every events file rewritten as one zstd Parquet file (sluice convert)',
    output: 'parquet',
    convert: { input: 'events' },
    unsupported: { pandas: PANDAS_NO_PARQUET },
    compare: { mode: 'bulk', columns: EVENTS_COLUMNS },
  },
  {
    id: 'Q7',
    title: 'CSV → Parquet',
    description: 'read the events CSV, write zstd Parquet',
    output: 'parquet',
    convert: { input: 'events.csv' },
    unsupported: { pandas: PANDAS_NO_PARQUET },
    // Each engine infers the CSV's types itself: the values must agree, and every column must
    // have been parsed into its kind (timestamps as timestamps, not text).
    compare: { mode: 'bulk', columns: EVENTS_COLUMNS, kinds: true },
  },
];

export const workloadById = (id) => WORKLOADS.find((w) => w.id === id);
