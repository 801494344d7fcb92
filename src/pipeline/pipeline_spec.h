// What a pipeline file says (DESIGN.md "pipeline/"), after parsing and validation: the sources it
// reads, the SQL models that transform them, the sinks that write models out, and the data tests
// models (and sources) must pass. pipeline_file.h reads it from TOML; the DAG, the runner, the
// manifest and `sluice graph` work from it and never see TOML.
//
// Every part remembers the line of the pipeline file it was declared on, so that a later error
// (a SQL error in a model, a failing test) can point there.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sluice::pipeline {

/// A place in the pipeline file: 1-based line and column (0 when unknown).
struct FilePos {
  int line = 0;
  int column = 0;
};

/// One check a model's (or source's) rows must pass. Each entry of the file's `tests` table
/// becomes one or more of these: `not_null = ["a", "b"]` is two tests, `unique = ["id", ["a",
/// "b"]]` one on id and one on the pair (a, b).
struct DataTestSpec {
  enum class Kind : uint8_t {
    kNotNull,         ///< columns[0] has no null.
    kUnique,          ///< No two rows share the values of `columns` (nulls are values).
    kAcceptedValues,  ///< Every non-null value of columns[0] is one of `values`.
    kRowCount,        ///< min_rows <= row count <= max_rows (each optional).
    kRelationships,   ///< Every non-null columns[0] is in `to_relation`.`to_column`.
    kExpectEmpty,     ///< `sql` (a query over sources and models) returns no rows.
  } kind = Kind::kNotNull;
  std::vector<std::string> columns;
  /// kAcceptedValues: the values as SQL literals, ready to splice into a query: strings quoted
  /// ('a''b'), numbers as written, true/false.
  std::vector<std::string> values;
  std::optional<int64_t> min_rows, max_rows;  ///< kRowCount.
  std::string to_relation, to_column;         ///< kRelationships: `to = "users.user_id"`.
  std::string sql;                            ///< kExpectEmpty.
  /// How summaries and errors name the test: "not_null(category)", "unique(a, b)",
  /// "row_count(min 1)", "relationships(user_id -> users.user_id)", "expect_empty".
  std::string label;
  FilePos pos;
};

/// `[sources.NAME]`: files every model can use as the table NAME.
struct SourceSpec {
  std::string name;
  enum class Format : uint8_t { kParquet, kCsv } format = Format::kParquet;
  /// As written, after ${VAR} expansion (the manifest records this).
  std::string path;
  /// `path` made absolute against the pipeline file's folder (what is read).
  std::string resolved_path;
  /// `options = { delim = ";", header = true }`, in file order: each value already a SQL literal
  /// ('…' strings, true/false, numbers; a table like `types = { a = "INT" }` as {'a': 'INT'}),
  /// handed to read_parquet / read_csv unchanged, so a source accepts exactly their options.
  std::vector<std::pair<std::string, std::string>> options;
  std::vector<DataTestSpec> tests;
  FilePos pos;
};

/// `[models.NAME]`: a SQL query over sources and other models.
struct ModelSpec {
  std::string name;
  std::string sql;       ///< After ${VAR} expansion.
  std::string sql_file;  ///< `file = "models/x.sql"` as written; empty for inline `sql`.
  /// Where the SQL text starts: the line of the pipeline file holding the first SQL line (inline
  /// `sql`, so a SQL error at SQL line L is at pipeline line sql_first_line + L - 1), or 1 for a
  /// `file` (then errors name the file).
  int sql_first_line = 1;
  std::vector<DataTestSpec> tests;
  FilePos pos;
};

/// `[sinks.NAME]`: where a model is written.
struct SinkSpec {
  std::string name;
  std::string model;  ///< A model (or a source) name.
  FilePos model_pos;  ///< Where `model = ...` is written.
  enum class Format : uint8_t { kParquet, kCsv } format = Format::kParquet;  ///< From the path.
  std::string path;           ///< As written, after ${VAR} expansion.
  std::string resolved_path;  ///< Absolute, against the pipeline file's folder.
  std::string compression;    ///< Empty: the writer's default (zstd for Parquet).
  std::vector<std::string> partition_by;
  std::optional<int64_t> row_group_size;  ///< Parquet rows per row group.
  // CSV sinks.
  std::optional<char> delimiter;
  std::optional<bool> header;
  FilePos pos;
};

/// `[settings]`: defaults the command line overrides.
struct SettingsSpec {
  std::optional<int> threads;               ///< 0: every core.
  std::optional<std::string> memory_limit;  ///< "60%", "4GB": as --memory-limit takes it.
  std::string temp_dir;                     ///< Spill files (as --temp-dir); "" = default.
  /// Where the run manifest goes (as written / absolute). Default: _sluice_manifest.json in the
  /// folder of the first sink declared.
  std::string manifest;
  std::string resolved_manifest;
};

struct PipelineSpec {
  std::string name;
  std::string file;       ///< The pipeline file, as given on the command line.
  std::string folder;     ///< Its folder, absolute: relative paths are resolved against it.
  std::string file_hash;  ///< XXH3-64 of the file's bytes, 16 hex digits.
  /// The --var values and environment variables the file used, by name: part of what a run's
  /// results depend on (the manifest records them).
  std::map<std::string, std::string> variables_used;
  SettingsSpec settings;
  std::vector<SourceSpec> sources;  ///< In file order.
  std::vector<ModelSpec> models;    ///< In file order.
  std::vector<SinkSpec> sinks;      ///< In file order.
};

}  // namespace sluice::pipeline
