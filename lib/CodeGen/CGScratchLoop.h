//===- CGScratchLoop.h - Loops over scratch memory via bpf_loop -*- C++ -*-===//
//
// String builtins walk strings byte by byte with data-dependent ends. A
// plain bounded loop makes the verifier walk every iteration and then the
// rest of the probe once per exit; bpf_loop (helper 181, Linux 5.17) has
// it check the body once. The body is a callback subprogram, so it cannot
// see the probe's values: everything it needs lives in the per-CPU scratch
// area at offsets fixed at compile time, and it finds the area with its
// own map lookup.
//
//===----------------------------------------------------------------------===//
#ifndef STAPC_LIB_CODEGEN_CGSCRATCHLOOP_H
#define STAPC_LIB_CODEGEN_CGSCRATCHLOOP_H

#include "ProbeEmitter.h"

#include "llvm/ADT/STLFunctionalExtras.h"

namespace stapc {

/// What a loop body emits into.
struct LoopBody {
  BPFIRBuilder &B;
  llvm::Value *Base;        ///< this CPU's scratch area
  llvm::Value *Index;       ///< the iteration, 0 .. Count-1 (i64)
  llvm::BasicBlock *Stop;   ///< branch here to end the loop
  llvm::BasicBlock *Next;   ///< branch here to go on (the default)
  uint64_t Mask;            ///< masks byte offsets in a string slot

  /// Scratch address Off (a probe-side address from scratchOffset()).
  llvm::Value *at(unsigned Off) {
    return B.CreateConstInBoundsGEP1_64(B.getInt8Ty(), Base, Off);
  }
  /// Byte I (masked) of the string slot at Off, and loads/stores of it.
  llvm::Value *byteAt(unsigned Off, llvm::Value *I) {
    return B.CreateGEP(B.getInt8Ty(), at(Off), B.CreateAnd(I, Mask));
  }
  llvm::Value *loadByte(unsigned Off, llvm::Value *I) {
    return B.CreateZExt(B.CreateLoad(B.getInt8Ty(), byteAt(Off, I)),
                        B.getInt64Ty());
  }
  llvm::Value *load(unsigned Off) {
    return B.CreateLoad(B.getInt64Ty(), at(Off));
  }
  void store(llvm::Value *V, unsigned Off) { B.CreateStore(V, at(Off)); }
  /// Continue in a new block when Cond holds, else branch to Else.
  void check(llvm::Value *Cond, llvm::BasicBlock *Else);
};

/// Runs Body for Index in [0, Count) (at most 2^23) through bpf_loop.
void emitScratchLoop(ProbeEmitter &PE, llvm::Value *Count,
                     llvm::function_ref<void(LoopBody &)> Body);

/// The offset of a probe-side scratch address (from allocScratch or
/// sharedScratch) within the scratch area.
unsigned scratchOffset(ProbeEmitter &PE, llvm::Value *P);

/// Copies the string S into scratch memory at Dst (MAXSTRINGLEN bytes);
/// returns its length (0 if it cannot be read).
llvm::Value *emitCopyMeasured(ProbeEmitter &PE, llvm::Value *Dst,
                              llvm::Value *S);

/// In a loop body: branches to Match if the Len bytes of the slot at
/// Needle equal those of the slot at Hay from offset At, else to Mismatch.
/// A bounded byte loop inside the callback (checked once per callback).
void emitMatchAt(LoopBody &L, unsigned Hay, llvm::Value *At, unsigned Needle,
                 llvm::Value *Len, llvm::BasicBlock *Match,
                 llvm::BasicBlock *Mismatch);

// CGTextFuncs.cpp: the string builtins that build text.
llvm::Value *emitStrReplace(ProbeEmitter &PE, llvm::Value *S,
                            llvm::Value *Search, llvm::Value *Replace);
llvm::Value *emitTokenize(ProbeEmitter &PE, llvm::Value *Input,
                          llvm::Value *Delim);
llvm::Value *emitTextStrn(ProbeEmitter &PE, llvm::Value *Input,
                          llvm::Value *Len, llvm::Value *Quoted);

} // namespace stapc

#endif
