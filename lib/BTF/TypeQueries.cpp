//===- TypeQueries.cpp - Classifying BTF types and finding members --------===//

#include "stapc/BTF/KernelBTF.h"

#include <bpf/btf.h>

using namespace llvm;

namespace stapc {

static Error btfError(const Twine &Msg) {
  return createStringError(inconvertibleErrorCode(), Msg);
}

uint64_t MemberPath::totalBitOffset() const {
  uint64_t Off = 0;
  for (const MemberStep &S : Steps)
    Off += S.BitOffset;
  return Off;
}

uint32_t KernelBTF::strip(uint32_t Id) const {
  // Bounded so a malformed cyclic typedef chain cannot hang us.
  for (unsigned Depth = 0; Depth < 64; ++Depth) {
    const struct btf_type *T = typeById(Id);
    if (!T)
      return Id;
    switch (btf_kind(T)) {
    case BTF_KIND_TYPEDEF:
    case BTF_KIND_CONST:
    case BTF_KIND_VOLATILE:
    case BTF_KIND_RESTRICT:
    case BTF_KIND_TYPE_TAG:
      Id = T->type;
      continue;
    default:
      return Id;
    }
  }
  return Id;
}

TypeInfo KernelBTF::describe(uint32_t Id) const {
  TypeInfo TI;
  TI.Id = strip(Id);
  const struct btf_type *T = typeById(TI.Id);
  if (!T) {
    TI.Kind = TI.Id == 0 ? BTFTypeKind::Void : BTFTypeKind::Unknown;
    return TI;
  }
  TI.Name = nameOf(TI.Id).str();
  switch (btf_kind(T)) {
  case BTF_KIND_INT: {
    unsigned Enc = btf_int_encoding(T);
    TI.Kind = (Enc & BTF_INT_BOOL) ? BTFTypeKind::Bool : BTFTypeKind::Integer;
    TI.Size = T->size;
    TI.IsSigned = Enc & BTF_INT_SIGNED;
    break;
  }
  case BTF_KIND_ENUM:
  case BTF_KIND_ENUM64:
    TI.Kind = BTFTypeKind::Enum;
    TI.Size = T->size;
    TI.IsSigned = btf_kflag(T);
    break;
  case BTF_KIND_PTR:
    TI.Kind = BTFTypeKind::Pointer;
    TI.Size = 8;
    TI.PointeeId = T->type;
    break;
  case BTF_KIND_ARRAY: {
    const struct btf_array *A = btf_array(T);
    TI.Kind = BTFTypeKind::Array;
    TI.ElementId = A->type;
    TI.Count = A->nelems;
    __s64 Sz = btf__resolve_size(Btf, TI.Id);
    TI.Size = Sz > 0 ? Sz : 0;
    break;
  }
  case BTF_KIND_STRUCT:
    TI.Kind = BTFTypeKind::Struct;
    TI.Size = T->size;
    break;
  case BTF_KIND_UNION:
    TI.Kind = BTFTypeKind::Union;
    TI.Size = T->size;
    break;
  case BTF_KIND_FUNC_PROTO:
    TI.Kind = BTFTypeKind::Function;
    break;
  case BTF_KIND_FLOAT:
    TI.Kind = BTFTypeKind::Float;
    TI.Size = T->size;
    break;
  default:
    TI.Kind = BTFTypeKind::Unknown;
    break;
  }
  return TI;
}

bool KernelBTF::isIntegerLike(uint32_t Id) const {
  switch (describe(Id).Kind) {
  case BTFTypeKind::Integer:
  case BTFTypeKind::Bool:
  case BTFTypeKind::Enum:
  case BTFTypeKind::Pointer:
    return true;
  default:
    return false;
  }
}

bool KernelBTF::isStringLike(uint32_t Id) const {
  TypeInfo TI = describe(Id);
  uint32_t Elem;
  if (TI.Kind == BTFTypeKind::Array)
    Elem = TI.ElementId;
  else if (TI.Kind == BTFTypeKind::Pointer)
    Elem = TI.PointeeId;
  else
    return false;
  TypeInfo E = describe(Elem);
  return E.Kind == BTFTypeKind::Integer && E.Size == 1;
}

bool KernelBTF::isAggregate(uint32_t Id) const {
  BTFTypeKind K = describe(Id).Kind;
  return K == BTFTypeKind::Struct || K == BTFTypeKind::Union;
}

Expected<uint32_t> KernelBTF::pointee(uint32_t Id) const {
  TypeInfo TI = describe(Id);
  if (TI.Kind != BTFTypeKind::Pointer)
    return btfError("'" + typeName(Id) + "' is not a pointer");
  return TI.PointeeId;
}

std::string KernelBTF::typeName(uint32_t Id) const {
  // Declarator suffixes ("*", "[16]") accumulate while walking inward.
  std::string Suffix;
  for (unsigned Depth = 0; Depth < 64; ++Depth) {
    const struct btf_type *T = typeById(Id);
    if (!T)
      return (Id == 0 ? "void" : "<bad type>") +
             (Suffix.empty() ? "" : " " + Suffix);
    StringRef N = nameOf(Id);
    auto Named = [&](StringRef Tag) {
      std::string S = Tag.str() + (N.empty() ? "(anon)" : N.str());
      if (Suffix.empty())
        return S;
      return S + (Suffix.front() == '[' ? "" : " ") + Suffix;
    };
    switch (btf_kind(T)) {
    case BTF_KIND_PTR:
      Suffix = "*" + Suffix;
      Id = T->type;
      continue;
    case BTF_KIND_ARRAY:
      Suffix += "[" + std::to_string(btf_array(T)->nelems) + "]";
      Id = btf_array(T)->type;
      continue;
    case BTF_KIND_CONST:
    case BTF_KIND_VOLATILE:
    case BTF_KIND_RESTRICT:
    case BTF_KIND_TYPE_TAG:
      Id = T->type;
      continue;
    case BTF_KIND_STRUCT:
      return Named("struct ");
    case BTF_KIND_UNION:
      return Named("union ");
    case BTF_KIND_ENUM:
    case BTF_KIND_ENUM64:
      return Named("enum ");
    case BTF_KIND_FWD:
      return Named(btf_kflag(T) ? "union " : "struct ");
    case BTF_KIND_FUNC_PROTO:
      return "function" + (Suffix.empty() ? "" : " " + Suffix);
    default:
      return Named("");
    }
  }
  return "<deep type>";
}

bool KernelBTF::findMemberIn(uint32_t AggId, StringRef Name,
                             MemberPath &Path) const {
  if (Path.Steps.size() > 32) // Malformed BTF; real nesting is shallow.
    return false;
  uint32_t Id = strip(AggId);
  const struct btf_type *T = typeById(Id);
  if (!T || !(btf_is_struct(T) || btf_is_union(T)))
    return false;
  const struct btf_member *M = btf_members(T);
  for (unsigned I = 0, E = btf_vlen(T); I < E; ++I, ++M) {
    const char *MN = btf__name_by_offset(Btf, M->name_off);
    StringRef MemberName = MN ? MN : "";
    MemberStep Step;
    Step.ParentId = AggId;
    Step.MemberIndex = I;
    Step.ParentIsUnion = btf_is_union(T);
    Step.BitOffset = btf_member_bit_offset(T, I);
    Step.BitfieldSize = btf_member_bitfield_size(T, I);
    Step.TypeId = M->type;
    Step.Name = MemberName.str();
    if (MemberName == Name) {
      Path.Steps.push_back(std::move(Step));
      return true;
    }
    if (!MemberName.empty())
      continue;
    // An anonymous struct/union: its members are ours, depth first.
    Path.Steps.push_back(std::move(Step));
    if (findMemberIn(M->type, Name, Path))
      return true;
    Path.Steps.pop_back();
  }
  return false;
}

Expected<MemberPath> KernelBTF::findMember(uint32_t AggId,
                                           StringRef Name) const {
  if (!isAggregate(AggId))
    return btfError("'" + typeName(AggId) +
                    "' is not a struct or union, it has no member '" + Name +
                    "'");
  MemberPath Path;
  if (Name.empty() || !findMemberIn(AggId, Name, Path))
    return btfError("'" + typeName(AggId) + "' has no member named '" + Name +
                    "'");
  return Path;
}

std::vector<std::string> KernelBTF::memberNames(uint32_t AggId) const {
  std::vector<std::string> Names;
  SmallVector<uint32_t, 8> Work{AggId};
  while (!Work.empty() && Names.size() < 100000) {
    const struct btf_type *T = typeById(strip(Work.pop_back_val()));
    if (!T || !(btf_is_struct(T) || btf_is_union(T)))
      continue;
    const struct btf_member *M = btf_members(T);
    SmallVector<uint32_t, 4> Anon;
    for (unsigned I = 0, E = btf_vlen(T); I < E; ++I, ++M) {
      const char *MN = btf__name_by_offset(Btf, M->name_off);
      if (MN && *MN)
        Names.push_back(MN);
      else
        Anon.push_back(M->type);
    }
    Work.append(Anon.rbegin(), Anon.rend());
  }
  return Names;
}

} // namespace stapc
