// Scan predicates to column bounds (see scan_pruning.h).
//
// A bound is only as good as its agreement with how the predicate is evaluated. So each conjunct
// is bound against the scan's schema exactly as the executor binds it, and the literal side is
// taken after the binder's implicit casts: the bound then holds the very value the comparison
// kernel sees. The column side may be cast too (int32 compared as int64); that is accepted only
// for casts that keep every value exactly and in order, so comparing the raw statistics with the
// literal by value gives the kernel's answer. Anything else yields no bound: the row group is read.
#include "plan/scan_pruning.h"

#include <cmath>
#include <set>
#include <string_view>

#include "core/error.h"
#include "expr/bound_expr.h"
#include "expr/evaluate.h"
#include "io/fs/hive.h"
#include "plan/expr_util.h"
#include "plan/optimizer/rewrite_util.h"

namespace sluice {

namespace {

using io::parquet::ColumnBound;
using io::parquet::CompareValues;

bool IsTemporal(TypeId id) {
  return id == TypeId::kDate32 || id == TypeId::kTimestamp || id == TypeId::kTime64 ||
         id == TypeId::kDuration;
}

bool IsBytes(TypeId id) {
  return id == TypeId::kUtf8 || id == TypeId::kBinary || id == TypeId::kFixedSizeBinary ||
         id == TypeId::kUuid;
}

/// True when converting `from` to `to` keeps every value exactly and in order. Integer to float is
/// not exact in general; CheckLiteral handles it by bounding the literal instead.
bool ExactWidening(const DataType& from, const DataType& to) {
  if (from == to) return true;
  if (from.IsInteger() && to.IsInteger()) {
    // Every value of `from` must fit `to`: a narrowing cast would fail or wrap.
    int from_width = from.FixedWidth(), to_width = to.FixedWidth();
    if (from.IsSignedInteger() == to.IsSignedInteger()) return to_width >= from_width;
    return !from.IsSignedInteger() && to_width > from_width;
  }
  // Integers to decimals keep their value (or fail: then no row survives to be missed);
  // integers to floats are handled by bounding the literal (CheckLiteral).
  if (from.IsInteger() && (to.id == TypeId::kDecimal || to.IsFloating())) return true;
  if (from.id == TypeId::kFloat32 && to.id == TypeId::kFloat64) return true;
  if (from.id == TypeId::kDecimal && to.id == TypeId::kDecimal) return to.scale >= from.scale;
  if ((from.id == TypeId::kTimestamp || from.id == TypeId::kTime64 ||
       from.id == TypeId::kDuration) &&
      to.id == from.id)
    return to.unit >= from.unit && from.timezone.empty() == to.timezone.empty();
  return false;
}

/// Doubles hold every integer of magnitude below 2^53 exactly (2^24 for floats): an integer
/// column compared as floating point with a literal in that range gives the exact answer.
bool ExactAsFloat(const Scalar& literal, const DataType& as) {
  const double limit = as.id == TypeId::kFloat32 ? 16777216.0 : 9007199254740992.0;
  if (const auto* v = std::get_if<double>(&literal.value))
    return std::isfinite(*v) && std::fabs(*v) < limit;
  if (const auto* v = std::get_if<int64_t>(&literal.value))
    return std::fabs(static_cast<double>(*v)) < limit;
  if (const auto* v = std::get_if<uint64_t>(&literal.value)) return static_cast<double>(*v) < limit;
  return false;
}

/// Whether comparing the column's raw values with `literal` by value (CompareValues) agrees with
/// the kernel, which compares the column converted to `compared_as` with `literal`.
bool CheckLiteral(const DataType& column, const DataType& compared_as, const Scalar& literal) {
  if (!ExactWidening(column, compared_as)) return false;
  const DataType& l = literal.type;
  if (const auto* v = std::get_if<double>(&literal.value))
    if (std::isnan(*v)) return false;  // NaN orders differently across engines
  bool numeric_column = column.IsInteger() || column.id == TypeId::kDecimal || column.IsFloating();
  bool numeric_literal = l.IsInteger() || l.id == TypeId::kDecimal || l.IsFloating();
  if (numeric_column) {
    if (!numeric_literal) return false;
    if (column.IsFloating()) return true;
    bool as_float = compared_as.IsFloating() || l.IsFloating();
    if (!as_float) return true;
    // Decimals do not convert to doubles exactly: no bound.
    if (column.id == TypeId::kDecimal) return false;
    return ExactAsFloat(literal, compared_as.IsFloating() ? compared_as : l);
  }
  if (IsBytes(column.id)) return IsBytes(l.id);
  if (column.id == TypeId::kBool) return l.id == TypeId::kBool;
  if (IsTemporal(column.id))
    return l.id == compared_as.id && l.timezone.empty() == column.timezone.empty();
  return false;
}

/// The value of a constant bound subtree (literal side of a comparison, after implicit casts).
std::optional<Scalar> EvaluateConstant(const BoundExpr& expr) {
  try {
    Batch one_row;
    one_row.schema = std::make_shared<Schema>();
    one_row.num_rows = 1;
    Column value = Evaluate(expr, one_row, /*expand=*/false);
    if (value.length != 1) return std::nullopt;
    return ScalarFromColumn(value);
  } catch (const Error&) {
    return std::nullopt;
  }
}

/// The type the kernel compares the column as, when `arg` is the column or an implicit cast of it.
std::optional<DataType> ColumnSideType(const BoundExpr& arg) {
  if (arg.kind == BoundExpr::Kind::kColumn) return arg.type;
  if (arg.kind == BoundExpr::Kind::kCall && arg.args.size() == 1 &&
      arg.args[0]->kind == BoundExpr::Kind::kColumn)
    return arg.type;
  return std::nullopt;
}

/// Collects bounds of one conjunct; the conjunct is already known to be a call.
class BoundBuilder {
 public:
  explicit BoundBuilder(const Schema& schema) : schema_(schema) {}

