// Filters the optimizer may push down (through projections, joins, aggregations, unions, into
// scans) and filters it must not push past (a limit, a distinct on other columns, the null side
// of an outer join, a coalesced key of a right or full join). Each result must equal DuckDB's
// answer to the same query, where the filter is written after the operator.
#include <limits>

#include "case.h"

namespace sluice::diff {

namespace {

LazyFrame E(const Tables& t) {
  return t.events().select(Names{"id", "user_id", "k1", "cat", "revenue"});
}
LazyFrame U(const Tables& t) {
  return t.users().select(Names{"user_id", "name", "country", "score"});
}
const std::string kJoined =
    "WITH e AS (SELECT id, user_id, k1, cat, revenue FROM events), "
    "u AS (SELECT user_id, name, country, score FROM users) ";

/// `SELECT <columns> FROM e <how> JOIN u ... WHERE <where>` over the slices above.
std::string JoinedSql(const std::string& how, const std::string& where,
                      const std::string& key = "e.user_id") {
  return kJoined + "SELECT e.id, " + key + ", e.k1, e.cat, e.revenue, u.name, u.country, u.score " +
         "FROM e " + how + " JOIN u ON e.user_id = u.user_id WHERE " + where;
}

void AddJoinPushdownCases(CaseList& list) {
  const std::string coalesced = "COALESCE(e.user_id, u.user_id) AS user_id";
  struct JoinFilter {
    const char* name;
    JoinType type;
    const char* how;
    Expr predicate;
    const char* where;
  };
  const std::vector<JoinFilter> cases = {
      {"pushdown_inner_left_column", JoinType::kInner, "INNER", col("revenue") > 500.0,
       "e.revenue > 500"},
      {"pushdown_inner_right_column", JoinType::kInner, "INNER", col("country") == "DE",
       "u.country = 'DE'"},
      {"pushdown_inner_both_sides", JoinType::kInner, "INNER",
       col("revenue") > 900.0 && col("score") < 10.0, "e.revenue > 900 AND u.score < 10"},
      {"pushdown_inner_cross_side_predicate", JoinType::kInner, "INNER",
       col("revenue") / 10.0 < col("score"), "e.revenue / 10 < u.score"},
      {"pushdown_inner_or_across_sides", JoinType::kInner, "INNER",
       col("k1") == 1 || col("country") == "JP", "e.k1 = 1 OR u.country = 'JP'"},
      {"pushdown_inner_key", JoinType::kInner, "INNER", col("user_id") < 100, "e.user_id < 100"},
      {"pushdown_left_left_column", JoinType::kLeft, "LEFT", col("cat") == "books",
       "e.cat = 'books'"},
      {"pushdown_left_right_column", JoinType::kLeft, "LEFT", col("country") == "FR",
       "u.country = 'FR'"},
      {"pushdown_left_right_is_null", JoinType::kLeft, "LEFT", col("name").is_null(),
       "u.name IS NULL"},
      {"pushdown_left_right_not_null_or", JoinType::kLeft, "LEFT",
       col("score") > 50.0 || col("score").is_null(), "u.score > 50 OR u.score IS NULL"},
      {"pushdown_left_key", JoinType::kLeft, "LEFT", col("user_id") >= 5000, "e.user_id >= 5000"},
      {"pushdown_semi_left_column", JoinType::kSemi, "", col("revenue") < 10.0, ""},
      {"pushdown_anti_left_column", JoinType::kAnti, "", col("k1") == 7, ""},
  };
  for (const JoinFilter& c : cases) {
    Expr predicate = c.predicate;
    JoinType type = c.type;
    std::string sql;
    if (type == JoinType::kSemi || type == JoinType::kAnti) {
      const char* exists = type == JoinType::kSemi ? "EXISTS" : "NOT EXISTS";
      const char* where = type == JoinType::kSemi ? "e.revenue < 10" : "e.k1 = 7";
      sql = kJoined + "SELECT * FROM e WHERE " + exists +
            " (SELECT 1 FROM u WHERE u.user_id = e.user_id) AND " + where;
    } else {
      sql = JoinedSql(c.how, c.where);
    }
    list.Query(
        c.name,
        [type, predicate](const Tables& t) {
          return E(t).join(U(t), {"user_id"}, type).filter(predicate);
        },
        sql);
  }
  // Right and full joins: the coalesced key takes the right key on unmatched rows, so a filter
  // on it cannot go to the left side only.
  list.Query(
      "pushdown_right_coalesced_key",
      [](const Tables& t) {
        return E(t).join(U(t), {"user_id"}, JoinType::kRight).filter(col("user_id") > 4900);
      },
      JoinedSql("RIGHT", "COALESCE(e.user_id, u.user_id) > 4900", coalesced));
  list.Query(
      "pushdown_right_left_column_is_null",
      [](const Tables& t) {
        return E(t).join(U(t), {"user_id"}, JoinType::kRight).filter(col("id").is_null());
      },
      JoinedSql("RIGHT", "e.id IS NULL", coalesced));
  list.Query(
      "pushdown_right_right_column",
      [](const Tables& t) {
        return E(t).join(U(t), {"user_id"}, JoinType::kRight).filter(col("country") == "US");
      },
      JoinedSql("RIGHT", "u.country = 'US'", coalesced));
  list.Query(
      "pushdown_full_left_column",
      [](const Tables& t) {
        return E(t).join(U(t), {"user_id"}, JoinType::kFull).filter(col("revenue") > 990.0);
      },
      JoinedSql("FULL", "e.revenue > 990", coalesced));
  list.Query(
      "pushdown_full_right_column",
      [](const Tables& t) {
        return E(t).join(U(t), {"user_id"}, JoinType::kFull).filter(col("score") < 1.0);
      },
      JoinedSql("FULL", "u.score < 1", coalesced));
  list.Query(
      "pushdown_full_coalesced_key",
      [](const Tables& t) {
        return E(t).join(U(t), {"user_id"}, JoinType::kFull).filter(col("user_id") >= 6990);
      },
      JoinedSql("FULL", "COALESCE(e.user_id, u.user_id) >= 6990", coalesced));
  list.Query(
      "pushdown_full_is_null_either",
      [](const Tables& t) {
        return E(t)
            .join(U(t), {"user_id"}, JoinType::kFull)
            .filter(col("id").is_null() || col("name").is_null());
      },
      JoinedSql("FULL", "e.id IS NULL OR u.name IS NULL", coalesced));
  list.Query(
      "pushdown_filter_on_both_join_inputs_and_after",
      [](const Tables& t) {
        return E(t)
            .filter(col("k1") < 5)
            .join(U(t).filter(col("country") != "BR"), {"user_id"}, JoinType::kLeft)
            .filter(col("revenue") > 100.0 && col("score").is_not_null());
      },
      kJoined +
          "SELECT e.id, e.user_id, e.k1, e.cat, e.revenue, u.name, u.country, u.score "
          "FROM (SELECT * FROM e WHERE k1 < 5) e LEFT JOIN "
          "(SELECT * FROM u WHERE country <> 'BR') u ON e.user_id = u.user_id "
          "WHERE e.revenue > 100 AND u.score IS NOT NULL");
  list.Query(
      "pushdown_cross_join_filters",
      [](const Tables& t) {
        return t.events()
            .select(Names{"id", "k1"})
            .cross_join(t.small().select(Names{"k", "w"}))
            .filter(col("id") < 40 && col("w") > 0.0 && col("k1") == col("k"));
      },
      "SELECT e.id, e.k1, s.k, s.w FROM events e CROSS JOIN small s "
      "WHERE e.id < 40 AND s.w > 0 AND e.k1 = s.k");
}

void AddOtherPushdownCases(CaseList& list) {
  list.Query(
      "pushdown_through_alias",
      [](const Tables& t) {
        return t.events()
            .select({col("id"), (col("revenue") * 0.8).alias("net"), col("cat").alias("c")})
            .filter(col("net") > 700.0 && col("c") != "games");
      },
      "SELECT id, net, c FROM (SELECT id, revenue * 0.8::DOUBLE AS net, cat AS c FROM events) "
      "WHERE net > 700 AND c <> 'games'");
  list.Query(
      "pushdown_through_with_columns_replacing",
      [](const Tables& t) {
        return t.events()
            .select(Names{"id", "k1", "revenue"})
            .with_columns({(col("k1") * 10).alias("k1")})
            .filter(col("k1") == 30);
      },
      "SELECT id, k1 * 10 AS k1, revenue FROM events WHERE k1 * 10 = 30");
  list.Query(
      "pushdown_through_rename",
      [](const Tables& t) {
        return t.events()
            .select(Names{"id", "cat"})
            .rename({{"cat", "category"}})
            .filter(col("category") == "家電");
      },
      "SELECT id, cat AS category FROM events WHERE cat = '家電'");
  list.Query(
      "pushdown_into_group_by_key",
      [](const Tables& t) {
        return t.events()
            .group_by(Names{"k1"})
            .agg({col("revenue").sum().alias("rev")})
            .filter(col("k1") >= 8);
      },
      "SELECT k1, sum(revenue) AS rev FROM events GROUP BY k1 HAVING k1 >= 8");
  list.Query(
      "pushdown_group_by_aggregate_not_pushed",
      [](const Tables& t) {
        return t.events()
            .group_by(Names{"k2"})
            .agg({count_rows().alias("n")})
            .filter(col("n") > 37894 || col("k2").is_null());
      },
      "SELECT k2, count(*) AS n FROM events GROUP BY k2 HAVING count(*) > 37894 OR k2 IS NULL");
  list.Query(
      "pushdown_not_past_limit",
      [](const Tables& t) {
        return t.events().select(Names{"id", "revenue"}).head(1000).filter(col("revenue") > 500.0);
      },
      "SELECT id, revenue FROM (SELECT id, revenue FROM events ORDER BY id LIMIT 1000) "
      "WHERE revenue > 500");
  list.Query(
      "pushdown_not_past_sort_limit",
      [](const Tables& t) {
        return t.events()
            .select(Names{"id", "revenue", "k1"})
            .sort({SortKey{col("revenue"), true, true}, SortKey{col("id"), false, true}})
            .head(100)
            .filter(col("k1") == 2);
      },
      "SELECT id, revenue, k1 FROM (SELECT id, revenue, k1 FROM events "
      "ORDER BY revenue DESC NULLS LAST, id LIMIT 100) WHERE k1 = 2 ORDER BY revenue DESC, id",
      true);
  list.Query(
      "pushdown_not_past_unique_subset",
      [](const Tables& t) {
        return t.events()
            .select(Names{"id", "k1", "revenue"})
            .unique({"k1"})
            .filter(col("revenue") > 300.0);
      },
      "SELECT id, k1, revenue FROM (SELECT id, k1, revenue, row_number() OVER "
      "(PARTITION BY k1 ORDER BY id) AS rn FROM events) WHERE rn = 1 AND revenue > 300");
  list.Query(
      "pushdown_past_unique_on_its_key",
      [](const Tables& t) {
        return t.events().select(Names{"id", "k1", "revenue"}).unique({"k1"}).filter(col("k1") > 6);
      },
      "SELECT id, k1, revenue FROM (SELECT id, k1, revenue, row_number() OVER "
      "(PARTITION BY k1 ORDER BY id) AS rn FROM events) WHERE rn = 1 AND k1 > 6");
  list.Query(
      "pushdown_into_concat",
      [](const Tables& t) {
        LazyFrame a = t.events().select(Names{"id", "cat"}).filter(col("id") < 1000);
        LazyFrame b = t.events().select(Names{"id", "cat"}).filter(col("id") >= 119000);
        return concat({a, b}).filter(col("cat") == "music");
      },
      "SELECT id, cat FROM events WHERE (id < 1000 OR id >= 119000) AND cat = 'music'");
  list.Query(
      "pushdown_merged_filters",
      [](const Tables& t) {
        return t.events()
            .filter(col("k1") > 2)
            .filter(col("k2") == "a")
            .select(Names{"id", "k1", "k2", "revenue"})
            .filter(col("revenue") < 100.0)
            .filter(col("k1") < 5);
      },
      "SELECT id, k1, k2, revenue FROM events "
      "WHERE k1 > 2 AND k2 = 'a' AND revenue < 100 AND k1 < 5");
  list.Query(
      "pushdown_row_group_skipping_id_range",
      [](const Tables& t) {
        return t.events()
            .filter(col("id") >= 55000 && col("id") < 55100)
            .select(Names{"id", "s", "ts"});
      },
      "SELECT id, s, ts FROM events WHERE id >= 55000 AND id < 55100");
  list.Query(
      "pushdown_row_group_skipping_none_match",
      [](const Tables& t) {
        return t.events().filter(col("id") > 1000000).select(Names{"id", "s"});
      },
      "SELECT id, s FROM events WHERE id > 1000000");
  list.Query(
      "pushdown_row_group_stats_with_nulls",
      [](const Tables& t) {
        return t.events().filter(col("big").is_null() && col("id") < 20000).select(Names{"id"});
      },
      "SELECT id FROM events WHERE big IS NULL AND id < 20000");
  list.Query(
      "pushdown_row_group_string_stats",
      [](const Tables& t) {
        return t.events().filter(col("date_str") > "2027-01-01").select(Names{"id", "date_str"});
      },
      "SELECT id, date_str FROM events WHERE date_str > '2027-01-01'");
  list.Query(
      "pushdown_row_group_timestamp_stats",
      [](const Tables& t) {
        return t.events()
            .filter(col("ts") >= lit_timestamp("2023-12-31 23:00:00"))
            .select(Names{"id", "ts"});
      },
      "SELECT id, ts FROM events WHERE ts >= TIMESTAMP '2023-12-31 23:00:00'");
  // Row groups hold NaN and +-Infinity in `fs`: statistics must not skip the infinite rows.
  // (NaN compares false both ways in IEEE and is above every number in DuckDB: these bounds
  // exclude it in both.)
  list.Query(
      "pushdown_row_group_infinity_stats",
      [](const Tables& t) {
        return t.events()
            .filter(col("fs") > 1e300 && col("fs") <= lit(std::numeric_limits<double>::infinity()))
            .select(Names{"id", "fs"});
      },
      "SELECT id, fs FROM events WHERE fs > 1e300 AND fs <= 'Infinity'::DOUBLE");
  list.Query(
      "pushdown_row_group_negative_infinity_stats",
      [](const Tables& t) {
        return t.events().filter(col("fs") < -1e300).select(Names{"id", "fs"});
      },
      "SELECT id, fs FROM events WHERE fs < -1e300");
  list.Query(
      "pushdown_row_group_unicode_string_stats",
      [](const Tables& t) {
        return t.events().filter(col("cat") > "z").select(Names{"id", "cat"});
      },
      "SELECT id, cat FROM events WHERE cat > 'z'");
  list.Query(
      "pushdown_row_group_decimal_stats",
      [](const Tables& t) {
        return t.events()
            .filter(col("dec30") >= lit(Scalar{Decimal(30, 6), int128_t{12500000000}}))
            .select(Names{"id", "dec30"});
      },
      "SELECT id, dec30 FROM events WHERE dec30 >= 12500.000000");
  list.Query(
      "constant_true_filter",
      [](const Tables& t) {
        return t.events().filter(lit(1) == 1 && col("k1") == 4).select(Names{"id"});
      },
      "SELECT id FROM events WHERE k1 = 4");
  list.Query(
      "constant_false_filter",
      [](const Tables& t) {
        return t.events().filter(lit(false)).select(Names{"id", "s"});
      },
      "SELECT id, s FROM events WHERE false");
  list.Query(
      "constant_null_filter",
      [](const Tables& t) {
        return t.events().filter(lit_null(Bool()) || col("k1") == 9).select(Names{"id"});
      },
      "SELECT id FROM events WHERE NULL OR k1 = 9");
  list.Query(
      "constant_folded_arithmetic_filter",
      [](const Tables& t) {
        return t.events().filter(col("i32") > lit(500) * 2 + 1).select(Names{"id", "i32"});
      },
      "SELECT id, i32 FROM events WHERE i32 > 1001");
}

}  // namespace

void AddPushdownCases(CaseList& list) {
  AddJoinPushdownCases(list);
  AddOtherPushdownCases(list);
}

}  // namespace sluice::diff
