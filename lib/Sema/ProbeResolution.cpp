//===- ProbeResolution.cpp - Probe points to concrete probe instances -----===//
//
// One small matcher per probe kind. Each turns a probe point whose first
// component names it into ProbeInstances that CodeGen knows how to attach.
//
//===----------------------------------------------------------------------===//
#include "SemaImpl.h"

#include "stapc/AST/ASTClone.h"
#include "stapc/AST/ASTContext.h"
#include "stapc/AST/ASTPrinter.h"
#include "stapc/Sema/KernelTypes.h"

#include "llvm/Support/GlobPattern.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>

using namespace stapc;

namespace {

/// Canonical text of a probe point, as pp() returns it.
std::string ppText(const ProbePoint &P) {
  std::string S;
  llvm::raw_string_ostream OS(S);
  for (size_t I = 0; I < P.Components.size(); ++I) {
    const ProbePointComponent &C = P.Components[I];
    if (I)
      OS << '.';
    OS << C.Name;
    if (C.Arg) {
      OS << '(';
      printExpr(OS, C.Arg);
      OS << ')';
    }
  }
  return S;
}

struct PointView {
  const ProbePoint &P;
  size_t size() const { return P.Components.size(); }
  StringRef name(size_t I) const { return P.Components[I].Name; }
  const ProbePointComponent &comp(size_t I) const { return P.Components[I]; }
};

bool integerArg(const ProbePointComponent &C, int64_t &V) {
  if (auto *L = llvm::dyn_cast_or_null<IntegerLiteral>(C.Arg)) {
    V = L->getValue();
    return true;
  }
  if (auto *U = llvm::dyn_cast_or_null<UnaryExpr>(C.Arg))
    if (U->getOp() == UnaryOp::Neg)
      if (auto *L = llvm::dyn_cast<IntegerLiteral>(U->getOperand())) {
        V = -L->getValue();
        return true;
      }
  return false;
}

bool stringArg(const ProbePointComponent &C, StringRef &V) {
  if (auto *L = llvm::dyn_cast_or_null<StringLiteral>(C.Arg)) {
    V = L->getValue();
    return true;
  }
  return false;
}

} // namespace

/// begin, end, error, never with an optional priority.
static bool resolveSession(SemaImpl &S, ProbeDecl *D, const ProbePoint &P,
                           ProbeInstance &I) {
  PointView V{P};
  StringRef N = V.name(0);
  if (V.size() != 1) {
    S.Diags.error(V.comp(1).Loc, "'" + N + "' takes no further components");
    return false;
  }
  if (N == "begin")
    I.Kind = ProbeKind::Begin;
  else if (N == "end")
    I.Kind = ProbeKind::End;
  else
    I.Kind = ProbeKind::Error;
  if (V.comp(0).Arg && !integerArg(V.comp(0), I.Priority)) {
    S.Diags.error(V.comp(0).Arg->getLoc(),
                  "the priority of '" + N + "' must be an integer literal");
    return false;
  }
  return true;
}

/// timer.s(N) .ms .us .ns .hz .jiffies and timer.profile.
static bool resolveTimer(SemaImpl &S, const ProbePoint &P, ProbeInstance &I) {
  PointView V{P};
  if (V.size() < 2) {
    S.Diags.error(P.Loc, "'timer' needs a unit: timer.s(N), timer.ms(N), "
                         "timer.us(N), timer.ns(N), timer.hz(N), "
                         "timer.jiffies(N) or timer.profile");
    return false;
  }
  I.Kind = ProbeKind::Timer;
  StringRef Unit = V.name(1);
  if (Unit == "profile" && V.size() == 2) {
    // stap's timer.profile fires on every CPU at the scheduler tick rate.
    I.PeriodNs = 1000000000ull / 250;
    I.AllCpus = true;
    return true;
  }
  int64_t N = 0;
  if (!integerArg(V.comp(1), N) || N <= 0) {
    S.Diags.error(V.comp(1).Loc, "timer." + Unit +
                                     " needs a positive integer literal "
                                     "argument, e.g. timer." +
                                     Unit + "(100)");
    return false;
  }
  uint64_t Mult;
  if (Unit == "s" || Unit == "sec")
    Mult = 1000000000ull;
  else if (Unit == "ms" || Unit == "msec")
    Mult = 1000000ull;
  else if (Unit == "us" || Unit == "usec")
    Mult = 1000ull;
  else if (Unit == "ns" || Unit == "nsec")
    Mult = 1;
  else if (Unit == "jiffies")
    Mult = 1000000000ull / 250; // CONFIG_HZ=250 on Debian kernels
  else if (Unit == "hz") {
    I.PeriodNs = 1000000000ull / uint64_t(N);
    Mult = 0;
  } else {
    S.Diags.error(V.comp(1).Loc, "unknown timer unit '" + Unit +
                                     "' (expected s, ms, us, ns, hz, "
                                     "jiffies or profile)");
    return false;
  }
  if (Mult)
    I.PeriodNs = uint64_t(N) * Mult;
  if (V.size() > 2) {
    S.Diags.error(V.comp(2).Loc,
                  "timer." + V.name(2) + " is not supported; stapc timers "
                  "take no .randomize component yet");
    return false;
  }
  if (I.PeriodNs < 100000) {
    S.Diags.error(V.comp(1).Loc, "timer period below 100us is refused: the "
                                 "kernel would spend its time in the probe");
    return false;
  }
  return true;
}

