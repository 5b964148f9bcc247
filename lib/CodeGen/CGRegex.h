//===- CGRegex.h - DFA tables and walkers for `=~` -------------*- C++ -*-===//
//
// Each distinct pattern gets its DFAs' tables in .rodata and, per DFA, one
// bpf_loop callback that does one step of the walk: shared by every `=~`
// with that pattern in every probe. See CGRegex.cpp.
//
//===----------------------------------------------------------------------===//
#ifndef STAPC_LIB_CODEGEN_CGREGEX_H
#define STAPC_LIB_CODEGEN_CGREGEX_H

#include "stapc/Regex/Regex.h"

#include "llvm/IR/Function.h"

namespace stapc {

class CodeGenModule;

/// The walk context on the caller's stack, as i64 slots: the subject
/// string, the DFA state, the scan's base position (string length
/// backwards, start position forwards), the last accepting position.
enum RegexWalkSlot : unsigned {
  WalkSubject,
  WalkState,
  WalkBase,
  WalkMark,
  NumWalkSlots
};

/// One DFA lowered to a table and its step callback.
struct RegexWalker {
  llvm::Function *Step = nullptr;
  const regex::DFA *D = nullptr;
};

/// Everything emitted for one pattern.
struct RegexCode {
  regex::CompiledRegex Compiled;
  unsigned Id = 0;
  RegexWalker Search, Reverse, Forward;
};

enum class RegexWalk { Search, Reverse, Forward };

/// The walker of Kind for Code's pattern, emitting it on first use.
const RegexWalker &getRegexWalker(CodeGenModule &CGM, RegexCode &Code,
                                  RegexWalk Kind);

/// Bytes of the scratch copy of the subject: a power of two at least
/// MAXSTRINGLEN, so positions can be bounded with a mask.
unsigned regexSubjectBytes(unsigned MaxStringLen);

} // namespace stapc

#endif
