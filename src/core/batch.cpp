// Batch slicing and comparison.
#include "core/batch.h"

namespace sluice {

Batch Batch::Slice(int64_t offset, int64_t count) const {
  Batch out;
  out.schema = schema;
  out.num_rows = count;
  out.seq = seq;
  out.columns.reserve(columns.size());
  for (const auto& column : columns) out.columns.push_back(column.Slice(offset, count));
  return out;
}

bool Batch::Equals(const Batch& other) const {
  if (num_rows != other.num_rows || columns.size() != other.columns.size()) return false;
  if (schema && other.schema && !(*schema == *other.schema)) return false;
  for (size_t i = 0; i < columns.size(); ++i) {
    if (!columns[i].Equals(other.columns[i])) return false;
  }
  return true;
}

int64_t BatchBytes(const Batch& batch) {
  int64_t bytes = 0;
  for (const Column& column : batch.columns) {
    for (const auto* buffer : {&column.validity, &column.values, &column.data}) {
      if (*buffer != nullptr) bytes += (*buffer)->capacity();
    }
  }
  return bytes;
}

}  // namespace sluice
