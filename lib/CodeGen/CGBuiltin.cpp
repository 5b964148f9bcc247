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
  case BuiltinID::Exit:
    // Stop event probes first, then tell the loader; the handler goes on.
    B.CreateStore(B.getInt32(1), CGM.getExitingVar(), true);
    emitRecord(STAPC_REC_EXIT, 0, {}, {});
    return B.getInt64(0);
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
  Frames.push_back({F, nullptr, nullptr, Loops.size()});
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
  InlineFrame &Fr = Frames.back();
  Fr.Return = BasicBlock::Create(C, ("ret." + F->getName()).str(), Fn);
  if (F->ReturnType == TypeKind::String) {
    Fr.Result = allocStringSlot();
    B.CreateStore(B.getInt8(0), Fr.Result);
  } else if (F->ReturnType == TypeKind::Long) {
    Fr.Result = B.createEntryAlloca(B.getInt64Ty(), "retval");
    B.CreateStore(B.getInt64(0), Fr.Result);
  }
  emitStmt(F->Body);
  B.CreateBr(Fr.Return);
  B.SetInsertPoint(Fr.Return);
  Value *Result = Fr.Result;
  Frames.pop_back();
  if (F->ReturnType == TypeKind::Long)
    return B.CreateLoad(B.getInt64Ty(), Result);
  if (F->ReturnType == TypeKind::String)
    return Result;
  return B.getInt64(0);
}
