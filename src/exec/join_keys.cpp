// Join key planning (which casts make two key types comparable) and encoding (bytes that are
// equal exactly when the SQL values are equal), hashed with XXH3.
#include "exec/join_keys.h"

#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <optional>

#include "core/error.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace sluice::exec {
namespace {

KeyEncoding EncodingOf(const DataType& type) {
  switch (type.id) {
    case TypeId::kFloat32: return KeyEncoding::kFloat32;
    case TypeId::kFloat64: return KeyEncoding::kFloat64;
    case TypeId::kBool: return KeyEncoding::kBool;
    case TypeId::kUtf8:
    case TypeId::kBinary: return KeyEncoding::kVariable;
    default: return KeyEncoding::kNative;
  }
}

int WidthOf(KeyEncoding encoding, const DataType& type) {
  switch (encoding) {
    case KeyEncoding::kNative: return type.FixedWidth();
    case KeyEncoding::kFloat32: return 4;
    case KeyEncoding::kFloat64: return 8;
    case KeyEncoding::kBool: return 1;
    case KeyEncoding::kSigned64:
    case KeyEncoding::kUnsigned64: return 8;
    case KeyEncoding::kVariable: return 0;
  }
  return 0;
}

/// The type both sides of a key pair are cast to when the encodings cannot compare them as they
/// are; none when no such type exists.
std::optional<DataType> CommonKeyType(const DataType& a, const DataType& b) {
  const bool a_number = a.IsInteger() || a.IsFloating();
  const bool b_number = b.IsInteger() || b.IsFloating();
  if (a_number && b_number) return Float64();
  if (a.id == TypeId::kDecimal || b.id == TypeId::kDecimal) {
    if (a.IsFloating() || b.IsFloating()) return Float64();
    const DataType& decimal = a.id == TypeId::kDecimal ? a : b;
    const DataType& other = a.id == TypeId::kDecimal ? b : a;
    if (other.id == TypeId::kDecimal) return Decimal(38, std::max(a.scale, b.scale));
    if (other.IsInteger()) return Decimal(38, decimal.scale);
    return std::nullopt;
  }
  if (a.id == TypeId::kDate32 && b.id == TypeId::kTimestamp) return b;
  if (a.id == TypeId::kTimestamp && b.id == TypeId::kDate32) return a;
  if (a.id == b.id &&
      (a.id == TypeId::kTimestamp || a.id == TypeId::kDuration || a.id == TypeId::kTime64)) {
    if (a.timezone != b.timezone) return std::nullopt;
    return a.unit > b.unit ? a : b;  // The finer unit holds both exactly.
  }
  if (a.id == TypeId::kUtf8 && b.id == TypeId::kUtf8) return a;  // Differ only in kind.
  return std::nullopt;
}

/// Writes encoded fixed-width values either into packed words or at per-row byte cursors.
struct KeyWriter {
  uint64_t* packed = nullptr;
  int shift = 0;
  uint8_t* bytes = nullptr;
  uint64_t* cursors = nullptr;

