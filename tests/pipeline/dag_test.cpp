// The pipeline graph: model order, upstream sets, and the errors for cycles, unknown names and
// SQL mistakes, which must name the model and the line of the pipeline file.
#include "pipeline/dag.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "pipeline/graph_dot.h"

namespace sluice::pipeline {
namespace {

PipelineSpec Spec(std::vector<std::pair<std::string, std::string>> models) {
  PipelineSpec spec;
  spec.name = "p";
  spec.file = "p.toml";
  for (auto [name, path] : {std::pair{"events", "e/*.parquet"}, std::pair{"users", "u.csv"}}) {
    SourceSpec source;
    source.name = name;
    source.path = path;
    spec.sources.push_back(source);
  }
  int line = 10;
  for (auto& [name, sql] : models) {
    ModelSpec model;
    model.name = name;
    model.sql = sql;
    model.pos.line = line;
    model.sql_first_line = line + 1;
    line += 10;
    spec.models.push_back(model);
  }
  return spec;
}

std::vector<std::string> Order(const PipelineGraph& graph) {
  std::vector<std::string> names;
  for (const ModelNode& node : graph.models) names.push_back(node.spec->name);
  return names;
}

std::string ErrorOf(const PipelineSpec& spec) {
  try {
    BuildGraph(spec);
  } catch (const Error& error) {
    return error.what();
  }
  return "";
}

TEST(DagTest, ModelsComeAfterWhatTheyReadInFileOrderOtherwise) {
  PipelineSpec spec = Spec({{"totals", "SELECT * FROM recent JOIN by_user USING (user_id)"},
                            {"by_user", "SELECT user_id, count(*) AS n FROM recent GROUP BY 1"},
                            {"recent", "SELECT * FROM events WHERE revenue > 0"},
                            {"other", "SELECT * FROM users"}});
  PipelineGraph graph = BuildGraph(spec);
  EXPECT_EQ(Order(graph), (std::vector<std::string>{"recent", "by_user", "totals", "other"}));
  EXPECT_EQ(graph.FindModel("TOTALS")->reads, (std::vector<std::string>{"recent", "by_user"}));
  EXPECT_EQ(graph.Upstream("totals"), (std::vector<std::string>{"recent", "by_user", "totals"}));
  EXPECT_EQ(graph.Upstream("users"), std::vector<std::string>{});
  EXPECT_TRUE(graph.IsSource("Events"));
}

TEST(DagTest, CyclesAreNamedAsThePathThatClosesThem) {
  EXPECT_EQ(
      ErrorOf(Spec({{"a", "SELECT * FROM b"}, {"b", "SELECT * FROM c"}, {"c", "SELECT * FROM a"}})),
      "p.toml:10: models form a cycle: a -> b -> c -> a");
  EXPECT_EQ(ErrorOf(Spec({{"a", "SELECT * FROM a"}})), "p.toml:10: models form a cycle: a -> a");
}

TEST(DagTest, UnknownNamesPointIntoThePipelineFile) {
  std::string error = ErrorOf(Spec({{"a", "SELECT *\nFROM evnts"}}));
  EXPECT_NE(
      error.find(
          "p.toml:12: model a: line 2, column 6: table \"evnts\" is not a source or model of the "
          "pipeline; did you mean \"events\"?"),
      std::string::npos)
      << error;
}

TEST(DagTest, SqlErrorsNameTheModelAndTheFileLine) {
  std::string error = ErrorOf(Spec({{"ok", "SELECT 1"}, {"bad", "SELECT *\n  FORM events"}}));
  EXPECT_EQ(error.rfind("p.toml:22: model bad: line 2, column", 0), 0u) << error;
  EXPECT_EQ(ErrorOf(Spec({{"two", "SELECT 1; SELECT 2"}})),
            "p.toml:10: model two: its SQL must be one query (SELECT, WITH, VALUES, ...), found 2 "
            "statements");
}

TEST(DagTest, DotListsEveryNodeAndEdge) {
  PipelineSpec spec = Spec({{"recent", "SELECT * FROM events"}});
  DataTestSpec test;
  test.label = "not_null(category)";
  spec.models[0].tests.push_back(test);
  SinkSpec sink;
  sink.name = "out";
  sink.model = "recent";
  sink.path = "out/\"r\".parquet";
  spec.sinks.push_back(sink);
  std::string dot = PipelineDot(BuildGraph(spec));
  EXPECT_NE(dot.find("\"source:events\" [shape=cylinder, label=\"events\\ne/*.parquet\"];"),
            std::string::npos)
      << dot;
  EXPECT_NE(
      dot.find(
          "\"model:recent\" [shape=box, style=rounded, label=\"recent\\n✓ not_null(category)\"];"),
      std::string::npos)
      << dot;
  EXPECT_NE(dot.find("label=\"out\\nout/\\\"r\\\".parquet\""), std::string::npos) << dot;
  EXPECT_NE(dot.find("\"source:events\" -> \"model:recent\";"), std::string::npos);
  EXPECT_NE(dot.find("\"model:recent\" -> \"sink:out\";"), std::string::npos);
}

}  // namespace
}  // namespace sluice::pipeline
