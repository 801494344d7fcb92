// A batch (morsel): a schema plus equal-length columns, with the sequence number its source gave
// it so that order can be restored downstream whatever thread produced it.
#pragma once

#include <cstdint>
#include <vector>

#include "core/column.h"
#include "core/schema.h"

namespace sluice {

struct Batch {
  SchemaPtr schema;
  std::vector<Column> columns;
  int64_t num_rows = 0;
  uint64_t seq = 0;

  /// Copies rows [offset, offset + count) into a new batch with the same schema and seq.
  Batch Slice(int64_t offset, int64_t count) const;
  /// True when schemas and every column's values are equal (seq is not compared).
  bool Equals(const Batch& other) const;
};

/// The bytes `batch`'s buffers take (their capacity): what it holds of the memory budget.
int64_t BatchBytes(const Batch& batch);

}  // namespace sluice
