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

} // namespace regex
} // namespace stapc

#endif
