//===- CGBuiltin.cpp - Builtin functions and inlined user functions -------===//
#include "ProbeEmitter.h"

#include "stapc/Object/RecordFormat.h"

using namespace stapc;
using namespace llvm;

Value *ProbeEmitter::emitCall(FunctionCall *E) {
  if (E->getCallee())
    return emitUserCall(E);
  const BuiltinInfo *Info = lookupBuiltin(E->getName());
  assert(Info && "Sema resolved every call");
  setLoc(E->getLoc());
  return emitBuiltin(E, Info->ID);
}

/// The function a probe point names (`...function("vfs_read")...`), or ""
/// for probe points without one (timers, tracepoints, begin/end).
static std::string functionOfProbePoint(StringRef PP) {
  size_t At = PP.find("function(\"");
  if (At == StringRef::npos)
    return "";
  StringRef Rest = PP.substr(At + strlen("function(\""));
  return Rest.substr(0, Rest.find('"')).str();
}

Value *ProbeEmitter::emitBuiltin(FunctionCall *E, BuiltinID ID) {
  Type *I64 = B.getInt64Ty();
  switch (ID) {
  case BuiltinID::Printf:
  case BuiltinID::Print:
  case BuiltinID::Println:
  case BuiltinID::Printd:
  case BuiltinID::Printdln:
  case BuiltinID::Log:
    emitPrintFamily(E, ID);
    return B.getInt64(0);
  case BuiltinID::Sprintf:
  case BuiltinID::Sprint:
  case BuiltinID::Sprintln:
    return emitSprintFamily(E, ID);
  case BuiltinID::Exit:
    // Stop event probes first, then tell the loader; the handler goes on.
    B.CreateStore(B.getInt32(1), CGM.getExitingVar(), true);
    emitRecord(STAPC_REC_EXIT, 0, {}, {});
    return B.getInt64(0);
  case BuiltinID::Abort: {
    // Like exit(), but the handler stops here, try/catch cannot stop it,
    // and the loader skips the end probes.
    B.CreateStore(B.getInt32(1), CGM.getExitingVar(), true);
    emitRecord(STAPC_REC_EXIT, STAPC_EXIT_ABORT, {}, {});
    B.CreateBr(ExitBB);
    startDeadBlock();
    return B.getInt64(0);
  }
  case BuiltinID::Warn: {
    // Printed on stderr as "WARNING: msg"; the probe goes on.
    Value *Msg = emitExpr(E->getArgs()[0]);
    setLoc(E->getLoc());
    emitRecord(STAPC_REC_WARN, CGM.addFormat("%s"), {Msg}, {TypeKind::String});
    return B.getInt64(0);
  }
  case BuiltinID::Error: {
    Value *Msg = emitExpr(E->getArgs()[0]);
    emitRuntimeError(E->getLoc(), "%s", {Msg}, {TypeKind::String});
    startDeadBlock();
    return B.getInt64(0);
  }
  case BuiltinID::Pid:
    return B.CreateLShr(B.createHelperCall(BPFHelper::GetCurrentPidTgid, I64, {}),
                        32, "pid");
  case BuiltinID::Tid:
    return B.CreateAnd(B.createHelperCall(BPFHelper::GetCurrentPidTgid, I64, {}),
                       0xffffffff, "tid");
  case BuiltinID::Uid:
    return B.CreateAnd(B.createHelperCall(BPFHelper::GetCurrentUidGid, I64, {}),
                       0xffffffff, "uid");
  case BuiltinID::Gid:
    return B.CreateLShr(B.createHelperCall(BPFHelper::GetCurrentUidGid, I64, {}),
                        32, "gid");
  case BuiltinID::Cpu:
    return B.CreateZExt(B.createHelperCall(BPFHelper::GetSmpProcessorId,
                                           B.getInt32Ty(), {}),
                        I64, "cpu");
  case BuiltinID::Execname: {
    Value *Slot = allocStringSlot();
    B.createHelperCall(BPFHelper::GetCurrentComm, I64,
                       {Slot, B.getInt32(16)});
    return Slot;
  }
  case BuiltinID::Target:
    return B.CreateLoad(I64, CGM.getTargetPidVar(), true, "target");
  case BuiltinID::Pp:
    return CGM.getStringConstant(Probe.PP);
  case BuiltinID::KtimeGetNs:
    return B.createHelperCall(BPFHelper::KtimeGetNs, I64, {});
  case BuiltinID::GettimeofdayNs:
  case BuiltinID::GettimeofdayUs:
  case BuiltinID::GettimeofdayMs:
  case BuiltinID::GettimeofdayS: {
    // bpf_ktime_get_tai_ns (Linux 6.1+): wall-clock time; TAI equals UTC
    // unless the system's TAI offset was set (docs/Semantics.md).
    Value *Ns = B.createHelperCall(BPFHelper::KtimeGetTaiNs, I64, {}, "tai");
    uint64_t Div = ID == BuiltinID::GettimeofdayNs   ? 1
                   : ID == BuiltinID::GettimeofdayUs ? 1000
                   : ID == BuiltinID::GettimeofdayMs ? 1000000
                                                     : 1000000000;
    return Div == 1 ? Ns : B.CreateUDiv(Ns, B.getInt64(Div));
  }
  case BuiltinID::TaskCurrent:
    return B.createHelperCall(BPFHelper::GetCurrentTask, I64, {}, "task");
  case BuiltinID::Jiffies:
    return B.createHelperCall(BPFHelper::Jiffies64, I64, {}, "jiffies");
  case BuiltinID::GetCycles:
    // BPF cannot read the cycle counter; a free-running nanosecond
    // counter serves the same use (differences on one CPU).
    return B.createHelperCall(BPFHelper::KtimeGetNs, I64, {}, "cycles");
  case BuiltinID::Symname:
  case BuiltinID::Symdata:
  case BuiltinID::Backtrace:
  case BuiltinID::Ubacktrace:
  case BuiltinID::PrintBacktrace:
  case BuiltinID::PrintUbacktrace:
  case BuiltinID::SprintBacktrace:
  case BuiltinID::SprintUbacktrace:
  case BuiltinID::PrintStack:
  case BuiltinID::PrintSyms:
  case BuiltinID::SprintStack:
  case BuiltinID::SprintSyms:
  case BuiltinID::PrintUstack:
  case BuiltinID::PrintUsyms:
  case BuiltinID::SprintUstack:
  case BuiltinID::SprintUsyms:
  case BuiltinID::Usymname:
  case BuiltinID::Usymdata:
    return emitSymbolBuiltin(E, ID);
  case BuiltinID::Ppfunc:
  case BuiltinID::Probefunc:
    return CGM.getStringConstant(functionOfProbePoint(Probe.PP));
  case BuiltinID::KernelString:
  case BuiltinID::KernelStringN:
  case BuiltinID::UserString:
  case BuiltinID::UserStringN:
    return emitReadString(E, ID);
  case BuiltinID::KernelLong:
  case BuiltinID::KernelInt:
  case BuiltinID::KernelShort:
  case BuiltinID::KernelChar:
  case BuiltinID::UserLong:
  case BuiltinID::UserInt:
  case BuiltinID::UserShort:
  case BuiltinID::UserChar:
    return emitReadInteger(E, ID);
  case BuiltinID::Strlen:
    return emitStrlen(emitExpr(E->getArgs()[0]));
  case BuiltinID::Substr:
  case BuiltinID::Stringat:
  case BuiltinID::Isdigit:
  case BuiltinID::Isinstr:
  case BuiltinID::Strpos:
  case BuiltinID::Strtol:
  case BuiltinID::StrReplace:
  case BuiltinID::Tokenize:
  case BuiltinID::TextStrn:
    return emitStringBuiltin(E, ID);
  case BuiltinID::Matched:
  case BuiltinID::MatchedStr:
  case BuiltinID::Ngroups:
    return emitMatchResult(E, ID);
  case BuiltinID::ProcfsSet:
  case BuiltinID::ProcfsAppend:
  case BuiltinID::ProcfsValue:
    return emitProcfsValue(E, ID);
  case BuiltinID::IntArg:
  case BuiltinID::UintArg:
  case BuiltinID::LongArg:
  case BuiltinID::UlongArg:
  case BuiltinID::LonglongArg:
  case BuiltinID::UlonglongArg:
  case BuiltinID::PointerArg:
  case BuiltinID::S32Arg:
  case BuiltinID::U32Arg:
  case BuiltinID::S64Arg:
  case BuiltinID::U64Arg:
    return emitRegisterArg(E, ID);
  case BuiltinID::Asmlinkage:
    // i386's regparm(0) functions; x86-64 has one calling convention.
    return B.getInt64(0);
  case BuiltinID::Returnval:
    return emitReturnval(E);
  case BuiltinID::UserMode:
    return emitUserMode();
  case BuiltinID::Addr:
    return emitAddr();
  case BuiltinID::TzGmtoff:
    return B.CreateLoad(I64, CGM.getLoaderLongVar(STAPC_TZ_GMTOFF_VAR), true,
                        "tz_gmtoff");
  case BuiltinID::TzName: {
    // Up to 8 bytes of name, NUL-padded by the loader; the slot adds a NUL.
    Value *Slot = allocStringSlot();
    B.CreateStore(B.CreateLoad(I64, CGM.getLoaderLongVar(STAPC_TZ_NAME_VAR),
                               true, "tz_name"),
                  Slot);
    B.CreateStore(B.getInt8(0), B.CreateConstInBoundsGEP1_64(B.getInt8Ty(), Slot, 8));
    return Slot;
  }
  case BuiltinID::Pid2task:
    return emitPid2Task(E);
  case BuiltinID::NumBuiltins:
    break;
  }
  llvm_unreachable("unknown builtin");
}

