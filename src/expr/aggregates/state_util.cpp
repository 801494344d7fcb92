// Result columns built from per-group arrays, shared by the aggregate states.
#include "expr/aggregates/state_util.h"

namespace sluice::aggregates {

std::shared_ptr<Buffer> MakeValidity(const uint8_t* valid, int64_t groups, MemoryPool* pool,
                                     int64_t* null_count) {
  int64_t nulls = 0;
  for (int64_t g = 0; g < groups; ++g) nulls += valid[g] == 0;
  *null_count = nulls;
  if (nulls == 0) return nullptr;
  auto bitmap = Buffer::MakeZeroed(bits::BytesFor(groups), pool);
  bitmap->Resize(bits::BytesFor(groups));
  uint8_t* out = bitmap->data();
  for (int64_t g = 0; g < groups; ++g) {
    if (valid[g] != 0) bits::Set(out, g);
  }
  return bitmap;
}

Column MakeBoolColumn(const uint8_t* values, const uint8_t* valid, int64_t groups,
                      MemoryPool* pool) {
  Column column;
  column.type = Bool();
  column.length = groups;
  column.values = Buffer::MakeZeroed(bits::BytesFor(groups), pool);
  column.values->Resize(bits::BytesFor(groups));
  uint8_t* out = column.values->data();
  for (int64_t g = 0; g < groups; ++g) {
    if (values[g] != 0) bits::Set(out, g);
  }
  if (valid != nullptr) column.validity = MakeValidity(valid, groups, pool, &column.null_count);
  return column;
}

Column MakeStringColumn(const DataType& type, const std::vector<std::string>& values,
                        const uint8_t* valid, int64_t groups, MemoryPool* pool) {
  Column column = MakeEmptyColumn(type, pool);
  column.length = groups;
  int64_t total = 0;
  for (int64_t g = 0; g < groups; ++g) total += static_cast<int64_t>(values[g].size());
  column.values->Resize((groups + 1) * int64_t{sizeof(int64_t)});
  int64_t* offsets = column.values->as<int64_t>();
  column.data->Resize(total);
  uint8_t* bytes = column.data->data();
  int64_t at = 0;
  offsets[0] = 0;
  for (int64_t g = 0; g < groups; ++g) {
    if (!values[g].empty()) std::memcpy(bytes + at, values[g].data(), values[g].size());
    at += static_cast<int64_t>(values[g].size());
    offsets[g + 1] = at;
  }
  if (valid != nullptr) column.validity = MakeValidity(valid, groups, pool, &column.null_count);
  return column;
}

Column MakeBytesColumn(const DataType& type, const uint8_t* bytes, int width, const uint8_t* valid,
                       int64_t groups, MemoryPool* pool) {
  Column column;
  column.type = type;
  column.length = groups;
  column.values = Buffer::Make(groups * width, pool);
  column.values->Resize(groups * width);
  if (groups > 0) std::memcpy(column.values->data(), bytes, static_cast<size_t>(groups * width));
  if (valid != nullptr) column.validity = MakeValidity(valid, groups, pool, &column.null_count);
  return column;
}

}  // namespace sluice::aggregates
