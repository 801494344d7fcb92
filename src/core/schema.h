// A schema: the ordered, named, typed fields of a batch or a file.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/types.h"

namespace sluice {

struct Field {
  std::string name;
  DataType type;
  bool nullable = true;

  bool operator==(const Field&) const = default;
};

class Schema {
 public:
  Schema() = default;
  explicit Schema(std::vector<Field> fields) : fields_(std::move(fields)) {}

  const std::vector<Field>& fields() const { return fields_; }
  const Field& field(size_t i) const { return fields_[i]; }
  size_t size() const { return fields_.size(); }

  /// Returns the index of the field named `name`, if any.
  std::optional<size_t> FindField(std::string_view name) const;
  /// Returns the index of `name` or throws an error that lists the closest name ("did you mean").
  size_t FieldIndex(std::string_view name, std::string_view where = "") const;

  bool operator==(const Schema&) const = default;
  std::string ToString() const;

 private:
  std::vector<Field> fields_;
};

using SchemaPtr = std::shared_ptr<const Schema>;

/// Returns the candidate closest to `name` by edit distance, if one is close enough to suggest.
std::optional<std::string> ClosestName(std::string_view name,
                                       const std::vector<std::string>& candidates);

}  // namespace sluice