/// perf.type(T).config(C)[.sample(N)|.hz(F)]: a perf event on every CPU
/// (perf.sw.* and perf.hw.* are aliases in tapset/perf.stp).
static bool resolvePerf(SemaImpl &S, const ProbePoint &P, ProbeInstance &I) {
  PointView V{P};
  int64_t Type = 0, Config = 0, N = 1000000;
  if (V.size() < 3 || V.name(1) != "type" || V.name(2) != "config" ||
      !integerArg(V.comp(1), Type) || !integerArg(V.comp(2), Config) ||
      Type < 0 || Config < 0) {
    S.Diags.error(P.Loc, "perf probes look like perf.type(T).config(C), "
                         "optionally .sample(N) or .hz(F), or perf.sw.NAME / "
                         "perf.hw.NAME");
    return false;
  }
  I.Kind = ProbeKind::Timer;
  I.AllCpus = true;
  I.PerfType = uint32_t(Type);
  I.PerfConfig = uint64_t(Config);
  if (V.size() > 3) {
    StringRef Rate = V.name(3);
    if (V.size() > 4 || (Rate != "sample" && Rate != "hz") ||
        !integerArg(V.comp(3), N) || N <= 0) {
      S.Diags.error(V.comp(3).Loc,
                    "expected .sample(N) or .hz(F) with a positive integer "
                    "literal; stapc has no perf .process or .counter probes");
      return false;
    }
    I.PerfFrequency = Rate == "hz";
  }
  I.PeriodNs = uint64_t(N);
  return true;
}

