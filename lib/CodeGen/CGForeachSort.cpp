//===- CGForeachSort.cpp - Sorted foreach: copy, merge sort, walk ---------===//
//
// The array's elements are copied into a per-CPU buffer map (element i:
// index columns A and B, key, value), A is set to the identity, and a
// bottom-up merge sort moves indices between the columns A and B, one
// width per pass. Comparisons read keys and values through the indices, so
// elements never move. Cost: n·log2(n) steps, each a few map lookups.
//
//===----------------------------------------------------------------------===//
#include "ForeachState.h"
#include "ProbeEmitter.h"

using namespace stapc;
using namespace llvm;

/// Whether a foreach sorts by the elements' values (or, for statistics,
/// by an extractor) rather than by a key column.
static bool sortsByValue(ForeachStmt *S) {
  return S->SortDir != 0 && (S->SortColumn <= 0 || S->HasSortAggregate);
}

Value *ProbeEmitter::bufferElement(Value *Buf, Value *Index) {
  Value *Key = B.createEntryAlloca(B.getInt32Ty(), "buf.idx");
  B.CreateStore(B.CreateTrunc(Index, B.getInt32Ty()), Key);
  return lookupOrStop(Buf, Key);
}

/// Byte offset of index column 0 (A) or 1 (B), bounded for the verifier
/// (the column number comes from scratch memory, unknown to it).
Value *ProbeEmitter::columnOffset(Value *Column) {
  return B.CreateShl(B.CreateAnd(Column, B.getInt64(1)), B.getInt64(2));
}

/// Copy each element of G into the buffer, in map order: bpf_for_each_map_elem
/// with a callback that appends to the buffer.
void ProbeEmitter::emitForeachCopy(ForeachStmt *S, const GlobalStorage &G,
                                   Value *Buf, unsigned State) {
  storeField(State, Count, B.getInt64(0));
  Callback CB = enterCallback(
      "copy", {{"map", true}, {"key", true}, {"value", true}, {"ctx", true}},
      /*FrameArg=*/-1);
  Value *N = loadField(State, Count);
  Value *Elem = bufferElement(Buf, N);
  B.CreateStore(B.CreateTrunc(N, B.getInt32Ty()), Elem); // column A: i
  Value *KeyDst = B.CreateConstInBoundsGEP1_64(B.getInt8Ty(), Elem,
                                               ForeachIndexBytes);
  Value *ValDst = B.CreateConstInBoundsGEP1_64(B.getInt8Ty(), KeyDst,
                                               G.KeySize);
  // Large copies go through the kernel helper: the BPF backend cannot
  // expand a memcpy of more than about a kilobyte.
  auto Copy = [&](Value *Dst, Value *Src, unsigned Size) {
    if (Size <= 1024)
      B.CreateMemCpy(Dst, MaybeAlign(8), Src, MaybeAlign(8), Size);
    else
      B.createProbeReadKernel(Dst, Size, Src);
  };
  Copy(KeyDst, Fn->getArg(1), G.KeySize);
  if (!G.IsStats) {
    Copy(ValDst, Fn->getArg(2), G.Value.Size);
  } else if (sortsByValue(S)) {
    // A statistic sorts by an extractor over every CPU's record (@count
    // unless the foreach names one); an empty one sorts as 0.
    StatKind K = S->HasSortAggregate ? S->SortAggregate : StatKind::Count;
    StatTotals T = emitStatTotals(G, Fn->getArg(1), S->getLoc());
    B.CreateStore(emitAggregate(K, T, S->getLoc(), /*EmptyIsError=*/false),
                  ValDst);
  }
  storeField(State, Count, B.CreateAdd(N, B.getInt64(1)));
  returnFromCallback(false);
  leaveCallback(CB);
  B.createHelperCall(BPFHelper::ForEachMapElem, B.getInt64Ty(),
                     {G.GV, CB.Fn, ConstantPointerNull::get(B.getPtrTy()),
                      B.getInt64(0)},
                     "copy");
  dispatchPendingJump(CB);
}

