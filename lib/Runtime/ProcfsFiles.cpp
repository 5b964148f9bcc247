//===- ProcfsFiles.cpp - procfs probes served as FIFOs --------------------===//
//
// A FIFO's reader blocks in open() until a writer comes; a non-blocking
// open for writing fails with ENXIO until a reader is there. So the loader
// offers each read file on every turn of its poll loop: when the open
// succeeds, someone wants the file, and the loader runs the probe, writes
// the answer and closes its end (the reader's end of file). It then waits
// for that reader to close (inotify IN_CLOSE_NOWRITE) before offering the
// file again, or the same reader would read a second answer.
//
//===----------------------------------------------------------------------===//
#include "ProcfsFiles.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

namespace stapc::runtime {

std::string defaultProcfsDirectory(const std::string &Name) {
  uid_t Uid = geteuid();
  const passwd *P = getpwuid(Uid);
  std::string User = P && P->pw_name ? P->pw_name : std::to_string(Uid);
  return "/var/tmp/stapc-" + User + "/" + Name;
}

static std::string sysError(const std::string &What, const std::string &Path) {
  return What + " '" + Path + "': " + std::strerror(errno);
}

/// A directory under the world-writable /var/tmp must be ours and writable
/// by us alone, or another user could swap the files readers open.
static bool makePrivateDir(const std::string &Path, std::string &Err) {
  if (mkdir(Path.c_str(), 0755) != 0 && errno != EEXIST) {
    Err = sysError("cannot create the procfs directory", Path);
    return false;
  }
  struct stat St;
  if (lstat(Path.c_str(), &St) != 0) {
    Err = sysError("cannot inspect", Path);
    return false;
  }
  if (!S_ISDIR(St.st_mode) || St.st_uid != geteuid() || (St.st_mode & 022)) {
    Err = "'" + Path + "' is not a directory owned by this user and writable "
          "by it alone; remove it, or choose another directory with --procfs-dir";
    return false;
  }
  return true;
}

bool ProcfsFiles::create(const std::string &Directory, bool DefaultLayout,
                         const std::vector<const ProbeDecl *> &Probes,
                         std::string &Err) {
  Dir = Directory;
  if (DefaultLayout) {
    std::string Parent = Dir.substr(0, Dir.rfind('/'));
    if (!makePrivateDir(Parent, Err) || !makePrivateDir(Dir, Err))
      return false;
    RemoveDir = true;
  } else if (mkdir(Dir.c_str(), 0755) == 0) {
    RemoveDir = true;
  } else if (errno != EEXIST) {
    Err = sysError("cannot create the procfs directory", Dir);
    return false;
  }
  DirFd = open(Dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (DirFd < 0) {
    Err = sysError("cannot open the procfs directory", Dir);
    return false;
  }
  if (flock(DirFd, LOCK_EX | LOCK_NB) != 0) {
    Err = "the procfs directory '" + Dir + "' is in use by another stapc-run "
          "session; name this one with -m NAME or --procfs-dir DIR";
    close(DirFd);
    DirFd = -1;
    return false;
  }
  Inotify = inotify_init1(IN_NONBLOCK | IN_CLOEXEC); // optional, see header
  for (const ProbeDecl *P : Probes) {
    Files.emplace_back();
    Files.back().Probe = P;
    Files.back().Path = Dir + "/" + P->Procfs.Name;
    if (!createFile(Files.back(), Err))
      return false;
  }
  return true;
}

bool ProcfsFiles::createFile(File &F, std::string &Err) {
  struct stat St;
  if (lstat(F.Path.c_str(), &St) == 0) {
    // We hold the directory's lock: a FIFO here is a killed session's.
    if (!S_ISFIFO(St.st_mode) || unlink(F.Path.c_str()) != 0) {
      Err = "'" + F.Path + "' exists and is not a FIFO stapc-run may replace; "
            "remove it";
      return false;
    }
  }
  const ProcfsSpec &S = F.Probe->Procfs;
  // The loader itself must open its FIFOs, root or not.
  unsigned Mode = S.Mode | (geteuid() == 0 ? 0 : S.Write ? S_IRUSR : S_IWUSR);
  if (mkfifo(F.Path.c_str(), 0600) != 0 || chmod(F.Path.c_str(), Mode) != 0) {
    Err = sysError("cannot create the procfs FIFO", F.Path);
    return false;
  }
  if (!S.Write) {
    if (Inotify >= 0)
      F.Watch = inotify_add_watch(Inotify, F.Path.c_str(), IN_CLOSE_NOWRITE);
    return true;
  }
  // Open for reading at once, so writers never wait in open().
  F.Fd = open(F.Path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (F.Fd < 0) {
    Err = sysError("cannot open the procfs FIFO", F.Path);
    return false;
  }
  return true;
}

void ProcfsFiles::addPollFds(std::vector<pollfd> &Fds) const {
  if (Inotify >= 0)
    Fds.push_back({Inotify, POLLIN, 0});
  for (const File &F : Files) {
    if (F.Probe->Procfs.Write && F.Fd >= 0)
      Fds.push_back({F.Fd, POLLIN, 0});
    else if (F.Fd >= 0)
      Fds.push_back({F.Fd, POLLOUT, 0});
  }
}

void ProcfsFiles::noteClosedReaders() {
  if (Inotify < 0)
    return;
  alignas(inotify_event) char Buf[4096];
  ssize_t N;
  while ((N = read(Inotify, Buf, sizeof(Buf))) > 0) {
    for (ssize_t Off = 0; Off < N;) {
      const auto *E = reinterpret_cast<const inotify_event *>(Buf + Off);
      for (File &F : Files)
        if (F.Watch == E->wd)
          F.AwaitClose = false;
      Off += sizeof(inotify_event) + E->len;
    }
  }
}

bool ProcfsFiles::service(const ReadProbe &Read, const WriteProbe &Write,
                          std::string &Err) {
  noteClosedReaders();
  // Writes first: text written before a reader came is seen by its read.
  for (File &F : Files)
    if (F.Probe->Procfs.Write && F.Fd >= 0 && !consumeWrites(F, Write, Err))
      return false;
  for (File &F : Files) {
    if (F.Probe->Procfs.Write) {
      continue;
    } else if (F.Fd >= 0) {
      sendAnswer(F);
    } else if (!F.AwaitClose && !serveReader(F, Read, Err)) {
      return false;
    }
  }
  return true;
}

bool ProcfsFiles::serveReader(File &F, const ReadProbe &Read, std::string &Err) {
  int Fd = open(F.Path.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
  if (Fd < 0)
    return true; // ENXIO: nobody is reading
  F.Fd = Fd;
  std::string Text;
  if (!Read(*F.Probe, Text)) {
    close(Fd);
    F.Fd = -1;
    Err = "cannot run procfs probe '" + F.Probe->Point + "'";
    return false;
  }
  F.Answer = std::move(Text);
  // Most answers then fit in the pipe at once; a longer one is sent as the
  // reader makes room.
  if (F.Answer.size() > 65536)
    fcntl(Fd, F_SETPIPE_SZ, static_cast<int>(std::min<size_t>(F.Answer.size(), 1u << 20)));
  sendAnswer(F);
  return true;
}

/// Writes as much of the answer as the pipe takes. A reader that went away
/// raises SIGPIPE, which must not end the loader: it is blocked around the
/// write and a pending one is taken back.
void ProcfsFiles::sendAnswer(File &F) {
  sigset_t Pipe, Old;
  sigemptyset(&Pipe);
  sigaddset(&Pipe, SIGPIPE);
  sigprocmask(SIG_BLOCK, &Pipe, &Old);
  bool Failed = false;
  while (!F.Answer.empty()) {
    ssize_t N = write(F.Fd, F.Answer.data(), F.Answer.size());
    if (N > 0) {
      F.Answer.erase(0, static_cast<size_t>(N));
      continue;
    }
    Failed = !(N < 0 && (errno == EAGAIN || errno == EINTR));
    break;
  }
  timespec Zero{0, 0};
  while (sigtimedwait(&Pipe, nullptr, &Zero) > 0) {
  }
  sigprocmask(SIG_SETMASK, &Old, nullptr);
  if (!F.Answer.empty() && !Failed)
    return; // the rest when the pipe has room
  F.Answer.clear();
  close(F.Fd);
  F.Fd = -1;
  F.AwaitClose = F.Watch >= 0 && !Failed;
}

/// Each line written (with its newline) is one run of the write probe, so
/// `echo 5 > f; echo 7 > f` runs it twice however the loader's reads fall;
/// text after the last newline runs once all writers closed the file, and
/// a line longer than MAXSIZE is cut into pieces of MAXSIZE bytes.
bool ProcfsFiles::consumeWrites(File &F, const WriteProbe &Write, std::string &Err) {
  size_t Max = F.Probe->Procfs.MaxSize;
  char Buf[4096];
  bool AtEnd = false;
  // A bounded amount per turn: a busy writer must not keep the loader from
  // its ring buffer.
  for (int Reads = 0; Reads < 64 && F.Partial.size() < 4 * Max; ++Reads) {
    ssize_t N = read(F.Fd, Buf, sizeof(Buf));
    if (N > 0) {
      F.Partial.append(Buf, static_cast<size_t>(N));
      continue;
    }
    AtEnd = N == 0;
    break;
  }
  for (;;) {
    size_t NL = F.Partial.find('\n');
    size_t Len = NL == std::string::npos ? F.Partial.size() : NL + 1;
    if (Len > Max)
      Len = Max;
    else if (NL == std::string::npos && !(AtEnd && Len > 0))
      break; // wait for the rest of the line
    if (!Write(*F.Probe, std::string_view(F.Partial.data(), Len))) {
      Err = "cannot run procfs probe '" + F.Probe->Point + "'";
      return false;
    }
    F.Partial.erase(0, Len);
  }
  if (AtEnd) {
    // Every writer is gone. A fresh read end reports no hang-up until the
    // next writer comes and goes.
    close(F.Fd);
    F.Fd = open(F.Path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  }
  return true;
}

void ProcfsFiles::removeAll() {
  for (File &F : Files) {
    if (!F.Probe->Procfs.Write && F.Fd < 0) {
      // A reader still waiting in open() is let go (it reads what is left
      // in the FIFO) rather than waiting forever on a FIFO nobody opens.
      int Fd = open(F.Path.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
      if (Fd >= 0)
        close(Fd);
    }
    if (F.Fd >= 0)
      close(F.Fd);
    unlink(F.Path.c_str());
  }
  Files.clear();
  if (Inotify >= 0)
    close(Inotify);
  Inotify = -1;
  if (DirFd >= 0) {
    // The default directory is the session's own; a chosen one only if
    // this session made it. Either stays if something else is in it.
    if (RemoveDir)
      rmdir(Dir.c_str());
    close(DirFd);
    DirFd = -1;
  }
}

} // namespace stapc::runtime
