//===- ASTEquality.cpp - Structural comparison of syntax trees ------------===//
//
// A recursive comparison that stops at the first difference and remembers
// where it was (a path of "decl #2 > stmt #4 > rhs" steps) so that a
// round-trip failure points at the construct the printer or parser got
// wrong instead of just saying "different".
//
//===----------------------------------------------------------------------===//
#include "stapc/AST/ASTEquality.h"

#include "stapc/AST/ASTPrinter.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/raw_ostream.h"

using namespace stapc;
using llvm::cast;
using llvm::Twine;

namespace {

class Comparer {
public:
  bool files(const ScriptFile &A, const ScriptFile &B);
  bool decl(const Decl *A, const Decl *B);
  bool stmt(const Stmt *A, const Stmt *B);
  bool expr(const Expr *A, const Expr *B);

  /// Where the first difference was and what the two sides looked like.
  std::string describe() const;

private:
  // Descend into a named child; the path is kept only while comparing it.
  struct Step {
    Comparer &C;
    Step(Comparer &C, const Twine &Name) : C(C) { C.Path.push_back(Name.str()); }
    ~Step() {
      if (!C.Failed)
        C.Path.pop_back();
    }
  };

  bool fail(const Twine &What, const Node *A, const Node *B);
  bool failText(const Twine &What, const Twine &A, const Twine &B);

  template <typename T, typename Fn>
  bool lists(const Twine &Name, ArrayRef<T> A, ArrayRef<T> B, Fn Each);
  bool exprLists(const Twine &Name, ArrayRef<Expr *> A, ArrayRef<Expr *> B);
  bool exprChild(const char *Name, const Expr *A, const Expr *B) {
    Step S(*this, Name);
    return expr(A, B);
  }
  bool stmtChild(const char *Name, const Stmt *A, const Stmt *B) {
    Step S(*this, Name);
    return stmt(A, B);
  }

  bool exprFields(const Expr *A, const Expr *B);
  bool targetFields(const TargetExpr *A, const TargetExpr *B);
  bool stmtFields(const Stmt *A, const Stmt *B);
  bool foreachFields(const ForeachStmt *A, const ForeachStmt *B);
  bool probePoints(const Twine &Name, ArrayRef<ProbePoint> A,
                   ArrayRef<ProbePoint> B);
  bool functionFields(const FunctionDecl *A, const FunctionDecl *B);
  bool declFields(const Decl *A, const Decl *B);

  llvm::SmallVector<std::string, 8> Path;
  bool Failed = false;
  std::string What, LeftText, RightText;
};

} // namespace

//===----------------------------------------------------------------------===//
// Reporting
//===----------------------------------------------------------------------===//

static std::string printed(const Node *N) {
  if (!N)
    return "<none>";
  std::string S;
  llvm::raw_string_ostream OS(S);
  if (auto *E = llvm::dyn_cast<Expr>(N))
    printExpr(OS, const_cast<Expr *>(E));
  else if (auto *St = llvm::dyn_cast<Stmt>(N))
    printStmt(OS, const_cast<Stmt *>(St));
  else
    printDecl(OS, const_cast<Decl *>(cast<Decl>(N)));
  return S;
}

bool Comparer::fail(const Twine &Msg, const Node *A, const Node *B) {
  return failText(Msg, printed(A), printed(B));
}

bool Comparer::failText(const Twine &Msg, const Twine &A, const Twine &B) {
  if (!Failed) {
    Failed = true;
    What = Msg.str();
    LeftText = A.str();
    RightText = B.str();
  }
  return false;
}

std::string Comparer::describe() const {
  std::string S;
  llvm::raw_string_ostream OS(S);
  OS << "trees differ at ";
  for (size_t I = 0; I != Path.size(); ++I)
    OS << (I ? " > " : "") << Path[I];
  if (Path.empty())
    OS << "top level";
  OS << ": " << What << "\n--- first:\n" << LeftText;
  if (!StringRef(LeftText).ends_with("\n"))
    OS << '\n';
  OS << "+++ second:\n" << RightText;
  if (!StringRef(RightText).ends_with("\n"))
    OS << '\n';
  return S;
}

