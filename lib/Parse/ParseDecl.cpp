//===- ParseDecl.cpp - Top-level declarations -----------------------------===//
//
//   probe PP[, PP...] { body }
//   probe NAME[, NAME...] = PP[, PP...] { prologue }       (and += epilogue)
//   [private] global NAME[%][[N]] [= literal], ...  [;]
//   [private] function NAME[:type] (P[:type], ...) [: priority] { } | %{ %}
//   %{ embedded C %}
//
//===----------------------------------------------------------------------===//
#include "ParserImpl.h"

#include <climits>

using namespace stapc;

bool Parser::parseTopLevel(llvm::SmallVectorImpl<Decl *> &Decls) {
  switch (Tok.Kind) {
  case TokenKind::KwProbe:
    if (Decl *D = parseProbe()) {
      Decls.push_back(D);
      return true;
    }
    return false;
  case TokenKind::KwGlobal:
    consume();
    return parseGlobalNames(Decls, /*Private=*/false);
  case TokenKind::KwPrivate:
    return parsePrivate(Decls);
  case TokenKind::KwFunction:
    if (FunctionDecl *F = parseFunction(/*Private=*/false)) {
      Decls.push_back(F);
      return true;
    }
    return false;
  case TokenKind::Embedded: {
    SMLoc Loc = Tok.Loc;
    StringRef Code = Tok.Text;
    consume();
    Decls.push_back(new (Ctx) EmbeddedDecl(Loc, Code));
    return true;
  }
  default:
    errorExpected("'probe', 'global', 'private', 'function' or '%{'");
    return false;
  }
}

/// `private global x`, `private function f()`, and the shorthand
/// `private x` for a private global.
bool Parser::parsePrivate(llvm::SmallVectorImpl<Decl *> &Decls) {
  consume();
  if (tryConsume(TokenKind::KwGlobal))
    return parseGlobalNames(Decls, /*Private=*/true);
  if (is(TokenKind::Identifier))
    return parseGlobalNames(Decls, /*Private=*/true);
  if (is(TokenKind::KwFunction)) {
    if (FunctionDecl *F = parseFunction(/*Private=*/true)) {
      Decls.push_back(F);
      return true;
    }
    return false;
  }
  errorExpected("'global', 'function' or a variable name after 'private'");
  return false;
}

/// The names after `global`; one GlobalDecl each. A ';' ends the list.
bool Parser::parseGlobalNames(llvm::SmallVectorImpl<Decl *> &Decls,
                              bool Private) {
  for (;;) {
    if (!is(TokenKind::Identifier)) {
      errorExpected("a global variable name");
      return false;
    }
    auto *G = new (Ctx) GlobalDecl(Tok.Loc, Tok.Text);
    G->setPrivate(Private);
    consume();
    Decls.push_back(G);

    if (tryConsume(TokenKind::Percent))
      G->Wrap = true;
    if (is(TokenKind::LBracket)) {
      consume();
      Token SizeTok = Tok;
      if (!expect(TokenKind::Integer, "an array size"))
        return false;
      if (SizeTok.IntValue == 0 || SizeTok.IntValue > INT_MAX) {
        error(SizeTok, "array size must be between 1 and " +
                           llvm::Twine(INT_MAX));
        return false;
      }
      G->HasSize = true;
      G->Size = int64_t(SizeTok.IntValue);
      if (!expect(TokenKind::RBracket, "']' after the array size"))
        return false;
    }
    if (is(TokenKind::Equal)) {
      if (G->HasSize || G->Wrap) {
        error(Tok, "only scalar globals can be initialized");
        return false;
      }
      consume();
      G->Init = parseLiteral("as the initial value of a global");
      if (!G->Init)
        return false;
    }
    if (tryConsume(TokenKind::Semi))
      return true;
    if (!tryConsume(TokenKind::Comma))
      return true;
  }
}

bool Parser::parseTypeSuffix(TypeKind &Ty) {
  if (is(TokenKind::Identifier) && Tok.Text == "long")
    Ty = TypeKind::Long;
  else if (is(TokenKind::Identifier) && Tok.Text == "string")
    Ty = TypeKind::String;
  else {
    errorExpected("'long' or 'string' after ':'");
    return false;
  }
  consume();
  return true;
}

