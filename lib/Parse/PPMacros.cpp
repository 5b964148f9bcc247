//===- PPMacros.cpp - @define and macro expansion (langref 5.9) -----------===//
//
// `@define NAME %( BODY %)` / `@define NAME(a, b) %( BODY %)` record the raw
// body tokens; `@NAME` / `@NAME(x, y)` replays them with `@a` / `@b` bound
// to the argument token sequences. Arguments are expanded when collected,
// bodies when replayed, so macros may use macros defined after them.
// Recursion is found through the expansion chain every token carries.
//
//===----------------------------------------------------------------------===//
#include "PreprocessorImpl.h"

#include "stapc/AST/ASTContext.h"
#include "stapc/Basic/Diagnostic.h"

using namespace stapc;

/// Beyond this nesting something is wrong even without direct recursion
/// (and deeper chains would make diagnostics useless).
static constexpr unsigned MaxExpansionDepth = 200;
static constexpr unsigned MaxExpansionsPerFile = 1000000;
/// Long bodies reach the same size with fewer expansions.
static constexpr uint64_t MaxExpandedTokensPerFile = 4000000;

Token Preprocessor::Impl::nextExpanded() {
  for (;;) {
    Token T = nextRaw();
    if (T.isNot(TokenKind::AtOp))
      return T;
    if (T.Text == "define") {
      if (!LastFromFile) {
        Diags.error(T.Loc, "'@define' is only allowed at the top level of a file",
                    {T.getRange()});
        noteExpansion(Diags, T);
        T.Kind = TokenKind::Error;
        return T;
      }
      handleDefine(T);
      continue;
    }
    // Inside a macro body, `@param` is the argument's token sequence.
    if (LastMacro) {
      bool Substituted = false;
      for (size_t I = 0, E = LastMacro->Params.size(); I != E; ++I) {
        if (LastMacro->Params[I] != T.Text)
          continue;
        TokenFrame &F = Frames.emplace_back();
        F.Tokens = LastArgs[I];
        F.FirstLeadingSpace = T.LeadingSpace;
        Substituted = true;
        break;
      }
      if (Substituted)
        continue;
    }
    const MacroDef *M = lookupMacro(T.Text);
    if (!M)
      return T; // a language operator (@cast, @defined...); the parser decides
    if (isRecursiveUse(T, M->Name)) {
      Diags.error(T.Loc, "recursive expansion of macro '" + M->Name + "'",
                  {T.getRange()});
      noteExpansion(Diags, T);
      T.Kind = TokenKind::Error;
      return T;
    }
    if (!expandMacro(*M, T)) {
      T.Kind = TokenKind::Error;
      return T;
    }
  }
}

const MacroDef *Preprocessor::Impl::lookupMacro(llvm::StringRef Name) const {
  if (MacroDef *M = FileMacros.lookup(Name))
    return M;
  return LibraryMacros.lookup(Name);
}

bool Preprocessor::Impl::isRecursiveUse(const Token &Use,
                                        llvm::StringRef Name) const {
  unsigned Depth = 0;
  for (const MacroExpansion *E = Use.Expansion; E; E = E->Parent)
    if (E->MacroName == Name || ++Depth > MaxExpansionDepth)
      return true;
  return false;
}

//===----------------------------------------------------------------------===//
// Definitions
//===----------------------------------------------------------------------===//

void Preprocessor::Impl::handleDefine(const Token &DefineTok) {
  Token Name = nextRaw();
  if (!Name.isWord()) {
    Diags.error(Name.Loc.isValid() ? Name.Loc : DefineTok.Loc,
                "expected a macro name after '@define'");
    if (Name.is(TokenKind::PPIf)) { // skip the body so it is not used as code
      llvm::SmallVector<Token, 32> Ignored;
      readMacroBody(Name.Loc, Ignored);
    }
    return;
  }
  llvm::SmallVector<llvm::StringRef, 4> Params;
  Token T = nextRaw();
  bool FunctionLike = T.is(TokenKind::LParen);
  if (FunctionLike) {
    if (!parseMacroParams(Params))
      return;
    T = nextRaw();
  }
  if (T.isNot(TokenKind::PPIf)) {
    Diags.error(T.Loc.isValid() ? T.Loc : Name.Loc,
                "expected '%(' to begin the body of macro '" + Name.Text + "'");
    return;
  }
  llvm::SmallVector<Token, 32> Body;
  if (!readMacroBody(T.Loc, Body))
    return;

  llvm::StringMap<MacroDef *> &Scope = InLibraryFile ? LibraryMacros : FileMacros;
  if (MacroDef *Prev = Scope.lookup(Name.Text)) {
    Diags.error(Name.Loc, "redefinition of macro '" + Name.Text + "'",
                {Name.getRange()});
    Diags.note(Prev->Loc, "previous definition is here");
    return;
  }
  void *Mem = Ctx.allocate(sizeof(MacroDef), alignof(MacroDef));
  auto *M = new (Mem) MacroDef();
  M->Name = Name.Text;
  M->Loc = Name.Loc;
  M->Params = Ctx.copyArray<llvm::StringRef>(Params);
  M->Body = Ctx.copyArray<Token>(Body);
  M->FunctionLike = FunctionLike;
  M->BodyHasInvalidToken = llvm::any_of(
      Body, [](const Token &B) { return B.is(TokenKind::Invalid); });
  Scope[Name.Text] = M;
}

