// The `tests` table of pipeline sources and models (see pipeline_file_tests.h).
#include "pipeline/pipeline_file_tests.h"

#include <fmt/format.h>

#include "core/schema.h"

namespace sluice::pipeline {

namespace {

constexpr std::string_view kTestNames[] = {"not_null",  "unique",        "accepted_values",
                                           "row_count", "relationships", "expect_empty"};

bool IsBlank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

class TestsReader {
 public:
  TestsReader(const TomlReader& reader, const std::string& owner) : r_(reader), owner_(owner) {}

  std::vector<DataTestSpec> Read(const toml::node& tests) {
    const toml::table& table = r_.Table(tests, owner_ + " tests");
    for (const auto& [key, node] : InFileOrder(table)) {
      const std::string_view name = key->str();
      const std::string what = fmt::format("{} tests.{}", owner_, name);
      if (name == "not_null") {
        ReadNotNull(*node, what);
      } else if (name == "unique") {
        ReadUnique(*node, what);
      } else if (name == "accepted_values") {
        ReadAcceptedValues(*node, what);
      } else if (name == "row_count") {
        ReadRowCount(*key, *node, what);
      } else if (name == "relationships") {
        ReadRelationships(*node, what);
      } else if (name == "expect_empty") {
        ReadExpectEmpty(*node, what);
      } else {
        std::vector<std::string> names(std::begin(kTestNames), std::end(kTestNames));
        std::string message = fmt::format("unknown test \"{}\" in {} tests", name, owner_);
        if (auto suggestion = ClosestName(name, names)) {
          message += fmt::format("; did you mean \"{}\"?", *suggestion);
        } else {
          message += fmt::format("; the tests are {}", fmt::join(names, ", "));
        }
        r_.Fail(PosOf(*key), message);
      }
    }
    return std::move(tests_);
  }

 private:
  std::string Column(const toml::node& node, std::string_view what) const {
    if (!node.is_string()) {
      r_.Fail(PosOf(node),
              fmt::format("{} must name columns as strings, not {}", what, TypeName(node)));
    }
    const std::string& name = node.as_string()->get();
    if (name.empty()) r_.Fail(PosOf(node), fmt::format("{} has an empty column name", what));
    return name;
  }

  DataTestSpec& Add(DataTestSpec::Kind kind, FilePos pos) {
    DataTestSpec& test = tests_.emplace_back();
    test.kind = kind;
    test.pos = pos;
    return test;
  }

  /// `not_null = ["a", "b"]` (or one name as a string): one test per column.
  void ReadNotNull(const toml::node& node, const std::string& what) {
    auto add = [&](const toml::node& element) {
      DataTestSpec& test = Add(DataTestSpec::Kind::kNotNull, PosOf(element));
      test.columns.push_back(Column(element, what));
      test.label = fmt::format("not_null({})", test.columns[0]);
    };
    if (node.is_string()) return add(node);
    if (!node.is_array()) {
      r_.Fail(PosOf(node),
              fmt::format("{} must be an array of column names, not {}", what, TypeName(node)));
    }
    for (const toml::node& element : *node.as_array()) add(element);
  }

  /// `unique = ["id", ["a", "b"]]`: a test per entry, each on one column or a set of them.
  void ReadUnique(const toml::node& node, const std::string& what) {
    auto add = [&](const toml::node& element) {
      DataTestSpec& test = Add(DataTestSpec::Kind::kUnique, PosOf(element));
      if (const toml::array* columns = element.as_array()) {
        if (columns->empty()) {
          r_.Fail(PosOf(element), fmt::format("{} has an empty list of columns", what));
        }
        for (const toml::node& column : *columns) test.columns.push_back(Column(column, what));
      } else {
        test.columns.push_back(Column(element, what));
      }
      test.label = fmt::format("unique({})", fmt::join(test.columns, ", "));
    };
    if (node.is_string()) return add(node);
    if (!node.is_array()) {
      r_.Fail(PosOf(node),
              fmt::format("{} must be an array of column names (or of arrays of them), not {}",
                          what, TypeName(node)));
    }
    for (const toml::node& element : *node.as_array()) add(element);
  }

  /// `accepted_values = { status = ["new", "paid"] }`: a test per column.
  void ReadAcceptedValues(const toml::node& node, const std::string& what) {
    if (!node.is_table()) {
      r_.Fail(PosOf(node), fmt::format("{} must be a table of column = [values], e.g. "
                                       "{{ status = [\"new\", \"paid\"] }}, not {}",
                                       what, TypeName(node)));
    }
    for (const auto& [key, values] : InFileOrder(*node.as_table())) {
      const std::string column(key->str());
      const std::string values_what = fmt::format("{}.{}", what, column);
      if (column.empty()) r_.Fail(PosOf(*key), fmt::format("{} has an empty column name", what));
      const toml::array& array = r_.Array(*values, values_what);
      if (array.empty()) {
        r_.Fail(PosOf(*values), fmt::format("{} lists no values", values_what));
      }
      DataTestSpec& test = Add(DataTestSpec::Kind::kAcceptedValues, PosOf(*key));
      test.columns.push_back(column);
      for (const toml::node& value : array) {
        test.values.push_back(r_.SqlLiteral(value, values_what, /*scalars_only=*/true));
      }
      test.label = fmt::format("accepted_values({})", column);
    }
  }

