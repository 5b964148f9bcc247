//===- RegexTest.cpp - The regex compiler against libc's regcomp/regexec --===//
//
// libc's POSIX matcher (REG_EXTENDED, C locale) is the oracle: for every
// pattern and subject, "is there a match" and the leftmost-longest match
// span must agree with what our DFAs give when walked as the BPF code walks
// them. A table of hand-picked cases, then random patterns over a small
// alphabet, then the errors.
//
//===----------------------------------------------------------------------===//
#include "stapc/Regex/Regex.h"

#include "gtest/gtest.h"

#include <random>
#include <regex.h>

using namespace stapc::regex;

namespace {

using Compiled = CompiledRegex;

bool compile(const std::string &Pat, Compiled &C, Error &Err) {
  return compileRegex(Pat, C, Err);
}

/// Compare one pattern with libc on every subject; returns the number of
/// subjects checked (0 if libc refuses the pattern).
unsigned checkAgainstLibc(const std::string &Pat,
                          const std::vector<std::string> &Subjects) {
  regex_t Re;
  if (regcomp(&Re, Pat.c_str(), REG_EXTENDED) != 0)
    return 0;
  Compiled C;
  Error Err;
  bool Ok = compile(Pat, C, Err);
  EXPECT_TRUE(Ok) << "pattern '" << Pat << "': " << Err.Message;
  if (Ok)
    EXPECT_EQ(C.P->getNumGroups(), Re.re_nsub) << "pattern '" << Pat << "'";
  unsigned N = 0;
  for (const std::string &S : Subjects) {
    if (!Ok)
      break;
    regmatch_t M[1];
    bool Libc = regexec(&Re, S.c_str(), 1, M, 0) == 0;
    EXPECT_EQ(simulateSearch(C.Search, S), Libc)
        << "'" << S << "' =~ '" << Pat << "'";
    auto Span = simulateMatch(C.Reverse, C.Forward, S);
    EXPECT_EQ(Span.has_value(), Libc) << "'" << S << "' =~ '" << Pat << "'";
    if (Span && Libc) {
      EXPECT_EQ(Span->first, (size_t)M[0].rm_so)
          << "start of '" << S << "' =~ '" << Pat << "'";
      EXPECT_EQ(Span->second, (size_t)M[0].rm_eo)
          << "end of '" << S << "' =~ '" << Pat << "'";
    }
    ++N;
  }
  regfree(&Re);
  return N;
}

const std::vector<std::string> &commonSubjects() {
  static const std::vector<std::string> S = {"",
                                             "a",
                                             "b",
                                             "ab",
                                             "ba",
                                             "abc",
                                             "aab",
                                             "abab",
                                             "xabcx",
                                             "aaa",
                                             "hello world",
                                             "foo.bar",
                                             "a+b",
                                             "x{2}",
                                             "123",
                                             "a1b22c333",
                                             "  tab\there",
                                             "line\nnext",
                                             "ABC",
                                             "[x]",
                                             "a-b",
                                             "^a$",
                                             "\x7f\x80\xff",
                                             "cat dog",
                                             "bash",
                                             "systemd-journal",
                                             "kworker/0:1",
                                             "swapper/1",
                                             "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab",
                                             "abcabcabc"};
  return S;
}

TEST(RegexOracle, Table) {
  const char *Patterns[] = {
      "",
      "a",
      "ab",
      "a|b",
      "a*",
      "a+",
      "a?",
      "ab*c",
      "(ab)+",
      "(a|b)*c",
      "^a",
      "a$",
      "^$",
      "^",
      "$",
      "^ab$",
      "b$|^a",
      "(^a|b)",
      "(a|^b)c",
      "a^b",
      "a$b",
      "$^",
      "^*a",
      ".",
      "a.c",
      ".*",
      "x.*y",
      "[abc]",
      "[^abc]",
      "[a-c]+",
      "[]a]",
      "[^]a]",
      "[a-]",
      "[-a]",
      "[[:digit:]]+",
      "[[:alpha:]]+[[:digit:]]",
      "[[:space:]]",
      "[[:upper:][:digit:]]+",
      "[[:punct:]]",
      "[[:xdigit:]]+",
      "[[:alnum:]_]+",
      "[[.a.]]",
      "[[=b=]]",
      "a{2}",
      "a{2,}",
      "a{1,3}",
      "a{0,1}b",
      "(ab){2}",
      "(a|ab)(c|bcd)",
      "(a*)*",
      "(a*)+b",
      "(a|b)*abb",
      "a\\.b",
      "a\\+b",
      "\\^a",
      "a\\$",
      "\\[x\\]",
      "x\\{2\\}",
      "\\(",
      "a\\|b",
      "(foo|foobar)",
      "(foobar|foo)",
      "o+",
      "l+o",
      "w.*d",
      "^s",
      "d$",
      "[0-9]+",
      "kworker/[0-9]+:[0-9]+",
      "^(bash|sh|zsh)$",
      "swapper",
      "(a|b|c)+$",
      "b*",
      "(|a)b",
      "a||b",
      "()",
      "(a)(b)(c)",
      "((a)|b)*",
      "[\\]",
      "\x80|\xff",
      "[\x80-\xff]+",
      "(a|ab|abc)*",
      "a*b*c*",
      "(aa|a)*",
      "abc|bcd|cde",
      "(.)(.)",
  };
  unsigned Checked = 0;
  for (const char *P : Patterns)
    Checked += checkAgainstLibc(P, commonSubjects());
  EXPECT_GT(Checked, 2500u);
}

/// A random well-defined ERE over {a, b, c}. Anchors stay out of repeated
/// groups: glibc gets those wrong (it finds "aa" =~ "(^a){2}", where the
/// second `^` cannot hold).
std::string randomPattern(std::mt19937 &R, int Depth, bool Anchors = true) {
  auto Pick = [&](int N) { return (int)(R() % N); };
  auto Sub = [&]() { return randomPattern(R, Depth - 1, Anchors); };
  if (Depth <= 0 || Pick(4) == 0) {
    static const char *Atoms[] = {"a",     "b",   "c",  ".", "[ab]", "[^a]",
                                  "[a-b]", "(a)", "()", "^", "$"};
    return Atoms[Pick(Anchors ? 11 : 9)];
  }
  switch (Pick(5)) {
  case 0:
    return Sub() + Sub();
  case 1:
    return Sub() + "|" + Sub();
  case 2: {
    static const char *Ops[] = {"*", "+", "?", "{2}", "{1,2}", "{0,}"};
    return "(" + randomPattern(R, Depth - 1, false) + ")" + Ops[Pick(6)];
  }
  default:
    return Sub() + Sub() + Sub();
  }
}

TEST(RegexOracle, Random) {
  std::mt19937 R(12345);
  std::vector<std::string> Subjects;
  for (int I = 0; I < 40; ++I) {
    std::string S;
    for (int L = R() % 9; L > 0; --L)
      S += "abcd"[R() % 4];
    Subjects.push_back(S);
  }
  unsigned Checked = 0;
  for (int I = 0; I < 1500; ++I)
    Checked += checkAgainstLibc(randomPattern(R, 4), Subjects);
  EXPECT_GT(Checked, 50000u);
}

TEST(RegexDFA, TablesAreSmall) {
  Compiled C;
  Error Err;
  ASSERT_TRUE(compile("^(bash|sh|zsh)$", C, Err));
  // Classes: NUL, a, b, h, s, z, everything else.
  EXPECT_EQ(C.Search.NumClasses, 7u);
  EXPECT_LE(C.Search.NumStates, 10u);
  EXPECT_EQ(C.Search.FirstAccepting, C.Search.NumStates - 1);
}

TEST(RegexDFA, DeadIsZeroAndAbsorbing) {
  Compiled C;
  Error Err;
  ASSERT_TRUE(compile("^abc", C, Err));
  for (unsigned B = 0; B < 256; ++B)
    EXPECT_EQ(C.Search.next(DFA::Dead, B), DFA::Dead);
  EXPECT_EQ(C.Search.next(C.Search.Start, 'x'), DFA::Dead);
}

struct ErrorCase {
  const char *Pattern;
  size_t Offset;
  const char *Message; // a prefix of the message
};

TEST(RegexErrors, Messages) {
  const ErrorCase Cases[] = {
      {"(ab", 0, "missing ')' to close this '('"},
      {"ab)", 2, "unmatched ')'"},
      {"*a", 0, "'*' has nothing to repeat"},
      {"a|+", 2, "'+' has nothing to repeat"},
      {"(?:a)", 1, "'?' has nothing to repeat"},
      {"{1}", 0, "'{' has nothing to repeat"},
      {"a{", 2, "expected a repetition count"},
      {"a{1", 1, "missing '}'"},
      {"a{1,x}", 4, "expected a repetition count"},
      {"a{3,2}", 1, "repetition count '{3,2}' has its maximum below"},
      {"a{256}", 2, "repetition count above 255"},
      {"^*", 0, "an anchor cannot be repeated"},
      {"[abc", 0, "missing ']'"},
      {"[]", 0, "missing ']'"},
      {"[z-a]", 1, "invalid range 'z-a'"},
      {"[[:foo:]]", 1, "unknown character class '[:foo:]'"},
      {"[a-[:digit:]]", 1, "a character class cannot end a range"},
      {"[[.ab.]]", 1, "only single characters"},
      {"[[:alpha]", 1, "missing ':]'"},
      {"a\\", 1, "trailing backslash"},
      {"(a)\\1", 3, "back-references ('\\1') are not supported"},
      {"\\w+", 0, "'\\w' is not a POSIX extended regular expression escape"},
      {"(a{255}){255}", Error::WholePattern, "regular expression is too large"},
  };
  for (const ErrorCase &C : Cases) {
    Error Err;
    Compiled D;
    EXPECT_FALSE(compile(C.Pattern, D, Err)) << C.Pattern;
    EXPECT_EQ(Err.Offset, C.Offset) << C.Pattern << ": " << Err.Message;
    EXPECT_EQ(Err.Message.rfind(C.Message, 0), 0u)
        << C.Pattern << ": " << Err.Message;
  }
}

TEST(RegexErrors, StateExplosion) {
  // (a|b)*a(a|b){12}: the DFA must remember the last 13 bytes.
  Compiled C;
  Error Err;
  EXPECT_FALSE(compile("(a|b)*a(a|b){12}", C, Err));
  EXPECT_EQ(Err.Message.rfind("regular expression is too complex", 0), 0u)
      << Err.Message;
  EXPECT_EQ(Err.Offset, Error::WholePattern);
  // Smaller ones fit.
  EXPECT_TRUE(compile("(a|b)*a(a|b){5}", C, Err)) << Err.Message;
}

TEST(RegexErrors, NulCannotBeMatched) {
  Error Err;
  EXPECT_FALSE(Pattern::parse(std::string("a\0b", 3), Err));
  EXPECT_EQ(Err.Offset, 1u);
}

TEST(RegexEscapes, ControlCharacters) {
  Compiled C;
  Error Err;
  ASSERT_TRUE(compile("a\\tb\\n", C, Err)) << Err.Message;
  EXPECT_TRUE(simulateSearch(C.Search, "xa\tb\n"));
  EXPECT_FALSE(simulateSearch(C.Search, "atbn"));
}

} // namespace
