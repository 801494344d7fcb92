// The one error family of sluice: every failure a user can see is a sluice::Error with a kind
// that decides the exit status, and a message that names the file, column, offset or position.
#pragma once

#include <fmt/format.h>

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

template <typename... Args>
[[noreturn]] void ThrowInvalid(fmt::format_string<Args...> format, Args&&... args) {
  throw Error(ErrorKind::kInvalidInput, fmt::format(format, std::forward<Args>(args)...));
}
template <typename... Args>
[[noreturn]] void ThrowUnsupported(fmt::format_string<Args...> format, Args&&... args) {
  throw Error(ErrorKind::kUnsupported, fmt::format(format, std::forward<Args>(args)...));
}
template <typename... Args>
[[noreturn]] void ThrowIo(fmt::format_string<Args...> format, Args&&... args) {
  throw Error(ErrorKind::kIo, fmt::format(format, std::forward<Args>(args)...));
}
template <typename... Args>
[[noreturn]] void ThrowOutOfMemory(fmt::format_string<Args...> format, Args&&... args) {
  throw Error(ErrorKind::kOutOfMemory, fmt::format(format, std::forward<Args>(args)...));
}
template <typename... Args>
[[noreturn]] void ThrowInternal(fmt::format_string<Args...> format, Args&&... args) {
  throw Error(ErrorKind::kInternal, fmt::format(format, std::forward<Args>(args)...));
}

}  // namespace sluice

/// Checks an invariant of sluice itself (not of input data); a failure is a bug.
#define SLUICE_CHECK(cond)                                                                        \
  do {                                                                                            \
    if (!(cond)) ::sluice::ThrowInternal("check failed at {}:{}: {}", __FILE__, __LINE__, #cond); \
  } while (0)

/// Checks a < b and prints both values when it fails.
#define SLUICE_CHECK_LT(a, b)                                                                      \
  do {                                                                                             \
    if (!((a) < (b)))                                                                              \
      ::sluice::ThrowInternal("check failed at {}:{}: {} < {} ({} vs {})", __FILE__, __LINE__, #a, \
                              #b, (a), (b));                                                       \
  } while (0)

#ifdef NDEBUG
#define SLUICE_DCHECK(cond) ((void)0)
#else
#define SLUICE_DCHECK(cond) SLUICE_CHECK(cond)
#endif
