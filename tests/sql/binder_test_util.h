// Helpers of the binder tests: run SQL through the parser, the binder and the executor, and
// render the result as "name:type|..." then one "v|v|..." line per row.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "expr/evaluate.h"
#include "plan/explain.h"
#include "plan/lazy_frame.h"
#include "sql/binder.h"
#include "sql/catalog.h"
#include "sql/parser.h"

namespace sluice::sql::test {

inline std::string RunSql(std::string_view sql, const Catalog& catalog = Catalog()) {
  std::vector<Statement> statements = ParseSql(sql);
  PlanPtr plan = BindQuery(*statements.at(0).query, catalog, sql);
  DataFrame frame = LazyFrame(plan).collect();
  std::string out;
  for (size_t i = 0; i < frame.schema->size(); ++i) {
    if (i) out += "|";
    out += frame.schema->field(i).name + ":" + frame.schema->field(i).type.ToString();
  }
  out += "\n";
  for (const Batch& batch : frame.batches) {
    for (int64_t r = 0; r < batch.num_rows; ++r) {
      for (size_t c = 0; c < batch.columns.size(); ++c) {
        if (c) out += "|";
        out += ScalarFromColumn(batch.columns[c], r).ToString();
      }
      out += "\n";
    }
  }
  return out;
}

/// A catalog with small views: t(a int32, b utf8, c decimal(2,1)), u(a int32, d utf8),
/// n(x int32) holding a null.
inline Catalog SmallCatalog() {
  Catalog catalog;
  auto add = [&](const char* name, std::string_view sql) {
    std::vector<Statement> statements = ParseSql(sql);
    catalog.Put({Catalog::Kind::kView, name, BindQuery(*statements.at(0).query, catalog, sql)});
  };
  add("t", "SELECT * FROM (VALUES (1, 'x', 1.5), (2, 'y', 2.5), (3, 'x', NULL)) v(a, b, c)");
  add("u", "SELECT * FROM (VALUES (1, 'one'), (3, 'three'), (4, 'four')) v(a, d)");
  add("n", "SELECT * FROM (VALUES (1), (NULL)) v(x)");
  return catalog;
}

/// The plan of `sql` as EXPLAIN prints it (not optimized).
inline std::string PlanText(std::string_view sql, const Catalog& catalog) {
  std::vector<Statement> statements = ParseSql(sql);
  return ExplainPlan(BindQuery(*statements.at(0).query, catalog, sql));
}

inline std::string RunError(std::string_view sql, const Catalog& catalog = Catalog()) {
  try {
    RunSql(sql, catalog);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace sluice::sql::test
