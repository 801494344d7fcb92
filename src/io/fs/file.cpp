// Implements RandomAccessFile over open/fstat/pread, turning errno into messages that name the
// file and the byte range.
#include "io/fs/file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "core/error.h"

namespace sluice::io {
namespace {

/// Caps one pread call: Linux transfers at most about 2 GiB per call anyway.
constexpr size_t kMaxReadChunk = size_t{1} << 30;

}  // namespace

RandomAccessFile RandomAccessFile::Open(const std::string& path) {
  int fd;
  do {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) ThrowIo("cannot open '{}': {}", path, std::strerror(errno));
  struct stat info;
  if (::fstat(fd, &info) != 0) {
    const int error = errno;
    ::close(fd);
    ThrowIo("cannot open '{}': {}", path, std::strerror(error));
  }
  if (!S_ISREG(info.st_mode)) {
    ::close(fd);
    ThrowIo("cannot open '{}': {}", path,
            S_ISDIR(info.st_mode) ? std::strerror(EISDIR) : "not a regular file");
  }
  return RandomAccessFile(path, fd, static_cast<uint64_t>(info.st_size));
}

RandomAccessFile::RandomAccessFile(std::string path, int fd, uint64_t size)
    : path_(std::move(path)), fd_(fd), size_(size) {}

RandomAccessFile::RandomAccessFile(RandomAccessFile&& other) noexcept
    : path_(std::move(other.path_)),
      fd_(std::exchange(other.fd_, -1)),
      size_(std::exchange(other.size_, 0)) {}

RandomAccessFile& RandomAccessFile::operator=(RandomAccessFile&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    path_ = std::move(other.path_);
    fd_ = std::exchange(other.fd_, -1);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

RandomAccessFile::~RandomAccessFile() {
  // A read-only descriptor has nothing to flush, so a close error carries no information.
  if (fd_ >= 0) ::close(fd_);
}

void RandomAccessFile::ReadAt(uint64_t offset, size_t length, uint8_t* dst) const {
  if (offset > size_ || length > size_ - offset) {  // Written so that offset + length cannot wrap.
    ThrowInvalid("'{}': read of {} bytes at offset {} runs past the end of the file (size {})",
                 path_, length, offset, size_);
  }
  SLUICE_CHECK(fd_ >= 0);
  size_t done = 0;
  while (done < length) {
    const size_t chunk = std::min(length - done, kMaxReadChunk);
    const ssize_t n = ::pread(fd_, dst + done, chunk, static_cast<off_t>(offset + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      ThrowIo("'{}': read of {} bytes at offset {} failed: {}", path_, length, offset,
              std::strerror(errno));
    }
    if (n == 0) {
      ThrowIo(
          "'{}': file ended at offset {} while reading {} bytes at offset {} (was it "
          "truncated while being read?)",
          path_, offset + done, length, offset);
    }
    done += static_cast<size_t>(n);
  }
}

}  // namespace sluice::io