template <typename T, typename Fn>
bool Comparer::lists(const Twine &Name, ArrayRef<T> A, ArrayRef<T> B, Fn Each) {
  if (A.size() != B.size())
    return failText(Name + " count differs", Twine(A.size()), Twine(B.size()));
  for (size_t I = 0; I != A.size(); ++I) {
    Step S(*this, Name + " #" + Twine(I + 1));
    if (!Each(A[I], B[I]))
      return false;
  }
  return true;
}

bool Comparer::exprLists(const Twine &Name, ArrayRef<Expr *> A,
                         ArrayRef<Expr *> B) {
  return lists(Name, A, B, [&](const Expr *X, const Expr *Y) { return expr(X, Y); });
}

//===----------------------------------------------------------------------===//
// Expressions
//===----------------------------------------------------------------------===//

bool Comparer::expr(const Expr *A, const Expr *B) {
  if (!A || !B)
    return A == B || fail("one side is missing", A, B);
  if (A->getKind() != B->getKind())
    return fail("node kinds differ", A, B);
  return exprFields(A, B) || fail("expressions differ", A, B);
}

bool Comparer::targetFields(const TargetExpr *A, const TargetExpr *B) {
  if (A->getPrettyPrint() != B->getPrettyPrint())
    return fail("trailing '$' count differs", A, B);
  auto SameComponent = [&](const TargetComponent &X, const TargetComponent &Y) {
    if (X.K != Y.K || X.Name != Y.Name)
      return failText("member component differs", X.Name, Y.Name);
    return expr(X.Index, Y.Index);
  };
  return lists<TargetComponent>("component", A->getComponents(),
                                B->getComponents(), SameComponent);
}

