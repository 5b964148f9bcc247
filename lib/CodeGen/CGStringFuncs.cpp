//===- CGStringFuncs.cpp - String builtins: search, substrings, numbers ---===//
//
// stap's string tapset (strlen is in CGString.cpp; str_replace, tokenize
// and text_strn, which build text, in CGTextFuncs.cpp). Inputs are copied
// into shared scratch temporaries first: that bounds every access for the
// verifier and lets bpf_loop callbacks reach them by offset.
//
//===----------------------------------------------------------------------===//
#include "CGScratchLoop.h"

#include "llvm/Support/MathExtras.h"

using namespace stapc;
using namespace llvm;

namespace {
class StringFuncs {
public:
  explicit StringFuncs(ProbeEmitter &PE)
      : PE(PE), B(PE.B), N(PE.CGM.getOptions().MaxStringLen),
        Mask(PowerOf2Ceil(N) - 1) {}

  Value *isdigit(Value *S);
  Value *stringat(Value *S, Value *Pos, SMLoc Loc);
  Value *substr(Value *S, Value *Start, Value *Len);
  Value *strpos(Value *S1, Value *S2);
  Value *strtol(Value *S, Value *Base);

private:
  Value *temp(ProbeEmitter::Shared Which) {
    return PE.sharedScratch(Which, N, Mask + N);
  }
  Value *cells() {
    return PE.sharedScratch(ProbeEmitter::Shared::StringCells, 64, 64);
  }
  Value *cell(Value *Cells, unsigned Off) {
    return B.CreateConstInBoundsGEP1_64(B.getInt8Ty(), Cells, Off);
  }
  Value *byteAt(Value *Slot, Value *I) {
    return B.CreateGEP(B.getInt8Ty(), Slot, B.CreateAnd(I, Mask));
  }

  ProbeEmitter &PE;
  BPFIRBuilder &B;
  unsigned N;
  uint64_t Mask;
};
} // namespace

/// isdigit(str): whether the first character is 0-9.
Value *StringFuncs::isdigit(Value *S) {
  Value *C = B.CreateZExt(B.CreateLoad(B.getInt8Ty(), S), B.getInt64Ty());
  return B.CreateZExt(
      B.CreateICmpULT(B.CreateSub(C, B.getInt64('0')), B.getInt64(10)),
      B.getInt64Ty());
}

/// stringat(str, pos): the character (a signed char, as in stap's C) at
/// pos; out of range is stap's runtime error.
Value *StringFuncs::stringat(Value *S, Value *Pos, SMLoc Loc) {
  Value *T = temp(ProbeEmitter::Shared::Temp1);
  Value *Len = emitCopyMeasured(PE, T, S);
  PE.exitIf(B.CreateOr(B.CreateICmpSLT(Pos, B.getInt64(0)),
                       B.CreateICmpSGE(Pos, Len)),
            Loc, "Position out of bounds");
  return B.CreateSExt(B.CreateLoad(B.getInt8Ty(), byteAt(T, Pos)),
                      B.getInt64Ty());
}

