// Residual join conditions: gather, evaluate vectorized per block of candidate pairs, compact.
#include "exec/join_residual.h"

#include <algorithm>
#include <set>
#include <span>

#include "core/bitmap.h"
#include "core/error.h"
#include "expr/evaluate.h"
#include "plan/expr_util.h"
#include "plan/logical_plan.h"

namespace sluice::exec {

JoinResidual::JoinResidual(const Expr& condition, const Schema& left, const Schema& right,
                           const std::string& suffix, bool probe_is_left, int64_t block_rows)
    : block_rows_(std::max<int64_t>(1, block_rows)), display_(condition.ToString()) {
  SchemaPtr both = JoinResidualSchema(left, right, suffix);
  // Gather only what the condition reads: a wide side would otherwise be copied per pair.
  const std::set<std::string> read = ReferencedColumns(condition);
  std::vector<Field> fields;
  for (size_t i = 0; i < both->size(); ++i) {
    const Field& field = both->field(i);
    if (!read.count(field.name)) continue;
    const bool from_left = i < left.size();
    const int index = static_cast<int>(from_left ? i : i - left.size());
    const auto from = from_left == probe_is_left ? JoinOutputColumn::From::kProbe
                                                 : JoinOutputColumn::From::kBuild;
    columns_.push_back({from, index, nullptr});
    fields.push_back(field);
  }
  schema_ = std::make_shared<Schema>(std::move(fields));
  condition_ = Bind(condition, *schema_);
  if (condition_->type.id != TypeId::kBool)
    ThrowInvalid("join condition `{}` is {}, not a boolean", display_, condition_->type.ToString());
}

size_t JoinResidual::Filter(const Batch& probe, const Batch& build,
                            std::vector<uint32_t>* probe_rows, std::vector<uint32_t>* build_rows,
                            MemoryPool* pool) const {
  const size_t total = build_rows->size();
  uint32_t* probes = probe_rows->data();
  uint32_t* builds = build_rows->data();
  size_t kept = 0;
  for (size_t begin = 0; begin < total; begin += static_cast<size_t>(block_rows_)) {
    const size_t count = std::min(total - begin, static_cast<size_t>(block_rows_));
    std::span<const uint32_t> block_probe(probes + begin, count);
    std::span<const uint32_t> block_build(builds + begin, count);
    Batch block = AssembleJoinOutput(schema_, columns_, &probe, block_probe, false, build,
                                     block_build, static_cast<int64_t>(count), pool);
    Column mask = Evaluate(*condition_, block, /*expand=*/false, pool);
    if (mask.length == 1 && count != 1) {
      // A condition that reads no column holds for all pairs or for none.
      if (!(mask.IsValid(0) && mask.BoolAt(0))) continue;
      for (size_t i = 0; i < count; ++i) {
        probes[kept] = probes[begin + i];
        builds[kept++] = builds[begin + i];
      }
      continue;
    }
    const uint8_t* values = mask.values->data();
    const uint8_t* validity = mask.validity ? mask.validity->data() : nullptr;
    for (size_t i = 0; i < count; ++i) {
      const bool keep = bits::Get(values, static_cast<int64_t>(i)) &&
                        (validity == nullptr || bits::Get(validity, static_cast<int64_t>(i)));
      // Branch-free compaction: always write, advance only on keep (kept <= begin + i).
      probes[kept] = probes[begin + i];
      builds[kept] = builds[begin + i];
      kept += keep ? 1 : 0;
    }
  }
  probe_rows->resize(kept);
  build_rows->resize(kept);
  return kept;
}

}  // namespace sluice::exec
