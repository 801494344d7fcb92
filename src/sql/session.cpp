// The SQL session: runs parsed statements in order against its catalog. Queries collect their
// rows; views store bound plans; tables keep their rows in memory; DROP removes; SET changes how
// later statements run. COPY and EXPLAIN live in session_copy.cpp and session_explain.cpp.
#include "sql/session.h"

#include <algorithm>
#include <cctype>
#include <memory>

#include "core/error.h"
#include "core/memory_pool.h"
#include "core/memory_size.h"
#include "core/schema.h"
#include "io/fs/spill_directory.h"
#include "sql/binder.h"
#include "sql/option_value.h"
#include "sql/parser.h"
#include "sql/session_statements.h"
#include "sql/sql_error.h"

namespace sluice::sql {

namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

const char* KindName(Catalog::Kind kind) {
  return kind == Catalog::Kind::kView ? "view" : "table";
}

const char* StatementName(StatementKind kind) {
  switch (kind) {
    case StatementKind::kQuery: return "a query";
    case StatementKind::kCreateView: return "CREATE VIEW";
    case StatementKind::kCreateTable: return "CREATE TABLE";
    case StatementKind::kDrop: return "DROP";
    case StatementKind::kCopy: return "COPY";
    case StatementKind::kExplain: return "EXPLAIN";
    case StatementKind::kSet: return "SET";
  }
  return "a statement";
}

/// `CREATE VIEW v(a, b) AS ...`: the first columns take the given names, as in DuckDB.
PlanPtr RenameColumns(const PlanPtr& plan, const Statement& statement, std::string_view sql) {
  const auto& aliases = statement.column_aliases;
  if (aliases.empty()) return plan;
  const Schema& schema = *plan->schema;
  if (aliases.size() > schema.size()) {
    ThrowSqlError(sql, statement.pos,
                  fmt::format("\"{}\" names {} columns but its query has {}", statement.name,
                              aliases.size(), schema.size()));
  }
  std::vector<std::pair<std::string, std::string>> renames;
  for (size_t i = 0; i < aliases.size(); ++i) {
    if (schema.field(i).name != aliases[i]) renames.emplace_back(schema.field(i).name, aliases[i]);
  }
  if (renames.empty()) return plan;
  return LazyFrame(plan).rename(renames).plan();
}

/// An existing entry of another kind cannot be replaced or dropped by this statement's kind.
void CheckKind(const Catalog::Entry& entry, Catalog::Kind kind, std::string_view verb,
               const Statement& statement, std::string_view sql) {
  if (entry.kind == kind) return;
  ThrowSqlError(
      sql, statement.pos,
      fmt::format("\"{}\" is a {}, not a {}; use {} {}", entry.name, KindName(entry.kind),
                  KindName(kind), verb, entry.kind == Catalog::Kind::kView ? "VIEW" : "TABLE"));
}

}  // namespace

Session::Session(RunOptions run) : run_(std::move(run)) {}

std::vector<StatementResult> Session::Execute(std::string_view sql) {
  std::vector<StatementResult> results;
  for (const Statement& statement : ParseSql(sql)) results.push_back(Run(statement, sql));
  return results;
}

PlanPtr Session::PlanQuery(std::string_view sql) {
  std::vector<Statement> statements = ParseSql(sql);
  if (statements.empty()) ThrowInvalid("no query given: the SQL text holds no statement");
  if (statements.size() > 1) {
    ThrowSqlError(sql, statements[1].pos,
                  fmt::format("expected one query, found {} statements", statements.size()));
  }
  if (statements[0].kind != StatementKind::kQuery) {
    ThrowSqlError(sql, statements[0].pos,
                  fmt::format("expected a query, found {}", StatementName(statements[0].kind)));
  }
  return Bind(*statements[0].query, sql);
}

StatementResult Session::ExecuteStatement(const Statement& statement, std::string_view sql) {
  return Run(statement, sql);
}

PlanPtr Session::Bind(const Query& query, std::string_view sql) const {
  return BindQuery(query, catalog_, sql);
}

