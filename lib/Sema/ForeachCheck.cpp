//===- ForeachCheck.cpp - Rules of foreach that need types ----------------===//
//
// - The iterated array must not change while the loop runs (stap forbids
//   it; stapc's unsorted foreach walks the live map), also through
//   functions the body calls.
// - Sorting by an aggregate (`@sum-`) needs a statistics array, and a
//   statistics array has no plain value to bind (`v = [k] in stats`).
// - The buckets of a histogram (`foreach (b in @hist_log(s))`) have one
//   index, the bucket number, and no slices; they sort by that number or by
//   their count. The loop walks a snapshot of the counts, so its body may
//   change the statistic (as in stap).
//
//===----------------------------------------------------------------------===//
#include "SemaImpl.h"

#include "stapc/AST/ASTVisitor.h"

using namespace stapc;

namespace {
/// Finds a write to one array inside a statement, following calls.
class ArrayWriteFinder : public CallFollowingVisitor<ArrayWriteFinder> {
public:
  explicit ArrayWriteFinder(const VarDecl *Array) : Array(Array) {}
  SMLoc Found;

  void note(Expr *Target) {
    if (Found.isValid())
      return;
    Expr *Base = Target;
    if (auto *A = llvm::dyn_cast<ArrayIndex>(Target))
      Base = A->getBase();
    if (auto *S = llvm::dyn_cast<SymbolRef>(Base); S && S->getDecl() == Array)
      Found = Target->getLoc();
  }
  void visitAssignExpr(AssignExpr *E) {
    note(E->getLHS());
    RecursiveVisitor::visitAssignExpr(E);
  }
  void visitUnaryExpr(UnaryExpr *E) {
    if (E->getOp() == UnaryOp::PreInc || E->getOp() == UnaryOp::PreDec)
      note(E->getOperand());
    RecursiveVisitor::visitUnaryExpr(E);
  }
  void visitPostfixExpr(PostfixExpr *E) {
    note(E->getOperand());
    RecursiveVisitor::visitPostfixExpr(E);
  }
  void visitDeleteStmt(DeleteStmt *S) {
    note(S->getTarget());
    RecursiveVisitor::visitDeleteStmt(S);
  }

private:
  const VarDecl *Array;
};

class ForeachChecker : public RecursiveVisitor<ForeachChecker> {
public:
  explicit ForeachChecker(DiagnosticEngine &Diags) : Diags(Diags) {}

  void visitForeachStmt(ForeachStmt *F) {
    RecursiveVisitor::visitForeachStmt(F);
    if (!Checked.insert(F).second)
      return;
    if (auto *H = llvm::dyn_cast_or_null<StatExtractExpr>(F->Array))
      return checkHistogram(F, H);
    auto *Sym = llvm::dyn_cast_or_null<SymbolRef>(F->Array);
    const VarDecl *V = Sym ? Sym->getDecl() : nullptr;
    if (!V)
      return;
    ArrayWriteFinder W(V);
    W.traverse(F->Body);
    if (W.Found.isValid()) {
      Diags.error(W.Found, "semantic error: '" + V->getName() +
                               "' is modified while a foreach iterates over "
                               "it; collect the changes in another array");
      Diags.note(F->getLoc(), "the foreach is here");
    }
    bool IsStats = V->Ty == TypeKind::Stats;
    if (F->HasSortAggregate && !IsStats)
      Diags.error(F->getLoc(), "semantic error: sorting by @" +
                                   spelling(F->SortAggregate) +
                                   " needs a statistics array; '" +
                                   V->getName() + "' holds plain values");
    if (F->ValueVar && IsStats)
      Diags.error(F->ValueVar->getLoc(),
                  "semantic error: the elements of statistics array '" +
                      V->getName() +
                      "' have no single value; use @count(" + V->getName() +
                      "[...]) and the other extractors in the body");
  }

private:
  DiagnosticEngine &Diags;
  llvm::DenseSet<ForeachStmt *> Checked;

  void checkHistogram(ForeachStmt *F, StatExtractExpr *H) {
    std::string Hist = ("@" + spelling(H->getStatKind())).str();
    if (F->Keys.size() != 1)
      Diags.error(F->Keys.size() > 1 ? F->Keys[1]->getLoc() : F->getLoc(),
                  "semantic error: the buckets of a histogram have one "
                  "index, the bucket number: write 'foreach (b in " +
                      Hist + "(...))'");
    if (!F->Slice.empty())
      Diags.error(F->Slice.front() ? F->Slice.front()->getLoc()
                                   : F->getLoc(),
                  "semantic error: the buckets of a histogram cannot be "
                  "sliced; test the bucket number in the body");
    if (F->HasSortAggregate)
      Diags.error(F->getLoc(),
                  "semantic error: histogram buckets sort by their number "
                  "('b+', 'b-') or by their count ('" +
                      Hist + "(...)+', '" + Hist + "(...)-'), not by @" +
                      spelling(F->SortAggregate));
  }
};
} // namespace

void SemaImpl::checkForeach() {
  ForeachChecker C(Diags);
  for (ProbeInstance &P : Prog.Probes)
    C.traverse(P.Body);
  for (FunctionDecl *F : Prog.Functions)
    C.traverse(F->Body);
}
