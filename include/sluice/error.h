// The one error family of sluice: every failure a user can see is a sluice::Error with a kind
// that decides the exit status, and a message that names the file, column, offset or position.
// Part of the public API: programs that embed sluice catch these.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace sluice {

/// Classifies an error; the CLI maps kinds to exit statuses (DESIGN.md: 1 data/execution, 2 usage).
enum class ErrorKind : uint8_t {
  kInvalidInput,  ///< Corrupt or malformed data, a bad value, an unknown column: exit 1.
  kUnsupported,   ///< Valid input that sluice cannot handle yet (a nested column, a codec): exit 2.
  kIo,            ///< The operating system refused a read, write, rename or open: exit 1.
  kOutOfMemory,   ///< A reservation would exceed the memory budget: exit 1.
  kInternal,      ///< A broken invariant inside sluice, i.e. a bug: exit 1.
};

/// Names a kind for messages ("invalid input", "unsupported", ...).
const char* ErrorKindName(ErrorKind kind);

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, std::string message)
      : std::runtime_error(std::move(message)), kind_(kind) {}
  ErrorKind kind() const { return kind_; }

 private:
  ErrorKind kind_;
};

}  // namespace sluice
