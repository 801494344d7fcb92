// What `sluice query` and `sluice explain` share: where the SQL comes from (an argument, -f FILE
// or stdin) and a progress bar for the statements that take long.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "cli/commands.h"
#include "cli/progress.h"
#include "plan/lazy_frame.h"

namespace sluice::cli {

/// The SQL text: `sql` when given, else the contents of `file` when given, else stdin (which must
/// not be a terminal). Throws UsageError when both are given or neither can be read.
std::string ReadSqlText(const std::string& sql, bool sql_given, const std::string& file);

/// A progress bar for one statement on stderr, drawn only once the statement has run for a
/// while (quick queries never flash a bar) and only where GlobalOptions::ShowProgress allows.
class StatementProgress {
 public:
  explicit StatementProgress(const GlobalOptions& global) : enabled_(global.ShowProgress()) {}
  /// Starts timing a statement and points `run.progress` at this bar.
  void Start(RunOptions& run);
  /// Clears the bar before results are printed, and detaches it from `run`.
  void Finish(RunOptions& run);

 private:
  void Report(int64_t done, int64_t total);

  bool enabled_;
  std::chrono::steady_clock::time_point start_;
  std::optional<ProgressBar> bar_;
};

}  // namespace sluice::cli
