// The 22 TPC-H queries written with Polars' lazy DataFrame API, as Polars' own TPC-H benchmark
// (pola-rs/tpch, now pola-rs/polars-benchmark) writes them in Python, for bench/peers/polars_tpch.mjs.
// Each qN(tables) takes the eight tables as lazy frames (pl.scanParquet of lineitem.parquet, ...)
// and returns the answer's lazy frame: the query of tests/sql/tpch/qNN.sql with its validation
// parameters, the same output columns in the same order and with the same names, the same ORDER BY
// and LIMIT.
//
// Translation choices (each keeps the SQL's answer):
//  - The DECIMAL(15,2) columns are cast to Float64 before use (floats()): pola-rs/tpch's tables hold
//    them as Float64, and Polars' Decimal keeps a product of two DECIMAL(15,2) at scale 2, which
//    truncates money sums by more than a cent.
//  - Date arithmetic (date '1998-12-01' - interval '90' day) is done here, giving a Date literal.
//  - Q6's `between 0.06 - 0.01 and 0.06 + 0.01` is written 0.05 and 0.07 (as pola-rs/tpch does):
//    in doubles 0.06 + 0.01 is 0.06999999999999999, which would drop the rows with a discount of 0.07.
//  - EXISTS / IN subqueries are semi joins, NOT EXISTS / NOT IN (of a non-null key) anti joins,
//    correlated aggregates a group-by joined back, scalar subqueries a one-row frame cross-joined.
//  - LIKE '%x%' is str.contains (literal), '%x%y%' a regex x.*y, 'x%' startsWith, '%x' endsWith.
import pl from 'nodejs-polars';

// Columns stored as DECIMAL(15,2).
const DECIMALS = {
  lineitem: ['l_quantity', 'l_extendedprice', 'l_discount', 'l_tax'],
  orders: ['o_totalprice'],
  customer: ['c_acctbal'],
  part: ['p_retailprice'],
  partsupp: ['ps_supplycost'],
  supplier: ['s_acctbal'],
};

// The tables with their DECIMAL columns as Float64 (a no-op for tables that store doubles).
function floats(tables) {
  return Object.fromEntries(Object.entries(tables).map(([name, lf]) => {
    const columns = DECIMALS[name] ?? [];
    return [name, columns.length ? lf.withColumns(...columns.map((c) => pl.col(c).cast(pl.Float64))) : lf];
  }));
}

// A Date literal: the ISO day plus an interval.
function date(iso, { days = 0, months = 0, years = 0 } = {}) {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() + years, d.getUTCMonth() + months, d.getUTCDate() + days);
  return pl.lit(d).cast(pl.Date);
}

const col = (name) => pl.col(name);
// [lo, hi) and [lo, hi].
const inRange = (name, lo, hi) => col(name).gtEq(lo).and(col(name).lt(hi));
const between = (name, lo, hi) => col(name).gtEq(lo).and(col(name).ltEq(hi));
// l_extendedprice * (1 - l_discount)
const discounted = () => col('l_extendedprice').mul(pl.lit(1).sub(col('l_discount')));
const sortBy = (by, descending = by.map(() => false)) => ({ by, descending });

export function q1(tables) {
  const { lineitem } = floats(tables);
  return lineitem
    .filter(col('l_shipdate').ltEq(date('1998-12-01', { days: -90 })))
    .groupBy(['l_returnflag', 'l_linestatus'])
    .agg(
      col('l_quantity').sum().alias('sum_qty'),
      col('l_extendedprice').sum().alias('sum_base_price'),
      discounted().sum().alias('sum_disc_price'),
      discounted().mul(pl.lit(1).add(col('l_tax'))).sum().alias('sum_charge'),
      col('l_quantity').mean().alias('avg_qty'),
      col('l_extendedprice').mean().alias('avg_price'),
      col('l_discount').mean().alias('avg_disc'),
      pl.len().alias('count_order'),
    )
    .sort(sortBy(['l_returnflag', 'l_linestatus']));
}

