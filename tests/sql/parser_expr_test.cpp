// Tests of expression parsing (src/sql/parser_expr*.cpp): PostgreSQL's operator precedence,
// every expression form, and where each node says it starts.
#include <gtest/gtest.h>

#include "sql/ast_dump.h"
#include "sql/parser.h"

namespace sluice::sql {
namespace {

std::string E(std::string_view sql) {
  return test::Dump(*ParseSqlExpression(sql));
}

TEST(SqlParserExpr, ArithmeticPrecedence) {
  EXPECT_EQ(E("a + b * c"), "(a + (b * c))");
  EXPECT_EQ(E("a * b + c"), "((a * b) + c)");
  EXPECT_EQ(E("a - b - c"), "((a - b) - c)");
  EXPECT_EQ(E("a / b // c % d"), "(((a / b) // c) % d)");
  EXPECT_EQ(E("(a + b) * c"), "((a + b) * c)");
  EXPECT_EQ(E("a || b + c"), "((a || b) + c)");
  EXPECT_EQ(E("-a * b"), "((- a) * b)");
  EXPECT_EQ(E("- - a"), "(- (- a))");
  EXPECT_EQ(E("+a"), "(+ a)");
  EXPECT_EQ(E("-a::int"), "(- CAST(a AS INT))");
  EXPECT_EQ(E("a::int + 1"), "(CAST(a AS INT) + 1)");
  EXPECT_EQ(E("1 - -2"), "(1 - (- 2))");
}

TEST(SqlParserExpr, BooleanPrecedence) {
  EXPECT_EQ(E("a OR b AND c"), "(a OR (b AND c))");
  EXPECT_EQ(E("a AND b OR c"), "((a AND b) OR c)");
  EXPECT_EQ(E("NOT a AND b"), "((NOT a) AND b)");
  EXPECT_EQ(E("NOT a = b"), "(NOT (a = b))");
  EXPECT_EQ(E("NOT NOT a"), "(NOT (NOT a))");
  EXPECT_EQ(E("a = b AND c <> d"), "((a = b) AND (c <> d))");
  EXPECT_EQ(E("a + 1 < b * 2"), "((a + 1) < (b * 2))");
  EXPECT_EQ(E("a != b"), "(a <> b)");
  EXPECT_EQ(E("a <= b OR a >= c OR a > d"), "(((a <= b) OR (a >= c)) OR (a > d))");
  // IS binds looser than comparison, BETWEEN/IN/LIKE tighter, as in PostgreSQL.
  EXPECT_EQ(E("a = b IS NULL"), "((a = b) IS NULL)");
  EXPECT_EQ(E("a = b BETWEEN 1 AND 2"), "(a = (b BETWEEN 1 AND 2))");
  EXPECT_EQ(E("a BETWEEN 1 AND 2 AND c"), "((a BETWEEN 1 AND 2) AND c)");
  EXPECT_EQ(E("a BETWEEN b + 1 AND c * 2"), "(a BETWEEN (b + 1) AND (c * 2))");
  EXPECT_EQ(E("a || 'x' LIKE 'y%'"), "((a || 'x') LIKE 'y%')");
  EXPECT_EQ(E("NOT a IN (1, 2)"), "(NOT (a IN (1, 2)))");
}

TEST(SqlParserExpr, Literals) {
  EXPECT_EQ(E("42"), "42");
  EXPECT_EQ(E("0.2"), "dec:0.2");
  EXPECT_EQ(E(".5"), "dec:.5");
  EXPECT_EQ(E("1e10"), "dec:1e10");
  EXPECT_EQ(E("'it''s'"), "'it's'");
  EXPECT_EQ(ParseSqlExpression("'it''s'")->text, "it's");
  EXPECT_EQ(E("NULL"), "NULL");
  EXPECT_EQ(E("true AND FALSE"), "(TRUE AND FALSE)");
  EXPECT_EQ(E("DATE '1998-12-01'"), "DATE '1998-12-01'");
  EXPECT_EQ(E("timestamp '2024-01-01 10:00:00'"), "TIMESTAMP '2024-01-01 10:00:00'");
  EXPECT_EQ(E("TIME '10:00'"), "TIME '10:00'");
  EXPECT_EQ(E("TIMESTAMPTZ '2024-01-01 10:00:00+02'"), "TIMESTAMPTZ '2024-01-01 10:00:00+02'");
  EXPECT_EQ(E("TIMESTAMP WITH TIME ZONE '2024-01-01 10:00:00+02'"),
            "TIMESTAMPTZ '2024-01-01 10:00:00+02'");
  EXPECT_EQ(E("?"), "?");
  EXPECT_EQ(E("$2"), "$2");
}

TEST(SqlParserExpr, Intervals) {
  EXPECT_EQ(E("INTERVAL '3' MONTH"), "INTERVAL '3' MONTH");
  EXPECT_EQ(E("interval '1 day'"), "INTERVAL '1 day'");
  EXPECT_EQ(E("INTERVAL 3 DAYS"), "INTERVAL '3' DAY");
  EXPECT_EQ(E("INTERVAL -2 hours"), "INTERVAL '-2' HOUR");
  EXPECT_EQ(E("interval '90' second"), "INTERVAL '90' SECOND");
  for (const char* unit : {"year", "quarter", "month", "week", "day", "hour", "minute", "second",
                           "millisecond", "microsecond"}) {
    std::string singular = std::string("INTERVAL 1 ") + unit;
    std::string plural = singular + "s";
    AstExprPtr a = ParseSqlExpression(singular);
    AstExprPtr b = ParseSqlExpression(plural);
    EXPECT_EQ(a->kind, AstExprKind::kInterval);
    EXPECT_EQ(a->unit, b->unit);
    EXPECT_FALSE(a->unit.empty());
  }
  EXPECT_EQ(E("date '1998-12-01' - interval '90' day"), "(DATE '1998-12-01' - INTERVAL '90' DAY)");
  // `interval` alone is a column name.
  EXPECT_EQ(E("interval + 1"), "(interval + 1)");
}

TEST(SqlParserExpr, NamesAndNonReservedKeywords) {
  EXPECT_EQ(E("t.a"), "t.a");
  EXPECT_EQ(E("s.t.a"), "s.t.a");
  EXPECT_EQ(E("\"Mixed Case\".\"Col\""), "Mixed Case.Col");
  EXPECT_EQ(E("A"), "a");
  // Keywords PostgreSQL does not reserve are names.
  EXPECT_EQ(E("name || value"), "(name || value)");
  EXPECT_EQ(E("year + date"), "(year + date)");
  EXPECT_EQ(E("t.order"), "t.order");
  EXPECT_EQ(E("first + last + filter + over + rows"),
            "((((first + last) + filter) + over) + rows)");
}

TEST(SqlParserExpr, FunctionCalls) {
  EXPECT_EQ(E("f()"), "f()");
  EXPECT_EQ(E("Upper(a)"), "upper(a)");
  EXPECT_EQ(E("count(*)"), "count(*)");
  EXPECT_EQ(E("count(DISTINCT a)"), "count(DISTINCT a)");
  EXPECT_EQ(E("count(ALL a)"), "count(a)");
  EXPECT_EQ(E("round(a, 2)"), "round(a, 2)");
  EXPECT_EQ(E("coalesce(a, b, 0)"), "coalesce(a, b, 0)");
  EXPECT_EQ(E("nullif(a, '')"), "nullif(a, '')");
  EXPECT_EQ(E("left(a, 2) || right(a, 1)"), "(left(a, 2) || right(a, 1))");
  EXPECT_EQ(E("f(x := 1, y => 2, 3)"), "f(x := 1, y := 2, 3)");
  EXPECT_EQ(E("f(a = 1)"), "f((a = 1))");
  EXPECT_EQ(E("sum(a) FILTER (WHERE b > 0)"), "sum(a) FILTER (WHERE (b > 0))");
  EXPECT_EQ(E("main.f(a)"), "main.f(a)");
  EXPECT_EQ(E("current_date"), "current_date()");
  AstExprPtr count = ParseSqlExpression("count(*)");
  EXPECT_TRUE(count->star_arg);
  EXPECT_TRUE(count->args.empty());
}

TEST(SqlParserExpr, Windows) {
  EXPECT_EQ(E("row_number() OVER ()"), "row_number() OVER ()");
  EXPECT_EQ(E("rank() OVER (PARTITION BY a, b ORDER BY c DESC)"),
            "rank() OVER (PARTITION BY a, b ORDER BY c DESC)");
  EXPECT_EQ(E("sum(x) OVER (ORDER BY d ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)"),
            "sum(x) OVER (ORDER BY d ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)");
  EXPECT_EQ(E("avg(x) OVER (ORDER BY d RANGE BETWEEN 2 PRECEDING AND 1 FOLLOWING)"),
            "avg(x) OVER (ORDER BY d RANGE BETWEEN 2 PRECEDING AND 1 FOLLOWING)");
  EXPECT_EQ(E("sum(x) OVER (ROWS 3 PRECEDING)"),
            "sum(x) OVER (ROWS BETWEEN 3 PRECEDING AND CURRENT ROW)");
  EXPECT_EQ(E("max(x) OVER (ORDER BY d ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING)"),
            "max(x) OVER (ORDER BY d ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING)");
  EXPECT_EQ(E("lag(x, 1) OVER w"), "lag(x, 1) OVER (w)");
  EXPECT_EQ(E("lead(x) OVER (w ORDER BY y NULLS FIRST)"),
            "lead(x) OVER (w ORDER BY y NULLS FIRST)");
  EXPECT_EQ(E("count(*) FILTER (WHERE a) OVER (PARTITION BY b)"),
            "count(*) FILTER (WHERE a) OVER (PARTITION BY b)");
  AstExprPtr spec = ParseSqlExpression("sum(x) OVER (ROWS 3 PRECEDING)");
  ASSERT_TRUE(spec->window && spec->window->frame);
  EXPECT_EQ(spec->window->frame->units, WindowFrameSpec::Units::kRows);
  AstExprPtr unframed = ParseSqlExpression("sum(x) OVER (ORDER BY y)");
  EXPECT_FALSE(unframed->window->frame.has_value());
}

TEST(SqlParserExpr, CaseAndCasts) {
  EXPECT_EQ(E("CASE WHEN a THEN 1 WHEN b THEN 2 ELSE 3 END"),
            "CASE WHEN a THEN 1 WHEN b THEN 2 ELSE 3 END");
  EXPECT_EQ(E("CASE x WHEN 1 THEN 'a' END"), "CASE x WHEN 1 THEN 'a' END");
  AstExprPtr c = ParseSqlExpression("CASE x WHEN 1 THEN 'a' END");
  EXPECT_TRUE(c->has_operand);
  EXPECT_EQ(c->args.size(), 3u);
  EXPECT_EQ(c->else_expr, nullptr);
  EXPECT_EQ(E("CAST(a AS DECIMAL(15, 2))"), "CAST(a AS DECIMAL(15,2))");
  EXPECT_EQ(E("TRY_CAST(a AS integer)"), "TRY_CAST(a AS INTEGER)");
  EXPECT_EQ(E("a::VARCHAR(25)"), "CAST(a AS VARCHAR(25))");
  EXPECT_EQ(E("a::double precision"), "CAST(a AS DOUBLE PRECISION)");
  EXPECT_EQ(E("a::timestamp with time zone"), "CAST(a AS TIMESTAMPTZ)");
  EXPECT_EQ(E("a::timestamp without time zone"), "CAST(a AS TIMESTAMP)");
  EXPECT_EQ(E("CAST(a AS character varying(3))"), "CAST(a AS VARCHAR(3))");
  EXPECT_EQ(E("a::int::text"), "CAST(CAST(a AS INT) AS TEXT)");
  EXPECT_EQ(E("CAST(a AS INTEGER[])"), "CAST(a AS INTEGER[])");
}

TEST(SqlParserExpr, Predicates) {
  EXPECT_EQ(E("a NOT BETWEEN 1 AND 2"), "(a NOT BETWEEN 1 AND 2)");
  EXPECT_EQ(E("a IN (1, 2, 3)"), "(a IN (1, 2, 3))");
  EXPECT_EQ(E("a NOT IN ('x')"), "(a NOT IN ('x'))");
  EXPECT_EQ(E("a IN (SELECT b FROM t)"), "(a IN (SELECT b FROM t))");
  EXPECT_EQ(E("a NOT IN (SELECT b FROM t)"), "(a NOT IN (SELECT b FROM t))");
  EXPECT_EQ(E("EXISTS (SELECT * FROM t)"), "EXISTS (SELECT * FROM t)");
  EXPECT_EQ(E("NOT EXISTS (SELECT * FROM t)"), "NOT EXISTS (SELECT * FROM t)");
  EXPECT_EQ(E("a AND NOT EXISTS (SELECT 1)"), "(a AND NOT EXISTS (SELECT 1))");
  EXPECT_EQ(E("(SELECT max(b) FROM t) + 1"), "((SELECT max(b) FROM t) + 1)");
  EXPECT_EQ(E("a IS NULL"), "(a IS NULL)");
  EXPECT_EQ(E("a IS NOT NULL AND b"), "((a IS NOT NULL) AND b)");
  EXPECT_EQ(E("a IS TRUE"), "(a IS TRUE)");
  EXPECT_EQ(E("a IS NOT FALSE"), "(a IS NOT FALSE)");
  EXPECT_EQ(E("a IS DISTINCT FROM b"), "(a IS DISTINCT FROM b)");
  EXPECT_EQ(E("a IS NOT DISTINCT FROM b + 1"), "(a IS NOT DISTINCT FROM (b + 1))");
  EXPECT_EQ(E("a LIKE 'x%'"), "(a LIKE 'x%')");
  EXPECT_EQ(E("a NOT ILIKE 'x%'"), "(a NOT ILIKE 'x%')");
  EXPECT_EQ(E("a LIKE 'x!%' ESCAPE '!'"), "(a LIKE 'x!%' ESCAPE '!')");
  AstExprPtr like = ParseSqlExpression("a NOT ILIKE 'x'");
  EXPECT_TRUE(like->negated);
  EXPECT_TRUE(like->case_insensitive);
}

TEST(SqlParserExpr, SpecialForms) {
  EXPECT_EQ(E("EXTRACT(year FROM d)"), "EXTRACT(YEAR FROM d)");
  EXPECT_EQ(E("extract('month' from d)"), "EXTRACT(MONTH FROM d)");
  EXPECT_EQ(E("SUBSTRING(s FROM 1 FOR 2)"), "substring(s, 1, 2)");
  EXPECT_EQ(E("substring(s from 3)"), "substring(s, 3)");
  EXPECT_EQ(E("substring(s for 3)"), "substring(s, 1, 3)");
  EXPECT_EQ(E("substring(s, 1, 2)"), "substring(s, 1, 2)");
  EXPECT_EQ(E("POSITION('a' IN s)"), "position(s, 'a')");
  EXPECT_EQ(E("TRIM(s)"), "trim(s)");
  EXPECT_EQ(E("TRIM(BOTH 'x' FROM s)"), "trim(s, 'x')");
  EXPECT_EQ(E("TRIM(LEADING FROM s)"), "ltrim(s)");
  EXPECT_EQ(E("trim(trailing ' ' from s)"), "rtrim(s, ' ')");
  EXPECT_EQ(E("trim(s, 'xy')"), "trim(s, 'xy')");
}

TEST(SqlParserExpr, Positions) {
  AstExprPtr e = ParseSqlExpression("a +\n  b * c");
  EXPECT_EQ(e->pos.line, 1);
  EXPECT_EQ(e->pos.column, 3);  // An operator node sits at its operator.
  EXPECT_EQ(e->args[0]->pos.column, 1);
  const AstExpr& product = *e->args[1];
  EXPECT_EQ(product.pos.line, 2);
  EXPECT_EQ(product.pos.column, 5);
  EXPECT_EQ(product.args[0]->pos.line, 2);
  EXPECT_EQ(product.args[0]->pos.column, 3);
  EXPECT_EQ(product.args[0]->pos.offset, 6);
  AstExprPtr call = ParseSqlExpression("  sum(x)");
  EXPECT_EQ(call->pos.column, 3);
  EXPECT_TRUE(ParseSqlExpression("(a)")->parenthesized);
  EXPECT_FALSE(ParseSqlExpression("a")->parenthesized);
}

}  // namespace
}  // namespace sluice::sql
