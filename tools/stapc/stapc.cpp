//===- stapc.cpp - The SystemTap-to-BPF compiler driver -------------------===//
//
// Thin main(): turn stap-compatible options into CompilerOptions and run the
// Compilation's passes.
//
//===----------------------------------------------------------------------===//
#include "stapc/AST/ASTPrinter.h"
#include "stapc/Driver/Compilation.h"
#include "stapc/Driver/RoundTrip.h"
#include "DumpTokens.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/raw_ostream.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

using namespace stapc;
namespace cl = llvm::cl;

static cl::OptionCategory StapcCat("stapc options");

static cl::list<std::string> Positionals(cl::Positional,
                                         cl::desc("<script.stp> [args...]"),
                                         cl::cat(StapcCat));
static cl::opt<std::string> ScriptText("e", cl::desc("Run SCRIPT given on the command line"),
                                       cl::value_desc("SCRIPT"), cl::cat(StapcCat));
static cl::opt<unsigned> LastPass("p", cl::desc("Stop after pass N (1 parse, 2 elaborate, 3 IR, 4 object)"),
                                  cl::value_desc("N"), cl::Prefix, cl::init(5), cl::cat(StapcCat));
static cl::list<std::string> IncludeDirs("I", cl::desc("Add DIR to the tapset search path"),
                                         cl::value_desc("DIR"), cl::Prefix, cl::cat(StapcCat));
static cl::list<std::string> Defines("D", cl::desc("Set a runtime limit or macro NAME[=VALUE]"),
                                     cl::value_desc("NAME=VALUE"), cl::Prefix, cl::cat(StapcCat));
static cl::list<bool> Verbose("v", cl::desc("More verbose (repeat for more)"),
                              cl::Grouping, cl::ZeroOrMore, cl::cat(StapcCat));
static cl::opt<bool> Guru("g", cl::desc("Guru mode"), cl::Grouping, cl::cat(StapcCat));
static cl::opt<bool> NoWarnings("w", cl::desc("Suppress warnings"), cl::Grouping, cl::cat(StapcCat));
static cl::opt<bool> NoDefaultTapsets("no-default-tapsets",
                                      cl::desc("Do not search stapc's own tapset directory"),
                                      cl::cat(StapcCat));
static cl::opt<std::string> KernelVersion("kernel-version",
                                          cl::desc("kernel_v/kernel_vr for %( %) conditions"),
                                          cl::value_desc("X.Y.Z"), cl::cat(StapcCat));
static cl::opt<std::string> Arch("arch", cl::desc("arch for %( %) conditions"),
                                 cl::init("x86_64"), cl::cat(StapcCat));

// Testing aid: print -> parse -> print must be a fixed point (see RoundTrip.h).
static cl::opt<bool> CheckRoundTrip("check-roundtrip",
                                    cl::desc("After parsing, check that the printed script re-parses to the same tree"),
                                    cl::cat(StapcCat));

// Test aid (test/Lexer, test/Preprocessor): print the preprocessed tokens.
static cl::opt<bool> DumpTokensOpt("dump-tokens", cl::Hidden,
                                   cl::desc("Print the preprocessed tokens of the script"));
static cl::opt<bool> PreprocessEachOpt("preprocess-each", cl::Hidden,
                                       cl::desc("Preprocess each positional file (corpus test)"));

// Output and code generation.
static cl::opt<std::string> OutputFile("o", cl::desc("Write the BPF object (or -S/-emit-llvm text) to FILE"),
                                       cl::value_desc("FILE"), cl::cat(StapcCat));
static cl::opt<bool> EmitLLVM("emit-llvm", cl::desc("Print LLVM IR instead of an object"),
                              cl::cat(StapcCat));
static cl::opt<bool> EmitAsm("S", cl::desc("Print BPF assembly instead of an object"),
                             cl::cat(StapcCat));
// Passed on to stapc-run when stapc compiles and runs.
static cl::opt<std::string> TargetCommand("c", cl::desc("Run CMD while the probes are attached; stop when it exits"),
                                          cl::value_desc("CMD"), cl::cat(StapcCat));
static cl::opt<std::string> TargetPid("x", cl::desc("Set target() to PID"),
                                      cl::value_desc("PID"), cl::cat(StapcCat));
