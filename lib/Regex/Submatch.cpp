//===- Submatch.cpp - Groups inside the whole match, by extra DFA walks ---===//
//
// Once the whole match [b, e) is known (leftmost, then longest), POSIX
// decides what each group matched top down, and every decision is a
// question a DFA walk over the subject answers:
// - a concatenation x1 x2 ... xn matching [i, j): x1 takes the longest
//   [i, m) such that x2...xn still matches [m, j), then x2 likewise from m,
//   and so on. m is the largest position in both {p : x1 matches [i, p)}
//   (a forward walk of x1 from i) and {p : x2...xn matches [p, j)} (a
//   backward walk of x2...xn from j, kept as a bitmap of positions). An
//   element or a rest of fixed width needs no walk;
// - an alternation matching [i, j): the first branch whose forward walk
//   from i accepts exactly at j (the final branch without a walk);
// - `x*` or `x+` matching a non-empty [i, j): the iterations, left to
//   right, each longest such that x* still matches the rest (one backward
//   walk of x* from j for the bitmap, then a forward walk of x per
//   iteration); a group inside reports the last iteration, and groups
//   inside it are found within that iteration, as POSIX says;
// - `x?` takes x when its stretch is not empty.
// A group under a repetition whose repeated part can match the empty
// string is refused: POSIX does not settle whether an empty iteration
// counts (`(a*)*` on "b"), and implementations disagree. So is a group
// under a counted repetition like `{2,5}`, whose iterations would each
// need their own DFAs.
//
//===----------------------------------------------------------------------===//
#include "NFA.h"

#include "llvm/ADT/StringExtras.h"

#include <map>

using namespace stapc;
using namespace stapc::regex;

namespace {

/// Fixed widths above this count as variable (keeps the sums small).
constexpr int MaxWidth = 1 << 20;

int widthOf(const Node *N) {
  switch (N->K) {
  case Node::Empty:
  case Node::AssertBegin:
  case Node::AssertEnd:
    return 0;
  case Node::Bytes:
    return 1;
  case Node::Group:
    return widthOf(N->Kids[0]);
  case Node::Concat: {
    int W = 0;
    for (const Node *K : N->Kids) {
      int KW = widthOf(K);
      if (KW < 0 || W + KW > MaxWidth)
        return -1;
      W += KW;
    }
    return W;
  }
  case Node::Alt: {
    int W = widthOf(N->Kids[0]);
    for (const Node *K : N->Kids)
      if (widthOf(K) != W)
        return -1;
    return W;
  }
  case Node::Repeat: {
    int W = widthOf(N->Kids[0]);
    if (W < 0 || N->Min != N->Max || int64_t(W) * N->Min > MaxWidth)
      return -1;
    return W * int(N->Min);
  }
  }
  return -1;
}

bool nullable(const Node *N) {
  switch (N->K) {
  case Node::Empty:
  case Node::AssertBegin:
  case Node::AssertEnd:
    return true;
  case Node::Bytes:
    return false;
  case Node::Group:
    return nullable(N->Kids[0]);
  case Node::Concat:
    for (const Node *K : N->Kids)
      if (!nullable(K))
        return false;
    return true;
  case Node::Alt:
    for (const Node *K : N->Kids)
      if (nullable(K))
        return true;
    return false;
  case Node::Repeat:
    return N->Min == 0 || nullable(N->Kids[0]);
  }
  return false;
}

std::string repeatSpelling(const Node *R) {
  if (R->Max == Node::Unbounded && R->Min <= 1)
    return R->Min ? "+" : "*";
  if (R->Min == 0 && R->Max == 1)
    return "?";
  std::string S = "{" + std::to_string(R->Min);
  if (R->Max != R->Min)
    S += "," + (R->Max == Node::Unbounded ? "" : std::to_string(R->Max));
  return S + "}";
}

class PlanBuilder {
public:
  PlanBuilder(SubmatchPlan &Plan, const Pattern &P, Error &Err)
      : Plan(Plan), Err(Err), Needed(P.getNumGroups() + 1) {}

