//===- PPConditions.cpp - %( CONDITION %? ... %: ... %) (langref 5.8) -----===//
//
// Condition grammar (stap(1) "PREPROCESSING"; parentheses and `!` are our
// extension, stap has only && binding tighter than ||):
//   or    := and ('||' and)*
//   and   := unary ('&&' unary)*
//   unary := '!' unary | '(' or ')' | operand cmp-op operand
// The left operand decides the meaning:
//   kernel_v, kernel_vr, systemtap_v   version compare (strverscmp order);
//                                      == / != with * ? [ is a glob match
//   arch, runtime, systemtap_privilege == / != glob match
//   guru_mode                          compared with a number
//   CONFIG_FOO                         == / != glob match with a string
//                                      (unset is ""), or a numeric compare
//                                      with a number or another CONFIG_
//   a number / a string                compared with one of the same kind
//                                      (that is what $#, @1... become)
//
//===----------------------------------------------------------------------===//
#include "PreprocessorImpl.h"

#include "stapc/Basic/Diagnostic.h"

#include "llvm/Support/GlobPattern.h"

using namespace stapc;

//===----------------------------------------------------------------------===//
// Comparisons
//===----------------------------------------------------------------------===//

static bool isComparison(TokenKind K) {
  return K == TokenKind::Less || K == TokenKind::LessEqual ||
         K == TokenKind::Greater || K == TokenKind::GreaterEqual ||
         K == TokenKind::EqualEqual || K == TokenKind::ExclaimEqual;
}

/// Apply a comparison operator to a three-way result (<0, 0, >0).
static bool applyComparison(TokenKind Op, int Cmp) {
  switch (Op) {
  case TokenKind::Less: return Cmp < 0;
  case TokenKind::LessEqual: return Cmp <= 0;
  case TokenKind::Greater: return Cmp > 0;
  case TokenKind::GreaterEqual: return Cmp >= 0;
  case TokenKind::EqualEqual: return Cmp == 0;
  default: return Cmp != 0;
  }
}

template <typename T> static int threeWay(T A, T B) {
  return A < B ? -1 : A > B ? 1 : 0;
}

static bool isDigit(char C) { return C >= '0' && C <= '9'; }

/// The order of glibc's strverscmp for the strings that occur in practice:
/// digit runs compare as numbers, everything else byte by byte.
static int compareVersions(llvm::StringRef A, llvm::StringRef B) {
  size_t I = 0, J = 0;
  while (I < A.size() && J < B.size()) {
    if (isDigit(A[I]) && isDigit(B[J])) {
      size_t EI = I, EJ = J;
      while (EI < A.size() && A[EI] == '0')
        ++EI;
      while (EJ < B.size() && B[EJ] == '0')
        ++EJ;
      size_t SI = EI, SJ = EJ;
      while (EI < A.size() && isDigit(A[EI]))
        ++EI;
      while (EJ < B.size() && isDigit(B[EJ]))
        ++EJ;
      llvm::StringRef NA = A.slice(SI, EI), NB = B.slice(SJ, EJ);
      if (NA.size() != NB.size())
        return threeWay(NA.size(), NB.size());
      if (int C = NA.compare(NB))
        return C;
      I = EI;
      J = EJ;
      continue;
    }
    if (A[I] != B[J])
      return threeWay((unsigned char)A[I], (unsigned char)B[J]);
    ++I;
    ++J;
  }
  return threeWay(A.size() - I, B.size() - J);
}

static bool hasWildcard(llvm::StringRef S) {
  return S.find_first_of("*?[") != llvm::StringRef::npos;
}

/// fnmatch-style match; a malformed pattern only matches itself.
static bool globMatches(llvm::StringRef Pattern, llvm::StringRef S) {
  llvm::Expected<llvm::GlobPattern> G = llvm::GlobPattern::create(Pattern);
  if (!G) {
    llvm::consumeError(G.takeError());
    return Pattern == S;
  }
  return G->match(S);
}

static bool parseConfigNumber(llvm::StringRef S, int64_t &Out) {
  return !S.empty() && !S.getAsInteger(0, Out);
}

//===----------------------------------------------------------------------===//
// The evaluator
//===----------------------------------------------------------------------===//

/// Condition tokens are macro-expanded (tapsets write `%( @_IS_SREG_KERNEL
/// %?`) and may use `$#`, `@1`...
Token Preprocessor::Impl::nextConditionToken() {
  for (;;) {
    Token T = nextExpanded();
    if (T.is(TokenKind::DollarArg) || T.is(TokenKind::AtArg)) {
      Token Out;
      if (substituteArgument(T, Out))
        return Out;
      continue;
    }
    if (T.is(TokenKind::Invalid)) {
      Lexer::reportInvalidToken(Diags, T);
      noteExpansion(Diags, T);
      T.Kind = TokenKind::Error;
    }
    return T;
  }
}

bool Preprocessor::Impl::evalOr(bool &Value) {
  if (!evalAnd(Value))
    return false;
  while (CondTok.is(TokenKind::PipePipe)) {
    CondTok = nextConditionToken();
    bool Rhs;
    if (!evalAnd(Rhs))
      return false;
    Value = Value || Rhs;
  }
  return true;
}