FunctionDecl *Parser::parseFunction(bool Private) {
  consume(); // 'function'
  if (!is(TokenKind::Identifier)) {
    errorExpected("a function name");
    return nullptr;
  }
  auto *F = new (Ctx) FunctionDecl(Tok.Loc, Tok.Text);
  F->setPrivate(Private);
  consume();
  if (tryConsume(TokenKind::Colon) && !parseTypeSuffix(F->DeclaredReturn))
    return nullptr;

  llvm::SmallVector<ParamDecl, 8> Params;
  if (!parseFunctionParams(Params))
    return nullptr;
  F->Params = Ctx.copyArray(ArrayRef<ParamDecl>(Params));

  // `: N` overload priority (stap 4.x). Only ordering among overloads
  // depends on it, and stapc resolves overloads by declaration order.
  if (tryConsume(TokenKind::Colon)) {
    Expr *Priority = parseLiteral("as the function priority");
    if (!Priority)
      return nullptr;
    if (!isa<IntegerLiteral>(Priority) ||
        cast<IntegerLiteral>(Priority)->getValue() < 1) {
      error(Priority->getLoc(), "function priority must be a number > 0");
      return nullptr;
    }
  }

  if (is(TokenKind::Embedded)) {
    F->IsEmbedded = true;
    F->EmbeddedCode = Tok.Text;
    F->EmbeddedLoc = consume();
    return F;
  }
  if (!is(TokenKind::LBrace)) {
    errorExpected("'{' or '%{' to begin the function body");
    return nullptr;
  }
  F->Body = parseBlock();
  return F;
}

bool Parser::parseFunctionParams(llvm::SmallVectorImpl<ParamDecl> &Params) {
  if (!expect(TokenKind::LParen, "'(' after the function name"))
    return false;
  if (tryConsume(TokenKind::RParen))
    return true;
  for (;;) {
    if (!is(TokenKind::Identifier)) {
      errorExpected("a parameter name");
      return false;
    }
    for (const ParamDecl &Prev : Params)
      if (Prev.Name == Tok.Text) {
        error(Tok, "duplicate parameter name '" + Tok.Text + "'");
        return false;
      }
    ParamDecl P;
    P.Loc = Tok.Loc;
    P.Name = Tok.Text;
    consume();
    if (tryConsume(TokenKind::Colon) && !parseTypeSuffix(P.DeclaredType))
      return false;
    Params.push_back(P);
    if (tryConsume(TokenKind::RParen))
      return true;
    if (!expect(TokenKind::Comma, "',' or ')' in the parameter list"))
      return false;
  }
}

Decl *Parser::parseProbe() {
  SMLoc Loc = consume(); // 'probe'
  llvm::SmallVector<ProbePoint, 2> Names;
  llvm::SmallVector<ProbePoint, 4> Points;
  bool Epilogue = false;
  for (;;) {
    Points.clear();
    if (!parseProbePointList(Points))
      return nullptr;
    if (is(TokenKind::LBrace))
      break;
    // '=' or '+=' (parseProbePointList stops only at these and '{'):
    // everything so far names an alias.
    for (const ProbePoint &N : Points)
      if (N.Optional || N.Sufficient || N.Condition) {
        error(N.Loc, "a probe alias name cannot be optional, sufficient or "
                     "conditional");
        return nullptr;
      }
    Epilogue |= is(TokenKind::PlusEqual);
    consume();
    Names.append(Points.begin(), Points.end());
  }
  BlockStmt *Body = parseBlock();
  if (Names.empty())
    return new (Ctx)
        ProbeDecl(Loc, Ctx.copyArray(ArrayRef<ProbePoint>(Points)), Body);
  auto *Alias = new (Ctx) ProbeAliasDecl(
      Loc, Ctx.copyArray(ArrayRef<ProbePoint>(Names)),
      Ctx.copyArray(ArrayRef<ProbePoint>(Points)), Body, Epilogue);
  // `= PP { prologue }, { epilogue }`.
  if (is(TokenKind::Comma)) {
    if (Epilogue) {
      error(Tok, "a '+=' alias cannot have a second (epilogue) block");
      return nullptr;
    }
    consume();
    if (!is(TokenKind::LBrace)) {
      errorExpected("'{' to begin the epilogue block");
      return nullptr;
    }
    Alias->setEpilogueBody(parseBlock());
  }
  return Alias;
}

/// String literals (adjacent ones joined) and optionally negated numbers:
/// global initializers, probe point arguments, priorities.
Expr *Parser::parseLiteral(StringRef Context) {
  if (is(TokenKind::String))
    return parseStringLiteral();
  Expr *E = nullptr;
  if (is(TokenKind::Integer) || is(TokenKind::Minus)) {
    parseIntegerLiteral(E, Context);
    return E;
  }
  errorExpected(("a string or number " + Context).str());
  return nullptr;
}
