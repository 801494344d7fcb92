// Test helpers for the expression layer: columns from literal vectors, batches, bind+evaluate,
// and rendering of results as strings ("NULL" for nulls) so expectations read like tables.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/batch.h"
#include "core/column_builder.h"
#include "core/error.h"
#include "core/value_format.h"
#include "expr/bound_expr.h"
#include "expr/evaluate.h"
#include "expr/expr.h"

namespace sluice::expr_test {

template <typename T>
Column Fixed(const DataType& type, const std::vector<std::optional<T>>& values) {
  ColumnBuilder builder(type);
  for (const auto& v : values) {
    if (v) {
      builder.Append(*v);
    } else {
      builder.AppendNull();
    }
  }
  return builder.Finish();
}

inline Column I8(const std::vector<std::optional<int8_t>>& v) {
  return Fixed(Int8(), v);
}
inline Column I16(const std::vector<std::optional<int16_t>>& v) {
  return Fixed(Int16(), v);
}
inline Column I32(const std::vector<std::optional<int32_t>>& v) {
  return Fixed(Int32(), v);
}
inline Column I64(const std::vector<std::optional<int64_t>>& v) {
  return Fixed(Int64(), v);
}
inline Column U8(const std::vector<std::optional<uint8_t>>& v) {
  return Fixed(UInt8(), v);
}
inline Column U32(const std::vector<std::optional<uint32_t>>& v) {
  return Fixed(UInt32(), v);
}
inline Column U64(const std::vector<std::optional<uint64_t>>& v) {
  return Fixed(UInt64(), v);
}
inline Column F32(const std::vector<std::optional<float>>& v) {
  return Fixed(Float32(), v);
}
inline Column F64(const std::vector<std::optional<double>>& v) {
  return Fixed(Float64(), v);
}

/// Decimal column from unscaled values.
inline Column Dec(int precision, int scale, const std::vector<std::optional<int64_t>>& v) {
  std::vector<std::optional<__int128>> wide;
  for (const auto& x : v) wide.push_back(x ? std::optional<__int128>(*x) : std::nullopt);
  return Fixed(Decimal(precision, scale), wide);
}

inline Column Bools(const std::vector<std::optional<bool>>& values) {
  ColumnBuilder builder(Bool());
  for (const auto& v : values) {
    if (v) {
      builder.AppendBool(*v);
    } else {
      builder.AppendNull();
    }
  }
  return builder.Finish();
}

inline Column Strs(const std::vector<std::optional<std::string>>& values,
                   const DataType& type = Utf8()) {
  ColumnBuilder builder(type);
  for (const auto& v : values) {
    if (v) {
      builder.AppendString(*v);
    } else {
      builder.AppendNull();
    }
  }
  return builder.Finish();
}

/// A batch of named columns (all of the same length).
inline Batch MakeBatch(std::vector<std::pair<std::string, Column>> columns) {
  std::vector<Field> fields;
  Batch batch;
  for (auto& [name, column] : columns) {
    fields.push_back({name, column.type});
    batch.num_rows = column.length;
    batch.columns.push_back(std::move(column));
  }
  batch.schema = std::make_shared<Schema>(std::move(fields));
  return batch;
}

/// Binds `expr` against the batch's schema and evaluates it (expanded to the batch's rows).
inline Column Eval(const Expr& expr, const Batch& batch, bool expand = true) {
  BoundExprPtr bound = Bind(expr, *batch.schema);
  Column result = Evaluate(*bound, batch, expand);
  EXPECT_EQ(result.type, bound->type) << expr.ToString();
  return result;
}

/// Evaluates a constant expression over a 1-row batch with no columns.
inline Column EvalConst(const Expr& expr) {
  Batch batch = MakeBatch({});
  batch.num_rows = 1;
  return Eval(expr, batch);
}

/// Row values as text, "NULL" for nulls; also checks that null_count agrees with the validity.
inline std::vector<std::string> Render(const Column& column) {
  std::vector<std::string> out;
  int64_t nulls = 0;
  for (int64_t i = 0; i < column.length; ++i) {
    if (column.IsNull(i)) {
      out.push_back("NULL");
      ++nulls;
    } else {
      out.push_back(FormatValue(column, i));
    }
  }
  EXPECT_EQ(nulls, column.null_count);
  return out;
}

using Rows = std::vector<std::string>;

/// The message of the sluice::Error `fn` throws, or "" when it does not throw.
template <typename Fn>
std::string ErrorOf(Fn&& fn) {
  try {
    fn();
  } catch (const Error& error) {
    return error.what();
  }
  return "";
}

}  // namespace sluice::expr_test
