// Implements glob expansion by walking only the directories a pattern can reach: literal
// components are stat'ed, wildcard components list one directory, and `**` recurses.
#include "io/fs/glob.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "core/error.h"

namespace sluice::io {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kRecursiveWildcard = "**";

/// Matches a bracket expression starting at pattern[start] == '[' against c. Returns the length
/// of the expression including both brackets, or 0 when it has no closing ']' (then '[' is a
/// literal character).
size_t MatchBracket(std::string_view pattern, size_t start, char c, bool* matched) {
  size_t i = start + 1;
  bool negate = false;
  if (i < pattern.size() && (pattern[i] == '!' || pattern[i] == '^')) {
    negate = true;
    ++i;
  }
  bool found = false;
  bool first = true;
  const auto uc = static_cast<unsigned char>(c);
  while (i < pattern.size() && (first || pattern[i] != ']')) {
    first = false;
    const auto low = static_cast<unsigned char>(pattern[i]);
    if (i + 2 < pattern.size() && pattern[i + 1] == '-' && pattern[i + 2] != ']') {
      const auto high = static_cast<unsigned char>(pattern[i + 2]);
      if (low <= uc && uc <= high) found = true;
      i += 3;
    } else {
      if (low == uc) found = true;
      ++i;
    }
  }
  if (i >= pattern.size()) return 0;  // No closing bracket.
  *matched = found != negate;
  return i + 1 - start;
}

/// Tells whether a wildcard should pass over a name, following Spark's rules (see glob.h).
bool IsHiddenName(std::string_view name, std::string_view pattern_component) {
  if (name.ends_with("._COPYING_")) return true;
  if (name.starts_with('.')) return !pattern_component.starts_with('.');
  if (name.starts_with('_') && name.find('=') == std::string_view::npos) {
    return !pattern_component.starts_with('_');
  }
  return false;
}

/// Splits on '/', dropping empty components, collapsing runs of `**`, and turning a trailing
/// `**` into `**/*` so that it means "every file below".
std::vector<std::string> SplitPattern(std::string_view pattern) {
  std::vector<std::string> components;
  size_t start = 0;
  while (start <= pattern.size()) {
    size_t end = pattern.find('/', start);
    if (end == std::string_view::npos) end = pattern.size();
    const std::string_view component = pattern.substr(start, end - start);
    const bool repeated_recursive = component == kRecursiveWildcard && !components.empty() &&
                                    components.back() == kRecursiveWildcard;
    if (!component.empty() && !repeated_recursive) components.emplace_back(component);
    start = end + 1;
  }
  if (!components.empty() && components.back() == kRecursiveWildcard) components.emplace_back("*");
  return components;
}

enum class EntryKind : uint8_t { kOther, kFile, kDirectory, kDirectoryLink };

EntryKind KindOf(const fs::directory_entry& entry) {
  std::error_code error;
  if (entry.is_regular_file(error)) return EntryKind::kFile;
  if (entry.is_directory(error)) {
    return entry.is_symlink(error) ? EntryKind::kDirectoryLink : EntryKind::kDirectory;
  }
  return EntryKind::kOther;  // Sockets, devices, broken links.
}

EntryKind KindOf(const std::string& path) {
  struct stat info;
  if (::stat(path.c_str(), &info) != 0) return EntryKind::kOther;
  if (S_ISREG(info.st_mode)) return EntryKind::kFile;
  if (S_ISDIR(info.st_mode)) return EntryKind::kDirectory;
  return EntryKind::kOther;
}

/// Walks the directories a split pattern reaches and collects matching files.
class GlobWalker {
 public:
  explicit GlobWalker(std::vector<std::string> components) : components_(std::move(components)) {}

