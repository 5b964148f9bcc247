//===- KernelBTF.cpp - Opening BTF and finding types by name --------------===//

#include "stapc/BTF/KernelBTF.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include <cerrno>
#include <cstring>

using namespace llvm;

namespace stapc {

static Error btfError(const Twine &Msg) {
  return createStringError(inconvertibleErrorCode(), Msg);
}

KernelBTF::KernelBTF(struct btf *Btf, std::string Path)
    : Btf(Btf), Path(std::move(Path)) {}

KernelBTF::~KernelBTF() { btf__free(Btf); }

Expected<std::unique_ptr<KernelBTF>> KernelBTF::open(StringRef Path) {
  return Path.empty() ? openVmlinux() : openFile(Path);
}

Expected<std::unique_ptr<KernelBTF>> KernelBTF::openVmlinux() {
  // Check first so the message names the file instead of libbpf's fallback
  // search through /boot, which is meaningless to the user.
  const char *Sysfs = "/sys/kernel/btf/vmlinux";
  if (!sys::fs::exists(Sysfs))
    return btfError(Twine("cannot read kernel types: ") + Sysfs +
                    " does not exist (kernel built without "
                    "CONFIG_DEBUG_INFO_BTF?); use --btf FILE");
  errno = 0;
  struct btf *B = btf__load_vmlinux_btf();
  if (!B)
    return btfError(Twine("cannot load kernel BTF from ") + Sysfs + ": " +
                    std::strerror(errno ? errno : EINVAL));
  return std::unique_ptr<KernelBTF>(new KernelBTF(B, Sysfs));
}

Expected<std::unique_ptr<KernelBTF>> KernelBTF::openFile(StringRef Path) {
  if (!sys::fs::exists(Path))
    return btfError("cannot open BTF file '" + Path + "': no such file");
  std::string P = Path.str();
  errno = 0;
  // btf__parse accepts both raw BTF and ELF files with a .BTF section.
  struct btf *B = btf__parse(P.c_str(), /*btf_ext=*/nullptr);
  if (!B)
    return btfError("cannot read BTF from '" + Path +
                    "': " + std::strerror(errno ? errno : EINVAL) +
                    " (expected raw BTF or an ELF file with a .BTF section)");
  return std::unique_ptr<KernelBTF>(new KernelBTF(B, std::move(P)));
}

Expected<std::unique_ptr<KernelBTF>>
KernelBTF::openModule(StringRef ModuleName) const {
  SmallString<128> File = sys::path::parent_path(Path);
  sys::path::append(File, ModuleName);
  if (!sys::fs::exists(File))
    return btfError("kernel module '" + ModuleName + "' has no BTF: " + File +
                    " does not exist (is the module loaded, and built with "
                    "CONFIG_DEBUG_INFO_BTF_MODULES?)");
  errno = 0;
  struct btf *B = btf__parse_split(File.c_str(), Btf);
  if (!B)
    return btfError("cannot read the BTF of kernel module '" + ModuleName +
                    "' from " + File + ": " +
                    std::strerror(errno ? errno : EINVAL));
  return std::unique_ptr<KernelBTF>(new KernelBTF(B, File.str().str()));
}

bool KernelBTF::isModuleType(uint32_t Id) const {
  const struct btf *Base = btf__base_btf(Btf);
  return Base && Id >= btf__type_cnt(Base);
}

uint32_t KernelBTF::numTypes() const { return btf__type_cnt(Btf); }

const struct btf_type *KernelBTF::typeById(uint32_t Id) const {
  if (Id == 0 || Id >= numTypes())
    return nullptr;
  return btf__type_by_id(Btf, Id);
}

StringRef KernelBTF::nameOf(uint32_t Id) const {
  const struct btf_type *T = typeById(Id);
  if (!T)
    return "";
  const char *N = btf__name_by_offset(Btf, T->name_off);
  return N ? N : "";
}

void KernelBTF::buildNameIndex(unsigned BTFKind) const {
  if (IndexBuilt[BTFKind])
    return;
  IndexBuilt[BTFKind] = true;
  auto &Index = NameIndex[BTFKind];
  for (uint32_t Id = 1, E = numTypes(); Id < E; ++Id) {
    const struct btf_type *T = btf__type_by_id(Btf, Id);
    if (btf_kind(T) != BTFKind || T->name_off == 0)
      continue;
    const char *N = btf__name_by_offset(Btf, T->name_off);
    if (N && *N)
      Index[StringRef(N)].push_back(Id);
  }
}

ArrayRef<uint32_t> KernelBTF::findByName(StringRef Name,
                                         unsigned BTFKind) const {
  if (BTFKind >= std::size(NameIndex))
    return {};
  buildNameIndex(BTFKind);
  auto It = NameIndex[BTFKind].find(Name);
  if (It == NameIndex[BTFKind].end())
    return {};
  return It->second;
}

std::vector<StringRef> KernelBTF::namesWithPrefix(StringRef Prefix,
                                                  unsigned BTFKind) const {
  std::vector<StringRef> Names;
  if (BTFKind >= std::size(NameIndex))
    return Names;
  buildNameIndex(BTFKind);
  for (const auto &Entry : NameIndex[BTFKind])
    if (Entry.first.starts_with(Prefix))
      Names.push_back(Entry.first);
  return Names;
}

/// The first complete definition among \p Ids: a name can appear several
/// times in split or un-deduplicated BTF, and FWDs are never wanted.
static uint32_t firstOf(ArrayRef<uint32_t> Ids) {
  return Ids.empty() ? 0 : Ids.front();
}

Expected<uint32_t> KernelBTF::findType(StringRef Name) const {
  StringRef N = Name.trim();
  auto Tagged = [&](StringRef Tag, unsigned Kind,
                    unsigned Alt) -> std::optional<uint32_t> {
    if (!N.consume_front(Tag))
      return std::nullopt;
    N = N.ltrim();
    if (uint32_t Id = firstOf(findByName(N, Kind)))
      return Id;
    return firstOf(findByName(N, Alt));
  };
  std::optional<uint32_t> Id;
  if (N.starts_with("struct "))
    Id = Tagged("struct ", BTF_KIND_STRUCT, BTF_KIND_STRUCT);
  else if (N.starts_with("union "))
    Id = Tagged("union ", BTF_KIND_UNION, BTF_KIND_UNION);
  else if (N.starts_with("enum "))
    Id = Tagged("enum ", BTF_KIND_ENUM, BTF_KIND_ENUM64);
  if (Id) {
    if (*Id)
      return *Id;
    return btfError("unknown type '" + Name + "' in " + Path);
  }
  // A bare name: the order stap uses for @cast, then the rest.
  for (unsigned Kind : {unsigned(BTF_KIND_STRUCT), unsigned(BTF_KIND_UNION),
                        unsigned(BTF_KIND_TYPEDEF), unsigned(BTF_KIND_ENUM),
                        unsigned(BTF_KIND_ENUM64), unsigned(BTF_KIND_INT),
                        unsigned(BTF_KIND_FLOAT)})
    if (uint32_t Found = firstOf(findByName(N, Kind)))
      return Found;
  return btfError("unknown type '" + Name + "' in " + Path);
}

} // namespace stapc
