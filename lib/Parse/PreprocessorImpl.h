//===- PreprocessorImpl.h - Private state of the Preprocessor --*- C++ -*-===//
//
// Three layers, each pulling from the one below:
//   nextRaw()      tokens from a stack of sources (the file's Lexer, macro
//                  bodies, macro arguments, command-line argument buffers);
//   nextExpanded() handles `@define` and expands `@macro(...)` uses;
//   next()         evaluates `%( %? %: %)`, substitutes `$1`/`@1`/`$#`/`@#`
//                  and reports deferred lexical errors.
// Untaken conditional branches are skipped with nextRaw(), so they are not
// macro-expanded and may hold junk (and a `.stpm` file can guard alternative
// @define's of the same macro with `%( arch == ... %)`, as the tapsets do).
//
// Token sources never allocate per token: macro bodies and arguments are
// arrays in the ASTContext arena, and frames are reused in a vector.
//
//===----------------------------------------------------------------------===//
#ifndef STAPC_LIB_PARSE_PREPROCESSORIMPL_H
#define STAPC_LIB_PARSE_PREPROCESSORIMPL_H

#include "stapc/Parse/Lexer.h"
#include "stapc/Parse/Preprocessor.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"

#include <optional>

namespace stapc {

using llvm::SMLoc;

struct MacroDef {
  llvm::StringRef Name;
  SMLoc Loc; // of the name in the @define
  llvm::ArrayRef<llvm::StringRef> Params;
  llvm::ArrayRef<Token> Body;
  /// Defined with a parameter list, possibly empty: uses need `(...)`.
  bool FunctionLike = false;
  /// The body holds a token the lexer rejected. Its first expansion reports
  /// it; later uses expand to nothing, so that a blow-up through such a
  /// macro costs no more than one through a good one (see expandMacro).
  bool BodyHasInvalidToken = false;
  mutable bool Reported = false;
};

/// One source of raw tokens.
struct TokenFrame {
  /// Lexing a buffer (the main file or a command-line argument).
  std::optional<Lexer> Lex;
  /// Otherwise replaying tokens: a macro body or a bound argument.
  llvm::ArrayRef<Token> Tokens;
  size_t Pos = 0;
  /// For a macro body: the macro (its parameters are `@name` inside) and
  /// the arguments of this use.
  const MacroDef *Macro = nullptr;
  llvm::ArrayRef<llvm::ArrayRef<Token>> Args;
  /// Stamped on every token that comes out (null: keep the token's own).
  const MacroExpansion *Expansion = nullptr;
  /// LeadingSpace of the first token: that of the `@name`/`$1` it replaces.
  bool FirstLeadingSpace = false;
  bool IsMainFile = false;
};

/// An open `%(` whose `%)` has not been seen yet.
struct OpenConditional {
  SMLoc Loc;
  bool InElse = false;
};

class Preprocessor::Impl {
public:
  Impl(llvm::SourceMgr &SM, DiagnosticEngine &Diags, ASTContext &Ctx,
       const PreprocessorOptions &Opts);

  void enterMainBuffer(unsigned BufferID);
  void loadLibraryMacros(unsigned BufferID);
  Token next();

private:
  // Raw token sources (Preprocessor.cpp).
  void pushBuffer(unsigned BufferID, bool IsMain,
                  const MacroExpansion *Exp = nullptr, bool LeadingSpace = false);
  Token nextRaw();
  /// The macro body (and its arguments) that produced the last nextRaw()
  /// token, if any: `@param` there names an argument.
  const MacroDef *LastMacro = nullptr;
  llvm::ArrayRef<llvm::ArrayRef<Token>> LastArgs;
  bool LastFromFile = false;

  // Macros (PPMacros.cpp).
  Token nextExpanded();
  void handleDefine(const Token &DefineTok);
  bool parseMacroParams(llvm::SmallVectorImpl<llvm::StringRef> &Params);
  bool readMacroBody(SMLoc DefineLoc, llvm::SmallVectorImpl<Token> &Body);
  const MacroDef *lookupMacro(llvm::StringRef Name) const;
  bool expandMacro(const MacroDef &M, const Token &Use);
  bool collectMacroArgs(const MacroDef &M, const Token &Use,
                        llvm::SmallVectorImpl<llvm::ArrayRef<Token>> &Args);
  /// Use is `@Name` inside an expansion of Name (or nested absurdly deep).
  bool isRecursiveUse(const Token &Use, llvm::StringRef Name) const;
  MacroExpansion *newExpansion(llvm::StringRef Name, const Token &Use);

  // Conditionals (PPConditions.cpp).
  void handleIf(const Token &IfTok);
  void handleElse(const Token &ElseTok);
  void handleEnd(const Token &EndTok);
  /// Skip an untaken branch. Stops after the `%)` that closes it, or after
  /// its `%:` if StopAtElse (returning true in that case).
  bool skipBranch(SMLoc IfLoc, bool StopAtElse);
  Token nextConditionToken();
  bool evalOr(bool &Value);
  bool evalAnd(bool &Value);
  bool evalUnary(bool &Value);
  bool evalComparison(bool &Value);

  // Command-line arguments (Preprocessor.cpp).
  /// Replace `$N`/`@N`/`$#`/`@#`. Returns true and sets Out when the result
  /// is a single token; false when it pushed a buffer to read from.
  bool substituteArgument(const Token &Tok, Token &Out);

  llvm::SourceMgr &SM;
  DiagnosticEngine &Diags;
  ASTContext &Ctx;
  const PreprocessorOptions &Opts;

  llvm::SmallVector<TokenFrame, 8> Frames;
  llvm::SmallVector<OpenConditional, 8> Conditionals;
  llvm::StringMap<MacroDef *> LibraryMacros;
  llvm::StringMap<MacroDef *> FileMacros;
  bool InLibraryFile = false;
  unsigned NumExpansions = 0;      // in the current file
  uint64_t NumExpandedTokens = 0;  // body tokens those expansions produced

  /// A raw token read ahead (after a macro name that needs an argument
  /// list), with the nextRaw() state that came with it.
  struct PushedBack {
    Token Tok;
    const MacroDef *Macro;
    llvm::ArrayRef<llvm::ArrayRef<Token>> Args;
    bool FromFile;
  };
  std::optional<PushedBack> Pending;
  void pushBackRaw(const Token &T) {
    Pending = PushedBack{T, LastMacro, LastArgs, LastFromFile};
  }
  /// Buffer ID per command-line argument, created on first use.
  llvm::SmallVector<unsigned, 4> ArgBuffers;
  /// Current token for the condition evaluator.
  Token CondTok;
};

} // namespace stapc

#endif
