// Tests of the pipeline file reader (pipeline/pipeline_file.h): every key of every table, every
// data-test kind, ${VAR} expansion, file order, and the message (with line and column) of each
// error a user can make.
#include "pipeline/pipeline_file.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "testing/temp_dir.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace sluice::pipeline {
namespace {

using Env = std::map<std::string, std::string>;
using Options = std::vector<std::pair<std::string, std::string>>;

PipelineSpec Parse(std::string_view text, const Env& vars = {}, const Env& env = {}) {
  return ParsePipeline(text, "pipeline.toml", "/work/p", vars,
                       [&env](const std::string& name) -> std::optional<std::string> {
                         auto it = env.find(name);
                         if (it == env.end()) return std::nullopt;
                         return it->second;
                       });
}

/// The message of the error parsing `text` throws, or "" when it parses.
std::string ErrorOf(std::string_view text, const Env& vars = {}, const Env& env = {}) {
  try {
    Parse(text, vars, env);
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput) << error.what();
    return error.what();
  }
  return "";
}

/// A minimal valid pipeline followed by `more`.
std::string WithBase(std::string_view more) {
  return std::string(R"([sources.events]
path = "events.parquet"
[models.totals]
sql = "SELECT * FROM events"
)") + std::string(more);
}

constexpr std::string_view kIssueExample = R"(name = "revenue"

[settings]                      # optional; command-line flags win
threads = 0                     # 0 = all cores
memory_limit = "60%"

[sources.events]
path = "${DATA_DIR}/events/**/*.parquet"   # environment variables expand; globs; hive folders
[sources.users]
path = "${DATA_DIR}/users.csv"
options = { delim = ",", header = true }

[models.net_revenue]            # SQL over sources and other models, by name
sql = """
SELECT category, sum(revenue * 0.8) AS net_revenue
FROM events WHERE timestamp > TIMESTAMP '2023-01-01'
GROUP BY category
"""
# or: file = "models/net_revenue.sql"
tests = { not_null = ["category"], unique = ["category"], row_count = { min = 1 } }

[sinks.net_revenue]
model = "net_revenue"
path = "out/net_revenue.parquet"          # .parquet or .csv
compression = "zstd"
partition_by = []                          # hive-style folders when set
)";

TEST(PipelineFileTest, ReadsTheIssueExample) {
  PipelineSpec spec = Parse(kIssueExample, {}, {{"DATA_DIR", "data"}});
  EXPECT_EQ(spec.name, "revenue");
  EXPECT_EQ(spec.file, "pipeline.toml");
  EXPECT_EQ(spec.folder, "/work/p");
  EXPECT_EQ(spec.variables_used, (Env{{"DATA_DIR", "data"}}));
  EXPECT_EQ(spec.settings.threads, 0);
  EXPECT_EQ(spec.settings.memory_limit, "60%");
  EXPECT_EQ(spec.settings.manifest, "out/_sluice_manifest.json");
  EXPECT_EQ(spec.settings.resolved_manifest, "/work/p/out/_sluice_manifest.json");

  ASSERT_EQ(spec.sources.size(), 2u);
  EXPECT_EQ(spec.sources[0].name, "events");
  EXPECT_EQ(spec.sources[0].path, "data/events/**/*.parquet");
  EXPECT_EQ(spec.sources[0].resolved_path, "/work/p/data/events/**/*.parquet");
  EXPECT_EQ(spec.sources[0].format, SourceSpec::Format::kParquet);
  EXPECT_EQ(spec.sources[0].pos.line, 7);
  EXPECT_EQ(spec.sources[0].pos.column, 1);
  EXPECT_EQ(spec.sources[1].name, "users");
  EXPECT_EQ(spec.sources[1].format, SourceSpec::Format::kCsv);
  EXPECT_EQ(spec.sources[1].options, (Options{{"delim", "','"}, {"header", "true"}}));
  EXPECT_EQ(spec.sources[1].pos.line, 9);

  ASSERT_EQ(spec.models.size(), 1u);
  const ModelSpec& model = spec.models[0];
  EXPECT_EQ(model.name, "net_revenue");
  EXPECT_EQ(model.sql,
            "SELECT category, sum(revenue * 0.8) AS net_revenue\n"
            "FROM events WHERE timestamp > TIMESTAMP '2023-01-01'\nGROUP BY category\n");
  EXPECT_EQ(model.sql_file, "");
  EXPECT_EQ(model.sql_first_line, 15);
  EXPECT_EQ(model.pos.line, 13);
  ASSERT_EQ(model.tests.size(), 3u);
  EXPECT_EQ(model.tests[0].label, "not_null(category)");
  EXPECT_EQ(model.tests[1].label, "unique(category)");
  EXPECT_EQ(model.tests[2].label, "row_count(min 1)");
  EXPECT_EQ(model.tests[2].min_rows, 1);
  EXPECT_FALSE(model.tests[2].max_rows.has_value());

  ASSERT_EQ(spec.sinks.size(), 1u);
  const SinkSpec& sink = spec.sinks[0];
  EXPECT_EQ(sink.name, "net_revenue");
  EXPECT_EQ(sink.model, "net_revenue");
  EXPECT_EQ(sink.model_pos.line, 23);
  EXPECT_EQ(sink.model_pos.column, 9);
  EXPECT_EQ(sink.format, SinkSpec::Format::kParquet);
  EXPECT_EQ(sink.path, "out/net_revenue.parquet");
  EXPECT_EQ(sink.resolved_path, "/work/p/out/net_revenue.parquet");
  EXPECT_EQ(sink.compression, "zstd");
  EXPECT_TRUE(sink.partition_by.empty());
  EXPECT_EQ(sink.pos.line, 22);
}

