// Read-only access to a local file by offset, the way columnar readers want it: a Parquet reader
// fetches the footer, then column chunks, from many threads at once, so reads are positional
// (pread) with no shared cursor, and every range is checked against the file size first.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace sluice::io {

/// Owns an open file descriptor for positional reads. Concurrent ReadAt calls are safe because
/// pread keeps no file position. The size is taken once at Open: sluice assumes input files do
/// not change while a query runs, and a file that shrinks anyway gives an I/O error, not garbage.
class RandomAccessFile {
 public:
  /// Opens a regular file for reading; throws ThrowIo ("cannot open 'x': No such file or
  /// directory") when the OS refuses, or when the path is a directory.
  static RandomAccessFile Open(const std::string& path);

  RandomAccessFile(RandomAccessFile&& other) noexcept;
  RandomAccessFile& operator=(RandomAccessFile&& other) noexcept;
  RandomAccessFile(const RandomAccessFile&) = delete;
  RandomAccessFile& operator=(const RandomAccessFile&) = delete;
  ~RandomAccessFile();

  uint64_t size() const { return size_; }
  const std::string& path() const { return path_; }

  /// Reads exactly length bytes at offset into dst. Throws ThrowInvalid when the range runs past
  /// the end of the file (offsets come from file metadata, so that means a corrupt file), and
  /// ThrowIo when the OS fails. Retries interrupted and short reads.
  void ReadAt(uint64_t offset, size_t length, uint8_t* dst) const;

 private:
  RandomAccessFile(std::string path, int fd, uint64_t size);

  std::string path_;
  int fd_ = -1;  ///< -1 once moved from.
  uint64_t size_ = 0;
};

}  // namespace sluice::io