/// substr(str, start, length): "" when start is outside the string or
/// length < 1; otherwise at most length characters from start.
Value *StringFuncs::substr(Value *S, Value *Start, Value *Len) {
  Value *T = temp(ProbeEmitter::Shared::Temp1);
  Value *SLen = emitCopyMeasured(PE, T, S);
  Value *Dst = PE.allocStringSlot();
  B.CreateStore(B.getInt8(0), Dst);
  LLVMContext &C = B.getContext();
  auto *Copy = BasicBlock::Create(C, "substr.copy", PE.Fn);
  auto *Done = BasicBlock::Create(C, "substr.done", PE.Fn);
  B.CreateCondBr(B.CreateAnd(B.CreateICmpSGE(Start, B.getInt64(0)),
                             B.CreateICmpSLT(Start, SLen)),
                 Copy, Done);
  B.SetInsertPoint(Copy);
  // length + 1 bytes with the NUL, clamped to [0, MAXSTRINGLEN].
  Value *Size = B.CreateAdd(Len, B.getInt64(1));
  Size = B.CreateSelect(B.CreateICmpSLT(Size, B.getInt64(0)), B.getInt64(0),
                        Size);
  Size = B.CreateSelect(B.CreateICmpUGT(Size, B.getInt64(N)), B.getInt64(N),
                        Size);
  B.createHelperCall(BPFHelper::ProbeReadKernelStr, B.getInt64Ty(),
                     {Dst, B.CreateTrunc(Size, B.getInt32Ty()),
                      // LLVM drops the mask, knowing 0 <= Start < SLen;
                      // the verifier may not (a bound learnt from
                      // comparing two registers), so hide Start first.
                      byteAt(T, B.createOpaque(Start))},
                     "substr");
  B.CreateBr(Done);
  B.SetInsertPoint(Done);
  return Dst;
}

/// strpos(s1, s2): where s2 first occurs in s1, or -1 (isinstr tests it).
Value *StringFuncs::strpos(Value *S1, Value *S2) {
  Value *T1 = temp(ProbeEmitter::Shared::Temp1);
  Value *T2 = temp(ProbeEmitter::Shared::Temp2);
  Value *L1 = emitCopyMeasured(PE, T1, S1);
  Value *L2 = emitCopyMeasured(PE, T2, S2);
  Value *Cells = cells();
  B.CreateStore(B.getInt64(-1), cell(Cells, 0), true);
  B.CreateStore(L2, cell(Cells, 8), true);
  unsigned Hay = scratchOffset(PE, T1), Needle = scratchOffset(PE, T2),
           Out = scratchOffset(PE, Cells);
  Value *Count = B.CreateAdd(B.CreateSub(L1, L2), B.getInt64(1));
  emitScratchLoop(PE, Count, [&](LoopBody &L) {
    auto *Found = BasicBlock::Create(L.B.getContext(), "found",
                                     L.B.GetInsertBlock()->getParent());
    emitMatchAt(L, Hay, L.Index, Needle, L.load(Out + 8), Found, L.Next);
    L.B.SetInsertPoint(Found);
    L.store(L.Index, Out);
    L.B.CreateBr(L.Stop);
  });
  return B.CreateLoad(B.getInt64Ty(), cell(Cells, 0), true, "strpos");
}

