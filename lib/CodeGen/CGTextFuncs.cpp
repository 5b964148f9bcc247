//===- CGTextFuncs.cpp - String builtins that build text ------------------===//
//
// str_replace, tokenize and text_strn: one bpf_loop over the input each,
// with their state in scratch cells (see CGScratchLoop.h). Output offsets
// are masked; the result slots have headroom for the verifier's view.
//
//===----------------------------------------------------------------------===//
#include "CGFormat.h"
#include "CGScratchLoop.h"

#include "llvm/Support/MathExtras.h"

using namespace stapc;
using namespace llvm;

namespace {
struct Text {
  explicit Text(ProbeEmitter &PE)
      : PE(PE), B(PE.B), N(PE.CGM.getOptions().MaxStringLen),
        Mask(PowerOf2Ceil(N) - 1),
        Cells(PE.sharedScratch(ProbeEmitter::Shared::StringCells, 64, 64)),
        CellsOff(scratchOffset(PE, Cells)) {}

  Value *temp(ProbeEmitter::Shared Which) {
    return PE.sharedScratch(Which, N, Mask + N);
  }
  Value *cell(unsigned Off) {
    return B.CreateConstInBoundsGEP1_64(B.getInt8Ty(), Cells, Off);
  }
  void setCell(unsigned Off, Value *V) { B.CreateStore(V, cell(Off), true); }
  Value *getCell(unsigned Off) {
    return B.CreateLoad(B.getInt64Ty(), cell(Off), true);
  }
  Value *byteAt(Value *Slot, Value *I) {
    return B.CreateGEP(B.getInt8Ty(), Slot, B.CreateAnd(I, Mask));
  }
  /// A result slot whose writes go at masked offsets (plus up to 8 bytes).
  Value *result() { return PE.allocScratchPtr(N + 8, 2 * (Mask + 1) + 8); }

  ProbeEmitter &PE;
  BPFIRBuilder &B;
  unsigned N;
  uint64_t Mask;
  Value *Cells;
  unsigned CellsOff;
};
} // namespace

/// str_replace(str, search, replace): every occurrence, left to right,
/// truncated to MAXSTRINGLEN; an empty search string changes nothing.
Value *stapc::emitStrReplace(ProbeEmitter &PE, Value *S, Value *Search,
                             Value *Replace) {
  Text T(PE);
  BPFIRBuilder &B = PE.B;
  Value *In = T.temp(ProbeEmitter::Shared::Temp1);
  Value *Pat = T.temp(ProbeEmitter::Shared::Temp2);
  Value *Rep = T.temp(ProbeEmitter::Shared::Temp3);
  Value *LIn = emitCopyMeasured(PE, In, S);
  Value *LPat = emitCopyMeasured(PE, Pat, Search);
  Value *LRep = emitCopyMeasured(PE, Rep, Replace);
  Value *Dst = T.result();
  enum { Out = 0, Skip = 8, PatLen = 16, RepLen = 24 };
  T.setCell(Out, B.getInt64(0));
  T.setCell(Skip, B.getInt64(0));
  T.setCell(PatLen, LPat);
  T.setCell(RepLen, LRep);
  unsigned C = T.CellsOff, InOff = scratchOffset(PE, In),
           PatOff = scratchOffset(PE, Pat), RepOff = scratchOffset(PE, Rep),
           DstOff = scratchOffset(PE, Dst);
  unsigned N = T.N;
  Value *NoPat = B.CreateICmpEQ(LPat, B.getInt64(0));
  emitScratchLoop(PE, B.CreateSelect(NoPat, B.getInt64(0), LIn),
                  [&](LoopBody &L) {
    BPFIRBuilder &CB = L.B;
    LLVMContext &Ctx = CB.getContext();
    Function *F = CB.GetInsertBlock()->getParent();
    // Inside a match already replaced: nothing to do.
    L.check(CB.CreateICmpSGE(L.Index, L.load(C + Skip)), L.Next);
    Value *Pos = CB.CreateAnd(L.load(C + Out), L.Mask);
    Value *Room = CB.CreateSub(CB.getInt64(N - 1), Pos);
    Room = CB.CreateSelect(CB.CreateICmpSLT(Room, CB.getInt64(0)),
                           CB.getInt64(0), Room);
    auto *Match = BasicBlock::Create(Ctx, "replace", F);
    auto *Keep = BasicBlock::Create(Ctx, "keep", F);
    emitMatchAt(L, InOff, L.Index, PatOff, L.load(C + PatLen), Match, Keep);
    CB.SetInsertPoint(Match);
    Value *Len = L.load(C + RepLen);
    Len = CB.CreateSelect(CB.CreateICmpUGT(Len, Room), Room, Len);
    Len = CB.CreateAnd(CB.createOpaque(Len), L.Mask);
    CB.createHelperCall(BPFHelper::ProbeReadKernel, CB.getInt64Ty(),
                        {L.byteAt(DstOff, Pos),
                         CB.CreateTrunc(Len, CB.getInt32Ty()), L.at(RepOff)},
                        "rep");
    L.store(CB.CreateAdd(Pos, Len), C + Out);
    L.store(CB.CreateAdd(L.Index, L.load(C + PatLen)), C + Skip);
    CB.CreateBr(L.Next);
    CB.SetInsertPoint(Keep);
    L.check(CB.CreateICmpSGT(Room, CB.getInt64(0)), L.Next);
    CB.CreateStore(CB.CreateTrunc(L.loadByte(InOff, L.Index), CB.getInt8Ty()),
                   L.byteAt(DstOff, Pos));
    L.store(CB.CreateAdd(Pos, CB.getInt64(1)), C + Out);
  });
  // With an empty search string the loop did nothing: copy the input.
  LLVMContext &Ctx = B.getContext();
  auto *Copy = BasicBlock::Create(Ctx, "replace.none", PE.Fn);
  auto *Term = BasicBlock::Create(Ctx, "replace.end", PE.Fn);
  auto *Done = BasicBlock::Create(Ctx, "replace.done", PE.Fn);
  B.CreateCondBr(NoPat, Copy, Term);
  B.SetInsertPoint(Copy);
  B.createProbeReadKernelStr(Dst, N, In);
  B.CreateBr(Done);
  B.SetInsertPoint(Term);
  B.CreateStore(B.getInt8(0), T.byteAt(Dst, T.getCell(Out)));
  B.CreateBr(Done);
  B.SetInsertPoint(Done);
  return Dst;
}