export function q2(tables) {
  const { part, supplier, partsupp, nation, region } = floats(tables);
  const europe = part
    .join(partsupp, { leftOn: 'p_partkey', rightOn: 'ps_partkey' })
    .join(supplier, { leftOn: 'ps_suppkey', rightOn: 's_suppkey' })
    .join(nation, { leftOn: 's_nationkey', rightOn: 'n_nationkey' })
    .join(region, { leftOn: 'n_regionkey', rightOn: 'r_regionkey' })
    .filter(col('p_size').eq(15))
    .filter(col('p_type').str.endsWith('BRASS'))
    .filter(col('r_name').eq(pl.lit('EUROPE')));
  return europe
    .groupBy('p_partkey')
    .agg(col('ps_supplycost').min())
    .join(europe, { on: ['p_partkey', 'ps_supplycost'] })
    .select('s_acctbal', 's_name', 'n_name', 'p_partkey', 'p_mfgr', 's_address', 's_phone', 's_comment')
    .sort(sortBy(['s_acctbal', 'n_name', 's_name', 'p_partkey'], [true, false, false, false]))
    .head(100);
}

export function q3(tables) {
  const { customer, orders, lineitem } = floats(tables);
  const day = date('1995-03-15');
  return customer
    .filter(col('c_mktsegment').eq(pl.lit('BUILDING')))
    .join(orders, { leftOn: 'c_custkey', rightOn: 'o_custkey' })
    .join(lineitem, { leftOn: 'o_orderkey', rightOn: 'l_orderkey' })
    .filter(col('o_orderdate').lt(day))
    .filter(col('l_shipdate').gt(day))
    .groupBy(['o_orderkey', 'o_orderdate', 'o_shippriority'])
    .agg(discounted().sum().alias('revenue'))
    .select(col('o_orderkey').alias('l_orderkey'), 'revenue', 'o_orderdate', 'o_shippriority')
    .sort(sortBy(['revenue', 'o_orderdate'], [true, false]))
    .head(10);
}

export function q4(tables) {
  const { orders, lineitem } = floats(tables);
  return orders
    .filter(inRange('o_orderdate', date('1993-07-01'), date('1993-07-01', { months: 3 })))
    .join(lineitem.filter(col('l_commitdate').lt(col('l_receiptdate'))), { leftOn: 'o_orderkey', rightOn: 'l_orderkey', how: 'semi' })
    .groupBy('o_orderpriority')
    .agg(pl.len().alias('order_count'))
    .sort(sortBy(['o_orderpriority']));
}

export function q5(tables) {
  const { customer, orders, lineitem, supplier, nation, region } = floats(tables);
  return region
    .join(nation, { leftOn: 'r_regionkey', rightOn: 'n_regionkey' })
    .join(customer, { leftOn: 'n_nationkey', rightOn: 'c_nationkey' })
    .join(orders, { leftOn: 'c_custkey', rightOn: 'o_custkey' })
    .join(lineitem, { leftOn: 'o_orderkey', rightOn: 'l_orderkey' })
    .join(supplier, { leftOn: ['l_suppkey', 'n_nationkey'], rightOn: ['s_suppkey', 's_nationkey'] })
    .filter(col('r_name').eq(pl.lit('ASIA')))
    .filter(inRange('o_orderdate', date('1994-01-01'), date('1994-01-01', { years: 1 })))
    .groupBy('n_name')
    .agg(discounted().sum().alias('revenue'))
    .sort(sortBy(['revenue'], [true]));
}

export function q6(tables) {
  const { lineitem } = floats(tables);
  return lineitem
    .filter(inRange('l_shipdate', date('1994-01-01'), date('1994-01-01', { years: 1 })))
    .filter(between('l_discount', 0.05, 0.07))  // 0.06 ∓ 0.01, see the header
    .filter(col('l_quantity').lt(24))
    .select(col('l_extendedprice').mul(col('l_discount')).sum().alias('revenue'));
}

