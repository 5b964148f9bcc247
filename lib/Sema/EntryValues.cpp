//===- EntryValues.cpp - @entry(expr) in .return probes -------------------===//
//
// stap evaluates @entry(expr) when the probed function is entered and gives
// that value in the .return probe. Before anything is resolved, each .return
// probe of the user script that uses @entry is rewritten in the script
// language:
//
//   probe POINTS.return { ... @entry(E) ... }
// becomes
//   probe POINTS {                                   // a new entry probe
//     __stapc_depth = __stapc_entry_depthK[tid()]++
//     __stapc_entryK_N[tid(), __stapc_depth] = E
//   }
//   probe POINTS.return {
//     __stapc_depth = --__stapc_entry_depthK[tid()]
//     if (__stapc_depth <= 0) delete __stapc_entry_depthK[tid()]
//     if (__stapc_depth < 0) next            // its entry was never seen
//     __stapc_entry_valueN = __stapc_entryK_N[tid(), __stapc_depth]
//     delete __stapc_entryK_N[tid(), __stapc_depth]
//     ... __stapc_entry_valueN ...
//   }
//
// The values form a stack per thread, not one slot per thread, so recursive
// calls, and nested calls of two functions that one wildcard matches, each
// pair with their own entry. A return whose entry was missed (the call was
// already running when the probe was attached) is skipped, as stap's
// kretprobes skip it.
//
//===----------------------------------------------------------------------===//
#include "SemaImpl.h"

#include "stapc/AST/ASTClone.h"
#include "stapc/AST/ASTVisitor.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"

using namespace stapc;
using llvm::SmallVector;
using llvm::SmallVectorImpl;

namespace {

/// The @entry expressions of a body, in source order.
class EntryCollector : public RecursiveVisitor<EntryCollector> {
public:
  std::vector<EntryExpr *> Found;
  explicit EntryCollector(DiagnosticEngine &Diags) : Diags(Diags) {}
  void visitEntryExpr(EntryExpr *E) {
    Found.push_back(E);
    NestedEntryFinder(Diags).traverse(E->getOperand());
  }

private:
  /// The operand is evaluated at entry already: @entry inside it means
  /// nothing more, and stap refuses it too.
  class NestedEntryFinder : public RecursiveVisitor<NestedEntryFinder> {
  public:
    explicit NestedEntryFinder(DiagnosticEngine &Diags) : Diags(Diags) {}
    void visitEntryExpr(EntryExpr *E) {
      Diags.error(E->getLoc(), "@entry cannot be nested in another @entry");
    }
    DiagnosticEngine &Diags;
  };
  DiagnosticEngine &Diags;
};

bool isReturnComponent(const ProbePointComponent &C) {
  return C.Name == "return" && !C.Arg;
}

bool isReturnPoint(const ProbePoint &P) {
  return llvm::any_of(P.Components, isReturnComponent);
}

/// Builds the statements of the rewrite at one source location.
class EntryRewriter {
public:
  EntryRewriter(ASTContext &Ctx, SMLoc Loc, unsigned ProbeIndex)
      : Ctx(Ctx), Loc(Loc), Suffix(std::to_string(ProbeIndex)) {}

  std::string depthMap() const { return "__stapc_entry_depth" + Suffix; }
  std::string valueMap(size_t N) const {
    return "__stapc_entry" + Suffix + "_" + std::to_string(N);
  }
  static std::string valueLocal(size_t N) {
    return "__stapc_entry_value" + std::to_string(N);
  }

  Expr *symbol(StringRef Name) {
    return new (Ctx) SymbolRef(Loc, Ctx.save(Name));
  }
  Expr *tid() { return new (Ctx) FunctionCall(Loc, "tid", {}); }
  Expr *element(StringRef Map, bool WithDepth) {
    SmallVector<Expr *, 2> Keys{tid()};
    if (WithDepth)
      Keys.push_back(symbol(DepthLocal));
    return new (Ctx) ArrayIndex(Loc, symbol(Map), Ctx.copyArray<Expr *>(Keys));
  }
  Stmt *assign(Expr *LHS, Expr *RHS) {
    return new (Ctx)
        ExprStmt(Loc, new (Ctx) AssignExpr(Loc, AssignOp::Assign, LHS, RHS));
  }
  Stmt *erase(Expr *Target) { return new (Ctx) DeleteStmt(Loc, Target); }
  Expr *depthCompare(BinaryOp Op) {
    return new (Ctx)
        BinaryExpr(Loc, Op, symbol(DepthLocal), new (Ctx) IntegerLiteral(Loc, 0));
  }
  BlockStmt *block(ArrayRef<Stmt *> Stmts) {
    return new (Ctx) BlockStmt(Loc, Ctx.copyArray<Stmt *>(Stmts));
  }

  /// The entry probe's body: push each operand's value.
  BlockStmt *entryBody(ArrayRef<EntryExpr *> Entries) {
    SmallVector<Stmt *, 4> Stmts;
    Stmts.push_back(assign(symbol(DepthLocal),
                           new (Ctx) PostfixExpr(Loc, PostfixOp::PostInc,
                                                 element(depthMap(), false))));
    for (size_t N = 0; N < Entries.size(); ++N)
      Stmts.push_back(assign(element(valueMap(N), true),
                             cloneExpr(Ctx, Entries[N]->getOperand())));
    return block(Stmts);
  }

