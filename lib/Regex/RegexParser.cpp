//===- RegexParser.cpp - POSIX extended regular expression syntax ---------===//
//
// Recursive descent over the ERE grammar:
//   regex  := branch ('|' branch)*
//   branch := piece*
//   piece  := atom ('*' | '+' | '?' | '{' m [',' [n]] '}')*
//   atom   := '(' regex ')' | '.' | '^' | '$' | '[' bracket ']' | '\' c | c
// Behaviour POSIX leaves undefined is an error with a suggestion rather
// than a guess (a repetition with nothing to repeat, `\w` and other escaped
// letters), except the C escapes \n \t \r \f \v \a, which stand for their
// control characters. Back-references are not regular and are refused, as
// in stap. Character classes are those of the C locale.
//
//===----------------------------------------------------------------------===//
#include "RegexAST.h"

#include "llvm/ADT/StringExtras.h"

using namespace stapc;
using namespace stapc::regex;
using llvm::StringRef;

namespace stapc {
namespace regex {

/// Largest repetition count (POSIX's RE_DUP_MAX minimum).
static constexpr unsigned MaxRepeat = 255;

class Parser {
public:
  Parser(StringRef Src, Pattern &P, Error &Err) : Src(Src), P(P), Err(Err) {}

  bool run() {
    Node *Root = parseAlternation();
    if (!Root)
      return false;
    if (Pos < Src.size()) // only a ')' stops the top-level alternation
      return fail("unmatched ')'; escape it as '\\)' to match a parenthesis");
    P.Root = Root;
    return true;
  }

private:
  StringRef Src;
  Pattern &P;
  Error &Err;
  size_t Pos = 0;
  unsigned Depth = 0;

  bool atEnd() const { return Pos >= Src.size(); }
  char peek() const { return atEnd() ? '\0' : Src[Pos]; }

  bool fail(const llvm::Twine &Msg) { return failAt(Pos, Msg); }
  Node *failNode(size_t At, const llvm::Twine &Msg) {
    failAt(At, Msg);
    return nullptr;
  }
  bool failAt(size_t At, const llvm::Twine &Msg) {
    Err.Message = Msg.str();
    Err.Offset = At;
    return false;
  }

  Node *make(Node::Kind K) {
    P.Nodes.push_back(std::make_unique<Node>(K));
    return P.Nodes.back().get();
  }

  Node *parseAlternation();
  Node *parseBranch();
  bool parsePostfix(Node *&Atom, size_t AtomPos);
  bool parseBound(unsigned &Min, unsigned &Max);
  bool parseCount(unsigned &N);
  Node *parseAtom();
  Node *parseEscape();
  Node *parseBracket();
  bool parseBracketItem(ByteSet &Set);
  bool parseBracketChar(unsigned char &C, bool &IsClass, ByteSet &Set);
  bool parseClassName(size_t Start, ByteSet &Set);
};

} // namespace regex
} // namespace stapc

Pattern::~Pattern() = default;

std::unique_ptr<Pattern> Pattern::parse(StringRef Source, Error &Err) {
  std::unique_ptr<Pattern> P(new Pattern());
  Parser Parse(Source, *P, Err);
  if (!Parse.run())
    return nullptr;
  return P;
}

Node *Parser::parseAlternation() {
  Node *First = parseBranch();
  if (!First)
    return nullptr;
  if (peek() != '|')
    return First;
  Node *Alt = make(Node::Alt);
  Alt->Kids.push_back(First);
  while (peek() == '|') {
    ++Pos;
    Node *Next = parseBranch();
    if (!Next)
      return nullptr;
    Alt->Kids.push_back(Next);
  }
  return Alt;
}

Node *Parser::parseBranch() {
  Node *Cat = make(Node::Concat);
  while (!atEnd() && peek() != '|' && peek() != ')') {
    size_t AtomPos = Pos;
    Node *Atom = parseAtom();
    if (!Atom || !parsePostfix(Atom, AtomPos))
      return nullptr;
    Cat->Kids.push_back(Atom);
  }
  if (Cat->Kids.empty())
    return make(Node::Empty);
  return Cat->Kids.size() == 1 ? Cat->Kids[0] : Cat;
}

