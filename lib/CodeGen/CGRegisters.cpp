//===- CGRegisters.cpp - int_arg() & co, returnval(), user_mode() ---------===//
//
// stap's "dwarfless" context functions read the probed function's
// arguments and return value from the registers of the calling convention
// (x86-64: rdi rsi rdx rcx r8 r9, then the stack; rax). What stands for
// the registers differs per probe kind:
//  - kernel.function: the trampoline's context, an array of u64 with one
//    slot per BTF parameter and then the return value; the kprobe twin
//    builds the same array from pt_regs (CGKernelFunction.cpp). A
//    trampoline can only read the parameters BTF declares, so int_arg(n)
//    beyond them is a compile-time error (stap would read a register that
//    holds nothing meaningful).
//  - syscall probes: the user registers saved at syscall entry (CGSyscall).
//  - process(...) probes: the uprobe's pt_regs.
// Tracepoints, timers and begin/end have no function arguments: an error.
//
//===----------------------------------------------------------------------===//
#include "ProbeEmitter.h"

#include "stapc/Sema/UserBinary.h"
#include "stapc/Sema/UserProbe.h"

using namespace stapc;
using namespace llvm;

namespace {
// Offsets in x86-64's struct pt_regs (arch/x86/include/uapi/asm/ptrace.h).
constexpr unsigned UserArgOffsets[] = {112 /*di*/, 104 /*si*/, 96 /*dx*/,
                                       88 /*cx*/,  72 /*r8*/,  64 /*r9*/};
constexpr unsigned AxOffset = 80, IpOffset = 128, CsOffset = 136,
                   SpOffset = 152;
constexpr unsigned MaxSyscallArgs = 6;

/// How int_arg() & co narrow the 64-bit register: bits kept, and whether
/// the result is sign-extended.
std::pair<unsigned, bool> argWidth(BuiltinID ID) {
  switch (ID) {
  case BuiltinID::IntArg:
  case BuiltinID::S32Arg:
    return {32, true};
  case BuiltinID::UintArg:
  case BuiltinID::U32Arg:
    return {32, false};
  default: // long, longlong, pointer, s64, u64 (and their unsigned forms)
    return {64, false};
  }
}

unsigned kernelFunctionParams(const ProbeInstance &P) {
  return P.Args.size() - (P.Return && P.ReturnType ? 1 : 0);
}
} // namespace

/// The 64-bit register at Offset of the pt_regs the context points to
/// (uprobes: the context is pt_regs; perf events: it starts with them).
Value *ProbeEmitter::contextRegister(unsigned Offset, const Twine &Name) {
  Value *Addr = B.CreateConstInBoundsGEP1_64(B.getInt8Ty(), CtxArg, Offset);
  return B.CreateLoad(B.getInt64Ty(), Addr, Name);
}

/// Argument I (0-based, a constant) of the probed function as a raw u64,
/// or null after a diagnostic.
Value *ProbeEmitter::registerArg(unsigned I, SMLoc Loc, StringRef Fn) {
  DiagnosticEngine &Diags = CGM.getDiags();
  switch (Probe.Kind) {
  case ProbeKind::KernelFunction: {
    unsigned N = kernelFunctionParams(Probe);
    for (const ContextArg &A : Probe.Args)
      if (A.Index == I && I < N)
        return pointerAsValue(loadContextArg(A), A.BTFType);
    Diags.error(Loc, "semantic error: " + Fn + "(" + Twine(I + 1) +
                         "): '" + Probe.Function + "' has " + Twine(N) +
                         " parameter(s) in the kernel's BTF; BPF can only "
                         "read those (use $name or an index up to " +
                         Twine(N) + ")");
    return nullptr;
  }
  case ProbeKind::Syscall:
    if (I < MaxSyscallArgs)
      return syscallRegister(I);
    Diags.error(Loc, "semantic error: " + Fn + "(" + Twine(I + 1) +
                         "): syscalls have at most 6 arguments");
    return nullptr;
  case ProbeKind::Uprobe: {
    if (I < std::size(UserArgOffsets))
      return contextRegister(UserArgOffsets[I], "arg");
    // Arguments 7.. are on the user stack, above the return address (at
    // a function's entry; stap reads the same place anywhere).
    Value *Sp = B.CreateIntToPtr(contextRegister(SpOffset, "sp"), B.getPtrTy());
    unsigned Offset = 8 * (I - std::size(UserArgOffsets) + 1);
    Value *Tmp = B.createEntryAlloca(B.getInt64Ty(), "stackarg");
    B.CreateStore(B.getInt64(0), Tmp);
    Value *Err = B.createHelperCall(
        BPFHelper::ProbeReadUser, B.getInt64Ty(),
        {Tmp, B.getInt32(8),
         B.CreateConstInBoundsGEP1_64(B.getInt8Ty(), Sp, Offset)});
    exitIf(B.CreateICmpSLT(Err, B.getInt64(0)), Loc,
           ("user read fault in '" + Fn + "'").str());
    return B.CreateLoad(B.getInt64Ty(), Tmp, "arg");
  }
  default:
    Diags.error(Loc, "semantic error: " + Fn +
                         "() reads a function argument: it needs a "
                         "kernel.function, kprobe.function, syscall or "
                         "process(...).function probe, not '" +
                         Probe.PP + "'");
    return nullptr;
  }
}