/// Merge sort of the index columns by the foreach's sort column.
void ProbeEmitter::emitForeachSort(ForeachStmt *S, const GlobalStorage &G,
                                   Value *Buf, unsigned State) {
  storeField(State, Width, B.getInt64(1));
  storeField(State, FromB, B.getInt64(0));
  Type *I64 = B.getInt64Ty(), *I32 = B.getInt32Ty();
  auto Index = [&](Value *Elem, Value *Column) {
    Value *P = B.CreateInBoundsGEP(B.getInt8Ty(), Elem, columnOffset(Column));
    return B.CreateZExt(B.CreateLoad(I32, P), I64);
  };
  // The compared column of an element: a key column or the value.
  TypeKind SortTy;
  unsigned SortOffset = ForeachIndexBytes;
  if (!sortsByValue(S) && unsigned(S->SortColumn) <= G.Keys.size()) {
    SortTy = G.Keys[S->SortColumn - 1].Ty;
    SortOffset += G.Keys[S->SortColumn - 1].Offset;
  } else {
    SortTy = G.IsStats ? TypeKind::Long : G.Value.Ty;
    SortOffset += G.KeySize;
  }

  // One pass: merge runs of Width into runs of 2·Width.
  Callback Pass = enterCallback("sort_pass", {{"pass", false}, {"ctx", true}},
                                /*FrameArg=*/-1);
  Value *N = loadField(State, Count);
  Value *W = loadField(State, Width);
  LLVMContext &C = B.getContext();
  {
    auto *Done = BasicBlock::Create(C, "sort.done", Fn);
    auto *More = BasicBlock::Create(C, "sort.pass", Fn);
    B.CreateCondBr(B.CreateICmpUGE(W, N), Done, More);
    B.SetInsertPoint(Done);
    returnFromCallback(true);
    B.SetInsertPoint(More);
  }
  storeField(State, Right, B.getInt64(0));

  // One step: output position k takes the smaller head of the two runs.
  Callback Step = enterCallback("sort_step", {{"k", false}, {"ctx", true}},
                                /*FrameArg=*/-1);
  {
    Value *K = Fn->getArg(0);
    Value *N = loadField(State, Count);
    Value *W = loadField(State, Width);
    auto *Start = BasicBlock::Create(C, "merge.start", Fn);
    auto *Merge = BasicBlock::Create(C, "merge.step", Fn);
    B.CreateCondBr(B.CreateICmpEQ(K, loadField(State, Right)), Start, Merge);
    B.SetInsertPoint(Start);
    auto Min = [&](Value *A, Value *Bv) {
      return B.CreateSelect(B.CreateICmpULT(A, Bv), A, Bv);
    };
    Value *M = Min(B.CreateAdd(K, W), N);
    storeField(State, Left, K);
    storeField(State, Mid, M);
    storeField(State, Right, Min(B.CreateAdd(K, B.CreateShl(W, 1)), N));
    storeField(State, NextL, K);
    storeField(State, NextR, M);
    B.CreateBr(Merge);

    B.SetInsertPoint(Merge);
    Value *From = loadField(State, FromB);
    Value *I = loadField(State, NextL), *J = loadField(State, NextR);
    Value *LeftEmpty = B.CreateICmpUGE(I, loadField(State, Mid));
    Value *RightEmpty = B.CreateICmpUGE(J, loadField(State, Right));
    Value *Take = B.createEntryAlloca(I64, "take.left");
    B.CreateStore(B.CreateZExt(B.CreateNot(LeftEmpty), I64), Take);
    auto *Compare = BasicBlock::Create(C, "merge.cmp", Fn);
    auto *Chosen = BasicBlock::Create(C, "merge.chosen", Fn);
    B.CreateCondBr(B.CreateOr(LeftEmpty, RightEmpty), Chosen, Compare);

    B.SetInsertPoint(Compare);
    Value *LI = Index(bufferElement(Buf, I), From);
    Value *RI = Index(bufferElement(Buf, J), From);
    Value *LE = B.CreateConstInBoundsGEP1_64(B.getInt8Ty(),
                                             bufferElement(Buf, LI), SortOffset);
    Value *RE = B.CreateConstInBoundsGEP1_64(B.getInt8Ty(),
                                             bufferElement(Buf, RI), SortOffset);
    // Ties keep the left run's element first: the sort is stable.
    BinaryOp Op = S->SortDir > 0 ? BinaryOp::LE : BinaryOp::GE;
    Value *LeftFirst;
    if (SortTy == TypeKind::String) {
      LeftFirst = emitStringCompare(Op, LE, RE);
    } else {
      Value *L = B.CreateLoad(I64, LE), *R = B.CreateLoad(I64, RE);
      LeftFirst = B.CreateZExt(Op == BinaryOp::LE ? B.CreateICmpSLE(L, R)
                                                  : B.CreateICmpSGE(L, R),
                               I64);
    }
    B.CreateStore(LeftFirst, Take);
    B.CreateBr(Chosen);

    B.SetInsertPoint(Chosen);
    Value *TakeLeft = B.CreateICmpNE(B.CreateLoad(I64, Take), B.getInt64(0));
    Value *Src = B.CreateSelect(TakeLeft, I, J);
    Value *Moved = Index(bufferElement(Buf, Src), From);
    Value *Dst = bufferElement(Buf, K);
    Value *DstCol = B.CreateXor(From, B.getInt64(1));
    B.CreateStore(B.CreateTrunc(Moved, I32),
                  B.CreateInBoundsGEP(B.getInt8Ty(), Dst, columnOffset(DstCol)));
    storeField(State, NextL, B.CreateAdd(I, B.CreateZExt(TakeLeft, I64)));
    storeField(State, NextR,
               B.CreateAdd(J, B.CreateZExt(B.CreateNot(TakeLeft), I64)));
    returnFromCallback(false);
  }
  leaveCallback(Step);
  B.createHelperCall(BPFHelper::Loop, I64,
                     {N, Step.Fn, ConstantPointerNull::get(B.getPtrTy()),
                      B.getInt64(0)});
  storeField(State, FromB, B.CreateXor(loadField(State, FromB), B.getInt64(1)));
  storeField(State, Width, B.CreateShl(W, 1));
  returnFromCallback(false);
  leaveCallback(Pass);
  // 33 passes sort 2^32 elements; the pass callback stops when done.
  B.createHelperCall(BPFHelper::Loop, I64,
                     {B.getInt64(33), Pass.Fn,
                      ConstantPointerNull::get(B.getPtrTy()), B.getInt64(0)});
}

