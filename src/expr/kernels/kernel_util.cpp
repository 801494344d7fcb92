// Type promotion, argument checks, validity and output helpers shared by the kernel families.
#include "expr/kernels/kernel_util.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

#include "core/error.h"
#include "core/value_format.h"
#include "expr/evaluate.h"

namespace sluice::kernels {

void ThrowUnsupportedLayout(const DataType& type) {
  ThrowInternal("no kernel loop for values of type {}", type.ToString());
}

bool IsNumeric(const DataType& type) {
  return type.IsInteger() || type.IsFloating() || type.id == TypeId::kDecimal;
}

bool IsTemporal(const DataType& type) {
  return type.id == TypeId::kDate32 || type.id == TypeId::kTime64 ||
         type.id == TypeId::kTimestamp || type.id == TypeId::kDuration;
}

bool IsStringLike(const DataType& type) {
  return type.id == TypeId::kUtf8 || type.id == TypeId::kBinary;
}

namespace {

int IntegerWidth(const DataType& type) {
  return type.FixedWidth();
}

DataType SignedOfWidth(int width) {
  switch (width) {
    case 1: return Int8();
    case 2: return Int16();
    case 4: return Int32();
    default: return Int64();
  }
}

DataType UnsignedOfWidth(int width) {
  switch (width) {
    case 1: return UInt8();
    case 2: return UInt16();
    case 4: return UInt32();
    default: return UInt64();
  }
}

DataType CommonDecimal(const DataType& a, const DataType& b) {
  int scale = std::max(a.scale, b.scale);
  int integer_digits = std::max(a.precision - a.scale, b.precision - b.scale);
  int precision = std::min(38, integer_digits + scale);
  return Decimal(std::max(precision, 1), std::min(scale, std::max(precision, 1)));
}

TimeUnit FinerUnit(TimeUnit a, TimeUnit b) {
  return static_cast<uint8_t>(a) > static_cast<uint8_t>(b) ? a : b;
}

int DecimalDigitsOf(int64_t value) {
  uint64_t magnitude = value < 0 ? 0 - static_cast<uint64_t>(value) : static_cast<uint64_t>(value);
  int digits = 1;
  while (magnitude >= 10) {
    magnitude /= 10;
    ++digits;
  }
  return digits;
}

bool IntegerFits(int64_t value, const DataType& type) {
  switch (type.id) {
    case TypeId::kInt8: return value >= INT8_MIN && value <= INT8_MAX;
    case TypeId::kInt16: return value >= INT16_MIN && value <= INT16_MAX;
    case TypeId::kInt32: return value >= INT32_MIN && value <= INT32_MAX;
    case TypeId::kInt64: return true;
    case TypeId::kUInt8: return value >= 0 && value <= UINT8_MAX;
    case TypeId::kUInt16: return value >= 0 && value <= UINT16_MAX;
    case TypeId::kUInt32: return value >= 0 && value <= UINT32_MAX;
    case TypeId::kUInt64: return value >= 0;
    default: return false;
  }
}

// Whether literal `arg` converts to `target` without a wider type: see CommonArgType.
bool LiteralAdapts(const BoundExpr& arg, const DataType& target) {
  const DataType& type = arg.type;
  if (type == target) return true;
  if (type.IsInteger() && (target.IsInteger() || target.id == TypeId::kDecimal)) {
    std::optional<int64_t> value = LiteralInt(arg);
    if (!value) return false;
    if (target.IsInteger()) return IntegerFits(*value, target);
    return DecimalDigitsOf(*value) <= target.precision - target.scale;
  }
  if (type.IsInteger() && target.id == TypeId::kFloat32) {
    std::optional<int64_t> value = LiteralInt(arg);
    return value && *value >= -(int64_t{1} << 24) && *value <= (int64_t{1} << 24);
  }
  if (type.id == TypeId::kFloat64 && target.id == TypeId::kFloat32) return true;
  if (type.id == TypeId::kUtf8 &&
      (IsNumeric(target) || IsTemporal(target) || target.id == TypeId::kBool)) {
    // A string literal compared with a date column means a date: convert it if it parses.
    BoundExprPtr converted =
        BindCast(std::make_shared<BoundExpr>(arg), target, /*try_cast=*/true, "implicit cast");
    return converted->kind == BoundExpr::Kind::kLiteral && converted->literal.null_count == 0;
  }
  return false;
}

}  // namespace

DataType DecimalForInteger(const DataType& type) {
  switch (type.id) {
    case TypeId::kInt8:
    case TypeId::kUInt8: return Decimal(3, 0);
    case TypeId::kInt16:
    case TypeId::kUInt16: return Decimal(5, 0);
    case TypeId::kInt32:
    case TypeId::kUInt32: return Decimal(10, 0);
    case TypeId::kInt64: return Decimal(19, 0);
    case TypeId::kUInt64: return Decimal(20, 0);
    default: break;
  }
  return Decimal(38, 0);
}

std::optional<DataType> CommonNumericType(const DataType& a, const DataType& b) {
  if (!IsNumeric(a) || !IsNumeric(b)) return std::nullopt;
  if (a == b) return a;
  if (a.id == TypeId::kDecimal || b.id == TypeId::kDecimal) {
    if (a.IsFloating() || b.IsFloating()) return Float64();
    DataType da = a.id == TypeId::kDecimal ? a : DecimalForInteger(a);
    DataType db = b.id == TypeId::kDecimal ? b : DecimalForInteger(b);
    return CommonDecimal(da, db);
  }
  if (a.IsFloating() || b.IsFloating()) {
    if (a.id == TypeId::kFloat64 || b.id == TypeId::kFloat64) return Float64();
    const DataType& other = a.IsFloating() ? b : a;
    if (other.IsFloating() || IntegerWidth(other) <= 2) return Float32();
    return Float64();
  }
  bool a_signed = a.IsSignedInteger();
  bool b_signed = b.IsSignedInteger();
  int wa = IntegerWidth(a);
  int wb = IntegerWidth(b);
  if (a_signed == b_signed) {
    return a_signed ? SignedOfWidth(std::max(wa, wb)) : UnsignedOfWidth(std::max(wa, wb));
  }
  int signed_width = a_signed ? wa : wb;
  int unsigned_width = a_signed ? wb : wa;
  return SignedOfWidth(std::max(signed_width, std::min(8, 2 * unsigned_width)));
}

std::optional<DataType> CommonType(const DataType& a, const DataType& b) {
  if (a == b) return a;
  if (IsNumeric(a) && IsNumeric(b)) return CommonNumericType(a, b);
  if (a.id == TypeId::kUtf8 && b.id == TypeId::kUtf8) return Utf8();
  if (a.id == TypeId::kDate32 && b.id == TypeId::kTimestamp) return b;
  if (a.id == TypeId::kTimestamp && b.id == TypeId::kDate32) return a;
  if (a.id == b.id && (a.id == TypeId::kTimestamp || a.id == TypeId::kTime64)) {
    DataType out = a;
    out.unit = FinerUnit(a.unit, b.unit);
    if (out.timezone.empty()) out.timezone = b.timezone;
    return out;
  }
  if (a.id == TypeId::kDuration && b.id == TypeId::kDuration) {
    return Duration(FinerUnit(a.unit, b.unit));
  }
  return std::nullopt;
}

std::optional<DataType> CommonArgType(std::span<const BoundExprPtr> args) {
  if (args.empty()) return std::nullopt;
  // The types of everything but literals decide first; literals then adapt to them.
  std::optional<DataType> base;
  for (const BoundExprPtr& arg : args) {
    if (arg->kind == BoundExpr::Kind::kLiteral) continue;
    base = base ? CommonType(*base, arg->type) : arg->type;
    if (!base) return std::nullopt;
  }
  for (const BoundExprPtr& arg : args) {
    if (arg->kind != BoundExpr::Kind::kLiteral || IsNullLiteral(*arg)) continue;
    if (!base) {
      base = arg->type;
      continue;
    }
    if (LiteralAdapts(*arg, *base)) continue;
    base = CommonType(*base, arg->type);
    if (!base) return std::nullopt;
  }
  // Only null literals: they keep the type of the first.
  if (!base) base = args[0]->type;
  return base;
}

BoundExprPtr CastArg(BoundExprPtr arg, const DataType& type, const std::string& display) {
  if (arg->type == type) return arg;
  return BindCast(std::move(arg), type, /*try_cast=*/false, display);
}

std::vector<BoundExprPtr> CastArgs(std::vector<BoundExprPtr> args, const DataType& type,
                                   const std::string& display) {
  for (BoundExprPtr& arg : args) arg = CastArg(std::move(arg), type, display);
  return args;
}

void CheckArgCount(std::span<const BoundExprPtr> args, size_t min, size_t max,
                   std::string_view name, const std::string& display) {
  size_t n = args.size();
  if (n >= min && n <= max) return;
  std::string expected;
  if (min == max) {
    expected = fmt::format("{} argument{}", min, min == 1 ? "" : "s");
  } else if (max == std::numeric_limits<size_t>::max()) {
    expected = fmt::format("at least {} argument{}", min, min == 1 ? "" : "s");
  } else {
    expected = fmt::format("{} to {} arguments", min, max);
  }
  ThrowInvalid("{} takes {} ({} given) in `{}`", name, expected, n, display);
}

std::string ArgTypeNames(std::span<const BoundExprPtr> args) {
  std::string out;
  for (size_t i = 0; i < args.size(); ++i) {
    if (i > 0) out += ", ";
    out += args[i]->type.ToString();
  }
  return out;
}

const Column* LiteralColumn(const BoundExpr& arg) {
  return arg.kind == BoundExpr::Kind::kLiteral ? &arg.literal : nullptr;
}

std::optional<std::string> LiteralString(const BoundExpr& arg) {
  const Column* column = LiteralColumn(arg);
  if (column == nullptr || column->length != 1 || column->IsNull(0)) return std::nullopt;
  if (!column->type.IsVariableWidth()) return std::nullopt;
  return std::string(column->StringAt(0));
}

std::optional<int64_t> LiteralInt(const BoundExpr& arg) {
  const Column* column = LiteralColumn(arg);
  if (column == nullptr || column->length != 1 || column->IsNull(0)) return std::nullopt;
  if (!column->type.IsInteger()) return std::nullopt;
  Scalar value = ScalarFromColumn(*column);
  if (const int64_t* v = std::get_if<int64_t>(&value.value)) return *v;
  if (const uint64_t* v = std::get_if<uint64_t>(&value.value)) {
    if (*v <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
      return static_cast<int64_t>(*v);
  }
  return std::nullopt;
}

bool IsNullLiteral(const BoundExpr& arg) {
  const Column* column = LiteralColumn(arg);
  return column != nullptr && column->length == 1 && column->IsNull(0);
}

int64_t OutputLength(std::span<const Column> args, int64_t rows) {
  if (args.empty()) return rows;
  for (const Column& arg : args) {
    if (arg.length != 1) return rows;
  }
  return 1;
}

std::shared_ptr<Buffer> MakeBitmap(int64_t length, bool value, MemoryPool* pool) {
  auto bitmap = Buffer::Make(bits::BytesFor(length), pool);
  if (bitmap->size() > 0) {
    std::memset(bitmap->data(), value ? 0xff : 0, static_cast<size_t>(bitmap->size()));
  }
  return bitmap;
}

Validity MakeValidity(std::shared_ptr<Buffer> bitmap, int64_t length) {
  if (bitmap == nullptr) return {};
  int64_t nulls = length - bits::CountSet(bitmap->data(), length);
  if (nulls == 0) return {};
  return {std::move(bitmap), nulls};
}

void AndValidityInto(const Column& column, int64_t length, uint8_t* dst) {
  if (column.validity == nullptr) return;
  if (column.length == 1 && length != 1) {
    if (column.IsNull(0)) std::memset(dst, 0, static_cast<size_t>(bits::BytesFor(length)));
    return;
  }
  const uint8_t* src = column.validity->data();
  int64_t bytes = bits::BytesFor(length);
  int64_t words = bytes / 8;
  for (int64_t w = 0; w < words; ++w) {
    uint64_t x;
    uint64_t y;
    std::memcpy(&x, dst + w * 8, 8);
    std::memcpy(&y, src + w * 8, 8);
    x &= y;
    std::memcpy(dst + w * 8, &x, 8);
  }
  for (int64_t i = words * 8; i < bytes; ++i) dst[i] &= src[i];
}

Validity PropagateValidity(std::span<const Column> args, int64_t length, MemoryPool* pool) {
  bool any = false;
  for (const Column& arg : args) {
    if (arg.validity == nullptr) continue;
    if (arg.length == 1 && length != 1 && arg.IsNull(0)) {
      return {MakeBitmap(length, false, pool), length};
    }
    any = true;
  }
  if (!any || length == 0) return {};
  std::shared_ptr<Buffer> bitmap;
  for (const Column& arg : args) {
    if (arg.validity == nullptr || (arg.length == 1 && length != 1)) continue;
    if (bitmap == nullptr) {
      bitmap = Buffer::Make(bits::BytesFor(length), pool);
      std::memcpy(bitmap->data(), arg.validity->data(), static_cast<size_t>(bitmap->size()));
    } else {
      AndValidityInto(arg, length, bitmap->data());
    }
  }
  return MakeValidity(std::move(bitmap), length);
}

Column AllocateFixed(const DataType& type, int64_t length, MemoryPool* pool) {
  Column column;
  column.type = type;
  column.length = length;
  if (type.id == TypeId::kBool) {
    column.values = Buffer::MakeZeroed(bits::BytesFor(length), pool);
  } else {
    SLUICE_CHECK(!type.IsVariableWidth());
    column.values = Buffer::Make(length * type.FixedWidth(), pool);
  }
  return column;
}

Column NullColumn(const DataType& type, int64_t length, MemoryPool* pool) {
  Column column;
  column.type = type;
  column.length = length;
  if (type.IsVariableWidth()) {
    column.values = Buffer::MakeZeroed((length + 1) * int64_t{sizeof(int64_t)}, pool);
    column.data = std::make_shared<Buffer>(pool);
  } else if (type.id == TypeId::kBool) {
    column.values = Buffer::MakeZeroed(bits::BytesFor(length), pool);
  } else {
    column.values = Buffer::MakeZeroed(length * type.FixedWidth(), pool);
  }
  if (length > 0) {
    column.validity = MakeBitmap(length, false, pool);
    column.null_count = length;
  }
  return column;
}

StringColumnWriter::StringColumnWriter(DataType type, int64_t length, int64_t bytes_hint,
                                       MemoryPool* pool)
    : column_(MakeEmptyColumn(type, pool)) {
  SLUICE_CHECK(column_.type.IsVariableWidth());
  column_.length = length;
  column_.values->Resize((length + 1) * int64_t{sizeof(int64_t)});
  offsets_ = column_.values->as<int64_t>();
  offsets_[0] = 0;
  column_.data->Reserve(std::max<int64_t>(bytes_hint, 0));
}

Column StringColumnWriter::Finish(Validity validity) {
  SLUICE_CHECK(row_ == column_.length);
  column_.data->Resize(size_);
  SetValidity(column_, std::move(validity));
  return std::move(column_);
}

Column TakeRows(const Column& column, std::span<const int64_t> indices, MemoryPool* pool) {
  const int64_t n = static_cast<int64_t>(indices.size());
  const DataType& type = column.type;
  auto bitmap = MakeBitmap(n, true, pool);
  for (int64_t i = 0; i < n; ++i) {
    int64_t from = indices[static_cast<size_t>(i)];
    if (from < 0 || column.IsNull(from)) bits::Clear(bitmap->data(), i);
  }
  Validity validity = MakeValidity(std::move(bitmap), n);
  if (type.IsVariableWidth()) {
    int64_t total = 0;
    for (int64_t from : indices) {
      if (from >= 0) total += static_cast<int64_t>(column.StringAt(from).size());
    }
    StringColumnWriter writer(type, n, total, pool);
    for (int64_t from : indices) writer.Append(from >= 0 ? column.StringAt(from) : "");
    return writer.Finish(std::move(validity));
  }
  Column out = AllocateFixed(type, n, pool);
  if (type.id == TypeId::kBool) {
    FillBits(out.values->data(), n, [&](int64_t i) {
      int64_t from = indices[static_cast<size_t>(i)];
      return from >= 0 && column.BoolAt(from);
    });
  } else {
    const size_t width = static_cast<size_t>(type.FixedWidth());
    uint8_t* dst = out.values->data();
    const uint8_t* src = column.values->data();
    for (int64_t i = 0; i < n; ++i) {
      int64_t from = indices[static_cast<size_t>(i)];
      if (from < 0) {
        std::memset(dst + i * static_cast<int64_t>(width), 0, width);
      } else {
        std::memcpy(dst + i * static_cast<int64_t>(width), src + from * static_cast<int64_t>(width),
                    width);
      }
    }
  }
  SetValidity(out, std::move(validity));
  return out;
}

std::string ValueForMessage(const Column& column, int64_t row) {
  if (column.IsNull(row)) return "NULL";
  if (column.type.id == TypeId::kUtf8) return fmt::format("'{}'", column.StringAt(row));
  return FormatValue(column, row);
}

}  // namespace sluice::kernels