TEST(PipelineFileTest, HashesTheFileBytes) {
  const std::string text = WithBase("");
  PipelineSpec spec = Parse(text);
  EXPECT_EQ(spec.file_hash, fmt::format("{:016x}", XXH3_64bits(text.data(), text.size())));
  EXPECT_EQ(spec.file_hash.size(), 16u);
  EXPECT_NE(Parse(text + "# a comment\n").file_hash, spec.file_hash);
}

TEST(PipelineFileTest, NameDefaultsToTheFileStem) {
  EXPECT_EQ(Parse(WithBase("")).name, "pipeline");
  EXPECT_EQ(ErrorOf("name = \"\"\n"), "pipeline.toml:1:8: name must not be empty");
  EXPECT_EQ(ErrorOf("name = 3\n"), "pipeline.toml:1:8: name must be a string, not an integer");
}

TEST(PipelineFileTest, ReadsSettings) {
  PipelineSpec spec = Parse(R"([settings]
threads = 4
memory_limit = "4GB"
manifest = "${OUT}/run.json"
)",
                            {{"OUT", "state"}});
  EXPECT_EQ(spec.settings.threads, 4);
  EXPECT_EQ(spec.settings.memory_limit, "4GB");
  EXPECT_EQ(spec.settings.manifest, "state/run.json");
  EXPECT_EQ(spec.settings.resolved_manifest, "/work/p/state/run.json");
  EXPECT_EQ(Parse("[settings]\nmemory_limit = 1000000\n").settings.memory_limit, "1000000");
  EXPECT_EQ(Parse("[settings]\nmemory_limit = \"512 MiB\"\n").settings.memory_limit, "512 MiB");
  PipelineSpec empty = Parse("");
  EXPECT_FALSE(empty.settings.threads.has_value());
  EXPECT_FALSE(empty.settings.memory_limit.has_value());
  // No sink: the manifest goes beside the pipeline file.
  EXPECT_EQ(empty.settings.manifest, "_sluice_manifest.json");
  EXPECT_EQ(empty.settings.resolved_manifest, "/work/p/_sluice_manifest.json");
}

TEST(PipelineFileTest, SettingsErrors) {
  EXPECT_EQ(ErrorOf("[settings]\nthreads = \"4\"\n"),
            "pipeline.toml:2:11: [settings] threads must be an integer, not a string");
  EXPECT_EQ(ErrorOf("[settings]\nthreads = -1\n"),
            "pipeline.toml:2:11: [settings] threads is -1; use 0 (every core) or a number of "
            "threads");
  EXPECT_EQ(ErrorOf("[settings]\nmemory_limit = \"lots\"\n"),
            "pipeline.toml:2:16: [settings] memory_limit: 'lots' is not a size; use e.g. 4GB, "
            "512MiB or 60%");
  EXPECT_EQ(ErrorOf("[settings]\nmemory_limit = \"150%\"\n"),
            "pipeline.toml:2:16: [settings] memory_limit: '150%' is more than 100%");
  EXPECT_EQ(ErrorOf("[settings]\nmemory_limit = true\n"),
            "pipeline.toml:2:16: [settings] memory_limit must be a string like \"4GB\" or "
            "\"60%\", not a boolean");
  EXPECT_EQ(ErrorOf("[settings]\nthread = 4\n"),
            "pipeline.toml:2:1: unknown key \"thread\" in [settings]; did you mean \"threads\"?");
  EXPECT_EQ(ErrorOf("settings = 1\n"),
            "pipeline.toml:1:12: [settings] must be a table, not an integer");
  EXPECT_EQ(ErrorOf("[settings]\nmanifest = \"\"\n"),
            "pipeline.toml:2:12: [settings] manifest is empty");
}

