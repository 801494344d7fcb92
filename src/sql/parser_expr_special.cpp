// Expressions with a grammar of their own: function calls (DISTINCT, count(*), named arguments,
// FILTER, OVER windows), CASE, CAST/TRY_CAST, INTERVAL literals, and the SQL-standard forms
// EXTRACT(f FROM x), SUBSTRING(x FROM a FOR b), POSITION(a IN b), TRIM(LEADING c FROM x) which
// become plain function calls.
#include <fmt/format.h>

#include "sql/parser_state.h"

namespace sluice::sql {
namespace {

/// The upper-cased singular unit an interval word names, or empty.
std::string IntervalUnit(std::string_view word) {
  static constexpr std::string_view kUnits[] = {"year",        "quarter",     "month",  "week",
                                                "day",         "hour",        "minute", "second",
                                                "millisecond", "microsecond", "decade", "century"};
  for (std::string_view unit : kUnits) {
    if (word == unit || (word.size() == unit.size() + 1 && word.substr(0, unit.size()) == unit &&
                         word.back() == 's')) {
      return UpperAscii(unit);
    }
  }
  if (word == "centuries") return "CENTURY";
  return {};
}

AstExprPtr MakeFunction(std::string name, SourcePos pos, std::vector<AstExprPtr> args) {
  AstExprPtr expr = MakeExpr(AstExprKind::kFunction, pos);
  expr->names = {std::move(name)};
  expr->args = std::move(args);
  return expr;
}

}  // namespace

AstExprPtr Parser::ParseFunctionCall(std::vector<std::string> names, SourcePos pos,
                                     bool named_args) {
  AstExprPtr call = MakeExpr(AstExprKind::kFunction, pos);
  call->names = std::move(names);
  ExpectOperator("(");
  if (AtOperator("*") && AtOperator(")", 1)) {
    Next();
    call->star_arg = true;
  } else if (!AtOperator(")")) {
    if (AcceptWord("distinct")) {
      call->distinct = true;
    } else {
      AcceptWord("all");
    }
    bool any_named = false;
    std::vector<std::string> arg_names;
    do {
      std::string arg_name;
      const Token& after = Peek(1);
      bool is_name =
          Peek().kind == TokenKind::kIdentifier || Peek().kind == TokenKind::kQuotedIdentifier;
      if (is_name && (after.IsOperator(":=") || after.IsOperator("=>") ||
                      (named_args && after.IsOperator("=")))) {
        arg_name = Next().text;
        Next();
        any_named = true;
      }
      arg_names.push_back(std::move(arg_name));
      call->args.push_back(ParseExpr());
    } while (AcceptOperator(","));
    if (any_named) call->arg_names = std::move(arg_names);
    if (AtWord("order")) {
      ErrorUnsupported(Peek().pos, "ORDER BY inside a function call is not supported");
    }
  }
  ExpectOperator(")");
  if (AtWord("filter") && AtOperator("(", 1)) {
    Next();
    Next();
    ExpectWord("where");
    call->filter = ParseExpr();
    ExpectOperator(")");
  }
  if (AtWord("over")) {
    Next();
    call->window = std::make_shared<WindowSpec>();
    if (AcceptOperator("(")) {
      ParseWindowSpecBody(call->window.get());
      ExpectOperator(")");
    } else {
      call->window->name = ParseIdentifier("a window name or \"(\" after OVER");
    }
  }
  return call;
}

void Parser::ParseWindowSpecBody(WindowSpec* spec) {
  if (AtIdentifier() && !AtWord("partition") && !AtWord("rows") && !AtWord("range") &&
      !AtWord("groups")) {
    spec->name = Next().text;
  }
  if (AcceptWord("partition")) {
    ExpectWord("by");
    spec->partition_by = ParseExprList();
  }
  if (AcceptWord("order")) {
    ExpectWord("by");
    spec->order_by = ParseOrderByList();
  }
  if (AtWord("groups")) ErrorUnsupported(Peek().pos, "GROUPS window frames are not supported");
  if (!AtWord("rows") && !AtWord("range")) return;
  WindowFrameSpec frame;
  frame.units =
      Next().text == "rows" ? WindowFrameSpec::Units::kRows : WindowFrameSpec::Units::kRange;
  auto parse_bound = [&]() {
    FrameBound bound;
    if (AcceptWord("unbounded")) {
      if (AcceptWord("preceding")) {
        bound.kind = FrameBound::Kind::kUnboundedPreceding;
      } else if (AcceptWord("following")) {
        bound.kind = FrameBound::Kind::kUnboundedFollowing;
      } else {
        ErrorExpected("PRECEDING or FOLLOWING");
      }
    } else if (AcceptWord("current")) {
      ExpectWord("row");
      bound.kind = FrameBound::Kind::kCurrentRow;
    } else {
      bound.offset = ParseBinary(7);  // Above AND, so `BETWEEN 1 PRECEDING AND ...` reads.
      if (AcceptWord("preceding")) {
        bound.kind = FrameBound::Kind::kPreceding;
      } else if (AcceptWord("following")) {
        bound.kind = FrameBound::Kind::kFollowing;
      } else {
        ErrorExpected("PRECEDING or FOLLOWING");
      }
    }
    return bound;
  };
  if (AcceptWord("between")) {
    frame.start = parse_bound();
    ExpectWord("and");
    frame.end = parse_bound();
  } else {
    frame.start = parse_bound();
    frame.end.kind = FrameBound::Kind::kCurrentRow;
  }
  if (AtWord("exclude")) ErrorUnsupported(Peek().pos, "EXCLUDE in window frames is not supported");
  spec->frame = std::move(frame);
}

AstExprPtr Parser::ParseCase(SourcePos pos) {
  AstExprPtr expr = MakeExpr(AstExprKind::kCase, pos);
  if (!AtWord("when")) {
    expr->has_operand = true;
    expr->args.push_back(ParseExpr());
  }
  if (!AtWord("when")) ErrorExpected("WHEN");
  while (AcceptWord("when")) {
    expr->args.push_back(ParseExpr());
    ExpectWord("then");
    expr->args.push_back(ParseExpr());
  }
  if (AcceptWord("else")) expr->else_expr = ParseExpr();
  ExpectWord("end");
  return expr;
}

AstExprPtr Parser::ParseInterval(SourcePos pos) {
  AstExprPtr expr = MakeExpr(AstExprKind::kInterval, pos);
  bool negative = AcceptOperator("-");
  const Token& value = Next();
  expr->text = negative ? "-" + value.text : value.text;
  if (Peek().kind == TokenKind::kIdentifier) {
    std::string unit = IntervalUnit(Peek().text);
    if (!unit.empty()) {
      Next();
      expr->unit = std::move(unit);
      return expr;
    }
  }
  if (value.kind != TokenKind::kString) {
    ErrorExpected("an interval unit (YEAR, MONTH, DAY, HOUR, ...)");
  }
  return expr;
}

AstExprPtr Parser::ParseSpecialForm(const std::string& name, SourcePos pos) {
  // The cursor is on the `(` after the name.
  if (name == "cast" || name == "try_cast") {
    Next();
    AstExprPtr expr = MakeExpr(AstExprKind::kCast, pos);
    expr->try_cast = name == "try_cast";
    expr->args = {ParseExpr()};
    ExpectWord("as");
    expr->type = ParseTypeName();
    ExpectOperator(")");
    return expr;
  }
  if (name == "extract") {
    Next();
    AstExprPtr expr = MakeExpr(AstExprKind::kExtract, pos);
    const Token& field = Peek();
    if (field.kind != TokenKind::kIdentifier && field.kind != TokenKind::kString &&
        field.kind != TokenKind::kQuotedIdentifier) {
      ErrorExpected("a field name (YEAR, MONTH, DAY, ...)");
    }
    expr->text = UpperAscii(Next().text);
    ExpectWord("from");
    expr->args = {ParseExpr()};
    ExpectOperator(")");
    return expr;
  }
  if (name == "substring") {
    Next();
    std::vector<AstExprPtr> args = {ParseExpr()};
    if (AtWord("from") || AtWord("for")) {
      if (AcceptWord("from")) {
        args.push_back(ParseExpr());
      } else {
        args.push_back(MakeInteger("1", Peek().pos));
      }
      if (AcceptWord("for")) args.push_back(ParseExpr());
    } else {
      while (AcceptOperator(",")) args.push_back(ParseExpr());
    }
    ExpectOperator(")");
    return MakeFunction("substring", pos, std::move(args));
  }
  if (name == "position") {
    // POSITION(needle IN haystack) calls position(haystack, needle), as PostgreSQL and DuckDB.
    Next();
    AstExprPtr needle = ParseBinary(7);  // Above IN.
    std::vector<AstExprPtr> args;
    if (AcceptWord("in")) {
      args = {ParseExpr(), needle};
    } else {
      args = {needle};
      while (AcceptOperator(",")) args.push_back(ParseExpr());
    }
    ExpectOperator(")");
    return MakeFunction("position", pos, std::move(args));
  }
  if (name == "trim") {
    // TRIM([BOTH|LEADING|TRAILING] [chars] FROM x) -> trim/ltrim/rtrim(x [, chars]).
    Next();
    std::string function = "trim";
    if (AcceptWord("leading")) {
      function = "ltrim";
    } else if (AcceptWord("trailing")) {
      function = "rtrim";
    } else {
      AcceptWord("both");
    }
    std::vector<AstExprPtr> args;
    if (AcceptWord("from")) {
      args = {ParseExpr()};
    } else {
      AstExprPtr first = ParseExpr();
      if (AcceptWord("from")) {
        args = {ParseExpr(), first};
      } else {
        args = {first};
        while (AcceptOperator(",")) args.push_back(ParseExpr());
      }
    }
    ExpectOperator(")");
    return MakeFunction(std::move(function), pos, std::move(args));
  }
  return nullptr;
}

}  // namespace sluice::sql
