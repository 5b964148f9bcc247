//===- DFA.cpp - Subset construction, byte classes, minimisation ----------===//
//
// Bytes that every byte set of the NFA treats alike share a class, so the
// table has one column per class rather than 256. DFA states are sets of
// NFA states; two sinks exist from the start: the dead state (nothing can
// match any more) and the accepting sink (a match is certain whatever
// follows: reached through the end marker, or at once with StopAtMatch).
// Moore's partition refinement then merges equivalent states, and states
// are renumbered so that dead is 0 and the accepting ones come last (the
// BPF walk tests "accepting" with one comparison).
//
//===----------------------------------------------------------------------===//
#include "NFA.h"

#include <map>

using namespace stapc;
using namespace stapc::regex;

namespace {
/// The byte-class partition of an NFA's byte sets; NUL is class 0.
struct ByteClasses {
  uint8_t Class[256] = {};
  std::vector<uint8_t> Rep; // a byte of each class

  explicit ByteClasses(const NFA &N) {
    // Refine {NUL}, {1..255} by each set: bytes stay together only if
    // they were together and the set holds both or neither.
    for (unsigned C = 1; C < 256; ++C)
      Class[C] = 1;
    unsigned Count = 2;
    for (const ByteSet &S : N.Sets) {
      std::map<std::pair<unsigned, bool>, unsigned> Split;
      unsigned Next = 0;
      uint8_t New[256];
      for (unsigned C = 0; C < 256; ++C) {
        auto [It, Added] = Split.try_emplace({Class[C], S[C]}, Next);
        Next += Added;
        New[C] = It->second;
      }
      std::copy(New, New + 256, Class);
      Count = Next;
    }
    Rep.assign(Count, 0);
    for (unsigned C = 255; C > 0; --C)
      Rep[Class[C]] = C;
  }
  unsigned size() const { return Rep.size(); }
};

/// The unminimised DFA: its transitions and accepting flags.
struct RawDFA {
  unsigned NumClasses = 0;
  std::vector<std::vector<uint32_t>> Next;
  std::vector<bool> Accepting;
  unsigned Start = 0, StartInside = 0;
};

class SubsetBuilder {
public:
  static constexpr uint32_t DeadId = 0, MatchId = 1;

  SubsetBuilder(const NFA &N, const ByteClasses &BC, const DFAOptions &O)
      : N(N), BC(BC), O(O) {}

  bool run(RawDFA &Out, Error &Err) {
    Out.NumClasses = BC.size();
    Out.Next.assign(2, std::vector<uint32_t>(BC.size()));
    for (unsigned C = 0; C < BC.size(); ++C)
      Out.Next[MatchId][C] = MatchId;
    Out.Accepting = {false, true};
    Keys.resize(2);
    Raw = &Out;
    Out.Start = intern(N.closure({N.Start}, true, false), true);
    Out.StartInside = intern(N.closure({N.Start}, false, false), false);
    for (size_t S = 2; S < Keys.size(); ++S) {
      if (Keys.size() > O.MaxStates) {
        Err.Message = "regular expression is too complex: its automaton "
                      "needs more than " +
                      std::to_string(O.MaxStates) +
                      " states; simplify it (counted repetitions inside "
                      "loops multiply states)";
        Err.Offset = Error::WholePattern;
        return false;
      }
      expand(S);
    }
    return true;
  }

private:
  const NFA &N;
  const ByteClasses &BC;
  const DFAOptions &O;
  RawDFA *Raw = nullptr;
  using Key = std::pair<std::vector<uint32_t>, bool>; // NFA set, initial
  std::map<Key, uint32_t> Ids;
  std::vector<Key> Keys;

  bool accepts(const std::vector<uint32_t> &Set) const {
    return std::binary_search(Set.begin(), Set.end(), N.Final);
  }

  uint32_t intern(std::vector<uint32_t> Set, bool Initial) {
    if (Set.empty())
      return DeadId;
    if (O.StopAtMatch && accepts(Set))
      return MatchId;
    Key K{std::move(Set), Initial};
    auto [It, New] = Ids.try_emplace(K, Keys.size());
    if (New) {
      Raw->Accepting.push_back(accepts(K.first));
      Raw->Next.emplace_back(BC.size());
      Keys.push_back(std::move(K));
    }
    return It->second;
  }

  /// Fill the transitions of DFA state Id. Reading a byte never crosses
  /// an anchor; the end marker settles `$` (and `^` too in the initial
  /// state, where the scan has not moved yet).
  void expand(uint32_t Id) {
    Key K = Keys[Id];
    const std::vector<uint32_t> &Set = K.first;
    std::vector<uint32_t> End = N.closure(Set, K.second, true);
    Raw->Next[Id][0] = accepts(End) ? MatchId : DeadId;
    for (unsigned C = 1; C < BC.size(); ++C) {
      std::vector<uint32_t> Moved;
      for (uint32_t S : Set)
        for (const NFA::Edge &E : N.Out[S])
          if (E.K == NFA::Byte && N.Sets[E.Set][BC.Rep[C]])
            Moved.push_back(E.To);
      if (O.Unanchored)
        Moved.push_back(N.Start);
      std::sort(Moved.begin(), Moved.end());
      Moved.erase(std::unique(Moved.begin(), Moved.end()), Moved.end());
      Raw->Next[Id][C] =
          intern(N.closure(std::move(Moved), false, false), false);
    }
  }
};
} // namespace

