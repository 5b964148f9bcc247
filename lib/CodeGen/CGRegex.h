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

#include <map>

namespace stapc {

class CodeGenModule;

/// The walk context on the caller's stack, as i64 slots: the subject
/// string, the DFA state, the scan's base position (string length
/// backwards, start position forwards), the last accepting position; for
/// the walks that find groups (CGRegexGroups.cpp) also the position where
/// the walk stops, the bitmap of positions (a pointer), whether a forward
/// walk marks only positions in the bitmap, a loop's current iteration
/// start, and the start states of the loop's walks (Start, StartInside).
enum RegexWalkSlot : unsigned {
  WalkSubject,
  WalkState,
  WalkBase,
  WalkMark,
  WalkLimit,
  WalkBits,
  WalkFilter,
  WalkIter,
  WalkStart,
  WalkStartInside,
  NumWalkSlots
};

/// One DFA lowered to a table and its step callback.
struct RegexWalker {
  llvm::Function *Step = nullptr;
  const regex::DFA *D = nullptr;
};

/// What one pattern needs for matched(n) of one set of groups: the plan,
/// the step callback of each of its DFAs, and for each `x*` of the plan a
/// bpf_loop callback that runs one iteration's walk.
struct SubmatchCode {
  regex::SubmatchPlan Plan;
  unsigned Id = 0; // among the pattern's plans
  std::vector<llvm::Function *> Steps;
  std::map<const regex::SubmatchOp *, llvm::Function *> Iterations;
};

/// Everything emitted for one pattern.
struct RegexCode {
  regex::CompiledRegex Compiled;
  unsigned Id = 0;
  RegexWalker Search, Reverse, Forward;
  /// Plans by the groups they find (Sema checked that they build).
  std::map<std::vector<unsigned>, std::unique_ptr<SubmatchCode>> Submatches;
};

enum class RegexWalk { Search, Reverse, Forward, SubForward, SubReverse };

/// The walker of Kind for Code's pattern, emitting it on first use.
const RegexWalker &getRegexWalker(CodeGenModule &CGM, RegexCode &Code,
                                  RegexWalk Kind);

/// The plan finding Groups in Code's matches, built on first use.
SubmatchCode &getSubmatch(RegexCode &Code, const std::vector<unsigned> &Groups);
/// The step callback of DFA I of a plan: an anchored forward walk up to
/// WalkLimit that marks accepting positions (only those in the bitmap when
/// WalkFilter is set), or an anchored backward walk down to WalkLimit that
/// sets the bits of accepting positions.
llvm::Function *getSubmatchStep(CodeGenModule &CGM, RegexCode &Code,
                                SubmatchCode &Sub, int I, bool Reverse);
/// The bpf_loop callback of a plan's `x*` step: one iteration's filtered
/// forward walk from WalkIter; it moves WalkIter to the iteration's end,
/// or stops the loop when the iteration ends at WalkLimit (the last one).
llvm::Function *getSubmatchIteration(CodeGenModule &CGM, RegexCode &Code,
                                     SubmatchCode &Sub,
                                     const regex::SubmatchOp &Star);

class ProbeEmitter;
/// After a successful match [Begin, End) of Code's pattern (subject copy
/// and walk context as emitRegexMatch left them): the spans of the groups
/// the probe reads with matched(n), into its hidden group locals.
void emitGroupSpans(ProbeEmitter &PE, RegexCode &Code, llvm::Value *Ctx,
                    llvm::Value *Len, llvm::Value *Begin, llvm::Value *End);

/// Bytes of the scratch copy of the subject: a power of two at least
/// MAXSTRINGLEN, so positions can be bounded with a mask.
unsigned regexSubjectBytes(unsigned MaxStringLen);

} // namespace stapc

#endif
