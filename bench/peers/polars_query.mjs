#!/usr/bin/env node
// Polars' side of the benchmark suite (bench/run): runs one workload Q1..Q7 as a lazy query over
// pl.scanParquet of the generated dataset (Q7: pl.scanCSV of its CSV copy), executed by the
// streaming engine (collectSync({engine: 'streaming'})) on Polars' default thread pool (all
// cores), and writes the answer to OUT: CSV for Q1..Q4 (collected, then writeCSV), zstd Parquet
// for Q5..Q7 (the streaming sinkParquet, which does nothing until collected). bench/run times this whole process and compares the answer with the
// other engines'. The workloads are described in bench/peers/lib/workloads.mjs.
//
// usage: node bench/peers/polars_query.mjs WORKLOAD DATA_DIR OUT
//        node bench/peers/polars_query.mjs --noop    (load Polars and exit: the startup baseline)
import pl from 'nodejs-polars';

const STREAMING = { engine: 'streaming' };

// A datetime[us] literal for midnight of an ISO date, of the column's type. (nodejs-polars makes a
// JavaScript Date a datetime[ms] literal, and its strptime only parses to milliseconds.)
const timestamp = (iso) => pl.lit(new Date(`${iso}T00:00:00Z`)).cast(pl.Datetime('us'));

function lazyQuery(workload, dir) {
  const events = () => pl.scanParquet(`${dir}/events/*.parquet`);
  const users = () => pl.scanParquet(`${dir}/users.parquet`);
  switch (workload) {
    case 'Q1':
      return events()
        .filter(pl.col('timestamp').gt(timestamp('2023-01-01')))
        .withColumns(pl.col('revenue').mul(0.8).alias('net_revenue'), pl.col('user_id').cast(pl.Utf8))
        .groupBy('category')
        .agg(pl.col('net_revenue').sum());
    case 'Q2':
      return events()
        .groupBy('user_id')
        .agg(pl.len().alias('n'), pl.col('revenue').sum().alias('revenue_sum'),
             pl.col('quantity').mean().alias('quantity_mean'), pl.col('timestamp').max().alias('timestamp_max'));
    case 'Q3':
      return events()
        .join(users(), { on: 'user_id', how: 'inner' })
        .groupBy(['country', 'tier'])
        .agg(pl.col('revenue').sum().alias('revenue_sum'), pl.col('user_id').nUnique().alias('users'));
    case 'Q4':
      return events().sort(['revenue', 'timestamp'], [true, false]).head(100);
    case 'Q5':
      return events()
        .filter(pl.col('timestamp').gtEq(timestamp('2024-01-01')))
        .withColumns(pl.col('timestamp').dt.truncate('1mo').alias('month'),
                     pl.col('region').str.toUpperCase().alias('region_upper'),
                     pl.col('revenue').mul(0.8).alias('net_revenue'));
    case 'Q6':
      return events();
    case 'Q7':
      // parseDates: infer the timestamp column's type as sluice and DuckDB do (without it Polars
      // keeps the text, which is less work and a different output).
      return pl.scanCSV(`${dir}/events.csv`, { parseDates: true });
    default:
      throw new Error(`unknown workload ${workload}: use Q1..Q7`);
  }
}

function run(workload, dir, out) {
  const query = lazyQuery(workload, dir);
  if (workload === 'Q5' || workload === 'Q6' || workload === 'Q7') {
    query.sinkParquet(out, { compression: 'zstd' }).collectSync(STREAMING);
    console.log(`polars ${workload}: sunk -> ${out}`);
    return;
  }
  const frame = query.collectSync(STREAMING);
  frame.writeCSV(out);
  console.log(`polars ${workload}: ${frame.height} rows -> ${out}`);
}

const args = process.argv.slice(2);
if (args[0] === '--noop') process.exit(0);
if (args.length !== 3) {
  console.error('usage: polars_query.mjs WORKLOAD DATA_DIR OUT | --noop');
  process.exit(2);
}
run(...args);
