// Expressions by precedence climbing, with PostgreSQL's precedence (lowest first):
//   OR < AND < NOT < IS < comparison (= <> < <= > >=) < BETWEEN/IN/LIKE/ILIKE
//   < + - || < * / // % < unary + - < :: < primary.
// Binary operators associate to the left. Primaries (literals, names, calls, subqueries) are
// here too; the special forms with their own grammar sit in parser_expr_special.cpp.
#include <fmt/format.h>

#include "sql/parser_state.h"

namespace sluice::sql {
namespace {

enum Precedence : int {
  kOrLevel = 1,
  kAndLevel = 2,
  kNotLevel = 3,
  kIsLevel = 4,
  kCompareLevel = 5,
  kPredicateLevel = 6,  // BETWEEN, IN, LIKE, ILIKE
  kAddLevel = 7,
  kMultiplyLevel = 8,
  kUnaryLevel = 9,
  kCastLevel = 10,
};

/// The comparison operator a token spells, if any.
bool ComparisonOp(const Token& token, AstOp* op) {
  if (token.kind != TokenKind::kOperator) return false;
  const std::string& t = token.text;
  if (t == "=")
    *op = AstOp::kEqual;
  else if (t == "<>")
    *op = AstOp::kNotEqual;
  else if (t == "<")
    *op = AstOp::kLess;
  else if (t == "<=")
    *op = AstOp::kLessEqual;
  else if (t == ">")
    *op = AstOp::kGreater;
  else if (t == ">=")
    *op = AstOp::kGreaterEqual;
  else
    return false;
  return true;
}

bool AdditiveOp(const Token& token, AstOp* op) {
  if (token.kind != TokenKind::kOperator) return false;
  if (token.text == "+")
    *op = AstOp::kAdd;
  else if (token.text == "-")
    *op = AstOp::kSubtract;
  else if (token.text == "||")
    *op = AstOp::kConcat;
  else
    return false;
  return true;
}

bool MultiplicativeOp(const Token& token, AstOp* op) {
  if (token.kind != TokenKind::kOperator) return false;
  if (token.text == "*")
    *op = AstOp::kMultiply;
  else if (token.text == "/")
    *op = AstOp::kDivide;
  else if (token.text == "//")
    *op = AstOp::kIntDivide;
  else if (token.text == "%")
    *op = AstOp::kModulo;
  else
    return false;
  return true;
}

bool IsPredicateWord(const Token& token) {
  return token.IsWord("between") || token.IsWord("in") || token.IsWord("like") ||
         token.IsWord("ilike");
}

AstExprPtr MakeBinary(AstOp op, SourcePos pos, AstExprPtr left, AstExprPtr right) {
  AstExprPtr expr = MakeExpr(AstExprKind::kBinary, pos);
  expr->op = op;
  expr->args = {std::move(left), std::move(right)};
  return expr;
}

}  // namespace

AstExprPtr Parser::ParseExpr() {
  return ParseBinary(kOrLevel);
}

std::vector<AstExprPtr> Parser::ParseExprList() {
  std::vector<AstExprPtr> list;
  do {
    list.push_back(ParseExpr());
  } while (AcceptOperator(","));
  return list;
}

AstExprPtr Parser::ParseBinary(int min_precedence) {
  DepthGuard guard(this);
  AstExprPtr left = ParsePrefix();
  while (true) {
    const Token& token = Peek();
    SourcePos pos = token.pos;
    AstOp op;
    if (token.IsWord("or") && min_precedence <= kOrLevel) {
      Next();
      left = MakeBinary(AstOp::kOr, pos, left, ParseBinary(kOrLevel + 1));
    } else if (token.IsWord("and") && min_precedence <= kAndLevel) {
      Next();
      left = MakeBinary(AstOp::kAnd, pos, left, ParseBinary(kAndLevel + 1));
    } else if (token.IsWord("is") && min_precedence <= kIsLevel) {
      Next();
      bool negated = AcceptWord("not");
      if (AcceptWord("null")) {
        AstExprPtr expr = MakeExpr(AstExprKind::kIsNull, pos);
        expr->negated = negated;
        expr->args = {left};
        left = expr;
      } else if (AtWord("true") || AtWord("false")) {
        AstExprPtr expr = MakeExpr(AstExprKind::kIsBool, pos);
        expr->literal_kind = Next().text == "true" ? LiteralKind::kTrue : LiteralKind::kFalse;
        expr->negated = negated;
        expr->args = {left};
        left = expr;
      } else if (AcceptWord("distinct")) {
        ExpectWord("from");
        left = MakeBinary(negated ? AstOp::kIsNotDistinctFrom : AstOp::kIsDistinctFrom, pos, left,
                          ParseBinary(kIsLevel + 1));
      } else {
        ErrorExpected(negated ? "NULL, TRUE, FALSE or DISTINCT FROM after IS NOT"
                              : "NULL, TRUE, FALSE or DISTINCT FROM after IS");
      }
    } else if (ComparisonOp(token, &op) && min_precedence <= kCompareLevel) {
      Next();
      if (AtWord("any") || AtWord("all") || AtWord("some")) {
        ErrorUnsupported(Peek().pos,
                         fmt::format("{} (subquery) comparisons are not supported; use IN or "
                                     "EXISTS",
                                     UpperAscii(Peek().text)));
      }
      left = MakeBinary(op, pos, left, ParseBinary(kCompareLevel + 1));
    } else if ((IsPredicateWord(token) || (token.IsWord("not") && IsPredicateWord(Peek(1)))) &&
               min_precedence <= kPredicateLevel) {
      bool negated = AcceptWord("not");
      pos = Peek().pos;
      const std::string word = Next().text;
      if (word == "between") {
        AstExprPtr expr = MakeExpr(AstExprKind::kBetween, pos);
        expr->negated = negated;
        AstExprPtr low = ParseBinary(kAddLevel);
        ExpectWord("and");
        AstExprPtr high = ParseBinary(kAddLevel);
        expr->args = {left, low, high};
        left = expr;
      } else if (word == "in") {
        ExpectOperator("(");
        AstExprPtr expr;
        if (AtQueryStart()) {
          expr = MakeExpr(AstExprKind::kInSubquery, pos);
          expr->subquery = ParseQuery();
          expr->args = {left};
        } else {
          expr = MakeExpr(AstExprKind::kInList, pos);
          expr->args = {left};
          for (AstExprPtr& item : ParseExprList()) expr->args.push_back(std::move(item));
        }
        ExpectOperator(")");
        expr->negated = negated;
        left = expr;
      } else {  // LIKE, ILIKE
        AstExprPtr expr = MakeExpr(AstExprKind::kLike, pos);
        expr->negated = negated;
        expr->case_insensitive = word == "ilike";
        expr->args = {left, ParseBinary(kAddLevel)};
        if (AcceptWord("escape")) expr->args.push_back(ParseBinary(kAddLevel));
        left = expr;
      }
    } else if (AdditiveOp(token, &op) && min_precedence <= kAddLevel) {
      Next();
      left = MakeBinary(op, pos, left, ParseBinary(kAddLevel + 1));
    } else if (MultiplicativeOp(token, &op) && min_precedence <= kMultiplyLevel) {
      Next();
      left = MakeBinary(op, pos, left, ParseBinary(kMultiplyLevel + 1));
    } else if (token.IsOperator("::") && min_precedence <= kCastLevel) {
      Next();
      AstExprPtr cast = MakeExpr(AstExprKind::kCast, pos);
      cast->type = ParseTypeName();
      cast->args = {left};
      left = cast;
    } else {
      break;
    }
    // Each operator adds a level to the tree (left-deep chains grow without recursing here,
    // but later passes over the tree do recurse).
    guard.Deepen();
  }
  return left;
}

AstExprPtr Parser::ParsePrefix() {
  const Token& token = Peek();
  SourcePos pos = token.pos;
  if (token.IsWord("not")) {
    Next();
    AstExprPtr operand = ParseBinary(kNotLevel + 1);
    // NOT EXISTS (...) is one node, as the binder decorrelates it as an anti join.
    if (operand->kind == AstExprKind::kExists && !operand->negated && !operand->parenthesized) {
      operand->negated = true;
      operand->pos = pos;
      return operand;
    }
    AstExprPtr expr = MakeExpr(AstExprKind::kUnary, pos);
    expr->op = AstOp::kNot;
    expr->args = {operand};
    return expr;
  }
  if (token.IsOperator("-") || token.IsOperator("+")) {
    AstOp op = token.text == "-" ? AstOp::kNegate : AstOp::kPlus;
    Next();
    AstExprPtr expr = MakeExpr(AstExprKind::kUnary, pos);
    expr->op = op;
    expr->args = {ParseBinary(kUnaryLevel)};
    return expr;
  }
  return ParsePrimary();
}

AstExprPtr Parser::ParsePrimary() {
  // Counts again, so that nesting through parentheses and calls (several stack frames a level)
  // stops at half the depth of an operator chain.
  DepthGuard guard(this);
  const Token& token = Peek();
  SourcePos pos = token.pos;
  switch (token.kind) {
    case TokenKind::kInteger:
    case TokenKind::kDecimal:
    case TokenKind::kString: {
      AstExprPtr expr = MakeExpr(AstExprKind::kLiteral, pos);
      expr->literal_kind = token.kind == TokenKind::kInteger   ? LiteralKind::kInteger
                           : token.kind == TokenKind::kDecimal ? LiteralKind::kDecimal
                                                               : LiteralKind::kString;
      expr->text = Next().text;
      return expr;
    }
    case TokenKind::kParameter: {
      AstExprPtr expr = MakeExpr(AstExprKind::kParameter, pos);
      expr->text = Next().text;
      return expr;
    }
    case TokenKind::kOperator: {
      if (!token.IsOperator("(")) break;
      if (AtQueryStart(1)) {
        Next();
        AstExprPtr expr = MakeExpr(AstExprKind::kSubquery, pos);
        expr->subquery = ParseQuery();
        ExpectOperator(")");
        return expr;
      }
      Next();
      AstExprPtr expr = ParseExpr();
      if (AtOperator(",")) ErrorUnsupported(Peek().pos, "row values (a, b, ...) are not supported");
      ExpectOperator(")");
      expr->parenthesized = true;
      return expr;
    }
    case TokenKind::kQuotedIdentifier:
    case TokenKind::kIdentifier: break;
    case TokenKind::kEnd: break;
  }
  if (token.kind != TokenKind::kIdentifier && token.kind != TokenKind::kQuotedIdentifier) {
    ErrorExpected("an expression");
  }
  if (token.kind == TokenKind::kIdentifier) {
    const std::string& word = token.text;
    const Token& next = Peek(1);
    if (word == "null" || word == "true" || word == "false") {
      AstExprPtr expr = MakeExpr(AstExprKind::kLiteral, pos);
      expr->literal_kind = word == "null"   ? LiteralKind::kNull
                           : word == "true" ? LiteralKind::kTrue
                                            : LiteralKind::kFalse;
      Next();
      return expr;
    }
    if (word == "case") {
      Next();
      return ParseCase(pos);
    }
    if (word == "exists" && next.IsOperator("(")) {
      Next();
      Next();
      if (!AtQueryStart()) ErrorExpected("a subquery after EXISTS (");
      AstExprPtr expr = MakeExpr(AstExprKind::kExists, pos);
      expr->subquery = ParseQuery();
      ExpectOperator(")");
      return expr;
    }
    if (word == "interval" &&
        (next.kind == TokenKind::kString || next.kind == TokenKind::kInteger ||
         next.kind == TokenKind::kDecimal ||
         (next.IsOperator("-") &&
          (Peek(2).kind == TokenKind::kInteger || Peek(2).kind == TokenKind::kDecimal)))) {
      Next();
      return ParseInterval(pos);
    }
    if ((word == "timestamp" || word == "time") && AtWord("with", 1) && AtWord("time", 2) &&
        AtWord("zone", 3) && Peek(4).kind == TokenKind::kString) {
      AstExprPtr expr = MakeExpr(AstExprKind::kTypedLiteral, pos);
      expr->type = ParseTypeName();
      expr->text = Next().text;
      return expr;
    }
    // `DATE '2024-01-01'`, `TIMESTAMP '...'`: a type name followed by a string.
    if (next.kind == TokenKind::kString && !IsReservedWord(word)) {
      AstExprPtr expr = MakeExpr(AstExprKind::kTypedLiteral, pos);
      expr->type.name = UpperAscii(word);
      expr->type.pos = pos;
      Next();
      expr->text = Next().text;
      return expr;
    }
    if (word == "current_date" || word == "current_timestamp" || word == "current_time" ||
        word == "localtimestamp" || word == "localtime") {
      Next();
      AstExprPtr expr = MakeExpr(AstExprKind::kFunction, pos);
      expr->names = {word};
      if (AtOperator("(") && AtOperator(")", 1)) {
        Next();
        Next();
      }
      return expr;
    }
    if (next.IsOperator("(")) {
      std::string name = word;
      if (IsReservedWord(name) && !IsFunctionNameWord(name) && name != "cast") {
        ErrorExpected("an expression");
      }
      Next();
      if (AstExprPtr special = ParseSpecialForm(name, pos)) return special;
      return ParseFunctionCall({name}, pos, /*named_args=*/false);
    }
    if (IsReservedWord(word)) ErrorExpected("an expression");
  }
  // A column reference a, t.a, s.t.a; `t.*`; or a qualified function call s.f(...).
  std::vector<std::string> names = {Next().text};
  while (AtOperator(".")) {
    Next();
    if (AtOperator("*")) {
      Next();
      AstExprPtr star = MakeExpr(AstExprKind::kStar, pos);
      star->names = std::move(names);
      return star;
    }
    names.push_back(ParseLabel("a name after \".\""));
  }
  if (AtOperator("(")) {
    if (names.size() == 1) {
      if (AstExprPtr special = ParseSpecialForm(names[0], pos)) return special;
    }
    return ParseFunctionCall(std::move(names), pos, /*named_args=*/false);
  }
  AstExprPtr expr = MakeExpr(AstExprKind::kColumnRef, pos);
  expr->names = std::move(names);
  return expr;
}

}  // namespace sluice::sql
