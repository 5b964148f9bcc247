//===- ASTPrinter.h - Print the AST as canonical stap source ---*- C++ -*-===//
#ifndef STAPC_AST_ASTPRINTER_H
#define STAPC_AST_ASTPRINTER_H

#include "stapc/AST/AST.h"

#include "llvm/Support/raw_ostream.h"

namespace stapc {

/// Print a whole file in canonical SystemTap syntax (what `stapc -p1`
/// shows). Parsing the output again gives the same tree.
void printScript(llvm::raw_ostream &OS, const ScriptFile &F);
void printDecl(llvm::raw_ostream &OS, Decl *D);
void printStmt(llvm::raw_ostream &OS, Stmt *S, unsigned Indent = 0);
void printExpr(llvm::raw_ostream &OS, Expr *E);
void printProbePoint(llvm::raw_ostream &OS, const ProbePoint &P);

} // namespace stapc

#endif
