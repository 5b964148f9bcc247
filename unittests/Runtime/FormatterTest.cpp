//===- FormatterTest.cpp - stap printf semantics --------------------------===//
#include "stapc/Runtime/Formatter.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>

using namespace stapc::runtime;

namespace {

std::string fmt(const char *Format, std::initializer_list<FormatArg> Args = {}) {
  std::vector<FormatArg> V(Args);
  return Format::parse(Format).format(V);
}
FormatArg L(int64_t V) { return FormatArg::ofLong(V); }
FormatArg S(std::string_view V) { return FormatArg::ofString(V); }

TEST(FormatterTest, LiteralTextAndPercent) {
  EXPECT_EQ(fmt("hello\n"), "hello\n");
  EXPECT_EQ(fmt("100%%"), "100%");
  EXPECT_EQ(fmt("%5%"), "%"); // Width on %% is ignored, as in stap.
  EXPECT_EQ(fmt(""), "");
}

TEST(FormatterTest, TrailingAndUnknownConversions) {
  EXPECT_EQ(fmt("abc%"), "abc%");
  EXPECT_EQ(fmt("%q%d", {L(7)}), "%q7"); // Unknown: printed, takes no argument.
  EXPECT_EQ(fmt("%-5"), "%");
}

TEST(FormatterTest, SignedDecimal) {
  EXPECT_EQ(fmt("%d", {L(42)}), "42");
  EXPECT_EQ(fmt("%i", {L(-42)}), "-42");
  EXPECT_EQ(fmt("%d", {L(0)}), "0");
  EXPECT_EQ(fmt("%d", {L(INT64_MAX)}), "9223372036854775807");
  EXPECT_EQ(fmt("%d", {L(INT64_MIN)}), "-9223372036854775808");
}

TEST(FormatterTest, SignFlags) {
  EXPECT_EQ(fmt("%+d", {L(5)}), "+5");
  EXPECT_EQ(fmt("%+d", {L(-5)}), "-5");
  EXPECT_EQ(fmt("% d", {L(5)}), " 5");
  EXPECT_EQ(fmt("% d", {L(-5)}), "-5");
  EXPECT_EQ(fmt("%+ d", {L(5)}), "+5"); // '+' wins over ' '.
  EXPECT_EQ(fmt("%+u", {L(5)}), "5");   // Signs only for signed conversions.
  EXPECT_EQ(fmt("%+x", {L(255)}), "ff");
}

TEST(FormatterTest, WidthAndJustification) {
  EXPECT_EQ(fmt("[%5d]", {L(42)}), "[   42]");
  EXPECT_EQ(fmt("[%-5d]", {L(42)}), "[42   ]");
  EXPECT_EQ(fmt("[%05d]", {L(42)}), "[00042]");
  EXPECT_EQ(fmt("[%05d]", {L(-42)}), "[-0042]");
  EXPECT_EQ(fmt("[%+05d]", {L(42)}), "[+0042]");
  EXPECT_EQ(fmt("[%-05d]", {L(42)}), "[42   ]"); // '-' overrides '0'.
  EXPECT_EQ(fmt("[%1d]", {L(12345)}), "[12345]"); // Never truncated.
  EXPECT_EQ(fmt("[% 5d]", {L(42)}), "[   42]");
}

TEST(FormatterTest, Precision) {
  EXPECT_EQ(fmt("%.3d", {L(7)}), "007");
  EXPECT_EQ(fmt("%.3d", {L(-7)}), "-007");
  EXPECT_EQ(fmt("[%6.3d]", {L(7)}), "[   007]");
  EXPECT_EQ(fmt("[%-6.3d]", {L(7)}), "[007   ]");
  // stap (unlike C) prints a zero even with precision 0, and keeps '0'.
  EXPECT_EQ(fmt("%.0d", {L(0)}), "0");
  EXPECT_EQ(fmt("%.d", {L(0)}), "0");
  EXPECT_EQ(fmt("[%06.3d]", {L(7)}), "[000007]");
  EXPECT_EQ(fmt("%.3x", {L(10)}), "00a");
}

TEST(FormatterTest, Unsigned) {
  EXPECT_EQ(fmt("%u", {L(42)}), "42");
  EXPECT_EQ(fmt("%u", {L(-1)}), "18446744073709551615");
  EXPECT_EQ(fmt("%u", {L(INT64_MIN)}), "9223372036854775808");
}

TEST(FormatterTest, Hex) {
  EXPECT_EQ(fmt("%x", {L(0xbeef)}), "beef");
  EXPECT_EQ(fmt("%X", {L(0xbeef)}), "BEEF");
  EXPECT_EQ(fmt("%x", {L(-1)}), "ffffffffffffffff");
  EXPECT_EQ(fmt("%#x", {L(255)}), "0xff");
  EXPECT_EQ(fmt("%#X", {L(255)}), "0XFF");
  EXPECT_EQ(fmt("%#x", {L(0)}), "0x0"); // stap prefixes zero too.
  EXPECT_EQ(fmt("[%#8x]", {L(255)}), "[    0xff]");
  EXPECT_EQ(fmt("[%#08x]", {L(255)}), "[0x0000ff]");
  EXPECT_EQ(fmt("[%-#8x]", {L(255)}), "[0xff    ]");
  EXPECT_EQ(fmt("[%08X]", {L(0xabc)}), "[00000ABC]");
}

TEST(FormatterTest, Octal) {
  EXPECT_EQ(fmt("%o", {L(8)}), "10");
  EXPECT_EQ(fmt("%#o", {L(8)}), "010");
  EXPECT_EQ(fmt("%#o", {L(0)}), "00");
  EXPECT_EQ(fmt("%o", {L(-1)}), "1777777777777777777777");
  EXPECT_EQ(fmt("[%5o]", {L(8)}), "[   10]");
}

TEST(FormatterTest, Pointer) {
  // Since stap 1.3, %p is %#x on the 64-bit value.
  EXPECT_EQ(fmt("%p", {L(0x1234)}), "0x1234");
  EXPECT_EQ(fmt("%p", {L(0)}), "0x0");
  EXPECT_EQ(fmt("[%10p]", {L(0x1234)}), "[    0x1234]");
  EXPECT_EQ(fmt("[%-10p]", {L(0x1234)}), "[0x1234    ]");
  EXPECT_EQ(fmt("%p", {L(-1)}), "0xffffffffffffffff");
}

TEST(FormatterTest, LengthModifiersAreIgnored) {
  EXPECT_EQ(fmt("%lld %ld %hd %Lx %lu", {L(-1), L(-2), L(70000), L(255), L(-1)}),
            "-1 -2 70000 ff 18446744073709551615");
}

TEST(FormatterTest, Char) {
  EXPECT_EQ(fmt("%c", {L('A')}), "A");
  EXPECT_EQ(fmt("%c", {L(256 + 'A')}), "A"); // Low byte only.
  EXPECT_EQ(fmt("[%3c]", {L('x')}), "[  x]");
  EXPECT_EQ(fmt("[%-3c]", {L('x')}), "[x  ]");
  EXPECT_EQ(fmt("%c", {L('\n')}), "\n");
  EXPECT_EQ(fmt("%c", {L(0)}), std::string(1, '\0'));
}

TEST(FormatterTest, CharEscapesWithHash) {
  EXPECT_EQ(fmt("%#c", {L('a')}), "a");
  EXPECT_EQ(fmt("%#c", {L('\n')}), "\\n");
  EXPECT_EQ(fmt("%#c", {L('\t')}), "\\t");
  EXPECT_EQ(fmt("%#c", {L('\\')}), "\\\\");
  EXPECT_EQ(fmt("%#c", {L('\'')}), "\\'");
  EXPECT_EQ(fmt("%#c", {L(1)}), "\\001");
  EXPECT_EQ(fmt("%#c", {L(0xff)}), "\\377");
  EXPECT_EQ(fmt("[%#4c]", {L('\n')}), "[  \\n]");
}

TEST(FormatterTest, String) {
  EXPECT_EQ(fmt("%s", {S("hello")}), "hello");
  EXPECT_EQ(fmt("[%8s]", {S("hello")}), "[   hello]");
  EXPECT_EQ(fmt("[%-8s]", {S("hello")}), "[hello   ]");
  EXPECT_EQ(fmt("[%.3s]", {S("hello")}), "[hel]");
  EXPECT_EQ(fmt("[%6.3s]", {S("hello")}), "[   hel]");
  EXPECT_EQ(fmt("[%.0s]", {S("hello")}), "[]");
  EXPECT_EQ(fmt("[%s]", {S("")}), "[]");
  EXPECT_EQ(fmt("[%2s]", {S("hello")}), "[hello]");
  // A stap string ends at its first NUL.
  EXPECT_EQ(fmt("[%s]", {S(std::string_view("ab\0cd", 5))}), "[ab]");
  // stap's runtime writes a NUL after a zero-padded string conversion.
  EXPECT_EQ(fmt("[%05s]", {S("ab")}), std::string("[   ab\0]", 8));
}

TEST(FormatterTest, StarWidthAndPrecision) {
  EXPECT_EQ(fmt("[%*d]", {L(5), L(42)}), "[   42]");
  EXPECT_EQ(fmt("[%*d]", {L(-5), L(42)}), "[42   ]"); // Negative: left.
  EXPECT_EQ(fmt("[%.*d]", {L(4), L(42)}), "[0042]");
  EXPECT_EQ(fmt("[%.*d]", {L(-4), L(42)}), "[42]"); // Negative: 0.
  EXPECT_EQ(fmt("[%*.*s]", {L(6), L(2), S("hello")}), "[    he]");
  EXPECT_EQ(fmt("[%-*s]", {L(4), S("ab")}), "[ab  ]");
  // Huge widths are clamped rather than allocated.
  EXPECT_EQ(fmt("%*d", {L(1LL << 40), L(1)}).size(), 1u);
  EXPECT_EQ(fmt("%*d", {L(1 << 30), L(1)}).size(), size_t(MaxFieldWidth));
}

TEST(FormatterTest, MemoryRawAndHex) {
  std::string_view Bytes("a\0\xff", 3);
  EXPECT_EQ(fmt("%m", {S(Bytes)}), "a"); // Default: one byte.
  EXPECT_EQ(fmt("%.3m", {S(Bytes)}), std::string(Bytes));
  EXPECT_EQ(fmt("%.3M", {S(Bytes)}), "6100ff");
  EXPECT_EQ(fmt("%M", {S(Bytes)}), "61");
  EXPECT_EQ(fmt("[%8.3M]", {S(Bytes)}), "[  6100ff]");
  EXPECT_EQ(fmt("[%-8.2M]", {S(Bytes)}), "[6100    ]");
  EXPECT_EQ(fmt("[%4.2m]", {S("xy")}), "[  xy]");
  EXPECT_EQ(fmt("[%.*M]", {L(2), S("\x01\x02\x03")}), "[0102]");
  // Fewer bytes than the precision: print what arrived.
  EXPECT_EQ(fmt("%.8M", {S("\x10")}), "10");
}

TEST(FormatterTest, BinaryWrite) {
  int64_t V = 0x0102030405060708;
  EXPECT_EQ(fmt("%b", {L(V)}), std::string("\x08\x07\x06\x05\x04\x03\x02\x01", 8));
  EXPECT_EQ(fmt("%1b", {L(V)}), "\x08");
  EXPECT_EQ(fmt("%2b", {L(V)}), "\x08\x07");
  EXPECT_EQ(fmt("%4b", {L(V)}), "\x08\x07\x06\x05");
  EXPECT_EQ(fmt("%8b", {L(V)}).size(), 8u);
  EXPECT_EQ(fmt("%.2b", {L(V)}), "\x08\x07");
  // Width beyond precision pads with NULs, on the left unless '-'.
  EXPECT_EQ(fmt("%4.2b", {L(V)}), std::string("\0\0\x08\x07", 4));
  EXPECT_EQ(fmt("%-4.2b", {L(V)}), std::string("\x08\x07\0\0", 4));
  // An invalid size falls back to 8 bytes.
  EXPECT_EQ(fmt("%3b", {L(V)}).size(), 8u);
  EXPECT_EQ(fmt("%1b%1b%1blo", {L(72), L(101), L(108)}), "Hello");
}

TEST(FormatterTest, ArgumentKinds) {
  Format F = Format::parse("%*.*s %d %m %% %c %.*M %b %q");
  std::vector<ArgKind> Expected = {ArgKind::Long,   ArgKind::Long, ArgKind::String,
                                   ArgKind::Long,   ArgKind::String, ArgKind::Long,
                                   ArgKind::Long,   ArgKind::String, ArgKind::Long};
  EXPECT_EQ(F.argumentKinds(), Expected);
  EXPECT_TRUE(conversionTakesString('s'));
  EXPECT_TRUE(conversionTakesString('M'));
  EXPECT_FALSE(conversionTakesString('p'));
}

TEST(FormatterTest, MissingOrMistypedArgumentsDoNotCrash) {
  EXPECT_EQ(fmt("%d %s|"), "0 |");
  EXPECT_EQ(fmt("%d %s|", {S("x"), L(1)}), "0 |");
}

} // namespace
