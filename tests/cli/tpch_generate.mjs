// End-to-end tests of `sluice generate --tpch`: cardinalities, key spaces and the invariants of
// the TPC-H specification (clause 4.2.3) checked with DuckDB on scale factor 0.01, the same bytes
// at 1 and 4 threads and for the same seed, the column names and types of the dbgen files in
// ../shared/tpch/sf0.1, and non-empty answers to all 22 queries at scale factor 0.1.
// Usage: node tpch_generate.mjs SLUICE_BIN WORK_DIR
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { check, finish } from '../lib/check.mjs';

const [sluice, work] = process.argv.slice(2);
if (!sluice || !fs.existsSync(sluice)) {
  console.error(`usage: node tpch_generate.mjs SLUICE_BIN WORK_DIR (no program at '${sluice}')`);
  process.exit(1);
}
fs.rmSync(work, { recursive: true, force: true });
fs.mkdirSync(work, { recursive: true });
const queryDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'sql', 'tpch');
const TABLES = ['region', 'nation', 'supplier', 'customer', 'part', 'partsupp', 'orders', 'lineitem'];

function run(...args) {
  const result = spawnSync(sluice, args, { encoding: 'utf8', timeout: 300000 });
  return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}
const same = (a, b) => Buffer.compare(fs.readFileSync(a), fs.readFileSync(b)) === 0;

async function connect(dir) {
  const con = await (await DuckDBInstance.create(':memory:')).connect();
  for (const table of TABLES) {
    await con.run(`CREATE VIEW ${table} AS SELECT * FROM read_parquet('${dir}/${table}.parquet')`);
  }
  return con;
}
async function value(con, sql) {
  const rows = (await con.runAndReadAll(sql)).getRowsJson();
  return rows[0][0];
}
async function zero(con, name, sql) {
  const count = Number(await value(con, `SELECT count(*) FROM (${sql})`));
  check(name, count === 0, `${count} rows break it: ${sql}`);
}

// Usage errors.
{
  const noTpch = run('generate', path.join(work, 'x'), '--scale-factor', '1');
  check('--scale-factor without --tpch exits 2', noTpch.status === 2, noTpch.stderr);
  const bad = run('generate', '--tpch', '--scale-factor', '5000', path.join(work, 'x'), '--quiet');
  check('a scale factor too large for int32 keys exits 2 naming the range',
        bad.status === 2 && bad.stderr.includes('(0, 300]'), bad.stderr);
}

// Determinism: same seed, same bytes, whatever the thread count; another seed, other bytes.
const a = path.join(work, 'sf001-a'), b = path.join(work, 'sf001-b'), c = path.join(work, 'sf001-c');
{
  const first = run('--threads', '1', 'generate', '--tpch', '--scale-factor', '0.01', a, '--quiet');
  const second = run('--threads', '4', 'generate', '--tpch', '--scale-factor', '0.01', b, '--quiet');
  const third = run('generate', '--tpch', '--scale-factor', '0.01', '--seed', '7', c, '--quiet');
  check('generate --tpch succeeds', first.status === 0 && second.status === 0 && third.status === 0,
        first.stderr + second.stderr + third.stderr);
  check('generate --tpch writes all eight tables',
        TABLES.every((t) => fs.existsSync(path.join(a, `${t}.parquet`))));
  check('generate --tpch writes the same bytes with 1 and 4 threads',
        TABLES.every((t) => same(path.join(a, `${t}.parquet`), path.join(b, `${t}.parquet`))));
  check('another seed gives other data',
        !same(path.join(a, 'lineitem.parquet'), path.join(c, 'lineitem.parquet')));
}

// The columns and types of the dbgen files the SQL tests use.
const reference = process.env.SLUICE_TPCH_DIR;
if (reference && fs.existsSync(path.join(reference, 'lineitem.parquet'))) {
  const strip = (out) => out.split('\n').filter((line) => !line.includes('.parquet')).join('\n');
  const mismatched = TABLES.filter((t) => {
    const ours = run('schema', path.join(a, `${t}.parquet`));
    const theirs = run('schema', path.join(reference, `${t}.parquet`));
    return ours.status !== 0 || strip(ours.stdout) !== strip(theirs.stdout);
  });
  check('column names and types match the dbgen files', mismatched.length === 0, mismatched.join(' '));
}

