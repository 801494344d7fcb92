// Where spill files live (`--temp-dir`). Each process that spills gets its own folder under the
// base, "sluice-spill-<pid>-<random>", holding a lock file that the process keeps locked (flock)
// for its lifetime (the folder is set up under a hidden name and renamed once locked). The folder
// is made on first use and removed at exit; files in it are removed as soon as their owner drops
// them, which unwinding does on errors. A process killed outright (kill -9, the OOM killer) cannot
// clean up, so every process sweeps the base when it first spills: a folder whose lock can be taken
// belongs to a dead process and is removed. The lock (not the pid) decides, so pid reuse cannot
// save a dead run's folder or doom a live one's.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>

namespace sluice::io {

class SpillDirectory {
 public:
  /// The process-wide spill directory.
  static SpillDirectory& Get();

  /// Sets the base folder (created when missing). Empty: the default, $TMPDIR/sluice or
  /// /tmp/sluice. Takes effect for folders made afterwards; a folder in use stays where it is.
  void SetBase(std::string base);
  std::string base() const;

  /// A fresh path in this process's folder (made, with the sweep, on first call), for a spill
  /// file about `purpose` ("sort", "aggregate"): unique within the process.
  std::string NewFilePath(const std::string& purpose);

  /// Removes this process's folder and everything in it (also done at exit).
  void RemoveOwnFolder() noexcept;

  /// Removes the folders of dead processes under `base` (a folder being set up only once it is a
  /// minute old); returns how many. Exposed for tests.
  static int SweepStale(const std::string& base);

  /// Bytes written to spill files by this process so far, and currently on disk.
  void AddWritten(int64_t bytes) { written_.fetch_add(bytes, std::memory_order_relaxed); }
  int64_t bytes_written() const { return written_.load(std::memory_order_relaxed); }

  ~SpillDirectory();

 private:
  SpillDirectory() = default;
  void EnsureFolder();  ///< Called with mutex_ held.

  mutable std::mutex mutex_;
  std::string base_;
  std::string folder_;  ///< Empty until first use.
  int lock_fd_ = -1;
  uint64_t next_file_ = 0;
  std::atomic<int64_t> written_{0};
};

/// Writes all `size` bytes of `data` at `offset` of the open spill file `fd` (named `path` in
/// errors): a failure (a full disk, say) is an I/O error naming the file and suggesting
/// --temp-dir.
void WriteSpillBytes(int fd, const void* data, size_t size, int64_t offset,
                     const std::string& path);

}  // namespace sluice::io
