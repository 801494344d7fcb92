// libFuzzer target: any bytes given to the SQL parser as text must either parse or fail with a
// sluice::Error — never crash, hang, recurse without bound or read out of bounds. Successful
// parses also check that each statement's text is a slice of the input, and that a statement
// parsed alone from its own text parses again (the text names everything the statement needs).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/error.h"
#include "sql/parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view sql(reinterpret_cast<const char*>(data), size);
  std::vector<sluice::sql::Statement> statements;
  try {
    statements = sluice::sql::ParseSql(sql);
  } catch (const sluice::Error&) {
    return 0;
  }
  for (const sluice::sql::Statement& statement : statements) {
    if (statement.text.empty() || sql.find(statement.text) == std::string_view::npos) {
      std::fprintf(stderr, "statement text is not a slice of the input: '%s'\n",
                   statement.text.c_str());
      std::abort();
    }
    try {
      if (sluice::sql::ParseSql(statement.text).size() != 1) {
        std::fprintf(stderr, "'%s' parses as more than one statement alone\n",
                     statement.text.c_str());
        std::abort();
      }
    } catch (const sluice::Error& error) {
      std::fprintf(stderr, "'%s' parsed in context but not alone: %s\n", statement.text.c_str(),
                   error.what());
      std::abort();
    }
  }
  // The expression entry point takes the same bytes.
  try {
    sluice::sql::ParseSqlExpression(sql);
  } catch (const sluice::Error&) {
  }
  return 0;
}
