//===- CGStats.cpp - Statistics: <<< and the @count...@variance extractors -===//
//
// Each CPU updates its own copy of a statistic (a per-CPU map value), so
// `<<<` needs no atomics and never contends; extractors add up the copies
// with bpf_map_lookup_percpu_elem (Linux 5.19+).
//
//===----------------------------------------------------------------------===//
#include "ProbeEmitter.h"

#include "stapc/Object/RecordFormat.h"

using namespace stapc;
using namespace llvm;

namespace {
enum StatField { Count = 0, Sum = 1, Min = 2, Max = 3, SumSq = 4 };
} // namespace

/// The statistic an expression names: `s` or `s[k...]`, with its key.
const GlobalStorage *ProbeEmitter::statOperand(Expr *E, Value *&Key) {
  Expr *Base = E;
  ArrayRef<Expr *> Indices;
  if (auto *A = dyn_cast<ArrayIndex>(E)) {
    Base = A->getBase();
    Indices = A->getIndices();
  }
  auto *Sym = dyn_cast<SymbolRef>(Base);
  if (!Sym || !Sym->getDecl()) {
    CGM.getDiags().error(E->getLoc(), "expected a statistic variable or "
                                      "element here");
    return nullptr;
  }
  const GlobalStorage &S = CGM.getGlobal(Sym->getDecl());
  if (!S.IsStats) {
    CGM.getDiags().error(E->getLoc(), "'" + Sym->getName() +
                                          "' is not a statistic (fill it "
                                          "with '<<<')");
    return nullptr;
  }
  if (S.IsArray) {
    Key = buildKey(S, Indices);
  } else {
    Key = createScopedAlloca(B.getInt32Ty(), "zero");
    B.CreateStore(B.getInt32(0), Key);
  }
  return &S;
}

static Value *field(BPFIRBuilder &B, Value *Rec, StatField F) {
  return B.CreateConstInBoundsGEP1_64(B.getInt64Ty(), Rec, F);
}

/// s <<< v: update this CPU's record (created empty on first use).
Value *ProbeEmitter::emitStatUpdate(AssignExpr *E) {
  Value *V = emitExpr(E->getRHS());
  Value *Key = nullptr;
  const GlobalStorage *S = statOperand(E->getLHS(), Key);
  if (!S)
    return V;
  setLoc(E->getOpLoc().isValid() ? E->getOpLoc() : E->getLoc());
  LLVMContext &C = B.getContext();
  Value *Slot = B.createEntryAlloca(B.getPtrTy(), "stat.ptr");
  B.CreateStore(B.createMapLookup(S->GV, Key), Slot);
  if (S->IsArray) {
    auto *Insert = BasicBlock::Create(C, "stat.insert", Fn);
    auto *Have = BasicBlock::Create(C, "stat.have", Fn);
    B.CreateCondBr(B.CreateIsNull(B.CreateLoad(B.getPtrTy(), Slot)), Insert,
                   Have);
    B.SetInsertPoint(Insert);
    Value *Zero =
        CGM.getStringConstant(std::string(S->Value.Size - 1, '\0'));
    Value *Err = B.createMapUpdate(S->GV, Key, Zero, BPF_NOEXIST);
    const int64_t ErrExist = 17; // EEXIST: another CPU created it first
    exitIf(B.CreateAnd(B.CreateICmpNE(Err, B.getInt64(0)),
                       B.CreateICmpNE(Err, B.getInt64(-ErrExist))),
           E->getLoc(), "Array overflow, check size limit of '" +
                            cast<SymbolRef>(cast<ArrayIndex>(E->getLHS())
                                                ->getBase())
                                ->getName()
                                .str() +
                            "'");
    B.CreateStore(B.createMapLookup(S->GV, Key), Slot);
    B.CreateBr(Have);
    B.SetInsertPoint(Have);
  }
  Value *Rec = B.CreateLoad(B.getPtrTy(), Slot, "stat");
  auto *Update = BasicBlock::Create(C, "stat.update", Fn);
  auto *Done = BasicBlock::Create(C, "stat.done", Fn);
  B.CreateCondBr(B.CreateIsNull(Rec), Done, Update);
  B.SetInsertPoint(Update);
  Value *N = B.CreateLoad(B.getInt64Ty(), field(B, Rec, Count));
  Value *First = B.CreateICmpEQ(N, B.getInt64(0));
  B.CreateStore(B.CreateAdd(N, B.getInt64(1)), field(B, Rec, Count));
  Value *SumP = field(B, Rec, Sum);
  B.CreateStore(B.CreateAdd(B.CreateLoad(B.getInt64Ty(), SumP), V), SumP);
  Value *SqP = field(B, Rec, SumSq);
  B.CreateStore(B.CreateAdd(B.CreateLoad(B.getInt64Ty(), SqP), B.CreateMul(V, V)),
                SqP);
  Value *MinP = field(B, Rec, Min), *MaxP = field(B, Rec, Max);
  Value *OldMin = B.CreateLoad(B.getInt64Ty(), MinP);
  Value *OldMax = B.CreateLoad(B.getInt64Ty(), MaxP);
  B.CreateStore(B.CreateSelect(B.CreateOr(First, B.CreateICmpSLT(V, OldMin)), V,
                               OldMin),
                MinP);
  B.CreateStore(B.CreateSelect(B.CreateOr(First, B.CreateICmpSGT(V, OldMax)), V,
                               OldMax),
                MaxP);
  if (S->Hist)
    emitHistBucketUpdate(Rec, V, *S->Hist);
  B.CreateBr(Done);
  B.SetInsertPoint(Done);
  endKey(Key);
  return V;
}