bool Preprocessor::Impl::evalAnd(bool &Value) {
  if (!evalUnary(Value))
    return false;
  while (CondTok.is(TokenKind::AmpAmp)) {
    CondTok = nextConditionToken();
    bool Rhs;
    if (!evalUnary(Rhs))
      return false;
    Value = Value && Rhs;
  }
  return true;
}

bool Preprocessor::Impl::evalUnary(bool &Value) {
  if (CondTok.is(TokenKind::Exclaim)) {
    CondTok = nextConditionToken();
    if (!evalUnary(Value))
      return false;
    Value = !Value;
    return true;
  }
  if (CondTok.is(TokenKind::LParen)) {
    CondTok = nextConditionToken();
    if (!evalOr(Value))
      return false;
    if (CondTok.isNot(TokenKind::RParen)) {
      Diags.error(CondTok.Loc, "expected ')' in preprocessor condition",
                  {CondTok.getRange()});
      noteExpansion(Diags, CondTok);
      return false;
    }
    CondTok = nextConditionToken();
    return true;
  }
  return evalComparison(Value);
}

namespace {
/// What the left operand of a comparison tests.
enum class OperandKind { Version, GlobString, Number, Config, String, Bad };
} // namespace

static OperandKind classifyLeft(const Token &L) {
  if (L.is(TokenKind::Integer))
    return OperandKind::Number;
  if (L.is(TokenKind::String))
    return OperandKind::String;
  if (L.isNot(TokenKind::Identifier))
    return OperandKind::Bad;
  llvm::StringRef N = L.Text;
  if (N == "kernel_v" || N == "kernel_vr" || N == "systemtap_v")
    return OperandKind::Version;
  if (N == "arch" || N == "runtime" || N == "systemtap_privilege")
    return OperandKind::GlobString;
  if (N == "guru_mode")
    return OperandKind::Number;
  if (N.starts_with("CONFIG_"))
    return OperandKind::Config;
  return OperandKind::Bad;
}

bool Preprocessor::Impl::evalComparison(bool &Value) {
  Token L = CondTok;
  OperandKind Kind = classifyLeft(L);
  if (Kind == OperandKind::Bad && L.is(TokenKind::AtOp) &&
      (L.Text == "defined" || L.Text == "const")) {
    // Both need the elaborated program or kernel headers; stap does not
    // accept them in %( %) either.
    Diags.error(L.Loc,
                "'@" + L.Text +
                    "' cannot be evaluated by the preprocessor; test it in "
                    "an expression instead, e.g. '@" + L.Text + "(...) ? a : b'",
                {L.getRange()});
    noteExpansion(Diags, L);
    return false;
  }
  if (Kind == OperandKind::Bad) {
    if (L.isNot(TokenKind::Error))
      Diags.error(L.Loc,
                  "expected a preprocessor condition (kernel_v, kernel_vr, "
                  "arch, runtime, systemtap_v, systemtap_privilege, guru_mode, "
                  "CONFIG_..., or a comparison of two literals)",
                  {L.getRange()});
    noteExpansion(Diags, L);
    return false;
  }
  Token Op = nextConditionToken();
  if (!isComparison(Op.Kind)) {
    Diags.error(Op.Loc, "expected a comparison operator after '" +
                            llvm::StringRef(L.Loc.getPointer(), L.Length) + "'",
                {Op.getRange()});
    noteExpansion(Diags, Op);
    CondTok = Op;
    return false;
  }
  Token R = nextConditionToken();
  CondTok = nextConditionToken();
  bool Equality = Op.is(TokenKind::EqualEqual) || Op.is(TokenKind::ExclaimEqual);
  auto Fail = [&](const llvm::Twine &Msg) {
    Diags.error(R.Loc, Msg, {R.getRange()});
    noteExpansion(Diags, R);
    return false;
  };

  switch (Kind) {
  case OperandKind::Version: {
    if (R.isNot(TokenKind::String))
      return Fail("expected a version string after '" + L.Text + " " +
                  Op.Text + "'");
    llvm::StringRef Actual = L.Text == "kernel_v"    ? Opts.KernelVersion
                             : L.Text == "kernel_vr" ? Opts.KernelRelease
                                                     : Opts.SystemtapVersion;
    if (Equality && hasWildcard(R.Text))
      Value = globMatches(R.Text, Actual) == Op.is(TokenKind::EqualEqual);
    else
      Value = applyComparison(Op.Kind, compareVersions(Actual, R.Text));
    return true;
  }
  case OperandKind::GlobString: {
    if (R.isNot(TokenKind::String) || !Equality)
      return Fail("'" + L.Text + "' can only be compared with == or != to a string");
    llvm::StringRef Actual = L.Text == "arch"      ? Opts.Arch
                             : L.Text == "runtime" ? Opts.Runtime
                                                   : Opts.Privilege;
    Value = globMatches(R.Text, Actual) == Op.is(TokenKind::EqualEqual);
    return true;
  }
  case OperandKind::Number: {
    if (R.isNot(TokenKind::Integer))
      return Fail("expected a number on the right of the comparison");
    int64_t Actual = L.is(TokenKind::Integer) ? int64_t(L.IntValue)
                                              : int64_t(Opts.GuruMode);
    Value = applyComparison(Op.Kind, threeWay(Actual, int64_t(R.IntValue)));
    return true;
  }
  case OperandKind::String:
    if (R.isNot(TokenKind::String))
      return Fail("expected a string on the right of the comparison");
    Value = applyComparison(Op.Kind, L.Text.compare(R.Text));
    return true;
  case OperandKind::Config: {
    std::string Actual = Opts.KernelConfig.lookup(L.Text);
    if (R.is(TokenKind::String)) {
      if (!Equality)
        return Fail("a CONFIG_ option can only be compared with == or != to a string");
      Value = globMatches(R.Text, Actual) == Op.is(TokenKind::EqualEqual);
      return true;
    }
    int64_t Rhs = 0, Lhs = 0;
    if (R.is(TokenKind::Integer)) {
      Rhs = int64_t(R.IntValue);
    } else if (R.is(TokenKind::Identifier) && R.Text.starts_with("CONFIG_")) {
      // Unset or non-numeric options make the comparison false.
      if (!parseConfigNumber(Opts.KernelConfig.lookup(R.Text), Rhs)) {
        Value = false;
        return true;
      }
    } else {
      return Fail("expected a string, a number or a CONFIG_ option after '" +
                  L.Text + " " + Op.Text + "'");
    }
    Value = parseConfigNumber(Actual, Lhs) &&
            applyComparison(Op.Kind, threeWay(Lhs, Rhs));
    return true;
  }
  case OperandKind::Bad:
    break;
  }
  return false;
}

