//===- RegexAST.h - Syntax tree of a parsed regular expression -*- C++ -*-===//
#ifndef STAPC_LIB_REGEX_REGEXAST_H
#define STAPC_LIB_REGEX_REGEXAST_H

#include "stapc/Regex/Regex.h"

#include <bitset>

namespace stapc {
namespace regex {

using ByteSet = std::bitset<256>;

struct Node {
  enum Kind {
    Empty,       // matches the empty string
    Bytes,       // one byte out of Set (never NUL)
    AssertBegin, // `^`
    AssertEnd,   // `$`
    Concat,      // Kids in order
    Alt,         // one of Kids
    Repeat,      // Kids[0], Min..Max times (Max == Unbounded: no limit)
    Group,       // `( Kids[0] )`, subexpression number Index
  };
  static constexpr unsigned Unbounded = ~0u;

  explicit Node(Kind K) : K(K) {}
  Kind K;
  ByteSet Set;
  std::vector<Node *> Kids;
  unsigned Min = 0, Max = 0;
  unsigned Index = 0;
  /// Where in the pattern it is: a group's '(', a repetition's operator.
  size_t Offset = 0;
};

} // namespace regex
} // namespace stapc

#endif
