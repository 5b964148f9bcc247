//===- ParserImpl.h - Recursive-descent parser internals -------*- C++ -*-===//
//
// Private to lib/Parse. The grammar follows stap's own parser (langref
// chapters 3-9): one function per nonterminal, one token of lookahead.
//
// Error handling: a parse function that fails reports the problem and
// returns null (or false); the statement and declaration loops then skip to
// a recovery point, so one run reports several errors. Every path that
// reports an error either consumes a token or stops at a token that an
// enclosing loop consumes, so the parser cannot loop forever.
//
//===----------------------------------------------------------------------===//
#ifndef STAPC_LIB_PARSE_PARSERIMPL_H
#define STAPC_LIB_PARSE_PARSERIMPL_H

#include "stapc/AST/ASTContext.h"
#include "stapc/Basic/Diagnostic.h"
#include "stapc/Parse/Parser.h"

#include "llvm/ADT/SmallVector.h"

namespace stapc {

using llvm::cast;
using llvm::dyn_cast;
using llvm::isa;

class Parser {
public:
  Parser(Preprocessor &PP, ASTContext &Ctx, DiagnosticEngine &Diags,
         bool IsTapset);

  ScriptFile parseFile(StringRef FileName, unsigned BufferID);

  /// Nesting beyond this (parentheses, blocks, unary operators...) is
  /// rejected so that hostile input cannot overflow the stack.
  static constexpr unsigned MaxNestingDepth = 512;

private:
  //===--- Token stream (Parser.cpp) --------------------------------------===//
  bool is(TokenKind K) const { return Tok.Kind == K; }
  /// Advance to the next token; returns the location of the one consumed.
  SMLoc consume();
  bool tryConsume(TokenKind K);
  /// Consume a token of kind K or report "expected <What>, found ...".
  bool expect(TokenKind K, StringRef What);
  /// The text a token was written with (used to rebuild probe point names).
  static void appendSpelling(const Token &T, llvm::SmallVectorImpl<char> &Out);

  //===--- Diagnostics (Parser.cpp) ---------------------------------------===//
  void error(const Token &T, const llvm::Twine &Msg);
  void error(SMLoc Loc, const llvm::Twine &Msg);
  /// "expected <What>, found <current token>" at the current token.
  void errorExpected(StringRef What);
  /// A short description of the current token for "found ..." messages.
  std::string describe(const Token &T) const;

  //===--- Recovery (Parser.cpp) ------------------------------------------===//
  /// Skip the rest of a broken statement that began at StmtStart: through
  /// the next ';', through a balanced `{...}` group, or up to a '}', a
  /// top-level keyword, a statement keyword or the start of a line.
  void skipStatement(const char *StmtStart);
  bool startsLine(const Token &T) const;
  /// Skip to the next token that can start a top-level declaration.
  void skipToTopLevel(const char *FailedAt);
  void skipBalancedBraces();
  bool atTopLevelKeyword() const;

  /// Count one more level of nesting; past the limit, report once, abort
  /// the parse and return false.
  bool enterNesting();
  /// RAII nesting counter; reports once and aborts the parse when the
  /// limit is exceeded.
  class NestingScope {
  public:
    explicit NestingScope(Parser &P);
    ~NestingScope() { --P.Depth; }
    bool tooDeep() const { return TooDeep; }

  private:
    Parser &P;
    bool TooDeep;
  };

  //===--- Declarations (ParseDecl.cpp) -----------------------------------===//
  bool parseTopLevel(llvm::SmallVectorImpl<Decl *> &Decls);
  bool parsePrivate(llvm::SmallVectorImpl<Decl *> &Decls);
  bool parseGlobalNames(llvm::SmallVectorImpl<Decl *> &Decls, bool Private);
  FunctionDecl *parseFunction(bool Private);
  bool parseFunctionParams(llvm::SmallVectorImpl<ParamDecl> &Params);
  bool parseTypeSuffix(TypeKind &Ty);
  Decl *parseProbe();
  /// A literal in a declaration: "str" ["str"...] or [-]number.
  Expr *parseLiteral(StringRef Context);

  //===--- Probe points (ParseProbePoint.cpp) -----------------------------===//
  bool parseProbePointList(llvm::SmallVectorImpl<ProbePoint> &Points);
  bool parseProbePoint(ProbePoint &PP);
  bool parseProbePointComponent(ProbePointComponent &C);
  bool parseBraceGroupName(llvm::SmallVectorImpl<char> &Name);

  //===--- Statements (ParseStmt.cpp) -------------------------------------===//
  BlockStmt *parseBlock();
  Stmt *parseStatement();
  Stmt *parseStatementKind();
  Stmt *parseIf();
  Stmt *parseWhile();
  Stmt *parseFor();
  Stmt *parseForeach();
  bool parseForeachKeys(ForeachStmt *S, llvm::SmallVectorImpl<SymbolRef *> &Keys);
  bool parseForeachTail(ForeachStmt *S);
  Stmt *parseTry();
  Stmt *recoverFromHeader(SMLoc Loc);
  Stmt *parseReturn();
  /// A trailing '+' / '-' sort mark: returns +1, -1 or 0 (and consumes).
  int parseSortMark();
  bool setSortMark(ForeachStmt *S, int Column, int Dir, SMLoc Loc);

  //===--- Expressions (ParseExpr.cpp) ------------------------------------===//
  Expr *parseExpression();
  Expr *parseTernary();
  Expr *parseBinaryRHS(Expr *LHS, unsigned MinPrec);
  Expr *parseUnary();
  Expr *parsePostfix();
  Expr *parseInRHS(Expr *Keys, SMLoc Loc);
  Expr *parseBracketedIn();
  /// The array after `in` or in foreach: a name or a @hist_* operator.
  Expr *parseIndexable(StringRef Context);
  /// `(e, e, ...)` after a call or @operator; `*` allowed when AllowStar.
  bool parseExprList(TokenKind Close, llvm::SmallVectorImpl<Expr *> &Out,
                     bool AllowStar);
  bool parseIntegerLiteral(Expr *&Out, StringRef Context);
  Expr *parseStringLiteral();

  //===--- Primary and target expressions (ParsePrimary.cpp) --------------===//
  Expr *parseTargetValue();
  Expr *parsePrimary();
  Expr *parseIdentifier();
  Expr *parseAtOperator();
  Expr *parseStatOperator(StatKind SK, SMLoc Loc);
  Expr *parseCast(SMLoc Loc);
  Expr *parseAtVar(SMLoc Loc);
  Expr *parseArrayIndex(Expr *Base);
  bool parseTargetComponents(TargetExpr *E);
  bool atTargetComponent() const;
  unsigned parseDollarSuffix();

  Preprocessor &PP;
  ASTContext &Ctx;
  DiagnosticEngine &Diags;
  bool IsTapset;

  Token Tok;                               // current token
  TokenKind PrevKind = TokenKind::Eof;     // kind of the previous token
  unsigned Depth = 0;
  bool Aborted = false; // nesting limit hit: the rest of the file is ignored
};

} // namespace stapc

#endif
