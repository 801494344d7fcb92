// Implements the run manifest's JSON form with nlohmann::ordered_json, whose objects keep the
// order keys were inserted in: the byte-for-byte stability of equal manifests depends on it.
#include "pipeline/manifest.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "io/fs/atomic_file.h"

namespace sluice::pipeline {
namespace {

using Json = nlohmann::ordered_json;

constexpr int kManifestVersion = 1;

Json FileJson(const ManifestFile& file) {
  Json json = Json::object();
  json["path"] = file.path;
  if (file.rows >= 0) json["rows"] = file.rows;
  json["bytes"] = file.bytes;
  json["hash"] = file.hash;
  return json;
}

Json FilesJson(const std::vector<ManifestFile>& files) {
  Json json = Json::array();
  for (const ManifestFile& file : files) json.push_back(FileJson(file));
  return json;
}

Json SinkJson(const SinkRecord& sink) {
  Json json = Json::object();
  json["name"] = sink.name;
  json["model"] = sink.model;
  json["path"] = sink.path;
  json["format"] = sink.format;
  json["rows"] = sink.rows;
  json["bytes"] = sink.bytes;
  json["hash"] = sink.hash;
  json["fingerprint"] = sink.fingerprint;
  json["inputs"] = sink.inputs;
  json["files"] = FilesJson(sink.files);
  return json;
}

Json TestJson(const TestRecord& test) {
  Json json = Json::object();
  json["relation"] = test.relation;
  json["label"] = test.label;
  json["passed"] = test.passed;
  json["failing_rows"] = test.failing_rows;
  json["detail"] = test.detail;
  return json;
}

Json TimingsJson(const Timings& timings) {
  Json json = Json::object();
  json["started_at"] = timings.started_at;
  json["total_seconds"] = timings.total_seconds;
  json["threads"] = timings.threads;
  json["memory_limit"] = timings.memory_limit;
  Json steps = Json::object();
  for (const auto& [name, seconds] : timings.step_seconds) steps[name] = seconds;
  json["step_seconds"] = std::move(steps);
  Json memory = Json::object();
  for (const auto& [name, bytes] : timings.step_peak_memory) memory[name] = bytes;
  json["step_peak_memory"] = std::move(memory);
  return json;
}

/// Reads `key` into `out` when present; a value of another type throws (a corrupt manifest).
template <typename T>
void Get(const Json& json, const char* key, T* out) {
  const auto it = json.find(key);
  if (it != json.end() && !it->is_null()) *out = it->template get<T>();
}

/// Like Get, for a key whose value must be an object or array (nlohmann would iterate a
/// string's characters or a number as if they were elements).
const Json* Child(const Json& json, const char* key, bool object) {
  const auto it = json.find(key);
  if (it == json.end() || it->is_null()) return nullptr;
  if (object ? !it->is_object() : !it->is_array()) {
    throw std::runtime_error(fmt::format("\"{}\" is not {}", key, object ? "an object" : "a list"));
  }
  return &*it;
}

ManifestFile ParseFile(const Json& json) {
  ManifestFile file;
  Get(json, "path", &file.path);
  Get(json, "rows", &file.rows);
  Get(json, "bytes", &file.bytes);
  Get(json, "hash", &file.hash);
  return file;
}

std::vector<ManifestFile> ParseFiles(const Json& json, const char* key) {
  std::vector<ManifestFile> files;
  if (const Json* list = Child(json, key, false)) {
    for (const Json& item : *list) files.push_back(ParseFile(item));
  }
  return files;
}

Manifest ParseManifest(const Json& json) {
  if (!json.is_object()) throw std::runtime_error("it is not a JSON object");
  int version = kManifestVersion;
  Get(json, "manifest_version", &version);
  if (version != kManifestVersion) {
    throw std::runtime_error(fmt::format("it has manifest_version {}, this sluice writes {}",
                                         version, kManifestVersion));
  }
  Manifest manifest;
  Get(json, "pipeline", &manifest.pipeline);
  Get(json, "pipeline_file", &manifest.pipeline_file);
  Get(json, "pipeline_hash", &manifest.pipeline_hash);
  Get(json, "sluice_version", &manifest.sluice_version);
  if (const Json* variables = Child(json, "variables", true)) {
    for (const auto& [name, value] : variables->items()) {
      manifest.variables[name] = value.get<std::string>();
    }
  }
  manifest.inputs = ParseFiles(json, "inputs");
  if (const Json* sinks = Child(json, "sinks", false)) {
    for (const Json& item : *sinks) {
      SinkRecord sink;
      Get(item, "name", &sink.name);
      Get(item, "model", &sink.model);
      Get(item, "path", &sink.path);
      Get(item, "format", &sink.format);
      Get(item, "rows", &sink.rows);
      Get(item, "bytes", &sink.bytes);
      Get(item, "hash", &sink.hash);
      Get(item, "fingerprint", &sink.fingerprint);
      if (Child(item, "inputs", false) != nullptr) Get(item, "inputs", &sink.inputs);
      sink.files = ParseFiles(item, "files");
      manifest.sinks.push_back(std::move(sink));
    }
  }
  if (const Json* tests = Child(json, "tests", false)) {
    for (const Json& item : *tests) {
      TestRecord test;
      Get(item, "relation", &test.relation);
      Get(item, "label", &test.label);
      Get(item, "passed", &test.passed);
      Get(item, "failing_rows", &test.failing_rows);
      Get(item, "detail", &test.detail);
      manifest.tests.push_back(std::move(test));
    }
  }
  if (const Json* timings = Child(json, "timings", true)) {
    Timings& t = manifest.timings;
    Get(*timings, "started_at", &t.started_at);
    Get(*timings, "total_seconds", &t.total_seconds);
    Get(*timings, "threads", &t.threads);
    Get(*timings, "memory_limit", &t.memory_limit);
    if (const Json* steps = Child(*timings, "step_seconds", true)) {
      for (const auto& [name, value] : steps->items()) {
        t.step_seconds.emplace_back(name, value.get<double>());
      }
    }
    if (const Json* memory = Child(*timings, "step_peak_memory", true)) {
      for (const auto& [name, value] : memory->items()) {
        t.step_peak_memory.emplace_back(name, value.get<int64_t>());
      }
    }
  }
  return manifest;
}

}  // namespace

std::string ManifestJson(const Manifest& manifest) {
  Json json = Json::object();
  json["manifest_version"] = kManifestVersion;
  json["pipeline"] = manifest.pipeline;
  json["pipeline_file"] = manifest.pipeline_file;
  json["pipeline_hash"] = manifest.pipeline_hash;
  json["sluice_version"] = manifest.sluice_version;
  Json variables = Json::object();
  for (const auto& [name, value] : manifest.variables) variables[name] = value;
  json["variables"] = std::move(variables);
  json["inputs"] = FilesJson(manifest.inputs);
  Json sinks = Json::array();
  for (const SinkRecord& sink : manifest.sinks) sinks.push_back(SinkJson(sink));
  json["sinks"] = std::move(sinks);
  Json tests = Json::array();
  for (const TestRecord& test : manifest.tests) tests.push_back(TestJson(test));
  json["tests"] = std::move(tests);
  json["timings"] = TimingsJson(manifest.timings);
  // Invalid UTF-8 (a path of odd bytes) is replaced rather than failing the whole run.
  return json.dump(2, ' ', /*ensure_ascii=*/false, Json::error_handler_t::replace) + "\n";
}

std::optional<Manifest> ReadManifest(const std::string& path, std::string* warning) {
  const auto warn = [&](const std::string& why) {
    if (warning != nullptr) {
      *warning =
          fmt::format("ignoring the run manifest '{}': {}; every sink is rebuilt", path, why);
    }
  };
  std::error_code error;
  if (!std::filesystem::exists(path, error) && !error) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    warn(fmt::format("cannot read it: {}", std::strerror(errno)));
    return std::nullopt;
  }
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const Json json = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) {
    warn("it is not valid JSON");
    return std::nullopt;
  }
  try {
    return ParseManifest(json);
  } catch (const std::exception& e) {  // nlohmann's type errors and ours.
    warn(e.what());
    return std::nullopt;
  }
}

void WriteManifest(const std::string& path, const Manifest& manifest) {
  const std::string text = ManifestJson(manifest);
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) io::CreateDirectories(parent.string());
  io::AtomicFileWriter writer = io::AtomicFileWriter::Open(path);
  writer.Write(text.data(), text.size());
  writer.Commit();
}

}  // namespace sluice::pipeline
