//===- ParsePrimary.cpp - Operands, @operators and target values ----------===//
//
//   value  := ['&'] (target | primary) components
//   target := $name | $$vars... | @cast(e, "type"[, "module"])
//           | @var("name"[, "module"])
//   components := ('->' member | '[' expr ']')* ['$' | '$$']
//
// Any other value followed by `->` or `[` becomes an AutocastExpr (stap's
// autocast: `task_current()->pid`, `@entry($p)->x`).
//
//===----------------------------------------------------------------------===//
#include "ParserImpl.h"

#include "llvm/ADT/StringSwitch.h"

using namespace stapc;

bool Parser::atTargetComponent() const {
  return is(TokenKind::Arrow) || is(TokenKind::LBracket) ||
         is(TokenKind::Dollar);
}

/// Trailing pretty-print marks: `$` or `$$`, written as separate tokens
/// (`$p->a$`, `@cast(p, "t")$$`). Returns how many.
unsigned Parser::parseDollarSuffix() {
  unsigned N = 0;
  do {
    consume();
    ++N;
  } while (is(TokenKind::Dollar) && !Tok.LeadingSpace);
  return N;
}

/// Splits "name$$" into "name" and 2.
static StringRef stripPrettyPrint(StringRef Name, unsigned &Count) {
  size_t Keep = Name.find_last_not_of('$') + 1;
  Count = Name.size() - Keep;
  return Name.take_front(Keep);
}

Expr *Parser::parseTargetValue() {
  SMLoc AmpLoc;
  bool AddressOf = false;
  if (is(TokenKind::Amp)) {
    AmpLoc = consume();
    AddressOf = true;
  }

  TargetExpr *Target = nullptr;
  Expr *E;
  if (is(TokenKind::TargetVar)) {
    unsigned Pretty;
    StringRef Name = stripPrettyPrint(Tok.Text, Pretty);
    Target = new (Ctx) TargetSymbolExpr(consume(), Name);
    Target->setPrettyPrint(Pretty);
    E = Target;
  } else if (is(TokenKind::AtOp) && Tok.Text == "cast") {
    E = parseCast(consume());
    Target = llvm::dyn_cast_or_null<TargetExpr>(E);
  } else if (is(TokenKind::AtOp) && Tok.Text == "var") {
    E = parseAtVar(consume());
    Target = llvm::dyn_cast_or_null<TargetExpr>(E);
  } else {
    // Components after any other value start an autocast. A parenthesised
    // target (`($p->a)`) already has its components: leave them alone.
    E = parsePrimary();
    if (E && atTargetComponent())
      E = Target = new (Ctx) AutocastExpr(E->getLoc(), E);
  }
  if (!E)
    return nullptr;
  if (Target && !parseTargetComponents(Target))
    return nullptr;
  if (AddressOf)
    E = new (Ctx) UnaryExpr(AmpLoc, UnaryOp::AddressOf, E);
  return E;
}

bool Parser::parseTargetComponents(TargetExpr *E) {
  llvm::SmallVector<TargetComponent, 4> Components;
  unsigned Pretty = E->getPrettyPrint();
  while (!Pretty) {
    TargetComponent C;
    if (is(TokenKind::Arrow)) {
      C.K = TargetComponent::Member;
      C.Loc = consume();
      if (is(TokenKind::Dollar)) { // `$p->$`: pretty-print all of *p
        Pretty = parseDollarSuffix();
        break;
      }
      if (!Tok.isWord()) {
        errorExpected("a member name after '->'");
        return false;
      }
      C.Name = stripPrettyPrint(Tok.Text, Pretty);
      consume();
    } else if (is(TokenKind::LBracket)) {
      C.K = TargetComponent::Subscript;
      C.Loc = consume();
      C.Index = parseExpression();
      if (!C.Index || !expect(TokenKind::RBracket, "']' after the index"))
        return false;
    } else {
      break;
    }
    Components.push_back(C);
  }
  if (!Pretty && is(TokenKind::Dollar))
    Pretty = parseDollarSuffix();
  if (Pretty && (is(TokenKind::Arrow) || is(TokenKind::LBracket))) {
    error(Tok, "'->' and '[' cannot follow a pretty-printed ('$') value");
    return false;
  }
  E->setComponents(Ctx.copyArray(ArrayRef<TargetComponent>(Components)));
  E->setPrettyPrint(Pretty);
  return true;
}

