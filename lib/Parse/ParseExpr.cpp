//===- ParseExpr.cpp - Operators and literals -----------------------------===//
//
// Precedence, loosest first, exactly as stap's parser implements it (which
// differs from C in two places: all comparisons share one level, and '.'
// sits between the shifts and '+'/'-'):
//
//   = += -= *= /= %= <<= >>= &= ^= |= .= <<<   (right associative)
//   ?:                                         (right associative)
//   ||   &&   |   ^   &
//   in                                         (`k in a`, `[k1, k2] in a`)
//   < <= > >= == != =~ !~                      (=~/!~ take a string literal)
//   << >>
//   .
//   + -
//   * / %
//   unary + - ! ~, prefix ++ --, address-of &
//   postfix ++ --
//
//===----------------------------------------------------------------------===//
#include "ParserImpl.h"

#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/SmallString.h"

using namespace stapc;

namespace {
/// Binding strength of the binary operators handled by precedence
/// climbing; 0 for tokens that are not binary operators.
enum BinaryPrec : unsigned {
  PrecNone = 0,
  PrecLogicalOr,
  PrecLogicalAnd,
  PrecBitOr,
  PrecBitXor,
  PrecBitAnd,
  PrecIn,
  PrecComparison,
  PrecShift,
  PrecConcat,
  PrecAdditive,
  PrecMultiplicative,
};
} // namespace

static unsigned binaryPrec(TokenKind K, BinaryOp &Op) {
  using TK = TokenKind;
  switch (K) {
  case TK::PipePipe: Op = BinaryOp::LogicalOr; return PrecLogicalOr;
  case TK::AmpAmp: Op = BinaryOp::LogicalAnd; return PrecLogicalAnd;
  case TK::Pipe: Op = BinaryOp::BitOr; return PrecBitOr;
  case TK::Caret: Op = BinaryOp::BitXor; return PrecBitXor;
  case TK::Amp: Op = BinaryOp::BitAnd; return PrecBitAnd;
  case TK::KwIn: return PrecIn;
  case TK::Less: Op = BinaryOp::LT; return PrecComparison;
  case TK::Greater: Op = BinaryOp::GT; return PrecComparison;
  case TK::LessEqual: Op = BinaryOp::LE; return PrecComparison;
  case TK::GreaterEqual: Op = BinaryOp::GE; return PrecComparison;
  case TK::EqualEqual: Op = BinaryOp::EQ; return PrecComparison;
  case TK::ExclaimEqual: Op = BinaryOp::NE; return PrecComparison;
  case TK::EqualTilde: Op = BinaryOp::RegexMatch; return PrecComparison;
  case TK::ExclaimTilde: Op = BinaryOp::RegexNoMatch; return PrecComparison;
  case TK::LessLess: Op = BinaryOp::Shl; return PrecShift;
  case TK::GreaterGreater: Op = BinaryOp::Shr; return PrecShift;
  case TK::Dot: Op = BinaryOp::Concat; return PrecConcat;
  case TK::Plus: Op = BinaryOp::Add; return PrecAdditive;
  case TK::Minus: Op = BinaryOp::Sub; return PrecAdditive;
  case TK::Star: Op = BinaryOp::Mul; return PrecMultiplicative;
  case TK::Slash: Op = BinaryOp::Div; return PrecMultiplicative;
  case TK::Percent: Op = BinaryOp::Rem; return PrecMultiplicative;
  default: return PrecNone;
  }
}

static bool assignOp(TokenKind K, AssignOp &Op) {
  using TK = TokenKind;
  switch (K) {
  case TK::Equal: Op = AssignOp::Assign; return true;
  case TK::PlusEqual: Op = AssignOp::AddAssign; return true;
  case TK::MinusEqual: Op = AssignOp::SubAssign; return true;
  case TK::StarEqual: Op = AssignOp::MulAssign; return true;
  case TK::SlashEqual: Op = AssignOp::DivAssign; return true;
  case TK::PercentEqual: Op = AssignOp::RemAssign; return true;
  case TK::LessLessEqual: Op = AssignOp::ShlAssign; return true;
  case TK::GreaterGreaterEqual: Op = AssignOp::ShrAssign; return true;
  case TK::AmpEqual: Op = AssignOp::AndAssign; return true;
  case TK::CaretEqual: Op = AssignOp::XorAssign; return true;
  case TK::PipeEqual: Op = AssignOp::OrAssign; return true;
  case TK::DotEqual: Op = AssignOp::ConcatAssign; return true;
  case TK::LessLessLess: Op = AssignOp::Aggregate; return true;
  default: return false;
  }
}

