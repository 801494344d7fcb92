// The all-or-nothing commit of a pipeline run (issue 7, "All or nothing"): every output is
// written into a staging folder beside its target, and only when every sink and every data test
// succeeded does Commit move them all into place. A failed run (Abort, or the destructor while an
// exception unwinds) removes the staging folders, so the earlier outputs stay exactly as they were.
//
// A run killed with SIGKILL cannot clean up after itself; two things cover that:
//  - RecoverInterruptedRuns, at the start of the next run, removes the staging folders of
//    processes that no longer run, and completes a commit that was interrupted half way;
//  - a Janitor, a small process forked at the start of the run, does the same as soon as the run's
//    process dies, so that no staging files remain even when no later run comes.
// The commit writes and fsyncs a journal of its moves before the first rename, so an interrupted
// commit is always completed (rolled forward), never left half done: after a kill every target
// holds either its old or its new content, and once recovered, all hold the new one.
//
// Layout, in each target's folder (renames never cross a file system):
//   <target dir>/.sluice-staging-<pipeline>-<pid>-<16 hex>/
//       out/<target name>     the staged output (a file, or a folder for partitioned output)
//       old/<target name>     a replaced folder, while the commit moves it aside
//       scratch/              intermediate files (only in the first staging folder)
//       journal.json          the commit journal (only in the first staging folder)
// "First" is the staging folder of the lexicographically smallest target folder; the janitor and
// RecoverInterruptedRuns lock that target folder (flock) while they recover, so they never work on
// the same staging folders at once.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

namespace sluice::pipeline {

class Janitor;

class StagingArea {
 public:
  /// Creates one staging folder in the folder of each target (creating missing target folders).
  /// Target paths are made absolute (against the working directory) and normalised; a path
  /// given twice is one target. The pipeline name goes into the folder names (characters other
  /// than letters, digits, '_' and '.' become '_'), so that RecoverInterruptedRuns of one
  /// pipeline leaves other pipelines' runs alone. Throws ThrowIo when a folder cannot be created,
  /// ThrowInvalid when one target lies inside another.
  static StagingArea Create(const std::string& pipeline_name,
                            const std::vector<std::string>& target_paths);

  StagingArea(StagingArea&& other) noexcept;
  StagingArea& operator=(StagingArea&& other) noexcept;
  StagingArea(const StagingArea&) = delete;
  StagingArea& operator=(const StagingArea&) = delete;
  /// Aborts unless committed.
  ~StagingArea();

  /// Returns where to write `target` (one of the target paths given to Create, in any spelling
  /// that normalises to the same path) during the run: a path that does not exist yet, in a
  /// folder that does. Write a file there (io::AtomicFileWriter works), or a folder for
  /// partitioned output. Throws ThrowInternal for a path that is not a target.
  std::string StagedPath(const std::string& target) const;

  /// Returns a scratch path for an intermediate file (a model computed once for several
  /// consumers); it is removed with the staging folders. `file_name` must be a plain name.
  std::string ScratchPath(const std::string& file_name) const;

  /// Forks the janitor that cleans up if this process dies before Commit or Abort finish (see
  /// Janitor). Call it right after Create, before any thread is started. Returns false (and
  /// runs without one) when the process already has several threads or the fork fails; the next
  /// run's RecoverInterruptedRuns then does the cleaning.
  bool StartJanitor();

  /// Moves every staged output that exists over its target, in the order of the target paths
  /// given to Create (put the manifest last); targets whose output was not written (skipped
  /// sinks) keep their content. A file replaces the target by rename(2), atomically; a folder
  /// (or a file replacing a folder) by renaming the old target aside, renaming the new one in,
  /// and deleting the old. Before the first rename it writes and fsyncs the commit journal, so a
  /// process killed in the middle is completed by RecoverInterruptedRuns or the janitor; after
  /// the moves it fsyncs the target folders and removes the journal and the staging folders.
  /// `only` (if non-empty) limits the moves to those targets; the other staged outputs are
  /// dropped. An existing folder target is replaced only when it holds nothing but `key=value`
  /// folders and dot files (an earlier partitioned output), so that a mistyped path cannot delete
  /// an unrelated folder: otherwise Commit throws ThrowInvalid before anything moves (then Abort
  /// as usual). If a rename fails after the journal was written, Commit throws ThrowIo and leaves
  /// the journal and the staging folders for the next run to complete the commit. Then, as after
  /// a successful Commit, the area is finished: Abort and the destructor do nothing.
  void Commit(const std::vector<std::string>& only = {});

