//===- Lexer.h - Turns a SystemTap source buffer into tokens ---*- C++ -*-===//
//
// The lexer knows the token syntax of langref ch. 5 and nothing else: no
// conditionals, macros or command-line arguments (that is the
// Preprocessor's job; it sees `%(`, `@define`, `$1` as plain tokens).
//
// Most lexical errors are *not* reported here: the lexer returns an Invalid
// token that remembers what was wrong, and the Preprocessor reports it only
// if the token is actually used. This lets an untaken `%( ... %)` branch
// contain junk, as in stap. Errors that swallow the rest of the file
// (unterminated comment or embedded-C block) are reported at once.
//
//===----------------------------------------------------------------------===//
#ifndef STAPC_PARSE_LEXER_H
#define STAPC_PARSE_LEXER_H

#include "stapc/Parse/Token.h"

namespace stapc {

class ASTContext;
class DiagnosticEngine;

/// What was wrong with an Invalid token (kept in its IntValue together with
/// the offset of the offending character inside the token).
enum class LexError : uint8_t {
  BadCharacter,
  BadNumber,
  BadDigit,
  NumberTooLarge,
  HexEscapeWithoutDigits,
  OctalEscapeTooLarge,
  StrayEmbeddedEnd,
  UnterminatedString,
  Unterminated, // comment/embedded block; already reported
};

class Lexer {
public:
  /// Buffer must be NUL-terminated (every llvm::MemoryBuffer is) and stay
  /// alive as long as the tokens. Decoded strings are saved in Ctx.
  Lexer(llvm::StringRef Buffer, DiagnosticEngine &Diags, ASTContext &Ctx);

  /// The next token; Eof at the end of the buffer (and forever after).
  Token lex();

  /// Report the error an Invalid token stands for (no-op for other kinds).
  static void reportInvalidToken(DiagnosticEngine &Diags, const Token &Tok);

private:
  bool skipWhitespaceAndComments();
  Token makeToken(TokenKind Kind, const char *Start);
  Token makeInvalid(const char *Start, LexError Err, const char *ErrPos);
  Token lexIdentifier(const char *Start);
  Token lexNumber(const char *Start);
  Token lexString(const char *Start);
  Token lexDollar(const char *Start);
  Token lexAt(const char *Start);
  Token lexPercent(const char *Start);
  Token lexEmbedded(const char *Start);
  Token lexOperator(const char *Start);
  Token lexBadCharacter(const char *Start);
  bool decodeEscape(const char *&P, std::string &Out, const char *&ErrPos,
                    LexError &Err);

  const char *BufStart;
  const char *BufEnd;
  const char *CurPtr;
  DiagnosticEngine *Diags;
  ASTContext *Ctx;
  bool SawSpace = true; // before the current token
};

} // namespace stapc

#endif