/// kernel.function("pattern")[.call|.return], kprobe.function("f")[.return]
/// and module("m").function(...): one instance per matching BTF function.
static bool resolveKernelFunction(SemaImpl &S, const ProbePoint &P,
                                  const ProbeInstance &Base) {
  PointView V{P};
  bool Kprobe = V.name(0) == "kprobe";
  size_t FnIdx = 1;
  StringRef Module; // "" for vmlinux
  if (V.name(0) == "module") {
    if (!stringArg(V.comp(0), Module) || Module.empty()) {
      S.Diags.error(V.comp(0).Loc, "'module' needs the module's name: "
                                   "module(\"ext4\").function(\"...\")");
      return false;
    }
    if (Module.find_first_of("*?[/") != StringRef::npos) {
      S.Diags.error(V.comp(0).Arg->getLoc(),
                    "module name patterns and paths are not supported; name "
                    "one loaded module (see /sys/kernel/btf)");
      return false;
    }
    if (Module == "kernel" || Module == "vmlinux")
      Module = "";
  }
  StringRef Pattern;
  if (!stringArg(V.comp(FnIdx), Pattern)) {
    S.Diags.error(V.comp(FnIdx).Loc, "'" + V.name(0) + ".function' needs a "
                                     "string argument: " + V.name(0) +
                                     ".function(\"vfs_read\")");
    return false;
  }
  // stap's DWARF-only forms: a source file or line in the pattern.
  if (Pattern.contains('@') || Pattern.contains(':')) {
    S.Diags.error(V.comp(FnIdx).Arg->getLoc(),
                  "function patterns with a source file or line ('" + Pattern +
                      "') need kernel debuginfo, which stapc does not use; "
                      "name the function only");
    return false;
  }
  bool Return = false;
  StringRef WrittenSuffix; // pp() keeps the suffix the user wrote
  if (V.size() > FnIdx + 1) {
    WrittenSuffix = V.name(FnIdx + 1);
    StringRef Suffix = V.name(FnIdx + 1);
    if (V.size() == FnIdx + 2 && (Suffix == "return" || Suffix == "call")) {
      Return = Suffix == "return";
    } else if (Suffix == "statement" || Suffix == "inline" || Suffix == "label" ||
               Suffix == "callee" || Suffix == "callees" || Suffix == "exported") {
      S.Diags.error(V.comp(FnIdx + 1).Loc,
                    "'." + Suffix + "' probes need kernel debuginfo (DWARF), "
                    "which stapc does not use; probe the function's entry or "
                    ".return instead");
      return false;
    } else {
      S.Diags.error(V.comp(FnIdx + 1).Loc,
                    "unknown component '." + Suffix + "' after function(...); "
                    "expected .call or .return");
      return false;
    }
  }
  if (!S.Opts.Types) {
    S.Diags.error(P.Loc, "kernel.function probes need kernel BTF (none could "
                         "be read; pass --btf FILE)");
    return false;
  }
  if (!Module.empty()) {
    std::string Why;
    if (!S.Opts.Types->useModule(Module, Why)) {
      if (P.Optional || P.Sufficient)
        return true;
      S.Diags.error(V.comp(0).Arg->getLoc(), "semantic error: " + Why);
      return false;
    }
  }
  std::vector<std::string> Names = S.Opts.Types->findFunctions(Pattern, Module);
  if (Names.empty()) {
    if (P.Optional || P.Sufficient)
      return true;
    std::string Kind = Module.empty()
                           ? std::string("kernel function")
                           : "function of module '" + Module.str() + "'";
    if (S.Opts.Types->isUntraceableFunction(Pattern, Module))
      S.Diags.error(V.comp(FnIdx).Arg->getLoc(),
                    "semantic error: " + Kind + " '" + Pattern +
                        "' cannot be probed: the kernel does not list it as "
                        "traceable (notrace or inlined; see "
                        "available_filter_functions)");
    else
      S.Diags.error(V.comp(FnIdx).Arg->getLoc(),
                    "semantic error: no " + Kind + " matches '" + Pattern +
                        "' (BTF has none by that name; inlined and static "
                        "functions may be missing)");
    return false;
  }
  // One BPF program per function; stap's huge wildcards would take minutes
  // to load and attach.
  constexpr size_t MaxFunctions = 512;
  if (Names.size() > MaxFunctions) {
    S.Diags.error(V.comp(FnIdx).Arg->getLoc(),
                  "'" + Pattern + "' matches " + llvm::Twine(Names.size()) +
                      " kernel functions; stapc attaches one program per "
                      "function, at most " + llvm::Twine(MaxFunctions) +
                      ": narrow the pattern");
    return false;
  }
  for (const std::string &Name : Names) {
    ProbeInstance I = Base;
    I.Kind = ProbeKind::KernelFunction;
    I.Function = Name;
    I.Return = Return;
    I.KprobeOnly = Kprobe;
    std::string Head = V.name(0) == "module"
                           ? "module(\"" + (Module.empty() ? "kernel" : Module.str()) + "\")."
                       : Kprobe ? "kprobe."
                                : "kernel.";
    I.PP = Head + "function(\"" + Name + "\")" +
           (WrittenSuffix.empty() ? "" : "." + WrittenSuffix.str());
    S.Opts.Types->getFunctionArgs(Name, Module, I.Args, I.ReturnType);
    if (Return && I.ReturnType) {
      ContextArg R;
      R.Name = "return";
      R.Index = I.Args.size(); // fexit: the return value follows the arguments
      R.BTFType = I.ReturnType;
      I.Args.push_back(std::move(R));
    }
    S.Prog.Probes.push_back(std::move(I));
  }
  return true;
}

/// Whether a probe point component written by the user (which may hold
/// wildcards and brace alternatives) matches an alias's component.
static bool componentMatches(const ProbePointComponent &User,
                             const ProbePointComponent &Alias) {
  bool NameOk = User.Name == Alias.Name;
  if (!NameOk) {
    auto Glob = llvm::GlobPattern::create(User.Name);
    if (!Glob) {
      llvm::consumeError(Glob.takeError());
      return false;
    }
    NameOk = Glob->match(Alias.Name);
  }
  if (!NameOk)
    return false;
  if (!User.Arg && !Alias.Arg)
    return true;
  if (!User.Arg || !Alias.Arg)
    return false;
  auto *UI = llvm::dyn_cast<IntegerLiteral>(User.Arg);
  auto *AI = llvm::dyn_cast<IntegerLiteral>(Alias.Arg);
  if (UI && AI)
    return UI->getValue() == AI->getValue();
  auto *US = llvm::dyn_cast<StringLiteral>(User.Arg);
  auto *AS = llvm::dyn_cast<StringLiteral>(Alias.Arg);
  return US && AS && US->getValue() == AS->getValue();
}

