// Minimal Thrift compact-protocol reader for Parquet metadata, used by the end-to-end tests to
// look at what a writer produced (page types, dictionary pages) and to build targeted corrupt
// files (lying list counts, string lengths, page sizes). Independent of sluice's own reader on
// purpose: a test that shared the code under test would prove nothing.
//
// parseStruct(buf, pos, trace) -> { value, end }
//   value: Map fieldId -> field value; field values are
//     bigint (i8/i16/i32/i64), boolean, number (double), {bin: [start, end]} (binary/string),
//     Array (list/set), Map (struct), or {map: [...pairs]}.
//   trace (optional array) receives {kind, pos, ...} records with absolute offsets:
//     {kind:'field', pos, id, type, path}       the field header byte
//     {kind:'list',  pos, hdrLen, size, elemType, path}  a list/set header
//     {kind:'binary', pos, lenLen, len, path}   a binary/string length prefix
//     {kind:'int', pos, end, type, value, path} an integer value (varint)
// Throws Error on malformed input (never loops forever: every step consumes >= 1 byte).

export const T = {
  STOP: 0, TRUE: 1, FALSE: 2, BYTE: 3, I16: 4, I32: 5, I64: 6, DOUBLE: 7,
  BINARY: 8, LIST: 9, SET: 10, MAP: 11, STRUCT: 12,
};

export const PageType = { DATA_PAGE: 0, INDEX_PAGE: 1, DICTIONARY_PAGE: 2, DATA_PAGE_V2: 3 };

function need(buf, pos, n) {
  if (pos < 0 || pos + n > buf.length) throw new Error(`thrift: read past end at ${pos}`);
}

export function readVarint(buf, pos) {
  let result = 0n;
  let shift = 0n;
  const start = pos;
  for (;;) {
    need(buf, pos, 1);
    const b = buf[pos++];
    result |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) break;
    shift += 7n;
    if (shift > 70n) throw new Error(`thrift: varint too long at ${start}`);
  }
  return { value: result, end: pos };
}

const unzigzag = (v) => (v >> 1n) ^ -(v & 1n);

export function encodeVarint(value) {
  let v = BigInt(value);
  const out = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) b |= 0x80;
    out.push(b);
  } while (v !== 0n);
  return Buffer.from(out);
}

function readValue(buf, pos, type, trace, path, depth) {
  if (depth > 64) throw new Error('thrift: nesting too deep');
  switch (type) {
    case T.TRUE: return { value: true, end: pos };
    case T.FALSE: return { value: false, end: pos };
    case T.BYTE: {
      need(buf, pos, 1);
      const v = BigInt((buf[pos] << 24) >> 24);
      trace?.push({ kind: 'int', pos, end: pos + 1, type, value: v, path });
      return { value: v, end: pos + 1 };
    }
    case T.I16: case T.I32: case T.I64: {
      const r = readVarint(buf, pos);
      const v = unzigzag(r.value);
      trace?.push({ kind: 'int', pos, end: r.end, type, value: v, path });
      return { value: v, end: r.end };
    }
    case T.DOUBLE: need(buf, pos, 8); return { value: buf.readDoubleLE(pos), end: pos + 8 };
    case T.BINARY: {
      const r = readVarint(buf, pos);
      const len = Number(r.value);
      trace?.push({ kind: 'binary', pos, lenLen: r.end - pos, len, path });
      need(buf, r.end, len);
      return { value: { bin: [r.end, r.end + len] }, end: r.end + len };
    }
    case T.LIST: case T.SET: {
      need(buf, pos, 1);
      const h = buf[pos];
      let size = h >> 4;
      const elemType = h & 0x0f;
      let p = pos + 1;
      if (size === 15) {
        const r = readVarint(buf, p);
        size = Number(r.value);
        p = r.end;
      }
      trace?.push({ kind: 'list', pos, hdrLen: p - pos, size, elemType, path });
      if (size > buf.length - p) throw new Error(`thrift: list of ${size} at ${pos} exceeds input`);
      const items = [];
      for (let i = 0; i < size; i++) {
        let r;
        if (elemType === T.TRUE || elemType === T.FALSE) {
          need(buf, p, 1);
          r = { value: buf[p] === 1, end: p + 1 };
        } else {
          r = readValue(buf, p, elemType, trace, `${path}[${i}]`, depth + 1);
        }
        items.push(r.value);
        p = r.end;
      }
      return { value: items, end: p };
    }
    case T.MAP: {
      const r = readVarint(buf, pos);
      const size = Number(r.value);
      let p = r.end;
      const pairs = [];
      if (size > 0) {
        need(buf, p, 1);
        const kt = buf[p] >> 4, vt = buf[p] & 0x0f;
        p++;
        for (let i = 0; i < size; i++) {
          const k = readValue(buf, p, kt, trace, `${path}{k}`, depth + 1);
          const v = readValue(buf, k.end, vt, trace, `${path}{v}`, depth + 1);
          pairs.push([k.value, v.value]);
          p = v.end;
        }
      }
      return { value: { map: pairs }, end: p };
    }
    case T.STRUCT: return parseStructAt(buf, pos, trace, path, depth + 1);
    default: throw new Error(`thrift: unknown type ${type} at ${pos}`);
  }
}

