#!/usr/bin/env node
// Polars' side of the convert benchmark: rewrites one Parquet file as zstd Parquet with the lazy
// scan and the streaming sink, pl.scanParquet(IN).sinkParquet(OUT, {compression: 'zstd'}),
// run by the streaming engine on Polars' default thread pool (all cores). run_convert times this
// whole process.
//
// usage: node bench/peers/polars_convert.mjs IN OUT
//        node bench/peers/polars_convert.mjs --noop    (load Polars and exit: the startup baseline)
import pl from 'nodejs-polars';

function convert(input, output) {
  pl.scanParquet(input)
    .sinkParquet(output, { compression: 'zstd' })
    .collectSync({ engine: 'streaming' });
}

const args = process.argv.slice(2);
if (args[0] === '--noop') process.exit(0);
if (args.length !== 2) {
  console.error('usage: polars_convert.mjs IN OUT | --noop');
  process.exit(2);
}
convert(args[0], args[1]);
