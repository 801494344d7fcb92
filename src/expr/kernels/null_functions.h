// What the evaluator needs to know about the branching function: case_when's value branches are
// evaluated lazily (see expr/evaluate.cpp), so that `CASE WHEN b <> 0 THEN a / b END` does not
// fail on the rows where b is 0.
#pragma once

#include "expr/function_registry.h"

namespace sluice::kernels {

/// True when `kernel` is the kernel of case_when.
bool IsCaseWhenKernel(const Kernel& kernel);

/// Registers __assert_single_row (assert_functions.cpp); RegisterNullFunctions calls it.
void RegisterAssertFunctions(FunctionRegistry& registry);

}  // namespace sluice::kernels
