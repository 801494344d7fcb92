// Parses `--memory-limit` values: plain bytes, units (KB, MB, GB, TB and KiB..TiB), or a
// percentage of physical memory (and of the cgroup limit when there is one).
#pragma once

#include <cstdint>
#include <string_view>

namespace sluice::cli {

int64_t ParseMemoryLimit(std::string_view text);
/// Physical memory, capped by the cgroup (v2 or v1) limit of this process when it is lower.
int64_t AvailableMemory();

}  // namespace sluice::cli
