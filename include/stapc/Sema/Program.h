//===- Program.h - The elaborated program handed to CodeGen ----*- C++ -*-===//
//
// After Sema, a script is a flat list of probe instances (one per concrete
// probe point after alias and wildcard expansion), the globals they use and
// the user/tapset functions they call, all typed.
//
//===----------------------------------------------------------------------===//
#ifndef STAPC_SEMA_PROGRAM_H
#define STAPC_SEMA_PROGRAM_H

#include "stapc/AST/AST.h"

#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace stapc {

struct UserProbe;

enum class ProbeKind : uint8_t {
  Begin,      // runs once before event probes (BPF_PROG_TEST_RUN)
  End,        // runs once at the end of the session
  Error,      // runs at the end instead of End after a fatal error
  Timer,      // a perf event: timer.* (software cpu-clock) and perf.*
  Tracepoint, // tp_btf/<name>
  KernelFunction, // fentry/fexit, with a kprobe/kretprobe twin
  Syscall,    // tp_btf/sys_enter or sys_exit, filtered on the syscall number
  Uprobe,     // process(...): a uprobe/uretprobe (include/stapc/Sema/UserProbe.h)
  Procfs,     // procfs("name").read/.write: run by the loader when the file
              // it serves is read or written (BPF_PROG_TEST_RUN)
};

/// What a procfs probe serves: one file of the session's procfs directory
/// (docs/Probes.md, "procfs files").
struct ProcfsSpec {
  std::string File;     // the file name: procfs("name"), default "command"
  bool Write = false;   // .write (else .read)
  uint64_t MaxSize = 0; // .read.maxsize(N); 0: STP_PROCFS_BUFSIZE
  unsigned Mode = 0;    // permission bits of the file
  unsigned Id = 0;      // the file's number (records, metadata)
};

/// A typed argument of the probe's context (`$prev` in a tracepoint).
struct ContextArg {
  std::string Name;   // without '$'
  unsigned Index = 0; // position in the BTF-typed args array
  uint32_t BTFType = 0;
  std::string TypeName; // listings, for types not from BTF (user DWARF)
};

/// One concrete probe: what to attach to and which body to run.
struct ProbeInstance {
  ProbeKind Kind = ProbeKind::Begin;
  std::string PP;          // canonical probe point text (pp())
  std::string ListName;    // the name `stapc -l` shows: the outermost alias
                           // the point came through, else PP
  ProbeDecl *Decl = nullptr;
  const ProbePoint *Point = nullptr;
  BlockStmt *Body = nullptr;

  int64_t Priority = 0;    // begin/end/error ordering
  uint64_t PeriodNs = 0;   // Timer: the sample period (ns for timers)
  bool AllCpus = false;    // Timer: timer.profile and perf.* fire on every CPU
  uint32_t PerfType = 1;   // Timer: perf_event_attr type and config
  uint64_t PerfConfig = 0; //   (default: PERF_TYPE_SOFTWARE cpu-clock)
  bool PerfFrequency = false; // Timer: PeriodNs is a frequency in Hz
  std::string Tracepoint;  // Tracepoint name (no system prefix)
  std::string Function;    // KernelFunction: the kernel function
  bool Return = false;     // KernelFunction, Syscall: .return
  std::vector<unsigned> Syscalls; // Syscall: the numbers (empty: any)
  bool KprobeOnly = false; // KernelFunction: kprobe.function (no fentry)
  uint32_t ReturnType = 0; // KernelFunction: BTF type of $return (0: void)
  std::vector<ContextArg> Args;
  /// `if (cond)` of the point and of every alias it came through (all must
  /// hold; Sema guards the body with them).
  std::vector<Expr *> Conditions;
  std::shared_ptr<UserProbe> User; // Uprobe
  ProcfsSpec Procfs;               // Procfs

  /// Locals of this probe's body (filled by Sema).
  std::vector<VarDecl *> Locals;
  /// When the probe calls matched(), matched_str() or ngroups(): hidden
  /// locals (also in Locals) holding the last successful `=~` match's text
  /// and its status (0: none or failed; else 1 + its subexpression count).
  VarDecl *MatchText = nullptr, *MatchStatus = nullptr;
  /// When it calls matched(n) for n > 0: MatchGroups[n] is a hidden local
  /// (also in Locals) with group n's span in the match text, or -1 (see
  /// lib/CodeGen/CGRegexGroups.cpp); null for the groups it never reads.
  std::vector<VarDecl *> MatchGroups;
};

/// The buckets of a statistic used with @hist_log or @hist_linear. stap
/// gives a statistic one histogram: every use must agree (Sema checks).
struct HistogramSpec {
  bool Linear = false;
  int64_t Low = 0, High = 0, Width = 0; // @hist_linear only
  unsigned Buckets = 0;                 // linear: with underflow/overflow
  SMLoc Loc;                            // the first use, for diagnostics
};

struct Program {
  std::vector<GlobalDecl *> Globals;
  std::vector<FunctionDecl *> Functions;
  std::vector<ProbeInstance> Probes;
  /// Parameters and locals of every user function (same index as
  /// Functions).
  std::vector<std::vector<VarDecl *>> FunctionParams;
  std::vector<std::vector<VarDecl *>> FunctionLocals;
  /// Statistics used with a histogram; the others store no buckets.
  std::map<const VarDecl *, HistogramSpec> Histograms;
  /// Globals of the user's script that are written but never read, in
  /// stap's order; the loader prints them when the session ends.
  std::vector<GlobalDecl *> UnreadGlobals;
};

/// What `stapc -p2` prints: the used globals with their types, in stap's
/// `name:type [keys]` notation, then those printed at the end.
void printGlobalSummary(llvm::raw_ostream &OS, const Program &Prog);

} // namespace stapc

#endif
