// The runner on a small pipeline of real files: which models are computed once and where, the
// outputs and manifest it commits, skipping what is up to date, rebuilding what changed, and
// --only. (tests/cli/pipeline.mjs drives the program end to end: kill -9, determinism, errors.)
#include "pipeline/runner.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "pipeline/manifest.h"
#include "pipeline/pipeline_file.h"
#include "pipeline/prepare.h"
#include "pipeline/step_plan.h"
#include "sql/session.h"
#include "testing/temp_dir.h"

namespace sluice::pipeline {
namespace {

namespace fs = std::filesystem;

constexpr const char* kPipeline = R"(
name = "small"
[sources.src]
path = "src.parquet"
tests = { not_null = ["id"] }
[models.base]
sql = "SELECT * FROM src WHERE id >= 10"
[models.by_group]
sql = "SELECT g, count(*) AS n FROM base GROUP BY g ORDER BY g"
tests = { unique = ["g"] }
[models.top]
sql = "SELECT max(id) AS m FROM base"
[models.unsunk]
sql = "SELECT g FROM src"
tests = { accepted_values = { g = [0, 1, 2] } }
[sinks.by_group]
model = "by_group"
path = "out/by_group.parquet"
[sinks.top]
model = "top"
path = "out/top.csv"
[sinks.base]
model = "base"
path = "out/base.parquet"
)";

class RunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = tmp_.path();  // One folder per test: ctest runs this file's tests in parallel.
    WriteSource(100);
    std::ofstream(dir_ / "p.toml") << kPipeline;
  }

  void WriteSource(int rows) {
    sql::Session session;
    session.Execute(fmt::format("COPY (SELECT range AS id, range % 3 AS g FROM range({})) TO '{}'",
                                rows, (dir_ / "src.parquet").string()));
  }

  PipelineSpec Spec() { return LoadPipelineFile((dir_ / "p.toml").string()); }

  std::string Query(const std::string& sql) {
    sql::Session session;
    std::vector<sql::StatementResult> results = session.Execute(sql);
    return results.back().rows.ToString();
  }

  sluice::test::TempDir tmp_;
  fs::path dir_;
};

TEST_F(RunnerTest, AModelReadSeveralTimesIsComputedOnceIntoItsOwnSink) {
  PipelineSpec spec = Spec();
  PreparedPipeline prepared(spec, {});
  std::vector<const SinkPlan*> all;
  for (const SinkPlan& sink : prepared.sinks()) all.push_back(&sink);
  StepPlan steps = PlanSteps(prepared, all, /*all_tests=*/true);
  ASSERT_EQ(steps.shared.size(), 2u);
  // base: read by by_group, top and its own sink.
  EXPECT_EQ(steps.shared[0].model, "base");
  EXPECT_EQ(steps.shared[0].readers, 3);
  ASSERT_NE(steps.shared[0].into, nullptr);
  EXPECT_EQ(steps.shared[0].into->sink->name, "base");
  // by_group: its sink and its unique test.
  EXPECT_EQ(steps.shared[1].model, "by_group");
  EXPECT_TRUE(steps.models.count("unsunk"));  // Its test runs.
  EXPECT_TRUE(steps.tested.count("src"));

  // Only `top`: base is read once (by top), so it is inlined; no test of unsunk runs.
  StepPlan only_top = PlanSteps(prepared, {&prepared.sinks()[1]}, /*all_tests=*/false);
  EXPECT_TRUE(only_top.shared.empty());
  EXPECT_FALSE(only_top.models.count("unsunk"));
}

TEST_F(RunnerTest, RunsCommitsSkipsWhatIsUpToDateAndRebuildsWhatChanged) {
  PipelineSpec spec = Spec();
  RunReport first = RunPipeline(spec, {});
  ASSERT_TRUE(first.ok) << first.error;
  ASSERT_EQ(first.sinks.size(), 3u);
  EXPECT_EQ(first.sinks[0].rows, 3);
  EXPECT_EQ(first.tests.size(), 3u);  // not_null(id), unique(g), accepted_values(g).
  EXPECT_EQ(
      Query(fmt::format("SELECT sum(n) AS s FROM '{}'", (dir_ / "out/by_group.parquet").string())),
      Query("SELECT 90::BIGINT AS s"));
  std::ifstream top(dir_ / "out/top.csv");
  std::string text((std::istreambuf_iterator<char>(top)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, "m\n99\n");

  std::string warning;
  std::optional<Manifest> manifest =
      ReadManifest((dir_ / "out/_sluice_manifest.json").string(), &warning);
  ASSERT_TRUE(manifest) << warning;
  ASSERT_EQ(manifest->inputs.size(), 1u);
  EXPECT_EQ(manifest->inputs[0].path, "src.parquet");
  EXPECT_EQ(manifest->sinks.size(), 3u);
  // base was computed once, as its sink; no scratch copy of it.
  for (const auto& [step, seconds] : manifest->timings.step_seconds) EXPECT_NE(step, "model base");

  RunReport second = RunPipeline(spec, {});
  ASSERT_TRUE(second.ok);
  for (const SinkOutcome& sink : second.sinks) EXPECT_TRUE(sink.up_to_date) << sink.name;

  // A changed input rebuilds every sink reading it.
  WriteSource(50);
  RunReport third = RunPipeline(spec, {});
  ASSERT_TRUE(third.ok);
  for (const SinkOutcome& sink : third.sinks) EXPECT_TRUE(sink.written) << sink.name;
  EXPECT_EQ(Query(fmt::format("SELECT * FROM '{}'", (dir_ / "out/top.csv").string())),
            Query("SELECT 49::BIGINT AS m"));

  // --only with --force: just that sink; the manifest keeps the others' records.
  RunRequest only;
  only.only = {"top"};
  only.force = true;
  RunReport fourth = RunPipeline(spec, only);
  ASSERT_TRUE(fourth.ok);
  ASSERT_EQ(fourth.sinks.size(), 1u);
  EXPECT_TRUE(fourth.sinks[0].written);
  EXPECT_TRUE(fourth.tests.size() == 1u && fourth.tests[0].relation == "src");
  manifest = ReadManifest((dir_ / "out/_sluice_manifest.json").string(), &warning);
  ASSERT_TRUE(manifest);
  EXPECT_EQ(manifest->sinks.size(), 3u);
  EXPECT_EQ(manifest->tests.size(), 3u);
}

TEST_F(RunnerTest, AFailingTestLeavesEveryOutputAsItWas) {
  PipelineSpec spec = Spec();
  ASSERT_TRUE(RunPipeline(spec, {}).ok);
  std::string before =
      Query(fmt::format("SELECT * FROM '{}'", (dir_ / "out/base.parquet").string()));
  // g = 3 is not an accepted value of unsunk.g.
  {
    sql::Session session;
    session.Execute(fmt::format("COPY (SELECT range AS id, range % 4 AS g FROM range(200)) TO '{}'",
                                (dir_ / "src.parquet").string()));
  }
  RunReport failed = RunPipeline(spec, {});
  EXPECT_FALSE(failed.ok);
  EXPECT_EQ(failed.error, "1 data test failed; no output was changed");
  EXPECT_EQ(Query(fmt::format("SELECT * FROM '{}'", (dir_ / "out/base.parquet").string())), before);
  for (const auto& entry : fs::directory_iterator(dir_ / "out")) {
    EXPECT_FALSE(entry.path().filename().string().starts_with(".sluice-staging")) << entry.path();
  }
}

}  // namespace
}  // namespace sluice::pipeline