/// Whether alias name Name matches the first components of P.
static bool aliasNameMatches(const ProbePoint &P, const ProbePoint &Name) {
  size_t N = Name.Components.size();
  if (P.Components.size() < N)
    return false;
  for (size_t I = 0; I < N; ++I)
    if (!componentMatches(P.Components[I], Name.Components[I]))
      return false;
  return true;
}

/// Expand P through every probe alias whose name it matches: the alias's
/// own points, with P's extra components appended (alias suffixes), run
/// the alias body before (`=`) or after (`+=`) the user's body. Only the
/// longest matching alias names are used, so `vfs.read.return` is the alias
/// of that name, not `vfs.read` with the suffix `.return`.
bool SemaImpl::expandAliases(ProbeDecl *D, const ProbePoint &P,
                             BlockStmt *Body, unsigned AliasDepth,
                             bool &Matched) {
  size_t Longest = 0;
  for (ProbeAliasDecl *A : Aliases)
    for (const ProbePoint &Name : A->getNames())
      if (aliasNameMatches(P, Name))
        Longest = std::max(Longest, Name.Components.size());
  bool Ok = true;
  for (ProbeAliasDecl *A : Aliases) {
    for (const ProbePoint &Name : A->getNames()) {
      size_t N = Name.Components.size();
      if (N != Longest || !aliasNameMatches(P, Name))
        continue;
      Matched = true;
      useDeclFrom(A);
      if (AliasDepth > 16) {
        Diags.error(P.Loc, "probe alias expansion is nested too deeply "
                           "(an alias that refers to itself?)");
        return false;
      }
      BlockStmt *&Combined = AliasBodies[{A, Body}];
      if (!Combined) {
        // Fresh copies: each alias/body pair is resolved in its own scope
        // (the same alias body serves many probes, and one user body may
        // sit under several aliases).
        llvm::SmallVector<Stmt *, 3> Parts;
        Stmt *Alias = cloneStmt(Ctx, A->getBody());
        Stmt *User = cloneStmt(Ctx, Body);
        if (A->isEpilogue()) {
          Parts = {User, Alias};
        } else {
          Parts = {Alias, User};
          if (BlockStmt *Epi = A->getEpilogueBody())
            Parts.push_back(cloneStmt(Ctx, Epi));
        }
        Combined = new (Ctx) BlockStmt(Body->getLoc(),
                                       Ctx.copyArray<Stmt *>(Parts));
      }
      ArrayRef<ProbePointComponent> Suffix =
          ArrayRef<ProbePointComponent>(P.Components).drop_front(N);
      // What `stapc -l` lists for these instances: this alias's name with
      // the user's suffix (an enclosing alias overwrites it afterwards).
      ProbePoint Listed = Name;
      llvm::SmallVector<ProbePointComponent, 8> ListComps(
          Name.Components.begin(), Name.Components.end());
      ListComps.append(Suffix.begin(), Suffix.end());
      Listed.Components = ListComps;
      std::string ListName = ppText(Listed);
      size_t Before = Prog.Probes.size();
      for (const ProbePoint &Target : A->getPoints()) {
        llvm::SmallVector<ProbePointComponent, 8> Comps(
            Target.Components.begin(), Target.Components.end());
        Comps.append(Suffix.begin(), Suffix.end());
        auto *Expanded = new (Ctx.allocate(sizeof(ProbePoint),
                                           alignof(ProbePoint))) ProbePoint(Target);
        Expanded->Components = Ctx.copyArray<ProbePointComponent>(Comps);
        Expanded->Optional = Target.Optional || P.Optional || P.Sufficient;
        Ok &= expandPoint(D, *Expanded, Combined, AliasDepth + 1);
      }
      for (size_t I = Before; I < Prog.Probes.size(); ++I)
        Prog.Probes[I].ListName = ListName;
    }
  }
  return Ok;
}

