//===- NFA.h - Thompson NFA of a regular expression ------------*- C++ -*-===//
#ifndef STAPC_LIB_REGEX_NFA_H
#define STAPC_LIB_REGEX_NFA_H

#include "RegexAST.h"

namespace stapc {
namespace regex {

/// States with edges that consume a byte (out of a set), consume nothing,
/// or consume nothing but hold only at the scan's start or end.
struct NFA {
  enum EdgeKind : uint8_t { Eps, Byte, AtStart, AtEnd };
  struct Edge {
    EdgeKind K;
    uint32_t Set; // Byte: index into Sets
    uint32_t To;
  };
  std::vector<std::vector<Edge>> Out;
  std::vector<ByteSet> Sets;
  uint32_t Start = 0, Final = 0;

  /// States reachable from States (sorted, unique) through edges that
  /// consume nothing; anchors count where AtScanStart / AtScanEnd say.
  std::vector<uint32_t> closure(std::vector<uint32_t> States, bool AtScanStart,
                                bool AtScanEnd) const;
};

/// Build the NFA of P for a forward or (Reverse) backward scan. Fails when
/// counted repetitions make it too large.
bool buildNFA(const Pattern &P, bool Reverse, NFA &Out, Error &Err);
/// The same for the sub-expression Root (a node of a pattern, or one made
/// from its nodes).
bool buildNFA(const Node *Root, bool Reverse, NFA &Out, Error &Err);

/// Build the DFA of the sub-expression Root.
bool buildDFA(const Node *Root, const DFAOptions &Opts, DFA &Out, Error &Err);

} // namespace regex
} // namespace stapc

#endif
