// The subcommands of `sluice`: each registers its options on the CLI11 app and runs when chosen.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace sluice::cli {

/// Options shared by every subcommand.
struct GlobalOptions {
  int threads = 0;
  std::string memory_limit;
  std::string temp_dir;  ///< Where spill files go; empty: $TMPDIR/sluice.
  bool quiet = false;
  bool progress = false;     ///< --progress forces the bar.
  bool no_progress = false;  ///< --no-progress hides it.

  bool ShowProgress() const;
};

/// Each Add* registers a subcommand; the returned action runs it (after parsing).
using Action = std::function<void()>;
void AddConvert(CLI::App& app, const GlobalOptions& global, Action* action);
void AddSchema(CLI::App& app, const GlobalOptions& global, Action* action);
void AddHead(CLI::App& app, const GlobalOptions& global, Action* action);
void AddGenerate(CLI::App& app, const GlobalOptions& global, Action* action);
void AddQuery(CLI::App& app, const GlobalOptions& global, Action* action);
void AddExplain(CLI::App& app, const GlobalOptions& global, Action* action);
void AddRun(CLI::App& app, const GlobalOptions& global, Action* action);
void AddGraph(CLI::App& app, const GlobalOptions& global, Action* action);

/// `--var KEY=VALUE` options (run, graph) as a map; a usage error for anything else.
std::map<std::string, std::string> ParseVarOptions(const std::vector<std::string>& vars);

}  // namespace sluice::cli
