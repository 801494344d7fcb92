// Reading values out of a parsed pipeline file: typed getters whose errors point at the value
// (FILE:LINE:COL), members of a table in the order they are written (toml++ keeps tables as
// sorted maps), unknown-key checks with "did you mean", and TOML values rendered as SQL literals.
// Internal to pipeline_file*.cpp.
#pragma once

#include <toml++/toml.h>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pipeline/pipeline_spec.h"
#include "pipeline/variables.h"

namespace sluice::pipeline {

FilePos PosOf(const toml::source_region& region);
inline FilePos PosOf(const toml::node& node) {
  return PosOf(node.source());
}
inline FilePos PosOf(const toml::key& key) {
  return PosOf(key.source());
}

/// Orders positions as they appear in the file.
inline bool Before(FilePos a, FilePos b) {
  return a.line != b.line ? a.line < b.line : a.column < b.column;
}

/// One member of a table: its key and its value.
using TomlMember = std::pair<const toml::key*, const toml::node*>;

/// Returns the members of `table` in file order (by the position of their keys).
std::vector<TomlMember> InFileOrder(const toml::table& table);

/// Tells whether `name` is a SQL identifier that needs no quoting: [A-Za-z_][A-Za-z0-9_]*.
bool IsSqlIdentifier(std::string_view name);

class TomlReader {
 public:
  TomlReader(std::string_view text, std::string file, VariableExpander* variables);

  const std::string& file() const { return file_; }
  VariableExpander& variables() const { return *variables_; }

  /// Throws invalid input: "FILE:LINE:COL: message".
  [[noreturn]] void Fail(FilePos pos, const std::string& message) const;

  /// Throws for the first key of `table` (in file order) not in `allowed`, suggesting the
  /// closest allowed key: `unknown key "pth" in [sources.events]; did you mean "path"?`.
  /// `where` names the table ("[sources.events]", "the top level").
  void CheckKeys(const toml::table& table, std::initializer_list<std::string_view> allowed,
                 std::string_view where) const;

  // Typed access: each throws "WHAT must be a string, not an integer" at the value otherwise,
  // where `what` names the key and its table ("[settings] threads").
  const std::string& String(const toml::node& node, std::string_view what) const;
  int64_t Integer(const toml::node& node, std::string_view what) const;
  bool Boolean(const toml::node& node, std::string_view what) const;
  const toml::table& Table(const toml::node& node, std::string_view what) const;
  const toml::array& Array(const toml::node& node, std::string_view what) const;

  /// Where the text of a string value starts: after its opening quote(s), and on the next line
  /// when a multi-line string opens with a line break (which TOML drops).
  FilePos StringStart(const toml::node& node) const;
  /// A string value with its ${VAR}s expanded.
  std::string ExpandedString(const toml::node& node, std::string_view what) const;

  /// Renders a TOML value as a SQL literal: 'text' (quotes doubled), integers, floats (finite),
  /// true/false, DATE/TIME/TIMESTAMP '...', arrays as [a, b] and tables as {'k': v} in file
  /// order. `scalars_only` rejects arrays and tables.
  std::string SqlLiteral(const toml::node& node, std::string_view what,
                         bool scalars_only = false) const;

 private:
  std::string_view text_;
  std::string file_;
  VariableExpander* variables_;
  std::vector<size_t> line_starts_;  ///< Byte offset of each line (index 0 = line 1).
};

/// Names a value's type for messages: "a string", "an integer", "a table", ...
std::string_view TypeName(const toml::node& node);

}  // namespace sluice::pipeline
