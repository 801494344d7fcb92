// Decisions that depend on the global options.
#include "cli/commands.h"
#include "cli/progress.h"

namespace sluice::cli {

bool GlobalOptions::ShowProgress() const {
  if (quiet || no_progress) return false;
  return progress || StderrIsTerminal();
}

}  // namespace sluice::cli
