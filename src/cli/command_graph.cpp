// `sluice graph PIPELINE.toml`: the pipeline's sources, models and sinks as Graphviz DOT on
// stdout (render with `dot -Tpng`), after checking the file and parsing the models' SQL. It does
// not bind the SQL, which would need the input files; `sluice run --dry-run` does.
#include <fmt/format.h>

#include <map>
#include <memory>

#include "cli/commands.h"
#include "cli/usage_error.h"
#include "pipeline/dag.h"
#include "pipeline/graph_dot.h"
#include "pipeline/pipeline_file.h"

namespace sluice::cli {

namespace {

struct GraphOptions {
  std::string file;
  std::vector<std::string> vars;
};

}  // namespace

void AddGraph(CLI::App& app, const GlobalOptions& /*global*/, Action* action) {
  auto options = std::make_shared<GraphOptions>();
  CLI::App* command = app.add_subcommand("graph", "Print a pipeline's DAG as Graphviz DOT");
  command->add_option("pipeline", options->file, "The pipeline file (TOML)")->required();
  command->add_option("--var", options->vars,
                      "Set ${KEY} in the pipeline file: KEY=VALUE (repeatable)");
  command->callback([options, action] {
    *action = [options] {
      pipeline::PipelineSpec spec =
          pipeline::LoadPipelineFile(options->file, ParseVarOptions(options->vars));
      pipeline::PipelineGraph graph = pipeline::BuildGraph(spec);
      fmt::print("{}", pipeline::PipelineDot(graph));
    };
  });
}

}  // namespace sluice::cli
