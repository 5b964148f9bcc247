//===- CGForeachHist.cpp - foreach over the buckets of a histogram --------===//
//
// `foreach (b in @hist_log(s))` binds b to each bucket number, empty buckets
// included, the number that `@hist_log(s)[b]` reads; `v = b in ...` binds
// the bucket's count as well. When the loop starts, the counts are summed
// over every CPU into this foreach's scratch memory (as print() does), so
// the loop walks a snapshot, as in stap: the body may add to the statistic
// or delete it.
//
// The snapshot is then an array keyed by the bucket number with the count
// as its value, and the elements go through the usual foreach machinery
// (emitForeachElement: limit, value variable, MAXACTION, break/continue):
// - in bucket order (no sort mark, or `b+`) or reversed (`b-`): a bpf_loop
//   over the buckets;
// - by count (`v+ = b in ...`, `@hist_log(s)-`): the buckets are copied into
//   a foreach buffer and merge-sorted as a sorted array foreach is (stable:
//   equal counts stay in bucket order).
//
//===----------------------------------------------------------------------===//
#include "ForeachState.h"
#include "ProbeEmitter.h"

#include "llvm/Support/MathExtras.h"

using namespace stapc;
using namespace llvm;

/// The snapshot seen as an array: one long key column (the bucket number)
/// and a long value (its count).
static GlobalStorage bucketArray(const HistogramSpec &H) {
  GlobalStorage G;
  G.IsArray = true;
  G.Keys.push_back(SlotLayout{TypeKind::Long, 0, 8});
  G.KeySize = 8;
  G.MaxEntries = H.Buckets;
  G.Value = SlotLayout{TypeKind::Long, 0, 8};
  return G;
}

void ProbeEmitter::emitHistForeach(ForeachStmt *S) {
  auto *H = cast<StatExtractExpr>(S->Array);
  Value *Key = nullptr;
  const GlobalStorage *Stat = histOperand(H, Key);
  if (!Stat)
    return;
  setLoc(S->getLoc());
  const HistogramSpec &Spec = *Stat->Hist;
  unsigned Buckets = Spec.Buckets;
  // Bucket numbers from scratch are masked to this power of two.
  uint64_t Mask = PowerOf2Ceil(Buckets) - 1;
  unsigned Snapshot = allocScratch(8 * Buckets, 8 * (Mask + 1));
  failBeyondMaxCpus(*Stat, Key, S->getLoc());
  emitHistSums(*Stat, Key, scratchAt(Snapshot, "hist.snapshot"));
  endKey(Key);

  unsigned State = allocScratch(8 * NumFields);
  storeField(State, Limit,
             S->Limit ? emitExpr(S->Limit) : B.getInt64(INT64_MAX));
  GlobalStorage G = bucketArray(Spec);
  bool ByCount = S->SortDir != 0 && S->SortColumn <= 0;
  if (ByCount) {
    emitHistSortedForeach(S, G, Snapshot, State);
    return;
  }

  // Bucket order, or reversed for `b-`.
  unsigned KeySlot = allocScratch(8);
  Value *Frame = createFrame();
  Callback Walk = enterCallback("foreach", {{"k", false}, {"frame", true}},
                                /*FrameArg=*/1);
  Value *K = Fn->getArg(0);
  if (S->SortDir < 0)
    K = B.CreateSub(B.getInt64(Buckets - 1), K);
  Value *Bucket = B.CreateAnd(K, B.getInt64(Mask), "bucket");
  B.CreateStore(Bucket, scratchAt(KeySlot));
  Value *Count =
      B.CreateInBoundsGEP(B.getInt64Ty(), scratchAt(Snapshot), Bucket);
  emitForeachElement(S, G, scratchAt(KeySlot), Count, State, {});
  leaveCallback(Walk);
  setLoc(S->getLoc());
  B.createHelperCall(BPFHelper::Loop, B.getInt64Ty(),
                     {B.getInt64(Buckets), Walk.Fn, Frame, B.getInt64(0)},
                     "foreach");
  dispatchPendingJump(Walk);
}

/// Sorted by count: copy bucket i to buffer element i (index column A: i,
/// key: i, value: the count), then sort and walk like any sorted foreach.
void ProbeEmitter::emitHistSortedForeach(ForeachStmt *S,
                                         const GlobalStorage &G,
                                         unsigned Snapshot, unsigned State) {
  std::string Name =
      ("foreach_" + Twine(Index) + "_" + Twine(CallbackCount)).str();
  Value *Buf = CGM.createForeachBuffer(Name, G.MaxEntries,
                                       ForeachIndexBytes + G.KeySize + 8);
  storeField(State, Count, B.getInt64(G.MaxEntries));
  Callback Copy = enterCallback("copy", {{"i", false}, {"ctx", true}},
                                /*FrameArg=*/-1);
  Value *I = Fn->getArg(0);
  Value *Elem = bufferElement(Buf, I);
  B.CreateStore(B.CreateTrunc(I, B.getInt32Ty()), Elem);
  Value *KeyDst =
      B.CreateConstInBoundsGEP1_64(B.getInt8Ty(), Elem, ForeachIndexBytes);
  B.CreateStore(I, KeyDst);
  Value *Bucket =
      B.CreateAnd(I, B.getInt64(PowerOf2Ceil(G.MaxEntries) - 1), "bucket");
  Value *Count = B.CreateLoad(
      B.getInt64Ty(),
      B.CreateInBoundsGEP(B.getInt64Ty(), scratchAt(Snapshot), Bucket));
  B.CreateStore(Count, B.CreateConstInBoundsGEP1_64(B.getInt8Ty(), KeyDst,
                                                    G.KeySize));
  returnFromCallback(false);
  leaveCallback(Copy);
  B.createHelperCall(BPFHelper::Loop, B.getInt64Ty(),
                     {B.getInt64(G.MaxEntries), Copy.Fn,
                      ConstantPointerNull::get(B.getPtrTy()), B.getInt64(0)},
                     "copy");
  dispatchPendingJump(Copy);
  emitSortAndWalk(S, G, Buf, State, {});
}
