//===- TargetCommand.h - The -c CMD child process ---------------*- C++ -*-===//
//
// stap -c semantics: the command is forked before the object is loaded (so
// its pid can be baked into .rodata as target()), held until the probes
// are attached, and the session ends when it exits.
//
//===----------------------------------------------------------------------===//
#ifndef STAPC_LIB_RUNTIME_TARGETCOMMAND_H
#define STAPC_LIB_RUNTIME_TARGETCOMMAND_H

#include <string>
#include <sys/types.h>

namespace stapc::runtime {

class TargetCommand {
public:
  TargetCommand() = default;
  TargetCommand(const TargetCommand &) = delete;
  TargetCommand &operator=(const TargetCommand &) = delete;
  ~TargetCommand() { stop(); }

  /// Forks `/bin/sh -c "exec CMD"`, blocked before exec.
  bool spawn(const std::string &Command, std::string &Err);
  /// Lets the child exec the command.
  void release();
  /// True once the child has exited (reaps it).
  bool hasExited();
  /// The signal that killed the command on its own (not stop()), or 0.
  int killedBy() const { return KilledBy; }
  /// Ends a child that is still running (or never released) and reaps it.
  void stop();
  pid_t pid() const { return Pid; }

private:
  pid_t Pid = -1;
  int GoFd = -1; ///< Write end of the pipe the child waits on.
  bool Exited = false;
  int KilledBy = 0;
  bool Stopping = false; // stop() sent the signal: not the command's fault
};

} // namespace stapc::runtime

#endif
