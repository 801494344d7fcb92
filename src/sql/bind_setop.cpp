// Set operations and constant rows: UNION [ALL] (column types unified by casts, names from the
// left), INTERSECT and EXCEPT (as a grouping of both sides tagged by origin, so nulls compare
// equal as set operations require), UNION BY NAME, VALUES lists and the one-row input of a
// SELECT without FROM, both as in-memory scans.
#include <fmt/format.h>

#include "core/error.h"
#include "expr/cast.h"
#include "expr/evaluate.h"
#include "sql/bind_names.h"
#include "sql/bind_query.h"
#include "sql/binder.h"
#include "sql/sql_error.h"

namespace sluice::sql {

namespace {

const char* SetOpName(QueryBody::SetOp op) {
  switch (op) {
    case QueryBody::SetOp::kUnion: return "UNION";
    case QueryBody::SetOp::kIntersect: return "INTERSECT";
    case QueryBody::SetOp::kExcept: return "EXCEPT";
  }
  return "?";
}

/// The type values of `a` and `b` meet in (as COALESCE would), or nullopt.
std::optional<DataType> CommonOf(const DataType& a, const DataType& b) {
  if (a == b) return a;
  Schema schema({{"__a", a, true}, {"__b", b, true}});
  try {
    return ResolveType(coalesce({col("__a"), col("__b")}), schema);
  } catch (const Error&) {
    return std::nullopt;
  }
}

/// The relation's visible output columns, cast to `types` and named `names`.
PlanPtr Conform(const Relation& rel, const std::vector<std::string>& plan_names,
                const std::vector<DataType>& types, const std::vector<std::string>& names) {
  std::vector<Expr> exprs;
  for (size_t i = 0; i < plan_names.size(); ++i) {
    Expr e = plan_names[i].empty() ? lit_null(types[i]) : col(plan_names[i]);
    if (plan_names[i].empty() ||
        rel.plan->schema->field(rel.plan->schema->FieldIndex(plan_names[i])).type != types[i])
      e = e.cast(types[i]);
    exprs.push_back(e.alias(names[i]));
  }
  return MakeProject(rel.plan, std::move(exprs));
}

}  // namespace

Relation QueryBinder::BindSetOp(const QueryBody& body) {
  Relation left = BindBody(*body.left, nullptr);
  Relation right = BindBody(*body.right, nullptr);
  const char* op = SetOpName(body.set_op);
  std::vector<std::string> names, left_cols, right_cols;
  std::vector<DataType> left_types, right_types;
  for (const ScopeColumn& column : left.scope.columns) {
    names.push_back(column.name);
    left_cols.push_back(column.plan_name);
    left_types.push_back(column.type);
  }
  if (body.by_name) {
    // Columns matched by name; a name missing on one side is null there.
    right_cols.assign(names.size(), "");
    right_types = left_types;
    for (const ScopeColumn& column : right.scope.columns) {
      size_t i = 0;
      while (i < names.size() && !NamesEqual(names[i], column.name)) ++i;
      if (i == names.size()) {
        names.push_back(column.name);
        left_cols.push_back("");
        left_types.push_back(column.type);
        right_cols.push_back(column.plan_name);
        right_types.push_back(column.type);
      } else {
        right_cols[i] = column.plan_name;
        right_types[i] = column.type;
      }
    }
  } else {
    if (left.scope.columns.size() != right.scope.columns.size()) {
      Fail(body.pos, fmt::format("{} needs the same number of columns on both sides, not {} and {}",
                                 op, left.scope.columns.size(), right.scope.columns.size()));
    }
    for (const ScopeColumn& column : right.scope.columns) {
      right_cols.push_back(column.plan_name);
      right_types.push_back(column.type);
    }
  }
  std::vector<DataType> types;
  for (size_t i = 0; i < names.size(); ++i) {
    std::optional<DataType> common = CommonOf(left_types[i], right_types[i]);
    if (!common) {
      Fail(body.pos,
           fmt::format("{} cannot combine column {} (\"{}\") of types {} and {}", op, i + 1,
                       names[i], left_types[i].ToString(), right_types[i].ToString()));
    }
    types.push_back(*common);
  }
  // Output names must be unique plan columns.
  std::vector<std::string> unique = names;
  for (size_t i = 0; i < unique.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (NamesEqual(unique[i], unique[j])) {
        unique[i] = fmt::format("{}_{}", names[i], i);
        j = static_cast<size_t>(-1);
      }
    }
  }
  PlanPtr l = Conform(left, left_cols, types, unique);
  PlanPtr r = Conform(right, right_cols, types, unique);
  PlanPtr plan;
  if (body.set_op == QueryBody::SetOp::kUnion) {
    plan = MakeUnion({l, r});
    if (!body.all) plan = MakeDistinct(plan);
  } else {
    // Tag each row by its side, group all columns (nulls group together), keep the groups the
    // operation keeps. With ALL, the k-th copy of a row is told apart by its number among equal
    // rows (row_number over a partition of all columns), so copies pair up one to one.
    std::string from_left = Fresh("__left"), from_right = Fresh("__right");
    std::string copy = Fresh("__copy");
    std::vector<std::string> columns = unique;
    if (body.all) columns.push_back(copy);
    auto numbered = [&](PlanPtr p) {
      if (!body.all) return p;
      WindowExpr number;
      number.function = "row_number";
      for (const std::string& name : unique) number.partition_by.push_back(col(name));
      number.name = copy;
      return MakeWindow(std::move(p), {number});
    };
    auto tagged = [&](PlanPtr p, int is_left) {
      p = numbered(std::move(p));
      std::vector<Expr> exprs;
      for (const std::string& name : columns) exprs.push_back(col(name));
      exprs.push_back(lit(int64_t{is_left}).alias(from_left));
      exprs.push_back(lit(int64_t{1 - is_left}).alias(from_right));
      return MakeProject(p, std::move(exprs));
    };
    PlanPtr both = MakeUnion({tagged(l, 1), tagged(r, 0)});
    std::vector<Expr> keys;
    for (const std::string& name : columns) keys.push_back(col(name));
    std::string in_left = Fresh("__in_left"), in_right = Fresh("__in_right");
    plan = MakeAggregate(
        both, keys, {col(from_left).max().alias(in_left), col(from_right).max().alias(in_right)});
    Expr keep = body.set_op == QueryBody::SetOp::kIntersect
                    ? col(in_left) == lit(int64_t{1}) && col(in_right) == lit(int64_t{1})
                    : col(in_left) == lit(int64_t{1}) && col(in_right) == lit(int64_t{0});
    std::vector<Expr> outputs;
    for (const std::string& name : unique) outputs.push_back(col(name));
    plan = MakeProject(MakeFilter(plan, keep), outputs);
  }
  Relation out;
  out.plan = plan;
  for (size_t i = 0; i < names.size(); ++i)
    out.scope.columns.push_back({"", unique[i], unique[i], types[i], false});
  return out;
}

