// Small name helpers of the SQL layer: SQL identifiers are case-insensitive, and plan columns
// made by the binder need names that never collide.
#pragma once

#include <string>
#include <string_view>

namespace sluice::sql {

/// `name` in lower case (ASCII), the key SQL names are compared by.
std::string LowerName(std::string_view name);
/// Case-insensitive (ASCII) equality of two identifiers.
bool NamesEqual(std::string_view a, std::string_view b);

}  // namespace sluice::sql
