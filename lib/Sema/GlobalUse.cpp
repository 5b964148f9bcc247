//===- GlobalUse.cpp - Which globals are written but never read -----------===//
//
// stap prints, at the end of a session, every global of the user's script
// that the program writes but never reads. What counts as a read follows
// stap (checked against stap 4.8's elaborated output):
//   - any use of the value: in expressions, as an argument, by `in`,
//     `foreach`, an extractor (@count...), or `delete` (which stap treats
//     as a use);
//   - `x++`, `++x`, `x += v` and the other compound assignments read x only
//     when their value is used: as an expression statement or in a `for`
//     loop's initialisation or increment they are pure writes, so counters
//     are printed;
//   - `x = v`, `x <<< v` and a global `foreach` key or value variable are
//     writes (so is a global `catch` variable in stap; Resolve rejects
//     those for now).
// The list is in stap's order: first reference while walking the probes in
// program order, then the reachable functions sorted by name.
//
//===----------------------------------------------------------------------===//
#include "SemaImpl.h"

#include "stapc/AST/ASTVisitor.h"

using namespace stapc;
using namespace llvm;

namespace {

struct UseState {
  bool Read = false;
  bool Written = false;
};

class GlobalUseScan : public RecursiveVisitor<GlobalUseScan> {
public:
  llvm::DenseMap<const VarDecl *, UseState> Uses;
  std::vector<const VarDecl *> Order;

  void visitSymbolRef(SymbolRef *E) { note(E, /*Read=*/true, false); }
  void visitArrayIndex(ArrayIndex *E) {
    note(E, /*Read=*/true, false);
    traverseIndices(E);
  }
  void visitInExpr(InExpr *E) {
    for (Expr *K : E->getKeys())
      traverse(K);
    note(E->getArray(), /*Read=*/true, false);
  }
  void visitStatExtractExpr(StatExtractExpr *E) {
    note(E->getOperand(), /*Read=*/true, false);
    traverseIndices(E->getOperand());
    for (Expr *P : E->getParams())
      traverse(P);
  }
  void visitDeleteStmt(DeleteStmt *S) {
    note(S->getTarget(), /*Read=*/true, /*Write=*/true);
    traverseIndices(S->getTarget());
  }

  void visitAssignExpr(AssignExpr *E) { modify(E, /*ValueUsed=*/true); }
  void visitUnaryExpr(UnaryExpr *E) { modify(E, /*ValueUsed=*/true); }
  void visitPostfixExpr(PostfixExpr *E) { modify(E, /*ValueUsed=*/true); }
  void visitExprStmt(ExprStmt *S) { discard(S->getExpr()); }
  void visitForStmt(ForStmt *S) {
    discard(S->getInit());
    traverse(S->getCond());
    discard(S->getIncr());
    traverse(S->getBody());
  }

  void visitForeachStmt(ForeachStmt *S) {
    // stap's order of first reference: keys, array, value.
    for (SymbolRef *K : S->Keys)
      note(K, false, /*Write=*/true);
    if (llvm::isa_and_nonnull<StatExtractExpr>(S->Array))
      traverse(S->Array); // a histogram's buckets: reads its statistic
    else
      note(S->Array, /*Read=*/true, false);
    if (S->ValueVar)
      note(S->ValueVar, false, /*Write=*/true);
    for (Expr *E : S->Slice)
      traverse(E);
    traverse(S->Limit);
    traverse(S->Body);
  }

private:
  /// The global a variable or element expression names, if any.
  static const VarDecl *globalOf(Expr *E) {
    if (auto *A = llvm::dyn_cast_or_null<ArrayIndex>(E))
      E = A->getBase();
    auto *Sym = llvm::dyn_cast_or_null<SymbolRef>(E);
    if (!Sym || !Sym->getDecl() ||
        Sym->getDecl()->getVarKind() != VarDecl::Global)
      return nullptr;
    return Sym->getDecl();
  }

