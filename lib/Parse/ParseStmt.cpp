//===- ParseStmt.cpp - Statements (langref chapter 6) ---------------------===//
//
// Statements need no separator; a ';' right after a non-block statement is
// part of it (as in stap), a ';' anywhere else is a NullStmt.
//
//===----------------------------------------------------------------------===//
#include "ParserImpl.h"

using namespace stapc;

/// Whether a token can begin an expression (decides `return` vs
/// `return EXPR` and "expected statement").
static bool canStartExpression(TokenKind K) {
  switch (K) {
  case TokenKind::Identifier:
  case TokenKind::Integer:
  case TokenKind::String:
  case TokenKind::TargetVar:
  case TokenKind::AtOp:
  case TokenKind::Embedded:
  case TokenKind::LParen:
  case TokenKind::LBracket:
  case TokenKind::Minus:
  case TokenKind::Plus:
  case TokenKind::Exclaim:
  case TokenKind::Tilde:
  case TokenKind::PlusPlus:
  case TokenKind::MinusMinus:
  case TokenKind::Amp:
    return true;
  default:
    return false;
  }
}

BlockStmt *Parser::parseBlock() {
  Token Open = Tok;
  if (!expect(TokenKind::LBrace, "'{'"))
    return nullptr;
  llvm::SmallVector<Stmt *, 16> Body;
  for (;;) {
    if (tryConsume(TokenKind::RBrace))
      break;
    if (is(TokenKind::Eof) || atTopLevelKeyword()) {
      errorExpected("'}'");
      if (!Aborted)
        Diags.note(Open.Loc, "to match this '{'");
      break;
    }
    const char *Start = Tok.Loc.getPointer();
    if (Stmt *S = parseStatement())
      Body.push_back(S);
    else
      skipStatement(Start);
  }
  return new (Ctx) BlockStmt(Open.Loc, Ctx.copyArray(ArrayRef<Stmt *>(Body)));
}

Stmt *Parser::parseStatement() {
  NestingScope Nesting(*this);
  if (Nesting.tooDeep())
    return nullptr;
  switch (Tok.Kind) {
  case TokenKind::Semi:
    return new (Ctx) NullStmt(consume());
  case TokenKind::LBrace:
    return parseBlock();
  case TokenKind::KwIf:
    return parseIf();
  case TokenKind::KwWhile:
    return parseWhile();
  case TokenKind::KwFor:
    return parseFor();
  case TokenKind::KwForeach:
    return parseForeach();
  case TokenKind::KwTry:
    return parseTry();
  default:
    break;
  }
  Stmt *S = parseStatementKind();
  if (S)
    tryConsume(TokenKind::Semi);
  return S;
}

/// The statements that may be followed by an optional ';'.
Stmt *Parser::parseStatementKind() {
  switch (Tok.Kind) {
  case TokenKind::KwReturn:
    return parseReturn();
  case TokenKind::KwBreak:
    return new (Ctx) BreakStmt(consume());
  case TokenKind::KwContinue:
    return new (Ctx) ContinueStmt(consume());
  case TokenKind::KwNext:
    return new (Ctx) NextStmt(consume());
  case TokenKind::KwDelete: {
    SMLoc Loc = consume();
    Expr *Target = parseExpression();
    return Target ? new (Ctx) DeleteStmt(Loc, Target) : nullptr;
  }
  default:
    break;
  }
  if (!canStartExpression(Tok.Kind)) {
    errorExpected("a statement");
    return nullptr;
  }
  SMLoc Loc = Tok.Loc;
  Expr *E = parseExpression();
  return E ? new (Ctx) ExprStmt(Loc, E) : nullptr;
}

Stmt *Parser::parseReturn() {
  SMLoc Loc = consume();
  Expr *Value = nullptr;
  if (canStartExpression(Tok.Kind)) {
    Value = parseExpression();
    if (!Value)
      return nullptr;
  }
  return new (Ctx) ReturnStmt(Loc, Value);
}

