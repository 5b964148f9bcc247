//===- ProbeProcfs.cpp - procfs("name").read/.write probe points ----------===//
//
// A procfs probe serves one file of the session's procfs directory: stapc-run
// runs a read probe when someone opens the file to read it and hands them
// what the probe put in `$value`; it runs a write probe with the written
// text in `$value` (docs/Probes.md, "procfs files"). `probe prometheus` is
// an alias of a read probe (tapset/prometheus.stp).
//
// `$value` is not kernel data, so it is desugared here, in a copy of the
// body made for each instance: in a read probe `$value = s` and
// `$value .= s` become calls that send the text to the loader piece by
// piece (the file may be far longer than a string); in a write probe
// `$value` becomes a call that reads the written text.
//
//===----------------------------------------------------------------------===//
#include "SemaImpl.h"

#include "stapc/AST/ASTClone.h"
#include "stapc/AST/ASTContext.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"

using namespace stapc;

namespace {

constexpr uint64_t MaxProcfsSize = 1u << 20;

bool integerLiteralArg(const ProbePointComponent &C, int64_t &V) {
  auto *L = llvm::dyn_cast_or_null<IntegerLiteral>(C.Arg);
  if (L)
    V = L->getValue();
  return L != nullptr;
}

/// stap's file names are paths under its module's directory; stapc keeps
/// each file directly in the session directory, so a name is one plain
/// path component.
bool validFileName(StringRef Name) {
  if (Name.empty() || Name.size() > 200 || Name.front() == '.')
    return false;
  return llvm::all_of(Name, [](char C) {
    return llvm::isAlnum(C) || C == '_' || C == '-' || C == '.';
  });
}

bool isPlainValue(Expr *E) {
  auto *T = llvm::dyn_cast<TargetSymbolExpr>(E);
  return T && T->getName() == "$value" && T->getComponents().empty() &&
         !T->getPrettyPrint();
}

/// Copies a procfs probe's body with `$value` desugared (see above).
class ValueRewriter {
public:
  ValueRewriter(SemaImpl &S, bool Write) : S(S), Write(Write) {}

  Expr *operator()(Expr *E, llvm::function_ref<Expr *(Expr *)> Clone) {
    if (auto *A = llvm::dyn_cast<AssignExpr>(E); A && isPlainValue(A->getLHS()))
      return assignment(A, Clone);
    auto *T = llvm::dyn_cast<TargetSymbolExpr>(E);
    if (!T || T->getName() != "$value")
      return nullptr;
    if (!isPlainValue(T)) {
      S.Diags.error(T->getLoc(), "semantic error: '$value' is a string; it "
                                 "has no members");
      return emptyString(T);
    }
    if (!Write) {
      S.Diags.error(T->getLoc(),
                    "semantic error: a procfs read probe can only set '$value' "
                    "('$value = s' or '$value .= s'), not read it; build the "
                    "text in a local variable if you need it again");
      return emptyString(T);
    }
    return call(T->getLoc(), "__procfs_value", {});
  }

private:
  Expr *assignment(AssignExpr *A, llvm::function_ref<Expr *(Expr *)> Clone) {
    Expr *RHS = Clone(A->getRHS());
    if (Write) {
      S.Diags.error(A->getLHS()->getLoc(),
                    "semantic error: '$value' of a procfs write probe is the "
                    "text written to the file; it cannot be assigned (copy it "
                    "into a local variable)");
      return RHS;
    }
    if (A->getOp() == AssignOp::Assign)
      return call(A->getLoc(), "__procfs_value_set", {RHS});
    if (A->getOp() == AssignOp::ConcatAssign)
      return call(A->getLoc(), "__procfs_value_append", {RHS});
    S.Diags.error(A->getLHS()->getLoc(),
                  "semantic error: '$value' of a procfs read probe is text: "
                  "set it with '=' or extend it with '.='");
    return RHS;
  }

  Expr *call(SMLoc Loc, StringRef Name, llvm::ArrayRef<Expr *> Args) {
    return new (S.Ctx) FunctionCall(Loc, Name, S.Ctx.copyArray<Expr *>(Args));
  }
  Expr *emptyString(Expr *At) { return new (S.Ctx) StringLiteral(At->getLoc(), ""); }

  SemaImpl &S;
  bool Write;
};

} // namespace

