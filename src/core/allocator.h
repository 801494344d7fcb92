// The C allocator's own memory: pages it has freed but still holds. Resident, yet in no pool's
// count, they are most of what a run's resident memory holds above its budget when a small
// budget makes memory churn (spills, partitions, batches freed on one thread and reused on
// another). jemalloc (which sluice's programs link) says how many there are and gives them back
// on request; under another allocator these do nothing.
#pragma once

#include <cstdint>

namespace sluice {

/// Bytes of freed pages the allocator holds (jemalloc's dirty pages), or -1 when it cannot say.
int64_t AllocatorFreedBytes();

/// Gives the allocator's freed pages back to the system now.
void ReturnAllocatorFreedPages();

}  // namespace sluice
