//===- BTFDIBuilder.h - BTF types as LLVM debug info for CO-RE --*- C++ -*-===//
//
// The BPF backend turns `llvm.preserve.{struct,union,array}.access.index`
// calls into CO-RE field relocations (.BTF.ext), and writes the accessed
// types into the object's .BTF from the DI types the calls point at through
// `!llvm.preserve.access.index`. libbpf then matches those local types
// against the running kernel's by name and member name. So the DI types must
// carry the kernel's names, member offsets and sizes; BTFDIBuilder makes
// them from KernelBTF type ids, and emits access chains shaped exactly like
// clang's `__builtin_preserve_access_index(&p->a.b[2])`:
//
//   BTFDIBuilder DB(K, M, DIB, File);             // DIB: the module's builder
//   MemberPath P = cantFail(K.findMember(TaskId, "pid"));
//   FieldAddress F = DB.emitMemberAddress(B, TaskPtr, P);
//   // ... bpf_probe_read_kernel(&tmp, size(F.TypeId), F.Addr)
//
// Only what is accessed is expanded: the base struct of an access and the
// aggregates embedded in it by value get full member lists, while structs
// reached only through pointers become forward declarations, which keeps the
// emitted BTF small. DI and LLVM types are cached by type id.
//
// What the module needs for the relocations to reach the object (see
// tools/stapc-btf-test/CoreCommand.cpp for a complete example):
//  - a DICompileUnit made by the same DIBuilder, module flags "Debug Info
//    Version" and "Dwarf Version", DIB.finalize() before codegen;
//  - a DISubprogram on every function with accesses (BTFDebug skips
//    functions without one), with named parameters
//    (createParameterVariable(..., AlwaysPreserve=true)): the kernel
//    rejects program BTF whose FUNC has unnamed arguments;
//  - a BPF data layout (struct layouts fall back to BPF's if it is empty);
//  - the new-PM pipeline built by PassBuilder(&BPFTargetMachine)
//    (buildPerModuleDefaultPipeline or buildO0DefaultPipeline) before
//    codegen: BPFAbstractMemberAccess, which turns the intrinsics into
//    relocations, is registered only as a pipeline-start callback, not in
//    TargetMachine::addPassesToEmitFile.
//
//===----------------------------------------------------------------------===//
#ifndef STAPC_BTF_BTFDIBUILDER_H
#define STAPC_BTF_BTFDIBUILDER_H

#include "stapc/BTF/KernelBTF.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/IR/DIBuilder.h"
#include "llvm/IR/DataLayout.h"
#include "llvm/IR/IRBuilder.h"

namespace stapc {

/// Kinds for llvm.bpf.preserve.field.info (libbpf's enum bpf_field_info_kind).
enum class FieldInfoKind : uint64_t {
  ByteOffset = 0,
  ByteSize = 1,
  Exists = 2,
  Signed = 3,
  LShiftU64 = 4,
  RShiftU64 = 5,
};

/// The result of a CO-RE member access.
struct FieldAddress {
  /// Address of the member. For a bitfield: of the storage unit the BPF
  /// backend picks (see emitFieldInfo to extract the bits portably).
  llvm::Value *Addr = nullptr;
  uint32_t TypeId = 0;       ///< The member's BTF type (unstripped).
  uint32_t BitfieldSize = 0; ///< Nonzero for bitfields.
};

class BTFDIBuilder {
public:
  /// \p DIB must build debug info for \p M; \p File is the file and scope
  /// given to the types made here.
  BTFDIBuilder(const KernelBTF &K, llvm::Module &M, llvm::DIBuilder &DIB,
               llvm::DIFile *File);

  const KernelBTF &btf() const { return K; }

  /// The DI type of \p Id, structs and unions expanded with their members.
  /// Pointers inside lead to forward declarations unless the target was
  /// already expanded.
  llvm::DIType *getDIType(uint32_t Id);
  /// Like getDIType but a named struct/union (through typedefs and
  /// qualifiers) becomes a forward declaration: for pointer targets.
  llvm::DIType *getDeclaredDIType(uint32_t Id);

  /// The in-memory LLVM type of \p Id (the `elementtype` of the access
  /// intrinsics): iN, ptr, [N x T], or a struct laid out at BTF offsets.
  llvm::Type *getLLVMType(uint32_t Id);
  /// The LLVM struct field index holding BTF member \p MemberIndex of struct
  /// \p StructId (bitfields share their storage unit's index).
  unsigned getGEPIndex(uint32_t StructId, unsigned MemberIndex);

  /// Emits the preserve-access chain for \p Path starting at \p Base, a
  /// pointer to Path.Steps[0].ParentId. Never fails for a path KernelBTF
  /// built.
  FieldAddress emitMemberAddress(llvm::IRBuilderBase &B, llvm::Value *Base,
                                 const MemberPath &Path);
  /// `&arr[Index]` for \p ArrayAddr pointing at an array of type
  /// \p ArrayTypeId (e.g. a FieldAddress of `comm`). \p Index must be a
  /// constant for CO-RE; use a plain GEP for variable indexes.
  llvm::Value *emitArrayElementAddress(llvm::IRBuilderBase &B,
                                       llvm::Value *ArrayAddr,
                                       uint32_t ArrayTypeId, unsigned Index);
  /// `__builtin_preserve_field_info(field, Kind)` on the address returned by
  /// emitMemberAddress: an i32 the loader patches to the running kernel's
  /// value. Bitfields: read ByteSize bytes at base + ByteOffset into a u64
  /// v, then `(v << LShiftU64) >> RShiftU64` (arithmetic shift if Signed).
  llvm::Value *emitFieldInfo(llvm::IRBuilderBase &B, llvm::Value *FieldAddr,
                             FieldInfoKind Kind);

private:
  llvm::DIType *convert(uint32_t Id, bool Declared);
  llvm::DIType *convertUncached(uint32_t Id, bool Declared);
  llvm::DIType *convertInt(uint32_t Id);
  llvm::DIType *convertEnum(uint32_t Id);
  llvm::DIType *convertArray(uint32_t Id);
  llvm::DIType *convertFuncProto(uint32_t Id);
  llvm::DIType *convertRecord(uint32_t Id);
  llvm::DIType *convertForward(uint32_t Id);
  llvm::Type *buildStructLLVMType(uint32_t Id);
  llvm::Type *buildUnionLLVMType(uint32_t Id);
  uint64_t sizeInBits(uint32_t Id) const;

  const KernelBTF &K;
  llvm::DIBuilder &DIB;
  llvm::DIFile *File;
  llvm::LLVMContext &Ctx;
  llvm::DataLayout DL;
  llvm::DenseMap<uint32_t, llvm::DIType *> FullTypes;
  llvm::DenseMap<uint32_t, llvm::DIType *> DeclaredTypes;
  llvm::DenseMap<uint32_t, llvm::Type *> LLVMTypes;
  /// Per struct id: LLVM field index of each BTF member.
  llvm::DenseMap<uint32_t, llvm::SmallVector<unsigned, 8>> GEPIndexes;
};

} // namespace stapc

#endif // STAPC_BTF_BTFDIBUILDER_H