/// Add one CPU's record Rec into the running totals T.
static void addCpuRecord(BPFIRBuilder &B, ProbeEmitter::StatTotals &T,
                         Value *Rec, Value *BucketIdx) {
  Type *I64 = B.getInt64Ty();
  Value *N = B.CreateLoad(I64, field(B, Rec, Count));
  Value *OldN = B.CreateLoad(I64, T.Fields[Count]);
  B.CreateStore(B.CreateAdd(OldN, N), T.Fields[Count]);
  for (StatField F : {Sum, SumSq}) {
    Value *Old = B.CreateLoad(I64, T.Fields[F]);
    B.CreateStore(B.CreateAdd(Old, B.CreateLoad(I64, field(B, Rec, F))), T.Fields[F]);
  }
  // A CPU that saw no values has no min/max to offer.
  Value *Has = B.CreateICmpSGT(N, B.getInt64(0));
  Value *FirstSeen = B.CreateICmpEQ(OldN, B.getInt64(0));
  Value *CMin = B.CreateLoad(I64, field(B, Rec, Min));
  Value *CMax = B.CreateLoad(I64, field(B, Rec, Max));
  Value *AMin = B.CreateLoad(I64, T.Fields[Min]);
  Value *AMax = B.CreateLoad(I64, T.Fields[Max]);
  B.CreateStore(B.CreateSelect(
                    B.CreateAnd(Has, B.CreateOr(FirstSeen, B.CreateICmpSLT(CMin, AMin))),
                    CMin, AMin),
                T.Fields[Min]);
  B.CreateStore(B.CreateSelect(
                    B.CreateAnd(Has, B.CreateOr(FirstSeen, B.CreateICmpSGT(CMax, AMax))),
                    CMax, AMax),
                T.Fields[Max]);
  if (BucketIdx) {
    Value *Bucket = B.CreateInBoundsGEP(
        I64, field(B, Rec, StatField(STAPC_STAT_FIELDS)), BucketIdx);
    B.CreateStore(B.CreateAdd(B.CreateLoad(I64, T.Bucket),
                              B.CreateLoad(I64, Bucket)),
                  T.Bucket);
  }
}

/// Add up every CPU's record of S[Key] (and bucket BucketIdx, if given,
/// which the caller has checked to be in range).
ProbeEmitter::StatTotals ProbeEmitter::emitStatTotals(const GlobalStorage &S,
                                                      Value *Key, SMLoc Loc,
                                                      Value *BucketIdx) {
  Type *I64 = B.getInt64Ty();
  StatTotals T;
  Value **Acc = T.Fields;
  const char *Names[] = {"acc.count", "acc.sum", "acc.min", "acc.max",
                         "acc.sumsq"};
  for (unsigned I = 0; I < 5; ++I) {
    Acc[I] = B.createEntryAlloca(I64, Names[I]);
    B.CreateStore(B.getInt64(0), Acc[I]);
  }
  if (BucketIdx) {
    T.Bucket = B.createEntryAlloca(I64, "acc.bucket");
    B.CreateStore(B.getInt64(0), T.Bucket);
  }
  forEachCpuRecord(S, Key,
                   [&](Value *Rec) { addCpuRecord(B, T, Rec, BucketIdx); });
  failBeyondMaxCpus(S, Key, Loc);
  return T;
}

/// Run Body(record) for each CPU's copy of S[Key], from CPU 0 to the first
/// CPU without one (at most MaxCpus).
void ProbeEmitter::forEachCpuRecord(const GlobalStorage &S, Value *Key,
                                    function_ref<void(Value *)> Body) {
  LLVMContext &C = B.getContext();
  Value *Cpu = B.createEntryAlloca(B.getInt32Ty(), "cpu");
  B.CreateStore(B.getInt32(0), Cpu);
  auto *Loop = BasicBlock::Create(C, "stat.cpu", Fn);
  auto *BodyBB = BasicBlock::Create(C, "stat.cpu.body", Fn);
  auto *Done = BasicBlock::Create(C, "stat.cpu.done", Fn);
  B.CreateBr(Loop);
  B.SetInsertPoint(Loop);
  Value *CpuV = B.CreateLoad(B.getInt32Ty(), Cpu);
  Value *Rec = B.createHelperCall(BPFHelper::MapLookupPercpuElem, B.getPtrTy(),
                                  {S.GV, Key, CpuV}, "percpu");
  B.CreateCondBr(B.CreateIsNull(Rec), Done, BodyBB);
  B.SetInsertPoint(BodyBB);
  Body(Rec);
  Value *NextCpu = B.CreateAdd(CpuV, B.getInt32(1));
  B.CreateStore(NextCpu, Cpu);
  B.createNoUnrollCondBr(
      B.CreateICmpULT(NextCpu, B.getInt32(CodeGenModule::MaxCpus)), Loop, Done);
  B.SetInsertPoint(Done);
}