static cl::opt<std::string> Timeout("T", cl::desc("Stop after SECS seconds"),
                                    cl::value_desc("SECS"), cl::cat(StapcCat));
static cl::opt<std::string> ModuleName(
    "m", cl::desc("Name the session: procfs probes' files go in /var/tmp/stapc-USER/NAME"),
    cl::value_desc("NAME"), cl::cat(StapcCat));
static cl::opt<bool> ForceKprobes(
    "kprobes",
    cl::desc("Attach kernel.function probes with kprobes instead of fentry/fexit"),
    cl::cat(StapcCat));
static cl::opt<std::string> ListPattern(
    "l", cl::desc("List the probe points matching PROBE (as stap -l)"),
    cl::value_desc("PROBE"), cl::cat(StapcCat));
static cl::opt<std::string> ListVarsPattern(
    "L", cl::desc("List the probe points matching PROBE with their variables (as stap -L)"),
    cl::value_desc("PROBE"), cl::cat(StapcCat));
static cl::opt<std::string> BTFFile("btf", cl::desc("Compile against the kernel BTF in FILE (default: the running kernel's)"),
                                    cl::value_desc("FILE"), cl::cat(StapcCat));

static void printVersion(llvm::raw_ostream &OS);

/// -D NAME=VALUE settings that size the runtime (stap's MAXSTRINGLEN...).
static bool applyDefines(CompilerOptions &Opts) {
  bool InterruptibleSet = false;
  for (const std::string &D : Defines) {
    llvm::StringRef Name = llvm::StringRef(D).split('=').first;
    llvm::StringRef Value = llvm::StringRef(D).split('=').second;
    unsigned N = 0;
    bool Numeric = !Value.getAsInteger(0, N);
    int Signed = 0;
    if (Name == "HIST_ELISION") {
      if (Value.getAsInteger(0, Signed)) {
        llvm::errs() << "stapc: error: invalid value in -D " << D
                     << " (HIST_ELISION: a number; negative shows every "
                        "bucket)\n";
        return false;
      }
      Opts.CodeGen.HistElision = Signed;
      continue;
    }
    if (Name == "MAXSTRINGLEN" && Numeric && N >= 8 && N <= 4096)
      Opts.CodeGen.MaxStringLen = N;
    else if (Name == "MAXMAPENTRIES" && Numeric && N > 0)
      Opts.CodeGen.MaxMapEntries = N;
    else if (Name == "MAXERRORS" && Numeric)
      Opts.CodeGen.MaxErrors = N;
    else if (Name == "STP_PROCFS_BUFSIZE" && Numeric && N > 0 && N <= (1u << 20))
      Opts.CodeGen.ProcfsBufSize = N;
    else if (Name == "MAXBACKTRACE" && Numeric && N > 0 && N <= 127)
      Opts.CodeGen.MaxBacktrace = N; // the kernel's PERF_MAX_STACK_DEPTH
    else if (Name == "MAXBACKTRACE") {
      llvm::errs() << "stapc: error: invalid value in -D " << D
                   << " (MAXBACKTRACE: 1..127)\n";
      return false;
    }
    else if (Name == "MAXACTION" && Numeric && N > 0) {
      Opts.CodeGen.MaxAction = N;
      if (!InterruptibleSet)
        Opts.CodeGen.MaxActionInterruptible = N * 10;
    } else if (Name == "MAXACTION_INTERRUPTIBLE" && Numeric && N > 0) {
      Opts.CodeGen.MaxActionInterruptible = N;
      InterruptibleSet = true;
    } else if (Name == "MAXSTRINGLEN" || Name == "MAXMAPENTRIES" ||
               Name == "MAXACTION" || Name == "MAXACTION_INTERRUPTIBLE" ||
               Name == "MAXERRORS" || Name == "STP_PROCFS_BUFSIZE") {
      llvm::errs() << "stapc: error: invalid value in -D " << D
                   << " (MAXSTRINGLEN: 8..4096, MAXMAPENTRIES, MAXACTION, "
                      "MAXACTION_INTERRUPTIBLE: > 0, STP_PROCFS_BUFSIZE: "
                      "1..1048576)\n";
      return false;
    } else {
      llvm::errs() << "stapc: warning: -D " << Name
                   << " has no effect in stapc\n";
    }
  }
  return true;
}

