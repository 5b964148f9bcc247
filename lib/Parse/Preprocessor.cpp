//===- Preprocessor.cpp - Token sources, positional arguments, next() -----===//
//
// See PreprocessorImpl.h for the layering. This file holds the public API,
// the stack of raw token sources, command-line argument substitution and
// the top-level next() loop.
//
//===----------------------------------------------------------------------===//
#include "PreprocessorImpl.h"

#include "stapc/AST/ASTContext.h"
#include "stapc/Basic/Diagnostic.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

using namespace stapc;

//===----------------------------------------------------------------------===//
// Public API
//===----------------------------------------------------------------------===//

Preprocessor::Preprocessor(llvm::SourceMgr &SM, DiagnosticEngine &Diags,
                           ASTContext &Ctx, const PreprocessorOptions &Opts)
    : P(std::make_unique<Impl>(SM, Diags, Ctx, Opts)) {}
Preprocessor::~Preprocessor() = default;

void Preprocessor::enterMainBuffer(unsigned BufferID) {
  P->enterMainBuffer(BufferID);
}
void Preprocessor::loadLibraryMacros(unsigned BufferID) {
  P->loadLibraryMacros(BufferID);
}
Token Preprocessor::next() { return P->next(); }

void stapc::noteExpansion(DiagnosticEngine &Diags, const Token &Tok) {
  for (const MacroExpansion *E = Tok.Expansion; E; E = E->Parent) {
    if (E->MacroName.starts_with("$"))
      Diags.note(E->UseLoc, "in expansion of command line argument '" +
                                E->MacroName + "'");
    else
      Diags.note(E->UseLoc, "in expansion of macro '" + E->MacroName + "'");
  }
}

//===----------------------------------------------------------------------===//
// Files
//===----------------------------------------------------------------------===//

Preprocessor::Impl::Impl(llvm::SourceMgr &SM, DiagnosticEngine &Diags,
                         ASTContext &Ctx, const PreprocessorOptions &Opts)
    : SM(SM), Diags(Diags), Ctx(Ctx), Opts(Opts) {}

void Preprocessor::Impl::pushBuffer(unsigned BufferID, bool IsMain,
                                    const MacroExpansion *Exp,
                                    bool LeadingSpace) {
  TokenFrame &F = Frames.emplace_back();
  F.Lex.emplace(SM.getMemoryBuffer(BufferID)->getBuffer(), Diags, Ctx);
  F.IsMainFile = IsMain;
  F.Expansion = Exp;
  F.FirstLeadingSpace = LeadingSpace;
}

/// Macros of a script are local to it (langref 5.9.1), so each new main
/// buffer starts with none but the library ones.
void Preprocessor::Impl::enterMainBuffer(unsigned BufferID) {
  Frames.clear();
  Conditionals.clear();
  FileMacros.clear();
  Pending.reset();
  NumExpansions = 0;
  NumExpandedTokens = 0;
  InLibraryFile = false;
  pushBuffer(BufferID, /*IsMain=*/true);
}

/// A `.stpm` file may contain only @define's, optionally inside
/// conditionals (stap(1) "PREPROCESSOR MACROS").
void Preprocessor::Impl::loadLibraryMacros(unsigned BufferID) {
  llvm::SmallVector<TokenFrame, 8> SavedFrames;
  llvm::SmallVector<OpenConditional, 8> SavedConds;
  std::swap(SavedFrames, Frames);
  std::swap(SavedConds, Conditionals);
  std::optional<PushedBack> SavedPending;
  std::swap(SavedPending, Pending);
  InLibraryFile = true;
  unsigned SavedExpansions = NumExpansions;
  uint64_t SavedTokens = NumExpandedTokens;
  pushBuffer(BufferID, /*IsMain=*/true);
  bool Complained = false;
  for (Token T = next(); T.isNot(TokenKind::Eof); T = next()) {
    if (Complained || T.is(TokenKind::Error))
      continue;
    Diags.error(T.Loc, "only '@define' is allowed in a macro library file",
                {T.getRange()});
    Complained = true;
  }
  InLibraryFile = false;
  NumExpansions = SavedExpansions;
  NumExpandedTokens = SavedTokens;
  std::swap(SavedFrames, Frames);
  std::swap(SavedConds, Conditionals);
  std::swap(SavedPending, Pending);
}

//===----------------------------------------------------------------------===//
// Raw tokens
//===----------------------------------------------------------------------===//

