// Reads option values from their syntax trees; see option_value.h.
#include "sql/option_value.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "core/scalar.h"
#include "sql/binder.h"
#include "sql/sql_error.h"

namespace sluice::sql {

namespace {
std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}
}  // namespace

std::string OptionText(const AstExpr& value, std::string_view option, std::string_view sql) {
  switch (value.kind) {
    case AstExprKind::kColumnRef:
      if (value.names.size() == 1) return value.names[0];
      break;
    case AstExprKind::kLiteral:
      switch (value.literal_kind) {
        case LiteralKind::kNull:
          ThrowSqlError(sql, value.pos, fmt::format("{} cannot be NULL", option));
        case LiteralKind::kTrue: return "true";
        case LiteralKind::kFalse: return "false";
        default: return value.text;
      }
    default: break;
  }
  // Anything else must be a constant (`100 * 1000`, `'a' || 'b'`): the binder evaluates it.
  Scalar scalar = BindConstant(value, sql);
  if (scalar.is_null()) ThrowSqlError(sql, value.pos, fmt::format("{} cannot be NULL", option));
  return scalar.ToString();
}

int64_t OptionInteger(const AstExpr& value, std::string_view option, std::string_view sql,
                      int64_t min) {
  std::string text = OptionText(value, option, sql);
  int64_t number = 0;
  auto result = std::from_chars(text.data(), text.data() + text.size(), number);
  if (result.ec != std::errc() || result.ptr != text.data() + text.size()) {
    ThrowSqlError(sql, value.pos, fmt::format("{} must be a whole number, not '{}'", option, text));
  }
  if (number < min) {
    ThrowSqlError(sql, value.pos,
                  fmt::format("{} must be at least {}, not {}", option, min, number));
  }
  return number;
}

bool OptionBool(const AstExpr* value, std::string_view option, std::string_view sql) {
  if (value == nullptr) return true;
  std::string text = Lower(OptionText(*value, option, sql));
  if (text == "true" || text == "on" || text == "1") return true;
  if (text == "false" || text == "off" || text == "0") return false;
  ThrowSqlError(sql, value->pos, fmt::format("{} must be true or false, not '{}'", option, text));
}

std::vector<std::string> OptionNames(const AstExpr& value, std::string_view option,
                                     std::string_view sql) {
  std::vector<std::string> names;
  if (value.kind == AstExprKind::kFunction && value.names.size() == 1 &&
      Lower(value.names[0]) == "list") {
    for (const AstExprPtr& arg : value.args) names.push_back(OptionText(*arg, option, sql));
  } else {
    names.push_back(OptionText(value, option, sql));
  }
  if (names.empty())
    ThrowSqlError(sql, value.pos, fmt::format("{} needs at least one column", option));
  return names;
}

}  // namespace sluice::sql