  void Add(const Expr& conjunct) {
    try {
      AddConjunct(conjunct);
    } catch (const Error&) {
      // A conjunct the binder rejects here bounds nothing; the executor reports the error.
    }
  }

  std::vector<ColumnBound> Take() { return std::move(bounds_); }

 private:
  void AddConjunct(const Expr& conjunct) {
    if (conjunct.kind() == ExprKind::kColumn) {
      AddBoolColumn(conjunct.node().name, true);
      return;
    }
    if (conjunct.kind() != ExprKind::kCall) return;
    const std::string& name = conjunct.node().name;
    const size_t arity = conjunct.node().args.size();
    if (name == "not" && arity == 1 && conjunct.arg(0).kind() == ExprKind::kColumn) {
      AddBoolColumn(conjunct.arg(0).node().name, false);
      return;
    }
    if ((name == "is_null" || name == "is_not_null") && arity == 1 &&
        conjunct.arg(0).kind() == ExprKind::kColumn) {
      ColumnBound bound;
      bound.column = conjunct.arg(0).node().name;
      (name == "is_null" ? bound.is_null : bound.not_null) = true;
      Merge(std::move(bound));
      return;
    }
    if (IsComparison(name) && arity == 2) return AddComparison(conjunct);
    if (name == "between" && arity == 3) return AddBetween(conjunct);
    if (name == "is_in" && arity >= 2) return AddIsIn(conjunct);
  }

  static bool IsComparison(std::string_view name) {
    return name == "equal" || name == "not_equal" || name == "less" || name == "less_equal" ||
           name == "greater" || name == "greater_equal";
  }

  void AddBoolColumn(const std::string& column, bool value) {
    std::optional<size_t> index = schema_.FindField(column);
    if (!index || schema_.field(*index).type.id != TypeId::kBool) return;
    ColumnBound bound;
    bound.column = column;
    bound.values = std::vector<Scalar>{Scalar{Bool(), value}};
    Merge(std::move(bound));
  }

  /// Binds `call` and returns its bound form when argument `column_arg` is a plain column (maybe
  /// implicitly cast) and every other argument is constant; fills the column and compared type.
  BoundExprPtr BindColumnCall(const Expr& call, size_t column_arg, std::string* column,
                              DataType* compared_as) {
    if (call.arg(column_arg).kind() != ExprKind::kColumn) return nullptr;
    for (size_t i = 0; i < call.node().args.size(); ++i)
      if (i != column_arg && !IsConstantExpr(call.arg(i))) return nullptr;
    BoundExprPtr bound = Bind(call, schema_);
    if (bound->kind != BoundExpr::Kind::kCall || bound->args.size() != call.node().args.size())
      return nullptr;
    std::optional<DataType> type = ColumnSideType(*bound->args[column_arg]);
    if (!type) return nullptr;
    *column = call.arg(column_arg).node().name;
    *compared_as = *type;
    return bound;
  }