Token Preprocessor::Impl::nextRaw() {
  if (Pending) {
    PushedBack P = *Pending;
    Pending.reset();
    LastMacro = P.Macro;
    LastArgs = P.Args;
    LastFromFile = P.FromFile;
    return P.Tok;
  }
  while (!Frames.empty()) {
    TokenFrame &F = Frames.back();
    Token T;
    if (F.Lex) {
      T = F.Lex->lex();
      if (T.is(TokenKind::Eof) && !F.IsMainFile) {
        Frames.pop_back();
        continue;
      }
    } else {
      if (F.Pos == F.Tokens.size()) {
        Frames.pop_back();
        continue;
      }
      T = F.Tokens[F.Pos];
    }
    if (F.Pos++ == 0 && !F.IsMainFile)
      T.LeadingSpace = F.FirstLeadingSpace;
    if (F.Expansion)
      T.Expansion = F.Expansion;
    LastMacro = F.Macro;
    LastArgs = F.Args;
    LastFromFile = F.Lex && F.IsMainFile;
    return T;
  }
  LastMacro = nullptr;
  LastFromFile = false;
  return Token();
}

//===----------------------------------------------------------------------===//
// Command-line arguments
//===----------------------------------------------------------------------===//

MacroExpansion *Preprocessor::Impl::newExpansion(llvm::StringRef Name,
                                                 const Token &Use) {
  void *Mem = Ctx.allocate(sizeof(MacroExpansion), alignof(MacroExpansion));
  return new (Mem) MacroExpansion{Name, Use.Loc, Use.Expansion};
}

/// stap(1): `$N` is inserted unquoted (lexed as script text), `@N` as a
/// string literal; `$#` is the count as a number, `@#` as a string.
bool Preprocessor::Impl::substituteArgument(const Token &Tok, Token &Out) {
  bool AsString = Tok.is(TokenKind::AtArg);
  size_t NumArgs = Opts.Args.size();
  Out = Tok;
  if (Tok.Text == "#") {
    Out.Kind = AsString ? TokenKind::String : TokenKind::Integer;
    Out.IntValue = NumArgs;
    Out.Text = Ctx.save(std::to_string(NumArgs));
    return true;
  }
  unsigned Index = 0;
  if (Tok.Text.getAsInteger(10, Index) || Index == 0 || Index > NumArgs) {
    Diags.error(Tok.Loc,
                "command line argument index " + Tok.Text +
                    " out of range [1-" + llvm::Twine(NumArgs) + "]",
                {Tok.getRange()});
    noteExpansion(Diags, Tok);
    Out.Kind = TokenKind::Error;
    return true;
  }
  const std::string &Arg = Opts.Args[Index - 1];
  if (AsString) {
    Out.Kind = TokenKind::String;
    Out.Text = Ctx.save(Arg);
    return true;
  }
  llvm::StringRef Name = Ctx.save(("$" + Tok.Text).str());
  for (const MacroExpansion *E = Tok.Expansion; E; E = E->Parent) {
    if (E->MacroName == Name) {
      Diags.error(Tok.Loc, "command line argument " + Name + " refers to itself");
      noteExpansion(Diags, Tok);
      Out.Kind = TokenKind::Error;
      return true;
    }
  }
  if (ArgBuffers.size() < Index)
    ArgBuffers.resize(Index, 0);
  unsigned &Buf = ArgBuffers[Index - 1];
  if (!Buf)
    Buf = SM.AddNewSourceBuffer(
        llvm::MemoryBuffer::getMemBufferCopy(Arg, "<command line argument " +
                                                      Name + ">"),
        llvm::SMLoc());
  pushBuffer(Buf, /*IsMain=*/false, newExpansion(Name, Tok), Tok.LeadingSpace);
  return false;
}

//===----------------------------------------------------------------------===//
// The output
//===----------------------------------------------------------------------===//

Token Preprocessor::Impl::next() {
  for (;;) {
    Token T = nextExpanded();
    switch (T.Kind) {
    case TokenKind::PPIf:
      handleIf(T);
      continue;
    case TokenKind::PPThen:
      Diags.error(T.Loc, "'%?' without a matching '%('", {T.getRange()});
      noteExpansion(Diags, T);
      continue;
    case TokenKind::PPElse:
      handleElse(T);
      continue;
    case TokenKind::PPEnd:
      handleEnd(T);
      continue;
    case TokenKind::DollarArg:
    case TokenKind::AtArg: {
      Token Out;
      if (substituteArgument(T, Out))
        return Out;
      continue;
    }
    case TokenKind::Invalid:
      Lexer::reportInvalidToken(Diags, T);
      noteExpansion(Diags, T);
      T.Kind = TokenKind::Error;
      return T;
    case TokenKind::Eof:
      for (const OpenConditional &C : Conditionals)
        Diags.error(C.Loc, "unterminated '%(' conditional (missing '%)')");
      Conditionals.clear();
      return T;
    default:
      return T;
    }
  }
}
