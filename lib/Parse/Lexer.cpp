//===- Lexer.cpp - SystemTap tokens (langref ch. 5) -----------------------===//
#include "stapc/Parse/Lexer.h"

#include "stapc/AST/ASTContext.h"
#include "stapc/Basic/Diagnostic.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringSwitch.h"

#include <string>

using namespace stapc;

static bool isIdentStart(char C) {
  return (C >= 'a' && C <= 'z') || (C >= 'A' && C <= 'Z') || C == '_';
}
static bool isDigit(char C) { return C >= '0' && C <= '9'; }
/// langref 5.1: `$` is a legal identifier character after the first one
/// (this is also what makes `$var$` / `$$parms$$` single tokens).
static bool isIdentBody(char C) {
  return isIdentStart(C) || isDigit(C) || C == '$';
}
static bool isAlnum(char C) { return isIdentStart(C) || isDigit(C); }

Lexer::Lexer(llvm::StringRef Buffer, DiagnosticEngine &Diags, ASTContext &Ctx)
    : BufStart(Buffer.begin()), BufEnd(Buffer.end()), CurPtr(Buffer.begin()),
      Diags(&Diags), Ctx(&Ctx) {}

Token Lexer::makeToken(TokenKind Kind, const char *Start) {
  Token T;
  T.Kind = Kind;
  T.Loc = SMLoc::getFromPointer(Start);
  T.Length = CurPtr - Start;
  T.Text = llvm::StringRef(Start, CurPtr - Start);
  T.LeadingSpace = SawSpace;
  return T;
}

Token Lexer::makeInvalid(const char *Start, LexError Err, const char *ErrPos) {
  Token T = makeToken(TokenKind::Invalid, Start);
  T.IntValue = uint64_t(Err) | (uint64_t(ErrPos - Start) << 8);
  return T;
}

/// Skips blanks and the three comment forms. Returns false (after reporting)
/// on an unterminated `/*`, which swallows the rest of the buffer.
bool Lexer::skipWhitespaceAndComments() {
  for (;;) {
    char C = *CurPtr;
    if (C == ' ' || C == '\t' || C == '\n' || C == '\r' || C == '\f' ||
        C == '\v') {
      ++CurPtr;
      SawSpace = true;
      continue;
    }
    bool LineComment =
        C == '#' || (C == '/' && CurPtr + 1 < BufEnd && CurPtr[1] == '/');
    if (LineComment) {
      while (CurPtr < BufEnd && *CurPtr != '\n')
        ++CurPtr;
      SawSpace = true;
      continue;
    }
    if (C == '/' && CurPtr + 1 < BufEnd && CurPtr[1] == '*') {
      const char *Start = CurPtr;
      CurPtr += 2;
      while (CurPtr + 1 < BufEnd && !(CurPtr[0] == '*' && CurPtr[1] == '/'))
        ++CurPtr;
      if (CurPtr + 1 >= BufEnd) {
        CurPtr = BufEnd;
        Diags->error(SMLoc::getFromPointer(Start), "unterminated comment");
        return false;
      }
      CurPtr += 2;
      SawSpace = true;
      continue;
    }
    return true;
  }
}

Token Lexer::lex() {
  SawSpace = CurPtr == BufStart;
  if (!skipWhitespaceAndComments() || CurPtr >= BufEnd) {
    CurPtr = BufEnd;
    return makeToken(TokenKind::Eof, BufEnd);
  }
  const char *Start = CurPtr;
  char C = *CurPtr;
  if (isIdentStart(C))
    return lexIdentifier(Start);
  if (isDigit(C))
    return lexNumber(Start);
  switch (C) {
  case '"':
    return lexString(Start);
  case '$':
    return lexDollar(Start);
  case '@':
    return lexAt(Start);
  case '%':
    return lexPercent(Start);
  default:
    return lexOperator(Start);
  }
}

//===----------------------------------------------------------------------===//
// Words and numbers
//===----------------------------------------------------------------------===//

