// Internals of staging.h shared by the run's own commit, RecoverInterruptedRuns and the janitor:
// the names of staging folders, the commit journal, the one idempotent step that moves a staged
// output into place (used both to commit and to roll an interrupted commit forward), and the
// recovery of one dead run's staging folders. Not for use outside staging*.cpp and janitor.cpp.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace sluice::pipeline::staging {

/// ".sluice-staging-<pipeline, sanitised>-": every staging folder of the pipeline starts so.
std::string FolderPrefix(const std::string& pipeline_name);

/// lstat-based: a symbolic link counts as itself, never as what it points to.
bool Exists(const std::string& path);
bool IsFolder(const std::string& path);

/// Parses "<pid>-<16 hex>" (what follows the prefix); returns false for anything else.
bool ParseToken(const std::string& rest, pid_t* pid);

/// The run tokens of this process's live staging areas: a folder named with this process's pid
/// but an unregistered token was left by an earlier process that had the same pid (or abandoned
/// by a test).
void RegisterLiveToken(const std::string& token);
void UnregisterLiveToken(const std::string& token);
/// True when the run that named a folder `token` may still be writing into it.
bool IsRunLive(pid_t pid, const std::string& token);

/// One output to move: staged -> target, with the old target moved aside first when either is a
/// folder.
struct Move {
  std::string target, staged, aside;
};

struct Journal {
  pid_t pid = 0;
  std::vector<std::string> folders;  ///< Every staging folder of the run.
  std::vector<Move> moves;           ///< In commit order.
};

/// Writes the journal atomically and durably (io::AtomicFileWriter). Throws ThrowIo.
void WriteJournal(const std::string& path, const Journal& journal);
/// Reads a journal; nullopt when missing or unreadable (a journal is written atomically, so an
/// unreadable one was damaged by something else).
std::optional<Journal> ReadJournal(const std::string& path);

enum class MoveResult {
  kMoved,    ///< This call moved the staged output into place.
  kNothing,  ///< The staged output was already in place (or never written).
  kStopped,  ///< The rename budget ran out first (tests only).
};

/// Brings one move to its end from whatever state an interrupted commit left: staged output
/// still there -> (old target aside ->) staged output in -> aside removed. Safe to repeat.
/// `renames_left` < 0 means no limit; otherwise each rename uses one, and the call stops
/// (kStopped) when none is left. Throws ThrowIo when a rename or removal fails.
MoveResult ApplyMove(const Move& move, int* renames_left);

/// fsyncs a folder so renames in it survive a crash; ignores file systems that cannot.
void SyncFolder(const std::string& path) noexcept;

/// Recovers one dead run: rolls its commit forward when `folders` (or the journal they hold)
/// name a journal, then removes the journal and every staging folder. Appends one line per action
/// to `log` (nullptr: none). Never throws; on a failed move it keeps the journal and the folders,
/// so that a later recovery can try again.
void RecoverFolders(pid_t pid, std::vector<std::string> folders, std::vector<std::string>* log);

/// Holds an exclusive flock on a folder while it lives (none when the folder cannot be opened):
/// recoveries of the same staging folders by different processes take turns.
class FolderLock {
 public:
  explicit FolderLock(const std::string& folder);
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;
  ~FolderLock();

 private:
  int fd_ = -1;
};

/// The journal's name inside the first staging folder.
inline constexpr const char* kJournalName = "journal.json";

}  // namespace sluice::pipeline::staging
