//===- ProcfsFiles.h - procfs probes served as FIFOs ------------*- C++ -*-===//
//
// stap's procfs probes make files in /proc/systemtap/MODULE; a BPF loader
// cannot add files to /proc, so stapc-run serves each one as a FIFO in a
// session directory, as stap's own BPF runtime does (docs/Probes.md,
// "procfs files"):
//   * a read file: whenever a reader has the FIFO open, the loader runs the
//     read probe and writes what it put in `$value`, then closes its end so
//     the reader sees the end of the file;
//   * a write file: the loader keeps the FIFO open for reading and runs the
//     write probe on each line written to it.
// Everything is non-blocking and driven from the session's poll loop, so a
// reader or writer can never stall the session.
//
//===----------------------------------------------------------------------===//
#ifndef STAPC_LIB_RUNTIME_PROCFSFILES_H
#define STAPC_LIB_RUNTIME_PROCFSFILES_H

#include "stapc/Runtime/ObjectMeta.h"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

struct pollfd;

namespace stapc::runtime {

/// The default session directory: /var/tmp/stapc-USER/NAME.
std::string defaultProcfsDirectory(const std::string &Name);

class ProcfsFiles {
public:
  /// Runs a read probe; returns false if it could not run. Text is what
  /// the probe left in `$value`.
  using ReadProbe = std::function<bool(const ProbeDecl &, std::string &Text)>;
  /// Runs a write probe with Text as `$value`.
  using WriteProbe = std::function<bool(const ProbeDecl &, std::string_view Text)>;

  ProcfsFiles() = default;
  ProcfsFiles(const ProcfsFiles &) = delete;
  ProcfsFiles &operator=(const ProcfsFiles &) = delete;
  ~ProcfsFiles() { removeAll(); }

  /// Creates Dir (and, for the default layout, its parent) and one FIFO per
  /// procfs probe. Dir is locked for this session; stale FIFOs of a killed
  /// session are replaced.
  bool create(const std::string &Dir, bool DefaultLayout,
              const std::vector<const ProbeDecl *> &Probes, std::string &Err);
  bool empty() const { return Files.empty(); }
  /// Adds what the poll loop should wait on.
  void addPollFds(std::vector<pollfd> &Fds) const;
  /// Offers read files to waiting readers, runs write probes on written
  /// text, continues long answers. False if a probe could not run.
  bool service(const ReadProbe &Read, const WriteProbe &Write, std::string &Err);
  /// Closes and unlinks every FIFO; a reader still waiting in open() is
  /// let go first. Idempotent.
  void removeAll();

private:
  struct File {
    const ProbeDecl *Probe = nullptr;
    std::string Path;
    int Fd = -1;        ///< read file: our write end while answering;
                        ///< write file: our read end
    std::string Answer; ///< read file: what is left to send
    std::string Partial; ///< write file: text read, not yet a whole line
    bool AwaitClose = false; ///< read file: answered, its reader not gone
    int Watch = -1;     ///< read file: inotify watch for the reader's close
  };
  bool createFile(File &F, std::string &Err);
  bool serveReader(File &F, const ReadProbe &Read, std::string &Err);
  void sendAnswer(File &F);
  bool consumeWrites(File &F, const WriteProbe &Write, std::string &Err);
  void noteClosedReaders();

  std::string Dir;
  bool RemoveDir = false; ///< the default directory, or one we made
  int DirFd = -1; ///< holds the session's lock on Dir
  int Inotify = -1;
  std::vector<File> Files;
};

} // namespace stapc::runtime

#endif
