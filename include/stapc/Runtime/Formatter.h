//===- Formatter.h - SystemTap printf semantics on decoded values -*- C++ -*-===//
//
// A stap printf format string is parsed once (per `format` metadata line)
// into literal text and conversions; formatting a record then walks that
// list. Semantics follow the stap runtime (runtime/vsprintf.c) on 64-bit
// values, not C's printf: e.g. `%#x` of 0 is "0x0", `%p` is `%#x`, a
// precision of 0 still prints "0", `%b` writes raw native-endian bytes.
//
//===----------------------------------------------------------------------===//
#ifndef STAPC_RUNTIME_FORMATTER_H
#define STAPC_RUNTIME_FORMATTER_H

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace stapc::runtime {

/// What one payload argument is: a 64-bit integer or a byte string.
enum class ArgKind { Long, String };

/// One decoded payload argument.
struct FormatArg {
  ArgKind Kind = ArgKind::Long;
  int64_t Long = 0;
  std::string_view Bytes;

  static FormatArg ofLong(int64_t V) { return {ArgKind::Long, V, {}}; }
  static FormatArg ofString(std::string_view S) { return {ArgKind::String, 0, S}; }
};

/// printf flags, as a bit set.
enum FormatFlag : unsigned {
  FlagLeft = 1,    ///< '-'
  FlagPlus = 2,    ///< '+'
  FlagSpace = 4,   ///< ' '
  FlagSpecial = 8, ///< '#'
  FlagZeroPad = 16 ///< '0'
};

/// Width/precision: absent, a literal number, or `*` (taken from the args).
constexpr int NoValue = -1;
constexpr int FromArgument = -2;

/// One `%...` directive, or literal text when Conversion == 0.
struct FormatPiece {
  char Conversion = 0; ///< 'd','i','u','x','X','o','b','c','s','p','m','M','%'
                       ///< or any other char (printed back literally).
  unsigned Flags = 0;
  int Width = NoValue;
  int Precision = NoValue;
  std::string Literal; ///< Text for literal pieces and unknown conversions.
};

/// A parsed stap format string.
class Format {
public:
  /// Parsing never fails: like stap's runtime, an unknown conversion is
  /// printed back literally and consumes no argument.
  static Format parse(std::string_view Text);

  /// The payload arguments this format consumes, in order (a `*` width or
  /// precision is a Long before the converted value).
  const std::vector<ArgKind> &argumentKinds() const { return Kinds; }
  const std::vector<FormatPiece> &pieces() const { return Pieces; }

  /// Appends the formatted text to Out. Args must match argumentKinds();
  /// missing or mistyped arguments format as 0 / "" rather than crash.
  void format(std::span<const FormatArg> Args, std::string &Out) const;
  std::string format(std::span<const FormatArg> Args) const {
    std::string S;
    format(Args, S);
    return S;
  }

private:
  std::vector<FormatPiece> Pieces;
  std::vector<ArgKind> Kinds;
};

/// Does this conversion take a string argument in the record payload?
bool conversionTakesString(char Conversion);

/// The largest width or precision honoured; bigger values (e.g. from a
/// `*` argument) are clamped so a bad record cannot exhaust memory.
constexpr int MaxFieldWidth = 65536;

} // namespace stapc::runtime

#endif // STAPC_RUNTIME_FORMATTER_H
