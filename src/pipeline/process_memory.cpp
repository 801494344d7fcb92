// /proc/self/status and /proc/self/clear_refs: see process_memory.h.
#include "pipeline/process_memory.h"

#include <cstdio>
#include <cstring>

namespace sluice::pipeline {

void ResetPeakResidentMemory() {
  if (std::FILE* file = std::fopen("/proc/self/clear_refs", "w")) {
    std::fputs("5", file);
    std::fclose(file);
  }
}

int64_t PeakResidentMemory() {
  std::FILE* file = std::fopen("/proc/self/status", "r");
  if (file == nullptr) return 0;
  char line[256];
  long long kib = 0;
  while (std::fgets(line, sizeof line, file)) {
    if (std::strncmp(line, "VmHWM:", 6) == 0) {
      std::sscanf(line + 6, "%lld", &kib);
      break;
    }
  }
  std::fclose(file);
  return static_cast<int64_t>(kib) * 1024;
}

}  // namespace sluice::pipeline
