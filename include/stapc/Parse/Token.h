//===- Token.h - Tokens of the SystemTap language --------------*- C++ -*-===//
#ifndef STAPC_PARSE_TOKEN_H
#define STAPC_PARSE_TOKEN_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/SMLoc.h"

#include <cstdint>

namespace stapc {

enum class TokenKind : uint8_t {
  Eof,
  Error, // the lexer already reported it

  Identifier, // foo, kernel_v (also keywords: see isKeyword below)
  Integer,    // 42, 0x2a, 052 (value in IntValue)
  String,     // "..." (Text holds the decoded value)
  TargetVar,  // $name, $$vars, $$parms... (Text keeps the '$'s)
  AtOp,       // @cast, @var, @count... (Text excludes '@'); macros are gone
  Embedded,   // %{ ... %} (Text holds the code between the delimiters)

  // Keywords.
  KwProbe, KwGlobal, KwFunction, KwPrivate, KwIf, KwElse, KwWhile, KwFor,
  KwForeach, KwIn, KwLimit, KwBreak, KwContinue, KwNext, KwReturn,
  KwDelete, KwTry, KwCatch,

  // Punctuation and operators.
  LParen, RParen, LBrace, RBrace, LBracket, RBracket,
  Comma, Semi, Colon, Question, Dot, Arrow, Dollar,
  Plus, Minus, Star, Slash, Percent, Amp, Pipe, Caret, Tilde, Exclaim,
  PlusPlus, MinusMinus, AmpAmp, PipePipe,
  Less, Greater, LessEqual, GreaterEqual, EqualEqual, ExclaimEqual,
  EqualTilde, ExclaimTilde, LessLess, GreaterGreater,
  Equal, PlusEqual, MinusEqual, StarEqual, SlashEqual, PercentEqual,
  LessLessEqual, GreaterGreaterEqual, AmpEqual, PipeEqual, CaretEqual,
  DotEqual, LessLessLess, // <<<
  GreaterGreaterGreater,  // >>> (reserved; reported by the parser)

  // Only between the Lexer and the Preprocessor; next() never returns these.
  PPIf,    // %(
  PPThen,  // %?
  PPElse,  // %:
  PPEnd,   // %)
  DollarArg, // $1, $# (Text is "1" / "#")
  AtArg,     // @1, @# (Text is "1" / "#")
  /// A lexical error not reported yet (IntValue encodes it, see Lexer.h):
  /// reported only if the token survives conditional compilation, so an
  /// untaken `%( %? %)` branch may hold junk.
  Invalid,
};

/// Where a token produced by macro expansion came from. Chains through
/// nested expansions; lives as long as the Preprocessor.
struct MacroExpansion {
  llvm::StringRef MacroName;
  llvm::SMLoc UseLoc;               // the `@name` that was expanded
  const MacroExpansion *Parent = nullptr;
};

struct Token {
  TokenKind Kind = TokenKind::Eof;
  llvm::SMLoc Loc;
  /// Spelling for identifiers/operators; decoded value for String; code
  /// for Embedded; name without sigil for AtOp.
  llvm::StringRef Text;
  uint64_t IntValue = 0;
  /// Length of the token in the source buffer (for caret ranges).
  unsigned Length = 0;
  /// True if white space or a comment precedes the token. Probe point
  /// components (`syscall.*`, `a.{b,c}`) are adjacent tokens.
  bool LeadingSpace = false;
  const MacroExpansion *Expansion = nullptr;

  bool is(TokenKind K) const { return Kind == K; }
  bool isNot(TokenKind K) const { return Kind != K; }
  /// Identifier or keyword (keywords are valid probe point component names:
  /// `kernel.function("f").return`).
  bool isWord() const {
    return Kind == TokenKind::Identifier ||
           (Kind >= TokenKind::KwProbe && Kind <= TokenKind::KwCatch);
  }
  llvm::SMRange getRange() const {
    return llvm::SMRange(Loc, llvm::SMLoc::getFromPointer(Loc.getPointer() + Length));
  }
};

/// Human-readable name of a token kind for "expected X" messages.
const char *tokenKindName(TokenKind K);

} // namespace stapc

#endif