  /// The statements that start the return body: pop into locals.
  void popValues(size_t Count, SmallVectorImpl<Stmt *> &Stmts) {
    Stmts.push_back(assign(symbol(DepthLocal),
                           new (Ctx) UnaryExpr(Loc, UnaryOp::PreDec,
                                               element(depthMap(), false))));
    Stmts.push_back(new (Ctx) IfStmt(Loc, depthCompare(BinaryOp::LE),
                                     erase(element(depthMap(), false)),
                                     nullptr));
    Stmts.push_back(new (Ctx) IfStmt(Loc, depthCompare(BinaryOp::LT),
                                     new (Ctx) NextStmt(Loc), nullptr));
    for (size_t N = 0; N < Count; ++N) {
      Stmts.push_back(assign(symbol(valueLocal(N)), element(valueMap(N), true)));
      Stmts.push_back(erase(element(valueMap(N), true)));
    }
  }

private:
  static constexpr const char *DepthLocal = "__stapc_depth";
  ASTContext &Ctx;
  SMLoc Loc;
  std::string Suffix;
};

/// Errors for @entry where no function entry exists to evaluate it at.
class MisplacedEntryFinder : public RecursiveVisitor<MisplacedEntryFinder> {
public:
  explicit MisplacedEntryFinder(DiagnosticEngine &Diags) : Diags(Diags) {}
  void visitEntryExpr(EntryExpr *E) {
    Diags.error(E->getLoc(),
                "@entry is only valid in the body of a probe whose points "
                "are all '.return' points (kernel.function(...).return, "
                "process(...).function(...).return, syscall.*.return); "
                "store the value in a global from the entry probe instead");
  }

private:
  DiagnosticEngine &Diags;
};

GlobalDecl *newGlobal(ASTContext &Ctx, SMLoc Loc, StringRef Name) {
  return new (Ctx) GlobalDecl(Loc, Ctx.save(Name));
}

} // namespace

/// The entry points of a .return probe: the same points without `.return`
/// (and without `.maxactive(N)`, which only return probes take).
static MutableArrayRef<ProbePoint> entryPoints(ASTContext &Ctx,
                                               ArrayRef<ProbePoint> Points) {
  SmallVector<ProbePoint, 2> Out;
  for (const ProbePoint &P : Points) {
    SmallVector<ProbePointComponent, 4> Components;
    for (const ProbePointComponent &C : P.Components)
      if (!isReturnComponent(C) && C.Name != "maxactive")
        Components.push_back(C);
    ProbePoint Entry = P;
    Entry.Components = Ctx.copyArray<ProbePointComponent>(Components);
    if (P.Condition)
      Entry.Condition = cloneExpr(Ctx, P.Condition);
    Out.push_back(Entry);
  }
  return Ctx.copyArray<ProbePoint>(Out);
}

void SemaImpl::rewriteEntryValues() {
  if (Ctx.Files.empty())
    return;
  ScriptFile &Script = Ctx.Files.front();
  std::vector<Decl *> Decls(Script.Decls.begin(), Script.Decls.end());
  std::vector<Decl *> Added;
  unsigned ProbeIndex = 0;
  for (Decl *D : Decls) {
    auto *Probe = llvm::dyn_cast<ProbeDecl>(D);
    if (!Probe || !llvm::all_of(Probe->getPoints(), isReturnPoint)) {
      MisplacedEntryFinder(Diags).traverse(D);
      continue;
    }
    EntryCollector Collect(Diags);
    Collect.traverse(Probe->getBody());
    if (Collect.Found.empty())
      continue;

    EntryRewriter R(Ctx, Probe->getLoc(), ProbeIndex++);
    Added.push_back(newGlobal(Ctx, Probe->getLoc(), R.depthMap()));
    llvm::DenseMap<Expr *, size_t> Index;
    for (size_t N = 0; N < Collect.Found.size(); ++N) {
      Index[Collect.Found[N]] = N;
      Added.push_back(newGlobal(Ctx, Collect.Found[N]->getLoc(), R.valueMap(N)));
    }
    Added.push_back(new (Ctx) ProbeDecl(Probe->getLoc(),
                                        entryPoints(Ctx, Probe->getPoints()),
                                        R.entryBody(Collect.Found)));

    SmallVector<Stmt *, 8> Stmts;
    R.popValues(Collect.Found.size(), Stmts);
    Stmts.push_back(cloneStmt(
        Ctx, Probe->getBody(), [&](Expr *E, auto) -> Expr * {
          auto It = Index.find(E);
          if (It == Index.end())
            return nullptr;
          return new (Ctx) SymbolRef(E->getLoc(), Ctx.save(R.valueLocal(It->second)));
        }));
    Probe->setBody(R.block(Stmts));
  }
  if (Added.empty())
    return;
  Decls.insert(Decls.end(), Added.begin(), Added.end());
  Script.Decls = Ctx.copyArray<Decl *>(Decls);
}
