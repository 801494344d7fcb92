// Atomic file output, as DESIGN.md requires of every sink: bytes go to a hidden temporary file in
// the target's directory, and only Commit (flush, fsync, rename, fsync of the directory) makes
// them visible under the target name. A failed run therefore leaves the previous output intact
// and no partial file behind.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace sluice::io {

/// Writes one file atomically. Not thread-safe: a writer belongs to one sink at a time.
/// Destroying a writer that was not committed removes its temporary file, so an exception thrown
/// mid-write cleans up by unwinding. A process killed mid-write leaves a hidden temporary file
/// (".<name>.sluice-tmp-<pid>-<random>"), which ExpandGlob skips like every dot file.
class AtomicFileWriter {
 public:
  /// Creates the temporary file next to target_path (same directory, hence same file system, so
  /// the final rename is atomic). Throws ThrowIo when the directory does not exist or is not
  /// writable; call CreateDirectories first for new output directories.
  static AtomicFileWriter Open(const std::string& target_path);

  AtomicFileWriter(AtomicFileWriter&& other) noexcept;
  AtomicFileWriter& operator=(AtomicFileWriter&& other) noexcept;
  AtomicFileWriter(const AtomicFileWriter&) = delete;
  AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;
  /// Aborts unless Commit succeeded.
  ~AtomicFileWriter();

  /// Appends bytes through a 1 MiB buffer; writes at least that large bypass it. Throws ThrowIo
  /// when the disk is full or the OS fails, after which the writer can only be aborted.
  void Write(const void* data, size_t size);
  /// Writes out the buffered bytes and frees the buffer until the next small write: for a file
  /// that stays open while others are written (one of a hundred partitions' files).
  void ReleaseBuffer();

  /// Counts every byte passed to Write, buffered or not: the offset the next byte will have,
  /// which a Parquet writer records in its footer.
  uint64_t bytes_written() const { return bytes_written_; }

  const std::string& target_path() const { return target_path_; }
  const std::string& temp_path() const { return temp_path_; }

  /// Publishes the file: flushes, fsyncs, renames over the target (replacing any earlier file)
  /// and fsyncs the directory so the rename survives a crash. Throws ThrowIo on failure; if the
  /// failure comes before the rename, the target is untouched and the temporary file is removed
  /// when the writer is destroyed.
  void Commit();

  /// Discards everything written: closes and removes the temporary file. Safe to call twice and
  /// after Commit (then it does nothing).
  void Abort() noexcept;

 private:
  AtomicFileWriter(std::string target_path, std::string temp_path, int fd);
  void Flush();
  void WriteToFile(const uint8_t* data, size_t size);

  std::string target_path_;
  std::string temp_path_;
  int fd_ = -1;           ///< -1 once closed (committed, aborted or moved from).
  bool finished_ = true;  ///< True once committed or aborted: the temporary file is gone.
  std::unique_ptr<uint8_t[]> buffer_;  ///< Allocated by the first small write.
  size_t buffered_ = 0;
  uint64_t bytes_written_ = 0;
};

/// Creates a directory and its missing parents, like `mkdir -p`; succeeds if it already exists.
/// Throws ThrowIo naming the path otherwise (e.g. when a parent is a regular file).
void CreateDirectories(const std::string& path);

}  // namespace sluice::io
