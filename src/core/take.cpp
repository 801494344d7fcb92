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

/// Calls copy(from, to, length) for each run of consecutive indices: from the run's first index,
/// to its first output row.
template <typename Copy>
void ForEachRun(const int64_t* indices, int64_t count, Copy&& copy) {
  int64_t start = 0;
  for (int64_t i = 1; i <= count; ++i) {
    if (i == count || indices[i] != indices[i - 1] + 1) {
      copy(indices[start], start, i - start);
      start = i;
    }
  }
}

/// A filter's rows (no -1, mostly long runs: a filter that keeps most rows): each run of a
/// fixed-width column copied at once.
Column TakeRuns(const Column& column, const int64_t* indices, int64_t count, MemoryPool* pool) {
  Column out;
  out.type = column.type;
  out.length = count;
  const int width = column.type.FixedWidth();
  out.values = Buffer::Make(count * width, pool);
  const uint8_t* in = column.values->data();
  uint8_t* values = out.values->data();
  ForEachRun(indices, count, [&](int64_t from, int64_t to, int64_t length) {
    std::memcpy(values + to * width, in + from * width, static_cast<size_t>(length * width));
  });
  if (column.validity != nullptr) {
    out.validity = Buffer::MakeZeroed(bits::BytesFor(count), pool);
    const uint8_t* validity = column.validity->data();
    ForEachRun(indices, count, [&](int64_t from, int64_t to, int64_t length) {
      bits::Copy(validity, from, out.validity->data(), to, length);
    });
    out.null_count = count - bits::CountSet(out.validity->data(), count);
    if (out.null_count == 0) out.validity.reset();
  }
  return out;
}

}  // namespace

Column Take(const Column& column, const int64_t* indices, int64_t count, MemoryPool* pool) {
  // Validity: needed when the input has nulls or an index asks for a null row.
  bool any_missing = false;
  int64_t runs = count > 0 ? 1 : 0;
  for (int64_t i = 0; i < count; ++i) {
    any_missing |= indices[i] < 0;
    runs += i > 0 && indices[i] != indices[i - 1] + 1;
  }
  constexpr int64_t kLongRun = 16;
  if (!any_missing && runs * kLongRun <= count && column.type.id != TypeId::kBool &&
      !column.type.IsVariableWidth()) {
    return TakeRuns(column, indices, count, pool);
  }
  Column out;
  out.type = column.type;
  out.length = count;
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
  // Without branches: every row index is written, and the count moves on for kept rows.
  std::vector<int64_t> rows(static_cast<size_t>(mask.length));
  const uint8_t* values = mask.values->data();
  const uint8_t* validity = mask.validity ? mask.validity->data() : nullptr;
  int64_t kept = 0;
  for (int64_t i = 0; i < mask.length; ++i) {
    rows[kept] = i;
    kept += bits::Get(values, i) & (validity == nullptr || bits::Get(validity, i));
  }
  rows.resize(static_cast<size_t>(kept));
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
