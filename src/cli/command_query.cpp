// `sluice query "SQL"` (or -f FILE, or SQL on stdin): runs the statements in order and prints each
// query's rows as a box table like DuckDB's shell (or CSV, JSON, JSON Lines, Markdown), EXPLAIN's
// plans on stdout, and what COPY and CREATE TABLE did on stderr. `--output FILE` writes the last
// query's rows to a Parquet, CSV or JSON file instead, streaming them for Parquet and CSV.
#include <fmt/format.h>

#include <cctype>
#include <cstdint>
#include <cstdio>

#include "cli/commands.h"
#include "cli/result_format.h"
#include "cli/sql_command.h"
#include "cli/usage_error.h"
#include "sql/parser.h"
#include "sql/session.h"

namespace sluice::cli {

namespace {

struct QueryOptions {
  std::string sql;
  CLI::Option* sql_option = nullptr;
  std::string file;
  std::string format = "box";
  std::string output;
  int64_t max_rows = 40;
};

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

/// --output names its format by extension; checked before anything runs.
void CheckOutputName(const std::string& path) {
  std::string lower = path;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const char* extension : {".parquet", ".csv", ".tsv", ".json", ".ndjson", ".jsonl"}) {
    if (EndsWith(lower, extension)) return;
  }
  ThrowUsage("--output '{}' has no known extension; use .parquet, .csv, .tsv or .json", path);
}

void PrintResult(const sql::Statement& statement, const sql::StatementResult& result,
                 ResultFormat format, const TableOptions& table, const GlobalOptions& global) {
  switch (result.kind) {
    case sql::StatementResult::Kind::kRows:
      fmt::print("{}", RenderResult(result.rows, format, table));
      break;
    case sql::StatementResult::Kind::kPlan: fmt::print("{}", result.text); break;
    case sql::StatementResult::Kind::kMessage:
      // Like DuckDB's shell, CREATE VIEW, DROP and SET succeed silently; what wrote or stored
      // rows says how many, on stderr so that stdout stays the query results.
      if (!global.quiet && (statement.kind == sql::StatementKind::kCopy ||
                            statement.kind == sql::StatementKind::kCreateTable)) {
        std::fflush(stdout);
        fmt::print(stderr, "{}\n", result.text);
      }
      break;
  }
  std::fflush(stdout);
}

void RunQuery(const QueryOptions& options, const GlobalOptions& global) {
  const ResultFormat format = ParseResultFormat(options.format);
  if (!options.output.empty()) CheckOutputName(options.output);
  const std::string sql = ReadSqlText(options.sql, options.sql_option->count() > 0, options.file);
  const std::vector<sql::Statement> statements = sql::ParseSql(sql);

  // With --output, the last query writes to the file; earlier ones print as usual.
  size_t output_index = statements.size();
  if (!options.output.empty()) {
    for (size_t i = statements.size(); i-- > 0;) {
      if (statements[i].kind == sql::StatementKind::kQuery) {
        output_index = i;
        break;
      }
    }
    if (output_index == statements.size()) ThrowUsage("--output needs a query to write");
  }

  TableOptions table;
  table.max_rows = options.max_rows > 0 ? options.max_rows : INT64_MAX;
  sql::Session session;
  StatementProgress progress(global);
  for (size_t i = 0; i < statements.size(); ++i) {
    const sql::Statement& statement = statements[i];
    progress.Start(session.run_options());
    if (i == output_index) {
      // COPY's machinery: the format from the extension, streaming, atomic, rows counted.
      sql::Statement copy;
      copy.kind = sql::StatementKind::kCopy;
      copy.pos = statement.pos;
      copy.text = statement.text;
      copy.query = statement.query;
      copy.path = options.output;
      sql::StatementResult result = session.ExecuteStatement(copy, sql);
      progress.Finish(session.run_options());
      if (!global.quiet) {
        fmt::print(stderr, "wrote {} row{} to '{}'\n", result.row_count,
                   result.row_count == 1 ? "" : "s", options.output);
      }
      continue;
    }
    sql::StatementResult result = session.ExecuteStatement(statement, sql);
    progress.Finish(session.run_options());
    PrintResult(statement, result, format, table, global);
  }
}

}  // namespace

void AddQuery(CLI::App& app, const GlobalOptions& global, Action* action) {
  auto options = std::make_shared<QueryOptions>();
  CLI::App* command = app.add_subcommand(
      "query", "Run SQL: queries print their rows; also CREATE VIEW/TABLE, COPY, EXPLAIN, SET");
  options->sql_option = command->add_option(
      "sql", options->sql, "SQL statements, separated by ';' (default: -f FILE, else stdin)");
  command->add_option("-f,--file", options->file, "Read the SQL from this file");
  command->add_option("--format", options->format,
                      "box (default; also 'table'), csv, json, jsonl or markdown");
  command->add_option("--output,-o", options->output,
                      "Write the last query's rows to this .parquet, .csv or .json file");
  command
      ->add_option("--max-rows", options->max_rows,
                   "Rows a box table shows before eliding the middle (default 40, 0 = all)")
      ->check(CLI::NonNegativeNumber);
  command->callback(
      [options, &global, action] { *action = [options, &global] { RunQuery(*options, global); }; });
}

}  // namespace sluice::cli
