// The temporal functions (src/expr/kernels/temporal_functions.cpp, temporal_format.cpp,
// temporal_parse.cpp) through Bind + Evaluate: fields, date_trunc, strftime, strptime, for dates
// and timestamps of every unit, before and after 1970.
#include <gtest/gtest.h>
#include <sluice/error.h>

#include "expr/strings_test_util.h"

namespace sluice {
namespace {

using test::AsInts;
using test::AsStrings;
using test::Days;
using test::Eval;
using test::EvalInt;
using test::EvalString;
using test::IntColumn;
using test::Ints;
using test::Micros;
using test::StrColumn;
using test::Strings;

const std::nullopt_t kNull = std::nullopt;

std::string ErrorOf(const Expr& expr, const test::NamedColumns& columns = {}) {
  try {
    Eval(expr, columns);
  } catch (const Error& error) {
    return error.what();
  }
  return "no error";
}

Ints Field(const char* name, const Column& t) {
  Column out = Eval(call(name, {col("t")}), {{"t", t}});
  EXPECT_EQ(out.type, Int64());
  return AsInts(out);
}

TEST(TemporalFunctionsTest, FieldsOfDatesBeforeAndAfter1970) {
  Column d = IntColumn({Days(2024, 2, 29), Days(1969, 12, 31), kNull, Days(1900, 3, 1),
                        Days(1, 1, 1), Days(-44, 3, 15), 0},
                       Date32());
  EXPECT_EQ(Field("year", d), (Ints{2024, 1969, kNull, 1900, 1, -44, 1970}));
  EXPECT_EQ(Field("month", d), (Ints{2, 12, kNull, 3, 1, 3, 1}));
  EXPECT_EQ(Field("day", d), (Ints{29, 31, kNull, 1, 1, 15, 1}));
  EXPECT_EQ(Field("day_of_year", d), (Ints{60, 365, kNull, 60, 1, 75, 1}));
  // ISO weekday: 2024-02-29 Thursday, 1969-12-31 Wednesday, 1900-03-01 Thursday,
  // 0001-01-01 Monday, -0044-03-15 (proleptic Gregorian) Thursday, 1970-01-01 Thursday.
  EXPECT_EQ(Field("weekday", d), (Ints{4, 3, kNull, 4, 1, 4, 4}));
  EXPECT_EQ(Field("hour", d), (Ints{0, 0, kNull, 0, 0, 0, 0}));
}

TEST(TemporalFunctionsTest, WeekdayCountsMondayAsOneAndSundayAsSeven) {
  Column d = IntColumn({Days(2024, 3, 3), Days(2024, 3, 4), Days(2024, 3, 9)}, Date32());
  EXPECT_EQ(Field("weekday", d), (Ints{7, 1, 6}));
}

TEST(TemporalFunctionsTest, FieldsOfTimestampsInEveryUnit) {
  const int64_t us = Micros(1969, 12, 31, 23, 59, 59, 999'999);  // -1 microsecond.
  const int64_t later = Micros(2024, 5, 17, 13, 45, 27, 123'456);
  struct Case {
    TimeUnit unit;
    int64_t per_micro_num;  // value = micros * num / den
    int64_t per_micro_den;
  };
  for (Case c : {Case{TimeUnit::kSecond, 1, 1'000'000}, Case{TimeUnit::kMilli, 1, 1000},
                 Case{TimeUnit::kMicro, 1, 1}, Case{TimeUnit::kNano, 1000, 1}}) {
    SCOPED_TRACE(TimeUnitName(c.unit));
    auto convert = [&](int64_t micros) {
      // Floor, so that -1 us is the last second/millisecond of 1969 in coarser units.
      int64_t scaled = micros * c.per_micro_num;
      int64_t q = scaled / c.per_micro_den;
      if (scaled % c.per_micro_den != 0 && scaled < 0) --q;
      return q;
    };
    Column t = IntColumn({convert(us), convert(later), kNull}, Timestamp(c.unit));
    EXPECT_EQ(Field("year", t), (Ints{1969, 2024, kNull}));
    EXPECT_EQ(Field("month", t), (Ints{12, 5, kNull}));
    EXPECT_EQ(Field("day", t), (Ints{31, 17, kNull}));
    EXPECT_EQ(Field("hour", t), (Ints{23, 13, kNull}));
    EXPECT_EQ(Field("minute", t), (Ints{59, 45, kNull}));
    EXPECT_EQ(Field("second", t), (Ints{59, 27, kNull}));
    EXPECT_EQ(Field("weekday", t), (Ints{3, 5, kNull}));
    EXPECT_EQ(Field("day_of_year", t), (Ints{365, 138, kNull}));
  }
}

TEST(TemporalFunctionsTest, ZonedTimestampsGiveUtcFields) {
  Column t = IntColumn({Micros(2024, 1, 1, 23, 30)}, Timestamp(TimeUnit::kMicro, "Europe/Paris"));
  EXPECT_EQ(Field("hour", t), (Ints{23}));
  EXPECT_EQ(Field("day", t), (Ints{1}));
}

TEST(TemporalFunctionsTest, TimeOfDayHasHourMinuteSecond) {
  Column t =
      IntColumn({(13 * 3600 + 5 * 60 + 9) * int64_t{1'000'000} + 5}, Time64(TimeUnit::kMicro));
  EXPECT_EQ(Field("hour", t), (Ints{13}));
  EXPECT_EQ(Field("minute", t), (Ints{5}));
  EXPECT_EQ(Field("second", t), (Ints{9}));
  EXPECT_NE(ErrorOf(call("year", {col("t")}), {{"t", t}}).find("year expects a date or timestamp"),
            std::string::npos);
}

TEST(TemporalFunctionsTest, FieldsOfAConstantAndOfNull) {
  EXPECT_EQ(EvalInt(call("year", {lit_timestamp("1999-12-31 23:59:59")})), 1999);
  EXPECT_EQ(EvalInt(call("month", {lit_date("1815-06-18")})), 6);
  EXPECT_EQ(EvalInt(call("day", {lit_null(Timestamp(TimeUnit::kMicro))})), kNull);
  EXPECT_EQ(EvalInt(call("day", {lit_null(Utf8())})), kNull);
  EXPECT_NE(ErrorOf(call("year", {lit("2024-01-01")})).find("year('2024-01-01')"),
            std::string::npos);
}

Ints Trunc(const char* unit, const Column& t) {
  Column out = Eval(call("date_trunc", {lit(unit), col("t")}), {{"t", t}});
  EXPECT_EQ(out.type, t.type);
  return AsInts(out);
}

TEST(TemporalFunctionsTest, DateTruncOfATimestampToEveryUnit) {
  Column t =
      IntColumn({Micros(2024, 5, 17, 13, 45, 27, 123'456), kNull}, Timestamp(TimeUnit::kMicro));
  auto expect = [&](const char* unit, int64_t micros) {
    EXPECT_EQ(Trunc(unit, t), (Ints{micros, kNull})) << unit;
  };
  expect("microsecond", Micros(2024, 5, 17, 13, 45, 27, 123'456));
  expect("millisecond", Micros(2024, 5, 17, 13, 45, 27, 123'000));
  expect("second", Micros(2024, 5, 17, 13, 45, 27));
  expect("minute", Micros(2024, 5, 17, 13, 45));
  expect("hour", Micros(2024, 5, 17, 13));
  expect("day", Micros(2024, 5, 17));
  expect("week", Micros(2024, 5, 13));  // The Monday before Friday 2024-05-17.
  expect("month", Micros(2024, 5, 1));
  expect("quarter", Micros(2024, 4, 1));
  expect("year", Micros(2024, 1, 1));
  expect("decade", Micros(2020, 1, 1));
  expect("century", Micros(2000, 1, 1));
  expect("millennium", Micros(2000, 1, 1));
  expect("YEARS", Micros(2024, 1, 1));
  expect("mon", Micros(2024, 5, 1));
}

TEST(TemporalFunctionsTest, DateTruncRoundsDownBefore1970) {
  Column t = IntColumn({Micros(1969, 12, 31, 23, 59, 59, 500'000)}, Timestamp(TimeUnit::kMicro));
  EXPECT_EQ(Trunc("second", t), (Ints{Micros(1969, 12, 31, 23, 59, 59)}));
  EXPECT_EQ(Trunc("day", t), (Ints{Micros(1969, 12, 31)}));
  EXPECT_EQ(Trunc("week", t), (Ints{Micros(1969, 12, 29)}));
  EXPECT_EQ(Trunc("quarter", t), (Ints{Micros(1969, 10, 1)}));
  Column old = IntColumn({Days(-44, 3, 15)}, Date32());
  EXPECT_EQ(Trunc("century", old), (Ints{Days(-100, 1, 1)}));
  EXPECT_EQ(Trunc("decade", old), (Ints{Days(-50, 1, 1)}));
}

TEST(TemporalFunctionsTest, DateTruncInOtherUnits) {
  Column s = IntColumn({Micros(2024, 5, 17, 13, 45, 27) / 1'000'000}, Timestamp(TimeUnit::kSecond));
  EXPECT_EQ(Trunc("millisecond", s), AsInts(s));
  EXPECT_EQ(Trunc("hour", s), (Ints{Micros(2024, 5, 17, 13) / 1'000'000}));
  const int64_t ns = Micros(1960, 5, 17, 13, 45, 27, 1) * 1000 + 999;
  Column n = IntColumn({ns}, Timestamp(TimeUnit::kNano, "UTC"));
  EXPECT_EQ(Trunc("microsecond", n), (Ints{ns - 999}));
  EXPECT_EQ(Trunc("month", n), (Ints{Micros(1960, 5, 1) * 1000}));
}

TEST(TemporalFunctionsTest, DateTruncKeepsDatesDates) {
  Column d = IntColumn({Days(2024, 3, 3), Days(1969, 1, 1), kNull}, Date32());
  EXPECT_EQ(Trunc("week", d), (Ints{Days(2024, 2, 26), Days(1968, 12, 30), kNull}));
  EXPECT_EQ(Trunc("month", d), (Ints{Days(2024, 3, 1), Days(1969, 1, 1), kNull}));
  EXPECT_EQ(Trunc("hour", d), AsInts(d));
}

TEST(TemporalFunctionsTest, DateTruncErrors) {
  Column t = IntColumn({0}, Timestamp(TimeUnit::kMicro));
  std::string error = ErrorOf(call("date_trunc", {lit("fortnight"), col("t")}), {{"t", t}});
  EXPECT_NE(error.find("unknown unit 'fortnight'"), std::string::npos) << error;
  Column unit = StrColumn({"day"});
  EXPECT_NE(ErrorOf(call("date_trunc", {col("u"), col("t")}), {{"u", unit}, {"t", t}})
                .find("unit must be a constant"),
            std::string::npos);
  // The earliest nanosecond timestamp (1677-09-21) has no start of its year in range.
  Column early = IntColumn({INT64_MIN + 1}, Timestamp(TimeUnit::kNano));
  error = ErrorOf(call("date_trunc", {lit("year"), col("t")}), {{"t", early}});
  EXPECT_NE(error.find("out of the range"), std::string::npos) << error;
  EXPECT_EQ(AsInts(Eval(call("date_trunc", {lit_null(Utf8()), col("t")}), {{"t", t}})),
            (Ints{kNull}));
}

Strings Format(const char* format, const Column& t) {
  return AsStrings(Eval(call("strftime", {col("t"), lit(format)}), {{"t", t}}));
}

TEST(TemporalFunctionsTest, StrftimeWritesEverySpecifier) {
  Column t = IntColumn({Micros(1969, 7, 20, 20, 17, 40, 123'456)}, Timestamp(TimeUnit::kMicro));
  EXPECT_EQ(Format("%Y %m %d %H %M %S %f %j %a %A %b %B %y %p %I", t),
            (Strings{"1969 07 20 20 17 40 123456 201 Sun Sunday Jul July 69 PM 08"}));
  EXPECT_EQ(Format("%g %n %u %w %V %G %U %W %-d %-m %-H %-I %-M %-S %-j %-y %e %h", t),
            (Strings{"123 123456000 7 0 29 1969 29 28 20 7 20 8 17 40 201 69 20 Jul"}));
  EXPECT_EQ(Format("%c|%x|%X|%F|%T|%D|%R|%%|%s|%z|%Z", t),
            (Strings{"1969-07-20 20:17:40|1969-07-20|20:17:40|1969-07-20|20:17:40|07/20/69|20:17|%|"
                     "-14182940||"}));
}

// %y of a year before 0 is the last two digits of its magnitude, as DuckDB writes it.
TEST(TemporalFunctionsTest, StrftimeOfDatesAndOldYears) {
  Column d = IntColumn({Days(5, 1, 2), Days(-44, 3, 15), Days(2024, 1, 1), kNull}, Date32());
  EXPECT_EQ(Format("%Y|%y|%G|%V|%H", d),
            (Strings{"0005|05|0004|53|00", "-44|44|-44|11|00", "2024|24|2024|01|00", kNull}));
  Column morning =
      IntColumn({Micros(2024, 1, 1), Micros(2024, 1, 1, 12, 30)}, Timestamp(TimeUnit::kMicro));
  EXPECT_EQ(Format("%I %p", morning), (Strings{"12 AM", "12 PM"}));
  EXPECT_EQ(Format("", morning), (Strings{"", ""}));
}

TEST(TemporalFunctionsTest, StrftimeOfZonedAndOtherUnitTimestamps) {
  Column z = IntColumn({Micros(2024, 1, 1, 10) / 1000}, Timestamp(TimeUnit::kMilli, "UTC"));
  EXPECT_EQ(Format("%H:%M %Z %z", z), (Strings{"10:00 UTC +0000"}));
  Column ns = IntColumn({-1}, Timestamp(TimeUnit::kNano));
  EXPECT_EQ(Format("%Y-%m-%d %H:%M:%S.%n|%f|%g", ns),
            (Strings{"1969-12-31 23:59:59.999999999|999999|999"}));
}

TEST(TemporalFunctionsTest, StrftimeErrors) {
  std::string error = ErrorOf(call("strftime", {lit_date("2024-01-01"), lit("%Y-%Q")}));
  EXPECT_NE(error.find("unknown specifier %Q"), std::string::npos) << error;
  EXPECT_NE(ErrorOf(call("strftime", {lit_date("2024-01-01"), lit("%")})).find("lone '%'"),
            std::string::npos);
  EXPECT_NE(ErrorOf(call("strftime", {lit("2024"), lit("%Y")})).find("date or timestamp"),
            std::string::npos);
  EXPECT_EQ(EvalString(call("strftime", {lit_date("2024-01-01"), lit_null(Utf8())})), kNull);
}

Ints Parse(const Strings& values, const char* format, const char* type = nullptr) {
  std::vector<Expr> args = {col("s"), lit(format)};
  if (type != nullptr) args.push_back(lit(type));
  return AsInts(Eval(call("strptime", args), {{"s", StrColumn(values)}}));
}

TEST(TemporalFunctionsTest, StrptimeParsesLikeDuckDb) {
  EXPECT_EQ(Parse({"2024-03-01 5:07:09.5", kNull}, "%Y-%m-%d %H:%M:%S.%f"),
            (Ints{Micros(2024, 3, 1, 5, 7, 9, 500'000), kNull}));
  EXPECT_EQ(Parse({"1 Mar 24", "31 dec 99"}, "%d %b %y"),
            (Ints{Micros(2024, 3, 1), Micros(1999, 12, 31)}));
  EXPECT_EQ(Parse({"69", "68"}, "%y"), (Ints{Micros(1969, 1, 1), Micros(2068, 1, 1)}));
  EXPECT_EQ(Parse({"  2024-03-01", "2024-3-1 ", "2024-03-01\t"}, "%Y-%m-%d"),
            (Ints{Micros(2024, 3, 1), Micros(2024, 3, 1), Micros(2024, 3, 1)}));
  EXPECT_EQ(Parse({"20240301"}, "%Y%m%d"), (Ints{Micros(2024, 3, 1)}));
  EXPECT_EQ(Parse({"2024-03-01 10:00 +0200", "2024-03-01 10:00 -01:30", "2024-03-01 10:00 Z"},
                  "%Y-%m-%d %H:%M %z"),
            (Ints{Micros(2024, 3, 1, 8), Micros(2024, 3, 1, 11, 30), Micros(2024, 3, 1, 10)}));
  EXPECT_EQ(Parse({"MARCH 5 2024", "february 29 2024"}, "%B %d %Y"),
            (Ints{Micros(2024, 3, 5), Micros(2024, 2, 29)}));
  EXPECT_EQ(Parse({"Mar 5 2024 3PM", "Mar 5 2024 12am", "Mar 5 2024 12 pm"}, "%b %d %Y %I%p"),
            (Ints{Micros(2024, 3, 5, 15), Micros(2024, 3, 5), Micros(2024, 3, 5, 12)}));
  EXPECT_EQ(Parse({"2024-060", "2023-365"}, "%Y-%j"),
            (Ints{Micros(2024, 2, 29), Micros(2023, 12, 31)}));
  EXPECT_EQ(Parse({"10:00"}, "%H:%M"), (Ints{Micros(1900, 1, 1, 10)}));
  EXPECT_EQ(Parse({"Friday, 2024-05-17T13:45:27"}, "%A, %Y-%m-%dT%T"),
            (Ints{Micros(2024, 5, 17, 13, 45, 27)}));
  EXPECT_EQ(Parse({"-1", "86400"}, "%s"), (Ints{-1'000'000, 86'400'000'000}));
  EXPECT_EQ(Parse({"100%"}, "%Y%%"), (Ints{Micros(100, 1, 1)}));
}

TEST(TemporalFunctionsTest, StrptimeToDatesAndOtherUnits) {
  Column out = Eval(call("strptime", {col("s"), lit("%d/%m/%Y"), lit("date")}),
                    {{"s", StrColumn({"13/12/1901", "01/01/1970", kNull, "29/02/2000"})}});
  EXPECT_EQ(out.type, Date32());
  EXPECT_EQ(AsInts(out), (Ints{Days(1901, 12, 13), 0, kNull, Days(2000, 2, 29)}));
  Column ns = Eval(call("strptime", {lit("1969-12-31 23:59:59.999999999"),
                                     lit("%Y-%m-%d %H:%M:%S.%n"), lit("timestamp[ns]")}));
  EXPECT_EQ(ns.type, Timestamp(TimeUnit::kNano));
  EXPECT_EQ(AsInts(ns), (Ints{-1}));
  Column zoned =
      Eval(call("strptime", {lit("2024-01-01"), lit("%Y-%m-%d"), lit("timestamp[ms, UTC]")}));
  EXPECT_EQ(zoned.type, Timestamp(TimeUnit::kMilli, "UTC"));
  EXPECT_EQ(AsInts(zoned), (Ints{Micros(2024, 1, 1) / 1000}));
  EXPECT_NE(ErrorOf(call("strptime", {lit("1"), lit("%d"), lit("interval")})).find("the type must"),
            std::string::npos);
}

TEST(TemporalFunctionsTest, StrptimeNamesTheValueThatDoesNotParse) {
  std::string error = ErrorOf(call("strptime", {col("s"), lit("%Y-%m-%d")}),
                              {{"s", StrColumn({"2024-01-01", "2024-02-30", "x"})}});
  EXPECT_NE(error.find("cannot parse '2024-02-30' with format '%Y-%m-%d'"), std::string::npos)
      << error;
  EXPECT_NE(error.find("no such date"), std::string::npos) << error;
  EXPECT_NE(error.find("strptime(s, '%Y-%m-%d')"), std::string::npos) << error;
  error = ErrorOf(call("strptime", {lit("2024-01-x"), lit("%Y-%m-%d")}));
  EXPECT_NE(error.find("%d does not match at character 9"), std::string::npos) << error;
  error = ErrorOf(call("strptime", {lit("2024-01-01 10:00"), lit("%Y-%m-%d")}));
  EXPECT_NE(error.find("unexpected '10:00'"), std::string::npos) << error;
  error = ErrorOf(call("strptime", {lit("2024"), lit("%G")}));
  EXPECT_NE(error.find("%G can be formatted but not parsed"), std::string::npos) << error;
}

TEST(TemporalFunctionsTest, TryStrptimeGivesNullForBadValues) {
  Column out = Eval(call("try_strptime", {col("s"), lit("%Y-%m-%d"), lit("date")}),
                    {{"s", StrColumn({"2024-01-01", "2024-02-30", kNull, "nope", "2023-13-01"})}});
  EXPECT_EQ(AsInts(out), (Ints{Days(2024, 1, 1), kNull, kNull, kNull, kNull}));
  EXPECT_EQ(out.null_count, 4);
}

TEST(TemporalFunctionsTest, StrftimeAndStrptimeRoundTripAcrossCenturies) {
  Ints values;
  for (int64_t v = -8'000'000'000'000'000; v <= 8'000'000'000'000'000; v += 123'456'789'012'345) {
    values.push_back(v);
  }
  Column t = IntColumn(values, Timestamp(TimeUnit::kMicro));
  const char* format = "%Y-%m-%d %H:%M:%S.%f";
  Column text = Eval(call("strftime", {col("t"), lit(format)}), {{"t", t}});
  Column back = Eval(call("strptime", {col("s"), lit(format)}), {{"s", text}});
  EXPECT_EQ(AsInts(back), values);
  Column iso = Eval(call("strftime", {col("t"), lit("%F %T.%f")}), {{"t", t}});
  EXPECT_EQ(AsStrings(iso), AsStrings(text));
}

}  // namespace
}  // namespace sluice
