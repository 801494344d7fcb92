// Implements the Janitor: a forked process that outlives a run killed with SIGKILL just long
// enough to remove (or roll forward) the run's staging folders.
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <exception>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "pipeline/staging.h"
#include "pipeline/staging_journal.h"

namespace sluice::pipeline {
namespace {

/// Counts this process's threads; 0 when /proc is not there to ask.
int ThreadCount() {
  DIR* dir = ::opendir("/proc/self/task");
  if (dir == nullptr) return 0;
  int count = 0;
  while (const dirent* entry = ::readdir(dir)) {
    if (entry->d_name[0] != '.') ++count;
  }
  ::closedir(dir);
  return count;
}

/// The janitor's whole life, in the child of fork. Never returns.
[[noreturn]] void RunJanitor(int read_fd, pid_t run_pid, const std::vector<std::string>& folders) {
  ::setsid();
  // Hold nothing of the run's: a test (or a shell pipeline) waiting for EOF on the run's stdout
  // must not wait for the janitor too. The pipe moves to descriptor 3 and the rest is closed.
  int fd = ::fcntl(read_fd, F_DUPFD_CLOEXEC, 3);
  if (fd < 0) ::_exit(1);
  const int null = ::open("/dev/null", O_RDWR | O_CLOEXEC);
  if (null >= 0) {
    for (int standard = 0; standard < 3; ++standard) ::dup2(null, standard);
  }
  if (fd != 3) {
    if (::dup2(fd, 3) < 0) ::_exit(1);
    fd = 3;
  }
  if (::close_range(4, ~0U, 0) != 0) {
    for (int other = 4; other < 4096; ++other) ::close(other);
  }
  ::signal(SIGPIPE, SIG_IGN);
  ::signal(SIGINT, SIG_IGN);
  ::signal(SIGTERM, SIG_IGN);
  ::signal(SIGHUP, SIG_IGN);

  char byte = 0;
  ssize_t n;
  do {
    n = ::read(fd, &byte, 1);
  } while (n < 0 && errno == EINTR);
  if (n == 1) ::_exit(0);  // The run ended normally and cleaned up itself.

  // The run's process is gone without a word: it was killed or crashed.
  try {
    staging::FolderLock lock(std::filesystem::path(folders.front()).parent_path().string());
    staging::RecoverFolders(run_pid, folders, nullptr);
  } catch (...) {
    // Nothing to report to: the next run's RecoverInterruptedRuns tries again.
  }
  ::_exit(0);
}

}  // namespace

std::unique_ptr<Janitor> Janitor::Start(std::vector<std::string> staging_folders) {
  if (staging_folders.empty() || ThreadCount() != 1) return nullptr;
  // A socket pair rather than a pipe: send with MSG_NOSIGNAL cannot raise SIGPIPE in the run
  // when the janitor is gone already. EOF works the same.
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) return nullptr;
  const pid_t run_pid = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return nullptr;
  }
  if (pid == 0) {
    ::close(fds[1]);  // Only the run may hold the write end, or EOF never comes.
    RunJanitor(fds[0], run_pid, staging_folders);
  }
  ::close(fds[0]);
  return std::unique_ptr<Janitor>(new Janitor(pid, fds[1]));
}

Janitor::~Janitor() {
  Dismiss();
}

void Janitor::Dismiss() noexcept {
  if (write_fd_ < 0) return;
  const char byte = 1;
  while (::send(write_fd_, &byte, 1, MSG_NOSIGNAL) < 0 && errno == EINTR) {
  }
  ::close(std::exchange(write_fd_, -1));
  // Reap the janitor, which exits as soon as it reads the byte.
  while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
  }
}

}  // namespace sluice::pipeline