  /// The literal argument `i` of a bound call as compared, or nothing when it cannot bound.
  /// A null literal is returned as a null scalar.
  std::optional<Scalar> Literal(const BoundExpr& bound, size_t i, const std::string& column,
                                const DataType& compared_as) {
    std::optional<Scalar> value = EvaluateConstant(*bound.args[i]);
    if (!value) return std::nullopt;
    if (value->is_null()) return value;
    const DataType& column_type = schema_.field(schema_.FieldIndex(column)).type;
    if (!CheckLiteral(column_type, compared_as, *value)) return std::nullopt;
    return value;
  }

  void AddComparison(const Expr& call) {
    std::string op = call.node().name;
    size_t column_arg = 0;
    if (call.arg(0).kind() != ExprKind::kColumn) {
      column_arg = 1;
      // `5 < x` is `x > 5`.
      if (op == "less")
        op = "greater";
      else if (op == "less_equal")
        op = "greater_equal";
      else if (op == "greater")
        op = "less";
      else if (op == "greater_equal")
        op = "less_equal";
    }
    std::string column;
    DataType compared_as;
    BoundExprPtr bound = BindColumnCall(call, column_arg, &column, &compared_as);
    if (!bound) return;
    std::optional<Scalar> value = Literal(*bound, 1 - column_arg, column, compared_as);
    if (!value) return;
    ColumnBound out;
    out.column = column;
    if (value->is_null()) {
      out.values = std::vector<Scalar>{};  // a comparison with null never holds
    } else if (op == "equal") {
      out.values = std::vector<Scalar>{*value};
    } else if (op == "not_equal") {
      out.not_null = true;
    } else if (op == "less" || op == "less_equal") {
      out.max = *value;
      out.max_inclusive = op == "less_equal";
    } else {
      out.min = *value;
      out.min_inclusive = op == "greater_equal";
    }
    Merge(std::move(out));
  }

  void AddBetween(const Expr& call) {
    std::string column;
    DataType compared_as;
    BoundExprPtr bound = BindColumnCall(call, 0, &column, &compared_as);
    if (!bound) return;
    std::optional<Scalar> low = Literal(*bound, 1, column, compared_as);
    std::optional<Scalar> high = Literal(*bound, 2, column, compared_as);
    ColumnBound out;
    out.column = column;
    if ((low && low->is_null()) || (high && high->is_null())) {
      out.values = std::vector<Scalar>{};
    } else {
      if (low) out.min = *low;
      if (high) out.max = *high;
      if (!low && !high) return;
    }
    Merge(std::move(out));
  }

  void AddIsIn(const Expr& call) {
    std::string column;
    DataType compared_as;
    BoundExprPtr bound = BindColumnCall(call, 0, &column, &compared_as);
    if (!bound) return;
    std::vector<Scalar> values;
    for (size_t i = 1; i < bound->args.size(); ++i) {
      std::optional<Scalar> value = Literal(*bound, i, column, compared_as);
      if (!value) return;  // one unknown value: the list bounds nothing
      if (!value->is_null())
        values.push_back(std::move(*value));  // x IN (.., NULL) is never true by the null
    }
    ColumnBound out;
    out.column = column;
    out.values = std::move(values);
    Merge(std::move(out));
  }

  /// Adds `bound`, intersecting it with an earlier bound of the same column when the values
  /// compare (a single bound per column lets a lower and an upper limit work together).
  void Merge(ColumnBound bound) {
    for (ColumnBound& existing : bounds_) {
      if (existing.column != bound.column) continue;
      if (TryMerge(&existing, bound)) return;
    }
    bounds_.push_back(std::move(bound));
  }