static TokenKind keywordKind(llvm::StringRef S) {
  return llvm::StringSwitch<TokenKind>(S)
      .Case("probe", TokenKind::KwProbe)
      .Case("global", TokenKind::KwGlobal)
      .Case("function", TokenKind::KwFunction)
      .Case("private", TokenKind::KwPrivate)
      .Case("if", TokenKind::KwIf)
      .Case("else", TokenKind::KwElse)
      .Case("while", TokenKind::KwWhile)
      .Case("for", TokenKind::KwFor)
      .Case("foreach", TokenKind::KwForeach)
      .Case("in", TokenKind::KwIn)
      .Case("limit", TokenKind::KwLimit)
      .Case("break", TokenKind::KwBreak)
      .Case("continue", TokenKind::KwContinue)
      .Case("next", TokenKind::KwNext)
      .Case("return", TokenKind::KwReturn)
      .Case("delete", TokenKind::KwDelete)
      .Case("try", TokenKind::KwTry)
      .Case("catch", TokenKind::KwCatch)
      .Default(TokenKind::Identifier);
}

Token Lexer::lexIdentifier(const char *Start) {
  while (isIdentBody(*CurPtr))
    ++CurPtr;
  Token T = makeToken(TokenKind::Identifier, Start);
  // Keywords are 2..8 letters; skip the lookup for anything longer.
  if (T.Length <= 8)
    T.Kind = keywordKind(T.Text);
  return T;
}

/// C notation (langref 5.2.2): 0x hex, leading-0 octal, else decimal. Like
/// stap, a number runs over all following letters and digits so that `12ab`
/// is one bad number, not a number and an identifier.
Token Lexer::lexNumber(const char *Start) {
  while (isAlnum(*CurPtr))
    ++CurPtr;
  llvm::StringRef Digits(Start, CurPtr - Start);
  unsigned Radix = 10;
  if (Digits.size() > 1 && Digits[0] == '0' &&
      (Digits[1] == 'x' || Digits[1] == 'X')) {
    Radix = 16;
    Digits = Digits.drop_front(2);
    if (Digits.empty())
      return makeInvalid(Start, LexError::BadNumber, Start);
  } else if (Digits.size() > 1 && Digits[0] == '0') {
    Radix = 8;
    Digits = Digits.drop_front(1);
  }
  uint64_t Value = 0;
  for (const char &D : Digits) {
    unsigned V = isDigit(D)               ? D - '0'
                 : (D >= 'a' && D <= 'f') ? D - 'a' + 10
                 : (D >= 'A' && D <= 'F') ? D - 'A' + 10
                                          : 99;
    if (V >= Radix)
      return makeInvalid(Start, LexError::BadDigit, &D);
    // Values up to 2^64-1 are accepted (and wrap), langref 5.2.2.
    if (Value > (UINT64_MAX - V) / Radix)
      return makeInvalid(Start, LexError::NumberTooLarge, Start);
    Value = Value * Radix + V;
  }
  Token T = makeToken(TokenKind::Integer, Start);
  T.IntValue = Value;
  return T;
}

//===----------------------------------------------------------------------===//
// Strings
//===----------------------------------------------------------------------===//

static int hexDigitValue(char C) {
  if (isDigit(C))
    return C - '0';
  if (C >= 'a' && C <= 'f')
    return C - 'a' + 10;
  if (C >= 'A' && C <= 'F')
    return C - 'A' + 10;
  return -1;
}

