// The scalar function registry and its built-in instance. Registration is an explicit list of
// calls (one per kernel family) rather than static self-registration, so the linker keeps every
// family and the list can be grepped.
#include "expr/function_registry.h"

#include <algorithm>

#include "core/error.h"

namespace sluice {

void FunctionRegistry::Add(ScalarFunction function) {
  SLUICE_CHECK(Find(function.name) == nullptr);
  functions_.push_back(std::move(function));
}

const ScalarFunction* FunctionRegistry::Find(std::string_view name) const {
  for (const ScalarFunction& function : functions_) {
    if (function.name == name) return &function;
  }
  return nullptr;
}

std::vector<std::string> FunctionRegistry::Names() const {
  std::vector<std::string> names;
  names.reserve(functions_.size());
  for (const ScalarFunction& function : functions_) names.push_back(function.name);
  std::sort(names.begin(), names.end());
  return names;
}

const FunctionRegistry& FunctionRegistry::BuiltIn() {
  // A function-local static: built once, thread-safe, on first use.
  static const FunctionRegistry registry = [] {
    FunctionRegistry r;
    RegisterArithmeticFunctions(r);
    RegisterComparisonFunctions(r);
    RegisterBooleanFunctions(r);
    RegisterNullFunctions(r);
    RegisterMathFunctions(r);
    RegisterStringFunctions(r);
    RegisterRegexFunctions(r);
    RegisterTemporalFunctions(r);
    return r;
  }();
  return registry;
}

}  // namespace sluice