/// The session's name (stap's module name, -m): it names the directory of
/// procfs files, /var/tmp/stapc-USER/NAME. Default: the script's file
/// name up to its first '.', as stap names modules after scripts with -m.
static std::string sessionName(Compilation &C) {
  if (!ModuleName.empty())
    return ModuleName;
  llvm::StringRef File = llvm::sys::path::filename(C.getOptions().ScriptFile);
  File = File.take_until([](char Ch) { return Ch == '.'; });
  bool Plain = !File.empty() && File != "-" &&
               llvm::all_of(File, [](char Ch) { return llvm::isAlnum(Ch) || Ch == '_' || Ch == '-'; });
  return Plain ? File.str() : "stapc";
}

/// `stapc script.stp` without -o/-pN: compile, then replace this process
/// with stapc-run (next to this executable) on the object, as `stap` runs
/// its module. The object is an unlinked temporary file handed over as an
/// inherited descriptor, so nothing is left behind however the run ends and
/// the compiler does not stay in memory while the script runs.
static int compileAndRun(Compilation &C, const char *Argv0) {
  llvm::SmallString<128> Obj;
  int FD;
  if (std::error_code EC =
          llvm::sys::fs::createTemporaryFile("stapc", "bpf.o", FD, Obj)) {
    llvm::errs() << "stapc: error: cannot create a temporary file: "
                 << EC.message() << "\n";
    return 1;
  }
  {
    llvm::raw_fd_ostream OS(FD, /*shouldClose=*/false);
    bool Ok = C.emit(OS, OutputKind::Object);
    OS.flush();
    llvm::sys::fs::remove(Obj);
    if (!Ok)
      return 1;
  }
  std::string Self = llvm::sys::fs::getMainExecutable(Argv0, (void *)&printVersion);
  llvm::SmallString<128> Runner(llvm::sys::path::parent_path(Self));
  llvm::sys::path::append(Runner, "stapc-run");
  std::vector<std::string> Args = {Runner.str().str()};
  for (unsigned I = 0; I < Verbose.size(); ++I)
    Args.push_back("-v");
  if (!TargetCommand.empty())
    Args.insert(Args.end(), {"-c", TargetCommand});
  if (!TargetPid.empty())
    Args.insert(Args.end(), {"-x", TargetPid});
  if (!Timeout.empty())
    Args.insert(Args.end(), {"-T", Timeout});
  if (ForceKprobes)
    Args.push_back("--kprobes");
  Args.insert(Args.end(), {"-m", sessionName(C)});
  // LLVM opens files close-on-exec; this one must survive the exec.
  fcntl(FD, F_SETFD, 0);
  Args.push_back("/proc/self/fd/" + std::to_string(FD));
  std::vector<char *> Argv;
  for (std::string &A : Args)
    Argv.push_back(A.data());
  Argv.push_back(nullptr);
  llvm::outs().flush();
  llvm::errs().flush();
  execv(Runner.c_str(), Argv.data());
  llvm::errs() << "stapc: error: cannot run " << Runner << ": "
               << strerror(errno) << "\n";
  return 1;
}

static void printVersion(llvm::raw_ostream &OS) {
  OS << "stapc 0.1.0 (SystemTap language to BPF CO-RE, LLVM " LLVM_VERSION_STRING ")\n";
}

