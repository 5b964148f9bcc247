//===- BTFDIBuilder.cpp - Converting BTF types to LLVM debug info ---------===//
//
// Each BTF kind maps onto the DI node clang would emit for the same C type,
// so that the BPF backend's BTF writer reproduces the kernel's type (same
// names, sizes, member offsets, bitfield flags) in the object's .BTF.
//
//===----------------------------------------------------------------------===//

#include "stapc/BTF/BTFDIBuilder.h"

#include "llvm/ADT/APSInt.h"
#include "llvm/BinaryFormat/Dwarf.h"
#include "llvm/IR/Module.h"

#include <bpf/btf.h>

using namespace llvm;

namespace stapc {

/// What the BPF target uses; only needed when the module has no layout yet.
static constexpr const char *BPFDataLayout = "e-m:e-p:64:64-i64:64-i128:128-n32:64-S128";

static DataLayout layoutFor(const Module &M) {
  if (M.getDataLayoutStr().empty())
    return DataLayout(BPFDataLayout);
  return M.getDataLayout();
}

BTFDIBuilder::BTFDIBuilder(const KernelBTF &K, Module &M, DIBuilder &DIB,
                           DIFile *File)
    : K(K), DIB(DIB), File(File), Ctx(M.getContext()), DL(layoutFor(M)) {}

uint64_t BTFDIBuilder::sizeInBits(uint32_t Id) const {
  __s64 Size = btf__resolve_size(K.raw(), Id);
  return Size > 0 ? uint64_t(Size) * 8 : 0;
}

DIType *BTFDIBuilder::getDIType(uint32_t Id) { return convert(Id, false); }

DIType *BTFDIBuilder::getDeclaredDIType(uint32_t Id) {
  return convert(Id, true);
}

DIType *BTFDIBuilder::convert(uint32_t Id, bool Declared) {
  if (Id == 0)
    return nullptr; // void
  // An expanded type serves declared uses too, as it does in clang.
  if (DIType *T = FullTypes.lookup(Id))
    return T;
  if (Declared)
    if (DIType *T = DeclaredTypes.lookup(Id))
      return T;
  DIType *T = convertUncached(Id, Declared);
  // Records register themselves before converting their members (so that
  // self-references resolve); don't overwrite that entry.
  auto &Cache = Declared ? DeclaredTypes : FullTypes;
  Cache.try_emplace(Id, T);
  return T;
}

DIType *BTFDIBuilder::convertUncached(uint32_t Id, bool Declared) {
  const struct btf_type *T = K.typeById(Id);
  if (!T)
    return nullptr;
  StringRef Name = K.nameOf(Id);
  switch (btf_kind(T)) {
  case BTF_KIND_INT:
    return convertInt(Id);
  case BTF_KIND_FLOAT:
    return DIB.createBasicType(Name, T->size * 8, dwarf::DW_ATE_float);
  case BTF_KIND_ENUM:
  case BTF_KIND_ENUM64:
    return convertEnum(Id);
  case BTF_KIND_PTR:
    // The pointee only needs a name: expand it only if someone else did.
    return DIB.createPointerType(convert(T->type, /*Declared=*/true), 64);
  case BTF_KIND_TYPEDEF:
    return DIB.createTypedef(convert(T->type, Declared), Name, File, 0, File);
  case BTF_KIND_CONST:
    return DIB.createQualifiedType(dwarf::DW_TAG_const_type,
                                   convert(T->type, Declared));
  case BTF_KIND_VOLATILE:
    return DIB.createQualifiedType(dwarf::DW_TAG_volatile_type,
                                   convert(T->type, Declared));
  case BTF_KIND_RESTRICT:
    return DIB.createQualifiedType(dwarf::DW_TAG_restrict_type,
                                   convert(T->type, Declared));
  case BTF_KIND_TYPE_TAG:
    // Tags (__user, __rcu) don't change layout; drop them.
    return convert(T->type, Declared);
  case BTF_KIND_ARRAY:
    return convertArray(Id);
  case BTF_KIND_FUNC_PROTO:
    return convertFuncProto(Id);
  case BTF_KIND_STRUCT:
  case BTF_KIND_UNION:
    // Anonymous records have no name to match a declaration by.
    if (Declared && !Name.empty())
      return convertForward(Id);
    return convertRecord(Id);
  case BTF_KIND_FWD:
    return convertForward(Id);
  default:
    // FUNC, VAR, DATASEC, DECL_TAG are not value types.
    return nullptr;
  }
}

DIType *BTFDIBuilder::convertInt(uint32_t Id) {
  const struct btf_type *T = K.typeById(Id);
  StringRef Name = K.nameOf(Id);
  unsigned Enc = btf_int_encoding(T);
  unsigned Dwarf;
  if (Enc & BTF_INT_BOOL)
    Dwarf = dwarf::DW_ATE_boolean;
  else if (T->size == 1 && Name.contains("char"))
    Dwarf = (Enc & BTF_INT_SIGNED) ? dwarf::DW_ATE_signed_char
                                   : dwarf::DW_ATE_unsigned_char;
  else
    Dwarf = (Enc & BTF_INT_SIGNED) ? dwarf::DW_ATE_signed
                                   : dwarf::DW_ATE_unsigned;
  return DIB.createBasicType(Name, T->size * 8, Dwarf);
}

DIType *BTFDIBuilder::convertEnum(uint32_t Id) {
  const struct btf_type *T = K.typeById(Id);
  bool IsSigned = btf_kflag(T);
  SmallVector<Metadata *, 16> Enumerators;
  for (unsigned I = 0, E = btf_vlen(T); I < E; ++I) {
    const char *N;
    uint64_t Value;
    if (btf_is_enum(T)) {
      const struct btf_enum *En = btf_enum(T) + I;
      N = btf__name_by_offset(K.raw(), En->name_off);
      Value = IsSigned ? uint64_t(int64_t(En->val)) : uint64_t(uint32_t(En->val));
    } else {
      const struct btf_enum64 *En = btf_enum64(T) + I;
      N = btf__name_by_offset(K.raw(), En->name_off);
      Value = btf_enum64_value(En);
    }
    Enumerators.push_back(
        DIB.createEnumerator(N ? N : "", APSInt(APInt(64, Value), !IsSigned)));
  }
  // The underlying type carries the signedness BTF's kflag records.
  unsigned Bits = T->size * 8;
  DIType *Underlying = DIB.createBasicType(
      IsSigned ? "int" : "unsigned int", Bits,
      IsSigned ? dwarf::DW_ATE_signed : dwarf::DW_ATE_unsigned);
  return DIB.createEnumerationType(File, K.nameOf(Id), File, 0, Bits, 0,
                                   DIB.getOrCreateArray(Enumerators),
                                   Underlying);
}

DIType *BTFDIBuilder::convertArray(uint32_t Id) {
  const struct btf_array *A = btf_array(K.typeById(Id));
  // Array elements are laid out by value: they must be complete.
  DIType *Elem = convert(A->type, /*Declared=*/false);
  Metadata *Range = DIB.getOrCreateSubrange(0, int64_t(A->nelems));
  return DIB.createArrayType(sizeInBits(Id), 0, Elem,
                             DIB.getOrCreateArray({Range}));
}

DIType *BTFDIBuilder::convertFuncProto(uint32_t Id) {
  const struct btf_type *T = K.typeById(Id);
  SmallVector<Metadata *, 8> Types;
  Types.push_back(convert(T->type, /*Declared=*/true)); // return, null = void
  const struct btf_param *P = btf_params(T);
  for (unsigned I = 0, E = btf_vlen(T); I < E; ++I)
    // A trailing void parameter means `...`; DI spells that as null too.
    Types.push_back(convert(P[I].type, /*Declared=*/true));
  return DIB.createSubroutineType(DIB.getOrCreateTypeArray(Types));
}

DIType *BTFDIBuilder::convertForward(uint32_t Id) {
  const struct btf_type *T = K.typeById(Id);
  bool IsUnion = btf_is_union(T) || (btf_is_fwd(T) && btf_kflag(T));
  return DIB.createForwardDecl(IsUnion ? dwarf::DW_TAG_union_type
                                       : dwarf::DW_TAG_structure_type,
                               K.nameOf(Id), File, File, 0);
}

DIType *BTFDIBuilder::convertRecord(uint32_t Id) {
  const struct btf_type *T = K.typeById(Id);
  bool IsUnion = btf_is_union(T);
  // Register a distinct placeholder first, like clang: members that point
  // back at this record then find it in the cache.
  DICompositeType *Record = DIB.createReplaceableCompositeType(
      IsUnion ? dwarf::DW_TAG_union_type : dwarf::DW_TAG_structure_type,
      K.nameOf(Id), File, File, 0, 0, uint64_t(T->size) * 8, 0,
      DINode::FlagZero);
  Record = MDNode::replaceWithDistinct(TempDICompositeType(Record));
  FullTypes[Id] = Record;

  SmallVector<Metadata *, 16> Members;
  const struct btf_member *M = btf_members(T);
  for (unsigned I = 0, E = btf_vlen(T); I < E; ++I, ++M) {
    const char *MN = btf__name_by_offset(K.raw(), M->name_off);
    StringRef MemberName = MN ? MN : "";
    DIType *MemberTy = convert(M->type, /*Declared=*/false);
    uint64_t Offset = btf_member_bit_offset(T, I);
    if (uint32_t BitSize = btf_member_bitfield_size(T, I)) {
      // Storage unit: the underlying integer's size, aligned down, as
      // clang records it in the member's extraData.
      uint64_t Unit = sizeInBits(M->type);
      uint64_t StorageOffset = Unit ? Offset / Unit * Unit : Offset;
      Members.push_back(DIB.createBitFieldMemberType(
          Record, MemberName, File, 0, BitSize, Offset, StorageOffset,
          DINode::FlagZero, MemberTy));
      continue;
    }
    Members.push_back(DIB.createMemberType(Record, MemberName, File, 0,
                                           sizeInBits(M->type), 0, Offset,
                                           DINode::FlagZero, MemberTy));
  }
  DIB.replaceArrays(Record, DIB.getOrCreateArray(Members));
  FullTypes[Id] = Record;
  return Record;
}

} // namespace stapc
