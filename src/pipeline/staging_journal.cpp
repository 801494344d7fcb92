// Implements the staging internals: folder names, the JSON commit journal, the idempotent move
// step and the recovery of a dead run's staging folders.
#include "pipeline/staging_journal.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <system_error>

#include "core/error.h"
#include "io/fs/atomic_file.h"

namespace sluice::pipeline::staging {
namespace {

namespace fs = std::filesystem;

constexpr size_t kMaxPipelineNameInFolder = 64;

void Rename(const std::string& from, const std::string& to) {
  if (::rename(from.c_str(), to.c_str()) != 0) {
    ThrowIo("cannot rename '{}' to '{}': {}", from, to, std::strerror(errno));
  }
}

void RemoveAll(const std::string& path) {
  std::error_code error;
  fs::remove_all(path, error);
  if (error) ThrowIo("cannot remove '{}': {}", path, error.message());
}

std::mutex& RegistryMutex() {
  static std::mutex mutex;
  return mutex;
}

std::set<std::string>& Registry() {
  static std::set<std::string> tokens;
  return tokens;
}

}  // namespace

std::string FolderPrefix(const std::string& pipeline_name) {
  std::string name = pipeline_name.substr(0, kMaxPipelineNameInFolder);
  // '-' is replaced too, so that the "<pid>-<hex>" after the name is never ambiguous.
  for (char& c : name) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '_' || c == '.';
    if (!plain) c = '_';
  }
  return ".sluice-staging-" + name + "-";
}

