// Per-type gathers over Arrow buffers.
#include "core/take.h"

#include <cstring>

#include "core/bitmap.h"

namespace sluice {

namespace {

template <typename T>
void TakeFixed(const uint8_t* src, const int64_t* indices, int64_t count, uint8_t* dst) {
  const T* in = reinterpret_cast<const T*>(src);
  T* out = reinterpret_cast<T*>(dst);
  for (int64_t i = 0; i < count; ++i) {
    int64_t index = indices[i];
    out[i] = index < 0 ? T{} : in[index];
  }
}

void TakeWidth(const uint8_t* src, int width, const int64_t* indices, int64_t count, uint8_t* dst) {
  switch (width) {
    case 1: return TakeFixed<uint8_t>(src, indices, count, dst);
    case 2: return TakeFixed<uint16_t>(src, indices, count, dst);
    case 4: return TakeFixed<uint32_t>(src, indices, count, dst);
    case 8: return TakeFixed<uint64_t>(src, indices, count, dst);
    case 16: return TakeFixed<__int128>(src, indices, count, dst);
    default:
      for (int64_t i = 0; i < count; ++i) {
        if (indices[i] < 0)
          std::memset(dst + i * width, 0, static_cast<size_t>(width));
        else
          std::memcpy(dst + i * width, src + indices[i] * width, static_cast<size_t>(width));
      }
  }
}

}  // namespace

Column Take(const Column& column, const int64_t* indices, int64_t count, MemoryPool* pool) {
  Column out;
  out.type = column.type;
  out.length = count;
  // Validity: needed when the input has nulls or an index asks for a null row.
  bool any_missing = false;
  for (int64_t i = 0; i < count && !any_missing; ++i) any_missing = indices[i] < 0;
  if (column.validity != nullptr || any_missing) {
    out.validity = Buffer::MakeZeroed(bits::BytesFor(count), pool);
    uint8_t* validity = out.validity->data();
    int64_t nulls = 0;
    for (int64_t i = 0; i < count; ++i) {
      bool valid = indices[i] >= 0 && column.IsValid(indices[i]);
      if (valid)
        bits::Set(validity, i);
      else
        ++nulls;
    }
    out.null_count = nulls;
    if (nulls == 0) out.validity.reset();
  }
  if (column.type.id == TypeId::kBool) {
    out.values = Buffer::MakeZeroed(bits::BytesFor(count), pool);
    const uint8_t* in = column.values->data();
    uint8_t* bits_out = out.values->data();
    for (int64_t i = 0; i < count; ++i)
      if (indices[i] >= 0 && bits::Get(in, indices[i])) bits::Set(bits_out, i);
  } else if (column.type.IsVariableWidth()) {
    const int64_t* offsets = column.Offsets();
    out.values = Buffer::Make((count + 1) * int64_t{sizeof(int64_t)}, pool);
    int64_t* out_offsets = out.values->as<int64_t>();
    int64_t total = 0;
    out_offsets[0] = 0;
    for (int64_t i = 0; i < count; ++i) {
      int64_t index = indices[i];
      if (index >= 0) total += offsets[index + 1] - offsets[index];
      out_offsets[i + 1] = total;
    }
    out.data = Buffer::Make(total, pool);
    uint8_t* bytes = out.data->data();
    const uint8_t* in = column.data->data();
    for (int64_t i = 0; i < count; ++i) {
      int64_t index = indices[i];
      if (index < 0) continue;
      int64_t length = offsets[index + 1] - offsets[index];
      if (length > 0)
        std::memcpy(bytes + out_offsets[i], in + offsets[index], static_cast<size_t>(length));
    }
  } else {
    int width = column.type.FixedWidth();
    out.values = Buffer::Make(count * width, pool);
    TakeWidth(column.values->data(), width, indices, count, out.values->data());
  }
  return out;
}

std::vector<int64_t> SelectedRows(const Column& mask) {
  std::vector<int64_t> rows;
  rows.reserve(static_cast<size_t>(mask.length));
  const uint8_t* values = mask.values->data();
  const uint8_t* validity = mask.validity ? mask.validity->data() : nullptr;
  for (int64_t i = 0; i < mask.length; ++i) {
    bool keep = bits::Get(values, i) && (validity == nullptr || bits::Get(validity, i));
    if (keep) rows.push_back(i);
  }
  return rows;
}

Batch TakeBatch(const Batch& batch, const int64_t* indices, int64_t count, MemoryPool* pool) {
  Batch out;
  out.schema = batch.schema;
  out.seq = batch.seq;
  out.num_rows = count;
  out.columns.reserve(batch.columns.size());
  for (const Column& column : batch.columns)
    out.columns.push_back(Take(column, indices, count, pool));
  return out;
}

}  // namespace sluice