function parseStructAt(buf, pos, trace, path, depth) {
  const fields = new Map();
  let lastId = 0;
  let p = pos;
  for (;;) {
    need(buf, p, 1);
    const h = buf[p];
    const hpos = p;
    p++;
    if (h === T.STOP) break;
    const type = h & 0x0f;
    const delta = h >> 4;
    let id;
    if (delta !== 0) {
      id = lastId + delta;
    } else {
      const r = readVarint(buf, p);
      id = Number(unzigzag(r.value));
      p = r.end;
    }
    lastId = id;
    const fpath = path ? `${path}.${id}` : `${id}`;
    trace?.push({ kind: 'field', pos: hpos, id, type, path: fpath });
    const r = readValue(buf, p, type, trace, fpath, depth);
    fields.set(id, r.value);
    p = r.end;
  }
  return { value: fields, end: p };
}

export function parseStruct(buf, pos = 0, trace = undefined) {
  return parseStructAt(buf, pos, trace, '', 0);
}

// Footer of a Parquet file: { metaStart, metaLen, meta (Map) }.
export function readFooter(buf, trace = undefined) {
  if (buf.length < 12) throw new Error('file too small');
  if (buf.toString('latin1', 0, 4) !== 'PAR1' || buf.toString('latin1', buf.length - 4) !== 'PAR1') {
    throw new Error('missing PAR1 magic');
  }
  const metaLen = buf.readUInt32LE(buf.length - 8);
  const metaStart = buf.length - 8 - metaLen;
  if (metaStart < 4) throw new Error('footer length out of range');
  const meta = parseStruct(buf, metaStart, trace).value;
  return { metaStart, metaLen, meta };
}

// Page headers of one column chunk, walking from its first page to start+totalCompressedSize.
export function readPageHeaders(buf, start, totalCompressedSize, maxPages = 100000) {
  const pages = [];
  let pos = start;
  const end = start + totalCompressedSize;
  while (pos < end) {
    if (pages.length >= maxPages) throw new Error('too many pages');
    const { value: h, end: hend } = parseStruct(buf, pos);
    const type = Number(h.get(1));
    const uncompressed = Number(h.get(2));
    const compressed = Number(h.get(3));
    const dp = h.get(5), dict = h.get(7), dp2 = h.get(8);
    const numValues = dp ? Number(dp.get(1)) : dp2 ? Number(dp2.get(1)) : dict ? Number(dict.get(1)) : 0;
    pages.push({ pos, headerLen: hend - pos, type, uncompressed, compressed, numValues });
    if (!(compressed >= 0)) throw new Error(`bad page size at ${pos}`);
    pos = hend + compressed;
  }
  if (pos !== end) throw new Error(`pages overrun the column chunk (${pos} != ${end})`);
  return pages;
}

