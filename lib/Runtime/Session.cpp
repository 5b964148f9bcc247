//===- Session.cpp - Run one stapc object from load to exit ---------------===//
//
// The phases, in order (docs/ObjectFormat.md, "Loader behaviour"):
//   read metadata -> open -> set .rodata -> load -> begin probes -> attach
//   -> poll output until a stop condition -> set stapc_exiting, detach ->
//   end (or error) probes -> drain output -> report lost records / errors.
// Begin probes run before anything is attached: stap never runs another
// handler before every begin probe finished, and this gives that guarantee
// without a gate in the BPF code.
//
//===----------------------------------------------------------------------===//
#include "stapc/Runtime/Session.h"
#include "Attach.h"
#include "Capabilities.h"
#include "GlobalReader.h"
#include "Globals.h"
#include "LibbpfLog.h"
#include "ProcfsFiles.h"
#include "TargetCommand.h"
#include "Trampolines.h"
#include "stapc/Object/RecordFormat.h"
#include "stapc/Runtime/ObjectMeta.h"
#include "stapc/Runtime/RecordReader.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <memory>
#include <poll.h>
#include <time.h>
#include <unistd.h>

namespace stapc::runtime {

//===----------------------------------------------------------------------===//
// Signals
//===----------------------------------------------------------------------===//

static volatile sig_atomic_t StopSignal = 0;

static void onStopSignal(int Sig) {
  if (StopSignal) {
    // Second request: leave now. The kernel detaches everything when our
    // file descriptors close, so nothing stays behind.
    static const char Msg[] = "stapc-run: forced exit\n";
    (void)!write(STDERR_FILENO, Msg, sizeof(Msg) - 1);
    _exit(1);
  }
  StopSignal = Sig;
}

// Only there to interrupt the poll so a -c child's exit is noticed at once.
static void onChild(int) {}

/// No SA_RESTART: a signal must interrupt the ring buffer's epoll_wait.
static void installSignalHandlers() {
  struct sigaction SA;
  std::memset(&SA, 0, sizeof(SA));
  sigemptyset(&SA.sa_mask);
  SA.sa_handler = onStopSignal;
  for (int Sig : {SIGINT, SIGTERM, SIGHUP})
    sigaction(Sig, &SA, nullptr);
  SA.sa_handler = onChild;
  sigaction(SIGCHLD, &SA, nullptr);
}

//===----------------------------------------------------------------------===//
// Session
//===----------------------------------------------------------------------===//

namespace {
using Clock = std::chrono::steady_clock;

struct ObjectCloser {
  void operator()(bpf_object *O) const { bpf_object__close(O); }
};
struct RingBufferFreer {
  void operator()(ring_buffer *R) const { ring_buffer__free(R); }
};

class Session {
public:
  explicit Session(const SessionOptions &O) : Opts(O) {}
  int run();

private:
  bool readMetadata();
  bool openObject();
  bool load();
  bool setupOutput();
  bool runProbe(const ProbeDecl &P);
  bool runProbes(ProbeKind K);
  bool runEndProbes();
  bool tooManyErrors() const;
  bool closeOutput();
  unsigned ReportedCommandSignal = 0;
  void printGlobals();
  bool attachProbes();
  std::string kprobeAttachHint(const std::string &LibbpfLog) const;
  void pollUntilStop();
  bool createProcfsFiles();
  bool serveProcfs(int Ms);
  bool runProcfsRead(const ProbeDecl &P, std::string &Text);
  bool runProcfsWrite(const ProbeDecl &P, std::string_view Text);
  std::string moduleName() const;
  bool shouldStop();
  void drain();
  int finish();

  bool fail(const std::string &Msg) {
    if (Reader)
      Reader->flush();
    std::fprintf(stderr, "stapc-run: error: %s\n", Msg.c_str());
    return false;
  }
  void phaseDone(const char *Phase) {
    auto Now = Clock::now();
    if (Opts.Verbosity > 0)
      std::fprintf(stderr, "stapc-run: %s: %.1f ms\n", Phase,
                   std::chrono::duration<double, std::milli>(Now - PhaseStart).count());
    PhaseStart = Now;
  }