/// int_arg(n), uint_arg(n), long_arg(n), pointer_arg(n), s32_arg(n)...
Value *ProbeEmitter::emitRegisterArg(FunctionCall *E, BuiltinID ID) {
  Expr *Index = E->getArgs()[0];
  Value *N = emitExpr(Index);
  setLoc(E->getLoc());
  StringRef Fn = E->getName();
  Value *Raw = nullptr;
  if (auto *C = dyn_cast<ConstantInt>(N)) {
    if (C->getSExtValue() < 1 || C->getSExtValue() > 64) {
      CGM.getDiags().error(Index->getLoc(),
                           "semantic error: " + Fn +
                               "() counts arguments from 1; " +
                               Twine(C->getSExtValue()) + " is out of range");
      return B.getInt64(0);
    }
    Raw = registerArg(C->getZExtValue() - 1, E->getLoc(), Fn);
  } else {
    Raw = registerArgByValue(N, E->getLoc(), Fn);
  }
  if (!Raw)
    return B.getInt64(0);
  auto [Bits, Signed] = argWidth(ID);
  return Bits == 64 ? Raw : truncateTo(Raw, Bits / 8, Signed);
}

/// Argument N (a runtime value, 1-based) among the ones registerArg can
/// read without faulting: a select over them, 0 for any other N.
Value *ProbeEmitter::registerArgByValue(Value *N, SMLoc Loc, StringRef Fn) {
  unsigned Count = Probe.Kind == ProbeKind::KernelFunction
                       ? kernelFunctionParams(Probe)
                   : Probe.Kind == ProbeKind::Syscall ? MaxSyscallArgs
                   : Probe.Kind == ProbeKind::Uprobe
                       ? unsigned(std::size(UserArgOffsets))
                       : 0;
  if (!Count)
    return registerArg(0, Loc, Fn); // the diagnostic of this probe kind
  Value *V = B.getInt64(0);
  for (unsigned I = 0; I < Count; ++I) {
    Value *Arg = registerArg(I, Loc, Fn);
    if (!Arg)
      return nullptr;
    V = B.CreateSelect(B.CreateICmpEQ(N, B.getInt64(I + 1)), Arg, V);
  }
  return V;
}

/// returnval(): the value the probed function returned, in .return probes.
Value *ProbeEmitter::emitReturnval(FunctionCall *E) {
  DiagnosticEngine &Diags = CGM.getDiags();
  bool Returns = (Probe.Kind == ProbeKind::KernelFunction ||
                  Probe.Kind == ProbeKind::Syscall ||
                  Probe.Kind == ProbeKind::Uprobe) &&
                 (Probe.User ? Probe.User->Return : Probe.Return);
  if (!Returns) {
    Diags.error(E->getLoc(),
                "semantic error: returnval() is the return value of the "
                "probed function: it needs a .return probe (kernel.function, "
                "syscall or process(...).function), not '" +
                    Probe.PP + "'");
    return B.getInt64(0);
  }
  setLoc(E->getLoc());
  switch (Probe.Kind) {
  case ProbeKind::KernelFunction:
    // A void function returns nothing; its %rax is meaningless.
    if (const ContextArg *R = findContextArg("return"))
      return pointerAsValue(loadContextArg(*R), R->BTFType);
    return B.getInt64(0);
  case ProbeKind::Syscall:
    return B.CreateLoad(B.getInt64Ty(),
                        B.CreateConstInBoundsGEP1_64(B.getInt64Ty(), CtxArg, 1),
                        "ret");
  default: {
    // %rax, narrowed to the function's return type when DWARF gives it.
    Value *Ax = contextRegister(AxOffset, "ax");
    const UserProbe &U = *Probe.User;
    if (!U.ReturnType || !U.Binary)
      return Ax;
    UserTypeInfo T = U.Binary->describe(U.ReturnType);
    return truncateTo(Ax, T.Size, T.IsSigned);
  }
  }
}

/// user_mode(): 1 when the probe interrupted user code. Only sampling
/// probes (timer.*, perf.*) can interrupt either; their pt_regs tell by
/// the privilege level of the code segment. Uprobes always run on user
/// code, everything else in the kernel.
Value *ProbeEmitter::emitUserMode() {
  if (Probe.Kind == ProbeKind::Uprobe)
    return B.getInt64(1);
  if (Probe.Kind != ProbeKind::Timer)
    return B.getInt64(0);
  Value *Cs = contextRegister(CsOffset, "cs");
  return B.CreateZExt(B.CreateICmpEQ(B.CreateAnd(Cs, 3), B.getInt64(3)),
                      B.getInt64Ty(), "user_mode");
}

/// addr(): the instruction pointer of the probe's registers: where a
/// timer or perf event interrupted (kernel or user), the probed user
/// instruction of a uprobe. Other probes have no registers (trampolines
/// and tracepoints get none; the kprobe twins hand on the arguments only):
/// 0, as stap returns for probe types without registers.
Value *ProbeEmitter::emitAddr() {
  if (Probe.Kind != ProbeKind::Timer && Probe.Kind != ProbeKind::Uprobe)
    return B.getInt64(0);
  return contextRegister(IpOffset, "ip");
}