//===----------------------------------------------------------------------===//
// %( %? %: %)
//===----------------------------------------------------------------------===//

void Preprocessor::Impl::handleIf(const Token &IfTok) {
  CondTok = nextConditionToken();
  bool Value = false;
  bool Ok = evalOr(Value);
  if (Ok && CondTok.isNot(TokenKind::PPThen)) {
    Diags.error(CondTok.Loc, "expected '%?' after the preprocessor condition",
                {CondTok.getRange()});
    noteExpansion(Diags, CondTok);
    Ok = false;
  }
  if (!Ok) {
    // Resynchronize at `%?` and take the false branch; a `%)` first means
    // the whole conditional was malformed and is dropped.
    Value = false;
    unsigned Depth = 0;
    for (; CondTok.isNot(TokenKind::PPThen) || Depth; CondTok = nextRaw()) {
      if (CondTok.is(TokenKind::Eof)) {
        Diags.error(IfTok.Loc, "unterminated '%(' conditional (missing '%?')");
        return;
      }
      if (CondTok.is(TokenKind::PPIf))
        ++Depth;
      if (CondTok.is(TokenKind::PPEnd) && Depth-- == 0)
        return;
    }
  }
  if (Value) {
    Conditionals.push_back({IfTok.Loc, /*InElse=*/false});
    return;
  }
  if (skipBranch(IfTok.Loc, /*StopAtElse=*/true))
    Conditionals.push_back({IfTok.Loc, /*InElse=*/true});
}

/// `%:` ends a taken then-branch: skip the else-branch.
void Preprocessor::Impl::handleElse(const Token &ElseTok) {
  if (Conditionals.empty()) {
    Diags.error(ElseTok.Loc, "'%:' without a matching '%('", {ElseTok.getRange()});
    noteExpansion(Diags, ElseTok);
    return;
  }
  if (Conditionals.back().InElse) {
    Diags.error(ElseTok.Loc, "more than one '%:' in a conditional",
                {ElseTok.getRange()});
    noteExpansion(Diags, ElseTok);
    return;
  }
  SMLoc IfLoc = Conditionals.pop_back_val().Loc;
  skipBranch(IfLoc, /*StopAtElse=*/false);
}

void Preprocessor::Impl::handleEnd(const Token &EndTok) {
  if (Conditionals.empty()) {
    Diags.error(EndTok.Loc, "'%)' without a matching '%('", {EndTok.getRange()});
    noteExpansion(Diags, EndTok);
    return;
  }
  Conditionals.pop_back();
}

/// Untaken code is read raw: no macro expansion, no argument substitution,
/// no lexical errors; only nested %( %) must balance.
bool Preprocessor::Impl::skipBranch(SMLoc IfLoc, bool StopAtElse) {
  unsigned Depth = 0;
  for (;;) {
    Token T = nextRaw();
    switch (T.Kind) {
    case TokenKind::PPIf:
      ++Depth;
      break;
    case TokenKind::PPElse:
      if (Depth == 0 && StopAtElse)
        return true;
      break;
    case TokenKind::PPEnd:
      if (Depth == 0)
        return false;
      --Depth;
      break;
    case TokenKind::Eof:
      Diags.error(IfLoc, "unterminated '%(' conditional (missing '%)')");
      return false;
    default:
      break;
    }
  }
}
