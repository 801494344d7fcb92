// The evaluator: walks a bound tree bottom-up, one whole column per node. Column references share
// the batch's buffers, literals stay 1-value columns until a kernel or the caller needs rows.
#include "expr/evaluate.h"

#include <cstring>
#include <type_traits>
#include <vector>

#include "core/column_builder.h"
#include "core/error.h"
#include "expr/kernels/kernel_util.h"
#include "expr/kernels/null_functions.h"

namespace sluice {

namespace {

// Converts whatever numeric alternative a scalar holds to T.
template <typename T>
T NumericValue(const Scalar::Value& value) {
  return std::visit(
      [](const auto& v) -> T {
        using V = std::decay_t<decltype(v)>;
        if constexpr (std::is_arithmetic_v<V> || std::is_same_v<V, int128_t>) {
          return static_cast<T>(v);
        } else {
          return T{};
        }
      },
      value);
}

// The rows (of `rows`) that take value argument `value` of a case_when whose conditions are
// evaluated in `args`: the first true condition picks its value; no true condition, the else.
std::vector<int64_t> RowsTakingBranch(const std::vector<Column>& args, size_t value, int64_t rows) {
  const size_t pairs = args.size() / 2;
  const bool is_else = value == args.size() - 1 && args.size() % 2 == 1;
  std::vector<int64_t> taking;
  for (int64_t i = 0; i < rows; ++i) {
    size_t chosen = pairs;  // The else.
    for (size_t p = 0; p < pairs; ++p) {
      const Column& cond = args[2 * p];
      int64_t r = cond.length == 1 ? 0 : i;
      if (cond.IsValid(r) && cond.BoolAt(r)) {
        chosen = p;
        break;
      }
    }
    if (is_else ? chosen == pairs : chosen * 2 + 1 == value) taking.push_back(i);
  }
  return taking;
}

// case_when(c1, v1, ..., [else]) evaluates like any call, except that a value branch that fails
// (division by zero, overflow, a bad cast) is evaluated again on just the rows that take it:
// SQL's CASE only computes the branch a row selects, so `CASE WHEN b <> 0 THEN a / b END` must
// not fail where b is 0. The fast path stays one vectorized pass per branch.
Column EvaluateCaseWhen(const BoundExpr& expr, const Batch& batch, MemoryPool* pool) {
  const size_t count = expr.args.size();
  std::vector<Column> args(count);
  auto is_condition = [&](size_t i) { return i % 2 == 0 && i + 1 < count; };
  for (size_t i = 0; i < count; ++i) {
    if (is_condition(i)) args[i] = Evaluate(*expr.args[i], batch, /*expand=*/false, pool);
  }
  for (size_t i = 0; i < count; ++i) {
    if (is_condition(i)) continue;
    try {
      args[i] = Evaluate(*expr.args[i], batch, /*expand=*/false, pool);
    } catch (const Error&) {
      std::vector<int64_t> taking = RowsTakingBranch(args, i, batch.num_rows);
      if (taking.empty()) {
        args[i] = kernels::NullColumn(expr.args[i]->type, 1, pool);
        continue;
      }
      // Errors on the rows that do take the branch are real: let them propagate.
      Batch subset;
      subset.schema = batch.schema;
      subset.num_rows = static_cast<int64_t>(taking.size());
      subset.seq = batch.seq;
      for (const Column& column : batch.columns) {
        subset.columns.push_back(kernels::TakeRows(column, taking, pool));
      }
      Column part = Evaluate(*expr.args[i], subset, /*expand=*/true, pool);
      std::vector<int64_t> back(static_cast<size_t>(batch.num_rows), -1);
      for (size_t k = 0; k < taking.size(); ++k)
        back[static_cast<size_t>(taking[k])] = static_cast<int64_t>(k);
      args[i] = kernels::TakeRows(part, back, pool);
    }
  }
  return expr.kernel(std::span<const Column>(args), batch.num_rows, pool);
}

}  // namespace

Column Evaluate(const BoundExpr& expr, const Batch& batch, bool expand, MemoryPool* pool) {
  const int64_t rows = batch.num_rows;
  Column result;
  switch (expr.kind) {
    case BoundExpr::Kind::kColumn:
      SLUICE_CHECK(expr.column >= 0 && static_cast<size_t>(expr.column) < batch.columns.size());
      return batch.columns[static_cast<size_t>(expr.column)];
    case BoundExpr::Kind::kLiteral: result = expr.literal; break;
    case BoundExpr::Kind::kCall: {
      if (kernels::IsCaseWhenKernel(expr.kernel)) {
        result = EvaluateCaseWhen(expr, batch, pool);
        break;
      }
      std::vector<Column> args;
      args.reserve(expr.args.size());
      for (const BoundExprPtr& arg : expr.args) {
        args.push_back(Evaluate(*arg, batch, /*expand=*/false, pool));
      }
      result = expr.kernel(std::span<const Column>(args), rows, pool);
      if (result.length != rows && result.length != 1) {
        ThrowInternal("kernel of `{}` returned {} rows for a batch of {}", expr.display,
                      result.length, rows);
      }
      break;
    }
  }
  if (expand && result.length == 1 && rows != 1) return Broadcast(result, rows, pool);
  return result;
}

Column Broadcast(const Column& one, int64_t rows, MemoryPool* pool) {
  SLUICE_CHECK(one.length == 1);
  if (one.IsNull(0)) return kernels::NullColumn(one.type, rows, pool);
  const DataType& type = one.type;
  if (type.IsVariableWidth()) {
    std::string_view value = one.StringAt(0);
    kernels::StringColumnWriter writer(type, rows, static_cast<int64_t>(value.size()) * rows, pool);
    for (int64_t i = 0; i < rows; ++i) writer.Append(value);
    return writer.Finish();
  }
  Column out = kernels::AllocateFixed(type, rows, pool);
  if (type.id == TypeId::kBool) {
    if (one.BoolAt(0) && rows > 0) {
      std::memset(out.values->data(), 0xff, static_cast<size_t>(out.values->size()));
    }
    return out;
  }
  const int width = type.FixedWidth();
  const uint8_t* src = one.values->data();
  uint8_t* dst = out.values->data();
  switch (width) {
    case 1: std::memset(dst, src[0], static_cast<size_t>(rows)); break;
    case 2: std::fill_n(reinterpret_cast<uint16_t*>(dst), rows, *one.Values<uint16_t>()); break;
    case 4: std::fill_n(reinterpret_cast<uint32_t*>(dst), rows, *one.Values<uint32_t>()); break;
    case 8: std::fill_n(reinterpret_cast<uint64_t*>(dst), rows, *one.Values<uint64_t>()); break;
    default:
      for (int64_t i = 0; i < rows; ++i)
        std::memcpy(dst + i * width, src, static_cast<size_t>(width));
  }
  return out;
}

Scalar ScalarFromColumn(const Column& column, int64_t row) {
  Scalar out;
  out.type = column.type;
  if (column.IsNull(row)) return out;
  const DataType& type = column.type;
  switch (type.id) {
    case TypeId::kBool: out.value = column.BoolAt(row); break;
    case TypeId::kInt8: out.value = int64_t{column.Values<int8_t>()[row]}; break;
    case TypeId::kInt16: out.value = int64_t{column.Values<int16_t>()[row]}; break;
    case TypeId::kInt32:
    case TypeId::kDate32: out.value = int64_t{column.Values<int32_t>()[row]}; break;
    case TypeId::kInt64:
    case TypeId::kTime64:
    case TypeId::kTimestamp:
    case TypeId::kDuration: out.value = column.Values<int64_t>()[row]; break;
    case TypeId::kUInt8: out.value = uint64_t{column.Values<uint8_t>()[row]}; break;
    case TypeId::kUInt16: out.value = uint64_t{column.Values<uint16_t>()[row]}; break;
    case TypeId::kUInt32: out.value = uint64_t{column.Values<uint32_t>()[row]}; break;
    case TypeId::kUInt64: out.value = column.Values<uint64_t>()[row]; break;
    case TypeId::kFloat32: out.value = double{column.Values<float>()[row]}; break;
    case TypeId::kFloat64: out.value = column.Values<double>()[row]; break;
    case TypeId::kDecimal: {
      int128_t value;
      std::memcpy(&value, column.values->data() + row * 16, sizeof(value));
      out.value = value;
      break;
    }
    case TypeId::kUtf8:
    case TypeId::kBinary: out.value = std::string(column.StringAt(row)); break;
    case TypeId::kFixedSizeBinary:
    case TypeId::kUuid: out.value = std::string(column.FixedBytesAt(row)); break;
  }
  return out;
}

Column ColumnFromScalar(const Scalar& value, MemoryPool* pool) {
  ColumnBuilder builder(value.type, pool);
  if (value.is_null()) {
    builder.AppendNull();
    return builder.Finish();
  }
  const DataType& type = value.type;
  switch (type.id) {
    case TypeId::kBool: {
      const bool* b = std::get_if<bool>(&value.value);
      builder.AppendBool(b != nullptr ? *b : NumericValue<int64_t>(value.value) != 0);
      break;
    }
    case TypeId::kInt8: builder.Append(NumericValue<int8_t>(value.value)); break;
    case TypeId::kInt16: builder.Append(NumericValue<int16_t>(value.value)); break;
    case TypeId::kInt32:
    case TypeId::kDate32: builder.Append(NumericValue<int32_t>(value.value)); break;
    case TypeId::kInt64:
    case TypeId::kTime64:
    case TypeId::kTimestamp:
    case TypeId::kDuration: builder.Append(NumericValue<int64_t>(value.value)); break;
    case TypeId::kUInt8: builder.Append(NumericValue<uint8_t>(value.value)); break;
    case TypeId::kUInt16: builder.Append(NumericValue<uint16_t>(value.value)); break;
    case TypeId::kUInt32: builder.Append(NumericValue<uint32_t>(value.value)); break;
    case TypeId::kUInt64: builder.Append(NumericValue<uint64_t>(value.value)); break;
    case TypeId::kFloat32: builder.Append(NumericValue<float>(value.value)); break;
    case TypeId::kFloat64: builder.Append(NumericValue<double>(value.value)); break;
    case TypeId::kDecimal: builder.Append(NumericValue<int128_t>(value.value)); break;
    case TypeId::kUtf8:
    case TypeId::kBinary: {
      const std::string* s = std::get_if<std::string>(&value.value);
      SLUICE_CHECK(s != nullptr);
      builder.AppendString(*s);
      break;
    }
    case TypeId::kFixedSizeBinary:
    case TypeId::kUuid: {
      const std::string* s = std::get_if<std::string>(&value.value);
      SLUICE_CHECK(s != nullptr);
      std::string padded = *s;
      padded.resize(static_cast<size_t>(type.FixedWidth()));
      builder.AppendFixed(padded.data(), type.FixedWidth());
      break;
    }
  }
  return builder.Finish();
}

}  // namespace sluice
