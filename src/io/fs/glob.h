// File globs, as users write them in `FROM 'data/**/*.parquet'`: `*`, `?`, `[abc]`, `[a-z]`,
// `[!a-z]` within one path component and `**` across directories. Results come sorted so that a
// query reads its inputs in the same order on every machine, which sequence numbers (and hence
// byte-identical output) depend on.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sluice::io {

/// Tells whether a path contains a wildcard character (`*`, `?` or `[`).
bool HasGlob(std::string_view path);

/// Matches one path component (no '/') against one glob component. `[` without a closing `]`
/// matches itself; `[!...]` and `[^...]` negate a class, and `]` first in a class is literal.
bool GlobMatch(std::string_view pattern, std::string_view name);

/// Expands a glob into the regular files it matches, sorted by byte value, each spelled with the
/// pattern's own directory prefix ("data/*.csv" gives "data/a.csv", not an absolute path).
/// - A path without wildcards is returned as is when it exists, even when it is a directory: the
///   caller decides what a directory means. A missing one throws ThrowIo ("cannot open ...").
/// - A path with wildcard characters that names an existing file literally is returned as is.
/// - `**` matches zero or more directories (a trailing `**` matches every file below); it does
///   not follow symbolic links to directories, so a link cycle cannot make it loop.
/// - Names a wildcard matches skip hidden entries, as Spark and DuckDB do: names starting with
///   '.' (including sluice's own temporary files and Hadoop's .crc files), names starting with
///   '_' unless they hold '=' (so `_SUCCESS` is skipped but a partition `_k=1` is not), and
///   names ending in "._COPYING_". A pattern component that itself starts with '.' or '_' may
///   match such names, and literal components are always taken as written.
/// Throws ThrowInvalid ("no files match 'pattern'") when nothing matches, and ThrowIo when a
/// directory cannot be listed (rather than silently reading fewer files).
std::vector<std::string> ExpandGlob(const std::string& pattern);

}  // namespace sluice::io
