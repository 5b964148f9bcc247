//===- ParseProbePoint.cpp - Probe point specifications -------------------===//
//
//   point     := component ('.' component)* ['?' | '!'] ['if' '(' expr ')']
//   component := name ['(' literal ')']
//   name      := adjacent words and '*' (`sys*_open`, `**`), or a brace
//                group `{read,write}` kept verbatim for Sema to expand.
//
//===----------------------------------------------------------------------===//
#include "ParserImpl.h"

#include "llvm/ADT/SmallString.h"

using namespace stapc;

bool Parser::parseProbePointList(llvm::SmallVectorImpl<ProbePoint> &Points) {
  for (;;) {
    ProbePoint P;
    if (!parseProbePoint(P))
      return false;
    Points.push_back(P);
    if (tryConsume(TokenKind::Comma))
      continue;
    if (is(TokenKind::LBrace) || is(TokenKind::Equal) ||
        is(TokenKind::PlusEqual))
      return true;
    errorExpected("',', '{', '=' or '+=' after the probe point");
    return false;
  }
}

bool Parser::parseProbePoint(ProbePoint &P) {
  P.Loc = Tok.Loc;
  llvm::SmallVector<ProbePointComponent, 4> Components;
  do {
    ProbePointComponent C;
    if (!parseProbePointComponent(C))
      return false;
    Components.push_back(C);
  } while (tryConsume(TokenKind::Dot));
  P.Components = Ctx.copyArray(ArrayRef<ProbePointComponent>(Components));

  if (tryConsume(TokenKind::Question))
    P.Optional = true;
  else if (tryConsume(TokenKind::Exclaim))
    P.Sufficient = true; // implies optional (Sema's business)

  if (tryConsume(TokenKind::KwIf)) {
    if (!expect(TokenKind::LParen, "'(' after 'if'"))
      return false;
    P.Condition = parseExpression();
    if (!P.Condition || !expect(TokenKind::RParen, "')' after the condition"))
      return false;
  }
  return true;
}

static bool isComponentPiece(const Token &T) {
  return T.isWord() || T.is(TokenKind::Star);
}

bool Parser::parseProbePointComponent(ProbePointComponent &C) {
  C.Loc = Tok.Loc;
  if (is(TokenKind::LBrace)) {
    llvm::SmallString<64> Name;
    if (!parseBraceGroupName(Name))
      return false;
    C.Name = Ctx.save(Name.str());
  } else if (isComponentPiece(Tok)) {
    // The common case is one token whose text already lives in a buffer.
    StringRef First = Tok.Text;
    consume();
    if (isComponentPiece(Tok) && !Tok.LeadingSpace) {
      llvm::SmallString<64> Name(First);
      while (isComponentPiece(Tok) && !Tok.LeadingSpace) {
        Name += Tok.Text;
        consume();
      }
      C.Name = Ctx.save(Name.str());
    } else {
      C.Name = First;
    }
  } else {
    errorExpected("a probe point component");
    return false;
  }

  if (tryConsume(TokenKind::LParen)) {
    C.Arg = parseLiteral("as the probe point argument");
    if (!C.Arg || !expect(TokenKind::RParen, "')' after the argument"))
      return false;
  }
  return true;
}

static bool isBraceGroupSeparator(char C) {
  return C == '{' || C == '}' || C == ',' || C == '(' || C == ')' ||
         C == '.';
}

/// `{a,b.c("x")}`: copied token by token up to the matching '}'. Blanks
/// are dropped around the separators and kept (as one space) elsewhere, so
/// that the text lexes back into the same tokens.

bool Parser::parseBraceGroupName(llvm::SmallVectorImpl<char> &Name) {
  Token Open = Tok;
  unsigned Nesting = 0;
  do {
    // `function` is a common component name here (`kernel.{function("a"),
    // function("b")}`); the other declaration keywords are not.
    bool AtDeclaration = is(TokenKind::KwProbe) || is(TokenKind::KwGlobal);
    if (is(TokenKind::Eof) || AtDeclaration) {
      errorExpected("'}'");
      Diags.note(Open.Loc, "to match this '{'");
      return false;
    }
    if (is(TokenKind::LBrace))
      ++Nesting;
    else if (is(TokenKind::RBrace))
      --Nesting;
    size_t Before = Name.size();
    appendSpelling(Tok, Name);
    if (Before && Tok.LeadingSpace && !isBraceGroupSeparator(Name[Before - 1]) &&
        !isBraceGroupSeparator(Name[Before]))
      Name.insert(Name.begin() + Before, ' ');
    consume();
  } while (Nesting);
  return true;
}
