// Binding: names resolve against the schema and the registry, every node gets a type, and
// mistakes produce messages that name the expression and suggest the intended name.
#include <gtest/gtest.h>

#include "core/error.h"
#include "expr/bound_expr.h"
#include "expr/function_registry.h"
#include "expr_test_util.h"

namespace sluice {
namespace {

using expr_test::ErrorOf;

Schema Sales() {
  return Schema({{"revenue", Float64()},
                 {"region", Utf8()},
                 {"user_id", Int64()},
                 {"qty", Int32()},
                 {"day", Date32()},
                 {"ts", Timestamp(TimeUnit::kMicro)},
                 {"price", Decimal(15, 2)},
                 {"flag", Bool()}});
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(BindTest, ColumnsResolveToIndexesAndTypes) {
  BoundExprPtr bound = Bind(col("user_id"), Sales());
  EXPECT_EQ(bound->kind, BoundExpr::Kind::kColumn);
  EXPECT_EQ(bound->column, 2);
  EXPECT_EQ(bound->type, Int64());
}

TEST(BindTest, AliasesAreTransparent) {
  BoundExprPtr bound = Bind((col("revenue") * 0.8).alias("net"), Sales());
  EXPECT_EQ(bound->kind, BoundExpr::Kind::kCall);
  EXPECT_EQ(bound->type, Float64());
  EXPECT_EQ(bound->display, "revenue * 0.8");
}

TEST(BindTest, LiteralsBindToOneValueColumns) {
  BoundExprPtr bound = Bind(lit(42), Sales());
  EXPECT_EQ(bound->kind, BoundExpr::Kind::kLiteral);
  EXPECT_EQ(bound->type, Int32());
  EXPECT_EQ(bound->literal.length, 1);
  BoundExprPtr null = BindLiteral(Scalar{Utf8(), std::monostate{}});
  EXPECT_EQ(null->literal.length, 1);
  EXPECT_EQ(null->literal.null_count, 1);
}

TEST(BindTest, UnknownColumnSuggestsTheClosestName) {
  std::string message = ErrorOf([] { Bind(col("reveneu") * 2, Sales()); });
  EXPECT_TRUE(Contains(message, "\"reveneu\"")) << message;
  EXPECT_TRUE(Contains(message, "did you mean \"revenue\"")) << message;
  EXPECT_TRUE(Contains(message, "reveneu * 2")) << message;
}

TEST(BindTest, UnknownFunctionSuggestsTheClosestName) {
  std::string message = ErrorOf([] { Bind(call("uper", {col("region")}), Sales()); });
  EXPECT_TRUE(Contains(message, "unknown function `uper`")) << message;
  EXPECT_TRUE(Contains(message, "did you mean `upper`")) << message;
  message = ErrorOf([] { Bind(call("absolutely_nothing_like_it", {col("qty")}), Sales()); });
  EXPECT_TRUE(Contains(message, "unknown function `absolutely_nothing_like_it`")) << message;
}

TEST(BindTest, AggregatesAreRejected) {
  EXPECT_EQ(ErrorOf([] {
              Bind(col("x").sum(), Schema({{"x", Int64()}}));
            }),
            "aggregate `sum(x)` is not allowed here");
  EXPECT_TRUE(Contains(ErrorOf([] {
                         Bind(col("x").sum() + 1, Schema({{"x", Int64()}}));
                       }),
                       "aggregate `sum(x)` is not allowed here"));
}

TEST(BindTest, TypeMismatchNamesTypesAndExpression) {
  std::string message = ErrorOf([] { Bind(col("revenue") + col("region"), Sales()); });
  EXPECT_EQ(message, "cannot add float64 and utf8 in `revenue + region`");
  message = ErrorOf([] { Bind(col("region") > col("qty"), Sales()); });
  EXPECT_TRUE(Contains(message, "cannot compare utf8 and int32")) << message;
  EXPECT_TRUE(Contains(message, "`region > qty`")) << message;
  message = ErrorOf([] { Bind(col("qty") && col("flag"), Sales()); });
  EXPECT_TRUE(Contains(message, "and needs bool arguments, got int32")) << message;
  message = ErrorOf([] { Bind(-col("region"), Sales()); });
  EXPECT_EQ(message, "cannot negate utf8 in `-region`");
}

TEST(BindTest, WrongArgumentCountIsAnError) {
  std::string message = ErrorOf([] { Bind(call("add", {col("qty")}), Sales()); });
  EXPECT_EQ(message, "add takes 2 arguments (1 given) in `add(qty)`");
}

TEST(BindTest, ImpossibleCastIsAnError) {
  std::string message = ErrorOf([] { Bind(col("day").cast(Int32()), Sales()); });
  EXPECT_EQ(message, "cannot cast date32 to int32 in `CAST(day AS int32)`");
}

TEST(BindTest, ResolveTypeFollowsPromotionRules) {
  Schema s = Sales();
  EXPECT_EQ(ResolveType(col("qty") + col("user_id"), s), Int64());
  EXPECT_EQ(ResolveType(col("qty") + 1, s), Int32());
  EXPECT_EQ(ResolveType(col("qty") * 0.5, s), Float64());
  EXPECT_EQ(ResolveType(col("qty") / col("qty"), s), Float64());
  EXPECT_EQ(ResolveType(col("price") + col("price"), s), Decimal(16, 2));
  EXPECT_EQ(ResolveType(col("price") * col("price"), s), Decimal(30, 4));
  EXPECT_EQ(ResolveType(col("price") * 2, s), Decimal(16, 2));
  EXPECT_EQ(ResolveType(col("price") + col("qty"), s), Decimal(16, 2));
  EXPECT_EQ(ResolveType(col("price") * 0.5, s), Float64());
  EXPECT_EQ(ResolveType(col("qty") > 1, s), Bool());
  EXPECT_EQ(ResolveType(col("region").cast(Int64()), s), Int64());
  EXPECT_EQ(ResolveType(col("ts") - col("ts"), s), Duration(TimeUnit::kMicro));
  EXPECT_EQ(ResolveType(col("day") - col("day"), s), Int64());
  EXPECT_EQ(ResolveType(col("day") + 1, s), Date32());
  EXPECT_EQ(ResolveType(col("day") + lit_duration(1, "hour"), s), Timestamp(TimeUnit::kMicro));
  EXPECT_EQ(ResolveType(col("ts") + lit_duration(1, "hour"), s), Timestamp(TimeUnit::kMicro));
  EXPECT_EQ(ResolveType(col("user_id").fill_null(lit(0)), s), Int64());
  EXPECT_EQ(ResolveType(when(col("flag")).then(col("qty")).otherwise(col("revenue")), s),
            Float64());
}

TEST(BindTest, StringLiteralAdaptsToTheOtherSidesType) {
  Schema s = Sales();
  BoundExprPtr bound = Bind(col("day") >= lit("2024-03-01"), s);
  ASSERT_EQ(bound->args.size(), 2u);
  EXPECT_EQ(bound->args[1]->kind, BoundExpr::Kind::kLiteral);
  EXPECT_EQ(bound->args[1]->type, Date32());
  // Text that is not a date does not adapt, and then the types do not meet.
  EXPECT_THROW(Bind(col("day") >= lit("soon"), s), Error);
}

TEST(BindTest, ImplicitCastsOfLiteralsAreFolded) {
  BoundExprPtr bound = Bind(col("user_id") + 1, Sales());
  EXPECT_EQ(bound->args[1]->kind, BoundExpr::Kind::kLiteral);
  EXPECT_EQ(bound->args[1]->type, Int64());
  BoundExprPtr cast = Bind(lit("12").cast(Int32()), Sales());
  EXPECT_EQ(cast->kind, BoundExpr::Kind::kLiteral);
  EXPECT_EQ(cast->type, Int32());
}

TEST(BindTest, RegistryListsEveryCanonicalName) {
  const FunctionRegistry& registry = FunctionRegistry::BuiltIn();
  for (const char* name : {"add",
                           "subtract",
                           "multiply",
                           "divide",
                           "integer_divide",
                           "modulo",
                           "negate",
                           "equal",
                           "not_equal",
                           "less",
                           "less_equal",
                           "greater",
                           "greater_equal",
                           "and",
                           "or",
                           "not",
                           "is_null",
                           "is_not_null",
                           "coalesce",
                           "is_in",
                           "between",
                           "case_when",
                           "abs",
                           "round",
                           "floor",
                           "ceil",
                           "sqrt",
                           "ln",
                           "log10",
                           "exp",
                           "pow",
                           "sign",
                           "hash"}) {
    EXPECT_NE(registry.Find(name), nullptr) << name;
  }
  EXPECT_EQ(registry.Find("no_such_function"), nullptr);
  std::vector<std::string> names = registry.Names();
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
}

}  // namespace
}  // namespace sluice
