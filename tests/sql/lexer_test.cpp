// Tests of the SQL lexer (src/sql/lexer.h): token kinds and texts, identifier case folding,
// string escapes, numbers, operators, comments, positions in UTF-8 characters over several lines,
// and the errors for unterminated strings, identifiers and comments.
#include "sql/lexer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/error.h"

namespace sluice::sql {
namespace {

std::vector<std::string> Texts(std::string_view sql) {
  std::vector<std::string> texts;
  for (const Token& token : Tokenize(sql)) {
    if (token.kind != TokenKind::kEnd) texts.push_back(token.text);
  }
  return texts;
}

std::string ErrorOf(std::string_view sql) {
  try {
    Tokenize(sql);
  } catch (const Error& error) {
    return error.what();
  }
  return "";
}

TEST(SqlLexer, IdentifiersFoldCaseUnlessQuoted) {
  std::vector<Token> tokens = Tokenize("SELECT Foo, \"Bar\", \"a \"\"b\"\"\" FROM t_1$x");
  ASSERT_EQ(tokens.size(), 9u);
  EXPECT_EQ(tokens[0].kind, TokenKind::kIdentifier);
  EXPECT_EQ(tokens[0].text, "select");
  EXPECT_EQ(tokens[0].raw, "SELECT");
  EXPECT_TRUE(tokens[0].IsWord("select"));
  EXPECT_EQ(tokens[1].text, "foo");
  EXPECT_EQ(tokens[3].kind, TokenKind::kQuotedIdentifier);
  EXPECT_EQ(tokens[3].text, "Bar");
  EXPECT_EQ(tokens[5].text, "a \"b\"");
  EXPECT_EQ(tokens[7].text, "t_1$x");
  EXPECT_EQ(tokens[8].kind, TokenKind::kEnd);
}

TEST(SqlLexer, Strings) {
  std::vector<Token> tokens = Tokenize("'it''s' E'a\\nb\\'c' e'\\\\' ''");
  ASSERT_EQ(tokens.size(), 5u);
  EXPECT_EQ(tokens[0].kind, TokenKind::kString);
  EXPECT_EQ(tokens[0].text, "it's");
  EXPECT_EQ(tokens[0].raw, "'it''s'");
  EXPECT_EQ(tokens[1].text, "a\nb'c");
  EXPECT_EQ(tokens[2].text, "\\");
  EXPECT_EQ(tokens[3].text, "");
  // Without E, a backslash is an ordinary character.
  EXPECT_EQ(Tokenize("'a\\nb'")[0].text, "a\\nb");
}

TEST(SqlLexer, Numbers) {
  std::vector<Token> tokens = Tokenize("42 0.2 .5 1e10 1.5E-3 7. 1 e");
  ASSERT_EQ(tokens.size(), 9u);
  EXPECT_EQ(tokens[0].kind, TokenKind::kInteger);
  EXPECT_EQ(tokens[0].text, "42");
  for (int i = 1; i <= 5; ++i) EXPECT_EQ(tokens[i].kind, TokenKind::kDecimal) << i;
  EXPECT_EQ(tokens[1].text, "0.2");
  EXPECT_EQ(tokens[2].text, ".5");
  EXPECT_EQ(tokens[3].text, "1e10");
  EXPECT_EQ(tokens[4].text, "1.5E-3");
  EXPECT_EQ(tokens[5].text, "7.");
  EXPECT_EQ(tokens[6].kind, TokenKind::kInteger);
  EXPECT_EQ(tokens[7].text, "e");
}

TEST(SqlLexer, Operators) {
  EXPECT_EQ(Texts("a+b-c*d/e//f%g||h"),
            (std::vector<std::string>{"a", "+", "b", "-", "c", "*", "d", "/", "e", "//", "f", "%",
                                      "g", "||", "h"}));
  EXPECT_EQ(Texts("= <> != < <= > >= :: ( ) , . ; := =>"),
            (std::vector<std::string>{"=", "<>", "<>", "<", "<=", ">", ">=", "::", "(", ")", ",",
                                      ".", ";", ":=", "=>"}));
  std::vector<Token> tokens = Tokenize("? $12");
  EXPECT_EQ(tokens[0].kind, TokenKind::kParameter);
  EXPECT_EQ(tokens[1].kind, TokenKind::kParameter);
  EXPECT_EQ(tokens[1].text, "12");
  // a.b lexes as three tokens, t.5 is not a number after a name.
  EXPECT_EQ(Texts("t.a"), (std::vector<std::string>{"t", ".", "a"}));
}

TEST(SqlLexer, Comments) {
  EXPECT_EQ(Texts("a -- comment\n b /* block /* nested */ still */ c -- end"),
            (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(Texts("a/**/b"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(Texts("1 - -2"), (std::vector<std::string>{"1", "-", "-", "2"}));
}

TEST(SqlLexer, PositionsCountCharactersAcrossLines) {
  std::vector<Token> tokens = Tokenize("select\n  'héllo', x\n\t-- c\nfrom");
  ASSERT_EQ(tokens.size(), 6u);
  EXPECT_EQ(tokens[0].pos.line, 1);
  EXPECT_EQ(tokens[0].pos.column, 1);
  EXPECT_EQ(tokens[1].pos.line, 2);
  EXPECT_EQ(tokens[1].pos.column, 3);
  EXPECT_EQ(tokens[1].pos.offset, 9);
  // 'héllo' is 7 characters but 8 bytes: the comma is at column 10, byte offset 17.
  EXPECT_EQ(tokens[2].pos.column, 10);
  EXPECT_EQ(tokens[2].pos.offset, 17);
  EXPECT_EQ(tokens[3].pos.column, 12);
  EXPECT_EQ(tokens[4].pos.line, 4);
  EXPECT_EQ(tokens[4].pos.column, 1);
  EXPECT_EQ(tokens[5].kind, TokenKind::kEnd);
  EXPECT_EQ(tokens[5].pos.line, 4);
  EXPECT_EQ(tokens[5].pos.column, 5);
}

TEST(SqlLexer, Errors) {
  EXPECT_EQ(ErrorOf("select 'abc"),
            "line 1, column 8: unterminated string literal (it begins here)\n"
            "  select 'abc\n"
            "         ^");
  EXPECT_EQ(ErrorOf("select 1,\n  /* open\n comment"),
            "line 2, column 3: unterminated /* comment\n"
            "    /* open\n"
            "    ^");
  EXPECT_EQ(ErrorOf("select \"abc"),
            "line 1, column 8: unterminated quoted identifier (it begins here)\n"
            "  select \"abc\n"
            "         ^");
  EXPECT_EQ(ErrorOf("select \"\""),
            "line 1, column 8: zero-length quoted identifier \"\"\n"
            "  select \"\"\n"
            "         ^");
  EXPECT_EQ(ErrorOf("select a # b"),
            "line 1, column 10: unexpected character \"#\"\n"
            "  select a # b\n"
            "           ^");
  // A number runs into letters: not `0 AS x10`.
  EXPECT_EQ(ErrorOf("select 0x10"),
            "line 1, column 8: invalid number \"0x10\"\n"
            "  select 0x10\n"
            "         ^");
  EXPECT_NE(ErrorOf("select 1e"), "");
  EXPECT_NE(ErrorOf(std::string("a\0b", 3)).find("unexpected character 0x00"), std::string::npos);
}

TEST(SqlLexer, DescribeToken) {
  std::vector<Token> tokens = Tokenize("FORM 'x'");
  EXPECT_EQ(DescribeToken(tokens[0]), "\"FORM\"");
  EXPECT_EQ(DescribeToken(tokens[1]), "\"'x'\"");
  EXPECT_EQ(DescribeToken(tokens[2]), "end of input");
}

}  // namespace
}  // namespace sluice::sql