export function q7(tables) {
  const { supplier, lineitem, orders, customer, nation } = floats(tables);
  const pair = nation.filter(col('n_name').isIn(['FRANCE', 'GERMANY']));
  return lineitem
    .filter(between('l_shipdate', date('1995-01-01'), date('1996-12-31')))
    .join(supplier, { leftOn: 'l_suppkey', rightOn: 's_suppkey' })
    .join(pair.select('n_nationkey', col('n_name').alias('supp_nation')), { leftOn: 's_nationkey', rightOn: 'n_nationkey' })
    .join(orders, { leftOn: 'l_orderkey', rightOn: 'o_orderkey' })
    .join(customer, { leftOn: 'o_custkey', rightOn: 'c_custkey' })
    .join(pair.select('n_nationkey', col('n_name').alias('cust_nation')), { leftOn: 'c_nationkey', rightOn: 'n_nationkey' })
    .filter(col('supp_nation').eq(pl.lit('FRANCE')).and(col('cust_nation').eq(pl.lit('GERMANY')))
      .or(col('supp_nation').eq(pl.lit('GERMANY')).and(col('cust_nation').eq(pl.lit('FRANCE')))))
    .select('supp_nation', 'cust_nation', col('l_shipdate').dt.year().alias('l_year'), discounted().alias('volume'))
    .groupBy(['supp_nation', 'cust_nation', 'l_year'])
    .agg(col('volume').sum().alias('revenue'))
    .sort(sortBy(['supp_nation', 'cust_nation', 'l_year']));
}

export function q8(tables) {
  const { part, supplier, lineitem, orders, customer, nation, region } = floats(tables);
  return part
    .filter(col('p_type').eq(pl.lit('ECONOMY ANODIZED STEEL')))
    .join(lineitem, { leftOn: 'p_partkey', rightOn: 'l_partkey' })
    .join(supplier, { leftOn: 'l_suppkey', rightOn: 's_suppkey' })
    .join(orders, { leftOn: 'l_orderkey', rightOn: 'o_orderkey' })
    .join(customer, { leftOn: 'o_custkey', rightOn: 'c_custkey' })
    .join(nation.select('n_nationkey', 'n_regionkey'), { leftOn: 'c_nationkey', rightOn: 'n_nationkey' })
    .join(region, { leftOn: 'n_regionkey', rightOn: 'r_regionkey' })
    .filter(col('r_name').eq(pl.lit('AMERICA')))
    .join(nation.select('n_nationkey', 'n_name'), { leftOn: 's_nationkey', rightOn: 'n_nationkey' })
    .filter(between('o_orderdate', date('1995-01-01'), date('1996-12-31')))
    .select(col('o_orderdate').dt.year().alias('o_year'), discounted().alias('volume'), col('n_name').alias('nation'))
    .groupBy('o_year')
    .agg(pl.when(col('nation').eq(pl.lit('BRAZIL'))).then(col('volume')).otherwise(pl.lit(0)).sum()
      .div(col('volume').sum()).alias('mkt_share'))
    .sort(sortBy(['o_year']));
}

export function q9(tables) {
  const { part, supplier, lineitem, partsupp, orders, nation } = floats(tables);
  return part
    .filter(col('p_name').str.contains('green', true))
    .join(lineitem, { leftOn: 'p_partkey', rightOn: 'l_partkey' })
    .join(supplier, { leftOn: 'l_suppkey', rightOn: 's_suppkey' })
    .join(partsupp, { leftOn: ['l_suppkey', 'p_partkey'], rightOn: ['ps_suppkey', 'ps_partkey'] })
    .join(orders, { leftOn: 'l_orderkey', rightOn: 'o_orderkey' })
    .join(nation, { leftOn: 's_nationkey', rightOn: 'n_nationkey' })
    .select(
      col('n_name').alias('nation'),
      col('o_orderdate').dt.year().alias('o_year'),
      discounted().sub(col('ps_supplycost').mul(col('l_quantity'))).alias('amount'),
    )
    .groupBy(['nation', 'o_year'])
    .agg(col('amount').sum().alias('sum_profit'))
    .sort(sortBy(['nation', 'o_year'], [false, true]));
}

