// A column writer's spilled pages: when the memory pool asks a Parquet writer for memory back,
// each column appends the encoded, compressed data pages it buffers for the open row group to
// one of these files in the process's spill folder (io/fs/spill_directory.h), and the row group's
// flush streams them into the output ahead of the pages still in memory. The bytes are already
// compressed, so they go to disk as they are; an XXH3 digest of everything appended is checked on
// the way back, so a damaged file is an error naming it, never a corrupt Parquet file.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "io/fs/atomic_file.h"

struct XXH3_state_s;  // xxhash.h's streaming state, kept out of this header.

namespace sluice::io::parquet {

class PageSpillFile {
 public:
  /// Creates an empty file in the spill folder.
  PageSpillFile();
  /// Removes the file.
  ~PageSpillFile();
  PageSpillFile(const PageSpillFile&) = delete;
  PageSpillFile& operator=(const PageSpillFile&) = delete;

  /// Appends bytes at the end. The file is opened for each call and closed after: a partitioned
  /// write may hold a hundred writers of a dozen columns, more than a process may keep open.
  void Append(std::string_view bytes);

  /// Writes the file's bytes, in order, to `out` in pieces of at most 1 MiB (never the whole file
  /// in memory); throws an I/O error naming the file when it is missing, short or damaged.
  void CopyTo(AtomicFileWriter* out) const;

  const std::string& path() const { return path_; }
  int64_t size() const { return size_; }

 private:
  std::string path_;
  int64_t size_ = 0;
  XXH3_state_s* digest_;  ///< Of every byte appended.
};

}  // namespace sluice::io::parquet
