// Implements AtomicFileWriter with POSIX calls (open O_EXCL, write, fsync, rename) so that each
// durability step is explicit and its failure is reported with the file it concerns.
#include "io/fs/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <random>
#include <system_error>
#include <utility>

#include "core/error.h"

namespace sluice::io {
namespace {

constexpr size_t kBufferSize = size_t{1} << 20;
/// Caps one write call: Linux transfers at most about 2 GiB per call anyway.
constexpr size_t kMaxWriteChunk = size_t{1} << 30;
/// Keeps the temporary name within NAME_MAX (255) whatever the target's name length.
constexpr size_t kMaxBaseNameInTempName = 180;
constexpr int kMaxTempNameAttempts = 100;

/// Splits a target path into its directory ("" for the working directory) and file name.
std::pair<std::string, std::string> SplitTargetPath(const std::string& target_path) {
  const size_t slash = target_path.rfind('/');
  if (slash == std::string::npos) return {"", target_path};
  return {target_path.substr(0, slash + 1), target_path.substr(slash + 1)};
}

std::string RandomSuffix() {
  thread_local std::mt19937_64 rng(std::random_device{}() ^
                                   (uint64_t{static_cast<uint32_t>(::getpid())} << 32));
  return fmt::format("{:016x}", rng());
}

/// Makes a completed rename durable. Some file systems cannot fsync a directory (EINVAL); there
/// is nothing more to do on those.
void SyncDirectory(const std::string& directory) {
  const std::string path = directory.empty() ? "." : directory;
  const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) ThrowIo("cannot open directory '{}' to sync it: {}", path, std::strerror(errno));
  int result;
  do {
    result = ::fsync(fd);
  } while (result != 0 && errno == EINTR);
  const int error = errno;
  ::close(fd);
  if (result != 0 && error != EINVAL && error != EROFS) {
    ThrowIo("cannot sync directory '{}': {}", path, std::strerror(error));
  }
}

}  // namespace

AtomicFileWriter AtomicFileWriter::Open(const std::string& target_path) {
  const auto [directory, base_name] = SplitTargetPath(target_path);
  if (base_name.empty() || base_name == "." || base_name == "..") {
    ThrowInvalid("cannot write to '{}': not a file path", target_path);
  }
  const std::string prefix = fmt::format("{}.{}.sluice-tmp-{}-", directory,
                                         base_name.substr(0, kMaxBaseNameInTempName), ::getpid());
  for (int attempt = 0; attempt < kMaxTempNameAttempts; ++attempt) {
    std::string temp_path = prefix + RandomSuffix();
    const int fd = ::open(temp_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0) return AtomicFileWriter(target_path, std::move(temp_path), fd);
    if (errno != EEXIST && errno != EINTR) {
      ThrowIo("cannot create a temporary file in '{}' to write '{}': {}",
              directory.empty() ? "." : directory, target_path, std::strerror(errno));
    }
  }
  ThrowIo("cannot create a temporary file to write '{}': {} names were already taken", target_path,
          kMaxTempNameAttempts);
}

AtomicFileWriter::AtomicFileWriter(std::string target_path, std::string temp_path, int fd)
    : target_path_(std::move(target_path)),
      temp_path_(std::move(temp_path)),
      fd_(fd),
      finished_(false) {}

AtomicFileWriter::AtomicFileWriter(AtomicFileWriter&& other) noexcept
    : target_path_(std::move(other.target_path_)),
      temp_path_(std::move(other.temp_path_)),
      fd_(std::exchange(other.fd_, -1)),
      finished_(std::exchange(other.finished_, true)),
      buffer_(std::move(other.buffer_)),
      buffered_(std::exchange(other.buffered_, 0)),
      bytes_written_(std::exchange(other.bytes_written_, 0)) {}