/// User functions are inlined: BPF-to-BPF calls cannot return strings or
/// leave the probe on an error, and stap forbids unbounded recursion.
Value *ProbeEmitter::emitUserCall(FunctionCall *E) {
  FunctionDecl *F = E->getCallee();
  for (const InlineFrame &Fr : Frames)
    if (Fr.Fn == F) {
      CGM.getDiags().error(E->getLoc(),
                           "recursive call of '" + F->getName() +
                               "': BPF programs cannot recurse; rewrite it "
                               "with a loop");
      return F->ReturnType == TypeKind::String ? CGM.getStringConstant("")
                                               : B.getInt64(0);
    }
  // Evaluate the arguments before binding them (they may read the same
  // parameters, as in f(f(x))).
  SmallVector<Value *, 4> Args;
  for (Expr *A : E->getArgs())
    Args.push_back(emitExpr(A));
  size_t FnIndex = 0;
  const Program &Prog = CGM.getProgram();
  while (FnIndex < Prog.Functions.size() && Prog.Functions[FnIndex] != F)
    ++FnIndex;

  // Parameters and locals start fresh at every call.
  Frames.push_back({F, Home(), nullptr, Loops.size()});
  initLocals(Prog.FunctionLocals[FnIndex]);
  const std::vector<VarDecl *> &Params = Prog.FunctionParams[FnIndex];
  for (size_t I = 0; I < Params.size() && I < Args.size(); ++I) {
    const VarDecl *PV = Params[I];
    Value *Slot = getLocal(PV);
    if (PV->Ty == TypeKind::String)
      copyString(Slot, Args[I]);
    else
      B.CreateStore(Args[I], Slot);
  }
  LLVMContext &C = B.getContext();
  BasicBlock *Return = BasicBlock::Create(C, ("ret." + F->getName()).str(), Fn);
  Home Result;
  // Formatted-later values are longs in BPF.
  bool LongResult = F->ReturnType == TypeKind::Long ||
                    isFormattedLater(F->ReturnType);
  if (F->ReturnType == TypeKind::String || LongResult) {
    Result = allocHome(F->ReturnType, "retval");
    if (F->ReturnType == TypeKind::String)
      B.CreateStore(B.getInt8(0), addressOf(Result));
    else
      B.CreateStore(B.getInt64(0), addressOf(Result));
  }
  Frames.back().Return = Return;
  Frames.back().Result = Result;
  emitStmt(F->Body); // may push and pop nested frames
  B.CreateBr(Return);
  B.SetInsertPoint(Return);
  Frames.pop_back();
  if (LongResult)
    return B.CreateLoad(B.getInt64Ty(), addressOf(Result));
  if (F->ReturnType == TypeKind::String)
    return addressOf(Result);
  return B.getInt64(0);
}

