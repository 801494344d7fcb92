// Typed, positioned access to a parsed pipeline file (see toml_reader.h).
#include "pipeline/toml_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "core/schema.h"

namespace sluice::pipeline {

namespace {

std::string QuoteSql(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out.push_back('\'');
    out.push_back(c);
  }
  out.push_back('\'');
  return out;
}

std::string FormatDate(const toml::date& date) {
  return fmt::format("{:04}-{:02}-{:02}", date.year, date.month, date.day);
}

std::string FormatTime(const toml::time& time) {
  std::string out = fmt::format("{:02}:{:02}:{:02}", time.hour, time.minute, time.second);
  if (time.nanosecond != 0) {
    std::string fraction = fmt::format("{:09}", time.nanosecond);
    while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
    out += "." + fraction;
  }
  return out;
}

}  // namespace

FilePos PosOf(const toml::source_region& region) {
  return FilePos{static_cast<int>(region.begin.line), static_cast<int>(region.begin.column)};
}

std::vector<TomlMember> InFileOrder(const toml::table& table) {
  std::vector<TomlMember> members;
  members.reserve(table.size());
  for (const auto& [key, node] : table) members.emplace_back(&key, &node);
  std::stable_sort(members.begin(), members.end(), [](const TomlMember& a, const TomlMember& b) {
    return Before(PosOf(*a.first), PosOf(*b.first));
  });
  return members;
}

