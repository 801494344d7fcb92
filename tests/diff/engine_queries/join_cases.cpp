// Joins of every type (inner, left, right, full, semi, anti, cross) on one key, several keys,
// string keys, keys of different names and types, expression keys, null keys, duplicate keys,
// and empty sides.
//
// sluice's join output (plan/logical_plan.h): the left columns, then the right ones; a right
// column whose name clashes gets the suffix (default "_right"); for a key pair of plain columns
// the right key is dropped and the left one kept — for right and full joins it holds the first
// non-null of both (the SQL spells COALESCE). Semi and anti joins output the left columns; a null
// key matches nothing (SQL): the SQL of anti joins is NOT EXISTS, not NOT IN.
#include "case.h"

namespace sluice::diff {

namespace {

/// A slice of events for joins: id, user_id, k1, cat, revenue.
LazyFrame E(const Tables& t) {
  return t.events().select(Names{"id", "user_id", "k1", "cat", "revenue"});
}
const std::string kE = "WITH e AS (SELECT id, user_id, k1, cat, revenue FROM events) ";
/// The users columns after a join on user_id with events' slice.
const std::string kUserColumns =
    "u.name, u.country, u.signup, u.score, u.tier, u.k1 AS k1_right, u.cat AS cat_right";

std::string UserJoin(const std::string& how, const std::string& key) {
  return kE + "SELECT e.id, " + key + ", e.k1, e.cat, e.revenue, " + kUserColumns + " FROM e " +
         how + " JOIN users u ON e.user_id = u.user_id";
}

void AddSingleKeyCases(CaseList& list) {
  list.Query(
      "join_inner", [](const Tables& t) { return E(t).join(t.users(), {"user_id"}); },
      UserJoin("INNER", "e.user_id"));
  list.Query(
      "join_left",
      [](const Tables& t) { return E(t).join(t.users(), {"user_id"}, JoinType::kLeft); },
      UserJoin("LEFT", "e.user_id"));
  list.Query(
      "join_right",
      [](const Tables& t) { return E(t).join(t.users(), {"user_id"}, JoinType::kRight); },
      UserJoin("RIGHT", "COALESCE(e.user_id, u.user_id) AS user_id"));
  list.Query(
      "join_full",
      [](const Tables& t) { return E(t).join(t.users(), {"user_id"}, JoinType::kFull); },
      UserJoin("FULL", "COALESCE(e.user_id, u.user_id) AS user_id"));
  list.Query(
      "join_semi",
      [](const Tables& t) { return E(t).join(t.users(), {"user_id"}, JoinType::kSemi); },
      kE + "SELECT * FROM e WHERE EXISTS (SELECT 1 FROM users u WHERE u.user_id = e.user_id)");
  list.Query(
      "join_anti",
      [](const Tables& t) { return E(t).join(t.users(), {"user_id"}, JoinType::kAnti); },
      kE + "SELECT * FROM e WHERE NOT EXISTS "
           "(SELECT 1 FROM users u WHERE u.user_id = e.user_id)");
  list.Query(
      "join_users_left_of_events",
      [](const Tables& t) {
        return t.users()
            .select(Names{"user_id", "name"})
            .join(t.events().select(Names{"user_id", "id"}), {"user_id"}, JoinType::kLeft);
      },
      "SELECT u.user_id, u.name, e.id FROM users u LEFT JOIN events e "
      "ON u.user_id = e.user_id");
  list.Query(
      "join_anti_users_without_events",
      [](const Tables& t) { return t.users().join(t.events(), {"user_id"}, JoinType::kAnti); },
      "SELECT * FROM users u WHERE NOT EXISTS "
      "(SELECT 1 FROM events e WHERE e.user_id = u.user_id)");
  list.Query(
      "join_semi_users_with_events",
      [](const Tables& t) { return t.users().join(t.events(), {"user_id"}, JoinType::kSemi); },
      "SELECT * FROM users u WHERE EXISTS "
      "(SELECT 1 FROM events e WHERE e.user_id = u.user_id)");
  list.Query(
      "join_custom_suffix",
      [](const Tables& t) { return E(t).join(t.users(), {"user_id"}, JoinType::kInner, "_u"); },
      kE + "SELECT e.id, e.user_id, e.k1, e.cat, e.revenue, u.name, u.country, u.signup, "
           "u.score, u.tier, u.k1 AS k1_u, u.cat AS cat_u FROM e JOIN users u "
           "ON e.user_id = u.user_id");
}

void AddMultiKeyCases(CaseList& list) {
  const std::string right = "u.name, u.country, u.signup, u.score, u.tier, u.cat AS cat_right";
  auto sql = [&](const std::string& how, const std::string& keys) {
    return kE + "SELECT e.id, " + keys + ", e.cat, e.revenue, " + right + " FROM e " + how +
           " JOIN users u ON e.user_id = u.user_id AND e.k1 = u.k1";
  };
  list.Query(
      "join_two_keys_inner",
      [](const Tables& t) {
        return E(t).join(t.users(), {"user_id", "k1"});
      },
      sql("INNER", "e.user_id, e.k1"));
  list.Query(
      "join_two_keys_left",
      [](const Tables& t) {
        return E(t).join(t.users(), {"user_id", "k1"}, JoinType::kLeft);
      },
      sql("LEFT", "e.user_id, e.k1"));
  list.Query(
      "join_two_keys_full",
      [](const Tables& t) {
        return E(t).join(t.users(), {"user_id", "k1"}, JoinType::kFull);
      },
      sql("FULL", "COALESCE(e.user_id, u.user_id) AS user_id, COALESCE(e.k1, u.k1) AS k1"));
  list.Query(
      "join_two_keys_right",
      [](const Tables& t) {
        return E(t).join(t.users(), {"user_id", "k1"}, JoinType::kRight);
      },
      sql("RIGHT", "COALESCE(e.user_id, u.user_id) AS user_id, COALESCE(e.k1, u.k1) AS k1"));
  list.Query(
      "join_two_keys_semi",
      [](const Tables& t) {
        return E(t).join(t.users(), {"user_id", "k1"}, JoinType::kSemi);
      },
      kE + "SELECT * FROM e WHERE EXISTS (SELECT 1 FROM users u "
           "WHERE u.user_id = e.user_id AND u.k1 = e.k1)");
  list.Query(
      "join_two_keys_anti",
      [](const Tables& t) {
        return E(t).join(t.users(), {"user_id", "k1"}, JoinType::kAnti);
      },
      kE + "SELECT * FROM e WHERE NOT EXISTS (SELECT 1 FROM users u "
           "WHERE u.user_id = e.user_id AND u.k1 = e.k1)");
  list.Query(
      "join_three_keys_string",
      [](const Tables& t) {
        return E(t).join(t.users().select(Names{"user_id", "k1", "cat", "name"}),
                         {"user_id", "k1", "cat"}, JoinType::kLeft);
      },
      kE + "SELECT e.*, u.name FROM e LEFT JOIN users u "
           "ON e.user_id = u.user_id AND e.k1 = u.k1 AND e.cat = u.cat");
}

void AddKeyVariantCases(CaseList& list) {
  // Keys of different names: the left name stays.
  list.Query(
      "join_different_key_names",
      [](const Tables& t) {
        return E(t).join(t.users().rename({{"user_id", "uid"}}), {col("user_id")}, {col("uid")});
      },
      UserJoin("INNER", "e.user_id"));
  list.Query(
      "join_different_key_names_right",
      [](const Tables& t) {
        return E(t).join(t.users().rename({{"user_id", "uid"}}), {col("user_id")}, {col("uid")},
                         JoinType::kRight);
      },
      UserJoin("RIGHT", "COALESCE(e.user_id, u.user_id) AS user_id"));
  // String keys with '' and unicode and a null on both sides; an unmatched key ('toys').
  for (auto [name, type, how] :
       {std::tuple{"inner", JoinType::kInner, "INNER"}, std::tuple{"left", JoinType::kLeft, "LEFT"},
        std::tuple{"full", JoinType::kFull, "FULL"}}) {
    std::string key = type == JoinType::kFull ? "COALESCE(e.cat, s.cat) AS cat" : "e.cat";
    list.Query(
        std::string("join_string_key_") + name,
        // A copy: clang 14 cannot capture a structured binding.
        [how_type = type](const Tables& t) { return E(t).join(t.small(), {"cat"}, how_type); },
        kE + "SELECT e.id, e.user_id, e.k1, " + key +
            ", e.revenue, s.k, s.label, s.w "
            "FROM e " +
            how + " JOIN small s ON e.cat = s.cat");
  }
  list.Query(
      "join_string_key_anti",
      [](const Tables& t) { return E(t).join(t.small(), {"cat"}, JoinType::kAnti); },
      kE + "SELECT * FROM e WHERE NOT EXISTS (SELECT 1 FROM small s WHERE s.cat = e.cat)");
  // Expression keys: no key column is dropped.
  list.Query(
      "join_expression_key",
      [](const Tables& t) { return E(t).join(t.small(), {col("k1") + 1}, {col("k")}); },
      kE + "SELECT e.*, s.k, s.cat AS cat_right, s.label, s.w FROM e "
           "JOIN small s ON e.k1 + 1 = s.k");
  list.Query(
      "join_both_expression_keys",
      [](const Tables& t) {
        return E(t).join(t.small().select(Names{"k", "label"}), {col("k1") * 2}, {col("k") + 1},
                         JoinType::kLeft);
      },
      kE + "SELECT e.*, s.k, s.label FROM e LEFT JOIN small s ON e.k1 * 2 = s.k + 1");
  list.Query(
      "join_long_string_key",
      [](const Tables& t) {
        return t.users()
            .select(
                {col("user_id"), concat({lit("a-long-common-prefix/"), col("name")}).alias("key")})
            .join(
                t.users().select({concat({lit("a-long-common-prefix/"), col("name")}).alias("key"),
                                  col("tier")}),
                {"key"});
      },
      "SELECT a.user_id, a.key, b.tier FROM (SELECT user_id, 'a-long-common-prefix/' || name "
      "AS key FROM users) a JOIN (SELECT 'a-long-common-prefix/' || name AS key, tier FROM "
      "users) b ON a.key = b.key");
  // Keys of different integer types.
  list.Query(
      "join_int32_with_int64_key",
      [](const Tables& t) {
        return E(t).join(t.users().select({col("user_id").cast(Int64()), col("name")}),
                         {"user_id"});
      },
      kE + "SELECT e.*, u.name FROM e JOIN users u ON e.user_id = u.user_id");
  // Date keys.
  list.Query(
      "join_date_key",
      [](const Tables& t) {
        return t.events()
            .select(Names{"id", "d"})
            .join(t.users().select(Names{"signup", "user_id"}), {col("d")}, {col("signup")});
      },
      "SELECT e.id, e.d, u.user_id FROM events e JOIN users u ON e.d = u.signup");
  // Duplicate and null keys on both sides.
  list.Query(
      "join_small_self_inner", [](const Tables& t) { return t.small().join(t.small(), {"k"}); },
      "SELECT a.k, a.cat, a.label, a.w, b.cat AS cat_right, b.label AS label_right, "
      "b.w AS w_right FROM small a JOIN small b ON a.k = b.k");
  list.Query(
      "join_small_self_full",
      [](const Tables& t) { return t.small().join(t.small(), {"k"}, JoinType::kFull); },
      "SELECT COALESCE(a.k, b.k) AS k, a.cat, a.label, a.w, b.cat AS cat_right, "
      "b.label AS label_right, b.w AS w_right FROM small a FULL JOIN small b ON a.k = b.k");
  list.Query(
      "join_events_self_on_id",
      [](const Tables& t) {
        return t.events()
            .select(Names{"id", "s"})
            .join(t.events().select(Names{"id", "ts", "s"}), {"id"});
      },
      "SELECT a.id, a.s, b.ts, b.s AS s_right FROM events a JOIN events b ON a.id = b.id");
  // Empty sides.
  list.Query(
      "join_empty_right_inner",
      [](const Tables& t) { return E(t).join(t.users().filter(col("user_id") < 0), {"user_id"}); },
      kE + "SELECT e.id, e.user_id, e.k1, e.cat, e.revenue, " + kUserColumns +
          " FROM e JOIN (SELECT * FROM users WHERE user_id < 0) u ON e.user_id = u.user_id");
  list.Query(
      "join_empty_right_left",
      [](const Tables& t) {
        return E(t).join(t.users().filter(col("user_id") < 0), {"user_id"}, JoinType::kLeft);
      },
      kE + "SELECT e.id, e.user_id, e.k1, e.cat, e.revenue, " + kUserColumns +
          " FROM e LEFT JOIN (SELECT * FROM users WHERE user_id < 0) u "
          "ON e.user_id = u.user_id");
  list.Query(
      "join_empty_left_full",
      [](const Tables& t) {
        return E(t).filter(col("id") < 0).join(t.small(), {"cat"}, JoinType::kFull);
      },
      kE + "SELECT e.id, e.user_id, e.k1, COALESCE(e.cat, s.cat) AS cat, e.revenue, s.k, "
           "s.label, s.w FROM (SELECT * FROM e WHERE id < 0) e FULL JOIN small s "
           "ON e.cat = s.cat");
}

void AddCrossAndComposedCases(CaseList& list) {
  list.Query(
      "cross_join_small", [](const Tables& t) { return t.small().cross_join(t.small()); },
      "SELECT a.k, a.cat, a.label, a.w, b.k AS k_right, b.cat AS cat_right, "
      "b.label AS label_right, b.w AS w_right FROM small a CROSS JOIN small b");
  list.Query(
      "cross_join_events_small",
      [](const Tables& t) {
        return t.events()
            .filter(col("id") < 300)
            .select(Names{"id", "cat"})
            .cross_join(t.small().select(Names{"k", "label"}));
      },
      "SELECT e.id, e.cat, s.k, s.label FROM events e CROSS JOIN small s WHERE e.id < 300");
  list.Query(
      "cross_join_suffix",
      [](const Tables& t) {
        return t.small().select(Names{"k"}).cross_join(t.small().select(Names{"k"}), "_2");
      },
      "SELECT a.k, b.k AS k_2 FROM small a CROSS JOIN small b");
  list.Query(
      "cross_join_then_filter",
      [](const Tables& t) {
        return t.small().cross_join(t.small()).filter(col("w") < col("w_right"));
      },
      "SELECT a.k, a.cat, a.label, a.w, b.k AS k_right, b.cat AS cat_right, "
      "b.label AS label_right, b.w AS w_right FROM small a CROSS JOIN small b "
      "WHERE a.w < b.w");
  list.Query(
      "join_then_group",
      [](const Tables& t) {
        return E(t)
            .join(t.users().select(Names{"user_id", "country"}), {"user_id"})
            .group_by(Names{"country"})
            .agg({col("revenue").sum().alias("rev"), count_rows().alias("n"),
                  col("user_id").n_unique().alias("users")});
      },
      "SELECT u.country, sum(e.revenue) AS rev, count(*) AS n, "
      "count(DISTINCT e.user_id) AS users FROM events e JOIN users u "
      "ON e.user_id = u.user_id GROUP BY u.country");
  list.Query(
      "join_aggregated_side",
      [](const Tables& t) {
        return t.events()
            .group_by(Names{"user_id"})
            .agg({col("revenue").sum().alias("rev")})
            .join(t.users().select(Names{"user_id", "name", "tier"}), {"user_id"}, JoinType::kLeft);
      },
      "SELECT a.user_id, a.rev, u.name, u.tier FROM (SELECT user_id, sum(revenue) AS rev "
      "FROM events GROUP BY user_id) a LEFT JOIN users u ON a.user_id = u.user_id");
  list.Query(
      "join_chain",
      [](const Tables& t) {
        return E(t)
            .join(t.users().select(Names{"user_id", "country"}), {"user_id"})
            .join(t.small().select(Names{"cat", "label"}), {"cat"}, JoinType::kLeft);
      },
      kE + "SELECT e.*, u.country, s.label FROM e JOIN users u ON e.user_id = u.user_id "
           "LEFT JOIN small s ON e.cat = s.cat");
  list.Query(
      "join_then_sort_limit",
      [](const Tables& t) {
        return E(t)
            .join(t.users().select(Names{"user_id", "score"}), {"user_id"})
            .sort({SortKey{col("score"), true, true}, SortKey{col("id"), false, true}})
            .head(50);
      },
      kE + "SELECT e.*, u.score FROM e JOIN users u ON e.user_id = u.user_id "
           "ORDER BY u.score DESC NULLS LAST, e.id LIMIT 50",
      true);
  list.Query(
      "join_of_filtered_sides",
      [](const Tables& t) {
        return E(t)
            .filter(col("revenue") > 900.0)
            .join(t.users().filter(col("tier") == 1).select(Names{"user_id", "tier"}), {"user_id"},
                  JoinType::kFull);
      },
      kE + "SELECT e.id, COALESCE(e.user_id, u.user_id) AS user_id, e.k1, e.cat, "
           "e.revenue, u.tier FROM (SELECT * FROM e WHERE revenue > 900) e FULL JOIN "
           "(SELECT user_id, tier FROM users WHERE tier = 1) u ON e.user_id = u.user_id");
}

}  // namespace

void AddJoinCases(CaseList& list) {
  AddSingleKeyCases(list);
  AddMultiKeyCases(list);
  AddKeyVariantCases(list);
  AddCrossAndComposedCases(list);
}

}  // namespace sluice::diff
