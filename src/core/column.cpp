// Copying, concatenating and comparing Arrow-layout columns.
#include "core/column.h"

#include <cstring>

#include "core/error.h"

namespace sluice {

Column MakeEmptyColumn(const DataType& type, MemoryPool* pool) {
  Column column;
  column.type = type;
  column.values = std::make_shared<Buffer>(pool);
  if (type.IsVariableWidth()) {
    column.values->Resize(sizeof(int64_t));
    column.values->as<int64_t>()[0] = 0;
    column.data = std::make_shared<Buffer>(pool);
  }
  return column;
}

Column Column::Slice(int64_t offset, int64_t count, MemoryPool* pool) const {
  SLUICE_CHECK(offset >= 0 && count >= 0 && offset + count <= length);
  Column out = MakeEmptyColumn(type, pool);
  out.length = count;
  if (validity != nullptr) {
    out.validity = Buffer::MakeZeroed(bits::BytesFor(count), pool);
    bits::Copy(validity->data(), offset, out.validity->data(), 0, count);
    out.null_count = count - bits::CountSet(out.validity->data(), count);
    if (out.null_count == 0) out.validity.reset();
  }
  if (type.id == TypeId::kBool) {
    out.values->Resize(bits::BytesFor(count));
    if (count > 0) std::memset(out.values->data(), 0, static_cast<size_t>(out.values->size()));
    bits::Copy(values->data(), offset, out.values->data(), 0, count);
  } else if (type.IsVariableWidth()) {
    const int64_t* src = Offsets();
    out.values->Resize((count + 1) * int64_t{sizeof(int64_t)});
    int64_t* dst = out.values->as<int64_t>();
    int64_t base = src[offset];
    for (int64_t i = 0; i <= count; ++i) dst[i] = src[offset + i] - base;
    out.data->Append(data->data() + base, src[offset + count] - base);
  } else {
    int width = type.FixedWidth();
    out.values->Append(values->data() + offset * width, count * width);
  }
  return out;
}

void Column::AppendFrom(const Column& other, MemoryPool* pool) {
  SLUICE_CHECK(other.type.id == type.id);
  if (values == nullptr) *this = MakeEmptyColumn(type, pool);
  int64_t old_length = length;
  int64_t new_length = length + other.length;
  if (validity != nullptr || other.validity != nullptr) {
    if (validity == nullptr) {
      validity = Buffer::Make(bits::BytesFor(new_length), pool);
      std::memset(validity->data(), 0xff, static_cast<size_t>(validity->size()));
    } else {
      int64_t old_bytes = validity->size();
      validity->Resize(bits::BytesFor(new_length));
      std::memset(validity->data() + old_bytes, 0xff,
                  static_cast<size_t>(validity->size() - old_bytes));
    }
    if (other.validity != nullptr) {
      bits::Copy(other.validity->data(), 0, validity->data(), old_length, other.length);
    }
  }
  if (type.id == TypeId::kBool) {
    int64_t old_bytes = values->size();
    values->Resize(bits::BytesFor(new_length));
    std::memset(values->data() + old_bytes, 0, static_cast<size_t>(values->size() - old_bytes));
    bits::Copy(other.values->data(), 0, values->data(), old_length, other.length);
  } else if (type.IsVariableWidth()) {
    int64_t base = Offsets()[old_length];
    values->Resize((new_length + 1) * int64_t{sizeof(int64_t)});
    int64_t* dst = values->as<int64_t>();
    const int64_t* src = other.Offsets();
    for (int64_t i = 1; i <= other.length; ++i) dst[old_length + i] = base + src[i];
    data->Append(other.data->data(), src[other.length]);
  } else {
    values->Append(other.values->data(), other.length * type.FixedWidth());
  }
  length = new_length;
  null_count += other.null_count;
}

bool Column::Equals(const Column& other) const {
  if (!(type == other.type) || length != other.length || null_count != other.null_count)
    return false;
  int width = type.FixedWidth();
  for (int64_t i = 0; i < length; ++i) {
    if (IsValid(i) != other.IsValid(i)) return false;
    if (!IsValid(i)) continue;
    if (type.id == TypeId::kBool) {
      if (BoolAt(i) != other.BoolAt(i)) return false;
    } else if (type.IsVariableWidth()) {
      if (StringAt(i) != other.StringAt(i)) return false;
    } else if (std::memcmp(values->data() + i * width, other.values->data() + i * width,
                           static_cast<size_t>(width)) != 0) {
      return false;
    }
  }
  return true;
}

}  // namespace sluice
