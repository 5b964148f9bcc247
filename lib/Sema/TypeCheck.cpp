//===- TypeCheck.cpp - Type inference to a fixed point --------------------===//
//
// Types flow both ways through assignments, calls and array keys, so the
// pass repeats until nothing changes, then reports whatever stayed unknown.
//
//===----------------------------------------------------------------------===//
#include "SemaImpl.h"

#include "stapc/AST/ASTVisitor.h"
#include "stapc/Sema/Builtins.h"

using namespace stapc;

namespace {

/// Why a formatted-later value has no text in the probe, and what to do.
std::string formattedLaterHint(TypeKind T) {
  std::string Source = spelling(T).str();
  Source.resize(Source.find(' ')); // "symname()"
  std::string Text = "; the text of " + Source + " is made by stapc-run when "
                     "it is printed, so the probe cannot use it as a string: "
                     "print it (print, printf \"%s\"";
  if (T == TypeKind::KStack)
    Text += ", print_stack";
  if (T == TypeKind::UStack)
    Text += ", print_ustack";
  Text += ") or keep it as an array key or value";
  if (T == TypeKind::SymName || T == TypeKind::SymData ||
      T == TypeKind::USymName || T == TypeKind::USymData)
    Text += "; to compare or build text, use the address (a long)";
  return Text;
}

class TypeInference : public RecursiveVisitor<TypeInference> {
public:
  TypeInference(SemaImpl &S, FunctionDecl *Fn) : S(S), Fn(Fn) {}
  bool Changed = false;
  bool Report = false; // last round: report conflicts once

  /// Merge T into Slot. Conflicts are reported in the reporting round only.
  void unify(TypeKind &Slot, TypeKind T, SMLoc Loc, const llvm::Twine &What) {
    if (T == TypeKind::Unknown || Slot == T)
      return;
    if (Slot == TypeKind::Unknown) {
      Slot = T;
      Changed = true;
      return;
    }
    if (Report && firstAt(Loc))
      S.Diags.error(Loc, mismatch(What + " is " + spelling(Slot) +
                                      ", used as " + spelling(T),
                                  Slot, T));
  }

  /// A type mismatch message; a formatted-later value used as a string
  /// says why its text is missing and what to do instead.
  static std::string mismatch(const llvm::Twine &Msg, TypeKind A, TypeKind B) {
    std::string Text = ("semantic error: type mismatch: " + Msg).str();
    TypeKind Later = isFormattedLater(A) ? A : B;
    TypeKind Other = Later == A ? B : A;
    if (isFormattedLater(Later) && Other == TypeKind::String)
      Text += formattedLaterHint(Later);
    return Text;
  }

  /// One type error per source position: a clash seen from both sides of
  /// an assignment or key would otherwise be reported several times.
  bool firstAt(SMLoc Loc) { return S.TypeErrorLocs.insert(Loc.getPointer()).second; }

  void setType(Expr *E, TypeKind T) {
    if (T != TypeKind::Unknown && E->getType() != T) {
      if (E->getType() == TypeKind::Unknown)
        Changed = true;
      E->setType(T);
    }
  }

  /// Require E to be of type T, pushing T into variables E reads.
  void expect(Expr *E, TypeKind T, const llvm::Twine &What) {
    if (!E)
      return;
    if (auto *Sym = llvm::dyn_cast<SymbolRef>(E))
      if (VarDecl *V = Sym->getDecl())
        unify(V->Ty, T, E->getLoc(), "'" + V->getName() + "'");
    if (auto *A = llvm::dyn_cast<ArrayIndex>(E))
      if (auto *Sym = llvm::dyn_cast<SymbolRef>(A->getBase()))
        if (VarDecl *V = Sym->getDecl())
          unify(V->Ty, T, E->getLoc(), "the values of '" + V->getName() + "'");
    if (auto *C = llvm::dyn_cast<FunctionCall>(E))
      if (FunctionDecl *F = C->getCallee())
        unify(F->ReturnType, T, E->getLoc(),
              "the result of '" + F->getName() + "'");
    TypeKind Cur = E->getType();
    if (Cur == TypeKind::Unknown)
      setType(E, T);
    else if (Cur != T && Report && T != TypeKind::Unknown && firstAt(E->getLoc()))
      S.Diags.error(E->getLoc(), mismatch(What + " must be " + spelling(T) +
                                              ", not " + spelling(Cur),
                                          Cur, T));
  }