  /// Matches components_[index...] below prefix, which is "" (the working directory), or a
  /// directory path ending in '/'.
  void Walk(const std::string& prefix, size_t index) {
    const std::string& component = components_[index];
    const bool last = index + 1 == components_.size();
    if (component == kRecursiveWildcard) {
      Walk(prefix, index + 1);  // Zero directories.
      for (const auto& [name, kind] : List(prefix)) {
        if (kind == EntryKind::kDirectory && !IsHiddenName(name, ""))
          Walk(prefix + name + "/", index);
      }
    } else if (!HasGlob(component)) {
      Visit(prefix + component, KindOf(prefix + component), index, last);
    } else {
      for (const auto& [name, kind] : List(prefix)) {
        if (!IsHiddenName(name, component) && GlobMatch(component, name)) {
          Visit(prefix + name, kind, index, last);
        }
      }
    }
  }

  std::vector<std::string> TakeMatches() { return std::move(matches_); }

 private:
  void Visit(const std::string& path, EntryKind kind, size_t index, bool last) {
    if (last) {
      if (kind == EntryKind::kFile) matches_.push_back(path);
    } else if (kind == EntryKind::kDirectory || kind == EntryKind::kDirectoryLink) {
      Walk(path + "/", index + 1);
    }
  }

  /// Lists a directory's entries; a missing directory has none, an unreadable one is an error.
  std::vector<std::pair<std::string, EntryKind>> List(const std::string& prefix) {
    const fs::path directory = prefix.empty() ? fs::path(".") : fs::path(prefix);
    std::vector<std::pair<std::string, EntryKind>> entries;
    std::error_code error;
    fs::directory_iterator it(directory, error);
    if (error == std::errc::no_such_file_or_directory || error == std::errc::not_a_directory) {
      return entries;
    }
    for (; !error && it != fs::directory_iterator(); it.increment(error)) {
      entries.emplace_back(it->path().filename().string(), KindOf(*it));
    }
    if (error) ThrowIo("cannot list directory '{}': {}", directory.string(), error.message());
    return entries;
  }

  std::vector<std::string> components_;
  std::vector<std::string> matches_;
};

}  // namespace

bool HasGlob(std::string_view path) {
  return path.find_first_of("*?[") != std::string_view::npos;
}

bool GlobMatch(std::string_view pattern, std::string_view name) {
  size_t p = 0;
  size_t n = 0;
  size_t star_p = std::string_view::npos;  // Where to resume after the last '*'.
  size_t star_n = 0;                       // How much of name that '*' has swallowed so far.
  while (n < name.size()) {
    if (p < pattern.size()) {
      const char c = pattern[p];
      if (c == '*') {
        star_p = ++p;
        star_n = n;
        continue;
      }
      if (c == '?') {
        ++p;
        ++n;
        continue;
      }
      bool matched = false;
      const size_t bracket = c == '[' ? MatchBracket(pattern, p, name[n], &matched) : 0;
      if (bracket > 0 ? matched : c == name[n]) {
        p += bracket > 0 ? bracket : 1;
        ++n;
        continue;
      }
    }
    if (star_p == std::string_view::npos) return false;
    p = star_p;  // Let the last '*' swallow one more character and retry.
    n = ++star_n;
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

std::vector<std::string> ExpandGlob(const std::string& pattern) {
  struct stat info;
  if (!HasGlob(pattern)) {
    if (::stat(pattern.c_str(), &info) != 0) {
      ThrowIo("cannot open '{}': {}", pattern, std::strerror(errno));
    }
    return {pattern};
  }
  if (::stat(pattern.c_str(), &info) == 0 && S_ISREG(info.st_mode)) return {pattern};

  std::vector<std::string> components = SplitPattern(pattern);
  // Renders the pattern's leading literal directories the way the user wrote them.
  std::string prefix = pattern.starts_with('/') ? "/" : "";
  size_t first_wildcard = 0;
  while (!HasGlob(components[first_wildcard])) {
    prefix += components[first_wildcard++] + "/";
  }
  GlobWalker walker(std::move(components));
  walker.Walk(prefix, first_wildcard);
  std::vector<std::string> matches = walker.TakeMatches();
  if (matches.empty()) ThrowInvalid("no files match '{}'", pattern);
  std::sort(matches.begin(), matches.end());
  matches.erase(std::unique(matches.begin(), matches.end()), matches.end());
  return matches;
}

}  // namespace sluice::io
