// A walk over the syntax tree that collects table names, keeping a stack of the CTE names in
// scope: `WITH a AS (...) SELECT * FROM a` reads no table called a.
#include "sql/table_refs.h"

#include <algorithm>
#include <set>

#include "sql/bind_names.h"

namespace sluice::sql {

namespace {

class TableNameCollector {
 public:
  std::vector<TableNameRef> refs;

  void Walk(const Query& query) {
    size_t scope = ctes_.size();
    for (const CommonTableExpr& cte : query.ctes) {
      // A CTE sees the ones before it (not itself: WITH RECURSIVE is not supported).
      if (cte.query) Walk(*cte.query);
      ctes_.push_back(LowerName(cte.name));
    }
    Walk(query.body.get());
    for (const OrderItem& item : query.order_by) Walk(item.expr.get());
    Walk(query.limit.get());
    Walk(query.offset.get());
    ctes_.resize(scope);
  }

 private:
  void Walk(const QueryBody* body) {
    if (body == nullptr) return;
    switch (body->kind) {
      case QueryBody::Kind::kSelect: Walk(*body->select); break;
      case QueryBody::Kind::kQuery:
        if (body->query) Walk(*body->query);
        break;
      case QueryBody::Kind::kValues:
        for (const auto& row : body->rows) {
          for (const AstExprPtr& value : row) Walk(value.get());
        }
        break;
      case QueryBody::Kind::kSetOp:
        Walk(body->left.get());
        Walk(body->right.get());
        break;
    }
  }

  void Walk(const SelectCore& select) {
    Walk(select.from.get());
    for (const SelectItem& item : select.items) Walk(item.expr.get());
    Walk(select.where.get());
    for (const AstExprPtr& key : select.group_by) Walk(key.get());
    Walk(select.having.get());
    Walk(select.qualify.get());
    for (const auto& [name, window] : select.windows) Walk(window);
  }

  void Walk(const TableRef* ref) {
    if (ref == nullptr) return;
    switch (ref->kind) {
      case TableRef::Kind::kName:
        if (!ref->names.empty()) Add(ref->names.back(), ref->pos);
        break;
      case TableRef::Kind::kFile: break;
      case TableRef::Kind::kFunction: Walk(ref->function.get()); break;
      case TableRef::Kind::kSubquery:
        if (ref->subquery) Walk(*ref->subquery);
        break;
      case TableRef::Kind::kValues:
        for (const auto& row : ref->rows) {
          for (const AstExprPtr& value : row) Walk(value.get());
        }
        break;
      case TableRef::Kind::kJoin:
        Walk(ref->left.get());
        Walk(ref->right.get());
        Walk(ref->on.get());
        break;
    }
  }

  void Walk(const WindowSpec& window) {
    for (const AstExprPtr& key : window.partition_by) Walk(key.get());
    for (const OrderItem& item : window.order_by) Walk(item.expr.get());
    if (window.frame) {
      Walk(window.frame->start.offset.get());
      Walk(window.frame->end.offset.get());
    }
  }

  void Walk(const AstExpr* expr) {
    if (expr == nullptr) return;
    for (const AstExprPtr& arg : expr->args) Walk(arg.get());
    Walk(expr->else_expr.get());
    Walk(expr->filter.get());
    if (expr->subquery) Walk(*expr->subquery);
    if (expr->window) Walk(*expr->window);
  }

  void Add(const std::string& name, SourcePos pos) {
    std::string lower = LowerName(name);
    if (std::find(ctes_.begin(), ctes_.end(), lower) != ctes_.end()) return;
    if (!seen_.insert(lower).second) return;
    refs.push_back({name, pos});
  }

  std::vector<std::string> ctes_;  ///< Lower-cased CTE names in scope, innermost last.
  std::set<std::string> seen_;
};

}  // namespace

std::vector<TableNameRef> ReferencedTableNames(const Query& query) {
  TableNameCollector collector;
  collector.Walk(query);
  return std::move(collector.refs);
}

}  // namespace sluice::sql
