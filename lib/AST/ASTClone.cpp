//===- ASTClone.cpp - Deep copies of statements and expressions -----------===//
#include "stapc/AST/ASTClone.h"

#include "stapc/AST/ASTContext.h"

#include "llvm/ADT/SmallVector.h"

using namespace stapc;
using llvm::cast;

namespace {

class Cloner {
public:
  explicit Cloner(ASTContext &Ctx, ExprRewrite Rewrite = nullptr)
      : Ctx(Ctx), Rewrite(Rewrite) {}

  Expr *expr(Expr *E) {
    if (!E)
      return nullptr;
    if (Rewrite)
      if (Expr *R = Rewrite(E, [this](Expr *Child) { return expr(Child); }))
        return R;
    return cloneExpr(E);
  }
  Stmt *stmt(Stmt *S) {
    if (!S)
      return nullptr;
    return cloneStmt(S);
  }
  BlockStmt *block(BlockStmt *B) { return B ? cast<BlockStmt>(stmt(B)) : nullptr; }
  SymbolRef *sym(SymbolRef *S) { return S ? cast<SymbolRef>(expr(S)) : nullptr; }

private:
  MutableArrayRef<Expr *> exprs(ArrayRef<Expr *> In) {
    llvm::SmallVector<Expr *, 8> Out;
    for (Expr *E : In)
      Out.push_back(expr(E)); // null entries (`*`) stay null
    return Ctx.copyArray<Expr *>(Out);
  }

  MutableArrayRef<TargetComponent> components(ArrayRef<TargetComponent> In) {
    llvm::SmallVector<TargetComponent, 4> Out(In.begin(), In.end());
    for (TargetComponent &C : Out)
      C.Index = expr(C.Index);
    return Ctx.copyArray<TargetComponent>(Out);
  }

  template <typename T> T *target(T *New, TargetExpr *Old) {
    New->setComponents(components(Old->getComponents()));
    New->setPrettyPrint(Old->getPrettyPrint());
    return New;
  }

  Expr *cloneExpr(Expr *E);
  Stmt *cloneStmt(Stmt *S);

