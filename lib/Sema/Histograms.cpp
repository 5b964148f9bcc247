//===- Histograms.cpp - Which statistics keep histogram buckets -----------===//
//
// A statistic used with @hist_log or @hist_linear stores bucket counts next
// to count/sum/min/max/sumsq, so its buckets must be known at compile time.
// As in stap, a statistic has one histogram: one kind, and for @hist_linear
// one set of parameters. A histogram is not a value: print() or println()
// renders it on its own, `[N]` reads one bucket, foreach walks the buckets.
//
//===----------------------------------------------------------------------===//
#include "SemaImpl.h"

#include "stapc/AST/ASTVisitor.h"
#include "stapc/Object/RecordFormat.h"
#include "stapc/Sema/Builtins.h"

using namespace stapc;

namespace {

bool isHistogram(const Expr *E) {
  auto *S = llvm::dyn_cast_or_null<StatExtractExpr>(E);
  return S && (S->getStatKind() == StatKind::HistLog ||
               S->getStatKind() == StatKind::HistLinear);
}

/// The statistic a histogram's operand names (`s` or `s[...]`), if any;
/// CodeGen reports operands that are not statistics.
VarDecl *statisticOf(Expr *Operand) {
  Expr *Base = Operand;
  if (auto *A = llvm::dyn_cast<ArrayIndex>(Operand))
    Base = A->getBase();
  auto *Sym = llvm::dyn_cast<SymbolRef>(Base);
  VarDecl *V = Sym ? Sym->getDecl() : nullptr;
  return V && V->Ty == TypeKind::Stats ? V : nullptr;
}

std::string describe(const HistogramSpec &H, llvm::StringRef Name) {
  if (!H.Linear)
    return ("@hist_log(" + Name + ")").str();
  return ("@hist_linear(" + Name + ", " + llvm::Twine(H.Low) + ", " +
          llvm::Twine(H.High) + ", " + llvm::Twine(H.Width) + ")")
      .str();
}

bool sameBuckets(const HistogramSpec &A, const HistogramSpec &B) {
  return A.Linear == B.Linear && A.Low == B.Low && A.High == B.High &&
         A.Width == B.Width;
}

class HistogramCheck : public RecursiveVisitor<HistogramCheck> {
public:
  explicit HistogramCheck(SemaImpl &S) : S(S) {}

  void visitFunctionCall(FunctionCall *E) {
    const BuiltinInfo *B =
        E->getCallee() ? nullptr : lookupBuiltin(E->getName());
    bool Printer =
        B && (B->ID == BuiltinID::Print || B->ID == BuiltinID::Println);
    for (Expr *A : E->getArgs()) {
      if (!Printer || !isHistogram(A)) {
        traverse(A);
        continue;
      }
      if (E->getArgs().size() != 1)
        S.Diags.error(A->getLoc(), "a histogram is printed on its own: give "
                                   "it to a separate '" +
                                       E->getName() + "' call");
      use(llvm::cast<StatExtractExpr>(A));
    }
  }

  void visitArrayIndex(ArrayIndex *E) {
    if (!isHistogram(E->getBase()))
      return RecursiveVisitor::visitArrayIndex(E);
    use(llvm::cast<StatExtractExpr>(E->getBase()));
    if (E->getIndices().size() != 1 || !E->getIndices()[0])
      S.Diags.error(E->getLoc(), "a histogram bucket takes one index: the "
                                 "bucket number");
    for (Expr *I : E->getIndices())
      traverse(I);
  }

  void visitForeachStmt(ForeachStmt *F) {
    if (!isHistogram(F->Array))
      return RecursiveVisitor::visitForeachStmt(F);
    use(llvm::cast<StatExtractExpr>(F->Array));
    Expr *Array = F->Array;
    F->Array = nullptr; // everything else as usual
    RecursiveVisitor::visitForeachStmt(F);
    F->Array = Array;
  }

  // Resolve rejects assignments to buckets; deleting one is no better.
  void visitDeleteStmt(DeleteStmt *St) {
    auto *A = llvm::dyn_cast_or_null<ArrayIndex>(St->getTarget());
    if (A && isHistogram(A->getBase()))
      S.Diags.error(A->getLoc(), "semantic error: cannot delete histogram "
                                 "bucket entries; 'delete' the statistic");
    RecursiveVisitor::visitDeleteStmt(St);
  }

  void visitStatExtractExpr(StatExtractExpr *E) {
    if (isHistogram(E))
      S.Diags.error(E->getLoc(),
                    "a histogram is not a value: print it with print() or "
                    "println(), or read one bucket with [N]");
    traverse(E->getOperand());
  }

private:
  void use(StatExtractExpr *E) {
    traverse(E->getOperand());
    VarDecl *V = statisticOf(E->getOperand());
    HistogramSpec H;
    if (!V || !specOf(E, H))
      return;
    auto [It, Inserted] = S.Prog.Histograms.try_emplace(V, H);
    if (Inserted || sameBuckets(It->second, H))
      return;
    S.Diags.error(E->getLoc(),
                  "semantic error: multiple histogram types declared on '" +
                      V->getName() + "': " + describe(H, V->getName()) +
                      " here, " + describe(It->second, V->getName()) +
                      " elsewhere; a statistic keeps one set of buckets");
    S.Diags.note(It->second.Loc, "first histogram of '" + V->getName() +
                                     "' here");
  }

  /// The buckets E asks for; false (after an error) if they are invalid.
  bool specOf(StatExtractExpr *E, HistogramSpec &H) {
    H.Loc = E->getLoc();
    if (E->getStatKind() == StatKind::HistLog) {
      H.Buckets = STAPC_HIST_LOG_BUCKETS;
      return true;
    }
    auto Params = E->getParams();
    if (Params.size() != 3)
      return false; // the parser reported it
    auto Value = [](Expr *P) {
      return llvm::cast<IntegerLiteral>(P)->getValue();
    };
    H.Linear = true;
    H.Low = Value(Params[0]);
    H.High = Value(Params[1]);
    H.Width = Value(Params[2]);
    if (H.Width <= 0) {
      S.Diags.error(Params[2]->getLoc(), "the bucket width of @hist_linear "
                                         "must be positive");
      return false;
    }
    if (H.High <= H.Low) {
      S.Diags.error(Params[1]->getLoc(),
                    "the high end of @hist_linear must be greater than its "
                    "low end (" +
                        llvm::Twine(H.Low) + ")");
      return false;
    }
    // (High - Low) cannot overflow as an unsigned 64-bit difference.
    uint64_t Steps = (uint64_t(H.High) - uint64_t(H.Low)) / uint64_t(H.Width);
    const uint64_t MaxSteps = STAPC_HIST_MAX_BUCKETS - 3;
    if (Steps > MaxSteps) {
      S.Diags.error(E->getLoc(),
                    "@hist_linear with " + llvm::Twine(Steps + 1) +
                        " buckets: at most " + llvm::Twine(MaxSteps + 1) +
                        " are allowed, as in stap; make the width at least " +
                        llvm::Twine((uint64_t(H.High) - uint64_t(H.Low)) /
                                        (MaxSteps + 1) +
                                    1));
      return false;
    }
    H.Buckets = unsigned(Steps) + 3;
    return true;
  }

  SemaImpl &S;
};

} // namespace

void SemaImpl::checkHistograms() {
  HistogramCheck C(*this);
  llvm::DenseSet<BlockStmt *> Seen;
  for (ProbeInstance &P : Prog.Probes)
    if (Seen.insert(P.Body).second)
      C.traverse(P.Body);
  for (FunctionDecl *F : Prog.Functions)
    C.traverse(F->Body);
}
