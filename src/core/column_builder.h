// Builds a Column one value at a time: for tests, small results and readers of row-wise formats.
// Hot decoding paths write the buffers directly instead.
#pragma once

#include <string_view>

#include "core/column.h"
#include "core/error.h"

namespace sluice {

class ColumnBuilder {
 public:
  explicit ColumnBuilder(DataType type, MemoryPool* pool = MemoryPool::Default());

  const DataType& type() const { return column_.type; }
  int64_t length() const { return column_.length; }

  void AppendNull();
  void AppendBool(bool value);
  /// Appends a fixed-width value by its bytes (width must match the type).
  void AppendFixed(const void* value, int width);
  template <typename T>
  void Append(T value) {
    AppendFixed(&value, sizeof(T));
  }
  void AppendString(std::string_view value);

  /// Returns the built column and resets the builder.
  Column Finish();

 private:
  void AppendValidity(bool valid);
  void AppendBoolBit(bool value);

  Column column_;
  MemoryPool* pool_;
};

}  // namespace sluice
