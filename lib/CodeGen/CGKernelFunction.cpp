//===- CGKernelFunction.cpp - kprobe twins of kernel.function probes ------===//
//
// A kernel.function probe compiles to a trampoline program (fentry/fexit),
// whose context is an array of u64: the arguments, then (fexit) the return
// value. Its kprobe twin builds the same array on its stack from the
// registers (x86-64 calling convention: rdi rsi rdx rcx r8 r9, then the
// stack), so the probe body compiles to the same code for both. A
// kretprobe cannot see the arguments any more: when the body reads them,
// an entry kprobe saves them per thread in a hash map the kretprobe takes
// them from.
//
//===----------------------------------------------------------------------===//
#include "ProbeEmitter.h"

#include "stapc/AST/ASTVisitor.h"

using namespace stapc;
using namespace llvm;

namespace {
// Offsets in x86-64's struct pt_regs (a stable user ABI:
// arch/x86/include/uapi/asm/ptrace.h).
constexpr unsigned ArgRegOffsets[] = {112 /*di*/, 104 /*si*/, 96 /*dx*/,
                                      88 /*cx*/,  72 /*r8*/,  64 /*r9*/};
constexpr unsigned AxOffset = 80, SpOffset = 152;

unsigned numParams(const ProbeInstance &P) {
  bool HasReturn = P.Return && P.ReturnType;
  return P.Args.size() - (HasReturn ? 1 : 0);
}

class ParamUseFinder : public CallFollowingVisitor<ParamUseFinder> {
public:
  bool Found = false;
  void visitTargetSymbolExpr(TargetSymbolExpr *E) {
    CallFollowingVisitor::visitTargetSymbolExpr(E);
    if (E->isContextList() || E->getName() != "$return")
      Found = true;
  }
};
} // namespace

bool ProbeEmitter::returnReadsParams(const ProbeInstance &P) {
  if (numParams(P) == 0)
    return false;
  ParamUseFinder F;
  F.traverse(P.Body);
  return F.Found;
}

static Value *regAt(BPFIRBuilder &B, Value *Regs, unsigned Offset,
                    const Twine &Name) {
  Value *Addr = B.CreateConstInBoundsGEP1_64(B.getInt8Ty(), Regs, Offset);
  return B.CreateLoad(B.getInt64Ty(), Addr, Name);
}

Value *ProbeEmitter::readRegsArgs(Value *Regs, Value *Dst, unsigned N) {
  Type *I64 = B.getInt64Ty();
  Value *Sp = nullptr;
  for (unsigned I = 0; I < N; ++I) {
    Value *Slot = B.CreateConstInBoundsGEP1_64(I64, Dst, I);
    if (I < std::size(ArgRegOffsets)) {
      B.CreateStore(regAt(B, Regs, ArgRegOffsets[I], "arg"), Slot);
      continue;
    }
    // Arguments 7.. are on the stack, above the return address.
    if (!Sp)
      Sp = B.CreateIntToPtr(regAt(B, Regs, SpOffset, "sp"), B.getPtrTy());
    unsigned Offset = 8 * (I - std::size(ArgRegOffsets) + 1);
    B.createProbeReadKernel(Slot, 8,
                            B.CreateConstInBoundsGEP1_64(B.getInt8Ty(), Sp, Offset));
  }
  return Dst;
}

static GlobalVariable *entryArgsMap(CodeGenModule &CGM, unsigned Index,
                                    unsigned NumArgs) {
  std::string Name = ("entry_args_" + Twine(Index)).str();
  if (GlobalVariable *G = CGM.getModule().getNamedGlobal(Name))
    return G;
  return CGM.createEntryArgsMap(Name, NumArgs);
}

Value *ProbeEmitter::emitKprobeContext(BasicBlock *Skip) {
  unsigned N = numParams(Probe);
  Type *I64 = B.getInt64Ty();
  // createEntryAlloca zero-fills: slots the body never reads still count
  // as initialised stack for the verifier.
  Value *Arr = B.createEntryAlloca(ArrayType::get(I64, N + 1), "args");
  Value *Regs = Fn->getArg(0);
  if (!Probe.Return) {
    readRegsArgs(Regs, Arr, N);
    return Arr;
  }
  if (returnReadsParams(Probe))
    loadEntryArgs(entryArgsMap(CGM, Index, N), Arr, N, Skip);
  B.CreateStore(regAt(B, Regs, AxOffset, "ax"),
                B.CreateConstInBoundsGEP1_64(I64, Arr, N));
  return Arr;
}

void ProbeEmitter::emitEntrySaver() {
  unsigned N = numParams(Probe);
  Value *Arr = B.createEntryAlloca(ArrayType::get(B.getInt64Ty(), N), "args");
  readRegsArgs(Fn->getArg(0), Arr, N);
  saveEntryArgs(entryArgsMap(CGM, Index, N), Arr);
}

void ProbeEmitter::saveEntryArgs(GlobalVariable *Map, Value *Args) {
  Type *I64 = B.getInt64Ty();
  Value *Key = B.createEntryAlloca(I64, "tid");
  B.CreateStore(B.createHelperCall(BPFHelper::GetCurrentPidTgid, I64, {}), Key);
  Value *Err = B.createMapUpdate(Map, Key, Args, BPF_ANY);
  // A full map (more threads inside the function than it holds) loses
  // this call's return probe: count it like a skipped probe.
  auto *Full = BasicBlock::Create(B.getContext(), "entry.full", Fn);
  auto *Done = BasicBlock::Create(B.getContext(), "entry.done", Fn);
  B.CreateCondBr(B.CreateICmpNE(Err, B.getInt64(0)), Full, Done);
  B.SetInsertPoint(Full);
  B.createCounterIncrement(CGM.getSkippedVar());
  B.CreateBr(Done);
  B.SetInsertPoint(Done);
}

void ProbeEmitter::loadEntryArgs(GlobalVariable *Map, Value *Dst, unsigned N,
                                 BasicBlock *Skip) {
  Type *I64 = B.getInt64Ty();
  Value *Key = B.createEntryAlloca(I64, "tid");
  B.CreateStore(B.createHelperCall(BPFHelper::GetCurrentPidTgid, I64, {}), Key);
  Value *Saved = B.createMapLookup(Map, Key);
  // No entry: the thread entered before the probe was attached (stap's
  // kretprobes do not fire then either) or the map was full.
  auto *Have = BasicBlock::Create(B.getContext(), "entry.ok", Fn);
  B.CreateCondBr(B.CreateIsNull(Saved), Skip, Have);
  B.SetInsertPoint(Have);
  for (unsigned I = 0; I < N; ++I)
    B.CreateStore(B.CreateLoad(I64, B.CreateConstInBoundsGEP1_64(I64, Saved, I)),
                  B.CreateConstInBoundsGEP1_64(I64, Dst, I));
  B.createMapDelete(Map, Key);
}
