//===- CoreCommand.cpp - Compile CO-RE accesses to a BPF object -----------===//
//
// Builds one BPF function that reads each requested field with
// bpf_probe_read_kernel through a BTFDIBuilder access chain, then compiles
// it like clang does: the new pass manager pipeline with the BPF target's
// callbacks (that is where BPFAbstractMemberAccess turns the intrinsics into
// relocations) followed by the codegen pipeline.
//
//===----------------------------------------------------------------------===//

#include "stapc/BTF/BTFDIBuilder.h"
#include "stapc/CodeGen/CodeGen.h"
#include "stapc/BTF/KernelBTF.h"

#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Verifier.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"

using namespace llvm;
using namespace stapc;

extern cl::opt<std::string> OutputPath;
extern cl::opt<bool> EmitLLVM;

static constexpr uint64_t BPFFuncProbeReadKernel = 113;

static int coreFail(const Twine &Msg) {
  errs() << "stapc-btf-test: error: " << Msg << "\n";
  return 1;
}

/// Emits the address of ACCESS (`a.b[3].c`) from \p Base of type \p TypeId;
/// sets \p FieldType to the accessed field's type.
static Expected<Value *> emitAccess(BTFDIBuilder &DB, IRBuilderBase &B,
                                    Value *Base, uint32_t TypeId,
                                    StringRef Access, uint32_t &FieldType) {
  const KernelBTF &K = DB.btf();
  Value *Addr = Base;
  uint32_t Cur = TypeId;
  SmallVector<StringRef, 4> Parts;
  Access.split(Parts, '.');
  for (StringRef Part : Parts) {
    auto [Name, Index] = Part.split('[');
    Expected<MemberPath> P = K.findMember(Cur, Name);
    if (!P)
      return P.takeError();
    FieldAddress F = DB.emitMemberAddress(B, Addr, *P);
    Addr = F.Addr;
    Cur = F.TypeId;
    if (Index.empty())
      continue;
    unsigned I;
    if (Index.consume_back("]"), Index.getAsInteger(10, I))
      return createStringError(inconvertibleErrorCode(),
                               "bad index in '" + Part + "'");
    TypeInfo TI = K.describe(Cur);
    if (TI.Kind != BTFTypeKind::Array)
      return createStringError(inconvertibleErrorCode(),
                               "'" + Name + "' is not an array");
    Addr = DB.emitArrayElementAddress(B, Addr, Cur, I);
    Cur = TI.ElementId;
  }
  FieldType = Cur;
  return Addr;
}

int runCore(const KernelBTF &K, ArrayRef<std::string> A) {
  if (A.size() < 2)
    return coreFail("core: expected TYPE ACCESS...");
  Expected<uint32_t> TypeId = K.findType(A[0]);
  if (!TypeId)
    return coreFail(toString(TypeId.takeError()));
  LLVMContext Ctx;
  Module M("core-test", Ctx);
  M.setTargetTriple("bpfel");
  M.setDataLayout(bpfDataLayout());
  M.addModuleFlag(Module::Warning, "Dwarf Version", 5);
  M.addModuleFlag(Module::Warning, "Debug Info Version",
                  DEBUG_METADATA_VERSION);
  DIBuilder DIB(M);
  DIFile *File = DIB.createFile("core-test.stp", "/");
  DICompileUnit *CU = DIB.createCompileUnit(dwarf::DW_LANG_C11, File, "stapc",
                                            true, "", 0);
  BTFDIBuilder DB(K, M, DIB, File);

  // int probe(void *base): BTF relocations are only emitted for functions
  // that have a DISubprogram.
  Type *PtrTy = PointerType::get(Ctx, 0);
  Function *F = Function::Create(
      FunctionType::get(Type::getInt64Ty(Ctx), {PtrTy}, false),
      Function::ExternalLinkage, "probe", M);
  F->setSection("tracepoint/core_test");
  DIType *BaseDI = DB.getDIType(*TypeId);
  DIType *ArgDI = DIB.createPointerType(BaseDI, 64);
  DISubprogram *SP = DIB.createFunction(
      File, "probe", "", File, 1,
      DIB.createSubroutineType(DIB.getOrCreateTypeArray(
          {DIB.createBasicType("long", 64, dwarf::DW_ATE_signed), ArgDI})),
      1, DINode::FlagPrototyped, DISubprogram::SPFlagDefinition);
  // The kernel rejects a program's BTF whose FUNC has unnamed arguments;
  // BTF takes the names from the subprogram's retained parameters.
  DIB.createParameterVariable(SP, "base", 1, File, 1, ArgDI,
                              /*AlwaysPreserve=*/true);
  F->setSubprogram(SP);
  IRBuilder<> B(BasicBlock::Create(Ctx, "entry", F));
  B.SetCurrentDebugLocation(DILocation::get(Ctx, 1, 1, SP));

  FunctionType *ReadTy = FunctionType::get(
      Type::getInt64Ty(Ctx), {PtrTy, Type::getInt32Ty(Ctx), PtrTy}, false);
  Value *ReadFn = ConstantExpr::getIntToPtr(
      B.getInt64(BPFFuncProbeReadKernel), PtrTy);
  Value *Sum = B.getInt64(0);
  for (const std::string &Access : A.drop_front()) {
    uint32_t FieldType = 0;
    Expected<Value *> Addr = emitAccess(DB, B, F->getArg(0), *TypeId, Access,
                                        FieldType);
    if (!Addr)
      return coreFail(toString(Addr.takeError()));
    uint64_t Size = std::max<uint64_t>(1, K.describe(FieldType).Size);
    Value *Buf = B.CreateAlloca(ArrayType::get(B.getInt8Ty(), Size));
    B.CreateCall(ReadTy, ReadFn, {Buf, B.getInt32(Size), *Addr});
    Value *Byte = B.CreateLoad(B.getInt8Ty(), Buf);
    Sum = B.CreateAdd(Sum, B.CreateZExt(Byte, B.getInt64Ty()));
  }
  B.CreateRet(Sum);
  // bpf_probe_read_kernel is GPL-only: without this the kernel refuses the
  // program in load tests.
  auto *License = new GlobalVariable(
      M, ArrayType::get(B.getInt8Ty(), 4), true, GlobalValue::ExternalLinkage,
      ConstantDataArray::getString(Ctx, "GPL"), "_license");
  License->setSection("license");
  (void)CU;
  DIB.finalize();
  if (verifyModule(M, &errs()))
    return coreFail("invalid module");

  if (EmitLLVM) {
    M.print(outs(), nullptr);
    return 0;
  }
  std::error_code EC;
  raw_fd_ostream Out(OutputPath, EC, sys::fs::OF_None);
  if (EC)
    return coreFail("cannot write '" + OutputPath + "': " + EC.message());
  // The compiler's own pipeline: what these tests prove is what stapc emits.
  if (Error E = emitBPF(M, Out, OutputKind::Object))
    return coreFail(toString(std::move(E)));
  return 0;
}
