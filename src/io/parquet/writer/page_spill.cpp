// Appending spilled Parquet pages to a file and streaming them back into the output.
#include "io/parquet/writer/page_spill.h"

#include <fcntl.h>
#include <unistd.h>
#include <xxhash.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

#include "core/error.h"
#include "io/fs/spill_directory.h"

namespace sluice::io::parquet {

namespace {

/// The piece CopyTo reads at a time: large enough that AtomicFileWriter writes it straight
/// through, small enough not to matter beside the budget.
constexpr size_t kCopyPiece = size_t{1} << 20;

/// Closes a descriptor when it goes out of scope.
struct FdCloser {
  int fd;
  ~FdCloser() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

PageSpillFile::PageSpillFile()
    : path_(SpillDirectory::Get().NewFilePath("parquet-pages")), digest_(XXH3_createState()) {
  if (digest_ == nullptr) ThrowOutOfMemory("cannot allocate a checksum state");
  XXH3_64bits_reset(digest_);
  const int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    const int error = errno;
    XXH3_freeState(digest_);
    ThrowIo("cannot create the spill file \"{}\": {}", path_, std::strerror(error));
  }
  ::close(fd);
}

PageSpillFile::~PageSpillFile() {
  ::unlink(path_.c_str());
  XXH3_freeState(digest_);
}

void PageSpillFile::Append(std::string_view bytes) {
  FdCloser file{::open(path_.c_str(), O_WRONLY | O_CLOEXEC)};
  if (file.fd < 0) ThrowIo("cannot open the spill file \"{}\": {}", path_, std::strerror(errno));
  // At the recorded end, not O_APPEND: bytes of an earlier failed append are overwritten.
  WriteSpillBytes(file.fd, bytes.data(), bytes.size(), size_, path_);
  XXH3_64bits_update(digest_, bytes.data(), bytes.size());
  size_ += static_cast<int64_t>(bytes.size());
  SpillDirectory::Get().AddWritten(static_cast<int64_t>(bytes.size()));
}

void PageSpillFile::CopyTo(AtomicFileWriter* out) const {
  FdCloser file{::open(path_.c_str(), O_RDONLY | O_CLOEXEC)};
  if (file.fd < 0) {
    ThrowIo("cannot read back the spilled Parquet pages in \"{}\": {}", path_,
            std::strerror(errno));
  }
  std::unique_ptr<XXH3_state_t, decltype(&XXH3_freeState)> digest(XXH3_createState(),
                                                                  &XXH3_freeState);
  if (digest == nullptr) ThrowOutOfMemory("cannot allocate a checksum state");
  XXH3_64bits_reset(digest.get());
  std::unique_ptr<char[]> piece(new char[kCopyPiece]);
  int64_t at = 0;
  while (at < size_) {
    const size_t want = static_cast<size_t>(std::min<int64_t>(size_ - at, kCopyPiece));
    size_t got = 0;
    while (got < want) {
      const ssize_t n = ::pread(file.fd, piece.get() + got, want - got,
                                static_cast<off_t>(at + static_cast<int64_t>(got)));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        ThrowIo("cannot read back the spilled Parquet pages in \"{}\": {}", path_,
                std::strerror(errno));
      }
      if (n == 0) {
        ThrowIo(
            "the spilled Parquet pages in \"{}\" end at byte {} of {}: the file was cut short "
            "(is the disk under --temp-dir full or failing?)",
            path_, at + static_cast<int64_t>(got), size_);
      }
      got += static_cast<size_t>(n);
    }
    XXH3_64bits_update(digest.get(), piece.get(), want);
    out->Write(piece.get(), want);
    at += static_cast<int64_t>(want);
  }
  // A damaged file throws before the output is committed, so it never becomes visible.
  if (XXH3_64bits_digest(digest.get()) != XXH3_64bits_digest(digest_)) {
    ThrowIo(
        "the spilled Parquet pages in \"{}\" do not match what was written (checksum "
        "mismatch); the disk under --temp-dir may be failing",
        path_);
  }
}

}  // namespace sluice::io::parquet
