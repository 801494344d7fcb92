// The process's spill folder: made lazily, locked for the process's lifetime, swept when stale.
#include "io/fs/spill_directory.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <random>
#include <system_error>

#include "core/error.h"

namespace sluice::io {

namespace {

namespace fs = std::filesystem;

constexpr const char* kFolderPrefix = "sluice-spill-";
constexpr const char* kLockName = "lock";
/// How long a hidden folder (one being set up) is left alone by sweeps.
constexpr std::chrono::seconds kSetupGrace(60);

std::string DefaultBase() {
  const char* tmp = std::getenv("TMPDIR");
  std::string root = tmp != nullptr && *tmp != '\0' ? tmp : "/tmp";
  return (fs::path(root) / "sluice").string();
}

void MakeBase(const std::string& base) {
  std::error_code error;
  fs::create_directories(base, error);
  if (error || !fs::is_directory(base)) {
    ThrowIo("cannot use \"{}\" for spill files: {}; choose another folder with --temp-dir", base,
            error ? error.message() : "not a folder");
  }
}

}  // namespace

SpillDirectory& SpillDirectory::Get() {
  static SpillDirectory directory;
  return directory;
}

SpillDirectory::~SpillDirectory() {
  RemoveOwnFolder();
}

void SpillDirectory::SetBase(std::string base) {
  std::lock_guard lock(mutex_);
  base_ = std::move(base);
}

std::string SpillDirectory::base() const {
  std::lock_guard lock(mutex_);
  return base_.empty() ? DefaultBase() : base_;
}

int SpillDirectory::SweepStale(const std::string& base) {
  std::error_code error;
  int removed = 0;
  for (fs::directory_iterator it(base, error), end; !error && it != end; it.increment(error)) {
    const std::string name = it->path().filename().string();
    // A hidden one is being set up, or its process died before renaming it.
    const bool hidden = name.rfind(std::string(".") + kFolderPrefix, 0) == 0;
    if ((!hidden && name.rfind(kFolderPrefix, 0) != 0) || !it->is_directory()) continue;
    // A young hidden one may be between its making and its locking: taking its lock for a moment
    // then would make that process's own lock fail, and seeing it unlocked would remove it under
    // that process (two test processes starting their spills at once did). Left for a later run.
    if (hidden) {
      std::error_code age_error;
      const auto made = fs::last_write_time(it->path(), age_error);
      if (age_error || fs::file_time_type::clock::now() - made < kSetupGrace) continue;
    }
    const std::string lock_path = (it->path() / kLockName).string();
    const int fd = ::open(lock_path.c_str(), O_RDWR | O_CLOEXEC);
    if (fd >= 0) {
      // Held by a live process: leave it. flock locks die with their process, kill -9 included.
      const bool dead = ::flock(fd, LOCK_EX | LOCK_NB) == 0;
      ::close(fd);
      if (!dead) continue;
    } else if (errno != ENOENT) {
      continue;
    }
    // Without a lock file a folder cannot be in use: visible ones are renamed into view locked,
    // and an old hidden one's process died before it made its lock.
    std::error_code remove_error;
    fs::remove_all(it->path(), remove_error);
    if (!remove_error) ++removed;
  }
  return removed;
}

void SpillDirectory::EnsureFolder() {
  if (!folder_.empty()) return;
  const std::string base = base_.empty() ? DefaultBase() : base_;
  MakeBase(base);
  SweepStale(base);
  // The folder is made and locked under a hidden name, then renamed: a sweep by another process
  // only ever sees spill folders whose lock is already held.
  std::random_device random;
  const std::string name = fmt::format("{}{}-{:08x}", kFolderPrefix, ::getpid(), random());
  const std::string hidden = (fs::path(base) / ("." + name)).string();
  const std::string folder = (fs::path(base) / name).string();
  std::error_code error;
  if (!fs::create_directory(hidden, error) || error)
    ThrowIo("cannot make the spill folder \"{}\": {}", hidden, error.message());
  const std::string lock_path = (fs::path(hidden) / kLockName).string();
  const int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0 || ::flock(fd, LOCK_EX | LOCK_NB) != 0 ||
      ::rename(hidden.c_str(), folder.c_str()) != 0) {
    const int saved = errno;
    if (fd >= 0) ::close(fd);
    fs::remove_all(hidden, error);
    ThrowIo("cannot set up the spill folder \"{}\": {}", folder, std::strerror(saved));
  }
  folder_ = folder;
  lock_fd_ = fd;
}

std::string SpillDirectory::NewFilePath(const std::string& purpose) {
  std::lock_guard lock(mutex_);
  EnsureFolder();
  return (fs::path(folder_) / fmt::format("{}-{}.spill", purpose, next_file_++)).string();
}

void SpillDirectory::RemoveOwnFolder() noexcept {
  std::lock_guard lock(mutex_);
  if (folder_.empty()) return;
  std::error_code error;
  fs::remove_all(folder_, error);
  if (lock_fd_ >= 0) ::close(lock_fd_);
  lock_fd_ = -1;
  folder_.clear();
}

void WriteSpillBytes(int fd, const void* data, size_t size, int64_t offset,
                     const std::string& path) {
  const char* bytes = static_cast<const char*>(data);
  size_t done = 0;
  while (done < size) {
    const ssize_t n = ::pwrite(fd, bytes + done, size - done,
                               static_cast<off_t>(offset + static_cast<int64_t>(done)));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ThrowIo(
          "cannot write the spill file \"{}\": {}; free space under --temp-dir or point it "
          "elsewhere",
          path, std::strerror(errno));
    }
    done += static_cast<size_t>(n);
  }
}

}  // namespace sluice::io
