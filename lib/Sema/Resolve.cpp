//===- Resolve.cpp - Bind names to globals, locals and functions ----------===//
//
// SystemTap has no local declarations: a name that is not a global, a
// parameter or a function is a local of the enclosing probe or function,
// created on first use. Arrays and statistics must be global.
//
//===----------------------------------------------------------------------===//
#include "SemaImpl.h"

#include "stapc/AST/ASTVisitor.h"
#include "stapc/Sema/Builtins.h"

using namespace stapc;

void SemaImpl::collectDeclarations() {
  // The user script's declarations win over tapset ones with the same name;
  // Files[0] is the user script.
  for (unsigned FileIdx = 0; FileIdx < Ctx.Files.size(); ++FileIdx) {
    ScriptFile &F = Ctx.Files[FileIdx];
    for (Decl *D : F.Decls) {
      FileOf[D] = FileIdx;
      if (llvm::isa<EmbeddedDecl>(D) && !F.IsTapset) {
        Diags.error(D->getLoc(), "semantic error: embedded C code is refused: "
                                 "stapc translates only the script language "
                                 "and never compiles or runs C from a "
                                 "script, not even in guru mode (-g)");
        continue;
      }
      if (auto *A = llvm::dyn_cast<ProbeAliasDecl>(D)) {
        Aliases.push_back(A);
        continue;
      }
      if (auto *G = llvm::dyn_cast<GlobalDecl>(D)) {
        auto [It, Inserted] = Globals.try_emplace(G->getName(), G);
        if (!Inserted && !F.IsTapset) {
          Diags.error(G->getLoc(), "duplicate global '" + G->getName() + "'");
          Diags.note(It->second->getLoc(), "previous declaration is here");
        }
        if (Inserted)
          Prog.Globals.push_back(G);
      } else if (auto *Fn = llvm::dyn_cast<FunctionDecl>(D)) {
        auto &Overloads = Functions[Fn->getName()];
        for (FunctionDecl *Other : Overloads)
          if (Other->Params.size() == Fn->Params.size() && !F.IsTapset) {
            Diags.error(Fn->getLoc(), "duplicate function '" + Fn->getName() +
                                          "' with " +
                                          llvm::Twine(Fn->Params.size()) +
                                          " parameters");
            Diags.note(Other->getLoc(), "previous definition is here");
          }
        Overloads.push_back(Fn);
        std::vector<VarDecl *> &Ps = Params[Fn];
        for (ParamDecl &P : Fn->Params) {
          auto *V = new (Ctx.allocate(sizeof(VarDecl), alignof(VarDecl)))
              VarDecl(VarDecl::Param, P.Loc, P.Name);
          V->Ty = P.DeclaredType;
          V->Arity = 0;
          Ps.push_back(V);
        }
        Fn->ReturnType = Fn->DeclaredReturn;
      }
    }
  }
}

FunctionDecl *SemaImpl::findFunction(StringRef Name, size_t Arity) {
  auto It = Functions.find(Name);
  if (It == Functions.end())
    return nullptr;
  for (FunctionDecl *F : It->second)
    if (F->Params.size() == Arity)
      return F;
  return nullptr;
}

namespace {

class Resolver : public RecursiveVisitor<Resolver> {
public:
  Resolver(SemaImpl &S, BodyScope &Scope) : S(S), Scope(Scope) {}

  void visitSymbolRef(SymbolRef *E) { bind(E, /*AsArray=*/false); }

  void visitArrayIndex(ArrayIndex *E) {
    if (auto *Sym = llvm::dyn_cast<SymbolRef>(E->getBase()))
      bind(Sym, /*AsArray=*/true);
    else
      traverse(E->getBase());
    for (Expr *I : E->getIndices())
      traverse(I);
  }

  void visitInExpr(InExpr *E) {
    for (Expr *K : E->getKeys())
      traverse(K);
    if (auto *Sym = llvm::dyn_cast<SymbolRef>(E->getArray()))
      bind(Sym, /*AsArray=*/true);
    else
      S.Diags.error(E->getArray()->getLoc(), "'in' needs an array name");
  }

  void visitForeachStmt(ForeachStmt *F) {
    if (F->ValueVar)
      bind(F->ValueVar, false);
    for (SymbolRef *K : F->Keys)
      bind(K, false);
    if (auto *Sym = llvm::dyn_cast_or_null<SymbolRef>(F->Array))
      bind(Sym, /*AsArray=*/true);
    else
      traverse(F->Array);
    for (Expr *E : F->Slice)
      traverse(E);
    traverse(F->Limit);
    traverse(F->Body);
  }

