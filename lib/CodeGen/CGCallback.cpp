//===- CGCallback.cpp - Moving code into BPF callback functions -----------===//
//
// Loop bodies run in callbacks of bpf_loop and bpf_for_each_map_elem, so
// the verifier checks each body once instead of once per iteration. A
// callback is a separate BPF function: it cannot see the probe's stack or
// branch to the probe's blocks. So, in probes with loops:
// - locals and inlined functions' results live in the scratch area
//   (ProbeEmitter::Home), which every callback looks up again;
// - the probe's context travels in a one-pointer stack frame passed as the
//   callback's context argument;
// - leaving the loop for a block outside it (end of probe after `next` or
//   an error, `return` from an inlined function, a `catch` outside the
//   loop) is a pending jump: the callback stores the target's id in
//   scratch and stops the loop; after the helper returns, the enclosing
//   function branches on that id (dispatchPendingJump). Nested loops chain
//   the same way, one level at a time.
//
//===----------------------------------------------------------------------===//
#include "ProbeEmitter.h"

using namespace stapc;
using namespace llvm;

struct ProbeEmitter::FunctionState {
  Function *Fn;
  DISubprogram *SP;
  Value *Scratch, *CtxArg;
  BasicBlock *ExitBB;
  std::vector<LoopTargets> Loops;
  std::vector<InlineFrame> Frames;
  std::vector<TryHandler> Tries;
  IRBuilderBase::InsertPoint IP;
  DebugLoc DL;
};

ProbeEmitter::Callback::Callback() = default;
ProbeEmitter::Callback::Callback(Callback &&) = default;
ProbeEmitter::Callback::~Callback() = default;

Value *ProbeEmitter::createFrame() {
  Value *Frame = B.createEntryAlloca(B.getPtrTy(), "frame");
  B.CreateStore(CtxArg ? CtxArg : ConstantPointerNull::get(B.getPtrTy()),
                Frame);
  return Frame;
}

void ProbeEmitter::returnFromCallback(bool Stop) {
  B.CreateRet(B.getInt64(Stop ? 1 : 0));
}

Value *ProbeEmitter::lookupOrStop(Value *Map, Value *Key) {
  Value *Elem = B.createMapLookup(Map, Key);
  LLVMContext &C = B.getContext();
  auto *Missing = BasicBlock::Create(C, "lookup.missing", Fn);
  auto *Have = BasicBlock::Create(C, "lookup.ok", Fn);
  B.CreateCondBr(B.CreateIsNull(Elem), Missing, Have);
  B.SetInsertPoint(Missing);
  returnFromCallback(true);
  B.SetInsertPoint(Have);
  return Elem;
}

ProbeEmitter::Callback
ProbeEmitter::enterCallback(StringRef Name,
                            ArrayRef<CodeGenModule::CallbackParam> Params,
                            int FrameArg) {
  assert(LocalsInScratch && "callbacks need locals in scratch");
  Callback CB;
  CB.Outer.reset(new FunctionState{Fn, SP, Scratch, CtxArg, ExitBB, Loops,
                                   Frames, Tries, B.saveIP(),
                                   B.getCurrentDebugLocation()});
  std::string FnName =
      (this->Name + "_" + Name + "_" + Twine(CallbackCount++))
          .str();
  CB.Fn = CGM.createCallback(FnName, Params);
  Fn = CB.Fn;
  SP = Fn->getSubprogram();
  LLVMContext &C = B.getContext();
  B.SetInsertPoint(&Fn->getEntryBlock());
  const DebugLoc &DL = CB.Outer->DL;
  B.SetCurrentDebugLocation(
      DILocation::get(C, DL ? DL.getLine() : 0, DL ? DL.getCol() : 0, SP));

  // This CPU's scratch area; it cannot be missing (the probe found it).
  Value *Zero = B.createEntryAlloca(B.getInt32Ty(), "zero");
  B.CreateStore(B.getInt32(0), Zero);
  Scratch = lookupOrStop(CGM.getScratchMap(), Zero);
  CtxArg = FrameArg < 0 ? nullptr
                        : B.CreateLoad(B.getPtrTy(), Fn->getArg(FrameArg),
                                       "ctx");

  // Every block of the enclosing function this code may jump to becomes a
  // relay block that records the jump and stops the loop.
  auto Relay = [&](BasicBlock *Target) {
    CB.Targets.push_back(Target);
    auto *BB = BasicBlock::Create(C, "pending", Fn);
    IRBuilderBase::InsertPointGuard Guard(B);
    B.SetInsertPoint(BB);
    B.CreateStore(B.getInt64(CB.Targets.size()), scratchAt(PendingOffset));
    returnFromCallback(true);
    return BB;
  };
  ExitBB = Relay(ExitBB);
  for (InlineFrame &F : Frames) {
    F.Return = Relay(F.Return);
    F.LoopDepth = 0; // the enclosing function's loops are out of reach
  }
  for (TryHandler &T : Tries)
    T.Catch = Relay(T.Catch);
  Loops.clear();
  return CB;
}

void ProbeEmitter::leaveCallback(Callback &CB) {
  if (!B.GetInsertBlock()->getTerminator())
    returnFromCallback(false);
  closeOpenBlocks();
  FunctionState &O = *CB.Outer;
  Fn = O.Fn;
  SP = O.SP;
  Scratch = O.Scratch;
  CtxArg = O.CtxArg;
  ExitBB = O.ExitBB;
  Loops = std::move(O.Loops);
  Frames = std::move(O.Frames);
  Tries = std::move(O.Tries);
  B.restoreIP(O.IP);
  B.SetCurrentDebugLocation(O.DL);
}

void ProbeEmitter::dispatchPendingJump(const Callback &CB) {
  Value *Slot = scratchAt(PendingOffset);
  Value *Id = B.CreateLoad(B.getInt64Ty(), Slot, "pending");
  B.CreateStore(B.getInt64(0), Slot);
  auto *Cont = BasicBlock::Create(B.getContext(), "loop.done", Fn);
  SwitchInst *SI = B.CreateSwitch(Id, Cont, CB.Targets.size());
  for (size_t I = 0; I < CB.Targets.size(); ++I)
    SI->addCase(ConstantInt::get(B.getInt64Ty(), I + 1), CB.Targets[I]);
  B.SetInsertPoint(Cont);
}
