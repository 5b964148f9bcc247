//===- ASTPrinter.h - Print the AST as canonical stap source ---*- C++ -*-===//
//
// The canonical form is ordinary SystemTap source: two-space indentation,
// one statement per line, every expression statement ended by ';', and
// parentheses wherever precedence (or a doubt about it) requires them.
// Parsing the output again gives a structurally equal tree, and printing
// that tree gives the same text (see ASTEquality.h and --check-roundtrip).
//
//===----------------------------------------------------------------------===//
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

/// Print S as a double-quoted stap string literal, escaping every byte that
/// the lexer would not read back as itself.
void printQuotedString(llvm::raw_ostream &OS, StringRef S);

} // namespace stapc

#endif
