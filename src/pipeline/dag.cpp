// Building the pipeline's graph: parse each model, collect the names it reads, order the models
// depth-first in file order, and report the first cycle found as the path that closes it.
#include "pipeline/dag.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <regex>
#include <set>

#include "core/error.h"
#include "core/schema.h"
#include "sql/bind_names.h"
#include "sql/parser.h"
#include "sql/table_refs.h"

namespace sluice::pipeline {

namespace {

std::string FileName(const PipelineSpec& spec) {
  return spec.file.empty() ? "pipeline" : spec.file;
}

std::shared_ptr<sql::Query> ParseModel(const PipelineSpec& spec, const ModelSpec& model) {
  std::vector<sql::Statement> statements;
  try {
    statements = sql::ParseSql(model.sql);
  } catch (const Error& error) {
    throw Error(error.kind(), ModelErrorMessage(spec, model, error.what()));
  }
  if (statements.size() != 1 || statements[0].kind != sql::StatementKind::kQuery) {
    ThrowInvalid("{}:{}: model {}: its SQL must be one query (SELECT, WITH, VALUES, ...), found {}",
                 FileName(spec), model.pos.line, model.name,
                 statements.empty() ? "none" : fmt::format("{} statements", statements.size()));
  }
  return statements[0].query;
}

}  // namespace

std::string ModelErrorMessage(const PipelineSpec& spec, const ModelSpec& model,
                              const std::string& message) {
  if (!model.sql_file.empty())
    return fmt::format("model {} ({}): {}", model.name, model.sql_file, message);
  // "line L, column C: ..." from the SQL error: the SQL's line L is the file's line
  // sql_first_line + L - 1.
  static const std::regex kSqlPlace(R"(^line (\d+), column \d+:)");
  std::smatch match;
  int line = model.pos.line;
  if (std::regex_search(message, match, kSqlPlace))
    line = model.sql_first_line + std::stoi(match[1]) - 1;
  return fmt::format("{}:{}: model {}: {}", FileName(spec), line, model.name, message);
}

const ModelNode* PipelineGraph::FindModel(const std::string& name) const {
  std::string lower = sql::LowerName(name);
  for (const ModelNode& node : models) {
    if (sql::LowerName(node.spec->name) == lower) return &node;
  }
  return nullptr;
}

bool PipelineGraph::IsSource(const std::string& name) const {
  std::string lower = sql::LowerName(name);
  return std::any_of(spec->sources.begin(), spec->sources.end(), [&](const SourceSpec& source) {
    return sql::LowerName(source.name) == lower;
  });
}

std::vector<std::string> PipelineGraph::Upstream(const std::string& relation) const {
  std::set<std::string> needed;
  std::vector<std::string> pending{relation};
  while (!pending.empty()) {
    const ModelNode* node = FindModel(pending.back());
    pending.pop_back();
    if (node == nullptr || !needed.insert(node->spec->name).second) continue;
    pending.insert(pending.end(), node->reads.begin(), node->reads.end());
  }
  std::vector<std::string> ordered;
  for (const ModelNode& node : models) {
    if (needed.count(node.spec->name)) ordered.push_back(node.spec->name);
  }
  return ordered;
}

PipelineGraph BuildGraph(const PipelineSpec& spec) {
  // Declared names, lower-cased (SQL names are case-insensitive) to the declared spelling.
  std::map<std::string, std::string> declared;
  for (const SourceSpec& source : spec.sources) declared[sql::LowerName(source.name)] = source.name;
  for (const ModelSpec& model : spec.models) declared[sql::LowerName(model.name)] = model.name;
  std::vector<std::string> names;
  for (const auto& [lower, name] : declared) names.push_back(name);

  std::map<std::string, ModelNode> nodes;  // By declared model name.
  for (const ModelSpec& model : spec.models) {
    ModelNode node{&model, ParseModel(spec, model), {}};
    for (const sql::TableNameRef& ref : sql::ReferencedTableNames(*node.query)) {
      auto found = declared.find(sql::LowerName(ref.name));
      if (found == declared.end()) {
        std::string message =
            fmt::format("table \"{}\" is not a source or model of the pipeline", ref.name);
        if (auto closest = ClosestName(ref.name, names))
          message += fmt::format("; did you mean \"{}\"?", *closest);
        ThrowInvalid("{}", ModelErrorMessage(spec, model,
                                             fmt::format("line {}, column {}: {}", ref.pos.line,
                                                         ref.pos.column, message)));
      }
      node.reads.push_back(found->second);
    }
    nodes.emplace(model.name, std::move(node));
  }

  // Depth-first, in file order; `path` holds the models being visited, to name a cycle.
  PipelineGraph graph;
  graph.spec = &spec;
  std::set<std::string> done;
  std::vector<std::string> path;
  auto visit = [&](auto&& self, const std::string& name) -> void {
    auto node = nodes.find(name);
    if (node == nodes.end() || done.count(name)) return;  // A source, or ordered already.
    auto on_path = std::find(path.begin(), path.end(), name);
    if (on_path != path.end()) {
      std::string cycle;
      for (auto it = on_path; it != path.end(); ++it) cycle += *it + " -> ";
      ThrowInvalid("{}:{}: models form a cycle: {}{}", FileName(spec), node->second.spec->pos.line,
                   cycle, name);
    }
    path.push_back(name);
    for (const std::string& read : node->second.reads) self(self, read);
    path.pop_back();
    done.insert(name);
    graph.models.push_back(std::move(node->second));
  };
  for (const ModelSpec& model : spec.models) visit(visit, model.name);
  return graph;
}

}  // namespace sluice::pipeline
