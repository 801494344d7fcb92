// Throwing sluice::Error (declared in the public include/sluice/error.h) with formatted messages,
// and the invariant checks of sluice's own code.
#pragma once

#include <fmt/format.h>
#include <sluice/error.h>

#include <stdexcept>
#include <string>

namespace sluice {

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