Stmt *Parser::parseIf() {
  SMLoc Loc = consume();
  if (!expect(TokenKind::LParen, "'(' after 'if'"))
    return recoverFromHeader(Loc);
  Expr *Cond = parseExpression();
  if (!Cond || !expect(TokenKind::RParen, "')' after the condition"))
    return recoverFromHeader(Loc);
  Stmt *Then = parseStatement();
  if (!Then)
    return nullptr;
  Stmt *Else = nullptr;
  if (tryConsume(TokenKind::KwElse)) {
    Else = parseStatement();
    if (!Else)
      return nullptr;
  }
  return new (Ctx) IfStmt(Loc, Cond, Then, Else);
}

Stmt *Parser::parseWhile() {
  SMLoc Loc = consume();
  if (!expect(TokenKind::LParen, "'(' after 'while'"))
    return recoverFromHeader(Loc);
  Expr *Cond = parseExpression();
  if (!Cond || !expect(TokenKind::RParen, "')' after the condition"))
    return recoverFromHeader(Loc);
  Stmt *Body = parseStatement();
  return Body ? new (Ctx) WhileStmt(Loc, Cond, Body) : nullptr;
}

Stmt *Parser::parseFor() {
  SMLoc Loc = consume();
  if (!expect(TokenKind::LParen, "'(' after 'for'"))
    return recoverFromHeader(Loc);
  // Each clause is optional: for (;;).
  auto ParseClause = [&](TokenKind End, StringRef What, Expr *&Out) {
    if (!is(End)) {
      Out = parseExpression();
      if (!Out)
        return false;
    }
    return expect(End, What);
  };
  Expr *Init = nullptr, *Cond = nullptr, *Incr = nullptr;
  if (!ParseClause(TokenKind::Semi, "';' after the for-loop initializer", Init) ||
      !ParseClause(TokenKind::Semi, "';' after the for-loop condition", Cond) ||
      !ParseClause(TokenKind::RParen, "')' after the for-loop increment", Incr))
    return recoverFromHeader(Loc);
  Stmt *Body = parseStatement();
  return Body ? new (Ctx) ForStmt(Loc, Init, Cond, Incr, Body) : nullptr;
}

/// After an error in the header of if/while/for/foreach: skip to the ')'
/// that closes it (or to a '{' that must be the body), then parse the body
/// anyway so that errors inside it are reported too.
Stmt *Parser::recoverFromHeader(SMLoc Loc) {
  unsigned Parens = 0;
  while (!is(TokenKind::Eof) && !is(TokenKind::LBrace) &&
         !is(TokenKind::RBrace) && !atTopLevelKeyword()) {
    if (is(TokenKind::LParen)) {
      ++Parens;
    } else if (is(TokenKind::RParen) && Parens-- == 0) {
      consume();
      break;
    }
    consume();
  }
  const char *Start = Tok.Loc.getPointer();
  if (!is(TokenKind::Eof) && !is(TokenKind::RBrace) && !atTopLevelKeyword() &&
      !parseStatement())
    skipStatement(Start);
  return new (Ctx) NullStmt(Loc);
}

Stmt *Parser::parseTry() {
  SMLoc Loc = consume();
  if (!is(TokenKind::LBrace)) {
    errorExpected("'{' after 'try'");
    return nullptr;
  }
  BlockStmt *TryBlock = parseBlock();
  if (!expect(TokenKind::KwCatch, "'catch' after the try block"))
    return nullptr;
  SymbolRef *Var = nullptr;
  if (tryConsume(TokenKind::LParen)) {
    if (!is(TokenKind::Identifier)) {
      errorExpected("a variable name for the error message");
      return nullptr;
    }
    Var = new (Ctx) SymbolRef(Tok.Loc, Tok.Text);
    consume();
    if (!expect(TokenKind::RParen, "')' after the catch variable"))
      return nullptr;
  }
  if (!is(TokenKind::LBrace)) {
    errorExpected("'{' after 'catch'");
    return nullptr;
  }
  BlockStmt *CatchBlock = parseBlock();
  return new (Ctx) TryStmt(Loc, TryBlock, Var, CatchBlock);
}
