// Conversions between types: the kernels behind CAST / TRY_CAST and the implicit casts binders
// insert, plus the ISO date/timestamp parsers that literals and casts from utf8 share.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/column.h"
#include "core/memory_pool.h"
#include "core/types.h"

namespace sluice {

/// True when values of `from` can be cast to `to` (some values may still fail to convert).
bool CanCast(const DataType& from, const DataType& to);

/// Converts every value of `input` to `type`. A value that does not convert (out of range,
/// unparsable text) is an error naming it and `display` (`CAST(price AS float64)`), or a null
/// when `try_cast`. Throws for type pairs CanCast rejects.
Column CastColumn(const Column& input, const DataType& type, bool try_cast,
                  const std::string& display, MemoryPool* pool = MemoryPool::Default());

/// Parses `YYYY-MM-DD` (surrounding spaces allowed) into days since the epoch.
bool ParseIsoDate(std::string_view text, int32_t* days);
/// Parses `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS[.fraction]]` (or with a `T`), optionally followed
/// by `Z` or a `+HH[:MM]`/`-HH[:MM]` offset (converted to UTC), into `unit`s since the epoch.
/// Fraction digits beyond the unit are truncated.
bool ParseIsoTimestamp(std::string_view text, TimeUnit unit, int64_t* value);
/// Parses `HH:MM[:SS[.fraction]]` into `unit`s since midnight.
bool ParseIsoTime(std::string_view text, TimeUnit unit, int64_t* value);

/// Parses a base-10 integer (optional sign, surrounding spaces allowed).
bool ParseInt64(std::string_view text, int64_t* value);
bool ParseUInt64(std::string_view text, uint64_t* value);
/// Parses a float: decimal or scientific notation, `inf`, `-infinity`, `nan`.
bool ParseDouble(std::string_view text, double* value);
/// Parses true/false, t/f, yes/no, y/n, 1/0 (any case).
bool ParseBool(std::string_view text, bool* value);
/// Parses `[-+]digits[.digits][e[-+]digits]` into an unscaled decimal of `scale` digits after the
/// point, rounding half away from zero; fails when the value needs more than `precision` digits.
bool ParseDecimal(std::string_view text, int precision, int scale, __int128* value);

}  // namespace sluice
