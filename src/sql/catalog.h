// The names a SQL statement can use (DESIGN.md "sql/"): views and tables created earlier in the
// same invocation (or by a pipeline's sources and models), each held as a logical plan. Files
// and table functions (`FROM 'x.parquet'`, read_csv(...)) need no entry: the binder opens them.
// Names are case-insensitive, as in SQL.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "plan/logical_plan.h"

namespace sluice::sql {

class Catalog {
 public:
  enum class Kind : uint8_t { kView, kTable };
  struct Entry {
    Kind kind = Kind::kView;
    std::string name;  ///< As created (case kept for messages).
    PlanPtr plan;      ///< A view's bound query; a table's scan of its materialized rows.
  };

  /// Adds `name`; throws (invalid input) when it exists and `or_replace` is false.
  void Put(Entry entry, bool or_replace = false);
  /// The entry of `name`, or null.
  const Entry* Find(std::string_view name) const;
  /// Removes `name`; false when there was none.
  bool Drop(std::string_view name);
  /// Every name, for "did you mean".
  std::vector<std::string> Names() const;

 private:
  std::map<std::string, Entry> entries_;  ///< By lower-cased name.
};

}  // namespace sluice::sql