// Cardinalities, key spaces and the generation rules at scale factor 0.01.
{
  const con = await connect(a);
  const counts = {};
  for (const t of TABLES) counts[t] = Number(await value(con, `SELECT count(*) FROM ${t}`));
  const expected = { region: 5, nation: 25, supplier: 100, customer: 1500, part: 2000, partsupp: 8000, orders: 15000 };
  check('row counts are SF * the base cardinalities',
        Object.entries(expected).every(([t, n]) => counts[t] === n), JSON.stringify(counts));
  check('lineitem has about 4 lines per order',
        counts.lineitem > 3.8 * counts.orders && counts.lineitem < 4.2 * counts.orders, String(counts.lineitem));

  await zero(con, 'keys are 1..N and unique',
    `SELECT 1 FROM (SELECT count(*) n, count(DISTINCT p_partkey) d, min(p_partkey) lo, max(p_partkey) hi FROM part) WHERE n <> d OR lo <> 1 OR hi <> 2000
     UNION ALL SELECT 1 FROM (SELECT count(DISTINCT s_suppkey) d, min(s_suppkey) lo, max(s_suppkey) hi FROM supplier) WHERE d <> 100 OR lo <> 1 OR hi <> 100
     UNION ALL SELECT 1 FROM (SELECT count(DISTINCT c_custkey) d, min(c_custkey) lo, max(c_custkey) hi FROM customer) WHERE d <> 1500 OR lo <> 1 OR hi <> 1500`);
  await zero(con, 'order keys are sparse: the first 8 of every 32, up to 60000',
    `SELECT 1 FROM (SELECT count(DISTINCT o_orderkey) d, max(o_orderkey) hi, sum((o_orderkey % 32 >= 8)::int) bad FROM orders)
     WHERE d <> 15000 OR hi <> 60000 OR bad <> 0`);
  await zero(con, 'partsupp pairs are unique and each part has 4 suppliers',
    `SELECT ps_partkey FROM partsupp GROUP BY ps_partkey HAVING count(DISTINCT ps_suppkey) <> 4`);
  await zero(con, 'every lineitem (part, supplier) is a partsupp row',
    `SELECT 1 FROM lineitem ANTI JOIN partsupp ON l_partkey = ps_partkey AND l_suppkey = ps_suppkey`);
  await zero(con, 'line numbers run 1..n with 1 <= n <= 7 per order, every order has lines',
    `SELECT o_orderkey FROM orders LEFT JOIN (SELECT l_orderkey, count(*) n, min(l_linenumber) lo, max(l_linenumber) hi
       FROM lineitem GROUP BY l_orderkey) ON o_orderkey = l_orderkey
     WHERE n IS NULL OR lo <> 1 OR hi <> n OR n > 7`);
  await zero(con, 'o_custkey is a customer and never a multiple of 3',
    `SELECT 1 FROM orders WHERE o_custkey % 3 = 0 OR o_custkey NOT BETWEEN 1 AND 1500`);
  await zero(con, 'p_retailprice follows the spec formula',
    `SELECT 1 FROM part WHERE p_retailprice * 100 <> 90000 + ((p_partkey // 10) % 20001) + 100 * (p_partkey % 1000)`);
  await zero(con, 'l_extendedprice = l_quantity * p_retailprice',
    `SELECT 1 FROM lineitem JOIN part ON l_partkey = p_partkey WHERE l_extendedprice <> l_quantity * p_retailprice`);
  await zero(con, 'quantities, discounts and taxes are in range',
    `SELECT 1 FROM lineitem WHERE l_quantity NOT BETWEEN 1 AND 50 OR l_discount NOT BETWEEN 0 AND 0.10 OR l_tax NOT BETWEEN 0 AND 0.08`);
  await zero(con, 'dates: order in 1992-01-01..1998-08-02, ship +1..121, commit +30..90, receipt = ship + 1..30',
    `SELECT 1 FROM lineitem JOIN orders ON l_orderkey = o_orderkey
     WHERE o_orderdate NOT BETWEEN DATE '1992-01-01' AND DATE '1998-08-02'
        OR l_shipdate - o_orderdate NOT BETWEEN 1 AND 121
        OR l_commitdate - o_orderdate NOT BETWEEN 30 AND 90
        OR l_receiptdate - l_shipdate NOT BETWEEN 1 AND 30`);
  await zero(con, 'l_returnflag and l_linestatus follow 1995-06-17',
    `SELECT 1 FROM lineitem
     WHERE (l_receiptdate <= DATE '1995-06-17') <> (l_returnflag IN ('R', 'A'))
        OR (l_returnflag NOT IN ('R', 'A', 'N'))
        OR (l_shipdate > DATE '1995-06-17') <> (l_linestatus = 'O')`);
  // dbgen truncates each line's price to cents twice (after the discount, after the tax).
  await zero(con, 'o_orderstatus is F, O or P from its lines, o_totalprice is the sum of its lines',
    `SELECT 1 FROM orders JOIN (SELECT l_orderkey, count(*) n, sum((l_linestatus = 'O')::int) open,
                                      sum(l_extendedprice * (1 - l_discount) * (1 + l_tax)) total
                               FROM lineitem GROUP BY l_orderkey) ON o_orderkey = l_orderkey
     WHERE o_orderstatus <> CASE WHEN open = 0 THEN 'F' WHEN open = n THEN 'O' ELSE 'P' END
        OR o_totalprice > total OR total - o_totalprice > 0.02 * n`);
  const statuses = (await (await con.runAndReadAll(`SELECT DISTINCT o_orderstatus FROM orders ORDER BY 1`)).getRowsJson()).flat();
  check('orders of all three statuses occur', statuses.join('') === 'FOP', statuses.join(','));
  await zero(con, 'phones start with the nation key + 10',
    `SELECT 1 FROM customer WHERE left(c_phone, 2)::int <> c_nationkey + 10 OR NOT regexp_full_match(c_phone, '\\d\\d-\\d{3}-\\d{3}-\\d{4}')
     UNION ALL SELECT 1 FROM supplier WHERE left(s_phone, 2)::int <> s_nationkey + 10`);
  await zero(con, 'names, brands, types, containers and segments follow the spec',
    `SELECT 1 FROM part WHERE NOT regexp_full_match(p_brand, 'Brand#[1-5][1-5]') OR right(p_mfgr, 1) <> substr(p_brand, 7, 1)
        OR len(string_split(p_name, ' ')) <> 5 OR len(list_distinct(string_split(p_name, ' '))) <> 5
        OR p_size NOT BETWEEN 1 AND 50 OR NOT regexp_full_match(p_type, '(STANDARD|SMALL|MEDIUM|LARGE|ECONOMY|PROMO) (ANODIZED|BURNISHED|PLATED|POLISHED|BRUSHED) (TIN|NICKEL|BRASS|STEEL|COPPER)')
        OR NOT regexp_full_match(p_container, '(SM|LG|MED|JUMBO|WRAP) (CASE|BOX|BAG|JAR|PACK|PKG|CAN|DRUM)')
     UNION ALL SELECT 1 FROM customer WHERE c_mktsegment NOT IN ('AUTOMOBILE', 'BUILDING', 'FURNITURE', 'HOUSEHOLD', 'MACHINERY')
        OR c_name <> 'Customer#' || lpad(c_custkey::varchar, 9, '0') OR c_acctbal NOT BETWEEN -999.99 AND 9999.99
     UNION ALL SELECT 1 FROM orders WHERE NOT regexp_full_match(o_clerk, 'Clerk#0000[0-9]{5}') OR o_shippriority <> 0
        OR o_orderpriority NOT IN ('1-URGENT', '2-HIGH', '3-MEDIUM', '4-NOT SPECIFIED', '5-LOW')`);
  await zero(con, 'comment lengths are in the spec ranges',
    `SELECT 1 FROM lineitem WHERE length(l_comment) NOT BETWEEN 10 AND 43
     UNION ALL SELECT 1 FROM orders WHERE length(o_comment) NOT BETWEEN 19 AND 78
     UNION ALL SELECT 1 FROM customer WHERE length(c_comment) NOT BETWEEN 29 AND 116
     UNION ALL SELECT 1 FROM partsupp WHERE length(ps_comment) NOT BETWEEN 49 AND 198`);
  const complaints = Number(await value(con, `SELECT count(*) FROM supplier WHERE s_comment LIKE '%Customer%Complaints%'`));
  const recommends = Number(await value(con, `SELECT count(*) FROM supplier WHERE s_comment LIKE '%Customer%Recommends%'`));
  check('one supplier complains and one recommends (SF * 5, at least 1)', complaints === 1 && recommends === 1,
        `${complaints} ${recommends}`);
  const special = Number(await value(con, `SELECT avg((o_comment LIKE '%special%requests%')::int) FROM orders`));
  check('about 1% of order comments match %special%requests% (Q13)', special > 0.005 && special < 0.02, String(special));
  const noOrders = Number(await value(con, `SELECT count(*) FROM customer ANTI JOIN orders ON c_custkey = o_custkey`));
  check('a third of the customers have no orders', noOrders === 500, String(noOrders));
}

