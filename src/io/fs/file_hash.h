// Content hashes of files and folders, for the run manifest: an input whose hash matches the
// last run's is unchanged, so a sink that read only unchanged inputs is up to date. XXH3-64 is
// fast enough to hash every input on every run (several GB/s) and is what the rest of sluice
// (and the pipeline file's own hash) uses.
#pragma once

#include <string>

namespace sluice::io {

/// Returns the XXH3-64 of a file's bytes as 16 lowercase hex digits. Reads 1 MiB at a time, so
/// any size works in constant memory. Throws ThrowIo naming the path when the file cannot be
/// opened or read (a folder is an error too).
std::string HashFileContents(const std::string& path);

/// Returns a hash of everything a path holds: for a file, HashFileContents; for a folder (a
/// hive-partitioned output), the XXH3-64 over the sorted relative paths ('/'-separated) of its
/// regular files with each one's HashFileContents, so a renamed, added, removed or changed file
/// changes it. Dot files and dot folders (temporary files of a writer) are skipped, as globs
/// skip them. Throws ThrowIo naming the path when it does not exist or cannot be read.
std::string HashTreeContents(const std::string& path);

}  // namespace sluice::io