Expr *Parser::parsePrimary() {
  switch (Tok.Kind) {
  case TokenKind::Integer: {
    uint64_t V = Tok.IntValue;
    return new (Ctx) IntegerLiteral(consume(), int64_t(V));
  }
  case TokenKind::String:
    return parseStringLiteral();
  case TokenKind::Embedded: {
    StringRef Code = Tok.Text;
    return new (Ctx) EmbeddedExpr(consume(), Code);
  }
  case TokenKind::LParen: {
    consume();
    Expr *E = parseExpression();
    if (!E || !expect(TokenKind::RParen, "')'"))
      return nullptr;
    return E;
  }
  case TokenKind::LBracket:
    return parseBracketedIn();
  case TokenKind::Identifier:
    return parseIdentifier();
  case TokenKind::AtOp:
    return parseAtOperator();
  case TokenKind::GreaterGreaterGreater:
    error(Tok, "'>>>' is not a SystemTap operator");
    return nullptr;
  default:
    errorExpected("an expression");
    return nullptr;
  }
}

/// name, name(args), name[keys].
Expr *Parser::parseIdentifier() {
  SMLoc Loc = Tok.Loc;
  StringRef Name = Tok.Text;
  consume();
  if (tryConsume(TokenKind::LParen)) {
    llvm::SmallVector<Expr *, 8> Args;
    if (!parseExprList(TokenKind::RParen, Args, /*AllowStar=*/false))
      return nullptr;
    return new (Ctx)
        FunctionCall(Loc, Name, Ctx.copyArray(ArrayRef<Expr *>(Args)));
  }
  Expr *Sym = new (Ctx) SymbolRef(Loc, Name);
  return is(TokenKind::LBracket) ? parseArrayIndex(Sym) : Sym;
}

Expr *Parser::parseArrayIndex(Expr *Base) {
  consume(); // '['
  llvm::SmallVector<Expr *, 4> Indices;
  if (!parseExprList(TokenKind::RBracket, Indices, /*AllowStar=*/true))
    return nullptr;
  return new (Ctx) ArrayIndex(Base->getLoc(), Base,
                              Ctx.copyArray(ArrayRef<Expr *>(Indices)));
}

static bool statKindFromName(StringRef Name, StatKind &SK) {
  auto K = llvm::StringSwitch<int>(Name)
               .Case("count", int(StatKind::Count))
               .Case("sum", int(StatKind::Sum))
               .Case("min", int(StatKind::Min))
               .Case("max", int(StatKind::Max))
               .Case("avg", int(StatKind::Avg))
               .Case("variance", int(StatKind::Variance))
               .Case("hist_log", int(StatKind::HistLog))
               .Case("hist_linear", int(StatKind::HistLinear))
               .Default(-1);
  if (K < 0)
    return false;
  SK = StatKind(K);
  return true;
}

/// The @operators that take ordinary arguments and need no special node.
static bool isPlainAtFunction(StringRef Name) {
  return llvm::StringSwitch<bool>(Name)
      .Cases("const", "probewrite", "perf", true)
      .Cases("kregister", "uregister", "kderef", "uderef", true)
      .Default(false);
}

Expr *Parser::parseAtOperator() {
  Token OpTok = Tok;
  StringRef Name = Tok.Text;
  SMLoc Loc = consume();

  StatKind SK;
  if (statKindFromName(Name, SK)) {
    Expr *E = parseStatOperator(SK, Loc);
    bool IsHistogram = SK == StatKind::HistLog || SK == StatKind::HistLinear;
    if (E && IsHistogram && is(TokenKind::LBracket))
      return parseArrayIndex(E); // one bucket: @hist_log(s)[3]
    return E;
  }

  bool IsEntry = Name == "entry", IsDefined = Name == "defined";
  if (IsEntry || IsDefined) {
    if (!expect(TokenKind::LParen, ("'(' after '@" + Name + "'").str()))
      return nullptr;
    Expr *Operand = parseExpression();
    if (!Operand || !expect(TokenKind::RParen, "')'"))
      return nullptr;
    if (IsEntry)
      return new (Ctx) EntryExpr(Loc, Operand);
    return new (Ctx) DefinedExpr(Loc, Operand);
  }

  if (isPlainAtFunction(Name)) {
    if (!expect(TokenKind::LParen, ("'(' after '@" + Name + "'").str()))
      return nullptr;
    llvm::SmallVector<Expr *, 4> Args;
    if (!parseExprList(TokenKind::RParen, Args, /*AllowStar=*/false))
      return nullptr;
    return new (Ctx)
        AtFunctionExpr(Loc, Name, Ctx.copyArray(ArrayRef<Expr *>(Args)));
  }

  // Macros were expanded by the preprocessor; what is left is unknown.
  error(OpTok, "unknown operator '@" + Name + "' (undefined macro?)");
  return nullptr;
}

