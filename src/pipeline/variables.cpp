// ${VAR} expansion for pipeline files (see variables.h).
#include "pipeline/variables.h"

#include "core/error.h"
#include "pipeline/toml_reader.h"

namespace sluice::pipeline {

namespace {

/// Tracks the line and column of a byte while walking text; columns count UTF-8 code points,
/// as toml++ counts them, so positions agree with those of the TOML parser.
struct Cursor {
  int line;
  int column;
  void Advance(char c) {
    if (c == '\n') {
      ++line;
      column = 1;
    } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      ++column;
    }
  }
};

}  // namespace

std::optional<std::string> VariableExpander::Lookup(const std::string& name) const {
  if (auto it = vars_.find(name); it != vars_.end()) return it->second;
  return getenv_ ? getenv_(name) : std::nullopt;
}

std::string VariableExpander::Expand(std::string_view text, const std::string& file,
                                     FilePos start) {
  std::string out;
  out.reserve(text.size());
  Cursor cursor{start.line, start.column};
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    const char next = i + 1 < text.size() ? text[i + 1] : '\0';
    if (c != '$' || (next != '$' && next != '{')) {
      out.push_back(c);
      cursor.Advance(c);
      ++i;
      continue;
    }
    if (next == '$') {
      out.push_back('$');
      cursor.Advance('$');
      cursor.Advance('$');
      i += 2;
      continue;
    }
    const int line = cursor.line;
    const int column = cursor.column;
    const size_t close = text.find('}', i + 2);
    if (close == std::string_view::npos) {
      ThrowInvalid("{}:{}:{}: \"${{\" is not closed by \"}}\" (write $$ for a literal $)", file,
                   line, column);
    }
    const std::string_view inner = text.substr(i + 2, close - i - 2);
    const size_t separator = inner.find(":-");
    const std::string name(inner.substr(0, separator));
    if (!IsSqlIdentifier(name)) {  // Variable names follow the same rule.
      ThrowInvalid(
          "{}:{}:{}: \"${{{}}}\" does not name a variable: use ${{NAME}} or ${{NAME:-default}}, "
          "where NAME is letters, digits and _ (write $$ for a literal $)",
          file, line, column, inner);
    }
    std::optional<std::string> value = Lookup(name);
    if (separator != std::string_view::npos && (!value || value->empty())) {
      value = std::string(inner.substr(separator + 2));
    }
    if (!value) {
      ThrowInvalid(
          "{}:{}:{}: undefined variable ${{{}}}; pass --var {}=... or set it in the environment "
          "(or give a default: ${{{}:-default}})",
          file, line, column, name, name, name);
    }
    used_[name] = *value;
    out += *value;
    for (size_t j = i; j <= close; ++j) cursor.Advance(text[j]);
    i = close + 1;
  }
  return out;
}

}  // namespace sluice::pipeline
