// DOT text for the pipeline graph (see graph_dot.h).
#include "pipeline/graph_dot.h"

#include <fmt/format.h>

#include "sql/bind_names.h"

namespace sluice::pipeline {

namespace {

std::string Escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

/// A DOT string literal.
std::string Quote(const std::string& text) {
  return "\"" + Escape(text) + "\"";
}

/// A node label of several lines (DOT's "\n" breaks them).
std::string Label(const std::string& first, const std::vector<std::string>& more) {
  std::string out = "\"" + Escape(first);
  for (const std::string& line : more) out += "\\n" + Escape(line);
  return out + "\"";
}

std::vector<std::string> TestLabels(const std::vector<DataTestSpec>& tests) {
  std::vector<std::string> labels;
  for (const DataTestSpec& test : tests) labels.push_back("✓ " + test.label);
  return labels;
}

std::string NodeId(const PipelineGraph& graph, const std::string& relation) {
  return Quote((graph.IsSource(relation) ? "source:" : "model:") + sql::LowerName(relation));
}

}  // namespace

std::string PipelineDot(const PipelineGraph& graph) {
  const PipelineSpec& spec = *graph.spec;
  std::string dot =
      fmt::format("digraph {} {{\n  rankdir=LR;\n  node [fontname=\"Helvetica\", fontsize=11];\n",
                  Quote(spec.name));
  for (const SourceSpec& source : spec.sources) {
    std::vector<std::string> lines{source.path};
    for (const std::string& test : TestLabels(source.tests)) lines.push_back(test);
    dot += fmt::format("  {} [shape=cylinder, label={}];\n", NodeId(graph, source.name),
                       Label(source.name, lines));
  }
  for (const ModelSpec& model : spec.models) {
    dot += fmt::format("  {} [shape=box, style=rounded, label={}];\n", NodeId(graph, model.name),
                       Label(model.name, TestLabels(model.tests)));
  }
  for (const SinkSpec& sink : spec.sinks) {
    std::vector<std::string> lines{sink.path};
    if (!sink.partition_by.empty())
      lines.push_back(fmt::format("partitioned by {}", fmt::join(sink.partition_by, ", ")));
    dot += fmt::format("  {} [shape=note, label={}];\n", Quote("sink:" + sink.name),
                       Label(sink.name, lines));
  }
  for (const ModelSpec& model : spec.models) {
    const ModelNode* node = graph.FindModel(model.name);
    for (const std::string& read : node->reads) {
      dot += fmt::format("  {} -> {};\n", NodeId(graph, read), NodeId(graph, model.name));
    }
  }
  for (const SinkSpec& sink : spec.sinks) {
    dot += fmt::format("  {} -> {};\n", NodeId(graph, sink.model), Quote("sink:" + sink.name));
  }
  return dot + "}\n";
}

}  // namespace sluice::pipeline
