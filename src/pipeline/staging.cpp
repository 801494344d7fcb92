// Implements StagingArea (create, stage, commit, abort) and RecoverInterruptedRuns on top of the
// journal and move step of staging_journal.h.
#include "pipeline/staging.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <exception>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <system_error>
#include <utility>

#include "core/error.h"
#include "io/fs/atomic_file.h"
#include "pipeline/staging_journal.h"

namespace sluice::pipeline {
namespace {

namespace fs = std::filesystem;
using staging::Exists;
using staging::IsFolder;

/// Makes a path absolute and normal ("out/./a/" -> "/work/out/a"), so that every spelling of a
/// target finds the same staging entry.
std::string Normalize(const std::string& path) {
  if (path.empty()) ThrowInvalid("an output path is empty");
  std::error_code error;
  fs::path normal = fs::absolute(path, error).lexically_normal();
  if (error) ThrowIo("cannot resolve the output path '{}': {}", path, error.message());
  if (!normal.has_filename()) normal = normal.parent_path();  // A trailing '/'.
  const std::string name = normal.filename().string();
  if (name.empty() || name == "." || name == "..") {
    ThrowInvalid("cannot write an output to '{}': not a file or folder path", path);
  }
  return normal.string();
}

std::string Parent(const std::string& path) {
  return fs::path(path).parent_path().string();
}

std::string FileName(const std::string& path) {
  return fs::path(path).filename().string();
}

void MakeFolder(const std::string& path) {
  if (::mkdir(path.c_str(), 0777) != 0) {
    ThrowIo("cannot create the staging folder '{}': {}", path, std::strerror(errno));
  }
}

std::string RandomHex() {
  std::random_device device;
  const uint64_t value = (uint64_t{device()} << 32) ^ device();
  return fmt::format("{:016x}", value);
}

/// Refuses to replace a folder that is not an earlier partitioned output (only `key=value`
/// folders and dot files), the same rule exec/partitioned_sink.h applies to its own target.
void CheckReplaceable(const std::string& folder) {
  std::error_code error;
  for (fs::directory_iterator it(folder, error), end; !error && it != end; it.increment(error)) {
    const std::string name = it->path().filename().string();
    if (name.starts_with('.')) continue;
    const size_t equals = name.find('=');
    if (equals != std::string::npos && equals > 0 && IsFolder(it->path().string())) continue;
    ThrowInvalid(
        "cannot replace '{}' with the new output: it is a folder holding '{}', which is not a "
        "partition folder (key=value); remove it or choose another path",
        folder, name);
  }
  if (error) ThrowIo("cannot list '{}': {}", folder, error.message());
}

}  // namespace

StagingArea StagingArea::Create(const std::string& pipeline_name,
                                const std::vector<std::string>& target_paths) {
  StagingArea area;
  area.token_ = fmt::format("{}-{}", ::getpid(), RandomHex());
  const std::string folder_name = staging::FolderPrefix(pipeline_name) + area.token_;
  std::map<std::string, std::string> folder_of;  // Target folder -> its staging folder.
  for (const std::string& target : target_paths) {
    std::string path = Normalize(target);
    if (std::find(area.targets_.begin(), area.targets_.end(), path) != area.targets_.end()) {
      continue;
    }
    const std::string parent = Parent(path);
    folder_of[parent] = (fs::path(parent) / folder_name).string();
    area.targets_.push_back(path);
  }
  for (const std::string& outer : area.targets_) {
    for (const std::string& inner : area.targets_) {
      // Committing the outer folder would carry the inner output's staging folder away.
      if (inner.size() > outer.size() && inner.starts_with(outer) && inner[outer.size()] == '/') {
        ThrowInvalid("output '{}' lies inside output folder '{}'; write them to separate places",
                     inner, outer);
      }
    }
  }
  for (const std::string& path : area.targets_) {
    const std::string& folder = folder_of.at(Parent(path));
    area.target_list_.push_back(
        {path, folder + "/out/" + FileName(path), folder + "/old/" + FileName(path)});
  }

  // From here on, a failure unwinds through the destructor, which removes what was made.
  staging::RegisterLiveToken(area.token_);
  area.active_ = true;
  for (const auto& [parent, folder] : folder_of) {
    std::vector<std::string> missing;  // Deepest first.
    for (fs::path p = parent; !p.empty() && !Exists(p.string()); p = p.parent_path()) {
      missing.push_back(p.string());
      if (p == p.parent_path()) break;
    }
    io::CreateDirectories(parent);
    area.created_folders_.insert(area.created_folders_.end(), missing.rbegin(), missing.rend());
    MakeFolder(folder);
    area.staging_folders_.push_back(folder);
    MakeFolder(folder + "/out");
    MakeFolder(folder + "/old");
    if (area.staging_folders_.size() == 1) MakeFolder(folder + "/scratch");
  }
  return area;
}

StagingArea::StagingArea(StagingArea&& other) noexcept
    : token_(std::move(other.token_)),
      target_list_(std::move(other.target_list_)),
      targets_(std::move(other.targets_)),
      staging_folders_(std::move(other.staging_folders_)),
      created_folders_(std::move(other.created_folders_)),
      janitor_(std::move(other.janitor_)),
      active_(std::exchange(other.active_, false)) {}

StagingArea& StagingArea::operator=(StagingArea&& other) noexcept {
  if (this != &other) {
    Abort();
    token_ = std::move(other.token_);
    target_list_ = std::move(other.target_list_);
    targets_ = std::move(other.targets_);
    staging_folders_ = std::move(other.staging_folders_);
    created_folders_ = std::move(other.created_folders_);
    janitor_ = std::move(other.janitor_);
    active_ = std::exchange(other.active_, false);
  }
  return *this;
}

StagingArea::~StagingArea() {
  Abort();
}

std::string StagingArea::StagedPath(const std::string& target) const {
  const std::string path = Normalize(target);
  for (const Target& t : target_list_) {
    if (t.path == path) return t.staged;
  }
  ThrowInternal("'{}' is not an output of this run's staging area", target);
}

std::string StagingArea::ScratchPath(const std::string& file_name) const {
  if (file_name.empty() || file_name == "." || file_name == ".." ||
      file_name.find('/') != std::string::npos) {
    ThrowInternal("scratch file name '{}' is not a plain file name", file_name);
  }
  if (staging_folders_.empty()) ThrowInternal("a staging area without outputs has no scratch");
  return staging_folders_.front() + "/scratch/" + file_name;
}

std::string StagingArea::journal_path() const {
  return staging_folders_.empty() ? std::string()
                                  : staging_folders_.front() + "/" + staging::kJournalName;
}

bool StagingArea::StartJanitor() {
  if (!active_ || staging_folders_.empty()) return false;
  if (janitor_ == nullptr) janitor_ = Janitor::Start(staging_folders_);
  return janitor_ != nullptr;
}

void StagingArea::Commit(const std::vector<std::string>& only) {
  CommitImpl(only, /*max_renames=*/-1);
}

void StagingArea::CommitInterruptedForTesting(int renames) {
  CommitImpl({}, std::max(renames, 0));
  // As if killed: nothing more happens here. The janitor (if any) is kept waiting on its pipe
  // until this process dies, which is the point of the test that uses it.
  static_cast<void>(janitor_.release());
  staging::UnregisterLiveToken(token_);
  active_ = false;
}

void StagingArea::CommitImpl(const std::vector<std::string>& only, int max_renames) {
  if (!active_) ThrowInternal("commit of a staging area that was committed or aborted already");
  std::vector<std::string> selected;
  for (const std::string& target : only) {
    selected.push_back(Normalize(target));
    if (std::find(targets_.begin(), targets_.end(), selected.back()) == targets_.end()) {
      ThrowInternal("'{}' is not an output of this run's staging area", target);
    }
  }
  staging::Journal journal;
  journal.pid = ::getpid();
  journal.folders = staging_folders_;
  for (const Target& target : target_list_) {
    if (!selected.empty() &&
        std::find(selected.begin(), selected.end(), target.path) == selected.end()) {
      continue;
    }
    if (!Exists(target.staged)) continue;
    if (IsFolder(target.path)) CheckReplaceable(target.path);
    journal.moves.push_back({target.path, target.staged, target.aside});
  }

  const std::string journal_file = journal_path();
  if (!journal.moves.empty()) {
    // The staged outputs' names must be durable before the journal points at them, and the
    // journal before the first rename.
    for (const std::string& folder : staging_folders_) {
      staging::SyncFolder(folder + "/out");
      staging::SyncFolder(folder);
      staging::SyncFolder(Parent(folder));
    }
    staging::WriteJournal(journal_file, journal);
    try {
      int renames_left = max_renames;
      for (const staging::Move& move : journal.moves) {
        if (staging::ApplyMove(move, &renames_left) == staging::MoveResult::kStopped) break;
      }
      if (max_renames >= 0) return;  // Tests: stop where a kill would.
      for (const std::string& folder : staging_folders_) staging::SyncFolder(Parent(folder));
    } catch (const std::exception& error) {
      // Some outputs may be in place already: keep the journal and the rest for the next run,
      // which rolls the commit forward, rather than leave a mix of old and new outputs.
      staging::UnregisterLiveToken(token_);
      active_ = false;
      if (janitor_ != nullptr) janitor_->Dismiss();
      ThrowIo(
          "{}; the commit stopped half way and the next run of the pipeline completes it (journal "
          "'{}')",
          error.what(), journal_file);
    }
    ::unlink(journal_file.c_str());
  } else if (max_renames >= 0) {
    return;
  }
  for (const std::string& folder : staging_folders_) {
    std::error_code ignored;
    fs::remove_all(folder, ignored);
  }
  staging::UnregisterLiveToken(token_);
  active_ = false;
  if (janitor_ != nullptr) janitor_->Dismiss();
}

void StagingArea::Abort() noexcept {
  if (!active_) return;
  active_ = false;
  for (const std::string& folder : staging_folders_) {
    std::error_code ignored;
    fs::remove_all(folder, ignored);
  }
  // Target folders this run created go again if nothing else was put there.
  for (auto it = created_folders_.rbegin(); it != created_folders_.rend(); ++it) {
    ::rmdir(it->c_str());
  }
  staging::UnregisterLiveToken(token_);
  // Last: had this process died during the removals, the janitor would have finished them.
  if (janitor_ != nullptr) janitor_->Dismiss();
}

std::vector<std::string> RecoverInterruptedRuns(const std::string& pipeline_name,
                                                const std::vector<std::string>& target_paths) {
  std::vector<std::string> log;
  std::set<std::string> folders;
  for (const std::string& target : target_paths) {
    try {
      folders.insert(Parent(Normalize(target)));
    } catch (const Error&) {
      // An unusable path fails the run later, with a better message than recovery could give.
    }
  }
  if (folders.empty()) return log;
  // The janitor of a run with the same targets locks the same folder.
  staging::FolderLock lock(*folders.begin());
  const std::string prefix = staging::FolderPrefix(pipeline_name);
  struct Run {
    pid_t pid = 0;
    std::vector<std::string> folders;
  };
  std::map<std::string, Run> runs;  // By token "<pid>-<hex>".
  for (const std::string& folder : folders) {
    std::error_code error;
    for (fs::directory_iterator it(folder, error), end; !error && it != end; it.increment(error)) {
      const std::string name = it->path().filename().string();
      if (!name.starts_with(prefix)) continue;
      const std::string token = name.substr(prefix.size());
      pid_t pid = 0;
      if (!staging::ParseToken(token, &pid) || !IsFolder(it->path().string())) continue;
      runs[token].pid = pid;
      runs[token].folders.push_back(it->path().string());
    }
  }
  for (auto& [token, run] : runs) {
    if (staging::IsRunLive(run.pid, token)) continue;
    staging::RecoverFolders(run.pid, std::move(run.folders), &log);
  }
  return log;
}

}  // namespace sluice::pipeline
