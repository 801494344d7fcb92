// Tests RandomAccessFile: positional reads, range checks against the file size, and the
// messages users see for missing files and corrupt offsets.
#include "io/fs/file.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include "core/error.h"
#include "testing/temp_dir.h"

namespace sluice::io {
namespace {

std::string ReadString(const RandomAccessFile& file, uint64_t offset, size_t length) {
  std::string out(length, '\0');
  file.ReadAt(offset, length, reinterpret_cast<uint8_t*>(out.data()));
  return out;
}

TEST(RandomAccessFileTest, ReadsBytesAtAnyOffset) {
  test::TempDir dir;
  const RandomAccessFile file = RandomAccessFile::Open(dir.WriteFile("a.bin", "0123456789"));
  EXPECT_EQ(file.size(), 10u);
  EXPECT_EQ(ReadString(file, 0, 10), "0123456789");
  EXPECT_EQ(ReadString(file, 3, 4), "3456");
  EXPECT_EQ(ReadString(file, 9, 1), "9");
}

TEST(RandomAccessFileTest, AllowsEmptyReadAtEndOfFile) {
  test::TempDir dir;
  const RandomAccessFile file = RandomAccessFile::Open(dir.WriteFile("a.bin", "abc"));
  EXPECT_EQ(ReadString(file, 3, 0), "");
}

TEST(RandomAccessFileTest, RejectsReadRunningPastTheEnd) {
  test::TempDir dir;
  const std::string path = dir.WriteFile("a.bin", "0123456789");
  const RandomAccessFile file = RandomAccessFile::Open(path);
  uint8_t buffer[16];
  try {
    file.ReadAt(8, 4, buffer);
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput);
    EXPECT_EQ(std::string(error.what()), "'" + path +
                                             "': read of 4 bytes at offset 8 runs past the end of "
                                             "the file (size 10)");
  }
  EXPECT_THROW(file.ReadAt(11, 0, buffer), Error);
}

TEST(RandomAccessFileTest, RejectsRangeWhoseEndOverflows) {
  test::TempDir dir;
  const RandomAccessFile file = RandomAccessFile::Open(dir.WriteFile("a.bin", "0123456789"));
  uint8_t buffer[16];
  EXPECT_THROW(file.ReadAt(std::numeric_limits<uint64_t>::max() - 2, 8, buffer), Error);
  EXPECT_THROW(file.ReadAt(2, std::numeric_limits<size_t>::max(), buffer), Error);
}

TEST(RandomAccessFileTest, NamesMissingFileAndTheReason) {
  test::TempDir dir;
  const std::string path = dir.Join("missing.parquet");
  try {
    RandomAccessFile::Open(path);
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kIo);
    EXPECT_EQ(std::string(error.what()), "cannot open '" + path + "': No such file or directory");
  }
}

TEST(RandomAccessFileTest, RefusesToOpenADirectory) {
  test::TempDir dir;
  try {
    RandomAccessFile::Open(dir.path());
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kIo);
    EXPECT_NE(std::string(error.what()).find("Is a directory"), std::string::npos);
  }
}

TEST(RandomAccessFileTest, KeepsWorkingAfterMove) {
  test::TempDir dir;
  RandomAccessFile first = RandomAccessFile::Open(dir.WriteFile("a.bin", "abc"));
  RandomAccessFile second = std::move(first);
  EXPECT_EQ(ReadString(second, 0, 3), "abc");
  RandomAccessFile third = RandomAccessFile::Open(dir.WriteFile("b.bin", "xy"));
  third = std::move(second);
  EXPECT_EQ(third.size(), 3u);
  EXPECT_EQ(ReadString(third, 1, 2), "bc");
}

TEST(RandomAccessFileTest, ServesConcurrentReadsFromManyThreads) {
  test::TempDir dir;
  std::string content;
  for (int i = 0; i < 100000; ++i) content.push_back(static_cast<char>(i % 251));
  const RandomAccessFile file = RandomAccessFile::Open(dir.WriteFile("a.bin", content));
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (uint64_t offset = t; offset + 1000 <= content.size(); offset += 997) {
        if (ReadString(file, offset, 1000) != content.substr(offset, 1000)) ++failures[t];
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures, std::vector<int>(4, 0));
}

}  // namespace
}  // namespace sluice::io