bool SemaImpl::expandPoint(ProbeDecl *D, const ProbePoint &P, BlockStmt *Body,
                           unsigned AliasDepth) {
  size_t Before = Prog.Probes.size();
  bool Ok = expandUnconditionedPoint(D, P, Body, AliasDepth);
  // `point if (cond)`: conditions stack up through aliases and wildcards;
  // every instance this point produced carries this one too.
  if (P.Condition)
    for (size_t I = Before; I < Prog.Probes.size(); ++I)
      Prog.Probes[I].Conditions.push_back(P.Condition);
  return Ok;
}

bool SemaImpl::expandUnconditionedPoint(ProbeDecl *D, const ProbePoint &P,
                                        BlockStmt *Body, unsigned AliasDepth) {
  PointView V{P};
  if (V.size() == 0)
    return false;
  bool Matched = false;
  bool AliasOk = expandAliases(D, P, Body, AliasDepth, Matched);
  if (Matched)
    return AliasOk;

  ProbeInstance Base;
  Base.PP = ppText(P);
  Base.Decl = D;
  Base.Point = &P;
  Base.Body = Body;

  StringRef Head = V.name(0);
  if (Head == "never")
    return true; // never fires: nothing to emit
  if (Head == "begin" || Head == "end" || Head == "error") {
    if (!resolveSession(*this, D, P, Base))
      return false;
    Prog.Probes.push_back(std::move(Base));
    return true;
  }
  if (Head == "timer") {
    if (!resolveTimer(*this, P, Base))
      return false;
    Prog.Probes.push_back(std::move(Base));
    return true;
  }
  if (Head == "perf") {
    if (!resolvePerf(*this, P, Base))
      return false;
    Prog.Probes.push_back(std::move(Base));
    return true;
  }
  if (Head == "kernel" && V.size() == 2 && V.name(1) == "trace") {
    StringRef Pattern;
    if (!stringArg(V.comp(1), Pattern)) {
      Diags.error(V.comp(1).Loc, "kernel.trace needs a string argument: "
                                 "kernel.trace(\"sched_switch\")");
      return false;
    }
    if (!Opts.Types) {
      Diags.error(P.Loc, "kernel.trace probes need kernel BTF (none could be "
                         "read; pass --btf FILE)");
      return false;
    }
    std::vector<std::string> Names = Opts.Types->findTracepoints(Pattern);
    if (Names.empty()) {
      if (!P.Optional && !P.Sufficient)
        Diags.error(V.comp(1).Loc,
                    "semantic error: no kernel tracepoint matches '" +
                        Pattern + "' (see /sys/kernel/tracing/events)");
      return P.Optional || P.Sufficient;
    }
    for (const std::string &Name : Names) {
      ProbeInstance I = Base;
      I.Kind = ProbeKind::Tracepoint;
      I.Tracepoint = Name;
      I.PP = "kernel.trace(\"" + Name + "\")";
      Opts.Types->getTracepointArgs(Name, I.Args);
      Prog.Probes.push_back(std::move(I));
    }
    return true;
  }
  if ((Head == "kernel" || Head == "kprobe") && V.size() >= 2 &&
      V.name(1) == "function")
    return resolveKernelFunction(*this, P, Base);
  if (Head == "module" && V.size() >= 2 && V.name(1) == "function")
    return resolveKernelFunction(*this, P, Base);
  if (Head == "syscall" || Head == "nd_syscall" || Head == "syscall_any")
    return resolveSyscall(P, std::move(Base));
  if (Head == "process" && V.comp(0).Arg && V.size() == 2 &&
      (V.name(1) == "begin" || V.name(1) == "end"))
    return resolveProcessPath(P, D, Body, AliasDepth);
  if (isUserProbePoint(P))
    return resolveUserProbe(P, Base);
  if (Head == "procfs")
    return resolveProcfs(P, std::move(Base));
  if (P.Optional || P.Sufficient) // `!` implies `?`, as in stap
    return true;
  Diags.error(P.Loc, "semantic error: probe point '" + Base.PP +
                         "' is not supported by stapc (yet); supported: "
                         "begin, end, error, never, timer.*, perf.*, kernel.trace, "
                         "kernel.function, syscall.*");
  return false;
}

void SemaImpl::resolveProbes(ScriptFile &F) {
  for (Decl *D : F.Decls) {
    auto *PD = llvm::dyn_cast<ProbeDecl>(D);
    if (!PD)
      continue;
    for (const ProbePoint &P : PD->getPoints()) {
      size_t Before = Prog.Probes.size();
      expandPoint(PD, P, PD->getBody(), 0);
      // `point!`: once a sufficient point resolves, the rest are not tried.
      if (P.Sufficient && Prog.Probes.size() > Before)
        break;
    }
  }
}
