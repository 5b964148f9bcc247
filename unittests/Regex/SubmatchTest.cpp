//===- SubmatchTest.cpp - matched(n): group spans by DFA walks ------------===//
//
// The plans of lib/Regex/Submatch.cpp, walked on the host exactly as the BPF
// code walks them, against two oracles:
// - a brute-force reference written independently of the walks: every
//   parse tree of the whole match is enumerated and the best one chosen by
//   POSIX's order (concatenations: element ends compared left to right,
//   the later end first; alternations: the earlier branch; repetitions:
//   iteration ends likewise; then the parts inside, in order), and groups
//   report what that tree gives them (the last iteration of a repetition,
//   inside it only). Random patterns over a small alphabet, every subject
//   up to a length;
// - libc's regexec on hand-picked cases where it follows POSIX. glibc
//   deviates elsewhere: it prefers an earlier alternative to a longer
//   subpattern ('(a|ab)(c|bcd)(d*)' on "abcd" gives (0,1)(1,4)(4,4), POSIX
//   (0,2)(2,3)(3,4); '(foo|foobar)(bar)?' on "foobar" gives (0,3)(3,6),
//   POSIX (0,6) and no group 2), and reports groups of earlier iterations
//   ('((a)|b)*' on "ab": group 2 (0,1), POSIX none). Those cases are in
//   the hand-picked table with POSIX's answers.
// Then the shapes that are refused.
//
//===----------------------------------------------------------------------===//
#include "RegexAST.h"

#include "stapc/Regex/Regex.h"

#include "gtest/gtest.h"

#include <random>
#include <regex.h>

using namespace stapc::regex;

namespace {

/// A parse of S[I, J) by N.
struct Tree {
  const Node *N = nullptr;
  size_t I = 0, J = 0;
  unsigned Branch = 0;    // Alt: which one
  std::vector<Tree> Kids; // Concat: elements; Repeat: iterations; Alt and
                          // Group: the one inside
};

class Reference {
public:
  Reference(std::string S) : S(std::move(S)) {}

  /// Every parse of N starting at I.
  std::vector<Tree> parses(const Node *N, size_t I) {
    std::vector<Tree> Out;
    auto Leaf = [&](size_t J) {
      Tree T;
      T.N = N;
      T.I = I;
      T.J = J;
      Out.push_back(T);
    };
    switch (N->K) {
    case Node::Empty:
      Leaf(I);
      break;
    case Node::Bytes:
      if (I < S.size() && N->Set[(unsigned char)S[I]])
        Leaf(I + 1);
      break;
    case Node::AssertBegin:
      if (I == 0)
        Leaf(I);
      break;
    case Node::AssertEnd:
      if (I == S.size())
        Leaf(I);
      break;
    case Node::Group:
    case Node::Alt:
      for (unsigned B = 0; B < N->Kids.size(); ++B)
        for (Tree &K : parses(N->Kids[B], I)) {
          Tree T;
          T.N = N;
          T.I = I;
          T.J = K.J;
          T.Branch = B;
          T.Kids.push_back(std::move(K));
          Out.push_back(std::move(T));
        }
      break;
    case Node::Concat: {
      Tree T;
      T.N = N;
      T.I = I;
      concat(N, 0, I, T, Out);
      break;
    }
    case Node::Repeat: {
      Tree T;
      T.N = N;
      T.I = I;
      repeat(N, I, T, Out);
      break;
    }
    }
    return Out;
  }

  /// Whether A comes before B in POSIX's order (same node, same extent).
  static int compare(const Tree &A, const Tree &B) {
    if (A.N->K == Node::Alt && A.Branch != B.Branch)
      return A.Branch < B.Branch ? -1 : 1;
    size_t N = std::min(A.Kids.size(), B.Kids.size());
    for (size_t K = 0; K < N; ++K)
      if (A.Kids[K].J != B.Kids[K].J)
        return A.Kids[K].J > B.Kids[K].J ? -1 : 1;
    if (A.Kids.size() != B.Kids.size()) // equal ends so far: fewer is the
      return A.Kids.size() < B.Kids.size() ? -1 : 1; // one ending first
    for (size_t K = 0; K < N; ++K)
      if (int C = compare(A.Kids[K], B.Kids[K]))
        return C;
    return 0;
  }

