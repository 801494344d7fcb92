// The spill folder's sweep: folders of processes that died (even by kill -9) are removed, those
// of live processes, folders still being set up and anything not a spill folder are left alone.
#include "io/fs/spill_directory.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "testing/temp_dir.h"

namespace sluice::io {
namespace {

namespace fs = std::filesystem;

/// Makes a spill-like folder with a lock file and returns the lock's fd, locked.
int MakeLockedFolder(const std::string& folder) {
  fs::create_directories(folder);
  const int fd = ::open((folder + "/lock").c_str(), O_RDWR | O_CREAT, 0600);
  EXPECT_GE(fd, 0);
  EXPECT_EQ(::flock(fd, LOCK_EX | LOCK_NB), 0);
  return fd;
}

TEST(SpillDirectoryTest, SweepRemovesOnlyTheFoldersOfDeadProcesses) {
  test::TempDir dir;
  const std::string dead = dir.Join("sluice-spill-1-dead");
  const std::string live = dir.Join("sluice-spill-2-live");
  const std::string unlocked = dir.Join("sluice-spill-3-nolock");
  const std::string other = dir.Join("someone-elses");
  // A child locks its folder, writes a file and is killed outright: its lock dies with it.
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    MakeLockedFolder(dead);
    std::ofstream(dead + "/sort-0.spill") << "rows";
    ::pause();
    ::_exit(0);
  }
  while (!fs::exists(dead + "/sort-0.spill")) ::usleep(1000);
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  const int live_fd = MakeLockedFolder(live);
  fs::create_directories(unlocked);
  fs::create_directories(other);

  EXPECT_EQ(SpillDirectory::SweepStale(dir.path()), 2);
  EXPECT_FALSE(fs::exists(dead));
  EXPECT_FALSE(fs::exists(unlocked));
  EXPECT_TRUE(fs::exists(live));
  EXPECT_TRUE(fs::exists(other));
  ::close(live_fd);
  // Once its owner lets go, the live folder is stale too.
  EXPECT_EQ(SpillDirectory::SweepStale(dir.path()), 1);
  EXPECT_FALSE(fs::exists(live));
}

TEST(SpillDirectoryTest, SweepLeavesAFolderBeingSetUpUntilItIsOld) {
  test::TempDir dir;
  // Another process has made its hidden folder and lock file but not yet locked it.
  const std::string setting_up = dir.Join(".sluice-spill-4-setup");
  fs::create_directories(setting_up);
  std::ofstream(setting_up + "/lock").close();
  const std::string no_lock_yet = dir.Join(".sluice-spill-5-nolock");
  fs::create_directories(no_lock_yet);

  EXPECT_EQ(SpillDirectory::SweepStale(dir.path()), 0);
  EXPECT_TRUE(fs::exists(setting_up));
  EXPECT_TRUE(fs::exists(no_lock_yet));
  // The lock must still be free for its owner: the sweep did not touch it.
  const int fd = ::open((setting_up + "/lock").c_str(), O_RDWR);
  ASSERT_GE(fd, 0);
  EXPECT_EQ(::flock(fd, LOCK_EX | LOCK_NB), 0);
  ::close(fd);

  // Hidden for minutes, its process died before renaming it: stale, locked file or not.
  const auto long_ago = fs::file_time_type::clock::now() - std::chrono::minutes(5);
  fs::last_write_time(setting_up, long_ago);
  fs::last_write_time(no_lock_yet, long_ago);
  EXPECT_EQ(SpillDirectory::SweepStale(dir.path()), 2);
  EXPECT_FALSE(fs::exists(setting_up));
  EXPECT_FALSE(fs::exists(no_lock_yet));
}

TEST(SpillDirectoryTest, NewFilesAreInThisProcesssLockedFolder) {
  SpillDirectory& spill = SpillDirectory::Get();
  const std::string a = spill.NewFilePath("sort");
  const std::string b = spill.NewFilePath("sort");
  EXPECT_NE(a, b);
  const fs::path folder = fs::path(a).parent_path();
  EXPECT_EQ(folder, fs::path(b).parent_path());
  EXPECT_NE(folder.filename().string().find("sluice-spill-" + std::to_string(::getpid())),
            std::string::npos);
  // Our own folder survives a sweep while we hold its lock.
  SpillDirectory::SweepStale(folder.parent_path().string());
  EXPECT_TRUE(fs::exists(folder));
}

}  // namespace
}  // namespace sluice::io
