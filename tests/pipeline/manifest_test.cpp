// Tests the run manifest: it reads back what was written, equal manifests are equal bytes with
// "timings" last, and a missing or damaged manifest reads as "none" (with a warning when damaged)
// instead of failing the run.
#include "pipeline/manifest.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "testing/temp_dir.h"

namespace sluice::pipeline {
namespace {

Manifest Example() {
  Manifest m;
  m.pipeline = "revenue";
  m.pipeline_file = "pipeline.toml";
  m.pipeline_hash = "0123456789abcdef";
  m.sluice_version = "0.1.0";
  m.variables = {{"DATA_DIR", "/data"}, {"A", "x\"y"}};
  m.inputs = {{"/data/events/part-0.parquet", -1, 1234, "00000000000000aa"},
              {"/data/users.csv", -1, 99, "00000000000000bb"}};
  SinkRecord single;
  single.name = "net_revenue";
  single.model = "net_revenue";
  single.path = "out/net_revenue.parquet";
  single.format = "parquet";
  single.rows = 7;
  single.bytes = 512;
  single.hash = "1111111111111111";
  single.fingerprint = "fp-1";
  single.inputs = {"/data/events/part-0.parquet"};
  SinkRecord parts = single;
  parts.name = "by_day";
  parts.path = "out/by_day";
  parts.files = {{"out/by_day/day=1/data_0.parquet", 3, 100, "2222222222222222"},
                 {"out/by_day/day=2/data_0.parquet", 4, 120, "3333333333333333"}};
  m.sinks = {single, parts};
  m.tests = {{"net_revenue", "not_null(category)", true, 0, ""},
             {"net_revenue", "unique(category)", false, 2, "2 duplicate categories"}};
  m.timings.started_at = "2024-05-01T12:00:00Z";
  m.timings.total_seconds = 1.25;
  m.timings.threads = 4;
  m.timings.memory_limit = "60%";
  m.timings.step_seconds = {{"net_revenue", 0.75}, {"by_day", 0.5}};
  m.timings.step_peak_memory = {{"net_revenue", 1 << 20}, {"by_day", int64_t{3} << 30}};
  return m;
}

TEST(ManifestTest, RoundTripsEveryField) {
  test::TempDir dir;
  const Manifest written = Example();
  const std::string path = dir.Join("out/_sluice_manifest.json");
  WriteManifest(path, written);  // Creates out/.
  EXPECT_EQ(dir.List("out"), std::vector<std::string>{"_sluice_manifest.json"});
  EXPECT_EQ(test::ReadFile(path), ManifestJson(written));

  std::string warning;
  const std::optional<Manifest> read = ReadManifest(path, &warning);
  ASSERT_TRUE(read.has_value()) << warning;
  EXPECT_EQ(warning, "");
  EXPECT_EQ(ManifestJson(*read), ManifestJson(written));
  EXPECT_EQ(read->variables.at("A"), "x\"y");
  EXPECT_EQ(read->inputs[0].rows, -1);
  EXPECT_EQ(read->sinks[1].files[1].rows, 4);
  EXPECT_EQ(read->sinks[1].files[1].hash, "3333333333333333");
  EXPECT_EQ(read->sinks[0].inputs, std::vector<std::string>{"/data/events/part-0.parquet"});
  EXPECT_EQ(read->sinks[0].fingerprint, "fp-1");
  EXPECT_FALSE(read->tests[1].passed);
  EXPECT_EQ(read->tests[1].failing_rows, 2);
  EXPECT_EQ(read->tests[1].detail, "2 duplicate categories");
  EXPECT_EQ(read->timings.step_seconds, written.timings.step_seconds);
  EXPECT_EQ(read->timings.step_peak_memory, written.timings.step_peak_memory);
  EXPECT_EQ(read->timings.total_seconds, 1.25);
  EXPECT_EQ(read->timings.threads, 4);
}

TEST(ManifestTest, HasAFixedLayoutWithTimingsLast) {
  const std::string text = ManifestJson(Example());
  EXPECT_EQ(text, ManifestJson(Example()));
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  EXPECT_TRUE(text.starts_with("{\n  \"manifest_version\": 1,\n  \"pipeline\": \"revenue\",\n"))
      << text;
  std::vector<std::string> keys;
  const nlohmann::ordered_json parsed = nlohmann::ordered_json::parse(text);
  for (const auto& item : parsed.items()) keys.push_back(item.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"manifest_version", "pipeline", "pipeline_file",
                                            "pipeline_hash", "sluice_version", "variables",
                                            "inputs", "sinks", "tests", "timings"}));
  // Inputs carry no row count.
  EXPECT_EQ(nlohmann::json::parse(text)["inputs"][0].contains("rows"), false);
  EXPECT_EQ(nlohmann::json::parse(text)["sinks"][1]["files"][0]["rows"], 3);
}