/// strtol(str, base) as the kernel's simple_strtol, which stap calls: an
/// optional '-', base 0 guesses 16 (0x), 8 (0) or 10, base 16 skips a 0x;
/// digits 0-9a-f below the base; stops at the first other character.
Value *StringFuncs::strtol(Value *S, Value *BaseArg) {
  Value *T = temp(ProbeEmitter::Shared::Temp1);
  Value *Len = emitCopyMeasured(PE, T, S);
  auto Char = [&](Value *I) {
    return B.CreateZExt(B.CreateLoad(B.getInt8Ty(), byteAt(T, I)),
                        B.getInt64Ty());
  };
  Value *Neg = B.CreateICmpEQ(Char(B.getInt64(0)), B.getInt64('-'));
  Value *Start = B.CreateZExt(Neg, B.getInt64Ty());
  Value *C0 = Char(Start);
  Value *C1 = Char(B.CreateAdd(Start, B.getInt64(1)));
  Value *C2 = Char(B.CreateAdd(Start, B.getInt64(2)));
  Value *Lead0 = B.CreateICmpEQ(C0, B.getInt64('0'));
  Value *IsX = B.CreateICmpEQ(B.CreateOr(C1, B.getInt64(0x20)),
                              B.getInt64('x'));
  Value *Lower2 = B.CreateOr(C2, B.getInt64(0x20));
  Value *Hex2 = B.CreateOr(
      B.CreateICmpULT(B.CreateSub(C2, B.getInt64('0')), B.getInt64(10)),
      B.CreateICmpULT(B.CreateSub(Lower2, B.getInt64('a')), B.getInt64(6)));
  Value *Base = B.CreateZExt(B.CreateTrunc(BaseArg, B.getInt32Ty()),
                             B.getInt64Ty());
  Value *Guess = B.CreateSelect(
      Lead0,
      B.CreateSelect(B.CreateAnd(IsX, Hex2), B.getInt64(16), B.getInt64(8)),
      B.getInt64(10));
  Base = B.CreateSelect(B.CreateICmpEQ(Base, B.getInt64(0)), Guess, Base);
  Value *Skip = B.CreateAnd(B.CreateICmpEQ(Base, B.getInt64(16)),
                            B.CreateAnd(Lead0, IsX));
  Start = B.CreateAdd(Start, B.CreateSelect(Skip, B.getInt64(2), B.getInt64(0)));
  Value *Cells = cells();
  B.CreateStore(B.getInt64(0), cell(Cells, 0), true);
  B.CreateStore(Start, cell(Cells, 8), true);
  B.CreateStore(Base, cell(Cells, 16), true);
  unsigned Str = scratchOffset(PE, T), Out = scratchOffset(PE, Cells);
  emitScratchLoop(PE, B.CreateAdd(Len, B.getInt64(1)), [&](LoopBody &L) {
    BPFIRBuilder &CB = L.B;
    Value *C = L.loadByte(Str, CB.CreateAdd(L.load(Out + 8), L.Index));
    Value *Lower = CB.CreateOr(C, CB.getInt64(0x20));
    Value *IsDigit =
        CB.CreateICmpULT(CB.CreateSub(C, CB.getInt64('0')), CB.getInt64(10));
    Value *IsHex =
        CB.CreateICmpULT(CB.CreateSub(Lower, CB.getInt64('a')), CB.getInt64(6));
    L.check(CB.CreateOr(IsDigit, IsHex), L.Stop);
    Value *V = CB.CreateSelect(IsDigit, CB.CreateSub(C, CB.getInt64('0')),
                               CB.CreateSub(Lower, CB.getInt64('a' - 10)));
    Value *Base = L.load(Out + 16);
    L.check(CB.CreateICmpULT(V, Base), L.Stop);
    L.store(CB.CreateAdd(CB.CreateMul(L.load(Out), Base), V), Out);
  });
  Value *R = B.CreateLoad(B.getInt64Ty(), cell(Cells, 0), true);
  return B.CreateSelect(Neg, B.CreateNeg(R), R, "strtol");
}

Value *ProbeEmitter::emitStringBuiltin(FunctionCall *E, BuiltinID ID) {
  SmallVector<Value *, 3> A;
  for (Expr *X : E->getArgs())
    A.push_back(emitExpr(X));
  setLoc(E->getLoc());
  StringFuncs F(*this);
  switch (ID) {
  case BuiltinID::Isdigit:
    return F.isdigit(A[0]);
  case BuiltinID::Stringat:
    return F.stringat(A[0], A[1], E->getLoc());
  case BuiltinID::Substr:
    return F.substr(A[0], A[1], A[2]);
  case BuiltinID::Strpos:
    return F.strpos(A[0], A[1]);
  case BuiltinID::Isinstr:
    return B.CreateZExt(B.CreateICmpSGE(F.strpos(A[0], A[1]), B.getInt64(0)),
                        B.getInt64Ty());
  case BuiltinID::Strtol:
    return F.strtol(A[0], A[1]);
  case BuiltinID::StrReplace:
    return emitStrReplace(*this, A[0], A[1], A[2]);
  case BuiltinID::Tokenize:
    return emitTokenize(*this, A[0], A[1]);
  case BuiltinID::TextStrn:
    return emitTextStrn(*this, A[0], A[1], A[2]);
  default:
    llvm_unreachable("not a string builtin");
  }
}
