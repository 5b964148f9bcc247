//===- CGHist.cpp - Histogram buckets: update, print, read, clear ---------===//
//
// A statistic used with @hist_log/@hist_linear keeps one s64 count per
// bucket after its five fields (RecordFormat.h gives the bucket layout).
// `<<<` finds the bucket without loops (ctlz; udiv and umin); print() sums every CPU's buckets
// into a HIST record with bpf_loop (so the chart is a snapshot of the
// moment print ran, even if the statistic is deleted right after), and the
// loader draws the chart.
//
//===----------------------------------------------------------------------===//
#include "ProbeEmitter.h"

#include "stapc/Object/RecordFormat.h"

#include "llvm/IR/Intrinsics.h"

using namespace stapc;
using namespace llvm;

/// Zero Bytes bytes at P. Not with memset: LLVM merges neighbouring
/// memsets into one the BPF backend cannot expand inline beyond 1 KB, so
/// the bytes are copied from zeros in .rodata by a helper.
void ProbeEmitter::zeroFill(Value *P, unsigned Bytes) {
  B.createProbeReadKernel(P, Bytes,
                          CGM.getStringConstant(std::string(Bytes - 1, '\0')));
}

/// Address of bucket Idx (an i64 the verifier can bound) in a record.
static Value *bucketPtr(BPFIRBuilder &B, Value *Rec, Value *Idx) {
  Value *Buckets = B.CreateConstInBoundsGEP1_64(B.getInt64Ty(), Rec,
                                                STAPC_STAT_FIELDS);
  return B.CreateInBoundsGEP(B.getInt64Ty(), Buckets, Idx);
}

/// The bucket V falls in (an i64 in [0, H.Buckets)), in a few instructions
/// without loops.
Value *ProbeEmitter::emitHistBucketIndex(Value *V, const HistogramSpec &H) {
  Type *I64 = B.getInt64Ty();
  if (!H.Linear) {
    // k = bit length of |V| (0 for 0; INT64_MIN's magnitude 2^63 gives 64);
    // zero is bucket ZERO, positives ZERO+k, negatives ZERO-k.
    Value *Neg = B.CreateICmpSLT(V, B.getInt64(0));
    Value *Mag = B.CreateSelect(Neg, B.CreateNeg(V), V);
    Value *Clz = B.CreateBinaryIntrinsic(Intrinsic::ctlz, Mag, B.getFalse());
    Value *K = B.CreateSub(B.getInt64(64), Clz);
    Value *Idx = B.CreateAdd(B.getInt64(STAPC_HIST_LOG_ZERO),
                             B.CreateSelect(Neg, B.CreateNeg(K), K));
    // Always in range; the mask lets the verifier see it.
    return B.CreateAnd(Idx, B.getInt64(STAPC_HIST_LOG_BUCKETS - 1));
  }
  // Underflow is bucket 0, [Low + (i-1)W, Low + iW) bucket i, overflow the
  // last. V - Low is computed unsigned: it cannot overflow when V >= Low.
  uint64_t N = H.Buckets - 2;
  Value *Below = B.CreateICmpSLT(V, B.getInt64(H.Low));
  // The verifier learns no bounds from a division, and LLVM drops the
  // clamp when it can prove it redundant (`pid() % 100` into 10 buckets),
  // so the quotient is made opaque first.
  Value *Steps = B.createOpaque(B.CreateUDiv(
      B.CreateSub(V, B.getInt64(H.Low)), B.getInt64(H.Width)));
  Value *Clamped = B.CreateBinaryIntrinsic(Intrinsic::umin, Steps,
                                           ConstantInt::get(I64, N));
  return B.CreateSelect(Below, B.getInt64(0),
                        B.CreateAdd(Clamped, B.getInt64(1)), "bucket");
}

/// `<<<` on a statistic with a histogram: one more value in V's bucket of
/// this CPU's record Rec.
void ProbeEmitter::emitHistBucketUpdate(Value *Rec, Value *V,
                                        const HistogramSpec &H) {
  Value *P = bucketPtr(B, Rec, emitHistBucketIndex(V, H));
  B.CreateStore(B.CreateAdd(B.CreateLoad(B.getInt64Ty(), P), B.getInt64(1)),
                P);
}

/// The statistic (with its key) whose buckets a @hist_* names, or null
/// after a diagnostic.
const GlobalStorage *ProbeEmitter::histOperand(StatExtractExpr *E,
                                               Value *&Key) {
  const GlobalStorage *S = statOperand(E->getOperand(), Key);
  if (S && !S->Hist) {
    CGM.getDiags().error(E->getLoc(), "internal error: histogram without "
                                      "buckets");
    return nullptr;
  }
  return S;
}

/// print(@hist_log(s)) / print(@hist_linear(s[k], ...)): a HIST record with
/// the bucket counts summed over every CPU, built in the record area.
void ProbeEmitter::emitHistPrint(StatExtractExpr *E) {
  Value *Key = nullptr;
  const GlobalStorage *S = histOperand(E, Key);
  if (!S)
    return;
  setLoc(E->getLoc());
  failBeyondMaxCpus(*S, Key, E->getLoc());
  unsigned Bytes = 8 * S->Hist->Buckets;
  Value *Rec = B.CreateConstInBoundsGEP1_64(B.getInt8Ty(), Scratch,
                                            CodeGenModule::RecordBase, "rec");
  B.CreateStore(B.getInt32(STAPC_REC_HIST), Rec);
  B.CreateStore(B.getInt32(CGM.addHistogram(*S->Hist)),
                B.CreateConstInBoundsGEP1_64(B.getInt8Ty(), Rec, 4));
  emitHistSums(*S, Key, B.CreateConstInBoundsGEP1_64(B.getInt8Ty(), Rec, 8));
  endKey(Key);
  sendRecord(Rec, B.getInt64(8 + Bytes));
}

