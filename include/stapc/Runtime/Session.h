//===- Session.h - Run one stapc object from load to exit -------*- C++ -*-===//
#ifndef STAPC_RUNTIME_SESSION_H
#define STAPC_RUNTIME_SESSION_H

#include <cstdint>
#include <string>

namespace stapc::runtime {

struct SessionOptions {
  std::string ObjectPath;
  std::string OutputPath; ///< -o FILE; empty = stdout.
  std::string Command;    ///< -c CMD; empty = none.
  int64_t TargetPid = 0;  ///< -x PID.
  double TimeoutSeconds = 0; ///< -T SECS; 0 = none.
  int Verbosity = 0;      ///< -v count.
  bool ForceKprobes = false; ///< --kprobes: no fentry/fexit for kernel.function.
  bool LoadOnly = false;  ///< --load-only: load (the verifier), unload, exit.
  /// -m NAME: the session's name, which names its procfs directory
  /// /var/tmp/stapc-USER/NAME; empty: the object's file name up to its
  /// first '.'.
  std::string ModuleName;
  /// --procfs-dir DIR: where procfs probes' files go instead.
  std::string ProcfsDir;
};

/// Loads, attaches, runs and tears down the object. Returns the process
/// exit status: 0, or 1 after a load/attach failure or runtime errors.
/// Diagnostics go to stderr as "stapc-run: error: ...".
int runSession(const SessionOptions &Options);

} // namespace stapc::runtime

#endif // STAPC_RUNTIME_SESSION_H
