// Math functions: abs, round (half away from zero, as DuckDB's for doubles and decimals), floor,
// ceil, sqrt, ln, log10, exp, pow, sign, and hash (checked through its consistency with value
// equality, since no other engine computes sluice's hash).
//
// A float literal against a float32 column is a float32 (kernels/kernel_util.h), so `f32 / 100.0`
// divides in float32: the SQL casts its literal to FLOAT too.
//
// Domains: DuckDB raises an error for sqrt of a negative and for logarithms of zero or negatives;
// these cases stay inside the domain (sluice's answer outside it is checked by its own tests).
#include "case.h"

namespace sluice::diff {

void AddMathCases(CaseList& list) {
  list.Rows("abs_every_type", {{col("i8").abs(), "abs(i8)"},
                               {col("i32").abs(), "abs(i32)"},
                               {col("i64").abs(), "abs(i64)"},
                               {col("f64").abs(), "abs(f64)"},
                               {col("f32").abs(), "abs(f32)"},
                               {col("dec").abs(), "abs(dec)"}});
  list.Rows("abs_unsigned", {{col("u32").abs(), "abs(u32)"}});
  list.Rows("round_float", {{col("f64").round(), "round(f64)"},
                            {col("f64").round(1), "round(f64, 1)"},
                            {col("revenue").round(2), "round(revenue, 2)"}});
  list.Rows("round_halves", {{(col("i32") / 2).round(), "round(i32 / 2)"},
                             {(col("i8") / 4).round(1), "round(i8 / 4, 1)"}});
  list.Rows("round_negative_digits", {{col("f64").round(-2), "round(f64, -2)"}});
  list.Rows("round_decimal", {{col("dec").round(1), "round(dec, 1)"},
                              {col("dec").round(), "round(dec, 0)"},
                              {col("dec30").round(3), "round(dec30, 3)"}});
  list.Rows("round_f32", {{col("f32").round(1), "round(f32::DOUBLE, 1)"}});
  list.Rows("round_int", {{col("i32").round(), "i32"}});
  list.Rows("floor_ceil_float", {{col("f64").floor(), "floor(f64)"},
                                 {col("f64").ceil(), "ceil(f64)"},
                                 {(col("f32") / 3.0).floor(), "floor(f32 / 3.0::FLOAT)"}});
  list.Rows("floor_ceil_decimal",
            {{col("dec").floor(), "floor(dec)"}, {col("dec").ceil(), "ceil(dec)"}});
  list.Rows("floor_ceil_int", {{col("i16").floor(), "i16"}, {col("i16").ceil(), "i16"}});
  list.Rows("floor_special", {{col("fs").floor(), "floor(fs)"}, {col("fs").ceil(), "ceil(fs)"}});
  list.RowsWhere("sqrt_nonnegative", col("revenue") >= 0.0, "revenue >= 0",
                 {{col("revenue").sqrt(), "sqrt(revenue)"}});
  list.RowsWhere("sqrt_int", col("u16").is_not_null(), "u16 IS NOT NULL",
                 {{col("u16").sqrt(), "sqrt(u16)"}});
  list.RowsWhere(
      "ln_log10_positive", col("revenue") > 0.0, "revenue > 0",
      {{col("revenue").ln(), "ln(revenue)"}, {col("revenue").log10(), "log10(revenue)"}});
  list.RowsWhere("ln_int_positive", col("u32") > 0, "u32 > 0", {{col("u32").ln(), "ln(u32)"}});
  list.Rows("exp", {{(col("f64") / 1000.0).exp(), "exp(f64 / 1000.0::DOUBLE)"},
                    {(col("i8") / 10).exp(), "exp(i8 / 10)"}});
  list.Rows("pow_float", {{col("revenue").pow(lit(0.5)), "pow(revenue, 0.5::DOUBLE)"},
                          {col("f64").pow(lit(2.0)), "pow(f64, 2.0::DOUBLE)"}});
  list.Rows("pow_int",
            {{col("i8").pow(lit(2)), "pow(i8, 2)"}, {col("k1").pow(col("k1")), "pow(k1, k1)"}});
  list.Rows("pow_columns", {{(col("f32") / 100.0).pow(col("k1")), "pow(f32 / 100.0::FLOAT, k1)"}});
  list.Rows("sign", {{col("i32").sign(), "sign(i32)"},
                     {col("f64").sign(), "sign(f64)"},
                     {col("i8").sign(), "sign(i8)"}});
  list.Rows("sign_decimal", {{col("dec").sign(), "sign(dec)"}});
  list.Rows("math_composed",
            {{(col("revenue").abs() + 1.0).ln().round(3), "round(ln(abs(revenue) + 1), 3)"},
             {(col("f64").abs().sqrt() * col("f64").sign()).floor(),
              "floor(sqrt(abs(f64)) * sign(f64))"}});
  list.Rows("math_via_call", {{call("abs", {col("f64")}), "abs(f64)"},
                              {call("round", {col("f64"), lit(2)}), "round(f64, 2)"}});
  // hash: equal values hash equal, so grouping by (s, hash(s)) has as many groups as by s, and
  // each string has one hash.
  list.Query(
      "hash_consistent_with_equality",
      [](const Tables& t) {
        return t.events()
            .filter(col("s").is_not_null())
            .group_by(Names{"s"})
            .agg({col("s").hash().n_unique().alias("hashes")});
      },
      "SELECT s, 1 AS hashes FROM events WHERE s IS NOT NULL GROUP BY s");
  list.Query(
      "hash_distinct_count",
      [](const Tables& t) {
        return t.events()
            .filter(col("i64").is_not_null())
            .select({col("i64").hash().n_unique().alias("n"), col("i64").n_unique().alias("m")});
      },
      "SELECT count(DISTINCT i64) AS n, count(DISTINCT i64) AS m FROM events "
      "WHERE i64 IS NOT NULL");
}

}  // namespace sluice::diff
