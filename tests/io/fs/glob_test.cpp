// Tests glob expansion: each wildcard, `**` at any depth, byte-order sorting, and the hidden
// files (`_SUCCESS`, `.crc`, temporary files) that wildcards pass over.
#include "io/fs/glob.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "core/error.h"
#include "testing/temp_dir.h"

namespace sluice::io {
namespace {

using Paths = std::vector<std::string>;

/// Builds a small dataset in the layout Spark and DuckDB produce.
class GlobTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* file :
         {"data/b.parquet", "data/a.parquet", "data/part-1.parquet", "data/c.csv", "data/_SUCCESS",
          "data/.a.parquet.crc", "data/year=2023/x.parquet", "data/year=2024/month=1/y.parquet",
          "data/.hidden/z.parquet", "data/_tmp/w.parquet", "data/_k=1/v.parquet",
          "data/d.parquet._COPYING_"}) {
      dir_.WriteFile(file);
    }
  }

  /// Expands dir/pattern and returns the matches relative to dir.
  Paths Expand(const std::string& pattern) const {
    Paths relative;
    for (const std::string& path : ExpandGlob(dir_.Join(pattern))) {
      EXPECT_EQ(path.substr(0, dir_.path().size() + 1), dir_.path() + "/");
      relative.push_back(path.substr(dir_.path().size() + 1));
    }
    return relative;
  }

  test::TempDir dir_;
};

TEST_F(GlobTest, MatchesStarWithinOneDirectoryInSortedOrder) {
  EXPECT_EQ(Expand("data/*.parquet"),
            (Paths{"data/a.parquet", "data/b.parquet", "data/part-1.parquet"}));
}

TEST_F(GlobTest, MatchesQuestionMarkAndCharacterClasses) {
  EXPECT_EQ(Expand("data/?.parquet"), (Paths{"data/a.parquet", "data/b.parquet"}));
  EXPECT_EQ(Expand("data/[ab].parquet"), (Paths{"data/a.parquet", "data/b.parquet"}));
  EXPECT_EQ(Expand("data/[b-c]*"), (Paths{"data/b.parquet", "data/c.csv"}));
  EXPECT_EQ(Expand("data/[!a]*.parquet"), (Paths{"data/b.parquet", "data/part-1.parquet"}));
}

TEST_F(GlobTest, MatchesWildcardsInDirectoryComponents) {
  EXPECT_EQ(Expand("data/year=*/*.parquet"), (Paths{"data/year=2023/x.parquet"}));
  EXPECT_EQ(Expand("data/year=*/*/*.parquet"), (Paths{"data/year=2024/month=1/y.parquet"}));
}

TEST_F(GlobTest, DoubleStarMatchesZeroOrMoreDirectories) {
  EXPECT_EQ(Expand("data/**/*.parquet"),
            (Paths{"data/_k=1/v.parquet", "data/a.parquet", "data/b.parquet", "data/part-1.parquet",
                   "data/year=2023/x.parquet", "data/year=2024/month=1/y.parquet"}));
  EXPECT_EQ(Expand("data/**/month=1/*"), (Paths{"data/year=2024/month=1/y.parquet"}));
  EXPECT_EQ(Expand("data/**/**/y.parquet"), (Paths{"data/year=2024/month=1/y.parquet"}));
}

TEST_F(GlobTest, TrailingDoubleStarMatchesEveryVisibleFileBelow) {
  EXPECT_EQ(Expand("data/**"),
            (Paths{"data/_k=1/v.parquet", "data/a.parquet", "data/b.parquet", "data/c.csv",
                   "data/part-1.parquet", "data/year=2023/x.parquet",
                   "data/year=2024/month=1/y.parquet"}));
}

TEST_F(GlobTest, SkipsHiddenNamesUnlessThePatternStartsWithTheirPrefix) {
  EXPECT_EQ(Expand("data/*"),
            (Paths{"data/a.parquet", "data/b.parquet", "data/c.csv", "data/part-1.parquet"}));
  EXPECT_EQ(Expand("data/_*"), (Paths{"data/_SUCCESS"}));
  EXPECT_EQ(Expand("data/.*"), (Paths{"data/.a.parquet.crc"}));
  EXPECT_EQ(Expand("data/.hidden/*"), (Paths{"data/.hidden/z.parquet"}));
}