  /// Removes the staging folders with everything in them, and the target folders Create made if
  /// they are still empty. Also what the destructor does unless committed. Safe to call twice.
  void Abort() noexcept;

  /// The staging folders, in the order of their target folders (sorted); the first holds the
  /// scratch folder and the journal.
  const std::vector<std::string>& staging_folders() const { return staging_folders_; }
  /// The normalised absolute target paths, in the order given to Create.
  const std::vector<std::string>& targets() const { return targets_; }
  std::string journal_path() const;

  /// For tests: runs Commit only up to the journal and `renames` renames, then leaves the
  /// journal and the staging folders as a process killed at that moment would, and forgets
  /// them (the destructor no longer aborts; RecoverInterruptedRuns in this same process treats
  /// them as left by a dead process).
  void CommitInterruptedForTesting(int renames);

 private:
  struct Target {
    std::string path;    ///< Absolute, normalised.
    std::string staged;  ///< <staging folder>/out/<name>.
    std::string aside;   ///< <staging folder>/old/<name>.
  };
  StagingArea() = default;
  void CommitImpl(const std::vector<std::string>& only, int max_renames);
  void Forget() noexcept;

  std::string token_;  ///< "<pid>-<16 hex>": names this run's staging folders.
  std::vector<Target> target_list_;
  std::vector<std::string> targets_;
  std::vector<std::string> staging_folders_;
  std::vector<std::string> created_folders_;  ///< Target folders Create made, deepest first.
  std::unique_ptr<Janitor> janitor_;
  bool active_ = false;  ///< False once committed, aborted or moved from.
};

/// At the start of a run: completes every commit of this pipeline that a killed process left
/// half done (its journal), and removes the staging folders of this pipeline, in the folders of
/// `target_paths`, that were left by processes that no longer run (folders of a running process,
/// such as a concurrent run, are kept). Returns what it did, one line per action, for the CLI to
/// print: "completed an interrupted commit of /abs/out/a.parquet", "removed staging folder
/// /abs/out/.sluice-staging-... left by process 123". Errors while recovering are reported the
/// same way ("could not ...") rather than thrown: a leftover must not stop the next run.
std::vector<std::string> RecoverInterruptedRuns(const std::string& pipeline_name,
                                                const std::vector<std::string>& target_paths);

/// A janitor for kill -9. Start forks a small process that detaches (setsid, so a signal to the
/// run's process group does not reach it; stdin/stdout/stderr go to /dev/null and every other
/// descriptor is closed, so it holds no pipe a caller waits on for EOF), then blocks reading one
/// end of a socket pair whose other end only the run's process holds (a socket rather than a
/// pipe so that Dismiss cannot raise SIGPIPE). Dismiss writes one byte and closes it: the
/// janitor exits without doing anything. EOF without that byte means the run's process died
/// (SIGKILL, a crash, an exit that skipped destructors): the janitor then recovers exactly this
/// run's staging folders as RecoverInterruptedRuns would (rolls the commit forward if the
/// journal exists, else just removes the folders) and exits.
///
/// Start refuses (returns nullptr) when the process has more than one thread (counted in
/// /proc/self/task): the child of a multi-threaded fork may find a lock held forever. The child
/// runs ordinary code, since it is a copy of a single-threaded process, and leaves with _exit,
/// never returning into the caller's code (no atexit handlers, no stdio flushes). A process that
/// forks later must not keep the run's end alive in its children (it is CLOEXEC, so exec'd
/// children do not), or the janitor waits for them too.
class Janitor {
 public:
  /// `staging_folders` as StagingArea::staging_folders() gives them.
  static std::unique_ptr<Janitor> Start(std::vector<std::string> staging_folders);

  Janitor(const Janitor&) = delete;
  Janitor& operator=(const Janitor&) = delete;
  /// Dismisses the janitor.
  ~Janitor();

  /// Tells the janitor the run ended normally (committed or aborted by the run itself) and
  /// reaps it. Safe to call twice.
  void Dismiss() noexcept;

  pid_t pid() const { return pid_; }

 private:
  Janitor(pid_t pid, int write_fd) : pid_(pid), write_fd_(write_fd) {}
  pid_t pid_;
  int write_fd_;
};

}  // namespace sluice::pipeline