// Several chunks and row groups at scale factor 0.1; all 22 queries answer with rows.
{
  const dir = path.join(work, 'sf01'), again = path.join(work, 'sf01-again');
  const made = run('--threads', '1', 'generate', '--tpch', '--scale-factor', '0.1', dir, '--quiet');
  const remade = run('--threads', '3', 'generate', '--tpch', '--scale-factor', '0.1', again, '--quiet');
  check('generate --tpch --scale-factor 0.1 succeeds', made.status === 0 && remade.status === 0, made.stderr + remade.stderr);
  // Ten chunks of orders and five row groups of lineitem: waves of 2 and of 6 chunks.
  check('SF 0.1 is the same bytes with 1 and 3 threads',
        TABLES.every((t) => same(path.join(dir, `${t}.parquet`), path.join(again, `${t}.parquet`))));
  const con = await connect(dir);
  const empty = [];
  for (let q = 1; q <= 22; q++) {
    const sql = fs.readFileSync(path.join(queryDir, `q${String(q).padStart(2, '0')}.sql`), 'utf8');
    const rows = (await con.runAndReadAll(sql)).getRowsJson();
    if (rows.length === 0) empty.push(`Q${q}`);
  }
  check('all 22 TPC-H queries return rows on SF 0.1 data', empty.length === 0, empty.join(' '));
}

finish();