  const SessionOptions &Opts;
  ObjectMeta Meta;
  std::unique_ptr<bpf_object, ObjectCloser> Obj;
  std::unique_ptr<ring_buffer, RingBufferFreer> Ring;
  std::FILE *Out = stdout;
  std::unique_ptr<RecordReader> Reader;
  Symbolizer Sym;
  BssGlobals Bss;
  AttachedProbes Attached;
  KernelFunctionChoice KernelFunctions;
  TargetCommand Child;
  ProcfsFiles Procfs;
  bool RunOK = true; ///< false: the files could not be made or served
  Clock::time_point PhaseStart = Clock::now();
  Clock::time_point Deadline;
};
} // namespace

bool Session::readMetadata() {
  std::string Err;
  std::optional<std::string> Text = readMetaSection(Opts.ObjectPath, Err);
  if (!Text)
    return fail(Err);
  std::optional<ObjectMeta> M = parseObjectMeta(*Text, Err);
  if (!M)
    return fail("'" + Opts.ObjectPath + "': " STAPC_META_SECTION " " + Err);
  Meta = std::move(*M);
  return true;
}

bool Session::openObject() {
  bpf_object *O = bpf_object__open_file(Opts.ObjectPath.c_str(), nullptr);
  if (!O) {
    int E = errno;
    std::string Log = takeLibbpfLog();
    return fail("libbpf cannot open '" + Opts.ObjectPath + "': " + std::strerror(E) +
                (Log.empty() ? "" : "\n" + Log));
  }
  Obj.reset(O);
  std::string Err;
  if (!chooseKernelFunctionPrograms(O, Meta, Opts.ForceKprobes, Opts.Verbosity,
                                    KernelFunctions, Err))
    return fail("'" + Opts.ObjectPath + "': " STAPC_META_SECTION " " + Err);
  for (const ProbeDecl &P : Meta.Probes)
    if (!bpf_object__find_program_by_name(O, P.Program.c_str()))
      return fail("'" + Opts.ObjectPath + "': " STAPC_META_SECTION " line " +
                  std::to_string(P.Line) + ": probe '" + P.Point +
                  "' names BPF program '" + P.Program + "', which the object lacks");
  int64_t Target = Opts.TargetPid;
  if (!Opts.Command.empty() && !Opts.LoadOnly) {
    std::string Err;
    if (!Child.spawn(Opts.Command, Err))
      return fail(Err);
    Target = Child.pid();
  }
  if (!setRodataInteger(O, STAPC_TARGET_PID_VAR, Target, Err) ||
      !setTimeZoneGlobals(O, Err))
    return fail(Err);
  return true;
}


bool Session::load() {
  takeLibbpfLog();
  int E = bpf_object__load(Obj.get());
  if (E == 0)
    return true;
  std::string Log = takeLibbpfLog();
  if (std::optional<VerifierFailure> V = findVerifierFailure(Log)) {
    fail("the kernel verifier rejected probe '" + Meta.pointOfProgram(V->Program) +
         "': " + V->Summary);
    std::fprintf(stderr, "verifier log of BPF program '%s' (last lines):\n%s",
                 V->Program.c_str(), V->Tail.c_str());
    return false;
  }
  return fail("cannot load '" + Opts.ObjectPath + "': " + std::strerror(-E) +
              (Log.empty() ? "" : "\n" + Log));
}

static int onRecord(void *Ctx, void *Data, size_t Size) {
  static_cast<RecordReader *>(Ctx)->handle(
      std::span<const char>(static_cast<const char *>(Data), Size));
  return 0;
}

bool Session::setupOutput() {
  if (!Opts.OutputPath.empty()) {
    Out = std::fopen(Opts.OutputPath.c_str(), "w");
    if (!Out) {
      Out = stdout;
      return fail("cannot open output file '" + Opts.OutputPath + "': " + std::strerror(errno));
    }
  }
  Reader = std::make_unique<RecordReader>(Meta, Out, stderr);
  auto FdOf = [&](const char *Name) {
    bpf_map *M = bpf_object__find_map_by_name(Obj.get(), Name);
    return M ? bpf_map__fd(M) : -1;
  };
  Sym.setStackMaps(FdOf(STAPC_KSTACK_MAP), FdOf(STAPC_USTACK_MAP));
  Sym.setUserSymbolKeys(FdOf(STAPC_USYM_KEYS_MAP));
  Reader->setSymbolizer(&Sym);
  Bss.attach(Obj.get());
  bpf_map *Map = bpf_object__find_map_by_name(Obj.get(), STAPC_RINGBUF_MAP);
  if (!Map) // An object that never prints needs no ring buffer.
    return true;
  ring_buffer *R = ring_buffer__new(bpf_map__fd(Map), onRecord, Reader.get(), nullptr);
  if (!R)
    return fail(std::string("cannot open the ring buffer '" STAPC_RINGBUF_MAP "': ") +
                std::strerror(errno));
  Ring.reset(R);
  return true;
}

/// Runs a begin, end or error probe once through BPF_PROG_TEST_RUN.
bool Session::runProbe(const ProbeDecl &P) {
  bpf_program *Prog = bpf_object__find_program_by_name(Obj.get(), P.Program.c_str());
  bpf_test_run_opts RunOpts;
  std::memset(&RunOpts, 0, sizeof(RunOpts));
  RunOpts.sz = sizeof(RunOpts);
  int E = bpf_prog_test_run_opts(bpf_program__fd(Prog), &RunOpts);
  if (E != 0)
    return fail("cannot run probe '" + P.Point + "': " + std::strerror(errno));
  // Keep the ring buffer from filling up between probes.
  drain();
  return true;
}

/// stap's MAXERRORS: the session ends at the error after MAXERRORS. The
/// BPF side's count also knows errors whose records were lost.
bool Session::tooManyErrors() const {
  return std::max<uint64_t>(Reader->errorCount(), Bss.errors()) > Meta.MaxErrors;
}

bool Session::runProbes(ProbeKind K) {
  for (const ProbeDecl *P : Meta.probesOfKind(K)) {
    if (!runProbe(*P))
      return false;
    // As in stap, once exit(), abort() or an error ended the session,
    // later begin probes do not start; abort() also stops end probes.
    bool Ended = Reader->sawExit() || tooManyErrors();
    if ((K == ProbeKind::Begin && Ended) || Reader->sawAbort())
      break;
  }
  return true;
}

/// End probes, with the written-but-never-read globals printed where stap
/// prints them: its display probes are `probe end` at the default priority
/// 0, added after the script's own, so they run after the end probes of
/// priority <= 0 and before those of higher priority.
bool Session::runEndProbes() {
  bool Printed = false;
  for (const ProbeDecl *P : Meta.probesOfKind(ProbeKind::End)) {
    if (!Printed && P->Priority > 0) {
      printGlobals();
      Printed = true;
    }
    if (!runProbe(*P))
      return false;
    if (Reader->sawAbort())
      return true; // no more end probes, no globals display
  }
  if (!Printed)
    printGlobals();
  return true;
}

void Session::printGlobals() {
  // An error in an earlier end probe ends stap's session before its
  // display probes run.
  if (tooManyErrors() || Meta.Globals.empty())
    return;
  printUnreadGlobals(Obj.get(), Meta, Out, stderr, Sym);
}

bool Session::attachProbes() {
  std::string Err;
  for (const ProbeDecl &P : Meta.Probes) {
    bool OK = true;
    if (P.Kind == ProbeKind::Event)
      OK = Attached.attachEvent(Obj.get(), P, Err);
    else if (P.Kind == ProbeKind::Perf)
      OK = Attached.attachPerf(Obj.get(), P, Err);
    else if (P.Kind == ProbeKind::Uprobe)
      OK = Attached.attachUprobe(Obj.get(), P, Err);
    if (!OK) {
      std::string Log = takeLibbpfLog();
      if (KernelFunctions.isKprobe(P.Program))
        Err += kprobeAttachHint(Log);
      return fail(Err + (Log.empty() ? "" : "\n" + Log));
    }
  }
  return true;
}

/// A kernel.function probe's kprobe twin did not attach: say whether the
/// kernel lacks kprobes and why trampolines were not used instead.
std::string Session::kprobeAttachHint(const std::string &LibbpfLog) const {
  std::string Hint;
  if (access("/sys/bus/event_source/devices/kprobe", F_OK) != 0 &&
      LibbpfLog.find("kprobe") != std::string::npos)
    Hint = "\n  this kernel has no kprobes (CONFIG_KPROBES)";
  if (Opts.ForceKprobes)
    Hint += "\n  without --kprobes, fentry/fexit is tried first";
  else if (!KernelFunctions.NoTrampolines.empty())
    Hint += "\n  fentry/fexit cannot be used either: " + KernelFunctions.NoTrampolines;
  if (!Hint.empty())
    Hint += "\n  probe a tracepoint instead (kernel.trace(\"...\"), stapc -l 'kernel.trace(\"*\")')";
  return Hint;
}

bool Session::shouldStop() {
  if (StopSignal || Reader->sawExit() || tooManyErrors() || Bss.exitingSet())
    return true;
  if (Opts.TimeoutSeconds > 0 && Clock::now() >= Deadline)
    return true;
  if (!Opts.Command.empty() && Child.hasExited()) {
    // A crashed command ends the session like any other exit; say so.
    if (int Sig = Child.killedBy(); Sig && !ReportedCommandSignal++)
      std::fprintf(stderr, "WARNING: command '%s' was killed by signal %d (%s)\n",
                   Opts.Command.c_str(), Sig, strsignal(Sig));
    return true;
  }
  return false;
}

void Session::pollUntilStop() {
  while (!shouldStop()) {
    // procfs read files are offered on every turn (ProcfsFiles.cpp): a
    // reader waits at most this long.
    int Ms = Procfs.empty() ? 100 : 20;
    if (Opts.TimeoutSeconds > 0) {
      auto Left = std::chrono::duration_cast<std::chrono::milliseconds>(Deadline - Clock::now());
      Ms = std::max<int>(0, std::min<long long>(Ms, Left.count() + 1));
    }
    if (!Procfs.empty()) {
      if (!serveProcfs(Ms))
        break;
    } else if (Ring) {
      int N = ring_buffer__poll(Ring.get(), Ms);
      if (N < 0 && N != -EINTR) {
        fail(std::string("polling the ring buffer failed: ") + std::strerror(-N));
        break;
      }
    } else {
      timespec T{Ms / 1000, (Ms % 1000) * 1000000L};
      nanosleep(&T, nullptr);
    }
    Reader->flush();
  }
}

/// One turn of the poll loop with procfs files: wait for output, a write
/// or room for an answer, then print and serve.
bool Session::serveProcfs(int Ms) {
  std::vector<pollfd> Fds;
  if (Ring)
    Fds.push_back({ring_buffer__epoll_fd(Ring.get()), POLLIN, 0});
  Procfs.addPollFds(Fds);
  poll(Fds.data(), Fds.size(), Ms); // EINTR: a signal, checked by the caller
  drain();
  std::string Err;
  auto Read = [this](const ProbeDecl &P, std::string &Text) {
    return runProcfsRead(P, Text);
  };
  auto Write = [this](const ProbeDecl &P, std::string_view Text) {
    return runProcfsWrite(P, Text);
  };
  if (Procfs.service(Read, Write, Err))
    return true;
  RunOK = false;
  return fail(Err);
}

/// A read probe's answer: the text of its PROCFS records, cut at MAXSIZE.
bool Session::runProcfsRead(const ProbeDecl &P, std::string &Text) {
  Reader->takeProcfsText(P.Procfs.Id);
  if (!runProbe(P))
    return false;
  Text = Reader->takeProcfsText(P.Procfs.Id);
  if (Text.size() > P.Procfs.MaxSize)
    Text.resize(P.Procfs.MaxSize);
  return true;
}

/// A write probe gets the text through STAPC_PROCFS_INPUT_MAP.
bool Session::runProcfsWrite(const ProbeDecl &P, std::string_view Text) {
  if (bpf_map *Map = bpf_object__find_map_by_name(Obj.get(), STAPC_PROCFS_INPUT_MAP)) {
    std::string Value(bpf_map__value_size(Map), '\0');
    std::memcpy(Value.data(), Text.data(), std::min(Text.size(), Value.size() - 1));
    uint32_t Key = 0;
    if (bpf_map_update_elem(bpf_map__fd(Map), &Key, Value.data(), BPF_ANY) != 0)
      return fail(std::string("cannot pass the written text to probe '") + P.Point +
                  "': " + std::strerror(errno));
  }
  return runProbe(P);
}

bool Session::createProcfsFiles() {
  std::vector<const ProbeDecl *> Files = Meta.probesOfKind(ProbeKind::Procfs);
  if (Files.empty())
    return true;
  bool Default = Opts.ProcfsDir.empty();
  std::string Dir = Default ? defaultProcfsDirectory(moduleName()) : Opts.ProcfsDir;
  std::string Err;
  if (!Procfs.create(Dir, Default, Files, Err)) {
    Procfs.removeAll();
    return fail(Err);
  }
  if (Opts.Verbosity > 0)
    std::fprintf(stderr, "stapc-run: procfs files in %s\n", Dir.c_str());
  return true;
}

/// -m NAME, else the object's file name up to its first dot.
std::string Session::moduleName() const {
  if (!Opts.ModuleName.empty())
    return Opts.ModuleName;
  std::string Base = Opts.ObjectPath.substr(Opts.ObjectPath.rfind('/') + 1);
  Base = Base.substr(0, Base.find('.'));
  return Base.empty() ? "stapc" : Base;
}

void Session::drain() {
  if (Ring)
    while (ring_buffer__consume(Ring.get()) > 0) {
    }
  Reader->flush();
}

int Session::finish() {
  drain();
  uint64_t Lost = Bss.dropped();
  if (Lost)
    std::fprintf(stderr, "WARNING: %llu output records were lost\n",
                 static_cast<unsigned long long>(Lost));
  // stap's wording, so scripts and people grepping for it find it.
  if (uint64_t Skipped = Bss.skipped())
    std::fprintf(stderr, "WARNING: Number of skipped probes: %llu\n",
                 static_cast<unsigned long long>(Skipped));
  if (unsigned Stacks = Sym.lostStacks())
    std::fprintf(stderr,
                 "WARNING: %u printed backtraces were empty: the stack map had "
                 "no room for them\n", Stacks);
  if (Reader->malformedCount())
    std::fprintf(stderr, "WARNING: %u malformed output records were skipped\n",
                 Reader->malformedCount());
  if (Reader->errorCount())
    std::fprintf(stderr, "WARNING: Number of errors: %u\n", Reader->errorCount());
  bool WriteFailed = !closeOutput();
  return Reader->errorCount() || WriteFailed ? 1 : 0;
}

/// Output that could not be written (a full disk, /dev/full, a closed
/// pipe) is an error, never silently lost.
bool Session::closeOutput() {
  errno = 0;
  bool Ok = std::fflush(Out) == 0 && !std::ferror(Out);
  int Err = errno;
  if (Out != stdout && std::fclose(Out) != 0 && Ok) {
    Ok = false;
    Err = errno;
  }
  if (!Ok)
    std::fprintf(stderr, "stapc-run: error: cannot write the output to %s: %s\n",
                 Opts.OutputPath.empty() ? "stdout"
                                         : ("'" + Opts.OutputPath + "'").c_str(),
                 Err ? std::strerror(Err) : "write error");
  return Ok;
}

int Session::run() {
  installLibbpfLog(Opts.Verbosity);
  installSignalHandlers();
  if (!readMetadata())
    return 1;
  // Before libbpf's first bpf(2) call, whose bare EPERM explains nothing.
  if (std::string Missing = missingBPFCapabilities(); !Missing.empty()) {
    fail(Missing);
    return 1;
  }
  if (!openObject())
    return 1;
  phaseDone("open");
  if (!load())
    return 1;
  phaseDone("load");
  // --load-only: every program passed the verifier; closing the object
  // unloads them. Nothing ran, nothing was attached.
  if (Opts.LoadOnly)
    return 0;
  if (!setupOutput())
    return 1;
  if (!runProbes(ProbeKind::Begin))
    return 1;
  phaseDone("begin probes");
  bool StopEarly =
      Reader->sawExit() || tooManyErrors() || StopSignal || Bss.exitingSet();
  if (!StopEarly) {
    if (!attachProbes())
      return 1;
    Child.release();
    phaseDone("attach");
    if (Opts.TimeoutSeconds > 0)
      Deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                    std::chrono::duration<double>(Opts.TimeoutSeconds));
    RunOK = createProcfsFiles();
    if (RunOK)
      pollUntilStop();
    // Nobody may read a procfs file while the session winds down.
    Procfs.removeAll();
    phaseDone("run");
  }
  // Stop the probes first, then empty the buffer so end probes have room.
  Bss.setExiting();
  Attached.detachAll();
  drain();
  // stap's default MAXERRORS=0: after an error, error probes replace end;
  // abort() skips the end probes.
  bool OK = tooManyErrors() ? runProbes(ProbeKind::Error)
            : Reader->sawAbort() ? true
                                 : runEndProbes();
  phaseDone("end probes");
  Child.stop();
  int Status = finish();
  return OK && RunOK ? Status : 1;
}

int runSession(const SessionOptions &Options) {
  Session S(Options);
  return S.run();
}

} // namespace stapc::runtime
