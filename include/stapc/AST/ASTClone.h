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

/// Returns the replacement of an expression in a copy, or null to copy it.
using ExprSubstitution = llvm::function_ref<Expr *(Expr *)>;

/// cloneStmt, except that each expression for which Substitute returns a
/// replacement is replaced by it (not copied, not visited further): a
/// rewrite of some nodes of a body that leaves the original intact.
Stmt *cloneStmtSubstituting(ASTContext &Ctx, Stmt *S,
                            ExprSubstitution Substitute);

} // namespace stapc

#endif
