//===- ProbeSyscall.cpp - syscall.NAME, nd_syscall.NAME, syscall_any ------===//
//
// A syscall probe point becomes ONE probe instance on the raw_syscalls
// tracepoint (sys_enter, or sys_exit for .return) that filters on the
// syscall number, however many syscalls its pattern matches: attaching one
// program is fast, hundreds of per-syscall tracepoints are not.
//
// stap's variables (name, argstr, filename, fd, retval...) are locals that
// a prologue synthesized here assigns before the body runs, like an
// alias's; only those the body reads are computed. The prologue reads the
// context values CodeGen provides (lib/CodeGen/CGSyscall.cpp): each
// argument by its kernel name ($filename), and hidden ones ($__nr,
// $__argN, $__kindN, $__nargs, $__name) for probes over many syscalls,
// whose argument positions differ per syscall.
//
//===----------------------------------------------------------------------===//
#include "SemaImpl.h"

#include "stapc/AST/ASTClone.h"
#include "stapc/AST/ASTVisitor.h"
#include "stapc/Sema/Syscalls.h"

#include "llvm/ADT/SmallSet.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/GlobPattern.h"

using namespace stapc;
using namespace stapc::syscalls;
using llvm::SmallVector;

//===----------------------------------------------------------------------===//
// The table
//===----------------------------------------------------------------------===//

static const Info Table[] = {
#define SYSCALL(Nr, Name, Args) {Nr, #Name, Args, true},
#define SYSCALL_NOARGS(Nr, Name) {Nr, #Name, "", false},
#define ERRNO(N, Name)
#include "SyscallTable.inc"
#undef SYSCALL
#undef SYSCALL_NOARGS
#undef ERRNO
};

static const std::pair<unsigned, const char *> Errnos[] = {
#define SYSCALL(Nr, Name, Args)
#define SYSCALL_NOARGS(Nr, Name)
#define ERRNO(N, Name) {N, #Name},
#include "SyscallTable.inc"
#undef SYSCALL
#undef SYSCALL_NOARGS
#undef ERRNO
};

StringRef syscalls::errnoName(unsigned N) {
  for (const auto &[Value, Name] : Errnos)
    if (Value == N)
      return Name;
  return "";
}

ArrayRef<Info> syscalls::table() { return Table; }

const Info *syscalls::byName(StringRef Name) {
  for (const Info &I : Table)
    if (I.Name == Name)
      return &I;
  return nullptr;
}

const Info *syscalls::byNr(unsigned Nr) {
  for (const Info &I : Table)
    if (I.Nr == Nr)
      return &I;
  return nullptr;
}

static ArgKind kindOf(StringRef Type, StringRef Name) {
  static const char *const NotText[] = {"buf",    "ubuf",    "list",
                                        "optval", "shmaddr", "u_msg_ptr"};
  if (Type.contains('*') || Type.contains("cap_user")) {
    bool CharPtr = Type.ends_with("char *") && !Type.contains("unsigned");
    if (CharPtr && !llvm::is_contained(NotText, Name))
      return ArgKind::String;
    return ArgKind::Pointer;
  }
  if (Type.contains("long") || Type.ends_with("size_t") ||
      Type.ends_with("off_t") || Type == "aio_context_t" || Type == "__u64")
    return ArgKind::Long;
  if (Type.starts_with("unsigned") || Type.ends_with("u32") ||
      Type == "uid_t" || Type == "gid_t" || Type == "umode_t" ||
      Type == "qid_t")
    return ArgKind::UInt;
  return ArgKind::Int;
}

SmallVector<Arg, 6> Info::args() const {
  SmallVector<Arg, 6> Out;
  SmallVector<StringRef, 6> Parts;
  if (!ArgText.empty())
    ArgText.split(Parts, '|');
  for (StringRef P : Parts) {
    auto [Type, Name] = P.rsplit(' ');
    Out.push_back({Type.trim(), Name, kindOf(Type.trim(), Name)});
  }
  return Out;
}

std::string syscalls::variableName(const Arg &A) {
  std::string N = A.Name.ltrim('_').str();
  if (A.Kind == ArgKind::Pointer)
    return N + "_uaddr";
  // Do not shadow the probe's own variables.
  if (N == "name" || N == "argstr" || N == "retval" || N == "retstr")
    return N + "_str";
  return N;
}

//===----------------------------------------------------------------------===//
// Variables and listing
//===----------------------------------------------------------------------===//

