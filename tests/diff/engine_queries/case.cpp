// The case list and the test tables of the engine's differential test (see case.h).
#include "case.h"

#include <set>
#include <stdexcept>

namespace sluice::diff {

LazyFrame Tables::events() const {
  return scan_parquet(dir_ + "/events/*.parquet");
}
LazyFrame Tables::users() const {
  return scan_parquet(dir_ + "/users.parquet");
}
LazyFrame Tables::small() const {
  return scan_parquet(dir_ + "/small.parquet");
}

void CaseList::Add(Case c) {
  for (char ch : c.name) {
    bool ok = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
    if (!ok) throw std::logic_error("case name must be [a-z0-9_]+: " + c.name);
  }
  for (const Case& other : cases_)
    if (other.name == c.name) throw std::logic_error("duplicate case name: " + c.name);
  cases_.push_back(std::move(c));
}

void CaseList::Query(std::string name, Builder build, std::string sql, bool ordered) {
  Case c;
  c.name = std::move(name);
  c.build = std::move(build);
  c.sql = std::move(sql);
  c.ordered = ordered;
  Add(std::move(c));
}

namespace {

std::string SelectList(const std::vector<Derived>& columns) {
  std::string sql = "id";
  for (size_t i = 0; i < columns.size(); ++i)
    sql += ", " + columns[i].sql + " AS c" + std::to_string(i + 1);
  return sql;
}

std::vector<Expr> Aliased(const std::vector<Derived>& columns) {
  std::vector<Expr> exprs;
  for (size_t i = 0; i < columns.size(); ++i)
    exprs.push_back(columns[i].expr.alias("c" + std::to_string(i + 1)));
  return exprs;
}

}  // namespace

LazyFrame EventsRows(const Tables& t, std::vector<Expr> exprs) {
  exprs.insert(exprs.begin(), col("id"));
  return t.events().select(std::move(exprs));
}

void CaseList::Rows(std::string name, std::vector<Derived> columns) {
  std::string sql = "SELECT " + SelectList(columns) + " FROM events";
  std::vector<Expr> exprs = Aliased(columns);
  Query(
      std::move(name), [exprs](const Tables& t) { return EventsRows(t, exprs); }, sql);
}

void CaseList::RowsWhere(std::string name, Expr where, std::string where_sql,
                         std::vector<Derived> columns) {
  std::string sql = "SELECT " + SelectList(columns) + " FROM events WHERE " + where_sql;
  std::vector<Expr> exprs = Aliased(columns);
  Query(
      std::move(name),
      [exprs, where](const Tables& t) {
        std::vector<Expr> all = exprs;
        all.insert(all.begin(), col("id"));
        return t.events().filter(where).select(all);
      },
      sql);
}

void CaseList::Error(std::string name, Builder build, std::string sql, std::string error_contains) {
  Case c;
  c.name = std::move(name);
  c.build = std::move(build);
  c.sql = std::move(sql);
  c.expect_error = true;
  c.error_contains = std::move(error_contains);
  Add(std::move(c));
}

void CaseList::Tolerance(double tolerance) {
  cases_.back().tolerance = tolerance;
}

}  // namespace sluice::diff