  bool run(const Pattern &P, const std::vector<unsigned> &Groups) {
    for (unsigned G : Groups)
      if (G > 0 && G < Needed.size())
        Needed[G] = true;
    Plan.Groups = Groups;
    Plan.Root = build(P.getRoot());
    return !Failed;
  }

private:
  SubmatchPlan &Plan;
  Error &Err;
  std::vector<bool> Needed;
  std::vector<std::unique_ptr<Node>> Temp; // rest concatenations, x*
  bool Failed = false;

  /// The first needed group inside N, or 0.
  unsigned firstNeeded(const Node *N) const {
    if (N->K == Node::Group && Needed[N->Index])
      return N->Index;
    for (const Node *K : N->Kids)
      if (unsigned G = firstNeeded(K))
        return G;
    return 0;
  }

  bool fail(size_t Offset, const std::string &Msg) {
    if (!Failed) {
      Err.Message = Msg;
      Err.Offset = Offset;
    }
    Failed = true;
    return false;
  }

  int addDFA(const Node *Root, bool Reverse, unsigned Group) {
    if (Failed)
      return -1;
    DFAOptions O;
    O.Reverse = Reverse;
    O.Unanchored = false;
    DFA D;
    Error E;
    if (!buildDFA(Root, O, D, E)) {
      fail(Error::WholePattern, "matched(" + std::to_string(Group) +
                                    "): " + E.Message);
      return -1;
    }
    Plan.DFAs.push_back(std::move(D));
    return Plan.DFAs.size() - 1;
  }

  const Node *temp(Node::Kind K, std::vector<Node *> Kids) {
    Temp.push_back(std::make_unique<Node>(K));
    Temp.back()->Kids = std::move(Kids);
    return Temp.back().get();
  }

  SubmatchOp *makeOp(SubmatchOp::Kind K) {
    Plan.Ops.push_back(std::make_unique<SubmatchOp>());
    Plan.Ops.back()->K = K;
    return Plan.Ops.back().get();
  }

