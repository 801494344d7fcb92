// Every aggregate, global (select() of aggregates only) and grouped (one or several keys, with
// null keys, expression keys, high cardinality), over every type, with nulls skipped (SQL):
// count, count(*), sum, mean, min, max, first, last, n_unique, std, var, median, quantile,
// any, all — and expressions over aggregates, aggregates over expressions, filters before and
// after (HAVING), and empty inputs.
//
// Semantics the SQL spells out:
//   - first/last take the first/last row's value, null or not, in input order (a scan's order:
//     `id`): DuckDB's first(x ORDER BY id).
//   - n_unique counts null as one more value (Polars): count(DISTINCT x) plus one when a null
//     is present; count(DISTINCT x) (aggregate("count", ..., distinct)) skips nulls.
//   - std/var are the sample ones (ddof = 1) unless ddof = 0 is asked: stddev_samp, var_samp.
//   - median and quantile are exact with linear interpolation: quantile_cont.
//   - Group output order is sluice's own (deterministic, not SQL's): grouped results compare as
//     multisets unless the query sorts.
#include <optional>

#include "case.h"

namespace sluice::diff {

namespace {

std::vector<Expr> AliasedAggregates(const std::vector<Derived>& aggs) {
  std::vector<Expr> out;
  for (size_t i = 0; i < aggs.size(); ++i)
    out.push_back(aggs[i].expr.alias("a" + std::to_string(i + 1)));
  return out;
}

std::string AggregateSql(const std::vector<Derived>& aggs) {
  std::string sql;
  for (size_t i = 0; i < aggs.size(); ++i)
    sql += (i ? ", " : "") + aggs[i].sql + " AS a" + std::to_string(i + 1);
  return sql;
}

/// events.select(aggregates) against SELECT aggregates FROM events [WHERE].
void Global(CaseList& list, std::string name, std::vector<Derived> aggs,
            std::optional<Expr> where = {}, std::string where_sql = "") {
  std::vector<Expr> exprs = AliasedAggregates(aggs);
  std::string sql = "SELECT " + AggregateSql(aggs) + " FROM events";
  if (where) sql += " WHERE " + where_sql;
  list.Query(
      std::move(name),
      [exprs, where](const Tables& t) {
        LazyFrame frame = t.events();
        if (where) frame = frame.filter(*where);
        return frame.select(exprs);
      },
      sql);
}

/// events.group_by(keys).agg(aggregates) against SELECT keys, aggregates ... GROUP BY keys.
void Grouped(CaseList& list, std::string name, std::vector<std::string> keys,
             std::vector<Derived> aggs) {
  std::vector<Expr> exprs = AliasedAggregates(aggs);
  std::string key_sql;
  for (const std::string& key : keys) key_sql += (key_sql.empty() ? "" : ", ") + key;
  std::string sql =
      "SELECT " + key_sql + ", " + AggregateSql(aggs) + " FROM events GROUP BY " + key_sql;
  list.Query(
      std::move(name),
      [keys, exprs](const Tables& t) { return t.events().group_by(keys).agg(exprs); }, sql);
}

std::string FirstSql(const std::string& x) {
  return "first(" + x + " ORDER BY id)";
}
std::string LastSql(const std::string& x) {
  return "last(" + x + " ORDER BY id)";
}
std::string NUniqueSql(const std::string& x) {
  return "(count(DISTINCT " + x + ") + (count(*) > count(" + x + "))::INTEGER)";
}

void AddGlobalCases(CaseList& list) {
  Global(list, "global_count",
         {{col("i32").count(), "count(i32)"},
          {count_rows(), "count(*)"},
          {col("s").count(), "count(s)"},
          {col("fs").count(), "count(fs)"}});
  Global(list, "global_sum_ints",
         {{col("i8").sum(), "sum(i8)"},
          {col("i16").sum(), "sum(i16)"},
          {col("i32").sum(), "sum(i32)"},
          {col("i64").sum(), "sum(i64)"}});
  Global(list, "global_sum_unsigned",
         {{col("u8").sum(), "sum(u8)"},
          {col("u16").sum(), "sum(u16)"},
          {col("u32").sum(), "sum(u32)"}});
  Global(list, "global_sum_floats",
         {{col("f64").sum(), "sum(f64)"},
          {col("f32").sum(), "sum(f32)"},
          {col("revenue").sum(), "sum(revenue)"}});
  Global(list, "global_sum_decimals",
         {{col("dec").sum(), "sum(dec)"}, {col("dec30").sum(), "sum(dec30)"}});
  Global(list, "global_sum_special_floats", {{col("fs").sum(), "sum(fs)"}});
  Global(list, "global_mean",
         {{col("i8").mean(), "avg(i8)"},
          {col("i64").mean(), "avg(i64)"},
          {col("u32").mean(), "avg(u32)"},
          {col("f64").mean(), "avg(f64)"},
          {col("f32").mean(), "avg(f32)"},
          {col("dec").mean(), "avg(dec)"}});
  Global(list, "global_min_max_numbers",
         {{col("i8").min(), "min(i8)"},
          {col("i64").max(), "max(i64)"},
          {col("u64").min(), "min(u64)"},
          {col("u64").max(), "max(u64)"},
          {col("f32").min(), "min(f32)"},
          {col("f64").max(), "max(f64)"},
          {col("dec").min(), "min(dec)"},
          {col("dec30").max(), "max(dec30)"}});
  Global(list, "global_min_max_other",
         {{col("s").min(), "min(s)"},
          {col("s").max(), "max(s)"},
          {col("d").min(), "min(d)"},
          {col("d").max(), "max(d)"},
          {col("ts").min(), "min(ts)"},
          {col("ts").max(), "max(ts)"},
          {col("b").min(), "min(b)"},
          {col("b").max(), "max(b)"}});
  Global(list, "global_first_last",
         {{col("i32").first(), FirstSql("i32")},
          {col("i32").last(), LastSql("i32")},
          {col("s").first(), FirstSql("s")},
          {col("s").last(), LastSql("s")},
          {col("ts").first(), FirstSql("ts")},
          {col("dec").last(), LastSql("dec")}});
  Global(list, "global_n_unique",
         {{col("i8").n_unique(), NUniqueSql("i8")},
          {col("s").n_unique(), NUniqueSql("s")},
          {col("d").n_unique(), NUniqueSql("d")},
          {col("f64").n_unique(), NUniqueSql("f64")},
          {col("b").n_unique(), NUniqueSql("b")},
          {col("dec").n_unique(), NUniqueSql("dec")}});
  Global(list, "global_count_distinct_call",
         {{aggregate("count", {col("k2")}, true), "count(DISTINCT k2)"}});
  Global(list, "global_std_var",
         {{col("i32").std(), "stddev_samp(i32)"},
          {col("f64").var(), "var_samp(f64)"},
          {col("revenue").std(0), "stddev_pop(revenue)"},
          {col("i16").var(0), "var_pop(i16)"},
          {col("dec").std(), "stddev_samp(dec)"}});
  Global(list, "global_median_quantile",
         {{col("i32").median(), "quantile_cont(i32, 0.5)"},
          {col("f64").median(), "quantile_cont(f64, 0.5)"},
          {col("revenue").quantile(0.25), "quantile_cont(revenue, 0.25)"},
          {col("i64").quantile(0.9), "quantile_cont(i64, 0.9)"},
          {col("f32").quantile(0.0), "quantile_cont(f32, 0.0)"},
          {col("u8").quantile(1.0), "quantile_cont(u8, 1.0)"}});
  Global(list, "global_median_decimal", {{col("dec").median(), "quantile_cont(dec::DOUBLE, 0.5)"}});
  Global(list, "global_any_all",
         {{col("b").any(), "bool_or(b)"},
          {col("b").all(), "bool_and(b)"},
          {(col("k1") >= 0).all(), "bool_and(k1 >= 0)"},
          {(col("i8") > 99).any(), "bool_or(i8 > 99)"}});
  Global(list, "global_over_expressions",
         {{(col("revenue") * 0.8).sum(), "sum(revenue * 0.8::DOUBLE)"},
          {(col("i32") + col("i16")).max(), "max(i32 + i16)"},
          {col("s").str().len_chars().mean(), "avg(length(s))"},
          {col("ts").dt().year().min(), "min(year(ts))"}});
  Global(list, "global_expressions_of_aggregates",
         {{col("revenue").sum() / count_rows(), "sum(revenue) / count(*)"},
          {col("i32").max() - col("i32").min(), "max(i32) - min(i32)"},
          {(col("f64").sum() / col("f64").count()).round(6), "round(sum(f64) / count(f64), 6)"}});
  Global(list, "global_after_filter",
         {{col("revenue").sum(), "sum(revenue)"},
          {count_rows(), "count(*)"},
          {col("s").min(), "min(s)"}},
         col("cat") == "books", "cat = 'books'");
  // Over no rows: count is 0, everything else is null.
  Global(list, "global_empty_input",
         {{col("i32").sum(), "sum(i32)"},
          {count_rows(), "count(*)"},
          {col("i32").count(), "count(i32)"},
          {col("f64").mean(), "avg(f64)"},
          {col("s").min(), "min(s)"},
          {col("b").any(), "bool_or(b)"},
          {col("i32").median(), "quantile_cont(i32, 0.5)"},
          {col("i32").n_unique(), NUniqueSql("i32")},
          {col("i32").first(), "first(i32)"},
          {col("f64").std(), "stddev_samp(f64)"}},
         col("id") < 0, "id < 0");
  Global(list, "global_all_null_input",
         {{col("i32").sum(), "sum(i32)"},
          {col("i32").count(), "count(i32)"},
          {col("i32").max(), "max(i32)"},
          {col("i32").mean(), "avg(i32)"}},
         col("i32").is_null(), "i32 IS NULL");
  // Sums that do not fit their integer type are errors (DuckDB widens to HUGEINT instead).
  list.Error(
      "sum_overflow_error", [](const Tables& t) { return t.events().select({col("big").sum()}); },
      "", "overflow");
}

void AddGroupedCases(CaseList& list) {
  Grouped(list, "group_k1_basic", {"k1"},
          {{count_rows(), "count(*)"},
           {col("revenue").sum(), "sum(revenue)"},
           {col("revenue").mean(), "avg(revenue)"},
           {col("i32").min(), "min(i32)"},
           {col("i32").max(), "max(i32)"},
           {col("s").count(), "count(s)"}});
  Grouped(list, "group_string_key", {"cat"},
          {{count_rows(), "count(*)"},
           {col("i64").sum(), "sum(i64)"},
           {col("s").min(), "min(s)"},
           {col("s").max(), "max(s)"}});
  Grouped(
      list, "group_text_key", {"s"},
      {{count_rows(), "count(*)"}, {col("id").max(), "max(id)"}, {col("cat").min(), "min(cat)"}});
  list.Query(
      "group_long_string_key",
      [](const Tables& t) {
        return t.events()
            .group_by({concat({lit("a-long-common-prefix/"), col("s")}).alias("key")})
            .agg({count_rows().alias("n"), col("s").max().alias("longest")});
      },
      "SELECT 'a-long-common-prefix/' || s AS key, count(*) AS n, max(s) AS longest "
      "FROM events GROUP BY 1");
  Grouped(list, "group_two_keys_with_nulls", {"k1", "k2"},
          {{count_rows(), "count(*)"}, {col("f64").sum(), "sum(f64)"}, {col("d").max(), "max(d)"}});
  Grouped(list, "group_three_keys", {"k2", "b", "cat"},
          {{count_rows(), "count(*)"}, {col("dec").sum(), "sum(dec)"}});
  Grouped(list, "group_bool_key", {"b"},
          {{count_rows(), "count(*)"},
           {col("b2").any(), "bool_or(b2)"},
           {col("b2").all(), "bool_and(b2)"}});
  Grouped(list, "group_date_key", {"d"},
          {{count_rows(), "count(*)"}, {col("i32").sum(), "sum(i32)"}});
  Grouped(list, "group_int8_key", {"i8"},
          {{count_rows(), "count(*)"}, {col("u8").max(), "max(u8)"}});
  Grouped(list, "group_decimal_key", {"dec"}, {{count_rows(), "count(*)"}});
  Grouped(list, "group_float_key", {"f32"},
          {{count_rows(), "count(*)"}, {col("id").min(), "min(id)"}});
  Grouped(list, "group_timestamp_key", {"ts"}, {{count_rows(), "count(*)"}});
  Grouped(list, "group_high_cardinality_user", {"user_id"},
          {{count_rows(), "count(*)"},
           {col("revenue").sum(), "sum(revenue)"},
           {col("revenue").mean(), "avg(revenue)"},
           {col("revenue").max(), "max(revenue)"}});
  Grouped(list, "group_unique_keys_u64", {"u64"},
          {{count_rows(), "count(*)"}, {col("id").max(), "max(id)"}});
  Grouped(list, "group_every_sum_type", {"k2"},
          {{col("i8").sum(), "sum(i8)"},
           {col("u32").sum(), "sum(u32)"},
           {col("f32").sum(), "sum(f32)"},
           {col("dec30").sum(), "sum(dec30)"}});
  Grouped(list, "group_means", {"k1"},
          {{col("i16").mean(), "avg(i16)"},
           {col("f32").mean(), "avg(f32)"},
           {col("dec").mean(), "avg(dec)"},
           {col("u64").mean(), "avg(u64)"}});
  list.Tolerance(1e-7);
  Grouped(list, "group_min_max_types", {"k2"},
          {{col("u64").min(), "min(u64)"},
           {col("f64").max(), "max(f64)"},
           {col("dec30").min(), "min(dec30)"},
           {col("ts").max(), "max(ts)"},
           {col("cat").min(), "min(cat)"},
           {col("b").min(), "min(b)"}});
  Grouped(list, "group_first_last", {"k1"},
          {{col("id").first(), FirstSql("id")},
           {col("id").last(), LastSql("id")},
           {col("s").first(), FirstSql("s")},
           {col("revenue").last(), LastSql("revenue")},
           {col("d").first(), FirstSql("d")}});
  Grouped(list, "group_first_last_high_cardinality", {"user_id"},
          {{col("id").first(), FirstSql("id")}, {col("ts").last(), LastSql("ts")}});
  Grouped(list, "group_n_unique", {"k1"},
          {{col("k2").n_unique(), NUniqueSql("k2")},
           {col("s").n_unique(), NUniqueSql("s")},
           {col("user_id").n_unique(), NUniqueSql("user_id")}});
  Grouped(list, "group_std_var", {"cat"},
          {{col("f64").std(), "stddev_samp(f64)"},
           {col("i32").var(), "var_samp(i32)"},
           {col("revenue").std(0), "stddev_pop(revenue)"},
           {col("i8").var(0), "var_pop(i8)"}});
  Grouped(list, "group_std_single_row_groups", {"u64"}, {{col("f64").std(), "stddev_samp(f64)"}});
  Grouped(list, "group_median_quantile", {"k2"},
          {{col("revenue").median(), "quantile_cont(revenue, 0.5)"},
           {col("i32").median(), "quantile_cont(i32, 0.5)"},
           {col("f64").quantile(0.75), "quantile_cont(f64, 0.75)"},
           {col("i16").quantile(0.1), "quantile_cont(i16, 0.1)"}});
  Grouped(list, "group_median_many_groups", {"user_id"},
          {{col("revenue").median(), "quantile_cont(revenue, 0.5)"}});
  Grouped(list, "group_any_all", {"k2"},
          {{col("b").any(), "bool_or(b)"},
           {col("b").all(), "bool_and(b)"},
           {(col("revenue") > 999.0).any(), "bool_or(revenue > 999)"}});
  Grouped(list, "group_count_distinct_call", {"cat"},
          {{aggregate("count", {col("k1")}, true), "count(DISTINCT k1)"}});
  Grouped(list, "group_expressions_of_aggregates", {"k1"},
          {{col("revenue").sum() / col("revenue").count(), "sum(revenue) / count(revenue)"},
           {col("i32").max() - col("i32").min(), "max(i32) - min(i32)"},
           {(col("f64").mean() * 2.0).round(3), "round(avg(f64) * 2, 3)"}});
  // NaN and -0.0 as keys and in min/max: DuckDB puts every NaN in one group (as Polars) and
  // treats -0.0 as 0.0.
  Grouped(list, "group_special_float_key", {"fs"},
          {{count_rows(), "count(*)"}, {col("id").min(), "min(id)"}});
  list.Query(
      "unique_special_floats",
      [](const Tables& t) {
        return t.events().filter(col("id") % 10 < 5).select(Names{"fs"}).unique();
      },
      "SELECT DISTINCT fs FROM events WHERE id % 10 < 5");
  Global(list, "global_min_max_special_floats",
         {{col("fs").min(), "min(fs)"}, {col("fs").max(), "max(fs)"}});
  Grouped(list, "group_min_max_special_floats", {"k1"},
          {{col("fs").min(), "min(fs)"}, {col("fs").max(), "max(fs)"}});
  Global(list, "global_n_unique_special_floats", {{col("fs").n_unique(), NUniqueSql("fs")}});
  // Expression keys.
  list.Query(
      "group_expression_key",
      [](const Tables& t) {
        return t.events()
            .group_by({(col("id") % 1000).alias("bucket")})
            .agg({count_rows().alias("n"), col("revenue").sum().alias("rev")});
      },
      "SELECT id % 1000 AS bucket, count(*) AS n, sum(revenue) AS rev FROM events GROUP BY 1");
  list.Query(
      "group_truncated_month",
      [](const Tables& t) {
        return t.events()
            .group_by({col("ts").dt().truncate("month").alias("month")})
            .agg({count_rows().alias("n"), col("revenue").mean().alias("avg_rev")});
      },
      "SELECT date_trunc('month', ts) AS month, count(*) AS n, avg(revenue) AS avg_rev "
      "FROM events GROUP BY 1");
  list.Query(
      "group_string_function_key",
      [](const Tables& t) {
        return t.events()
            .group_by({col("s").str().slice(0, 1).alias("initial"), col("k2")})
            .agg({count_rows().alias("n")});
      },
      "SELECT substring(s, 1, 1) AS initial, k2, count(*) AS n FROM events GROUP BY 1, 2");
  list.Query(
      "group_when_key",
      [](const Tables& t) {
        return t.events()
            .group_by({when(col("revenue") > 500.0)
                           .then(lit("high"))
                           .otherwise(lit("low"))
                           .alias("band")})
            .agg({count_rows().alias("n"), col("revenue").min().alias("lo")});
      },
      "SELECT CASE WHEN revenue > 500 THEN 'high' ELSE 'low' END AS band, count(*) AS n, "
      "min(revenue) AS lo FROM events GROUP BY 1");
  // Filters around the aggregation.
  list.Query(
      "group_then_having",
      [](const Tables& t) {
        return t.events()
            .group_by(Names{"user_id"})
            .agg({count_rows().alias("n"), col("revenue").sum().alias("rev")})
            .filter(col("n") >= 20 && col("rev") > 9000.0);
      },
      "SELECT user_id, count(*) AS n, sum(revenue) AS rev FROM events GROUP BY user_id "
      "HAVING count(*) >= 20 AND sum(revenue) > 9000");
  list.Query(
      "filter_then_group",
      [](const Tables& t) {
        return t.events()
            .filter(col("d") >= lit_date("2023-01-01") && col("cat").is_not_null())
            .group_by(Names{"cat"})
            .agg({col("revenue").sum().alias("rev"), col("id").count().alias("n")});
      },
      "SELECT cat, sum(revenue) AS rev, count(id) AS n FROM events "
      "WHERE d >= DATE '2023-01-01' AND cat IS NOT NULL GROUP BY cat");
  list.Query(
      "group_key_filter_after",
      [](const Tables& t) {
        return t.events()
            .group_by(Names{"k1", "k2"})
            .agg({count_rows().alias("n")})
            .filter(col("k1") == 3 || col("k2").is_null());
      },
      "SELECT k1, k2, count(*) AS n FROM events GROUP BY k1, k2 "
      "HAVING k1 = 3 OR k2 IS NULL");
  list.Query(
      "group_of_group",
      [](const Tables& t) {
        return t.events()
            .group_by(Names{"user_id"})
            .agg({count_rows().alias("n")})
            .group_by(Names{"n"})
            .agg({count_rows().alias("users")});
      },
      "SELECT n, count(*) AS users FROM (SELECT user_id, count(*) AS n FROM events "
      "GROUP BY user_id) GROUP BY n");
  list.Query(
      "group_sorted_top",
      [](const Tables& t) {
        return t.events()
            .group_by(Names{"user_id"})
            .agg({col("revenue").sum().alias("rev")})
            .sort({SortKey{col("rev"), true, true}, SortKey{col("user_id"), false, true}})
            .head(20);
      },
      "SELECT user_id, sum(revenue) AS rev FROM events GROUP BY user_id "
      "ORDER BY rev DESC NULLS LAST, user_id NULLS LAST LIMIT 20",
      true);
  list.Query(
      "group_empty_input",
      [](const Tables& t) {
        return t.events()
            .filter(col("id") < 0)
            .group_by(Names{"k1"})
            .agg({count_rows().alias("n")});
      },
      "SELECT k1, count(*) AS n FROM events WHERE id < 0 GROUP BY k1");
  list.Query(
      "group_only_keys",
      [](const Tables& t) {
        return t.events().group_by(Names{"k2", "b"}).agg({});
      },
      "SELECT k2, b FROM events GROUP BY k2, b");
  list.Query(
      "group_key_in_aggregate",
      [](const Tables& t) {
        return t.events()
            .group_by(Names{"k1"})
            .agg({col("k1").sum().alias("k1_sum"), col("k1").count().alias("k1_count")});
      },
      "SELECT k1, sum(k1) AS k1_sum, count(k1) AS k1_count FROM events GROUP BY k1");
}

}  // namespace

void AddAggregateCases(CaseList& list) {
  AddGlobalCases(list);
  AddGroupedCases(list);
}

}  // namespace sluice::diff