/// kernel_string(addr), user_string_n(addr, n)...: copy a NUL-terminated
/// string out of kernel or user memory; a fault is a runtime error.
Value *ProbeEmitter::emitReadString(FunctionCall *E, BuiltinID ID) {
  bool User = ID == BuiltinID::UserString || ID == BuiltinID::UserStringN;
  bool Bounded = ID == BuiltinID::KernelStringN || ID == BuiltinID::UserStringN;
  unsigned Max = CGM.getOptions().MaxStringLen;
  Value *Addr = B.CreateIntToPtr(emitExpr(E->getArgs()[0]), B.getPtrTy());
  Value *Size = B.getInt32(Max);
  if (Bounded) {
    // n characters plus the NUL, clamped to [1, MAXSTRINGLEN].
    Value *N = B.CreateAdd(emitExpr(E->getArgs()[1]), B.getInt64(1));
    N = B.CreateSelect(B.CreateICmpSLT(N, B.getInt64(1)), B.getInt64(1), N);
    N = B.CreateSelect(B.CreateICmpSGT(N, B.getInt64(Max)), B.getInt64(Max), N);
    Size = B.CreateTrunc(N, B.getInt32Ty());
  }
  setLoc(E->getLoc());
  Value *Slot = allocStringSlot();
  B.CreateStore(B.getInt8(0), Slot);
  Value *Err = B.createHelperCall(User ? BPFHelper::ProbeReadUserStr
                                       : BPFHelper::ProbeReadKernelStr,
                                  B.getInt64Ty(), {Slot, Size, Addr}, "rdstr");
  exitIf(B.CreateICmpSLT(Err, B.getInt64(0)), E->getLoc(),
         (Twine(User ? "user" : "kernel") + " string copy fault in '" +
          E->getName() + "'")
             .str());
  return Slot;
}

