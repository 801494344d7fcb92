// Tests the all-or-nothing commit of a run's outputs: Commit replaces files and folders, Abort
// leaves the earlier outputs as they were, a commit interrupted at any rename is rolled forward by
// RecoverInterruptedRuns, staging folders of dead processes are removed (of live ones kept), and
// the janitor cleans up after a process killed with SIGKILL. Tests that need a process to die
// fork one: the child only does file work and leaves with _exit, never returning into gtest.
#include "pipeline/staging.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "core/error.h"
#include "testing/temp_dir.h"

namespace sluice::pipeline {
namespace {

namespace fs = std::filesystem;

/// The names of the staging folders in a folder.
std::vector<std::string> StagingFoldersIn(const std::string& folder) {
  std::vector<std::string> names;
  if (!fs::exists(folder)) return names;
  for (const auto& entry : fs::directory_iterator(folder)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with(".sluice-staging-")) names.push_back(name);
  }
  return names;
}

void WriteText(const std::string& path, const std::string& text) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

/// Runs `body` in a forked child, which leaves with _exit(body()) (or dies by a signal), and
/// returns the child's wait status.
template <typename Body>
int RunInChild(Body body) {
  const pid_t pid = ::fork();
  if (pid < 0) ADD_FAILURE() << "fork failed";
  if (pid == 0) {
    int code = 99;
    try {
      code = body();
    } catch (...) {
      code = 98;
    }
    ::_exit(code);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

/// Polls `done` for up to 5 seconds (the janitor works asynchronously).
template <typename Done>
bool WaitUntil(Done done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

/// Earlier outputs of a run: a file, a partitioned folder, and a file not written yet.
struct Outputs {
  explicit Outputs(const test::TempDir& dir)
      : file(dir.Join("out/a.parquet")),
        folder(dir.Join("out/parts")),
        fresh(dir.Join("out/b.csv")),
        other(dir.Join("elsewhere/deep/c.parquet")) {
    WriteText(file, "old a");
    WriteText(folder + "/k=1/data_0.parquet", "old part 1");
    WriteText(folder + "/k=2/data_0.parquet", "old part 2");
  }
  std::vector<std::string> targets() const { return {file, folder, fresh, other}; }
  /// Writes a new version of every output into the staging area.
  void Stage(const StagingArea& area) const {
    WriteText(area.StagedPath(file), "new a");
    WriteText(area.StagedPath(folder) + "/k=3/data_0.parquet", "new part 3");
    WriteText(area.StagedPath(fresh), "new b");
    WriteText(area.StagedPath(other), "new c");
  }
  void ExpectOld() const {
    EXPECT_EQ(test::ReadFile(file), "old a");
    EXPECT_EQ(test::ReadFile(folder + "/k=1/data_0.parquet"), "old part 1");
    EXPECT_EQ(test::ReadFile(folder + "/k=2/data_0.parquet"), "old part 2");
    EXPECT_FALSE(fs::exists(folder + "/k=3"));
    EXPECT_FALSE(fs::exists(fresh));
    EXPECT_FALSE(fs::exists(other));
  }
  void ExpectNew() const {
    EXPECT_EQ(test::ReadFile(file), "new a");
    EXPECT_FALSE(fs::exists(folder + "/k=1"));
    EXPECT_EQ(test::ReadFile(folder + "/k=3/data_0.parquet"), "new part 3");
    EXPECT_EQ(test::ReadFile(fresh), "new b");
    EXPECT_EQ(test::ReadFile(other), "new c");
  }
  void ExpectNoStaging() const {
    EXPECT_EQ(StagingFoldersIn(fs::path(file).parent_path().string()), std::vector<std::string>{});
    EXPECT_EQ(StagingFoldersIn(fs::path(other).parent_path().string()), std::vector<std::string>{});
  }
  std::string file, folder, fresh, other;
};

TEST(StagingTest, CommitReplacesFilesAndFolders) {
  test::TempDir dir;
  const Outputs outputs(dir);
  StagingArea area = StagingArea::Create("revenue", outputs.targets());
  ASSERT_EQ(area.staging_folders().size(), 2u);
  // One staging folder beside each target, named after the pipeline and this process.
  const std::vector<std::string> staging = StagingFoldersIn(dir.Join("out"));
  ASSERT_EQ(staging.size(), 1u);
  EXPECT_TRUE(staging[0].starts_with(".sluice-staging-revenue-" + std::to_string(::getpid()) + "-"))
      << staging[0];
  EXPECT_TRUE(fs::is_directory(dir.Join("elsewhere/deep")));  // Created for the target.
  EXPECT_TRUE(area.StagedPath(outputs.file).starts_with(dir.Join("out/.sluice-staging-")));

  outputs.Stage(area);
  const std::string scratch = area.ScratchPath("model.parquet");
  WriteText(scratch, "intermediate");
  outputs.ExpectOld();  // Nothing is visible before the commit.

  area.Commit();
  outputs.ExpectNew();
  outputs.ExpectNoStaging();
  EXPECT_FALSE(fs::exists(scratch));
  EXPECT_EQ(dir.List("out"), (std::vector<std::string>{"a.parquet", "b.csv", "parts"}));
  area.Abort();  // Does nothing after a commit.
  outputs.ExpectNew();
}

TEST(StagingTest, CommitKeepsTargetsWithoutStagedOutputAndHonoursOnly) {
  test::TempDir dir;
  const Outputs outputs(dir);
  StagingArea area = StagingArea::Create("p", outputs.targets());
  outputs.Stage(area);
  // A skipped sink writes nothing; `only` drops the staged outputs of the others too.
  fs::remove(area.StagedPath(outputs.fresh));
  area.Commit({outputs.file, dir.Join("out/./b.csv")});
  EXPECT_EQ(test::ReadFile(outputs.file), "new a");
  EXPECT_EQ(test::ReadFile(outputs.folder + "/k=1/data_0.parquet"), "old part 1");
  EXPECT_FALSE(fs::exists(outputs.fresh));
  EXPECT_FALSE(fs::exists(outputs.other));
  outputs.ExpectNoStaging();
}

TEST(StagingTest, AbortLeavesTargetsUntouchedAndNoStagingFolder) {
  test::TempDir dir;
  const Outputs outputs(dir);
  {
    StagingArea area = StagingArea::Create("p", outputs.targets());
    outputs.Stage(area);
    area.Abort();
    outputs.ExpectOld();
    outputs.ExpectNoStaging();
    EXPECT_FALSE(fs::exists(dir.Join("elsewhere")));  // Created by Create, empty: removed.
    EXPECT_THROW(area.Commit(), Error);
  }
  {
    // An exception unwinding through the area does the same.
    try {
      StagingArea area = StagingArea::Create("p", outputs.targets());
      outputs.Stage(area);
      throw std::runtime_error("a data test failed");
    } catch (const std::runtime_error&) {
    }
    outputs.ExpectOld();
    outputs.ExpectNoStaging();
  }
}

TEST(StagingTest, StagedPathTakesAnySpellingOfATarget) {
  test::TempDir dir;
  StagingArea area = StagingArea::Create("p", {dir.Join("out/a.parquet"), dir.Join("out/parts/")});
  EXPECT_EQ(area.StagedPath(dir.Join("out/../out/a.parquet")),
            area.StagedPath(dir.Join("out/a.parquet")));
  EXPECT_EQ(area.StagedPath(dir.Join("out/parts")), area.StagedPath(dir.Join("out/parts/")));
  EXPECT_EQ(fs::path(area.StagedPath(dir.Join("out/parts"))).filename(), "parts");
  EXPECT_THROW(area.StagedPath(dir.Join("out/c.parquet")), Error);
  EXPECT_THROW(area.ScratchPath("../x"), Error);
  // Nested outputs cannot both be replaced.
  EXPECT_THROW(StagingArea::Create("p", {dir.Join("out/parts"), dir.Join("out/parts/x.csv")}),
               Error);
}

TEST(StagingTest, RefusesToReplaceAFolderThatIsNotPartitionedOutput) {
  test::TempDir dir;
  const std::string target = dir.Join("out/parts");
  WriteText(target + "/notes.txt", "precious");
  StagingArea area = StagingArea::Create("p", {target});
  WriteText(area.StagedPath(target) + "/k=1/data_0.parquet", "new");
  try {
    area.Commit();
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput);
    EXPECT_NE(std::string(error.what()).find("notes.txt"), std::string::npos) << error.what();
  }
  area.Abort();
  EXPECT_EQ(test::ReadFile(target + "/notes.txt"), "precious");
  EXPECT_EQ(StagingFoldersIn(dir.Join("out")), std::vector<std::string>{});
}

// A journal is obeyed only when it stays within its run's staging folders: one edited to name
// another folder is ignored, and that folder and the targets are left as they were.
TEST(StagingTest, AJournalNamingOtherPathsIsIgnored) {
  test::TempDir dir;
  const Outputs outputs(dir);
  const std::string elsewhere = dir.WriteFile("elsewhere/keep.txt", "keep");
  std::string journal;
  {
    StagingArea area = StagingArea::Create("revenue", outputs.targets());
    outputs.Stage(area);
    area.CommitInterruptedForTesting(0);
    journal = area.journal_path();
  }
  std::string text = test::ReadFile(journal);
  const std::string folders_key = "\"folders\": [";
  ASSERT_NE(text.find(folders_key), std::string::npos) << text;
  text.insert(text.find(folders_key) + folders_key.size(),
              "\"" + fs::path(elsewhere).parent_path().string() + "\", ");
  { std::ofstream(journal) << text; }
  const std::vector<std::string> log = RecoverInterruptedRuns("revenue", outputs.targets());
  EXPECT_EQ(test::ReadFile(elsewhere), "keep");
  EXPECT_EQ(test::ReadFile(outputs.file), "old a");  // Not rolled forward either.
  outputs.ExpectNoStaging();
  ASSERT_FALSE(log.empty());
  EXPECT_TRUE(log[0].starts_with("ignored a commit journal ")) << testing::PrintToString(log);
}

// A commit takes 5 renames here (the folder 2: old aside, new in). Whichever rename the process
// is killed before, every target holds its old or new content, and recovery completes the commit.
TEST(StagingTest, RecoveryRollsAnInterruptedCommitForward) {
  for (int renames = 0; renames <= 6; ++renames) {
    SCOPED_TRACE("killed after " + std::to_string(renames) + " renames");
    test::TempDir dir;
    const Outputs outputs(dir);
    {
      StagingArea area = StagingArea::Create("revenue", outputs.targets());
      outputs.Stage(area);
      area.CommitInterruptedForTesting(renames);
      EXPECT_TRUE(fs::exists(area.journal_path()));
    }
    EXPECT_TRUE(test::ReadFile(outputs.file) == "old a" || test::ReadFile(outputs.file) == "new a");
    EXPECT_EQ(StagingFoldersIn(dir.Join("out")).size(), 1u);

    // Another pipeline's recovery leaves the run alone.
    EXPECT_EQ(RecoverInterruptedRuns("other", outputs.targets()), std::vector<std::string>{});
    EXPECT_EQ(StagingFoldersIn(dir.Join("out")).size(), 1u);

    const std::vector<std::string> log = RecoverInterruptedRuns("revenue", outputs.targets());
    outputs.ExpectNew();
    outputs.ExpectNoStaging();
    int completed = 0, removed = 0;
    for (const std::string& line : log) {
      completed += line.starts_with("completed an interrupted commit of ");
      removed += line.starts_with("removed staging folder ");
    }
    EXPECT_EQ(completed, renames == 0   ? 4
                         : renames <= 2 ? 3
                         : renames <= 4 ? 5 - renames
                                        : 0)
        << testing::PrintToString(log);
    EXPECT_EQ(removed, 2) << testing::PrintToString(log);
    EXPECT_EQ(RecoverInterruptedRuns("revenue", outputs.targets()), std::vector<std::string>{});
  }
}

TEST(StagingTest, RecoveryRemovesStagingOfDeadProcessesOnly) {
  test::TempDir dir;
  const std::string target = dir.Join("out/a.parquet");
  WriteText(target, "old");
  // A process that dies without cleaning up (no destructors run on _exit).
  const int status = RunInChild([&] {
    StagingArea* area = new StagingArea(StagingArea::Create("p", {target}));
    WriteText(area->StagedPath(target), "partial");
    return 0;
  });
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  ASSERT_EQ(StagingFoldersIn(dir.Join("out")).size(), 1u);
  // A live run of this process, one of a live process (our parent), and a dead process's run of
  // another pipeline: all kept.
  StagingArea live = StagingArea::Create("p", {target});
  const std::string parents =
      dir.Join(fmt::format("out/.sluice-staging-p-{}-0123456789abcdef", ::getppid()));
  const std::string others = dir.Join("out/.sluice-staging-q-2147483000-0123456789abcdef");
  fs::create_directories(parents);
  fs::create_directories(others);

  const std::vector<std::string> log = RecoverInterruptedRuns("p", {target});
  ASSERT_EQ(log.size(), 1u) << testing::PrintToString(log);
  EXPECT_TRUE(log[0].starts_with("removed staging folder " + dir.Join("out/.sluice-staging-p-")))
      << log[0];
  EXPECT_NE(log[0].find("left by process"), std::string::npos) << log[0];
  EXPECT_TRUE(fs::exists(live.staging_folders()[0]));
  EXPECT_TRUE(fs::exists(parents));
  EXPECT_TRUE(fs::exists(others));
  EXPECT_EQ(test::ReadFile(target), "old");
  EXPECT_EQ(StagingFoldersIn(dir.Join("out")).size(), 3u);
}

TEST(StagingTest, JanitorCleansUpAfterSigkill) {
  test::TempDir dir;
  const Outputs outputs(dir);
  // Forked first, so that the janitor starts in a single-threaded process whatever threads
  // this test binary has.
  const int status = RunInChild([&] {
    StagingArea area = StagingArea::Create("revenue", outputs.targets());
    if (!area.StartJanitor()) return 3;
    outputs.Stage(area);
    ::raise(SIGKILL);
    return 4;
  });
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "child status " << status;
  EXPECT_TRUE(WaitUntil([&] {
    return StagingFoldersIn(dir.Join("out")).empty() &&
           StagingFoldersIn(dir.Join("elsewhere/deep")).empty();
  }));
  outputs.ExpectOld();
}

TEST(StagingTest, JanitorCompletesACommitInterruptedBySigkill) {
  test::TempDir dir;
  const Outputs outputs(dir);
  const int status = RunInChild([&] {
    StagingArea area = StagingArea::Create("revenue", outputs.targets());
    if (!area.StartJanitor()) return 3;
    outputs.Stage(area);
    area.CommitInterruptedForTesting(2);  // The folder is aside, its new version not yet in.
    ::raise(SIGKILL);
    return 4;
  });
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "child status " << status;
  EXPECT_TRUE(WaitUntil([&] {
    return StagingFoldersIn(dir.Join("out")).empty() &&
           StagingFoldersIn(dir.Join("elsewhere/deep")).empty();
  }));
  outputs.ExpectNew();
}

TEST(StagingTest, DismissedJanitorLeavesEverythingAlone) {
  test::TempDir dir;
  const std::string folder = dir.Join("out/.sluice-staging-p-1-0123456789abcdef");
  fs::create_directories(folder);
  const int status = RunInChild([&] {
    std::unique_ptr<Janitor> janitor = Janitor::Start({folder});
    if (janitor == nullptr) return 3;
    const pid_t pid = janitor->pid();
    janitor->Dismiss();  // Also reaps it.
    return ::kill(pid, 0) != 0 && fs::exists(folder) ? 0 : 4;
  });
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  EXPECT_TRUE(fs::exists(folder));

  // A janitor whose process exits without dismissing it (std::exit skips destructors of locals
  // just like this) cleans up.
  const int status2 =
      RunInChild([&] { return Janitor::Start({folder}).release() == nullptr ? 3 : 0; });
  EXPECT_TRUE(WIFEXITED(status2) && WEXITSTATUS(status2) == 0) << status2;
  EXPECT_TRUE(WaitUntil([&] { return !fs::exists(folder); }));
}

TEST(StagingTest, JanitorRefusesToStartInAMultiThreadedProcess) {
  test::TempDir dir;
  const std::string folder = dir.Join("out/.sluice-staging-p-1-0123456789abcdef");
  fs::create_directories(folder);
  const int status = RunInChild([&] {
    int pipe_fds[2];
    if (::pipe(pipe_fds) != 0) return 5;
    std::thread([fd = pipe_fds[0]] {  // Blocks until the process ends.
      char byte;
      static_cast<void>(::read(fd, &byte, 1));
    })
        .detach();
    return Janitor::Start({folder}) == nullptr ? 0 : 4;
  });
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  EXPECT_TRUE(fs::exists(folder));
}

}  // namespace
}  // namespace sluice::pipeline