bool ParseToken(const std::string& rest, pid_t* pid) {
  const size_t dash = rest.find('-');
  if (dash == 0 || dash == std::string::npos || dash > 10 || rest.size() != dash + 17) return false;
  int64_t value = 0;
  for (size_t i = 0; i < dash; ++i) {
    if (rest[i] < '0' || rest[i] > '9') return false;
    value = value * 10 + (rest[i] - '0');
  }
  for (size_t i = dash + 1; i < rest.size(); ++i) {
    const char c = rest[i];
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  if (value <= 0 || value > INT32_MAX) return false;
  *pid = static_cast<pid_t>(value);
  return true;
}

void RegisterLiveToken(const std::string& token) {
  std::lock_guard lock(RegistryMutex());
  Registry().insert(token);
}

void UnregisterLiveToken(const std::string& token) {
  std::lock_guard lock(RegistryMutex());
  Registry().erase(token);
}

bool IsRunLive(pid_t pid, const std::string& token) {
  if (pid == ::getpid()) {
    std::lock_guard lock(RegistryMutex());
    return Registry().contains(token);
  }
  // EPERM: the process exists but belongs to someone else. A zombie counts as running, which
  // only delays the cleaning to a later run.
  return ::kill(pid, 0) == 0 || errno == EPERM;
}

void WriteJournal(const std::string& path, const Journal& journal) {
  nlohmann::json moves = nlohmann::json::array();
  for (const Move& move : journal.moves) {
    moves.push_back({{"target", move.target}, {"staged", move.staged}, {"aside", move.aside}});
  }
  const nlohmann::json json = {
      {"pid", journal.pid}, {"folders", journal.folders}, {"moves", std::move(moves)}};
  const std::string text = json.dump(2) + "\n";
  io::AtomicFileWriter writer = io::AtomicFileWriter::Open(path);
  writer.Write(text.data(), text.size());
  writer.Commit();
}

std::optional<Journal> ReadJournal(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const nlohmann::json json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object()) return std::nullopt;
  try {
    Journal journal;
    journal.pid = json.at("pid").get<pid_t>();
    journal.folders = json.at("folders").get<std::vector<std::string>>();
    for (const nlohmann::json& move : json.at("moves")) {
      journal.moves.push_back({move.at("target").get<std::string>(),
                               move.at("staged").get<std::string>(),
                               move.at("aside").get<std::string>()});
    }
    return journal;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

MoveResult ApplyMove(const Move& move, int* renames_left) {
  const auto take_rename = [renames_left] {
    if (*renames_left == 0) return false;
    if (*renames_left > 0) --*renames_left;
    return true;
  };
  bool moved = false;
  if (Exists(move.staged)) {
    // A file over a file is one atomic rename. A folder cannot be renamed over a non-empty
    // folder, so the old one goes aside first (a journal remembers where).
    if ((IsFolder(move.staged) || IsFolder(move.target)) && Exists(move.target)) {
      if (Exists(move.aside)) RemoveAll(move.aside);
      if (!take_rename()) return MoveResult::kStopped;
      Rename(move.target, move.aside);
    }
    if (!take_rename()) return MoveResult::kStopped;
    Rename(move.staged, move.target);
    moved = true;
  } else if (!Exists(move.target) && Exists(move.aside)) {
    // Neither new nor old output in place, only the old one aside: no commit step leads here,
    // but keeping the old output beats deleting it.
    Rename(move.aside, move.target);
  }
  if (Exists(move.aside)) RemoveAll(move.aside);
  return moved ? MoveResult::kMoved : MoveResult::kNothing;
}

void SyncFolder(const std::string& path) noexcept {
  const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  while (::fsync(fd) != 0 && errno == EINTR) {
  }
  ::close(fd);
}

namespace {

/// A journal may only name staging folders of its own run (the same folder name as those found)
/// and move `<staging>/out/NAME` to `<its folder>/NAME`, with `<staging>/old/NAME` aside: a
/// damaged or foreign journal naming anything else is ignored rather than obeyed.
bool StaysInPlace(const Journal& journal, const std::vector<std::string>& found) {
  if (found.empty()) return false;
  const fs::path run_name = fs::path(found.front()).filename();
  for (const std::string& folder : journal.folders) {
    if (fs::path(folder).lexically_normal().filename() != run_name) return false;
  }
  for (const Move& move : journal.moves) {
    const fs::path target = fs::path(move.target).lexically_normal();
    const fs::path staged = fs::path(move.staged).lexically_normal();
    const fs::path aside = fs::path(move.aside).lexically_normal();
    const fs::path staging = staged.parent_path().parent_path();
    bool in_place = staging.filename() == run_name && staged.parent_path().filename() == "out" &&
                    aside.parent_path() == staging / "old" &&
                    target.parent_path() == staging.parent_path() &&
                    staged.filename() == target.filename() && aside.filename() == target.filename();
    if (!in_place) return false;
  }
  return true;
}

}  // namespace

void RecoverFolders(pid_t pid, std::vector<std::string> folders, std::vector<std::string>* log) {
  const auto note = [log](std::string line) {
    if (log != nullptr) log->push_back(std::move(line));
  };
  std::string journal_path;
  std::optional<Journal> journal;
  for (const std::string& folder : folders) {
    const std::string path = folder + "/" + kJournalName;
    if (!Exists(path)) continue;
    journal_path = path;
    journal = ReadJournal(path);
    if (!journal) {
      note(fmt::format("ignored an unreadable commit journal '{}'", path));
    } else if (!StaysInPlace(*journal, folders)) {
      note(fmt::format("ignored a commit journal '{}' that names paths outside its staging folders",
                       path));
      journal.reset();
    }
    break;
  }
  if (journal) {
    for (const std::string& folder : journal->folders) {
      if (std::find(folders.begin(), folders.end(), folder) == folders.end()) {
        folders.push_back(folder);
      }
    }
    std::vector<std::string> target_folders;
    for (const Move& move : journal->moves) {
      try {
        int unlimited = -1;
        if (ApplyMove(move, &unlimited) == MoveResult::kMoved) {
          note(fmt::format("completed an interrupted commit of {}", move.target));
        }
      } catch (const std::exception& error) {
        // Keep the journal and every staged output: a later recovery can finish the commit.
        note(fmt::format("could not complete the interrupted commit of {} (left by process {}): {}",
                         move.target, pid, error.what()));
        return;
      }
      target_folders.push_back(fs::path(move.target).parent_path().string());
    }
    for (const std::string& folder : target_folders) SyncFolder(folder);
  }
  if (!journal_path.empty()) {
    ::unlink(journal_path.c_str());
    SyncFolder(fs::path(journal_path).parent_path().string());
  }
  for (const std::string& folder : folders) {
    if (!Exists(folder)) continue;
    std::error_code error;
    fs::remove_all(folder, error);
    if (error) {
      note(fmt::format("could not remove staging folder {} left by process {}: {}", folder, pid,
                       error.message()));
    } else {
      note(fmt::format("removed staging folder {} left by process {}", folder, pid));
    }
  }
}

FolderLock::FolderLock(const std::string& folder) {
  fd_ = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd_ < 0) return;
  while (::flock(fd_, LOCK_EX) != 0) {
    if (errno != EINTR) {
      ::close(fd_);
      fd_ = -1;
      return;
    }
  }
}

FolderLock::~FolderLock() {
  if (fd_ >= 0) ::close(fd_);
}

bool Exists(const std::string& path) {
  struct stat info;
  return ::lstat(path.c_str(), &info) == 0;
}

bool IsFolder(const std::string& path) {
  struct stat info;
  return ::lstat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode);
}

}  // namespace sluice::pipeline::staging