/// Repetition operators after an atom; each wraps what came before.
bool Parser::parsePostfix(Node *&Atom, size_t AtomPos) {
  for (;;) {
    char C = peek();
    size_t OpPos = Pos;
    unsigned Min, Max;
    if (C == '*' || C == '+' || C == '?') {
      Min = C == '+' ? 1 : 0;
      Max = C == '?' ? 1 : Node::Unbounded;
      ++Pos;
    } else if (C == '{') {
      if (!parseBound(Min, Max))
        return false;
    } else {
      return true;
    }
    if (Atom->K == Node::AssertBegin || Atom->K == Node::AssertEnd)
      return failAt(AtomPos, "an anchor cannot be repeated; escape it ('\\^', "
                             "'\\$') to match the character");
    Node *R = make(Node::Repeat);
    R->Kids.push_back(Atom);
    R->Min = Min;
    R->Max = Max;
    R->Offset = OpPos;
    Atom = R;
  }
}

bool Parser::parseCount(unsigned &N) {
  size_t Start = Pos;
  N = 0;
  while (llvm::isDigit(peek())) {
    N = std::min<unsigned>(N * 10 + (peek() - '0'), MaxRepeat + 1);
    ++Pos;
  }
  if (Pos == Start)
    return fail("expected a repetition count (a number) in '{...}'; escape "
                "the brace as '\\{' to match it");
  if (N > MaxRepeat)
    return failAt(Start, "repetition count above " + llvm::Twine(MaxRepeat));
  return true;
}

/// `{m}`, `{m,}` or `{m,n}`.
bool Parser::parseBound(unsigned &Min, unsigned &Max) {
  size_t Open = Pos++;
  if (!parseCount(Min))
    return false;
  Max = Min;
  if (peek() == ',') {
    ++Pos;
    Max = Node::Unbounded;
    if (peek() != '}' && !parseCount(Max))
      return false;
  }
  if (peek() != '}')
    return atEnd() ? failAt(Open, "missing '}' to close this repetition")
                   : fail("expected ',' or '}' in a repetition count");
  ++Pos;
  if (Max < Min)
    return failAt(Open, "repetition count '{" + llvm::Twine(Min) + "," +
                            llvm::Twine(Max) +
                            "}' has its maximum below its "
                            "minimum");
  return true;
}

Node *Parser::parseAtom() {
  size_t Start = Pos;
  char C = Src[Pos++];
  switch (C) {
  case '(': {
    Node *G = make(Node::Group);
    G->Index = ++P.NumGroups;
    G->Offset = Start;
    if (++Depth > 100)
      return failNode(Start, "parentheses nested too deeply");
    Node *Inner = parseAlternation();
    --Depth;
    if (!Inner)
      return nullptr;
    if (peek() != ')')
      return failNode(Start, "missing ')' to close this '('");
    ++Pos;
    G->Kids.push_back(Inner);
    return G;
  }
  case '*':
  case '+':
  case '?':
  case '{':
    return failNode(Start, "'" + llvm::Twine(C) +
                               "' has nothing to repeat; escape it as '\\" +
                               llvm::Twine(C) + "' to match the character");
  case '.': {
    Node *N = make(Node::Bytes);
    N->Set.set();
    N->Set.reset(0);
    return N;
  }
  case '^':
    return make(Node::AssertBegin);
  case '$':
    return make(Node::AssertEnd);
  case '[':
    return parseBracket();
  case '\\':
    return parseEscape();
  default: {
    if (C == '\0')
      return failNode(Start, "a regular expression cannot contain a NUL "
                             "character: strings end at the first one");
    Node *N = make(Node::Bytes);
    N->Set.set((unsigned char)C);
    return N;
  }
  }
}

Node *Parser::parseEscape() {
  size_t Start = Pos - 1;
  if (atEnd())
    return failNode(Start, "trailing backslash; write '\\\\' to match one");
  char C = Src[Pos++];
  unsigned char Byte = C;
  switch (C) {
  case 'n':
    Byte = '\n';
    break;
  case 't':
    Byte = '\t';
    break;
  case 'r':
    Byte = '\r';
    break;
  case 'f':
    Byte = '\f';
    break;
  case 'v':
    Byte = '\v';
    break;
  case 'a':
    Byte = '\a';
    break;
  default:
    if (C >= '1' && C <= '9')
      return failNode(Start, "back-references ('\\" + llvm::Twine(C) +
                                 "') are not supported in regular expressions");
    if (llvm::isAlnum(C))
      return failNode(
          Start, "'\\" + llvm::Twine(C) +
                     "' is not a POSIX extended regular expression escape; "
                     "use a bracket expression such as [[:alnum:]_] or "
                     "[[:space:]]");
    break;
  }
  Node *N = make(Node::Bytes);
  N->Set.set(Byte);
  return N;
}

