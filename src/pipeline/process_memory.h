// The process's peak resident memory, per step of a run: Linux keeps the high-water mark
// (VmHWM in /proc/self/status) and lets a process reset it (writing 5 to /proc/self/clear_refs),
// so each sink's summary line can say how much memory that sink took, as /usr/bin/time would.
#pragma once

#include <cstdint>

namespace sluice::pipeline {

/// Starts a new high-water mark at the current resident size (does nothing where not allowed).
void ResetPeakResidentMemory();
/// The high-water mark in bytes since the last reset (or process start); 0 when unknown.
int64_t PeakResidentMemory();

}  // namespace sluice::pipeline
