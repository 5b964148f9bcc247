//===- CGSyscall.cpp - syscall probes on the raw_syscalls tracepoints -----===//
//
// A syscall probe is one tp_btf program on sys_enter (context: struct
// pt_regs *regs, long id) or sys_exit (regs, long ret) that returns at
// once unless the syscall number is one of its syscalls: a compare for a
// few, else a byte of a .rodata table indexed by the number. Arguments are
// the user registers the syscall entry saved in pt_regs (x86-64: di, si,
// dx, r10, r8, r9; the number is orig_ax at exit). When a probe covers
// several syscalls, what differs per syscall (which register holds
// $filename, each argument's kind, the name) comes from .rodata tables
// indexed by the number too. See lib/Sema/ProbeSyscall.cpp for the
// variables built on these values.
//
//===----------------------------------------------------------------------===//
#include "ProbeEmitter.h"

#include "stapc/Sema/Syscalls.h"

#include "llvm/ADT/Hashing.h"
#include "llvm/ADT/StringExtras.h"

using namespace stapc;
using namespace stapc::syscalls;
using namespace llvm;

namespace {
// Offsets in x86-64's struct pt_regs (arch/x86/include/uapi/asm/ptrace.h).
constexpr unsigned SyscallArgOffsets[MaxArgs] = {
    112 /*di*/, 104 /*si*/, 96 /*dx*/, 56 /*r10*/, 72 /*r8*/, 64 /*r9*/};
constexpr unsigned OrigAxOffset = 120;
/// Up to this many syscalls are tested by compares, more by a table.
constexpr size_t MaxCompares = 4;

/// Where a syscall holds the argument named Name: its register (1-based,
/// 0: none) and kind.
std::pair<unsigned, ArgKind> argumentIn(unsigned Nr, StringRef Name) {
  SmallVector<Arg, 6> Args = byNr(Nr)->args();
  for (unsigned I = 0; I < Args.size() && I < MaxArgs; ++I)
    if (Args[I].Name == Name)
      return {I + 1, Args[I].Kind};
  return {0, ArgKind::None};
}
} // namespace

Value *ProbeEmitter::syscallTable(ArrayRef<uint8_t> PerNr) {
  std::string GName =
      "stapc_sys_" + utohexstr(hash_value(ArrayRef<uint8_t>(PerNr)));
  GlobalVariable *G = CGM.getModule().getNamedGlobal(GName);
  if (!G) {
    Constant *Init = ConstantDataArray::get(B.getContext(), PerNr);
    G = new GlobalVariable(CGM.getModule(), Init->getType(), true,
                           GlobalValue::PrivateLinkage, Init, GName);
    G->setAlignment(Align(8));
    G->setSection(".rodata");
  }
  // The filter returned for numbers >= MaxNr; the mask keeps the index
  // provably in bounds for the verifier.
  Value *Idx = B.CreateAnd(SyscallNr, B.getInt64(MaxNr - 1));
  return B.CreateZExt(
      B.CreateLoad(B.getInt8Ty(), B.CreateInBoundsGEP(B.getInt8Ty(), G, Idx)),
      B.getInt64Ty());
}

void ProbeEmitter::emitSyscallFilter(BasicBlock *Skip) {
  Type *I64 = B.getInt64Ty();
  if (Probe.Return) {
    Value *Regs = B.CreateLoad(B.getPtrTy(), CtxArg, "regs");
    SyscallNr = B.CreateLoad(
        I64, B.CreateConstInBoundsGEP1_64(B.getInt8Ty(), Regs, OrigAxOffset),
        "nr");
  } else {
    SyscallNr =
        B.CreateLoad(I64, B.CreateConstInBoundsGEP1_64(I64, CtxArg, 1), "nr");
  }
  const std::vector<unsigned> &Nrs = Probe.Syscalls;
  if (Nrs.empty())
    return; // syscall_any
  auto *Go = BasicBlock::Create(B.getContext(), "syscall.match", Fn);
  Value *Match;
  if (Nrs.size() <= MaxCompares) {
    Match = B.getFalse();
    for (unsigned Nr : Nrs)
      Match = B.CreateOr(Match, B.CreateICmpEQ(SyscallNr, B.getInt64(Nr)));
  } else {
    auto *InRange = BasicBlock::Create(B.getContext(), "syscall.range", Fn);
    B.CreateCondBr(B.CreateICmpULT(SyscallNr, B.getInt64(MaxNr)), InRange,
                   Skip);
    B.SetInsertPoint(InRange);
    std::vector<uint8_t> Set(MaxNr, 0);
    for (unsigned Nr : Nrs)
      Set[Nr] = 1;
    Match = B.CreateICmpNE(syscallTable(Set), B.getInt64(0));
  }
  B.CreateCondBr(Match, Go, Skip);
  B.SetInsertPoint(Go);
}

/// Syscall argument register I (0-based) as saved at syscall entry.
Value *ProbeEmitter::syscallRegister(unsigned I) {
  Value *Regs = B.CreateLoad(B.getPtrTy(), CtxArg, "regs");
  return B.CreateLoad(
      B.getInt64Ty(),
      B.CreateConstInBoundsGEP1_64(B.getInt8Ty(), Regs, SyscallArgOffsets[I]),
      "sysarg");
}

