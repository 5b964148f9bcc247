//===- CGScratchLoop.cpp - Loops over scratch memory via bpf_loop ---------===//
#include "CGScratchLoop.h"

#include "llvm/IR/Operator.h"
#include "llvm/Support/MathExtras.h"

using namespace stapc;
using namespace llvm;

void LoopBody::check(Value *Cond, BasicBlock *Else) {
  auto *Then = BasicBlock::Create(B.getContext(), "then",
                                  B.GetInsertBlock()->getParent());
  B.CreateCondBr(Cond, Then, Else);
  B.SetInsertPoint(Then);
}

unsigned stapc::scratchOffset(ProbeEmitter &PE, Value *P) {
  APInt Off(64, 0);
  auto *G = cast<GEPOperator>(P);
  bool Const = G->accumulateConstantOffset(PE.CGM.getModule().getDataLayout(),
                                           Off);
  assert(Const && G->getPointerOperand() == PE.Scratch && "not scratch");
  (void)Const;
  return Off.getZExtValue();
}

void stapc::emitScratchLoop(ProbeEmitter &PE, Value *Count,
                            function_ref<void(LoopBody &)> Body) {
  CodeGenModule &CGM = PE.CGM;
  LLVMContext &C = CGM.getLLVMContext();
  // BTF function names must be C identifiers: no dots.
  std::string Name = (PE.Fn->getName() + "_loop" +
                      Twine(CGM.getModule().size()))
                         .str();
  Function *F = CGM.createCallback(Name, {{"index", false}, {"ctx", true}});
  BPFIRBuilder CB(C);
  CB.SetInsertPoint(&F->getEntryBlock());
  DILocation *At = PE.B.getCurrentDebugLocation().get();
  CB.SetCurrentDebugLocation(DILocation::get(C, At ? At->getLine() : 0,
                                             At ? At->getColumn() : 0,
                                             F->getSubprogram()));
  Value *Key = CB.createEntryAlloca(CB.getInt32Ty(), "zero");
  CB.CreateStore(CB.getInt32(0), Key);
  Value *Base = CB.createMapLookup(CGM.getScratchMap(), Key);
  auto *Stop = BasicBlock::Create(C, "stop", F);
  auto *Next = BasicBlock::Create(C, "next", F);
  auto *Run = BasicBlock::Create(C, "body", F);
  CB.CreateCondBr(CB.CreateIsNull(Base), Stop, Run);
  CB.SetInsertPoint(Stop);
  CB.CreateRet(CB.getInt64(1));
  CB.SetInsertPoint(Next);
  CB.CreateRet(CB.getInt64(0));
  CB.SetInsertPoint(Run);
  uint64_t Mask = PowerOf2Ceil(CGM.getOptions().MaxStringLen) - 1;
  LoopBody L{CB, Base, F->getArg(0), Stop, Next, Mask};
  Body(L);
  if (!CB.GetInsertBlock()->getTerminator())
    CB.CreateBr(Next);

  BPFIRBuilder &B = PE.B;
  Value *N = B.CreateSelect(B.CreateICmpSLT(Count, B.getInt64(0)),
                            B.getInt64(0), Count);
  N = B.CreateSelect(B.CreateICmpUGT(N, B.getInt64(1 << 23)),
                     B.getInt64(1 << 23), N);
  B.createHelperCall(BPFHelper::Loop, B.getInt64Ty(),
                     {B.CreateTrunc(N, B.getInt32Ty()), F,
                      ConstantPointerNull::get(B.getPtrTy()), B.getInt64(0)},
                     "loop");
}

Value *stapc::emitCopyMeasured(ProbeEmitter &PE, Value *Dst, Value *S) {
  BPFIRBuilder &B = PE.B;
  Value *R = B.createProbeReadKernelStr(Dst, PE.CGM.getOptions().MaxStringLen,
                                        S);
  Value *Len = B.CreateSub(R, B.getInt64(1));
  return B.CreateSelect(B.CreateICmpSLT(Len, B.getInt64(0)), B.getInt64(0),
                        Len, "len");
}

void stapc::emitMatchAt(LoopBody &L, unsigned Hay, Value *At, unsigned Needle,
                        Value *Len, BasicBlock *Match, BasicBlock *Mismatch) {
  BPFIRBuilder &B = L.B;
  LLVMContext &C = B.getContext();
  Function *F = B.GetInsertBlock()->getParent();
  BasicBlock *Pre = B.GetInsertBlock();
  auto *Loop = BasicBlock::Create(C, "match", F);
  auto *Cmp = BasicBlock::Create(C, "match.cmp", F);
  auto *Cont = BasicBlock::Create(C, "match.next", F);
  B.CreateBr(Loop);
  B.SetInsertPoint(Loop);
  PHINode *K = B.CreatePHI(B.getInt64Ty(), 2);
  K->addIncoming(B.getInt64(0), Pre);
  B.CreateCondBr(B.CreateICmpSGE(K, Len), Match, Cmp);
  B.SetInsertPoint(Cmp);
  Value *A = L.loadByte(Hay, B.CreateAdd(At, K));
  Value *Bv = L.loadByte(Needle, K);
  B.CreateCondBr(B.CreateICmpEQ(A, Bv), Cont, Mismatch);
  B.SetInsertPoint(Cont);
  Value *Next = B.CreateAdd(K, B.getInt64(1));
  K->addIncoming(Next, Cont);
  B.createNoUnrollCondBr(B.CreateICmpULT(Next, B.getInt64(L.Mask + 1)), Loop,
                         Match);
}
