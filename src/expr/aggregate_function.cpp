// The list of aggregate functions: one Add call per family file in src/expr/aggregates/.
#include "expr/aggregate_function.h"

#include "expr/aggregates/state_util.h"

namespace sluice {

namespace {
const std::vector<AggregateFunction>& AllFunctions() {
  static const std::vector<AggregateFunction> functions = [] {
    std::vector<AggregateFunction> list;
    aggregates::AddCountFunctions(&list);
    aggregates::AddSumMeanFunctions(&list);
    aggregates::AddMinMaxFunctions(&list);
    aggregates::AddFirstLastFunctions(&list);
    aggregates::AddDistinctFunctions(&list);
    aggregates::AddVarianceFunctions(&list);
    aggregates::AddQuantileFunctions(&list);
    aggregates::AddBoolFunctions(&list);
    return list;
  }();
  return functions;
}
}  // namespace

const AggregateFunction* FindAggregateFunction(std::string_view name) {
  for (const AggregateFunction& function : AllFunctions()) {
    if (function.name == name) return &function;
  }
  return nullptr;
}

std::vector<std::string> AggregateFunctionNames() {
  std::vector<std::string> names;
  for (const AggregateFunction& function : AllFunctions()) names.push_back(function.name);
  return names;
}

}  // namespace sluice
