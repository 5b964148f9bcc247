//===- BPFIRBuilder.cpp ---------------------------------------------------===//
#include "BPFIRBuilder.h"

#include "llvm/IR/InlineAsm.h"

using namespace stapc;
using namespace llvm;

CallInst *BPFIRBuilder::createHelperCall(BPFHelper ID, Type *Ret,
                                         ArrayRef<Value *> Args,
                                         const Twine &Name) {
  SmallVector<Type *, 5> ParamTys;
  for (Value *A : Args)
    ParamTys.push_back(A->getType());
  FunctionType *FT = FunctionType::get(Ret, ParamTys, false);
  // BPF calls helpers through a constant "address": the helper id.
  Constant *Callee = ConstantExpr::getIntToPtr(
      ConstantInt::get(getInt64Ty(), static_cast<uint64_t>(ID)), getPtrTy());
  CallInst *Call = CreateCall(FT, Callee, Args, Name);
  if (isPureWithinProbe(ID)) {
    // Same answer for the whole probe hit: let LLVM merge repeated calls
    // (`faults[pid()]++; ... faults[pid()]` calls the helper once).
    Call->setDoesNotAccessMemory();
    Call->setDoesNotThrow();
    Call->addFnAttr(Attribute::WillReturn);
  }
  return Call;
}

bool BPFIRBuilder::isPureWithinProbe(BPFHelper ID) {
  switch (ID) {
  case BPFHelper::GetCurrentPidTgid:
  case BPFHelper::GetCurrentUidGid:
  case BPFHelper::GetSmpProcessorId:
  case BPFHelper::GetCurrentTask:
    return true;
  default:
    return false;
  }
}

Value *BPFIRBuilder::createMapLookup(Value *Map, Value *KeyPtr) {
  return createHelperCall(BPFHelper::MapLookupElem, getPtrTy(), {Map, KeyPtr},
                          "elem");
}

Value *BPFIRBuilder::createMapUpdate(Value *Map, Value *KeyPtr, Value *ValuePtr,
                                     uint64_t Flags) {
  return createHelperCall(BPFHelper::MapUpdateElem, getInt64Ty(),
                          {Map, KeyPtr, ValuePtr, getInt64(Flags)}, "upd");
}

Value *BPFIRBuilder::createMapDelete(Value *Map, Value *KeyPtr) {
  return createHelperCall(BPFHelper::MapDeleteElem, getInt64Ty(),
                          {Map, KeyPtr}, "del");
}

Value *BPFIRBuilder::createProbeReadKernel(Value *Dst, uint64_t Size,
                                           Value *Src) {
  return createHelperCall(BPFHelper::ProbeReadKernel, getInt64Ty(),
                          {Dst, getInt32(Size), Src}, "rd");
}

Value *BPFIRBuilder::createProbeReadKernelStr(Value *Dst, uint64_t Size,
                                              Value *Src) {
  return createHelperCall(BPFHelper::ProbeReadKernelStr, getInt64Ty(),
                          {Dst, getInt32(Size), Src}, "rdstr");
}

Value *BPFIRBuilder::createRingbufOutput(Value *RingBuf, Value *Data,
                                         Value *Size) {
  return createHelperCall(BPFHelper::RingbufOutput, getInt64Ty(),
                          {RingBuf, Data, Size, getInt64(0)}, "out");
}

Value *BPFIRBuilder::createOpaque(Value *V) {
  auto *FT = FunctionType::get(V->getType(), {V->getType()}, false);
  return CreateCall(InlineAsm::get(FT, "", "=r,0", /*hasSideEffects=*/false),
                    {V});
}

AllocaInst *BPFIRBuilder::createEntryAlloca(Type *Ty, const Twine &Name) {
  Function *F = GetInsertBlock()->getParent();
  IRBuilder<> Entry(&F->getEntryBlock(), F->getEntryBlock().begin());
  AllocaInst *A = Entry.CreateAlloca(Ty, nullptr, Name);
  // Byte arrays (keys, records) are written a word at a time; the verifier
  // rejects a misaligned 8-byte stack access, so every slot is 8-aligned.
  A->setAlignment(std::max(A->getAlign(), Align(8)));
  return A;
}

void BPFIRBuilder::createCounterIncrement(Value *Counter) {
  CreateAtomicRMW(AtomicRMWInst::Add, Counter, getInt64(1), MaybeAlign(8),
                  AtomicOrdering::Monotonic);
}

BranchInst *BPFIRBuilder::createNoUnrollCondBr(Value *Cond, BasicBlock *Back,
                                               BasicBlock *Exit) {
  BranchInst *Br = CreateCondBr(Cond, Back, Exit);
  LLVMContext &C = getContext();
  MDNode *NoUnroll =
      MDNode::get(C, {MDString::get(C, "llvm.loop.unroll.disable")});
  MDNode *LoopID = MDNode::getDistinct(C, {nullptr, NoUnroll});
  LoopID->replaceOperandWith(0, LoopID);
  Br->setMetadata(LLVMContext::MD_loop, LoopID);
  return Br;
}