/// P points after the backslash. Appends the decoded character to Out.
/// Unknown escapes keep the character and drop the backslash (`\q` is `q`,
/// `\"` is `"`), which is what stap does.
bool Lexer::decodeEscape(const char *&P, std::string &Out, const char *&ErrPos,
                         LexError &Err) {
  char C = *P++;
  switch (C) {
  case 'n': Out += '\n'; return true;
  case 't': Out += '\t'; return true;
  case 'a': Out += '\a'; return true;
  case 'b': Out += '\b'; return true;
  case 'f': Out += '\f'; return true;
  case 'r': Out += '\r'; return true;
  case 'v': Out += '\v'; return true;
  case 'x': {
    unsigned V = 0, N = 0;
    for (; N < 2 && hexDigitValue(*P) >= 0; ++N)
      V = V * 16 + hexDigitValue(*P++);
    if (N == 0) {
      ErrPos = P - 2;
      Err = LexError::HexEscapeWithoutDigits;
      return false;
    }
    Out += char(V);
    return true;
  }
  default:
    break;
  }
  if (C >= '0' && C <= '7') {
    unsigned V = C - '0';
    for (unsigned N = 1; N < 3 && *P >= '0' && *P <= '7'; ++N)
      V = V * 8 + (*P++ - '0');
    if (V > 255) {
      ErrPos = P - 4;
      Err = LexError::OctalEscapeTooLarge;
      return false;
    }
    Out += char(V);
    return true;
  }
  Out += C;
  return true;
}

/// A string ends at its closing quote on the same line (long literals are
/// written as adjacent pieces, langref 5.2.3). The common case without
/// escapes points Text into the buffer; only escapes allocate.
Token Lexer::lexString(const char *Start) {
  const char *P = Start + 1;
  while (P < BufEnd && *P != '"' && *P != '\\' && *P != '\n')
    ++P;
  if (P < BufEnd && *P == '"') {
    CurPtr = P + 1;
    Token T = makeToken(TokenKind::String, Start);
    T.Text = llvm::StringRef(Start + 1, P - Start - 1);
    return T;
  }
  std::string Decoded(Start + 1, P);
  const char *ErrPos = nullptr;
  LexError Err = LexError::BadCharacter;
  while (P < BufEnd && *P != '"' && *P != '\n') {
    if (*P != '\\') {
      Decoded += *P++;
      continue;
    }
    ++P;
    if (P >= BufEnd || *P == '\n')
      break;
    const char *EscErrPos;
    LexError EscErr;
    if (!decodeEscape(P, Decoded, EscErrPos, EscErr) && !ErrPos) {
      ErrPos = EscErrPos;
      Err = EscErr;
    }
  }
  if (P >= BufEnd || *P == '\n') {
    CurPtr = P;
    return makeInvalid(Start, LexError::UnterminatedString, Start);
  }
  CurPtr = P + 1;
  if (ErrPos)
    return makeInvalid(Start, Err, ErrPos);
  Token T = makeToken(TokenKind::String, Start);
  T.Text = Ctx->save(Decoded);
  return T;
}

//===----------------------------------------------------------------------===//
// Sigils: $ @ %
//===----------------------------------------------------------------------===//

/// `$name`, `$$vars`, `$var$` -> TargetVar; `$1`, `$#` -> DollarArg.
Token Lexer::lexDollar(const char *Start) {
  ++CurPtr;
  if (isDigit(*CurPtr) || *CurPtr == '#') {
    if (*CurPtr == '#')
      ++CurPtr;
    else
      while (isDigit(*CurPtr))
        ++CurPtr;
    Token T = makeToken(TokenKind::DollarArg, Start);
    T.Text = T.Text.drop_front(1);
    return T;
  }
  while (*CurPtr == '$')
    ++CurPtr;
  if (!isIdentStart(*CurPtr)) {
    CurPtr = Start + 1;
    return makeToken(TokenKind::Dollar, Start);
  }
  while (isIdentBody(*CurPtr))
    ++CurPtr;
  return makeToken(TokenKind::TargetVar, Start);
}

/// `@name` -> AtOp (Text without '@'); `@1`, `@#` -> AtArg.
Token Lexer::lexAt(const char *Start) {
  ++CurPtr;
  if (isDigit(*CurPtr) || *CurPtr == '#') {
    if (*CurPtr == '#')
      ++CurPtr;
    else
      while (isDigit(*CurPtr))
        ++CurPtr;
    Token T = makeToken(TokenKind::AtArg, Start);
    T.Text = T.Text.drop_front(1);
    return T;
  }
  if (!isIdentStart(*CurPtr))
    return makeInvalid(Start, LexError::BadCharacter, Start);
  while (isIdentBody(*CurPtr))
    ++CurPtr;
  Token T = makeToken(TokenKind::AtOp, Start);
  T.Text = T.Text.drop_front(1);
  return T;
}

