//===- ProbeConditions.cpp - `probe point if (cond)` ----------------------===//
//
// stap arms and disarms conditioned probe points when the globals in their
// condition change. In BPF a program stays attached, so the condition is a
// guard at the top of the body: when it is false the whole body, alias
// prologues and epilogues included, is skipped, which is what the user
// observes in stap too (only the cost of the hit differs).
//
//===----------------------------------------------------------------------===//
#include "SemaImpl.h"

#include "stapc/AST/ASTClone.h"
#include "stapc/AST/ASTVisitor.h"

using namespace stapc;

namespace {

/// stap restricts conditions to global variables: a condition has no probe
/// context of its own (it is evaluated when globals change).
class ConditionChecker : public RecursiveVisitor<ConditionChecker> {
public:
  explicit ConditionChecker(SemaImpl &S) : S(S) {}

  void visitSymbolRef(SymbolRef *E) { checkGlobal(E); }
  void visitArrayIndex(ArrayIndex *E) {
    if (auto *Sym = llvm::dyn_cast<SymbolRef>(E->getBase()))
      checkGlobal(Sym);
    for (Expr *I : E->getIndices())
      traverse(I);
  }
  void visitTargetSymbolExpr(TargetSymbolExpr *E) { refuse(E->getLoc()); }
  void visitAtVarExpr(AtVarExpr *E) { refuse(E->getLoc()); }
  void visitAssignExpr(AssignExpr *E) {
    S.Diags.error(E->getLoc(), "a probe point condition cannot assign; "
                               "it may only read global variables");
  }

private:
  void checkGlobal(SymbolRef *E) {
    if (!S.Globals.count(E->getName()))
      S.Diags.error(E->getLoc(),
                    "semantic error: '" + E->getName() +
                        "' is not a global variable; a probe point condition "
                        "may only read globals (declare it with 'global " +
                        E->getName() + "')");
  }
  void refuse(SMLoc Loc) {
    S.Diags.error(Loc, "a probe point condition may only read global "
                       "variables, not the probe's context; test it in the "
                       "probe body instead");
  }

  SemaImpl &S;
};

} // namespace

BlockStmt *SemaImpl::conditionedBody(const ProbeInstance &P) {
  BlockStmt *&Guarded = ConditionedBodies[{P.Body, P.Conditions}];
  if (Guarded)
    return Guarded;
  Expr *All = nullptr;
  for (Expr *C : P.Conditions) {
    // Checked once, where the user wrote it, however many bodies it guards.
    if (CheckedConditions.insert(C).second)
      ConditionChecker(*this).traverse(C);
    Expr *Copy = cloneExpr(Ctx, C);
    All = All ? new (Ctx) BinaryExpr(C->getLoc(), BinaryOp::LogicalAnd, All,
                                     Copy)
              : Copy;
  }
  SMLoc Loc = P.Conditions.front()->getLoc();
  auto *Skip = new (Ctx) IfStmt(
      Loc, new (Ctx) UnaryExpr(Loc, UnaryOp::LogicalNot, All),
      new (Ctx) NextStmt(Loc), nullptr);
  // A copy of the body: the same body may also serve unconditioned points,
  // and each distinct body is resolved (its locals bound) once.
  Stmt *Parts[] = {Skip, cloneStmt(Ctx, P.Body)};
  Guarded = new (Ctx) BlockStmt(P.Body->getLoc(), Ctx.copyArray<Stmt *>(Parts));
  return Guarded;
}