/// After '[': `[^...]`, a leading ']' is literal, '-' at either end too.
Node *Parser::parseBracket() {
  size_t Open = Pos - 1;
  bool Negate = false;
  if (peek() == '^') {
    Negate = true;
    ++Pos;
  }
  ByteSet Set;
  bool First = true;
  for (;;) {
    if (atEnd())
      return failNode(Open, "missing ']' to close this bracket expression");
    if (peek() == ']' && !First)
      break;
    First = false;
    if (!parseBracketItem(Set))
      return nullptr;
  }
  ++Pos; // ']'
  if (Negate)
    Set.flip();
  Set.reset(0);
  if (Set.none())
    return failNode(Open, "this bracket expression matches no character");
  Node *N = make(Node::Bytes);
  N->Set = Set;
  return N;
}

/// One character, range or class inside brackets.
bool Parser::parseBracketItem(ByteSet &Set) {
  size_t Start = Pos;
  unsigned char Lo;
  bool IsClass = false;
  if (!parseBracketChar(Lo, IsClass, Set))
    return false;
  if (IsClass)
    return true;
  // A '-' followed by ']' is a literal '-' (handled as the next item).
  if (peek() != '-' || Pos + 1 >= Src.size() || Src[Pos + 1] == ']') {
    Set.set(Lo);
    return true;
  }
  ++Pos; // '-'
  unsigned char Hi;
  if (!parseBracketChar(Hi, IsClass, Set))
    return false;
  if (IsClass)
    return failAt(Start, "a character class cannot end a range");
  if (Hi < Lo)
    return failAt(Start, "invalid range '" + Src.slice(Start, Pos) +
                             "': its end sorts before its start");
  for (unsigned C = Lo; C <= Hi; ++C)
    Set.set(C);
  return true;
}

/// A single character in brackets: plain, `[.c.]`, `[=c=]`, or (setting
/// IsClass and adding to Set directly) `[:name:]`.
bool Parser::parseBracketChar(unsigned char &C, bool &IsClass, ByteSet &Set) {
  size_t Start = Pos;
  if (peek() == '[' && Pos + 1 < Src.size()) {
    char Kind = Src[Pos + 1];
    if (Kind == ':' || Kind == '.' || Kind == '=') {
      const char Term[] = {Kind, ']', '\0'};
      size_t Close = Src.find(Term, Pos + 2);
      if (Close == StringRef::npos)
        return failAt(Start, "missing '" + llvm::Twine(Kind) +
                                 "]' to close '[" + llvm::Twine(Kind) + "'");
      StringRef Name = Src.slice(Pos + 2, Close);
      Pos = Close + 2;
      if (Kind == ':') {
        IsClass = true;
        return parseClassName(Start, Set);
      }
      if (Name.size() != 1)
        return failAt(Start, "only single characters are supported in '[" +
                                 llvm::Twine(Kind) + "...' " +
                                 llvm::Twine(Kind) + "]'");
      C = Name[0];
      return true;
    }
  }
  C = Src[Pos++];
  return true;
}

bool Parser::parseClassName(size_t Start, ByteSet &Set) {
  StringRef Name = Src.slice(Start + 2, Pos - 2);
  bool (*Pred)(unsigned) = nullptr;
  using P = bool (*)(unsigned);
  static const std::pair<const char *, P> Classes[] = {
      {"alpha", [](unsigned C) { return llvm::isAlpha(C); }},
      {"digit", [](unsigned C) { return llvm::isDigit(C); }},
      {"alnum", [](unsigned C) { return llvm::isAlnum(C); }},
      {"upper", [](unsigned C) { return C >= 'A' && C <= 'Z'; }},
      {"lower", [](unsigned C) { return C >= 'a' && C <= 'z'; }},
      {"space", [](unsigned C) { return C == ' ' || (C >= 9 && C <= 13); }},
      {"blank", [](unsigned C) { return C == ' ' || C == '\t'; }},
      {"punct",
       [](unsigned C) { return C > 32 && C < 127 && !llvm::isAlnum(C); }},
      {"print", [](unsigned C) { return C >= 32 && C < 127; }},
      {"graph", [](unsigned C) { return C > 32 && C < 127; }},
      {"cntrl", [](unsigned C) { return C < 32 || C == 127; }},
      {"xdigit", [](unsigned C) { return llvm::isHexDigit(C); }},
  };
  for (const auto &[N, F] : Classes)
    if (Name == N)
      Pred = F;
  if (!Pred)
    return failAt(Start, "unknown character class '[:" + Name +
                             ":]'; the classes are alpha, digit, alnum, upper, "
                             "lower, space, blank, punct, print, graph, cntrl "
                             "and xdigit");
  for (unsigned C = 1; C < 256; ++C)
    if (Pred(C))
      Set.set(C);
  return true;
}