  void visitIntegerLiteral(IntegerLiteral *E) { setType(E, TypeKind::Long); }
  void visitStringLiteral(StringLiteral *E) { setType(E, TypeKind::String); }

  void visitSymbolRef(SymbolRef *E) {
    VarDecl *V = E->getDecl();
    if (!V)
      return;
    if (V->Arity > 0 && Report)
      S.Diags.error(E->getLoc(), "array '" + V->getName() +
                                     "' used without an index");
    if (V->Arity < 0 && V->getVarKind() == VarDecl::Global)
      markArity(V, 0, E->getLoc());
    if (V->Ty != TypeKind::Stats)
      setType(E, V->Ty);
  }

  void markArity(VarDecl *V, int N, SMLoc Loc) {
    if (V->Arity < 0) {
      V->Arity = N;
      Changed = true;
      if (N > 0) {
        llvm::SmallVector<TypeKind, 4> K(N, TypeKind::Unknown);
        V->KeyTypes = S.Ctx.copyArray<TypeKind>(K);
      }
    } else if (V->Arity != N && Report) {
      S.Diags.error(Loc, "semantic error: '" + V->getName() + "' used with " +
                             llvm::Twine(N) + " index(es), elsewhere with " +
                             llvm::Twine(V->Arity));
    }
  }

  void keysOf(VarDecl *V, ArrayRef<Expr *> Keys, SMLoc Loc) {
    markArity(V, Keys.size(), Loc);
    if (V->Arity != int(Keys.size()))
      return;
    for (size_t I = 0; I < Keys.size(); ++I) {
      if (!Keys[I])
        continue; // '*' in a slice
      traverse(Keys[I]);
      TypeKind &Slot = V->KeyTypes[I];
      unify(Slot, Keys[I]->getType(), Keys[I]->getLoc(),
            "key " + llvm::Twine(I + 1) + " of '" + V->getName() + "'");
      expect(Keys[I], Slot, "key " + llvm::Twine(I + 1));
    }
  }

  void visitArrayIndex(ArrayIndex *E) {
    auto *Sym = llvm::dyn_cast<SymbolRef>(E->getBase());
    if (!Sym || !Sym->getDecl()) {
      traverse(E->getBase());
      for (Expr *I : E->getIndices())
        traverse(I);
      setType(E, TypeKind::Long); // histogram bucket
      return;
    }
    VarDecl *V = Sym->getDecl();
    keysOf(V, E->getIndices(), E->getLoc());
    if (V->Ty != TypeKind::Stats)
      setType(E, V->Ty);
    else
      E->setType(TypeKind::Stats);
  }

  void visitInExpr(InExpr *E) {
    setType(E, TypeKind::Long);
    if (auto *Sym = llvm::dyn_cast<SymbolRef>(E->getArray()))
      if (VarDecl *V = Sym->getDecl())
        keysOf(V, E->getKeys(), E->getLoc());
  }

  void visitFunctionCall(FunctionCall *E) {
    for (Expr *A : E->getArgs())
      traverse(A);
    if (FunctionDecl *F = E->getCallee()) {
      std::vector<VarDecl *> &Ps = S.Params[F];
      for (size_t I = 0; I < Ps.size() && I < E->getArgs().size(); ++I) {
        Expr *A = E->getArgs()[I];
        unify(Ps[I]->Ty, A->getType(), A->getLoc(),
              "parameter '" + Ps[I]->getName() + "' of '" + F->getName() + "'");
        expect(A, Ps[I]->Ty, "argument " + llvm::Twine(I + 1));
      }
      setType(E, F->ReturnType);
      return;
    }
    const BuiltinInfo *B = lookupBuiltin(E->getName());
    if (!B)
      return;
    if (!B->Variadic)
      for (size_t I = 0; I < B->Params.size() && I < E->getArgs().size(); ++I)
        expect(E->getArgs()[I], B->Params[I],
               "argument " + llvm::Twine(I + 1) + " of '" + B->Name + "'");
    if ((B->ID == BuiltinID::Printf || B->ID == BuiltinID::Sprintf) &&
        !E->getArgs().empty())
      expect(E->getArgs()[0], TypeKind::String, "the format of 'printf'");
    setType(E, B->Return);
  }

  void visitUnaryExpr(UnaryExpr *E) {
    traverse(E->getOperand());
    expect(E->getOperand(), TypeKind::Long, "the operand of '" +
                                                spelling(E->getOp()) + "'");
    setType(E, TypeKind::Long);
  }
  void visitPostfixExpr(PostfixExpr *E) {
    traverse(E->getOperand());
    expect(E->getOperand(), TypeKind::Long, "the operand of '" +
                                                spelling(E->getOp()) + "'");
    setType(E, TypeKind::Long);
  }