void ProbeEmitter::emitSortedForeach(ForeachStmt *S, const GlobalStorage &G,
                                     unsigned State,
                                     ArrayRef<Home> SliceValues) {
  std::string Name = ("foreach_" + Twine(Index) + "_" + Twine(CallbackCount))
                         .str();
  unsigned ValueBytes = !G.IsStats ? G.Value.Size : sortsByValue(S) ? 8 : 0;
  Value *Buf = CGM.createForeachBuffer(
      Name, G.MaxEntries, ForeachIndexBytes + G.KeySize + ValueBytes);
  emitForeachCopy(S, G, Buf, State);
  emitSortAndWalk(S, G, Buf, State, SliceValues);
}

/// Sort the Count elements already in Buf, then run the body on each in
/// the sorted order.
void ProbeEmitter::emitSortAndWalk(ForeachStmt *S, const GlobalStorage &G,
                                   Value *Buf, unsigned State,
                                   ArrayRef<Home> SliceValues) {
  emitForeachSort(S, G, Buf, State);

  // Walk the sorted index column.
  Value *Frame = createFrame();
  Callback Walk = enterCallback("foreach", {{"k", false}, {"frame", true}},
                                /*FrameArg=*/1);
  Value *From = loadField(State, FromB);
  Value *P = B.CreateInBoundsGEP(B.getInt8Ty(),
                                 bufferElement(Buf, Fn->getArg(0)),
                                 columnOffset(From));
  Value *Elem = bufferElement(
      Buf, B.CreateZExt(B.CreateLoad(B.getInt32Ty(), P), B.getInt64Ty()));
  Value *Key = B.CreateConstInBoundsGEP1_64(B.getInt8Ty(), Elem,
                                            ForeachIndexBytes);
  Value *Val = B.CreateConstInBoundsGEP1_64(B.getInt8Ty(), Key, G.KeySize);
  emitForeachElement(S, G, Key, Val, State, SliceValues);
  leaveCallback(Walk);
  setLoc(S->getLoc());
  B.createHelperCall(BPFHelper::Loop, B.getInt64Ty(),
                     {loadField(State, Count), Walk.Fn, Frame, B.getInt64(0)},
                     "foreach");
  dispatchPendingJump(Walk);
}