Expr *Parser::parseExpression() {
  NestingScope Nesting(*this);
  if (Nesting.tooDeep())
    return nullptr;
  Expr *LHS = parseTernary();
  AssignOp Op;
  if (!LHS || !assignOp(Tok.Kind, Op))
    return LHS;
  SMLoc OpLoc = consume();
  Expr *RHS = parseExpression();
  if (!RHS)
    return nullptr;
  auto *A = new (Ctx) AssignExpr(LHS->getLoc(), Op, LHS, RHS);
  A->setOpLoc(OpLoc);
  return A;
}

Expr *Parser::parseTernary() {
  Expr *Cond = parseUnary();
  if (Cond)
    Cond = parseBinaryRHS(Cond, PrecLogicalOr);
  if (!Cond || !tryConsume(TokenKind::Question))
    return Cond;
  Expr *Then = parseExpression();
  if (!Then || !expect(TokenKind::Colon, "':' in the conditional expression"))
    return nullptr;
  NestingScope Nesting(*this); // `a ? b : c ? d : ...` recurses here
  if (Nesting.tooDeep())
    return nullptr;
  Expr *Else = parseTernary();
  if (!Else)
    return nullptr;
  return new (Ctx) TernaryExpr(Cond->getLoc(), Cond, Then, Else);
}

/// Precedence climbing over the binary levels from `||` to `*`.
///
/// The loop builds left-deep trees without recursing, but later passes
/// walk them recursively, so each operator counts as a level of nesting.
Expr *Parser::parseBinaryRHS(Expr *LHS, unsigned MinPrec) {
  unsigned SavedDepth = Depth;
  auto RestoreDepth = llvm::make_scope_exit([&] { Depth = SavedDepth; });
  for (;;) {
    if (!enterNesting())
      return nullptr;
    if (is(TokenKind::GreaterGreaterGreater)) {
      error(Tok, "'>>>' is not a SystemTap operator; use '>>' to shift "
                 "right");
      return nullptr;
    }
    BinaryOp Op = BinaryOp::Add;
    unsigned Prec = binaryPrec(Tok.Kind, Op);
    if (Prec == PrecNone || Prec < MinPrec)
      return LHS;
    if (Prec == PrecIn) {
      LHS = parseInRHS(LHS, LHS->getLoc());
      if (!LHS)
        return nullptr;
      continue;
    }
    SMLoc OpLoc = consume();
    // The right side of `=~` must be a string literal; Sema says so with
    // more context than the parser could.
    Expr *RHS = parseUnary();
    BinaryOp NextOp;
    if (RHS && binaryPrec(Tok.Kind, NextOp) > Prec)
      RHS = parseBinaryRHS(RHS, Prec + 1);
    if (!RHS)
      return nullptr;
    auto *B = new (Ctx) BinaryExpr(LHS->getLoc(), Op, LHS, RHS);
    B->setOpLoc(OpLoc);
    LHS = B;
  }
}

/// `KEYS in ARRAY` where Keys is the single unbracketed key.
Expr *Parser::parseInRHS(Expr *Key, SMLoc Loc) {
  consume(); // 'in'
  Expr *Array = parseIndexable("after 'in'");
  if (!Array)
    return nullptr;
  Expr *Keys[] = {Key};
  return new (Ctx) InExpr(Loc, Ctx.copyArray(ArrayRef<Expr *>(Keys)), Array,
                          /*Bracketed=*/false);
}

/// `[k1, k2, *] in arr`. A lone `[k]` without `in` is just k (as in stap).
Expr *Parser::parseBracketedIn() {
  Token Open = Tok;
  consume();
  llvm::SmallVector<Expr *, 4> Keys;
  if (!parseExprList(TokenKind::RBracket, Keys, /*AllowStar=*/true))
    return nullptr;
  if (!tryConsume(TokenKind::KwIn)) {
    if (Keys.size() == 1 && Keys[0])
      return Keys[0];
    errorExpected("'in' after the bracketed key list");
    return nullptr;
  }
  Expr *Array = parseIndexable("after 'in'");
  if (!Array)
    return nullptr;
  return new (Ctx) InExpr(Open.Loc, Ctx.copyArray(ArrayRef<Expr *>(Keys)),
                          Array, /*Bracketed=*/true);
}

