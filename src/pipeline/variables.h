// ${VAR} expansion in pipeline files: `${NAME}` takes a --var value or else an environment
// variable, `${NAME:-default}` falls back to the default when the variable is unset or empty,
// and `$$` is a literal `$`. Every variable looked up is remembered with the value it gave,
// because a run's results depend on it (the manifest records them).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "pipeline/pipeline_spec.h"

namespace sluice::pipeline {

using GetEnvFunction = std::function<std::optional<std::string>(const std::string&)>;

class VariableExpander {
 public:
  /// `vars` win over `getenv`; both must outlive the expander.
  VariableExpander(const std::map<std::string, std::string>& vars, const GetEnvFunction& getenv)
      : vars_(vars), getenv_(getenv) {}

  /// Returns `text` with its variables replaced. `start` is where `text` begins in `file`, so
  /// that an error (an undefined variable, an unclosed `${`) names the line and column of the
  /// reference: `pipeline.toml:4:9: undefined variable ${DATA_DIR}; ...`.
  std::string Expand(std::string_view text, const std::string& file, FilePos start);

  /// The variables expanded so far, by name, with the value each gave (a default included).
  const std::map<std::string, std::string>& used() const { return used_; }

 private:
  std::optional<std::string> Lookup(const std::string& name) const;

  const std::map<std::string, std::string>& vars_;
  const GetEnvFunction& getenv_;
  std::map<std::string, std::string> used_;
};

}  // namespace sluice::pipeline
