// Key encoding (packed, string, serialized), XXH3 hashing and the open-addressing grouping
// table (linear probing, at most half full).
#include "exec/hash_table.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>

#include "core/bitmap.h"
#include "core/column_builder.h"
#include "core/error.h"

namespace sluice::exec {

namespace {

/// The hash of the null key of a single-key layout (any constant works; it picks a partition).
constexpr uint64_t kNullKeyHash = 0x9e3779b97f4a7c15ull;
constexpr size_t kInitialSlots = 256;

inline uint64_t Load64(const uint8_t* at) {
  uint64_t value;
  std::memcpy(&value, at, 8);
  return value;
}
inline uint32_t Load32(const uint8_t* at) {
  uint32_t value;
  std::memcpy(&value, at, 4);
  return value;
}

/// Compares keys without a call to memcmp and without a loop for short ones (most grouping keys
/// are a few bytes): overlapping loads cover every length with one branch on its size class.
inline bool BytesEqual(const uint8_t* a, const uint8_t* b, int64_t length) {
  if (length >= 8) {
    for (int64_t i = 0; i + 8 < length; i += 8) {
      if (Load64(a + i) != Load64(b + i)) return false;
    }
    return Load64(a + length - 8) == Load64(b + length - 8);
  }
  if (length >= 4) {
    return ((Load32(a) ^ Load32(b)) | (Load32(a + length - 4) ^ Load32(b + length - 4))) == 0;
  }
  if (length == 0) return true;
  return ((a[0] ^ b[0]) | (a[length / 2] ^ b[length / 2]) | (a[length - 1] ^ b[length - 1])) == 0;
}

inline uint64_t HashFixed(uint64_t key) {
  return XXH3_64bits(&key, sizeof(key));
}
inline uint64_t HashBytes(const uint8_t* data, int64_t length) {
  return XXH3_64bits(data, static_cast<size_t>(length));
}

/// Bits a value of `type` needs in a packed key, or 0 when it cannot be packed.
int PackedBits(const DataType& type) {
  switch (type.id) {
    case TypeId::kBool: return 1;
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
    case TypeId::kDate32:
    case TypeId::kTime64:
    case TypeId::kTimestamp:
    case TypeId::kDuration: return type.FixedWidth() * 8;
    default: return 0;
  }
}

/// The bits of value i of a packable column, zero-extended; floats normalized so that equal
/// values (0.0 and -0.0, every NaN) have equal bits.
inline uint64_t PackedValue(const Column& column, int64_t i) {
  switch (column.type.id) {
    case TypeId::kBool: return column.BoolAt(i) ? 1 : 0;
    case TypeId::kFloat32: {
      float value = column.Values<float>()[i];
      if (value == 0.0f) value = 0.0f;
      if (std::isnan(value)) value = std::nanf("");
      uint32_t bits;
      std::memcpy(&bits, &value, 4);
      return bits;
    }
    case TypeId::kFloat64: {
      double value = column.Values<double>()[i];
      if (value == 0.0) value = 0.0;
      if (std::isnan(value)) value = std::nan("");
      uint64_t bits;
      std::memcpy(&bits, &value, 8);
      return bits;
    }
    default: break;
  }
  switch (column.type.FixedWidth()) {
    case 1: return column.Values<uint8_t>()[i];
    case 2: return column.Values<uint16_t>()[i];
    case 4: return column.Values<uint32_t>()[i];
    default: return column.Values<uint64_t>()[i];
  }
}

/// Fills out[i] with the packed bits of each row of `column` (shifted), a type at a time.
void PackColumn(const Column& column, int64_t rows, int shift, uint64_t* out) {
  auto pack = [&]<typename T>() {
    const T* values = column.Values<T>();
    for (int64_t i = 0; i < rows; ++i) out[i] |= static_cast<uint64_t>(values[i]) << shift;
  };
  switch (column.type.id) {
    case TypeId::kBool:
    case TypeId::kFloat32:
    case TypeId::kFloat64:
      for (int64_t i = 0; i < rows; ++i) out[i] |= PackedValue(column, i) << shift;
      return;
    default: break;
  }
  switch (column.type.FixedWidth()) {
    case 1: return pack.template operator()<uint8_t>();
    case 2: return pack.template operator()<uint16_t>();
    case 4: return pack.template operator()<uint32_t>();
    default: return pack.template operator()<uint64_t>();
  }
}

/// Writes `bits` of `value` into slot g of a column's values (width per the type).
void StorePacked(Column* column, int64_t g, uint64_t value) {
  uint8_t* out = column->values->data();
  switch (column->type.id) {
    case TypeId::kBool:
      if (value & 1) bits::Set(out, g);
      return;
    default: break;
  }
  int width = column->type.FixedWidth();
  std::memcpy(out + g * width, &value, static_cast<size_t>(width));  // little-endian low bytes
}

/// Gives the null rows of a single-key layout the null group's hash, so that they land in the
/// same radix partition as the null group does.
void MarkNullHashes(EncodedKeys* keys) {
  if (keys->validity == nullptr) return;
  for (int64_t i = 0; i < keys->rows; ++i) {
    if (!bits::Get(keys->validity, i)) keys->hashes[i] = kNullKeyHash;
  }
}

/// The width of a serialized fixed value (bool as one byte).
int SerializedWidth(const DataType& type) {
  return type.id == TypeId::kBool ? 1 : type.FixedWidth();
}

/// Appends each row's value of `column` to its serialized key at data + cursor[i], advancing
/// the cursor: a flag byte (0 = null), then the value (fixed width, or a 4-byte length and the
/// bytes). The type is dispatched once per column, not per row.
void SerializeColumn(const Column& column, int64_t rows, uint8_t* data, int64_t* cursor) {
  const bool nulls = column.null_count > 0;
  auto each = [&](auto&& write) {
    for (int64_t i = 0; i < rows; ++i) {
      uint8_t* at = data + cursor[i];
      if (nulls && !column.IsValid(i)) {
        *at = 0;
        cursor[i] += 1;
        continue;
      }
      *at = 1;
      cursor[i] += 1 + write(at + 1, i);
    }
  };
  auto fixed = [&]<typename T>() {
    const T* values = column.Values<T>();
    each([&](uint8_t* at, int64_t i) {
      std::memcpy(at, values + i, sizeof(T));
      return static_cast<int64_t>(sizeof(T));
    });
  };
  const DataType& type = column.type;
  if (type.IsVariableWidth()) {
    const int64_t* offsets = column.Offsets();
    const uint8_t* bytes = column.data->data();
    return each([&](uint8_t* at, int64_t i) {
      uint32_t length = static_cast<uint32_t>(offsets[i + 1] - offsets[i]);
      std::memcpy(at, &length, 4);
      std::memcpy(at + 4, bytes + offsets[i], length);
      return int64_t{4} + length;
    });
  }
  if (type.id == TypeId::kBool || type.IsFloating()) {
    // Normalized like packed keys (floats: one NaN, one zero).
    const int width = SerializedWidth(type);
    return each([&](uint8_t* at, int64_t i) {
      uint64_t value = PackedValue(column, i);
      std::memcpy(at, &value, static_cast<size_t>(width));
      return static_cast<int64_t>(width);
    });
  }
  switch (type.FixedWidth()) {
    case 1: return fixed.template operator()<uint8_t>();
    case 2: return fixed.template operator()<uint16_t>();
    case 4: return fixed.template operator()<uint32_t>();
    case 8: return fixed.template operator()<uint64_t>();
    case 16: return fixed.template operator()<unsigned __int128>();
    default: {
      const int width = type.FixedWidth();
      return each([&](uint8_t* at, int64_t i) {
        std::memcpy(at, column.FixedBytesAt(i).data(), static_cast<size_t>(width));
        return static_cast<int64_t>(width);
      });
    }
  }
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// GroupKeys

int64_t GroupKeys::MemoryUsage() const {
  return static_cast<int64_t>(hashes.capacity() * 8 + fixed.capacity() * 8 +
                              offsets.capacity() * 8 + bytes.capacity() + nulls.capacity());
}

void GroupKeys::ComputeHashes(uint32_t count) {
  hashes.resize(count);
  const bool has_bytes = offsets.size() == static_cast<size_t>(count) + 1 && count > 0;
  for (uint32_t g = 0; g < count; ++g) {
    if (IsNull(g)) {
      hashes[g] = kNullKeyHash;
    } else if (!fixed.empty()) {
      hashes[g] = HashFixed(fixed[g]);
    } else if (has_bytes) {
      hashes[g] = HashBytes(bytes.data() + offsets[g], offsets[g + 1] - offsets[g]);
    } else {
      hashes[g] = 0;  // No keys (a global aggregate's one group).
    }
  }
}

void GroupKeys::Permute(const std::vector<uint32_t>& new_ids) {
  const size_t count = hashes.size();
  std::vector<uint64_t> new_hashes(count);
  for (size_t g = 0; g < count; ++g) new_hashes[new_ids[g]] = hashes[g];
  hashes = std::move(new_hashes);
  if (!fixed.empty()) {
    std::vector<uint64_t> new_fixed(count);
    for (size_t g = 0; g < count; ++g) new_fixed[new_ids[g]] = fixed[g];
    fixed = std::move(new_fixed);
  }
  if (offsets.size() == count + 1 && count > 0) {
    std::vector<int64_t> new_offsets(count + 1, 0);
    for (size_t g = 0; g < count; ++g) new_offsets[new_ids[g] + 1] = offsets[g + 1] - offsets[g];
    for (size_t g = 0; g < count; ++g) new_offsets[g + 1] += new_offsets[g];
    std::vector<uint8_t> new_bytes(bytes.size());
    for (size_t g = 0; g < count; ++g) {
      int64_t length = offsets[g + 1] - offsets[g];
      if (length > 0)
        std::memcpy(new_bytes.data() + new_offsets[new_ids[g]], bytes.data() + offsets[g],
                    static_cast<size_t>(length));
    }
    offsets = std::move(new_offsets);
    bytes = std::move(new_bytes);
  }
  if (null_group != kNoGroup) null_group = new_ids[null_group];
}

// ---------------------------------------------------------------------------------------------
// KeyLayout

KeyLayout::KeyLayout(std::vector<DataType> types) : types_(std::move(types)) {
  if (types_.empty()) {
    mode_ = KeyMode::kNone;
    return;
  }
  if (types_.size() == 1 && types_[0].IsVariableWidth()) {
    mode_ = KeyMode::kString;
    return;
  }
  int total = types_.size() > 1 ? static_cast<int>(types_.size()) : 0;  // null flags
  bool packable = true;
  for (const DataType& type : types_) {
    int bits = PackedBits(type);
    packable = packable && bits > 0;
    total += bits;
  }
  if (!packable || total > 64) {
    mode_ = KeyMode::kSerialized;
    return;
  }
  mode_ = KeyMode::kFixed;
  int shift = 0;
  for (const DataType& type : types_) {
    value_shift_.push_back(shift);
    value_bits_.push_back(PackedBits(type));
    shift += PackedBits(type);
  }
  if (types_.size() > 1) {
    for (size_t k = 0; k < types_.size(); ++k) null_shift_.push_back(shift++);
  }
}

void KeyLayout::Encode(std::span<const Column> keys, int64_t rows, EncodedKeys* out) const {
  out->rows = rows;
  out->hashes.resize(static_cast<size_t>(rows));
  out->validity = nullptr;
  switch (mode_) {
    case KeyMode::kNone: std::fill(out->hashes.begin(), out->hashes.end(), 0); return;
    case KeyMode::kFixed: return EncodeFixed(keys, rows, out);
    case KeyMode::kString: {
      const Column& key = keys[0];
      if (key.null_count > 0) out->validity = key.validity->data();
      out->offsets = key.Offsets();
      out->data = key.data->data();
      for (int64_t i = 0; i < rows; ++i) {
        out->hashes[i] =
            HashBytes(out->data + out->offsets[i], out->offsets[i + 1] - out->offsets[i]);
      }
      MarkNullHashes(out);
      return;
    }
    case KeyMode::kSerialized: return EncodeSerialized(keys, rows, out);
  }
}

void KeyLayout::EncodeFixed(std::span<const Column> keys, int64_t rows, EncodedKeys* out) const {
  out->fixed.assign(static_cast<size_t>(rows), 0);
  uint64_t* fixed = out->fixed.data();
  if (types_.size() == 1) {
    const Column& key = keys[0];
    if (key.null_count > 0) out->validity = key.validity->data();
    PackColumn(key, rows, 0, fixed);
  } else {
    for (size_t k = 0; k < keys.size(); ++k) {
      const Column& key = keys[k];
      PackColumn(key, rows, value_shift_[k], fixed);
      if (key.null_count > 0) {
        // A null key packs as value 0 plus its null flag, so that nulls compare equal.
        uint64_t value_mask =
            value_bits_[k] == 64 ? ~uint64_t{0} : ((uint64_t{1} << value_bits_[k]) - 1);
        for (int64_t i = 0; i < rows; ++i) {
          if (!key.IsValid(i))
            fixed[i] =
                (fixed[i] & ~(value_mask << value_shift_[k])) | (uint64_t{1} << null_shift_[k]);
        }
      }
    }
  }
  uint64_t* hashes = out->hashes.data();
  for (int64_t i = 0; i < rows; ++i) hashes[i] = HashFixed(fixed[i]);
  MarkNullHashes(out);
}

void KeyLayout::EncodeSerialized(std::span<const Column> keys, int64_t rows,
                                 EncodedKeys* out) const {
  std::vector<int64_t>& offsets = out->serialized_offsets;
  offsets.assign(static_cast<size_t>(rows) + 1, 0);
  int64_t* sizes = offsets.data() + 1;
  for (size_t k = 0; k < keys.size(); ++k) {
    const Column& key = keys[k];
    if (types_[k].IsVariableWidth()) {
      const int64_t* value_offsets = key.Offsets();
      for (int64_t i = 0; i < rows; ++i) sizes[i] += 5 + value_offsets[i + 1] - value_offsets[i];
    } else {
      const int64_t size = 1 + SerializedWidth(types_[k]);
      for (int64_t i = 0; i < rows; ++i) sizes[i] += size;
    }
    if (key.null_count > 0) {
      // A null is its flag alone.
      const int64_t value_size = types_[k].IsVariableWidth() ? 4 : SerializedWidth(types_[k]);
      for (int64_t i = 0; i < rows; ++i) {
        if (!key.IsValid(i)) {
          sizes[i] -= value_size;
          if (types_[k].IsVariableWidth()) sizes[i] -= key.Offsets()[i + 1] - key.Offsets()[i];
        }
      }
    }
  }
  for (int64_t i = 0; i < rows; ++i) offsets[i + 1] += offsets[i];
  out->serialized.resize(static_cast<size_t>(offsets[rows]));
  uint8_t* data = out->serialized.data();
  std::vector<int64_t> cursor(offsets.begin(), offsets.end() - 1);
  for (size_t k = 0; k < keys.size(); ++k) SerializeColumn(keys[k], rows, data, cursor.data());
  out->offsets = offsets.data();
  out->data = data;
  for (int64_t i = 0; i < rows; ++i) {
    out->hashes[i] = HashBytes(data + offsets[i], offsets[i + 1] - offsets[i]);
  }
}

std::vector<Column> KeyLayout::Decode(const GroupKeys& groups, MemoryPool* pool) const {
  switch (mode_) {
    case KeyMode::kNone: return {};
    case KeyMode::kFixed: return DecodeFixed(groups, pool);
    case KeyMode::kString: {
      int64_t count = groups.size();
      Column column = MakeEmptyColumn(types_[0], pool);
      column.length = count;
      column.values->Resize(0);  // Drop the empty column's offset 0: ours start with it.
      column.values->Append(groups.offsets.data(), (count + 1) * int64_t{sizeof(int64_t)});
      column.data->Append(groups.bytes.data(), static_cast<int64_t>(groups.bytes.size()));
      if (groups.null_group != kNoGroup) {
        column.validity = Buffer::Make(bits::BytesFor(count), pool);
        std::memset(column.validity->data(), 0xff, static_cast<size_t>(bits::BytesFor(count)));
        bits::Clear(column.validity->data(), groups.null_group);
        column.null_count = 1;
      }
      return {std::move(column)};
    }
    case KeyMode::kSerialized: return DecodeSerialized(groups, pool);
  }
  return {};
}

std::vector<Column> KeyLayout::DecodeFixed(const GroupKeys& groups, MemoryPool* pool) const {
  int64_t count = groups.size();
  std::vector<Column> columns;
  for (size_t k = 0; k < types_.size(); ++k) {
    const DataType& type = types_[k];
    Column column;
    column.type = type;
    column.length = count;
    int64_t value_bytes =
        type.id == TypeId::kBool ? bits::BytesFor(count) : count * type.FixedWidth();
    column.values = Buffer::MakeZeroed(value_bytes, pool);
    uint64_t mask = value_bits_[k] == 64 ? ~uint64_t{0} : ((uint64_t{1} << value_bits_[k]) - 1);
    for (int64_t g = 0; g < count; ++g) {
      StorePacked(&column, g, (groups.fixed[g] >> value_shift_[k]) & mask);
    }
    // Nulls: the single key's null group, or the null flags of packed keys.
    std::vector<uint8_t> valid;
    if (types_.size() == 1) {
      if (groups.null_group != kNoGroup) {
        valid.assign(static_cast<size_t>(count), 1);
        valid[groups.null_group] = 0;
      }
    } else {
      bool any_null = false;
      valid.resize(static_cast<size_t>(count));
      for (int64_t g = 0; g < count; ++g) {
        valid[g] = ((groups.fixed[g] >> null_shift_[k]) & 1) == 0;
        any_null |= valid[g] == 0;
      }
      if (!any_null) valid.clear();
    }
    if (!valid.empty()) {
      column.validity = Buffer::MakeZeroed(bits::BytesFor(count), pool);
      for (int64_t g = 0; g < count; ++g) {
        if (valid[g])
          bits::Set(column.validity->data(), g);
        else
          ++column.null_count;
      }
    }
    columns.push_back(std::move(column));
  }
  return columns;
}

std::vector<Column> KeyLayout::DecodeSerialized(const GroupKeys& groups, MemoryPool* pool) const {
  std::vector<ColumnBuilder> builders;
  for (const DataType& type : types_) builders.emplace_back(type, pool);
  for (uint32_t g = 0; g < groups.size(); ++g) {
    const uint8_t* at = groups.bytes.data() + groups.offsets[g];
    for (size_t k = 0; k < types_.size(); ++k) {
      const DataType& type = types_[k];
      if (*at++ == 0) {
        builders[k].AppendNull();
        continue;
      }
      if (type.IsVariableWidth()) {
        uint32_t length;
        std::memcpy(&length, at, 4);
        builders[k].AppendString(std::string_view(reinterpret_cast<const char*>(at + 4), length));
        at += 4 + length;
      } else if (type.id == TypeId::kBool) {
        builders[k].AppendBool(*at != 0);
        at += 1;
      } else {
        builders[k].AppendFixed(at, type.FixedWidth());
        at += type.FixedWidth();
      }
    }
  }
  std::vector<Column> columns;
  for (ColumnBuilder& builder : builders) columns.push_back(builder.Finish());
  return columns;
}

// ---------------------------------------------------------------------------------------------
// GroupingTable

GroupingTable::GroupingTable(const KeyLayout& layout) : layout_(&layout) {
  Reset(kInitialSlots);
}

void GroupingTable::Reset(size_t capacity) {
  slots_.assign(capacity, Slot{kNoGroup, 0});
  mask_ = capacity - 1;
}

int64_t GroupingTable::MemoryUsage() const {
  return static_cast<int64_t>(slots_.capacity() * sizeof(Slot)) + groups_.MemoryUsage();
}

void GroupingTable::Clear() {
  groups_.hashes.clear();
  groups_.fixed.clear();
  groups_.offsets.assign(1, 0);
  groups_.bytes.clear();
  groups_.null_group = kNoGroup;
  groups_.nulls.clear();
  std::fill(slots_.begin(), slots_.end(), Slot{kNoGroup, 0});
}

GroupKeys GroupingTable::TakeGroups() {
  GroupKeys taken = std::move(groups_);
  groups_ = GroupKeys();
  // Keep the slot array (reused by the next batch) unless it grew huge for one batch.
  std::fill(slots_.begin(), slots_.end(), Slot{kNoGroup, 0});
  return taken;
}

void GroupingTable::GrowIfFull() {
  if (static_cast<uint64_t>(groups_.size()) * 2 <= mask_ + 1) return;
  Rehash((mask_ + 1) * 2);
}

size_t GroupingTable::SlotsFor(uint32_t groups) {
  return std::max(kInitialSlots, std::bit_ceil(size_t{groups} * 2));
}

void GroupingTable::Reserve(uint32_t groups) {
  if (SlotsFor(groups) > mask_ + 1) Rehash(SlotsFor(groups));
  groups_.hashes.reserve(groups);
  if (layout_->mode() == KeyMode::kFixed) groups_.fixed.reserve(groups);
}

void GroupingTable::Rehash(size_t capacity) {
  std::vector<Slot> old = std::move(slots_);
  Reset(capacity);
  // The old slots in order: a slot's home in a table k times bigger is its old home plus a
  // multiple of the old size, so the writes advance through the new slots on k fronts (two when
  // growing) instead of landing anywhere, as a walk over the groups would (a miss per group).
  const bool wide = mask_ > 0xFFFFFFFFu;  // Past 2^32 slots the low 32 bits do not suffice.
  for (const Slot& slot : old) {
    if (slot.group == kNoGroup) continue;
    uint64_t at = (wide ? groups_.hashes[slot.group] : slot.hash_low) & mask_;
    while (slots_[at].group != kNoGroup) at = (at + 1) & mask_;
    slots_[at] = slot;
  }
}

uint32_t GroupingTable::NullGroup() {
  if (groups_.null_group == kNoGroup) {
    groups_.null_group = groups_.size();
    groups_.hashes.push_back(kNullKeyHash);
    if (layout_->mode() == KeyMode::kFixed) {
      groups_.fixed.push_back(0);
    } else {
      groups_.offsets.push_back(groups_.offsets.back());
    }
    GrowIfFull();
  }
  return groups_.null_group;
}

__attribute__((noinline)) uint32_t GroupingTable::AddFixedGroup(uint64_t at, uint64_t key,
                                                                uint64_t hash) {
  uint32_t group = groups_.size();
  slots_[at] = Slot{group, static_cast<uint32_t>(hash)};
  groups_.hashes.push_back(hash);
  groups_.fixed.push_back(key);
  GrowIfFull();
  return group;
}

__attribute__((noinline)) uint32_t GroupingTable::AddBytesGroup(uint64_t at, const uint8_t* key,
                                                                int64_t length, uint64_t hash) {
  uint32_t group = groups_.size();
  slots_[at] = Slot{group, static_cast<uint32_t>(hash)};
  groups_.hashes.push_back(hash);
  groups_.bytes.insert(groups_.bytes.end(), key, key + length);
  groups_.offsets.push_back(static_cast<int64_t>(groups_.bytes.size()));
  GrowIfFull();
  return group;
}

__attribute__((always_inline)) inline uint32_t GroupingTable::FindOrAddFixed(uint64_t key,
                                                                             uint64_t hash) {
  const Slot* slots = slots_.data();
  const uint64_t* keys = groups_.fixed.data();
  const auto low = static_cast<uint32_t>(hash);
  uint64_t at = hash & mask_;
  while (true) {
    const Slot& slot = slots[at];
    if (slot.group == kNoGroup) return AddFixedGroup(at, key, hash);
    if (slot.hash_low == low && keys[slot.group] == key) return slot.group;
    at = (at + 1) & mask_;
  }
}

__attribute__((always_inline)) inline uint32_t GroupingTable::FindOrAddBytes(const uint8_t* key,
                                                                             int64_t length,
                                                                             uint64_t hash) {
  const Slot* slots = slots_.data();
  const int64_t* offsets = groups_.offsets.data();
  const uint8_t* bytes = groups_.bytes.data();
  const auto low = static_cast<uint32_t>(hash);
  uint64_t at = hash & mask_;
  while (true) {
    const Slot& slot = slots[at];
    if (slot.group == kNoGroup) return AddBytesGroup(at, key, length, hash);
    if (slot.hash_low == low) {
      int64_t start = offsets[slot.group];
      if (offsets[slot.group + 1] - start == length && BytesEqual(bytes + start, key, length))
        return slot.group;
    }
    at = (at + 1) & mask_;
  }
}

template <bool kHasNulls>
void GroupingTable::InsertFixedRows(const EncodedKeys& keys, int64_t begin, int64_t end,
                                    uint32_t* group_ids, std::vector<uint32_t>* first_rows) {
  const uint64_t* fixed = keys.fixed.data();
  const uint64_t* hashes = keys.hashes.data();
  constexpr int64_t kPrefetch = 16;
  for (int64_t i = begin; i < end; ++i) {
    if (i + kPrefetch < end) __builtin_prefetch(&slots_[hashes[i + kPrefetch] & mask_]);
    const uint32_t before = groups_.size();
    const uint32_t group = (kHasNulls && !bits::Get(keys.validity, i))
                               ? NullGroup()
                               : FindOrAddFixed(fixed[i], hashes[i]);
    if (group >= before) first_rows->push_back(static_cast<uint32_t>(i));
    group_ids[i] = group;
  }
}

template <bool kHasNulls>
void GroupingTable::InsertBytesRows(const EncodedKeys& keys, int64_t begin, int64_t end,
                                    uint32_t* group_ids, std::vector<uint32_t>* first_rows) {
  const int64_t* offsets = keys.offsets;
  const uint64_t* hashes = keys.hashes.data();
  constexpr int64_t kPrefetch = 16;
  for (int64_t i = begin; i < end; ++i) {
    if (i + kPrefetch < end) __builtin_prefetch(&slots_[hashes[i + kPrefetch] & mask_]);
    const uint32_t before = groups_.size();
    const uint32_t group =
        (kHasNulls && !bits::Get(keys.validity, i))
            ? NullGroup()
            : FindOrAddBytes(keys.data + offsets[i], offsets[i + 1] - offsets[i], hashes[i]);
    if (group >= before) first_rows->push_back(static_cast<uint32_t>(i));
    group_ids[i] = group;
  }
}

void GroupingTable::FindOrInsert(const EncodedKeys& keys, int64_t begin, int64_t end,
                                 uint32_t* group_ids, std::vector<uint32_t>* first_rows) {
  if (begin >= end) return;
  switch (layout_->mode()) {
    case KeyMode::kNone:
      if (groups_.size() == 0) {
        groups_.hashes.push_back(0);
        first_rows->push_back(static_cast<uint32_t>(begin));
      }
      std::fill(group_ids + begin, group_ids + end, 0);
      return;
    case KeyMode::kFixed:
      if (keys.validity != nullptr)
        InsertFixedRows<true>(keys, begin, end, group_ids, first_rows);
      else
        InsertFixedRows<false>(keys, begin, end, group_ids, first_rows);
      return;
    case KeyMode::kString:
    case KeyMode::kSerialized:
      if (keys.validity != nullptr)
        InsertBytesRows<true>(keys, begin, end, group_ids, first_rows);
      else
        InsertBytesRows<false>(keys, begin, end, group_ids, first_rows);
      return;
  }
}

template <bool kListed, bool kFixed, bool kNulls>
void GroupingTable::InsertGroups(const GroupKeys& other, const uint32_t* groups, uint32_t first,
                                 int64_t count, uint32_t* targets) {
  constexpr int64_t kPrefetch = 8;
  for (int64_t i = 0; i < count; ++i) {
    if (i + kPrefetch < count) {
      const uint32_t ahead =
          kListed ? groups[i + kPrefetch] : first + static_cast<uint32_t>(i + kPrefetch);
      __builtin_prefetch(&slots_[other.hashes[ahead] & mask_]);
    }
    const uint32_t g = kListed ? groups[i] : first + static_cast<uint32_t>(i);
    if (kNulls && other.IsNull(g)) {
      targets[i] = NullGroup();
    } else if (kFixed) {
      targets[i] = FindOrAddFixed(other.fixed[g], other.hashes[g]);
    } else {
      targets[i] = FindOrAddBytes(other.bytes.data() + other.offsets[g],
                                  other.offsets[g + 1] - other.offsets[g], other.hashes[g]);
    }
  }
}

void GroupingTable::FindOrInsertGroups(const GroupKeys& other, const uint32_t* groups,
                                       uint32_t first, int64_t count, uint32_t* targets) {
  if (count <= 0) return;
  if (layout_->mode() == KeyMode::kNone) {
    if (groups_.size() == 0) groups_.hashes.push_back(0);
    std::fill(targets, targets + count, 0);
    return;
  }
  // One loop per combination, so that the per-group loop tests nothing it need not.
  const bool fixed = layout_->mode() == KeyMode::kFixed;
  const bool nulls = !other.nulls.empty() || other.null_group != kNoGroup;
  auto run = [&]<bool kListed>() {
    if (fixed && nulls)
      return InsertGroups<kListed, true, true>(other, groups, first, count, targets);
    if (fixed) return InsertGroups<kListed, true, false>(other, groups, first, count, targets);
    if (nulls) return InsertGroups<kListed, false, true>(other, groups, first, count, targets);
    return InsertGroups<kListed, false, false>(other, groups, first, count, targets);
  };
  if (groups != nullptr)
    run.template operator()<true>();
  else
    run.template operator()<false>();
}

GroupKeys GatherRows(KeyMode mode, const EncodedKeys& keys, const uint32_t* rows, int64_t count) {
  GroupKeys out;
  out.hashes.resize(static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i) out.hashes[i] = keys.hashes[rows[i]];
  if (keys.validity != nullptr) {
    out.nulls.resize(static_cast<size_t>(count));
    for (int64_t i = 0; i < count; ++i) out.nulls[i] = !bits::Get(keys.validity, rows[i]);
  }
  switch (mode) {
    case KeyMode::kNone: break;
    case KeyMode::kFixed:
      out.fixed.resize(static_cast<size_t>(count));
      for (int64_t i = 0; i < count; ++i) out.fixed[i] = keys.fixed[rows[i]];
      break;
    case KeyMode::kString:
    case KeyMode::kSerialized: {
      out.offsets.resize(static_cast<size_t>(count) + 1);
      int64_t total = 0;
      for (int64_t i = 0; i < count; ++i) {
        total += keys.offsets[rows[i] + 1] - keys.offsets[rows[i]];
        out.offsets[i + 1] = total;
      }
      out.bytes.resize(static_cast<size_t>(total));
      for (int64_t i = 0; i < count; ++i) {
        int64_t length = out.offsets[i + 1] - out.offsets[i];
        if (length > 0)
          std::memcpy(out.bytes.data() + out.offsets[i], keys.data + keys.offsets[rows[i]],
                      static_cast<size_t>(length));
      }
      break;
    }
  }
  return out;
}

}  // namespace sluice::exec
