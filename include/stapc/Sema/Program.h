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

#include <cstdint>
#include <string>
#include <vector>

namespace stapc {

enum class ProbeKind : uint8_t {
  Begin,      // runs once before event probes (BPF_PROG_TEST_RUN)
  End,        // runs once at the end of the session
  Error,      // runs at the end instead of End after a fatal error
  Timer,      // perf software cpu-clock event
  Tracepoint, // tp_btf/<name>
};

/// A typed argument of the probe's context (`$prev` in a tracepoint).
struct ContextArg {
  std::string Name;   // without '$'
  unsigned Index = 0; // position in the BTF-typed args array
  uint32_t BTFType = 0;
};

/// One concrete probe: what to attach to and which body to run.
struct ProbeInstance {
  ProbeKind Kind = ProbeKind::Begin;
  std::string PP;          // canonical probe point text (pp())
  ProbeDecl *Decl = nullptr;
  const ProbePoint *Point = nullptr;
  BlockStmt *Body = nullptr;

  int64_t Priority = 0;    // begin/end/error ordering
  uint64_t PeriodNs = 0;   // Timer
  bool AllCpus = false;    // Timer: timer.profile fires on every CPU
  std::string Tracepoint;  // Tracepoint name (no system prefix)
  std::vector<ContextArg> Args;

  /// Locals of this probe's body (filled by Sema).
  std::vector<VarDecl *> Locals;
  /// When the probe calls matched(), matched_str() or ngroups(): hidden
  /// locals (also in Locals) holding the last successful `=~` match's text
  /// and its status (0: none or failed; else 1 + its subexpression count).
  VarDecl *MatchText = nullptr, *MatchStatus = nullptr;
};

struct Program {
  std::vector<GlobalDecl *> Globals;
  std::vector<FunctionDecl *> Functions;
  std::vector<ProbeInstance> Probes;
  /// Parameters and locals of every user function (same index as
  /// Functions).
  std::vector<std::vector<VarDecl *>> FunctionParams;
  std::vector<std::vector<VarDecl *>> FunctionLocals;
};

} // namespace stapc

#endif
