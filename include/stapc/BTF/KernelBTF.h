//===- KernelBTF.h - Kernel types read from BTF -----------------*- C++ -*-===//
//
// stapc never reads kernel headers: every kernel type Sema and CodeGen need
// comes from BTF, either the running kernel's (/sys/kernel/btf/vmlinux) or a
// file named with `--btf FILE` (a raw BTF blob or an ELF with a .BTF
// section). KernelBTF wraps libbpf's `struct btf` and answers the questions
// the compiler asks, in terms of plain BTF type ids (uint32_t, 0 = void):
//
//   auto K = KernelBTF::open(BTFPath);            // "" = running kernel
//   Expected<uint32_t> Hr = K->findType("hrtimer");   // struct/union/typedef
//   Expected<MemberPath> P = K->findMember(*Hr, "state");
//   TypeInfo TI = K->describe(P->fieldTypeId());  // Integer, 1 byte, ...
//
// Ids stay valid for the object's lifetime. Tracepoint prototypes live in
// Tracepoints.h, LLVM debug info and CO-RE access chains in BTFDIBuilder.h.
// Nothing here throws, asserts on bad input or prints: failures come back as
// llvm::Error with a message fit for a diagnostic.
//
//===----------------------------------------------------------------------===//
#ifndef STAPC_BTF_KERNELBTF_H
#define STAPC_BTF_KERNELBTF_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

struct btf;
struct btf_type;

namespace stapc {

/// What a (typedef/const/volatile-stripped) type is, as far as Sema cares.
enum class BTFTypeKind {
  Void,
  Integer, ///< INT other than bool; see TypeInfo::IsSigned and Size.
  Bool,
  Enum,    ///< ENUM or ENUM64.
  Pointer,
  Array,
  Struct,
  Union,
  Function, ///< FUNC_PROTO (only reachable through pointers).
  Float,
  Unknown, ///< FWD (opaque struct/union) and anything else.
};

/// A summary of one type after stripping typedefs and qualifiers.
struct TypeInfo {
  BTFTypeKind Kind = BTFTypeKind::Unknown;
  uint32_t Id = 0;         ///< The stripped type's id.
  uint64_t Size = 0;       ///< Bytes (pointers: 8); 0 for void/functions.
  bool IsSigned = false;   ///< Integers and enums.
  uint32_t PointeeId = 0;  ///< Pointer: target id (unstripped; 0 = void).
  uint32_t ElementId = 0;  ///< Array: element id (unstripped).
  uint32_t Count = 0;      ///< Array: number of elements (0 = flexible).
  std::string Name;        ///< "task_struct", "int", "" when anonymous.
};

/// One step of a member access: the aggregate being entered and the member
/// taken from it. Anonymous structs/unions add steps of their own, so
/// `folio->mapping` is three steps (anon union, anon struct, mapping).
struct MemberStep {
  uint32_t ParentId = 0;    ///< The struct/union entered (unstripped id as
                            ///< reached, so typedef names survive).
  uint32_t MemberIndex = 0; ///< Index in the parent's member list.
  bool ParentIsUnion = false;
  uint64_t BitOffset = 0;   ///< Member offset within the parent.
  uint32_t BitfieldSize = 0; ///< Nonzero for bitfields.
  uint32_t TypeId = 0;      ///< The member's type (unstripped).
  std::string Name;         ///< "" for an anonymous member.
};

/// The full path from an aggregate to a (possibly deeply nested) member.
struct MemberPath {
  llvm::SmallVector<MemberStep, 2> Steps;
  /// Offset of the field from the start of the outermost aggregate.
  uint64_t totalBitOffset() const;
  uint32_t fieldTypeId() const { return Steps.back().TypeId; }
  bool isBitfield() const { return Steps.back().BitfieldSize != 0; }
};

class KernelBTF {
public:
  ~KernelBTF();
  KernelBTF(const KernelBTF &) = delete;
  KernelBTF &operator=(const KernelBTF &) = delete;

  /// Opens \p Path (raw BTF or ELF with .BTF), or the running kernel's BTF
  /// when \p Path is empty.
  static llvm::Expected<std::unique_ptr<KernelBTF>> open(llvm::StringRef Path);
  static llvm::Expected<std::unique_ptr<KernelBTF>> openVmlinux();
  static llvm::Expected<std::unique_ptr<KernelBTF>> openFile(llvm::StringRef Path);

