// SQL input and statement progress for `sluice query` and `sluice explain`.
#include "cli/sql_command.h"

#include <unistd.h>

#include <fstream>
#include <iostream>
#include <iterator>

#include "cli/usage_error.h"
#include "core/error.h"

namespace sluice::cli {

std::string ReadSqlText(const std::string& sql, bool sql_given, const std::string& file) {
  if (sql_given && !file.empty())
    ThrowUsage("give the SQL either as an argument or with -f, not both");
  if (sql_given) return sql;
  if (!file.empty()) {
    std::ifstream in(file, std::ios::binary);
    if (!in) ThrowIo("cannot read SQL file '{}'", file);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  if (isatty(STDIN_FILENO) == 1) {
    ThrowUsage(
        "no SQL given: pass it as an argument (sluice query \"SELECT ...\"), with -f "
        "FILE, or on stdin");
  }
  return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
}

namespace {
// A statement shorter than this never shows a bar.
constexpr std::chrono::milliseconds kBarDelay{500};
}  // namespace

void StatementProgress::Start(RunOptions& run) {
  if (!enabled_) return;
  start_ = std::chrono::steady_clock::now();
  bar_.reset();
  // The executor calls this from its reporting thread while the run lasts, then once more on the
  // calling thread after joining it, so calls never overlap.
  run.progress = [this](int64_t done, int64_t total) { Report(done, total); };
}

void StatementProgress::Report(int64_t done, int64_t total) {
  if (!bar_) {
    if (std::chrono::steady_clock::now() - start_ < kBarDelay) return;
    bar_.emplace("query", total > 0 ? total : -1, true);
  }
  bar_->set_total(total > 0 ? total : -1);
  bar_->Update(done);
}

void StatementProgress::Finish(RunOptions& run) {
  if (bar_) bar_->Finish();
  bar_.reset();
  run.progress = nullptr;
}

}  // namespace sluice::cli
