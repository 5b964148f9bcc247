//===- BTFDIBuilderTest.cpp - DI types and LLVM layouts from BTF ----------===//

#include "stapc/BTF/BTFDIBuilder.h"

#include "llvm/IR/Module.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Support/FileSystem.h"

#include <bpf/btf.h>

#include "gtest/gtest.h"

using namespace stapc;
using namespace llvm;

namespace {

static constexpr const char *BPFLayout =
    "e-m:e-p:64:64-i64:64-i128:128-n32:64-S128";

class BTFDIBuilderTest : public ::testing::Test {
protected:
  void open(const char *Path) {
    auto Opened = KernelBTF::open(Path);
    ASSERT_TRUE(bool(Opened)) << toString(Opened.takeError());
    K = std::move(*Opened);
    M = std::make_unique<Module>("t", Ctx);
    M->setDataLayout(BPFLayout);
    M->setTargetTriple("bpfel");
    DIB = std::make_unique<DIBuilder>(*M);
    File = DIB->createFile("t.stp", "/");
    DIB->createCompileUnit(dwarf::DW_LANG_C11, File, "stapc", true, "", 0);
    DB = std::make_unique<BTFDIBuilder>(*K, *M, *DIB, File);
  }
  void SetUp() override { open(STAPC_BTF_FIXTURE); }
  uint32_t type(StringRef Name) { return cantFail(K->findType(Name)); }

  /// Checks that the LLVM layout of struct \p Id puts every non-bitfield
  /// member at its BTF offset and has the BTF size.
  void checkLayout(uint32_t Id) {
    const struct btf_type *T = K->typeById(Id);
    auto *ST = cast<StructType>(DB->getLLVMType(Id));
    const DataLayout &DL = M->getDataLayout();
    const StructLayout *SL = DL.getStructLayout(ST);
    ASSERT_EQ(SL->getSizeInBytes(), T->size) << K->typeName(Id);
    for (unsigned I = 0, E = btf_vlen(T); I < E; ++I) {
      uint64_t Bits = btf_member_bit_offset(T, I);
      unsigned Field = DB->getGEPIndex(Id, I);
      ASSERT_LT(Field, ST->getNumElements());
      uint64_t FieldOff = SL->getElementOffset(Field) * 8;
      if (btf_member_bitfield_size(T, I) || Bits % 8)
        EXPECT_LE(FieldOff, Bits) << K->typeName(Id) << " member " << I;
      else
        EXPECT_EQ(FieldOff, Bits) << K->typeName(Id) << " member " << I;
    }
  }