TEST(PipelineFileTest, DefaultManifestIsBesideTheFirstSinkInTheFile) {
  // toml++ sorts tables by name; the manifest follows the sink written first, "zeta".
  PipelineSpec spec = Parse(WithBase(R"([sinks.zeta]
model = "totals"
path = "z/out/zeta.parquet"
[sinks.alpha]
model = "totals"
path = "a/alpha.parquet"
)"));
  ASSERT_EQ(spec.sinks.size(), 2u);
  EXPECT_EQ(spec.sinks[0].name, "zeta");
  EXPECT_EQ(spec.sinks[1].name, "alpha");
  EXPECT_EQ(spec.settings.manifest, "z/out/_sluice_manifest.json");
  EXPECT_EQ(spec.settings.resolved_manifest, "/work/p/z/out/_sluice_manifest.json");
  // A partitioned sink writes a folder; the manifest goes beside it.
  PipelineSpec partitioned = Parse(WithBase(R"([sinks.parts]
model = "totals"
path = "/data/out/parts/"
partition_by = ["k"]
)"));
  EXPECT_EQ(partitioned.settings.manifest, "/data/out/_sluice_manifest.json");
  EXPECT_EQ(partitioned.settings.resolved_manifest, "/data/out/_sluice_manifest.json");
}

TEST(PipelineFileTest, KeepsFileOrder) {
  PipelineSpec spec = Parse(R"([sources.zebra]
path = "z.parquet"
[sources.apple]
path = "a.parquet"
[models.m2]
sql = "SELECT 1"
[models.m1]
sql = "SELECT 2"
[sources.mango]
path = "m.parquet"
)");
  ASSERT_EQ(spec.sources.size(), 3u);
  EXPECT_EQ(spec.sources[0].name, "zebra");
  EXPECT_EQ(spec.sources[1].name, "apple");
  EXPECT_EQ(spec.sources[2].name, "mango");
  ASSERT_EQ(spec.models.size(), 2u);
  EXPECT_EQ(spec.models[0].name, "m2");
  EXPECT_EQ(spec.models[1].name, "m1");
}

TEST(PipelineFileTest, NormalizesTheFolder) {
  PipelineSpec spec = ParsePipeline("[sources.s]\npath = \"s.parquet\"\n", "p.toml", "/work/./p/");
  EXPECT_EQ(spec.folder, "/work/p");
  EXPECT_EQ(spec.sources[0].resolved_path, "/work/p/s.parquet");
}

TEST(PipelineFileTest, SourceFormatsFromPaths) {
  auto format_of = [](const std::string& path) {
    return Parse("[sources.s]\npath = \"" + path + "\"\n").sources[0].format;
  };
  using F = SourceSpec::Format;
  EXPECT_EQ(format_of("a.parquet"), F::kParquet);
  EXPECT_EQ(format_of("A.PARQUET"), F::kParquet);
  EXPECT_EQ(format_of("events/**/*.parquet"), F::kParquet);
  EXPECT_EQ(format_of("events/year=2024/"), F::kParquet);
  EXPECT_EQ(format_of("events"), F::kParquet);
  EXPECT_EQ(format_of("a.csv"), F::kCsv);
  EXPECT_EQ(format_of("a.csv.gz"), F::kCsv);
  EXPECT_EQ(format_of("a.csv.zst"), F::kCsv);
  EXPECT_EQ(format_of("a.tsv"), F::kCsv);
  EXPECT_EQ(format_of("logs/*.csv"), F::kCsv);
  EXPECT_EQ(Parse("[sources.s]\npath = \"a.dat\"\nformat = \"CSV\"\n").sources[0].format, F::kCsv);
  EXPECT_EQ(Parse("[sources.s]\npath = \"a.csv\"\nformat = \"parquet\"\n").sources[0].format,
            F::kParquet);
  EXPECT_EQ(ErrorOf("[sources.s]\npath = \"a.json\"\n"),
            "pipeline.toml:2:8: [sources.s] cannot tell the format of \"a.json\" from its name; "
            "name files .parquet or .csv, or set format = \"parquet\" or format = \"csv\"");
  EXPECT_EQ(ErrorOf("[sources.s]\npath = \"a\"\nformat = \"json\"\n"),
            "pipeline.toml:3:10: [sources.s] format is \"json\"; use \"parquet\" or \"csv\"");
}

TEST(PipelineFileTest, SourceFolderWithADotIsParquet) {
  test::TempDir dir;
  dir.WriteFile("data/v1.2/part-0.parquet");
  PipelineSpec spec = ParsePipeline("[sources.s]\npath = \"data/v1.2\"\n", "p.toml", dir.path());
  EXPECT_EQ(spec.sources[0].format, SourceSpec::Format::kParquet);
  EXPECT_EQ(spec.sources[0].resolved_path, dir.path() + "/data/v1.2");
}

TEST(PipelineFileTest, ResolvesPathsLexically) {
  PipelineSpec spec = Parse(R"([sources.a]
path = "../shared/./x/../a.parquet"
[sources.b]
path = "/abs//data/b.csv"
)");
  EXPECT_EQ(spec.sources[0].path, "../shared/./x/../a.parquet");
  EXPECT_EQ(spec.sources[0].resolved_path, "/work/shared/a.parquet");
  EXPECT_EQ(spec.sources[1].resolved_path, "/abs/data/b.csv");
}

TEST(PipelineFileTest, RendersSourceOptionsAsSqlLiteralsInFileOrder) {
  PipelineSpec spec = Parse(R"([sources.s]
path = "a.csv"
[sources.s.options]
zeta = "it's"
header = false
skip = 2
ratio = 0.5
whole = 2.0
types = { b = "INT", a = "VARCHAR" }
names = ["x", "y"]
day = 2024-03-01
at = 2024-03-01T12:30:00.25
)");
  EXPECT_EQ(spec.sources[0].options, (Options{{"zeta", "'it''s'"},
                                              {"header", "false"},
                                              {"skip", "2"},
                                              {"ratio", "0.5"},
                                              {"whole", "2.0"},
                                              {"types", "{'b': 'INT', 'a': 'VARCHAR'}"},
                                              {"names", "['x', 'y']"},
                                              {"day", "DATE '2024-03-01'"},
                                              {"at", "TIMESTAMP '2024-03-01 12:30:00.25'"}}));
  EXPECT_EQ(ErrorOf("[sources.s]\npath = \"a.csv\"\noptions = { x = inf }\n"),
            "pipeline.toml:3:17: [sources.s] options.x must be a finite number, not inf");
  EXPECT_EQ(ErrorOf("[sources.s]\npath = \"a.csv\"\noptions = 3\n"),
            "pipeline.toml:3:11: [sources.s] options must be a table, not an integer");
  EXPECT_EQ(ErrorOf("[sources.s]\npath = \"a.csv\"\noptions = { \"a b\" = 1 }\n"),
            "pipeline.toml:3:13: [sources.s] options: \"a b\" is not an option name");
}

TEST(PipelineFileTest, SourceErrors) {
  EXPECT_EQ(ErrorOf("[sources.events]\npth = \"a.parquet\"\n"),
            "pipeline.toml:2:1: unknown key \"pth\" in [sources.events]; did you mean \"path\"?");
  EXPECT_EQ(ErrorOf("[sources.events]\nformat = \"csv\"\n"),
            "pipeline.toml:1:1: [sources.events] needs a path");
  EXPECT_EQ(ErrorOf("[sources.events]\npath = 5\n"),
            "pipeline.toml:2:8: [sources.events] path must be a string, not an integer");
  EXPECT_EQ(ErrorOf("[sources.events]\npath = \"\"\n"),
            "pipeline.toml:2:8: [sources.events] path is empty");
  EXPECT_EQ(ErrorOf("[sources.\"my events\"]\npath = \"a.parquet\"\n"),
            "pipeline.toml:1:10: [sources.my events]: \"my events\" is not a valid name; use "
            "letters, digits and _, not starting with a digit");
  EXPECT_EQ(ErrorOf("[sources.1st]\npath = \"a.parquet\"\n"),
            "pipeline.toml:1:10: [sources.1st]: \"1st\" is not a valid name; use letters, digits "
            "and _, not starting with a digit");
  EXPECT_EQ(ErrorOf("sources = 1\n"),
            "pipeline.toml:1:11: sources must be a table of [sources.NAME] tables, not an "
            "integer");
  EXPECT_EQ(ErrorOf("[sources]\nevents = \"a.parquet\"\n"),
            "pipeline.toml:2:10: [sources.events] must be a table (write [sources.events] and its "
            "keys below it), not a string");
}

TEST(PipelineFileTest, ReadsInlineModels) {
  PipelineSpec spec = Parse(R"([models.one_line]
sql = "SELECT 1"
[models.literal]
sql = '''
SELECT 'a'
'''
[models.same_line]
sql = """SELECT 2
FROM x"""
)");
  ASSERT_EQ(spec.models.size(), 3u);
  EXPECT_EQ(spec.models[0].sql, "SELECT 1");
  EXPECT_EQ(spec.models[0].sql_first_line, 2);
  EXPECT_EQ(spec.models[1].sql, "SELECT 'a'\n");
  EXPECT_EQ(spec.models[1].sql_first_line, 5);
  EXPECT_EQ(spec.models[2].sql, "SELECT 2\nFROM x");
  EXPECT_EQ(spec.models[2].sql_first_line, 8);
  EXPECT_EQ(spec.models[2].pos.line, 7);
}

TEST(PipelineFileTest, ReadsModelFilesRelativeToTheFolder) {
  test::TempDir dir;
  dir.WriteFile("models/net.sql", "SELECT * FROM ${TABLE} WHERE price > $$1\n");
  PipelineSpec spec = ParsePipeline(R"([sources.events]
path = "events.parquet"
[models.net]
file = "models/net.sql"
)",
                                    "p.toml", dir.path(), {{"TABLE", "events"}});
  ASSERT_EQ(spec.models.size(), 1u);
  EXPECT_EQ(spec.models[0].sql_file, "models/net.sql");
  EXPECT_EQ(spec.models[0].sql, "SELECT * FROM events WHERE price > $1\n");
  EXPECT_EQ(spec.models[0].sql_first_line, 1);
  EXPECT_EQ(spec.variables_used, (Env{{"TABLE", "events"}}));

  // A variable error inside the SQL file names that file.
  dir.WriteFile("models/bad.sql", "SELECT 1\nFROM ${MISSING}\n");
  try {
    ParsePipeline("[models.bad]\nfile = \"models/bad.sql\"\n", "p.toml", dir.path(), {},
                  [](const std::string&) { return std::nullopt; });
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(std::string(error.what()),
              "models/bad.sql:2:6: undefined variable ${MISSING}; pass --var MISSING=... or set "
              "it in the environment (or give a default: ${MISSING:-default})");
  }
  try {
    ParsePipeline("[models.gone]\nfile = \"models/gone.sql\"\n", "p.toml", dir.path());
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(std::string(error.what()),
              fmt::format("p.toml:2:8: [models.gone] cannot read file \"models/gone.sql\" "
                          "({}/models/gone.sql): No such file or directory",
                          dir.path()));
  }
}

TEST(PipelineFileTest, ModelErrors) {
  EXPECT_EQ(ErrorOf("[models.m]\nsql = \"SELECT 1\"\nfile = \"m.sql\"\n"),
            "pipeline.toml:3:8: [models.m] has both sql and file; keep one");
  EXPECT_EQ(ErrorOf("[models.m]\ntests = {}\n"),
            "pipeline.toml:1:1: [models.m] needs sql = \"SELECT ...\" or file = "
            "\"models/m.sql\"");
  EXPECT_EQ(ErrorOf("[models.m]\nsql = \"  \"\n"), "pipeline.toml:2:7: [models.m] sql is empty");
  EXPECT_EQ(ErrorOf("[models.m]\nsql = [\"SELECT 1\"]\n"),
            "pipeline.toml:2:7: [models.m] sql must be a string, not an array");
  EXPECT_EQ(ErrorOf("[models.m]\nsq = \"SELECT 1\"\n"),
            "pipeline.toml:2:1: unknown key \"sq\" in [models.m]; did you mean \"sql\"?");
  EXPECT_EQ(ErrorOf("[models.m-2]\nsql = \"SELECT 1\"\n"),
            "pipeline.toml:1:9: [models.m-2]: \"m-2\" is not a valid name; use letters, digits "
            "and _, not starting with a digit");
  EXPECT_EQ(ErrorOf(WithBase("[models.events]\nsql = \"SELECT 1\"\n")),
            "pipeline.toml:5:1: [models.events] has the same name as [sources.events] (line 1); "
            "rename one");
}

TEST(PipelineFileTest, ReadsSinks) {
  PipelineSpec spec = Parse(WithBase(R"([sinks.pq]
model = "totals"
path = "out/totals.parquet"
compression = "Snappy"
row_group_size = 100000
[sinks.by_day]
model = "totals"
path = "out/by_day"
partition_by = ["year", "month"]
[sinks.flat]
model = "events"
path = "out/events.csv"
delimiter = ";"
header = false
compression = "none"
[sinks.tabs]
model = "totals"
path = "out/totals.tsv"
[sinks.forced]
model = "totals"
path = "out/forced.txt"
format = "csv"
)"));
  ASSERT_EQ(spec.sinks.size(), 5u);
  const SinkSpec& pq = spec.sinks[0];
  EXPECT_EQ(pq.format, SinkSpec::Format::kParquet);
  EXPECT_EQ(pq.compression, "snappy");
  EXPECT_EQ(pq.row_group_size, 100000);
  EXPECT_FALSE(pq.delimiter.has_value());
  EXPECT_FALSE(pq.header.has_value());
  const SinkSpec& by_day = spec.sinks[1];
  EXPECT_EQ(by_day.format, SinkSpec::Format::kParquet);
  EXPECT_EQ(by_day.partition_by, (std::vector<std::string>{"year", "month"}));
  EXPECT_EQ(by_day.resolved_path, "/work/p/out/by_day");
  const SinkSpec& flat = spec.sinks[2];
  EXPECT_EQ(flat.model, "events");
  EXPECT_EQ(flat.format, SinkSpec::Format::kCsv);
  EXPECT_EQ(flat.delimiter, ';');
  EXPECT_EQ(flat.header, false);
  EXPECT_EQ(flat.compression, "none");
  EXPECT_EQ(spec.sinks[3].format, SinkSpec::Format::kCsv);
  EXPECT_EQ(spec.sinks[3].delimiter, '\t');
  EXPECT_EQ(spec.sinks[4].format, SinkSpec::Format::kCsv);
  EXPECT_FALSE(spec.sinks[4].delimiter.has_value());
  EXPECT_TRUE(pq.compression == "snappy");
  for (const char* codec : {"zstd", "gzip", "lz4", "lz4_raw", "brotli", "none", "uncompressed"}) {
    EXPECT_EQ(ErrorOf(WithBase(fmt::format("[sinks.s]\nmodel = \"totals\"\npath = \"o.parquet\"\n"
                                           "compression = \"{}\"\n",
                                           codec))),
              "")
        << codec;
  }
}

TEST(PipelineFileTest, SinkErrors) {
  auto sink_error = [](std::string_view keys) {
    return ErrorOf(WithBase(std::string("[sinks.out]\n") + std::string(keys)));
  };
  EXPECT_EQ(sink_error("model = \"net_revenu\"\npath = \"o.parquet\"\n"),
            "pipeline.toml:6:9: [sinks.out] model \"net_revenu\" is not a model or source");
  EXPECT_EQ(sink_error("model = \"total\"\npath = \"o.parquet\"\n"),
            "pipeline.toml:6:9: [sinks.out] model \"total\" is not a model or source; did you "
            "mean \"totals\"?");
  EXPECT_EQ(sink_error("path = \"o.parquet\"\n"), "pipeline.toml:5:1: [sinks.out] needs a model");
  EXPECT_EQ(sink_error("model = \"totals\"\n"), "pipeline.toml:5:1: [sinks.out] needs a path");
  EXPECT_EQ(sink_error("model = \"totals\"\npath = \"o.json\"\n"),
            "pipeline.toml:7:8: [sinks.out] path \"o.json\" must end in .parquet or .csv (or set "
            "format = \"parquet\" or \"csv\")");
  EXPECT_EQ(sink_error("model = \"totals\"\npath = \"folder\"\n"),
            "pipeline.toml:7:8: [sinks.out] path \"folder\" must end in .parquet or .csv (or set "
            "format = \"parquet\" or \"csv\")");
  EXPECT_EQ(sink_error("model = \"totals\"\npath = \"o.csv.gz\"\n"),
            "pipeline.toml:7:8: [sinks.out] path \"o.csv.gz\": compressed CSV output is not "
            "supported; write .csv or .parquet");
  EXPECT_EQ(sink_error("model = \"totals\"\npath = \"o.parquet\"\ncompression = \"zip\"\n"),
            "pipeline.toml:8:15: [sinks.out] compression \"zip\" is not a Parquet codec; use "
            "zstd, snappy, gzip, lz4, lz4_raw, brotli or none");
  EXPECT_EQ(sink_error("model = \"totals\"\npath = \"o.csv\"\ncompression = \"gzip\"\n"),
            "pipeline.toml:8:15: [sinks.out] compression \"gzip\" is not available for CSV "
            "sinks, which are written uncompressed; use \"none\" or write Parquet");
  EXPECT_EQ(sink_error("model = \"totals\"\npath = \"o.csv\"\nrow_group_size = 10\n"),
            "pipeline.toml:8:18: [sinks.out] row_group_size applies to Parquet sinks only");
  EXPECT_EQ(sink_error("model = \"totals\"\npath = \"o.parquet\"\nrow_group_size = 0\n"),
            "pipeline.toml:8:18: [sinks.out] row_group_size must be positive, not 0");
  EXPECT_EQ(sink_error("model = \"totals\"\npath = \"o.parquet\"\nrow_group_size = \"big\"\n"),
            "pipeline.toml:8:18: [sinks.out] row_group_size must be an integer, not a string");
  EXPECT_EQ(sink_error("model = \"totals\"\npath = \"o.parquet\"\ndelimiter = \";\"\n"),
            "pipeline.toml:8:13: [sinks.out] delimiter applies to CSV sinks only");
  EXPECT_EQ(sink_error("model = \"totals\"\npath = \"o.csv\"\ndelimiter = \";;\"\n"),
            "pipeline.toml:8:13: [sinks.out] delimiter must be one character other than a quote "
            "or a line break, e.g. \",\" or \"\\t\"");
  EXPECT_EQ(sink_error("model = \"totals\"\npath = \"o.parquet\"\nheader = true\n"),
            "pipeline.toml:8:10: [sinks.out] header applies to CSV sinks only");
  EXPECT_EQ(sink_error("model = \"totals\"\npath = \"o.csv\"\nheader = \"yes\"\n"),
            "pipeline.toml:8:10: [sinks.out] header must be true or false, not a string");
  EXPECT_EQ(sink_error("model = \"totals\"\npath = \"o\"\npartition_by = \"k\"\n"),
            "pipeline.toml:8:16: [sinks.out] partition_by must be an array, not a string");
  EXPECT_EQ(sink_error("model = \"totals\"\npath = \"o\"\npartition_by = [\"k\", \"k\"]\n"),
            "pipeline.toml:8:22: [sinks.out] partition_by lists \"k\" twice");
  EXPECT_EQ(sink_error("model = \"totals\"\npath = \"o\"\npartition_by = [1]\n"),
            "pipeline.toml:8:17: [sinks.out] partition_by entries must be a string, not an "
            "integer");
  EXPECT_EQ(sink_error("modle = \"totals\"\n"),
            "pipeline.toml:6:1: unknown key \"modle\" in [sinks.out]; did you mean \"model\"?");
  EXPECT_EQ(sink_error("model = \"totals\"\npath = \"o.parquet\"\nsize = 3\n"),
            "pipeline.toml:8:1: unknown key \"size\" in [sinks.out]; the keys are model, path, "
            "format, compression, partition_by, row_group_size, delimiter, header");
  EXPECT_EQ(ErrorOf(WithBase(R"([sinks.a]
model = "totals"
path = "out/x.parquet"
[sinks.b]
model = "events"
path = "out/../out/x.parquet"
)")),
            "pipeline.toml:10:8: [sinks.b] writes \"out/../out/x.parquet\", as [sinks.a] (line 5) "
            "does; give each sink its own path");
}

TEST(PipelineFileTest, ReadsEveryDataTestKind) {
  PipelineSpec spec = Parse(R"([sources.users]
path = "users.csv"
tests = { unique = ["user_id"] }
[models.orders]
sql = "SELECT * FROM users"
[models.orders.tests]
not_null = ["a", "b"]
unique = ["id", ["a", "b"]]
accepted_values = { status = ["new", "it's", 1, 2.5, true], code = [7] }
row_count = { min = 1, max = 10 }
relationships = { user_id = "users.user_id" }
expect_empty = "SELECT * FROM orders WHERE amount < ${MIN:-0}"
)");
  ASSERT_EQ(spec.sources[0].tests.size(), 1u);
  EXPECT_EQ(spec.sources[0].tests[0].label, "unique(user_id)");
  EXPECT_EQ(spec.sources[0].tests[0].pos.line, 3);
  const std::vector<DataTestSpec>& tests = spec.models[0].tests;
  std::vector<std::string> labels;
  for (const DataTestSpec& test : tests) labels.push_back(test.label);
  EXPECT_EQ(labels,
            (std::vector<std::string>{"not_null(a)", "not_null(b)", "unique(id)", "unique(a, b)",
                                      "accepted_values(status)", "accepted_values(code)",
                                      "row_count(min 1, max 10)",
                                      "relationships(user_id -> users.user_id)", "expect_empty"}));
  ASSERT_EQ(tests.size(), 9u);
  EXPECT_EQ(tests[0].kind, DataTestSpec::Kind::kNotNull);
  EXPECT_EQ(tests[0].columns, (std::vector<std::string>{"a"}));
  EXPECT_EQ(tests[0].pos.line, 7);
  EXPECT_EQ(tests[0].pos.column, 13);
  EXPECT_EQ(tests[3].kind, DataTestSpec::Kind::kUnique);
  EXPECT_EQ(tests[3].columns, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(tests[4].kind, DataTestSpec::Kind::kAcceptedValues);
  EXPECT_EQ(tests[4].columns, (std::vector<std::string>{"status"}));
  EXPECT_EQ(tests[4].values, (std::vector<std::string>{"'new'", "'it''s'", "1", "2.5", "true"}));
  EXPECT_EQ(tests[5].values, (std::vector<std::string>{"7"}));
  EXPECT_EQ(tests[6].kind, DataTestSpec::Kind::kRowCount);
  EXPECT_EQ(tests[6].min_rows, 1);
  EXPECT_EQ(tests[6].max_rows, 10);
  EXPECT_EQ(tests[6].pos.line, 10);
  EXPECT_EQ(tests[7].kind, DataTestSpec::Kind::kRelationships);
  EXPECT_EQ(tests[7].columns, (std::vector<std::string>{"user_id"}));
  EXPECT_EQ(tests[7].to_relation, "users");
  EXPECT_EQ(tests[7].to_column, "user_id");
  EXPECT_EQ(tests[8].kind, DataTestSpec::Kind::kExpectEmpty);
  EXPECT_EQ(tests[8].sql, "SELECT * FROM orders WHERE amount < 0");
  EXPECT_EQ(tests[8].pos.line, 12);
  EXPECT_EQ(tests[8].pos.column, 17);
  EXPECT_EQ(spec.variables_used, (Env{{"MIN", "0"}}));
}

TEST(PipelineFileTest, DataTestVariants) {
  PipelineSpec spec = Parse(R"([models.m]
sql = "SELECT 1"
tests = { not_null = "a", unique = "b", row_count = { max = 0 }, expect_empty = ["SELECT 1", "SELECT 2"] }
)");
  std::vector<std::string> labels;
  for (const DataTestSpec& test : spec.models[0].tests) labels.push_back(test.label);
  EXPECT_EQ(labels, (std::vector<std::string>{"not_null(a)", "unique(b)", "row_count(max 0)",
                                              "expect_empty[1]", "expect_empty[2]"}));
  EXPECT_EQ(spec.models[0].tests[4].sql, "SELECT 2");
}

TEST(PipelineFileTest, DataTestErrors) {
  auto test_error = [](std::string_view tests) {
    return ErrorOf(WithBase("tests = { " + std::string(tests) + " }\n"));
  };
  // `tests = { ` puts the first test key at column 11 of line 5.
  EXPECT_EQ(test_error("not_nul = [\"a\"]"),
            "pipeline.toml:5:11: unknown test \"not_nul\" in [models.totals] tests; did you mean "
            "\"not_null\"?");
  EXPECT_EQ(test_error("freshness = 1"),
            "pipeline.toml:5:11: unknown test \"freshness\" in [models.totals] tests; the tests "
            "are not_null, unique, accepted_values, row_count, relationships, expect_empty");
  EXPECT_EQ(test_error("not_null = 3"),
            "pipeline.toml:5:22: [models.totals] tests.not_null must be an array of column "
            "names, not an integer");
  EXPECT_EQ(test_error("not_null = [\"a\", 3]"),
            "pipeline.toml:5:28: [models.totals] tests.not_null must name columns as strings, "
            "not an integer");
  EXPECT_EQ(test_error("not_null = [\"\"]"),
            "pipeline.toml:5:23: [models.totals] tests.not_null has an empty column name");
  EXPECT_EQ(test_error("unique = [[]]"),
            "pipeline.toml:5:21: [models.totals] tests.unique has an empty list of columns");
  EXPECT_EQ(test_error("unique = { a = 1 }"),
            "pipeline.toml:5:20: [models.totals] tests.unique must be an array of column names "
            "(or of arrays of them), not a table");
  EXPECT_EQ(test_error("accepted_values = [\"a\"]"),
            "pipeline.toml:5:29: [models.totals] tests.accepted_values must be a table of column "
            "= [values], e.g. { status = [\"new\", \"paid\"] }, not an array");
  EXPECT_EQ(test_error("accepted_values = { s = \"a\" }"),
            "pipeline.toml:5:35: [models.totals] tests.accepted_values.s must be an array, not a "
            "string");
  EXPECT_EQ(test_error("accepted_values = { s = [] }"),
            "pipeline.toml:5:35: [models.totals] tests.accepted_values.s lists no values");
  EXPECT_EQ(test_error("accepted_values = { s = [[1]] }"),
            "pipeline.toml:5:36: [models.totals] tests.accepted_values.s must be a string, "
            "number or boolean, not an array");
  EXPECT_EQ(test_error("row_count = 5"),
            "pipeline.toml:5:23: [models.totals] tests.row_count must be a table like { min = "
            "1, max = 100 }, not an integer");
  EXPECT_EQ(test_error("row_count = { minn = 5 }"),
            "pipeline.toml:5:25: unknown key \"minn\" in [models.totals] tests.row_count; "
            "did you mean \"min\"?");
  EXPECT_EQ(test_error("row_count = {}"),
            "pipeline.toml:5:23: [models.totals] tests.row_count needs min or max (or both)");
  EXPECT_EQ(test_error("row_count = { min = -1 }"),
            "pipeline.toml:5:31: [models.totals] tests.row_count.min must not be negative");
  EXPECT_EQ(test_error("row_count = { min = 5, max = 2 }"),
            "pipeline.toml:5:23: [models.totals] tests.row_count has min 5 above max 2");
  EXPECT_EQ(test_error("row_count = { min = 1.5 }"),
            "pipeline.toml:5:31: [models.totals] tests.row_count.min must be an integer, not a "
            "float");
  EXPECT_EQ(test_error("relationships = { user_id = \"users\" }"),
            "pipeline.toml:5:39: [models.totals] tests.relationships.user_id is \"users\"; it "
            "must be \"relation.column\", e.g. \"users.user_id\"");
  EXPECT_EQ(test_error("relationships = { user_id = \"event.user_id\" }"),
            "pipeline.toml:5:39: [models.totals] tests.relationships.user_id: \"event\" is not "
            "a model or source; did you mean \"events\"?");
  EXPECT_EQ(test_error("relationships = [\"a\"]"),
            "pipeline.toml:5:27: [models.totals] tests.relationships must be a table of column = "
            "\"relation.column\", e.g. { user_id = \"users.user_id\" }, not an array");
  EXPECT_EQ(test_error("expect_empty = 1"),
            "pipeline.toml:5:26: [models.totals] tests.expect_empty must be a SQL query as a "
            "string, not an integer");
  EXPECT_EQ(test_error("expect_empty = \"\""),
            "pipeline.toml:5:26: [models.totals] tests.expect_empty is empty");
  EXPECT_EQ(ErrorOf(WithBase("tests = [\"not_null\"]\n")),
            "pipeline.toml:5:9: [models.totals] tests must be a table, not an array");
}

TEST(PipelineFileTest, ExpandsVariables) {
  const std::string text = R"([sources.events]
path = "${DIR}/events-${DAY}.parquet"
[models.m]
sql = "SELECT '$$5', '${GREETING:-hi there}', '${EMPTY:-fallback}' FROM events"
[sinks.out]
model = "m"
path = "${OUT:-out}/m.parquet"
)";
  PipelineSpec spec =
      Parse(text, {{"DIR", "/data"}, {"EMPTY", ""}}, {{"DIR", "/ignored"}, {"DAY", "2024-03-01"}});
  EXPECT_EQ(spec.sources[0].path, "/data/events-2024-03-01.parquet");
  EXPECT_EQ(spec.sources[0].resolved_path, "/data/events-2024-03-01.parquet");
  EXPECT_EQ(spec.models[0].sql, "SELECT '$5', 'hi there', 'fallback' FROM events");
  EXPECT_EQ(spec.sinks[0].path, "out/m.parquet");
  EXPECT_EQ(spec.variables_used, (Env{{"DAY", "2024-03-01"},
                                      {"DIR", "/data"},
                                      {"EMPTY", "fallback"},
                                      {"GREETING", "hi there"},
                                      {"OUT", "out"}}));
  // A lone $ is kept as written.
  EXPECT_EQ(Parse("[models.m]\nsql = \"SELECT $1, a$b\"\n").models[0].sql, "SELECT $1, a$b");
}

TEST(PipelineFileTest, VariableErrors) {
  EXPECT_EQ(ErrorOf("[sources.s]\npath = \"${DATA_DIR}/a.parquet\"\n"),
            "pipeline.toml:2:9: undefined variable ${DATA_DIR}; pass --var DATA_DIR=... or set "
            "it in the environment (or give a default: ${DATA_DIR:-default})");
  // In a multi-line string, the reference's own line.
  EXPECT_EQ(ErrorOf("[models.m]\nsql = \"\"\"\nSELECT 1\nFROM  ${T}\n\"\"\"\n"),
            "pipeline.toml:4:7: undefined variable ${T}; pass --var T=... or set it in the "
            "environment (or give a default: ${T:-default})");
  EXPECT_EQ(ErrorOf("[settings]\nmanifest = \"${M\"\n"),
            "pipeline.toml:2:13: \"${\" is not closed by \"}\" (write $$ for a literal $)");
  EXPECT_EQ(ErrorOf("[settings]\nmanifest = \"${1X}\"\n"),
            "pipeline.toml:2:13: \"${1X}\" does not name a variable: use ${NAME} or "
            "${NAME:-default}, where NAME is letters, digits and _ (write $$ for a literal $)");
  EXPECT_EQ(ErrorOf("[settings]\nmanifest = \"${}\"\n"),
            "pipeline.toml:2:13: \"${}\" does not name a variable: use ${NAME} or "
            "${NAME:-default}, where NAME is letters, digits and _ (write $$ for a literal $)");
}

TEST(PipelineFileTest, TopLevelErrors) {
  EXPECT_EQ(ErrorOf("name = \"x\"\n[sink.out]\nmodel = \"m\"\n"),
            "pipeline.toml:2:2: unknown key \"sink\" in the top level; did you mean \"sinks\"?");
  EXPECT_EQ(ErrorOf("name = \"x\"\nowner = \"me\"\n"),
            "pipeline.toml:2:1: unknown key \"owner\" in the top level; the keys are name, "
            "settings, sources, models, sinks");
  EXPECT_EQ(ErrorOf("name = \"x\"\n[sources.a]\npath = \n"),
            "pipeline.toml:3:8: invalid TOML: key-value pair: expected value, saw '\\n'");
  EXPECT_EQ(ErrorOf("[sources.a]\npath = \"a.parquet\"\npath = \"b.parquet\"\n"),
            "pipeline.toml:3:8: invalid TOML: key-value pair: cannot redefine existing string "
            "'path'");
}

TEST(PipelineFileTest, LoadsAFile) {
  test::TempDir dir;
  const std::string path =
      dir.WriteFile("etl/pipeline.toml", "[sources.s]\npath = \"data/s.parquet\"\n");
  PipelineSpec spec = LoadPipelineFile(path);
  EXPECT_EQ(spec.file, path);
  EXPECT_EQ(spec.folder, dir.path() + "/etl");
  EXPECT_EQ(spec.name, "pipeline");
  EXPECT_EQ(spec.sources[0].resolved_path, dir.path() + "/etl/data/s.parquet");
  try {
    LoadPipelineFile(dir.Join("missing.toml"));
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kIo);
    EXPECT_EQ(std::string(error.what()), "cannot read pipeline file '" + dir.Join("missing.toml") +
                                             "': No such file or directory");
  }
}

TEST(PipelineFileTest, VarsWinOverTheEnvironment) {
  test::TempDir dir;
  const std::string path = dir.WriteFile("p.toml", "[sources.s]\npath = \"${SLUICE_PF_TEST}\"\n");
  ::setenv("SLUICE_PF_TEST", "env.parquet", 1);
  EXPECT_EQ(LoadPipelineFile(path).sources[0].path, "env.parquet");
  EXPECT_EQ(LoadPipelineFile(path, {{"SLUICE_PF_TEST", "var.parquet"}}).sources[0].path,
            "var.parquet");
  ::unsetenv("SLUICE_PF_TEST");
}

}  // namespace
}  // namespace sluice::pipeline
