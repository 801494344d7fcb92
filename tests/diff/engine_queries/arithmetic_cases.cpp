// Arithmetic on every numeric type (signed and unsigned integers of each width, float32/64,
// decimals) alone and mixed, with literals, integer overflow (an error in sluice, as in DuckDB),
// and division and modulo semantics.
//
// The data keeps values small enough that sums and products of the chosen pairs fit their result
// type whatever the promotion rule (e.g. i8 in [-100, 100], i16 in [-30000, 30000], i32 in
// [-1e6, 1e6]), except in the overflow cases, which overflow on purpose. Integer literals in the
// SQL are cast to INTEGER where DuckDB would otherwise narrow them to the column's type.
#include "case.h"

namespace sluice::diff {

void AddArithmeticCases(CaseList& list) {
  // Same-type integer arithmetic.
  list.Rows("add_i32_i32", {{col("i32") + col("i32"), "i32 + i32"}});
  list.Rows("sub_i64_i64", {{col("i64") - col("i64") % 1000, "i64 - i64 % 1000"}});
  list.Rows("mul_i16_i16_widened",
            {{col("i16").cast(Int32()) * col("i16"), "i16::INTEGER * i16::INTEGER"}});
  list.Rows("add_u8_u16", {{col("u8") + col("u16"), "u8 + u16"}});
  list.Rows("add_u32_u8", {{col("u32").cast(UInt64()) + col("u8"), "u32::UBIGINT + u8"}});
  list.Rows("mul_u16_u8",
            {{col("u16").cast(UInt32()) * col("u8"), "u16::UINTEGER * u8::UINTEGER"}});
  // Mixed widths and signedness: the result holds every value of both types.
  list.Rows("add_i8_i16", {{col("i8") + col("i16"), "i8 + i16"}});
  list.Rows("add_i16_i32", {{col("i16") + col("i32"), "i16 + i32"}});
  list.Rows("sub_i64_i32", {{col("i64") - col("i32"), "i64 - i32"}});
  list.Rows("mul_i32_i8", {{col("i32") * col("i8"), "i32 * i8"}});
  list.Rows("mul_i64_i16", {{col("i64") * col("i16"), "i64 * i16"}});
  list.Rows("add_u32_i32", {{col("u32") + col("i32"), "u32 + i32"}});
  list.Rows("add_u8_i8", {{col("u8") + col("i8"), "u8 + i8"}});
  list.Rows("sub_u16_i16", {{col("u16") - col("i16"), "u16 - i16"}});
  list.Rows("add_i64_u32", {{col("i64") + col("u32"), "i64 + u32"}});
  list.RowsWhere("sub_u64_i64",
                 col("u64") < lit(Scalar{UInt64(), uint64_t{9000000000000000000ULL}}),
                 "u64 < 9000000000000000000::UBIGINT", {{col("u64") - col("i64"), "u64 - i64"}});
  // Floats, and integers with floats.
  list.Rows("add_f64_f64", {{col("f64") + col("revenue"), "f64 + revenue"}});
  list.Rows("sub_f32_f32", {{col("f32") - col("f32") * 0.5, "f32 - f32 * 0.5::DOUBLE"}});
  list.Rows("add_f64_f32", {{col("f64") + col("f32"), "f64 + f32"}});
  list.Rows("mul_f64_i32", {{col("f64") * col("i32"), "f64 * i32"}});
  list.Rows("add_i64_f64", {{col("i64") + col("f64"), "i64 + f64"}});
  list.Rows("mul_u64_f64", {{col("u64") * col("f64"), "u64 * f64"}});
  list.Rows("sub_f32_i16", {{col("f32") - col("i16"), "f32::DOUBLE - i16"}});
  // Decimals: exact, with the scale the operation implies.
  list.Rows("add_dec_dec", {{col("dec") + col("dec"), "dec + dec"}});
  list.Rows("sub_dec30_dec", {{col("dec30") - col("dec"), "dec30 - dec"}});
  list.Rows("mul_dec_dec", {{col("dec") * col("dec"), "dec * dec"}});
  list.Rows("add_dec_i32", {{col("dec") + col("i32"), "dec + i32"}});
  list.Rows("mul_dec_i8", {{col("dec") * col("i8"), "dec * i8"}});
  list.Rows("add_dec_f64", {{col("dec") + col("f64"), "dec::DOUBLE + f64"}});
  list.Rows("mul_dec30_i16", {{col("dec30") * col("i16"), "dec30 * i16"}});
  // Literals on either side.
  list.Rows("literal_int_ops", {{col("i32") + 1, "i32 + 1"},
                                {10 - col("i16"), "10::INTEGER - i16"},
                                {col("i64") * 3, "i64 * 3"},
                                {col("i8") + lit(int64_t{1000}), "i8 + 1000::BIGINT"}});
  list.Rows("literal_float_ops", {{col("revenue") * 0.8, "revenue * 0.8::DOUBLE"},
                                  {1.5 - col("f64"), "1.5::DOUBLE - f64"},
                                  {col("i32") * 0.5, "i32 * 0.5::DOUBLE"},
                                  {col("f32") + 0.25, "f32 + 0.25::DOUBLE"}});
  list.Rows("literal_decimal_ops", {{col("dec") + 1, "dec + 1"}, {col("dec") * 2, "dec * 2"}});
  list.Rows("precedence",
            {{(col("i32") + col("i16")) * col("i8") - 3, "(i32 + i16) * i8 - 3"},
             {col("i32") + col("i16").cast(Int32()) * col("i8"), "i32 + i16::INTEGER * i8"},
             {-(col("f64") - col("revenue")) * 2.0, "-(f64 - revenue) * 2.0::DOUBLE"}});
  // Negation of every family.
  list.Rows("negate", {{-col("i8"), "-i8"},
                       {-col("i32"), "-i32"},
                       {-col("i64"), "-i64"},
                       {-col("f64"), "-f64"},
                       {-col("dec"), "-dec"}});
  // Special floats propagate (NaN stays NaN, Infinity, -0.0).
  list.Rows("special_floats_arithmetic", {{col("fs") + 1.0, "fs + 1.0::DOUBLE"},
                                          {col("fs") * -2.0, "fs * -2.0::DOUBLE"},
                                          {col("fs") - col("fs"), "fs - fs"}});
  // Division: `/` of integers is float64 (as DuckDB's and Python's true division).
  list.RowsWhere("div_i32_i8", col("i8") != 0, "i8 <> 0", {{col("i32") / col("i8"), "i32 / i8"}});
  list.RowsWhere("div_i64_i32", col("i32") != 0, "i32 <> 0",
                 {{col("i64") / col("i32"), "i64 / i32"}});
  list.RowsWhere("div_u32_u8", col("u8") != 0, "u8 <> 0", {{col("u32") / col("u8"), "u32 / u8"}});
  list.RowsWhere("integer_divide_call", col("i8") != 0, "i8 <> 0",
                 {{call("integer_divide", {col("i32"), col("i8")}), "i32 // i8"}});
  list.Rows("div_int_literal",
            {{col("i32") / 7, "i32 / 7"}, {100 / (col("k1") + 1), "100 / (k1 + 1)"}});
  list.RowsWhere("div_f64_f64", col("revenue") != 0.0, "revenue <> 0",
                 {{col("f64") / col("revenue"), "f64 / revenue"}});
  list.Rows("div_f64_literal", {{col("f64") / 4.0, "f64 / 4.0::DOUBLE"}});
  list.RowsWhere("div_dec_dec", col("dec") != 0, "dec <> 0",
                 {{col("dec30") / col("dec"), "dec30::DOUBLE / dec::DOUBLE"}});
  list.Tolerance(1e-6);  // decimal division keeps a finite scale
  // Float division by zero is IEEE: +-Infinity or NaN.
  list.Rows("div_f64_by_zero", {{col("f64") / 0.0, "f64 / 0.0::DOUBLE"}});
  // Integer division by zero is an error in sluice; DuckDB returns NULL/Infinity (no DuckDB side).
  list.Error(
      "div_int_by_zero_error",
      [](const Tables& t) { return EventsRows(t, {col("i32") / (col("k1") - col("k1"))}); }, "",
      "zero");
  // Modulo: the sign of the dividend (C, DuckDB), floats by fmod.
  list.RowsWhere("mod_i32_i8", col("i8") != 0, "i8 <> 0", {{col("i32") % col("i8"), "i32 % i8"}});
  list.Rows("mod_i64_literal", {{col("i64") % 1000, "i64 % 1000"}, {col("i16") % -7, "i16 % -7"}});
  list.Rows("mod_u64_literal", {{col("u64") % 1000, "u64 % 1000"}});
  list.Rows("mod_f64",
            {{col("f64") % 7.5, "f64 % 7.5::DOUBLE"}});  // not DuckDB's fmod(), which floors
  // ... and a zero divisor gives null (DuckDB too).
  list.Rows("mod_int_by_zero_is_null", {{col("i32") % (col("k1") - col("k1")), "i32 % (k1 - k1)"}});
  // Overflow is an error, never a wrap (DuckDB agrees).
  list.Error(
      "overflow_i64_mul", [](const Tables& t) { return EventsRows(t, {col("big") * 2}); },
      "SELECT id, big * 2 FROM events", "overflow");
  list.Error(
      "overflow_i64_add", [](const Tables& t) { return EventsRows(t, {col("big") + col("big")}); },
      "SELECT id, big + big FROM events", "overflow");
  list.Error(
      "overflow_i64_sub", [](const Tables& t) { return EventsRows(t, {-col("big") - col("big")}); },
      "SELECT id, -big - big FROM events", "overflow");
  list.Error(
      "overflow_i32_mul", [](const Tables& t) { return EventsRows(t, {col("i32") * col("i32")}); },
      "SELECT id, i32 * i32 FROM events", "overflow");
  list.Error(
      "overflow_i8_add", [](const Tables& t) { return EventsRows(t, {col("i8") + col("i8")}); },
      "SELECT id, i8 + i8 FROM events", "overflow");
  list.Error(
      "overflow_u8_sub",
      [](const Tables& t) { return EventsRows(t, {col("u8") - col("u8") - col("u8")}); },
      "SELECT id, u8 - u8 - u8 FROM events", "overflow");
  list.Error(
      "overflow_u32_add", [](const Tables& t) { return EventsRows(t, {col("u32") + col("u32")}); },
      "SELECT id, u32 + u32 FROM events", "overflow");
  // Values that would overflow but sit under nulls, or in rows a filter drops, are no errors.
  list.RowsWhere("no_overflow_under_nulls", col("id") % 50 == 0, "id % 50 = 0",
                 {{col("big") + col("big"), "big + big"}});
  list.RowsWhere("no_overflow_in_filtered_rows", col("big") < 0, "big < 0",
                 {{col("big") * 4, "big * 4"}});
  list.RowsWhere("near_overflow_ok", col("big").is_not_null(), "big IS NOT NULL",
                 {{col("big") - int64_t{4611686018427387904} + col("big"),
                   "big - 4611686018427387904 + big"}});
  // A branch that is not taken does not raise (SQL CASE evaluates only the rows it selects).
  list.Rows("overflow_in_branch_not_taken",
            {{when(col("big") < 0).then(col("big") * 2).otherwise(lit(int64_t{0})),
              "CASE WHEN big < 0 THEN big * 2 ELSE 0::BIGINT END"}});
  list.Rows("division_by_zero_in_branch_not_taken",
            {{when(col("i8") != 0).then(col("i32") % col("i8")).otherwise(col("i32")),
              "CASE WHEN i8 <> 0 THEN i32 % i8 ELSE i32 END"}});
}

}  // namespace sluice::diff