/// Moore's algorithm: split blocks by their successors' blocks until
/// stable; then number the blocks dead first, accepting last.
static void minimise(const RawDFA &R, const ByteClasses &BC, DFA &Out) {
  size_t NS = R.Next.size();
  std::vector<uint32_t> Block(NS);
  for (size_t S = 0; S < NS; ++S)
    Block[S] = R.Accepting[S];
  size_t Count = 0;
  for (;;) {
    std::map<std::vector<uint32_t>, uint32_t> Sig;
    std::vector<uint32_t> New(NS);
    for (size_t S = 0; S < NS; ++S) {
      std::vector<uint32_t> Key{Block[S]};
      for (uint32_t T : R.Next[S])
        Key.push_back(Block[T]);
      New[S] = Sig.try_emplace(std::move(Key), Sig.size()).first->second;
    }
    Block.swap(New);
    if (Sig.size() == Count)
      break;
    Count = Sig.size();
  }
  // Final numbering: the dead state's block, other rejecting blocks, then
  // the accepting ones, each in order of first appearance.
  std::vector<int64_t> Number(Count, -1);
  unsigned Next = 0;
  Number[Block[0]] = Next++;
  for (int Pass = 0; Pass < 2; ++Pass) {
    if (Pass == 1)
      Out.FirstAccepting = Next;
    for (size_t S = 0; S < NS; ++S)
      if (R.Accepting[S] == (Pass == 1) && Number[Block[S]] < 0)
        Number[Block[S]] = Next++;
  }
  Out.NumStates = Count;
  Out.NumClasses = BC.size();
  std::copy(BC.Class, BC.Class + 256, Out.ByteClass);
  Out.Next.assign(Count * BC.size(), 0);
  for (size_t S = 0; S < NS; ++S)
    for (unsigned C = 0; C < BC.size(); ++C)
      Out.Next[Number[Block[S]] * BC.size() + C] = Number[Block[R.Next[S][C]]];
  Out.Start = Number[Block[R.Start]];
  Out.StartInside = Number[Block[R.StartInside]];
}

bool stapc::regex::buildDFA(const Pattern &P, const DFAOptions &Opts, DFA &Out,
                            Error &Err) {
  return buildDFA(P.getRoot(), Opts, Out, Err);
}

bool stapc::regex::buildDFA(const Node *Root, const DFAOptions &Opts,
                            DFA &Out, Error &Err) {
  NFA N;
  if (!buildNFA(Root, Opts.Reverse, N, Err))
    return false;
  ByteClasses BC(N);
  RawDFA Raw;
  SubsetBuilder SB(N, BC, Opts);
  if (!SB.run(Raw, Err))
    return false;
  Out = DFA();
  minimise(Raw, BC, Out);
  return true;
}

bool stapc::regex::compileRegex(llvm::StringRef Source, CompiledRegex &Out,
                                Error &Err) {
  Out.P = Pattern::parse(Source, Err);
  if (!Out.P)
    return false;
  DFAOptions Search, Reverse, Forward;
  Search.StopAtMatch = true;
  Reverse.Reverse = true;
  Forward.Unanchored = false;
  return buildDFA(*Out.P, Search, Out.Search, Err) &&
         buildDFA(*Out.P, Reverse, Out.Reverse, Err) &&
         buildDFA(*Out.P, Forward, Out.Forward, Err);
}

//===----------------------------------------------------------------------===//
// Host-side walks (the BPF code in lib/CodeGen/CGRegex.cpp does the same)
//===----------------------------------------------------------------------===//

static llvm::StringRef untilNul(llvm::StringRef S) {
  return S.substr(0, S.find('\0'));
}

bool stapc::regex::simulateSearch(const DFA &D, llvm::StringRef S) {
  S = untilNul(S);
  unsigned St = D.Start;
  for (size_t I = 0; I <= S.size(); ++I) {
    if (St == DFA::Dead || D.isAccepting(St))
      break;
    St = D.next(St, I < S.size() ? S[I] : 0);
  }
  return D.isAccepting(St);
}

std::optional<size_t> stapc::regex::simulateLeftmostStart(const DFA &Rev,
                                                          llvm::StringRef S) {
  S = untilNul(S);
  unsigned St = Rev.Start;
  std::optional<size_t> Best;
  if (Rev.isAccepting(St))
    Best = S.size();
  for (size_t K = 0; K <= S.size() && St != DFA::Dead; ++K) {
    bool Marker = K == S.size(); // the virtual byte before the first
    size_t Pos = Marker ? 0 : S.size() - 1 - K;
    St = Rev.next(St, Marker ? 0 : S[Pos]);
    if (Rev.isAccepting(St))
      Best = Pos;
  }
  return Best;
}

std::optional<size_t> stapc::regex::simulateLongestEnd(const DFA &Fwd,
                                                       llvm::StringRef S,
                                                       size_t Start) {
  S = untilNul(S);
  unsigned St = Start == 0 ? Fwd.Start : Fwd.StartInside;
  std::optional<size_t> Best;
  if (Fwd.isAccepting(St))
    Best = Start;
  for (size_t Pos = Start; Pos <= S.size() && St != DFA::Dead; ++Pos) {
    bool Marker = Pos == S.size();
    St = Fwd.next(St, Marker ? 0 : S[Pos]);
    if (Fwd.isAccepting(St))
      Best = Marker ? Pos : Pos + 1;
  }
  return Best;
}

std::optional<std::pair<size_t, size_t>>
stapc::regex::simulateMatch(const DFA &Rev, const DFA &Fwd, llvm::StringRef S) {
  std::optional<size_t> Begin = simulateLeftmostStart(Rev, S);
  if (!Begin)
    return std::nullopt;
  std::optional<size_t> End = simulateLongestEnd(Fwd, S, *Begin);
  if (!End)
    return std::nullopt;
  return std::make_pair(*Begin, *End);
}
