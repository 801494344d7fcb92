// Terminal progress bar: `label ━━━━━━━━━━╸───── 52% 1.2M/2.3M rows 3.1s`.
#include "cli/progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>

namespace sluice::cli {

namespace {
std::string Compact(int64_t n) {
  if (n >= 1'000'000'000) return fmt::format("{:.1f}G", static_cast<double>(n) / 1e9);
  if (n >= 1'000'000) return fmt::format("{:.1f}M", static_cast<double>(n) / 1e6);
  if (n >= 10'000) return fmt::format("{:.1f}K", static_cast<double>(n) / 1e3);
  return fmt::to_string(n);
}
}  // namespace

bool StderrIsTerminal() {
  return isatty(STDERR_FILENO) == 1;
}

ProgressBar::ProgressBar(std::string label, int64_t total, bool enabled)
    : label_(std::move(label)),
      total_(total),
      enabled_(enabled),
      start_(std::chrono::steady_clock::now()) {}

ProgressBar::~ProgressBar() {
  Finish();
}

void ProgressBar::Update(int64_t done) {
  if (!enabled_ || total_ == 0) return;
  auto now = std::chrono::steady_clock::now();
  if (drawn_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  drawn_ = true;
  if (total_ < 0) {  // Unknown total (a CSV input): count rows without a bar.
    fmt::print(stderr, "\r\033[K{} {} rows {:.1f}s", label_, Compact(done),
               std::chrono::duration<double>(now - start_).count());
    std::fflush(stderr);
    return;
  }
  double fraction = std::min(1.0, static_cast<double>(done) / static_cast<double>(total_));
  constexpr int kWidth = 30;
  int filled = static_cast<int>(fraction * kWidth);
  std::string bar;
  for (int i = 0; i < kWidth; ++i) bar += i < filled ? "━" : "─";
  double seconds = std::chrono::duration<double>(now - start_).count();
  fmt::print(stderr, "\r\033[K{} {} {:3.0f}% {}/{} rows {:.1f}s", label_, bar, fraction * 100,
             Compact(done), Compact(total_), seconds);
  std::fflush(stderr);
}

void ProgressBar::Finish() {
  if (!drawn_) return;
  fmt::print(stderr, "\r\033[K");
  std::fflush(stderr);
  drawn_ = false;
}

}  // namespace sluice::cli