bool Comparer::exprFields(const Expr *A, const Expr *B) {
  switch (A->getKind()) {
  case Node::Kind::IntegerLiteral:
    return cast<IntegerLiteral>(A)->getValue() == cast<IntegerLiteral>(B)->getValue();
  case Node::Kind::StringLiteral:
    return cast<StringLiteral>(A)->getValue() == cast<StringLiteral>(B)->getValue();
  case Node::Kind::SymbolRef:
    return cast<SymbolRef>(A)->getName() == cast<SymbolRef>(B)->getName();
  case Node::Kind::ArrayIndex: {
    auto *X = cast<ArrayIndex>(A), *Y = cast<ArrayIndex>(B);
    return exprChild("base", X->getBase(), Y->getBase()) &&
           exprLists("index", X->getIndices(), Y->getIndices());
  }
  case Node::Kind::FunctionCall: {
    auto *X = cast<FunctionCall>(A), *Y = cast<FunctionCall>(B);
    return X->getName() == Y->getName() &&
           exprLists("argument", X->getArgs(), Y->getArgs());
  }
  case Node::Kind::Unary: {
    auto *X = cast<UnaryExpr>(A), *Y = cast<UnaryExpr>(B);
    return X->getOp() == Y->getOp() &&
           exprChild("operand", X->getOperand(), Y->getOperand());
  }
  case Node::Kind::Postfix: {
    auto *X = cast<PostfixExpr>(A), *Y = cast<PostfixExpr>(B);
    return X->getOp() == Y->getOp() &&
           exprChild("operand", X->getOperand(), Y->getOperand());
  }
  case Node::Kind::Binary: {
    auto *X = cast<BinaryExpr>(A), *Y = cast<BinaryExpr>(B);
    return X->getOp() == Y->getOp() && exprChild("lhs", X->getLHS(), Y->getLHS()) &&
           exprChild("rhs", X->getRHS(), Y->getRHS());
  }
  case Node::Kind::Assign: {
    auto *X = cast<AssignExpr>(A), *Y = cast<AssignExpr>(B);
    return X->getOp() == Y->getOp() && exprChild("lhs", X->getLHS(), Y->getLHS()) &&
           exprChild("rhs", X->getRHS(), Y->getRHS());
  }
  case Node::Kind::Ternary: {
    auto *X = cast<TernaryExpr>(A), *Y = cast<TernaryExpr>(B);
    return exprChild("condition", X->getCond(), Y->getCond()) &&
           exprChild("then", X->getThen(), Y->getThen()) &&
           exprChild("else", X->getElse(), Y->getElse());
  }
  case Node::Kind::In: {
    auto *X = cast<InExpr>(A), *Y = cast<InExpr>(B);
    return X->isBracketed() == Y->isBracketed() &&
           exprLists("key", X->getKeys(), Y->getKeys()) &&
           exprChild("array", X->getArray(), Y->getArray());
  }
  case Node::Kind::StatExtract: {
    auto *X = cast<StatExtractExpr>(A), *Y = cast<StatExtractExpr>(B);
    return X->getStatKind() == Y->getStatKind() &&
           exprChild("operand", X->getOperand(), Y->getOperand()) &&
           exprLists("parameter", X->getParams(), Y->getParams());
  }
  case Node::Kind::TargetSymbol:
    return cast<TargetSymbolExpr>(A)->getName() ==
               cast<TargetSymbolExpr>(B)->getName() &&
           targetFields(cast<TargetExpr>(A), cast<TargetExpr>(B));
  case Node::Kind::Cast: {
    auto *X = cast<CastExpr>(A), *Y = cast<CastExpr>(B);
    return X->getTypeName() == Y->getTypeName() &&
           X->hasModule() == Y->hasModule() && X->getModule() == Y->getModule() &&
           exprChild("operand", X->getOperand(), Y->getOperand()) &&
           targetFields(X, Y);
  }
  case Node::Kind::AtVar: {
    auto *X = cast<AtVarExpr>(A), *Y = cast<AtVarExpr>(B);
    return X->getVarName() == Y->getVarName() &&
           X->hasModule() == Y->hasModule() && X->getModule() == Y->getModule() &&
           targetFields(X, Y);
  }
  case Node::Kind::Autocast: {
    auto *X = cast<AutocastExpr>(A), *Y = cast<AutocastExpr>(B);
    return exprChild("operand", X->getOperand(), Y->getOperand()) &&
           targetFields(X, Y);
  }
  case Node::Kind::Entry:
    return exprChild("operand", cast<EntryExpr>(A)->getOperand(),
                     cast<EntryExpr>(B)->getOperand());
  case Node::Kind::Defined:
    return exprChild("operand", cast<DefinedExpr>(A)->getOperand(),
                     cast<DefinedExpr>(B)->getOperand());
  case Node::Kind::AtFunction: {
    auto *X = cast<AtFunctionExpr>(A), *Y = cast<AtFunctionExpr>(B);
    return X->getName() == Y->getName() &&
           exprLists("argument", X->getArgs(), Y->getArgs());
  }
  case Node::Kind::EmbeddedExpr:
    return cast<EmbeddedExpr>(A)->getCode() == cast<EmbeddedExpr>(B)->getCode();
  default:
    return false;
  }
}

//===----------------------------------------------------------------------===//
// Statements
//===----------------------------------------------------------------------===//

bool Comparer::stmt(const Stmt *A, const Stmt *B) {
  if (!A || !B)
    return A == B || fail("one side is missing", A, B);
  if (A->getKind() != B->getKind())
    return fail("statement kinds differ", A, B);
  return stmtFields(A, B) || fail("statements differ", A, B);
}

bool Comparer::foreachFields(const ForeachStmt *A, const ForeachStmt *B) {
  auto SameName = [&](const SymbolRef *X, const SymbolRef *Y) { return expr(X, Y); };
  if (A->KeysBracketed != B->KeysBracketed || A->SortColumn != B->SortColumn ||
      A->SortDir != B->SortDir || A->HasSortAggregate != B->HasSortAggregate ||
      (A->HasSortAggregate && A->SortAggregate != B->SortAggregate))
    return fail("foreach header differs", A, B);
  return exprChild("value variable", A->ValueVar, B->ValueVar) &&
         lists<SymbolRef *>("key", A->Keys, B->Keys, SameName) &&
         exprChild("array", A->Array, B->Array) &&
         exprLists("slice", A->Slice, B->Slice) &&
         exprChild("limit", A->Limit, B->Limit) &&
         stmtChild("body", A->Body, B->Body);
}

