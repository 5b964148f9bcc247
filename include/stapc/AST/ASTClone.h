//===- ASTClone.h - Deep copies of statements and expressions --*- C++ -*-===//
#ifndef STAPC_AST_ASTCLONE_H
#define STAPC_AST_ASTCLONE_H

#include "stapc/AST/AST.h"

#include "llvm/ADT/STLFunctionalExtras.h"

namespace stapc {

class ASTContext;

/// A deep copy of S in Ctx with the same locations, and with name bindings
/// and types cleared so that Sema can resolve the copy in its own scope.
/// Probe bodies are cloned when one body is used in several scopes (a probe
/// alias body shared by several probes, a user body under several aliases).
Stmt *cloneStmt(ASTContext &Ctx, Stmt *S);
Expr *cloneExpr(ASTContext &Ctx, Expr *E);

/// A hook of cloneStmt: the replacement for expression E in the copy, or
/// null to copy E as usual. CloneChild copies one of E's sub-expressions
/// (rewriting it too).
using ExprRewrite = llvm::function_ref<Expr *(
    Expr *E, llvm::function_ref<Expr *(Expr *)> CloneChild)>;

/// cloneStmt, with some expressions replaced (Sema's desugaring of
/// probe-specific forms such as a procfs probe's `$value`).
Stmt *cloneStmt(ASTContext &Ctx, Stmt *S, ExprRewrite Rewrite);

} // namespace stapc

#endif
