//===- Parser.cpp - Token handling, diagnostics and recovery --------------===//
#include "ParserImpl.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"

using namespace stapc;

ScriptFile stapc::parseScript(Preprocessor &PP, ASTContext &Ctx,
                              DiagnosticEngine &Diags, StringRef FileName,
                              unsigned BufferID, bool IsTapset) {
  Parser P(PP, Ctx, Diags, IsTapset);
  return P.parseFile(FileName, BufferID);
}

Parser::Parser(Preprocessor &PP, ASTContext &Ctx, DiagnosticEngine &Diags,
               bool IsTapset)
    : PP(PP), Ctx(Ctx), Diags(Diags), IsTapset(IsTapset) {}

ScriptFile Parser::parseFile(StringRef FileName, unsigned BufferID) {
  ScriptFile F;
  F.Name = FileName;
  F.BufferID = BufferID;
  F.IsTapset = IsTapset;

  Tok = PP.next();
  llvm::SmallVector<Decl *, 64> Decls;
  while (!is(TokenKind::Eof)) {
    const char *Start = Tok.Loc.getPointer();
    if (!parseTopLevel(Decls))
      skipToTopLevel(Start);
  }
  for (Decl *D : Decls)
    D->setFromTapset(IsTapset);
  F.Decls = Ctx.copyArray(ArrayRef<Decl *>(Decls));
  return F;
}

//===----------------------------------------------------------------------===//
// Tokens
//===----------------------------------------------------------------------===//

SMLoc Parser::consume() {
  SMLoc Loc = Tok.Loc;
  PrevKind = Tok.Kind;
  if (Tok.isNot(TokenKind::Eof))
    Tok = PP.next();
  return Loc;
}

bool Parser::tryConsume(TokenKind K) {
  if (!is(K))
    return false;
  consume();
  return true;
}

bool Parser::expect(TokenKind K, StringRef What) {
  if (tryConsume(K))
    return true;
  errorExpected(What);
  return false;
}

/// Strings are re-quoted (their Text is the decoded value) and numbers are
/// printed from their value: a `$1` that the preprocessor replaced has the
/// location of `$1`, not of the text it stands for.
void Parser::appendSpelling(const Token &T, llvm::SmallVectorImpl<char> &Out) {
  if (T.is(TokenKind::String)) {
    Out.push_back('"');
    for (char C : T.Text) {
      if (C == '"' || C == '\\')
        Out.push_back('\\');
      Out.push_back(C);
    }
    Out.push_back('"');
    return;
  }
  if (T.is(TokenKind::Integer)) {
    llvm::SmallString<24> Digits;
    llvm::raw_svector_ostream(Digits) << T.IntValue;
    Out.append(Digits.begin(), Digits.end());
    return;
  }
  if (T.is(TokenKind::AtOp))
    Out.push_back('@');
  Out.append(T.Text.begin(), T.Text.end());
}

//===----------------------------------------------------------------------===//
// Diagnostics
//===----------------------------------------------------------------------===//

void Parser::error(const Token &T, const llvm::Twine &Msg) {
  // The lexer/preprocessor already explained an Error token; after an
  // abort every further message would be a consequence of it.
  if (T.is(TokenKind::Error) || Aborted)
    return;
  Diags.error(T.Loc, Msg, {T.getRange()});
  noteExpansion(Diags, T);
}

void Parser::error(SMLoc Loc, const llvm::Twine &Msg) {
  if (!Aborted)
    Diags.error(Loc, Msg);
}

std::string Parser::describe(const Token &T) const {
  switch (T.Kind) {
  case TokenKind::Eof:
  case TokenKind::Embedded:
  case TokenKind::Error:
    return tokenKindName(T.Kind);
  case TokenKind::String: {
    if (T.Text.size() > 24)
      return "string literal \"" + T.Text.substr(0, 24).str() + "...\"";
    return "string literal \"" + T.Text.str() + "\"";
  }
  default:
    break;
  }
  llvm::SmallString<32> S;
  appendSpelling(T, S);
  return "'" + S.str().str() + "'";
}

