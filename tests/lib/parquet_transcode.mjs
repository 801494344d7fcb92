// Rewrites the pages of an UNCOMPRESSED, flat Parquet file (as DuckDB writes it) into another
// codec and page version, keeping every value. It exists because neither DuckDB nor Polars writes
// DATA_PAGE_V2 headers or the legacy Hadoop-framed LZ4 codec, and sluice must read both.
//
// The encoders are deliberately trivial but valid: gzip and brotli come from node:zlib; zstd uses
// raw (stored) blocks, snappy and LZ4 a single literal run. Readers decode them with the same code
// paths as for any other compressed data. Bloom filters and page indexes of the source are dropped.
//
//   transcodeToV2(srcBuffer, { codec, pageVersion, zlib }) -> Buffer
//     codec: uncompressed | gzip | brotli | zstd | snappy | lz4_raw | lz4 (Hadoop framing)
//     pageVersion: 1 | 2

import { parseTyped, writeTyped, readVarint, encodeVarint, T, tget, tset, tdel } from './parquet_thrift.mjs';

export const Codec = { UNCOMPRESSED: 0, SNAPPY: 1, GZIP: 2, LZO: 3, BROTLI: 4, LZ4: 5, ZSTD: 6, LZ4_RAW: 7 };

function zstdRaw(data) {
  const parts = [Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0xa0])]; // magic; single segment, 4-byte content size
  const size = Buffer.alloc(4);
  size.writeUInt32LE(data.length);
  parts.push(size);
  const MAX = 128 * 1024;
  let pos = 0;
  do {
    const n = Math.min(MAX, data.length - pos);
    const last = pos + n >= data.length ? 1 : 0;
    const hdr = (n << 3) | (0 << 1) | last; // Raw_Block
    parts.push(Buffer.from([hdr & 0xff, (hdr >> 8) & 0xff, (hdr >> 16) & 0xff]), data.subarray(pos, pos + n));
    pos += n;
  } while (pos < data.length);
  return Buffer.concat(parts);
}

function snappyLiteral(data) {
  const parts = [encodeVarint(data.length)];
  for (let pos = 0; pos < data.length; pos += 65536) {
    const chunk = data.subarray(pos, Math.min(pos + 65536, data.length));
    const n = chunk.length - 1;
    if (n < 60) parts.push(Buffer.from([n << 2]));
    else if (n < 256) parts.push(Buffer.from([60 << 2, n]));
    else parts.push(Buffer.from([61 << 2, n & 0xff, n >> 8]));
    parts.push(chunk);
  }
  return Buffer.concat(parts);
}

function lz4Literal(data) {
  const n = data.length;
  const parts = [Buffer.from([Math.min(n, 15) << 4])];
  if (n >= 15) {
    let rest = n - 15;
    const ext = [];
    while (rest >= 255) { ext.push(255); rest -= 255; }
    ext.push(rest);
    parts.push(Buffer.from(ext));
  }
  parts.push(data);
  return Buffer.concat(parts);
}

function lz4Hadoop(data) {
  const block = lz4Literal(data);
  const hdr = Buffer.alloc(8);
  hdr.writeUInt32BE(data.length, 0);
  hdr.writeUInt32BE(block.length, 4);
  return Buffer.concat([hdr, block]);
}

function compressor(codec, zlib) {
  switch (codec) {
    case 'uncompressed': return [Codec.UNCOMPRESSED, (d) => d];
    case 'gzip': return [Codec.GZIP, (d) => zlib.gzipSync(d)];
    case 'brotli': return [Codec.BROTLI, (d) => zlib.brotliCompressSync(d, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } })];
    case 'zstd': return [Codec.ZSTD, zstdRaw];
    case 'snappy': return [Codec.SNAPPY, snappyLiteral];
    case 'lz4_raw': return [Codec.LZ4_RAW, lz4Literal];
    case 'lz4': return [Codec.LZ4, lz4Hadoop];
    default: throw new Error(`unknown codec ${codec}`);
  }
}

// number of zero levels among the first `count` values of an RLE/bit-packed hybrid run (bit width 1)
function countNulls(buf, count) {
  let pos = 0, seen = 0, nulls = 0;
  while (seen < count) {
    const r = readVarint(buf, pos);
    const header = Number(r.value);
    pos = r.end;
    if (header & 1) {
      const groups = header >> 1;
      for (let g = 0; g < groups; g++) {
        const byte = buf[pos++];
        for (let b = 0; b < 8 && seen < count; b++, seen++) if (((byte >> b) & 1) === 0) nulls++;
      }
    } else {
      const run = header >> 1;
      const v = buf[pos++];
      const take = Math.min(run, count - seen);
      if (v === 0) nulls += take;
      seen += take;
    }
  }
  return nulls;
}

