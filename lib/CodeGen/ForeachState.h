//===- ForeachState.h - Scratch state of one foreach ------------*- C++ -*-===//
#ifndef STAPC_LIB_CODEGEN_FOREACHSTATE_H
#define STAPC_LIB_CODEGEN_FOREACHSTATE_H

namespace stapc {

/// Per-foreach state in scratch, one long each (callbacks reach it there).
enum ForeachField : unsigned {
  Limit,  // iterations still allowed to start
  Count,  // elements copied (sorted foreach)
  Width,  // merge sort: run width of this pass
  FromB,  // merge sort: index column being read (0: A, 1: B)
  Left,   // merge sort: the run pair being merged is [Left, Mid) [Mid, Right)
  Mid,
  Right,
  NextL,  // merge sort: next element of the left / right run
  NextR,
  NumFields
};

/// A sorted foreach's buffer element: u32 index columns A and B, then the
/// key and the value bytes.
constexpr unsigned ForeachIndexBytes = 8;

} // namespace stapc

#endif
