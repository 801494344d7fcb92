// Field lookup with "did you mean" suggestions, and schema printing.
#include "core/schema.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "core/error.h"

namespace sluice {

namespace {
size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                  std::tolower(static_cast<unsigned char>(b[j - 1]));
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (same ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}
}  // namespace

std::optional<std::string> ClosestName(std::string_view name,
                                       const std::vector<std::string>& candidates) {
  std::optional<std::string> best;
  size_t best_distance = std::max<size_t>(2, name.size() / 3) + 1;
  for (const auto& candidate : candidates) {
    size_t distance = EditDistance(name, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  return best;
}

std::optional<size_t> Schema::FindField(std::string_view name) const {
  for (size_t i = 0; i < fields_.size(); ++i) {
    if (fields_[i].name == name) return i;
  }
  return std::nullopt;
}

size_t Schema::FieldIndex(std::string_view name, std::string_view where) const {
  if (auto index = FindField(name)) return *index;
  std::vector<std::string> names;
  for (const auto& field : fields_) names.push_back(field.name);
  std::string suffix = where.empty() ? "" : fmt::format(" in {}", where);
  if (auto suggestion = ClosestName(name, names)) {
    ThrowInvalid("column \"{}\" not found{}; did you mean \"{}\"?", name, suffix, *suggestion);
  }
  ThrowInvalid("column \"{}\" not found{}; the columns are: {}", name, suffix,
               fmt::join(names, ", "));
}

std::string Schema::ToString() const {
  std::string out;
  for (const auto& field : fields_) {
    out += fmt::format("{}: {}{}\n", field.name, field.type.ToString(),
                       field.nullable ? "" : " not null");
  }
  return out;
}

}  // namespace sluice
