// A scratch directory per test, for tests that touch the file system. It lives under
// $SLUICE_TEST_TMP (set by CTest to a folder in the build tree) or /tmp, is named after the
// running test and the process id so that tests run in parallel never share files, and is
// removed when the test ends.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::test {

/// Creates a fresh empty directory on construction and removes it with its contents on
/// destruction. Use one per TEST (not at namespace scope) so that the name is the test's.
class TempDir {
 public:
  TempDir() {
    const char* root = std::getenv("SLUICE_TEST_TMP");
    const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = "sluice-test";
    if (info != nullptr) name += std::string("-") + info->test_suite_name() + "." + info->name();
    for (char& c : name) {
      if (c == '/') c = '_';  // Parameterised test names contain '/'.
    }
    path_ = (std::filesystem::path(root != nullptr && *root != '\0' ? root : "/tmp") /
             (name + "-" + std::to_string(::getpid())))
                .string();
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }

  /// Returns the directory's path, without a trailing '/'.
  const std::string& path() const { return path_; }

  /// Returns path() + "/" + relative.
  std::string Join(std::string_view relative) const { return path_ + "/" + std::string(relative); }

  /// Writes a file below the directory, creating parent directories, and returns its path.
  std::string WriteFile(std::string_view relative, std::string_view content = "x") const {
    const std::filesystem::path file = Join(relative);
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary)
        .write(content.data(), static_cast<std::streamsize>(content.size()));
    return file.string();
  }

  /// Lists the names of the entries directly in a directory below this one, sorted.
  std::vector<std::string> List(std::string_view relative = "") const {
    std::vector<std::string> names;
    for (const auto& entry :
         std::filesystem::directory_iterator(relative.empty() ? path_ : Join(relative))) {
      names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
  }

 private:
  std::string path_;
};

/// Reads a whole file, for comparing written output.
inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace sluice::test