export function transcodeToV2(src, { codec, pageVersion = 2, zlib }) {
  const [codecId, compress] = compressor(codec, zlib);
  const metaLen = src.readUInt32LE(src.length - 8);
  const meta = parseTyped(src, src.length - 8 - metaLen).value;
  const schema = tget(meta, 2).items;
  const leaves = schema.filter((e) => tget(e, 5) === undefined); // no num_children: a leaf
  const out = [Buffer.from('PAR1')];
  let offset = 4;
  const emit = (b) => { out.push(b); offset += b.length; };

  for (const rg of tget(meta, 4).items) {
    let rgUncompressed = 0n, rgCompressed = 0n, rgStart = null;
    tget(rg, 1).items.forEach((cc, ci) => {
      const md = tget(cc, 3);
      if (Number(tget(md, 4)) !== Codec.UNCOMPRESSED) throw new Error('transcode: source must be uncompressed');
      const leaf = leaves[ci];
      const maxDef = Number(tget(leaf, 3) ?? 0n) === 1 ? 1 : 0;
      const dictOff = tget(md, 11);
      const dataOff = tget(md, 9);
      let pos = Number(dictOff !== undefined && dictOff > 0n && dictOff < dataOff ? dictOff : dataOff);
      const end = pos + Number(tget(md, 7));
      const chunkStart = offset;
      let newDictOff = null, newDataOff = null, totalUnc = 0, totalComp = 0;
      while (pos < end) {
        const { value: h, end: hend } = parseTyped(src, pos);
        const type = Number(tget(h, 1));
        const size = Number(tget(h, 3));
        const body = src.subarray(hend, hend + size);
        pos = hend + size;
        let newHeader, newBody, uncompressedSize;
        tdel(h, 4); // crc no longer matches
        if (type === 2 || (type === 0 && pageVersion === 1)) { // dictionary page, or v1 -> v1
          newBody = compress(body);
          uncompressedSize = body.length;
          tset(h, 2, T.I32, BigInt(uncompressedSize));
          tset(h, 3, T.I32, BigInt(newBody.length));
          newHeader = h;
        } else if (type === 0) { // v1 -> v2
          const dp = tget(h, 5);
          const numValues = Number(tget(dp, 1));
          let defLen = 0, nulls = 0;
          if (maxDef > 0) {
            defLen = body.readUInt32LE(0);
            nulls = countNulls(body.subarray(4, 4 + defLen), numValues);
          }
          const defBytes = maxDef > 0 ? body.subarray(4, 4 + defLen) : Buffer.alloc(0);
          const values = body.subarray(maxDef > 0 ? 4 + defLen : 0);
          const cvalues = compress(values);
          newBody = Buffer.concat([defBytes, cvalues]);
          uncompressedSize = defBytes.length + values.length;
          const v2 = { fields: [
            { id: 1, type: T.I32, value: BigInt(numValues) },
            { id: 2, type: T.I32, value: BigInt(nulls) },
            { id: 3, type: T.I32, value: BigInt(numValues) },
            { id: 4, type: T.I32, value: tget(dp, 2) },
            { id: 5, type: T.I32, value: BigInt(defBytes.length) },
            { id: 6, type: T.I32, value: 0n },
            { id: 7, type: T.TRUE, value: codecId !== Codec.UNCOMPRESSED },
          ] };
          const stats = tget(dp, 5);
          if (stats) v2.fields.push({ id: 8, type: T.STRUCT, value: stats });
          newHeader = { fields: [
            { id: 1, type: T.I32, value: 3n },
            { id: 2, type: T.I32, value: BigInt(uncompressedSize) },
            { id: 3, type: T.I32, value: BigInt(newBody.length) },
            { id: 8, type: T.STRUCT, value: v2 },
          ] };
        } else {
          throw new Error(`transcode: unexpected page type ${type}`);
        }
        const hdr = writeTyped(newHeader);
        if (type === 2) newDictOff = offset; else if (newDataOff === null) newDataOff = offset;
        emit(hdr);
        emit(newBody);
        totalUnc += hdr.length + uncompressedSize;
        totalComp += hdr.length + newBody.length;
      }
      tset(md, 4, T.I32, BigInt(codecId));
      tset(md, 6, T.I64, BigInt(totalUnc));
      tset(md, 7, T.I64, BigInt(totalComp));
      tset(md, 9, T.I64, BigInt(newDataOff));
      if (newDictOff !== null) tset(md, 11, T.I64, BigInt(newDictOff)); else tdel(md, 11);
      tdel(md, 14, 15); // bloom filter offset/length: not copied
      const encStats = tget(md, 13);
      if (encStats && pageVersion === 2) for (const es of encStats.items) if (tget(es, 1) === 0n) tset(es, 1, T.I32, 3n);
      tdel(cc, 4, 5, 6, 7); // page indexes: not copied
      if (tget(cc, 2) !== undefined && tget(cc, 2) !== 0n) tset(cc, 2, T.I64, BigInt(chunkStart));
      rgUncompressed += BigInt(totalUnc);
      rgCompressed += BigInt(totalComp);
      if (rgStart === null) rgStart = chunkStart;
    });
    tset(rg, 2, T.I64, rgUncompressed);
    if (tget(rg, 5) !== undefined) tset(rg, 5, T.I64, BigInt(rgStart));
    if (tget(rg, 6) !== undefined) tset(rg, 6, T.I64, rgCompressed);
  }
  const footer = writeTyped(meta);
  const len = Buffer.alloc(4);
  len.writeUInt32LE(footer.length);
  emit(footer);
  emit(len);
  emit(Buffer.from('PAR1'));
  return Buffer.concat(out);
}
