// Kernel makers for arithmetic-like functions: a binary or unary loop over fixed-width values
// with checked operations, null propagation, and the after-the-loop handling of failures
// (overflow, division by zero): an error naming the first bad row, or a null for that row.
// Used by arithmetic.cpp and math.cpp.
#pragma once

#include <fmt/format.h>

#include <string>

#include "core/error.h"
#include "expr/function_registry.h"
#include "expr/kernels/kernel_util.h"

namespace sluice::kernels {

/// What a failing row becomes: an error (overflow, division by zero) or a null (modulo by zero).
enum class OnFailure : uint8_t { kError, kNull };

/// Makes a kernel computing op(a[i], b[i], &out[i]) over two fixed-width arguments of C++ types
/// A and B into a column of `out_type` (C++ type Out). `op` returns true when a row fails and
/// `op.Problem(a, b)` names the failure ("integer overflow"); errors read
/// "integer overflow in `a + b`: 9223372036854775807 + 1".
template <typename A, typename B, typename Out, typename Op>
Kernel MakeBinaryKernel(DataType out_type, std::string display, std::string symbol, Op op,
                        OnFailure on_failure = OnFailure::kError) {
  return [out_type = std::move(out_type), display = std::move(display), symbol = std::move(symbol),
          op, on_failure](std::span<const Column> args, int64_t rows, MemoryPool* pool) -> Column {
    const Column& a = args[0];
    const Column& b = args[1];
    const int64_t n = OutputLength(args, rows);
    Validity validity = PropagateValidity(args, n, pool);
    if (n > 0 && validity.null_count == n) return NullColumn(out_type, n, pool);
    Column out = AllocateFixed(out_type, n, pool);
    const bool a_scalar = IsScalarArg(a, n);
    const bool b_scalar = IsScalarArg(b, n);
    const A* av = a.Values<A>();
    const B* bv = b.Values<B>();
    Out* dst = MutableValues<Out>(out);
    if (CheckedBinaryLoop(av, a_scalar, bv, b_scalar, dst, n, op)) {
      Out scratch{};
      auto failed = [&](int64_t i) {
        return op(ValueAt(av, a_scalar, i), ValueAt(bv, b_scalar, i), &scratch);
      };
      if (on_failure == OnFailure::kError) {
        int64_t row = FirstFailure(validity, n, failed);
        if (row >= 0) {
          ThrowInvalid("{} in `{}`: {} {} {}",
                       op.Problem(ValueAt(av, a_scalar, row), ValueAt(bv, b_scalar, row)), display,
                       ValueForMessage(a, a_scalar ? 0 : row), symbol,
                       ValueForMessage(b, b_scalar ? 0 : row));
        }
      } else {
        if (validity.bitmap == nullptr) validity.bitmap = MakeBitmap(n, true, pool);
        uint8_t* bitmap = validity.bitmap->data();
        for (int64_t i = 0; i < n; ++i) {
          if (bits::Get(bitmap, i) && failed(i)) {
            bits::Clear(bitmap, i);
            dst[i] = Out{};
          }
        }
        validity = MakeValidity(std::move(validity.bitmap), n);
      }
    }
    SetValidity(out, std::move(validity));
    return out;
  };
}

/// Makes a kernel computing op(in[i], &out[i]) over one fixed-width argument; a failing valid
/// row is an error "integer overflow in `-x`: -128".
template <typename In, typename Out, typename Op>
Kernel MakeUnaryKernel(DataType out_type, std::string display, Op op) {
  return [out_type = std::move(out_type), display = std::move(display), op](
             std::span<const Column> args, int64_t rows, MemoryPool* pool) -> Column {
    const Column& a = args[0];
    const int64_t n = OutputLength(args, rows);
    Validity validity = PropagateValidity(args, n, pool);
    if (n > 0 && validity.null_count == n) return NullColumn(out_type, n, pool);
    Column out = AllocateFixed(out_type, n, pool);
    const bool scalar = IsScalarArg(a, n);
    const In* in = a.Values<In>();
    Out* dst = MutableValues<Out>(out);
    bool failed = false;
    if (scalar) {
      const In x = in[0];
      for (int64_t i = 0; i < n; ++i) failed |= op(x, &dst[i]);
    } else {
      for (int64_t i = 0; i < n; ++i) failed |= op(in[i], &dst[i]);
    }
    if (failed) {
      Out scratch{};
      int64_t row = FirstFailure(validity, n,
                                 [&](int64_t i) { return op(ValueAt(in, scalar, i), &scratch); });
      if (row >= 0) {
        ThrowInvalid("{} in `{}`: {}", op.Problem(ValueAt(in, scalar, row)), display,
                     ValueForMessage(a, scalar ? 0 : row));
      }
    }
    SetValidity(out, std::move(validity));
    return out;
  };
}

}  // namespace sluice::kernels