/// The address of Names[Index & (size - 1)] in a .rodata table of
/// NUL-padded entries Stride bytes long (Names.size() is a power of two).
Value *ProbeEmitter::nameAddress(ArrayRef<StringRef> Names, unsigned Stride,
                                 Value *Index) {
  std::string Table(Names.size() * Stride, '\0');
  for (size_t I = 0; I < Names.size(); ++I)
    Table.replace(I * Stride, Names[I].size(), Names[I].str());
  auto *G = cast<GlobalVariable>(CGM.getStringConstant(Table));
  Value *Off = B.CreateMul(B.CreateAnd(Index, B.getInt64(Names.size() - 1)),
                           B.getInt64(Stride));
  return B.CreatePtrToInt(B.CreateInBoundsGEP(B.getInt8Ty(), G, Off),
                          B.getInt64Ty());
}

/// A register value read as an argument of kind K (K may be a runtime
/// value: then every conversion is selected by it).
static Value *convert(BPFIRBuilder &B, Value *V, Value *Kind) {
  Value *Lo = B.CreateTrunc(V, B.getInt32Ty());
  Value *S = B.CreateSExt(Lo, B.getInt64Ty());
  Value *Z = B.CreateZExt(Lo, B.getInt64Ty());
  auto Is = [&](ArgKind K) {
    return B.CreateICmpEQ(Kind, B.getInt64(uint64_t(K)));
  };
  return B.CreateSelect(Is(ArgKind::Int), S,
                        B.CreateSelect(Is(ArgKind::UInt), Z, V));
}

Value *ProbeEmitter::emitSyscallValue(const ContextArg &A) {
  Type *I64 = B.getInt64Ty();
  const std::vector<unsigned> &Nrs = Probe.Syscalls;
  // A per-syscall byte: a constant when the probe has one syscall.
  auto PerNr = [&](function_ref<uint8_t(unsigned Nr)> F) -> Value * {
    if (Nrs.size() == 1)
      return B.getInt64(F(Nrs.front()));
    std::vector<uint8_t> T(MaxNr, 0);
    for (unsigned Nr : Nrs)
      T[Nr] = F(Nr);
    return syscallTable(T);
  };
  auto KindOf = [&](unsigned ArgIdx) {
    return PerNr([&](unsigned Nr) -> uint8_t {
      SmallVector<Arg, 6> Args = byNr(Nr)->args();
      return uint8_t(ArgIdx < Args.size() ? Args[ArgIdx].Kind : ArgKind::None);
    });
  };
  unsigned Slot = A.Index;
  if (Slot == SlotNr)
    return SyscallNr;
  if (Slot == SlotReturn)
    return B.CreateLoad(I64, B.CreateConstInBoundsGEP1_64(I64, CtxArg, 1),
                        "ret");
  if (Slot >= SlotArg1 && Slot < SlotArg1 + MaxArgs)
    return convert(B, syscallRegister(Slot - SlotArg1),
                   KindOf(Slot - SlotArg1));
  if (Slot >= SlotKind1 && Slot < SlotKind1 + MaxArgs)
    return KindOf(Slot - SlotKind1);
  if (Slot == SlotNArgs)
    return PerNr([](unsigned Nr) { return uint8_t(byNr(Nr)->args().size()); });
  if (Slot == SlotName) {
    std::vector<StringRef> Names(MaxNr);
    for (const Info &I : table())
      Names[I.Nr] = I.Name;
    return nameAddress(Names, NameStride, SyscallNr);
  }
  if (Slot == SlotErrName) {
    // -$return's name for -MaxErrno < $return < 0 when it has one, else 0.
    std::vector<StringRef> Names(MaxErrno);
    for (unsigned N = 1; N < MaxErrno; ++N)
      Names[N] = errnoName(N);
    Value *Ret =
        B.CreateLoad(I64, B.CreateConstInBoundsGEP1_64(I64, CtxArg, 1));
    Value *Err = B.CreateNeg(Ret);
    Value *InRange = B.CreateICmpULT(Err, B.getInt64(MaxErrno));
    Value *Name = nameAddress(Names, ErrnoStride, Err);
    // The table's first byte of an unnamed entry is NUL.
    Value *First =
        B.CreateLoad(B.getInt8Ty(), B.CreateIntToPtr(Name, B.getPtrTy()));
    Value *Has = B.CreateAnd(InRange, B.CreateICmpNE(First, B.getInt8(0)));
    return B.CreateSelect(Has, Name, B.getInt64(0));
  }
  // A named argument: its register may differ per syscall.
  Value *Pos = PerNr([&](unsigned Nr) { return argumentIn(Nr, A.Name).first; });
  Value *Kind = PerNr(
      [&](unsigned Nr) { return uint8_t(argumentIn(Nr, A.Name).second); });
  Value *V = B.getInt64(0);
  if (auto *C = dyn_cast<ConstantInt>(Pos)) {
    if (C->getZExtValue())
      V = syscallRegister(C->getZExtValue() - 1);
  } else {
    for (unsigned I = 0; I < MaxArgs; ++I)
      V = B.CreateSelect(B.CreateICmpEQ(Pos, B.getInt64(I + 1)),
                         syscallRegister(I), V);
  }
  return convert(B, V, Kind);
}