  void visitBinaryExpr(BinaryExpr *E) {
    traverse(E->getLHS());
    traverse(E->getRHS());
    BinaryOp Op = E->getOp();
    std::string What = ("an operand of '" + spelling(Op) + "'").str();
    switch (Op) {
    case BinaryOp::Concat:
      expect(E->getLHS(), TypeKind::String, What);
      expect(E->getRHS(), TypeKind::String, What);
      setType(E, TypeKind::String);
      return;
    case BinaryOp::RegexMatch:
    case BinaryOp::RegexNoMatch:
      expect(E->getLHS(), TypeKind::String, What);
      expect(E->getRHS(), TypeKind::String, What);
      setType(E, TypeKind::Long);
      return;
    case BinaryOp::LT: case BinaryOp::GT: case BinaryOp::LE:
    case BinaryOp::GE: case BinaryOp::EQ: case BinaryOp::NE: {
      // Both sides share one type, long or string.
      TypeKind T = E->getLHS()->getType();
      if (T == TypeKind::Unknown)
        T = E->getRHS()->getType();
      expect(E->getLHS(), T, What);
      expect(E->getRHS(), T, What);
      setType(E, TypeKind::Long);
      checkFormattedLaterComparison(E, T);
      return;
    }
    default:
      expect(E->getLHS(), TypeKind::Long, What);
      expect(E->getRHS(), TypeKind::Long, What);
      setType(E, TypeKind::Long);
      return;
    }
  }

  /// Two backtraces are equal exactly when their stack ids are (the stack
  /// map keeps one id per distinct stack); anything else would compare
  /// numbers where stap compares text.
  void checkFormattedLaterComparison(BinaryExpr *E, TypeKind T) {
    if (!Report || !isFormattedLater(T))
      return;
    bool Equality = E->getOp() == BinaryOp::EQ || E->getOp() == BinaryOp::NE;
    if (Equality && (T == TypeKind::KStack || T == TypeKind::UStack))
      return;
    if (firstAt(E->getLoc()))
      S.Diags.error(E->getLoc(), "semantic error: cannot compare with '" +
                                     spelling(E->getOp()) + "': its operands "
                                     "are " + spelling(T) + "s" +
                                     formattedLaterHint(T));
  }

  void visitAssignExpr(AssignExpr *E) {
    traverse(E->getLHS());
    traverse(E->getRHS());
    switch (E->getOp()) {
    case AssignOp::Assign: {
      TypeKind T = E->getLHS()->getType();
      if (T == TypeKind::Unknown)
        T = E->getRHS()->getType();
      expect(E->getLHS(), T, "the target of '='");
      expect(E->getRHS(), T, "the value assigned");
      setType(E, T);
      return;
    }
    case AssignOp::ConcatAssign:
      expect(E->getLHS(), TypeKind::String, "the target of '.='");
      expect(E->getRHS(), TypeKind::String, "the operand of '.='");
      setType(E, TypeKind::String);
      return;
    case AssignOp::Aggregate:
      expect(E->getLHS(), TypeKind::Stats, "the target of '<<<'");
      expect(E->getRHS(), TypeKind::Long, "the value of '<<<'");
      setType(E, TypeKind::Long);
      return;
    default:
      expect(E->getLHS(), TypeKind::Long,
             "the target of '" + spelling(E->getOp()) + "'");
      expect(E->getRHS(), TypeKind::Long,
             "the operand of '" + spelling(E->getOp()) + "'");
      setType(E, TypeKind::Long);
      return;
    }
  }

  void visitTernaryExpr(TernaryExpr *E) {
    traverse(E->getCond());
    traverse(E->getThen());
    traverse(E->getElse());
    expect(E->getCond(), TypeKind::Long, "a condition");
    TypeKind T = E->getThen()->getType();
    if (T == TypeKind::Unknown)
      T = E->getElse()->getType();
    expect(E->getThen(), T, "a branch of '?:'");
    expect(E->getElse(), T, "a branch of '?:'");
    setType(E, T);
  }

