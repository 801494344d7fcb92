// Gathering rows by index. Every loop is instantiated for the two shapes that matter — one
// source with optional kNullRow entries (join output), or several sources addressed by
// (source, row) pairs (merge output) — so that the inner loops carry no per-row dispatch.
#include "exec/row_gather.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "core/error.h"

namespace sluice::exec {
namespace {

constexpr int64_t kPrefetchDistance = 16;

struct Bytes16 {
  uint64_t lo = 0;
  uint64_t hi = 0;
};

/// Where the rows come from: one column (ids == nullptr) or several.
struct GatherInput {
  std::span<const Column* const> sources;
  const uint32_t* ids = nullptr;
  const uint32_t* rows = nullptr;
  int64_t length = 0;
};

template <bool kMany, bool kNullRows>
struct Shape {
  static uint32_t Source(const GatherInput& in, int64_t i) {
    if constexpr (kMany) {
      return in.ids[i];
    } else {
      (void)in;
      (void)i;
      return 0;
    }
  }
  static bool IsNullRow(const GatherInput& in, int64_t i) {
    if constexpr (kNullRows) {
      return in.rows[i] == kNullRow;
    } else {
      (void)in;
      (void)i;
      return false;
    }
  }
};

template <typename S>
void GatherValidity(const GatherInput& in, Column* out, MemoryPool* pool) {
  const int64_t n = in.length;
  auto validity = Buffer::MakeZeroed(bits::BytesFor(n), pool);
  uint8_t* dst = validity->data();
  std::vector<const uint8_t*> bitmaps(in.sources.size());
  for (size_t s = 0; s < in.sources.size(); ++s) {
    bitmaps[s] = in.sources[s]->validity ? in.sources[s]->validity->data() : nullptr;
  }
  int64_t valid = 0;
  for (int64_t i = 0; i < n; ++i) {
    if (S::IsNullRow(in, i)) continue;
    const uint8_t* bitmap = bitmaps[S::Source(in, i)];
    if (bitmap == nullptr || bits::Get(bitmap, in.rows[i])) {
      bits::Set(dst, i);
      ++valid;
    }
  }
  out->null_count = n - valid;
  if (out->null_count > 0) out->validity = std::move(validity);
}

template <typename S, typename T>
void GatherFixed(const GatherInput& in, Column* out, MemoryPool* pool) {
  const int64_t n = in.length;
  out->values = Buffer::Make(n * int64_t{sizeof(T)}, pool);
  T* dst = out->values->as<T>();
  std::vector<const T*> bases(in.sources.size());
  for (size_t s = 0; s < in.sources.size(); ++s) {
    bases[s] = in.sources[s]->length > 0 ? in.sources[s]->values->as<T>() : nullptr;
  }
  if constexpr (std::is_same_v<S, Shape<false, false>>) {
    const T* base = bases[0];
    const uint32_t* rows = in.rows;
    // Rows are often random (join build rows): keep loads in flight ahead of the copy.
    const int64_t ahead = n - kPrefetchDistance;
    for (int64_t i = 0; i < ahead; ++i) {
      __builtin_prefetch(base + rows[i + kPrefetchDistance]);
      dst[i] = base[rows[i]];
    }
    for (int64_t i = std::max<int64_t>(0, ahead); i < n; ++i) dst[i] = base[rows[i]];
  } else {
    for (int64_t i = 0; i < n; ++i) {
      dst[i] = S::IsNullRow(in, i) ? T{} : bases[S::Source(in, i)][in.rows[i]];
    }
  }
}

template <typename S>
void GatherFixedBytes(const GatherInput& in, int width, Column* out, MemoryPool* pool) {
  const int64_t n = in.length;
  out->values = Buffer::MakeZeroed(n * width, pool);
  uint8_t* dst = out->values->data();
  for (int64_t i = 0; i < n; ++i) {
    if (S::IsNullRow(in, i)) continue;
    const Column* source = in.sources[S::Source(in, i)];
    std::memcpy(dst + i * width, source->values->data() + int64_t{in.rows[i]} * width,
                static_cast<size_t>(width));
  }
}

template <typename S>
void GatherBools(const GatherInput& in, Column* out, MemoryPool* pool) {
  const int64_t n = in.length;
  out->values = Buffer::MakeZeroed(bits::BytesFor(n), pool);
  uint8_t* dst = out->values->data();
  for (int64_t i = 0; i < n; ++i) {
    if (S::IsNullRow(in, i)) continue;
    const Column* source = in.sources[S::Source(in, i)];
    if (bits::Get(source->values->data(), in.rows[i])) bits::Set(dst, i);
  }
}

/// Copies a short string with two fixed-size moves when both buffers have the slack for it,
/// which is much cheaper than a memcpy call for the few-byte strings that dominate.
inline void CopyString(uint8_t* dst, const uint8_t* src, int64_t length, bool slack) {
  if (slack && length <= 16) {
    uint64_t a;
    uint64_t b;
    std::memcpy(&a, src, 8);
    std::memcpy(&b, src + 8, 8);
    std::memcpy(dst, &a, 8);
    std::memcpy(dst + 8, &b, 8);
    return;
  }
  std::memcpy(dst, src, static_cast<size_t>(length));
}

template <typename S>
void GatherStrings(const GatherInput& in, Column* out, MemoryPool* pool) {
  const int64_t n = in.length;
  out->values = Buffer::Make((n + 1) * int64_t{sizeof(int64_t)}, pool);
  int64_t* offsets = out->values->as<int64_t>();
  std::vector<const int64_t*> source_offsets(in.sources.size());
  std::vector<const uint8_t*> source_data(in.sources.size());
  std::vector<int64_t> source_limit(in.sources.size());
  for (size_t s = 0; s < in.sources.size(); ++s) {
    source_offsets[s] = in.sources[s]->Offsets();
    const Buffer* data = in.sources[s]->data.get();
    source_data[s] = data ? data->data() : nullptr;
    source_limit[s] = data ? data->capacity() - 16 : -1;  // Last start with 16 readable bytes.
  }
  // Pass 1: output offsets, and where each value starts (so pass 2 reads no source offsets).
  std::vector<int64_t> starts(static_cast<size_t>(n));
  int64_t total = 0;
  offsets[0] = 0;
  for (int64_t i = 0; i < n; ++i) {
    if (i + kPrefetchDistance < n && !S::IsNullRow(in, i + kPrefetchDistance)) {
      const int64_t j = i + kPrefetchDistance;
      __builtin_prefetch(source_offsets[S::Source(in, j)] + in.rows[j]);
    }
    if (!S::IsNullRow(in, i)) {
      const int64_t* o = source_offsets[S::Source(in, i)];
      const uint32_t row = in.rows[i];
      starts[i] = o[row];
      total += o[row + 1] - o[row];
    }
    offsets[i + 1] = total;
  }
  out->data = Buffer::Make(total + 16, pool);
  out->data->Resize(total);
  uint8_t* dst = out->data->data();
  for (int64_t i = 0; i < n; ++i) {
    if (i + kPrefetchDistance < n) {
      const int64_t j = i + kPrefetchDistance;
      __builtin_prefetch(source_data[S::Source(in, j)] + starts[j]);
    }
    const int64_t length = offsets[i + 1] - offsets[i];
    if (length == 0) continue;
    const uint32_t source = S::Source(in, i);
    CopyString(dst + offsets[i], source_data[source] + starts[i], length,
               starts[i] <= source_limit[source]);
  }
}

template <typename S>
Column GatherShaped(const DataType& type, const GatherInput& in, bool may_have_nulls,
                    MemoryPool* pool) {
  Column out;
  out.type = type;
  out.length = in.length;
  if (may_have_nulls) GatherValidity<S>(in, &out, pool);
  switch (type.id) {
    case TypeId::kBool: GatherBools<S>(in, &out, pool); break;
    case TypeId::kUtf8:
    case TypeId::kBinary: GatherStrings<S>(in, &out, pool); break;
    default:
      switch (type.FixedWidth()) {
        case 1: GatherFixed<S, uint8_t>(in, &out, pool); break;
        case 2: GatherFixed<S, uint16_t>(in, &out, pool); break;
        case 4: GatherFixed<S, uint32_t>(in, &out, pool); break;
        case 8: GatherFixed<S, uint64_t>(in, &out, pool); break;
        case 16: GatherFixed<S, Bytes16>(in, &out, pool); break;
        default: GatherFixedBytes<S>(in, type.FixedWidth(), &out, pool); break;
      }
  }
  return out;
}

}  // namespace

Column GatherRows(const Column& column, std::span<const uint32_t> rows, MemoryPool* pool) {
  const Column* source = &column;
  GatherInput in{std::span<const Column* const>(&source, 1), nullptr, rows.data(),
                 static_cast<int64_t>(rows.size())};
  bool null_rows = false;
  for (uint32_t row : rows) null_rows |= row == kNullRow;
  if (null_rows) return GatherShaped<Shape<false, true>>(column.type, in, true, pool);
  return GatherShaped<Shape<false, false>>(column.type, in, column.null_count > 0, pool);
}

Column GatherFromMany(std::span<const Column* const> sources, std::span<const uint32_t> source_ids,
                      std::span<const uint32_t> rows, MemoryPool* pool) {
  SLUICE_CHECK(!sources.empty() && source_ids.size() == rows.size());
  bool nulls = false;
  for (const Column* source : sources) nulls |= source->null_count > 0;
  GatherInput in{sources, source_ids.data(), rows.data(), static_cast<int64_t>(rows.size())};
  return GatherShaped<Shape<true, false>>(sources[0]->type, in, nulls, pool);
}

Column MakeNullColumn(const DataType& type, int64_t length, MemoryPool* pool) {
  Column out;
  out.type = type;
  out.length = length;
  out.null_count = length;
  if (length > 0) out.validity = Buffer::MakeZeroed(bits::BytesFor(length), pool);
  if (type.id == TypeId::kBool) {
    out.values = Buffer::MakeZeroed(bits::BytesFor(length), pool);
  } else if (type.IsVariableWidth()) {
    out.values = Buffer::MakeZeroed((length + 1) * int64_t{sizeof(int64_t)}, pool);
    out.data = std::make_shared<Buffer>(pool);
  } else {
    out.values = Buffer::MakeZeroed(length * type.FixedWidth(), pool);
  }
  return out;
}

namespace {

Column ConcatenateColumn(std::span<const Batch> batches, size_t c, int64_t total,
                         MemoryPool* pool) {
  const DataType& type = batches[0].columns[c].type;
  Column out;
  out.type = type;
  out.length = total;
  int64_t nulls = 0;
  for (const Batch& batch : batches) nulls += batch.columns[c].null_count;
  if (nulls > 0) {
    out.validity = Buffer::Make(bits::BytesFor(total), pool);
    std::memset(out.validity->data(), 0xff, static_cast<size_t>(out.validity->size()));
    int64_t at = 0;
    for (const Batch& batch : batches) {
      const Column& column = batch.columns[c];
      if (column.validity)
        bits::Copy(column.validity->data(), 0, out.validity->data(), at, column.length);
      at += column.length;
    }
  }
  out.null_count = nulls;
  if (type.id == TypeId::kBool) {
    out.values = Buffer::MakeZeroed(bits::BytesFor(total), pool);
    int64_t at = 0;
    for (const Batch& batch : batches) {
      const Column& column = batch.columns[c];
      if (column.length > 0) {
        bits::Copy(column.values->data(), 0, out.values->data(), at, column.length);
      }
      at += column.length;
    }
  } else if (type.IsVariableWidth()) {
    out.values = Buffer::Make((total + 1) * int64_t{sizeof(int64_t)}, pool);
    int64_t* offsets = out.values->as<int64_t>();
    int64_t bytes = 0;
    for (const Batch& batch : batches) {
      const Column& column = batch.columns[c];
      if (column.length > 0) bytes += column.Offsets()[column.length] - column.Offsets()[0];
    }
    out.data = Buffer::Make(bytes, pool);
    int64_t at = 0;
    int64_t base = 0;
    offsets[0] = 0;
    for (const Batch& batch : batches) {
      const Column& column = batch.columns[c];
      if (column.length == 0) continue;
      const int64_t* src = column.Offsets();
      for (int64_t i = 1; i <= column.length; ++i) offsets[at + i] = base + src[i] - src[0];
      const int64_t size = src[column.length] - src[0];
      if (size > 0)
        std::memcpy(out.data->data() + base, column.data->data() + src[0],
                    static_cast<size_t>(size));
      base += size;
      at += column.length;
    }
  } else {
    const int width = type.FixedWidth();
    out.values = Buffer::Make(total * width, pool);
    int64_t at = 0;
    for (const Batch& batch : batches) {
      const Column& column = batch.columns[c];
      if (column.length > 0) {
        std::memcpy(out.values->data() + at * width, column.values->data(),
                    static_cast<size_t>(column.length * width));
      }
      at += column.length;
    }
  }
  return out;
}

}  // namespace

Batch ConcatenateBatches(const SchemaPtr& schema, std::span<const Batch> batches, MemoryPool* pool,
                         ThreadPool* threads) {
  Batch out;
  out.schema = schema;
  for (const Batch& batch : batches) out.num_rows += batch.num_rows;
  out.columns.resize(schema->size());
  if (batches.empty()) {
    for (size_t c = 0; c < schema->size(); ++c) {
      out.columns[c] = MakeEmptyColumn(schema->field(c).type, pool);
    }
    return out;
  }
  auto one = [&](int64_t c) {
    out.columns[c] = ConcatenateColumn(batches, static_cast<size_t>(c), out.num_rows, pool);
  };
  if (threads != nullptr && schema->size() > 1 && out.num_rows > 64 * 1024) {
    threads->ParallelFor(static_cast<int64_t>(schema->size()), one);
  } else {
    for (size_t c = 0; c < schema->size(); ++c) one(static_cast<int64_t>(c));
  }
  return out;
}

}  // namespace sluice::exec
