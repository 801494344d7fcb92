// Output columns of the TPC-H generator, filled through raw pointers (no per-value builder
// calls): fixed-width values written in place, strings appended to one growing byte buffer.
#pragma once

#include <cstring>
#include <string_view>

#include "core/column.h"
#include "core/decimal.h"
#include "core/types.h"

namespace sluice::cli::tpch {

/// A column of `length` fixed-width values of C++ type T, written through data().
template <typename T>
class FixedOut {
 public:
  FixedOut(DataType type, int64_t length) {
    column_.type = std::move(type);
    column_.length = length;
    column_.values = Buffer::Make(length * static_cast<int64_t>(sizeof(T)));
  }
  T* data() { return column_.values->as<T>(); }
  Column Finish() { return std::move(column_); }

 private:
  Column column_;
};

/// A utf8 column built by appending values in order.
class StringOut {
 public:
  StringOut(int64_t length, int64_t bytes_hint) {
    column_.type = Utf8();
    column_.length = length;
    column_.values = Buffer::Make((length + 1) * static_cast<int64_t>(sizeof(int64_t)));
    column_.data = Buffer::Make(0);
    column_.data->Reserve(bytes_hint);
    offsets_ = column_.values->as<int64_t>();
    offsets_[0] = 0;
  }
  void Append(std::string_view value) {
    column_.data->Append(value.data(), static_cast<int64_t>(value.size()));
    offsets_[++row_] = column_.data->size();
  }
  /// Room for `size` more bytes of the current value, to write in place; End() closes it.
  char* Extend(int64_t size) {
    int64_t at = column_.data->size();
    column_.data->Resize(at + size);
    return reinterpret_cast<char*>(column_.data->data()) + at;
  }
  void End() { offsets_[++row_] = column_.data->size(); }
  Column Finish() { return std::move(column_); }

 private:
  Column column_;
  int64_t* offsets_;
  int64_t row_ = 0;
};

/// decimal(15,2) money from an amount in cents.
inline DataType Money() {
  return Decimal(15, 2);
}

/// Writes `value` as exactly `width` decimal digits (zero-padded) at `out`.
inline void WriteDigits(char* out, int64_t value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

/// Appends `prefix` followed by `key` as 9 zero-padded digits ("Customer#000000001").
inline void AppendKeyName(StringOut& out, std::string_view prefix, int64_t key) {
  char* at = out.Extend(static_cast<int64_t>(prefix.size()) + 9);
  std::memcpy(at, prefix.data(), prefix.size());
  WriteDigits(at + prefix.size(), key, 9);
  out.End();
}

}  // namespace sluice::cli::tpch
