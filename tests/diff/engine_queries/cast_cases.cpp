// cast (strict: a value that does not convert is an error) and try_cast (null instead) between
// every family: integers of each width, floats, decimals, strings, dates, timestamps, bools —
// with good values, and with bad ones in error cases.
#include "case.h"

namespace sluice::diff {

namespace {

// Rows of num_str that hold integers: i % 6 in (0, 1) ("123", "-45").
Expr IntegerStrings() {
  return col("id") % 6 <= 1;
}
const char* kIntegerStringsSql = "id % 6 <= 1";

}  // namespace

void AddCastCases(CaseList& list) {
  // Integers to integers.
  list.Rows("cast_int_widening", {{col("i8").cast(Int64()), "i8::BIGINT"},
                                  {col("u32").cast(Int64()), "u32::BIGINT"},
                                  {col("u8").cast(Int16()), "u8::SMALLINT"},
                                  {col("i16").cast(Int32()), "i16::INTEGER"}});
  list.RowsWhere("cast_int_narrowing_in_range", col("i16").between(lit(-128), lit(127)),
                 "i16 BETWEEN -128 AND 127", {{col("i16").cast(Int8()), "i16::TINYINT"}});
  list.RowsWhere(
      "cast_signed_to_unsigned_in_range", col("i32") >= 0, "i32 >= 0",
      {{col("i32").cast(UInt32()), "i32::UINTEGER"}, {col("i32").cast(UInt64()), "i32::UBIGINT"}});
  list.Error(
      "cast_int_narrowing_out_of_range_error",
      [](const Tables& t) { return EventsRows(t, {col("i16").cast(Int8())}); },
      "SELECT id, i16::TINYINT FROM events", "cannot cast");
  list.Error(
      "cast_negative_to_unsigned_error",
      [](const Tables& t) { return EventsRows(t, {col("i8").cast(UInt8())}); },
      "SELECT id, i8::UTINYINT FROM events", "cannot cast");
  list.Error(
      "cast_u64_to_i64_error",
      [](const Tables& t) { return EventsRows(t, {col("u64").cast(Int64())}); },
      "SELECT id, u64::BIGINT FROM events", "cannot cast");
  list.Rows("try_cast_int_narrowing", {{col("i16").try_cast(Int8()), "TRY_CAST(i16 AS TINYINT)"},
                                       {col("i8").try_cast(UInt8()), "TRY_CAST(i8 AS UTINYINT)"},
                                       {col("u64").try_cast(Int64()), "TRY_CAST(u64 AS BIGINT)"},
                                       {col("i64").try_cast(Int32()), "TRY_CAST(i64 AS INTEGER)"}});
  // Integers and floats.
  list.Rows("cast_int_to_float", {{col("i64").cast(Float64()), "i64::DOUBLE"},
                                  {col("i32").cast(Float32()), "i32::FLOAT"},
                                  {col("u64").cast(Float64()), "u64::DOUBLE"}});
  list.Rows("cast_float_to_float", {{col("f32").cast(Float64()), "f32::DOUBLE"},
                                    {col("f64").cast(Float32()), "f64::FLOAT"}});
  // Floats to integers: values with fractions. DuckDB rounds to the nearest (half away from
  // zero); the SQL spells that out so the expected value does not hang on DuckDB's default.
  list.Rows("cast_float_to_int", {{col("f64").cast(Int64()), "round(f64)::BIGINT"},
                                  {col("f32").cast(Int32()), "round(f32)::INTEGER"}});
  list.Error(
      "cast_nan_inf_to_int_error",
      [](const Tables& t) { return EventsRows(t, {col("fs").cast(Int64())}); },
      "SELECT id, fs::BIGINT FROM events", "cannot cast");
  list.Rows("try_cast_special_floats_to_int",
            {{col("fs").try_cast(Int64()), "TRY_CAST(round(fs) AS BIGINT)"}});
  list.Error(
      "cast_float_out_of_range_error",
      [](const Tables& t) { return EventsRows(t, {(col("f64") * 1e20).cast(Int64())}); },
      "SELECT id, (f64 * 1e20)::BIGINT FROM events", "cannot cast");
  // Decimals.
  list.Rows("cast_int_to_decimal", {{col("i32").cast(Decimal(12, 2)), "i32::DECIMAL(12, 2)"},
                                    {col("i8").cast(Decimal(5, 0)), "i8::DECIMAL(5, 0)"}});
  list.Rows("cast_decimal_to_decimal",
            {{col("dec").cast(Decimal(20, 4)), "dec::DECIMAL(20, 4)"},
             {col("dec30").cast(Decimal(38, 10)), "dec30::DECIMAL(38, 10)"},
             {col("dec").cast(Decimal(12, 1)), "dec::DECIMAL(12, 1)"}});
  list.Rows("cast_decimal_to_float", {{col("dec").cast(Float64()), "dec::DOUBLE"},
                                      {col("dec30").cast(Float64()), "dec30::DOUBLE"}});
  list.Rows("cast_decimal_to_int", {{col("dec").cast(Int64()), "dec::BIGINT"}});
  list.Rows("cast_float_to_decimal",
            {{col("revenue").cast(Decimal(10, 2)), "revenue::DECIMAL(10, 2)"},
             {col("f32").cast(Decimal(9, 3)), "f32::DECIMAL(9, 3)"}});
  list.Error(
      "cast_decimal_overflow_error",
      [](const Tables& t) { return EventsRows(t, {col("dec").cast(Decimal(5, 2))}); },
      "SELECT id, dec::DECIMAL(5, 2) FROM events", "cannot cast");
  list.Rows("try_cast_decimal_overflow",
            {{col("dec").try_cast(Decimal(5, 2)), "TRY_CAST(dec AS DECIMAL(5, 2))"}});
  // To strings.
  list.Rows("cast_int_to_string", {{col("i32").cast(Utf8()), "i32::VARCHAR"},
                                   {col("u64").cast(Utf8()), "u64::VARCHAR"},
                                   {col("i8").cast(Utf8()), "i8::VARCHAR"}});
  list.Rows("cast_decimal_to_string", {{col("dec").cast(Utf8()), "dec::VARCHAR"},
                                       {col("dec30").cast(Utf8()), "dec30::VARCHAR"}});
  // sluice writes the shortest text that reads back as the same double, without DuckDB's ".0" on
  // integral values ("2907", DuckDB "2907.0").
  list.Rows("cast_float_to_string",
            {{col("f64").cast(Utf8()), "regexp_replace(f64::VARCHAR, '\\.0$', '')"}});
  list.Rows("cast_bool_to_string", {{col("b").cast(Utf8()), "b::VARCHAR"}});
  list.Rows("cast_date_to_string", {{col("d").cast(Utf8()), "d::VARCHAR"}});
  // sluice writes the fraction of a second in groups of three digits (".770", ".777770"), DuckDB
  // drops every trailing zero (".77", ".77777").
  list.Rows("cast_timestamp_to_string",
            {{col("ts").cast(Utf8()),
              "strftime(ts, '%Y-%m-%d %H:%M:%S') || CASE WHEN epoch_us(ts) % 1000000 = 0 THEN '' "
              "WHEN epoch_us(ts) % 1000 = 0 THEN '.' || lpad((epoch_us(ts) % 1000000 // "
              "1000)::VARCHAR, 3, '0') "
              "ELSE '.' || lpad((epoch_us(ts) % 1000000)::VARCHAR, 6, '0') END"}});
  // From strings: good values.
  list.RowsWhere("cast_string_to_int", IntegerStrings(), kIntegerStringsSql,
                 {{col("num_str").cast(Int32()), "num_str::INTEGER"},
                  {col("num_str").cast(Int64()), "num_str::BIGINT"}});
  list.RowsWhere("cast_string_to_float", IntegerStrings() || col("id") % 6 == 2, "id % 6 <= 2",
                 {{col("num_str").cast(Float64()), "num_str::DOUBLE"}});
  list.RowsWhere("cast_string_to_decimal", IntegerStrings() || col("id") % 6 == 2, "id % 6 <= 2",
                 {{col("num_str").cast(Decimal(10, 2)), "num_str::DECIMAL(10, 2)"}});
  list.RowsWhere("cast_string_to_bool", col("id") % 6 == 4, "id % 6 = 4",
                 {{col("num_str").cast(Bool()), "num_str::BOOLEAN"}});
  list.RowsWhere("cast_string_to_date", col("date_str") != "not a date", "date_str <> 'not a date'",
                 {{col("date_str").cast(Date32()), "date_str::DATE"}});
  list.Rows("cast_string_roundtrip_timestamp",
            {{col("ts").cast(Utf8()).cast(Timestamp(TimeUnit::kMicro)), "ts::VARCHAR::TIMESTAMP"}});
  list.Rows("cast_string_roundtrip_float",
            {{col("f64").cast(Utf8()).cast(Float64()), "f64::VARCHAR::DOUBLE"}});
  list.Tolerance(0);
  // From strings: bad values.
  list.Error(
      "cast_bad_string_to_int_error",
      [](const Tables& t) { return EventsRows(t, {col("num_str").cast(Int32())}); },
      "SELECT id, num_str::INTEGER FROM events", "cannot cast");
  list.Error(
      "cast_bad_string_to_date_error",
      [](const Tables& t) { return EventsRows(t, {col("date_str").cast(Date32())}); },
      "SELECT id, date_str::DATE FROM events", "cannot cast");
  list.Error(
      "cast_bad_string_to_float_error",
      [](const Tables& t) { return EventsRows(t, {col("s").cast(Float64())}); },
      "SELECT id, s::DOUBLE FROM events", "cannot cast");
  // try_cast from strings. sluice parses integers from integer text only ("12.5" is not an
  // integer), so the SQL keeps DuckDB from rounding such text.
  list.Rows("try_cast_string_to_int",
            {{col("num_str").try_cast(Int32()),
              "CASE WHEN regexp_full_match(num_str, '-?[0-9]+') THEN TRY_CAST(num_str AS INTEGER) "
              "END"}});
  list.Rows("try_cast_string_to_float",
            {{col("num_str").try_cast(Float64()), "TRY_CAST(num_str AS DOUBLE)"}});
  list.Rows("try_cast_string_to_date",
            {{col("date_str").try_cast(Date32()), "TRY_CAST(date_str AS DATE)"}});
  list.Rows("try_cast_text_to_int", {{col("s").try_cast(Int64()), "TRY_CAST(s AS BIGINT)"}});
  // Temporal and bool casts.
  list.Rows("cast_date_to_timestamp",
            {{col("d").cast(Timestamp(TimeUnit::kMicro)), "d::TIMESTAMP"}});
  list.Rows("cast_timestamp_to_date", {{col("ts").cast(Date32()), "ts::DATE"}});
  list.Rows("cast_bool_to_int",
            {{col("b").cast(Int32()), "b::INTEGER"}, {col("b2").cast(Float64()), "b2::DOUBLE"}});
  list.Rows("cast_int_to_bool", {{col("k1").cast(Bool()), "k1::BOOLEAN"}});
  list.Rows("cast_in_arithmetic",
            {{col("i8").cast(Int64()) * col("i64"), "i8::BIGINT * i64"},
             {col("s").is_null().cast(Int32()) + col("k1"), "(s IS NULL)::INTEGER + k1"}});
}

}  // namespace sluice::diff
