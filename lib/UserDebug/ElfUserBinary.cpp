//===- ElfUserBinary.cpp - User binaries through libelf and libdw ---------===//
//
// Symbols come from .symtab (else .dynsym), SDT markers from the
// `.note.stapsdt` notes, parameters and types from the file's own DWARF
// (separate debuginfo files are not looked up). Type ids are DIE offsets.
//
//===----------------------------------------------------------------------===//
#include "stapc/UserDebug/ElfUserBinaries.h"

#include "llvm/Support/GlobPattern.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <map>

using namespace stapc;

namespace {

bool globMatch(llvm::StringRef Glob, llvm::StringRef Name) {
  auto P = llvm::GlobPattern::create(Glob);
  if (!P) {
    llvm::consumeError(P.takeError());
    return Glob == Name;
  }
  return P->match(Name);
}

class ElfUserBinary : public UserBinary {
public:
  ElfUserBinary(std::string Path, int Fd, Elf *E)
      : Path(std::move(Path)), Fd(Fd), E(E) {
    GElf_Ehdr Ehdr;
    if (gelf_getehdr(E, &Ehdr))
      Relocatable = Ehdr.e_type == ET_DYN;
    Dbg = dwarf_begin_elf(E, DWARF_C_READ, nullptr);
  }
  ~ElfUserBinary() override {
    if (Dbg)
      dwarf_end(Dbg);
    elf_end(E);
    close(Fd);
  }

  const std::string &path() const override { return Path; }
  bool isRelocatable() const override { return Relocatable; }
  std::vector<Function> findFunctions(llvm::StringRef Glob) override;
  std::vector<Marker> findMarkers(llvm::StringRef ProviderGlob,
                                  llvm::StringRef NameGlob) override;
  std::vector<std::string> neededLibraries() override;
  bool hasDebugInfo(const Function &F) override {
    Dwarf_Die D;
    return functionDie(F.Address, D);
  }
  bool getParams(const Function &F, std::vector<UserVariable> &Params,
                 UserTypeId &Return) override;
  bool findGlobal(llvm::StringRef Name, uint64_t &Address,
                  UserTypeId &Type) override;
  UserTypeInfo describe(UserTypeId T) override;
  std::optional<std::pair<uint64_t, UserTypeId>>
  findMember(UserTypeId Aggregate, llvm::StringRef Name) override;
  std::string typeName(UserTypeId T) override;

private:
  /// The file offset of link-time address Addr (through PT_LOAD).
  std::optional<uint64_t> fileOffset(uint64_t Addr);
  Elf_Scn *sectionNamed(llvm::StringRef Name, GElf_Shdr &Shdr);
  bool functionDie(uint64_t Address, Dwarf_Die &Out);
  bool die(UserTypeId T, Dwarf_Die &Out) {
    return T && Dbg && dwarf_offdie(Dbg, T, &Out);
  }
  /// The type a DIE's DW_AT_type names (0: none, e.g. void).
  static UserTypeId typeOf(Dwarf_Die *D) {
    Dwarf_Attribute A;
    Dwarf_Die T;
    if (!dwarf_attr_integrate(D, DW_AT_type, &A) || !dwarf_formref_die(&A, &T))
      return 0;
    return dwarf_dieoffset(&T);
  }
  /// T without typedefs and qualifiers.
  UserTypeId strip(UserTypeId T);

  std::string Path;
  int Fd;
  Elf *E;
  Dwarf *Dbg = nullptr;
  bool Relocatable = false;
  bool Indexed = false;
  std::map<uint64_t, Dwarf_Off> FunctionsByAddress;
};

} // namespace

std::optional<uint64_t> ElfUserBinary::fileOffset(uint64_t Addr) {
  size_t N = 0;
  if (elf_getphdrnum(E, &N) != 0)
    return std::nullopt;
  for (size_t I = 0; I < N; ++I) {
    GElf_Phdr P;
    if (!gelf_getphdr(E, I, &P) || P.p_type != PT_LOAD)
      continue;
    if (Addr >= P.p_vaddr && Addr < P.p_vaddr + P.p_filesz)
      return Addr - P.p_vaddr + P.p_offset;
  }
  return std::nullopt;
}