/// procfs[("name")][.umask(U)].read[.maxsize(N)] and
/// procfs[("name")][.umask(U)].write.
bool SemaImpl::resolveProcfs(const ProbePoint &P, ProbeInstance Base) {
  auto Comps = P.Components;
  ProcfsSpec &Spec = Base.Procfs;
  Spec.File = "command"; // stap's name when none is given
  if (Comps[0].Arg) {
    auto *Name = llvm::dyn_cast<StringLiteral>(Comps[0].Arg);
    if (!Name) {
      Diags.error(Comps[0].Arg->getLoc(), "procfs needs a string literal file "
                                          "name: procfs(\"name\")");
      return false;
    }
    Spec.File = Name->getValue().str();
  }
  if (!validFileName(Spec.File) || Spec.File == "__stdin") {
    Diags.error(Comps[0].Arg ? Comps[0].Arg->getLoc() : P.Loc,
                "procfs file name '" + Spec.File +
                    "' is not supported: use letters, digits, '_', '-' and "
                    "'.' (not first), no '/'" +
                    (Spec.File == "__stdin" ? "; '__stdin' is stap's own "
                                              "input file"
                                            : ""));
    return false;
  }
  size_t I = 1;
  int64_t Umask = -1;
  if (I < Comps.size() && Comps[I].Name == "umask") {
    if (!integerLiteralArg(Comps[I], Umask) || Umask < 0 || Umask > 0777) {
      Diags.error(Comps[I].Loc, "procfs umask needs an integer literal from 0 "
                                "to 0777: procfs(\"name\").umask(0002).read");
      return false;
    }
    ++I;
  }
  if (I >= Comps.size() || (Comps[I].Name != "read" && Comps[I].Name != "write")) {
    Diags.error(I < Comps.size() ? Comps[I].Loc : P.Loc,
                "procfs probes end in .read or .write: procfs(\"name\").read");
    return false;
  }
  Spec.Write = Comps[I].Name == "write";
  ++I;
  if (I < Comps.size() && Comps[I].Name == "maxsize" && !Spec.Write) {
    int64_t N = 0;
    if (!integerLiteralArg(Comps[I], N) || N <= 0 || uint64_t(N) > MaxProcfsSize) {
      Diags.error(Comps[I].Loc, "procfs maxsize needs a positive integer "
                                "literal, at most " +
                                    llvm::Twine(MaxProcfsSize));
      return false;
    }
    Spec.MaxSize = uint64_t(N);
    ++I;
  }
  if (I < Comps.size()) {
    Diags.error(Comps[I].Loc, "unexpected '." + Comps[I].Name +
                                  "' in a procfs probe point (expected "
                                  "procfs(\"name\").umask(U).read.maxsize(N) "
                                  "or procfs(\"name\").umask(U).write)");
    return false;
  }
  // stap's permissions: 0400 (read) or 0200 (write), or with .umask(U)
  // 0444 or 0222 without U's bits.
  unsigned All = Spec.Write ? 0222 : 0444;
  Spec.Mode = Umask < 0 ? (Spec.Write ? 0200 : 0400) : All & ~unsigned(Umask);
  Base.Kind = ProbeKind::Procfs;
  // What `stapc -L` lists; every use of `$value` is rewritten below.
  ContextArg Value;
  Value.Name = "value";
  Value.TypeName = "string";
  Base.Args.push_back(std::move(Value));
  ValueRewriter Rewrite(*this, Spec.Write);
  Base.Body = llvm::cast<BlockStmt>(cloneStmt(Ctx, Base.Body, Rewrite));
  Prog.Probes.push_back(std::move(Base));
  return true;
}

/// One read probe or one write probe per file (a FIFO carries data one
/// way); numbers the files in order of first use.
void SemaImpl::checkProcfsFiles() {
  llvm::StringMap<ProbeInstance *> FirstOfFile;
  unsigned NextId = 0;
  for (ProbeInstance &P : Prog.Probes) {
    if (P.Kind != ProbeKind::Procfs)
      continue;
    auto [It, Inserted] = FirstOfFile.try_emplace(P.Procfs.File, &P);
    if (Inserted) {
      P.Procfs.Id = NextId++;
      continue;
    }
    ProbeInstance &First = *It->second;
    P.Procfs.Id = First.Procfs.Id;
    if (First.Procfs.Write == P.Procfs.Write)
      Diags.error(P.Point->Loc, "semantic error: procfs file '" + P.Procfs.File +
                                    "' already has a " +
                                    (P.Procfs.Write ? "write" : "read") +
                                    " probe; put both bodies in one probe");
    else
      Diags.error(P.Point->Loc,
                  "semantic error: procfs file '" + P.Procfs.File +
                      "' has both a read and a write probe; stapc serves "
                      "procfs files as FIFOs, which carry data one way: give "
                      "the write probe another file name");
    Diags.note(First.Point->Loc, "the first probe of that file is here");
  }
}
