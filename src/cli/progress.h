// A progress bar on stderr for long work, drawn only when stderr is a terminal and not --quiet.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace sluice::cli {

class ProgressBar {
 public:
  /// `total` units of work (rows, bytes), negative when unknown (then only the count is drawn);
  /// `label` precedes the bar.
  ProgressBar(std::string label, int64_t total, bool enabled);
  ~ProgressBar();

  /// Sets the work done so far; redraws at most a few times per second.
  void Update(int64_t done);
  /// Changes the total, for work whose size becomes known as it starts (a query's scans).
  void set_total(int64_t total) { total_ = total; }
  /// Clears the bar's line.
  void Finish();

 private:
  std::string label_;
  int64_t total_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

/// True when progress should be drawn by default: stderr is a terminal.
bool StderrIsTerminal();

}  // namespace sluice::cli