  void Put(int64_t i, uint64_t value, int width) const {
    if (packed != nullptr) {
      packed[i] |= value << shift;
    } else {
      std::memcpy(bytes + cursors[i], &value, static_cast<size_t>(width));
      cursors[i] += static_cast<uint64_t>(width);
    }
  }
};

template <typename T>
void PutIntegers(const Column& column, const KeyWriter& writer, int width) {
  const T* values = column.Values<T>();
  for (int64_t i = 0; i < column.length; ++i) {
    writer.Put(i, static_cast<uint64_t>(values[i]), width);
  }
}

/// Widens any integer column to 64 bits: signed types sign-extend, unsigned zero-extend.
void PutWidened(const Column& column, const KeyWriter& writer, bool signed_domain, uint8_t* valid) {
  switch (column.type.id) {
    case TypeId::kInt8: PutIntegers<int8_t>(column, writer, 8); break;
    case TypeId::kInt16: PutIntegers<int16_t>(column, writer, 8); break;
    case TypeId::kInt32: PutIntegers<int32_t>(column, writer, 8); break;
    case TypeId::kInt64: PutIntegers<int64_t>(column, writer, 8); break;
    case TypeId::kUInt8: PutIntegers<uint8_t>(column, writer, 8); break;
    case TypeId::kUInt16: PutIntegers<uint16_t>(column, writer, 8); break;
    case TypeId::kUInt32: PutIntegers<uint32_t>(column, writer, 8); break;
    case TypeId::kUInt64: {
      PutIntegers<uint64_t>(column, writer, 8);
      if (signed_domain) {
        // No int64 equals a value above INT64_MAX: such keys cannot match.
        const uint64_t* values = column.Values<uint64_t>();
        constexpr uint64_t kMax = std::numeric_limits<int64_t>::max();
        for (int64_t i = 0; i < column.length; ++i) valid[i] &= values[i] <= kMax;
      }
      break;
    }
    default: ThrowInternal("join key of type {} is not an integer", column.type.ToString());
  }
}

void PutFloat64(const Column& column, const KeyWriter& writer) {
  const double* values = column.Values<double>();
  for (int64_t i = 0; i < column.length; ++i) {
    double v = values[i];
    if (v == 0.0) v = 0.0;                                            // -0.0 equals 0.0.
    if (std::isnan(v)) v = std::numeric_limits<double>::quiet_NaN();  // NaN equals NaN.
    writer.Put(i, std::bit_cast<uint64_t>(v), 8);
  }
}

void PutFloat32(const Column& column, const KeyWriter& writer) {
  const float* values = column.Values<float>();
  for (int64_t i = 0; i < column.length; ++i) {
    float v = values[i];
    if (v == 0.0f) v = 0.0f;
    if (std::isnan(v)) v = std::numeric_limits<float>::quiet_NaN();
    writer.Put(i, std::bit_cast<uint32_t>(v), 4);
  }
}

void PutFixedBytes(const Column& column, const KeyWriter& writer, int width) {
  const uint8_t* values = column.values->data();
  for (int64_t i = 0; i < column.length; ++i) {
    std::memcpy(writer.bytes + writer.cursors[i], values + i * width, static_cast<size_t>(width));
    writer.cursors[i] += static_cast<uint64_t>(width);
  }
}

void PutColumn(const Column& column, KeyEncoding encoding, int width, const KeyWriter& writer,
               uint8_t* valid) {
  switch (encoding) {
    case KeyEncoding::kFloat32: PutFloat32(column, writer); return;
    case KeyEncoding::kFloat64: PutFloat64(column, writer); return;
    case KeyEncoding::kBool:
      for (int64_t i = 0; i < column.length; ++i) writer.Put(i, column.BoolAt(i) ? 1 : 0, 1);
      return;
    case KeyEncoding::kSigned64: PutWidened(column, writer, true, valid); return;
    case KeyEncoding::kUnsigned64: PutWidened(column, writer, false, valid); return;
    case KeyEncoding::kNative:
      switch (width) {
        case 1: PutIntegers<uint8_t>(column, writer, 1); return;
        case 2: PutIntegers<uint16_t>(column, writer, 2); return;
        case 4: PutIntegers<uint32_t>(column, writer, 4); return;
        case 8: PutIntegers<uint64_t>(column, writer, 8); return;
        default: PutFixedBytes(column, writer, width); return;
      }
    case KeyEncoding::kVariable: {
      const int64_t* offsets = column.Offsets();
      const uint8_t* data = column.data ? column.data->data() : nullptr;
      for (int64_t i = 0; i < column.length; ++i) {
        const uint32_t length = static_cast<uint32_t>(offsets[i + 1] - offsets[i]);
        std::memcpy(writer.bytes + writer.cursors[i], &length, 4);
        if (length > 0) {
          std::memcpy(writer.bytes + writer.cursors[i] + 4, data + offsets[i], length);
        }
        writer.cursors[i] += 4 + uint64_t{length};
      }
      return;
    }
  }
}

void MarkNulls(const Column& column, uint8_t* valid) {
  if (column.null_count == 0 || column.validity == nullptr) return;
  const uint8_t* bitmap = column.validity->data();
  for (int64_t i = 0; i < column.length; ++i) valid[i] &= bits::Get(bitmap, i) ? 1 : 0;
}

}  // namespace

JoinKeySpec PlanJoinKeys(const std::vector<DataType>& left, const std::vector<DataType>& right,
                         const std::vector<std::string>& displays,
                         std::vector<DataType>* left_targets,
                         std::vector<DataType>* right_targets) {
  SLUICE_CHECK(left.size() == right.size() && displays.size() == left.size());
  *left_targets = left;
  *right_targets = right;
  JoinKeySpec spec;
  bool all_fixed = true;
  int total = 0;
  for (size_t i = 0; i < left.size(); ++i) {
    const DataType& l = left[i];
    const DataType& r = right[i];
    KeyEncoding encoding;
    DataType encoded_type = l;
    if (l == r) {
      encoding = EncodingOf(l);
    } else if (l.IsInteger() && r.IsInteger()) {
      encoding = l.IsSignedInteger() || r.IsSignedInteger() ? KeyEncoding::kSigned64
                                                            : KeyEncoding::kUnsigned64;
    } else if (l.IsVariableWidth() && r.IsVariableWidth()) {
      encoding = KeyEncoding::kVariable;  // utf8 and binary compare as bytes.
    } else {
      std::optional<DataType> common = CommonKeyType(l, r);
      if (!common) {
        ThrowInvalid("cannot join on {}: key types {} and {} cannot be compared", displays[i],
                     l.ToString(), r.ToString());
      }
      (*left_targets)[i] = *common;
      (*right_targets)[i] = *common;
      encoded_type = *common;
      encoding = EncodingOf(*common);
    }
    const int width = WidthOf(encoding, encoded_type);
    spec.encodings.push_back(encoding);
    spec.widths.push_back(width);
    if (encoding == KeyEncoding::kVariable) all_fixed = false;
    total += width;
  }
  spec.fixed_width = all_fixed ? total : 0;
  spec.packed = all_fixed && total <= 8;
  return spec;
}