/// Never a silently partial answer on a machine with more CPUs.
void ProbeEmitter::failBeyondMaxCpus(const GlobalStorage &S, Value *Key,
                                     SMLoc Loc) {
  Value *Beyond = B.createHelperCall(
      BPFHelper::MapLookupPercpuElem, B.getPtrTy(),
      {S.GV, Key, B.getInt32(CodeGenModule::MaxCpus)});
  exitIf(B.CreateIsNotNull(Beyond), Loc,
         "statistics over more than 256 CPUs are not supported");
}

/// @count/@sum/@min/@max/@avg/@variance: combine every CPU's record.
Value *ProbeEmitter::emitStatExtract(StatExtractExpr *E) {
  StatKind K = E->getStatKind();
  if (K == StatKind::HistLog || K == StatKind::HistLinear) {
    // Sema accepts histograms only where print() or [N] handle them.
    CGM.getDiags().error(E->getLoc(), "internal error: a histogram used as "
                                      "a value");
    return B.getInt64(0);
  }
  Value *Key = nullptr;
  const GlobalStorage *S = statOperand(E->getOperand(), Key);
  if (!S)
    return B.getInt64(0);
  setLoc(E->getLoc());
  StatTotals T = emitStatTotals(*S, Key, E->getLoc());
  endKey(Key);

  return emitAggregate(K, T, E->getLoc(), /*EmptyIsError=*/true);
}

/// One extractor's value from the CPU totals. The extractors other than
/// @count and @sum need a value: on an empty statistic they are stap's
/// runtime error, or 0 when EmptyIsError is false (sorting by them).
Value *ProbeEmitter::emitAggregate(StatKind K, const StatTotals &T, SMLoc Loc,
                                   bool EmptyIsError) {
  Type *I64 = B.getInt64Ty();
  Value *const *Acc = T.Fields;
  Value *Count_ = B.CreateLoad(I64, Acc[Count], "count");
  switch (K) {
  case StatKind::Count:
    return Count_;
  case StatKind::Sum:
    return B.CreateLoad(I64, Acc[Sum], "sum");
  default:
    break;
  }
  Value *Empty = B.CreateICmpEQ(Count_, B.getInt64(0));
  if (EmptyIsError) {
    exitIf(Empty, Loc, "empty aggregate");
  } else {
    // Keep the divisions below well defined; the result is masked to 0.
    Count_ = B.CreateSelect(Empty, B.getInt64(1), Count_);
    Value *V = emitAggregateOfValues(K, Acc, Count_, Loc);
    return B.CreateSelect(Empty, B.getInt64(0), V);
  }
  return emitAggregateOfValues(K, Acc, Count_, Loc);
}

Value *ProbeEmitter::emitAggregateOfValues(StatKind K, Value *const *Acc,
                                           Value *Count_, SMLoc Loc) {
  Type *I64 = B.getInt64Ty();
  switch (K) {
  case StatKind::Min:
    return B.CreateLoad(I64, Acc[Min], "min");
  case StatKind::Max:
    return B.CreateLoad(I64, Acc[Max], "max");
  case StatKind::Avg:
    return emitLongOp(BinaryOp::Div, B.CreateLoad(I64, Acc[Sum]), Count_,
                      Loc);
  case StatKind::Variance: {
    // (n*Σx² - (Σx)²) / (n*(n-1)); 0 for a single value.
    Value *Sum_ = B.CreateLoad(I64, Acc[Sum]);
    Value *Num = B.CreateSub(B.CreateMul(Count_, B.CreateLoad(I64, Acc[SumSq])),
                             B.CreateMul(Sum_, Sum_));
    Value *Den = B.CreateMul(Count_, B.CreateSub(Count_, B.getInt64(1)));
    Value *IsOne = B.CreateICmpEQ(Count_, B.getInt64(1));
    Value *SafeDen = B.CreateSelect(IsOne, B.getInt64(1), Den);
    Value *Var = emitLongOp(BinaryOp::Div, Num, SafeDen, Loc);
    return B.CreateSelect(IsOne, B.getInt64(0), Var);
  }
  default:
    llvm_unreachable("handled above");
  }
}
