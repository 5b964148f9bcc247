//===- CGString.cpp - String values ---------------------------------------===//
//
// Strings live in fixed scratch slots of MAXSTRINGLEN bytes; copies use
// bpf_probe_read_kernel_str, which bounds and NUL-terminates for us.
//
//===----------------------------------------------------------------------===//
#include "ProbeEmitter.h"

using namespace stapc;
using namespace llvm;

/// A per-CPU array value may not exceed 32 KiB (the percpu allocator's unit).
static constexpr unsigned MaxScratchBytes = 32 * 1024;

Value *ProbeEmitter::allocStringSlot() {
  unsigned Size = CodeGenModule::alignTo8(CGM.getOptions().MaxStringLen);
  if (NextSlot + Size > MaxScratchBytes) {
    CGM.getDiags().error(Probe.Decl->getLoc(),
                         "probe '" + Probe.PP +
                             "' needs more string temporaries than fit in "
                             "BPF per-CPU memory; simplify it or lower "
                             "MAXSTRINGLEN with -DMAXSTRINGLEN=N");
    NextSlot = CGM.getSlotBase();
  }
  Value *P = B.CreateConstInBoundsGEP1_64(B.getInt8Ty(), Scratch, NextSlot,
                                          "str");
  NextSlot += Size;
  return P;
}

void ProbeEmitter::copyString(Value *Dst, Value *Src) {
  if (Dst == Src)
    return;
  B.createProbeReadKernelStr(Dst, CGM.getOptions().MaxStringLen, Src);
}

/// Byte-wise comparison in a bounded loop (unrolling disabled: 512
/// unrolled iterations would bloat the program for nothing).
Value *ProbeEmitter::emitStringCompare(BinaryOp Op, Value *L, Value *R) {
  LLVMContext &C = B.getContext();
  unsigned N = CGM.getOptions().MaxStringLen;
  Value *Idx = B.createEntryAlloca(B.getInt64Ty(), "cmp.i");
  Value *Diff = B.createEntryAlloca(B.getInt64Ty(), "cmp.diff");
  B.CreateStore(B.getInt64(0), Idx);
  B.CreateStore(B.getInt64(0), Diff);
  auto *Loop = BasicBlock::Create(C, "strcmp.loop", Fn);
  auto *Differ = BasicBlock::Create(C, "strcmp.differ", Fn);
  auto *Same = BasicBlock::Create(C, "strcmp.same", Fn);
  auto *Next = BasicBlock::Create(C, "strcmp.next", Fn);
  auto *Done = BasicBlock::Create(C, "strcmp.done", Fn);
  B.CreateBr(Loop);

  B.SetInsertPoint(Loop);
  Value *I = B.CreateLoad(B.getInt64Ty(), Idx);
  Value *A = B.CreateLoad(B.getInt8Ty(), B.CreateGEP(B.getInt8Ty(), L, I));
  Value *Bv = B.CreateLoad(B.getInt8Ty(), B.CreateGEP(B.getInt8Ty(), R, I));
  B.CreateCondBr(B.CreateICmpNE(A, Bv), Differ, Same);

  B.SetInsertPoint(Differ);
  B.CreateStore(B.CreateSub(B.CreateZExt(A, B.getInt64Ty()),
                            B.CreateZExt(Bv, B.getInt64Ty())),
                Diff);
  B.CreateBr(Done);

  B.SetInsertPoint(Same);
  Value *NextI = B.CreateAdd(I, B.getInt64(1));
  B.CreateStore(NextI, Idx);
  B.CreateCondBr(B.CreateICmpEQ(A, B.getInt8(0)), Done, Next);

  B.SetInsertPoint(Next);
  B.createNoUnrollCondBr(B.CreateICmpULT(NextI, B.getInt64(N)), Loop, Done);

  B.SetInsertPoint(Done);
  Value *D = B.CreateLoad(B.getInt64Ty(), Diff);
  Value *Zero = B.getInt64(0);
  Value *Res;
  switch (Op) {
  case BinaryOp::EQ: Res = B.CreateICmpEQ(D, Zero); break;
  case BinaryOp::NE: Res = B.CreateICmpNE(D, Zero); break;
  case BinaryOp::LT: Res = B.CreateICmpSLT(D, Zero); break;
  case BinaryOp::LE: Res = B.CreateICmpSLE(D, Zero); break;
  case BinaryOp::GT: Res = B.CreateICmpSGT(D, Zero); break;
  case BinaryOp::GE: Res = B.CreateICmpSGE(D, Zero); break;
  default: llvm_unreachable("not a string comparison");
  }
  return B.CreateZExt(Res, B.getInt64Ty());
}

/// L . R, truncated to MAXSTRINGLEN - 1 characters.
Value *ProbeEmitter::emitConcat(Value *L, Value *R) {
  unsigned N = CGM.getOptions().MaxStringLen;
  Value *Dst = allocStringSlot();
  // The verifier bounds the tail's offset and its room separately (it does
  // not know they add up to N), so keep a second slot of headroom.
  allocStringSlot();
  Value *Len = B.createProbeReadKernelStr(Dst, N, L);
  // Len counts the NUL; an error (negative) leaves an empty string.
  Value *Chars = B.CreateSelect(B.CreateICmpSGT(Len, B.getInt64(0)),
                                B.CreateSub(Len, B.getInt64(1)), B.getInt64(0));
  // A bound the verifier can see: N is not always a power of two, so clamp.
  Chars = B.CreateSelect(B.CreateICmpUGT(Chars, B.getInt64(N - 1)),
                         B.getInt64(N - 1), Chars);
  Value *Tail = B.CreateGEP(B.getInt8Ty(), Dst, Chars);
  Value *Room = B.CreateTrunc(B.CreateSub(B.getInt64(N), Chars), B.getInt32Ty());
  B.createHelperCall(BPFHelper::ProbeReadKernelStr, B.getInt64Ty(),
                     {Tail, Room, R}, "rdstr");
  return Dst;
}

/// strlen(s): the copy helper reports the length, so let it do the scan
/// (into a scratch slot) instead of looping byte by byte.
Value *ProbeEmitter::emitStrlen(Value *S) {
  Value *Tmp = allocStringSlot();
  Value *N = B.createProbeReadKernelStr(Tmp, CGM.getOptions().MaxStringLen, S);
  return B.CreateSelect(B.CreateICmpSGT(N, B.getInt64(0)),
                        B.CreateSub(N, B.getInt64(1)), B.getInt64(0), "strlen");
}
