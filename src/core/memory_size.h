// Sizes of memory as people write them: plain bytes, units (KB, MB, GB, TB and KiB..TiB), or a
// percentage of the memory this process may use. Shared by `--memory-limit` on the command line
// and `SET memory_limit = '4GB'` in SQL, so that both accept and reject the same spellings.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sluice {

/// Parses `text` ("4GB", "512 MiB", "60%", "1000000") to bytes. Throws sluice::Error (invalid
/// input) whose message starts with the quoted text: `'lots' is not a size; use e.g. 4GB, 512MiB
/// or 60%`, so that callers can prefix the option's name.
int64_t ParseMemorySize(std::string_view text);

/// Physical memory, capped by the cgroup (v2 or v1) limit of this process when it is lower.
int64_t AvailableMemory();

/// `bytes` for people: "512 B", "1.5 GiB".
std::string FormatBytes(int64_t bytes);

}  // namespace sluice
