#!/usr/bin/env node
// Polars' side of the larger-than-memory benchmark (bench/run --spill): runs one workload of
// lib/spill_workloads.mjs (groupby, join, sort) as a lazy query over pl.scanParquet of
// DATA_DIR/lineitem.parquet and orders.parquet and streams the answer to OUT with sinkParquet
// (zstd), executed by the streaming engine on Polars' default thread pool (all cores). Polars has
// no memory limit to set; its spill files, if any, go to POLARS_TEMP_DIR / TMPDIR, which bench/run
// points at a folder it watches. bench/run times this whole process.
//
// usage: node bench/peers/polars_spill.mjs WORKLOAD DATA_DIR OUT
//        node bench/peers/polars_spill.mjs --noop    (load Polars and exit: the startup baseline)
import path from 'node:path';
import pl from 'nodejs-polars';

const STREAMING = { engine: 'streaming' };

function lazyQuery(workload, dir) {
  const lineitem = pl.scanParquet(path.join(dir, 'lineitem.parquet'));
  switch (workload) {
    case 'groupby':
      return lineitem.groupBy('l_orderkey').agg(pl.col('l_extendedprice').sum().alias('revenue'), pl.len().alias('n'));
    case 'join':
      return lineitem
        .join(pl.scanParquet(path.join(dir, 'orders.parquet')), { leftOn: 'l_orderkey', rightOn: 'o_orderkey', how: 'inner' })
        .select('l_orderkey', 'l_linenumber', 'l_extendedprice', 'o_orderdate', 'o_custkey');
    case 'sort':
      return lineitem.sort(['l_shipdate', 'l_orderkey', 'l_linenumber']);
    default:
      throw new Error(`unknown workload ${workload}: use groupby, join or sort`);
  }
}

const args = process.argv.slice(2);
if (args[0] === '--noop') process.exit(0);
if (args.length !== 3) {
  console.error('usage: polars_spill.mjs WORKLOAD DATA_DIR OUT | --noop');
  process.exit(2);
}
const [workload, dir, out] = args;
lazyQuery(workload, dir).sinkParquet(out, { compression: 'zstd' }).collectSync(STREAMING);
console.log(`polars ${workload}: sunk -> ${out}`);