  const SubmatchOp *build(const Node *N);
  const SubmatchOp *buildConcat(const Node *N);
  const SubmatchOp *buildRepeat(const Node *N, unsigned Group);
};

const SubmatchOp *PlanBuilder::build(const Node *N) {
  unsigned Group = firstNeeded(N);
  if (!Group || Failed)
    return nullptr;
  switch (N->K) {
  case Node::Group: {
    const SubmatchOp *Inner = build(N->Kids[0]);
    if (!Needed[N->Index])
      return Inner;
    SubmatchOp *Op = makeOp(SubmatchOp::Group);
    Op->GroupIndex = N->Index;
    Op->Parts.push_back({});
    Op->Parts[0].Op = Inner;
    return Op;
  }
  case Node::Concat:
    return buildConcat(N);
  case Node::Alt: {
    SubmatchOp *Op = makeOp(SubmatchOp::Alt);
    size_t Last = 0;
    for (size_t U = 0; U < N->Kids.size(); ++U)
      if (firstNeeded(N->Kids[U]))
        Last = U;
    for (size_t U = 0; U <= Last; ++U) {
      SubmatchOp::Part Part;
      if (U + 1 < N->Kids.size())
        Part.Fwd = addDFA(N->Kids[U], /*Reverse=*/false, Group);
      Part.Op = build(N->Kids[U]);
      Op->Parts.push_back(Part);
    }
    return Op;
  }
  case Node::Repeat:
    return buildRepeat(N, Group);
  default:
    return nullptr;
  }
}

const SubmatchOp *PlanBuilder::buildConcat(const Node *N) {
  SubmatchOp *Op = makeOp(SubmatchOp::Concat);
  size_t NK = N->Kids.size(), Last = 0;
  for (size_t T = 0; T < NK; ++T)
    if (firstNeeded(N->Kids[T]))
      Last = T;
  for (size_t T = 0; T <= Last; ++T) {
    SubmatchOp::Part Part;
    const Node *Kid = N->Kids[T];
    Part.Last = T + 1 == NK;
    Part.Width = widthOf(Kid);
    if (!Part.Last) {
      std::vector<Node *> Rest(N->Kids.begin() + T + 1, N->Kids.end());
      const Node *RestNode =
          Rest.size() == 1 ? Rest[0] : temp(Node::Concat, Rest);
      Part.RestWidth = widthOf(RestNode);
      if (Part.Width < 0 && Part.RestWidth < 0) {
        unsigned Group = firstNeeded(N);
        Part.Fwd = addDFA(Kid, /*Reverse=*/false, Group);
        Part.Rev = addDFA(RestNode, /*Reverse=*/true, Group);
      }
    }
    Part.Op = build(Kid);
    Op->Parts.push_back(Part);
  }
  return Op;
}

const SubmatchOp *PlanBuilder::buildRepeat(const Node *N, unsigned Group) {
  const Node *Kid = N->Kids[0];
  if (N->Min == 1 && N->Max == 1)
    return build(Kid);
  std::string G = "matched(" + std::to_string(Group) + "): group " +
                  std::to_string(Group);
  std::string Rep = repeatSpelling(N);
  bool Star = N->Max == Node::Unbounded && N->Min <= 1;
  bool Optional = N->Min == 0 && N->Max == 1;
  if (!Star && !Optional) {
    fail(N->Offset,
         G + " is inside the counted repetition '" + Rep +
             "'; stapc finds groups under '*', '+' and '?' only: write the "
             "copies out (for example '(x)(x)(x)?' for '(x){2,3}'), or "
             "match the part you need with a second '=~'");
    return nullptr;
  }
  if (nullable(Kid)) {
    fail(N->Offset,
         G + " is inside a '" + Rep +
             "' whose repeated part can match the empty string, where "
             "POSIX does not settle what the group reports; make the "
             "repeated part match at least one character (for example "
             "'(a+)" +
             Rep + "' rather than '(a*)" + Rep + "', no empty alternative)");
    return nullptr;
  }
  SubmatchOp *Op = makeOp(Star ? SubmatchOp::Star : SubmatchOp::Optional);
  SubmatchOp::Part Part;
  if (Star) {
    Node *Kids = const_cast<Node *>(Kid);
    Temp.push_back(std::make_unique<Node>(Node::Repeat));
    Node *Loop = Temp.back().get();
    Loop->Kids = {Kids};
    Loop->Min = 0;
    Loop->Max = Node::Unbounded;
    Part.Fwd = addDFA(Kid, /*Reverse=*/false, Group);
    Part.Rev = addDFA(Loop, /*Reverse=*/true, Group);
  }
  Part.Op = build(Kid);
  Op->Parts.push_back(Part);
  return Op;
}

/// The host simulation of a plan.
class Simulator {
public:
  Simulator(const SubmatchPlan &Plan, llvm::StringRef S)
      : Plan(Plan), S(S), Bits(S.size() + 1) {
    for (size_t I = 0; I < Plan.Groups.size(); ++I)
      Slot[Plan.Groups[I]] = I;
    Spans.assign(Plan.Groups.size(), {-1, -1});
  }

  std::vector<GroupSpan> run(size_t Begin, size_t End) {
    if (Plan.Root)
      visit(*Plan.Root, Begin, End);
    return Spans;
  }

private:
  const SubmatchPlan &Plan;
  llvm::StringRef S;
  std::vector<bool> Bits;
  std::map<unsigned, size_t> Slot;
  std::vector<GroupSpan> Spans;

  const DFA &dfa(int I) const { return Plan.DFAs[I]; }

  /// The end of the element that starts at I, whose concatenation (or
  /// loop) ends at J: the largest p with Fwd matching [I, p) and Rev
  /// matching [p, J).
  long split(const SubmatchOp::Part &P, size_t I, size_t J) {
    std::fill(Bits.begin(), Bits.end(), false);
    simulateReverseWalk(dfa(P.Rev), S, J, I, Bits);
    return simulateForwardWalk(dfa(P.Fwd), S, I, J, &Bits);
  }