  LLVMContext Ctx;
  std::unique_ptr<KernelBTF> K;
  std::unique_ptr<Module> M;
  std::unique_ptr<DIBuilder> DIB;
  DIFile *File = nullptr;
  std::unique_ptr<BTFDIBuilder> DB;
};

TEST_F(BTFDIBuilderTest, StructMembersKeepKernelOffsets) {
  auto *Task = dyn_cast<DICompositeType>(DB->getDIType(type("task_struct")));
  ASSERT_TRUE(Task);
  EXPECT_EQ(Task->getName(), "task_struct");
  EXPECT_EQ(Task->getSizeInBits(), 112u * 8);
  DINodeArray Elems = Task->getElements();
  ASSERT_EQ(Elems.size(), 17u);
  auto *Pid = cast<DIDerivedType>(Elems[8]);
  EXPECT_EQ(Pid->getName(), "pid");
  EXPECT_EQ(Pid->getOffsetInBits(), 256u);
  EXPECT_EQ(Pid->getSizeInBits(), 32u);
  auto *Bit = cast<DIDerivedType>(Elems[5]);
  EXPECT_TRUE(Bit->isBitField());
  EXPECT_EQ(Bit->getSizeInBits(), 1u);
  EXPECT_EQ(Bit->getOffsetInBits(), 130u);
  // Cached by id.
  EXPECT_EQ(DB->getDIType(type("task_struct")), Task);
}

TEST_F(BTFDIBuilderTest, PointerTargetsAreDeclarations) {
  auto *Task = cast<DICompositeType>(DB->getDIType(type("task_struct")));
  auto *MM = cast<DIDerivedType>(Task->getElements()[7]);
  auto *Ptr = cast<DIDerivedType>(MM->getBaseType());
  ASSERT_EQ(Ptr->getTag(), dwarf::DW_TAG_pointer_type);
  auto *Target = cast<DICompositeType>(Ptr->getBaseType());
  EXPECT_EQ(Target->getName(), "mm_struct");
  EXPECT_TRUE(Target->isForwardDecl());
  // A pointer back to the struct being expanded uses the full type.
  auto *Parent = cast<DIDerivedType>(Task->getElements()[10]);
  EXPECT_EQ(cast<DIDerivedType>(Parent->getBaseType())->getBaseType(), Task);
}

TEST_F(BTFDIBuilderTest, BaseTypesAndEnums) {
  auto *Char = cast<DIBasicType>(DB->getDIType(type("char")));
  EXPECT_EQ(Char->getEncoding(), dwarf::DW_ATE_signed_char);
  auto *Bool = cast<DIBasicType>(DB->getDIType(K->strip(type("bool"))));
  EXPECT_EQ(Bool->getEncoding(), dwarf::DW_ATE_boolean);
  auto *Mode = cast<DICompositeType>(DB->getDIType(type("enum hrtimer_mode")));
  EXPECT_EQ(Mode->getTag(), dwarf::DW_TAG_enumeration_type);
  EXPECT_EQ(Mode->getElements().size(), 4u);
  auto *Typedef = cast<DIDerivedType>(DB->getDIType(type("ktime_t")));
  EXPECT_EQ(Typedef->getTag(), dwarf::DW_TAG_typedef);
  EXPECT_EQ(Typedef->getName(), "ktime_t");
}

TEST_F(BTFDIBuilderTest, FixtureLayoutsMatchBTF) {
  for (uint32_t Id = 1; Id < K->numTypes(); ++Id)
    if (btf_is_struct(K->typeById(Id)))
      checkLayout(Id);
}

TEST_F(BTFDIBuilderTest, AccessChainVerifies) {
  Type *PtrTy = PointerType::get(Ctx, 0);
  Function *F = Function::Create(FunctionType::get(PtrTy, {PtrTy}, false),
                                 Function::ExternalLinkage, "f", *M);
  IRBuilder<> B(BasicBlock::Create(Ctx, "entry", F));
  MemberPath P = cantFail(K->findMember(type("task_struct"), "in_execve"));
  FieldAddress FA = DB->emitMemberAddress(B, F->getArg(0), P);
  EXPECT_EQ(FA.BitfieldSize, 1u);
  Value *Off = DB->emitFieldInfo(B, FA.Addr, FieldInfoKind::ByteOffset);
  EXPECT_TRUE(Off->getType()->isIntegerTy(32));
  MemberPath Comm = cantFail(K->findMember(type("task_struct"), "comm"));
  FieldAddress CA = DB->emitMemberAddress(B, F->getArg(0), Comm);
  B.CreateRet(DB->emitArrayElementAddress(B, CA.Addr, CA.TypeId, 2));
  DIB->finalize();
  std::string Err;
  raw_string_ostream OS(Err);
  EXPECT_FALSE(verifyModule(*M, &OS)) << Err;
}

// Every struct of the running kernel gets a faithful LLVM layout.
TEST_F(BTFDIBuilderTest, HostLayoutsMatchBTF) {
  if (!sys::fs::exists("/sys/kernel/btf/vmlinux"))
    GTEST_SKIP() << "no /sys/kernel/btf/vmlinux";
  open("");
  unsigned Checked = 0;
  for (uint32_t Id = 1; Id < K->numTypes(); ++Id)
    if (btf_is_struct(K->typeById(Id))) {
      checkLayout(Id);
      ++Checked;
      if (HasFailure())
        return;
    }
  EXPECT_GT(Checked, 1000u);
}

} // namespace