TEST_F(GlobTest, ReturnsAPathWithoutWildcardsAsWritten) {
  EXPECT_EQ(ExpandGlob(dir_.Join("data/_SUCCESS")), Paths{dir_.Join("data/_SUCCESS")});
  EXPECT_EQ(ExpandGlob(dir_.Join("data")), Paths{dir_.Join("data")});
}

TEST_F(GlobTest, ReturnsAnExistingFileWhoseNameHoldsWildcardCharacters) {
  const std::string odd = dir_.WriteFile("data/odd[1].parquet");
  dir_.WriteFile("data/odd1.parquet");
  EXPECT_EQ(ExpandGlob(odd), Paths{odd});
}

TEST_F(GlobTest, ReportsAMissingPlainPathAsIoError) {
  try {
    ExpandGlob(dir_.Join("data/missing.parquet"));
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kIo);
    EXPECT_EQ(std::string(error.what()),
              "cannot open '" + dir_.Join("data/missing.parquet") + "': No such file or directory");
  }
}

TEST_F(GlobTest, ReportsAPatternWithoutMatchesAsInvalid) {
  const std::string pattern = dir_.Join("data/*.json");
  try {
    ExpandGlob(pattern);
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput);
    EXPECT_EQ(std::string(error.what()), "no files match '" + pattern + "'");
  }
  EXPECT_THROW(ExpandGlob(dir_.Join("nowhere/*.parquet")), Error);
}

TEST_F(GlobTest, SortsByByteValueWhateverTheCreationOrder) {
  for (const char* name : {"s/b10", "s/B", "s/b2", "s/a", "s/b1"}) dir_.WriteFile(name);
  EXPECT_EQ(Expand("s/*"), (Paths{"s/B", "s/a", "s/b1", "s/b10", "s/b2"}));
}

TEST_F(GlobTest, DoesNotFollowDirectoryLinksUnderDoubleStar) {
  std::filesystem::create_directory_symlink(dir_.Join("data"), dir_.Join("data/year=2023/loop"));
  const Paths matches = Expand("data/**/x.parquet");
  EXPECT_EQ(matches, (Paths{"data/year=2023/x.parquet"}));
}

TEST_F(GlobTest, SpellsRelativeMatchesWithoutALeadingDotSlash) {
  const auto previous = std::filesystem::current_path();
  std::filesystem::current_path(dir_.Join("data"));
  Paths matches;
  Paths nested;
  try {
    matches = ExpandGlob("*.parquet");
    nested = ExpandGlob("year=2023/*.parquet");
  } catch (...) {
    std::filesystem::current_path(previous);
    throw;
  }
  std::filesystem::current_path(previous);
  EXPECT_EQ(matches, (Paths{"a.parquet", "b.parquet", "part-1.parquet"}));
  EXPECT_EQ(nested, (Paths{"year=2023/x.parquet"}));
}

TEST(GlobMatchTest, MatchesEachWildcardForm) {
  EXPECT_TRUE(GlobMatch("*", "anything"));
  EXPECT_TRUE(GlobMatch("*", ""));
  EXPECT_TRUE(GlobMatch("a*b*c", "aXXbYYc"));
  EXPECT_FALSE(GlobMatch("a*b*c", "aXXbYY"));
  EXPECT_TRUE(GlobMatch("*.parquet", ".parquet"));
  EXPECT_TRUE(GlobMatch("part-?.csv", "part-7.csv"));
  EXPECT_FALSE(GlobMatch("part-?.csv", "part-10.csv"));
  EXPECT_TRUE(GlobMatch("[a-c]x", "bx"));
  EXPECT_FALSE(GlobMatch("[a-c]x", "dx"));
  EXPECT_TRUE(GlobMatch("[!a-c]x", "dx"));
  EXPECT_TRUE(GlobMatch("[^a-c]x", "dx"));
  EXPECT_TRUE(GlobMatch("[]]", "]"));
  EXPECT_TRUE(GlobMatch("[a-]", "-"));
  EXPECT_TRUE(GlobMatch("a[", "a["));  // An unclosed bracket is literal.
  EXPECT_FALSE(GlobMatch("abc", "abcd"));
  EXPECT_TRUE(GlobMatch("**", "abc"));
}

TEST(GlobMatchTest, FindsWildcardCharacters) {
  EXPECT_TRUE(HasGlob("data/*.parquet"));
  EXPECT_TRUE(HasGlob("data/?.parquet"));
  EXPECT_TRUE(HasGlob("data/[ab].parquet"));
  EXPECT_FALSE(HasGlob("data/year=2024/a.parquet"));
}

}  // namespace
}  // namespace sluice::io