// Column chunks of a file's footer: [{rowGroup, column, path, codec, dictOffset, dataOffset, totalCompressed}]
export function columnChunks(meta) {
  const out = [];
  const rgs = meta.get(4) ?? [];
  rgs.forEach((rg, ri) => {
    (rg.get(1) ?? []).forEach((cc, ci) => {
      const md = cc.get(3);
      if (!md) return;
      out.push({
        rowGroup: ri,
        column: ci,
        codec: Number(md.get(4)),
        numValues: Number(md.get(5)),
        totalCompressed: Number(md.get(7)),
        dataOffset: Number(md.get(9)),
        dictOffset: md.has(11) ? Number(md.get(11)) : null,
      });
    });
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Typed tree, for rewriting metadata: parseTyped keeps every field's wire type so that
// writeTyped can serialize the (possibly edited) tree back.
//   struct: { fields: [{ id, type, value }] }     list: { elemType, items: [...] }
//   ints: bigint   bool: boolean   double: number   binary: Buffer

function readTypedValue(buf, pos, type, depth) {
  if (depth > 64) throw new Error('thrift: nesting too deep');
  switch (type) {
    case T.TRUE: return { value: true, end: pos };
    case T.FALSE: return { value: false, end: pos };
    case T.BYTE: need(buf, pos, 1); return { value: BigInt((buf[pos] << 24) >> 24), end: pos + 1 };
    case T.I16: case T.I32: case T.I64: { const r = readVarint(buf, pos); return { value: unzigzag(r.value), end: r.end }; }
    case T.DOUBLE: need(buf, pos, 8); return { value: buf.readDoubleLE(pos), end: pos + 8 };
    case T.BINARY: {
      const r = readVarint(buf, pos);
      const len = Number(r.value);
      need(buf, r.end, len);
      return { value: Buffer.from(buf.subarray(r.end, r.end + len)), end: r.end + len };
    }
    case T.LIST: case T.SET: {
      need(buf, pos, 1);
      let size = buf[pos] >> 4;
      const elemType = buf[pos] & 0x0f;
      let p = pos + 1;
      if (size === 15) { const r = readVarint(buf, p); size = Number(r.value); p = r.end; }
      if (size > buf.length - p) throw new Error(`thrift: list of ${size} at ${pos} exceeds input`);
      const items = [];
      for (let i = 0; i < size; i++) {
        let r;
        if (elemType === T.TRUE || elemType === T.FALSE) { need(buf, p, 1); r = { value: buf[p] === 1, end: p + 1 }; }
        else r = readTypedValue(buf, p, elemType, depth + 1);
        items.push(r.value);
        p = r.end;
      }
      return { value: { elemType, items }, end: p };
    }
    case T.STRUCT: return parseTypedAt(buf, pos, depth + 1);
    default: throw new Error(`thrift: type ${type} not supported by the typed reader (at ${pos})`);
  }
}

function parseTypedAt(buf, pos, depth) {
  const fields = [];
  let lastId = 0;
  let p = pos;
  for (;;) {
    need(buf, p, 1);
    const h = buf[p++];
    if (h === T.STOP) break;
    const type = h & 0x0f;
    let id;
    if (h >> 4) id = lastId + (h >> 4);
    else { const r = readVarint(buf, p); id = Number(unzigzag(r.value)); p = r.end; }
    lastId = id;
    const r = readTypedValue(buf, p, type, depth);
    fields.push({ id, type: type === T.FALSE ? T.TRUE : type, value: r.value });
    p = r.end;
  }
  return { value: { fields }, end: p };
}

export function parseTyped(buf, pos = 0) {
  return parseTypedAt(buf, pos, 0);
}

const zigzag = (v) => { const n = BigInt(v); return n >= 0n ? n << 1n : ((-n) << 1n) - 1n; };

function writeTypedValue(out, type, value) {
  switch (type) {
    case T.BYTE: out.push(Buffer.from([Number(BigInt.asUintN(8, BigInt(value)))])); break;
    case T.I16: case T.I32: case T.I64: out.push(encodeVarint(zigzag(value))); break;
    case T.DOUBLE: { const b = Buffer.alloc(8); b.writeDoubleLE(value); out.push(b); break; }
    case T.BINARY: out.push(encodeVarint(value.length), Buffer.from(value)); break;
    case T.LIST: case T.SET: {
      const n = value.items.length;
      if (n < 15) out.push(Buffer.from([(n << 4) | value.elemType]));
      else out.push(Buffer.from([0xf0 | value.elemType]), encodeVarint(n));
      for (const item of value.items) {
        if (value.elemType === T.TRUE || value.elemType === T.FALSE) out.push(Buffer.from([item ? 1 : 2]));
        else writeTypedValue(out, value.elemType, item);
      }
      break;
    }
    case T.STRUCT: writeTypedStruct(out, value); break;
    default: throw new Error(`thrift: cannot write type ${type}`);
  }
}

function writeTypedStruct(out, struct) {
  let lastId = 0;
  for (const f of [...struct.fields].sort((a, b) => a.id - b.id)) {
    let type = f.type;
    if (type === T.TRUE || type === T.FALSE) type = f.value ? T.TRUE : T.FALSE;
    const delta = f.id - lastId;
    if (delta > 0 && delta <= 15) out.push(Buffer.from([(delta << 4) | type]));
    else out.push(Buffer.from([type]), encodeVarint(zigzag(f.id)));
    lastId = f.id;
    if (type !== T.TRUE && type !== T.FALSE) writeTypedValue(out, type, f.value);
  }
  out.push(Buffer.from([T.STOP]));
}

export function writeTyped(struct) {
  const out = [];
  writeTypedStruct(out, struct);
  return Buffer.concat(out);
}

// helpers for typed structs
export const tget = (s, id) => s.fields.find((f) => f.id === id)?.value;
export function tset(s, id, type, value) {
  const f = s.fields.find((x) => x.id === id);
  if (f) { f.type = type; f.value = value; } else s.fields.push({ id, type, value });
}
export function tdel(s, ...ids) {
  s.fields = s.fields.filter((f) => !ids.includes(f.id));
}