/// tokenize(input, delim), stap's strsep loop: a non-empty input replaces
/// this CPU's saved string; each call returns the next non-empty token of
/// it (delimiters: any character of delim), "" once there is none.
Value *stapc::emitTokenize(ProbeEmitter &PE, Value *Input, Value *Delim) {
  Text T(PE);
  BPFIRBuilder &B = PE.B;
  LLVMContext &Ctx = B.getContext();
  unsigned StateOff = PE.CGM.getTokenizeBase(), StrOff = StateOff + 8;
  Value *State = B.CreateConstInBoundsGEP1_64(B.getInt8Ty(), PE.Scratch,
                                              StateOff);
  Value *Str = B.CreateConstInBoundsGEP1_64(B.getInt8Ty(), PE.Scratch, StrOff);
  auto *Load = BasicBlock::Create(Ctx, "tok.new", PE.Fn);
  auto *Scan = BasicBlock::Create(Ctx, "tok.scan", PE.Fn);
  B.CreateCondBr(
      B.CreateICmpNE(B.CreateLoad(B.getInt8Ty(), Input), B.getInt8(0)), Load,
      Scan);
  B.SetInsertPoint(Load);
  B.createProbeReadKernelStr(Str, T.N, Input);
  B.CreateStore(B.getInt64(0), State, true);
  B.CreateBr(Scan);
  B.SetInsertPoint(Scan);

  // The delimiters as a 256-bit set, so the scan needs no inner loop.
  enum { Start = 0, End = 8, Set = 32 };
  for (unsigned W = 0; W < 4; ++W)
    T.setCell(Set + 8 * W, B.getInt64(0));
  Value *Delims = T.temp(ProbeEmitter::Shared::Temp2);
  Value *DLen = emitCopyMeasured(PE, Delims, Delim);
  unsigned C = T.CellsOff, DOff = scratchOffset(PE, Delims);
  auto SetByte = [&](LoopBody &L, Value *Ch) {
    return L.B.CreateGEP(L.B.getInt8Ty(), L.at(C + Set),
                         L.B.CreateLShr(Ch, 3));
  };
  emitScratchLoop(PE, DLen, [&](LoopBody &L) {
    BPFIRBuilder &CB = L.B;
    Value *Ch = L.loadByte(DOff, L.Index);
    Value *P = SetByte(L, Ch);
    Value *Bit = CB.CreateShl(CB.getInt8(1),
                              CB.CreateTrunc(CB.CreateAnd(Ch, 7), CB.getInt8Ty()));
    CB.CreateStore(CB.CreateOr(CB.CreateLoad(CB.getInt8Ty(), P), Bit), P);
  });

  T.setCell(Start, B.getInt64(-1));
  T.setCell(End, B.getInt64(-1));
  unsigned N = T.N;
  emitScratchLoop(PE, B.getInt64(N), [&](LoopBody &L) {
    BPFIRBuilder &CB = L.B;
    LLVMContext &Ctx = CB.getContext();
    Function *F = CB.GetInsertBlock()->getParent();
    Value *Pos = CB.CreateLoad(CB.getInt64Ty(), L.at(StateOff));
    L.check(CB.CreateICmpSGE(Pos, CB.getInt64(0)), L.Stop);
    Value *Idx = CB.CreateAdd(Pos, L.Index);
    L.check(CB.CreateICmpULT(Idx, CB.getInt64(N)), L.Stop);
    Value *Ch = L.loadByte(StrOff, Idx);
    Value *InToken = CB.CreateICmpSGE(L.load(C + Start), CB.getInt64(0));
    auto *Nul = BasicBlock::Create(Ctx, "tok.nul", F);
    auto *Char = BasicBlock::Create(Ctx, "tok.char", F);
    auto *Delim = BasicBlock::Create(Ctx, "tok.delim", F);
    auto *Other = BasicBlock::Create(Ctx, "tok.other", F);
    CB.CreateCondBr(CB.CreateICmpEQ(Ch, CB.getInt64(0)), Nul, Char);
    // End of the string: the token (if any) ends here; nothing is left.
    CB.SetInsertPoint(Nul);
    L.store(Idx, C + End);
    CB.CreateStore(CB.getInt64(-1), L.at(StateOff));
    CB.CreateBr(L.Stop);
    CB.SetInsertPoint(Char);
    Value *Bits = CB.CreateZExt(CB.CreateLoad(CB.getInt8Ty(), SetByte(L, Ch)),
                                CB.getInt64Ty());
    Value *IsDelim = CB.CreateTrunc(
        CB.CreateLShr(Bits, CB.CreateAnd(Ch, 7)), CB.getInt1Ty());
    CB.CreateCondBr(IsDelim, Delim, Other);
    // A delimiter ends a token; before one, it is skipped (empty token).
    CB.SetInsertPoint(Delim);
    L.check(InToken, L.Next);
    L.store(Idx, C + End);
    CB.CreateStore(CB.CreateAdd(Idx, CB.getInt64(1)), L.at(StateOff));
    CB.CreateBr(L.Stop);
    CB.SetInsertPoint(Other);
    L.check(CB.CreateNot(InToken), L.Next);
    L.store(Idx, C + Start);
  });

  Value *Dst = T.result();
  B.CreateStore(B.getInt8(0), Dst);
  Value *From = T.getCell(Start);
  Value *Len = B.CreateSub(T.getCell(End), From);
  auto *Copy = BasicBlock::Create(Ctx, "tok.copy", PE.Fn);
  auto *Done = BasicBlock::Create(Ctx, "tok.done", PE.Fn);
  B.CreateCondBr(B.CreateAnd(B.CreateICmpSGE(From, B.getInt64(0)),
                             B.CreateICmpSGT(Len, B.getInt64(0))),
                 Copy, Done);
  B.SetInsertPoint(Copy);
  Len = B.CreateAnd(Len, T.Mask);
  Len = B.CreateSelect(B.CreateICmpUGT(Len, B.getInt64(N - 1)),
                       B.getInt64(N - 1), Len);
  B.createHelperCall(BPFHelper::ProbeReadKernel, B.getInt64Ty(),
                     {Dst, B.CreateTrunc(Len, B.getInt32Ty()),
                      T.byteAt(Str, From)},
                     "tok");
  B.CreateStore(B.getInt8(0), T.byteAt(Dst, Len));
  B.CreateBr(Done);
  B.SetInsertPoint(Done);
  return Dst;
}

