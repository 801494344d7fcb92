// `sluice explain "SQL"` (or -f FILE, or SQL on stdin): prints the optimized plan tree of each
// query (and of COPY, with its sink on top), with the predicates pushed into scans, the columns
// read and the row groups statistics skip. `--analyze` also runs each query and reports its rows
// and time; `--verbose` shows the plan before the optimizer's passes too. CREATE, DROP and SET
// statements run (silently), so that the statements after them can use what they define.
#include <fmt/format.h>

#include <cstdio>
#include <memory>

#include "cli/commands.h"
#include "cli/sql_command.h"
#include "plan/explain.h"
#include "sql/parser.h"
#include "sql/session.h"

namespace sluice::cli {

namespace {

struct ExplainOptions {
  std::string sql;
  CLI::Option* sql_option = nullptr;
  std::string file;
  bool analyze = false;
  bool verbose = false;
};

void RunExplain(const ExplainOptions& options, const GlobalOptions& global) {
  const std::string sql = ReadSqlText(options.sql, options.sql_option->count() > 0, options.file);
  sql::Session session;
  StatementProgress progress(global);
  bool first = true;
  for (const sql::Statement& statement : sql::ParseSql(sql)) {
    const bool has_plan = statement.kind == sql::StatementKind::kQuery ||
                          statement.kind == sql::StatementKind::kCopy ||
                          statement.kind == sql::StatementKind::kExplain;
    if (!has_plan) {
      session.ExecuteStatement(statement, sql);
      continue;
    }
    if (!first) fmt::print("\n");
    first = false;
    if (options.verbose && statement.kind == sql::StatementKind::kQuery) {
      fmt::print("== logical plan ==\n{}\n== optimized plan ==\n",
                 ExplainPlan(session.Bind(*statement.query, sql)));
    }
    sql::Statement explain;
    if (statement.kind == sql::StatementKind::kExplain) {
      explain = statement;
    } else {
      explain.kind = sql::StatementKind::kExplain;
      explain.pos = statement.pos;
      explain.text = statement.text;
      explain.explained = std::make_shared<sql::Statement>(statement);
    }
    explain.analyze = explain.analyze || options.analyze;
    progress.Start(session.run_options());
    sql::StatementResult result = session.ExecuteStatement(explain, sql);
    progress.Finish(session.run_options());
    fmt::print("{}", result.text);
    std::fflush(stdout);
  }
}

}  // namespace

void AddExplain(CLI::App& app, const GlobalOptions& global, Action* action) {
  auto options = std::make_shared<ExplainOptions>();
  CLI::App* command =
      app.add_subcommand("explain", "Print the optimized plan of SQL queries (run with --analyze)");
  options->sql_option = command->add_option(
      "sql", options->sql, "SQL statements, separated by ';' (default: -f FILE, else stdin)");
  command->add_option("-f,--file", options->file, "Read the SQL from this file");
  command->add_flag("--analyze", options->analyze, "Run each query and report its rows and time");
  command->add_flag("--verbose,-v", options->verbose,
                    "Also print the plan before the optimizer's passes");
  command->callback([options, &global, action] {
    *action = [options, &global] { RunExplain(*options, global); };
  });
}

}  // namespace sluice::cli