void Parser::errorExpected(StringRef What) {
  error(Tok, "expected " + What + ", found " + describe(Tok));
}

//===----------------------------------------------------------------------===//
// Recovery
//===----------------------------------------------------------------------===//

/// `probe`, `global`, `function` and `private` never occur inside a body,
/// except as probe point components after a '.' (`kernel.function("f")`).
bool Parser::atTopLevelKeyword() const {
  switch (Tok.Kind) {
  case TokenKind::KwProbe:
  case TokenKind::KwGlobal:
  case TokenKind::KwFunction:
  case TokenKind::KwPrivate:
    return PrevKind != TokenKind::Dot;
  default:
    return false;
  }
}

void Parser::skipBalancedBraces() {
  unsigned Nesting = 0;
  do {
    if (is(TokenKind::LBrace))
      ++Nesting;
    else if (is(TokenKind::RBrace))
      --Nesting;
    consume();
  } while (Nesting && !is(TokenKind::Eof) && !atTopLevelKeyword());
}

/// Only blanks between the start of the line and T (a heuristic for where
/// the next statement starts, since statements need no ';').
bool Parser::startsLine(const Token &T) const {
  llvm::SourceMgr &SM = Diags.getSourceMgr();
  unsigned ID = SM.FindBufferContainingLoc(T.Loc);
  if (!ID)
    return false;
  const char *BufStart = SM.getMemoryBuffer(ID)->getBufferStart();
  for (const char *P = T.Loc.getPointer(); P != BufStart;) {
    char C = *--P;
    if (C == '\n')
      return true;
    if (C != ' ' && C != '\t' && C != '\r')
      return false;
  }
  return true;
}

void Parser::skipStatement(const char *StmtStart) {
  // A statement that failed on its first token must still move on.
  bool Consumed = Tok.Loc.getPointer() != StmtStart;
  for (;;) {
    if (Consumed && startsLine(Tok))
      return;
    switch (Tok.Kind) {
    case TokenKind::Eof:
    case TokenKind::RBrace:
      return;
    case TokenKind::Semi:
      consume();
      return;
    case TokenKind::LBrace:
      skipBalancedBraces();
      return;
    // Keywords that cannot occur inside an expression start the next
    // statement; resume there once past the broken part.
    case TokenKind::KwIf:
    case TokenKind::KwWhile:
    case TokenKind::KwFor:
    case TokenKind::KwForeach:
    case TokenKind::KwTry:
    case TokenKind::KwReturn:
    case TokenKind::KwDelete:
    case TokenKind::KwBreak:
    case TokenKind::KwContinue:
    case TokenKind::KwNext:
      if (Consumed)
        return;
      break;
    default:
      if (atTopLevelKeyword())
        return;
      break;
    }
    consume();
    Consumed = true;
  }
}

void Parser::skipToTopLevel(const char *FailedAt) {
  // A declaration that failed on its very first token must still move on.
  if (Tok.Loc.getPointer() == FailedAt && !is(TokenKind::Eof))
    consume();
  unsigned Braces = 0;
  while (!is(TokenKind::Eof)) {
    if (atTopLevelKeyword())
      return;
    if (is(TokenKind::Embedded) && Braces == 0)
      return;
    if (is(TokenKind::LBrace))
      ++Braces;
    else if (is(TokenKind::RBrace) && Braces)
      --Braces;
    consume();
  }
}

bool Parser::enterNesting() {
  if (++Depth <= MaxNestingDepth)
    return true;
  if (!Aborted) {
    error(Tok, "nesting is too deep (the limit is " +
                   llvm::Twine(MaxNestingDepth) + " levels)");
    // Nothing sensible can follow; drop the rest of the file quietly.
    Aborted = true;
    Tok.Kind = TokenKind::Eof;
  }
  return false;
}

Parser::NestingScope::NestingScope(Parser &P) : P(P) {
  TooDeep = !P.enterNesting();
}
