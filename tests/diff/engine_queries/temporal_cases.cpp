// Temporal functions on dates and timestamps (microseconds, 2020..2025, with nulls): parts,
// weekday (ISO: Monday = 1, DuckDB's isodow), day of year, truncation to every unit (weeks start
// on Monday, as DuckDB's date_trunc), strftime/strptime, +/- durations and differences.
//
// Where DuckDB's result type differs from sluice's, the SQL casts it: date_trunc of a DATE is a
// TIMESTAMP in DuckDB but stays a date in sluice; a difference of timestamps is a duration in
// sluice and an INTERVAL in DuckDB (the SQL takes microseconds). As in DuckDB, date + duration
// is a timestamp, date +- integer a date, date - date a count of days.
#include "case.h"

namespace sluice::diff {

void AddTemporalCases(CaseList& list) {
  list.Rows("date_parts", {{col("d").dt().year(), "year(d)"},
                           {col("d").dt().month(), "month(d)"},
                           {col("d").dt().day(), "day(d)"}});
  list.Rows("timestamp_date_parts", {{col("ts").dt().year(), "year(ts)"},
                                     {col("ts").dt().month(), "month(ts)"},
                                     {col("ts").dt().day(), "day(ts)"}});
  list.Rows("timestamp_time_parts", {{col("ts").dt().hour(), "hour(ts)"},
                                     {col("ts").dt().minute(), "minute(ts)"},
                                     {col("ts").dt().second(), "second(ts)"}});
  list.Rows("weekday",
            {{col("d").dt().weekday(), "isodow(d)"}, {col("ts").dt().weekday(), "isodow(ts)"}});
  list.Rows("day_of_year", {{col("d").dt().day_of_year(), "dayofyear(d)"},
                            {col("ts").dt().day_of_year(), "dayofyear(ts)"}});
  list.RowsWhere("filter_weekend", col("d").dt().weekday() >= 6, "isodow(d) >= 6",
                 {{col("d"), "d"}});
  list.RowsWhere("filter_year_month", col("ts").dt().year() == 2022 && col("ts").dt().month() == 2,
                 "year(ts) = 2022 AND month(ts) = 2", {{col("ts"), "ts"}});
  // Truncation of timestamps to every unit.
  for (const char* unit : {"year", "quarter", "month", "week", "day", "hour", "minute", "second"}) {
    list.Rows(std::string("truncate_timestamp_") + unit,
              {{col("ts").dt().truncate(unit), std::string("date_trunc('") + unit + "', ts)"}});
  }
  // Truncation of dates (to units of a day or more).
  for (const char* unit : {"year", "quarter", "month", "week", "day"}) {
    list.Rows(std::string("truncate_date_") + unit,
              {{col("d").dt().truncate(unit), std::string("date_trunc('") + unit + "', d)::DATE"}});
  }
  list.Rows("truncate_via_call",
            {{call("date_trunc", {lit("month"), col("ts")}), "date_trunc('month', ts)"}});
  // strftime / strptime.
  list.Rows("strftime_timestamp",
            {{col("ts").dt().strftime("%Y-%m-%d %H:%M:%S"), "strftime(ts, '%Y-%m-%d %H:%M:%S')"},
             {col("ts").dt().strftime("%Y/%m/%d"), "strftime(ts, '%Y/%m/%d')"},
             {col("ts").dt().strftime("%H:%M"), "strftime(ts, '%H:%M')"}});
  list.Rows("strftime_date", {{col("d").dt().strftime("%d.%m.%Y"), "strftime(d, '%d.%m.%Y')"},
                              {col("d").dt().strftime("%j"), "strftime(d, '%j')"}});
  list.Rows("strftime_literal_text",
            {{col("d").dt().strftime("year %Y, month %m"), "strftime(d, 'year %Y, month %m')"}});
  list.RowsWhere("strptime_date", col("date_str") != "not a date", "date_str <> 'not a date'",
                 {{col("date_str").str().strptime("%Y-%m-%d", Date32()),
                   "strptime(date_str, '%Y-%m-%d')::DATE"}});
  list.Rows("strptime_timestamp_roundtrip",
            {{col("ts")
                  .dt()
                  .strftime("%Y-%m-%d %H:%M:%S")
                  .str()
                  .strptime("%Y-%m-%d %H:%M:%S", Timestamp(TimeUnit::kMicro)),
              "strptime(strftime(ts, '%Y-%m-%d %H:%M:%S'), '%Y-%m-%d %H:%M:%S')"}});
  list.Rows("strptime_other_format",
            {{col("d").dt().strftime("%d/%m/%Y").str().strptime("%d/%m/%Y", Date32()),
              "strptime(strftime(d, '%d/%m/%Y'), '%d/%m/%Y')::DATE"}});
  list.Error(
      "strptime_bad_value_error",
      [](const Tables& t) {
        return EventsRows(t, {col("date_str").str().strptime("%Y-%m-%d", Date32())});
      },
      "SELECT id, strptime(date_str, '%Y-%m-%d') FROM events");
  // Durations.
  list.Rows("timestamp_plus_durations",
            {{col("ts") + lit_duration(3, "hour"), "ts + INTERVAL 3 HOUR"},
             {col("ts") + lit_duration(2, "day"), "ts + INTERVAL 2 DAY"},
             {col("ts") - lit_duration(90, "minute"), "ts - INTERVAL 90 MINUTE"}});
  list.Rows("timestamp_plus_small_durations",
            {{col("ts") + lit_duration(1500, "ms"), "ts + INTERVAL 1500 MILLISECOND"},
             {col("ts") - lit_duration(7, "us"), "ts - INTERVAL 7 MICROSECOND"},
             {col("ts") + lit_duration(59, "second"), "ts + INTERVAL 59 SECOND"}});
  list.Rows("date_plus_days", {{col("d") + lit_duration(1, "day"), "d + INTERVAL 1 DAY"},
                               {col("d") - lit_duration(30, "day"), "d - INTERVAL 30 DAY"}});
  list.Rows("date_plus_integer_days", {{col("d") + 7, "d + 7"}, {col("d") - col("k1"), "d - k1"}});
  list.Rows("date_minus_date_days", {{col("d") - lit_date("2020-01-01"), "d - DATE '2020-01-01'"},
                                     {col("d") - col("ts").cast(Date32()), "d - ts::DATE"}});
  // A duration is written to Parquet as int64 microseconds.
  list.Rows("timestamp_difference", {{col("ts") - col("ts2"), "epoch_us(ts) - epoch_us(ts2)"}});
  list.Rows("timestamp_minus_literal", {{col("ts") - lit_timestamp("2021-01-01"),
                                         "epoch_us(ts) - epoch_us(TIMESTAMP '2021-01-01')"}});
  list.Rows("timestamp_minus_date",
            {{col("ts") - col("d"), "epoch_us(ts) - epoch_us(d::TIMESTAMP)"}});
  list.Rows("duration_arithmetic",
            {{(col("ts") - col("ts2")) + lit_duration(1, "hour"),
              "epoch_us(ts) - epoch_us(ts2) + 3600000000"},
             {col("ts2") + (col("ts") - col("ts2")), "CASE WHEN ts2 IS NOT NULL THEN ts END"}});
  list.RowsWhere("filter_timestamp_window", col("ts") - lit_duration(1, "day") > col("ts2"),
                 "ts - INTERVAL 1 DAY > ts2", {{col("ts"), "ts"}, {col("ts2"), "ts2"}});
  list.Rows("temporal_literals",
            {{lit_date("2024-02-29"), "DATE '2024-02-29'"},
             {lit_timestamp("2024-03-01 12:34:56.789"), "TIMESTAMP '2024-03-01 12:34:56.789'"},
             {lit_timestamp("2024-03-01T01:02:03"), "TIMESTAMP '2024-03-01 01:02:03'"}});
  list.Rows("temporal_parts_of_truncated",
            {{col("ts").dt().truncate("week").dt().weekday(), "isodow(date_trunc('week', ts))"},
             {col("d").dt().truncate("quarter").dt().month(), "month(date_trunc('quarter', d))"}});
  list.Rows("temporal_compare_parts",
            {{col("ts").dt().year() > col("d").dt().year(), "year(ts) > year(d)"},
             {col("ts").cast(Date32()) == col("d"), "ts::DATE = d"}});
}

}  // namespace sluice::diff