StatementResult Session::Run(const Statement& statement, std::string_view sql) {
  StatementResult result;
  switch (statement.kind) {
    case StatementKind::kQuery: {
      result.kind = StatementResult::Kind::kRows;
      result.rows = LazyFrame(Bind(*statement.query, sql)).collect(run_);
      return result;
    }

    case StatementKind::kCreateView:
    case StatementKind::kCreateTable: {
      const bool view = statement.kind == StatementKind::kCreateView;
      const Catalog::Kind kind = view ? Catalog::Kind::kView : Catalog::Kind::kTable;
      const char* what = view ? "VIEW" : "TABLE";
      if (const Catalog::Entry* existing = catalog_.Find(statement.name)) {
        if (statement.if_not_exists) {
          result.text = fmt::format("CREATE {} {} (exists)", what, statement.name);
          return result;
        }
        if (statement.or_replace) CheckKind(*existing, kind, "CREATE OR REPLACE", statement, sql);
      }
      Catalog::Entry entry;
      entry.kind = kind;
      entry.name = statement.name;
      // Bound before the entry is put, so `CREATE OR REPLACE VIEW v AS SELECT ... FROM v` reads
      // the old v.
      PlanPtr plan = RenameColumns(Bind(*statement.query, sql), statement, sql);
      if (view) {
        entry.plan = std::move(plan);
        result.text = fmt::format("CREATE VIEW {}", statement.name);
      } else {
        auto rows = std::make_shared<DataFrame>(LazyFrame(plan).collect(run_));
        int64_t count = rows->num_rows();
        result.row_count = count;
        entry.plan = MakeMemoryScan(std::move(rows));
        result.text =
            fmt::format("CREATE TABLE {} ({} row{})", statement.name, count, count == 1 ? "" : "s");
      }
      catalog_.Put(std::move(entry), statement.or_replace);
      return result;
    }

    case StatementKind::kDrop: {
      const Catalog::Kind kind = statement.is_view ? Catalog::Kind::kView : Catalog::Kind::kTable;
      const Catalog::Entry* existing = catalog_.Find(statement.name);
      if (existing == nullptr) {
        if (statement.if_exists) {
          result.text = fmt::format("DROP {} {} (none)", statement.is_view ? "VIEW" : "TABLE",
                                    statement.name);
          return result;
        }
        std::string message =
            fmt::format("{} \"{}\" does not exist", KindName(kind), statement.name);
        if (auto closest = ClosestName(statement.name, catalog_.Names())) {
          message += fmt::format("; did you mean \"{}\"?", *closest);
        }
        ThrowSqlError(sql, statement.pos, message);
      }
      CheckKind(*existing, kind, "DROP", statement, sql);
      result.text = fmt::format("DROP {} {}", statement.is_view ? "VIEW" : "TABLE", existing->name);
      catalog_.Drop(statement.name);
      return result;
    }

    case StatementKind::kCopy: return RunCopy(statement, sql, catalog_, run_);

    case StatementKind::kExplain: return RunExplain(statement, sql, catalog_, run_);

    case StatementKind::kSet: {
      if (statement.value == nullptr) {
        ThrowSqlError(sql, statement.pos, fmt::format("SET {} needs a value", statement.name));
      }
      const AstExpr& value = *statement.value;
      std::string name = Lower(statement.name);
      if (name == "threads" || name == "worker_threads") {
        run_.threads = static_cast<int>(OptionInteger(value, "threads", sql, 0));
        result.text = fmt::format("SET threads = {}", run_.threads);
      } else if (name == "memory_limit" || name == "max_memory") {
        std::string text = OptionText(value, "memory_limit", sql);
        int64_t bytes = 0;
        try {
          bytes = ParseMemorySize(text);
        } catch (const Error& error) {
          ThrowSqlError(sql, value.pos, fmt::format("memory_limit {}", error.what()));
        }
        // The budget is the pool's (as --memory-limit sets it): every run of this session, and
        // the writers that charge the default pool, stay within it.
        (run_.pool != nullptr ? run_.pool : MemoryPool::Default())->SetMemoryLimit(bytes);
        result.text = fmt::format("SET memory_limit = '{}'", text);
      } else if (name == "temp_directory") {
        std::string text = OptionText(value, "temp_directory", sql);
        if (text.empty()) ThrowSqlError(sql, value.pos, "temp_directory must not be empty");
        io::SpillDirectory::Get().SetBase(text);
        result.text = fmt::format("SET temp_directory = '{}'", text);
      } else {
        std::string message = fmt::format("unknown setting \"{}\"", statement.name);
        static const std::vector<std::string> kSettings = {
            "threads", "memory_limit", "temp_directory", "worker_threads", "max_memory"};
        if (auto closest = ClosestName(name, kSettings)) {
          message += fmt::format("; did you mean \"{}\"?", *closest);
        } else {
          message += "; the settings are threads, memory_limit and temp_directory";
        }
        ThrowSqlError(sql, statement.pos, message);
      }
      return result;
    }
  }
  ThrowInternal("unknown statement kind {}", static_cast<int>(statement.kind));
}

}  // namespace sluice::sql
