// Test helpers of the string, regex and temporal function tests: building columns from
// optional values, evaluating an expression over named columns (Bind + Evaluate), and reading
// a result back as optional values.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/batch.h"
#include "core/column_builder.h"
#include "core/temporal.h"
#include "expr/bound_expr.h"
#include "expr/evaluate.h"
#include "expr/expr.h"

namespace sluice::test {

using Strings = std::vector<std::optional<std::string>>;
using Ints = std::vector<std::optional<int64_t>>;
using Bools = std::vector<std::optional<bool>>;
using NamedColumns = std::vector<std::pair<std::string, Column>>;

inline Column StrColumn(const Strings& values, DataType type = Utf8()) {
  ColumnBuilder builder(type);
  for (const auto& value : values) {
    if (value) {
      builder.AppendString(*value);
    } else {
      builder.AppendNull();
    }
  }
  return builder.Finish();
}

/// A column of int64-backed values (int64, timestamps) or, for date32, int32 days.
inline Column IntColumn(const Ints& values, DataType type = Int64()) {
  ColumnBuilder builder(type);
  for (const auto& value : values) {
    if (!value) {
      builder.AppendNull();
    } else if (type.id == TypeId::kDate32) {
      builder.Append(static_cast<int32_t>(*value));
    } else {
      builder.Append(*value);
    }
  }
  return builder.Finish();
}

/// Days since the epoch of a calendar date.
inline int64_t Days(int64_t year, unsigned month, unsigned day) {
  return DaysFromCivil(year, month, day);
}
/// Microseconds since the epoch of a UTC date and time.
inline int64_t Micros(int64_t year, unsigned month, unsigned day, int64_t hour = 0,
                      int64_t minute = 0, int64_t second = 0, int64_t micros = 0) {
  return ((Days(year, month, day) * 24 + hour) * 60 + minute) * 60 * 1'000'000 +
         second * 1'000'000 + micros;
}

/// Evaluates `expr` over a batch of the given columns (all of the same length; `rows` when
/// there are none), expanding constants to full columns unless `expand` is false.
inline Column Eval(const Expr& expr, const NamedColumns& columns = {}, int64_t rows = 1,
                   bool expand = true) {
  std::vector<Field> fields;
  Batch batch;
  batch.num_rows = columns.empty() ? rows : columns.front().second.length;
  for (const auto& [name, column] : columns) {
    fields.push_back({name, column.type});
    batch.columns.push_back(column);
  }
  batch.schema = std::make_shared<Schema>(std::move(fields));
  BoundExprPtr bound = Bind(expr, *batch.schema);
  return Evaluate(*bound, batch, expand);
}

/// The type `expr` has over the given columns.
inline DataType TypeOf(const Expr& expr, const NamedColumns& columns) {
  std::vector<Field> fields;
  for (const auto& [name, column] : columns) fields.push_back({name, column.type});
  return ResolveType(expr, Schema(std::move(fields)));
}

inline Strings AsStrings(const Column& column) {
  Strings out;
  for (int64_t i = 0; i < column.length; ++i) {
    if (column.IsNull(i)) {
      out.push_back(std::nullopt);
    } else {
      out.push_back(std::string(column.StringAt(i)));
    }
  }
  return out;
}

inline Ints AsInts(const Column& column) {
  Ints out;
  for (int64_t i = 0; i < column.length; ++i) {
    if (column.IsNull(i)) {
      out.push_back(std::nullopt);
    } else if (column.type.id == TypeId::kDate32 || column.type.id == TypeId::kInt32) {
      out.push_back(column.Values<int32_t>()[i]);
    } else {
      out.push_back(column.Values<int64_t>()[i]);
    }
  }
  return out;
}

inline Bools AsBools(const Column& column) {
  Bools out;
  for (int64_t i = 0; i < column.length; ++i) {
    if (column.IsNull(i)) {
      out.push_back(std::nullopt);
    } else {
      out.push_back(column.BoolAt(i));
    }
  }
  return out;
}

/// The single value of a constant string expression.
inline std::optional<std::string> EvalString(const Expr& expr) {
  return AsStrings(Eval(expr)).at(0);
}
inline std::optional<int64_t> EvalInt(const Expr& expr) {
  return AsInts(Eval(expr)).at(0);
}
inline std::optional<bool> EvalBool(const Expr& expr) {
  return AsBools(Eval(expr)).at(0);
}

}  // namespace sluice::test