/// text_strn(input, len, quoted), stap's _stp_text_str on ASCII: escapes
/// non-printables, at most len (0: MAXSTRINGLEN-1) bytes of output; quoted
/// adds double quotes and, when cut, "..." after the closing one (an
/// escape sequence is never cut in half).
Value *stapc::emitTextStrn(ProbeEmitter &PE, Value *Input, Value *LenArg,
                           Value *Quoted) {
  Text T(PE);
  BPFIRBuilder &B = PE.B;
  unsigned N = T.N;
  Value *In = T.temp(ProbeEmitter::Shared::Temp1);
  Value *InLen = emitCopyMeasured(PE, In, Input);
  Value *Dst = T.result();
  Value *Q = B.CreateICmpNE(Quoted, B.getInt64(0));
  Value *Budget = B.CreateSelect(
      B.CreateOr(B.CreateICmpSLE(LenArg, B.getInt64(0)),
                 B.CreateICmpSGT(LenArg, B.getInt64(N - 1))),
      B.getInt64(N - 1), LenArg);
  Value *QBudget = B.CreateSub(
      B.CreateSelect(B.CreateICmpSLT(Budget, B.getInt64(5)), B.getInt64(5),
                     Budget),
      B.getInt64(2));
  B.CreateStore(B.getInt8('"'), Dst);
  enum { Out = 0, Left = 8, Esc = 16, EscLen = 24, Last = 32 };
  T.setCell(Out, B.CreateZExt(Q, B.getInt64Ty()));
  T.setCell(Left, B.CreateSelect(Q, QBudget, Budget));
  T.setCell(Esc, B.getInt64(-1));
  T.setCell(EscLen, B.getInt64(0));
  T.setCell(Last, B.getInt64(0));
  unsigned C = T.CellsOff, InOff = scratchOffset(PE, In),
           DstOff = scratchOffset(PE, Dst);
  emitScratchLoop(PE, B.CreateAdd(InLen, B.getInt64(1)), [&](LoopBody &L) {
    BPFIRBuilder &CB = L.B;
    Value *Ch = L.loadByte(InOff, L.Index);
    L.store(Ch, C + Last);
    L.check(CB.CreateICmpNE(Ch, CB.getInt64(0)), L.Stop);
    Value *Room = L.load(C + Left);
    L.check(CB.CreateICmpSGT(Room, CB.getInt64(0)), L.Stop);
    Value *Pos = CB.CreateAnd(L.load(C + Out), L.Mask);
    Value *Num = emitCharEscape(CB, Ch, L.byteAt(DstOff, Pos), '"');
    // The first escape reaching into the last three bytes is where a
    // quoted cut backs up to.
    Value *Mark = CB.CreateAnd(
        CB.CreateAnd(CB.CreateICmpSGT(Num, CB.getInt64(1)),
                     CB.CreateICmpSLT(L.load(C + Esc), CB.getInt64(0))),
        CB.CreateICmpSLT(CB.CreateSub(Room, CB.getInt64(3)), Num));
    L.store(CB.CreateSelect(Mark, Pos, L.load(C + Esc)), C + Esc);
    L.store(CB.CreateSelect(Mark, Num, L.load(C + EscLen)), C + EscLen);
    L.check(CB.CreateICmpSGE(Room, Num), L.Stop);
    L.store(CB.CreateAdd(Pos, Num), C + Out);
    L.store(CB.CreateSub(Room, Num), C + Left);
  });

  LLVMContext &Ctx = B.getContext();
  auto *Close = BasicBlock::Create(Ctx, "text.close", PE.Fn);
  auto *Cut = BasicBlock::Create(Ctx, "text.cut", PE.Fn);
  auto *Whole = BasicBlock::Create(Ctx, "text.whole", PE.Fn);
  auto *Done = BasicBlock::Create(Ctx, "text.done", PE.Fn);
  Value *Pos = B.CreateAnd(T.getCell(Out), T.Mask);
  B.CreateCondBr(Q, Close, Done);
  B.SetInsertPoint(Close);
  B.CreateCondBr(B.CreateICmpNE(T.getCell(Last), B.getInt64(0)), Cut, Whole);
  B.SetInsertPoint(Cut);
  // Cut so that `"...` ends exactly at the budget.
  Value *At = B.CreateAdd(B.CreateSub(Pos, B.getInt64(3)), T.getCell(Left));
  Value *EscAt = T.getCell(Esc);
  Value *InEsc = B.CreateAnd(
      B.CreateAnd(B.CreateICmpSGE(EscAt, B.getInt64(0)),
                  B.CreateICmpSLT(EscAt, At)),
      B.CreateICmpSLT(At, B.CreateAdd(EscAt, T.getCell(EscLen))));
  At = B.CreateAnd(B.CreateSelect(InEsc, EscAt, At), T.Mask);
  for (unsigned I = 0; I < 4; ++I)
    B.CreateStore(B.getInt8("\"..."[I]),
                  T.byteAt(Dst, B.CreateAdd(At, B.getInt64(I))));
  T.setCell(Out, B.CreateAdd(At, B.getInt64(4)));
  B.CreateBr(Done);
  B.SetInsertPoint(Whole);
  B.CreateStore(B.getInt8('"'), T.byteAt(Dst, Pos));
  T.setCell(Out, B.CreateAdd(Pos, B.getInt64(1)));
  B.CreateBr(Done);
  B.SetInsertPoint(Done);
  B.CreateStore(B.getInt8(0), T.byteAt(Dst, T.getCell(Out)));
  return Dst;
}