  static bool TryMerge(ColumnBound* into, const ColumnBound& bound) {
    ColumnBound merged = *into;
    merged.is_null = merged.is_null || bound.is_null;
    merged.not_null = merged.not_null || bound.not_null;
    if (bound.min) {
      if (!merged.min) {
        merged.min = bound.min;
        merged.min_inclusive = bound.min_inclusive;
      } else {
        std::optional<int> c = CompareValues(*merged.min, *bound.min);
        if (!c) return false;
        if (*c < 0) {
          merged.min = bound.min;
          merged.min_inclusive = bound.min_inclusive;
        } else if (*c == 0) {
          merged.min_inclusive = merged.min_inclusive && bound.min_inclusive;
        }
      }
    }
    if (bound.max) {
      if (!merged.max) {
        merged.max = bound.max;
        merged.max_inclusive = bound.max_inclusive;
      } else {
        std::optional<int> c = CompareValues(*merged.max, *bound.max);
        if (!c) return false;
        if (*c > 0) {
          merged.max = bound.max;
          merged.max_inclusive = bound.max_inclusive;
        } else if (*c == 0) {
          merged.max_inclusive = merged.max_inclusive && bound.max_inclusive;
        }
      }
    }
    if (bound.values) {
      if (!merged.values) {
        merged.values = bound.values;
      } else {
        std::vector<Scalar> common;
        for (const Scalar& a : *merged.values) {
          for (const Scalar& b : *bound.values) {
            std::optional<int> c = CompareValues(a, b);
            if (!c) return false;
            if (*c == 0) {
              common.push_back(a);
              break;
            }
          }
        }
        merged.values = std::move(common);
      }
    }
    *into = std::move(merged);
    return true;
  }

  const Schema& schema_;
  std::vector<ColumnBound> bounds_;
};

/// The hive partition keys the scanner adds as columns (as ParquetScanner decides: on, or auto
/// when every file path has partition folders).
std::set<std::string> PartitionKeys(const ScanSource& source) {
  std::set<std::string> keys;
  if (source.format != ScanSource::Format::kParquet || source.hive == ScanSource::Hive::kOff ||
      source.files.empty())
    return keys;
  if (source.hive == ScanSource::Hive::kAuto) {
    for (const std::string& file : source.files)
      if (io::ParseHivePartitions(file).empty()) return keys;
  }
  for (const io::HivePartition& partition : io::ParseHivePartitions(source.files[0]))
    keys.insert(partition.key);
  return keys;
}

}  // namespace

std::vector<ColumnBound> ScanBounds(const LogicalPlan& scan) {
  if (scan.kind != PlanKind::kScan || !scan.source || !scan.source->file_schema) return {};
  BoundBuilder builder(*scan.source->file_schema);
  for (const Expr& filter : scan.filters)
    for (const Expr& conjunct : SplitConjunction(filter)) builder.Add(conjunct);
  std::vector<ColumnBound> bounds = builder.Take();
  std::set<std::string> keys = PartitionKeys(*scan.source);
  for (ColumnBound& bound : bounds) bound.partition_key = keys.count(bound.column) > 0;
  return bounds;
}

std::function<bool(const io::parquet::ParquetFile&, int)> MakeRowGroupFilter(
    const LogicalPlan& scan) {
  if (scan.kind != PlanKind::kScan || scan.source->format != ScanSource::Format::kParquet)
    return {};
  std::vector<ColumnBound> bounds = ScanBounds(scan);
  if (bounds.empty()) return {};
  return [bounds = std::move(bounds)](const io::parquet::ParquetFile& file, int row_group) {
    return io::parquet::RowGroupMayMatch(file, row_group, bounds);
  };
}

RowGroupCounts CountRowGroups(const LogicalPlan& scan) {
  RowGroupCounts counts;
  if (scan.kind != PlanKind::kScan || scan.source->format != ScanSource::Format::kParquet)
    return counts;
  auto keep = MakeRowGroupFilter(scan);
  for (const std::string& path : scan.source->files) {
    std::shared_ptr<io::parquet::ParquetFile> file = io::parquet::ParquetFile::Open(path);
    for (int row_group = 0; row_group < file->num_row_groups(); ++row_group) {
      ++counts.total;
      if (keep && !keep(*file, row_group)) ++counts.skipped;
    }
  }
  return counts;
}

}  // namespace sluice
