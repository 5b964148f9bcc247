//===- ParseForeach.cpp - The foreach statement (langref 6.6, 7.5) --------===//
//
//   foreach ( [V[+-] =] (K[+-] | '[' K[+-], ... ']') in ARRAY ['[' slice ']']
//             [@agg] [+-] [limit EXPR] ) STMT
//
// At most one sort mark per loop. ARRAY is a name or a @hist_* operator.
//
//===----------------------------------------------------------------------===//
#include "ParserImpl.h"

using namespace stapc;

int Parser::parseSortMark() {
  if (tryConsume(TokenKind::Plus))
    return 1;
  if (tryConsume(TokenKind::Minus))
    return -1;
  return 0;
}

bool Parser::setSortMark(ForeachStmt *S, int Column, int Dir, SMLoc Loc) {
  if (!Dir)
    return true;
  if (S->SortDir) {
    error(Loc, "a foreach loop can have only one sort mark");
    return false;
  }
  S->SortColumn = Column;
  S->SortDir = Dir;
  return true;
}

Stmt *Parser::parseForeach() {
  auto *S = new (Ctx) ForeachStmt(consume());
  if (!expect(TokenKind::LParen, "'(' after 'foreach'"))
    return recoverFromHeader(S->getLoc());
  llvm::SmallVector<SymbolRef *, 4> Keys;
  if (!parseForeachKeys(S, Keys))
    return recoverFromHeader(S->getLoc());
  S->Keys = Ctx.copyArray(ArrayRef<SymbolRef *>(Keys));
  if (!parseForeachTail(S))
    return recoverFromHeader(S->getLoc());
  S->Body = parseStatement();
  return S->Body ? S : nullptr;
}

/// Everything up to 'in': the optional value variable and the keys.
bool Parser::parseForeachKeys(ForeachStmt *S,
                              llvm::SmallVectorImpl<SymbolRef *> &Keys) {
  // A leading name is the value variable if '=' follows, else the one key.
  if (is(TokenKind::Identifier)) {
    auto *First = new (Ctx) SymbolRef(Tok.Loc, Tok.Text);
    consume();
    SMLoc MarkLoc = Tok.Loc;
    int Dir = parseSortMark();
    if (!tryConsume(TokenKind::Equal)) {
      Keys.push_back(First);
      return setSortMark(S, 1, Dir, MarkLoc);
    }
    S->ValueVar = First;
    setSortMark(S, 0, Dir, MarkLoc);
  }

  S->KeysBracketed = tryConsume(TokenKind::LBracket);
  for (;;) {
    if (!is(TokenKind::Identifier)) {
      errorExpected(S->KeysBracketed ? "a key variable name"
                                     : "a key variable name or '['");
      return false;
    }
    Keys.push_back(new (Ctx) SymbolRef(Tok.Loc, Tok.Text));
    consume();
    SMLoc MarkLoc = Tok.Loc;
    if (!setSortMark(S, Keys.size(), parseSortMark(), MarkLoc))
      return false;
    if (!S->KeysBracketed || tryConsume(TokenKind::RBracket))
      return true;
    if (!expect(TokenKind::Comma, "',' or ']' in the key list"))
      return false;
  }
}

static bool statKindForSort(StringRef Name, StatKind &SK) {
  if (Name == "count")
    SK = StatKind::Count;
  else if (Name == "sum")
    SK = StatKind::Sum;
  else if (Name == "min")
    SK = StatKind::Min;
  else if (Name == "max")
    SK = StatKind::Max;
  else if (Name == "avg")
    SK = StatKind::Avg;
  else if (Name == "variance")
    SK = StatKind::Variance;
  else
    return false;
  return true;
}

/// From 'in' to the ')' that closes the loop header.
bool Parser::parseForeachTail(ForeachStmt *S) {
  if (!expect(TokenKind::KwIn, "'in' after the foreach keys"))
    return false;
  S->Array = parseIndexable("after 'in'");
  if (!S->Array)
    return false;

  if (tryConsume(TokenKind::LBracket)) {
    llvm::SmallVector<Expr *, 4> Slice;
    if (!parseExprList(TokenKind::RBracket, Slice, /*AllowStar=*/true))
      return false;
    S->Slice = Ctx.copyArray(ArrayRef<Expr *>(Slice));
  }

  if (is(TokenKind::AtOp)) {
    if (!statKindForSort(Tok.Text, S->SortAggregate)) {
      errorExpected("a statistic (@count, @sum, @min, @max, @avg, "
                    "@variance) to sort by");
      return false;
    }
    S->HasSortAggregate = true;
    consume();
    if (!is(TokenKind::Plus) && !is(TokenKind::Minus)) {
      errorExpected("'+' or '-' after the statistic to sort by");
      return false;
    }
  }
  SMLoc MarkLoc = Tok.Loc;
  if (!setSortMark(S, 0, parseSortMark(), MarkLoc))
    return false;

  if (tryConsume(TokenKind::KwLimit)) {
    S->Limit = parseExpression();
    if (!S->Limit)
      return false;
  }
  return expect(TokenKind::RParen, "')' to end the foreach header");
}
