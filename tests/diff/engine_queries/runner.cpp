// engine_diff_runner: runs the LazyFrame queries of the engine's differential test and sinks each
// result to Parquet, for tests/diff/engine_differential.mjs to compare with DuckDB.
//
// usage: engine_diff_runner DATA_DIR OUT_DIR [--threads N] [--filter REGEX] [--after NAME]
//                           [--manifest-only]
//   Writes OUT_DIR/manifest.json (every selected case: name, sql, ordered, expected_error,
//   error_contains, tolerance) before running anything, then for each case OUT_DIR/<name>.parquet,
//   and appends to OUT_DIR/progress.jsonl a line {"name", "status": "start"} before the case and
//   {"name", "status": "ok"|"error", "error", "ms"} after it (flushed at once: when the process
//   dies in a case, the last "start" names it, and the caller resumes with --after NAME).
//   Exits 0 whatever the cases did; non-zero only for bad usage.
#include <chrono>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>

#include "case.h"

namespace {

using sluice::diff::Case;
using sluice::diff::CaseList;
using sluice::diff::Tables;

struct Args {
  std::string data_dir;
  std::string out_dir;
  int threads = 0;
  std::string filter;
  std::string after;
  bool manifest_only = false;
};

bool ParseArgs(int argc, char** argv, Args& args) {
  std::vector<std::string> positional;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::invalid_argument(a + " needs a value");
      return argv[++i];
    };
    if (a == "--threads") {
      args.threads = std::stoi(value());
    } else if (a == "--filter") {
      args.filter = value();
    } else if (a == "--after") {
      args.after = value();
    } else if (a == "--manifest-only") {
      args.manifest_only = true;
    } else if (!a.empty() && a[0] == '-') {
      throw std::invalid_argument("unknown option " + a);
    } else {
      positional.push_back(a);
    }
  }
  if (positional.size() != 2) return false;
  args.data_dir = positional[0];
  args.out_dir = positional[1];
  return true;
}

CaseList AllCases() {
  CaseList list;
  sluice::diff::AddArithmeticCases(list);
  sluice::diff::AddLogicCases(list);
  sluice::diff::AddCastCases(list);
  sluice::diff::AddStringCases(list);
  sluice::diff::AddTemporalCases(list);
  sluice::diff::AddMathCases(list);
  sluice::diff::AddAggregateCases(list);
  sluice::diff::AddJoinCases(list);
  sluice::diff::AddPushdownCases(list);
  sluice::diff::AddFrameCases(list);
  return list;
}

void AppendProgress(std::ofstream& progress, const nlohmann::json& line) {
  progress << line.dump() << '\n';
  progress.flush();
}

}  // namespace

int main(int argc, char** argv) {
  Args args;
  try {
    if (!ParseArgs(argc, argv, args)) {
      std::cerr << "usage: engine_diff_runner DATA_DIR OUT_DIR [--threads N] [--filter REGEX] "
                   "[--after NAME] [--manifest-only]\n";
      return 2;
    }
  } catch (const std::exception& e) {
    std::cerr << "engine_diff_runner: " << e.what() << "\n";
    return 2;
  }
  std::filesystem::create_directories(args.out_dir);

  const CaseList list = AllCases();
  const std::regex filter(args.filter.empty() ? ".*" : args.filter);
  std::vector<const Case*> selected;
  for (const Case& c : list.cases())
    if (std::regex_search(c.name, filter)) selected.push_back(&c);

  nlohmann::json manifest = nlohmann::json::array();
  for (const Case* c : selected) {
    manifest.push_back({{"name", c->name},
                        {"sql", c->sql},
                        {"ordered", c->ordered},
                        {"expected_error", c->expect_error},
                        {"error_contains", c->error_contains},
                        {"tolerance", c->tolerance}});
  }
  std::ofstream(args.out_dir + "/manifest.json") << manifest.dump(1) << '\n';
  if (args.manifest_only) return 0;

  std::ofstream progress(args.out_dir + "/progress.jsonl", std::ios::app);
  const Tables tables(args.data_dir);
  sluice::RunOptions run;
  run.threads = args.threads;
  bool skipping = !args.after.empty();
  for (const Case* c : selected) {
    if (skipping) {
      if (c->name == args.after) skipping = false;
      continue;
    }
    AppendProgress(progress, {{"name", c->name}, {"status", "start"}});
    const std::string out = args.out_dir + "/" + c->name + ".parquet";
    std::filesystem::remove(out);
    const auto started = std::chrono::steady_clock::now();
    nlohmann::json result = {{"name", c->name}, {"status", "ok"}};
    try {
      c->build(tables).sink_parquet(out, {}, run);
    } catch (const std::exception& e) {
      // sluice::Error and anything else (a std::bad_alloc, a logic error) alike: the message is
      // what the comparison shows.
      result["status"] = "error";
      result["error"] = e.what();
    }
    result["ms"] =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count();
    AppendProgress(progress, result);
  }
  return 0;
}
