// Expression builders: the trees they make, how they print, and the names of their outputs.
#include "expr/expr.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "expr_test_util.h"

namespace sluice {
namespace {

TEST(ExprTest, OperatorsBuildCallsByCanonicalName) {
  Expr e = col("revenue") * 0.8;
  EXPECT_EQ(e.kind(), ExprKind::kCall);
  EXPECT_EQ(e.node().name, "multiply");
  EXPECT_EQ(e.arg(0).node().name, "revenue");
  EXPECT_EQ(e.arg(1).kind(), ExprKind::kLiteral);
  EXPECT_EQ((col("a") + col("b")).node().name, "add");
  EXPECT_EQ((col("a") - 1).node().name, "subtract");
  EXPECT_EQ((col("a") / 2).node().name, "divide");
  EXPECT_EQ((col("a") % 2).node().name, "modulo");
  EXPECT_EQ((col("a") == 1).node().name, "equal");
  EXPECT_EQ((col("a") != 1).node().name, "not_equal");
  EXPECT_EQ((col("a") < 1).node().name, "less");
  EXPECT_EQ((col("a") <= 1).node().name, "less_equal");
  EXPECT_EQ((col("a") > 1).node().name, "greater");
  EXPECT_EQ((col("a") >= 1).node().name, "greater_equal");
  EXPECT_EQ((col("a") && col("b")).node().name, "and");
  EXPECT_EQ((col("a") || col("b")).node().name, "or");
  EXPECT_EQ((!col("a")).node().name, "not");
  EXPECT_EQ((-col("a")).node().name, "negate");
  EXPECT_EQ((1 + col("a")).arg(0).kind(), ExprKind::kLiteral);
}

TEST(ExprTest, LiteralsCarryTheirTypes) {
  EXPECT_EQ(lit(1).node().literal.type, Int32());
  EXPECT_EQ(lit(int64_t{1}).node().literal.type, Int64());
  EXPECT_EQ(lit(1.5).node().literal.type, Float64());
  EXPECT_EQ(lit(true).node().literal.type, Bool());
  EXPECT_EQ(lit("x").node().literal.type, Utf8());
  EXPECT_EQ(lit(std::string("x")).node().literal.type, Utf8());
  EXPECT_TRUE(lit_null(Date32()).node().literal.is_null());
  EXPECT_EQ(lit_null(Date32()).node().literal.type, Date32());
}

TEST(ExprTest, NegatingANumericLiteralGivesALiteral) {
  Expr e = -lit(5);
  ASSERT_EQ(e.kind(), ExprKind::kLiteral);
  EXPECT_EQ(std::get<int64_t>(e.node().literal.value), -5);
  EXPECT_EQ((-lit(2.5)).ToString(), "-2.5");
}

TEST(ExprTest, ToStringRendersSqlLike) {
  EXPECT_EQ((col("revenue") * 0.8).alias("net_revenue").ToString(),
            "(revenue * 0.8) AS net_revenue");
  EXPECT_EQ(col("net_revenue").sum().ToString(), "sum(net_revenue)");
  EXPECT_EQ(col("user_id").cast(Utf8()).ToString(), "CAST(user_id AS utf8)");
  EXPECT_EQ(col("user_id").try_cast(Int64()).ToString(), "TRY_CAST(user_id AS int64)");
  EXPECT_EQ(col("region").str().upper().ToString(), "upper(region)");
  EXPECT_EQ((col("revenue") + col("region")).ToString(), "revenue + region");
  EXPECT_EQ(((col("a") + col("b")) * col("c")).ToString(), "(a + b) * c");
  EXPECT_EQ((col("a") + col("b") * col("c")).ToString(), "a + (b * c)");
  EXPECT_EQ((col("a") > 1 && col("b") < 2).ToString(), "(a > 1) AND (b < 2)");
  EXPECT_EQ((!(col("a") == 1)).ToString(), "NOT (a = 1)");
  EXPECT_EQ((-col("x")).ToString(), "-x");
  EXPECT_EQ((col("x") != 1).ToString(), "x != 1");
  EXPECT_EQ((col("a") % 3).ToString(), "a % 3");
}

TEST(ExprTest, ToStringQuotesStringsAndOddNames) {
  EXPECT_EQ((col("region") == "EU").ToString(), "region = 'EU'");
  EXPECT_EQ(lit("it's").ToString(), "'it''s'");
  EXPECT_EQ(col("my col").ToString(), "\"my col\"");
  EXPECT_EQ(col("x").alias("net revenue").ToString(), "x AS \"net revenue\"");
}

TEST(ExprTest, ToStringOfLiterals) {
  EXPECT_EQ(lit(1).ToString(), "1");
  EXPECT_EQ(lit(1.0).ToString(), "1.0");
  EXPECT_EQ(lit(0.25).ToString(), "0.25");
  EXPECT_EQ(lit(true).ToString(), "true");
  EXPECT_EQ(lit_null(Int64()).ToString(), "NULL");
  EXPECT_EQ(lit_date("2024-03-01").ToString(), "DATE '2024-03-01'");
  EXPECT_EQ(lit_timestamp("2024-03-01 12:30:00").ToString(), "TIMESTAMP '2024-03-01 12:30:00'");
}

TEST(ExprTest, ToStringOfPredicatesAndBranches) {
  EXPECT_EQ(col("x").is_null().ToString(), "x IS NULL");
  EXPECT_EQ(col("x").is_not_null().ToString(), "x IS NOT NULL");
  EXPECT_EQ(col("x").between(lit(1), lit(5)).ToString(), "x BETWEEN 1 AND 5");
  EXPECT_EQ(col("x").is_in({lit(1), lit(2)}).ToString(), "x IN (1, 2)");
  EXPECT_EQ(col("x").fill_null(lit(0)).ToString(), "coalesce(x, 0)");
  Expr branch = when(col("x") > 0)
                    .then(lit("pos"))
                    .when(col("x") < 0)
                    .then(lit("neg"))
                    .otherwise(lit("zero"));
  EXPECT_EQ(branch.ToString(), "CASE WHEN x > 0 THEN 'pos' WHEN x < 0 THEN 'neg' ELSE 'zero' END");
  Expr no_else = when(col("x") > 0).then(lit(1));
  EXPECT_EQ(no_else.ToString(), "CASE WHEN x > 0 THEN 1 END");
  EXPECT_EQ(no_else.node().name, "case_when");
  EXPECT_EQ(no_else.node().args.size(), 2u);
}

TEST(ExprTest, ToStringOfAggregates) {
  EXPECT_EQ(count_rows().ToString(), "count(*)");
  EXPECT_EQ(aggregate("count", {col("x")}, /*distinct=*/true).ToString(), "count(DISTINCT x)");
  EXPECT_EQ(col("x").quantile(0.5).ToString(), "quantile(x, 0.5)");
  EXPECT_EQ(col("x").std().ToString(), "std(x, 1)");
  EXPECT_EQ(col("x").var(0).ToString(), "var(x, 0)");
}

TEST(ExprTest, AggregatesAreAggregateNodes) {
  struct Case {
    Expr expr;
    const char* name;
  };
  for (const Case& c : {Case{col("x").sum(), "sum"}, Case{col("x").mean(), "mean"},
                        Case{col("x").min(), "min"}, Case{col("x").max(), "max"},
                        Case{col("x").count(), "count"}, Case{col("x").first(), "first"},
                        Case{col("x").last(), "last"}, Case{col("x").n_unique(), "n_unique"},
                        Case{col("x").std(), "std"}, Case{col("x").var(), "var"},
                        Case{col("x").median(), "median"}, Case{col("x").quantile(0.9), "quantile"},
                        Case{col("x").any(), "any"}, Case{col("x").all(), "all"}}) {
    EXPECT_EQ(c.expr.kind(), ExprKind::kAggregate) << c.name;
    EXPECT_EQ(c.expr.node().name, c.name);
  }
  Expr star = count_rows();
  EXPECT_EQ(star.node().name, "count_star");
  EXPECT_TRUE(star.node().args.empty());
  Expr q = col("x").quantile(0.25);
  ASSERT_EQ(q.node().args.size(), 2u);
  EXPECT_EQ(std::get<double>(q.arg(1).node().literal.value), 0.25);
  Expr s = col("x").std(0);
  EXPECT_EQ(std::get<int64_t>(s.arg(1).node().literal.value), 0);
  EXPECT_TRUE(aggregate("count", {col("x")}, true).node().distinct);
}

TEST(ExprTest, OutputNames) {
  EXPECT_EQ(col("a").OutputName(), "a");
  EXPECT_EQ((col("a") * 2).OutputName(), "a");
  EXPECT_EQ((lit(2) * col("b") + col("a")).OutputName(), "b");
  EXPECT_EQ((col("a") * 2).alias("doubled").OutputName(), "doubled");
  EXPECT_EQ(lit(3).OutputName(), "literal");
  EXPECT_EQ((lit(3) + lit(4)).OutputName(), "literal");
  EXPECT_EQ(count_rows().OutputName(), "count");
  EXPECT_EQ(col("x").sum().OutputName(), "x");
  EXPECT_EQ(col("x").cast(Utf8()).OutputName(), "x");
}

TEST(ExprTest, StrNamespaceMapsToCanonicalFunctions) {
  Expr s = col("s");
  EXPECT_EQ(s.str().len_chars().node().name, "length");
  EXPECT_EQ(s.str().len_bytes().node().name, "octet_length");
  EXPECT_EQ(s.str().lower().node().name, "lower");
  EXPECT_EQ(s.str().contains("ab").ToString(), "contains(s, 'ab')");
  EXPECT_EQ(s.str().starts_with("a").ToString(), "starts_with(s, 'a')");
  EXPECT_EQ(s.str().ends_with("z").ToString(), "ends_with(s, 'z')");
  EXPECT_EQ(s.str().slice(0, 3).ToString(), "substring(s, 1, 3)");
  EXPECT_EQ(s.str().slice(2, 3).ToString(), "substring(s, 3, 3)");
  EXPECT_EQ(s.str().slice(-2, 2).ToString(), "substring(s, -2, 2)");
  EXPECT_EQ(s.str().replace("a", "b").ToString(), "replace(s, 'a', 'b')");
  EXPECT_EQ(s.str().strip().node().name, "trim");
  EXPECT_EQ(s.str().lstrip().node().name, "ltrim");
  EXPECT_EQ(s.str().rstrip().node().name, "rtrim");
  EXPECT_EQ(s.str().split_part(",", 2).ToString(), "split_part(s, ',', 2)");
  EXPECT_EQ(s.str().regex_match("a+").ToString(), "regexp_matches(s, 'a+')");
  EXPECT_EQ(s.str().regex_extract("(a)", 1).ToString(), "regexp_extract(s, '(a)', 1)");
  EXPECT_EQ(s.str().regex_replace("a", "b").ToString(), "regexp_replace(s, 'a', 'b', 'g')");
  EXPECT_EQ(s.str().strptime("%Y", Date32()).ToString(), "strptime(s, '%Y', 'date32')");
  EXPECT_EQ(concat({s, lit("!")}).ToString(), "concat(s, '!')");
}

TEST(ExprTest, DtNamespaceMapsToCanonicalFunctions) {
  Expr t = col("t");
  EXPECT_EQ(t.dt().year().ToString(), "year(t)");
  EXPECT_EQ(t.dt().month().node().name, "month");
  EXPECT_EQ(t.dt().day().node().name, "day");
  EXPECT_EQ(t.dt().hour().node().name, "hour");
  EXPECT_EQ(t.dt().minute().node().name, "minute");
  EXPECT_EQ(t.dt().second().node().name, "second");
  EXPECT_EQ(t.dt().weekday().node().name, "weekday");
  EXPECT_EQ(t.dt().day_of_year().node().name, "day_of_year");
  EXPECT_EQ(t.dt().truncate("month").ToString(), "date_trunc('month', t)");
  EXPECT_EQ(t.dt().strftime("%Y").ToString(), "strftime(t, '%Y')");
}

TEST(ExprTest, MathBuilders) {
  Expr x = col("x");
  EXPECT_EQ(x.abs().ToString(), "abs(x)");
  EXPECT_EQ(x.round(2).ToString(), "round(x, 2)");
  EXPECT_EQ(x.round().ToString(), "round(x, 0)");
  EXPECT_EQ(x.floor().ToString(), "floor(x)");
  EXPECT_EQ(x.ceil().ToString(), "ceil(x)");
  EXPECT_EQ(x.sqrt().ToString(), "sqrt(x)");
  EXPECT_EQ(x.ln().ToString(), "ln(x)");
  EXPECT_EQ(x.log10().ToString(), "log10(x)");
  EXPECT_EQ(x.exp().ToString(), "exp(x)");
  EXPECT_EQ(x.pow(lit(2)).ToString(), "pow(x, 2)");
  EXPECT_EQ(x.sign().ToString(), "sign(x)");
  EXPECT_EQ(x.hash().ToString(), "hash(x)");
}

TEST(ExprTest, TemporalLiteralsParseIsoText) {
  EXPECT_EQ(std::get<int64_t>(lit_date("1970-01-02").node().literal.value), 1);
  EXPECT_EQ(std::get<int64_t>(lit_date("1969-12-31").node().literal.value), -1);
  EXPECT_EQ(std::get<int64_t>(lit_date("2024-03-01").node().literal.value), 19783);
  EXPECT_EQ(std::get<int64_t>(lit_timestamp("1970-01-01 00:00:01").node().literal.value), 1000000);
  EXPECT_EQ(std::get<int64_t>(lit_timestamp("1970-01-01T00:00:00.25").node().literal.value),
            250000);
  EXPECT_EQ(std::get<int64_t>(lit_timestamp("1970-01-02").node().literal.value), 86400000000);
  EXPECT_EQ(lit_timestamp("2024-01-01").node().literal.type, Timestamp(TimeUnit::kMicro));
  EXPECT_EQ(std::get<int64_t>(lit_duration(2, "hour").node().literal.value), 7200000000);
  EXPECT_EQ(std::get<int64_t>(lit_duration(3, "ms").node().literal.value), 3000);
  EXPECT_EQ(lit_duration(1, "day").node().literal.type, Duration(TimeUnit::kMicro));
}

TEST(ExprTest, MalformedTemporalLiteralsThrow) {
  EXPECT_THROW(lit_date("2024-02-30"), Error);
  EXPECT_THROW(lit_date("2024-13-01"), Error);
  EXPECT_THROW(lit_date("March 1"), Error);
  EXPECT_THROW(lit_timestamp("2024-03-01 25:00:00"), Error);
  EXPECT_THROW(lit_timestamp("2024-03-01 12:00:00 garbage"), Error);
  EXPECT_THROW(lit_duration(1, "fortnight"), Error);
  EXPECT_THROW(lit_duration(int64_t{1} << 62, "day"), Error);
  EXPECT_NE(expr_test::ErrorOf([] { lit_date("2024-02-30"); }).find("'2024-02-30'"),
            std::string::npos);
}

}  // namespace
}  // namespace sluice
