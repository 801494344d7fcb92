// A column in the Apache Arrow memory layout: an optional validity bitmap, a values buffer
// (fixed-width values, or bits for bool), and for utf8/binary int64 offsets plus the bytes.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include "core/bitmap.h"
#include "core/buffer.h"
#include "core/types.h"

namespace sluice {

struct Column {
  DataType type;
  int64_t length = 0;
  int64_t null_count = 0;
  std::shared_ptr<Buffer> validity;  ///< Bit i set = row i is valid; absent when null_count == 0.
  std::shared_ptr<Buffer> values;    ///< Fixed-width values or bool bits; offsets for utf8/binary.
  std::shared_ptr<Buffer> data;      ///< The bytes of utf8/binary values.

  bool IsValid(int64_t i) const { return validity == nullptr || bits::Get(validity->data(), i); }
  bool IsNull(int64_t i) const { return !IsValid(i); }

  template <typename T>
  const T* Values() const {
    return values->as<T>();
  }
  const int64_t* Offsets() const { return values->as<int64_t>(); }
  std::string_view StringAt(int64_t i) const {
    const int64_t* offsets = Offsets();
    return {reinterpret_cast<const char*>(data->data()) + offsets[i],
            static_cast<size_t>(offsets[i + 1] - offsets[i])};
  }
  /// The bytes of value i of a fixed-width column (uuid, fixed_size_binary, decimal).
  std::string_view FixedBytesAt(int64_t i) const {
    int width = type.FixedWidth();
    return {reinterpret_cast<const char*>(values->data()) + i * width, static_cast<size_t>(width)};
  }
  bool BoolAt(int64_t i) const { return bits::Get(values->data(), i); }

  /// Copies rows [offset, offset + count) into a new column.
  Column Slice(int64_t offset, int64_t count, MemoryPool* pool = MemoryPool::Default()) const;
  /// Appends every row of `other` (of the same type).
  void AppendFrom(const Column& other, MemoryPool* pool = MemoryPool::Default());
  /// True when both columns hold the same type, validity and values (not byte-identical buffers).
  bool Equals(const Column& other) const;
};

/// Makes an empty column of `type` with buffers ready to append to.
Column MakeEmptyColumn(const DataType& type, MemoryPool* pool = MemoryPool::Default());

}  // namespace sluice