/// After `@define NAME(`: `a, b)` or `)`.
bool Preprocessor::Impl::parseMacroParams(
    llvm::SmallVectorImpl<llvm::StringRef> &Params) {
  Token T = nextRaw();
  if (T.is(TokenKind::RParen))
    return true;
  for (;;) {
    if (!T.isWord()) {
      Diags.error(T.Loc, "expected a macro parameter name", {T.getRange()});
      return false;
    }
    if (llvm::is_contained(Params, T.Text)) {
      Diags.error(T.Loc, "duplicate macro parameter '" + T.Text + "'",
                  {T.getRange()});
      return false;
    }
    Params.push_back(T.Text);
    T = nextRaw();
    if (T.is(TokenKind::RParen))
      return true;
    if (T.isNot(TokenKind::Comma)) {
      Diags.error(T.Loc, "expected ',' or ')' in macro parameter list",
                  {T.getRange()});
      return false;
    }
    T = nextRaw();
  }
}

/// Raw tokens up to the `%)` matching the `%(` at BodyLoc (nested
/// conditionals stay in the body and are evaluated at each use).
bool Preprocessor::Impl::readMacroBody(SMLoc BodyLoc,
                                       llvm::SmallVectorImpl<Token> &Body) {
  unsigned Depth = 0;
  for (;;) {
    Token T = nextRaw();
    if (T.is(TokenKind::Eof)) {
      Diags.error(BodyLoc, "unterminated macro body (missing '%)')");
      return false;
    }
    if (T.is(TokenKind::PPIf))
      ++Depth;
    if (T.is(TokenKind::PPEnd) && Depth-- == 0)
      return true;
    Body.push_back(T);
  }
}

//===----------------------------------------------------------------------===//
// Uses
//===----------------------------------------------------------------------===//

bool Preprocessor::Impl::expandMacro(const MacroDef &M, const Token &Use) {
  // Non-recursive macros can still blow up exponentially (@a is @b @b, @b
  // is @c @c...); stop instead of appearing to hang.
  if (++NumExpansions > MaxExpansionsPerFile) {
    if (NumExpansions == MaxExpansionsPerFile + 1) {
      Diags.error(Use.Loc, "too many macro expansions in one file (more than " +
                               llvm::Twine(MaxExpansionsPerFile) + ")",
                  {Use.getRange()});
      noteExpansion(Diags, Use);
    }
    return false;
  }
  // Every further expansion would report the same error again (each one
  // dropped as a duplicate, but only after formatting it).
  if (M.BodyHasInvalidToken && std::exchange(M.Reported, true))
    return false;
  NumExpandedTokens += M.Body.size();
  if (NumExpandedTokens > MaxExpandedTokensPerFile) {
    if (NumExpandedTokens - M.Body.size() <= MaxExpandedTokensPerFile) {
      Diags.error(Use.Loc, "macro expansions in one file produce too many "
                           "tokens (more than " +
                               llvm::Twine(MaxExpandedTokensPerFile) + ")",
                  {Use.getRange()});
      noteExpansion(Diags, Use);
    }
    return false;
  }
  llvm::SmallVector<llvm::ArrayRef<Token>, 4> Args;
  if (M.FunctionLike && !collectMacroArgs(M, Use, Args))
    return false;
  TokenFrame &F = Frames.emplace_back();
  F.Tokens = M.Body;
  F.Macro = &M;
  F.Args = Ctx.copyArray<llvm::ArrayRef<Token>>(Args);
  F.Expansion = newExpansion(M.Name, Use);
  F.FirstLeadingSpace = Use.LeadingSpace;
  return true;
}

static bool opensGroup(TokenKind K) {
  return K == TokenKind::LParen || K == TokenKind::LBracket ||
         K == TokenKind::LBrace || K == TokenKind::PPIf;
}
static bool closesGroup(TokenKind K) {
  return K == TokenKind::RParen || K == TokenKind::RBracket ||
         K == TokenKind::RBrace || K == TokenKind::PPEnd;
}

/// `(arg, arg, ...)` after a use: arguments split at commas outside any
/// (), [], {} or %( %).
bool Preprocessor::Impl::collectMacroArgs(
    const MacroDef &M, const Token &Use,
    llvm::SmallVectorImpl<llvm::ArrayRef<Token>> &Args) {
  // Raw, so that what follows a misused name is expanded in order.
  Token T = nextRaw();
  if (T.isNot(TokenKind::LParen)) {
    Diags.error(Use.Loc, "macro '" + M.Name + "' takes " +
                             llvm::Twine(M.Params.size()) +
                             " argument(s); expected '(' after its name",
                {Use.getRange()});
    noteExpansion(Diags, Use);
    pushBackRaw(T);
    return false;
  }
  llvm::SmallVector<Token, 16> Current;
  unsigned Depth = 0;
  for (;;) {
    T = nextExpanded();
    if (T.is(TokenKind::Eof)) {
      Diags.error(Use.Loc, "unterminated argument list of macro '" + M.Name + "'",
                  {Use.getRange()});
      noteExpansion(Diags, Use);
      return false;
    }
    if (Depth == 0 && (T.is(TokenKind::Comma) || T.is(TokenKind::RParen))) {
      Args.push_back(Ctx.copyArray<Token>(Current));
      Current.clear();
      if (T.is(TokenKind::RParen))
        break;
      continue;
    }
    if (opensGroup(T.Kind))
      ++Depth;
    else if (closesGroup(T.Kind) && Depth)
      --Depth;
    Current.push_back(T);
  }
  // `@f()` passes no arguments rather than one empty one.
  if (M.Params.empty() && Args.size() == 1 && Args[0].empty())
    Args.clear();
  if (Args.size() != M.Params.size()) {
    Diags.error(Use.Loc, "macro '" + M.Name + "' takes " +
                             llvm::Twine(M.Params.size()) +
                             " argument(s), but " + llvm::Twine(Args.size()) +
                             " were given",
                {Use.getRange()});
    noteExpansion(Diags, Use);
    Diags.note(M.Loc, "macro '" + M.Name + "' defined here");
    return false;
  }
  return true;
}
