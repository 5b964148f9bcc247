//===- Formatter.cpp - SystemTap printf semantics -------------------------===//
//
// Implements stap's printf on 64-bit values. The rules were learned from the
// stap runtime's behaviour (number padding, '#' prefixes, %b binary writes,
// %m/%M memory dumps, %c escapes) and re-implemented here; see
// docs/ObjectFormat.md for the list of conversions.
//
//===----------------------------------------------------------------------===//
#include "stapc/Runtime/Formatter.h"

#include <algorithm>
#include <cctype>
#include <cstring>

namespace stapc::runtime {

bool conversionTakesString(char Conversion) {
  return Conversion == 's' || Conversion == 'm' || Conversion == 'M';
}

static bool takesLong(char Conversion) {
  return std::strchr("diuxXopbc", Conversion) != nullptr && Conversion != 0;
}

//===----------------------------------------------------------------------===//
// Parsing
//===----------------------------------------------------------------------===//

namespace {
class FormatParser {
public:
  explicit FormatParser(std::string_view Text) : Text(Text) {}

  /// Parses the directive after a '%' at Pos; returns it (Pos moves past).
  FormatPiece parseDirective() {
    FormatPiece P;
    P.Flags = parseFlags();
    P.Width = parseNumberOrStar();
    if (peek() == '.') {
      ++Pos;
      P.Precision = parseNumberOrStar();
      // A lone '.' means precision 0, as in C.
      if (P.Precision == NoValue)
        P.Precision = 0;
    }
    skipLengthModifier();
    if (Pos >= Text.size()) {
      // A '%' at the very end prints itself; flags and width are dropped.
      P.Conversion = '?';
      P.Literal = "%";
      return P;
    }
    P.Conversion = Text[Pos++];
    if (!takesLong(P.Conversion) && !conversionTakesString(P.Conversion) &&
        P.Conversion != '%')
      P.Literal = std::string("%") + P.Conversion;
    return P;
  }

  bool atEnd() const { return Pos >= Text.size(); }
  char peek() const { return Pos < Text.size() ? Text[Pos] : '\0'; }

  /// Literal text up to the next '%' (which is consumed).
  std::string takeLiteral() {
    size_t Percent = Text.find('%', Pos);
    size_t End = Percent == std::string_view::npos ? Text.size() : Percent;
    std::string S(Text.substr(Pos, End - Pos));
    Pos = Percent == std::string_view::npos ? End : Percent + 1;
    SawPercent = Percent != std::string_view::npos;
    return S;
  }

  bool SawPercent = false;

private:
  unsigned parseFlags() {
    unsigned Flags = 0;
    for (;; ++Pos) {
      switch (peek()) {
      case '-': Flags |= FlagLeft; continue;
      case '+': Flags |= FlagPlus; continue;
      case ' ': Flags |= FlagSpace; continue;
      case '#': Flags |= FlagSpecial; continue;
      case '0': Flags |= FlagZeroPad; continue;
      default: return Flags;
      }
    }
  }

  int parseNumberOrStar() {
    if (peek() == '*') {
      ++Pos;
      return FromArgument;
    }
    if (!std::isdigit(static_cast<unsigned char>(peek())))
      return NoValue;
    long long V = 0;
    while (std::isdigit(static_cast<unsigned char>(peek()))) {
      V = std::min<long long>(V * 10 + (Text[Pos] - '0'), MaxFieldWidth);
      ++Pos;
    }
    return static_cast<int>(V);
  }

  // stap accepts C length modifiers; every value is 64-bit anyway.
  void skipLengthModifier() {
    while (peek() == 'h' || peek() == 'l' || peek() == 'L')
      ++Pos;
  }