  void visit(const SubmatchOp &Op, size_t I, size_t J) {
    switch (Op.K) {
    case SubmatchOp::Group:
      Spans[Slot[Op.GroupIndex]] = {long(I), long(J)};
      if (Op.Parts[0].Op)
        visit(*Op.Parts[0].Op, I, J);
      return;
    case SubmatchOp::Concat:
      for (const SubmatchOp::Part &P : Op.Parts) {
        long E;
        if (P.Last)
          E = J;
        else if (P.Width >= 0)
          E = I + P.Width;
        else if (P.RestWidth >= 0)
          E = long(J) - P.RestWidth;
        else
          E = split(P, I, J);
        if (E < long(I) || E > long(J))
          return; // cannot happen: the whole match has such a parse
        if (P.Op)
          visit(*P.Op, I, E);
        I = E;
      }
      return;
    case SubmatchOp::Alt:
      for (const SubmatchOp::Part &P : Op.Parts) {
        if (P.Fwd < 0 ||
            simulateForwardWalk(dfa(P.Fwd), S, I, J, nullptr) == long(J)) {
          if (P.Op)
            visit(*P.Op, I, J);
          return;
        }
      }
      return;
    case SubmatchOp::Optional:
      if (I < J)
        visit(*Op.Parts[0].Op, I, J);
      return;
    case SubmatchOp::Star: {
      if (I >= J)
        return;
      const SubmatchOp::Part &P = Op.Parts[0];
      std::fill(Bits.begin(), Bits.end(), false);
      simulateReverseWalk(dfa(P.Rev), S, J, I, Bits);
      size_t Q = I;
      for (;;) {
        long Next = simulateForwardWalk(dfa(P.Fwd), S, Q, J, &Bits);
        if (Next <= long(Q) || Next >= long(J))
          break;
        Q = Next;
      }
      visit(*P.Op, Q, J);
      return;
    }
    }
  }
};

} // namespace

bool stapc::regex::buildSubmatchPlan(const Pattern &P,
                                     const std::vector<unsigned> &Groups,
                                     SubmatchPlan &Out, Error &Err) {
  Out = SubmatchPlan();
  PlanBuilder B(Out, P, Err);
  return B.run(P, Groups);
}

static llvm::StringRef beforeNul(llvm::StringRef S) {
  return S.substr(0, S.find('\0'));
}

long stapc::regex::simulateForwardWalk(const DFA &D, llvm::StringRef S,
                                       size_t Base, size_t Limit,
                                       const std::vector<bool> *Filter) {
  S = beforeNul(S);
  auto Ok = [&](size_t Pos) { return !Filter || (*Filter)[Pos]; };
  unsigned St = Base == 0 ? D.Start : D.StartInside;
  long Mark = -1;
  for (size_t Pos = Base; St != DFA::Dead; ++Pos) {
    unsigned char Byte = Pos < S.size() ? S[Pos] : 0;
    if (Byte == 0) { // the end marker settles `$`
      if (D.isAccepting(D.next(St, 0)) && Ok(Pos))
        Mark = Pos;
      break;
    }
    if (D.isAccepting(St) && Ok(Pos))
      Mark = Pos;
    if (Pos >= Limit)
      break;
    St = D.next(St, Byte);
  }
  return Mark;
}

void stapc::regex::simulateReverseWalk(const DFA &D, llvm::StringRef S,
                                       size_t Base, size_t Lower,
                                       std::vector<bool> &Bits) {
  S = beforeNul(S);
  unsigned St = Base == S.size() ? D.Start : D.StartInside;
  for (size_t Pos = Base; St != DFA::Dead; --Pos) {
    if (Pos == 0) { // the virtual byte before the first settles `^`
      if (D.isAccepting(D.next(St, 0)))
        Bits[0] = true;
      break;
    }
    if (D.isAccepting(St))
      Bits[Pos] = true;
    if (Pos <= Lower)
      break;
    St = D.next(St, S[Pos - 1]);
  }
}

std::vector<GroupSpan> stapc::regex::simulateSubmatch(const SubmatchPlan &Plan,
                                                      llvm::StringRef S,
                                                      size_t Begin,
                                                      size_t End) {
  return Simulator(Plan, beforeNul(S)).run(Begin, End);
}