  /// The spans POSIX gives the groups in T.
  static void spans(const Tree &T, std::map<unsigned, GroupSpan> &Out) {
    if (T.N->K == Node::Group)
      Out[T.N->Index] = {long(T.I), long(T.J)};
    if (T.N->K == Node::Repeat) {
      if (!T.Kids.empty())
        spans(T.Kids.back(), Out);
      return;
    }
    for (const Tree &K : T.Kids)
      spans(K, Out);
  }

private:
  std::string S;

  void concat(const Node *N, size_t K, size_t I, Tree &T,
              std::vector<Tree> &Out) {
    if (K == N->Kids.size()) {
      T.J = I;
      Out.push_back(T);
      return;
    }
    for (Tree &E : parses(N->Kids[K], I)) {
      size_t J = E.J;
      T.Kids.push_back(std::move(E));
      concat(N, K + 1, J, T, Out);
      T.Kids.pop_back();
    }
  }

  /// Iterations are non-empty beyond the minimum count: the same language,
  /// and a finite set of parses.
  void repeat(const Node *N, size_t I, Tree &T, std::vector<Tree> &Out) {
    size_t Count = T.Kids.size();
    if (Count >= N->Min) {
      T.J = I;
      Out.push_back(T);
    }
    if (N->Max != Node::Unbounded && Count >= N->Max)
      return;
    for (Tree &E : parses(N->Kids[0], I)) {
      if (E.J == I && Count >= N->Min)
        continue;
      size_t J = E.J;
      T.Kids.push_back(std::move(E));
      repeat(N, J, T, Out);
      T.Kids.pop_back();
    }
  }
};

/// The reference spans of Groups in S, given the whole match [B, E).
std::vector<GroupSpan> reference(const Pattern &P, const std::string &S,
                                 size_t B, size_t E,
                                 const std::vector<unsigned> &Groups) {
  Reference R(S);
  const Tree *Best = nullptr;
  std::vector<Tree> All = R.parses(P.getRoot(), B);
  for (const Tree &T : All)
    if (T.J == E && (!Best || Reference::compare(T, *Best) < 0))
      Best = &T;
  std::map<unsigned, GroupSpan> Spans;
  if (Best)
    Reference::spans(*Best, Spans);
  std::vector<GroupSpan> Out;
  for (unsigned G : Groups)
    Out.push_back(Spans.count(G) ? Spans[G] : GroupSpan{-1, -1});
  return Out;
}

std::vector<unsigned> allGroups(const Pattern &P) {
  std::vector<unsigned> G;
  for (unsigned I = 1; I <= P.getNumGroups(); ++I)
    G.push_back(I);
  return G;
}

/// The walks' spans for every group of Pat in S (the plan must build).
std::vector<GroupSpan> walked(const std::string &Pat, const std::string &S,
                              CompiledRegex &C) {
  Error Err;
  EXPECT_TRUE(compileRegex(Pat, C, Err)) << Pat << ": " << Err.Message;
  SubmatchPlan Plan;
  EXPECT_TRUE(buildSubmatchPlan(*C.P, allGroups(*C.P), Plan, Err))
      << Pat << ": " << Err.Message;
  auto M = simulateMatch(C.Reverse, C.Forward, S);
  if (!M)
    return {};
  return simulateSubmatch(Plan, S, M->first, M->second);
}

std::string show(const std::vector<GroupSpan> &V) {
  std::string Out;
  for (auto [B, E] : V)
    Out += "(" + std::to_string(B) + "," + std::to_string(E) + ")";
  return Out;
}

struct Case {
  const char *Pattern, *Subject, *Spans;
};

// Expected spans of groups 1..n, as POSIX gives them.
const Case Cases[] = {
    {"(a|ab)(c|bcd)(d*)", "abcd", "(0,2)(2,3)(3,4)"},
    {"([a-z]+)=([0-9]+)", "key=42;x=1", "(0,3)(4,6)"},
    {"^(.*)/([^/]*)$", "/usr/lib/libc.so", "(0,8)(9,16)"},
    {"(a*)(a*)", "aaa", "(0,3)(3,3)"},
    {"(a*)b(a*)", "xaabaaay", "(1,3)(4,7)"},
    {"(a|b)*", "abba", "(3,4)"},
    {"([0-9]+\\.)+", "v1.22.333.x", "(6,10)"},
    {"((a)|b)*", "ab", "(1,2)(-1,-1)"},
    {"((a)|b)*", "ba", "(1,2)(1,2)"},
    {"(ab|a|bc|cd|d)*", "abcd", "(2,4)"},
    {"(a(b)?)+", "aba", "(2,3)(-1,-1)"},
    {"(x)?y", "y", "(-1,-1)"},
    {"(x)?y", "xy", "(0,1)"},
    {"a(b|c)?(b*)", "abb", "(1,2)(2,3)"},
    {"(^a|b)(a$|b)", "ab", "(0,1)(1,2)"},
    {"(a|b)(c|d)|(e)", "e", "(-1,-1)(-1,-1)(0,1)"},
    {"(((a)))", "a", "(0,1)(0,1)(0,1)"},
    {"(a+)(a+)", "aaaa", "(0,3)(3,4)"},
    {"x(.*)y(.*)z", "x1y2y3z4z", "(1,4)(5,8)"},
    {"(foo|foobar)(bar)?", "foobar", "(0,6)(-1,-1)"},
    {"(a|ab)(bc|c)", "abc", "(0,2)(2,3)"},
    {"()", "x", "(0,0)"},
    {"(a)|(a)", "a", "(0,1)(-1,-1)"},
};

TEST(Submatch, HandPicked) {
  for (const Case &C : Cases) {
    CompiledRegex R;
    std::vector<GroupSpan> Got = walked(C.Pattern, C.Subject, R);
    EXPECT_EQ(show(Got), C.Spans)
        << "'" << C.Subject << "' =~ '" << C.Pattern << "'";
    auto M = simulateMatch(R.Reverse, R.Forward, C.Subject);
    ASSERT_TRUE(M.has_value()) << C.Pattern;
    EXPECT_EQ(show(reference(*R.P, C.Subject, M->first, M->second,
                             allGroups(*R.P))),
              C.Spans)
        << "reference: '" << C.Subject << "' =~ '" << C.Pattern << "'";
  }
}

// Where glibc follows POSIX, it agrees with the walks.
TEST(Submatch, AgreesWithLibc) {
  const char *Patterns[] = {
      "([a-z]+)=([0-9]+)", "^(.*)/([^/]*)$", "(a*)(a*)",
      "(a|b)*c",           "([0-9]+\\.)+",   "(x)?y",
      "(a+)(b+)?(c*)",     "x(.*)y(.*)z",     "([^ ]+) +([^ ]+)",
  };
  const char *Subjects[] = {"abcd", "key=42",  "/a/b/c", "aaa",  "ababc",
                            "1.2.3", "xy",     "aabbcc", "x1y2z", "abc",
                            "one two", "foobar", "y",    "aac"};
  for (const char *Pat : Patterns) {
    regex_t Re;
    ASSERT_EQ(regcomp(&Re, Pat, REG_EXTENDED), 0) << Pat;
    for (const char *S : Subjects) {
      regmatch_t M[10];
      if (regexec(&Re, S, 10, M, 0) != 0)
        continue;
      CompiledRegex R;
      std::vector<GroupSpan> Got = walked(Pat, S, R);
      std::vector<GroupSpan> Libc;
      for (size_t G = 1; G <= Re.re_nsub; ++G)
        Libc.push_back({long(M[G].rm_so), long(M[G].rm_eo)});
      EXPECT_EQ(show(Got), show(Libc)) << "'" << S << "' =~ '" << Pat << "'";
    }
    regfree(&Re);
  }
}

/// A random pattern over a, b (and '.', classes, anchors) with groups.
std::string randomPattern(std::mt19937 &Rng, int Depth) {
  auto Pick = [&](int N) { return int(Rng() % N); };
  std::string Out;
  int Pieces = 1 + Pick(3);
  for (int I = 0; I < Pieces; ++I) {
    std::string Atom;
    int A = Pick(Depth > 0 ? 9 : 5);
    if (A == 0)
      Atom = "a";
    else if (A == 1)
      Atom = "b";
    else if (A == 2)
      Atom = Pick(2) ? "." : "[ab]";
    else if (A == 3)
      Atom = Pick(4) ? "a" : (Pick(2) ? "^" : "$");
    else if (A == 4)
      Atom = "ab";
    else {
      std::string Inner = randomPattern(Rng, Depth - 1);
      if (Pick(3) == 0)
        Inner += "|" + randomPattern(Rng, Depth - 1);
      Atom = "(" + Inner + ")";
    }
    if (Atom != "^" && Atom != "$" && Atom != "ab") {
      int R = Pick(8);
      if (R == 0)
        Atom += "*";
      else if (R == 1)
        Atom += "+";
      else if (R == 2)
        Atom += "?";
    }
    Out += Atom;
  }
  return Out;
}

TEST(Submatch, RandomAgainstReference) {
  std::mt19937 Rng(20240917);
  std::vector<std::string> Subjects = {""};
  for (size_t K = 0; K < Subjects.size(); ++K) // every string over a, b, c
    if (Subjects[K].size() < 5)
      for (char C : {'a', 'b', 'c'})
        Subjects.push_back(Subjects[K] + C);
  unsigned Checked = 0, Patterns = 0;
  for (int Round = 0; Round < 600; ++Round) {
    std::string Pat = randomPattern(Rng, 2);
    CompiledRegex R;
    Error Err;
    if (!compileRegex(Pat, R, Err))
      continue;
    if (R.P->getNumGroups() == 0)
      continue;
    SubmatchPlan Plan;
    if (!buildSubmatchPlan(*R.P, allGroups(*R.P), Plan, Err))
      continue; // a refused shape (tested below)
    ++Patterns;
    for (const std::string &S : Subjects) {
      auto M = simulateMatch(R.Reverse, R.Forward, S);
      if (!M)
        continue;
      std::vector<GroupSpan> Got =
          simulateSubmatch(Plan, S, M->first, M->second);
      std::vector<GroupSpan> Want =
          reference(*R.P, S, M->first, M->second, allGroups(*R.P));
      ASSERT_EQ(show(Got), show(Want)) << "'" << S << "' =~ '" << Pat << "'";
      ++Checked;
    }
  }
  EXPECT_GT(Patterns, 200u);
  EXPECT_GT(Checked, 20000u);
}

// Only the groups asked for are planned; the others may sit anywhere.
TEST(Submatch, OnlyWantedGroups) {
  CompiledRegex R;
  Error Err;
  ASSERT_TRUE(compileRegex("(a*)*(b)(c){2,3}", R, Err));
  SubmatchPlan Plan;
  ASSERT_TRUE(buildSubmatchPlan(*R.P, {2}, Plan, Err)) << Err.Message;
  auto M = simulateMatch(R.Reverse, R.Forward, "xaabccc");
  ASSERT_TRUE(M.has_value());
  EXPECT_EQ(show(simulateSubmatch(Plan, "xaabccc", M->first, M->second)),
            "(3,4)");
  // Fixed widths need no walks: no DFA for '^(ab)(..)$'.
  ASSERT_TRUE(compileRegex("^(ab)(..)$", R, Err));
  ASSERT_TRUE(buildSubmatchPlan(*R.P, {1, 2}, Plan, Err));
  EXPECT_EQ(Plan.DFAs.size(), 0u);
}

TEST(Submatch, RefusedShapes) {
  struct Refused {
    const char *Pattern;
    unsigned Group;
    size_t Offset;
    const char *Message;
  } Cases[] = {
      {"(a*)*", 1, 4, "matched(1): group 1 is inside a '*' whose repeated "
                      "part can match the empty string"},
      {"x(a|)+", 1, 5, "matched(1): group 1 is inside a '+'"},
      {"((b)?c?)?", 2, 8, "matched(2): group 2 is inside a '?'"},
      {"(ab){2,3}", 1, 4, "matched(1): group 1 is inside the counted "
                          "repetition '{2,3}'"},
      {"(ab){2}", 1, 4, "repetition '{2}'"},
      {"((a){3,})", 2, 4, "repetition '{3,}'"},
  };
  for (const Refused &C : Cases) {
    CompiledRegex R;
    Error Err;
    ASSERT_TRUE(compileRegex(C.Pattern, R, Err)) << C.Pattern;
    SubmatchPlan Plan;
    EXPECT_FALSE(buildSubmatchPlan(*R.P, {C.Group}, Plan, Err)) << C.Pattern;
    EXPECT_EQ(Err.Offset, C.Offset) << C.Pattern;
    EXPECT_NE(Err.Message.find(C.Message), std::string::npos)
        << C.Pattern << ": " << Err.Message;
  }
  // The same groups are fine when the repetition is not empty-capable or
  // the counts are trivial.
  for (const char *Ok : {"(a+)*", "(a|b)+", "(ab){1}", "(ab){1,}", "(ab){0,1}"}) {
    CompiledRegex R;
    Error Err;
    ASSERT_TRUE(compileRegex(Ok, R, Err));
    SubmatchPlan Plan;
    EXPECT_TRUE(buildSubmatchPlan(*R.P, {1}, Plan, Err))
        << Ok << ": " << Err.Message;
  }
}

} // namespace
