// Frame operations: sort (several keys, asc/desc, nulls first/last, every key type, stable),
// sort + limit (top-k) with offsets, head/slice, unique, concat, rename, drop, select and
// with_columns.
//
// Sorts compare in order. Their keys end with `id` (unique), or rely on sort stability: sluice's
// sort is stable and a scan yields rows in `id` order, so sort(x) equals SQL's ORDER BY x, id.
// DuckDB's default null order differs (nulls last both ways); the SQL always says NULLS FIRST or
// LAST as sluice's default does (nulls last ascending, first descending).
#include "case.h"

namespace sluice::diff {

namespace {

SortKey Asc(Expr e) {
  return {std::move(e), false, std::nullopt};
}
SortKey Desc(Expr e) {
  return {std::move(e), true, std::nullopt};
}
SortKey Key(Expr e, bool descending, bool nulls_last) {
  return {std::move(e), descending, nulls_last};
}

/// events.select(columns).sort(keys)[.slice(offset, length)] against SQL, in order.
void Sorted(CaseList& list, std::string name, std::vector<std::string> columns,
            std::vector<SortKey> keys, std::string order_sql, int64_t offset = 0,
            int64_t length = -1) {
  std::string select;
  for (const std::string& c : columns) select += (select.empty() ? "" : ", ") + c;
  std::string sql = "SELECT " + select + " FROM events ORDER BY " + order_sql;
  if (length >= 0) sql += " LIMIT " + std::to_string(length);
  if (offset > 0) sql += " OFFSET " + std::to_string(offset);
  list.Query(
      std::move(name),
      [columns, keys, offset, length](const Tables& t) {
        LazyFrame frame = t.events().select(columns).sort(keys);
        if (length >= 0) frame = frame.slice(offset, length);
        return frame;
      },
      sql, true);
}

void AddSortCases(CaseList& list) {
  Sorted(list, "sort_id_desc", {"id", "k1"}, {Desc(col("id"))}, "id DESC");
  Sorted(list, "sort_float_stable", {"id", "revenue"}, {Asc(col("revenue"))},
         "revenue ASC NULLS LAST, id");
  Sorted(list, "sort_float_desc_default_nulls_first", {"id", "revenue"}, {Desc(col("revenue"))},
         "revenue DESC NULLS FIRST, id");
  Sorted(list, "sort_multi_key", {"id", "k1", "k2", "revenue"},
         {Asc(col("k1")), Desc(col("k2")), Asc(col("id"))},
         "k1 ASC NULLS LAST, k2 DESC NULLS FIRST, id");
  Sorted(list, "sort_nulls_first_asc", {"id", "k1"}, {Key(col("k1"), false, false), Asc(col("id"))},
         "k1 ASC NULLS FIRST, id");
  Sorted(list, "sort_nulls_last_desc", {"id", "k2"}, {Key(col("k2"), true, true), Desc(col("id"))},
         "k2 DESC NULLS LAST, id DESC");
  Sorted(list, "sort_string_unicode", {"id", "s"}, {Asc(col("s")), Asc(col("id"))},
         "s ASC NULLS LAST, id");
  list.Query(
      "sort_long_strings_common_prefix",
      [](const Tables& t) {
        return t.events()
            .select({col("id"), concat({lit("a-long-common-prefix/"), col("s")}).alias("key")})
            .sort({Desc(col("key")), Asc(col("id"))});
      },
      "SELECT id, 'a-long-common-prefix/' || s AS key FROM events "
      "ORDER BY key DESC NULLS FIRST, id",
      true);
  Sorted(list, "sort_date", {"id", "d"}, {Desc(col("d")), Asc(col("id"))},
         "d DESC NULLS FIRST, id");
  Sorted(list, "sort_timestamp", {"id", "ts"}, {Asc(col("ts"))}, "ts ASC NULLS LAST, id");
  Sorted(list, "sort_bool", {"id", "b", "b2"}, {Asc(col("b")), Desc(col("b2"))},
         "b ASC NULLS LAST, b2 DESC NULLS FIRST, id");
  Sorted(list, "sort_decimal", {"id", "dec"}, {Desc(col("dec")), Asc(col("id"))},
         "dec DESC NULLS FIRST, id");
  Sorted(list, "sort_int8_unsigned", {"id", "i8", "u64"}, {Asc(col("i8")), Desc(col("u64"))},
         "i8 ASC NULLS LAST, u64 DESC NULLS FIRST, id");
  // NaN sorts above +Infinity, as in DuckDB and Polars; -0.0 equals 0.0.
  Sorted(list, "sort_special_floats", {"id", "fs"}, {Asc(col("fs"))}, "fs ASC NULLS LAST, id");
  Sorted(list, "sort_special_floats_desc", {"id", "fs"}, {Key(col("fs"), true, true)},
         "fs DESC NULLS LAST, id");
  Sorted(list, "sort_float32", {"id", "f32"}, {Asc(col("f32"))}, "f32 ASC NULLS LAST, id");
  Sorted(list, "sort_expression_key", {"id", "i32"}, {Asc(col("i32") % 1000), Desc(col("id"))},
         "i32 % 1000 ASC NULLS LAST, id DESC");
  Sorted(list, "sort_string_function_key", {"id", "s"},
         {Desc(col("s").str().len_chars()), Asc(col("id"))}, "length(s) DESC NULLS FIRST, id");
  // Stability with few distinct keys: ties keep the input (id) order across morsels and files.
  Sorted(list, "sort_stable_low_cardinality", {"id", "k2"}, {Asc(col("k2"))},
         "k2 ASC NULLS LAST, id");
  Sorted(list, "sort_stable_bool_desc", {"id", "b"}, {Desc(col("b"))}, "b DESC NULLS FIRST, id");
  // Top-k: sort + head, with and without offsets.
  Sorted(list, "topk_stable_ties", {"id", "k1"}, {Asc(col("k1"))}, "k1 ASC NULLS LAST, id", 0,
         1000);
  Sorted(list, "topk_stable_ties_offset", {"id", "k2"}, {Desc(col("k2"))},
         "k2 DESC NULLS FIRST, id", 45000, 100);
  Sorted(list, "topk_revenue_desc", {"id", "revenue"}, {Key(col("revenue"), true, true)},
         "revenue DESC NULLS LAST, id", 0, 100);
  Sorted(list, "topk_default_nulls_first", {"id", "revenue"}, {Desc(col("revenue"))},
         "revenue DESC NULLS FIRST, id", 0, 100);
  Sorted(list, "topk_asc_string", {"id", "s"}, {Asc(col("s"))}, "s ASC NULLS LAST, id", 0, 25);
  Sorted(list, "topk_multi_key", {"id", "k2", "f64"},
         {Key(col("k2"), false, true), Key(col("f64"), true, true)},
         "k2 ASC NULLS LAST, f64 DESC NULLS LAST, id", 0, 50);
  Sorted(list, "topk_with_offset", {"id", "revenue"}, {Key(col("revenue"), true, true)},
         "revenue DESC NULLS LAST, id", 50, 20);
  Sorted(list, "topk_large_k", {"id", "i32"}, {Asc(col("i32"))}, "i32 ASC NULLS LAST, id", 0,
         30000);
  Sorted(list, "topk_offset_past_end", {"id", "i32"}, {Asc(col("i32"))}, "i32 ASC NULLS LAST, id",
         200000, 10);
  Sorted(list, "topk_zero", {"id"}, {Asc(col("id"))}, "id", 0, 0);
  Sorted(list, "topk_timestamp_desc", {"id", "ts"}, {Key(col("ts"), true, true)},
         "ts DESC NULLS LAST, id", 0, 10);
  list.Query(
      "sort_after_filter_limit",
      [](const Tables& t) {
        return t.events()
            .filter(col("cat") == "garden")
            .select(Names{"id", "revenue", "cat"})
            .sort({Key(col("revenue"), false, true)})
            .head(15);
      },
      "SELECT id, revenue, cat FROM events WHERE cat = 'garden' "
      "ORDER BY revenue NULLS LAST, id LIMIT 15",
      true);
  list.Query(
      "sort_by_names_api",
      [](const Tables& t) {
        return t.events()
            .select(Names{"id", "k1", "k2"})
            .sort({"k2", "k1", "id"}, {true, false, false});
      },
      "SELECT id, k1, k2 FROM events ORDER BY k2 DESC NULLS FIRST, k1 NULLS LAST, id", true);
  list.Query(
      "sort_twice_last_wins",
      [](const Tables& t) {
        return t.events().select(Names{"id", "k1"}).sort({Desc(col("id"))}).sort({Asc(col("k1"))});
      },
      "SELECT id, k1 FROM events ORDER BY k1 NULLS LAST, id DESC", true);
}

void AddSliceCases(CaseList& list) {
  list.Query(
      "head_of_scan",
      [](const Tables& t) {
        return t.events().select(Names{"id", "s"}).head(10);
      },
      "SELECT id, s FROM events ORDER BY id LIMIT 10", true);
  list.Query(
      "slice_across_files",
      [](const Tables& t) {
        return t.events().select(Names{"id", "cat"}).slice(39990, 25);
      },
      "SELECT id, cat FROM events ORDER BY id LIMIT 25 OFFSET 39990", true);
  list.Query(
      "slice_at_end",
      [](const Tables& t) { return t.events().select(Names{"id"}).slice(119990, 20); },
      "SELECT id FROM events ORDER BY id LIMIT 20 OFFSET 119990", true);
  list.Query(
      "slice_past_end",
      [](const Tables& t) { return t.events().select(Names{"id"}).slice(500000, 20); },
      "SELECT id FROM events ORDER BY id LIMIT 20 OFFSET 500000", true);
  list.Query(
      "head_zero", [](const Tables& t) { return t.events().head(0); },
      "SELECT * FROM events LIMIT 0", true);
  list.Query(
      "head_after_filter",
      [](const Tables& t) {
        return t.events()
            .filter(col("k2") == "b" && col("revenue") > 990.0)
            .select(Names{"id"})
            .head(7);
      },
      "SELECT id FROM events WHERE k2 = 'b' AND revenue > 990 ORDER BY id LIMIT 7", true);
  list.Query(
      "limit_api",
      [](const Tables& t) {
        return t.events().select(Names{"id", "ts"}).limit(3);
      },
      "SELECT id, ts FROM events ORDER BY id LIMIT 3", true);
  list.Query(
      "head_of_head",
      [](const Tables& t) { return t.events().select(Names{"id"}).slice(100, 50).slice(10, 5); },
      "SELECT id FROM events ORDER BY id LIMIT 5 OFFSET 110", true);
  list.Query(
      "head_large",
      [](const Tables& t) {
        return t.events().select(Names{"id", "f64"}).head(70000);
      },
      "SELECT id, f64 FROM events ORDER BY id LIMIT 70000", true);
  // Limits around other operators: the optimizer may move a limit (or merge sort + limit into a
  // top-k) only where the answer stays the same.
  list.Query(
      "head_of_concat_keeps_input_order",
      [](const Tables& t) {
        return concat({t.events().filter(col("id") % 2 == 1).select(Names{"id"}),
                       t.events().filter(col("id") % 2 == 0).select(Names{"id"})})
            .head(5);
      },
      "SELECT id FROM events WHERE id % 2 = 1 ORDER BY id LIMIT 5", true);
  list.Query(
      "slice_across_concat_inputs",
      [](const Tables& t) {
        return concat({t.small().select(Names{"k", "label"}),
                       t.events().select({col("k1").alias("k"), col("k2").alias("label")})})
            .slice(5, 6);
      },
      "SELECT k, label FROM (SELECT k, label, 0 AS part, row_number() OVER () AS rn FROM small "
      "UNION ALL SELECT k1, k2, 1, id FROM events) ORDER BY part, rn LIMIT 6 OFFSET 5",
      true);
  list.Query(
      "topk_through_projection",
      [](const Tables& t) {
        return t.events()
            .select(Names{"id", "revenue"})
            .sort({Key(col("revenue"), true, true)})
            .with_columns({(col("revenue") * 2.0).alias("double_revenue")})
            .head(10);
      },
      "SELECT id, revenue, revenue * 2.0::DOUBLE AS double_revenue FROM events "
      "ORDER BY revenue DESC NULLS LAST, id LIMIT 10",
      true);
  list.Query(
      "filter_between_sort_and_head",
      [](const Tables& t) {
        return t.events()
            .select(Names{"id", "revenue", "k1"})
            .sort({Key(col("revenue"), true, true)})
            .filter(col("k1") == 1)
            .head(10);
      },
      "SELECT id, revenue, k1 FROM events WHERE k1 = 1 ORDER BY revenue DESC NULLS LAST, id "
      "LIMIT 10",
      true);
  list.Query(
      "head_then_sort",
      [](const Tables& t) {
        return t.events()
            .select(Names{"id", "revenue"})
            .head(1000)
            .sort({Key(col("revenue"), false, true)});
      },
      "SELECT id, revenue FROM (SELECT id, revenue FROM events ORDER BY id LIMIT 1000) "
      "ORDER BY revenue NULLS LAST, id",
      true);
  list.Query(
      "unique_then_head",
      [](const Tables& t) {
        return t.events().select(Names{"k1", "k2"}).unique().head(4);
      },
      "SELECT k1, k2 FROM events GROUP BY k1, k2 ORDER BY min(id) LIMIT 4", true);
  list.Query(
      "filter_on_column_not_selected",
      [](const Tables& t) {
        return t.events().filter(col("s").str().contains("duck")).select(Names{"id"});
      },
      "SELECT id FROM events WHERE contains(s, 'duck')");
  list.Query(
      "sort_limit_sort",
      [](const Tables& t) {
        return t.events()
            .select(Names{"id", "i32"})
            .sort({Key(col("i32"), true, true)})
            .head(50)
            .sort({Asc(col("id"))});
      },
      "SELECT id, i32 FROM (SELECT id, i32 FROM events ORDER BY i32 DESC NULLS LAST, id "
      "LIMIT 50) ORDER BY id",
      true);
}

void AddFrameShapeCases(CaseList& list) {
  // unique keeps the first occurrence, in input order.
  list.Query(
      "unique_all_columns",
      [](const Tables& t) {
        return t.events().select(Names{"k1", "k2"}).unique();
      },
      "SELECT k1, k2 FROM events GROUP BY k1, k2 ORDER BY min(id)", true);
  list.Query(
      "unique_wide_rows",
      [](const Tables& t) {
        return t.events().select(Names{"k1", "k2", "cat", "b", "b2", "i8"}).unique();
      },
      "SELECT DISTINCT k1, k2, cat, b, b2, i8 FROM events");
  list.Query(
      "unique_strings", [](const Tables& t) { return t.events().select(Names{"cat"}).unique(); },
      "SELECT cat FROM events GROUP BY cat ORDER BY min(id)", true);
  list.Query(
      "unique_subset_first_occurrence",
      [](const Tables& t) {
        return t.events().select(Names{"id", "k2", "b", "revenue"}).unique({"k2", "b"});
      },
      "SELECT id, k2, b, revenue FROM (SELECT id, k2, b, revenue, row_number() OVER "
      "(PARTITION BY k2, b ORDER BY id) AS rn FROM events) WHERE rn = 1 ORDER BY id",
      true);
  list.Query(
      "unique_high_cardinality",
      [](const Tables& t) {
        return t.events().select(Names{"user_id", "k1"}).unique();
      },
      "SELECT DISTINCT user_id, k1 FROM events");
  list.Query(
      "unique_after_concat",
      [](const Tables& t) {
        LazyFrame a = t.events().select(Names{"k1"});
        return concat({a, a}).unique();
      },
      "SELECT DISTINCT k1 FROM events");
  list.Query(
      "concat_two",
      [](const Tables& t) {
        return concat({t.events().filter(col("id") < 5).select(Names{"id", "s"}),
                       t.events().filter(col("id") >= 119995).select(Names{"id", "s"})});
      },
      "SELECT id, s FROM events WHERE id < 5 OR id >= 119995 ORDER BY id", true);
  list.Query(
      "concat_three_with_duplicates",
      [](const Tables& t) {
        LazyFrame a = t.small().select(Names{"k", "label"});
        return concat({a, a, a});
      },
      "SELECT k, label FROM small UNION ALL SELECT k, label FROM small "
      "UNION ALL SELECT k, label FROM small");
  list.Query(
      "concat_then_group",
      [](const Tables& t) {
        LazyFrame a = t.events().select(Names{"cat", "revenue"});
        LazyFrame b = t.events().filter(col("k1") == 0).select(Names{"cat", "revenue"});
        return concat({a, b})
            .group_by(Names{"cat"})
            .agg({count_rows().alias("n"), col("revenue").sum().alias("rev")});
      },
      "SELECT cat, count(*) AS n, sum(revenue) AS rev FROM (SELECT cat, revenue FROM events "
      "UNION ALL SELECT cat, revenue FROM events WHERE k1 = 0) GROUP BY cat");
  list.Query(
      "rename_columns",
      [](const Tables& t) {
        return t.events().select(Names{"id", "k1", "k2"}).rename({{"k1", "a"}, {"k2", "b"}});
      },
      "SELECT id, k1 AS a, k2 AS b FROM events");
  list.Query(
      "rename_swap",
      [](const Tables& t) {
        return t.events().select(Names{"id", "k1", "k2"}).rename({{"k1", "k2"}, {"k2", "k1"}});
      },
      "SELECT id, k1 AS k2, k2 AS k1 FROM events");
  list.Query(
      "drop_columns",
      [](const Tables& t) {
        return t.events().drop({"s", "ts", "ts2", "num_str", "parts", "date_str", "fs"});
      },
      "SELECT * EXCLUDE (s, ts, ts2, num_str, parts, date_str, fs) FROM events");
  list.Query(
      "select_every_column", [](const Tables& t) { return t.events(); }, "SELECT * FROM events");
  list.Query(
      "select_reorder_and_repeat_as",
      [](const Tables& t) {
        return t.events().select({col("ts"), col("id"), col("id").alias("id2")});
      },
      "SELECT ts, id, id AS id2 FROM events");
  list.Query(
      "with_columns_add_and_replace",
      [](const Tables& t) {
        return t.events()
            .select(Names{"id", "revenue", "cat"})
            .with_columns({(col("revenue") * 2.0).alias("revenue"),
                           col("cat").str().upper().alias("cat_upper")});
      },
      "SELECT id, revenue * 2.0::DOUBLE AS revenue, cat, upper(cat) AS cat_upper FROM events");
  list.Query(
      "with_columns_chained",
      [](const Tables& t) {
        return t.events()
            .select(Names{"id", "i32"})
            .with_columns({(col("i32") + 1).alias("x")})
            .with_columns({(col("x") * 2).alias("y")})
            .drop({"i32"});
      },
      "SELECT id, i32 + 1 AS x, (i32 + 1) * 2 AS y FROM events");
  list.Query(
      "select_literal_columns",
      [](const Tables& t) {
        return t.small().select({col("k"), lit(1).alias("one"), lit("x").alias("x"),
                                 lit(2.5).alias("f"), lit_null(Utf8()).alias("nothing")});
      },
      "SELECT k, 1 AS one, 'x' AS x, 2.5::DOUBLE AS f, NULL::VARCHAR AS nothing FROM small");
  list.Query(
      "small_table_whole", [](const Tables& t) { return t.small(); }, "SELECT * FROM small");
  list.Query(
      "users_table_whole", [](const Tables& t) { return t.users(); }, "SELECT * FROM users");
  list.Query(
      "empty_result_schema", [](const Tables& t) { return t.events().filter(col("id") < 0); },
      "SELECT * FROM events WHERE id < 0");
  list.Query(
      "seed_pipeline",
      [](const Tables& t) {
        return t.events()
            .filter(col("ts") > lit_timestamp("2023-01-01"))
            .with_columns(
                {(col("revenue") * 0.8).alias("net_revenue"), col("user_id").cast(Utf8())})
            .group_by(Names{"cat"})
            .agg({col("net_revenue").sum()});
      },
      "SELECT cat, sum(revenue * 0.8::DOUBLE) AS net_revenue FROM events "
      "WHERE ts > TIMESTAMP '2023-01-01' GROUP BY cat");
}

}  // namespace

void AddFrameCases(CaseList& list) {
  AddSortCases(list);
  AddSliceCases(list);
  AddFrameShapeCases(list);
}

}  // namespace sluice::diff
