// Filter and projection operators over bound expressions.
#include "exec/filter_project.h"

#include "core/bitmap.h"
#include "core/take.h"
#include "expr/evaluate.h"

namespace sluice::exec {

namespace {

class FilterOperator final : public Operator {
 public:
  FilterOperator(SchemaPtr schema, BoundExprPtr predicate, MemoryPool* pool)
      : schema_(std::move(schema)), predicate_(std::move(predicate)), pool_(pool) {}
  const SchemaPtr& schema() const override { return schema_; }

  Batch Process(Batch input) override {
    if (input.num_rows == 0) return input;
    Column mask = Evaluate(*predicate_, input, /*expand=*/false, pool_);
    if (mask.length == 1 && input.num_rows != 1) {
      // A constant predicate keeps all rows or none.
      bool keep = mask.IsValid(0) && mask.BoolAt(0);
      return keep ? input : input.Slice(0, 0);
    }
    std::vector<int64_t> rows = SelectedRows(mask);
    if (static_cast<int64_t>(rows.size()) == input.num_rows) return input;
    return TakeBatch(input, rows.data(), static_cast<int64_t>(rows.size()), pool_);
  }

 private:
  SchemaPtr schema_;
  BoundExprPtr predicate_;
  MemoryPool* pool_;
};

class ProjectOperator final : public Operator {
 public:
  ProjectOperator(SchemaPtr schema, std::vector<BoundExprPtr> exprs, MemoryPool* pool)
      : schema_(std::move(schema)), exprs_(std::move(exprs)), pool_(pool) {}
  const SchemaPtr& schema() const override { return schema_; }

  Batch Process(Batch input) override {
    Batch out;
    out.schema = schema_;
    out.seq = input.seq;
    out.num_rows = input.num_rows;
    out.columns.reserve(exprs_.size());
    for (const BoundExprPtr& expr : exprs_) {
      if (expr->kind == BoundExpr::Kind::kColumn) {
        out.columns.push_back(input.columns[static_cast<size_t>(expr->column)]);
      } else {
        out.columns.push_back(Evaluate(*expr, input, /*expand=*/true, pool_));
      }
    }
    return out;
  }

 private:
  SchemaPtr schema_;
  std::vector<BoundExprPtr> exprs_;
  MemoryPool* pool_;
};

}  // namespace

std::shared_ptr<Operator> MakeFilterOperator(const SchemaPtr& input, const Expr& predicate,
                                             MemoryPool* pool) {
  return std::make_shared<FilterOperator>(input, Bind(predicate, *input), pool);
}

std::shared_ptr<Operator> MakeProjectOperator(const SchemaPtr& input,
                                              const std::vector<Expr>& exprs, SchemaPtr output,
                                              MemoryPool* pool) {
  std::vector<BoundExprPtr> bound;
  for (const Expr& expr : exprs) bound.push_back(Bind(expr, *input));
  return std::make_shared<ProjectOperator>(std::move(output), std::move(bound), pool);
}

}  // namespace sluice::exec
