// String functions over text with unicode (2-, 3- and 4-byte characters), empty strings, padding,
// delimiters and nulls: length, lower/upper, contains/starts_with/ends_with, slice/substring,
// replace, strip, concat, split_part, and the RE2 regular expressions (match, extract, replace).
//
// Semantics the SQL spells out where DuckDB's defaults differ from sluice's:
//   - concat is null when any argument is null: DuckDB's `||`, not its concat() (which skips
//     nulls).
//   - regex_extract is null when the pattern does not match: DuckDB's regexp_extract returns ''
//     then, so the SQL guards it with regexp_matches.
//   - regex_replace replaces every match: DuckDB needs the 'g' option.
//   - lengths count characters (code points), as DuckDB's length().
#include "case.h"

namespace sluice::diff {

namespace {

/// The SQL of regex_extract(s, pattern, group) with sluice's null-when-no-match.
std::string ExtractSql(const std::string& column, const std::string& pattern, int group) {
  return "CASE WHEN regexp_matches(" + column + ", '" + pattern + "') THEN regexp_extract(" +
         column + ", '" + pattern + "', " + std::to_string(group) + ") END";
}

}  // namespace

void AddStringCases(CaseList& list) {
  list.Rows("str_length", {{col("s").str().len_chars(), "length(s)"},
                           {col("cat").str().len_chars(), "length(cat)"}});
  list.Rows("str_octet_length", {{col("s").str().len_bytes(), "strlen(s)"}});
  list.Rows("str_length_via_call", {{call("length", {col("s")}), "length(s)"}});
  list.Rows("str_lower", {{col("s").str().lower(), "lower(s)"}});
  list.Rows("str_upper", {{col("s").str().upper(), "upper(s)"}});
  list.Rows("str_case_categories",
            {{col("cat").str().upper(), "upper(cat)"}, {col("cat").str().lower(), "lower(cat)"}});
  list.Rows("str_contains", {{col("s").str().contains("a"), "contains(s, 'a')"},
                             {col("s").str().contains("🦆"), "contains(s, '🦆')"},
                             {col("s").str().contains("."), "contains(s, '.')"},
                             {col("s").str().contains(""), "contains(s, '')"}});
  list.Rows("str_starts_with", {{col("s").str().starts_with("order"), "starts_with(s, 'order')"},
                                {col("s").str().starts_with(" "), "starts_with(s, ' ')"},
                                {col("cat").str().starts_with("É"), "starts_with(cat, 'É')"}});
  list.Rows("str_ends_with", {{col("s").str().ends_with("#1"), "ends_with(s, '#1')"},
                              {col("s").str().ends_with(" "), "ends_with(s, ' ')"},
                              {col("s").str().ends_with("🦆"), "ends_with(s, '🦆')"}});
  list.RowsWhere("filter_contains", col("s").str().contains("duck"), "contains(s, 'duck')",
                 {{col("s"), "s"}});
  // slice is 0-based with a length; negative offsets count from the end (SQL substring is
  // 1-based: offset k >= 0 is start k + 1, and -k is -k in both).
  list.Rows("str_slice_prefix", {{col("s").str().slice(0, 3), "substring(s, 1, 3)"}});
  list.Rows("str_slice_middle", {{col("s").str().slice(2, 5), "substring(s, 3, 5)"}});
  list.Rows("str_slice_past_end", {{col("s").str().slice(4, 100), "substring(s, 5, 100)"}});
  list.RowsWhere("str_slice_negative", col("s").str().len_chars() >= 3, "length(s) >= 3",
                 {{col("s").str().slice(-3, 2), "substring(s, -3, 2)"}});
  list.Rows("str_substring_call",
            {{call("substring", {col("s"), lit(2), lit(3)}), "substring(s, 2, 3)"}});
  list.Rows("str_replace", {{col("s").str().replace(" ", "_"), "replace(s, ' ', '_')"},
                            {col("s").str().replace("repeat", "R"), "replace(s, 'repeat', 'R')"},
                            {col("s").str().replace("ä", ""), "replace(s, 'ä', '')"}});
  list.Rows("str_strip", {{col("s").str().strip(), "trim(s)"},
                          {col("s").str().lstrip(), "ltrim(s)"},
                          {col("s").str().rstrip(), "rtrim(s)"}});
  list.Rows("str_concat", {{concat({col("s"), lit("-"), col("cat")}), "s || '-' || cat"}});
  list.Rows("str_concat_with_cast",
            {{concat({col("k2"), col("k1").cast(Utf8()), lit("/"), col("cat")}),
              "k2 || k1::VARCHAR || '/' || cat"}});
  list.Rows("str_concat_unicode",
            {{concat({col("cat"), lit("→"), col("cat")}), "cat || '→' || cat"}});
  list.Rows("str_split_part",
            {{col("parts").str().split_part("|", 1), "split_part(parts, '|', 1)"},
             {col("parts").str().split_part("|", 2), "split_part(parts, '|', 2)"},
             {col("parts").str().split_part("|", 3), "split_part(parts, '|', 3)"}});
  list.Rows("str_split_part_out_of_range",
            {{col("parts").str().split_part("|", 4), "split_part(parts, '|', 4)"}});
  list.Rows("str_split_part_space", {{col("s").str().split_part(" ", 2), "split_part(s, ' ', 2)"}});
  list.Rows("str_split_part_multichar",
            {{col("s").str().split_part("ea", 2), "split_part(s, 'ea', 2)"}});
  // Regular expressions (RE2 in both engines).
  list.Rows("regex_match",
            {{col("s").str().regex_match("[0-9]+"), "regexp_matches(s, '[0-9]+')"},
             {col("s").str().regex_match("^[A-Z]"), "regexp_matches(s, '^[A-Z]')"},
             {col("s").str().regex_match("(?i)hello"), "regexp_matches(s, '(?i)hello')"}});
  list.Rows("regex_match_unicode",
            {{col("s").str().regex_match("\\p{Greek}"), "regexp_matches(s, '\\p{Greek}')"},
             {col("s").str().regex_match("^.{3}$"), "regexp_matches(s, '^.{3}$')"}});
  list.RowsWhere("filter_regex", col("s").str().regex_match("#[0-9]{2}$"),
                 "regexp_matches(s, '#[0-9]{2}$')", {{col("s"), "s"}});
  list.Rows("regex_extract_group",
            {{col("s").str().regex_extract("#([0-9]+)", 1), ExtractSql("s", "#([0-9]+)", 1)},
             {col("s").str().regex_extract("([a-z]+)@([a-z]+)", 2),
              ExtractSql("s", "([a-z]+)@([a-z]+)", 2)}});
  list.Rows("regex_extract_whole",
            {{col("s").str().regex_extract("[0-9]+", 0), ExtractSql("s", "[0-9]+", 0)}});
  list.Rows("regex_extract_parts", {{col("parts").str().regex_extract("^([0-9]+)\\|", 1),
                                     ExtractSql("parts", "^([0-9]+)\\|", 1)}});
  list.Rows(
      "regex_replace",
      {{col("s").str().regex_replace("[aeiou]", "*"), "regexp_replace(s, '[aeiou]', '*', 'g')"},
       {col("s").str().regex_replace("\\s+", " "), "regexp_replace(s, '\\s+', ' ', 'g')"}});
  // The SQL function regexp_replace replaces the first match, or every match with the 'g' option
  // (DuckDB, Postgres); the C++ API's regex_replace replaces every match.
  list.Rows("regexp_replace_call_first_match",
            {{call("regexp_replace", {col("s"), lit("[aeiou]"), lit("*")}),
              "regexp_replace(s, '[aeiou]', '*')"}});
  list.Rows("regexp_replace_call_global",
            {{call("regexp_replace", {col("s"), lit("[aeiou]"), lit("*"), lit("g")}),
              "regexp_replace(s, '[aeiou]', '*', 'g')"}});
  list.Rows("regex_replace_backreference",
            {{col("s").str().regex_replace("([a-z]+)@([a-z]+)", "\\2 at \\1"),
              "regexp_replace(s, '([a-z]+)@([a-z]+)', '\\2 at \\1', 'g')"}});
  list.Rows("regex_replace_unicode", {{col("s").str().regex_replace("🦆", "duck"),
                                       "regexp_replace(s, '🦆', 'duck', 'g')"}});
  list.Error(
      "regex_invalid_pattern_error",
      [](const Tables& t) { return EventsRows(t, {col("s").str().regex_match("(")}); },
      "SELECT id, regexp_matches(s, '(') FROM events");
  list.Rows("like_ilike", {{call("like", {col("s"), lit("%a%")}), "s LIKE '%a%'"},
                           {call("like", {col("s"), lit("_e%")}), "s LIKE '_e%'"},
                           {call("ilike", {col("s"), lit("%HELLO%")}), "s ILIKE '%HELLO%'"}});
  // Long values (past the 12 bytes a string view holds inline) with a common prefix.
  list.Rows(
      "str_long_values",
      {{concat({lit("a-long-common-prefix/"), col("s"), col("s")}).str().upper(),
        "upper('a-long-common-prefix/' || s || s)"},
       {concat({col("s"), col("s"), col("s")}).str().slice(10, 20),
        "substring(s || s || s, 11, 20)"},
       {concat({col("s"), col("cat"), col("s")}).str().len_chars(), "length(s || cat || s)"}});
  // Compositions.
  list.Rows(
      "str_composed",
      {{col("s").str().strip().str().upper().str().slice(0, 4), "substring(upper(trim(s)), 1, 4)"},
       {col("cat").str().len_chars() + col("k2").str().len_chars(), "length(cat) + length(k2)"}});
  list.Rows("str_on_literal", {{lit("Straße").str().upper(), "upper('Straße')"},
                               {concat({lit("a"), lit("b")}), "'a' || 'b'"}});
  list.Rows("str_min_max_compare", {{col("s") < col("cat"), "s < cat"}});
}

}  // namespace sluice::diff
