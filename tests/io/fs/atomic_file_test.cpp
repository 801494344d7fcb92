// Tests AtomicFileWriter: committed output appears whole, and every way of not committing
// (abort, destruction, an exception) leaves the earlier file intact and no temporary file.
#include "io/fs/atomic_file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/error.h"
#include "testing/temp_dir.h"

namespace sluice::io {
namespace {

void WriteString(AtomicFileWriter& writer, std::string_view text) {
  writer.Write(text.data(), text.size());
}

TEST(AtomicFileWriterTest, CommittedFileHasTheWrittenContent) {
  test::TempDir dir;
  const std::string target = dir.Join("out.parquet");
  AtomicFileWriter writer = AtomicFileWriter::Open(target);
  WriteString(writer, "PAR1");
  WriteString(writer, "-body-");
  EXPECT_EQ(writer.bytes_written(), 10u);
  EXPECT_FALSE(std::filesystem::exists(target));
  writer.Commit();
  EXPECT_EQ(test::ReadFile(target), "PAR1-body-");
  EXPECT_EQ(dir.List(), std::vector<std::string>{"out.parquet"});
}

TEST(AtomicFileWriterTest, KeepsByteOrderAcrossBufferedAndDirectWrites) {
  test::TempDir dir;
  const std::string target = dir.Join("big.bin");
  std::string expected;
  AtomicFileWriter writer = AtomicFileWriter::Open(target);
  // Mixes small writes with ones larger than the 1 MiB buffer, which bypass it.
  for (size_t size : {size_t{3}, size_t{(1 << 20) - 1}, size_t{5}, size_t{3 << 20}, size_t{1 << 20},
                      size_t{7}, size_t{0}}) {
    std::string chunk(size, '\0');
    for (size_t i = 0; i < size; ++i)
      chunk[i] = static_cast<char>('a' + (expected.size() + i) % 26);
    WriteString(writer, chunk);
    expected += chunk;
  }
  EXPECT_EQ(writer.bytes_written(), expected.size());
  writer.Commit();
  EXPECT_EQ(test::ReadFile(target), expected);
}

TEST(AtomicFileWriterTest, ReplacesAnEarlierFileOnCommit) {
  test::TempDir dir;
  const std::string target = dir.WriteFile("out.csv", "old");
  AtomicFileWriter writer = AtomicFileWriter::Open(target);
  WriteString(writer, "new");
  writer.Commit();
  EXPECT_EQ(test::ReadFile(target), "new");
}

TEST(AtomicFileWriterTest, LeavesEarlierFileIntactWhenNotCommitted) {
  test::TempDir dir;
  const std::string target = dir.WriteFile("out.csv", "old");
  {
    AtomicFileWriter writer = AtomicFileWriter::Open(target);
    WriteString(writer, std::string(3 << 20, 'n'));
    EXPECT_TRUE(std::filesystem::exists(writer.temp_path()));
  }
  EXPECT_EQ(test::ReadFile(target), "old");
  EXPECT_EQ(dir.List(), std::vector<std::string>{"out.csv"});
}

TEST(AtomicFileWriterTest, LeavesEarlierFileIntactWhenAborted) {
  test::TempDir dir;
  const std::string target = dir.WriteFile("out.csv", "old");
  AtomicFileWriter writer = AtomicFileWriter::Open(target);
  WriteString(writer, "new");
  writer.Abort();
  writer.Abort();  // A second abort does nothing.
  EXPECT_EQ(test::ReadFile(target), "old");
  EXPECT_EQ(dir.List(), std::vector<std::string>{"out.csv"});
  EXPECT_THROW(WriteString(writer, "more"), Error);
  EXPECT_THROW(writer.Commit(), Error);
}

TEST(AtomicFileWriterTest, LeavesNoFileWhenAnExceptionUnwindsMidWrite) {
  test::TempDir dir;
  const std::string target = dir.Join("out.csv");
  try {
    AtomicFileWriter writer = AtomicFileWriter::Open(target);
    WriteString(writer, "partial");
    throw std::runtime_error("a failing query");
  } catch (const std::runtime_error&) {
  }
  EXPECT_TRUE(dir.List().empty());
}

TEST(AtomicFileWriterTest, PutsAHiddenTemporaryFileBesideTheTarget) {
  test::TempDir dir;
  const std::string target = dir.Join("out.parquet");
  AtomicFileWriter writer = AtomicFileWriter::Open(target);
  const std::string expected_prefix =
      dir.Join(".out.parquet.sluice-tmp-" + std::to_string(::getpid()) + "-");
  EXPECT_EQ(writer.temp_path().substr(0, expected_prefix.size()), expected_prefix);
  EXPECT_EQ(writer.target_path(), target);
  EXPECT_TRUE(std::filesystem::exists(writer.temp_path()));
}

TEST(AtomicFileWriterTest, GivesConcurrentWritersOfOneTargetDistinctTemporaryFiles) {
  test::TempDir dir;
  const std::string target = dir.Join("out.csv");
  AtomicFileWriter first = AtomicFileWriter::Open(target);
  AtomicFileWriter second = AtomicFileWriter::Open(target);
  EXPECT_NE(first.temp_path(), second.temp_path());
  WriteString(first, "first");
  WriteString(second, "second");
  first.Commit();
  second.Commit();
  EXPECT_EQ(test::ReadFile(target), "second");
}

TEST(AtomicFileWriterTest, WritesRelativeTargetInTheWorkingDirectory) {
  test::TempDir dir;
  const auto previous = std::filesystem::current_path();
  std::filesystem::current_path(dir.path());
  try {
    AtomicFileWriter writer = AtomicFileWriter::Open("relative.csv");
    WriteString(writer, "ok");
    writer.Commit();
  } catch (...) {
    std::filesystem::current_path(previous);
    throw;
  }
  std::filesystem::current_path(previous);
  EXPECT_EQ(test::ReadFile(dir.Join("relative.csv")), "ok");
  EXPECT_EQ(dir.List(), std::vector<std::string>{"relative.csv"});
}

TEST(AtomicFileWriterTest, MovedWriterOwnsTheTemporaryFile) {
  test::TempDir dir;
  const std::string target = dir.Join("out.csv");
  AtomicFileWriter original = AtomicFileWriter::Open(target);
  WriteString(original, "ab");
  AtomicFileWriter moved = std::move(original);
  WriteString(moved, "cd");
  original.Abort();  // The moved-from writer owns nothing any more.
  moved.Commit();
  EXPECT_EQ(test::ReadFile(target), "abcd");
}

TEST(AtomicFileWriterTest, ReportsMissingDirectoryAsIoError) {
  test::TempDir dir;
  try {
    AtomicFileWriter::Open(dir.Join("no/such/dir/out.csv"));
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kIo);
    EXPECT_NE(std::string(error.what()).find("No such file or directory"), std::string::npos)
        << error.what();
  }
}

TEST(AtomicFileWriterTest, RejectsTargetThatNamesADirectory) {
  test::TempDir dir;
  EXPECT_THROW(AtomicFileWriter::Open(dir.path() + "/"), Error);
}

TEST(CreateDirectoriesTest, CreatesMissingParentsAndAcceptsExistingDirectories) {
  test::TempDir dir;
  const std::string nested = dir.Join("a/b/c");
  CreateDirectories(nested);
  EXPECT_TRUE(std::filesystem::is_directory(nested));
  CreateDirectories(nested);
  EXPECT_TRUE(std::filesystem::is_directory(nested));
}

TEST(CreateDirectoriesTest, FailsWhenAParentIsAFile) {
  test::TempDir dir;
  dir.WriteFile("file", "x");
  EXPECT_THROW(CreateDirectories(dir.Join("file/sub")), Error);
  EXPECT_THROW(CreateDirectories(dir.Join("file")), Error);
}

}  // namespace
}  // namespace sluice::io
