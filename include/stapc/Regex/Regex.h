//===- Regex.h - POSIX extended regular expressions compiled to DFAs -*- C++
//-*-===//
//
// The regex compiler behind `=~` / `!~`: a POSIX ERE (as a string literal's
// value) is parsed into a syntax tree, turned into a Thompson NFA, then into
// a DFA over byte classes by subset construction, and minimised. CodeGen
// emits the DFA's transition table into .rodata and walks it one input byte
// per step in BPF; the `simulate*` functions here walk the same tables on the
// host, exactly as the BPF code does, for tests.
//
// Input model: a string is scanned byte by byte up to its NUL. The NUL (and,
// for a backward scan, the virtual byte before the first one) is the end
// marker: its byte class is 0, and its transition only settles the `$` (or,
// backwards, `^`) anchors: it leads to the dead state or to an accepting
// sink. `^` holds only at the scan's start state, `$` only at the end marker.
//
//===----------------------------------------------------------------------===//
#ifndef STAPC_REGEX_REGEX_H
#define STAPC_REGEX_REGEX_H

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace stapc {
namespace regex {

struct Node;

/// Why a pattern was refused: a message and the byte offset in the pattern
/// it is about, or WholePattern (too large or too complex).
struct Error {
  static constexpr size_t WholePattern = ~size_t(0);
  std::string Message;
  size_t Offset = 0;
};

/// A parsed regular expression.
class Pattern {
public:
  /// Parse Source as a POSIX extended regular expression. On failure,
  /// returns null and fills Err.
  static std::unique_ptr<Pattern> parse(llvm::StringRef Source, Error &Err);
  ~Pattern();

  /// Number of parenthesised subexpressions (stap's ngroups()).
  unsigned getNumGroups() const { return NumGroups; }
  const Node *getRoot() const { return Root; }

private:
  Pattern() = default;
  std::vector<std::unique_ptr<Node>> Nodes; // owns every node
  Node *Root = nullptr;
  unsigned NumGroups = 0;
  friend class Parser;
};

/// How a DFA scans.
struct DFAOptions {
  /// Scan from the last byte to the first (the pattern is reversed, `^` and
  /// `$` swap roles).
  bool Reverse = false;
  /// A match may begin at any position of the scan, not only at its start.
  bool Unanchored = true;
  /// Every accepting state is final (one absorbing accepting sink): enough
  /// to answer "is there a match", and the walk can stop at once.
  bool StopAtMatch = false;
  /// Refuse patterns whose DFA needs more states than this (before
  /// minimisation).
  unsigned MaxStates = 1000;
};

/// A minimised DFA. States are numbered so that the dead state is 0 and
/// the accepting states are the last ones, [FirstAccepting, NumStates).
struct DFA {
  static constexpr unsigned Dead = 0;
  /// Byte class of each input byte; NUL (the end marker) is class 0 and
  /// alone in it.
  uint8_t ByteClass[256] = {};
  unsigned NumClasses = 0;
  unsigned NumStates = 0;
  unsigned FirstAccepting = 0;
  /// The state at the scan's start, and (anchored forward DFAs) the state
  /// for a scan that starts after the string's first byte (`^` fails).
  unsigned Start = 0, StartInside = 0;
  /// Next[State * NumClasses + Class].
  std::vector<uint16_t> Next;

  unsigned next(unsigned State, uint8_t Byte) const {
    return Next[State * NumClasses + ByteClass[Byte]];
  }
  bool isAccepting(unsigned State) const { return State >= FirstAccepting; }
};

/// Build the DFA of P scanned as Opts says. On failure (too many states)
/// returns false and fills Err (offset WholePattern).
bool buildDFA(const Pattern &P, const DFAOptions &Opts, DFA &Out, Error &Err);

/// Everything stapc builds for one `=~`: the search DFA (unanchored, stops
/// at the first match) and, for matched(), the reverse unanchored DFA that
/// finds the leftmost start and the anchored forward DFA that finds the
/// longest end from there.
struct CompiledRegex {
  std::unique_ptr<Pattern> P;
  DFA Search, Reverse, Forward;
};
bool compileRegex(llvm::StringRef Source, CompiledRegex &Out, Error &Err);

/// The host-side walks, step for step what the BPF code does.
/// Whether S (up to its first NUL) contains a match; D was built with
/// StopAtMatch and Unanchored.
bool simulateSearch(const DFA &D, llvm::StringRef S);
/// Leftmost start of a match in S by a backward scan with an unanchored
/// reverse DFA; nullopt when there is none.
std::optional<size_t> simulateLeftmostStart(const DFA &Rev, llvm::StringRef S);
/// End of the longest match starting at Start, by a forward scan with an
/// anchored DFA; nullopt when none starts there.
std::optional<size_t> simulateLongestEnd(const DFA &Fwd, llvm::StringRef S,
                                         size_t Start);
/// POSIX leftmost-longest match [begin, end) of the whole pattern.
std::optional<std::pair<size_t, size_t>>
simulateMatch(const DFA &Rev, const DFA &Fwd, llvm::StringRef S);

//===----------------------------------------------------------------------===//
// matched(n): groups inside the whole match (Submatch.cpp)
//===----------------------------------------------------------------------===//

/// One step of finding groups inside a stretch [i, j) of the subject that
/// a sub-expression is known to match exactly. POSIX's rules, applied top
/// down: the elements of a concatenation, left to right, each take the
/// longest text that still lets the rest match; of an alternation, the
/// first branch that matches the stretch; of `x*`/`x+`, the iterations,
/// left to right, each longest, and a group reports the last one; `x?`
/// takes x when the stretch is not empty.
struct SubmatchOp {
  enum Kind : uint8_t { Group, Concat, Alt, Optional, Star };
  /// One element (Concat), branch (Alt) or the inner expression (Group,
  /// Optional, Star).
  struct Part {
    /// Concat: the element's fixed width, or -1.
    int Width = -1;
    /// Concat: the fixed width of the elements after it, or -1.
    int RestWidth = -1;
    /// Concat: the last element (it ends where the concatenation does).
    bool Last = false;
    /// Index in SubmatchPlan::DFAs of an anchored forward DFA (Concat: the
    /// element; Alt: the branch, -1 for the final branch, which needs no
    /// test; Star: the repeated expression), or -1.
    int Fwd = -1;
    /// An anchored reverse DFA (Concat: the elements after this one; Star:
    /// the repeated expression, repeated), or -1.
    int Rev = -1;
    /// The groups to find inside this part, or null.
    const SubmatchOp *Op = nullptr;
  };
  Kind K = Group;
  unsigned GroupIndex = 0; // Group: its number
  std::vector<Part> Parts; // Concat/Alt: up to the last one with a group
};

/// How to find a set of groups in the whole match: the steps, and the
/// DFAs their walks use (anchored at the walk's start).
struct SubmatchPlan {
  std::vector<unsigned> Groups; // the groups it finds, ascending
  std::vector<std::unique_ptr<SubmatchOp>> Ops;
  const SubmatchOp *Root = nullptr; // applied to the whole match
  std::vector<DFA> DFAs;
};

/// Plan finding Groups (numbers of P's subexpressions, ascending, none 0)
/// inside P's whole match. Fails, filling Err (the offset of the construct
/// that prevents it, or WholePattern), when a group sits where POSIX does
/// not settle its value with these rules (a repetition whose repeated part
/// can match the empty string) or where stapc does not follow them (inside
/// a counted repetition like `{2,5}`), or a DFA has too many states.
bool buildSubmatchPlan(const Pattern &P, const std::vector<unsigned> &Groups,
                       SubmatchPlan &Out, Error &Err);

/// A group's span, or {-1, -1} when it did not take part in the match.
using GroupSpan = std::pair<long, long>;

/// The host-side walks of a plan, step for step what the BPF code does:
/// the spans of Plan.Groups (in that order) in S, given its whole match
/// [Begin, End).
std::vector<GroupSpan> simulateSubmatch(const SubmatchPlan &Plan,
                                        llvm::StringRef S, size_t Begin,
                                        size_t End);
/// One walk of a sub-expression DFA forward from Base (an anchored DFA):
/// the last position p in [Base, Limit] where it matches [Base, p) and
/// Filter (when given) holds p, or -1. Stops at the dead state.
long simulateForwardWalk(const DFA &D, llvm::StringRef S, size_t Base,
                         size_t Limit, const std::vector<bool> *Filter);
/// One walk of an anchored reverse DFA backward from Base: sets Bits[p]
/// for every p in [Lower, Base] where it matches [p, Base).
void simulateReverseWalk(const DFA &D, llvm::StringRef S, size_t Base,
                         size_t Lower, std::vector<bool> &Bits);

} // namespace regex
} // namespace stapc

#endif