Relation QueryBinder::BindValues(const std::vector<std::vector<AstExprPtr>>& rows, SourcePos pos) {
  if (rows.empty()) Fail(pos, "VALUES needs at least one row");
  const size_t width = rows[0].size();
  std::vector<std::vector<Scalar>> values;
  for (const std::vector<AstExprPtr>& row : rows) {
    if (row.size() != width) {
      Fail(row.empty() ? pos : row[0]->pos,
           fmt::format("VALUES rows must have the same number of values, not {} and {}", width,
                       row.size()));
    }
    std::vector<Scalar> scalars;
    for (const AstExprPtr& e : row) scalars.push_back(BindConstant(*e, sql_));
    values.push_back(std::move(scalars));
  }
  std::vector<Field> fields;
  for (size_t c = 0; c < width; ++c) {
    std::optional<DataType> type;
    for (const std::vector<Scalar>& row : values) {
      if (row[c].is_null()) continue;
      std::optional<DataType> next = type ? CommonOf(*type, row[c].type) : row[c].type;
      if (!next) {
        Fail(rows[0][c]->pos, fmt::format("VALUES column {} mixes {} and {}", c + 1,
                                          type->ToString(), row[c].type.ToString()));
      }
      type = next;
    }
    fields.push_back({fmt::format("col{}", c), type.value_or(Int32()), true});
  }
  auto data = std::make_shared<DataFrame>();
  data->schema = std::make_shared<Schema>(fields);
  for (const std::vector<Scalar>& row : values) {
    Batch batch;
    batch.schema = data->schema;
    batch.num_rows = 1;
    for (size_t c = 0; c < width; ++c) {
      Scalar value = row[c];
      if (value.is_null()) value.type = fields[c].type;  // NULL takes the column's type.
      Column column = ColumnFromScalar(value);
      if (!(value.type == fields[c].type))
        column = CastColumn(column, fields[c].type, false, fmt::format("VALUES column {}", c + 1));
      batch.columns.push_back(std::move(column));
    }
    data->batches.push_back(std::move(batch));
  }
  return RelationOf(MakeMemoryScan(data), "");
}

Relation QueryBinder::OneRow() {
  auto data = std::make_shared<DataFrame>();
  data->schema = std::make_shared<Schema>(std::vector<Field>{{Fresh("__one"), Int32(), false}});
  Batch batch;
  batch.schema = data->schema;
  batch.num_rows = 1;
  Scalar one;
  one.type = Int32();
  one.value = int64_t{1};
  batch.columns.push_back(ColumnFromScalar(one));
  data->batches.push_back(std::move(batch));
  // No visible columns: nothing can name the placeholder.
  return {MakeMemoryScan(data), Scope{}};
}

}  // namespace sluice::sql