  void visitStatExtractExpr(StatExtractExpr *E) {
    traverse(E->getOperand());
    for (Expr *P : E->getParams()) {
      traverse(P);
      expect(P, TypeKind::Long, "a histogram parameter");
    }
    Expr *Op = E->getOperand();
    VarDecl *V = nullptr;
    if (auto *Sym = llvm::dyn_cast<SymbolRef>(Op))
      V = Sym->getDecl();
    else if (auto *A = llvm::dyn_cast<ArrayIndex>(Op))
      if (auto *Sym = llvm::dyn_cast<SymbolRef>(A->getBase()))
        V = Sym->getDecl();
    if (V)
      unify(V->Ty, TypeKind::Stats, Op->getLoc(), "'" + V->getName() + "'");
    setType(E, TypeKind::Long);
  }

  void visitTargetExprCommon(TargetExpr *E) {
    traverseComponents(E);
    // Integers, pointers and arrays read as longs, as in stap; `$var$`
    // and the `$$vars` family are their text.
    auto *Sym = llvm::dyn_cast<TargetSymbolExpr>(E);
    bool Text = E->getPrettyPrint() || (Sym && Sym->isContextList());
    setType(E, Text ? TypeKind::String : TypeKind::Long);
  }
  void visitTargetSymbolExpr(TargetSymbolExpr *E) { visitTargetExprCommon(E); }
  void visitDefinedExpr(DefinedExpr *E) {
    traverse(E->getOperand());
    setType(E, TypeKind::Long);
  }
  void visitAtVarExpr(AtVarExpr *E) { visitTargetExprCommon(E); }
  void visitAutocastExpr(AutocastExpr *E) {
    traverse(E->getOperand());
    expect(E->getOperand(), TypeKind::Long, "the pointer before '->'");
    visitTargetExprCommon(E);
  }
  void visitCastExpr(CastExpr *E) {
    traverse(E->getOperand());
    expect(E->getOperand(), TypeKind::Long, "the pointer given to @cast");
    visitTargetExprCommon(E);
  }

  void visitIfStmt(IfStmt *St) {
    RecursiveVisitor::visitIfStmt(St);
    expect(St->getCond(), TypeKind::Long, "a condition");
  }
  void visitWhileStmt(WhileStmt *St) {
    RecursiveVisitor::visitWhileStmt(St);
    expect(St->getCond(), TypeKind::Long, "a condition");
  }
  void visitForStmt(ForStmt *St) {
    RecursiveVisitor::visitForStmt(St);
    if (St->getCond())
      expect(St->getCond(), TypeKind::Long, "a condition");
  }

  void visitForeachStmt(ForeachStmt *F) {
    auto *Sym = llvm::dyn_cast_or_null<SymbolRef>(F->Array);
    VarDecl *V = Sym ? Sym->getDecl() : nullptr;
    if (llvm::isa_and_nonnull<StatExtractExpr>(F->Array)) {
      // Buckets of a histogram: the key is the bucket number, the value
      // its count (ForeachCheck.cpp refuses more keys).
      traverse(F->Array);
      llvm::SmallVector<SymbolRef *, 2> Vars(F->Keys.begin(), F->Keys.end());
      Vars.push_back(F->ValueVar);
      for (SymbolRef *R : Vars)
        if (VarDecl *D = R ? R->getDecl() : nullptr) {
          unify(D->Ty, TypeKind::Long, R->getLoc(), "'" + D->getName() + "'");
          setType(R, D->Ty);
        }
    }
    if (V) {
      markArity(V, F->Keys.size(), F->getLoc());
      if (V->Arity == int(F->Keys.size()))
        for (size_t I = 0; I < F->Keys.size(); ++I)
          if (VarDecl *K = F->Keys[I]->getDecl()) {
            unify(K->Ty, V->KeyTypes[I], F->Keys[I]->getLoc(), "'" + K->getName() + "'");
            unify(V->KeyTypes[I], K->Ty, F->Keys[I]->getLoc(),
                  "key " + llvm::Twine(I + 1) + " of '" + V->getName() + "'");
            setType(F->Keys[I], K->Ty);
          }
      if (F->ValueVar)
        if (VarDecl *VV = F->ValueVar->getDecl()) {
          TypeKind ElemT = V->Ty == TypeKind::Stats ? TypeKind::Unknown : V->Ty;
          unify(VV->Ty, ElemT, F->ValueVar->getLoc(), "'" + VV->getName() + "'");
          unify(V->Ty, VV->Ty, F->ValueVar->getLoc(), "the values of '" + V->getName() + "'");
        }
    }
    for (size_t I = 0; I < F->Slice.size(); ++I) {
      if (!F->Slice[I])
        continue;
      traverse(F->Slice[I]);
      if (V && V->Arity == int(F->Slice.size()))
        expect(F->Slice[I], V->KeyTypes[I],
               "key " + llvm::Twine(I + 1) + " of '" + V->getName() + "'");
    }
    if (F->Limit) {
      traverse(F->Limit);
      expect(F->Limit, TypeKind::Long, "a foreach limit");
    }
    traverse(F->Body);
  }

