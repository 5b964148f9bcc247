//===- TargetCommand.cpp - The -c CMD child process -----------------------===//
#include "TargetCommand.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

namespace stapc::runtime {

bool TargetCommand::spawn(const std::string &Command, std::string &Err) {
  int Pipe[2];
  if (pipe2(Pipe, O_CLOEXEC) != 0) {
    Err = std::string("cannot create a pipe for -c: ") + std::strerror(errno);
    return false;
  }
  std::string Script = "exec " + Command;
  pid_t P = fork();
  if (P < 0) {
    Err = std::string("cannot fork for -c: ") + std::strerror(errno);
    close(Pipe[0]);
    close(Pipe[1]);
    return false;
  }
  if (P == 0) {
    close(Pipe[1]);
    char Go;
    // EOF without the go byte means the session failed before attaching.
    if (read(Pipe[0], &Go, 1) != 1)
      _exit(127);
    close(Pipe[0]);
    // exec keeps the pid, so target() is the command itself.
    execl("/bin/sh", "sh", "-c", Script.c_str(), static_cast<char *>(nullptr));
    _exit(127);
  }
  close(Pipe[0]);
  Pid = P;
  GoFd = Pipe[1];
  return true;
}

void TargetCommand::release() {
  if (GoFd < 0)
    return;
  char Go = 'g';
  (void)!write(GoFd, &Go, 1);
  close(GoFd);
  GoFd = -1;
}

bool TargetCommand::hasExited() {
  if (Pid < 0 || Exited)
    return Exited;
  int Status;
  pid_t R = waitpid(Pid, &Status, WNOHANG);
  if (R == Pid && WIFSIGNALED(Status) && !Stopping)
    KilledBy = WTERMSIG(Status);
  if (R == Pid || (R < 0 && errno == ECHILD))
    Exited = true;
  return Exited;
}

void TargetCommand::stop() {
  if (GoFd >= 0) {
    close(GoFd); // Never released: the child exits without running CMD.
    GoFd = -1;
  }
  if (Pid < 0 || hasExited())
    return;
  kill(Pid, SIGTERM);
  Stopping = true;
  // Give the command a second to exit cleanly, then kill it.
  for (int I = 0; I < 100 && !hasExited(); ++I) {
    timespec T{0, 10 * 1000 * 1000};
    nanosleep(&T, nullptr);
  }
  if (!hasExited()) {
    kill(Pid, SIGKILL);
    waitpid(Pid, nullptr, 0);
    Exited = true;
  }
}

} // namespace stapc::runtime
