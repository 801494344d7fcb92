// Tests the content hashes of the run manifest: a file's hash is its bytes' XXH3-64 whatever its
// size, and a folder's hash changes with any file's name or content but not with dot files.
#include "io/fs/file_hash.h"

#include <gtest/gtest.h>
#include <xxhash.h>

#include <filesystem>
#include <string>

#include "core/error.h"
#include "testing/temp_dir.h"

namespace sluice::io {
namespace {

std::string OneShotHex(const std::string& bytes) {
  return fmt::format("{:016x}", static_cast<uint64_t>(XXH3_64bits(bytes.data(), bytes.size())));
}

TEST(FileHashTest, HashesAnEmptyFileAsXxh3OfNothing) {
  test::TempDir dir;
  EXPECT_EQ(HashFileContents(dir.WriteFile("empty", "")), "2d06800538d394c2");
}

TEST(FileHashTest, MatchesOneShotXxh3AcrossReadBoundaries) {
  test::TempDir dir;
  for (size_t size : {size_t{1}, size_t{(1 << 20) - 1}, size_t{1 << 20}, size_t{(3 << 20) + 17}}) {
    std::string bytes(size, '\0');
    for (size_t i = 0; i < size; ++i) bytes[i] = static_cast<char>((i * 131 + 7) % 251);
    const std::string path = dir.WriteFile("data.bin", bytes);
    const std::string hash = HashFileContents(path);
    EXPECT_EQ(hash, OneShotHex(bytes)) << "size " << size;
    EXPECT_EQ(hash.size(), 16u);
    EXPECT_EQ(HashTreeContents(path), hash) << "a file's tree hash is its file hash";
  }
}

TEST(FileHashTest, NamesTheMissingPath) {
  test::TempDir dir;
  const std::string missing = dir.Join("nope.parquet");
  try {
    HashFileContents(missing);
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kIo);
    EXPECT_NE(std::string(error.what()).find(missing), std::string::npos) << error.what();
  }
  EXPECT_THROW(HashTreeContents(missing), Error);
  EXPECT_THROW(HashFileContents(dir.path()), Error);  // A folder is not a file.
}

TEST(FileHashTest, FolderHashDependsOnNamesAndContentsButNotDotFiles) {
  test::TempDir dir;
  dir.WriteFile("out/k=1/data_0.parquet", "one");
  dir.WriteFile("out/k=2/data_0.parquet", "two");
  const std::string out = dir.Join("out");
  const std::string base = HashTreeContents(out);
  EXPECT_EQ(base.size(), 16u);
  EXPECT_EQ(HashTreeContents(out), base);

  // A writer's temporary files and folders are not part of the output.
  dir.WriteFile("out/k=1/.data_1.parquet.sluice-tmp-1-2", "partial");
  dir.WriteFile("out/.staging/k=3/data_0.parquet", "three");
  EXPECT_EQ(HashTreeContents(out), base);

  // The same hash for an identical copy elsewhere: paths are relative.
  dir.WriteFile("copy/k=1/data_0.parquet", "one");
  dir.WriteFile("copy/k=2/data_0.parquet", "two");
  EXPECT_EQ(HashTreeContents(dir.Join("copy")), base);

  dir.WriteFile("copy/k=2/data_0.parquet", "TWO");
  EXPECT_NE(HashTreeContents(dir.Join("copy")), base);
  dir.WriteFile("copy/k=2/data_0.parquet", "two");
  std::filesystem::rename(dir.Join("copy/k=2"), dir.Join("copy/k=3"));
  EXPECT_NE(HashTreeContents(dir.Join("copy")), base);
  std::filesystem::rename(dir.Join("copy/k=3"), dir.Join("copy/k=2"));
  dir.WriteFile("copy/k=2/data_1.parquet", "");
  EXPECT_NE(HashTreeContents(dir.Join("copy")), base);
}

TEST(FileHashTest, EmptyFolderDiffersFromEmptyFile) {
  test::TempDir dir;
  std::filesystem::create_directories(dir.Join("empty_dir"));
  EXPECT_NE(HashTreeContents(dir.Join("empty_dir")), HashFileContents(dir.WriteFile("e", "")));
}

}  // namespace
}  // namespace sluice::io