  void visitDeleteStmt(DeleteStmt *St) {
    // `delete arr` names a whole array, without an index.
    if (auto *Sym = llvm::dyn_cast<SymbolRef>(St->getTarget()))
      if (VarDecl *V = Sym->getDecl(); V && V->Arity > 0)
        return;
    traverse(St->getTarget());
  }

  void visitTryStmt(TryStmt *St) {
    if (SymbolRef *V = St->getCatchVar())
      if (VarDecl *D = V->getDecl()) {
        unify(D->Ty, TypeKind::String, V->getLoc(),
              "the catch variable '" + D->getName() + "'");
        setType(V, D->Ty);
      }
    traverse(St->getTryBlock());
    traverse(St->getCatchBlock());
  }

  void visitReturnStmt(ReturnStmt *St) {
    traverse(St->getValue());
    if (!Fn) {
      if (Report)
        S.Diags.error(St->getLoc(), "'return' outside a function; use 'next' "
                                    "to leave a probe");
      return;
    }
    if (St->getValue()) {
      unify(Fn->ReturnType, St->getValue()->getType(), St->getLoc(),
            "the result of '" + Fn->getName() + "'");
      expect(St->getValue(), Fn->ReturnType, "the returned value");
    }
  }

private:
  SemaImpl &S;
  FunctionDecl *Fn;
};

} // namespace

bool SemaImpl::inferTypes() {
  auto RunAll = [&](bool Report) {
    bool Changed = false;
    for (GlobalDecl *G : Prog.Globals)
      if (G->Init) {
        TypeInference TI(*this, nullptr);
        TI.Report = Report;
        TI.traverse(G->Init);
        TI.unify(G->getVar().Ty, G->Init->getType(), G->getLoc(),
                 "'" + G->getName() + "'");
        Changed |= TI.Changed;
      }
    for (FunctionDecl *F : Prog.Functions) {
      TypeInference TI(*this, F);
      TI.Report = Report;
      TI.traverse(F->Body);
      Changed |= TI.Changed;
    }
    llvm::DenseSet<BlockStmt *> Seen;
    for (ProbeInstance &P : Prog.Probes) {
      if (!Seen.insert(P.Body).second)
        continue;
      TypeInference TI(*this, nullptr);
      TI.Report = Report;
      TI.traverse(P.Body);
      Changed |= TI.Changed;
    }
    return Changed;
  };
  for (int Round = 0; Round < 64 && RunAll(false); ++Round)
    ;
  RunAll(true);
  return !Diags.hasErrors();
}

void SemaImpl::checkResolved() {
  for (GlobalDecl *G : Prog.Globals) {
    VarDecl &V = G->getVar();
    if (V.Arity < 0)
      continue; // never used
    if (V.Ty == TypeKind::Unknown)
      Diags.error(G->getLoc(), "semantic error: cannot infer the type of "
                               "global '" + G->getName() + "'");
    if (G->Init && V.Arity > 0)
      Diags.error(G->Init->getLoc(),
                  "semantic error: '" + G->getName() +
                      "' has an initial value, so it is a scalar, but it is "
                      "used as an array; remove the initial value or the "
                      "indexes");
    for (TypeKind K : V.KeyTypes)
      if (K == TypeKind::Unknown)
        Diags.error(G->getLoc(), "semantic error: cannot infer the key types "
                                 "of '" + G->getName() + "'");
  }
  for (FunctionDecl *F : Prog.Functions)
    if (F->ReturnType == TypeKind::Unknown)
      F->ReturnType = TypeKind::Void;
  auto CheckLocals = [&](ArrayRef<VarDecl *> Locals) {
    for (VarDecl *V : Locals)
      if (V->Ty == TypeKind::Unknown)
        Diags.error(V->getLoc(), "semantic error: cannot infer the type of '" +
                                     V->getName() + "'");
  };
  for (ProbeInstance &P : Prog.Probes)
    CheckLocals(P.Locals);
  for (auto &L : Prog.FunctionLocals)
    CheckLocals(L);
  for (FunctionDecl *F : Prog.Functions)
    CheckLocals(Params[F]);
}