bool IsSqlIdentifier(std::string_view name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
    if (!letter && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

std::string_view TypeName(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a float";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time";
    case toml::node_type::date_time: return "a date-time";
    default: return "nothing";
  }
}

TomlReader::TomlReader(std::string_view text, std::string file, VariableExpander* variables)
    : text_(text), file_(std::move(file)), variables_(variables) {
  line_starts_.push_back(0);
  for (size_t i = 0; i < text_.size(); ++i) {
    if (text_[i] == '\n') line_starts_.push_back(i + 1);
  }
}

void TomlReader::Fail(FilePos pos, const std::string& message) const {
  ThrowInvalid("{}:{}:{}: {}", file_, pos.line, pos.column, message);
}

void TomlReader::CheckKeys(const toml::table& table,
                           std::initializer_list<std::string_view> allowed,
                           std::string_view where) const {
  for (const auto& [key, node] : InFileOrder(table)) {
    const std::string_view name = key->str();
    if (std::find(allowed.begin(), allowed.end(), name) != allowed.end()) continue;
    std::vector<std::string> candidates(allowed.begin(), allowed.end());
    std::string message = fmt::format("unknown key \"{}\" in {}", name, where);
    if (auto suggestion = ClosestName(name, candidates)) {
      message += fmt::format("; did you mean \"{}\"?", *suggestion);
    } else {
      message += fmt::format("; the keys are {}", fmt::join(candidates, ", "));
    }
    Fail(PosOf(*key), message);
  }
}

const std::string& TomlReader::String(const toml::node& node, std::string_view what) const {
  if (const auto* value = node.as_string()) return value->get();
  Fail(PosOf(node), fmt::format("{} must be a string, not {}", what, TypeName(node)));
}

int64_t TomlReader::Integer(const toml::node& node, std::string_view what) const {
  if (const auto* value = node.as_integer()) return value->get();
  Fail(PosOf(node), fmt::format("{} must be an integer, not {}", what, TypeName(node)));
}

bool TomlReader::Boolean(const toml::node& node, std::string_view what) const {
  if (const auto* value = node.as_boolean()) return value->get();
  Fail(PosOf(node), fmt::format("{} must be true or false, not {}", what, TypeName(node)));
}

const toml::table& TomlReader::Table(const toml::node& node, std::string_view what) const {
  if (const auto* value = node.as_table()) return *value;
  Fail(PosOf(node), fmt::format("{} must be a table, not {}", what, TypeName(node)));
}

const toml::array& TomlReader::Array(const toml::node& node, std::string_view what) const {
  if (const auto* value = node.as_array()) return *value;
  Fail(PosOf(node), fmt::format("{} must be an array, not {}", what, TypeName(node)));
}

FilePos TomlReader::StringStart(const toml::node& node) const {
  FilePos pos = PosOf(node);
  if (pos.line < 1 || static_cast<size_t>(pos.line) > line_starts_.size()) return pos;
  // Walk to the column (counted in code points) to find the opening quote's byte.
  size_t offset = line_starts_[pos.line - 1];
  for (int column = 1; column < pos.column && offset < text_.size() && text_[offset] != '\n';
       ++column) {
    ++offset;
    while (offset < text_.size() && (static_cast<unsigned char>(text_[offset]) & 0xC0) == 0x80) {
      ++offset;
    }
  }
  const std::string_view rest = text_.substr(std::min(offset, text_.size()));
  if (rest.starts_with("\"\"\"") || rest.starts_with("'''")) {
    if (rest.substr(3).starts_with("\n") || rest.substr(3).starts_with("\r\n")) {
      return FilePos{pos.line + 1, 1};
    }
    return FilePos{pos.line, pos.column + 3};
  }
  if (rest.starts_with("\"") || rest.starts_with("'")) return FilePos{pos.line, pos.column + 1};
  return pos;
}

std::string TomlReader::ExpandedString(const toml::node& node, std::string_view what) const {
  const std::string& text = String(node, what);
  return variables_->Expand(text, file_, StringStart(node));
}

std::string TomlReader::SqlLiteral(const toml::node& node, std::string_view what,
                                   bool scalars_only) const {
  switch (node.type()) {
    case toml::node_type::string: return QuoteSql(node.as_string()->get());
    case toml::node_type::integer: return fmt::format("{}", node.as_integer()->get());
    case toml::node_type::floating_point: {
      const double value = node.as_floating_point()->get();
      if (!std::isfinite(value)) {
        Fail(PosOf(node), fmt::format("{} must be a finite number, not {}", what, value));
      }
      std::string text = fmt::format("{}", value);
      if (text.find_first_of(".eE") == std::string::npos) text += ".0";
      return text;
    }
    case toml::node_type::boolean: return node.as_boolean()->get() ? "true" : "false";
    case toml::node_type::date: return "DATE '" + FormatDate(node.as_date()->get()) + "'";
    case toml::node_type::time: return "TIME '" + FormatTime(node.as_time()->get()) + "'";
    case toml::node_type::date_time: {
      const toml::date_time& value = node.as_date_time()->get();
      if (value.offset) {
        Fail(PosOf(node), fmt::format("{}: a date-time with a UTC offset has no SQL literal here; "
                                      "write it as a string",
                                      what));
      }
      return "TIMESTAMP '" + FormatDate(value.date) + " " + FormatTime(value.time) + "'";
    }
    case toml::node_type::array: {
      if (scalars_only) {
        Fail(PosOf(node),
             fmt::format("{} must be a string, number or boolean, not an array", what));
      }
      std::string out = "[";
      const toml::array& array = *node.as_array();
      for (size_t i = 0; i < array.size(); ++i) {
        if (i > 0) out += ", ";
        out += SqlLiteral(array[i], what);
      }
      return out + "]";
    }
    case toml::node_type::table: {
      if (scalars_only) {
        Fail(PosOf(node), fmt::format("{} must be a string, number or boolean, not a table", what));
      }
      std::string out = "{";
      bool first = true;
      for (const auto& [key, value] : InFileOrder(*node.as_table())) {
        if (!first) out += ", ";
        first = false;
        out += QuoteSql(key->str()) + ": " + SqlLiteral(*value, what);
      }
      return out + "}";
    }
    default: Fail(PosOf(node), fmt::format("{} has no value", what));
  }
}

}  // namespace sluice::pipeline