Token Lexer::lexPercent(const char *Start) {
  ++CurPtr;
  TokenKind Kind = TokenKind::Percent;
  switch (*CurPtr) {
  case '{':
    return lexEmbedded(Start);
  case '}':
    ++CurPtr;
    return makeInvalid(Start, LexError::StrayEmbeddedEnd, Start);
  case '(': Kind = TokenKind::PPIf; break;
  case '?': Kind = TokenKind::PPThen; break;
  case ':': Kind = TokenKind::PPElse; break;
  case ')': Kind = TokenKind::PPEnd; break;
  case '=': Kind = TokenKind::PercentEqual; break;
  default:
    return makeToken(Kind, Start);
  }
  ++CurPtr;
  return makeToken(Kind, Start);
}

/// `%{ code %}`: Text is the code between the delimiters, untouched.
Token Lexer::lexEmbedded(const char *Start) {
  const char *P = Start + 2;
  while (P + 1 < BufEnd && !(P[0] == '%' && P[1] == '}'))
    ++P;
  if (P + 1 >= BufEnd) {
    CurPtr = BufEnd;
    Diags->error(SMLoc::getFromPointer(Start),
                 "unterminated embedded C block (missing '%}')");
    return makeInvalid(Start, LexError::Unterminated, Start);
  }
  CurPtr = P + 2;
  Token T = makeToken(TokenKind::Embedded, Start);
  T.Text = llvm::StringRef(Start + 2, P - Start - 2);
  return T;
}

//===----------------------------------------------------------------------===//
// Operators (longest match)
//===----------------------------------------------------------------------===//

Token Lexer::lexOperator(const char *Start) {
  char C0 = Start[0];
  char C1 = Start + 1 < BufEnd ? Start[1] : '\0';
  char C2 = Start + 2 < BufEnd ? Start[2] : '\0';
  auto Op = [&](unsigned Len, TokenKind K) {
    CurPtr = Start + Len;
    return makeToken(K, Start);
  };
  using TK = TokenKind;
  switch (C0) {
  case '(': return Op(1, TK::LParen);
  case ')': return Op(1, TK::RParen);
  case '{': return Op(1, TK::LBrace);
  case '}': return Op(1, TK::RBrace);
  case '[': return Op(1, TK::LBracket);
  case ']': return Op(1, TK::RBracket);
  case ',': return Op(1, TK::Comma);
  case ';': return Op(1, TK::Semi);
  case ':': return Op(1, TK::Colon);
  case '?': return Op(1, TK::Question);
  case '~': return Op(1, TK::Tilde);
  case '.': return C1 == '=' ? Op(2, TK::DotEqual) : Op(1, TK::Dot);
  case '+':
    if (C1 == '+') return Op(2, TK::PlusPlus);
    if (C1 == '=') return Op(2, TK::PlusEqual);
    return Op(1, TK::Plus);
  case '-':
    if (C1 == '-') return Op(2, TK::MinusMinus);
    if (C1 == '=') return Op(2, TK::MinusEqual);
    if (C1 == '>') return Op(2, TK::Arrow);
    return Op(1, TK::Minus);
  case '*': return C1 == '=' ? Op(2, TK::StarEqual) : Op(1, TK::Star);
  case '/': return C1 == '=' ? Op(2, TK::SlashEqual) : Op(1, TK::Slash);
  case '^': return C1 == '=' ? Op(2, TK::CaretEqual) : Op(1, TK::Caret);
  case '&':
    if (C1 == '&') return Op(2, TK::AmpAmp);
    if (C1 == '=') return Op(2, TK::AmpEqual);
    return Op(1, TK::Amp);
  case '|':
    if (C1 == '|') return Op(2, TK::PipePipe);
    if (C1 == '=') return Op(2, TK::PipeEqual);
    return Op(1, TK::Pipe);
  case '!':
    if (C1 == '=') return Op(2, TK::ExclaimEqual);
    if (C1 == '~') return Op(2, TK::ExclaimTilde);
    return Op(1, TK::Exclaim);
  case '=':
    if (C1 == '=') return Op(2, TK::EqualEqual);
    if (C1 == '~') return Op(2, TK::EqualTilde);
    return Op(1, TK::Equal);
  case '<':
    if (C1 == '<' && C2 == '<') return Op(3, TK::LessLessLess);
    if (C1 == '<' && C2 == '=') return Op(3, TK::LessLessEqual);
    if (C1 == '<') return Op(2, TK::LessLess);
    if (C1 == '=') return Op(2, TK::LessEqual);
    return Op(1, TK::Less);
  case '>':
    if (C1 == '>' && C2 == '>') return Op(3, TK::GreaterGreaterGreater);
    if (C1 == '>' && C2 == '=') return Op(3, TK::GreaterGreaterEqual);
    if (C1 == '>') return Op(2, TK::GreaterGreater);
    if (C1 == '=') return Op(2, TK::GreaterEqual);
    return Op(1, TK::Greater);
  default:
    return lexBadCharacter(Start);
  }
}