  ASTContext &Ctx;
  ExprRewrite Rewrite;
};

Expr *Cloner::cloneExpr(Expr *E) {
  SMLoc L = E->getLoc();
  switch (E->getKind()) {
  case Node::Kind::IntegerLiteral:
    return new (Ctx) IntegerLiteral(L, cast<IntegerLiteral>(E)->getValue());
  case Node::Kind::StringLiteral:
    return new (Ctx) StringLiteral(L, cast<StringLiteral>(E)->getValue());
  case Node::Kind::SymbolRef:
    return new (Ctx) SymbolRef(L, cast<SymbolRef>(E)->getName());
  case Node::Kind::ArrayIndex: {
    auto *A = cast<ArrayIndex>(E);
    return new (Ctx) ArrayIndex(L, expr(A->getBase()), exprs(A->getIndices()));
  }
  case Node::Kind::FunctionCall: {
    auto *C = cast<FunctionCall>(E);
    return new (Ctx) FunctionCall(L, C->getName(), exprs(C->getArgs()));
  }
  case Node::Kind::Unary: {
    auto *U = cast<UnaryExpr>(E);
    return new (Ctx) UnaryExpr(L, U->getOp(), expr(U->getOperand()));
  }
  case Node::Kind::Postfix: {
    auto *P = cast<PostfixExpr>(E);
    return new (Ctx) PostfixExpr(L, P->getOp(), expr(P->getOperand()));
  }
  case Node::Kind::Binary: {
    auto *B = cast<BinaryExpr>(E);
    auto *N = new (Ctx) BinaryExpr(L, B->getOp(), expr(B->getLHS()), expr(B->getRHS()));
    N->setOpLoc(B->getOpLoc());
    return N;
  }
  case Node::Kind::Assign: {
    auto *A = cast<AssignExpr>(E);
    auto *N = new (Ctx) AssignExpr(L, A->getOp(), expr(A->getLHS()), expr(A->getRHS()));
    N->setOpLoc(A->getOpLoc());
    return N;
  }
  case Node::Kind::Ternary: {
    auto *T = cast<TernaryExpr>(E);
    return new (Ctx) TernaryExpr(L, expr(T->getCond()), expr(T->getThen()),
                                 expr(T->getElse()));
  }
  case Node::Kind::In: {
    auto *I = cast<InExpr>(E);
    return new (Ctx) InExpr(L, exprs(I->getKeys()), expr(I->getArray()),
                            I->isBracketed());
  }
  case Node::Kind::StatExtract: {
    auto *S = cast<StatExtractExpr>(E);
    return new (Ctx) StatExtractExpr(L, S->getStatKind(), expr(S->getOperand()),
                                     exprs(S->getParams()));
  }
  case Node::Kind::TargetSymbol: {
    auto *T = cast<TargetSymbolExpr>(E);
    return target(new (Ctx) TargetSymbolExpr(L, T->getName()), T);
  }
  case Node::Kind::Cast: {
    auto *C = cast<CastExpr>(E);
    return target(new (Ctx) CastExpr(L, expr(C->getOperand()), C->getTypeName(),
                                     C->getModule(), C->hasModule()),
                  C);
  }
  case Node::Kind::AtVar: {
    auto *V = cast<AtVarExpr>(E);
    return target(new (Ctx) AtVarExpr(L, V->getVarName(), V->getModule(),
                                      V->hasModule()),
                  V);
  }
  case Node::Kind::Autocast: {
    auto *A = cast<AutocastExpr>(E);
    return target(new (Ctx) AutocastExpr(L, expr(A->getOperand())), A);
  }
  case Node::Kind::Entry:
    return new (Ctx) EntryExpr(L, expr(cast<EntryExpr>(E)->getOperand()));
  case Node::Kind::Defined:
    return new (Ctx) DefinedExpr(L, expr(cast<DefinedExpr>(E)->getOperand()));
  case Node::Kind::AtFunction: {
    auto *F = cast<AtFunctionExpr>(E);
    return new (Ctx) AtFunctionExpr(L, F->getName(), exprs(F->getArgs()));
  }
  case Node::Kind::EmbeddedExpr:
    return new (Ctx) EmbeddedExpr(L, cast<EmbeddedExpr>(E)->getCode());
  default:
    break;
  }
  llvm_unreachable("not an expression");
}

Stmt *Cloner::cloneStmt(Stmt *S) {
  SMLoc L = S->getLoc();
  switch (S->getKind()) {
  case Node::Kind::Block: {
    llvm::SmallVector<Stmt *, 8> Body;
    for (Stmt *C : cast<BlockStmt>(S)->getBody())
      Body.push_back(stmt(C));
    return new (Ctx) BlockStmt(L, Ctx.copyArray<Stmt *>(Body));
  }
  case Node::Kind::Null:
    return new (Ctx) NullStmt(L);
  case Node::Kind::ExprStmt:
    return new (Ctx) ExprStmt(L, expr(cast<ExprStmt>(S)->getExpr()));
  case Node::Kind::If: {
    auto *I = cast<IfStmt>(S);
    return new (Ctx) IfStmt(L, expr(I->getCond()), stmt(I->getThen()),
                            stmt(I->getElse()));
  }
  case Node::Kind::While: {
    auto *W = cast<WhileStmt>(S);
    return new (Ctx) WhileStmt(L, expr(W->getCond()), stmt(W->getBody()));
  }
  case Node::Kind::For: {
    auto *F = cast<ForStmt>(S);
    return new (Ctx) ForStmt(L, expr(F->getInit()), expr(F->getCond()),
                             expr(F->getIncr()), stmt(F->getBody()));
  }
  case Node::Kind::Foreach: {
    auto *F = cast<ForeachStmt>(S);
    auto *N = new (Ctx) ForeachStmt(L);
    N->ValueVar = sym(F->ValueVar);
    llvm::SmallVector<SymbolRef *, 4> Keys;
    for (SymbolRef *K : F->Keys)
      Keys.push_back(sym(K));
    N->Keys = Ctx.copyArray<SymbolRef *>(Keys);
    N->KeysBracketed = F->KeysBracketed;
    N->Array = expr(F->Array);
    N->Slice = exprs(F->Slice);
    N->SortColumn = F->SortColumn;
    N->SortDir = F->SortDir;
    N->HasSortAggregate = F->HasSortAggregate;
    N->SortAggregate = F->SortAggregate;
    N->Limit = expr(F->Limit);
    N->Body = stmt(F->Body);
    return N;
  }
  case Node::Kind::Break:
    return new (Ctx) BreakStmt(L);
  case Node::Kind::Continue:
    return new (Ctx) ContinueStmt(L);
  case Node::Kind::Next:
    return new (Ctx) NextStmt(L);
  case Node::Kind::Return:
    return new (Ctx) ReturnStmt(L, expr(cast<ReturnStmt>(S)->getValue()));
  case Node::Kind::Delete:
    return new (Ctx) DeleteStmt(L, expr(cast<DeleteStmt>(S)->getTarget()));
  case Node::Kind::Try: {
    auto *T = cast<TryStmt>(S);
    return new (Ctx) TryStmt(L, block(T->getTryBlock()), sym(T->getCatchVar()),
                             block(T->getCatchBlock()));
  }
  default:
    break;
  }
  llvm_unreachable("not a statement");
}

} // namespace

Stmt *stapc::cloneStmt(ASTContext &Ctx, Stmt *S) { return Cloner(Ctx).stmt(S); }
Expr *stapc::cloneExpr(ASTContext &Ctx, Expr *E) { return Cloner(Ctx).expr(E); }
Stmt *stapc::cloneStmt(ASTContext &Ctx, Stmt *S, ExprRewrite Rewrite) {
  return Cloner(Ctx, Rewrite).stmt(S);
}
