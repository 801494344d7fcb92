// Per-type conversion loops from field references to column buffers.
#include "io/csv/column_convert.h"

#include <cstring>
#include <limits>

#include "core/error.h"
#include "io/csv/sniffer.h"
#include "io/csv/value_parse.h"

namespace sluice::io::csv {

void CheckConvertible(const DataType& type, const std::string& column) {
  switch (type.id) {
    case TypeId::kBool:
    case TypeId::kInt8:
    case TypeId::kInt16:
    case TypeId::kInt32:
    case TypeId::kInt64:
    case TypeId::kUInt8:
    case TypeId::kUInt16:
    case TypeId::kUInt32:
    case TypeId::kUInt64:
    case TypeId::kFloat32:
    case TypeId::kFloat64:
    case TypeId::kDecimal:
    case TypeId::kUtf8:
    case TypeId::kBinary:
    case TypeId::kDate32:
    case TypeId::kTimestamp: return;
    default: break;
  }
  ThrowUnsupported("column '{}': reading CSV text as {} is not supported; read it as utf8", column,
                   type.ToString());
}

namespace {

/// Calls fn(row, ref, data) for the field in `slot` of every row (or, with a selection, of the
/// selected rows: `row` then counts them), in order, until it returns false.
template <typename Fn>
void ForEachField(const std::vector<RowSlice>& slices, uint32_t slot, uint32_t slots,
                  const std::vector<int64_t>* selection, Fn&& fn) {
  int64_t row = 0;
  if (selection == nullptr) {
    for (const RowSlice& slice : slices) {
      const FieldRef* refs = slice.chunk->fields.get() + slot;
      for (int64_t r = slice.begin; r < slice.end; ++r, ++row) {
        if (!fn(row, refs[r * slots], slice.data)) return;
      }
    }
    return;
  }
  size_t next = 0;    // The next selected row.
  int64_t first = 0;  // The batch row of the slice's first row.
  for (const RowSlice& slice : slices) {
    const FieldRef* refs = slice.chunk->fields.get() + slot;
    const int64_t end = first + (slice.end - slice.begin);
    for (; next < selection->size() && (*selection)[next] < end; ++next, ++row) {
      int64_t r = slice.begin + ((*selection)[next] - first);
      if (!fn(row, refs[r * slots], slice.data)) return;
    }
    first = end;
  }
}

/// Builds a validity bitmap only once a null shows up, as most columns have none.
class ValidityBuilder {
 public:
  ValidityBuilder(int64_t rows, MemoryPool* pool) : rows_(rows), pool_(pool) {}

  void SetNull(int64_t row) {
    if (bitmap_ == nullptr) {
      bitmap_ = Buffer::Make(bits::BytesFor(rows_), pool_);
      std::memset(bitmap_->data(), 0xff, static_cast<size_t>(bitmap_->size()));
    }
    bits::Clear(bitmap_->data(), row);
    ++nulls_;
  }

  void Finish(Column* column) {
    column->null_count = nulls_;
    if (nulls_ > 0) column->validity = std::move(bitmap_);
  }

