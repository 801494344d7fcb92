// Value-at-a-time column construction.
#include "core/column_builder.h"

#include <cstring>

namespace sluice {

ColumnBuilder::ColumnBuilder(DataType type, MemoryPool* pool)
    : column_(MakeEmptyColumn(type, pool)), pool_(pool) {}

void ColumnBuilder::AppendValidity(bool valid) {
  int64_t i = column_.length;
  if (!valid && column_.validity == nullptr) {
    column_.validity = Buffer::Make(bits::BytesFor(i + 1), pool_);
    std::memset(column_.validity->data(), 0xff, static_cast<size_t>(column_.validity->size()));
  }
  if (column_.validity != nullptr) {
    if (column_.validity->size() < bits::BytesFor(i + 1)) {
      column_.validity->Resize(bits::BytesFor(i + 1));
      column_.validity->data()[column_.validity->size() - 1] = 0xff;
    }
    bits::SetTo(column_.validity->data(), i, valid);
  }
  if (!valid) ++column_.null_count;
}

void ColumnBuilder::AppendNull() {
  AppendValidity(false);
  const DataType& type = column_.type;
  if (type.id == TypeId::kBool) {
    AppendBoolBit(false);
  } else if (type.IsVariableWidth()) {
    int64_t end = column_.Offsets()[column_.length];
    column_.values->Append(&end, sizeof(end));
  } else {
    int width = type.FixedWidth();
    int64_t at = column_.values->size();
    column_.values->Resize(at + width);
    std::memset(column_.values->data() + at, 0, static_cast<size_t>(width));
  }
  ++column_.length;
}

void ColumnBuilder::AppendBoolBit(bool value) {
  int64_t i = column_.length;
  if (column_.values->size() < bits::BytesFor(i + 1)) {
    column_.values->Resize(bits::BytesFor(i + 1));
    column_.values->data()[column_.values->size() - 1] = 0;
  }
  bits::SetTo(column_.values->data(), i, value);
}

void ColumnBuilder::AppendBool(bool value) {
  SLUICE_CHECK(column_.type.id == TypeId::kBool);
  AppendValidity(true);
  AppendBoolBit(value);
  ++column_.length;
}

void ColumnBuilder::AppendFixed(const void* value, int width) {
  SLUICE_CHECK(width == column_.type.FixedWidth());
  AppendValidity(true);
  column_.values->Append(value, width);
  ++column_.length;
}

void ColumnBuilder::AppendString(std::string_view value) {
  SLUICE_CHECK(column_.type.IsVariableWidth());
  AppendValidity(true);
  column_.data->Append(value.data(), static_cast<int64_t>(value.size()));
  int64_t end = column_.data->size();
  column_.values->Append(&end, sizeof(end));
  ++column_.length;
}

Column ColumnBuilder::Finish() {
  Column out = std::move(column_);
  if (out.null_count == 0) out.validity.reset();
  column_ = MakeEmptyColumn(out.type, pool_);
  return out;
}

}  // namespace sluice