int64_t EncodedKeys::MemoryBytes() const {
  return static_cast<int64_t>(hashes.capacity() * 8 + valid.capacity() + packed.capacity() * 8 +
                              bytes.capacity() + offsets.capacity() * 8);
}

void EncodeJoinKeys(const JoinKeySpec& spec, std::span<const Column> keys, EncodedKeys* out) {
  SLUICE_CHECK(keys.size() == spec.encodings.size() && !keys.empty());
  const int64_t n = keys[0].length;
  out->rows = n;
  out->valid.assign(static_cast<size_t>(n), 1);
  out->hashes.resize(static_cast<size_t>(n));
  out->fixed_width = spec.packed ? 0 : spec.fixed_width;
  out->packed.clear();
  out->bytes.clear();
  out->offsets.clear();
  for (const Column& key : keys) MarkNulls(key, out->valid.data());

  if (spec.packed) {
    out->packed.assign(static_cast<size_t>(n), 0);
    int shift = 0;
    for (size_t k = 0; k < keys.size(); ++k) {
      KeyWriter writer{out->packed.data(), shift, nullptr, nullptr};
      PutColumn(keys[k], spec.encodings[k], spec.widths[k], writer, out->valid.data());
      shift += 8 * spec.widths[k];
    }
    for (int64_t i = 0; i < n; ++i) out->hashes[i] = XXH3_64bits(&out->packed[i], 8);
    return;
  }

  // Bytes mode: size each row, then write every key column at the row cursors.
  std::vector<uint64_t> cursors(static_cast<size_t>(n));
  if (spec.fixed_width > 0) {
    out->bytes.resize(static_cast<size_t>(n * spec.fixed_width));
    for (int64_t i = 0; i < n; ++i) cursors[i] = static_cast<uint64_t>(i * spec.fixed_width);
  } else {
    int fixed = 0;
    for (int width : spec.widths) fixed += width;
    out->offsets.assign(static_cast<size_t>(n + 1), 0);
    for (int64_t i = 0; i < n; ++i) cursors[i] = static_cast<uint64_t>(fixed);
    for (size_t k = 0; k < keys.size(); ++k) {
      if (spec.encodings[k] != KeyEncoding::kVariable) continue;
      const int64_t* offsets = keys[k].Offsets();
      for (int64_t i = 0; i < n; ++i) {
        cursors[i] += 4 + static_cast<uint64_t>(offsets[i + 1] - offsets[i]);
      }
    }
    uint64_t total = 0;
    for (int64_t i = 0; i < n; ++i) {
      out->offsets[i] = total;
      total += cursors[i];
      cursors[i] = out->offsets[i];
    }
    out->offsets[n] = total;
    out->bytes.resize(total);
  }
  KeyWriter writer{nullptr, 0, out->bytes.data(), cursors.data()};
  for (size_t k = 0; k < keys.size(); ++k) {
    PutColumn(keys[k], spec.encodings[k], spec.widths[k], writer, out->valid.data());
  }
  for (int64_t i = 0; i < n; ++i) out->hashes[i] = XXH3_64bits(out->KeyAt(i), out->KeyLength(i));
}

EncodedKeys ConcatenateKeys(const JoinKeySpec& spec, std::span<const EncodedKeys> parts) {
  EncodedKeys out;
  out.fixed_width = spec.packed ? 0 : spec.fixed_width;
  const bool packed = spec.packed;
  size_t rows = 0;
  size_t bytes = 0;
  for (const EncodedKeys& part : parts) {
    rows += static_cast<size_t>(part.rows);
    bytes += part.bytes.size();
  }
  out.rows = static_cast<int64_t>(rows);
  out.hashes.reserve(rows);
  out.valid.reserve(rows);
  if (packed) out.packed.reserve(rows);
  out.bytes.reserve(bytes);
  const bool with_offsets = out.fixed_width == 0 && !packed;
  if (with_offsets) out.offsets.reserve(rows + 1);
  for (const EncodedKeys& part : parts) {
    out.hashes.insert(out.hashes.end(), part.hashes.begin(), part.hashes.end());
    out.valid.insert(out.valid.end(), part.valid.begin(), part.valid.end());
    out.packed.insert(out.packed.end(), part.packed.begin(), part.packed.end());
    if (with_offsets && part.rows > 0) {
      const uint64_t base = out.bytes.size();
      for (int64_t i = 0; i < part.rows; ++i) out.offsets.push_back(base + part.offsets[i]);
    }
    out.bytes.insert(out.bytes.end(), part.bytes.begin(), part.bytes.end());
  }
  if (with_offsets) out.offsets.push_back(out.bytes.size());
  return out;
}

}  // namespace sluice::exec