/// One bad character; a multi-byte UTF-8 sequence counts as one.
Token Lexer::lexBadCharacter(const char *Start) {
  CurPtr = Start + 1;
  while (CurPtr < BufEnd && (uint8_t(*CurPtr) & 0xC0) == 0x80)
    ++CurPtr;
  return makeInvalid(Start, LexError::BadCharacter, Start);
}

//===----------------------------------------------------------------------===//
// Deferred diagnostics
//===----------------------------------------------------------------------===//

void Lexer::reportInvalidToken(DiagnosticEngine &Diags, const Token &Tok) {
  if (Tok.isNot(TokenKind::Invalid))
    return;
  auto Err = LexError(Tok.IntValue & 0xff);
  SMLoc At = SMLoc::getFromPointer(Tok.Loc.getPointer() + (Tok.IntValue >> 8));
  llvm::StringRef Spelling(Tok.Loc.getPointer(), Tok.Length);
  switch (Err) {
  case LexError::BadCharacter: {
    unsigned char C = Spelling.empty() ? 0 : Spelling[0];
    if (C == '@')
      Diags.error(At, "expected a name or argument number after '@'");
    else if (C >= 0x20 && C < 0x7f)
      Diags.error(At, llvm::Twine("invalid character '") + Spelling +
                          "' in program");
    else
      Diags.error(At, "invalid character in program");
    return;
  }
  case LexError::BadNumber:
    Diags.error(At, "invalid number '" + Spelling + "'", {Tok.getRange()});
    return;
  case LexError::BadDigit: {
    llvm::StringRef Base = Spelling.starts_with_insensitive("0x") ? "hexadecimal"
                           : Spelling.size() > 1 && Spelling[0] == '0' ? "octal"
                                                                       : "decimal";
    Diags.error(At, "invalid digit '" + llvm::Twine(*At.getPointer()) + "' in " +
                        Base + " number",
                {Tok.getRange()});
    return;
  }
  case LexError::UnterminatedString:
    Diags.error(At, "unterminated string literal (missing '\"' on this line)",
                {Tok.getRange()});
    return;
  case LexError::NumberTooLarge:
    Diags.error(At, "number '" + Spelling + "' does not fit in 64 bits",
                {Tok.getRange()});
    return;
  case LexError::HexEscapeWithoutDigits:
    Diags.error(At, "\\x used with no following hex digits");
    return;
  case LexError::OctalEscapeTooLarge:
    Diags.error(At, "octal escape sequence out of range");
    return;
  case LexError::StrayEmbeddedEnd:
    Diags.error(At, "'%}' without a matching '%{'");
    return;
  case LexError::Unterminated:
    return; // reported when lexed
  }
}