  void visitFunctionCall(FunctionCall *E) {
    for (Expr *A : E->getArgs())
      traverse(A);
    if (FunctionDecl *F = S.findFunction(E->getName(), E->getArgs().size())) {
      E->setCallee(F);
      S.useDeclFrom(F);
      if (S.UsedFunctions.insert(F).second)
        S.Worklist.push_back(F);
      return;
    }
    if (const BuiltinInfo *B = lookupBuiltin(E->getName())) {
      if (!B->Variadic && B->Params.size() != E->getArgs().size())
        S.Diags.error(E->getLoc(), "function '" + E->getName() + "' takes " +
                                       llvm::Twine(B->Params.size()) +
                                       " argument(s), " +
                                       llvm::Twine(E->getArgs().size()) +
                                       " given");
      return;
    }
    if (S.Functions.count(E->getName())) {
      S.Diags.error(E->getLoc(), "no overload of function '" + E->getName() +
                                     "' takes " +
                                     llvm::Twine(E->getArgs().size()) +
                                     " argument(s)");
      return;
    }
    StringRef Name = E->getName();
    if (Name.starts_with("set_kernel_") || Name.starts_with("set_user_")) {
      // stap's guru-only memory writers: refused, never just "unknown".
      S.Diags.error(E->getLoc(),
                    "semantic error: '" + Name + "' writes " +
                        (Name.starts_with("set_kernel_") ? "kernel" : "user") +
                        " memory; stapc never writes kernel or user memory, "
                        "not even in guru mode (-g)");
      return;
    }
    S.Diags.error(E->getLoc(), "semantic error: unresolved function '" +
                                   E->getName() + "'");
  }

  void visitEmbeddedExpr(EmbeddedExpr *E) {
    S.Diags.error(E->getLoc(), "semantic error: embedded C code is refused: "
                               "stapc translates only the script language and "
                               "never compiles or runs C from a script, not "
                               "even in guru mode (-g)");
  }

  void visitAssignExpr(AssignExpr *E) {
    checkWritable(E->getLHS());
    RecursiveVisitor::visitAssignExpr(E);
  }
  void visitUnaryExpr(UnaryExpr *E) {
    if (E->getOp() == UnaryOp::PreInc || E->getOp() == UnaryOp::PreDec)
      checkWritable(E->getOperand());
    RecursiveVisitor::visitUnaryExpr(E);
  }
  void visitPostfixExpr(PostfixExpr *E) {
    checkWritable(E->getOperand());
    RecursiveVisitor::visitPostfixExpr(E);
  }

  /// Only script variables and array elements can be written. Kernel data
  /// (target variables, @cast) is read-only outside guru mode, and stapc
  /// does not write kernel memory at all.
  void checkWritable(Expr *E) {
    auto *A = llvm::dyn_cast<ArrayIndex>(E);
    if (A && llvm::isa<StatExtractExpr>(A->getBase())) {
      S.Diags.error(E->getLoc(), "semantic error: cannot assign to histogram "
                                 "buckets; they change only through '<<<' "
                                 "on the statistic");
      return;
    }
    if (llvm::isa<SymbolRef>(E) || A)
      return;
    if (llvm::isa<TargetExpr>(E)) {
      S.Diags.error(E->getLoc(), "semantic error: cannot write to kernel data "
                                 "('$var' and '@cast' values are read-only); "
                                 "copy the value into a script variable");
      return;
    }
    S.Diags.error(E->getLoc(), "semantic error: this expression cannot be "
                               "assigned to; only variables and array "
                               "elements can");
  }

  void visitTargetSymbolExpr(TargetSymbolExpr *E) {
    if (!Scope.Probe)
      S.Diags.error(E->getLoc(), "target variable '" + E->getName() +
                                     "' can only be used in a probe handler");
    traverseComponents(E);
  }

private:
  void bind(SymbolRef *E, bool AsArray) {
    StringRef Name = E->getName();
    if (auto It = Scope.Locals.find(Name); It != Scope.Locals.end()) {
      if (AsArray)
        S.Diags.error(E->getLoc(), "local variable '" + Name +
                                       "' cannot be used as an array; "
                                       "declare it with 'global " +
                                       Name + "[]'");
      E->setDecl(It->second);
      return;
    }
    if (auto It = S.Globals.find(Name); It != S.Globals.end()) {
      E->setDecl(&It->second->getVar());
      S.useDeclFrom(It->second);
      return;
    }
    if (AsArray) {
      S.Diags.error(E->getLoc(), "semantic error: unresolved array '" + Name +
                                     "': arrays must be declared with "
                                     "'global " + Name + "'");
      return;
    }
    auto *V = new (S.Ctx.allocate(sizeof(VarDecl), alignof(VarDecl)))
        VarDecl(VarDecl::Local, E->getLoc(), Name);
    V->Arity = 0;
    Scope.Locals[Name] = V;
    if (Scope.LocalList)
      Scope.LocalList->push_back(V);
    E->setDecl(V);
  }

  SemaImpl &S;
  BodyScope &Scope;
};

} // namespace

void SemaImpl::useDeclFrom(const Decl *D) {
  auto It = FileOf.find(D);
  if (It != FileOf.end() && Ctx.Files[It->second].IsTapset)
    UsedFiles.insert(It->second);
}

void SemaImpl::resolveBody(Node *Body, BodyScope &Scope) {
  Resolver(*this, Scope).traverse(Body);
}
