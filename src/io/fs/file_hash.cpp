// Implements the content hashes with xxhash's streaming XXH3 state over plain read(2) calls.
#include "io/fs/file_hash.h"

#include <fcntl.h>
#include <unistd.h>
#include <xxhash.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "core/error.h"

namespace sluice::io {
namespace {

namespace fs = std::filesystem;

constexpr size_t kReadSize = size_t{1} << 20;

struct StateDeleter {
  void operator()(XXH3_state_t* state) const { XXH3_freeState(state); }
};
using StatePtr = std::unique_ptr<XXH3_state_t, StateDeleter>;

StatePtr NewState() {
  StatePtr state(XXH3_createState());
  if (state == nullptr) ThrowOutOfMemory("cannot allocate a hash state");
  XXH3_64bits_reset(state.get());
  return state;
}

std::string Hex(XXH64_hash_t hash) {
  return fmt::format("{:016x}", static_cast<uint64_t>(hash));
}

/// Closes a descriptor when the scope ends, also when a read throws.
struct FdCloser {
  int fd;
  ~FdCloser() { ::close(fd); }
};

}  // namespace

std::string HashFileContents(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) ThrowIo("cannot open '{}' to hash it: {}", path, std::strerror(errno));
  FdCloser closer{fd};
  StatePtr state = NewState();
  const auto buffer = std::make_unique_for_overwrite<char[]>(kReadSize);
  while (true) {
    const ssize_t n = ::read(fd, buffer.get(), kReadSize);
    if (n < 0) {
      if (errno == EINTR) continue;
      // A folder opens fine but fails here with EISDIR.
      ThrowIo("cannot read '{}' to hash it: {}", path, std::strerror(errno));
    }
    if (n == 0) break;
    XXH3_64bits_update(state.get(), buffer.get(), static_cast<size_t>(n));
  }
  return Hex(XXH3_64bits_digest(state.get()));
}

std::string HashTreeContents(const std::string& path) {
  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  if (error || !fs::exists(status)) {
    ThrowIo("cannot hash '{}': {}", path,
            error ? error.message() : std::string(std::strerror(ENOENT)));
  }
  if (!fs::is_directory(status)) return HashFileContents(path);

  std::vector<std::string> files;  // Relative paths, '/'-separated.
  fs::recursive_directory_iterator it(path, error);
  if (error) ThrowIo("cannot list '{}' to hash it: {}", path, error.message());
  for (const fs::recursive_directory_iterator end; it != end; it.increment(error)) {
    if (error) break;
    const fs::directory_entry& entry = *it;
    if (entry.path().filename().string().starts_with('.')) {
      if (entry.is_directory(error)) it.disable_recursion_pending();
      continue;
    }
    if (entry.is_regular_file(error)) {
      files.push_back(fs::relative(entry.path(), path).generic_string());
    }
  }
  if (error) ThrowIo("cannot list '{}' to hash it: {}", path, error.message());
  std::sort(files.begin(), files.end());

  // Each file contributes "relative path\0content hash\n": the separators keep two different
  // listings from running together into the same byte stream.
  StatePtr state = NewState();
  // A leading tag keeps an empty folder from hashing like an empty file.
  constexpr std::string_view kTag = "sluice-tree-v1\n";
  XXH3_64bits_update(state.get(), kTag.data(), kTag.size());
  for (const std::string& file : files) {
    const std::string line = file + '\0' + HashFileContents(path + "/" + file) + '\n';
    XXH3_64bits_update(state.get(), line.data(), line.size());
  }
  return Hex(XXH3_64bits_digest(state.get()));
}

}  // namespace sluice::io