namespace {
/// One stap-level variable a syscall probe provides.
struct Variable {
  std::string Name;
  bool IsString;
};

bool isAny(const ProbeInstance &P) { return P.Syscalls.empty(); }

/// The variables of a probe over the syscalls in P (in listing order).
std::vector<Variable> variablesOf(const ProbeInstance &P,
                                  ArrayRef<unsigned> Nrs) {
  std::vector<Variable> Vars;
  if (isAny(P)) {
    Vars = {{"name", true}, {"syscall_nr", false}};
  } else {
    Vars = {{"argstr", true}, {"name", true}};
    llvm::StringSet<> Seen;
    for (unsigned Nr : Nrs)
      for (const Arg &A : byNr(Nr)->args())
        if (Seen.insert(variableName(A)).second)
          Vars.push_back({variableName(A), A.Kind == ArgKind::String});
  }
  if (P.Return) {
    Vars.push_back({"retval", false});
    if (!isAny(P))
      Vars.push_back({"retstr", true});
  }
  return Vars;
}

std::string headOf(const ProbeInstance &P) {
  return P.Point ? P.Point->Components[0].Name.str() : "syscall";
}
} // namespace

void syscalls::listLines(const ProbeInstance &P, bool WithVariables,
                         std::vector<std::string> &Out) {
  std::string Suffix = P.Return ? ".return" : "";
  auto Emit = [&](std::string Line, ArrayRef<unsigned> Nrs) {
    if (WithVariables) {
      std::vector<Variable> Vars = variablesOf(P, Nrs);
      llvm::sort(Vars, [](const Variable &A, const Variable &B) {
        return A.Name < B.Name;
      });
      for (const Variable &V : Vars)
        Line += " " + V.Name + (V.IsString ? ":string" : ":long");
      for (unsigned Nr : Nrs)
        for (const Arg &A : byNr(Nr)->args())
          Line += " $" + A.Name.str() + ":" + A.Type.str();
      if (P.Return)
        Line += " $return:long";
    }
    Out.push_back(std::move(Line));
  };
  if (isAny(P)) {
    Emit("syscall_any" + Suffix, {});
    return;
  }
  for (unsigned Nr : P.Syscalls)
    Emit(headOf(P) + "." + byNr(Nr)->Name.str() + Suffix, Nr);
}

//===----------------------------------------------------------------------===//
// The prologue
//===----------------------------------------------------------------------===//

namespace {
/// Names the body reads or writes as plain symbols.
class SymbolCollector : public RecursiveVisitor<SymbolCollector> {
public:
  llvm::StringSet<> Names;
  void visitSymbolRef(SymbolRef *E) { Names.insert(E->getName()); }
};

class PrologueBuilder {
public:
  PrologueBuilder(ASTContext &Ctx, const ProbeInstance &P, SMLoc Loc)
      : Ctx(Ctx), P(P), Loc(Loc) {}

  Expr *ctx(StringRef Name) {
    return new (Ctx) TargetSymbolExpr(Loc, Ctx.save(("$" + Name).str()));
  }
  Expr *str(StringRef S) { return new (Ctx) StringLiteral(Loc, Ctx.save(S)); }
  Expr *num(int64_t V) { return new (Ctx) IntegerLiteral(Loc, V); }
  Expr *call(StringRef Fn, ArrayRef<Expr *> Args) {
    return new (Ctx) FunctionCall(Loc, Fn, Ctx.copyArray(Args));
  }
  Expr *bin(BinaryOp Op, Expr *L, Expr *R) {
    return new (Ctx) BinaryExpr(Loc, Op, L, R);
  }
  Expr *symbol(StringRef Var) {
    return new (Ctx) SymbolRef(Loc, Ctx.save(Var));
  }
  Stmt *assignStmt(StringRef Var, Expr *Value) {
    return new (Ctx) ExprStmt(
        Loc, new (Ctx) AssignExpr(Loc, AssignOp::Assign, symbol(Var), Value));
  }
  void assign(StringRef Var, Expr *Value) {
    Stmts.push_back(assignStmt(Var, Value));
  }

  /// The printf conversion and value of an argument in argstr: a quoted
  /// string, 0x... or decimal.
  std::pair<const char *, Expr *> piece(ArgKind K, Expr *Value) {
    if (K == ArgKind::String)
      return {"%s", call("user_string_quoted", {Value})};
    return {K == ArgKind::Pointer ? "%p" : "%d", Value};
  }