Expr *Parser::parseUnary() {
  UnaryOp Op;
  switch (Tok.Kind) {
  case TokenKind::Plus: Op = UnaryOp::Plus; break;
  case TokenKind::Minus: Op = UnaryOp::Neg; break;
  case TokenKind::Exclaim: Op = UnaryOp::LogicalNot; break;
  case TokenKind::Tilde: Op = UnaryOp::BitNot; break;
  case TokenKind::PlusPlus:
  case TokenKind::MinusMinus: {
    Op = is(TokenKind::PlusPlus) ? UnaryOp::PreInc : UnaryOp::PreDec;
    SMLoc Loc = consume();
    Expr *E = parseTargetValue();
    return E ? new (Ctx) UnaryExpr(Loc, Op, E) : nullptr;
  }
  default:
    return parsePostfix();
  }
  NestingScope Nesting(*this);
  if (Nesting.tooDeep())
    return nullptr;
  SMLoc Loc = consume();
  bool DigitsFollow = is(TokenKind::Integer);
  Expr *E = parseUnary();
  if (!E)
    return nullptr;
  // Fold `-5` into a literal so that constants stay literals for Sema
  // (and print back as the same tree). `-9223372036854775808` folds too
  // (its digits alone wrap to a negative value); an already folded
  // negative literal (`- -5`) stays a negation.
  if (Op == UnaryOp::Neg)
    if (auto *Lit = dyn_cast<IntegerLiteral>(E);
        Lit && (Lit->getValue() >= 0 || DigitsFollow))
      return new (Ctx)
          IntegerLiteral(Loc, int64_t(uint64_t(0) - uint64_t(Lit->getValue())));
  return new (Ctx) UnaryExpr(Loc, Op, E);
}

Expr *Parser::parsePostfix() {
  Expr *E = parseTargetValue();
  if (!E || !(is(TokenKind::PlusPlus) || is(TokenKind::MinusMinus)))
    return E;
  PostfixOp Op =
      is(TokenKind::PlusPlus) ? PostfixOp::PostInc : PostfixOp::PostDec;
  consume();
  return new (Ctx) PostfixExpr(E->getLoc(), Op, E);
}

/// The opener has been consumed. `*` stands for "any key" (a null entry).
bool Parser::parseExprList(TokenKind Close, llvm::SmallVectorImpl<Expr *> &Out,
                           bool AllowStar) {
  StringRef Expected = Close == TokenKind::RParen ? "',' or ')'" : "',' or ']'";
  if (!AllowStar && tryConsume(Close))
    return true;
  for (;;) {
    if (AllowStar && tryConsume(TokenKind::Star)) {
      Out.push_back(nullptr);
    } else {
      Expr *E = parseExpression();
      if (!E)
        return false;
      Out.push_back(E);
    }
    if (tryConsume(Close))
      return true;
    if (!tryConsume(TokenKind::Comma)) {
      errorExpected(Expected);
      return false;
    }
  }
}

bool Parser::parseIntegerLiteral(Expr *&Out, StringRef Context) {
  SMLoc Loc = Tok.Loc;
  bool Negative = tryConsume(TokenKind::Minus);
  if (!is(TokenKind::Integer)) {
    errorExpected(("a number " + Context).str());
    return false;
  }
  uint64_t Magnitude = Tok.IntValue;
  if (Negative && Magnitude > (uint64_t(1) << 63)) {
    error(Tok, "number is out of range");
    return false;
  }
  consume();
  // Two's complement wrap: 0xffffffffffffffff is -1, as in stap.
  Out = new (Ctx) IntegerLiteral(
      Loc, int64_t(Negative ? uint64_t(0) - Magnitude : Magnitude));
  return true;
}

/// Adjacent string literals are one literal ("a" "b" is "ab"), as in stap.
Expr *Parser::parseStringLiteral() {
  SMLoc Loc = Tok.Loc;
  StringRef Value = Tok.Text;
  consume();
  if (!is(TokenKind::String))
    return new (Ctx) StringLiteral(Loc, Value);
  llvm::SmallString<128> Joined(Value);
  while (is(TokenKind::String)) {
    Joined += Tok.Text;
    consume();
  }
  return new (Ctx) StringLiteral(Loc, Ctx.save(Joined.str()));
}