bool Comparer::stmtFields(const Stmt *A, const Stmt *B) {
  switch (A->getKind()) {
  case Node::Kind::Block:
    return lists<Stmt *>("stmt", cast<BlockStmt>(A)->getBody(),
                         cast<BlockStmt>(B)->getBody(),
                         [&](const Stmt *X, const Stmt *Y) { return stmt(X, Y); });
  case Node::Kind::Null:
  case Node::Kind::Break:
  case Node::Kind::Continue:
  case Node::Kind::Next:
    return true;
  case Node::Kind::ExprStmt:
    return exprChild("expression", cast<ExprStmt>(A)->getExpr(),
                     cast<ExprStmt>(B)->getExpr());
  case Node::Kind::If: {
    auto *X = cast<IfStmt>(A), *Y = cast<IfStmt>(B);
    return exprChild("condition", X->getCond(), Y->getCond()) &&
           stmtChild("then", X->getThen(), Y->getThen()) &&
           stmtChild("else", X->getElse(), Y->getElse());
  }
  case Node::Kind::While: {
    auto *X = cast<WhileStmt>(A), *Y = cast<WhileStmt>(B);
    return exprChild("condition", X->getCond(), Y->getCond()) &&
           stmtChild("body", X->getBody(), Y->getBody());
  }
  case Node::Kind::For: {
    auto *X = cast<ForStmt>(A), *Y = cast<ForStmt>(B);
    return exprChild("init", X->getInit(), Y->getInit()) &&
           exprChild("condition", X->getCond(), Y->getCond()) &&
           exprChild("increment", X->getIncr(), Y->getIncr()) &&
           stmtChild("body", X->getBody(), Y->getBody());
  }
  case Node::Kind::Foreach:
    return foreachFields(cast<ForeachStmt>(A), cast<ForeachStmt>(B));
  case Node::Kind::Return:
    return exprChild("value", cast<ReturnStmt>(A)->getValue(),
                     cast<ReturnStmt>(B)->getValue());
  case Node::Kind::Delete:
    return exprChild("target", cast<DeleteStmt>(A)->getTarget(),
                     cast<DeleteStmt>(B)->getTarget());
  case Node::Kind::Try: {
    auto *X = cast<TryStmt>(A), *Y = cast<TryStmt>(B);
    return stmtChild("try", X->getTryBlock(), Y->getTryBlock()) &&
           exprChild("catch variable", X->getCatchVar(), Y->getCatchVar()) &&
           stmtChild("catch", X->getCatchBlock(), Y->getCatchBlock());
  }
  default:
    return false;
  }
}

//===----------------------------------------------------------------------===//
// Declarations
//===----------------------------------------------------------------------===//

bool Comparer::probePoints(const Twine &Name, ArrayRef<ProbePoint> A,
                           ArrayRef<ProbePoint> B) {
  auto SameComponent = [&](const ProbePointComponent &X,
                           const ProbePointComponent &Y) {
    if (X.Name != Y.Name)
      return failText("probe point component differs", X.Name, Y.Name);
    return exprChild("argument", X.Arg, Y.Arg);
  };
  auto SamePoint = [&](const ProbePoint &X, const ProbePoint &Y) {
    if (X.Optional != Y.Optional || X.Sufficient != Y.Sufficient)
      return failText("'?'/'!' marks differ", "", "");
    return lists<ProbePointComponent>("component", X.Components, Y.Components,
                                      SameComponent) &&
           exprChild("condition", X.Condition, Y.Condition);
  };
  return lists<ProbePoint>(Name, A, B, SamePoint);
}