  /// A kernel module's BTF, split on top of this (vmlinux) BTF and read
  /// from the directory this one came from: /sys/kernel/btf/<module> for
  /// the running kernel, DIR/<module> beside `--btf DIR/vmlinux`. Its ids
  /// continue this BTF's, so ids handed out before stay valid; this object
  /// must outlive it.
  llvm::Expected<std::unique_ptr<KernelBTF>>
  openModule(llvm::StringRef ModuleName) const;
  /// Whether \p Id is one of a module's own types (in a BTF that
  /// openModule returned), not one of its vmlinux base's.
  bool isModuleType(uint32_t Id) const;

  /// The underlying libbpf object, for the loader and for tests.
  const struct btf *raw() const { return Btf; }
  llvm::StringRef path() const { return Path; }
  /// Number of type ids, including the implicit void at id 0.
  uint32_t numTypes() const;

  //===--- Finding types ------------------------------------------------===//

  /// Resolves a type name the way `@cast(p, "NAME")` spells it:
  /// "struct X", "union X", "enum X", or a bare "X" tried as struct, union,
  /// typedef, then enum and base type ("int", "unsigned long").
  llvm::Expected<uint32_t> findType(llvm::StringRef Name) const;
  /// Ids of every type of BTF kind \p BTFKind named \p Name.
  llvm::ArrayRef<uint32_t> findByName(llvm::StringRef Name,
                                      unsigned BTFKind) const;
  /// Every name of kind \p BTFKind starting with \p Prefix (unsorted).
  std::vector<llvm::StringRef> namesWithPrefix(llvm::StringRef Prefix,
                                               unsigned BTFKind) const;

  //===--- Describing types ---------------------------------------------===//

  /// The raw record, or null for void and out-of-range ids.
  const struct btf_type *typeById(uint32_t Id) const;
  /// The type's own name ("" if anonymous or void).
  llvm::StringRef nameOf(uint32_t Id) const;
  /// Follows typedefs, const, volatile, restrict and type tags.
  uint32_t strip(uint32_t Id) const;
  TypeInfo describe(uint32_t Id) const;
  /// A C spelling for diagnostics: "struct task_struct *", "char[16]".
  std::string typeName(uint32_t Id) const;

  /// Scalars Sema can hold in a `long`: integers, bool, enums, pointers.
  bool isIntegerLike(uint32_t Id) const;
  /// char arrays and pointers to char (any signedness, any qualifiers).
  bool isStringLike(uint32_t Id) const;
  /// Structs and unions: they have members but are not values.
  bool isAggregate(uint32_t Id) const;
  /// The target of a pointer (unstripped), or an error for non-pointers.
  llvm::Expected<uint32_t> pointee(uint32_t Id) const;

  //===--- Members ------------------------------------------------------===//

  /// Finds member \p Name of the struct/union \p AggId (typedefs and
  /// qualifiers allowed), searching anonymous members depth first in
  /// declaration order like C does.
  llvm::Expected<MemberPath> findMember(uint32_t AggId,
                                        llvm::StringRef Name) const;
  /// Names of the directly accessible members (anonymous ones flattened),
  /// for "did you mean" notes and `$var$` pretty printing.
  std::vector<std::string> memberNames(uint32_t AggId) const;

private:
  KernelBTF(struct btf *Btf, std::string Path);
  void buildNameIndex(unsigned BTFKind) const;
  bool findMemberIn(uint32_t AggId, llvm::StringRef Name,
                    MemberPath &Path) const;

  struct btf *Btf;
  std::string Path;
  /// Name -> ids, one map per BTF kind, built on the first lookup:
  /// btf__find_by_name_kind scans all ~150k vmlinux types every call.
  /// Keys point into the BTF's own string section (no copies), and each
  /// kind's index is built on its first lookup: vmlinux has ~130k types
  /// and a compile usually asks about three kinds.
  mutable llvm::DenseMap<llvm::StringRef, llvm::SmallVector<uint32_t, 1>>
      NameIndex[32];
  mutable bool IndexBuilt[32] = {};
};

} // namespace stapc

#endif // STAPC_BTF_KERNELBTF_H
