// The catalog of views and tables: a map by lower-cased name (SQL names are case-insensitive).
#include "sql/catalog.h"

#include "core/error.h"
#include "sql/bind_names.h"

namespace sluice::sql {

void Catalog::Put(Entry entry, bool or_replace) {
  std::string key = LowerName(entry.name);
  auto it = entries_.find(key);
  if (it != entries_.end() && !or_replace) {
    ThrowInvalid("{} \"{}\" already exists; use CREATE OR REPLACE to replace it",
                 it->second.kind == Kind::kView ? "view" : "table", it->second.name);
  }
  entries_[key] = std::move(entry);
}

const Catalog::Entry* Catalog::Find(std::string_view name) const {
  auto it = entries_.find(LowerName(name));
  return it == entries_.end() ? nullptr : &it->second;
}

bool Catalog::Drop(std::string_view name) {
  return entries_.erase(LowerName(name)) > 0;
}

std::vector<std::string> Catalog::Names() const {
  std::vector<std::string> names;
  for (const auto& [key, entry] : entries_) names.push_back(entry.name);
  return names;
}

}  // namespace sluice::sql
