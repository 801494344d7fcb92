// DataFrame helpers: row counts, whole columns, printing.
#include "core/data_frame.h"

namespace sluice {

int64_t DataFrame::num_rows() const {
  int64_t rows = 0;
  for (const Batch& batch : batches) rows += batch.num_rows;
  return rows;
}

Column DataFrame::column(std::string_view name) const {
  size_t index = schema->FieldIndex(name);
  Column out = MakeEmptyColumn(schema->field(index).type);
  for (const Batch& batch : batches) out.AppendFrom(batch.columns[index]);
  return out;
}

Batch DataFrame::Combined() const {
  Batch out;
  out.schema = schema;
  for (size_t i = 0; i < schema->size(); ++i)
    out.columns.push_back(MakeEmptyColumn(schema->field(i).type));
  for (const Batch& batch : batches) {
    for (size_t i = 0; i < schema->size(); ++i) out.columns[i].AppendFrom(batch.columns[i]);
    out.num_rows += batch.num_rows;
  }
  return out;
}

std::string DataFrame::ToString(const TableOptions& options) const {
  return RenderTable(*schema, batches, num_rows(), options);
}

}  // namespace sluice