export function q10(tables) {
  const { customer, orders, lineitem, nation } = floats(tables);
  return customer
    .join(orders, { leftOn: 'c_custkey', rightOn: 'o_custkey' })
    .join(lineitem, { leftOn: 'o_orderkey', rightOn: 'l_orderkey' })
    .join(nation, { leftOn: 'c_nationkey', rightOn: 'n_nationkey' })
    .filter(inRange('o_orderdate', date('1993-10-01'), date('1993-10-01', { months: 3 })))
    .filter(col('l_returnflag').eq(pl.lit('R')))
    .groupBy(['c_custkey', 'c_name', 'c_acctbal', 'c_phone', 'n_name', 'c_address', 'c_comment'])
    .agg(discounted().sum().alias('revenue'))
    .select('c_custkey', 'c_name', 'revenue', 'c_acctbal', 'n_name', 'c_address', 'c_phone', 'c_comment')
    .sort(sortBy(['revenue'], [true]))
    .head(20);
}

export function q11(tables) {
  const { partsupp, supplier, nation } = floats(tables);
  const german = partsupp
    .join(supplier, { leftOn: 'ps_suppkey', rightOn: 's_suppkey' })
    .join(nation, { leftOn: 's_nationkey', rightOn: 'n_nationkey' })
    .filter(col('n_name').eq(pl.lit('GERMANY')));
  const stock = () => col('ps_supplycost').mul(col('ps_availqty'));
  const threshold = german.select(stock().sum().mul(0.0001).alias('threshold'));
  return german
    .groupBy('ps_partkey')
    .agg(stock().sum().alias('value'))
    .join(threshold, { how: 'cross' })
    .filter(col('value').gt(col('threshold')))
    .select('ps_partkey', 'value')
    .sort(sortBy(['value'], [true]));
}

export function q12(tables) {
  const { orders, lineitem } = floats(tables);
  const high = col('o_orderpriority').isIn(['1-URGENT', '2-HIGH']);
  return orders
    .join(lineitem, { leftOn: 'o_orderkey', rightOn: 'l_orderkey' })
    .filter(col('l_shipmode').isIn(['MAIL', 'SHIP']))
    .filter(col('l_commitdate').lt(col('l_receiptdate')))
    .filter(col('l_shipdate').lt(col('l_commitdate')))
    .filter(inRange('l_receiptdate', date('1994-01-01'), date('1994-01-01', { years: 1 })))
    .groupBy('l_shipmode')
    .agg(
      pl.when(high).then(pl.lit(1)).otherwise(pl.lit(0)).sum().alias('high_line_count'),
      pl.when(high.not()).then(pl.lit(1)).otherwise(pl.lit(0)).sum().alias('low_line_count'),
    )
    .sort(sortBy(['l_shipmode']));
}

export function q13(tables) {
  const { customer, orders } = floats(tables);
  return customer
    .join(orders.filter(col('o_comment').str.contains('special.*requests').not()), { leftOn: 'c_custkey', rightOn: 'o_custkey', how: 'left' })
    .groupBy('c_custkey')
    .agg(col('o_orderkey').count().alias('c_count'))  // counts the non-null keys: 0 without orders
    .groupBy('c_count')
    .agg(pl.len().alias('custdist'))
    .sort(sortBy(['custdist', 'c_count'], [true, true]));
}

export function q14(tables) {
  const { lineitem, part } = floats(tables);
  return lineitem
    .join(part, { leftOn: 'l_partkey', rightOn: 'p_partkey' })
    .filter(inRange('l_shipdate', date('1995-09-01'), date('1995-09-01', { months: 1 })))
    .select(pl.lit(100.0)
      .mul(pl.when(col('p_type').str.startsWith('PROMO')).then(discounted()).otherwise(pl.lit(0)).sum())
      .div(discounted().sum())
      .alias('promo_revenue'));
}