  /// `row_count = { min = 1, max = 10 }`, either bound optional but not both.
  void ReadRowCount(const toml::key& key, const toml::node& node, const std::string& what) {
    if (!node.is_table()) {
      r_.Fail(PosOf(node), fmt::format("{} must be a table like {{ min = 1, max = 100 }}, not {}",
                                       what, TypeName(node)));
    }
    const toml::table& table = *node.as_table();
    r_.CheckKeys(table, {"min", "max"}, what);
    DataTestSpec& test = Add(DataTestSpec::Kind::kRowCount, PosOf(key));
    std::vector<std::string> parts;
    for (const char* bound : {"min", "max"}) {
      const toml::node* value = table.get(bound);
      if (value == nullptr) continue;
      const std::string bound_what = fmt::format("{}.{}", what, bound);
      const int64_t rows = r_.Integer(*value, bound_what);
      if (rows < 0) r_.Fail(PosOf(*value), fmt::format("{} must not be negative", bound_what));
      (bound[1] == 'i' ? test.min_rows : test.max_rows) = rows;
      parts.push_back(fmt::format("{} {}", bound, rows));
    }
    if (parts.empty()) {
      r_.Fail(PosOf(node), fmt::format("{} needs min or max (or both)", what));
    }
    if (test.min_rows && test.max_rows && *test.min_rows > *test.max_rows) {
      r_.Fail(PosOf(node),
              fmt::format("{} has min {} above max {}", what, *test.min_rows, *test.max_rows));
    }
    test.label = fmt::format("row_count({})", fmt::join(parts, ", "));
  }

  /// `relationships = { user_id = "users.user_id" }`: a test per column.
  void ReadRelationships(const toml::node& node, const std::string& what) {
    if (!node.is_table()) {
      r_.Fail(PosOf(node), fmt::format("{} must be a table of column = \"relation.column\", e.g. "
                                       "{{ user_id = \"users.user_id\" }}, not {}",
                                       what, TypeName(node)));
    }
    for (const auto& [key, target] : InFileOrder(*node.as_table())) {
      const std::string column(key->str());
      const std::string target_what = fmt::format("{}.{}", what, column);
      if (column.empty()) r_.Fail(PosOf(*key), fmt::format("{} has an empty column name", what));
      const std::string& to = r_.String(*target, target_what);
      const size_t dot = to.find('.');
      if (dot == std::string::npos || dot == 0 || dot + 1 == to.size() ||
          !IsSqlIdentifier(std::string_view(to).substr(0, dot))) {
        r_.Fail(PosOf(*target),
                fmt::format("{} is \"{}\"; it must be \"relation.column\", e.g. \"users.user_id\"",
                            target_what, to));
      }
      DataTestSpec& test = Add(DataTestSpec::Kind::kRelationships, PosOf(*target));
      test.columns.push_back(column);
      test.to_relation = to.substr(0, dot);
      test.to_column = to.substr(dot + 1);
      test.label = fmt::format("relationships({} -> {})", column, to);
    }
  }

  /// `expect_empty = "SELECT ..."` (or an array of such queries).
  void ReadExpectEmpty(const toml::node& node, const std::string& what) {
    auto add = [&](const toml::node& element, std::string label) {
      if (!element.is_string()) {
        r_.Fail(PosOf(element),
                fmt::format("{} must be a SQL query as a string, not {}", what, TypeName(element)));
      }
      DataTestSpec& test = Add(DataTestSpec::Kind::kExpectEmpty, r_.StringStart(element));
      test.sql = r_.ExpandedString(element, what);
      if (IsBlank(test.sql)) r_.Fail(PosOf(element), fmt::format("{} is empty", what));
      test.label = std::move(label);
    };
    if (node.is_string()) return add(node, "expect_empty");
    if (!node.is_array()) {
      r_.Fail(PosOf(node),
              fmt::format("{} must be a SQL query as a string, not {}", what, TypeName(node)));
    }
    const toml::array& array = *node.as_array();
    for (size_t i = 0; i < array.size(); ++i) {
      add(array[i], fmt::format("expect_empty[{}]", i + 1));
    }
  }

  const TomlReader& r_;
  const std::string& owner_;
  std::vector<DataTestSpec> tests_;
};

}  // namespace

std::vector<DataTestSpec> ReadDataTests(const TomlReader& reader, const toml::node& tests,
                                        const std::string& owner) {
  return TestsReader(reader, owner).Read(tests);
}

}  // namespace sluice::pipeline