  std::string_view Text;
  size_t Pos = 0;
};
} // namespace

Format Format::parse(std::string_view Text) {
  Format F;
  FormatParser P(Text);
  while (!P.atEnd()) {
    std::string Lit = P.takeLiteral();
    if (!Lit.empty()) {
      FormatPiece L;
      L.Literal = std::move(Lit);
      F.Pieces.push_back(std::move(L));
    }
    if (!P.SawPercent)
      break;
    FormatPiece D = P.parseDirective();
    if (D.Width == FromArgument)
      F.Kinds.push_back(ArgKind::Long);
    if (D.Precision == FromArgument)
      F.Kinds.push_back(ArgKind::Long);
    if (conversionTakesString(D.Conversion))
      F.Kinds.push_back(ArgKind::String);
    else if (takesLong(D.Conversion))
      F.Kinds.push_back(ArgKind::Long);
    F.Pieces.push_back(std::move(D));
  }
  return F;
}

//===----------------------------------------------------------------------===//
// Formatting
//===----------------------------------------------------------------------===//

namespace {
/// Hands out arguments in order; tolerant of short or mistyped lists.
class ArgCursor {
public:
  explicit ArgCursor(std::span<const FormatArg> Args) : Args(Args) {}
  int64_t nextLong() {
    if (Next >= Args.size())
      return 0;
    const FormatArg &A = Args[Next++];
    return A.Kind == ArgKind::Long ? A.Long : 0;
  }
  std::string_view nextString() {
    if (Next >= Args.size())
      return {};
    const FormatArg &A = Args[Next++];
    return A.Kind == ArgKind::String ? A.Bytes : std::string_view();
  }

private:
  std::span<const FormatArg> Args;
  size_t Next = 0;
};

void pad(std::string &Out, int Count, char C = ' ') {
  if (Count > 0)
    Out.append(static_cast<size_t>(Count), C);
}

/// Integer conversions (d i u x X o p), following stap's number().
void formatNumber(std::string &Out, uint64_t Num, char Conv, unsigned Flags,
                  int Width, int Precision) {
  bool Signed = Conv == 'd' || Conv == 'i';
  unsigned Base = 10;
  if (Conv == 'x' || Conv == 'X' || Conv == 'p')
    Base = 16;
  else if (Conv == 'o')
    Base = 8;
  if (Conv == 'p') // %p is %#x since stap 1.3.
    Flags |= FlagSpecial;
  if (Flags & FlagLeft)
    Flags &= ~FlagZeroPad;
  const char *Digits = Conv == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";

  int Size = Width;
  char Sign = 0;
  if (Signed) {
    if (static_cast<int64_t>(Num) < 0) {
      Sign = '-';
      Num = 0 - Num; // Unsigned negation: well defined for INT64_MIN.
    } else if (Flags & FlagPlus) {
      Sign = '+';
    } else if (Flags & FlagSpace) {
      Sign = ' ';
    }
    if (Sign)
      --Size;
  }
  // stap prints the 0x / 0 prefix even for a zero value.
  bool Prefix = (Flags & FlagSpecial) && (Base == 16 || Base == 8);
  if (Prefix)
    Size -= Base == 16 ? 2 : 1;

  char Tmp[66];
  int N = 0;
  do {
    Tmp[N++] = Digits[Num % Base];
    Num /= Base;
  } while (Num != 0);
  // Unlike C, precision 0 still prints a lone "0".
  int Prec = std::max(Precision, N);
  Size -= Prec;

  if (!(Flags & (FlagZeroPad | FlagLeft)))
    pad(Out, Size), Size = 0;
  if (Sign)
    Out += Sign;
  if (Prefix) {
    Out += '0';
    if (Base == 16)
      Out += Conv == 'X' ? 'X' : 'x';
  }
  if (!(Flags & FlagLeft))
    pad(Out, Size, (Flags & FlagZeroPad) ? '0' : ' '), Size = 0;
  pad(Out, Prec - N, '0');
  while (N > 0)
    Out += Tmp[--N];
  pad(Out, Size);
}

/// The escape sequence '#' gives a non-printable character, or "" if none.
std::string charEscape(unsigned char C) {
  switch (C) {
  case '\a': return "\\a";
  case '\b': return "\\b";
  case '\f': return "\\f";
  case '\n': return "\\n";
  case '\r': return "\\r";
  case '\t': return "\\t";
  case '\v': return "\\v";
  case '\'': return "\\'";
  case '\\': return "\\\\";
  }
  if (C < 0x80 && std::isprint(C))
    return "";
  char Oct[5] = {'\\', char('0' + ((C >> 6) & 3)), char('0' + ((C >> 3) & 7)),
                 char('0' + (C & 7)), 0};
  return Oct;
}

void formatChar(std::string &Out, int64_t Value, unsigned Flags, int Width) {
  unsigned char C = static_cast<unsigned char>(Value);
  std::string Text(1, static_cast<char>(C));
  if (Flags & FlagSpecial) {
    std::string Esc = charEscape(C);
    if (!Esc.empty())
      Text = Esc;
  }
  int Padding = Width - static_cast<int>(Text.size());
  if (!(Flags & FlagLeft))
    pad(Out, Padding);
  Out += Text;
  if (Flags & FlagLeft)
    pad(Out, Padding);
}

/// %s (string), %m (raw memory bytes) and %M (memory as hex).
void formatMemory(std::string &Out, std::string_view Bytes, char Conv,
                  unsigned Flags, int Width, int Precision) {
  std::string Text;
  if (Conv == 's') {
    // stap strings end at the first NUL; precision caps the length.
    size_t Len = Bytes.find('\0');
    if (Len == std::string_view::npos)
      Len = Bytes.size();
    if (Precision >= 0)
      Len = std::min(Len, static_cast<size_t>(Precision));
    Text.assign(Bytes.substr(0, Len));
  } else {
    // The BPF side read max(precision, 1) bytes; print what arrived.
    size_t Len = std::min<size_t>(Precision > 0 ? Precision : 1, Bytes.size());
    if (Conv == 'm') {
      Text.assign(Bytes.substr(0, Len));
    } else {
      static const char Hex[] = "0123456789abcdef";
      for (size_t I = 0; I < Len; ++I) {
        unsigned char B = static_cast<unsigned char>(Bytes[I]);
        Text += Hex[B >> 4];
        Text += Hex[B & 15];
      }
    }
  }
  int Padding = Width - static_cast<int>(Text.size());
  if (!(Flags & FlagLeft))
    pad(Out, Padding);
  Out += Text;
  if (Flags & FlagLeft)
    pad(Out, Padding);
  // stap's runtime emits a NUL byte after a zero-padded string conversion.
  if (Flags & FlagZeroPad)
    Out += '\0';
}

int validBinarySize(int N) {
  return (N == 1 || N == 2 || N == 4 || N == 8) ? N : NoValue;
}

/// %b: the value's low Precision bytes in native byte order, NUL-padded to
/// Width. Width and precision default to each other, then to 8.
void formatBinary(std::string &Out, int64_t Value, unsigned Flags, int Width,
                  int Precision) {
  int Bytes = validBinarySize(Precision);
  if (Width == NoValue) {
    Width = Bytes == NoValue ? 8 : Bytes;
    if (Bytes == NoValue)
      Bytes = 8;
  } else if (Bytes == NoValue) {
    Bytes = validBinarySize(Width);
    if (Bytes == NoValue)
      Bytes = 8;
  }
  char Buf[8];
  switch (Bytes) {
  case 1: { int8_t V = static_cast<int8_t>(Value); std::memcpy(Buf, &V, 1); break; }
  case 2: { int16_t V = static_cast<int16_t>(Value); std::memcpy(Buf, &V, 2); break; }
  case 4: { int32_t V = static_cast<int32_t>(Value); std::memcpy(Buf, &V, 4); break; }
  default: std::memcpy(Buf, &Value, 8); break;
  }
  int Padding = Width - Bytes;
  if (!(Flags & FlagLeft))
    pad(Out, Padding, '\0');
  Out.append(Buf, static_cast<size_t>(Bytes));
  if (Flags & FlagLeft)
    pad(Out, Padding, '\0');
}
} // namespace

void Format::format(std::span<const FormatArg> Args, std::string &Out) const {
  ArgCursor Cursor(Args);
  for (const FormatPiece &P : Pieces) {
    if (P.Conversion == 0) {
      Out += P.Literal;
      continue;
    }
    unsigned Flags = P.Flags;
    int Width = P.Width;
    if (Width == FromArgument) {
      // The argument is an int in stap's runtime; negative means '-'.
      int W = static_cast<int>(Cursor.nextLong());
      if (W < 0) {
        Flags |= FlagLeft;
        W = W == INT32_MIN ? MaxFieldWidth : -W;
      }
      Width = std::min(W, MaxFieldWidth);
    }
    int Precision = P.Precision;
    if (Precision == FromArgument)
      Precision = std::clamp(static_cast<int>(Cursor.nextLong()), 0, MaxFieldWidth);

    switch (P.Conversion) {
    case '%':
      Out += '%';
      break;
    case 's':
    case 'm':
    case 'M':
      formatMemory(Out, Cursor.nextString(), P.Conversion, Flags, Width, Precision);
      break;
    case 'c':
      formatChar(Out, Cursor.nextLong(), Flags, Width);
      break;
    case 'b':
      formatBinary(Out, Cursor.nextLong(), Flags, Width, Precision);
      break;
    case 'd': case 'i': case 'u': case 'x': case 'X': case 'o': case 'p':
      formatNumber(Out, static_cast<uint64_t>(Cursor.nextLong()), P.Conversion,
                   Flags, Width, Precision);
      break;
    default:
      Out += P.Literal; // Unknown conversion: printed back.
      break;
    }
  }
}

} // namespace stapc::runtime