int main(int argc, char **argv) {
  llvm::InitLLVM X(argc, argv);
  cl::SetVersionPrinter(printVersion);
  cl::HideUnrelatedOptions(StapcCat);
  cl::ParseCommandLineOptions(argc, argv, "stapc: compile SystemTap scripts to BPF\n");

  CompilerOptions Opts;
  if (PreprocessEachOpt) {
    std::vector<std::string> MacroDirs(IncludeDirs.begin(), IncludeDirs.end());
    if (!NoDefaultTapsets)
      MacroDirs.push_back(STAPC_TAPSET_DIR);
    return preprocessEach({Positionals.begin(), Positionals.end()}, MacroDirs, Opts.PP);
  }
  std::vector<std::string> Args(Positionals.begin(), Positionals.end());
  bool Listing = ListPattern.getNumOccurrences() || ListVarsPattern.getNumOccurrences();
  if (Listing) {
    // stap -l/-L: elaborate `probe PATTERN {}` and print what it became.
    Opts.ScriptText = "probe " +
                      (ListPattern.getNumOccurrences() ? ListPattern : ListVarsPattern) +
                      " {}\n";
    Opts.HaveScriptText = true;
  } else if (ScriptText.getNumOccurrences()) {
    Opts.ScriptText = ScriptText;
    Opts.HaveScriptText = true;
  } else if (!Args.empty()) {
    Opts.ScriptFile = Args.front();
    Args.erase(Args.begin());
  } else {
    llvm::errs() << "stapc: error: no script given (a file, '-' for stdin, or -e SCRIPT)\n";
    return 1;
  }
  Opts.PP.Args = Args;
  Opts.PP.GuruMode = Guru;
  Opts.PP.Arch = Arch;
  if (!KernelVersion.empty())
    Opts.PP.KernelVersion = Opts.PP.KernelRelease = KernelVersion;
  Opts.TapsetDirs.assign(IncludeDirs.begin(), IncludeDirs.end());
  Opts.NoDefaultTapsets = NoDefaultTapsets;
  Opts.DefaultTapsetDir = STAPC_TAPSET_DIR;
  // process.function(...) without a path probes the -c/-x target.
  if (!TargetCommand.empty())
    Opts.TargetExecutable = llvm::StringRef(TargetCommand).ltrim().split(' ').first.str();
  else if (!TargetPid.empty())
    Opts.TargetExecutable = "/proc/" + TargetPid + "/exe";
  if (DumpTokensOpt) {
    std::vector<std::string> MacroDirs(IncludeDirs.begin(), IncludeDirs.end());
    if (!NoDefaultTapsets)
      MacroDirs.push_back(STAPC_TAPSET_DIR);
    return dumpTokens(Opts.ScriptFile, MacroDirs, Opts.PP);
  }
  Opts.LastPass = LastPass;
  Opts.Verbose = Verbose.size();
  Opts.BTFPath = BTFFile;
  if (!applyDefines(Opts))
    return 1;

  Compilation C(std::move(Opts));
  C.getDiags().setSuppressWarnings(NoWarnings);
  if (!C.parse())
    return 1;
  if (CheckRoundTrip &&
      !checkRoundTrip(C.getUserScript(), C.getOptions().PP, llvm::errs()))
    return 1;
  if (LastPass == 1) {
    printScript(llvm::outs(), C.getUserScript());
    return 0;
  }
  if (!C.elaborate())
    return 1;
  if (Listing) {
    for (const std::string &L :
         C.listProbePoints(ListVarsPattern.getNumOccurrences() > 0))
      llvm::outs() << L << "\n";
    return 0;
  }
  if (LastPass == 2) {
    printGlobalSummary(llvm::outs(), C.getProgram());
    return 0;
  }
  if (!C.generateIR())
    return 1;
  if (EmitLLVM || LastPass == 3) {
    std::error_code EC;
    llvm::raw_fd_ostream OS(OutputFile.empty() ? std::string("-") : OutputFile.getValue(), EC);
    if (EC) {
      llvm::errs() << "stapc: error: cannot write '" << OutputFile << "': " << EC.message() << "\n";
      return 1;
    }
    C.getModule()->print(OS, nullptr);
    return 0;
  }
  if (EmitAsm || LastPass == 4 || !OutputFile.empty()) {
    std::string Out = OutputFile.empty() ? std::string(EmitAsm ? "-" : "stap.bpf.o") : OutputFile.getValue();
    std::error_code EC;
    llvm::raw_fd_ostream OS(Out, EC, EmitAsm ? llvm::sys::fs::OF_Text : llvm::sys::fs::OF_None);
    if (EC) {
      llvm::errs() << "stapc: error: cannot write '" << Out << "': " << EC.message() << "\n";
      return 1;
    }
    if (!C.emit(OS, EmitAsm ? OutputKind::Assembly : OutputKind::Object)) {
      OS.close();
      if (Out != "-")
        llvm::sys::fs::remove(Out);
      return 1;
    }
    return 0;
  }
  return compileAndRun(C, argv[0]);
}