/// Every CPU's bucket counts of S[Key], added up into the longs at Sums.
void ProbeEmitter::emitHistSums(const GlobalStorage &S, Value *Key,
                                Value *Sums) {
  zeroFill(Sums, 8 * S.Hist->Buckets);
  // bpf_loop (Linux 5.17+) verifies the per-CPU callback once, however
  // many CPUs it visits; the callback stops at the first missing CPU.
  Value *Ctx = createScopedAlloca(ArrayType::get(B.getPtrTy(), 2), "hist.ctx");
  B.CreateStore(Key, Ctx);
  B.CreateStore(Sums, B.CreateConstInBoundsGEP1_64(B.getPtrTy(), Ctx, 1));
  B.createHelperCall(BPFHelper::Loop, B.getInt64Ty(),
                     {B.getInt32(CodeGenModule::MaxCpus),
                      CGM.getHistSumCallback(S), Ctx, B.getInt64(0)},
                     "cpus");
  endKey(Ctx);
}

/// @hist_log(s)[N], @hist_linear(s, ...)[N]: bucket N summed over CPUs; a
/// bucket number out of range is a runtime error, as in stap.
Value *ProbeEmitter::emitHistBucketRead(ArrayIndex *E) {
  auto *H = cast<StatExtractExpr>(E->getBase());
  if (E->getIndices().size() != 1 || !E->getIndices()[0])
    return B.getInt64(0); // Sema reported it
  Value *N = emitExpr(E->getIndices()[0]);
  Value *Key = nullptr;
  const GlobalStorage *S = histOperand(H, Key);
  if (!S)
    return B.getInt64(0);
  setLoc(E->getLoc());
  exitIf(B.CreateICmpUGE(N, B.getInt64(S->Hist->Buckets)), E->getLoc(),
         "histogram index out of range");
  StatTotals T = emitStatTotals(*S, Key, E->getLoc(), N);
  endKey(Key);
  return B.CreateLoad(B.getInt64Ty(), T.Bucket, "bucket.count");
}

/// `delete s` on a scalar statistic: every CPU's record (with its buckets)
/// goes back to empty. Values other CPUs add meanwhile may survive.
void ProbeEmitter::emitStatClear(const GlobalStorage &S, SMLoc Loc) {
  setLoc(Loc);
  Value *Key = createScopedAlloca(B.getInt32Ty(), "zero");
  B.CreateStore(B.getInt32(0), Key);
  forEachCpuRecord(S, Key, [&](Value *Rec) { zeroFill(Rec, S.Value.Size); });
  endKey(Key);
}

Function *CodeGenModule::getHistSumCallback(const GlobalStorage &S) {
  Function *&F = HistSumCallbacks[S.Var];
  if (F)
    return F;
  F = createCallback(("stapc_hist_sum_" + S.Var->getName()).str(),
                     {{"cpu", false}, {"ctx", true}});
  LLVMContext &C = Ctx;
  BPFIRBuilder B(C);
  B.SetInsertPoint(&F->getEntryBlock());
  B.SetCurrentDebugLocation(DILocation::get(C, 0, 0, F->getSubprogram()));
  Type *I64 = B.getInt64Ty();
  Value *CtxP = F->getArg(1);
  Value *Key = B.CreateLoad(B.getPtrTy(), CtxP, "key");
  Value *Sums = B.CreateLoad(
      B.getPtrTy(), B.CreateConstInBoundsGEP1_64(B.getPtrTy(), CtxP, 1), "sums");
  Value *Rec = B.createHelperCall(
      BPFHelper::MapLookupPercpuElem, B.getPtrTy(),
      {S.GV, Key, B.CreateTrunc(F->getArg(0), B.getInt32Ty())}, "percpu");
  auto *Stop = BasicBlock::Create(C, "stop", F);
  auto *Add = BasicBlock::Create(C, "add", F);
  auto *Done = BasicBlock::Create(C, "done", F);
  B.CreateCondBr(B.CreateIsNull(Rec), Stop, Add);
  B.SetInsertPoint(Stop);
  B.CreateRet(B.getInt64(1)); // no such CPU: end the loop
  // for (i = 0; i < buckets; ++i) sums[i] += rec->buckets[i]
  B.SetInsertPoint(Add);
  PHINode *I = B.CreatePHI(I64, 2, "i");
  I->addIncoming(B.getInt64(0), &F->getEntryBlock());
  Value *Dst = B.CreateInBoundsGEP(I64, Sums, I);
  B.CreateStore(B.CreateAdd(B.CreateLoad(I64, Dst),
                            B.CreateLoad(I64, bucketPtr(B, Rec, I))),
                Dst);
  Value *Next = B.CreateAdd(I, B.getInt64(1));
  I->addIncoming(Next, Add);
  B.createNoUnrollCondBr(B.CreateICmpULT(Next, B.getInt64(S.Hist->Buckets)),
                         Add, Done);
  B.SetInsertPoint(Done);
  B.CreateRet(B.getInt64(0));
  return F;
}