export function q15(tables) {
  const { lineitem, supplier } = floats(tables);
  const revenue0 = lineitem
    .filter(inRange('l_shipdate', date('1996-01-01'), date('1996-01-01', { months: 3 })))
    .groupBy('l_suppkey')
    .agg(discounted().sum().alias('total_revenue'))
    .select(col('l_suppkey').alias('supplier_no'), 'total_revenue');
  return supplier
    .join(revenue0.filter(col('total_revenue').eq(col('total_revenue').max())), { leftOn: 's_suppkey', rightOn: 'supplier_no' })
    .select('s_suppkey', 's_name', 's_address', 's_phone', 'total_revenue')
    .sort(sortBy(['s_suppkey']));
}

export function q16(tables) {
  const { partsupp, part, supplier } = floats(tables);
  const complaints = supplier.filter(col('s_comment').str.contains('Customer.*Complaints')).select('s_suppkey');
  return part
    .filter(col('p_brand').neq(pl.lit('Brand#45')))
    .filter(col('p_type').str.startsWith('MEDIUM POLISHED').not())
    .filter(col('p_size').isIn([49, 14, 23, 45, 19, 3, 36, 9]))
    .join(partsupp, { leftOn: 'p_partkey', rightOn: 'ps_partkey' })
    .join(complaints, { leftOn: 'ps_suppkey', rightOn: 's_suppkey', how: 'anti' })
    .groupBy(['p_brand', 'p_type', 'p_size'])
    .agg(col('ps_suppkey').nUnique().alias('supplier_cnt'))
    .sort(sortBy(['supplier_cnt', 'p_brand', 'p_type', 'p_size'], [true, false, false, false]));
}

export function q17(tables) {
  const { lineitem, part } = floats(tables);
  const parts = part
    .filter(col('p_brand').eq(pl.lit('Brand#23')))
    .filter(col('p_container').eq(pl.lit('MED BOX')))
    .join(lineitem, { leftOn: 'p_partkey', rightOn: 'l_partkey' });
  return parts
    .groupBy('p_partkey')
    .agg(pl.lit(0.2).mul(col('l_quantity').mean()).alias('avg_quantity'))
    .join(parts, { on: 'p_partkey' })
    .filter(col('l_quantity').lt(col('avg_quantity')))
    .select(col('l_extendedprice').sum().div(7.0).alias('avg_yearly'));
}

export function q18(tables) {
  const { customer, orders, lineitem } = floats(tables);
  const large = lineitem
    .groupBy('l_orderkey')
    .agg(col('l_quantity').sum().alias('sum_quantity'))
    .filter(col('sum_quantity').gt(300));
  return orders
    .join(large, { leftOn: 'o_orderkey', rightOn: 'l_orderkey', how: 'semi' })
    .join(lineitem, { leftOn: 'o_orderkey', rightOn: 'l_orderkey' })
    .join(customer, { leftOn: 'o_custkey', rightOn: 'c_custkey' })
    .groupBy(['c_name', 'o_custkey', 'o_orderkey', 'o_orderdate', 'o_totalprice'])
    .agg(col('l_quantity').sum().alias('sum(l_quantity)'))
    .select('c_name', col('o_custkey').alias('c_custkey'), 'o_orderkey', 'o_orderdate', 'o_totalprice', 'sum(l_quantity)')
    .sort(sortBy(['o_totalprice', 'o_orderdate'], [true, false]))
    .head(100);
}

export function q19(tables) {
  const { lineitem, part } = floats(tables);
  const kind = (brand, containers, lo, size) => col('p_brand').eq(pl.lit(brand))
    .and(col('p_container').isIn(containers))
    .and(between('l_quantity', lo, lo + 10))
    .and(between('p_size', 1, size));
  return part
    .join(lineitem, { leftOn: 'p_partkey', rightOn: 'l_partkey' })
    .filter(col('l_shipmode').isIn(['AIR', 'AIR REG']))
    .filter(col('l_shipinstruct').eq(pl.lit('DELIVER IN PERSON')))
    .filter(kind('Brand#12', ['SM CASE', 'SM BOX', 'SM PACK', 'SM PKG'], 1, 5)
      .or(kind('Brand#23', ['MED BAG', 'MED BOX', 'MED PKG', 'MED PACK'], 10, 10))
      .or(kind('Brand#34', ['LG CASE', 'LG BOX', 'LG PACK', 'LG PKG'], 20, 15)))
    .select(discounted().sum().alias('revenue'));
}