 private:
  int64_t rows_;
  MemoryPool* pool_;
  std::shared_ptr<Buffer> bitmap_;
  int64_t nulls_ = 0;
};

inline bool IsBlank(std::string_view raw) {
  return raw.empty() || ((raw.front() == ' ' || raw.front() == '\t') && TrimSpaces(raw).empty());
}

/// Decides nullness as documented on ConvertColumn.
[[gnu::always_inline]] inline bool IsNull(const ConvertOptions& options, const FieldRef& ref,
                                          std::string_view raw, bool text) {
  if (ref.missing()) return true;
  if (!ref.quoted()) {
    if (raw.empty()) {
      if (options.empty_is_null) return true;
    } else if (options.other_nulls && IsNullString(raw, options.null_strings)) {
      return true;
    }
  }
  return !text && IsBlank(raw);
}

/// Resolves doubled quotes and escapes into scratch when the field has any.
[[gnu::always_inline]] inline std::string_view FieldText(const ConvertOptions& options,
                                                         const FieldRef& ref, std::string_view raw,
                                                         std::string* scratch) {
  if (!ref.escaped()) return raw;
  scratch->resize(raw.size());
  scratch->resize(Unescape(options.dialect, raw, scratch->data()));
  return *scratch;
}

template <typename T, typename Parse>
Column ConvertFixed(const ConvertOptions& options, const std::vector<RowSlice>& slices,
                    const std::vector<int64_t>* selection, int64_t rows, uint32_t slot,
                    const DataType& type, Parse parse, ValueError* error) {
  Column column;
  column.type = type;
  column.length = rows;
  column.values = Buffer::Make(rows * static_cast<int64_t>(sizeof(T)), options.pool);
  T* out = column.values->as<T>();
  ValidityBuilder validity(rows, options.pool);
  std::string scratch;
  ForEachField(slices, slot, options.slots, selection,
               [&](int64_t row, const FieldRef& ref, const uint8_t* data) {
                 std::string_view raw = ref.View(data);
                 if (IsNull(options, ref, raw, false)) {
                   out[row] = T{};
                   validity.SetNull(row);
                   return true;
                 }
                 std::string_view text = FieldText(options, ref, raw, &scratch);
                 if (parse(text, &out[row])) return true;
                 error->row = row;
                 error->value = std::string(text);
                 return false;
               });
  validity.Finish(&column);
  return column;
}

template <typename T>
bool ParseSigned(std::string_view text, T* out) {
  int64_t value;
  if (!ParseInt64(text, &value) || value < std::numeric_limits<T>::min() ||
      value > std::numeric_limits<T>::max()) {
    return false;
  }
  *out = static_cast<T>(value);
  return true;
}

template <typename T>
bool ParseUnsigned(std::string_view text, T* out) {
  uint64_t value;
  if (!ParseUInt64(text, &value) || value > std::numeric_limits<T>::max()) return false;
  *out = static_cast<T>(value);
  return true;
}

Column ConvertBool(const ConvertOptions& options, const std::vector<RowSlice>& slices,
                   const std::vector<int64_t>* selection, int64_t rows, uint32_t slot,
                   ValueError* error) {
  Column column;
  column.type = Bool();
  column.length = rows;
  column.values = Buffer::MakeZeroed(bits::BytesFor(rows), options.pool);
  uint8_t* out = column.values->data();
  ValidityBuilder validity(rows, options.pool);
  std::string scratch;
  ForEachField(slices, slot, options.slots, selection,
               [&](int64_t row, const FieldRef& ref, const uint8_t* data) {
                 std::string_view raw = ref.View(data);
                 if (IsNull(options, ref, raw, false)) {
                   validity.SetNull(row);
                   return true;
                 }
                 std::string_view text = FieldText(options, ref, raw, &scratch);
                 bool value;
                 if (!ParseBool(text, /*lenient=*/true, &value)) {
                   error->row = row;
                   error->value = std::string(text);
                   return false;
                 }
                 if (value) bits::Set(out, row);
                 return true;
               });
  validity.Finish(&column);
  return column;
}

Column ConvertText(const ConvertOptions& options, const std::vector<RowSlice>& slices,
                   const std::vector<int64_t>* selection, int64_t rows, uint32_t slot,
                   const DataType& type, ValueError* error) {
  // Unescaping only shrinks a field, so the raw sizes bound the bytes: one allocation.
  int64_t bound = 0;
  ForEachField(slices, slot, options.slots, selection,
               [&](int64_t, const FieldRef& ref, const uint8_t*) {
                 bound += ref.size();
                 return true;
               });
  Column column;
  column.type = type;
  column.length = rows;
  column.values = Buffer::Make((rows + 1) * int64_t{sizeof(int64_t)}, options.pool);
  column.data = Buffer::Make(bound, options.pool);
  int64_t* offsets = column.values->as<int64_t>();
  char* bytes = reinterpret_cast<char*>(column.data->data());
  const bool validate = type.id == TypeId::kUtf8;
  ValidityBuilder validity(rows, options.pool);
  int64_t size = 0;
  offsets[0] = 0;
  ForEachField(slices, slot, options.slots, selection,
               [&](int64_t row, const FieldRef& ref, const uint8_t* data) {
                 std::string_view raw = ref.View(data);
                 if (IsNull(options, ref, raw, true)) {
                   validity.SetNull(row);
                   offsets[row + 1] = size;
                   return true;
                 }
                 char* dst = bytes + size;
                 size_t length = raw.size();
                 if (ref.escaped()) {
                   length = Unescape(options.dialect, raw, dst);
                 } else if (length > 0) {
                   std::memcpy(dst, raw.data(), length);
                 }
                 if (validate) {
                   std::string_view value(dst, length);
                   size_t bad = FindInvalidUtf8(value);
                   if (bad != length) {
                     error->row = row;
                     error->utf8 = true;
                     error->bad_byte = static_cast<uint8_t>(value[bad]);
                     error->value = std::string(value);
                     return false;
                   }
                 }
                 size += static_cast<int64_t>(length);
                 offsets[row + 1] = size;
                 return true;
               });
  column.data->Resize(size);
  validity.Finish(&column);
  return column;
}

}  // namespace

Column ConvertColumn(const ConvertOptions& options, const std::vector<RowSlice>& slices,
                     int64_t rows, uint32_t slot, const DataType& type, ValueError* error,
                     const std::vector<int64_t>* selection) {
  if (selection != nullptr) rows = static_cast<int64_t>(selection->size());
  auto fixed = [&](auto tag, auto parse) {
    using T = decltype(tag);
    return ConvertFixed<T>(options, slices, selection, rows, slot, type, parse, error);
  };
  switch (type.id) {
    case TypeId::kBool: return ConvertBool(options, slices, selection, rows, slot, error);
    case TypeId::kInt8: return fixed(int8_t{}, ParseSigned<int8_t>);
    case TypeId::kInt16: return fixed(int16_t{}, ParseSigned<int16_t>);
    case TypeId::kInt32: return fixed(int32_t{}, ParseSigned<int32_t>);
    case TypeId::kInt64: return fixed(int64_t{}, ParseInt64);
    case TypeId::kUInt8: return fixed(uint8_t{}, ParseUnsigned<uint8_t>);
    case TypeId::kUInt16: return fixed(uint16_t{}, ParseUnsigned<uint16_t>);
    case TypeId::kUInt32: return fixed(uint32_t{}, ParseUnsigned<uint32_t>);
    case TypeId::kUInt64: return fixed(uint64_t{}, ParseUInt64);
    case TypeId::kFloat32: return fixed(float{}, ParseFloat32);
    case TypeId::kFloat64: return fixed(double{}, ParseFloat64);
    case TypeId::kDate32: return fixed(int32_t{}, ParseDate);
    case TypeId::kTimestamp: {
      TimeUnit unit = type.unit;
      return fixed(int64_t{}, [unit](std::string_view text, int64_t* out) {
        bool has_zone;
        return ParseTimestamp(text, unit, out, &has_zone);
      });
    }
    case TypeId::kDecimal: {
      int precision = type.precision;
      int scale = type.scale;
      return fixed(int128_t{}, [precision, scale](std::string_view text, int128_t* out) {
        return ParseDecimal(text, precision, scale, out);
      });
    }
    case TypeId::kUtf8:
    case TypeId::kBinary: return ConvertText(options, slices, selection, rows, slot, type, error);
    default: break;
  }
  ThrowInternal("CSV conversion to {} was not checked", type.ToString());
}

}  // namespace sluice::io::csv
