// Preparing a run: sources become views over read_parquet / read_csv, models become views in
// dependency order, and every test and sink is checked against the schemas they will see.
#include "pipeline/prepare.h"

#include <fmt/format.h>

#include <algorithm>
#include <regex>
#include <set>

#include "core/error.h"
#include "core/schema.h"
#include "pipeline/data_tests.h"
#include "plan/explain.h"
#include "plan/optimizer.h"
#include "sql/bind_names.h"

namespace sluice::pipeline {

namespace {

std::string Quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    out += c;
    if (c == '\'') out += '\'';
  }
  return out + "'";
}

/// `SELECT * FROM read_parquet('path', k = v, ...)`: a source accepts exactly the options of the
/// SQL table functions, with their messages.
std::string SourceSql(const SourceSpec& source) {
  std::string call = source.format == SourceSpec::Format::kCsv ? "read_csv" : "read_parquet";
  std::string sql = fmt::format("SELECT * FROM {}({}", call, Quoted(source.resolved_path));
  for (const auto& [key, value] : source.options) sql += fmt::format(", {} = {}", key, value);
  return sql + ")";
}

/// A binder message about the generated read_parquet(...) call, without the place in that SQL
/// (which the user never wrote): "line 1, column 15: no files match ...\n<sql>\n<caret>" ->
/// "no files match ...".
std::string WithoutSqlPlace(std::string message) {
  static const std::regex kPlace(R"(^line \d+, column \d+: )");
  message = std::regex_replace(message, kPlace, "", std::regex_constants::format_first_only);
  return message.substr(0, message.find('\n'));
}

void CollectFiles(const LogicalPlan& plan, std::set<std::string>* files) {
  if (plan.kind == PlanKind::kScan && plan.source &&
      plan.source->format != ScanSource::Format::kMemory) {
    files->insert(plan.source->files.begin(), plan.source->files.end());
  }
  for (const PlanPtr& input : plan.inputs) CollectFiles(*input, files);
}

}  // namespace

std::vector<std::string> PlanInputFiles(const PlanPtr& plan) {
  std::set<std::string> files;
  CollectFiles(*plan, &files);
  return {files.begin(), files.end()};
}

PreparedPipeline::PreparedPipeline(const PipelineSpec& spec, const RunOptions& run)
    : spec_(&spec), graph_(BuildGraph(spec)), session_(std::make_unique<sql::Session>(run)) {
  DefineSources();
  BindModels();
  CheckTestsAndSinks();
  for (const SinkSpec& sink : spec.sinks) {
    SinkPlan plan;
    plan.sink = &sink;
    plan.plan = RelationPlan(sink.model);
    plan.plan_text = ExplainPlan(Optimize(plan.plan));
    plan.models = graph_.Upstream(sink.model);
    std::set<std::string> relations(plan.models.begin(), plan.models.end());
    relations.insert(sink.model);
    for (const std::string& model : plan.models) {
      const ModelNode* node = graph_.FindModel(model);
      relations.insert(node->reads.begin(), node->reads.end());
    }
    plan.relations.assign(relations.begin(), relations.end());
    // The files it reads, and those its data tests read (a relationships target, an
    // expect_empty query): a change to any of them makes the sink stale.
    std::set<std::string> files;
    for (const std::string& file : PlanInputFiles(plan.plan)) files.insert(file);
    for (const std::string& relation : plan.relations) {
      for (const DataTestSpec& test : TestsOf(relation)) {
        for (const std::string& file :
             PlanInputFiles(session_->PlanQuery(DataTestSql(test, relation)))) {
          files.insert(file);
        }
      }
    }
    plan.input_files.assign(files.begin(), files.end());
    sinks_.push_back(std::move(plan));
  }
}

void PreparedPipeline::DefineSources() {
  for (const SourceSpec& source : spec_->sources) {
    try {
      PlanPtr plan = session_->PlanQuery(SourceSql(source));
      session_->catalog().Put({sql::Catalog::Kind::kView, source.name, plan});
    } catch (const Error& error) {
      throw Error(error.kind(), fmt::format("{}:{}: source {}: {}", spec_->file, source.pos.line,
                                            source.name, WithoutSqlPlace(error.what())));
    }
  }
}

void PreparedPipeline::BindModels() {
  for (const ModelNode& node : graph_.models) {
    const ModelSpec& model = *node.spec;
    if (std::find(materialized_.begin(), materialized_.end(), model.name) != materialized_.end())
      continue;
    try {
      PlanPtr plan = session_->Bind(*node.query, model.sql);
      session_->catalog().Put({sql::Catalog::Kind::kView, model.name, plan}, /*or_replace=*/true);
    } catch (const Error& error) {
      throw Error(error.kind(), ModelErrorMessage(*spec_, model, error.what()));
    }
  }
}

void PreparedPipeline::CheckTestsAndSinks() {
  for (const SourceSpec& source : spec_->sources) {
    for (const DataTestSpec& test : source.tests)
      CheckDataTest(*session_, source.name, test, spec_->file, "source");
  }
  for (const ModelSpec& model : spec_->models) {
    for (const DataTestSpec& test : model.tests)
      CheckDataTest(*session_, model.name, test, spec_->file);
  }
  for (const SinkSpec& sink : spec_->sinks) {
    const Schema& schema = *RelationPlan(sink.model)->schema;
    std::vector<std::string> names;
    for (const Field& field : schema.fields()) names.push_back(field.name);
    for (const std::string& column : sink.partition_by) {
      if (schema.FindField(column)) continue;
      std::string message =
          fmt::format("{}:{}: [sinks.{}] partition_by column \"{}\" is not a column of {}",
                      spec_->file, sink.pos.line, sink.name, column, sink.model);
      if (auto closest = ClosestName(column, names))
        message += fmt::format("; did you mean \"{}\"?", *closest);
      ThrowInvalid("{}", message);
    }
    if (!sink.partition_by.empty() && sink.partition_by.size() >= schema.size()) {
      ThrowInvalid(
          "{}:{}: [sinks.{}] partition_by names every column of {}, which would leave the files "
          "with none",
          spec_->file, sink.pos.line, sink.name, sink.model);
    }
  }
}

void PreparedPipeline::Materialize(const std::string& model, const std::string& parquet_file) {
  PlanPtr plan =
      session_->PlanQuery(fmt::format("SELECT * FROM read_parquet({})", Quoted(parquet_file)));
  session_->catalog().Put({sql::Catalog::Kind::kView, model, plan}, /*or_replace=*/true);
  materialized_.push_back(model);
  BindModels();
}

PlanPtr PreparedPipeline::RelationPlan(const std::string& name) const {
  const sql::Catalog::Entry* entry = session_->catalog().Find(name);
  SLUICE_CHECK(entry != nullptr);
  return entry->plan;
}

const std::vector<DataTestSpec>& PreparedPipeline::TestsOf(const std::string& relation) const {
  static const std::vector<DataTestSpec> kNone;
  std::string lower = sql::LowerName(relation);
  for (const SourceSpec& source : spec_->sources) {
    if (sql::LowerName(source.name) == lower) return source.tests;
  }
  for (const ModelSpec& model : spec_->models) {
    if (sql::LowerName(model.name) == lower) return model.tests;
  }
  return kNone;
}

}  // namespace sluice::pipeline
