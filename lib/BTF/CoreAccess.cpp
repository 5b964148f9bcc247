//===- CoreAccess.cpp - LLVM layouts and preserve-access chains -----------===//
//
// The access intrinsics need an `elementtype` for struct and array steps.
// The BPF backend computes CO-RE offsets from the DI types, but it takes a
// record's alignment from the elementtype (bitfield storage units depend on
// it) and lowers the calls to plain GEPs when it drops the relocation, so
// the LLVM struct must really have the BTF layout: members at their BTF byte
// offsets, bitfield runs merged into one storage field, like clang's
// CGRecordLayout.
//
//===----------------------------------------------------------------------===//

#include "stapc/BTF/BTFDIBuilder.h"

#include "llvm/IR/DerivedTypes.h"
#include "llvm/IR/IntrinsicsBPF.h"
#include "llvm/IR/Module.h"

#include <bpf/btf.h>

using namespace llvm;

namespace stapc {

/// An integer for sizes the target has, bytes otherwise.
static Type *bytesType(LLVMContext &Ctx, uint64_t Bytes) {
  if (Bytes == 1 || Bytes == 2 || Bytes == 4 || Bytes == 8)
    return IntegerType::get(Ctx, Bytes * 8);
  return ArrayType::get(Type::getInt8Ty(Ctx), Bytes);
}

Type *BTFDIBuilder::getLLVMType(uint32_t Id) {
  Id = K.strip(Id);
  if (Type *T = LLVMTypes.lookup(Id))
    return T;
  const struct btf_type *T = K.typeById(Id);
  Type *Result = Type::getInt8Ty(Ctx); // void, FWD, functions: opaque bytes
  if (T) {
    switch (btf_kind(T)) {
    case BTF_KIND_INT:
    case BTF_KIND_ENUM:
    case BTF_KIND_ENUM64:
      Result = bytesType(Ctx, T->size);
      break;
    case BTF_KIND_FLOAT:
      Result = T->size == 4   ? Type::getFloatTy(Ctx)
               : T->size == 8 ? Type::getDoubleTy(Ctx)
                              : bytesType(Ctx, T->size);
      break;
    case BTF_KIND_PTR:
      Result = PointerType::get(Ctx, 0);
      break;
    case BTF_KIND_ARRAY: {
      const struct btf_array *A = btf_array(T);
      Result = ArrayType::get(getLLVMType(A->type), A->nelems);
      break;
    }
    case BTF_KIND_STRUCT:
      Result = buildStructLLVMType(Id);
      break;
    case BTF_KIND_UNION:
      Result = buildUnionLLVMType(Id);
      break;
    default:
      break;
    }
  }
  LLVMTypes[Id] = Result;
  return Result;
}

/// A union is its most aligned member padded to the union's size, which is
/// how clang gives it the right alignment.
Type *BTFDIBuilder::buildUnionLLVMType(uint32_t Id) {
  const struct btf_type *T = K.typeById(Id);
  Type *Best = nullptr;
  const struct btf_member *M = btf_members(T);
  for (unsigned I = 0, E = btf_vlen(T); I < E; ++I, ++M) {
    if (btf_member_bitfield_size(T, I))
      continue;
    Type *MT = getLLVMType(M->type);
    if (DL.getTypeAllocSize(MT) > T->size)
      continue;
    if (!Best || DL.getABITypeAlign(MT) > DL.getABITypeAlign(Best) ||
        (DL.getABITypeAlign(MT) == DL.getABITypeAlign(Best) &&
         DL.getTypeAllocSize(MT) > DL.getTypeAllocSize(Best)))
      Best = MT;
  }
  SmallVector<Type *, 2> Fields;
  uint64_t Size = 0;
  if (Best) {
    Fields.push_back(Best);
    Size = DL.getTypeAllocSize(Best);
  }
  if (Size < T->size)
    Fields.push_back(ArrayType::get(Type::getInt8Ty(Ctx), T->size - Size));
  StringRef Name = K.nameOf(Id);
  return StructType::create(Ctx, Fields,
                            Name.empty() ? "union.anon" : "union." + Name.str());
}

namespace {
/// One LLVM field being planned: a member or a merged bitfield run.
struct PlannedField {
  uint64_t Offset; ///< Bytes from the record start.
  uint64_t Size;   ///< Bytes.
  Type *Ty;        ///< Null for a bitfield run (bytesType(Size) later).
};
} // namespace

Type *BTFDIBuilder::buildStructLLVMType(uint32_t Id) {
  const struct btf_type *T = K.typeById(Id);
  SmallVector<PlannedField, 16> Plan;
  // Local until done: converting member types may grow GEPIndexes.
  SmallVector<unsigned, 8> MemberToField;
  const struct btf_member *M = btf_members(T);
  for (unsigned I = 0, E = btf_vlen(T); I < E; ++I, ++M) {
    uint64_t BitOff = btf_member_bit_offset(T, I);
    uint32_t BitSize = btf_member_bitfield_size(T, I);
    Type *MT = BitSize ? nullptr : getLLVMType(M->type);
    // Members not on a byte boundary are bitfields in all but name.
    if (!BitSize && BitOff % 8) {
      BitSize = sizeInBits(M->type);
      MT = nullptr;
    }
    uint64_t Start = BitOff / 8;
    uint64_t End = BitSize ? (BitOff + BitSize + 7) / 8
                           : Start + DL.getTypeAllocSize(MT);
    // A bitfield overlapping the previous run joins it.
    if (!MT && !Plan.empty() && !Plan.back().Ty &&
        Start < Plan.back().Offset + Plan.back().Size) {
      PlannedField &Run = Plan.back();
      Run.Size = std::max(Run.Offset + Run.Size, End) - Run.Offset;
      MemberToField.push_back(Plan.size() - 1);
      continue;
    }
    MemberToField.push_back(Plan.size());
    Plan.push_back({Start, End - Start, MT});
  }

  // Lay the plan out naturally aligned if that lands every field at its BTF
  // offset (the usual case), else packed with explicit padding.
  auto Build = [&](bool Packed, SmallVectorImpl<unsigned> &FieldIndex) {
    SmallVector<Type *, 16> Fields;
    uint64_t Cur = 0;
    FieldIndex.clear();
    for (const PlannedField &F : Plan) {
      Type *FT = F.Ty ? F.Ty : bytesType(Ctx, F.Size);
      uint64_t Natural =
          Packed ? Cur : alignTo(Cur, DL.getABITypeAlign(FT).value());
      if (Natural != F.Offset && F.Offset > Cur)
        Fields.push_back(ArrayType::get(Type::getInt8Ty(Ctx), F.Offset - Cur));
      FieldIndex.push_back(Fields.size());
      Fields.push_back(FT);
      Cur = std::max<uint64_t>(Cur, F.Offset) + DL.getTypeAllocSize(FT);
    }
    if (Cur < T->size)
      Fields.push_back(ArrayType::get(Type::getInt8Ty(Ctx), T->size - Cur));
    return Fields;
  };
  auto Matches = [&](StructType *ST, ArrayRef<unsigned> FieldIndex) {
    const StructLayout *SL = DL.getStructLayout(ST);
    if (SL->getSizeInBytes() != T->size)
      return false;
    for (unsigned P = 0; P < Plan.size(); ++P)
      if (SL->getElementOffset(FieldIndex[P]) != Plan[P].Offset)
        return false;
    return true;
  };

  StringRef Name = K.nameOf(Id);
  std::string TypeName = Name.empty() ? "struct.anon" : "struct." + Name.str();
  SmallVector<unsigned, 16> FieldIndex;
  StructType *ST = StructType::create(Ctx, Build(false, FieldIndex), TypeName);
  if (!Matches(ST, FieldIndex))
    ST = StructType::create(Ctx, Build(true, FieldIndex), TypeName,
                            /*isPacked=*/true);
  for (unsigned &Index : MemberToField)
    Index = FieldIndex[Index];
  GEPIndexes[Id] = std::move(MemberToField);
  return ST;
}

unsigned BTFDIBuilder::getGEPIndex(uint32_t StructId, unsigned MemberIndex) {
  StructId = K.strip(StructId);
  getLLVMType(StructId);
  auto It = GEPIndexes.find(StructId);
  if (It == GEPIndexes.end() || MemberIndex >= It->second.size())
    return 0;
  return It->second[MemberIndex];
}

FieldAddress BTFDIBuilder::emitMemberAddress(IRBuilderBase &B, Value *Base,
                                             const MemberPath &Path) {
  FieldAddress Result;
  Value *Addr = Base;
  for (size_t I = 0; I < Path.Steps.size(); ++I) {
    const MemberStep &S = Path.Steps[I];
    uint32_t Parent = K.strip(S.ParentId);
    // The chain's head keeps the type as the user named it: a typedef'd
    // anonymous struct is only relocatable by the typedef's name. Later
    // steps must be the very nodes in the parent's member list.
    DIType *ParentDI = getDIType(I == 0 ? S.ParentId : Parent);
    if (S.ParentIsUnion)
      Addr = B.CreatePreserveUnionAccessIndex(Addr, S.MemberIndex, ParentDI);
    else
      Addr = B.CreatePreserveStructAccessIndex(
          getLLVMType(Parent), Addr, getGEPIndex(Parent, S.MemberIndex),
          S.MemberIndex, ParentDI);
  }
  Result.Addr = Addr;
  if (!Path.Steps.empty()) {
    Result.TypeId = Path.Steps.back().TypeId;
    Result.BitfieldSize = Path.Steps.back().BitfieldSize;
  }
  return Result;
}

Value *BTFDIBuilder::emitArrayElementAddress(IRBuilderBase &B,
                                             Value *ArrayAddr,
                                             uint32_t ArrayTypeId,
                                             unsigned Index) {
  uint32_t Array = K.strip(ArrayTypeId);
  // Dimension 1: the access goes through one array level, as clang emits
  // for `&p->comm[3]`.
  return B.CreatePreserveArrayAccessIndex(getLLVMType(Array), ArrayAddr,
                                          /*Dimension=*/1, Index,
                                          getDIType(Array));
}

Value *BTFDIBuilder::emitFieldInfo(IRBuilderBase &B, Value *FieldAddr,
                                   FieldInfoKind Kind) {
  Module *M = B.GetInsertBlock()->getModule();
  Function *Info = Intrinsic::getDeclaration(
      M, Intrinsic::bpf_preserve_field_info, {FieldAddr->getType()});
  return B.CreateCall(Info, {FieldAddr, B.getInt64(uint64_t(Kind))});
}

} // namespace stapc
