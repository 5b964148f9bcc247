//===- CGString.cpp - String values ---------------------------------------===//
//
// Strings live in fixed scratch slots of MAXSTRINGLEN bytes; copies use
// bpf_probe_read_kernel_str, which bounds and NUL-terminates for us.
//
//===----------------------------------------------------------------------===//
#include "ProbeEmitter.h"

#include "llvm/IR/Intrinsics.h"

using namespace stapc;
using namespace llvm;

/// A per-CPU array value may not exceed 32 KiB (the percpu allocator's unit).
static constexpr unsigned MaxScratchBytes = 32 * 1024;

unsigned ProbeEmitter::allocScratch(unsigned Bytes, unsigned Reach) {
  Reach = std::max(Reach, Bytes);
  if (NextSlot + Reach > MaxScratchBytes) {
    if (!ScratchOverflowReported)
      CGM.getDiags().error(Probe.Decl->getLoc(),
                           "probe '" + Probe.PP +
                               "' needs more string temporaries than fit in "
                               "BPF per-CPU memory; simplify it or lower "
                               "MAXSTRINGLEN with -DMAXSTRINGLEN=N");
    ScratchOverflowReported = true;
    NextSlot = CGM.getSlotBase();
  }
  unsigned Offset = NextSlot;
  // Accesses past Bytes never happen at run time (they may overlap later
  // temporaries), but the map value must be large enough for the verifier.
  CGM.noteScratchUse(NextSlot + Reach);
  NextSlot += CodeGenModule::alignTo8(Bytes);
  return Offset;
}

Value *ProbeEmitter::scratchAt(unsigned Offset, const Twine &Name) {
  return B.CreateConstInBoundsGEP1_64(B.getInt8Ty(), Scratch, Offset, Name);
}

Value *ProbeEmitter::allocScratchPtr(unsigned Bytes, unsigned Reach) {
  return scratchAt(allocScratch(Bytes, Reach), "str");
}

Value *ProbeEmitter::sharedScratch(Shared Purpose, unsigned Bytes,
                                   unsigned Reach) {
  auto [It, New] = SharedOffsets.try_emplace(unsigned(Purpose), NextSlot);
  if (New)
    allocScratch(Bytes, Reach);
  // A fresh address each time: the first use need not dominate the others.
  return B.CreateConstInBoundsGEP1_64(B.getInt8Ty(), Scratch, It->second,
                                     "shared");
}

Value *ProbeEmitter::allocStringSlot() {
  return allocScratchPtr(CGM.getOptions().MaxStringLen,
                         CGM.getOptions().MaxStringLen);
}

void ProbeEmitter::copyString(Value *Dst, Value *Src) {
  if (Dst == Src)
    return;
  B.createProbeReadKernelStr(Dst, CGM.getOptions().MaxStringLen, Src);
}

/// String comparison, eight bytes per step: every string buffer (scratch
/// slots, globals, map values, literals) is 8-aligned and padded to 8, so
/// a 512-byte string costs the verifier 64 steps rather than 512.
///
/// Per word: if the words are equal and hold a NUL, the strings are equal;
/// if they differ, the first byte that differs or ends L decides.
Value *ProbeEmitter::emitStringCompare(BinaryOp Op, Value *L, Value *R) {
  LLVMContext &C = B.getContext();
  unsigned Words = CodeGenModule::alignTo8(CGM.getOptions().MaxStringLen) / 8;
  const uint64_t Ones = 0x0101010101010101ull, Highs = 0x8080808080808080ull,
                 Lows = 0x7f7f7f7f7f7f7f7full;
  Value *Idx = B.createEntryAlloca(B.getInt64Ty(), "cmp.w");
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
  Value *W = B.CreateLoad(B.getInt64Ty(), Idx);
  Value *A = B.CreateLoad(B.getInt64Ty(), B.CreateGEP(B.getInt64Ty(), L, W));
  Value *Bv = B.CreateLoad(B.getInt64Ty(), B.CreateGEP(B.getInt64Ty(), R, W));
  // Flags the lowest zero byte of a word exactly (higher flags may be
  // spurious). Computed after the equality test in each branch, so that
  // when one side is a .rodata literal the verifier knows the other side's
  // value too and sees the loop end at the literal's NUL.
  auto ZeroBytes = [&](Value *X) {
    return B.CreateAnd(B.CreateAnd(B.CreateSub(X, B.getInt64(Ones)),
                                   B.CreateNot(X)),
                       B.getInt64(Highs));
  };
  B.CreateCondBr(B.CreateICmpNE(A, Bv), Differ, Same);

  B.SetInsertPoint(Differ);
  Value *ZeroA = ZeroBytes(A);
  // Flag every byte where the words differ, then take the lowest flagged
  // byte among those and A's terminator.
  Value *D = B.CreateXor(A, Bv);
  Value *NonZero = B.CreateAnd(
      B.CreateOr(B.CreateAdd(B.CreateAnd(D, B.getInt64(Lows)), B.getInt64(Lows)),
                 D),
      B.getInt64(Highs));
  Value *First = B.CreateOr(NonZero, ZeroA);
  Value *Shift = B.CreateAnd(
      B.CreateIntrinsic(Intrinsic::cttz, {B.getInt64Ty()}, {First, B.getTrue()}),
      B.getInt64(~uint64_t(7)));
  Value *AK = B.CreateAnd(B.CreateLShr(A, Shift), B.getInt64(0xff));
  Value *BK = B.CreateAnd(B.CreateLShr(Bv, Shift), B.getInt64(0xff));
  B.CreateStore(B.CreateSub(AK, BK), Diff);
  B.CreateBr(Done);

  B.SetInsertPoint(Same);
  Value *NextW = B.CreateAdd(W, B.getInt64(1));
  B.CreateStore(NextW, Idx);
  B.CreateCondBr(B.CreateICmpNE(ZeroBytes(A), B.getInt64(0)), Done, Next);

  B.SetInsertPoint(Next);
  B.createNoUnrollCondBr(B.CreateICmpULT(NextW, B.getInt64(Words)), Loop, Done);

  B.SetInsertPoint(Done);
  Value *Dv = B.CreateLoad(B.getInt64Ty(), Diff);
  Value *Zero = B.getInt64(0);
  Value *Res;
  switch (Op) {
  case BinaryOp::EQ: Res = B.CreateICmpEQ(Dv, Zero); break;
  case BinaryOp::NE: Res = B.CreateICmpNE(Dv, Zero); break;
  case BinaryOp::LT: Res = B.CreateICmpSLT(Dv, Zero); break;
  case BinaryOp::LE: Res = B.CreateICmpSLE(Dv, Zero); break;
  case BinaryOp::GT: Res = B.CreateICmpSGT(Dv, Zero); break;
  case BinaryOp::GE: Res = B.CreateICmpSGE(Dv, Zero); break;
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
