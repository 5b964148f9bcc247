//===- ObjectEmitter.cpp - LLVM's BPF backend, in process -----------------===//
#include "stapc/CodeGen/CodeGen.h"

#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"

using namespace stapc;
using namespace llvm;

extern "C" void LLVMInitializeBPFTargetInfo();
extern "C" void LLVMInitializeBPFTarget();
extern "C" void LLVMInitializeBPFTargetMC();
extern "C" void LLVMInitializeBPFAsmPrinter();

static Expected<std::unique_ptr<TargetMachine>> createBPFTargetMachine() {
  static bool Initialized = [] {
    LLVMInitializeBPFTargetInfo();
    LLVMInitializeBPFTarget();
    LLVMInitializeBPFTargetMC();
    LLVMInitializeBPFAsmPrinter();
    return true;
  }();
  (void)Initialized;
  std::string Error;
  const char *Triple = "bpfel";
  const Target *T = TargetRegistry::lookupTarget(Triple, Error);
  if (!T)
    return createStringError(inconvertibleErrorCode(),
                             "BPF target unavailable: " + Error);
  TargetOptions Opts;
  // cpu v3: 32-bit jumps and ALU, atomics with fetch (Linux 5.12+); the
  // oldest kernel we support is 6.1.
  std::unique_ptr<TargetMachine> TM(T->createTargetMachine(
      Triple, "v3", "", Opts, Reloc::PIC_, std::nullopt, CodeGenOptLevel::Default));
  return std::move(TM);
}

static void optimize(Module &M, TargetMachine &TM) {
  LoopAnalysisManager LAM;
  FunctionAnalysisManager FAM;
  CGSCCAnalysisManager CGAM;
  ModuleAnalysisManager MAM;
  // Constructed with the target machine, the PassBuilder adds the BPF
  // target's IR passes (CO-RE access lowering, peepholes that keep the
  // verifier happy) to the pipeline.
  PassBuilder PB(&TM);
  PB.registerModuleAnalyses(MAM);
  PB.registerCGSCCAnalyses(CGAM);
  PB.registerFunctionAnalyses(FAM);
  PB.registerLoopAnalyses(LAM);
  PB.crossRegisterProxies(LAM, FAM, CGAM, MAM);
  ModulePassManager MPM = PB.buildPerModuleDefaultPipeline(OptimizationLevel::O2);
  MPM.run(M, MAM);
}

StringRef stapc::bpfDataLayout() {
  return "e-m:e-p:64:64-i64:64-i128:128-n32:64-S128";
}

Error stapc::optimizeForBPF(Module &M) {
  auto TM = createBPFTargetMachine();
  if (!TM)
    return TM.takeError();
  M.setDataLayout((*TM)->createDataLayout());
  optimize(M, **TM);
  return Error::success();
}

Error stapc::emitBPF(Module &M, raw_pwrite_stream &OS, OutputKind Kind) {
  auto TM = createBPFTargetMachine();
  if (!TM)
    return TM.takeError();
  M.setDataLayout((*TM)->createDataLayout());
  optimize(M, **TM);
  legacy::PassManager PM;
  auto FileType = Kind == OutputKind::Object ? CodeGenFileType::ObjectFile
                                             : CodeGenFileType::AssemblyFile;
  if ((*TM)->addPassesToEmitFile(PM, OS, nullptr, FileType))
    return createStringError(inconvertibleErrorCode(),
                             "the BPF target cannot emit this file type");
  PM.run(M);
  return Error::success();
}