export function q20(tables) {
  const { lineitem, nation, supplier, part, partsupp } = floats(tables);
  const shipped = lineitem
    .filter(inRange('l_shipdate', date('1994-01-01'), date('1994-01-01', { years: 1 })))
    .groupBy(['l_partkey', 'l_suppkey'])
    .agg(col('l_quantity').sum().mul(0.5).alias('sum_quantity'));
  const canadian = supplier.join(nation.filter(col('n_name').eq(pl.lit('CANADA'))), { leftOn: 's_nationkey', rightOn: 'n_nationkey' });
  return part
    .filter(col('p_name').str.startsWith('forest'))
    .select(col('p_partkey').unique())
    .join(partsupp, { leftOn: 'p_partkey', rightOn: 'ps_partkey' })
    .join(shipped, { leftOn: ['ps_suppkey', 'p_partkey'], rightOn: ['l_suppkey', 'l_partkey'] })
    .filter(col('ps_availqty').gt(col('sum_quantity')))
    .select(col('ps_suppkey').unique())
    .join(canadian, { leftOn: 'ps_suppkey', rightOn: 's_suppkey' })
    .select('s_name', 's_address')
    .sort(sortBy(['s_name']));
}

export function q21(tables) {
  const { supplier, lineitem, orders, nation } = floats(tables);
  const late = lineitem.filter(col('l_receiptdate').gt(col('l_commitdate')));
  // exists l2: the order has another supplier; not exists l3: no other supplier of it is late.
  const shared = lineitem.groupBy('l_orderkey').agg(col('l_suppkey').nUnique().alias('n')).filter(col('n').gt(1));
  const aloneLate = late.groupBy('l_orderkey').agg(col('l_suppkey').nUnique().alias('n')).filter(col('n').eq(1));
  return late
    .join(shared, { on: 'l_orderkey', how: 'semi' })
    .join(aloneLate, { on: 'l_orderkey', how: 'semi' })
    .join(supplier, { leftOn: 'l_suppkey', rightOn: 's_suppkey' })
    .join(nation, { leftOn: 's_nationkey', rightOn: 'n_nationkey' })
    .join(orders, { leftOn: 'l_orderkey', rightOn: 'o_orderkey' })
    .filter(col('n_name').eq(pl.lit('SAUDI ARABIA')))
    .filter(col('o_orderstatus').eq(pl.lit('F')))
    .groupBy('s_name')
    .agg(pl.len().alias('numwait'))
    .sort(sortBy(['numwait', 's_name'], [true, false]))
    .head(100);
}

export function q22(tables) {
  const { customer, orders } = floats(tables);
  const candidates = customer
    .withColumns(col('c_phone').str.slice(0, 2).alias('cntrycode'))
    .filter(col('cntrycode').isIn(['13', '31', '23', '29', '30', '18', '17']))
    .select('cntrycode', 'c_acctbal', 'c_custkey');
  const average = candidates.filter(col('c_acctbal').gt(0.0)).select(col('c_acctbal').mean().alias('avg_acctbal'));
  return candidates
    .join(orders, { leftOn: 'c_custkey', rightOn: 'o_custkey', how: 'anti' })
    .join(average, { how: 'cross' })
    .filter(col('c_acctbal').gt(col('avg_acctbal')))
    .groupBy('cntrycode')
    .agg(pl.len().alias('numcust'), col('c_acctbal').sum().alias('totacctbal'))
    .sort(sortBy(['cntrycode']));
}

// Query number -> function.
export const LAZY_QUERIES = {
  1: q1, 2: q2, 3: q3, 4: q4, 5: q5, 6: q6, 7: q7, 8: q8, 9: q9, 10: q10, 11: q11,
  12: q12, 13: q13, 14: q14, 15: q15, 16: q16, 17: q17, 18: q18, 19: q19, 20: q20, 21: q21, 22: q22,
};