Elf_Scn *ElfUserBinary::sectionNamed(llvm::StringRef Name, GElf_Shdr &Shdr) {
  size_t Shstrndx = 0;
  if (elf_getshdrstrndx(E, &Shstrndx) != 0)
    return nullptr;
  for (Elf_Scn *S = elf_nextscn(E, nullptr); S; S = elf_nextscn(E, S)) {
    if (!gelf_getshdr(S, &Shdr))
      continue;
    const char *N = elf_strptr(E, Shstrndx, Shdr.sh_name);
    if (N && Name == N)
      return S;
  }
  return nullptr;
}

std::vector<UserBinary::Function>
ElfUserBinary::findFunctions(llvm::StringRef Glob) {
  // .symtab has every function; stripped files keep only .dynsym.
  GElf_Shdr Shdr;
  Elf_Scn *Table = sectionNamed(".symtab", Shdr);
  if (!Table || Shdr.sh_type != SHT_SYMTAB)
    Table = sectionNamed(".dynsym", Shdr);
  std::map<std::string, Function> Found;
  if (!Table)
    return {};
  Elf_Data *Data = elf_getdata(Table, nullptr);
  size_t Count = Shdr.sh_entsize ? Shdr.sh_size / Shdr.sh_entsize : 0;
  for (size_t I = 0; Data && I < Count; ++I) {
    GElf_Sym Sym;
    if (!gelf_getsym(Data, I, &Sym))
      continue;
    unsigned Type = GELF_ST_TYPE(Sym.st_info);
    if ((Type != STT_FUNC && Type != STT_GNU_IFUNC) ||
        Sym.st_shndx == SHN_UNDEF || Sym.st_value == 0)
      continue;
    const char *Name = elf_strptr(E, Shdr.sh_link, Sym.st_name);
    if (!Name || !*Name || Found.count(Name) || !globMatch(Glob, Name))
      continue;
    std::optional<uint64_t> Off = fileOffset(Sym.st_value);
    if (!Off)
      continue;
    Found[Name] = Function{Name, Sym.st_value, *Off};
  }
  std::vector<Function> Out;
  for (auto &[Name, F] : Found)
    Out.push_back(std::move(F));
  return Out;
}

std::vector<UserBinary::Marker>
ElfUserBinary::findMarkers(llvm::StringRef ProviderGlob,
                           llvm::StringRef NameGlob) {
  std::vector<Marker> Out;
  GElf_Shdr BaseShdr;
  Elf_Scn *BaseScn = sectionNamed(".stapsdt.base", BaseShdr);
  GElf_Shdr Shdr;
  Elf_Scn *Notes = sectionNamed(".note.stapsdt", Shdr);
  if (!Notes || Shdr.sh_type != SHT_NOTE)
    return Out;
  Elf_Data *Data = elf_getdata(Notes, nullptr);
  if (!Data)
    return Out;
  size_t Pos = 0, NameOff = 0, DescOff = 0;
  GElf_Nhdr N;
  while ((Pos = gelf_getnote(Data, Pos, &N, &NameOff, &DescOff)) > 0) {
    const char *Base = static_cast<const char *>(Data->d_buf);
    if (N.n_type != 3 || N.n_namesz != 8 ||
        std::memcmp(Base + NameOff, "stapsdt", 8) != 0 || N.n_descsz < 24)
      continue;
    // Three addresses (pc, the link-time .stapsdt.base, semaphore), then
    // provider, name and argument specs as NUL-terminated strings.
    const char *Desc = Base + DescOff;
    uint64_t Addr[3];
    std::memcpy(Addr, Desc, sizeof(Addr));
    const char *End = Desc + N.n_descsz;
    const char *Str[3];
    const char *P = Desc + 24;
    bool Ok = true;
    for (const char *&S : Str) {
      S = P;
      P = static_cast<const char *>(std::memchr(P, 0, End - P));
      if (!P) {
        Ok = false;
        break;
      }
      ++P;
    }
    if (!Ok || !globMatch(ProviderGlob, Str[0]) || !globMatch(NameGlob, Str[1]))
      continue;
    // A prelinked file moved .stapsdt.base; its notes were not updated.
    int64_t Adjust = BaseScn ? int64_t(BaseShdr.sh_addr - Addr[1]) : 0;
    Marker M;
    M.Provider = Str[0];
    M.Name = Str[1];
    M.Args = Str[2];
    M.Address = Addr[0] + Adjust;
    std::optional<uint64_t> Off = fileOffset(M.Address);
    if (!Off)
      continue;
    M.FileOffset = *Off;
    if (Addr[2])
      M.SemaphoreOffset = fileOffset(Addr[2] + Adjust).value_or(0);
    Out.push_back(std::move(M));
  }
  return Out;
}

