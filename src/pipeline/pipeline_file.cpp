// Reading and validating pipeline files (see pipeline_file.h): the top level, [settings],
// [sources.*], [models.*] and [sinks.*], then the checks that need every name at once (sinks
// and relationships naming relations that exist, no model shadowing a source, no two sinks
// writing one path) and the defaults that depend on the whole file (the manifest's place).
#include "pipeline/pipeline_file.h"

#include <fmt/format.h>
#include <xxhash.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "core/error.h"
#include "core/memory_size.h"
#include "core/schema.h"
#include "io/compress/codec.h"
#include "io/csv/reader.h"
#include "pipeline/pipeline_file_tests.h"
#include "pipeline/toml_reader.h"
#include "pipeline/variables.h"

namespace sluice::pipeline {

namespace {

namespace fs = std::filesystem;

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool EndsWithNoCase(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && Lower(text.substr(text.size() - suffix.size())) == suffix;
}

/// The last component of a path ("events/*.parquet" -> "*.parquet"; "out/" -> "").
std::string_view LastComponent(std::string_view path) {
  const size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string WithoutTrailingSlash(std::string path) {
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return path;
}

/// Reads a whole file; nullopt (with errno set) when it cannot be read.
std::optional<std::string> ReadWholeFile(const std::string& path) {
  std::error_code error;
  if (fs::is_directory(path, error)) {
    errno = EISDIR;
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return std::nullopt;
  return bytes;
}

class PipelineReader {
 public:
  PipelineReader(std::string_view text, const std::string& file, const std::string& folder,
                 const std::map<std::string, std::string>& vars, const GetEnvFunction& getenv)
      : text_(text), variables_(vars, getenv), r_(text, file, &variables_) {
    spec_.file = file;
    std::error_code error;
    fs::path absolute = fs::path(folder);
    if (absolute.is_relative()) absolute = fs::absolute(absolute, error);
    spec_.folder = WithoutTrailingSlash(absolute.lexically_normal().string());
  }

  PipelineSpec Read() {
    toml::table root = Parse();
    spec_.file_hash = fmt::format("{:016x}", XXH3_64bits(text_.data(), text_.size()));
    r_.CheckKeys(root, {"name", "settings", "sources", "models", "sinks"}, "the top level");
    if (const toml::node* name = root.get("name")) {
      spec_.name = r_.String(*name, "name");
      if (spec_.name.empty()) r_.Fail(PosOf(*name), "name must not be empty");
    } else {
      spec_.name = fs::path(spec_.file).stem().string();
    }
    if (const toml::node* settings = root.get("settings")) ReadSettings(*settings);
    ForEachEntry(root, "sources",
                 [&](const std::string& name, const toml::key& key, const toml::table& table) {
                   ReadSource(name, key, table);
                 });
    ForEachEntry(root, "models",
                 [&](const std::string& name, const toml::key& key, const toml::table& table) {
                   ReadModel(name, key, table);
                 });
    ForEachEntry(root, "sinks",
                 [&](const std::string& name, const toml::key& key, const toml::table& table) {
                   ReadSink(name, key, table);
                 });
    CheckNames();
    CheckSinks();
    CheckRelationships();
    DefaultManifest();
    spec_.variables_used = variables_.used();
    return std::move(spec_);
  }

 private:
  toml::table Parse() {
    try {
      return toml::parse(text_, std::string_view(spec_.file));
    } catch (const toml::parse_error& error) {
      std::string_view description = error.description();
      // toml++ says "Error while parsing key-value pair: ..."; the prefix adds nothing.
      if (description.starts_with("Error while parsing ")) description.remove_prefix(20);
      r_.Fail(PosOf(error.source()), fmt::format("invalid TOML: {}", description));
    }
  }

  /// Calls `read` for each member of the top-level table `section` ([sources.NAME] ...) in file
  /// order, after checking that it is a table with a valid name.
  template <typename Read>
  void ForEachEntry(const toml::table& root, std::string_view section, Read read) {
    const toml::node* node = root.get(section);
    if (node == nullptr) return;
    if (!node->is_table()) {
      r_.Fail(PosOf(*node), fmt::format("{} must be a table of [{}.NAME] tables, not {}", section,
                                        section, TypeName(*node)));
    }
    for (const auto& [key, value] : InFileOrder(*node->as_table())) {
      const std::string name(key->str());
      const std::string where = fmt::format("[{}.{}]", section, name);
      if (!IsSqlIdentifier(name)) {
        r_.Fail(PosOf(*key), fmt::format("{}: \"{}\" is not a valid name; use letters, digits "
                                         "and _, not starting with a digit",
                                         where, name));
      }
      if (!value->is_table()) {
        r_.Fail(PosOf(*value), fmt::format("{} must be a table (write {} and its keys below it), "
                                           "not {}",
                                           where, where, TypeName(*value)));
      }
      read(name, *key, *value->as_table());
    }
  }

  /// Where a [section.NAME] table is declared: its header, or its key when it has none.
  static FilePos TablePos(const toml::key& key, const toml::table& table) {
    const FilePos pos = PosOf(table);
    return pos.line > 0 ? pos : PosOf(key);
  }

  std::string Resolve(const std::string& path) const {
    const fs::path written(path);
    return (written.is_absolute() ? written : fs::path(spec_.folder) / written)
        .lexically_normal()
        .string();
  }

  /// An expanded, non-empty path value.
  std::string PathValue(const toml::node& node, const std::string& where) {
    std::string path = r_.ExpandedString(node, where + " path");
    if (path.empty()) r_.Fail(PosOf(node), fmt::format("{} path is empty", where));
    return path;
  }

  void ReadSettings(const toml::node& node) {
    const toml::table& table = r_.Table(node, "[settings]");
    r_.CheckKeys(table, {"threads", "memory_limit", "temp_dir", "manifest"}, "[settings]");
    SettingsSpec& settings = spec_.settings;
    if (const toml::node* threads = table.get("threads")) {
      const int64_t value = r_.Integer(*threads, "[settings] threads");
      if (value < 0 || value > 65536) {
        r_.Fail(PosOf(*threads), fmt::format("[settings] threads is {}; use 0 (every core) or a "
                                             "number of threads",
                                             value));
      }
      settings.threads = static_cast<int>(value);
    }
    if (const toml::node* limit = table.get("memory_limit")) {
      std::string text;
      if (limit->is_integer()) {
        text = fmt::format("{}", limit->as_integer()->get());
      } else if (limit->is_string()) {
        text = limit->as_string()->get();
      } else {
        r_.Fail(PosOf(*limit), fmt::format("[settings] memory_limit must be a string like \"4GB\" "
                                           "or \"60%\", not {}",
                                           TypeName(*limit)));
      }
      try {
        ParseMemorySize(text);
      } catch (const Error& error) {
        r_.Fail(PosOf(*limit), fmt::format("[settings] memory_limit: {}", error.what()));
      }
      settings.memory_limit = text;
    }
    if (const toml::node* temp_dir = table.get("temp_dir")) {
      settings.temp_dir = r_.ExpandedString(*temp_dir, "[settings] temp_dir");
      if (settings.temp_dir.empty()) r_.Fail(PosOf(*temp_dir), "[settings] temp_dir is empty");
      settings.temp_dir = Resolve(settings.temp_dir);
    }
    if (const toml::node* manifest = table.get("manifest")) {
      settings.manifest = r_.ExpandedString(*manifest, "[settings] manifest");
      if (settings.manifest.empty()) r_.Fail(PosOf(*manifest), "[settings] manifest is empty");
      settings.resolved_manifest = Resolve(settings.manifest);
    }
  }

  void ReadSource(const std::string& name, const toml::key& key, const toml::table& table) {
    const std::string where = fmt::format("[sources.{}]", name);
    r_.CheckKeys(table, {"path", "format", "options", "tests"}, where);
    SourceSpec& source = spec_.sources.emplace_back();
    source.name = name;
    source.pos = TablePos(key, table);
    const toml::node* path = table.get("path");
    if (path == nullptr) r_.Fail(source.pos, fmt::format("{} needs a path", where));
    source.path = PathValue(*path, where);
    source.resolved_path = Resolve(source.path);
    if (const toml::node* format = table.get("format")) {
      source.format = FormatValue<SourceSpec::Format>(*format, where);
    } else {
      source.format = SourceFormatOf(source, *path, where);
    }
    if (const toml::node* options = table.get("options")) {
      const std::string what = where + " options";
      for (const auto& [option, value] : InFileOrder(r_.Table(*options, what))) {
        const std::string option_name(option->str());
        if (!IsSqlIdentifier(option_name)) {
          r_.Fail(PosOf(*option),
                  fmt::format("{}: \"{}\" is not an option name", what, option_name));
        }
        source.options.emplace_back(option_name,
                                    r_.SqlLiteral(*value, fmt::format("{}.{}", what, option_name)));
      }
    }
    if (const toml::node* tests = table.get("tests")) {
      source.tests = ReadDataTests(r_, *tests, where);
    }
  }

  template <typename Format>
  Format FormatValue(const toml::node& node, const std::string& where) {
    const std::string format = Lower(r_.String(node, where + " format"));
    if (format == "parquet") return Format::kParquet;
    if (format == "csv") return Format::kCsv;
    r_.Fail(PosOf(node), fmt::format("{} format is \"{}\"; use \"parquet\" or \"csv\"", where,
                                     r_.String(node, where)));
  }

  /// A source's format from its path: .parquet files and globs, CSV names (.csv, .tsv, .txt,
  /// maybe .gz or .zst), and folders (read as Parquet, hive partitions included).
  SourceSpec::Format SourceFormatOf(const SourceSpec& source, const toml::node& path,
                                    const std::string& where) {
    const std::string_view last = LastComponent(source.path);
    if (EndsWithNoCase(last, ".parquet")) return SourceSpec::Format::kParquet;
    if (io::csv::IsCsvPath(last)) return SourceSpec::Format::kCsv;
    std::error_code error;
    if (last.find('.') == std::string_view::npos || fs::is_directory(source.resolved_path, error)) {
      return SourceSpec::Format::kParquet;
    }
    r_.Fail(PosOf(path), fmt::format("{} cannot tell the format of \"{}\" from its name; name "
                                     "files .parquet or .csv, or set format = \"parquet\" or "
                                     "format = \"csv\"",
                                     where, source.path));
  }

  void ReadModel(const std::string& name, const toml::key& key, const toml::table& table) {
    const std::string where = fmt::format("[models.{}]", name);
    r_.CheckKeys(table, {"sql", "file", "tests"}, where);
    ModelSpec& model = spec_.models.emplace_back();
    model.name = name;
    model.pos = TablePos(key, table);
    const toml::node* sql = table.get("sql");
    const toml::node* file = table.get("file");
    if (sql != nullptr && file != nullptr) {
      const FilePos second = Before(PosOf(*sql), PosOf(*file)) ? PosOf(*file) : PosOf(*sql);
      r_.Fail(second, fmt::format("{} has both sql and file; keep one", where));
    }
    if (sql != nullptr) {
      model.sql = r_.ExpandedString(*sql, where + " sql");
      model.sql_first_line = r_.StringStart(*sql).line;
      if (model.sql.find_first_not_of(" \t\r\n") == std::string::npos) {
        r_.Fail(PosOf(*sql), fmt::format("{} sql is empty", where));
      }
    } else if (file != nullptr) {
      model.sql_file = r_.ExpandedString(*file, where + " file");
      if (model.sql_file.empty()) r_.Fail(PosOf(*file), fmt::format("{} file is empty", where));
      const std::string resolved = Resolve(model.sql_file);
      // A device or pipe (`file = "/dev/zero"`) could be read forever.
      std::error_code error;
      const fs::file_status status = fs::status(resolved, error);
      if (fs::exists(status) && !fs::is_directory(status) && !fs::is_regular_file(status)) {
        r_.Fail(PosOf(*file), fmt::format("{} file \"{}\" ({}) is not a regular file", where,
                                          model.sql_file, resolved));
      }
      std::optional<std::string> text = ReadWholeFile(resolved);
      if (!text) {
        r_.Fail(PosOf(*file), fmt::format("{} cannot read file \"{}\" ({}): {}", where,
                                          model.sql_file, resolved, std::strerror(errno)));
      }
      model.sql = variables_.Expand(*text, model.sql_file, FilePos{1, 1});
      model.sql_first_line = 1;
      if (model.sql.find_first_not_of(" \t\r\n") == std::string::npos) {
        r_.Fail(PosOf(*file), fmt::format("{} file \"{}\" is empty", where, model.sql_file));
      }
    } else {
      r_.Fail(model.pos, fmt::format("{} needs sql = \"SELECT ...\" or file = \"models/{}.sql\"",
                                     where, name));
    }
    if (const toml::node* tests = table.get("tests")) {
      model.tests = ReadDataTests(r_, *tests, where);
    }
  }

  void ReadSink(const std::string& name, const toml::key& key, const toml::table& table) {
    const std::string where = fmt::format("[sinks.{}]", name);
    r_.CheckKeys(table,
                 {"model", "path", "format", "compression", "partition_by", "row_group_size",
                  "delimiter", "header"},
                 where);
    SinkSpec& sink = spec_.sinks.emplace_back();
    sink.name = name;
    sink.pos = TablePos(key, table);
    const toml::node* model = table.get("model");
    if (model == nullptr) r_.Fail(sink.pos, fmt::format("{} needs a model", where));
    sink.model = r_.String(*model, where + " model");
    sink.model_pos = PosOf(*model);
    const toml::node* path = table.get("path");
    if (path == nullptr) r_.Fail(sink.pos, fmt::format("{} needs a path", where));
    sink.path = PathValue(*path, where);
    sink.resolved_path = Resolve(sink.path);
    sink_path_pos_.push_back(PosOf(*path));

    if (const toml::node* partition_by = table.get("partition_by")) {
      const std::string what = where + " partition_by";
      for (const toml::node& column : r_.Array(*partition_by, what)) {
        const std::string& column_name = r_.String(column, what + " entries");
        if (column_name.empty()) {
          r_.Fail(PosOf(column), fmt::format("{} has an empty column name", what));
        }
        if (std::find(sink.partition_by.begin(), sink.partition_by.end(), column_name) !=
            sink.partition_by.end()) {
          r_.Fail(PosOf(column), fmt::format("{} lists \"{}\" twice", what, column_name));
        }
        sink.partition_by.push_back(column_name);
      }
    }
    if (const toml::node* format = table.get("format")) {
      sink.format = FormatValue<SinkSpec::Format>(*format, where);
    } else {
      sink.format = SinkFormatOf(sink, *path, where);
    }
    const bool csv = sink.format == SinkSpec::Format::kCsv;
    if (csv && EndsWithNoCase(sink.path, ".tsv")) sink.delimiter = '\t';

    if (const toml::node* compression = table.get("compression")) {
      sink.compression = Lower(r_.String(*compression, where + " compression"));
      if (csv) {
        if (sink.compression != "none" && sink.compression != "uncompressed") {
          r_.Fail(PosOf(*compression),
                  fmt::format("{} compression \"{}\" is not available for CSV sinks, which are "
                              "written uncompressed; use \"none\" or write Parquet",
                              where, sink.compression));
        }
      } else {
        try {
          io::ParseCodec(sink.compression);
        } catch (const Error&) {
          r_.Fail(PosOf(*compression),
                  fmt::format("{} compression \"{}\" is not a Parquet codec; use zstd, snappy, "
                              "gzip, lz4, lz4_raw, brotli or none",
                              where, sink.compression));
        }
      }
    }
    if (const toml::node* size = table.get("row_group_size")) {
      const int64_t rows = r_.Integer(*size, where + " row_group_size");
      if (csv) {
        r_.Fail(PosOf(*size),
                fmt::format("{} row_group_size applies to Parquet sinks only", where));
      }
      if (rows <= 0) {
        r_.Fail(PosOf(*size),
                fmt::format("{} row_group_size must be positive, not {}", where, rows));
      }
      sink.row_group_size = rows;
    }
    if (const toml::node* delimiter = table.get("delimiter")) {
      const std::string& text = r_.String(*delimiter, where + " delimiter");
      if (!csv) {
        r_.Fail(PosOf(*delimiter), fmt::format("{} delimiter applies to CSV sinks only", where));
      }
      if (text.size() != 1 || text[0] == '\n' || text[0] == '\r' || text[0] == '"') {
        r_.Fail(PosOf(*delimiter),
                fmt::format("{} delimiter must be one character other than a quote or a line "
                            "break, e.g. \",\" or \"\\t\"",
                            where));
      }
      sink.delimiter = text[0];
    }
    if (const toml::node* header = table.get("header")) {
      const bool value = r_.Boolean(*header, where + " header");
      if (!csv) r_.Fail(PosOf(*header), fmt::format("{} header applies to CSV sinks only", where));
      sink.header = value;
    }
  }

  /// A sink's format from its path: *.parquet, *.csv or *.tsv; a partitioned sink writes a
  /// folder, Parquet unless its name says CSV.
  SinkSpec::Format SinkFormatOf(const SinkSpec& sink, const toml::node& path,
                                const std::string& where) {
    const std::string_view last = LastComponent(sink.path);
    if (EndsWithNoCase(last, ".parquet")) return SinkSpec::Format::kParquet;
    if (EndsWithNoCase(last, ".csv") || EndsWithNoCase(last, ".tsv")) {
      return SinkSpec::Format::kCsv;
    }
    for (std::string_view compressed : {".csv.gz", ".csv.zst", ".tsv.gz", ".tsv.zst"}) {
      if (EndsWithNoCase(last, compressed)) {
        r_.Fail(PosOf(path), fmt::format("{} path \"{}\": compressed CSV output is not supported; "
                                         "write .csv or .parquet",
                                         where, sink.path));
      }
    }
    if (!sink.partition_by.empty() && last.find('.') == std::string_view::npos) {
      return SinkSpec::Format::kParquet;
    }
    r_.Fail(PosOf(path), fmt::format("{} path \"{}\" must end in .parquet or .csv (or set format "
                                     "= \"parquet\" or \"csv\")",
                                     where, sink.path));
  }

  /// Every relation name must be unique: a model cannot take a source's name, since SQL could
  /// not tell which one `FROM name` means.
  void CheckNames() {
    for (const ModelSpec& model : spec_.models) {
      for (const SourceSpec& source : spec_.sources) {
        if (source.name == model.name) {
          r_.Fail(model.pos, fmt::format("[models.{}] has the same name as [sources.{}] (line {}); "
                                         "rename one",
                                         model.name, source.name, source.pos.line));
        }
      }
    }
  }

  std::vector<std::string> RelationNames() const {
    std::vector<std::string> names;
    for (const SourceSpec& source : spec_.sources) names.push_back(source.name);
    for (const ModelSpec& model : spec_.models) names.push_back(model.name);
    return names;
  }

  bool IsRelation(const std::string& name) const {
    const std::vector<std::string> names = RelationNames();
    return std::find(names.begin(), names.end(), name) != names.end();
  }

  std::string DidYouMean(const std::string& name) const {
    if (auto suggestion = ClosestName(name, RelationNames())) {
      return fmt::format("; did you mean \"{}\"?", *suggestion);
    }
    return "";
  }

  void CheckSinks() {
    std::map<std::string, size_t> by_path;
    for (size_t i = 0; i < spec_.sinks.size(); ++i) {
      const SinkSpec& sink = spec_.sinks[i];
      if (!IsRelation(sink.model)) {
        r_.Fail(sink.model_pos, fmt::format("[sinks.{}] model \"{}\" is not a model or source{}",
                                            sink.name, sink.model, DidYouMean(sink.model)));
      }
      auto [it, inserted] = by_path.emplace(WithoutTrailingSlash(sink.resolved_path), i);
      if (!inserted) {
        const SinkSpec& first = spec_.sinks[it->second];
        r_.Fail(
            sink_path_pos_[i],
            fmt::format("[sinks.{}] writes \"{}\", as [sinks.{}] (line {}) does; give each sink "
                        "its own path",
                        sink.name, sink.path, first.name, first.pos.line));
      }
    }
  }

  void CheckRelationships() {
    auto check = [&](const std::vector<DataTestSpec>& tests, const std::string& owner) {
      for (const DataTestSpec& test : tests) {
        if (test.kind != DataTestSpec::Kind::kRelationships || IsRelation(test.to_relation)) {
          continue;
        }
        r_.Fail(test.pos, fmt::format("{} tests.relationships.{}: \"{}\" is not a model or "
                                      "source{}",
                                      owner, test.columns[0], test.to_relation,
                                      DidYouMean(test.to_relation)));
      }
    };
    for (const SourceSpec& source : spec_.sources)
      check(source.tests, "[sources." + source.name + "]");
    for (const ModelSpec& model : spec_.models) check(model.tests, "[models." + model.name + "]");
  }

  /// Without [settings] manifest, the manifest goes beside the outputs: in the folder of the
  /// first sink in the file (or the pipeline's folder when there is none).
  void DefaultManifest() {
    SettingsSpec& settings = spec_.settings;
    if (!settings.manifest.empty()) return;
    const SinkSpec* first = nullptr;
    for (const SinkSpec& sink : spec_.sinks) {
      if (first == nullptr || Before(sink.pos, first->pos)) first = &sink;
    }
    fs::path folder;
    if (first != nullptr) folder = fs::path(WithoutTrailingSlash(first->path)).parent_path();
    settings.manifest = (folder / "_sluice_manifest.json").lexically_normal().string();
    settings.resolved_manifest = Resolve(settings.manifest);
  }

  std::string_view text_;
  VariableExpander variables_;
  TomlReader r_;
  PipelineSpec spec_;
  std::vector<FilePos> sink_path_pos_;  ///< Where each sink's path is written.
};

}  // namespace

std::optional<std::string> GetEnvironmentVariable(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

PipelineSpec LoadPipelineFile(const std::string& path,
                              const std::map<std::string, std::string>& vars) {
  std::optional<std::string> text = ReadWholeFile(path);
  if (!text) ThrowIo("cannot read pipeline file '{}': {}", path, std::strerror(errno));
  std::error_code error;
  fs::path absolute = fs::absolute(path, error);
  if (error) ThrowIo("cannot resolve the folder of '{}': {}", path, error.message());
  return ParsePipeline(*text, path, absolute.lexically_normal().parent_path().string(), vars);
}

PipelineSpec ParsePipeline(
    std::string_view text, const std::string& file, const std::string& folder,
    const std::map<std::string, std::string>& vars,
    const std::function<std::optional<std::string>(const std::string&)>& getenv) {
  return PipelineReader(text, file, folder, vars, getenv).Read();
}

}  // namespace sluice::pipeline