AtomicFileWriter& AtomicFileWriter::operator=(AtomicFileWriter&& other) noexcept {
  if (this != &other) {
    Abort();
    target_path_ = std::move(other.target_path_);
    temp_path_ = std::move(other.temp_path_);
    fd_ = std::exchange(other.fd_, -1);
    finished_ = std::exchange(other.finished_, true);
    buffer_ = std::move(other.buffer_);
    buffered_ = std::exchange(other.buffered_, 0);
    bytes_written_ = std::exchange(other.bytes_written_, 0);
  }
  return *this;
}

AtomicFileWriter::~AtomicFileWriter() {
  Abort();
}

void AtomicFileWriter::Write(const void* data, size_t size) {
  if (fd_ < 0) ThrowInternal("write to '{}' after it was committed or aborted", target_path_);
  const auto* bytes = static_cast<const uint8_t*>(data);
  if (buffer_ == nullptr && size > 0 && size <= kBufferSize) {
    buffer_ = std::make_unique_for_overwrite<uint8_t[]>(kBufferSize);
  }
  if (size <= kBufferSize - buffered_) {
    if (size > 0) std::memcpy(buffer_.get() + buffered_, bytes, size);
    buffered_ += size;
  } else {
    Flush();
    if (size >= kBufferSize) {
      WriteToFile(bytes, size);
    } else {
      std::memcpy(buffer_.get(), bytes, size);
      buffered_ = size;
    }
  }
  bytes_written_ += size;
}

void AtomicFileWriter::Flush() {
  if (buffered_ == 0) return;
  WriteToFile(buffer_.get(), buffered_);
  buffered_ = 0;
}

void AtomicFileWriter::ReleaseBuffer() {
  Flush();
  buffer_.reset();
}

void AtomicFileWriter::WriteToFile(const uint8_t* data, size_t size) {
  size_t done = 0;
  while (done < size) {
    const size_t chunk = std::min(size - done, kMaxWriteChunk);
    const ssize_t n = ::write(fd_, data + done, chunk);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int error = errno;
      ::close(std::exchange(fd_, -1));  // The content is now unknown: only Abort remains.
      ThrowIo("cannot write '{}': {}", target_path_, std::strerror(error));
    }
    done += static_cast<size_t>(n);
  }
}

void AtomicFileWriter::Commit() {
  if (fd_ < 0) ThrowInternal("commit of '{}' after it was committed or aborted", target_path_);
  Flush();
  int result;
  do {
    result = ::fsync(fd_);
  } while (result != 0 && errno == EINTR);
  if (result != 0) {
    const int error = errno;
    ::close(std::exchange(fd_, -1));
    ThrowIo("cannot sync '{}': {}", target_path_, std::strerror(error));
  }
  // Never retry close: the descriptor is released even when close reports an error (which
  // network file systems use to report failed writes).
  const int close_result = ::close(std::exchange(fd_, -1));
  if (close_result != 0 && errno != EINTR) {
    ThrowIo("cannot write '{}': {}", target_path_, std::strerror(errno));
  }
  if (::rename(temp_path_.c_str(), target_path_.c_str()) != 0) {
    ThrowIo("cannot rename '{}' to '{}': {}", temp_path_, target_path_, std::strerror(errno));
  }
  finished_ = true;  // The temporary name is gone; nothing is left to clean up.
  buffer_.reset();
  SyncDirectory(SplitTargetPath(target_path_).first);
}

void AtomicFileWriter::Abort() noexcept {
  if (fd_ >= 0) ::close(std::exchange(fd_, -1));
  if (!finished_) {
    ::unlink(temp_path_.c_str());
    finished_ = true;
  }
  buffer_.reset();
  buffered_ = 0;
}

void CreateDirectories(const std::string& path) {
  std::error_code error;
  std::filesystem::create_directories(path, error);
  if (error) ThrowIo("cannot create directory '{}': {}", path, error.message());
  if (!std::filesystem::is_directory(path, error)) {
    ThrowIo("cannot create directory '{}': {}", path, std::strerror(ENOTDIR));
  }
}

}  // namespace sluice::io