std::vector<std::string> ElfUserBinary::neededLibraries() {
  std::vector<std::string> Out;
  for (Elf_Scn *S = elf_nextscn(E, nullptr); S; S = elf_nextscn(E, S)) {
    GElf_Shdr Shdr;
    if (!gelf_getshdr(S, &Shdr) || Shdr.sh_type != SHT_DYNAMIC)
      continue;
    Elf_Data *Data = elf_getdata(S, nullptr);
    size_t Count = Shdr.sh_entsize ? Shdr.sh_size / Shdr.sh_entsize : 0;
    for (size_t I = 0; Data && I < Count; ++I) {
      GElf_Dyn Dyn;
      if (gelf_getdyn(Data, I, &Dyn) && Dyn.d_tag == DT_NEEDED)
        if (const char *Name = elf_strptr(E, Shdr.sh_link, Dyn.d_un.d_val))
          Out.push_back(Name);
    }
  }
  return Out;
}

bool ElfUserBinary::functionDie(uint64_t Address, Dwarf_Die &Out) {
  if (!Dbg)
    return false;
  if (!Indexed) {
    Indexed = true;
    Dwarf_Off Off = 0, Next = 0;
    size_t HSize = 0;
    while (dwarf_nextcu(Dbg, Off, &Next, &HSize, nullptr, nullptr, nullptr) == 0) {
      Dwarf_Die CU;
      if (dwarf_offdie(Dbg, Off + HSize, &CU))
        dwarf_getfuncs(
            &CU,
            [](Dwarf_Die *F, void *Arg) -> int {
              auto *Self = static_cast<ElfUserBinary *>(Arg);
              Dwarf_Addr Low;
              if (dwarf_lowpc(F, &Low) == 0)
                Self->FunctionsByAddress.emplace(Low, dwarf_dieoffset(F));
              return DWARF_CB_OK;
            },
            this, 0);
      Off = Next;
    }
  }
  auto It = FunctionsByAddress.find(Address);
  return It != FunctionsByAddress.end() && dwarf_offdie(Dbg, It->second, &Out);
}

bool ElfUserBinary::getParams(const Function &F,
                              std::vector<UserVariable> &Params,
                              UserTypeId &Return) {
  Dwarf_Die Fn, Child;
  if (!functionDie(F.Address, Fn))
    return false;
  Return = typeOf(&Fn);
  if (dwarf_child(&Fn, &Child) != 0)
    return true;
  do {
    if (dwarf_tag(&Child) != DW_TAG_formal_parameter)
      continue;
    Dwarf_Attribute A;
    const char *Name = dwarf_formstring(dwarf_attr_integrate(&Child, DW_AT_name, &A));
    Params.push_back({Name ? Name : "", typeOf(&Child)});
  } while (dwarf_siblingof(&Child, &Child) == 0);
  return true;
}