  void note(Expr *E, bool Read, bool Write) {
    const VarDecl *V = globalOf(E);
    if (!V)
      return;
    auto [It, Inserted] = Uses.try_emplace(V);
    if (Inserted)
      Order.push_back(V);
    It->second.Read |= Read;
    It->second.Written |= Write;
  }

  void traverseIndices(Expr *E) {
    auto *A = llvm::dyn_cast_or_null<ArrayIndex>(E);
    if (!A)
      return;
    if (!llvm::isa<SymbolRef>(A->getBase()))
      traverse(A->getBase());
    for (Expr *I : A->getIndices())
      traverse(I);
  }

  /// An expression whose value is thrown away.
  void discard(Expr *E) {
    if (llvm::isa_and_nonnull<AssignExpr, UnaryExpr, PostfixExpr>(E))
      modify(E, /*ValueUsed=*/false);
    else
      traverse(E);
  }

  /// Assignments and increments: the target is written; it is read by a
  /// compound operator whose result is used (`y = x++`, `y = (x += 1)`).
  void modify(Expr *E, bool ValueUsed) {
    Expr *Target = nullptr;
    bool ReadsTarget = ValueUsed;
    if (auto *A = llvm::dyn_cast<AssignExpr>(E)) {
      Target = A->getLHS();
      if (A->getOp() == AssignOp::Assign || A->getOp() == AssignOp::Aggregate)
        ReadsTarget = false;
      traverse(A->getRHS());
    } else if (auto *U = llvm::dyn_cast<UnaryExpr>(E)) {
      if (U->getOp() != UnaryOp::PreInc && U->getOp() != UnaryOp::PreDec) {
        traverse(U->getOperand());
        return;
      }
      Target = U->getOperand();
    } else {
      Target = llvm::cast<PostfixExpr>(E)->getOperand();
    }
    if (!globalOf(Target)) {
      traverse(Target);
      return;
    }
    note(Target, ReadsTarget, /*Write=*/true);
    traverseIndices(Target);
  }
};

} // namespace

void SemaImpl::findUnreadGlobals() {
  GlobalUseScan Scan;
  llvm::DenseSet<BlockStmt *> Seen;
  for (ProbeInstance &P : Prog.Probes)
    if (Seen.insert(P.Body).second)
      Scan.traverse(P.Body);
  // stap keeps functions in a map ordered by name (overloads, which share
  // a name, stay in program order).
  std::vector<std::pair<StringRef, size_t>> Fns;
  for (size_t I = 0; I < Prog.Functions.size(); ++I)
    Fns.push_back({Prog.Functions[I]->getName(), I});
  llvm::sort(Fns);
  for (auto &[Name, I] : Fns)
    Scan.traverse(Prog.Functions[I]->Body);

  llvm::DenseMap<const VarDecl *, GlobalDecl *> DeclOf;
  for (GlobalDecl *G : Prog.Globals)
    DeclOf[&G->getVar()] = G;
  for (const VarDecl *V : Scan.Order) {
    const UseState &U = Scan.Uses[V];
    GlobalDecl *G = DeclOf.lookup(V);
    // Only the user's own globals: tapsets keep their state to themselves.
    if (!G || G->isFromTapset() || U.Read || !U.Written)
      continue;
    Prog.UnreadGlobals.push_back(G);
  }
}

void stapc::printGlobalSummary(raw_ostream &OS, const Program &Prog) {
  OS << "# globals\n";
  for (GlobalDecl *G : Prog.Globals) {
    const VarDecl &V = G->getVar();
    if (V.Arity < 0)
      continue;
    OS << G->getName() << ":" << spelling(V.Ty);
    for (size_t I = 0; I < V.KeyTypes.size(); ++I)
      OS << (I ? ", " : " [") << spelling(V.KeyTypes[I]);
    OS << (V.KeyTypes.empty() ? "\n" : "]\n");
  }
  OS << "# written, never read: printed at the end\n";
  for (GlobalDecl *G : Prog.UnreadGlobals)
    OS << G->getName() << "\n";
}
