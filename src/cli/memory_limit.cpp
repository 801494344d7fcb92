// `--memory-limit` values: the parsing lives in core/memory_size.h (SQL's SET memory_limit shares
// it); here a bad value becomes a usage error (exit status 2) naming the option.
#include "cli/memory_limit.h"

#include "cli/usage_error.h"
#include "core/error.h"
#include "core/memory_size.h"

namespace sluice::cli {

int64_t AvailableMemory() {
  return sluice::AvailableMemory();
}

int64_t ParseMemoryLimit(std::string_view text) {
  try {
    return ParseMemorySize(text);
  } catch (const Error& error) {
    ThrowUsage("--memory-limit {}", error.what());
  }
}

}  // namespace sluice::cli