bool ElfUserBinary::findGlobal(llvm::StringRef Name, uint64_t &Address,
                               UserTypeId &Type) {
  Type = 0;
  Dwarf_Off Off = 0, Next = 0;
  size_t HSize = 0;
  while (Dbg && dwarf_nextcu(Dbg, Off, &Next, &HSize, nullptr, nullptr, nullptr) == 0) {
    Dwarf_Die CU, Child;
    bool Have = dwarf_offdie(Dbg, Off + HSize, &CU) && dwarf_child(&CU, &Child) == 0;
    Off = Next;
    for (; Have; Have = dwarf_siblingof(&Child, &Child) == 0) {
      const char *N = dwarf_diename(&Child);
      if (dwarf_tag(&Child) != DW_TAG_variable || !N || Name != N)
        continue;
      Dwarf_Attribute A;
      Dwarf_Op *Ops;
      size_t NOps;
      if (!dwarf_attr(&Child, DW_AT_location, &A) ||
          dwarf_getlocation(&A, &Ops, &NOps) != 0 || NOps != 1)
        continue;
      // DW_OP_addr, or DWARF 5's index into .debug_addr.
      Dwarf_Attribute Indexed;
      Dwarf_Addr Addr;
      if (Ops[0].atom == DW_OP_addr)
        Addr = Ops[0].number;
      else if ((Ops[0].atom != DW_OP_addrx && Ops[0].atom != DW_OP_GNU_addr_index) ||
               dwarf_getlocation_attr(&A, Ops, &Indexed) != 0 ||
               dwarf_formaddr(&Indexed, &Addr) != 0)
        continue;
      Address = Addr;
      Type = typeOf(&Child);
      return true;
    }
  }
  // No DWARF: the symbol table still has the address.
  for (const char *Table : {".symtab", ".dynsym"}) {
    GElf_Shdr Shdr;
    Elf_Scn *S = sectionNamed(Table, Shdr);
    Elf_Data *Data = S ? elf_getdata(S, nullptr) : nullptr;
    size_t Count = Shdr.sh_entsize && S ? Shdr.sh_size / Shdr.sh_entsize : 0;
    for (size_t I = 0; Data && I < Count; ++I) {
      GElf_Sym Sym;
      if (!gelf_getsym(Data, I, &Sym) || GELF_ST_TYPE(Sym.st_info) != STT_OBJECT ||
          Sym.st_shndx == SHN_UNDEF)
        continue;
      const char *N = elf_strptr(E, Shdr.sh_link, Sym.st_name);
      if (N && Name == N) {
        Address = Sym.st_value;
        return true;
      }
    }
  }
  return false;
}

UserTypeId ElfUserBinary::strip(UserTypeId T) {
  Dwarf_Die D;
  for (int Depth = 0; Depth < 32 && die(T, D); ++Depth) {
    switch (dwarf_tag(&D)) {
    case DW_TAG_typedef:
    case DW_TAG_const_type:
    case DW_TAG_volatile_type:
    case DW_TAG_restrict_type:
    case DW_TAG_atomic_type:
      T = typeOf(&D);
      continue;
    default:
      return T;
    }
  }
  return T;
}

UserTypeInfo ElfUserBinary::describe(UserTypeId T) {
  UserTypeInfo I;
  Dwarf_Die D;
  if (!die(strip(T), D))
    return I;
  Dwarf_Word Size = 0;
  Dwarf_Attribute A;
  if (dwarf_attr_integrate(&D, DW_AT_byte_size, &A))
    dwarf_formudata(&A, &Size);
  I.Size = Size;
  switch (dwarf_tag(&D)) {
  case DW_TAG_base_type: {
    Dwarf_Word Enc = 0;
    if (dwarf_attr(&D, DW_AT_encoding, &A))
      dwarf_formudata(&A, &Enc);
    I.Kind = Enc == DW_ATE_float ? UserTypeInfo::Float : UserTypeInfo::Integer;
    I.IsSigned = Enc == DW_ATE_signed || Enc == DW_ATE_signed_char;
    break;
  }
  case DW_TAG_enumeration_type: {
    I.Kind = UserTypeInfo::Integer;
    UserTypeId Under = typeOf(&D);
    I.IsSigned = Under ? describe(Under).IsSigned : true;
    break;
  }
  case DW_TAG_pointer_type:
  case DW_TAG_reference_type:
  case DW_TAG_rvalue_reference_type:
    I.Kind = UserTypeInfo::Pointer;
    I.Size = 8;
    I.Target = typeOf(&D);
    break;
  case DW_TAG_structure_type:
  case DW_TAG_union_type:
  case DW_TAG_class_type:
    I.Kind = UserTypeInfo::Aggregate;
    break;
  case DW_TAG_array_type: {
    I.Kind = UserTypeInfo::Array;
    I.Target = typeOf(&D);
    uint64_t Count = 1;
    Dwarf_Die Sub;
    if (dwarf_child(&D, &Sub) == 0)
      do {
        if (dwarf_tag(&Sub) != DW_TAG_subrange_type)
          continue;
        Dwarf_Word N = 0;
        if (dwarf_attr(&Sub, DW_AT_count, &A))
          dwarf_formudata(&A, &N);
        else if (dwarf_attr(&Sub, DW_AT_upper_bound, &A) &&
                 dwarf_formudata(&A, &N) == 0)
          ++N;
        Count *= N;
      } while (dwarf_siblingof(&Sub, &Sub) == 0);
    I.Size = Count * describe(I.Target).Size;
    break;
  }
  default:
    break;
  }
  return I;
}

