// A mistake on the command line that parsing alone cannot catch (a bad size, an unknown format):
// reported like other errors, but with exit status 2.
#pragma once

#include <fmt/format.h>

#include <stdexcept>

namespace sluice::cli {

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

template <typename... Args>
[[noreturn]] void ThrowUsage(fmt::format_string<Args...> format, Args&&... args) {
  throw UsageError(fmt::format(format, std::forward<Args>(args)...));
}

}  // namespace sluice::cli