/// @count(s) ... @variance(s[, bshift]), @hist_log(s),
/// @hist_linear(s, low, high, width). Extra arguments are number literals.
Expr *Parser::parseStatOperator(StatKind SK, SMLoc Loc) {
  StringRef Name = spelling(SK);
  if (!expect(TokenKind::LParen, ("'(' after '@" + Name + "'").str()))
    return nullptr;
  Expr *Operand = parseExpression();
  if (!Operand)
    return nullptr;
  llvm::SmallVector<Expr *, 3> Params;
  while (tryConsume(TokenKind::Comma)) {
    Expr *P;
    if (!parseIntegerLiteral(P, ("as an argument of '@" + Name + "'").str()))
      return nullptr;
    Params.push_back(P);
  }
  Token Close = Tok;
  if (!expect(TokenKind::RParen, "')'"))
    return nullptr;

  size_t MinParams = 0, MaxParams = 0;
  if (SK == StatKind::HistLinear)
    MinParams = MaxParams = 3;
  else if (SK == StatKind::Variance)
    MaxParams = 1;
  if (Params.size() < MinParams || Params.size() > MaxParams) {
    error(Close, "'@" + Name + "' takes " +
                     (MinParams == MaxParams
                          ? llvm::Twine(MaxParams + 1)
                          : llvm::Twine("1 or 2")) +
                     " argument" + (MaxParams ? "s" : ""));
    return nullptr;
  }
  return new (Ctx) StatExtractExpr(Loc, SK, Operand,
                                   Ctx.copyArray(ArrayRef<Expr *>(Params)));
}

Expr *Parser::parseIndexable(StringRef Context) {
  if (is(TokenKind::Identifier)) {
    StringRef Name = Tok.Text;
    return new (Ctx) SymbolRef(consume(), Name);
  }
  if (is(TokenKind::AtOp) &&
      (Tok.Text == "hist_log" || Tok.Text == "hist_linear")) {
    StatKind SK =
        Tok.Text == "hist_log" ? StatKind::HistLog : StatKind::HistLinear;
    return parseStatOperator(SK, consume());
  }
  errorExpected(("an array name " + Context).str());
  return nullptr;
}

Expr *Parser::parseCast(SMLoc Loc) {
  if (!expect(TokenKind::LParen, "'(' after '@cast'"))
    return nullptr;
  Expr *Operand = parseExpression();
  if (!Operand || !expect(TokenKind::Comma, "',' after the @cast operand"))
    return nullptr;
  if (!is(TokenKind::String) || Tok.Text.empty()) {
    errorExpected("a type name string");
    return nullptr;
  }
  StringRef TypeName = cast<StringLiteral>(parseStringLiteral())->getValue();
  StringRef Module;
  bool HasModule = tryConsume(TokenKind::Comma);
  if (HasModule) {
    if (!is(TokenKind::String)) {
      errorExpected("a module name string");
      return nullptr;
    }
    Module = cast<StringLiteral>(parseStringLiteral())->getValue();
  }
  if (!expect(TokenKind::RParen, "')' to end '@cast'"))
    return nullptr;
  return new (Ctx) CastExpr(Loc, Operand, TypeName, Module, HasModule);
}

Expr *Parser::parseAtVar(SMLoc Loc) {
  if (!expect(TokenKind::LParen, "'(' after '@var'"))
    return nullptr;
  if (!is(TokenKind::String) || Tok.Text.empty()) {
    errorExpected("a variable name string");
    return nullptr;
  }
  StringRef VarName = cast<StringLiteral>(parseStringLiteral())->getValue();
  StringRef Module;
  bool HasModule = tryConsume(TokenKind::Comma);
  if (HasModule) {
    if (!is(TokenKind::String)) {
      errorExpected("a module name string");
      return nullptr;
    }
    Module = cast<StringLiteral>(parseStringLiteral())->getValue();
  }
  if (!expect(TokenKind::RParen, "')' to end '@var'"))
    return nullptr;
  return new (Ctx) AtVarExpr(Loc, VarName, Module, HasModule);
}