std::optional<std::pair<uint64_t, UserTypeId>>
ElfUserBinary::findMember(UserTypeId Aggregate, llvm::StringRef Name) {
  Dwarf_Die D, M;
  if (!die(strip(Aggregate), D) || dwarf_child(&D, &M) != 0)
    return std::nullopt;
  do {
    if (dwarf_tag(&M) != DW_TAG_member)
      continue;
    Dwarf_Attribute A;
    Dwarf_Word Off = 0;
    if (dwarf_attr(&M, DW_AT_data_member_location, &A))
      dwarf_formudata(&A, &Off);
    if (dwarf_hasattr(&M, DW_AT_bit_size))
      continue; // bitfields are not readable as whole bytes
    const char *N = dwarf_diename(&M);
    if (N && Name == N)
      return std::make_pair(uint64_t(Off), typeOf(&M));
    if (!N) // an anonymous struct or union: its members are ours
      if (auto Inner = findMember(typeOf(&M), Name))
        return std::make_pair(Off + Inner->first, Inner->second);
  } while (dwarf_siblingof(&M, &M) == 0);
  return std::nullopt;
}

std::string ElfUserBinary::typeName(UserTypeId T) {
  Dwarf_Die D;
  if (!die(T, D))
    return "void";
  const char *N = dwarf_diename(&D);
  switch (dwarf_tag(&D)) {
  case DW_TAG_pointer_type: {
    std::string Inner = typeName(typeOf(&D));
    return Inner + (Inner.back() == '*' ? "*" : " *");
  }
  case DW_TAG_const_type:
    return "const " + typeName(typeOf(&D));
  case DW_TAG_volatile_type:
    return "volatile " + typeName(typeOf(&D));
  case DW_TAG_structure_type:
    return std::string("struct ") + (N ? N : "{...}");
  case DW_TAG_union_type:
    return std::string("union ") + (N ? N : "{...}");
  case DW_TAG_enumeration_type:
    return std::string("enum ") + (N ? N : "{...}");
  case DW_TAG_array_type: {
    UserTypeInfo I = describe(T);
    uint64_t Elem = describe(I.Target).Size;
    return typeName(I.Target) + "[" +
           std::to_string(Elem ? I.Size / Elem : 0) + "]";
  }
  default:
    return N ? N : "?";
  }
}

std::shared_ptr<UserBinary> ElfUserBinaries::open(llvm::StringRef Path,
                                                  std::string &Err) {
  auto It = Open.find(Path.str());
  if (It != Open.end())
    return It->second;
  elf_version(EV_CURRENT);
  int Fd = ::open(Path.str().c_str(), O_RDONLY | O_CLOEXEC);
  if (Fd < 0) {
    Err = std::strerror(errno);
    return nullptr;
  }
  Elf *E = elf_begin(Fd, ELF_C_READ_MMAP, nullptr);
  if (!E || elf_kind(E) != ELF_K_ELF || gelf_getclass(E) != ELFCLASS64) {
    Err = "not a 64-bit ELF file";
    if (E)
      elf_end(E);
    close(Fd);
    return nullptr;
  }
  auto B = std::make_shared<ElfUserBinary>(Path.str(), Fd, E);
  Open[Path.str()] = B;
  return B;
}