/// kernel_long/int/short/char and the user_ variants: sign-extended reads.
Value *ProbeEmitter::emitReadInteger(FunctionCall *E, BuiltinID ID) {
  unsigned Size;
  bool User = false;
  switch (ID) {
  case BuiltinID::UserLong: User = true; [[fallthrough]];
  case BuiltinID::KernelLong: Size = 8; break;
  case BuiltinID::UserInt: User = true; [[fallthrough]];
  case BuiltinID::KernelInt: Size = 4; break;
  case BuiltinID::UserShort: User = true; [[fallthrough]];
  case BuiltinID::KernelShort: Size = 2; break;
  case BuiltinID::UserChar: User = true; [[fallthrough]];
  default: Size = 1; break;
  }
  Value *Addr = B.CreateIntToPtr(emitExpr(E->getArgs()[0]), B.getPtrTy());
  setLoc(E->getLoc());
  Value *Tmp = B.createEntryAlloca(B.getInt64Ty(), "mem");
  B.CreateStore(B.getInt64(0), Tmp);
  Value *Err = B.createHelperCall(User ? BPFHelper::ProbeReadUser
                                       : BPFHelper::ProbeReadKernel,
                                  B.getInt64Ty(), {Tmp, B.getInt32(Size), Addr},
                                  "rd");
  exitIf(B.CreateICmpSLT(Err, B.getInt64(0)), E->getLoc(),
         (Twine(User ? "user" : "kernel") + " read fault in '" + E->getName() +
          "'")
             .str());
  Value *V = B.CreateLoad(B.getInt64Ty(), Tmp);
  if (Size < 8) {
    unsigned Bits = 64 - Size * 8;
    V = B.CreateAShr(B.CreateShl(V, Bits), Bits);
  }
  return V;
}
