//===- ASTVisitor.h - Visitor with default traversal -----------*- C++ -*-===//
//
// RecursiveVisitor<Derived> walks every child of every node. A derived class
// overrides visitX(X *) for the nodes it cares about and calls the base
// version (or traverse on chosen children) to keep walking below them.
//
//===----------------------------------------------------------------------===//
#ifndef STAPC_AST_ASTVISITOR_H
#define STAPC_AST_ASTVISITOR_H

#include "stapc/AST/AST.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/Support/ErrorHandling.h"

namespace stapc {

template <typename Derived> class RecursiveVisitor {
public:
  Derived &self() { return *static_cast<Derived *>(this); }

  void traverse(Node *N) {
    if (!N)
      return;
    switch (N->getKind()) {
#define DISPATCH(K, C)                                                         \
  case Node::Kind::K:                                                          \
    return self().visit##C(llvm::cast<C>(N));
      DISPATCH(IntegerLiteral, IntegerLiteral)
      DISPATCH(StringLiteral, StringLiteral)
      DISPATCH(SymbolRef, SymbolRef)
      DISPATCH(ArrayIndex, ArrayIndex)
      DISPATCH(FunctionCall, FunctionCall)
      DISPATCH(Unary, UnaryExpr)
      DISPATCH(Postfix, PostfixExpr)
      DISPATCH(Binary, BinaryExpr)
      DISPATCH(Assign, AssignExpr)
      DISPATCH(Ternary, TernaryExpr)
      DISPATCH(In, InExpr)
      DISPATCH(StatExtract, StatExtractExpr)
      DISPATCH(TargetSymbol, TargetSymbolExpr)
      DISPATCH(Cast, CastExpr)
      DISPATCH(AtVar, AtVarExpr)
      DISPATCH(Autocast, AutocastExpr)
      DISPATCH(Entry, EntryExpr)
      DISPATCH(Defined, DefinedExpr)
      DISPATCH(AtFunction, AtFunctionExpr)
      DISPATCH(EmbeddedExpr, EmbeddedExpr)
      DISPATCH(Block, BlockStmt)
      DISPATCH(Null, NullStmt)
      DISPATCH(ExprStmt, ExprStmt)
      DISPATCH(If, IfStmt)
      DISPATCH(While, WhileStmt)
      DISPATCH(For, ForStmt)
      DISPATCH(Foreach, ForeachStmt)
      DISPATCH(Break, BreakStmt)
      DISPATCH(Continue, ContinueStmt)
      DISPATCH(Next, NextStmt)
      DISPATCH(Return, ReturnStmt)
      DISPATCH(Delete, DeleteStmt)
      DISPATCH(Try, TryStmt)
      DISPATCH(Probe, ProbeDecl)
      DISPATCH(ProbeAlias, ProbeAliasDecl)
      DISPATCH(Global, GlobalDecl)
      DISPATCH(Function, FunctionDecl)
      DISPATCH(Embedded, EmbeddedDecl)
#undef DISPATCH
    }
    llvm_unreachable("unknown node kind");
  }

  // Expressions.
  void visitIntegerLiteral(IntegerLiteral *) {}
  void visitStringLiteral(StringLiteral *) {}
  void visitSymbolRef(SymbolRef *) {}
  void visitArrayIndex(ArrayIndex *E) {
    traverse(E->getBase());
    for (Expr *I : E->getIndices())
      traverse(I);
  }
  void visitFunctionCall(FunctionCall *E) {
    for (Expr *A : E->getArgs())
      traverse(A);
  }
  void visitUnaryExpr(UnaryExpr *E) { traverse(E->getOperand()); }
  void visitPostfixExpr(PostfixExpr *E) { traverse(E->getOperand()); }
  void visitBinaryExpr(BinaryExpr *E) {
    traverse(E->getLHS());
    traverse(E->getRHS());
  }
  void visitAssignExpr(AssignExpr *E) {
    traverse(E->getLHS());
    traverse(E->getRHS());
  }
  void visitTernaryExpr(TernaryExpr *E) {
    traverse(E->getCond());
    traverse(E->getThen());
    traverse(E->getElse());
  }
  void visitInExpr(InExpr *E) {
    for (Expr *K : E->getKeys())
      traverse(K);
    traverse(E->getArray());
  }
  void visitStatExtractExpr(StatExtractExpr *E) {
    traverse(E->getOperand());
    for (Expr *P : E->getParams())
      traverse(P);
  }
  void traverseComponents(TargetExpr *E) {
    for (TargetComponent &C : E->getComponents())
      if (C.K == TargetComponent::Subscript)
        traverse(C.Index);
  }
  void visitTargetSymbolExpr(TargetSymbolExpr *E) { traverseComponents(E); }
  void visitCastExpr(CastExpr *E) {
    traverse(E->getOperand());
    traverseComponents(E);
  }
  void visitAtVarExpr(AtVarExpr *E) { traverseComponents(E); }
  void visitAutocastExpr(AutocastExpr *E) {
    traverse(E->getOperand());
    traverseComponents(E);
  }
  void visitEntryExpr(EntryExpr *E) { traverse(E->getOperand()); }
  void visitDefinedExpr(DefinedExpr *E) { traverse(E->getOperand()); }
  void visitAtFunctionExpr(AtFunctionExpr *E) {
    for (Expr *A : E->getArgs())
      traverse(A);
  }
  void visitEmbeddedExpr(EmbeddedExpr *) {}

  // Statements.
  void visitBlockStmt(BlockStmt *S) {
    for (Stmt *C : S->getBody())
      traverse(C);
  }
  void visitNullStmt(NullStmt *) {}
  void visitExprStmt(ExprStmt *S) { traverse(S->getExpr()); }
  void visitIfStmt(IfStmt *S) {
    traverse(S->getCond());
    traverse(S->getThen());
    traverse(S->getElse());
  }
  void visitWhileStmt(WhileStmt *S) {
    traverse(S->getCond());
    traverse(S->getBody());
  }
  void visitForStmt(ForStmt *S) {
    traverse(S->getInit());
    traverse(S->getCond());
    traverse(S->getIncr());
    traverse(S->getBody());
  }
  void visitForeachStmt(ForeachStmt *S) {
    traverse(S->ValueVar);
    for (SymbolRef *K : S->Keys)
      traverse(K);
    traverse(S->Array);
    for (Expr *E : S->Slice)
      traverse(E);
    traverse(S->Limit);
    traverse(S->Body);
  }
  void visitBreakStmt(BreakStmt *) {}
  void visitContinueStmt(ContinueStmt *) {}
  void visitNextStmt(NextStmt *) {}
  void visitReturnStmt(ReturnStmt *S) { traverse(S->getValue()); }
  void visitDeleteStmt(DeleteStmt *S) { traverse(S->getTarget()); }
  void visitTryStmt(TryStmt *S) {
    traverse(S->getTryBlock());
    traverse(S->getCatchVar());
    traverse(S->getCatchBlock());
  }

  // Declarations.
  void traversePoints(MutableArrayRef<ProbePoint> Points) {
    for (ProbePoint &P : Points) {
      for (ProbePointComponent &C : P.Components)
        traverse(C.Arg);
      traverse(P.Condition);
    }
  }
  void visitProbeDecl(ProbeDecl *D) {
    traversePoints(D->getPoints());
    traverse(D->getBody());
  }
  void visitProbeAliasDecl(ProbeAliasDecl *D) {
    traversePoints(D->getPoints());
    traverse(D->getBody());
    traverse(D->getEpilogueBody());
  }
  void visitGlobalDecl(GlobalDecl *D) { traverse(D->Init); }
  void visitFunctionDecl(FunctionDecl *D) { traverse(D->Body); }
  void visitEmbeddedDecl(EmbeddedDecl *) {}
};

/// A RecursiveVisitor that also walks the body of every user function the
/// visited code calls, once each: what a probe's code does includes what
/// its callees do. Derived classes that override visitFunctionCall call
/// this version to keep following calls.
template <typename Derived>
class CallFollowingVisitor : public RecursiveVisitor<Derived> {
public:
  void visitFunctionCall(FunctionCall *E) {
    RecursiveVisitor<Derived>::visitFunctionCall(E);
    if (FunctionDecl *F = E->getCallee())
      if (Seen.insert(F).second)
        this->traverse(F->Body);
  }

private:
  llvm::DenseSet<FunctionDecl *> Seen;
};

} // namespace stapc

#endif
