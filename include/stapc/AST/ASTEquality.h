//===- ASTEquality.h - Structural comparison of syntax trees ---*- C++ -*-===//
//
// Two trees are equal when they have the same node kinds, operators, names,
// literal values, flags and children in the same order. Source locations
// and everything Sema fills in (types, resolved declarations) are ignored,
// so a tree re-parsed from printed output compares equal to the original.
//
//===----------------------------------------------------------------------===//
#ifndef STAPC_AST_ASTEQUALITY_H
#define STAPC_AST_ASTEQUALITY_H

#include "stapc/AST/AST.h"

#include <string>

namespace stapc {

/// Compare two files' declarations. On mismatch, if Why is given, it
/// receives a description of the first difference: where it is (decl,
/// statement path) and both sides printed as source.
bool equalScripts(const ScriptFile &A, const ScriptFile &B,
                  std::string *Why = nullptr);
bool equalDecls(const Decl *A, const Decl *B, std::string *Why = nullptr);
bool equalStmts(const Stmt *A, const Stmt *B, std::string *Why = nullptr);
bool equalExprs(const Expr *A, const Expr *B, std::string *Why = nullptr);

} // namespace stapc

#endif