bool Comparer::functionFields(const FunctionDecl *A, const FunctionDecl *B) {
  auto SameParam = [&](const ParamDecl &X, const ParamDecl &Y) {
    if (X.Name != Y.Name || X.DeclaredType != Y.DeclaredType)
      return failText("parameter differs", X.Name, Y.Name);
    return true;
  };
  if (A->getName() != B->getName() || A->DeclaredReturn != B->DeclaredReturn ||
      A->IsEmbedded != B->IsEmbedded || A->EmbeddedCode != B->EmbeddedCode)
    return false;
  return lists<ParamDecl>("parameter", A->Params, B->Params, SameParam) &&
         stmtChild("body", A->Body, B->Body);
}

bool Comparer::declFields(const Decl *A, const Decl *B) {
  switch (A->getKind()) {
  case Node::Kind::Probe: {
    auto *X = cast<ProbeDecl>(A), *Y = cast<ProbeDecl>(B);
    return probePoints("probe point", X->getPoints(), Y->getPoints()) &&
           stmtChild("body", X->getBody(), Y->getBody());
  }
  case Node::Kind::ProbeAlias: {
    auto *X = cast<ProbeAliasDecl>(A), *Y = cast<ProbeAliasDecl>(B);
    return X->isEpilogue() == Y->isEpilogue() &&
           probePoints("alias name", X->getNames(), Y->getNames()) &&
           probePoints("probe point", X->getPoints(), Y->getPoints()) &&
           stmtChild("body", X->getBody(), Y->getBody()) &&
           stmtChild("epilogue body", X->getEpilogueBody(),
                     Y->getEpilogueBody());
  }
  case Node::Kind::Global: {
    auto *X = cast<GlobalDecl>(A), *Y = cast<GlobalDecl>(B);
    return X->getName() == Y->getName() && X->HasSize == Y->HasSize &&
           X->Size == Y->Size && X->Wrap == Y->Wrap &&
           exprChild("initializer", X->Init, Y->Init);
  }
  case Node::Kind::Function:
    return functionFields(cast<FunctionDecl>(A), cast<FunctionDecl>(B));
  case Node::Kind::Embedded:
    return cast<EmbeddedDecl>(A)->getCode() == cast<EmbeddedDecl>(B)->getCode();
  default:
    return false;
  }
}

bool Comparer::decl(const Decl *A, const Decl *B) {
  if (!A || !B)
    return A == B || fail("one side is missing", A, B);
  if (A->getKind() != B->getKind())
    return fail("declaration kinds differ", A, B);
  if (A->isPrivate() != B->isPrivate())
    return fail("'private' differs", A, B);
  return declFields(A, B) || fail("declarations differ", A, B);
}

bool Comparer::files(const ScriptFile &A, const ScriptFile &B) {
  return lists<Decl *>("decl", A.Decls, B.Decls,
                       [&](const Decl *X, const Decl *Y) { return decl(X, Y); });
}

//===----------------------------------------------------------------------===//
// Public entry points
//===----------------------------------------------------------------------===//

template <typename Fn> static bool runComparer(std::string *Why, Fn Compare) {
  Comparer C;
  if (Compare(C))
    return true;
  if (Why)
    *Why = C.describe();
  return false;
}

bool stapc::equalScripts(const ScriptFile &A, const ScriptFile &B,
                         std::string *Why) {
  return runComparer(Why, [&](Comparer &C) { return C.files(A, B); });
}

bool stapc::equalDecls(const Decl *A, const Decl *B, std::string *Why) {
  return runComparer(Why, [&](Comparer &C) { return C.decl(A, B); });
}

bool stapc::equalStmts(const Stmt *A, const Stmt *B, std::string *Why) {
  return runComparer(Why, [&](Comparer &C) { return C.stmt(A, B); });
}

bool stapc::equalExprs(const Expr *A, const Expr *B, std::string *Why) {
  return runComparer(Why, [&](Comparer &C) { return C.expr(A, B); });
}