  /// argstr of a probe over one syscall: one sprintf of its arguments.
  Expr *fixedArgstr(const Info &I) {
    std::string Format;
    SmallVector<Expr *, 7> Args = {nullptr};
    for (const Arg &A : I.args()) {
      auto [Conv, Value] = piece(A.Kind, ctx(A.Name));
      Format += (Format.empty() ? "" : ", ") + std::string(Conv);
      Args.push_back(Value);
    }
    if (Args.size() == 1)
      return str("");
    Args[0] = str(Format);
    return call("sprintf", Args);
  }

  /// argstr of a probe over several syscalls, appended argument by
  /// argument: argument N is formatted by its kind in this syscall
  /// ($__kindN), if the syscall has it. Only the kinds some syscall of the
  /// probe has at position N are tested.
  void dynamicArgstr() {
    Stmts.push_back(assignStmt("argstr", str("")));
    for (unsigned N = 1; N <= MaxArgs; ++N) {
      llvm::SmallSet<ArgKind, 4> Kinds;
      for (unsigned Nr : P.Syscalls) {
        SmallVector<Arg, 6> Args = byNr(Nr)->args();
        if (N <= Args.size())
          Kinds.insert(Args[N - 1].Kind == ArgKind::Pointer ||
                               Args[N - 1].Kind == ArgKind::String
                           ? Args[N - 1].Kind
                           : ArgKind::Long);
      }
      if (Kinds.empty())
        break;
      std::string Arg = "__arg" + std::to_string(N);
      std::string Kind = "__kind" + std::to_string(N);
      Stmt *Chain = nullptr;
      for (ArgKind K : {ArgKind::Long, ArgKind::Pointer, ArgKind::String}) {
        if (!Kinds.count(K))
          continue;
        auto [Conv, Value] = piece(K, ctx(Arg));
        Stmt *Append = assignStmt(
            "argstr",
            call("sprintf", {str(std::string(N > 1 ? "%s, " : "%s") + Conv),
                             symbol("argstr"), Value}));
        Chain = Chain ? new (Ctx) IfStmt(
                            Loc, bin(BinaryOp::EQ, ctx(Kind), num(int64_t(K))),
                            Append, Chain)
                      : Append;
      }
      Stmts.push_back(new (Ctx) IfStmt(
          Loc, bin(BinaryOp::GE, ctx("__nargs"), num(N)), Chain, nullptr));
    }
  }

  BlockStmt *build(BlockStmt *Body, const llvm::StringSet<> &Used) {
    const Info *Single =
        P.Syscalls.size() == 1 ? byNr(P.Syscalls.front()) : nullptr;
    if (Used.count("name"))
      assign("name", Single ? str(Single->Name)
                            : call("kernel_string", {ctx("__name")}));
    if (isAny(P) && Used.count("syscall_nr"))
      assign("syscall_nr", ctx("__nr"));
    if (!isAny(P)) {
      for (const Variable &V : variablesOf(P, P.Syscalls)) {
        if (!Used.count(V.Name))
          continue;
        // The argument's kernel name: the variable names one argument.
        for (const Arg &A : argsNamed(V.Name))
          assign(V.Name, A.Kind == ArgKind::String
                             ? call("user_string_quoted", {ctx(A.Name)})
                             : ctx(A.Name));
      }
      if (Used.count("argstr")) {
        if (Single)
          assign("argstr", fixedArgstr(*Single));
        else
          dynamicArgstr();
      }
    }
    if (P.Return && Used.count("retval"))
      assign("retval", ctx("return"));
    if (P.Return && !isAny(P) && Used.count("retstr")) {
      // "-2 (ENOENT)" for an error with a name, else the number.
      Expr *Named =
          call("sprintf", {str("%d (%s)"), ctx("return"),
                           call("kernel_string", {ctx("__errname")})});
      Stmts.push_back(new (Ctx) IfStmt(
          Loc, ctx("__errname"), assignStmt("retstr", Named),
          assignStmt("retstr", call("sprintf", {str("%d"), ctx("return")}))));
    }
    if (Stmts.empty())
      return Body;
    // A copy: the body may serve other probe instances too (several points,
    // an alias over several syscall points), whose prologues assign their
    // own locals.
    Stmts.push_back(cloneStmt(Ctx, Body));
    return new (Ctx) BlockStmt(Body->getLoc(), Ctx.copyArray<Stmt *>(Stmts));
  }

private:
  /// The first argument (over the probe's syscalls) whose variable is V.
  SmallVector<Arg, 1> argsNamed(StringRef V) {
    for (unsigned Nr : P.Syscalls)
      for (const Arg &A : byNr(Nr)->args())
        if (variableName(A) == V)
          return {A};
    return {};
  }