TEST(ManifestTest, RunsThatDifferOnlyInTimingsDifferOnlyAfterTheTimingsKey) {
  Manifest a = Example();
  Manifest b = Example();
  b.timings.threads = 1;
  b.timings.memory_limit = "4GB";
  b.timings.total_seconds = 9.5;
  b.timings.started_at = "2024-05-02T00:00:00Z";
  b.timings.step_seconds[0].second = 3;
  const std::string ta = ManifestJson(a);
  const std::string tb = ManifestJson(b);
  EXPECT_NE(ta, tb);
  const size_t cut = ta.find("\n  \"timings\": ");
  ASSERT_NE(cut, std::string::npos);
  EXPECT_EQ(ta.substr(0, cut), tb.substr(0, cut));
}

TEST(ManifestTest, MissingFileIsNoManifestWithoutAWarning) {
  test::TempDir dir;
  std::string warning;
  EXPECT_FALSE(ReadManifest(dir.Join("none.json"), &warning).has_value());
  EXPECT_EQ(warning, "");
  EXPECT_FALSE(ReadManifest(dir.Join("none.json"), nullptr).has_value());
}

TEST(ManifestTest, DamagedFileIsNoManifestWithAWarning) {
  test::TempDir dir;
  for (const char* text :
       {"", "{\"pipeline\": \"p\", ", "[1, 2]", "{\"pipeline\": 3}", "{\"sinks\": \"x\"}",
        "{\"sinks\": [{\"rows\": \"many\"}]}", "{\"variables\": {\"A\": 1}}", "{\"timings\": []}",
        "{\"manifest_version\": 2}"}) {
    SCOPED_TRACE(text);
    const std::string path = dir.WriteFile("m.json", text);
    std::string warning;
    EXPECT_FALSE(ReadManifest(path, &warning).has_value());
    EXPECT_TRUE(warning.starts_with("ignoring the run manifest '" + path + "': ")) << warning;
    EXPECT_FALSE(ReadManifest(path, nullptr).has_value());
  }
}

TEST(ManifestTest, ToleratesUnknownAndMissingKeys) {
  test::TempDir dir;
  const std::string path =
      dir.WriteFile("m.json", R"({"pipeline": "p", "future_key": [1], "sinks": [{"name": "s"}]})");
  std::string warning;
  const std::optional<Manifest> read = ReadManifest(path, &warning);
  ASSERT_TRUE(read.has_value()) << warning;
  EXPECT_EQ(read->pipeline, "p");
  ASSERT_EQ(read->sinks.size(), 1u);
  EXPECT_EQ(read->sinks[0].name, "s");
  EXPECT_EQ(read->sinks[0].rows, 0);
  EXPECT_TRUE(read->inputs.empty());
}

TEST(ManifestTest, WriteReplacesTheEarlierManifest) {
  test::TempDir dir;
  const std::string path = dir.Join("_sluice_manifest.json");
  Manifest m = Example();
  WriteManifest(path, m);
  m.pipeline = "second";
  WriteManifest(path, m);
  EXPECT_EQ(ReadManifest(path, nullptr)->pipeline, "second");
  EXPECT_EQ(dir.List(), std::vector<std::string>{"_sluice_manifest.json"});
}

}  // namespace
}  // namespace sluice::pipeline
