//===- NFA.cpp - Thompson construction ------------------------------------===//
//
// Each syntax node becomes a fragment with one entry and one exit state.
// Counted repetitions are expanded into copies (x{2,4} is x x x? x?), so
// the NFA's size is bounded to keep pathological counts from exhausting
// memory. A reverse NFA concatenates in reverse order and swaps `^`/`$`:
// scanning backwards, `$` holds at the scan's start.
//
//===----------------------------------------------------------------------===//
#include "NFA.h"

#include <algorithm>
#include <unordered_map>

using namespace stapc;
using namespace stapc::regex;

/// NFA states allowed after expanding repetitions.
static constexpr size_t MaxNFAStates = 20000;

namespace {
class NFABuilder {
public:
  NFABuilder(NFA &N, bool Reverse) : N(N), Reverse(Reverse) {}

  struct Frag {
    uint32_t In, Out;
  };

  bool build(const Node *Root, Error &Err) {
    Frag F = emit(Root);
    if (TooBig) {
      Err.Message = "regular expression is too large after expanding its "
                    "repetition counts; use smaller counts";
      Err.Offset = Error::WholePattern;
      return false;
    }
    N.Start = F.In;
    N.Final = F.Out;
    return true;
  }

private:
  NFA &N;
  bool Reverse;
  bool TooBig = false;
  std::unordered_map<ByteSet, uint32_t> SetIds;

  uint32_t state() {
    if (N.Out.size() >= MaxNFAStates)
      TooBig = true;
    N.Out.emplace_back();
    return N.Out.size() - 1;
  }
  void edge(uint32_t From, NFA::EdgeKind K, uint32_t To, uint32_t Set = 0) {
    N.Out[From].push_back({K, Set, To});
  }
  uint32_t setId(const ByteSet &S) {
    auto [It, New] = SetIds.try_emplace(S, N.Sets.size());
    if (New)
      N.Sets.push_back(S);
    return It->second;
  }
  Frag single(NFA::EdgeKind K, uint32_t Set = 0) {
    Frag F{state(), state()};
    edge(F.In, K, F.Out, Set);
    return F;
  }

  Frag emit(const Node *E);
  Frag emitRepeat(const Node *E);
};
} // namespace

NFABuilder::Frag NFABuilder::emit(const Node *E) {
  if (TooBig)
    return {0, 0};
  switch (E->K) {
  case Node::Empty:
    return single(NFA::Eps);
  case Node::Bytes:
    return single(NFA::Byte, setId(E->Set));
  case Node::AssertBegin:
    return single(Reverse ? NFA::AtEnd : NFA::AtStart);
  case Node::AssertEnd:
    return single(Reverse ? NFA::AtStart : NFA::AtEnd);
  case Node::Group:
    return emit(E->Kids[0]);
  case Node::Concat: {
    std::vector<const Node *> Kids(E->Kids.begin(), E->Kids.end());
    if (Reverse)
      std::reverse(Kids.begin(), Kids.end());
    Frag F = emit(Kids[0]);
    for (size_t I = 1; I < Kids.size() && !TooBig; ++I) {
      Frag Next = emit(Kids[I]);
      edge(F.Out, NFA::Eps, Next.In);
      F.Out = Next.Out;
    }
    return F;
  }
  case Node::Alt: {
    Frag F{state(), state()};
    for (const Node *K : E->Kids) {
      Frag Branch = emit(K);
      if (TooBig)
        break;
      edge(F.In, NFA::Eps, Branch.In);
      edge(Branch.Out, NFA::Eps, F.Out);
    }
    return F;
  }
  case Node::Repeat:
    return emitRepeat(E);
  }
  return {0, 0};
}

/// x{m,n}: m copies, then n-m optional ones (or a loop when unbounded).
NFABuilder::Frag NFABuilder::emitRepeat(const Node *E) {
  const Node *Kid = E->Kids[0];
  uint32_t In = state();
  uint32_t Cur = In;
  for (unsigned I = 0; I < E->Min && !TooBig; ++I) {
    Frag Copy = emit(Kid);
    edge(Cur, NFA::Eps, Copy.In);
    Cur = Copy.Out;
  }
  uint32_t Out = state();
  if (E->Max == Node::Unbounded) {
    Frag Loop = emit(Kid);
    if (TooBig)
      return {In, Out};
    edge(Cur, NFA::Eps, Loop.In);
    edge(Loop.Out, NFA::Eps, Cur);
  } else {
    for (unsigned I = E->Min; I < E->Max && !TooBig; ++I) {
      Frag Copy = emit(Kid);
      edge(Cur, NFA::Eps, Out); // stop repeating here
      edge(Cur, NFA::Eps, Copy.In);
      Cur = Copy.Out;
    }
  }
  edge(Cur, NFA::Eps, Out);
  return {In, Out};
}

std::vector<uint32_t> NFA::closure(std::vector<uint32_t> States,
                                   bool AtScanStart, bool AtScanEnd) const {
  std::vector<bool> Seen(Out.size());
  std::vector<uint32_t> Work = States;
  for (uint32_t S : States)
    Seen[S] = true;
  while (!Work.empty()) {
    uint32_t S = Work.back();
    Work.pop_back();
    for (const Edge &E : Out[S]) {
      bool Follow = E.K == Eps || (E.K == AtStart && AtScanStart) ||
                    (E.K == AtEnd && AtScanEnd);
      if (Follow && !Seen[E.To]) {
        Seen[E.To] = true;
        States.push_back(E.To);
        Work.push_back(E.To);
      }
    }
  }
  std::sort(States.begin(), States.end());
  return States;
}

bool stapc::regex::buildNFA(const Node *Root, bool Reverse, NFA &Out,
                            Error &Err) {
  Out = NFA();
  NFABuilder B(Out, Reverse);
  return B.build(Root, Err);
}

bool stapc::regex::buildNFA(const Pattern &P, bool Reverse, NFA &Out,
                            Error &Err) {
  return buildNFA(P.getRoot(), Reverse, Out, Err);
}