  ASTContext &Ctx;
  const ProbeInstance &P;
  SMLoc Loc;
  SmallVector<Stmt *, 8> Stmts;
};
} // namespace

//===----------------------------------------------------------------------===//
// Resolution
//===----------------------------------------------------------------------===//

/// The context values of a syscall probe: the kernel's argument names
/// (a name appears once, though its register may differ per syscall),
/// $return, and the hidden ones the prologue uses.
static void addContextArgs(ProbeInstance &I) {
  auto Add = [&](std::string Name, unsigned Index) {
    ContextArg A;
    A.Name = std::move(Name);
    A.Index = Index;
    I.Args.push_back(std::move(A));
  };
  llvm::StringSet<> Seen;
  unsigned Next = SlotNamed;
  for (unsigned Nr : I.Syscalls)
    for (const Arg &A : byNr(Nr)->args())
      if (Seen.insert(A.Name).second)
        Add(A.Name.str(), Next++);
  if (I.Return) {
    Add("return", SlotReturn);
    Add("__errname", SlotErrName);
  }
  for (unsigned N = 0; N < MaxArgs; ++N) {
    Add("__arg" + std::to_string(N + 1), SlotArg1 + N);
    Add("__kind" + std::to_string(N + 1), SlotKind1 + N);
  }
  Add("__nr", SlotNr);
  Add("__nargs", SlotNArgs);
  Add("__name", SlotName);
}

static std::string closestSyscall(StringRef Name) {
  std::string Best;
  unsigned BestDist = 3; // suggest only close names
  for (const Info &I : table()) {
    unsigned D = Name.edit_distance(I.Name, true, BestDist);
    if (D < BestDist) {
      BestDist = D;
      Best = I.Name.str();
    }
  }
  return Best;
}

bool SemaImpl::resolveSyscall(const ProbePoint &P, ProbeInstance I) {
  const auto &C = P.Components;
  StringRef Head = C[0].Name;
  bool Any = Head == "syscall_any";
  size_t NameIdx = Any ? 0 : 1;
  for (size_t K = 0; K < C.size(); ++K)
    if (C[K].Arg) {
      Diags.error(C[K].Arg->getLoc(), "'" + C[K].Name +
                                          "' takes no argument in a syscall "
                                          "probe point");
      return false;
    }
  if (!Any && C.size() < 2) {
    Diags.error(P.Loc, "'" + Head + "' needs a syscall name: " + Head +
                           ".openat, " + Head + ".* or " + Head + ".open*");
    return false;
  }
  size_t End = NameIdx + 1;
  if (C.size() > End && C[End].Name == "return") {
    I.Return = true;
    ++End;
  }
  if (C.size() > End) {
    Diags.error(C[End].Loc,
                "unexpected '." + C[End].Name +
                    "' in a syscall "
                    "probe point; only .return may follow the name");
    return false;
  }
  I.Kind = ProbeKind::Syscall;
  if (!Any) {
    StringRef Pattern = C[NameIdx].Name;
    auto Glob = llvm::GlobPattern::create(Pattern);
    if (!Glob) {
      Diags.error(C[NameIdx].Loc, "bad syscall pattern '" + Pattern +
                                      "': " + toString(Glob.takeError()));
      return false;
    }
    for (const Info &S : table())
      if (Glob->match(S.Name))
        I.Syscalls.push_back(S.Nr);
    if (I.Syscalls.empty()) {
      if (P.Optional || P.Sufficient)
        return true;
      std::string Near = closestSyscall(Pattern);
      Diags.error(C[NameIdx].Loc,
                  "semantic error: no syscall matches '" + Pattern + "'" +
                      (Near.empty() ? std::string()
                                    : "; did you mean '" + Near + "'?"));
      return false;
    }
    if (I.Syscalls.size() == 1)
      I.PP =
          (Head + "." + byNr(I.Syscalls[0])->Name + (I.Return ? ".return" : ""))
              .str();
  }
  addContextArgs(I);
  SymbolCollector Used;
  Used.traverse(I.Body);
  // A script global of the same name (`global n` beside select's n) stays
  // the script's: the prologue does not write it.
  for (const auto &G : Globals)
    Used.Names.erase(G.getKey());
  I.Body = PrologueBuilder(Ctx, I, P.Loc).build(I.Body, Used.Names);
  // The prologue calls user_string_quoted from tapset/syscalls.stp.
  Prog.Probes.push_back(std::move(I));
  return true;
}
